"""Home pages: a subsite's portlets, arranged by its SiteAdmins on @@trang-chu, and
the portal's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.clock import frozen
from core.testing import add

WEDNESDAY = datetime(2025, 3, 19, 2, 0, tzinfo=UTC)


@pytest.fixture
def subsite(model):
    """A commune with a published news item and an important announcement."""
    from subsites.provisioning import create_subsite

    with frozen(WEDNESDAY):
        commune = create_subsite(
            model.request, model.site, {"title": "Tân Phú", "unit_kind": "commune"}
        )
        add(model, commune["tin-tuc"], "News", "published", title="Xã Tân Phú họp dân")
        add(model, commune["thong-bao"], "Announcement", "published", title="Lịch tiếp công dân",
            priority="important", expires="2025-06-30")  # fmt: skip
    model.commit()
    return commune


def home_titles(page) -> list[str]:
    return [h.get_text(strip=True) for h in page.html.select(".home-portlets .portlet-title")]


def test_the_subsite_home_shows_its_portlets_in_the_main_area(testapp, subsite):
    with frozen(WEDNESDAY):
        page = testapp.get("/tan-phu/")
    assert page.html.select_one("h1").get_text(strip=True) == "Tân Phú"
    assert "Tin mới" in home_titles(page) and "Thông báo quan trọng" in home_titles(page)
    notices = page.html.select_one(".portlet-important-announcements")
    assert "Lịch tiếp công dân" in notices.text
    assert "Xã Tân Phú họp dân" in page.html.select_one("main").text
    assert page.html.select_one("aside.portlets") is None  # no column beside them
    assert not page.html.find("a", string="Sắp xếp trang chủ")  # visitors


def test_a_site_admin_orders_and_switches_off_portlets(admin, subsite):
    page = admin.get("/tan-phu/")
    form = admin.get(page.html.find("a", string="Sắp xếp trang chủ")["href"]).forms[
        "home-settings-form"
    ]
    names = [box._value for box in form.fields["shown"]]
    assert "latest-news" in names and "important-announcements" in names
    for box in form.fields["shown"]:
        box.checked = box._value != "latest-news"
    form["position-important-announcements"] = "1"
    for index, name in enumerate(n for n in names if n != "important-announcements"):
        form[f"position-{name}"] = str(index + 2)
    with frozen(WEDNESDAY):
        page = form.submit().follow()
    assert "Đã lưu cách sắp xếp trang chủ." in page.text
    titles = home_titles(page)
    assert titles[0] == "Thông báo quan trọng"
    assert "Tin mới" not in titles
    again = admin.get("/tan-phu/@@trang-chu").forms["home-settings-form"]
    assert not next(b for b in again.fields["shown"] if b._value == "latest-news").checked
    assert again["position-important-announcements"].value == "1"


def test_a_bad_position_is_refused_and_nothing_is_stored(admin, subsite, site_access):
    form = admin.get("/tan-phu/@@trang-chu").forms["home-settings-form"]
    form["position-important-announcements"] = "abc"
    page = form.submit(status=400)
    assert "Nhập một số thứ tự từ 1 đến 99." in page.html.select_one(".error-summary").text
    field = page.html.select_one("input[name=position-important-announcements]")
    assert field["aria-describedby"] == field["id"].replace("position", "error")
    assert field["value"] == "abc"
    with site_access() as site:
        assert getattr(site["tan-phu"], "home_portlets", None) is None


def test_the_settings_need_csrf_and_the_right_to_manage(testapp, admin, subsite, site_access):
    admin.post("/tan-phu/@@trang-chu", {"position-important-announcements": "1"}, status=400)
    with site_access() as site:
        assert getattr(site["tan-phu"], "home_portlets", None) is None
    visitor = testapp.__class__(testapp.app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    response = visitor.get("/tan-phu/@@trang-chu")
    assert response.status_int == 302 and "@@login" in response.location


def test_the_portal_home_keeps_its_aggregation_and_arranges_its_portlets(admin, subsite):
    with frozen(WEDNESDAY):
        page = admin.get("/")
    assert "Tin tức từ các đơn vị" in page.text  # the aggregation
    assert "Xã Tân Phú họp dân" in page.text
    assert page.html.select_one("aside.portlets") is None
    form = admin.get("/@@trang-chu").forms["home-settings-form"]
    for box in form.fields["shown"]:
        box.checked = False
    form.submit().follow()
    assert home_titles(admin.get("/")) == []


def test_a_subsite_without_the_news_plugin_shows_its_sections(admin, subsite, site_access):
    with site_access() as site:
        site["tan-phu"].enabled_plugins = ("search",)
    page = admin.get("/tan-phu/")
    assert "Sự kiện" in page.text  # the folder view's list of its sections
    assert page.html.select_one(".home-portlets") is None
