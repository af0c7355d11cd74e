"""What plugins do with payments: ask for one, send the payer to pay it, find the
payments of what they keep, cancel or refund one; and what the kernel does when a
platform reports on a transaction.

Every change of state is recorded in the payment's history and reaches plugins as
the hook ``cong_payment_changed(request, payment, old_state)``, in the transaction
of the change. Logs name payments by reference only, never their payer.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from core import clock
from core.i18n import _
from core.operations import require
from core.payments.errors import PaymentConflict, PaymentError, PaymentNotFound
from core.payments.interfaces import CallbackResult
from core.payments.model import (
    CANCELLED,
    NOT_PAID,
    PAID,
    REFUNDED,
    TRANSITIONS,
    WAITING,
    FeeLine,
    Payer,
    Payment,
    Receipt,
    StateChange,
    check_details,
    check_lines,
    check_payer,
    text_value,
)
from core.payments.providers import active_provider
from core.payments.store import store_of
from core.sequences import next_number

log = logging.getLogger(__name__)

#: Who may cancel and refund payments, and read them whole (Managers).
MANAGE_PAYMENTS = "manage_payments"


def new_reference(site) -> str:
    """A new MaThamChieu: the day and its number, ``20260315000042``."""
    now = clock.now()
    number = next_number(site, "payment", "", period="day", now=now)
    return f"{now.astimezone(clock.TIMEZONE):%Y%m%d}{number:06d}"


def request_payment(
    request,
    subject: str,
    kind: str,
    payer: Payer | Mapping,
    lines: Iterable[FeeLine | Mapping],
    return_url: str = "",
    details: Mapping[str, str] | None = None,
) -> Payment:
    """A new payment (not paid yet) of ``lines`` by ``payer`` for ``subject`` (the
    code or uid of what is paid for) of ``kind`` (``"dossier"``...).

    ``payer`` is a :class:`Payer` or ``{"name", "identifier", "address"?}``;
    ``lines`` are :class:`FeeLine` or ``{"kind", "code", "name", "amount"}``
    (``kind``: ``"phi"`` or ``"le_phi"``; ``amount``: whole VND above zero). The
    payment's amount is their sum. ``return_url`` is where the payer's browser goes
    back to once the platform answered; ``details`` the codes its receipt names
    (``MaTTHC``, ``MaDVC``, ``MaDonVi``). ValidationFailed (400) names a refused
    value. The caller checks who may ask: no permission is checked here."""
    subject = text_value(subject, "subject")
    kind = text_value(kind, "subject_kind")
    payment = Payment(
        reference=new_reference(request.root),
        subject=subject,
        subject_kind=kind,
        payer=check_payer(payer),
        lines=check_lines(lines),
        created=clock.now(),
        return_url=text_value(return_url, "return_url", required=False),
        details=check_details(details),
    )
    store_of(request.root).add(payment)
    log.info("payment %s requested for %s %s", payment.reference, kind, subject)
    return payment


def payment_url(request, payment: Payment) -> str:
    """Start a transaction for ``payment`` with the active provider and return the
    address where the payer pays; the payment is then waiting. PaymentConflict
    (409) when it is paid, refunded or cancelled; PaymentUnavailable (503) when no
    provider can take it."""
    if WAITING not in TRANSITIONS[payment.state]:
        raise PaymentConflict(
            _("Khoản thanh toán ${reference} ${state}.", mapping=state_mapping(payment))
        )
    name, provider = active_provider(request.registry)
    url = provider.init(request, payment)
    old_state, old_initiated = payment.state, payment.initiated
    payment.provider = name
    payment.initiated = clock.now()
    if old_state == WAITING:  # a new transaction: the state stays
        store_of(request.root).reindex(payment, old_state, old_initiated)
    else:
        change_state(
            request, payment, WAITING, f"provider:{name}", reindexed=(old_state, old_initiated)
        )
    return url


def payments_for(site, subject: str) -> list[Payment]:
    """The payments asked for ``subject``, oldest first."""
    return store_of(site).for_subject(subject)


def get_payment(site, reference: str) -> Payment:
    """The payment of ``reference``; PaymentNotFound (404) when there is none."""
    payment = store_of(site).get(reference)
    if payment is None:
        raise PaymentNotFound(
            _("Không có khoản thanh toán mã ${reference}.", mapping={"reference": reference})
        )
    return payment


def cancel(request, payment: Payment, note: str = "") -> None:
    """Cancel a payment not paid yet (the fee was waived, the dossier withdrawn), for
    Managers (HTTPForbidden otherwise); PaymentConflict when it is paid or over. A
    platform that reports it paid afterwards is answered 409."""
    require(request, MANAGE_PAYMENTS, request.root)
    manage(request, payment, CANCELLED, note)


def refund(request, payment: Payment, note: str = "") -> None:
    """Record that a paid payment's money was given back, for Managers
    (HTTPForbidden otherwise); PaymentConflict when it is not paid."""
    require(request, MANAGE_PAYMENTS, request.root)
    manage(request, payment, REFUNDED, note)


def manage(request, payment: Payment, new_state: str, note: str) -> None:
    if new_state not in TRANSITIONS[payment.state]:
        raise PaymentConflict(
            _("Khoản thanh toán ${reference} ${state}.", mapping=state_mapping(payment))
        )
    actor = getattr(request.identity, "login", "") or "system"
    change_state(request, payment, new_state, actor, text_value(note, "note", required=False))


def state_mapping(payment: Payment) -> dict:
    return {"reference": payment.reference, "state": STATE_PHRASES[payment.state]}


#: A payment's state, in a sentence ("Khoản thanh toán 2026… đã được thanh toán.").
STATE_PHRASES = {
    NOT_PAID: _("chưa được thanh toán"),
    WAITING: _("đang chờ thanh toán"),
    PAID: _("đã được thanh toán"),
    REFUNDED: _("đã được hoàn tiền"),
    CANCELLED: _("đã bị hủy"),
}


# what a platform reports ---------------------------------------------------------------
def apply_result(request, result: CallbackResult, actor: str) -> Payment:
    """Apply what a platform reported of a transaction (a callback, or the answer to
    a query) to its payment, and return it.

    PaymentNotFound (404) for an unknown reference; PaymentError (400) when the
    amount is not the payment's; PaymentConflict (409) when the payment is paid by
    another transaction, or cancelled or refunded and the platform says it was paid.
    A report already applied (the same transaction, the same outcome) changes
    nothing: the caller answers it as the first time."""
    payment = get_payment(request.root, result.reference)
    if result.amount != payment.amount:
        raise PaymentError(
            _(
                "Số tiền ${amount} không khớp với khoản thanh toán ${reference} (${expected}).",
                mapping={
                    "amount": result.amount,
                    "reference": payment.reference,
                    "expected": payment.amount,
                },
            )
        )
    if payment.state in (PAID, REFUNDED):
        if payment.transaction_id == result.transaction_id:
            return payment  # a replay
        log.warning(
            "payment %s: transaction %s reported after %s paid it",
            payment.reference,
            result.transaction_id,
            payment.transaction_id,
        )
        raise PaymentConflict(
            _("Khoản thanh toán ${reference} ${state}.", mapping=state_mapping(payment))
        )
    if payment.state == CANCELLED:
        if result.paid:
            log.warning("payment %s: paid after it was cancelled", payment.reference)
            raise PaymentConflict(
                _("Khoản thanh toán ${reference} ${state}.", mapping=state_mapping(payment))
            )
        return payment
    if not result.paid:
        if payment.state == WAITING:
            payment.transaction_id = result.transaction_id
            change_state(request, payment, NOT_PAID, actor, f"MaLoi {result.error_code}")
        return payment
    payment.transaction_id = result.transaction_id
    payment.bank_code = result.bank_code
    payment.paid_at = result.time or clock.now()
    payment.receipt = make_receipt(request.root, payment)
    change_state(request, payment, PAID, actor)
    return payment


def make_receipt(site, payment: Payment) -> Receipt:
    """The receipt of a payment paid now, numbered ``BL2026000042`` in the year."""
    now = clock.now()
    number = next_number(site, "payment-receipt", "", period="year", now=now)
    return Receipt(
        number=f"BL{now.astimezone(clock.TIMEZONE):%Y}{number:06d}",
        issued=now,
        total=payment.amount,
        amounts=payment.amounts_by_kind(),
    )


def change_state(
    request,
    payment: Payment,
    new_state: str,
    actor: str,
    note: str = "",
    reindexed: tuple | None = None,
) -> None:
    """Move ``payment`` to ``new_state``, record it, keep the indexes, and call
    ``cong_payment_changed``. ``reindexed``: the state and start of transaction the
    indexes know it by, when the caller changed them first."""
    old_state, old_initiated = reindexed or (payment.state, payment.initiated)
    payment.state = new_state
    payment.history.append(StateChange(clock.now(), old_state, new_state, actor, note))
    store_of(request.root).reindex(payment, old_state, old_initiated)
    log.info("payment %s: %s -> %s (%s)", payment.reference, old_state, new_state, actor)
    request.registry.cong_plugins.hook.cong_payment_changed(
        request=request, payment=payment, old_state=old_state
    )
