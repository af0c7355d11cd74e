"""The JSON API of one registered document (``<unit>/van-thu/<id>``).

- ``GET`` (``Accept: application/json``): the whole document
  (:func:`plugins.documents.api_json.document_json`) to those
  :func:`~plugins.documents.access.can_view` allows; 401 anonymous, 403 to others.
- ``POST <document>/@workflow/<transition>`` with ``{"comment", ...}`` and what the
  transition needs (:mod:`plugins.documents.transitions`): ``assign`` —
  ``direction``, ``lead``, ``coordinators``, ``deadline`` (a date) or ``days``
  (working days); ``sign`` — ``signer_name``, ``signer_position``, ``authority``;
  ``issue`` — ``number`` (optional: the next of the series otherwise). 200 with
  the document (``issue``: with its ``number`` and ``notation``); the refusal's
  status otherwise (400 bad data, 403 not this person's to do, 404 no such
  transition, 409 not in this status; a number already issued), nothing changed.
- ``GET <document>/@workflow``: its status and the transitions the requester may
  make.

A registered document changes through its transitions only: other methods on it
answer 405.
"""

from __future__ import annotations

from core.api import api_view
from core.api.deserialize import read_json
from core.api.errors import ApiError, not_allowed
from core.api.params import Param, api_body, api_params
from core.api.serialize import url_of
from core.i18n import _
from plugins.documents import registered as R
from plugins.documents.access import can_view
from plugins.documents.api_input import refusal, refuse_unless
from plugins.documents.api_json import document_json, status_json, transitions_json
from plugins.documents.interfaces import IRegisteredDocument
from plugins.documents.transitions import TRANSITIONS, TransitionError, perform

HANDLERS = {"type": "array", "items": {"type": "string", "maxLength": 120}, "maxItems": 50}
TRANSITION_SCHEMA = {
    "type": "object",
    "properties": {
        "comment": {"type": "string", "maxLength": 5000},
        "direction": {"type": "string", "maxLength": 5000},
        "lead": {"type": "string", "maxLength": 120, "example": "user:chuyenvien1"},
        "coordinators": HANDLERS,
        "deadline": {"type": "string", "format": "date"},
        "days": {"type": "integer", "minimum": 1, "maximum": 365},
        "signer_name": {"type": "string", "maxLength": 200},
        "signer_position": {"type": "string", "maxLength": 200},
        "authority": {"type": "string", "enum": list(R.AUTHORITIES)},
        "number": {"type": "integer", "minimum": 1, "maximum": 999999},
    },
}


def visible(request, document):
    """``document`` when the requester may see it; 401/403 otherwise."""
    refuse_unless(request, can_view(request, document), _("Bạn không có quyền xem văn bản này."))
    return document


@api_view(context=IRegisteredDocument, request_method="GET")
def document_get(context, request):
    """The whole document: its fields, files, history, direction or recipients, and
    the transitions the requester may make."""
    return document_json(request, visible(request, context))


@api_view(context=IRegisteredDocument, require_csrf=False)
def document_other_methods(context, request):
    """A registered document changes through its transitions only (``@workflow``)."""
    raise not_allowed("GET")


@api_view(context=IRegisteredDocument, name="@workflow", request_method="POST")
@api_params(Param("transition", "path", _("Tên thao tác"), required=True, example="submit"))
@api_body(TRANSITION_SCHEMA)
def document_transition(context, request):
    """Make a transition of the document: 200 with the document as it is then.

    400 for bad data, 403 when the requester may not make it, 404 for an unknown
    transition, 409 when it cannot be made in this status or the number asked for
    at issue was issued already."""
    visible(request, context)
    if len(request.subpath) != 1:
        raise ApiError(404, _("Cần nêu tên thao tác: @workflow/<tên thao tác>."), "NotFound")
    data = read_json(request)
    try:
        perform(request, context, request.subpath[0], data)
    except TransitionError as exc:
        raise refusal(request, exc) from None
    return document_json(request, context)


@api_view(context=IRegisteredDocument, name="@workflow", request_method="GET")
def document_workflow_get(context, request):
    """The document's status and the transitions the requester may make."""
    visible(request, context)
    if request.subpath:
        raise not_allowed("POST")
    return {
        "@id": url_of(request, context) + "/@workflow",
        **status_json(request, context),
        "transitions": transitions_json(request, context),
        "all_transitions": sorted(name for kind, name in TRANSITIONS if kind == context.kind),
    }


@api_view(context=IRegisteredDocument, name="@workflow", require_csrf=False)
def document_workflow_other_methods(context, request):
    raise not_allowed("POST") if request.subpath else not_allowed("GET", "POST")
