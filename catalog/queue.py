"""The index queue: full-text work recorded with the change, done after commit.

A change to content records ``(uid, action)`` in the site's :class:`IndexQueue`,
in the transaction of the change: if that transaction aborts, so does the work;
if it commits, the work is stored with it. Repeated changes to one object in one
transaction collapse into one entry (the last action wins); transactions never
conflict over the queue (each adds entries of its own).

The :class:`Indexer` drains the queue: it reads the objects through a connection
and transaction of its own (an object is indexed as it is then, or unindexed if
it is gone, whatever the action queued), writes their text to the full-text
backend, then marks the entries it did as drained, in a new transaction (entries
queued meanwhile stay). A crash anywhere in between leaves the entries in the
queue, and the next drain (at start-up, after the next commit, or by ``cong
indexer``) does the work again: writing a document twice is harmless.

One object that cannot be indexed does not hold the others up: when the backend
refuses a batch, its halves are written apart, down to the objects it refuses on
their own, which are recorded (:mod:`catalog.failures`), reported by ``cong
catalog check`` and dropped from the queue. Failures of the backend itself (its
lock, its disk) leave the whole batch queued instead.

In-process, one drain runs at a time. A request asking for a drain while another
one runs does not wait: the running drain goes round once more instead, so the
full-text backend's writer lock never reaches a request.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from datetime import datetime

import transaction
from BTrees import family64 as FAMILY
from BTrees.Length import Length
from persistent import Persistent
from pyramid.traversal import resource_path
from transaction.interfaces import NoTransaction
from ZODB.POSException import ConflictError

from catalog.backends import BackendBusy, TextDoc
from catalog.failures import Failure, describe, update_failures
from catalog.fields import EXPIRES, get_catalog_fields
from catalog.text import attachment_text, html_to_text
from catalog.values import ObjectValues, object_values
from core.blobs import BlobData
from core.clock import now
from core.fields import RichText
from core.site import get_site
from core.types import get_types

log = logging.getLogger(__name__)

INDEX = "index"
UNINDEX = "unindex"
#: Objects read and written to the backend per transaction of the drainer, at most:
#: each batch is a segment of the full-text index, and few large segments index
#: faster than many small ones, which whoosh merges again and again (5,000 objects:
#: 16.9 s CPU in batches of 200, 10.1 s in batches of 1,000; docs/decisions/0011).
BATCH_SIZE = 1000
#: Characters of text a batch's documents hold, at most: a batch ends early when
#: its attachments are large, so that a drain's memory stays bounded.
BATCH_CHARS = 20_000_000
#: Attempts at removing drained entries when other transactions conflict.
FORGET_ATTEMPTS = 5
#: Errors of the backend or the machine, not of one object: the batch stays queued.
SYSTEM_ERRORS = (BackendBusy, OSError, MemoryError, ConflictError)
#: Drained entries gathered before they are taken out of the queue in one go.
COMPACT_AT = 1000
#: Batches a drain started after a request's commit does before it hands the rest
#: to a thread of its own (concurrent writers may keep the queue from emptying).
REQUEST_BATCHES = 3


class IndexQueue(Persistent):
    """Pending full-text work: entries ``key -> (uid, action, stamp)``.

    Built so that concurrent transactions never conflict over it (decision 0016):

    - each transaction adds entries under random keys of its own (one per object
      it changes: repeated changes within one transaction collapse into one
      entry, the last action wins), so that two transactions changing one object,
      or adding to one folder, insert different keys, which B-tree buckets merge;
    - the drainer does not delete what it did: it adds the keys to a set of its
      own (``_done``), so that it never writes the entries' buckets while requests
      insert into them; the done entries are taken out in one go once
      :data:`COMPACT_AT` of them have gathered.

    The ``stamp`` (a time in nanoseconds) tells which of two entries for one
    object, queued by two transactions, is the later one.
    """

    def __init__(self):
        self._work = FAMILY.IO.BTree()  # key -> (uid, action, stamp)
        self._done = FAMILY.II.TreeSet()  # keys of entries drained
        self._queued = Length(0)  # entries in _work
        self._drained = Length(0)  # keys in _done

    def __len__(self) -> int:
        """How many entries wait (one per object and transaction)."""
        return self._queued() - self._drained()

    def __contains__(self, uid: str) -> bool:
        return uid in self.uids()

    def _pending(self):
        done = self._done
        for key, (uid, action, stamp) in self._work.items():
            if key not in done:
                yield key, uid, action, stamp

    def _this_transaction(self) -> dict[str, int]:
        """uid -> key of the entries added by the current transaction (nothing is
        remembered for a queue not stored yet)."""
        jar = self._p_jar
        if jar is None:
            return {}
        txn = jar.transaction_manager.get()
        memo = getattr(self, "_v_added", None)
        if memo is None or memo[0] is not txn:
            memo = self._v_added = (txn, {})
        return memo[1]

    def put(self, uid: str, action: str) -> None:
        """Queue ``action`` (:data:`INDEX` or :data:`UNINDEX`) for ``uid``, replacing
        any action queued for it earlier in this transaction."""
        added = self._this_transaction()
        key = added.get(uid)
        if key is None:
            key = added[uid] = self._new_key()
        if key not in self._work:  # (not there either when a savepoint was rolled back)
            self._queued.change(1)
        self._work[key] = (uid, action, time.time_ns())

    def _new_key(self) -> int:
        while True:
            key = random.getrandbits(62)
            if key not in self._work:
                return key

    def peek(self, limit: int) -> list[tuple[str, tuple[str, tuple[int, ...]]]]:
        """Up to ``limit`` objects' work ``(uid, (action, keys))``, leaving it queued:
        the last action queued for each, and the keys of its entries."""
        found: dict[str, tuple[str, int, list[int]]] = {}
        for key, uid, action, stamp in self._pending():
            held = found.get(uid)
            if held is None:
                if len(found) == limit:
                    break  # (entries of these uids further on wait for the next peek)
                found[uid] = (action, stamp, [key])
                continue
            keys = held[2]
            keys.append(key)
            if stamp > held[1]:
                found[uid] = (action, stamp, keys)
        return [(uid, (action, tuple(keys))) for uid, (action, _stamp, keys) in found.items()]

    def uids(self) -> set[str]:
        return {uid for _key, uid, _action, _stamp in self._pending()}

    def discard(self, uid: str, entry: tuple[str, tuple[int, ...]]) -> bool:
        """Mark the entries of ``entry`` (as :meth:`peek` gave it) drained; return
        whether any of them was still waiting. Entries queued since stay."""
        work, done = self._work, self._done
        marked = 0
        for key in entry[1]:
            held = work.get(key)
            if held is not None and held[0] == uid and done.add(key):
                marked += 1
        self._drained.change(marked)
        if self._drained() >= COMPACT_AT:
            self.compact()
        return bool(marked)

    def compact(self) -> None:
        """Take the drained entries out."""
        work = self._work
        keys = list(self._done)
        for key in keys:
            work.pop(key, None)
        self._queued.change(-len(keys))
        self._done.clear()
        self._drained.change(-len(keys))

    @classmethod
    def from_entries(cls, entries) -> IndexQueue:
        """A queue holding ``entries`` ``(uid, action)``."""
        queue = cls()
        for uid, action in entries:
            queue.put(uid, action)
        return queue


def per_change_queue(site) -> None:
    """Give a catalog whose queue kept one entry per uid (made before decision 0016)
    a queue of the present kind, holding the same work (an evolve step)."""
    catalog = getattr(site, "catalog", None)
    old = getattr(catalog, "queue", None)
    entries = getattr(old, "_entries", None)
    if entries is not None:
        catalog.queue = IndexQueue.from_entries(
            (uid, action) for uid, (action, _stamp) in entries.items()
        )


# documents ------------------------------------------------------------------------------
def body_text(registry, obj) -> str:
    """The text of ``obj`` besides its title and description: the other fields its
    type declares searchable (rich text as plain text), then an attached file's text."""
    ct = get_types(registry).get(obj.type_name)
    parts = []
    for name in ct.searchable_text if ct else ():
        if name in ("title", "description"):
            continue
        value = getattr(obj, name, None)
        if not value or not isinstance(value, str):
            continue
        parts.append(html_to_text(value) if isinstance(ct.field(name), RichText) else value)
    if isinstance(obj, BlobData) and obj.has_data():

        def read() -> bytes:
            with obj.open() as f:
                return f.read()

        parts.append(attachment_text(obj.filename, obj.content_type, read))
    return "\n".join(p for p in parts if p)


