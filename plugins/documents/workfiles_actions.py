"""What is done to work files, by whom, with what input
(:mod:`plugins.documents.workfiles`); the same checks for the pages and JSON.

============== ================== ========== ==========================================
operation      from               to         who (at the file's unit)
============== ================== ========== ==========================================
create_file    (new)              planned    Clerk, Leader; once the year's list is
                                  approved   approved, a Leader only (an addition)
approve_list   planned (the year) approved   Leader
open_file      approved           open       Clerk, Leader, the person responsible
file_document  open               (same)     Clerk, the person responsible, the
                                             document's lead
unfile         open               (same)     Clerk, the person responsible
close_file     open               closed     Clerk, Leader, the person responsible
archive_file   closed             archived   Clerk, Leader, the person responsible
============== ================== ========== ==========================================

Managers hold every role. Each refuses with :class:`WorkFileError` (400 bad input,
403 not allowed, 404 unknown, 409 not in this state or a duplicate) before
anything is changed.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from core.clock import TIMEZONE, now
from core.fields import MISSING, Date, Invalid, TextLine
from core.i18n import _
from core.names import fold
from core.security import principals_at
from core.sequences import next_number
from plugins.documents import workfiles as W
from plugins.documents.access import STAFF_ROLES, can_view, has_role, is_lead, login_of
from plugins.documents.units import office_of, unit_of

#: The sequence numbering a unit's files of a year.
SEQUENCE = "documents-workfile"
#: What a file's code may hold: letters, digits, ``.``, ``-``, ``/``, ``_``.
CODE_RE = re.compile(r"^\w[\w./-]*\Z")
#: The most sheets a file or a document counts.
MAX_SHEETS = 100000
FIELDS = (
    TextLine("code", _("Ký hiệu hồ sơ"), required=True, max_length=30),
    TextLine("title", _("Tiêu đề hồ sơ"), required=True, max_length=500),
    TextLine("responsible", _("Người lập hồ sơ"), max_length=100),
    TextLine("note", _("Ghi chú"), max_length=1000),
)
#: What a new file's form or body names.
RAW_FIELDS = ("code", "title", "year", "retention", "responsible", "note")
NOTE = TextLine("note", _("Ghi chú"), max_length=1000)
DAY = Date("day", _("Ngày"))
RECEIVER = TextLine("received_by", _("Người nhận (lưu trữ cơ quan)"), required=True, max_length=200)


def today() -> date:
    return now().astimezone(TIMEZONE).date()


def _refuse(errors: dict, message=None) -> None:
    if errors:
        raise W.WorkFileError(message or _("Thông tin hồ sơ chưa đúng."), 400, errors)


def _field(field, raw: dict, errors: dict):
    try:
        return field.parse(raw.get(field.name, MISSING), "json")
    except Invalid as error:
        errors[field.name] = error.message
        return None


def _whole(raw, name: str, errors: dict, minimum: int, maximum: int, required: bool = False):
    """A whole number from JSON or a form's text; None when absent (and allowed)."""
    if raw in (MISSING, None, ""):
        if required:
            errors[name] = _("Bắt buộc nhập.")
        return None
    if isinstance(raw, str) and raw.strip().isdigit() and len(raw.strip()) <= 9:
        raw = int(raw.strip())
    if not isinstance(raw, int) or isinstance(raw, bool) or not minimum <= raw <= maximum:
        errors[name] = _(
            "Cần một số nguyên từ ${minimum} đến ${maximum}.",
            mapping={"minimum": minimum, "maximum": maximum},
        )
        return None
    return raw


def parse_year(raw, errors: dict, name: str = "year") -> int | None:
    """A year of the lists: from :data:`~plugins.documents.workfiles.FIRST_YEAR`
    to next year (a list is made before its year starts); this year when absent."""
    if raw in (MISSING, None, ""):
        return today().year
    return _whole(raw, name, errors, W.FIRST_YEAR, today().year + 1)


