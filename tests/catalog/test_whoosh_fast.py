"""The vectorized evaluation of common queries answers exactly what whoosh's own
evaluation answers: same hits in the same order, same scores, totals and facets, on
an index of several segments with deleted documents, with filters, sorting and
pages beyond the first."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

import catalog.backends.whoosh_search as whoosh_search_module
from catalog.backends import TextDoc
from catalog.backends.whoosh import WhooshBackend
from catalog.backends.whoosh_fast import SegmentCache, shape_of
from catalog.backends.whoosh_query import build_query, parse_query

EVERYONE = ["system.Everyone"]
EDITOR = ["system.Everyone", "role:Editor"]
START = datetime(2024, 1, 1, 3, 0, tzinfo=UTC)
SENTENCES = [
    "Ủy ban nhân dân tỉnh triển khai dịch vụ công trực tuyến cho người dân.",
    "Bà con mang nông sản ra chợ bán hàng, dịch vụ công được giới thiệu.",
    "Trường học nhận bàn ghế mới, người dân góp sức xây dựng.",
    "Cải cách hành chính giúp doanh nghiệp tiết kiệm thời gian.",
    "Chính quyền điện tử kết nối cơ sở dữ liệu dân cư.",
    "Dịch vụ công mức độ bốn giúp người dân nộp hồ sơ qua mạng.",
]
QUERIES = [
    "dịch vụ công",
    "dich vu cong",
    "người dân",
    "bán hàng",
    "bàn",
    "bán",
    "dân",
    "cơ sở dữ liệu",
    "doanh nghiệp tiết kiệm",
]


def make_doc(i: int) -> TextDoc:
    sentences = [SENTENCES[(i * k) % len(SENTENCES)] for k in range(1, 2 + i % 4)]
    return TextDoc(
        uid=f"d{i}",
        path=f"/don-vi-{i % 3}/tin-tuc/d{i}",
        type_name=("News", "Announcement", "Page")[i % 3],
        state="published" if i % 5 else "private",
        subsite=("", "/don-vi-1", "/don-vi-2")[i % 3],
        title=SENTENCES[i % len(SENTENCES)][: 20 + i % 30],
        description="",
        body=" ".join(sentences),
        allowed=("role:Editor",) if i % 7 == 0 else ("system.Everyone",),
        created=START + timedelta(days=i % 40),
        modified=START + timedelta(days=(i * 7) % 50),
        effective=START + timedelta(days=(i * 3) % 60),
        fields={"linh_vuc": [("hành chính", "kinh tế", "xã hội")[j] for j in range(i % 3 + 1)]},
    )


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    """Four segments (no merge: each commit is larger than the last), deletions in two."""
    backend = WhooshBackend(str(tmp_path_factory.mktemp("fast") / "whoosh"))
    first = 0
    for size in (40, 50, 60, 70):
        backend.index(make_doc(i) for i in range(first, first + size))
        first += size
    backend.unindex([f"d{i}" for i in (3, 5, 8, 44, 45, 61)])
    yield backend
    backend.close()


def whoosh_search(monkeypatch, backend, text, **options):
    """The same search evaluated by whoosh's own matchers and collector."""
    with monkeypatch.context() as patch:
        patch.setattr(whoosh_search_module, "shape_of", lambda q: None)
        return backend.search(text, **options)


def same(fast, slow) -> None:
    assert fast.total == slow.total
    assert [hit.uid for hit in fast.hits] == [hit.uid for hit in slow.hits]
    assert fast.facets == slow.facets
    assert [hit.score for hit in fast.hits] == pytest.approx([hit.score for hit in slow.hits])


def test_the_index_has_several_segments_and_deletions(backend):
    assert backend.stats()["segments"] == 4
    assert backend.stats()["documents"] == 214
    searcher = backend._current()
    assert sum(sub.reader().has_deletions() for sub, _offset in searcher.leaf_searchers()) == 2


def test_common_queries_are_evaluated_by_the_fast_path():
    for text in QUERIES:
        assert shape_of(build_query(parse_query(text), adjacent=True)) is not None
    assert shape_of(build_query(parse_query('"dịch vụ công"'), adjacent=True)) is None


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("principals", [EVERYONE, EDITOR])
def test_ranking_scores_and_totals_match_whoosh(backend, monkeypatch, text, principals):
    options = {"principals": principals, "size": 15, "facets": ["type_name", "subsite", "year"]}
    fast = backend.search(text, **options)
    slow = whoosh_search(monkeypatch, backend, text, **options)
    assert fast.total > 0
    same(fast, slow)


