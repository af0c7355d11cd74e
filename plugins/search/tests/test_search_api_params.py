"""``@search`` with the parameters plone.restapi clients send: any folder,
``fullobjects``, ``metadata_fields``, ``Subject``, date ranges, sorts; and the
400s for the ones that are wrong."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import webtest

from core.testing import ModelRequest, add, api_token
from plugins.search.tests import search_setup

portal_app, visitor = search_setup.portal_app, search_setup.visitor
app = search_setup.app

JSON = {"Accept": "application/json"}


def search(client, path="/@search", status=200, **params):
    return client.get(path, params, headers=JSON, status=status).json


def ids(data) -> list[str]:
    return [urlsplit(item["@id"]).path for item in data["items"]]


# scope -----------------------------------------------------------------------------
def test_search_on_any_folder_stays_in_it(visitor):
    data = search(visitor, "/tin-tuc/@search", portal_type="News")
    assert sorted(ids(data)) == ["/tin-tuc/dich-vu-cong", "/tin-tuc/du-lich-he", "/tin-tuc/ma-doc"]
    assert data["@id"].startswith("http://localhost/tin-tuc/@search?")
    one = search(visitor, "/tin-tuc/ma-doc/@search")
    assert ids(one) == ["/tin-tuc/ma-doc"]
    text = search(visitor, "/so-tnmt/tin-tuc/@search", SearchableText="dịch vụ công")
    assert ids(text) == ["/so-tnmt/tin-tuc/dat-dai"]


def test_search_under_the_api_prefix(visitor):
    data = visitor.get("/++api++/tin-tuc/@search?portal_type=News&b_size=1").json
    assert data["items_total"] == 3
    assert data["@id"].startswith("http://localhost/++api++/tin-tuc/@search?")
    assert data["batching"]["next"].startswith("http://localhost/++api++/tin-tuc/@search?")
    assert data["items"][0]["@id"].startswith("http://localhost/tin-tuc/")


# what each item holds --------------------------------------------------------------
def test_fullobjects_gives_each_item_whole(visitor):
    data = search(visitor, SearchableText="mã độc", fullobjects="1")
    (item,) = data["items"]
    assert item["@id"] == "http://localhost/tin-tuc/ma-doc"
    assert item["id"] == "ma-doc" and item["UID"]
    assert "mã độc" in item["text"]["data"]
    assert item["@components"]["breadcrumbs"] == {
        "@id": "http://localhost/tin-tuc/ma-doc/@breadcrumbs"
    }
    assert "text" not in search(visitor, SearchableText="mã độc")["items"][0]


def test_metadata_fields_add_catalog_values(visitor):
    data = visitor.get(
        "/@search?SearchableText=m%C3%A3+%C4%91%E1%BB%99c"
        "&metadata_fields=effective&metadata_fields:list=UID&metadata_fields=nothing",
        headers=JSON,
    ).json
    (item,) = data["items"]
    assert item["effective"].startswith("2023-11-0")
    assert len(item["UID"]) > 10
    assert item["nothing"] is None  # as Plone answers a column it does not keep
    assert item["title"] == "Cảnh báo mã độc trong thư điện tử"


def test_metadata_fields_all(visitor):
    (item,) = search(visitor, SearchableText="mã độc", metadata_fields="_all")["items"]
    for name in ("UID", "id", "portal_type", "review_state", "created", "modified", "effective"):
        assert name in item
    assert item["id"] == "ma-doc" and item["portal_type"] == "News"
    assert item["is_folderish"] is False
    (folder,) = search(
        visitor, **{"path.query": "/tin-tuc", "path.depth": "0"}, metadata_fields="_all"
    )["items"]
    assert folder["is_folderish"] is True
    assert "featured" in item  # a plugin's metadata


# dates -----------------------------------------------------------------------------
KINDS = {"portal_type": ["News", "Announcement"]}


def effective(client, status=200, **params):
    return search(client, status=status, **KINDS, **params)


def test_effective_range_min_max_and_minmax(visitor):
    since = effective(visitor, **{"effective.query": "2025-01-01", "effective.range": "min"})
    assert sorted(ids(since)) == ["/so-tnmt/tin-tuc/dat-dai", "/tin-tuc/dich-vu-cong"]
    until = effective(visitor, **{"effective.query": "2023-12-31", "effective.range": "max"})
    assert ids(until) == ["/tin-tuc/ma-doc"]
    year = visitor.get(
        "/@search?portal_type=News&portal_type=Announcement&effective.range=minmax"
        "&effective.query:list=2024-01-01&effective.query:list=2024-12-31",
        headers=JSON,
    ).json
    assert sorted(ids(year)) == ["/tin-tuc/du-lich-he", "/tin-tuc/tuyen-dung"]


def test_date_ranges_with_text_and_on_created_and_modified(visitor):
    text = search(
        visitor,
        SearchableText="hồ sơ",
        **{"effective.query": "2025-01-01", "effective.range": "min"},
    )
    assert sorted(ids(text)) == ["/so-tnmt/tin-tuc/dat-dai", "/tin-tuc/dich-vu-cong"]
    future = {"created.query": "2999-01-01", "created.range": "min"}
    assert search(visitor, **future)["items_total"] == 0
    past = {"modified.query": "2000-01-01T00:00:00+07:00", "modified.range": "min"}
    assert search(visitor, **past)["items_total"] > 0


@pytest.mark.parametrize(
    "params, word",
    [
        ({"modified.query": "hôm qua", "modified.range": "min"}, "modified.query"),
        ({"modified.query": "2024-01-01", "modified.range": "after"}, "modified.range"),
        ({"modified.query": "2024-01-01"}, "modified.range"),
        ({"created.query": "2024-01-01", "created.range": "minmax"}, "created.query"),
        ({"effective.query": ["2025-01-01", "2024-01-01"], "effective.range": "minmax"}, ""),
        ({"sort_on": "allowed"}, "allowed"),
        ({"sort_on": "modified", "sort_order": "1; DROP"}, "sort_order"),
        ({"SearchableText": "hồ sơ", "sort_on": "getObjPositionInParent"}, ""),
    ],
)
def test_wrong_sorts_and_dates_are_400(visitor, params, word):
    data = search(visitor, status=400, **params)
    assert data["type"] == "BadRequest"
    assert word in data["message"]


# sorts -----------------------------------------------------------------------------
def test_sort_order_is_ascending_by_default_as_in_plone(visitor):
    oldest = effective(visitor, sort_on="effective")
    assert ids(oldest)[0] == "/tin-tuc/ma-doc"
    assert ids(effective(visitor, sort_on="effective", sort_order="descending"))[0] == (
        "/tin-tuc/dich-vu-cong"
    )
    assert ids(effective(visitor, sort_on="Date")) == ids(oldest)  # Plone's name


def test_sort_on_the_folder_order(visitor):
    data = search(
        visitor, **{"path.query": "/", "path.depth": "1"}, sort_on="getObjPositionInParent"
    )
    assert ids(data) == ["/tin-tuc", "/so-tnmt"]


# tags and Plone's type names -------------------------------------------------------
def test_subject_and_document_and_keywords_vocabulary(app):
    model = ModelRequest(app)
    try:
        add(model, model.site, "News", "published", name="a", title="A", tags="đất đai, xây dựng")
        add(model, model.site, "News", "published", name="b", title="B", tags="Xây dựng")
        add(model, model.site, "News", name="c", title="C", tags="bí mật")
        add(model, model.site, "Page", "published", name="p", title="Trang")
        model.commit()
    finally:
        model.close()
    client = webtest.TestApp(app, extra_environ={"HTTP_ACCEPT": "application/json"})
    assert ids(search(client, Subject="xây dựng")) == ["/a"]  # tags are matched exactly
    assert ids(search(client, Subject="Xây dựng")) == ["/b"]
    both = client.get("/@search", [("Subject:list", "đất đai"), ("Subject:list", "Xây dựng")]).json
    assert sorted(ids(both)) == ["/a", "/b"]
    assert ids(search(client, portal_type="Document")) == ["/p"]
    assert sorted(ids(search(client, portal_type="News Item"))) == ["/a", "/b"]

    tags = client.get("/@vocabularies/plone.app.vocabularies.Keywords").json
    assert [t["token"] for t in tags["items"]] == ["đất đai", "Xây dựng", "xây dựng"]
    client.authorization = ("Bearer", api_token(client))
    tags = client.get("/@vocabularies/plone.app.vocabularies.Keywords").json["items"]
    assert "bí mật" in [t["token"] for t in tags]  # the admin sees the private one's


@pytest.mark.parametrize(
    "value", ["0001-01-01", "9999-12-31", "9999-12-31T23:59:59", "2024-13-01", "x" * 300]
)
def test_far_or_malformed_dates_are_400(visitor, value):
    for kind in ("min", "max"):
        params = {"modified.query": value, "modified.range": kind}
        assert search(visitor, status=400, **params)["type"] == "BadRequest"
