"""``cong subsite ...``: add, list and import subsites, and choose their plugins.

- ``cong subsite add --title T --kind K [--code C] [--parent-code P] [--host H]...``
- ``cong subsite list [--kind K]``
- ``cong subsite import FILE [--dry-run]``: see :data:`IMPORT_HELP` for the columns;
- ``cong subsite import-units --province CODE [--hosts-domain DOMAIN] [--dry-run]``:
  the real communes and wards of a province, from the vietnam-provinces data;
- ``cong subsite plugins PATH [--enable NAME]... [--disable NAME]...``

Subsites are added by a Manager (``--as``, default ``admin``), through the same
code as the add form (:mod:`subsites.provisioning`). An import checks every row
first and changes nothing if one is refused; the command then lists each bad row
with its line number and exits with status 2.
"""

from __future__ import annotations

import argparse
import sys

from pyramid.traversal import resource_path

from catalog import search
from core.cli.app import CommandEnv, CommandError, act_as_login, find_object, translate
from core.cli.progress import PhaseProgress
from core.operations import ValidationFailed
from core.tabular import ImportFailed, Summary, limits_of, read_limited
from subsites import plugins as subsite_plugins
from subsites.content import TYPE_NAME
from subsites.interfaces import ISubsite
from subsites.provisioning import (
    UnknownProvince,
    create_subsite,
    import_rows,
    province_rows,
    provinces,
    read_file,
)
from subsites.units import unit_kinds

IMPORT_HELP = """\
FILE is a CSV file in UTF-8 (a byte-order mark is allowed; cells separated by
commas or semicolons) or an Excel workbook (.xlsx, its first sheet), whose first
line names its columns, in any order, out of: title, unit_kind, code,
parent_code, hostnames, address, phone, email (title and unit_kind are
required); or a JSON list of objects with those keys. One unit a line:
  title        the unit's name, e.g. "UBND xã Tân Phú"
  unit_kind    a kind name: department, district (with three levels), commune,
               other, or those of the setting cong.unit_kinds
  code         the administrative code, digits only, unique (may be empty)
  parent_code  the code of the parent unit (a subsite, or a row of the file);
               empty: the unit is under the province
  hostnames    host names separated by spaces, e.g. "tanphu.haiduong.gov.vn"
  address, phone, email
A row whose code a subsite already has updates that subsite (a row without a
code: the subsite of the same title without a code), so importing a file again
changes nothing. Every row is checked first: if any is refused, each bad row is
listed with its line number and reason, nothing is imported, and the exit status
is 2. With --dry-run, the file is checked and the counts are printed, and
nothing is stored. Files larger than cong.import_max_mb megabytes or with more
than cong.import_max_rows rows are refused."""


def add_commands(subparsers) -> None:
    """Add ``subsite`` and its actions to the command line."""
    cmd = subparsers.add_parser("subsite", help="add, list and import subsites (units' sites)")
    actions = cmd.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="add a subsite with its default structure")
    add.add_argument("--title", required=True, help="the unit's name, e.g. 'UBND xã Tân Phú'")
    add.add_argument("--kind", required=True, help="the unit kind, e.g. commune or department")
    add.add_argument("--code", default="", help="the administrative code (digits)")
    add.add_argument("--parent-code", default="", help="the parent unit's code (default: none)")
    add.add_argument(
        "--host", action="append", default=[], metavar="HOST", help="a host name (repeatable)"
    )
    add.add_argument("--address", default="")
    add.add_argument("--phone", default="")
    add.add_argument("--email", default="")
    acting_user(add)
    add.set_defaults(func=add_subsite)

    listing = actions.add_parser("list", help="list the subsites")
    listing.add_argument("--kind", help="only the subsites of this unit kind")
    listing.set_defaults(func=list_subsites)

    imports = actions.add_parser(
        "import",
        help="add or update subsites from a CSV file",
        description=IMPORT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imports.add_argument("file", metavar="FILE", help="a .csv, .xlsx or .json file")
    dry_run_option(imports)
    acting_user(imports)
    imports.set_defaults(func=import_file)

    units = actions.add_parser(
        "import-units",
        help="add the real communes and wards of a province (vietnam-provinces data)",
        description="Add a subsite (kind 'commune', code: the unit's code) for each commune, "
        "ward and special zone of a province, from the vietnam-provinces package (2025 data: "
        "34 provinces, 3,321 communes). Units already there (same code) are updated.",
    )
    units.add_argument(
        "--province", required=True, metavar="CODE", help="the province code, e.g. 01 for Hà Nội"
    )
    units.add_argument(
        "--hosts-domain",
        default="",
        metavar="DOMAIN",
        help="give each unit the host <commune>.<province>.DOMAIN, e.g. with gov.vn: "
        "tanphu.haiduong.gov.vn (default: no host names)",
    )
    dry_run_option(units)
    acting_user(units)
    units.set_defaults(func=import_units)

    chosen = actions.add_parser("plugins", help="show, enable or disable a subsite's plugins")
    chosen.add_argument("path", metavar="PATH", help="the subsite's path, e.g. /tan-phu")
    chosen.add_argument("--enable", action="append", default=[], metavar="NAME")
    chosen.add_argument("--disable", action="append", default=[], metavar="NAME")
    acting_user(chosen)
    chosen.set_defaults(func=subsite_plugins_command)


def acting_user(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as",
        dest="login",
        default="admin",
        metavar="LOGIN",
        help="the Manager who makes the change (default: admin)",
    )


def dry_run_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dry-run", action="store_true", help="check every row and count, store nothing"
    )


