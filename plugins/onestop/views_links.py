"""Where the rest of the portal links to the one-stop pages: the "Nộp hồ sơ
trực tuyến" button of a procedure's page (``cong_service_submission``) and the
citizen's "Hồ sơ của tôi" in the menu of a signed-in user (``cong_navigation``)."""

from __future__ import annotations

from core.hookspecs import hookimpl
from core.i18n import _
from core.ui import get_ui
from plugins.onestop.intake import ONLINE_LEVELS
from plugins.onestop.units import desk_in
from plugins.onestop.views_support import PLUGIN
from subsites.plugins import enabled_at

MINE_VIEW = "ho-so-cua-toi"


@hookimpl
def cong_service_submission(request, unit, service):
    """The online form of ``service`` at ``unit``'s desk, where the plugin is
    enabled, the unit has a desk and the procedure is offered at level 3 or 4."""
    if unit is None or getattr(service, "level", None) not in ONLINE_LEVELS:
        return None
    if not enabled_at(unit, PLUGIN):
        return None
    desk = desk_in(unit)
    if desk is None:
        return None
    return get_ui(request).url(desk, "@@nop-ho-so", **{"thu-tuc": service.code})


@hookimpl
def cong_navigation(request, context, items):
    """A signed-in user's menu ends with their dossiers."""
    if request.identity is None:
        return
    current = getattr(request, "view_name", "") == MINE_VIEW
    items.append(
        {
            "title": request.localizer.translate(_("Hồ sơ của tôi")),
            "url": get_ui(request).url(request.root, "@@" + MINE_VIEW),
            "current": current,
            "section": current,
        }
    )
