"""Benchmark: backups and point-in-time restore of a province (``make bench``, or
``python -m tests.bench.backup --items 200000 --subsites 300 --dir DIR``).

1. *Province*: ``--items`` objects over ``--subsites`` units, built as
   :mod:`tests.bench.catalog` builds its own, or that benchmark's indexed province
   copied (``--from``: its database holds the structural catalog, as a live
   portal's does); plus ``--files`` file items (20–200 KB of incompressible bytes each,
   kept as blobs; no text to index); then indexed once (``cong reindex``: the
   catalog and the full-text index a live portal has). Kept in ``--dir`` and reused
   by the next run.
2. *Full backup* with the kernel's :func:`core.backup.take_backup` (repozo, the blob
   snapshot, repozo's check of the backup files), as ``cong backup --full``, then
   the snapshot of the full-text index ``cong backup`` takes after it
   (:func:`catalog.snapshots.take_snapshot`), timed apart.
3. *Incremental backups*: ``--changes`` items edited (titles, through
   :func:`core.operations.edit`: their catalog entries updated, their text queued and
   drained into the index as the server does after each commit) and 10 new files,
   then a backup; a tenth of that again, then a moment, then a tenth again and
   another backup.
4. *Verification* of the whole backup folder alone (repozo ``--verify``).
5. *Restore* ``--until`` the moment (after the second edits, before the third)
   into a new folder, as ``cong restore`` does it: the copy (repozo ``--recover`` of
   the last increment with its checks, the file cut after the moment, the blob
   snapshot copied), then the index brought up to date from the first increment's
   index snapshot (the second's is newer than the moment; the second edits are
   indexed again); and into another folder the same copy with the full rebuild
   (``cong reindex``, structural and full text) instead, as without snapshots. Each
   is timed; the restored sites are checked (the first and second edits present,
   the third absent; a search for the second edits' label finding as many
   documents in both).

Wall and CPU seconds (CPU: this process and its children, such as the reindex
workers) and the bytes written. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tests.bench.catalog import build, settings
from tests.bench.corpus import DEFAULT_SOURCE

#: Titles the edits give, to find them in the restored site.
FIRST, SECOND, THIRD = "đợt một", "đợt hai", "đợt ba"
#: New files of each increment.
NEW_FILES = 10
#: The markers of a province whose files are in place, and of one indexed.
FILES_DONE = ".bench-files"
INDEXED = ".bench-indexed"


@dataclass
class Timing:
    """Wall and CPU seconds of a step (CPU of this process and its children)."""

    wall: float = 0.0
    cpu: float = 0.0
    extra: dict = field(default_factory=dict)


def _cpu() -> float:
    own = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + children.ru_utime + children.ru_stime


@contextmanager
def timed():
    """``with timed() as t:`` the block's wall and CPU seconds in ``t``."""
    timing = Timing()
    started, cpu = time.perf_counter(), _cpu()
    yield timing
    timing.wall, timing.cpu = time.perf_counter() - started, _cpu() - cpu


def open_app(data_dir: Path):
    from core import main

    return main({}, **settings(data_dir))


def close(app) -> None:
    import catalog

    catalog.close_backend(app.registry)
    for db in app.registry._zodb_databases.values():
        db.close()


def size_of(path: Path) -> int:
    """Bytes of the file, or of the files under the folder (a file linked twice
    counted once)."""
    if path.is_file():
        return path.stat().st_size
    files = {f.stat().st_ino: f.stat().st_size for f in path.rglob("*") if f.is_file()}
    return sum(files.values())


def mb(size: int) -> str:
    return f"{size / 2**20:,.1f} MB"


# 1. the province ------------------------------------------------------------------------
def province(args) -> Path:
    """The live data folder, built (or copied from ``--from``) on the first run."""
    data_dir = args.dir / "var"
    if not (data_dir / "Data.fs").exists():
        source = args.copy_from / "var" if args.copy_from else None
        if source and (source / "Data.fs").exists():
            with timed() as t:
                data_dir.mkdir(parents=True)
                shutil.copy2(source / "Data.fs", data_dir / "Data.fs")
            print(f"  copied the province from {args.copy_from} in {t.wall:.0f} s")
        else:
            seconds = build(data_dir, args.items, args.subsites, args.source)
            print(f"  built the province in {seconds:.0f} s (not indexed)")
    if not (data_dir / FILES_DONE).exists():
        with timed() as t:
            add_files(data_dir, args.files, random.Random(3), "tep")
        (data_dir / FILES_DONE).write_text(str(args.files), encoding="ascii")
        print(f"  added {args.files} files in {t.wall:.0f} s")
    if not (data_dir / INDEXED).exists():
        from core.cli.backup import rebuild_text_index

        with timed() as t:
            rebuild_text_index(settings(data_dir), str(data_dir))
        (data_dir / INDEXED).write_text("", encoding="ascii")
        print(f"  indexed the province (cong reindex) in {t.wall:.0f} s")
    return data_dir


