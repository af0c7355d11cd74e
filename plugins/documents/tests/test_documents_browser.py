"""In a browser: a clerk registers an incoming document with its scan and submits
it; the leader, on a phone, directs it to a specialist with a deadline in working
days; the clerk prints the handling slip."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.testing import USER_PASSWORD, served
from plugins.documents.tests.documents_setup import PDF, province_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("browser") / "var"
    scans = tmp_path_factory.mktemp("scans")
    (scans / "cong-van.pdf").write_bytes(PDF)
    with province_app(data_dir) as app, served(app) as url:
        yield url, scans / "cong-van.pdf"


def sign_in(context, url: str, login: str):
    page = context.new_page()
    page.goto(f"{url}/@@login")
    page.get_by_label("Tên đăng nhập").fill(login)
    page.get_by_label("Mật khẩu").fill(USER_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    return page


def test_a_clerk_registers_and_a_leader_directs(portal, browser):
    url, scan = portal
    desk = browser.new_context(locale="vi-VN")
    page = sign_in(desk, url, "vanthu1")
    page.goto(f"{url}/so-xay-dung/van-thu")
    page.get_by_role("link", name="Vào sổ văn bản đến").click()
    page.locator("#form-sender").fill("UBND tỉnh Sông Lam")
    page.get_by_label("Số, ký hiệu").fill("125/UBND-KT")
    page.get_by_label("Loại văn bản").select_option("cong-van")
    page.get_by_label("Trích yếu").fill("Về việc rà soát công trình xây dựng không phép")
    page.get_by_label("Độ khẩn").select_option("khan")
    page.get_by_label("Tệp đính kèm").set_input_files(str(scan))
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("main")).to_contain_text("Đã vào sổ văn bản đến số 1/")
    expect(page.get_by_role("link", name="cong-van.pdf")).to_be_visible()
    document_url = page.url
    page.get_by_role("button", name="Trình lãnh đạo").click()
    expect(page.locator("main")).to_contain_text("Trình lãnh đạo")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    leader = sign_in(phone, url, "lanhdao1")
    leader.goto(document_url)
    leader.get_by_label("Ý kiến chỉ đạo").fill("Giao chuyên viên rà soát, báo cáo trước hạn.")
    leader.get_by_label("Chủ trì xử lý").select_option(label="chuyenvien1")
    leader.get_by_label("hoặc số ngày làm việc").fill("5")
    leader.get_by_role("button", name="Chỉ đạo, giao xử lý").click()
    expect(leader.locator("main")).to_contain_text("Đã giao xử lý")
    expect(leader.locator("main")).to_contain_text("Giao chuyên viên rà soát")
    assert leader.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()

    page.goto(document_url.rstrip("/") + "/@@phieu-xu-ly")
    expect(page.locator("body")).to_contain_text("125/UBND-KT")
    expect(page.locator("body")).to_contain_text("Giao chuyên viên rà soát")
    desk.close()
