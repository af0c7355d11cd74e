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

Queries (:func:`find`) start from the smallest docid set; each other condition is
tested docid by docid against its index's reverse map when its set is much larger
than the result so far, and intersected otherwise.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice

import BTrees
from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from pyramid.traversal import find_interface, resource_path

from catalog.fields import CatalogField
from catalog.security import allowed_principals
from core.clock import TIMEZONE
from core.interfaces import INavigationRoot, ISite
from core.names import fold

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
#: How many docids a reverse-map test costs against one docid of an intersection:
#: a set this many times larger than the result so far is tested, not intersected.
TEST_RATIO = 24
#: Up to this many (type, state) pairs, a query on a subsite's types and states
#: reads the ``listing`` index once instead of three indexes.
MAX_LISTINGS = 16
#: A result larger than this share of a sort index is sorted by scanning the index.
SCAN_SHARE = 0.05

_missing = object()


# what is indexed of an object -----------------------------------------------------------
def as_datetime(value) -> datetime | None:
    """``value`` as an aware UTC datetime: a date is taken at midnight, Vietnam time;
    a naive datetime is taken as UTC."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=TIMEZONE).astimezone(UTC)
    raise TypeError(f"not a date: {value!r}")


def subsite_of(obj) -> str:
    """The path of the nearest navigation root holding ``obj`` (itself included),
    other than the site; ``""`` for the portal itself."""
    root = find_interface(obj, INavigationRoot)
    if root is None or ISite.providedBy(root):
        return ""
    return resource_path(root)


def ancestor_paths(path: str) -> tuple[str, ...]:
    """The paths of the folders above ``path``: ``/a/b/c`` -> ``("/", "/a", "/a/b")``."""
    segments = path.strip("/").split("/")[:-1]
    return ("/", *("/" + "/".join(segments[: i + 1]) for i in range(len(segments))))


@dataclass(frozen=True)
class ObjectValues:
    """What the catalog keeps of one object: index values and its metadata record."""

    uid: str
    path: str
    type_name: str
    state: str
    subsite: str
    title: str
    description: str
    created: datetime
    modified: datetime
    effective: datetime
    allowed: tuple[str, ...]
    fields: dict
    metadata: dict
    absent: tuple[str, ...] = ()  # declared plugin fields the object has no value for
    position: float | None = None  # the order key in its folder

    def index_values(self) -> dict:
        """Index name -> value (absent: not indexed there)."""
        values = {
            "path": ancestor_paths(self.path),
            "depth": self.path.count("/"),
            "type_name": self.type_name,
            "state": self.state,
            "subsite": self.subsite,
            "created": self.created,
            "modified": self.modified,
            "effective": self.effective,
            "year": self.effective.astimezone(TIMEZONE).year,
            "sortable_title": fold(self.title).casefold(),
            "position": self.position,
            "listing": (self.subsite, self.type_name, self.state),
            "allowed": self.allowed,
        }
        values.update(self.fields)
        values.update(dict.fromkeys(self.absent))
        return values

    def record(self) -> MetadataRecord:
        """The metadata record stored for the object (plain, picklable values)."""
        return MetadataRecord(
            {
                "uid": self.uid,
                "path": self.path,
                "type_name": self.type_name,
                "title": self.title,
                "description": self.description,
                "created": self.created,
                "modified": self.modified,
                "effective": self.effective,
                "state": self.state,
                "subsite": self.subsite,
                "metadata": dict(self.metadata),
            }
        )


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


def field_value(field: CatalogField, obj):
    """The value of a plugin field for ``obj``, normalised for its kind; None if it has none."""
    value = field.get(obj)
    if value is None:
        return None
    if field.kind == "date":
        return as_datetime(value)
    if field.kind == "keyword":
        values = (value,) if isinstance(value, str) else tuple(value)
        return values or None
    return value


def object_values(obj, fields: dict[str, CatalogField]) -> ObjectValues:
    """What the catalog indexes of ``obj`` (its plugin ``fields`` included)."""
    found, metadata, absent = {}, {}, []
    for name, field in fields.items():
        value = field_value(field, obj)
        if value is None:
            absent.append(name)
            continue
        found[name] = value
        if field.metadata:
            metadata[name] = value
    created = as_datetime(obj.created)
    return ObjectValues(
        uid=obj.uid,
        path=resource_path(obj),
        type_name=obj.type_name,
        state=obj.workflow_state or "",
        subsite=subsite_of(obj),
        title=obj.title or "",
        description=obj.description or "",
        created=created,
        modified=as_datetime(obj.modified),
        effective=as_datetime(getattr(obj, "effective", None)) or created,
        allowed=allowed_principals(obj),
        fields=found,
        metadata=metadata,
        absent=tuple(absent),
        position=position_of(obj),
    )


def position_of(obj) -> float | None:
    """The order key of ``obj`` in its folder (the ``position`` index), if it has one."""
    parent = obj.__parent__
    order_key = getattr(parent, "order_key", None)
    return order_key(obj.__name__) if order_key is not None else None


def indexable(obj) -> bool:
    """Whether ``obj`` belongs in the catalog (content below the site)."""
    return getattr(obj, "uid", None) is not None and not ISite.providedBy(obj)


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
        record = values.record()
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
        return subtree_term(self, path).fetch()


# queries -------------------------------------------------------------------------------
class QueryError(ValueError):
    """A query naming an index, a sort or an order the catalog does not have."""


@dataclass
class Term:
    """One condition of a query: an estimate of how many docids match (``size``),
    the docids that match (``fetch()``), and ``keep(docids)``: the given docids
    that match, tested one by one against the index's reverse map."""

    size: int
    fetch: Callable[[], object]
    keep: Callable[[Iterable[int]], list[int]]


