"""Indexing and search: the catalog API, structural indexes, full-text backends,
Vietnamese text analysis and the index queue.

One call answers every listing and search: :func:`search` (:mod:`catalog.searching`).
Without ``text`` it reads the structural indexes in ZODB (:mod:`catalog.structural`,
queried by :mod:`catalog.query`), which change in the transaction of each change;
with ``text`` it asks the full-text backend (:mod:`catalog.backends`), kept up to
date by the index queue (:mod:`catalog.queue`). Either way the results are light
:class:`Record` objects made from stored metadata (no content object is loaded) and
only what the requester may view is counted or shown.

This package names the catalog's public API; the modules below do one job each:
:mod:`catalog.indexing` (indexing in the transaction of a change),
:mod:`catalog.values` (what is indexed of an object), :mod:`catalog.results`,
:mod:`catalog.evolve` (the evolve steps), :mod:`catalog.startup` and
:mod:`catalog.backends.registration` (the full-text backend the settings choose).

Settings: ``cong.text_backend`` (default ``whoosh``) names the full-text backend;
``cong.index_in_request`` (default true) drains the index queue after each commit,
in the request; set it to false when a separate ``cong indexer`` process does it
(several application processes sharing one database).
"""

from __future__ import annotations

from pyramid.config import Configurator
from pyramid.events import ApplicationCreated
from pyramid.exceptions import ConfigurationError
from pyramid.settings import asbool
from zope.interface import implementer

from catalog.backends.registration import close_backend, get_backend
from catalog.evolve import (
    EVOLVE_STEP,
    EXPIRES_STEP,
    HIDDEN_STEP,
    POSITION_STEP,
    QUEUE_STEP,
    RECORDS_STEP,
    add_evolve_steps,
    add_position_index,
    create_catalog,
    hide_with_folders,
    queue_expiring,
)
from catalog.fields import EXPIRES, CatalogField, get_catalog_fields
from catalog.indexing import (
    get_indexer,
    index_object,
    index_tree,
    queue_text,
    reindex_security,
    unindex_object,
    update_allowed,
)
from catalog.query import QueryError
from catalog.results import Record, Results
from catalog.searching import (
    DATES,
    DEFAULT_SORT,
    FACETS,
    SORT_ORDERS,
    TEXT_SORTS,
    WINDOW_TEST_LIMIT,
    children,
    drop_inactive,
    may_see_inactive,
    search,
    suggest_records,
)
from catalog.startup import add_new_fields, on_application_created
from catalog.structural import KERNEL_INDEXES, Catalog, catalog_of
from catalog.values import as_datetime
from core.interfaces import ISearch

#: The catalog's modules plugins may import: the public plugin API (docs/plugins.md).
#: Every other module of ``catalog`` is its own and may change without notice.
PUBLIC_MODULES = ("catalog", "catalog.fields", "catalog.text")

__all__ = [
    "DATES",
    "DEFAULT_SORT",
    "EVOLVE_STEP",
    "EXPIRES",
    "EXPIRES_STEP",
    "FACETS",
    "HIDDEN_STEP",
    "POSITION_STEP",
    "QUEUE_STEP",
    "RECORDS_STEP",
    "SORT_ORDERS",
    "TEXT_SORTS",
    "WINDOW_TEST_LIMIT",
    "Catalog",
    "CatalogField",
    "QueryError",
    "Record",
    "Results",
    "add_new_fields",
    "add_position_index",
    "as_datetime",
    "catalog_of",
    "children",
    "close_backend",
    "create_catalog",
    "drop_inactive",
    "get_backend",
    "get_indexer",
    "hide_with_folders",
    "index_object",
    "index_tree",
    "may_see_inactive",
    "on_application_created",
    "queue_expiring",
    "queue_text",
    "reindex_security",
    "search",
    "suggest_records",
    "unindex_object",
    "update_allowed",
]


#: The modules whose hook implementations run like a plugin's (see
#: :data:`core.plugins.KERNEL_LAYERS`).
KERNEL_MODULES = ("catalog.hooks", "catalog.snapshots")


@implementer(ISearch)
class CatalogSearch:
    """The kernel's :class:`~core.interfaces.ISearch`: :func:`search` and
    :func:`children`."""

    search = staticmethod(search)
    children = staticmethod(children)


def includeme(config: Configurator) -> None:
    """Set up the catalog: its full-text backend, its evolve steps, its settings, the
    start-up drain, the kernel's :class:`~core.interfaces.ISearch` and the readiness
    check of the full-text index."""
    registry = config.registry
    registry.registerUtility(CatalogSearch(), ISearch)
    clash = sorted(set(get_catalog_fields(registry)) & set(KERNEL_INDEXES))
    if clash:
        raise ConfigurationError(f"catalog fields {clash} have the names of kernel indexes")
    registry.cong_index_in_request = asbool(registry.settings.get("cong.index_in_request", True))
    config.include("catalog.backends.registration")
    add_evolve_steps(config)
    config.add_subscriber(on_application_created, ApplicationCreated)
    config.include("catalog.vocabularies")
    config.include("catalog.health")
