"""The citizen's look-up (``@@tra-cuu``, at the portal and on each unit's site):
a dossier's code and the applicant's identifier number give its status, the
steps done, the due date and what is asked of the citizen; a wrong pair gives
"Không tìm thấy hồ sơ." and nothing more."""

from __future__ import annotations

from pyramid.view import view_config

from core.i18n import _
from core.interfaces import ISite, IUnitSite
from core.params import text
from plugins.onestop.api_lookup import lookup_wait
from plugins.onestop.apology import appointment
from plugins.onestop.lookup import PUBLIC_STEPS, asked_of_applicant, find_for_applicant
from plugins.onestop.transitions import TRANSITIONS
from plugins.onestop.views_support import NOT_FOUND, keep_private, page_values, status_label

LOOKUP_VIEW = "tra-cuu"
#: What the applicant is told to do, by :func:`asked_of_applicant`'s answer.
ASKED = {
    "payment": _("Nộp phí, lệ phí theo thông báo của cơ quan giải quyết."),
    "collect": _("Kết quả đã có: nhận kết quả theo hình thức đã chọn."),
}


def lookup_allowed(request) -> bool:
    """Whether this address may look up once more now: the JSON ``@lookup`` and
    this page share one limit per address (:func:`plugins.onestop.api_lookup.lookup_wait`)."""
    return lookup_wait(request) == 0


def _found(request, dossier) -> dict:
    translate = request.localizer.translate
    titles = {name: translate(t.title) for name, t in TRANSITIONS.items()}
    titles["submit"] = translate(_("Nộp hồ sơ"))
    steps = [
        {
            "when": e.when,
            "title": titles.get(e.transition, e.transition),
            "status": status_label(request, e.dest),
        }
        for e in dossier.history
        if e.transition in PUBLIC_STEPS
    ]
    asked = asked_of_applicant(dossier)
    return {
        "code": dossier.code,
        "procedure": dossier.procedure_title,
        "status": status_label(request, dossier.status),
        "due": appointment(dossier),
        "steps": steps,
        "asked": translate(ASKED[asked]) if asked in ASKED else asked,
    }


def _posted(request, name: str) -> str:
    value = request.POST.get(name, "") if request.method == "POST" else ""
    return value.strip()[:100] if isinstance(value, str) else ""


@view_config(context=ISite, name=LOOKUP_VIEW, renderer="onestop_lookup.pt")
@view_config(context=IUnitSite, name=LOOKUP_VIEW, renderer="onestop_lookup.pt")
def lookup_view(context, request):
    """The form, and what it found."""
    keep_private(request)
    # the number comes by POST only: in an address it would be kept in logs and history
    code = _posted(request, "code") or text(request, "code")
    number = _posted(request, "number") if request.method == "POST" else ""
    values = page_values(
        request,
        lookup_action=request.resource_url(context, "@@" + LOOKUP_VIEW),
        code=code,
        result=None,
        message="",
    )
    if code and number:
        if not lookup_allowed(request):
            request.response.status = 429
            values["message"] = request.localizer.translate(
                _("Quý vị tra cứu quá nhiều lần: vui lòng thử lại sau ít phút.")
            )
            return values
        dossier = find_for_applicant(request.root, code, number)
        if dossier is None:
            request.response.status = 404
            values["message"] = request.localizer.translate(NOT_FOUND)
        else:
            values["result"] = _found(request, dossier)
    return values
