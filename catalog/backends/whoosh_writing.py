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
* :class:`FastSegmentWriter` gathers the postings by term in a :class:`TermPool`
  (documents come in order, so only the terms need sorting, not every posting),
  spills it to disk as marshalled runs past its memory limit, and writes each
  term's postings into whoosh's postings writer a block at a time, reading the
  field lengths of the new segment from memory.

Decision note: docs/decisions/0007-whoosh-vietnamese.md.
"""

from __future__ import annotations

import heapq
import marshal
import struct
from collections import defaultdict
from pickle import dumps

from whoosh import fields
from whoosh.system import pack_uint
from whoosh.util import random_name
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from catalog.analysis import SECTION_GAP, Sections
from catalog.backends.whoosh_analysis import bigram_analyzer, prefix_analyzer, syllable_analyzer

#: Items (postings times three) per marshalled chunk of a run on disk.
RUN_CHUNK = 150_000
#: Memory of one posting and of one new term in the writer's pool, measured with
#: tracemalloc: the pool writes a run to disk past its limit.
POSTING_BYTES = 40
TERM_BYTES = 200
_CHUNK_SIZE = struct.Struct("<Q")


def _sections(value) -> tuple[list, tuple[float, ...]]:
    if not isinstance(value, Sections):
        value = Sections("", "", value)
        return value.analysed()[2:], (1.0,)
    return value.analysed(), Sections.BOOSTS


#: Encodings of the most common position lists and counts, made once.
_CACHED_POSITIONS = 4096
_ONE_POSITION = [pack_uint(1) + dumps([position], 2) for position in range(_CACHED_POSITIONS)]
_COUNTS = [pack_uint(count) for count in range(256)]


def _encode_positions(positions: list[int]) -> bytes:
    """whoosh's ``Positions`` encoding: the count, then the pickled gaps."""
    if len(positions) == 1 and positions[0] < _CACHED_POSITIONS:
        return _ONE_POSITION[positions[0]]
    gaps, base = [], 0
    for position in positions:
        gaps.append(position - base)
        base = position
    return pack_uint(len(gaps)) + dumps(gaps, 2)


def _encode_count(positions: list[int]) -> bytes:
    """whoosh's ``Frequency`` encoding: the count."""
    count = len(positions)
    return _COUNTS[count] if count < 256 else pack_uint(count)


class SectionText(fields.TEXT):
    """A text field whose :meth:`index` takes the terms of each section from its
    analyzer's ``terms`` (see :mod:`catalog.analysis`), weighted by section, with
    positions when ``phrase`` is set and counts otherwise."""

    def __init__(self, analyzer, phrase: bool):
        super().__init__(analyzer=analyzer, phrase=phrase)

    def _terms(self, value) -> tuple[dict[str, list[int]], dict[str, float]]:
        """The positions and the weight of each term of ``value``."""
        positions: dict[str, list[int]] = {}
        weights: dict[str, float] = {}
        base = 0
        sections, boosts = _sections(value)
        terms = self.analyzer.terms
        for sylls, boost in zip(sections, boosts, strict=True):
            for term, position, _syll in terms(sylls):
                where = positions.get(term)
                if where is None:
                    positions[term] = [base + position]
                    weights[term] = boost
                else:
                    where.append(base + position)
                    weights[term] += boost
            base += len(sylls) + SECTION_GAP
        return positions, weights

    def _encoder(self):
        return _encode_positions if self.format.supports("positions") else _encode_count

    def index(self, value, **kwargs):
        positions, weights = self._terms(value)
        encode = self._encoder()
        return [
            (term.encode("utf-8"), len(where), weights[term], encode(where))
            for term, where in positions.items()
        ]

    def postings(self, value) -> tuple[list[tuple[str, float, bytes]], int]:
        """``(term, weight, encoded value)`` of each term of ``value`` and the
        length of the field: what :meth:`index` gives, as the writer's pool takes it."""
        positions, weights = self._terms(value)
        encode = self._encoder()
        items = [(term, weights[term], encode(where)) for term, where in positions.items()]
        return items, sum(len(where) for where in positions.values())


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


