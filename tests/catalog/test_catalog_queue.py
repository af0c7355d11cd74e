"""The index queue: work recorded with the change, collapsed per object, drained
after commit, and never lost when the process dies before draining."""

from __future__ import annotations

import time

import pytest

import catalog
from catalog.backends.whoosh import WhooshBackend
from catalog.queue import INDEX, UNINDEX, IndexQueue
from core import operations as ops
from core.testing import add, make_settings
from core.workflow import workflow_of

TITLE = "Thông báo tuyển dụng viên chức sự nghiệp giáo dục"


def start(data_dir, **settings):
    from core import main

    return main({}, **make_settings(data_dir, **settings))


def stop(app):
    catalog.close_backend(app.registry)
    for db in app.registry._zodb_databases.values():
        db.close()


def found(request, text: str) -> list[str]:
    return [r.title for r in catalog.search(request, text=text).records]


def test_repeated_actions_on_one_object_collapse_into_one_entry(model):
    queue = model.site.catalog.queue
    before = len(queue)
    page = add(model, model.site, "Page", title="Dự thảo")
    for n in range(5):
        ops.edit(model.request, page, {"title": f"Dự thảo lần {n}"})
    workflow_of(model.request, page).transition(model.request, page, "publish")
    assert len(queue) == before + 1
    assert dict(queue.peek(len(queue)))[page.uid][0] == INDEX
    ops.delete(model.request, page)
    assert len(queue) == before + 1
    assert dict(queue.peek(len(queue)))[page.uid][0] == UNINDEX


def test_an_entry_queued_again_during_a_drain_is_kept():
    queue = IndexQueue()
    queue.put("a", INDEX)
    queue.put("b", INDEX)
    drained = queue.peek(10)
    queue.put("a", UNINDEX)  # a change committed while the drain was writing
    assert sorted(queue.discard(uid, entry) for uid, entry in drained) == [True, True]
    assert [(uid, entry[0]) for uid, entry in queue.peek(10)] == [("a", UNINDEX)]
    assert len(queue) == 1


def test_the_queue_is_drained_after_each_commit(model):
    add(model, model.site, "News", state="published", title=TITLE)
    model.commit()
    assert len(model.site.catalog.queue) == 0
    assert found(model.act_as(None), "tuyển dụng viên chức") == [TITLE]


def test_an_aborted_change_queues_nothing(model):
    queue = model.site.catalog.queue
    before = len(queue)
    add(model, model.site, "News", state="published", title=TITLE)
    assert len(queue) == before + 1
    model.request.tm.abort()
    model.request.tm.begin()
    assert len(model.site.catalog.queue) == before
    assert found(model.request, "tuyển dụng") == []


def test_work_committed_without_a_drain_is_done_at_the_next_start(data_dir, model_of):
    """The crash case: the change commits, the process stops before draining
    (here: draining after commit is switched off); the next start catches up."""
    app = start(data_dir, **{"cong.index_in_request": "false"})
    catalog.get_indexer(app.registry).drain()  # what the plugins' structures queued
    try:
        with model_of(app) as m:
            add(m, m.site, "News", state="published", title=TITLE)
            m.commit()
            assert len(m.site.catalog.queue) == 1
            assert found(m.act_as(None), "viên chức") == []  # not drained: not in the text index
            assert [r.title for r in catalog.search(m.request, types=["News"]).records] == [TITLE]
    finally:
        stop(app)
    app = start(data_dir)
    try:
        with model_of(app, None) as m:
            assert found(m.request, "vien chuc giao duc") == [TITLE]
            assert len(m.site.catalog.queue) == 0
    finally:
        stop(app)


def test_a_failing_drain_keeps_the_work_and_never_fails_the_change(data_dir, model_of, monkeypatch):
    """The drainer dies (the text index cannot be written): the change is committed
    all the same, the work stays queued, and the next drain does it."""

    def broken(self, docs):
        raise OSError("disk full")

    app = start(data_dir)
    try:
        with model_of(app) as m:
            with monkeypatch.context() as patch:
                patch.setattr(WhooshBackend, "index", broken)
                add(m, m.site, "News", state="published", title=TITLE)
                m.commit()  # no exception reaches the one who made the change
            assert [r.title for r in catalog.search(m.request, types=["News"]).records] == [TITLE]
            assert len(m.site.catalog.queue) == 1
            assert found(m.request, "tuyển dụng") == []
            assert catalog.get_indexer(app.registry).drain() == 1
            assert found(m.act_as(None), "tuyển dụng") == [TITLE]
            m.commit()  # a new transaction, to see what the drainer committed
            assert len(m.site.catalog.queue) == 0
    finally:
        stop(app)


@pytest.mark.parametrize("action", ["delete", "retract"])
def test_removed_and_retracted_objects_leave_the_text_index(model, action):
    page = add(model, model.site, "Page", state="published", title=TITLE)
    model.commit()
    backend = catalog.get_backend(model.request.registry)
    assert page.uid in backend.uids()
    if action == "delete":
        ops.delete(model.request, page)
    else:
        workflow_of(model.request, page).transition(model.request, page, "retract")
    model.commit()
    visible = backend.search("tuyển dụng", principals=["system.Everyone"])
    assert visible.total == 0
    assert (page.uid in backend.uids()) == (action == "retract")


