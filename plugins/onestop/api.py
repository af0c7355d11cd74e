"""The one-stop JSON API of a unit and of a dossier.

- ``POST <unit>/@dossiers``: a new dossier (201 with ``code``, ``status``,
  ``status_code``, ``due_date``, ``@id``). From a Receptionist (or a Manager) of
  the unit it is taken at the counter and received at once (status 2) unless the
  body says ``"receive": false``; from anyone else (a citizen signed in, whose
  login becomes its owner, or anonymous) it is an online submission (status 1).
  Body: ``{"service", "applicant": {...}, "representative": {...} | null,
  "documents": [{"component", "filename", "data", "encoding": "base64"}],
  "return_method": "counter" | "post" | "online", "processing_unit"}``.
- ``GET <unit>/@dossiers``: the unit's queue, to its staff, from the desk's
  queue entries (no dossier is woken): filters ``status`` (codes or names,
  repeated or comma-separated), ``overdue=true``, ``due_soon=true`` (due within
  :data:`DUE_SOON_DAYS` working days), ``service=<code>``, ``assignee=me`` (or a
  login), ``sort_on=code|due|submitted``; batched with ``b_start``/``b_size``.
- ``GET <unit>/mot-cua/<code>`` (``Accept: application/json``): the whole
  dossier, to those :func:`~plugins.onestop.access.can_view` allows; 404 to
  others (a code is not confirmed to exist).
- ``POST <dossier>/@workflow/<transition>`` with ``{"comment", ...}`` and what
  the transition needs (:mod:`plugins.onestop.transitions`; ``apologize`` with
  ``comment`` and ``new_due``): the new status and the history line.
- ``<dossier>/@@document/<n>`` (``result`` for the result): a file, to the same
  people.

A dossier is never changed nor removed through the generic content API: other
methods on it answer 405.
"""

from __future__ import annotations

from datetime import datetime

from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound
from pyramid.view import view_config

from core.api import api_view
from core.api.deserialize import read_json
from core.api.errors import ApiError, not_allowed
from core.api.params import BATCH_PARAMS, Param, api_body, api_params
from core.api.serialize import iso, url_of
from core.batching import Batch
from core.blobs import blob_response
from core.clock import now
from core.i18n import _
from core.params import BadParameter, text
from core.workdays import add_working_days, working_calendar
from plugins.onestop import statuses
from plugins.onestop.access import can_staff, can_view, login_of, record_view, roles_at
from plugins.onestop.api_input import (
    bad_request,
    documents_of,
    persons_of,
    refusal,
    transition_data,
)
from plugins.onestop.apology import apologize
from plugins.onestop.dossier import CHANNEL_COUNTER, CHANNEL_ONLINE, RETURN_METHODS
from plugins.onestop.intake import IntakeError, Submission, submit
from plugins.onestop.interfaces import IDossier
from plugins.onestop.serialize import (
    DOCUMENT_VIEW,
    RESULT,
    DossierUrls,
    change_json,
    dossier_json,
    entry_overdue,
    queue_item,
    status_json,
    transitions_json,
)
from plugins.onestop.transitions import TRANSITIONS, TransitionError, perform
from plugins.onestop.units import desk_in
from subsites.interfaces import ISubsite

#: Working days ahead that ``due_soon`` looks.
DUE_SOON_DAYS = 2
#: Queue lines per page unless ``b_size`` says.
PAGE_SIZE = 50
SORTS = ("code", "due", "submitted")
NOT_FOUND = _("Không tìm thấy hồ sơ.")

PERSON_SCHEMA = {
    "type": "object",
    "required": ["full_name", "id_number"],
    "properties": {
        "full_name": {"type": "string", "maxLength": 200},
        "id_type": {"type": "string", "enum": ["cccd", "passport", "tax"]},
        "id_number": {"type": "string", "maxLength": 20, "example": "001190012345"},
        "birth_date": {"type": "string", "format": "date"},
        "phone": {"type": "string"},
        "email": {"type": "string"},
        "address": {"type": "string"},
    },
}
FILE_ITEM = {
    "type": "object",
    "required": ["component", "data"],
    "properties": {
        "component": {"type": "string"},
        "filename": {"type": "string"},
        "data": {"type": "string", "contentEncoding": "base64"},
        "encoding": {"type": "string", "enum": ["base64"]},
    },
}
SUBMISSION_SCHEMA = {
    "type": "object",
    "required": ["service", "applicant", "documents", "return_method"],
    "properties": {
        "service": {"type": "string", "example": "1.000005"},
        "applicant": PERSON_SCHEMA,
        "representative": {"anyOf": [PERSON_SCHEMA, {"type": "null"}]},
        "documents": {"type": "array", "items": FILE_ITEM},
        "return_method": {"type": "string", "enum": list(RETURN_METHODS)},
        "processing_unit": {"type": "string"},
        "receive": {"type": "boolean"},
    },
}
TRANSITION_SCHEMA = {
    "type": "object",
    "properties": {
        "comment": {"type": "string", "maxLength": 2000},
        "assignee": {"type": "string"},
        "unit": {"type": "string"},
        "days": {"type": "number"},
        "step": {"type": "string"},
        "result_number": {"type": "string"},
        "signer": {"type": "string"},
        "result_file": {"type": "object"},
        "documents": {"type": "array", "items": FILE_ITEM},
        "new_due": {"type": "string", "format": "date-time"},
    },
}


