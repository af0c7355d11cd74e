"""A writer process for the concurrent numbering test
(:mod:`plugins.documents.tests.test_documents_concurrent`).

``python register_writer.py URI DATA_DIR COUNT NOW IDS``: the application on the
ZEO database at URI; as the clerk ``vanthu1``, register COUNT incoming documents
in unit 20001's register and issue the signed outgoing documents IDS (comma
separated), each in its own transaction, tried again on a conflict, with the
clock at NOW (ISO). After starting it prints ``ready`` and waits for a line on
stdin, so that the test lets every writer go at once. Prints ``{"arrivals":
[...], "notations": [...], "conflicts": n}``.
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import datetime

from ZODB.POSException import ConflictError

from core import main as make_app
from core.clock import set_now
from core.testing import ModelRequest
from plugins.documents.entries import parse_incoming
from plugins.documents.registration import register_incoming
from plugins.documents.tests.documents_setup import documents_settings
from plugins.documents.transitions import perform
from plugins.documents.units import office_of

ATTEMPTS = 100
INCOMING = {
    "sender": "UBND tỉnh",
    "notation": "12/UBND-KT",
    "document_date": "2026-03-02",
    "type": "cong-van",
    "summary": "Về việc báo cáo tình hình",
}


def retried(model: ModelRequest, work):
    """``work()`` in its own transaction, tried again on a conflict: (its result,
    conflicts met)."""
    conflicts = 0
    for attempt in range(1, ATTEMPTS + 1):
        try:
            model.act_as("vanthu1")
            result = work()
            model.commit()
            return result, conflicts
        except ConflictError:
            model.request.tm.abort()
            model.request.tm.begin()
            model.request.__dict__.pop("_documents_roles", None)
            conflicts += 1
            time.sleep(random.uniform(0, min(0.005 * attempt, 0.05)))
    raise RuntimeError(f"nothing done after {ATTEMPTS} attempts")


def main(uri: str, data_dir: str, count: str, moment: str, ids: str) -> None:
    set_now(datetime.fromisoformat(moment))
    settings = {"cong.zodb_uri": uri, "cong.write_gate": "false"}
    app = make_app({}, **documents_settings(data_dir, **settings))
    model = ModelRequest(app)
    print("ready", flush=True)
    sys.stdin.readline()

    def register():
        values = parse_incoming(model.request, dict(INCOMING), "json")
        office = office_of(model.site, "20001")
        return register_incoming(model.request, office, values).arrival_number

    def issue(doc_id):
        document = office_of(model.site, "20001").documents[doc_id]
        return perform(model.request, document, "issue").notation

    arrivals, notations, conflicts = [], [], 0
    pending = [doc_id for doc_id in ids.split(",") if doc_id]
    for _ in range(int(count)):
        number, met = retried(model, register)
        arrivals.append(number)
        conflicts += met
        if pending:
            doc_id = pending.pop()
            notation, met = retried(model, lambda doc_id=doc_id: issue(doc_id))
            notations.append(notation)
            conflicts += met
    model.close()
    for db in app.registry._zodb_databases.values():
        db.close()
    print(json.dumps({"arrivals": arrivals, "notations": notations, "conflicts": conflicts}))


if __name__ == "__main__":
    main(*sys.argv[1:])
