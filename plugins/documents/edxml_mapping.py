"""The registers' documents as edXML packages, and packages as incoming documents.

- :func:`package_of`: an issued outgoing document as an
  :class:`~plugins.documents.edxml.EdxmlDocument`; :func:`build_for_partner` is
  its package, the exchange's package builder
  (:func:`~plugins.documents.exchange_partners.register_package_builder`, at
  start-up: :func:`includeme`);
- :func:`incoming_values`: what a package carries, as the values
  :func:`~plugins.documents.registration.register_incoming` takes.

What goes where (the outgoing document, then the package):

=========================== ==============================================================
the issuing unit            From: OrganId its code, OrganName its title, OrganAdd,
                            Email, Telephone from its subsite, OrganizationInCharge
                            its parent unit's title
recipients                  To: units of the portal (code, title), partners of the
                            catalogue (code, name, address, email); only the partner
                            a package is sent to, for the exchange
number and notation         Code: ``01/QĐ-SXD`` is CodeNumber ``01``, CodeNotation
                            ``QĐ-SXD``
issue date                  PromulgationInfo/PromulgationDate; Place: the setting
                            ``cong.documents.edxml_place`` (the province's place
                            name, say), else the unit's title
kind                        DocumentType: Type from :data:`TYPE_NUMBERS`, TypeName
                            its title
summary                     Subject
authority, position, signer SignerInfo: Competence, Position, FullName
places (nơi nhận)           ToPlaces
urgency, copies             OtherInfo: Priority (:data:`PRIORITIES`), PromulgationAmount
unit, issue date, notation  DocumentId ``<unit code>,YYYY/MM/DD,<number/notation>``
replaces / corrects /       TraceHeaderList/Bussiness: 3 replace or 2 update with the
recalled                    DocumentId of the document replaced or corrected; 1 recall
                            (the reason, its own DocumentId); 0 new otherwise
files                       the signed PDF (:mod:`plugins.documents.sealing`) in
                            place of the PDF it was made from, and the other files,
                            byte for byte
=========================== ==============================================================

Not written, for the register has no field for them: Content, DueDate,
SteeringType, ResponseFor, PageAmount. Secret documents have no package (they are
never sent electronically, :data:`plugins.documents.exchange.SECRET`).

Reading a package back (:func:`incoming_values`): the sender is From's OrganName
(else the name the portal knows for its OrganId, else the OrganId), the kind its
TypeName when :func:`~plugins.documents.doctypes.find_type` knows it, else its
Type by :data:`TYPE_NUMBERS`, the urgency its Priority, the signer SignerInfo's
FullName, the deadline its DueDate; then every field and file is checked as a
clerk's entry is (:func:`~plugins.documents.entries.parse_incoming`: lengths,
dates, the kind, each file's content and size).
"""

from __future__ import annotations

import base64

from core.i18n import _
from plugins.documents import registered as R
from plugins.documents.doctypes import BY_CODE, TYPES, find_type
from plugins.documents.edxml import (
    NEW,
    RECALL,
    REPLACE,
    UPDATE,
    EdxmlAttachment,
    EdxmlDocument,
    EdxmlError,
    EdxmlOrgan,
    EdxmlOtherInfo,
    EdxmlSigner,
    EdxmlTrace,
    build_package,
    document_id,
    new_content_id,
)
from plugins.documents.entries import EntryError, parse_incoming
from plugins.documents.exchange import SECRET
from plugins.documents.exchange_partners import register_package_builder
from plugins.documents.registry import registry_of
from plugins.documents.sealing import PDF
from plugins.documents.units import unit_of

#: DocumentType/Type of each kind: OUR OWN numbering, 1 to 29 in the order of
#: Decree 30/2020 (art. 7, :data:`plugins.documents.doctypes.TYPES`: 1 Nghị quyết,
#: 2 Quyết định … 17 Công văn … 29 Thư công). (unconfirmed) The national systems'
#: numbering of DocumentType/Type was not found in a primary text; a package read
#: is therefore known by its TypeName first.
TYPE_NUMBERS: dict[str, int] = {kind.code: number for number, kind in enumerate(TYPES, start=1)}
KINDS_BY_NUMBER: dict[int, str] = {number: code for code, number in TYPE_NUMBERS.items()}
#: OtherInfo/Priority of each urgency: OUR mapping of the register's urgencies to
#: edXML's 0–3: 0 normal (thường), 1 khẩn, 2 thượng khẩn, 3 hỏa tốc.
PRIORITIES: dict[str, int] = {"": 0, "khan": 1, "thuong-khan": 2, "hoa-toc": 3}
URGENCIES: dict[int, str] = {priority: urgency for urgency, priority in PRIORITIES.items()}
#: The setting naming the place of issue (PromulgationInfo/Place).
PLACE_SETTING = "cong.documents.edxml_place"