def year_of(raw) -> int:
    """The year ``raw`` names; WorkFileError 400 when it is none."""
    errors = {}
    year = parse_year(raw, errors)
    _refuse(errors, _("Năm không hợp lệ."))
    return year


def parse_retention(raw, errors: dict) -> int | str | None:
    """A retention: a number of years, or ``vinh-vien`` (``Vĩnh viễn``)."""
    if isinstance(raw, str) and fold(raw).strip().lower().replace(" ", "-") == W.PERMANENT:
        return W.PERMANENT
    found = _whole(raw, "retention", errors, 1, W.MAX_RETENTION_YEARS, required=True)
    if "retention" in errors:
        errors["retention"] = _(
            "Số năm (1 đến ${n}) hoặc “vinh-vien” (vĩnh viễn).",
            mapping={"n": W.MAX_RETENTION_YEARS},
        )
    return found


def _staff_login(request, login: str, unit_code: str) -> bool:
    """Whether ``login`` names staff of the unit (or a Manager)."""
    user = request.root.principals.get_user(login)
    if user is None:
        return False
    found = principals_at(user, request.root, unit_of(request.root, unit_code))
    return any(f"role:{r}" in found for r in (*STAFF_ROLES, "Manager"))


def parse_file(request, office, raw: dict) -> dict:
    """The values of a new file from ``raw`` (a JSON body or a form's fields)."""
    if not isinstance(raw, dict):
        raise W.WorkFileError(_("Cần một đối tượng JSON."))
    errors = {}
    values = {field.name: _field(field, raw, errors) for field in FIELDS}
    if values["code"] and not CODE_RE.match(values["code"]):
        errors["code"] = _("Ký hiệu gồm chữ, số và các dấu . - / _ (ví dụ 01.VP).")
    values["year"] = parse_year(raw.get("year", MISSING), errors)
    values["retention"] = parse_retention(raw.get("retention", MISSING), errors)
    responsible = values["responsible"] or login_of(request)
    if "responsible" not in errors and not _staff_login(request, responsible, office.unit_code):
        errors["responsible"] = _("Người lập hồ sơ phải là cán bộ của đơn vị.")
    values["responsible"] = responsible
    values["note"] = values["note"] or ""
    _refuse(errors)
    return values


def may_manage(request, work_file) -> bool:
    """Whether the requester opens, closes and hands over ``work_file``: the unit's
    Clerks and Leaders, and the person responsible."""
    unit_code = work_file.__parent__.unit_code
    return has_role(request, unit_code, "Clerk", "Leader") or (
        login_of(request) == work_file.responsible
    )


def may_file(request, work_file, document) -> bool:
    """Whether the requester files ``document`` into ``work_file``: the unit's
    Clerks, the person responsible for the file, the document's lead; each only
    a document they may see."""
    allowed = (
        has_role(request, work_file.__parent__.unit_code, "Clerk")
        or login_of(request) == work_file.responsible
        or is_lead(request, document)
    )
    return allowed and can_view(request, document)


def may_add(request, office) -> bool:
    return has_role(request, office.unit_code, "Clerk", "Leader")


def _forbidden(message=None):
    return W.WorkFileError(message or _("Bạn không có quyền thực hiện thao tác này."), 403)


def _state(work_file, *states: str) -> None:
    if work_file.state in states:
        return
    messages = {
        W.PLANNED: _("Hồ sơ ${code} chưa được duyệt trong danh mục."),
        W.APPROVED: _("Hồ sơ ${code} chưa được mở."),
        W.OPEN: _("Hồ sơ ${code} đang lập, chưa kết thúc."),
        W.CLOSED: _("Hồ sơ ${code} đã kết thúc."),
        W.ARCHIVED: _("Hồ sơ ${code} đã nộp lưu."),
    }
    message = messages[work_file.state]
    raise W.WorkFileError(_(message, mapping={"code": work_file.code}), 409)


