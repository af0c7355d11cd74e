"""Delivering due messages: claim, commit, send, record.

:func:`deliver` takes the due messages one at a time. For each it

1. **claims** it: marks it ``sending`` (one more attempt, due again after
   ``cong.outbox.sending_timeout``) and **commits**, before contacting anyone;
2. **sends** it through its channel's transport, outside any transaction;
3. **records** the outcome in a new transaction: ``delivered``; a ``temporary
   failure``, due again after a wait doubling at each attempt
   (``cong.outbox.retry_delay``, ``max_retry_delay``) until
   ``cong.outbox.max_attempts``, then a ``permanent failure``; or a ``permanent
   failure`` at once.

Two runs at once (threads, or processes sharing the database through ZEO or
RelStorage) never send one message twice: both may pick it, but a message
resolves no conflict (:class:`core.outbox.message.Message`), so only the first
claim commits; the other run gets a ``ConflictError`` before it has contacted
anyone, and picks another message. A message is never lost either: until its
outcome is recorded it stays ``sending`` and due, and a run crashing between its
claim and its record (the process killed, the machine down) leaves it to be
claimed again once the sending timeout has passed.

**At least once, in that one case.** If the crash came after the server took the
message but before the outcome was recorded, it is sent a second time. Receivers
can tell: a mail keeps its ``Message-ID`` and an HTTP request its
``Idempotency-Key`` (the message's id) at every attempt; an SMS provider gets the
message's id as its client reference.

Logs name messages by id, channel and masked recipient (:mod:`core.outbox.masking`),
never by their text.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import transaction
from transaction.interfaces import NoTransaction
from ZODB.POSException import ConflictError

from core.clock import now as clock_now
from core.outbox.masking import mask, masked_reason
from core.outbox.message import (
    DELIVERED,
    PERMANENT_FAILURE,
    SENDING,
    TEMPORARY_FAILURE,
    Envelope,
    Message,
)
from core.outbox.settings import OutboxSettings, outbox_settings
from core.outbox.store import Outbox
from core.outbox.transports import PermanentFailure, TemporaryFailure, get_transport
from core.site import get_site

log = logging.getLogger(__name__)

#: Due messages a claim chooses from at random, so that concurrent runs seldom
#: pick the same one.
CHOOSE_AMONG = 16
#: Conflicts in a row after which a run stops (the other runs are doing the work).
CLAIM_ATTEMPTS = 20
#: Attempts at recording an outcome when other transactions conflict.
RECORD_ATTEMPTS = 10
#: Characters of a failure's reason kept.
REASON_CHARS = 500


@dataclass
class Report:
    """What a run did: how many messages ended in each state."""

    delivered: int = 0
    temporary_failure: int = 0
    permanent_failure: int = 0
    conflicts: int = 0
    ids: list[str] = field(default_factory=list)

    @property
    def attempted(self) -> int:
        return self.delivered + self.temporary_failure + self.permanent_failure


@dataclass(frozen=True)
class Outcome:
    state: str
    reason: str = ""
    reference: str = ""


def deliver(db, registry, now: datetime | None = None, limit: int | None = None) -> Report:
    """Send the messages of ``db``'s outbox that are due at ``now`` (default: the
    clock's time, read at each message), ``limit`` of them at most; return what
    happened. Safe to run in several threads and processes at once. Each message
    is claimed and its outcome recorded in transactions of the run's own
    connection; the caller's transaction is not touched."""
    settings = outbox_settings(registry)
    report = Report()
    tm = transaction.TransactionManager(explicit=True)
    conn = db.open(transaction_manager=tm)
    try:
        while limit is None or report.attempted < limit:
            moment = now or clock_now()
            envelope = claim(conn, tm, moment, settings, report)
            if envelope is None:
                break
            outcome = attempt(registry, envelope)
            record(conn, tm, envelope, outcome, now or clock_now(), settings, report)
    finally:
        try:
            tm.abort()
        except NoTransaction:
            pass
        conn.close()
    return report


def _outbox(conn) -> Outbox | None:
    site = get_site(conn)
    return getattr(site, "outbox", None) if site is not None else None


