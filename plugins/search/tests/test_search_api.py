"""``@search`` and ``@suggest``: the search API with plone.restapi's parameters."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import webtest

from core.testing import api_token
from plugins.search.tests import search_setup
from plugins.search.tests.search_setup import SUBSITE

# the fixtures this module uses
portal_app, visitor = search_setup.portal_app, search_setup.visitor

JSON = {"Accept": "application/json"}


@pytest.fixture
def editor(portal_app):
    """The admin's API client of the shared portal."""
    client = webtest.TestApp(portal_app)
    client.authorization = ("Bearer", api_token(client))
    return client


def search(client, path="/@search", status=200, **params):
    response = client.get(path, params, headers=JSON, status=status)
    return response.json


def ids(data) -> list[str]:
    """The paths of the items of an ``@search`` answer, in order."""
    return [urlsplit(item["@id"]).path for item in data["items"]]


# @search ------------------------------------------------------------------------------------
def test_search_answers_plone_restapi_items(visitor):
    data = search(visitor, SearchableText="hồ sơ")
    assert data["@id"].startswith("http://localhost/@search?")
    assert data["items_total"] == 3
    assert "batching" not in data  # one page
    assert data["facets"] == {}
    item = next(i for i in data["items"] if i["@id"].endswith("/tuyen-dung"))
    assert item == {
        "@id": "http://localhost/tin-tuc/tuyen-dung",
        "@type": "Announcement",
        "title": "Thông báo tuyển dụng viên chức ngành giáo dục",
        "description": "Chỉ tiêu tuyển dụng năm 2025 của các trường trung học.",
        "review_state": "published",
    }


def test_search_filters_by_type_and_state(visitor, editor):
    news = search(visitor, SearchableText="hồ sơ", portal_type="News")
    assert sorted(ids(news)) == ["/so-tnmt/tin-tuc/dat-dai", "/tin-tuc/dich-vu-cong"]
    both = visitor.get(
        "/@search?SearchableText=h%E1%BB%93+s%C6%A1&portal_type=News&portal_type=Announcement",
        headers=JSON,
    ).json
    assert both["items_total"] == 3

    drafts = search(editor, portal_type="News", review_state="private")
    assert ids(drafts) == ["/tin-tuc/du-thao"]
    assert drafts["items"][0]["review_state"] == "private"


def test_private_items_are_only_found_by_those_who_may_view_them(visitor, editor):
    found = search(visitor, SearchableText="chuyển đổi số")
    assert found["items_total"] == 0 and found["items"] == []
    counted = search(visitor, SearchableText="dịch vụ công", facets="portal_type")
    assert counted["facets"]["portal_type"] == {"News": 2}

    drafts = search(editor, SearchableText="chuyển đổi số")
    assert ids(drafts) == ["/tin-tuc/du-thao"]
    assert search(editor, SearchableText="dịch vụ công", facets="portal_type")["facets"] == {
        "portal_type": {"News": 3}
    }


def test_search_on_a_subsite_stays_in_it_unless_a_path_says_otherwise(visitor):
    local = search(visitor, f"/{SUBSITE}/@search", SearchableText="dịch vụ công")
    assert ids(local) == ["/so-tnmt/tin-tuc/dat-dai"]
    assert local["@id"].startswith(f"http://localhost/{SUBSITE}/@search?")

    everywhere = search(visitor, SearchableText="dịch vụ công")
    assert len(everywhere["items"]) == 2
    by_path = search(visitor, SearchableText="dịch vụ công", **{"path.query": "/so-tnmt"})
    assert ids(by_path) == ["/so-tnmt/tin-tuc/dat-dai"]
    nowhere = search(visitor, SearchableText="dịch vụ công", **{"path.query": "/khong-co"})
    assert nowhere["items_total"] == 0


def test_path_depth_limits_the_levels_below_the_path(visitor):
    children = search(visitor, **{"path.query": "/tin-tuc", "path.depth": "1"})
    assert sorted(ids(children)) == [
        "/tin-tuc/dich-vu-cong",
        "/tin-tuc/du-lich-he",
        "/tin-tuc/ma-doc",
        "/tin-tuc/tuyen-dung",
    ]
    top = search(visitor, **{"path.query": "/", "path.depth": "1"})
    assert sorted(ids(top)) == ["/so-tnmt", "/tin-tuc"]


def test_a_signed_in_text_search_under_a_path_of_any_letters_answers(editor):
    """A path with letters outside ASCII (no such folder) finds nothing, not a 500:
    the editor's search asks what may be edited there."""
    found = search(editor, SearchableText="tin", **{"path.query": "/Đà Nẵng/tin-tuc"})
    assert found["items"] == []


