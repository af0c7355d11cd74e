"""The security policy: who is asking, and what they may do here.

Identity comes from an auth-ticket cookie (browsers), a bearer token (the API,
from ``POST /@login``) or, on the API, HTTP Basic credentials (checked and throttled
as the login form's, see :func:`core.auth.authenticate`; over HTTPS only when
``cong.basic_auth_require_https``). Cookies and tokens carry the user's session
stamp and end when it changes (:meth:`core.principals.User.end_sessions`: a new
password); they also carry the id of a server-side login session
(:mod:`core.sessions`) and end with it (a logout, ended on the sessions page, idle
or too old). A locked citizen (:func:`core.citizens.is_locked`) is nobody: their
cookies and tokens stop working. Permissions come from ACLs (the site's default,
then each workflow state's map, see :mod:`core.workflow`) checked against the user's
principals *at the context*: their id, their groups, ``role:<Name>`` for every role
held globally, and every local role granted on the context or one of its parents.
"""

from __future__ import annotations

import base64
import binascii
import time
from datetime import date, datetime

from pyramid.authentication import AuthTktCookieHelper
from pyramid.authorization import ACLHelper, Authenticated, Everyone
from pyramid.config import Configurator
from pyramid.events import ContextFound
from pyramid.interfaces import IRootFactory
from pyramid.location import lineage
from pyramid.security import Denied
from pyramid_retry import IBeforeRetry
from webob.cookies import SignedSerializer

from core import sessions
from core.auth import LoginRefused, authenticate
from core.citizens import is_locked
from core.clock import TIMEZONE, now
from core.negotiation import wants_json
from core.permissions import EDIT, LIST, VIEW, role
from core.principals import GROUP_PREFIX, User

TOKEN_SALT = "cong.api-token"
AUTH_COOKIE = "cong_auth"
SESSION_COOKIE = "cong_session"


