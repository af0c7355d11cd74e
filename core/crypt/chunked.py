"""Files encrypted in chunks with AES-GCM (blob files, the full-text index's files),
written as a stream and read back by seeking.

An encrypted file is a header: ``MAGIC`` + the key id (one byte) + the chunk size
as a power of two (one byte: :data:`CHUNK_SHIFT` for blob files, smaller for the
index's, read at random) + 8 random bytes (the file's nonce prefix); then the plain
bytes in chunks of that size (the last one shorter, possibly empty), each stored as
its ciphertext and 16-byte tag. Chunk ``n`` is encrypted with the nonce ``prefix + n`` (4 bytes, big-endian)
and authenticates the header, ``n`` and whether it is the last chunk, so chunks
cannot be reordered, swapped between files or cut off. A chunk's place follows
from its number, so a reader seeks (range requests) without reading what lies
before; a reader keeps its :data:`CACHED_CHUNKS` last chunks decrypted. A file without ``MAGIC`` is a plain one written before encryption was
turned on and is read as it is.
"""

from __future__ import annotations

import io
import os
import struct
from collections import OrderedDict
from pathlib import Path

from cryptography.exceptions import InvalidTag

from core.crypt.records import Cipher, DecryptionError

MAGIC = b".cb1"
PREFIX_BYTES = 8
HEADER_BYTES = len(MAGIC) + 2 + PREFIX_BYTES
TAG_BYTES = 16
#: Plain bytes per chunk of a blob file: 2 ** CHUNK_SHIFT (64 KiB).
CHUNK_SHIFT = 16
#: Chunks a reader keeps decrypted (the most recently read).
CACHED_CHUNKS = 8


def is_sealed(path: str) -> bool:
    """Whether the file at ``path`` is an encrypted one."""
    return key_id(path) is not None


def key_id(path: str) -> int | None:
    """The id of the key the file at ``path`` is encrypted with (None: a plain file)."""
    with open(path, "rb") as handle:
        header = handle.read(len(MAGIC) + 1)
    return header[len(MAGIC)] if len(header) > len(MAGIC) and header.startswith(MAGIC) else None


def _aad(header: bytes, number: int, last: bool) -> bytes:
    return header + struct.pack(">I?", number, last)


def _nonce(prefix: bytes, number: int) -> bytes:
    return prefix + struct.pack(">I", number)


def seal(cipher: Cipher, source: str, target: str) -> None:
    """Write ``target`` (a new file): the bytes of the blob file ``source``
    encrypted with the current key. A ``source`` already encrypted with one of the
    keys (a blob copied by an export, a rotation) is re-encrypted, never twice."""
    try:
        if is_sealed(source):
            with SealedReader(cipher, source) as plain:
                _write_sealed(cipher, plain, target)
            return
    except DecryptionError:  # plain bytes that happen to start like an encrypted file
        Path(target).unlink(missing_ok=True)
    with open(source, "rb") as plain:
        _write_sealed(cipher, plain, target)


def _write_sealed(cipher: Cipher, plain, target: str) -> None:
    with SealedWriter(cipher, target) as out:
        while block := plain.read(out.chunk):
            out.write(block)


class SealedWriter(io.RawIOBase):
    """A new encrypted file at ``path`` (with the current key), written as a stream:
    each chunk of ``2 ** shift`` bytes is encrypted once full, the last one on
    :meth:`close`; no seeking."""

    def __init__(
        self, cipher: Cipher, path: str, exclusive: bool = False, shift: int = CHUNK_SHIFT
    ):
        super().__init__()
        self.name = path
        self.chunk = 1 << shift
        self._aead = cipher.aead(cipher.current)
        self._prefix = os.urandom(PREFIX_BYTES)
        self._header = MAGIC + bytes((cipher.current, shift)) + self._prefix
        self._file = open(path, "xb" if exclusive else "wb")  # noqa: SIM115 (closed by close())
        self._file.write(self._header)
        self._pending = bytearray()
        self._number = 0

    def writable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._number * self.chunk + len(self._pending)

    def write(self, data) -> int:
        self._pending += data
        chunk = self.chunk
        if len(self._pending) > chunk:
            view, start = memoryview(self._pending), 0
            while len(self._pending) - start > chunk:  # the last chunk waits for close()
                self._emit(view[start : start + chunk], last=False)
                start += chunk
            rest = bytes(view[start:])
            view.release()
            self._pending = bytearray(rest)
        return len(data)

    def _emit(self, chunk, last: bool) -> None:
        aad = _aad(self._header, self._number, last)
        self._file.write(self._aead.encrypt(_nonce(self._prefix, self._number), bytes(chunk), aad))
        self._number += 1

    def close(self) -> None:
        if not self.closed:
            try:
                self._emit(self._pending, last=True)
            finally:
                self._pending = bytearray()
                self._file.close()
        super().close()