NOT_ISSUED = _("Văn bản chưa ban hành: chưa có gói tin edXML.")


def split_notation(notation: str) -> tuple[str, str]:
    """A number and notation as edXML's Code: ``12/QĐ-UBND`` -> (``12``,
    ``QĐ-UBND``); ``15/2026/QĐ-UBND`` -> (``15``, ``2026/QĐ-UBND``)."""
    number, sep, rest = notation.partition("/")
    return (number, rest) if sep else ("", notation)


def joined_notation(number: str, notation: str) -> str:
    """The number and notation of edXML's Code as the registers write it."""
    number, notation = number.strip(), notation.strip()
    return f"{number}/{notation}" if number else notation


def document_id_of(organ_id: str, document) -> str:
    """The DocumentId of a registered ``document`` issued by ``organ_id``."""
    return document_id(organ_id, document.document_date, *split_notation(document.notation))


def _parent_title(site, subsite) -> str:
    parent = unit_of(site, subsite.parent_code) if subsite.parent_code else None
    return parent.title if parent is not None else ""


def unit_organ(site, code: str) -> EdxmlOrgan:
    """Unit ``code`` of the portal as an edXML organ (its title and contacts)."""
    subsite = unit_of(site, code)
    if subsite is None:
        return EdxmlOrgan(code)
    return EdxmlOrgan(
        organ_id=code,
        organization_in_charge=_parent_title(site, subsite),
        organ_name=subsite.title,
        organ_add=subsite.address or "",
        email=subsite.email or "",
        telephone=subsite.phone or "",
    )


def recipient_organ(site, recipient: R.Recipient) -> EdxmlOrgan:
    """A recipient as an edXML organ: a unit of the portal, or a partner of the
    catalogue."""
    if recipient.internal:
        return EdxmlOrgan(recipient.code, organ_name=recipient.name)
    partner = registry_of(site).partners.get(recipient.code)
    if partner is None:
        return EdxmlOrgan(recipient.code, organ_name=recipient.name)
    return EdxmlOrgan(
        recipient.code, organ_name=partner.name, organ_add=partner.address, email=partner.email
    )


def files_of(document) -> list[R.Attachment]:
    """The files a package of ``document`` carries: its files, the signed PDF in
    place of the PDF it was made from (the first)."""
    files = list(document.attachments)
    signed = document.signed_pdf
    if signed is not None:
        first = next((i for i, a in enumerate(files) if a.content_type == PDF), None)
        if first is None:
            files.insert(0, signed)
        else:
            files[first] = signed
    return files


def trace_of(document, own_id: str) -> EdxmlTrace:
    """What the package does: recall a recalled document, replace or update the
    document ``document`` replaces or corrects, else bring a new one."""
    if document.status == R.RECALLED:
        return EdxmlTrace(RECALL, document.recall_reason, own_id)
    office = document.__parent__
    for name, business in (("replaces", REPLACE), ("corrects", UPDATE)):
        other = office.documents.get(getattr(document, name) or "")
        if other is not None and other.issued is not None:
            return EdxmlTrace(business, "", document_id_of(document.unit_code, other))
    return EdxmlTrace(NEW)


