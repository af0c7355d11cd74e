"""The news pages as visitors read them: an article (lead image, caption, date,
source, category, tags, other news), listings per folder, category and month,
announcements with attachments, events with upcoming/past lists and iCalendar."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from zope.interface import alsoProvides

from core.clock import set_now
from core.testing import add, png_bytes, upload
from plugins.news.interfaces import INewsSection

VN = ZoneInfo("Asia/Ho_Chi_Minh")
ARTICLE = "/tin-tuc/khanh-thanh-cau-hoa-binh/"


@pytest.fixture
def clock():
    """The time is 20 March 2025, 10:00 (the real time comes back after the test)."""
    set_now(datetime(2025, 3, 20, 10, tzinfo=VN))
    yield set_now
    set_now(None)


@pytest.fixture
def portal(model, clock):
    """News, announcements and events of March 2025; the time is 20 March, 10:00."""
    site = model.site
    sections = {}
    for name, title in (("tin-tuc", "Tin tức"), ("thong-bao", "Thông báo"), ("su-kien", "Sự kiện")):
        sections[name] = add(model, site, "Folder", "published", title=title, name=name)
        alsoProvides(sections[name], INewsSection)
    news = sections["tin-tuc"]
    add(model, news, "News", "published", title="Khánh thành cầu Hòa Bình",
        description="Cây cầu nối hai xã bên sông Lam.", text="<p>Sáng 15/3, cầu thông xe.</p>",
        image=upload(png_bytes(800, 600), "cau.png", "image/png"),
        image_caption="Cầu Hòa Bình ngày thông xe", category="kinh-te",
        tags=["giao thông", "nông thôn mới"], source="Phòng Văn hóa - Thông tin",
        effective="2025-03-15T08:00")  # fmt: skip
    add(model, news, "News", "published", title="Chợ phiên vùng cao", category="kinh-te",
        effective="2025-03-12")  # fmt: skip
    add(model, news, "News", "published", title="Lễ hội đền Cuông", category="van-hoa-xa-hoi",
        effective="2025-03-05")  # fmt: skip
    add(model, news, "News", "published", title="Tổng kết năm 2024", category="kinh-te",
        effective="2025-02-10")  # fmt: skip
    add(model, news, "News", "published", title="Tin hẹn giờ ngày mai", category="kinh-te",
        effective="2025-03-21T07:00")  # fmt: skip
    notice = add(model, sections["thong-bao"], "Announcement", "published",
                 title="Thông báo tuyển dụng viên chức", priority="important",
                 effective="2025-03-01", expires="2025-04-01")  # fmt: skip
    add(model, notice, "File", title="Danh sách vị trí",
        file=upload(b"%PDF-1.4 " + b"x" * 3000, "vi-tri.pdf", "application/pdf"))  # fmt: skip
    events = sections["su-kien"]
    add(model, events, "Event", "published", title="Hội chợ thương mại",
        start="2025-03-25T08:00", end="2025-03-27T17:00", location="Quảng trường trung tâm",
        description="Hội chợ hàng Việt.")  # fmt: skip
    add(model, events, "Event", "published", title="Ngày hội đọc sách", start="2025-03-10",
        all_day=True, location="Thư viện tỉnh")  # fmt: skip
    model.commit()
    return site


def texts(page, selector: str) -> list[str]:
    return [node.get_text(" ", strip=True) for node in page.html.select(selector)]


# an article -----------------------------------------------------------------------------
def test_an_article_shows_its_image_caption_date_source_category_and_tags(testapp, portal):
    page = testapp.get(ARTICLE)
    figure = page.html.select_one("figure.lead-image")
    assert figure.img["src"].endswith(ARTICLE + "@@images/preview")
    assert figure.img["alt"] == "Cầu Hòa Bình ngày thông xe"
    assert figure.figcaption.get_text(strip=True) == "Cầu Hòa Bình ngày thông xe"
    assert "08:00 15/03/2025" in page.html.select_one(".meta").get_text()
    assert "Phòng Văn hóa - Thông tin" in page.html.select_one(".source").get_text()
    category = page.html.select_one(".kicker a")
    assert category.get_text(strip=True) == "Kinh tế"
    assert category["href"].endswith("/@@chuyen-muc/kinh-te")
    assert texts(page, ".tags a") == ["giao thông", "nông thôn mới"]


def test_other_news_are_the_latest_of_its_category_without_itself(testapp, portal):
    others = texts(testapp.get(ARTICLE), ".other-news li a")
    assert others == ["Chợ phiên vùng cao", "Tổng kết năm 2024"]  # not the scheduled one


def test_the_lead_image_is_served_in_scales(testapp, portal):
    from io import BytesIO

    from PIL import Image

    preview = testapp.get(ARTICLE + "@@images/preview")
    assert preview.content_type == "image/jpeg"
    assert Image.open(BytesIO(preview.body)).size == (400, 300)
    thumb = testapp.get(ARTICLE + "@@images/thumb")
    assert Image.open(BytesIO(thumb.body)).size == (128, 96)
    testapp.get(ARTICLE + "@@images/khong-co", status=404)
    testapp.get("/tin-tuc/cho-phien-vung-cao/@@images/thumb", status=404)


# listings ---------------------------------------------------------------------------------
def test_a_news_folder_lists_newest_first_with_thumbnail_date_and_summary(testapp, portal):
    page = testapp.get("/tin-tuc/", {"b_size": 2})
    assert texts(page, ".news-list .item-title") == [
        "Khánh thành cầu Hòa Bình",
        "Chợ phiên vùng cao",
    ]
    first = page.html.select_one(".news-list li")
    assert first.select_one(".thumb img")["src"].endswith(ARTICLE + "@@images/thumb")
    assert "15/03/2025" in first.select_one(".item-meta").get_text()
    assert first.select_one(".item-description").get_text() == "Cây cầu nối hai xã bên sông Lam."
    second_page = testapp.get(page.html.select_one("a[rel=next]")["href"])
    assert texts(second_page, ".news-list .item-title") == ["Lễ hội đền Cuông", "Tổng kết năm 2024"]
    assert texts(testapp.get("/tin-tuc/@@danh-sach"), ".news-list .item-title")[0] == (
        "Khánh thành cầu Hòa Bình"
    )


def test_a_category_lists_its_news_on_the_portal_and_unknown_ones_are_not_found(testapp, portal):
    page = testapp.get("/@@chuyen-muc/kinh-te")
    assert page.html.h1.get_text(strip=True) == "Kinh tế"
    assert page.html.title.get_text().startswith("Kinh tế – ")
    canonical = page.html.head.find("link", rel="canonical")["href"]
    assert canonical == "http://localhost/@@chuyen-muc/kinh-te"
    feeds = [link["href"] for link in page.html.head.find_all("link", rel="alternate")]
    assert "http://localhost/@@rss?chuyen-muc=kinh-te" in feeds
    assert "http://localhost/@@atom?chuyen-muc=kinh-te" in feeds
    assert texts(page, ".news-list .item-title") == [
        "Khánh thành cầu Hòa Bình", "Chợ phiên vùng cao", "Tổng kết năm 2024",
    ]  # fmt: skip
    assert "Thời sự" in texts(testapp.get("/tin-tuc/@@chuyen-muc"), ".category-links a")
    testapp.get("/@@chuyen-muc/the-thao", status=404)


def test_the_archive_lists_a_month(testapp, portal):
    page = testapp.get("/tin-tuc/@@luu-tru/2025/02")
    assert texts(page, ".news-list .item-title") == ["Tổng kết năm 2024"]
    assert "02/2025" in page.html.h1.get_text()
    for bad in ("2025/13", "2025", "nam/2025", "2025/03/01"):
        testapp.get("/tin-tuc/@@luu-tru/" + bad, status=404)


def test_the_archive_index_counts_the_months_newest_first(testapp, portal):
    page = testapp.get("/tin-tuc/@@luu-tru")
    assert page.html.title.get_text().startswith("Lưu trữ: Tin tức – ")
    years = page.html.select(".archive-year")
    assert [y.h2.get_text(" ", strip=True) for y in years] == ["Năm 2025 (4 bài)"]
    months = [a.get_text(strip=True) for a in years[0].select("li a")]
    assert months == ["Tháng 03/2025", "Tháng 02/2025"]  # not the scheduled item's count
    counts = texts(page, ".archive-year li .archive-count")
    assert counts == ["(3)", "(1)"]
    february = testapp.get(years[0].select("li a")[1]["href"])
    assert texts(february, ".news-list .item-title") == ["Tổng kết năm 2024"]
    whole_site = testapp.get("/@@luu-tru")
    assert texts(whole_site, ".archive-year li .archive-count") == ["(6)", "(1)"]  # + events


def test_the_archive_index_follows_the_clock(testapp, portal, clock):
    clock(datetime(2025, 3, 21, 8, tzinfo=VN))  # the scheduled article is out now
    assert texts(testapp.get("/tin-tuc/@@luu-tru"), ".archive-year li .archive-count") == [
        "(4)", "(1)",
    ]  # fmt: skip


def test_listings_show_the_latest_months_of_the_archive(testapp, portal, model):
    news = model.site["tin-tuc"]
    first = date(2023, 1, 15)
    for n in range(14):  # one article a month from January 2023 to February 2024
        day = date(first.year + (first.month + n - 1) // 12, (first.month + n - 1) % 12 + 1, 15)
        add(model, news, "News", "published", title=f"Tin cũ {n}", effective=day.isoformat())
    model.commit()
    box = testapp.get("/tin-tuc/").html.select_one(".archive-box")
    months = [a.get_text(strip=True) for a in box.select(".archive-months a")]
    assert len(months) == 12
    assert months[:3] == ["Tháng 03/2025", "Tháng 02/2025", "Tháng 02/2024"]
    assert months[-1] == "Tháng 05/2023"
    assert box.select_one("p a")["href"].endswith("/tin-tuc/@@luu-tru")
    month_page = testapp.get("/tin-tuc/@@luu-tru/2024/02")
    current = month_page.html.select_one(".archive-box a[aria-current=page]")
    assert current.get_text(strip=True) == "Tháng 02/2024"
    assert len(testapp.get("/tin-tuc/@@luu-tru").html.select(".archive-year")) == 3


def test_editors_see_scheduled_items_marked(admin, portal):
    page = admin.get("/tin-tuc/")
    (item,) = [li for li in page.html.select(".news-list li") if "Tin hẹn giờ" in li.get_text()]
    assert "Hẹn giờ đăng" in item.get_text()
    article = admin.get("/tin-tuc/tin-hen-gio-ngay-mai/")
    assert "Chưa đến thời điểm đăng" in article.html.select_one(".window-scheduled").get_text()


# announcements ----------------------------------------------------------------------------
def test_an_announcement_shows_its_window_priority_and_attachments(testapp, portal):
    page = testapp.get("/thong-bao/thong-bao-tuyen-dung-vien-chuc/")
    assert "Quan trọng" in page.html.select_one(".kicker").get_text()
    validity = page.html.select_one(".validity").get_text(" ", strip=True)
    assert "01/03/2025" in validity and "01/04/2025" in validity
    (link,) = page.html.select(".attachments a")
    assert link.get_text(strip=True) == "Danh sách vị trí"
    assert "2,9 KB" in page.html.select_one(".attachments li").get_text()
    download = testapp.get(link["href"])
    assert download.body.startswith(b"%PDF-1.4")
    listing = testapp.get("/thong-bao/")
    assert "Quan trọng" in listing.html.select_one(".news-list .item-meta").get_text()


# events -----------------------------------------------------------------------------------
def test_an_event_page_and_the_upcoming_and_past_lists(testapp, portal):
    page = testapp.get("/su-kien/hoi-cho-thuong-mai/")
    facts = page.html.select_one(".event-facts").get_text(" ", strip=True)
    assert "08:00 25/03/2025" in facts and "17:00 27/03/2025" in facts
    assert "Quảng trường trung tâm" in facts
    assert texts(testapp.get("/su-kien/@@sap-dien-ra"), ".news-list .item-title") == [
        "Hội chợ thương mại"
    ]
    assert texts(testapp.get("/@@da-dien-ra"), ".news-list .item-title") == ["Ngày hội đọc sách"]


def test_an_event_exports_as_icalendar(testapp, portal):
    response = testapp.get("/su-kien/hoi-cho-thuong-mai/@@ics")
    assert response.content_type == "text/calendar"
    (event,) = Calendar.from_ical(response.body).walk("VEVENT")
    assert str(event["summary"]) == "Hội chợ thương mại"
    assert str(event["location"]) == "Quảng trường trung tâm"
    assert event.decoded("dtstart") == datetime(2025, 3, 25, 8, tzinfo=VN)
    assert event.decoded("dtend") == datetime(2025, 3, 27, 17, tzinfo=VN)
    assert str(event["url"]).endswith("/su-kien/hoi-cho-thuong-mai/")


def test_an_events_folder_exports_all_its_events(testapp, portal):
    response = testapp.get("/su-kien/@@ics")
    calendar = Calendar.from_ical(response.body)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Hội chợ thương mại", "Ngày hội đọc sách"}
    all_day = events["Ngày hội đọc sách"]
    assert all_day.decoded("dtstart") == date(2025, 3, 10)
    assert all_day.decoded("dtend") == date(2025, 3, 11)
    assert str(all_day["location"]) == "Thư viện tỉnh"
    assert len({str(e["uid"]) for e in events.values()}) == 2
