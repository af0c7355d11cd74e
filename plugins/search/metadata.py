"""``metadata_fields``: catalog values added to the summaries of search results,
under plone.restapi's names, read from the stored records (no object is loaded).

``_all`` asks for every one; a name the catalog does not keep is answered
``null``, as Plone answers a metadata column it does not have.
"""

from __future__ import annotations

from catalog import Record
from core.api.serialize import iso, json_value
from core.interfaces import IFolder
from core.types import get_types

#: plone.restapi's metadata names -> the value of a record (``is_folderish`` asks
#: the type registry).
KERNEL_METADATA = {
    "UID": lambda request, r: r.uid,
    "id": lambda request, r: r.path.rsplit("/", 1)[-1],
    "getId": lambda request, r: r.path.rsplit("/", 1)[-1],
    "getPath": lambda request, r: r.path,
    "portal_type": lambda request, r: r.type_name,
    "Type": lambda request, r: r.type_name,
    "Title": lambda request, r: r.title,
    "Description": lambda request, r: r.description,
    "review_state": lambda request, r: r.state or None,
    "created": lambda request, r: iso(r.created),
    "modified": lambda request, r: iso(r.modified),
    "effective": lambda request, r: iso(r.effective),
    "Date": lambda request, r: iso(r.effective),
    "EffectiveDate": lambda request, r: iso(r.effective),
    "is_folderish": lambda request, r: is_folderish(request, r.type_name),
}
ALL = "_all"


def is_folderish(request, type_name: str) -> bool:
    """Whether objects of ``type_name`` hold others (Volto's object browser opens them)."""
    ct = get_types(request.registry).get(type_name)
    return ct is not None and IFolder.implementedBy(ct.factory)


def record_metadata(request, record: Record, names: tuple[str, ...]) -> dict:
    """The values of ``names`` for ``record`` (``_all``: the kernel's and every plugin
    value the record keeps)."""
    if ALL in names:
        names = (*KERNEL_METADATA, *record.metadata, *(n for n in names if n != ALL))
    values = {}
    for name in names:
        if name in KERNEL_METADATA:
            values[name] = KERNEL_METADATA[name](request, record)
        else:
            values[name] = json_value(request, record.metadata.get(name))
    return values
