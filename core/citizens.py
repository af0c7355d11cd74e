"""Citizens: people who sign in through the national identity service (OpenID
Connect, :mod:`core.oidc`), known by their 12-digit personal identification number
(số định danh cá nhân).

A citizen is not a staff user. Citizens are kept apart from the site's users (so the
users pages never list them, they get no roles nor groups there, and they cannot
sign in with a password), each with a login ``citizen:<random>`` that no staff
login can take (``:`` is not allowed in one) and that tells nothing of the number.
A citizen is matched on the number alone, never on the name or an address.

Plugins ask who is signed in with :func:`citizen_identifier`::

    from core.citizens import citizen_identifier

    number = citizen_identifier(request)  # None: not a citizen signed in this way

The number is personal data: never log it, show it masked (:func:`mask`) if at all.

Managers find an account by its number (:func:`find_citizen`, one look-up, never
a scan), :func:`lock` it (its sessions end, its cookies and tokens stop working
and the identity service's next login of that number is refused), :func:`unlock`
it, or :func:`delete` it (the next login makes a fresh account; what the citizen
filed stays). Each is audited (``citizen.locked``, ``citizen.unlocked``,
``citizen.deleted``) with the number masked. :func:`total` counts the accounts
(a ``BTrees.Length``, kept by :func:`citizen_account` and :func:`delete`).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from pyramid.config import Configurator

from core import audit, sessions
from core.cleantext import scrub
from core.clock import now
from core.i18n import _
from core.principals import CITIZEN_PREFIX, PrincipalError, Principals, User

#: A personal identification number: 12 digits.
IDENTIFIER_RE = re.compile(r"^[0-9]{12}\Z")
#: Longest name kept; longest reason for a lock.
MAX_NAME = 200
MAX_REASON = 500
#: Twelve digits in a row (a number typed into a reason), masked in the audit log.
NUMBER_IN_TEXT = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")
EVOLVE_STEP = "core-citizens-0001-count"


@dataclass(frozen=True)
class Lock:
    """Why (``reason``), when (``at``) and by whom (``by``, a login) an account was
    locked."""

    reason: str
    at: datetime
    by: str


class CitizenError(ValueError):
    """A refused change to a citizen's account, with a ``message`` for the person."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class Citizen(User):
    """A citizen's account: ``identifier`` their personal identification number,
    ``fullname`` the name the identity service last sent. No password."""

    #: The :class:`Lock` of a locked account (stored accounts had none).
    locked: Lock | None = None

    def __init__(self, login: str, identifier: str, fullname: str = ""):
        super().__init__(login, fullname)
        self.identifier = identifier
        self.last_login = self.created

    def set_password(self, password: str) -> None:
        raise PrincipalError(_("Tài khoản công dân đăng nhập bằng tài khoản định danh điện tử."))


class Citizens(Persistent):
    """``accounts``: login -> :class:`Citizen`; ``logins``: identifier -> login;
    ``count``: how many accounts (None in stores older than it, until the evolve
    step :data:`EVOLVE_STEP` counts them)."""

    count: Length | None = None

    def __init__(self):
        self.accounts = OOBTree()
        self.logins = OOBTree()
        self.count = Length()


def is_identifier(value) -> bool:
    """Whether ``value`` is a personal identification number (12 digits)."""
    return isinstance(value, str) and IDENTIFIER_RE.match(value) is not None


def mask(identifier: str) -> str:
    """``identifier`` with all but its last three characters hidden."""
    return "*" * max(0, len(identifier) - 3) + identifier[-3:]


def find_citizen(principals: Principals, identifier: str) -> Citizen | None:
    """The citizen whose number is ``identifier``, or None."""
    citizens = principals.citizens
    login = citizens.logins.get(identifier) if citizens is not None else None
    return citizens.accounts.get(login) if login is not None else None


