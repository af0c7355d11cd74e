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
- ``templates_compiled_once`` (automatic, for the session): each Chameleon template
  compiled once per test process, not once per application.
- ``commits_without_fsync`` (automatic, for the session): FileStorage commits not
  forced to the disk (a test's data need not survive a power cut).
- ``browser`` (for a module): Debian's chromium driven by Playwright (mark such tests
  ``pytest.mark.browser``; slow ones ``pytest.mark.slow``, both registered here).

Helpers:

- a client's session: :func:`login` (through the login form, checking its answer),
  :func:`api_token`, :func:`csrf_token` (of a page's forms), :data:`ADMIN_PASSWORD`;
- content set up through :mod:`core.operations` exactly as the pages store it:
  :func:`add`, :func:`upload`, :func:`png_bytes`, :func:`add_user` (password
  :data:`USER_PASSWORD`);
- reading pages: :func:`flash_texts`, :func:`rows`;
- applications of your own: :func:`make_settings` (the settings of a test
  application), :func:`web` (a client on an application started on a folder),
  :func:`stored_site` (a folder's stored site, read only), :class:`SiteAccess`;
- the command line: :func:`write_ini` (a site's ini file) and :func:`run_cong` (a
  ``cong`` command run in the test's process);
- browser tests: :func:`served` (an application served by waitress on a free port).
"""

from __future__ import annotations

import base64
import importlib
import io
import json
import os
import re
import shutil
import socket
import statistics
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import transaction
import waitress.server
import webtest
from pyramid.response import Response
from ZODB import DB
from ZODB.FileStorage import FileStorage
from ZODB.POSException import ConflictError

from core import main, operations
from core.hookspecs import hookimpl
from core.site import get_site
from core.workflow import workflow_of

#: The password of the admin of a test application.
ADMIN_PASSWORD = "admin"
#: The password :func:`add_user` gives by default.
USER_PASSWORD = "secret-1"


def pytest_configure(config):
    """Register the markers the tests use."""
    config.addinivalue_line("markers", "browser: drives Debian's chromium through Playwright")
    config.addinivalue_line("markers", "slow: long-running; excluded unless -m slow")


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Cheap argon2 parameters for the tests (the real ones take ~50 ms a hash)."""
    from argon2 import PasswordHasher

    from core import principals

    default = principals._hasher
    principals._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    principals._hasher = default


class _KeptTemplates:
    """A Chameleon loader keeping each compiled template by its digest (its source,
    builtins and options), as Chameleon's own disk cache does (``CHAMELEON_CACHE``)."""

    def __init__(self, loader):
        self.loader = loader
        self.cooked: dict = {}

    def get(self, filename: str):
        return self.cooked.get(filename)

    def build(self, source: str, filename: str):
        cooked = self.cooked[filename] = self.loader.build(source, filename)
        return cooked


@pytest.fixture(autouse=True, scope="session")
def templates_compiled_once():
    """Each template compiled once per test process (each test's application has its
    own templates, and compiling them is most of the cost of a first page)."""
    from chameleon.template import BaseTemplate

    default = BaseTemplate.loader
    BaseTemplate.loader = _KeptTemplates(default)
    yield
    BaseTemplate.loader = default


@pytest.fixture(autouse=True, scope="session")
def commits_without_fsync():
    """FileStorage commits written but not forced to the disk: a test's data need not
    survive a power cut, and an ``fsync`` on every commit is slow on a busy disk."""
    module = importlib.import_module("ZODB.FileStorage.FileStorage")  # the class's module
    default = module.fsync
    module.fsync = None
    yield
    module.fsync = default


def make_settings(data_dir, **extra) -> dict:
    """The settings of a test application storing its data in ``data_dir``, with the
    admin's password :data:`ADMIN_PASSWORD`; ``extra`` settings override them."""
    settings = {
        "here": str(data_dir),
        "cong.data_dir": str(data_dir),
        "cong.plugins": "news schedule search services",
        "cong.initial_admin_password": ADMIN_PASSWORD,
        "cong.max_upload_mb": "2",
        "cong.audit.fsync": "false",
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


def login(testapp, user="admin", password=None, status=302):
    """Log the client in through the login form as ``user``, whose ``password`` is by
    default :data:`ADMIN_PASSWORD` for the admin and :data:`USER_PASSWORD` for the
    others; the form must answer ``status`` (``"*"``: whatever it answers). Returns
    the page the login leads to."""
    if password is None:
        password = ADMIN_PASSWORD if user == "admin" else USER_PASSWORD
    form = testapp.get("/@@login").forms["login-form"]
    form["login"] = user
    form["password"] = password
    return form.submit(status=status).maybe_follow()


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


# The command line and applications of your own, on a site in a folder.


class FlakyPlugin:
    """A plugin with a view, ``@@flaky`` on the site, that hits a write conflict on
    its first attempt (and counts its attempts in the site's ``flaky_counter``)."""

    def __init__(self):
        self.attempts = 0

    @hookimpl
    def cong_configure(self, config):
        def flaky(context, request):
            self.attempts += 1
            context.flaky_counter = getattr(context, "flaky_counter", 0) + 1
            if self.attempts == 1:
                raise ConflictError("simulated conflict")
            return Response("ok")

        config.add_view(flaky, name="flaky", context="core.interfaces.ISite", require_csrf=False)


def write_ini(tmp_path: Path, **settings) -> Path:
    """An ini file ``tmp_path/site.ini`` whose site lives in ``tmp_path/var``;
    ``settings`` add to or replace the defaults (keys with ``_`` for ``.``:
    ``cong_plugins="news services"``)."""
    values = {
        "cong.data_dir": "%(here)s/var",
        "cong.plugins": "news",
        "cong.initial_admin_password": ADMIN_PASSWORD,
    }
    values.update({key.replace("_", "."): value for key, value in settings.items()})
    lines = ["[app:main]", "use = egg:cong", *(f"{k} = {v}" for k, v in values.items())]
    path = tmp_path / "site.ini"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass
class CliResult:
    """What a ``cong`` command ended with and printed."""

    status: int
    out: str
    err: str


def run_cong(capsys, ini: Path, *args: str) -> CliResult:
    """Run ``cong -c ini args...`` in this process (``capsys``: pytest's fixture)."""
    from core.cli.main import main as cong

    capsys.readouterr()
    status = cong(["-c", str(ini), *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return CliResult(status, out, err)


@contextmanager
def stored_site(data_dir: Path):
    """The site as stored in ``data_dir`` (read only; no application started)."""
    storage = FileStorage(str(data_dir / "Data.fs"), read_only=True)
    db = DB(storage)
    conn = db.open()
    try:
        yield conn.root()["cong"]
    finally:
        conn.close()
        db.close()


@contextmanager
def web(data_dir: Path, **settings):
    """A WebTest client on the application started on ``data_dir`` with
    :func:`make_settings` and ``settings``; its databases are closed on exit."""
    application = main({}, **make_settings(data_dir, **settings))
    try:
        yield webtest.TestApp(application, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    finally:
        for db in application.registry._zodb_databases.values():
            db.close()


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


def csrf_token(page) -> str:
    """The CSRF token of a page's forms (any page with a form: ``/@@login``...)."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "no csrf_token on the page " + page.request.path_qs
    return found.group(1)


def add_user(site_access, login: str, password: str = USER_PASSWORD, roles=(), local=None):
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


def flash_texts(page) -> list[str]:
    """The texts of the flash messages shown on a page."""
    return [el.get_text(" ", strip=True) for el in page.html.select(".flash-messages .alert")]


def rows(page) -> list[str]:
    """The item names of a contents table, in the order shown."""
    return [box["value"] for box in page.html.select("table.contents input[name=ids]")]


# Browser tests: a real server and Debian's chromium, driven by Playwright.

#: The chromium the ``browser`` fixture drives (``CONG_CHROMIUM`` names another).
CHROMIUM = os.environ.get("CONG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def free_port() -> int:
    """A loopback port free now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(app):
    """``app`` served by waitress on a free loopback port, in a thread: its URL."""
    port = free_port()
    server = waitress.server.create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()


@pytest.fixture(scope="module")
def browser():
    """A headless :data:`CHROMIUM` driven by Playwright, for a module's tests."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# Real receivers of what the portal sends: an SMTP server and an HTTP receiver.

#: Recipients the SMTP server refuses for good (550).
REFUSED = "khong-ton-tai@songlam.gov.vn"


class Mailbox:
    """What the SMTP server received: parsed messages."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED:
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted"

    def to(self, address: str) -> list:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]


class SmtpServer:
    """An SMTP server on ``port`` that can be stopped and started again."""

    def __init__(self):
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller  # a test dependency

        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class Receiver(BaseHTTPRequestHandler):
    """Answers POST /ok 200, /busy 500, /bad 400; keeps what it got (a JSON body
    decoded, another as its bytes)."""

    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Type", "").startswith("application/json"):
            body = json.loads(body)
        self.received.append((self.path, dict(self.headers), body))
        status = {"/ok": 200, "/busy": 500, "/bad": 400}.get(self.path, 404)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"error": "x"}' if status >= 400 else b'{"ok": true}')

    def log_message(self, *args):
        pass


def http_receiver():
    """A started receiver: (its base URL, the list of requests it got, stop)."""
    received = []
    handler = type("OwnReceiver", (Receiver,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    return base, received, server.shutdown


# benchmarks --------------------------------------------------------------------------
def timed(func, args_list) -> list[float]:
    """The milliseconds each call ``func(*args)`` of ``args_list`` took."""
    found = []
    for args in args_list:
        started = time.perf_counter()
        func(*args)
        found.append((time.perf_counter() - started) * 1000)
    return found


def percentiles(samples: list[float]) -> str:
    """``p50 … ms, p95 … ms`` of timings in milliseconds (a benchmark's line)."""
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    return f"p50 {statistics.median(samples):.1f} ms, p95 {p95:.1f} ms"
