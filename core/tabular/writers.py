"""Writing tables (a header row, then a row each) as files the readers of
:mod:`core.tabular.readers` read back: CSV for Excel, and Excel workbooks. Cells
that a spreadsheet would run as formulas are written as text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

#: How cells that a spreadsheet would run as a formula begin (OWASP's list).
FORMULA_STARTS = frozenset("=+-@\t\r")


def guard(cell: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula: one starting with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a ``'`` before it
    (:func:`unguard` takes it off when the file is read back)."""
    return "'" + cell if cell[:1] in FORMULA_STARTS else cell


def unguard(cell: str) -> str:
    """A CSV cell without the ``'`` :func:`guard` put before a formula-like text."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in FORMULA_STARTS else cell


def csv_bytes(table: Iterable[list[str]]) -> bytes:
    """``table`` as CSV: UTF-8 with a byte-order mark (so Excel reads it), every
    cell guarded (:func:`guard`)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([guard(cell) for cell in row] for row in table)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(table: Iterable[list[str]], title: str) -> bytes:
    """``table`` as an Excel workbook of one sheet named ``title``, every cell
    text (never a formula, whatever it starts with)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for cells in table:
        row = []
        for text in cells:
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", text))
            cell.data_type = "s"
            row.append(cell)
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
