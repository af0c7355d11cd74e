"""Values plugins add to the catalog (the ``cong_catalog_fields`` hook)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: The date field holding the end of an item's publication (a plugin declares it:
#: the news plugin's ``expires``); without it, nothing expires.
EXPIRES = "expires"


@dataclass(frozen=True)
class CatalogField:
    """An extra value indexed for every object that has it.

    ``get(obj)`` returns the value or None (then the object is not indexed under
    this field); ``kind`` is ``"field"`` (exact values, sortable), ``"keyword"``
    (a set of values) or ``"date"``; ``metadata`` also stores the value in result
    records so listings can show it without loading the object; ``title`` is what
    people read for it (a translation string; by default the label of the
    content-type field of the same name); ``facet`` offers it as a facet of the
    search page and ``@search`` (dates never are); ``aliases`` are the index names
    Plone clients use for it (``("Subject",)`` for a field of tags).
    """

    name: str
    get: Callable[[Any], Any]
    kind: str = "field"
    metadata: bool = False
    title: str = ""
    facet: bool = True
    aliases: tuple[str, ...] = ()


def get_catalog_fields(registry) -> dict[str, CatalogField]:
    """The declared catalog fields by name."""
    return registry.cong_catalog_fields
