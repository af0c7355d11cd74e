"""Login sessions: listed and ended by their user (page and API), ended by a
Manager, and refused once idle or too old (the clock is moved, not waited for)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import transaction
import webtest
from ZODB import DB
from ZODB.FileStorage import FileStorage

from core import main
from core.clock import frozen, set_now
from core.security import AUTH_COOKIE
from core.sessions import LoginSession, short_agent
from core.testing import (
    SiteAccess,
    api_token,
    login,
    make_settings,
    run_cong,
    stored_site,
    web,
    write_ini,
)

PASSWORD = "Mat-khau-phien-2026"
JSON = {"Accept": "application/json"}
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
PHONE = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    settings = make_settings(
        tmp_path_factory.mktemp("sessions") / "var",
        **{"cong.session_idle_minutes": "30", "cong.session_max_hours": "2"},
    )
    application = main({}, **settings)
    with SiteAccess(application) as site:
        for login_name in ("u1", "u2", "u3", "u4", "u5", "u6"):
            site.principals.add_user(login_name, PASSWORD)
    yield application
    for db in application.registry._zodb_databases.values():
        db.close()


def browser(app, user: str, agent: str = FIREFOX, address: str = "10.0.0.1") -> webtest.TestApp:
    client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": address, "HTTP_USER_AGENT": agent})
    login(client, user, PASSWORD)
    return client


def signed_in(client) -> bool:
    """Whether the client is taken for a signed-in user (else: sent to log in)."""
    response = client.get("/@@phien-dang-nhap", status="*")
    assert response.status_int in (200, 302)
    return response.status_int == 200


def bearer(app, token: str) -> webtest.TestApp:
    client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "10.0.0.9"})
    client.authorization = ("Bearer", token)
    return client


def audit_records(app) -> list[dict]:
    log = app.registry.cong_audit
    return [json.loads(line) for m in log.months() for line in open(log.path(m), "rb")]


def session_rows(page) -> list:
    return page.html.select("#sessions-listing tbody tr")


def test_the_page_lists_both_browsers_and_ending_one_signs_only_it_out(app):
    desk, phone = browser(app, "u1"), browser(app, "u1", PHONE, "10.0.0.2")
    page = desk.get("/@@phien-dang-nhap")
    rows = session_rows(page)
    assert len(rows) == 2
    assert "Phiên này" in rows[0].text and "Firefox · Windows" in rows[0].text
    assert "Chrome · Android" in rows[1].text and "10.0.0.2" in rows[1].text
    form = next(f for f in page.forms.values() if "session" in f.fields)
    form.submit().follow()
    assert not signed_in(phone)
    assert signed_in(desk)
    assert len(session_rows(desk.get("/@@phien-dang-nhap"))) == 1
    record = [r for r in audit_records(app) if r["action"] == "session.end"][-1]
    assert (record["user"], record["target"], record["details"]["reason"]) == ("u1", "u1", "ended")


def test_ending_the_other_sessions_keeps_this_one(app):
    desk, phone = browser(app, "u2"), browser(app, "u2", PHONE)
    token = api_token(webtest.TestApp(app), "u2", PASSWORD)
    page = desk.get("/@@phien-dang-nhap")
    assert len(session_rows(page)) == 3
    page.forms["sessions-others-form"].submit().follow()
    assert signed_in(desk) and not signed_in(phone)
    bearer(app, token).get("/@sessions", headers=JSON, status=401)
    assert "sessions-others-form" not in desk.get("/@@phien-dang-nhap").forms


def test_the_api_lists_and_ends_sessions(app):
    desk = browser(app, "u3")
    token = api_token(webtest.TestApp(app), "u3", PASSWORD)
    client = bearer(app, token)
    items = client.get("/@sessions", headers=JSON).json["items"]
    assert [(i["kind"], i["current"]) for i in items] == [("api", True), ("form", False)]
    renewed = client.post_json("/@login-renew", {}, headers=JSON).json["token"]
    assert bearer(app, renewed).get("/@sessions", headers=JSON).json["items_total"] == 2
    client.delete(f"/@sessions/{items[1]['id']}", headers=JSON, status=204)
    assert not signed_in(desk)
    error = client.delete(f"/@sessions/{items[1]['id']}", headers=JSON, status=404).json
    assert error["type"] == "NotFound"
    client.delete(f"/@sessions/{items[0]['id']}", headers=JSON, status=204)  # this one
    assert client.get("/@sessions", headers=JSON, status=401).json["type"] == "Unauthorized"
    assert bearer(app, renewed).get("/@sessions", headers=JSON, status=401)


def test_signing_in_again_in_a_browser_replaces_its_session(app):
    desk = browser(app, "u6")
    login(desk, "u6", PASSWORD)
    assert len(session_rows(desk.get("/@@phien-dang-nhap"))) == 1


def test_a_manager_ends_every_session_of_a_user(app):
    desk, phone = browser(app, "u4"), browser(app, "u4", PHONE)
    admin = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "10.0.0.3"})
    login(admin)
    page = admin.get("/@@user-edit", {"login": "u4"})
    page.forms["user-sessions-form"].submit().follow()
    assert not signed_in(desk) and not signed_in(phone)
    assert signed_in(admin)


def test_an_idle_session_expires_and_the_login_page_says_so(app):
    with frozen(START):
        desk = browser(app, "u5")
        token = api_token(webtest.TestApp(app), "u5", PASSWORD)
        set_now(START + timedelta(minutes=25))
        assert signed_in(desk)  # a request within the idle time keeps it alive
        set_now(START + timedelta(minutes=50))
        assert signed_in(desk)
        answer = bearer(app, token).get("/@sessions", headers=JSON, status=401).json
        assert answer["type"] == "SessionExpired"
        assert answer["message"] == "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại."
        renewal = bearer(app, token).post_json("/@login-renew", {}, headers=JSON, status=401)
        assert renewal.json["type"] == "SessionExpired"
        set_now(START + timedelta(minutes=81))
        response = desk.get("/@@phien-dang-nhap?x=1", status=302)
        assert "came_from=" in response.location and "phien-dang-nhap" in response.location
        page = response.follow()
        assert "Phiên đăng nhập đã hết hạn" in page.html.select_one("#login-error").text
        login(desk, "u5", PASSWORD)  # signing in again sweeps the expired sessions
        with SiteAccess(app) as site:
            assert len(site.principals.get_user("u5").sessions) == 1


def test_a_session_ends_after_its_longest_time_however_busy(app):
    with frozen(START):
        desk = browser(app, "u5")
        for minutes in range(20, 121, 20):
            set_now(START + timedelta(minutes=minutes))
            assert signed_in(desk)
        set_now(START + timedelta(minutes=121))
        assert not signed_in(desk)


def test_a_copied_cookie_of_an_ended_session_is_worth_nothing(app):
    desk, phone = browser(app, "u1"), browser(app, "u1", PHONE)
    copied = phone.cookies[AUTH_COOKIE]
    desk.get("/@@phien-dang-nhap").forms["sessions-others-form"].submit()
    replay = webtest.TestApp(app)
    replay.set_cookie(AUTH_COOKIE, copied)
    assert not signed_in(replay)


def test_two_requests_moving_last_seen_at_once_do_not_conflict(tmp_path):
    db = DB(FileStorage(str(tmp_path / "Data.fs")))
    try:
        with db.transaction() as conn:
            conn.root()["s"] = LoginSession("k" + "0" * 32, "form", "", "", START)
        one, two = (
            db.open(transaction.TransactionManager()),
            db.open(transaction.TransactionManager()),
        )
        one.root()["s"].last_seen = START + timedelta(minutes=2)
        two.root()["s"].last_seen = START + timedelta(minutes=1)
        one.transaction_manager.commit()
        two.transaction_manager.commit()  # resolved: the later time is kept
        with db.transaction() as conn:
            assert conn.root()["s"].last_seen == START + timedelta(minutes=2)
    finally:
        db.close()


@pytest.mark.parametrize(
    "agent, shown",
    [
        (FIREFOX, "Firefox · Windows"),
        (PHONE, "Chrome · Android"),
        ("python-requests/2.31.0", "python-requests/2.31.0"),
        ("", "?"),
    ],
)
def test_browsers_are_named_as_people_know_them(agent, shown):
    assert short_agent(agent) == shown


def test_the_command_line_sweeps_expired_sessions(tmp_path, capsys):
    ini = write_ini(tmp_path)
    with frozen(START):
        with web(tmp_path / "var") as client:
            login(client)
        set_now(START + timedelta(hours=13))
        result = run_cong(capsys, ini, "user", "sweep-sessions")
    assert (result.status, result.out) == (0, "Removed 1 expired login sessions.\n")
    with stored_site(tmp_path / "var") as site:
        assert len(site.principals.get_user("admin").sessions) == 0
