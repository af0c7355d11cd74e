"""The catalog's public pages: browsing (province and unit), a procedure's page
with its form downloads and the submit rule, and a unit's local details."""

from __future__ import annotations

import pytest

from core import operations
from core.hookspecs import hookimpl
from core.testing import add, add_user, csrf_token, login, upload
from core.workflow import workflow_of
from plugins.services.tests.services_setup import published_catalog
from plugins.services.vocabulary import add_field
from subsites.provisioning import create_subsite

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_bytes(text: str) -> bytes:
    """A Word document with one paragraph (python-docx)."""
    import io

    from docx import Document

    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


FORM_BYTES = docx_bytes("Tờ khai đăng ký khai sinh")
BIRTH = {
    "title": "Đăng ký khai sinh",
    "code": "1.001193",
    "field": "ho-tich",
    "tier": "commune",
    "agency": "UBND cấp xã",
    "deciding_agency": "Chủ tịch UBND cấp xã",
    "applicants": "Công dân Việt Nam",
    "steps": "Nộp hồ sơ tại bộ phận một cửa\nCông chức tư pháp kiểm tra hồ sơ",
    "methods": "Trực tiếp | 1 | Miễn lệ phí | Trong ngày\nDịch vụ bưu chính | 1,5",
    "components": "Tờ khai đăng ký khai sinh | 1 | có | to-khai.docx\nGiấy chứng sinh | 1 | có",
    "fees": "Lệ phí đăng ký khai sinh | 0 | Thông tư 85/2019/TT-BTC",
    "conditions": "Không",
    "result": "Giấy khai sinh",
    "legal_basis": "Luật Hộ tịch 2014\nNghị định 123/2015/NĐ-CP",
    "address": "Bộ phận một cửa UBND cấp xã",
    "validity": "Không thời hạn",
    "level": "2",
}
BUSINESS = {
    "title": "Đăng ký thành lập hộ kinh doanh",
    "code": "1.001612",
    "field": "kinh-doanh",
    "tier": "commune",
    "agency": "UBND cấp xã",
    "methods": "Trực tiếp | 3 | 100.000 đồng\nTrực tuyến | 3",
    "fees": "Lệ phí | 1500000",
    "level": "4",
    "online": "toan-trinh",
}
BUILDING = {
    "title": "Cấp giấy phép xây dựng",
    "code": "1.009999",
    "field": "xay-dung",
    "tier": "province",
    "agency": "Sở Xây dựng",
    "agency_code": "20001",
    "methods": "Trực tiếp | 20",
    "level": "3",
    "online": "mot-phan",
}
CATALOG = "/thu-tuc-hanh-chinh/"
CATALOG_URL = "http://localhost" + CATALOG


def make_service(model, folder, record, state="published"):
    service = operations.create(model.request, folder, "Service", dict(record), "form")
    if state:
        workflow_of(model.request, service).transition(model.request, service, "publish")
    return service


@pytest.fixture
def province(model):
    """The catalog with three published procedures, a form template, two
    communes and a department."""
    for slug, label in (("ho-tich", "Hộ tịch"), ("kinh-doanh", "Hộ kinh doanh"),
                        ("xay-dung", "Xây dựng")):  # fmt: skip
        add_field(model.site, label, slug)
    folder = published_catalog(model)
    birth = make_service(model, folder, BIRTH)
    add(model, birth, "File", name="to-khai.docx", title="Tờ khai",
        file=upload(FORM_BYTES, "to-khai.docx", DOCX))  # fmt: skip
    make_service(model, folder, BUSINESS)
    make_service(model, folder, BUILDING)
    for title, kind, code in (("Xã Tân Phú", "commune", "10001"),
                              ("Xã Hòa Bình", "commune", "10002"),
                              ("Sở Xây dựng", "department", "20001")):  # fmt: skip
        create_subsite(model.request, model.site, {"title": title, "unit_kind": kind, "code": code})
    model.commit()
    return model


def codes(page) -> list[str]:
    return [td.get_text(strip=True) for td in page.html.select("table.services-table td.code")]


def option_texts(page, name) -> dict:
    select = page.html.find("select", attrs={"name": name})
    return {o["value"]: o.get_text(strip=True) for o in select.find_all("option") if o["value"]}


