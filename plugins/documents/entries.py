"""What a clerk enters to register a document, checked the same way in the pages
and in JSON: the fields of an incoming and of an outgoing document, their files.

:func:`parse_incoming` and :func:`parse_outgoing` answer the values to keep, or
raise :class:`EntryError` with the message of each refused field; nothing is
stored before every field is right.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from ZODB.blob import Blob

from core.clock import TIMEZONE, now
from core.fields import MISSING, Bool, Choice, Date, FileField, Invalid, TextLine
from core.i18n import _
from core.sniffing import NotADocument, check_document
from plugins.documents import registered as R
from plugins.documents.doctypes import find_type
from plugins.documents.limits import max_file_bytes

#: The most files one document carries.
MAX_ATTACHMENTS = 20
#: The most readers, recipients or coordinators one document names.
MAX_NAMES = 200
#: The years a moment entered may fall in (its time zone kept within Python's dates).
MIN_YEAR, MAX_YEAR = 1900, 9998


class EntryError(ValueError):
    """Input refused: ``status`` (400, or 413 for a file too large), ``message``,
    and ``errors`` by field name."""

    def __init__(self, message, status: int = 400, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.errors = errors or {}


def _choices(mapping: dict) -> tuple:
    return (("", _("Thường")), *mapping.items())


COMMON_FIELDS = (
    TextLine("notation", _("Số, ký hiệu"), max_length=100),
    Date("document_date", _("Ngày văn bản")),
    TextLine("summary", _("Trích yếu"), required=True, max_length=2000),
    Choice("urgency", _("Độ khẩn"), vocabulary=_choices(R.URGENCIES), default=""),
    Choice("secrecy", _("Độ mật"), vocabulary=_choices(R.SECRECIES), default=""),
)
INCOMING_FIELDS = (
    TextLine("sender", _("Nơi gửi"), required=True, max_length=300),
    TextLine("sender_code", _("Mã nơi gửi"), max_length=50),
    TextLine("signer", _("Người ký"), max_length=200),
    Date("deadline", _("Hạn xử lý")),
    *COMMON_FIELDS,
)
OUTGOING_FIELDS = (
    TextLine("drafting_unit", _("Đơn vị soạn thảo (viết tắt)"), max_length=30),
    Bool("legal_normative", _("Văn bản quy phạm pháp luật")),
    TextLine("signer_name", _("Người ký"), max_length=200),
    TextLine("signer_position", _("Chức vụ người ký"), max_length=200),
    Choice("authority", _("Thẩm quyền ký"), vocabulary=tuple(R.AUTHORITIES.items()), default=""),
    *COMMON_FIELDS,
)
ATTACHMENT = FileField("attachments", _("Tệp đính kèm"))


def parse_fields(fields, raw: dict, source: str) -> tuple[dict, dict]:
    """The values of ``fields`` in ``raw`` and the errors by field name."""
    values, errors = {}, {}
    for field in fields:
        try:
            values[field.name] = field.parse(raw.get(field.name, MISSING), source)
        except Invalid as error:
            errors[field.name] = error.message
    return values, errors


def parse_kind(raw: dict, errors: dict) -> str:
    kind = find_type(raw.get("type"))
    if kind is None:
        errors["type"] = _("Loại văn bản không có trong danh mục của Nghị định 30/2020.")
        return ""
    return kind.code


def parse_names(raw, name: str, errors: dict) -> tuple[str, ...]:
    """A list of logins or codes: a JSON list, or text with one per line or comma."""
    if raw is MISSING or raw is None or raw == "":
        return ()
    if isinstance(raw, str):
        raw = raw.replace(",", "\n").splitlines()
    if not isinstance(raw, list | tuple) or not all(isinstance(v, str) for v in raw):
        errors[name] = _("Cần một danh sách tên.")
        return ()
    names = tuple(dict.fromkeys(v.strip() for v in raw if v.strip()))
    if len(names) > MAX_NAMES or any(len(v) > 100 for v in names):
        errors[name] = _("Danh sách quá dài.")
        return ()
    return names


def parse_moment(raw, name: str, errors: dict, default: datetime) -> datetime:
    """A moment: an ISO date-time (Vietnam time when it names no zone), or a date
    (``default`` when it is ``default``'s day, else that day's start); ``default``
    when absent."""
    if raw is MISSING or raw is None or raw == "":
        return default
    moment = None
    if isinstance(raw, str):
        text = raw.strip()
        try:
            if len(text) == 10:
                day = date.fromisoformat(text)
                if day == default.astimezone(TIMEZONE).date():
                    return default
                moment = datetime.combine(day, datetime.min.time(), TIMEZONE)
            else:
                moment = datetime.fromisoformat(text)
        except ValueError:
            moment = None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=TIMEZONE)
    if moment is None or not MIN_YEAR <= moment.year <= MAX_YEAR:
        errors[name] = _("Thời điểm không hợp lệ (YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM).")
        return default
    return moment.astimezone(UTC)  # kept in UTC: a ZoneInfo zone does not pickle in ZODB


def parse_attachments(request, raw, source: str) -> tuple[R.Attachment, ...]:
    """The files as kept: each a document by its first bytes (PDF, office files,
    images) and within the size limit. EntryError otherwise."""
    if raw is MISSING or raw is None or raw == "":
        return ()
    items = raw if isinstance(raw, list | tuple) else [raw]
    if source == "form":
        items = [item for item in items if hasattr(item, "file")]
    if len(items) > MAX_ATTACHMENTS:
        raise EntryError(
            _("Tối đa ${n} tệp.", mapping={"n": MAX_ATTACHMENTS}),
            400,
            {"attachments": _("Quá nhiều tệp.")},
        )
    limit = max_file_bytes(request.registry)
    kept = []
    for item in items:
        try:
            upload = ATTACHMENT.parse(item, source)
        except Invalid as error:
            raise EntryError(error.message, 400, {"attachments": error.message}) from None
        if len(upload.data) > limit:
            message = _("Tệp quá lớn: tối đa ${n} MB.", mapping={"n": limit // (1024 * 1024)})
            raise EntryError(message, 413, {"attachments": message})
        try:
            media_type = check_document(upload.data)
        except NotADocument as error:
            raise EntryError(error.message, 400, {"attachments": error.message}) from None
        kept.append(R.Attachment(upload.filename, media_type, len(upload.data), Blob(upload.data)))
    return tuple(kept)


def _refuse(errors: dict) -> None:
    if errors:
        raise EntryError(_("Thông tin văn bản chưa đúng."), 400, errors)


def parse_incoming(request, raw: dict, source: str) -> dict:
    """The values of a new incoming document: its fields, ``type_code``,
    ``arrival`` (not after now), ``readers`` and ``attachments``."""
    if not isinstance(raw, dict):
        raise EntryError(_("Cần một đối tượng JSON."))
    values, errors = parse_fields(INCOMING_FIELDS, raw, source)
    values["type_code"] = parse_kind(raw, errors)
    moment = now()
    values["arrival"] = parse_moment(raw.get("arrival"), "arrival", errors, moment)
    if "arrival" not in errors and values["arrival"] > moment:
        errors["arrival"] = _("Ngày đến không được sau thời điểm hiện tại.")
    day = values.get("document_date")
    if (
        day is not None
        and "arrival" not in errors
        and day > values["arrival"].astimezone(TIMEZONE).date()
    ):
        errors["document_date"] = _("Ngày văn bản không được sau ngày đến.")
    values["readers"] = parse_names(raw.get("readers"), "readers", errors)
    deadline = values.pop("deadline", None)
    values["deadline"] = R.end_of_day(deadline) if deadline else None
    _refuse(errors)
    values["attachments"] = parse_attachments(request, raw.get("attachments"), source)
    return values


def parse_outgoing(request, raw: dict, source: str) -> dict:
    """The values of a new outgoing document (a draft): its fields, ``type_code``,
    ``recipients`` (codes: units of the portal or partners), ``readers``,
    ``attachments``."""
    if not isinstance(raw, dict):
        raise EntryError(_("Cần một đối tượng JSON."))
    values, errors = parse_fields(OUTGOING_FIELDS, raw, source)
    values["type_code"] = parse_kind(raw, errors)
    values["readers"] = parse_names(raw.get("readers"), "readers", errors)
    values["recipient_codes"] = parse_names(raw.get("recipients"), "recipients", errors)
    places = parse_names(raw.get("places"), "places", errors)
    values["places"] = places
    copies = raw.get("copies", 1)
    if source == "form" and isinstance(copies, str) and copies.strip().isdigit():
        copies = int(copies)
    if copies in (MISSING, None, ""):
        copies = 1
    if not isinstance(copies, int) or isinstance(copies, bool) or not 0 <= copies <= 10000:
        errors["copies"] = _("Số bản là một số nguyên từ 0 đến 10000.")
    values["copies"] = copies
    for name in ("replaces", "corrects"):
        value = raw.get(name) or ""
        if not isinstance(value, str) or len(value) > 40:
            errors[name] = _("Cần mã của một văn bản đi đã ban hành.")
        values[name] = value if isinstance(value, str) else ""
    _refuse(errors)
    values["attachments"] = parse_attachments(request, raw.get("attachments"), source)
    return values
