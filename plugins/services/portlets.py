"""The "Dịch vụ công" portlet of home pages: how many procedures the portal (or
the unit) offers, and the share of them online at levels 3 and 4, with links to
the catalog and its statistics. Counted by :func:`plugins.services.statistics.statistics`
(shared until the next commit), rendered once per commit and viewer."""

from __future__ import annotations

import catalog
from core.hookspecs import hookimpl
from core.i18n import _
from core.interfaces import INavigationRoot
from core.portlets import Portlet
from core.ui import get_ui
from plugins.services.content import CATALOG, FULL, PARTIAL
from plugins.services.navigation import UNIT_PATH
from plugins.services.statistics import format_percent, statistics
from plugins.services.statistics_views import PROVINCE_VIEW as PROVINCE_STATISTICS
from plugins.services.statistics_views import UNIT_VIEW as UNIT_STATISTICS
from subsites.interfaces import ISubsite

#: The portlet's name (the home page settings name portlets by it).
NAME = "public-services"


def catalog_links(request, root) -> tuple[str, str] | None:
    """The addresses of ``root``'s list of procedures and of their statistics (the
    portal's catalog folder, or a unit's pages); None when there is none to show."""
    ui = get_ui(request)
    if ISubsite.providedBy(root):
        return ui.url(root, UNIT_PATH), ui.url(root, "@@" + UNIT_STATISTICS)
    found = catalog.search(request, types=(CATALOG,), path="/", depth=1, size=1)
    if not found.records:
        return None
    url = found.records[0].url(request)
    return url, url + "@@" + PROVINCE_STATISTICS


def public_services(request, context) -> str:
    """The box's body on a home page (the navigation root's default view), else ''."""
    if not INavigationRoot.providedBy(context) or request.view_name:
        return ""
    from core.theme import render_template

    ui = get_ui(request)

    def compute() -> str:
        links = catalog_links(request, context)
        counts = statistics(request, context if ISubsite.providedBy(context) else None).counts
        if links is None or not counts.total:
            return ""
        return render_template(
            request,
            "services_portlet.pt",
            total=counts.total,
            online=counts.kind(FULL) + counts.kind(PARTIAL),
            levels=[
                (level, counts.level(level), format_percent(counts.level_share(level)))
                for level in (3, 4)
            ],
            browse_url=links[0],
            stats_url=links[1],
        )

    return ui.cached("services.portlet", compute)


@hookimpl
def cong_portlets(request, context):
    return [Portlet(NAME, _("Dịch vụ công trực tuyến"), public_services, order=45)]