# browsing --------------------------------------------------------------------------------
def test_the_catalog_lists_filters_and_counts(testapp, province):
    page = testapp.get(CATALOG)
    assert codes(page) == ["1.009999", "1.001193", "1.001612"]  # by name
    assert option_texts(page, "level") == {"2": "Mức độ 2: tải biểu mẫu (1)",
        "3": "Mức độ 3: nộp hồ sơ trực tuyến (1)",
        "4": "Mức độ 4: thanh toán và nhận kết quả trực tuyến (1)"}  # fmt: skip
    assert option_texts(page, "tier") == {"province": "Cấp tỉnh (1)", "commune": "Cấp xã (2)"}
    assert option_texts(page, "field")["ho-tich"] == "Hộ tịch (1)"
    link = page.html.find("a", string="Đăng ký khai sinh")
    assert link["href"] == CATALOG_URL + "1.001193/"
    row = link.find_parent("tr").get_text(" ", strip=True)
    assert "Hộ tịch" in row and "Mức độ 2" in row and "UBND cấp xã" in row

    filtered = testapp.get(CATALOG, {"tier": "commune", "level": "4"})
    assert codes(filtered) == ["1.001612"]
    assert "Toàn trình" in filtered.html.select_one("table.services-table").get_text()
    chosen = filtered.html.select(".services-chosen li")
    assert [li.get_text(" ", strip=True).split(" bỏ lọc")[0] for li in chosen] == [
        "Cấp thực hiện: Cấp xã",
        "Mức độ: Mức độ 4: thanh toán và nhận kết quả trực tuyến",
    ]
    removed = testapp.get(chosen[1].find("a")["href"])
    assert codes(removed) == ["1.001193", "1.001612"]
    assert codes(testapp.get(CATALOG, {"agency": "Sở Xây dựng"})) == ["1.009999"]
    assert codes(testapp.get(CATALOG, {"field": "ho-tich", "level": "2"})) == ["1.001193"]
    nav = testapp.get("/").html.select_one("#main-nav-list")
    assert nav.find("a", string="Thủ tục hành chính")["href"] == CATALOG_URL


def test_text_without_accents_finds_a_procedure(testapp, province):
    page = testapp.get(CATALOG, {"q": "dang ky khai sinh"})
    assert codes(page) == ["1.001193"]
    none = testapp.get(CATALOG, {"q": "giay phep lai xe"})
    assert codes(none) == []
    assert "Không có thủ tục nào phù hợp" in none.text


@pytest.mark.parametrize(
    ("params", "message"),
    [({"level": "9"}, "Mức độ phải là 1, 2, 3 hoặc 4."), ({"tier": "x"}, "Cấp thực hiện"),
     ({"b_start": "-1"}, "b_start")],
)  # fmt: skip
def test_bad_browse_parameters_answer_400_with_the_reason(testapp, province, params, message):
    page = testapp.get(CATALOG, params, status=400)
    assert message in page.text
    assert testapp.get("/xa-tan-phu/@@thu-tuc", params, status=400)


def test_batching_links_to_the_next_page(testapp, province):
    page = testapp.get(CATALOG, {"b_size": "2"})
    assert codes(page) == ["1.009999", "1.001193"]
    second = testapp.get(page.html.find("a", rel="next")["href"])
    assert codes(second) == ["1.001612"]


def test_a_unit_shows_its_tiers_and_its_own_procedures(testapp, province):
    commune = testapp.get("/xa-tan-phu/@@thu-tuc")
    assert codes(commune) == ["1.001193", "1.001612"]
    link = commune.html.find("a", string="Đăng ký khai sinh")
    assert link["href"] == "http://localhost/xa-tan-phu/@@thu-tuc/1.001193"
    assert codes(testapp.get("/so-xay-dung/@@thu-tuc")) == ["1.009999"]
    assert codes(testapp.get("/so-xay-dung/@@thu-tuc", {"q": "khai sinh"})) == []
    testapp.get("/so-xay-dung/@@thu-tuc/1.001193", status=404)
    testapp.get("/xa-tan-phu/@@thu-tuc/1.009999", status=404)
    testapp.get("/xa-tan-phu/@@thu-tuc/khong-co", status=404)
    nav = commune.html.select_one("#main-nav-list")
    entry = nav.find("a", string="Thủ tục hành chính")
    assert entry["href"] == "http://localhost/xa-tan-phu/@@thu-tuc"
    assert entry["aria-current"] == "page"
    procedure = testapp.get("/xa-tan-phu/@@thu-tuc/1.001193").html.select_one("#main-nav-list")
    entry = procedure.find("a", string="Thủ tục hành chính")  # a page inside the section
    assert not entry.has_attr("aria-current") and entry["class"] == ["current-section"]
    home = testapp.get("/xa-tan-phu/")
    assert home.html.select_one("#main-nav-list").find("a", string="Thủ tục hành chính")


