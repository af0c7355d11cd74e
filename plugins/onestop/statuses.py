"""The ten national statuses of a dossier, with their codes (the national
public-service portal's ``TrangThaiHoSo``), and the groups the queues and the
statistics read."""

from __future__ import annotations

from dataclasses import dataclass

from core.i18n import _


@dataclass(frozen=True)
class Status:
    """A national status: ``code`` 1–10, ``name`` (the JSON API's), ``title``."""

    code: int
    name: str
    title: str


SUBMITTED, RECEIVED, REFUSED, PROCESSING, SUPPLEMENT = 1, 2, 3, 4, 5
PAYMENT, WITHDRAWN, SUSPENDED, RESULT_READY, RETURNED = 6, 7, 8, 9, 10

STATUSES = {
    s.code: s
    for s in (
        Status(SUBMITTED, "submitted", _("Mới đăng ký")),
        Status(RECEIVED, "received", _("Được tiếp nhận")),
        Status(REFUSED, "refused", _("Không được tiếp nhận")),
        Status(PROCESSING, "processing", _("Đang xử lý")),
        Status(SUPPLEMENT, "supplement_requested", _("Yêu cầu bổ sung")),
        Status(PAYMENT, "payment_requested", _("Yêu cầu thực hiện nghĩa vụ tài chính")),
        Status(WITHDRAWN, "withdrawn", _("Công dân rút hồ sơ")),
        Status(SUSPENDED, "suspended", _("Dừng xử lý")),
        Status(RESULT_READY, "result_ready", _("Đã xử lý xong")),
        Status(RETURNED, "returned", _("Đã trả kết quả")),
    )
}
BY_NAME = {s.name: s for s in STATUSES.values()}

#: Statuses in which the unit works on the dossier and its deadline runs.
RUNNING = frozenset({RECEIVED, PROCESSING, PAYMENT})
#: Statuses waiting for the citizen (the clock stopped for a supplement).
WAITING = frozenset({SUPPLEMENT, PAYMENT})
#: Statuses after which nothing more happens to the dossier.
CLOSED = frozenset({REFUSED, WITHDRAWN, SUSPENDED, RETURNED})
#: Statuses in which the processing is over (finished, whatever came after).
FINISHED = frozenset({RESULT_READY, RETURNED})
#: Statuses still open: the queues list them.
OPEN = frozenset(STATUSES) - CLOSED
