"""``@login``, ``@login-renew`` and ``@logout``: bearer tokens for API clients; the
answer to refused HTTP Basic credentials (401 with ``WWW-Authenticate``).

Tokens are signed (see :class:`core.security.SecurityPolicy`): they end when they
expire, when their login session ends (``@logout``, the sessions page, its idle or
longest time, see :mod:`core.sessions`) or when all the user's sessions do (a new
password).
"""

from __future__ import annotations

from pyramid.interfaces import ISecurityPolicy
from pyramid.response import Response
from pyramid.security import forget
from pyramid.view import exception_view_config

from core import audit, sessions
from core.api import api_view
from core.api.deserialize import read_json
from core.api.errors import ApiError, api_error_view, not_allowed
from core.auth import LoginRefused, authenticate, refusal_message
from core.i18n import _
from core.interfaces import INavigationRoot
from core.security import CredentialsRefused
from core.twofactor import CodeRefused, check_code, two_factor_of

BASIC_CHALLENGE = 'Basic realm="cong", charset="UTF-8"'
TWO_FACTOR_REQUIRED = _(
    "Tài khoản này đăng nhập bằng xác thực hai bước: gửi mật khẩu cùng mã xác thực "
    "(trường totp, hoặc recovery_code) tới @login."
)


def token_for(request, user, session_id: str | None = None) -> dict:
    """``{"token": ...}``: a fresh bearer token for ``user``, in their login session
    ``session_id`` or a new one (:mod:`core.sessions`)."""
    if session_id is None:
        session_id = sessions.start(request, user, "api").id
    return {"token": request.registry.getUtility(ISecurityPolicy).make_token(user, session_id)}


@api_view(context=INavigationRoot, name="@login", request_method="POST", require_csrf=False)
def login(context, request):
    """Check ``{"login", "password"}`` (JSON only; with ``totp`` or
    ``recovery_code`` for a user with a second factor) and answer a token; 401
    when they are wrong or the account is locked out after repeated failures."""
    data = read_json(request, required=True)
    login, password = data.get("login"), data.get("password")
    if not isinstance(login, str) or not isinstance(password, str) or not login.strip():
        raise ApiError(400, _("Cần gửi tên đăng nhập và mật khẩu."), "BadRequest")
    try:
        user = authenticate(request, login, password)
    except LoginRefused as exc:
        raise login_refused(exc) from None
    if two_factor_of(user) is not None:
        check_second_factor(request, user, data)
    audit.record(request, "login", user.login, actor=user.login, via="api")
    return token_for(request, user)


def check_second_factor(request, user, data: dict) -> None:
    """Use up the ``totp`` (or ``recovery_code``) of a login whose user has a
    second factor: 401 ``TwoFactorRequired`` without one, 401 when it is wrong or
    used before, 429 with ``Retry-After`` after too many wrong ones."""
    code = data.get("totp") or data.get("recovery_code")
    if not code:
        raise ApiError(401, TWO_FACTOR_REQUIRED, "TwoFactorRequired")
    if not isinstance(code, str):
        raise ApiError(400, _("Mã xác thực phải là một chuỗi."), "BadRequest")
    try:
        check_code(request, user, code)
    except CodeRefused as refused:
        if refused.retry_after:
            headers = {"Retry-After": str(refused.retry_after)}
            raise ApiError(429, refused.message, "TooManyRequests", headers=headers) from None
        raise ApiError(401, refused.message, "TwoFactorRefused") from None


def login_refused(refused: LoginRefused) -> ApiError:
    """The API's answer to a refused login: 401, or 429 with ``Retry-After`` when
    the requester's address must wait."""
    if refused.retry_after:
        headers = {"Retry-After": str(refused.retry_after)}
        return ApiError(429, refusal_message(refused), "TooManyRequests", headers=headers)
    return ApiError(401, refusal_message(refused), "Unauthorized")


@exception_view_config(CredentialsRefused, json_api=True)
def credentials_refused(exc: CredentialsRefused, request):
    """Refused HTTP Basic credentials: 401 with a ``WWW-Authenticate`` challenge
    (429 when the address must wait); 403 over plain HTTP where HTTPS is required."""
    if exc.second_factor:
        return api_error_view(ApiError(401, TWO_FACTOR_REQUIRED, "TwoFactorRequired"), request)
    if exc.refusal is None:
        message = _("Chỉ được dùng xác thực HTTP Basic qua HTTPS.")
        return api_error_view(ApiError(403, message, "HttpsRequired"), request)
    response = api_error_view(login_refused(exc.refusal), request)
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = BASIC_CHALLENGE
    return response


@api_view(context=INavigationRoot, name="@login-renew", request_method="POST", require_csrf=False)
def login_renew(context, request):
    """A new token for the requester (401 without a valid one). It changes nothing
    and a cross-site page cannot read the answer, so no CSRF token is needed."""
    if request.identity is None:
        if sessions.expired(request):
            raise ApiError(401, sessions.SESSION_EXPIRED, "SessionExpired")
        raise ApiError(401, _("Bạn cần đăng nhập."), "Unauthorized")
    session = sessions.current(request)
    return token_for(request, request.identity, session.id if session is not None else None)


@api_view(context=INavigationRoot, name="@logout", request_method="POST")
def logout(context, request):
    """204: the requester's login session ends (this token or login cookie, see
    :func:`core.sessions.end_current`); a login cookie is cleared."""
    if request.identity is not None:
        audit.record(request, "logout", request.identity.login)
        sessions.end_current(request)
    return Response(status=204, headers=forget(request))


@api_view(context=INavigationRoot, name="@login", require_csrf=False)
@api_view(context=INavigationRoot, name="@login-renew", require_csrf=False)
@api_view(context=INavigationRoot, name="@logout", require_csrf=False)
def login_other_methods(context, request):
    raise not_allowed("POST")
