"""Indexing and search: the catalog API, structural indexes, full-text backends,
Vietnamese text analysis and the index queue.

One call answers every listing and search: :func:`search`. Without ``text`` it
reads the structural indexes in ZODB (:mod:`catalog.structural`), which change in
the transaction of each change; with ``text`` it asks the full-text backend
(:mod:`catalog.backends`), kept up to date by the index queue
(:mod:`catalog.queue`). Either way the results are light :class:`Record` objects
made from stored metadata (no content object is loaded) and only what the
requester may view is counted or shown.

Scheduled publishing: for requesters who may not edit where they search, results
leave out what is outside its publication window at :func:`core.clock.now` (an
``effective`` time still to come, or an ``expires`` time passed: Plone's
effectiveRange), so no job has to run when an item's time comes (see
:func:`drop_inactive`).

Settings: ``cong.index_in_request`` (default true) drains the index queue after
each commit, in the request; set it to false when a separate ``cong indexer``
process does it (several application processes sharing one database).
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import transaction
from pyramid.config import Configurator
from pyramid.events import ApplicationCreated
from pyramid.exceptions import ConfigurationError
from pyramid.settings import asbool
from pyramid.traversal import find_resource, resource_path
from transaction.interfaces import NoTransaction

from catalog import structural
from catalog.backends import BackendBusy, FullTextBackend
from catalog.fields import CatalogField, get_catalog_fields
from catalog.queue import INDEX, UNINDEX, Indexer, IndexQueue, per_change_queue
from catalog.security import allowed_in_tree, query_principals
from catalog.structural import (
    Catalog,
    QueryError,
    as_datetime,
    field_value,
    indexable,
    mergeable_records,
    object_values,
)
from core.clock import now
from core.permissions import EDIT
from core.site import get_site
from core.uids import walk

__all__ = [
    "Catalog",
    "CatalogField",
    "QueryError",
    "Record",
    "Results",
    "as_datetime",
    "catalog_of",
    "get_backend",
    "get_indexer",
    "search",
    "suggest",
]

#: The catalog's modules plugins may import: the public plugin API (docs/plugins.md).
#: Every other module of ``catalog`` is its own and may change without notice.
PUBLIC_MODULES = ("catalog", "catalog.fields")

log = logging.getLogger(__name__)

#: The evolve step creating the catalog (run at the creation of new sites too).
EVOLVE_STEP = "catalog-0001-create"
#: The evolve step giving catalogs made before it the ``position`` index.
POSITION_STEP = "catalog-0002-position"
#: The evolve step queueing the items with an end of publication for the full-text
#: index, which keeps that end since (the text search leaves expired items out).
EXPIRES_STEP = "catalog-0003-text-expires"
#: The evolve steps making the catalog of sites made before decision 0016 take
#: concurrent additions without conflicts: its index queue (entries per change) and
#: its metadata records (that buckets can merge).
QUEUE_STEP = "catalog-0004-queue-per-change"
RECORDS_STEP = "catalog-0005-mergeable-records"
#: The evolve step narrowing who may view objects by who may view their folders.
HIDDEN_STEP = "catalog-0006-hidden-with-folder"
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
#: The date field holding the end of an item's publication (a plugin declares it:
#: the news plugin's ``expires``); without it, nothing expires.
EXPIRES = "expires"
#: Up to this many results, the publication window is tested result by result;
#: above, the sets of items not yet effective and expired are taken away at once.
WINDOW_TEST_LIMIT = 2000
#: The kernel's dates (plugin date fields are dates too).
DATES = ("created", "modified", "effective")

_lock = threading.Lock()


# results ------------------------------------------------------------------------------
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


# the catalog, its backend and its indexer ---------------------------------------------
def catalog_of(site) -> Catalog | None:
    """The site's catalog (None before its evolve step has run)."""
    return getattr(site, "catalog", None)


def get_backend(registry) -> FullTextBackend:
    """The application's full-text backend (whoosh, in ``<cong.data_dir>/whoosh``),
    opened on first use."""
    backend = getattr(registry, "cong_catalog_backend", None)
    if backend is None:
        with _lock:
            backend = getattr(registry, "cong_catalog_backend", None)
            if backend is None:
                from catalog.backends.whoosh import WhooshBackend  # whoosh loads on first use

                path = os.path.join(registry.settings["cong"].data_dir, "whoosh")
                backend = registry.cong_catalog_backend = WhooshBackend(path)
    return backend


