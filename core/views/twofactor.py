"""The pages of two-factor login (:mod:`core.twofactor`).

- ``@@xac-thuc-dang-nhap`` (POST): the login's code step. The login form, once the
  password is right for a user with a second factor, shows a form carrying a
  signed pending-login token (not a session); this page checks the code (or a
  recovery code) and signs in.
- ``@@xac-thuc-hai-buoc``: a signed-in user's enrolment (a new secret as a QR code
  and as text, confirmed by a current code; the recovery codes shown once), or,
  once enrolled, turning it off with a current code.
- ``@@xac-thuc-hai-buoc-vai-tro``: Managers choose the roles that must use it.
  A user holding one without a second factor is sent to enrolment from any other
  page (the API answers 403 ``TwoFactorEnrolmentRequired``), except logging in
  and out.
"""

from __future__ import annotations

from pyramid.events import ContextFound, subscriber
from pyramid.httpexceptions import HTTPFound
from pyramid.security import remember
from pyramid.view import exception_view_config, view_config

from core import audit, twofactor
from core.accounts import global_roles, role_errors
from core.errors import error_response
from core.i18n import _
from core.interfaces import ISite
from core.negotiation import wants_json
from core.permissions import MANAGE_USERS
from core.printing import qr_svg
from core.twofactor import CodeRefused
from core.views.auth import AUTHENTICATED, flash, login_values, safe_came_from, signed_in
from core.views.users import ticked

ENROL = "xac-thuc-hai-buoc"
#: Pages (and API services) a user who must enrol may still reach.
OPEN_BEFORE_ENROLMENT = frozenset(
    {ENROL, "login", "logout", "xac-thuc-dang-nhap", "@login", "@logout", "@login-renew"}
)
ENROLMENT_REQUIRED = _(
    "Vai trò của bạn yêu cầu xác thực hai bước: hãy bật xác thực hai bước trước khi tiếp tục."
)


def refused_code(request, refused: CodeRefused):
    """Answer 429 with ``Retry-After`` when the code step must wait; the message."""
    if refused.retry_after:
        request.response.status = 429
        request.response.headers["Retry-After"] = str(refused.retry_after)
    return refused.message


# the login's code step -------------------------------------------------------------
@view_config(
    context=ISite, name="xac-thuc-dang-nhap", renderer="login_code.pt", request_method="POST"
)
def login_code(context, request):
    """Check the code of a pending login and sign in."""
    came_from = safe_came_from(request, request.POST.get("came_from"))
    token = request.POST.get("pending")
    user = twofactor.pending_user(request, token)
    if user is None or twofactor.two_factor_of(user) is None:
        request.response.status = 400
        request.override_renderer = "login.pt"
        expired = _("Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.")
        return login_values(request, error=expired, came_from=came_from or "")
    try:
        twofactor.check_code(request, user, request.POST.get("code", ""))
    except CodeRefused as refused:
        error = refused_code(request, refused)
        return {"pending": token, "came_from": came_from or "", "error": error}
    return signed_in(request, user, came_from)


# enrolment ----------------------------------------------------------------------------
def offer(request, secret: str | None = None, error=None) -> dict:
    """The enrolment page's values: ``secret`` (a new one by default) as a QR code
    and as text, with the signed token carrying it."""
    user = request.identity
    secret = secret or twofactor.new_secret()
    uri = twofactor.provisioning_uri(secret, user, request.root.title or "cong")
    return {
        "enabled": False,
        "required": twofactor.must_enrol(request.root, user),
        "secret": secret,
        "qr": qr_svg(uri, title=request.localizer.translate(_("Mã QR xác thực hai bước"))),
        "token": twofactor.enrolment_token(request, user, secret),
        "codes": None,
        "error": error,
    }


def enrolled(request, codes=None, error=None) -> dict:
    """The page's values for an enrolled user (``codes``: just given, shown once)."""
    state = twofactor.two_factor_of(request.identity)
    return {"enabled": True, "recovery_left": state.recovery_left, "codes": codes, "error": error}


