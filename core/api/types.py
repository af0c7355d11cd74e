"""``@types``: the content types, and the JSON Schema of each, as plone.restapi
gives them (for logged-in users only, as there).

``GET /path/@types`` lists every type that can be added somewhere, with whether the
requester may add it here::

    [{"@id": ".../@types/Page", "id": "Page", "title": "Trang",
      "addable": true, "immediately_addable": true}]

``GET /path/@types/<name>`` answers the type's schema (``application/json+schema``,
see :func:`core.api.schema.type_schema`); ``GET /path/@types/<name>/<field>`` one
field's. Plone's names of types are understood (``@types/Document`` is the
``Page`` schema, see :mod:`core.api.typealiases`); unknown names are 404.
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden

from core.api import api_view
from core.api.errors import ApiError, not_allowed
from core.api.navigation import navigation_root
from core.api.params import Param, api_params
from core.api.schema import type_schema
from core.api.serialize import url_of
from core.api.typealiases import resolve_type
from core.i18n import _
from core.interfaces import IContent
from core.operations import addable_types
from core.permissions import VIEW
from core.types import get_types

#: The media type plone.restapi answers a type's schema with.
SCHEMA_MEDIA_TYPE = "application/json+schema"


def type_list(request, context) -> list[dict]:
    """The types that can be added somewhere, in title order, each saying whether
    the requester may add it to ``context``."""
    translate = request.localizer.translate
    base = url_of(request, navigation_root(context)) + "/@types/"
    addable = {ct.name for ct in addable_types(request, context)}
    found = [
        {
            "@id": base + ct.name,
            "id": ct.name,
            "title": translate(ct.label),
            "addable": ct.name in addable,
            "immediately_addable": ct.name in addable,
        }
        for ct in get_types(request.registry).all()
        if ct.addable_to != ()
    ]
    return sorted(found, key=lambda item: item["title"].casefold())


def types_component(request, context) -> list[dict] | dict:
    """The ``types`` component (``?expand=types``): the type list, for logged-in
    users as ``@types`` is; a link for others."""
    if request.identity is None:
        return {"@id": url_of(request, context) + "/@types"}
    return type_list(request, context)


@api_view(context=IContent, name="@types", request_method="GET", permission=VIEW)
@api_params(
    Param("name", "path", _("Tên loại nội dung"), example="Page"),
    Param("field", "path", _("Tên trường"), example="title"),
)
def types_get(context, request):
    """The content types (``@types``), a type's JSON Schema (``@types/<name>``) or
    one of its fields' (``@types/<name>/<field>``)."""
    if request.identity is None:
        raise HTTPForbidden()
    if not request.subpath:
        return type_list(request, context)
    if len(request.subpath) > 2:
        raise ApiError(404, _("Không tìm thấy trang bạn yêu cầu."), "NotFound")
    name = request.subpath[0]
    ct = get_types(request.registry).get(resolve_type(request.registry, name))
    if ct is None:
        message = _("Không có loại nội dung '${name}'.", mapping={"name": name[:100]})
        raise ApiError(404, message, "NotFound")
    if len(request.subpath) == 2:
        field = ct.field(request.subpath[1])
        if field is None:
            message = _("Không có trường '${name}'.", mapping={"name": request.subpath[1][:100]})
            raise ApiError(404, message, "NotFound")
        return field.json_schema(request)
    request.response.content_type = SCHEMA_MEDIA_TYPE
    return type_schema(request, ct)


@api_view(context=IContent, name="@types", require_csrf=False)
def types_other_methods(context, request):
    raise not_allowed("GET")
