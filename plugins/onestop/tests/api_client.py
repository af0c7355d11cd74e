"""A province served over WebTest for the one-stop API tests: one application
per test module (:func:`province_app`), a bearer token per login, and the bodies
the API takes."""

from __future__ import annotations

import base64
from contextlib import contextmanager

import webtest

from core import main
from core.testing import ADMIN_PASSWORD, USER_PASSWORD, ModelRequest
from plugins.onestop.tests.onestop_setup import APPLICANT, PDF, onestop_settings, province


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def file_item(component: str, data: bytes = PDF, filename: str = "scan.pdf") -> dict:
    return {"component": component, "filename": filename, "data": b64(data), "encoding": "base64"}


def submission(service="1.000005", components=("Đơn đề nghị", "Bản vẽ"), **extra) -> dict:
    body = {
        "service": service,
        "applicant": dict(APPLICANT),
        "documents": [file_item(c) for c in components],
        "return_method": "counter",
    }
    body.update(extra)
    return body


class Province:
    """The application, its unit paths by code, and clients by login."""

    def __init__(self, app, paths: dict[str, str]):
        self.app = app
        self.paths = paths
        self.web = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        self.tokens: dict[str, str] = {}

    def headers(self, login: str | None) -> dict:
        headers = {"Accept": "application/json"}
        if login:
            if login not in self.tokens:
                password = ADMIN_PASSWORD if login == "admin" else USER_PASSWORD
                response = self.web.post_json("/@login", {"login": login, "password": password})
                self.tokens[login] = response.json["token"]
            headers["Authorization"] = f"Bearer {self.tokens[login]}"
        return headers

    def get(self, url, login=None, status=200, query=None):
        return self.web.get(url, params=query or {}, headers=self.headers(login), status=status)

    def post(self, url, body, login=None, status=200, **kw):
        return self.web.post_json(url, body, headers=self.headers(login), status=status, **kw)

    def act(self, dossier_url, name, login, status=200, **data):
        return self.post(f"{dossier_url}/@workflow/{name}", data, login, status)

    @contextmanager
    def model(self, login="admin"):
        """A :class:`ModelRequest` on the application's database."""
        model = ModelRequest(self.app, login)
        try:
            yield model
        finally:
            model.close()


@contextmanager
def served(data_dir, paths: dict[str, str], **settings):
    """The application on ``data_dir`` (a province made already)."""
    app = main({}, **onestop_settings(data_dir, **settings))
    try:
        yield Province(app, paths)
    finally:
        for db in app.registry._zodb_databases.values():
            db.close()


def make_province(data_dir, **settings) -> dict[str, str]:
    """Store the province of :mod:`onestop_setup` in ``data_dir``: its units' paths."""
    app = main({}, **onestop_settings(data_dir, **settings))
    model = ModelRequest(app)
    paths = {code: "/" + unit.__name__ for code, unit in province(model).items()}
    model.close()
    for db in app.registry._zodb_databases.values():
        db.close()
    return paths


@contextmanager
def province_app(data_dir, **settings):
    """The province of :mod:`onestop_setup` served, for a module's tests."""
    paths = make_province(data_dir, **settings)
    with served(data_dir, paths, **settings) as served_province:
        yield served_province
