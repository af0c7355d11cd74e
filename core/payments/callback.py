"""The callback address of each provider: ``/@payment-callback/<provider>``.

The platform calls it (GET with the fields in the query, or a form POST) when a
transaction ends; the sandbox sends the payer's browser to it. The provider checks
the fields (:meth:`IPaymentProvider.verify_callback`), then the kernel applies the
outcome (:func:`core.payments.service.apply_result`):

- 200 ``{"MaLoi": "00", "MoTaLoi", "MaThamChieu", "TrangThai"}`` when it is applied,
  and the same answer when it was already (a replay: nothing is recorded twice); a
  browser (``Accept: text/html``) is sent (303) to the payment's return address;
- 400 for a checksum that does not match, a missing field or an amount that is not
  the payment's; 404 for an unknown provider or reference; 409 for a payment paid
  by another transaction, or cancelled, that the platform says is paid.

Errors are JSON ``{"type", "message"}`` here, whatever the caller accepts; nothing
is changed by a refused callback. No CSRF token: the checksum authenticates it.
"""

from __future__ import annotations

import logging

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.response import Response
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import exception_view_config, view_config

from core.errors import error_response
from core.i18n import _
from core.interfaces import INavigationRoot
from core.payments.errors import PaymentError, PaymentNotFound
from core.payments.interfaces import SUCCESS, InvalidCallback
from core.payments.model import Payment
from core.payments.providers import CALLBACK, get_provider
from core.payments.service import apply_result
from core.views.forms import flash

log = logging.getLogger(__name__)


def callback_answer(request, payment: Payment) -> dict:
    """The answer to a callback applied to ``payment`` (the same for a replay)."""
    return {
        "MaLoi": SUCCESS,
        "MoTaLoi": request.localizer.translate(_("Đã ghi nhận.")),
        "MaThamChieu": payment.reference,
        "TrangThai": payment.state,
    }


def from_browser(request) -> bool:
    return "text/html" in request.headers.get("Accept", "")


@view_config(
    context=INavigationRoot,
    name=CALLBACK,
    request_method=("GET", "POST"),
    renderer="json",
    require_csrf=False,
    permission=NO_PERMISSION_REQUIRED,
)
def payment_callback(context, request):
    """Apply what a provider's platform reports of a transaction."""
    name = request.subpath[0] if len(request.subpath) == 1 else ""
    provider = get_provider(request.registry, name) if name else None
    if provider is None:
        raise PaymentNotFound(_("Không có nhà cung cấp thanh toán này."))
    params = request.GET if request.method == "GET" else request.POST
    try:
        result = provider.verify_callback(params)
    except InvalidCallback as exc:
        log.warning("callback to %s refused: %s", name, exc.message)
        raise PaymentError(
            _("Dữ liệu thanh toán gửi về không hợp lệ: ${reason}.", mapping={"reason": exc.message})
        ) from None
    payment = apply_result(request, result, f"provider:{name}")
    if from_browser(request):
        flash(
            request,
            _(
                "Khoản thanh toán ${reference}: ${state}.",
                mapping={
                    "reference": payment.reference,
                    "state": request.localizer.translate(payment.state_title),
                },
            ),
        )
        return HTTPSeeOther(location=payment.return_url or request.resource_url(request.root))
    request.response.headers["Cache-Control"] = "no-store"
    return callback_answer(request, payment)


@exception_view_config(PaymentError)
def payment_error_view(exc: PaymentError, request):
    """A refused payment operation: JSON ``{"type", "message"}`` for the callback and
    the API, an error page for a browser elsewhere."""
    message = request.localizer.translate(exc.message)
    if request.view_name == CALLBACK:
        return Response(json_body={"type": exc.type, "message": message}, status=exc.status)
    return error_response(request, exc.status, exc.type, message)
