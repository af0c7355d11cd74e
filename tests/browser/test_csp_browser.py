"""The pages satisfy their Content-Security-Policy in a real browser: chromium
reports no refused script, style or handler on the main pages of the demo portal
(a subsite's brand colour, the statistics chart, the search suggestions, the
editing forms included)."""

from __future__ import annotations

import pytest

from core import main
from core.testing import SiteAccess, make_settings, served

pytestmark = pytest.mark.browser

SUBSITE = "/ubnd-phuong-lam-giang/"
PAGES = (
    "/",
    SUBSITE,
    "/tin-tuc/so-ket-chuyen-doi-so-7-thang-2026",
    "/thu-tuc-hanh-chinh/",
    "/thu-tuc-hanh-chinh/@@thong-ke",
    "/@@don-vi",
    "/@@login",
)


@pytest.fixture(scope="module")
def demo_url(demo_copy):
    """The demo portal (one subsite with a brand colour) served by waitress."""
    app = main({}, **make_settings(demo_copy() / "var"))
    with SiteAccess(app) as site:
        site[SUBSITE.strip("/")].colour = "#0d47a1"  # an inline <style> with the nonce
    with served(app) as url:
        yield url
    app.registry._zodb_databases[""].close()


def watch(page) -> list[str]:
    """The Content-Security-Policy refusals chromium reports on ``page``."""
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


def test_the_main_pages_break_no_rule_of_their_policy(demo_url, browser):
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    refused = watch(page)
    for path in PAGES:
        page.goto(demo_url + path)
    page.get_by_role("combobox", name="Từ khoá tìm kiếm").press_sequentially("chuyen doi")
    page.get_by_role("listbox").wait_for()  # search.js fetched the suggestions
    page.goto(demo_url + "/@@login")
    page.get_by_label("Tên đăng nhập").fill("admin")
    page.get_by_label("Mật khẩu").fill("admin")
    page.get_by_role("button", name="Đăng nhập").click()
    for path in ("/tin-tuc/@@contents", "/tin-tuc/@@add?type=News", "/tin-tuc/@@sharing"):
        page.goto(demo_url + path)
    assert refused == []
    # the watch sees a refusal when there is one: a script slipped into the page
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.slipped = 1'; document.body.appendChild(s); }"
        )
    assert refused and page.evaluate("() => window.slipped") is None
    context.close()
