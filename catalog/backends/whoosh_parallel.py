"""Rebuilding the whoosh index in bulk: new segments, written by this process or by
worker processes, put in place by one commit.

whoosh segments are independent files; an index is the list of segments in its
table of contents (TOC), which a commit replaces in one rename. A
:class:`BulkRebuild` takes the index's write lock (the file lock every whoosh writer
takes) for the whole rebuild, lets this process or forked workers each write one
segment of their share of the documents (as whoosh's ``MpWriter`` does with
``multisegment``), and commits the new TOC at the end:

* until that commit, searches see the previous index, whole; an interrupted rebuild
  (a crash, Ctrl+C, a failing worker) leaves it as it was, and the next commit of
  any writer deletes the segment files left behind;
* a full rebuild's TOC lists only the new segments (the old ones are deleted);
  a partial one (``cong reindex --path``) keeps the old segments, with the
  documents being rewritten or removed marked deleted (small segments merged, as
  every commit does).

Workers are forked (``multiprocessing`` with ``fork``): they inherit the
application's registry and read their objects through a connection of their own
(a read-only database, see :mod:`catalog.cli`). One segment per worker: searching
a few segments costs about what one costs, and merging them would read every
posting again in Python. Decision note: docs/decisions/0007-whoosh-vietnamese.md.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence

from whoosh.index import LockError
from whoosh.writing import MERGE_SMALL
from zope.interface import implementer

from catalog.backends import BackendBusy, ITextRebuild, TextDoc, WorkerFailed
from catalog.backends.whoosh_schema import document
from catalog.backends.whoosh_writing import FastSegmentWriter, runs_prefix

#: Memory of each writer's posting pool (runs go to disk past it).
LIMIT_MB = 256
#: Documents between two progress reports of a worker.
REPORT_EVERY = 50


@implementer(ITextRebuild)
class BulkRebuild:
    """A rebuild of ``backend``'s index (a :class:`WhooshBackend`), holding its
    write lock from creation to :meth:`commit` or :meth:`cancel`.

    With ``replace`` the committed index holds only the new segments; otherwise
    the old ones stay, less the documents given to :meth:`remove`.
    """

    def __init__(self, backend, *, replace: bool):
        self.backend = backend
        self.ix = backend._ix
        self.replace = replace
        self.segments: list = []
        try:
            self.writer = FastSegmentWriter(
                self.ix,
                timeout=backend.write_timeout,
                delay=0.1,
                limitmb=LIMIT_MB,
                compound=False,
            )
        except LockError as error:
            raise BackendBusy(f"whoosh index {backend.path} is locked") from error
        self._remove_stale_runs()

    def _remove_stale_runs(self) -> None:
        """Remove run folders of writers that died (none is running: the lock is ours)."""
        prefix, own = runs_prefix(self.ix), os.path.basename(self.writer._tempstorage.folder)
        for entry in os.scandir(self.ix.storage.folder):
            if entry.is_dir() and entry.name.startswith(prefix) and entry.name != own:
                shutil.rmtree(entry.path, ignore_errors=True)

    def remove(self, uids: Iterable[str]) -> None:
        """Mark the documents of these uids deleted in the old segments."""
        for uid in uids:
            self.writer.delete_by_term("uid", uid)

    def write(self, docs: Iterable[TextDoc]) -> int:
        """Write ``docs`` as a new segment, in this process; return their count."""
        segment, count = write_segment(self.ix, docs)
        self._add(segment)
        return count

    def write_in_workers(
        self,
        shares: Sequence[Sequence],
        texts: Callable[[Sequence], Iterator[TextDoc]],
        *,
        while_waiting: Callable[[Callable[[], int]], None] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Write one segment per share in forked worker processes: each calls
        ``texts(share)`` (in the worker) for the documents of its share.

        ``while_waiting(written)`` runs in this process once the workers have
        started (``written()`` is the number of documents they have written so far);
        ``progress`` is then called with that number until they are done.
        Returns how many documents the workers wrote; raises :class:`WorkerFailed`
        (after stopping the other workers) if one of them fails.
        """
        progress = progress or _ignore
        context = multiprocessing.get_context("fork")
        workers = []
        try:
            for share in shares:
                counter = context.Value("q", 0, lock=False)
                receive, send = context.Pipe(duplex=False)
                process = context.Process(
                    target=_work,
                    args=(self.ix, texts, share, counter, send),
                    daemon=True,
                )
                process.start()
                send.close()
                workers.append((process, receive, counter))
            if while_waiting is not None:
                while_waiting(lambda: sum(counter.value for _p, _r, counter in workers))
            results = _wait(workers, progress)
        finally:
            for process, receive, _counter in workers:
                if process.is_alive():
                    process.terminate()
                process.join()
                receive.close()
        for segment, _count in results:
            self._add(segment)
        return sum(count for _segment, count in results)

    def _add(self, segment) -> None:
        if segment is not None:
            self.segments.append(segment)

    def commit(self) -> None:
        """Make the new segments the index (one new TOC), and release the lock."""
        new = list(self.segments)

        def segments(writer, old):
            if self.replace:
                return new
            # Small old segments are merged (without their deleted documents) as
            # by any commit; the new ones are added as they are.
            return MERGE_SMALL(writer, [segment for segment in old if segment.doc_count()]) + new

        self.writer.commit(mergetype=segments)

    def cancel(self) -> None:
        """Give up: the index stays as it was; release the lock."""
        if not self.writer.is_closed:
            self.writer.cancel()


