"""The catalog's evolve steps: creating a site's catalog, and bringing catalogs made
by earlier versions up to date (each a named, recorded step, see :mod:`core.evolve`)."""

from __future__ import annotations

from pyramid.config import Configurator

from catalog.fields import EXPIRES, CatalogField, get_catalog_fields
from catalog.indexing import index_tree, update_allowed
from catalog.queue import INDEX, IndexQueue, per_change_queue
from catalog.structural import Catalog, ValueIndex, catalog_of, mergeable_records
from catalog.values import indexable, position_of
from core.uids import walk

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


def create_catalog(site, fields: dict[str, CatalogField]) -> Catalog:
    """Give ``site`` its catalog, with every object already in it indexed."""
    catalog = Catalog(IndexQueue())
    catalog.add_fields(fields.values())
    site.catalog = catalog
    index_tree(catalog, site, fields)
    return catalog


def add_position_index(site) -> None:
    """Give a catalog made before the ``position`` index that index, filled from the
    folders' order (catalogs made since have it already)."""
    catalog = catalog_of(site)
    if catalog is None or "position" in catalog.indexes:
        return
    catalog.indexes["position"] = ValueIndex()
    for obj in walk(site):
        if indexable(obj):
            catalog.index_one("position", obj.uid, position_of(obj))


def queue_expiring(site) -> None:
    """Queue the items that have an :data:`~catalog.fields.EXPIRES` value for the
    full-text index, so that an index written before it kept that value learns it
    at the next drain."""
    catalog = catalog_of(site)
    expires = catalog.indexes.get(EXPIRES) if catalog is not None else None
    if expires is None:
        return
    for docid in expires._rev.keys():
        uid = catalog.uid_of.get(docid)
        if uid is not None:
            catalog.queue.put(uid, INDEX)


def hide_with_folders(site) -> None:
    """Evolve step: narrow who may view each indexed object by who may view its
    folders (docs/decisions/0012), queueing the text of those that changed."""
    catalog = catalog_of(site)
    if catalog is None:
        return
    for item in update_allowed(catalog, site, None):
        catalog.queue.put(item.uid, INDEX)


def add_evolve_steps(config: Configurator) -> None:
    """Register the catalog's evolve steps, in their order."""
    registry = config.registry

    def create(site) -> None:
        create_catalog(site, get_catalog_fields(registry))

    config.add_evolve_step(EVOLVE_STEP, create, new_sites=True)
    config.add_evolve_step(POSITION_STEP, add_position_index)
    config.add_evolve_step(EXPIRES_STEP, queue_expiring)
    config.add_evolve_step(QUEUE_STEP, per_change_queue)
    config.add_evolve_step(RECORDS_STEP, mergeable_records)
    config.add_evolve_step(HIDDEN_STEP, hide_with_folders)
