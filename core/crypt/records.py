"""Encrypting and decrypting database records with AES-GCM.

An encrypted record is ``MAGIC`` + the key id (one byte) + a 12-byte nonce + the
ciphertext with its 16-byte tag; the first 5 bytes are authenticated too. A record
without ``MAGIC`` (a pickle starts with ``\\x80``) is a plain one, written before
encryption was turned on, and is read as it is.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from ZODB.POSException import StorageError

from core.crypt.keys import Keyring

MAGIC = b".ce1"
NONCE_BYTES = 12
HEADER_BYTES = len(MAGIC) + 1


class DecryptionError(StorageError):
    """A record that the keys at hand cannot decrypt: its key id is unknown, or the
    key of that id is not the one it was encrypted with (or the record was altered)."""


class Cipher:
    """Encrypts with the current key of a :class:`Keyring`, decrypts with any."""

    def __init__(self, keyring: Keyring):
        self.current = keyring.current
        self._aead = {ident: AESGCM(key) for ident, key in keyring.keys.items()}

    def encrypt(self, data: bytes) -> bytes:
        """``data`` encrypted with the current key (empty data stays empty: a deletion)."""
        if not data:
            return data
        header = MAGIC + bytes((self.current,))
        nonce = os.urandom(NONCE_BYTES)
        return header + nonce + self._aead[self.current].encrypt(nonce, data, header)

    def aead(self, ident: int) -> AESGCM:
        """The AES-GCM of the key ``ident``; a :class:`DecryptionError` when the keys
        configured do not hold it."""
        aead = self._aead.get(ident)
        if aead is None:
            raise DecryptionError(
                f"data is encrypted with key id {ident}, which the keys configured do not hold"
            )
        return aead

    def decrypt(self, data: bytes) -> bytes:
        """The plain record of ``data``; plain records are returned as they are."""
        if not is_encrypted(data):
            return data
        header = data[:HEADER_BYTES]
        aead = self.aead(data[len(MAGIC)])
        nonce = data[HEADER_BYTES : HEADER_BYTES + NONCE_BYTES]
        try:
            return aead.decrypt(nonce, data[HEADER_BYTES + NONCE_BYTES :], header)
        except InvalidTag:
            raise DecryptionError(
                f"a record encrypted with key id {data[len(MAGIC)]} does not decrypt with "
                "the key of that id configured (a wrong key, or an altered record)"
            ) from None

    def needs_rewrite(self, data: bytes) -> bool:
        """Whether ``data`` (a stored record) is plain or under another key than the current."""
        return bool(data) and (not is_encrypted(data) or data[len(MAGIC)] != self.current)


def is_encrypted(data: bytes | None) -> bool:
    """Whether a stored record is an encrypted one."""
    return bool(data) and data[: len(MAGIC)] == MAGIC