class TermPool:
    """The postings of the new segment, gathered by field and term as they come.

    Documents are numbered in the order they are added, so each term's postings are
    already in document order: the segment is written term by term (only the terms
    are sorted, not every posting as in whoosh's pool). Each term holds one flat list
    ``[docnum, weight, value, docnum, ...]``. Past ``limit`` bytes the terms go to a
    run on disk (sorted, in marshalled chunks); the runs, which hold consecutive
    documents, are merged by term at the end, each term's lists joined in run order.
    """

    def __init__(self, tempstore, limit: int, text_fields: frozenset[str]):
        self.tempstore = tempstore
        self.limit = limit
        self.text_fields = text_fields
        self.fields: dict[str, dict] = defaultdict(dict)
        self.size = 0
        self.runs: list[str] = []

    def add(self, item) -> None:
        """Add one posting ``(field, term, docnum, weight, value)`` (whoosh's pool
        interface, used when older segments are merged into the new one)."""
        name, term, docnum, weight, value = item
        if name in self.text_fields:
            term = term.decode("utf-8")  # kept as text, like those of added documents
        postings = self.fields[name].get(term)
        if postings is None:
            self.fields[name][term] = [docnum, weight, value]
            self.size += TERM_BYTES + len(term)
        else:
            postings += (docnum, weight, value)
        self.size += POSTING_BYTES
        if self.size > self.limit:
            self.save()

    def save(self) -> None:
        """Write the terms held in memory to a run on disk."""
        if not self.fields:
            return
        name = f"{random_name()}.run"
        f = self.tempstore.create_file(name).raw_file()
        try:
            chunk, items = [], 0
            for field in sorted(self.fields):
                terms = self.fields[field]
                for term in sorted(terms):
                    postings = terms[term]
                    chunk.append((field, term, postings))
                    items += len(postings)
                    if items >= RUN_CHUNK:
                        _dump(f, chunk)
                        chunk, items = [], 0
            if chunk:
                _dump(f, chunk)
        finally:
            f.close()
        self.runs.append(name)
        self.fields = defaultdict(dict)
        self.size = 0

    def _read_run(self, name: str):
        f = self.tempstore.open_file(name).raw_file()
        try:
            while header := f.read(_CHUNK_SIZE.size):
                (size,) = _CHUNK_SIZE.unpack(header)
                yield from marshal.loads(f.read(size))
        finally:
            f.close()
            self.tempstore.delete_file(name)

    def terms(self):
        """``(field, term, postings)`` in field and term order, each term once."""
        if not self.runs:
            for field in sorted(self.fields):
                terms = self.fields[field]
                for term in sorted(terms):
                    yield field, term, terms[term]
            return
        self.save()
        merged = heapq.merge(*(self._read_run(name) for name in self.runs), key=_term_key)
        current = None
        for field, term, postings in merged:
            if current is not None and current[0] == field and current[1] == term:
                current[2].extend(postings)
                continue
            if current is not None:
                yield current
            current = (field, term, postings)
        if current is not None:
            yield current

    def cleanup(self) -> None:
        """Remove the runs left on disk (a cancelled writer)."""
        for name in self.runs:
            if self.tempstore.file_exists(name):
                self.tempstore.delete_file(name)
        self.runs = []


def _term_key(entry) -> tuple:
    return entry[0], entry[1]


def _dump(f, chunk: list) -> None:
    data = marshal.dumps(chunk)
    f.write(_CHUNK_SIZE.pack(len(data)))
    f.write(data)


