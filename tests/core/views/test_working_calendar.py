"""The working-day calendar page: Managers keep the year's extra days off, make-up
working days and office hours; nobody else may; what they keep counts in due dates
and survives a restart."""

from __future__ import annotations

from datetime import date

import pytest
import webtest

from core import main
from core.testing import csrf_token, login, make_settings
from core.workdays import site_calendar

PAGE = "/@@working-calendar"
PASSWORD = "Mat-khau-can-bo-1"
DUE = "/@due-date?start=2026-02-13T09:30:00%2B07:00&days=1"


@pytest.fixture
def staff(site_access):
    """An Editor and a SiteAdmin of the whole site."""
    with site_access() as site:
        site.principals.add_user("bientap", PASSWORD).roles.add("Editor")
        site.principals.add_user("quantritrang", PASSWORD).roles.add("SiteAdmin")


def kept_days(site_access) -> dict:
    with site_access() as site:
        kept = site_calendar(site)
        return {day: (k.working, k.note) for day, k in kept.days.items()}


def stored_hours(site_access):
    with site_access() as site:
        kept = site_calendar(site)
        return kept.hours, kept.weekdays


def table(page) -> dict[str, list[str]]:
    """The rows of the year's table: date -> the texts of its cells."""
    return {
        row.th.time["datetime"]: [
            " ".join(cell.get_text(" ").split()) for cell in row.find_all("td")
        ]
        for row in page.html.select("table.working-days tbody tr")
    }


def due(client) -> str:
    return client.get(DUE, headers={"Accept": "application/json"}).json["due"]


# who may ------------------------------------------------------------------------------
def test_anonymous_visitors_are_sent_to_log_in(testapp):
    response = testapp.get(PAGE)
    assert response.status_int == 302 and "/@@login?came_from=" in response.location


def test_other_users_may_neither_see_nor_change_it(app, staff, site_access):
    for user in ("bientap", "quantritrang"):  # an Editor, a SiteAdmin
        browser = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        login(browser, user, PASSWORD)
        assert browser.get(PAGE, status=403)
        assert browser.get("/").html.find("a", href="http://localhost/@@working-calendar") is None
        token = csrf_token(browser.get("/@@login"))
        day = {"csrf_token": token, "date": "2026-03-09", "working": "0", "note": "Nghỉ"}
        browser.post("/@@working-calendar-day", day, status=403)
        hours = {"csrf_token": token, "morning_start": "08:00", "morning_end": "11:30"}
        browser.post("/@@working-calendar-hours", dict(hours, reset="1"), status=403)
        assert kept_days(site_access) == {}


def test_managers_find_it_beside_the_users(admin):
    link = admin.get("/").html.find("a", href="http://localhost/@@working-calendar")
    assert link.get_text(strip=True) == "Lịch làm việc"


def test_changes_need_the_csrf_token(admin, site_access):
    data = {"date": "2026-03-09", "working": "0", "note": "Nghỉ"}
    admin.post("/@@working-calendar-day", data, status=400)
    admin.post("/@@working-calendar-day", dict(data, csrf_token="forged"), status=400)
    admin.post("/@@working-calendar-hours", {"csrf_token": "forged", "reset": "1"}, status=400)
    assert kept_days(site_access) == {}


# the year's days ---------------------------------------------------------------------
def test_the_year_lists_the_packages_holidays_marked_as_such(admin):
    page = admin.get(PAGE, {"year": "2026"})
    rows = table(page)
    assert rows["2026-02-17"][:4] == ["Thứ Ba", "Nghỉ", "Tết Nguyên Đán", "Danh mục ngày lễ"]
    assert rows["2026-08-22"][:3] == ["Thứ Bảy", "Làm việc", "Ngày làm việc bù"]
    assert rows["2026-08-31"][2] == "Ngày nghỉ (thay cho ngày 22/08/2026)"
    assert "2026-03-09" not in rows
    assert page.html.find("a", rel="next")["href"].endswith("year=2027#days")
    assert "2027-02-04" in table(admin.get(page.html.find("a", rel="next")["href"]))


def test_in_english(admin):
    page = admin.get(PAGE, {"year": "2026", "lang": "en"})
    assert page.html.h1.get_text(strip=True) == "Working calendar"
    assert table(page)["2026-02-17"][:4] == ["Tuesday", "Day off", "Lunar New Year", "Holiday list"]


def test_a_wrong_year_is_a_400(admin):
    for year in ("abc", "1800", "2101", "2026.5"):
        assert admin.get(PAGE, {"year": year}, status=400)


# keeping days ---------------------------------------------------------------------------
def test_keep_an_extra_day_off_and_it_counts_in_due_dates(admin, site_access):
    assert due(admin) == "2026-02-23T09:30:00+07:00"
    form = admin.get(PAGE).forms["day-form"]
    form["date"] = "2026-02-23"
    form["note"] = "  Nghỉ bù   Tết "
    page = form.submit().follow()
    assert "Đã đặt ngày 23/02/2026 là ngày nghỉ." in page.text
    assert table(page)["2026-02-23"] == ["Thứ Hai", "Nghỉ", "Nghỉ bù Tết", "Quản trị đặt", "Bỏ"]
    assert kept_days(site_access) == {date(2026, 2, 23): (False, "Nghỉ bù Tết")}
    assert due(admin) == "2026-02-24T09:30:00+07:00"


