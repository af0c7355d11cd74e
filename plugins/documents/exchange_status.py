"""The statuses of the exchange between units (QCVN 102:2016's status codes) and
the same-working-day confirmation of receipt.

A :class:`~plugins.documents.registered.Recipient` of an outgoing document
carries the last status its receiver reported: 0 not sent, 1 arrived, 2 refused
(returned to the sender), 3 accepted, 4 assigned, 5 processing, 6 done; for a
recall 13 requested, 15 recalled, 16 recall refused.

The receiver confirms receipt (accepts the document) by the end of the working day
it arrived (Decree 30/2020, art. 21): :func:`accept_deadline`. A document that
arrives after the last session of a working day, or on a day off, is due by the
end of the next working day.
"""

from __future__ import annotations

from datetime import datetime

from core.clock import TIMEZONE
from core.i18n import _
from core.workdays import WorkingCalendar, next_working_session

NOT_SENT = 0
ARRIVED = 1
REFUSED = 2
ACCEPTED = 3
ASSIGNED = 4
PROCESSING = 5
DONE = 6
RECALL_REQUESTED = 13
RECALLED = 15
RECALL_REFUSED = 16
#: Each status code and its label.
STATUSES = {
    NOT_SENT: _("Chưa gửi"),
    ARRIVED: _("Đã đến"),
    REFUSED: _("Từ chối"),
    ACCEPTED: _("Đã tiếp nhận"),
    ASSIGNED: _("Đã phân công"),
    PROCESSING: _("Đang xử lý"),
    DONE: _("Hoàn thành"),
    RECALL_REQUESTED: _("Đề nghị thu hồi"),
    RECALLED: _("Đã thu hồi"),
    RECALL_REFUSED: _("Từ chối thu hồi"),
}
#: The history line of a delivery, a report or an error in the sender's outgoing
#: document (its comment says which receiver and what), and the line of a recall
#: request in the receiver's incoming document; their titles.
REPORT_EVENT = "exchange"
RECALL_EVENT = "recall_requested"
EVENT_TITLES = {REPORT_EVENT: _("Liên thông văn bản"), RECALL_EVENT: _("Nơi gửi đề nghị thu hồi")}

#: What an incoming document's last history line reports to its sender.
EVENT_STATUSES = {
    "register": ARRIVED,
    "accept": ACCEPTED,
    "submit": ACCEPTED,
    "return_to_sender": REFUSED,
    "assign": ASSIGNED,
    "start": PROCESSING,
    "note": PROCESSING,
    "finish": DONE,
    RECALL_EVENT: RECALL_REQUESTED,
    "accept_recall": RECALLED,
    "refuse_recall": RECALL_REFUSED,
}


def status_text(code: int, reason: str = "") -> str:
    """A status as the sender's history writes it (in Vietnamese, stored):
    ``Từ chối (2): <reason>``."""
    label = STATUSES.get(code)
    text = f"{label.interpolate() if label is not None else code} ({code})"
    return f"{text}: {reason}" if reason else text


def accept_deadline(calendar: WorkingCalendar, arrival: datetime) -> datetime:
    """When a document that arrived at ``arrival`` must be accepted by: the end of
    the last session of the working day it arrived, or of the next working day
    when it arrived after office hours or on a day off."""
    session = next_working_session(calendar, arrival)
    last = calendar.hours.sessions[-1]
    return datetime.combine(session.start.date(), last.end, TIMEZONE)
