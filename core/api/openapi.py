"""``/@openapi``: an OpenAPI 3.1 document of the JSON API, made from what the
application registered, so it never disagrees with what answers.

- the paths and methods are the API's views (those registered with
  :class:`core.api.api_view`), read from Pyramid's introspector: the view's name
  (``@types``), its request methods, its permission, its docstring (first line as
  the summary); a view on a context the site root provides is listed at the root
  (``/@types``), and one that any content item may answer also under
  ``/{path}/...``, whose ``path`` parameter names the interface the item must
  provide (``x-cong-context``);
- parameters and bodies are those views declare (:mod:`core.api.params`);
- adding (``POST`` to a folder) and editing (``PATCH``) take a content type's
  fields, and reading (``GET``) answers them: one schema per type, from the same
  field definitions the forms use (:mod:`core.api.schema`);
- errors are ``{"type", "message"}``; tokens from ``POST /@login`` are bearer
  credentials, as are a login and password sent with HTTP Basic
  (:data:`SECURITY_SCHEMES`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata

from pyramid.view import view_config
from zope.interface.interface import InterfaceClass

from core.api.errors import not_allowed
from core.api.params import Param, body_of, params_of, refuses
from core.api.schema import standard_schema
from core.api.serialize import url_of
from core.fields import Field, FileField, RichText
from core.i18n import _
from core.interfaces import IContent, INavigationRoot, ISite
from core.permissions import VIEW
from core.types import ContentType, get_types

OPENAPI_VERSION = "3.1.0"
#: How clients prove who they are.
SECURITY_SCHEMES = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "A token from POST /@login (Authorization: Bearer <token>).",
    },
    "basic": {
        "type": "http",
        "scheme": "basic",
        "description": "A login and its password (Authorization: Basic <base64>).",
    },
}
#: Methods listed (HEAD goes with GET).
METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")
ERROR_SCHEMA = {
    "type": "object",
    "required": ["type", "message"],
    "properties": {
        "type": {"type": "string"},
        "message": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}
#: What every object's JSON form has (see :func:`core.api.serialize.serialize`).
CONTENT_SCHEMA = {
    "type": "object",
    "required": ["@id", "@type", "id", "UID", "title"],
    "properties": {
        "@id": {"type": "string"},
        "@type": {"type": "string"},
        "id": {"type": "string"},
        "UID": {"type": "string"},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "review_state": {"type": ["string", "null"]},
        "created": {"type": ["string", "null"]},
        "modified": {"type": ["string", "null"]},
        "creators": {"type": "array", "items": {"type": "string"}},
        "parent": {"type": "object"},
        "is_folderish": {"type": "boolean"},
        "items": {"type": "array", "items": {"type": "object"}},
        "items_total": {"type": "integer"},
    },
}
RICH_TEXT_OUT = {
    "type": "object",
    "properties": {
        "data": {"type": "string"},
        "content-type": {"type": "string"},
        "encoding": {"type": "string"},
    },
}


@dataclass(frozen=True)
class ApiView:
    """One registered API view, as the introspector knows it."""

    name: str
    context: InterfaceClass | None
    methods: tuple[str, ...]
    permission: str | None
    view: object

    @property
    def summary(self) -> str:
        doc = (getattr(self.view, "__doc__", None) or "").strip()
        return " ".join(doc.split("\n\n")[0].split()) if doc else ""


def is_json_api(intr) -> bool:
    return any(p.text() == "json_api = True" for p in intr.get("predicates") or ())


def api_views(registry) -> list[ApiView]:
    """The API's views (JSON only, for a method, on an interface or any context)."""
    found = []
    for item in registry.introspector.get_category("views"):
        intr = item["introspectable"]
        if intr["exception_only"] or intr["route_name"] or not is_json_api(intr):
            continue
        methods = intr["request_methods"]
        methods = (methods,) if isinstance(methods, str) else tuple(methods or ())
        methods = tuple(m for m in methods if m in METHODS)
        context = intr["context"]
        if not methods or not (context is None or isinstance(context, InterfaceClass)):
            continue
        permissions = [r.title for r in item["related"] if r.category_name == "permissions"]
        found.append(
            ApiView(
                intr["name"] or "",
                context,
                methods,
                permissions[0] if permissions else None,
                intr["callable"],
            )
        )
    return found


