"""The edXML model (QCVN 102:2016/BTTTT): what a package and a status message
carry, as plain frozen dataclasses, and the rules both directions check.

Independent of the registers: the exchange maps its documents to and from these
classes. :func:`check_document` and :func:`check_status` hold the rules a package
or a status message meets, so what :mod:`plugins.documents.edxml_build` writes is
always what :mod:`plugins.documents.edxml_parse` reads back.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from pyramid.i18n import TranslationString

from core.i18n import _

#: The namespace of every edXML element.
NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
#: The namespace of the manifest's links to the attachments (``xlink:href``).
XLINK = "http://www.w3.org/1999/xlink"

MB = 1024 * 1024
#: The largest package read, in bytes, unless the caller says otherwise.
MAX_PACKAGE_BYTES = 50 * MB
#: The most attachments a package may carry.
MAX_ATTACHMENTS = 100
#: The largest attachment, in bytes (decoded).
MAX_ATTACHMENT_BYTES = 30 * MB
#: The largest envelope (the package's XML part) read, in bytes: its elements are
#: held in memory, many times its size.
MAX_ENVELOPE_BYTES = 2 * MB
#: The largest status message read, in bytes.
MAX_STATUS_BYTES = 256 * 1024

#: BussinessDocType: a new document, the recall, update or replacement of one.
NEW, RECALL, UPDATE, REPLACE = 0, 1, 2, 3
BUSINESS_TYPES = (NEW, RECALL, UPDATE, REPLACE)
#: The priorities (độ khẩn) of OtherInfo/Priority: 0 thường … 3 hỏa tốc.
PRIORITIES = (0, 1, 2, 3)
#: The exchange statuses: arrived, refused, accepted, assigned, processing, done,
#: recall requested, recalled, recall refused.
ARRIVED, REFUSED, ACCEPTED, ASSIGNED, PROCESSING, DONE = 1, 2, 3, 4, 5, 6
RECALL_REQUESTED, RECALLED, RECALL_REFUSED = 13, 15, 16
STATUS_CODES = (
    ARRIVED,
    REFUSED,
    ACCEPTED,
    ASSIGNED,
    PROCESSING,
    DONE,
    RECALL_REQUESTED,
    RECALLED,
    RECALL_REFUSED,
)

#: What the fields that can be refused are, for the messages (by element path).
LABELS = {
    "From/OrganId": _("mã định danh cơ quan gửi"),
    "Code/CodeNumber": _("số văn bản"),
    "Code/CodeNotation": _("ký hiệu văn bản"),
    "PromulgationInfo/PromulgationDate": _("ngày ban hành"),
    "DocumentType/Type": _("loại văn bản"),
    "Subject": _("trích yếu"),
    "DueDate": _("hạn xử lý"),
    "OtherInfo/Priority": _("độ khẩn"),
    "OtherInfo/PromulgationAmount": _("số bản phát hành"),
    "OtherInfo/PageAmount": _("số trang"),
    "ResponseFor/OrganId": _("mã định danh cơ quan của văn bản được phúc đáp"),
    "ResponseFor/PromulgationDate": _("ngày ban hành của văn bản được phúc đáp"),
    "ResponseFor/DocumentId": _("mã định danh văn bản được phúc đáp"),
    "SteeringType": _("loại chỉ đạo"),
    "DocumentId": _("mã định danh văn bản"),
    "Bussiness/BussinessDocType": _("nghiệp vụ (mới, thu hồi, cập nhật, thay thế)"),
    "Reference/ContentId": _("mã tệp đính kèm"),
    "Reference/ContentType": _("kiểu tệp đính kèm"),
    "Status/StatusCode": _("mã trạng thái"),
    "Status/Timestamp": _("thời điểm"),
}

#: The element names of an organ (From, To), a signer and a staff member, with
#: the attribute each fills, in the order they are written.
ORGAN_FIELDS = (
    ("OrganId", "organ_id"),
    ("OrganizationInCharge", "organization_in_charge"),
    ("OrganName", "organ_name"),
    ("OrganAdd", "organ_add"),
    ("Email", "email"),
    ("Telephone", "telephone"),
    ("Fax", "fax"),
    ("Website", "website"),
)
SIGNER_FIELDS = (("Competence", "competence"), ("Position", "position"), ("FullName", "full_name"))
STAFF_FIELDS = (
    ("Department", "department"),
    ("Staff", "staff"),
    ("Email", "email"),
    ("Mobile", "mobile"),
)

#: A content id: the characters of an RFC 5322 msg-id but ``%`` (the ``cid:``
#: reference would read it as an escape).
_CONTENT_ID = re.compile(r"[A-Za-z0-9!#$&'*+\-./=?^_`{|}~@]{1,200}")
_CONTENT_TYPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+\-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+\-]*")


def qname(name: str, namespace: str = NAMESPACE) -> str:
    """The qualified name of the edXML element ``name`` (``{namespace}name``)."""
    return f"{{{namespace}}}{name}"


class EdxmlError(ValueError):
    """A package or status message that cannot be read or written: ``message``
    says why, as people read it."""

    def __init__(self, message: TranslationString):
        super().__init__(message)
        self.message = message


def missing(path: str) -> EdxmlError:
    """The refusal of a package or status message that lacks the field at ``path``."""
    return EdxmlError(
        _("Tệp edXML thiếu ${label} (${path}).", mapping={"label": LABELS[path], "path": path})
    )


def invalid(path: str) -> EdxmlError:
    """The refusal of a package or status message whose field at ``path`` has a
    value that is not valid."""
    return EdxmlError(
        _(
            "Tệp edXML có ${label} không hợp lệ (${path}).",
            mapping={"label": LABELS[path], "path": path},
        )
    )


@dataclass(frozen=True)
class EdxmlOrgan:
    """An agency (From, To): its identifier code (QCVN 102 / Decision 20/2020),
    the body in charge of it, its name and contacts."""

    organ_id: str
    organization_in_charge: str = ""
    organ_name: str = ""
    organ_add: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass(frozen=True)
class EdxmlSigner:
    """SignerInfo: the authority prefix (TM., KT., …), the position and the name."""

    competence: str = ""
    position: str = ""
    full_name: str = ""


@dataclass(frozen=True)
class EdxmlOtherInfo:
    """OtherInfo: priority (0 thường … 3 hỏa tốc), the sphere of promulgation, the
    typist's initials, the number of copies and pages, and the appendixes' titles."""

    priority: int = 0
    sphere_of_promulgation: str = ""
    typer_notation: str = ""
    promulgation_amount: int | None = None
    page_amount: int | None = None
    appendixes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EdxmlResponseFor:
    """ResponseFor: the document answered (its sender's organ id, its number and
    notation, its date, its document id); a status message says which document
    it reports on the same way."""

    organ_id: str
    code: str = ""
    promulgation_date: date | None = None
    document_id: str = ""


@dataclass(frozen=True)
class EdxmlTrace:
    """TraceHeaderList/Bussiness: what the package does (:data:`NEW`,
    :data:`RECALL`, :data:`UPDATE`, :data:`REPLACE`), why, and for a recall or a
    replacement the document id of the document concerned."""

    business_doc_type: int = NEW
    business_doc_reason: str = ""
    document_id: str = ""


@dataclass(frozen=True)
class EdxmlAttachment:
    """A file of the package: ``content_id`` names its MIME part (``cid:``)."""

    content_id: str
    filename: str
    content_type: str
    description: str = ""
    data: bytes = b""


@dataclass(frozen=True)
class EdxmlDocument:
    """An edXML package: the MessageHeader fields, the trace and the files."""

    from_organ: EdxmlOrgan
    code_number: str
    code_notation: str
    promulgation_date: date
    subject: str
    document_id: str
    to_organs: list[EdxmlOrgan] = field(default_factory=list)
    promulgation_place: str = ""
    document_type: int | None = None
    type_name: str = ""
    content: str = ""
    signer: EdxmlSigner = field(default_factory=EdxmlSigner)
    due_date: date | None = None
    to_places: list[str] = field(default_factory=list)
    other_info: EdxmlOtherInfo = field(default_factory=EdxmlOtherInfo)
    response_for: list[EdxmlResponseFor] = field(default_factory=list)
    steering_type: int | None = None
    trace: EdxmlTrace = field(default_factory=EdxmlTrace)
    attachments: list[EdxmlAttachment] = field(default_factory=list)


@dataclass(frozen=True)
class EdxmlStaff:
    """StaffInfo: who handled the document (department, name, email, mobile)."""

    department: str = ""
    staff: str = ""
    email: str = ""
    mobile: str = ""


@dataclass(frozen=True)
class EdxmlStatus:
    """A status message (the receiver's report on a document it was sent):
    ``status_code`` one of :data:`STATUS_CODES`; ``timestamp`` aware, to the
    second."""

    response_for: EdxmlResponseFor
    status_code: int
    timestamp: datetime
    description: str = ""
    staff_info: EdxmlStaff = field(default_factory=EdxmlStaff)
    from_organ: EdxmlOrgan | None = None


def document_id(organ_id: str, promulgation_date: date, number: str, notation: str) -> str:
    """The DocumentId of a document: ``OrganId,YYYY/MM/DD,number/notation``
    (``000.00.00.H41,2024/03/05,12/QĐ-UBND``)."""
    return f"{organ_id},{promulgation_date:%Y/%m/%d},{number}/{notation}"


def new_content_id() -> str:
    """A fresh content id for an attachment (unique, valid in a MIME header)."""
    return f"{uuid.uuid4().hex}@edxml"


def check_document(doc: EdxmlDocument, max_attachments: int = MAX_ATTACHMENTS) -> None:
    """:class:`EdxmlError` unless ``doc`` has its required fields (the sender's organ
    id, number, notation, date, subject, document id), values in range, at most
    ``max_attachments`` files, and each file a unique content id and a content type."""
    required = {
        "From/OrganId": doc.from_organ.organ_id,
        "Code/CodeNumber": doc.code_number,
        "Code/CodeNotation": doc.code_notation,
        "Subject": doc.subject,
        "DocumentId": doc.document_id,
    }
    for path, value in required.items():
        if not value.strip():
            raise missing(path)
    if doc.promulgation_date is None:
        raise missing("PromulgationInfo/PromulgationDate")
    if doc.other_info.priority not in PRIORITIES:
        raise invalid("OtherInfo/Priority")
    if doc.trace.business_doc_type not in BUSINESS_TYPES:
        raise invalid("Bussiness/BussinessDocType")
    for answered in doc.response_for:
        if not answered.organ_id.strip():
            raise missing("ResponseFor/OrganId")
    check_attachments(doc.attachments, max_attachments)


def check_attachments(attachments: list[EdxmlAttachment], max_attachments: int) -> None:
    """:class:`EdxmlError` for more than ``max_attachments`` files, a content id
    that is not valid or used twice, or a content type that is not ``type/subtype``
    (nor a container: ``multipart/…``, ``message/…``)."""
    if len(attachments) > max_attachments:
        raise too_many_attachments(max_attachments)
    seen = set()
    for attachment in attachments:
        if not _CONTENT_ID.fullmatch(attachment.content_id) or attachment.content_id in seen:
            raise invalid("Reference/ContentId")
        seen.add(attachment.content_id)
        kind = attachment.content_type.lower()
        if not _CONTENT_TYPE.fullmatch(kind) or kind.startswith(("multipart/", "message/")):
            raise invalid("Reference/ContentType")


def shown(value: str, longest: int = 80) -> str:
    """``value`` as a message repeats it: cut after ``longest`` characters."""
    return value if len(value) <= longest else value[:longest] + "…"


def size_text(size: int) -> str:
    """``size`` bytes as people read a limit: ``50 MB``, ``256 KB``."""
    if size >= MB:
        return f"{size // MB} MB"
    return f"{max(size // 1024, 1)} KB"


def too_large(limit: int) -> EdxmlError:
    """The refusal of a package or status message larger than ``limit`` bytes."""
    return EdxmlError(
        _("Tệp edXML quá lớn (tối đa ${limit}).", mapping={"limit": size_text(limit)})
    )


def part_too_large(name: str, limit: int) -> EdxmlError:
    """The refusal of a package whose part ``name`` is larger than ``limit`` bytes."""
    return EdxmlError(
        _(
            "Phần ${name} của gói tin quá lớn (tối đa ${limit}).",
            mapping={"name": shown(name), "limit": size_text(limit)},
        )
    )


def too_many_attachments(limit: int) -> EdxmlError:
    """The refusal of a package with more than ``limit`` files."""
    return EdxmlError(
        _("Gói tin có quá nhiều tệp đính kèm (tối đa ${limit}).", mapping={"limit": limit})
    )


def check_status(status: EdxmlStatus) -> None:
    """:class:`EdxmlError` unless ``status`` names the document it reports on and
    has a known status code and an aware timestamp."""
    if not status.response_for.organ_id.strip():
        raise missing("ResponseFor/OrganId")
    if not status.response_for.document_id.strip():
        raise missing("ResponseFor/DocumentId")
    if status.status_code not in STATUS_CODES:
        raise invalid("Status/StatusCode")
    if status.timestamp is None or status.timestamp.tzinfo is None:
        raise invalid("Status/Timestamp")
