"""Benchmark: concurrent writers adding items to one folder through the JSON API.

A real application on one FileStorage database is served by waitress on a loopback
port (one thread per writer, so every writer's transaction is in flight at once);
each writer thread POSTs new Pages to the same folder. Afterwards the database is
read back: every item answered 201 must be stored, in the folder's count and order
once, in the catalog and, once the index queue is drained, in the full-text index.

Prints creates/s, the answers by status, what was lost, and the conflicts met (by
the structure their object belongs to, so a conflict that keeps coming back can be
found). Run with ``make bench`` or
``python -m tests.bench.concurrent_writes --writers 20 --creates 50``.

``--processes N`` serves the database through ZEO to N application processes
(the scale-out set-up: each its own waitress, writers spread over them, the index
queue drained by this process at the end, as ``cong indexer`` would); conflicts
are then met in those processes and not counted here.

The functional test ``tests/core/test_concurrent_writes.py`` runs the same
writers on a smaller load and asserts no errors and nothing lost.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import logging
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

import transaction
import waitress
from pyramid_retry import IBeforeRetry
from ZODB.POSException import ConflictError
from ZODB.utils import u64

FOLDER = "tin-tuc"


@dataclass
class Run:
    """What a run of writers saw: answers by status, the created items' ids and uids,
    failed answers, the conflicts met (retried or not) and the wall time."""

    statuses: collections.Counter = field(default_factory=collections.Counter)
    created: dict[str, str] = field(default_factory=dict)  # id -> uid
    failures: list[str] = field(default_factory=list)
    conflicts: list[ConflictError] = field(default_factory=list)
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != 201)


# the application -----------------------------------------------------------------------
def build_app(data_dir: str, **settings):
    """The portal app with an empty Folder at ``/tin-tuc`` (made by the admin)."""
    from core import main
    from core import operations as ops
    from core.testing import ModelRequest, make_settings

    app = main({}, **make_settings(data_dir, **{"pyramid.reload_templates": "false", **settings}))
    m = ModelRequest(app)
    ops.create(m.request, m.site, "Folder", {"title": "Tin tức"}, name=FOLDER)
    m.commit()
    m.close()
    return app


class Server:
    """``app`` served by waitress on a free loopback port, in a thread of this process."""

    def __init__(self, app, threads: int):
        self.server = waitress.create_server(
            app, host="127.0.0.1", port=0, threads=threads, backlog=256
        )
        self.port = self.server.effective_port
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.closing = False

    def _run(self) -> None:
        try:
            self.server.run()
        except OSError:  # its socket closed under its loop
            if not self.closing:
                raise

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.closing = True
        self.server.close()
        self.server.task_dispatcher.shutdown()
        self.thread.join(10)


def request(port: int, method: str, path: str, body=None, headers=None):
    """One HTTP request on a new connection: ``(status, parsed JSON or text)``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        data = json.dumps(body).encode() if body is not None else None
        all_headers = {"Accept": "application/json", "Content-Type": "application/json"}
        all_headers.update(headers or {})
        conn.request(method, path, body=data, headers=all_headers)
        response = conn.getresponse()
        raw = response.read().decode("utf-8", "replace")
        try:
            return response.status, json.loads(raw), dict(response.getheaders())
        except ValueError:
            return response.status, raw, dict(response.getheaders())
    finally:
        conn.close()


def admin_token(port: int) -> str:
    from core.testing import ADMIN_PASSWORD

    status, body, _ = request(
        port, "POST", "/@login", {"login": "admin", "password": ADMIN_PASSWORD}
    )
    assert status == 200, body
    return body["token"]