def package_of(request, document, recipient: R.Recipient | None = None) -> EdxmlDocument:
    """Issued outgoing ``document`` as an edXML package for ``recipient`` (all its
    recipients when None). :class:`~plugins.documents.edxml.EdxmlError` for a
    document not issued, or secret."""
    if document.issued is None or not document.notation:
        raise EdxmlError(NOT_ISSUED)
    if document.secrecy:
        raise EdxmlError(SECRET)
    site = request.root
    code = document.unit_code
    sender = unit_organ(site, code)
    number, notation = split_notation(document.notation)
    own_id = document_id(code, document.document_date, number, notation)
    kind = BY_CODE.get(document.type_code)
    recipients = (recipient,) if recipient is not None else document.recipients
    place = getattr(request.registry, "documents_edxml_place", "") or sender.organ_name
    return EdxmlDocument(
        from_organ=sender,
        to_organs=[recipient_organ(site, r) for r in recipients],
        code_number=number,
        code_notation=notation,
        promulgation_place=place,
        promulgation_date=document.document_date,
        document_type=TYPE_NUMBERS.get(document.type_code),
        type_name=str(kind.title) if kind is not None else "",
        subject=document.summary,
        signer=EdxmlSigner(document.authority, document.signer_position, document.signer_name),
        to_places=list(document.places),
        other_info=EdxmlOtherInfo(
            priority=PRIORITIES.get(document.urgency, 0), promulgation_amount=document.copies
        ),
        document_id=own_id,
        trace=trace_of(document, own_id),
        attachments=[
            EdxmlAttachment(new_content_id(), a.filename, a.content_type, "", a.read())
            for a in files_of(document)
        ],
    )


def build_for_partner(request, document, recipient: R.Recipient) -> bytes:
    """The package of ``document`` sent to partner ``recipient`` (the exchange's
    package builder); EdxmlError (a ValueError with its ``message``) when there
    can be none."""
    return build_package(package_of(request, document, recipient))


# reading ---------------------------------------------------------------------------------
def sender_name(site, organ: EdxmlOrgan) -> str:
    """Who sent a package: its OrganName, else the name the portal knows for its
    OrganId (a unit, a partner), else the OrganId."""
    if organ.organ_name.strip():
        return organ.organ_name.strip()
    unit = unit_of(site, organ.organ_id)
    if unit is not None:
        return unit.title
    partner = registry_of(site).partners.get(organ.organ_id)
    return partner.name if partner is not None else organ.organ_id


def kind_of(doc: EdxmlDocument) -> str:
    """The code of the kind of ``doc``: by its TypeName, else its Type number
    (:data:`TYPE_NUMBERS`); EntryError (400) when neither names a kind."""
    kind = find_type(doc.type_name) if doc.type_name else None
    if kind is not None:
        return kind.code
    if doc.document_type in KINDS_BY_NUMBER:
        return KINDS_BY_NUMBER[doc.document_type]
    message = _(
        "Loại văn bản của gói tin (Type ${number}, TypeName \u201c${name}\u201d) không có "
        "trong danh mục của Nghị định 30/2020.",
        mapping={
            "number": "" if doc.document_type is None else doc.document_type,
            "name": doc.type_name[:80],
        },
    )
    raise EntryError(message, 400, {"type": message})


def incoming_values(request, doc: EdxmlDocument) -> dict:
    """What package ``doc`` registers as an incoming document, arriving now: the
    values of :func:`~plugins.documents.registration.register_incoming`, checked
    as a clerk's entry is (EntryError with the reason of each field or file
    refused: 400, 413 for a file too large)."""
    raw = {
        "sender": sender_name(request.root, doc.from_organ),
        "sender_code": doc.from_organ.organ_id,
        "notation": joined_notation(doc.code_number, doc.code_notation),
        "document_date": doc.promulgation_date,
        "type": kind_of(doc),
        "summary": doc.subject,
        "urgency": URGENCIES[doc.other_info.priority],
        "signer": doc.signer.full_name,
        "deadline": doc.due_date,
        "attachments": [
            {
                "filename": a.filename,
                "data": base64.b64encode(a.data).decode("ascii"),
                "encoding": "base64",
            }
            for a in doc.attachments
        ],
    }
    values = parse_incoming(request, raw, "json")
    number = doc.code_number.strip()
    values["number"] = (
        int(number) if number.isascii() and number.isdigit() and len(number) <= 9 else None
    )
    return values


def includeme(config) -> None:
    """Make :func:`build_for_partner` the exchange's package builder; keep the
    place of issue of the settings."""
    config.registry.documents_edxml_place = config.registry.settings.get(PLACE_SETTING, "").strip()
    register_package_builder(config, build_for_partner)
