"""The private internals of whoosh-reloaded that the accelerated whoosh backend
reads, checked against the installed version.

``catalog/backends/whoosh_fast.py`` decodes posting blocks and columns from whoosh's
files itself, ``whoosh_scoring.py`` reads the length columns, ``whoosh_writing.py``
fills whoosh's postings writer and replaces its writer's posting pool, and
``whoosh_parallel.py`` drives a segment writer's commit step by step. None of this is
whoosh's public API, so setup.py pins the version exactly; this file fails, naming
the internal and the module reading it, when a whoosh-reloaded other than the
pinned one is installed or when what those modules read is no longer there or no
longer means the same (then: fix the modules, run the whoosh tests, move the pin).
"""

from __future__ import annotations

import inspect
import re
import zlib
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from pickle import loads

import numpy as np
import pytest
from whoosh import columns, formats, scoring, sorting
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.collectors import ScoredCollector
from whoosh.matching.wrappers import FilterMatcher
from whoosh.writing import OPTIMIZE, SegmentWriter

from catalog.backends import TextDoc
from catalog.backends.whoosh import WhooshBackend
from catalog.backends.whoosh_fast import _column, _decode, _lengths
from catalog.backends.whoosh_schema import document
from catalog.backends.whoosh_scoring import MemoryBM25F
from catalog.backends.whoosh_writing import FastSegmentWriter, _encode_count, _encode_positions

SETUP = Path(__file__).resolve().parents[2] / "setup.py"
#: More postings than whoosh's blocks hold (128), so the common terms span blocks.
DOCUMENTS = 300
START = datetime(2024, 1, 1, 2, 0, tzinfo=UTC)


def pinned_version() -> str:
    found = re.search(r'"whoosh-reloaded==([^"]+)"', SETUP.read_text(encoding="utf-8"))
    assert found, "setup.py must pin whoosh-reloaded exactly (whoosh-reloaded==X.Y.Z)"
    return found.group(1)


def test_the_installed_whoosh_reloaded_is_the_pinned_version():
    installed, pinned = version("whoosh-reloaded"), pinned_version()
    assert installed == pinned, (
        f"whoosh-reloaded {installed} is installed but setup.py pins {pinned}: the "
        "accelerated whoosh backend reads private internals of the pinned version. Run "
        "tests/catalog/test_whoosh_internals.py and the whoosh tests on the new one, fix "
        "catalog/backends/whoosh_*.py where they fail, then move the pin."
    )


def doc(i: int) -> TextDoc:
    when = START + timedelta(hours=i)
    return TextDoc(
        uid=f"d{i}",
        path=f"/tin-tuc/d{i}",
        type_name="News" if i % 3 else "Page",
        state="published",
        subsite="",
        title=f"Dịch vụ công số {i}",
        description="Thủ tục hành chính",
        body="Người dân nộp hồ sơ dịch vụ công trực tuyến. " * (1 + i % 4),
        allowed=("system.Everyone",),
        created=when,
        modified=when,
    )


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    """An index of two segments, with a deleted document in the first."""
    backend = WhooshBackend(str(tmp_path_factory.mktemp("internals") / "whoosh"))
    backend.index(doc(i) for i in range(DOCUMENTS))
    backend.unindex(["d7"])
    backend.index(doc(i) for i in range(DOCUMENTS, DOCUMENTS + 20))
    yield backend
    backend.close()


@pytest.fixture(scope="module")
def reader(backend):
    """The reader of the first segment (the one with a deletion and several blocks)."""
    searcher = backend._current()
    return searcher.leaf_searchers()[0][0].reader()


def unwrap(matcher):
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


# private names ---------------------------------------------------------------------------
# Each gives the object a private name is read on; ``writers`` gathers the writers
# opened, cancelled afterwards (never committed: the index stays as it is).
def postings_matcher(backend, reader, writers):
    matcher = reader.postings("w", "dich")
    assert isinstance(matcher, FilterMatcher), (
        "a segment with deletions no longer wraps its postings in "
        "whoosh.matching.wrappers.FilterMatcher (whoosh_fast._decode unwraps it)"
    )
    return matcher.child


def numeric_column(backend, reader, writers):
    return reader.column_reader("created", translate=False)


def bytes_column(backend, reader, writers):
    return reader.column_reader("title_key", translate=False)


def length_column(backend, reader, writers):
    return reader._perdoc._cached_reader("_w_len", LENGTHS_COLUMN)


