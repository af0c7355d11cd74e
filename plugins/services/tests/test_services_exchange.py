"""Import and export of the procedure list: JSON, CSV and Excel, checked as a whole."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import Workbook, load_workbook

from core import operations
from core.tabular import ImportFailed, problem_text
from core.tabular.limits import DEFAULT_LIMITS, MAX_UNPACKED_BYTES
from core.workflow import workflow_of
from plugins.services.exchange.export import record_of, services_of, to_csv, to_json, to_xlsx
from plugins.services.exchange.importing import import_services
from plugins.services.exchange.reading import read_file, read_json
from plugins.services.tests.services_setup import published_catalog
from plugins.services.units import find_by_code
from plugins.services.vocabulary import add_field, field_items, find_field

FULL = {
    "title": "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
    "code": "1.009994",
    "description": "Cấp phép xây dựng nhà ở riêng lẻ tại đô thị.",
    "field": "xay-dung",
    "tier": "province",
    "agency": "Sở Xây dựng",
    "agency_code": "90005",
    "deciding_agency": "UBND tỉnh",
    "applicants": "Hộ gia đình, cá nhân",
    "steps": ["Nộp hồ sơ tại Bộ phận một cửa", "Thẩm định hồ sơ", "Trả kết quả"],
    "methods": [
        {"channel": "truc-tiep", "days": 15, "fee": "75.000 đồng", "note": "Kể từ ngày nhận đủ"},
        {"channel": "truc-tuyen", "days": 12.5, "fee": "", "note": ""},
    ],
    "components": [
        {"name": "Đơn đề nghị cấp phép", "copies": 1, "required": True, "template": "mau-01.docx"},
        {"name": "Bản vẽ thiết kế", "copies": 2, "required": False, "template": ""},
    ],
    "fees": [{"name": "Lệ phí cấp phép", "amount": 75000, "basis": "Thông tư 85/2019/TT-BTC"}],
    "conditions": "Phù hợp quy hoạch;\nCó quyền sử dụng đất hợp pháp.",
    "result": "Giấy phép xây dựng",
    "legal_basis": ["Luật Xây dựng 2014", "Nghị định 15/2021/NĐ-CP"],
    "address": "Trung tâm Phục vụ hành chính công tỉnh, 1 đường Trần Phú",
    "validity": "12 tháng",
    "level": 3,
    "online": "mot-phan",
}
SHORT = {
    "title": "Đăng ký khai sinh",
    "code": "1.001193",
    "field": "ho-tich",
    "tier": "commune",
    "agency": "UBND cấp xã",
    "methods": [{"channel": "truc-tiep", "days": 0.5}],
    "level": 4,
    "online": "toan-trinh",
}
LOCAL = {
    "title": "Xác nhận tình trạng hôn nhân",
    "code": "1.000948.H38",
    "field": "ho-tich",
    "tier": "commune",
    "agency": "UBND cấp xã",
    "methods": [{"channel": "buu-chinh", "days": 3, "fee": "15.000 đồng"}],
    "level": 2,
}


@pytest.fixture
def services(model):
    """The catalog with three procedures (one private), committed."""
    add_field(model.site, "Hoạt động xây dựng", "xay-dung")
    add_field(model.site, "Hộ tịch", "ho-tich")
    folder = published_catalog(model)
    for record, state in ((FULL, "published"), (SHORT, "published"), (LOCAL, None)):
        obj = operations.create(model.request, folder, "Service", record, "json")
        if state:
            workflow_of(model.request, obj).transition(model.request, obj, "publish")
    model.commit()
    return folder


def records(model, folder) -> list[dict]:
    return [record_of(model.request, s) for s in services_of(model.request, folder)]


def count(folder) -> int:
    return len(list(folder.keys()))


def delete_all(model, folder):
    for name in list(folder.keys()):
        operations.delete(model.request, folder[name])
    model.commit()


MAX_ROWS = DEFAULT_LIMITS.max_rows


def read_csv(data: bytes):
    return read_file(data, "danh-sach.csv")


def read_xlsx(data: bytes):
    return read_file(data, "danh-sach.xlsx")


WRITERS = {"json": (to_json, read_json), "csv": (to_csv, read_csv), "xlsx": (to_xlsx, read_xlsx)}


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_an_export_imports_back_to_the_same_records(model, services, kind):
    write, read = WRITERS[kind]
    before = records(model, services)
    assert [r["code"] for r in before] == ["1.000948.H38", "1.001193", "1.009994"]
    data = write(model.request, services_of(model.request, services))

    again = import_services(model.request, services, read(data))
    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 3)

    delete_all(model, services)
    summary = import_services(model.request, services, read(data))
    model.commit()
    assert sorted(summary.created) == ["1.000948.H38", "1.001193", "1.009994"]
    assert records(model, services) == before
    assert find_by_code(model.site, "1.000948.H38").workflow_state == "private"


def test_a_spreadsheet_export_has_labels_and_choice_labels(model, services):
    book = load_workbook(io.BytesIO(to_xlsx(model.request, services_of(model.request, services))))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header = dict(zip(rows[0], rows[3], strict=True))
    assert header["Mã thủ tục"] == "1.009994"
    assert header["Lĩnh vực"] == "Hoạt động xây dựng"
    assert header["Cấp thực hiện"] == "Cấp tỉnh"
    assert header["Mức độ dịch vụ công trực tuyến"] == "Mức độ 3: nộp hồ sơ trực tuyến"
    assert header["Dịch vụ công trực tuyến"] == "Một phần"
    assert header["Cách thức thực hiện"] == (
        "Trực tiếp | 15 | 75.000 đồng | Kể từ ngày nhận đủ\nTrực tuyến | 12,5"
    )
    assert header["Trạng thái"] == "Đã xuất bản"


def csv_bytes(*lines: str, bom: bool = False, sep: str = ",") -> bytes:
    text = "\r\n".join(lines) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


HEADER = "code,title,field,tier,agency,methods,level,online"


def test_bad_rows_are_all_reported_by_line_and_nothing_changes(model, services):
    data = csv_bytes(
        HEADER,
        "1.002001,Thủ tục mới,Hộ tịch,Cấp xã,UBND xã,Trực tiếp | 5,1,",
        "1.009994,Tên mới,xay-dung,province,Sở Xây dựng,Trực tiếp | 15,5,",  # line 3: level
        "1.00200,Mã sai,ho-tich,commune,UBND xã,Trực tiếp | 5,1,",  # line 4: code
        "",
        "1.002002,Thủ tục,Không có,commune,UBND xã,Fax | 5,3,",  # line 6: field, methods
        "1.002001,Trùng mã,ho-tich,commune,UBND xã,Trực tiếp | 5,1,",  # line 7: twice
    )
    stored = record_of(model.request, find_by_code(model.site, "1.009994"))
    with pytest.raises(ImportFailed) as failed:
        import_services(model.request, services, read_csv(data))
    texts = [problem_text(model.request, p) for p in failed.value.problems]
    assert texts[0] == (
        "Dòng 3 (1.009994), Mức độ dịch vụ công trực tuyến: Mức độ phải là 1, 2, 3 hoặc 4."
    )
    assert [(p.line, str(p.label)) for p in failed.value.problems] == [
        (3, "Mức độ dịch vụ công trực tuyến"),
        (4, "Mã thủ tục"),
        (6, "Lĩnh vực"),
        (6, "Cách thức thực hiện"),
        (7, "Mã thủ tục"),
    ]
    assert "Dòng 7 (1.002001), Mã thủ tục: Mã “1.002001” đã có ở dòng 2." in texts
    model.commit()
    assert count(services) == 3
    assert find_by_code(model.site, "1.002001") is None
    assert record_of(model.request, find_by_code(model.site, "1.009994")) == stored
    assert find_field(model.site, "Không có") is None


def test_an_existing_code_is_updated_in_place(model, services):
    service = find_by_code(model.site, "1.001193")
    uid, name = service.uid, service.__name__
    data = csv_bytes(
        "Mã thủ tục,Tên thủ tục,Mức độ dịch vụ công trực tuyến,Dịch vụ công trực tuyến",
        "1.001193,Đăng ký khai sinh (sửa),Mức độ 3,Một phần",
        "1.009994,Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ,3,mot-phan",
    )
    summary = import_services(model.request, services, read_csv(data))
    model.commit()
    assert (summary.updated, summary.unchanged) == (["1.001193"], ["1.009994"])
    service = find_by_code(model.site, "1.001193")
    assert (service.uid, service.__name__) == (uid, name)
    assert (service.title, service.level, service.online) == (
        "Đăng ký khai sinh (sửa)",
        3,
        "mot-phan",
    )
    assert service.methods == ({"channel": "truc-tiep", "days": 0.5, "fee": "", "note": ""},)
    assert count(services) == 3


def test_fields_are_created_only_when_asked(model, services):
    data = csv_bytes(HEADER, "1.003001,Cấp phiếu lý lịch tư pháp,Lý lịch tư pháp,province,"
                             "Sở Tư pháp,Trực tuyến | 10,4,toan-trinh")  # fmt: skip
    with pytest.raises(ImportFailed) as failed:
        import_services(model.request, services, read_csv(data))
    assert [p.line for p in failed.value.problems] == [2]
    summary = import_services(model.request, services, read_csv(data), create_fields=True)
    model.commit()
    assert summary.fields == [("ly-lich-tu-phap", "Lý lịch tư pháp")]
    assert find_by_code(model.site, "1.003001").field == "ly-lich-tu-phap"
    assert ("ly-lich-tu-phap", "Lý lịch tư pháp") in field_items(model.site)


def test_json_fields_give_the_slugs_and_labels_of_new_fields(model, services):
    record = {**SHORT, "code": "1.004001", "field": "chung-thuc", "state": "private"}
    document = {"format": "cong-services/1", "fields": [{"id": "chung-thuc",
                "title": "Chứng thực"}], "services": [record]}  # fmt: skip
    data = json.dumps(document).encode()
    summary = import_services(model.request, services, read_json(data), create_fields=True)
    assert summary.fields == [("chung-thuc", "Chứng thực")]
    assert find_by_code(model.site, "1.004001").workflow_state == "private"


def test_semicolon_csv_with_a_byte_order_mark(model, services):
    data = csv_bytes(
        HEADER.replace(",", ";"),
        "1.005001;Thủ tục;ho tich;Cấp xã;UBND xã;Trực tiếp | 3 | 10.000 đồng;2;",
        bom=True,
    )
    summary = import_services(model.request, services, read_file(data, "danh-sach.csv"))
    model.commit()
    assert summary.created == ["1.005001"]
    service = find_by_code(model.site, "1.005001")
    assert (service.field, service.tier, service.level) == ("ho-tich", "commune", 2)
    assert service.workflow_state == "published"


def test_a_dry_run_changes_nothing(model, services):
    data = csv_bytes(HEADER, "1.006001,Thủ tục,ho-tich,commune,UBND xã,Trực tiếp | 3,1,")
    summary = import_services(model.request, services, read_csv(data), dry_run=True)
    model.commit()
    assert summary.created == ["1.006001"] and summary.dry_run
    assert find_by_code(model.site, "1.006001") is None


def test_excel_numbers_and_formulas_are_read_as_values(model, services):
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "title", "field", "tier", "agency", "methods", "level", "online"])
    sheet.append([1.0071, "Thủ tục", "ho-tich", "commune", "UBND xã", "Trực tiếp | 15", 3.0,
                  "toan-trinh"])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    summary = import_services(model.request, services, read_file(buffer.getvalue()))
    assert summary.created == ["1.007100"]
    assert find_by_code(model.site, "1.007100").level == 3


def test_unknown_and_missing_columns_are_named():
    with pytest.raises(ImportFailed) as failed:
        read_csv(csv_bytes("Tên thủ tục,Ghi chú,Số điện thoại", "a,b,c"))
    texts = [str(p.message.mapping) for p in failed.value.problems]
    assert "Ghi chú, Số điện thoại" in texts[0]
    assert "code" in texts[1]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b'{"services": [', "bad.json"),
        (b"\xff\xfe\x00garbage", "list.csv"),
        (b"PK\x03\x04 not really a zip", "list.xlsx"),
        (b'{"format": "other/2", "services": []}', "list.json"),
        (b'[{"code": "1.000001", "colour": "red"}]', "list.json"),
        (b"[1, 2]", "list.json"),
        (b"[" * 100_000 + b"]" * 100_000, "deep.json"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", "list.xls"),
    ],
)
def test_files_that_cannot_be_read_are_refused(data, name):
    with pytest.raises(ImportFailed) as failed:
        read_file(data, name)
    assert failed.value.problems


def test_more_than_ten_thousand_rows_are_refused():
    rows = [f"1.{n:06d},Thủ tục {n}" for n in range(MAX_ROWS + 1)]
    with pytest.raises(ImportFailed) as failed:
        read_csv(csv_bytes("code,title", *rows))
    assert "10.000" in str(failed.value.problems[0].message.mapping)
    read_csv(csv_bytes("code,title", *rows[:MAX_ROWS]))  # exactly the limit is read


def test_a_contributor_adds_private_procedures_but_edits_nothing_published(model, services):
    user = model.site.principals.add_user("ctv", "mat-khau-ctv-1", "Cộng tác viên", "")
    user.roles.add("Contributor")
    model.act_as("ctv")
    data = csv_bytes(
        HEADER + ",state",
        "1.008001,Thủ tục mới,ho-tich,commune,UBND xã,Trực tiếp | 3,1,,",
        "1.001193,Đăng ký khai sinh (sửa),ho-tich,commune,UBND xã,Trực tiếp | 3,4,toan-trinh,",
        "1.008002,Thủ tục khác,ho-tich,commune,UBND xã,Trực tiếp | 3,1,,Đã xuất bản",
    )
    with pytest.raises(ImportFailed) as failed:
        import_services(model.request, services, read_csv(data))
    assert [(p.line, str(p.label)) for p in failed.value.problems] == [
        (3, "Mã thủ tục"),
        (4, "Trạng thái"),
    ]
    summary = import_services(model.request, services, read_csv(data.split(b"\r\n1.001193")[0]))
    assert summary.created == ["1.008001"]
    assert find_by_code(model.site, "1.008001").workflow_state == "private"


def test_a_workbook_unpacking_to_too_much_is_refused_unread():
    import zipfile

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"\0" * (MAX_UNPACKED_BYTES + 1))
    assert len(bomb.getvalue()) < MAX_UNPACKED_BYTES // 500  # small on the wire
    with pytest.raises(ImportFailed) as failed:
        read_xlsx(bomb.getvalue())
    assert failed.value.problems[0].message.mapping == {"n": 256}


def test_csv_cells_a_spreadsheet_would_run_are_guarded_and_read_back(model, services):
    service = find_by_code(model.site, "1.001193")
    values = {"title": '=HYPERLINK("http://x") khai sinh', "description": "@SUM(A1) - ghi chú"}
    operations.edit(model.request, service, values, partial=True)
    data = to_csv(model.request, services_of(model.request, services))
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text
    assert "\n=" not in text and ",=" not in text
    again = import_services(model.request, services, read_csv(data))
    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 3)