def test_deleted_documents_are_never_counted_or_shown(backend):
    found = backend.search("dich vu cong", principals=EDITOR, size=500)
    uids = {hit.uid for hit in found.hits}
    assert found.total == len(uids)
    assert uids.isdisjoint({"d3", "d5", "d8", "d44", "d45", "d61"})
    expected = {
        f"d{i}"
        for i in range(220)
        if i not in (3, 5, 8, 44, 45, 61)
        and "dịch vụ công" in make_doc(i).body.lower()
        or i not in (3, 5, 8, 44, 45, 61)
        and "dịch vụ công" in make_doc(i).title.lower()
    }
    assert uids == expected


@pytest.mark.parametrize(
    "options",
    [
        {"path": "/don-vi-1"},
        {"types": ["News", "Page"], "states": ["published"]},
        {"subsite": "/don-vi-2", "facets": ["linh_vuc", "type_name"]},
        {"fields": {"linh_vuc": "xã hội"}, "facets": ["linh_vuc"]},
        {"date_ranges": {"created": (START.date() + timedelta(days=5), None)}},
    ],
)
def test_filters_and_facets_match_whoosh(backend, monkeypatch, options):
    for text in ("dịch vụ công", "người dân", "dân"):
        fast = backend.search(text, principals=EVERYONE, **options)
        same(fast, whoosh_search(monkeypatch, backend, text, principals=EVERYONE, **options))


def test_nothing_for_editors_only_reaches_everyone(backend):
    found = backend.search("dân", principals=EVERYONE, size=500, facets=["type_name"])
    hidden = {f"d{i}" for i in range(220) if i % 7 == 0}
    assert found.total == len(found.hits) > 0
    assert hidden.isdisjoint(hit.uid for hit in found.hits)
    assert sum(found.facets["type_name"].values()) == found.total


@pytest.mark.parametrize("sort_on", ["created", "modified", "effective", "date", "title"])
@pytest.mark.parametrize("reverse", [True, False])
def test_sorting_and_paging_match_whoosh(backend, monkeypatch, sort_on, reverse):
    for start in (0, 10, 30):
        options = {"principals": EVERYONE, "sort_on": sort_on, "reverse": reverse, "start": start}
        options["size"] = 10
        fast = backend.search("người dân", **options)
        same(fast, whoosh_search(monkeypatch, backend, "người dân", **options))


def test_pages_of_one_hit_cover_every_match_once(backend):
    total = backend.search("dịch vụ công", principals=EVERYONE).total
    pages = [
        backend.search("dịch vụ công", principals=EVERYONE, start=i, size=1) for i in range(total)
    ]
    seen = [hit.uid for page in pages for hit in page.hits]
    assert len(seen) == len(set(seen)) == total
    assert all(page.total == total for page in pages)


def test_an_accented_query_ranks_exact_accents_first_across_segments(backend):
    backend.index([replace(make_doc(302), uid="ban", title="Chợ phiên bán hàng")])
    backend.index([replace(make_doc(303), uid="ban-ghe", title="Trường nhận bàn ghế")])
    try:
        order = [hit.uid for hit in backend.search("bán", principals=EVERYONE, size=500).hits]
        assert order.index("ban") < order.index("ban-ghe")
        order = [hit.uid for hit in backend.search("bàn", principals=EVERYONE, size=500).hits]
        assert order.index("ban-ghe") < order.index("ban")
    finally:
        backend.unindex(["ban", "ban-ghe"])


def test_a_small_cache_drops_old_postings_and_answers_the_same(backend):
    expected = {text: backend.search(text, principals=EVERYONE) for text in QUERIES}
    cache, backend._cache = backend._cache, SegmentCache(limit=4096)
    try:
        for text in QUERIES:
            same(backend.search(text, principals=EVERYONE), expected[text])
        assert backend._cache.size <= 4096 or len(backend._cache._items) == 1
    finally:
        backend._cache = cache


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"path": "/don-vi-1"},
        {"types": ("News", "Page"), "states": ("published",), "subsite": "/don-vi-2"},
        {"fields": {"linh_vuc": ["xã hội", "kinh tế"]}},
        {"date_ranges": {"created": (START.date() + timedelta(days=5), None)}},
    ],
)
@pytest.mark.parametrize("principals", [EVERYONE, EDITOR])
def test_filter_masks_are_the_documents_whoosh_finds(backend, filters, principals):
    from catalog.backends.whoosh_fast import filter_mask
    from catalog.backends.whoosh_query import filter_query

    q = filter_query(frozenset(principals), **filters)
    searcher = backend._current()
    mask = filter_mask(searcher, backend._cache, q)
    expected = set(searcher.docs_for_query(q))
    assert set(np.flatnonzero(mask).tolist()) == expected
    assert expected
