"""The apology for lateness (Mẫu 04, phiếu xin lỗi và hẹn lại ngày trả kết quả):
when a dossier will not be finished by its due date, the processing unit's
Specialist or Leader records why and a new appointment. The dossier's due date
stays what it was, so the statistics still count it late; the applicant is told
the new date (:attr:`Dossier.appointment`)."""

from __future__ import annotations

from datetime import datetime

from core.clock import now
from core.i18n import _
from plugins.onestop import statuses
from plugins.onestop.access import is_manager, login_of, roles_at
from plugins.onestop.deadlines import stored
from plugins.onestop.dossier import Apology, Dossier, Event
from plugins.onestop.indexing import reindex
from plugins.onestop.transitions import TransitionError

ROLES = frozenset({"Specialist", "Leader"})


def appointment(dossier: Dossier) -> datetime | None:
    """When the result is promised now: the last apology's date, else the due date."""
    return dossier.apologies[-1].new_due if dossier.apologies else dossier.due


def apologize(request, dossier: Dossier, reason, new_due) -> Apology:
    """Record an apology with the new appointment ``new_due`` (an aware datetime
    after now and after the current appointment); :class:`TransitionError` when
    refused, leaving the dossier as it was."""
    if dossier.status not in statuses.RUNNING or dossier.due is None:
        raise TransitionError(_("Chỉ xin lỗi, hẹn lại với hồ sơ đang giải quyết."), 409)
    if not (is_manager(request) or roles_at(request, dossier.processing_unit) & ROLES):
        raise TransitionError(_("Bạn không có quyền thực hiện thao tác này với hồ sơ."), 403)
    if not isinstance(reason, str) or not reason.strip() or len(reason) > 2000:
        raise TransitionError(
            _("Cần ghi rõ lý do (tối đa 2000 ký tự)."), 400, {"reason": "required"}
        )
    if any(ord(c) < 32 and c not in "\t\r\n" for c in reason):
        raise TransitionError(_("Lý do có ký tự không được phép."), 400, {"reason": "invalid"})
    when = stored(now())
    current = appointment(dossier)
    if not isinstance(new_due, datetime) or new_due.tzinfo is None or new_due <= max(when, current):
        raise TransitionError(
            _("Ngày hẹn mới phải sau hôm nay và sau ngày hẹn hiện tại."),
            400,
            {"new_due": "invalid"},
        )
    apology = Apology(when, reason.strip(), current, stored(new_due))
    dossier.apologies = (*dossier.apologies, apology)
    dossier.add_event(
        Event(when, login_of(request), "", dossier.processing_unit, "apologize", dossier.status,
              dossier.status, apology.reason)
    )  # fmt: skip
    reindex(request, dossier)
    return apology