def write_segment(ix, docs: Iterable[TextDoc]) -> tuple[object, int]:
    """Write ``docs`` as a new segment of ``ix`` without taking its lock (the caller
    holds it); return the segment (None when there was no document) and the count."""
    writer = FastSegmentWriter(ix, _lk=False, limitmb=LIMIT_MB, compound=False)
    count = 0
    try:
        for doc in docs:
            writer.add_document(**document(doc))
            count += 1
        if not count:
            writer.cancel()
            return None, 0
        segment = writer._finalize_segment()
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
    writer._finish()
    return segment, count


def _work(ix, texts, share, counter, send) -> None:
    """A worker process: write the segment of ``share``, send it (or the failure).
    It stops when the parent has gone (killed): it would hold the parent's locks,
    inherited through ``fork``, for nothing."""
    parent = os.getppid()
    try:

        def counted():
            for done, doc in enumerate(texts(share), start=1):
                yield doc
                if done % REPORT_EVERY == 0:
                    counter.value = done
                    if os.getppid() != parent:
                        raise SystemExit("the reindex stopped")

        segment, count = write_segment(ix, counted())
        counter.value = count
        send.send(("done", segment, count))
    except BaseException as error:  # noqa: BLE001 - reported to the parent, which raises
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        with contextlib.suppress(OSError):  # the parent may be gone
            send.send(("failed", detail, traceback.format_exc()))
    finally:
        send.close()


def _ignore(done: int) -> None:
    """No progress report."""


def _wait(workers, progress: Callable[[int], None]) -> list[tuple[object, int]]:
    """The workers' ``(segment, count)``, in the order of their shares."""
    results: dict[int, tuple[object, int]] = {}
    while len(results) < len(workers):
        for i, (process, receive, _counter) in enumerate(workers):
            if i in results:
                continue
            if receive.poll():
                try:
                    message = receive.recv()
                except EOFError:
                    message = ("failed", f"worker {i + 1} ended without an answer", "")
                if message[0] != "done":
                    raise WorkerFailed(f"worker {i + 1}: {message[1]}\n{message[2]}".strip())
                results[i] = (message[1], message[2])
            elif not process.is_alive() and not receive.poll():
                raise WorkerFailed(f"worker {i + 1} stopped (exit status {process.exitcode})")
        progress(sum(counter.value for _process, _receive, counter in workers))
        time.sleep(0.05)
    return [results[i] for i in range(len(workers))]
