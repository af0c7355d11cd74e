"""The JSON API of a unit's registers (at the unit, ``<unit>/@incoming``, or at its
office, ``<unit>/van-thu/@incoming``: the same).

- ``POST <unit>/@incoming``: register an incoming document (the unit's Clerks):
  201 with ``Location``, ``@id``, ``id``, ``arrival_number``, ``status`` and the
  whole document (:func:`plugins.documents.api_json.document_json`). Body: the
  fields of :func:`plugins.documents.entries.parse_incoming` — ``type`` (a kind
  of Decree 30 by its code, its abbreviation or its title), ``sender``, ``summary``, ``arrival``
  (default now; never later), ``notation``, ``document_date``, ``urgency``,
  ``secrecy``, ``readers``, ``deadline``, ``attachments``: ``[{"filename",
  "data" (base64), "encoding": "base64", "content-type"}]``.
- ``POST <unit>/@outgoing``: a new draft (the unit's Clerks, Specialists and
  Leaders), the same way, with the fields of
  :func:`plugins.documents.entries.parse_outgoing` (``recipients``: unit and
  partner codes).
- ``GET <unit>/@incoming`` and ``GET <unit>/@outgoing``: the register, newest
  first, to the unit's staff, each document only to those who may see it (a
  secret one to its readers); filters ``status`` (names, repeated or
  comma-separated), ``year`` (of arrival; of issue, or creation before it, for
  outgoing documents), and for incoming ones ``overdue=1`` and
  ``assigned_to=<login>`` (``me``: the requester) — the lead or a coordinator;
  batched with ``b_start``/``b_size``.

Refusals are ``{"type", "message", "errors": [{"field", "message"}]}``: 400 for
bad input, 401 anonymous, 403 without the role, 404 where the unit has no
office, 413 for a file too large; a refused request stores nothing.
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden

from core.api import api_view
from core.api.errors import ApiError, not_allowed
from core.api.params import BATCH_PARAMS, Param, api_body, api_params
from core.api.serialize import url_of
from core.batching import Batch
from core.clock import TIMEZONE, now
from core.i18n import _
from core.params import BadParameter, integer, text
from plugins.documents import registered as R
from plugins.documents.access import can_see_registers, can_view, has_role, login_of
from plugins.documents.api_input import entry_body, refusal, refuse_unless
from plugins.documents.api_json import document_json, is_overdue, register_item
from plugins.documents.doctypes import TYPES
from plugins.documents.entries import (
    INCOMING_FIELDS,
    OUTGOING_FIELDS,
    EntryError,
    parse_incoming,
    parse_outgoing,
)
from plugins.documents.interfaces import IOffice
from plugins.documents.registration import create_outgoing, register_incoming
from plugins.documents.units import office_in
from subsites.interfaces import ISubsite

#: Register lines per page unless ``b_size`` says.
PAGE_SIZE = 50
#: The id range of outgoing documents in an office (``di-000001`` …).
OUTGOING_IDS = ("di-", "di.")

FILE_ITEM = {
    "type": "object",
    "required": ["data"],
    "properties": {
        "filename": {"type": "string"},
        "data": {"type": "string", "contentEncoding": "base64"},
        "encoding": {"type": "string", "enum": ["base64"]},
        "content-type": {"type": "string"},
    },
}
NAMES = {"type": "array", "items": {"type": "string", "maxLength": 100}, "maxItems": 200}


def field_schema(field) -> dict:
    """The JSON Schema of one of the entry fields (without a request: no labels)."""
    if hasattr(field, "vocabulary"):
        return {"type": "string", "enum": [value for value, _label in field.vocabulary]}
    if hasattr(field, "max_length"):
        return {"type": "string", "maxLength": field.max_length}
    if field.json_type == "boolean":
        return {"type": "boolean"}
    return {"type": "string", "format": "date"}


def entry_schema(fields, required: list[str], **more) -> dict:
    return {
        "type": "object",
        "required": ["type", *required],
        "properties": {
            "type": {"type": "string", "enum": [kind.code for kind in TYPES]},
            **{f.name: field_schema(f) for f in fields},
            "readers": NAMES,
            "attachments": {"type": "array", "items": FILE_ITEM, "maxItems": 20},
            **more,
        },
    }


INCOMING_SCHEMA = entry_schema(
    INCOMING_FIELDS,
    ["sender", "summary"],
    arrival={"type": "string", "format": "date-time", "description": "Default: now."},
)
OUTGOING_SCHEMA = entry_schema(
    OUTGOING_FIELDS,
    ["summary"],
    recipients=NAMES,
    places=NAMES,
    copies={"type": "integer", "minimum": 0, "maximum": 10000},
    replaces={"type": "string", "maxLength": 40},
    corrects={"type": "string", "maxLength": 40},
)
FILTERS = (
    Param("status", "query", _("Trạng thái, nhiều giá trị cách nhau dấu phẩy")),
    Param("year", "query", _("Năm"), {"type": "integer", "minimum": 1900, "maximum": 9998}),
)
INCOMING_FILTERS = (
    *FILTERS,
    Param("overdue", "query", _("Chỉ văn bản quá hạn"), {"type": "boolean"}),
    Param("assigned_to", "query", _("Người chủ trì hoặc phối hợp xử lý (me: chính mình)")),
)


def office_of_context(context):
    """The office the request addresses: the context, or the unit's office (404
    where the unit has none)."""
    office = context if IOffice.providedBy(context) else office_in(context)
    if office is None:
        raise ApiError(404, _("Đơn vị chưa dùng quản lý văn bản."), "NotFound")
    return office


def created(request, document) -> dict:
    """The 201 answer of a registration: the document, its address in ``Location``."""
    url = url_of(request, document)
    request.response.status = 201
    request.response.headers["Location"] = url
    return document_json(request, document)


# registering ---------------------------------------------------------------------------
@api_view(context=IOffice, name="@incoming", request_method="POST")
@api_view(context=ISubsite, name="@incoming", request_method="POST")
@api_body(INCOMING_SCHEMA)
def incoming_post(context, request):
    """Register an incoming document in the unit's register (its Clerks).

    201 with the document, its ``arrival_number`` and ``Location``; 400 naming each
    refused field, 403 to others than the unit's Clerks, 413 for a file too large."""
    office = office_of_context(context)
    refuse_unless(
        request,
        has_role(request, office.unit_code, "Clerk"),
        _("Chỉ văn thư của đơn vị được vào sổ văn bản đến."),
    )
    body = entry_body(request)
    try:
        document = register_incoming(request, office, parse_incoming(request, body, "json"))
    except EntryError as exc:
        raise refusal(request, exc) from None
    return created(request, document)


