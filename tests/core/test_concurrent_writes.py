"""Concurrent writers: every add answered 201 and stored, none lost; a conflict that
cannot resolve is answered 503 with Retry-After, never 500 (decision 0016).

The writers are threads POSTing to one real app served by waitress on a loopback
port, on one FileStorage database (the harness of the bench
``tests/bench/concurrent_writes.py``)."""

from __future__ import annotations

import threading

import pytest
import transaction
from ZODB.POSException import ConflictError

from core import operations as ops
from core.hookspecs import hookimpl
from core.site import get_site
from core.testing import ModelRequest, login
from core.workflow import workflow_of
from tests.bench.concurrent_writes import FOLDER, Server, build_app, lost_items, run_writers

WRITERS = 20
CREATES = 10


def close(app) -> None:
    from catalog import close_backend

    close_backend(app.registry)
    for db in app.registry._zodb_databases.values():
        db.close()


def test_twenty_writers_adding_to_one_folder_all_succeed_and_nothing_is_lost(tmp_path):
    app = build_app(str(tmp_path))
    try:
        with Server(app, threads=WRITERS) as server:
            run = run_writers(server.port, WRITERS, CREATES)
        assert run.failures == []
        assert dict(run.statuses) == {201: WRITERS * CREATES}
        assert lost_items(app, run) == []  # in the folder, its order, the catalog, the text
    finally:
        close(app)


# transactions that overlap: each change made in a connection of its own, all
# committed after all were made (what concurrent requests do) -------------------------
def _add(m, n):
    return ops.create(m.request, m.site[FOLDER], "Page", {"title": f"Tin {n}"})


def _edit(m, n):
    ops.edit(m.request, m.site[FOLDER][f"tin-{n}"], {"title": f"Tin {n} (sửa)"})


def _publish(m, n):
    page = m.site[FOLDER][f"tin-{n}"]
    workflow_of(m.request, page).transition(m.request, page, "publish")


@pytest.mark.parametrize("change", [_add, _edit, _publish], ids=["add", "edit", "publish"])
def test_overlapping_changes_to_items_of_one_folder_all_commit(tmp_path, model_of, change):
    """Four transactions each add (or edit, publish) an item of one folder, all
    starting before any commits: every one commits, with no conflict left.

    (B-trees cannot merge a bucket split with another change to that bucket, two
    transactions giving one key its first value, nor one taking out the first key
    of a bucket the other changed: those conflicts are retried. Hence the folder
    holds few items (uids and docids are random: with more, whether a bucket
    splits would be left to chance), two are published already, and the items
    changed are not the first ones. Deletes take out keys of random uids, so
    whether one is the first of its bucket is left to chance: not tested here.)"""
    app = build_app(str(tmp_path))
    try:
        with model_of(app) as m:
            for n in range(12):  # (few enough for no bucket to split: see below)
                _add(m, n)
            for n in (1, 2):
                _publish(m, n)
            m.commit()
        writers = [ModelRequest(app) for _ in range(4)]
        try:
            for n, m in enumerate(writers):
                change(m, 100 + n if change is _add else n + 3)
            failed = []
            for m in writers:
                try:
                    m.request.tm.commit()
                except ConflictError as exc:
                    failed.append(str(exc))
            assert failed == []
        finally:
            for m in writers:
                m.close()
        with model_of(app) as m:
            folder = m.site[FOLDER]
            names = folder.keys()
            assert len(names) == len(set(names)) == len(folder)
            expected = 16 if change is _add else 12
            assert len(folder) == expected
            assert len(m.site.catalog.docids_under("/" + FOLDER)) == expected + 1
    finally:
        close(app)


# a conflict that never resolves -----------------------------------------------------------
class Contender:
    """A plugin whose reaction to every add changes the folder's description in
    the request's transaction and, committed at once, in another connection: the
    request's commit then conflicts on every attempt."""

    def __init__(self, app):
        self.db = app.registry._zodb_databases[""]
        self.attempts = 0
        self.lock = threading.Lock()

    @hookimpl
    def cong_object_added(self, request, obj, parent):
        with self.lock:
            self.attempts += 1
        parent.description = f"request {self.attempts}"
        tm = transaction.TransactionManager()
        conn = self.db.open(tm)
        try:
            get_site(conn)[FOLDER].description = f"another writer {self.attempts}"
            tm.commit()
        finally:
            conn.close()


@pytest.fixture
def contended(tmp_path):
    app = build_app(str(tmp_path), **{"retry.attempts": "3"})
    contender = Contender(app)
    app.registry.cong_plugins.register(contender)
    yield app, contender
    close(app)


def test_an_add_that_conflicts_on_every_attempt_gets_503_and_retry_after_in_json(contended):
    import webtest

    app, contender = contended
    client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    token = client.post_json("/@login", {"login": "admin", "password": "admin"}).json["token"]
    client.authorization = ("Bearer", token)
    response = client.post_json(
        f"/{FOLDER}", {"@type": "Page", "title": "Thông báo"}, status=503,
        headers={"Accept": "application/json"},
    )  # fmt: skip
    assert contender.attempts == 3  # every attempt was made
    assert response.headers["Retry-After"] == "2"
    assert response.json["type"] == "Conflict"
    assert "Vui lòng thử lại" in response.json["message"]
    assert client.get(f"/{FOLDER}", headers={"Accept": "application/json"}).json["items"] == []


def test_an_add_form_that_conflicts_on_every_attempt_gets_a_503_page(contended):
    import webtest

    app, _contender = contended
    client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    login(client)
    form = client.get(f"/{FOLDER}/@@add?type=Page").forms["content-form"]
    form["title"] = "Thông báo"
    page = form.submit(status=503)
    assert page.headers["Retry-After"] == "2"
    assert page.content_type == "text/html"
    assert "Hệ thống đang bận" in page.text
    assert "Vui lòng thử lại sau ít giây" in page.text
