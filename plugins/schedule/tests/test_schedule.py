"""The leaders' weekly schedule: the week's page, JSON and form."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.clock import frozen
from core.testing import add, csrf_token
from plugins.schedule.weeks import parse_week

URL = "/lich-cong-tac/"
#: Wednesday of week 12 of 2025 (17 to 23 March), in the morning in Hà Nội.
WEDNESDAY = datetime(2025, 3, 19, 2, 0, tzinfo=UTC)


@pytest.fixture
def schedule(model):
    """A published schedule at the portal's root, with two entries in week 12."""
    from plugins.schedule.content import save_week

    obj = add(
        model,
        model.site,
        "WeeklySchedule",
        "published",
        name="lich-cong-tac",
        title="Lịch công tác",
    )
    rows = [
        {"day": "2025-03-20", "time": "14:00", "content": "Họp giao ban", "leader": "Chủ tịch"},
        {
            "day": "2025-03-17",
            "time": "7h30",
            "content": "Chào cờ đầu tuần",
            "leader": "Phó Chủ tịch",
            "participants": "Toàn thể cán bộ",
            "location": "Hội trường",
        },
    ]
    save_week(model.request, obj, parse_week("2025-W12"), rows)
    model.commit()
    return obj


@pytest.fixture
def clock():
    with frozen(WEDNESDAY):
        yield


def table_rows(page) -> list[list[str]]:
    return [
        [cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])]
        for tr in page.html.select("table.schedule tbody tr")
    ]


def test_visitors_see_this_weeks_table_grouped_by_day(testapp, schedule, clock):
    page = testapp.get(URL)
    assert "Tuần 12/2025 (17/03/2025 – 23/03/2025)" in page.text
    assert table_rows(page) == [
        ["Thứ Hai, 17/03/2025"],
        ["07:30", "Chào cờ đầu tuần", "Phó Chủ tịch", "Toàn thể cán bộ", "Hội trường"],
        ["Thứ Năm, 20/03/2025"],
        ["14:00", "Họp giao ban", "Chủ tịch", "", ""],
    ]
    assert not page.html.select("a[href*='sua-tuan']")  # no editing for visitors


def test_week_navigation(testapp, schedule, clock):
    page = testapp.get(URL)
    previous = page.html.select_one("a[rel=prev]")["href"]
    assert previous.endswith("?tuan=2025-W11")
    following = testapp.get(previous).html.select_one("a[rel=next]")["href"]
    assert following.endswith("?tuan=2025-W12")
    assert "Chào cờ đầu tuần" in testapp.get(following).text
    older = testapp.get(previous)
    assert "Chưa có lịch công tác trong tuần này." in older.text
    assert older.html.find("a", string="Tuần này")["href"].endswith(URL)
    new_year = testapp.get(URL + "?tuan=2026-W01")
    assert new_year.html.select_one("a[rel=prev]")["href"].endswith("?tuan=2025-W52")
    assert "Tuần 1/2026 (29/12/2025 – 04/01/2026)" in new_year.text


def test_the_current_week_follows_the_clock(testapp, schedule):
    with frozen(datetime(2025, 3, 23, 16, 59, tzinfo=UTC)):  # Sunday 23:59 in Hà Nội
        assert "Tuần 12/2025" in testapp.get(URL).text
    with frozen(datetime(2025, 3, 23, 17, 0, tzinfo=UTC)):  # Monday 00:00 in Hà Nội
        assert "Tuần 13/2025" in testapp.get(URL).text


@pytest.mark.parametrize("week", ["2025-W54", "2025-12", "W12", "2025-W00", "x" * 300])
def test_a_malformed_week_is_refused(testapp, schedule, week):
    page = testapp.get(URL, {"tuan": week}, status=400)
    assert "không hợp lệ" in page.text
    answer = testapp.get(URL + "@@tuan.json", {"tuan": week}, status=400)
    assert answer.json["type"] == "BadRequest"


def test_week_as_json(testapp, schedule, clock):
    data = testapp.get(URL + "@@tuan.json").json
    assert data["week"] == "2025-W12"
    assert (data["start"], data["end"]) == ("2025-03-17", "2025-03-23")
    assert (data["previous"], data["next"]) == ("2025-W11", "2025-W13")
    assert data["items"][0] == {
        "day": "2025-03-17",
        "time": "07:30",
        "content": "Chào cờ đầu tuần",
        "leader": "Phó Chủ tịch",
        "participants": "Toàn thể cán bộ",
        "location": "Hội trường",
    }
    assert [item["day"] for item in data["items"]] == ["2025-03-17", "2025-03-20"]
    assert testapp.get(URL + "@@tuan.json?tuan=2025-W13").json["items"] == []


