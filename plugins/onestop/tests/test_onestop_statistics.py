"""A unit's statistics on a known set of dossiers (carried over, received by
channel, early / on time / late, in progress, closed, liên thông counted once),
their JSON, page and Excel, the ratings, and anonymisation leaving the figures as
they were. One province is built once for the module; the tests run in order."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import webtest
from openpyxl import load_workbook

from core import main
from core.clock import frozen
from core.fields import Upload
from core.periods import Period
from core.testing import USER_PASSWORD, ModelRequest, api_token
from plugins.onestop.anonymise import PLACEHOLDER, anonymise
from plugins.onestop.intake import Submission, submit
from plugins.onestop.persons import parse_person
from plugins.onestop.ratings import rate
from plugins.onestop.registry import find_dossier
from plugins.onestop.statistics import desk_statistics
from plugins.onestop.tests.onestop_setup import APPLICANT, PDF, onestop_settings, province
from plugins.onestop.transitions import TransitionError, perform
from plugins.onestop.units import desk_of

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
FINISH = [("chuyenvien1", "assign"), ("lanhdao1", "approve")]
SCORES = {"thai-do": 5, "thoi-gian": 4, "huong-dan": 4, "dung-hen": 3}


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


def person(id_number="001190012345"):
    found, errors = parse_person({**APPLICANT, "id_number": id_number}, "json")
    assert not errors
    return found


def new(m, when, channel="counter", owner="", id_number="001190012345", received=True):
    """A dossier of 1.000003 at 10001 (5 working days at the counter, 3 online)."""
    with frozen(when):
        m.act_as(owner or "tiepnhan1")
        sub = Submission("1.000003", person(id_number), "counter", channel, "10001",
                         documents=[("Tờ khai", Upload("a.pdf", "application/pdf", PDF))],
                         owner=owner)  # fmt: skip
        dossier = submit(m.request, sub, receive=channel == "counter")
    if channel != "counter" and received:
        step(m, when, dossier, [("tiepnhan1", "receive")])
    return dossier


def step(m, when, dossier, actions, **data):
    with frozen(when):
        for login, name in actions:
            m.act_as(login)
            perform(m.request, dossier, name, {"comment": "Lý do", **data})


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    application = main({}, **onestop_settings(tmp_path_factory.mktemp("stats") / "var"))
    m = ModelRequest(application)
    province(m)
    d = {}
    d["A"] = new(m, at(2026, 2, 2, 9))  # carried over into March, finished late there
    step(m, at(2026, 2, 3, 9), d["A"], [("chuyenvien1", "assign")])
    step(m, at(2026, 3, 4, 9), d["A"], FINISH)
    step(m, at(2026, 3, 5, 9), d["A"], [("tiepnhan1", "return_result")])
    d["B"] = new(m, at(2026, 3, 2, 9))  # early
    step(m, at(2026, 3, 2, 10), d["B"], [("chuyenvien1", "assign")])
    step(m, at(2026, 3, 3, 9), d["B"], FINISH)
    step(m, at(2026, 3, 4, 9), d["B"], [("tiepnhan1", "return_result")])
    d["C"] = new(m, at(2026, 3, 2, 10))  # on time: the due day, result not collected
    step(m, at(2026, 3, 2, 11), d["C"], [("chuyenvien1", "assign")])
    step(m, at(2026, 3, 9, 9, 30), d["C"], FINISH)
    d["D"] = new(m, at(2026, 3, 3, 8), "online", owner="congdan")  # overdue at the end
    d["E"] = new(m, at(2026, 3, 30, 9))  # in progress on time at the end
    d["F"] = new(m, at(2026, 3, 10, 8), "online", owner="congdan", received=False)
    step(m, at(2026, 3, 10, 9), d["F"], [("tiepnhan1", "refuse")])
    d["G"] = new(m, at(2026, 3, 11, 9))
    step(m, at(2026, 3, 12, 9), d["G"], [("tiepnhan1", "withdraw")])
    d["H"] = new(m, at(2026, 3, 16, 9))  # liên thông with 20001, early
    step(m, at(2026, 3, 16, 10), d["H"], [("chuyenvien1", "assign")])
    step(m, at(2026, 3, 16, 11), d["H"], [("chuyenvien1", "transfer")], unit="20001", days=2,
         step="Thẩm định")  # fmt: skip
    sub = find_dossier(m.site, d["H"].subs[0])
    step(m, at(2026, 3, 17, 9), sub, [("lanhdao3", "approve")])
    step(m, at(2026, 3, 18, 9), d["H"], FINISH)
    step(m, at(2026, 3, 19, 9), d["H"], [("tiepnhan1", "return_result")])
    d["I"] = new(m, at(2026, 2, 20, 9))  # all in February
    step(m, at(2026, 2, 23, 9), d["I"], [("tiepnhan1", "withdraw")])
    d["J"] = new(m, at(2026, 4, 2, 9))  # after March
    m.commit()
    application.codes = {k: v.code for k, v in d.items()}
    m.close()
    yield application
    for db in application.registry._zodb_databases.values():
        db.close()


@pytest.fixture
def m(app):
    model = ModelRequest(app)
    yield model
    model.close()


def test_a_month_counts_each_dossier_once_where_it_is_processed(app, m):
    with frozen(at(2026, 4, 15, 9)):
        stats = desk_statistics(desk_of(m.site, "10001"), MARCH)
        other = desk_statistics(desk_of(m.site, "20001"), MARCH)
    total = stats.total.as_dict()
    assert total["carried_over"] == 1  # A
    assert (total["received"], total["received_counter"], total["received_online"]) == (6, 5, 1)
    assert (total["finished"], total["finished_early"], total["finished_on_time"],
            total["finished_late"]) == (4, 2, 1, 1)  # fmt: skip
    assert (total["in_progress"], total["in_progress_overdue"]) == (2, 1)  # D late, E on time
    assert (total["returned"], total["withdrawn"], total["refused"]) == (3, 1, 1)
    assert total["on_time_rate"] == 0.75
    assert stats.fields["kinh-doanh"].as_dict() == total
    assert other.total.as_dict()["received"] == 0  # the sub-dossier is H's, counted at 10001
    april = Period(date(2026, 4, 1), date(2026, 4, 30))
    with frozen(at(2026, 4, 15, 9)):
        stats = desk_statistics(desk_of(m.site, "10001"), april)
    assert stats.total["carried_over"] == 2 and stats.total["received"] == 1  # D, E; J


def test_the_json_refuses_bad_periods_and_strangers(app):
    client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    url = "/xa-tan-phu/@dossier-stats"
    headers = {"Accept": "application/json"}
    assert client.get(url, {"from": "2026-03-01"}, headers=headers, status=403).json["type"]
    client.authorization = ("Bearer", api_token(client, "tiepnhan3", USER_PASSWORD))
    client.get(url, headers=headers, status=403)  # staff of another unit
    client.authorization = ("Bearer", api_token(client, "lanhdao1", USER_PASSWORD))
    for query in ({"from": "2026-13-01"}, {"from": "2026-03-02", "to": "2026-03-01"},
                  {"from": "2020-01-01", "to": "2026-01-01"}, {"to": "x"}):  # fmt: skip
        answer = client.get(url, query, headers=headers, status=400).json
        assert answer["type"] == "BadRequest" and answer["message"]
    data = client.get(url, {"from": "2026-03-01", "to": "2026-03-31"}, headers=headers).json
    assert data["total"]["finished_late"] == 1 and data["total"]["received_online"] == 1
    assert data["fields"][0]["title"] == "Kinh doanh"
    assert data["procedures"][0]["title"] == "Đăng ký hộ kinh doanh"


def test_the_page_draws_the_chart_and_the_excel_opens(app):
    client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    client.get("/xa-tan-phu/mot-cua/@@thong-ke", status=302)  # to the login page
    client.authorization = ("Bearer", api_token(client, "chuyenvien3", USER_PASSWORD))
    client.get("/xa-tan-phu/mot-cua/@@thong-ke", status=403)  # another unit's
    client.authorization = ("Bearer", api_token(client, "chuyenvien1", USER_PASSWORD))
    page = client.get("/xa-tan-phu/mot-cua/@@thong-ke", {"from": "2026-03-01", "to": "2026-03-31"})
    svg = page.html.find("svg")
    assert svg["role"] == "img" and svg.find("title").text and "Quá hạn: 1" in svg.find("desc").text
    assert "75,0 %" in page.text
    client.get("/xa-tan-phu/mot-cua/@@thong-ke", {"from": "bad"}, status=400)
    got = client.get(
        "/xa-tan-phu/mot-cua/@@thong-ke.xlsx", {"from": "2026-03-01", "to": "2026-03-31"}
    )
    assert "attachment" in got.headers["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(got.body)).active.values)
    assert rows[1][0] == "Tổng" and rows[1][2] == "1"  # carried over


def test_a_returned_dossier_is_rated_once_with_good_scores(app):
    client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    headers = {"Accept": "application/json"}
    body = {"code": app.codes["B"], "id_number": "001190012345", "scores": SCORES}
    bad = {**body, "scores": {**SCORES, "thai-do": 6}}
    assert client.post_json("/@lookup-rating", bad, headers=headers, status=400).json["message"]
    missing = {**body, "scores": {"thai-do": 5}}
    client.post_json("/@lookup-rating", missing, headers=headers, status=400)
    wrong = {**body, "id_number": "001190099999"}
    client.post_json("/@lookup-rating", wrong, headers=headers, status=404)
    client.post_json("/@lookup-rating", body, headers=headers)
    client.post_json("/@lookup-rating", body, headers=headers, status=409)  # once
    url = f"/xa-tan-phu/mot-cua/{app.codes['H']}/@rating"
    client.authorization = ("Bearer", api_token(client, "congdan", USER_PASSWORD))
    client.post_json(url, {"scores": SCORES}, headers=headers, status=403)  # not theirs
    client.authorization = None
    open_one = {**body, "code": app.codes["C"]}  # not returned yet
    client.post_json("/@lookup-rating", open_one, headers=headers, status=409)
    with frozen(at(2026, 4, 15, 9)):
        m = ModelRequest(app)
        stats = desk_statistics(
            desk_of(m.site, "10001"), Period(date(2026, 3, 1), date(2030, 1, 1))
        )
        dossier = find_dossier(m.site, app.codes["A"])
        with pytest.raises(TransitionError):
            rate(m.request, dossier, {**SCORES, "dung-hen": True})
        m.close()
    assert stats.ratings.count == 1 and stats.ratings.averages()["dung-hen"] == 3


def test_anonymising_keeps_the_figures_and_removes_the_person(app, m):
    desk = desk_of(m.site, "10001")
    with frozen(at(2026, 4, 15, 9)):
        before = desk_statistics(desk, MARCH).total.as_dict()
    counts = anonymise(m.site, 30, at(2026, 5, 1))  # closed before 1 April
    assert counts.dossiers == 7  # A, B, F, G, H and its sub-dossier, I
    assert anonymise(m.site, 30, at(2026, 5, 1)).dossiers == 0  # done already
    m.commit()
    with frozen(at(2026, 4, 15, 9)):
        assert desk_statistics(desk, MARCH).total.as_dict() == before
    gone = find_dossier(m.site, app.codes["B"])
    assert gone.anonymised and gone.applicant.full_name == PLACEHOLDER
    assert not gone.applicant.id_number and not gone.documents and not gone.applicant.phone
    kept = find_dossier(m.site, app.codes["C"])  # still open
    assert kept.applicant.full_name == APPLICANT["full_name"] and kept.documents
