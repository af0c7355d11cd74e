"""Printing: a Receptionist prints the receipt (page and PDF) with the look-up's QR
code; slips a dossier has not, and other people, get 404; the unit's tracking
register prints and downloads as Excel for its staff only."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from core.testing import ModelRequest, login
from plugins.onestop.tests.onestop_setup import province_app
from plugins.onestop.tests.test_onestop_model import counter


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("print") / "var"
    with province_app(data_dir) as application:
        model = ModelRequest(application)
        dossier = counter(model)
        application.dossier_code = dossier.code
        model.commit()
        model.close()
        yield application


def test_receipt_printed_by_the_receptionist_and_hidden_from_others(app, testapp):
    code = app.dossier_code
    url = f"/so-xay-dung/mot-cua/{code}/@@phieu/mau-01"
    testapp.get(url, status=404)  # anonymous: as if there were no such dossier
    login(testapp, "tiepnhan1")  # a receptionist of another unit
    testapp.get(url, status=404)
    testapp.get("/@@logout")
    login(testapp, "tiepnhan3")
    page = testapp.get(url)
    assert code in page.text and "Nguyễn Thị Lan" in page.text and "<svg" in page.text
    assert "Cấp giấy phép xây dựng" in page.text
    pdf = testapp.get(url + "?format=pdf")
    assert pdf.content_type == "application/pdf" and pdf.body.startswith(b"%PDF")
    testapp.get(f"/so-xay-dung/mot-cua/{code}/@@phieu/mau-04", status=404)  # no apology yet
    testapp.get(f"/so-xay-dung/mot-cua/{code}/@@phieu/mau-99", status=404)


def test_tracking_register_for_the_units_staff(app, testapp):
    url = "/so-xay-dung/mot-cua/@@so-theo-doi?from=2020-01-01&to=2020-12-31"
    testapp.get(url, status=404)
    login(testapp, "tiepnhan3")
    empty = testapp.get(url)
    assert app.dossier_code not in empty.text
    testapp.get("/so-xay-dung/mot-cua/@@so-theo-doi?from=2026-05-01&to=2026-04-01", status=400)
    testapp.get("/so-xay-dung/mot-cua/@@so-theo-doi?from=hom-qua", status=400)
    page = testapp.get("/so-xay-dung/mot-cua/@@so-theo-doi")
    assert app.dossier_code in page.text
    sheet = testapp.get("/so-xay-dung/mot-cua/@@so-theo-doi?format=xlsx")
    rows = list(load_workbook(io.BytesIO(sheet.body)).active.values)
    assert rows[0][0] == "Mã hồ sơ" and rows[1][0] == app.dossier_code
    login(testapp)  # a Manager reads who took the register
    found = testapp.get("/@audit", {"action": "export", "user": "tiepnhan3"},
                        headers={"Accept": "application/json"}).json  # fmt: skip
    assert [(r["target"], r["details"]["format"]) for r in found["items"][:2]] == [
        ("20001", "xlsx"),  # the unit code of Sở Xây dựng
        ("20001", "html"),
    ]
