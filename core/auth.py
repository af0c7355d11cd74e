"""Logging in: password checks with a lock-out, and CSRF protection of forms.

After :data:`MAX_FAILURES` failed logins for one account from one address, that
pair is refused for :data:`LOCKOUT_SECONDS`, right password or not. The count
lives in the process (a restart forgets it); it never records passwords.
"""

from __future__ import annotations

import logging
import threading
import time

from pyramid.config import Configurator

from core.errors import wants_json
from core.principals import User
from core.security import AUTH_COOKIE, bearer_token

log = logging.getLogger(__name__)

MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60
MAX_TRACKED = 100_000


class LoginThrottle:
    """Failed-login counts per (login, address), forgotten after the lock-out."""

    def __init__(self, max_failures=MAX_FAILURES, lockout=LOCKOUT_SECONDS, clock=time.monotonic):
        self.max_failures = max_failures
        self.lockout = lockout
        self.clock = clock
        self._failures: dict[tuple[str, str], tuple[int, float]] = {}
        self._lock = threading.Lock()

    def locked(self, login: str, address: str) -> bool:
        with self._lock:
            count, since = self._failures.get((login, address), (0, 0.0))
            if count and self.clock() - since > self.lockout:
                del self._failures[(login, address)]
                return False
            return count >= self.max_failures

    def failed(self, login: str, address: str) -> None:
        with self._lock:
            if len(self._failures) >= MAX_TRACKED:
                self._failures.clear()
            count, _since = self._failures.get((login, address), (0, 0.0))
            self._failures[(login, address)] = (count + 1, self.clock())

    def succeeded(self, login: str, address: str) -> None:
        with self._lock:
            self._failures.pop((login, address), None)


class LoginRefused(Exception):
    """A login that did not succeed; ``locked`` tells a lock-out from bad credentials."""

    def __init__(self, locked: bool = False):
        super().__init__("locked" if locked else "bad credentials")
        self.locked = locked


def authenticate(request, login, password) -> User:
    """The user whose ``login`` and ``password`` these are, or raise LoginRefused."""
    login = login.strip().lower() if isinstance(login, str) else ""
    address = request.client_addr or ""
    throttle: LoginThrottle = request.registry.cong_login_throttle
    if throttle.locked(login, address):
        log.warning("login refused (locked out): %s from %s", login, address)
        raise LoginRefused(locked=True)
    user = request.root.principals.get_user(login)
    if user is None or not user.check_password(password):
        throttle.failed(login, address)
        log.info("failed login for %s from %s", login, address)
        raise LoginRefused()
    throttle.succeeded(login, address)
    return user


def csrf_applies(request) -> bool:
    """CSRF is checked unless the request authenticates with a bearer token (which
    a browser never sends by itself) or is an API call carrying no login cookie
    (nothing a forged request could act as: permission checks answer 401)."""
    if bearer_token(request) is not None:
        return False
    return not (wants_json(request) and AUTH_COOKIE not in request.cookies)


def includeme(config: Configurator) -> None:
    config.registry.cong_login_throttle = LoginThrottle()
    config.set_default_csrf_options(require_csrf=True, callback=csrf_applies)