def write_postings(fieldwriter, schema, lengths, written, terms) -> None:
    """What whoosh's ``FieldWriter.add_postings`` writes for the postings of
    ``terms`` (see :meth:`TermPool.terms`), filling the postings writer's blocks a
    slice at a time (the same blocks, statistics and files). ``lengths`` holds the
    field lengths of the documents added by this writer, ``written`` (the segment's
    per-document reader) those of documents merged in from older segments."""
    last_field = None
    scorable = False
    field_lengths: dict[int, int] = {}
    for field, term, postings in terms:
        if field != last_field:
            if last_field is not None:
                fieldwriter.finish_field()
            fieldobj = schema[field]
            fieldwriter.start_field(field, fieldobj)
            scorable = fieldobj.scorable
            field_lengths = lengths.get(field, {})
            last_field = field
        fieldwriter.start_term(term.encode("utf-8") if isinstance(term, str) else term)
        writer = fieldwriter._postwriter
        limit = writer._blocklimit
        ids, weights, values = postings[0::3], postings[1::3], postings[2::3]
        count, done = len(ids), 0
        while done < count:
            if len(writer._ids) >= limit:
                writer._write_block()
            end = done + limit - len(writer._ids)
            block = ids[done:end]
            writer._ids.extend(block)
            block_weights = weights[done:end]
            writer._weights.extend(block_weights)
            heaviest = max(block_weights)
            if heaviest > writer._maxweight:
                writer._maxweight = heaviest
            writer._values.extend(value for value in values[done:end] if value)
            if scorable:
                found = [
                    field_lengths.get(docnum) or written.doc_field_length(docnum, field, 0)
                    for docnum in block
                ]
                found = [length for length in found if length]
                if found:
                    shortest, longest = min(found), max(found)
                    if writer._minlength is None or shortest < writer._minlength:
                        writer._minlength = shortest
                    if longest > writer._maxlength:
                        writer._maxlength = longest
            done = end
        fieldwriter.finish_term()
    if last_field is not None:
        fieldwriter.finish_field()


def temp_name(ix) -> str:
    """A new name for a writer's folder of runs, in the index's folder."""
    return f"{runs_prefix(ix)}{random_name()}.tmp"


def runs_prefix(ix) -> str:
    """How the names of the writers' folders of runs begin."""
    return f"{ix.indexname}.runs-"


class FastSegmentWriter(SegmentWriter):
    """whoosh's ``SegmentWriter``, adding each document's postings to a
    :class:`TermPool` in one step."""

    def __init__(self, ix, limitmb: int = 128, **kwargs):
        super().__init__(ix, limitmb=limitmb, **kwargs)
        # A folder of its own for the runs: whoosh names it after the index, and a
        # writer destroys it when it ends, taking the runs of writers in other
        # processes (a parallel reindex) with it. (whoosh's folder stays, for the
        # temporary column files of the segment, which have names of their own.)
        self._tempstorage = self.storage.temp_storage(temp_name(ix))
        text_fields = frozenset(
            name for name, field in self.schema.items() if isinstance(field, SectionText)
        )
        self.pool = TermPool(self._tempstorage, limitmb * 1024 * 1024, text_fields)
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
                    length = self._add_postings(pool, name, field, value, docnum)
                    if field.scorable:
                        self._lengths[name][docnum] = byte_to_length(length_to_byte(length))
                    else:
                        length = 0
                perdoc.add_field(name, field, value if field.stored else None, length)
                if field.column_type:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        if pool.size > pool.limit:
            pool.save()
        self._added = True
        self.docnum += 1

    @staticmethod
    def _add_postings(pool: TermPool, name: str, field, value, docnum: int) -> int:
        """Add the postings of one field of a document; return the field's length."""
        terms = pool.fields[name]
        if isinstance(field, SectionText):
            items, length = field.postings(value)
        else:
            found = list(field.index(value))
            items = [(term, weight, vbytes) for term, _f, weight, vbytes in found]
            length = sum(item[1] for item in found)
        added = 0
        for term, weight, vbytes in items:
            postings = terms.get(term)
            if postings is None:
                terms[term] = [docnum, weight, vbytes]
                added += TERM_BYTES + len(term)
            else:
                postings += (docnum, weight, vbytes)
        pool.size += added + POSTING_BYTES * len(items)
        return length

    def _flush_segment(self):
        self.perdocwriter.close()
        written = self.per_document_reader()
        try:
            terms = self.pool.terms()
            write_postings(self.fieldwriter, self.schema, self._lengths, written, terms)
        finally:
            written.close()
        self.fieldwriter.close()
