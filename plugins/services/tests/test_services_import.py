"""The catalog's import form and exports, through the web, on the known catalog of
plugins/services/tests/services_setup.py (nine published procedures, one private)."""

from __future__ import annotations

import io
import json
from importlib import resources

import pytest
from openpyxl import load_workbook

from core.testing import login, run_cong, web, write_ini
from plugins.services.tests.services_setup import known_catalog, published_catalog
from plugins.services.units import find_by_code

CATALOG = "/thu-tuc-hanh-chinh"
IMPORT = CATALOG + "/@@nhap"
HEADER = (
    "Mã thủ tục,Tên thủ tục,Lĩnh vực,Cấp thực hiện,Cơ quan thực hiện,Cách thức thực hiện,"
    "Mức độ dịch vụ công trực tuyến"
)


@pytest.fixture
def known(model):
    return known_catalog(model)


def csv_file(*rows: str) -> bytes:
    return "\r\n".join([HEADER, *rows]).encode("utf-8")


def submit(client, data: bytes, filename: str, status: int, **options):
    form = client.get(IMPORT).forms["services-import-form"]
    form["file"] = (filename, data)
    for name, value in options.items():
        form[name] = value
    return form.submit(status=status)


def stored(model, code: str):
    model.request.tm.abort()
    model.request.tm.begin()
    return find_by_code(model.site, code)


def test_an_upload_adds_and_updates_procedures(admin, known, model):
    data = csv_file(
        "1.000101,Đăng ký kết hôn,Hộ tịch,Cấp xã,UBND cấp xã,Trực tiếp | 3,2",
        "1.000001,Thủ tục số 01 (sửa),ho-tich,commune,UBND cấp xã,Trực tiếp | 5,1",
    )
    page = submit(admin, data, "danh-sach.csv", 302).follow()
    assert "Đã nhập: thêm 1 thủ tục, cập nhật 1, 0 không đổi; 0 lĩnh vực mới." in page.text
    assert stored(model, "1.000101").workflow_state == "published"
    assert stored(model, "1.000001").title == "Thủ tục số 01 (sửa)"


def test_bad_rows_are_listed_by_line_and_nothing_is_stored(admin, known, model):
    data = csv_file(
        "1.000102,Thủ tục đúng,ho-tich,commune,UBND cấp xã,Trực tiếp | 3,1",
        "1.000103,Thủ tục sai,ho-tich,commune,UBND cấp xã,Trực tiếp | 3,7",
        "1.000104,Lĩnh vực lạ,Đất đai,commune,UBND cấp xã,Trực tiếp | 3,1",
    )
    page = submit(admin, data, "danh-sach.csv", 400)
    problems = [li.get_text(strip=True) for li in page.html.select(".import-problems li")]
    assert problems == [
        "Dòng 3 (1.000103), Mức độ dịch vụ công trực tuyến: Mức độ phải là 1, 2, 3 hoặc 4.",
        "Dòng 4 (1.000104), Lĩnh vực: Lĩnh vực “Đất đai” chưa có trong danh mục lĩnh vực.",
    ]
    assert stored(model, "1.000102") is None


def test_a_dry_run_shows_the_counts_and_stores_nothing(admin, known, model):
    data = csv_file("1.000105,Đất đai mới,Đất đai,commune,UBND cấp xã,Trực tiếp | 3,1")
    page = submit(admin, data, "a.csv", 200, dry_run=True, create_fields=True)
    assert "sẽ thêm 1 thủ tục, cập nhật 0, 0 không đổi; 1 lĩnh vực mới" in page.text
    assert stored(model, "1.000105") is None


@pytest.mark.parametrize(
    ("data", "filename"),
    [(b"{not json", "a.json"), (b"PK\x03\x04broken", "a.xlsx"), (b"\xff\xfe\x00\x01", "a.csv")],
)
def test_a_file_that_cannot_be_read_gets_a_400_with_a_message(admin, known, data, filename):
    page = submit(admin, data, filename, 400)
    assert page.html.select(".import-problems li")


def test_a_file_over_the_size_limit_gets_a_400_and_stores_nothing(tmp_path):
    rows = [
        f"1.{n:06d},Thủ tục {n},ho-tich,commune,UBND cấp xã,Trực tiếp | 3,1" for n in range(16_000)
    ]
    data = csv_file(*rows)
    assert 2**20 < len(data) < 2 * 2**20  # within cong.max_upload_mb (2 in the tests)
    with web(tmp_path / "var", **{"cong.import_max_mb": "1"}) as client:
        login(client)
        page = submit(client, data, "lon.csv", 400)
        problems = [li.get_text(strip=True) for li in page.html.select(".import-problems li")]
        assert problems == ["Dòng 1: Tệp quá lớn: tối đa 1 MB."]
        assert client.get(CATALOG + "/1.000000", status=404)


def test_a_forged_token_is_refused(admin, known, model):
    data = csv_file("1.000106,Thủ tục,ho-tich,commune,UBND cấp xã,Trực tiếp | 3,1")
    response = admin.post(
        IMPORT,
        {"csrf_token": "forged"},
        upload_files=[("file", "a.csv", data)],
        status="4*",
    )
    assert response.status_int in (400, 403)
    assert stored(model, "1.000106") is None


def test_anonymous_visitors_cannot_import(testapp, known):
    response = testapp.get(IMPORT, status="*")
    assert response.status_int in (302, 403)
    assert "@@login" in response.headers.get("Location", "@@login")