# conflicts -----------------------------------------------------------------------------
class ConflictRecorder:
    """Collects the ConflictErrors of an app: the retried ones (pyramid_retry's
    BeforeRetry event) and those that reached an error view (logged)."""

    def __init__(self, app):
        self.found: list[ConflictError] = []
        self._lock = threading.Lock()
        app.registry.registerHandler(self._before_retry, (IBeforeRetry,))
        self._handler = _ConflictLogHandler(self)
        logging.getLogger().addHandler(self._handler)

    def add(self, exc) -> None:
        if isinstance(exc, ConflictError):
            with self._lock:
                self.found.append(exc)

    def _before_retry(self, event) -> None:
        self.add(event.exception)

    def close(self) -> None:
        logging.getLogger().removeHandler(self._handler)


class _ConflictLogHandler(logging.Handler):
    def __init__(self, recorder: ConflictRecorder):
        super().__init__(logging.ERROR)
        self.recorder = recorder

    def emit(self, record) -> None:
        if record.exc_info:
            self.recorder.add(record.exc_info[1])


def _tree_oids(tree, label: str, labels: dict) -> None:
    """Label ``tree`` (a BTree or TreeSet), its inner nodes and its buckets."""
    if getattr(tree, "_p_oid", None) is None:
        return
    labels[u64(tree._p_oid)] = label
    state = tree.__getstate__()
    if not state or len(state) < 2:  # a tree of one bucket keeps it inline
        return
    children = state[0][::2]
    for child in children:
        if hasattr(child, "_p_oid") and hasattr(child, "__getstate__"):
            if type(child).__name__.endswith(("Bucket", "Set")) and not type(
                child
            ).__name__.endswith("TreeSet"):
                labels[u64(child._p_oid)] = label + " (bucket)"
            else:
                _tree_oids(child, label, labels)


def structure_labels(site) -> dict[int, str]:
    """oid -> the name of the structure holding that persistent object (folder
    internals, the catalog's maps and indexes, the index queue, the uid map...)."""
    from BTrees.Length import Length

    labels: dict[int, str] = {}

    def persistent(obj, label):
        if getattr(obj, "_p_oid", None) is not None:
            labels.setdefault(u64(obj._p_oid), label)

    def walk_attrs(obj, prefix):
        persistent(obj, prefix)
        for name, value in sorted(vars(obj).items()):
            if name.startswith("_p_") or name.startswith("_v_"):
                continue
            label = f"{prefix}.{name}"
            if hasattr(value, "__getstate__") and type(value).__module__.startswith("BTrees"):
                if isinstance(value, Length):
                    persistent(value, label)
                else:
                    _tree_oids(value, label, labels)
                    if name == "_fwd":  # postings: value -> docid or TreeSet of docids
                        for held in value.values():
                            if not isinstance(held, int):
                                _tree_oids(held, label + "[value]", labels)

    site._p_activate()
    persistent(site, "site")
    walk_attrs(site, "site")
    folder = site[FOLDER]
    walk_attrs(folder, "folder")
    catalog = getattr(site, "catalog", None)
    if catalog is not None:
        walk_attrs(catalog, "catalog")
        for name, index in catalog.indexes.items():
            walk_attrs(index, f"catalog.indexes[{name}]")
        walk_attrs(catalog.queue, "catalog.queue")
    for child in folder.values():
        persistent(child, "new item")
        for attr in ("local_roles", "workflow_history"):
            persistent(getattr(child, attr, None), f"new item.{attr}")
    return labels


def conflicts_by_structure(app, conflicts: list[ConflictError]) -> collections.Counter:
    """How many ``conflicts`` each structure had (read from the database afterwards)."""
    from core.site import get_site

    db = app.registry._zodb_databases[""]
    tm = transaction.TransactionManager()
    conn = db.open(tm)
    try:
        labels = structure_labels(get_site(conn))
    finally:
        tm.abort()
        conn.close()
    counts: collections.Counter = collections.Counter()
    for exc in conflicts:
        oid = u64(exc.oid) if exc.oid else None
        label = labels.get(oid, f"oid {oid}") if oid is not None else "unknown"
        counts[f"{label} [{(exc.class_name or '?').rsplit('.', 1)[-1]}]"] += 1
    return counts


