"""Virtual hosting: a subsite's host shows the subsite, with URLs on that host; the
path form works on the portal's host; unknown hosts get the portal."""

from __future__ import annotations

import re

import webtest

from core.testing import ADMIN_PASSWORD
from tests.subsites import subsite_core_setup
from tests.subsites.subsite_core_setup import HOA_BINH, TAN_PHU, on

# the fixtures this module uses
units_app = subsite_core_setup.units_app
visitor = subsite_core_setup.visitor


def hrefs(page) -> list[str]:
    return [a["href"] for a in page.html.find_all("a", href=True)]


def nav_titles(page) -> list[str]:
    return [a.text.strip() for a in page.html.select("#main-nav-list a")]


def crumbs(page) -> list[str]:
    return [li.text.strip() for li in page.html.select(".breadcrumbs li")]


def test_a_subsite_host_shows_the_subsite_with_its_own_urls(visitor):
    page = visitor.get("/", extra_environ=on(TAN_PHU))
    assert page.html.select_one(".brand-title").text == "UBND xã Tân Phú"
    titles = nav_titles(page)  # the subsite's sections only
    assert "Tin xã" in titles and "Tin tỉnh" not in titles and "Tin Hoà Bình" not in titles
    links = hrefs(page)
    assert f"http://{TAN_PHU}/tin-tuc/" in links
    assert not any("/tan-phu/" in link for link in links)
    assert page.html.find("link", rel="canonical")["href"] == f"http://{TAN_PHU}/"


def test_pages_below_the_subsite_on_its_host(visitor):
    page = visitor.get("/tin-tuc/le-hoi", extra_environ=on(TAN_PHU))
    assert page.html.find("h1").text.strip() == "Lễ hội làng Tân Phú"
    assert crumbs(page) == ["UBND xã Tân Phú", "Tin xã", "Lễ hội làng Tân Phú"]
    assert page.html.select(".breadcrumbs a")[0]["href"] == f"http://{TAN_PHU}/"
    # the unit's contact details in the footer
    footer = page.html.select_one(".site-footer").text
    assert "Số 1 Lê Lợi, xã Tân Phú" in footer and "0220 111 222" in footer


def test_host_lookup_ignores_case_port_and_a_final_dot(visitor):
    page = visitor.get("/", extra_environ=on("TanPhu.Example.VN.:8080"))
    assert page.html.select_one(".brand-title").text == "UBND xã Tân Phú"
    assert "http://TanPhu.Example.VN.:8080/tin-tuc/" in hrefs(page)  # the host it was reached by


def test_unknown_hosts_get_the_portal(visitor):
    page = visitor.get("/", extra_environ=on("unknown.example.vn"))
    assert page.html.select_one(".brand-title").text != "UBND xã Tân Phú"
    assert "Tin tỉnh" in nav_titles(page)
    assert "http://unknown.example.vn/tan-phu/" in hrefs(page)


def test_the_path_form_works_on_the_portal_host(visitor):
    page = visitor.get("/tan-phu/tin-tuc/le-hoi")
    assert page.html.find("h1").text.strip() == "Lễ hội làng Tân Phú"
    assert crumbs(page)[0] == "UBND xã Tân Phú"
    assert "http://localhost/tan-phu/tin-tuc/" in hrefs(page)
    # its canonical address is on the subsite's own host
    canonical = page.html.find("link", rel="canonical")["href"]
    assert canonical == f"http://{TAN_PHU}/tin-tuc/le-hoi/"


