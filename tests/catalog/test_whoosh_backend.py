"""The whoosh full-text backend on a real index, with Vietnamese news-like sentences."""

from __future__ import annotations

import threading
import unicodedata
from datetime import UTC, date, datetime

import pytest

from catalog.backends import BackendBusy, TextDoc, TextResults
from catalog.backends.whoosh import WhooshBackend
from catalog.backends.whoosh_schema import INDEX_NAME
from catalog.backends.whoosh_snippets import make_snippet
from core.crypt.keys import new_key_line, parse_keys
from core.crypt.records import Cipher
from core.settings import SettingsError

EVERYONE = ["system.Everyone"]
EDITOR = ["system.Everyone", "role:Editor"]
NOON = datetime(2024, 5, 1, 5, 0, tzinfo=UTC)


def doc(uid: str, title: str, body: str = "", **values) -> TextDoc:
    values.setdefault("path", f"/tin-tuc/{uid}")
    values.setdefault("type_name", "News")
    values.setdefault("state", "published")
    values.setdefault("subsite", "")
    values.setdefault("description", "")
    values.setdefault("allowed", ("system.Everyone",))
    values.setdefault("created", NOON)
    values.setdefault("modified", NOON)
    return TextDoc(uid=uid, title=title, body=body, **values)


DOCS = [
    doc(
        "hoi-nghi",
        "Hội nghị trực tuyến về cải cách hành chính",
        "Ủy ban nhân dân tỉnh tổ chức hội nghị về dịch vụ công trực tuyến. "
        "Các sở, ngành báo cáo kết quả giải quyết hồ sơ của người dân.",
        type_name="News",
        fields={"linh_vuc": ["hành chính", "công nghệ"]},
    ),
    doc(
        "tu-van",
        "Người dân được tư vấn",
        "Công chức tư vấn cho người dân cách nộp hồ sơ qua mạng. "
        "Dịch vụ này giúp tiết kiệm thời gian đi lại.",
        fields={"linh_vuc": "hành chính"},
    ),
    doc(
        "du-lich",
        "Du lịch Đà Nẵng đón khách trở lại",
        "Thành phố Đà Nẵng đón hàng nghìn lượt khách trong dịp nghỉ lễ.",
        path="/da-nang/tin-tuc/du-lich",
        subsite="/da-nang",
        type_name="Event",
    ),
    doc("ban-hang", "Chợ phiên bán hàng nông sản", "Bà con mang nông sản ra chợ bán hàng."),
    doc("ban-ghe", "Trường học nhận bàn ghế mới", "Nhà trường nhận bàn ghế cho học sinh."),
    doc("hoa-giai-moi", "Tổ hoà giải ở cơ sở", "Tổ hoà giải họp bàn về tranh chấp đất đai."),
    doc("hoa-giai-cu", "Hòa giải viên giỏi", "Hòa giải viên được khen thưởng."),
    doc("thuy", "Bà Nguyễn Thị Thuý nhận giải thưởng", "Bà Thúy là giáo viên lâu năm."),
    doc(
        "mat",
        "Kế hoạch tuyệt mật về xuồng cứu hộ",
        "Dự thảo tuyệt mật: dịch vụ công trực tuyến mức độ bốn, xuồng cứu hộ.",
        allowed=("role:Editor",),
        type_name="Document",
        subsite="/mat",
        fields={"linh_vuc": "quốc phòng"},
    ),
]


@pytest.fixture
def backend(tmp_path):
    backend = WhooshBackend(str(tmp_path / "whoosh"))
    backend.index(DOCS)
    yield backend
    backend.close()


def uids(results: TextResults) -> list[str]:
    return [hit.uid for hit in results.hits]


def search(backend, text, principals=EVERYONE, **options) -> TextResults:
    return backend.search(text, principals=principals, **options)


# folding, tone placement, decomposed input ------------------------------------------


def test_a_query_without_accents_finds_the_accented_text(backend):
    assert uids(search(backend, "dich vu cong"))[0] == "hoi-nghi"
    assert uids(search(backend, "da nang")) == ["du-lich"]
    assert uids(search(backend, "DA NANG")) == ["du-lich"]


