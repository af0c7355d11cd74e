"""A registered document's page (``<unit>/van-thu/<id>``) for those who may see it
(:func:`plugins.documents.access.can_view`; visitors are asked to log in, others
refused): its particulars and status, its files (to download through
:mod:`plugins.documents.downloads`) with their signatures, the leader's direction,
the exchange with its recipients, its history, and one small form per transition
the requester may do now (:func:`plugins.documents.transitions.available`), each
posting to ``@@thao-tac``. A refused transition shows the page again with the
reason and the status :class:`~plugins.documents.transitions.TransitionError` says,
and changes nothing."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPFound
from pyramid.renderers import render_to_response
from pyramid.view import view_config

from core.formatting import human_size
from core.i18n import _
from core.ui import get_ui
from core.views.forms import flash
from plugins.documents import registered as R
from plugins.documents.access import can_see_registers, can_view
from plugins.documents.downloads import SIGNED, attachment_url
from plugins.documents.exchange_status import EVENT_TITLES
from plugins.documents.interfaces import IRegisteredDocument
from plugins.documents.transitions import (
    TRANSITIONS,
    TransitionError,
    available,
    handler_title,
    perform,
)
from plugins.documents.units import unit_title
from plugins.documents.views_common import (
    exchange_title,
    label,
    office_units,
    page_values,
    require_document,
    staff_of,
    status_title,
    type_title,
)

TRANSITION_VIEW = "thao-tac"
SLIP_VIEW = "phieu-xu-ly"
TEMPLATE = "office_document.pt"
PDF = "application/pdf"
#: What history lines call the steps that are no transition.
STEPS = {"register": _("Vào sổ"), "create": _("Tạo dự thảo"), **EVENT_TITLES}
#: What the comment of a transition is called on its form, where not "Ý kiến".
COMMENT_LABELS = {
    "return_to_sender": _("Lý do trả lại"),
    "refuse_recall": _("Lý do từ chối thu hồi"),
    "reject": _("Lý do trả lại dự thảo"),
    "recall": _("Lý do thu hồi"),
    "note": _("Tiến độ, kết quả xử lý"),
}


def _fact(label_text, value, url: str = "", multiline: bool = False) -> dict:
    return {"label": label_text, "value": value, "url": url, "multiline": multiline}


def _reference(request, document, doc_id: str) -> tuple[str, str]:
    """The notation and address of another document of the office (no address for
    one the requester may not see)."""
    other = document.__parent__.documents.get(doc_id) if doc_id else None
    if other is None:
        return doc_id, ""
    url = get_ui(request).url(other) if can_view(request, other) else ""
    return other.notation or other.id, url


def incoming_facts(request, document) -> list[dict]:
    ui = get_ui(request)
    facts = [
        _fact(_("Số đến"), f"{document.arrival_number}/{document.year}"),
        _fact(_("Ngày, giờ đến"), ui.date(document.arrival, True)),
        _fact(
            _("Nơi gửi"),
            f"{document.sender} ({document.sender_code})"
            if document.sender_code
            else document.sender,
        ),
        _fact(_("Số, ký hiệu"), document.notation),
        _fact(_("Ngày văn bản"), ui.date(document.document_date)),
        _fact(_("Loại văn bản"), type_title(request, document.type_code)),
        _fact(_("Người ký"), document.signer),
        _fact(_("Trích yếu"), document.summary, multiline=True),
        _fact(_("Độ khẩn"), label(request, R.URGENCIES, document.urgency)),
        _fact(_("Độ mật"), label(request, R.SECRECIES, document.secrecy)),
        _fact(_("Hạn xử lý"), ui.date(document.deadline, True)),
        _fact(_("Hoàn thành lúc"), ui.date(document.finished, True)),
        _fact(_("Lý do trả lại"), document.return_reason, multiline=True),
        _fact(_("Nơi gửi đề nghị thu hồi"), document.recall_requested, multiline=True),
    ]
    if document.origin:
        facts.append(
            _fact(_("Gửi qua liên thông từ"), unit_title(request.root, document.origin[0]))
        )
    return facts


def outgoing_facts(request, document) -> list[dict]:
    ui = get_ui(request)
    signer = " ".join(
        p for p in (document.authority, document.signer_position, document.signer_name) if p
    )
    facts = [
        _fact(_("Mã dự thảo"), document.id),
        _fact(_("Số, ký hiệu"), document.notation),
        _fact(_("Ngày ban hành"), ui.date(document.issued, True)),
        _fact(_("Loại văn bản"), type_title(request, document.type_code)),
        _fact(
            _("Văn bản quy phạm pháp luật"),
            request.localizer.translate(_("Có")) if document.legal_normative else "",
        ),
        _fact(_("Đơn vị soạn thảo"), document.drafting_unit),
        _fact(_("Trích yếu"), document.summary, multiline=True),
        _fact(_("Độ khẩn"), label(request, R.URGENCIES, document.urgency)),
        _fact(_("Độ mật"), label(request, R.SECRECIES, document.secrecy)),
        _fact(_("Người ký"), signer),
        _fact(_("Số bản"), str(document.copies)),
        _fact(_("Nơi nhận"), "\n".join(document.places), multiline=True),
        _fact(_("Gửi lúc"), ui.date(document.sent, True)),
        _fact(_("Lý do thu hồi"), document.recall_reason, multiline=True),
    ]
    for name, title in (
        ("replaces", _("Thay thế văn bản")),
        ("corrects", _("Đính chính văn bản")),
        ("replaced_by", _("Bị thay thế bởi")),
    ):
        notation, url = _reference(request, document, getattr(document, name))
        facts.append(_fact(title, notation, url))
    return facts


def _facts(request, document) -> list[dict]:
    translate = request.localizer.translate
    found = (incoming_facts if document.kind == R.INCOMING else outgoing_facts)(request, document)
    return [{**f, "label": translate(f["label"])} for f in found if f["value"]]


def step_title(request, document, name: str) -> str:
    """A history line's step as people read it."""
    found = TRANSITIONS.get((document.kind, name))
    title = found.title if found is not None else STEPS.get(name, name)
    return request.localizer.translate(title)


