"""The provincial portal: the home page's news and announcements of every unit, the
directory of units (``@@don-vi``), and subsites added through the form and the API
getting their default structure."""

from __future__ import annotations

import re

import pytest

from core.testing import add, login
from subsites.provisioning import create_subsite


def unit(model, title: str, kind: str = "commune", **values):
    return create_subsite(model.request, model.site, {"title": title, "unit_kind": kind, **values})


def section(page, heading: str) -> str:
    """The HTML of the home page's section whose heading is ``heading``."""
    found = re.search(
        rf'<section class="province-list[^"]*"[^>]*>\s*<h2[^>]*>{heading}</h2>(.*?)</section>',
        page.text,
        re.S,
    )
    return found.group(1) if found else ""


@pytest.fixture
def units(model):
    """Two communes with news: Tân Phú (listed) and Tân Hòa; and the portal's own."""
    tan_phu = unit(model, "UBND xã Tân Phú", code="25747")
    tan_hoa = unit(model, "UBND xã Tân Hòa", code="25748")
    add(model, tan_phu["tin-tuc"], "News", "published", title="Tân Phú khánh thành trường học",
        effective="2025-09-02")  # fmt: skip
    add(model, tan_phu["tin-tuc"], "News", "published", title="Tin nội bộ Tân Phú",
        effective="2025-09-03", exclude_from_province=True)  # fmt: skip
    add(model, tan_phu["tin-tuc"], "News", title="Bản nháp Tân Phú")  # private
    add(model, tan_hoa["thong-bao"], "Announcement", "published", title="Tân Hòa thông báo lịch tiếp dân",
        effective="2025-09-01")  # fmt: skip
    add(model, tan_hoa["tin-tuc"], "News", "published", title="Tân Hòa đón bằng nông thôn mới",
        effective="2025-09-04")  # fmt: skip
    model.commit()
    return tan_phu, tan_hoa


# aggregation ------------------------------------------------------------------------------
def test_the_home_page_lists_every_units_news_with_the_units_name(testapp, units):
    page = testapp.get("/")
    news = section(page, "Tin tức từ các đơn vị")
    titles = re.findall(r'class="item-title"><a href="[^"]+">([^<]+)</a>', news)
    assert titles == ["Tân Hòa đón bằng nông thôn mới", "Tân Phú khánh thành trường học"]
    assert re.search(r'class="item-unit" href="[^"]*/ubnd-xa-tan-phu/">UBND xã Tân Phú</a>', news)
    announcements = section(page, "Thông báo của các đơn vị")
    assert "Tân Hòa thông báo lịch tiếp dân" in announcements and "UBND xã Tân Hòa" in announcements


def test_excluded_and_private_items_stay_out(testapp, units):
    page = testapp.get("/")
    assert "Tin nội bộ Tân Phú" not in page.text
    assert "Bản nháp Tân Phú" not in page.text


def test_a_subsite_kept_out_of_the_listings_and_back_again(testapp, model, units):
    tan_phu, _tan_hoa = units
    from core import operations as ops

    ops.edit(model.request, tan_phu, {"in_province_listings": False}, source="json", partial=True)
    model.commit()
    page = testapp.get("/")
    assert "Tân Phú khánh thành trường học" not in page.text
    assert "Tân Hòa đón bằng nông thôn mới" in page.text
    ops.edit(model.request, tan_phu, {"in_province_listings": True}, source="json", partial=True)
    model.commit()
    page = testapp.get("/")
    assert "Tân Phú khánh thành trường học" in page.text
    assert "Tin nội bộ Tân Phú" not in page.text  # its own flag still holds


def test_an_item_excluded_through_its_edit_form_leaves_the_home_page(admin, units):
    assert "Tân Hòa đón bằng nông thôn mới" in admin.get("/").text
    form = admin.get("/ubnd-xa-tan-hoa/tin-tuc/tan-hoa-don-bang-nong-thon-moi/@@edit").forms[
        "content-form"
    ]
    form.set("exclude_from_province", True, index=1)  # the checkbox, after its hidden marker
    form.submit().follow()
    assert "Tân Hòa đón bằng nông thôn mới" not in section(admin.get("/"), "Tin tức từ các đơn vị")


def test_subsites_are_neither_sections_nor_menu_entries_of_the_portal(testapp, model, units):
    add(model, model.site, "Folder", "published", title="Giới thiệu tỉnh")
    model.commit()
    page = testapp.get("/")
    menu = page.text.split('id="main-nav-list"')[1].split("</ul>")[0]
    assert "Giới thiệu tỉnh" in menu and "UBND xã Tân Phú" not in menu
    cards = page.text.split('class="card-grid"')[1].split("</ul>")[0]
    assert "Giới thiệu tỉnh" in cards and "UBND xã Tân Phú" not in cards


# the directory ------------------------------------------------------------------------------
@pytest.fixture
def directory_units(model):
    unit(model, "Sở Y tế", "department")
    unit(model, "Sở Tài chính", "department")
    unit(model, "UBND huyện Tân Lập", "other", code="700")
    unit(model, "UBND xã Tân Phú", code="25747", parent_code="700",
         hostnames=["tanphu.songlam.gov.vn"])  # fmt: skip
    unit(model, "UBND xã Đông Sơn", code="25750", parent_code="700")
    unit(model, "Phường Ba Đình", code="00004")
    model.commit()


def test_the_home_page_counts_units_by_kind_and_links_the_directory(testapp, directory_units):
    page = testapp.get("/")
    counts = dict(
        re.findall(
            r'unit-count-label">([^<]+)</span>\s*<strong class="unit-count">(\d+)', page.text
        )
    )
    assert counts == {"Sở, ban, ngành": "2", "Xã, phường, đặc khu": "3", "Đơn vị khác": "1"}
    assert page.click(href="@@don-vi").status_int == 200


