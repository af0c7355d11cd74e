"""``cong demo``: the demo portal, loaded through the model, as people then see it."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core.testing import login, run_cong, stored_site, web, write_ini

PUBLISHED_NEWS = "/tin-tuc/so-ket-chuyen-doi-so-7-thang-2026"
PENDING_NEWS = "/tin-tuc/ty-le-dich-vu-cong-truc-tuyen-10-thang"
PRIVATE_NEWS = "/tin-tuc/chuan-bi-hoi-cho-thuong-mai-du-lich-2026"
#: The plugins of the portal the demo fills (those of development.ini).
PLUGINS = "news schedule search services"


@pytest.fixture(scope="module")
def demo_site(demo_copy):
    """A site with the demo portal loaded once (the tests only read it)."""
    return demo_copy() / "var"


def test_the_demo_loads_everything_and_says_what(tmp_path, capsys):
    ini = write_ini(tmp_path, cong_plugins=PLUGINS)
    result = run_cong(capsys, ini, "demo")
    assert result.status == 0
    summary = result.out.strip().splitlines()[-1]
    # the procedure catalog is not among them: the services plugin made it (empty)
    # when it first ran on the site, the demo fills it
    assert summary == (
        "Demo loaded: 4 users, 2 groups, 74 items (Announcement 9, Event 5, Folder 12, "
        "Link 5, News 27, Page 9, Subsite 6, WeeklySchedule 1)."
    )
    assert "skipped" not in result.out


def test_visitors_see_the_published_portal(demo_site):
    with web(demo_site) as client:
        home = client.get("/")
        assert "Cổng thông tin điện tử tỉnh Sông Lam" in home.text
        assert "Tin tức" in home.text
        news = client.get(PUBLISHED_NEWS)
        assert "Sơ kết 7 tháng thực hiện Kế hoạch chuyển đổi số năm 2026" in news.text
        deep = client.get("/so-ban-nganh/so-tu-phap/tin-tuc/ly-lich-tu-phap-qua-vneid")
        assert "VNeID" in deep.text
        assert client.get(PENDING_NEWS).status_int == 302  # to the login page
        assert client.get(PRIVATE_NEWS).status_int == 302


def test_the_portal_news_sections_list_newest_first_with_their_archive(demo_site):
    with web(demo_site) as client:
        page = client.get("/tin-tuc/")
        dates = [t["datetime"] for t in page.html.select(".news-list .item-meta time")]
        assert len(dates) == 9 and dates == sorted(dates, reverse=True)  # the published ones
        months = page.html.select(".archive-box .archive-months a")
        assert months[0].get_text(strip=True) == "Tháng 11/2026"  # the latest news, 11 November
        assert client.get("/so-ban-nganh/so-tu-phap/tin-tuc/").html.select(".news-list li")


def test_the_demo_users_have_their_roles(demo_site):
    with web(demo_site) as client:
        login(client, "lanhdao", "demo-lanhdao")  # Reviewer: sees what waits
        assert client.get(PENDING_NEWS).status_int == 200
        assert client.get(PRIVATE_NEWS, status=403)
    with web(demo_site) as client:
        # a Contributor, and in ban-bien-tap, which is Editor on /tin-tuc
        login(client, "congtacvien", "demo-congtacvien")
        assert client.get(PRIVATE_NEWS).status_int == 200
    with web(demo_site) as client:
        login(client, "thanhvien", "demo-thanhvien")  # a plain Member
        assert client.get(PRIVATE_NEWS, status=403)


def test_the_stored_content_is_complete(demo_site):
    with stored_site(demo_site) as site:
        assert site.unit_name == "Ủy ban nhân dân tỉnh Sông Lam"
        assert site.hotline == "(0238) 3866 999"
        news = site["tin-tuc"]["so-ket-chuyen-doi-so-7-thang-2026"]
        assert news.effective == datetime(2026, 8, 14, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
        assert news.creators == ("admin",)
        assert news.workflow_state == "published"
        assert [h["transition"] for h in news.workflow_history] == ["publish"]
        pending = site["tin-tuc"]["ty-le-dich-vu-cong-truc-tuyen-10-thang"]
        assert [h["transition"] for h in pending.workflow_history] == ["submit"]
        assert site["tin-tuc"].local_roles["group:ban-bien-tap"] == ("Editor",)
        link = site["lien-ket"]["cong-dich-vu-cong-quoc-gia"]
        assert link.url == "https://dichvucong.gov.vn"
        assert site.uids[news.uid] is news
        assert sorted(site.principals.groups["ban-bien-tap"].members) == ["bientap", "congtacvien"]


def test_loading_again_skips_what_exists(tmp_path, capsys, demo_copy):
    ini = write_ini(demo_copy(tmp_path), cong_plugins=PLUGINS)  # `cong demo` was run
    again = run_cong(capsys, ini, "demo")
    assert again.status == 0
    assert "skipped /tin-tuc: it already exists" in again.out
    assert "skipped user bientap" in again.out
    assert again.out.strip().splitlines()[-1].startswith("Demo loaded: 0 users, 0 groups, 0 items")
    assert "skipped /ubnd-xa-hung-loc: it already exists" in again.out
    with stored_site(tmp_path / "var") as site:
        assert len(site["tin-tuc"]) == 11
        assert len(site["ubnd-xa-hung-loc"]["tin-tuc"]) == 2
        assert len(site["ubnd-xa-hung-loc"]["lich-cong-tac"].weeks) == 1


def test_if_empty_does_nothing_on_a_site_with_content(tmp_path, capsys):
    ini = write_ini(tmp_path)
    first = run_cong(capsys, ini, "demo", "--if-empty")
    assert first.out.strip().splitlines()[-1].startswith("Demo loaded: 4 users")
    second = run_cong(capsys, ini, "demo", "--if-empty")
    assert second.status == 0
    assert second.out == "The site already has content: the demo was not loaded.\n"


def test_items_a_file_gets_wrong_are_skipped_with_a_message(tmp_path, capsys):
    demo = tmp_path / "demo.json"
    content = [
        {"type": "Spaceship", "id": "tau", "title": "Tàu"},
        {"type": "Link", "id": "sai", "title": "Sai", "url": "not an address"},
        {"type": "Page", "id": "dung", "title": "Đúng", "state": "published"},
        {"type": "Page", "id": "lac", "title": "Lạc", "state": "nowhere"},
        {"type": "Page", "id": "chia-se", "title": "Chia sẻ", "local_roles": {"ai-do": ["Editor"]}},
    ]
    demo.write_text(json.dumps({"content": content}), encoding="utf-8")
    result = run_cong(capsys, write_ini(tmp_path), "demo", "--file", str(demo))
    assert result.status == 0
    assert "skipped /tau and everything in it: @type:" in result.out
    assert "skipped /sai and everything in it: url:" in result.out
    assert "skipped state nowhere of /lac: no transition leads there" in result.out
    assert "skipped local roles of ai-do on /chia-se: no such user or group" in result.out
    with stored_site(tmp_path / "var") as site:
        assert sorted(site.keys()) == ["chia-se", "dung", "lac"]
        assert site["dung"].workflow_state == "published"


def test_plugins_load_the_keys_they_know_and_say_what_they_skip(tmp_path, capsys):
    demo = tmp_path / "demo.json"
    entry = {"time": "07:30", "content": "Giao ban", "leader": "Chủ tịch"}
    weeks = {
        "current": [{**entry, "weekday": 2}],
        "2026-W60": [entry],
        "next": [{**entry, "time": "25:00"}],
        "previous": "không phải danh sách",
    }
    content = [
        {"type": "WeeklySchedule", "id": "lich", "title": "Lịch", "weeks": weeks},
        {"type": "Page", "id": "trang", "title": "Trang", "news_section": True},
    ]
    demo.write_text(json.dumps({"content": content}), encoding="utf-8")
    ini = write_ini(tmp_path, cong_plugins=PLUGINS)
    result = run_cong(capsys, ini, "demo", "--file", str(demo))
    assert result.status == 0
    skipped = [line for line in result.out.splitlines() if line.startswith("skipped")]
    assert skipped == [
        "skipped week 2026-W60 of /lich: not a week of entries",
        "skipped week next of /lich: Write the time as hours:minutes, for example 07:30.",
        "skipped week previous of /lich: not a week of entries",
        "skipped news_section of /trang: only a folder can be a news section",
    ]
    with stored_site(tmp_path / "var") as site:
        (week,) = site["lich"].weeks.values()
        assert [(e.day.isoweekday(), e.time, e.content) for e in week] == [(2, "07:30", "Giao ban")]


@pytest.mark.parametrize("text", ["{not json", "[1, 2]"])
def test_an_unreadable_demo_file_stores_nothing(tmp_path, capsys, text):
    demo = tmp_path / "demo.json"
    demo.write_text(text, encoding="utf-8")
    result = run_cong(capsys, write_ini(tmp_path), "demo", "--file", str(demo))
    assert result.status == 2
    assert result.err.startswith("cong: The demo cannot be loaded:")
    with stored_site(tmp_path / "var") as site:
        assert len(site) == 0 and "bientap" not in site.principals.users


def test_a_missing_demo_file_or_user_is_refused(tmp_path, capsys):
    ini = write_ini(tmp_path)
    missing = run_cong(capsys, ini, "demo", "--file", str(tmp_path / "nowhere.json"))
    assert missing.status == 2 and "cannot read" in missing.err
    nobody = run_cong(capsys, ini, "demo", "--as", "nobody")
    assert nobody.status == 2 and "There is no user 'nobody'" in nobody.err
    with stored_site(tmp_path / "var") as site:
        assert len(site) == 0


def test_the_demo_fills_subsites_and_their_home_pages(demo_site):
    with web(demo_site, **{"cong.plugins": PLUGINS}) as client:
        home = client.get("/ubnd-phuong-lam-giang/")
        titles = [h.get_text(strip=True) for h in home.html.select(".home-portlets h2")]
        assert "Lịch công tác tuần" in titles
        assert "Ra quân làm sạch các tuyến phố chào mừng năm mới" in home.text
        assert "Giao ban cán bộ, công chức đầu tuần" in home.text  # this week's schedule
        assert (
            "Đại hội Thể dục thể thao phường Lam Giang"
            in client.get("/ubnd-phuong-lam-giang/su-kien/").text
        )
        leaders = client.get("/so-khoa-hoc-va-cong-nghe/gioi-thieu/lanh-dao/")
        assert "Giám đốc" in leaders.text
        portal = client.get("/")
        assert "Tin tức từ các đơn vị" in portal.text
        assert "Nông dân Hưng Lộc thu hoạch lúa vụ mùa được giá" in portal.text
        week = client.get("/lich-cong-tac/@@tuan.json").json
        assert len(week["items"]) == 6
        assert client.get("/ubnd-xa-hung-loc/@@rss").content_type == "application/rss+xml"


def test_the_demo_news_have_categories_and_the_announcements_priorities(demo_site):
    with stored_site(demo_site) as site:
        news = site["tin-tuc"]["khoi-cong-duong-ven-bien-nam-lam"]
        assert news.category == "kinh-te" and news.featured
        assert site["thong-bao"]["tam-dung-cong-dich-vu-cong-de-bao-tri"].priority == "important"
        event = site["su-kien"]["hoi-cho-thuong-mai-du-lich-song-lam"]
        assert event.start < event.end
        assert site["ubnd-xa-hung-loc"].unit_kind == "commune"
