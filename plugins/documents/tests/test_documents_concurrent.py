"""Numbers under concurrent registration: clerks in separate processes sharing one
database (ZEO) register incoming documents and issue outgoing ones at the same
moment; arrival numbers and numbers + notations are never given twice and follow
each other without a gap."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import ZEO

from core import main
from core.clock import frozen
from core.testing import ModelRequest
from plugins.documents.entries import parse_outgoing
from plugins.documents.registration import create_outgoing
from plugins.documents.tests.documents_setup import documents_settings, province
from plugins.documents.transitions import perform
from plugins.documents.units import office_of

REPO = Path(__file__).resolve().parents[3]
WRITER = Path(__file__).with_name("register_writer.py")
WRITERS, DOCUMENTS = 2, 8
#: 10:00 on Tuesday 3 March 2026 in Hà Nội.
MOMENT = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)


def signed_drafts(model, count: int) -> list[str]:
    """``count`` outgoing decisions of unit 20001, signed and waiting for their
    number."""
    office = office_of(model.site, "20001")
    ids = []
    for _ in range(count):
        model.act_as("chuyenvien1")
        values = parse_outgoing(model.request, {"type": "QĐ", "summary": "Quyết định"}, "json")
        document = create_outgoing(model.request, office, values)
        perform(model.request, document, "submit")
        model.act_as("lanhdao1")
        perform(model.request, document, "sign")
        ids.append(document.id)
    model.commit()
    return ids


def test_clerks_in_separate_processes_never_share_a_number(tmp_path):
    data_dir = tmp_path / "var"
    blobs = tmp_path / "blobs"
    address, stop_server = ZEO.server(path=str(tmp_path / "Data.fs"), blob_dir=str(blobs))
    uri = f"zeo://{address[0]}:{address[1]}?blob_dir={blobs}&shared_blob_dir=true"
    settings = documents_settings(data_dir, **{"cong.zodb_uri": uri, "cong.write_gate": "false"})
    app = main({}, **settings)
    processes = []
    try:
        model = ModelRequest(app)
        province(model)
        with frozen(MOMENT):
            drafts = signed_drafts(model, WRITERS * DOCUMENTS)
        model.close()
        env = dict(os.environ, PYTHONPATH=str(REPO))
        command = [sys.executable, "-W", "ignore", str(WRITER), uri, str(data_dir)]
        for n in range(WRITERS):
            mine = ",".join(drafts[n * DOCUMENTS : (n + 1) * DOCUMENTS])
            processes.append(
                subprocess.Popen(
                    [*command, str(DOCUMENTS), MOMENT.isoformat(), mine],
                    cwd=REPO,
                    env=env,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                )
            )
        assert [p.stdout.readline().strip() for p in processes] == ["ready"] * WRITERS
        for process in processes:  # all started: let them go at once
            process.stdin.write("go\n")
            process.stdin.flush()
        results = [json.loads(p.communicate(timeout=120)[0]) for p in processes]
        assert [p.returncode for p in processes] == [0] * WRITERS
        arrivals = sorted(n for result in results for n in result["arrivals"])
        assert arrivals == list(range(1, WRITERS * DOCUMENTS + 1))
        notations = [n for result in results for n in result["notations"]]
        assert sorted(notations) == [f"{n:02d}/QĐ-SXD" for n in range(1, WRITERS * DOCUMENTS + 1)]
        model = ModelRequest(app)
        try:
            office = office_of(model.site, "20001")
            assert [number for _year, number in office.incoming_register] == arrivals
            assert len(office.notations) == WRITERS * DOCUMENTS
        finally:
            model.close()
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        for db in app.registry._zodb_databases.values():
            db.close()
        stop_server()
