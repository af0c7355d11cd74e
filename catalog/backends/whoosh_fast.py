"""Vectorized evaluation of the common query shapes on whoosh's own index files.

whoosh scores, counts and groups matches one at a time in Python: on a province
where a common query matches 100,000+ documents, that is most of a search. The
queries :func:`catalog.backends.whoosh.build_query` makes for loose words are a
required term, an ``And`` of required terms, optionally ``AndMaybe`` with an
``Or`` of boosted accent-exact terms. Those are evaluated here with numpy, segment
by segment (a segment never changes once written, so what is read of it is
cached):

- each term's posting list is decoded block by block into arrays of document
  numbers and weights, and turned into BM25F scores with whoosh's formula and
  statistics (the same scores as :class:`catalog.backends.whoosh_scoring.MemoryBM25F`):
  an array over the whole segment for frequent terms, sorted arrays for rare ones;
  both kept in a least-recently-used cache bounded in bytes (:data:`CACHE_BYTES`);
- the filter (security, path, types, dates, publication window, deletions) is a
  boolean mask over the documents, built from the same decoded postings;
- the required terms are intersected within the mask, their scores summed, the
  optional terms' scores added, every match counted;
- the top ``limit`` are chosen with ``partition`` (ties by document number) and the
  segments merged; facets are counted with ``bincount`` over each segment's value
  codes (read from the field's postings); sorting by a column uses its values as
  codes (read from the column file at once).

Other shapes (phrases of three or more syllables) keep whoosh's own evaluation.
Decision note: docs/decisions/0007-whoosh-vietnamese.md.
"""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict
from collections.abc import Sequence
from pickle import loads
from typing import NamedTuple

import numpy as np
from whoosh import columns, query
from whoosh.idsets import DocIdSet
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

#: Bytes of decoded postings and column codes kept in memory (least recently used
#: dropped first); a module constant so a deployment can change it at startup.
CACHE_BYTES = 256 * 2**20

#: Share of a segment's documents above which a term's scores are kept as an array
#: over all its documents (read by index) rather than sorted (searched).
DENSE_SHARE = 1 / 16

_LENGTHS = np.array([byte_to_length(b) if b else 1 for b in range(256)], dtype=np.float64)


class Term(NamedTuple):
    """A term of the query and its boost."""

    field: str
    text: str
    boost: float


class Shape(NamedTuple):
    """A query as required terms (all must match) and optional ones (add to the score)."""

    required: tuple[Term, ...]
    optional: tuple[Term, ...]


def shape_of(q: query.Query) -> Shape | None:
    """The query as required and optional terms, or None for a shape not handled here."""
    optional: tuple[Term, ...] = ()
    if isinstance(q, query.AndMaybe):
        q, maybe = q.a, q.b
        optional = _terms(maybe, query.Or)
        if optional is None:
            return None
    required = _terms(q, query.And)
    if not required:
        return None
    return Shape(required, optional)


def _terms(q, group) -> tuple[Term, ...] | None:
    parts = q.subqueries if isinstance(q, group) else [q]
    if not all(type(part) is query.Term for part in parts):
        return None
    return tuple(Term(part.fieldname, part.text, part.boost) for part in parts)


class Columns(NamedTuple):
    """A field's values in one segment as codes: ``values[codes[docnum]]`` is a
    document's value (``values`` sorted when read from a column for sorting). A
    list-valued field has several values per document: document ``docs[i]`` has
    ``values[codes[i]]``."""

    codes: np.ndarray
    values: list
    docs: np.ndarray | None = None


class MaskSet(DocIdSet):
    """A boolean numpy array as a set of document numbers, for whoosh's filters."""

    def __init__(self, mask: np.ndarray):
        self.mask = mask
        self._count = int(np.count_nonzero(mask))

    def __contains__(self, docnum) -> bool:
        return 0 <= docnum < len(self.mask) and bool(self.mask[docnum])

    def __len__(self) -> int:
        return self._count

    def __iter__(self):
        return iter(np.flatnonzero(self.mask).tolist())


