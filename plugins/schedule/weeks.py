"""ISO weeks as the schedule names them: ``2025-W12`` (Monday to Sunday).

The current week is the one of :func:`core.clock.now` in the portal's time zone,
so a test that sets the clock sets the week shown by default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from core.clock import TIMEZONE, now

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, order=True)
class Week:
    """One ISO week: ``year`` and ``number`` (1 to 52 or 53)."""

    year: int
    number: int

    @property
    def key(self) -> str:
        """The week as URLs and storage name it: ``2025-W12``."""
        return f"{self.year:04d}-W{self.number:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def days(self) -> list[date]:
        """The seven dates of the week, Monday first."""
        monday = self.monday
        return [monday + timedelta(days=offset) for offset in range(7)]

    def previous(self) -> Week:
        return week_of(self.monday - timedelta(days=7))

    def next(self) -> Week:
        return week_of(self.monday + timedelta(days=7))


def week_of(day: date) -> Week:
    """The week ``day`` falls in."""
    year, number, _weekday = day.isocalendar()
    return Week(year, number)


def current_week() -> Week:
    """The week of today in the portal's time zone (:func:`core.clock.now`)."""
    return week_of(now().astimezone(TIMEZONE).date())


def parse_week(text: str) -> Week:
    """The week named ``text`` (``2025-W12``); ``ValueError`` when it names none."""
    found = WEEK_RE.match(text.strip()) if isinstance(text, str) else None
    if found is None:
        raise ValueError(text)
    year, number = int(found.group(1)), int(found.group(2))
    if year < 1900:
        raise ValueError(text)
    date.fromisocalendar(year, number, 1)  # ValueError for a week the year does not have
    return Week(year, number)