@view_config(
    context=ISite,
    name=ENROL,
    renderer="two_factor.pt",
    permission=AUTHENTICATED,
    request_method=("GET", "HEAD"),
)
def enrolment_page(context, request):
    """Enrolment, or (once enrolled) the form turning it off."""
    if twofactor.two_factor_of(request.identity) is not None:
        return enrolled(request)
    return offer(request)


@view_config(
    context=ISite,
    name=ENROL,
    renderer="two_factor.pt",
    permission=AUTHENTICATED,
    request_method="POST",
)
def enrolment_submit(context, request):
    """``action=enable``: confirm the offered secret with a current code;
    ``action=disable``: turn it off with a current code (throttled)."""
    user = request.identity
    code = request.POST.get("code", "")
    if request.POST.get("action") == "disable" and twofactor.two_factor_of(user) is not None:
        try:
            twofactor.check_code(request, user, code)
        except CodeRefused as refused:
            return enrolled(request, error=refused_code(request, refused))
        twofactor.disable(user)
        audit.record(request, "two_factor.disable", user.login)
        flash(request, _("Đã tắt xác thực hai bước."))
        return HTTPFound(request.resource_url(context, "@@" + ENROL))
    if twofactor.two_factor_of(user) is not None:
        return enrolled(request)
    secret = twofactor.enrolment_secret(request, user, request.POST.get("token"))
    if secret is None:
        request.response.status = 400
        return offer(request, error=_("Mã bí mật đã hết hạn: hãy quét mã mới."))
    try:
        codes = twofactor.enable(user, secret, code)
    except CodeRefused as refused:
        request.response.status = 400
        return offer(request, secret, error=refused.message)
    audit.record(request, "two_factor.enable", user.login)
    request.response.headers.extend(remember(request, user.login))  # the others ended
    return enrolled(request, codes=codes)


# the policy ---------------------------------------------------------------------------
def policy_values(request, chosen, errors=None) -> dict:
    """The policy page's values: the roles that can be given, those ``chosen``."""
    roles = [
        {"name": r.name, "label": r.label, "ticked": r.name in chosen}
        for r in global_roles(request.registry)
    ]
    return {"roles": roles, "errors": errors or {}}


@view_config(
    context=ISite,
    name=ENROL + "-vai-tro",
    renderer="two_factor_policy.pt",
    permission=MANAGE_USERS,
    request_method=("GET", "HEAD"),
)
def policy_page(context, request):
    """The roles whose holders must use a second factor."""
    return policy_values(request, twofactor.required_roles(context))


@view_config(
    context=ISite,
    name=ENROL + "-vai-tro",
    renderer="two_factor_policy.pt",
    permission=MANAGE_USERS,
    request_method="POST",
)
def policy_submit(context, request):
    """Store the roles ticked (roles that cannot be given are refused)."""
    chosen = ticked(request, "roles")
    errors = role_errors(request.registry, chosen)
    if errors:
        request.response.status = 400
        return policy_values(request, chosen, errors)
    twofactor.set_required_roles(context, chosen)
    audit.record(request, "settings.two_factor_roles", roles=sorted(chosen))
    flash(request, _("Đã lưu các vai trò phải dùng xác thực hai bước."))
    return HTTPFound(request.resource_url(context, "@@" + ENROL + "-vai-tro"))


class EnrolmentRequired(Exception):
    """The requester must enrol before anything else (see :func:`enrolment_first`)."""


@subscriber(ContextFound)
def enrolment_first(event) -> None:
    """Send a user who must enrol (:func:`core.twofactor.must_enrol`) to enrolment
    from every page but those of :data:`OPEN_BEFORE_ENROLMENT`."""
    request = event.request
    if getattr(request, "matched_route", None) is not None:
        return  # static files
    if request.view_name in OPEN_BEFORE_ENROLMENT:
        return
    user = request.identity
    if user is not None and twofactor.must_enrol(request.root, user):
        raise EnrolmentRequired()


@exception_view_config(EnrolmentRequired)
def enrolment_required(exc, request):
    """403 ``TwoFactorEnrolmentRequired`` on the API; the enrolment page otherwise."""
    message = request.localizer.translate(ENROLMENT_REQUIRED)
    if wants_json(request):
        return error_response(request, 403, "TwoFactorEnrolmentRequired", message)
    return HTTPFound(request.resource_url(request.root, "@@" + ENROL))
