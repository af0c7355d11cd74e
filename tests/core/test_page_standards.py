"""What every page gives browsers: a favicon, navigation marking the current page,
the security headers and a Content-Security-Policy the page satisfies."""

from __future__ import annotations

import pytest

from core.htmlcheck import csp_violations
from core.testing import add


@pytest.fixture
def site(model):
    """A published folder holding a published page."""
    folder = add(model, model.site, "Folder", "published", name="tin-tuc", title="Tin tức")
    add(model, folder, "Page", "published", name="gio-lam-viec", title="Giờ làm việc")
    model.commit()


def test_favicon_at_the_root_and_linked_from_every_page(testapp):
    icon = testapp.get("/favicon.ico")
    assert icon.content_type == "image/x-icon"
    assert icon.body[:4] == b"\x00\x00\x01\x00"  # an ICO file
    linked = testapp.get("/").html.select_one('link[rel="icon"][href$="favicon.ico"]')
    assert testapp.get(linked["href"]).body == icon.body


def current(page) -> list[str]:
    """The texts of the main navigation's links marked as the current page."""
    return [a.get_text(strip=True) for a in page.html.select('.nav-list a[aria-current="page"]')]


def test_aria_current_marks_only_the_page_shown(testapp, site):
    assert current(testapp.get("/")) == ["Trang chủ"]
    assert current(testapp.get("/tin-tuc/")) == ["Tin tức"]
    inside = testapp.get("/tin-tuc/gio-lam-viec")
    assert current(inside) == []  # the section holds the page: a class, not aria-current
    assert inside.html.select_one(".nav-list a.current-section").get_text(strip=True) == "Tin tức"
    assert current(testapp.get("/@@login")) == []  # a view of the site is not its home
    assert len(testapp.get("/tin-tuc/").html.select('[aria-current="page"]')) == 2  # + crumb


def test_pages_carry_the_security_headers_and_a_csp_with_a_fresh_nonce(testapp, site):
    first = testapp.get("/tin-tuc/gio-lam-viec")
    headers = first.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in headers  # only where cong.hsts_max_age is set
    policy = dict(
        part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";")
    )
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'self'"
    nonce = policy["script-src"].split("'nonce-")[1].rstrip("'")
    again = testapp.get("/tin-tuc/gio-lam-viec?lan=2")  # rendered again (not cached)
    assert nonce not in again.headers["Content-Security-Policy"]  # a new one each page
    assert "Content-Security-Policy" not in testapp.get("/favicon.ico").headers


def test_a_cached_page_keeps_the_nonce_its_body_holds(app, site_access):
    import webtest

    with site_access() as root:
        root.colour = "#123456"  # the brand colour is an inline <style>
    visitor = webtest.TestApp(app)
    hits = app.registry.cong_page_cache.hits
    pages = [visitor.get("/") for _ in range(2)]
    assert app.registry.cong_page_cache.hits == hits + 1  # the second from the page cache
    for page in pages:
        nonce = page.html.select_one("head style")["nonce"]
        assert f"'nonce-{nonce}'" in page.headers["Content-Security-Policy"]


def test_inline_scripts_styles_and_handlers_carry_the_nonce_or_are_absent(admin, site):
    for path in ("/", "/tin-tuc/", "/tin-tuc/gio-lam-viec", "/tin-tuc/@@contents",
                 "/tin-tuc/@@edit", "/@@search?SearchableText=gio", "/@@login"):  # fmt: skip
        page = admin.get(path)
        assert csp_violations(page.text, page.headers["Content-Security-Policy"]) == []


def test_hsts_where_the_setting_asks_for_it(tmp_path):
    import webtest

    from core import main
    from core.testing import make_settings

    app = main({}, **make_settings(tmp_path / "var", **{"cong.hsts_max_age": "31536000"}))
    try:
        page = webtest.TestApp(app).get("/")
        assert page.headers["Strict-Transport-Security"] == "max-age=31536000"
    finally:
        for db in app.registry._zodb_databases.values():
            db.close()
