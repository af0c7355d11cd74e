"""Snapshots of the full-text index kept with backups, and restores that reuse them
instead of rebuilding the index (decision 0037).

**At backup** (``cong_backup_taken``, after the database and its blobs): the
index's write lock is taken (no drain of the index queue can write to it), then a
fresh read-only view of the live database is opened: its state is the last
committed transaction *L*. The uids still queued at *L* are recorded, and the
index is copied (hard links) into ``<backup dir>/text/<stamp>/`` with
``snapshot.json``: *L*, those uids, the backend's name and the index's generation.
The indexer writes documents to the index first and marks their queue entries
done in a later transaction, so the copy holds every entry done at *L*; entries
queued at *L* may or may not be in it; nothing in it was read after *L* (any
writer ran before the lock, so read what was committed by then).

**At restore** (``cong_restored``, on the restored site cut at *C*): the newest
snapshot of the restored backup's chain whose *L* the restored database still
holds (a pack or the cut may have removed it) is put in place of the index, then
the uids queued at *L* and every uid queued by the transactions after *L* (read
from the database's history, :mod:`catalog.history`) are indexed again as the
objects are now (unindexed when gone). Last, the index's uids are compared with
the structural catalog's (in the database, so already right) and both
differences set right. The structural catalog is not rebuilt. When no snapshot
fits or anything is unexpected, the restore says why and ``cong reindex`` runs.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass

from ZODB.utils import p64, u64

from catalog.backends import BackendBusy, ITextBackendFactory, ITextSnapshots
from catalog.backends.registration import close_backend, get_backend
from catalog.cli import read_only_uri
from catalog.failures import failures_of, update_failures
from catalog.history import NotInHistory, queued_after
from catalog.queue import BATCH_SIZE, documents, index_isolating
from catalog.structural import catalog_of
from core import make_config
from core.backup import PARTIAL, chain
from core.crypt.database import cipher_of, open_db
from core.hookspecs import hookimpl
from core.settings import read_settings
from core.site import get_site

#: The sub-folder of the backup folder holding the snapshots, one per backup stamp.
TEXT = "text"
#: The file of a snapshot saying what it is.
META = "snapshot.json"
#: Seconds a backup waits for the index's write lock before going without a snapshot.
LOCK_WAIT = 30.0


@dataclass(frozen=True)
class Snapshot:
    """A snapshot of the full-text index: the backup ``stamp`` it was taken with,
    its ``folder``, the last transaction ``tid`` committed when it was taken, the
    ``pending`` uids queued then, the ``backend``'s name and the index's
    ``generation``."""

    stamp: str
    folder: str
    tid: bytes
    pending: frozenset[str]
    backend: str
    generation: int


def read_snapshot(backup_dir: str, stamp: str) -> Snapshot:
    """The snapshot of the backup ``stamp`` (OSError, ValueError or KeyError when
    it is missing or its ``snapshot.json`` unreadable)."""
    folder = os.path.join(backup_dir, TEXT, stamp)
    with open(os.path.join(folder, META), encoding="utf-8") as meta:
        facts = json.load(meta)
    return Snapshot(
        stamp=stamp,
        folder=folder,
        tid=p64(int(facts["tid"], 16)),
        pending=frozenset(facts["pending"]),
        backend=str(facts["backend"]),
        generation=int(facts["generation"]),
    )


def backend_name(registry) -> str:
    """The name of the application's full-text backend (``cong.text_backend``)."""
    return getattr(registry.queryUtility(ITextBackendFactory), "name", "")


# backup ---------------------------------------------------------------------------------
@hookimpl
def cong_backup_taken(settings, backup_dir, stamp):
    return take_snapshot(settings, backup_dir, stamp)


def take_snapshot(settings: dict, backup_dir: str, stamp: str) -> str:
    """Keep a snapshot of the live full-text index with the backup ``stamp`` of
    ``backup_dir``; the line to print: what was kept, or a warning saying why
    nothing was (a backup never fails for it)."""
    target = os.path.join(backup_dir, TEXT, stamp)
    partial = target + PARTIAL
    registry = None
    try:
        registry = _registry(settings)
        backend = get_backend(registry)
        name = backend_name(registry)
        if not ITextSnapshots.providedBy(backend):
            return f"The full-text index ({name}) is not kept with backups: a restore rebuilds it."
        shutil.rmtree(partial, ignore_errors=True)
        os.makedirs(partial)
        with backend.hold(LOCK_WAIT):
            tid, pending, objects = _queue_at_last_commit(settings)
            if objects and not backend.stats()["documents"]:
                shutil.rmtree(partial)
                return (
                    f"The full-text index here is empty while the catalog holds {objects} "
                    "object(s) (is it kept on another host, with ZEO?): no snapshot of it "
                    "with this backup; a restore rebuilds it."
                )
            facts = backend.copy_to(partial)
        facts.update(tid=f"{u64(tid):016x}", pending=sorted(pending), backend=name)
        with open(os.path.join(partial, META), "w", encoding="utf-8") as meta:
            json.dump(facts, meta)
        os.rename(partial, target)
        read_snapshot(backup_dir, stamp)  # the check: it reads back
    except BackendBusy:
        shutil.rmtree(partial, ignore_errors=True)
        return (
            f"Warning: the full-text index stayed locked for {LOCK_WAIT:g} s (a reindex "
            "running?): no snapshot of it with this backup; a restore to it uses an "
            "older one or rebuilds the index."
        )
    except Exception as error:  # noqa: BLE001 - the backup itself is done and verified
        shutil.rmtree(partial, ignore_errors=True)
        return f"Warning: no snapshot of the full-text index with this backup: {error}"
    finally:
        if registry is not None:
            _close(registry)
    return (
        f"Full-text index snapshot (generation {facts['generation']}, {facts['files']} "
        f"file(s), {len(pending)} queued change(s)) in {target}."
    )


