"""The site's outbox: messages by id, and the indexes that keep listings cheap.

``site.outbox`` (made by the evolve step :data:`EVOLVE_STEP`, and on new sites)
holds the messages in an ``OOBTree`` by id, with:

- ``keys``: the caller's idempotency key -> id;
- ``states``: state -> the ids in that state (and ``counts``, one
  ``BTrees.Length`` a state), so listing the pending ones never reads the others;
- ``due``: ``(next attempt as a timestamp, id)`` of the messages waiting
  (created, temporary failure, and sending ones, due again when their sending
  timeout has passed), so delivery reads only what is due;
- ``sources``: source -> ids (the messages about one object).

Ids start with the creation time (``20250304091500123456-3f2a9c1b``), so each
index lists messages oldest first. Transactions adding messages insert different
keys, which B-tree buckets merge without conflict; two transactions changing one
message conflict (:class:`core.outbox.message.Message` resolves nothing).
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime

from BTrees.Length import Length
from BTrees.OOBTree import OOBTree, OOTreeSet
from persistent import Persistent

from core.outbox.message import DELIVERED, PERMANENT_FAILURE, STATES, WAITING, Message

EVOLVE_STEP = "core-outbox-0001-create"


#: Orders the ids a process makes within one microsecond (a frozen test clock).
_ORDER = itertools.count()


def new_id(created: datetime) -> str:
    """A message id: its creation time (UTC, to the microsecond), a number that
    orders the ids made in one process, and 32 random bits; ids sort as the
    messages were queued."""
    return f"{created:%Y%m%d%H%M%S%f}-{next(_ORDER) % 10**8:08d}-{secrets.token_hex(4)}"


class Outbox(Persistent):
    """The messages of a site and their indexes (see the module's docstring)."""

    def __init__(self):
        self.messages = OOBTree()
        self.keys = OOBTree()
        self.states = OOBTree({state: OOTreeSet() for state in STATES})
        self.counts = OOBTree({state: Length(0) for state in STATES})
        self.due = OOTreeSet()
        self.sources = OOBTree()
        self.sandbox = OOBTree()  # id -> SandboxSms, the sandbox SMS provider's record

    def __len__(self) -> int:
        return sum(length() for length in self.counts.values())

    def get(self, id: str) -> Message | None:
        return self.messages.get(id) if isinstance(id, str) else None

    def by_key(self, key: str) -> Message | None:
        """The message queued with idempotency ``key``, if any."""
        id = self.keys.get(key)
        return self.messages[id] if id is not None else None

    def add(self, message: Message) -> None:
        """Store a new message (in state created, due at once) and index it."""
        self.messages[message.id] = message
        if message.key:
            self.keys[message.key] = message.id
        if message.source:
            ids = self.sources.get(message.source)
            if ids is None:
                ids = self.sources[message.source] = OOTreeSet()
            ids.add(message.id)
        self._enter(message)

    def change(self, message: Message, state: str, next_attempt: datetime | None) -> None:
        """Move ``message`` to ``state``, due again at ``next_attempt`` (None: never)."""
        self._leave(message)
        message.state = state
        message.next_attempt = next_attempt
        self._enter(message)

    def purge(self, before: datetime, limit: int | None = None) -> int:
        """Forget the messages created before ``before`` that are over (delivered or
        given up), ``limit`` of them at most; how many. Their keys go with them: a
        key is remembered while its message is kept. Ids begin with their creation
        time, so only those messages are read."""
        bound = f"{before.astimezone(UTC):%Y%m%d%H%M%S%f}"
        gone = 0
        for state in (DELIVERED, PERMANENT_FAILURE):
            for id in list(self.states[state].keys(max=bound, excludemax=True)):
                if limit is not None and gone >= limit:
                    return gone
                message = self.messages.pop(id)
                self._leave(message)
                if message.key and self.keys.get(message.key) == id:
                    del self.keys[message.key]
                ids = self.sources.get(message.source) if message.source else None
                if ids is not None:
                    ids.discard(id)
                    if not ids:
                        del self.sources[message.source]
                gone += 1
        return gone

    def _enter(self, message: Message) -> None:
        self.states[message.state].add(message.id)
        self.counts[message.state].change(1)
        if message.state in WAITING and message.next_attempt is not None:
            self.due.add((message.next_attempt.timestamp(), message.id))

    def _leave(self, message: Message) -> None:
        self.states[message.state].remove(message.id)
        self.counts[message.state].change(-1)
        if message.next_attempt is not None:
            self.due.discard((message.next_attempt.timestamp(), message.id))

    def due_ids(self, moment: datetime, limit: int) -> list[str]:
        """The ids of up to ``limit`` messages due at ``moment``, the earliest first."""
        found = []
        for _when, id in self.due.keys(max=(moment.timestamp(), "\uffff")):
            found.append(id)
            if len(found) == limit:
                break
        return found

    def next_due(self) -> datetime | None:
        """When the earliest waiting message is due (None when none waits)."""
        if not self.due:
            return None
        when, _id = self.due.minKey()
        return datetime.fromtimestamp(when, UTC)

    def count(self, state: str) -> int:
        return self.counts[state]()

    def in_state(self, state: str | None, start: int = 0, size: int | None = None) -> list[Message]:
        """The messages in ``state`` (None: every message), newest first, from the
        ``start``-th, ``size`` of them at most (None: all); reads only those."""
        if state is None:
            ids, total = self.messages.keys(), len(self)
        else:
            ids, total = self.states[state].keys(), self.count(state)
        end = total - start
        if end <= 0:
            return []
        begin = 0 if size is None else max(end - size, 0)
        return [self.messages[id] for id in reversed(list(ids[begin:end]))]

    def head(self, message: Message) -> Message:
        """The oldest message about the same source, to the same recipient by the
        same channel, not yet delivered or given up: ``message`` itself unless an
        earlier one must go first (a status sent after a later one would undo it)."""
        if not message.source:
            return message
        for id in self.sources.get(message.source, ()):
            other = self.messages[id]
            if other.channel == message.channel and other.recipient == message.recipient:
                if other.state in WAITING:
                    return other
        return message

    def of_source(self, source: str) -> Iterator[Message]:
        """The messages about ``source``, oldest first."""
        for id in self.sources.get(source, ()):
            yield self.messages[id]


def create_outbox(site) -> None:
    """Evolve step: give ``site`` its (empty) outbox."""
    if getattr(site, "outbox", None) is None:
        site.outbox = Outbox()


def outbox_of(site) -> Outbox:
    """The site's outbox (AttributeError before the evolve step ran)."""
    return site.outbox
