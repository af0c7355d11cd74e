"""core.tabular, reading: CSV (BOM, ``;``), Excel workbooks made here with
openpyxl, JSON lists; headers matched to columns; every unreadable file a problem
with its line, never a crash; size limits."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import Workbook
from pyramid.i18n import make_localizer

import core
from core.fields import Choice, Date, TextLine
from core.i18n import Localizer, _
from core.settings import SettingsError, read_settings
from core.tabular import (
    DEFAULT_LIMITS,
    Columns,
    ImportFailed,
    Limits,
    file_format,
    limits_of,
    problem_text,
    read_limited,
    read_rows,
)
from core.tabular.limits import MB
from core.tabular.writers import csv_bytes, xlsx_bytes

FIELDS = (
    TextLine("code", _("Mã sách"), required=True),
    TextLine("title", _("Tên sách"), required=True),
    Date("issued", _("Ngày ban hành")),
    Choice("kind", _("Loại"), vocabulary=(("book", _("Sách")), ("map", _("Bản đồ")))),
)
COLUMNS = Columns.of_fields(FIELDS, required=("code", "title"), key="code")


def request_in(language: str):
    """A request's language as the application has it (core.i18n's Localizer)."""
    folder = str(Path(core.__file__).parent / "locale")
    return SimpleNamespace(
        localizer=Localizer(language, make_localizer(language, [folder]).translations)
    )


def refused(data: bytes, filename: str = "", limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """The problems of a file that cannot be read, as people read them."""
    with pytest.raises(ImportFailed) as failed:
        read_rows(data, filename, COLUMNS, limits)
    return [problem_text(request_in("vi"), p) for p in failed.value.problems]


def workbook(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# CSV -----------------------------------------------------------------------------------
def test_semicolon_csv_with_a_byte_order_mark_is_read():
    data = "\ufeffMã sách;Tên sách;Loại\r\nS-1;Truyện Kiều;book\r\n\r\nS-2; Bản đồ tỉnh ;map\r\n"
    rows = read_rows(data.encode("utf-8"), "sach.csv", COLUMNS)
    assert [(row.line, row.values, row.source) for row in rows] == [
        (2, {"code": "S-1", "title": "Truyện Kiều", "kind": "book"}, "form"),
        (4, {"code": "S-2", "title": "Bản đồ tỉnh", "kind": "map"}, "form"),  # blank line 3
    ]


def test_headers_name_columns_by_name_or_label_accents_and_case_aside():
    data = 'MA SACH,  tên   SÁCH ,issued\nS-1,"Hai\ndòng",2024-01-02\nS-2,Ba,\n'.encode()
    rows = read_rows(data, "", COLUMNS)
    assert rows[0].values == {"code": "S-1", "title": "Hai\ndòng", "issued": "2024-01-02"}
    assert rows[1].line == 3  # a row of the sheet, as a spreadsheet counts them


def test_a_header_that_does_not_name_the_columns_is_refused_on_line_1():
    texts = refused(b"code,Ghi chu,code,kind\nS-1,x,S-1,book\n")
    assert texts[0].startswith("Dòng 1: Cột không có trong danh sách: Ghi chu (các cột: Mã sách")
    assert texts[1:] == [
        "Dòng 1: Cột lặp lại: Mã sách (code).",
        "Dòng 1: Thiếu cột: Tên sách (title).",
    ]


def test_cells_beyond_the_header_or_under_an_unnamed_column_are_refused():
    texts = refused(b"code,title,,kind\nS-1,A,,book\nS-2,B,x,map\nS-3,C,,book,extra\n")
    assert texts == [
        "Dòng 3: Có dữ liệu ở cột không có tên.",
        "Dòng 4: Dòng có 5 cột, tiêu đề có 4 cột.",
    ]


def test_malformed_utf8_is_a_problem_with_its_line_not_a_crash():
    data = "code,title\nS-1,Một\nS-2,Hai".encode() + b"\xff\xfe\n"
    assert refused(data, "sach.csv") == ["Dòng 3: Tệp không phải văn bản UTF-8."]
    english = request_in("en")
    with pytest.raises(ImportFailed) as failed:
        read_rows(data, "sach.csv", COLUMNS)
    assert problem_text(english, failed.value.problems[0]).startswith("Line 3: ")


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (b"", "a.csv", "Tệp trống"),
        (b"\n\n", "a.csv", "Tệp trống"),
        (b"PK\x03\x04 not a zip", "a.xlsx", "Không đọc được tệp Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old", "a.xls", ".xls"),
        (b'[{"code": "S-1"', "a.json", "Tệp JSON không hợp lệ (dòng 1)"),
        (b"[" * 100_000 + b"]" * 100_000, "a.json", "lồng quá sâu"),
        (b'{"code": "S-1"}', "a.json", "danh sách các đối tượng"),
        (b'\xef\xbb\xbf["S-1"]', "", "Dòng 1: Mỗi bản ghi phải là một đối tượng JSON."),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_a_message(data, filename, words):
    texts = refused(data, filename)
    assert len(texts) == 1 and words in texts[0]


# Excel ---------------------------------------------------------------------------------
def test_the_first_sheet_of_a_workbook_is_read_as_text():
    data = workbook(
        ["Mã sách", "Tên sách", "Ngày ban hành", "Loại"],
        [101.0, "  Truyện Kiều ", datetime(2024, 3, 5), "book"],
        [None, None, None, None],
        ["S-2", 3.5, date(2025, 1, 2), True],
    )
    rows = read_rows(data, "sach.xlsx", COLUMNS)
    assert [(row.line, row.values) for row in rows] == [
        (2, {"code": "101", "title": "Truyện Kiều", "issued": "2024-03-05", "kind": "book"}),
        (4, {"code": "S-2", "title": "3.5", "issued": "2025-01-02", "kind": "có"}),
    ]
    assert file_format(data) == "xlsx"  # without a name: by its content


def test_a_workbook_unpacking_to_too_much_is_refused_before_it_is_read():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (MB + 1))
    assert len(bomb.getvalue()) < 10_000  # small on the wire
    texts = refused(bomb.getvalue(), "a.xlsx", Limits(max_unpacked_bytes=MB))
    assert texts == ["Dòng 1: Tệp Excel quá lớn khi giải nén (tối đa 1 MB)."]


# JSON ----------------------------------------------------------------------------------
def test_a_json_list_of_objects_gives_rows_of_json_values():
    records = [{"code": "S-1", "title": "Một", "kind": "book"}, {"code": 2, "title": ["x"]}]
    rows = read_rows(json.dumps(records).encode(), "sach.json", COLUMNS)
    assert [(row.line, row.values, row.source) for row in rows] == [
        (1, records[0], "json"),
        (2, records[1], "json"),  # the fields' own checks refuse the values later
    ]


def test_unknown_json_keys_are_named_with_the_record():
    data = json.dumps([{"code": "S-1", "title": "Một"}, {"code": "S-2", "colour": "đỏ"}])
    (text,) = refused(data.encode())
    assert text.startswith("Dòng 2 (S-2): Khóa không có trong danh sách: colour (các khóa:")


# size limits ---------------------------------------------------------------------------
def test_a_file_over_the_byte_limit_is_refused_and_not_read_further():
    data = b"code,title\n" + b"S-1,Mot\n" * (MB // 8 + 1)
    stream = io.BytesIO(data)
    limits = Limits(max_bytes=MB)
    with pytest.raises(ImportFailed) as failed:
        read_limited(stream, limits)
    assert stream.tell() == MB + 1
    assert problem_text(request_in("vi"), failed.value.problems[0]) == (
        "Dòng 1: Tệp quá lớn: tối đa 1 MB."
    )
    assert read_limited(io.BytesIO(data[:MB]), limits) == data[:MB]
    assert refused(data, "a.csv", limits) == ["Dòng 1: Tệp quá lớn: tối đa 1 MB."]


@pytest.mark.parametrize("kind", ["csv", "xlsx", "json"])
def test_more_rows_than_the_limit_are_refused_in_every_format(kind):
    records = [{"code": f"S-{n}", "title": "Sách"} for n in range(4)]
    table = [["code", "title"], *([r["code"], r["title"]] for r in records)]
    write = {
        "csv": lambda rows: csv_bytes(rows),
        "xlsx": lambda rows: xlsx_bytes(rows, "Sách"),
        "json": lambda rows: json.dumps(records[: len(rows) - 1]).encode(),
    }[kind]
    limits = Limits(max_rows=3)
    texts = refused(write(table), f"a.{kind}", limits)
    assert texts == ["Dòng 1: Tệp có hơn 3 dòng dữ liệu: hãy chia thành nhiều tệp."]
    assert len(read_rows(write(table[:4]), f"a.{kind}", COLUMNS, limits)) == 3


def test_the_limits_come_from_the_settings():
    def registry(**settings):
        return SimpleNamespace(settings={"cong": read_settings(settings)})

    assert limits_of(registry()) == Limits(max_bytes=50 * MB, max_rows=10_000)
    small = registry(**{"cong.import_max_mb": "2", "cong.import_max_rows": "7"})
    assert limits_of(small) == Limits(max_bytes=2 * MB, max_rows=7)
    with pytest.raises(SettingsError):
        read_settings({"cong.import_max_rows": "many"})


# writing -------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_tables_written_read_back_the_same_formulas_kept_as_text(kind):
    table = [
        ["code", "title", "kind"],
        ["S-1", '=HYPERLINK("http://x")', "book"],
        ["S-2", "@SUM(A1) - hai\ndòng", "map"],
    ]
    data = csv_bytes(table) if kind == "csv" else xlsx_bytes(table, "Sách")
    if kind == "csv":
        assert "'=HYPERLINK" in data.decode("utf-8-sig")
    rows = read_rows(data, f"a.{kind}", COLUMNS)
    assert [list(row.values.values()) for row in rows] == table[1:]
