"""The search box in every header and the results page, ``@@search``."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from core.testing import add, login
from plugins.search.tests import search_setup
from plugins.search.tests.search_setup import SUBSITE

# the fixtures this module uses
app, portal = search_setup.app, search_setup.portal
portal_app, visitor = search_setup.portal_app, search_setup.visitor


def titles(page) -> list[str]:
    """The result titles of a results page, in order."""
    return [a.get_text(strip=True) for a in page.html.select("ol.search-results .item-title a")]


def summary(page) -> str:
    found = page.html.select_one("#search-summary")
    return found.get_text(" ", strip=True) if found else ""


def facet(page, name: str) -> dict[str, tuple[int, str]]:
    """``{label: (count, url)}`` of one facet box."""
    box = page.html.select_one(f"section.search-facet:has(#facet-{name})")
    if box is None:
        return {}
    found = {}
    for link in box.select("a"):
        label = link.select_one("span").get_text(strip=True)
        count = int(link.select_one(".search-facet-count").get_text(strip=True))
        found[label] = (count, link["href"])
    return found


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# the header box --------------------------------------------------------------------------
def test_every_page_has_a_labelled_search_box_sent_to_its_navigation_root(visitor):
    page = visitor.get("/tin-tuc/dich-vu-cong")
    form = page.html.select_one("header form[role=search]")
    assert form["action"] == "http://localhost/@@search"
    assert form["method"] == "get"
    field = form.select_one("input[name=SearchableText]")
    label = form.select_one(f"label[for={field['id']}]")
    assert label.get_text(strip=True) == "Từ khoá tìm kiếm"
    assert form["data-suggest-url"] == "http://localhost/@suggest"

    in_subsite = visitor.get(f"/{SUBSITE}/tin-tuc/dat-dai").html.select_one("header form")
    assert in_subsite["action"] == f"http://localhost/{SUBSITE}/@@search"
    assert in_subsite["data-suggest-url"] == f"http://localhost/{SUBSITE}/@suggest"


def test_the_header_box_sends_a_search_that_finds_the_news(visitor):
    form = visitor.get("/").forms[0]
    assert form.action == "http://localhost/@@search"
    form["SearchableText"] = "dịch vụ công"
    page = form.submit()
    assert "Tỉnh mở rộng dịch vụ công trực tuyến toàn trình" in titles(page)
    assert page.html.select_one("header input[name=SearchableText]")["value"] == "dịch vụ công"


# results -----------------------------------------------------------------------------------
def test_a_folded_query_finds_accented_text_with_highlights(visitor):
    page = visitor.get("/@@search", {"SearchableText": "dich vu cong"})
    found = titles(page)
    assert set(found) == {
        "Tỉnh mở rộng dịch vụ công trực tuyến toàn trình",
        "Cấp giấy chứng nhận quyền sử dụng đất qua dịch vụ công",
    }
    assert summary(page) == "Tìm thấy 2 kết quả cho “dich vu cong”"
    assert page.html.title.get_text(strip=True) == "Tìm kiếm: dich vu cong – Cổng thông tin điện tử"
    result = page.html.select_one("li.search-result:has(a[href$='/tin-tuc/dich-vu-cong/'])")
    assert result.select_one(".item-type").get_text(strip=True) == "Tin tức"
    assert result.select_one("time").get_text(strip=True) == "10/03/2025"
    assert result.select_one(".search-path").get_text(strip=True).endswith("Tin tức")
    marks = [m.get_text() for m in result.select(".search-snippet mark")]
    assert "dịch vụ công" in " ".join(marks)  # folded words match accented ones


def test_snippets_escape_the_text_and_only_mark_matches(visitor):
    page = visitor.get("/@@search", {"SearchableText": "mã độc"})
    snippet = page.html.select_one(".search-snippet")
    assert "mã độc" in [m.get_text() for m in snippet.select("mark")]
    assert "<script>alert(1)</script>" in snippet.get_text()  # shown as text
    assert snippet.select("script") == []


def test_visitors_do_not_find_private_items_editors_do(visitor):
    page = visitor.get("/@@search", {"SearchableText": "chuyển đổi số"})
    assert titles(page) == []
    assert page.html.select_one(".search-empty h2").get_text(strip=True) == (
        "Không tìm thấy kết quả phù hợp"
    )
    counted = visitor.get("/@@search", {"SearchableText": "dịch vụ công"})
    assert summary(counted).startswith("Tìm thấy 2 kết quả")  # the draft is not counted

    login(visitor)
    page = visitor.get("/@@search", {"SearchableText": "chuyển đổi số"})
    assert titles(page) == ["Dự thảo kế hoạch chuyển đổi số chưa công bố"]
    state = page.html.select_one("li.search-result .state-private")
    assert state.get_text(strip=True) == "Riêng tư"
    counted = visitor.get("/@@search", {"SearchableText": "dịch vụ công"})
    assert summary(counted).startswith("Tìm thấy 3 kết quả")


# facets, sort, pages -------------------------------------------------------------------------
def test_facets_add_and_remove_filters(visitor):
    page = visitor.get("/@@search", {"SearchableText": "hồ sơ"})
    assert len(titles(page)) == 3
    types = facet(page, "type_name")
    assert {label: count for label, (count, _url) in types.items()} == {
        "Tin tức": 2,
        "Thông báo": 1,
    }
    years = facet(page, "year")
    assert {label: count for label, (count, _url) in years.items()} == {"2025": 2, "2024": 1}
    units = facet(page, "subsite")
    assert units["Sở Tài nguyên và Môi trường"][0] == 1

    filtered = visitor.get(types["Thông báo"][1])
    assert titles(filtered) == ["Thông báo tuyển dụng viên chức ngành giáo dục"]
    chip = filtered.html.select_one(".search-filters a")
    assert "Loại nội dung: Thông báo" in chip.get_text(" ", strip=True)
    assert len(titles(visitor.get(chip["href"]))) == 3

    by_year = visitor.get(years["2024"][1])
    assert titles(by_year) == ["Thông báo tuyển dụng viên chức ngành giáo dục"]
    by_unit = visitor.get(units["Sở Tài nguyên và Môi trường"][1])
    assert titles(by_unit) == ["Cấp giấy chứng nhận quyền sử dụng đất qua dịch vụ công"]

    # the form keeps the filter when the text changes
    form = filtered.forms["search-page-form"]
    form["SearchableText"] = "tuyển dụng"
    assert titles(form.submit()) == ["Thông báo tuyển dụng viên chức ngành giáo dục"]


def test_sort_by_relevance_or_newest(visitor):
    page = visitor.get("/@@search", {"SearchableText": "hồ sơ"})
    sorts = {a.get_text(strip=True): a for a in page.html.select(".search-sort a")}
    assert set(sorts) == {"Phù hợp nhất", "Mới nhất"}
    assert sorts["Phù hợp nhất"].get("aria-current") == "true"
    newest = visitor.get(sorts["Mới nhất"]["href"])
    assert titles(newest) == [
        "Tỉnh mở rộng dịch vụ công trực tuyến toàn trình",
        "Cấp giấy chứng nhận quyền sử dụng đất qua dịch vụ công",
        "Thông báo tuyển dụng viên chức ngành giáo dục",
    ]
    current = newest.html.select_one(".search-sort a[aria-current]")
    assert current.get_text(strip=True) == "Mới nhất"


def test_results_come_a_page_at_a_time(testapp, portal, model):
    folder = add(model, model.site, "Folder", "published", name="lich", title="Lịch công tác")
    for day in range(1, 24):
        add(
            model,
            folder,
            "News",
            "published",
            title=f"Lịch công tác tuần của lãnh đạo tỉnh, ngày {day}",
            effective=f"2025-04-{day:02d}",
        )
    model.commit()
    first = testapp.get("/@@search", {"SearchableText": "lịch công tác", "sort_on": "newest"})
    assert summary(first).startswith("Tìm thấy 24 kết quả")  # the folder too
    assert len(titles(first)) == 20
    status = first.html.select_one(".pagination-status").get_text(strip=True)
    assert status == "Kết quả 1–20 / 24"
    second = testapp.get(first.html.select_one(".pagination a[rel=next]")["href"])
    assert len(titles(second)) == 4
    assert second.html.select_one("ol.search-results")["start"] == "21"
    assert query_of(second.request.url)["sort_on"] == ["newest"]
    assert second.html.select_one(".pagination a[rel=prev]") is not None

    small = testapp.get("/@@search", {"SearchableText": "lịch công tác", "b_size": "5"})
    assert len(titles(small)) == 5


def test_did_you_mean_links_to_the_corrected_search(visitor):
    page = visitor.get("/@@search", {"SearchableText": "tuyển dunng"})
    link = page.html.select_one(".search-suggestion a")
    assert link is not None
    corrected = visitor.get(link["href"])
    assert "Thông báo tuyển dụng viên chức ngành giáo dục" in titles(corrected)


# scope ---------------------------------------------------------------------------------------
def test_on_a_subsite_the_scope_is_the_subsite_or_the_whole_province(visitor):
    local = visitor.get(f"/{SUBSITE}/@@search", {"SearchableText": "dịch vụ công"})
    assert titles(local) == ["Cấp giấy chứng nhận quyền sử dụng đất qua dịch vụ công"]
    radios = {r["value"]: r.has_attr("checked") for r in local.html.select("input[name=scope]")}
    assert radios == {"local": True, "all": False}
    legend = local.html.select_one(".search-scope legend").get_text(strip=True)
    assert legend == "Phạm vi tìm kiếm"

    form = local.forms["search-page-form"]
    form["scope"] = "all"
    everywhere = form.submit()
    assert len(titles(everywhere)) == 2

    site_page = visitor.get("/@@search", {"SearchableText": "dịch vụ công"})
    assert site_page.html.select("input[name=scope]") == []
    assert "toàn bộ cổng thông tin của tỉnh" in site_page.html.select_one(".search-scope-note").text


def test_no_results_in_a_subsite_offers_the_whole_province(visitor):
    page = visitor.get(f"/{SUBSITE}/@@search", {"SearchableText": "du lịch biển"})
    assert titles(page) == []
    wider = page.html.find("a", string="Tìm trong toàn tỉnh")
    assert titles(visitor.get(wider["href"])) == ["Khai mạc mùa du lịch biển Cửa Lò"]


# any input -------------------------------------------------------------------------------------
def test_an_empty_search_shows_the_form_and_a_hint(visitor):
    for params in ({}, {"SearchableText": ""}, {"SearchableText": "   "}):
        page = visitor.get("/@@search", params)
        assert page.html.select_one("#search-text") is not None
        assert "Nhập từ khoá" in page.html.select_one(".search-hint").text
        assert titles(page) == []


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "*",
        "AND",
        "(((",
        "dịch AND OR NOT (",
        '"dịch vụ',
        "hồ*",
        "~!@#$%^&[]{}:/\\",
        "\x00\x01",
    ],
)
def test_query_syntax_is_safe(visitor, text):
    page = visitor.get("/@@search", {"SearchableText": text})
    assert page.status_int == 200
    assert page.html.select_one("#search-text") is not None


def test_a_very_long_query_is_cut_with_a_notice(visitor):
    text = ("dịch vụ công " * 200)[:2000]
    page = visitor.get("/@@search", {"SearchableText": text})
    assert page.status_int == 200
    notice = page.html.select_one("#search-truncated").get_text(" ", strip=True)
    assert "Từ khoá quá dài" in notice
    assert len(page.html.select_one("#search-text")["value"]) <= 250


def test_markup_in_the_query_is_shown_as_text(visitor):
    page = visitor.get("/@@search", {"SearchableText": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in page.text
    assert page.html.select_one("#search-text")["value"] == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    "params",
    [
        {"b_start": "999999999"},
        {"b_size": "0"},
        {"b_size": "100000"},
        {"sort_on": "DROP TABLE"},
        {"portal_type": "Nothing"},
        {"year": "abcd"},
        {"year": "99999"},
        {"subsite": "/../../etc"},
        {"scope": "everywhere"},
        {"facets": "bogus"},
        {"lang": "xx"},
    ],
)
def test_bad_parameters_still_give_a_page(visitor, params):
    page = visitor.get("/@@search", {"SearchableText": "hồ sơ", **params})
    assert page.status_int == 200
    assert page.html.select_one("#search-summary") is not None


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"b_start": "-5"}, "Tham số “b_start” phải là một số từ 0 đến 1000000000."),
        ({"b_start": "abc"}, "Tham số “b_start” phải là một số nguyên."),
        ({"b_size": "x"}, "Tham số “b_size” phải là một số nguyên."),
    ],
)
def test_page_numbers_that_cannot_be_read_answer_400_saying_why(visitor, params, message):
    page = visitor.get("/@@search", {"SearchableText": "hồ sơ", **params}, status=400)
    assert message in page.text


def test_page_sizes_are_clamped(visitor):
    huge = visitor.get("/@@search", {"SearchableText": "hồ sơ", "b_size": "100000"})
    assert len(titles(huge)) == 3
    beyond = visitor.get("/@@search", {"SearchableText": "hồ sơ", "b_start": "500"})
    assert titles(beyond) == [] and summary(beyond).startswith("Tìm thấy 3 kết quả")


def test_the_page_is_translated(visitor):
    page = visitor.get("/@@search", {"SearchableText": "hồ sơ", "lang": "en"})
    assert page.html.select_one("main h1").get_text(strip=True) == "Search"
    assert summary(page) == "3 results for “hồ sơ”"
    sorts = [a.get_text(strip=True) for a in page.html.select(".search-sort a")]
    assert sorts == ["Most relevant", "Newest"]
    assert "lang=" not in page.html.select_one(".search-sort a")["href"]
