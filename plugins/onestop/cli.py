"""``cong onestop ...``: the one-stop desk's maintenance.

- ``cong onestop connector add NAME --unit CODE``: make a connector of the national
  portal's intake (:mod:`plugins.onestop.connectors`) whose dossiers are received at
  unit CODE when they name none; prints its token, once;
- ``cong onestop connector list``: the connectors (name, unit, when made);
- ``cong onestop connector revoke NAME``: its token is refused from now on;
- ``cong onestop anonymise [--older-than-days N]``: remove the personal data of
  the dossiers closed more than N days ago (by default the setting
  ``cong.onestop.anonymise_after_days``, five years without it), see
  :mod:`plugins.onestop.anonymise`; prints how many dossiers and files.
- ``cong onestop stats --from YYYY-MM-DD --to YYYY-MM-DD``: the province's
  figures for a period, a line per unit with a desk and the sum
  (docs/decisions/0028: the province's statistics are a report, not a page).
"""

from __future__ import annotations

import transaction

from core.cli import CommandEnv, CommandError, translate
from core.clock import now
from core.hookspecs import hookimpl
from plugins.onestop.connectors import add_connector, connectors_of, revoke_connector
from plugins.onestop.units import desk_of

#: Dossiers anonymised per transaction.
BATCH = 500


@hookimpl
def cong_cli_commands(subparsers):
    """Add ``onestop connector add|list|revoke``, ``onestop anonymise`` and
    ``onestop stats``."""
    cmd = subparsers.add_parser("onestop", help="one-stop desks: connectors, anonymise, statistics")
    actions = cmd.add_subparsers(dest="action", metavar="ACTION", required=True)
    connector = actions.add_parser("connector", help="connectors of the national portal's intake")
    connector_actions = connector.add_subparsers(
        dest="connector_action", metavar="ACTION", required=True
    )
    add = connector_actions.add_parser("add", help="make a connector and print its token (once)")
    add.add_argument("name", metavar="NAME", help="lower-case letters, digits, - and _")
    add.add_argument(
        "--unit", required=True, metavar="CODE", help="the unit receiving its dossiers by default"
    )
    add.set_defaults(func=add_command)
    listing = connector_actions.add_parser("list", help="list the connectors")
    listing.set_defaults(func=list_command)
    revoke = connector_actions.add_parser(
        "revoke", help="remove a connector: its token stops working"
    )
    revoke.add_argument("name", metavar="NAME")
    revoke.set_defaults(func=revoke_command)
    anonymise = actions.add_parser(
        "anonymise",
        help="remove the personal data of dossiers closed long ago",
        description="Replace the applicant's and representative's personal data of the "
        "dossiers closed more than N days ago with a placeholder and drop their files; "
        "codes, statuses and dates stay, so the statistics do not change. Running it "
        "again does nothing more. Pack the database afterwards to remove old revisions.",
    )
    anonymise.add_argument(
        "--older-than-days",
        type=int,
        metavar="N",
        help="closed more than N days ago (default: cong.onestop.anonymise_after_days)",
    )
    anonymise.set_defaults(func=anonymise_command)
    stats = actions.add_parser("stats", help="the province's dossier figures for a period")
    stats.add_argument("--from", dest="first", metavar="YYYY-MM-DD", default="")
    stats.add_argument("--to", dest="last", metavar="YYYY-MM-DD", default="")
    stats.set_defaults(func=stats_command)


def add_command(env: CommandEnv, args) -> None:
    if desk_of(env.root, args.unit) is None:
        raise CommandError(f"No unit with code {args.unit} has a one-stop desk.")
    try:
        connector, token = add_connector(env.root, args.name, args.unit)
    except ValueError as exc:
        raise CommandError(f"{exc}.") from None
    print(f"Connector {connector.name} made for unit {connector.unit}. Its token (shown once):")
    print(token)


def list_command(env: CommandEnv, args) -> None:
    connectors = connectors_of(env.root)
    if not connectors:
        print("No connectors.")
        return
    for connector in connectors.values():
        print(f"{connector.name}\t{connector.unit}\t{connector.created:%Y-%m-%d %H:%M}")


def revoke_command(env: CommandEnv, args) -> None:
    if not revoke_connector(env.root, args.name):
        raise CommandError(f"There is no connector named {args.name}.")
    print(f"Connector {args.name} revoked.")


def anonymise_command(env: CommandEnv, args) -> None:
    from plugins.onestop.anonymise import PACK_NOTE, anonymise, days_setting

    days = args.older_than_days if args.older_than_days is not None else days_setting(env.registry)
    if days < 1:
        raise CommandError("--older-than-days must be at least 1.")
    done = [0]

    def every() -> None:
        done[0] += 1
        if done[0] % BATCH == 0:
            transaction.commit()

    counts = anonymise(env.root, days, now(), every)
    print(
        f"Anonymised {counts.dossiers} dossier(s) closed more than {days} day(s) ago; "
        f"dropped {counts.files} file(s). {PACK_NOTE}"
    )


def stats_command(env: CommandEnv, args) -> None:
    from core.periods import PeriodError
    from plugins.onestop.statistics import KEYS, parse_period, province_statistics

    try:
        period = parse_period(args.first, args.last)
    except PeriodError as exc:
        raise CommandError(translate(env.request, exc.message)) from None
    rows = province_statistics(env.root, period)
    print("unit\t" + "\t".join(KEYS) + "\ton_time_rate")
    for unit, counts in rows:
        rate = counts.on_time_rate
        cells = [str(counts[key]) for key in KEYS] + ["" if rate is None else f"{rate:.3f}"]
        print(unit + "\t" + "\t".join(cells))
