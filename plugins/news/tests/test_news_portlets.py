"""The news portlets of a navigation root: featured news, latest news, important
announcements still valid, upcoming events; empty ones are not shown; a subsite's
portlets list its own items only."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core.clock import set_now
from core.testing import add, png_bytes, upload
from subsites.provisioning import create_subsite

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def clock():
    """The time is 20 March 2025, 10:00 (the real time comes back after the test)."""
    set_now(datetime(2025, 3, 20, 10, tzinfo=VN))
    yield set_now
    set_now(None)


@pytest.fixture
def commune(model, clock):
    """A commune's site with its sections (made by the subsite-created hooks) and
    content; the time is 20 March 2025, 10:00."""
    site = create_subsite(
        model.request, model.site, {"title": "UBND xã Tân Phú", "unit_kind": "commune"}
    )
    news, notices, events = site["tin-tuc"], site["thong-bao"], site["su-kien"]
    add(model, news, "News", "published", title="Tân Phú đạt chuẩn nông thôn mới", featured=True,
        image=upload(png_bytes(), "a.png", "image/png"), effective="2025-03-18")  # fmt: skip
    for day in range(1, 8):
        add(
            model, news, "News", "published", title=f"Tin ngày {day}/3", effective=f"2025-03-0{day}"
        )
    add(model, notices, "Announcement", "published", title="Lịch tiếp công dân quý II",
        priority="important", expires="2025-06-30")  # fmt: skip
    add(model, notices, "Announcement", "published", title="Thông báo đã hết hạn",
        priority="important", expires="2025-03-19")  # fmt: skip
    add(model, notices, "Announcement", "published", title="Thông báo thường")
    add(model, events, "Event", "published", title="Giải bóng đá thanh niên",
        start="2025-03-29T07:30", location="Sân vận động xã")  # fmt: skip
    add(model, events, "Event", "published", title="Hội thi đã qua", start="2025-03-02")
    add(model, news, "News", "published", title="Tin nội bộ của xã", featured=True,
        exclude_from_province=True, effective="2025-03-17")  # fmt: skip
    add(model, model.site, "News", "published", title="Tin của tỉnh", featured=True)
    model.commit()
    return "/" + site.__name__ + "/"


def box(page, name: str):
    return page.html.select_one(f"aside.portlets .portlet-{name}")


def links(page, name: str) -> list[str]:
    found = box(page, name)
    return [a.get_text(strip=True) for a in found.select("li:not(.portlet-more) > a:not(.thumb)")]


def test_the_portlets_of_a_subsite_list_its_items(testapp, commune):
    page = testapp.get(commune + "tin-tuc/")
    assert links(page, "featured-news") == [
        "Tân Phú đạt chuẩn nông thôn mới", "Tin nội bộ của xã",
    ]  # fmt: skip
    assert box(page, "featured-news").select_one(".thumb img")["src"].endswith("@@images/thumb")
    assert links(page, "latest-news") == [
        "Tân Phú đạt chuẩn nông thôn mới", "Tin nội bộ của xã", "Tin ngày 7/3", "Tin ngày 6/3",
        "Tin ngày 5/3",
    ]  # fmt: skip
    assert links(page, "important-announcements") == ["Lịch tiếp công dân quý II"]
    assert links(page, "upcoming-events") == ["Giải bóng đá thanh niên"]
    more = box(page, "upcoming-events").select_one(".portlet-more a")["href"]
    assert more.endswith(commune + "su-kien/@@sap-dien-ra")


def test_an_announcement_leaves_the_portlet_when_it_expires(testapp, commune, clock):
    clock(datetime(2025, 7, 1, 8, tzinfo=VN))
    page = testapp.get(commune + "tin-tuc/")
    assert box(page, "important-announcements") is None
    assert box(page, "upcoming-events") is None  # the match is over too
    assert box(page, "latest-news") is not None


def test_the_portal_lists_the_province_s_news_without_what_units_keep_out(testapp, commune):
    page = testapp.get("/@@danh-sach")
    assert links(page, "featured-news") == ["Tin của tỉnh", "Tân Phú đạt chuẩn nông thôn mới"]
    assert "Tin nội bộ của xã" not in links(page, "latest-news")
