"""Import and export of the procedure list: JSON, CSV and Excel (.xlsx).

JSON (:data:`FORMAT`, also the sample catalog's)::

    {"format": "cong-services/1",
     "fields": [{"id": "<slug>", "title": "<label>"}, ...],
     "services": [{"code": ..., "title": ..., <the other fields>, "state": ...}, ...]}

A record's keys are the Service fields' names with the values the JSON API takes
(tables as lists of objects, lines as lists), plus an optional ``state``. A bare
list of records is read too.

CSV (UTF-8, a byte-order mark allowed, comma-separated, or semicolon-separated when
the header has no comma) and Excel (the first sheet): a header row naming the
columns by field name (``code``) or label (``Mã thủ tục``), accents and case aside,
``code`` and ``title`` required, then a procedure a row. Cells are text as forms
take them: tables one row a line with ``|`` between cells, lines one a line, the
field (lĩnh vực) by slug or label, the tier, online kind, level and state by value
or label. An export writes every field, its label as header and choices as labels,
so that importing it gives the same records back.

An import (:func:`import_services`) reads the whole file, then checks every row as
the add and edit forms would (the Service fields and the type's check), against the
other rows (a code twice) and the site (a field not in the vocabulary, unless asked
to create it). With any problem nothing changes, and :class:`ImportFailed` lists
them all by line: the spreadsheet row (header = 1) or the JSON record's number.
Otherwise a code the catalog has is edited in place (:func:`core.operations.edit`,
only when a value differs) and a new one is added (:func:`core.operations.create`)
and moved to its state (by default published, if the requester may publish). An
unexpected failure while applying propagates: the caller's transaction is then
aborted, so a file is never half-imported.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from pyramid.i18n import TranslationString

from core import operations
from core.fields import Invalid, apply_values
from core.i18n import _
from core.names import NAME_RE, slugify
from core.permissions import EDIT
from core.spreadsheets import column_problems, seen_before
from core.types import get_types
from core.workflow import transitions_to, workflow_of
from plugins.services.content import SERVICE
from plugins.services.fields import Level, choice_of, folded, format_amount
from plugins.services.units import find_by_code
from plugins.services.vocabulary import MAX_FIELDS, MAX_LABEL, add_field, field_items

#: The JSON format's name.
FORMAT = "cong-services/1"
#: Procedures a file may hold, at most.
MAX_ROWS = 10_000
#: How cells that a spreadsheet would run as a formula begin (OWASP's list).
FORMULA_STARTS = frozenset("=+-@\t\r")
#: Bytes an Excel workbook may unpack to, at most (10,000 full records fit in less).
MAX_XLSX_BYTES = 256 * 2**20
#: The record key (and column) of a procedure's workflow state.
STATE = "state"
STATE_LABEL = _("Trạng thái")
#: The state of a new procedure whose row names none (when the requester may
#: publish; otherwise it stays in its workflow's initial state, as added by hand).
DEFAULT_STATE = "published"
#: Columns that every spreadsheet must have.
REQUIRED_COLUMNS = ("code", "title")
#: Rows applied between two savepoints (which let ZODB free memory).
SAVEPOINT_EVERY = 200
#: The media types and extensions of the formats.
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: How an old Excel (.xls) file starts.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
LEVEL_RE = re.compile(r"^(?:muc do\s*)?([0-9])(?:\s*[:.].*)?$")
CODE_NUMBER_DIGITS = 6


# problems -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """Why a row (or the file: line 1 for a spreadsheet's header) cannot be imported:
    ``code`` is the row's procedure code, ``label`` the label of the field at fault."""

    line: int
    message: TranslationString | str
    code: str = ""
    label: TranslationString | str = ""


class ImportFailed(ValueError):
    """An import refused as a whole: ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = problems


def problem_text(request, problem: Problem) -> str:
    """A problem as people read it: ``Dòng 14 (1.002425), Mức độ ...: message``."""
    translate = request.localizer.translate
    mapping = {"line": problem.line, "code": problem.code, "message": translate(problem.message)}
    if problem.label:
        mapping["field"] = translate(problem.label)
        if problem.code:
            message = _("Dòng ${line} (${code}), ${field}: ${message}", mapping=mapping)
        else:
            message = _("Dòng ${line}, ${field}: ${message}", mapping=mapping)
    elif problem.code:
        message = _("Dòng ${line} (${code}): ${message}", mapping=mapping)
    else:
        message = _("Dòng ${line}: ${message}", mapping=mapping)
    return translate(message)


def _refuse(message, line: int = 1) -> ImportFailed:
    return ImportFailed([Problem(line, message)])


TOO_MANY = _(
    "Tệp có hơn ${n} thủ tục: hãy chia thành nhiều tệp.", mapping={"n": format_amount(MAX_ROWS)}
)


# reading files ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    """One procedure of a file: its ``line``, its ``values`` by field name (and
    ``state``), and the ``source`` they are written for (``json`` or ``form``)."""

    line: int
    values: dict
    source: str


@dataclass(frozen=True)
class FileRows:
    """A file read: its rows, and the fields (slug -> label) a JSON file lists."""

    rows: list[Row]
    fields: dict = field(default_factory=dict)


def read_file(data: bytes, filename: str = "") -> FileRows:
    """Read ``data`` as JSON, CSV or Excel, by the extension of ``filename`` or else
    by its content; :class:`ImportFailed` for a file that cannot be read."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xls" or data.startswith(OLE_SIGNATURE):
        raise _refuse(_("Tệp Excel cũ (.xls) không đọc được: hãy lưu lại dạng .xlsx hoặc CSV."))
    if extension not in MEDIA_TYPES:
        extension = sniff(data)
    return {"json": read_json, "csv": read_csv, "xlsx": read_xlsx}[extension](data)


def sniff(data: bytes) -> str:
    """The format ``data`` looks like: ``xlsx`` (a zip), ``json`` or ``csv``."""
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "json" if start in (b"{", b"[") else "csv"


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _refuse(_("Tệp không phải văn bản UTF-8."), line) from None


def read_json(data: bytes) -> FileRows:
    """The records of a JSON file (see the module's docstring)."""
    try:
        document = json.loads(_decode(data))
    except ValueError as exc:
        line = getattr(exc, "lineno", 1)
        reason = getattr(exc, "msg", str(exc))
        raise _refuse(
            _(
                "Tệp JSON không hợp lệ (dòng ${line}): ${reason}.",
                mapping={"line": line, "reason": reason},
            )
        ) from None
    except RecursionError:  # nested deeper than Python's stack
        raise _refuse(_("Tệp JSON lồng quá sâu.")) from None
    fields = {}
    if isinstance(document, dict) and isinstance(document.get("services"), list):
        if document.get("format", FORMAT) != FORMAT:
            raise _refuse(
                _("Định dạng “${format}” không được hỗ trợ (cần ${expected}).",
                  mapping={"format": str(document.get("format"))[:40], "expected": FORMAT})
            )  # fmt: skip
        fields = _json_fields(document.get("fields", []))
        records = document["services"]
    elif isinstance(document, list):
        records = document
    else:
        raise _refuse(_("Tệp JSON phải có danh sách thủ tục “services” hoặc là một danh sách."))
    if len(records) > MAX_ROWS:
        raise _refuse(TOO_MANY)
    rows, problems = [], []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            problems.append(Problem(number, _("Mỗi thủ tục phải là một đối tượng JSON.")))
            continue
        unknown = sorted(str(key) for key in record if key not in _known_names())
        if unknown:
            problems.append(
                Problem(
                    number,
                    _("Khóa không có trong bản ghi thủ tục: ${keys}.",
                      mapping={"keys": ", ".join(unknown)[:200]}),
                    code=str(record.get("code", ""))[:30],
                )
            )  # fmt: skip
            continue
        rows.append(Row(number, record, "json"))
    if problems:
        raise ImportFailed(problems)
    return FileRows(rows, fields)


def _json_fields(items) -> dict:
    message = _("“fields” phải là danh sách các {“id”, “title”}.")
    if not isinstance(items, list):
        raise _refuse(message)
    fields = {}
    for item in items:
        if not (
            isinstance(item, dict)
            and isinstance(item.get("id"), str)
            and isinstance(item.get("title"), str)
        ):
            raise _refuse(message)
        fields[item["id"]] = item["title"]
    return fields


def _known_names() -> frozenset:
    from plugins.services.content import FIELDS

    return frozenset({f.name for f in FIELDS} | {STATE})


def read_csv(data: bytes) -> FileRows:
    """The rows of a CSV file (see the module's docstring)."""
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = ";" if "," not in first and ";" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def cells() -> Iterator[list[str]]:
        try:
            for row in reader:
                yield [unguard(cell) for cell in row]
        except csv.Error as exc:
            raise _refuse(
                _("Không đọc được dòng CSV: ${reason}.", mapping={"reason": str(exc)}),
                reader.line_num,
            ) from None

    return rows_of_table(cells())


def guard(cell: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula: one starting with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a ``'`` before it
    (:func:`unguard` takes it off when the file is imported back)."""
    return "'" + cell if cell[:1] in FORMULA_STARTS else cell


def unguard(cell: str) -> str:
    """A CSV cell without the ``'`` :func:`guard` put before a formula-like text."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in FORMULA_STARTS else cell


def read_xlsx(data: bytes) -> FileRows:
    """The rows of the first sheet of an Excel workbook (formulas as the values
    Excel last computed). A workbook whose parts would unpack to more than
    :data:`MAX_XLSX_BYTES` is refused before it is read (a "zip bomb")."""
    try:
        unpacked = sum(part.file_size for part in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse(_("Không đọc được tệp Excel (.xlsx).")) from None
    if unpacked > MAX_XLSX_BYTES:
        raise _refuse(
            _(
                "Tệp Excel quá lớn khi giải nén (tối đa ${n} MB).",
                mapping={"n": MAX_XLSX_BYTES // 2**20},
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
        raise _refuse(_("Không đọc được tệp Excel (.xlsx).")) from None
    try:
        sheet = book.worksheets[0]
        table = ([_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True))
        return rows_of_table(table, numbers_in="code")
    finally:
        book.close()


def _cell_text(value) -> str:
    """An Excel cell as text: whole numbers without ``.0``, dates as ISO dates."""
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
    return str(value)


def _headers() -> dict[str, str]:
    """Folded header text -> field name (or ``state``), by name and by label."""
    from plugins.services.content import FIELDS

    found = {}
    for f in FIELDS:
        found[folded(f.name)] = f.name
        found[folded(str(f.label))] = f.name
    found[STATE] = found[folded(str(STATE_LABEL))] = STATE
    return found


def rows_of_table(table: Iterable[list[str]], numbers_in: str = "") -> FileRows:
    """The rows of a spreadsheet: a header naming the columns, then a procedure a
    row (blank rows skipped, but counted in the line numbers)."""
    table = iter(table)
    header = next(table, None)
    if not header or not any(str(cell).strip() for cell in header):
        raise _refuse(_("Tệp trống: dòng đầu phải là tên các cột."))
    known = _headers()
    columns = [known.get(folded(cell)) if cell.strip() else "" for cell in header]
    unknown = [cell.strip() for cell, name in zip(header, columns, strict=True) if name is None]
    problems = []
    if unknown:
        problems.append(
            Problem(1, _("Cột không có trong bản ghi thủ tục: ${columns}.",
                         mapping={"columns": ", ".join(unknown)[:300]}))
        )  # fmt: skip
    named = [name for name in columns if name]
    problems += [Problem(1, message) for message in column_problems(named, REQUIRED_COLUMNS)]
    if problems:
        raise ImportFailed(problems)
    rows = []
    for line, cells in enumerate(table, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) == MAX_ROWS:
            raise _refuse(TOO_MANY)
        extra = cells[len(columns) :]
        values = {name: cell for name, cell in zip(columns, cells, strict=False) if name}
        unnamed = any(cell.strip() for cell in extra) or any(
            cell.strip() for name, cell in zip(columns, cells, strict=False) if not name
        )
        if unnamed:
            problems.append(Problem(line, _("Có dữ liệu ở cột không có tên.")))
        if numbers_in and _looks_like_number(values.get(numbers_in, "")):
            values[numbers_in] = _code_from_number(values[numbers_in])
        rows.append(Row(line, values, "form"))
    if problems:
        raise ImportFailed(problems)
    return FileRows(rows)


def _looks_like_number(text: str) -> bool:
    return bool(re.fullmatch(r"[0-9]\.[0-9]{1,6}", text))


def _code_from_number(text: str) -> str:
    """A national code Excel took for a number (``1.0001`` for ``1.000100``)."""
    whole, decimals = text.split(".")
    return f"{whole}.{decimals.ljust(CODE_NUMBER_DIGITS, '0')}"


# checking and applying ------------------------------------------------------------------
@dataclass
class ImportSummary:
    """What an import did (or, dry, would do): codes created, updated, unchanged,
    and the fields (lĩnh vực) added as ``(slug, label)``."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    fields: list[tuple[str, str]] = field(default_factory=list)
    dry_run: bool = False


@dataclass
class _Plan:
    row: Row
    code: str
    existing: object | None
    data: dict
    changed: list[str]
    state: str | None


class Importer:
    """One import into the catalog ``folder`` as the requester (see the module's
    docstring); ``create_fields`` adds the fields the file names that the site
    does not have."""

    def __init__(self, request, folder, create_fields: bool = False):
        self.request = request
        self.folder = folder
        self.site = request.root
        self.create_fields = create_fields
        self.type = get_types(request.registry)[SERVICE]
        self.workflow = workflow_of(request, self.type.create())
        self.fields = {f.name: f for f in self.type.fields}
        self.labels = {f.name: f.label for f in self.type.fields}
        self.labels[STATE] = STATE_LABEL
        items = field_items(self.site)
        self.slugs = {slug for slug, _label in items}
        self.by_label = {folded(label): slug for slug, label in items}
        self.file_fields: dict[str, str] = {}
        self.new_fields: dict[str, str] = {}
        self.by_new_label: dict[str, str] = {}
        try:
            self.default_state = self.state_of(DEFAULT_STATE, None)
        except Invalid:
            self.default_state = None  # the requester may not publish: new ones stay private

    # one row ---------------------------------------------------------------------------
    def field_slug(self, text) -> str:
        """The slug of the field ``text`` names (by slug or label), perhaps one to
        create; :class:`Invalid` if it cannot be."""
        if not isinstance(text, str):
            raise Invalid(_("Phải là một chuỗi ký tự."))
        text = " ".join(text.split())
        if not text:
            return ""
        slug = text if text in self.slugs else self.by_label.get(folded(text))
        if slug is None:
            slug = text if text in self.new_fields else self.by_new_label.get(folded(text))
        if slug is not None:
            return slug
        if not self.create_fields:
            raise Invalid(
                _("Lĩnh vực “${field}” chưa có trong danh mục lĩnh vực.",
                  mapping={"field": text[:100]})
            )  # fmt: skip
        if text in self.file_fields:
            slug, label = text, " ".join(self.file_fields[text].split())
        else:
            label = text
            slug = next(
                (s for s, title in self.file_fields.items() if folded(title) == folded(text)),
                slugify(text)[:80],
            )
        if not label or len(label) > MAX_LABEL:
            raise Invalid(_("Tên lĩnh vực phải có từ 1 đến ${n} ký tự.", mapping={"n": MAX_LABEL}))
        if not NAME_RE.match(slug) or slug in self.slugs:
            raise Invalid(
                _("Mã lĩnh vực “${slug}” đã có hoặc không hợp lệ.", mapping={"slug": slug})
            )
        if len(self.slugs) + len(self.new_fields) >= MAX_FIELDS:
            raise Invalid(_("Đã đủ ${n} lĩnh vực.", mapping={"n": MAX_FIELDS}))
        self.new_fields[slug] = label
        self.by_new_label[folded(label)] = slug
        return slug

    def state_of(self, text, existing) -> str | None:
        """The workflow state ``text`` names (by name or title), None for none."""
        if text is None or (isinstance(text, str) and not text.strip()):
            return None
        if not isinstance(text, str):
            raise Invalid(_("Phải là một chuỗi ký tự."))
        wanted = folded(text)
        for name, state in self.workflow.states.items():
            if wanted in (name, folded(state.title)):
                break
        else:
            known = ", ".join(s.title for s in self.workflow.states.values())
            raise Invalid(
                _("Không có trạng thái “${state}” (các trạng thái: ${known}).",
                  mapping={"state": text[:40], "known": known})
            )  # fmt: skip
        start = existing.workflow_state if existing is not None else self.workflow.initial
        path = transitions_to(self.workflow, start, name)
        where = existing if existing is not None else self.folder
        transitions = self.workflow.transitions
        if path is None or not all(
            self.request.has_permission(transitions[t].permission, where) for t in path
        ):
            raise Invalid(_("Bạn không thể chuyển thủ tục sang trạng thái này."))
        return name

    def choice_value(self, name: str, raw):
        """A tier, online kind or level written by value or label, as its value."""
        f = self.fields[name]
        if not isinstance(raw, str):
            return raw
        wanted = folded(raw)
        if isinstance(f, Level):
            match = LEVEL_RE.match(wanted)
            return match.group(1) if match else raw
        value = choice_of(raw, f.vocabulary)
        return raw if value is None else value

    def parse(self, data: dict, source: str, existing) -> tuple[dict, dict]:
        """``(parsed, errors)`` of ``data`` as adding (or editing ``existing``: only
        the fields given) would find them, nothing stored anywhere."""
        parsed: dict = {}

        def check(found: dict) -> dict:
            parsed.update(found)
            errors = dict(self.type.check(self.request, self.folder, existing, found) or {})
            if found.get("field") in self.new_fields:
                errors.pop("field", None)  # added before the procedures
            return errors

        errors = apply_values(
            self.type.fields,
            self.type.create(),
            data,
            source,
            partial=existing is not None,
            check=check,
        )
        return parsed, errors

    def plan(self, row: Row, first_line: dict) -> tuple[_Plan, dict]:
        """What importing ``row`` would do, and its errors by field name."""
        data = dict(row.values)
        raw_state = data.pop(STATE, None)
        code = data.get("code")
        code = " ".join(code.split()) if isinstance(code, str) else ""
        existing = find_by_code(self.site, code) if code else None
        errors: dict = {}
        for name in ("tier", "online", "level"):
            if name in data:
                data[name] = self.choice_value(name, data[name])
        if "field" in data:
            try:
                data["field"] = self.field_slug(data["field"])
            except Invalid as exc:
                errors["field"] = exc.message
                del data["field"]
        try:
            state = self.state_of(raw_state, existing)
        except Invalid as exc:
            errors[STATE] = exc.message
            state = None
        if state is None and existing is None:
            state = self.default_state
        parsed, field_errors = self.parse(data, row.source, existing)
        errors = {**field_errors, **errors}
        if existing is not None and not self.request.has_permission(EDIT, existing):
            errors["code"] = _("Bạn không có quyền sửa thủ tục mã này.")
        if code and "code" not in errors:
            repeated = seen_before(first_line, code, row.line)
            if repeated is not None:
                errors["code"] = repeated
        changed = []
        if existing is not None:
            changed = [n for n, v in parsed.items() if getattr(existing, n, None) != v]
            if state is not None and state != existing.workflow_state:
                changed.append(STATE)
        return _Plan(row, code, existing, data, changed, state), errors

    # the whole file --------------------------------------------------------------------
    def check(self, upload: FileRows) -> list[_Plan]:
        """The plans of every row; :class:`ImportFailed` with every problem found."""
        self.file_fields = dict(upload.fields)
        problems: list[Problem] = []
        plans = []
        first_line: dict[str, int] = {}
        order = [*self.labels]
        for row in upload.rows:
            plan, errors = self.plan(row, first_line)
            for name in sorted(errors, key=lambda n: order.index(n) if n in order else len(order)):
                label = self.labels.get(name, name)
                problems.append(Problem(row.line, errors[name], plan.code, label))
            plans.append(plan)
        if problems:
            raise ImportFailed(problems)
        return plans

    def apply(self, plans: list[_Plan]) -> ImportSummary:
        """Add the new fields, then create or edit each procedure as planned."""
        summary = ImportSummary(fields=sorted(self.new_fields.items()))
        for slug, label in summary.fields:
            add_field(self.site, label, slug)
        savepoint = getattr(getattr(self.request, "tm", None), "savepoint", None)
        for done, plan in enumerate(plans, start=1):
            if plan.existing is None:
                obj = operations.create(
                    self.request, self.folder, SERVICE, plan.data, plan.row.source
                )
                if plan.state is not None:
                    self.reach(obj, plan.state)
                summary.created.append(plan.code)
            elif plan.changed:
                names = [name for name in plan.changed if name != STATE]
                if names:
                    data = {name: plan.data[name] for name in names}
                    operations.edit(self.request, plan.existing, data, plan.row.source, True)
                if STATE in plan.changed:
                    self.reach(plan.existing, plan.state)
                summary.updated.append(plan.code)
            else:
                summary.unchanged.append(plan.code)
            if savepoint is not None and done % SAVEPOINT_EVERY == 0:
                savepoint(optimistic=True)
        return summary

    def reach(self, obj, state: str) -> None:
        for name in transitions_to(self.workflow, obj.workflow_state, state) or ():
            self.workflow.transition(self.request, obj, name)

    def preview(self, plans: list[_Plan]) -> ImportSummary:
        """What :meth:`apply` would report, nothing changed."""
        summary = ImportSummary(fields=sorted(self.new_fields.items()), dry_run=True)
        for plan in plans:
            if plan.existing is None:
                summary.created.append(plan.code)
            elif plan.changed:
                summary.updated.append(plan.code)
            else:
                summary.unchanged.append(plan.code)
        return summary


def import_services(
    request, folder, upload: FileRows, create_fields: bool = False, dry_run: bool = False
) -> ImportSummary:
    """Import ``upload`` into the catalog ``folder`` (see the module's docstring):
    :class:`ImportFailed` with every problem, and nothing changed, if any row is
    refused; with ``dry_run`` nothing is changed either way."""
    importer = Importer(request, folder, create_fields)
    plans = importer.check(upload)
    return importer.preview(plans) if dry_run else importer.apply(plans)
