"""``@@dang-nhap-cong-dan``: a citizen's login through the identity service, and
``@@dang-nhap-cong-dan/callback``, the provider's way back (see :mod:`core.oidc`).

The login's ``state``, ``nonce`` and PKCE verifier wait in the browser's session
for :data:`STATE_SECONDS`; the callback takes them out (one use), and a state is
refused a second time even with an old copy of the session cookie.
"""

from __future__ import annotations

import hmac
import logging
import secrets

from pyramid.httpexceptions import HTTPFound, HTTPNotFound

from core import audit
from core.citizens import citizen_account, find_citizen, is_identifier, is_locked, mask
from core.clock import now
from core.oidc import CALLBACK, LOGIN_VIEW
from core.oidc.provider import (
    DENIED,
    IDENTIFIER,
    LOCKED,
    PROVIDER_ERROR,
    REFUSALS,
    STATE,
    Refused,
)
from core.views.auth import login_values, safe_came_from, signed_in

log = logging.getLogger(__name__)

#: Seconds a citizen has to log in at the provider.
STATE_SECONDS = 600
#: Seconds a citizen is asked to wait when the provider is out of reach.
RETRY_AFTER = 60
SESSION_KEY = "cong.oidc"
#: The identity a first attempt of the request got (kept for a conflict's retry:
#: the provider's code can be used only once).
VERIFIED_KEY = "cong.oidc.identity"


def citizen_login(context, request):
    """The start (no subpath) or the callback (``callback``) of a citizen's login."""
    if request.subpath == ():
        return start(context, request)
    if request.subpath == (CALLBACK,):
        return callback(context, request)
    raise HTTPNotFound()


def start(context, request):
    """Send the browser to the provider's authorize endpoint."""
    provider = request.registry.cong_oidc
    state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
    redirect_uri = request.resource_url(context, "@@" + LOGIN_VIEW, CALLBACK)
    try:
        location = provider.authorize_url(redirect_uri, state, nonce, verifier)
    except Refused as refused:
        return refusal(request, refused.reason)
    request.session[SESSION_KEY] = {
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "redirect_uri": redirect_uri,
        "came_from": safe_came_from(request, request.GET.get("came_from")) or "",
        "expires": now().timestamp() + STATE_SECONDS,
    }
    return HTTPFound(location)


def callback(context, request):
    """Check the provider's answer and sign the citizen in, or refuse."""
    pending = request.session.pop(SESSION_KEY, None)
    try:
        identity, came_from = request.environ.get(VERIFIED_KEY) or _verified(request, pending)
    except Refused as refused:
        return refusal(request, refused.reason)
    request.environ[VERIFIED_KEY] = (identity, came_from)
    known = find_citizen(request.root.principals, identity.identifier)
    if is_locked(known):
        return refusal(request, LOCKED, known.login)
    citizen = citizen_account(request.root.principals, identity.identifier, identity.name)
    log.info("citizen login: %s (number %s)", citizen.login, mask(citizen.identifier))
    return signed_in(request, citizen, came_from or None, via="oidc")


def _verified(request, pending):
    """The provider's identity for this callback and where to go next."""
    provider = request.registry.cong_oidc
    given = request.GET.get("state")
    if not isinstance(pending, dict) or not isinstance(given, str):
        raise Refused(STATE)
    if not hmac.compare_digest(given.encode(), pending["state"].encode()):
        raise Refused(STATE)
    if pending["expires"] < now().timestamp() or not provider.used_states.use(
        given, pending["expires"]
    ):
        raise Refused(STATE)
    error = request.GET.get("error")
    if error is not None:
        raise Refused(DENIED if error in ("access_denied", "login_required") else PROVIDER_ERROR)
    code = request.GET.get("code")
    if not isinstance(code, str) or not code or len(code) > 2000:
        raise Refused(PROVIDER_ERROR)
    identity = provider.identity(
        code, pending["redirect_uri"], pending["nonce"], pending["verifier"]
    )
    if not is_identifier(identity.identifier):
        raise Refused(IDENTIFIER)
    return identity, pending["came_from"]


def refusal(request, reason: str, target: str = "") -> dict:
    """The login page saying why the citizen's login was refused (audited, with
    the login of the account refused when there is one)."""
    status, message = REFUSALS[reason]
    log.warning("citizen login refused: %s", reason)
    details = {"reason": reason, "via": "oidc"}
    audit.record_now(request, "login.failed", target, actor=audit.ANONYMOUS, **details)
    request.response.status = status
    if status == 503:  # the provider is out of reach: worth trying again soon
        request.response.headers["Retry-After"] = str(RETRY_AFTER)
    return login_values(request, error=message)
