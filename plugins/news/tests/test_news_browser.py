"""An anonymous visitor, on a phone, opens a commune's announcements, reads an
important one with its validity window, and downloads its attachment."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core import main
from core.testing import ModelRequest, add, make_settings, served, upload
from subsites.provisioning import create_subsite

pytestmark = pytest.mark.browser

TITLE = "Thông báo lịch tiếp công dân quý II năm 2025"
PDF = b"%PDF-1.4 lich tiep cong dan " + b"x" * 2000


@pytest.fixture(scope="module")
def portal_url(tmp_path_factory):
    """A commune's site with an important announcement and its attachment, served
    by waitress."""
    app = main({}, **make_settings(tmp_path_factory.mktemp("var")))
    model = ModelRequest(app)
    try:
        site = create_subsite(
            model.request, model.site, {"title": "UBND xã Tân Phú", "unit_kind": "commune"}
        )
        notice = add(model, site["thong-bao"], "Announcement", "published", title=TITLE,
                     priority="important", effective="2025-03-25", expires="2099-06-30",
                     text="<p>Chủ tịch UBND xã tiếp công dân vào sáng thứ Năm hằng tuần.</p>")  # fmt: skip
        add(model, notice, "File", title="Lịch tiếp công dân",
            file=upload(PDF, "lich-tiep-cong-dan.pdf", "application/pdf"))  # fmt: skip
        model.commit()
        path = "/" + site.__name__ + "/"
    finally:
        model.close()
    with served(app) as url:
        yield url + path
    app.registry._zodb_databases[""].close()


def test_a_visitor_reads_an_announcement_and_downloads_its_attachment(portal_url, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    page.goto(portal_url + "thong-bao/")
    item = page.locator(".news-list li", has_text=TITLE)
    expect(item.locator(".badge")).to_have_text("Quan trọng")
    item.get_by_role("link", name=TITLE).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".validity")).to_contain_text("25/03/2025")
    expect(page.locator(".validity")).to_contain_text("30/06/2099")
    expect(page.get_by_text("sáng thứ Năm hằng tuần")).to_be_visible()
    attachments = page.get_by_role("region", name="Tệp đính kèm")
    link = attachments.get_by_role("link", name="Lịch tiếp công dân")
    expect(link).to_be_visible()
    expect(attachments).to_contain_text("KB")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "lich-tiep-cong-dan.pdf"
    with open(download.value.path(), "rb") as handle:
        assert handle.read() == PDF
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone
    context.close()
