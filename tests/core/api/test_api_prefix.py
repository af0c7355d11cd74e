"""``++api++``: plone.restapi clients call every URL under it, with no Accept header."""

from __future__ import annotations

from tests.subsites import subsite_core_setup
from tests.subsites.subsite_core_setup import TAN_PHU, on

units_app, visitor = subsite_core_setup.units_app, subsite_core_setup.visitor


def test_api_prefix_at_the_root_answers_json_without_accept(visitor):
    response = visitor.get("/++api++/tin-tuc/hoi-nghi")
    assert response.content_type == "application/json"
    assert response.json["title"] == "Hội nghị tỉnh"
    # as in plone.rest, the segment stays out of the objects' @id
    assert response.json["@id"] == "http://localhost/tin-tuc/hoi-nghi"
    assert response.json["parent"]["@id"] == "http://localhost/tin-tuc"


def test_api_prefix_inside_a_path_and_on_named_endpoints(visitor):
    assert visitor.get("/tin-tuc/++api++/hoi-nghi").json["id"] == "hoi-nghi"
    crumbs = visitor.get("/++api++/tin-tuc/hoi-nghi/@breadcrumbs").json
    assert crumbs["@id"] == "http://localhost/tin-tuc/hoi-nghi/@breadcrumbs"
    assert visitor.get("/++api++").json["@id"] == "http://localhost"
    assert visitor.get("/++api++/").json["@id"] == "http://localhost"


def test_api_prefix_beats_an_html_accept_header(visitor):
    response = visitor.get("/++api++/tin-tuc", headers={"Accept": "text/html"})
    assert response.content_type == "application/json"
    assert response.json["@type"] == "Folder"


def test_api_prefix_errors_are_json(visitor):
    missing = visitor.get("/++api++/khong-co", status=404)
    assert missing.json["type"] == "NotFound"
    private = visitor.get("/++api++/tan-phu/tin-tuc/nhap", status=401)
    assert private.json["type"] == "Unauthorized"


def test_doubled_prefix_redirects_and_prefixes_apart_are_not_found(visitor):
    response = visitor.get("/++api++/++api++/tin-tuc?b_size=2", status=302)
    assert response.location == "http://localhost/++api++/tin-tuc?b_size=2"
    apart = visitor.get("/++api++/tin-tuc/++api++", status=404)
    assert apart.json["type"] == "NotFound"


def test_api_prefix_on_a_subsite_host(visitor):
    data = visitor.get("/++api++/tin-tuc/le-hoi", extra_environ=on(TAN_PHU)).json
    assert data["@id"] == f"http://{TAN_PHU}/tin-tuc/le-hoi"
    home = visitor.get("/++api++", extra_environ=on(TAN_PHU)).json
    assert home["@id"] == f"http://{TAN_PHU}"
    assert home["title"] == "UBND xã Tân Phú"


def test_batching_links_keep_the_prefix(visitor):
    data = visitor.get("/++api++/tan-phu", {"b_size": "1"}).json
    assert data["items_total"] > 1
    assert data["batching"]["@id"] == "http://localhost/++api++/tan-phu?b_size=1"
    assert data["batching"]["next"].startswith("http://localhost/++api++/tan-phu?")
    # a client following the link gets JSON again
    assert visitor.get(data["batching"]["next"]).json["@id"] == "http://localhost/tan-phu"


def test_html_pages_are_untouched(visitor):
    page = visitor.get("/tin-tuc/hoi-nghi")
    assert page.content_type == "text/html"


def test_search_paths_on_a_subsite_host_start_at_the_subsite(visitor):
    host = on(TAN_PHU)
    data = visitor.get("/++api++/@search?path.query=/tin-tuc", extra_environ=host).json
    assert sorted(i["@id"] for i in data["items"]) == [
        f"http://{TAN_PHU}/tin-tuc",
        f"http://{TAN_PHU}/tin-tuc/le-hoi",
    ]
    rows = {
        "query": [
            {
                "i": "path",
                "o": "plone.app.querystring.operation.string.absolutePath",
                "v": "/tin-tuc::1",
            }
        ]
    }
    found = visitor.post_json("/++api++/@querystring-search", rows, extra_environ=host).json
    assert [i["@id"] for i in found["items"]] == [f"http://{TAN_PHU}/tin-tuc/le-hoi"]


def test_writes_under_the_prefix(api):
    del api.extra_environ["HTTP_ACCEPT"]  # the prefix alone makes them API calls
    created = api.post_json("/++api++/", {"@type": "Document", "id": "trang", "title": "Trang"})
    assert created.status_int == 201
    assert created.headers["Location"] == "http://localhost/trang"
    api.patch_json("/++api++/trang", {"title": "Trang mới"}, status=204)
    assert api.get("/++api++/trang").json["title"] == "Trang mới"
    api.post_json("/++api++/trang/@workflow/publish", {})
    api.delete("/++api++/trang", status=204)
    api.get("/++api++/trang", status=404)
