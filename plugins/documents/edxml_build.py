"""Writing edXML: a document as a package (:func:`build_package`), a status report
as a status message (:func:`build_status`).

The layout is described in :mod:`plugins.documents.edxml`. Empty strings, None
and empty lists are left out; what is written is checked first
(:func:`~plugins.documents.edxml_model.check_document`), so a package written here
is always one :func:`~plugins.documents.edxml_parse.parse_package` accepts.
"""

from __future__ import annotations

from datetime import date, datetime

from lxml import etree

from core.clock import TIMEZONE
from core.i18n import _
from plugins.documents.edxml_mime import write_package
from plugins.documents.edxml_model import (
    MAX_ATTACHMENT_BYTES,
    MAX_ENVELOPE_BYTES,
    MAX_PACKAGE_BYTES,
    NAMESPACE,
    ORGAN_FIELDS,
    SIGNER_FIELDS,
    STAFF_FIELDS,
    XLINK,
    EdxmlDocument,
    EdxmlError,
    EdxmlOrgan,
    EdxmlResponseFor,
    EdxmlStatus,
    check_document,
    check_status,
    part_too_large,
    qname,
    too_large,
)


def _element(parent: etree._Element, name: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, qname(name), attributes)


def _leaf(parent: etree._Element, name: str, value: object, keep_empty: bool = False) -> None:
    """A child ``name`` of ``parent`` with ``value`` as its text, unless it is None
    or empty (and not ``keep_empty``)."""
    if value is None or (value == "" and not keep_empty):
        return
    text = value if isinstance(value, str) else str(value)
    try:
        _element(parent, name).text = text
    except ValueError:
        raise EdxmlError(
            _("Trường ${name} có ký tự không dùng được trong XML.", mapping={"name": name})
        ) from None


def _group(parent: etree._Element, name: str, leaves: list[tuple[str, object]]) -> None:
    """A child ``name`` holding ``leaves`` (name, value), unless all are empty."""
    if any(value not in (None, "") for _name, value in leaves):
        group = _element(parent, name)
        for leaf_name, value in leaves:
            _leaf(group, leaf_name, value)


def day(value: date | None) -> str | None:
    """``value`` as edXML writes a date: ``YYYY/MM/DD``."""
    if value is None:
        return None
    return f"{value.year:04d}/{value.month:02d}/{value.day:02d}"


def moment(value: datetime) -> str:
    """``value`` (aware) as edXML writes a time: ``YYYY/MM/DD HH:MM:SS`` in the
    portal's time zone."""
    local = value.astimezone(TIMEZONE)
    return f"{day(local.date())} {local:%H:%M:%S}"


def _organ(parent: etree._Element, name: str, organ: EdxmlOrgan) -> None:
    _group(parent, name, [(tag, getattr(organ, attr)) for tag, attr in ORGAN_FIELDS])


def _response_for(parent: etree._Element, answered: EdxmlResponseFor) -> None:
    _group(
        parent,
        "ResponseFor",
        [
            ("OrganId", answered.organ_id),
            ("Code", answered.code),
            ("PromulgationDate", day(answered.promulgation_date)),
            ("DocumentId", answered.document_id),
        ],
    )


def _list(parent: etree._Element, name: str, item: str, values: list[str]) -> None:
    if values:
        group = _element(parent, name)
        for value in values:
            _leaf(group, item, value, keep_empty=True)


def _envelope() -> tuple[etree._Element, etree._Element]:
    """The root ``edXML`` element and its ``edXMLEnvelope``, holding an empty
    ``edXMLHeader``."""
    root = etree.Element(qname("edXML"), nsmap={None: NAMESPACE})
    envelope = etree.SubElement(root, qname("edXMLEnvelope"), nsmap={"edXML": NAMESPACE})
    _element(envelope, "edXMLHeader")
    return root, envelope


