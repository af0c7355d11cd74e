"""The one-stop desk of a unit (``<unit>/mot-cua``): the content object under
which the unit's dossiers are found, and the indexes its queue and statistics
read.

- ``dossiers``: code -> :class:`~plugins.onestop.dossier.Dossier` processed here
  (their canonical address is ``<unit>/mot-cua/<code>``);
- ``queue``: code -> :class:`QueueEntry` for every open dossier concerning the unit
  (received here, processed here, or handed over here), what a queue lists without
  waking the dossiers;
- ``records``: code -> :class:`Record` for the dossiers processed here (never a
  liên thông sub-dossier: a dossier is counted once, at its processing unit), with
  ``by_received`` and ``by_closed`` ordering them by time, and ``carried``
  (``"YYYY-MM"`` -> the codes of the closed dossiers that were open when that
  month began, Vietnam time), so the statistics of a period read that period's
  records, the month's carried ones and the queue only
  (:mod:`plugins.onestop.statistics`);
- ``ratings``: ``(time, code)`` -> the scores the applicant gave a returned
  dossier (:mod:`plugins.onestop.ratings`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from BTrees.OOBTree import OOBTree, OOTreeSet
from zope.interface import implementer

from core.clock import TIMEZONE
from core.content import Folder
from plugins.onestop import statuses
from plugins.onestop.interfaces import IDesk

TYPE_NAME = "OneStopDesk"
#: The desk's name in its unit (URL segment), title and description.
SECTION = (
    "mot-cua",
    "Một cửa điện tử",
    "Tiếp nhận, giải quyết và tra cứu hồ sơ thủ tục hành chính.",
)


@dataclass(frozen=True)
class QueueEntry:
    """What a queue shows of an open dossier."""

    code: str
    status: int
    procedure_code: str
    procedure_title: str
    applicant: str
    submitted: datetime
    received: datetime | None
    due: datetime | None
    step: str
    step_role: str
    step_unit: str
    step_due: datetime | None
    assignee: str
    home: str  # the code of the unit whose desk keeps the dossier
    origin: str


@dataclass(frozen=True)
class Record:
    """What the statistics count of a dossier."""

    code: str
    status: int
    channel: str
    field: str
    procedure_code: str
    received: datetime | None
    due: datetime | None
    finished: datetime | None
    closed: datetime | None
    returned: datetime | None


def _key(moment: datetime | None, code: str) -> tuple[str, str] | None:
    """The index key of ``moment``: its UTC ISO text (which sorts as time does)."""
    return None if moment is None else (moment.astimezone(UTC).isoformat(), code)


def month_of(moment: datetime) -> str:
    """``"YYYY-MM"``: the month of ``moment`` in Vietnam time."""
    return moment.astimezone(TIMEZONE).strftime("%Y-%m")


def months_begun(after: datetime, until: datetime) -> list[str]:
    """The months (``"YYYY-MM"``, Vietnam time) whose first moment is in
    ``(after, until]``."""
    local = after.astimezone(TIMEZONE)
    year, month = local.year, local.month
    found = []
    while True:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        if datetime(year, month, 1, tzinfo=TIMEZONE) > until:
            return found
        found.append(f"{year:04d}-{month:02d}")


@implementer(IDesk)
class Desk(Folder):
    type_name = TYPE_NAME
    #: Dossiers closed before this (a ``by_closed`` key's time) are anonymised
    #: (:mod:`plugins.onestop.anonymise`).
    anonymised_until = ""

    def __init__(self, **values):
        super().__init__(**values)
        self.dossiers = OOBTree()
        self.queue = OOBTree()
        self.records = OOBTree()
        self.by_received = OOTreeSet()
        self.by_closed = OOTreeSet()
        self.carried = OOBTree()
        self.ratings = OOBTree()

    @property
    def unit_code(self) -> str:
        """The code of the unit (subsite) the desk is in."""
        return getattr(self.__parent__, "code", "") or ""

    def __getitem__(self, name: str):
        try:
            return super().__getitem__(name)
        except KeyError:
            return self.dossiers[name]

    # indexes ---------------------------------------------------------------------
    def enqueue(self, dossier) -> None:
        """List ``dossier`` in this desk's queue while it is open."""
        if dossier.status in statuses.CLOSED:
            self.queue.pop(dossier.code, None)
            return
        step = dossier.current_step
        entry = QueueEntry(
            code=dossier.code,
            status=dossier.status,
            procedure_code=dossier.procedure_code,
            procedure_title=dossier.procedure_title,
            applicant=dossier.applicant.full_name,
            submitted=dossier.submitted,
            received=dossier.received,
            due=dossier.due,
            step=step.title if step else "",
            step_role=step.role if step else "",
            step_unit=step.unit if step else "",
            step_due=step.due if step else None,
            assignee=dossier.assignee,
            home=dossier.__parent__.unit_code if dossier.__parent__ is not None else "",
            origin=dossier.origin,
        )
        if self.queue.get(dossier.code) != entry:
            self.queue[dossier.code] = entry

    def dequeue(self, code: str) -> None:
        self.queue.pop(code, None)

    def record(self, dossier) -> None:
        """Keep what the statistics count of ``dossier`` (processed here)."""
        if dossier.origin:
            return
        new = Record(
            code=dossier.code,
            status=dossier.status,
            channel=dossier.channel,
            field=dossier.field,
            procedure_code=dossier.procedure_code,
            received=dossier.received,
            due=dossier.due,
            finished=dossier.finished,
            closed=dossier.closed,
            returned=dossier.returned,
        )
        old = self.records.get(dossier.code)
        if old == new:
            return
        for tree, before, after in (
            (self.by_received, old and old.received, new.received),
            (self.by_closed, old and old.closed, new.closed),
        ):
            if before != after:
                if before is not None:
                    tree.remove(_key(before, dossier.code))
                if after is not None:
                    tree.add(_key(after, dossier.code))
        if new.closed is not None and new.received is not None and (old is None or not old.closed):
            self._carry(dossier.code, new.received, new.closed)
        self.records[dossier.code] = new

    def _carry(self, code: str, received: datetime, closed: datetime) -> None:
        if getattr(self, "carried", None) is None:  # a desk made before the index
            self.carried = OOBTree()
        for month in months_begun(received, closed):
            codes = self.carried.get(month)
            if codes is None:
                codes = self.carried[month] = OOTreeSet()
            codes.add(code)

    def forget(self, code: str) -> None:
        """Drop the statistics record of ``code`` (never counted again)."""
        old = self.records.pop(code, None)
        if old is not None:
            if old.received is not None:
                self.by_received.remove(_key(old.received, code))
            if old.closed is not None:
                self.by_closed.remove(_key(old.closed, code))
