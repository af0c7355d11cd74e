"""Shared fixtures: a real application on a real FileStorage in a temporary folder."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
import transaction
import webtest

from core import main
from core.site import get_site

ADMIN_PASSWORD = "admin"


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Cheap argon2 parameters for the tests (the real ones take ~50 ms a hash)."""
    from argon2 import PasswordHasher

    from core import principals

    default = principals._hasher
    principals._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    principals._hasher = default


def make_settings(data_dir, **extra) -> dict:
    settings = {
        "here": str(data_dir),
        "cong.data_dir": str(data_dir),
        "cong.plugins": "news schedule search services",
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


class ModelRequest:
    """A Pyramid request on the app's database for testing the model without HTTP;
    its transaction is committed by :meth:`commit` and aborted at the end."""

    def __init__(self, app, login="admin"):
        from pyramid.request import Request, apply_request_extensions
        from pyramid.scripting import prepare

        request = Request.blank("/", environ={"REMOTE_ADDR": "127.0.0.1"})
        request.registry = app.registry
        apply_request_extensions(request)
        request.tm.begin()
        self.env = prepare(request=request, registry=app.registry)
        self.request = request
        request.root = self.site = self.env["root"]
        self.act_as(login)

    def act_as(self, login):
        """Make the following calls as user ``login`` (None: anonymous)."""
        user = self.site.principals.get_user(login) if login else None
        self.request.environ["cong.identity"] = user
        self.request.environ.pop("cong.principals", None)
        return self.request

    def commit(self):
        self.request.tm.commit()
        self.request.tm.begin()

    def close(self):
        from transaction.interfaces import NoTransaction

        try:
            self.request.tm.abort()
        except NoTransaction:
            pass
        self.env["closer"]()


@pytest.fixture
def model(app):
    """A :class:`ModelRequest` acting as the admin."""
    m = ModelRequest(app)
    yield m
    m.close()


@pytest.fixture
def model_of():
    """``with model_of(app, login) as m:`` a :class:`ModelRequest` on another app."""

    @contextmanager
    def open_model(app, login="admin"):
        m = ModelRequest(app, login)
        try:
            yield m
        finally:
            m.close()

    return open_model