def text_doc(registry, obj, values: ObjectValues | None = None) -> TextDoc:
    """What the full-text backend indexes of ``obj`` (``values``: its catalog values,
    when they are at hand)."""
    if values is None:
        values = object_values(obj, get_catalog_fields(registry))
    expires = values.fields.get(EXPIRES)
    return TextDoc(
        uid=values.uid,
        path=values.path,
        type_name=values.type_name,
        state=values.state,
        subsite=values.subsite,
        title=values.title,
        description=values.description,
        body=body_text(registry, obj),
        allowed=values.allowed,
        created=values.created,
        modified=values.modified,
        effective=values.effective,
        fields=values.fields,
        expires=expires if isinstance(expires, datetime) else None,
    )


def index_isolating(backend, docs: list[TextDoc]) -> list[Failure]:
    """Index ``docs``; when the backend refuses them, index each half apart, down to
    the documents it refuses on their own, which are returned (the errors of the
    backend itself, :data:`SYSTEM_ERRORS`, are raised)."""
    try:
        backend.index(docs)
        return []
    except SYSTEM_ERRORS:
        raise
    except Exception as error:  # noqa: BLE001 - isolate the documents refused
        if len(docs) == 1:
            return [failure(docs[0].uid, docs[0].path, error)]
    middle = len(docs) // 2
    return index_isolating(backend, docs[:middle]) + index_isolating(backend, docs[middle:])


