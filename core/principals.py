"""Users and groups, kept in ZODB; passwords hashed with argon2.

A principal id is the user's login or ``group:<id>`` for a group. Global roles are
held by users and groups; local roles live on content (see :mod:`core.localroles`).
"""

from __future__ import annotations

import hashlib
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from BTrees.OOBTree import OOBTree, OOTreeSet
from persistent import Persistent

from core.clock import now
from core.i18n import _

_hasher = PasswordHasher()
LOGIN_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
GROUP_PREFIX = "group:"
#: The start of a citizen's login (:mod:`core.citizens`): ``:`` is in no staff login.
CITIZEN_PREFIX = "citizen:"
MIN_PASSWORD = 5


class PrincipalError(ValueError):
    """A refused change to users or groups, with a message for the person."""


class User(Persistent):
    """A person who can log in. ``password_hash`` never leaves this object.

    ``session_key`` is the user's session secret: every login cookie and API token
    carries its :attr:`session_stamp` (see :mod:`core.security`), so changing it
    (:meth:`end_sessions`, on a new password or a logout) ends them all."""

    #: The key of users stored before keys existed, until their first change.
    session_key = ""
    #: The second factor (:class:`core.twofactor.TwoFactor`) once enrolled.
    two_factor = None
    #: The login sessions (:class:`core.sessions.LoginSession` by id) once signed in.
    sessions = None

    def __init__(self, login: str, fullname: str = "", email: str = ""):
        self.login = login
        self.fullname = fullname
        self.email = email
        self.roles = OOTreeSet()
        self.groups = OOTreeSet()
        self.password_hash = ""
        self.created = now()
        self.password_changed = self.created
        self.end_sessions()

    def end_sessions(self) -> None:
        """End every login cookie and API token of this user, everywhere."""
        self.session_key = secrets.token_hex(16)
        if self.sessions is not None:
            self.sessions.clear()

    @property
    def session_stamp(self) -> str:
        """What cookies and tokens carry of the session key (a hash, not the key):
        letters and digits, starting with a letter (an auth-ticket token)."""
        digest = hashlib.sha256(f"{self.login}\0{self.session_key}".encode()).hexdigest()
        return "s" + digest[:32]

    @property
    def id(self) -> str:
        return self.login

    @property
    def title(self) -> str:
        return self.fullname or self.login

    @property
    def has_password(self) -> bool:
        """Whether this user signs in with a password (a citizen does not)."""
        return bool(self.password_hash)

    def set_password(self, password: str) -> None:
        if not isinstance(password, str) or len(password) < MIN_PASSWORD:
            raise PrincipalError(_("Mật khẩu cần ít nhất ${n} ký tự.", mapping={"n": MIN_PASSWORD}))
        self.password_hash = _hasher.hash(password)
        self.password_changed = now()
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        if not self.password_hash or not isinstance(password, str):
            return False
        try:
            _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if _hasher.check_needs_rehash(self.password_hash):
            self.password_hash = _hasher.hash(password)
        return True


class Group(Persistent):
    """A named set of users; roles granted to it reach every member."""

    def __init__(self, gid: str, title: str = ""):
        self.gid = gid
        self.title = title or gid
        self.roles = OOTreeSet()
        self.members = OOTreeSet()

    @property
    def id(self) -> str:
        return GROUP_PREFIX + self.gid


class Principals(Persistent):
    """The users and groups of a site; the citizens (:class:`core.citizens.Citizens`)
    once the first has signed in."""

    citizens = None

    def __init__(self):
        self.users = OOBTree()
        self.groups = OOBTree()

    # users ------------------------------------------------------------------------
    def add_user(self, login: str, password: str, fullname: str = "", email: str = "") -> User:
        login = (login or "").strip().lower()
        if not LOGIN_RE.match(login):
            raise PrincipalError(
                _("Tên đăng nhập gồm 2–64 ký tự: chữ thường không dấu, số, dấu . _ @ -")
            )
        if login in self.users:
            raise PrincipalError(_("Tên đăng nhập '${login}' đã có.", mapping={"login": login}))
        user = User(login, fullname, email)
        user.set_password(password)
        self.users[login] = user
        return user

    def get_user(self, login: str) -> User | None:
        return self.users.get(login) if isinstance(login, str) else None

    def get_account(self, login: str) -> User | None:
        """Who a login cookie or token names: a user, or a citizen (never a staff
        user: citizens are not in :attr:`users`)."""
        if isinstance(login, str) and login.startswith(CITIZEN_PREFIX):
            return self.citizens.accounts.get(login) if self.citizens is not None else None
        return self.get_user(login)

    def remove_user(self, login: str) -> None:
        user = self.users.pop(login)
        for gid in user.groups:
            group = self.groups.get(gid)
            if group is not None and login in group.members:
                group.members.remove(login)

    # groups -----------------------------------------------------------------------
    def add_group(self, gid: str, title: str = "") -> Group:
        gid = (gid or "").strip().lower()
        if not LOGIN_RE.match(gid):
            raise PrincipalError(_("Mã nhóm gồm 2–64 ký tự: chữ thường không dấu, số, . _ @ -"))
        if gid in self.groups:
            raise PrincipalError(_("Nhóm '${gid}' đã có.", mapping={"gid": gid}))
        group = self.groups[gid] = Group(gid, title)
        return group

    def get_group(self, gid: str) -> Group | None:
        if isinstance(gid, str) and gid.startswith(GROUP_PREFIX):
            gid = gid[len(GROUP_PREFIX) :]
        return self.groups.get(gid)

    def remove_group(self, gid: str) -> None:
        group = self.groups.pop(gid)
        for login in group.members:
            user = self.users.get(login)
            if user is not None and gid in user.groups:
                user.groups.remove(gid)

    def add_member(self, gid: str, login: str) -> None:
        group, user = self.groups[gid], self.users[login]
        group.members.add(login)
        user.groups.add(gid)

    def remove_member(self, gid: str, login: str) -> None:
        group, user = self.groups[gid], self.users[login]
        if login in group.members:
            group.members.remove(login)
        if gid in user.groups:
            user.groups.remove(gid)

    def get(self, principal_id: str) -> User | Group | None:
        """A user or group by principal id."""
        if isinstance(principal_id, str) and principal_id.startswith(GROUP_PREFIX):
            return self.get_group(principal_id)
        return self.get_user(principal_id)
