"""``POST /@national-dossiers``: dossiers handed in through the national
public-service portal, in its field names, by a connector
(``Authorization: Bearer <token>``, :mod:`plugins.onestop.connectors`).

The dossier keeps the portal's ``MaHoSo`` as its code. Sending one ``MaHoSo``
again is harmless: with the same contents the answer is the dossier already
kept (200, not 201); with other contents it is refused (409) and nothing
changes. The contents are compared by the SHA-256 digest of the body in a
canonical form (keys sorted, no spaces), kept on the dossier
(``national_digest``).

How the fields are read (dates ``yyyyMMddHHmmss``, Vietnam's time):

======================= =========================================================
national field          Submission / Person
======================= =========================================================
MaHoSo                  ``code`` (required; letters, digits, ``.-_``, 3–60)
MaTTHC                  ``procedure_code`` (required; a procedure offered online)
MaLinhVuc, KenhThucHien read by nobody (the procedure says its field; the
                        channel is ``national``)
ChuHoSo                 applicant's ``full_name``
LoaiDoiTuong            1 citizen, 2 business, 3 organisation: the identifier's
                        type when ``LoaiDinhDanh`` is not given (cccd, tax, tax)
DinhDanhCHS             the first ``{LoaiDinhDanh, SoDinhDanh}``: ``id_type``
                        (1/CCCD/CMND cccd, 2/HoChieu passport, 3/MST tax
                        *(unconfirmed codes)*) and ``id_number``
NgaySinh                applicant's ``birth_date`` (``yyyyMMdd``), optional
ThuDienTu, SoDienThoai  applicant's ``email``, ``phone``
DiaChi                  applicant's ``address``
NgayNopHoSo             ``submitted`` (default: now)
NoiNopHoSo              ``receiving_unit`` (default: the connector's unit)
HinhThuc                ``return_method``: 0 counter, 1 post, 2 online
                        *(unconfirmed codes)*, or those names; default online
TaiLieuNop              ``documents``: each ``{TenThanhPhan or MaThanhPhanHoSo
                        (a component's name), TepDinhKem (base64), TenTep}``;
                        ``DuocTaiSuDung``/``MaKetQuaThayThe`` (a reused result)
                        need the file attached too
======================= =========================================================
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from core.api import api_view
from core.api.deserialize import read_json
from core.api.errors import ApiError, not_allowed
from core.api.params import api_body
from core.api.serialize import iso, url_of
from core.clock import TIMEZONE
from core.i18n import _
from core.interfaces import ISite
from core.security import bearer_token
from plugins.onestop.api_input import bad_request, documents_of, refusal
from plugins.onestop.codes import ANY_CODE_RE
from plugins.onestop.connectors import connector_of_token
from plugins.onestop.dossier import CHANNEL_NATIONAL, RETURN_COUNTER, RETURN_ONLINE, RETURN_POST
from plugins.onestop.intake import IntakeError, Submission, submit
from plugins.onestop.national_status import ID_TYPE_CODES, RETURN_CODES
from plugins.onestop.persons import CCCD, PASSPORT, TAX, parse_person
from plugins.onestop.registry import find_dossier
from plugins.onestop.serialize import status_json

#: LoaiDinhDanh read: the codes the status messages write, and their names.
ID_TYPES = {str(code): kind for kind, code in ID_TYPE_CODES.items()} | {
    "CCCD": CCCD, "CMND": CCCD, "HOCHIEU": PASSPORT, "MST": TAX, "MASOTHUE": TAX,
}  # fmt: skip
ID_TYPE_OF_KIND = {"1": CCCD, "2": TAX, "3": TAX}
#: HinhThuc read: the codes the status messages write, or the method's own name.
RETURN_METHODS = {str(code): method for method, code in RETURN_CODES.items()} | {
    method: method for method in (RETURN_COUNTER, RETURN_POST, RETURN_ONLINE)
}
TIME_FORMAT, DATE_FORMAT = "%Y%m%d%H%M%S", "%Y%m%d"

FILE_SCHEMA = {
    "type": "object",
    "properties": {
        "MaThanhPhanHoSo": {"type": "string"},
        "TenThanhPhan": {"type": "string"},
        "TepDinhKem": {"type": "string", "contentEncoding": "base64"},
        "TenTep": {"type": "string"},
        "DuocTaiSuDung": {"type": ["boolean", "integer"]},
        "MaKetQuaThayThe": {"type": "string"},
    },
}
NATIONAL_SCHEMA = {
    "type": "object",
    "required": ["MaHoSo", "MaTTHC", "ChuHoSo", "DinhDanhCHS", "TaiLieuNop"],
    "properties": {
        "MaHoSo": {"type": "string", "example": "G22.99-250701-0001"},
        "MaTTHC": {"type": "string", "example": "1.000005"},
        "MaLinhVuc": {"type": "string"},
        "KenhThucHien": {"type": ["string", "integer"]},
        "ChuHoSo": {"type": "string"},
        "LoaiDoiTuong": {"type": ["string", "integer"]},
        "DinhDanhCHS": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "LoaiDinhDanh": {"type": ["string", "integer"]},
                    "SoDinhDanh": {"type": "string"},
                },
            },
        },
        "NgaySinh": {"type": "string"},
        "NgayNopHoSo": {"type": "string", "example": "20250701083000"},
        "NoiNopHoSo": {"type": "string"},
        "HinhThuc": {"type": ["string", "integer"]},
        "ThuDienTu": {"type": "string"},
        "SoDienThoai": {"type": "string"},
        "DiaChi": {"type": "string"},
        "TaiLieuNop": {"type": "array", "items": FILE_SCHEMA},
    },
}


class NationalError(ValueError):
    """A payload that cannot be read: the errors by national field name."""

    def __init__(self, errors: dict):
        super().__init__("invalid national dossier")
        self.errors = errors


def canonical_digest(body: dict) -> str:
    """The SHA-256 of ``body`` in a canonical form: the same contents, the same digest."""
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _text(body: dict, key: str, errors: dict, required: bool = False) -> str:
    value = body.get(key)
    if value is None or value == "":
        if required:
            errors[key] = _("Bắt buộc nhập.")
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        errors[key] = _("Phải là một chuỗi ký tự.")
        return ""
    return value.strip()


def _moment(text: str, fmt: str, key: str, errors: dict):
    if not text:
        return None
    try:
        return datetime.strptime(text, fmt).replace(tzinfo=TIMEZONE).astimezone(UTC)
    except ValueError:
        errors[key] = _("Ngày giờ theo dạng ${f}.", mapping={"f": fmt.replace("%", "")})
        return None


def read_person(body: dict, errors: dict):
    """The applicant from the national fields."""
    ids = body.get("DinhDanhCHS")
    first = ids[0] if isinstance(ids, list) and ids and isinstance(ids[0], dict) else None
    if first is None:
        errors["DinhDanhCHS"] = _("Cần ít nhất một định danh {LoaiDinhDanh, SoDinhDanh}.")
        first = {}
    kind = _text(body, "LoaiDoiTuong", errors)
    id_kind = _text(first, "LoaiDinhDanh", errors).upper()
    id_type = ID_TYPES.get(id_kind) if id_kind else ID_TYPE_OF_KIND.get(kind or "1")
    if id_type is None:
        errors["DinhDanhCHS.LoaiDinhDanh"] = _("Loại định danh không được hỗ trợ.")
    birth = _moment(_text(body, "NgaySinh", errors), DATE_FORMAT, "NgaySinh", errors)
    raw = {
        "full_name": _text(body, "ChuHoSo", errors, required=True),
        "id_type": id_type or CCCD,
        "id_number": _text(first, "SoDinhDanh", errors),
        "birth_date": birth.date().isoformat() if birth else None,
        "phone": _text(body, "SoDienThoai", errors),
        "email": _text(body, "ThuDienTu", errors),
        "address": _text(body, "DiaChi", errors),
    }
    person, problems = parse_person({k: v for k, v in raw.items() if v}, "json")
    names = {"full_name": "ChuHoSo", "id_number": "DinhDanhCHS.SoDinhDanh",
             "id_type": "DinhDanhCHS.LoaiDinhDanh", "birth_date": "NgaySinh",
             "phone": "SoDienThoai", "email": "ThuDienTu", "address": "DiaChi"}  # fmt: skip
    for key, message in problems.items():
        errors.setdefault(names.get(key, key), message)
    return person


def read_documents(body: dict, errors: dict) -> list:
    files = body.get("TaiLieuNop")
    if not isinstance(files, list):
        errors["TaiLieuNop"] = _("Cần danh sách tài liệu nộp.")
        return []
    rows = []
    for index, item in enumerate(files):
        if not isinstance(item, dict):
            errors[f"TaiLieuNop.{index}"] = _("Mỗi tài liệu là một đối tượng.")
            continue
        component = item.get("TenThanhPhan") or item.get("MaThanhPhanHoSo")
        if item.get("TepDinhKem") is None and item.get("MaKetQuaThayThe"):
            errors[f"TaiLieuNop.{index}"] = _(
                "Kết quả dùng lại cần gửi kèm tệp (TepDinhKem): hệ thống chưa lấy được từ kho dữ liệu."
            )
            continue
        rows.append(
            {
                "component": component,
                "filename": item.get("TenTep") or "tai-lieu",
                "data": item.get("TepDinhKem"),
                "encoding": "base64",
            }
        )
    documents, problems = documents_of(rows, "TaiLieuNop")
    errors.update(problems)
    return documents


def read_submission(body: dict, default_unit: str) -> Submission:
    """A :class:`Submission` from the national fields; :class:`NationalError`."""
    errors: dict = {}
    code = _text(body, "MaHoSo", errors, required=True)
    if code and not ANY_CODE_RE.match(code):
        errors["MaHoSo"] = _("Mã hồ sơ: chữ, số, dấu chấm, gạch ngang, 3 đến 60 ký tự.")
    procedure = _text(body, "MaTTHC", errors, required=True)
    applicant = read_person(body, errors)
    method = RETURN_METHODS.get(_text(body, "HinhThuc", errors) or RETURN_ONLINE)
    if method is None:
        errors["HinhThuc"] = _("Hình thức nhận kết quả: 0, 1 hoặc 2.")
    submitted = _moment(_text(body, "NgayNopHoSo", errors), TIME_FORMAT, "NgayNopHoSo", errors)
    unit = _text(body, "NoiNopHoSo", errors) or default_unit
    documents = read_documents(body, errors)
    if errors:
        raise NationalError(errors)
    return Submission(
        procedure_code=procedure,
        applicant=applicant,
        return_method=method,
        channel=CHANNEL_NATIONAL,
        receiving_unit=unit,
        documents=documents,
        code=code,
        submitted=submitted,
    )


def answer(request, dossier) -> dict:
    return {
        "@id": url_of(request, dossier),
        "code": dossier.code,
        "MaHoSo": dossier.national_code,
        **status_json(request, dossier.status),
        "due_date": iso(dossier.due),
    }


@api_view(context=ISite, name="@national-dossiers", request_method="POST")
@api_body(NATIONAL_SCHEMA)
def national_post(context, request):
    """Take a dossier from the national public-service portal (a connector's token).

    201 with the new dossier; 200 with the one kept when the same ``MaHoSo`` comes
    again with the same contents; 409 when it comes with other contents; 401
    without a connector's token; 400 naming each field that cannot be read."""
    connector = connector_of_token(request.root, bearer_token(request))
    if connector is None:
        raise ApiError(
            401,
            _("Cần mã truy cập (token) của một kết nối."),
            "Unauthorized",
            headers={"WWW-Authenticate": 'Bearer realm="national-dossiers"'},
        )
    body = read_json(request, required=True)
    digest = canonical_digest(body)
    try:
        submission = read_submission(body, connector.unit)
    except NationalError as exc:
        raise bad_request(request, _("Hồ sơ có trường không hợp lệ."), exc.errors) from None
    kept = find_dossier(request.root, submission.code)
    if kept is not None:
        if getattr(kept, "national_digest", None) != digest:
            raise ApiError(
                409,
                _(
                    "Mã hồ sơ ${code} đã có với nội dung khác; không thay đổi gì.",
                    mapping={"code": submission.code},
                ),
                "Conflict",
            )
        return answer(request, kept)
    try:
        dossier = submit(request, submission)
    except IntakeError as exc:
        raise refusal(request, exc) from None
    dossier.national_digest = digest
    request.response.status = 201
    request.response.headers["Location"] = url_of(request, dossier)
    return answer(request, dossier)


@api_view(context=ISite, name="@national-dossiers", require_csrf=False)
def national_other_methods(context, request):
    raise not_allowed("POST")