def _message_header(parent: etree._Element, doc: EdxmlDocument) -> None:
    header = _element(parent, "MessageHeader")
    _organ(header, "From", doc.from_organ)
    for organ in doc.to_organs:
        _organ(header, "To", organ)
    _group(header, "Code", [("CodeNumber", doc.code_number), ("CodeNotation", doc.code_notation)])
    _group(
        header,
        "PromulgationInfo",
        [("Place", doc.promulgation_place), ("PromulgationDate", day(doc.promulgation_date))],
    )
    _group(header, "DocumentType", [("Type", doc.document_type), ("TypeName", doc.type_name)])
    _leaf(header, "Subject", doc.subject)
    _leaf(header, "Content", doc.content)
    _group(header, "SignerInfo", [(tag, getattr(doc.signer, attr)) for tag, attr in SIGNER_FIELDS])
    _leaf(header, "DueDate", day(doc.due_date))
    _list(header, "ToPlaces", "Place", doc.to_places)
    other = doc.other_info
    other_info = _element(header, "OtherInfo")
    _leaf(other_info, "Priority", other.priority)
    _leaf(other_info, "SphereOfPromulgation", other.sphere_of_promulgation)
    _leaf(other_info, "TyperNotation", other.typer_notation)
    _leaf(other_info, "PromulgationAmount", other.promulgation_amount)
    _leaf(other_info, "PageAmount", other.page_amount)
    _list(other_info, "Appendixes", "Appendix", other.appendixes)
    for answered in doc.response_for:
        _response_for(header, answered)
    _leaf(header, "SteeringType", doc.steering_type)
    _leaf(header, "DocumentId", doc.document_id)


def _trace(parent: etree._Element, doc: EdxmlDocument) -> None:
    trace = _element(parent, "TraceHeaderList")
    _group(
        trace,
        "Bussiness",
        [
            ("BussinessDocType", doc.trace.business_doc_type),
            ("BussinessDocReason", doc.trace.business_doc_reason),
            ("DocumentId", doc.trace.document_id),
        ],
    )


def _manifest(envelope: etree._Element, doc: EdxmlDocument) -> None:
    manifest = _element(_element(envelope, "edXMLBody"), "edXMLManifest", version="1.0")
    for attachment in doc.attachments:
        reference = etree.SubElement(
            manifest,
            qname("Reference"),
            {qname("href", XLINK): f"cid:{attachment.content_id}", qname("type", XLINK): "simple"},
            nsmap={"xlink": XLINK},
        )
        _leaf(reference, "Description", attachment.description)
        _leaf(reference, "AttachmentName", attachment.filename)
        _leaf(reference, "ContentType", attachment.content_type)
        _leaf(reference, "ContentId", f"cid:{attachment.content_id}")


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def envelope_xml(doc: EdxmlDocument) -> bytes:
    """The envelope of ``doc``'s package: the XML of its root MIME part."""
    check_document(doc)
    root, envelope = _envelope()
    header = envelope[0]
    _message_header(header, doc)
    _trace(header, doc)
    _manifest(envelope, doc)
    return _xml(root)


def build_package(doc: EdxmlDocument) -> bytes:
    """``doc`` as an edXML package: a MIME ``multipart/related`` message whose root
    part is the envelope (``text/xml``, UTF-8) and each attachment a base64 part
    with its ``Content-ID``. :class:`EdxmlError` for a document that lacks a
    required field, has text XML cannot carry, or makes a package larger than
    :func:`~plugins.documents.edxml_parse.parse_package` reads by default."""
    xml = envelope_xml(doc)
    if len(xml) > MAX_ENVELOPE_BYTES:
        raise part_too_large("edXMLEnvelope", MAX_ENVELOPE_BYTES)
    for attachment in doc.attachments:
        if len(attachment.data) > MAX_ATTACHMENT_BYTES:
            raise part_too_large(attachment.filename, MAX_ATTACHMENT_BYTES)
    package = write_package(xml, doc.attachments)
    if len(package) > MAX_PACKAGE_BYTES:
        raise too_large(MAX_PACKAGE_BYTES)
    return package


def build_status(status: EdxmlStatus) -> bytes:
    """``status`` as an edXML status message (XML, UTF-8); its timestamp is
    written to the second. :class:`EdxmlError` for a status that does not name
    its document or has an unknown code."""
    check_status(status)
    root, envelope = _envelope()
    message = _element(envelope[0], "Status")
    if status.from_organ is not None:
        _organ(message, "From", status.from_organ)
    _response_for(message, status.response_for)
    _group(
        message,
        "StaffInfo",
        [(tag, getattr(status.staff_info, attr)) for tag, attr in STAFF_FIELDS],
    )
    _leaf(message, "StatusCode", f"{status.status_code:02d}")
    _leaf(message, "Description", status.description)
    _leaf(message, "Timestamp", moment(status.timestamp))
    return _xml(root)
