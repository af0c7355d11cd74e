"""In a browser, on a phone: a citizen without an account submits a dossier online
with its files and looks it up with its code; a Receptionist receives it and
prints the receipt with its QR code."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.testing import USER_PASSWORD, served
from plugins.onestop.tests.onestop_setup import (
    APPLICANT,
    PDF,
    province_app,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("browser") / "var"
    scans = tmp_path_factory.mktemp("scans")
    (scans / "to-khai.pdf").write_bytes(PDF)
    with province_app(data_dir) as app, served(app) as url:
        yield url, scans / "to-khai.pdf"


def test_a_citizen_submits_online_and_a_receptionist_prints_the_receipt(portal, browser):
    url, scan = portal
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = phone.new_page()
    page.goto(f"{url}/xa-tan-phu/mot-cua/@@nop-ho-so?thu-tuc=1.000003")
    applicant = page.get_by_role("group", name="Người nộp hồ sơ (chủ hồ sơ)")
    applicant.get_by_label("Họ và tên").fill(APPLICANT["full_name"])
    applicant.get_by_label("Số giấy tờ").fill(APPLICANT["id_number"])
    applicant.get_by_label("Thư điện tử").fill(APPLICANT["email"])
    page.get_by_label("Tờ khai").set_input_files(str(scan))
    page.get_by_label("Nhận bản điện tử trực tuyến").check()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã nộp hồ sơ")
    code = page.locator(".onestop-dossier-code").inner_text()
    assert code.startswith("10001-")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("link", name="Tra cứu hồ sơ").click()
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_label("Số giấy tờ của người nộp").fill(APPLICANT["id_number"])
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("main")).to_contain_text("Mới đăng ký")
    phone.close()

    desk = browser.new_context(locale="vi-VN")
    page = desk.new_page()
    page.goto(f"{url}/@@login")
    page.get_by_label("Tên đăng nhập").fill("tiepnhan1")
    page.get_by_label("Mật khẩu").fill(USER_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{url}/xa-tan-phu/mot-cua")
    page.get_by_role("link", name=code).first.click()
    page.get_by_role("button", name="Tiếp nhận", exact=True).click()
    expect(page.locator("main")).to_contain_text("Được tiếp nhận")
    page.goto(page.url.split("?")[0].rstrip("/") + "/@@phieu/mau-01")
    expect(page.locator("body")).to_contain_text(code)
    expect(page.locator("svg").first).to_be_visible()
    expect(page.get_by_role("button", name="In")).to_be_visible()
    desk.close()
