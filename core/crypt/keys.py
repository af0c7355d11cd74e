"""The encryption keys of a site: read from a key file or an environment
variable named in the settings, never from the database.

A key file holds one key a line, ``ID:BASE64``: ``ID`` a whole number from 0 to 255
that each encrypted record carries, ``BASE64`` 32 random bytes (AES-256) in base64.
The first line is the *current* key, the one new records are encrypted with; the
others still decrypt the records written with them (until ``cong rotate-key`` has
re-encrypted those). Blank lines and lines starting with ``#`` are skipped. The
environment variable holds the same text (lines separated by newlines or spaces).
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from dataclasses import dataclass

from core.settings import SettingsError

#: Bytes of an AES-256 key.
KEY_BYTES = 32


@dataclass(frozen=True)
class Keyring:
    """The keys by id, and the id of the current one."""

    keys: dict[int, bytes]
    current: int


def new_key_line(key_id: int) -> str:
    """A fresh key file line ``ID:BASE64`` for ``key_id``."""
    return f"{key_id}:{base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()}"


def parse_keys(text: str, source: str) -> Keyring:
    """The :class:`Keyring` in ``text`` (key file lines); ``source`` names where the
    text comes from in error messages, which never quote a key."""
    keys: dict[int, bytes] = {}
    order: list[int] = []
    for number, line in enumerate(text.replace(" ", "\n").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        ident, sep, encoded = line.partition(":")
        if not sep or not ident.strip().isdigit() or not 0 <= int(ident) <= 255:
            raise SettingsError(f"{source}: entry {number} is not 'ID:BASE64' with ID 0-255")
        try:
            key = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise SettingsError(f"{source}: the key of id {ident} is not base64") from None
        if len(key) != KEY_BYTES:
            raise SettingsError(f"{source}: the key of id {ident} is not {KEY_BYTES} bytes")
        if int(ident) in keys:
            raise SettingsError(f"{source}: key id {ident} appears twice")
        keys[int(ident)] = key
        order.append(int(ident))
    if not order:
        raise SettingsError(f"{source} holds no key")
    return Keyring(keys, order[0])


def read_keyring(key_file: str, key_env: str) -> Keyring | None:
    """The keyring named by ``cong.encryption_key_file`` (``key_file``) or
    ``cong.encryption_key_env`` (``key_env``), or None when neither is set
    (encryption off)."""
    if key_file:
        try:
            with open(key_file, encoding="ascii") as handle:
                text = handle.read()
        except OSError as exc:
            raise SettingsError(
                f"the encryption key file {key_file} cannot be read ({exc.strerror})"
            ) from None
        except UnicodeDecodeError:
            raise SettingsError(f"the encryption key file {key_file} is not text") from None
        return parse_keys(text, f"the encryption key file {key_file}")
    if key_env:
        text = os.environ.get(key_env, "")
        if not text.strip():
            raise SettingsError(f"the environment variable {key_env} (holding the key) is not set")
        return parse_keys(text, f"the environment variable {key_env}")
    return None
