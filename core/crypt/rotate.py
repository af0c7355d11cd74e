"""Re-encrypting the current records of a database with the current key.

The records are rewritten as they are stored (decrypted with whichever key they
name, encrypted with the current one), without unpickling them, in transactions of
:data:`BATCH` records; a record already under the current key is left alone, so an
interrupted rotation is resumed by running it again. Earlier revisions (the undo
history) keep their keys until the database is packed.
"""

from __future__ import annotations

from dataclasses import dataclass

from ZODB.Connection import TransactionMetaData

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
    todo: list[tuple[bytes, bytes, bytes]] = []
    cursor = None
    while True:
        oid, tid, data, cursor = base.record_iternext(cursor)
        done.seen += 1
        if cipher.needs_rewrite(data):
            todo.append((oid, tid, cipher.decrypt(data)))
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
        for oid, tid, data in records:
            storage.store(oid, tid, data, "", meta)
        storage.tpc_vote(meta)
        tid = storage.tpc_finish(meta)
    except BaseException:
        storage.tpc_abort(meta)
        raise
    storage.invalidate(tid, {oid for oid, _tid, _data in records})  # other connections see it
