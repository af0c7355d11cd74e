"""Login sessions kept on the server: each sign-in is a record the user can see and end.

Every sign-in (the login form, after the second factor, an OpenID Connect login,
``POST /@login``) starts a :class:`LoginSession` in the user's own container
(``user.sessions``, a BTree keyed by session id); the login cookie or API token
carries its id (see :mod:`core.security`). A request whose session is unknown,
ended or expired is anonymous. A session expires after ``cong.session_idle_minutes``
without a request (default :data:`DEFAULT_IDLE_MINUTES`; 0: never idle) or
``cong.session_max_hours`` after it started (default :data:`DEFAULT_MAX_HOURS`;
0: no limit).

Cost per request: one BTree look-up in the user's container; "last seen" is
written at most once every :data:`TOUCH_SECONDS` per session, to the session's own
record (two requests of one session writing it at once resolve to the later
time). Expired records are removed when their user signs in again, or by
``cong user sweep-sessions``. Ending sessions is recorded in the audit log as
``session.end``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from pyramid.config import Configurator
from ZODB.POSException import ConflictError

from core import audit
from core.clock import now
from core.i18n import _
from core.principals import User
from core.settings import SettingsError

DEFAULT_IDLE_MINUTES = 60
DEFAULT_MAX_HOURS = 12
#: "Last seen" is written at most once in this many seconds per session.
TOUCH_SECONDS = 60
AGENT_LENGTH = 120
#: ``request.environ`` keys: this request's session, and "its session expired".
CURRENT = "cong.session"
EXPIRED = "cong.session_expired"
KINDS = ("form", "api")
SESSION_EXPIRED = _("Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.")


class LoginSession(Persistent):
    """One sign-in: ``id``, ``kind`` (``form``: a browser; ``api``: a bearer
    token), when it started and was last used, the address and browser it came from."""

    def __init__(self, sid: str, kind: str, address: str, agent: str, moment: datetime):
        self.id = sid
        self.kind = kind
        self.address = address
        self.agent = agent
        self.created = moment
        self.last_seen = moment

    def _p_resolveConflict(self, old: dict, committed: dict, new: dict) -> dict:
        """Two requests that both moved "last seen": keep the later time."""
        rest = {k: v for k, v in new.items() if k != "last_seen"}
        if rest != {k: v for k, v in committed.items() if k != "last_seen"}:
            raise ConflictError
        return dict(new, last_seen=max(new["last_seen"], committed["last_seen"]))


@dataclass(frozen=True)
class Limits:
    """How long a session may be idle and may last (None: no limit)."""

    idle: timedelta | None
    maximum: timedelta | None

    def expired(self, session: LoginSession, moment: datetime) -> bool:
        """Whether ``session`` has expired at ``moment``."""
        if self.idle is not None and moment - session.last_seen > self.idle:
            return True
        return self.maximum is not None and moment - session.created > self.maximum


def limits(registry) -> Limits:
    """The site's session limits (from the settings)."""
    return getattr(registry, "cong_session_limits", None) or Limits(
        timedelta(minutes=DEFAULT_IDLE_MINUTES), timedelta(hours=DEFAULT_MAX_HOURS)
    )


def short_agent(agent: str | None) -> str:
    """What a person recognises of a User-Agent header: "Firefox · Windows", or
    its start for other clients."""
    agent = agent or ""
    browser = next((name for pattern, name in BROWSERS if pattern in agent), "")
    system = next((name for pattern, name in SYSTEMS if pattern in agent), "")
    if browser and system:
        return f"{browser} · {system}"
    return (browser or agent.split(" ")[0] or "?")[:AGENT_LENGTH]


