"""Time for the content model: always timezone-aware UTC, shown in the portal's zone.

Everything that depends on the time of day (scheduled publishing, expiry, the
current week) asks :func:`now`, so tests can set the time with :func:`frozen`
instead of waiting for it. Times are stored in UTC; people read and write them in
:data:`TIMEZONE`, the portal's time zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

#: The portal's time zone: dates shown, dates typed in forms, calendar days.
TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")

_fixed: datetime | None = None


def now() -> datetime:
    """The current time, aware, in UTC (the frozen time inside :func:`frozen`)."""
    return _fixed if _fixed is not None else datetime.now(UTC)


def set_now(moment: datetime | None) -> None:
    """Make :func:`now` return ``moment`` (an aware datetime) from now on; None
    gives it back the real time. For tests and benchmarks only."""
    global _fixed
    if moment is not None and moment.tzinfo is None:
        raise ValueError("the clock takes aware datetimes only")
    _fixed = moment.astimezone(UTC) if moment is not None else None


@contextmanager
def frozen(moment: datetime) -> Iterator[None]:
    """``with frozen(moment):`` :func:`now` returns ``moment`` inside the block
    (move it with :func:`set_now`); the real time comes back after it."""
    set_now(moment)
    try:
        yield
    finally:
        set_now(None)
