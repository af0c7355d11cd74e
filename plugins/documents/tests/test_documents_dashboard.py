"""The deadlines dashboard on a known set of documents, at Wednesday 29 April 2026,
10:00: the three working days ahead skip the holidays of 30 April and 1 May and
the weekend, so "due soon" runs to Wednesday 6 May. Per unit, per person, across
two units; the pages and the JSON, for whom they are."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import webtest

from core.clock import frozen
from core.htmlcheck import java_missing, validate
from core.testing import USER_PASSWORD, ModelRequest, api_token, login
from plugins.documents import registered as R
from plugins.documents.dashboard import person_dashboard, unit_dashboard
from plugins.documents.entries import parse_incoming
from plugins.documents.registration import register_incoming
from plugins.documents.tests.documents_setup import province_app
from plugins.documents.transitions import perform
from plugins.documents.units import office_of

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 4, 29, 10, 0, tzinfo=VN)
CLERKS = {"20001": "vanthu1", "10001": "vanthu2"}
LEADERS = {"20001": "lanhdao1", "10001": "lanhdao2"}
DASHBOARD = "/so-xay-dung/van-thu/@@bang-dieu-khien"


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


def incoming(model, unit: str, notation: str, **extra):
    model.act_as(CLERKS[unit])
    raw = {"sender": "UBND tỉnh", "notation": notation, "type": "Công văn", **extra}
    raw.setdefault("summary", f"Văn bản {notation}")
    values = parse_incoming(model.request, raw, "json")
    return register_incoming(model.request, office_of(model.site, unit), values)


def directed(model, unit: str, notation: str, lead: str, deadline: str, coordinators=(), **extra):
    document = incoming(model, unit, notation, **extra)
    perform(model.request, document, "submit")
    model.act_as(LEADERS[unit])
    data = {"direction": "Giao xử lý.", "lead": lead, "deadline": deadline}
    perform(model.request, document, "assign", {**data, "coordinators": list(coordinators)})
    return document


def finish(model, document, login: str) -> None:
    model.act_as(login)
    perform(model.request, document, "finish")


def build(app) -> None:
    """The known set (notations say what each is at :data:`NOW`)."""
    model = ModelRequest(app)
    try:
        with frozen(at(2026, 3, 20, 9, 0)):
            last_month = directed(model, "20001", "G-done-march", "chuyenvien1", "2026-03-31")
            finish(model, last_month, "chuyenvien1")
        with frozen(at(2026, 4, 20, 9, 0)):
            directed(model, "20001", "A-overdue", "chuyenvien1", "2026-04-28")
            directed(model, "20001", "B-soon", "chuyenvien1", "2026-05-05", ["chuyenvien2"])
            directed(model, "20001", "C-later", "chuyenvien1", "2026-05-07")
            directed(model, "20001", "D-overdue", "chuyenvien2", "2026-04-27")
            incoming(model, "20001", "E-registered")
            done = directed(model, "20001", "F-done", "chuyenvien1", "2026-04-24")
            model.act_as("admin")
            register_incoming(
                model.request,
                office_of(model.site, "20001"),
                parse_incoming(
                    model.request,
                    {"sender": "Xã Tân Phú", "type": "TB", "summary": "Thông báo", "notation": "K"},
                    "json",
                ),
                origin=("10001", "di-x"),
                check=False,
            )
            directed(model, "10001", "H-soon-holiday", "chuyenvien2", "2026-04-30")
            directed(
                model,
                "10001",
                "I-secret",
                "lanhdao2",
                "2026-05-04",
                secrecy="mat",
                readers=["lanhdao2"],
            )
            also_done = directed(model, "10001", "J-done", "chuyenvien2", "2026-04-24")
        with frozen(at(2026, 4, 22, 15, 0)):
            finish(model, done, "chuyenvien1")
            finish(model, also_done, "chuyenvien2")
        model.commit()
    finally:
        model.close()


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with province_app(tmp_path_factory.mktemp("var")) as application:
        build(application)
        yield application


@pytest.fixture
def model(app):
    found = ModelRequest(app)
    yield found
    found.close()


@pytest.fixture(autouse=True)
def at_now():
    with frozen(NOW):
        yield


def notations(model, keys) -> list[str]:
    return [office_of(model.site, unit)[doc_id].notation for unit, doc_id in keys]


def test_the_units_figures_count_working_days_across_holidays(model):
    model.act_as("vanthu1")
    board = unit_dashboard(model.request, office_of(model.site, "20001"))
    assert board.soon == at(2026, 5, 6, 10, 0)
    assert board.month == "2026-04"
    total = board.total
    assert notations(model, total.overdue) == ["D-overdue", "A-overdue"]  # by due time
    assert notations(model, total.due_soon) == ["B-soon"]
    assert sorted(notations(model, total.in_progress)) == [
        "A-overdue", "B-soon", "C-later", "D-overdue", "E-registered"
    ]  # fmt: skip
    assert notations(model, total.done) == ["F-done"]
    assert notations(model, total.arrived) == ["K"]
    assert board.statuses[R.ASSIGNED] == 4 and board.statuses[R.REGISTERED] == 1
    specialist = board.people["user:chuyenvien1"].counts()
    assert specialist == {"overdue": 1, "due_soon": 1, "in_progress": 3, "done": 1, "arrived": 0}
    other_unit = board.people["user:chuyenvien2"]
    assert notations(model, other_unit.overdue) == ["D-overdue"]
    assert notations(model, other_unit.due_soon) == ["B-soon"]  # as coordinator


def test_a_persons_figures_span_their_units_overdue_first(model):
    board = person_dashboard(model.request, "chuyenvien2")
    figures = board.total
    assert [unit for unit, _id in figures.in_progress] == ["20001", "10001", "20001"]
    assert notations(model, figures.in_progress) == ["D-overdue", "H-soon-holiday", "B-soon"]
    assert notations(model, figures.due_soon) == ["H-soon-holiday", "B-soon"]
    assert notations(model, figures.overdue) == ["D-overdue"]
    assert notations(model, figures.done) == ["J-done"]
    assert person_dashboard(model.request, "nguoingoai").total.counts()["in_progress"] == 0


def client(app, user: str | None = None, json: bool = False) -> webtest.TestApp:
    browser = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    if user and json:
        browser.authorization = ("Bearer", api_token(browser, user, USER_PASSWORD))
    elif user:
        login(browser, user)
    if json:
        browser.extra_environ["HTTP_ACCEPT"] = "application/json"
    return browser


def test_the_dashboard_json_lists_a_figure_by_handler_and_hides_secrets(app):
    clerk = client(app, "vanthu1", json=True)
    found = clerk.get("/so-xay-dung/van-thu/@documents-dashboard").json
    assert found["counts"] == {
        "overdue": 2, "due_soon": 1, "in_progress": 5, "done": 1, "arrived": 1
    }  # fmt: skip
    assert found["due_soon_until"] == "2026-05-06T10:00:00+07:00"
    assert [i["notation"] for i in found["list"]["items"]] == ["D-overdue", "A-overdue"]
    assert found["list"]["items"][0]["overdue"] is True
    people = {p["handler"]: p["counts"]["in_progress"] for p in found["people"]}
    assert people == {"user:chuyenvien1": 3, "user:chuyenvien2": 2}
    asked = {"list": "due_soon", "handler": "user:chuyenvien2"}
    listed = clerk.get("/so-xay-dung/van-thu/@documents-dashboard", asked).json["list"]
    assert [i["notation"] for i in listed["items"]] == ["B-soon"]
    paged = {"list": "in_progress", "b_size": "2"}
    listed = clerk.get("/so-xay-dung/van-thu/@documents-dashboard", paged).json["list"]
    assert listed["items_total"] == 5 and len(listed["items"]) == 2 and "next" in listed["batching"]
    bad = clerk.get("/so-xay-dung/van-thu/@documents-dashboard", {"list": "x"}, status=400)
    assert "x" in bad.json["message"]

    specialist = client(app, "chuyenvien2", json=True)
    listed = specialist.get("/xa-tan-phu/van-thu/@documents-dashboard", {"list": "in_progress"})
    assert listed.json["counts"]["in_progress"] == 2  # the secret one counted…
    items = [i["notation"] for i in listed.json["list"]["items"]]
    assert "I-secret" not in items and listed.json["list"]["hidden"] == 1  # …not listed
    leader = client(app, "lanhdao2", json=True)
    listed = leader.get("/xa-tan-phu/van-thu/@documents-dashboard", {"list": "in_progress"})
    assert "I-secret" in [i["notation"] for i in listed.json["list"]["items"]]

    specialist.get("/so-xay-dung/van-thu/@documents-dashboard", status=403)  # not its unit
    client(app, json=True).get("/so-xay-dung/van-thu/@documents-dashboard", status=401)
    client(app, json=True).get("/@my-documents", status=401)
    mine = specialist.get("/@my-documents").json
    assert mine["counts"] == {"overdue": 1, "due_soon": 2, "in_progress": 3, "done": 1}
    assert [(i["unit"], i["notation"]) for i in mine["list"]["items"]] == [
        ("20001", "D-overdue"), ("10001", "H-soon-holiday"), ("20001", "B-soon")
    ]  # fmt: skip


def test_the_pages_for_the_units_staff_and_each_person(app):
    clerk = client(app, "vanthu1")
    page = clerk.get(DASHBOARD)
    figures = page.html.select_one(".documents-figures").get_text(" ", strip=True)
    assert "Quá hạn: 2" in figures and "Chờ tiếp nhận: 1" in figures
    rows = [r.get_text(" ", strip=True) for r in page.html.select("#danh-sach tbody tr")]
    assert len(rows) == 2 and "D-overdue" in rows[0] and "Quá hạn" in rows[0]
    assert (
        page.headers["Cache-Control"] == "private, no-store"
        or "no-store" in page.headers["Cache-Control"]
    )
    done = clerk.get(DASHBOARD, {"list": "done", "handler": "user:chuyenvien1"})
    assert "F-done" in done.html.select_one("#danh-sach").get_text()
    mine = client(app, "chuyenvien2").get("/@@van-ban-cua-toi")
    rows = [r.get_text(" ", strip=True) for r in mine.html.select("#danh-sach tbody tr")]
    assert ["D-overdue" in rows[0], "Xã Tân Phú" in rows[1]] == [True, True]
    client(app, "vanthu2").get(DASHBOARD, status=403)
    assert "@@login" in client(app).get(DASHBOARD, status=302).location


@pytest.mark.skipif(java_missing(), reason="the HTML checker (vnu.jar) needs java")
def test_the_pages_are_valid_html(app, tmp_path):
    """The dashboards and a register's print page, in one run of the checker."""
    clerk = client(app, "vanthu1")
    april = {"from": "2026-04-01", "to": "2026-04-30"}
    pages = {
        "unit": clerk.get(DASHBOARD).text,
        "mine": client(app, "chuyenvien2").get("/@@van-ban-cua-toi").text,
        "register": clerk.get("/so-xay-dung/van-thu/@@so-van-ban-den", april).text,
    }
    assert "A-overdue" in pages["register"]
    assert validate(pages, tmp_path) == {name: [] for name in pages}