def create_file(request, office, raw: dict) -> W.WorkFile:
    """Add a file to the year's list of ``office`` from ``raw``: planned, or
    approved when a Leader adds it to a list already approved."""
    if not may_add(request, office):
        raise _forbidden(_("Chỉ văn thư và lãnh đạo đơn vị được lập danh mục hồ sơ."))
    values = parse_file(request, office, raw)
    year = values["year"]
    approved = W.list_approved(office, year)
    if approved and not has_role(request, office.unit_code, "Leader"):
        raise _forbidden(
            _(
                "Danh mục hồ sơ năm ${year} đã được duyệt: bổ sung hồ sơ cần lãnh đạo đơn vị.",
                mapping={"year": year},
            )
        )
    # the counter first: two additions at once conflict here, and the one tried
    # again sees the other's code
    number = next_number(
        request.root, SEQUENCE, office.unit_code, "year", datetime(year, 7, 1, tzinfo=TIMEZONE)
    )
    code = values["code"].casefold()
    if any(f.code.casefold() == code for f in W.files_of(office, year)):
        message = _(
            "Ký hiệu ${code} đã có trong danh mục năm ${year}.",
            mapping={"code": values["code"], "year": year},
        )
        raise W.WorkFileError(message, 409, {"code": message})
    moment = now()
    work_file = W.WorkFile(
        W.file_id(year, number), created=moment, creator=login_of(request), **values
    )
    if approved:
        _approve(request, work_file, moment)
    work_file.__parent__ = office
    office.work_files[work_file.id] = work_file
    return work_file


def _approve(request, work_file, moment: datetime) -> None:
    work_file.state = W.APPROVED
    work_file.approved = moment
    work_file.approved_by = login_of(request)


def approve_list(request, office, year) -> list[W.WorkFile]:
    """A Leader approves ``office``'s list of ``year``: all its planned files."""
    year = year_of(year)
    if not has_role(request, office.unit_code, "Leader"):
        raise _forbidden(_("Chỉ lãnh đạo đơn vị được duyệt danh mục hồ sơ."))
    files = W.files_of(office, year)
    if any(f.state != W.PLANNED for f in files):
        raise W.WorkFileError(
            _("Danh mục hồ sơ năm ${year} đã được duyệt.", mapping={"year": year}), 409
        )
    if not files:
        raise W.WorkFileError(
            _("Danh mục hồ sơ năm ${year} chưa có hồ sơ nào.", mapping={"year": year}), 409
        )
    moment = now()
    for work_file in files:
        _approve(request, work_file, moment)
    return files


def open_file(request, work_file) -> None:
    """Start filing documents into an approved file."""
    if not may_manage(request, work_file):
        raise _forbidden()
    _state(work_file, W.APPROVED)
    work_file.state = W.OPEN
    work_file.opened = now()


def find_document(request, office, raw_id, unit_code=None):
    """Document ``raw_id`` of unit ``unit_code`` (``office``'s unit by default),
    which the requester may see; WorkFileError 404 otherwise."""
    if not isinstance(raw_id, str) or not raw_id.strip() or len(raw_id) > 60:
        raise W.WorkFileError(_("Cần mã của một văn bản."), 400, {"document": _("Bắt buộc nhập.")})
    if unit_code in (None, ""):
        unit_code = office.unit_code
    where = office_of(request.root, unit_code) if isinstance(unit_code, str) else None
    document = where.documents.get(raw_id.strip()) if where is not None else None
    if document is None or not can_view(request, document):
        raise W.WorkFileError(_("Không có văn bản này."), 404, {"document": _("Không có.")})
    return document


def _other_unit():
    message = _("Văn bản của đơn vị khác không lưu vào hồ sơ của đơn vị này.")
    return W.WorkFileError(message, 400, {"document": message})