def test_a_units_pages_say_where_they_are_in_the_breadcrumbs(testapp, province):
    def crumbs(page):
        return [li.get_text(strip=True) for li in page.html.select(".breadcrumbs li")]

    unit = crumbs(testapp.get("/xa-tan-phu/@@thu-tuc"))
    assert unit[1:] == ["Thủ tục hành chính"]
    page = testapp.get("/xa-tan-phu/@@thu-tuc/1.001193")
    assert crumbs(page)[1:] == ["Thủ tục hành chính", "Đăng ký khai sinh"]
    back = page.html.select(".breadcrumbs a")[-1]
    assert back["href"] == "http://localhost/xa-tan-phu/@@thu-tuc"


def test_a_disabled_plugin_hides_the_units_pages(testapp, province, site_access):
    with site_access() as site:
        site["xa-tan-phu"].enabled_plugins = ("news",)
    testapp.get("/xa-tan-phu/@@thu-tuc", status=404)
    home = testapp.get("/xa-tan-phu/")
    assert not home.html.select_one("#main-nav-list").find("a", string="Thủ tục hành chính")


def test_a_private_procedure_is_hidden_from_visitors(testapp, province):
    model = province
    make_service(model, model.site["thu-tuc-hanh-chinh"], {**BIRTH, "code": "1.001194",
                 "title": "Đăng ký khai tử"}, state=None)  # fmt: skip
    model.commit()
    assert "1.001194" not in codes(testapp.get(CATALOG))
    assert "1.001194" not in codes(testapp.get("/xa-tan-phu/@@thu-tuc"))
    page = testapp.get(CATALOG + "1.001194/", status=(302, 403))
    if page.status_int == 302:
        assert "@@login" in page.location
    testapp.get("/xa-tan-phu/@@thu-tuc/1.001194", status=(302, 403))


# a procedure's page --------------------------------------------------------------------------
def test_the_procedure_page_has_the_national_portals_sections(testapp, province):
    page = testapp.get(CATALOG + "1.001193/")
    html = page.html
    assert html.find("h1").get_text(strip=True) == "Đăng ký khai sinh"
    assert [h.get_text(strip=True) for h in html.select("main h2")] == [
        "Nộp hồ sơ trực tiếp", "Thông tin chung", "Trình tự thực hiện", "Cách thức thực hiện",
        "Thành phần hồ sơ", "Phí, lệ phí", "Yêu cầu, điều kiện thực hiện", "Căn cứ pháp lý",
    ]  # fmt: skip
    assert "Mức độ 2: tải biểu mẫu" in html.select_one(".service-badges").get_text()
    general = dict(zip([dt.get_text() for dt in html.select(".service-general dt")],
                       [dd.get_text() for dd in html.select(".service-general dd")], strict=True))  # fmt: skip
    assert general["Lĩnh vực"] == "Hộ tịch"
    assert general["Cấp thực hiện"] == "Cấp xã"
    assert general["Thời hạn giải quyết"] == "1 ngày làm việc"
    assert general["Địa chỉ tiếp nhận hồ sơ"] == "Bộ phận một cửa UBND cấp xã"
    assert [li.get_text() for li in html.select(".service-steps li")][1].startswith("Công chức")
    methods = [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
               for tr in html.find("table", attrs={"aria-labelledby": "methods-title"}).tbody("tr")]  # fmt: skip
    assert methods == [["Trực tiếp", "1 ngày làm việc", "Miễn lệ phí", "Trong ngày"],
                       ["Dịch vụ bưu chính", "1,5 ngày làm việc", "", ""]]  # fmt: skip
    assert all(th.get("scope") for th in html.select("table th"))
    download = html.select_one("a.form-download")
    assert download["href"] == CATALOG_URL + "1.001193/to-khai.docx/@@download"
    components = html.find("table", attrs={"aria-labelledby": "components-title"}).tbody("tr")
    assert components[1].get_text(" ", strip=True) == "Giấy chứng sinh 1 Có"  # no template
    got = testapp.get(download["href"])
    assert got.body == FORM_BYTES
    assert "to-khai.docx" in got.headers["Content-Disposition"]
    fees = html.find("table", attrs={"aria-labelledby": "fees-title"}).get_text(" ", strip=True)
    assert "0 đồng" in fees and "Thông tư 85/2019/TT-BTC" in fees
    assert "1.500.000 đồng" in testapp.get(CATALOG + "1.001612/").text
    assert html.find("button", string="In trang").has_attr("data-print")  # cong.js prints
    css = html.find("link", href=lambda h: h and h.endswith("services.css"))
    assert "@media print" in testapp.get(css["href"]).text
    assert "dịch vụ bưu chính" in html.select_one(".service-submit").get_text()


