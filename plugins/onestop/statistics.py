"""The statistics of a unit's desk for a period (Vietnam dates, both included):
what was carried over, received (by channel), finished early, on time or late,
still in progress on time or overdue at the end, returned, withdrawn, refused,
suspended, the on-time rate and the applicants' ratings; in all, by field and by
procedure.

A dossier is counted at the unit that processes it (its desk's ``records``),
never a liên thông sub-dossier (:meth:`plugins.onestop.desk.Desk.record` keeps
none). Definitions, for the period ``[start, end)`` and ``at = min(end, now)``:

- carried over: received before ``start``, neither finished nor closed before it;
- received: received in the period (online, counter, national portal);
- finished: its result ready (status 9) in the period, early (before its due
  day), on time (on it) or late (after it);
- in progress: received before ``at``, neither finished nor closed before it,
  overdue when its due date is before ``at`` (a dossier open now and waiting for
  a supplement is not: its clock is stopped);
- returned, withdrawn, refused, suspended: closed so in the period;
- on-time rate: (early + on time) / finished.

Cost: the records read are the candidates only, never every dossier of the unit:
the month of ``start``'s carried codes (``desk.carried``: dossiers open when that
month began, closed since), those received from that month's first day to
``end`` and closed in the period (``by_received``, ``by_closed`` ranges), and
the unit's open dossiers (``desk.queue``); each is then classified from its
record. So a month's statistics cost what that month and the queue hold,
whatever the unit's history (docs/decisions/0028).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from core import periods
from core.clock import TIMEZONE, now
from core.i18n import _
from core.periods import Period
from plugins.onestop import statuses
from plugins.onestop.deadlines import timeliness
from plugins.onestop.desk import Desk, Record, month_of
from plugins.onestop.dossier import CHANNELS
from plugins.onestop.units import desk_of

#: The longest period asked, in days (five years and a leap day).
MAX_DAYS = 5 * 365 + 1
#: What is counted, in order: the JSON's keys, the table's columns.
KEYS = (
    "carried_over",
    "received",
    "received_online",
    "received_counter",
    "received_national",
    "finished",
    "finished_early",
    "finished_on_time",
    "finished_late",
    "in_progress",
    "in_progress_on_time",
    "in_progress_overdue",
    "returned",
    "withdrawn",
    "refused",
    "suspended",
)
#: The titles of :data:`KEYS`.
TITLES = {
    "carried_over": _("Kỳ trước chuyển sang"),
    "received": _("Tiếp nhận trong kỳ"),
    "received_online": _("Trực tuyến"),
    "received_counter": _("Trực tiếp"),
    "received_national": _("Từ Cổng DVC quốc gia"),
    "finished": _("Đã giải quyết"),
    "finished_early": _("Trước hạn"),
    "finished_on_time": _("Đúng hạn"),
    "finished_late": _("Quá hạn"),
    "in_progress": _("Đang giải quyết"),
    "in_progress_on_time": _("Trong hạn"),
    "in_progress_overdue": _("Quá hạn"),
    "returned": _("Đã trả kết quả"),
    "withdrawn": _("Công dân rút"),
    "refused": _("Không tiếp nhận"),
    "suspended": _("Dừng xử lý"),
}
CLOSED_KEYS = {
    statuses.RETURNED: "returned",
    statuses.WITHDRAWN: "withdrawn",
    statuses.REFUSED: "refused",
    statuses.SUSPENDED: "suspended",
}


def parse_period(first, last, today: date | None = None) -> Period:
    """The period of statistics (:func:`core.periods.parse_period`, at most five
    years)."""
    return periods.parse_period(first, last, MAX_DAYS, today)


@dataclass
class Counts:
    """The numbers of :data:`KEYS`."""

    values: Counter = field(default_factory=Counter)

    def __getitem__(self, key: str) -> int:
        return self.values[key]

    def add(self, key: str) -> None:
        self.values[key] += 1

    def __iadd__(self, other: Counts) -> Counts:
        self.values.update(other.values)
        return self

    @property
    def on_time_rate(self) -> float | None:
        """(early + on time) / finished, None when nothing was finished."""
        finished = self.values["finished"]
        if not finished:
            return None
        return (self.values["finished_early"] + self.values["finished_on_time"]) / finished

    def as_dict(self) -> dict:
        return {
            **{key: self.values[key] for key in KEYS},
            "on_time_rate": self.on_time_rate,
        }


@dataclass
class Ratings:
    """The applicants' ratings given in the period: how many, and the average
    score of each criterion (by its slug)."""

    count: int = 0
    sums: Counter = field(default_factory=Counter)
    counts: Counter = field(default_factory=Counter)

    def add(self, scores: dict) -> None:
        self.count += 1
        for slug, score in scores.items():
            self.sums[slug] += score
            self.counts[slug] += 1

    def averages(self) -> dict[str, float]:
        return {slug: round(self.sums[slug] / n, 2) for slug, n in self.counts.items() if n}


@dataclass
class DeskStatistics:
    """A desk's statistics for ``period``: ``total``, ``fields`` (field slug ->
    Counts) and ``procedures`` (procedure code -> Counts), ``ratings``."""

    unit: str
    period: Period
    total: Counts = field(default_factory=Counts)
    fields: dict[str, Counts] = field(default_factory=dict)
    procedures: dict[str, Counts] = field(default_factory=dict)
    ratings: Ratings = field(default_factory=Ratings)

    def add(self, record: Record, key: str) -> None:
        self.total.add(key)
        self.fields.setdefault(record.field, Counts()).add(key)
        self.procedures.setdefault(record.procedure_code, Counts()).add(key)

    def as_json(self, field_titles: dict, procedure_titles: dict) -> dict:
        return {
            "unit": self.unit,
            "from": self.period.first.isoformat(),
            "to": self.period.last.isoformat(),
            "total": self.total.as_dict(),
            "fields": [
                {"field": slug, "title": field_titles.get(slug, slug), **counts.as_dict()}
                for slug, counts in sorted(self.fields.items())
            ],
            "procedures": [
                {"procedure": code, "title": procedure_titles.get(code, code), **counts.as_dict()}
                for code, counts in sorted(self.procedures.items())
            ],
            "ratings": {"count": self.ratings.count, "averages": self.ratings.averages()},
        }


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _before(moment: datetime | None, limit: datetime) -> bool:
    return moment is not None and moment < limit


def _within(moment: datetime | None, start: datetime, end: datetime) -> bool:
    return moment is not None and start <= moment < end


def candidates(desk: Desk, period: Period) -> set[str]:
    """The codes whose records may count in ``period`` (see the module's cost)."""
    start, end = period.start, period.end
    month_start = datetime(start.year, start.month, 1, tzinfo=TIMEZONE)
    carried = getattr(desk, "carried", None)
    codes = set(carried.get(month_of(start), ())) if carried is not None else set()
    for tree, since in ((desk.by_received, month_start), (desk.by_closed, start)):
        codes.update(code for _when, code in tree.keys((_iso(since), ""), (_iso(end), "")))
    home = desk.unit_code
    codes.update(
        code for code, entry in desk.queue.items() if entry.home == home and not entry.origin
    )
    return codes


def _ended(record: Record) -> datetime | None:
    """When the unit's work on it ended: its result ready, else its closing."""
    return record.finished if record.finished is not None else record.closed


def _open_at(record: Record, moment: datetime) -> bool:
    return _before(record.received, moment) and not _before(_ended(record), moment)


def desk_statistics(desk: Desk, period: Period) -> DeskStatistics:
    """The statistics of ``desk`` for ``period`` (see the module's docstring)."""
    start, end = period.start, period.end
    at = min(end, now())
    stats = DeskStatistics(desk.unit_code, period)
    for code in candidates(desk, period):
        record = desk.records.get(code)
        if record is None:
            continue
        if _open_at(record, start):
            stats.add(record, "carried_over")
        if _within(record.received, start, end):
            stats.add(record, "received")
            if record.channel in CHANNELS:
                stats.add(record, f"received_{record.channel}")
        if _within(record.finished, start, end):
            stats.add(record, "finished")
            kind = timeliness(record.finished, record.due) if record.due is not None else "on_time"
            stats.add(record, f"finished_{kind}")
        if _within(record.closed, start, end) and record.status in CLOSED_KEYS:
            stats.add(record, CLOSED_KEYS[record.status])
        if _open_at(record, at):
            stats.add(record, "in_progress")
            entry = desk.queue.get(code) if at < end else None  # the period reaches now
            waiting = entry is not None and entry.status == statuses.SUPPLEMENT
            overdue = record.due is not None and record.due < at and not waiting
            stats.add(record, "in_progress_overdue" if overdue else "in_progress_on_time")
    ratings = getattr(desk, "ratings", None)
    if ratings is not None:
        for scores in ratings.values((_iso(start), ""), (_iso(end), "")):
            stats.ratings.add(scores)
    return stats


#: The unit code of the province's sum in :func:`province_statistics`.
PROVINCE = "*"


def province_statistics(site, period: Period) -> list[tuple[str, Counts]]:
    """Every desk's totals for ``period`` by unit code, then their sum under
    :data:`PROVINCE`: a report (the command line's), O(units), never a page
    (docs/decisions/0028)."""
    rows, total = [], Counts()
    for code in site.unit_codes.keys():
        desk = desk_of(site, code)
        if desk is not None:
            counts = desk_statistics(desk, period).total
            rows.append((code, counts))
            total += counts
    rows.append((PROVINCE, total))
    return rows
