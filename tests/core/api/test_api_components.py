"""``expand`` and the components a client builds its pages from: ``@navroot``,
``@actions``, ``@contextnavigation``, ``@site``."""

from __future__ import annotations

import pytest
import webtest

from core.testing import api_token
from tests.subsites import subsite_core_setup
from tests.subsites.subsite_core_setup import TAN_PHU, on

units_app, visitor = subsite_core_setup.units_app, subsite_core_setup.visitor

JSON = {"Accept": "application/json"}
COMPONENTS = [
    "actions", "aliases", "breadcrumbs", "contextnavigation", "navigation", "navroot", "types", "workflow",
]  # fmt: skip


@pytest.fixture
def admin(units_app):
    client = webtest.TestApp(units_app, extra_environ={"HTTP_ACCEPT": "application/json"})
    client.authorization = ("Bearer", api_token(client))
    return client


def get(client, path, status=200, **params):
    return client.get(path, params, headers=JSON, status=status).json


# expand ------------------------------------------------------------------------------
def test_components_are_links_until_expanded(visitor):
    data = get(visitor, "/tin-tuc/hoi-nghi")
    assert sorted(data["@components"]) == COMPONENTS
    assert data["@components"]["navroot"] == {"@id": "http://localhost/tin-tuc/hoi-nghi/@navroot"}


@pytest.mark.parametrize(
    "query",
    ["expand=breadcrumbs,navroot", "expand:list=breadcrumbs&expand:list=navroot"],
)
def test_expand_in_both_forms(visitor, query):
    data = visitor.get("/tin-tuc/hoi-nghi?" + query, headers=JSON).json["@components"]
    assert [i["title"] for i in data["breadcrumbs"]["items"]] == ["Tin tỉnh", "Hội nghị tỉnh"]
    assert data["navroot"]["navroot"]["@id"] == "http://localhost"
    assert data["actions"] == {"@id": "http://localhost/tin-tuc/hoi-nghi/@actions"}


def test_expand_every_component_and_ignore_unknown_names(visitor):
    query = "expand=" + ",".join([*COMPONENTS, "translations", "nothing"])
    data = visitor.get("/tan-phu/tin-tuc?" + query, headers=JSON).json["@components"]
    assert sorted(data) == COMPONENTS  # translations: not multilingual, left out
    assert data["workflow"]["state"]["id"] == "published"
    assert data["actions"]["user"] == [{"id": "login", "title": "Đăng nhập", "icon": ""}]
    assert data["contextnavigation"]["items"]
    assert data["navroot"]["navroot"]["title"] == "UBND xã Tân Phú"


# @navroot ----------------------------------------------------------------------------
def test_navroot_is_the_subsite_or_the_portal(visitor):
    inner = get(visitor, "/tan-phu/tin-tuc/le-hoi/@navroot")
    assert inner["@id"] == "http://localhost/tan-phu/tin-tuc/le-hoi/@navroot"
    assert inner["navroot"]["@id"] == "http://localhost/tan-phu"
    assert inner["navroot"]["@type"] == "Subsite"
    portal = get(visitor, "/tin-tuc/@navroot")["navroot"]
    assert portal["@id"] == "http://localhost"
    on_host = visitor.get("/tin-tuc/@navroot", headers=JSON, extra_environ=on(TAN_PHU)).json
    assert on_host["navroot"]["@id"] == f"http://{TAN_PHU}"


# @actions ----------------------------------------------------------------------------
def ids(actions, category):
    return [a["id"] for a in actions[category]]


def test_actions_of_an_anonymous_visitor(visitor):
    actions = get(visitor, "/tin-tuc/@actions")
    assert sorted(actions) == sorted(
        ["object", "object_buttons", "user", "portal_tabs", "site_actions", "document_actions"]
    )
    assert ids(actions, "object") == ["view"]
    assert ids(actions, "object_buttons") == ["copy"]
    assert ids(actions, "user") == ["login"]
    assert actions["object"][0] == {"id": "view", "title": "Xem", "icon": ""}
    english = get(visitor, "/tin-tuc/@actions", lang="en")
    assert english["object"][0]["title"] == "View"
    assert english["user"][0]["title"] == "Log in"


