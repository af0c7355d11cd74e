"""What the office pages share: their stylesheet and macros, who may open them,
the names of kinds, statuses and handlers as people read them, and the people and
units a form offers to choose from."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden

from core.i18n import _
from core.theme import get_templates
from core.ui import get_ui
from plugins.documents import registered as R
from plugins.documents.access import STAFF_ROLES, can_see_registers, can_view, has_role
from plugins.documents.doctypes import BY_CODE, TYPES
from plugins.documents.exchange_status import STATUSES
from plugins.documents.registry import registry_of
from plugins.documents.units import PLUGIN, office_in, unit_of
from plugins.documents.views_dashboard import no_store
from subsites.catalog_fields import CODE
from subsites.directory import subsite_records
from subsites.plugins import enabled_at

#: The pages' stylesheet (the plugin's static folder is served by the library's
#: static view, :mod:`plugins.documents.library`).
STYLESHEET = "plugins.documents:static/office.css"
#: The methods of a page with a form posting to itself.
FORM_METHODS = ("GET", "HEAD", "POST")
#: What the lists and pages show instead of a secret document's summary.
SECRET = _("Văn bản mật")


def page_values(request, **values) -> dict:
    """What every office page's template has: its stylesheet (``stylesheet``) and
    the macros of ``office_parts.pt`` (``parts``), then ``values``."""
    parts = get_templates(request.registry)["office_parts.pt"]
    return {"stylesheet": request.static_url(STYLESHEET), "parts": parts, **values}


def require_registers(request, office) -> None:
    """Refuse (login for visitors, 403 for others) whoever does not work with
    ``office``'s registers."""
    if not can_see_registers(request, office.unit_code):
        raise HTTPForbidden()
    no_store(request)


def require_role(request, office, *roles: str) -> None:
    """Refuse whoever holds none of ``roles`` at ``office``'s unit."""
    if not has_role(request, office.unit_code, *roles):
        raise HTTPForbidden()
    no_store(request)


def require_document(request, document):
    """``document`` for a requester who may see it; refused otherwise."""
    if not can_view(request, document):
        raise HTTPForbidden()
    no_store(request)
    return document


# names as people read them -----------------------------------------------------------
def type_title(request, code: str) -> str:
    kind = BY_CODE.get(code)
    return request.localizer.translate(kind.title) if kind else code


def type_choices(request) -> tuple:
    """``(code, title)`` of the 29 kinds, in the decree's order."""
    return tuple((kind.code, kind.title) for kind in TYPES)


def status_title(request, kind: str, status: str) -> str:
    labels = R.INCOMING_STATUSES if kind == R.INCOMING else R.OUTGOING_STATUSES
    return request.localizer.translate(labels[status]) if status in labels else status


def label(request, mapping: dict, value: str) -> str:
    """The label of ``value`` in ``mapping`` (urgencies, secrecies), '' for none."""
    return request.localizer.translate(mapping[value]) if value in mapping else ""


def exchange_title(request, status: int) -> str:
    found = STATUSES.get(status)
    return f"{request.localizer.translate(found)} ({status})" if found else str(status)


def summary_of(request, document) -> str:
    """The summary, or "Văn bản mật" for a secret one the requester may not see."""
    if document.secrecy and not can_view(request, document):
        return request.localizer.translate(SECRET)
    return document.summary


# who and what a form offers ------------------------------------------------------------
def staff_of(request, unit_code: str) -> list[tuple[str, str]]:
    """``(login, name)`` of the users holding a staff role on unit ``unit_code``'s
    subsite, by name."""
    subsite = unit_of(request.root, unit_code)
    users = request.root.principals.users
    found = []
    for login, roles in getattr(subsite, "local_roles", {}).items():
        user = users.get(login)
        if user is not None and set(roles) & STAFF_ROLES:
            found.append((login, user.title))
    return sorted(found, key=lambda pair: pair[1].casefold())


def office_units(request) -> list[tuple[str, str]]:
    """``(code, title)`` of the units of the portal that have an office where the
    plugin is enabled, by title (kept until the next commit)."""

    def compute():
        found = []
        for record in subsite_records(request):
            code = record.metadata.get(CODE) or ""
            subsite = unit_of(request.root, code) if code else None
            if subsite is not None and enabled_at(subsite, PLUGIN) and office_in(subsite):
                found.append((code, subsite.title))
        return found

    return get_ui(request).cached("documents-office-units", compute)


def partner_choices(request) -> list[tuple[str, str]]:
    """``(code, name)`` of the partner catalogue's agencies, by name."""
    partners = registry_of(request.root).partners.values()
    return sorted(((p.code, p.name) for p in partners), key=lambda pair: pair[1].casefold())