def _union(sets: list):
    if not sets:
        return IFSet()
    if len(sets) == 1:
        return sets[0]
    return FAMILY.IF.multiunion(sets)


def value_term(index: ValueIndex, values) -> Term:
    """Docids whose value is one of ``values``."""
    sets = [s for s in (index.docids(v) for v in values) if s]
    get = index._rev.get
    wanted = set()
    for value in values:
        try:
            wanted.add(value)
        except TypeError:  # unhashable: matches nothing
            continue

    def keep(docids):
        if len(wanted) == 1:
            (value,) = wanted
            return [d for d in docids if get(d, _missing) == value]
        return [d for d in docids if get(d, _missing) in wanted]

    return Term(sum(len(s) for s in sets), lambda: _union(sets), keep)


def keyword_term(index: KeywordIndex, values) -> Term:
    """Docids holding at least one of ``values``."""
    values = frozenset(values)
    sets = [s for s in (index.docids(v) for v in values) if s]
    get = index._rev.get
    empty = ()

    def keep(docids):
        if len(values) == 1:
            (value,) = values
            return [d for d in docids if value in get(d, empty)]
        return [d for d in docids if not values.isdisjoint(get(d, empty))]

    return Term(sum(len(s) for s in sets), lambda: _union(sets), keep)


def subtree_term(catalog: Catalog, path: str) -> Term:
    """Docids at ``path`` or below it."""
    index = catalog.indexes["path"]
    at = catalog.at_path.get(path)
    sets = [s for s in (index.docids(path), IFSet(() if at is None else (at,))) if s]
    get = index._rev.get
    empty = ()

    def keep(docids):
        return [d for d in docids if d == at or path in get(d, empty)]

    return Term(sum(len(s) for s in sets), lambda: _union(sets), keep)


def at_term(catalog: Catalog, path: str) -> Term:
    """The docid at ``path`` (if any)."""
    at = catalog.at_path.get(path)
    found = IFSet(() if at is None else (at,))
    return Term(len(found), lambda: found, lambda docids: [d for d in docids if d == at])


def range_term(index: ValueIndex, low, high, catalog_size: int) -> Term:
    """Docids whose value is in ``[low, high)`` (None: unbounded)."""
    get = index._rev.get

    def keep(docids):
        found = [(d, get(d, _missing)) for d in docids]
        return [
            d
            for d, value in found
            if value is not _missing
            and (low is None or value >= low)
            and (high is None or value < high)
        ]

    # the size of a range is not known in advance: assume the worst
    return Term(catalog_size, lambda: index.between(low, high), keep)


def day_bounds(start, end) -> tuple[datetime | None, datetime | None]:
    """Datetime bounds ``[low, high)`` for an inclusive range of dates (or datetimes)."""
    low = as_datetime(start) if start is not None else None
    high = None
    if end is not None:
        if isinstance(end, datetime):
            high = as_datetime(end) + timedelta(microseconds=1)
        else:
            high = as_datetime(end + timedelta(days=1))
    return low, high


def _index(catalog: Catalog, name: str):
    index = catalog.indexes.get(name)
    if index is None:
        raise QueryError(f"the catalog has no index {name!r}")
    return index


