"""Where a page is: its navigation root, its breadcrumbs and the main menu.

The menu's entries come from the :class:`~core.interfaces.ISearch` (never by
loading every child: subsites, sites of their own, are not sections, and the menu
costs the same whatever their number); plugins then change them in place
(``cong_navigation``, asked of the plugins enabled where the page is).
"""

from __future__ import annotations

from collections.abc import Callable

from pyramid.location import lineage
from pyramid.traversal import find_interface, resource_path

from core.interfaces import IFolder, INavigationRoot, ISearch
from core.permissions import VIEW
from core.plugins import page_hook
from core.types import get_types

#: Sections shown at most in the main navigation.
MAX_NAVIGATION = 30


def navigation_root(context, site):
    """The nearest navigation root at or above ``context`` (the site, or a subsite)."""
    return find_interface(context, INavigationRoot) or site


def breadcrumbs(request, context, nav_root, url: Callable) -> list[dict]:
    """The steps ``{"title", "url"}`` from ``nav_root`` down to ``context``: only what
    the requester may view (an error page's context may be an object they may not)."""
    crumbs = []
    for obj in lineage(context):
        if not request.has_permission(VIEW, obj):
            crumbs.clear()  # what lies below a hidden folder is hidden with it
            continue
        crumbs.append({"title": obj.title or obj.__name__, "url": url(obj)})
        if obj is nav_root:
            break
    crumbs.reverse()
    return crumbs


def sections(request, nav_root, url: Callable) -> tuple[tuple[str, str], ...]:
    """``(title, url)`` of the folders of ``nav_root`` the requester may view, in
    its order, navigation roots left out (at most :data:`MAX_NAVIGATION`)."""
    types = tuple(
        ct.name
        for ct in get_types(request.registry).all()
        if IFolder.implementedBy(ct.factory) and not INavigationRoot.implementedBy(ct.factory)
    )
    found = request.registry.getUtility(ISearch).search(
        request,
        path=resource_path(nav_root),
        depth=1,
        types=types,
        sort_on="position",
        sort_order="ascending",
        size=MAX_NAVIGATION,
    )
    children = (nav_root.get(record.path.rsplit("/", 1)[-1]) for record in found.records)
    return tuple((obj.title, url(obj)) for obj in children if obj is not None)


def menu(request, context, entries, here: str) -> list[dict]:
    """The menu entries ``{"title", "url", "current", "section"}`` of ``entries``
    (from :func:`sections`) on the page of ``context`` at ``here``, as the plugins
    enabled there leave them."""
    page = None if getattr(request, "view_name", "") else here
    items = [
        {"title": title, "url": url, "current": url == page, "section": here.startswith(url)}
        for title, url in entries
    ]
    page_hook(request, "cong_navigation")(request=request, context=context, items=items)
    return items
