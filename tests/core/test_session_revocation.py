"""Ending sessions: a login cookie (or API token) copied before a password change,
an admin's reset or the account's deletion is worth nothing afterwards, replayed by
anyone, nor one of a session logged out; other users' sessions keep working."""

from __future__ import annotations

import pytest
import webtest

from core.security import AUTH_COOKIE
from core.testing import api_token, login

PASSWORD = "Mat-khau-rat-kho-doan-7391"
NEW_PASSWORD = "Mat-khau-moi-2026-x"


@pytest.fixture
def people(site_access):
    with site_access() as site:
        site.principals.add_user("u1", PASSWORD)
        site.principals.add_user("u2", PASSWORD)


def browser(app, user=None) -> webtest.TestApp:
    testapp = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    if user is not None:
        login(testapp, user, PASSWORD)
    return testapp


def replay(app, cookie: str) -> webtest.TestApp:
    """A fresh client carrying only a copy of a login cookie."""
    testapp = browser(app)
    testapp.set_cookie(AUTH_COOKIE, cookie)
    return testapp


def logged_in(testapp) -> bool:
    """Whether the client is taken for a logged-in user (else: sent to log in)."""
    response = testapp.get("/@@password", expect_errors=True)
    assert response.status_int in (200, 302)
    return response.status_int == 200


def api_status(testapp) -> int:
    headers = {"Accept": "application/json"}
    return testapp.post_json("/@login-renew", {}, headers=headers, expect_errors=True).status_int


@pytest.fixture
def sessions(app, people):
    """u1 logged in twice (a browser, a copy of its cookie) and by a token; u2 too."""
    u1 = browser(app, "u1")
    copied = u1.cookies[AUTH_COOKIE]
    token = api_token(browser(app), "u1", PASSWORD)
    u2 = browser(app, "u2")
    assert logged_in(replay(app, copied)) and logged_in(u2)
    return u1, copied, token, u2


def assert_ended(app, copied, token, u2):
    assert not logged_in(replay(app, copied))
    assert api_status(replay(app, copied)) == 401
    bearer = browser(app)
    bearer.authorization = ("Bearer", token)
    assert api_status(bearer) == 401
    assert logged_in(u2)  # another user's session is untouched


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, sessions):
    u1, copied, token, u2 = sessions
    form = u1.get("/@@password").forms["password-form"]
    form["current"], form["new"], form["repeat"] = PASSWORD, NEW_PASSWORD, NEW_PASSWORD
    assert form.submit().status_int == 302
    assert logged_in(u1)  # this browser got a fresh cookie
    assert_ended(app, copied, token, u2)


def test_an_admin_reset_ends_the_sessions(app, sessions):
    _u1, copied, token, u2 = sessions
    admin = browser(app)
    login(admin)
    form = admin.get("/@@user-edit", {"login": "u1"}).forms["user-form"]
    form["password"] = form["repeat"] = NEW_PASSWORD
    assert form.submit().status_int == 302
    assert_ended(app, copied, token, u2)


def test_a_password_set_through_the_users_api_ends_the_sessions(app, sessions):
    _u1, copied, token, u2 = sessions
    admin = browser(app)
    admin.authorization = ("Bearer", api_token(browser(app)))
    body = {"password": NEW_PASSWORD}
    admin.patch_json("/@users/u1", body, headers={"Accept": "application/json"}, status=204)
    assert_ended(app, copied, token, u2)
    assert api_token(browser(app), "u1", NEW_PASSWORD)


def test_an_api_edit_without_a_password_keeps_the_sessions(app, sessions):
    _u1, copied, token, u2 = sessions
    admin = browser(app)
    admin.authorization = ("Bearer", api_token(browser(app)))
    body = {"fullname": "Người dùng một"}
    admin.patch_json("/@users/u1", body, headers={"Accept": "application/json"}, status=204)
    assert logged_in(replay(app, copied))
    bearer = browser(app)
    bearer.authorization = ("Bearer", token)
    assert api_status(bearer) == 200


def test_logging_out_ends_this_session_and_its_copies_only(app, sessions):
    u1, copied, token, u2 = sessions
    form = u1.get("/@@logout").forms["logout-form"]
    form.submit()
    assert not logged_in(u1) and not logged_in(replay(app, copied))
    bearer = browser(app)
    bearer.authorization = ("Bearer", token)
    assert api_status(bearer) == 200  # the user's API session goes on
    assert logged_in(u2)


def test_an_api_logout_ends_its_token_only(app, sessions):
    _u1, copied, token, u2 = sessions
    bearer = browser(app)
    bearer.authorization = ("Bearer", token)
    bearer.post_json("/@logout", {}, headers={"Accept": "application/json"}, status=204)
    assert api_status(bearer) == 401
    assert logged_in(replay(app, copied)) and logged_in(u2)


def test_a_deleted_account_made_again_does_not_take_the_old_sessions(app, sessions, site_access):
    _u1, copied, token, u2 = sessions
    admin = browser(app)
    login(admin)
    form = admin.get("/@@user-edit", {"login": "u1"}).forms["user-delete-form"]
    assert form.submit().status_int == 302
    with site_access() as site:
        site.principals.add_user("u1", PASSWORD)  # the same login, a new person
    assert_ended(app, copied, token, u2)
