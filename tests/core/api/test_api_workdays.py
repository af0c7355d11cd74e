"""``@due-date`` and ``@working-calendar``: due moments for anyone, bad input answered
400 with a message, the site's calendar read by anyone and kept by Managers."""

from __future__ import annotations

from urllib.parse import quote

import pytest
import webtest

from core.testing import api_token, csrf_token

PASSWORD = "Mat-khau-can-bo-1"
JSON = {"Accept": "application/json"}


def due_date(client, start: str, days: str, status=200):
    query = f"/@due-date?start={quote(start)}&days={quote(days)}"
    return client.get(query, headers=JSON, status=status).json


@pytest.fixture
def editor(app, site_access):
    """A client with an Editor's bearer token."""
    with site_access() as site:
        site.principals.add_user("bientap", PASSWORD).roles.add("Editor")
    client = webtest.TestApp(app, extra_environ={"HTTP_ACCEPT": "application/json"})
    client.authorization = ("Bearer", api_token(client, "bientap", PASSWORD))
    return client


# @due-date ------------------------------------------------------------------------------
def test_the_due_moment_and_the_days_skipped(testapp):
    found = due_date(testapp, "2026-02-13T09:30:00+07:00", "1.5")
    assert found["due"] == "2026-02-23T15:15:00+07:00"
    assert found["start"] == found["counted_from"] == "2026-02-13T09:30:00+07:00"
    assert found["days"] == 1.5
    skipped = {d["date"]: (d["source"], d["title"]) for d in found["days_off"]}
    assert skipped["2026-02-17"] == ("holiday", "Tết Nguyên Đán")
    assert skipped["2026-02-14"] == ("weekly-rest", "Nghỉ hằng tuần")
    assert len(skipped) == 9  # two weekends and the five days of Tết


def test_a_start_after_hours_is_counted_from_the_next_session(testapp):
    found = due_date(testapp, "2026-04-24T10:45:00Z", "3")  # 17:45 in Vietnam
    assert found["start"] == "2026-04-24T17:45:00+07:00"
    assert found["counted_from"] == "2026-04-28T07:30:00+07:00"
    assert found["due"] == "2026-05-04T17:00:00+07:00"
    assert found["days"] == 3
    skipped = [d["date"] for d in found["days_off"]]
    assert skipped == ["2026-04-30", "2026-05-01", "2026-05-02", "2026-05-03"]
    start = quote("2026-04-28T08:00+07:00")
    english = testapp.get(f"/@due-date?start={start}&days=2&lang=en", headers=JSON).json
    assert english["days_off"][0]["title"] == "Liberation Day/Reunification Day"


def test_zero_days_is_where_the_count_starts(testapp):
    found = due_date(testapp, "2026-02-17T10:00:00+07:00", "0")
    assert found["due"] == found["counted_from"] == "2026-02-23T07:30:00+07:00"


#: Queries ``@due-date`` refuses, and the parameter its message names.
BAD_QUERIES = [
    ("days=1", "start"),
    ("start=2026-02-13T09:30:00%2B07:00", "days"),
    ("start=&days=1", "start"),
    ("start=hom-nay&days=1", "start"),
    ("start=2026-02-13T09:30:00&days=1", "start"),  # no time zone: a guess
    ("start=2026-02-13&days=1", "start"),
    ("start=2026-02-30T09:30:00%2B07:00&days=1", "start"),
    ("start=" + "9" * 5000 + "&days=1", "start"),
    ("start=2026-02-13T09:30:00%2B07:00&days=abc", "days"),
    ("start=2026-02-13T09:30:00%2B07:00&days=-1", "days"),
    ("start=2026-02-13T09:30:00%2B07:00&days=0.3", "days"),
    ("start=2026-02-13T09:30:00%2B07:00&days=1e3", "days"),
    ("start=2026-02-13T09:30:00%2B07:00&days=1001", "days"),
    ("start=2026-02-13T09:30:00%2B07:00&days=" + "9" * 40, "days"),
    ("start=2026-02-13T09:30:00%2B07:00&days=1&days=2", "days"),
    ("start=2026-02-13T09:30:00%2B07:00&days=NaN", "days"),
]