def test_a_commit_never_waits_for_a_running_drain(data_dir, model_of, monkeypatch):
    """While a drain is writing (here: held up inside the backend), another change
    commits at once; the running drain then goes round again and does its work."""
    import threading

    app = start(data_dir)
    real_index = WhooshBackend.index
    entered, release = threading.Event(), threading.Event()

    def slow_index(self, docs):
        docs = list(docs)
        if any(doc.title == TITLE for doc in docs):
            entered.set()
            release.wait(10)
        real_index(self, docs)

    monkeypatch.setattr(WhooshBackend, "index", slow_index)
    try:
        with model_of(app) as first:
            add(first, first.site, "News", state="published", title=TITLE)
            draining = threading.Thread(target=first.commit)  # commits, then drains
            draining.start()
            assert entered.wait(10)  # that drain is inside the backend now
            with model_of(app) as second:
                vaccines = "Lịch tiêm chủng mở rộng"
                add(second, second.site, "News", state="published", title=vaccines)
                started = time.monotonic()
                second.commit()
                assert time.monotonic() - started < 2  # did not wait for the running drain
                assert found(second.request, "tiêm chủng") == []  # the drain is held up
                release.set()
                draining.join(10)
                assert found(second.act_as(None), "tiêm chủng") == [vaccines]
                assert found(second.request, "viên chức") == [TITLE]
    finally:
        release.set()
        stop(app)


def test_a_drain_ends_its_batches_early_when_their_text_is_large(model, monkeypatch):
    """Batches stop after :data:`catalog.queue.BATCH_CHARS` characters of text: here
    one page each, so three pages take three batches, and all are then found."""
    import catalog.queue

    monkeypatch.setattr(catalog.queue, "BATCH_CHARS", 10)
    written = []
    index = WhooshBackend.index
    monkeypatch.setattr(
        WhooshBackend, "index", lambda self, docs: written.append(len(docs)) or index(self, docs)
    )
    for n in range(3):
        add(model, model.site, "Page", state="published", title=f"Lịch tiếp công dân tháng {n}",
            text="<p>Thủ trưởng cơ quan tiếp công dân định kỳ vào thứ Năm hằng tuần.</p>")  # fmt: skip
    model.commit()
    assert written == [1, 1, 1]
    assert len(found(model.act_as(None), "tiep cong dan")) == 3
    assert len(model.site.catalog.queue) == 0


def test_a_queue_of_one_entry_per_uid_and_plain_records_are_evolved(model):
    """A catalog made before decision 0016 (a queue of ``uid -> (action, stamp)``,
    metadata records as plain dicts) keeps its pending work and gets records that
    B-tree buckets can merge."""
    from BTrees.OOBTree import OOBTree

    from catalog.queue import per_change_queue
    from catalog.structural import MetadataRecord, mergeable_records

    page = add(model, model.site, "Page", title=TITLE)
    model.commit()
    catalog_ = model.site.catalog
    legacy = IndexQueue.__new__(IndexQueue)
    legacy._entries = OOBTree({page.uid: (INDEX, 1), "gone": (UNINDEX, 2)})
    catalog_.queue = legacy
    docid = catalog_.docid(page.uid)
    catalog_.records[docid] = dict(catalog_.records[docid])
    per_change_queue(model.site)
    mergeable_records(model.site)
    model.commit()
    pending = {uid: entry[0] for uid, entry in catalog_.queue.peek(10)}
    assert pending == {"gone": UNINDEX, page.uid: INDEX}
    assert type(catalog_.records[docid]) is MetadataRecord
    assert catalog.get_indexer(model.request.registry).drain() == 2
    assert found(model.act_as(None), "tuyển dụng") == []  # a private page
    assert page.uid in catalog.get_backend(model.request.registry).uids()


def test_a_drain_and_changes_committed_meanwhile_do_not_conflict(data_dir, model_of):
    """The drainer marks what it did while requests queue more, all at once: each
    transaction commits (the queue never makes them conflict), and the work queued
    meanwhile stays for the next drain."""
    app = start(data_dir, **{"cong.index_in_request": "false"})
    catalog.get_indexer(app.registry).drain()  # what the plugins' structures queued
    try:
        with model_of(app) as m:
            for n in range(2):  # (the first two holders of a value conflict: see 0016)
                add(m, m.site, "Page", title=f"{TITLE} {n}")
            m.commit()
            assert catalog.get_indexer(app.registry).drain() == 2
            add(m, m.site, "Page", title=TITLE)
            m.commit()
        with model_of(app) as first, model_of(app) as second:
            for n, writer in enumerate((first, second)):
                add(writer, writer.site, "Page", title=f"Lịch tiếp công dân {n}")
            assert catalog.get_indexer(app.registry).drain() == 1  # commits meanwhile
            first.commit()
            second.commit()
            assert len(second.site.catalog.queue) == 2
        assert catalog.get_indexer(app.registry).drain() == 2
    finally:
        stop(app)