def test_both_tone_placements_find_both_spellings(backend):
    for query in ("hoà giải", "hòa giải", "hoa giai"):
        assert set(uids(search(backend, query))) == {"hoa-giai-moi", "hoa-giai-cu"}
    for query in ("thuý", "thúy"):
        assert uids(search(backend, query)) == ["thuy"]


def test_decomposed_query_behaves_like_a_composed_one(backend):
    composed = search(backend, "Đà Nẵng")
    decomposed = search(backend, unicodedata.normalize("NFD", "Đà Nẵng"))
    assert uids(decomposed) == uids(composed) == ["du-lich"]
    assert decomposed.hits[0].score == composed.hits[0].score


def test_decomposed_text_is_indexed_and_highlighted_like_composed(backend):
    body = unicodedata.normalize("NFD", "Lễ hội pháo hoa quốc tế ở Thành phố Huế.")
    backend.index([doc("nfd", unicodedata.normalize("NFD", "Lễ hội Huế"), body)])
    results = search(backend, "phao hoa")
    assert uids(results) == ["nfd"]
    assert "<mark>pháo hoa</mark>" in results.hits[0].snippet


# ranking -------------------------------------------------------------------------------


def test_a_query_with_accents_ranks_exact_accents_first(backend):
    assert uids(search(backend, "bán"))[:2] == ["ban-hang", "ban-ghe"]
    found = uids(search(backend, "bàn"))
    # "bàn ghế" in a title, then "họp bàn" in a body, before "bán hàng"
    assert found[:2] == ["ban-ghe", "hoa-giai-moi"]
    assert found.index("ban-hang") > 1
    assert uids(search(backend, "bán hàng"))[0] == "ban-hang"


def test_an_accented_query_counts_every_match(tmp_path):
    # Exact-accent matches come first and score higher and higher: whoosh's matcher
    # replacement would stop counting the folded-only ones once its top-N heap fills.
    backend = WhooshBackend(str(tmp_path / "many"))
    exact = [doc(f"a{i}", "Thủ tục hành chính" + " mới" * (25 - i)) for i in range(25)]
    folded = [doc(f"f{i}", f"Tin số {i}", "Hướng dẫn thu tuc hanh chinh.") for i in range(75)]
    try:
        backend.index(exact + folded)
        accented = search(backend, "thủ tục hành chính", size=5)
        assert accented.total == search(backend, "thu tuc hanh chinh", size=5).total == 100
        assert all(uid.startswith("a") for uid in uids(accented))
    finally:
        backend.close()


def test_a_query_without_accents_matches_every_spelling(backend):
    found = uids(search(backend, "ban"))
    assert {"ban-hang", "ban-ghe", "hoi-nghi"} <= set(found)


def test_adjacent_syllables_rank_first_and_scattered_ones_are_found_too(backend):
    found = uids(search(backend, "dịch vụ công"))
    # "dịch vụ công" in hoi-nghi; "Công ... Dịch vụ" scattered in tu-van
    assert found[:1] == ["hoi-nghi"]
    assert "tu-van" in found


def test_a_title_match_outranks_a_body_match(backend):
    backend.index(
        [
            doc("body-only", "Tin tổng hợp", "Tuần qua có một buổi nói chuyện về nông sản sạch."),
            doc("title", "Nông sản sạch", "Tin tổng hợp trong tuần."),
        ]
    )
    assert uids(search(backend, "nông sản sạch"))[0] == "title"


# phrases --------------------------------------------------------------------------------


def test_a_quoted_phrase_requires_the_syllables_in_order(backend):
    assert uids(search(backend, '"dịch vụ công"')) == ["hoi-nghi"]
    assert uids(search(backend, '"dich vu cong"')) == ["hoi-nghi"]
    assert uids(search(backend, '"cong dich vu"')) == []
    assert uids(search(backend, '"nhân dân tỉnh tổ chức"')) == ["hoi-nghi"]
    assert uids(search(backend, '"nhân dân tổ chức"')) == []


def test_a_phrase_and_loose_words_combine(backend):
    assert uids(search(backend, '"hồ sơ" người dân mạng')) == ["tu-van"]


# suggestions -----------------------------------------------------------------------------


