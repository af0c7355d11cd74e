"""A visitor types in the header's search box, picks from the suggestions or sends
the search, and reads highlighted results."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.testing import ModelRequest, add, served
from plugins.search.tests.search_setup import close, make_search_app

pytestmark = pytest.mark.browser

ANNOUNCEMENT = "Thông báo tuyển dụng viên chức ngành giáo dục"
NEWS = "Tỉnh mở rộng dịch vụ công trực tuyến toàn trình"


@pytest.fixture(scope="module")
def search_url(tmp_path_factory):
    """The portal with the search plugin and a few published items, served by waitress."""
    app = make_search_app(tmp_path_factory.mktemp("var"))
    model = ModelRequest(app)
    try:
        news = add(model, model.site, "Folder", "published", name="tin-tuc", title="Tin tức")
        add(
            model,
            news,
            "News",
            "published",
            title=NEWS,
            effective="2025-03-10",
            text="<p>Hồ sơ cấp giấy phép xây dựng được nhận qua cổng dịch vụ công.</p>",
        )
        add(
            model,
            news,
            "Announcement",
            "published",
            title=ANNOUNCEMENT,
            text="<p>Hồ sơ dự tuyển nộp tại Sở Nội vụ.</p>",
        )
        model.commit()
    finally:
        model.close()
    with served(app) as url:
        yield url
    close(app)


def test_suggestions_as_one_types_then_highlighted_results(search_url, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.goto(search_url + "/")

    box = page.get_by_role("combobox", name="Từ khoá tìm kiếm")
    box.press_sequentially("thong b", delay=20)  # typed without accents
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    option = listbox.get_by_role("option")
    expect(option).to_have_count(1)
    expect(option).to_have_text(ANNOUNCEMENT)
    expect(box).to_have_attribute("aria-expanded", "true")

    box.press("ArrowDown")  # the keyboard moves through the suggestions
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")

    box.fill("dich vu cong")
    box.press("Enter")  # no suggestion chosen: the form is sent
    page.wait_for_url("**/@@search?SearchableText=dich+vu+cong")
    expect(page.locator("h1")).to_have_text("Tìm kiếm")
    results = page.locator("ol.search-results > li")
    expect(results).to_have_count(1)
    expect(results.first.get_by_role("link")).to_have_text(NEWS)
    marks = results.first.locator(".search-snippet mark")
    expect(marks.first).to_be_visible()
    expect(page.locator("#search-summary")).to_contain_text("Tìm thấy 1 kết quả")

    box = page.get_by_role("combobox", name="Từ khoá tìm kiếm")
    box.fill("")
    box.press_sequentially("Thông báo tuy", delay=20)
    choice = page.get_by_role("option", name=ANNOUNCEMENT)
    expect(choice).to_be_visible()
    choice.click()  # a suggestion leads to the item itself
    page.wait_for_url("**/tin-tuc/thong-bao-tuyen-dung*/")
    expect(page.locator("h1")).to_have_text(ANNOUNCEMENT)
    context.close()


def test_an_answer_arriving_late_keeps_the_highlighted_suggestion(search_url, browser):
    """The answer for "thong b" comes after the one for "thong" was shown and the
    visitor moved onto its suggestion: the refreshed list keeps that highlight."""
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    held = []

    def hold_the_longer_query(route):
        if "q=thong%20b" in route.request.url:
            held.append(route)
        else:
            route.continue_()

    page.route("**/@suggest?*", hold_the_longer_query)
    page.goto(search_url + "/")
    box = page.get_by_role("combobox", name="Từ khoá tìm kiếm")
    box.press_sequentially("thong", delay=20)
    option = page.get_by_role("listbox").get_by_role("option")
    expect(option).to_have_text(ANNOUNCEMENT)
    option.evaluate("element => element.dataset.shown = 'before'")
    box.press_sequentially(" b", delay=20)
    for _ in range(250):  # the typing pause passes, then the request is held
        if held:
            break
        page.wait_for_timeout(20)
    assert held, "the suggestions for the longer text were never asked for"

    box.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    with page.expect_response("**/@suggest?q=thong%20b"):
        held[0].continue_()
    refreshed = page.locator("[role=option]:not([data-shown])")
    expect(refreshed).to_have_text(ANNOUNCEMENT)  # the list was drawn again
    expect(refreshed).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", refreshed.get_attribute("id"))
    context.close()


def test_the_search_box_works_without_javascript(search_url, browser):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    page.goto(search_url + "/tin-tuc/")
    box = page.get_by_role("searchbox", name="Từ khoá tìm kiếm")
    box.fill("hồ sơ dự tuyển")
    box.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("ol.search-results .item-title a").first).to_have_text(ANNOUNCEMENT)
    context.close()
