"""``@copy`` and ``@move``: into the context folder, by URL, path or UID."""

import pytest
import webtest

from core.testing import api_token

PASSWORD = "Mat-khau-api-8642"


@pytest.fixture
def tree(api):
    """/a (folder) with /a/p1 and /a/p2 (pages), /b (folder)."""
    api.post_json("/", {"@type": "Folder", "id": "a", "title": "A"}, status=201)
    api.post_json("/", {"@type": "Folder", "id": "b", "title": "B"}, status=201)
    for name in ("p1", "p2"):
        api.post_json("/a", {"@type": "Page", "id": name, "title": name.upper()}, status=201)


def snapshot(api):
    return {path: api.get(path).json for path in ("/a", "/b", "/a/p1", "/a/p2")}


def test_move_by_path_url_and_uid_keeps_the_objects(api, tree):
    uid1 = api.get("/a/p1").json["UID"]
    uid2 = api.get("/a/p2").json["UID"]
    response = api.post_json("/b/@move", {"source": ["/a/p1", "http://localhost/a/p2"]})
    assert response.json == [
        {"source": "http://localhost/a/p1", "target": "http://localhost/b/p1"},
        {"source": "http://localhost/a/p2", "target": "http://localhost/b/p2"},
    ]
    assert api.get("/b/p1").json["UID"] == uid1
    assert api.get("/b/p2").json["UID"] == uid2
    moved = api.get("/a/p1", status=301)  # an old address redirects (subsites.redirects)
    assert moved.headers["Location"] == "http://localhost/b/p1/"
    assert api.get("/a").json["items_total"] == 0
    back = api.post_json("/a/@move", {"source": uid1}).json
    assert back == [{"source": "http://localhost/b/p1", "target": "http://localhost/a/p1"}]
    assert api.get("/a/p1").json["UID"] == uid1


def test_copy_makes_new_objects_and_keeps_the_originals(api, tree):
    api.post_json("/a/p1/@workflow/publish", {})
    original = api.get("/a/p1").json
    response = api.post_json("/b/@copy", {"source": "/a/p1"})
    assert response.json == [{"source": "http://localhost/a/p1", "target": "http://localhost/b/p1"}]
    copied = api.get("/b/p1").json
    assert copied["UID"] != original["UID"]
    assert copied["title"] == "P1"
    assert copied["review_state"] == "private"
    assert api.get("/a/p1").json == original
    again = api.post_json("/b/@copy", {"source": "/a/p1"}).json
    assert again[0]["target"] != "http://localhost/b/p1"
    assert api.get(again[0]["target"]).json["title"] == "P1"


def test_copying_a_folder_copies_its_contents(api, tree):
    target = api.post_json("/b/@copy", {"source": "/a"}).json[0]["target"]
    assert target == "http://localhost/b/a"
    assert [i["title"] for i in api.get(target).json["items"]] == ["P1", "P2"]


@pytest.mark.parametrize(
    "body",
    [
        {"source": ["/a/p1", "/khong-co"]},
        {"source": ["/a/p1", "0" * 32]},
        {"source": ["/a/p1", 5]},
        {"source": "http://elsewhere.example/a/p2"},
        {"source": "/Đà Nẵng"},  # letters Pyramid's traversal wants URL-quoted
        {},
        {"source": []},
    ],
)
def test_an_unknown_source_refuses_the_whole_request(api, tree, body):
    before = snapshot(api)
    for endpoint in ("/b/@move", "/b/@copy"):
        response = api.post_json(endpoint, body, status=400)
        assert response.json["errors"][0]["field"] == "source"
    assert snapshot(api) == before


def test_a_folder_cannot_be_moved_into_itself(api, tree):
    api.post_json("/a", {"@type": "Folder", "id": "sub", "title": "Sub"}, status=201)
    before = snapshot(api)
    response = api.post_json("/a/sub/@move", {"source": "/a"}, status=400)
    assert response.json["errors"][0]["field"] == "target"
    assert snapshot(api) == before


def test_moving_without_permission_is_403_and_moves_nothing(app, api, tree, site_access):
    for path in ("/a", "/b", "/a/p1"):
        api.post_json(path + "/@workflow/publish", {})
    with site_access() as site:
        site.principals.add_user("u1", PASSWORD)
    member = webtest.TestApp(app, extra_environ={"HTTP_ACCEPT": "application/json"})
    member.authorization = ("Bearer", api_token(member, "u1", PASSWORD))
    before = snapshot(api)
    assert member.post_json("/b/@move", {"source": "/a/p1"}, status=403).json["type"] == "Forbidden"
    member.post_json("/b/@copy", {"source": "/a/p1"}, status=403)
    assert snapshot(api) == before


def test_other_methods_get_405(api, tree):
    assert api.get("/b/@move", status=405).headers["Allow"] == "POST"
    assert api.get("/b/@copy", status=405).headers["Allow"] == "POST"