def test_suggest_completes_title_prefixes(backend):
    assert backend.suggest("hoi ng", principals=EVERYONE) == [
        "Hội nghị trực tuyến về cải cách hành chính"
    ]
    assert backend.suggest("Đà N", principals=EVERYONE) == ["Du lịch Đà Nẵng đón khách trở lại"]
    assert "Tổ hoà giải ở cơ sở" in backend.suggest("hòa gi", principals=EVERYONE)
    assert backend.suggest("", principals=EVERYONE) == []


def test_suggest_documents_gives_uids_for_links(backend):
    assert backend.suggest_documents("du lich", principals=EVERYONE) == [
        ("du-lich", "Du lịch Đà Nẵng đón khách trở lại")
    ]


def test_did_you_mean_offers_the_indexed_spelling(backend):
    results = search(backend, "dihc vu cnog")
    assert results.total == 0
    assert results.suggestion == "dịch vụ công"
    assert search(backend, "dịch vụ công").suggestion is None


# security ----------------------------------------------------------------------------------


def test_a_document_for_editors_never_reaches_everyone(backend):
    for query in ("tuyệt mật", "xuong cuu ho", "dịch vụ công trực tuyến", '"mức độ bốn"'):
        results = search(backend, query, facets=["type_name", "subsite", "year", "linh_vuc"])
        assert "mat" not in uids(results)
        assert "mật" not in "".join(hit.snippet for hit in results.hits)
        assert "Document" not in results.facets["type_name"]
        assert "/mat" not in results.facets["subsite"]
        assert "quốc phòng" not in results.facets["linh_vuc"]
    assert search(backend, "tuyệt mật").total == 0
    assert search(backend, "xuong cuu ho").total == 0
    assert backend.suggest("xuong", principals=EVERYONE) == []
    assert backend.suggest("ke hoach tuyet", principals=EVERYONE) == []
    # the word exists only in the secret document: no "did you mean" towards it
    assert search(backend, "xuongg cuu ho").suggestion is None


def test_the_allowed_principals_see_the_document(backend):
    assert uids(search(backend, "tuyệt mật", principals=EDITOR)) == ["mat"]
    assert backend.suggest("xuong", principals=EDITOR) == ["Kế hoạch tuyệt mật về xuồng cứu hộ"]
    assert search(backend, "xuongg cuu ho", principals=EDITOR).suggestion == "xuồng cứu hộ"
    facets = search(backend, "dich vu cong", principals=EDITOR, facets=["type_name"]).facets
    assert facets["type_name"]["Document"] == 1


def test_no_principals_see_nothing(backend):
    assert search(backend, "dich vu", principals=[]).total == 0
    assert search(backend, "dich vu", principals=["nobody"]).total == 0
    assert backend.suggest("hoi", principals=["nobody"]) == []


def test_a_permission_change_takes_effect_on_reindex(backend):
    assert search(backend, "tuyệt mật").total == 0
    backend.index([doc("mat", "Kế hoạch tuyệt mật về xuồng cứu hộ", "Đã giải mật.")])
    assert uids(search(backend, "tuyệt mật")) == ["mat"]


# filters, facets, sorting and paging ----------------------------------------------------------


def test_path_means_the_subtree(backend):
    backend.index(
        [
            doc("exact", "Đà Nẵng", path="/da-nang"),
            doc("sibling", "Đà Nẵng", path="/da-nang-cu/tin"),
        ]
    )
    assert set(uids(search(backend, "da nang", path="/da-nang"))) == {"du-lich", "exact"}
    assert set(uids(search(backend, "da nang", path="/da-nang/"))) == {"du-lich", "exact"}
    assert uids(search(backend, "da nang", path="/da-nang/tin-tuc")) == ["du-lich"]
    assert search(backend, "da nang", path="/").total == 3
    assert search(backend, "da nang", path="/khong-co").total == 0


