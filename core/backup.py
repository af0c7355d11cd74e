"""Backups of the database and its blobs, and restores into a new data folder.

The database file (FileStorage ``Data.fs``) is backed up by ZODB's repozo
(:mod:`ZODB.scripts.repozo`, called as a function): a full copy, or an increment
holding the transactions committed since the previous backup. repozo reads a file
the server has open and keeps writing: it opens it read-only (no lock) and copies
up to the end of the last complete transaction, and a FileStorage only appends
(do not back up while the database is being packed: a pack replaces the file).

The blobs (files of file and image items) are copied after the database file, so
that every blob a backed-up transaction refers to is already in place (ZODB puts a
blob file in place before the transaction is written). Each backup gets a snapshot
folder of the whole blob tree: blob files never change once stored, so a file the
previous snapshot has is hard-linked from it and only new files are copied from
the live folder; files being written (``*.tmp``, the ``tmp`` folder) are skipped.

Layout of the backup folder::

    <backup dir>/database/2025-01-31-02-00-00.fs     repozo's files (UTC times)
    <backup dir>/database/2025-01-31-14-00-00.deltafs
    <backup dir>/blobs/2025-01-31-02-00-00/           blob snapshot of each backup
    <backup dir>/text/2025-01-31-02-00-00/            full-text index snapshot (catalog)

Indexes kept outside the database are not this module's: ``cong backup`` asks the
layers above (the ``cong_backup_taken`` hook) to keep what they need in a folder
of their own in the backup folder, one sub-folder per backup named by its stamp,
which :func:`prune` deletes with the backup; ``cong restore`` asks them
(``cong_restored``) to put it back and bring it up to date with the restored
database, and rebuilds them (``cong reindex``) when they cannot. The catalog keeps
a snapshot of the full-text index with each backup (decision 0037): a restore
re-indexes only what changed after it instead of the whole site.
"""

from __future__ import annotations

import os
import shutil
import struct
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from ZODB.blob import BLOB_SUFFIX
from ZODB.FileStorage.format import TRANS_HDR_LEN
from ZODB.scripts import repozo
from ZODB.TimeStamp import TimeStamp

#: The sub-folders of a backup folder: repozo's repository and the blob snapshots.
DATABASE = "database"
BLOBS = "blobs"
#: Full backups kept (with their increments) unless ``cong.backup_keep`` says.
DEFAULT_KEEP = 7
#: The extensions of repozo's files: data files first (full, then increments).
FULL = (".fs", ".fsz")
DATA = (*FULL, ".deltafs", ".deltafsz")
REPOZO_FILES = (*DATA, ".dat", ".index")
#: The file of a blob folder that names its layout (copied with the blobs).
LAYOUT_FILE = ".layout"
#: The moment format of repozo's file names and of its ``--date`` (UTC).
STAMP = "%Y-%m-%d-%H-%M-%S"
#: The suffix of a snapshot folder being written (renamed without it when whole).
PARTIAL = ".partial"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


@dataclass(frozen=True)
class Storage:
    """Where a FileStorage keeps its data: the file and the blob folder (or None)."""

    data_fs: str
    blob_dir: str | None


@dataclass(frozen=True)
class BackupReport:
    """What :func:`take_backup` did: ``stamp`` (None: nothing changed since the
    last backup), whether it was ``full``, the bytes repozo wrote, the blob files
    copied and those linked from the previous snapshot, and the backups pruned."""

    stamp: str | None
    full: bool = False
    size: int = 0
    blobs_copied: int = 0
    blobs_linked: int = 0
    pruned: tuple[str, ...] = ()


@dataclass(frozen=True)
class RestoreReport:
    """What :func:`restore` did: the backup it recovered, the size of the database
    file written, the blob files copied and the transactions left out (committed
    after the moment asked for)."""

    stamp: str
    size: int
    blobs: int
    left_out: int = 0


