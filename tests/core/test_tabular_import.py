"""core.tabular, importing into a real ZODB: every row checked by the fields'
own rules before any is written, problems by line and column, all or nothing
(even when writing fails half-way), dry runs, progress."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field

import pytest
import transaction
import ZODB
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from ZODB.FileStorage import FileStorage

from core.cli.progress import PhaseProgress
from core.i18n import _
from core.operations import ValidationFailed
from core.tabular import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Importer,
    ImportFailed,
    Plan,
    Row,
    parse_values,
    problem_text,
    read_rows,
    run_import,
)
from core.types import ContentType
from tests.core.test_tabular_reading import COLUMNS, FIELDS, request_in


class Book(Persistent):
    code = title = kind = ""
    issued = None


BOOK = ContentType("Book", Book, "Sách", fields=FIELDS)


@dataclass
class BookPlan(Plan):
    existing: Book | None = None
    parsed: dict = field(default_factory=dict)


class BookImporter(Importer):
    """Books onto a shelf (an OOBTree by code); ``refuse_at`` and ``crash_at``
    name a line whose writing fails, as a store that changed under it would."""

    columns = COLUMNS

    def __init__(self, shelf, refuse_at: int = 0, crash_at: int = 0):
        self.shelf = shelf
        self.refuse_at = refuse_at
        self.crash_at = crash_at

    def plan(self, row: Row) -> BookPlan:
        code = row.values.get("code")
        code = code if isinstance(code, str) else ""
        existing = self.shelf.get(code)
        parsed, errors = parse_values(None, BOOK, None, row.values, row.source, existing)
        if existing is None:
            action = CREATE
        elif any(getattr(existing, name) != value for name, value in parsed.items()):
            action = UPDATE
        else:
            action = UNCHANGED
        return BookPlan(row, action, code, errors, existing, parsed)

    def apply(self, plan: BookPlan) -> str:
        if plan.row.line == self.refuse_at:
            raise ValidationFailed({"title": _("Tên này đã có trên kệ khác.")})
        if plan.row.line == self.crash_at:
            raise RuntimeError("the disk is full")
        book = plan.existing if plan.existing is not None else BOOK.create()
        for name, value in plan.parsed.items():
            setattr(book, name, value)
        self.shelf[book.code] = book
        return plan.key


class Store:
    """A FileStorage database with a shelf, and a transaction to write in."""

    def __init__(self, path):
        self.db = ZODB.DB(FileStorage(str(path / "Data.fs")))
        self.tm = transaction.TransactionManager(explicit=True)
        self.conn = self.db.open(self.tm)
        self.tm.begin()
        self.conn.root()["shelf"] = OOBTree()
        self.commit()

    @property
    def shelf(self):
        return self.conn.root()["shelf"]

    def commit(self):
        self.tm.commit()
        self.tm.begin()

    def stored(self) -> dict:
        """code -> (title, issued) of the committed books, read afresh."""
        tm = transaction.TransactionManager(explicit=True)
        conn = self.db.open(tm)
        tm.begin()
        try:
            return {code: (b.title, b.issued) for code, b in conn.root()["shelf"].items()}
        finally:
            tm.abort()
            conn.close()

    def close(self):
        self.tm.abort()
        self.conn.close()
        self.db.close()


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path)
    yield store
    store.close()


def csv_rows(*lines: str) -> list[Row]:
    return read_rows("\n".join(lines).encode(), "sach.csv", COLUMNS)


def books(n: int, bad: int = 0) -> list[Row]:
    """``n`` rows of books (lines 2 to n+1); the one at line ``bad`` has a date
    that is not one."""
    lines = ["code,title,issued"]
    for line in range(2, n + 2):
        issued = "mùng 2 Tết" if line == bad else f"2024-01-{line % 28 + 1:02d}"
        lines.append(f"S-{line},Sách {line},{issued}")
    return csv_rows(*lines)


def texts(failed, language: str = "vi") -> list[str]:
    return [problem_text(request_in(language), p) for p in failed.value.problems]


# checking ------------------------------------------------------------------------------
def test_a_wrong_value_in_a_cell_is_a_problem_with_its_line_and_column(store):
    rows = csv_rows("Mã sách,Tên sách,Ngày ban hành", "S-1,Một,2024-05-01", "S-2,Hai,mai")
    with pytest.raises(ImportFailed) as failed:
        run_import(BookImporter(store.shelf), rows, tm=store.tm)
    (problem,) = failed.value.problems
    assert (problem.line, problem.field, problem.key) == (3, "issued", "S-2")
    assert texts(failed) == [
        "Dòng 3 (S-2), Ngày ban hành: Ngày không hợp lệ (định dạng YYYY-MM-DD)."
    ]
    assert texts(failed, "en")[0].startswith("Line 3 (S-2), ")


def test_every_problem_of_every_row_is_listed_in_column_order(store):
    records = [
        {"code": "S-1", "title": 5},
        {"code": "S-2", "title": "Hai", "kind": "phim", "issued": "2024-13-01"},
        {"code": "S-1", "title": "Lại một"},
    ]
    rows = read_rows(json.dumps(records).encode(), "sach.json", COLUMNS)
    with pytest.raises(ImportFailed) as failed:
        run_import(BookImporter(store.shelf), rows, tm=store.tm)
    assert texts(failed) == [
        "Dòng 1 (S-1), Tên sách: Phải là một chuỗi ký tự.",
        "Dòng 2 (S-2), Ngày ban hành: Ngày không hợp lệ (định dạng YYYY-MM-DD).",
        "Dòng 2 (S-2), Loại: Giá trị không nằm trong danh sách cho phép.",
        "Dòng 3 (S-1), Mã sách: Mã “S-1” đã có ở dòng 1.",
    ]


# all or nothing ------------------------------------------------------------------------
def test_one_bad_row_out_of_six_hundred_leaves_nothing_written(store):
    with pytest.raises(ImportFailed) as failed:
        run_import(BookImporter(store.shelf), books(600, bad=500), tm=store.tm)
    assert [(p.line, p.field) for p in failed.value.problems] == [(500, "issued")]
    store.commit()  # whatever the caller does next
    assert store.stored() == {}
    summary = run_import(BookImporter(store.shelf), books(600), tm=store.tm)
    store.commit()
    assert len(summary.created) == len(store.stored()) == 600


def test_a_row_refused_while_writing_rolls_back_the_rows_before_it(store):
    run_import(BookImporter(store.shelf), books(1), tm=store.tm)
    store.commit()
    before = store.stored()
    rows = [Row(2, {"code": "S-2", "title": "Sách mới"}), *books(600)[1:]]
    with pytest.raises(ImportFailed) as failed:  # after savepoints at rows 200 and 400
        run_import(BookImporter(store.shelf, refuse_at=500), rows, tm=store.tm)
    assert texts(failed) == ["Dòng 500 (S-500), Tên sách: Tên này đã có trên kệ khác."]
    store.commit()
    assert store.stored() == before  # S-2 keeps its title; none of the new ones is there


def test_a_crash_while_writing_rolls_back_and_goes_on(store):
    with pytest.raises(RuntimeError):
        run_import(BookImporter(store.shelf, crash_at=450), books(600), tm=store.tm)
    store.commit()
    assert store.stored() == {}


# dry run -------------------------------------------------------------------------------
def test_a_dry_run_tells_what_would_change_and_writes_nothing(store):
    run_import(BookImporter(store.shelf), csv_rows("code,title", "S-1,Một", "S-2,Hai"))
    store.commit()
    rows = csv_rows("code,title", "S-1,Một", "S-2,Hai (sửa)", "S-3,Ba")
    dry = run_import(BookImporter(store.shelf), rows, dry_run=True, tm=store.tm)
    store.commit()
    assert (dry.created, dry.updated, dry.unchanged, dry.dry_run) == (
        ["S-3"],
        ["S-2"],
        ["S-1"],
        True,
    )
    assert store.stored() == {"S-1": ("Một", None), "S-2": ("Hai", None)}
    done = run_import(BookImporter(store.shelf), rows, tm=store.tm)
    store.commit()
    assert (done.created, done.updated, done.unchanged, done.dry_run) == (
        ["S-3"],
        ["S-2"],
        ["S-1"],
        False,
    )
    assert store.stored()["S-2"] == ("Hai (sửa)", None)


# progress ------------------------------------------------------------------------------
def test_progress_is_told_of_the_checking_then_the_writing(store):
    heard = []
    run_import(
        BookImporter(store.shelf), books(3), tm=store.tm, progress=lambda *a: heard.append(a)
    )
    assert heard == [
        ("checking", 1, 3),
        ("checking", 2, 3),
        ("checking", 3, 3),
        ("writing", 1, 3),
        ("writing", 2, 3),
        ("writing", 3, 3),
    ]


def test_the_command_line_bar_shows_each_phase():
    stream = io.StringIO()  # not a terminal: a line per tenth
    bars = PhaseProgress(stream)
    for phase in ("checking", "writing"):
        for done in range(1, 21):
            bars(phase, done, 20)
    bars.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 22
    assert lines[10] == "Checking [" + "#" * 30 + "] 100% 20/20"
    assert lines[-1] == "Writing [" + "#" * 30 + "] 100% 20/20"
