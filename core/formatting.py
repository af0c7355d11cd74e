"""Dates, times and sizes as people read them, and times as HTML's ``datetime``
attributes want them. Dates are shown in the portal's time zone
(:data:`core.clock.TIMEZONE`)."""

from __future__ import annotations

from datetime import date, datetime

from core.clock import TIMEZONE
from core.i18n import _

DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%H:%M %d/%m/%Y"


def local_date(value: date | datetime | None, with_time: bool = False) -> str:
    """A date (or time) as Vietnamese people write it, in the portal's time zone."""
    if not value:
        return ""
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(TIMEZONE)
    return value.strftime(DATETIME_FORMAT if with_time else DATE_FORMAT)


def written_date(value: date | datetime | None) -> str:
    """A date as administrative documents write it (Decree 30/2020/ND-CP), in the
    portal's time zone: ``ngày 04 tháng 3 năm 2025``, ``ngày 15 tháng 02 năm 2025``
    (a 0 before days below 10 and before months 1 and 2)."""
    if not value:
        return ""
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(TIMEZONE)
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def machine_time(value: date | datetime | None) -> str:
    """``value`` as a ``datetime`` attribute wants it: ISO 8601, to the second, a
    date-time in the portal's time zone (HTML allows at most three digits of a
    fraction of a second, and Python's ``isoformat`` writes six)."""
    if not value:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(TIMEZONE)
        value = value.replace(microsecond=0)
    return value.isoformat()


def human_size(size: int, request) -> str:
    """A byte count for people: ``850 byte``, ``12,3 KB``, ``4,5 MB`` (Vietnamese commas)."""
    if size < 1024:
        return request.localizer.translate(_("${n} byte", mapping={"n": size}))
    value = float(size)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            break
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    if request.locale_name == "vi":
        text = text.replace(".", ",")
    return f"{text} {unit}"
