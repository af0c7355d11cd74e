"""What a search answers: light :class:`Record` objects made from the catalog's
stored metadata (no content object is loaded), a page of them in :class:`Results`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Record:
    """One result, from the catalog's stored metadata (the object is not loaded).

    ``effective`` is the publication date, or the creation time of objects without
    one; ``metadata`` holds the values of plugin catalog fields declared with
    ``metadata=True``.
    """

    uid: str
    path: str
    type_name: str
    title: str
    description: str
    created: datetime
    modified: datetime
    effective: datetime
    state: str
    subsite: str
    metadata: dict = field(default_factory=dict)

    @classmethod
    def from_record(cls, record: dict) -> Record:
        return cls(**{**record, "metadata": dict(record.get("metadata") or {})})

    def url(self, request) -> str:
        """The object's URL (with a trailing slash, as ``request.resource_url`` gives),
        for the host the request reached (see :func:`subsites.hosting.path_url`)."""
        from subsites.hosting import path_url

        return path_url(request, self.path, self.subsite)


@dataclass(frozen=True)
class Results:
    """A page of results: ``total`` counts them all, ``facets`` maps a facet name to
    value -> count, ``snippets`` maps a uid to highlighted HTML (text searches),
    ``suggestion`` is a "did you mean" text (text searches)."""

    total: int
    records: list[Record]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    snippets: dict[str, str] = field(default_factory=dict)
    suggestion: str | None = None
