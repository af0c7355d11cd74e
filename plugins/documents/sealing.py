"""Signatures where the registers meet them: the unit's seal signature on an
outgoing document's PDF at issue, and the check of an incoming document's PDFs on
receipt (Decree 30/2020, art. 18 and 21).

- :func:`seal_at_issue`: the first PDF of the outgoing document is signed with the
  unit's certificate (:func:`plugins.documents.signing.sign_pdf`) and kept as its
  ``signed_pdf``. A unit without a configured key issues unsigned, and the history
  says so; a key that is configured but cannot sign (or a PDF it cannot read)
  refuses the issue.
- :func:`checked_attachments`: each PDF's signatures are verified
  (:func:`plugins.documents.verification.verify_pdf`) and their reports kept with the
  file, to be shown. A file changed after signing or signed by an untrusted
  certificate is taken and shown so; a file whose signature is broken (its bytes do
  not match it, or it cannot be read) is refused, for the clerk to return it.
"""

from __future__ import annotations

from dataclasses import replace

from ZODB.blob import Blob

from core.i18n import _
from plugins.documents import registered as R
from plugins.documents.entries import EntryError
from plugins.documents.signatures import (
    SigningError,
    VerificationError,
    signature_settings,
)
from plugins.documents.signing import sign_pdf
from plugins.documents.verification import verify_pdf

PDF = "application/pdf"


class SealError(ValueError):
    """The unit's key is configured but could not sign: ``message`` says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def seal_at_issue(request, document, unit_title: str) -> str:
    """Sign ``document``'s first PDF with its unit's certificate; the note for the
    history ('' when signed). SealError when the unit's key cannot sign."""
    pdf = next((a for a in document.attachments if a.content_type == PDF), None)
    if pdf is None:
        return _("Văn bản không có tệp PDF: chưa ký số.")
    settings = signature_settings(request.registry)
    if not settings.key_file(document.unit_code):
        return _("Đơn vị chưa có chứng thư số: văn bản ban hành chưa ký số.")
    try:
        signed = sign_pdf(
            settings,
            document.unit_code,
            pdf.read(),
            reason=f"Ban hành văn bản {document.notation}",
            location=unit_title,
            signer_name=unit_title,
        )
    except SigningError as error:
        raise SealError(error.message) from None
    name = pdf.filename.rsplit(".", 1)[0] + ".signed.pdf"
    reports = tuple(verify_pdf(settings, signed))
    document.signed_pdf = R.Attachment(
        name, PDF, len(signed), Blob(signed), signatures=reports, checked=True
    )
    return ""


def checked_attachments(request, attachments) -> tuple[R.Attachment, ...]:
    """``attachments`` with the signatures of each PDF verified; EntryError (400)
    for a PDF whose signature is broken."""
    settings = signature_settings(request.registry)
    kept = []
    for attachment in attachments:
        if attachment.content_type != PDF or attachment.checked:
            kept.append(attachment)
            continue
        try:
            reports = tuple(verify_pdf(settings, attachment.read()))
        except VerificationError as error:
            reports, unreadable = (), error.message
        else:
            unreadable = None
        broken = [r for r in reports if r.unreadable or not r.intact]
        if unreadable is None and broken:
            message = _(
                "Chữ ký số của tệp ${name} không hợp lệ: ${why}",
                mapping={"name": attachment.filename, "why": broken[0].summary},
            )
            raise EntryError(message, 400, {"attachments": message})
        kept.append(replace(attachment, signatures=reports, checked=unreadable is None))
    return tuple(kept)