def units(site) -> list:
    return [site[name] for name in site.keys() if name.startswith("don-vi-")]


def add_files(data_dir: Path, count: int, rng: random.Random, prefix: str) -> None:
    """``count`` file items of 20–200 KB, over the units' page folders."""
    from core.testing import ModelRequest, add, upload

    app = open_app(data_dir)
    try:
        m = ModelRequest(app)
        folders = [unit["page"] for unit in units(m.site)]
        for i in range(count):
            data = rng.randbytes(rng.randrange(20_000, 200_000))
            name = f"{prefix}-{i}-{rng.randrange(10**9)}"
            value = upload(data, f"{name}.bin", "application/octet-stream")
            add(m, rng.choice(folders), "File", name=name,
                title=f"Tệp đính kèm {i}", file=value)  # fmt: skip
            if i % 100 == 99:
                m.commit()
                m.site._p_jar.cacheGC()
        m.commit()
        m.close()
        drain(app)
    finally:
        close(app)


def drain(app) -> None:
    """Do the queued full-text work, as the server does after each commit."""
    import catalog

    catalog.get_indexer(app.registry).drain()


def edit_items(data_dir: Path, count: int, label: str, rng: random.Random) -> list[str]:
    """Give ``count`` random news items a title ending in ``label``, add
    :data:`NEW_FILES` files (their names start with ``label``'s slug); the paths
    of the items edited."""
    from pyramid.traversal import resource_path

    from core import operations as ops
    from core.names import slugify
    from core.testing import ModelRequest

    app = open_app(data_dir)
    try:
        m = ModelRequest(app)
        news = [unit["news"] for unit in units(m.site)]
        edited = []
        while len(edited) < count:
            folder = rng.choice(news)
            obj = folder[rng.choice(list(folder.keys()))]
            ops.edit(m.request, obj, {"title": f"{obj.title[:150]} ({label})"}, "json", True)
            edited.append(resource_path(obj))
        m.commit()
        m.close()
        drain(app)
    finally:
        close(app)
    add_files(data_dir, NEW_FILES, rng, slugify(label))
    return edited


# 2.–4. backups ----------------------------------------------------------------------
def backup(data_dir: Path, backups: Path, full: bool):
    """A backup, then the snapshot of the full-text index, as ``cong backup``;
    the report and the timings of each."""
    from catalog.snapshots import take_snapshot
    from core.backup import Storage, take_backup

    storage = Storage(str(data_dir / "Data.fs"), str(data_dir / "blobs"))
    with timed() as t:
        report = take_backup(storage, str(backups), full=full)
    with timed() as snapshot:
        snapshot.extra["line"] = take_snapshot(settings(data_dir), str(backups), report.stamp)
    return report, t, snapshot


def new_bytes(folder: Path, seen: set) -> int:
    """Bytes of the files of a snapshot ``folder`` not hard-linked to an earlier
    snapshot's (their inodes in ``seen``)."""
    total = 0
    for path in folder.rglob("*"):
        info = path.stat()
        if path.is_file() and info.st_ino not in seen:
            seen.add(info.st_ino)
            total += info.st_size
    return total


def verify(backups: Path) -> Timing:
    from core.backup import DATABASE, run_repozo

    with timed() as t:
        run_repozo("--verify", "--repository", str(backups / DATABASE))
    return t


# 5. restore -----------------------------------------------------------------------------
def restore(backups: Path, target: Path, until: datetime, snapshot: bool) -> tuple[Timing, Timing]:
    """Restore ``--until`` the moment into ``target`` as ``cong restore`` does (with
    ``snapshot``: from the index snapshot, else by the full rebuild, as without
    snapshots); the timings of the copy and of the index."""
    from core.backup import restore as copy_back
    from core.cli.backup import rebuild_text_index

    with timed() as copy:
        report = copy_back(str(backups), str(target), until)
    copy.extra = {"size": report.size, "blobs": report.blobs, "left_out": report.left_out}
    restored_from = (str(backups), report.stamp) if snapshot else None
    with timed() as index:
        rebuild_text_index(settings(target), str(target), restored_from=restored_from)
    return copy, index


def check(target: Path, before: list[str], after: list[str]) -> str:
    """Whether the restored site holds the edits ``before`` the moment and not
    those ``after`` it (an item edited twice has its earlier title), and how many
    documents its full-text index finds for the second edits' label."""
    from pyramid.traversal import find_resource

    from core.testing import stored_site

    with stored_site(target) as site:
        titles = [find_resource(site, path).title for path in before + after]
    found = sum(t.endswith((f"({FIRST})", f"({SECOND})")) for t in titles[: len(before)])
    later = sum(t.endswith(f"({THIRD})") for t in titles)
    return (
        f"{found}/{len(before)} edits before the moment found, {later}/{len(after)} "
        f"after it (expected 0); {text_hits(target)} documents found for '{SECOND}'"
    )


