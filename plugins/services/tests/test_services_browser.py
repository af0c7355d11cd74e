"""A visitor, on a phone, finds a procedure in the province's catalog by typing
its name without accents, opens its page and downloads its form."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core import main, operations
from core.testing import ModelRequest, add, make_settings, served, upload
from core.workflow import workflow_of
from plugins.services.tests.services_setup import published_catalog
from plugins.services.tests.test_services_pages import BIRTH, BUSINESS, DOCX, docx_bytes
from plugins.services.vocabulary import add_field

pytestmark = pytest.mark.browser

FORM = docx_bytes("Tờ khai đăng ký khai sinh")


@pytest.fixture(scope="module")
def catalog_url(tmp_path_factory):
    """The province's catalog with two procedures, one with its form template,
    served by waitress."""
    app = main({}, **make_settings(tmp_path_factory.mktemp("var")))
    model = ModelRequest(app)
    try:
        add_field(model.site, "Hộ tịch", "ho-tich")
        add_field(model.site, "Hộ kinh doanh", "kinh-doanh")
        folder = published_catalog(model)
        for record in (BIRTH, BUSINESS):
            service = operations.create(model.request, folder, "Service", dict(record), "form")
            workflow_of(model.request, service).transition(model.request, service, "publish")
        add(model, folder[BIRTH["code"]], "File", name="to-khai.docx", title="Tờ khai",
            file=upload(FORM, "to-khai.docx", DOCX))  # fmt: skip
        model.commit()
    finally:
        model.close()
    with served(app) as url:
        yield url + "/thu-tuc-hanh-chinh/"
    app.registry._zodb_databases[""].close()


def test_a_visitor_finds_a_procedure_without_accents_and_downloads_its_form(catalog_url, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    page.goto(catalog_url)
    expect(page.locator("table.services-table tbody tr")).to_have_count(2)
    page.get_by_label("Tên, mã thủ tục hoặc từ khóa").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()

    expect(page.locator(".services-total")).to_contain_text("1")
    page.get_by_role("link", name="Đăng ký khai sinh").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
    expect(page.get_by_role("heading", name="Thành phần hồ sơ")).to_be_visible()
    expect(page.get_by_role("button", name="In trang")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # the tables scroll inside the page, which fits the phone
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải mẫu to-khai.docx").click()
    assert download.value.suggested_filename == "to-khai.docx"
    with open(download.value.path(), "rb") as handle:
        assert handle.read() == FORM
    context.close()
