"""``cong services ...``: import and export the procedure list.

- ``cong services import FILE [--create-fields] [--dry-run]``: FILE is JSON, CSV or
  Excel (.xlsx), as the catalog's import page takes it
  (:mod:`plugins.services.exchange`); every row is checked first, and with one
  problem nothing is imported: each is printed with its line, exit status 1;
- ``cong services export --format json|csv|xlsx [-o FILE]``: every procedure,
  ordered by code (to standard output without ``-o``).

Both act as a Manager (``--as``, default ``admin``) on the catalog at ``--catalog``
(default ``/thu-tuc-hanh-chinh``).
"""

from __future__ import annotations

import sys

from core.cli import CommandEnv, CommandError, act_as_login, find_object
from core.hookspecs import hookimpl
from plugins.services.interfaces import IServiceCatalog
from plugins.services.structure import CATALOG_NAME

#: Where the province's catalog is, unless ``--catalog`` says otherwise.
DEFAULT_CATALOG = "/" + CATALOG_NAME


@hookimpl
def cong_cli_commands(subparsers):
    """Add ``services import`` and ``services export``."""
    cmd = subparsers.add_parser("services", help="import and export the public-service catalog")
    actions = cmd.add_subparsers(dest="action", metavar="ACTION", required=True)

    imports = actions.add_parser(
        "import",
        help="add or update procedures from a JSON, CSV or Excel file",
        description="Add the procedures of FILE to the catalog, or update those whose code "
        "it has. Every row is checked first: with one problem, nothing is imported, each "
        "problem is printed with its line, and the exit status is 1.",
    )
    imports.add_argument("file", metavar="FILE", help="a .json, .csv or .xlsx file")
    imports.add_argument(
        "--create-fields", action="store_true", help="add the fields (lĩnh vực) the site lacks"
    )
    imports.add_argument("--dry-run", action="store_true", help="check the file, store nothing")
    common_options(imports)
    imports.set_defaults(func=import_command)

    exports = actions.add_parser("export", help="write every procedure to a file")
    exports.add_argument("--format", choices=("json", "csv", "xlsx"), default="json")
    exports.add_argument("-o", "--output", metavar="FILE", help="default: standard output")
    common_options(exports)
    exports.set_defaults(func=export_command)


def common_options(parser) -> None:
    parser.add_argument(
        "--catalog",
        default=DEFAULT_CATALOG,
        metavar="PATH",
        help=f"the catalog's path (default: {DEFAULT_CATALOG})",
    )
    parser.add_argument(
        "--as",
        dest="login",
        default="admin",
        metavar="LOGIN",
        help="the user who makes the change (default: admin)",
    )


def catalog_folder(env: CommandEnv, args):
    """The catalog the command works on, acting as ``--as``."""
    act_as_login(env, args.login)
    return find_object(env, args.catalog, "procedure catalog", IServiceCatalog)


def import_command(env: CommandEnv, args) -> None:
    from core.cli.progress import PhaseProgress
    from core.tabular import ImportFailed, limits_of, problem_text, read_limited
    from plugins.services.exchange.importing import import_services
    from plugins.services.exchange.reading import read_file

    folder = catalog_folder(env, args)
    limits = limits_of(env.registry)
    progress = PhaseProgress()
    try:
        handle = open(args.file, "rb")  # closed once read, below
    except OSError as exc:
        raise CommandError(f"The file {args.file} cannot be read: {exc.strerror}.") from None
    try:
        with handle:
            upload = read_file(read_limited(handle, limits), args.file, limits)
        summary = import_services(
            env.request,
            folder,
            upload,
            create_fields=args.create_fields,
            dry_run=args.dry_run,
            progress=progress,
        )
    except ImportFailed as exc:
        progress.close()
        for problem in exc.problems:
            print(f"{args.file}: {problem_text(env.request, problem)}", file=sys.stderr)
        raise CommandError(
            f"Nothing was imported: {len(exc.problems)} problem(s) in {args.file}.", 1
        ) from None
    progress.close()
    done = "Checked, nothing stored: would add" if args.dry_run else "Imported: added"
    print(
        f"{done} {len(summary.created)} procedure(s), updated {len(summary.updated)}, "
        f"{len(summary.unchanged)} unchanged; {len(summary.fields)} new field(s)."
    )


def export_command(env: CommandEnv, args) -> None:
    from plugins.services.exchange.export import WRITERS, services_of

    folder = catalog_folder(env, args)
    services = services_of(env.request, folder)
    data = WRITERS[args.format](env.request, services)
    if args.output:
        try:
            with open(args.output, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise CommandError(f"Cannot write {args.output}: {exc.strerror}.") from None
        print(f"Exported {len(services)} procedure(s) to {args.output}.")
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