class SegmentCache:
    """Decoded postings, lengths and columns of segments, bounded in bytes."""

    def __init__(self, limit: int | None = None):
        self.limit = CACHE_BYTES if limit is None else limit
        self.size = 0
        self._items: OrderedDict[tuple, tuple[object, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, build):
        """The value cached under ``key``, made by ``build()`` if missing."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found[0]
        value = build()
        size = _nbytes(value)
        with self._lock:
            if key not in self._items:
                self._items[key] = (value, size)
                self.size += size
                while self.size > self.limit and len(self._items) > 1:
                    _key, (_value, dropped) = self._items.popitem(last=False)
                    self.size -= dropped
        return value

    def postings(self, reader, field: str, text: str):
        """``(docnums, weights)`` of a term in one segment, or None if absent."""
        key = (_segment_id(reader), "p", field, text)
        return self.get(key, lambda: _decode(reader, field, text))

    def lengths(self, reader, field: str) -> np.ndarray:
        """Each document's length of ``field`` in one segment, as whoosh's scorer sees it."""
        key = (_segment_id(reader), "l", field)
        return self.get(key, lambda: _lengths(reader, field))

    def column(self, reader, name: str) -> Columns:
        """A column of one segment as sorted values and codes (see :class:`Columns`)."""
        key = (_segment_id(reader), "c", name)
        return self.get(key, lambda: _column(reader, name))

    def moments(self, reader, name: str) -> np.ndarray | None:
        """Each document's value of a date column in one segment (whoosh's numbers),
        or None for a segment without that column."""
        key = (_segment_id(reader), "m", name)
        return self.get(key, lambda: _moments(self.column(reader, name)))

    def facet(self, reader, field: str) -> Columns:
        """The values of an indexed field in one segment, from its postings: each
        document's value (a single-valued field: ``""`` for a document without one,
        as whoosh's column has it) or values (a field keeping lists)."""
        key = (_segment_id(reader), "f", field)
        return self.get(key, lambda: _facet(self, reader, field))

    def clear(self) -> None:
        """Drop everything."""
        with self._lock:
            self._items.clear()
            self.size = 0


def _nbytes(value) -> int:
    if value is None:
        return 64
    if isinstance(value, Columns):
        extra = value.docs.nbytes if value.docs is not None else 0
        return value.codes.nbytes + extra + 64 * len(value.values)
    if isinstance(value, tuple):
        return sum(_nbytes(item) for item in value)
    return int(getattr(value, "nbytes", 64))


def _moments(column: Columns) -> np.ndarray | None:
    if not column.values:
        return None
    return np.array(column.values, dtype=np.uint64)[column.codes]


def _segment_id(reader) -> str:
    return reader.segment().segment_id()


def _decode(reader, field: str, text: str):
    if (field, text) not in reader:
        return None
    matcher = reader.postings(field, text)
    if isinstance(matcher, FilterMatcher):  # deletions are applied by the filter mask
        matcher = matcher.child
    if not hasattr(matcher, "_goto"):  # postings inlined in the term info
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float64)
    ids, weights = [], []
    while True:
        data = matcher._postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
        if matcher._compression:
            data = zlib.decompress(data)
        block_ids, block_weights = loads(data)[:2]
        count = matcher._blocklength
        ids.append(np.cumsum(np.array(block_ids, dtype=np.int64)))
        if block_weights is None:
            weights.append(np.ones(count))
        elif isinstance(block_weights, float):
            weights.append(np.full(count, block_weights))
        else:
            weights.append(np.array(block_weights, dtype=np.float32).astype(np.float64))
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    return np.concatenate(ids).astype(np.int32), np.concatenate(weights)


def _lengths(reader, field: str) -> np.ndarray:
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN

    count = reader.doc_count_all()
    column = reader._perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
    raw = np.zeros(count, dtype=np.uint8)
    if column is not None:
        stored = np.frombuffer(column._dbfile.get(column._basepos, column._count), np.uint8)
        raw[: len(stored)] = stored
    return _LENGTHS[raw]


def _column(reader, name: str) -> Columns:
    count = reader.doc_count_all()
    if not reader.has_column(name):
        return Columns(np.full(count, -1, dtype=np.int32), [])
    column = reader.column_reader(name, translate=False)
    if isinstance(column, columns.NumericColumn.Reader):
        width = column._fixedlen
        stored = column._dbfile.get(column._basepos, column._count * width)
        raw = np.full(count, column._default, dtype=np.dtype(">" + column._typecode))
        raw[: column._count] = np.frombuffer(stored, dtype=raw.dtype)
        values, codes = np.unique(raw, return_inverse=True)
        return Columns(codes.astype(np.int32), values.tolist())
    if isinstance(column, columns.VarBytesColumn.Reader):
        ends = np.cumsum(np.array(column._lengths, dtype=np.int64))
        data = column._dbfile.get(column._basepos, int(ends[-1]) if len(ends) else 0)
        starts = (ends - np.array(column._lengths, dtype=np.int64)).tolist()
        items = [data[a:b] for a, b in zip(starts, ends.tolist(), strict=True)]
    else:
        items = list(column)
    values = sorted(set(items), key=_order)
    code = {value: i for i, value in enumerate(values)}
    return Columns(np.fromiter((code[v] for v in items), np.int32, count), values)


