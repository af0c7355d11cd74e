"""The weekly schedule: one list of entries per ISO week, edited a week at a time.

A :class:`WeeklySchedule` is a folder (so it is a section of its unit's site, in the
menu, with the publication workflow) that keeps ``weeks``: an ``OOBTree`` mapping a
week's key (``2025-W12``) to the tuple of that week's :class:`Entry`, sorted by
day and time. Saving a week replaces its tuple as a whole, after every row has
been checked: a week is never stored half-edited.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date

from BTrees.OOBTree import OOBTree
from zope.interface import implementer

from core import events
from core.clock import now
from core.content import Folder
from core.i18n import _
from core.operations import require
from core.permissions import EDIT
from plugins.schedule.interfaces import IWeeklySchedule
from plugins.schedule.weeks import Week

TYPE_NAME = "WeeklySchedule"
#: The rows one week may hold (a form posting more is refused).
MAX_ROWS = 100
#: The text fields of a row and their longest accepted length.
LIMITS = {"content": 2000, "leader": 200, "participants": 1000, "location": 300}
#: What a row holds, in the order the form shows it.
ROW_FIELDS = ("day", "time", *LIMITS)
TIME_RE = re.compile(r"^(\d{1,2})\s*[:hHgG]\s*(\d{2})?$")


@dataclass(frozen=True)
class Entry:
    """One line of the schedule: on ``day`` at ``time`` (``HH:MM``, or empty for the
    whole day), ``leader`` chairs ``content`` with ``participants`` at ``location``."""

    day: date
    time: str
    content: str
    leader: str
    participants: str = ""
    location: str = ""

    def as_json(self) -> dict:
        """The entry with its day as ISO 8601 text."""
        values = asdict(self)
        values["day"] = self.day.isoformat()
        return values


@implementer(IWeeklySchedule)
class WeeklySchedule(Folder):
    """A unit's leaders' work schedule, week by week."""

    type_name = TYPE_NAME

    def __init__(self, **values):
        super().__init__(**values)
        self.weeks = OOBTree()

    def entries(self, week: Week) -> tuple[Entry, ...]:
        """The entries of ``week``, by day and time (empty when none was set)."""
        return self.weeks.get(week.key, ())


class RowErrors(ValueError):
    """Rows that were refused: ``errors`` maps a row's index to its messages by
    field; ``message`` is a problem of the whole week (too many rows), or None."""

    def __init__(self, errors: dict[int, dict[str, str]], message=None):
        super().__init__(errors, message)
        self.errors = errors
        self.message = message


def normalise_time(text: str) -> str | None:
    """``7:30``, ``07h30``, ``7g`` as ``07:30``/``07:00``; '' stays ''; None if invalid."""
    text = text.strip()
    if not text:
        return ""
    found = TIME_RE.match(text)
    if found is None:
        return None
    hours, minutes = int(found.group(1)), int(found.group(2) or 0)
    if hours > 23 or minutes > 59:
        return None
    return f"{hours:02d}:{minutes:02d}"


def is_blank(row: Mapping) -> bool:
    """A row where nothing was typed (the day alone does not count)."""
    return not any(str(row.get(name) or "").strip() for name in ("time", *LIMITS))


def parse_rows(week: Week, rows: Iterable[Mapping]) -> list[Entry]:
    """The entries of ``rows`` (dicts of :data:`ROW_FIELDS`, as text); blank rows are
    skipped. Raise :class:`RowErrors` naming every refused value of every row."""
    days = {day.isoformat(): day for day in week.days()}
    entries: list[Entry] = []
    errors: dict[int, dict[str, str]] = {}
    rows = list(rows)
    if len(rows) > MAX_ROWS:
        raise RowErrors({}, _("Một tuần có tối đa ${count} dòng.", mapping={"count": MAX_ROWS}))
    for index, row in enumerate(rows):
        values = {name: str(row.get(name) or "").strip() for name in ROW_FIELDS}
        if is_blank(values):
            continue
        problems = {}
        day = days.get(values["day"])
        if day is None:
            problems["day"] = _("Chọn một ngày trong tuần.")
        time = normalise_time(values["time"])
        if time is None:
            problems["time"] = _("Giờ phải có dạng giờ:phút, ví dụ 07:30.")
        if not values["content"]:
            problems["content"] = _("Nhập nội dung công việc.")
        if not values["leader"]:
            problems["leader"] = _("Nhập lãnh đạo chủ trì.")
        for name, limit in LIMITS.items():
            if len(values[name]) > limit:
                problems[name] = _("Tối đa ${count} ký tự.", mapping={"count": limit})
        if problems:
            errors[index] = problems
            continue
        entries.append(
            Entry(
                day=day,
                time=time,
                content=values["content"],
                leader=values["leader"],
                participants=values["participants"],
                location=values["location"],
            )
        )
    if errors:
        raise RowErrors(errors)
    return entries


def save_week(request, schedule: WeeklySchedule, week: Week, rows: Iterable[Mapping]):
    """Replace ``week``'s entries of ``schedule`` by those of ``rows`` (requires the
    ``edit`` permission); nothing is stored when a row is refused (:class:`RowErrors`).
    Returns the entries stored."""
    require(request, EDIT, schedule)
    entries = sorted(parse_rows(week, rows), key=lambda e: (e.day, e.time))
    if entries:
        schedule.weeks[week.key] = tuple(entries)
    elif week.key in schedule.weeks:
        del schedule.weeks[week.key]
    schedule.modified = now()
    events.object_modified(request, schedule, ("weeks",))
    return tuple(entries)