def _registry(settings: dict):
    """The application's configuration, for its full-text backend, without its
    database (an empty one in memory stands for it: the server holds the file)."""
    config = make_config({**settings, "zodbconn.uri": "memory://"})
    config.commit()
    return config.registry


def _close(registry) -> None:
    close_backend(registry)
    for db in registry._zodb_databases.values():
        db.close()


def _queue_at_last_commit(settings: dict) -> tuple[bytes, set[str], int]:
    """The last transaction committed to the live database, read now, the uids
    queued for the full-text index then and the objects in the catalog (the
    database opened read-only, without the lock the server holds)."""
    cong = read_settings(settings)
    uri = settings.get("zodbconn.uri") or cong.zodb_uri
    db = open_db(read_only_uri(uri), cipher_of(cong))
    try:
        conn = db.open()
        try:
            tid = db.lastTransaction()
            catalog = catalog_of(get_site(conn))
            if catalog is None:
                return tid, set(), 0
            return tid, catalog.queue.uids(), len(catalog)
        finally:
            conn.close()
    finally:
        db.close()


# restore --------------------------------------------------------------------------------
@hookimpl
def cong_restored(env, backup_dir, stamp):
    return restore_snapshot(env, backup_dir, stamp)


class Unusable(Exception):
    """No snapshot fits the restored database; the message says why."""


def restore_snapshot(env, backup_dir: str, stamp: str) -> bool:
    """Put back the newest snapshot that fits the site restored from the backup
    ``stamp`` of ``backup_dir`` (``env``: a command environment on it) and index
    again what changed after it; whether that was done (else it says why, and
    the index is to be rebuilt)."""
    registry = env.registry
    backend = get_backend(registry)
    catalog = catalog_of(env.root)
    try:
        if catalog is None:
            raise Unusable("the restored site has no catalog")
        if not ITextSnapshots.providedBy(backend):
            raise Unusable(f"the full-text backend {backend_name(registry)} keeps no snapshots")
        snapshot, changed = _choose(env.db.storage, backup_dir, stamp, backend_name(registry))
        backend.restore_from(snapshot.folder)
        written, removed = _write(env, catalog, backend, changed | snapshot.pending)
        missing, extra = _drift(catalog, backend)
        fixed = _write(env, catalog, backend, missing)[0]
        backend.unindex(sorted(extra))
    except Unusable as why:
        print(f"Rebuilding the full-text index: {why}.")
        return False
    except Exception as error:  # noqa: BLE001 - the rebuild is the way out
        print(f"Rebuilding the full-text index: the index snapshot could not be used ({error}).")
        return False
    print(
        f"Full-text index from the index snapshot of {snapshot.stamp} (UTC): "
        f"{written + removed} document(s) re-indexed ({removed} removed); the check "
        f"against the catalog wrote {fixed} and removed {len(extra)}."
    )
    return True


def _choose(storage, backup_dir: str, stamp: str, backend: str) -> tuple[Snapshot, set[str]]:
    """The newest snapshot of the backups a restore of ``stamp`` read whose last
    transaction ``storage`` holds, and the uids queued after it."""
    last = storage.lastTransaction()
    why = "no snapshot of it was taken with the backups restored"
    for taken in reversed(chain(backup_dir, stamp)):
        if not os.path.isdir(os.path.join(backup_dir, TEXT, taken)):
            continue
        try:
            snapshot = read_snapshot(backup_dir, taken)
        except (OSError, ValueError, KeyError) as error:
            why = f"the snapshot of {taken} is unreadable ({error})"
            continue
        if snapshot.backend != backend:
            why = f"the snapshot of {taken} is of the {snapshot.backend} backend"
            continue
        if snapshot.tid > last:
            why = f"the snapshot of {taken} is newer than the moment restored"
            continue
        try:
            return snapshot, queued_after(storage, snapshot.tid)
        except NotInHistory:
            why = (
                f"the restored database no longer holds the transaction of the snapshot of {taken}"
            )
    raise Unusable(why)


def _write(env, catalog, backend, uids) -> tuple[int, int]:
    """Index the objects ``uids`` as they are in the restored site (unindex those
    gone), a batch at a time, recording the objects that cannot be; the counts of
    documents written and removed."""
    site, registry = env.root, env.registry
    todo = [(uid, None) for uid in sorted(uids)]
    written = removed = 0
    while todo:
        docs, gone, taken, failed = documents(registry, site, todo[:BATCH_SIZE])
        todo = todo[len(taken) :]
        backend.unindex(gone)
        failed += index_isolating(backend, docs)
        refused = {f.uid for f in failed}
        indexed = [doc.uid for doc in docs if doc.uid not in refused]
        update_failures(catalog, failed, indexed)
        written, removed = written + len(indexed), removed + len(gone)
        site._p_jar.cacheGC()
    return written, removed


def _drift(catalog, backend) -> tuple[set[str], set[str]]:
    """The uids the structural catalog has and the full-text index has not (less
    the objects that cannot be indexed), and those only the index has."""
    in_catalog = set(catalog.docid_of.keys())
    in_text = backend.uids()
    failed = {f.uid for f in failures_of(catalog)}
    return in_catalog - in_text - failed, in_text - in_catalog
