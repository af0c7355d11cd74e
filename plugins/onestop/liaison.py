"""Liên thông: a dossier handed to another unit for a step (a commune's dossier
appraised by a department, then back). The other unit gets a sub-dossier at its
desk, pointing to its origin, with the step's deadline; when its Leader approves
its part, the origin records the dossier back and goes on. A sub-dossier is
never counted in the statistics (:meth:`plugins.onestop.desk.Desk.record`) nor
synchronised with the national portal: its origin is."""

from __future__ import annotations

from dataclasses import replace

from core.i18n import _
from core.workdays import add_working_days, working_calendar
from plugins.onestop import statuses
from plugins.onestop.deadlines import stored
from plugins.onestop.dossier import Dossier, Event, Handover, Step
from plugins.onestop.indexing import reindex
from plugins.onestop.transitions import TransitionError, action
from plugins.onestop.units import desk_of

#: The longest step handed over, in working days.
MAX_STEP_DAYS = 90


@action("transfer")
def transfer(request, dossier: Dossier, data: dict, when):
    """Hand ``dossier`` to ``data["unit"]`` for a step of ``data["days"]`` working
    days named ``data["step"]``."""
    unit, days, title = data.get("unit"), data.get("days"), data.get("step") or "Xử lý liên thông"
    current = dossier.current_step
    if not isinstance(unit, str) or desk_of(request.root, unit) is None:
        raise TransitionError(_("Đơn vị nhận không có một cửa điện tử."), 400, {"unit": "unknown"})
    if current is not None and unit == current.unit:
        raise TransitionError(_("Hồ sơ đang ở đơn vị này."), 400, {"unit": "same"})
    if (
        isinstance(days, bool)
        or not isinstance(days, int | float)
        or not 0 < days <= MAX_STEP_DAYS
        or (days * 2) % 1
    ):
        raise TransitionError(
            _("Thời hạn của bước là số ngày làm việc (bội của nửa ngày)."), 400, {"days": "invalid"}
        )
    if not isinstance(title, str) or len(title) > 200 or any(ord(c) < 32 for c in title):
        raise TransitionError(_("Tên bước là văn bản ngắn."), 400, {"step": "invalid"})
    if any(h.back is None for h in dossier.handovers):
        raise TransitionError(_("Hồ sơ đang ở một đơn vị liên thông khác."), 409)
    due = stored(add_working_days(working_calendar(request), when, days))
    if dossier.due is not None:
        due = min(due, dossier.due)
    sub_code = f"{dossier.code}-LT{len(dossier.handovers) + 1}"
    sub = Dossier(
        code=sub_code,
        procedure_code=dossier.procedure_code,
        procedure_title=dossier.procedure_title,
        field=dossier.field,
        channel=dossier.channel,
        receiving_unit=unit,
        processing_unit=unit,
        applicant=dossier.applicant,
        return_method=dossier.return_method,
        submitted=when,
        days=float(days),
    )
    sub.origin = dossier.code
    sub.documents = dossier.documents
    sub.status = statuses.PROCESSING
    sub.received, sub.due = when, due
    sub.steps = (Step("liaison", title.strip(), "Specialist", unit, float(days), when, due),)
    sub.step_index = 0
    sub.add_event(
        Event(
            when,
            request.identity.login,
            "",
            current.unit if current else dossier.processing_unit,
            "transfer",
            0,
            statuses.PROCESSING,
            data.get("comment", ""),
            title,
            due,
        )
    )
    desk = desk_of(request.root, unit)
    sub.__parent__ = desk
    desk.dossiers[sub_code] = sub
    request.root.onestop.codes[sub_code] = sub
    reindex(request, sub)
    sender = current.unit if current is not None else dossier.processing_unit
    dossier.handovers = (*dossier.handovers, Handover(when, sender, unit, title, due, sub_code))
    dossier.subs = (*dossier.subs, sub_code)
    return None


def close_sub(request, sub: Dossier) -> None:
    """Listener: when the unit of a sub-dossier has done its part (its Leader
    approved or denied it), its origin records it back."""
    if not sub.origin or sub.status != statuses.RESULT_READY:
        return
    origin = request.root.onestop.codes.get(sub.origin)
    if origin is None or pending_handover(origin) is None:
        return
    when = sub.finished
    handovers = tuple(
        replace(h, back=when) if h.sub == sub.code and h.back is None else h
        for h in origin.handovers
    )
    origin.handovers = handovers
    origin.add_event(
        Event(
            when,
            request.identity.login,
            "",
            sub.processing_unit,
            "transfer_back",
            origin.status,
            origin.status,
            "",
            sub.steps[0].title if sub.steps else "",
            None,
        )
    )
    reindex(request, origin)


def pending_handover(dossier: Dossier):
    """The hand-over not yet back, or None."""
    return next((h for h in dossier.handovers if h.back is None), None)
