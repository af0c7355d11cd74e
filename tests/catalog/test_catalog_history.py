"""The uids queued for the full-text index after a transaction, read back from a
FileStorage's history (what a restore from an index snapshot indexes again)."""

from __future__ import annotations

import pytest
import transaction
from ZODB import DB
from ZODB.FileStorage import FileStorage
from ZODB.utils import p64, u64

from catalog.history import NotInHistory, queued_after
from catalog.queue import INDEX, UNINDEX, IndexQueue


def test_the_uids_queued_after_a_transaction_and_none_before(tmp_path):
    db = DB(FileStorage(str(tmp_path / "Data.fs")))
    conn = db.open()
    try:
        root = conn.root()
        root["queue"] = IndexQueue()
        root["queue"].put("truoc", INDEX)
        transaction.commit()
        snapshot = db.lastTransaction()
        root["other"] = {"not": ("a", "queue", 1)}  # other records are not read as entries
        transaction.commit()
        root["queue"].put("sua", INDEX)
        root["queue"].put("xoa", UNINDEX)
        transaction.commit()
        for n in range(200):  # enough to split the tree into buckets
            root["queue"].put(f"moi-{n}", INDEX)
        transaction.commit()
        found = queued_after(db.storage, snapshot)
        assert {"sua", "xoa", *(f"moi-{n}" for n in range(200))} <= found
        assert found <= {"truoc", "sua", "xoa", *(f"moi-{n}" for n in range(200))}
        assert queued_after(db.storage, db.lastTransaction()) == set()
        with pytest.raises(NotInHistory):  # a transaction the file does not hold (packed)
            queued_after(db.storage, p64(u64(snapshot) - 1))
    finally:
        conn.close()
        db.close()
