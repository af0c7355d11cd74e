"""Units as the documents plugin sees them: a subsite by its code and its office
(made with the subsite where the plugin is enabled)."""

from __future__ import annotations

from core.hookspecs import hookimpl
from plugins.documents.office import SECTION, TYPE_NAME
from subsites.directory import subsite_by_code
from subsites.plugins import enabled_at
from subsites.structure import ensure_child

PLUGIN = "documents"


def unit_of(site, code: str):
    """The subsite of unit ``code``, or None."""
    return subsite_by_code(site, code) if isinstance(code, str) and code else None


def office_in(subsite):
    """The office of ``subsite``, or None when it has none."""
    office = subsite.get(SECTION[0]) if subsite is not None else None
    return office if getattr(office, "type_name", "") == TYPE_NAME else None


def office_of(site, code: str):
    """The office of unit ``code``, or None."""
    return office_in(unit_of(site, code))


def ensure_office(request, subsite):
    """The office of ``subsite``, made now when the plugin is enabled there and the
    subsite has a code; None otherwise."""
    if subsite is None or not subsite.code or not enabled_at(subsite, PLUGIN):
        return None
    office = office_in(subsite)
    if office is None:
        name, title, description = SECTION
        office, _created = ensure_child(
            request, subsite, name, TYPE_NAME, {"title": title, "description": description}
        )
    return office


@hookimpl
def cong_subsite_created(request, subsite):
    """Give a new subsite where the plugin is enabled its office."""
    ensure_office(request, subsite)


def unit_title(site, code: str) -> str:
    subsite = unit_of(site, code)
    return subsite.title if subsite is not None else code
