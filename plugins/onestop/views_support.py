"""What the one-stop pages share: their stylesheet, the names of units and
statuses as people read them, the units that have a desk, and pages never kept
in the page cache (they show a dossier)."""

from __future__ import annotations

from core.i18n import _
from core.theme import get_templates
from plugins.onestop import statuses
from plugins.onestop.units import desk_in, unit_of, unit_title
from subsites.catalog_fields import CODE
from subsites.directory import subsite_records
from subsites.plugins import enabled_at

STYLESHEET = "plugins.onestop:static/onestop.css"
PLUGIN = "onestop"


def stylesheet(request) -> str:
    """The address of the pages' stylesheet."""
    return request.static_url(STYLESHEET)


def page_values(request, **values) -> dict:
    """What every one-stop page's template has: its stylesheet (``stylesheet``)
    and the shared macros of ``onestop_parts.pt`` (``parts``), then ``values``."""
    parts = get_templates(request.registry)["onestop_parts.pt"]
    return {"stylesheet": stylesheet(request), "parts": parts, **values}


def status_label(request, code: int) -> str:
    """A status as the pages show it: its title and national code."""
    title = request.localizer.translate(statuses.STATUSES[code].title)
    return f"{title} ({code})"


def unit_label(request, code: str) -> str:
    """A unit's name, or its code when no subsite has it."""
    return unit_title(request.root, code) if code else ""


def desk_units(request) -> list[tuple[str, str]]:
    """``(code, title)`` of the units the requester may see that have a desk
    where the plugin is enabled, by title."""
    found = []
    for record in subsite_records(request):
        code = record.metadata.get(CODE) or ""
        subsite = unit_of(request.root, code) if code else None
        if subsite is not None and enabled_at(subsite, PLUGIN) and desk_in(subsite) is not None:
            found.append((code, subsite.title))
    return found


def _no_store(request, response) -> None:
    response.cache_control.no_store = True
    response.cache_control.private = True


def keep_private(request) -> None:
    """Mark this page as never to be stored (by the page cache, a proxy or the
    browser): it shows a dossier."""
    request.add_response_callback(_no_store)


#: Texts shared by several pages.
NOT_FOUND = _("Không tìm thấy hồ sơ.")
