"""Content through the JSON API: GET, POST (add), PATCH (edit), DELETE; errors."""

from datetime import datetime

import pytest
import webtest

from core.testing import api_token

PASSWORD = "Mat-khau-api-1357"


@pytest.fixture
def anonymous(app):
    return webtest.TestApp(
        app, extra_environ={"REMOTE_ADDR": "10.0.0.9", "HTTP_ACCEPT": "application/json"}
    )


@pytest.fixture
def member(app, site_access):
    """A logged-in user (bearer token) with no role anywhere."""
    with site_access() as site:
        site.principals.add_user("u1", PASSWORD)
    client = webtest.TestApp(
        app, extra_environ={"REMOTE_ADDR": "10.0.0.8", "HTTP_ACCEPT": "application/json"}
    )
    client.authorization = ("Bearer", api_token(client, "u1", PASSWORD))
    return client


@pytest.fixture
def page(api):
    body = {"@type": "Page", "id": "gioi-thieu", "title": "Giới thiệu", "text": "<p>Xin chào</p>"}
    api.post_json("/", body, status=201)
    return "/gioi-thieu"


def publish(api, path):
    api.post_json(path + "/@workflow/publish", {})


def test_get_a_page_gives_plone_restapi_fields(api, page):
    data = api.get(page).json
    assert data["@id"] == "http://localhost/gioi-thieu"
    assert data["@type"] == "Page"
    assert data["id"] == "gioi-thieu"
    assert len(data["UID"]) == 32
    assert data["title"] == "Giới thiệu"
    assert data["description"] == ""
    assert data["review_state"] == "private"
    assert datetime.fromisoformat(data["created"]).tzinfo is not None
    assert datetime.fromisoformat(data["modified"]) >= datetime.fromisoformat(data["created"])
    assert data["creators"] == ["admin"]
    assert data["parent"]["@id"] == "http://localhost"
    assert data["parent"]["@type"] == "Site"
    assert data["parent"]["title"]
    assert data["is_folderish"] is False
    assert data["text"] == {
        "data": "<p>Xin chào</p>",
        "content-type": "text/html",
        "encoding": "utf-8",
    }
    assert "items" not in data
    assert data["@components"]["breadcrumbs"] == {"@id": "http://localhost/gioi-thieu/@breadcrumbs"}


def test_get_a_folder_lists_its_items(api):
    api.post_json("/", {"@type": "Folder", "id": "tin-tuc", "title": "Tin tức"}, status=201)
    api.post_json("/tin-tuc", {"@type": "Page", "title": "Bài một", "description": "Tóm tắt"})
    data = api.get("/tin-tuc").json
    assert data["is_folderish"] is True
    assert data["items_total"] == 1
    assert data["items"] == [
        {
            "@id": "http://localhost/tin-tuc/bai-mot",
            "@type": "Page",
            "title": "Bài một",
            "description": "Tóm tắt",
            "review_state": "private",
        }
    ]
    assert "batching" not in data


def test_a_folder_of_30_items_is_batched(api):
    api.post_json("/", {"@type": "Folder", "id": "f", "title": "F"}, status=201)
    for n in range(30):
        api.post_json("/f", {"@type": "Page", "id": f"p{n:02}", "title": f"Trang {n}"})
    data = api.get("/f", {"b_size": "10"}).json
    assert len(data["items"]) == 10
    assert data["items_total"] == 30
    assert data["items"][0]["@id"].endswith("/f/p00")
    assert "b_start=10" in data["batching"]["next"]
    assert "prev" not in data["batching"]
    second = api.get(data["batching"]["next"]).json
    assert [i["title"] for i in second["items"]] == [f"Trang {n}" for n in range(10, 20)]
    assert "b_start=0" in second["batching"]["prev"]
    last = api.get(data["batching"]["last"]).json
    assert last["items"][-1]["@id"].endswith("/f/p29")
    assert "next" not in last["batching"]


#: The services plugin's catalog, which every site of these tests has (private).
CATALOG_URL = "http://localhost/thu-tuc-hanh-chinh"


def test_a_listing_shows_only_what_the_requester_may_view(api, anonymous):
    api.post_json("/", {"@type": "Page", "id": "cong-khai", "title": "Công khai"})
    api.post_json("/", {"@type": "Page", "id": "noi-bo", "title": "Nội bộ"})
    publish(api, "/cong-khai")
    data = anonymous.get("/").json
    assert [i["@id"] for i in data["items"]] == ["http://localhost/cong-khai"]
    assert data["items_total"] == 1
    # + the services plugin's own catalog, private until published (core.structure)
    assert api.get("/").json["items_total"] == 3


def test_private_content_is_401_for_anonymous_and_403_for_members(page, anonymous, member):
    assert anonymous.get(page, status=401).json["type"] == "Unauthorized"
    assert member.get(page, status=403).json["type"] == "Forbidden"


def test_published_content_is_public(api, page, anonymous):
    publish(api, page)
    assert anonymous.get(page).json["review_state"] == "published"


def test_post_creates_with_201_location_and_the_object(api):
    response = api.post_json(
        "/", {"@type": "Link", "title": "Dịch vụ công", "url": "https://dichvucong.gov.vn"}
    )
    assert response.status_int == 201
    assert response.headers["Location"] == "http://localhost/dich-vu-cong"
    assert response.json["@id"] == "http://localhost/dich-vu-cong"
    assert response.json["url"] == "https://dichvucong.gov.vn"
    stored = api.get(response.headers["Location"]).json
    assert stored["UID"] == response.json["UID"]
    assert stored["title"] == "Dịch vụ công"


