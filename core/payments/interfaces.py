"""What a payment provider is: the contract between the kernel and the plugins that
connect cong to a payment platform (the national one, a bank's gateway).

A provider is registered by name with ``config.add_payment_provider(name, provider)``
(in a plugin's ``cong_configure``), and the ini's ``cong.payment_provider`` chooses
the one new payments go through. The kernel keeps the payments, their states and
receipts (:mod:`core.payments.store`); the provider only speaks the platform's
language: it starts a transaction, checks what the platform sends back, and asks it
again about a transaction whose answer never came.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from zope.interface import Attribute, Interface


class InvalidCallback(Exception):
    """A provider's refusal of a callback: a checksum that does not match, a field
    missing or malformed. ``message`` says which (it is answered to the caller with a
    400 and logged; it must not quote the payer's data)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CallbackResult:
    """What the platform says of one transaction, checked by the provider.

    ``reference`` is the payment's reference (MaThamChieu), ``amount`` the whole
    VND the platform took (SoTien), ``transaction_id`` its transaction's id
    (MaGiaoDich), ``bank_code`` the payer's bank (MaNganHang), ``time`` when the
    platform settled it (ThoiGianGD, aware), ``error_code`` the platform's code
    (MaLoi, :data:`SUCCESS` when the payer paid). Any other code means the
    transaction failed or the payer gave up: the payment may be paid again."""

    reference: str
    amount: int
    transaction_id: str
    error_code: str
    bank_code: str = ""
    time: datetime | None = None

    @property
    def paid(self) -> bool:
        return self.error_code == SUCCESS


#: The platform's error code (MaLoi) of a successful payment.
SUCCESS = "00"


class IPaymentProvider(Interface):
    """A payment platform, as the kernel uses it. Implementations are plain objects
    (``@implementer(IPaymentProvider)``); they keep no state of their own between
    requests, except in the database when they must (the sandbox does)."""

    title = Attribute("What the platform is called, for people (a message of ``core.i18n._``).")

    def init(request, payment) -> str:
        """Start a transaction for ``payment`` (a :class:`core.payments.Payment`,
        not yet paid) on the platform (its INIT message), and return the address
        where the payer pays (its UrlThanhToan). The platform calls back
        :func:`core.payments.callback_url` of this provider. Raise
        :class:`core.payments.PaymentUnavailable` when the platform cannot be
        reached or refuses: nothing is then recorded."""

    def verify_callback(params) -> CallbackResult:
        """Check what the platform sent to the callback address (``params``: the
        query or form fields as a mapping of text, exactly as received) and return
        its :class:`CallbackResult`. The checksum (its fields, their order, the
        shared secret) is the provider's to know. Raise :class:`InvalidCallback` when
        the checksum does not match or a field is missing; compare checksums with
        :func:`hmac.compare_digest`."""

    def query(request, payment) -> CallbackResult | None:
        """Ask the platform again about ``payment``, started here and still waiting
        (its QUERY message): the :class:`CallbackResult` the platform gives, or None
        when it does not know the outcome yet. Called by ``cong payments check``
        for the payments waiting between 30 minutes and 3 days; raise
        :class:`core.payments.PaymentUnavailable` when the platform cannot be
        reached (the payment is asked again the next time)."""
