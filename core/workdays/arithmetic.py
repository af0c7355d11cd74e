"""Working time: add working days to a moment, count them between two moments, and
find the working session under way or next.

Working time is counted in sessions: a working day has two, the morning and the
afternoon (:mod:`core.workdays.hours`), and each is half a day whatever its length
on the clock. So:

- a moment inside a session stands at its share of that session: 09:30 is half of
  07:30–11:30;
- a moment outside office hours, or on a day off, stands at the start of the next
  working session: a dossier received at 17:45, on a Saturday or on a holiday is
  counted from the next morning (or afternoon) that is worked;
- adding ``n`` days moves ``2n`` sessions on and keeps the share: a whole number of
  days keeps the time of day (Monday 09:30 + 1 = Tuesday 09:30), a half day goes
  to the same share of the other session (09:30 + 0.5 = 15:15 with the default
  hours, half of 13:30–17:00; 15:15 + 0.5 = 09:30 the next working day);
- a due moment that falls where a session starts is the end of the session before
  it: from 07:30 Monday, 1 day is due at 17:00 Monday, not 07:30 Tuesday;
- counting is the inverse: the working days from ``start`` to
  ``add_working_days(calendar, start, n)`` are ``n``.

Moments are timezone-aware datetimes (a naive one is refused: it would be a guess);
results are in the portal's time zone. Each step walks one day at a time: adding a
year of working days looks at ~500 dates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Protocol

from core.clock import TIMEZONE
from core.workdays.hours import OfficeHours
from core.workdays.public_holidays import check_year

#: Sessions in a working day (a half day each).
SESSIONS_A_DAY = 2
_MICROSECOND = timedelta(microseconds=1)


class Calendar(Protocol):
    """What the arithmetic asks of a calendar (:class:`core.workdays.days.WorkingCalendar`)."""

    hours: OfficeHours

    def is_working_day(self, day: date) -> bool: ...


@dataclass(frozen=True)
class WorkingSession:
    """A session of a working day: from ``start`` to ``end`` (aware, local)."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class _Place:
    """Where a moment stands in working time: a working ``day``, the ``index`` of a
    session in it, and the ``share`` of that session gone (0 <= share < 1)."""

    day: date
    index: int
    share: Fraction


def _local(moment: datetime) -> datetime:
    """``moment`` in the portal's time zone; ValueError when it is naive."""
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise ValueError("working time is counted from timezone-aware datetimes only")
    check_year(moment.year)
    return moment.astimezone(TIMEZONE)


def half_days(days: int | float | Fraction | Decimal) -> int:
    """``days`` as a number of sessions (half days); ValueError unless ``days`` is
    a whole or half number, not negative."""
    if isinstance(days, bool) or not isinstance(days, int | float | Fraction | Decimal):
        raise TypeError("days must be a number")
    try:
        halves = Fraction(days) * SESSIONS_A_DAY
    except (ValueError, OverflowError):  # nan, infinity
        raise ValueError("days must be a finite number") from None
    if halves < 0 or halves.denominator != 1:
        raise ValueError("days must be a whole or half number, not negative")
    return int(halves)


def _next_working_day(calendar: Calendar, day: date) -> date:
    """The first working day after ``day``."""
    while True:
        day += timedelta(days=1)
        check_year(day.year)  # past the last year the calendar knows: no answer
        if calendar.is_working_day(day):
            return day


def _place(calendar: Calendar, moment: datetime) -> _Place:
    """Where ``moment`` stands (see the module's docstring)."""
    moment = _local(moment)
    day, clock = moment.date(), moment.time()
    if calendar.is_working_day(day):
        for index, session in enumerate(calendar.hours.sessions):
            if clock < session.start:
                return _Place(day, index, Fraction(0))
            if clock < session.end:
                gone = datetime.combine(day, clock) - datetime.combine(day, session.start)
                return _Place(
                    day, index, Fraction(gone // _MICROSECOND, session.length // _MICROSECOND)
                )
    return _Place(_next_working_day(calendar, day), 0, Fraction(0))


def _moment(calendar: Calendar, day: date, index: int, share: Fraction) -> datetime:
    """The moment at ``share`` of session ``index`` of ``day`` (a share of 1 is
    its end), to the microsecond after."""
    session = calendar.hours.sessions[index]
    gone = math.ceil(share * (session.length // _MICROSECOND))
    return datetime.combine(day, session.start, TIMEZONE) + timedelta(microseconds=gone)


def next_working_session(calendar: Calendar, moment: datetime) -> WorkingSession:
    """The working session under way at ``moment``, or else the next one to start:
    where the count of a deadline from ``moment`` begins."""
    place = _place(calendar, moment)
    session = calendar.hours.sessions[place.index]
    return WorkingSession(
        datetime.combine(place.day, session.start, TIMEZONE),
        datetime.combine(place.day, session.end, TIMEZONE),
    )


def add_working_days(
    calendar: Calendar, start: datetime, days: int | float | Fraction | Decimal
) -> datetime:
    """The moment ``days`` working days (whole or half) after ``start``, in the
    portal's time zone (see the module's docstring). With 0 days, the moment the
    count starts: ``start`` in office hours, else the start of the next session."""
    return add_working_time(calendar, start, Fraction(half_days(days), SESSIONS_A_DAY))


def add_working_time(calendar: Calendar, start: datetime, days: Fraction) -> datetime:
    """The moment exactly ``days`` working days after ``start``, ``days`` being any
    fraction not negative: what is left of a deadline when its clock stopped
    (:func:`working_days_between`) is added back with it when the clock restarts."""
    if not isinstance(days, int | Fraction) or isinstance(days, bool) or days < 0:
        raise ValueError("days must be a fraction, not negative")
    sessions = Fraction(days) * SESSIONS_A_DAY
    place = _place(calendar, start)
    if sessions == 0:
        return max(_local(start), _moment(calendar, place.day, place.index, Fraction(0)))
    position = place.index + place.share + sessions
    index = math.floor(position)
    share = position - index
    if share == 0:  # lands where a session starts: the end of the one before
        index, share = index - 1, Fraction(1)
    day = place.day
    while index >= SESSIONS_A_DAY:
        day = _next_working_day(calendar, day)
        index -= SESSIONS_A_DAY
    return _moment(calendar, day, index, share)


def working_days_between(calendar: Calendar, start: datetime, end: datetime) -> Fraction:
    """The working days from ``start`` to ``end``, exactly (a fraction of a session
    counts its share of half a day); negative when ``end`` comes first."""
    if _local(end) < _local(start):
        return -working_days_between(calendar, end, start)
    first, last = _place(calendar, start), _place(calendar, end)
    sessions = Fraction(last.index - first.index) + last.share - first.share
    day = first.day
    while day < last.day:
        day = _next_working_day(calendar, day)
        sessions += SESSIONS_A_DAY
    return sessions / SESSIONS_A_DAY