def close_backend(registry) -> None:
    """Close the application's full-text backend if it was opened."""
    backend = registry.__dict__.pop("cong_catalog_backend", None)
    if backend is not None:
        backend.close()


def get_indexer(registry) -> Indexer:
    """The application's :class:`catalog.queue.Indexer`."""
    indexer = getattr(registry, "cong_catalog_indexer", None)
    if indexer is None:
        with _lock:
            indexer = getattr(registry, "cong_catalog_indexer", None)
            if indexer is None:
                db = registry._zodb_databases[""]
                indexer = registry.cong_catalog_indexer = Indexer(db, registry, get_backend)
    return indexer


# indexing, in the transaction of a change ---------------------------------------------
def queue_text(request, catalog: Catalog, uid: str, action: str) -> None:
    """Queue full-text work for ``uid`` in the request's transaction, and have it done
    once that transaction commits (when ``cong.index_in_request`` is on)."""
    catalog.queue.put(uid, action)
    if not request.registry.cong_index_in_request:
        return
    try:
        txn = request.tm.get()
    except NoTransaction:  # changed outside the request's transaction: drained later
        return
    get_indexer(request.registry).after_commit(txn)


def index_object(request, catalog: Catalog, obj) -> None:
    """Index ``obj`` (structurally now, its text after commit)."""
    if not indexable(obj):
        return
    catalog.index(object_values(obj, get_catalog_fields(request.registry)))
    queue_text(request, catalog, obj.uid, INDEX)


def unindex_object(request, catalog: Catalog, uid: str) -> None:
    """Remove the object ``uid`` from the indexes."""
    catalog.unindex(uid)
    queue_text(request, catalog, uid, UNINDEX)


def reindex_security(request, catalog: Catalog, obj) -> None:
    """Index again who may view ``obj`` and everything below it (a folder's state
    or sharing decides who sees what it holds); the text of those whose viewers
    changed is queued too."""
    for item in update_allowed(catalog, obj, get_catalog_fields(request.registry)):
        queue_text(request, catalog, item.uid, INDEX)


def update_allowed(catalog: Catalog, root, fields: dict[str, CatalogField] | None) -> list:
    """Store who may view ``root`` and each object below it where that changed
    (objects not yet indexed are indexed whole with the plugin ``fields``, or left
    out when they are None); return the objects changed."""
    changed = []
    for item, allowed in allowed_in_tree(root):
        if not indexable(item):
            continue
        docid = catalog.docid(item.uid)
        if docid is None:
            if fields is None:
                continue
            catalog.index(object_values(item, fields))
        elif catalog.allowed_of(docid) != frozenset(allowed):
            catalog.index_one("allowed", item.uid, allowed)
        else:
            continue
        changed.append(item)
    return changed


def hide_with_folders(site) -> None:
    """Evolve step: narrow who may view each indexed object by who may view its
    folders (docs/decisions/0012), queueing the text of those that changed."""
    catalog = catalog_of(site)
    if catalog is None:
        return
    for item in update_allowed(catalog, site, None):
        catalog.queue.put(item.uid, INDEX)


def index_tree(catalog: Catalog, root, fields: dict[str, CatalogField], only=None) -> int:
    """Index ``root`` and everything below it, queueing their text (no drain is
    scheduled); with ``only``, just the objects for which ``only(obj)`` is true.
    Return how many objects were indexed."""
    count = 0
    for obj in walk(root):
        if indexable(obj) and (only is None or only(obj)):
            catalog.index(object_values(obj, fields))
            catalog.queue.put(obj.uid, INDEX)
            count += 1
    return count


def add_position_index(site) -> None:
    """Give a catalog made before the ``position`` index that index, filled from the
    folders' order (catalogs made since have it already)."""
    catalog = catalog_of(site)
    if catalog is None or "position" in catalog.indexes:
        return
    catalog.indexes["position"] = structural.ValueIndex()
    for obj in walk(site):
        if indexable(obj):
            catalog.index_one("position", obj.uid, structural.position_of(obj))


def queue_expiring(site) -> None:
    """Queue the items that have an :data:`EXPIRES` value for the full-text index, so
    that an index written before it kept that value learns it at the next drain."""
    catalog = catalog_of(site)
    expires = catalog.indexes.get(EXPIRES) if catalog is not None else None
    if expires is None:
        return
    for docid in expires._rev.keys():
        uid = catalog.uid_of.get(docid)
        if uid is not None:
            catalog.queue.put(uid, INDEX)


