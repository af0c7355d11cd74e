"""The payments of a site, with their indexes: ``site.payments``.

Three B-trees: the payments by reference; the references of each subject (a
dossier's payments); and the payments waiting for their platform's answer, by the
time their transaction started, which ``cong payments check`` walks. Payments are
persistent objects of their own, so two payments changing at once never conflict;
two answers about one payment at once do, and the one committed second is tried
again and sees the first.

The built-in sandbox keeps its own records of its transactions here too
(``sandbox``: reference -> the callback it sent), as a real platform keeps its own.
"""

from __future__ import annotations

from datetime import datetime

from BTrees.OOBTree import OOBTree, OOTreeSet
from persistent import Persistent

from core.payments.model import WAITING, Payment

#: The evolve step giving the site its payment store.
EVOLVE_STEP = "core-payments-0001-create"


class PaymentStore(Persistent):
    """The site's payments (see the module docstring)."""

    def __init__(self):
        self.payments = OOBTree()  # reference -> Payment
        self.by_subject = OOBTree()  # subject -> OOTreeSet of references
        self.waiting = OOTreeSet()  # (transaction started, reference)
        self.sandbox = OOBTree()  # reference -> the sandbox's record

    def add(self, payment: Payment) -> None:
        """Keep a new payment (its reference must be new)."""
        if payment.reference in self.payments:
            raise KeyError(f"payment {payment.reference} exists")
        self.payments[payment.reference] = payment
        refs = self.by_subject.get(payment.subject)
        if refs is None:
            refs = self.by_subject[payment.subject] = OOTreeSet()
        refs.add(payment.reference)

    def get(self, reference: str) -> Payment | None:
        return self.payments.get(reference) if isinstance(reference, str) else None

    def for_subject(self, subject: str) -> list[Payment]:
        """The payments of ``subject``, oldest first."""
        refs = self.by_subject.get(subject, ())
        return sorted((self.payments[r] for r in refs), key=lambda p: p.created)

    def reindex(self, payment: Payment, old_state: str, old_initiated: datetime | None) -> None:
        """Keep the waiting index right after ``payment`` changed state or
        started a new transaction."""
        if old_state == WAITING and old_initiated is not None:
            self.waiting.remove((old_initiated, payment.reference))
        if payment.state == WAITING:
            self.waiting.add((payment.initiated, payment.reference))

    def waiting_between(self, start: datetime, end: datetime) -> list[Payment]:
        """The waiting payments whose transaction started from ``start`` to ``end``."""
        keys = self.waiting.keys(min=(start, ""), max=(end, "\uffff"))
        return [self.payments[reference] for _started, reference in keys]


def create_store(site) -> None:
    """Evolve step: give ``site`` its (empty) payment store."""
    if getattr(site, "payments", None) is None:
        site.payments = PaymentStore()


def store_of(site) -> PaymentStore:
    """The payment store of ``site`` (the root of the request)."""
    return site.payments
