"""Who may see and act on a unit's registers.

Registers are internal: the Clerks (văn thư), Leaders and Specialists of a unit —
local roles granted on its subsite or above it — see its registers, and Managers
do. A person who leads or coordinates the handling of an incoming document sees
that document, whatever unit they are in, and the staff of a unit named as lead or
coordinator see it too. A secret document (``secrecy`` set) is seen only by its
named ``readers`` (and Managers): not by the rest of the unit's staff.
Published legal documents (:mod:`plugins.documents.library`) are public and not
concerned here.
"""

from __future__ import annotations

from core.security import principals_at
from plugins.documents.units import unit_of

STAFF_ROLES = frozenset({"Clerk", "Leader", "Specialist"})


def login_of(request) -> str:
    user = request.identity
    return user.login if user is not None else ""


def roles_at(request, unit_code: str) -> frozenset[str]:
    """The roles the requester holds at unit ``unit_code`` (global, by group, and
    granted on the subsite or above it); at the portal for ``''``."""
    user = request.identity
    if user is None:
        return frozenset()
    cache = request.__dict__.setdefault("_documents_roles", {})
    key = (user.login, unit_code)
    if key not in cache:
        subsite = unit_of(request.root, unit_code)
        context = subsite if subsite is not None else request.root
        found = principals_at(user, request.root, context)
        cache[key] = frozenset(p[5:] for p in found if p.startswith("role:"))
    return cache[key]


def is_manager(request) -> bool:
    return "Manager" in roles_at(request, "")


def can_see_registers(request, unit_code: str) -> bool:
    """Whether the requester works with the registers of ``unit_code``."""
    return bool(roles_at(request, unit_code) & {*STAFF_ROLES, "Manager"})


def has_role(request, unit_code: str, *roles: str) -> bool:
    """Whether the requester holds one of ``roles`` at ``unit_code`` (Managers hold
    every role)."""
    held = roles_at(request, unit_code)
    return "Manager" in held or bool(held & set(roles))


def is_handler(request, document) -> bool:
    """Whether the requester leads or coordinates ``document``'s handling, in
    person or as staff of a unit named."""
    login = login_of(request)
    if not login:
        return False
    for handler in getattr(document, "handlers", ()):
        kind, _sep, value = handler.partition(":")
        if kind == "user" and value == login:
            return True
        if kind == "unit" and value and can_see_registers(request, value):
            return True
    return False


def is_lead(request, document) -> bool:
    """Whether the requester leads ``document``'s handling: the person its
    direction names, or staff of the unit it names."""
    direction = getattr(document, "direction", None)
    if direction is None:
        return False
    kind, _sep, value = direction.lead.partition(":")
    if kind == "user":
        return bool(value) and value == login_of(request)
    return kind == "unit" and bool(value) and can_see_registers(request, value)


def is_reader(request, document) -> bool:
    return login_of(request) in document.readers


def can_view(request, document) -> bool:
    """Whether the requester may see ``document``."""
    if is_manager(request):
        return True
    if document.secrecy:
        return is_reader(request, document)
    return can_see_registers(request, document.unit_code) or is_handler(request, document)
