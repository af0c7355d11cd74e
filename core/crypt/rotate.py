"""Re-encrypting the current records of a database, and their blob files, with the
current key.

The records are rewritten as they are stored (decrypted with whichever key they
name, encrypted with the current one), without unpickling them, in transactions of
:data:`BATCH` records; a blob's record is stored again with its file re-encrypted
chunk by chunk (a new revision: blob files never change in place, so the backups'
hard-linked snapshots keep theirs). A record (and blob file) already under the
current key is left alone, so an interrupted rotation is resumed by running it
again. Earlier revisions (the undo history) and their blob files keep their keys
until the database is packed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ZODB.blob import is_blob_record
from ZODB.Connection import TransactionMetaData
from ZODB.utils import mktemp

from core.crypt.chunked import key_id, seal
from core.crypt.storage import EncryptedStorage

#: Records rewritten per transaction.
BATCH = 1000


@dataclass
class Rotation:
    """What a rotation did: records seen, records rewritten, transactions committed."""

    seen: int = 0
    rewritten: int = 0
    transactions: int = 0


def rotate(db, batch: int = BATCH) -> Rotation:
    """Rewrite every current record of ``db`` (whose storage is an
    :class:`EncryptedStorage`) not encrypted with the current key."""
    storage: EncryptedStorage = db.storage
    base, cipher = storage.base, storage.cipher
    done = Rotation()
    todo: list[tuple[bytes, bytes, bytes, str | None]] = []
    cursor = None
    while True:
        oid, tid, data, cursor = base.record_iternext(cursor)
        done.seen += 1
        plain = cipher.decrypt(data)
        blob = base.loadBlob(oid, tid) if is_blob_record(plain) else None
        if cipher.needs_rewrite(data) or (blob and key_id(blob) != cipher.current):
            todo.append((oid, tid, plain, blob))
        if len(todo) >= batch or (cursor is None and todo):
            _rewrite(storage, todo)
            done.rewritten += len(todo)
            done.transactions += 1
            todo = []
        if cursor is None:
            return done


def _rewrite(storage: EncryptedStorage, records) -> None:
    meta = TransactionMetaData(description="cong rotate-key")
    storage.tpc_begin(meta)
    try:
        for oid, tid, data, blob in records:
            if blob is None:
                storage.store(oid, tid, data, "", meta)
                continue
            resealed = mktemp(dir=storage.base.temporaryDirectory(), prefix="BRK")
            try:
                seal(storage.cipher, blob, resealed)  # decrypted and encrypted chunk by chunk
                storage.base.storeBlob(oid, tid, storage.cipher.encrypt(data), resealed, "", meta)
            finally:
                Path(resealed).unlink(missing_ok=True)  # moved into place unless it failed
        storage.tpc_vote(meta)
        tid = storage.tpc_finish(meta)
    except BaseException:
        storage.tpc_abort(meta)
        raise
    storage.invalidate(tid, {record[0] for record in records})  # other connections see it
