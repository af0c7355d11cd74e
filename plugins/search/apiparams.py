"""plone.restapi's search parameters that must be right or refused: sorts, date
ranges, index aliases, ``metadata_fields`` and ``fullobjects``.

``@search`` and ``@querystring-search`` read them here. Unlike the text and the
filters (cleaned and bounded, never refused: :mod:`plugins.search.query`), a sort or
a date a client gets wrong would silently give other results than it asked for,
so it is a 400 naming the parameter (:class:`core.api.errors.ApiError`).
"""

from __future__ import annotations

from datetime import date, datetime

from catalog.fields import get_catalog_fields
from core.api.errors import ApiError
from core.i18n import _

#: The kernel's sorts (``relevance`` needs a text).
KERNEL_SORTS = ("relevance", "modified", "created", "effective", "sortable_title", "position")
#: plone.restapi's index names for the kernel's sorts and dates.
INDEX_ALIASES = {
    "getObjPositionInParent": "position",
    "Date": "effective",
    "EffectiveDate": "effective",
    "sortable_title": "sortable_title",
}
#: The kernel's dates.
KERNEL_DATES = ("created", "modified", "effective")
#: Orders: the client's name -> :func:`catalog.search`'s.
SORT_ORDERS = {
    "ascending": "ascending",
    "descending": "descending",
    "reverse": "descending",
}
#: Ranges of a date query: the client's name -> which ends the values are.
DATE_RANGES = {"min": ("min",), "max": ("max",), "minmax": ("min", "max")}
DATE_RANGES["min:max"] = DATE_RANGES["minmax"]
#: Characters of a value named in an error message.
SHOWN = 50
#: The years a date may name.
YEARS = (1000, 9000)
#: ``metadata_fields`` kept.
MAX_METADATA = 50


def bad(message) -> ApiError:
    """A 400 ``BadRequest`` with ``message``."""
    return ApiError(400, message, "BadRequest")


def field_aliases(registry) -> dict[str, str]:
    """Plone index names plugin catalog fields answer to (``Subject`` -> ``tags``)."""
    return {alias: name for name, f in get_catalog_fields(registry).items() for alias in f.aliases}


def index_name(registry, name: str) -> str:
    """The catalog's name for a client's index name."""
    return INDEX_ALIASES.get(name) or field_aliases(registry).get(name, name)


def sortable_names(registry) -> set[str]:
    """Every index ``sort_on`` may name (the catalog's names)."""
    fields = get_catalog_fields(registry)
    return {*KERNEL_SORTS, *(n for n, f in fields.items() if f.kind in ("field", "date"))}


def date_names(registry) -> set[str]:
    """Every index a date range may be asked of (the catalog's names)."""
    fields = get_catalog_fields(registry)
    return {*KERNEL_DATES, *(n for n, f in fields.items() if f.kind == "date")}


def read_sort(registry, sort_on: str, sort_order: str, text: str) -> tuple[str | None, str]:
    """``(sort_on, sort_order)`` for :func:`catalog.search` from a client's values.

    No ``sort_on``: relevance for a text, the catalog's default otherwise, newest
    first unless an order is given. With one, the order is ascending unless asked
    otherwise, as in Plone.
    """
    sort_on, sort_order = sort_on.strip(), sort_order.strip().lower()
    if sort_order and sort_order not in SORT_ORDERS:
        raise bad(
            _(
                "sort_order không hợp lệ: ${value} (ascending, descending hoặc reverse).",
                mapping={"value": sort_order[:SHOWN]},
            )
        )
    if not sort_on:
        return None, SORT_ORDERS.get(sort_order, "descending")
    name = index_name(registry, sort_on)
    if name not in sortable_names(registry):
        raise bad(
            _(
                "Không sắp xếp được theo ${value}; được dùng: ${names}.",
                mapping={
                    "value": sort_on[:SHOWN],
                    "names": ", ".join(sorted(sortable_names(registry))),
                },
            )
        )
    if name == "relevance" and not text:
        name = None
    return name, SORT_ORDERS.get(sort_order, "ascending")


def parse_when(value: str) -> date | datetime:
    """An ISO 8601 date or date-time within :data:`YEARS`; ValueError for anything
    else (far years would overflow once moved to another zone or a day later)."""
    value = value.strip()
    if len(value) == 10:
        when = date.fromisoformat(value)
    else:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if not YEARS[0] <= when.year <= YEARS[1]:
        raise ValueError(f"year {when.year} out of range")
    return when


def later(start: date, end: date) -> bool:
    """Whether ``start`` comes after ``end`` (False when they cannot be compared: a
    date with a time, a time with a zone and one without)."""
    try:
        return start > end
    except TypeError:
        return False


def read_date_ranges(params, registry) -> dict:
    """``{index: (start, end)}`` from ``<index>.query`` and ``<index>.range``
    (``min``, ``max`` or ``minmax``/``min:max`` with two values), for the kernel's
    dates, plugin dates and their Plone names."""
    ranges = {}
    names = date_names(registry) | {a for a, n in INDEX_ALIASES.items() if n in KERNEL_DATES}
    for name in sorted(names):
        values = params.getall(f"{name}.query") + params.getall(f"{name}.query:list")
        kind = params.get(f"{name}.range", "").strip()
        if not values and not kind:
            continue
        ends = DATE_RANGES.get(kind)
        if ends is None:
            raise bad(
                _(
                    "${name}.range phải là min, max hoặc minmax.",
                    mapping={"name": name},
                )
            )
        if len(values) != len(ends):
            raise bad(
                _(
                    "${name}.query cần ${count} ngày cho range=${range}.",
                    mapping={"name": name, "count": len(ends), "range": kind},
                )
            )
        try:
            found = dict(zip(ends, (parse_when(v) for v in values), strict=True))
        except ValueError:
            raise bad(
                _(
                    "${name}.query không phải ngày hợp lệ (YYYY-MM-DD): ${value}.",
                    mapping={"name": name, "value": ", ".join(values)[:SHOWN]},
                )
            ) from None
        start, end = found.get("min"), found.get("max")
        if start is not None and end is not None and later(start, end):
            raise bad(_("${name}.query: ngày đầu sau ngày cuối.", mapping={"name": name}))
        ranges[index_name(registry, name)] = (start, end)
    return ranges


def read_metadata_fields(params) -> tuple[str, ...]:
    """The ``metadata_fields`` asked for (``_all``: every one)."""
    names = params.getall("metadata_fields") + params.getall("metadata_fields:list")
    kept = []
    for value in names[:MAX_METADATA]:
        for name in value.split(","):
            name = name.strip()[:SHOWN]
            if name and name not in kept:
                kept.append(name)
    return tuple(kept[:MAX_METADATA])


def wants_full_objects(params) -> bool:
    """Whether ``fullobjects`` was asked for (``fullobjects``, ``=1``, ``=true``)."""
    if "fullobjects" not in params:
        return False
    return params.get("fullobjects", "").strip().lower() not in ("0", "false", "no")
