"""``@vocabularies`` and Plone's type names (``Document`` creates a Page)."""

from __future__ import annotations

import pytest
import webtest

VOCABULARIES = "http://localhost/@vocabularies/"


@pytest.fixture
def anonymous(app):
    return webtest.TestApp(app, extra_environ={"HTTP_ACCEPT": "application/json"})


def test_list_of_vocabularies(anonymous):
    data = anonymous.get("/@vocabularies").json
    names = [v["title"] for v in data]
    for name in (
        "plone.app.vocabularies.ReallyUserFriendlyTypes",
        "plone.app.vocabularies.WorkflowStates",
        "plone.app.vocabularies.Roles",
        "plone.app.vocabularies.Keywords",
        "cong.services.fields",  # a plugin's
    ):
        assert name in names
    assert data[0]["@id"] == VOCABULARIES + data[0]["title"]


def test_types_vocabulary(anonymous):
    data = anonymous.get("/@vocabularies/plone.app.vocabularies.ReallyUserFriendlyTypes").json
    assert data["@id"] == VOCABULARIES + "plone.app.vocabularies.ReallyUserFriendlyTypes"
    terms = {t["token"]: t["title"] for t in data["items"]}
    assert terms["Page"] == "Trang" and terms["News"] == "Tin tức"
    assert data["items_total"] == len(data["items"])
    english = anonymous.get(
        "/@vocabularies/plone.app.vocabularies.ReallyUserFriendlyTypes?lang=en"
    ).json
    assert {t["token"]: t["title"] for t in english["items"]}["Page"] == "Page"


def test_states_and_roles(anonymous):
    states = anonymous.get("/@vocabularies/plone.app.vocabularies.WorkflowStates").json
    tokens = [t["token"] for t in states["items"]]
    assert {"private", "pending", "published"} <= set(tokens)
    assert len(tokens) == len(set(tokens))
    roles = anonymous.get("/@vocabularies/plone.app.vocabularies.Roles").json
    tokens = [t["token"] for t in roles["items"]]
    assert "Editor" in tokens and "Owner" not in tokens


def test_filters_and_batches(anonymous):
    url = "/@vocabularies/plone.app.vocabularies.PortalTypes"
    assert [t["token"] for t in anonymous.get(url, {"title": "tin tuc"}).json["items"]] == ["News"]
    assert [t["token"] for t in anonymous.get(url, {"token": "Folder"}).json["items"]] == ["Folder"]
    some = anonymous.get(url + "?tokens:list=Page&tokens:list=File").json["items"]
    assert sorted(t["token"] for t in some) == ["File", "Page"]
    page = anonymous.get(url, {"b_size": "2"}).json
    assert len(page["items"]) == 2 and page["items_total"] > 2
    assert "next" in page["batching"]


def test_services_fields_vocabulary(anonymous):
    data = anonymous.get("/@vocabularies/cong.services.fields").json
    assert data["items_total"] == len(data["items"])
    assert all(set(t) == {"token", "title"} for t in data["items"])


def test_unknown_vocabulary_is_404(anonymous):
    assert anonymous.get("/@vocabularies/khong-co", status=404).json["type"] == "NotFound"
    anonymous.get("/@vocabularies/plone.app.vocabularies.Roles/x", status=404)


# Plone's type names --------------------------------------------------------------------
def test_document_creates_a_page(api):
    response = api.post_json("/", {"@type": "Document", "id": "gioi-thieu", "title": "Giới thiệu"})
    assert response.status_int == 201
    assert response.json["@type"] == "Page"  # the portal's own name (decision 0017)
    assert api.get("/gioi-thieu").json["@type"] == "Page"


def test_news_item_creates_news_when_the_news_plugin_runs(api):
    response = api.post_json("/", {"@type": "News Item", "title": "Tin mới"}, status=201)
    assert response.json["@type"] == "News"


def test_an_unknown_type_is_still_refused(api):
    response = api.post_json("/", {"@type": "Collection", "title": "x"}, status=400)
    assert response.json["type"] == "BadRequest"