# writers --------------------------------------------------------------------------------
def run_writers(port, writers: int, creates: int, same_title: bool = False) -> Run:
    """``writers`` threads each POSTing ``creates`` Pages to ``/tin-tuc``, all at once
    (``port``: one port, or a list of them: writer n uses port n modulo their number)."""
    ports = port if isinstance(port, list) else [port]
    token = admin_token(ports[0])
    headers = {"Authorization": f"Bearer {token}"}
    run = Run()
    lock = threading.Lock()
    start = threading.Barrier(writers + 1)

    def write(writer: int) -> None:
        port = ports[writer % len(ports)]
        start.wait()
        for i in range(creates):
            title = "Thông báo mới" if same_title else f"Thông báo {writer}-{i}"
            began = time.perf_counter()
            try:
                status, body, _ = request(
                    port, "POST", f"/{FOLDER}", {"@type": "Page", "title": title}, headers
                )
            except OSError as exc:
                status, body = 0, repr(exc)
            with lock:
                run.latencies.append(time.perf_counter() - began)
                run.statuses[status] += 1
                if status == 201:
                    run.created[body["id"]] = body["UID"]
                else:
                    run.failures.append(f"{status} {str(body)[:200]}")

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - began
    return run


def lost_items(app, run: Run) -> list[str]:
    """What the database lacks of ``run``'s created items, once the queue is drained:
    each problem as a sentence (empty: nothing lost). (An item whose request timed
    out on the client's side may be stored too: that is not a loss.)"""
    from catalog import get_backend, get_indexer
    from core.site import get_site

    get_indexer(app.registry).drain()
    db = app.registry._zodb_databases[""]
    tm = transaction.TransactionManager()
    conn = db.open(tm)
    problems = []
    try:
        site = get_site(conn)
        folder = site[FOLDER]
        catalog = site.catalog
        order = folder.keys()
        if len(folder) != len(order):
            problems.append(f"the folder counts {len(folder)}, its order {len(order)} names")
        if len(order) != len(set(order)) or not set(run.created) <= set(order):
            problems.append(f"the order holds {len(order)} names, {len(set(order))} distinct")
        in_text = get_backend(app.registry).uids()
        for name, uid in run.created.items():
            obj = folder.get(name)
            if obj is None or obj.uid != uid:
                problems.append(f"{name} is not in the folder")
            elif catalog.docid(uid) is None:
                problems.append(f"{name} is not in the catalog")
            elif uid not in in_text:
                problems.append(f"{name} is not in the full-text index")
        if len(catalog.queue):
            problems.append(f"{len(catalog.queue)} entries stay in the index queue")
    finally:
        tm.abort()
        conn.close()
    return problems


def measure(writers: int, creates: int, same_title: bool = False, gate: bool = True) -> None:
    """Run the writers on a new database and print the figures (``gate``: the
    write gate of :mod:`core.conflicts` on)."""
    data_dir = tempfile.mkdtemp(prefix="cong-writes-")
    app = build_app(data_dir, **{"cong.write_gate": str(gate).lower()})
    recorder = ConflictRecorder(app)
    try:
        with Server(app, threads=writers) as server:
            run = run_writers(server.port, writers, creates, same_title)
        lost = lost_items(app, run)
        by_structure = conflicts_by_structure(app, recorder.found)
    finally:
        recorder.close()
        for db in app.registry._zodb_databases.values():
            db.close()
        shutil.rmtree(data_dir, ignore_errors=True)
    how = f"{'one title' if same_title else 'own titles'}, write gate {'on' if gate else 'off'}"
    report(run, lost, how, writers, creates)
    print(f"  conflicts met (retried or answered): {len(recorder.found)}")
    for label, n in by_structure.most_common():
        print(f"    {n:5d}  {label}")