def build_terms(
    catalog: Catalog,
    *,
    principals: Iterable[str],
    path: str | None = None,
    depth: int | None = None,
    types: Iterable[str] = (),
    states: Iterable[str] = (),
    subsite: str | None = None,
    date_ranges: dict | None = None,
    fields: dict | None = None,
) -> list[Term]:
    """The conditions of a query (see :func:`find`)."""
    indexes = catalog.indexes
    size = len(catalog)
    terms = [keyword_term(indexes["allowed"], principals)]
    if path is not None:
        path = "/" + path.strip("/")
        if depth is not None and depth <= 0:
            terms.append(at_term(catalog, path))
        elif depth is not None:
            if path != "/":
                terms.append(keyword_term(indexes["path"], [path]))
            top = path.rstrip("/").count("/")
            terms.append(range_term(indexes["depth"], top + 1, top + depth + 1, size))
        elif path != "/":
            terms.append(subtree_term(catalog, path))
    types, states = tuple(types), tuple(states)
    if subsite is not None and types and states and len(types) * len(states) <= MAX_LISTINGS:
        listings = [(subsite, t, s) for t in types for s in states]
        terms.append(value_term(indexes["listing"], listings))
    else:
        if types:
            terms.append(value_term(indexes["type_name"], types))
        if states:
            terms.append(value_term(indexes["state"], states))
        if subsite is not None:
            terms.append(value_term(indexes["subsite"], (subsite,)))
    for name, (start, end) in (date_ranges or {}).items():
        index = _index(catalog, name)
        if not isinstance(index, ValueIndex):
            raise QueryError(f"the catalog index {name!r} holds no dates")
        low, high = day_bounds(start, end)
        terms.append(range_term(index, low, high, size))
    for name, value in (fields or {}).items():
        index = _index(catalog, name)
        values = tuple(value) if isinstance(value, list | tuple | set | frozenset) else (value,)
        if isinstance(index, KeywordIndex):
            terms.append(keyword_term(index, values))
        else:
            terms.append(value_term(index, values))
    return terms


def run_terms(terms: list[Term]):
    """The docids matching every term: the smallest set first, then each larger set
    intersected, or its condition tested docid by docid when it is much larger than
    the result so far (testing a few hundred docids beats merging 100,000)."""
    terms = sorted(terms, key=lambda t: t.size)
    result = terms[0].fetch()
    for term in terms[1:]:
        if not result:
            return IFSet()
        if term.size > TEST_RATIO * len(result):
            result = term.keep(result)
        else:
            result = FAMILY.IF.intersection(_as_set(result), term.fetch())
    return _as_set(result)


def _as_set(docids):
    return IFSet(docids) if isinstance(docids, list) else docids


def find(catalog: Catalog, **query):
    """The docids matching ``query``: ``principals`` (required: at least one must be
    allowed to view), ``path`` (that object and everything below it; with
    ``depth`` 0 the object only, ``depth`` n the n levels below it), ``types``,
    ``states``, ``subsite`` (a navigation root's path, ``""`` for the portal),
    ``date_ranges`` (index name -> inclusive ``(start, end)``, either None for an
    open end) and ``fields`` (index name -> a value, or a sequence of values any
    of which matches). Raises :class:`QueryError` for an unknown index name."""
    return run_terms(build_terms(catalog, **query))


# sorting ------------------------------------------------------------------------------
def sortable(catalog: Catalog, name: str) -> bool:
    """Whether results can be sorted on index ``name``."""
    return isinstance(catalog.indexes.get(name), ValueIndex)


def sort(catalog: Catalog, docids, sort_on: str, reverse: bool, limit: int | None) -> list[int]:
    """``docids`` ordered on index ``sort_on`` (ties in docid order; docids without
    a value come last), at most ``limit`` of them."""
    index = catalog.indexes.get(sort_on)
    if not isinstance(index, ValueIndex):
        raise QueryError(f"the catalog cannot sort on {sort_on!r}")
    if not docids:
        return []
    rev = index._rev
    indexed = index.indexed_count()
    everyone_has_one = indexed >= len(catalog)
    if limit is not None and len(docids) > SCAN_SHARE * indexed:
        ordered = list(islice(index.scan(docids, reverse), limit))
    else:
        present = docids if everyone_has_one else [d for d in docids if d in rev]
        if limit is None:
            ordered = sorted(present, key=rev.__getitem__, reverse=reverse)
        else:
            best = heapq.nlargest if reverse else heapq.nsmallest
            ordered = best(limit, present, key=rev.__getitem__)
    if not everyone_has_one and (limit is None or len(ordered) < limit):
        ordered.extend(d for d in docids if d not in rev)
    return ordered[:limit] if limit is not None else ordered


# facets -------------------------------------------------------------------------------
#: Up to this many distinct values, a facet is counted by intersections, else
#: docid by docid.
FACET_INTERSECTIONS = 32


def facet_counts(catalog: Catalog, docids, name: str) -> dict[str, int]:
    """How many of ``docids`` hold each value of index ``name`` (values as strings,
    most frequent first)."""
    counts = _index(catalog, name).counts(docids)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    return {_facet_key(value): n for value, n in ordered}


def _facet_key(value) -> str:
    if isinstance(value, datetime):
        return value.astimezone(TIMEZONE).date().isoformat()
    return str(value)
