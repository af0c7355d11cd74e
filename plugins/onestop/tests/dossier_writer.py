"""A writer process for the concurrent intake test
(:mod:`plugins.onestop.tests.test_onestop_concurrent`).

``python dossier_writer.py URI DATA_DIR COUNT NOW``: the application on the ZEO
database at URI; as the Receptionist ``tiepnhan3``, submit COUNT dossiers at the
counter of unit 20001 and, after every third, one online at unit 10001, each in
its own transaction, tried again on a conflict, with the clock at NOW (ISO).
After starting it prints ``ready`` and waits for a line on stdin, so that the
test lets every writer go at once. Prints ``{"codes": [...], "conflicts": n}``.
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
from core.fields import Upload
from core.testing import ModelRequest
from plugins.onestop.intake import Submission, submit
from plugins.onestop.persons import parse_person
from plugins.onestop.tests.onestop_setup import APPLICANT, PDF, onestop_settings

ATTEMPTS = 100


def submission(counter: bool) -> Submission:
    applicant, _errors = parse_person(APPLICANT, "json")
    pdf = Upload("scan.pdf", "application/pdf", PDF)
    if counter:
        docs = [("Đơn đề nghị", pdf), ("Bản vẽ", pdf)]
        return Submission("1.000005", applicant, "counter", "counter", "20001", documents=docs)
    return Submission(
        "1.000003", applicant, "online", "online", "10001", documents=[("Tờ khai", pdf)]
    )


def write(model: ModelRequest, counter: bool) -> tuple[str, int]:
    """One dossier in its own transaction: (its code, conflicts met)."""
    conflicts = 0
    for attempt in range(1, ATTEMPTS + 1):
        try:
            model.act_as("tiepnhan3" if counter else None)
            code = submit(model.request, submission(counter), receive=counter).code
            model.commit()
            return code, conflicts
        except ConflictError:
            model.request.tm.abort()
            model.request.tm.begin()
            model.request.__dict__.pop("_onestop_roles", None)
            conflicts += 1
            time.sleep(random.uniform(0, min(0.005 * attempt, 0.05)))
    raise RuntimeError(f"no dossier after {ATTEMPTS} attempts")


def main(uri: str, data_dir: str, count: str, moment: str) -> None:
    set_now(datetime.fromisoformat(moment))
    settings = {"cong.zodb_uri": uri, "cong.write_gate": "false"}
    app = make_app({}, **onestop_settings(data_dir, **settings))
    model = ModelRequest(app)
    print("ready", flush=True)
    sys.stdin.readline()
    codes, conflicts = [], 0
    for i in range(int(count)):
        for counter in (True, False) if i % 3 == 0 else (True,):
            code, met = write(model, counter)
            codes.append(code)
            conflicts += met
    model.close()
    for db in app.registry._zodb_databases.values():
        db.close()
    print(json.dumps({"codes": codes, "conflicts": conflicts}), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
