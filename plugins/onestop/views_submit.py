"""Handing a dossier in: online (``<unit>/mot-cua/@@nop-ho-so?thu-tuc=<code>``,
anyone, a signed-in citizen becoming its owner; then ``@@da-nop``, the code and
how to follow it) and at the counter (``<unit>/mot-cua/@@tiep-nhan``, the
unit's Receptionists: the same form, the components checked against the
originals, then received or refused with a reason)."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden, HTTPFound
from pyramid.renderers import render_to_response
from pyramid.view import view_config

from core.errors import error_response
from core.i18n import _
from core.ui import get_ui
from core.views.forms import flash
from plugins.onestop.access import is_manager, login_of, roles_at
from plugins.onestop.dossier import CHANNEL_COUNTER, CHANNEL_ONLINE
from plugins.onestop.intake import ONLINE_LEVELS, IntakeError, find_procedure, submit
from plugins.onestop.interfaces import IDesk
from plugins.onestop.registry import find_dossier
from plugins.onestop.transitions import TransitionError, perform
from plugins.onestop.views_form import form_namespace, intake_errors, read_form
from plugins.onestop.views_support import keep_private, page_values, status_label

ONLINE_VIEW, SUBMITTED_VIEW, COUNTER_VIEW = "nop-ho-so", "da-nop", "tiep-nhan"
PROCEDURE_PARAM = "thu-tuc"
#: The session key of the code of the dossier the browser just handed in.
SUBMITTED_KEY = "onestop.submitted"


def _procedure(request, online: bool):
    """The procedure the form is for, or an error response."""
    code = request.params.get(PROCEDURE_PARAM, "")
    try:
        procedure = find_procedure(request, code)
    except IntakeError as error:
        return None, error_response(
            request, 404, message=request.localizer.translate(error.message)
        )
    if online and procedure.level not in ONLINE_LEVELS:
        message = request.localizer.translate(_("Thủ tục này không nhận hồ sơ trực tuyến."))
        return None, error_response(request, 404, message=message)
    return procedure, None


def _page(request, desk, procedure, errors, **page):
    request.response.status = 400 if errors else 200
    translate = request.localizer.translate
    return form_namespace(
        request,
        procedure,
        errors,
        **page_values(
            request,
            desk=desk,
            action=get_ui(request).url(desk, "@@" + request.view_name),
            unit_title=desk.__parent__.title,
            heading=translate(page.pop("heading")),
            **page,
        ),
    )


@view_config(context=IDesk, name=ONLINE_VIEW, renderer="onestop_form.pt")
def online_form(context, request):
    """The online form; a valid post keeps the dossier (status 1) and shows its code."""
    procedure, refused = _procedure(request, online=True)
    if refused is not None:
        return refused
    errors = {}
    if request.method == "POST":
        read = read_form(request, procedure, CHANNEL_ONLINE, context.unit_code, login_of(request))
        errors = read.errors
        if read.submission is not None:
            try:
                dossier = submit(request, read.submission)
            except IntakeError as error:
                errors = intake_errors(procedure, error)
            else:
                request.session[SUBMITTED_KEY] = dossier.code
                return HTTPFound(get_ui(request).url(context, "@@" + SUBMITTED_VIEW))
    return _page(
        request, context, procedure, errors, heading=_("Nộp hồ sơ trực tuyến"), counter=False
    )


@view_config(context=IDesk, name=SUBMITTED_VIEW, renderer="onestop_submitted.pt")
def submitted(context, request):
    """The dossier this browser just handed in: its code, status, due date, and
    the look-up."""
    keep_private(request)
    dossier = find_dossier(request.root, request.session.get(SUBMITTED_KEY))
    if dossier is None:
        return HTTPFound(get_ui(request).url(context))
    ui = get_ui(request)
    return page_values(
        request,
        dossier=dossier,
        status=status_label(request, dossier.status),
        lookup_url=ui.url(context.__parent__, "@@tra-cuu", code=dossier.code),
        mine_url=ui.url(ui.site, "@@ho-so-cua-toi") if dossier.owner else "",
    )


def may_receive(request, unit_code: str) -> bool:
    return is_manager(request) or "Receptionist" in roles_at(request, unit_code)


@view_config(context=IDesk, name=COUNTER_VIEW, renderer="onestop_form.pt")
def counter_form(context, request):
    """The counter's form: a valid post keeps the dossier, then receives it (the
    components checked) or refuses it (with the reason)."""
    if not may_receive(request, context.unit_code):
        raise HTTPForbidden()
    if not request.params.get(PROCEDURE_PARAM):
        return _choose_procedure(context, request)
    procedure, refused = _procedure(request, online=False)
    if refused is not None:
        return refused
    errors = {}
    if request.method == "POST":
        errors = _counter_post(context, request, procedure)
        if isinstance(errors, HTTPFound):
            return errors
    return _page(
        request, context, procedure, errors, heading=_("Tiếp nhận hồ sơ tại quầy"), counter=True
    )


def _choose_procedure(context, request):
    """The counter's first step: which procedure."""
    action = get_ui(request).url(context, "@@" + COUNTER_VIEW)
    values = page_values(request, action=action, param=PROCEDURE_PARAM)
    return render_to_response("onestop_counter_start.pt", values, request)


def _counter_post(context, request, procedure):
    decision = request.POST.get("decision", "")
    reason = request.POST.get("reason", "").strip()
    errors = {}
    if decision not in ("receive", "refuse"):
        errors["decision"] = _("Chọn tiếp nhận hoặc từ chối tiếp nhận.")
    elif decision == "refuse" and not reason:
        errors["reason"] = _("Cần ghi rõ lý do từ chối.")
    checked = [
        row["name"]
        for i, row in enumerate(procedure.components)
        if request.POST.get(f"checked-{i}")
    ]
    read = read_form(request, procedure, CHANNEL_COUNTER, context.unit_code, "")
    if decision == "receive" and read.submission is not None:
        handed = {name for name, _upload in read.submission.documents}
        if not handed <= set(checked):
            errors["checklist"] = _(
                "Đánh dấu đã kiểm tra bản chính, bản sao của mọi thành phần đã nộp."
            )
    errors.update(read.errors)
    if errors:
        return errors
    try:
        dossier = submit(request, read.submission)
    except IntakeError as error:
        return intake_errors(procedure, error)
    if decision == "receive":
        translate = request.localizer.translate
        comment = translate(_("Đã kiểm tra: ${names}", mapping={"names": "; ".join(checked)}))
        data = {"comment": comment if checked else ""}
    else:
        data = {"comment": reason}
    try:
        perform(request, dossier, decision, data)
    except TransitionError as error:
        request.tm.doom()  # nothing kept: the dossier was refused as a whole
        return {"": error.message}
    done = (
        _("Đã tiếp nhận hồ sơ ${code}.", mapping={"code": dossier.code})
        if decision == "receive"
        else _("Đã từ chối tiếp nhận hồ sơ ${code}.", mapping={"code": dossier.code})
    )
    flash(request, done)
    return HTTPFound(get_ui(request).url(dossier))