def create_catalog(site, fields: dict[str, CatalogField]) -> Catalog:
    """Give ``site`` its catalog, with every object already in it indexed."""
    catalog = Catalog(IndexQueue())
    catalog.add_fields(fields.values())
    site.catalog = catalog
    index_tree(catalog, site, fields)
    return catalog


# search -------------------------------------------------------------------------------
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
    if not structural.sortable(catalog, sort_index):
        raise QueryError(f"the catalog cannot sort on {sort_index!r}")
    docids = structural.find(catalog, depth=depth, **query)
    if not may_see_inactive(request, path):
        docids = drop_inactive(catalog, docids, now())
    page = structural.sort(catalog, docids, sort_index, reverse, start + size) if size else []
    records = catalog.records
    return Results(
        total=len(docids),
        records=[Record.from_record(records[docid]) for docid in page[start:]],
        facets={name: structural.facet_counts(catalog, docids, name) for name in facets},
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
            context = find_resource(context, "/" + path.strip("/"))
        except KeyError:
            return False
    return bool(request.has_permission(EDIT, context))


def drop_inactive(catalog: Catalog, docids, when: datetime):
    """``docids`` without the objects outside their publication window at ``when``:
    an ``effective`` time after it, or an :data:`EXPIRES` time at or before it."""
    effective = catalog.indexes["effective"]
    expires = catalog.indexes.get(EXPIRES)
    if len(docids) <= WINDOW_TEST_LIMIT:
        start_of = effective._rev.get
        end_of = expires._rev.get if expires is not None else dict().get

        def active(docid) -> bool:
            start, end = start_of(docid), end_of(docid)
            return (start is None or start <= when) and (end is None or end > when)

        return structural.IFSet([d for d in docids if active(d)])
    after = when + timedelta(microseconds=1)
    hidden = [effective.between(after, None)]
    if expires is not None:
        hidden.append(expires.between(None, after))
    hidden = structural.FAMILY.IF.multiunion(hidden)
    return structural.FAMILY.IF.difference(structural._as_set(docids), hidden) if hidden else docids


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


# set-up -------------------------------------------------------------------------------
def add_new_fields(db, fields: dict[str, CatalogField]) -> int:
    """Give plugin fields declared since the last start an index, filled from the
    content that has them; return how many objects were indexed."""
    tm = transaction.TransactionManager(explicit=True)
    conn = db.open(transaction_manager=tm)
    try:
        with tm:
            catalog = catalog_of(get_site(conn))
            missing = catalog.missing_fields(fields) if catalog is not None else []
            if not missing:
                return 0
            log.info("catalog: new fields %s", ", ".join(f.name for f in missing))
            catalog.add_fields(missing)

            def has_value(obj) -> bool:
                return any(field_value(f, obj) is not None for f in missing)

            return index_tree(catalog, get_site(conn), fields, only=has_value)
    finally:
        conn.close()


def on_application_created(event) -> None:
    """At start-up: index new plugin fields, then catch up with the index queue (work
    committed by a process that stopped before draining it)."""
    registry = event.app.registry
    add_new_fields(registry._zodb_databases[""], get_catalog_fields(registry))
    if not registry.cong_index_in_request:
        return
    try:
        get_indexer(registry).drain()
    except BackendBusy:
        log.warning("the full-text index is locked by another process; the queue waits")
    except Exception:  # noqa: BLE001 - a derived index must not keep the portal from starting
        log.exception("the index queue could not be drained at start-up; it waits")


def includeme(config: Configurator) -> None:
    """Set up the catalog: its evolve step, its settings and the start-up drain."""
    registry = config.registry
    clash = sorted(set(get_catalog_fields(registry)) & set(structural.KERNEL_INDEXES))
    if clash:
        raise ConfigurationError(f"catalog fields {clash} have the names of kernel indexes")
    registry.cong_index_in_request = asbool(registry.settings.get("cong.index_in_request", True))

    def create(site) -> None:
        create_catalog(site, get_catalog_fields(registry))

    config.add_evolve_step(EVOLVE_STEP, create, new_sites=True)
    config.add_evolve_step(POSITION_STEP, add_position_index)
    config.add_evolve_step(EXPIRES_STEP, queue_expiring)
    config.add_evolve_step(QUEUE_STEP, per_change_queue)
    config.add_evolve_step(RECORDS_STEP, mergeable_records)
    config.add_evolve_step(HIDDEN_STEP, hide_with_folders)
    config.add_subscriber(on_application_created, ApplicationCreated)
    config.include("catalog.vocabularies")