def _facet(cache: SegmentCache, reader, field: str) -> Columns:
    count = reader.doc_count_all()
    fieldobj = reader.schema[field] if field in reader.schema else None
    if fieldobj is None or not reader.has_column(field):
        return Columns(np.full(count, -1, dtype=np.int32), [])
    values, docs, codes = [], [], []
    for term in reader.lexicon(field):
        ids = cache.postings(reader, field, term)[0]
        docs.append(ids)
        codes.append(np.full(len(ids), len(values), dtype=np.int32))
        values.append(fieldobj.from_bytes(term))
    docs = np.concatenate(docs) if docs else np.empty(0, np.int32)
    codes = np.concatenate(codes) if codes else np.empty(0, np.int32)
    if fieldobj.column_type.stores_lists():
        return Columns(codes, values, docs)
    single = np.full(count, len(values), dtype=np.int32)
    single[docs] = codes
    return Columns(single, [*values, ""])


def _order(value):
    return (value is None, value if value is not None else 0)


class Scored:
    """One term's BM25F score in each document of a segment that has it.

    Frequent terms (in more than :data:`DENSE_SHARE` of the documents) keep an array
    over every document (0: not there), read by index; rarer ones their sorted
    document numbers and scores, searched.
    """

    def __init__(self, ids: np.ndarray, scores: np.ndarray, size: int):
        self.count = len(ids)
        if self.count > size * DENSE_SHARE:
            self.dense = np.zeros(size)
            self.dense[ids] = scores
            self.ids = self.values = None
        else:
            self.dense = None
            self.ids, self.values = ids, scores
        self.nbytes = self.dense.nbytes if self.dense is not None else ids.nbytes + scores.nbytes

    def members(self, mask: np.ndarray) -> np.ndarray:
        """The documents having the term and passing ``mask``, in order."""
        if self.dense is not None:
            return np.flatnonzero((self.dense > 0) & mask).astype(np.int32)
        return self.ids[mask[self.ids]]

    def scores(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Whether each of ``docs`` has the term, and its score there (0 if not)."""
        if self.dense is not None:
            found = self.dense[docs]
            return found > 0, found
        present, where = _found(self.ids, docs)
        return present, np.where(present, self.values[where], 0.0)


class Found(NamedTuple):
    """What an evaluation found: the exact total, the top documents (global numbers,
    best first) with their scores, and facet counts ``{facet: {value: count}}``."""

    total: int
    top: list[tuple[int, float]]
    counts: dict[str, dict]


class Evaluator:
    """Evaluates a :class:`Shape` on a searcher with a filter mask.

    ``sort`` is a column name to sort on (then ``reverse``) or None for relevance;
    ``facets`` maps a facet name to its field.
    """

    def __init__(self, searcher, cache: SegmentCache, weighting, sort, reverse, facets):
        self.searcher = searcher
        self.cache = cache
        self.weighting = weighting
        self.sort = sort
        self.reverse = reverse
        self.facets = facets

    def __call__(self, shape: Shape, mask: np.ndarray, limit: int) -> Found:
        searcher = self.searcher
        total = 0
        best: list[tuple] = []
        counts: dict[str, dict] = {name: {} for name in self.facets}
        for sub, offset in leaves(searcher):
            reader = sub.reader()
            size = reader.doc_count_all()
            docs, scores = self._segment(reader, shape, mask[offset : offset + size])
            if not len(docs):
                continue
            total += len(docs)
            best.extend(self._top(reader, docs, scores, offset, limit))
            for name, column in self.facets.items():
                _count(counts[name], self.cache.facet(reader, column), docs, size)
        best.sort()
        return Found(total, [(docnum, score) for *_key, docnum, score in best[:limit]], counts)

    def _segment(self, reader, shape: Shape, mask: np.ndarray):
        """The segment's documents matching ``shape`` and passing ``mask``, with scores."""
        required = [(term, self._scored(reader, term)) for term in shape.required]
        if any(scored is None for _term, scored in required):
            return np.empty(0, np.int32), None
        required.sort(key=lambda item: item[1].count)
        (term, scored), rest = required[0], required[1:]
        docs = scored.members(mask)
        scores = scored.scores(docs)[1] * term.boost
        for term, scored in rest:
            present, more = scored.scores(docs)
            docs, scores = docs[present], scores[present] + more[present] * term.boost
        for term in shape.optional:
            scored = self._scored(reader, term)
            if scored is not None and len(docs):
                scores += scored.scores(docs)[1] * term.boost
        return docs, scores

    def _scored(self, reader, term: Term) -> Scored | None:
        """The term's BM25F scores in one segment (None if absent), with whoosh's
        collection statistics (idf, average length) and parameters."""
        searcher, weighting = self.searcher, self.weighting
        idf = searcher.idf(term.field, term.text)
        avgfl = searcher.avg_field_length(term.field) or 1
        b = weighting._field_B.get(term.field, weighting.B)
        key = (_segment_id(reader), "s", term.field, term.text, idf, avgfl, b, weighting.K1)

        def build():
            postings = self.cache.postings(reader, term.field, term.text)
            if postings is None:
                return None
            ids, tf = postings
            length = self.cache.lengths(reader, term.field)
            k1 = weighting.K1
            score = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * length[ids] / avgfl)))
            return Scored(ids, score, len(length))

        return self.cache.get(key, build)

    def _top(self, reader, docs, scores, offset: int, limit: int) -> list[tuple]:
        """The segment's best ``limit`` as sortable tuples ``(key, docnum, score)``."""
        if self.sort is None:
            keys = -scores
        else:
            column = self.cache.column(reader, self.sort)
            keys = column.codes[docs].astype(np.int64)
            keys = -keys if self.reverse else keys
        if len(keys) > limit:
            cut = np.partition(keys, limit - 1)[limit - 1]
            chosen = np.flatnonzero(keys <= cut)
        else:
            chosen = np.arange(len(keys))
        chosen = chosen[np.lexsort((docs[chosen], keys[chosen]))][:limit]
        if self.sort is None:
            return [(-float(scores[i]), int(docs[i]) + offset, float(scores[i])) for i in chosen]
        values = column.values
        rows = []
        for i in chosen:
            code = column.codes[docs[i]]
            value = _order(values[code] if code >= 0 else None)
            rows.append((_Reversed(value) if self.reverse else value, int(docs[i]) + offset, 0.0))
        return rows


