"""Payments in the JSON API, for Managers: ``GET /@payments/<reference>``.

The whole payment, payer included (personal data: hence Managers only, the
``manage_payments`` permission), its fee lines, state, transaction, receipt and
history.
"""

from __future__ import annotations

from core.api import api_view
from core.api.errors import not_allowed
from core.api.serialize import iso
from core.i18n import _
from core.interfaces import INavigationRoot
from core.payments.errors import PaymentNotFound
from core.payments.model import CURRENCY, Payment
from core.payments.service import MANAGE_PAYMENTS, get_payment

NAME = "@payments"


def payment_json(request, payment: Payment) -> dict:
    """The JSON form of ``payment``."""
    translate = request.localizer.translate
    receipt = payment.receipt
    return {
        "@id": request.resource_url(request.root, NAME, payment.reference),
        "reference": payment.reference,
        "subject": payment.subject,
        "subject_kind": payment.subject_kind,
        "payer": {
            "name": payment.payer.name,
            "identifier": payment.payer.identifier,
            "address": payment.payer.address,
        },
        "amount": payment.amount,
        "currency": CURRENCY,
        "lines": [
            {"kind": line.kind, "code": line.code, "name": line.name, "amount": line.amount}
            for line in payment.lines
        ],
        "details": dict(payment.details),
        "state": payment.state,
        "state_title": translate(payment.state_title),
        "created": iso(payment.created),
        "provider": payment.provider or None,
        "transaction_id": payment.transaction_id or None,
        "bank_code": payment.bank_code or None,
        "paid_at": iso(payment.paid_at),
        "receipt": None
        if receipt is None
        else {
            "number": receipt.number,
            "issued": iso(receipt.issued),
            "total": receipt.total,
            "amounts": dict(receipt.amounts),
        },
        "history": [
            {"at": iso(c.at), "from": c.old, "to": c.new, "actor": c.actor, "note": c.note}
            for c in payment.history
        ],
    }


@api_view(context=INavigationRoot, name=NAME, request_method="GET", permission=MANAGE_PAYMENTS)
def payment_get(context, request):
    """One payment, by its reference: ``@payments/<reference>``."""
    if len(request.subpath) != 1:
        raise PaymentNotFound(_("Hãy nêu mã tham chiếu: @payments/<mã>."))
    return payment_json(request, get_payment(request.root, request.subpath[0]))


@api_view(context=INavigationRoot, name=NAME, require_csrf=False)
def payment_other_methods(context, request):
    """405: ``@payments`` only answers GET."""
    raise not_allowed("GET")
