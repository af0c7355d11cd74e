"""The MIME side of an edXML package: writing the envelope and the files as a
``multipart/related`` message (:func:`write_package`), and reading one back
(:func:`read_package`, :func:`part_bytes`) from input that may be hostile.

Before the standard library's parser sees a package, :func:`read_package` refuses
what would make it work far more than the package's size suggests: header blocks
longer than :data:`MAX_HEADER_BYTES` (parameters are split in quadratic time),
more parts than allowed, lines shorter than :data:`MIN_AVERAGE_LINE` bytes on
average. Every failure is :class:`~plugins.documents.edxml_model.EdxmlError`.
"""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from dataclasses import dataclass
from email import policy
from email.errors import MessageError
from email.message import EmailMessage, Message, MIMEPart
from email.parser import BytesHeaderParser, BytesParser

from core.i18n import _
from plugins.documents.edxml_model import (
    EdxmlAttachment,
    EdxmlError,
    part_too_large,
    shown,
    too_many_attachments,
)

#: MIME as it travels: CRLF line ends.
MIME_POLICY = policy.default.clone(linesep="\r\n")
#: The longest header block, of the package or of one of its parts, read.
MAX_HEADER_BYTES = 8 * 1024
#: The shortest average line a package may have (base64 lines have 76 characters).
MIN_AVERAGE_LINE = 16
#: How a delimiter line goes on after the boundary: opening a part, or closing.
_OPENING = re.compile(rb"[ \t]*\n")
_CLOSING = re.compile(rb"--[ \t]*(\n|$)")
#: The content transfer encodings read besides base64.
PLAIN_ENCODINGS = ("7bit", "8bit", "binary", "quoted-printable")


@dataclass(frozen=True)
class MimePackage:
    """A package read: its envelope's XML and its other parts by content id."""

    envelope: Message
    parts: dict[str, Message]


def _part(
    data: bytes, content_type: str, content_id: str, encoding: str, params: dict | None = None
) -> MIMEPart:
    part = MIMEPart(policy=MIME_POLICY)
    maintype, subtype = content_type.split("/")
    part.set_content(data, maintype, subtype, cte=encoding, cid=content_id, params=params)
    return part


def write_package(envelope: bytes, attachments: list[EdxmlAttachment]) -> bytes:
    """A ``multipart/related`` message: first ``envelope`` (``text/xml``, UTF-8,
    named by the ``start`` parameter), then each attachment in base64 under its
    ``Content-ID``."""
    start = f"<{uuid.uuid4().hex}.envelope@edxml>"
    package = EmailMessage(policy=MIME_POLICY)
    package["MIME-Version"] = "1.0"
    package.make_related()
    package.set_param("type", "text/xml")
    package.set_param("start", start)
    package.attach(_part(envelope, "text/xml", start, "8bit", {"charset": "utf-8"}))
    for attachment in attachments:
        content_id = f"<{attachment.content_id}>"
        package.attach(_part(attachment.data, attachment.content_type, content_id, "base64"))
    return package.as_bytes()


def _broken() -> EdxmlError:
    return EdxmlError(_("Gói tin MIME bị cắt cụt hoặc hỏng."))


def _not_mime() -> EdxmlError:
    return EdxmlError(_("Gói tin không phải định dạng MIME multipart/related của edXML."))


def _header_block(data: bytes) -> bytes | None:
    """The header lines at the start of ``data`` (lines ended by ``\\n``), up to
    the blank line; None when no blank line ends them within
    :data:`MAX_HEADER_BYTES`."""
    head = data[:MAX_HEADER_BYTES]
    if head.startswith(b"\n"):
        return b""
    end = head.find(b"\n\n")
    return head[:end] if end != -1 else None


def _headers(block: bytes) -> Message:
    return BytesHeaderParser(policy=policy.compat32).parsebytes(block)


def _screen(data: bytes, max_attachments: int) -> None:
    """Refuse what would make the parser work far more than the size suggests:
    too many short lines, long header blocks, too many parts, parts that hold
    parts (each level is checked against every line below it)."""
    lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")  # as the parser splits them
    if lines.count(b"\n") > len(lines) // MIN_AVERAGE_LINE + 10_000:
        raise EdxmlError(_("Gói tin MIME có quá nhiều dòng (tệp đính kèm cần được mã hóa base64)."))
    block = _header_block(lines)
    if block is None:
        raise _not_mime()
    head = _headers(block)
    boundary = head.get_boundary()
    if head.get_content_type() != "multipart/related" or not boundary:
        raise _not_mime()
    delimiter = b"\n--" + boundary.encode("ascii", "surrogateescape")
    if lines.count(delimiter) > max_attachments + 2:  # the envelope, the closing line
        raise too_many_attachments(max_attachments)
    for piece in lines.split(delimiter)[1:]:
        if _CLOSING.match(piece):
            break
        if not _OPENING.match(piece):  # a line that only starts like a delimiter
            continue
        block = _header_block(piece[piece.find(b"\n") + 1 :])
        if block is None:
            raise _broken()
        if _headers(block).get_content_maintype() in ("multipart", "message"):
            raise EdxmlError(
                _("Gói tin có phần lồng nhiều phần khác (multipart, message): không được nhận.")
            )


