"""The public-service plugin's catalog fields: what its browse pages, statistics
and API filter, count and show from catalog records (no procedure is loaded to
list it). None is offered as a facet of the search page: the catalog's own browse
page shows them with their labels."""

from __future__ import annotations

from catalog.fields import CatalogField
from core.hookspecs import hookimpl
from core.i18n import _
from plugins.services.interfaces import IService
from plugins.services.units import CODE_FIELD, UNIT_FIELD, unit_key

FIELD, TIER, AGENCY, LEVEL, ONLINE, DAYS = (
    "service_field",
    "service_tier",
    "service_agency",
    "service_level",
    "service_online",
    "service_days",
)


def _of_service(get):
    def value(obj):
        return get(obj) if IService.providedBy(obj) else None

    return value


@hookimpl
def cong_catalog_fields():
    """Code, field, tier, unit key, agency name, level, online kind and the
    shortest processing time of procedures."""

    def field(name, get, title, **extra):
        return CatalogField(name, _of_service(get), title=title, facet=False, **extra)

    return [
        field(CODE_FIELD, lambda s: s.code or None, _("Mã thủ tục"), metadata=True),
        field(FIELD, lambda s: s.field or None, _("Lĩnh vực"), metadata=True),
        field(TIER, lambda s: s.tier or None, _("Cấp thực hiện"), metadata=True),
        field(UNIT_FIELD, unit_key, _("Đơn vị thực hiện")),
        field(AGENCY, lambda s: s.agency or None, _("Cơ quan thực hiện"), metadata=True),
        field(LEVEL, lambda s: s.level, _("Mức độ"), metadata=True),
        field(ONLINE, lambda s: s.online or None, _("Dịch vụ công trực tuyến"), metadata=True),
        field(DAYS, lambda s: s.days, _("Thời hạn giải quyết"), metadata=True),
    ]
