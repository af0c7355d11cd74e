"""Browsing the catalog: what a browse page, an export and ``@services`` ask.

A :class:`Browse` is read from the query string (:meth:`Browse.from_params`):
``q`` (text, accent-insensitive through the full-text backend), ``field`` (a
field's slug), ``tier``, ``level`` (1 to 4), ``online`` (``toan-trinh``,
``mot-phan``), ``agency`` (the implementing agency's name), ``b_start`` and
``b_size``. A value that cannot be one of these raises :class:`BrowseError` (the
views answer 400 with its message). :meth:`Browse.run` asks the catalog once, for
the procedures a unit shows (:func:`plugins.services.units.unit_filter`) or, on
the portal, all of them, with the counts of every filter's values: no procedure
is loaded, whatever the number of units or procedures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import catalog
from catalog import Results
from core.batching import MAX_SIZE, MAX_START
from core.i18n import _
from core.names import NAME_RE
from core.params import BadParameter, integer_of
from plugins.services.catalog_fields import AGENCY, FIELD, LEVEL, TIER
from plugins.services.catalog_fields import ONLINE as ONLINE_FIELD
from plugins.services.content import LEVELS, ONLINE, SERVICE, TIERS
from plugins.services.units import unit_filter
from plugins.services.vocabulary import field_label

#: Procedures a browse page shows by default.
PAGE_SIZE = 25
#: Characters of ``q`` and ``agency`` kept.
MAX_TEXT = 200
#: The filters of a browse: parameter -> catalog field.
FILTERS = {"field": FIELD, "tier": TIER, "level": LEVEL, "online": ONLINE_FIELD, "agency": AGENCY}

#: Each filter's value when it is not chosen.
UNCHOSEN = {"field": "", "tier": "", "level": None, "online": "", "agency": ""}


class BrowseError(ValueError):
    """A browse parameter that cannot be read; ``message`` says which and why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _one(params: Mapping, name: str) -> str:
    getall = getattr(params, "getall", None)
    values = getall(name) if getall is not None else [params[name]] if name in params else []
    if len(values) > 1:
        raise BrowseError(_("Tham số “${name}” chỉ được có một giá trị.", mapping={"name": name}))
    value = values[0] if values else ""
    if not isinstance(value, str):
        raise BrowseError(_("Tham số “${name}” không hợp lệ.", mapping={"name": name}))
    return " ".join(value.split())


def _number(params: Mapping, name: str, default: int, low: int, high: int, clamp=False) -> int:
    """Parameter ``name`` as a number from ``low`` to ``high`` (:func:`integer_of`)."""
    try:
        return integer_of(_one(params, name), name, default, low, high, clamp)
    except BadParameter as exc:
        raise BrowseError(exc.message) from None


@dataclass(frozen=True)
class Browse:
    """One browse of the catalog: its text, filters and page."""

    text: str = ""
    field: str = ""
    tier: str = ""
    level: int | None = None
    online: str = ""
    agency: str = ""
    start: int = 0
    size: int = PAGE_SIZE

    @classmethod
    def from_params(cls, params: Mapping, size: int = PAGE_SIZE) -> Browse:
        """The browse a query string asks for (:class:`BrowseError` if it cannot be)."""
        text = _one(params, "q")[:MAX_TEXT]
        field = _one(params, "field")
        if field and not NAME_RE.match(field):
            raise BrowseError(_("Lĩnh vực không hợp lệ."))
        tier = _one(params, "tier")
        if tier and tier not in dict(TIERS):
            raise BrowseError(_("Cấp thực hiện không hợp lệ."))
        level_text = _one(params, "level")
        if level_text and level_text not in {str(value) for value, _label in LEVELS}:
            raise BrowseError(_("Mức độ phải là 1, 2, 3 hoặc 4."))
        online = _one(params, "online")
        if online and online not in dict(ONLINE):
            raise BrowseError(_("Hình thức trực tuyến không hợp lệ."))
        return cls(
            text=text,
            field=field,
            tier=tier,
            level=int(level_text) if level_text else None,
            online=online,
            agency=_one(params, "agency")[:MAX_TEXT],
            start=_number(params, "b_start", 0, 0, MAX_START),
            size=_number(params, "b_size", size, 1, MAX_SIZE, clamp=True),
        )

    def filters(self) -> dict:
        """The chosen filters: parameter -> value."""
        chosen = {name: getattr(self, name) for name in FILTERS}
        return {name: value for name, value in chosen.items() if value not in ("", None)}

    def without(self, name: str) -> Browse:
        """The same browse without filter ``name`` (from its first page)."""
        return replace(self, **{name: UNCHOSEN[name]}, start=0)

    def run(self, request, subsite=None, facets: bool = True) -> Results:
        """The page of procedures ``subsite`` shows (all on the portal) that match,
        sorted by name (by relevance with a text), with each filter's counts."""
        fields = dict(unit_filter(subsite))
        fields.update({FILTERS[name]: value for name, value in self.filters().items()})
        return catalog.search(
            request,
            text=self.text or None,
            types=(SERVICE,),
            fields=fields,
            sort_on=None if self.text else "sortable_title",
            sort_order="descending" if self.text else "ascending",
            start=self.start,
            size=self.size,
            facets=tuple(FILTERS.values()) if facets else (),
        )


def browse_key(browse: Browse) -> str:
    """A text naming ``browse`` whole (its text, filters and page), to key what is
    shared of its results."""
    filters = "&".join(f"{name}={value}" for name, value in sorted(browse.filters().items()))
    return f"{browse.text}|{filters}|{browse.start}|{browse.size}"


def value_label(request, name: str, value: str) -> str:
    """What people read for ``value`` of filter ``name`` (facet keys are strings)."""
    translate = request.localizer.translate
    if name == "field":
        return field_label(request.root, value) or value
    if name == "level":
        return translate(dict((str(v), label) for v, label in LEVELS).get(value, value))
    if name == "tier":
        return translate(dict(TIERS).get(value, value))
    if name == "online":
        return translate(dict(ONLINE).get(value, value))
    return value
