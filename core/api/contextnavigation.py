"""``@contextnavigation``: the navigation tree around the context (Plone's
navigation portlet), as plone.restapi gives it.

The tree starts at the context's navigation root and opens the folders on the way
to the context (``is_in_path``) and the context itself (``is_current``).
``expand.contextnavigation.bottomLevel`` (0: no limit) bounds how many levels are
shown and ``expand.contextnavigation.name`` titles the tree; a value that is not a
whole number between 0 and :data:`MAX_LEVEL` is a 400.
"""

from __future__ import annotations

from pyramid.location import lineage

from core import params
from core.api import api_view
from core.api.errors import not_allowed
from core.api.navigation import navigation_root
from core.api.params import Param, api_params
from core.api.serialize import url_of
from core.i18n import _
from core.interfaces import IContent, IFolder
from core.permissions import VIEW

PARAM = "expand.contextnavigation."
#: Deepest ``bottomLevel`` accepted.
MAX_LEVEL = 10
#: Children of one folder shown at most.
MAX_CHILDREN = 100
#: Characters of the tree's name kept.
MAX_NAME = 200


def bottom_level(request) -> int:
    """``bottomLevel`` from the query (0 when absent; 400 unless 0 to :data:`MAX_LEVEL`)."""
    return params.integer(request, PARAM + "bottomLevel", 0, minimum=0, maximum=MAX_LEVEL)


def node(request, obj, path: set[int], current, level: int, bottom: int) -> dict:
    """One item of the tree, with its children when it is on the way to the context."""
    folderish = IFolder.providedBy(obj)
    opened = folderish and id(obj) in path and (bottom == 0 or level < bottom)
    url = url_of(request, obj)
    return {
        "@id": url,
        "href": url,
        "title": obj.title or obj.__name__,
        "description": obj.description,
        "review_state": obj.workflow_state or None,
        "type": obj.type_name.lower().replace(" ", "-"),
        "normalized_id": obj.__name__,
        "is_current": obj is current,
        "is_in_path": id(obj) in path,
        "is_folderish": folderish,
        "icon": "",
        "thumb": "",
        "items": children(request, obj, path, current, level + 1, bottom) if opened else [],
    }


def children(request, folder, path: set[int], current, level: int, bottom: int) -> list[dict]:
    """The children of ``folder`` the requester may view, as tree items."""
    return [
        node(request, obj, path, current, level, bottom)
        for obj in folder.slice(0, MAX_CHILDREN)
        if request.has_permission(VIEW, obj)
    ]


def context_navigation(request, context) -> dict:
    """The navigation tree from the navigation root down to ``context``."""
    bottom = bottom_level(request)
    root = navigation_root(context)
    name = request.GET.get(PARAM + "name", "").strip()[:MAX_NAME]
    path = {id(obj) for obj in lineage(context)}
    return {
        "@id": url_of(request, context) + "/@contextnavigation",
        "available": True,
        "has_custom_name": bool(name),
        "title": name or request.localizer.translate(_("Điều hướng")),
        "url": url_of(request, root),
        "items": children(request, root, path, context, 1, bottom),
    }


@api_view(context=IContent, name="@contextnavigation", request_method="GET", permission=VIEW)
@api_params(
    Param(
        PARAM + "bottomLevel",
        "query",
        _("Số tầng hiển thị (0: tất cả)"),
        {"type": "integer", "minimum": 0, "maximum": MAX_LEVEL},
    ),
    Param(PARAM + "name", "query", _("Tiêu đề của cây điều hướng")),
)
def context_navigation_view(context, request):
    """The navigation tree from the navigation root down to the context."""
    return context_navigation(request, context)


@api_view(context=IContent, name="@contextnavigation", require_csrf=False)
def context_navigation_other_methods(context, request):
    """405: ``@contextnavigation`` is read-only."""
    raise not_allowed("GET")
