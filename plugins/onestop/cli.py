"""``cong onestop ...``: the one-stop desk's maintenance.

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

#: Dossiers anonymised per transaction.
BATCH = 500


@hookimpl
def cong_cli_commands(subparsers):
    """Add ``onestop anonymise`` and ``onestop stats``."""
    cmd = subparsers.add_parser("onestop", help="one-stop desks: anonymise, statistics")
    actions = cmd.add_subparsers(dest="action", metavar="ACTION", required=True)
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
    from plugins.onestop.statistics import KEYS, PeriodError, parse_period, province_statistics

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
