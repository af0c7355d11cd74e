"""Where the rest of the portal links to the office: the unit's menu has its
office for those who work with it (the office is no public section: visitors
never see it, see :mod:`plugins.documents.office_workflow`)."""

from __future__ import annotations

from pyramid.traversal import find_interface

from core.hookspecs import hookimpl
from core.ui import get_ui
from plugins.documents.access import can_see_registers, has_role
from plugins.documents.interfaces import IOffice
from plugins.documents.units import office_in


@hookimpl
def cong_navigation(request, context, items):
    """On a unit's pages, its menu has its office for its staff and SiteAdmins,
    unless the menu lists it already."""
    if request.identity is None:
        return
    ui = get_ui(request)
    office = office_in(ui.unit)
    if office is None:
        return
    code = office.unit_code
    if not (can_see_registers(request, code) or has_role(request, code, "SiteAdmin")):
        return
    url = ui.url(office)
    if any(item["url"] == url for item in items):
        return
    inside = find_interface(context, IOffice) is office
    items.append(
        {
            "title": office.title,
            "url": url,
            "current": inside and context is office and not getattr(request, "view_name", ""),
            "section": inside,
        }
    )
