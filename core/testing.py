"""The testing API of cong, for the kernel's tests and for plugin authors.

A pytest plugin: load it from your ``conftest.py`` with
``pytest_plugins = ("core.testing",)`` (this repository's root ``conftest.py`` does)
and your tests get a real application on a real FileStorage in a temporary folder.

Fixtures:

- ``app``: the WSGI application (:func:`core.main`) on ``settings``; its databases are
  closed after the test.
- ``settings``: the settings of ``app``, :func:`make_settings` on ``data_dir`` (with the
  built-in plugins); a plugin's tests override it to name their plugin.
- ``testapp``: a WebTest client of ``app``, anonymous until it logs in.
- ``admin``: ``testapp`` logged in as the admin (Manager) through the login form.
- ``api``: ``testapp`` with the admin's bearer token and a JSON ``Accept`` header.
- ``data_dir``: the data folder of ``app`` (a fresh temporary folder).
- ``site_access``: ``with site_access() as site:`` the stored site, committed on exit.
- ``model``: a :class:`ModelRequest` acting as the admin, to use the model without HTTP.
- ``model_of``: ``with model_of(app, login) as m:`` a :class:`ModelRequest` on another app.
- ``fast_password_hashing`` (automatic, for the session): cheap argon2 parameters.

Helpers: :func:`make_settings` (the settings of a test application, for building your
own), :func:`login`, :func:`api_token` and :func:`csrf_token` (a client's session),
and content set up through :mod:`core.operations` exactly as the pages store it:
:func:`add`, :func:`upload`, :func:`png_bytes`, :func:`add_user`, :func:`log_in`,
:func:`token`, :func:`flash_texts`, :func:`rows`.
"""

from __future__ import annotations

import base64
import io
import re
from contextlib import contextmanager

import pytest
import transaction
import webtest

from core import main, operations
from core.site import get_site
from core.workflow import workflow_of

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
    """The settings of a test application storing its data in ``data_dir``, with the
    admin's password :data:`ADMIN_PASSWORD`; ``extra`` settings override them."""
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
    """The data folder of the ``app`` fixture (created by the application)."""
    return tmp_path / "var"


@pytest.fixture
def settings(data_dir) -> dict:
    """The settings of the ``app`` fixture: :func:`make_settings` on ``data_dir``. A
    plugin's ``conftest.py`` overrides this fixture to run its own plugin::

        @pytest.fixture
        def settings(data_dir):
            return make_settings(data_dir, **{"cong.plugins": "hello"})
    """
    return make_settings(data_dir)


@pytest.fixture
def app(settings):
    """The WSGI application on ``settings``; its database is closed after the test."""
    application = main({}, **settings)
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
    """A bearer token of ``user`` from ``@login``."""
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


# Content, users and pages, set up as the site itself does it.

#: The transition that brings a new (private) object to each state.
TO_STATE = {"published": "publish", "pending": "submit"}


def add(model, folder, type_name: str, state: str | None = None, name=None, **values):
    """Create a ``type_name`` in ``folder`` from JSON-style ``values`` (as the admin),
    optionally move it to ``state``; call ``model.commit()`` to store it."""
    obj = operations.create(model.request, folder, type_name, values, source="json", name=name)
    if state:
        workflow_of(model.request, obj).transition(model.request, obj, TO_STATE[state])
    return obj


def png_bytes(width: int = 300, height: int = 200, color: str = "#a50e0e") -> bytes:
    """A PNG image made with Pillow."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def upload(data: bytes, filename: str, content_type: str) -> dict:
    """A file value as the JSON API takes it."""
    return {
        "data": base64.b64encode(data).decode("ascii"),
        "encoding": "base64",
        "filename": filename,
        "content-type": content_type,
    }


def token(page) -> str:
    """The CSRF token of a page's forms."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "no csrf_token on the page"
    return found.group(1)


def add_user(site_access, login: str, password: str = "secret-1", roles=(), local=None):
    """Create a user with global ``roles``; ``local`` is ``(path, roles)`` to grant
    local roles on the object at ``path``."""
    from pyramid.traversal import find_resource

    with site_access() as site:
        user = site.principals.add_user(login, password)
        for role in roles:
            user.roles.add(role)
        if local:
            path, local_roles = local
            find_resource(site, path).local_roles[login] = tuple(local_roles)


def log_in(testapp, login: str, password: str = "secret-1"):
    """Log the client in through the login form."""
    form = testapp.get("/@@login").forms["login-form"]
    form["login"] = login
    form["password"] = password
    response = form.submit()
    assert response.status_int == 302, response.text
    return response.follow()


def flash_texts(page) -> list[str]:
    """The texts of the flash messages shown on a page."""
    return [el.get_text(" ", strip=True) for el in page.html.select(".flash-messages .alert")]


def rows(page) -> list[str]:
    """The item names of a contents table, in the order shown."""
    return [box["value"] for box in page.html.select("table.contents input[name=ids]")]