def file_document(request, work_file, document, pages=None, note="") -> W.Filing:
    """File ``document`` (one of the office's) into ``work_file``, with its sheets
    (``pages``, optional) and a note for the index."""
    office = work_file.__parent__
    if document.__parent__ is not office:
        raise _other_unit()
    if not may_file(request, work_file, document):
        raise _forbidden(
            _("Chỉ văn thư, người lập hồ sơ hoặc người chủ trì xử lý văn bản được lưu hồ sơ.")
        )
    if document.work_file:
        other = office.work_files.get(document.work_file)
        code = other.code if other is not None else document.work_file
        raise W.WorkFileError(
            _("Văn bản đã được lưu trong hồ sơ ${code}.", mapping={"code": code}), 409
        )
    _state(work_file, W.OPEN)
    errors = {}
    pages = _whole(pages, "pages", errors, 1, MAX_SHEETS)
    note = _field(NOTE, {"note": note if note is not None else ""}, errors) or ""
    _refuse(errors)
    filing = W.Filing(document.id, now(), login_of(request), pages, note)
    work_file.filings = (*work_file.filings, filing)
    document.work_file = work_file.id
    return filing


def unfile(request, work_file, document_id) -> None:
    """Take a document out of an open file (filed by mistake)."""
    office = work_file.__parent__
    if not (
        has_role(request, office.unit_code, "Clerk") or login_of(request) == work_file.responsible
    ):
        raise _forbidden()
    _state(work_file, W.OPEN)
    if document_id not in work_file.documents:
        raise W.WorkFileError(_("Văn bản không có trong hồ sơ này."), 404)
    work_file.filings = tuple(f for f in work_file.filings if f.document_id != document_id)
    document = office.documents.get(document_id)
    if document is not None and document.work_file == work_file.id:
        document.work_file = ""


def _day(raw: dict, errors: dict, name: str, earliest: date | None) -> date:
    """Day ``name`` of ``raw`` (today when absent): not after today, not before
    ``earliest``."""
    try:
        day = DAY.parse(raw.get(name, MISSING), "json") or today()
    except Invalid as error:
        errors[name] = error.message
        return today()
    if day > today():
        errors[name] = _("Ngày không được sau hôm nay.")
    elif earliest is not None and day < earliest:
        errors[name] = _(
            "Ngày không được trước ngày ${day}.", mapping={"day": earliest.strftime("%d/%m/%Y")}
        )
    return day


def close_file(request, work_file, raw: dict) -> W.Closing:
    """Close an open file (kết thúc hồ sơ): ``closed`` (a day, today by default),
    ``sheets`` (its sheets in all) and ``note``."""
    if not may_manage(request, work_file):
        raise _forbidden()
    _state(work_file, W.OPEN)
    if not work_file.filings:
        raise W.WorkFileError(
            _("Hồ sơ ${code} chưa có văn bản nào.", mapping={"code": work_file.code}), 409
        )
    raw = raw if isinstance(raw, dict) else {}
    errors = {}
    opened = work_file.opened.astimezone(TIMEZONE).date() if work_file.opened else None
    day = _day(raw, errors, "closed", opened)
    sheets = _whole(raw.get("sheets"), "sheets", errors, 1, MAX_SHEETS, required=True)
    note = _field(NOTE, raw, errors) or ""
    _refuse(errors)
    work_file.closing = W.Closing(day, sheets, note, login_of(request), now())
    work_file.state = W.CLOSED
    return work_file.closing


def archive_file(request, work_file, raw: dict) -> W.Handover:
    """Record that a closed file went to the archive: ``date`` (today by
    default), ``received_by`` (who received it there) and ``note``."""
    if not may_manage(request, work_file):
        raise _forbidden()
    _state(work_file, W.CLOSED)
    raw = raw if isinstance(raw, dict) else {}
    errors = {}
    day = _day(raw, errors, "date", work_file.closing.day)
    received_by = _field(RECEIVER, raw, errors)
    note = _field(NOTE, raw, errors) or ""
    _refuse(errors)
    work_file.handover = W.Handover(day, received_by, note, login_of(request), now())
    work_file.state = W.ARCHIVED
    return work_file.handover
