"""Pages answer 405 with ``Allow`` to the methods they do not take; the API's
methods keep working."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("PUT", "/@@search"),
        ("DELETE", "/@@rss"),
        ("PATCH", "/sitemap.xml"),
        ("DELETE", "/"),
        ("DELETE", "/_static/style.css"),
    ],
)
def test_a_page_answers_405_to_an_unsafe_method(testapp, method, url):
    response = testapp.request(url, method=method, status=405)
    assert response.headers["Allow"] == "GET, HEAD, POST"
    assert "Phương thức không được hỗ trợ" in response.text


def test_a_read_only_page_does_not_run_for_delete(testapp):
    response = testapp.request("/@@rss", method="DELETE", status=405)
    assert "<rss" not in response.text


def test_a_content_page_answers_405_to_a_browser_put(app, api):
    import webtest

    api.post_json("/", {"@type": "Page", "id": "trang", "title": "Trang"}, status=201)
    api.post("/trang/@workflow/publish")
    visitor = webtest.TestApp(app)
    visitor.request("/trang", method="PUT", body=b"x", status=405)
    assert visitor.get("/trang").status_int == 200


def test_a_page_that_names_its_methods_lists_them(testapp):
    response = testapp.request("/@@login", method="PUT", status=405)
    assert response.headers["Allow"] == "GET, HEAD, POST"


def test_a_json_client_gets_the_405_in_json(testapp):
    response = testapp.request(
        "/@@search", method="DELETE", headers={"Accept": "application/json"}, status=405
    )
    assert response.json["type"] == "MethodNotAllowed"
    assert response.headers["Allow"] == "GET, HEAD, POST"


def test_the_api_still_edits_and_deletes(api):
    api.post_json("/", {"@type": "Page", "id": "trang", "title": "Trang"}, status=201)
    api.patch_json("/trang", {"title": "Trang mới"}, status=204)
    assert api.get("/trang").json["title"] == "Trang mới"
    api.delete("/trang", status=204)
    api.get("/trang", status=404)


def test_the_api_endpoints_keep_their_own_allow(api):
    response = api.request("/@search", method="PUT", status=405)
    assert response.headers["Allow"] == "GET"