def test_type_state_subsite_and_field_filters(backend):
    assert uids(search(backend, "da nang", types=["Event"])) == ["du-lich"]
    assert search(backend, "da nang", types=["News"]).total == 0
    assert uids(search(backend, "da nang", types="Event")) == ["du-lich"]
    assert search(backend, "da nang", states=["private"]).total == 0
    assert uids(search(backend, "da nang", subsite="/da-nang")) == ["du-lich"]
    assert "du-lich" not in uids(search(backend, "khach", subsite=""))
    assert uids(search(backend, "ho so", fields={"linh_vuc": "công nghệ"})) == ["hoi-nghi"]
    assert set(uids(search(backend, "ho so", fields={"linh_vuc": ["hành chính", "y tế"]}))) == {
        "hoi-nghi",
        "tu-van",
    }


def test_date_ranges_are_local_days(backend):
    # 2024-05-01 18:30 UTC is 2024-05-02 01:30 in Việt Nam
    late = datetime(2024, 5, 1, 18, 30, tzinfo=UTC)
    backend.index([doc("dem", "Phiên chợ đêm", modified=late, effective=late)])
    may_2 = (date(2024, 5, 2), date(2024, 5, 2))
    assert uids(search(backend, "cho dem", date_ranges={"modified": may_2})) == ["dem"]
    assert (
        search(backend, "cho dem", date_ranges={"effective": (None, date(2024, 5, 1))}).total == 0
    )
    assert uids(search(backend, "cho dem", date_ranges={"created": (date(2024, 5, 1), None)}))
    assert search(backend, "cho dem", date_ranges={"created": (date(2024, 5, 2), None)}).total == 0


def test_facets_count_every_match(backend):
    results = search(backend, "dich vu", facets=["type_name", "subsite", "year", "linh_vuc"])
    assert results.total == 2
    assert results.facets == {
        "type_name": {"News": 2},
        "subsite": {"": 2},
        "year": {"2024": 2},
        "linh_vuc": {"hành chính": 2, "công nghệ": 1},
    }
    assert search(backend, "dich vu", facets=["khong_co"]).facets == {"khong_co": {}}


def test_the_year_is_the_local_year_of_the_effective_date(backend):
    new_year = datetime(2023, 12, 31, 20, 0, tzinfo=UTC)  # 2024-01-01 03:00 in Việt Nam
    backend.index([doc("nam-moi", "Chúc mừng năm mới", effective=new_year)])
    assert search(backend, "nam moi", facets=["year"]).facets["year"] == {"2024": 1}


def test_paging_and_sorting_by_date(backend):
    backend.index(
        [
            doc(
                f"tin-{day}",
                f"Bản tin thời tiết số {day}",
                modified=datetime(2024, 6, day, tzinfo=UTC),
            )
            for day in range(1, 8)
        ]
    )
    newest = search(backend, "ban tin thoi tiet", sort_on="modified", size=3)
    assert newest.total == 7
    assert uids(newest) == ["tin-7", "tin-6", "tin-5"]
    page_2 = search(backend, "ban tin thoi tiet", sort_on="modified", start=3, size=3)
    assert uids(page_2) == ["tin-4", "tin-3", "tin-2"]
    oldest = search(backend, "ban tin thoi tiet", sort_on="modified", reverse=False, size=2)
    assert uids(oldest) == ["tin-1", "tin-2"]
    ranked = search(backend, "ban tin thoi tiet", start=5, size=5)
    assert ranked.total == 7 and len(ranked.hits) == 2


# snippets ------------------------------------------------------------------------------------


def test_snippets_mark_the_matches_and_escape_the_rest(backend):
    backend.index(
        [doc("xss", "Cảnh báo", '<script>alert("x")</script> Lừa đảo qua mạng & điện thoại.')]
    )
    snippet = search(backend, "lua dao").hits[0].snippet
    assert snippet == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>Lừa đảo</mark> qua mạng "
        "&amp; điện thoại."
    )


def test_a_snippet_is_cut_around_the_matches():
    body = ("Câu mở đầu không liên quan. " * 30) + "Tỉnh khởi công cầu mới. " + ("Phần cuối. " * 30)
    snippet = make_snippet(body, {"khoi", "cong"})
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>khởi công</mark>" in snippet
    assert len(snippet) < 300
    assert make_snippet("Không khớp gì cả.", {"xyz"}) == "Không khớp gì cả."