def desk_or_404(context):
    desk = desk_in(context)
    if desk is None:
        raise ApiError(404, _("Đơn vị chưa có một cửa điện tử."), "NotFound")
    return desk


# a unit's dossiers -----------------------------------------------------------------------
@api_view(context=ISubsite, name="@dossiers", request_method="POST")
@api_body(SUBMISSION_SCHEMA)
def dossiers_post(context, request):
    """Submit a dossier to the unit: at its counter (its Receptionists) or online.

    201 with the dossier's ``code``, ``status``, ``status_code``, ``due_date`` and
    ``@id``; 400 naming each refused field, 404 where the unit has no desk, 409
    when the procedure is not received here, 413 for a file too large."""
    desk_or_404(context)
    body = read_json(request, required=True)
    applicant, representative, errors = persons_of(body)
    documents, problems = documents_of(body.get("documents"))
    errors.update(problems)
    receive = body.get("receive", True)
    if not isinstance(receive, bool):
        errors["receive"] = _("Phải là true hoặc false.")
    for key in ("service", "return_method", "processing_unit"):
        if not isinstance(body.get(key, ""), str):
            errors[key] = _("Phải là một chuỗi ký tự.")
    if errors:
        raise bad_request(request, _("Hồ sơ có trường không hợp lệ."), errors)
    counter = bool(roles_at(request, context.code) & {"Receptionist", "Manager"})
    submission = Submission(
        procedure_code=body.get("service", ""),
        applicant=applicant,
        return_method=body.get("return_method", ""),
        channel=CHANNEL_COUNTER if counter else CHANNEL_ONLINE,
        receiving_unit=context.code,
        representative=representative,
        documents=documents,
        processing_unit=body.get("processing_unit", ""),
        owner="" if counter else login_of(request),
    )
    try:
        dossier = submit(request, submission, receive=counter and receive)
    except (IntakeError, TransitionError) as exc:
        raise refusal(request, exc) from None
    request.response.status = 201
    request.response.headers["Location"] = url_of(request, dossier)
    return {
        "@id": url_of(request, dossier),
        "code": dossier.code,
        **status_json(request, dossier.status),
        "due_date": iso(dossier.due),
        "processing_unit": dossier.processing_unit,
    }


@api_view(context=ISubsite, name="@dossiers", request_method="GET")
@api_params(
    Param("status", "query", _("Trạng thái: mã (1–10) hoặc tên, nhiều giá trị cách nhau dấu phẩy")),
    Param("overdue", "query", _("Chỉ hồ sơ quá hạn"), {"type": "boolean"}),
    Param("due_soon", "query", _("Chỉ hồ sơ sắp đến hạn (2 ngày làm việc)"), {"type": "boolean"}),
    Param("service", "query", _("Mã thủ tục")),
    Param("assignee", "query", _("Người được giao (me: chính mình)")),
    Param("sort_on", "query", _("Sắp xếp"), {"type": "string", "enum": list(SORTS)}),
    *BATCH_PARAMS,
)
def dossiers_get(context, request):
    """The unit's queue (its open dossiers), to its staff, filtered and batched."""
    desk = desk_or_404(context)
    if not can_staff(request, context.code):
        raise HTTPForbidden()
    keep = queue_filter(request)
    sort_on = text(request, "sort_on", "code")
    if sort_on not in SORTS:
        raise BadParameter(_("sort_on là code, due hoặc submitted."))
    entries = (e for e in desk.queue.values() if keep(e))
    if sort_on != "code":
        far = datetime.max.replace(tzinfo=now().tzinfo)
        entries = iter(sorted(entries, key=lambda e: (getattr(e, sort_on) or far, e.code)))
    batch = Batch.from_iterable(entries, request, PAGE_SIZE)
    urls, moment = DossierUrls(request), now()
    items = [queue_item(request, e, urls(e), moment) for e in batch.items]
    return {"@id": batch.url, **batch.as_json(items)}


def flag(request, name: str) -> bool:
    value = text(request, name, "false").lower()
    if value not in ("true", "false", "1", "0"):
        raise BadParameter(_("Tham số “${name}” là true hoặc false.", mapping={"name": name}))
    return value in ("true", "1")


