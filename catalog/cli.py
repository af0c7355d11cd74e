"""``cong reindex``, ``cong catalog check`` and ``cong indexer``: rebuilding,
checking and feeding the indexes from the command line.

ZODB is the source of truth: everything in the indexes can be rebuilt from it. The
full-text index is reached only through the backend interface
(:class:`~catalog.backends.ITextBackend`, :class:`~catalog.backends.ITextRebuild`),
whichever engine ``cong.text_backend`` names.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator

from pyramid.traversal import resource_path

from catalog.backends import BackendBusy, TextDoc, WorkerFailed
from catalog.backends.registration import get_backend
from catalog.failures import failures_of, update_failures
from catalog.fields import get_catalog_fields
from catalog.indexing import get_indexer
from catalog.queue import BATCH_SIZE, index_isolating, text_doc
from catalog.structural import Catalog, catalog_of
from catalog.values import indexable, object_values
from core.cli.app import CommandEnv, CommandError, find_object
from core.cli.progress import Progress
from core.crypt.database import cipher_of, open_db
from core.uids import walk

#: Objects indexed between two savepoints (which let ZODB free memory).
SAVEPOINT_EVERY = 1000
#: Paths listed per kind of drift (the count is always given).
SHOWN = 10
#: Fewest objects worth a worker process of ``cong reindex``.
MIN_SHARE = 500
#: Most worker processes ``cong reindex`` starts by default.
MAX_DEFAULT_WORKERS = 8


def add_commands(subparsers) -> None:
    """Add ``reindex``, ``catalog check`` and ``indexer`` to the command line."""
    cmd = subparsers.add_parser(
        "reindex", help="rebuild the catalog and full-text index from the database"
    )
    cmd.add_argument("--path", help="only this object and everything below it (e.g. /tin-tuc)")
    cmd.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes writing the full-text index (default: one per CPU, up to "
        f"{MAX_DEFAULT_WORKERS})",
    )
    cmd.set_defaults(func=reindex)

    catalog = subparsers.add_parser("catalog", help="inspect the catalog")
    actions = catalog.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="report drift between the database and the indexes")
    check.add_argument("--fix", action="store_true", help="repair what is found")
    check.set_defaults(func=check_catalog)

    cmd = subparsers.add_parser("indexer", help="do the queued full-text work, continuously")
    cmd.add_argument("--once", action="store_true", help="drain the queue once, then stop")
    cmd.add_argument(
        "--interval", type=float, default=1.0, metavar="SECONDS", help="pause between drains"
    )
    cmd.set_defaults(func=run_indexer)


def require_catalog(env: CommandEnv) -> Catalog:
    catalog = catalog_of(env.root)
    if catalog is None:
        raise CommandError("The site has no catalog yet: run 'cong evolve' first.")
    return catalog


def backend_call(func, *args):
    """Call the full-text backend; its lock held by another process is a CommandError."""
    try:
        return func(*args)
    except BackendBusy:
        raise CommandError(
            "The full-text index is being written by another process (is the server or "
            "'cong indexer' running?). Try again when it is idle.",
            status=3,
        ) from None


# reindex ------------------------------------------------------------------------------
def reindex(env: CommandEnv, args) -> None:
    """``cong reindex [--path P] [--workers N]``: index everything (below ``P``)
    again, structural and full text, from the database. The whole site gets a new
    catalog: run it while no other process changes content.

    The full text is written by a bulk rebuild of the backend, put in place by one
    commit at the end (:meth:`~catalog.backends.ITextBackend.rebuild`): until then
    searches see the previous index, and an interrupted run leaves it as it was.
    With ``--workers N`` (N > 1), N processes read the objects from the database
    (read-only) and write the text while this process rebuilds the structural
    catalog.
    """
    catalog = require_catalog(env)
    root = env.root
    if args.path:
        root = find_object(env, args.path, "object")
    if args.workers is not None and args.workers < 1:
        raise CommandError("--workers must be 1 or more.")
    backend = get_backend(env.registry)
    fields = get_catalog_fields(env.registry)
    objects = [obj for obj in walk(root) if indexable(obj)]
    whole = root is env.root
    rebuild = backend_call(lambda: backend.rebuild(replace=whole))
    try:
        if whole:
            catalog = env.root.catalog = Catalog(catalog.queue)  # rebuilt from scratch
            catalog.add_fields(fields.values())
        else:
            kept = {obj.uid for obj in objects}
            under = (catalog.uid_of[d] for d in catalog.docids_under(resource_path(root)))
            stale = [uid for uid in under if uid not in kept]
            for uid in stale:
                catalog.unindex(uid)
            rebuild.remove(stale + sorted(kept))
            update_failures(catalog, (), kept)
        progress = Progress(len(objects))
        workers = _workers(args.workers, len(objects))
        if workers == 1:
            rebuild.write(_texts_and_structure(env, catalog, fields, objects, progress))
        else:
            _write_in_workers(env, rebuild, workers, objects, progress, catalog, fields)
        rebuild.commit()
    except WorkerFailed as error:
        rebuild.cancel()
        raise CommandError(f"A reindex worker failed; nothing was changed. {error}") from None
    except BaseException:
        rebuild.cancel()
        raise
    progress.update(len(objects))
    progress.close()
    where = f" under {resource_path(root)}" if not whole else ""
    print(f"Reindexed {len(objects)} object(s){where}.")


def _workers(asked: int | None, count: int) -> int:
    """The worker processes for ``count`` objects: as many as asked (at most one
    per object), else :func:`default_workers`, each with :data:`MIN_SHARE` objects
    at least."""
    if asked is not None:
        return min(asked, max(1, count))
    return min(default_workers(), max(1, count // MIN_SHARE))


def _write_in_workers(env, rebuild, workers: int, objects, progress, catalog, fields) -> None:
    """The text of ``objects`` written by ``workers`` processes, each taking a run of
    consecutive objects, while this process indexes them in the structural catalog."""
    oids = [obj._p_oid for obj in objects]
    shares = [
        oids[i * len(oids) // workers : (i + 1) * len(oids) // workers] for i in range(workers)
    ]

    def structure(written):
        for done, obj in enumerate(objects, start=1):
            catalog.index(object_values(obj, fields))
            if done % SAVEPOINT_EVERY == 0:
                _free_memory(env)
                progress.update(written())

    rebuild.write_in_workers(
        shares, _read_only_texts(env), while_waiting=structure, progress=progress.update
    )


def default_workers() -> int:
    """Worker processes of ``cong reindex`` without ``--workers``: one per CPU
    this process may use, up to :data:`MAX_DEFAULT_WORKERS`."""
    if hasattr(os, "sched_getaffinity"):
        cpus = len(os.sched_getaffinity(0))
    else:
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_DEFAULT_WORKERS))


def _texts_and_structure(env, catalog, fields, objects, progress) -> Iterator[TextDoc]:
    """The text of each object, indexing it in the structural catalog on the way."""
    for done, obj in enumerate(objects, start=1):
        values = object_values(obj, fields)
        catalog.index(values)
        yield text_doc(env.registry, obj, values)
        if done % SAVEPOINT_EVERY == 0:
            _free_memory(env)
        progress.update(done)


def _free_memory(env: CommandEnv) -> None:
    """A savepoint, so that ZODB can ghostify the objects already indexed."""
    env.request.tm.savepoint(optimistic=True)
    env.root._p_jar.cacheGC()


def read_only_uri(uri: str) -> str:
    """The database ``uri`` (``file://`` or ``zeo://``) opened read-only: FileStorage
    then takes no lock, so workers can read while this process holds it."""
    return uri + ("&" if "?" in uri else "?") + "read_only=1"


def _read_only_texts(env: CommandEnv):
    """``texts(oids)``, run in a worker process: the text documents of the objects
    ``oids``, read through a read-only database of the worker's own."""
    registry = env.registry
    uri = read_only_uri(registry.settings["zodbconn.uri"])

    def texts(oids) -> Iterator[TextDoc]:
        db = open_db(uri, cipher_of(registry.settings["cong"]))
        conn = db.open()
        try:
            for done, oid in enumerate(oids, start=1):
                yield text_doc(registry, conn.get(oid))
                if done % SAVEPOINT_EVERY == 0:
                    conn.cacheGC()
        finally:
            conn.close()
            db.close()

    return texts


# catalog check ------------------------------------------------------------------------
def check_catalog(env: CommandEnv, args) -> int:
    """``cong catalog check [--fix]``: compare the objects in the database with the
    catalog and the full-text index; exit status 1 when they drift (unless fixed).
    Objects whose full-text work is queued are not counted as drift."""
    catalog = require_catalog(env)
    registry = env.registry
    fields = get_catalog_fields(registry)
    backend = get_backend(registry)
    objects = {obj.uid: obj for obj in walk(env.root) if indexable(obj)}
    indexed = set(catalog.docid_of.keys())
    queued = catalog.queue.uids()
    in_text = backend_call(backend.uids)

    missing = sorted(objects.keys() - indexed)
    orphans = sorted(indexed - objects.keys())
    outdated = [
        uid for uid in sorted(objects.keys() & indexed) if _outdated(catalog, objects[uid], fields)
    ]
    failures = failures_of(catalog)
    failed = {f.uid for f in failures}
    text_missing = sorted(objects.keys() - in_text - queued - failed)
    text_orphans = sorted(in_text - objects.keys() - queued)

    print(
        f"Objects: {len(objects)}; catalog entries: {len(indexed)}; "
        f"full-text documents: {len(in_text)}; queued for the full-text index: {len(queued)}."
    )
    report = (
        ("Objects missing from the catalog", missing, objects),
        ("Catalog entries without an object", orphans, None),
        ("Catalog entries out of date", outdated, objects),
        ("Objects missing from the full-text index", text_missing, objects),
        ("Full-text documents without an object", text_orphans, None),
    )
    drift = bool(failures)
    if failures:
        print(f"Objects the full-text indexer could not index: {len(failures)}")
        for f in failures[:SHOWN]:
            print(f"  {f.path or f.uid} (uid {f.uid}, {f.when:%Y-%m-%d %H:%M} UTC): {f.error}")
        if len(failures) > SHOWN:
            print(f"  ... and {len(failures) - SHOWN} more")
        print("  Correct them (e.g. edit the title), then run 'cong catalog check --fix'.")
    for title, uids, known in report:
        if not uids:
            continue
        drift = True
        print(f"{title}: {len(uids)}")
        for uid in uids[:SHOWN]:
            print(f"  {resource_path(known[uid]) if known else uid}")
        if len(uids) > SHOWN:
            print(f"  ... and {len(uids) - SHOWN} more")
    if not drift:
        print("No drift: the indexes match the database.")
        return 0
    if not args.fix:
        print("Run 'cong catalog check --fix' to repair.")
        return 1
    for uid in orphans:
        catalog.unindex(uid)
    for uid in missing + outdated:
        catalog.index(object_values(objects[uid], fields))
    redo = sorted(set(missing + outdated + text_missing) | (failed & objects.keys()))
    refused = []
    for start in range(0, len(redo), BATCH_SIZE):  # a batch at a time: bounded memory
        docs = [text_doc(registry, objects[uid]) for uid in redo[start : start + BATCH_SIZE]]
        refused += backend_call(index_isolating, backend, docs)
    update_failures(catalog, refused, set(redo) - {f.uid for f in refused})
    update_failures(catalog, (), failed - objects.keys())  # gone since
    backend_call(backend.unindex, sorted(set(orphans + text_orphans)))
    print(
        f"Fixed: {len(missing) + len(outdated)} catalog entries indexed, {len(orphans)} "
        f"removed; {len(redo) - len(refused)} full-text documents written, "
        f"{len(set(orphans + text_orphans))} removed."
    )
    if refused:
        print(f"Still not indexed: {len(refused)} object(s) (see above).")
        return 1
    return 0


def _outdated(catalog: Catalog, obj, fields) -> bool:
    docid = catalog.docid(obj.uid)
    values = object_values(obj, fields)
    return catalog.record(docid) != values.record() or catalog.allowed_of(docid) != frozenset(
        values.allowed
    )


# indexer ------------------------------------------------------------------------------
def run_indexer(env: CommandEnv, args) -> None:
    """``cong indexer [--once]``: drain the index queue, every ``--interval`` seconds
    until interrupted (for deployments with ``cong.index_in_request = false``)."""
    require_catalog(env)
    indexer = get_indexer(env.registry)
    if args.once:
        done = backend_call(indexer.drain)
        print(f"Indexed {done} queued change(s).")
        return
    print(f"Indexing queued changes every {args.interval:g} s; stop with Ctrl+C.")
    while True:
        try:
            done = indexer.drain()
        except BackendBusy:
            print("The full-text index is busy; trying again.", file=sys.stderr)
            done = 0
        if done:
            print(f"Indexed {done} queued change(s).")
        time.sleep(max(args.interval, 0.05))
