"""The application as a whole: start-up, restart, retries, static files, headers."""

import webtest

from core import main
from core.testing import FlakyPlugin, make_settings


def test_conflict_errors_are_retried_and_only_the_last_attempt_commits(tmp_path, monkeypatch):
    plugin = FlakyPlugin()
    from core import plugins

    original = plugins.make_plugin_manager

    def with_flaky(names):
        pm = original(names)
        pm.register(plugin, name="flaky")
        return pm

    monkeypatch.setattr(plugins, "make_plugin_manager", with_flaky)
    app = main({}, **make_settings(tmp_path))
    try:
        client = webtest.TestApp(app)
        assert client.post("/@@flaky").text == "ok"
        assert plugin.attempts == 2
        db = app.registry._zodb_databases[""]
        conn = db.open()
        assert conn.root()["cong"].flaky_counter == 1  # the failed attempt was rolled back
        conn.close()
    finally:
        app.registry._zodb_databases[""].close()


def test_a_restart_keeps_users_and_content(tmp_path, model_of):
    app = main({}, **make_settings(tmp_path))
    with model_of(app) as m:
        from core import operations as ops

        m.site.principals.add_user("bientap", "mat-khau-1", fullname="Biên tập")
        folder = ops.create(m.request, m.site, "Folder", {"title": "Tin tức"})
        ops.create(m.request, folder, "Page", {"title": "Bài một", "text": "<p>Nội dung</p>"})
        m.commit()
    app.registry._zodb_databases[""].close()

    again = main({}, **make_settings(tmp_path))
    try:
        with model_of(again) as m:
            page = m.site["tin-tuc"]["bai-mot"]
            assert page.text == "<p>Nội dung</p>"
            assert m.site.principals.get_user("bientap").check_password("mat-khau-1")
            assert m.site.uids[page.uid] is page
    finally:
        again.registry._zodb_databases[""].close()


def test_static_files_are_served_locally_with_caching(testapp):
    response = testapp.get("/_static/style.css")
    assert response.content_type == "text/css"
    assert response.cache_control.max_age > 0


def test_security_headers_on_pages(testapp):
    response = testapp.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_unknown_path_is_a_themed_404_page_or_json(testapp):
    page = testapp.get("/khong-co-trang-nay", status=404)
    assert "text/html" in page.content_type and "Không tìm thấy" in page.text
    data = testapp.get("/khong-co-trang-nay", headers={"Accept": "application/json"}, status=404)
    assert data.json["type"] == "NotFound" and data.json["message"]


def test_upload_over_the_limit_is_refused_with_413_before_reading(testapp):
    body = b"x" * (3 * 1024 * 1024)  # the test settings allow 2 MB
    response = testapp.post("/@@login", body, content_type="application/octet-stream", status=413)
    assert "2 MB" in response.text


def test_anonymous_api_writes_are_401_and_store_nothing(testapp):
    response = testapp.post_json(
        "/", {"@type": "Page", "title": "x"}, headers={"Accept": "application/json"}, status=401
    )
    assert response.json["type"] == "Unauthorized"
    listing = testapp.get("/", headers={"Accept": "application/json"})
    assert listing.json["items"] == []


def test_cookie_authenticated_api_writes_need_the_csrf_header(admin):
    from core.testing import csrf_token

    headers = {"Accept": "application/json"}
    admin.post_json("/", {"@type": "Page", "title": "x"}, headers=headers, status=400)
    token = csrf_token(admin.get("/@@add?type=Page"))
    headers["X-CSRF-Token"] = token
    created = admin.post_json("/", {"@type": "Page", "title": "Có mã"}, headers=headers, status=201)
    assert created.json["title"] == "Có mã"


def test_cached_menu_and_portlet_follow_the_next_commit(testapp, api):
    from webtest import TestApp

    visitor = TestApp(testapp.app)
    api.post_json("/", {"@type": "Folder", "id": "tin-tuc", "title": "Tin tức"})
    api.post("/tin-tuc/@workflow/publish")
    assert "Tin tức" in visitor.get("/").html.select_one("nav.main-nav").text
    assert visitor.get("/").html.select_one(".portlet-latest-news") is None

    api.post_json("/tin-tuc", {"@type": "News", "id": "moi", "title": "Tin mới nhất"})
    assert visitor.get("/").html.select_one(".portlet-latest-news") is None  # still private
    api.post("/tin-tuc/moi/@workflow/publish")
    assert "Tin mới nhất" in visitor.get("/").html.select_one(".portlet-latest-news").text

    api.patch_json("/tin-tuc", {"title": "Tin tức – Sự kiện"})
    assert "Tin tức – Sự kiện" in visitor.get("/").html.select_one("nav.main-nav").text