# any input is safe ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "*",
        "AND",
        "(((",
        "x" * 2000,
        "dịch " * 400,
        "",
        "   ",
        "OR NOT",
        'a"b"c"',
        "\x00\u200b",
        "-+~^:",
    ],
)
def test_bad_queries_give_results_or_nothing(backend, text):
    results = search(backend, text, facets=["type_name", "linh_vuc"], sort_on="khong-co")
    assert isinstance(results, TextResults)
    assert results.total >= 0
    assert backend.suggest(text, principals=EVERYONE) is not None


def test_a_long_query_is_cut_not_refused(backend):
    assert "hoi-nghi" in uids(search(backend, "dịch vụ " * 500))
    assert search(backend, "x" * 2000).total == 0


def test_operators_are_ignored_not_searched(backend):
    assert uids(search(backend, "Đà Nẵng AND du lịch")) == ["du-lich"]


# index maintenance -------------------------------------------------------------------------------


def test_index_replaces_by_uid_and_unindex_removes(backend):
    backend.index([doc("du-lich", "Du lịch Huế", "Cố đô Huế đón khách.")])
    assert search(backend, "da nang").total == 0
    assert uids(search(backend, "co do hue")) == ["du-lich"]
    backend.unindex(["du-lich", "khong-co"])
    assert search(backend, "co do hue").total == 0
    assert "du-lich" not in backend.uids()


def test_a_uid_twice_in_one_batch_keeps_the_last(backend):
    backend.index([doc("lap", "Bản nháp đầu"), doc("lap", "Bản cuối cùng")])
    assert search(backend, "ban nhap").total == 0
    assert uids(search(backend, "ban cuoi cung")) == ["lap"]


def test_uids_stats_and_clear(backend):
    assert backend.uids() == {d.uid for d in DOCS}
    stats = backend.stats()
    assert stats["documents"] == len(DOCS)
    assert stats["bytes"] > 0
    backend.clear()
    assert backend.uids() == set()
    assert backend.stats()["documents"] == 0
    assert search(backend, "dich vu").total == 0


def test_many_small_commits_never_duplicate_results(tmp_path):
    """The searcher is reopened, not whoosh-reloaded's refresh() that resurrects merged segments."""
    backend = WhooshBackend(str(tmp_path / "whoosh"))
    for i in range(15):
        backend.index([doc(f"d{i}", f"Thông báo số {i}")])
        assert search(backend, "thong bao", size=50).total == i + 1
    backend.index([doc("d3", "Thông báo đã sửa")])
    results = search(backend, "thong bao", size=50)
    assert results.total == 15
    assert sorted(uids(results)) == sorted(f"d{i}" for i in range(15))
    backend.close()


def test_another_writer_s_commits_are_seen(tmp_path):
    reader = WhooshBackend(str(tmp_path / "whoosh"))
    assert search(reader, "da nang").total == 0
    writer = WhooshBackend(str(tmp_path / "whoosh"))
    writer.index(DOCS)
    assert uids(search(reader, "da nang")) == ["du-lich"]
    writer.unindex(["du-lich"])
    assert search(reader, "da nang").total == 0
    reader.close()
    writer.close()


def test_a_locked_index_raises_backend_busy_and_writes_nothing(tmp_path):
    backend = WhooshBackend(str(tmp_path / "whoosh"), write_timeout=0.2)
    other = WhooshBackend(str(tmp_path / "whoosh"))
    lock = other._ix.lock("WRITELOCK")
    assert lock.acquire()
    try:
        with pytest.raises(BackendBusy):
            backend.index([doc("a", "Đà Nẵng")])
    finally:
        lock.release()
    assert backend.uids() == set()
    backend.index([doc("a", "Đà Nẵng")])
    assert backend.uids() == {"a"}
    backend.close()
    other.close()


def test_the_index_is_created_in_its_folder_and_reopened(tmp_path):
    folder = tmp_path / "var" / "whoosh"
    backend = WhooshBackend(str(folder))
    backend.index(DOCS[:2])
    backend.close()
    assert any(name.startswith(f"_{INDEX_NAME}_") for name in (p.name for p in folder.iterdir()))
    again = WhooshBackend(str(folder))
    assert again.uids() == {"hoi-nghi", "tu-van"}
    again.close()


