"""Typed query parameters: how views read numbers, choices and lists from a request.

The query string is already known to be UTF-8 when a view runs (the decoding tween
of :mod:`core.tweens` answers 400 otherwise); what it holds is still whatever a
visitor or a client typed. Views read it through these functions, which answer a
value of the asked type within its bounds, or raise :class:`BadParameter`: a
``400`` whose message (Vietnamese, translated) names the parameter and what it
must be. The error views show it as a page or as the API's JSON error.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from pyramid.httpexceptions import HTTPBadRequest
from pyramid.i18n import TranslationString

from core.i18n import _

#: Digits of the largest number a parameter may hold (more is refused before
#: ``int`` is asked, which itself refuses more than 4,300 digits).
MAX_DIGITS = 15
#: Values of a repeatable parameter read at most.
MAX_VALUES = 50
_INTEGER_RE = re.compile(r"[+-]?\d+")


class BadParameter(HTTPBadRequest):
    """A query parameter that cannot be read: a 400 with ``message``."""

    def __init__(self, message: TranslationString):
        super().__init__(str(message))
        self.message = message


def _values(request, name: str) -> list[str]:
    params = request.GET
    return [v for v in params.getall(name)[:MAX_VALUES] if isinstance(v, str)]


def text(request, name: str, default: str = "") -> str:
    """The one value of ``name`` with its surrounding spaces removed (``default``
    when absent or blank); :class:`BadParameter` when it is given more than once."""
    values = _values(request, name)
    if len(values) > 1:
        raise BadParameter(
            _("Tham số “${name}” chỉ được có một giá trị.", mapping={"name": name[:40]})
        )
    value = values[0].strip() if values else ""
    return value or default


def integer(
    request,
    name: str,
    default: int,
    minimum: int | None = None,
    maximum: int | None = None,
    clamp: bool = False,
) -> int:
    """Parameter ``name`` as a whole number between ``minimum`` and ``maximum``
    (``default`` when absent or blank).

    A value that is not a whole number, or has more than :data:`MAX_DIGITS` digits,
    raises :class:`BadParameter`; so does one outside the bounds, unless ``clamp``
    brings it within them (a page size above the largest is the largest).
    """
    return integer_of(text(request, name), name, default, minimum, maximum, clamp)


def integer_of(
    raw: str,
    name: str,
    default: int,
    minimum: int | None = None,
    maximum: int | None = None,
    clamp: bool = False,
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
    low = minimum if minimum is not None else number
    high = maximum if maximum is not None else number
    if low <= number <= high:
        return number
    if clamp:
        return min(max(number, low), high)
    mapping = {"name": name[:40], "minimum": minimum, "maximum": maximum}
    if maximum is None:
        message = _("Tham số “${name}” phải từ ${minimum} trở lên.", mapping=mapping)
    elif minimum is None:
        message = _("Tham số “${name}” phải từ ${maximum} trở xuống.", mapping=mapping)
    else:
        message = _(
            "Tham số “${name}” phải là một số từ ${minimum} đến ${maximum}.", mapping=mapping
        )
    raise BadParameter(message)


def choice(request, name: str, choices: Collection[str], default: str = "") -> str:
    """Parameter ``name``, one of ``choices`` (``default`` when absent or blank);
    :class:`BadParameter` for any other value."""
    raw = text(request, name)
    if not raw:
        return default
    if raw not in choices:
        raise BadParameter(
            _(
                "Tham số “${name}” phải là một trong: ${choices}.",
                mapping={"name": name[:40], "choices": ", ".join(sorted(choices))},
            )
        )
    return raw


def values(request, name: str, limit: int = MAX_VALUES) -> list[str]:
    """The distinct non-blank values of a repeatable parameter (``?a=1&a=2``, or
    ``?a=1,2``), in order; :class:`BadParameter` when there are more than ``limit``."""
    found: list[str] = []
    for raw in _values(request, name):
        for value in raw.split(","):
            value = value.strip()
            if value and value not in found:
                found.append(value)
    if len(found) > limit:
        raise BadParameter(
            _(
                "Tham số “${name}” có tối đa ${limit} giá trị.",
                mapping={"name": name[:40], "limit": limit},
            )
        )
    return found
