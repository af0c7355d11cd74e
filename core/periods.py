"""Periods of days: what a report, a register or statistics cover, read from two
``YYYY-MM-DD`` texts (a query's ``from`` and ``to``).

::

    from core.periods import Period, PeriodError, parse_period

    period = parse_period(request.GET.get("from"), request.GET.get("to"), max_days=366)
    period.start, period.end   # the first moment, the moment after (Vietnam time)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from core.clock import TIMEZONE, now
from core.i18n import _


class PeriodError(ValueError):
    """A period that cannot be read: ``message`` says why (to show as a 400)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Period:
    """The days from ``first`` to ``last``, both included, in the portal's time
    zone (:data:`core.clock.TIMEZONE`)."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        """The first moment of the period."""
        return datetime.combine(self.first, time(), TIMEZONE)

    @property
    def end(self) -> datetime:
        """The moment after the period."""
        return datetime.combine(self.last + timedelta(days=1), time(), TIMEZONE)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def parse_period(first: object, last: object, max_days: int, today: date | None = None) -> Period:
    """The period of the ``YYYY-MM-DD`` texts ``first`` and ``last`` (by default
    the first day of this month and today); :class:`PeriodError` for a bad date, a
    start after the end, or a period of more than ``max_days`` days."""
    today = today or now().astimezone(TIMEZONE).date()
    days = []
    for text, default in ((first, today.replace(day=1)), (last, today)):
        if text in (None, ""):
            days.append(default)
            continue
        try:
            if not isinstance(text, str) or len(text) != 10:
                raise ValueError
            days.append(date.fromisoformat(text))
        except ValueError:
            raise PeriodError(_("Ngày phải viết theo dạng YYYY-MM-DD.")) from None
    period = Period(*days)
    if period.first > period.last:
        raise PeriodError(_("Ngày bắt đầu phải trước ngày kết thúc."))
    if period.days > max_days:
        raise PeriodError(_("Một kỳ dài nhất là ${n} ngày.", mapping={"n": max_days}))
    return period
