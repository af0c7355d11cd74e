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
    from core.testing import login

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


# gzip, ETag, Last-Modified, 304 -------------------------------------------------------------
def raw_get(app, path, **headers):
    """A GET answered by the app as sent on the wire (WebTest would unzip it)."""
    from webob import Request

    return Request.blank(path, headers=headers).get_response(app)


def test_pages_are_gzipped_for_clients_that_take_it(app, api):
    import gzip

    published_page(api)
    plain = raw_get(app, "/gio-lam-viec")
    assert "Content-Encoding" not in plain.headers and "Sáng 7h30" in plain.text
    for _ in range(2):  # rendered, then from the page cache
        zipped = raw_get(app, "/gio-lam-viec", **{"Accept-Encoding": "gzip, deflate, br"})
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert zipped.headers["Vary"] == "Accept-Encoding"
        assert gzip.decompress(zipped.body) == plain.body
        assert int(zipped.headers["Content-Length"]) == len(zipped.body) < len(plain.body)
    refused = raw_get(app, "/gio-lam-viec", **{"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers


def test_the_gzip_form_is_kept_in_the_cache(app, api):
    published_page(api)
    with frozen(now()):
        raw_get(app, "/gio-lam-viec", **{"Accept-Encoding": "gzip"})
        (page,) = [p for p in app.registry.cong_page_cache._entries.values()]
        kept = page.gzipped()
        again = raw_get(app, "/gio-lam-viec", **{"Accept-Encoding": "gzip"})
    assert again.body == kept and page.gzipped() is kept


def test_other_text_responses_are_gzipped_too(app, admin):
    import gzip

    for path in ("/_static/style.css", "/@@rss", "/@@login"):  # a file, a feed, a form
        zipped = raw_get(app, path, **{"Accept-Encoding": "gzip"})
        assert zipped.headers["Content-Encoding"] == "gzip", path
        assert "Accept-Encoding" in zipped.headers["Vary"]
        gzip.decompress(zipped.body)
    api_answer = raw_get(app, "/@search", Accept="application/json", **{"Accept-Encoding": "gzip"})
    assert api_answer.content_type == "application/json"
    assert "Accept-Encoding" in api_answer.headers["Vary"]


def test_a_conditional_get_of_an_unchanged_page_answers_304_without_a_body(app, api):
    published_page(api)
    first = raw_get(app, "/gio-lam-viec")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    for _ in range(2):  # from the page cache, whether rendered or not for this request
        by_tag = raw_get(app, "/gio-lam-viec", **{"If-None-Match": etag})
        assert by_tag.status_int == 304 and by_tag.body == b""
        assert by_tag.headers["ETag"] == etag
        by_date = raw_get(app, "/gio-lam-viec", **{"If-Modified-Since": modified})
        assert by_date.status_int == 304 and by_date.body == b""
    other = raw_get(app, "/gio-lam-viec", **{"If-None-Match": 'W/"something-else"'})
    assert other.status_int == 200 and "Sáng 7h30" in other.text
    api.post_json("/", {"@type": "Page", "id": "khac", "title": "Khác"})  # another commit
    assert raw_get(app, "/gio-lam-viec", **{"If-None-Match": etag}).status_int == 304


def test_a_changed_page_gets_a_new_etag_and_a_full_answer(app, api):
    published_page(api)
    first = raw_get(app, "/gio-lam-viec")
    api.patch_json("/gio-lam-viec", {"text": "<p>Sáng 7h00</p>"})
    changed = raw_get(app, "/gio-lam-viec", **{"If-None-Match": first.headers["ETag"]})
    assert changed.status_int == 200 and "Sáng 7h00" in changed.text
    assert changed.headers["ETag"] != first.headers["ETag"]
    since = raw_get(app, "/gio-lam-viec", **{"If-Modified-Since": "Thu, 01 Jan 2026 00:00:00 GMT"})
    assert since.status_int == 200


def test_logged_in_pages_get_no_etag(app, admin):
    published = admin.get("/")
    assert "ETag" not in published.headers
