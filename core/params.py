"""Typed query parameters: how views read numbers from a request's query string.

The query string is already known to be UTF-8 when a view runs (the decoding tween
of :mod:`core.tweens` answers 400 otherwise); what it holds is still whatever a
visitor or a client typed. Views read it through these functions, which answer a
value of the asked type within its bounds, or raise :class:`BadParameter`: a
``400`` whose message (Vietnamese, translated) names the parameter and what it
must be. The error views show it as a page or as the API's JSON error.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

from pyramid.httpexceptions import HTTPBadRequest
from pyramid.i18n import TranslationString

from core.i18n import _

#: Digits of the largest number a parameter may hold (more is refused before
#: ``int`` is asked, which itself refuses more than 4,300 digits).
MAX_DIGITS = 15
_INTEGER_RE = re.compile(r"[+-]?\d+")
_DECIMAL_RE = re.compile(r"[+-]?[0-9]{1,15}(\.[0-9]{1,15})?")
#: Characters of a date and time at most (``2026-02-13T09:30:00.000000+07:00`` has 32).
MAX_MOMENT_CHARS = 40


class BadParameter(HTTPBadRequest):
    """A query parameter that cannot be read: a 400 with ``message``."""

    def __init__(self, message: TranslationString):
        super().__init__(str(message))
        self.message = message


def text(request, name: str, default: str = "") -> str:
    """The one value of ``name`` with its surrounding spaces removed (``default``
    when absent or blank); :class:`BadParameter` when it is given more than once."""
    values = request.GET.getall(name)[:2]
    if len(values) > 1:
        raise BadParameter(
            _("Tham số “${name}” chỉ được có một giá trị.", mapping={"name": name[:40]})
        )
    value = values[0].strip() if values else ""
    return value or default


def integer(
    request, name: str, default: int, minimum: int, maximum: int, clamp: bool = False
) -> int:
    """Parameter ``name`` as a whole number from ``minimum`` to ``maximum``
    (``default`` when absent or blank).

    A value that is not a whole number, has more than :data:`MAX_DIGITS` digits or
    is given twice raises :class:`BadParameter`; so does one outside the bounds,
    unless ``clamp`` brings it within them (a page size above the largest is the
    largest).
    """
    return integer_of(text(request, name), name, default, minimum, maximum, clamp)


def integer_of(
    raw: str, name: str, default: int, minimum: int, maximum: int, clamp: bool = False
) -> int:
    """:func:`integer` of the text ``raw`` of parameter ``name`` (already read)."""
    raw = raw.strip()
    if not raw:
        return default
    if not _INTEGER_RE.fullmatch(raw) or len(raw.lstrip("+-")) > MAX_DIGITS:
        raise BadParameter(
            _("Tham số “${name}” phải là một số nguyên.", mapping={"name": name[:40]})
        )
    number = int(raw)
    if minimum <= number <= maximum:
        return number
    if clamp:
        return min(max(number, minimum), maximum)
    raise BadParameter(
        _(
            "Tham số “${name}” phải là một số từ ${minimum} đến ${maximum}.",
            mapping={"name": name[:40], "minimum": minimum, "maximum": maximum},
        )
    )


def moment(request, name: str) -> datetime:
    """Parameter ``name`` as a timezone-aware datetime, written in ISO 8601 with its
    offset (``2026-02-13T09:30:00+07:00``, or ``Z`` for UTC).

    :class:`BadParameter` when it is absent, is no date and time, or has no offset:
    a time without one would be a guess.
    """
    raw = text(request, name)
    if not raw:
        raise BadParameter(_("Thiếu tham số “${name}”.", mapping={"name": name[:40]}))
    try:
        value = datetime.fromisoformat(raw) if len(raw) <= MAX_MOMENT_CHARS else None
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise BadParameter(
            _(
                "Tham số “${name}” phải là ngày giờ ISO 8601 có múi giờ, "
                "ví dụ 2026-02-13T09:30:00+07:00.",
                mapping={"name": name[:40]},
            )
        )
    return value


def decimal(request, name: str, minimum: Decimal, maximum: Decimal) -> Decimal:
    """Parameter ``name`` as a decimal number (``3``, ``2.5``) from ``minimum`` to
    ``maximum``; :class:`BadParameter` when it is absent, no such number, or out
    of bounds."""
    raw = text(request, name)
    if not raw:
        raise BadParameter(_("Thiếu tham số “${name}”.", mapping={"name": name[:40]}))
    if not _DECIMAL_RE.fullmatch(raw):
        raise BadParameter(
            _("Tham số “${name}” phải là một số, ví dụ 2.5.", mapping={"name": name[:40]})
        )
    number = Decimal(raw)
    if minimum <= number <= maximum:
        return number
    raise BadParameter(
        _(
            "Tham số “${name}” phải là một số từ ${minimum} đến ${maximum}.",
            mapping={"name": name[:40], "minimum": minimum, "maximum": maximum},
        )
    )