def report(run: Run, lost: list[str], how: str, writers: int, creates: int) -> None:
    """Print creates/s, the answers, the errors, what was lost and the latencies."""
    total = writers * creates
    print(
        f"{writers} writers x {creates} creates ({how}): "
        f"{len(run.created) / run.seconds:.1f} creates/s, {run.seconds:.1f} s; "
        f"answers {dict(sorted(run.statuses.items()))}; "
        f"errors {run.errors} of {total} ({100 * run.errors / total:.0f} %); lost {len(lost)}"
    )
    latencies = sorted(run.latencies)
    p50, p95 = (latencies[int(q * (len(latencies) - 1))] * 1000 for q in (0.5, 0.95))
    print(f"  latency ms: p50 {p50:.0f}, p95 {p95:.0f}, max {latencies[-1] * 1000:.0f}")
    for problem in lost[:10]:
        print("  lost:", problem)
    for failure in collections.Counter(run.failures).most_common(5):
        print("  failed:", failure)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answers on port {port}")


def zeo_settings(data_dir: str, uri: str, gate: bool) -> dict:
    return {
        "cong.zodb_uri": uri,
        "cong.index_in_request": "false",
        "cong.write_gate": str(gate).lower(),
    }


def serve(data_dir: str, uri: str, port: int, threads: int, gate: bool) -> None:
    """One application process of ``--processes`` (run by :func:`measure_zeo`)."""
    from core import main as make_app
    from core.testing import make_settings

    settings = make_settings(data_dir, **zeo_settings(data_dir, uri, gate))
    app = make_app({}, **settings, **{"pyramid.reload_templates": "false"})
    waitress.serve(app, host="127.0.0.1", port=port, threads=threads, _quiet=True)


def measure_zeo(writers: int, creates: int, processes: int, gate: bool = True) -> None:
    """The writers spread over ``processes`` application processes sharing one
    database through ZEO; prints the figures."""
    import ZEO

    data_dir = tempfile.mkdtemp(prefix="cong-writes-zeo-")
    address, stop = ZEO.server(path=f"{data_dir}/Data.fs", blob_dir=f"{data_dir}/blobs")
    uri = f"zeo://{address[0]}:{address[1]}?blob_dir={data_dir}/blobs&shared_blob_dir=true"
    app = build_app(data_dir, **zeo_settings(data_dir, uri, gate))
    ports = [free_port() for _ in range(processes)]
    threads = max(1, writers // processes)
    servers = [
        subprocess.Popen(
            [sys.executable, "-W", "ignore", "-m", "tests.bench.concurrent_writes", "--serve",
             data_dir, uri, str(port), str(threads), str(gate)],
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]  # fmt: skip
    try:
        for port in ports:
            wait_for(port)
        run = run_writers(ports, writers, creates)
        lost = lost_items(app, run)
    finally:
        for server in servers:
            server.terminate()
            server.wait(30)
        for db in app.registry._zodb_databases.values():
            db.close()
        stop()
        shutil.rmtree(data_dir, ignore_errors=True)
    report(run, lost, f"{processes} processes over ZEO, write gate {'on' if gate else 'off'}",
           writers, creates)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--creates", type=int, default=50, help="items per writer")
    parser.add_argument("--same-title", action="store_true", help="every item one title")
    parser.add_argument("--no-gate", action="store_true", help="the write gate off")
    parser.add_argument("--processes", type=int, default=0, help="N processes over ZEO")
    parser.add_argument("--serve", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        data_dir, uri, port, threads, gate = args.serve
        serve(data_dir, uri, int(port), int(threads), gate == "True")
        return
    logging.basicConfig(level=logging.CRITICAL)
    logging.getLogger("ZODB.DB").setLevel(logging.CRITICAL + 1)  # more connections than its pool
    if args.processes:
        measure_zeo(args.writers, args.creates, args.processes, gate=not args.no_gate)
    else:
        measure(args.writers, args.creates, args.same_title, gate=not args.no_gate)


if __name__ == "__main__":
    main()
