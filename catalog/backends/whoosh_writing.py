"""A faster way into whoosh's segment writer for the Vietnamese text fields.

whoosh-reloaded's writer spends most of its time in per-posting Python calls: the
analyzer yields one ``Token`` per syllable, the format gathers them again, the
posting pool checks and sizes every tuple, and, when the segment is written, the
length of the field is read back from disk once per posting. The pieces here do
the same work with fewer calls and write the same segment files, so the index reads
exactly as one written by whoosh's own writer:

* :class:`SyllableText`, :class:`PairText` and :class:`PrefixText` are whoosh
  ``TEXT`` fields whose :meth:`index` builds the postings of a document in one pass
  over its syllables (computed once for the three fields, see
  :class:`catalog.analysis.Sections`);
* :class:`FastSegmentWriter` adds the postings of a document to the pool in one
  ``extend``, sorts runs too big for memory on disk as marshalled chunks rather
  than one pickle per posting, and writes the sorted postings into whoosh's
  postings writer without its per-posting calls, reading the field lengths of the
  new segment from memory.

Decision note: docs/decisions/0007-whoosh-vietnamese.md.
"""

from __future__ import annotations

import marshal
from collections import defaultdict
from itertools import islice
from pickle import dumps

from whoosh import fields
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import PostingPool, SegmentWriter

from catalog.analysis import (
    SECTION_GAP,
    Sections,
    bigram_analyzer,
    prefix_analyzer,
    syllable_analyzer,
)

#: Postings per marshalled chunk of a run sorted on disk.
RUN_CHUNK = 50_000
#: Memory of one posting in the writer's pool (a tuple of five, two bytes objects and
#: a float), measured with tracemalloc: the pool sorts a run on disk past its limit.
POSTING_BYTES = 230


def _sections(value) -> tuple[list, tuple[float, ...]]:
    if not isinstance(value, Sections):
        value = Sections("", "", value)
        return value.analysed()[2:], (1.0,)
    return value.analysed(), Sections.BOOSTS


def _encode_positions(positions: list[int]) -> bytes:
    """whoosh's ``Positions`` encoding: the count, then the pickled gaps."""
    gaps, base = [], 0
    for position in positions:
        gaps.append(position - base)
        base = position
    return pack_uint(len(gaps)) + dumps(gaps, 2)


class SectionText(fields.TEXT):
    """A text field whose :meth:`index` takes the terms of each section from its
    analyzer's ``terms`` (see :mod:`catalog.analysis`), weighted by section, with
    positions when ``phrase`` is set and counts otherwise."""

    def __init__(self, analyzer, phrase: bool):
        super().__init__(analyzer=analyzer, phrase=phrase)

    def index(self, value, **kwargs):
        positions: dict[str, list[int]] = defaultdict(list)
        weights: dict[str, float] = defaultdict(float)
        base = 0
        sections, boosts = _sections(value)
        for sylls, boost in zip(sections, boosts, strict=True):
            for term, position, _syll in self.analyzer.terms(sylls):
                positions[term].append(base + position)
                weights[term] += boost
            base += len(sylls) + SECTION_GAP
        encode = _encode_positions if self.format.supports("positions") else _encode_count
        return [
            (term.encode("utf-8"), len(where), weights[term], encode(where))
            for term, where in positions.items()
        ]


def _encode_count(positions: list[int]) -> bytes:
    """whoosh's ``Frequency`` encoding: the count."""
    return pack_uint(len(positions))


class SyllableText(SectionText):
    """Syllables, folded and (when different) normalised, at one position each."""

    def __init__(self):
        super().__init__(syllable_analyzer(), phrase=True)


class PairText(SectionText):
    """Pairs of joined syllables, folded and (when different) normalised."""

    def __init__(self):
        super().__init__(bigram_analyzer(), phrase=False)


class PrefixText(SectionText):
    """Prefixes of folded syllables and the whole syllables marked with ``$``."""

    def __init__(self):
        super().__init__(prefix_analyzer(), phrase=False)