def claim(conn, tm, moment: datetime, settings: OutboxSettings, report: Report) -> Envelope | None:
    """Mark a due message ``sending`` and commit; its envelope, or None when
    nothing is due (or other runs keep taking what is)."""
    for tried in range(1, CLAIM_ATTEMPTS + 1):
        tm.begin()
        try:
            outbox = _outbox(conn)
            due = outbox.due_ids(moment, CHOOSE_AMONG) if outbox is not None else []
            message = _choose(outbox, due, moment)
            if message is None:
                tm.abort()
                return None
            message.attempts += 1
            message.last_attempt = moment
            outbox.change(message, SENDING, moment + timedelta(seconds=settings.sending_timeout))
            envelope = message.envelope()
            tm.commit()
            return envelope
        except ConflictError:
            tm.abort()
            report.conflicts += 1
            time.sleep(random.uniform(0, 0.002 * tried))
    return None


def _choose(outbox, due: list[str], moment: datetime) -> Message | None:
    """A due message, chosen at random among ``due``, whose earlier messages to the
    same recipient about the same source have gone (messages about one thing
    arrive in the order they were queued); None when none may go now."""
    for id in random.sample(due, len(due)):
        head = outbox.head(outbox.messages[id])
        if head.next_attempt is not None and head.next_attempt <= moment:
            return head
    return None


def attempt(registry, envelope: Envelope) -> Outcome:
    """Send ``envelope`` through its channel's transport; never raises."""
    transport = get_transport(registry, envelope.channel)
    if transport is None:
        return Outcome(PERMANENT_FAILURE, f"no transport for channel {envelope.channel!r}")
    try:
        reference = transport.send(envelope)
    except PermanentFailure as exc:
        return Outcome(PERMANENT_FAILURE, str(exc)[:REASON_CHARS])
    except TemporaryFailure as exc:
        return Outcome(TEMPORARY_FAILURE, str(exc)[:REASON_CHARS])
    except Exception as exc:  # noqa: BLE001 - a transport's bug: retried, logged
        log.exception(
            "outbox: the %s transport failed on message %s", envelope.channel, envelope.id
        )
        return Outcome(TEMPORARY_FAILURE, f"{type(exc).__name__}"[:REASON_CHARS])
    return Outcome(DELIVERED, reference=(reference or "")[:REASON_CHARS])


def record(
    conn,
    tm,
    envelope: Envelope,
    outcome: Outcome,
    moment: datetime,
    settings: OutboxSettings,
    report: Report,
) -> None:
    """Store ``outcome`` on the claimed message (unless another run claimed it
    again meanwhile: then that run's outcome is the one kept)."""
    state, reason = outcome.state, outcome.reason
    if state == TEMPORARY_FAILURE and envelope.attempt >= settings.max_attempts:
        state = PERMANENT_FAILURE
        reason = f"{reason} (after {envelope.attempt} attempts)"
    for _tried in range(RECORD_ATTEMPTS):
        tm.begin()
        outbox = _outbox(conn)
        message = outbox.get(envelope.id)
        if message is None or message.state != SENDING or message.attempts != envelope.attempt:
            tm.abort()
            log.warning("outbox: message %s was claimed again while being sent", envelope.id)
            return
        if state == DELIVERED:
            message.delivered = moment
            message.reference = outcome.reference
            outbox.change(message, DELIVERED, None)
        elif state == TEMPORARY_FAILURE:
            message.last_error = reason
            wait = timedelta(seconds=settings.retry_after(envelope.attempt))
            outbox.change(message, TEMPORARY_FAILURE, moment + wait)
        else:
            message.last_error = reason
            outbox.change(message, PERMANENT_FAILURE, None)
        try:
            tm.commit()
        except ConflictError:
            tm.abort()
            report.conflicts += 1
            continue
        _count(report, state)
        report.ids.append(envelope.id)
        _log(envelope, state, reason)
        return
    log.warning("outbox: the outcome of message %s stays unrecorded (conflicts)", envelope.id)


def _count(report: Report, state: str) -> None:
    attr = state.replace("-", "_")
    setattr(report, attr, getattr(report, attr) + 1)


def _log(envelope: Envelope, state: str, reason: str) -> None:
    to = mask(envelope.recipient)
    if state == DELIVERED:
        log.info("outbox: message %s (%s to %s) delivered", envelope.id, envelope.channel, to)
    else:
        log.warning(
            "outbox: message %s (%s to %s): %s, attempt %d: %s",
            envelope.id,
            envelope.channel,
            to,
            state,
            envelope.attempt,
            masked_reason(reason, envelope.recipient),
        )
