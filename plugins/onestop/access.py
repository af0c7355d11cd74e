"""Who may see and act on a dossier.

A dossier's personal data is seen by its applicant (the citizen signed in when
submitting it, or signed in through the national identity service with the
applicant's personal identification number) and by the staff of the units handling it: Receptionists,
Specialists and Leaders granted on the receiving unit, the processing unit or a
unit it was handed over to (local roles on the subsite, or above it), and
Managers. Nobody else: not the unit's editors, not the public. Each transition
checks its role on the unit it concerns (:mod:`plugins.onestop.transitions`).
"""

from __future__ import annotations

import hmac

from core import audit
from core.citizens import citizen_identifier
from core.clock import now
from core.security import principals_at
from plugins.onestop.persons import CCCD
from plugins.onestop.units import unit_of

STAFF_ROLES = ("Receptionist", "Specialist", "Leader")


def login_of(request) -> str:
    user = request.identity
    return user.login if user is not None else ""


def roles_at(request, unit_code: str) -> frozenset[str]:
    """The roles the requester holds at unit ``unit_code`` (global, by group, and
    granted on the subsite or above it)."""
    user = request.identity
    if user is None:
        return frozenset()
    subsite = unit_of(request.root, unit_code)
    context = subsite if subsite is not None else request.root
    cache = request.__dict__.setdefault("_onestop_roles", {})
    key = (user.login, unit_code)
    if key not in cache:
        found = principals_at(user, request.root, context)
        cache[key] = frozenset(p[5:] for p in found if p.startswith("role:"))
    return cache[key]


def is_manager(request) -> bool:
    return "Manager" in roles_at(request, "")


def staff_units(request, dossier) -> frozenset[str]:
    """The units of ``dossier`` where the requester is on its staff."""
    return frozenset(
        code for code in dossier.units if roles_at(request, code) & {*STAFF_ROLES, "Manager"}
    )


def is_applicant(request, dossier) -> bool:
    """Whether the requester handed ``dossier`` in signed in, or is its applicant
    signed in through the identity service (a liên thông sub-dossier is the
    staff's)."""
    login = login_of(request)
    if login and login == dossier.owner:
        return True
    number = citizen_identifier(request)
    applicant = dossier.applicant
    return (
        number is not None
        and not dossier.origin
        and applicant.id_type == CCCD
        and hmac.compare_digest(number.encode(), applicant.id_number.encode())
    )


def can_view(request, dossier) -> bool:
    """Whether the requester may see ``dossier`` with its personal data."""
    return (
        is_applicant(request, dossier) or is_manager(request) or bool(staff_units(request, dossier))
    )


def can_staff(request, unit_code: str) -> bool:
    """Whether the requester works at the desk of ``unit_code``."""
    return bool(roles_at(request, unit_code) & {*STAFF_ROLES, "Manager"})


#: How long one person's opening of a dossier counts as one, in seconds.
VIEW_WINDOW = 3600


def record_view(request, dossier) -> None:
    """Record that the requester opened ``dossier`` (who and when: the applicant's
    personal data was shown): in the kernel's audit log each time, on the dossier
    once an hour per person."""
    login = login_of(request)
    if not login:
        return
    audit.record(request, "dossier.view", dossier.code)
    when = now()
    for moment, who in reversed(dossier.viewers[-50:]):
        if who == login and (when - moment).total_seconds() < VIEW_WINDOW:
            return
    dossier.viewers = (*dossier.viewers, (when, login))


def may_audit(request, dossier) -> bool:
    """Whether the requester sees who opened ``dossier``: Managers and the
    processing unit's Leaders."""
    return is_manager(request) or "Leader" in roles_at(request, dossier.processing_unit)
