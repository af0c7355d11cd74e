"""``metadata_fields``: catalog values added to the summaries of search results,
under plone.restapi's names, read from the stored records (no object is loaded).

``_all`` asks for every one; a name the catalog does not keep is answered
``null``, as Plone answers a metadata column it does not have.
"""

from __future__ import annotations

from catalog import Record
from core.api.serialize import iso, json_value

#: plone.restapi's metadata names -> the value of a record.
KERNEL_METADATA = {
    "UID": lambda r: r.uid,
    "id": lambda r: r.path.rsplit("/", 1)[-1],
    "getId": lambda r: r.path.rsplit("/", 1)[-1],
    "getPath": lambda r: r.path,
    "portal_type": lambda r: r.type_name,
    "Type": lambda r: r.type_name,
    "Title": lambda r: r.title,
    "Description": lambda r: r.description,
    "review_state": lambda r: r.state or None,
    "created": lambda r: iso(r.created),
    "modified": lambda r: iso(r.modified),
    "effective": lambda r: iso(r.effective),
    "Date": lambda r: iso(r.effective),
    "EffectiveDate": lambda r: iso(r.effective),
}
ALL = "_all"


def record_metadata(request, record: Record, names: tuple[str, ...]) -> dict:
    """The values of ``names`` for ``record`` (``_all``: the kernel's and every plugin
    value the record keeps)."""
    if ALL in names:
        names = (*KERNEL_METADATA, *record.metadata, *(n for n in names if n != ALL))
    values = {}
    for name in names:
        if name in KERNEL_METADATA:
            values[name] = KERNEL_METADATA[name](record)
        else:
            values[name] = json_value(request, record.metadata.get(name))
    return values
