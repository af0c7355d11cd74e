"""Dossier codes under concurrent intake: writers in separate processes sharing
one database (ZEO) get distinct codes following each other per unit and day,
and every dossier is kept at its desk and in the province's register."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import ZEO

from core import main
from core.testing import ModelRequest
from plugins.onestop.tests.onestop_setup import onestop_settings, province
from plugins.onestop.units import desk_of

REPO = Path(__file__).resolve().parents[3]
WRITER = Path(__file__).with_name("dossier_writer.py")
WRITERS, DOSSIERS = 2, 8
#: 10:00 on Tuesday 3 March 2026 in Hà Nội.
MOMENT = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)


def test_writers_in_separate_processes_get_distinct_consecutive_codes(tmp_path):
    data_dir = tmp_path / "var"
    blobs = tmp_path / "blobs"
    address, stop_server = ZEO.server(path=str(tmp_path / "Data.fs"), blob_dir=str(blobs))
    uri = f"zeo://{address[0]}:{address[1]}?blob_dir={blobs}&shared_blob_dir=true"
    settings = onestop_settings(data_dir, **{"cong.zodb_uri": uri, "cong.write_gate": "false"})
    app = main({}, **settings)
    processes = []
    try:
        model = ModelRequest(app)
        province(model)
        model.close()
        env = dict(os.environ, PYTHONPATH=str(REPO))
        command = [sys.executable, "-W", "ignore", str(WRITER), uri, str(data_dir)]
        for _ in range(WRITERS):
            processes.append(
                subprocess.Popen(
                    [*command, str(DOSSIERS), MOMENT.isoformat()],
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
        codes = [code for result in results for code in result["codes"]]
        assert len(codes) == len(set(codes)) == WRITERS * (DOSSIERS + (DOSSIERS + 2) // 3)
        by_unit = defaultdict(list)
        for code in codes:
            unit, day, number = code.split("-")
            assert day == "260303"
            by_unit[unit].append(int(number))
        assert sorted(by_unit["20001"]) == list(range(1, WRITERS * DOSSIERS + 1))
        assert sorted(by_unit["10001"]) == list(range(1, WRITERS * ((DOSSIERS + 2) // 3) + 1))
        model = ModelRequest(app)
        try:
            assert set(model.site.onestop.codes) == set(codes)
            kept = set(desk_of(model.site, "20001").dossiers) | set(
                desk_of(model.site, "10001").dossiers
            )
            assert kept == set(codes)
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
