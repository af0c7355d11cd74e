"""The page cache serves visitors fast and never serves them stale pages."""

import webtest

from core.clock import frozen, now


def published_page(api, title="Giờ làm việc", text="<p>Sáng 7h30</p>"):
    api.post_json("/", {"@type": "Page", "id": "gio-lam-viec", "title": title, "text": text})
    api.post("/gio-lam-viec/@workflow/publish")


def test_a_visitor_sees_each_commit_at_once(app, api):
    visitor = webtest.TestApp(app)
    published_page(api)
    with frozen(now()):  # entries are keyed on the minute too: don't cross one here
        first = visitor.get("/gio-lam-viec")
        assert visitor.get("/gio-lam-viec").body == first.body
    assert app.registry.cong_page_cache.hits >= 1

    api.patch_json("/gio-lam-viec", {"text": "<p>Sáng 7h00</p>"})
    assert "Sáng 7h00" in visitor.get("/gio-lam-viec").text
    api.post("/gio-lam-viec/@workflow/retract")
    assert visitor.get("/gio-lam-viec", status=302).location.split("?")[0].endswith("/@@login")


def test_logged_in_pages_are_never_served_from_the_cache(app, api):
    from tests.conftest import login

    published_page(api)
    webtest.TestApp(app).get("/gio-lam-viec")  # a visitor fills the cache
    editor = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.2"})
    login(editor)
    hits = app.registry.cong_page_cache.hits
    page = editor.get("/gio-lam-viec")
    assert "Đăng xuất" in page.text
    assert app.registry.cong_page_cache.hits == hits


def test_language_and_json_are_cached_apart(app, api):
    visitor = webtest.TestApp(app)
    published_page(api)
    vietnamese = visitor.get("/gio-lam-viec")
    english = visitor.get("/gio-lam-viec", headers={"Cookie": "lang=en"})
    as_json = visitor.get("/gio-lam-viec", headers={"Accept": "application/json"})
    assert "Đăng nhập" in vietnamese.text and "Log in" in english.text
    assert as_json.json["title"] == "Giờ làm việc"
    assert "Đăng nhập" in visitor.get("/gio-lam-viec").text


def test_pages_that_set_a_cookie_are_not_cached(app):
    visitor = webtest.TestApp(app)
    first = visitor.get("/@@login")  # its form starts a session (CSRF token)
    assert "Set-Cookie" in first.headers
    other = webtest.TestApp(app).get("/@@login")
    assert "Set-Cookie" in other.headers  # rendered again, with its own session
