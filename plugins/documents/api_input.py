"""What the documents JSON API reads, and how it refuses: request bodies (JSON
objects; the files as plone.restapi sends them, a list of ``{"filename", "data"
(base64), "encoding", "content-type"}``), the requester's right to act, and the
model's refusals (:class:`~plugins.documents.entries.EntryError`,
:class:`~plugins.documents.transitions.TransitionError`) as API errors ``{"type",
"message", "errors": [{"field", "message"}]}`` with their status."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden

from core.api.deserialize import read_json
from core.api.errors import ApiError, field_errors
from core.errors import TYPES
from core.i18n import _


def refusal(request, exc) -> ApiError:
    """An EntryError or TransitionError as the API's error."""
    errors = field_errors(request, {str(k): v for k, v in exc.errors.items()})
    return ApiError(exc.status, exc.message, TYPES.get(exc.status, "BadRequest"), errors=errors)


def bad_request(request, message, errors: dict | None = None) -> ApiError:
    return ApiError(400, message, "BadRequest", errors=field_errors(request, errors or {}))


def refuse_unless(request, allowed: bool, message) -> None:
    """Nothing when ``allowed``; else 401 for an anonymous requester (they may yet
    sign in), 403 with ``message`` for anyone else."""
    if allowed:
        return
    if request.identity is None:
        raise HTTPForbidden()
    raise ApiError(403, message, "Forbidden")


def entry_body(request) -> dict:
    """The body registering a document: a JSON object, its ``attachments`` a list
    (one file alone is refused, so that a client's mistake is not taken for
    another shape). ApiError 400/415 otherwise."""
    body = read_json(request, required=True)
    if body.get("attachments") is not None and not isinstance(body["attachments"], list):
        raise bad_request(
            request,
            _("Thông tin văn bản chưa đúng."),
            {"attachments": _("Cần một danh sách tệp.")},
        )
    return body