def kind_names(env: CommandEnv) -> str:
    return ", ".join(k.name for k in unit_kinds(env.registry))


def refused(env: CommandEnv, errors: dict) -> CommandError:
    """A CommandError listing each refused field and why."""
    lines = [f"  {name}: {translate(env.request, message)}" for name, message in errors.items()]
    return CommandError("The subsite was not added:\n" + "\n".join(lines))


# commands --------------------------------------------------------------------------------
def add_subsite(env: CommandEnv, args) -> None:
    act_as_login(env, args.login)
    values = {
        "title": args.title,
        "unit_kind": args.kind,
        "code": args.code,
        "parent_code": args.parent_code,
        "hostnames": args.host,
        "address": args.address,
        "phone": args.phone,
        "email": args.email,
    }
    try:
        subsite = create_subsite(env.request, env.root, values)
    except ValidationFailed as exc:
        raise refused(env, exc.errors) from None
    hosts = f" (hosts: {', '.join(subsite.hostnames)})" if subsite.hostnames else ""
    print(f"Added the subsite {subsite.title} at {resource_path(subsite)}{hosts}.")


def list_subsites(env: CommandEnv, args) -> None:
    if args.kind and args.kind not in {k.name for k in unit_kinds(env.registry)}:
        raise CommandError(f"Unknown unit kind '{args.kind}'. Kinds: {kind_names(env)}.")
    act_as_login(env, "admin")
    results = search(
        env.request, types=(TYPE_NAME,), sort_on="sortable_title", sort_order="ascending", size=0
    )
    found = search(
        env.request,
        types=(TYPE_NAME,),
        sort_on="sortable_title",
        sort_order="ascending",
        size=results.total,
    )
    rows = [("CODE", "KIND", "TITLE", "PATH", "HOSTS")]
    for record in found.records:
        subsite = env.root.uids.get(record.uid)
        if subsite is None or (args.kind and subsite.unit_kind != args.kind):
            continue
        rows.append(
            (
                subsite.code or "-",
                subsite.unit_kind,
                subsite.title,
                record.path,
                " ".join(subsite.hostnames),
            )
        )
    if len(rows) == 1:
        print("No subsites.")
        return
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[4]]).rstrip())
    print(f"{len(rows) - 1} subsite(s).")


def run_import(env: CommandEnv, rows, source: str, dry_run: bool = False) -> None:
    """Import ``rows`` with a progress bar; report bad rows and exit 2 if any."""
    progress = PhaseProgress()
    try:
        summary = import_rows(env.request, env.root, rows, progress, dry_run=dry_run)
    except ImportFailed as exc:
        progress.close()
        report_problems(env, exc, source)
        raise CommandError(
            f"Nothing was imported: {len({p.line for p in exc.problems})} bad line(s) in {source}."
        ) from None
    progress.close()
    report_summary(summary)


def report_problems(env: CommandEnv, exc: ImportFailed, source: str) -> None:
    for problem in exc.problems:
        where = f"{source}, line {problem.line}"
        column = f" ({problem.field})" if problem.field else ""
        print(f"{where}{column}: {translate(env.request, problem.message)}", file=sys.stderr)


def report_summary(summary: Summary) -> None:
    done = "Checked, nothing stored: would have" if summary.dry_run else "Imported:"
    print(
        f"{done} {len(summary.created)} subsite(s) added, {len(summary.updated)} updated, "
        f"{len(summary.unchanged)} unchanged."
    )


def import_file(env: CommandEnv, args) -> None:
    act_as_login(env, args.login)
    limits = limits_of(env.registry)
    try:
        with open(args.file, "rb") as handle:
            rows = read_file(read_limited(handle, limits), args.file, limits)
    except OSError as exc:
        raise CommandError(f"The file {args.file} cannot be read: {exc.strerror}.") from None
    except ImportFailed as exc:
        report_problems(env, exc, args.file)
        raise CommandError(f"Nothing was imported: {args.file} cannot be read.") from None
    run_import(env, rows, args.file, args.dry_run)


def import_units(env: CommandEnv, args) -> None:
    act_as_login(env, args.login)
    domain = args.hosts_domain.strip().strip(".").lower()
    try:
        rows = province_rows(args.province, domain)
    except UnknownProvince:
        known = ", ".join(f"{code} {name}" for code, name in provinces())
        raise CommandError(
            f"Unknown province code '{args.province}'. Provinces: {known}."
        ) from None
    run_import(env, rows, f"province {args.province}", args.dry_run)


def subsite_plugins_command(env: CommandEnv, args) -> None:
    subsite = find_object(env, args.path, "subsite", ISubsite)
    act_as_login(env, args.login)
    try:
        for name in args.enable:
            subsite_plugins.enable(env.request, subsite, name)
        for name in args.disable:
            subsite_plugins.disable(env.request, subsite, name)
    except ValueError as exc:
        raise CommandError(f"{exc}.") from None
    enabled = [
        n for n in subsite_plugins.running_names(env.registry) if n in subsite.enabled_plugins
    ]
    print(f"Plugins enabled on {resource_path(subsite)}: {', '.join(enabled) or 'none'}.")
