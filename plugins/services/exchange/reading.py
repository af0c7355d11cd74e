"""Reading a procedure file (see :mod:`plugins.services.exchange`): JSON, CSV or
Excel to rows, by the kernel's readers (:mod:`core.tabular`), with what is the
procedures' own: the JSON document's envelope and its fields (lĩnh vực), and
national codes Excel took for numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.i18n import _
from core.tabular import DEFAULT_LIMITS, Limits, Row, file_format
from core.tabular.problems import refuse
from core.tabular.readers import read_json as read_document
from core.tabular.readers import read_sheet
from plugins.services.exchange.records import COLUMNS, FORMAT

#: A national code as Excel shows it when it took it for a number (``1.0001``).
NUMBER_RE = re.compile(r"[0-9]\.[0-9]{1,6}")
#: The digits after the dot of a national code (``1.000100``).
CODE_NUMBER_DIGITS = 6


@dataclass(frozen=True)
class FileRows:
    """A file read: its rows, and the fields (slug -> label) a JSON file lists."""

    rows: list[Row]
    fields: dict = field(default_factory=dict)


def read_file(data: bytes, filename: str = "", limits: Limits = DEFAULT_LIMITS) -> FileRows:
    """Read ``data`` as JSON, CSV or Excel, by the extension of ``filename`` or else
    by its content; :class:`~core.tabular.ImportFailed` for a file that cannot be read."""
    kind = file_format(data, filename)
    if kind == "json":
        return read_json(data, limits)
    rows = COLUMNS.sheet_rows(read_sheet(data, kind, limits))
    if kind == "xlsx":
        rows = [_code_as_text(row) for row in rows]
    return FileRows(rows)


def read_json(data: bytes, limits: Limits = DEFAULT_LIMITS) -> FileRows:
    """The records of a JSON file (see :mod:`plugins.services.exchange`)."""
    document = read_document(data, limits)
    fields = {}
    if isinstance(document, dict) and isinstance(document.get("services"), list):
        if document.get("format", FORMAT) != FORMAT:
            raise refuse(
                _("Định dạng “${format}” không được hỗ trợ (cần ${expected}).",
                  mapping={"format": str(document.get("format"))[:40], "expected": FORMAT})
            )  # fmt: skip
        fields = _json_fields(document.get("fields", []))
        records = document["services"]
    elif isinstance(document, list):
        records = document
    else:
        raise refuse(_("Tệp JSON phải có danh sách thủ tục “services” hoặc là một danh sách."))
    return FileRows(COLUMNS.record_rows(records, limits), fields)


def _json_fields(items) -> dict:
    message = _("“fields” phải là danh sách các {“id”, “title”}.")
    if not isinstance(items, list):
        raise refuse(message)
    fields = {}
    for item in items:
        if not (
            isinstance(item, dict)
            and isinstance(item.get("id"), str)
            and isinstance(item.get("title"), str)
        ):
            raise refuse(message)
        fields[item["id"]] = item["title"]
    return fields


def _code_as_text(row: Row) -> Row:
    """``row`` with a national code Excel took for a number written back
    (``1.0001`` for ``1.000100``)."""
    code = row.values.get("code", "")
    if not NUMBER_RE.fullmatch(code):
        return row
    whole, decimals = code.split(".")
    values = {**row.values, "code": f"{whole}.{decimals.ljust(CODE_NUMBER_DIGITS, '0')}"}
    return Row(row.line, values, row.source)
