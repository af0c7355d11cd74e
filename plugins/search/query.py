"""Reading a search from the query string, safely.

Both the results page (``@@search``) and the JSON API (``@search``) read their
parameters here. Text is cleaned and cut to :data:`MAX_TEXT_LENGTH`, an unknown
sort of the results page falls back to the default and unknown facet names are
dropped; numbers are read with :mod:`core.params`, so one that is not a number (or a
``b_start`` out of bounds) answers 400 with a message naming it, and a page size is
clamped. The API's sorts and date ranges are refused when wrong
(:mod:`plugins.search.apiparams`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date

from pyramid.traversal import resource_path

import catalog
from catalog.fields import get_catalog_fields
from core import params as typed
from core.api.typealiases import resolve_type
from core.batching import MAX_SIZE, batch_params
from plugins.search.apiparams import read_date_ranges, read_sort

#: Characters of the search text kept (a longer text is cut, and the page says so).
MAX_TEXT_LENGTH = 250
#: Values kept of a repeatable parameter (``portal_type``, ``review_state``...).
MAX_VALUES = 20
#: Characters kept of one value of such a parameter.
MAX_VALUE_LENGTH = 200
#: Results per page of the results page.
PAGE_SIZE = 20
#: Largest page the results page shows (``b_size``).
MAX_PAGE_SIZE = 100
#: Results per page of ``@search`` (plone.restapi's default).
API_PAGE_SIZE = 25
#: Earliest and latest years a ``year`` filter may name.
YEARS = (1900, 2200)

#: Sorts of the results page: name -> (catalog sort_on, sort_order).
PAGE_SORTS = {
    "relevance": ("relevance", "descending"),
    "newest": ("effective", "descending"),
}
#: Facets of the results page; plugin catalog fields come after them.
PAGE_FACETS = ("type_name", "subsite", "year")
#: Facets of the kernel's indexes ``@search`` counts (those the catalog counts);
#: plugin catalog fields too.
API_FACETS = catalog.FACETS
#: plone.restapi's index names clients may use for a facet.
FACET_ALIASES = {"portal_type": "type_name", "review_state": "state"}


def clean_text(value: str) -> str:
    """``value`` without control characters, its runs of spaces made single, trimmed."""
    kept = (
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch.isspace() else ch
        for ch in value
    )
    return " ".join("".join(kept).split())


def first(params, name: str) -> str:
    """The first value of parameter ``name`` (an empty string when absent)."""
    values = params.getall(name)
    return values[0] if values else ""


def all_values(params, name: str) -> tuple[str, ...]:
    """The distinct, non-empty values of a repeatable parameter, cleaned and bounded."""
    found: list[str] = []
    for raw in params.getall(name)[: MAX_VALUES * 2]:
        value = clean_text(raw)[:MAX_VALUE_LENGTH]
        if value and value not in found:
            found.append(value)
    return tuple(found[:MAX_VALUES])


def year_of(value: str) -> int | None:
    """A year (``"2024"``) within :data:`YEARS`, or None."""
    value = value.strip()
    if len(value) != 4 or not value.isdigit():
        return None
    year = int(value)
    return year if YEARS[0] <= year <= YEARS[1] else None


def facet_fields(registry) -> dict:
    """Plugin catalog fields offered as facets (never dates), by name."""
    fields = get_catalog_fields(registry)
    return {name: f for name, f in fields.items() if f.facet and f.kind != "date"}


def normalize_path(value: str) -> str | None:
    """An absolute object path (``/so-tnmt/tin-tuc``, ``/`` for the site) from a
    client's ``path.query``; None when it is empty."""
    if not value.strip():
        return None
    return "/" + "/".join(s for s in value.strip().split("/") if s and s != ".")


def site_path(request, path: str | None) -> str | None:
    """A client's path as a path in the portal: on a subsite's host, paths start at
    the subsite (its virtual root), as every URL there does."""
    if path is None:
        return None
    root = resource_path(request.virtual_root)
    if root in ("", "/"):
        return path
    return root.rstrip("/") + (path if path != "/" else "")


@dataclass(frozen=True)
class SearchQuery:
    """One search, ready for :func:`catalog.search`."""

    text: str = ""
    truncated: bool = False
    types: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    path: str | None = None
    depth: int | None = None
    subsite: str | None = None
    year: int | None = None
    date_ranges: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)
    sort_on: str | None = None
    sort_order: str = "descending"
    start: int = 0
    size: int = PAGE_SIZE
    facets: tuple[str, ...] = ()

    def run(self, request) -> catalog.Results:
        """The results the requester may see."""
        date_ranges = dict(self.date_ranges)
        if self.year is not None:
            date_ranges["effective"] = (date(self.year, 1, 1), date(self.year, 12, 31))
        return catalog.search(
            request,
            text=self.text or None,
            path=self.path,
            depth=self.depth,
            types=self.types,
            states=self.states,
            subsite=self.subsite,
            date_ranges=date_ranges or None,
            fields=self.fields or None,
            sort_on=self.sort_on,
            sort_order=self.sort_order,
            start=self.start,
            size=self.size,
            facets=self.facets,
        )


