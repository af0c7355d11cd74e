"""The audit log's files: JSON lines, one file a month, each record chained to the
one before it by a SHA-256 hash, so that a changed, removed or inserted line shows.

A record is a flat JSON object (``time``, ``user``, ``address``, ``action``,
``target``, ``details``) with ``prev``, the ``hash`` of the record before it
(:data:`GENESIS` for the first ever), and ``hash``, the SHA-256 of its own
canonical JSON without ``hash``. Records go to ``audit-YYYY-MM.jsonl`` of the month
of their ``time`` (never to a month older than the newest file). Appends hold a
lock of the process and an ``flock`` of the folder, so several threads and
processes extend one chain; each append may be forced to the disk (``fsync``).

The files live outside the database: undo and packing never touch them. Only
:meth:`AuditLog.purge` removes whole months, and it leaves a record saying so whose
``details.anchor`` is the hash the first record kept points back to.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass

#: The ``prev`` of the first record ever written.
GENESIS = "0" * 64
#: The action of the record a purge leaves.
PURGE_ACTION = "audit.purge"
_FILE_RE = re.compile(r"^audit-(\d{4}-\d{2})\.jsonl$")
_CHUNK = 64 * 1024


def canonical(record: dict) -> str:
    """The one JSON text of ``record`` its hash is taken of."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(record: dict) -> str:
    """The SHA-256 (hex) of ``record``'s canonical JSON without its ``hash``."""
    body = {key: value for key, value in record.items() if key != "hash"}
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Problem:
    """The first record that breaks the chain: its file, line (from 1) and why."""

    filename: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.filename} line {self.line}: {self.reason}"


def lines_backwards(path: str) -> Iterator[bytes]:
    """The lines of the file at ``path``, last first, read in chunks from its end."""
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        position = f.tell()
        rest = b""
        while position > 0:
            size = min(_CHUNK, position)
            position -= size
            f.seek(position)
            parts = (f.read(size) + rest).split(b"\n")
            rest = parts[0]
            for line in reversed(parts[1:]):
                if line:
                    yield line
        if rest:
            yield rest


class AuditLog:
    """The audit log in ``directory`` (created on first write); ``fsync``: force
    each record to the disk before the append returns."""

    def __init__(self, directory: str, fsync: bool = True):
        self.directory = directory
        self.fsync = fsync
        self._lock = threading.RLock()
        self._tail: tuple[str, int, str] | None = None  # path, size, last hash

    # reading ----------------------------------------------------------------------
    def months(self) -> list[str]:
        """The months (``YYYY-MM``) that have a file, oldest first."""
        try:
            names = os.listdir(self.directory)
        except FileNotFoundError:
            return []
        return sorted(m.group(1) for m in map(_FILE_RE.match, names) if m)

    def path(self, month: str) -> str:
        """The file of ``month`` (``YYYY-MM``)."""
        return os.path.join(self.directory, f"audit-{month}.jsonl")

    def newest_first(self, months: list[str]) -> Iterator[dict]:
        """The records of ``months`` (existing ones), newest first; a line that is
        no JSON object is skipped (``verify`` reports it)."""
        for month in sorted(months, reverse=True):
            try:
                lines = lines_backwards(self.path(month))
                for line in lines:
                    try:
                        record = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(record, dict):
                        yield record
            except FileNotFoundError:
                continue  # purged meanwhile

    def verify(self) -> tuple[int, Problem | None]:
        """Check the chain of every file in order: the number of records read and
        the first problem (None: intact)."""
        expected, first, anchors, count = None, None, set(), 0
        for month in self.months():
            name = os.path.basename(self.path(month))
            with open(self.path(month), "rb") as f:
                for number, raw in enumerate(f, start=1):
                    reason = _broken(raw, expected)
                    if reason:
                        return count, Problem(name, number, reason)
                    record = json.loads(raw)
                    if first is None:
                        first = (name, record.get("prev"))
                    if record.get("action") == PURGE_ACTION:
                        anchors.add((record.get("details") or {}).get("anchor"))
                    expected = record["hash"]
                    count += 1
        if first is not None and first[1] != GENESIS and first[1] not in anchors:
            return count, Problem(first[0], 1, "records before it are missing (no purge says so)")
        return count, None

    # writing ----------------------------------------------------------------------
    def append(self, entry: dict) -> dict:
        """Write ``entry`` (a JSON-able dict with a ``time`` in ISO 8601, UTC) as the
        next record of the chain; answer the record written."""
        with self._lock, self._folder_lock():
            return self._append(entry)

    def _append(self, entry: dict) -> dict:  # holding both locks
        months = self.months()
        month = max([entry["time"][:7], *months[-1:]])
        record = dict(entry, prev=self._last_hash(months))
        record["hash"] = digest(record)
        path = self.path(month)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, (canonical(record) + "\n").encode("utf-8"))
            if self.fsync:
                os.fsync(fd)
            self._tail = (path, os.fstat(fd).st_size, record["hash"])
        finally:
            os.close(fd)
        return record

    def purge(self, before_month: str, entry: dict) -> list[str]:
        """Remove the files of the months before ``before_month`` (``YYYY-MM``),
        after appending ``entry`` (the purge's record) with the removed months and
        the ``anchor`` the first record kept chains to; answer the months removed."""
        with self._lock, self._folder_lock():
            months = self.months()
            gone = [m for m in months if m < before_month]
            if not gone:
                return []
            anchor = self._last_hash(gone)
            details = dict(entry.get("details") or {}, months=gone, anchor=anchor)
            self._append(dict(entry, action=PURGE_ACTION, details=details))
            for month in gone:
                os.remove(self.path(month))
            return gone

    def head(self) -> str:
        """The hash of the newest record (:data:`GENESIS` when there is none): kept
        somewhere else, it shows a log cut short after it."""
        return self._last_hash(self.months())

    def _last_hash(self, months: list[str]) -> str:
        """The hash of the last record of the newest of ``months``' files."""
        for month in reversed(months):
            path = self.path(month)
            size = os.path.getsize(path)
            if self._tail is not None and self._tail[:2] == (path, size):
                return self._tail[2]
            for line in lines_backwards(path):
                try:
                    return json.loads(line)["hash"]
                except (ValueError, KeyError, TypeError):
                    return hashlib.sha256(line).hexdigest()  # a damaged last line
        return GENESIS

    def _folder_lock(self) -> _FolderLock:
        os.makedirs(self.directory, exist_ok=True)
        return _FolderLock(os.path.join(self.directory, ".lock"))


def _broken(raw: bytes, expected: str | None) -> str:
    """Why the line ``raw`` breaks the chain whose last hash is ``expected`` (None:
    the line is the first one read); "" when it does not."""
    try:
        record = json.loads(raw)
    except ValueError:
        return "not a JSON record"
    if not isinstance(record, dict) or not isinstance(record.get("hash"), str):
        return "not an audit record"
    if record["hash"] != digest(record):
        return "its content does not match its hash"
    if expected is not None and record.get("prev") != expected:
        return "it does not chain to the record before it"
    return ""


class _FolderLock:
    """An exclusive ``flock`` on a file, for the ``with`` block (across processes)."""

    def __init__(self, path: str):
        self.path = path
        self.fd = -1

    def __enter__(self):
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o640)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
