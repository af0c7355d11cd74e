"""A ZODB storage wrapper encrypting every record (an ``IStorageWrapper``, the way
zc.zlibstorage compresses them).

Records are encrypted in ``store``/``restore`` and decrypted in ``load``,
``loadBefore``, ``loadSerial``, ``iterator`` and ``record_iternext``. Blob files are
encrypted in chunks (:mod:`core.crypt.blobs`) in ``storeBlob``/``restoreBlob``
before the base storage moves them into place, and decrypted as they are read
through ``openCommittedBlobFile`` (what ``Blob.open("r")`` calls); ``loadBlob`` names
the stored, encrypted file (what an export or a copy of the storage carries, taken
back by ``storeBlob``/``restoreBlob`` without encrypting it twice). The database
and the base storage are told of the transform (``registerDB``), so conflict
resolution reads and writes plain pickles, and packing finds the references of a
record through :meth:`EncryptedStorage.untransform_record_data`.

Over ZEO, a client wraps its ``ClientStorage`` in :class:`EncryptedStorage` (records
and blob files cross the socket and sit in its caches encrypted) and the server's
storage is a :class:`ServerEncryptedStorage`, which stores them as they come and
decrypts only to pack and to resolve conflicts.
"""

from __future__ import annotations

import os
from pathlib import Path

import ZODB.blob
import ZODB.interfaces
import ZODB.POSException
import zope.interface
from ZODB.utils import mktemp

from core.crypt.chunked import key_id, open_decrypted, seal
from core.crypt.records import Cipher, is_encrypted


@zope.interface.implementer(ZODB.interfaces.IStorageWrapper)
class EncryptedStorage:
    """``base`` (a FileStorage, perhaps with blobs) with its records encrypted by
    ``cipher``; everything not about record data is the base storage's."""

    copied_methods = (
        "close", "getName", "getSize", "history", "isReadOnly", "lastTransaction",
        "new_oid", "sortKey", "tpc_abort", "tpc_begin", "tpc_finish", "tpc_vote",
        "loadBlob", "temporaryDirectory",
        "supportsUndo", "undo", "undoLog", "undoInfo", "checkCurrentSerialInTransaction",
    )  # fmt: skip

    def __init__(self, base, cipher: Cipher):
        self.base = base
        self.cipher = cipher
        for name in self.copied_methods:
            method = getattr(base, name, None)
            if method is not None:
                setattr(self, name, method)
        zope.interface.directlyProvides(self, zope.interface.providedBy(base))
        base.registerDB(self)
        if isinstance(base, ZODB.blob.BlobStorage):
            wrapped_storage(base).registerDB(self)

    def __getattr__(self, name):
        return getattr(self.base, name)

    def __len__(self):
        return len(self.base)

    # the database above -------------------------------------------------------------
    def registerDB(self, db) -> None:
        self.db = db
        self._db_transform = db.transform_record_data
        self._db_untransform = db.untransform_record_data

    def _db_transform(self, data):
        return data

    _db_untransform = _db_transform

    def transform_record_data(self, data: bytes) -> bytes:
        return self.cipher.encrypt(self._db_transform(data))

    def untransform_record_data(self, data: bytes) -> bytes:
        return self._db_untransform(self.cipher.decrypt(data))

    def invalidateCache(self):
        return self.db.invalidateCache()

    def invalidate(self, transaction_id, oids):
        return self.db.invalidate(transaction_id, oids)

    def references(self, record, oids=None):
        return self.db.references(self.cipher.decrypt(record), oids)

    # reading --------------------------------------------------------------------------
    def load(self, oid, version=""):
        data, serial = self.base.load(oid, version)
        return self.cipher.decrypt(data), serial

    def loadBefore(self, oid, tid):
        found = self.base.loadBefore(oid, tid)
        if found is None:
            return None
        data, serial, after = found
        return self.cipher.decrypt(data), serial, after

    def loadSerial(self, oid, serial):
        return self.cipher.decrypt(self.base.loadSerial(oid, serial))

    def iterator(self, start=None, stop=None):
        for transaction in self.base.iterator(start, stop):
            yield _DecryptedTransaction(transaction, self.cipher)

    def record_iternext(self, next=None):
        oid, tid, data, next = self.base.record_iternext(next)
        return oid, tid, self.cipher.decrypt(data), next

    # writing --------------------------------------------------------------------------
    def store(self, oid, serial, data, version, transaction):
        return self.base.store(oid, serial, self.cipher.encrypt(data), version, transaction)

    def restore(self, oid, serial, data, version, prev_txn, transaction):
        return self.base.restore(
            oid, serial, self.cipher.encrypt(data), version, prev_txn, transaction
        )

    def storeBlob(self, oid, oldserial, data, blobfilename, version, transaction):
        sealed = self._seal(blobfilename)
        try:
            return self.base.storeBlob(
                oid, oldserial, self.cipher.encrypt(data), sealed, version, transaction
            )
        finally:
            _remove(sealed)

    def restoreBlob(self, oid, serial, data, blobfilename, prev_txn, transaction):
        sealed = self._seal(blobfilename)
        try:
            return self.base.restoreBlob(
                oid, serial, self.cipher.encrypt(data), sealed, prev_txn, transaction
            )
        finally:
            _remove(sealed)

    def _seal(self, blobfilename: str) -> str:
        """A new temporary file of ``blobfilename``'s bytes encrypted; the plain file
        is removed (the base storage moves the encrypted one into place)."""
        sealed = mktemp(dir=self.base.temporaryDirectory(), prefix="BSE")
        try:
            seal(self.cipher, blobfilename, sealed)
        except BaseException:
            _remove(sealed)
            raise
        os.remove(blobfilename)
        return sealed

    def openCommittedBlobFile(self, oid, serial, blob=None):
        try:
            return open_decrypted(self.cipher, self.base.loadBlob(oid, serial), blob)
        except FileNotFoundError:  # gone from a ZEO client's blob cache meanwhile: fetched again
            return open_decrypted(self.cipher, self.base.loadBlob(oid, serial), blob)

    def pack(self, pack_time, referencesf, gc=None):
        decrypt = self.cipher.decrypt

        def references(record, oids=None):
            return referencesf(decrypt(record), oids)

        if gc is None:
            return self.base.pack(pack_time, references)
        return self.base.pack(pack_time, references, gc)

    def copyTransactionsFrom(self, other):
        ZODB.blob.copyTransactionsFromTo(other, self)


