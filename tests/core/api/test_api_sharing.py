"""``@sharing``: local roles through the API, by the Sharing page's rules."""

import pytest
import webtest

from core.testing import api_token

PASSWORD = "Mat-khau-chia-se-2468"


def client_of(app, login):
    client = webtest.TestApp(app, extra_environ={"HTTP_ACCEPT": "application/json"})
    client.authorization = ("Bearer", api_token(client, login, PASSWORD))
    return client


@pytest.fixture
def tree(api, site_access):
    """/tin/thoi-su (folders), the users ``an`` (Editor of /tin) and ``binh``
    (global Reviewer), the group ``bbt``."""
    api.post_json("/", {"@type": "Folder", "id": "tin", "title": "Tin"}, status=201)
    api.post_json("/tin", {"@type": "Folder", "id": "thoi-su", "title": "Thời sự"}, status=201)
    with site_access() as site:
        site.principals.add_user("an", PASSWORD, "Nguyễn Văn An")
        binh = site.principals.add_user("binh", PASSWORD, "Trần Thị Bình")
        binh.roles.add("Reviewer")
        site.principals.add_group("bbt", "Ban biên tập")
        site["tin"].local_roles["an"] = ("Editor",)


def test_sharing_lists_roles_granted_here_above_and_site_wide(api, tree):
    data = api.get("/tin/thoi-su/@sharing", {"search": "bình"}).json
    assert data["inherit"] is True
    roles = [r["id"] for r in data["available_roles"]]
    assert {"Editor", "Contributor", "Reviewer", "Reader"} <= set(roles)
    assert "Manager" not in roles and "Owner" not in roles
    assert {"id": "Editor", "title": "Biên tập viên"} in data["available_roles"]
    entries = {e["id"]: e for e in data["entries"]}
    assert entries["an"]["roles"]["Editor"] == "acquired"
    assert entries["an"]["type"] == "user" and entries["an"]["title"] == "Nguyễn Văn An"
    assert entries["binh"]["roles"]["Reviewer"] == "global"  # found by the search
    assert entries["binh"]["roles"]["Editor"] is False
    assert api.get("/tin/@sharing").json["entries"][0]["roles"]["Editor"] is True


def test_post_sets_local_roles_that_reach_below(app, api, tree):
    body = {
        "entries": [
            {"id": "binh", "type": "user", "roles": {"Editor": True, "Reader": False}},
            {"id": "group:bbt", "type": "group", "roles": {"Reader": True}},
        ],
        "inherit": True,
    }
    api.post_json("/tin/@sharing", body, status=204)
    entries = {e["id"]: e for e in api.get("/tin/thoi-su/@sharing").json["entries"]}
    assert entries["binh"]["roles"]["Editor"] == "acquired"
    assert entries["group:bbt"]["type"] == "group"
    assert entries["group:bbt"]["roles"]["Reader"] == "acquired"
    # binh may now edit below /tin, and nowhere else
    binh = client_of(app, "binh")
    binh.patch_json("/tin/thoi-su", {"title": "Thời sự mới"}, status=204)
    api.post_json("/", {"@type": "Folder", "id": "khac", "title": "Khác"}, status=201)
    binh.patch_json("/khac", {"title": "x"}, status=403)
    # taking a role away
    api.post_json("/tin/@sharing", {"entries": [{"id": "binh", "roles": {}}]}, status=204)
    binh.patch_json("/tin/thoi-su", {"title": "y"}, status=403)


@pytest.mark.parametrize(
    "body",
    [
        {"entries": [{"id": "an", "roles": {"Manager": True}}]},
        {"entries": [{"id": "an", "roles": {"Vua": True}}]},
        {"entries": [{"id": "khong-co", "roles": {"Reader": True}}]},
        {"entries": [{"id": "an", "roles": {"Reader": "yes"}}]},
        {"entries": [{"roles": {"Reader": True}}]},
        {"entries": "an"},
        {"inherit": False},
    ],
)
def test_refused_changes_are_400_and_change_nothing(api, tree, body):
    before = api.get("/tin/@sharing").json
    complete = {"entries": [{"id": "binh", "roles": {"Reader": True}}, *body.get("entries", [])]}
    if not isinstance(body.get("entries", []), list):
        complete = body
    if "inherit" in body:
        complete = dict(complete, inherit=body["inherit"])
    response = api.post_json("/tin/@sharing", complete, status=400)
    assert response.json["type"] == "BadRequest" and response.json["message"]
    assert api.get("/tin/@sharing").json == before


def test_sharing_needs_the_sharing_permission(app, api, tree):
    an = client_of(app, "an")  # an Editor may edit /tin but not share it
    an.get("/tin/@sharing", status=403)
    an.post_json(
        "/tin/@sharing", {"entries": [{"id": "an", "roles": {"Reader": True}}]}, status=403
    )
    anonymous = webtest.TestApp(app, extra_environ={"HTTP_ACCEPT": "application/json"})
    anonymous.get("/tin/@sharing", status=401)


def test_site_admins_share_where_they_administer(app, api, tree, site_access):
    with site_access() as site:
        site["tin"].local_roles["binh"] = ("SiteAdmin",)
    binh = client_of(app, "binh")
    body = {"entries": [{"id": "an", "roles": {"Reader": True}}]}
    binh.post_json("/tin/thoi-su/@sharing", body, status=204)
    binh.get("/@sharing", status=403)


def test_sharing_is_for_folders(api, tree):
    api.post_json("/tin", {"@type": "Page", "id": "trang", "title": "Trang"}, status=201)
    api.get("/tin/trang/@sharing", status=404)
    assert api.put_json("/tin/@sharing", {}, status=405).headers["Allow"] == "GET, POST"
