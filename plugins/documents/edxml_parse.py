"""Reading edXML from outside: a package (:func:`parse_package`) or a status message
(:func:`parse_status`), refusing whatever is malformed or hostile with
:class:`~plugins.documents.edxml_model.EdxmlError` and the reason.

Refused: input over the size limit (before anything is parsed); what is not a MIME
``multipart/related`` package, a MIME structure that is broken or cut short, no
XML envelope part; XML that is not UTF-8, not well-formed, or declares a DOCTYPE
or entities (:mod:`plugins.documents.safexml`); a root that is not edXML or not in
its namespace; a missing required field; a date or number that cannot be read or
is out of range; a manifest reference to a part that is not there, a part no
reference names, a content id used twice, base64 that is not valid, too many
attachments, an attachment too large.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.message import Message
from urllib.parse import unquote
from xml.etree.ElementTree import Element

from pyramid.i18n import TranslationString

from core.clock import TIMEZONE
from core.i18n import _
from plugins.documents.edxml_mime import part_bytes, read_package
from plugins.documents.edxml_model import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    MAX_ENVELOPE_BYTES,
    MAX_PACKAGE_BYTES,
    MAX_STATUS_BYTES,
    NAMESPACE,
    ORGAN_FIELDS,
    SIGNER_FIELDS,
    STAFF_FIELDS,
    XLINK,
    EdxmlAttachment,
    EdxmlDocument,
    EdxmlError,
    EdxmlOrgan,
    EdxmlOtherInfo,
    EdxmlResponseFor,
    EdxmlSigner,
    EdxmlStaff,
    EdxmlStatus,
    EdxmlTrace,
    check_document,
    check_status,
    invalid,
    missing,
    qname,
    shown,
    too_large,
    too_many_attachments,
)
from plugins.documents.safexml import UnsafeXml, parse_xml

_DAY = re.compile(r"(\d{4})[/-](\d{2})[/-](\d{2})")
_MOMENT = re.compile(r"(\d{4})[/-](\d{2})[/-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_NUMBER = re.compile(r"[+-]?\d{1,9}")


def _child(parent: Element | None, *names: str) -> Element | None:
    """The first child of ``parent`` named one of ``names`` (in that order)."""
    for name in names if parent is not None else ():
        found = parent.find(qname(name))
        if found is not None:
            return found
    return None


def _children(parent: Element | None, name: str) -> list[Element]:
    return [] if parent is None else parent.findall(qname(name))


def _text(parent: Element | None, *names: str) -> str:
    element = _child(parent, *names)
    return (element.text or "") if element is not None else ""


def _number(parent: Element | None, name: str, path: str, *aliases: str) -> int | None:
    text = _text(parent, name, *aliases).strip()
    if not text:
        return None
    if not _NUMBER.fullmatch(text):
        raise invalid(path)
    return int(text)


def _day(parent: Element | None, name: str, path: str) -> date | None:
    text = _text(parent, name).strip()
    if not text:
        return None
    found = _DAY.fullmatch(text)
    if not found:
        raise invalid(path)
    try:
        return date(*map(int, found.groups()))
    except ValueError:
        raise invalid(path) from None


def _moment(parent: Element | None, name: str, path: str) -> datetime | None:
    text = _text(parent, name).strip()
    if not text:
        return None
    found = _MOMENT.fullmatch(text)
    if not found:
        raise invalid(path)
    try:
        return datetime(*map(int, found.groups()), tzinfo=TIMEZONE)
    except ValueError:
        raise invalid(path) from None


def _organ(element: Element | None) -> EdxmlOrgan:
    return EdxmlOrgan(**{attr: _text(element, tag) for tag, attr in ORGAN_FIELDS})


def _response_for(element: Element) -> EdxmlResponseFor:
    return EdxmlResponseFor(
        organ_id=_text(element, "OrganId"),
        code=_text(element, "Code"),
        promulgation_date=_day(element, "PromulgationDate", "ResponseFor/PromulgationDate"),
        document_id=_text(element, "DocumentId"),
    )


def _envelope_of(data: bytes, kind: TranslationString) -> tuple[Element, Element]:
    """The ``edXMLEnvelope`` of the edXML XML ``data`` (the root ``edXML`` holding
    it, or the envelope itself) and its ``edXMLHeader``."""
    try:
        root = parse_xml(data)
    except UnsafeXml as exc:
        raise EdxmlError(exc.message) from None
    namespace, _brace, local = (
        root.tag[1:].rpartition("}") if root.tag[:1] == "{" else ("", "", root.tag)
    )
    if local not in ("edXML", "edXMLEnvelope"):
        raise EdxmlError(
            _("Tệp XML không phải ${kind} edXML (thiếu edXMLEnvelope).", mapping={"kind": kind})
        )
    if namespace != NAMESPACE:
        raise EdxmlError(
            _(
                "Tệp edXML sai không gian tên (namespace): cần ${namespace}.",
                mapping={"namespace": NAMESPACE},
            )
        )
    envelope = root if local == "edXMLEnvelope" else _child(root, "edXMLEnvelope")
    header = _child(envelope, "edXMLHeader")
    if envelope is None or header is None:
        raise EdxmlError(
            _("Tệp XML không phải ${kind} edXML (thiếu edXMLHeader).", mapping={"kind": kind})
        )
    return envelope, header


# -- the package ----------------------------------------------------------------------


def _references(body: Element | None) -> list[tuple[str, EdxmlAttachment]]:
    """The manifest's references: (content id, the attachment without its data)."""
    found = []
    for reference in _children(_child(body, "edXMLManifest"), "Reference"):
        target = reference.get(qname("href", XLINK)) or _text(reference, "ContentId")
        target = target.strip()
        if target[:4].lower() == "cid:":
            target = target[4:]
        content_id = unquote(target)
        if not content_id:
            raise missing("Reference/ContentId")
        attachment = EdxmlAttachment(
            content_id=content_id,
            filename=_text(reference, "AttachmentName"),
            content_type=_text(reference, "ContentType").strip(),
            description=_text(reference, "Description"),
        )
        found.append((content_id, attachment))
    return found


