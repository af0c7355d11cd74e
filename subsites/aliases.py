"""``@aliases``: the old addresses that lead to an object (the redirects kept for
renamed and moved content, see :mod:`subsites.redirects`), as plone.restapi gives
them; people may add and remove their own.

- ``GET /path/@aliases``: ``{"@id", "items": [{"path", "redirect-to", "datetime",
  "manual"}], "items_total"}``, the old addresses of the object; on the portal,
  every old address (``?query=`` filters by path, ``?manual=true|false`` by origin,
  batched with ``b_start`` and ``b_size``);
- ``POST /path/@aliases`` ``{"items": [{"path": "/old", "datetime"?}]}``: the
  paths become old addresses of the object (on the portal each item names its
  target with ``"redirect-to"``): 204;
- ``DELETE /path/@aliases`` ``{"items": [{"path": "/old"}]}``: 204.

``?expand=aliases`` on an object's URL embeds the same answer under
``@components`` (:func:`aliases_component`).

Paths are as in the addresses of the host asked (on a subsite's own host, from
the subsite). A path where content is, a path that is already another object's
old address, or a path leading to itself is refused (400, ``failed`` lists them);
nothing is stored unless every item is accepted. Changing them needs the right
to edit the object.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pyramid.traversal import resource_path

from core.api import api_view
from core.api.content import no_content
from core.api.deserialize import read_json
from core.api.errors import ApiError, not_allowed
from core.api.params import Param, api_body, api_params
from core.api.serialize import iso, url_of
from core.batching import Batch
from core.clock import TIMEZONE
from core.i18n import _
from core.interfaces import IContent, IFolder, ISite
from core.permissions import EDIT
from subsites.hosting import VH_ROOT_KEY
from subsites.redirects import MAX_SEGMENTS, add_alias, forget_path, old_paths

#: Items one request may add or remove at most.
MAX_ITEMS = 1000
#: Longest path accepted.
MAX_PATH = 1000
#: Old addresses listed per page on the portal unless ``b_size`` says otherwise.
PAGE_SIZE = 100


ITEMS_BODY = {
    "type": "object",
    "required": ["items"],
    "properties": {
        "items": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_ITEMS,
            "items": {
                "type": "object",
                "required": ["path"],
                "properties": {
                    "path": {"type": "string"},
                    "redirect-to": {"type": "string"},
                    "datetime": {"type": "string"},
                },
            },
        }
    },
}


def virtual_root(request) -> str:
    return request.environ.get(VH_ROOT_KEY, "").rstrip("/")


def shown_path(request, physical: str) -> str:
    """A physical path as the requester's host addresses it."""
    root = virtual_root(request)
    if root and physical.startswith(root + "/"):
        return physical[len(root) :]
    return physical


def physical_path(request, path) -> str | None:
    """The physical path of a path as the requester's host addresses it; None for
    one that is not a clean absolute path."""
    if not isinstance(path, str) or not path.startswith("/") or len(path) > MAX_PATH:
        return None
    segments = [s for s in path.split("/") if s]
    if not segments or len(segments) > MAX_SEGMENTS:
        return None
    if any(s in (".", "..") or not s.isprintable() or s != s.strip() for s in segments):
        return None
    return virtual_root(request) + "/" + "/".join(segments)


def content_at(site, physical: str):
    """The content at a physical path, or None."""
    obj = site
    for name in physical.strip("/").split("/"):
        if not IFolder.providedBy(obj) or name not in obj:
            return None
        obj = obj[name]
    return obj


def alias_json(request, site, path: str, uid: str, when, manual: bool) -> dict:
    target = site.uids.get(uid)
    return {
        "path": shown_path(request, path),
        "redirect-to": shown_path(request, resource_path(target)) if target is not None else None,
        "datetime": iso(when),
        "manual": manual,
    }


def refused(failed: list[str], message) -> ApiError:
    return ApiError(400, message, "BadRequest", failed=failed)


def items_of(body: dict) -> list[dict]:
    """``body["items"]`` as a list of ``{"path", ...}`` (plain paths accepted)."""
    items = body.get("items")
    if isinstance(items, str):
        items = [items]
    if not isinstance(items, list) or not items or len(items) > MAX_ITEMS:
        raise ApiError(
            400,
            _("items phải là một danh sách (1 đến ${n} mục).", mapping={"n": MAX_ITEMS}),
            "BadRequest",
        )
    return [item if isinstance(item, dict) else {"path": item} for item in items]