def schema_key(name: str) -> str:
    """A component name for ``name`` (letters, digits, ``.``, ``-``, ``_``)."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)


def output_schema(field: Field, request) -> dict:
    """The JSON Schema of a field's value as an object's JSON form gives it."""
    schema = standard_schema(field.json_schema(request))
    if isinstance(field, RichText):
        return dict(RICH_TEXT_OUT, title=schema["title"])
    kept = {k: v for k, v in schema.items() if k in ("title", "description")}
    if isinstance(field, FileField) or schema["type"] == "object":
        return dict(kept, type=["object", "null"])
    kept["type"] = [schema["type"], "null"]
    if schema["type"] == "array" and "items" in schema:
        kept["items"] = {"type": schema["items"].get("type", "string")}
    return kept


def type_components(request, types: list[ContentType]) -> dict:
    """``<Type>`` (the body that adds one), ``<Type>Edit`` (the body that edits
    one) and ``<Type>Content`` (its JSON form) for each type."""
    translate = request.localizer.translate
    schemas = {}
    for ct in types:
        key = schema_key(ct.name)
        fields = {f.name: standard_schema(f.json_schema(request)) for f in ct.fields}
        schemas[key] = {
            "type": "object",
            "title": translate(ct.label),
            "properties": {
                "@type": {"const": ct.name},
                "id": {"type": "string", "title": translate(_("Tên trong địa chỉ (URL)"))},
                **fields,
            },
            "required": ["@type", *(f.name for f in ct.fields if f.required)],
        }
        schemas[key + "Edit"] = {"type": "object", "properties": fields}
        schemas[key + "Content"] = {
            "allOf": [
                {"$ref": "#/components/schemas/Content"},
                {
                    "type": "object",
                    "properties": {
                        "@type": {"const": ct.name},
                        **{f.name: output_schema(f, request) for f in ct.fields},
                    },
                },
            ]
        }
    return schemas


def refs(types: list[ContentType], suffix: str) -> list[dict]:
    return [{"$ref": f"#/components/schemas/{schema_key(ct.name)}{suffix}"} for ct in types]


def json_content(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def param_json(request, param: Param) -> dict:
    translate = request.localizer.translate
    found = {
        "name": param.name,
        "in": param.location,
        "required": param.required or param.location == "path",
        "description": translate(param.description) if param.description else "",
        "schema": param.schema,
    }
    if param.example is not None:
        found["example"] = param.example
    return found


def path_name(context: InterfaceClass | None) -> str:
    """The name of the parameter holding the path of an item providing ``context``:
    ``path`` for content; for an object that is not content (a plugin's record
    reached by traversal) one of its own (``IDossier``: ``dossier_path``), so that
    its operations are never taken for those of content at the same address."""
    if context is None or context.isOrExtends(IContent):
        return "path"
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", context.__name__.removeprefix("I"))
    return f"{words.lower()}_path"


def path_param(request, context: InterfaceClass | None) -> dict:
    """The ``{path}`` parameter: the path of an item providing ``context``."""
    dotted = f"{context.__module__}.{context.__name__}" if context else "core.interfaces.IContent"
    return {
        "name": path_name(context),
        "in": "path",
        "required": True,
        "description": request.localizer.translate(
            _("Đường dẫn của một nội dung (các đoạn cách nhau bởi /).")
        ),
        "schema": {"type": "string"},
        "x-cong-context": dotted,
    }


def paths_of(view: ApiView, site_class: type) -> list[tuple[str, bool, tuple[Param, ...]]]:
    """``(path, under_content, path params)`` of each path ``view`` answers at."""
    context = view.context
    at_root = context is None or context.implementedBy(site_class)
    under_content = context is None or not context.isOrExtends(ISite)
    name = f"/{view.name}" if view.name else ""
    params = tuple(p for p in params_of(view.view) if p.location == "path")
    # the view answers with the first k path parameters when the next is optional
    variants = [
        params[:k] for k in range(len(params) + 1) if k == len(params) or not params[k].required
    ]
    found = []
    for chosen in variants:
        tail = name + "".join(f"/{{{p.name}}}" for p in chosen)
        if at_root:
            found.append((tail or "/", False, chosen))
        if under_content:
            found.append((f"/{{{path_name(context)}}}" + tail, True, chosen))
    return found


def operation(
    request, view: ApiView, method: str, types: list[ContentType], under_content, path_params
) -> dict:
    """The OpenAPI operation of ``view`` for ``method``."""
    doc = (getattr(view.view, "__doc__", None) or "").strip()
    op = {
        "summary": view.summary or f"{method} {view.name or '(nội dung)'}",
        "tags": [view.name or "content"],
        "parameters": [],
        "responses": {"default": {"$ref": "#/components/responses/Error"}},
    }
    if doc and "\n\n" in doc:
        op["description"] = doc
    if under_content:
        op["parameters"].append(path_param(request, view.context))
    op["parameters"] += [param_json(request, p) for p in path_params]
    op["parameters"] += [
        param_json(request, p) for p in params_of(view.view) if p.location == "query"
    ]
    if view.permission and view.permission != VIEW:
        op["security"] = [{name: []} for name in SECURITY_SCHEMES]
    content_view = view.name == "" and path_name(view.context) == "path"
    if method == "GET":
        schema = {"anyOf": refs(types, "Content")} if content_view else {}
        op["responses"]["200"] = {"description": "OK", "content": json_content(schema)}
        return op
    body = body_of(view.view)
    if content_view and method == "POST":
        body = {"oneOf": refs([ct for ct in types if ct.addable_to != ()], "")}
    elif content_view and method == "PATCH":
        body = {"anyOf": refs(types, "Edit")}
    if body is not None:
        op["requestBody"] = {"required": True, "content": json_content(body)}
    elif method != "DELETE":
        op["requestBody"] = {"required": False, "content": json_content({"type": "object"})}
    op["responses"]["2XX"] = {"description": "OK"}
    return op


def operation_id(method: str, path: str) -> str:
    words = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "root"
    return f"{method.lower()}_{words}"


def openapi_document(request, context) -> dict:
    """The OpenAPI 3.1 document of the API as registered in this application."""
    registry = request.registry
    all_types = get_types(registry)
    types = all_types.all()
    site_class = all_types["Site"].factory
    paths: dict[str, dict] = {}
    chosen: dict[tuple[str, str], ApiView] = {}
    for view in api_views(registry):
        for path, under_content, path_params in paths_of(view, site_class):
            for method in view.methods:
                key = (path, method)
                known = chosen.get(key)
                if known is not None and not (
                    view.context is not None
                    and (known.context is None or view.context.extends(known.context))
                ):
                    continue
                chosen[key] = view
                if refuses(view.view):  # a more general view's method refused here
                    paths.get(path, {}).pop(method.lower(), None)
                    continue
                op = operation(request, view, method, types, under_content, path_params)
                op["operationId"] = operation_id(method, path)
                paths.setdefault(path, {})[method.lower()] = op
    translate = request.localizer.translate
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": translate(_("API JSON của cổng thông tin")),
            "version": package_version(),
            "description": translate(
                _(
                    "Theo quy ước của plone.restapi: gửi Accept: application/json; "
                    'lỗi trả về {"type", "message"}.'
                )
            ),
        },
        "servers": [{"url": url_of(request, context)}],
        "paths": dict(sorted((path, item) for path, item in paths.items() if item)),
        "components": {
            "schemas": {
                "Error": ERROR_SCHEMA,
                "Content": CONTENT_SCHEMA,
                **type_components(request, types),
            },
            "responses": {
                "Error": {
                    "description": translate(_("Lỗi")),
                    "content": json_content({"$ref": "#/components/schemas/Error"}),
                }
            },
            "securitySchemes": SECURITY_SCHEMES,
        },
        "security": [{}, *({name: []} for name in SECURITY_SCHEMES)],
    }


def package_version() -> str:
    try:
        return metadata.version("cong")
    except metadata.PackageNotFoundError:
        return "0"


@view_config(context=INavigationRoot, name="@openapi", request_method="GET", renderer="json")
def openapi_view(context, request):
    """The OpenAPI document of the JSON API (whatever the Accept header)."""
    return openapi_document(request, context)


@view_config(context=INavigationRoot, name="@openapi", require_csrf=False)
def openapi_other_methods(context, request):
    raise not_allowed("GET")
