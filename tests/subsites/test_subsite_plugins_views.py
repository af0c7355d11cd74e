"""Plugins per subsite: the ``@@plugins`` page, and what a disabled plugin leaves
(404 for its pages, no types to add, no portlet nor header widget; its data kept)."""

from __future__ import annotations

import webtest
from webtest.forms import Checkbox

from core.testing import login
from tests.subsites import subsite_core_setup
from tests.subsites.subsite_core_setup import TAN_PHU, on

# the fixtures this module uses
units = subsite_core_setup.units

JSON = {"Accept": "application/json"}


def plugin_boxes(page) -> dict:
    form = page.forms["plugins-form"]
    return {f._value: f for f in form.fields["plugin"] if isinstance(f, Checkbox)}


def set_plugins(admin, path, enabled):
    page = admin.get(path + "@@plugins")
    for name, box in plugin_boxes(page).items():
        box.checked = name in enabled
    return page.forms["plugins-form"].submit().follow()


def test_the_plugins_page_lists_every_running_plugin(units, admin):
    page = admin.get("/tan-phu/@@plugins")
    boxes = plugin_boxes(page)
    assert {name: box.checked for name, box in boxes.items()} == {
        "news": True,
        "schedule": True,
        "search": True,
        "services": True,
    }
    assert "News (tin tức) and announcements" in page.text  # the plugin's own description
    assert page.html.find("label", attrs={"for": "plugin-0"}).text == "news"
    tabs = [a.text for a in page.html.select(".editbar-tabs a")]
    assert "Chức năng" in tabs


def test_disabling_hides_a_plugin_and_keeps_its_data(units, admin, site_access):
    visitor = webtest.TestApp(admin.app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    home = visitor.get("/", extra_environ=on(TAN_PHU))
    assert home.html.select_one("form.search-box") is not None
    assert home.html.select_one(".portlet-latest-news") is not None
    assert home.html.select("head link[rel=alternate]")  # the news feeds
    visitor.get("/tin-tuc/le-hoi", extra_environ=on(TAN_PHU), status=200)

    page = set_plugins(admin, "/tan-phu/", enabled=())
    assert "Đã lưu các chức năng của trang." in page.text
    changes = admin.get("/@audit", {"action": "settings.plugins"}, headers=JSON).json["items"]
    assert (changes[0]["target"], changes[0]["details"]["enabled"]) == ("/tan-phu", [])
    assert {n: b.checked for n, b in plugin_boxes(page).items()} == {
        "news": False,
        "schedule": False,
        "search": False,
        "services": False,
    }

    home = visitor.get("/", extra_environ=on(TAN_PHU))
    assert home.html.select_one("form.search-box") is None  # no header widget
    assert home.html.select_one(".portlet-latest-news") is None  # no portlet
    assert not home.html.select("head link[rel=alternate]")  # no feed links
    visitor.get("/@@search", extra_environ=on(TAN_PHU), status=404)
    visitor.get("/@search", headers=JSON, extra_environ=on(TAN_PHU), status=404)
    visitor.get("/tin-tuc/le-hoi", extra_environ=on(TAN_PHU), status=404)
    visitor.get("/tin-tuc/le-hoi", headers=JSON, extra_environ=on(TAN_PHU), status=404)
    # its types cannot be added there any more
    add_menu = admin.get("/tan-phu/tin-tuc/").html.select(".add-menu a")
    assert "Tin tức" not in [a.text for a in add_menu] and "Trang" in [a.text for a in add_menu]
    admin.get("/tan-phu/tin-tuc/@@add?type=News")  # the form shows, but saving is refused
    # elsewhere nothing changed
    visitor.get("/@@search", status=200)
    visitor.get("/hoa-binh/tin-tuc/mua-lua", status=200)
    with site_access() as site:
        assert site["tan-phu"]["tin-tuc"]["le-hoi"].title == "Lễ hội làng Tân Phú"

    set_plugins(admin, "/tan-phu/", enabled=("news", "search"))
    page = visitor.get("/tin-tuc/le-hoi", extra_environ=on(TAN_PHU))
    assert page.html.find("h1").text.strip() == "Lễ hội làng Tân Phú"
    visitor.get("/@@search", extra_environ=on(TAN_PHU), status=200)


def test_adding_a_disabled_plugins_type_is_refused(units, api):
    api.post_json("/tan-phu/tin-tuc", {"@type": "News", "title": "Trước"}, status=201)
    api.patch_json("/tan-phu", {"enabled_plugins": ["search"]}, status=204)
    refused = api.post_json("/tan-phu/tin-tuc", {"@type": "News", "title": "Sau"}, status=400)
    assert refused.json["errors"][0]["field"] == "@type"
    api.post_json("/tin-tuc", {"@type": "News", "title": "Ở cổng tỉnh"}, status=201)


def test_the_plugins_form_needs_its_csrf_token_and_known_names(units, admin, site_access):
    admin.post("/tan-phu/@@plugins", {"plugin": "news", "csrf_token": "forged"}, status=400)
    form = admin.get("/tan-phu/@@plugins").forms["plugins-form"]
    token = form["csrf_token"].value
    page = admin.post(
        "/tan-phu/@@plugins",
        [("plugin", "news"), ("plugin", "weather"), ("csrf_token", token)],
        status=400,
    )
    assert "weather" in page.html.select_one(".alert-error").text
    with site_access() as site:
        assert site["tan-phu"].enabled_plugins == ("news", "schedule", "search", "services")


def test_who_may_use_the_plugins_page(units, testapp, site_access):
    with site_access() as site:
        site.principals.add_user("qt-tanphu", "mat-khau-dai-1", fullname="Quản trị Tân Phú")
        site.principals.add_user("bien-tap", "mat-khau-dai-1", fullname="Biên tập")
        site["tan-phu"].local_roles["qt-tanphu"] = ("SiteAdmin",)
        site["tan-phu"].local_roles["bien-tap"] = ("Editor",)
    testapp.get("/tan-phu/@@plugins", status=302)  # anonymous: to the login page
    login(testapp, "bien-tap", "mat-khau-dai-1")
    testapp.get("/tan-phu/@@plugins", status=403)
    testapp.reset()
    login(testapp, "qt-tanphu", "mat-khau-dai-1")
    set_plugins(testapp, "/tan-phu/", enabled=("news",))
    testapp.get("/hoa-binh/@@plugins", status=403)
    with site_access() as site:
        assert site["tan-phu"].enabled_plugins == ("news",)
