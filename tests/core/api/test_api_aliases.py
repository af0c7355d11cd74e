"""``@aliases``: the old addresses kept for renamed and moved content, through the API."""

import pytest
import webtest

from core import operations
from core.evolve import get_steps
from core.testing import api_token
from subsites.redirects import SOURCES_STEP, build_sources

PASSWORD = "Mat-khau-dia-chi-9753"


@pytest.fixture
def items(api):
    """/tin (published folder) with the page /tin/bai, and the folder /khac."""
    api.post_json("/", {"@type": "Folder", "id": "tin", "title": "Tin"}, status=201)
    api.post_json("/tin/@workflow/publish", {})
    api.post_json("/tin", {"@type": "Page", "id": "bai", "title": "Bài"}, status=201)
    api.post_json("/tin/bai/@workflow/publish", {})
    api.post_json("/", {"@type": "Folder", "id": "khac", "title": "Khác"}, status=201)


@pytest.fixture
def visitor(app):
    return webtest.TestApp(app)


def add(api, path, *aliases, status=204):
    return api.post_json(
        path + "/@aliases", {"items": [{"path": a} for a in aliases]}, status=status
    )


def test_an_added_alias_redirects_and_is_listed(api, items, visitor):
    add(api, "/tin/bai", "/bai-cu", "/tin/bai-cu")
    data = api.get("/tin/bai/@aliases").json
    assert data["@id"] == "http://localhost/tin/bai/@aliases"
    assert data["items_total"] == 2
    first = data["items"][0]
    assert first["path"] == "/bai-cu"
    assert first["redirect-to"] == "/tin/bai"
    assert first["manual"] is True
    assert first["datetime"]
    response = visitor.get("/bai-cu", {"trang": "2"}, status=301)
    assert response.headers["Location"] == "http://localhost/tin/bai/?trang=2"
    assert visitor.get("/tin/bai-cu", status=301)


def test_renames_are_listed_as_automatic_aliases(api, items):
    api.post_json("/", {"@type": "Page", "id": "cu", "title": "Cũ"}, status=201)
    api.post_json("/khac/@move", {"source": "http://localhost/cu"}, status=200)
    api.post_json("/@aliases", {"items": [{"path": "/goc", "redirect-to": "/tin"}]}, status=204)
    items = api.get("/@aliases").json["items"]
    assert {i["path"]: i["manual"] for i in items} == {"/cu": False, "/goc": True}
    assert api.get("/@aliases", {"manual": "false"}).json["items_total"] == 1
    assert api.get("/@aliases", {"query": "go"}).json["items"][0]["redirect-to"] == "/tin"
    assert api.get("/@aliases", {"manual": "co"}, status=400).json["type"] == "BadRequest"


def test_delete_an_alias(api, items, visitor):
    add(api, "/tin/bai", "/bai-cu")
    api.delete_json("/tin/bai/@aliases", {"items": [{"path": "/bai-cu"}]}, status=204)
    assert api.get("/tin/bai/@aliases").json["items_total"] == 0
    visitor.get("/bai-cu", status=404)
    # only an alias of this item can be removed here
    add(api, "/tin/bai", "/bai-cu")
    response = api.delete_json("/khac/@aliases", {"items": [{"path": "/bai-cu"}]}, status=400)
    assert response.json["failed"] == ["/bai-cu"]
    api.delete_json("/@aliases", {"items": ["/bai-cu"]}, status=204)


@pytest.mark.parametrize(
    "alias",
    ["khong-gach", "/khac", "/tin/bai", "/", "/a/../b", "/a\nb", "/" + "a/" * 40, 5],
)
def test_bad_aliases_are_refused_and_nothing_is_stored(api, items, alias):
    response = add(api, "/tin/bai", "/tot", alias, status=400)
    assert response.json["failed"] == [str(alias)]
    assert api.get("/tin/bai/@aliases").json["items_total"] == 0


def test_an_alias_of_another_item_is_not_taken(api, items):
    add(api, "/khac", "/cu")
    assert add(api, "/tin/bai", "/cu", status=400).json["failed"] == ["/cu"]
    add(api, "/khac", "/cu")  # again for the same item: nothing changes