def test_bad_input_is_a_400_naming_the_parameter(testapp):
    for query, wrong in BAD_QUERIES:
        answer = testapp.get("/@due-date?" + query, headers=JSON, status=400).json
        assert answer["type"] == "BadRequest", query
        assert f"“{wrong}”" in answer["message"], query
    for start in ("1800-01-01T09:00:00+07:00", "2100-12-30T09:00:00+07:00"):
        answer = due_date(testapp, start, "5", status=400)
        assert answer["message"] == "Lịch chỉ có các năm từ 1901 đến 2100."


def test_due_date_is_read_only(testapp):
    assert testapp.post("/@due-date", headers=JSON, status=405).headers["Allow"] == "GET"


# @working-calendar: reading --------------------------------------------------------------
def test_anyone_reads_the_year_and_the_office_hours(testapp):
    found = testapp.get("/@working-calendar?year=2027", headers=JSON).json
    assert found["year"] == 2027
    assert found["office_hours"] == {
        "morning": {"start": "07:30", "end": "11:30"},
        "afternoon": {"start": "13:30", "end": "17:00"},
        "weekdays": [1, 2, 3, 4, 5],
        "default": True,
    }
    tet = [d for d in found["items"] if d["date"].startswith("2027-02")]
    assert [d["date"][-2:] for d in tet] == ["04", "05", "06", "07", "08", "09", "10"]
    assert found["items_total"] == len(found["items"])


def test_one_day_with_its_sessions(testapp):
    day = testapp.get("/@working-calendar/2026-08-22", headers=JSON).json
    assert (day["working"], day["source"], day["weekday"]) == (True, "makeup", 6)
    assert day["sessions"][1] == {
        "start": "2026-08-22T13:30:00+07:00",
        "end": "2026-08-22T17:00:00+07:00",
    }
    holiday = testapp.get("/@working-calendar/2026-09-02", headers=JSON).json
    assert (holiday["working"], holiday["holiday"], holiday["sessions"]) == (
        False,
        "Quốc khánh",
        [],
    )
    for wrong in ("2026-02-30", "hom-nay", "2026-09-02/x", "2200-01-01"):
        testapp.get("/@working-calendar/" + wrong, headers=JSON, status=404)
    testapp.get("/@working-calendar?year=1900", headers=JSON, status=400)


# @working-calendar: keeping -----------------------------------------------------------------
def test_managers_keep_and_forget_days(api):
    body = {"date": "2026-02-23", "note": "Nghỉ bù Tết"}
    added = api.post_json("/@working-calendar", body, status=201)
    assert added.headers["Location"].endswith("/@working-calendar/2026-02-23")
    assert (added.json["working"], added.json["note"], added.json["source"]) == (
        False,
        "Nghỉ bù Tết",
        "kept",
    )
    assert due_date(api, "2026-02-13T09:30:00+07:00", "1")["due"] == "2026-02-24T09:30:00+07:00"
    replaced = api.post_json("/@working-calendar", dict(body, working=True), status=200)
    assert replaced.json["working"] is True
    listed = api.get("/@working-calendar?year=2026").json["items"]
    assert {"date": "2026-02-23", "working": True, "note": "Nghỉ bù Tết"}.items() <= next(
        d for d in listed if d["date"] == "2026-02-23"
    ).items()
    api.delete("/@working-calendar/2026-02-23", status=204)
    api.delete("/@working-calendar/2026-02-23", status=404)
    assert due_date(api, "2026-02-13T09:30:00+07:00", "1")["due"] == "2026-02-23T09:30:00+07:00"


#: Days ``POST @working-calendar`` refuses, and the field its error names.
BAD_DAYS = [
    ({}, "date"),
    ({"date": "23/02/2026"}, "date"),
    ({"date": 20260223}, "date"),
    ({"date": "2300-02-23"}, "date"),
    ({"date": "2026-02-23", "working": "yes"}, "working"),
    ({"date": "2026-02-23", "note": "x" * 201}, "note"),
    ({"date": "2026-02-23", "note": ["a"]}, "note"),
]


