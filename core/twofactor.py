"""Two-factor login: a TOTP code (RFC 6238, with ``pyotp``) after the password.

A user enrols on ``@@xac-thuc-hai-buoc`` (:mod:`core.views.twofactor`): the page
shows a new secret as a QR code and as text, and stores it once a current code
confirms it; the user then gets :data:`RECOVERY_CODES` one-time recovery codes,
shown once and kept only as salted SHA-256 hashes (each holds 50 random bits, so a
slow hash adds nothing). A code is accepted once: the time step of the last one
used is kept and older or equal steps are refused (``valid_window`` 1, so a clock
30 seconds off still works). Wrong codes count as failed logins in the login
throttle (:mod:`core.auth`) for the account and the address, and are logged
without the code.

Managers name the roles that must use it (:func:`set_required_roles`, the page
``@@xac-thuc-hai-buoc-vai-tro``): a user holding one of them (globally, or through
a group) without a second factor may sign in, but is sent to enrolment before
anything else (:func:`must_enrol`).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import secrets
import time
from collections.abc import Iterable

import pyotp
from persistent import Persistent
from webob.cookies import SignedSerializer

from core import audit
from core.auth import LoginThrottle
from core.clock import now
from core.i18n import _
from core.principals import User

log = logging.getLogger(__name__)

#: Recovery codes given at enrolment.
RECOVERY_CODES = 10
#: The letters of recovery codes (base32's: no 0, 1, 8 or 9 to mistake).
RECOVERY_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
#: Time steps either side of now whose codes are accepted.
VALID_WINDOW = 1
#: Seconds a signed pending login (the password was right) or enrolment lasts.
PENDING_SECONDS = 5 * 60
ENROLMENT_SECONDS = 15 * 60
PENDING_SALT = "cong.2fa-pending"
ENROLMENT_SALT = "cong.2fa-enrolment"

WRONG_CODE = _("Mã xác thực không đúng hoặc đã được dùng.")


class CodeRefused(Exception):
    """A second factor that was refused: ``message`` for the person;
    ``retry_after`` (seconds) when the account or address must wait."""

    def __init__(self, message=WRONG_CODE, retry_after: int = 0):
        super().__init__("code refused")
        self.message = message
        self.retry_after = retry_after


class TwoFactor(Persistent):
    """A user's second factor: the TOTP ``secret``, the last time step used, and
    the hashes of the recovery codes not used yet."""

    def __init__(self, secret: str):
        self.secret = secret
        self.last_step = -1
        self.salt = secrets.token_hex(16)
        self.recovery_hashes: tuple[str, ...] = ()
        self.enabled = now()

    def new_recovery_codes(self) -> list[str]:
        """:data:`RECOVERY_CODES` fresh codes (``xxxxx-xxxxx``), replacing the old."""
        codes = [_recovery_code() for _n in range(RECOVERY_CODES)]
        self.recovery_hashes = tuple(self._hash(code) for code in codes)
        return codes

    def use_code(self, code: str, moment: float | None = None) -> bool:
        """Whether ``code`` is a current TOTP code not used before, or a recovery
        code not used before; either is used up."""
        code = "".join(code.split()).lower() if isinstance(code, str) else ""
        if code.isdigit():
            step = matching_step(self.secret, code, moment)
            if step is None or step <= self.last_step:
                return False
            self.last_step = step
            return True
        digest = self._hash(code)
        for kept in self.recovery_hashes:
            if hmac.compare_digest(kept, digest):
                self.recovery_hashes = tuple(h for h in self.recovery_hashes if h != kept)
                return True
        return False

    @property
    def recovery_left(self) -> int:
        return len(self.recovery_hashes)

    def _hash(self, code: str) -> str:
        return hashlib.sha256(f"{self.salt}\0{code.replace('-', '')}".encode()).hexdigest()


def _recovery_code() -> str:
    text = "".join(secrets.choice(RECOVERY_ALPHABET) for _n in range(10))
    return f"{text[:5]}-{text[5:]}"


def matching_step(secret: str, code: str, moment: float | None = None) -> int | None:
    """The time step (within :data:`VALID_WINDOW` of ``moment``, by default now)
    whose code ``code`` is, or None."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(time.time() if moment is None else moment)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


# users ------------------------------------------------------------------------------
def two_factor_of(user: User) -> TwoFactor | None:
    """``user``'s second factor, or None when they have not enrolled."""
    return user.two_factor


