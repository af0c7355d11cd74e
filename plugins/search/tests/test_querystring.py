"""``@querystring`` and ``@querystring-search``: queries as Volto's listing and
search blocks send them (plone.app.querystring rows)."""

from __future__ import annotations

import json
from urllib.parse import quote, urlsplit

import pytest
import webtest

from core.testing import api_token
from plugins.search.tests import search_setup

portal_app, visitor = search_setup.portal_app, search_setup.visitor

JSON = {"Accept": "application/json"}
OP = "plone.app.querystring.operation."


def row(index, op, value=""):
    return {"i": index, "o": OP + op, "v": value}


def qs(client, body, path="/@querystring-search", status=200):
    return client.post_json(path, body, headers=JSON, status=status).json


def ids(data) -> list[str]:
    return [urlsplit(item["@id"]).path for item in data["items"]]


NEWS = row("portal_type", "selection.any", ["News"])


def test_querystring_describes_indexes_and_operators(visitor):
    data = visitor.get("/@querystring", headers=JSON).json
    assert data["@id"] == "http://localhost/@querystring"
    types = data["indexes"]["portal_type"]
    assert OP + "selection.any" in types["operations"]
    assert types["operators"][OP + "selection.any"]["widget"] == "MultipleSelectionWidget"
    assert types["values"]["News"] == {"title": "Tin tức"}
    assert types["vocabulary"] == "plone.app.vocabularies.ReallyUserFriendlyTypes"
    assert OP + "date.between" in data["indexes"]["effective"]["operations"]
    assert OP + "string.contains" in data["indexes"]["SearchableText"]["operations"]
    assert "Subject" in data["indexes"]  # the news plugin's tags
    assert "event_start" in data["indexes"]  # a plugin's date
    assert {"effective", "sortable_title", "getObjPositionInParent"} <= set(
        data["sortable_indexes"]
    )


def test_selection_and_sort(visitor):
    data = qs(visitor, {"query": [NEWS], "sort_on": "effective", "sort_order": "descending"})
    assert data["@id"] == "http://localhost/@querystring-search"
    assert ids(data) == [
        "/tin-tuc/dich-vu-cong",
        "/so-tnmt/tin-tuc/dat-dai",
        "/tin-tuc/du-lich-he",
        "/tin-tuc/ma-doc",
    ]
    assert data["items_total"] == 4
    ascending = qs(visitor, {"query": [NEWS], "sort_on": "effective"})
    assert ids(ascending) == list(reversed(ids(data)))


def test_text_path_and_dates(visitor):
    text = qs(visitor, {"query": [row("SearchableText", "string.contains", "hồ sơ")]})
    assert data_total(text) == 3
    path = qs(visitor, {"query": [NEWS, row("path", "string.absolutePath", "/so-tnmt")]})
    assert ids(path) == ["/so-tnmt/tin-tuc/dat-dai"]
    children = qs(visitor, {"query": [row("path", "string.absolutePath", "/::1")]})
    assert sorted(ids(children)) == ["/so-tnmt", "/tin-tuc"]
    relative = qs(
        visitor,
        {"query": [NEWS, row("path", "string.relativePath", "..")]},
        path="/tin-tuc/ma-doc/@querystring-search",
    )
    assert sorted(ids(relative)) == [  # the parent of the item: /tin-tuc
        "/tin-tuc/dich-vu-cong",
        "/tin-tuc/du-lich-he",
        "/tin-tuc/ma-doc",
    ]
    year = qs(
        visitor, {"query": [NEWS, row("effective", "date.between", ["2024-12-31", "2024-01-01"])]}
    )
    assert ids(year) == ["/tin-tuc/du-lich-he"]
    before = qs(visitor, {"query": [NEWS, row("effective", "date.lessThan", "2024-01-01")]})
    assert ids(before) == ["/tin-tuc/ma-doc"]
    recent = qs(visitor, {"query": [row("created", "date.largerThanRelativeDate", "1")]})
    assert recent["items_total"] > 0
    future = qs(visitor, {"query": [row("created", "date.afterToday")]})
    assert future["items_total"] == 0


def data_total(data):
    return data["items_total"]


def test_scope_defaults_to_the_navigation_root(visitor):
    data = qs(visitor, {"query": [NEWS]}, path="/so-tnmt/@querystring-search")
    assert ids(data) == ["/so-tnmt/tin-tuc/dat-dai"]


def test_batch_limit_fullobjects_and_metadata(visitor):
    page = qs(visitor, {"query": [NEWS], "sort_on": "effective", "b_size": 2, "b_start": 2})
    assert len(page["items"]) == 2 and page["items_total"] == 4
    assert "prev" in page["batching"]
    limited = qs(visitor, {"query": [NEWS], "limit": 3, "b_size": 2})
    assert limited["items_total"] == 3
    full = qs(visitor, {"query": [NEWS], "fullobjects": True, "b_size": 1})
    assert "@components" in full["items"][0] and "text" in full["items"][0]
    meta = qs(visitor, {"query": [NEWS], "metadata_fields": ["UID", "effective"]})
    assert {"UID", "effective"} <= set(meta["items"][0])


def test_get_with_the_query_in_the_url(visitor):
    body = quote(json.dumps({"query": [NEWS], "sort_on": "effective"}))
    data = visitor.get("/@querystring-search?query=" + body, headers=JSON).json
    assert data["items_total"] == 4
    twice = quote(body)  # as plone.restapi's own example encodes it
    assert visitor.get("/@querystring-search?query=" + twice, headers=JSON).json["items_total"] == 4


def test_private_items_only_for_those_who_may_view_them(portal_app, visitor):
    drafts = {"query": [NEWS, row("review_state", "selection.any", ["private"])]}
    assert qs(visitor, drafts)["items_total"] == 0
    editor = webtest.TestApp(portal_app)
    editor.authorization = ("Bearer", api_token(editor))
    assert ids(qs(editor, drafts)) == ["/tin-tuc/du-thao"]


@pytest.mark.parametrize(
    "body, word",
    [
        ({}, "query"),
        ({"query": []}, "query"),
        ({"query": "portal_type"}, "query"),
        ({"query": [{"o": "x"}]}, ""),
        ({"query": [row("allowed", "selection.any", ["x"])]}, "allowed"),
        ({"query": [row("portal_type", "date.today")]}, "portal_type"),
        ({"query": [row("effective", "date.lessThan", "mai")]}, "mai"),
        ({"query": [row("effective", "date.between", ["2024-01-01"])]}, ""),
        ({"query": [row("created", "date.largerThanRelativeDate", "x")]}, "x"),
        ({"query": [row("path", "string.absolutePath", "khong-co-uid")]}, "khong-co-uid"),
        ({"query": [row("portal_type", "selection.any", [{"a": 1}])]}, ""),
        ({"query": [NEWS], "sort_on": "nonsense"}, "nonsense"),
        ({"query": [NEWS], "b_size": -1}, "b_size"),
        ({"query": [NEWS], "b_start": "abc"}, "b_start"),
    ],
)
def test_wrong_queries_are_400(visitor, body, word):
    data = qs(visitor, body, status=400)
    assert data["type"] == "BadRequest"
    assert word in data["message"]


def test_methods(visitor):
    visitor.get("/@querystring-search?query=nope", headers=JSON, status=400)
    visitor.delete("/@querystring-search", headers=JSON, status=405)
    assert (
        visitor.post_json("/@querystring", {}, headers=JSON, status=405).headers["Allow"] == "GET"
    )
