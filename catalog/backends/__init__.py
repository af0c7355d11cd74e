"""The full-text backend interface: what the catalog asks of a text index.

The catalog keeps the structural indexes in ZODB and hands the text of each object
to a :class:`FullTextBackend` as a :class:`TextDoc`. A backend answers ranked
queries, always filtered by the principals allowed to view each document, so
nothing a user may not view shows up in results, totals, facets, snippets or
suggestions. :mod:`catalog.backends.whoosh` is the default implementation; the
interface is shaped so that a PostgreSQL one can follow.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol


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

    Raised by ``index``, ``unindex`` and ``clear``; nothing was written, so the
    caller keeps its work queued and tries again later.
    """


class FullTextBackend(Protocol):
    """A full-text index of :class:`TextDoc` objects."""

    def index(self, docs: Iterable[TextDoc]) -> None:
        """Add the documents, replacing any already indexed under the same uid."""

    def unindex(self, uids: Iterable[str]) -> None:
        """Remove the documents with these uids (unknown uids are ignored)."""

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
        """Documents matching ``text`` that one of ``principals`` may view.

        ``path`` restricts to a subtree; ``date_ranges`` maps ``created``,
        ``modified``, ``effective`` or a plugin date field to inclusive
        ``(first day, last day)`` bounds (``None``: open); ``fields`` maps plugin
        fields to a value or a list of accepted values; ``facets`` names
        ``type_name``, ``subsite``, ``year`` or plugin fields to count. With
        ``active_at``, documents outside their publication window at that moment
        (``effective`` after it, ``expires`` at or before it) are left out of the
        results, the total and the facets. Any ``text`` is accepted: what cannot
        be understood is ignored.
        """

    def suggest(self, prefix: str, *, principals: Iterable[str], limit: int = 8) -> list[str]:
        """Titles of documents the principals may view whose words start as typed."""

    def suggest_documents(
        self, prefix: str, *, principals: Iterable[str], limit: int = 8
    ) -> list[tuple[str, str]]:
        """``(uid, title)`` of the documents :meth:`suggest` would give the titles of."""

    def clear(self) -> None:
        """Remove every document."""

    def stats(self) -> dict:
        """Figures about the index, at least ``{"documents": n}``."""

    def uids(self) -> set[str]:
        """The uid of every indexed document."""

    def close(self) -> None:
        """Release files and memory; the backend is not used afterwards."""
