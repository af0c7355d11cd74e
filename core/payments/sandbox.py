"""The sandbox: a payment platform played by cong itself, for development, demos
and tests. Refused in production (:mod:`core.payments.providers`).

It speaks the national platform's messages (:mod:`core.payments.platform`). INIT
keeps the message in its own records (``site.payments.sandbox``) and answers the
address of its page, ``/@@payment-sandbox/<reference>?token=…`` (the token, an
HMAC of the reference, keeps others from guessing a payment's page). There the
payer chooses *Thanh toán* or *Hủy* (:mod:`core.payments.sandbox_page`); the
sandbox records the outcome as the callback it sends, signed with
``cong.payment_secret``, and sends the payer's browser to the callback address with
those fields (a GET, as a platform returns a payer to the merchant). Should the
browser never get there, ``cong payments check`` asks the sandbox (``query``),
which answers from its records.

The sandbox's codes: MaLoi ``00`` paid, ``24`` given up by the payer; bank
``SANDBOX``; transaction ids ``SB`` and 16 hexadecimal digits.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from persistent import Persistent
from zope.interface import implementer

from core import clock
from core.i18n import _
from core.payments.errors import PaymentUnavailable
from core.payments.interfaces import SUCCESS, CallbackResult, IPaymentProvider
from core.payments.model import CURRENCY, Payment
from core.payments.platform import init_message, platform_time, read_callback, signed
from core.payments.store import store_of

PARTNER = "SANDBOX"
#: MaLoi of a transaction the payer gave up.
GIVEN_UP = "24"
#: The page's view name.
PAGE = "payment-sandbox"


class SandboxRecord(Persistent):
    """What the sandbox knows of one payment's transaction: the INIT ``message``
    and, once the payer chose, the ``callback`` fields it sent (signed)."""

    def __init__(self, message: dict):
        self.message = message
        self.callback: dict | None = None


@implementer(IPaymentProvider)
class SandboxProvider:
    """The sandbox provider; ``secret`` is ``cong.payment_secret`` (without one it
    starts no transaction and accepts no callback)."""

    title = _("Cổng thanh toán thử nghiệm")

    def __init__(self, secret: str):
        self._secret = secret

    def init(self, request, payment: Payment) -> str:
        if not self._secret:
            raise PaymentUnavailable(
                _("Chưa cấu hình khóa bí mật thanh toán (cong.payment_secret).")
            )
        message = init_message(
            request, payment, PARTNER, PARTNER, clock.now(), request.locale_name or "vi"
        )
        store_of(request.root).sandbox[payment.reference] = SandboxRecord(message)
        query = {"token": self.token(payment.reference)}
        return request.resource_url(request.root, "@@" + PAGE, payment.reference, query=query)

    def verify_callback(self, params) -> CallbackResult:
        return read_callback(params, self._secret)

    def query(self, request, payment: Payment) -> CallbackResult | None:
        record = self.record(request, payment.reference)
        if record is None or record.callback is None:
            return None
        return self.verify_callback(record.callback)

    # the sandbox's page ------------------------------------------------------------------
    def token(self, reference: str) -> str:
        """The token of the page of ``reference``."""
        data = f"payment-sandbox:{reference}".encode()
        return hmac.new(self._secret.encode(), data, hashlib.sha256).hexdigest()[:32]

    def token_matches(self, reference: str, token) -> bool:
        if not self._secret or not isinstance(token, str):
            return False
        return hmac.compare_digest(self.token(reference).encode(), token.encode("utf-8"))

    def record(self, request, reference: str) -> SandboxRecord | None:
        return store_of(request.root).sandbox.get(reference)

    def choose(self, request, record: SandboxRecord, pay: bool) -> dict:
        """Record the payer's choice as the signed callback fields the sandbox
        sends, and return them."""
        message = record.message
        fields = {
            "LoaiBanTin": "PAY",
            "MaLoi": SUCCESS if pay else GIVEN_UP,
            "MaDoiTac": PARTNER,
            "MaThamChieu": message["MaThamChieu"],
            "SoTien": str(message["SoTien"]),
            "MaTienTe": CURRENCY,
            "MaGiaoDich": "SB" + secrets.token_hex(8).upper(),
            "MaNganHang": "SANDBOX",
            "ThoiGianGD": platform_time(clock.now()),
            "ThongTinGiaoDich": message["ThongTinGiaoDich"],
        }
        record.callback = signed(fields, self._secret)
        return record.callback