def segment_writer(backend, reader, writers):
    writer = FastSegmentWriter(backend._ix, _lk=False, compound=False)
    writers.append(writer)
    return writer


def field_writer(backend, reader, writers):
    return segment_writer(backend, reader, writers).fieldwriter


def postings_writer(backend, reader, writers):
    fieldwriter = field_writer(backend, reader, writers)
    fieldwriter.start_field("w", backend._ix.schema["w"])
    fieldwriter.start_term(b"dich")
    return fieldwriter._postwriter


def weighting(backend, reader, writers):
    return MemoryBM25F()


#: (what is read, the object it is read on, its attributes, the modules reading them)
PRIVATE = [
    ("W3LeafMatcher", postings_matcher,
     ("_postfile", "_dataoffset", "_nextoffset", "_compression", "_blocklength",
      "_lastblock", "_goto"), "whoosh_fast._decode"),
    ("NumericColumn.Reader", numeric_column,
     ("_dbfile", "_basepos", "_count", "_fixedlen", "_default", "_typecode"),
     "whoosh_fast._column"),
    ("VarBytesColumn.Reader", bytes_column, ("_dbfile", "_basepos", "_lengths"),
     "whoosh_fast._column"),
    ("the length column (reader._perdoc._cached_reader)", length_column,
     ("_dbfile", "_basepos", "_count"), "whoosh_fast._lengths, whoosh_scoring.MemoryBM25F"),
    ("W3FieldWriter", field_writer, ("_postwriter",), "whoosh_writing.write_postings"),
    ("W3PostingsWriter", postings_writer,
     ("_blocklimit", "_ids", "_weights", "_values", "_maxweight", "_minlength",
      "_maxlength", "_write_block"), "whoosh_writing.write_postings"),
    ("SegmentWriter", segment_writer,
     ("_tempstorage", "pool", "perdocwriter", "fieldwriter", "docnum", "schema", "storage",
      "_added", "_check_state", "_flush_segment", "_finalize_segment", "_close_segment",
      "_finish", "per_document_reader", "is_closed"),
     "whoosh_writing.FastSegmentWriter, whoosh_parallel"),
    ("BM25F", weighting, ("_field_B", "B", "K1"), "whoosh_fast.Evaluator._scored"),
]  # fmt: skip


@pytest.mark.parametrize(
    "what, owner, names, used_by", PRIVATE, ids=[entry[0].split(" ")[0] for entry in PRIVATE]
)
def test_the_private_names_read_are_there(backend, reader, what, owner, names, used_by):
    writers = []
    try:
        found = owner(backend, reader, writers)
        missing = [name for name in names if not hasattr(found, name)]
    finally:
        for writer in writers:
            writer.cancel()
    assert found is not None, f"whoosh gives no {what} any more (read by {used_by})"
    assert not missing, f"whoosh's {what} has no {', '.join(missing)} any more (read by {used_by})"


def test_the_segment_writer_takes_the_arguments_passed_to_it():
    params = inspect.signature(SegmentWriter.__init__).parameters
    missing = [
        p for p in ("ix", "timeout", "delay", "_lk", "limitmb", "compound") if p not in params
    ]
    assert not missing, (
        f"whoosh's SegmentWriter takes no {', '.join(missing)} any more (passed by "
        "whoosh.WhooshBackend._writer, whoosh_parallel.BulkRebuild and write_segment)"
    )


# what they mean --------------------------------------------------------------------------
def test_posting_blocks_decode_as_whoosh_reads_them(reader):
    """A block is a pickle (zlib-compressed when ``_compression``) whose first two
    items are the document numbers as gaps and the weights (None: all 1; a float:
    all that)."""
    leaf = unwrap(reader.postings("w", "dich"))
    assert not leaf._lastblock, "the first segment's postings of 'dich' should span blocks"
    data = leaf._postfile.get(leaf._dataoffset, leaf._nextoffset - leaf._dataoffset)
    gaps = loads(zlib.decompress(data) if leaf._compression else data)[0]
    expected = []
    while len(expected) < leaf._blocklength:
        expected.append(leaf.id())
        leaf.next()
    assert np.cumsum(gaps).tolist() == expected, "posting blocks no longer hold gaps first"
    ids, weights = _decode(reader, "w", "dich")
    matcher = unwrap(reader.postings("w", "dich"))
    whoosh_ids, whoosh_weights = [], []
    while matcher.is_active():
        whoosh_ids.append(matcher.id())
        whoosh_weights.append(matcher.weight())
        matcher.next()
    assert ids.tolist() == whoosh_ids, "whoosh_fast._decode reads other documents than whoosh"
    assert weights.tolist() == pytest.approx(whoosh_weights), "whoosh_fast._decode: other weights"


