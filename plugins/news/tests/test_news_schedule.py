"""Scheduled publishing and expiry, with a controlled clock: a published item is
invisible to visitors before its publication time and after its expiry (its page,
the folder's listing, search), appears and disappears with no job and no commit,
and stays visible to editors."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import catalog
from core.clock import set_now
from core.security import is_active
from core.testing import add

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NEWS = "/tin-tuc/khai-truong-trung-tam-hanh-chinh-cong/"
NOTICE = "/tin-tuc/thong-bao-tam-ngung-tiep-dan/"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=VN)


@pytest.fixture
def clock():
    """Sets the time of :func:`core.clock.now`; the real time comes back after the test."""
    set_now(at(10, 8))
    yield set_now
    set_now(None)


@pytest.fixture
def portal(model, clock):
    folder = add(model, model.site, "Folder", "published", title="Tin tức", name="tin-tuc")
    add(model, folder, "News", "published", title="Khai trương trung tâm hành chính công",
        effective="2025-03-10T09:00", text="<p>Trung tâm phục vụ hành chính công mở cửa.</p>")  # fmt: skip
    add(model, folder, "News", "published", title="Hội nghị giao ban tháng Ba",
        effective="2025-03-09T07:00")  # fmt: skip
    add(model, folder, "Announcement", "published", title="Thông báo tạm ngừng tiếp dân",
        effective="2025-03-01", expires="2025-03-10T12:00")  # fmt: skip
    model.commit()
    return folder


def listed(client, path="/tin-tuc/") -> list[str]:
    return [a.get_text(strip=True) for a in client.get(path).html.select(".item-title a")]


def test_before_its_time_a_news_item_is_hidden_from_visitors(testapp, portal):
    assert testapp.get(NEWS, status=404)
    assert "Khai trương trung tâm hành chính công" not in listed(testapp)
    assert "Hội nghị giao ban tháng Ba" in listed(testapp)
    found = testapp.get("/@@search", {"SearchableText": "trung tâm hành chính"})
    assert "Khai trương" not in found.text
    api = testapp.get("/tin-tuc", headers={"Accept": "application/json"}).json
    assert "Khai trương trung tâm hành chính công" not in [i["title"] for i in api["items"]]


def test_at_its_time_it_appears_without_any_commit(testapp, portal, clock):
    clock(at(10, 8, 59))
    assert testapp.get(NEWS, status=404)
    clock(at(10, 9, 0))
    assert "Trung tâm phục vụ hành chính công mở cửa." in testapp.get(NEWS).text
    assert "Khai trương trung tâm hành chính công" in listed(testapp)


def test_after_its_expiry_it_is_gone_from_listings_and_its_page(testapp, portal, clock):
    assert testapp.get(NOTICE).status_int == 200
    assert "Thông báo tạm ngừng tiếp dân" in listed(testapp)
    clock(at(10, 12, 0))
    assert "Thông báo tạm ngừng tiếp dân" not in listed(testapp)
    assert testapp.get(NOTICE, status=404)


def test_editors_still_see_scheduled_and_expired_items(admin, portal, clock):
    clock(at(10, 13))
    titles = listed(admin)
    assert "Khai trương trung tâm hành chính công" in titles
    assert "Thông báo tạm ngừng tiếp dân" in titles
    assert admin.get(NOTICE).status_int == 200


def test_the_catalog_filters_for_visitors_only(model, portal, clock):
    def titles():
        return sorted(
            r.title for r in catalog.search(model.request, path="/tin-tuc", depth=1).records
        )

    assert len(titles()) == 3  # the admin
    model.act_as(None)
    assert titles() == ["Hội nghị giao ban tháng Ba", "Thông báo tạm ngừng tiếp dân"]
    clock(at(10, 12))
    assert titles() == ["Hội nghị giao ban tháng Ba", "Khai trương trung tâm hành chính công"]


def test_the_window_includes_its_start_and_excludes_its_end(model, portal):
    notice = portal["thong-bao-tam-ngung-tiep-dan"]
    assert is_active(notice, at(1, 0))
    assert is_active(notice, at(10, 11, 59))
    assert not is_active(notice, at(10, 12))
    assert not is_active(notice, at(1, 0) - timedelta(seconds=1))


def test_large_result_sets_are_filtered_by_sets_too(model, portal, monkeypatch):
    monkeypatch.setattr(catalog, "WINDOW_TEST_LIMIT", 0)  # take the path of large listings
    model.act_as(None)
    found = catalog.search(model.request, path="/tin-tuc", depth=1)
    assert sorted(r.title for r in found.records) == [
        "Hội nghị giao ban tháng Ba", "Thông báo tạm ngừng tiếp dân",
    ]  # fmt: skip


def test_an_open_ended_date_range_reaches_the_latest_date(model, portal):
    latest = catalog.search(model.request, date_ranges={"expires": (at(10, 11), None)})
    assert [r.title for r in latest.records] == ["Thông báo tạm ngừng tiếp dân"]
