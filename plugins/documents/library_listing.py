"""What the library's pages, portlet and JSON show of documents: each filter's
values with their labels, and a document of a listing made from its catalog
record (no document is loaded to list it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from core.clock import TIMEZONE
from core.i18n import _
from core.interfaces import ISite
from core.names import fold
from core.ui import get_ui
from plugins.documents.doctypes import BY_CODE
from plugins.documents.legal import (
    ALL_STATUSES,
    IN_FORCE,
    PENDING,
    STATUS_LABELS,
    ILegalLibrary,
    today,
)
from plugins.documents.library_browse import PROVINCE
from plugins.documents.library_catalog import BODY, FIELD, IN_FORCE_FROM, KIND, NUMBER, STATUS
from plugins.documents.library_fields import FIELD_LABELS
from subsites.directory import subsite_records

#: The filters in the order pages offer them, with their labels.
FILTER_LABELS = {
    "unit": _("Đơn vị ban hành"),
    "kind": _("Loại văn bản"),
    "field": _("Lĩnh vực"),
    "body": _("Cơ quan ban hành"),
    "year": _("Năm ban hành"),
    "status": _("Tình trạng hiệu lực"),
}


def scope_of(context):
    """What a library or navigation root lists: the portal's library, and the
    portal, list the province's documents (the site); a unit's library its own."""
    if ILegalLibrary.providedBy(context) and ISite.providedBy(context.__parent__):
        return context.__parent__
    return context


def unit_names(request) -> dict[str, str]:
    """Subsite path -> its name, and :data:`PROVINCE` -> the province's, shared
    until the next commit (one catalog query for every unit)."""

    def compute() -> dict[str, str]:
        site = request.root
        names = {PROVINCE: site.unit_name or site.title}
        names.update({record.path: record.title for record in subsite_records(request)})
        return names

    return get_ui(request).cached("legal.units", compute)


def value_label(request, name: str, value: str) -> str:
    """What people read for ``value`` of filter ``name``."""
    translate = request.localizer.translate
    if name == "kind":
        kind = BY_CODE.get(value)
        return translate(kind.title) if kind else value
    if name == "field":
        label = FIELD_LABELS.get(value)
        return translate(label) if label else value
    if name == "status":
        label = STATUS_LABELS.get(value)
        return translate(label) if label else value
    if name == "unit":
        return unit_names(request).get(value, value)
    return value


#: Values listed in a fixed order; years newest first; the others by label.
STATUS_ORDER = [code for code, _label in ALL_STATUSES]


def ordered_options(request, name: str, counts: dict) -> list[tuple[str, str, int]]:
    """``(value, label, count)`` of a filter's values, in the order pages list them."""
    options = [(value, value_label(request, name, value), n) for value, n in counts.items()]
    if name == "status":
        return sorted(
            options, key=lambda o: STATUS_ORDER.index(o[0]) if o[0] in STATUS_ORDER else 99
        )
    if name == "year":
        return sorted(options, key=lambda o: o[0], reverse=True)
    return sorted(options, key=lambda o: fold(o[1]).casefold())


def local_day(moment: datetime | None) -> date | None:
    """The day (Vietnam time) of a date the catalog keeps as a moment."""
    return moment.astimezone(TIMEZONE).date() if moment is not None else None


def record_status(record, day: date | None = None) -> str:
    """A document's status on ``day`` (today) from its record."""
    status = record.metadata.get(STATUS) or IN_FORCE
    start = local_day(record.metadata.get(IN_FORCE_FROM))
    if status == IN_FORCE and start is not None and start > (day or today()):
        return PENDING
    return status


@dataclass(frozen=True)
class Row:
    """A document of a listing, from its catalog record."""

    url: str
    uid: str
    number: str
    title: str
    kind: str
    kind_code: str
    body: str
    field: str
    field_label: str
    issued: date | None
    in_force_from: date | None
    status: str
    status_label: str
    unit_path: str
    unit: str
    state: str


def rows(request, records, day: date | None = None) -> list[Row]:
    """The listing's rows of catalog ``records``."""
    day = day or today()
    translate = request.localizer.translate
    names = unit_names(request)
    found = []
    for record in records:
        meta = record.metadata
        kind = BY_CODE.get(meta.get(KIND) or "")
        status = record_status(record, day)
        field = meta.get(FIELD) or ""
        unit_path = record.subsite or PROVINCE
        found.append(
            Row(
                url=record.url(request),
                uid=record.uid,
                number=meta.get(NUMBER) or "",
                title=record.title,
                kind=translate(kind.title) if kind else "",
                kind_code=kind.code if kind else "",
                body=meta.get(BODY) or "",
                field=field,
                field_label=translate(FIELD_LABELS[field]) if field in FIELD_LABELS else "",
                issued=local_day(record.effective),
                in_force_from=local_day(meta.get(IN_FORCE_FROM)),
                status=status,
                status_label=translate(STATUS_LABELS.get(status, status)),
                unit_path=unit_path,
                unit=names.get(unit_path, ""),
                state=record.state,
            )
        )
    return found
