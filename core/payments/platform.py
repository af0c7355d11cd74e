"""The messages of the national payment platform (v1.0.6, as integrators publish
it), for the providers that speak it: the built-in sandbox, and a plugin connecting
the real platform.

- INIT (:func:`init_message`): LoaiBanTin, PhienBan, MaDoiTac, MaThamChieu, SoTien,
  LoaiHinhThanhToan=PAY, MaKenhThanhToan, MaTienTe=VND, NgonNgu, ThongTinGiaoDich,
  ThoiGianGD, Ip and the receipt block ThongTinBienLai; the platform answers the
  payment page's address, UrlThanhToan.
- The callback (:func:`read_callback`): the fields of :data:`CALLBACK_FIELDS` and
  MaXacThuc, the SHA-256 (hex) of those fields' values joined by ``|`` in that
  order, with the shared secret appended the same way::

      MaXacThuc = sha256("PAY|00|SANDBOX|20260315000001|50000|VND|SB1a2b|NCB|20260315093000|Nộp phí|" + secret)

  This field order is the one the sandbox uses; a provider whose platform orders
  them otherwise passes its own order to :func:`checksum` and :func:`read_callback`.

Times are ``yyyyMMddHHmmss`` in Vietnam's time zone. The names inside
ThongTinBienLai (receipt block) and the codes of the fee kinds are
*(unconfirmed)*: integrators publish them differently.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from core.clock import TIMEZONE
from core.payments.interfaces import CallbackResult, InvalidCallback
from core.payments.model import CURRENCY, Payment

VERSION = "1.0.6"
#: The format of the platform's times (``yyyyMMddHHmmss``), in :data:`TIMEZONE`.
TIME_FORMAT = "%Y%m%d%H%M%S"
#: The fields of a callback, in the order :func:`checksum` joins them.
CALLBACK_FIELDS = (
    "LoaiBanTin",
    "MaLoi",
    "MaDoiTac",
    "MaThamChieu",
    "SoTien",
    "MaTienTe",
    "MaGiaoDich",
    "MaNganHang",
    "ThoiGianGD",
    "ThongTinGiaoDich",
)
CHECKSUM_FIELD = "MaXacThuc"
#: The code of each fee kind in the receipt block (Loai).
FEE_KIND_CODES = {"phi": "1", "le_phi": "2"}


def platform_time(moment: datetime) -> str:
    """``moment`` as the platform writes times."""
    return moment.astimezone(TIMEZONE).strftime(TIME_FORMAT)


def parse_platform_time(text: str) -> datetime:
    """A platform time, aware (in UTC, as times are stored); ValueError when it is
    not one."""
    if len(text) != 14 or not (text.isascii() and text.isdigit()):
        raise ValueError(text)
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=TIMEZONE).astimezone(UTC)


def checksum(
    values: Mapping[str, str], secret: str, fields: Sequence[str] = CALLBACK_FIELDS
) -> str:
    """MaXacThuc of ``values``: SHA-256 (hex) of the ``fields`` joined by ``|``,
    the ``secret`` appended."""
    joined = "|".join([*(str(values.get(name, "")) for name in fields), secret])
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def signed(values: Mapping[str, str], secret: str, fields: Sequence[str] = CALLBACK_FIELDS) -> dict:
    """``values`` with their MaXacThuc."""
    return {**values, CHECKSUM_FIELD: checksum(values, secret, fields)}


def init_message(
    request, payment: Payment, partner: str, channel: str, now: datetime, language: str = "vi"
) -> dict:
    """The INIT message for ``payment``, from ``partner`` (MaDoiTac) through
    ``channel`` (MaKenhThanhToan), sent at ``now``."""
    payer = payment.payer
    receipt = {
        **payment.details,
        "MaHoSo": payment.subject,
        "HoTenNguoiNop": payer.name,
        "SoDinhDanhNguoiNop": payer.identifier,
        "DiaChiNguoiNop": payer.address,
        "PhiLePhi": [
            {
                "Loai": FEE_KIND_CODES[line.kind],
                "Ma": line.code,
                "Ten": line.name,
                "SoTien": line.amount,
            }
            for line in payment.lines
        ],
    }
    return {
        "LoaiBanTin": "INIT",
        "PhienBan": VERSION,
        "MaDoiTac": partner,
        "MaThamChieu": payment.reference,
        "SoTien": payment.amount,
        "LoaiHinhThanhToan": "PAY",
        "MaKenhThanhToan": channel,
        "MaTienTe": CURRENCY,
        "NgonNgu": language,
        "ThongTinGiaoDich": description(payment),
        "ThoiGianGD": platform_time(now),
        "Ip": request.client_addr or "",
        "ThongTinBienLai": receipt,
    }


def description(payment: Payment) -> str:
    """ThongTinGiaoDich: what is paid for, without the payer's data."""
    return f"Thanh toan {payment.reference} ({payment.subject})"


def read_callback(
    params: Mapping[str, str], secret: str, fields: Sequence[str] = CALLBACK_FIELDS
) -> CallbackResult:
    """The :class:`CallbackResult` of a callback's ``params``, once its MaXacThuc
    matches; :class:`InvalidCallback` otherwise, or when a field is missing or
    malformed. A provider without its secret refuses every callback."""
    if not secret:
        raise InvalidCallback("the payment secret is not configured: no callback is accepted")
    values = {}
    for name in (*fields, CHECKSUM_FIELD):
        value = params.get(name)
        if not isinstance(value, str):
            raise InvalidCallback(f"the field {name} is missing")
        values[name] = value
    expected = checksum(values, secret, fields)
    given = values[CHECKSUM_FIELD].strip().lower().encode("utf-8")
    if not hmac.compare_digest(expected.encode("ascii"), given):
        raise InvalidCallback("the checksum (MaXacThuc) does not match")
    if values["MaTienTe"] != CURRENCY:
        raise InvalidCallback(f"the currency (MaTienTe) must be {CURRENCY}")
    amount = values["SoTien"]
    if not (amount.isascii() and amount.isdigit() and len(amount) <= 15):
        raise InvalidCallback("the amount (SoTien) must be a whole number of VND")
    try:
        when = parse_platform_time(values["ThoiGianGD"])
    except ValueError:
        raise InvalidCallback("the time (ThoiGianGD) must be written yyyyMMddHHmmss") from None
    return CallbackResult(
        reference=values["MaThamChieu"],
        amount=int(amount),
        transaction_id=values["MaGiaoDich"],
        error_code=values["MaLoi"],
        bank_code=values["MaNganHang"],
        time=when,
    )
