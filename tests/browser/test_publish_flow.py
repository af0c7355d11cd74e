"""An editor logs in, writes a Page, publishes it; a visitor then reads it."""

import pytest

pytestmark = pytest.mark.browser


def test_login_create_publish_and_read_as_visitor(server_url, browser):
    editor = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = editor.new_page()
    page.goto(server_url + "/@@login")
    page.get_by_label("Tên đăng nhập").fill("admin")
    page.get_by_label("Mật khẩu").fill("admin")
    page.locator("#login-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("text=Đăng xuất").count() > 0

    page.goto(server_url + "/@@add?type=Page")
    page.get_by_label("Tiêu đề").fill("Lịch tiếp công dân tháng 12")
    page.get_by_label("Nội dung").fill("<p>Lãnh đạo tỉnh tiếp công dân vào thứ Năm hằng tuần.</p>")
    page.locator("form.form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith("/lich-tiep-cong-dan-thang-12")
    assert page.locator("h1").inner_text() == "Lịch tiếp công dân tháng 12"

    visitor = browser.new_context(locale="vi-VN")
    anonymous = visitor.new_page()
    anonymous.goto(server_url + "/lich-tiep-cong-dan-thang-12/")
    assert "@@login" in anonymous.url  # private: the visitor is asked to log in

    page.locator(".workflow-menu summary").click()  # the state menu opens
    page.locator(".workflow-menu").get_by_label("Ghi chú (không bắt buộc)").fill("Đã kiểm tra")
    page.get_by_role("button", name="Xuất bản").click()
    page.wait_for_load_state()
    assert "Đã xuất bản" in page.content()

    anonymous.goto(server_url + "/lich-tiep-cong-dan-thang-12/")
    assert anonymous.locator("h1").inner_text() == "Lịch tiếp công dân tháng 12"
    assert "thứ Năm hằng tuần" in anonymous.locator("main").inner_text()
    assert anonymous.locator("text=Đăng nhập").count() > 0  # still a visitor
    editor.close()
    visitor.close()
