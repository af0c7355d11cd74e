"""Provisioning: creating subsites one by one, from a CSV file, or from the real
administrative units of a province, each with its default structure.

Every door (the Manager's add form, the JSON API, :func:`create_subsite` used by
the command line and the imports) adds a subsite through
:func:`core.operations.create`, so the Subsite type's fields and its check
(:func:`subsites.content.check_subsite`: host names and codes no other subsite
has, a parent code some unit has) validate it the same way. When a subsite is
added, whichever door it came through, this module's ``cong_object_added`` hook
calls ``cong_subsite_created`` so each plugin adds its sections (see
:mod:`subsites.structure`).

Imports (:func:`import_rows`) check every row first and change nothing when any is
refused: the caller gets an :class:`ImportFailed` listing each bad row's line and
reason. A row whose code a subsite already has updates that subsite, so importing
the same file twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from pyramid.i18n import TranslationString

from core import operations
from core.fields import apply_values
from core.hookspecs import hookimpl
from core.i18n import _
from core.names import slugify
from core.spreadsheets import column_problems, seen_before
from core.types import get_types
from subsites.content import TYPE_NAME, check_parent_code
from subsites.interfaces import ISubsite

#: The columns of an import file, in the order the documentation lists them.
COLUMNS = ("title", "unit_kind", "code", "parent_code", "hostnames", "address", "phone", "email")
#: Columns an import file must have.
REQUIRED_COLUMNS = ("title", "unit_kind")
#: Rows created or updated between two savepoints (which let ZODB free memory).
SAVEPOINT_EVERY = 200
#: The unit kind of the communes (and wards) imported from vietnam-provinces.
COMMUNE_KIND = "commune"


# one subsite ---------------------------------------------------------------------------
def provision(request, subsite) -> None:
    """Ask every plugin to add what is missing of ``subsite``'s default structure
    (the ``cong_subsite_created`` hook); safe to call again on an existing subsite."""
    request.registry.cong_plugins.hook.cong_subsite_created(request=request, subsite=subsite)


def parse_values(request, values: dict, folder, existing=None) -> tuple[dict, dict]:
    """``(parsed, errors)``: ``values`` (field input, as JSON gives it) checked by
    the Subsite type's fields and check as adding to ``folder`` (or editing
    ``existing``: only the fields given) would, nothing stored anywhere."""
    ct = get_types(request.registry)[TYPE_NAME]
    scratch = ct.create()
    parsed: dict = {}

    def check(found: dict) -> dict:
        parsed.update(found)
        return ct.check(request, folder, existing, found) if ct.check else {}

    errors = apply_values(
        ct.fields, scratch, values, "json", partial=existing is not None, check=check
    )
    return parsed, errors


def create_subsite(request, parent, values: dict):
    """Add a subsite to ``parent`` (the site, or a subsite for a nested unit) from
    ``values`` (the Subsite fields, as JSON gives them), named after its title,
    with its default structure. Raises ``ValidationFailed`` (field name -> message)
    and ``HTTPForbidden`` (the requester may not add subsites there); nothing is
    created then."""
    return operations.create(request, parent, TYPE_NAME, values, source="json")


@hookimpl(trylast=True)
def cong_object_added(request, obj, parent):
    """Give a new subsite its default structure, whichever door it came through
    (a copied subsite brings its own: only an empty one is provisioned)."""
    if ISubsite.providedBy(obj) and len(obj) == 0:
        provision(request, obj)


# imports --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    """One unit to import: ``values`` as field input, read at ``line`` of its file."""

    line: int
    values: dict


@dataclass(frozen=True)
class Problem:
    """Why a row (or the file, line 1 for its header) cannot be imported;
    ``field`` names the column when one is at fault."""

    line: int
    message: TranslationString | str
    field: str = ""


class ImportFailed(ValueError):
    """An import refused as a whole: ``problems`` lists every bad row."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = problems


@dataclass
class ImportSummary:
    """What an import did: the subsites it created, updated, and left as they were."""

    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)


