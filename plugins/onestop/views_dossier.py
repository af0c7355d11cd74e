"""A dossier's page (``<unit>/mot-cua/<code>``) for those who may see it (its
applicant, the staff of the units handling it; 404 for everybody else): who
applies, for what, where it is, its status, deadlines and clock, its steps,
files, history, supplements and result, and the transitions the requester may
do now, each a small form posting to ``@@thao-tac``. Its files link to
``@@document/<n>`` (:mod:`plugins.onestop.api`)."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.renderers import render_to_response
from pyramid.view import view_config

from core.fields import Invalid
from core.i18n import _
from core.ui import get_ui
from core.views.forms import flash
from plugins.onestop import statuses as S
from plugins.onestop.access import can_staff, can_view, may_audit, record_view
from plugins.onestop.apology import appointment
from plugins.onestop.interfaces import IDossier
from plugins.onestop.persons import ID_TYPES
from plugins.onestop.serialize import DOCUMENT_VIEW, RESULT
from plugins.onestop.transitions import (
    TRANSITIONS,
    TransitionError,
    available,
    perform,
    unit_concerned,
)
from plugins.onestop.units import unit_of
from plugins.onestop.views_form import RETURN_LABELS, UPLOAD
from plugins.onestop.views_support import (
    desk_units,
    keep_private,
    page_values,
    status_label,
    unit_label,
)

TRANSITION_VIEW = "thao-tac"
#: The latest openings of a dossier its page lists (to its auditors).
OPENINGS_SHOWN = 50
#: The receipt (Mẫu 01) of the printed forms.
RECEIPT_PATH = ("@@phieu", "mau-01")
#: What the comment of a transition is called on its form, where not "Ý kiến".
COMMENT_LABELS = {
    "refuse": _("Lý do từ chối"),
    "deny": _("Lý do từ chối giải quyết"),
    "suspend": _("Lý do dừng xử lý"),
    "request_supplement": _("Nội dung cần bổ sung"),
}


def viewable(request, dossier):
    """``dossier`` for a requester who may see it (recorded), else 404."""
    if not can_view(request, dossier):
        raise HTTPNotFound()
    keep_private(request)
    record_view(request, dossier)
    return dossier


def _person(request, person) -> list[tuple[str, str]]:
    if person is None:
        return []
    translate = request.localizer.translate
    id_type = translate(dict(ID_TYPES).get(person.id_type, person.id_type))
    rows = [
        (_("Họ và tên"), person.full_name),
        (id_type, person.id_number),
        (_("Ngày sinh"), get_ui(request).date(person.birth_date) if person.birth_date else ""),
        (_("Số điện thoại"), person.phone),
        (_("Thư điện tử"), person.email),
        (_("Địa chỉ"), person.address),
    ]
    return [(translate(label), value) for label, value in rows if value]


def _clock(request, dossier) -> str:
    ui = get_ui(request)
    if dossier.clock_stopped is not None:
        return request.localizer.translate(
            _(
                "Tạm dừng tính thời gian từ ${when}",
                mapping={"when": ui.date(dossier.clock_stopped, True)},
            )
        )
    if dossier.status in S.RUNNING and dossier.due is not None:
        return request.localizer.translate(_("Đang tính thời gian"))
    return ""


def _staff_of(request, unit_code: str) -> list[tuple[str, str]]:
    """``(login, name)`` of the users holding a staff role on ``unit_code``'s subsite."""
    subsite = unit_of(request.root, unit_code)
    users = request.root.principals.users
    found = []
    for login, roles in getattr(subsite, "local_roles", {}).items():
        user = users.get(login)
        if user is not None and set(roles) & {"Specialist", "Leader"}:
            found.append((login, user.title))
    return sorted(found, key=lambda pair: pair[1])


def _transition_forms(request, dossier) -> list[dict]:
    translate = request.localizer.translate
    forms = []
    for transition in available(request, dossier):
        name = transition.name
        form = {
            "name": name,
            "title": translate(transition.title),
            "comment_label": translate(COMMENT_LABELS.get(name, _("Ý kiến"))),
            "comment_required": transition.needs_comment,
            "assignees": [],
            "units": [],
            "result": name in ("approve", "deny"),
            "transfer": name == "transfer",
            "supplement": name == "supplement",
        }
        if name == "assign":
            form["assignees"] = _staff_of(request, unit_concerned(transition, dossier))
        if name == "transfer":
            here = dossier.current_step.unit if dossier.current_step else dossier.processing_unit
            form["units"] = [(c, t) for c, t in desk_units(request) if c != here]
        forms.append(form)
    return forms


