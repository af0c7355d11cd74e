"""Fields the news types need beyond the kernel's: a date and time, and keywords."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from core.clock import TIMEZONE
from core.fields import Field, Invalid, as_text
from core.i18n import _


def local_datetime(value: date | datetime) -> datetime:
    """``value`` as an aware UTC datetime (zoneinfo zones do not pickle in ZODB): a
    naive one, or a date (at midnight), is taken as Vietnam time."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=TIMEZONE)
    else:
        aware = datetime.combine(value, time(), tzinfo=TIMEZONE)
    return aware.astimezone(UTC)


@dataclass(frozen=True)
class DateTime(Field):
    """A date and time (``YYYY-MM-DDTHH:MM``, Vietnam time unless an offset is
    given; a date alone means its midnight), stored as an aware UTC datetime."""

    widget: str = "datetime"
    factory = "Date/Time"

    def schema_details(self, request):
        return {"format": "date-time"}

    def convert(self, raw, source):
        if isinstance(raw, date):
            return local_datetime(raw)
        text = as_text(raw).strip().replace(" ", "T", 1)
        try:
            if len(text) == 10:
                return local_datetime(date.fromisoformat(text))
            return local_datetime(datetime.fromisoformat(text))
        except ValueError:
            raise Invalid(_("Thời điểm không hợp lệ (định dạng YYYY-MM-DD HH:MM).")) from None

    def serialize(self, obj):
        value = getattr(obj, self.name, None)
        return value.isoformat() if value else None


@dataclass(frozen=True)
class Keywords(Field):
    """Keywords separated by commas or lines, stored as a tuple (duplicates and
    blanks dropped, order kept)."""

    widget: str = "textarea"
    default: Any = ()
    max_count: int = 30
    max_length: int = 60
    json_type = "array"
    factory = "Tuple"

    def schema_details(self, request):
        return {
            "items": {"type": "string", "maxLength": self.max_length},
            "maxItems": self.max_count,
            "uniqueItems": True,
        }

    def convert(self, raw, source):
        items = raw if isinstance(raw, list | tuple) else re.split(r"[,\n;]", as_text(raw))
        found: list[str] = []
        seen: set[str] = set()
        for item in items:
            word = " ".join(as_text(item).split())
            if len(word) > self.max_length:
                raise Invalid(
                    _("Từ khóa quá dài: tối đa ${n} ký tự.", mapping={"n": self.max_length})
                )
            if word and word.casefold() not in seen:
                if len(found) == self.max_count:  # stop before reading a huge list to its end
                    raise Invalid(
                        _("Quá nhiều từ khóa: tối đa ${n}.", mapping={"n": self.max_count})
                    )
                seen.add(word.casefold())
                found.append(word)
        return tuple(found)

    def serialize(self, obj):
        return list(getattr(obj, self.name, None) or ())