def test_json_api_ids_use_the_host(visitor):
    headers = {"Accept": "application/json"}
    data = visitor.get("/tin-tuc", headers=headers, extra_environ=on(TAN_PHU)).json
    assert data["@id"] == f"http://{TAN_PHU}/tin-tuc"
    assert [item["@id"] for item in data["items"]] == [f"http://{TAN_PHU}/tin-tuc/le-hoi"]
    crumbs_json = visitor.get(
        "/tin-tuc/le-hoi/@breadcrumbs", headers=headers, extra_environ=on(TAN_PHU)
    ).json
    assert crumbs_json["root"] == f"http://{TAN_PHU}"
    assert [i["@id"] for i in crumbs_json["items"]] == [
        f"http://{TAN_PHU}/tin-tuc",
        f"http://{TAN_PHU}/tin-tuc/le-hoi",
    ]
    navigation = visitor.get("/@navigation", headers=headers, extra_environ=on(TAN_PHU)).json
    ids = [i["@id"] for i in navigation["items"]]
    assert f"http://{TAN_PHU}/tin-tuc" in ids
    assert all(i.startswith(f"http://{TAN_PHU}/") for i in ids)


def test_the_page_cache_keeps_hosts_apart(visitor):
    for _ in range(2):  # the second time from the page cache
        portal = visitor.get("/")
        subsite = visitor.get("/", extra_environ=on(TAN_PHU))
        other = visitor.get("/", extra_environ=on(HOA_BINH))
        assert portal.html.select_one(".brand-title").text != "UBND xã Tân Phú"
        assert subsite.html.select_one(".brand-title").text == "UBND xã Tân Phú"
        assert other.html.select_one(".brand-title").text == "UBND xã Hoà Bình"
    assert visitor.app.registry.cong_page_cache.hits >= 3


def test_a_client_cannot_choose_the_virtual_root(visitor):
    page = visitor.get("/", headers={"X-Vhm-Root": "/tan-phu"})
    assert page.html.select_one(".brand-title").text != "UBND xã Tân Phú"
    assert "http://localhost/tan-phu/" in hrefs(page)
    again = visitor.get("/")  # and the page cache was not poisoned
    assert again.html.select_one(".brand-title").text != "UBND xã Tân Phú"


def test_anonymous_editing_goes_to_the_login_page_on_the_same_host(visitor):
    response = visitor.get("/tin-tuc/@@edit", extra_environ=on(TAN_PHU), status=302)
    location = response.headers["Location"]
    assert location.startswith(f"http://{TAN_PHU}/@@login?came_from=")
    form = visitor.get(location, extra_environ=on(TAN_PHU)).forms["login-form"]
    assert form.action == f"http://{TAN_PHU}/@@login"
    form["login"] = "admin"
    form["password"] = ADMIN_PASSWORD
    done = form.submit(extra_environ=on(TAN_PHU), status=302)
    assert done.headers["Location"] == f"http://{TAN_PHU}/tin-tuc/@@edit"
    page = visitor.get("/tin-tuc/@@edit", extra_environ=on(TAN_PHU))
    assert page.forms["content-form"].action == f"http://{TAN_PHU}/tin-tuc/@@edit"
    # on a subsite's host the portal-wide user management is not linked
    assert not any("@@users" in link for link in hrefs(page))


def test_search_on_a_subsite_host_stays_in_the_subsite(visitor):
    page = visitor.get("/@@search", {"SearchableText": "lễ hội"}, extra_environ=on(TAN_PHU))
    found = [a["href"] for a in page.html.select("h2.item-title a")]
    assert found == [f"http://{TAN_PHU}/tin-tuc/le-hoi/"]
    # the whole province: another unit's results link to its own host
    wide = visitor.get(
        "/@@search", {"SearchableText": "lễ hội", "scope": "all"}, extra_environ=on(TAN_PHU)
    )
    found = sorted(a["href"] for a in wide.html.select("h2.item-title a"))
    assert found == [f"http://{HOA_BINH}/tin-tuc/mua-lua/", f"http://{TAN_PHU}/tin-tuc/le-hoi/"]
    # and the header's search box sends its form to the subsite's own host
    box = page.html.select_one("form.search-box")
    assert box["action"] == f"http://{TAN_PHU}/@@search"


def test_api_login_on_a_subsite_host(units_app):
    client = webtest.TestApp(units_app, extra_environ=on(TAN_PHU, REMOTE_ADDR="127.0.0.1"))
    token = client.post_json("/@login", {"login": "admin", "password": ADMIN_PASSWORD}).json
    assert re.match(r"^\S+$", token["token"])
