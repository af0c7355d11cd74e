"""``@breadcrumbs`` and ``@navigation``: where the context is, and the site menu.

Both start at the nearest navigation root above the context (the site, later a
subsite), as plone.restapi does.
"""

from __future__ import annotations

from pyramid.location import lineage
from pyramid.traversal import find_interface

from core import params
from core.api import api_view
from core.api.errors import not_allowed
from core.api.serialize import url_of
from core.interfaces import IContent, IFolder, INavigationRoot
from core.permissions import VIEW

DEFAULT_DEPTH = 1
MAX_DEPTH = 3


def navigation_root(context):
    """The nearest navigation root at or above ``context``."""
    return find_interface(context, INavigationRoot)


def breadcrumbs(request, context) -> dict:
    """``{"@id", "root", "items": [{"@id", "title"}]}``: the path from below the
    navigation root down to the context."""
    root = navigation_root(context)
    items = []
    for obj in lineage(context):
        if obj is root:
            break
        items.append({"@id": url_of(request, obj), "title": obj.title or obj.__name__})
    items.reverse()
    return {
        "@id": url_of(request, context) + "/@breadcrumbs",
        "root": url_of(request, root),
        "items": items,
    }


def navigation_depth(request) -> int:
    """``expand.navigation.depth`` from the query, between 1 and :data:`MAX_DEPTH`."""
    name = "expand.navigation.depth"
    return params.integer(request, name, DEFAULT_DEPTH, minimum=1, maximum=MAX_DEPTH, clamp=True)


def menu_items(request, folder, depth: int) -> list[dict]:
    """The sub-folders of ``folder`` the requester may view, ``depth`` levels down."""
    items = []
    for obj in folder.values():
        # the class tells a folder without loading the object; permission needs it
        if not IFolder.implementedBy(type(obj)) or not request.has_permission(VIEW, obj):
            continue
        items.append(
            {
                "@id": url_of(request, obj),
                "title": obj.title,
                "description": obj.description,
                "review_state": obj.workflow_state or None,
                "items": menu_items(request, obj, depth - 1) if depth > 1 else [],
            }
        )
    return items


def navigation(request, context) -> dict:
    """``{"@id", "items": [...]}``: the navigation root's folders, nested
    ``expand.navigation.depth`` levels."""
    root = navigation_root(context)
    return {
        "@id": url_of(request, context) + "/@navigation",
        "items": menu_items(request, root, navigation_depth(request)),
    }


@api_view(context=IContent, name="@breadcrumbs", request_method="GET", permission=VIEW)
def breadcrumbs_view(context, request):
    """Where the object is: the path to it from its navigation root."""
    return breadcrumbs(request, context)


@api_view(context=IContent, name="@navigation", request_method="GET", permission=VIEW)
def navigation_view(context, request):
    """The site menu: the navigation root's folders (``expand.navigation.depth``)."""
    return navigation(request, context)


@api_view(context=IContent, name="@breadcrumbs", require_csrf=False)
@api_view(context=IContent, name="@navigation", require_csrf=False)
def navigation_other_methods(context, request):
    raise not_allowed("GET")
