"""The applicant rates a returned dossier: ``POST <dossier>/@rating`` signed in as
the citizen who submitted it, or ``POST /@lookup-rating`` with the look-up pair
(``code``, ``id_number``); the body has ``scores`` (criterion -> 1..5) and an
optional ``comment``. A dossier is rated once."""

from __future__ import annotations

from core.api import api_view
from core.api.deserialize import read_json
from core.api.errors import ApiError
from core.api.params import api_body
from core.i18n import _
from core.interfaces import ISite
from core.permissions import VIEW
from plugins.onestop.access import is_applicant
from plugins.onestop.interfaces import IDossier
from plugins.onestop.lookup import find_for_applicant
from plugins.onestop.ratings import criteria, rate
from plugins.onestop.transitions import TransitionError
from plugins.onestop.views_lookup import lookup_allowed

SCORES = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1, "maximum": 5}}
BODY = {
    "type": "object",
    "properties": {"scores": SCORES, "comment": {"type": "string", "maxLength": 1000}},
    "required": ["scores"],
}


def _rate(request, dossier, body: dict) -> dict:
    try:
        rating = rate(request, dossier, body.get("scores"), body.get("comment", ""))
    except TransitionError as exc:
        raise ApiError(exc.status, exc.message, "BadRequest" if exc.status == 400 else "Conflict",
                       errors=exc.errors) from None  # fmt: skip
    return {
        "code": dossier.code,
        "scores": rating["scores"],
        "criteria": [{"criterion": s, "title": t} for s, t in criteria(request.registry)],
    }


@api_view(context=IDossier, name="@rating", request_method="POST", permission=VIEW)
@api_body(BODY)
def rating_view(context, request):
    """The applicant, signed in, rates their returned dossier."""
    if not is_applicant(request, context):
        raise ApiError(403, _("Chỉ người nộp hồ sơ đánh giá."), "Forbidden")
    return _rate(request, context, read_json(request, required=True))


@api_view(context=ISite, name="@lookup-rating", request_method="POST", permission=VIEW)
@api_body({**BODY, "properties": {**BODY["properties"], "code": {"type": "string"},
                                  "id_number": {"type": "string"}},
           "required": ["code", "id_number", "scores"]})  # fmt: skip
def lookup_rating_view(context, request):
    """A citizen rates a returned dossier found by its code and their identifier."""
    if not lookup_allowed(request):  # the look-up's rate limit: the pair is a secret
        raise ApiError(429, _("Quý vị tra cứu quá nhiều lần: vui lòng thử lại sau ít phút."),
                       "TooManyRequests")  # fmt: skip
    body = read_json(request, required=True)
    dossier = find_for_applicant(request.root, body.get("code"), body.get("id_number"))
    if dossier is None:
        raise ApiError(404, _("Không tìm thấy hồ sơ với mã và số giấy tờ này."), "NotFound")
    return _rate(request, dossier, body)
