"""Which days are working days, and why.

A date is, in this order of precedence:

1. what the site's Managers said of it (:mod:`core.workdays.kept`): a day off
   (an extra day off, "Nghỉ bù Tết"), or a working day (a make-up Saturday, or a
   holiday of the package that is not one this year);
2. a public holiday of the ``holidays`` package (:mod:`core.workdays.public_holidays`):
   a day off;
3. a Saturday or Sunday the package knows to be a make-up working day: a working day;
4. a working day of the week in the office hours (Monday to Friday by default), or
   else a weekly day off.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from pyramid.i18n import TranslationString

from core.i18n import _
from core.workdays.hours import OfficeHours
from core.workdays.public_holidays import holidays_of, makeup_days_of

#: Where a day's status comes from (:attr:`Day.source`).
KEPT = "kept"
HOLIDAY = "holiday"
MAKEUP = "makeup"
WEEKLY_REST = "weekly-rest"
WEEKDAY = "weekday"


@dataclass(frozen=True, order=True)
class KeptDay:
    """What the site's Managers said of a date: ``working`` or not, and why.

    Ordered, so that a B-tree bucket holding kept days can merge two transactions
    keeping different days (it compares the values it keeps; see decision 0016)."""

    working: bool
    note: str = ""


@dataclass(frozen=True)
class Day:
    """A date of the calendar: whether it is a ``working`` day and what decides it
    (``source``: one of :data:`KEPT`, :data:`HOLIDAY`, :data:`MAKEUP`,
    :data:`WEEKLY_REST`, :data:`WEEKDAY`), with the package's name of the holiday
    on that date (even when the site overrides it) and the site's note."""

    date: date
    working: bool
    source: str
    holiday: str = ""
    note: str = ""


@dataclass(frozen=True)
class WorkingCalendar:
    """The calendar the arithmetic counts with: office hours, and the days the site
    keeps (a mapping of date to :class:`KeptDay`, such as the site's stored
    calendar, read as it is asked)."""

    hours: OfficeHours
    kept: Mapping[date, KeptDay] = field(default_factory=dict)

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day (see the module's order of precedence)."""
        kept = self.kept.get(day)
        if kept is not None:
            return kept.working
        if day in holidays_of(day.year):
            return False
        if day in makeup_days_of(day.year):
            return True
        return day.isoweekday() in self.hours.weekdays

    def day(self, day: date, language: str = "vi") -> Day:
        """``day`` with what decides it; holiday names in ``language``."""
        holiday = holidays_of(day.year, language).get(day, "")
        kept = self.kept.get(day)
        if kept is not None:
            return Day(day, kept.working, KEPT, holiday, kept.note)
        if holiday:
            return Day(day, False, HOLIDAY, holiday)
        if day in makeup_days_of(day.year):
            return Day(day, True, MAKEUP)
        weekday = day.isoweekday() in self.hours.weekdays
        return Day(day, weekday, WEEKDAY if weekday else WEEKLY_REST)

    def days(self, first: date, last: date, language: str = "vi") -> Iterator[Day]:
        """Each day from ``first`` to ``last`` (both included)."""
        for offset in range((last - first).days + 1):
            yield self.day(first + timedelta(days=offset), language)

    def notable_days(self, year: int, language: str = "vi") -> list[Day]:
        """The days of ``year`` that are not what their weekday says: the public
        holidays, the make-up days and the days the site keeps, in date order."""
        dates = set(holidays_of(year, language)) | makeup_days_of(year)
        dates |= {d for d in self.kept if d.year == year}  # a few dozen a year
        return [self.day(d, language) for d in sorted(dates)]


#: What a day is, when nothing more telling is known.
LABELS = {
    MAKEUP: _("Ngày làm việc bù"),
    WEEKLY_REST: _("Nghỉ hằng tuần"),
    WEEKDAY: _("Ngày làm việc"),
}


def describe(day: Day) -> str | TranslationString:
    """What to call ``day``: the site's note, else the holiday's name, else what
    it is (a make-up working day, a weekly day off, a working day)."""
    if day.note:
        return day.note
    if day.holiday and not day.working:
        return day.holiday
    if day.source == KEPT:
        return _("Ngày làm việc") if day.working else _("Ngày nghỉ")
    return LABELS[day.source]