def test_the_indexes_follow_each_change(model):
    """Returned, done, recalled: the counts' indexes never keep a stale entry (this
    test's changes are not committed)."""
    office = office_of(model.site, "10001")
    returned = incoming(model, "10001", "R-returned")
    assert returned.id in office.open_by_status[R.REGISTERED]
    assert (returned.arrival.astimezone(ZoneInfo("UTC")).isoformat(), returned.id) in (
        office.incoming_by_arrival
    )
    perform(model.request, returned, "return_to_sender", {"comment": "Gửi nhầm nơi nhận."})
    assert returned.id not in office.open_by_status[R.REGISTERED]
    document = directed(model, "10001", "S-recalled", "chuyenvien2", "2026-05-04")
    finish(model, document, "chuyenvien2")
    assert document.id in office.done_handled[("2026-04", "user:chuyenvien2")]
    assert ("10001", document.id) in person_dashboard(model.request, "chuyenvien2").total.done
    document.recall_requested = "Ban hành nhầm."
    model.act_as("vanthu2")
    perform(model.request, document, "accept_recall")
    assert document.id not in office.done_handled[("2026-04", "user:chuyenvien2")]
    assert document.id not in office.done_by_month["2026-04"]
    assert ("10001", document.id) not in person_dashboard(model.request, "chuyenvien2").total.done