def test_keep_a_make_up_saturday_and_forget_it(admin, site_access):
    form = admin.get(PAGE).forms["day-form"]
    form["date"] = "2026-02-28"
    form["working"] = "1"
    form["note"] = "Làm bù"
    page = form.submit().follow()
    assert table(page)["2026-02-28"][:3] == ["Thứ Bảy", "Làm việc", "Làm bù"]
    assert kept_days(site_access) == {date(2026, 2, 28): (True, "Làm bù")}
    forget = page.html.find(id="forget-2026-02-28").find_parent("form")
    data = {i["name"]: i["value"] for i in forget.find_all("input")}
    page = admin.post(forget["action"], data).follow()
    assert "Đã bỏ ngày 28/02/2026 khỏi lịch." in page.text
    assert "2026-02-28" not in table(page) and kept_days(site_access) == {}


def test_a_holiday_of_the_package_made_a_working_day(admin, site_access):
    page = admin.get(PAGE, {"year": "2026"})
    switch = page.html.find(id="switch-2026-11-24")
    assert switch.get_text(strip=True) == "Đặt là ngày làm việc"
    form = switch.find_parent("form")
    data = {i["name"]: i["value"] for i in form.find_all("input")}
    page = admin.post(form["action"], data).follow()
    assert table(page)["2026-11-24"][:4] == [
        "Thứ Ba",
        "Làm việc",
        "Ngày làm việc",
        "Quản trị đặt (thay cho ngày lễ: Ngày Văn hóa Việt Nam)",
    ]
    assert kept_days(site_access) == {date(2026, 11, 24): (True, "")}


#: Days the form refuses, and the field whose error is shown.
BAD_DAYS = [
    ({"date": "", "working": "0"}, "date"),
    ({"date": "23/02/2026", "working": "0"}, "date"),
    ({"date": "2200-01-01", "working": "0"}, "date"),
    ({"date": "2026-02-23", "working": "0", "note": "x" * 201}, "note"),
]


def test_a_wrong_day_is_refused_with_its_message(admin, site_access):
    token = csrf_token(admin.get(PAGE))
    for data, field in BAD_DAYS:
        page = admin.post("/@@working-calendar-day", dict(data, csrf_token=token), status=400)
        assert page.html.find(id=f"day-{field}")["aria-invalid"] == "true"
        assert page.html.find(id=f"day-{field}-error").get_text(strip=True)
        assert page.html.find(id="day-note")["value"] == data.get("note", "")
        assert kept_days(site_access) == {}


def test_forgetting_a_day_not_kept_is_refused(admin):
    token = csrf_token(admin.get(PAGE))
    for value in ("2026-03-09", "soon"):
        data = {"csrf_token": token, "date": value}
        page = admin.post("/@@working-calendar-day-remove", data, status=400)
        assert page.html.select_one(".alert-error").get_text(strip=True)


# office hours ------------------------------------------------------------------------------
def test_set_the_sites_office_hours_then_go_back_to_the_defaults(admin, site_access):
    form = admin.get(PAGE).forms["hours-form"]
    assert form["morning_start"].value == "07:30"
    form["morning_start"] = "08:00"
    for box in form.fields["weekdays"]:
        if box._value == "6":
            box.checked = True
    page = form.submit().follow()
    assert "Đã lưu giờ làm việc." in page.text
    assert stored_hours(site_access) == ("08:00-11:30 13:30-17:00", (1, 2, 3, 4, 5, 6))
    assert "Trang đang dùng giờ làm việc riêng." in page.html.find(id="hours-default").text
    # Friday 13 February 2026, 09:30 + 1 day: Saturday 14 is worked now
    assert due(admin) == "2026-02-14T09:30:00+07:00"
    page = page.forms["hours-form"].submit("reset").follow()
    assert stored_hours(site_access) == (None, None)
    assert page.forms["hours-form"]["morning_start"].value == "07:30"
    assert due(admin) == "2026-02-23T09:30:00+07:00"


def test_wrong_office_hours_are_refused_field_by_field(admin, site_access):
    form = admin.get(PAGE).forms["hours-form"]
    form["morning_end"] = "25:00"
    form["afternoon_end"] = "12:00"
    for box in form.fields["weekdays"]:
        box.checked = False
    page = form.submit(status=400)
    for name in ("morning_end", "afternoon_end"):
        assert page.html.find(id=f"hours-{name}")["aria-invalid"] == "true"
        assert page.html.find(id=f"hours-{name}-error").get_text(strip=True)
    assert page.html.find(id="hours-morning_end")["value"] == ""  # a time input shows no 25:00
    assert page.html.find(id="hours-afternoon_end")["value"] == "12:00"
    assert "Chọn ít nhất một ngày làm việc trong tuần." in page.text
    assert stored_hours(site_access) == (None, None)


# persistence ----------------------------------------------------------------------------
def test_the_calendar_survives_a_restart(app, admin, data_dir):
    form = admin.get(PAGE).forms["day-form"]
    form["date"] = "2026-02-23"
    form["note"] = "Nghỉ bù Tết"
    form.submit()
    form = admin.get(PAGE).forms["hours-form"]
    form["afternoon_end"] = "17:30"
    form.submit()
    for db in app.registry._zodb_databases.values():
        db.close()
    restarted = main({}, **make_settings(data_dir))
    try:
        client = webtest.TestApp(restarted, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        login(client)
        page = client.get(PAGE, {"year": "2026"})
        assert table(page)["2026-02-23"][2] == "Nghỉ bù Tết"
        assert page.forms["hours-form"]["afternoon_end"].value == "17:30"
        assert due(client) == "2026-02-24T09:30:00+07:00"
    finally:
        for db in restarted.registry._zodb_databases.values():
            db.close()
