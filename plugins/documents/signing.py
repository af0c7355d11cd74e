"""Signing a document's PDF with its unit's certificate at issue: a PAdES
signature (baseline B-B: no timestamp authority) in an invisible signature field,
added as an incremental update so the file as it was stays inside it."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import SigSeedSubFilter, enumerate_sig_fields
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, SimpleSigner

from core.clock import now
from core.formatting import local_date
from core.i18n import _
from plugins.documents.signatures import SignatureSettings, SigningError, read_pdf

logger = logging.getLogger(__name__)

#: The name of the signature field added (then ``ChuKyDonVi2``… when there is one).
FIELD_NAME = "ChuKyDonVi"


def load_signer(settings: SignatureSettings, unit_code: str) -> SimpleSigner:
    """The key and certificate of unit ``unit_code``, read from its PKCS#12 file;
    :class:`SigningError` when it has none (``no_key``: the caller decides whether
    to issue unsigned), the file cannot be opened, or its certificate is not valid
    now."""
    mapping = {"unit": unit_code}
    path = settings.key_file(unit_code)
    if not path:
        raise SigningError(
            _("Đơn vị ${unit} chưa được cấu hình khóa ký số.", mapping=mapping), "no_key"
        )
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        logger.error("the signing key of unit %s cannot be read: %s", unit_code, exc)
        raise SigningError(
            _("Không đọc được tệp khóa ký số của đơn vị ${unit}.", mapping=mapping),
            "key_unreadable",
        ) from exc
    passphrase = None
    variable = settings.passphrase_env(unit_code)
    if variable:
        if variable not in os.environ:
            raise SigningError(
                _("Chưa có mật khẩu của tệp khóa ký số của đơn vị ${unit}.", mapping=mapping),
                "no_passphrase",
            )
        passphrase = os.environ[variable].encode()
    try:
        signer = SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=passphrase)
    except Exception as exc:  # noqa: BLE001 - whatever fails, the file cannot be opened
        raise SigningError(
            _(
                "Không mở được tệp khóa ký số của đơn vị ${unit}: sai mật khẩu "
                "hoặc tệp không phải PKCS#12 có khóa.",
                mapping=mapping,
            ),
            "key_locked",
        ) from exc
    _check_validity(signer, unit_code)
    return signer


def _check_validity(signer: SimpleSigner, unit_code: str) -> None:
    certificate = signer.signing_cert
    moment = now()
    if certificate.not_valid_after < moment:
        raise SigningError(
            _(
                "Chứng thư số của đơn vị ${unit} đã hết hạn ngày ${date}.",
                mapping={"unit": unit_code, "date": local_date(certificate.not_valid_after)},
            ),
            "certificate_expired",
        )
    if certificate.not_valid_before > moment:
        raise SigningError(
            _(
                "Chứng thư số của đơn vị ${unit} chỉ có hiệu lực từ ngày ${date}.",
                mapping={"unit": unit_code, "date": local_date(certificate.not_valid_before)},
            ),
            "certificate_not_yet_valid",
        )


def _free_field_name(writer: IncrementalPdfFileWriter) -> str:
    taken = {name for name, _value, _ref in enumerate_sig_fields(writer)}
    name, number = FIELD_NAME, 1
    while name in taken:
        number += 1
        name = f"{FIELD_NAME}{number}"
    return name


def sign_pdf(
    settings: SignatureSettings,
    unit_code: str,
    pdf_bytes: bytes,
    *,
    reason: str,
    location: str,
    signer_name: str,
) -> bytes:
    """The PDF ``pdf_bytes`` signed with unit ``unit_code``'s certificate (PAdES,
    SHA-256), ``reason`` (what is signed), ``location`` and ``signer_name`` (the
    person who signed for the unit) in the signature. :class:`SigningError` for a
    file that is not a readable PDF or a key that cannot be used."""
    reader = read_pdf(pdf_bytes, SigningError)
    signer = load_signer(settings, unit_code)
    try:
        writer = IncrementalPdfFileWriter.from_reader(reader)
        metadata = PdfSignatureMetadata(
            field_name=_free_field_name(writer),
            md_algorithm="sha256",
            subfilter=SigSeedSubFilter.PADES,
            reason=reason,
            location=location,
            name=signer_name,
        )
        output = PdfSigner(metadata, signer).sign_pdf(writer)
    except Exception as exc:  # noqa: BLE001 - a PDF pyHanko reads but cannot extend
        logger.warning("a PDF of unit %s could not be signed: %s", unit_code, exc)
        raise SigningError(_("Không ký được tệp PDF này."), "cannot_sign") from exc
    return output.getvalue()
