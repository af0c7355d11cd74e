"""The sandbox's payment page: ``/@@payment-sandbox/<reference>?token=…``.

It shows what is paid (reference, fee lines, total: never the payer's data) and
two buttons, *Thanh toán* and *Hủy*, in a form with its CSRF token. The choice is
recorded by the sandbox (:meth:`SandboxProvider.choose`) and the browser is sent
(303) to the callback address with the signed fields. Choosing again sends the
same fields: the sandbox never makes two transactions of one page. A wrong token,
an unknown payment or one the sandbox did not start is a 404.
"""

from __future__ import annotations

from urllib.parse import urlencode

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from core.i18n import _
from core.interfaces import INavigationRoot
from core.payments.errors import PaymentConflict, PaymentError, PaymentNotFound
from core.payments.model import FEE_KINDS, WAITING, Payment, amount_text
from core.payments.providers import SANDBOX, callback_url, get_provider
from core.payments.sandbox import PAGE, SandboxProvider, SandboxRecord
from core.payments.service import get_payment
from core.permissions import VIEW

NOT_FOUND = _("Không tìm thấy giao dịch thanh toán này.")


def page_parts(request) -> tuple[SandboxProvider, Payment, SandboxRecord, str]:
    """The sandbox, the payment, its record and the token of the page asked for;
    PaymentNotFound (404) unless the token is the reference's."""
    sandbox = get_provider(request.registry, SANDBOX)
    token = request.params.get("token")
    if sandbox is None or len(request.subpath) != 1:
        raise PaymentNotFound(NOT_FOUND)
    reference = request.subpath[0]
    if not sandbox.token_matches(reference, token):
        raise PaymentNotFound(NOT_FOUND)
    payment = get_payment(request.root, reference)
    record = sandbox.record(request, reference)
    if record is None or payment.provider != SANDBOX:
        raise PaymentNotFound(NOT_FOUND)
    return sandbox, payment, record, token


@view_config(
    context=INavigationRoot,
    name=PAGE,
    renderer="payment_sandbox.pt",
    request_method=("GET", "HEAD"),
    permission=VIEW,
)
def sandbox_page(context, request):
    """The page: what is paid, and the two buttons while it is waiting."""
    _sandbox, payment, record, token = page_parts(request)
    translate = request.localizer.translate
    request.response.headers["Cache-Control"] = "no-store"
    return {
        "reference": payment.reference,
        "total": amount_text(payment.amount),
        "lines": [
            {
                "kind": translate(FEE_KINDS[line.kind]),
                "code": line.code,
                "name": line.name,
                "amount": amount_text(line.amount),
            }
            for line in payment.lines
        ],
        "state": translate(payment.state_title),
        "open": payment.state == WAITING and record.callback is None,
        "token": token,
        "action": request.resource_url(request.root, "@@" + PAGE, payment.reference),
    }


@view_config(context=INavigationRoot, name=PAGE, request_method="POST", permission=VIEW)
def sandbox_choice(context, request):
    """The payer's choice (``choice``: ``pay`` or ``cancel``), then to the callback."""
    sandbox, payment, record, _token = page_parts(request)
    if record.callback is None:
        if payment.state != WAITING:
            raise PaymentConflict(_("Khoản thanh toán này không còn chờ thanh toán."))
        choice = request.POST.get("choice")
        if choice not in ("pay", "cancel"):
            raise PaymentError(_("Hãy chọn Thanh toán hoặc Hủy."))
        sandbox.choose(request, record, pay=choice == "pay")
    target = callback_url(request, SANDBOX) + "?" + urlencode(record.callback)
    return HTTPSeeOther(location=target)
