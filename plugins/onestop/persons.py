"""The applicant and the representative: their fields, checked the same way in the
form, at the counter and in JSON, with the identifier's format by its type."""

from __future__ import annotations

import re
from datetime import date

from core.citizens import IDENTIFIER_RE
from core.clock import now
from core.fields import MISSING, Choice, Date, Invalid, TextLine
from core.i18n import _
from plugins.onestop.dossier import Person

CCCD, PASSPORT, TAX = "cccd", "passport", "tax"
ID_TYPES = (
    (CCCD, _("Căn cước / Căn cước công dân (12 số)")),
    (PASSPORT, _("Hộ chiếu")),
    (TAX, _("Mã số thuế (doanh nghiệp, tổ chức)")),
)
#: The format of each identifier type: 12 digits; a passport's letters and
#: digits; a tax code of 10 digits, or 13 with a branch (``0101234567-001``).
ID_FORMATS = {
    CCCD: (IDENTIFIER_RE, _("Số căn cước gồm đúng 12 chữ số.")),
    PASSPORT: (
        re.compile(r"^[A-Z][A-Z0-9]{5,11}\Z"),
        _("Số hộ chiếu: chữ in hoa và số, 6 đến 12 ký tự."),
    ),
    TAX: (
        re.compile(r"^[0-9]{10}(-[0-9]{3})?\Z"),
        _("Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, gạch ngang và 3 chữ số."),
    ),
}
PHONE_RE = re.compile(r"^(\+84|0)[0-9]{9,10}\Z")
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}\Z")

FIELDS = (
    TextLine("full_name", _("Họ và tên"), required=True, max_length=200),
    Choice("id_type", _("Loại giấy tờ tùy thân"), required=True, vocabulary=ID_TYPES, default=CCCD),
    TextLine("id_number", _("Số giấy tờ"), required=True, max_length=20),
    Date("birth_date", _("Ngày sinh")),
    TextLine("phone", _("Số điện thoại"), max_length=16),
    TextLine("email", _("Thư điện tử"), max_length=254),
    TextLine("address", _("Địa chỉ"), max_length=500),
)


def normal_id(id_type: str, value: str) -> str:
    """An identifier as kept: no spaces, upper case."""
    return "".join(value.split()).upper()


def parse_person(raw, source: str, required: bool = True) -> tuple[Person | None, dict]:
    """A :class:`Person` from ``raw`` (a dict: JSON or a form's fields without
    their prefix), and the errors by field name."""
    if raw is None or raw == {}:
        if required:
            return None, {"full_name": _("Bắt buộc nhập.")}
        return None, {}
    if not isinstance(raw, dict):
        return None, {"": _("Cần một đối tượng với các trường của người nộp.")}
    values, errors = {}, {}
    for field in FIELDS:
        try:
            values[field.name] = field.parse(raw.get(field.name, MISSING), source)
        except Invalid as error:
            errors[field.name] = error.message
    if errors:
        return None, errors
    id_type = values["id_type"]
    values["id_number"] = normal_id(id_type, values["id_number"])
    pattern, message = ID_FORMATS[id_type]
    if not pattern.match(values["id_number"]):
        errors["id_number"] = message
    birth = values.get("birth_date")
    if isinstance(birth, date) and (birth > now().date() or birth.year < 1900):
        errors["birth_date"] = _("Ngày sinh không hợp lệ.")
    phone = "".join((values.get("phone") or "").split()).replace(".", "")
    if phone and not PHONE_RE.match(phone):
        errors["phone"] = _("Số điện thoại gồm 10 hoặc 11 chữ số, bắt đầu bằng 0 hoặc +84.")
    email = values.get("email") or ""
    if email and not EMAIL_RE.match(email):
        errors["email"] = _("Địa chỉ thư điện tử không hợp lệ.")
    if errors:
        return None, errors
    return (
        Person(
            full_name=values["full_name"],
            id_type=id_type,
            id_number=values["id_number"],
            birth_date=birth,
            phone=phone,
            email=email,
            address=values.get("address") or "",
        ),
        {},
    )


def person_json(person: Person | None) -> dict | None:
    if person is None:
        return None
    return {
        "full_name": person.full_name,
        "id_type": person.id_type,
        "id_number": person.id_number,
        "birth_date": person.birth_date.isoformat() if person.birth_date else None,
        "phone": person.phone,
        "email": person.email,
        "address": person.address,
    }
