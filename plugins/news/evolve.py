"""The news plugin's evolve steps (see :mod:`core.evolve`)."""

from __future__ import annotations

from datetime import date, datetime

from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from pyramid.traversal import find_resource

from catalog import catalog_of
from core.uids import walk
from plugins.news.catalog_fields import MONTH, MONTH_FIELD, month_key
from plugins.news.fields import local_datetime

#: News and announcements made before Event: publication dates become times (a
#: date's midnight, Vietnam time), announcements become folders (for attachments).
PUBLICATION_STEP = "news-0001-publication-times-and-folderish-announcements"
TYPES = ("News", "Announcement")
#: The ``month`` index (the archive's counts), filled from the catalog's records.
MONTH_STEP = "news-0002-month-index"
#: The types that have a month of publication.
PUBLICATION_TYPES = ("News", "Announcement", "Event")


def _objects(site):
    catalog = catalog_of(site)
    if catalog is None:
        yield from (obj for obj in walk(site) if getattr(obj, "type_name", "") in TYPES)
        return
    index = catalog.indexes["type_name"]
    for type_name in TYPES:
        for docid in list(index.docids(type_name)):
            yield find_resource(site, catalog.records[docid]["path"])


def evolve_publications(site) -> None:
    """Give old News and Announcements the attributes of the current classes."""
    for obj in _objects(site):
        effective = getattr(obj, "effective", None)
        if isinstance(effective, date) and not isinstance(effective, datetime):
            obj.effective = local_datetime(effective)
        if obj.type_name == "Announcement" and getattr(obj, "_data", None) is None:
            obj._data = OOBTree()
            obj._count = Length(0)
            obj._key_of = OOBTree()
            obj._name_at = OOBTree()


def index_months(site) -> None:
    """Give the catalog its ``month`` index and fill it from the ``effective`` time
    of each publication's record: no object is loaded, no text is indexed again
    (the catalog's start-up would otherwise index every publication again)."""
    catalog = catalog_of(site)
    if catalog is None:
        return
    catalog.add_fields(catalog.missing_fields({MONTH: MONTH_FIELD}))
    index, types = catalog.indexes[MONTH], catalog.indexes["type_name"]
    for type_name in PUBLICATION_TYPES:
        for docid in list(types.docids(type_name)):
            index.index_doc(docid, month_key(catalog.records[docid]["effective"]))