def test_columns_and_lengths_read_as_whoosh_reads_them(reader):
    count = reader.doc_count_all()
    lengths = _lengths(reader, "w")
    assert lengths.tolist() == [reader.doc_field_length(d, "w", 1) or 1 for d in range(count)], (
        "the length column is no longer a byte per document (whoosh_fast._lengths)"
    )
    for name in ("created", "title_key", "uid"):
        codes, values = _column(reader, name)[:2]
        plain = reader.column_reader(name, translate=False)
        assert [values[c] for c in codes] == [plain[d] for d in range(count)], (
            f"the column {name!r} is not read as whoosh reads it (whoosh_fast._column)"
        )


def test_memory_lengths_score_as_whoosh(backend, reader):
    """``MemoryBM25F`` replaces the scorer's ``dfl`` (the field length of a document):
    whoosh's BM25F scorer must read it there."""
    searcher = backend._current()
    scorer = scoring.BM25F().scorer(searcher, "w", "dich")
    assert isinstance(scorer, scoring.BM25FScorer), "BM25F no longer makes a BM25FScorer"
    matcher = unwrap(reader.postings("w", "dich"))
    before = scorer.score(matcher)
    scorer.dfl = lambda docnum: 10_000
    assert scorer.score(matcher) != before, "BM25FScorer.score no longer reads self.dfl"
    memory = MemoryBM25F().scorer(searcher.leaf_searchers()[0][0], "w", "dich")
    plain = scoring.BM25F().scorer(searcher.leaf_searchers()[0][0], "w", "dich")
    assert memory.score(matcher) == pytest.approx(plain.score(matcher))


def test_the_collector_chain_ends_in_a_scored_collector_with_replace(backend):
    """The slow path turns off ``replace`` on the innermost collector so every match
    is counted (whoosh_search.Runner)."""
    searcher = backend._current()
    facets = sorting.Facets({"type_name": sorting.FieldFacet("type_name")})
    inner = searcher.collector(limit=5, groupedby=facets, maptype=sorting.Count)
    while hasattr(inner, "child"):
        inner = inner.child
    assert isinstance(inner, ScoredCollector) and hasattr(inner, "replace"), (
        "the innermost collector has no 'replace' to turn off any more (whoosh_search.Runner)"
    )


def test_the_writers_encodings_are_whoosh_s(backend):
    positions = [0, 3, 4, 120, 5000]
    assert formats.Positions().decode_positions(_encode_positions(positions)) == positions
    assert _encode_positions(positions) == formats.Positions().encode(positions)
    assert formats.Frequency().decode_frequency(_encode_count(positions)) == len(positions)
    assert columns.VarBytesListColumn().stores_lists(), "list columns no longer say so"


def test_a_commit_goes_through_the_steps_the_fast_writers_override(tmp_path):
    """``commit`` merges older segments through ``self.pool.add`` (5-tuples),
    writes the new segment in ``_flush_segment`` (called by ``_finalize_segment``),
    cleans the pool in ``_close_segment`` and removes ``_tempstorage`` in ``_finish``."""
    calls = []

    class Spy(FastSegmentWriter):
        def _flush_segment(self):
            calls.append("flush")
            super()._flush_segment()

    backend = WhooshBackend(str(tmp_path / "whoosh"))
    try:
        backend.index(doc(i) for i in range(5))
        writer = Spy(backend._ix, compound=False)
        added, cleanup = writer.pool.add, writer.pool.cleanup
        writer.pool.add = lambda item: calls.append(("add", len(item))) or added(item)
        writer.pool.cleanup = lambda: calls.append("cleanup") or cleanup()
        folder = writer._tempstorage.folder
        writer.add_document(**document(doc(9)))
        writer.commit(mergetype=OPTIMIZE)
        assert ("add", 5) in calls, "merged postings no longer reach the writer's pool.add"
        assert "flush" in calls, "_finalize_segment no longer calls _flush_segment"
        assert "cleanup" in calls, "_close_segment no longer calls pool.cleanup"
        assert not Path(folder).exists(), "_finish no longer destroys _tempstorage"
        assert backend.stats()["documents"] == 6
    finally:
        backend.close()
