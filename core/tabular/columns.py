"""The columns an import takes, and the rows of a file once its header (or its
JSON keys) are matched to them.

A :class:`Column` is a field of the records being imported (``name``), with the
``label`` people know it by. A header cell names a column by its name or its label,
accents, case and spacing aside (``Mã thủ tục``, ``ma thu tuc``, ``code``). One
column may be the ``key``: it names a row (a code), so no two rows may share a
value of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pyramid.i18n import TranslationString

from core.i18n import _
from core.names import fold
from core.tabular.limits import DEFAULT_LIMITS, Limits, too_many_rows
from core.tabular.problems import ImportFailed, Problem, refuse
from core.tabular.readers import Sheet, file_format, read_json, read_sheet

#: The characters of a list of names a message shows, at most.
SHOWN = 300


def folded(text: str) -> str:
    """``text`` compared loosely: without accents, lowercase, single spaces."""
    return " ".join(fold(text).lower().split())


@dataclass(frozen=True)
class Row:
    """One record of a file: read at ``line``, its ``values`` by column name, as
    text cells (``source`` ``form``, as a form sends them) or JSON values
    (``json``)."""

    line: int
    values: dict
    source: str = "form"


@dataclass(frozen=True)
class Column:
    """A column: the ``name`` of the field it fills, the ``label`` it is known
    by (its name when empty), and whether a file must have it."""

    name: str
    label: TranslationString | str = ""
    required: bool = False

    @property
    def title(self) -> TranslationString | str:
        """How messages name the column."""
        return self.label or self.name

    def shown(self) -> str:
        """The column in a list of columns: ``label (name)``, or its name."""
        return f"{self.label} ({self.name})" if self.label else self.name


class Columns:
    """The columns of one kind of import, in the order problems are listed;
    ``key`` is the name of the column that names a row, if one does."""

    def __init__(self, columns: Iterable[Column], key: str = ""):
        self.columns = tuple(columns)
        self.key = key
        self.by_name = {column.name: column for column in self.columns}
        self.by_header: dict[str, str] = {}
        for column in self.columns:
            for text in (column.name, str(column.label)):
                if text:
                    self.by_header.setdefault(folded(text), column.name)

    @classmethod
    def of_fields(
        cls,
        fields: Iterable,
        extra: Iterable[Column] = (),
        required: Iterable[str] = (),
        key: str = "",
    ) -> Columns:
        """The columns of ``fields`` (:class:`core.fields.Field`: name and label),
        then ``extra``; ``required`` names those a file must have."""
        wanted = set(required)
        columns = [Column(f.name, f.label, f.name in wanted) for f in fields]
        return cls([*columns, *extra], key=key)

    def title(self, name: str) -> TranslationString | str:
        """How messages name the column ``name`` (a name it does not know: as is)."""
        column = self.by_name.get(name)
        return column.title if column is not None else name

    # problems -------------------------------------------------------------------------
    def problems(self, line: int, errors: dict, key: str = "") -> list[Problem]:
        """``errors`` (field name -> message) of row ``line`` as problems, in the
        order of the columns (names they do not know last)."""
        order = {name: index for index, name in enumerate(self.by_name)}
        names = sorted(errors, key=lambda name: order.get(name, len(order)))
        return [Problem(line, errors[name], name, self.title(name), key) for name in names]

    def _list(self, names: Sequence[str]) -> str:
        shown = (self.by_name[n].shown() if n in self.by_name else n for n in names)
        return ", ".join(shown)[:SHOWN]

    def header_problems(self, names: list[str | None], header: list[str]) -> list[Problem]:
        """What is wrong with a header whose cells name ``names`` (None: a cell no
        column has, "" an empty cell): unknown, repeated and missing columns."""
        problems = []
        unknown = [cell for cell, name in zip(header, names, strict=True) if name is None]
        if unknown:
            problems.append(
                _(
                    "Cột không có trong danh sách: ${columns} (các cột: ${known}).",
                    mapping={
                        "columns": ", ".join(unknown)[:SHOWN],
                        "known": self._list(self.by_name),
                    },
                )
            )
        named = [name for name in names if name]
        repeated = sorted({name for name in named if named.count(name) > 1})
        if repeated:
            problems.append(
                _("Cột lặp lại: ${columns}.", mapping={"columns": self._list(repeated)})
            )
        missing = [c.name for c in self.columns if c.required and c.name not in named]
        if missing:
            problems.append(_("Thiếu cột: ${columns}.", mapping={"columns": self._list(missing)}))
        return [Problem(1, message) for message in problems]

    # rows -----------------------------------------------------------------------------
    def sheet_rows(self, sheet: Sheet) -> list[Row]:
        """The rows of ``sheet``, their cells by column name (a short row lacks
        the columns it stops before); :class:`ImportFailed` for a header that does
        not name the columns, or cells beyond them."""
        names = [self.by_header.get(folded(cell)) if cell else "" for cell in sheet.header]
        problems = self.header_problems(names, sheet.header)
        if problems:
            raise ImportFailed(problems)
        rows = []
        width = len(names)
        for line, cells in sheet.rows:
            if any(cells[width:]):
                last = max(i for i, cell in enumerate(cells) if cell) + 1
                problems.append(
                    Problem(
                        line,
                        _(
                            "Dòng có ${found} cột, tiêu đề có ${expected} cột.",
                            mapping={"found": last, "expected": width},
                        ),
                    )
                )
            elif any(cell for name, cell in zip(names, cells, strict=False) if not name):
                problems.append(Problem(line, _("Có dữ liệu ở cột không có tên.")))
            values = {name: cell for name, cell in zip(names, cells, strict=False) if name}
            rows.append(Row(line, values))
        if problems:
            raise ImportFailed(problems)
        return rows

    def record_rows(self, records: Any, limits: Limits = DEFAULT_LIMITS) -> list[Row]:
        """The rows of a list of JSON objects (their keys the columns' names), a
        record's number as its line; :class:`ImportFailed` for anything else."""
        if not isinstance(records, list):
            raise refuse(_("Tệp JSON phải là một danh sách các đối tượng."))
        if len(records) > limits.max_rows:
            raise too_many_rows(limits)
        rows, problems = [], []
        for number, record in enumerate(records, start=1):
            if not isinstance(record, dict):
                problems.append(Problem(number, _("Mỗi bản ghi phải là một đối tượng JSON.")))
                continue
            unknown = sorted(str(key) for key in record if key not in self.by_name)
            if unknown:
                message = _(
                    "Khóa không có trong danh sách: ${keys} (các khóa: ${known}).",
                    mapping={"keys": ", ".join(unknown)[:SHOWN], "known": self._list(self.by_name)},
                )
                key = record.get(self.key, "") if self.key else ""
                problems.append(Problem(number, message, key=str(key)[:30]))
                continue
            rows.append(Row(number, record, "json"))
        if problems:
            raise ImportFailed(problems)
        return rows


def read_rows(
    data: bytes, filename: str, columns: Columns, limits: Limits = DEFAULT_LIMITS
) -> list[Row]:
    """The rows of a CSV, Excel or JSON file (a list of objects), by the
    extension of ``filename`` or else by its content (:func:`file_format`)."""
    kind = file_format(data, filename)
    if kind == "json":
        return columns.record_rows(read_json(data, limits), limits)
    return columns.sheet_rows(read_sheet(data, kind, limits))