def dossier_values(request, dossier) -> dict:
    """What ``onestop_dossier.pt`` shows of ``dossier`` to the requester."""
    translate = request.localizer.translate
    ui = get_ui(request)
    staff = any(can_staff(request, code) for code in dossier.units)
    titles = {name: translate(t.title) for name, t in TRANSITIONS.items()}
    titles.update(
        {
            "submit": translate(_("Nộp hồ sơ")),
            "transfer_back": translate(_("Nhận lại từ liên thông")),
            "apologize": translate(_("Xin lỗi, hẹn lại")),
        }
    )
    return page_values(
        request,
        dossier=dossier,
        status=status_label(request, dossier.status),
        applicant=_person(request, dossier.applicant),
        representative=_person(request, dossier.representative),
        receiving=unit_label(request, dossier.receiving_unit),
        processing=unit_label(request, dossier.processing_unit),
        unit_name=lambda code: unit_label(request, code),
        status_of=lambda code: status_label(request, code) if code in S.STATUSES else "",
        transition_title=lambda name: titles.get(name, name),
        return_method=translate(dict(RETURN_LABELS).get(dossier.return_method, "")),
        appointment=appointment(dossier),
        clock=_clock(request, dossier),
        file_url=lambda index: ui.url(dossier, "@@" + DOCUMENT_VIEW, str(index + 1)),
        result_url=ui.url(dossier, "@@" + DOCUMENT_VIEW, RESULT),
        receipt_url=ui.url(dossier, *RECEIPT_PATH) if staff and dossier.received else "",
        forms=_transition_forms(request, dossier),
        action=ui.url(dossier, "@@" + TRANSITION_VIEW),
        components=sorted({d.component for d in dossier.documents if d.component}),
        openings=list(reversed(dossier.viewers[-OPENINGS_SHOWN:]))
        if may_audit(request, dossier)
        else [],
        error="",
    )


@view_config(context=IDossier, renderer="onestop_dossier.pt")
def dossier_view(context, request):
    """The dossier's page."""
    return dossier_values(request, viewable(request, context))


def _number(value: str):
    """A number of days as typed (``1,5`` too); the text itself when it is none,
    for the transition to refuse."""
    try:
        return float(value.replace(",", "."))
    except ValueError:
        return value


def transition_data(request, name: str) -> dict:
    """What transition ``name`` takes from the posted form."""
    post = request.POST
    data = {"comment": post.get("comment", "")}
    if name == "assign":
        data["assignee"] = post.get("assignee", "")
    elif name == "transfer":
        data.update(
            unit=post.get("unit", ""), days=_number(post.get("days", "")), step=post.get("step", "")
        )
    elif name in ("approve", "deny"):
        data.update(result_number=post.get("result_number", ""), signer=post.get("signer", ""))
        upload = UPLOAD.parse(post.get("result_file"), "form")
        if upload is not None:
            data["result_file"] = upload
    elif name == "supplement":
        upload = UPLOAD.parse(post.get("file"), "form")
        if upload is not None:
            data["documents"] = [(post.get("component", ""), upload)]
    return data


@view_config(context=IDossier, name=TRANSITION_VIEW, request_method="POST")
def transition_view(context, request):
    """Do the posted transition; the page again with the reason when refused."""
    dossier = viewable(request, context)
    name = request.POST.get("transition", "")
    try:
        data = transition_data(request, name)
        event = perform(request, dossier, name, data)
    except (TransitionError, Invalid) as error:
        request.tm.doom()
        values = dossier_values(request, dossier)
        values["error"] = request.localizer.translate(error.message)
        response = render_to_response("onestop_dossier.pt", values, request)
        response.status = getattr(error, "status", 400)
        return response
    title = request.localizer.translate(TRANSITIONS[event.transition].title)
    flash(request, _("Đã thực hiện: ${action}.", mapping={"action": title}))
    if can_view(request, dossier):
        return HTTPFound(get_ui(request).url(dossier))
    return HTTPFound(get_ui(request).url(dossier.__parent__))