def test_sort_on_and_sort_order(visitor):
    oldest = search(visitor, SearchableText="hồ sơ", sort_on="effective", sort_order="ascending")
    assert ids(oldest) == [
        "/tin-tuc/tuyen-dung",
        "/so-tnmt/tin-tuc/dat-dai",
        "/tin-tuc/dich-vu-cong",
    ]
    newest = search(visitor, SearchableText="hồ sơ", sort_on="effective", sort_order="reverse")
    assert ids(newest) == list(reversed(ids(oldest)))
    by_title = search(visitor, portal_type="News", sort_on="sortable_title")
    assert [i["title"][:3] for i in by_title["items"]] == ["Cản", "Cấp", "Kha", "Tỉn"]
    unknown = search(visitor, status=400, SearchableText="hồ sơ", sort_on="nonsense")
    assert unknown["type"] == "BadRequest" and "nonsense" in unknown["message"]
    sideways = search(visitor, status=400, sort_on="modified", sort_order="sideways")
    assert "sort_order" in sideways["message"]


def test_batching_keeps_every_parameter(visitor):
    url = "/@search?SearchableText=h%E1%BB%93+s%C6%A1&portal_type=News&portal_type=Announcement"
    first = visitor.get(url + "&b_size=2", headers=JSON).json
    assert first["items_total"] == 3 and len(first["items"]) == 2
    batching = first["batching"]
    assert set(batching) == {"@id", "first", "last", "next"}
    following = parse_qs(urlsplit(batching["next"]).query)
    assert following["portal_type"] == ["Announcement", "News"]
    assert following["b_start"] == ["2"] and following["b_size"] == ["2"]
    second = visitor.get(batching["next"], headers=JSON).json
    assert len(second["items"]) == 1 and "prev" in second["batching"]
    assert set(ids(first)) | set(ids(second)) == {
        "/tin-tuc/dich-vu-cong",
        "/tin-tuc/tuyen-dung",
        "/so-tnmt/tin-tuc/dat-dai",
    }


def test_facets_are_counted_for_known_names_only(visitor):
    data = visitor.get(
        "/@search?SearchableText=h%E1%BB%93+s%C6%A1&facets=portal_type&facets=year,subsite"
        "&facets=bogus&facets=allowed",
        headers=JSON,
    ).json
    assert data["facets"] == {
        "portal_type": {"News": 2, "Announcement": 1},
        "year": {"2025": 2, "2024": 1},
        "subsite": {"": 2, "/so-tnmt": 1},
    }


@pytest.mark.parametrize(
    "params",
    [
        {"SearchableText": '"'},
        {"SearchableText": "*"},
        {"SearchableText": "AND"},
        {"SearchableText": "((("},
        {"SearchableText": "x" * 2000},
        {"SearchableText": ""},
        {"b_size": "100000"},
        {"b_size": "0"},
        {"path.depth": "1000"},
        {"path.query": "../../.."},
        {"portal_type": ""},
        {"facets": ",,,"},
    ],
)
def test_bad_parameters_still_give_an_answer(visitor, params):
    data = search(visitor, **params)
    assert isinstance(data["items"], list)
    assert data["items_total"] >= len(data["items"])


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"SearchableText": "hồ sơ", "b_start": "-1"}, "b_start"),
        ({"b_size": "abc"}, "b_size"),
        ({"b_start": "9" * 5000}, "b_start"),
        ({"b_start": ["1", "2"]}, "b_start"),
        ({"path.depth": "deep"}, "path.depth"),
    ],
)
def test_numbers_that_cannot_be_read_answer_400_naming_them(visitor, params, name):
    data = search(visitor, status=400, **params)
    assert data["type"] == "BadRequest"
    assert f"“{name}”" in data["message"]


def test_search_accepts_get_only(visitor):
    response = visitor.post_json("/@search", {}, headers=JSON, status=405)
    assert response.headers["Allow"] == "GET"
    assert response.json["type"] == "MethodNotAllowed"


# @suggest -------------------------------------------------------------------------------------
def test_suggest_completes_titles_with_links_to_the_items(visitor):
    data = search(visitor, "/@suggest", q="thông b")
    assert [item["title"] for item in data["items"]] == [
        "Thông báo tuyển dụng viên chức ngành giáo dục"
    ]
    assert urlsplit(data["items"][0]["@id"]).path.endswith("/tuyen-dung/")
    target = visitor.get(data["items"][0]["@id"])  # the item itself, not a search
    assert target.html.h1.get_text(strip=True) == "Thông báo tuyển dụng viên chức ngành giáo dục"
    folded = search(visitor, "/@suggest", q="thong b")
    assert folded["items"] == data["items"]


def test_suggest_hides_what_the_requester_may_not_view(visitor, editor):
    assert search(visitor, "/@suggest", q="dự thảo")["items"] == []
    titles = [item["title"] for item in search(editor, "/@suggest", q="dự thảo")["items"]]
    assert titles == ["Dự thảo kế hoạch chuyển đổi số chưa công bố"]


@pytest.mark.parametrize("q", ["", "t", " ", '"', "(((", "*", "AND", "x" * 2000, "\x00"])
def test_suggest_is_safe_and_quiet_for_odd_input(visitor, q):
    data = search(visitor, "/@suggest", q=q)
    assert isinstance(data["items"], list)
    if len(q.strip()) < 2:
        assert data["items"] == []