def failure(uid: str, path: str, error: Exception) -> Failure:
    """The record of an object that could not be indexed (and a line in the log)."""
    log.warning("object %s (%s) could not be indexed for full text", uid, path, exc_info=error)
    return Failure(uid, path, describe(error), now())


def documents(registry, site, entries) -> tuple[list[TextDoc], list[str], list, list[Failure]]:
    """The documents to index and the uids to unindex for ``entries`` (pairs whose
    first item is a uid, as :meth:`IndexQueue.peek` gives them), the entries they
    stand for (the first ones, up to :data:`BATCH_CHARS` of text), and the objects
    whose document could not be made. Each object is read as it is in ``site``
    now (the last word); a uid without one is to be unindexed."""
    docs, gone, failed, size = [], [], [], 0
    for done, (uid, _entry) in enumerate(entries):
        if size > BATCH_CHARS:
            return docs, gone, entries[:done], failed
        obj = site.uids.get(uid)
        if obj is None:
            gone.append(uid)
            continue
        try:
            doc = text_doc(registry, obj)
        except ConflictError:
            raise  # read again by the next drain
        except Exception as error:  # noqa: BLE001 - one broken object must not block the rest
            failed.append(failure(uid, _path(obj), error))
            continue
        docs.append(doc)
        size += len(doc.body or "") + len(doc.title or "") + len(doc.description or "")
    return docs, gone, entries, failed


