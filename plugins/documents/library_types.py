"""The library's types as the kernel registers them: ``LegalLibrary`` (a unit's
section, at the portal's root or in a subsite) and ``LegalDocument`` (only in a
library), with the check of a document that needs the site: its number and
notation agree with its kind and are not given twice in a library in one year,
its dates are in order, the documents it links to exist and may be changed by
the requester, and it has a file."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from pyramid.traversal import find_interface, resource_path

import catalog
from core.contenttypes import DESCRIPTION
from core.fields import Bool, Date, Text, TextLine
from core.i18n import _
from core.interfaces import INavigationRoot, ISite
from core.names import slugify
from core.permissions import EDIT, VIEW
from core.types import ContentType
from core.uids import resolve
from plugins.documents.doctypes import BY_CODE
from plugins.documents.legal import (
    DOCUMENT,
    IN_FORCE,
    LIBRARY,
    STATUSES,
    ILegalDocument,
    LegalDocument,
    LegalLibrary,
    today,
)
from plugins.documents.library_catalog import NUMBER
from plugins.documents.library_fields import (
    FIELDS,
    KINDS,
    Attachments,
    KindChoice,
    Links,
    PlainLine,
    TokenChoice,
)

#: Number and notation: ``12/QĐ-UBND``, ``12/2025/QĐ-UBND``, ``125/UBND-VP``.
NUMBER_RE = re.compile(r"^(\d{1,6})(/\d{4})?/([^\s/-]+)(-[^\s/-]+)+\Z")
#: The links of a document and what each one may not name.
LINKS = ("replaces", "amends")

DOCUMENT_FIELDS = (
    PlainLine(
        "number",
        _("Số, ký hiệu"),
        required=True,
        max_length=60,
        description=_("Ví dụ: 12/2025/QĐ-UBND, 125/UBND-VP."),
    ),
    KindChoice("kind", _("Loại văn bản"), required=True, vocabulary=KINDS),
    PlainLine("title", _("Trích yếu"), required=True, max_length=500),
    PlainLine(
        "issuing_body",
        _("Cơ quan ban hành"),
        max_length=200,
        default="",
        description=_("Để trống: tên của đơn vị."),
    ),
    PlainLine("signer", _("Người ký"), max_length=120, default=""),
    PlainLine(
        "signer_position",
        _("Chức vụ người ký"),
        max_length=200,
        default="",
        description=_("Ví dụ: KT. Chủ tịch - Phó Chủ tịch."),
    ),
    Date("issue_date", _("Ngày ban hành"), required=True),
    Date(
        "effective_date",
        _("Ngày có hiệu lực"),
        description=_("Để trống: có hiệu lực từ ngày ban hành."),
    ),
    TokenChoice("status", _("Tình trạng hiệu lực"), vocabulary=STATUSES, default=IN_FORCE),
    TokenChoice("field", _("Lĩnh vực"), vocabulary=FIELDS, default=""),
    Text("description", _("Tóm tắt nội dung"), max_length=2000),
    Attachments(
        "attachments",
        _("Tệp văn bản"),
        description=_(
            "Một hoặc nhiều tệp PDF hoặc Word (.docx). Chọn tệp mới sẽ thay thế các tệp "
            "hiện có; để trống để giữ nguyên."
        ),
    ),
    Links(
        "replaces",
        _("Thay thế các văn bản"),
        description=_("Mã định danh (UID) của các văn bản bị thay thế, mỗi dòng một mã."),
    ),
    Links(
        "amends",
        _("Sửa đổi, bổ sung các văn bản"),
        description=_("Mã định danh (UID) của các văn bản được sửa đổi, mỗi dòng một mã."),
    ),
    Bool("exclude_from_province", _("Không hiển thị ở cổng tỉnh")),
)


def unit_of(request, obj):
    """The unit ``obj`` is in: its subsite, else the site (the province)."""
    root = find_interface(obj, INavigationRoot)
    return request.root if root is None or ISite.providedBy(root) else root


def unit_title(request, obj) -> str:
    """The name of the unit ``obj`` is in."""
    unit = unit_of(request, obj)
    return (getattr(unit, "unit_name", "") if ISite.providedBy(unit) else "") or unit.title


def check_number(number: str, kind_code: str) -> str | None:
    """Why ``number`` cannot be the number and notation of a document of kind
    ``kind_code``, or None: it is ``number[/year]/notation``, and the notation of a
    kind that has an abbreviation starts with it, exactly (``QĐ``, not ``Qđ``)."""
    match = NUMBER_RE.match(unicodedata.normalize("NFC", number))
    if not match:
        return _("Số, ký hiệu có dạng 12/QĐ-UBND, 12/2025/QĐ-UBND hoặc 125/UBND-VP.")
    kind = BY_CODE.get(kind_code)
    if kind is not None and kind.abbreviation and match.group(3) != kind.abbreviation:
        return _(
            "Ký hiệu của ${kind} phải bắt đầu bằng “${abbreviation}”.",
            mapping={"kind": kind.title, "abbreviation": kind.abbreviation},
        )
    return None


def duplicate_of(request, folder, obj, number: str, year: int):
    """A catalog record of another document of ``folder`` with ``number`` issued
    in ``year`` (that the requester may see), or None."""
    found = catalog.search(
        request,
        types=(DOCUMENT,),
        path=resource_path(folder),
        fields={NUMBER: number},
        date_ranges={"effective": (date(year, 1, 1), date(year, 12, 31))},
        size=2,
    )
    return next((r for r in found.records if obj is None or r.uid != obj.uid), None)


def link_errors(request, obj, uids) -> object | None:
    """Why a document cannot link to ``uids`` (those it does not link to yet), or
    None: each names another legal document that the requester may see and
    change, and that does not link back."""
    own = getattr(obj, "uid", None)
    for uid in uids:
        target = resolve(request.root, uid)
        if target is None or not ILegalDocument.providedBy(target):
            return _("Không có văn bản mã ${uid}.", mapping={"uid": uid})
        if uid == own:
            return _("Văn bản không thể liên kết với chính nó.")
        if not request.has_permission(VIEW, target) or not request.has_permission(EDIT, target):
            return _("Bạn không có quyền sửa văn bản ${number}.", mapping={"number": target.number})
        if own and any(own in getattr(target, name, ()) for name in LINKS):
            return _(
                "Văn bản ${number} đã liên kết ngược lại văn bản này.",
                mapping={"number": target.number},
            )
    return None


def check_document(request, folder, obj, values) -> dict:
    """What the fields cannot check alone (see the module's docstring); fills an
    empty issuing body with the unit's name."""

    def current(name):
        return values[name] if name in values else getattr(obj, name, None)

    errors = {}
    number, kind = current("number"), current("kind")
    if number and kind and ("number" in values or "kind" in values):
        problem = check_number(number, kind)
        if problem:
            errors["number"] = problem
    issued, effective = current("issue_date"), current("effective_date")
    if issued and issued > today():
        errors["issue_date"] = _("Ngày ban hành không thể sau hôm nay.")
    if issued and effective and effective < issued:
        errors["effective_date"] = _("Ngày có hiệu lực không thể trước ngày ban hành.")
    if (
        number
        and issued
        and "number" not in errors
        and ("number" in values or "issue_date" in values)
    ):
        other = duplicate_of(request, folder, obj, number, issued.year)
        if other is not None:
            errors["number"] = _(
                "Năm ${year} đã có văn bản số ${number}: “${title}”.",
                mapping={"year": issued.year, "number": number, "title": other.title[:80]},
            )
    for name in LINKS:
        added = [uid for uid in values.get(name) or () if uid not in getattr(obj, name, ())]
        problem = link_errors(request, obj, added)
        if problem:
            errors[name] = problem
    if "attachments" in values:
        files = values["attachments"]
        if files == () or (files is None and not getattr(obj, "attachments", ())):
            errors["attachments"] = _("Cần ít nhất một tệp văn bản (PDF hoặc .docx).")
    if "issuing_body" in values and not values["issuing_body"]:
        values["issuing_body"] = unit_title(request, folder if obj is None else obj)
    return errors


def document_name(document: LegalDocument) -> str:
    """A new document's name in its library: its number made plain, and its year
    when the number does not hold it (``12-qd-ubnd-2025``)."""
    name = slugify(document.number)
    year = str(document.issue_date.year) if document.issue_date else ""
    return name if not year or year in name else f"{name}-{year}"


TYPES = [
    ContentType(
        LIBRARY,
        LegalLibrary,
        _("Thư viện văn bản"),
        fields=(
            TextLine("title", _("Tiêu đề"), required=True),
            DESCRIPTION,
        ),
        addable_to=("Site", "Subsite"),
        allowed_children=(DOCUMENT,),
        description=_("Văn bản pháp quy, văn bản chỉ đạo, điều hành của đơn vị, để tra cứu."),
    ),
    ContentType(
        DOCUMENT,
        LegalDocument,
        _("Văn bản pháp quy"),
        fields=DOCUMENT_FIELDS,
        addable_to=(LIBRARY,),
        description=_(
            "Một văn bản đã ban hành: số, ký hiệu, loại, cơ quan ban hành, ngày ban hành, "
            "hiệu lực và tệp văn bản."
        ),
        searchable_text=(
            "title", "description", "number", "issuing_body", "signer", "attachments_text",
        ),
        check=check_document,
        name_of=document_name,
    ),
]  # fmt: skip
