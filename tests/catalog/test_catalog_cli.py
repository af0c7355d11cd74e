"""``cong reindex``, ``cong catalog check [--fix]`` and ``cong indexer`` on a real
site: the indexes are rebuilt from the database, drift is found and repaired."""

from __future__ import annotations

import shutil
from contextlib import contextmanager

import pytest
import transaction
from ZODB import DB
from ZODB.FileStorage import FileStorage

import catalog
from catalog.backends.whoosh import WhooshBackend
from core.testing import add, make_settings, run_cong, write_ini

NEWS = ["Hội nghị chuyển đổi số cấp tỉnh", "Giải ngân vốn đầu tư công", "Lễ hội hoa ban"]


def start(data_dir, **settings):
    from core import main

    return main({}, **make_settings(data_dir, **settings))


def stop(app):
    catalog.close_backend(app.registry)
    for db in app.registry._zodb_databases.values():
        db.close()


@contextmanager
def running(data_dir, **settings):
    app = start(data_dir, **settings)
    try:
        yield app
    finally:
        stop(app)


@contextmanager
def stored(data_dir):
    """The stored site, changed behind the application's back (committed on exit)."""
    db = DB(FileStorage(str(data_dir / "Data.fs")))
    tm = transaction.TransactionManager()
    conn = db.open(tm)
    try:
        with tm:
            yield conn.root()["cong"]
    finally:
        conn.close()
        db.close()


def text_titles(app, model_of, text: str) -> list[str]:
    with model_of(app, None) as m:
        return sorted(r.title for r in catalog.search(m.request, text=text).records)


@pytest.fixture
def site(data_dir, model_of):
    """A site with three published news items in /tin-tuc and a page at the top."""
    with running(data_dir) as app, model_of(app) as m:
        folder = add(m, m.site, "Folder", state="published", title="Tin tức", name="tin-tuc")
        for title in NEWS:
            add(m, folder, "News", state="published", title=title)
        add(m, m.site, "Page", state="published", title="Giới thiệu chung", name="gioi-thieu")
        m.commit()
    return data_dir


def test_reindex_rebuilds_a_lost_text_index_with_a_progress_bar(site, tmp_path, capsys, model_of):
    shutil.rmtree(site / "whoosh")
    result = run_cong(capsys, write_ini(tmp_path), "reindex")
    assert result.status == 0
    # the folder, three news items, the page and the services plugin's own catalog
    assert result.out.strip() == "Reindexed 6 object(s)."
    assert "6/6" in result.err and "100%" in result.err
    with running(site) as app:
        assert text_titles(app, model_of, "chuyen doi so") == [NEWS[0]]
        with model_of(app, None) as m:
            assert catalog.search(m.request, path="/tin-tuc").total == 4


def test_reindex_of_one_folder(site, tmp_path, capsys):
    ini = write_ini(tmp_path)
    assert run_cong(capsys, ini, "reindex", "--path", "/tin-tuc").out.strip() == (
        "Reindexed 4 object(s) under /tin-tuc."
    )
    missing = run_cong(capsys, ini, "reindex", "--path", "/khong-co")
    assert missing.status == 2 and "There is no object at /khong-co" in missing.err


def test_catalog_check_reports_drift_and_fix_repairs_it(site, tmp_path, capsys, model_of):
    ini = write_ini(tmp_path)
    clean = run_cong(capsys, ini, "catalog", "check")
    assert clean.status == 0 and "No drift" in clean.out
    with stored(site) as root:  # changes made without the events the catalog hears
        folder = root["tin-tuc"]
        gone = folder.detach(folder.keys()[0])  # deleted behind the catalog's back
        renamed = folder[folder.keys()[0]]
        renamed.title = "Giải ngân vốn đầu tư công năm 2025"
        page_uid = root["gioi-thieu"].uid
    WhooshBackend(str(site / "whoosh")).unindex([page_uid])

    report = run_cong(capsys, ini, "catalog", "check")
    assert report.status == 1
    assert "Catalog entries without an object: 1" in report.out
    assert "Catalog entries out of date: 1" in report.out
    assert "Objects missing from the full-text index: 1\n  /gioi-thieu" in report.out
    assert "Full-text documents without an object: 1" in report.out
    assert "cong catalog check --fix" in report.out

    fixed = run_cong(capsys, ini, "catalog", "check", "--fix")
    assert fixed.status == 0 and "Fixed:" in fixed.out
    again = run_cong(capsys, ini, "catalog", "check")
    assert again.status == 0 and "No drift" in again.out
    with running(site) as app:
        assert text_titles(app, model_of, "hội nghị") == []  # the detached news is gone
        assert text_titles(app, model_of, "năm 2025") == ["Giải ngân vốn đầu tư công năm 2025"]
        assert text_titles(app, model_of, "giới thiệu") == ["Giới thiệu chung"]
        with model_of(app, None) as m:
            assert gone.uid not in {r.uid for r in catalog.search(m.request).records}


def test_the_indexer_drains_work_left_by_the_application(data_dir, tmp_path, capsys, model_of):
    separate = {"cong.index_in_request": "false"}  # a separate indexer process does it
    with running(data_dir, **separate) as app, model_of(app) as m:
        catalog.get_indexer(app.registry).drain()  # what the plugins' structures queued at start
        add(m, m.site, "News", state="published", title=NEWS[2])
        m.commit()
    ini = write_ini(tmp_path)
    ini.write_text(ini.read_text(encoding="utf-8") + "cong.index_in_request = false\n", "utf-8")
    result = run_cong(capsys, ini, "indexer", "--once")
    assert result.status == 0 and result.out.strip() == "Indexed 1 queued change(s)."
    assert run_cong(capsys, ini, "indexer", "--once").out.strip() == "Indexed 0 queued change(s)."
    with running(data_dir, **separate) as app:
        assert text_titles(app, model_of, "hoa ban") == [NEWS[2]]