def test_actions_of_the_admin(admin):
    actions = get(admin, "/tin-tuc/@actions")
    assert ids(actions, "object") == ["view", "edit", "folderContents", "history", "local_roles"]
    assert ids(actions, "object_buttons") == ["cut", "copy", "delete", "rename"]
    assert ids(actions, "user") == ["preferences", "plone_setup", "logout"]
    page = get(admin, "/tin-tuc/hoi-nghi/@actions")
    assert "folderContents" not in ids(page, "object")  # not a folder
    assert ids(get(admin, "/@actions"), "object_buttons") == []  # the site cannot be cut


def test_actions_categories_filter_and_unknown_category(visitor, admin):
    only = visitor.get(
        "/tin-tuc/@actions?categories:list=object&categories:list=user", headers=JSON
    ).json
    assert sorted(only) == ["object", "user"]
    assert sorted(get(visitor, "/@actions", categories="user")) == ["user"]
    bad = get(visitor, "/@actions", status=400, categories="toolbar")
    assert bad["type"] == "BadRequest"
    assert "toolbar" in bad["message"]


# @contextnavigation ------------------------------------------------------------------
def test_context_navigation_opens_the_way_to_the_context(visitor):
    data = get(visitor, "/tan-phu/tin-tuc/le-hoi/@contextnavigation")
    assert data["@id"] == "http://localhost/tan-phu/tin-tuc/le-hoi/@contextnavigation"
    assert data["available"] is True
    assert data["url"] == "http://localhost/tan-phu"
    top = {i["normalized_id"]: i for i in data["items"]}
    assert "tin-tuc" in top and "gioi-thieu" in top
    news = top["tin-tuc"]
    assert news["is_in_path"] and news["is_folderish"] and not news["is_current"]
    assert news["type"] == "folder"
    assert top["gioi-thieu"]["items"] == [] and not top["gioi-thieu"]["is_in_path"]
    # the private draft is not shown to a visitor
    assert [i["normalized_id"] for i in news["items"]] == ["le-hoi"]
    assert news["items"][0]["is_current"] is True
    assert news["items"][0]["href"] == "http://localhost/tan-phu/tin-tuc/le-hoi"


def test_context_navigation_bottom_level_and_name(visitor, admin):
    one = get(
        admin,
        "/tan-phu/tin-tuc/le-hoi/@contextnavigation",
        **{"expand.contextnavigation.bottomLevel": "1", "expand.contextnavigation.name": "Mục"},
    )
    assert all(item["items"] == [] for item in one["items"])
    assert one["title"] == "Mục" and one["has_custom_name"] is True
    for bad in ("-1", "abc", "99"):
        error = get(
            visitor,
            "/@contextnavigation",
            status=400,
            **{"expand.contextnavigation.bottomLevel": bad},
        )
        assert "bottomLevel" in error["message"]


# @site -------------------------------------------------------------------------------
def test_site_gives_title_logo_and_settings_to_anyone(visitor):
    data = get(visitor, "/@site")
    assert data["@id"] == "http://localhost/@site"
    assert data["plone.site_title"]
    assert data["plone.site_logo"].endswith("/logo.svg")
    assert data["plone.default_language"] == "vi"
    assert data["plone.available_languages"] == ["vi", "en"]
    assert data["plone.portal_timezone"] == "Asia/Ho_Chi_Minh"
    assert "thumb 128:128" in data["plone.allowed_sizes"]
    assert data["features"] == {"multilingual": False, "filter_aliases_by_date": False}


def test_site_on_a_subsite_host_is_the_subsite(visitor):
    data = visitor.get("/@site", headers=JSON, extra_environ=on(TAN_PHU)).json
    assert data["@id"] == f"http://{TAN_PHU}/@site"
    assert data["plone.site_title"] == "UBND xã Tân Phú"


@pytest.mark.parametrize(
    "name", ["@site", "@navroot", "@actions", "@contextnavigation", "@vocabularies"]
)
def test_read_only_endpoints_refuse_other_methods(admin, name):
    response = admin.post_json(f"/tin-tuc/{name}", {}, status=405)
    assert response.headers["Allow"] == "GET"
