"""Fees (phí, lệ phí) of a dossier, paid online through the kernel's payments
(:mod:`core.payments`) or at the counter.

``request_payment`` asks for the procedure's fees (or the lines the staff give)
and keeps the payment's reference on the dossier; when the payment platform
reports it paid, the dossier goes back to where it was by the ``pay``
transition, done by the system (:mod:`plugins.onestop.payment_events`)."""

from __future__ import annotations

from core.i18n import _
from core.operations import ValidationFailed
from core.payments import request_payment

#: The kind of subject the one-stop desk's payments are for.
SUBJECT_KIND = "dossier"


class FeeError(ValueError):
    """Fees that cannot be asked for; ``message`` says why."""

    def __init__(self, message, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


def fee_lines(request, dossier, given) -> list[dict]:
    """The lines asked for: ``given`` (rows ``{"name", "amount", "kind"?}``) or the
    procedure's fees with an amount."""
    if given is None:
        procedure = request.registry.cong_plugins.hook.cong_procedure(
            request=request, code=dossier.procedure_code
        )
        rows = [r for r in getattr(procedure, "fees", ()) if r.get("amount")]
        given = [{"name": r["name"], "amount": r["amount"]} for r in rows]
    if not isinstance(given, list) or not given or len(given) > 20:
        raise FeeError(_("Cần ít nhất một khoản phí, lệ phí có số tiền."), {"fees": "required"})
    lines = []
    for index, row in enumerate(given, start=1):
        if not isinstance(row, dict):
            raise FeeError(_("Mỗi khoản phí là một đối tượng."), {"fees": "invalid"})
        kind = row.get("kind", "le_phi")
        lines.append(
            {"kind": kind, "code": f"{dossier.procedure_code}-{index}", "name": row.get("name"),
             "amount": row.get("amount")}
        )  # fmt: skip
    return lines


def ask_for_fees(request, dossier, given=None) -> None:
    """Ask the applicant to pay: a payment for ``dossier``'s fees, its reference
    and total kept on the dossier. :class:`FeeError` for lines refused."""
    lines = fee_lines(request, dossier, given)
    payer = {"name": dossier.applicant.full_name, "identifier": dossier.applicant.id_number,
             "address": dossier.applicant.address}  # fmt: skip
    try:
        payment = request_payment(
            request, dossier.code, SUBJECT_KIND, payer, lines,
            details={"MaTTHC": dossier.procedure_code, "MaDonVi": dossier.processing_unit,
                     "MaHoSo": dossier.code},
        )  # fmt: skip
    except ValidationFailed as error:
        raise FeeError(_("Khoản phí, lệ phí không hợp lệ."), error.errors) from None
    dossier.payment_reference = payment.reference
    dossier.fee_total = payment.amount