def wrapped_storage(blobs: ZODB.blob.BlobStorage):
    """The storage a ``BlobStorage`` (zodburi's ``file://`` with ``blobstorage_dir``)
    wraps. ``BlobStorage.registerDB`` does not pass the database on, so the
    FileStorage under it would resolve conflicts on encrypted records: it is told of
    the transform directly. This reads ZODB's private attribute (ZODB is pinned
    exactly in setup.py); a ZODB without it stops start-up here, loudly."""
    try:
        return blobs._BlobStorage__storage
    except AttributeError:  # pragma: no cover - a ZODB other than the pinned one
        raise RuntimeError(
            "ZODB.blob.BlobStorage no longer keeps its storage in __storage: update "
            "core.crypt.storage.wrapped_storage for this ZODB version"
        ) from None


class ServerEncryptedStorage(EncryptedStorage):
    """The storage of a ZEO server whose clients encrypt (each through an
    :class:`EncryptedStorage` over its ``ClientStorage``), the way zc.zlibstorage's
    ``ServerZlibStorage`` serves compressed records: records and blob files are
    stored, loaded and sent as they come, encrypted; the keys decrypt records only
    on the server's side of the transform, to find the references of a record when
    packing (:meth:`EncryptedStorage.pack`) and to resolve conflicts. A plain record
    or blob file (a client without the key) is refused."""

    copied_methods = EncryptedStorage.copied_methods + (
        "load", "loadBefore", "loadSerial", "iterator", "record_iternext",
        "openCommittedBlobFile",
    )  # fmt: skip

    def store(self, oid, serial, data, version, transaction):
        return self.base.store(oid, serial, _sealed(data), version, transaction)

    def restore(self, oid, serial, data, version, prev_txn, transaction):
        return self.base.restore(oid, serial, _sealed(data), version, prev_txn, transaction)

    def storeBlob(self, oid, oldserial, data, blobfilename, version, transaction):
        return self.base.storeBlob(
            oid, oldserial, _sealed(data, blobfilename), blobfilename, version, transaction
        )

    def restoreBlob(self, oid, serial, data, blobfilename, prev_txn, transaction):
        return self.base.restoreBlob(
            oid, serial, _sealed(data, blobfilename), blobfilename, prev_txn, transaction
        )


def _sealed(data: bytes, blobfilename: str | None = None) -> bytes:
    """``data`` when it (and the blob file) is encrypted (or a deletion); else a
    ``StorageError`` (of a class the ZEO client takes back as it is)."""
    if (data and not is_encrypted(data)) or (blobfilename and key_id(blobfilename) is None):
        raise ZODB.POSException.StorageError(
            "this ZEO server stores encrypted data only: set cong.encryption_key_file or "
            "cong.encryption_key_env in the client's settings (the server's key)"
        )
    return data


class _DecryptedTransaction:
    """A transaction of the base storage's iterator whose records read decrypted."""

    def __init__(self, transaction, cipher: Cipher):
        self._transaction = transaction
        self._cipher = cipher

    def __iter__(self):
        for record in self._transaction:
            if record.data:
                record.data = self._cipher.decrypt(record.data)
            yield record

    def __getattr__(self, name):
        return getattr(self._transaction, name)


def _remove(path: str) -> None:
    Path(path).unlink(missing_ok=True)
