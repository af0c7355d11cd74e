"""Queries of the structural indexes: which docids match, in which order, and how
many hold each value of a facet.

A query (:func:`find`) is a list of :class:`Term` conditions started from the
smallest docid set; each other condition is tested docid by docid against its
index's reverse map when its set is much larger than the result so far, and
intersected otherwise.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice

from catalog.structural import FAMILY, Catalog, IFSet, KeywordIndex, ValueIndex
from catalog.values import as_datetime
from core.clock import TIMEZONE

#: How many docids a reverse-map test costs against one docid of an intersection:
#: a set this many times larger than the result so far is tested, not intersected.
TEST_RATIO = 24
#: Up to this many (type, state) pairs, a query on a subsite's types and states
#: reads the ``listing`` index once instead of three indexes.
MAX_LISTINGS = 16
#: A result larger than this share of a sort index is sorted by scanning the index.
SCAN_SHARE = 0.05

_missing = object()


class QueryError(ValueError):
    """A query naming an index, a sort or an order the catalog does not have."""


@dataclass
class Term:
    """One condition of a query: an estimate of how many docids match (``size``),
    the docids that match (``fetch()``), and ``keep(docids)``: the given docids
    that match, tested one by one against the index's reverse map."""

    size: int
    fetch: Callable[[], object]
    keep: Callable[[Iterable[int]], list[int]]


def _union(sets: list):
    if not sets:
        return IFSet()
    if len(sets) == 1:
        return sets[0]
    return FAMILY.IF.multiunion(sets)


def value_term(index: ValueIndex, values) -> Term:
    """Docids whose value is one of ``values``."""
    sets = [s for s in (index.docids(v) for v in values) if s]
    get = index._rev.get
    wanted = set()
    for value in values:
        try:
            wanted.add(value)
        except TypeError:  # unhashable: matches nothing
            continue

    def keep(docids):
        if len(wanted) == 1:
            (value,) = wanted
            return [d for d in docids if get(d, _missing) == value]
        return [d for d in docids if get(d, _missing) in wanted]

    return Term(sum(len(s) for s in sets), lambda: _union(sets), keep)


def keyword_term(index: KeywordIndex, values) -> Term:
    """Docids holding at least one of ``values``."""
    values = frozenset(values)
    sets = [s for s in (index.docids(v) for v in values) if s]
    get = index._rev.get
    empty = ()

    def keep(docids):
        if len(values) == 1:
            (value,) = values
            return [d for d in docids if value in get(d, empty)]
        return [d for d in docids if not values.isdisjoint(get(d, empty))]

    return Term(sum(len(s) for s in sets), lambda: _union(sets), keep)


def subtree_term(catalog: Catalog, path: str) -> Term:
    """Docids at ``path`` or below it."""
    index = catalog.indexes["path"]
    at = catalog.at_path.get(path)
    get = index._rev.get
    empty = ()

    def keep(docids):
        return [d for d in docids if d == at or path in get(d, empty)]

    size = len(index.docids(path)) + (at is not None)
    return Term(size, lambda: catalog.docids_under(path), keep)


def at_term(catalog: Catalog, path: str) -> Term:
    """The docid at ``path`` (if any)."""
    at = catalog.at_path.get(path)
    found = IFSet(() if at is None else (at,))
    return Term(len(found), lambda: found, lambda docids: [d for d in docids if d == at])


def range_term(index: ValueIndex, low, high, catalog_size: int) -> Term:
    """Docids whose value is in ``[low, high)`` (None: unbounded)."""
    get = index._rev.get

    def keep(docids):
        found = [(d, get(d, _missing)) for d in docids]
        return [
            d
            for d, value in found
            if value is not _missing
            and (low is None or value >= low)
            and (high is None or value < high)
        ]

    # the size of a range is not known in advance: assume the worst
    return Term(catalog_size, lambda: index.between(low, high), keep)


def day_bounds(start, end) -> tuple[datetime | None, datetime | None]:
    """Datetime bounds ``[low, high)`` for an inclusive range of dates (or datetimes)."""
    low = as_datetime(start) if start is not None else None
    high = None
    if end is not None:
        if isinstance(end, datetime):
            high = as_datetime(end) + timedelta(microseconds=1)
        else:
            high = as_datetime(end + timedelta(days=1))
    return low, high


def _index(catalog: Catalog, name: str):
    index = catalog.indexes.get(name)
    if index is None:
        raise QueryError(f"the catalog has no index {name!r}")
    return index