def parse_time(raw) -> datetime | None:
    """An optional ``datetime`` of an item (a date, or a date and time)."""
    if raw is None or raw == "":
        return None
    try:
        value = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        value = None
    if value is None:
        raise ApiError(400, _("datetime không hợp lệ (định dạng YYYY-MM-DD)."), "BadRequest")
    if value.tzinfo is None:
        value = value.replace(tzinfo=TIMEZONE)
    return value.astimezone(UTC)  # zoneinfo zones do not pickle in ZODB


def list_aliases(request, context) -> dict:
    site = request.root
    uid = None if ISite.providedBy(context) else context.uid
    query = request.GET.get("query", "")
    query = query.strip() if isinstance(query, str) else ""
    manual = request.GET.get("manual")
    if manual not in (None, "true", "false"):
        raise ApiError(400, _("manual phải là true hoặc false."), "BadRequest")
    found = (
        (path, target, when, made)
        for path, target, when, made in old_paths(site, uid)
        if query in path and (manual is None or made == (manual == "true"))
    )
    batch = Batch.from_iterable(found, request, PAGE_SIZE)
    data = {"@id": url_of(request, context) + "/@aliases"}
    data.update(batch.as_json([alias_json(request, site, *found) for found in batch.items]))
    return data


def aliases_component(request, context) -> dict:
    """The ``aliases`` component (``?expand=aliases``): the object's old addresses
    for those who may edit it (as ``@aliases``), a link for others."""
    if not request.has_permission(EDIT, context):
        return {"@id": url_of(request, context) + "/@aliases"}
    return list_aliases(request, context)


@api_view(context=IContent, name="@aliases", request_method="GET", permission=EDIT)
@api_params(
    Param("query", "query", _("Chỉ những đường dẫn có chuỗi này")),
    Param(
        "manual",
        "query",
        _("Do người thêm (true) hay tự động (false)"),
        {"enum": ["true", "false"]},
    ),
    Param("b_start", "query", _("Bắt đầu từ mục thứ"), {"type": "integer", "minimum": 0}),
    Param("b_size", "query", _("Số mục một trang"), {"type": "integer", "minimum": 1}),
)
def aliases_get(context, request):
    """The old addresses of the object (on the portal: all of them)."""
    if request.subpath:
        raise ApiError(404, _("Không tìm thấy trang bạn yêu cầu."), "NotFound")
    return list_aliases(request, context)


@api_view(context=IContent, name="@aliases", request_method="POST", permission=EDIT)
@api_body(ITEMS_BODY)
def aliases_post(context, request):
    """Add old addresses of the object (on the portal: of the items' targets)."""
    site = request.root
    checked, failed = [], []
    for item in items_of(read_json(request, required=True)):
        path = physical_path(request, item.get("path"))
        target = context
        if ISite.providedBy(context):
            target_path = physical_path(request, item.get("redirect-to"))
            target = content_at(site, target_path) if target_path else None
            if target is not None and not request.has_permission(EDIT, target):
                target = None
        when = parse_time(item.get("datetime"))
        if (
            path is None
            or target is None
            or content_at(site, path) is not None
            or site.redirects.get(path, target.uid) != target.uid
            or path == resource_path(target)
        ):
            failed.append(str(item.get("path"))[:MAX_PATH])
            continue
        checked.append((path, target, when))
    if failed:
        raise refused(
            failed,
            _(
                "Không thêm được địa chỉ cũ: ${paths} (đường dẫn không hợp lệ, đã có nội "
                "dung ở đó, đã là địa chỉ cũ của nội dung khác, hoặc không có nội dung "
                "đích).",
                mapping={"paths": ", ".join(failed)[:500]},
            ),
        )
    for path, target, when in checked:
        add_alias(site, path, target, when)
    return no_content()


@api_view(context=IContent, name="@aliases", request_method="DELETE", permission=EDIT)
@api_body(ITEMS_BODY)
def aliases_delete(context, request):
    """Remove old addresses of the object (on the portal: any)."""
    site = request.root
    paths, failed = [], []
    for item in items_of(read_json(request, required=True)):
        path = physical_path(request, item.get("path"))
        uid = site.redirects.get(path) if path is not None else None
        if uid is None or not (ISite.providedBy(context) or uid == context.uid):
            failed.append(str(item.get("path"))[:MAX_PATH])
        else:
            paths.append(path)
    if failed:
        raise refused(
            failed,
            _(
                "Không phải địa chỉ cũ của nội dung này: ${paths}.",
                mapping={"paths": ", ".join(failed)[:500]},
            ),
        )
    for path in paths:
        forget_path(site, path)
    return no_content()


@api_view(context=IContent, name="@aliases", require_csrf=False)
def aliases_other_methods(context, request):
    raise not_allowed("GET", "POST", "DELETE")


def includeme(config) -> None:
    config.add_api_component("aliases", aliases_component)
