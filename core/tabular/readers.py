"""Reading import files: bytes become a :class:`Sheet` (CSV, Excel) or a JSON
document, or :class:`~core.tabular.problems.ImportFailed` says why they cannot.

- CSV: UTF-8, with or without a byte-order mark; cells separated by commas, or by
  semicolons when the header has more of them (as Excel writes CSV where the
  decimal mark is a comma); a cell :func:`core.tabular.writers.guard` protected
  from spreadsheets (``'=…``) is read back without its quote.
- Excel: the first sheet of an ``.xlsx`` workbook, read-only, formulas as the
  values Excel last computed; old ``.xls`` files are refused with a hint.
- JSON: any document; :mod:`core.tabular.columns` takes its records.

Lines count the rows of the sheet as a spreadsheet shows them (header = 1,
blank rows counted and skipped); cells are text without outer spaces.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from core.i18n import _
from core.tabular.limits import DEFAULT_LIMITS, MB, Limits, check_size, too_many_rows
from core.tabular.problems import refuse
from core.tabular.writers import unguard

#: The formats read, by their file extension.
FORMATS = ("csv", "xlsx", "json")
#: How an old Excel (.xls) file starts.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: How a zip file (an .xlsx workbook) starts.
ZIP_SIGNATURE = b"PK\x03\x04"


@dataclass(frozen=True)
class Sheet:
    """A spreadsheet read: its ``header`` cells, then ``rows`` as ``(line,
    cells)`` for every row that is not blank."""

    header: list[str]
    rows: list[tuple[int, list[str]]]


def file_format(data: bytes, filename: str = "") -> str:
    """The format of ``data`` (one of :data:`FORMATS`): the extension of
    ``filename`` when it names one, else what the bytes look like. An old Excel
    file (.xls) is :class:`ImportFailed`."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xls" or data.startswith(OLE_SIGNATURE):
        raise refuse(_("Tệp Excel cũ (.xls) không đọc được: hãy lưu lại dạng .xlsx hoặc CSV."))
    if extension in FORMATS:
        return extension
    if data.startswith(ZIP_SIGNATURE):
        return "xlsx"
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "json" if start in (b"{", b"[") else "csv"


def read_sheet(data: bytes, kind: str, limits: Limits = DEFAULT_LIMITS) -> Sheet:
    """``data`` read as a ``kind`` (``csv`` or ``xlsx``) spreadsheet."""
    return {"csv": read_csv, "xlsx": read_xlsx}[kind](data, limits)


def decode(data: bytes) -> str:
    """``data`` as UTF-8 text (a byte-order mark dropped); :class:`ImportFailed`
    naming the line of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise refuse(_("Tệp không phải văn bản UTF-8."), line) from None


def delimiter_of(header_line: str) -> str:
    """``;`` when the header line has more semicolons than commas, else ``,``."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def read_csv(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Sheet:
    """The sheet of a CSV file (see the module's docstring)."""
    text = decode(check_size(data, limits))
    header_line = text[:65536].partition("\n")[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(header_line))
    line = 0

    def cells() -> Iterator[list[str]]:
        nonlocal line
        try:
            for line, row in enumerate(reader, start=1):  # noqa: B007 - read on failure
                yield [unguard(cell.strip()) for cell in row]
        except csv.Error as exc:
            raise refuse(
                _("Không đọc được dòng CSV: ${reason}.", mapping={"reason": str(exc)}), line + 1
            ) from None

    return sheet_of(cells(), limits)


def read_xlsx(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Sheet:
    """The sheet of the first worksheet of an Excel workbook. A workbook whose
    parts would unpack to more than ``limits.max_unpacked_bytes`` is refused
    before it is read (a "zip bomb")."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    unreadable = refuse(_("Không đọc được tệp Excel (.xlsx)."))
    check_size(data, limits)
    try:
        unpacked = sum(part.file_size for part in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unreadable from None
    if unpacked > limits.max_unpacked_bytes:
        raise refuse(
            _(
                "Tệp Excel quá lớn khi giải nén (tối đa ${n} MB).",
                mapping={"n": limits.max_unpacked_bytes // MB},
            )
        )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        OSError,
        EOFError,
        ValueError,
        TypeError,
        SyntaxError,
    ):
        raise unreadable from None
    try:
        if not book.worksheets:
            raise unreadable
        rows = book.worksheets[0].iter_rows(values_only=True)
        return sheet_of(([cell_text(value) for value in row] for row in rows), limits)
    finally:
        book.close()


def cell_text(value: Any) -> str:
    """An Excel cell as text: whole numbers without ``.0``, dates as ISO dates,
    yes and no as ``có`` and ``không``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def sheet_of(table: Iterable[list[str]], limits: Limits = DEFAULT_LIMITS) -> Sheet:
    """The :class:`Sheet` of rows of cells (the first one the header); blank rows
    are skipped but counted in the lines; more than ``limits.max_rows`` rows are
    :class:`ImportFailed`."""
    table = iter(table)
    header = next(table, None)
    if not header or not any(header):
        raise refuse(_("Tệp trống: dòng đầu phải là tên các cột."))
    rows = []
    for line, cells in enumerate(table, start=2):
        if not any(cells):
            continue
        if len(rows) == limits.max_rows:
            raise too_many_rows(limits)
        rows.append((line, cells))
    return Sheet(header, rows)


def read_json(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Any:
    """The document of a JSON file (UTF-8, a byte-order mark allowed)."""
    text = decode(check_size(data, limits))
    try:
        return json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", 1)
        reason = getattr(exc, "msg", str(exc))
        raise refuse(
            _(
                "Tệp JSON không hợp lệ (dòng ${line}): ${reason}.",
                mapping={"line": line, "reason": reason},
            )
        ) from None
    except RecursionError:  # nested deeper than Python's stack
        raise refuse(_("Tệp JSON lồng quá sâu.")) from None