def test_a_wrong_day_is_a_400_naming_its_field(api):
    for body, field in BAD_DAYS:
        answer = api.post_json("/@working-calendar", body, status=400).json
        assert [e["field"] for e in answer["errors"]] == [field], body
    assert api.get("/@working-calendar?year=2026").json["items_total"] == 15


def test_managers_set_the_office_hours_and_go_back_to_the_defaults(api):
    hours = {
        "morning": {"start": "08:00", "end": "12:00"},
        "afternoon": {"start": "13:00", "end": "17:00"},
        "weekdays": [1, 2, 3, 4, 5, 6],
    }
    api.patch_json("/@working-calendar", {"office_hours": hours}, status=204)
    assert api.get("/@working-calendar").json["office_hours"] == dict(hours, default=False)
    assert due_date(api, "2026-02-13T09:30:00+07:00", "1")["due"] == "2026-02-14T09:30:00+07:00"
    api.patch_json("/@working-calendar", {"office_hours": None}, status=204)
    assert api.get("/@working-calendar").json["office_hours"]["default"] is True


#: Office hours ``PATCH @working-calendar`` refuses, and the members its errors name.
BAD_HOURS = [
    ({}, ["office_hours"]),
    ({"office_hours": "08:00-12:00"}, ["office_hours"]),
    (
        {"office_hours": {"morning": {"start": "8h"}, "weekdays": [0, 8]}},
        [
            "office_hours.morning.start",
            "office_hours.morning.end",
            "office_hours.afternoon.start",
            "office_hours.afternoon.end",
            "office_hours.weekdays",
        ],
    ),
    (
        {
            "office_hours": {
                "morning": {"start": "08:00", "end": "12:00"},
                "afternoon": {"start": "11:00", "end": "17:00"},
                "weekdays": "1 2 3",
            }
        },
        ["office_hours.afternoon.start", "office_hours.weekdays"],
    ),
]


def test_wrong_office_hours_are_a_400_naming_each_member(api):
    for body, fields in BAD_HOURS:
        answer = api.patch_json("/@working-calendar", body, status=400).json
        assert [e["field"] for e in answer["errors"]] == fields, body
    assert api.get("/@working-calendar").json["office_hours"]["default"] is True


def test_only_managers_keep_the_calendar(testapp, editor):
    body = {"date": "2026-02-23"}
    hours = {"office_hours": None}
    testapp.post_json("/@working-calendar", body, headers=JSON, status=401)
    testapp.patch_json("/@working-calendar", hours, headers=JSON, status=401)
    testapp.delete("/@working-calendar/2026-02-23", headers=JSON, status=401)
    editor.post_json("/@working-calendar", body, status=403)
    editor.patch_json("/@working-calendar", hours, status=403)
    editor.delete("/@working-calendar/2026-02-23", status=403)
    assert editor.get("/@working-calendar?year=2026").json["items_total"] == 15


def test_a_browser_session_needs_the_csrf_token(admin):
    body = {"date": "2026-02-23"}
    admin.post_json("/@working-calendar", body, headers=JSON, status=400)
    token = csrf_token(admin.get("/@@working-calendar"))
    headers = dict(JSON, **{"X-CSRF-Token": token})
    admin.post_json("/@working-calendar", body, headers=headers, status=201)


def test_other_methods_and_paths_are_refused(api):
    api.put_json("/@working-calendar", {}, status=405)
    api.post_json("/@working-calendar/2026-02-23", {"date": "2026-02-23"}, status=405)
    api.patch_json("/@working-calendar/2026-02-23", {"office_hours": None}, status=405)
    api.delete("/@working-calendar", status=405)


def test_the_openapi_document_lists_them(api):
    paths = api.get("/@openapi").json["paths"]
    assert set(paths["/@due-date"]) == {"get"}
    assert "/{path}/@due-date" in paths  # a subsite answers too
    assert set(paths["/@working-calendar"]) == {"get", "post", "patch"}
    assert set(paths["/@working-calendar/{date}"]) == {"get", "delete"}
    due = {p["name"]: p for p in paths["/@due-date"]["get"]["parameters"]}
    assert due["start"]["required"] and due["days"]["schema"]["multipleOf"] == 0.5
    assert paths["/@working-calendar"]["post"]["security"] == [{"bearer": []}, {"basic": []}]
