"""A SiteAdmin (a local role on a subsite) manages that subsite and nothing else."""

from __future__ import annotations

import pytest
import webtest

from core.testing import api_token, csrf_token, login
from tests.subsites import subsite_core_setup
from tests.subsites.subsite_core_setup import TAN_PHU, on

# the fixtures this module uses
units = subsite_core_setup.units

PASSWORD = "mat-khau-dai-1"


@pytest.fixture
def site_admin(units, testapp, site_access):
    """A client logged in (on the portal's host) as the SiteAdmin of ``tan-phu``."""
    with site_access() as site:
        site.principals.add_user("qt-tanphu", PASSWORD, fullname="Quản trị Tân Phú")
        site["tan-phu"].local_roles["qt-tanphu"] = ("SiteAdmin",)
    login(testapp, "qt-tanphu", PASSWORD)
    return testapp


def test_a_site_admin_manages_their_subsite(site_admin, site_access):
    page = site_admin.get("/tan-phu/")
    tabs = {a.text for a in page.html.select(".editbar-tabs a")}
    assert {"Sửa", "Nội dung", "Chia sẻ", "Chức năng"} <= tabs
    site_admin.get("/tan-phu/@@contents", status=200)
    site_admin.get("/tan-phu/@@sharing", status=200)
    form = site_admin.get("/tan-phu/tin-tuc/@@add?type=News").forms["content-form"]
    form["title"] = "Tin do quản trị xã viết"
    form.submit().follow()
    # the look and contacts of the subsite, through its edit form
    form = site_admin.get("/tan-phu/@@edit").forms["content-form"]
    form["colour"] = "#14613a"
    form["phone"] = "0220 999 888"
    form.submit().follow()
    with site_access() as site:
        subsite = site["tan-phu"]
        assert subsite.colour == "#14613a" and subsite.phone == "0220 999 888"
        assert len(subsite["tin-tuc"]) == 3


def test_a_site_admin_cannot_change_what_belongs_to_managers(site_admin, site_access):
    form = site_admin.get("/tan-phu/@@edit").forms["content-form"]
    form["code"] = "999"
    form["hostnames"] = "tanphu.example.vn\ncuaminh.example.vn"
    form["colour"] = "#000000"
    page = form.submit()
    assert "Chỉ quản trị hệ thống" in page.html.find(id="form-code-error").text
    assert "Chỉ quản trị hệ thống" in page.html.find(id="form-hostnames-error").text
    with site_access() as site:
        subsite = site["tan-phu"]
        assert subsite.code == "100" and subsite.colour == ""  # nothing was stored
        assert "cuaminh.example.vn" not in site.hosts
    # nor delete or rename the subsite itself
    token = csrf_token(site_admin.get("/tan-phu/@@delete"))
    site_admin.post("/tan-phu/@@delete", {"csrf_token": token}, status=403)
    with site_access() as site:
        assert "tan-phu" in site


def test_a_site_admin_gets_403_elsewhere(site_admin):
    for path in (
        "/hoa-binh/@@edit",
        "/hoa-binh/@@sharing",
        "/hoa-binh/@@contents",
        "/hoa-binh/@@plugins",
        "/hoa-binh/tin-tuc/@@add?type=News",
        "/@@edit",  # the portal's settings
        "/@@sharing",
        "/@@users",
        "/@@add?type=Subsite",
        "/tan-phu/@@add?type=Subsite",
    ):
        site_admin.get(path, status=403)


def test_a_site_admin_through_the_api(units, testapp, site_access):
    with site_access() as site:
        site.principals.add_user("qt-tanphu", PASSWORD, fullname="Quản trị Tân Phú")
        site["tan-phu"].local_roles["qt-tanphu"] = ("SiteAdmin",)
    client = webtest.TestApp(testapp.app, extra_environ=on(TAN_PHU, REMOTE_ADDR="127.0.0.1"))
    client.authorization = ("Bearer", api_token(client, "qt-tanphu", PASSWORD))
    client.patch_json("/", {"description": "Trang của xã"}, status=204)
    client.post_json("/tin-tuc", {"@type": "News", "title": "Tin API"}, status=201)
    portal = webtest.TestApp(testapp.app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    portal.authorization = client.authorization
    portal.patch_json("/hoa-binh", {"description": "Không được"}, status=403)
    portal.patch_json("/", {"title": "Không được"}, status=403)
    portal.post_json("/", {"@type": "Subsite", "title": "X", "unit_kind": "other"}, status=403)
    portal.delete("/tan-phu", headers={"Accept": "application/json"}, status=403)
    with site_access() as site:
        assert site["tan-phu"].description == "Trang của xã"
        assert site["hoa-binh"].description == ""