def content_id_of(part: Message) -> str:
    """The content id of ``part``, without its angle brackets ('' for none)."""
    value = part.get("Content-ID")
    return str(value).strip().removeprefix("<").removesuffix(">").strip() if value else ""


def _is_xml(content_type: str) -> bool:
    return content_type in ("text/xml", "application/xml") or content_type.endswith("+xml")


def _envelope_part(message: Message) -> Message:
    """The part holding the envelope: the one the ``start`` parameter names, else
    the first; an XML part."""
    parts = message.get_payload()
    start = message.get_param("start")
    start = str(start).strip().removeprefix("<").removesuffix(">") if start else ""
    chosen = [part for part in parts if content_id_of(part) == start] if start else parts[:1]
    if not chosen or not _is_xml(chosen[0].get_content_type()):
        raise EdxmlError(_("Gói tin không có phần phong bì edXML (XML)."))
    return chosen[0]


def read_package(data: bytes, max_attachments: int, content_type: str | None = None) -> MimePackage:
    """``data`` read as a ``multipart/related`` package of at most
    ``max_attachments`` files besides the envelope. ``content_type`` is the
    package's Content-Type when it came apart (an HTTP header) and ``data`` is
    only the body."""
    if content_type is not None:
        if "\n" in content_type or "\r" in content_type:
            raise _not_mime()
        data = b"Content-Type: " + content_type.encode("latin-1", "replace") + b"\r\n\r\n" + data
    try:
        _screen(data, max_attachments)
        message = BytesParser(policy=policy.compat32).parsebytes(data)
        parts = message.get_payload()
    except (MessageError, RecursionError, LookupError, UnicodeError, TypeError):
        # the standard library's MIME parser, on hostile input
        raise _broken() from None
    if not message.is_multipart() or not isinstance(parts, list):
        raise _not_mime()
    if message.defects or any(part.defects or part.is_multipart() for part in parts):
        raise _broken()
    envelope = _envelope_part(message)
    others: dict[str, Message] = {}
    for part in parts:
        if part is envelope:
            continue
        content_id = content_id_of(part)
        if not content_id:
            raise EdxmlError(_("Một phần của gói tin không có Content-ID."))
        if content_id in others:
            raise EdxmlError(
                _("Mã tệp đính kèm ${cid} bị trùng.", mapping={"cid": shown(content_id)})
            )
        others[content_id] = part
    return MimePackage(envelope, others)


def part_bytes(part: Message, name: str, limit: int) -> bytes:
    """The content of ``part`` decoded, at most ``limit`` bytes (``name`` says
    which part, for the messages)."""
    encoding = str(part.get("Content-Transfer-Encoding", "7bit")).strip().lower()
    if encoding == "base64":
        try:
            encoded = b"".join(part.get_payload().encode("ascii").split())
            if len(encoded) // 4 * 3 > limit + 2:
                raise part_too_large(name, limit)
            content = base64.b64decode(encoded, validate=True)
        except (UnicodeEncodeError, binascii.Error):
            raise EdxmlError(
                _(
                    "Phần ${name} của gói tin không phải base64 hợp lệ.",
                    mapping={"name": shown(name)},
                )
            ) from None
    elif encoding in PLAIN_ENCODINGS:
        content = part.get_payload(decode=True)
    else:
        raise EdxmlError(
            _(
                "Phần ${name} của gói tin có mã hóa không hỗ trợ (${encoding}).",
                mapping={"name": shown(name), "encoding": shown(encoding)},
            )
        )
    if len(content) > limit:
        raise part_too_large(name, limit)
    return content


_FOLDED = re.compile(r"\r?\n[ \t]+")


def http_parts(package: bytes) -> tuple[str, bytes]:
    """A package (as :func:`write_package` writes it) as HTTP carries it: its
    Content-Type header, unfolded, and its body."""
    head, _sep, body = package.partition(b"\r\n\r\n")
    headers = BytesHeaderParser(policy=policy.compat32).parsebytes(head + b"\r\n\r\n")
    return _FOLDED.sub(" ", str(headers["Content-Type"])), body
