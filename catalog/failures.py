"""Objects the full-text indexer could not index: recorded, skipped, reported.

One object the backend refuses (text it cannot write, a value of the wrong kind
left by older data) must not stop the indexing of all others. The
:class:`~catalog.queue.Indexer` records it here, with the error and the time, and
goes on with the rest; ``cong catalog check`` lists the records; the next
successful indexing of the object (after its data was put right) removes its record.
The records live on the site's catalog, so that a full ``cong reindex`` (a new
catalog) starts with none.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from BTrees.OOBTree import OOBTree
from persistent import Persistent

from core.cleantext import escape_controls

#: The catalog's attribute holding its :class:`IndexFailures`.
ATTRIBUTE = "index_failures"
#: Characters of an error kept.
MAX_ERROR = 500


class Failure(NamedTuple):
    """An object that could not be indexed: which, where, why and when."""

    uid: str
    path: str
    error: str
    when: datetime


class IndexFailures(Persistent):
    """The objects that could not be indexed, by uid."""

    def __init__(self):
        self._failures = OOBTree()

    def __len__(self) -> int:
        return len(self._failures)

    def __iter__(self):
        for uid, (path, error, when) in self._failures.items():
            yield Failure(uid, path, error, when)

    def record(self, failure: Failure) -> None:
        self._failures[failure.uid] = (failure.path, failure.error, failure.when)

    def clear(self, uids: Iterable[str]) -> None:
        """Forget the records of ``uids`` (changing nothing for uids without one)."""
        for uid in uids:
            if uid in self._failures:
                del self._failures[uid]


def describe(error: BaseException) -> str:
    """An error as one line of at most :data:`MAX_ERROR` characters."""
    return escape_controls(f"{type(error).__name__}: {error}")[:MAX_ERROR]


def failures_of(catalog) -> list[Failure]:
    """The objects ``catalog``'s indexer could not index, by path."""
    found = getattr(catalog, ATTRIBUTE, None)
    return sorted(found or (), key=lambda f: (f.path, f.uid))


def update_failures(catalog, failed: Iterable[Failure], indexed: Iterable[str]) -> None:
    """Record the ``failed`` objects and forget the records of the ``indexed`` ones
    (writing to the database only when there is something to change)."""
    failed = list(failed)
    found = getattr(catalog, ATTRIBUTE, None)
    if found is None:
        if not failed:
            return
        found = IndexFailures()
        setattr(catalog, ATTRIBUTE, found)
    found.clear(indexed)
    for failure in failed:
        found.record(failure)
