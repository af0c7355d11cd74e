"""The full-text backend interface: what the catalog asks of a text index.

The catalog keeps the structural indexes in ZODB and hands the text of each object
to an :class:`ITextBackend` as a :class:`TextDoc`. A backend answers ranked
queries, always filtered by the principals allowed to view each document, so
nothing a user may not view shows up in results, totals, facets, snippets or
suggestions; it is rebuilt in bulk through an :class:`ITextRebuild`.

The setting ``cong.text_backend`` names the backend (default ``whoosh``:
:mod:`catalog.backends.whoosh`); backends are registered by name
(:mod:`catalog.backends.registration`), so another engine (PostgreSQL full text)
comes in without a change to the catalog, the index queue or the command line.
Nothing outside ``catalog/backends/whoosh*`` imports whoosh.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime

from zope.interface import Interface


@dataclass(frozen=True)
class TextDoc:
    """What a backend indexes for one object.

    ``body`` is the rich text as plain text plus the text of attachments;
    ``allowed`` the principals allowed to view it (see :mod:`catalog.security`);
    ``fields`` the plugins' catalog fields (a value, a list of values or a date);
    ``effective`` and ``expires`` the publication window (None: open).
    """

    uid: str
    path: str
    type_name: str
    state: str
    subsite: str
    title: str
    description: str
    body: str
    allowed: tuple[str, ...]
    created: datetime
    modified: datetime
    effective: datetime | None = None
    fields: dict[str, object] = field(default_factory=dict)
    expires: datetime | None = None


@dataclass(frozen=True)
class TextHit:
    """One result: ``snippet`` is HTML, the matches in ``<mark>``, everything else escaped."""

    uid: str
    score: float
    snippet: str


@dataclass(frozen=True)
class TextResults:
    """A page of results, the total, facet counts and a "did you mean" query."""

    total: int
    hits: list[TextHit]
    facets: dict[str, dict[str, int]]
    suggestion: str | None


class BackendBusy(RuntimeError):
    """The index stayed locked by another writer for longer than the write timeout.

    Raised by ``index``, ``unindex``, ``clear`` and ``rebuild``; nothing was
    written, so the caller keeps its work queued and tries again later.
    """


class WorkerFailed(RuntimeError):
    """A worker process of a rebuild could not write its share (the message says why)."""


class ITextBackend(Interface):
    """A full-text index of :class:`TextDoc` objects: what the catalog, the index
    queue and the command line (``cong reindex``, ``cong catalog check``) ask of a
    text engine, and all they ask of it.

    One object per application, opened on first use by the factory registered under
    the name ``cong.text_backend`` chooses (see :mod:`catalog.backends.registration`),
    and used from several threads.
    """

    def index(docs: Iterable[TextDoc]) -> None:
        """Add the documents, replacing any already indexed under the same uid."""

    def unindex(uids: Iterable[str]) -> None:
        """Remove the documents with these uids (unknown uids are ignored)."""

    def search(
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
        """Documents matching ``text`` that one of ``principals`` may view.

        ``path`` restricts to a subtree; ``date_ranges`` maps ``created``,
        ``modified``, ``effective`` or a plugin date field to inclusive
        ``(first day, last day)`` bounds (``None``: open); ``fields`` maps plugin
        fields to a value or a list of accepted values; ``facets`` names
        ``type_name``, ``subsite``, ``year`` or plugin fields to count; ``sort_on``
        is ``relevance`` (best first), ``created``, ``modified``, ``effective``,
        ``date`` (effective, else modified) or ``title``. With ``active_at``,
        documents outside their publication window at that moment (``effective``
        after it, ``expires`` at or before it) are left out of the results, the
        total and the facets. Any ``text`` is accepted: what cannot be understood
        is ignored.
        """

    def suggest(prefix: str, *, principals: Iterable[str], limit: int = 8) -> list[str]:
        """Titles of documents the principals may view whose words start as typed."""

    def suggest_documents(
        prefix: str, *, principals: Iterable[str], limit: int = 8
    ) -> list[tuple[str, str]]:
        """``(uid, title)`` of the documents :meth:`suggest` gives the titles of."""

    def clear() -> None:
        """Remove every document."""

    def rebuild(*, replace: bool) -> ITextRebuild:
        """Start writing documents in bulk (``cong reindex``), holding the index's
        write lock until the rebuild commits or is cancelled; raise
        :class:`BackendBusy` when another writer holds it. With ``replace`` the
        committed index holds only the documents written by the rebuild;
        otherwise the others stay, less those given to :meth:`ITextRebuild.remove`.
        """

    def uids() -> set[str]:
        """The uid of every indexed document (``cong catalog check`` compares them
        with the objects in the database)."""

    def stats() -> dict:
        """Figures about the index, at least ``{"documents": n}``."""

    def close() -> None:
        """Release files and memory; the backend is not used afterwards."""


class ITextSnapshots(Interface):
    """What a backend whose index can be copied aside and put back provides besides
    :class:`ITextBackend`: each backup keeps a copy, and a restore puts it back and
    indexes again only what changed after it (:mod:`catalog.snapshots`, decision
    0037). A restore rebuilds the index of a backend without it."""

    def hold(timeout: float) -> AbstractContextManager[None]:
        """Keep every writer (of any process) out of the index while the block runs;
        :class:`BackendBusy` when that cannot be had within ``timeout`` seconds."""

    def copy_to(folder: str) -> dict:
        """Copy the committed index into the existing, empty ``folder`` (while
        :meth:`hold` is held), cheaply where its files never change (hard links);
        return facts about the copy to keep with it, at least ``{"generation": n}``."""

    def restore_from(folder: str) -> None:
        """Make the copy in ``folder`` (made by :meth:`copy_to`, perhaps by another
        process on another index of the same backend) this backend's index."""


class ITextRebuild(Interface):
    """A bulk rebuild of a backend's index (:meth:`ITextBackend.rebuild`): searches
    see the index as it was until :meth:`commit`; :meth:`cancel`, or a crash,
    leaves it as it was."""

    def remove(uids: Iterable[str]) -> None:
        """Drop the documents of these uids from the index being kept (a partial
        rebuild: they are written again, or are gone)."""

    def write(docs: Iterable[TextDoc]) -> int:
        """Write ``docs`` in this process; return their count."""

    def write_in_workers(
        shares: Sequence[Sequence],
        texts: Callable[[Sequence], Iterator[TextDoc]],
        *,
        while_waiting: Callable[[Callable[[], int]], None] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Write the documents of each share in a worker process of its own:
        ``texts(share)``, called in the worker, gives them.

        ``while_waiting(written)`` runs in this process once the workers have
        started (``written()`` is how many documents they have written so far);
        ``progress`` is then called with that number until they are done. Return
        how many documents the workers wrote; raise :class:`WorkerFailed` (after
        stopping the other workers) when one of them fails.
        """

    def commit() -> None:
        """Make what was written the index, in one step, and release the lock."""

    def cancel() -> None:
        """Give up: the index stays as it was; release the lock."""


class ITextBackendFactory(Interface):
    """Opens a full-text backend for an application (registered by name with
    :func:`catalog.backends.registration.add_text_backend` or in the
    ``cong.text_backends`` entry-point group)."""

    def __call__(registry) -> ITextBackend:
        """The backend of the application of ``registry`` (its settings say where
        its files or its server are)."""