def test_a_unit_reached_by_its_host_serves_the_forms_there(testapp, province):
    from core import operations

    model = province
    unit = model.site["xa-tan-phu"]
    operations.edit(model.request, unit, {"hostnames": "tanphu.example.vn"}, partial=True)
    model.commit()
    host = {"HTTP_HOST": "tanphu.example.vn"}
    page = testapp.get("/@@thu-tuc/1.001193", extra_environ=host)
    link = page.html.select_one("a.form-download")["href"]
    assert link == "http://tanphu.example.vn/@@thu-tuc/1.001193/to-khai.docx"
    got = testapp.get(link, extra_environ=host)
    assert got.body == FORM_BYTES
    assert "to-khai.docx" in got.headers["Content-Disposition"]
    testapp.get("/@@thu-tuc/1.001193/khong-co.docx", extra_environ=host, status=404)
    testapp.get("/@@thu-tuc/1.001193/a/b", extra_environ=host, status=404)


def test_scripts_in_a_record_are_shown_as_text(testapp, province):
    model = province
    make_service(model, model.site["thu-tuc-hanh-chinh"], {**BUSINESS, "code": "1.000123",
                 "title": "<script>alert(1)</script> Thủ tục", "agency": "<b>UBND</b>"})  # fmt: skip
    model.commit()
    for path in (CATALOG, CATALOG + "1.000123/", "/xa-tan-phu/@@thu-tuc/1.000123"):
        page = testapp.get(path)
        assert "<script>alert(1)" not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Thủ tục" in page.text
        assert "<b>UBND</b>" not in page.text


class OneStop:
    """A one-stop desk that takes dossiers online at one unit only."""

    def __init__(self, unit_path):
        self.unit_path = unit_path

    @hookimpl
    def cong_service_submission(self, request, unit, service):
        if unit is not None and "/" + unit.__name__ == self.unit_path:
            return f"https://motcua.example.vn/nop?thu-tuc={service.code}"
        return None


@pytest.fixture
def one_stop(app):
    plugin = OneStop("/xa-tan-phu")
    app.registry.cong_plugins.register(plugin, name="test-one-stop")
    yield plugin
    app.registry.cong_plugins.unregister(name="test-one-stop")


def submit_link(page):
    return page.html.find("a", string="Nộp hồ sơ trực tuyến")


def test_online_submission_where_a_plugin_takes_dossiers(testapp, province, one_stop):
    online = testapp.get("/xa-tan-phu/@@thu-tuc/1.001612")  # level 4, at the desk's unit
    assert submit_link(online)["href"] == "https://motcua.example.vn/nop?thu-tuc=1.001612"
    assert "Nộp hồ sơ trực tiếp" not in online.text
    elsewhere = testapp.get("/xa-hoa-binh/@@thu-tuc/1.001612")  # no desk there
    assert submit_link(elsewhere) is None
    assert "Nộp hồ sơ trực tiếp" in elsewhere.text
    assert submit_link(testapp.get(CATALOG + "1.001612/")) is None  # no implementing unit
    level_two = testapp.get("/xa-tan-phu/@@thu-tuc/1.001193")
    assert submit_link(level_two) is None
    assert "Nộp hồ sơ trực tiếp" in level_two.text


