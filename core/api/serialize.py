"""JSON forms of content, as plone.restapi gives them.

:func:`serialize` is the full form of one object (what ``GET`` on its URL with
``Accept: application/json`` answers); :func:`summary` is the short form used in
listings. Both serialize each field of the object's content type with
``Field.serialize``, so a plugin's type is served without code of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from pyramid.i18n import TranslationString

from core.batching import Batch, batch_params
from core.blobs import SCALES
from core.fields import Field, FileField, ImageField, RichText
from core.interfaces import IFolder, ISearch
from core.types import get_types

#: Children listed per page of a folder's ``items`` (``b_size`` changes it).
ITEMS_PER_PAGE = 25


def url_of(request, obj) -> str:
    """The object's ``@id``: its absolute URL without a trailing slash."""
    return request.resource_url(obj).rstrip("/")


def iso(value: datetime | date | None) -> str | None:
    """ISO 8601 text of a date or time (times to the second, with their zone)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.replace(microsecond=0)
    return value.isoformat()


def json_value(request, value):
    """``value`` made of JSON types only: dates as ISO 8601, messages translated."""
    if value is None or isinstance(value, str | bool | int | float):
        if isinstance(value, TranslationString):
            return request.localizer.translate(value)
        return value
    if isinstance(value, date):
        return iso(value)
    if isinstance(value, Mapping):
        return {str(k): json_value(request, v) for k, v in value.items()}
    if isinstance(value, Iterable):
        return [json_value(request, v) for v in value]
    return str(value)


def summary(request, obj) -> dict:
    """The short form of ``obj`` used in listings and as ``parent``."""
    return {
        "@id": url_of(request, obj),
        "@type": obj.type_name,
        "title": obj.title,
        "description": obj.description,
        "review_state": obj.workflow_state or None,
    }


def record_summary(request, record) -> dict:
    """:func:`summary` of a search record (the object is not loaded)."""
    return {
        "@id": record.url(request).rstrip("/"),
        "@type": record.type_name,
        "title": record.title,
        "description": record.description,
        "review_state": record.state or None,
    }


def serialize_field(request, obj, field: Field):
    """One field's value in plone.restapi's form: files get a ``download`` URL
    (images their ``scales`` too), rich text is ``{"data", "content-type", ...}``."""
    value = field.serialize(obj)
    if isinstance(field, FileField) and value is not None:
        value = dict(value, download=request.resource_url(obj, "@@download"))
        if isinstance(field, ImageField):
            value["scales"] = image_scales(request, obj)
    elif isinstance(field, RichText):
        value = {"data": value or "", "content-type": "text/html", "encoding": "utf-8"}
    return json_value(request, value)


def image_scales(request, image) -> dict:
    """``{name: {"download", "width", "height"}}`` for each scale of an image."""
    scales = {}
    for name in SCALES:
        _blob, (width, height), _size = image.scale(name)
        scales[name] = {
            "download": request.resource_url(image, "@@images", name),
            "width": width,
            "height": height,
        }
    return scales


def field_values(request, obj) -> dict:
    """The values of the fields of ``obj``'s content type, by field name."""
    ct = get_types(request.registry).get(obj.type_name)
    if ct is None:
        return {}
    return {f.name: serialize_field(request, obj, f) for f in ct.fields}


def folder_items(request, folder) -> dict:
    """``items`` (the children the requester may view, batched with ``b_start`` and
    ``b_size``), ``items_total`` and, when there is more than one page, ``batching``."""
    start, size = batch_params(request, ITEMS_PER_PAGE)
    results = request.registry.getUtility(ISearch).children(request, folder, start, size)
    batch = Batch(results.records, results.total, start, size, request)
    return batch.as_json([record_summary(request, record) for record in batch.items])


def serialize(request, obj) -> dict:
    """The full JSON form of ``obj``, for a requester who may view it."""
    parent = obj.__parent__
    data = {
        "@id": url_of(request, obj),
        "@type": obj.type_name,
        "id": obj.__name__,
        "UID": obj.uid,
        "title": obj.title,
        "description": obj.description,
        "review_state": obj.workflow_state or None,
        "created": iso(obj.created),
        "modified": iso(obj.modified),
        "creators": list(obj.creators),
        "parent": summary(request, parent) if parent is not None else {},
        "is_folderish": IFolder.providedBy(obj),
    }
    data.update(field_values(request, obj))
    if IFolder.providedBy(obj):
        data.update(folder_items(request, obj))
    return data