def build_terms(
    catalog: Catalog,
    *,
    principals: Iterable[str],
    path: str | None = None,
    depth: int | None = None,
    types: Iterable[str] = (),
    states: Iterable[str] = (),
    subsite: str | None = None,
    date_ranges: dict | None = None,
    fields: dict | None = None,
) -> list[Term]:
    """The conditions of a query (see :func:`find`)."""
    indexes = catalog.indexes
    size = len(catalog)
    terms = [keyword_term(indexes["allowed"], principals)]
    if path is not None:
        path = "/" + path.strip("/")
        if depth is not None and depth <= 0:
            terms.append(at_term(catalog, path))
        elif depth is not None:
            if path != "/":
                terms.append(keyword_term(indexes["path"], [path]))
            top = path.rstrip("/").count("/")
            terms.append(range_term(indexes["depth"], top + 1, top + depth + 1, size))
        elif path != "/":
            terms.append(subtree_term(catalog, path))
    types, states = tuple(types), tuple(states)
    if subsite is not None and types and states and len(types) * len(states) <= MAX_LISTINGS:
        listings = [(subsite, t, s) for t in types for s in states]
        terms.append(value_term(indexes["listing"], listings))
    else:
        if types:
            terms.append(value_term(indexes["type_name"], types))
        if states:
            terms.append(value_term(indexes["state"], states))
        if subsite is not None:
            terms.append(value_term(indexes["subsite"], (subsite,)))
    for name, (start, end) in (date_ranges or {}).items():
        index = _index(catalog, name)
        if not isinstance(index, ValueIndex):
            raise QueryError(f"the catalog index {name!r} holds no dates")
        low, high = day_bounds(start, end)
        terms.append(range_term(index, low, high, size))
    for name, value in (fields or {}).items():
        index = _index(catalog, name)
        values = tuple(value) if isinstance(value, list | tuple | set | frozenset) else (value,)
        if isinstance(index, KeywordIndex):
            terms.append(keyword_term(index, values))
        else:
            terms.append(value_term(index, values))
    return terms


def run_terms(terms: list[Term]):
    """The docids matching every term: the smallest set first, then each larger set
    intersected, or its condition tested docid by docid when it is much larger than
    the result so far (testing a few hundred docids beats merging 100,000)."""
    terms = sorted(terms, key=lambda t: t.size)
    result = terms[0].fetch()
    for term in terms[1:]:
        if not result:
            return IFSet()
        if term.size > TEST_RATIO * len(result):
            result = term.keep(result)
        else:
            result = FAMILY.IF.intersection(as_set(result), term.fetch())
    return as_set(result)


def as_set(docids):
    """``docids`` as a docid set (a list of docids is made one)."""
    return IFSet(docids) if isinstance(docids, list) else docids


def find(catalog: Catalog, **query):
    """The docids matching ``query``: ``principals`` (required: at least one must be
    allowed to view), ``path`` (that object and everything below it; with
    ``depth`` 0 the object only, ``depth`` n the n levels below it), ``types``,
    ``states``, ``subsite`` (a navigation root's path, ``""`` for the portal),
    ``date_ranges`` (index name -> inclusive ``(start, end)``, either None for an
    open end) and ``fields`` (index name -> a value, or a sequence of values any
    of which matches). Raises :class:`QueryError` for an unknown index name."""
    return run_terms(build_terms(catalog, **query))


# sorting ------------------------------------------------------------------------------
def sortable(catalog: Catalog, name: str) -> bool:
    """Whether results can be sorted on index ``name``."""
    return isinstance(catalog.indexes.get(name), ValueIndex)


def sort(catalog: Catalog, docids, sort_on: str, reverse: bool, limit: int | None) -> list[int]:
    """``docids`` ordered on index ``sort_on`` (ties in docid order; docids without
    a value come last), at most ``limit`` of them."""
    index = catalog.indexes.get(sort_on)
    if not isinstance(index, ValueIndex):
        raise QueryError(f"the catalog cannot sort on {sort_on!r}")
    if not docids:
        return []
    rev = index._rev
    indexed = index.indexed_count()
    everyone_has_one = indexed >= len(catalog)
    if limit is not None and len(docids) > SCAN_SHARE * indexed:
        ordered = list(islice(index.scan(docids, reverse), limit))
    else:
        present = docids if everyone_has_one else [d for d in docids if d in rev]
        if limit is None:
            ordered = sorted(present, key=rev.__getitem__, reverse=reverse)
        else:
            best = heapq.nlargest if reverse else heapq.nsmallest
            ordered = best(limit, present, key=rev.__getitem__)
    if not everyone_has_one and (limit is None or len(ordered) < limit):
        ordered.extend(d for d in docids if d not in rev)
    return ordered[:limit] if limit is not None else ordered


# facets -------------------------------------------------------------------------------
def facet_counts(catalog: Catalog, docids, name: str) -> dict[str, int]:
    """How many of ``docids`` hold each value of index ``name`` (values as strings,
    most frequent first)."""
    counts = _index(catalog, name).counts(docids)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    return {_facet_key(value): n for value, n in ordered}


def _facet_key(value) -> str:
    if isinstance(value, datetime):
        return value.astimezone(TIMEZONE).date().isoformat()
    return str(value)