def test_the_directory_groups_units_by_kind_and_parent(testapp, directory_units):
    page = testapp.get("/@@don-vi")
    kinds = re.findall(
        r'<h2 id="directory-kind-(\w+)">([^<]+?)\s*<span[^>]*>\(<span[^>]*>(\d+)', page.text
    )
    assert kinds == [
        ("department", "Sở, ban, ngành", "2"),
        ("commune", "Xã, phường, đặc khu", "3"),
        ("other", "Đơn vị khác", "1"),
    ]
    communes = page.text.split('id="directory-kind-commune"')[1].split('id="directory-kind-other"')[
        0
    ]
    groups = re.findall(r"<h3>(?:<a [^>]+>)?([^<]+?)(?:</a>)?\s*<span", communes)
    assert groups == ["Trực thuộc tỉnh", "UBND huyện Tân Lập"]
    under_district = communes.split("UBND huyện Tân Lập")[1]
    assert "UBND xã Đông Sơn" in under_district and "UBND xã Tân Phú" in under_district
    assert 'href="http://tanphu.songlam.gov.vn/">UBND xã Tân Phú' in page.text  # its host
    assert re.search(r'href="http://localhost/phuong-ba-dinh/">Phường Ba Đình', page.text)
    assert "Đang hiện 6 trên 6 đơn vị." in page.text


@pytest.mark.parametrize("query", ["dong son", "Đông Sơn", "ĐÔNG", "25750"])
def test_the_directory_filter_ignores_accents_and_case(testapp, directory_units, query):
    page = testapp.get("/@@don-vi", params={"q": query})
    listed = re.findall(r'<li data-key="[^"]*"><a href="[^"]+">([^<]+)</a>', page.text)
    assert listed == ["UBND xã Đông Sơn"]
    assert "Đang hiện 1 trên 6 đơn vị." in page.text
    assert page.forms["directory-filter"]["q"].value == query


def test_a_filter_matching_nothing_says_so(testapp, directory_units):
    page = testapp.get("/@@don-vi", params={"q": "không có"})
    assert "Không có đơn vị nào khớp với" in page.text
    assert "directory-units" not in page.text


# adding subsites: the form and the API ---------------------------------------------------
def test_a_subsite_added_through_the_managers_form_gets_its_structure(admin, site_access):
    form = admin.get("/@@add?type=Subsite").forms["content-form"]
    form["title"] = "UBND xã Tân Phú"
    form["unit_kind"] = "commune"
    form["code"] = "25747"
    form["hostnames"] = "tanphu.songlam.gov.vn"
    page = form.submit().follow()
    assert "UBND xã Tân Phú" in page.text
    with site_access() as site:
        subsite = site["ubnd-xa-tan-phu"]
        assert list(subsite.keys()) == [
            "gioi-thieu",
            "tin-tuc",
            "thong-bao",
            "su-kien",
            "lich-cong-tac",
            "lien-he",
        ]
    menu = page.text.split('id="main-nav-list"')[1].split("</ul>")[0]
    assert "Tin tức" in menu and "Thông báo" in menu


def test_a_refused_form_creates_nothing(admin, model, site_access):
    unit(model, "UBND xã Tân Phú", code="25747")
    model.commit()
    form = admin.get("/@@add?type=Subsite").forms["content-form"]
    form["title"] = "Xã trùng mã"
    form["unit_kind"] = "commune"
    form["code"] = "25747"
    page = form.submit()
    assert page.status_int == 200 and "25747" in page.text
    with site_access() as site:
        assert "xa-trung-ma" not in site


def test_the_form_and_the_api_refuse_a_parent_code_no_unit_has(admin, api, site_access):
    form = admin.get("/@@add?type=Subsite").forms["content-form"]
    form["title"] = "UBND xã Tân Phú"
    form["unit_kind"] = "commune"
    form["parent_code"] = "700"
    page = form.submit()
    assert page.status_int == 200 and "700" in page.text
    body = {"@type": "Subsite", "title": "UBND xã Tân Phú", "unit_kind": "commune"}
    api.post_json("/", {**body, "parent_code": "700"}, status=400)
    with site_access() as site:
        assert "ubnd-xa-tan-phu" not in site


def test_a_subsite_added_through_the_api_gets_its_structure(api, site_access):
    response = api.post_json(
        "/", {"@type": "Subsite", "title": "Sở Y tế", "unit_kind": "department", "code": "900"}
    )
    assert response.status_int == 201
    items = api.get("/so-y-te").json["items"]
    assert [item["title"] for item in items] == [
        "Giới thiệu",
        "Tin tức",
        "Thông báo",
        "Sự kiện",
        "Lịch công tác",
        "Liên hệ",
    ]


def test_non_managers_cannot_add_subsites(testapp, model, site_access):
    editor = model.site.principals.add_user("bientap", "mat-khau-dai-1", "Biên tập")
    editor.roles.add("Editor")
    model.commit()
    login(testapp, "bientap", "mat-khau-dai-1")
    testapp.get("/@@add?type=Subsite", status=403)
    token = testapp.post_json("/@login", {"login": "bientap", "password": "mat-khau-dai-1"})
    testapp.post_json(
        "/",
        {"@type": "Subsite", "title": "Sở Y tế", "unit_kind": "department"},
        headers={"Authorization": "Bearer " + token.json["token"], "Accept": "application/json"},
        status=403,
    )
    with site_access() as site:
        assert "so-y-te" not in site
