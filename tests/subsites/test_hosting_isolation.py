"""Isolation between subsites, old hosts, and proxies' forwarded headers."""

from __future__ import annotations

import pytest
import webtest

from core.testing import ModelRequest, api_token
from tests.subsites import subsite_core_setup
from tests.subsites.subsite_core_setup import (
    HOA_BINH,
    TAN_PHU,
    THON_B,
    build_units,
    close,
    make_app,
    on,
)

# the fixtures this module uses
units = subsite_core_setup.units
units_app = subsite_core_setup.units_app
visitor = subsite_core_setup.visitor


def brand(page) -> str:
    return page.html.select_one(".brand-title").text


def test_a_unit_below_with_a_host_redirects_to_that_host(visitor):
    response = visitor.get("/thon-b/", {"a": "1"}, extra_environ=on(TAN_PHU), status=301)
    assert response.headers["Location"] == f"http://{THON_B}/?a=1"
    response = visitor.get("/thon-b/@@search", extra_environ=on(TAN_PHU), status=301)
    assert response.headers["Location"] == f"http://{THON_B}/@@search"
    assert brand(visitor.get("/", extra_environ=on(THON_B))) == "Thôn B"


def test_a_unit_below_without_a_host_is_not_shown_under_the_host(visitor):
    visitor.get("/thon-c/", extra_environ=on(TAN_PHU), status=404)
    visitor.get("/thon-c/trang", extra_environ=on(TAN_PHU), status=404)
    headers = {"Accept": "application/json"}
    visitor.get("/thon-c", headers=headers, extra_environ=on(TAN_PHU), status=404)
    # the portal's path form shows it, as its own site
    page = visitor.get("/tan-phu/thon-c/trang")
    assert brand(page) == "Thôn C"


def test_another_subsite_is_not_reachable_through_a_host(visitor):
    visitor.get("/hoa-binh/tin-tuc/", extra_environ=on(TAN_PHU), status=404)
    visitor.get("/tan-phu/", extra_environ=on(HOA_BINH), status=404)


@pytest.fixture
def proxied(tmp_path):
    application = make_app(tmp_path, **{"cong.trusted_proxies": "10.0.0.1 10.0.0.2"})
    model = ModelRequest(application)
    try:
        build_units(model)
    finally:
        model.close()
    yield application
    close(application)


def test_forwarded_host_and_proto_from_a_trusted_proxy(proxied):
    client = webtest.TestApp(proxied)
    page = client.get(
        "/",
        headers={"X-Forwarded-Host": TAN_PHU, "X-Forwarded-Proto": "https"},
        extra_environ=on("10.0.0.5:6543", REMOTE_ADDR="10.0.0.1"),
    )
    assert brand(page) == "UBND xã Tân Phú"
    assert f"https://{TAN_PHU}/tin-tuc/" in [a["href"] for a in page.html.find_all("a")]
    forwarded = client.get(
        "/",
        headers={"Forwarded": f'for=1.2.3.4;proto=https;host="{HOA_BINH}"'},
        extra_environ=on("10.0.0.5:6543", REMOTE_ADDR="10.0.0.2"),
    )
    assert brand(forwarded) == "UBND xã Hoà Bình"
    assert f"https://{HOA_BINH}/tin-tuc/" in [a["href"] for a in forwarded.html.find_all("a")]


def test_forwarded_headers_from_anyone_else_are_ignored(proxied):
    client = webtest.TestApp(proxied)
    page = client.get(
        "/",
        headers={
            "X-Forwarded-Host": TAN_PHU,
            "X-Forwarded-Proto": "https",
            "Forwarded": f"host={TAN_PHU};proto=https",
        },
        extra_environ=on("portal.example.vn", REMOTE_ADDR="192.0.2.9"),
    )
    assert brand(page) != "UBND xã Tân Phú"
    assert "http://portal.example.vn/tan-phu/" in [a["href"] for a in page.html.find_all("a")]


def test_a_malformed_forwarded_host_is_ignored(proxied):
    client = webtest.TestApp(proxied)
    page = client.get(
        "/",
        headers={"X-Forwarded-Host": "evil.example/<script>"},
        extra_environ=on("portal.example.vn", REMOTE_ADDR="10.0.0.1"),
    )
    assert "<script>" not in page.text
    assert "http://portal.example.vn/tan-phu/" in [a["href"] for a in page.html.find_all("a")]


def test_an_old_host_redirects_to_the_new_one(units, testapp):
    api = webtest.TestApp(testapp.app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    api.authorization = ("Bearer", api_token(api))
    api.patch_json(
        "/tan-phu",
        {"hostnames": ["tanphu.gov.vn"]},
        headers={"Accept": "application/json"},
        status=204,
    )
    response = testapp.get("/tin-tuc/le-hoi", {"x": "1"}, extra_environ=on(TAN_PHU), status=301)
    assert response.headers["Location"] == "http://tanphu.gov.vn/tin-tuc/le-hoi?x=1"
    assert brand(testapp.get("/", extra_environ=on("tanphu.gov.vn"))) == "UBND xã Tân Phú"
    # with no host left (and no cong.portal_url to send it to) an old host still
    # serves the subsite, rather than redirecting to itself
    api.patch_json(
        "/tan-phu", {"hostnames": []}, headers={"Accept": "application/json"}, status=204
    )
    assert brand(testapp.get("/", extra_environ=on(TAN_PHU))) == "UBND xã Tân Phú"
    assert brand(testapp.get("/", extra_environ=on("tanphu.gov.vn"))) == "UBND xã Tân Phú"


def test_paths_typed_on_a_subsite_host_start_at_its_home(units, testapp):
    client = webtest.TestApp(testapp.app, extra_environ=on(TAN_PHU, REMOTE_ADDR="127.0.0.1"))
    client.authorization = ("Bearer", api_token(client))
    client.post_json("/", {"@type": "Folder", "id": "luu-tru", "title": "Lưu trữ"}, status=201)
    moved = client.post_json(
        "/luu-tru/@move",
        {"source": ["/tin-tuc/le-hoi"]},
        headers={"Accept": "application/json"},
    ).json
    assert moved == [
        {
            "source": f"http://{TAN_PHU}/tin-tuc/le-hoi",
            "target": f"http://{TAN_PHU}/luu-tru/le-hoi",
        }
    ]
    # the portal's own sections are not reachable by path from here
    client.post_json(
        "/luu-tru/@move",
        {"source": ["/tin-tuc/hoi-nghi"]},
        headers={"Accept": "application/json"},
        status=400,
    )
