"""The "Dịch vụ công trực tuyến" box of home pages: the portal's and a unit's counts."""

from __future__ import annotations

import pytest

from plugins.services.tests.services_setup import known_catalog


@pytest.fixture
def known(model):
    return known_catalog(model)


def box(page):
    return page.html.select_one(".portlet-public-services")


def test_the_portal_home_counts_the_provinces_procedures(testapp, known):
    found = box(testapp.get("/"))
    text = " ".join(found.get_text(" ", strip=True).split())
    assert "9 thủ tục hành chính, 6 thủ tục nộp hồ sơ trực tuyến" in text  # the private one not
    assert "Mức độ 3: 4 (44,4 %)" in text and "Mức độ 4: 2 (22,2 %)" in text
    links = [a["href"] for a in found.select("a")]
    assert links == [
        "http://localhost/thu-tuc-hanh-chinh/",
        "http://localhost/thu-tuc-hanh-chinh/@@thong-ke",
    ]
    testapp.get(links[1], status=200)


def test_a_unit_home_counts_what_the_unit_shows(testapp, known):
    found = box(testapp.get("/xa-hoa-binh/"))
    text = " ".join(found.get_text(" ", strip=True).split())
    assert "4 thủ tục hành chính, 2 thủ tục nộp hồ sơ trực tuyến" in text
    assert "Mức độ 3: 1 (25 %)" in text
    assert [a["href"] for a in found.select("a")] == [
        "http://localhost/xa-hoa-binh/@@thu-tuc",
        "http://localhost/xa-hoa-binh/@@thong-ke-thu-tuc",
    ]


def test_only_home_pages_have_the_box(testapp, known):
    assert box(testapp.get("/thu-tuc-hanh-chinh/")) is None
    assert box(testapp.get("/xa-hoa-binh/@@thu-tuc")) is None
    assert box(testapp.get("/?lang=en")) is not None


def test_no_box_without_a_catalog(testapp):
    assert box(testapp.get("/")) is None