def test_searches_and_writes_from_many_threads(backend):
    errors = []

    def searching():
        try:
            for _ in range(15):
                results = search(backend, "dịch vụ công", facets=["type_name"])
                assert "mat" not in uids(results)
                backend.suggest("hoi", principals=EVERYONE)
        except Exception as error:  # noqa: BLE001 - collected for the assertion below
            errors.append(error)

    def writing():
        try:
            for i in range(10):
                backend.index([doc(f"moi-{i}", "Dịch vụ công mới", "Dịch vụ công trực tuyến.")])
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=searching) for _ in range(4)]
    threads.append(threading.Thread(target=writing))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert search(backend, '"dịch vụ công mới"', size=50).total == 10


def test_a_snippet_of_text_whose_lowercase_changes_length():
    assert make_snippet("İstanbul và Đà Nẵng", {"da", "nang"}) == "İstanbul và <mark>Đà Nẵng</mark>"


def test_small_segments_merged_by_a_later_write_stay_searchable(tmp_path):
    backend = WhooshBackend(str(tmp_path / "merged"))
    words = "dân sinh kinh tế xã hội văn hóa giáo dục y tế nông nghiệp".split()
    try:
        merged = False
        for batch in range(12):  # whoosh merges the small segments on some commit
            backend.index(
                doc(f"b{batch}-{i}", f"Tin {words[i % 12]} số {i}", " ".join(words[: i % 12 + 1]))
                for i in range(30)
            )
            segments = backend.stats()["segments"]
            merged = merged or segments < batch + 1
            assert search(backend, "tin").total == 30 * (batch + 1)
        assert merged
        assert search(backend, "kinh tế", size=1).total == 21 * 12  # i % 12 >= 3, per batch
    finally:
        backend.close()


def test_scores_read_lengths_from_memory_exactly_as_whoosh_does(backend):
    from whoosh import index, scoring

    from catalog.backends.whoosh_query import build_query, parse_query
    from catalog.backends.whoosh_scoring import MemoryBM25F

    backend.index([doc("dai", "Hòa giải", "Hòa giải " * 40 + "ở xã vùng cao.")])
    ix = index.open_dir(backend.path, indexname=INDEX_NAME)
    q = build_query(parse_query("hòa giải"), adjacent=True)
    with ix.searcher(weighting=scoring.BM25F()) as plain:
        with ix.searcher(weighting=MemoryBM25F()) as memory:
            expected = [(hit["uid"], hit.score) for hit in plain.search(q, optimize=False)]
            assert [(hit["uid"], hit.score) for hit in memory.search(q, optimize=False)] == expected
    assert len({score for _uid, score in expected}) == 3  # lengths tell the three apart


def test_a_copy_taken_under_the_lock_is_put_back_whole_and_a_wrong_key_refused(tmp_path):
    live = WhooshBackend(str(tmp_path / "live"), cipher=Cipher(parse_keys(new_key_line(1), "")))
    live.index(DOCS[:3])
    writer = WhooshBackend(str(tmp_path / "live"), write_timeout=0.1, cipher=live.storage.cipher)
    copy = tmp_path / "copy"
    copy.mkdir()
    with live.hold(1):
        with pytest.raises(BackendBusy):  # no other writer meanwhile
            writer.index([DOCS[5]])
        facts = live.copy_to(str(copy))
    writer.close()
    live.unindex(["hoi-nghi"])  # later writes leave the copy as it was
    live.index([DOCS[3]])
    assert facts["generation"] >= 1
    restored = WhooshBackend(str(tmp_path / "restored"), cipher=live.storage.cipher)
    restored.index([DOCS[4]])
    restored.restore_from(str(copy))
    assert restored.uids() == {d.uid for d in DOCS[:3]}
    assert restored.search("hội nghị trực tuyến", principals=EVERYONE).total == 1
    other = WhooshBackend(str(tmp_path / "other"), cipher=Cipher(parse_keys(new_key_line(2), "")))
    with pytest.raises(SettingsError, match="does not open the full-text index"):
        other.restore_from(str(copy))
    other.index([DOCS[4]])  # still its own index
    assert other.uids() == {DOCS[4].uid}
    for backend in (live, restored, other):
        backend.close()
