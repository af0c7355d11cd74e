"""Hostile query strings and paths get a clear 400 (or a normal answer), never a 500.

Each case here once answered 500 to an anonymous visitor.
"""

from __future__ import annotations

import pytest
import webtest

JSON = {"HTTP_ACCEPT": "application/json"}
HUGE = "9" * 5000


@pytest.fixture
def visitor(app):
    return webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})


@pytest.mark.parametrize(
    "url", ["/%ff", "/tin-tuc/%C3%28", "/?a=%ff", "/@@search?b_start=%C3%28", "/?%ff=1"]
)
def test_text_that_is_not_utf8_answers_400_with_a_page(visitor, url):
    page = visitor.get(url, status=400)
    assert "không phải là văn bản UTF-8 hợp lệ" in page.text
    assert page.html.select_one("h1") is not None  # the site's error page


def test_text_that_is_not_utf8_answers_400_in_json_to_the_api(visitor):
    data = visitor.get("/@search?SearchableText=%ff", extra_environ=JSON, status=400).json
    assert data["type"] == "BadRequest"
    assert "UTF-8" in data["message"]


def test_the_400_is_translated(visitor):
    page = visitor.get("/%ff?lang=en", headers={"Accept-Language": "en"}, status=400)
    assert "not valid UTF-8 text" in page.text


@pytest.mark.parametrize("facet", ["state", "review_state"])
def test_asking_search_for_a_state_facet_is_not_an_error(visitor, facet):
    for text in ("", "a"):
        data = visitor.get(
            "/@search", {"facets": facet, "SearchableText": text}, extra_environ=JSON
        ).json
        assert data["items_total"] >= 0


def test_a_subsite_filter_with_accents_gives_a_results_page(visitor):
    page = visitor.get("/@@search", {"SearchableText": "a", "subsite": "đ"})
    assert page.html.select_one("#search-summary") is not None


@pytest.mark.parametrize("param", ["b_start", "b_size"])
def test_a_number_of_5000_digits_answers_400_naming_it(visitor, param):
    search = visitor.get("/@search", {param: HUGE}, extra_environ=JSON, status=400).json
    assert search["type"] == "BadRequest" and param in search["message"]