class _CachedLengths:
    """The field lengths of the new segment as whoosh's writer reads them: those of
    the documents added by this writer from memory, those of documents merged in
    from older segments from the segment being written."""

    def __init__(self, lengths: dict[str, dict[int, int]], written):
        self.lengths = lengths
        self.written = written

    def doc_field_length(self, docnum, fieldname, default=0):
        length = self.lengths.get(fieldname, {}).get(docnum)
        if length is None:
            return self.written.doc_field_length(docnum, fieldname, default)
        return length


class ChunkedPostingPool(PostingPool):
    """whoosh's posting pool, writing its sorted runs as marshalled chunks."""

    def _write_run(self, f, items):
        items = iter(items)
        while chunk := list(islice(items, RUN_CHUNK)):
            marshal.dump(chunk, f)
        f.close()

    def _read_run(self, path):
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = marshal.load(f)
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self._remove_run(path)


def write_postings(fieldwriter, schema, lengths, postings) -> None:
    """What whoosh's ``FieldWriter.add_postings`` does for sorted ``postings``
    (field, term, docnum, weight, value), appending to the postings writer's block
    directly (the same blocks, statistics and files)."""
    last_field = last_term = None
    writer = ids = weights = values = None
    limit = 0
    doc_field_length = lengths.doc_field_length
    for field, term, docnum, weight, value in postings:
        if field != last_field:
            if last_term is not None:
                fieldwriter.finish_term()
            if last_field is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(field, schema[field])
            last_field, last_term = field, None
        if term != last_term:
            if last_term is not None:
                fieldwriter.finish_term()
            fieldwriter.start_term(term)
            last_term = term
            writer = fieldwriter._postwriter
            ids, weights, values = writer._ids, writer._weights, writer._values
            limit = writer._blocklimit
        if len(ids) >= limit:
            writer._write_block()
            ids, weights, values = writer._ids, writer._weights, writer._values
        ids.append(docnum)
        weights.append(weight)
        if weight > writer._maxweight:
            writer._maxweight = weight
        if value:
            values.append(value)
        length = doc_field_length(docnum, field)
        if length:
            if writer._minlength is None or length < writer._minlength:
                writer._minlength = length
            if length > writer._maxlength:
                writer._maxlength = length
    if last_term is not None:
        fieldwriter.finish_term()
    if last_field is not None:
        fieldwriter.finish_field()


class FastSegmentWriter(SegmentWriter):
    """whoosh's ``SegmentWriter``, adding each document's postings in one step."""

    def __init__(self, ix, limitmb: int = 128, **kwargs):
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = ChunkedPostingPool(self._tempstorage, self.newsegment, limitmb=limitmb)
        self._lengths: dict[str, dict[int, int]] = defaultdict(dict)

    def add_document(self, **values):
        self._check_state()
        schema, docnum = self.schema, self.docnum
        perdoc, pool = self.perdocwriter, self.pool
        perdoc.start_doc(docnum)
        try:
            for name in sorted(values):
                value = values[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    items = list(field.index(value))
                    posts = [
                        (name, term, docnum, weight, vbytes) for term, _f, weight, vbytes in items
                    ]
                    if field.scorable:
                        length = sum(item[1] for item in items)
                        self._lengths[name][docnum] = byte_to_length(length_to_byte(length))
                    pool.fieldnames.add(name)
                    pool.current.extend(posts)
                    pool.currentsize += POSTING_BYTES * len(posts)
                perdoc.add_field(name, field, value if field.stored else None, length)
                if field.column_type:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        if pool.currentsize > pool.limit:
            pool.save()
        self._added = True
        self.docnum += 1

    def _flush_segment(self):
        self.perdocwriter.close()
        written = self.per_document_reader()
        postings = self.pool.iter_postings()
        try:
            lengths = _CachedLengths(self._lengths, written)
            write_postings(self.fieldwriter, self.schema, lengths, postings)
        finally:
            written.close()
        self.fieldwriter.close()
