"""A payment: fees and charges (phí, lệ phí) one payer owes for one thing.

Amounts are whole Vietnamese đồng (``int``): the đồng has no smaller unit, and a
float would round. A payment's amount is the sum of its lines, fixed when it is
created. Its state moves along :data:`TRANSITIONS` only; every move is kept in its
``history``. Personal data (the payer's name, identifier and address) stays on the
object: it is never logged, indexed for search or listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from persistent import Persistent
from persistent.list import PersistentList

from core.i18n import _
from core.operations import ValidationFailed

NOT_PAID, WAITING, PAID, REFUNDED, CANCELLED = (
    "not_paid",
    "waiting",
    "paid",
    "refunded",
    "cancelled",
)
#: The states of a payment and their labels.
STATES = {
    NOT_PAID: _("Chưa thanh toán"),
    WAITING: _("Đang chờ thanh toán"),
    PAID: _("Đã thanh toán"),
    REFUNDED: _("Đã hoàn tiền"),
    CANCELLED: _("Đã hủy"),
}
#: The states each state may move to. A payer who gives up, or whose bank refuses,
#: goes from waiting back to not paid and may try again; cancelled and refunded
#: are final.
TRANSITIONS = {
    NOT_PAID: frozenset({WAITING, PAID, CANCELLED}),
    WAITING: frozenset({NOT_PAID, WAITING, PAID, CANCELLED}),  # WAITING: a new transaction
    PAID: frozenset({REFUNDED}),
    REFUNDED: frozenset(),
    CANCELLED: frozenset(),
}
#: The kinds of a fee line: a fee for a service (phí) or a charge for a state
#: act (lệ phí); each kind gets its own e-receipt.
FEE_KINDS = {"phi": _("Phí"), "le_phi": _("Lệ phí")}
#: The currency of every payment (MaTienTe).
CURRENCY = "VND"
#: The most text a payer's or a line's field may have.
MAX_TEXT = 300


@dataclass(frozen=True)
class Payer:
    """Who pays: their name, identifier (citizen ID or tax code) and address."""

    name: str
    identifier: str
    address: str = ""


@dataclass(frozen=True)
class FeeLine:
    """One fee of a payment (PhiLePhi): ``kind`` (a key of :data:`FEE_KINDS`), its
    ``code`` and ``name`` in the procedure, and its ``amount`` in whole VND."""

    kind: str
    code: str
    name: str
    amount: int


@dataclass(frozen=True)
class StateChange:
    """One move of a payment: when, from and to which state, who made it (a user's
    login, or ``provider:<name>`` for what a platform reported) and a note."""

    at: datetime
    old: str
    new: str
    actor: str
    note: str = ""


@dataclass(frozen=True)
class Receipt:
    """The record of a paid payment: its ``number``, when it was ``issued``, the
    ``total`` and the amount of each fee kind (``amounts``: ``(kind, amount)``
    pairs, one e-receipt each)."""

    number: str
    issued: datetime
    total: int
    amounts: tuple[tuple[str, int], ...]


class Payment(Persistent):
    """A payment, kept in the site's :class:`core.payments.store.PaymentStore`.

    ``reference`` (MaThamChieu) names it; ``subject`` is the code or uid of what is
    paid for and ``subject_kind`` says what that is (``"dossier"``...), so the
    plugin that asked finds its object again; ``details`` are the codes the
    receipt names (``MaTTHC``, ``MaDVC``, ``MaDonVi``...). ``provider`` is the provider its last
    transaction went through, ``transaction_id`` (MaGiaoDich), ``bank_code``
    (MaNganHang) and ``paid_at`` what the platform said of the paying one;
    ``receipt`` is set when it is paid."""

    def __init__(
        self,
        reference: str,
        subject: str,
        subject_kind: str,
        payer: Payer,
        lines: tuple[FeeLine, ...],
        created: datetime,
        return_url: str = "",
        details: dict[str, str] | None = None,
    ):
        self.reference = reference
        self.subject = subject
        self.subject_kind = subject_kind
        self.payer = payer
        self.lines = lines
        self.amount = sum(line.amount for line in lines)
        self.created = created
        self.return_url = return_url
        self.details = dict(details or {})
        self.state = NOT_PAID
        self.history = PersistentList()
        self.provider = ""
        self.initiated: datetime | None = None
        self.transaction_id = ""
        self.bank_code = ""
        self.paid_at: datetime | None = None
        self.receipt: Receipt | None = None

    @property
    def state_title(self):
        """The label of the payment's state."""
        return STATES[self.state]

    def amounts_by_kind(self) -> tuple[tuple[str, int], ...]:
        """``(kind, amount)`` for each fee kind of the lines, in :data:`FEE_KINDS` order."""
        totals = {kind: 0 for kind in FEE_KINDS}
        for line in self.lines:
            totals[line.kind] += line.amount
        return tuple((kind, total) for kind, total in totals.items() if total)


