"""Provincial aggregation: the latest published items of every unit, for the
portal's home page, of the types plugins name (the ``cong_province_lists`` hook).

Everything is asked of :func:`catalog.search` (never by walking the subsites), so
the cost is that of one indexed query whatever the number of units. What the
province lists is decided by one catalog field, ``exclude_from_province``, which
this module declares: an item is left out when its own ``exclude_from_province``
flag is set ("Không hiển thị ở cổng tỉnh", a field plugins give their types)
or when its subsite is kept out of the provincial listings
(``in_province_listings`` false). Only objects that have the flag are indexed
under the field, so a plugin's type joins the provincial listings by having it.
When a subsite's ``in_province_listings`` changes, the entries of its items that
no longer agree are indexed again (:func:`reindex_listings`).

Each item shows its unit's name: the title of the subsite in its catalog record
(``subsite``, the subsite's path), looked up in the catalog too.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyramid.config import Configurator
from pyramid.traversal import find_interface, resource_path

from catalog import Record, catalog_of, index_object, search
from catalog.fields import CatalogField
from core.hookspecs import hookimpl
from core.plugins import collect
from subsites.catalog_fields import EXCLUDE_FROM_PROVINCE
from subsites.interfaces import ISubsite

#: The catalog field (and item attribute) that keeps items out of the province's lists.
FIELD = EXCLUDE_FROM_PROVINCE
#: Items listed per type.
LATEST_COUNT = 8
#: The workflow state of what the province lists.
PUBLISHED = "published"


def excluded_from_province(obj) -> bool | None:
    """The value of :data:`FIELD` for ``obj``: None when it has no such flag (it is
    then not indexed under the field), else whether it is kept out of the
    province's lists, by its own flag or by its subsite's choice."""
    flag = getattr(obj, FIELD, None)
    if flag is None:
        return None
    if flag:
        return True
    subsite = find_interface(obj, ISubsite)
    return subsite is not None and not getattr(subsite, "in_province_listings", True)


def province_lists(registry) -> tuple[tuple[str, str], ...]:
    """What the home page aggregates: ``(content type, heading)``, as the plugins
    answered ``cong_province_lists``."""
    return registry.cong_province_lists


@hookimpl
def cong_catalog_fields():
    return [CatalogField(FIELD, excluded_from_province)]


def reindex_listings(request, subsite) -> int:
    """Index again the items of ``subsite`` whose :data:`FIELD` entry disagrees
    with its ``in_province_listings`` now; return how many. Only entries that can
    have changed are looked at, and only those objects are loaded: when the
    subsite is listed, those marked excluded (they may have their own flag); when
    it is not, those marked listed."""
    site = request.root
    catalog = catalog_of(site)
    index = catalog.indexes.get(FIELD) if catalog is not None else None
    if index is None:
        return 0
    suspect = bool(subsite.in_province_listings)  # the entries that may be wrong hold this
    docids = [d for d in catalog.docids_under(resource_path(subsite)) if index.get(d) == suspect]
    done = 0
    for docid in docids:
        obj = site.uids.get(catalog.uid_of[docid])
        if obj is not None:
            index_object(request, catalog, obj)
            done += 1
    return done


@hookimpl
def cong_object_modified(request, obj, fields):
    if ISubsite.providedBy(obj) and "in_province_listings" in fields:
        reindex_listings(request, obj)


@dataclass(frozen=True)
class Entry:
    """One item of a provincial list: its record and its unit's name and URL."""

    record: Record
    unit: str
    unit_url: str


def unit_of(request, path: str, memo: dict) -> tuple[str, str]:
    """``(name, url)`` of the unit at subsite ``path`` (``""``: the province)."""
    found = memo.get(path)
    if found is None:
        site = request.root
        found = (site.unit_name or site.title, request.resource_url(site))
        if path:
            records = search(request, path=path, depth=0, size=1).records
            if records:
                found = (records[0].title, records[0].url(request))
        memo[path] = found
    return found


def latest(request, type_name: str, size: int = LATEST_COUNT) -> list[Entry]:
    """The newest published items of ``type_name`` of the whole province (portal
    and subsites) that are not kept out of its lists, with their units' names."""
    results = search(
        request,
        types=(type_name,),
        states=(PUBLISHED,),
        fields={FIELD: False},
        sort_on="effective",
        sort_order="descending",
        size=size,
    )
    memo: dict = {}
    return [Entry(r, *unit_of(request, r.subsite, memo)) for r in results.records]


def includeme(config: Configurator) -> None:
    pm = config.registry.cong_plugins
    config.registry.cong_province_lists = tuple(collect(pm, "cong_province_lists"))
