"""The Subsite type through the generic forms and the JSON API: its fields, their
validation, and the site maps (hosts, aliases, codes) kept on every change."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image
from webtest.forms import Checkbox


def png_bytes(colour="red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600, 200), colour).save(out, "PNG")
    return out.getvalue()


def subsites_in(site) -> list:
    return [obj for obj in site.values() if obj.type_name == "Subsite"]


def boxes(form, name) -> dict:
    """The checkboxes of ``name`` in a WebTest form, by value."""
    return {f._value: f for f in form.fields[name] if isinstance(f, Checkbox)}


def add_form(admin):
    return admin.get("/@@add?type=Subsite").forms["content-form"]


def test_manager_adds_a_subsite_through_the_generic_form(admin, site_access):
    form = add_form(admin)
    form["title"] = "UBND xã Tân Phú"
    form["unit_kind"] = "commune"
    form["code"] = "25747"
    form["hostnames"] = "TanPhu.Example.vn\nxa-tanphu.example.vn.\n"
    form["colour"] = "#1A5C2E"
    form["address"] = "Số 1 đường Lê Lợi"
    form["email"] = "ubnd@tanphu.example.vn"
    boxes(form, "enabled_plugins")["search"].checked = False
    boxes(form, "enabled_plugins")["schedule"].checked = False
    boxes(form, "enabled_plugins")["services"].checked = False
    boxes(form, "in_province_listings")["1"].checked = False
    page = form.submit().follow()
    assert "UBND xã Tân Phú" in page.text
    with site_access() as site:
        (subsite,) = subsites_in(site)
        assert subsite.hostnames == ("tanphu.example.vn", "xa-tanphu.example.vn")
        assert subsite.enabled_plugins == ("news",)
        assert subsite.in_province_listings is False
        assert subsite.colour == "#1a5c2e"
        assert site.hosts["tanphu.example.vn"] == subsite.uid
        assert site.hosts["xa-tanphu.example.vn"] == subsite.uid
        assert site.unit_codes["25747"] == subsite.uid


def test_new_subsite_form_offers_every_running_plugin_ticked(admin):
    form = add_form(admin)
    ticked = {value: box.checked for value, box in boxes(form, "enabled_plugins").items()}
    assert ticked == {"news": True, "schedule": True, "search": True, "services": True}
    assert boxes(form, "in_province_listings")["1"].checked  # in the provincial listings


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("hostnames", "http://tanphu.example.vn/", "không phải là tên miền hợp lệ"),
        ("hostnames", "localhost", "không phải là tên miền hợp lệ"),
        ("colour", "red;} body{display:none", "#rrggbb"),
        ("code", "12a", "chỉ gồm chữ số"),
        ("email", "not-an-address", "không hợp lệ"),
        ("unit_kind", "capital", "không nằm trong danh sách"),
    ],
)
def test_bad_values_are_refused_next_to_their_field(admin, site_access, field, value, message):
    form = add_form(admin)
    form["title"] = "Xã A"
    form["unit_kind"] = "commune"
    if field == "unit_kind":
        form[field].force_value(value)
    else:
        form[field] = value
    page = form.submit()
    assert page.status_code == 200
    found = page.html.find(id=f"form-{field}-error")
    assert found is not None and message in found.text
    with site_access() as site:
        assert subsites_in(site) == []
        assert len(site.hosts) == 0


def test_a_host_or_code_of_another_subsite_is_refused(api, site_access):
    api.post_json(
        "/",
        {
            "@type": "Subsite",
            "title": "Xã A",
            "unit_kind": "commune",
            "code": "100",
            "hostnames": ["a.example.vn"],
        },
        status=201,
    )
    response = api.post_json(
        "/",
        {
            "@type": "Subsite",
            "title": "Xã B",
            "unit_kind": "commune",
            "code": "100",
            "hostnames": ["b.example.vn", "a.example.vn"],
        },
        status=400,
    )
    fields = {e["field"]: e["message"] for e in response.json["errors"]}
    assert "a.example.vn" in fields["hostnames"] and "Xã A" in fields["hostnames"]
    assert "100" in fields["code"]
    with site_access() as site:
        assert len(subsites_in(site)) == 1
        assert "b.example.vn" not in site.hosts


def test_the_portal_host_is_refused(admin, app, site_access):
    form = add_form(admin)
    form["title"] = "Xã A"
    form["unit_kind"] = "commune"
    form["hostnames"] = "portal.example.vn"
    app.registry.settings["cong.portal_url"] = "https://portal.example.vn"
    try:
        page = form.submit()
    finally:
        del app.registry.settings["cong.portal_url"]
    assert "tên miền của cổng tỉnh" in page.html.find(id="form-hostnames-error").text
    with site_access() as site:
        assert subsites_in(site) == []


def test_subsite_through_the_api(api, site_access):
    logo = base64.b64encode(png_bytes()).decode()
    created = api.post_json(
        "/",
        {
            "@type": "Subsite",
            "id": "tan-phu",
            "title": "UBND xã Tân Phú",
            "unit_kind": "commune",
            "parent_code": "",
            "code": "25747",
            "hostnames": ["tanphu.example.vn"],
            "enabled_plugins": ["news"],
            "in_province_listings": False,
            "theme": "default",
            "logo": {
                "data": logo,
                "encoding": "base64",
                "filename": "logo.png",
                "content-type": "image/png",
            },
        },
        status=201,
    )
    assert created.headers["Location"] == "http://localhost/tan-phu"
    data = api.get("/tan-phu").json
    assert data["@type"] == "Subsite"
    assert data["hostnames"] == ["tanphu.example.vn"]
    assert data["enabled_plugins"] == ["news"]
    assert data["in_province_listings"] is False
    assert data["unit_kind"] == "commune" and data["code"] == "25747"
    assert data["logo"]["width"] == 600
    # every running plugin when none are named
    api.post_json(
        "/", {"@type": "Subsite", "id": "xa-b", "title": "Xã B", "unit_kind": "commune"}, status=201
    )
    assert api.get("/xa-b").json["enabled_plugins"] == ["news", "schedule", "search", "services"]
    assert api.get("/xa-b").json["in_province_listings"] is True
    # booleans and lists only
    bad = api.patch_json(
        "/tan-phu", {"in_province_listings": "no", "enabled_plugins": ["nope"]}, status=400
    )
    assert {e["field"] for e in bad.json["errors"]} == {"in_province_listings", "enabled_plugins"}
    api.get("/tan-phu/@@logo", status=200)


def test_changing_hosts_keeps_old_ones_as_aliases_and_codes_follow(api, site_access):
    api.post_json(
        "/",
        {
            "@type": "Subsite",
            "id": "a",
            "title": "Xã A",
            "unit_kind": "commune",
            "code": "100",
            "hostnames": ["old.example.vn"],
        },
        status=201,
    )
    api.patch_json("/a", {"hostnames": ["new.example.vn"], "code": "101"}, status=204)
    with site_access() as site:
        a = site["a"]
        assert dict(site.hosts) == {"new.example.vn": a.uid}
        assert dict(site.host_aliases) == {"old.example.vn": a.uid}
        assert a.old_hostnames == ("old.example.vn",)
        assert dict(site.unit_codes) == {"101": a.uid}
    # another subsite may take the old host: it stops being an alias
    api.post_json(
        "/",
        {
            "@type": "Subsite",
            "id": "b",
            "title": "Xã B",
            "unit_kind": "commune",
            "hostnames": ["old.example.vn"],
        },
        status=201,
    )
    with site_access() as site:
        assert site.hosts["old.example.vn"] == site["b"].uid
        assert "old.example.vn" not in site.host_aliases
        assert site["a"].old_hostnames == ()
    # deleting a subsite frees its hosts and code
    api.delete("/a", status=204)
    with site_access() as site:
        assert "new.example.vn" not in site.hosts and "101" not in site.unit_codes


def test_editing_through_the_form_keeps_images_and_unticks(admin, site_access):
    form = add_form(admin)
    form["title"] = "Xã A"
    form["unit_kind"] = "commune"
    form["id"] = "a"
    form["logo"] = ("logo.png", png_bytes(), "image/png")
    form.submit().follow()
    edit = admin.get("/a/@@edit")
    assert "logo.png" in edit.html.find(id="form-logo-current").text
    form = edit.forms["content-form"]
    assert form["hostnames"].value == ""
    for box in boxes(form, "enabled_plugins").values():
        box.checked = False
    form["hostnames"] = "a.example.vn\nb.example.vn"
    form.submit().follow()
    with site_access() as site:
        a = site["a"]
        assert a.logo is not None and a.logo.width == 600
        assert a.enabled_plugins == ()
        assert a.hostnames == ("a.example.vn", "b.example.vn")
    assert (
        admin.get("/a/@@edit").forms["content-form"]["hostnames"].value
        == "a.example.vn\nb.example.vn"
    )


def test_evolve_step_gives_an_existing_site_its_maps(app, site_access):
    from subsites.content import create_maps

    with site_access() as site:
        for name in ("hosts", "host_aliases", "unit_codes", "redirects"):
            delattr(site, name)
    with site_access() as site:
        create_maps(site)
    with site_access() as site:
        assert len(site.hosts) == 0 and len(site.redirects) == 0


def test_csrf_protects_the_add_form(admin, site_access):
    admin.post(
        "/@@add?type=Subsite",
        {"title": "X", "unit_kind": "commune", "csrf_token": "forged"},
        status=400,
    )
    with site_access() as site:
        assert subsites_in(site) == []