def _attachments(
    envelope_body: Element | None,
    parts: dict[str, Message],
    max_attachments: int,
    max_attachment_bytes: int,
) -> list[EdxmlAttachment]:
    references = _references(envelope_body)
    if len(references) > max_attachments or len(parts) > max_attachments:
        raise too_many_attachments(max_attachments)
    named = {content_id for content_id, _attachment in references}
    for content_id in parts:
        if content_id not in named:
            raise EdxmlError(
                _(
                    "Gói tin có phần ${cid} không được khai báo trong edXMLManifest.",
                    mapping={"cid": shown(content_id)},
                )
            )
    attachments = []
    for content_id, attachment in references:
        part = parts.get(content_id)
        if part is None:
            raise EdxmlError(
                _(
                    "Tệp đính kèm ${cid} được khai báo nhưng không có trong gói tin.",
                    mapping={"cid": shown(content_id)},
                )
            )
        content_type = attachment.content_type or part.get_content_type()
        data = part_bytes(part, attachment.filename or content_id, max_attachment_bytes)
        attachments.append(
            EdxmlAttachment(
                content_id, attachment.filename, content_type, attachment.description, data
            )
        )
    return attachments


def _document(header: Element, attachments: list[EdxmlAttachment]) -> EdxmlDocument:
    message = _child(header, "MessageHeader")
    if message is None:
        raise EdxmlError(_("Tệp XML không phải phong bì edXML (thiếu MessageHeader)."))
    code = _child(message, "Code")
    promulgation = _child(message, "PromulgationInfo")
    kind = _child(message, "DocumentType")
    signer = _child(message, "SignerInfo")
    other = _child(message, "OtherInfo")
    trace = _child(header, "TraceHeaderList")
    business = _child(trace, "Bussiness", "Business")
    doc_type = _number(
        business, "BussinessDocType", "Bussiness/BussinessDocType", "BusinessDocType"
    )
    promulgation_date = _day(promulgation, "PromulgationDate", "PromulgationInfo/PromulgationDate")
    if promulgation_date is None:
        raise missing("PromulgationInfo/PromulgationDate")
    return EdxmlDocument(
        from_organ=_organ(_child(message, "From")),
        code_number=_text(code, "CodeNumber"),
        code_notation=_text(code, "CodeNotation"),
        promulgation_date=promulgation_date,
        subject=_text(message, "Subject"),
        document_id=_text(message, "DocumentId"),
        to_organs=[_organ(organ) for organ in _children(message, "To")],
        promulgation_place=_text(promulgation, "Place"),
        document_type=_number(kind, "Type", "DocumentType/Type"),
        type_name=_text(kind, "TypeName"),
        content=_text(message, "Content"),
        signer=EdxmlSigner(**{attr: _text(signer, tag) for tag, attr in SIGNER_FIELDS}),
        due_date=_day(message, "DueDate", "DueDate"),
        to_places=[place.text or "" for place in _children(_child(message, "ToPlaces"), "Place")],
        other_info=EdxmlOtherInfo(
            priority=_number(other, "Priority", "OtherInfo/Priority") or 0,
            sphere_of_promulgation=_text(other, "SphereOfPromulgation"),
            typer_notation=_text(other, "TyperNotation"),
            promulgation_amount=_number(
                other, "PromulgationAmount", "OtherInfo/PromulgationAmount"
            ),
            page_amount=_number(other, "PageAmount", "OtherInfo/PageAmount"),
            appendixes=[
                appendix.text or ""
                for appendix in _children(_child(other, "Appendixes"), "Appendix")
            ],
        ),
        response_for=[_response_for(answered) for answered in _children(message, "ResponseFor")],
        steering_type=_number(message, "SteeringType", "SteeringType"),
        trace=EdxmlTrace(
            business_doc_type=doc_type or 0,
            business_doc_reason=_text(business, "BussinessDocReason", "BusinessDocReason"),
            document_id=_text(business, "DocumentId"),
        ),
        attachments=attachments,
    )


