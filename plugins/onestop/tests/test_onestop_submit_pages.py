"""The online form and the counter: a citizen hands a dossier in without an
account; bad input comes back with its messages and nothing stored; a
Receptionist receives or refuses at the counter."""

from __future__ import annotations

import webtest

from core.testing import ModelRequest
from plugins.onestop.tests.pages_setup import FORM, app, client, fill, pdf, submit_online

__all__ = ["app"]


def stored_codes(app) -> set[str]:
    model = ModelRequest(app)
    try:
        return set(model.site.onestop.codes)
    finally:
        model.close()


def test_the_procedure_page_links_to_the_online_form(app):
    page = client(app).get("/xa-tan-phu/@@thu-tuc/1.000003")
    assert page.html.select_one("a.btn-submit")["href"].endswith(
        "/xa-tan-phu/mot-cua/@@nop-ho-so?thu-tuc=1.000003"
    )


def test_a_citizen_submits_online_without_an_account(app):
    done = submit_online(client(app))
    code = done.html.select_one(".onestop-dossier-code").get_text()
    assert code.startswith("10001-") and code in stored_codes(app)
    assert "Mới đăng ký (1)" in done.html.select_one(".onestop-status").get_text()
    assert "tra-cuu?code=" + code in done.html.select_one("a.btn-primary")["href"]


def test_bad_input_comes_back_with_messages_and_nothing_stored(app):
    before = stored_codes(app)
    form = client(app).get(FORM).forms["dossier-form"]
    fill(form, id_number="12345", full_name="Trần Văn Nam")
    form["component-1"] = webtest.Upload("setup.exe", b"MZ\x90\x00" + bytes(60), "application/pdf")
    page = form.submit(status=400)
    summary = page.html.select_one("#error-summary").get_text(" ", strip=True)
    assert "12 chữ số" in summary and "Tờ khai" in summary and "Bản sao giấy tờ" in summary
    assert "chọn lại" in summary  # the files must be chosen again
    assert page.html.select_one("#form-applicant-id_number")["aria-invalid"] == "true"
    assert page.html.select_one("#form-applicant-full_name")["value"] == "Trần Văn Nam"
    assert page.html.select_one("#field-component-0 .error-message") is not None
    assert stored_codes(app) == before


def test_a_receptionist_receives_and_refuses_at_the_counter(app):
    desk = client(app, "tiepnhan1")
    form = desk.get("/xa-tan-phu/mot-cua/@@tiep-nhan?thu-tuc=1.000003").forms["dossier-form"]
    fill(form)
    form["component-0"] = pdf()
    form["return_method"] = "counter"
    form["decision"] = "receive"
    unchecked = form.submit(status=400)
    assert "Đánh dấu đã kiểm tra" in unchecked.html.select_one("#error-summary").get_text()
    form = unchecked.forms["dossier-form"]
    form["component-0"] = pdf()
    form["checked-0"] = True
    page = form.submit().follow()
    assert "Được tiếp nhận (2)" in page.html.select_one(".onestop-status").get_text()
    assert page.html.select_one("a[href$='@@phieu/mau-01']") is not None
    assert "Đã kiểm tra: Tờ khai" in page.html.select_one(".onestop-history").get_text()

    form = desk.get("/xa-tan-phu/mot-cua/@@tiep-nhan?thu-tuc=1.000003").forms["dossier-form"]
    fill(form)
    form["component-0"] = pdf()
    form["return_method"] = "counter"
    form["decision"] = "refuse"
    form["reason"] = "Tờ khai không có chữ ký"
    page = form.submit().follow()
    assert "Không được tiếp nhận (3)" in page.html.select_one(".onestop-status").get_text()
    assert "Tờ khai không có chữ ký" in page.html.select_one(".onestop-history").get_text()


def test_only_the_units_receptionists_use_the_counter(app):
    client(app, "tiepnhan3").get("/xa-tan-phu/mot-cua/@@tiep-nhan", status=403)
    client(app, "congdan").get("/xa-tan-phu/mot-cua/@@tiep-nhan?thu-tuc=1.000003", status=403)
