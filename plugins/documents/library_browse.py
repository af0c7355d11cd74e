"""Browsing a library: what its page, its portlet and ``@legal-documents`` ask.

A :class:`LibraryQuery` is read from the query string (:meth:`LibraryQuery.from_request`):
``q`` (text, accents and case aside, through the full-text backend: the title,
summary, number, body and the text of the files), ``kind`` (a kind's code),
``body`` (the issuing body), ``field`` (a field's slug), ``year`` (of issue),
``status`` (one of :data:`plugins.documents.legal.ALL_STATUSES`), ``unit`` (at
the portal: ``/`` for the province's own documents, a subsite's path for a
unit's), ``b_start`` and ``b_size``. A value that cannot be one of these raises
:class:`core.params.BadParameter` (the views answer 400 with its message).

:meth:`LibraryQuery.run` asks the catalog for one page of the documents of a
navigation root (a unit's; at the portal, the whole province's, without those
kept out of its lists), newest issue first, with the counts of each filter's
values: two catalog queries (the second counts the documents not yet in force),
whatever the number of documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from pyramid.traversal import resource_path

import catalog
from catalog import Results
from core.batching import MAX_SIZE, MAX_START
from core.i18n import _
from core.interfaces import ISite
from core.names import NAME_RE
from core.params import BadParameter, integer_of, text
from plugins.documents.doctypes import BY_CODE
from plugins.documents.legal import DOCUMENT, IN_FORCE, PENDING, STATUS_LABELS, today
from plugins.documents.library_catalog import BODY, FIELD, IN_FORCE_FROM, KIND, STATUS
from plugins.documents.library_fields import FIELD_LABELS
from subsites.catalog_fields import EXCLUDE_FROM_PROVINCE

#: Documents a page shows by default.
PAGE_SIZE = 20
#: Characters of ``q`` and ``body`` kept.
MAX_TEXT = 200
#: The filters: parameter -> the catalog's facet counting its values.
FACETS = {
    "kind": KIND,
    "body": BODY,
    "field": FIELD,
    "year": "year",
    "status": STATUS,
    "unit": "subsite",
}
#: The value of ``unit`` naming the province's own documents (those outside units).
PROVINCE = "/"
FIRST_YEAR, LAST_YEAR = 1945, 2100


@dataclass(frozen=True)
class LibraryPage:
    """A page of documents and the counts of each filter's values (value as text
    -> count; ``unit``'s values are subsite paths, :data:`PROVINCE` the portal)."""

    total: int
    records: list
    counts: dict = field(default_factory=dict)
    snippets: dict = field(default_factory=dict)