# draining -------------------------------------------------------------------------------
class Indexer:
    """Drains the index queue of the database ``db`` into the full-text backend
    ``get_backend(registry)`` (an :class:`~catalog.backends.ITextBackend`); one
    drain at a time in this process."""

    def __init__(self, db, registry, get_backend: Callable):
        self.db = db
        self.registry = registry
        self.get_backend = get_backend
        self._lock = threading.Lock()
        self._wanted = False

    def drain(self) -> int:
        """Do all the work queued now (waiting for a running drain to end); return
        how many entries were done."""
        with self._lock:
            return self._drain_all()[0]

    def drain_soon(self, batches: int | None = REQUEST_BATCHES) -> None:
        """Drain now unless a drain is running, in which case that one goes round
        once more; never raises (a failure is logged, the work stays queued).

        After ``batches`` batches (None: no limit) with work still queued, the
        rest is handed to a thread of its own: the request that started the drain
        does not wait while concurrent writers keep filling the queue."""
        self._wanted = True
        while self._wanted:
            if not self._lock.acquire(blocking=False):
                return  # the running drain sees _wanted and goes round again
            left = batches
            try:
                while self._wanted and (left is None or left > 0):
                    self._wanted = False
                    _done, count, more = self._drain_all(left)
                    left = None if left is None else left - count
                    self._wanted = self._wanted or more
            except Exception:  # noqa: BLE001 - the change is committed; the work waits
                log.exception("the index queue could not be drained; it will be retried")
                return
            finally:
                self._lock.release()
            if self._wanted and left is not None and left <= 0:
                threading.Thread(target=self.drain_soon, args=(None,), daemon=True).start()
                return

    def after_commit(self, txn) -> None:
        """Drain once ``txn`` has committed (registered once per transaction)."""
        try:
            txn.data(self)
            return
        except KeyError:
            txn.set_data(self, True)
        txn.addAfterCommitHook(self._committed)

    def _committed(self, success: bool) -> None:
        if success:
            self.drain_soon()

    def _drain_all(self, batches: int | None = None) -> tuple[int, int, bool]:
        """Drain batch after batch until the queue is empty, or ``batches`` were
        done: ``(entries done, batches done, whether work may be left)``."""
        done = count = 0
        while batches is None or count < batches:
            removed = self._drain_batch(BATCH_SIZE)
            if not removed:
                return done, count, False
            done += removed
            count += 1
        return done, count, True

    def _drain_batch(self, limit: int) -> int:
        tm = transaction.TransactionManager(explicit=True)
        conn = self.db.open(transaction_manager=tm)
        try:
            tm.begin()
            site = get_site(conn)
            catalog = getattr(site, "catalog", None)
            entries = catalog.queue.peek(limit) if catalog is not None else []
            if not entries:
                return 0
            docs, gone, entries, failed = documents(self.registry, site, entries)
            tm.abort()
            backend = self.get_backend(self.registry)
            if gone:
                backend.unindex(gone)
            if docs:
                failed += index_isolating(backend, docs)
            refused = {f.uid for f in failed}
            indexed = [doc.uid for doc in docs if doc.uid not in refused]
            return self._forget(tm, conn, entries, failed, indexed)
        finally:
            try:
                tm.abort()
            except NoTransaction:
                pass
            conn.close()

    def _forget(self, tm, conn, entries, failed: list[Failure], indexed: list[str]) -> int:
        """Remove the drained ``entries`` not queued again meanwhile, record the
        ``failed`` objects and forget the old failures of the ``indexed`` ones;
        return how many entries were handled, or 0 when conflicting transactions
        kept the removal from committing (the entries stay queued and are done again
        by the next drain)."""
        for _attempt in range(FORGET_ATTEMPTS):
            tm.begin()
            catalog = get_site(conn).catalog
            for uid, entry in entries:
                catalog.queue.discard(uid, entry)
            update_failures(catalog, failed, indexed)
            try:
                tm.commit()
                return len(entries)
            except ConflictError:
                tm.abort()
        log.warning("drained index entries stay queued after %d conflicts", FORGET_ATTEMPTS)
        return 0


def _path(obj) -> str:
    """``obj``'s path, or "" when even that cannot be read."""
    try:
        return resource_path(obj)
    except Exception:  # noqa: BLE001 - for a report only
        return ""
