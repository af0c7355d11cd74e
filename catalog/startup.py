"""What the catalog does when the application starts: index the plugin fields
declared since the last start, then catch up with the index queue (work committed
by a process that stopped before draining it)."""

from __future__ import annotations

import logging

import transaction

from catalog.backends import BackendBusy
from catalog.fields import CatalogField, get_catalog_fields
from catalog.indexing import get_indexer, index_tree
from catalog.structural import catalog_of
from catalog.values import field_value
from core.settings import SettingsError
from core.site import get_site

log = logging.getLogger(__name__)


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
    """At start-up: index new plugin fields, then catch up with the index queue."""
    registry = event.app.registry
    add_new_fields(registry._zodb_databases[""], get_catalog_fields(registry))
    if not registry.cong_index_in_request:
        return
    try:
        get_indexer(registry).drain()
    except BackendBusy:
        log.warning("the full-text index is locked by another process; the queue waits")
    except SettingsError:  # keys that do not open the index: said, not started
        raise
    except Exception:  # noqa: BLE001 - a derived index must not keep the portal from starting
        log.exception("the index queue could not be drained at start-up; it waits")
