"""Checking the signatures of a received PDF: who signed and when, whether the
certificate chains to a trust root of the settings, whether the signature is
intact, and whether the file changed after signing. Offline: no certificate,
revocation list or OCSP answer is fetched."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import (
    EmbeddedPdfSignature,
    SignatureCoverageLevel,
    validate_pdf_signature,
)
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext

from core.formatting import local_date
from core.i18n import _
from plugins.documents.signatures import SignatureSettings, VerificationError, read_pdf

logger = logging.getLogger(__name__)

#: What a report says of the signer's certificate.
TRUSTED, UNTRUSTED, EXPIRED, NO_TRUST_ROOTS = "trusted", "untrusted", "expired", "no_trust_roots"
#: What a report says of the signature's coverage.
ENTIRE_FILE, ENTIRE_REVISION, PARTIAL = "entire_file", "entire_revision", "partial"
#: Modification levels after signing that leave what was signed as it was: none,
#: or validation data (DSS, document timestamps).
UNCHANGED = {ModificationLevel.NONE.name.lower(), ModificationLevel.LTA_UPDATES.name.lower()}
#: Signatures added or form fields filled after this one, nothing else.
FORM_FILLING = ModificationLevel.FORM_FILLING.name.lower()
#: Certificates accepted for signing documents: non-repudiation or digital signature.
KEY_USAGE = KeyUsageConstraints(key_usage={"non_repudiation", "digital_signature"})


@dataclass(frozen=True)
class SignatureReport:
    """What one signature of a PDF says and how it stands. ``intact``: the
    signature is cryptographically valid over the bytes it covers; ``coverage``:
    ``entire_file``, ``entire_revision`` (updates were appended after it) or
    ``partial``; ``modification``: pyHanko's judgment of those updates (``none``,
    ``lta_updates``, ``form_filling``, ``annotations``, ``other``, None when
    unknown); ``trust``: ``trusted``, ``untrusted``, ``expired``, or
    ``no_trust_roots`` when none are configured. A signature that cannot even be read
    has ``unreadable`` set and nothing else."""

    field: str
    signer_name: str = ""
    signer_organisation: str = ""
    signing_time: datetime | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    trust: str = UNTRUSTED
    intact: bool = False
    coverage: str = PARTIAL
    modification: str | None = None
    docmdp_ok: bool | None = None
    unreadable: bool = False

    @property
    def changed_after_signing(self) -> bool:
        """The file was changed after signing beyond what a later signature or
        validation data add: what was signed may not be what is shown."""
        if self.coverage == ENTIRE_FILE:
            return False
        return (
            self.coverage == PARTIAL
            or self.docmdp_ok is False
            or self.modification not in UNCHANGED | {FORM_FILLING}
        )

    @property
    def signed_again(self) -> bool:
        """Other signatures (or form values) were added after this one, nothing else."""
        return self.modification == FORM_FILLING and not self.changed_after_signing

    @property
    def valid(self) -> bool:
        """Intact, by a trusted certificate, and the file not changed since."""
        return self.intact and self.trust == TRUSTED and not self.changed_after_signing

    @property
    def summary(self):
        """One line for people (a message to translate)."""
        signer = self.signer_name or self.signer_organisation or "?"
        mapping = {
            "signer": signer,
            "time": local_date(self.signing_time, with_time=True) or "?",
            "date": local_date(self.valid_until),
        }
        if self.unreadable:
            return _("Chữ ký không hợp lệ: không đọc được chữ ký trong tệp.")
        if not self.intact:
            return _(
                "Chữ ký không hợp lệ: nội dung tệp không khớp với chữ ký của ${signer}.",
                mapping=mapping,
            )
        if self.changed_after_signing:
            return _(
                "Tệp đã bị sửa sau khi ký (chữ ký của ${signer} lúc ${time}).", mapping=mapping
            )
        if self.trust == EXPIRED:
            return _(
                "Chưa xác thực được: chứng thư số của ${signer} đã hết hạn ngày ${date}.",
                mapping=mapping,
            )
        if self.trust == NO_TRUST_ROOTS:
            return _(
                "Chữ ký nguyên vẹn, ký bởi ${signer} lúc ${time}; chưa cấu hình chứng thư "
                "gốc tin cậy để xác thực chứng thư số.",
                mapping=mapping,
            )
        if self.trust != TRUSTED:
            return _(
                "Chưa xác thực được: chứng thư số của ${signer} không do tổ chức chứng "
                "thực tin cậy cấp.",
                mapping=mapping,
            )
        if self.signed_again:
            return _(
                "Hợp lệ: ký bởi ${signer} lúc ${time}; sau đó tệp được ký thêm.",
                mapping=mapping,
            )
        return _("Hợp lệ: ký bởi ${signer} lúc ${time}.", mapping=mapping)


def _names(certificate) -> tuple[str, str]:
    subject = certificate.subject.native
    values = []
    for key in ("common_name", "organization_name"):
        value = subject.get(key) or ""
        values.append(", ".join(value) if isinstance(value, list) else str(value))
    return values[0], values[1]


def _trust(settings: SignatureSettings, status) -> str:
    if status.trusted:
        return TRUSTED
    if not settings.trust_roots:
        return NO_TRUST_ROOTS
    certificate, moment = status.signing_cert, status.validation_time
    if moment is not None and certificate.not_valid_after < moment:
        return EXPIRED
    return UNTRUSTED


def _coverage(status) -> str:
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return ENTIRE_FILE
    if status.coverage == SignatureCoverageLevel.ENTIRE_REVISION:
        return ENTIRE_REVISION
    return PARTIAL


def _report(settings: SignatureSettings, embedded: EmbeddedPdfSignature) -> SignatureReport:
    context = ValidationContext(trust_roots=list(settings.trust_roots), allow_fetching=False)
    status = validate_pdf_signature(embedded, context, key_usage_settings=KEY_USAGE)
    certificate = status.signing_cert
    name, organisation = _names(certificate)
    level = status.modification_level
    return SignatureReport(
        field=embedded.field_name,
        signer_name=name,
        signer_organisation=organisation,
        signing_time=status.signer_reported_dt,
        valid_from=certificate.not_valid_before,
        valid_until=certificate.not_valid_after,
        trust=_trust(settings, status),
        intact=bool(status.intact and status.valid),
        coverage=_coverage(status),
        modification=level.name.lower() if level is not None else None,
        docmdp_ok=status.docmdp_ok,
    )


def verify_pdf(settings: SignatureSettings, pdf_bytes: bytes) -> list[SignatureReport]:
    """A report per signature of the PDF ``pdf_bytes``, in signing order (none: no
    signature); a signature that cannot be checked is reported invalid.
    :class:`VerificationError` for a file that is not a PDF pyHanko can read."""
    reader = read_pdf(pdf_bytes, VerificationError)
    try:
        fields = list(enumerate_sig_fields(reader, filled_status=True))
    except Exception as exc:  # noqa: BLE001 - a form pyHanko cannot walk is the file's
        raise VerificationError(_("Tệp PDF bị hỏng, không đọc được chữ ký."), "not_pdf") from exc
    checked, unreadable = [], []
    for name, value, field in fields:
        if value.get_object().get("/Type") == "/DocTimeStamp":
            continue  # a timestamp of the document, not a signature by someone
        try:
            embedded = EmbeddedPdfSignature(reader, field, name)
            checked.append((embedded.signed_revision, _report(settings, embedded)))
        except Exception as exc:  # noqa: BLE001 - a signature pyHanko cannot check
            logger.info("an unreadable signature in field %s: %s", name, exc)
            unreadable.append(SignatureReport(name, unreadable=True))
    checked.sort(key=lambda pair: pair[0])
    return [report for _revision, report in checked] + unreadable
