"""Vietnamese text analysis: normalisation, folding, syllables and the whoosh analyzers."""

from __future__ import annotations

import unicodedata

import pytest

from catalog.analysis import (
    SECTION_GAP,
    TITLE_BOOST,
    Sections,
    bigrams,
    fold,
    normalize,
    syllables,
)
from catalog.backends.whoosh_analysis import bigram_analyzer, prefix_analyzer, syllable_analyzer


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Hoà bình", "hòa bình"),
        ("hòa bình", "hòa bình"),
        ("Thuý Kiều", "thúy kiều"),
        ("thúy kiều", "thúy kiều"),
        ("sức khoẻ", "sức khỏe"),
        ("Uỷ ban nhân dân", "ủy ban nhân dân"),
        ("Ủy ban nhân dân", "ủy ban nhân dân"),
        ("hoá đơn, hoạ sĩ, thoả thuận", "hóa đơn, họa sĩ, thỏa thuận"),
        ("luỹ kế, tuỳ ý", "lũy kế, tùy ý"),
        # closed syllables and "qu" are written one way only: untouched
        ("toàn dân, hoàng hôn, khoảng", "toàn dân, hoàng hôn, khoảng"),
        ("quý vị, quỳnh, quà", "quý vị, quỳnh, quà"),
        # a misplaced mark after "qu" is mended
        ("qúy", "quý"),
        ("ĐÀ NẴNG", "đà nẵng"),
    ],
)
def test_normalize_lowercases_and_places_tones_one_way(written, expected):
    assert normalize(written) == expected


def test_normalize_composes_decomposed_input():
    for text in ("Đà Nẵng", "Hoà giải ở cơ sở", "Thừa Thiên Huế", "nghiệp vụ"):
        assert nfd(text) != text
        assert normalize(nfd(text)) == normalize(text)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("đà nẵng", "da nang"),
        ("Đường Điện Biên Phủ", "Duong Dien Bien Phu"),
        ("dịch vụ công trực tuyến", "dich vu cong truc tuyen"),
        ("ăn ắn ằn ẳn ẵn ặn", "an an an an an an"),
        ("ươ ướ ườ ưở ưỡ ượ", "uo uo uo uo uo uo"),
        ("Phở bò 2024", "Pho bo 2024"),
    ],
)
def test_fold_removes_every_diacritic(text, folded):
    assert fold(text) == folded


def test_syllables_offsets_point_into_the_composed_text():
    text = nfd("Ủy ban, Đà Nẵng")
    composed = unicodedata.normalize("NFC", text)
    found = syllables(text)
    assert [s.normal for s in found] == ["ủy", "ban", "đà", "nẵng"]
    assert [s.folded for s in found] == ["uy", "ban", "da", "nang"]
    assert [composed[s.start : s.end] for s in found] == ["Ủy", "ban", "Đà", "Nẵng"]


def test_pairs_stop_at_punctuation_but_not_at_spaces_or_hyphens():
    found = syllables("Hà Nội, Đà Nẵng và Covid-19.\nTin mới")
    assert [s.joined for s in found] == [False, True, False, True, True, True, True, False, True]
    assert [(a.normal, b.normal) for a, b in bigrams(found)] == [
        ("hà", "nội"),
        ("đà", "nẵng"),
        ("nẵng", "và"),
        ("và", "covid"),
        ("covid", "19"),
        ("tin", "mới"),
    ]


def test_syllables_of_empty_or_punctuation_only_text():
    assert syllables("") == []
    assert [s.normal for s in syllables('"*(((  AND ...')] == ["and"]


def terms(analyzer, value, **options):
    return [(t.text, t.pos, t.boost) for t in analyzer(value, positions=True, **options)]


def test_syllable_analyzer_indexes_both_forms_at_one_position():
    assert terms(syllable_analyzer(), "Hoà giải ban") == [
        ("hoa", 0, 1.0),
        ("hòa", 0, 1.0),
        ("giai", 1, 1.0),
        ("giải", 1, 1.0),
        ("ban", 2, 1.0),  # no accents: one term
    ]


def test_bigram_analyzer_indexes_folded_and_accented_pairs():
    assert terms(bigram_analyzer(), "Dịch vụ công, Bến Tre") == [
        ("dich vu", 0, 1.0),
        ("dịch vụ", 0, 1.0),
        ("vu cong", 1, 1.0),
        ("vụ công", 1, 1.0),
        ("ben tre", 2, 1.0),
        ("bến tre", 2, 1.0),
    ]


def test_sections_weight_the_title_and_keep_phrases_apart():
    value = Sections("Đà Nẵng", "", "Nẵng mới")
    found = terms(syllable_analyzer(), value)
    assert found[:2] == [("da", 0, TITLE_BOOST), ("đà", 0, TITLE_BOOST)]
    body = [(text, pos) for text, pos, boost in found if boost == 1.0]
    # the body starts after the title, the description and two gaps
    assert body[0] == ("nang", 2 + SECTION_GAP + SECTION_GAP)
    pairs = [text for text, _pos, _boost in terms(bigram_analyzer(), value)]
    assert pairs == ["da nang", "đà nẵng", "nang moi", "nẵng mới"]  # none across sections


def test_sections_are_analysed_once_for_every_field():
    value = Sections("Tiêu đề", "Mô tả", "Nội dung")
    assert value.analysed() is value.analysed()
    assert str(value) == "Tiêu đề\n\nMô tả\n\nNội dung"


def test_prefix_analyzer_gives_prefixes_of_folded_syllables():
    assert [text for text, _pos, _boost in terms(prefix_analyzer(), "Nghị Định")] == [
        "n",
        "ng",
        "ngh",
        "nghi",
        "nghi$",
        "d",
        "di",
        "din",
        "dinh",
        "dinh$",
    ]