def test_visitors_download_the_published_list(testapp, known):
    response = testapp.get(CATALOG + "/@@xuat-json")
    assert response.content_type == "application/json"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="thu-tuc-hanh-chinh.json"'
    )
    codes = [record["code"] for record in json.loads(response.body)["services"]]
    assert codes == [f"1.00000{n}" for n in range(1, 10)]  # not the private 1.000010

    csv_response = testapp.get(CATALOG + "/@@xuat-csv", {"field": "xay-dung", "level": "3"})
    assert csv_response.content_type == "text/csv"
    lines = csv_response.body.decode("utf-8-sig").splitlines()
    assert [line.split(",")[1] for line in lines[1:]] == ["1.000005", "1.000006"]

    excel = testapp.get(CATALOG + "/@@xuat-excel")
    assert excel.content_type.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(excel.body)).worksheets[0]
    assert sheet.max_row == 10
    assert testapp.get(CATALOG + "/@@xuat-csv", {"level": "9"}, status=400)


def test_the_admin_exports_the_private_procedure_too(admin, known):
    body = admin.get(CATALOG + "/@@xuat-json").body
    assert len(json.loads(body)["services"]) == 10


# the command line -------------------------------------------------------------------------
@pytest.fixture
def cli_site(tmp_path):
    """A new site, run by the command line only: the services plugin made its empty
    catalog the first time it ran (no demo needed)."""
    return write_ini(tmp_path, cong_plugins="news services")


def test_the_command_line_imports_and_exports(cli_site, tmp_path, capsys):
    good = tmp_path / "tot.csv"
    good.write_bytes(
        csv_file("1.000201,Đăng ký kết hôn,Hộ tịch,Cấp xã,UBND cấp xã,Trực tiếp | 3,2")
    )
    refused = run_cong(capsys, cli_site, "services", "import", str(good))
    assert refused.status == 1
    assert "Line 2 (1.000201), Field:" in refused.err  # the command line speaks English

    dry = run_cong(
        capsys, cli_site, "services", "import", str(good), "--create-fields", "--dry-run"
    )
    assert dry.status == 0 and "would add 1 procedure(s)" in dry.out
    done = run_cong(capsys, cli_site, "services", "import", str(good), "--create-fields")
    assert done.out.strip() == (
        "Imported: added 1 procedure(s), updated 0, 0 unchanged; 1 new field(s)."
    )
    assert "Writing [" in done.err and "1/1" in done.err  # the progress bar

    out = tmp_path / "ra.xlsx"
    exported = run_cong(capsys, cli_site, "services", "export", "--format", "xlsx", "-o", str(out))
    assert exported.out.strip() == f"Exported 1 procedure(s) to {out}."
    rows = list(load_workbook(out).worksheets[0].iter_rows(values_only=True))
    assert rows[1][:2] == ("Đăng ký kết hôn", "1.000201")
    again = run_cong(capsys, cli_site, "services", "import", str(out))
    assert "updated 0, 1 unchanged" in again.out
    listing = run_cong(capsys, cli_site, "services", "export")
    assert json.loads(listing.out)["fields"] == [{"id": "ho-tich", "title": "Hộ tịch"}]


# the demo's sample catalog ------------------------------------------------------------------
TINY_SAMPLE = {
    "format": "cong-services/1",
    "fields": [{"id": "ho-tich", "title": "Hộ tịch"}],
    "services": [
        {
            "title": "Đăng ký thường trú",
            "code": "1.004222",
            "field": "ho-tich",
            "tier": "commune",
            "agency": "Công an cấp xã",
            "methods": [{"channel": "truc-tuyen", "days": 7}],
            "components": [
                {"name": "Tờ khai", "copies": 1, "required": True, "template": "ct01.docx"}
            ],
            "level": 4,
            "online": "toan-trinh",
        }
    ],
    "forms": {
        "ct01.docx": {
            "title": "Tờ khai thay đổi thông tin cư trú",
            "paragraphs": ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Họ và tên: ........"],
        }
    },
}


def test_a_sample_brings_its_procedures_and_their_forms(testapp, model):
    from docx import Document

    from plugins.services.demo import load_sample

    folder = published_catalog(model)  # the services plugin's own
    skipped = []
    data = json.dumps(TINY_SAMPLE).encode()
    load_sample(model.request, folder, data, lambda what, why: skipped.append((what, why)))
    model.commit()
    assert skipped == []
    download = testapp.get(CATALOG + "/1.004222/ct01.docx/@@download")
    paragraphs = [p.text for p in Document(io.BytesIO(download.body)).paragraphs]
    assert paragraphs == [
        "Tờ khai thay đổi thông tin cư trú",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Họ và tên: ........",
    ]


@pytest.fixture(scope="module")
def demo_site(demo_copy):
    """A site with the demo portal (and its sample catalog) loaded."""
    return demo_copy() / "var"


def test_the_demo_catalog_has_the_sample_procedures_and_forms(demo_site):
    from docx import Document

    sample = json.loads(resources.files("etc.services").joinpath("sample.json").read_text("utf-8"))
    published = sorted(
        s["code"] for s in sample["services"] if s.get("state", "published") == "published"
    )
    with web(demo_site) as client:
        listing = json.loads(client.get(CATALOG + "/@@xuat-json").body)
        assert [s["code"] for s in listing["services"]] == published
        assert len(listing["fields"]) == len(sample["fields"])
        service = next(
            s for s in listing["services"] if any(c["template"] for c in s["components"])
        )
        name = next(c["template"] for c in service["components"] if c["template"])
        download = client.get(f"{CATALOG}/{service['code']}/{name}/@@download")
        document = Document(io.BytesIO(download.body))
        assert document.paragraphs[0].text == sample["forms"][name]["title"]