def text_hits(target: Path) -> int:
    """How many documents the restored site's full-text index finds for the second
    edits' label (a Manager asking)."""
    import catalog

    app = open_app(target)
    try:
        backend = catalog.get_backend(app.registry)
        return backend.search(SECOND, principals={"role:Manager"}).total
    finally:
        close(app)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--subsites", type=int, default=300)
    parser.add_argument("--files", type=int, default=2000, help="file items (blobs)")
    parser.add_argument("--changes", type=int, default=1000, help="items edited")
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="raw articles (*.txt)")
    parser.add_argument("--dir", type=Path, required=True, help="kept here, reused when present")
    parser.add_argument(
        "--from", dest="copy_from", type=Path, help="copy the province of tests.bench.catalog"
    )
    args = parser.parse_args(argv)
    print(f"Backup benchmark: {args.items} items over {args.subsites} units, in {args.dir}")
    data_dir = province(args)
    backups, target = args.dir / "backups", args.dir / "restored"
    shutil.rmtree(backups, ignore_errors=True)
    shutil.rmtree(target, ignore_errors=True)
    rng = random.Random(int(time.time()))
    seen: set[int] = set()
    print(
        f"  live: Data.fs {mb(size_of(data_dir / 'Data.fs'))}, "
        f"blobs {mb(size_of(data_dir / 'blobs'))}"
    )
    print(
        "  (database: bytes repozo wrote, or the restored Data.fs; blobs/index: new bytes "
        "of the blob snapshot, the blobs restored, or the rebuilt text index; files: blob "
        "files copied)"
    )
    print(f"  {'step':<42} {'wall s':>8} {'CPU s':>8} {'database':>11} {'blobs/index':>12} {'files':>6}")  # fmt: skip

    def backup_row(label: str, full: bool):
        from catalog.snapshots import TEXT

        report, t, snapshot = backup(data_dir, backups, full=full)
        blobs = new_bytes(backups / "blobs" / report.stamp, seen)
        row(label, t, report.size, blobs, report.blobs_copied)
        row(
            "  then its index snapshot", snapshot, 0, new_bytes(backups / TEXT / report.stamp, seen)
        )
        if not snapshot.extra["line"].startswith("Full-text index snapshot"):
            print(f"    {snapshot.extra['line']}")
        return report

    backup_row("full backup (with its check)", True)
    first = edit_items(data_dir, args.changes, FIRST, rng)
    backup_row(f"incremental: {len(first)} edits, {NEW_FILES} files", False)
    second = edit_items(data_dir, max(1, args.changes // 10), SECOND, rng)
    moment = moment_between()
    third = edit_items(data_dir, max(1, args.changes // 10), THIRD, rng)
    backup_row(f"incremental: 2 x {len(second)} edits, {2 * NEW_FILES} files", False)
    row("verify the 3 backups (repozo --verify)", verify(backups))
    print(f"  backup folder: {mb(size_of(backups))} on disk for the 3 backups (hard links once)")
    rebuilt = args.dir / "restored-rebuilt"
    shutil.rmtree(rebuilt, ignore_errors=True)
    for folder, snapshot, label in (
        (target, True, "the index from its snapshot"),
        (rebuilt, False, "the index rebuild (cong reindex)"),
    ):
        copy, index = restore(backups, folder, moment, snapshot)
        row("restore --until between them: copy", copy, copy.extra["size"],
            size_of(folder / "blobs"), copy.extra["blobs"])  # fmt: skip
        row(f"  then {label}", index, size_of(folder / "Data.fs"), size_of(folder / "whoosh"))
        row("  restore in all", Timing(copy.wall + index.wall, copy.cpu + index.cpu))
        print(
            f"  restored site: {copy.extra['left_out']} transactions after the moment cut "
            f"off; {check(folder, first + second, third)}"
        )


def moment_between() -> datetime:
    """A moment in a second of its own: later than the second of the backup just
    taken, earlier than anything committed or backed up next (backups are named by
    the second)."""
    next_second()
    moment = datetime.now(UTC)
    next_second()
    return moment


def next_second() -> None:
    """Wait until the clock passes into the next second."""
    started = datetime.now(UTC)
    while datetime.now(UTC).replace(microsecond=0) <= started:
        time.sleep(0.05)


def row(label: str, t: Timing, database: int = 0, other: int = 0, files: int = 0) -> None:
    """A line of the table (sizes in bytes; 0: left blank)."""
    print(
        f"  {label:<42} {t.wall:8.1f} {t.cpu:8.1f} {mb(database) if database else '':>11} "
        f"{mb(other) if other else '':>12} {files or '':>6}",
        flush=True,
    )


if __name__ == "__main__":
    main()