@dataclass(frozen=True)
class LibraryQuery:
    """One browse of a library: its text, filters and page."""

    text: str = ""
    kind: str = ""
    body: str = ""
    field: str = ""
    year: int | None = None
    status: str = ""
    unit: str = ""
    start: int = 0
    size: int = PAGE_SIZE

    @classmethod
    def from_request(cls, request, size: int = PAGE_SIZE) -> LibraryQuery:
        """The browse the request's query string asks for (:class:`BadParameter`
        if it cannot be)."""
        kind = text(request, "kind")
        if kind and kind not in BY_CODE:
            raise BadParameter(_("Loại văn bản không có trong danh mục."))
        field_slug = text(request, "field")
        if field_slug and field_slug not in FIELD_LABELS:
            raise BadParameter(_("Lĩnh vực không có trong danh mục."))
        status = text(request, "status")
        if status and status not in STATUS_LABELS:
            raise BadParameter(_("Tình trạng hiệu lực không hợp lệ."))
        unit = text(request, "unit")
        if (
            unit
            and unit != PROVINCE
            and not all(NAME_RE.match(s) for s in unit.strip("/").split("/"))
        ):
            raise BadParameter(_("Đơn vị không hợp lệ."))
        year = integer_of(text(request, "year"), "year", 0, FIRST_YEAR, LAST_YEAR)
        return cls(
            text=" ".join(text(request, "q").split())[:MAX_TEXT],
            kind=kind,
            body=" ".join(text(request, "body").split())[:MAX_TEXT],
            field=field_slug,
            year=year or None,
            status=status,
            unit="/" + unit.strip("/") if unit else "",
            start=integer_of(text(request, "b_start"), "b_start", 0, 0, MAX_START),
            size=integer_of(text(request, "b_size"), "b_size", size, 1, MAX_SIZE, clamp=True),
        )

    def filters(self) -> dict:
        """The chosen filters: parameter -> value."""
        chosen = {name: getattr(self, name) for name in FACETS}
        return {name: value for name, value in chosen.items() if value not in ("", None)}

    def without(self, name: str) -> LibraryQuery:
        """The same browse without filter ``name``, from its first page."""
        return replace(self, **{name: None if name == "year" else ""}, start=0)

    def key(self) -> str:
        """A text naming this browse whole, to share its results."""
        chosen = "&".join(f"{k}={v}" for k, v in sorted(self.filters().items()))
        return f"{self.text}|{chosen}|{self.start}|{self.size}"

    def query(self, root, day: date, status: str | None = None) -> dict:
        """The catalog query of this browse below ``root`` (without ``status``'s
        filter when it is None; with the day's meaning of "in force")."""
        fields: dict = {}
        dates: dict = {}
        if ISite.providedBy(root):
            fields[EXCLUDE_FROM_PROVINCE] = False
        for name in ("kind", "body", "field"):
            if getattr(self, name):
                fields[FACETS[name]] = getattr(self, name)
        if self.year:
            dates["effective"] = (date(self.year, 1, 1), date(self.year, 12, 31))
        if status == PENDING:
            fields[STATUS] = IN_FORCE
            dates[IN_FORCE_FROM] = (day + timedelta(days=1), None)
        elif status == IN_FORCE:
            fields[STATUS] = IN_FORCE
            dates[IN_FORCE_FROM] = (None, day)
        elif status:
            fields[STATUS] = status
        query = {
            "text": self.text or None,
            "types": (DOCUMENT,),
            "path": resource_path(root),
            "fields": fields,
            "date_ranges": dates,
        }
        if self.unit:
            query["subsite"] = "" if self.unit == PROVINCE else self.unit
        return query

    def run(self, request, root, facets: bool = True) -> LibraryPage:
        """The page of documents below ``root`` that match, newest issue first, with
        each filter's counts (``unit``'s only at the portal)."""
        day = today()
        names = [n for n in FACETS if n != "unit" or ISite.providedBy(root)] if facets else []
        found = catalog.search(
            request,
            sort_on="effective",
            start=self.start,
            size=self.size,
            facets=tuple(FACETS[n] for n in names),
            **self.query(root, day, self.status or None),
        )
        counts = {name: facet_counts(found, FACETS[name]) for name in names}
        if "status" in counts:
            counts["status"] = self.status_counts(request, root, day, found, counts["status"])
        if "unit" in counts:
            counts["unit"] = {key or PROVINCE: n for key, n in counts["unit"].items()}
        return LibraryPage(found.total, found.records, counts, found.snippets)

    def status_counts(self, request, root, day: date, found: Results, stored: dict) -> dict:
        """The count of each status: the stored ones, with the documents not yet in
        force counted apart from those in force (one more count of the catalog)."""
        if self.status:
            return {self.status: found.total} if found.total else {}
        pending = catalog.search(request, size=0, **self.query(root, day, PENDING)).total
        counts = dict(stored)
        if pending:
            counts[IN_FORCE] = counts.get(IN_FORCE, 0) - pending
            counts[PENDING] = pending
        return {key: n for key, n in counts.items() if n > 0}


def facet_counts(found: Results, name: str) -> dict[str, int]:
    """The counts of facet ``name``, by value as text (years are numbers in the
    structural indexes and text in the full-text backend)."""
    return {str(value): count for value, count in (found.facets.get(name) or {}).items()}
