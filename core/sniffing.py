"""What an uploaded file really is, from its first bytes, not from its name or the
media type the browser claims: citizens' dossiers and incoming documents accept
documents and scans, never programs.

::

    media_type = sniff(data)            # "application/pdf", or None when unknown
    media_type = check_document(data)   # raises Unsniffable / NotADocument
"""

from __future__ import annotations

import filetype

from core.i18n import _

#: The media types accepted as documents: PDF, scans and office files.
DOCUMENT_TYPES = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/tiff",
        "image/webp",
        "image/heic",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/msword",
        "application/vnd.ms-excel",
    }
)
#: What a name of each type ends with, for the file kept.
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/tiff": ".tif",
    "image/webp": ".webp",
    "image/heic": ".heic",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/msword": ".doc",
    "application/vnd.ms-excel": ".xls",
}


class NotADocument(ValueError):
    """An upload that is not a document we accept; ``message`` says so to the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def sniff(data: bytes) -> str | None:
    """The media type ``data`` starts like, or None when no known type does."""
    if not data:
        return None
    return filetype.guess_mime(bytes(data[:8192]))


def check_document(data: bytes) -> str:
    """The media type of ``data`` when it is a document of :data:`DOCUMENT_TYPES`;
    :class:`NotADocument` otherwise (programs, archives, unknown content)."""
    media_type = sniff(data)
    if media_type is None:
        raise NotADocument(_("Không nhận ra loại tệp: hãy nộp PDF, ảnh chụp hoặc tệp văn phòng."))
    if media_type not in DOCUMENT_TYPES:
        raise NotADocument(
            _(
                "Tệp loại ${type} không được chấp nhận: hãy nộp PDF, ảnh chụp hoặc tệp văn phòng.",
                mapping={"type": media_type},
            )
        )
    return media_type