def test_the_province_page_asks_the_implementing_unit(app, testapp, province):
    plugin = OneStop("/so-xay-dung")
    app.registry.cong_plugins.register(plugin, name="test-one-stop")
    try:
        page = testapp.get(CATALOG + "1.009999/")
    finally:
        app.registry.cong_plugins.unregister(name="test-one-stop")
    assert submit_link(page)["href"].endswith("thu-tuc=1.009999")


# local details ---------------------------------------------------------------------------
@pytest.fixture
def unit_admin(testapp, province, site_access):
    add_user(site_access, "qt-tanphu", local=("/xa-tan-phu", ("SiteAdmin",)))
    login(testapp, "qt-tanphu")
    return testapp


def address_of(page) -> str:
    general = page.html.select(".service-general dt")
    found = next(dt for dt in general if dt.get_text() == "Địa chỉ tiếp nhận hồ sơ")
    return found.find_next_sibling("dd").get_text()


def test_a_unit_sets_its_details_for_its_pages_only(unit_admin, province):
    testapp = unit_admin
    form = testapp.get("/xa-tan-phu/@@thu-tuc-dia-phuong").forms["content-form"]
    form["address"] = "Số 1 đường Trần Phú, xã Tân Phú"
    form["phone"] = "0220 3851 234"
    form["hours"] = "Sáng thứ Hai đến thứ Sáu"
    page = form.submit().follow()
    assert "Đã lưu thông tin tiếp nhận hồ sơ." in page.text
    unit_page = testapp.get("/xa-tan-phu/@@thu-tuc/1.001193")
    assert address_of(unit_page) == "Số 1 đường Trần Phú, xã Tân Phú"
    assert "0220 3851 234" in unit_page.html.select_one(".service-submit").get_text()

    edit = unit_page.html.find("a", string="Sửa thông tin tiếp nhận của đơn vị")["href"]
    form = testapp.get(edit).forms["content-form"]
    form["address"] = "Điểm tiếp nhận thôn Đông <script>alert(2)</script>"
    unit_page = form.submit().follow()
    assert address_of(unit_page) == "Điểm tiếp nhận thôn Đông <script>alert(2)</script>"
    assert "<script>alert(2)" not in unit_page.text
    assert "0220 3851 234" in unit_page.text  # the unit's default where not overridden
    other = testapp.get("/xa-tan-phu/@@thu-tuc/1.001612")
    assert address_of(other) == "Số 1 đường Trần Phú, xã Tân Phú"

    assert address_of(testapp.get(CATALOG + "1.001193/")) == "Bộ phận một cửa UBND cấp xã"
    assert address_of(testapp.get("/xa-hoa-binh/@@thu-tuc/1.001193")) == (
        "Bộ phận một cửa UBND cấp xã"
    )


def test_local_details_are_checked_and_protected(unit_admin, province):
    testapp = unit_admin
    page = testapp.get("/xa-tan-phu/@@thu-tuc-dia-phuong")
    refused = testapp.post(
        "/xa-tan-phu/@@thu-tuc-dia-phuong",
        {"csrf_token": csrf_token(page), "address": "Đường A", "phone": "0" * 51},
        status=400,
    )
    assert "Quá dài: tối đa 50 ký tự." in refused.html.select_one("#form-phone-error").get_text()
    assert refused.forms["content-form"]["address"].value == "Đường A"
    testapp.post("/xa-tan-phu/@@thu-tuc-dia-phuong", {"address": "Đường B"}, status=400)
    assert address_of(testapp.get("/xa-tan-phu/@@thu-tuc/1.001193")) == (
        "Bộ phận một cửa UBND cấp xã"
    )
    testapp.get("/xa-hoa-binh/@@thu-tuc-dia-phuong", status=403)
    testapp.get("/xa-hoa-binh/@@thu-tuc/1.001193/sua", status=403)


def test_visitors_cannot_reach_the_local_forms(testapp, province):
    assert testapp.get("/xa-tan-phu/@@thu-tuc-dia-phuong", status=(302, 403))
    assert testapp.get("/xa-tan-phu/@@thu-tuc/1.001193/sua", status=(302, 403))
    page = testapp.get("/xa-tan-phu/@@thu-tuc/1.001193")
    assert page.html.find("a", string="Sửa thông tin tiếp nhận của đơn vị") is None
