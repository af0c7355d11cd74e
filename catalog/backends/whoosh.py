"""The whoosh full-text backend (package ``whoosh-reloaded``): index management.

One index in a folder, written by one writer at a time (an in-process lock, then
whoosh's file lock with a timeout) and read through one long-lived searcher that is
reopened when another commit has made a new generation. Searches take turns on it:
whoosh readers seek and read shared file objects, and pure-Python searching holds
the GIL anyway, so taking turns costs no throughput. Security, the other filters and
the publication window are turned into a mask of document numbers before scoring
(the filters cached per searcher).

The parts, one job each: the schema and a document's fields
(:mod:`~catalog.backends.whoosh_schema`), the queries and filters
(:mod:`~catalog.backends.whoosh_query`), searching and facets
(:mod:`~catalog.backends.whoosh_search`, evaluated with numpy by
:mod:`~catalog.backends.whoosh_fast`, scored by :mod:`~catalog.backends.whoosh_scoring`),
highlights (:mod:`~catalog.backends.whoosh_snippets`), suggestions
(:mod:`~catalog.backends.whoosh_suggest`), writing (:mod:`~catalog.backends.whoosh_writing`,
analyzers in :mod:`~catalog.backends.whoosh_analysis`) and bulk rebuilds
(:mod:`~catalog.backends.whoosh_parallel`). They read private internals of
whoosh-reloaded, pinned to one version in setup.py (``tests/catalog/test_whoosh_internals.py``
fails when they change). Decision notes: docs/decisions/0007-whoosh-vietnamese.md,
docs/decisions/0025-text-backend-seam.md.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime

from whoosh.index import LockError
from whoosh.util.filelock import try_for
from whoosh.writing import CLEAR
from zope.interface import implementer

from catalog.backends import (
    BackendBusy,
    ITextBackend,
    ITextSnapshots,
    TextDoc,
    TextHit,
    TextResults,
)
from catalog.backends.whoosh_fast import SegmentCache, filter_mask
from catalog.backends.whoosh_parallel import BulkRebuild
from catalog.backends.whoosh_query import filter_query, frozen, names, parse_query
from catalog.backends.whoosh_schema import INDEX_NAME, document, make_schema
from catalog.backends.whoosh_scoring import MemoryBM25F
from catalog.backends.whoosh_search import Runner, facet_counts, inactive, whoosh_filter
from catalog.backends.whoosh_snapshots import copy_index, replace_files
from catalog.backends.whoosh_snippets import make_snippet
from catalog.backends.whoosh_storage import check_key, index_storage
from catalog.backends.whoosh_suggest import completion_query, completions, did_you_mean
from catalog.backends.whoosh_writing import FastSegmentWriter
from core.crypt.database import cipher_of
from core.crypt.records import Cipher

#: The folder of the index in the application's data folder (``cong.data_dir``).
FOLDER = "whoosh"
#: Below this many results, offer a spelling correction.
FEW_RESULTS = 3
#: Largest page a search returns.
MAX_SIZE = 500
#: Filter sets kept per searcher (one per distinct principals and filters).
FILTER_CACHE_SIZE = 64


def open_backend(registry) -> WhooshBackend:
    """The application's whoosh index, in ``<cong.data_dir>/whoosh``, encrypted when
    encryption at rest is on (the factory registered as ``whoosh``, see
    :mod:`catalog.backends.registration`)."""
    cong = registry.settings["cong"]
    return WhooshBackend(os.path.join(cong.data_dir, FOLDER), cipher=cipher_of(cong))


@implementer(ITextBackend, ITextSnapshots)
class WhooshBackend:
    """The full-text index in the folder ``path`` (created if missing).

    Thread-safe: writes are serialized by a lock (and across processes by whoosh's
    file lock, waited for up to ``write_timeout`` seconds, then :class:`BackendBusy`);
    searches share one searcher, reopened when the index has a new generation.
    Its index can be copied aside and put back (:mod:`~catalog.backends.whoosh_snapshots`).
    """

    def __init__(self, path: str, *, write_timeout: float = 30.0, cipher: Cipher | None = None):
        self.path = str(path)
        self.storage = index_storage(self.path, cipher)
        self.write_timeout = write_timeout
        self._write_lock = threading.Lock()
        self._search_lock = threading.Lock()
        self._searcher = None
        self._generation = -1
        self._filters: OrderedDict = OrderedDict()
        self._weighting = MemoryBM25F()
        self._cache = SegmentCache()
        self._ix = self._open()

    def _open(self):
        os.makedirs(self.path, exist_ok=True)
        schema = make_schema()
        check_key(self.storage, INDEX_NAME)
        if self.storage.index_exists(INDEX_NAME):
            return self.storage.open_index(INDEX_NAME, schema=schema)
        with self._file_lock(self.write_timeout):
            if self.storage.index_exists(INDEX_NAME):
                return self.storage.open_index(INDEX_NAME, schema=schema)
            return self.storage.create_index(schema, indexname=INDEX_NAME)

    @contextmanager
    def _file_lock(self, timeout: float) -> Iterator[None]:
        """whoosh's write lock (the file lock of every writer, in any process)."""
        lock = self.storage.lock(f"{INDEX_NAME}_WRITELOCK")
        if not try_for(lock.acquire, timeout=timeout, delay=0.1):
            raise BackendBusy(f"whoosh index {self.path} is locked")
        try:
            yield
        finally:
            lock.release()

    # snapshots ----------------------------------------------------------------------

    @contextmanager
    def hold(self, timeout: float) -> Iterator[None]:
        """Keep every writer out of the index while the block runs
        (:class:`BackendBusy` when its lock is not had within ``timeout`` seconds)."""
        with self._write_lock, self._file_lock(timeout):
            yield

    def copy_to(self, folder: str) -> dict:
        """Copy the committed index into ``folder`` (hold it first): hard links."""
        return copy_index(self._ix, folder)

    def restore_from(self, folder: str) -> None:
        """Make the copy in ``folder`` (:meth:`copy_to`) the index: a
        :class:`SettingsError` when the keys do not open it, and on any failure an
        empty index (to be rebuilt) instead of a part of it."""
        check_key(index_storage(folder, getattr(self.storage, "cipher", None)), INDEX_NAME)
        schema = make_schema()
        with self._write_lock, self._file_lock(self.write_timeout), self._search_lock:
            self._forget_searcher()
            self._ix.close()
            try:
                replace_files(folder, self.path)
                self._ix = self.storage.open_index(INDEX_NAME, schema=schema)
            except BaseException:
                replace_files(None, self.path)
                self._ix = self.storage.create_index(schema, indexname=INDEX_NAME)
                raise

    # writing ------------------------------------------------------------------------

    def _writer(self):
        try:
            # Separate segment files: opening a compound one copies it into memory.
            return FastSegmentWriter(
                self._ix, timeout=self.write_timeout, delay=0.1, limitmb=256, compound=False
            )
        except LockError as error:
            raise BackendBusy(f"whoosh index {self.path} is locked") from error

    def index(self, docs: Iterable[TextDoc]) -> None:
        """Add the documents, replacing any already indexed under the same uid."""
        docs = iter(docs)
        first = next(docs, None)
        if first is None:
            return
        with self._write_lock:
            writer = self._writer()
            seen: set[str] = set()
            try:
                for doc in _chain(first, docs):
                    if doc.uid in seen:  # whoosh can't replace a document it hasn't written
                        writer.commit()
                        writer, seen = self._writer(), set()
                    seen.add(doc.uid)
                    writer.update_document(**document(doc))
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    def unindex(self, uids: Iterable[str]) -> None:
        """Remove the documents with these uids."""
        uids = list(uids)
        if not uids:
            return
        with self._write_lock:
            writer = self._writer()
            try:
                for uid in uids:
                    writer.delete_by_term("uid", uid)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    def clear(self) -> None:
        """Remove every document."""
        with self._write_lock:
            self._writer().commit(mergetype=CLEAR)

    def rebuild(self, *, replace: bool) -> BulkRebuild:
        """A bulk rebuild writing new segments, put in place by one commit (see
        :class:`~catalog.backends.whoosh_parallel.BulkRebuild`)."""
        return BulkRebuild(self, replace=replace)

    # reading ------------------------------------------------------------------------

    def _current(self):
        """The searcher on the latest generation (call with the search lock held)."""
        generation = self._ix.latest_generation()
        if self._searcher is None or self._generation != generation:
            old, self._searcher = self._searcher, self._ix.searcher(weighting=self._weighting)
            self._generation = generation
            self._filters.clear()
            if old is not None:
                old.close()
        return self._searcher

    def _allowed(self, searcher, principals, active_at: datetime | None = None, **filters):
        """Document numbers passing security, the filters and, with ``active_at``, the
        publication window: a boolean array over the searcher's documents (deleted
        ones never pass)."""
        key = (frozenset(principals), frozen(filters))
        if key in self._filters:
            self._filters.move_to_end(key)
            mask = self._filters[key]
        else:
            mask = filter_mask(searcher, self._cache, filter_query(principals, **filters))
            self._filters[key] = mask
            if len(self._filters) > FILTER_CACHE_SIZE:
                self._filters.popitem(last=False)
        if active_at is not None and mask.any():
            mask = mask & ~inactive(searcher, self._cache, active_at)
        return mask

    def search(
        self,
        text: str,
        *,
        principals: Iterable[str],
        path: str | None = None,
        types: Sequence[str] = (),
        states: Sequence[str] = (),
        subsite: str | None = None,
        date_ranges: dict[str, tuple[date | None, date | None]] | None = None,
        fields: dict[str, object] | None = None,
        sort_on: str = "relevance",
        reverse: bool = True,
        start: int = 0,
        size: int = 20,
        facets: Sequence[str] = (),
        active_at: datetime | None = None,
    ) -> TextResults:
        """Ranked documents matching ``text`` that one of ``principals`` may view.

        See :meth:`catalog.backends.ITextBackend.search`; ``reverse`` is ignored
        when sorting by relevance (best first), and an unknown ``sort_on`` sorts
        by relevance.
        """
        start = max(0, int(start))
        size = min(max(1, int(size)), MAX_SIZE)
        empty = TextResults(0, [], {name: {} for name in facets}, None)
        parsed = parse_query(text)
        principals = frozenset(principals)
        if not parsed.syllables or not principals:
            return empty
        with self._search_lock:
            searcher = self._current()
            allowed = self._allowed(
                searcher,
                principals,
                active_at,
                path=path,
                types=names(types),
                states=names(states),
                subsite=subsite,
                date_ranges=date_ranges or {},
                fields=fields or {},
            )
            if not allowed.any():
                return empty
            run = Runner(searcher, self._cache, self._weighting, allowed, sort_on, reverse, facets)
            results = run.best(parsed, start + size)
            page = []
            for docnum, score in results.top[start : start + size]:
                stored = searcher.stored_fields(docnum)
                page.append((stored["uid"], score, stored.get("body") or stored.get("description")))
            counts = facet_counts(results.counts, facets)
            suggestion = None
            if results.total < FEW_RESULTS:
                viewable = whoosh_filter(allowed)
                suggestion = did_you_mean(searcher, parsed, viewable, results.total)
        words = {s.folded for s in parsed.syllables}
        hits = [TextHit(uid, score, make_snippet(text or "", words)) for uid, score, text in page]
        return TextResults(results.total, hits, counts, suggestion)

    def suggest(self, prefix: str, *, principals: Iterable[str], limit: int = 8) -> list[str]:
        """Titles of viewable documents whose words start as typed (autocompletion)."""
        return [
            title
            for _uid, title in self.suggest_documents(prefix, principals=principals, limit=limit)
        ]

    def suggest_documents(
        self, prefix: str, *, principals: Iterable[str], limit: int = 8
    ) -> list[tuple[str, str]]:
        """``(uid, title)`` of viewable documents whose title words start as typed."""
        q = completion_query(prefix)
        principals = frozenset(principals)
        if q is None or not principals or limit < 1:
            return []
        with self._search_lock:
            searcher = self._current()
            allowed = self._allowed(searcher, principals)
            if not allowed.any():
                return []
            return completions(searcher, q, whoosh_filter(allowed), limit)

    def stats(self) -> dict:
        """``documents``, ``segments``, ``generation``, ``bytes`` on disk, ``path``."""
        with self._search_lock:
            searcher = self._current()
            reader = searcher.reader()
            segments = len(reader.leaf_readers()) if searcher.doc_count_all() else 0
            documents = searcher.doc_count()
            generation = self._generation
        size = sum(entry.stat().st_size for entry in os.scandir(self.path) if entry.is_file())
        return {
            "documents": documents,
            "segments": segments,
            "generation": generation,
            "bytes": size,
            "path": self.path,
        }

    def uids(self) -> set[str]:
        """The uid of every indexed document."""
        with self._search_lock:
            reader = self._current().reader()
            if not reader.doc_count():
                return set()
            column = reader.column_reader("uid")
            return {column[docnum] for docnum in reader.all_doc_ids()}

    def close(self) -> None:
        """Close the searcher and the index."""
        with self._write_lock, self._search_lock:
            self._forget_searcher()
            self._ix.close()

    def _forget_searcher(self) -> None:
        """Close the searcher and drop what was cached of it (search lock held)."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._generation = -1
        self._filters.clear()
        self._cache.clear()


def _chain(first, rest: Iterator):
    yield first
    yield from rest
