"""A signed-in citizen's own dossiers (``@@ho-so-cua-toi`` at the portal): those
they handed in signed in and, for a citizen signed in through the national
identity service, those whose applicant has their personal identification number
(however they were handed in); newest first, with the result to download (a result
returned online may be reused in a later dossier)."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden
from pyramid.view import view_config

from core.citizens import citizen_identifier
from core.interfaces import ISite
from core.ui import get_ui
from plugins.onestop import statuses as S
from plugins.onestop.access import login_of
from plugins.onestop.apology import appointment
from plugins.onestop.dossier import RETURN_ONLINE
from plugins.onestop.registry import applicant_codes, find_dossier, owned_codes
from plugins.onestop.serialize import DOCUMENT_VIEW, RESULT
from plugins.onestop.views_links import MINE_VIEW
from plugins.onestop.views_support import keep_private, page_values, status_label

#: The dossiers the page lists at most.
SHOWN = 200


def _row(request, ui, dossier) -> dict:
    result = dossier.result
    downloadable = (
        dossier.return_method == RETURN_ONLINE
        and dossier.status in S.FINISHED
        and result is not None
        and result.document is not None
    )
    return {
        "code": dossier.code,
        "url": ui.url(dossier),
        "procedure": dossier.procedure_title,
        "status": status_label(request, dossier.status),
        "due": appointment(dossier),
        "result_url": ui.url(dossier, "@@" + DOCUMENT_VIEW, RESULT) if downloadable else "",
        "result_name": result.document.filename if downloadable else "",
    }


@view_config(context=ISite, name=MINE_VIEW, renderer="onestop_mine.pt")
def mine_view(context, request):
    """The requester's dossiers; signing in first."""
    login = login_of(request)
    if not login:
        raise HTTPForbidden()
    keep_private(request)
    ui = get_ui(request)
    codes = set(owned_codes(context, login)[:SHOWN])
    codes.update(applicant_codes(context, citizen_identifier(request) or "")[-SHOWN:])
    dossiers = [find_dossier(context, code) for code in codes]
    dossiers = [d for d in dossiers if d is not None and not d.anonymised]
    dossiers.sort(key=lambda d: d.submitted, reverse=True)
    rows = [_row(request, ui, d) for d in dossiers[:SHOWN]]
    return page_values(request, rows=rows)
