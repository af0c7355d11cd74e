"""Units as the one-stop desk sees them: a subsite by its code and its desk (made
with the subsite where the plugin is enabled)."""

from __future__ import annotations

from core.hookspecs import hookimpl
from plugins.onestop.desk import SECTION, TYPE_NAME
from subsites.directory import subsite_by_code
from subsites.plugins import enabled_at
from subsites.structure import ensure_child

PLUGIN = "onestop"


def unit_of(site, code: str):
    """The subsite of unit ``code``, or None."""
    return subsite_by_code(site, code)


def desk_in(subsite):
    """The desk of ``subsite``, or None when it has none."""
    desk = subsite.get(SECTION[0]) if subsite is not None else None
    return desk if getattr(desk, "type_name", "") == TYPE_NAME else None


def ensure_desk(request, subsite):
    """The desk of ``subsite``, made now when the plugin is enabled there and the
    subsite has a code; None otherwise."""
    if subsite is None or not subsite.code or not enabled_at(subsite, PLUGIN):
        return None
    desk = desk_in(subsite)
    if desk is None:
        name, title, description = SECTION
        desk, _created = ensure_child(
            request, subsite, name, TYPE_NAME, {"title": title, "description": description}
        )
    return desk


def desk_of(site, code: str):
    """The desk of unit ``code``, or None."""
    return desk_in(unit_of(site, code))


@hookimpl
def cong_subsite_created(request, subsite):
    """Give a new subsite where the plugin is enabled its desk."""
    ensure_desk(request, subsite)


def unit_title(site, code: str) -> str:
    subsite = unit_of(site, code)
    return subsite.title if subsite is not None else code
