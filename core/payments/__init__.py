"""Online payment of fees (phí, lệ phí): a kernel service for the plugins that ask
for a payment (the one-stop desk, for a dossier's fees) and for those that connect
a payment platform.

::

    from core.payments import payment_url, payments_for, request_payment

    payment = request_payment(
        request,
        subject=dossier.code,
        kind="dossier",
        payer={"name": "Nguyễn Văn A", "identifier": "001085012345"},
        lines=[{"kind": "le_phi", "code": "LP01", "name": "Lệ phí cấp phép", "amount": 50000}],
        return_url=request.resource_url(dossier),
    )
    return HTTPSeeOther(payment_url(request, payment))  # the payer pays there

and, when it is paid, the hook ``cong_payment_changed(request, payment, old_state)``
reaches every plugin in the transaction of the change.

- :mod:`core.payments.model`: a :class:`Payment`, its fee lines, states, receipt;
- :mod:`core.payments.store`: the site's payments and their indexes (``site.payments``);
- :mod:`core.payments.service`: asking, paying, cancelling, refunding, and applying
  what a platform reports;
- :mod:`core.payments.interfaces`: :class:`IPaymentProvider`, what a provider is;
- :mod:`core.payments.providers`: ``config.add_payment_provider`` and the settings
  ``cong.payment_provider`` and ``cong.payment_secret``;
- :mod:`core.payments.platform`: the national payment platform's messages;
- :mod:`core.payments.sandbox`, :mod:`core.payments.sandbox_page`: the built-in
  sandbox platform and its page;
- :mod:`core.payments.callback`: ``/@payment-callback/<provider>``;
- :mod:`core.payments.api`: ``GET /@payments/<reference>`` (Managers);
- :mod:`core.payments.checks`: ``cong payments check`` (:mod:`core.payments.cli`).
"""

from pyramid.config import Configurator

from core.payments.errors import (
    PaymentConflict,
    PaymentError,
    PaymentNotFound,
    PaymentUnavailable,
)
from core.payments.interfaces import SUCCESS, CallbackResult, InvalidCallback, IPaymentProvider
from core.payments.model import (
    CANCELLED,
    FEE_KINDS,
    NOT_PAID,
    PAID,
    REFUNDED,
    STATES,
    WAITING,
    FeeLine,
    Payer,
    Payment,
    Receipt,
    StateChange,
)
from core.payments.providers import SANDBOX, callback_url, get_provider, payment_settings
from core.payments.service import (
    MANAGE_PAYMENTS,
    cancel,
    get_payment,
    payment_url,
    payments_for,
    refund,
    request_payment,
)

__all__ = [
    "CANCELLED",
    "FEE_KINDS",
    "MANAGE_PAYMENTS",
    "NOT_PAID",
    "PAID",
    "REFUNDED",
    "SANDBOX",
    "STATES",
    "SUCCESS",
    "WAITING",
    "CallbackResult",
    "FeeLine",
    "IPaymentProvider",
    "InvalidCallback",
    "Payer",
    "Payment",
    "PaymentConflict",
    "PaymentError",
    "PaymentNotFound",
    "PaymentUnavailable",
    "Receipt",
    "StateChange",
    "callback_url",
    "cancel",
    "get_payment",
    "get_provider",
    "payment_settings",
    "payment_url",
    "payments_for",
    "refund",
    "request_payment",
]


def includeme(config: Configurator) -> None:
    """The directive and settings, the sandbox, the store's evolve step, the views."""
    from core.payments.sandbox import SandboxProvider
    from core.payments.store import EVOLVE_STEP, create_store

    config.include("core.payments.providers")
    secret = payment_settings(config.registry).secret
    config.add_payment_provider(SANDBOX, SandboxProvider(secret))
    config.add_evolve_step(EVOLVE_STEP, create_store, new_sites=True)
    config.scan("core.payments", ignore=["core.payments.cli"])
