"""The citizen's look-up: a dossier's code and the applicant's identifier number
give what the citizen may know of it (status, steps done, due date, what is asked
of them) and nothing more; a wrong pair is simply "not found"."""

from __future__ import annotations

import hmac

from plugins.onestop import statuses
from plugins.onestop.dossier import Dossier
from plugins.onestop.persons import normal_id
from plugins.onestop.registry import find_dossier

#: The transitions the applicant is told of, in the look-up's list of steps done.
PUBLIC_STEPS = frozenset(
    {"submit", "receive", "refuse", "assign", "transfer", "request_supplement", "supplement",
     "request_payment", "pay", "approve", "deny", "suspend", "withdraw", "return_result"}
)  # fmt: skip


def find_for_applicant(site, code, id_number) -> Dossier | None:
    """The dossier of ``code`` when ``id_number`` is its applicant's, else None
    (the same None for an unknown code and a wrong number). Sub-dossiers are not
    looked up: their origin is."""
    if (
        not isinstance(code, str)
        or not isinstance(id_number, str)
        or len(code) > 60
        or len(id_number) > 30
    ):
        return None
    dossier = find_dossier(site, code)
    if dossier is None or dossier.origin or dossier.anonymised:
        return None
    given = normal_id(dossier.applicant.id_type, id_number).encode()
    return dossier if hmac.compare_digest(given, dossier.applicant.id_number.encode()) else None


def asked_of_applicant(dossier: Dossier) -> str:
    """What the applicant must do now: the supplement asked, the fees to pay, the
    result to collect; '' for nothing."""
    if dossier.status == statuses.SUPPLEMENT and dossier.supplements:
        return dossier.supplements[-1].reason
    if dossier.status == statuses.PAYMENT:
        return "payment"
    if dossier.status == statuses.RESULT_READY:
        return "collect"
    return ""