class SecurityPolicy:
    """Pyramid security policy with local roles (Plone's Sharing)."""

    def __init__(self, secret: str | None, secure: bool, token_hours: int = 12):
        self.secure = secure
        self.token_seconds = token_hours * 3600
        self.acl = ACLHelper()
        if secret is not None:
            self.set_secret(secret)

    def set_secret(self, secret: str) -> None:
        """Sign cookies and tokens with ``secret``. The policy must be registered
        before the views are (Pyramid secures a view only if a policy exists when
        the view is configured), which is before the site and its secret exist."""
        self.cookie = AuthTktCookieHelper(
            secret,
            cookie_name=AUTH_COOKIE,
            secure=self.secure,
            http_only=True,
            samesite="Lax",
            hashalg="sha512",
            timeout=8 * 3600,
            reissue_time=600,
        )
        self.tokens = SignedSerializer(secret, salt=TOKEN_SALT, hashalg="sha512")

    # identity -----------------------------------------------------------------------
    def identity(self, request) -> User | None:
        """The logged-in :class:`User`, or None; found once per request."""
        cached = request.environ.get("cong.identity", False)
        if cached is not False:
            return cached
        request.environ["cong.identity"] = None  # also when credentials are refused
        user = self._find_user(request)
        request.environ["cong.identity"] = user
        return user

    @staticmethod
    def forget_identity(environ: dict) -> None:
        """Drop what :meth:`identity` and :meth:`principals` kept in ``environ``
        (before a conflict retry: they hold objects of the discarded connection)."""
        environ.pop("cong.identity", None)
        environ.pop("cong.principals", None)
        environ.pop(sessions.CURRENT, None)
        environ.pop(sessions.EXPIRED, None)

    def _find_user(self, request) -> User | None:
        principals = site_of(request).principals
        token = bearer_token(request)
        if token is not None:
            return self._user_from_token(request, principals, token)
        credentials = basic_credentials(request)
        if credentials is not None:
            return self._user_from_basic(request, *credentials)
        found = self.cookie.identify(request)
        if found:
            user = principals.get_account(found["userid"])
            stamp, _dash, sid = (found["tokens"] or ("",))[0].partition("-")
            if user is not None and stamp == user.session_stamp and not is_locked(user):
                return user if sessions.resume(request, user, sid) else None
        return None

    def _user_from_token(self, request, principals, token: str) -> User | None:
        try:
            data = self.tokens.loads(token.encode("ascii"))
            login, expires, stamp, sid = data["u"], data["x"], data["s"], data["k"]
        except (ValueError, KeyError, TypeError, UnicodeEncodeError):
            return None
        user = principals.get_account(login)
        if user is None or expires < time.time() or is_locked(user):
            return None
        if stamp != user.session_stamp:  # ended by a new password or a logout
            return None
        return user if sessions.resume(request, user, sid) else None

    def _user_from_basic(self, request, login: str, password: str) -> User:
        """The user of HTTP Basic credentials; raise :class:`CredentialsRefused`."""
        if request.registry.settings["cong"].basic_auth_require_https and request.scheme != "https":
            raise CredentialsRefused(None)
        try:
            user = authenticate(request, login, password)
        except LoginRefused as refused:
            raise CredentialsRefused(refused) from None
        if user.two_factor is not None:  # Basic cannot carry the code: use @login
            raise CredentialsRefused(None, second_factor=True)
        return user

    def make_token(self, user: User, session_id: str) -> str:
        """A bearer token for ``user`` in their login session ``session_id``, valid
        until it expires, the session ends (:mod:`core.sessions`) or all the user's
        sessions do (see :meth:`core.principals.User.end_sessions`)."""
        data = {
            "u": user.login,
            "x": int(time.time()) + self.token_seconds,
            "s": user.session_stamp,
            "k": session_id,
        }
        return self.tokens.dumps(data).decode("ascii")

    def authenticated_userid(self, request) -> str | None:
        user = self.identity(request)
        return user.login if user is not None else None

    def remember(self, request, userid, **kw):
        """The headers setting the login cookie of ``userid``, bound to their
        current session stamp and to a login session: this request's (kept when
        the user's sessions just ended, e.g. by a new password), else a new one;
        ``session_id=`` names one (see :func:`core.sessions.start`)."""
        session_id = kw.pop("session_id", None)
        user = site_of(request).principals.get_account(userid)
        if user is None:
            return self.cookie.remember(request, userid, **kw)
        if session_id is None:
            kept = sessions.keep_current(request, user)
            session_id = (kept or sessions.start(request, user, "form")).id
        tokens = (f"{user.session_stamp}-{session_id}",)  # one token: no comma in the cookie
        return self.cookie.remember(request, userid, tokens=tokens, **kw)

    def forget(self, request, **kw):
        return self.cookie.forget(request)

    # permissions --------------------------------------------------------------------
    def permits(self, request, context, permission):
        """ACL permission, with two rules on top (docs/decisions/0012):

        - *hidden with their folder*: no permission on an object is granted to whom
          may not view every folder above it (up to the site root), and listing a
          folder's contents takes the right to view the folder itself;
        - viewing an item outside its publication window (see :func:`is_active`)
          takes the right to edit it.

        The ancestors cost one ACL check each (O(depth)); nothing is kept beyond
        the request."""
        allowed = self._permits_here(request, context, permission)
        if not allowed:
            return allowed
        if permission == LIST:
            seen = self._permits_here(request, context, VIEW)
            if not seen:
                return HiddenWithFolder("the folder may not be viewed")
        for above in lineage(getattr(context, "__parent__", None)):
            if not self._permits_here(request, above, VIEW):
                return HiddenWithFolder("a folder above may not be viewed")
        return allowed

    def _permits_here(self, request, context, permission):
        """The permission at ``context`` alone (its ACLs and publication window)."""
        principals = self.principals(request, context)
        allowed = self.acl.permits(context, principals, permission)
        if allowed and permission == VIEW and not is_active(context, now()):
            if not self.acl.permits(context, principals, EDIT):
                return NotPublishedNow("not published at this time")
        return allowed

    def principals(self, request, context) -> frozenset[str]:
        """The principals of the requester at ``context``, local roles included."""
        cache = request.environ.setdefault("cong.principals", {})
        key = id(context)
        found = cache.get(key)
        if found is None:
            found = cache[key] = principals_at(self.identity(request), site_of(request), context)
        return found