BROWSERS = (
    ("coc_coc_browser", "Cốc Cốc"),
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


# the user's sessions ----------------------------------------------------------------
def sessions_of(user: User) -> list[LoginSession]:
    """``user``'s sessions, expired ones too, the last used first."""
    if user.sessions is None:
        return []
    return sorted(user.sessions.values(), key=lambda s: s.last_seen, reverse=True)


def live_sessions(request, user: User) -> list[LoginSession]:
    """``user``'s sessions that have not expired, the last used first."""
    moment, rules = now(), limits(request.registry)
    return [s for s in sessions_of(user) if not rules.expired(s, moment)]


def start(request, user: User, kind: str) -> LoginSession:
    """A new session of ``user`` from this request (``kind`` ``form`` or ``api``);
    ``user``'s expired sessions are swept first."""
    sweep(request, user)
    if user.sessions is None:
        user.sessions = OOBTree()
    session = LoginSession(
        "k" + secrets.token_hex(16),
        kind if kind in KINDS else "form",
        request.client_addr or "",
        short_agent(request.user_agent),
        now(),
    )
    user.sessions[session.id] = session
    return session


def resume(request, user: User, sid: str | None) -> bool:
    """Whether ``sid`` is a live session of ``user``: it becomes this request's
    (:func:`current`) and its "last seen" moves (at most once a minute). An
    expired one sets ``request.environ[EXPIRED]``."""
    if not sid or user.sessions is None:
        return False
    session = user.sessions.get(sid)
    if session is None:
        return False
    moment = now()
    if limits(request.registry).expired(session, moment):
        request.environ[EXPIRED] = True
        return False
    if (moment - session.last_seen).total_seconds() >= TOUCH_SECONDS:
        session.last_seen = moment
    request.environ[CURRENT] = session
    return True


def current(request) -> LoginSession | None:
    """This request's session (found with its user by the security policy), or None."""
    request.identity  # noqa: B018 - finds the session with the user
    return request.environ.get(CURRENT)


def expired(request) -> bool:
    """Whether this request came with a session that has expired."""
    return request.identity is None and bool(request.environ.get(EXPIRED))


def keep_current(request, user: User) -> LoginSession | None:
    """Put this request's session back among ``user``'s after they all ended (a
    new password ends the others, not this one); None when there is none."""
    session = request.environ.get(CURRENT)
    if session is None or request.identity is not user:
        return None
    if user.sessions is None:
        user.sessions = OOBTree()
    user.sessions[session.id] = session
    return session


def end(request, user: User, sid: str, reason: str = "ended") -> bool:
    """End ``user``'s session ``sid``; False when there is no such session."""
    session = user.sessions.pop(sid, None) if user.sessions is not None else None
    if session is None:
        return False
    audit.record(request, "session.end", user.login, kind=session.kind, reason=reason)
    return True


def end_current(request, reason: str = "logout") -> None:
    """Log the requester out: end this request's session (a copy of its cookie or
    token is worth nothing afterwards; the user's other sessions go on), or, for a
    request without one (HTTP Basic), all of the user's sessions."""
    user, session = request.identity, current(request)
    if user is None:
        return
    if session is not None:
        end(request, user, session.id, reason=reason)
    else:
        user.end_sessions()


def end_others(request, user: User) -> int:
    """End ``user``'s sessions but this request's; answer how many ended."""
    here = request.environ.get(CURRENT)
    others = [s.id for s in sessions_of(user) if here is None or s.id != here.id]
    for sid in others:
        user.sessions.pop(sid)
    if others:
        audit.record(request, "session.end", user.login, reason="others", count=len(others))
    return len(others)


def end_all(request, user: User) -> int:
    """End every session and token of ``user`` (see :meth:`User.end_sessions`);
    answer how many sessions there were."""
    count = len(sessions_of(user))
    user.end_sessions()
    audit.record(request, "session.end", user.login, reason="all", count=count)
    return count


def sweep(request, user: User, actor: str | None = None) -> int:
    """Remove ``user``'s expired sessions (recorded as done by ``actor``, by
    default the requester); answer how many."""
    if user.sessions is None:
        return 0
    moment, rules = now(), limits(request.registry)
    gone = [s.id for s in user.sessions.values() if rules.expired(s, moment)]
    for sid in gone:
        del user.sessions[sid]
    if gone:
        details = {"reason": "expired", "count": len(gone)}
        audit.record(request, "session.end", user.login, actor=actor, **details)
    return len(gone)


def _minutes(settings: dict, name: str, default: int, unit: str) -> timedelta | None:
    raw = settings.get(name, default)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise SettingsError(f"{name} must be a whole number") from None
    if value < 0:
        raise SettingsError(f"{name} must not be negative")
    return timedelta(**{unit: value}) if value else None


def includeme(config: Configurator) -> None:
    """Read ``cong.session_idle_minutes`` and ``cong.session_max_hours``."""
    settings = config.registry.settings
    config.registry.cong_session_limits = Limits(
        _minutes(settings, "cong.session_idle_minutes", DEFAULT_IDLE_MINUTES, "minutes"),
        _minutes(settings, "cong.session_max_hours", DEFAULT_MAX_HOURS, "hours"),
    )
