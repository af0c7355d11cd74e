"""The catalog's readiness check (``text_index`` of ``/@@health/ready``, see
:mod:`core.health`): the full-text backend opens and answers a query, and the
index queue's length is told (``cong_index_queue_length`` in the metrics)."""

from __future__ import annotations

from pyramid.authorization import Everyone
from pyramid.config import Configurator

from catalog.backends.registration import get_backend
from catalog.structural import catalog_of

#: The text of the query the check asks.
PROBE = "kiểm tra"


def text_index_ready(registry, site) -> dict[str, int]:
    """Raise when the full-text backend cannot answer a query; the index queue's length."""
    get_backend(registry).search(PROBE, principals=(Everyone,), size=1)
    catalog = catalog_of(site)
    return {"index_queue_length": len(catalog.queue) if catalog is not None else 0}


def includeme(config: Configurator) -> None:
    config.add_readiness_check("text_index", text_index_ready)
