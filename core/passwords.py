"""The password policy: what a new password must be.

A password someone chooses (user forms and API, the password page, ``cong user
add/passwd``) must have at least ``cong.password_min_length`` characters (default
:data:`DEFAULT_MIN_LENGTH`), must not be one of the common or leaked passwords
shipped in ``core/data`` (the 30,000 of zxcvbn's list and weak ones common in
Vietnam, see ``core/data/NOTICE``), and must not contain the login or the person's
name. Passwords are compared lower case and, for the lists and names, also without
accents, spaces or punctuation ("Mat-Khau 123" is "matkhau123"). The lists are read
once per process, on first use, into a set: a check costs O(length).

The model (:meth:`core.principals.User.set_password`) keeps only a small floor, so
the demo loader and tests may set short known passwords.
"""

from __future__ import annotations

import gzip
import unicodedata
from functools import cache
from importlib.resources import files

from pyramid.config import Configurator
from pyramid.i18n import TranslationString

from core.i18n import _
from core.settings import SettingsError

DEFAULT_MIN_LENGTH = 10
#: Name parts shorter than this are not looked for in passwords (too many false hits).
MIN_NAME_PART = 3
MAX_LENGTH = 1024

TOO_COMMON = _(
    "Mật khẩu này quá phổ biến hoặc đã bị lộ trong các vụ rò rỉ dữ liệu, rất dễ bị đoán. "
    "Vui lòng chọn mật khẩu khác."
)
HAS_LOGIN = _("Mật khẩu không được chứa tên đăng nhập.")
HAS_NAME = _("Mật khẩu không được chứa họ tên của người dùng.")
NOT_TEXT = _("Mật khẩu chứa ký tự không hợp lệ.")
TOO_LONG = _("Mật khẩu quá dài (tối đa ${n} ký tự).", mapping={"n": MAX_LENGTH})


def too_short(min_length: int) -> TranslationString:
    """The message for a password under ``min_length`` characters."""
    return _("Mật khẩu cần ít nhất ${n} ký tự.", mapping={"n": min_length})


def compact(text: str) -> str:
    """``text`` lower case, without accents (đ is d), keeping letters and digits only."""
    text = unicodedata.normalize("NFKD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in text if ch.isascii() and ch.isalnum())


def _read_list(name: str) -> list[str]:
    resource = files("core") / "data" / name
    raw = resource.read_bytes()
    text = gzip.decompress(raw).decode() if name.endswith(".gz") else raw.decode()
    return [line for line in text.splitlines() if line and not line.startswith("#")]


@cache
def weak_passwords() -> frozenset[str]:
    """The shipped common and weak passwords, lower case and :func:`compact`."""
    found: set[str] = set()
    for name in ("common-passwords.txt.gz", "weak-passwords-vi.txt"):
        for line in _read_list(name):
            found.add(line.strip().lower())
            found.add(compact(line))
    found.discard("")
    return frozenset(found)


def password_problem(
    password: str, login: str = "", fullname: str = "", min_length: int = DEFAULT_MIN_LENGTH
) -> TranslationString | None:
    """Why ``password`` may not be chosen by the user ``login`` named ``fullname``
    (a message to translate), or None when it may."""
    if not isinstance(password, str) or len(password) < min_length:
        return too_short(min_length)
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: not text that can be kept
        return NOT_TEXT
    flat = compact(password)
    if password.lower() in weak_passwords() or flat in weak_passwords():
        return TOO_COMMON
    name = compact(login.split("@")[0]) if login else ""
    if len(name) >= MIN_NAME_PART and name in flat:
        return HAS_LOGIN
    parts = [compact(part) for part in fullname.split()] if fullname else []
    whole = "".join(parts)
    given = parts[-1] if parts else ""  # the given name comes last in Vietnamese
    if any(len(p) >= MIN_NAME_PART and p in flat for p in (whole, given)):
        return HAS_NAME
    return None


def check_password(
    registry, password: str, login: str = "", fullname: str = ""
) -> TranslationString | None:
    """:func:`password_problem` with the site's minimum length (from the settings)."""
    return password_problem(password, login, fullname, min_length(registry))


def min_length(registry) -> int:
    """The minimum length of a new password on this site."""
    return getattr(registry, "cong_password_min_length", DEFAULT_MIN_LENGTH)


def includeme(config: Configurator) -> None:
    """Read ``cong.password_min_length`` (at least 6)."""
    raw = config.registry.settings.get("cong.password_min_length", DEFAULT_MIN_LENGTH)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise SettingsError("cong.password_min_length must be a whole number") from None
    if value < 6:
        raise SettingsError("cong.password_min_length must be at least 6")
    config.registry.cong_password_min_length = value
