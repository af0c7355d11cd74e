"""Adding and editing a procedure through the generic forms: the field list from
the site's vocabulary, tables written one row a line, errors next to their field."""

from __future__ import annotations

import pytest

from plugins.services.tests.services_setup import published_catalog
from plugins.services.units import find_by_code
from plugins.services.vocabulary import add_field

CATALOG = "/thu-tuc-hanh-chinh/"


@pytest.fixture
def catalog_folder(model):
    add_field(model.site, "Hộ tịch", "ho-tich")
    add_field(model.site, "Đường bộ", "duong-bo")
    folder = published_catalog(model)
    model.commit()
    return folder


def fill(form, **values):
    for name, value in values.items():
        form[name] = value
    return form


def test_an_editor_adds_a_procedure_with_the_form(admin, catalog_folder, site_access):
    form = admin.get(CATALOG + "@@add?type=Service").forms["content-form"]
    options = [value for value, _selected, _text in form["field"].options if value]
    assert options == ["duong-bo", "ho-tich"]  # the vocabulary, by label
    fill(
        form,
        title="Đăng ký khai sinh",
        code="1.001193",
        field="ho-tich",
        tier="commune",
        agency="UBND cấp xã",
        steps="Nộp hồ sơ\nCông chức tư pháp kiểm tra\nTrả kết quả",
        methods="Trực tiếp | 1 | Miễn lệ phí\nTrực tuyến | 0,5",
        components="Tờ khai | 1 | có | to-khai.docx\nGiấy chứng sinh | 1",
        fees="Lệ phí | 0 | Thông tư 85/2019/TT-BTC",
        level="3",
        online="mot-phan",
    )
    page = form.submit().follow()
    assert page.request.path == CATALOG + "1.001193/"
    with site_access() as site:
        service = find_by_code(site, "1.001193")
        assert service.methods[1] == {"channel": "truc-tuyen", "days": 0.5, "fee": "", "note": ""}
        assert service.components[1]["required"] is True
    edit = admin.get(CATALOG + "1.001193/@@edit").forms["content-form"]
    assert edit["methods"].value == "Trực tiếp | 1 | Miễn lệ phí\nTrực tuyến | 0,5"
    assert edit["components"].value == "Tờ khai | 1 | có | to-khai.docx\nGiấy chứng sinh | 1 | có"


def test_a_bad_row_is_shown_next_to_its_field_and_nothing_is_stored(admin, catalog_folder):
    form = admin.get(CATALOG + "@@add?type=Service").forms["content-form"]
    fill(form, title="Cấp đổi giấy phép lái xe", code="1.002804", field="duong-bo",
         tier="province", agency="Công an tỉnh", level="2",
         methods="Trực tiếp | 5\nTrực tuyến | năm ngày")  # fmt: skip
    page = form.submit()  # the form comes back, with its errors
    error = page.html.select_one("#field-methods .error-message").get_text(" ", strip=True)
    assert "Dòng 2: Thời hạn giải quyết: Thời hạn phải là số ngày làm việc" in error
    assert page.forms["content-form"]["methods"].value == "Trực tiếp | 5\nTrực tuyến | năm ngày"
    assert page.forms["content-form"]["level"].value == "2"  # what was chosen stays chosen
    admin.get(CATALOG + "1.002804/", status=404)
    english = admin.post(CATALOG + "@@add?type=Service&lang=en", dict(form.submit_fields()))
    message = english.html.select_one("#field-methods .error-message").get_text(" ", strip=True)
    assert "Line 2: Processing time:" in message and "${" not in message