def read_text(params, name: str) -> tuple[str, bool]:
    """The search text of parameter ``name`` and whether it was cut."""
    text = clean_text(first(params, name))
    if len(text) > MAX_TEXT_LENGTH:
        return text[:MAX_TEXT_LENGTH].rstrip(), True
    return text, False


def read_field_filters(params, registry) -> dict:
    """Filters on plugin catalog fields named as parameters (``?linh_vuc=Đất đai``),
    or by their Plone names (``?Subject=...`` for tags)."""
    filters = {}
    for name, f in facet_fields(registry).items():
        values = ()
        for param in (name, *f.aliases):
            values = values or all_values(params, param) or all_values(params, param + ":list")
        if values:
            filters[name] = values if f.kind == "keyword" else values[0]
    return filters


def page_query(request, nav_root, scope: str) -> SearchQuery:
    """The search of the results page (``@@search``) from its query string.

    ``scope`` is ``"local"`` (the navigation root's subtree) or ``"all"``.
    """
    params = request.GET
    text, truncated = read_text(params, "SearchableText")
    sort_on, sort_order = PAGE_SORTS.get(
        first(params, "sort_on"), PAGE_SORTS["relevance" if text else "newest"]
    )
    subsite = None
    if "subsite" in params:  # a subsite's path; empty (or "/") for the portal itself
        subsite = normalize_path(first(params, "subsite")) or ""
        subsite = "" if subsite == "/" else subsite
    facets = PAGE_FACETS + tuple(facet_fields(request.registry))
    start, size = batch_params(request, PAGE_SIZE, MAX_PAGE_SIZE)
    return SearchQuery(
        text=text,
        truncated=truncated,
        types=all_values(params, "portal_type")[:1],
        path=resource_path(nav_root) if scope == "local" and nav_root.__parent__ else None,
        subsite=subsite,
        year=year_of(first(params, "year")),
        fields=read_field_filters(params, request.registry),
        sort_on=sort_on if text or sort_on != "relevance" else None,
        sort_order=sort_order,
        start=start,
        size=size,
        facets=facets,
    )


def api_facets(params, registry) -> dict[str, str]:
    """The facets ``@search`` was asked for: client name -> catalog facet name."""
    known = set(API_FACETS) | set(facet_fields(registry))
    asked = {}
    for raw in params.getall("facets")[:MAX_VALUES]:
        for name in raw.split(","):
            name = name.strip()
            canonical = FACET_ALIASES.get(name, name)
            if canonical in known:
                asked[name] = canonical
    return asked


def api_query(request, context) -> SearchQuery:
    """The search of ``@search`` from plone.restapi's parameters; the context's
    subtree unless ``path.query`` names another. Raise
    :class:`core.api.errors.ApiError` (400) for a sort or a date range that is wrong
    (see :mod:`plugins.search.apiparams`)."""
    params = request.GET
    registry = request.registry
    text, truncated = read_text(params, "SearchableText")
    path = site_path(request, normalize_path(first(params, "path.query") or first(params, "path")))
    depth = typed.integer(request, "path.depth", -1, minimum=-1, maximum=100, clamp=True)
    if path is None and (context.__parent__ is not None or depth >= 0):
        path = resource_path(context)
    sort_on, sort_order = read_sort(
        registry, first(params, "sort_on"), first(params, "sort_order"), text
    )
    types = all_values(params, "portal_type") or all_values(params, "portal_type:list")
    states = all_values(params, "review_state") or all_values(params, "review_state:list")
    start, size = batch_params(request, API_PAGE_SIZE, MAX_SIZE)
    return SearchQuery(
        text=text,
        truncated=truncated,
        types=tuple(dict.fromkeys(resolve_type(registry, t) for t in types)),
        states=states,
        path=path,
        depth=None if depth < 0 else depth,
        date_ranges=read_date_ranges(params, registry),
        fields=read_field_filters(params, registry),
        sort_on=sort_on,
        sort_order=sort_order,
        start=start,
        size=size,
        facets=tuple(dict.fromkeys(api_facets(params, request.registry).values())),
    )
