"""The fields of a legal document beyond the kernel's: its kind (one of the 29
kinds of Decree 30, stored as its code), its field (lĩnh vực), lines of plain
text without markup, links to other documents by uid, and its files (PDF or
DOCX, checked by their content, their text read for the catalog).

The JSON form of a choice is ``{"token", "title"}`` (the kind adds its
``abbreviation``); a choice is accepted as its code, as that object, or (the
kind) by its abbreviation or title.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from catalog.text import attachment_text
from core.fields import MISSING, Choice, Field, FileField, Invalid, TextLine, Upload, as_text
from core.i18n import _
from core.names import slugify
from core.sniffing import EXTENSIONS, NotADocument, check_document
from plugins.documents.doctypes import BY_CODE, TYPES, find_type
from plugins.documents.legal import Attachment

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: The kinds of files a legal document's attachments may be.
ACCEPTED = (PDF, DOCX)
#: Files a document has, at most.
MAX_FILES = 10
#: Characters of text read from a document's files and kept for search, at most.
MAX_TEXT = 200_000
#: The kinds as a vocabulary: ``(code, title)``.
KINDS = tuple((kind.code, kind.title) for kind in TYPES)
#: The fields (lĩnh vực) documents belong to: ``(slug, label)``.
FIELDS = (
    ("bo-may-hanh-chinh", _("Bộ máy hành chính")),
    ("dat-dai", _("Đất đai")),
    ("tai-nguyen-moi-truong", _("Tài nguyên - Môi trường")),
    ("xay-dung-do-thi", _("Xây dựng - Đô thị")),
    ("giao-thong-van-tai", _("Giao thông - Vận tải")),
    ("tai-chinh-ngan-sach", _("Tài chính - Ngân sách")),
    ("thue-phi-le-phi", _("Thuế - Phí - Lệ phí")),
    ("dau-tu", _("Đầu tư")),
    ("thuong-mai", _("Thương mại")),
    ("nong-nghiep", _("Nông nghiệp")),
    ("giao-duc", _("Giáo dục")),
    ("y-te", _("Y tế")),
    ("van-hoa-the-thao-du-lich", _("Văn hóa - Thể thao - Du lịch")),
    ("lao-dong-viec-lam", _("Lao động - Việc làm")),
    ("khoa-hoc-cong-nghe", _("Khoa học - Công nghệ")),
    ("cong-nghe-thong-tin", _("Công nghệ thông tin")),
    ("tu-phap", _("Tư pháp")),
    ("noi-vu", _("Nội vụ")),
    ("quoc-phong-an-ninh", _("Quốc phòng - An ninh")),
    ("khac", _("Lĩnh vực khác")),
)
FIELD_LABELS = dict(FIELDS)
#: A tag, an end tag, a comment or a doctype: what a line of plain text may not hold.
MARKUP_RE = re.compile(r"<\s*[/!?]?\s*[A-Za-z]")
UID_RE = re.compile(r"^[0-9a-f]{32}\Z")


def token_of(raw: Any) -> Any:
    """A choice as a client sends it back: ``{"token": ...}`` is its token."""
    return raw.get("token") if isinstance(raw, dict) else raw


@dataclass(frozen=True)
class PlainLine(TextLine):
    """One line of plain text that holds no markup: a title or a body's name is
    text, never HTML."""

    def convert(self, raw, source):
        value = super().convert(raw, source)
        if MARKUP_RE.search(value):
            raise Invalid(_("Không được chứa thẻ HTML hoặc mã lệnh (ký tự “<”)."))
        return value


@dataclass(frozen=True)
class TokenChoice(Choice):
    """A choice whose JSON form is ``{"token", "title"}``."""

    def convert(self, raw, source):
        return super().convert(token_of(raw), source)

    def serialize(self, obj):
        value = getattr(obj, self.name, None)
        if not value:
            return None
        return {"token": value, "title": dict(self.vocabulary).get(value, value)}


@dataclass(frozen=True)
class KindChoice(TokenChoice):
    """The kind of a document: a code (``quyet-dinh``), or the kind's abbreviation
    (``QĐ``, case-sensitive) or title (``Quyết định``); stored as its code."""

    def convert(self, raw, source):
        kind = find_type(token_of(raw))
        if kind is None:
            raise Invalid(_("Loại văn bản không có trong 29 loại của Nghị định 30/2020/NĐ-CP."))
        return kind.code

    def serialize(self, obj):
        kind = BY_CODE.get(getattr(obj, self.name, ""))
        if kind is None:
            return None
        return {"token": kind.code, "title": kind.title, "abbreviation": kind.abbreviation}


def token_of_link(item: Any) -> Any:
    """A link as a client sends it back: ``{"UID": ...}`` is its uid."""
    return item.get("UID", "") if isinstance(item, dict) else item


@dataclass(frozen=True)
class Links(Field):
    """Uids of other legal documents: a list in JSON, one a line in forms. Whether
    each names a document the requester may link is the type's check."""

    widget: str = "textarea"
    default: Any = ()
    max_items: int = 20
    json_type = "array"
    factory = "List"

    def schema_details(self, request):
        return {"items": {"type": "string", "pattern": UID_RE.pattern}, "maxItems": self.max_items}

    def convert(self, raw, source):
        items = raw if isinstance(raw, list | tuple) else as_text(raw).split()
        uids = []
        for item in items:
            uid = as_text(token_of_link(item)).strip().lower()
            if not UID_RE.match(uid):
                raise Invalid(
                    _("“${value}” không phải mã định danh (UID) của văn bản.",
                      mapping={"value": uid[:40]})
                )  # fmt: skip
            if uid not in uids:
                uids.append(uid)
        if len(uids) > self.max_items:
            raise Invalid(_("Tối đa ${n} văn bản.", mapping={"n": self.max_items}))
        return tuple(uids)

    def serialize(self, obj):
        return list(getattr(obj, self.name, None) or ())