def read_csv(data: bytes) -> list[Row]:
    """The rows of a CSV file (UTF-8, with or without a byte-order mark): a header
    naming some of :data:`COLUMNS` (those of :data:`REQUIRED_COLUMNS` at least), then
    a unit a line; empty lines are skipped. ``hostnames`` holds space-separated host
    names. Raises :class:`ImportFailed` for a file that cannot be read that way."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFailed([Problem(line, _("Tệp không phải văn bản UTF-8."))]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ImportFailed([Problem(1, _csv_message(exc))]) from None
    if not header or not any(cell.strip() for cell in header):
        raise ImportFailed([Problem(1, _("Tệp trống: dòng đầu phải là tên các cột."))])
    columns = [cell.strip().lower() for cell in header]
    problems = header_problems(columns)
    if problems:
        raise ImportFailed(problems)
    rows, problems = [], []
    line = reader.line_num
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(reader.line_num, _csv_message(exc)))
            break
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            problems.append(
                Problem(
                    start,
                    _(
                        "Dòng có ${found} cột, tiêu đề có ${expected} cột.",
                        mapping={"found": len(cells), "expected": len(columns)},
                    ),
                )
            )
            continue
        rows.append(
            Row(start, {name: cell.strip() for name, cell in zip(columns, cells, strict=True)})
        )
    if problems:
        raise ImportFailed(problems)
    return rows


def _csv_message(exc: csv.Error) -> TranslationString:
    return _("Không đọc được dòng CSV: ${reason}.", mapping={"reason": str(exc)})


def header_problems(columns: list[str]) -> list[Problem]:
    """What is wrong with a header: unknown, repeated or missing columns."""
    problems = []
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        problems.append(
            Problem(
                1,
                _(
                    "Cột không có trong danh sách: ${columns} (các cột: ${known}).",
                    mapping={"columns": ", ".join(unknown), "known": ", ".join(COLUMNS)},
                ),
            )
        )
    problems += [Problem(1, message) for message in column_problems(columns, REQUIRED_COLUMNS)]
    return problems


@dataclass
class _Plan:
    row: Row
    existing: object | None
    parsed: dict


def existing_subsite(request, parent, values: dict):
    """The subsite a row stands for, or None (a new one): the one with the row's
    code, or, for a row without a code, the subsite of ``parent`` without a code
    that has the row's title (and the name made from it)."""
    code = values.get("code", "")
    if code:
        uid = request.root.unit_codes.get(code)
        return request.root.uids.get(uid) if uid else None
    title = " ".join(values.get("title", "").split())
    found = parent.get(slugify(title)) if title else None
    if ISubsite.providedBy(found) and not found.code and found.title == title:
        return found
    return None


def check_rows(request, parent, rows: list[Row]) -> list[_Plan]:
    """What importing ``rows`` into ``parent`` would do, each row checked as
    :func:`create_subsite` (or an edit, for a code that exists) would check it, and
    against the other rows (a code or host name twice). Raises
    :class:`ImportFailed` with every problem found; nothing is changed either way."""
    problems: list[Problem] = []
    plans: list[_Plan] = []
    codes = {row.values.get("code", "") for row in rows} - {""}
    first_code: dict[str, int] = {}
    first_host: dict[str, int] = {}
    for row in rows:
        code = row.values.get("code", "")
        existing = existing_subsite(request, parent, row.values)
        folder = existing.__parent__ if existing is not None else parent
        parsed, errors = parse_values(request, row.values, folder, existing)
        if "parent_code" in parsed or "parent_code" not in errors:  # not the field's own error
            errors.pop("parent_code", None)  # a parent may be a row of the file: ask again
            own = existing.code if existing is not None else ""
            errors.update(check_parent_code(request, row.values, codes, own))
        if code and "code" not in errors:
            repeated = seen_before(first_code, code, row.line)
            if repeated is not None:
                errors["code"] = repeated
        for host in parsed.get("hostnames", ()):
            if host in first_host and "hostnames" not in errors:
                errors["hostnames"] = _(
                    "Tên miền “${host}” đã có ở dòng ${line}.",
                    mapping={"host": host, "line": first_host[host]},
                )
            first_host.setdefault(host, row.line)
        for name in COLUMNS:  # in the order of the columns
            if name in errors:
                problems.append(Problem(row.line, errors.pop(name), name))
        problems += [Problem(row.line, message, name) for name, message in errors.items()]
        plans.append(_Plan(row, existing, parsed))
    if problems:
        raise ImportFailed(problems)
    return parents_first(plans)


def parents_first(plans: list[_Plan]) -> list[_Plan]:
    """``plans`` in file order, except that a unit whose parent is a row of the
    file comes after that row; :class:`ImportFailed` for rows whose parent codes
    form a loop."""
    in_file = {plan.row.values.get("code", "") for plan in plans} - {""}
    placed: set[str] = set()
    ordered: list[_Plan] = []
    waiting = plans
    while waiting:
        ready, later = [], []
        for plan in waiting:
            parent_code = plan.row.values.get("parent_code", "")
            blocked = parent_code in in_file and parent_code not in placed
            (later if blocked else ready).append(plan)
        if not ready:
            loop = _("Mã đơn vị cấp trên tạo thành vòng lặp giữa các dòng.")
            raise ImportFailed([Problem(p.row.line, loop, "parent_code") for p in later])
        ordered += ready
        placed.update(plan.row.values.get("code", "") for plan in ready)
        waiting = later
    return ordered


