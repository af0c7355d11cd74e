"""Provisioning: creating subsites one by one, from a CSV file, or from the real
administrative units of a province, each with its default structure.

Every door (the Manager's add form, the JSON API, :func:`create_subsite` used by
the command line and the imports) adds a subsite through
:func:`core.operations.create`, so the Subsite type's fields and its check
(:func:`subsites.content.check_subsite`: host names and codes no other subsite
has) validate it the same way; this module adds the one check that needs the other
units (:func:`check_parent_code`). When a subsite is added, whichever door it came
through, this module's ``cong_object_added`` hook calls ``cong_subsite_created`` so
each plugin adds its sections (see :mod:`subsites.structure`).

Imports (:func:`read_file`, :func:`import_rows`) go through the kernel's tabular
pipeline (:mod:`core.tabular`): every row is checked first and nothing changes when
any is refused; the caller gets an :class:`~core.tabular.ImportFailed` listing each
bad row's line and column. A row whose code a subsite already has updates that
subsite, so importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from core import operations
from core.hookspecs import hookimpl
from core.i18n import _
from core.names import slugify
from core.tabular import (
    CREATE,
    DEFAULT_LIMITS,
    UNCHANGED,
    UPDATE,
    Column,
    Columns,
    Importer,
    ImportFailed,
    Limits,
    Plan,
    ProgressReport,
    Row,
    Summary,
    parse_values,
    read_rows,
    run_import,
)
from core.types import get_types
from subsites.content import TYPE_NAME
from subsites.interfaces import ISubsite

#: The columns of an import file, in the order the documentation lists them.
COLUMNS = ("title", "unit_kind", "code", "parent_code", "hostnames", "address", "phone", "email")
#: Columns an import file must have.
REQUIRED_COLUMNS = ("title", "unit_kind")
#: The columns of an import file as :mod:`core.tabular` reads them; the code names a row.
UNIT_COLUMNS = Columns(
    (Column(name, required=name in REQUIRED_COLUMNS) for name in COLUMNS), key="code"
)
#: The unit kind of the communes (and wards) imported from vietnam-provinces.
COMMUNE_KIND = "commune"


# one subsite ---------------------------------------------------------------------------
def provision(request, subsite) -> None:
    """Ask every plugin to add what is missing of ``subsite``'s default structure
    (the ``cong_subsite_created`` hook); safe to call again on an existing subsite."""
    request.registry.cong_plugins.hook.cong_subsite_created(request=request, subsite=subsite)


def check_parent_code(
    request, values: dict, known_codes: Iterable[str] = (), own_code: str = ""
) -> dict:
    """Errors for a ``parent_code`` that names no unit: it must be empty (the
    province), the code of an existing subsite or one of ``known_codes`` (units
    imported along with this one), and not the unit's own code (``values``'
    ``code``, else ``own_code``). The Subsite type's check asks this for every
    door (form, API, command line)."""
    parent_code = values.get("parent_code") or ""
    if not parent_code:
        return {}
    if parent_code == (values.get("code", own_code) or ""):
        return {"parent_code": _("Một đơn vị không thể trực thuộc chính nó.")}
    if parent_code in request.root.unit_codes or parent_code in set(known_codes):
        return {}
    return {
        "parent_code": _(
            "Không có đơn vị nào mang mã “${code}”; để trống nếu trực thuộc tỉnh.",
            mapping={"code": parent_code},
        )
    }


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


@hookimpl
def cong_cli_commands(subparsers):
    from subsites.cli import add_commands  # the command line is loaded only when used

    add_commands(subparsers)


# imports --------------------------------------------------------------------------------
def _text(values: dict, name: str) -> str:
    """The value of column ``name`` if it is text (a JSON file may hold anything:
    the field's own check says what is wrong with it), else ``""``."""
    value = values.get(name, "")
    return value if isinstance(value, str) else ""


def read_file(data: bytes, filename: str = "", limits: Limits = DEFAULT_LIMITS) -> list[Row]:
    """The rows of a units file (see :data:`UNIT_COLUMNS`): CSV (UTF-8, a
    byte-order mark allowed, ``,`` or ``;``), Excel (.xlsx) or a JSON list of
    objects, by the extension of ``filename`` or else by its content.
    ``hostnames`` holds space-separated host names (a list in JSON). Raises
    :class:`~core.tabular.ImportFailed` for a file that cannot be read that way."""
    return read_rows(data, filename, UNIT_COLUMNS, limits)


@dataclass
class UnitPlan(Plan):
    """What importing a row does: the subsite it updates (None: a new one), and
    its values as the Subsite fields parse them."""

    existing: object | None = None
    parsed: dict = field(default_factory=dict)


def existing_subsite(request, parent, values: dict):
    """The subsite a row stands for, or None (a new one): the one with the row's
    code, or, for a row without a code, the subsite of ``parent`` without a code
    that has the row's title (and the name made from it)."""
    code = _text(values, "code")
    if code:
        uid = request.root.unit_codes.get(code)
        return request.root.uids.get(uid) if uid else None
    title = " ".join(_text(values, "title").split())
    found = parent.get(slugify(title)) if title else None
    if ISubsite.providedBy(found) and not found.code and found.title == title:
        return found
    return None


def changed_fields(obj, parsed: dict) -> list[str]:
    """The fields of ``parsed`` whose value differs from ``obj``'s."""
    return [name for name, value in parsed.items() if getattr(obj, name, None) != value]


class UnitImporter(Importer):
    """Subsites into ``parent`` from rows: a row whose code a subsite has updates
    it (and adds what is missing of its structure), any other row adds a subsite.
    Each row is checked as :func:`create_subsite` (or an edit) would check it, and
    against the other rows (a code or a host name twice, parents in a loop)."""

    columns = UNIT_COLUMNS

    def __init__(self, request, parent, rows: list[Row]):
        self.request = request
        self.parent = parent
        self.type = get_types(request.registry)[TYPE_NAME]
        self.codes = {_text(row.values, "code") for row in rows} - {""}
        self.first_host: dict[str, int] = {}

    def plan(self, row: Row) -> UnitPlan:
        existing = existing_subsite(self.request, self.parent, row.values)
        folder = existing.__parent__ if existing is not None else self.parent
        parsed, errors = parse_values(self.request, self.type, folder, row.values, "json", existing)
        if "parent_code" in parsed or "parent_code" not in errors:  # not the field's own error
            errors.pop("parent_code", None)  # a parent may be a row of the file: ask again
            own = existing.code if existing is not None else ""
            errors.update(check_parent_code(self.request, row.values, self.codes, own))
        for host in parsed.get("hostnames", ()):
            if host in self.first_host and "hostnames" not in errors:
                errors["hostnames"] = _(
                    "Tên miền “${host}” đã có ở dòng ${line}.",
                    mapping={"host": host, "line": self.first_host[host]},
                )
            self.first_host.setdefault(host, row.line)
        if existing is None:
            action = CREATE
        else:
            action = UPDATE if changed_fields(existing, parsed) else UNCHANGED
        key = _text(row.values, "code") or _text(row.values, "title")
        return UnitPlan(row, action, key, errors, existing, parsed)

    def order(self, plans: list[Plan]) -> list[Plan]:
        """``plans`` in file order, except that a unit whose parent is a row of
        the file comes after that row; :class:`~core.tabular.ImportFailed` for rows
        whose parent codes form a loop."""
        placed: set[str] = set()
        ordered: list[Plan] = []
        waiting = plans
        while waiting:
            ready, later = [], []
            for plan in waiting:
                parent_code = _text(plan.row.values, "parent_code")
                blocked = parent_code in self.codes and parent_code not in placed
                (later if blocked else ready).append(plan)
            if not ready:
                loop = {"parent_code": _("Mã đơn vị cấp trên tạo thành vòng lặp giữa các dòng.")}
                raise ImportFailed(
                    [p for plan in later for p in self.columns.problems(plan.row.line, loop)]
                )
            ordered += ready
            placed.update(_text(plan.row.values, "code") for plan in ready)
            waiting = later
        return ordered

    def apply(self, plan: UnitPlan):
        obj = plan.existing
        if obj is None:
            return create_subsite(self.request, self.parent, plan.row.values)
        changed = changed_fields(obj, plan.parsed)
        if changed:
            data = {name: plan.row.values[name] for name in changed}
            operations.edit(self.request, obj, data, source="json", partial=True)
        provision(self.request, obj)
        return obj


def import_rows(
    request, parent, rows: list[Row], progress: ProgressReport | None = None, dry_run: bool = False
) -> Summary:
    """Import ``rows`` into ``parent`` (see :class:`UnitImporter`), all or nothing:
    with one bad row, :class:`~core.tabular.ImportFailed` lists every problem and
    nothing is changed; with ``dry_run``, nothing is changed either way. The
    summary lists the subsites (in a dry run, the rows' codes or titles);
    ``progress`` hears how far the import is."""
    importer = UnitImporter(request, parent, rows)
    return run_import(
        importer, rows, dry_run=dry_run, tm=getattr(request, "tm", None), progress=progress
    )


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
