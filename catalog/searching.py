"""One call answers every listing and search: :func:`search`.

Without ``text`` it reads the structural indexes in ZODB (:mod:`catalog.query`),
which change in the transaction of each change; with ``text`` it asks the full-text
backend (:mod:`catalog.backends`), kept up to date by the index queue
(:mod:`catalog.queue`). Either way the results are light records made from stored
metadata (:mod:`catalog.results`) and only what the requester may view is counted
or shown.

Scheduled publishing: for requesters who may not edit where they search, results
leave out what is outside its publication window at :func:`core.clock.now` (an
``effective`` time still to come, or an ``expires`` time passed: Plone's
effectiveRange), so no job has to run when an item's time comes (see
:func:`drop_inactive`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pyramid.traversal import find_resource, resource_path

from catalog.backends.registration import get_backend
from catalog.fields import EXPIRES, get_catalog_fields
from catalog.query import QueryError, as_set, facet_counts, find, sort, sortable
from catalog.results import Record, Results
from catalog.security import query_principals
from catalog.structural import FAMILY, Catalog, IFSet, catalog_of
from core.clock import now
from core.permissions import EDIT

#: The sort of listings when none (or "relevance", without text) is asked for.
DEFAULT_SORT = "modified"
#: The sorts of text searches: ``sort_on`` of :func:`search` -> the backend's name.
TEXT_SORTS = {
    "relevance": "relevance",
    "created": "created",
    "modified": "modified",
    "effective": "effective",
    "sortable_title": "title",
}
SORT_ORDERS = {"ascending": False, "descending": True, "reverse": True}
#: The facets of the kernel's indexes (plugin catalog fields are facets too).
FACETS = ("type_name", "subsite", "year")
#: Up to this many results, the publication window is tested result by result;
#: above, the sets of items not yet effective and expired are taken away at once.
WINDOW_TEST_LIMIT = 2000
#: The kernel's dates (plugin date fields are dates too).
DATES = ("created", "modified", "effective")


def search(
    request,
    text: str | None = None,
    path: str | None = None,
    depth: int | None = None,
    types=(),
    states=(),
    subsite: str | None = None,
    date_ranges: dict | None = None,
    fields: dict | None = None,
    sort_on: str | None = None,
    sort_order: str = "descending",
    start: int = 0,
    size: int = 20,
    facets=(),
) -> Results:
    """What the requester may view that matches, a page of it, and facet counts.

    ``path``: that object and everything below it (``depth`` 0: the object only;
    ``depth`` n: the n levels below it); ``types`` and ``states``: any of these;
    ``subsite``: a navigation root's path (``""``: the portal outside subsites);
    ``date_ranges``: ``{"created" | "modified" | "effective" | a plugin date field:
    (first day, last day)}``, inclusive, None for an open end; ``fields``: plugin
    field -> a value or a list of accepted values; ``facets``: ``"type_name"``,
    ``"subsite"``, ``"year"`` or a plugin field.

    Without ``text`` the structural indexes answer, sorted on ``sort_on`` (an
    index: ``modified`` by default, ``created``, ``effective``, ``sortable_title``,
    a plugin field). With ``text`` the full-text backend answers, by relevance
    unless ``sort_on`` names a date or ``sortable_title``; there ``depth`` is not
    applied (the whole subtree of ``path`` is searched).

    Raises :class:`QueryError` (a ``ValueError``) for an index, facet, sort or
    sort order the catalog does not know; any ``text`` is accepted.
    """
    if sort_order not in SORT_ORDERS:
        raise QueryError(f"unknown sort order {sort_order!r}")
    catalog = catalog_of(request.root)
    if catalog is None:
        return Results(0, [])
    start, size = max(int(start), 0), max(int(size), 0)
    query = dict(
        principals=query_principals(request),
        path=path,
        types=tuple(types),
        states=tuple(states),
        subsite=subsite,
        date_ranges=date_ranges,
        fields=fields,
    )
    reverse = SORT_ORDERS[sort_order]
    plugin_fields = get_catalog_fields(request.registry)
    unknown = [name for name in facets if name not in FACETS and name not in plugin_fields]
    if unknown:
        raise QueryError(f"the catalog has no facet {unknown[0]!r}")
    dates = {*DATES, *(name for name, f in plugin_fields.items() if f.kind == "date")}
    unknown = [name for name in date_ranges or () if name not in dates]
    if unknown:
        raise QueryError(f"the catalog has no dates {unknown[0]!r}")
    if text and text.strip():
        if sort_on and sort_on not in TEXT_SORTS:
            raise QueryError(f"a text search cannot sort on {sort_on!r}")
        return _text_search(request, catalog, text, query, sort_on, reverse, start, size, facets)
    sort_index = DEFAULT_SORT if sort_on in (None, "", "relevance") else sort_on
    if not sortable(catalog, sort_index):
        raise QueryError(f"the catalog cannot sort on {sort_index!r}")
    docids = find(catalog, depth=depth, **query)
    if not may_see_inactive(request, path):
        docids = drop_inactive(catalog, docids, now())
    page = sort(catalog, docids, sort_index, reverse, start + size) if size else []
    records = catalog.records
    return Results(
        total=len(docids),
        records=[Record.from_record(records[docid]) for docid in page[start:]],
        facets={name: facet_counts(catalog, docids, name) for name in facets},
    )


def _text_search(request, catalog, text, query, sort_on, reverse, start, size, facets) -> Results:
    principals = query["principals"]
    when = None if may_see_inactive(request, query["path"]) else now()
    found = get_backend(request.registry).search(
        text,
        principals=principals,
        path=query["path"],
        types=query["types"],
        states=query["states"],
        subsite=query["subsite"],
        date_ranges=query["date_ranges"],
        fields=query["fields"],
        sort_on=TEXT_SORTS[sort_on or "relevance"],
        reverse=reverse,
        start=start,
        size=size,
        facets=tuple(facets),
        active_at=when,
    )
    records, snippets = [], {}
    for hit in found.hits[:size]:
        docid = catalog.docid(hit.uid)
        # the structural indexes are exact now; the text index after the next drain
        if docid is None or principals.isdisjoint(catalog.allowed_of(docid)):
            continue
        records.append(Record.from_record(catalog.records[docid]))
        snippets[hit.uid] = hit.snippet
    return Results(found.total, records, found.facets, snippets, found.suggestion)


def may_see_inactive(request, path: str | None = None) -> bool:
    """Whether the requester sees items outside their publication window in results
    for ``path`` (the site when None): those who may edit there."""
    if request.authenticated_userid is None:
        return False
    context = request.root
    if path and path.strip("/"):
        try:
            # segments, not a path: a str path must be URL-quoted ASCII for Pyramid
            context = find_resource(context, ("", *path.strip("/").split("/")))
        except KeyError:
            return False
    return bool(request.has_permission(EDIT, context))


def drop_inactive(catalog: Catalog, docids, when: datetime):
    """``docids`` without the objects outside their publication window at ``when``:
    an ``effective`` time after it, or an :data:`~catalog.fields.EXPIRES` time at or
    before it."""
    effective = catalog.indexes["effective"]
    expires = catalog.indexes.get(EXPIRES)
    if len(docids) <= WINDOW_TEST_LIMIT:
        start_of = effective._rev.get
        end_of = expires._rev.get if expires is not None else dict().get

        def active(docid) -> bool:
            start, end = start_of(docid), end_of(docid)
            return (start is None or start <= when) and (end is None or end > when)

        return IFSet([d for d in docids if active(d)])
    after = when + timedelta(microseconds=1)
    hidden = [effective.between(after, None)]
    if expires is not None:
        hidden.append(expires.between(None, after))
    hidden = FAMILY.IF.multiunion(hidden)
    return FAMILY.IF.difference(as_set(docids), hidden) if hidden else docids


def children(request, folder, start: int = 0, size: int = 20) -> Results:
    """The children of ``folder`` the requester may view, in the folder's order."""
    return search(
        request,
        path=resource_path(folder),
        depth=1,
        sort_on="position",
        sort_order="ascending",
        start=start,
        size=size,
    )


def suggest_records(request, prefix: str, limit: int = 8) -> list[Record]:
    """The items the requester may view whose titles complete ``prefix``, as
    records: an autocompletion that leads to the item itself."""
    catalog = catalog_of(request.root)
    if not prefix or not prefix.strip() or catalog is None:
        return []
    principals = query_principals(request)
    found = get_backend(request.registry).suggest_documents(
        prefix, principals=principals, limit=limit
    )
    records = []
    for uid, _title in found:
        docid = catalog.docid(uid)
        # the structural indexes are exact now; the text index after the next drain
        if docid is not None and not principals.isdisjoint(catalog.allowed_of(docid)):
            records.append(Record.from_record(catalog.records[docid]))
    return records