def wanted_statuses(request) -> frozenset[int] | None:
    values = [v.strip() for raw in request.GET.getall("status")[:20] for v in raw.split(",")]
    values = [v for v in values if v]
    if not values:
        return None
    found = set()
    for value in values:
        status = statuses.BY_NAME.get(value)
        code = status.code if status else (int(value) if value.isdigit() else 0)
        if code not in statuses.STATUSES:
            raise BadParameter(_("Không có trạng thái “${s}”.", mapping={"s": value[:40]}))
        found.add(code)
    return frozenset(found)


def queue_filter(request):
    """The test a queue line must pass for the request's filters."""
    wanted = wanted_statuses(request)
    overdue, due_soon = flag(request, "overdue"), flag(request, "due_soon")
    service = text(request, "service")
    assignee = text(request, "assignee")
    if assignee == "me":
        assignee = login_of(request)
    moment = now()
    soon = add_working_days(working_calendar(request), moment, DUE_SOON_DAYS) if due_soon else None

    def keep(entry) -> bool:
        if wanted is not None and entry.status not in wanted:
            return False
        if service and entry.procedure_code != service:
            return False
        if assignee and entry.assignee != assignee:
            return False
        late = entry_overdue(entry, moment)
        if overdue and not late:
            return False
        return not (
            soon is not None
            and (
                late
                or entry.due is None
                or entry.status not in statuses.RUNNING
                or entry.due > soon
            )
        )

    return keep


@api_view(context=ISubsite, name="@dossiers", require_csrf=False)
def dossiers_other_methods(context, request):
    raise not_allowed("GET", "POST")


# a dossier ------------------------------------------------------------------------------
def visible(request, dossier):
    """``dossier`` when the requester may see it; 404 otherwise."""
    if not can_view(request, dossier):
        raise ApiError(404, NOT_FOUND, "NotFound")
    return dossier


@api_view(context=IDossier, request_method="GET")
def dossier_get(context, request):
    """The whole dossier: its status, steps, history, hand-overs, supplements,
    files and the transitions the requester may make; 404 to those who may not
    see it."""
    visible(request, context)
    record_view(request, context)
    return dossier_json(request, context)


@api_view(context=IDossier, require_csrf=False)
def dossier_other_methods(context, request):
    """A dossier changes through its transitions only (``@workflow``)."""
    raise not_allowed("GET")


@api_view(context=IDossier, name="@workflow", request_method="POST")
@api_params(Param("transition", "path", _("Tên thao tác"), required=True, example="receive"))
@api_body(TRANSITION_SCHEMA)
def dossier_transition(context, request):
    """Make a transition of the dossier: 200 with its new status, due date and the
    history line; 400 for bad data, 403 when the requester may not make it,
    404 for an unknown transition, 409 when it cannot be made in this status."""
    visible(request, context)
    if len(request.subpath) != 1:
        raise ApiError(400, _("Cần nêu tên thao tác: @workflow/<tên thao tác>."), "BadRequest")
    name = request.subpath[0]
    data = transition_data(request, read_json(request))
    try:
        if name == "apologize":
            apologize(request, context, data.get("comment"), data.get("new_due"))
            event = context.history[-1]
        else:
            event = perform(request, context, name, data)
    except TransitionError as exc:
        raise refusal(request, exc) from None
    return change_json(request, context, event)


@api_view(context=IDossier, name="@workflow", request_method="GET")
def dossier_workflow_get(context, request):
    """The dossier's status and the transitions the requester may make."""
    visible(request, context)
    if request.subpath:
        raise not_allowed("POST")
    return {
        "@id": url_of(request, context) + "/@workflow",
        **status_json(request, context.status),
        "transitions": transitions_json(request, context),
        "all_transitions": sorted(TRANSITIONS),
    }


@api_view(context=IDossier, name="@workflow", require_csrf=False)
def dossier_workflow_other_methods(context, request):
    raise not_allowed("POST") if request.subpath else not_allowed("GET", "POST")


@view_config(context=IDossier, name=DOCUMENT_VIEW, request_method="GET")
def document_download(context, request):
    """A file of the dossier (``@@document/<n>``, from 1, or ``@@document/result``),
    to those who may see the dossier; 404 to others."""
    if not can_view(request, context) or len(request.subpath) != 1:
        raise HTTPNotFound()
    name = request.subpath[0]
    document = None
    if name == RESULT and context.result is not None:
        document = context.result.document
    elif name.isdigit() and 1 <= int(name) <= len(context.documents):
        document = context.documents[int(name) - 1]
    if document is None:
        raise HTTPNotFound()
    record_view(request, context)
    return blob_response(request, document.blob, document.content_type, document.filename)