class _Reversed:
    """A sort key ordering its value backwards."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __lt__(self, other):
        return other.value < self.value

    def __eq__(self, other):
        return self.value == other.value


def _found(ids: np.ndarray, docs: np.ndarray):
    """Which of ``docs`` are in the sorted ``ids`` (a boolean array), and where."""
    where = np.searchsorted(ids, docs)
    np.minimum(where, len(ids) - 1, out=where)
    return ids[where] == docs, where


def _count(counts: dict, column: Columns, docs: np.ndarray, size: int) -> None:
    if not column.values:
        return
    if column.docs is None:
        codes = column.codes[docs]
    else:
        matched = np.zeros(size, dtype=bool)
        matched[docs] = True
        codes = column.codes[matched[column.docs]]
    for code, count in enumerate(np.bincount(codes, minlength=len(column.values)).tolist()):
        if count:
            value = column.values[code]
            counts[value] = counts.get(value, 0) + count


def filter_mask(searcher, cache: SegmentCache, q: query.Query) -> np.ndarray:
    """The documents of ``searcher`` matching the filter query ``q`` (terms combined
    with ``And`` and ``Or``; other queries through whoosh) as a boolean array;
    deleted documents never match."""
    mask = _filter(searcher, cache, q)
    for sub, offset in leaves(searcher):
        reader = sub.reader()
        if reader.has_deletions():
            deleted = np.fromiter(reader.segment().deleted_docs(), dtype=np.int64)
            mask[offset + deleted] = False
    return mask


def _filter(searcher, cache: SegmentCache, q: query.Query) -> np.ndarray:
    size = searcher.doc_count_all()
    if type(q) is query.Term:
        mask = np.zeros(size, dtype=bool)
        for sub, offset in leaves(searcher):
            postings = cache.postings(sub.reader(), q.fieldname, q.text)
            if postings is not None:
                mask[offset + postings[0]] = True
        return mask
    if type(q) in (query.And, query.Or) and q.subqueries:
        masks = [_filter(searcher, cache, part) for part in q.subqueries]
        combine = np.logical_and if type(q) is query.And else np.logical_or
        return combine.reduce(masks)
    mask = np.zeros(size, dtype=bool)
    mask[np.fromiter(searcher.docs_for_query(q), dtype=np.int64)] = True
    return mask


def leaves(searcher) -> Sequence:
    """``(segment searcher, first document number)`` of each segment of ``searcher``."""
    if searcher.is_atomic():
        return [(searcher, 0)] if searcher.doc_count_all() else []  # an empty index
    return searcher.leaf_searchers()
