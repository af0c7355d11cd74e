"""Logging in: password checks with a lock-out.

After :data:`MAX_FAILURES` failed logins for one name from one address, that pair
is refused for :data:`LOCKOUT_SECONDS`, right password or not. An address that
fails :data:`MAX_ADDRESS_FAILURES` times, whatever the names, is refused for as
long (429 with ``Retry-After``). The counts live in the process (a restart forgets
them, see decision 0005) in bounded tables that never forget a lock in force on a
real account; they never record passwords.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from pyramid.config import Configurator

from core import audit
from core.i18n import _
from core.principals import User
from core.ratelimit import address_key

log = logging.getLogger(__name__)

MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60
MAX_ADDRESS_FAILURES = 100
MAX_TRACKED = 100_000


class FailureCounter:
    """Failures per key, forgotten ``window`` seconds after the last one; ``limit``
    failures lock the key for ``window`` seconds.

    Keys still counting sit in an LRU of at most ``capacity`` keys (a full one
    forgets the key that failed least recently). Locked keys move to a table of
    their own, left when their lock ends: with ``keep_locks`` nothing else ever
    removes them (their number is bounded by the cost of the failures that made
    them); without, that table too holds at most ``capacity`` keys."""

    def __init__(
        self,
        limit: int,
        window: float,
        capacity: int = MAX_TRACKED,
        keep_locks: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.limit = limit
        self.window = window
        self.capacity = capacity
        self.keep_locks = keep_locks
        self.clock = clock
        self._counting: OrderedDict[Hashable, tuple[int, float]] = OrderedDict()
        self._locks: OrderedDict[Hashable, float] = OrderedDict()  # key -> lock's end
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._counting) + len(self._locks)

    def locked_for(self, key: Hashable) -> float:
        """The seconds left of ``key``'s lock; 0 when it is not locked."""
        with self._lock:
            until = self._locks.get(key)
            if until is None:
                return 0.0
            left = until - self.clock()
            if left <= 0:
                del self._locks[key]
                return 0.0
            return left

    def failed(self, key: Hashable) -> None:
        """Count one failure for ``key``."""
        with self._lock:
            moment = self.clock()
            if self._locks.get(key, moment) > moment:
                return  # locked: nothing to add
            self._locks.pop(key, None)
            count, last = self._counting.pop(key, (0, moment))
            count = count + 1 if moment - last <= self.window else 1
            if count >= self.limit:
                self._lock_key(key, moment + self.window)
                return
            self._counting[key] = (count, moment)
            while len(self._counting) > self.capacity:
                self._counting.popitem(last=False)

    def clear(self, key: Hashable) -> None:
        """Forget the failures of ``key`` (not a lock in force)."""
        with self._lock:
            self._counting.pop(key, None)

    def _lock_key(self, key: Hashable, until: float) -> None:
        self._locks[key] = until
        self._drop_ended_locks(until - self.window)
        if not self.keep_locks and len(self._locks) > self.capacity:
            self._locks.popitem(last=False)

    def _drop_ended_locks(self, moment: float) -> None:
        # Locks are kept in the order they end: drop from the front while ended.
        while self._locks:
            key, until = next(iter(self._locks.items()))
            if until > moment:
                break
            del self._locks[key]


class LoginThrottle:
    """The login lock-outs: per (name, address) and per address (see the module
    docstring). Names of real accounts and unknown names are counted apart, so
    failures with made-up names can never push a real account's lock out."""

    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        lockout: float = LOCKOUT_SECONDS,
        max_address_failures: int = MAX_ADDRESS_FAILURES,
        capacity: int = MAX_TRACKED,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.accounts = FailureCounter(max_failures, lockout, capacity, True, clock)
        self.unknown = FailureCounter(max_failures, lockout, capacity, False, clock)
        self.addresses = FailureCounter(max_address_failures, lockout, capacity, True, clock)

    def locked(self, login: str, address: str) -> bool:
        """Whether ``login`` is locked out from ``address``."""
        key = (login, address)
        return bool(self.accounts.locked_for(key) or self.unknown.locked_for(key))

    def address_wait(self, address: str) -> int:
        """The whole seconds ``address`` must wait before trying again; 0: none."""
        return math.ceil(self.addresses.locked_for(address_key(address)))

    def lock_wait(self, login: str, address: str) -> int:
        """The whole seconds ``login`` must wait before trying again from
        ``address``; 0: none."""
        return math.ceil(self.accounts.locked_for((login, address)))

    def failed(self, login: str, address: str, known: bool = True) -> None:
        """Count a failed login; ``known``: ``login`` names a real account."""
        (self.accounts if known else self.unknown).failed((login, address))
        self.addresses.failed(address_key(address))

    def succeeded(self, login: str, address: str) -> None:
        """Forget the failures of ``login`` from ``address`` (not the address's)."""
        self.accounts.clear((login, address))


class LoginRefused(Exception):
    """A login that did not succeed; ``locked`` tells a lock-out from bad
    credentials, ``retry_after`` (seconds) an address that must wait."""

    def __init__(self, locked: bool = False, retry_after: int = 0):
        super().__init__("throttled" if retry_after else "locked" if locked else "bad credentials")
        self.locked = locked
        self.retry_after = retry_after


BAD_CREDENTIALS = _("Tên đăng nhập hoặc mật khẩu không đúng.")
LOCKED_OUT = _(
    "Tài khoản tạm khoá đăng nhập từ địa chỉ này do nhập sai nhiều lần. "
    "Vui lòng thử lại sau 15 phút."
)


def refusal_message(refused: LoginRefused):
    """What to tell the person whose login was refused, as a message to translate."""
    if refused.retry_after:
        minutes = max(1, math.ceil(refused.retry_after / 60))
        return _(
            "Có quá nhiều lần đăng nhập sai từ địa chỉ này. Vui lòng thử lại sau ${minutes} phút.",
            mapping={"minutes": minutes},
        )
    return LOCKED_OUT if refused.locked else BAD_CREDENTIALS


def authenticate(request, login, password) -> User:
    """The user whose ``login`` and ``password`` these are, or raise LoginRefused."""
    login = login.strip().lower() if isinstance(login, str) else ""
    address = request.client_addr or ""
    throttle: LoginThrottle = request.registry.cong_login_throttle
    user = request.root.principals.get_user(login)
    wait = throttle.address_wait(address)
    if wait:
        log.warning("login refused (address throttled): %s from %s", login, address)
        refused(request, user, "throttled")
        raise LoginRefused(retry_after=wait)
    if throttle.locked(login, address):
        log.warning("login refused (locked out): %s from %s", login, address)
        refused(request, user, "locked")
        raise LoginRefused(locked=True)
    if user is None or not user.check_password(password):
        throttle.failed(login, address, known=user is not None)
        log.info("failed login for %s from %s", login, address)
        refused(request, user, "bad credentials")
        raise LoginRefused()
    if user.two_factor is None:  # else the failures count until a code is right
        throttle.succeeded(login, address)
    return user


def refused(request, user: User | None, reason: str) -> None:
    """Audit a refused login at once (its request may end in an error and abort).
    The name tried is kept only when it is a real account's (``user``): a made-up
    one may be a password typed in the wrong box."""
    target = user.login if user is not None else ""
    audit.record_now(request, "login.failed", target, actor=audit.ANONYMOUS, reason=reason)


def includeme(config: Configurator) -> None:
    config.registry.cong_login_throttle = LoginThrottle()
