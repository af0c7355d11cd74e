"""RSS and Atom feeds of the portal, a subsite and a category, parsed back."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest

from core.clock import frozen
from core.testing import add

ATOM = "{http://www.w3.org/2005/Atom}"
NOW = datetime(2025, 3, 19, 2, 0, tzinfo=UTC)


@pytest.fixture
def news(model):
    """Portal news: two published (one in "kinh-te"), one private, one scheduled,
    one announcement."""
    from subsites.provisioning import create_subsite

    with frozen(NOW - timedelta(days=2)):
        folder = add(model, model.site, "Folder", "published", name="tin-tuc", title="Tin tức")
        add(
            model,
            folder,
            "News",
            "published",
            title="Khai mạc hội chợ nông sản",
            description="Hội chợ nông sản của tỉnh khai mạc sáng nay.",
            category="kinh-te",
        )
    with frozen(NOW - timedelta(days=1)):
        add(
            model,
            folder,
            "News",
            "published",
            title="Ra quân dọn vệ sinh môi trường",
            category="van-hoa-xa-hoi",
        )
        add(model, folder, "News", title="Bản nháp chưa xuất bản")
        add(
            model,
            folder,
            "News",
            "published",
            title="Tin hẹn giờ đăng",
            effective=(NOW + timedelta(days=3)).isoformat(),
        )
        add(model, model.site, "Announcement", "published", title="Thông báo lịch tiếp dân")
        subsite = create_subsite(
            model.request, model.site, {"title": "Tân Phú", "unit_kind": "commune"}
        )
        add(model, subsite["tin-tuc"], "News", "published", title="Xã Tân Phú họp dân")
    model.commit()


def rss_items(body: bytes) -> list[dict]:
    channel = ET.fromstring(body).find("channel")
    return [{child.tag: child.text for child in item} for item in channel.findall("item")]


def test_portal_rss_lists_the_provinces_public_news_newest_first(testapp, news):
    with frozen(NOW):
        response = testapp.get("/@@rss")
    assert response.content_type == "application/rss+xml"
    channel = ET.fromstring(response.body).find("channel")
    assert channel.find("link").text == "http://localhost/"
    titles = [item["title"] for item in rss_items(response.body)]
    assert set(titles) - {"Tin hẹn giờ đăng"} == {
        "Khai mạc hội chợ nông sản",
        "Ra quân dọn vệ sinh môi trường",
        "Thông báo lịch tiếp dân",
        "Xã Tân Phú họp dân",
    }
    assert titles[-1] == "Khai mạc hội chợ nông sản"  # the oldest last
    first = next(i for i in rss_items(response.body) if i["title"] == "Khai mạc hội chợ nông sản")
    assert first["description"] == "Hội chợ nông sản của tỉnh khai mạc sáng nay."
    assert first["link"] == first["guid"] and first["link"].startswith("http://localhost/tin-tuc/")
    assert first["category"] == "Kinh tế"


def test_a_subsite_feed_has_its_own_news_only(testapp, news):
    with frozen(NOW):
        body = testapp.get("/tan-phu/@@rss").body
    assert [item["title"] for item in rss_items(body)] == ["Xã Tân Phú họp dân"]


def test_atom_and_a_category_feed(testapp, news):
    with frozen(NOW):
        response = testapp.get("/@@atom", {"chuyen-muc": "kinh-te"})
    assert response.content_type == "application/atom+xml"
    feed = ET.fromstring(response.body)
    assert feed.find(ATOM + "title").text.endswith("Kinh tế")
    entries = feed.findall(ATOM + "entry")
    assert [e.find(ATOM + "title").text for e in entries] == ["Khai mạc hội chợ nông sản"]
    assert entries[0].find(ATOM + "link").get("href").startswith("http://localhost/tin-tuc/")
    assert entries[0].find(ATOM + "updated").text.startswith("2025-03-17")
    testapp.get("/@@rss", {"chuyen-muc": "khong-co"}, status=404)


def test_scheduled_news_enters_the_feed_on_its_date(testapp, news):
    with frozen(NOW):
        titles = [item["title"] for item in rss_items(testapp.get("/@@rss").body)]
    assert "Tin hẹn giờ đăng" not in titles
    with frozen(NOW + timedelta(days=4)):
        titles = [item["title"] for item in rss_items(testapp.get("/@@rss").body)]
    assert titles[0] == "Tin hẹn giờ đăng"


def test_an_editor_gets_the_public_feed(admin, news):
    with frozen(NOW):
        titles = [item["title"] for item in rss_items(admin.get("/@@rss").body)]
    assert "Bản nháp chưa xuất bản" not in titles and "Tin hẹn giờ đăng" not in titles


def test_pages_link_their_feeds_in_the_head(testapp, news):
    page = testapp.get("/tan-phu/")
    links = {link["href"]: link["type"] for link in page.html.select("head link[rel=alternate]")}
    assert links == {
        "http://localhost/tan-phu/@@rss": "application/rss+xml",
        "http://localhost/tan-phu/@@atom": "application/atom+xml",
    }


def test_a_category_page_links_its_own_feed(testapp, news):
    with frozen(NOW):
        page = testapp.get("/tin-tuc/@@chuyen-muc/kinh-te")
    hrefs = [link["href"] for link in page.html.select("head link[rel=alternate]")]
    assert "http://localhost/@@rss?chuyen-muc=kinh-te" in hrefs
    assert "http://localhost/@@atom?chuyen-muc=kinh-te" in hrefs
    with frozen(NOW):
        body = testapp.get(hrefs[hrefs.index("http://localhost/@@rss?chuyen-muc=kinh-te")]).body
    assert [item["title"] for item in rss_items(body)] == ["Khai mạc hội chợ nông sản"]