# checking what a caller gives ----------------------------------------------------------
def whole_vnd(value, field: str) -> int:
    """``value`` if it is a whole number of đồng above zero; ValidationFailed
    naming ``field`` otherwise (a float, a text, a bool, zero or less)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed({field: _("Số tiền phải là số nguyên đồng (VND).")})
    if value <= 0:
        raise ValidationFailed({field: _("Số tiền phải lớn hơn 0.")})
    return value


def text_value(value, field: str, required: bool = True) -> str:
    """``value`` stripped, if it is text of at most :data:`MAX_TEXT` characters."""
    if not isinstance(value, str):
        raise ValidationFailed({field: _("Phải là chuỗi ký tự.")})
    value = value.strip()
    if required and not value:
        raise ValidationFailed({field: _("Bắt buộc nhập.")})
    if len(value) > MAX_TEXT:
        raise ValidationFailed({field: _("Quá dài.")})
    return value


def check_payer(payer: Payer | Mapping) -> Payer:
    """A :class:`Payer` from one or from a mapping ``{"name", "identifier", "address"?}``."""
    if isinstance(payer, Payer):
        payer = {"name": payer.name, "identifier": payer.identifier, "address": payer.address}
    if not isinstance(payer, Mapping):
        raise ValidationFailed({"payer": _("Thiếu thông tin người nộp.")})
    return Payer(
        name=text_value(payer.get("name"), "payer.name"),
        identifier=text_value(payer.get("identifier"), "payer.identifier"),
        address=text_value(payer.get("address", ""), "payer.address", required=False),
    )


def check_lines(lines: Iterable[FeeLine | Mapping]) -> tuple[FeeLine, ...]:
    """The fee lines, each a :class:`FeeLine` or a mapping of its fields, checked:
    a known kind, a code, a name and a whole amount above zero; at least one."""
    checked = []
    for n, line in enumerate(lines):
        if isinstance(line, FeeLine):
            line = vars(line)
        if not isinstance(line, Mapping):
            raise ValidationFailed({f"lines.{n}": _("Mỗi khoản phải có loại, mã, tên, số tiền.")})
        kind = line.get("kind")
        if kind not in FEE_KINDS:
            raise ValidationFailed({f"lines.{n}.kind": _("Loại khoản phải là phí hoặc lệ phí.")})
        checked.append(
            FeeLine(
                kind=kind,
                code=text_value(line.get("code"), f"lines.{n}.code"),
                name=text_value(line.get("name"), f"lines.{n}.name"),
                amount=whole_vnd(line.get("amount"), f"lines.{n}.amount"),
            )
        )
    if not checked:
        raise ValidationFailed({"lines": _("Cần ít nhất một khoản phí hoặc lệ phí.")})
    return tuple(checked)


def check_details(details: Mapping | None) -> dict[str, str]:
    """The receipt's codes (``{"MaTTHC": "1.001612", ...}``), text to text."""
    if details is None:
        return {}
    if not isinstance(details, Mapping) or len(details) > 20:
        raise ValidationFailed({"details": _("Phải là một bảng mã (tối đa 20 mục).")})
    return {
        text_value(key, "details"): text_value(value, f"details.{key}", required=False)
        for key, value in details.items()
    }


def amount_text(amount: int) -> str:
    """An amount as people read it: ``1.250.000 đ``."""
    return f"{amount:,}".replace(",", ".") + " đ"
