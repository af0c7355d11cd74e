"""What the one-stop desk does when the kernel's payments report a change."""

from __future__ import annotations

from core.hookspecs import hookimpl
from core.payments import PAID
from plugins.onestop import statuses
from plugins.onestop.fees import SUBJECT_KIND
from plugins.onestop.registry import find_dossier
from plugins.onestop.transitions import perform


@hookimpl
def cong_payment_changed(request, payment, old_state):
    """A dossier's fees paid online: the dossier goes on (``pay``, by the system)."""
    if payment.subject_kind != SUBJECT_KIND or payment.state != PAID:
        return
    dossier = find_dossier(request.root, payment.subject)
    if dossier is None or dossier.payment_reference != payment.reference:
        return
    if dossier.status == statuses.PAYMENT:
        perform(request, dossier, "pay", {"comment": payment.reference}, system=True)
