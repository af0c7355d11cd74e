"""The "Thủ tục hành chính" entry of a unit's main navigation."""

from __future__ import annotations

from pyramid.traversal import find_interface

from core.hookspecs import hookimpl
from core.i18n import _
from core.ui import get_ui
from subsites.interfaces import ISubsite

#: A subsite's page of the procedures it shows (see :mod:`plugins.services.views`).
UNIT_VIEW = "thu-tuc"
UNIT_PATH = "@@" + UNIT_VIEW


@hookimpl
def cong_navigation(request, context, items):
    """On a subsite's pages, link to the procedures it shows (the portal's catalog
    folder is in the portal's navigation as any folder is)."""
    subsite = find_interface(context, ISubsite)
    if subsite is None:
        return
    in_view = getattr(request, "view_name", "") == UNIT_VIEW
    items.append(
        {
            "title": request.localizer.translate(_("Thủ tục hành chính")),
            "url": get_ui(request).url(subsite, UNIT_PATH),
            "current": in_view and not request.subpath,  # the list, not a procedure
            "section": in_view,
        }
    )