class CredentialsRefused(Exception):
    """HTTP Basic credentials that identify nobody: ``refusal`` is the
    :class:`core.auth.LoginRefused` (wrong, locked out, throttled), or None when
    they came over plain HTTP where HTTPS is required; ``second_factor``: they are
    right but the user signs in with a second factor (:mod:`core.twofactor`).
    Answered by the API's exception view (:mod:`core.api.login`)."""

    def __init__(self, refusal, second_factor: bool = False):
        super().__init__("credentials refused")
        self.refusal = refusal
        self.second_factor = second_factor


class HiddenWithFolder(Denied):
    """The refusal of anything on an object inside a folder the requester may not
    view: what is in a hidden folder is hidden with it."""


class NotPublishedNow(Denied):
    """The refusal to view an item outside its publication window: visitors are
    told it is not found (see :func:`core.errors.http_exception_view`)."""


def _moment(value) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, datetime.min.time(), tzinfo=TIMEZONE)


def is_active(obj, when: datetime) -> bool:
    """Whether ``obj`` is within its publication window at ``when``: not before its
    ``effective`` time nor from its ``expires`` time on (Plone's effective range;
    objects without these attributes always are). Visitors see only active items;
    the catalog applies the same rule to listings (:func:`catalog.search`)."""
    effective = getattr(obj, "effective", None)
    if isinstance(effective, date) and _moment(effective) > when:
        return False
    expires = getattr(obj, "expires", None)
    return not (isinstance(expires, date) and _moment(expires) <= when)


def site_of(request):
    """The site root, also before traversal has set ``request.root``."""
    root = getattr(request, "root", None)
    if root is None:
        root = request.registry.getUtility(IRootFactory)(request)
    return root


def bearer_token(request) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, if there is one."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def basic_credentials(request) -> tuple[str, str] | None:
    """``(login, password)`` of an ``Authorization: Basic`` header on an API request
    (``("", "")`` when it is malformed); None without one, or on a page request."""
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic" or not wants_json(request):
        return None
    try:
        raw = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        return ("", "")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    login, colon, password = text.partition(":")
    return (login, password) if colon else ("", "")


def principals_at(user: User | None, site, context) -> frozenset[str]:
    """Principals of ``user`` at ``context``: ids, groups, global and local roles."""
    if user is None:
        return frozenset((Everyone,))
    found = {Everyone, Authenticated, user.login, role("Member")}
    ids = [user.login]
    found.update(role(r) for r in user.roles)
    for gid in user.groups:
        group = site.principals.groups.get(gid)
        if group is not None:
            ids.append(group.id)
            found.add(group.id)
            found.update(role(r) for r in group.roles)
    for obj in lineage(context):
        local = getattr(obj, "local_roles", None)
        if local:
            for pid in ids:
                for name in local.get(pid, ()):
                    found.add(role(name))
    return frozenset(found)


def is_group(principal_id: str) -> bool:
    return principal_id.startswith(GROUP_PREFIX)


# what the policy asks of the rest of the request ---------------------------------------
def csrf_applies(request) -> bool:
    """CSRF is checked unless the request authenticates with a bearer token (which
    a browser never sends by itself) or is an API call carrying no login cookie
    (anonymous, or with HTTP Basic credentials, which the portal never has a
    browser prompt for on its pages: see decision 0014)."""
    if bearer_token(request) is not None:
        return False
    return not (wants_json(request) and AUTH_COOKIE not in request.cookies)


def check_basic_credentials(event) -> None:
    """Check HTTP Basic credentials on every API request that sends them, even one
    no permission check would look at: wrong ones are answered 401 (see
    :class:`CredentialsRefused`)."""
    request = event.request
    if basic_credentials(request) is not None:
        request.identity  # noqa: B018 - derived (and refused) by the security policy


def before_retry(event) -> None:
    """A request tried again after a conflict finds its requester anew."""
    SecurityPolicy.forget_identity(event.environ)


def includeme(config: Configurator) -> None:
    """Refuse wrong Basic credentials early, forget the requester before a retry, and
    check CSRF where :func:`csrf_applies` (the policy itself is set by
    :func:`core.make_app`, once the site's secret is known)."""
    config.add_subscriber(check_basic_credentials, ContextFound)
    config.add_subscriber(before_retry, IBeforeRetry)
    config.set_default_csrf_options(require_csrf=True, callback=csrf_applies)
