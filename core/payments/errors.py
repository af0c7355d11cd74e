"""The errors of the payment service: each carries the status it is answered with.

Raised by the model and the views alike; :mod:`core.payments.views` answers them
as JSON ``{"type", "message"}`` (or an error page for a browser), and pyramid_tm
aborts the transaction of a request that ended in one: nothing is stored.
"""

from __future__ import annotations

from pyramid.i18n import TranslationString


class PaymentError(Exception):
    """A refused payment operation: ``status`` (4xx), ``type`` (``BadRequest``...)
    and a ``message`` for people."""

    status = 400
    type = "BadRequest"

    def __init__(self, message: TranslationString | str):
        super().__init__(message)
        self.message = message


class PaymentNotFound(PaymentError):
    """No payment has the reference asked for."""

    status = 404
    type = "NotFound"


class PaymentConflict(PaymentError):
    """The payment's state forbids the operation (paying a cancelled payment, a
    second transaction for a paid one)."""

    status = 409
    type = "Conflict"


class PaymentUnavailable(PaymentError):
    """No provider can take the payment now: none is configured, its settings are
    missing, or its platform cannot be reached."""

    status = 503
    type = "ServiceUnavailable"
