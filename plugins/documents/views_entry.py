"""The clerk's forms: registering an incoming document
(``<unit>/van-thu/@@vao-so-van-ban-den``, Clerks) and drafting an outgoing one
(``<unit>/van-thu/@@soan-van-ban-di``, Clerks, Specialists, Leaders).

The fields are those of :mod:`plugins.documents.entries`, checked there and by
:mod:`plugins.documents.registration` exactly as the JSON API checks them; a
refused form comes back with each message next to its input and what was typed
kept (files must be chosen again), and nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pyramid.httpexceptions import HTTPFound
from pyramid.renderers import render_to_response
from pyramid.view import view_config

from core.clock import now
from core.fields import Choice, Field, FileField, MultiChoice, TextLine
from core.i18n import _
from core.theme import get_templates
from core.ui import get_ui
from core.views.forms import flash, widget
from plugins.documents.entries import (
    INCOMING_FIELDS,
    OUTGOING_FIELDS,
    EntryError,
    parse_incoming,
    parse_outgoing,
)
from plugins.documents.interfaces import IOffice
from plugins.documents.office_lists import ISSUED, listing
from plugins.documents.registration import create_outgoing, register_incoming
from plugins.documents.views_common import (
    FORM_METHODS,
    office_units,
    page_values,
    partner_choices,
    require_role,
    staff_of,
    summary_of,
    type_choices,
)

INCOMING_VIEW = "vao-so-van-ban-den"
OUTGOING_VIEW = "soan-van-ban-di"
TEMPLATE = "office_entry.pt"
#: The issued documents a draft may replace or correct, newest first, at most.
REFERENCES_SHOWN = 200
#: Fields given at issue, not in the draft's form.
SET_AT_ISSUE = ("notation", "document_date")

TYPE = "type"
ARRIVAL = Field("arrival", _("Ngày, giờ đến"), required=True, widget="datetime")
SUMMARY = "summary"
PLACES = Field(
    "places",
    _("Nơi nhận (như in trên văn bản)"),
    description=_("Mỗi dòng một nơi nhận, ví dụ: Như trên; Lưu: VT."),
    widget="textarea",
)
COPIES = TextLine("copies", _("Số bản"), max_length=6)


@dataclass(frozen=True)
class Files(FileField):
    """Several files in one input (the form's own: :mod:`plugins.documents.entries`
    reads them)."""

    multiple = True


ATTACHMENTS = Files(
    "attachments",
    _("Tệp đính kèm"),
    description=_("PDF, văn bản Word, Excel hoặc ảnh quét; chọn được nhiều tệp một lần."),
)


def _type_field(request) -> Choice:
    return Choice(TYPE, _("Loại văn bản"), required=True, vocabulary=type_choices(request))


def _readers_field(request, unit_code: str) -> MultiChoice:
    return MultiChoice(
        "readers",
        _("Người được xem văn bản mật"),
        description=_("Chỉ dùng khi văn bản có độ mật: chỉ những người này được xem."),
        vocabulary=tuple(staff_of(request, unit_code)),
    )


def _posted(request, name: str, default=None):
    if request.method != "POST":
        return default
    return (
        request.POST.getall(name) if name in ("readers", "recipients") else request.POST.get(name)
    )


def _widgets(request, fields, errors: dict, defaults: dict) -> list[dict]:
    found = []
    for field in fields:
        if field.name == SUMMARY:
            field = replace(field, widget="textarea")
        elif isinstance(field, Choice) and field.default == "":
            field = replace(field, required=True)  # '' is one of its values ("Thường")
        value = _posted(request, field.name, defaults.get(field.name))
        found.append(widget(request, field, value, errors.get(field.name)))
    return found


def _summary(request, widgets: list[dict], errors: dict) -> list[dict]:
    """The error summary: a link to each refused input, then the other problems."""
    translate = request.localizer.translate
    named = {w["name"]: w for w in widgets}
    rows = []
    for name, message in errors.items():
        found = named.get(name)
        text = f"{found['label']}: {translate(message)}" if found else translate(message)
        rows.append({"href": "#" + found["id"] if found else None, "message": text})
    return rows


def _attachments(request, errors: dict) -> dict:
    return widget(request, ATTACHMENTS, None, errors.get(ATTACHMENTS.name))


def _page(request, office, heading: str, action: str, groups, errors: dict, message="") -> dict:
    widgets = [w for group in groups for w in group["widgets"]]
    translate = request.localizer.translate
    summary = _summary(request, widgets, errors)
    if message and not summary:
        summary = [{"href": None, "message": translate(message)}]
    return page_values(
        request,
        office=office,
        heading=translate(heading),
        action=action,
        groups=groups,
        errors=summary,
        refilled=request.method == "POST" and bool(errors or message),
        widgets_template=get_templates(request.registry)["widgets.pt"],
        cancel_url=get_ui(request).url(office),
    )


def _refused(request, values: dict, error: EntryError):
    request.tm.doom()
    response = render_to_response(TEMPLATE, values, request)
    response.status = error.status
    return response


# incoming -----------------------------------------------------------------------------
def incoming_groups(request, office, errors: dict) -> list[dict]:
    """The inputs of the registration form, in fieldsets."""
    by_name = {f.name: f for f in INCOMING_FIELDS}
    defaults = {TYPE: "cong-van", ARRIVAL.name: now()}
    translate = request.localizer.translate

    def group(legend, fields):
        return {"legend": translate(legend), "widgets": _widgets(request, fields, errors, defaults)}

    return [
        group(
            _("Văn bản đến"),
            (_type_field(request), ARRIVAL, *(by_name[n] for n in ("sender", "sender_code"))),
        ),
        group(
            _("Văn bản"),
            tuple(
                by_name[n] for n in ("notation", "document_date", "signer", "summary", "urgency")
            ),
        ),
        group(_("Xử lý"), (by_name["deadline"],)),
        group(
            _("Độ mật"),
            (by_name["secrecy"], _readers_field(request, office.unit_code)),
        ),
        {"legend": "", "widgets": [_attachments(request, errors)]},
    ]


def _incoming_raw(request) -> dict:
    post = request.POST
    names = (*(f.name for f in INCOMING_FIELDS), TYPE, ARRIVAL.name)
    raw = {name: post[name] for name in names if name in post}
    raw["readers"] = [v for v in post.getall("readers") if v]
    raw["attachments"] = post.getall("attachments")
    return raw


def _incoming_page(request, office, errors=None, message="") -> dict:
    errors = errors or {}
    return _page(
        request,
        office,
        _("Vào sổ văn bản đến"),
        get_ui(request).url(office, "@@" + INCOMING_VIEW),
        incoming_groups(request, office, errors),
        errors,
        message,
    )


@view_config(context=IOffice, name=INCOMING_VIEW, renderer=TEMPLATE, request_method=FORM_METHODS)
def register_incoming_view(context, request):
    """The form (GET); the document registered, or the form with its errors (POST)."""
    require_role(request, context, "Clerk")
    if request.method != "POST":
        return _incoming_page(request, context)
    try:
        values = parse_incoming(request, _incoming_raw(request), "form")
        document = register_incoming(request, context, values)
    except EntryError as error:
        return _refused(
            request, _incoming_page(request, context, error.errors, error.message), error
        )
    flash(
        request,
        _(
            "Đã vào sổ văn bản đến số ${number}.",
            mapping={"number": f"{document.arrival_number}/{document.year}"},
        ),
    )
    return HTTPFound(get_ui(request).url(document))


# outgoing -----------------------------------------------------------------------------
def _reference_choices(request, office) -> tuple:
    """The latest issued documents of ``office`` (a draft replaces or corrects one)."""
    ui = get_ui(request)
    issued = listing(office, ISSUED, REFERENCES_SHOWN).documents
    return tuple(
        (d.id, f"{d.notation} ({ui.date(d.issued)}) – {summary_of(request, d)}"[:160])
        for d in issued
    )


def recipients_widget(request, office, errors: dict) -> dict:
    """The recipients: the units of the portal with an office, then the partners."""
    translate = request.localizer.translate
    chosen = set(_posted(request, "recipients", []) or [])
    units = [(c, t) for c, t in office_units(request) if c != office.unit_code]
    partners = partner_choices(request)
    field = MultiChoice(
        "recipients",
        _("Gửi đến"),
        description=_("Giữ phím Ctrl (hoặc ⌘) để chọn nhiều nơi."),
        vocabulary=(*units, *partners),
    )
    found = widget(request, field, list(chosen), errors.get("recipients"))

    def options(pairs):
        return [{"value": c, "label": f"{t} ({c})", "selected": c in chosen} for c, t in pairs]

    found.update(
        macro="recipients",
        own=True,
        groups=[
            {"label": translate(_("Đơn vị trong tỉnh")), "options": options(units)},
            {"label": translate(_("Cơ quan bên ngoài")), "options": options(partners)},
        ],
    )
    return found


def outgoing_groups(request, office, errors: dict) -> list[dict]:
    """The inputs of the drafting form, in fieldsets."""
    by_name = {f.name: f for f in OUTGOING_FIELDS if f.name not in SET_AT_ISSUE}
    defaults = {TYPE: "cong-van", COPIES.name: "1"}
    translate = request.localizer.translate
    references = _reference_choices(request, office)

    def group(legend, fields, *more):
        widgets = _widgets(request, fields, errors, defaults)
        return {"legend": translate(legend), "widgets": [*widgets, *more]}

    return [
        group(
            _("Văn bản"),
            (
                _type_field(request),
                *(by_name[n] for n in ("legal_normative", "summary", "urgency")),
            ),
        ),
        group(
            _("Soạn thảo và ký"),
            tuple(
                by_name[n] for n in ("drafting_unit", "signer_name", "signer_position", "authority")
            ),
        ),
        {
            "legend": translate(_("Nơi nhận")),
            "widgets": [
                recipients_widget(request, office, errors),
                *_widgets(request, (PLACES, COPIES), errors, defaults),
            ],
        },
        group(
            _("Thay thế, đính chính"),
            (
                Choice("replaces", _("Thay thế văn bản"), vocabulary=references),
                Choice("corrects", _("Đính chính văn bản"), vocabulary=references),
            ),
        ),
        group(_("Độ mật"), (by_name["secrecy"], _readers_field(request, office.unit_code))),
        {"legend": "", "widgets": [_attachments(request, errors)]},
    ]


def _outgoing_raw(request) -> dict:
    post = request.POST
    names = (
        *(f.name for f in OUTGOING_FIELDS if f.name not in SET_AT_ISSUE),
        TYPE,
        COPIES.name,
        "replaces",
        "corrects",
    )
    raw = {name: post[name] for name in names if name in post}
    raw["readers"] = [v for v in post.getall("readers") if v]
    raw["recipients"] = [v for v in post.getall("recipients") if v]
    raw["places"] = [line for line in post.get(PLACES.name, "").splitlines() if line.strip()]
    raw["attachments"] = post.getall("attachments")
    return raw


def _outgoing_page(request, office, errors=None, message="") -> dict:
    errors = errors or {}
    return _page(
        request,
        office,
        _("Soạn văn bản đi"),
        get_ui(request).url(office, "@@" + OUTGOING_VIEW),
        outgoing_groups(request, office, errors),
        errors,
        message,
    )


@view_config(context=IOffice, name=OUTGOING_VIEW, renderer=TEMPLATE, request_method=FORM_METHODS)
def draft_outgoing_view(context, request):
    """The form (GET); the draft kept, or the form with its errors (POST)."""
    require_role(request, context, "Clerk", "Specialist", "Leader")
    if request.method != "POST":
        return _outgoing_page(request, context)
    try:
        values = parse_outgoing(request, _outgoing_raw(request), "form")
        document = create_outgoing(request, context, values)
    except EntryError as error:
        return _refused(
            request, _outgoing_page(request, context, error.errors, error.message), error
        )
    flash(request, _("Đã lưu dự thảo văn bản đi."))
    return HTTPFound(get_ui(request).url(document))
