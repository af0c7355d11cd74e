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
"""

from __future__ import annotations

import os
from pathlib import Path

import ZODB.blob
import ZODB.interfaces
import zope.interface
from ZODB.utils import mktemp

from core.crypt.chunked import open_decrypted, seal
from core.crypt.records import Cipher


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
