"""Benchmark: the audit log's cost per write (``make bench``, or
``python -m tests.bench.audit --writes 500 --rounds 5 --records 100000``).

With ``cong.audit.fsync`` off and on (a site each, in a temporary folder), in
``--rounds`` rounds of ``--writes`` writes of each kind below; the median write
is printed, in time and per second:

* ``record_now``: :func:`core.audit.record_now`, written at once;
* ``record`` + commit: :func:`core.audit.record` in a transaction that commits
  (nothing else in it), written by the after-commit hook;
* a save: a page's title edited (:func:`core.operations.edit`) and committed, without
  and with a ``record`` of it; the difference is what the audit adds to a save (the
  text index is updated later, ``cong.index_in_request = false``, so that its cost
  does not drown the audit's).

The kinds take turns write by write (in reverse order every other round).

Then ``--records`` records are appended (fsync off) and the chain is checked: by
:meth:`core.audit.store.AuditLog.verify` in this process, and by ``cong audit
verify`` (a new process: Python's start and the application's included). Prints
figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

KINDS = ("record_now", "record + commit", "save, no audit", "save + record")


def open_app(data_dir: Path, fsync: bool):
    from core import main
    from core.testing import make_settings

    extra = {"cong.audit.fsync": "true" if fsync else "false", "cong.index_in_request": "false"}
    return main({}, **make_settings(data_dir, **extra))


def close(app) -> None:
    import catalog

    catalog.close_backend(app.registry)
    for db in app.registry._zodb_databases.values():
        db.close()


def one_round(m, page, writes: int, order: tuple[str, ...]) -> dict[str, list[float]]:
    """The seconds of each write of each kind, the kinds taking turns in ``order``."""
    from core import audit
    from core import operations as ops

    request = m.request

    def save(n: int, audited: bool) -> None:
        ops.edit(request, page, {"title": f"Trang {n}"}, "json", True)
        if audited:
            audit.record(request, "content.edit", "/trang", fields=["title"])
        m.commit()

    runs = {
        "record_now": lambda n: audit.record_now(request, "bench", "/trang", n=n),
        "record + commit": lambda n: (audit.record(request, "bench", "/trang", n=n), m.commit()),
        "save, no audit": lambda n: save(n, False),
        "save + record": lambda n: save(n, True),
    }
    seconds = {kind: [] for kind in order}
    for n in range(writes):
        for kind in order:
            started = time.perf_counter()
            runs[kind](n)
            seconds[kind].append(time.perf_counter() - started)
    return seconds


def write_costs(root: Path, fsync: bool, writes: int, rounds: int) -> dict[str, float]:
    """The median seconds of a write of each kind, over all the rounds (the median
    rather than the mean: a shared machine's pauses do not move it)."""
    from core.testing import ModelRequest, add

    app = open_app(root / ("fsync" if fsync else "no-fsync"), fsync)
    try:
        m = ModelRequest(app)
        page = add(m, m.site, "Page", title="Trang", name="trang")
        m.commit()
        one_round(m, page, 20, KINDS)  # warm-up, not counted
        samples = {kind: [] for kind in KINDS}
        for r in range(rounds):
            order = KINDS if r % 2 == 0 else tuple(reversed(KINDS))
            for kind, seconds in one_round(m, page, writes, order).items():
                samples[kind].extend(seconds)
        m.close()
    finally:
        close(app)
    return {kind: statistics.median(values) for kind, values in samples.items()}


def verify_costs(root: Path, records: int) -> tuple[float, float, float, int]:
    """Append ``records`` records (fsync off), then check the chain in this process and
    with ``cong audit verify``: (append s, verify s, command s, bytes of the log)."""
    from core.audit.store import AuditLog
    from core.testing import write_ini

    (root / "verify").mkdir()
    ini = write_ini(root / "verify")
    log = AuditLog(str(root / "verify" / "var" / "audit"), fsync=False)
    started = time.perf_counter()
    for n in range(records):
        log.append(
            {
                "time": datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z"),
                "user": f"bien-tap-{n % 50}",
                "address": f"10.0.{n % 256}.{n % 250 + 1}",
                "action": "workflow",
                "target": f"/don-vi-{n % 300}/tin-tuc/bai-{n}",
                "details": {"transition": "publish", "to": "published"},
            }
        )
    appended = time.perf_counter() - started
    started = time.perf_counter()
    count, problem = log.verify()
    checked = time.perf_counter() - started
    if problem is not None or count != records:
        raise SystemExit(f"the audit log does not check: {count} records, {problem}")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "core.cli", "-c", str(ini), "audit", "verify"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    command = time.perf_counter() - started
    size = sum(entry.stat().st_size for entry in Path(log.directory).glob("*.jsonl"))
    return appended, checked, command, size


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writes", type=int, default=500, help="writes of each kind a round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--records", type=int, default=100_000, help="records verified")
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="cong-bench-audit-"))
    try:
        print(
            f"Audit log benchmark: {args.rounds} rounds of {args.writes} writes of each "
            "kind taking turns; the median write"
        )
        print(f"  {'write':<28} {'fsync':>6} {'per write':>12} {'writes/s':>10}")
        for fsync in (False, True):
            costs = write_costs(root, fsync, args.writes, args.rounds)
            for kind in KINDS:
                print(
                    f"  {kind:<28} {'on' if fsync else 'off':>6} "
                    f"{costs[kind] * 1e6:9.0f} µs {1 / costs[kind]:10.0f}"
                )
            added = costs["save + record"] - costs["save, no audit"]
            print(
                f"  {'the audit added to a save':<28} {'on' if fsync else 'off':>6} "
                f"{added * 1e6:9.0f} µs ({100 * added / costs['save, no audit']:.0f} %)"
            )
        appended, checked, command, size = verify_costs(root, args.records)
        print(
            f"  {args.records} records appended (fsync off) in {appended:.1f} s "
            f"({args.records / appended:.0f}/s), {size / args.records:.0f} bytes each; "
            f"verified in {checked:.1f} s in process ({args.records / checked:.0f}/s), "
            f"`cong audit verify` {command:.1f} s"
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
