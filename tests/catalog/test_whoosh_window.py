"""The publication window in the full-text search: items not yet effective or
already expired are left out of a visitor's results, total, facets and pages by the
index itself (not dropped after paging), and editors still find them."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

import catalog
from catalog.backends import TextDoc
from catalog.backends.whoosh import WhooshBackend
from core.clock import set_now
from core.testing import add

VN = ZoneInfo("Asia/Ho_Chi_Minh")
EVERYONE = ["system.Everyone"]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=VN)


# the backend -------------------------------------------------------------------------


def text_doc(uid: str, effective: datetime, expires: datetime | None = None) -> TextDoc:
    return TextDoc(
        uid=uid,
        path=f"/tin-tuc/{uid}",
        type_name="News",
        state="published",
        subsite="",
        title=f"Dịch vụ công trực tuyến {uid}",
        description="",
        body="Người dân nộp hồ sơ dịch vụ công qua mạng.",
        allowed=("system.Everyone",),
        created=at(1, 8),
        modified=at(1, 8),
        effective=effective,
        expires=expires,
    )


@pytest.fixture
def backend(tmp_path):
    backend = WhooshBackend(str(tmp_path / "whoosh"))
    backend.index(text_doc(f"cu-{i}", at(1, 8)) for i in range(5))
    backend.index(
        [
            text_doc("hen-gio", at(10, 9)),
            text_doc("het-han", at(1, 8), expires=at(10, 12)),
            text_doc("con-han", at(1, 8), expires=at(20, 12)),
        ]
    )
    yield backend
    backend.close()


def found(backend, when, **options) -> list[str]:
    results = backend.search("dịch vụ công", principals=EVERYONE, active_at=when, **options)
    assert results.total == len(results.hits)
    return sorted(hit.uid for hit in results.hits)


def test_the_window_is_applied_before_counting_and_paging(backend):
    old = [f"cu-{i}" for i in range(5)]
    assert found(backend, at(10, 8)) == sorted([*old, "con-han", "het-han"])
    assert found(backend, at(10, 9)) == sorted([*old, "con-han", "het-han", "hen-gio"])
    assert found(backend, at(10, 12)) == sorted([*old, "con-han", "hen-gio"])
    assert found(backend, at(10, 11, 59)) == sorted([*old, "con-han", "het-han", "hen-gio"])
    assert found(backend, None) == sorted([*old, "con-han", "het-han", "hen-gio"])
    facets = backend.search(
        "dịch vụ công", principals=EVERYONE, active_at=at(10, 8), facets=["type_name"]
    ).facets
    assert facets == {"type_name": {"News": 7}}


def test_pages_of_one_cover_every_visible_hit_once(backend):
    seen = []
    for start in range(10):
        page = backend.search(
            "dịch vụ công", principals=EVERYONE, active_at=at(10, 8), start=start, size=1
        )
        assert page.total == 7
        seen += [hit.uid for hit in page.hits]
    assert sorted(seen) == sorted([*(f"cu-{i}" for i in range(5)), "con-han", "het-han"])


def test_a_phrase_query_keeps_the_window_too(backend):
    results = backend.search('"dịch vụ công trực"', principals=EVERYONE, active_at=at(10, 8))
    assert "hen-gio" not in {hit.uid for hit in results.hits}
    assert results.total == 7


def test_an_index_written_without_expiry_values_still_opens_and_searches(tmp_path):
    backend = WhooshBackend(str(tmp_path / "whoosh"))
    try:
        backend.index([replace(text_doc("a", at(1, 8)), expires=None)])
        assert found(backend, at(10, 8)) == ["a"]
    finally:
        backend.close()


# the catalog ---------------------------------------------------------------------------


@pytest.fixture
def clock():
    set_now(at(10, 8))
    yield set_now
    set_now(None)


@pytest.fixture
def portal(model, clock):
    folder = add(model, model.site, "Folder", "published", title="Tin tức", name="tin-tuc")
    for i in range(4):
        add(model, folder, "News", "published", title=f"Hội nghị dịch vụ công số {i}",
            effective="2025-03-09T07:00")  # fmt: skip
    add(model, folder, "News", "published", title="Khai trương dịch vụ công mới",
        effective="2025-03-10T09:00")  # fmt: skip
    add(model, folder, "Announcement", "published", title="Thông báo dịch vụ công tạm ngừng",
        effective="2025-03-01", expires="2025-03-10T12:00")  # fmt: skip
    model.commit()
    return folder


def titles(model, **options) -> tuple[int, list[str]]:
    results = catalog.search(model.request, text="dịch vụ công", **options)
    return results.total, sorted(record.title for record in results.records)


def test_a_visitor_s_total_and_pages_leave_out_scheduled_and_expired_items(model, portal, clock):
    model.act_as(None)
    total, found = titles(model)
    assert total == 5
    assert "Khai trương dịch vụ công mới" not in found
    assert "Thông báo dịch vụ công tạm ngừng" in found
    pages = [titles(model, start=i, size=1) for i in range(6)]
    assert {total for total, _page in pages} == {5}
    assert sorted(t for _total, page in pages for t in page) == found
    clock(at(10, 12))
    total, found = titles(model, size=2)
    assert total == 5
    assert len(found) == 2
    total, found = titles(model)
    assert "Khai trương dịch vụ công mới" in found
    assert "Thông báo dịch vụ công tạm ngừng" not in found


def test_an_editor_finds_scheduled_and_expired_items(model, portal, clock):
    clock(at(10, 13))
    total, found = titles(model)
    assert total == 6
    assert "Thông báo dịch vụ công tạm ngừng" in found


def test_the_evolve_step_teaches_an_older_index_the_expiry_dates(model, portal, clock):
    notice = portal["thong-bao-dich-vu-cong-tam-ngung"]
    backend = catalog.get_backend(model.request.registry)
    written_before = replace(text_doc(notice.uid, at(1, 0)), title=notice.title, path="/tin-tuc/x")
    backend.index([written_before])  # as an index written before it kept expiry dates
    clock(at(10, 13))
    model.act_as(None)
    assert "Thông báo dịch vụ công tạm ngừng" in titles(model)[1]
    catalog.queue_expiring(model.site)
    assert catalog.catalog_of(model.site).queue.uids() == {notice.uid}
    model.commit()
    catalog.get_indexer(model.request.registry).drain()
    total, found = titles(model)
    assert total == 5
    assert "Thông báo dịch vụ công tạm ngừng" not in found
