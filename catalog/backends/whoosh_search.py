"""Searching the whoosh index with a filter mask: ranked or sorted hits, exact
totals, facet counts, and the publication window.

The common query shapes (terms required, accent-exact terms optional) are evaluated
with numpy on whoosh's segments (:mod:`catalog.backends.whoosh_fast`); other shapes
(phrases) go through whoosh: one pass that keeps the top hits in a heap, counts
every match and groups the facets. Decision note: docs/decisions/0007-whoosh-vietnamese.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
from whoosh import sorting

from catalog.analysis import bigrams
from catalog.backends.whoosh_fast import Evaluator, Found, MaskSet, leaves, shape_of
from catalog.backends.whoosh_query import ParsedQuery, build_query
from catalog.backends.whoosh_schema import DATETIME, NO_DATE, local_time

#: Below this many documents with the query's syllables adjacent, look for them anywhere.
MIN_ADJACENT_HITS = 10
#: Sorts of a search -> the column sorted on (anything else: relevance).
SORTS = {
    "created": "created",
    "modified": "modified",
    "effective": "effective",
    "date": "date",
    "title": "title_key",
}
#: The kernel's facets, fields of their own (plugin fields are ``f_<name>``).
BUILTIN_FACETS = {"type_name", "subsite", "year"}


class Runner:
    """Runs queries with one filter, sort order and facets."""

    def __init__(self, searcher, cache, weighting, allowed, sort_on, reverse, facets):
        self.searcher = searcher
        self.allowed = allowed
        self.facets = tuple(facets)
        column = SORTS.get(sort_on)
        self.by_relevance = column is None
        columns = {name: _facet_column(name) for name in self.facets}
        self.fast = Evaluator(searcher, cache, weighting, column, reverse, columns)
        self.options: dict = {"filter": whoosh_filter(allowed), "optimize": False}
        if column:
            self.options["sortedby"] = sorting.FieldFacet(column, reverse=reverse)
        if facets:
            groupedby = sorting.Facets()
            for name in facets:
                overlap = name not in BUILTIN_FACETS
                groupedby.add_facet(
                    name, sorting.FieldFacet(_facet_column(name), allow_overlap=overlap)
                )
            self.options.update(groupedby=groupedby, maptype=sorting.Count)

    def best(self, parsed: ParsedQuery, wanted: int) -> Found:
        """The first ``wanted`` documents matching ``parsed``, the total and the
        facet counts: the syllables side by side, and, when few documents have
        them so, anywhere (after the adjacent ones when ranking by relevance)."""
        results = self(build_query(parsed, adjacent=True), max(wanted, MIN_ADJACENT_HITS))
        if results.total >= MIN_ADJACENT_HITS or not bigrams(parsed.words):
            return results
        wider = self(build_query(parsed, adjacent=False), wanted + results.total)
        if wider.total <= results.total:
            return results
        if not self.by_relevance:
            return wider
        first = {docnum for docnum, _score in results.top}
        top = results.top + [hit for hit in wider.top if hit[0] not in first]
        return Found(wider.total, top, wider.counts)

    def __call__(self, q, limit: int) -> Found:
        shape = shape_of(q)
        if shape is not None:
            return self.fast(shape, self.allowed, limit)
        collector = self.searcher.collector(limit=limit, **self.options)
        inner = collector
        while hasattr(inner, "child"):
            inner = inner.child
        # whoosh replaces matchers that cannot beat the heap's lowest score even with
        # block quality off, which drops documents from the total (an AndMaybe of 457
        # matches counted 42): counting needs every match.
        inner.replace = 0
        self.searcher.search_with_collector(q, collector)
        results = collector.results()
        counts = {
            name: {_facet_key(k): n for k, n in results.groups(name).items() if k is not None}
            for name in self.facets
        }
        # sorted hits carry their sort key as score in whoosh: a score only by relevance
        relevance = self.by_relevance
        top = [(hit.docnum, float(hit.score or 0.0) if relevance else 0.0) for hit in results]
        return Found(len(results), top, counts)


def whoosh_filter(allowed: np.ndarray):
    """The filter mask as whoosh takes it (None when every document passes)."""
    return None if allowed.all() else MaskSet(allowed)


def facet_counts(groups: dict[str, dict], names: Sequence[str]) -> dict[str, dict[str, int]]:
    """``{facet: {value: count}}``, largest counts first (empty values dropped,
    except the portal's own subsite ``""``)."""
    counts = {}
    for name in names:
        counts[name] = {
            key: count
            for key, count in sorted(groups[name].items(), key=lambda item: -item[1])
            if key != "" or name == "subsite"
        }
    return counts


def inactive(searcher, cache, when: datetime) -> np.ndarray:
    """Documents outside their publication window at ``when``: effective after it,
    or expiring at or before it (the columns of every segment, compared at once)."""
    moment = DATETIME.to_column_value(local_time(when))
    hidden = np.zeros(searcher.doc_count_all(), dtype=bool)
    for sub, offset in leaves(searcher):
        reader = sub.reader()
        size = reader.doc_count_all()
        window = hidden[offset : offset + size]
        for name, hide in (("effective", _starts_after), ("expires", _ended_by)):
            moments = cache.moments(reader, name)
            if moments is not None:
                window |= hide(moments, moment)
    return hidden


def _starts_after(values: np.ndarray, moment: int) -> np.ndarray:
    return (values != NO_DATE) & (values > moment)


def _ended_by(values: np.ndarray, moment: int) -> np.ndarray:
    return values <= moment


def _facet_column(name: str) -> str:
    return name if name in BUILTIN_FACETS else f"f_{name}"


def _facet_key(key) -> str:
    if isinstance(key, bytes):
        return key.decode("utf-8")
    return str(key)