def safe_name(filename: str, media_type: str, taken: set[str]) -> str:
    """A name for a file in a document's addresses: its name made plain, with the
    extension of what it is, not yet in ``taken``."""
    stem = slugify(posixpath.splitext(filename)[0])[:60] or "tep"
    extension = EXTENSIONS[media_type]
    name, number = stem + extension, 1
    while name in taken:
        number += 1
        name = f"{stem}-{number}{extension}"
    return name


@dataclass(frozen=True)
class Attachments(Field):
    """The files of a document, replaced together: PDF or Word (.docx) documents,
    checked by their content (:func:`core.sniffing.check_document`), not by their
    names. JSON: a list of ``{"data", "encoding", "filename", "content-type"}`` (or
    one); forms: a file input taking several. Left empty in a form, the stored
    files stay. That a new document has at least one is the type's check."""

    widget: str = "file"
    accept: tuple = (PDF, DOCX, ".pdf", ".docx")
    multiple = True
    json_type = "array"
    factory = "List"

    def schema_details(self, request):
        file_schema = FileField(self.name, self.label).schema_details(request)
        return {"items": {"type": "object", **file_schema}, "maxItems": MAX_FILES}

    def parse(self, raw: Any, source: str) -> Any:
        if raw is MISSING or raw is None:
            return None
        if source == "form":
            items = [
                item for item in (raw if isinstance(raw, list) else [raw]) if hasattr(item, "file")
            ]
            return self.convert(items, source) if items else None
        return self.convert(raw if isinstance(raw, list) else [raw], source)

    def convert(self, raw, source) -> tuple[Upload, ...]:
        if len(raw) > MAX_FILES:
            raise Invalid(_("Tối đa ${n} tệp.", mapping={"n": MAX_FILES}))
        reader = FileField(self.name, self.label)
        return tuple(checked(reader.convert(item, source)) for item in raw)

    def store(self, obj, value) -> None:
        if value is None:
            return
        files, taken, room = [], set(), MAX_TEXT
        for upload in value:
            attachment = Attachment()
            attachment.set_data(upload)
            attachment.name = safe_name(upload.filename, upload.content_type, taken)
            taken.add(attachment.name)
            if room > 0:
                text = attachment_text(
                    upload.filename, upload.content_type, lambda u=upload: u.data
                )
                attachment.text = text[:room]
                room -= len(attachment.text)
            files.append(attachment)
        obj.attachments = tuple(files)

    def serialize(self, obj):
        return [a.file_info() for a in getattr(obj, self.name, None) or ()]


def checked(upload: Upload) -> Upload:
    """``upload`` if its bytes are a PDF or a Word document (with that media type,
    whatever it was sent as); :class:`Invalid` naming it otherwise."""
    try:
        media_type = check_document(upload.data)
    except NotADocument:
        media_type = None
    if media_type not in ACCEPTED:
        raise Invalid(
            _("Tệp “${name}” không phải văn bản PDF hoặc Word (.docx).",
              mapping={"name": upload.filename[:80]})
        )  # fmt: skip
    return Upload(unicodedata.normalize("NFC", upload.filename), media_type, upload.data)
