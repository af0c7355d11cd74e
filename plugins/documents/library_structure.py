"""The libraries of a site: the province's at the portal's root, and each unit's
(``<unit>/van-ban-phap-quy``), made with the subsite where the plugin is enabled.

The first time the plugin runs on a site (``cong_site_structure``) the portal
gets its library and so does every unit already there that has the plugin
enabled; afterwards each new subsite gets its own when it is created, and a
subsite enabling the plugin gets its own then. A library
is published at once (visitors see its documents once these are published); one
already there is left as it is.
"""

from __future__ import annotations

from core.hookspecs import hookimpl
from core.uids import resolve
from plugins.documents.legal import LIBRARY, SECTION
from subsites.directory import subsite_records
from subsites.interfaces import ISubsite
from subsites.plugins import enabled_at
from subsites.structure import ensure_child

#: The plugin's name (in ``cong.plugins`` and a subsite's enabled plugins).
PLUGIN = "documents"


def ensure_library(request, folder):
    """The library of ``folder`` (the site or a subsite), made now if missing;
    None where the plugin is disabled."""
    if not enabled_at(folder, PLUGIN):
        return None
    name, title, description = SECTION
    library, _created = ensure_child(
        request, folder, name, LIBRARY, {"title": title, "description": description}
    )
    return library


@hookimpl(specname="cong_subsite_created")
def library_subsite_created(request, subsite):
    """Give a new subsite where the plugin is enabled its library."""
    ensure_library(request, subsite)


@hookimpl(specname="cong_object_modified")
def library_plugins_changed(request, obj, fields):
    """Give a subsite its library when the plugin is enabled there."""
    if ISubsite.providedBy(obj) and "enabled_plugins" in fields:
        ensure_library(request, obj)


@hookimpl(specname="cong_site_structure")
def library_site_structure(request, site):
    """Give the portal its library, and each unit already there its own."""
    ensure_library(request, site)
    for record in subsite_records(request):
        subsite = resolve(site, record.uid)
        if ISubsite.providedBy(subsite):
            ensure_library(request, subsite)
