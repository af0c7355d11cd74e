"""The fast segment writer writes what whoosh's own writer writes: the same terms,
weights, positions and lengths, so the same hits and scores."""

from __future__ import annotations

from whoosh import fields, index
from whoosh.writing import SegmentWriter

from catalog.backends.whoosh import WhooshBackend
from catalog.backends.whoosh_analysis import bigram_analyzer, prefix_analyzer, syllable_analyzer
from catalog.backends.whoosh_query import build_query, parse_query
from catalog.backends.whoosh_schema import INDEX_NAME, document, make_schema
from catalog.backends.whoosh_scoring import MemoryBM25F
from catalog.backends.whoosh_writing import FastSegmentWriter
from tests.catalog.test_whoosh_backend import DOCS, doc

WORDS = (
    "dịch vụ công trực tuyến ủy ban nhân dân tỉnh thủ tục hành chính một cửa người dân "
    "doanh nghiệp hòa giải thuý khoẻ Đà Nẵng cơ sở dữ liệu văn bản điện tử"
).split()


def corpus(count: int) -> list:
    """Documents of varied lengths, repeated words (several positions per term) and
    long bodies (positions past the writer's cached encodings)."""
    docs = list(DOCS)
    for i in range(count):
        title = " ".join(WORDS[(i + k * 7) % len(WORDS)] for k in range(3 + i % 5))
        body = ". ".join(
            " ".join(WORDS[(i * j + k) % len(WORDS)] for k in range(2 + (i + j) % 9))
            for j in range(1 + (i * 37) % 40)
        )
        docs.append(doc(f"d{i}", title, body, description=f"Mô tả {WORDS[i % len(WORDS)]} số {i}"))
    docs.append(doc("long", "Báo cáo dài", ". ".join([" ".join(WORDS)] * 300)))
    return docs


def whoosh_schema() -> fields.Schema:
    """The backend's schema with whoosh's own text fields: whoosh runs the analyzers
    (tokens with boosts and positions) and encodes the postings itself."""
    schema = make_schema()
    for name, field in (
        ("w", fields.TEXT(analyzer=syllable_analyzer(), phrase=True)),
        ("b", fields.TEXT(analyzer=bigram_analyzer(), phrase=False)),
        ("s", fields.TEXT(analyzer=prefix_analyzer(), phrase=False)),
    ):
        schema.remove(name)
        schema.add(name, field)
    return schema


def write(path, docs, writer_class, limit: int | None = None) -> index.Index:
    """Index ``docs`` with ``writer_class`` (whoosh's own writer and fields, or the
    fast ones), the posting pool sorting runs of ``limit`` bytes on disk when given."""
    values = [document(d) for d in docs]
    path.mkdir(parents=True, exist_ok=True)
    if writer_class is SegmentWriter:
        ix = index.create_in(str(path), whoosh_schema(), indexname=INDEX_NAME)
    else:
        ix = index.create_in(str(path), make_schema(), indexname=INDEX_NAME)
    writer = writer_class(ix, compound=False)
    if limit is not None:
        writer.pool.limit = limit
    for value in values:
        writer.add_document(**value)
    writer.commit()
    return ix


def contents(ix) -> tuple[list, dict, list]:
    """Every posting, every field length and the stored fields of an index."""
    with ix.reader() as reader:
        postings = list(reader.iter_postings())
        lengths = {
            (name, docnum): reader.doc_field_length(docnum, name)
            for name in ("w", "b", "s")
            for docnum in reader.all_doc_ids()
        }
        stored = list(reader.all_stored_fields())
    return postings, lengths, stored


def test_the_fast_writer_writes_the_postings_of_whoosh_s_own_writer(tmp_path):
    docs = corpus(120)
    plain = write(tmp_path / "plain", docs, SegmentWriter)
    fast = write(tmp_path / "fast", docs, FastSegmentWriter, limit=200_000)
    expected = contents(plain)
    postings = expected[0]
    assert len(postings) > 20_000
    assert {field for field, *_rest in postings} >= {"w", "b", "s", "uid", "paths"}
    assert any(weight > 1 for field, _t, _d, weight, _v in postings if field == "w")
    assert max(length for (field, _d), length in expected[1].items() if field == "w") > 5000
    assert contents(fast) == expected


def test_documents_indexed_by_the_fast_writer_answer_the_same_hits_and_scores(tmp_path):
    docs = corpus(60)
    plain = write(tmp_path / "plain", docs, SegmentWriter)
    fast = write(tmp_path / "fast", docs, FastSegmentWriter, limit=50_000)
    queries = ["dịch vụ công", "thu tuc hanh chinh", "hoà giải", '"ủy ban nhân dân"', "Đà Nẵng"]
    for text in queries:
        for adjacent in (True, False):
            q = build_query(parse_query(text), adjacent=adjacent)
            with plain.searcher(weighting=MemoryBM25F()) as a:
                with fast.searcher(weighting=MemoryBM25F()) as b:
                    found = [(h["uid"], h.score) for h in a.search(q, limit=None)]
                    assert found
                    assert [(h["uid"], h.score) for h in b.search(q, limit=None)] == found


def by_uid(ix) -> tuple[set, dict]:
    """The postings and field lengths of an index, documents named by uid (merging
    segments renumbers them)."""
    with ix.reader() as reader:
        uid = {docnum: fields["uid"] for docnum, fields in reader.iter_docs()}
        postings = {
            (field, term, uid[docnum], weight, value)
            for field, term, docnum, weight, value in reader.iter_postings()
        }
        lengths = {
            (name, uid[docnum]): reader.doc_field_length(docnum, name)
            for name in ("w", "b", "s")
            for docnum in reader.all_doc_ids()
        }
    return postings, lengths


def test_segments_merged_by_the_fast_writer_keep_every_posting(tmp_path):
    docs = corpus(90)
    plain = write(tmp_path / "plain", docs, SegmentWriter)
    backend = WhooshBackend(str(tmp_path / "fast"))
    try:
        for start in range(0, len(docs) - 20, 20):  # small segments, merged by later commits
            backend.index(docs[start : start + 20])
        writer = FastSegmentWriter(backend._ix, compound=False)
        writer.pool.limit = 100_000  # merged postings go through runs on disk too
        for d in docs[len(docs) - 20 :]:  # new documents and merged ones in one segment
            writer.add_document(**document(d))
        writer.commit(optimize=True)
        assert backend.stats()["segments"] == 1
        assert by_uid(backend._ix) == by_uid(plain)
    finally:
        backend.close()