def parse_package(
    data: bytes,
    max_bytes: int = MAX_PACKAGE_BYTES,
    max_attachments: int = MAX_ATTACHMENTS,
    max_attachment_bytes: int = MAX_ATTACHMENT_BYTES,
    content_type: str | None = None,
) -> EdxmlDocument:
    """The document an edXML package carries, its attachments byte for byte.

    ``data`` is the MIME message with its headers, or only its body when its
    ``Content-Type`` came apart (an HTTP request's header: ``content_type``).
    Anything malformed or hostile, larger than ``max_bytes``, with more than
    ``max_attachments`` files or a file larger than ``max_attachment_bytes`` is
    :class:`EdxmlError`, whose ``message`` says why."""
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    package = read_package(bytes(data), max_attachments, content_type)
    envelope_xml = part_bytes(package.envelope, "edXMLEnvelope", MAX_ENVELOPE_BYTES)
    envelope, header = _envelope_of(envelope_xml, _("phong bì"))
    attachments = _attachments(
        _child(envelope, "edXMLBody"), package.parts, max_attachments, max_attachment_bytes
    )
    doc = _document(header, attachments)
    check_document(doc, max_attachments)
    return doc


# -- status messages ------------------------------------------------------------------


def parse_status(data: bytes, max_bytes: int = MAX_STATUS_BYTES) -> EdxmlStatus:
    """The report an edXML status message carries; :class:`EdxmlError` with the
    reason for anything malformed, hostile or larger than ``max_bytes``."""
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    _envelope, header = _envelope_of(bytes(data), _("thông báo trạng thái"))
    message = _child(header, "Status", "MessageHeader")
    if message is None:
        raise EdxmlError(_("Tệp XML không phải thông báo trạng thái edXML (thiếu Status)."))
    answered = _child(message, "ResponseFor")
    code = _number(message, "StatusCode", "Status/StatusCode")
    if code is None:
        raise missing("Status/StatusCode")
    timestamp = _moment(message, "Timestamp", "Status/Timestamp")
    if timestamp is None:
        raise missing("Status/Timestamp")
    origin = _child(message, "From")
    status = EdxmlStatus(
        response_for=_response_for(answered)
        if answered is not None
        else EdxmlResponseFor(organ_id=""),
        status_code=code,
        timestamp=timestamp,
        description=_text(message, "Description"),
        staff_info=EdxmlStaff(
            **{attr: _text(_child(message, "StaffInfo"), tag) for tag, attr in STAFF_FIELDS}
        ),
        from_organ=_organ(origin) if origin is not None else None,
    )
    check_status(status)
    return status
