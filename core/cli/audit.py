"""``cong audit verify`` checks the audit log's hash chain; ``cong audit purge``
removes the months older than ``cong.audit.retention_days`` (see :mod:`core.audit`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core import audit
from core.audit.store import AuditLog
from core.cli.app import CommandEnv, CommandError
from core.cli.users import CLI


def add_commands(subparsers) -> None:
    """Add ``audit verify`` and ``audit purge``."""
    command = subparsers.add_parser("audit", help="check and purge the audit log")
    actions = command.add_subparsers(dest="action", metavar="ACTION", required=True)
    verify = actions.add_parser("verify", help="check that no record was changed or removed")
    verify.set_defaults(func=verify_log)
    purge = actions.add_parser(
        "purge", help="remove the months older than cong.audit.retention_days"
    )
    purge.set_defaults(func=purge_log)


def verify_log(env: CommandEnv, args) -> int:
    log = audit.audit_log(env.registry)
    count, problem = log.verify()
    if problem is not None:
        raise CommandError(f"The audit log is broken after {count} good record(s): {problem}.", 1)
    print(f"The audit log is intact: {count} record(s).")
    print(f"Newest record's hash: {log.head()} (keep it elsewhere: a log cut short shows)")
    return 0


def purge_log(env: CommandEnv, args) -> None:
    days = env.registry.cong_audit_retention_days
    print(purge(audit.audit_log(env.registry), days, datetime.now(UTC)))


def purge(log: AuditLog, days: int, moment: datetime) -> str:
    """Remove the months that ended more than ``days`` days before ``moment``
    (UTC), leaving a record of it in the chain; say what was done."""
    cutoff = moment - timedelta(days=days)
    before = f"{cutoff.year:04d}-{cutoff.month:02d}"  # the month holding the cutoff stays
    entry = {
        "time": moment.isoformat(timespec="microseconds").replace("+00:00", "Z"),
        "user": CLI,
        "address": "",
        "target": "",
        "details": {"retention_days": days},
    }
    gone = log.purge(before, entry)
    if not gone:
        return f"Nothing to remove: no month ended more than {days} day(s) ago."
    return f"Removed the audit records of {', '.join(gone)} (older than {days} day(s))."
