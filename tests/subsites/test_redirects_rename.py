"""Renamed and moved content (subsites included) keeps its old addresses working."""

from __future__ import annotations

import webtest

from core import operations
from tests.subsites import subsite_core_setup
from tests.subsites.subsite_core_setup import HOA_BINH, TAN_PHU, on

# the fixtures this module uses
units = subsite_core_setup.units


def rename(admin, folder, old, new):
    form = admin.get(f"{folder}@@rename?ids={old}").forms["rename-form"]
    form.set("new_names", new, index=0)
    return form.submit().follow()


def visitor_of(admin):
    return webtest.TestApp(admin.app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})


def test_a_renamed_subsite_keeps_its_old_addresses(units, admin, site_access):
    rename(admin, "/", "tan-phu", "xa-tan-phu")
    visitor = visitor_of(admin)
    response = visitor.get("/tan-phu/tin-tuc/le-hoi", {"trang": "2"}, status=301)
    assert response.headers["Location"] == "http://localhost/xa-tan-phu/tin-tuc/le-hoi?trang=2"
    assert response.follow().html.find("h1").text.strip() == "Lễ hội làng Tân Phú"
    assert visitor.get("/tan-phu", status=301).headers["Location"] == "http://localhost/xa-tan-phu/"
    response = visitor.get("/tan-phu/@@search", status=301)
    assert response.headers["Location"] == "http://localhost/xa-tan-phu/@@search"
    # the JSON API too
    response = visitor.get("/tan-phu/tin-tuc", headers={"Accept": "application/json"}, status=301)
    assert response.headers["Location"] == "http://localhost/xa-tan-phu/tin-tuc"
    # its host follows it
    page = visitor.get("/tin-tuc/le-hoi", extra_environ=on(TAN_PHU))
    assert page.html.find("h1").text.strip() == "Lễ hội làng Tân Phú"
    # changes are not redirected, and what never existed is still a 404
    visitor.post("/tan-phu/tin-tuc/le-hoi", status=404)
    visitor.get("/khong-co/gi", status=404)
    with site_access() as site:
        assert site.redirects["/tan-phu"] == site["xa-tan-phu"].uid


def test_renamed_content_on_a_subsite_host(units, admin):
    rename(admin, "/tan-phu/", "gioi-thieu", "gioi-thieu-xa")
    visitor = visitor_of(admin)
    response = visitor.get("/gioi-thieu/@@edit", extra_environ=on(TAN_PHU), status=301)
    assert response.headers["Location"] == f"http://{TAN_PHU}/gioi-thieu-xa/@@edit"


def test_content_moved_to_another_subsite_redirects_to_its_host(units, model, app):
    item = model.site["tan-phu"]["tin-tuc"]["le-hoi"]
    operations.move(model.request, item, model.site["hoa-binh"]["tin-tuc"])
    model.commit()
    visitor = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    response = visitor.get("/tin-tuc/le-hoi", {"a": "b"}, extra_environ=on(TAN_PHU), status=301)
    assert response.headers["Location"] == f"http://{HOA_BINH}/tin-tuc/le-hoi/?a=b"
    response = visitor.get("/tan-phu/tin-tuc/le-hoi", status=301)  # the portal's path form
    assert response.headers["Location"] == "http://localhost/hoa-binh/tin-tuc/le-hoi/"


def test_renaming_back_and_forth_never_loops(units, admin):
    rename(admin, "/tan-phu/", "gioi-thieu", "a")
    rename(admin, "/tan-phu/", "a", "gioi-thieu")
    visitor = visitor_of(admin)
    assert visitor.get("/tan-phu/gioi-thieu").status_code == 200
    response = visitor.get("/tan-phu/a", status=301)
    assert response.headers["Location"] == "http://localhost/tan-phu/gioi-thieu/"


def test_a_deleted_object_is_not_redirected_to(units, model, app):
    subsite = model.site["tan-phu"]
    operations.rename(model.request, subsite["gioi-thieu"], "a")
    operations.delete(model.request, subsite["a"])
    model.commit()
    visitor = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    visitor.get("/tan-phu/gioi-thieu", status=404)