def changed_fields(obj, parsed: dict) -> list[str]:
    """The fields of ``parsed`` whose value differs from ``obj``'s."""
    return [name for name, value in parsed.items() if getattr(obj, name, None) != value]


def import_rows(
    request, parent, rows: list[Row], progress: Callable[[int], None] | None = None
) -> ImportSummary:
    """Import ``rows`` into ``parent``: a row whose code a subsite has updates it
    (and adds what is missing of its structure), any other row adds a subsite.
    Every row is checked first (:func:`check_rows`): with one bad row, nothing is
    changed. ``progress(n)`` is told how many rows are done."""
    plans = check_rows(request, parent, rows)
    summary = ImportSummary()
    savepoint = getattr(getattr(request, "tm", None), "savepoint", None)
    for done, plan in enumerate(plans, start=1):
        obj = plan.existing
        if obj is None:
            summary.created.append(create_subsite(request, parent, plan.row.values))
        else:
            changed = changed_fields(obj, plan.parsed)
            if changed:
                data = {name: plan.row.values[name] for name in changed}
                operations.edit(request, obj, data, source="json", partial=True)
                summary.updated.append(obj)
            else:
                summary.unchanged.append(obj)
            provision(request, obj)
        if savepoint is not None and done % SAVEPOINT_EVERY == 0:
            savepoint(optimistic=True)
        if progress is not None:
            progress(done)
    return summary


# the real units: vietnam-provinces --------------------------------------------------------
class UnknownProvince(ValueError):
    """A province code the vietnam-provinces data does not have."""


def provinces() -> list[tuple[str, str]]:
    """``(code, name)`` of every province in the vietnam-provinces data (2025: 34)."""
    from vietnam_provinces import Province

    return [(f"{int(p.code):02d}", p.name) for p in Province.iter_all()]


def _province(code: str):
    from vietnam_provinces import Province

    try:
        return Province.from_code(int(code))
    except ValueError:
        raise UnknownProvince(code) from None


def _host_label(codename: str) -> str:
    return codename.replace("_", "")


def commune_hosts(wards: list, province_codename: str, domain: str) -> dict[int, str]:
    """Ward code -> host name ``<commune>.<province>.<domain>``: the commune's name
    without its kind and diacritics (``tanphu``), or with its kind (``xatanphu``)
    when two units of the province share the short name, then with its code if
    that still clashes."""
    prefixes = ("dac_khu_", "phuong_", "xa_")

    def short(ward) -> str:
        name = ward.codename
        for prefix in prefixes:
            if name.startswith(prefix):
                return _host_label(name[len(prefix) :])
        return _host_label(name)

    counts: dict[str, int] = {}
    for ward in wards:
        counts[short(ward)] = counts.get(short(ward), 0) + 1
    labels = {w.code: short(w) if counts[short(w)] == 1 else _host_label(w.codename) for w in wards}
    taken: dict[str, int] = {}
    for label in labels.values():
        taken[label] = taken.get(label, 0) + 1
    suffix = f".{_host_label(province_codename)}.{domain.strip('.').lower()}"
    return {
        code: (label if taken[label] == 1 else f"{label}{int(code)}") + suffix
        for code, label in labels.items()
    }


def province_rows(code: str, hosts_domain: str = "") -> list[Row]:
    """Rows for the communes, wards and special zones of province ``code`` (as
    ``01`` or ``1``) from the vietnam-provinces data: titles as the data has them
    (``Phường Ba Đình``), the unit code (5 digits) as code, kind ``commune``, under
    the province (``parent_code`` empty); with ``hosts_domain`` (``gov.vn``), host
    names ``<commune>.<province>.<hosts_domain>``. Line numbers count the units.
    Raises :class:`UnknownProvince`."""
    from vietnam_provinces import Ward

    province = _province(code)
    wards = sorted(Ward.iter_by_province(province.code), key=lambda w: int(w.code))
    hosts = commune_hosts(wards, province.codename, hosts_domain) if hosts_domain else {}
    rows = []
    for line, ward in enumerate(wards, start=1):
        values = {
            "title": ward.name,
            "unit_kind": COMMUNE_KIND,
            "code": f"{int(ward.code):05d}",
            "parent_code": "",
        }
        if ward.code in hosts:
            values["hostnames"] = hosts[ward.code]
        rows.append(Row(line, values))
    return rows
