"""``cong backup`` and ``cong restore`` on a real site: backups taken while the
application holds the database, the live data damaged, and a restore to a moment
into a new folder finding what was committed before it and nothing after."""

from __future__ import annotations

import os
import re
import time
from datetime import datetime, timedelta

import catalog
from core import main
from core.clock import TIMEZONE
from core.testing import add, make_settings, run_cong, stored_site, upload, write_ini

PLUGINS = "news schedule search services"
#: The bytes of a file item (not text), to be restored byte for byte.
REPORT = bytes(range(256)) * 40 + "Báo cáo quý".encode()
BEFORE = [
    "Kế hoạch chuyển đổi số",
    "Báo cáo quý một",
    "Lịch tiếp công dân tháng sáu",
    "Danh sách trúng tuyển",
]
AFTER = "Thông báo tuyển dụng viên chức"


def start(data_dir):
    return main({}, **make_settings(data_dir, **{"cong.plugins": PLUGINS}))


def close(app) -> None:
    catalog.close_backend(app.registry)
    for db in app.registry._zodb_databases.values():
        db.close()


def add_page(model_of, app, title: str) -> None:
    with model_of(app) as m:
        add(m, m.site, "Page", state="published", title=title)
        m.commit()


def past_second(moment: datetime) -> None:
    """Wait until the clock is past ``moment``'s second (backups are named by second)."""
    while datetime.now(TIMEZONE).replace(microsecond=0) <= moment:
        time.sleep(0.05)


def damage(data_fs) -> None:
    """What a failing disk does to the live database: half of it gone, zeros at its start."""
    with open(data_fs, "r+b") as damaged:
        damaged.truncate(os.path.getsize(data_fs) // 2)
        damaged.seek(100)
        damaged.write(b"\0" * 4000)


def test_a_restore_to_a_moment_brings_back_what_was_committed_before_it(tmp_path, capsys, model_of):
    ini = write_ini(tmp_path, cong_plugins=PLUGINS)
    live = tmp_path / "var"
    app = start(live)  # holds the database while the backups are taken
    try:
        with model_of(app) as m:
            add(m, m.site, "Page", state="published", title=BEFORE[0])
            add(m, m.site, "File", title=BEFORE[1], name="bao-cao",
                file=upload(REPORT, "bao-cao.bin", "application/octet-stream"))  # fmt: skip
            m.commit()
        full = run_cong(capsys, ini, "backup", "--full")
        add_page(model_of, app, BEFORE[2])
        incremental = run_cong(capsys, ini, "backup")
        add_page(model_of, app, BEFORE[3])  # in no backup taken before the moment
        moment = datetime.now(TIMEZONE).replace(microsecond=0) + timedelta(seconds=1)
        past_second(moment)  # the moment falls between two commits
        add_page(model_of, app, AFTER)
        later = run_cong(capsys, ini, "backup")
        unchanged = run_cong(capsys, ini, "backup")
    finally:
        close(app)
    assert full.status == 0 and full.out.startswith("Full backup"), full.err
    assert "verified" in full.out
    blobs = int(re.search(r"(\d+) blob file\(s\) copied", full.out).group(1))
    assert incremental.status == 0 and incremental.out.startswith("Incremental backup")
    assert f"0 blob file(s) copied, {blobs} kept from the previous backup" in incremental.out
    assert later.status == 0 and later.out.startswith("Incremental backup")
    assert unchanged.out.startswith("Nothing changed since the last backup")
    damage(live / "Data.fs")

    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "ghi-chu.txt").write_text("giữ nguyên", encoding="utf-8")
    live_files = sorted(os.listdir(live))
    onto_live = run_cong(capsys, ini, "restore", "--into", str(live))
    assert onto_live.status == 2 and "is the live data folder" in onto_live.err
    onto_busy = run_cong(capsys, ini, "restore", "--into", str(busy))
    assert onto_busy.status == 2 and "exists and is not empty" in onto_busy.err
    assert sorted(os.listdir(live)) == live_files and os.listdir(busy) == ["ghi-chu.txt"]

    target = tmp_path / "restored"
    until = moment.strftime("%Y-%m-%d %H:%M:%S")
    restored = run_cong(capsys, ini, "restore", "--into", str(target), "--until", until)
    assert restored.status == 0, restored.err
    assert "Restored the backup" in restored.out and f"{blobs} blob file(s)" in restored.out
    assert re.search(r"Left out [12] transaction\(s\) committed after", restored.out)
    print(full.out, incremental.out, restored.out)
    assert "index snapshot of" in restored.out

    with stored_site(target) as site:
        titles = {obj.title for obj in site.values()}
    assert set(BEFORE) <= titles and AFTER not in titles
    app = start(target)
    try:
        with model_of(app) as m:
            with m.site["bao-cao"].open() as stored:
                assert stored.read() == REPORT
            found = catalog.search(m.request, text="quý một").records
            assert [r.title for r in found] == [BEFORE[1]]
            found = catalog.search(m.request, text="tuyển dụng").records
            assert found == []
    finally:
        close(app)


def test_old_backups_are_deleted_and_a_restore_needs_something_before_the_moment(tmp_path, capsys):
    ini = write_ini(tmp_path, cong_plugins=PLUGINS)
    with open(ini, "a", encoding="utf-8") as settings:  # write_ini makes "_" a "."
        settings.write("cong.backup_keep = 1\n")
    close(start(tmp_path / "var"))
    first = run_cong(capsys, ini, "backup")
    assert first.out.startswith("Full backup")  # the first one is full
    stamp = first.out.split()[2]
    second = run_cong(capsys, ini, "backup", "--full")
    assert (
        second.out.startswith("Full backup") and f"Deleted 1 old backup(s): {stamp}." in second.out
    )
    backups = tmp_path / "backups"
    assert not [p for p in backups.rglob("*") if p.name.startswith(stamp)]
    target = str(tmp_path / "restored")
    early = run_cong(capsys, ini, "restore", "--into", target, "--until", "2001-01-01 08:00")
    assert early.status == 1 and "hold nothing committed at or before" in early.err
    garbled = run_cong(capsys, ini, "restore", "--into", target, "--until", "hôm qua")
    assert garbled.status == 2 and "is not a moment like" in garbled.err
    assert not os.path.exists(target)
