"""``cong payments check``: ask the platforms again about the waiting payments
(:mod:`core.payments.checks`)."""

from __future__ import annotations

from core.cli.app import CommandEnv
from core.payments.checks import check_waiting


def add_commands(subparsers) -> None:
    """Add ``payments check`` to the command line."""
    command = subparsers.add_parser("payments", help="online payments")
    actions = command.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check", help="ask the providers again about payments waiting 30 minutes to 3 days"
    )
    check.set_defaults(func=check_payments)


def check_payments(env: CommandEnv, args) -> None:
    counts = check_waiting(env.request)
    total = sum(counts.values())
    print(
        f"Checked {total} waiting payment(s): {counts['paid']} paid, "
        f"{counts['not_paid']} not paid, {counts['waiting']} still waiting, "
        f"{counts['unreachable']} without an answer, {counts['refused']} refused."
    )
