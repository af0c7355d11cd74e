"""``cong backup`` and ``cong restore`` on a real site: backups taken while the
application holds the database, the live data damaged, and a restore to a moment
into a new folder finding what was committed before it and nothing after, its
full-text index put back from a backup's snapshot and brought up to date."""

from __future__ import annotations

import os
import re
import shutil
import time
from datetime import datetime, timedelta

import catalog
from catalog import snapshots
from catalog.backends.whoosh import WhooshBackend
from core import main
from core import operations as ops
from core.clock import TIMEZONE
from core.testing import add, make_settings, run_cong, stored_site, upload, write_ini
from core.workflow import workflow_of

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
#: Changed after the backup whose index snapshot the restore uses, before the moment.
EDITED = ("Quy hoạch bến xe cũ", "Quy hoạch bến xe phía nam")
DELETED = "Giấy mời họp giao ban"
PUBLISHED = "Quy chế chi tiêu nội bộ"  # private, then published
RETRACTED = "Danh sách khen thưởng"  # published, then private again


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


def change_after_the_snapshot(model_of, app) -> None:
    """An edit, a deletion and two workflow transitions (who may find what)."""
    with model_of(app) as m:
        site = m.site
        ops.edit(m.request, site["quy-hoach"], {"title": EDITED[1]}, "json", True)
        ops.delete(m.request, site["giay-moi"])
        for name, transition in (("quy-che", "publish"), ("khen-thuong", "retract")):
            workflow_of(m.request, site[name]).transition(m.request, site[name], transition)
        m.commit()


def titles_found(m, text: str) -> list[str]:
    return [r.title for r in catalog.search(m.request, text=text).records]


def test_a_restore_to_a_moment_brings_back_what_was_committed_before_it(tmp_path, capsys, model_of):
    ini = write_ini(tmp_path, cong_plugins=PLUGINS)
    live = tmp_path / "var"
    app = start(live)  # holds the database while the backups are taken
    try:
        with model_of(app) as m:
            add(m, m.site, "Page", state="published", title=BEFORE[0])
            add(m, m.site, "File", title=BEFORE[1], name="bao-cao",
                file=upload(REPORT, "bao-cao.bin", "application/octet-stream"))  # fmt: skip
            for name, title, state in (("quy-hoach", EDITED[0], "published"),
                                       ("giay-moi", DELETED, "published"),
                                       ("quy-che", PUBLISHED, None),
                                       ("khen-thuong", RETRACTED, "published")):  # fmt: skip
                add(m, m.site, "Page", state=state, title=title, name=name)
            m.commit()
        full = run_cong(capsys, ini, "backup", "--full")
        add_page(model_of, app, BEFORE[2])
        incremental = run_cong(capsys, ini, "backup")  # its index snapshot is the one used
        change_after_the_snapshot(model_of, app)
        add_page(model_of, app, BEFORE[3])  # in no backup taken before the moment
        moment = datetime.now(TIMEZONE).replace(microsecond=0) + timedelta(seconds=1)
        past_second(moment)  # the moment falls between two commits
        add_page(model_of, app, AFTER)
        later = run_cong(capsys, ini, "backup")  # restored, its snapshot too new
        unchanged = run_cong(capsys, ini, "backup")
    finally:
        close(app)
    assert full.status == 0 and full.out.startswith("Full backup"), full.err
    assert "verified" in full.out and "Full-text index snapshot" in full.out
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
    snapshot_of = incremental.out.split()[2]
    assert f"from the index snapshot of {snapshot_of} (UTC)" in restored.out
    assert "Reindexed" not in restored.out  # not rebuilt

    with stored_site(target) as site:
        titles = {obj.title for obj in site.values()}
    assert set(BEFORE) <= titles and AFTER not in titles
    app = start(target)
    try:
        with model_of(app) as m:
            with m.site["bao-cao"].open() as stored:
                assert stored.read() == REPORT
            assert titles_found(m, "quý một") == [BEFORE[1]]
            assert titles_found(m, "phía nam") == [EDITED[1]]
            assert titles_found(m, "bến xe cũ") == []
            assert titles_found(m, "giấy mời giao ban") == []
            assert titles_found(m, "tiếp công dân") == [BEFORE[2]]
            assert titles_found(m, "trúng tuyển") == [BEFORE[3]]
            assert titles_found(m, "tuyển dụng") == []
            assert titles_found(m, "khen thưởng") == [RETRACTED]  # the admin sees it
            m.act_as(None)
            assert titles_found(m, "quy chế chi tiêu") == [PUBLISHED]
            assert titles_found(m, "khen thưởng") == []
    finally:
        close(app)


def test_old_backups_are_deleted_and_a_restore_needs_something_before_the_moment(
    tmp_path, capsys, monkeypatch
):
    ini = write_ini(tmp_path, cong_plugins=PLUGINS)
    with open(ini, "a", encoding="utf-8") as settings:  # write_ini makes "_" a "."
        settings.write("cong.backup_keep = 1\n")
    close(start(tmp_path / "var"))
    shutil.rmtree(tmp_path / "var" / "whoosh")  # as on a ZEO server's host
    first = run_cong(capsys, ini, "backup")
    assert first.out.startswith("Full backup")  # the first one is full
    assert "The full-text index here is empty while the catalog holds" in first.out
    stamp = first.out.split()[2]
    monkeypatch.setattr(snapshots, "LOCK_WAIT", 0.2)
    index = WhooshBackend(str(tmp_path / "var" / "whoosh"))
    try:
        with index.hold(1):  # another process writing the index
            second = run_cong(capsys, ini, "backup", "--full")
    finally:
        index.close()
    assert second.status == 0 and second.out.startswith("Full backup")
    assert f"Deleted 1 old backup(s): {stamp}." in second.out
    assert "Warning: the full-text index stayed locked for 0.2 s" in second.out
    backups = tmp_path / "backups"
    assert not [p for p in backups.rglob("*") if p.name.startswith(stamp)]
    assert os.listdir(backups / "text") == []  # the first one's snapshot deleted with it
    target = str(tmp_path / "restored")
    early = run_cong(capsys, ini, "restore", "--into", target, "--until", "2001-01-01 08:00")
    assert early.status == 1 and "hold nothing committed at or before" in early.err
    garbled = run_cong(capsys, ini, "restore", "--into", target, "--until", "hôm qua")
    assert garbled.status == 2 and "is not a moment like" in garbled.err
    assert not os.path.exists(target)
    rebuilt = run_cong(capsys, ini, "restore", "--into", target)
    assert rebuilt.status == 0, rebuilt.err
    assert "Rebuilding the full-text index: no snapshot of it" in rebuilt.out
    assert "Reindexed" in rebuilt.out