def _direction(request, document) -> dict | None:
    direction = getattr(document, "direction", None)
    if direction is None:
        return None
    return {
        "text": direction.text,
        "leader": direction.leader_title,
        "when": direction.when,
        "lead": direction.lead_title,
        "coordinators": [handler_title(request, t) for t in direction.coordinators],
        "deadline": direction.deadline,
    }


def _file(request, attachment, url: str) -> dict:
    """A file as the page lists it, with what the check of its signatures found
    (a PDF checked on receipt or signed at issue)."""
    translate = request.localizer.translate
    reports = [
        {"text": translate(report.summary), "valid": report.valid}
        for report in attachment.signatures
    ]
    unsigned = attachment.checked and attachment.content_type == PDF and not reports
    return {
        "name": attachment.filename,
        "size": human_size(attachment.size, request),
        "url": url,
        "signatures": reports,
        "unsigned": unsigned,
    }


def _files(request, document) -> list[dict]:
    files = [
        _file(request, a, attachment_url(request, document, str(index)))
        for index, a in enumerate(document.attachments, start=1)
    ]
    signed = getattr(document, "signed_pdf", None)
    if signed is not None:
        files.append(_file(request, signed, attachment_url(request, document, SIGNED)))
    return files


def handler_choices(request, document) -> list[tuple[str, str]]:
    """Whom a direction may name: the unit's staff, then the other units with an
    office, as handler tokens."""
    code = document.unit_code
    people = [(R.person(login), name) for login, name in staff_of(request, code)]
    units = [(R.unit(c), t) for c, t in office_units(request) if c != code]
    return people + units


def _forms(request, document, posted: str, errors: dict) -> list[dict]:
    """A form per transition the requester may do now; the one just posted keeps
    what was typed and shows its errors."""
    translate = request.localizer.translate
    forms = []
    for transition in available(request, document):
        name = transition.name
        again = name == posted
        values = request.POST if again else {}
        form = {
            "name": name,
            "title": translate(transition.title),
            "comment_label": translate(COMMENT_LABELS.get(name, _("Ý kiến"))),
            "comment_required": transition.needs_comment,
            "comment": values.get("comment", ""),
            "errors": {k: translate(v) for k, v in errors.items()} if again else {},
            "values": values,
            "handlers": [],
            "coordinators": [],
        }
        if name == "assign":
            chosen = set(values.getall("coordinators")) if again else set()
            handlers = handler_choices(request, document)
            form["handlers"] = [
                {"value": v, "label": t, "selected": v == values.get("lead")} for v, t in handlers
            ]
            form["coordinators"] = [
                {"value": v, "label": t, "selected": v in chosen} for v, t in handlers
            ]
        if name == "sign":
            form["signer"] = {
                "signer_name": values.get("signer_name", document.signer_name),
                "signer_position": values.get("signer_position", document.signer_position),
            }
            authority = values.get("authority", document.authority)
            form["authorities"] = [
                {"value": v, "label": translate(t), "selected": v == authority}
                for v, t in R.AUTHORITIES.items()
            ]
        forms.append(form)
    return forms


