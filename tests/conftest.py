"""Shared fixtures: a real application on a real FileStorage in a temporary folder."""

from __future__ import annotations

import re

import pytest
import transaction
import webtest

from core import main
from core.site import get_site

ADMIN_PASSWORD = "admin"


def make_settings(data_dir, **extra) -> dict:
    settings = {
        "here": str(data_dir),
        "cong.data_dir": str(data_dir),
        "cong.plugins": "news",
        "cong.initial_admin_password": ADMIN_PASSWORD,
        "cong.max_upload_mb": "2",
    }
    settings.update(extra)
    return settings


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "var"


@pytest.fixture
def app(data_dir):
    """The WSGI application; its database is closed after the test."""
    application = main({}, **make_settings(data_dir))
    yield application
    for db in application.registry._zodb_databases.values():
        db.close()


@pytest.fixture
def testapp(app):
    """A WebTest client (anonymous until it logs in)."""
    return webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})


class SiteAccess:
    """Open the application's database directly, to set up or check stored data."""

    def __init__(self, app):
        self.app = app
        self.db = app.registry._zodb_databases[""]

    def __enter__(self):
        self.tm = transaction.TransactionManager()
        self.conn = self.db.open(self.tm)
        return get_site(self.conn)

    def __exit__(self, exc_type, *args):
        if exc_type is None:
            self.tm.commit()
        else:
            self.tm.abort()
        self.conn.close()


@pytest.fixture
def site_access(app):
    """``with site_access() as site:`` gives the stored site, committed on exit."""
    return lambda: SiteAccess(app)


def csrf_token(testapp, path="/@@login") -> str:
    """A valid CSRF token for the client's session (from any page with a form)."""
    page = testapp.get(path)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "no csrf_token field on " + path
    return found.group(1)


def login(testapp, user="admin", password=ADMIN_PASSWORD):
    """Log the client in through the login form."""
    form = testapp.get("/@@login").forms["login-form"]
    form["login"] = user
    form["password"] = password
    return form.submit().maybe_follow()


def api_token(testapp, user="admin", password=ADMIN_PASSWORD) -> str:
    response = testapp.post_json("/@login", {"login": user, "password": password})
    return response.json["token"]


@pytest.fixture
def admin(testapp):
    """The client, logged in as the admin (Manager)."""
    login(testapp)
    return testapp


@pytest.fixture
def api(testapp):
    """The client with admin's bearer token and JSON Accept header set."""
    token = api_token(testapp)
    testapp.authorization = ("Bearer", token)
    testapp.extra_environ["HTTP_ACCEPT"] = "application/json"
    return testapp