def new_secret() -> str:
    """A new random TOTP secret (base32)."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, user: User, issuer: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.login, issuer_name=issuer)


def enable(user: User, secret: str, code: str) -> list[str]:
    """Give ``user`` the second factor ``secret`` when ``code`` is its current
    code (raise :class:`CodeRefused` otherwise); answer the recovery codes. The
    user's other sessions end (they were opened with the password alone)."""
    step = matching_step(secret, "".join(code.split()) if isinstance(code, str) else "")
    if step is None:
        raise CodeRefused()
    state = TwoFactor(secret)
    state.last_step = step  # the confirming code cannot sign in again
    codes = state.new_recovery_codes()
    user.two_factor = state
    user.end_sessions()
    return codes


def disable(user: User) -> None:
    """Take ``user``'s second factor away (after a code, or by a Manager)."""
    user.two_factor = None


def check_code(request, user: User, code: str) -> None:
    """Use up ``code`` as ``user``'s second factor, throttled as passwords are
    (:class:`core.auth.LoginThrottle`): raise :class:`CodeRefused` when it is wrong
    or replayed, or the account or address must wait. The code is never logged."""
    state = two_factor_of(user)
    address = request.client_addr or ""
    throttle: LoginThrottle = request.registry.cong_login_throttle
    wait = max(throttle.address_wait(address), throttle.lock_wait(user.login, address))
    if wait:
        log.warning("two-factor code refused (throttled): %s from %s", user.login, address)
        minutes = max(1, math.ceil(wait / 60))
        message = _(
            "Có quá nhiều lần nhập mã sai. Vui lòng thử lại sau ${minutes} phút.",
            mapping={"minutes": minutes},
        )
        raise CodeRefused(message, retry_after=wait)
    if state is None or not state.use_code(code):
        throttle.failed(user.login, address)
        log.info("wrong two-factor code for %s from %s", user.login, address)
        audit.record_now(request, "login.second_factor_failed", user.login, actor=audit.ANONYMOUS)
        raise CodeRefused()
    throttle.succeeded(user.login, address)


# signed tokens in forms ---------------------------------------------------------------
def _serializer(request, salt: str) -> SignedSerializer:
    secret = request.registry.settings["cong"].secret or request.root.secret
    return SignedSerializer(secret, salt=salt, hashalg="sha512")


def pending_token(request, user: User) -> str:
    """A signed, short-lived token saying ``user``'s password was right (the form
    of the code step carries it; it is not a session and signs no one in). It ends
    after :data:`PENDING_SECONDS` or with the user's sessions."""
    data = {"u": user.login, "x": int(time.time()) + PENDING_SECONDS, "s": user.session_stamp}
    return _serializer(request, PENDING_SALT).dumps(data).decode("ascii")


def pending_user(request, token) -> User | None:
    """The user of a :func:`pending_token` still valid, or None."""
    data = _load(request, PENDING_SALT, token)
    user = request.root.principals.get_user(data.get("u"))
    if user is None or data.get("s") != user.session_stamp:
        return None
    return user


def enrolment_token(request, user: User, secret: str) -> str:
    """A signed token carrying the ``secret`` offered to ``user`` until confirmed
    (nothing is stored before), for :data:`ENROLMENT_SECONDS`."""
    data = {"u": user.login, "x": int(time.time()) + ENROLMENT_SECONDS, "k": secret}
    return _serializer(request, ENROLMENT_SALT).dumps(data).decode("ascii")


def enrolment_secret(request, user: User, token) -> str | None:
    """The secret of ``user``'s :func:`enrolment_token`, or None if not valid."""
    data = _load(request, ENROLMENT_SALT, token)
    secret = data.get("k")
    return secret if data.get("u") == user.login and isinstance(secret, str) else None


def _load(request, salt: str, token) -> dict:
    """The data of a signed token still valid; ``{}`` for anything else."""
    if not isinstance(token, str) or len(token) > 2000:
        return {}
    try:
        data = _serializer(request, salt).loads(token.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("x"), int) or data["x"] < time.time():
        return {}
    return data


# the policy -------------------------------------------------------------------------
def required_roles(site) -> frozenset[str]:
    """The roles whose holders must use a second factor (none by default)."""
    return frozenset(getattr(site, "two_factor_roles", ()))


def set_required_roles(site, roles: Iterable[str]) -> None:
    """Require a second factor of the holders of ``roles`` (checked by the caller)."""
    site.two_factor_roles = tuple(sorted(set(roles)))


def must_enrol(site, user: User) -> bool:
    """Whether ``user`` holds a role that requires a second factor (globally or
    through a group; local roles are not looked at) and has none yet."""
    required = required_roles(site)
    if not required or two_factor_of(user) is not None:
        return False
    held = set(user.roles)
    for gid in user.groups:
        group = site.principals.groups.get(gid)
        if group is not None:
            held.update(group.roles)
    return bool(held & required)
