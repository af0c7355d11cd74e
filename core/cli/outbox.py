"""``cong outbox send`` delivers the messages due; ``cong outbox list`` lists them.

``send`` is what a timer runs when the application does not deliver in its own
process (``cong.outbox.deliver_in_process = false``), and what an administrator
runs after a mail server's outage instead of waiting for the next retry
(``--all``: every waiting message, due or not). ``list`` shows recipients masked
(its output may end up in a cron log) and never a message's text.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import transaction

from core.cli.app import CommandEnv, CommandError
from core.clock import TIMEZONE, now
from core.outbox import STATES, deliver, outbox_of
from core.outbox.masking import mask, masked_reason
from core.outbox.message import WAITING

#: Messages ``list`` prints by default.
LISTED = 50
#: How long ``purge`` keeps messages that are over, by default (days).
KEEP_DAYS = 90
#: Messages ``purge`` forgets per transaction.
PURGE_BATCH = 1000


def add_commands(subparsers) -> None:
    """Add ``outbox send``, ``outbox list`` and ``outbox purge``."""
    command = subparsers.add_parser("outbox", help="deliver and list outgoing messages")
    actions = command.add_subparsers(dest="action", metavar="ACTION", required=True)
    send = actions.add_parser("send", help="deliver the messages that are due")
    send.add_argument("--limit", type=int, default=None, help="at most this many messages")
    send.set_defaults(func=send_due)
    listing = actions.add_parser("list", help="list messages, newest first")
    listing.add_argument(
        "--state",
        choices=sorted(STATES),
        help="only the messages in this state (default: those waiting)",
    )
    listing.add_argument("--limit", type=int, default=LISTED, help=f"default {LISTED}")
    listing.set_defaults(func=list_messages)
    purge = actions.add_parser(
        "purge", help="forget delivered and given-up messages older than N days"
    )
    purge.add_argument("--older-than-days", type=int, default=KEEP_DAYS, metavar="N",
                       help=f"default {KEEP_DAYS}")  # fmt: skip
    purge.set_defaults(func=purge_messages)


def purge_messages(env: CommandEnv, args) -> None:
    if args.older_than_days < 1:
        raise CommandError("--older-than-days must be at least 1.")
    outbox = outbox_of(env.root)
    gone = total = 0
    while True:  # in transactions of a bounded size
        gone = outbox.purge(now() - timedelta(days=args.older_than_days), limit=PURGE_BATCH)
        total += gone
        transaction.commit()
        if gone < PURGE_BATCH:
            break
    print(
        f"Forgot {total} message(s) delivered or given up more than {args.older_than_days} day(s) ago."
    )


def send_due(env: CommandEnv, args) -> None:
    if args.limit is not None and args.limit < 1:
        raise CommandError("--limit must be at least 1.")
    report = deliver(env.db, env.registry, limit=args.limit)
    print(
        f"Delivered: {report.delivered}; temporary failures: {report.temporary_failure}; "
        f"permanent failures: {report.permanent_failure}."
    )


def shown(moment: datetime | None) -> str:
    return f"{moment.astimezone(TIMEZONE):%Y-%m-%d %H:%M}" if moment else "-"


def list_messages(env: CommandEnv, args) -> None:
    if args.limit < 1:
        raise CommandError("--limit must be at least 1.")
    outbox = outbox_of(env.root)
    states = (args.state,) if args.state else WAITING
    found = [m for state in states for m in outbox.in_state(state, 0, args.limit)]
    found.sort(key=lambda m: m.id, reverse=True)
    if not found:
        print("No messages.")
        return
    for m in found[: args.limit]:
        error = masked_reason(m.last_error, m.recipient)
        print(
            f"{m.id}  {m.state:<17} {m.channel:<5} {mask(m.recipient):<24} "
            f"attempts {m.attempts}  next {shown(m.next_attempt)}  {error}".rstrip()
        )
