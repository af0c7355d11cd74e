"""``cong reindex --workers N`` on a real site (FileStorage, whoosh index): worker
processes write the full text as segments committed at the end; what a visitor
finds is the same as with one process, and a failed rebuild changes nothing."""

from __future__ import annotations

import pytest
from ZODB import DB
from ZODB.FileStorage import FileStorage

import catalog
from catalog.backends import BackendBusy, WorkerFailed
from catalog.backends.whoosh import WhooshBackend
from catalog.backends.whoosh_parallel import BulkRebuild
from catalog.security import query_principals
from core.testing import add, run_cong, write_ini
from tests.catalog.test_catalog_cli import running
from tests.catalog.test_whoosh_backend import DOCS

QUERIES = ("dịch vụ công", "hanh chinh", "hội nghị", "hòa giải", "đà nẵng", "người dân")


@pytest.fixture
def site(data_dir, model_of):
    """A site with a folder of news, pages and a subfolder: 12 objects with text."""
    with running(data_dir) as app, model_of(app) as m:
        news = add(m, m.site, "Folder", state="published", title="Tin tức", name="tin-tuc")
        for doc in DOCS:
            add(m, news, "News", state="published", title=doc.title, text=f"<p>{doc.body}</p>")
        sub = add(m, news, "Folder", state="published", title="Hòa giải cơ sở", name="hoa-giai")
        add(m, sub, "Page", title="Dịch vụ công ở xã", text="<p>Người dân nộp hồ sơ.</p>")
        m.commit()
    return data_dir


def found(data_dir, model_of) -> dict:
    """What the visitor and the admin find for each query: the total, the hits with
    their scores (ties may come in either order) and the snippets."""
    with running(data_dir) as app:
        backend = catalog.get_backend(app.registry)
        answers = {}
        for user in (None, "admin"):
            with model_of(app, user) as m:
                principals = query_principals(m.request)
                for text in QUERIES:
                    results = backend.search(text, principals=principals, size=50)
                    hits = sorted((hit.uid, hit.score, hit.snippet) for hit in results.hits)
                    answers[user, text] = (results.total, hits)
        return answers


def unscored(answers: dict) -> dict:
    return {
        key: (total, [(uid, snippet) for uid, _s, snippet in hits])
        for key, (total, hits) in answers.items()
    }


def segments(data_dir) -> int:
    backend = WhooshBackend(str(data_dir / "whoosh"))
    try:
        return backend.stats()["segments"]
    finally:
        backend.close()


def test_two_workers_index_what_one_process_indexes(site, tmp_path, capsys, model_of):
    ini = write_ini(tmp_path)
    one = run_cong(capsys, ini, "reindex", "--workers", "1")
    assert one.status == 0 and one.out.strip() == "Reindexed 13 object(s)."
    assert segments(site) == 1
    expected = found(site, model_of)
    visitor, admin = expected[None, "dịch vụ công"], expected["admin", "dịch vụ công"]
    assert admin[0] == visitor[0] + 1 >= 3  # the private page is the admin's only

    two = run_cong(capsys, ini, "reindex", "--workers", "2")
    assert two.status == 0 and two.out.strip() == "Reindexed 13 object(s)."
    assert "13/13" in two.err
    assert segments(site) == 2  # one segment per worker, the old one gone
    assert found(site, model_of) == expected
    check = run_cong(capsys, ini, "catalog", "check")
    assert check.status == 0 and "No drift" in check.out


def test_a_folder_reindexed_by_workers_replaces_its_documents(site, tmp_path, capsys, model_of):
    ini = write_ini(tmp_path)
    run_cong(capsys, ini, "reindex", "--workers", "1")
    expected = found(site, model_of)
    result = run_cong(capsys, ini, "reindex", "--path", "/tin-tuc/hoa-giai", "--workers", "2")
    assert result.out.strip() == "Reindexed 2 object(s) under /tin-tuc/hoa-giai."
    # Rewritten, not doubled (scores move a little: whoosh counts the replaced
    # documents in its statistics until their segment is merged).
    assert unscored(found(site, model_of)) == unscored(expected)
    assert run_cong(capsys, ini, "catalog", "check").status == 0