def document_values(request, document, posted: str = "", error=None) -> dict:
    """What ``office_document.pt`` shows of ``document`` to the requester."""
    ui = get_ui(request)
    translate = request.localizer.translate
    office = document.__parent__
    errors = getattr(error, "errors", {}) if error is not None else {}
    return page_values(
        request,
        document=document,
        incoming=document.kind == R.INCOMING,
        heading=_heading(request, document),
        status=status_title(request, document.kind, document.status),
        facts=_facts(request, document),
        files=_files(request, document),
        direction=_direction(request, document),
        recipients=[
            {
                "name": r.name,
                "code": r.code,
                "internal": r.internal,
                "status": exchange_title(request, r.status),
                "when": r.when,
                "reason": r.reason or r.error,
            }
            for r in getattr(document, "recipients", ())
        ],
        history=[
            {
                "when": e.when,
                "step": step_title(request, document, e.transition),
                "actor": e.actor_title or e.actor,
                "status": status_title(request, document.kind, e.dest) if e.dest else "",
                "comment": e.comment,
            }
            for e in document.history
        ],
        forms=_forms(request, document, posted, errors),
        action=ui.url(document, "@@" + TRANSITION_VIEW),
        slip_url=ui.url(document, "@@" + SLIP_VIEW) if document.kind == R.INCOMING else "",
        office_url=ui.url(office) if can_see_registers(request, office.unit_code) else "",
        error=translate(error.message) if error is not None else "",
    )


def _heading(request, document) -> str:
    translate = request.localizer.translate
    if document.kind == R.INCOMING:
        return translate(
            _(
                "Văn bản đến số ${number}",
                mapping={"number": f"{document.arrival_number}/{document.year}"},
            )
        )
    if document.notation:
        return translate(_("Văn bản đi ${notation}", mapping={"notation": document.notation}))
    return translate(_("Dự thảo văn bản đi ${id}", mapping={"id": document.id}))


@view_config(context=IRegisteredDocument, renderer=TEMPLATE, request_method=("GET", "HEAD"))
def document_view(context, request):
    """The document's page."""
    return document_values(request, require_document(request, context))


def transition_data(request, name: str) -> dict:
    """What transition ``name`` takes from the posted form."""
    post = request.POST
    data = {"comment": post.get("comment", "")}
    if name == "assign":
        data.update(
            direction=post.get("direction", ""),
            comment=post.get("direction", ""),
            lead=post.get("lead", ""),
            coordinators=[v for v in post.getall("coordinators") if v],
            deadline=post.get("deadline", ""),
            days=post.get("days", ""),
        )
    elif name == "sign":
        data.update(
            signer_name=post.get("signer_name", ""),
            signer_position=post.get("signer_position", ""),
            authority=post.get("authority"),
        )
    elif name == "issue":
        data["number"] = post.get("number", "")
    return data


@view_config(context=IRegisteredDocument, name=TRANSITION_VIEW, request_method="POST")
def transition_view(context, request):
    """Do the posted transition; the page again with the reason when refused."""
    document = require_document(request, context)
    name = request.POST.get("transition", "")
    try:
        perform(request, document, name, transition_data(request, name))
    except TransitionError as error:
        request.tm.doom()
        values = document_values(request, document, name, error)
        response = render_to_response(TEMPLATE, values, request)
        response.status = error.status
        return response
    if name == "issue":
        message = _("Đã ban hành văn bản số ${notation}.", mapping={"notation": document.notation})
    else:
        title = request.localizer.translate(TRANSITIONS[(document.kind, name)].title)
        message = _("Đã thực hiện: ${action}.", mapping={"action": title})
    flash(request, message)
    ui = get_ui(request)
    if can_view(request, document):
        return HTTPFound(ui.url(document))
    office = document.__parent__
    if can_see_registers(request, office.unit_code):
        return HTTPFound(ui.url(office))
    return HTTPFound(ui.url(office.__parent__))
