"""Fields of a procedure record beyond the kernel's: lists of lines, tables of rows
(methods, dossier components, fees), the online level, and a choice out of the
site's managed vocabulary of fields (lĩnh vực).

A table is written the same way in a form's text area and in a CSV or Excel cell:
one row a line, its cells in column order separated by ``|``, trailing cells
optional::

    Trực tiếp | 15 | 50.000 đồng | Kể từ ngày nhận đủ hồ sơ hợp lệ
    Trực tuyến | 12

In JSON a table is a list of objects keyed by column name (a line of text is
accepted too). Stored values are tuples (of strings, or of dicts for tables) that
are replaced whole, never changed in place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from core.fields import Choice, Field, Invalid, as_text
from core.i18n import _
from core.names import NAME_RE
from core.tabular.columns import folded

#: The separator of a table's cells in text.
SEPARATOR = "|"
YES = frozenset({"co", "x", "1", "true", "bat buoc", "yes", "required"})
NO = frozenset({"khong", "0", "false", "khong bat buoc", "no", "optional", ""})
DAYS_RE = re.compile(r"^(\d{1,3})(?:[.,](\d{1,2}))?(?:\s*ngay.*)?$")
AMOUNT_RE = re.compile(r"^(\d{1,3}(?:[.,\s]\d{3})+|\d{1,12})(?:\s*(?:dong|d|vnd))?$")


def choice_of(text: str, vocabulary) -> object | None:
    """The value of ``vocabulary`` (``(value, label)`` pairs) that ``text`` names by
    its value or its (Vietnamese) label, accents and case aside; None if none."""
    wanted = folded(text)
    for value, label in vocabulary:
        if wanted in (folded(str(value)), folded(str(label))):
            return value
    return None


def format_days(days: float) -> str:
    """Working days as people write them: ``15``, ``0,5``."""
    return str(int(days)) if days == int(days) else f"{days:g}".replace(".", ",")


def format_amount(amount: int) -> str:
    """An amount of đồng with dots between thousands: ``1.500.000``."""
    return f"{amount:,}".replace(",", ".")


def parse_days(raw: Any) -> float:
    """Working days: a positive number up to 365, in halves (``0,5`` is half a day)."""
    if isinstance(raw, bool):
        raise Invalid(_("Thời hạn phải là số ngày làm việc, ví dụ 15 hoặc 0,5."))
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        match = DAYS_RE.match(folded(as_text(raw)))
        if not match:
            raise Invalid(_("Thời hạn phải là số ngày làm việc, ví dụ 15 hoặc 0,5."))
        value = float(f"{match.group(1)}.{match.group(2) or 0}")
    if not 0 < value <= 365 or value * 2 != int(value * 2):
        raise Invalid(_("Thời hạn phải từ 0,5 đến 365 ngày làm việc, theo nửa ngày."))
    return value


def parse_int(raw: Any, low: int, high: int, message) -> int:
    """A whole number from ``low`` to ``high``, from a number or a text."""
    if isinstance(raw, bool):
        raise Invalid(message)
    if isinstance(raw, int):
        value = raw
    else:
        text = folded(as_text(raw))
        match = AMOUNT_RE.match(text)
        if not match:
            raise Invalid(message)
        value = int(re.sub(r"\D", "", match.group(1)))
    if not low <= value <= high:
        raise Invalid(message)
    return value


def parse_bool(raw: Any) -> bool:
    """Yes or no: ``true``/``false`` in JSON; ``có``, ``x``, ``bắt buộc`` or
    ``không`` in text."""
    if isinstance(raw, bool):
        return raw
    text = folded(as_text(raw))
    if text in YES:
        return True
    if text in NO:
        return False
    raise Invalid(_("Phải là “có” hoặc “không”."))


#: The JSON Schema of a table cell in JSON, by the column's kind.
COLUMN_TYPES = {
    "text": {"type": "string"},
    "name": {"type": "string"},
    "choice": {"type": "string"},
    "days": {"type": "number", "minimum": 0.5, "maximum": 365},
    "count": {"type": "integer", "minimum": 1, "maximum": 20},
    "amount": {"type": "integer", "minimum": 0},
    "bool": {"type": "boolean"},
}


@dataclass(frozen=True)
class Column:
    """A column of a :class:`Table`: ``kind`` is ``text``, ``days`` (working days),
    ``count`` (1 to 20), ``amount`` (đồng), ``bool``, ``choice`` (out of
    ``vocabulary``, by value or label) or ``name`` (a file's name in the record)."""

    name: str
    label: str
    kind: str = "text"
    required: bool = False
    default: Any = None
    vocabulary: tuple = ()
    max_length: int = 1000

    def parse(self, raw: Any) -> Any:
        empty = raw is None or (isinstance(raw, str) and not raw.strip())
        if empty:
            if self.required:
                raise Invalid(_("thiếu ${column}", mapping={"column": self.label}))
            return self.default
        try:
            return self.convert(raw)
        except Invalid as exc:
            raise Invalid(
                _("${column}: ${message}", mapping={"column": self.label, "message": exc.message})
            ) from None

    def convert(self, raw: Any) -> Any:
        if self.kind == "days":
            return parse_days(raw)
        if self.kind == "count":
            return parse_int(raw, 1, 20, _("Số bản phải là một số từ 1 đến 20."))
        if self.kind == "amount":
            return parse_int(raw, 0, 10**12, _("Số tiền phải là một số đồng, ví dụ 50.000."))
        if self.kind == "bool":
            return parse_bool(raw)
        text = " ".join(as_text(raw).split())
        if len(text) > self.max_length:
            raise Invalid(_("Quá dài: tối đa ${n} ký tự.", mapping={"n": self.max_length}))
        if self.kind == "name" and not NAME_RE.match(text):
            raise Invalid(_("Tên tệp chỉ gồm chữ không dấu, số, dấu chấm và gạch ngang."))
        if self.kind == "choice":
            value = choice_of(text, self.vocabulary)
            if value is not None:
                return value
            raise Invalid(
                _(
                    "“${value}” không nằm trong danh sách: ${known}.",
                    mapping={
                        "value": text[:60],
                        "known": ", ".join(v for v, _l in self.vocabulary),
                    },
                )
            )
        return text

    def text(self, value: Any, translate=str) -> str:
        """The cell as written in text (the inverse of :meth:`parse`)."""
        if value is None:
            return ""
        if self.kind == "days":
            return format_days(value)
        if self.kind == "amount":
            return format_amount(value)
        if self.kind == "bool":
            return translate(_("có")) if value else translate(_("không"))
        if self.kind == "choice":
            return translate(dict(self.vocabulary).get(value, value))
        return str(value)


@dataclass(frozen=True)
class Lines(Field):
    """A list of texts, one a line in forms (a list of strings in JSON), stored as a
    tuple: the steps of a procedure, its legal basis."""

    widget: str = "textarea"
    default: Any = ()
    max_items: int = 100
    max_length: int = 2000
    json_type = "array"
    factory = "List"

    def schema_details(self, request):
        return {
            "items": {"type": "string", "maxLength": self.max_length},
            "maxItems": self.max_items,
        }

    def convert(self, raw, source):
        items = raw if isinstance(raw, list | tuple) else as_text(raw).splitlines()
        lines = tuple(line for line in (" ".join(as_text(i).split()) for i in items) if line)
        if len(lines) > self.max_items:
            raise Invalid(_("Quá nhiều dòng: tối đa ${n}.", mapping={"n": self.max_items}))
        for number, line in enumerate(lines, start=1):
            if len(line) > self.max_length:
                raise Invalid(
                    _(
                        "Dòng ${number} quá dài: tối đa ${n} ký tự.",
                        mapping={"number": number, "n": self.max_length},
                    )
                )
        if self.required and not lines:
            raise Invalid(_("Bắt buộc nhập."))
        return lines

    def serialize(self, obj):
        return list(getattr(obj, self.name, None) or ())

    def form_value(self, value):
        return "\n".join(value) if isinstance(value, tuple | list) else value


@dataclass(frozen=True)
class Table(Field):
    """Rows of :class:`Column` cells: text lines in forms and spreadsheets, a list of
    objects in JSON (see the module's docstring). Stored as a tuple of dicts."""

    widget: str = "textarea"
    default: Any = ()
    columns: tuple[Column, ...] = ()
    max_rows: int = 50
    json_type = "array"
    factory = "List"

    def schema_details(self, request):
        translate = request.localizer.translate
        cells = {
            c.name: {"title": translate(c.label), **COLUMN_TYPES[c.kind]} for c in self.columns
        }
        for c in self.columns:
            if c.kind == "choice":
                cells[c.name]["enum"] = [value for value, _label in c.vocabulary]
        row = {"type": "object", "properties": cells, "additionalProperties": False}
        required = [c.name for c in self.columns if c.required]
        if required:
            row["required"] = required
        return {"items": row, "maxItems": self.max_rows}

    def convert(self, raw, source):
        items = raw if isinstance(raw, list | tuple) else as_text(raw).splitlines()
        rows = []
        for item in items:
            if isinstance(item, str) and not item.strip():
                continue
            if len(rows) == self.max_rows:
                raise Invalid(_("Quá nhiều dòng: tối đa ${n}.", mapping={"n": self.max_rows}))
            try:
                rows.append(self.row(item))
            except Invalid as exc:
                raise Invalid(
                    _(
                        "Dòng ${number}: ${message}",
                        mapping={"number": len(rows) + 1, "message": exc.message},
                    )
                ) from None
        if self.required and not rows:
            raise Invalid(_("Bắt buộc nhập."))
        return tuple(rows)

    def row(self, item) -> dict:
        """One row from a line of text or a JSON object."""
        if isinstance(item, dict):
            unknown = sorted(set(item) - {c.name for c in self.columns})
            if unknown:
                raise Invalid(_("không có cột “${name}”", mapping={"name": str(unknown[0])[:40]}))
            cells = [item.get(c.name) for c in self.columns]
        elif isinstance(item, str):
            cells = [cell.strip() for cell in item.split(SEPARATOR)]
            if len(cells) > len(self.columns):
                raise Invalid(
                    _(
                        "nhiều hơn ${n} ô (các ô cách nhau bởi “|”)",
                        mapping={"n": len(self.columns)},
                    )
                )
        else:
            raise Invalid(_("phải là một dòng chữ hoặc một đối tượng"))
        cells += [None] * (len(self.columns) - len(cells))
        return {c.name: c.parse(cell) for c, cell in zip(self.columns, cells, strict=True)}

    def line(self, row: dict, translate=str) -> str:
        """A row as a line of text (cells after the last filled one left out)."""
        cells = [c.text(row.get(c.name), translate) for c in self.columns]
        while cells and not cells[-1]:
            cells.pop()
        return f" {SEPARATOR} ".join(cells)

    def serialize(self, obj):
        return [dict(row) for row in getattr(obj, self.name, None) or ()]

    def form_value(self, value):
        if isinstance(value, tuple | list):
            return "\n".join(self.line(row) for row in value)
        return value


@dataclass(frozen=True)
class Level(Choice):
    """The online level (1 to 4), stored as a number; ``"3"`` is accepted for 3."""

    def convert(self, raw, source):
        if isinstance(raw, str) and raw.strip().isdigit():
            raw = int(raw.strip())
        if isinstance(raw, bool) or raw not in {value for value, _label in self.vocabulary}:
            raise Invalid(_("Mức độ phải là 1, 2, 3 hoặc 4."))
        return raw


@dataclass(frozen=True)
class ManagedChoice(Choice):
    """A value out of a vocabulary the site keeps (``choices(request)`` reads it).
    The field checks the value's form; the content type's check that it is in the
    vocabulary (fields have no request to read it with)."""

    vocabulary_of: Any = None

    def choices(self, request) -> tuple:
        return tuple(self.vocabulary_of(request))

    def convert(self, raw, source):
        value = as_text(raw).strip()
        if not NAME_RE.match(value):
            raise Invalid(_("Giá trị không nằm trong danh sách cho phép."))
        return value