@api_view(context=IOffice, name="@outgoing", request_method="POST")
@api_view(context=ISubsite, name="@outgoing", request_method="POST")
@api_body(OUTGOING_SCHEMA)
def outgoing_post(context, request):
    """Create an outgoing document: a draft of the unit (its Clerks, Specialists
    and Leaders).

    201 with the document and ``Location``; 400 naming each refused field, 403 to
    others, 413 for a file too large."""
    office = office_of_context(context)
    refuse_unless(
        request,
        has_role(request, office.unit_code, "Clerk", "Specialist", "Leader"),
        _("Chỉ cán bộ của đơn vị được soạn văn bản đi."),
    )
    body = entry_body(request)
    try:
        document = create_outgoing(request, office, parse_outgoing(request, body, "json"))
    except EntryError as exc:
        raise refusal(request, exc) from None
    return created(request, document)


# listing -------------------------------------------------------------------------------
def wanted_statuses(request, labels: dict) -> frozenset[str] | None:
    values = [v.strip() for raw in request.GET.getall("status")[:20] for v in raw.split(",")]
    values = [v for v in values if v]
    unknown = [v for v in values if v not in labels]
    if unknown:
        raise BadParameter(_("Không có trạng thái “${s}”.", mapping={"s": unknown[0][:40]}))
    return frozenset(values) or None


def flag(request, name: str) -> bool:
    value = text(request, name, "0").lower()
    if value not in ("true", "false", "1", "0"):
        raise BadParameter(_("Tham số “${name}” là 1 hoặc 0.", mapping={"name": name}))
    return value in ("true", "1")


def listing(request, office, documents, keep) -> dict:
    """The page of ``documents`` (an iterable, in order) the requester may see and
    ``keep`` keeps."""
    shown = (d for d in documents if keep(d) and can_view(request, d))
    batch = Batch.from_iterable(shown, request, PAGE_SIZE)
    moment = now()
    items = [register_item(request, d, moment) for d in batch.items]
    return {"@id": batch.url, **batch.as_json(items)}


def staff_office(context, request):
    """The office, to the unit's staff (401/403 to others)."""
    office = office_of_context(context)
    if not can_see_registers(request, office.unit_code):
        raise HTTPForbidden()
    return office


def year_filter(request) -> int | None:
    return integer(request, "year", None, minimum=1900, maximum=9998)


@api_view(context=IOffice, name="@incoming", request_method="GET")
@api_view(context=ISubsite, name="@incoming", request_method="GET")
@api_params(*INCOMING_FILTERS, *BATCH_PARAMS)
def incoming_get(context, request):
    """The unit's incoming register, newest first, to its staff: what each may see."""
    office = staff_office(context, request)
    wanted = wanted_statuses(request, R.INCOMING_STATUSES)
    year = year_filter(request)
    overdue = flag(request, "overdue")
    login = text(request, "assigned_to")
    handler = R.person(login_of(request) if login == "me" else login) if login else None
    moment = now()
    register = office.incoming_register
    span = {"min": (year,), "max": (year + 1,), "excludemax": True} if year else {}
    ids = reversed(register.values(**span))

    def keep(document) -> bool:
        return (
            (wanted is None or document.status in wanted)
            and (not overdue or is_overdue(document, moment))
            and (handler is None or handler in document.handlers)
        )

    return listing(request, office, (office.documents[i] for i in ids), keep)


def outgoing_year(document) -> int:
    """The year of an outgoing document: of its issue, or of its creation before."""
    return document.year or document.created.astimezone(TIMEZONE).year


@api_view(context=IOffice, name="@outgoing", request_method="GET")
@api_view(context=ISubsite, name="@outgoing", request_method="GET")
@api_params(*FILTERS, *BATCH_PARAMS)
def outgoing_get(context, request):
    """The unit's outgoing documents (drafts to issued), newest first, to its staff:
    what each may see."""
    office = staff_office(context, request)
    wanted = wanted_statuses(request, R.OUTGOING_STATUSES)
    year = year_filter(request)
    low, high = OUTGOING_IDS
    documents = reversed(office.documents.values(min=low, max=high, excludemax=True))

    def keep(document) -> bool:
        return (wanted is None or document.status in wanted) and (
            year is None or outgoing_year(document) == year
        )

    return listing(request, office, documents, keep)


@api_view(context=IOffice, name="@incoming", require_csrf=False)
@api_view(context=IOffice, name="@outgoing", require_csrf=False)
@api_view(context=ISubsite, name="@incoming", require_csrf=False)
@api_view(context=ISubsite, name="@outgoing", require_csrf=False)
def registers_other_methods(context, request):
    raise not_allowed("GET", "POST")
