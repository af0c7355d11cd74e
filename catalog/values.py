"""What the catalog keeps of an object: its index values and its metadata record
(:class:`ObjectValues`), read once from the object and its plugin catalog fields.

Dates are aware UTC datetimes (a date is taken at midnight, Vietnam time);
``effective`` is the object's publication date or, without one, its creation time;
``subsite`` is the path of the nearest navigation root below the site (``""`` for
the portal); ``allowed`` the principals allowed to view (:mod:`catalog.security`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from pyramid.traversal import find_interface, resource_path

from catalog.fields import CatalogField
from catalog.security import allowed_principals
from core.clock import TIMEZONE
from core.interfaces import INavigationRoot, ISite
from core.names import fold


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

    def record(self) -> dict:
        """The metadata record of the object (plain, picklable values; the catalog
        stores it as a :class:`catalog.structural.MetadataRecord`)."""
        return {
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
