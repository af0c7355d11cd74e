"""Structural indexes in ZODB: what listings, navigation and counts ask.

The :class:`Catalog` lives in the site (``site.catalog``) and changes in the same
transaction as the content, so a listing made right after a save is exact. Each
indexed object gets a 64-bit docid; the indexes map values to docid sets, and a
metadata record per docid holds what a result shows (title, path, dates,
state...), so a listing never loads a content object.

Kernel indexes:

``path``
    the paths of the folders above the object (``/``, ``/so-tnmt``...); the object's
    own path maps to its docid in ``Catalog.at_path``;
``depth``
    the number of path segments (``/so-tnmt/tin-tuc`` is 2);
``type_name``, ``state``
    the content type and workflow state;
``subsite``
    the path of the nearest navigation root below the site (``""`` for the portal);
``created``, ``modified``, ``effective``
    aware datetimes; ``effective`` is the object's publication date (a date is
    taken at midnight, Vietnam time) or, without one, its creation time;
``year``
    the year of ``effective`` (Vietnam time), for facets;
``sortable_title``
    the title without diacritics, case-folded;
``listing``
    ``(subsite, type_name, state)``: the portal's commonest listing ("the latest
    published news of this unit") is then one set, not the intersection of three;
``allowed``
    the principals allowed to view (:mod:`catalog.security`).

Plugin fields (:class:`catalog.fields.CatalogField`) get an index of their own name;
the index of a field no plugin declares any more is left as it is (its plugin
may come back).

The indexes are small classes of this module: :class:`ValueIndex` (one value per
object) and :class:`KeywordIndex` (several). A value held by one object maps
straight to its docid, and an object's keywords are a plain tuple, so an object
costs about one database record, not eight: hypatia's ``FieldIndex`` and
``KeywordIndex`` give every distinct value a persistent set and every object a
persistent set of keywords. Measured on 20,000 objects committed by 2,000: 8
records and 3 KB per object, 1,100 objects/s with hypatia; 0.9 records per
object, 2,700 objects/s here.

The classes here are stored in the database (their module and names are in every
site's records: they stay here). What is indexed of an object is read by
:mod:`catalog.values`; queries, sorting and facets are :mod:`catalog.query`'s.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator

import BTrees
from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from persistent import Persistent

from catalog.fields import CatalogField

# What is indexed of an object moved to catalog.values; importable here as before.
from catalog.values import (  # noqa: F401
    ObjectValues,
    ancestor_paths,
    as_datetime,
    field_value,
    indexable,
    object_values,
    position_of,
    subsite_of,
)

FAMILY = BTrees.family64
IFSet = FAMILY.IF.Set

#: The kernel's multi-value indexes; the others are one-value indexes.
KERNEL_KEYWORDS = ("path", "allowed")
#: The kernel's one-value indexes.
KERNEL_VALUES = (
    "depth", "type_name", "state", "subsite", "created", "modified", "effective", "year",
    "sortable_title", "position",
    "listing",
)  # fmt: skip
#: Every kernel index name (plugin fields may not take one).
KERNEL_INDEXES = KERNEL_KEYWORDS + KERNEL_VALUES
#: Up to this many distinct values, a value index's facet is counted by
#: intersections, else docid by docid.
FACET_INTERSECTIONS = 32

_missing = object()


# metadata records ---------------------------------------------------------------------
class MetadataRecord(dict):
    """A metadata record: a dict that can be ordered.

    B-tree buckets merge the changes of concurrent transactions to different keys
    (two items added at once), but only when they can compare each key's old and
    new values, and BTrees compares values with ``<`` before ``==``: a bucket of
    plain dicts conflicts on every concurrent change (decision 0016). The order
    itself means nothing; it is total and never raises."""

    __slots__ = ()

    def __lt__(self, other):
        return _record_key(self) < _record_key(other)

    def __gt__(self, other):
        return _record_key(self) > _record_key(other)


def _record_key(record: dict) -> str:
    return repr(sorted(record.items()))


def mergeable_records(site) -> None:
    """Store the catalog's metadata records made before :class:`MetadataRecord` as
    such (an evolve step)."""
    catalog = getattr(site, "catalog", None)
    if catalog is None:
        return
    records = catalog.records
    for docid, record in list(records.items()):
        if type(record) is dict:
            records[docid] = MetadataRecord(record)


# indexes -------------------------------------------------------------------------------
class _Postings(Persistent):
    """``value -> docids``: a value held by a single object maps to its docid itself,
    and becomes a set when a second object takes it (so unique values, such as
    times and titles, cost no database record of their own)."""

    def __init__(self):
        self._fwd = FAMILY.OO.BTree()  # value -> docid, or a TreeSet of docids
        self._rev = FAMILY.IO.BTree()  # docid -> what the object holds
        self._count = Length(0)

    def indexed_count(self) -> int:
        """How many objects the index holds a value for."""
        return self._count()

    def get(self, docid: int, default=None):
        """What ``docid`` holds (``default`` if nothing)."""
        return self._rev.get(docid, default)

    def _add(self, value, docid: int) -> None:
        held = self._fwd.get(value)
        if held is None:
            self._fwd[value] = docid
        elif isinstance(held, int):
            self._fwd[value] = FAMILY.IF.TreeSet((held, docid))
        else:
            held.insert(docid)

    def _remove(self, value, docid: int) -> None:
        held = self._fwd.get(value)
        if held is None:
            return
        if isinstance(held, int):
            if held == docid:
                del self._fwd[value]
            return
        held.remove(docid)
        if not held:
            del self._fwd[value]

    def docids(self, value):
        """The docids holding ``value`` (none for a value that cannot be compared with
        the index's values)."""
        try:
            held = self._fwd.get(value)
        except TypeError:
            held = None
        if held is None:
            return IFSet()
        return IFSet((held,)) if isinstance(held, int) else held


class ValueIndex(_Postings):
    """One value per object (a type, a state, a time...)."""

    def index_doc(self, docid: int, value) -> None:
        """Give ``docid`` the value ``value`` (None: no value)."""
        old = self._rev.get(docid, _missing)
        if old is not _missing and old == value:
            return
        if old is not _missing:
            self.unindex_doc(docid)
        if value is None:
            return
        self._add(value, docid)
        self._rev[docid] = value
        self._count.change(1)

    def unindex_doc(self, docid: int) -> None:
        value = self._rev.pop(docid, _missing)
        if value is not _missing:
            self._remove(value, docid)
            self._count.change(-1)

    def between(self, low, high):
        """The docids whose value is in ``[low, high)`` (None: unbounded)."""
        # (BTrees drops the last key when ``excludemax`` is asked without a maximum)
        values = self._fwd.values(low, high, excludemax=high is not None)
        return FAMILY.IF.multiunion(list(values))

    def counts(self, docids) -> dict:
        """How many of ``docids`` hold each value (values held by none left out)."""
        counts: dict = {}
        if len(self._fwd) <= FACET_INTERSECTIONS:
            for value, held in self._fwd.items():
                if isinstance(held, int):
                    n = int(held in docids)
                else:
                    n = len(FAMILY.IF.intersection(held, docids))
                if n:
                    counts[value] = n
            return counts
        get = self._rev.get
        for docid in docids:
            value = get(docid, _missing)
            if value is not _missing:
                counts[value] = counts.get(value, 0) + 1
        return counts

    def scan(self, docids, reverse: bool) -> Iterator[int]:
        """The members of ``docids`` in the order of their values, read from the index."""
        fwd = self._fwd
        for value in reversed(fwd.keys()) if reverse else fwd.keys():
            held = fwd[value]
            if isinstance(held, int):
                if held in docids:
                    yield held
            else:
                for docid in held:
                    if docid in docids:
                        yield docid


class KeywordIndex(_Postings):
    """Several values per object (the paths above it, who may view it...); an
    object's values are kept as a sorted tuple."""

    def index_doc(self, docid: int, values) -> None:
        """Give ``docid`` the values ``values`` (None or empty: none)."""
        new = tuple(sorted(set(values or ())))
        old = self._rev.get(docid, ())
        if new == old:
            return
        for value in set(old) - set(new):
            self._remove(value, docid)
        for value in set(new) - set(old):
            self._add(value, docid)
        if new:
            self._rev[docid] = new
        else:
            del self._rev[docid]
        self._count.change(bool(new) - bool(old))

    def unindex_doc(self, docid: int) -> None:
        self.index_doc(docid, ())

    def counts(self, docids) -> dict:
        """How many of ``docids`` hold each value (values held by none left out)."""
        counts: dict = {}
        get = self._rev.get
        for docid in docids:
            for value in get(docid, ()):
                counts[value] = counts.get(value, 0) + 1
        return counts


# the catalog --------------------------------------------------------------------------
class Catalog(Persistent):
    """The structural indexes of a site, their docid maps, metadata records, and the
    queue of work for the full-text index (:class:`catalog.queue.IndexQueue`)."""

    def __init__(self, queue: Persistent):
        self.docid_of = FAMILY.OI.BTree()  # uid -> docid
        self.uid_of = FAMILY.IO.BTree()  # docid -> uid
        self.at_path = FAMILY.OI.BTree()  # path -> docid
        self.records = FAMILY.IO.BTree()  # docid -> metadata record (dict)
        self.count = Length(0)
        self.indexes = OOBTree()
        for name in KERNEL_KEYWORDS:
            self.indexes[name] = KeywordIndex()
        for name in KERNEL_VALUES:
            self.indexes[name] = ValueIndex()
        self.queue = queue

    def __len__(self) -> int:
        return self.count()

    # fields ----------------------------------------------------------------------------
    def missing_fields(self, fields: dict[str, CatalogField]) -> list[CatalogField]:
        """The declared plugin fields that have no index yet."""
        return [f for name, f in fields.items() if name not in self.indexes]

    def add_fields(self, fields: Iterable[CatalogField]) -> None:
        """Create empty indexes for plugin ``fields``."""
        for field in fields:
            self.indexes[field.name] = KeywordIndex() if field.kind == "keyword" else ValueIndex()

    # documents -------------------------------------------------------------------------
    def docid(self, uid: str) -> int | None:
        return self.docid_of.get(uid)

    def _new_docid(self) -> int:
        # consecutive ids keep B-tree buckets dense; a random start after a clash
        # keeps concurrent transactions from picking the same one (as zope.intid does)
        candidate = getattr(self, "_v_next", None)
        while candidate is None or candidate in self.uid_of:
            candidate = random.randrange(1, 2**62)
        self._v_next = candidate + 1
        return candidate

    def index(self, values: ObjectValues) -> int:
        """Add or update the entries of one object; return its docid."""
        docid = self.docid_of.get(values.uid)
        if docid is None:
            docid = self._new_docid()
            self.docid_of[values.uid] = docid
            self.uid_of[docid] = values.uid
            self.count.change(1)
        old = self.records.get(docid)
        if old is not None and old["path"] != values.path:
            self._forget_path(old["path"], docid)
        if self.at_path.get(values.path) != docid:
            self.at_path[values.path] = docid
        indexes = self.indexes
        for name, value in values.index_values().items():
            index = indexes.get(name)
            if index is not None:  # (a new plugin field gets its index at start-up)
                index.index_doc(docid, value)
        record = MetadataRecord(values.record())
        if old != record:
            self.records[docid] = record
        return docid

    def index_one(self, name: str, uid: str, value) -> None:
        """Set the value of index ``name`` for an indexed object (None: no value)."""
        docid = self.docid_of.get(uid)
        if docid is not None:
            self.indexes[name].index_doc(docid, value)

    def unindex(self, uid: str) -> bool:
        """Remove an object's entries; return whether it was indexed."""
        docid = self.docid_of.pop(uid, None)
        if docid is None:
            return False
        for index in self.indexes.values():
            index.unindex_doc(docid)
        del self.uid_of[docid]
        record = self.records.pop(docid, None)
        if record is not None:
            self._forget_path(record["path"], docid)
        self.count.change(-1)
        return True

    def _forget_path(self, path: str, docid: int) -> None:
        if self.at_path.get(path) == docid:
            del self.at_path[path]

    def allowed_of(self, docid: int) -> frozenset[str]:
        """The principals stored as allowed to view ``docid``."""
        return frozenset(self.indexes["allowed"].get(docid, ()))

    def record(self, docid: int) -> dict | None:
        return self.records.get(docid)

    def docids_under(self, path: str):
        """The docids at ``path`` and below it."""
        if path == "/":
            return IFSet(self.uid_of.keys())
        below = self.indexes["path"].docids(path)
        at = self.at_path.get(path)
        return below if at is None else FAMILY.IF.multiunion([below, IFSet((at,))])


def catalog_of(site) -> Catalog | None:
    """The site's catalog (None before its evolve step has run)."""
    return getattr(site, "catalog", None)