class SealedReader(io.RawIOBase):
    """The plain bytes of an encrypted file, read and seeked like a file
    (a :class:`DecryptionError` when a chunk does not decrypt). With ``blob``, the
    :class:`ZODB.blob.Blob` is told when the reader is closed, like its own files."""

    def __init__(self, cipher: Cipher, path: str, blob=None):
        super().__init__()
        self.name = path
        self._blob = blob
        self._file = open(path, "rb", buffering=0)  # noqa: SIM115 (closed by close())
        try:
            self._header = self._file.read(HEADER_BYTES)
            if len(self._header) != HEADER_BYTES or not self._header.startswith(MAGIC):
                raise DecryptionError(f"the file {path} is not an encrypted one")
            self._aead = cipher.aead(self._header[len(MAGIC)])
            self.chunk = 1 << self._header[len(MAGIC) + 1]
            self._chunks, self.size = _layout(self._header, os.fstat(self._file.fileno()).st_size)
            if self.size < 0:
                raise DecryptionError(f"the encrypted file {path} is cut short")
        except BaseException:
            self._file.close()
            raise
        self._position = 0
        self._cached: OrderedDict[int, bytes] = OrderedDict()

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def _chunk(self, number: int) -> bytes:
        plain = self._cached.get(number)
        if plain is not None:
            self._cached.move_to_end(number)
            return plain
        self._file.seek(HEADER_BYTES + number * (self.chunk + TAG_BYTES))
        sealed = self._file.read(self.chunk + TAG_BYTES)
        prefix = self._header[len(MAGIC) + 2 :]
        last = number == self._chunks - 1
        try:
            plain = self._aead.decrypt(
                _nonce(prefix, number), sealed, _aad(self._header, number, last)
            )
        except InvalidTag:
            raise DecryptionError(
                f"the file {self.name} does not decrypt with the key of id "
                f"{self._header[len(MAGIC)]} (a wrong key, or an altered file)"
            ) from None
        self._cached[number] = plain
        if len(self._cached) > CACHED_CHUNKS:
            self._cached.popitem(last=False)
        return plain

    def readinto(self, buffer) -> int:
        if self._position >= self.size:
            return 0
        number, skip = divmod(self._position, self.chunk)
        data = self._chunk(number)[skip : skip + len(buffer)]
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (all that are left when negative), across chunks."""
        if size is None or size < 0:
            return self.readall()
        parts, wanted = [], min(size, max(0, self.size - self._position))
        while wanted:
            number, skip = divmod(self._position, self.chunk)
            part = self._chunk(number)[skip : skip + wanted]
            parts.append(part)
            self._position += len(part)
            wanted -= len(part)
        return b"".join(parts)

    def readall(self) -> bytes:
        return self.read(max(0, self.size - self._position))

    def close(self) -> None:
        if not self.closed:
            self._file.close()
            if self._blob is not None:
                self._blob.closed(self)
        super().close()


def plain_size(path: str) -> int:
    """The bytes of the plain content of the file at ``path`` (encrypted or not)."""
    with open(path, "rb") as handle:
        header = handle.read(HEADER_BYTES)
        total = os.fstat(handle.fileno()).st_size
    if len(header) < HEADER_BYTES or not header.startswith(MAGIC):
        return total
    return _layout(header, total)[1]


def _layout(header: bytes, total: int) -> tuple[int, int]:
    """(chunks, plain bytes) of an encrypted file of ``total`` bytes with ``header``."""
    body = total - HEADER_BYTES
    chunks = max(1, -(-body // ((1 << header[len(MAGIC) + 1]) + TAG_BYTES)))
    return chunks, body - chunks * TAG_BYTES


def open_decrypted(cipher: Cipher, path: str, blob=None):
    """A file object of the plain bytes of the file at ``path``: a
    :class:`SealedReader` when it is encrypted, else the file itself (an old plain
    one; a :class:`ZODB.blob.BlobFile` when ``blob`` is given)."""
    if is_sealed(path):
        return SealedReader(cipher, path, blob)
    if blob is None:
        return open(path, "rb")  # noqa: SIM115 (the caller closes it)
    from ZODB.blob import BlobFile

    return BlobFile(path, "r", blob)
