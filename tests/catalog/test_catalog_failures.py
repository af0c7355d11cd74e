"""One object the full-text index refuses does not stop the indexing of others: it
is recorded, skipped, reported by ``cong catalog check``, and its record goes once
it is indexed."""

from __future__ import annotations

import catalog
from catalog.failures import failures_of
from core import operations as ops
from core.testing import add, run_cong, write_ini
from tests.catalog import test_catalog_cli
from tests.catalog.test_catalog_cli import running, text_titles

BROKEN = "Giới thiệu \ud800 chung"  # stored before such titles were refused
SEPARATE = {"cong.index_in_request": "false"}  # drained below, by hand
site = test_catalog_cli.site  # the fixture: three news items and a page


def test_a_refused_object_is_recorded_skipped_and_reported(site, tmp_path, capsys, model_of):
    with running(site, **SEPARATE) as app:
        with model_of(app) as m:
            folder = m.site["tin-tuc"]
            for title in ("Lịch tiếp công dân", "Kết quả tuyển sinh lớp 10"):
                add(m, folder, "News", state="published", title=title)
            page = m.site["gioi-thieu"]
            page.title = BROKEN  # as older versions stored it, events and all
            catalog.index_object(m.request, m.site.catalog, page)
            add(m, folder, "News", state="published", title="Điều chỉnh giá nước sạch")
            m.commit()
            queued = len(m.site.catalog.queue)
            assert queued >= 4  # the folder too
        assert catalog.get_indexer(app.registry).drain() == queued
        assert text_titles(app, model_of, "tiếp công dân") == ["Lịch tiếp công dân"]
        assert text_titles(app, model_of, "tuyển sinh") == ["Kết quả tuyển sinh lớp 10"]
        assert text_titles(app, model_of, "giá nước") == ["Điều chỉnh giá nước sạch"]
        with model_of(app) as m:
            assert len(m.site.catalog.queue) == 0  # nothing left to fail again and again
            [failure] = failures_of(m.site.catalog)
            assert (failure.uid, failure.path) == (page.uid, "/gioi-thieu")
            assert failure.error.startswith("UnicodeEncodeError")

    ini = write_ini(tmp_path)
    report = run_cong(capsys, ini, "catalog", "check")
    assert report.status == 1
    assert "Objects the full-text indexer could not index: 1\n  /gioi-thieu (uid " in report.out
    assert "UnicodeEncodeError" in report.out
    assert "Objects missing from the full-text index" not in report.out  # counted once

    with running(site, **SEPARATE) as app:
        with model_of(app) as m:
            ops.edit(m.request, m.site["gioi-thieu"], {"title": "Giới thiệu chung"}, "json")
            m.commit()
        catalog.get_indexer(app.registry).drain()
        assert text_titles(app, model_of, "giới thiệu") == ["Giới thiệu chung"]
        with model_of(app) as m:
            assert failures_of(m.site.catalog) == []
    again = run_cong(capsys, ini, "catalog", "check")
    assert again.status == 0 and "No drift" in again.out


def test_check_fix_writes_what_it_can_and_keeps_reporting_the_rest(
    site, tmp_path, capsys, model_of
):
    """``--fix`` indexes the objects missing from the full text one by one when
    needed: the good ones are written, the refused one stays reported."""
    from catalog.backends.whoosh import WhooshBackend

    with running(site, **SEPARATE) as app, model_of(app) as m:
        page = m.site["gioi-thieu"]
        page.title = BROKEN
        catalog.index_object(m.request, m.site.catalog, page)
        m.site.catalog.queue.discard(page.uid, dict(m.site.catalog.queue.peek(9))[page.uid])
        uids = [news.uid for news in m.site["tin-tuc"].values()]
        m.commit()
    WhooshBackend(str(site / "whoosh")).unindex([*uids, page.uid])  # a lost text index
    ini = write_ini(tmp_path)
    fixed = run_cong(capsys, ini, "catalog", "check", "--fix")
    assert fixed.status == 1
    assert "Fixed:" in fixed.out and "3 full-text documents written" in fixed.out
    assert "Still not indexed: 1 object(s)" in fixed.out
    report = run_cong(capsys, ini, "catalog", "check")
    assert "Objects the full-text indexer could not index: 1\n  /gioi-thieu" in report.out
    with running(site) as app:
        assert text_titles(app, model_of, "hội nghị") == ["Hội nghị chuyển đổi số cấp tỉnh"]
