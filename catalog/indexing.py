"""Indexing in the transaction of a change: the structural indexes at once, the
full text queued and done after commit by the application's :class:`Indexer`.

Setting: ``cong.index_in_request`` (default true) drains the index queue after
each commit, in the request; set it to false when a separate ``cong indexer``
process does it (several application processes sharing one database).
"""

from __future__ import annotations

import threading

from transaction.interfaces import NoTransaction

from catalog.backends.registration import get_backend
from catalog.fields import CatalogField, get_catalog_fields
from catalog.queue import INDEX, UNINDEX, Indexer
from catalog.security import allowed_in_tree
from catalog.structural import Catalog
from catalog.values import indexable, object_values
from core.uids import walk

_lock = threading.Lock()


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
