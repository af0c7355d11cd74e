"""The public-service plugin's types as the kernel registers them, with the check
of a procedure that needs the site (its code no other procedure has, its field in
the site's vocabulary, its tier one the province has)."""

from __future__ import annotations

from core.contenttypes import DESCRIPTION, TITLE
from core.i18n import _
from core.types import ContentType
from plugins.services.content import (
    CATALOG,
    CODE_RE,
    FIELDS,
    ONLINE_LEVELS,
    SERVICE,
    UNIT_CODE_RE,
    Service,
    ServiceCatalog,
)
from plugins.services.units import service_by_code
from plugins.services.vocabulary import field_label
from subsites.units import unit_levels


def check_service(request, folder, obj, values) -> dict:
    """What the fields cannot check alone: the code's form and that no other
    procedure has it, the field is in the site's vocabulary, the unit code's form,
    the tier is one of the portal's levels, and the online kind goes with the level
    (required at levels 3 and 4, none below)."""

    def current(name):
        return values.get(name, getattr(obj, name, None))

    errors = {}
    code = current("code")
    if "code" in values and code:
        if not CODE_RE.match(code):
            errors["code"] = _("Mã thủ tục có dạng 1.002425 hoặc 1.000948.H38.")
        else:
            other = service_by_code(request, code)
            if other is not None and (obj is None or other.uid != obj.uid):
                errors["code"] = _("Đã có thủ tục mã ${code}.", mapping={"code": code})
    if "field" in values and values["field"] and not field_label(request.root, values["field"]):
        errors["field"] = _("Lĩnh vực không có trong danh mục lĩnh vực.")
    agency_code = values.get("agency_code")
    if agency_code and not UNIT_CODE_RE.match(agency_code):
        errors["agency_code"] = _("Mã đơn vị chỉ gồm chữ số (tối đa 12).")
    if "tier" in values and values["tier"] not in unit_levels(request.registry):
        errors["tier"] = _("Tỉnh không tổ chức cấp này.")
    level, online = current("level"), current("online")
    if level in ONLINE_LEVELS and not online:
        errors["online"] = _("Ở mức độ 3 và 4, chọn toàn trình hoặc một phần.")
    elif level not in ONLINE_LEVELS and online:
        errors["online"] = _("Chỉ thủ tục mức độ 3 và 4 là toàn trình hay một phần.")
    return errors


TYPES = [
    ContentType(
        CATALOG,
        ServiceCatalog,
        _("Danh mục thủ tục hành chính"),
        fields=(TITLE, DESCRIPTION),
        addable_to=("Site",),
        allowed_children=(SERVICE,),
        description=_("Các thủ tục hành chính của tỉnh, dùng chung cho mọi đơn vị."),
    ),
    ContentType(
        SERVICE,
        Service,
        _("Thủ tục hành chính"),
        fields=FIELDS,
        addable_to=(CATALOG,),
        allowed_children=("File",),
        description=_("Một thủ tục hành chính với đầy đủ thông tin."),
        searchable_text=("title", "code", "description", "agency", "applicants", "result"),
        check=check_service,
        name_of=lambda service: service.code,
    ),
]