def test_post_sanitises_rich_text_and_accepts_plone_richtext_objects(api):
    body = {
        "@type": "Page",
        "title": "T",
        "text": {"data": "<p>ok</p><script>alert(1)</script>", "content-type": "text/html"},
    }
    data = api.post_json("/", body, status=201).json
    assert data["text"]["data"] == "<p>ok</p>"


def test_patch_edits_and_answers_204(api, page):
    response = api.patch_json(page, {"title": "Giới thiệu chung", "description": "Về tỉnh"})
    assert response.status_int == 204
    assert response.body == b""
    data = api.get(page).json
    assert data["title"] == "Giới thiệu chung"
    assert data["description"] == "Về tỉnh"
    assert data["text"]["data"] == "<p>Xin chào</p>"  # fields not sent are kept


def test_patch_with_prefer_representation_answers_the_object(api, page):
    response = api.patch_json(page, {"title": "Mới"}, headers={"Prefer": "return=representation"})
    assert response.status_int == 200
    assert response.json["title"] == "Mới"


def test_delete_removes_with_204(api, page):
    assert api.delete(page, status=204).body == b""
    assert api.get(page, status=404).json["type"] == "NotFound"
    assert [i["@id"] for i in api.get("/").json["items"]] == [CATALOG_URL]  # the plugin's own


# refused requests: the right status, a message, and nothing stored changes ----------
@pytest.mark.parametrize(
    "body, field",
    [
        ({"title": 5}, "title"),
        ({"title": None}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "ok", "description": ["x"]}, "description"),
        ({"title": "x" * 301}, "title"),
    ],
)
def test_a_refused_patch_names_the_field_and_changes_nothing(api, page, body, field):
    before = api.get(page).json
    response = api.patch_json(page, body, status=400)
    assert response.json["type"] == "BadRequest"
    assert [e["field"] for e in response.json["errors"]] == [field]
    assert response.json["errors"][0]["message"]
    assert field in response.json["message"]
    assert api.get(page).json == before


@pytest.mark.parametrize("body", ["{bad", "[1]", '"text"', "null"])
def test_malformed_json_is_400_and_stores_nothing(api, page, body):
    site_before, page_before = api.get("/").json, api.get(page).json
    for method, path in (("POST", "/"), ("PATCH", page)):
        response = api.request(
            path, method=method, body=body.encode(), content_type="application/json", status=400
        )
        assert response.json["type"] == "BadRequest"
        assert response.json["message"]
    assert api.get("/").json == site_before
    assert api.get(page).json == page_before


@pytest.mark.parametrize(
    "body, field",
    [
        ({"@type": "Nope", "title": "x"}, "@type"),
        ({"title": "no type"}, "@type"),
        ({"@type": 5, "title": "x"}, "@type"),
        ({"@type": "Site", "title": "x"}, "@type"),
        ({"@type": "Page", "id": "../x", "title": "x"}, "id"),
        ({"@type": "Page", "id": "a/b", "title": "x"}, "id"),
        ({"@type": "Page", "id": "@@edit", "title": "x"}, "id"),
        ({"@type": "Page", "id": 7, "title": "x"}, "id"),
        ({"@type": "Page", "id": "gioi-thieu", "title": "taken"}, "id"),
        ({"@type": "Page", "title": 42}, "title"),
        ({"@type": "Link", "title": "x", "url": "javascript:alert(1)"}, "url"),
    ],
)
def test_a_refused_post_names_the_field_and_creates_nothing(api, page, body, field):
    before = api.get("/").json
    response = api.post_json("/", body, status=400)
    assert response.json["type"] == "BadRequest"
    assert field in [e["field"] for e in response.json["errors"]]
    assert api.get("/").json == before


def test_members_without_permission_get_403_and_nothing_changes(api, page, member):
    publish(api, page)
    before, site_before = api.get(page).json, api.get("/").json
    assert member.patch_json(page, {"title": "Bị sửa"}, status=403).json["type"] == "Forbidden"
    assert member.delete(page, status=403).json["type"] == "Forbidden"
    member.post_json("/", {"@type": "Page", "title": "Lạ"}, status=403)
    assert api.get(page).json == before
    assert api.get("/").json == site_before


def test_an_expired_or_forged_token_gets_401_and_nothing_changes(app, api, page):
    before, site_before = api.get(page).json, api.get("/").json
    stranger = webtest.TestApp(app, extra_environ={"HTTP_ACCEPT": "application/json"})
    stranger.authorization = ("Bearer", "not-a-real-token")
    stranger.post_json("/", {"@type": "Page", "title": "Lạ"}, status=401)
    stranger.patch_json(page, {"title": "Lạ"}, status=401)
    stranger.delete(page, status=401)
    assert api.get(page).json == before
    assert api.get("/").json == site_before


def test_unknown_paths_are_json_404(api, anonymous):
    for client in (api, anonymous):
        response = client.get("/khong-ton-tai", status=404)
        assert response.content_type == "application/json"
        assert response.json["type"] == "NotFound"
        assert response.json["message"]


def test_unsupported_methods_get_405_with_allow(api, page):
    response = api.put_json(page, {"title": "x"}, status=405)
    assert response.json["type"] == "MethodNotAllowed"
    assert response.headers["Allow"] == "GET, PATCH, DELETE"
    assert api.post_json(page, {"@type": "Page"}, status=405).headers["Allow"] == (
        "GET, PATCH, DELETE"
    )


def test_the_site_root_cannot_be_deleted(api, page):
    before = api.get("/").json
    response = api.delete("/", status=405)
    assert response.headers["Allow"] == "GET, POST, PATCH"
    assert response.json["type"] == "MethodNotAllowed"
    assert api.get("/").json == before


def test_html_requests_still_get_pages(api, page, testapp):
    html = webtest.TestApp(testapp.app)
    html.authorization = api.authorization
    response = html.get(page)
    assert response.content_type == "text/html"
    assert "Xin chào" in response.text
