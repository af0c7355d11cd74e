"""The audit log: who did what, when, from where (see :mod:`core.audit.store` for
the files and their hash chain).

::

    from core import audit

    audit.record(request, "export", "/so-tnmt/van-ban", format="xlsx", rows=120)

:func:`record` writes once the request's transaction commits (nothing when it is
aborted); :func:`record_now` writes at once, whatever becomes of the transaction
(a failed login, whose request answers an error). A record holds the requester's
login (``anonymous`` without one), the time (UTC), the client's address as the
server sees it (behind a trusted proxy, the forwarded one: see production.ini),
the action, the target (a path, a uid or a code) and small ``details``: never a
password, a code sent to someone, nor an applicant's data.

Settings: ``cong.audit.fsync`` (default true: each record forced to the disk) and
``cong.audit.retention_days`` (default 1825; ``cong audit purge`` removes the
months older than that).
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime

from pyramid.config import Configurator
from pyramid.settings import asbool

from core.audit.store import AuditLog

log = logging.getLogger(__name__)

#: Days records are kept unless ``cong.audit.retention_days`` says.
DEFAULT_RETENTION_DAYS = 1825
#: Characters of a target or of a detail's text kept at most; details kept at most.
MAX_TEXT = 200
MAX_DETAILS = 20
ANONYMOUS = "anonymous"


def audit_log(registry) -> AuditLog:
    """The application's audit log."""
    return registry.cong_audit


def record(request, action: str, target: str = "", *, actor: str | None = None, **details) -> None:
    """Record ``action`` on ``target`` by the requester (or ``actor``, a login or a
    name such as ``cli``) with ``details`` (short texts, numbers, lists of them)
    once the request's transaction commits; at once when there is none."""
    entry = _entry(request, action, target, actor, details)
    txn = _transaction(request)
    if txn is None:
        _write(request.registry, entry)
        return
    txn.addAfterCommitHook(_after_commit, (request.registry, entry))


def record_now(
    request, action: str, target: str = "", *, actor: str | None = None, **details
) -> None:
    """Like :func:`record`, but written at once even if the transaction aborts."""
    _write(request.registry, _entry(request, action, target, actor, details))


def _entry(request, action: str, target, actor: str | None, details: dict) -> dict:
    if actor is None:
        identity = request.identity
        actor = identity.login if identity is not None else ANONYMOUS
    return {
        "user": _text(actor),
        "address": request.client_addr or "",
        "action": _text(action),
        "target": _text(target),
        "details": {_text(k): _value(v) for k, v in list(details.items())[:MAX_DETAILS]},
    }


def _text(value) -> str:
    return str(value if value is not None else "")[:MAX_TEXT]


def _value(value):
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, list | tuple):
        return [_value(v) for v in value[:MAX_DETAILS]]
    try:
        items = sorted(value, key=str)  # a set of some kind
    except TypeError:
        return _text(value)
    return [_value(v) for v in items[:MAX_DETAILS]]


def _transaction(request):
    """The request's current transaction, or None when it has none."""
    from transaction.interfaces import NoTransaction

    manager = request.environ.get("tm.manager") or getattr(request, "tm", None)
    if manager is None:
        return None
    try:
        txn = manager.get()
    except NoTransaction:
        return None
    return txn if txn.status == "Active" else None


def _after_commit(committed: bool, registry, entry: dict) -> None:
    if committed:
        _write(registry, entry)


def _write(registry, entry: dict) -> None:
    moment = datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    try:
        audit_log(registry).append({"time": moment, **entry})
    except OSError:
        log.exception("the audit log could not be written: %s", entry["action"])


def includeme(config: Configurator) -> None:
    settings = config.registry.settings
    directory = os.path.join(settings["cong"].data_dir, "audit")
    fsync = asbool(settings.get("cong.audit.fsync", True))
    config.registry.cong_audit = AuditLog(directory, fsync=fsync)
    config.registry.cong_audit_retention_days = retention_days(settings)


def retention_days(settings: dict) -> int:
    """``cong.audit.retention_days``, checked (a SettingsError names the problem)."""
    from core.settings import SettingsError

    raw = settings.get("cong.audit.retention_days", DEFAULT_RETENTION_DAYS)
    try:
        days = int(raw)
    except (TypeError, ValueError):
        days = 0
    if days < 1:
        raise SettingsError("cong.audit.retention_days must be a whole number of days, at least 1")
    return days