def test_workers_refuses_nonsense(site, tmp_path, capsys):
    result = run_cong(capsys, write_ini(tmp_path), "reindex", "--workers", "0")
    assert result.status == 2 and "--workers must be 1 or more" in result.err


def test_a_read_only_file_storage_opens_while_another_process_holds_the_lock(tmp_path):
    path = str(tmp_path / "Data.fs")
    writer = DB(FileStorage(path))
    try:
        with pytest.raises(Exception, match="lock"):
            FileStorage(path)  # a second writer is refused
        reader = DB(FileStorage(path, read_only=True))
        assert reader.open().root() is not None
        reader.close()
    finally:
        writer.close()


# the rebuild itself -------------------------------------------------------------------
def _texts(share):
    """Documents for a share of uids (a worker's job, run in the worker)."""
    by_uid = {doc.uid: doc for doc in DOCS}
    for uid in share:
        yield by_uid[uid]


def _broken(share):
    yield DOCS[0]
    raise ValueError("the database went away")


def _search(backend, text: str) -> list[tuple[str, float]]:
    results = backend.search(text, principals=["system.Everyone", "role:Editor"])
    return [(hit.uid, hit.score) for hit in results.hits]


def test_a_failed_worker_leaves_the_index_as_it_was(tmp_path):
    backend = WhooshBackend(str(tmp_path / "whoosh"))
    try:
        backend.index(DOCS[:4])
        before = _search(backend, "bán hàng"), backend.stats()["documents"]
        rebuild = BulkRebuild(backend, replace=True)
        with pytest.raises(WorkerFailed, match="the database went away"):
            rebuild.write_in_workers([[d.uid for d in DOCS[4:]], ["x"]], _broken)
        rebuild.cancel()
        assert (_search(backend, "bán hàng"), backend.stats()["documents"]) == before
        backend.index([DOCS[5]])  # the lock was released; the leftovers are cleaned
        assert backend.stats()["documents"] == 5
    finally:
        backend.close()


def test_the_write_lock_is_held_until_the_rebuild_commits(tmp_path):
    backend = WhooshBackend(str(tmp_path / "whoosh"))
    other = WhooshBackend(str(tmp_path / "whoosh"), write_timeout=0.2)
    try:
        backend.index(DOCS[:2])
        rebuild = BulkRebuild(backend, replace=True)
        refused = []

        def meanwhile(written):
            try:
                other.index([DOCS[3]])
            except BackendBusy:
                refused.append(True)
            assert _search(other, "chợ phiên") == []  # searches see the old index
            assert _search(other, "hội nghị") == _search(backend, "hội nghị") != []

        shares = [[d.uid for d in DOCS[:5]], [d.uid for d in DOCS[5:]]]
        assert rebuild.write_in_workers(shares, _texts, while_waiting=meanwhile) == len(DOCS)
        rebuild.commit()
        assert refused == [True]
        assert other.stats()["documents"] == len(DOCS)
        assert {uid for uid, _score in _search(other, "chợ phiên")} == {"ban-hang"}  # a new one
    finally:
        other.close()
        backend.close()


def test_documents_written_by_workers_score_as_in_one_segment(tmp_path):
    one = WhooshBackend(str(tmp_path / "one"))
    two = WhooshBackend(str(tmp_path / "two"))
    try:
        one.index(DOCS)
        rebuild = BulkRebuild(two, replace=True)
        uids = [d.uid for d in DOCS]
        rebuild.write_in_workers([uids[:4], uids[4:]], _texts)
        rebuild.commit()
        assert two.stats()["segments"] == 2
        for text in ("dịch vụ công trực tuyến", "hoà giải", "nông sản", "đà nẵng"):
            assert sorted(_search(two, text)) == sorted(_search(one, text))
    finally:
        one.close()
        two.close()
