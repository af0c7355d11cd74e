"""The shared catalog: which procedures a unit shows, without copies.

Every procedure is indexed under one *unit key*, ``"<tier>:<unit code>"``, or
``"<tier>:*"`` when it has no unit code (every unit of that tier implements it).
A unit (a subsite) shows the procedures of its keys (:func:`unit_keys`):

- those whose unit code is its code, whatever their tier (a department's
  procedures, or one commune's own);
- a commune (kind ``commune``) also every ``commune:*`` procedure, and a district
  (kind ``district``) every ``district:*`` one.

The portal shows them all. One catalog query answers a unit's list, whatever the
number of units or procedures.
"""

from __future__ import annotations

from pyramid.traversal import find_resource

from catalog import catalog_of
from core.hookspecs import hookimpl
from core.uids import resolve
from plugins.services.content import COMMUNE, DISTRICT, SERVICE, TIERS

#: The catalog field holding a procedure's unit key.
UNIT_FIELD = "service_unit"
#: The catalog field holding a procedure's code.
CODE_FIELD = "service_code"
#: Marks a procedure implemented by every unit of its tier.
EVERY_UNIT = "*"
#: Unit kinds whose units implement the procedures of their tier with no unit code.
TIER_OF_KIND = {COMMUNE: COMMUNE, DISTRICT: DISTRICT}


def unit_key(service) -> str:
    """The unit key of a procedure (see the module's docstring)."""
    return f"{service.tier}:{service.agency_code or EVERY_UNIT}"


def unit_keys(subsite) -> list[str]:
    """The unit keys whose procedures ``subsite`` shows."""
    return keys_of(subsite.code, subsite.unit_kind)


def keys_of(code: str, unit_kind: str) -> list[str]:
    """The unit keys of a unit of code ``code`` and kind ``unit_kind`` (as catalog
    records of subsites hold them)."""
    keys = [f"{tier}:{code}" for tier, _label in TIERS] if code else []
    tier = TIER_OF_KIND.get(unit_kind)
    if tier is not None:
        keys.append(f"{tier}:{EVERY_UNIT}")
    return keys


def unit_filter(subsite) -> dict:
    """The catalog ``fields`` of the procedures ``subsite`` shows (None: the
    portal, which shows them all)."""
    if subsite is None:
        return {}
    return {UNIT_FIELD: unit_keys(subsite) or ["-"]}


def find_by_code(site, code: str):
    """The procedure of code ``code`` whoever may see it, or None."""
    catalog = catalog_of(site)
    index = catalog.indexes.get(CODE_FIELD) if catalog is not None else None
    if index is None:
        return None
    for docid in index.docids(code):
        record = catalog.records.get(docid)
        if record is not None and record["type_name"] == SERVICE:
            try:
                return find_resource(site, record["path"])
            except KeyError:
                return None
    return None


def service_by_code(request, code: str):
    """The procedure of code ``code`` (whoever may see it), or None."""
    return find_by_code(request.root, code)


@hookimpl
def cong_procedure(request, code):
    """The procedure of ``code`` for the plugins handling dossiers."""
    return service_by_code(request, code) if isinstance(code, str) else None


def implementing_unit(site, service):
    """The subsite whose code is the procedure's unit code, or None."""
    if not service.agency_code:
        return None
    uid = getattr(site, "unit_codes", {}).get(service.agency_code)
    return resolve(site, uid) if uid else None


def shows(subsite, service) -> bool:
    """Whether ``subsite`` shows ``service``."""
    return unit_key(service) in unit_keys(subsite)
