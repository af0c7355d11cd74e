"""``@@tai-khoan-cong-dan``: Managers find a citizen's account by its number, and
lock, unlock or delete it (:mod:`core.citizens`).

The number is typed into a form sent by POST (never into an address, where access
logs, the browser's history and ``Referer`` headers would keep it): the answer
shows the account with the number masked, the full number only in the field the
Manager typed it in. The actions (POST, with the account's login, which tells
nothing of the number) go back to the page with ``?tai-khoan=<login>``. Nothing
lists the citizens: an account is found by one look-up of its number.
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

from core import citizens, sessions
from core.citizens import Citizen, CitizenError
from core.formatting import local_date, machine_time
from core.i18n import _
from core.interfaces import ISite
from core.params import BadParameter
from core.permissions import MANAGE_CITIZENS
from core.views.auth import flash

PAGE = "tai-khoan-cong-dan"
#: The query parameter naming the account shown after an action.
ACCOUNT = "tai-khoan"
BAD_NUMBER = _("Số định danh cá nhân gồm đúng 12 chữ số.")
GONE = _("Tài khoản công dân này không còn.")


def page_values(request, citizen: Citizen | None = None, **values) -> dict:
    """What the page shows: the count, the search form, ``citizen``'s account."""
    return {
        "total": citizens.total(request.root.principals),
        "number": "",
        "searched": False,
        "error": None,
        "errors": {},
        "reason": "",
        "account": account_facts(request, citizen) if citizen is not None else None,
        "max_reason": citizens.MAX_REASON,
        **values,
    }


def account_facts(request, citizen: Citizen) -> dict:
    """``citizen``'s account as the page shows it (the number masked)."""
    lock = citizen.locked
    return {
        "login": citizen.login,
        "masked": citizens.mask(citizen.identifier),
        "fullname": citizen.fullname,
        "created": local_date(citizen.created, with_time=True),
        "created_iso": machine_time(citizen.created),
        "last_login": local_date(citizen.last_login, with_time=True),
        "last_login_iso": machine_time(citizen.last_login),
        "sessions": len(sessions.live_sessions(request, citizen)),
        "lock": None
        if lock is None
        else {
            "reason": lock.reason,
            "at": local_date(lock.at, with_time=True),
            "at_iso": machine_time(lock.at),
            "by": lock.by,
        },
    }


def posted(request, name: str) -> str:
    value = request.POST.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def named_account(request, login: str) -> Citizen | None:
    """The citizen whose login is ``login`` (one look-up), or None."""
    found = request.root.principals.get_account(login)
    return found if isinstance(found, Citizen) else None


def back(request, citizen: Citizen | None = None) -> HTTPFound:
    """To the page, showing ``citizen``'s account."""
    query = {ACCOUNT: citizen.login} if citizen is not None else None
    return HTTPFound(request.resource_url(request.context, "@@" + PAGE, query=query))


@view_config(
    context=ISite,
    name=PAGE,
    renderer="citizens.pt",
    permission=MANAGE_CITIZENS,
    request_method=("GET", "HEAD"),
)
def citizens_page(context, request):
    """The search form, and the account ``?tai-khoan=`` names (after an action)."""
    login = request.GET.get(ACCOUNT, "")
    return page_values(request, named_account(request, login) if login else None)


@view_config(
    context=ISite,
    name=PAGE,
    renderer="citizens.pt",
    permission=MANAGE_CITIZENS,
    request_method="POST",
)
def citizens_submit(context, request):
    """``action``: ``find`` (``so``: the number), or ``lock`` (with ``reason``),
    ``unlock``, ``delete`` (with ``confirm``) of the account ``tai-khoan``."""
    action = posted(request, "action")
    if action == "find":
        return find(request)
    if action not in ACTIONS:
        raise BadParameter(_("Thao tác không hợp lệ."))
    citizen = named_account(request, posted(request, ACCOUNT))
    if citizen is None:
        flash(request, GONE)
        return back(request)
    return ACTIONS[action](request, citizen)


def find(request):
    """The account of the number typed; 400 when it is not a number."""
    number = posted(request, "so")
    if not citizens.is_identifier(number):
        request.response.status = 400
        return page_values(request, number=number[:40], error=BAD_NUMBER)
    citizen = citizens.find_citizen(request.root.principals, number)
    return page_values(request, citizen, number=number, searched=True)


def lock(request, citizen: Citizen):
    """Lock the account (a reason is required); 400 without one."""
    typed = request.POST.get("reason", "")
    try:
        reason = citizens.lock_reason(typed)
    except CitizenError as refused:
        request.response.status = 400
        kept = typed[: citizens.MAX_REASON] if isinstance(typed, str) else ""
        return page_values(request, citizen, errors={"reason": refused.message}, reason=kept)
    citizens.lock(request, citizen, reason)
    flash(request, _("Đã khoá tài khoản ${number}.", mapping=masked(citizen)))
    return back(request, citizen)


def unlock(request, citizen: Citizen):
    citizens.unlock(request, citizen)
    flash(request, _("Đã mở khoá tài khoản ${number}.", mapping=masked(citizen)))
    return back(request, citizen)


def delete(request, citizen: Citizen):
    """Delete the account once the Manager ticked the confirmation; 400 otherwise."""
    if request.POST.get("confirm") != "yes":
        request.response.status = 400
        error = _("Hãy đánh dấu xác nhận trước khi xoá tài khoản.")
        return page_values(request, citizen, errors={"confirm": error})
    citizens.delete(request, request.root.principals, citizen)
    flash(request, _("Đã xoá tài khoản ${number}.", mapping=masked(citizen)))
    return back(request)


def masked(citizen: Citizen) -> dict:
    return {"number": citizens.mask(citizen.identifier)}


ACTIONS = {"lock": lock, "unlock": unlock, "delete": delete}
