"""Where the whoosh index keeps its files: plain, or encrypted at rest.

With encryption at rest on (a key in the settings, see :mod:`core.crypt`), every
file whoosh writes (segments, the table of contents, the runs of a bulk rebuild)
is written through :class:`~core.crypt.chunked.SealedWriter`, encrypted in chunks
as it is streamed out, and read back through
:class:`~core.crypt.chunked.SealedReader`, which decrypts the chunk a read falls
in (no memory map; a few chunks cached per open file). Files written before
encryption was turned on are read as they are; ``cong reindex`` rewrites them.
"""

from __future__ import annotations

import io
import os

from whoosh.filedb.filestore import FileStorage, ReadOnlyError
from whoosh.filedb.structfile import StructFile
from whoosh.util import random_name

from core.crypt.chunked import SealedReader, SealedWriter, is_sealed, open_decrypted, plain_size
from core.crypt.records import Cipher, DecryptionError
from core.settings import SettingsError

#: Chunks of the index's files: 2 ** CHUNK_SHIFT bytes (whoosh reads them at random:
#: small chunks cost less to decrypt for a few bytes; see the decision note 0036).
CHUNK_SHIFT = 14


def index_storage(path: str, cipher: Cipher | None) -> FileStorage:
    """The storage of the index folder ``path``: encrypted with ``cipher``, or plain."""
    if cipher is None:
        return FileStorage(path)
    return SealedStorage(path, cipher)


def check_key(storage: FileStorage, indexname: str) -> None:
    """Refuse (:class:`SettingsError`) an index whose files the keys of ``storage``
    do not open: encrypted while encryption at rest is off, or under a key not
    configured. Its tables of contents are read for that (a few kilobytes)."""
    cipher = getattr(storage, "cipher", None)
    for name in storage.list():
        if not (name.startswith(f"_{indexname}_") and name.endswith(".toc")):
            continue
        path = os.path.join(storage.folder, name)
        if not is_sealed(path):
            continue
        if cipher is None:
            raise SettingsError(
                f"the full-text index in {storage.folder} is encrypted: set "
                "cong.encryption_key_file or cong.encryption_key_env to its key (or remove "
                "the folder and rebuild it with cong reindex)"
            )
        try:
            with SealedReader(cipher, path) as toc:
                toc.read()
        except DecryptionError as exc:
            raise SettingsError(
                f"the encryption key does not open the full-text index ({exc}); remove "
                f"{storage.folder} and rebuild it with cong reindex"
            ) from None


def _buffered(handle):
    """``handle`` read through a buffer of one chunk when it decrypts: whoosh reads a
    few bytes at a time (varints while merging), which a buffer serves in C."""
    if isinstance(handle, SealedReader):
        return io.BufferedReader(handle, handle.chunk)
    return handle


class SealedStorage(FileStorage):
    """A whoosh :class:`FileStorage` whose files are encrypted with ``cipher``."""

    def __init__(self, path: str, cipher: Cipher, readonly: bool = False):
        super().__init__(path, supports_mmap=False, readonly=readonly)
        self.cipher = cipher

    def create_file(self, name, excl=False, mode="wb", **kwargs):
        if self.readonly:
            raise ReadOnlyError
        raw = SealedWriter(self.cipher, self._fpath(name), exclusive=excl, shift=CHUNK_SHIFT)
        writer = io.BufferedWriter(raw, raw.chunk)  # whoosh writes a few bytes at a time
        if "+" in mode:  # a scratch file: written, then read back
            writer = _WrittenThenRead(writer, self.cipher)
        return StructFile(writer, name=name, **kwargs)

    def open_file(self, name, **kwargs):
        return StructFile(
            _buffered(open_decrypted(self.cipher, self._fpath(name))), name=name, **kwargs
        )

    def file_length(self, name):
        return plain_size(self._fpath(name))

    def temp_storage(self, name=None):
        name = name or f"{random_name()}.tmp"
        return SealedStorage(os.path.join(self.folder, name), self.cipher).create()


class _WrittenThenRead:
    """A scratch file whoosh writes, then reads back before deleting it (the columns
    of a segment being written): encrypted as it is written; the first seek or read
    ends the writing and opens it for reading."""

    def __init__(self, writer: io.BufferedWriter, cipher: Cipher):
        self._writer = writer
        self._cipher = cipher
        self._reader: io.BufferedReader | None = None

    def write(self, data) -> int:
        if self._reader is not None:
            raise OSError("a scratch file is not written after it is read")
        return self._writer.write(data)

    def _reading(self) -> io.BufferedReader:
        if self._reader is None:
            self._writer.close()
            self._reader = _buffered(SealedReader(self._cipher, self._writer.name))
        return self._reader

    def tell(self) -> int:
        return self._writer.tell() if self._reader is None else self._reader.tell()

    def seek(self, *args) -> int:
        return self._reading().seek(*args)

    def read(self, size: int = -1) -> bytes:
        return self._reading().read(size)

    def flush(self) -> None:
        """Nothing to flush before the last chunk is written."""

    def close(self) -> None:
        self._writer.close()
        if self._reader is not None:
            self._reader.close()
