"""edXML (QCVN 102:2016/BTTTT): documents exchanged with other agencies' systems as
packages, and the status messages that report on them.

The public API, independent of the registers (the exchange maps its documents to
and from the dataclasses):

- the model (:mod:`plugins.documents.edxml_model`): :class:`EdxmlDocument` and its
  parts (:class:`EdxmlOrgan`, :class:`EdxmlSigner`, :class:`EdxmlOtherInfo`,
  :class:`EdxmlResponseFor`, :class:`EdxmlTrace`, :class:`EdxmlAttachment`),
  :class:`EdxmlStatus` (with :class:`EdxmlStaff`), :func:`document_id`,
  :func:`new_content_id`, the codes (:data:`BUSINESS_TYPES`, :data:`STATUS_CODES`)
  and the limits;
- :func:`build_package` / :func:`parse_package`, :func:`build_status` /
  :func:`parse_status` (:mod:`~plugins.documents.edxml_build`,
  :mod:`~plugins.documents.edxml_parse`); whatever cannot be written or read is
  :class:`EdxmlError`, whose ``message`` (Vietnamese, through ``core.i18n``) says
  why.

The package. A MIME ``multipart/related`` message (``type="text/xml"``, ``start``
naming the envelope part). The root part is the envelope, UTF-8 XML::

    <edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">
      <edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
        <edXML:edXMLHeader>
          <edXML:MessageHeader>
            From, To*, Code (CodeNumber, CodeNotation), PromulgationInfo (Place,
            PromulgationDate), DocumentType (Type, TypeName), Subject, Content,
            SignerInfo (Competence, Position, FullName), DueDate, ToPlaces (Place*),
            OtherInfo (Priority, SphereOfPromulgation, TyperNotation,
            PromulgationAmount, PageAmount, Appendixes (Appendix*)), ResponseFor*
            (OrganId, Code, PromulgationDate, DocumentId), SteeringType, DocumentId
          </edXML:MessageHeader>
          <edXML:TraceHeaderList>
            <edXML:Bussiness> BussinessDocType, BussinessDocReason, DocumentId
          </edXML:TraceHeaderList>
        </edXML:edXMLHeader>
        <edXML:edXMLBody>
          <edXML:edXMLManifest version="1.0">
            <edXML:Reference xlink:href="cid:…" xlink:type="simple">
              Description, AttachmentName, ContentType, ContentId (cid:…)
      …

An organ (From, To) is OrganId, OrganizationInCharge, OrganName, OrganAdd, Email,
Telephone, Fax, Website. Dates are ``YYYY/MM/DD`` (``YYYY-MM-DD`` is read too);
DocumentId is ``OrganId,YYYY/MM/DD,number/notation``. Each attachment is a part of
its own: ``Content-ID: <…>``, ``Content-Transfer-Encoding: base64``.

A status message is XML alone: ``edXML/edXMLEnvelope/edXMLHeader/Status`` with
From, ResponseFor, StaffInfo (Department, Staff, Email, Mobile), StatusCode
(two digits, ``01``), Description, Timestamp (``YYYY/MM/DD HH:MM:SS``, the
portal's time zone).

What was checked against implementations for Vietnamese agencies (the VPCP/Bkav
and VNPT SDKs and systems built on them; no primary text of QCVN 102 was read):
the namespace; the ``edXML`` root holding ``edXML:edXMLEnvelope``; the
MessageHeader elements, their names and order; ``TraceHeaderList/Bussiness`` with
the misspelt ``Bussiness…`` names (``Business…`` is read too); the manifest's
``Reference`` with ``xlink:href="cid:…"`` and its four children; the
``YYYY/MM/DD`` dates and the DocumentId form; the status message's elements and
order, and its two-digit code.

(unconfirmed) The MIME packaging: those SDKs carry the files base64 inside the same
XML document, in an ``AttachmentEncoded/Attachment`` element after the envelope
(ContentId, AttachmentName, ContentType, ContentTransferEncoded); here each file is
a MIME part referenced by ``cid:``, as SOAP with attachments does, and such
single-XML packages are not read. (unconfirmed) The recalled or replaced
document's id in ``Bussiness/DocumentId`` (the SDKs also have a
ReplacementInfoList, not written). (unconfirmed) The status Timestamp's form.
Not written: TraceHeader entries (OrganId, Timestamp of each hop), Bussiness'
StaffInfo and Paper, DocumentType/TypeDetail, and the XML signature
(DigitalSignature); they are ignored when read.
"""

from __future__ import annotations

from plugins.documents.edxml_build import build_package, build_status
from plugins.documents.edxml_model import (
    ACCEPTED,
    ARRIVED,
    ASSIGNED,
    BUSINESS_TYPES,
    DONE,
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    MAX_ENVELOPE_BYTES,
    MAX_PACKAGE_BYTES,
    MAX_STATUS_BYTES,
    NAMESPACE,
    NEW,
    PRIORITIES,
    PROCESSING,
    RECALL,
    RECALL_REFUSED,
    RECALL_REQUESTED,
    RECALLED,
    REFUSED,
    REPLACE,
    STATUS_CODES,
    UPDATE,
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
    document_id,
    new_content_id,
)
from plugins.documents.edxml_parse import parse_package, parse_status

__all__ = [
    "ACCEPTED",
    "ARRIVED",
    "ASSIGNED",
    "BUSINESS_TYPES",
    "DONE",
    "MAX_ATTACHMENTS",
    "MAX_ATTACHMENT_BYTES",
    "MAX_ENVELOPE_BYTES",
    "MAX_PACKAGE_BYTES",
    "MAX_STATUS_BYTES",
    "NAMESPACE",
    "NEW",
    "PRIORITIES",
    "PROCESSING",
    "RECALL",
    "RECALLED",
    "RECALL_REFUSED",
    "RECALL_REQUESTED",
    "REFUSED",
    "REPLACE",
    "STATUS_CODES",
    "UPDATE",
    "EdxmlAttachment",
    "EdxmlDocument",
    "EdxmlError",
    "EdxmlOrgan",
    "EdxmlOtherInfo",
    "EdxmlResponseFor",
    "EdxmlSigner",
    "EdxmlStaff",
    "EdxmlStatus",
    "EdxmlTrace",
    "build_package",
    "build_status",
    "document_id",
    "new_content_id",
    "parse_package",
    "parse_status",
]
