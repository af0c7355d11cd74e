"""The full-text work a database's history records: the uids put into the index
queue by the transactions committed after a given one.

Each change that affects the full-text index puts ``(uid, action, stamp)`` into the
queue's B-tree (:class:`catalog.queue.IndexQueue`, keys of 64 bits: ``LOBTree``)
in the change's own transaction, so every such transaction writes a bucket (or a
small tree holding its bucket) of that tree. Reading the records of those classes
in the transactions after ``tid`` (decrypted by the storage when encryption at rest
is on) gives every uid queued since: more than that too (the entries already in a
bucket rewritten), which is harmless for work that is done again.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from io import BytesIO

from BTrees import family64 as FAMILY
from ZODB.utils import get_pickle_metadata

from catalog.queue import INDEX, UNINDEX

#: The classes (module, name) of the records holding queue entries.
QUEUE_CLASSES = frozenset(
    (cls.__module__, cls.__name__) for cls in (FAMILY.IO.BTree, FAMILY.IO.Bucket)
)


class NotInHistory(LookupError):
    """The storage holds no transaction of the id asked for (packed, or cut off)."""


class _StateReader(pickle.Unpickler):
    """Reads a record's state, its references to other objects left out."""

    def persistent_load(self, pid):
        return None


def queued_after(storage, tid: bytes) -> set[str]:
    """The uids queued for the full-text index by the transactions of ``storage``
    committed after the one of id ``tid`` (:class:`NotInHistory` when it holds
    none of that id). Reads each transaction since, from the first."""
    transactions = iter(storage.iterator(start=tid))
    first = next(transactions, None)
    if first is None or first.tid != tid:
        raise NotInHistory(tid)
    uids: set[str] = set()
    for txn in transactions:
        for record in txn:
            if record.data and get_pickle_metadata(record.data) in QUEUE_CLASSES:
                uids.update(queued_in(record.data))
    return uids


def queued_in(data: bytes) -> Iterator[str]:
    """The uids of the queue entries in the record ``data`` (a bucket's or a small
    tree's state: nested tuples of keys and ``(uid, action, stamp)`` values)."""
    reader = _StateReader(BytesIO(data))
    reader.load()  # the class
    return _uids(reader.load())


def _uids(value) -> Iterator[str]:
    if not isinstance(value, tuple):
        return
    if (
        len(value) == 3
        and isinstance(value[0], str)
        and value[1] in (INDEX, UNINDEX)
        and isinstance(value[2], int)
    ):
        yield value[0]
        return
    for item in value:
        yield from _uids(item)
