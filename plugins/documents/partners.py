"""The partner catalogue (:class:`plugins.documents.registry.Partner`): the outside
agencies the units exchange documents with, by their code. What a Manager enters
is checked here: a code of letters, digits and dots (the national agency code,
``000.00.00.G22``) that no partner and no unit of the portal has, a name, and
where packages go (an ``http``/``https`` address)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from core.fields import TextLine
from core.i18n import _
from plugins.documents.entries import EntryError, parse_fields
from plugins.documents.registry import Partner, registry_of
from plugins.documents.units import unit_of

FIELDS = (
    TextLine(
        "code",
        _("Mã định danh"),
        required=True,
        max_length=50,
        description=_("Mã định danh của cơ quan (ví dụ 000.00.00.G22)."),
    ),
    TextLine("name", _("Tên cơ quan"), required=True, max_length=300),
    TextLine("address", _("Địa chỉ"), max_length=300),
    TextLine("email", _("Thư điện tử"), max_length=200),
    TextLine(
        "endpoint",
        _("Địa chỉ nhận gói tin edXML"),
        max_length=500,
        description=_(
            "Địa chỉ http:// hoặc https:// của hệ thống nhận văn bản; để trống nếu gửi cách khác."
        ),
    ),
    TextLine(
        "status_endpoint",
        _("Địa chỉ nhận thông báo trạng thái"),
        max_length=500,
        description=_(
            "Nơi gửi trạng thái xử lý (đã tiếp nhận, từ chối, đã phân công, hoàn thành…) của "
            "văn bản cơ quan này gửi đến; để trống nếu không cần."
        ),
    ),
)
CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def is_web_address(value: str) -> bool:
    """Whether ``value`` is an ``http``/``https`` address with a host."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in value


def parse_partner(site, raw: dict, source: str) -> Partner:
    """A new partner from ``raw``; :class:`~plugins.documents.entries.EntryError`
    with the message of each refused field."""
    values, errors = parse_fields(FIELDS, raw, source)
    code = values.get("code") or ""
    if code and "code" not in errors:
        if not CODE_RE.fullmatch(code):
            errors["code"] = _("Chỉ gồm chữ không dấu, chữ số, dấu chấm, gạch ngang.")
        elif code in registry_of(site).partners:
            errors["code"] = _("Đã có đối tác với mã này.")
        elif unit_of(site, code) is not None:
            errors["code"] = _("Mã này là mã của một đơn vị trong cổng.")
    if values.get("email") and "email" not in errors and not EMAIL_RE.fullmatch(values["email"]):
        errors["email"] = _("Địa chỉ thư điện tử không hợp lệ.")
    for name in ("endpoint", "status_endpoint"):
        address = values.get(name)
        if address and name not in errors and not is_web_address(address):
            errors[name] = _("Cần một địa chỉ bắt đầu bằng http:// hoặc https://.")
    if errors:
        raise EntryError(_("Thông tin đối tác chưa đúng."), 400, errors)
    return Partner(
        code,
        values["name"],
        values.get("address") or "",
        values.get("email") or "",
        values.get("endpoint") or "",
        values.get("status_endpoint") or "",
    )


def add_partner(site, partner: Partner) -> None:
    registry_of(site).partners[partner.code] = partner


def remove_partner(site, code: str) -> bool:
    """Remove partner ``code``; False when there is none."""
    partners = registry_of(site).partners
    if not isinstance(code, str) or code not in partners:
        return False
    del partners[code]
    return True
