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
"""

from __future__ import annotations

import re
import secrets

from BTrees.OOBTree import OOBTree
from persistent import Persistent

from core.cleantext import scrub
from core.clock import now
from core.i18n import _
from core.principals import CITIZEN_PREFIX, PrincipalError, Principals, User

#: A personal identification number: 12 digits.
IDENTIFIER_RE = re.compile(r"^[0-9]{12}\Z")
#: Longest name kept.
MAX_NAME = 200


class Citizen(User):
    """A citizen's account: ``identifier`` their personal identification number,
    ``fullname`` the name the identity service last sent. No password."""

    def __init__(self, login: str, identifier: str, fullname: str = ""):
        super().__init__(login, fullname)
        self.identifier = identifier
        self.last_login = self.created

    def set_password(self, password: str) -> None:
        raise PrincipalError(_("Tài khoản công dân đăng nhập bằng tài khoản định danh điện tử."))


class Citizens(Persistent):
    """``accounts``: login -> :class:`Citizen`; ``logins``: identifier -> login."""

    def __init__(self):
        self.accounts = OOBTree()
        self.logins = OOBTree()


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
    elif fullname and citizen.fullname != fullname:
        citizen.fullname = fullname
    citizen.last_login = now()
    return citizen


def citizen_identifier(request) -> str | None:
    """The personal identification number of the citizen signed in (through the
    national identity service), or None for anyone else."""
    identity = request.identity
    return identity.identifier if isinstance(identity, Citizen) else None
