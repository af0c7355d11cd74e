"""Content through the API: ``GET`` reads, ``POST`` to a folder adds, ``PATCH``
edits, ``DELETE`` removes, as plone.restapi does.

The changes go through :mod:`core.operations`, so the API checks permissions and
validates input exactly as the HTML forms do.
"""

from __future__ import annotations

from pyramid.response import Response

from core.api import api_view
from core.api.components import CONTENT_PARAMS, full_json
from core.api.deserialize import field_input, read_json
from core.api.errors import not_allowed
from core.api.params import api_params, api_refusal
from core.api.serialize import serialize, url_of
from core.api.typealiases import resolve_type
from core.interfaces import IContent, IFolder, ISite
from core.names import BadName, check_name
from core.operations import ValidationFailed, create, delete, edit
from core.permissions import VIEW
from core.types import get_types


def no_content() -> Response:
    """An empty ``204 No Content`` answer."""
    response = Response(status=204)
    del response.content_type
    return response


def allowed_methods(context) -> list[str]:
    """The methods the API answers on ``context``."""
    methods = ["GET"]
    if IFolder.providedBy(context):
        methods.append("POST")
    methods.append("PATCH")
    if context.__parent__ is not None:
        methods.append("DELETE")
    return methods


@api_view(context=IContent, request_method="GET", permission=VIEW)
@api_params(*CONTENT_PARAMS)
def get_content(context, request):
    """The object's JSON form, with its ``@components`` (see :mod:`core.api.components`)."""
    return full_json(request, context)


@api_view(context=IFolder, request_method="POST", permission=VIEW)
def add_content(context, request):
    """Add ``{"@type", "id"?, ...fields}`` to the folder: 201, the new object's JSON
    form and its URL in ``Location``."""
    body = read_json(request)
    type_name = resolve_type(request.registry, body.get("@type"))
    ct = get_types(request.registry).get(type_name) if isinstance(type_name, str) else None
    data = field_input(ct.fields if ct else (), body)
    name = requested_name(context, body)
    obj = create(request, context, type_name, data, source="json", name=name)
    request.response.status = 201
    request.response.headers["Location"] = url_of(request, obj)
    return serialize(request, obj)


def requested_name(folder, body: dict) -> str | None:
    """The ``id`` asked for in a body (None: make one from the title); 400 for one
    that is not text (names that are text are checked when the object is added)."""
    name = body.get("id")
    if name is None or name == "":
        return None
    if not isinstance(name, str):
        try:
            check_name(folder, name)
        except BadName as exc:
            raise ValidationFailed({"id": exc.message}) from None
    return name


@api_view(context=IContent, request_method="PATCH", permission=VIEW)
def edit_content(context, request):
    """Change the fields given in the body: 204 (200 and the object's JSON form
    with ``Prefer: return=representation``)."""
    body = read_json(request)
    ct = get_types(request.registry)[context.type_name]
    edit(request, context, field_input(ct.fields, body), source="json", partial=True)
    if "return=representation" in request.headers.get("Prefer", ""):
        return serialize(request, context)
    return no_content()


@api_view(context=IContent, request_method="DELETE", permission=VIEW)
def delete_content(context, request):
    """Delete the object and everything below it: 204."""
    delete(request, context)
    return no_content()


@api_view(context=IContent, require_csrf=False)
@api_view(context=ISite, request_method="DELETE", require_csrf=False)
@api_refusal
def content_other_methods(context, request):
    """405 for any other method (and for deleting the site root)."""
    raise not_allowed(*allowed_methods(context))