@pytest.mark.parametrize(
    "body", [{}, {"items": []}, {"items": [{"path": "/a"}] * 1001}, {"items": 3}]
)
def test_bad_bodies_are_400(api, items, body):
    assert api.post_json("/tin/@aliases", body, status=400).json["type"] == "BadRequest"


def test_aliases_need_the_right_to_edit(app, api, items, site_access):
    with site_access() as site:
        site.principals.add_user("doc", PASSWORD)
    reader = webtest.TestApp(app, extra_environ={"HTTP_ACCEPT": "application/json"})
    reader.get("/tin/bai/@aliases", status=401)
    reader.authorization = ("Bearer", api_token(reader, "doc", PASSWORD))
    reader.get("/tin/bai/@aliases", status=403)
    reader.post_json("/tin/bai/@aliases", {"items": [{"path": "/x"}]}, status=403)


def test_a_bad_datetime_is_refused(api, items):
    body = {"items": [{"path": "/x", "datetime": "hôm qua"}]}
    api.post_json("/tin/@aliases", body, status=400)
    body = {"items": [{"path": "/x", "datetime": "2024-05-05"}]}
    api.post_json("/tin/@aliases", body, status=204)
    assert api.get("/tin/@aliases").json["items"][0]["datetime"] == "2024-05-04T17:00:00+00:00"


def paths_of(api, path):
    return [i["path"] for i in api.get(path + "/@aliases").json["items"]]


def test_the_aliases_of_an_item_follow_its_renames_moves_and_deletes(api, items, model, visitor):
    add(api, "/tin/bai", "/bai-cu")
    add(api, "/khac", "/khac-cu")
    model.commit()  # see what the API stored
    operations.rename(model.request, model.site["tin"]["bai"], "bai-moi")
    model.commit()
    assert paths_of(api, "/tin/bai-moi") == ["/bai-cu", "/tin/bai"]
    operations.move(model.request, model.site["tin"]["bai-moi"], model.site["khac"])
    model.commit()
    assert paths_of(api, "/khac/bai-moi") == ["/bai-cu", "/tin/bai", "/tin/bai-moi"]
    assert paths_of(api, "/khac") == ["/khac-cu"]
    # moved back where it was: its own path is no longer an old address
    operations.move(model.request, model.site["khac"]["bai-moi"], model.site["tin"], "bai")
    model.commit()
    assert paths_of(api, "/tin/bai") == ["/bai-cu", "/khac/bai-moi", "/tin/bai-moi"]
    api.delete_json("/tin/bai/@aliases", {"items": ["/tin/bai-moi"]}, status=204)
    assert paths_of(api, "/tin/bai") == ["/bai-cu", "/khac/bai-moi"]
    model.commit()
    operations.delete(model.request, model.site["tin"]["bai"])
    model.commit()
    visitor.get("/bai-cu", status=404)
    assert paths_of(api, "/khac") == ["/khac-cu"]


def test_the_evolve_step_indexes_the_aliases_of_existing_sites(app, api, items, site_access):
    add(api, "/tin/bai", "/bai-cu", "/tin/cu")
    with site_access() as site:
        del site.redirect_sources  # as on a site made before the index
    assert api.get("/tin/bai/@aliases").json["items_total"] == 0
    assert SOURCES_STEP in [step.name for step in get_steps(app.registry)]
    with site_access() as site:
        build_sources(site)
    assert paths_of(api, "/tin/bai") == ["/bai-cu", "/tin/cu"]


def test_expand_aliases_embeds_them_for_editors(api, items, visitor):
    add(api, "/tin/bai", "/bai-cu")
    data = api.get("/tin/bai", {"expand": "aliases"}).json["@components"]
    assert [i["path"] for i in data["aliases"]["items"]] == ["/bai-cu"]
    assert api.get("/tin/bai").json["@components"]["aliases"] == {
        "@id": "http://localhost/tin/bai/@aliases"
    }
    shown = visitor.get("/tin/bai", {"expand": "aliases"}, headers={"Accept": "application/json"})
    assert shown.json["@components"]["aliases"] == {"@id": "http://localhost/tin/bai/@aliases"}