def citizen_account(principals: Principals, identifier: str, fullname: str) -> Citizen:
    """The account of the citizen ``identifier`` (a valid number), created on their
    first login; its name becomes ``fullname`` when that is given."""
    if not is_identifier(identifier):
        raise ValueError("not a personal identification number")
    fullname = scrub(" ".join(str(fullname or "").split()), "")[:MAX_NAME]
    if principals.citizens is None:
        principals.citizens = Citizens()
    citizen = find_citizen(principals, identifier)
    if citizen is None:
        login = CITIZEN_PREFIX + secrets.token_hex(8)
        while login in principals.citizens.accounts:  # pragma: no cover - 64 random bits
            login = CITIZEN_PREFIX + secrets.token_hex(8)
        citizen = Citizen(login, identifier, fullname)
        principals.citizens.accounts[login] = citizen
        principals.citizens.logins[identifier] = login
        if principals.citizens.count is not None:
            principals.citizens.count.change(1)
    elif fullname and citizen.fullname != fullname:
        citizen.fullname = fullname
    citizen.last_login = now()
    return citizen


def citizen_identifier(request) -> str | None:
    """The personal identification number of the citizen signed in (through the
    national identity service), or None for anyone else."""
    identity = request.identity
    return identity.identifier if isinstance(identity, Citizen) else None


def is_locked(user) -> bool:
    """Whether ``user`` is a citizen whose account is locked (staff have no lock)."""
    return isinstance(user, Citizen) and user.locked is not None


def total(principals: Principals) -> int | None:
    """How many citizens' accounts there are (O(1)); None when not counted yet."""
    citizens = principals.citizens
    if citizens is None:
        return 0
    return citizens.count() if citizens.count is not None else None


def lock_reason(value) -> str:
    """The reason typed for a lock, on one line; :class:`CitizenError` when it is
    missing or longer than :data:`MAX_REASON`."""
    reason = scrub(" ".join(value.split()), "") if isinstance(value, str) else ""
    if not reason:
        raise CitizenError(_("Vui lòng nhập lý do khoá tài khoản."))
    if len(reason) > MAX_REASON:
        raise CitizenError(
            _("Lý do dài quá ${n} ký tự.", mapping={"n": MAX_REASON}),
        )
    return reason


def _masked(text: str) -> str:
    return NUMBER_IN_TEXT.sub(lambda found: mask(found.group()), text)


def lock(request, citizen: Citizen, reason: str) -> None:
    """Lock ``citizen``'s account for ``reason`` (see :func:`lock_reason`): every
    session ends, and neither a cookie nor a new login lets them in until
    :func:`unlock`."""
    actor = request.identity.login if request.identity is not None else audit.ANONYMOUS
    citizen.locked = Lock(reason, now(), actor)
    sessions.end_all(request, citizen)
    audit.record(
        request,
        "citizen.locked",
        citizen.login,
        number=mask(citizen.identifier),
        reason=_masked(reason),
    )


def unlock(request, citizen: Citizen) -> None:
    """Let ``citizen`` sign in again."""
    citizen.locked = None
    audit.record(request, "citizen.unlocked", citizen.login, number=mask(citizen.identifier))


def delete(request, principals: Principals, citizen: Citizen) -> None:
    """Remove ``citizen``'s account and its number (its sessions end with it); the
    next login of the number makes a new account. What they filed stays."""
    sessions.end_all(request, citizen)
    citizens = principals.citizens
    del citizens.accounts[citizen.login]
    if citizens.logins.get(citizen.identifier) == citizen.login:
        del citizens.logins[citizen.identifier]
    if citizens.count is not None:
        citizens.count.change(-1)
    audit.record(request, "citizen.deleted", citizen.login, number=mask(citizen.identifier))


def count_citizens(site) -> None:
    """Evolve step: count the citizens' accounts stored before they were counted."""
    citizens = site.principals.citizens
    if citizens is not None and citizens.count is None:
        citizens.count = Length(len(citizens.accounts))


def includeme(config: Configurator) -> None:
    config.add_evolve_step(EVOLVE_STEP, count_citizens)
