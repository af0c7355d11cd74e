"""``@actions``: what the requester can do here, by plone.restapi's categories.

``GET /path/@actions`` answers ``{"object": [...], "object_buttons": [...],
"user": [...], "portal_tabs": [...], "site_actions": [...],
"document_actions": [...]}``, each action ``{"id", "title", "icon"}``, with only the
actions the requester may take on the context (Plone's ids, so clients such as
Volto show their toolbar). ``?categories:list=object&categories:list=user`` (or
``categories=object,user``) keeps those categories; an unknown one is a 400.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.api import api_view
from core.api.errors import ApiError, not_allowed
from core.api.params import Param, api_params
from core.i18n import _
from core.interfaces import IContent, IFolder
from core.permissions import DELETE, EDIT, LIST, MANAGE_USERS, SHARING, VIEW

#: The categories, in plone.restapi's order.
CATEGORIES = (
    "object", "object_buttons", "user", "portal_tabs", "site_actions", "document_actions",
)  # fmt: skip
#: The query parameters naming categories.
CATEGORY_PARAMS = ("categories", "categories:list")


@dataclass(frozen=True)
class Action:
    """An action of ``category``, offered when ``available(request, context)``."""

    category: str
    id: str
    title: str
    available: Callable[[object, object], bool]


def may(permission: str, on_parent: bool = False, folders_only: bool = False):
    """A test: the requester has ``permission`` on the context (or its parent)."""

    def test(request, context) -> bool:
        if folders_only and not IFolder.providedBy(context):
            return False
        target = context.__parent__ if on_parent else context
        return target is not None and bool(request.has_permission(permission, target))

    return test


def anonymous(request, context) -> bool:
    return request.identity is None


def logged_in(request, context) -> bool:
    return request.identity is not None


def always(request, context) -> bool:
    return True


ACTIONS = (
    Action("object", "view", _("Xem"), may(VIEW)),
    Action("object", "edit", _("Sửa"), may(EDIT)),
    Action("object", "folderContents", _("Nội dung"), may(LIST, folders_only=True)),
    Action("object", "history", _("Lịch sử"), may(EDIT)),
    Action("object", "local_roles", _("Chia sẻ"), may(SHARING, folders_only=True)),
    Action("object_buttons", "cut", _("Cắt"), may(DELETE, on_parent=True)),
    Action("object_buttons", "copy", _("Sao chép"), may(VIEW, on_parent=True)),
    Action("object_buttons", "delete", _("Xóa"), may(DELETE, on_parent=True)),
    Action("object_buttons", "rename", _("Đổi tên"), may(DELETE, on_parent=True)),
    Action("user", "login", _("Đăng nhập"), anonymous),
    Action("user", "preferences", _("Đổi mật khẩu"), logged_in),
    Action("user", "plone_setup", _("Quản trị"), lambda r, c: bool(r.has_permission(MANAGE_USERS, r.root))),
    Action("user", "logout", _("Đăng xuất"), logged_in),
    Action("portal_tabs", "index_html", _("Trang chủ"), always),
)  # fmt: skip


def asked_categories(request) -> tuple[str, ...]:
    """The categories the request names (all when none); 400 for an unknown one."""
    asked = [
        name.strip()
        for param in CATEGORY_PARAMS
        for value in request.GET.getall(param)
        for name in value.split(",")
        if name.strip()
    ]
    unknown = [name for name in asked if name not in CATEGORIES]
    if unknown:
        raise ApiError(
            400,
            _(
                "Không có nhóm thao tác ${name}; các nhóm: ${names}.",
                mapping={"name": unknown[0][:50], "names": ", ".join(CATEGORIES)},
            ),
            "BadRequest",
        )
    return tuple(asked) or CATEGORIES


def actions(request, context) -> dict:
    """The actions the requester may take on ``context``, by category."""
    categories = asked_categories(request)
    translate = request.localizer.translate
    found: dict[str, list] = {name: [] for name in categories}
    for action in ACTIONS:
        if action.category in found and action.available(request, context):
            found[action.category].append(
                {"id": action.id, "title": translate(action.title), "icon": ""}
            )
    return found


@api_view(context=IContent, name="@actions", request_method="GET", permission=VIEW)
@api_params(
    Param(
        "categories",
        "query",
        _("Các nhóm thao tác cần liệt kê, cách nhau bởi dấu phẩy (cũng nhận categories:list)"),
        {"type": "array", "items": {"type": "string", "enum": list(CATEGORIES)}},
    )
)
def actions_view(context, request):
    """The actions the requester may take on the context, by category."""
    return actions(request, context)


@api_view(context=IContent, name="@actions", require_csrf=False)
def actions_other_methods(context, request):
    """405: ``@actions`` is read-only."""
    raise not_allowed("GET")
