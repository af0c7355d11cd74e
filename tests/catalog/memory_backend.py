"""A second full-text engine for the tests of the backend seam: documents kept in
the memory of the process, per data folder (as a search server would keep them
between the application and the command line), matched by folded syllables.

It implements :class:`catalog.backends.ITextBackend` and nothing of whoosh: an
application configured with ``cong.text_backend = memory`` searches, reindexes and
checks through it without a change to the catalog, its queue or its commands.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence

from zope.interface import implementer

from catalog.analysis import syllables
from catalog.backends import ITextBackend, ITextRebuild, TextDoc, TextHit, TextResults

#: The documents of each data folder: uid -> TextDoc.
STORES: dict[str, dict[str, TextDoc]] = {}
_lock = threading.Lock()


def open_backend(registry) -> MemoryBackend:
    """The factory named in the tests' ``cong.text_backends`` entry point."""
    return MemoryBackend(registry.settings["cong"].data_dir)


def _words(text: str) -> set[str]:
    return {s.folded for s in syllables(text or "")}


@implementer(ITextBackend)
class MemoryBackend:
    """The documents of the data folder ``data_dir``."""

    def __init__(self, data_dir: str):
        self.data_dir = str(data_dir)
        with _lock:
            self.docs = STORES.setdefault(self.data_dir, {})
        self.closed = False

    def index(self, docs: Iterable[TextDoc]) -> None:
        for doc in docs:
            self.docs[doc.uid] = doc

    def unindex(self, uids: Iterable[str]) -> None:
        for uid in uids:
            self.docs.pop(uid, None)

    def _viewable(self, principals, path=None, types=(), states=(), subsite=None):
        principals = set(principals)
        under = "/" + (path or "").strip("/")
        for doc in self.docs.values():
            if principals.isdisjoint(doc.allowed):
                continue
            if under != "/" and doc.path != under and not doc.path.startswith(under + "/"):
                continue
            if (types and doc.type_name not in types) or (states and doc.state not in states):
                continue
            if subsite is not None and doc.subsite != subsite:
                continue
            yield doc

    def search(
        self,
        text: str,
        *,
        principals,
        path=None,
        types=(),
        states=(),
        subsite=None,
        date_ranges=None,
        fields=None,
        sort_on="relevance",
        reverse=True,
        start=0,
        size=20,
        facets=(),
        active_at=None,
    ) -> TextResults:
        """Documents with every folded syllable of ``text`` (dates, fields and the
        publication window are left to the structural catalog in these tests)."""
        wanted = _words(text)
        found = [
            doc
            for doc in self._viewable(principals, path, types, states, subsite)
            if wanted and wanted <= _words(f"{doc.title} {doc.description} {doc.body}")
        ]
        found.sort(key=lambda doc: doc.uid)
        hits = [TextHit(doc.uid, 1.0, doc.title) for doc in found[start : start + size]]
        return TextResults(len(found), hits, {name: {} for name in facets}, None)

    def suggest(self, prefix: str, *, principals, limit: int = 8) -> list[str]:
        return [title for _uid, title in self.suggest_documents(prefix, principals=principals)]

    def suggest_documents(self, prefix: str, *, principals, limit: int = 8):
        typed = " ".join(s.folded for s in syllables(prefix))
        return [
            (doc.uid, doc.title)
            for doc in self._viewable(principals)
            if typed and " ".join(s.folded for s in syllables(doc.title)).startswith(typed)
        ][:limit]

    def clear(self) -> None:
        self.docs.clear()

    def rebuild(self, *, replace: bool) -> MemoryRebuild:
        return MemoryRebuild(self, replace)

    def uids(self) -> set[str]:
        return set(self.docs)

    def stats(self) -> dict:
        return {"documents": len(self.docs)}

    def close(self) -> None:
        self.closed = True


@implementer(ITextRebuild)
class MemoryRebuild:
    """Documents written aside, put in place at :meth:`commit`."""

    def __init__(self, backend: MemoryBackend, replace: bool):
        self.backend = backend
        self.replace = replace
        self.removed: set[str] = set()
        self.written: dict[str, TextDoc] = {}

    def remove(self, uids: Iterable[str]) -> None:
        self.removed.update(uids)

    def write(self, docs: Iterable[TextDoc]) -> int:
        count = 0
        for doc in docs:
            self.written[doc.uid] = doc
            count += 1
        return count

    def write_in_workers(
        self,
        shares: Sequence[Sequence],
        texts: Callable[[Sequence], Iterator[TextDoc]],
        *,
        while_waiting: Callable[[Callable[[], int]], None] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """One share after the other, in this process (an engine need not fork)."""
        if while_waiting is not None:
            while_waiting(lambda: len(self.written))
        count = sum(self.write(texts(share)) for share in shares)
        if progress is not None:
            progress(count)
        return count

    def commit(self) -> None:
        docs = self.backend.docs
        if self.replace:
            docs.clear()
        for uid in self.removed:
            docs.pop(uid, None)
        docs.update(self.written)

    def cancel(self) -> None:
        self.written.clear()
