"""Sequences: named counters per scope and period that never give a number twice.

A plugin numbers what it registers by drawing from a sequence::

    number = next_number(site, "dossier", unit_code, period="day")
    number = next_number(site, "incoming", register_uid, period="year")

The first gives 1, 2, 3 … to the dossiers of one unit, and starts again from 1
the next day; the second numbers a register's incoming documents, from 1 each
year. A sequence is a ``name``; its ``scope`` (a unit code, a register's uid, ''
for the whole portal) and its ``period`` (:data:`PERIODS`: ``day``, ``month``,
``year`` or ``none``) choose one counter of it. Days, months and years are
those of the kernel's time zone (:data:`core.clock.TIMEZONE`). The plugin formats
the number (``00042/2025/BN``); the kernel only counts.

A number is taken by the transaction that draws it: two transactions drawing from
one counter at once, in one process or in several sharing a database (ZEO,
RelStorage), conflict, and the one that commits second is tried again
(pyramid_retry in a request; the caller's loop elsewhere), drawing the next
number. Each counter is a persistent object of its own, without conflict
resolution (unlike ``BTrees.Length``, which would add up two draws and hand both
the same number), so draws from different counters never conflict. A transaction
that aborts gives its number back: the numbers of committed transactions follow
each other without a gap. See decision 0023.
"""

from __future__ import annotations

from datetime import datetime

from BTrees.OOBTree import OOBTree
from persistent import Persistent

from core import clock

#: How often a counter starts again from 1.
PERIODS = ("day", "month", "year", "none")
#: The ``strftime`` format of each period's key (the period a moment falls in).
PERIOD_FORMATS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y", "none": ""}
#: The evolve step giving the site its sequences.
SEQUENCES_STEP = "core-sequences-0001-create"


class Counter(Persistent):
    """One counter: a sequence's numbers in one scope and period.

    It has no ``_p_resolveConflict``, on purpose: two transactions that change it
    conflict, so that they cannot both take the same number."""

    def __init__(self):
        self.last = 0


def period_key(period: str, now: datetime | None = None) -> str:
    """The period ``now`` (default: :func:`core.clock.now`) falls in, in the
    kernel's time zone: ``2025-03-04`` (day), ``2025-03`` (month), ``2025`` (year),
    '' (``none``). ValueError for another period or a naive ``now``."""
    if period not in PERIOD_FORMATS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
    moment = now if now is not None else clock.now()
    if moment.tzinfo is None:
        raise ValueError("sequences take aware datetimes only")
    return moment.astimezone(clock.TIMEZONE).strftime(PERIOD_FORMATS[period])


def counter_key(name: str, scope: str, period: str, now: datetime | None) -> tuple[str, str, str]:
    """The key of the counter drawn from: (name, scope, period key)."""
    if not isinstance(name, str) or not name:
        raise ValueError("a sequence needs a name")
    if not isinstance(scope, str):
        raise ValueError("a sequence's scope is text ('' for the whole portal)")
    return (name, scope, period_key(period, now))


def next_number(
    site, name: str, scope: str, period: str = "year", now: datetime | None = None
) -> int:
    """Take the next number of sequence ``name`` in ``scope`` for the period that
    ``now`` (default: the current time) falls in: 1 for the first of a period."""
    key = counter_key(name, scope, period, now)
    counter = site.sequences.get(key)
    if counter is None:
        counter = site.sequences[key] = Counter()
    counter.last += 1
    return counter.last


def peek(site, name: str, scope: str, period: str = "year", now: datetime | None = None) -> int:
    """The number :func:`next_number` would give, without taking it (another
    transaction may take it first: only the number drawn is the record's)."""
    counter = site.sequences.get(counter_key(name, scope, period, now))
    return (counter.last if counter is not None else 0) + 1


def create_sequences(site) -> None:
    """Evolve step: give ``site`` its (empty) tree of counters."""
    if getattr(site, "sequences", None) is None:
        site.sequences = OOBTree()


def includeme(config) -> None:
    config.add_evolve_step(SEQUENCES_STEP, create_sequences, new_sites=True)
