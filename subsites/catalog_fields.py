"""The catalog fields of subsites: the unit's kind, codes and hosts, indexed and
stored in each subsite's catalog record, so that lists of units (the directory,
``@subsites``, the counts per kind on the portal) never load a subsite; and the
name of the field that keeps items out of the province's lists.

The names are public (plugins query the catalog by them, and read them in records'
``metadata``)."""

from __future__ import annotations

from catalog.fields import CatalogField
from core.hookspecs import hookimpl
from core.i18n import _
from subsites.interfaces import ISubsite

#: The names of the fields (keys of the records' metadata too).
KIND, CODE, PARENT, HOSTS = "unit_kind", "unit_code", "parent_code", "unit_hosts"
#: True for the items kept out of the province's lists, False for those listed;
#: declared by :mod:`subsites.aggregation` for the objects that have the attribute.
EXCLUDE_FROM_PROVINCE = "exclude_from_province"


def _of_subsite(name: str, empty_is_none: bool = False):
    def get(obj):
        if not ISubsite.providedBy(obj):
            return None
        value = getattr(obj, name)
        return (value or None) if empty_is_none else value

    return get


@hookimpl
def cong_catalog_fields():
    """The unit's kind (a facet), code, parent's code and host names."""
    return [
        CatalogField(KIND, _of_subsite("unit_kind"), metadata=True, title=_("Loại đơn vị")),
        CatalogField(CODE, _of_subsite("code", empty_is_none=True), metadata=True, facet=False),
        CatalogField(PARENT, _of_subsite("parent_code"), metadata=True, facet=False),
        CatalogField(
            HOSTS,
            _of_subsite("hostnames", empty_is_none=True),
            kind="keyword",
            metadata=True,
            facet=False,
        ),
    ]
