"""Logging in and out, and changing one's own password (HTML pages on the site).

The password a person types is never put back into a page nor written to a log;
a failed login gets one generic message whichever part was wrong.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.security import forget, remember
from pyramid.view import view_config

from core import audit, sessions
from core.auth import LoginRefused, authenticate, refusal_message
from core.i18n import _
from core.interfaces import ISite
from core.oidc import citizen_login_url
from core.passwords import check_password, min_length
from core.principals import PrincipalError
from core.twofactor import pending_token, two_factor_of

AUTHENTICATED = "authenticated"


def safe_came_from(request, value) -> str | None:
    """``value`` if it is an address on this site (a path, or a URL on this host);
    None otherwise, so the login form never redirects elsewhere."""
    if not isinstance(value, str) or not value or len(value) > 2000:
        return None
    if any(ch in value for ch in "\\\r\n\t") or any(ord(ch) < 32 for ch in value):
        return None
    parts = urlsplit(value)
    if not parts.scheme and not parts.netloc:
        return value if value.startswith("/") and not value.startswith("//") else None
    here = urlsplit(request.host_url)
    if (parts.scheme, parts.netloc) == (here.scheme, here.netloc):
        return value
    return None


def throttled(request, refused: LoginRefused) -> None:
    """Answer 429 with ``Retry-After`` when the requester's address must wait."""
    if refused.retry_after:
        request.response.status = 429
        request.response.headers["Retry-After"] = str(refused.retry_after)


def flash(request, message) -> None:
    """Queue a message for the next page, in the requester's language."""
    request.session.flash(request.localizer.translate(message))


def login_values(request, login: str = "", error=None, came_from: str = "") -> dict:
    """What the login page (``login.pt``) shows: the name typed, an error, where to go
    next, and the citizen login's address ("" when it is off)."""
    return {
        "login": login,
        "error": error,
        "came_from": came_from,
        "citizen_login": citizen_login_url(request, came_from),
    }


@view_config(context=ISite, name="login", renderer="login.pt", request_method=("GET", "HEAD"))
def login_form(context, request):
    """The login form (saying so when the requester's session has expired)."""
    came_from = safe_came_from(request, request.GET.get("came_from")) or ""
    error = sessions.SESSION_EXPIRED if sessions.expired(request) else None
    return login_values(request, error=error, came_from=came_from)


@view_config(context=ISite, name="login", renderer="login.pt", request_method="POST")
def login_submit(context, request):
    """Check the credentials; on success set the auth cookie and go where asked."""
    login = request.POST.get("login", "")
    login = login.strip() if isinstance(login, str) else ""
    password = request.POST.get("password", "")
    came_from = safe_came_from(request, request.POST.get("came_from"))
    if not login or not isinstance(password, str) or not password:
        error = _("Vui lòng nhập tên đăng nhập và mật khẩu.")
        return login_values(request, login, error, came_from or "")
    try:
        user = authenticate(request, login, password)
    except LoginRefused as refused:
        throttled(request, refused)
        return login_values(request, login, refusal_message(refused), came_from or "")
    if two_factor_of(user) is not None:  # the code step signs in (core.views.twofactor)
        request.override_renderer = "login_code.pt"
        return {
            "pending": pending_token(request, user),
            "came_from": came_from or "",
            "error": None,
        }
    return signed_in(request, user, came_from)


def signed_in(request, user, came_from: str | None, via: str = "form"):
    """Sign ``user`` in with a fresh session and go to ``came_from`` (a safe
    address) or the site shown; ``via`` says how they proved who they are."""
    request.session.invalidate()  # a fresh session (and CSRF token) for the new identity
    sessions.end_current(request, reason="signed in again")  # this browser's earlier one
    audit.record(request, "login", user.login, actor=user.login, via=via)
    session = sessions.start(request, user, "form")
    headers = remember(request, user.login, session_id=session.id)
    flash(request, _("Đăng nhập thành công"))
    return HTTPFound(came_from or request.resource_url(request.context), headers=headers)


@view_config(context=ISite, name="logout", renderer="logout.pt", request_method=("GET", "HEAD"))
def logout_form(context, request):
    """A small form to confirm logging out (logging out changes state: POST only)."""
    return {}


@view_config(context=ISite, name="logout", request_method="POST")
def logout_submit(context, request):
    """End this login session (this login cookie, replayed or not; the user's
    other sessions go on, see :func:`core.sessions.end_current`), forget the auth
    cookie and the session, then show the site."""
    if request.identity is not None:
        audit.record(request, "logout", request.identity.login)
        sessions.end_current(request)
    headers = forget(request)
    request.session.invalidate()
    flash(request, _("Bạn đã đăng xuất."))
    return HTTPFound(request.resource_url(context), headers=headers)


@view_config(
    context=ISite,
    name="password",
    renderer="password.pt",
    permission=AUTHENTICATED,
    request_method=("GET", "HEAD"),
)
def password_form(context, request):
    """The form to change one's own password (none for who has no password)."""
    if not request.identity.has_password:
        raise HTTPNotFound()
    return {"errors": {}, "message": None, "min_length": min_length(request.registry)}


@view_config(
    context=ISite,
    name="password",
    renderer="password.pt",
    permission=AUTHENTICATED,
    request_method="POST",
)
def password_submit(context, request):
    """Change the requester's password after checking the current one. A new
    password ends the user's other login cookies and API tokens (see
    :mod:`core.security`); this browser gets a fresh cookie."""
    user = request.identity
    if not user.has_password:
        raise HTTPNotFound()
    current = request.POST.get("current", "")
    new = request.POST.get("new", "")
    repeat = request.POST.get("repeat", "")
    errors = {}
    if not current:
        errors["current"] = _("Vui lòng nhập mật khẩu hiện tại.")
    else:
        try:
            authenticate(request, user.login, current)
        except LoginRefused as refused:
            throttled(request, refused)
            errors["current"] = (
                refusal_message(refused)
                if refused.locked or refused.retry_after
                else _("Mật khẩu hiện tại không đúng.")
            )
    if new != repeat:
        errors["repeat"] = _("Hai lần nhập mật khẩu mới không khớp nhau.")
    problem = check_password(request.registry, new, user.login, user.fullname)
    if problem:
        errors["new"] = problem
    if not errors:
        sessions.end_others(request, user)
        try:
            user.set_password(new)
        except PrincipalError as exc:
            errors["new"] = exc.args[0]
    if errors:
        request.response.status = 400
        return {
            "errors": errors,
            "message": _("Chưa đổi được mật khẩu: xem các lỗi bên dưới."),
            "min_length": min_length(request.registry),
        }
    audit.record(request, "password.change", user.login)
    flash(request, _("Đã đổi mật khẩu."))
    return HTTPFound(request.resource_url(context), headers=remember(request, user.login))