def test_editing_a_week_on_one_form(admin, schedule, clock):
    page = admin.get(URL)
    form_page = admin.get(page.html.find("a", string="Sửa lịch tuần này")["href"])
    form = form_page.forms["schedule-form"]
    assert form["content-0"].value == "Chào cờ đầu tuần"
    assert form["content-1"].value == "Họp giao ban"
    assert form["content-2"].value == ""  # blank rows to fill
    form["day-2"] = "2025-03-21"
    form["time-2"] = "08:00"
    form["content-2"] = "Tiếp công dân định kỳ"
    form["leader-2"] = "Chủ tịch"
    form["location-2"] = "Phòng tiếp công dân"
    form["content-1"] = "Họp giao ban tháng 3"
    page = form.submit("action", value="save").follow()
    assert "Đã lưu lịch công tác tuần." in page.text
    assert [row[1] for row in table_rows(page) if len(row) > 1] == [
        "Chào cờ đầu tuần",
        "Họp giao ban tháng 3",
        "Tiếp công dân định kỳ",
    ]
    assert "Thứ Sáu, 21/03/2025" in page.text


def test_rows_are_added_and_removed(admin, schedule, clock):
    form = admin.get(URL + "@@sua-tuan?tuan=2025-W12").forms["schedule-form"]
    assert form["rows"].value == "5"
    form = form.submit("action", value="add").forms["schedule-form"]
    assert form["rows"].value == "6"
    page = form.submit("remove", value="0")
    form = page.forms["schedule-form"]
    assert form["content-0"].value == "Họp giao ban"  # the first row is gone from the form
    assert admin.get(URL + "@@tuan.json?tuan=2025-W12").json["items"][0]["time"] == "07:30"
    form.submit("action", value="save").follow()
    items = admin.get(URL + "@@tuan.json?tuan=2025-W12").json["items"]
    assert [item["content"] for item in items] == ["Họp giao ban"]


def test_invalid_rows_are_shown_with_their_errors_and_nothing_is_stored(admin, schedule, clock):
    form = admin.get(URL + "@@sua-tuan?tuan=2025-W12").forms["schedule-form"]
    form["time-0"] = "25:00"
    form["content-1"] = ""
    form["content-2"] = "Làm việc với đoàn kiểm tra"  # no leader
    page = form.submit("action", value="save", status=400)
    assert "Chưa lưu được" in page.text
    summary = [a.get_text(" ", strip=True) for a in page.html.select(".error-summary a")]
    assert summary == [
        "Dòng 1: Giờ phải có dạng giờ:phút, ví dụ 07:30.",
        "Dòng 2: Nhập nội dung công việc.",
        "Dòng 3: Nhập lãnh đạo chủ trì.",
    ]
    time_input = page.html.select_one("#time-0")
    assert time_input["aria-describedby"] == "time-0-error"
    assert time_input["value"] == "25:00"  # what was typed stays
    assert page.html.select_one("#time-0-error").get_text(strip=True).startswith("Giờ phải")
    assert page.html.select_one("#content-2").get_text() == "Làm việc với đoàn kiểm tra"
    items = admin.get(URL + "@@tuan.json?tuan=2025-W12").json["items"]
    assert [item["content"] for item in items] == ["Chào cờ đầu tuần", "Họp giao ban"]


def test_a_day_outside_the_week_is_refused(admin, schedule):
    page = admin.get(URL + "@@sua-tuan?tuan=2025-W12")
    params = {
        "csrf_token": csrf_token(page),
        "rows": "1",
        "action": "save",
        "day-0": "2025-03-24",
        "time-0": "",
        "content-0": "Họp",
        "leader-0": "Chủ tịch",
    }
    page = admin.post(URL + "@@sua-tuan?tuan=2025-W12", params, status=400)
    assert "Chọn một ngày trong tuần." in page.text


def test_saving_needs_the_csrf_token_and_the_right_to_edit(testapp, admin, schedule):
    params = {
        "rows": "1",
        "action": "save",
        "day-0": "2025-03-17",
        "content-0": "X",
        "leader-0": "Y",
    }
    admin.post(URL + "@@sua-tuan?tuan=2025-W12", params, status=400)
    items = admin.get(URL + "@@tuan.json?tuan=2025-W12").json["items"]
    assert len(items) == 2
    admin.post("/@@logout", {"csrf_token": csrf_token(admin.get("/"))})
    response = testapp.get(URL + "@@sua-tuan?tuan=2025-W12")
    assert response.status_int == 302 and "@@login" in response.location


def test_a_private_schedule_is_hidden_from_visitors(testapp, model):
    add(model, model.site, "WeeklySchedule", name="lich-cong-tac", title="Lịch công tác")
    model.commit()
    assert testapp.get(URL).status_int == 302  # to the login page
    assert testapp.get(URL + "@@tuan.json").status_int == 302


def test_the_portlet_shows_the_current_weeks_entries_beside_the_pages(testapp, model, schedule):
    add(model, model.site, "Page", "published", name="gioi-thieu", title="Giới thiệu")
    model.commit()
    with frozen(WEDNESDAY):
        week = testapp.get("/gioi-thieu").html.select_one("aside .portlet-week-schedule")
    assert "Họp giao ban" in week.text and "Thứ Năm, 20/03/2025" in week.text
    with frozen(datetime(2025, 3, 26, 2, 0, tzinfo=UTC)):
        week = testapp.get("/gioi-thieu").html.select_one("aside .portlet-week-schedule")
    assert "Họp giao ban" not in week.text
    assert "Tuần 13/2025" in week.text