def file_storage(uri: str) -> Storage:
    """The FileStorage of a ``file://`` database URI; :class:`BackupError` for
    another kind (ZEO, RelStorage), whose data is backed up where it lives."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        raise BackupError(
            f"The database is not a FileStorage here ({parts.scheme}://): back up a ZEO "
            "server's data on its host (a settings file whose cong.data_dir is the "
            "server's data folder, without cong.zodb_uri); back up RelStorage with the "
            "database's own tools (pg_dump) or zodbconvert."
        )
    blob_dir = parse_qs(parts.query).get("blobstorage_dir", [None])[0]
    return Storage(data_fs=parts.path, blob_dir=blob_dir)


def run_repozo(*argv: str) -> None:
    """Run repozo with ``argv``; its failure is a :class:`BackupError`."""
    try:
        repozo.main(list(argv))
    except SystemExit as exc:
        if exc.code not in (None, 0):
            raise BackupError(f"repozo: {exc.code}") from None


def stamps(backup_dir: str, extensions=DATA) -> list[str]:
    """The moments (repozo's UTC stamps) of the backups with files of
    ``extensions`` in ``backup_dir``, oldest first."""
    folder = os.path.join(backup_dir, DATABASE)
    if not os.path.isdir(folder):
        return []
    found = {os.path.splitext(name) for name in os.listdir(folder)}
    return sorted({stem for stem, ext in found if ext in extensions})


def take_backup(
    storage: Storage, backup_dir: str, full: bool = False, keep: int = DEFAULT_KEEP
) -> BackupReport:
    """Back up ``storage`` into ``backup_dir``: a full backup when ``full`` or when
    there is none yet (or the file was packed since), else an increment; then a
    snapshot of the blobs, a check of the backup files (repozo's ``--verify``), and
    the backups older than the ``keep`` newest full ones deleted."""
    if not os.path.isfile(storage.data_fs):
        raise BackupError(f"There is no database file at {storage.data_fs}.")
    if keep < 1:
        raise BackupError("cong.backup_keep must be at least 1.")
    repository = os.path.join(backup_dir, DATABASE)
    os.makedirs(repository, exist_ok=True)
    before = stamps(backup_dir)
    _wait_for_next_stamp(before)
    # --quick: an increment checks the file against the last backup's checksum only,
    # instead of reading the whole file again (the backup is verified whole below)
    mode = ["--full"] if full else ["--quick"]
    run_repozo("--backup", "--file", storage.data_fs, "--repository", repository, *mode)
    new = sorted(set(stamps(backup_dir)) - set(before))
    if not new:
        return BackupReport(stamp=None)
    stamp = new[-1]
    copied, linked = snapshot_blobs(storage.blob_dir, backup_dir, stamp)
    run_repozo("--verify", "--repository", repository)
    is_full = stamp in stamps(backup_dir, FULL)
    data_file = os.path.join(repository, stamp + (".fs" if is_full else ".deltafs"))
    return BackupReport(
        stamp=stamp,
        full=is_full,
        size=os.path.getsize(data_file),
        blobs_copied=copied,
        blobs_linked=linked,
        pruned=tuple(prune(backup_dir, keep)),
    )


def _wait_for_next_stamp(existing: list[str]) -> None:
    """Wait until repozo's next file name (the UTC second) sorts after the newest
    backup's: two backups within one second would share a name."""
    if existing:
        while time.strftime(STAMP, time.gmtime()) <= existing[-1]:
            time.sleep(0.05)


def snapshot_blobs(blob_dir: str | None, backup_dir: str, stamp: str) -> tuple[int, int]:
    """Make ``<backup_dir>/blobs/<stamp>``, the tree of the committed blob files of
    ``blob_dir``: hard links to the previous snapshot's files, copies of the others.
    Returns (blob files copied, blob files linked). The snapshot appears whole or not at all
    (written under another name, then renamed)."""
    snapshots = os.path.join(backup_dir, BLOBS)
    previous = [s for s in _snapshots(backup_dir) if s < stamp]
    before = os.path.join(snapshots, previous[-1]) if previous else None
    target = os.path.join(snapshots, stamp)
    partial = target + PARTIAL
    shutil.rmtree(partial, ignore_errors=True)
    os.makedirs(partial)
    copied = linked = 0
    for relative in committed_blob_files(blob_dir) if blob_dir else ():
        destination = os.path.join(partial, relative)
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        kept = os.path.join(before, relative) if before else None
        is_blob = relative.endswith(BLOB_SUFFIX)
        if kept and os.path.isfile(kept):
            os.link(kept, destination)
            linked += is_blob
        else:
            shutil.copy2(os.path.join(blob_dir, relative), destination)
            copied += is_blob
    os.rename(partial, target)
    return copied, linked


def committed_blob_files(blob_dir: str) -> list[str]:
    """The paths (relative to ``blob_dir``) of its committed blob files and its
    layout file; temporary files of blobs being written are left out."""
    found = []
    for folder, subfolders, files in os.walk(blob_dir):
        if folder == blob_dir and "tmp" in subfolders:
            subfolders.remove("tmp")
        for name in files:
            if name.endswith(BLOB_SUFFIX) or (folder == blob_dir and name == LAYOUT_FILE):
                found.append(os.path.relpath(os.path.join(folder, name), blob_dir))
    return sorted(found)


def _snapshots(backup_dir: str, kind: str = BLOBS) -> list[str]:
    folder = os.path.join(backup_dir, kind)
    if not os.path.isdir(folder):
        return []
    return sorted(name for name in os.listdir(folder) if not name.endswith(PARTIAL))


def chain(backup_dir: str, stamp: str) -> list[str]:
    """The stamps of the backups a restore of ``stamp`` reads: the last full
    backup taken at or before it, and the increments after it up to ``stamp``
    (one FileStorage file, never packed in between: a pack makes the next backup
    a full one)."""
    fulls = [s for s in stamps(backup_dir, FULL) if s <= stamp]
    first = fulls[-1] if fulls else ""
    return [s for s in stamps(backup_dir) if first <= s <= stamp]


def prune(backup_dir: str, keep: int) -> list[str]:
    """Delete the backups (repozo's files, the blob snapshots and the other
    snapshots named by stamp in the backup folder's other sub-folders) older than
    the ``keep`` newest full backups; returns the stamps deleted."""
    fulls = stamps(backup_dir, FULL)
    if len(fulls) <= keep:
        return []
    oldest_kept = fulls[-keep]
    repository = os.path.join(backup_dir, DATABASE)
    gone = set()
    for name in os.listdir(repository):
        stem, ext = os.path.splitext(name)
        if ext in REPOZO_FILES and stem < oldest_kept:
            os.remove(os.path.join(repository, name))
            gone.add(stem)
    for kind in os.listdir(backup_dir):
        if kind == DATABASE or not os.path.isdir(os.path.join(backup_dir, kind)):
            continue
        for stem in _snapshots(backup_dir, kind):
            if stem < oldest_kept:
                shutil.rmtree(os.path.join(backup_dir, kind, stem))
                gone.add(stem)
    return sorted(gone)


def stamp_of(moment: datetime) -> str:
    """``moment`` (aware) as a repozo stamp (UTC)."""
    return moment.astimezone(UTC).strftime(STAMP)


def restore(backup_dir: str, target: str, until: datetime | None = None) -> RestoreReport:
    """Write into the folder ``target`` (absent or empty) the database as it was at
    ``until`` (default: the last backup), with its blobs.

    ``Data.fs`` is recovered by repozo (checking each file's checksum on the way)
    from the first backup taken at or after ``until`` (the last one if none is),
    then cut after the last transaction committed at or before ``until``: a moment
    between two backups is restored to the transaction, not to the backup before
    it. ``blobs/`` is copied from that backup's snapshot (files of transactions cut
    off are left over, unreferenced)."""
    taken = stamps(backup_dir)
    if not taken:
        raise BackupError(f"There is no backup in {backup_dir}.")
    when = stamp_of(until) if until is not None else None
    stamp = next((s for s in taken if when is not None and s >= when), taken[-1])
    made = not os.path.exists(target)
    os.makedirs(target, exist_ok=True)
    data_fs = os.path.join(target, "Data.fs")
    repository = os.path.join(backup_dir, DATABASE)
    run_repozo(
        "--recover", "--repository", repository, "--output", data_fs, "--with-verify",
        "--date", stamp,
    )  # fmt: skip
    left_out = 0
    if until is not None:
        kept, left_out = cut_after(data_fs, tid_of(until))
        if not kept:
            _undo_recover(target, made)
            raise BackupError(
                f"The backups in {backup_dir} hold nothing committed at or before "
                f"{until:%Y-%m-%d %H:%M:%S %Z}."
            )
    snapshot = os.path.join(backup_dir, BLOBS, stamp)
    blobs = os.path.join(target, "blobs")
    if os.path.isdir(snapshot):
        shutil.copytree(snapshot, blobs)
    else:
        os.makedirs(blobs)
    count = sum(
        name.endswith(BLOB_SUFFIX) for _in, _subs, names in os.walk(blobs) for name in names
    )
    return RestoreReport(stamp, os.path.getsize(data_fs), count, left_out)


def _undo_recover(target: str, made: bool) -> None:
    for name in os.listdir(target):
        os.remove(os.path.join(target, name))
    if made:
        os.rmdir(target)


def tid_of(moment: datetime) -> bytes:
    """The transaction id of ``moment`` (aware): transactions committed at or
    before it have ids not greater than it."""
    utc = moment.astimezone(UTC)
    seconds = utc.second + utc.microsecond / 1_000_000
    return TimeStamp(utc.year, utc.month, utc.day, utc.hour, utc.minute, seconds).raw()


def cut_after(data_fs: str, tid: bytes) -> tuple[int, int]:
    """Truncate the FileStorage file ``data_fs`` before its first transaction with
    an id greater than ``tid``; the number of transactions kept and cut off.

    Walks the transaction headers (id, length) of the file format
    (:mod:`ZODB.FileStorage.format`) without reading the records, so it costs one
    seek a transaction. The file's index, now wrong, is removed (rebuilt on open)."""
    kept = cut = 0
    with open(data_fs, "r+b") as stored:
        size = os.fstat(stored.fileno()).st_size
        position = len(stored.read(4))  # the magic number
        while position + TRANS_HDR_LEN <= size:
            stored.seek(position)
            header_tid, length = struct.unpack(">8sQ", stored.read(16))
            if header_tid > tid:
                cut = _count_from(stored, position, size)
                stored.truncate(position)
                break
            kept += 1
            position += length + 8  # the length again closes each transaction
    if cut and os.path.exists(data_fs + ".index"):
        os.remove(data_fs + ".index")
    return kept, cut


def _count_from(stored, position: int, size: int) -> int:
    count = 0
    while position + TRANS_HDR_LEN <= size:
        stored.seek(position + 8)
        position += struct.unpack(">Q", stored.read(8))[0] + 8
        count += 1
    return count


def is_empty_or_absent(folder: str) -> bool:
    """Whether ``folder`` does not exist, or is an empty folder."""
    return not os.path.exists(folder) or (os.path.isdir(folder) and not os.listdir(folder))
