"""What the tests of the one-stop pages share: an application holding
:func:`~plugins.onestop.tests.onestop_setup.province` for a module's tests, its
clients, and the online form filled as a citizen fills it."""

from __future__ import annotations

import pytest
import webtest

from core.testing import login
from plugins.onestop.tests.onestop_setup import (
    APPLICANT,
    PDF,
    province_app,
)

#: The online form of the communes' procedure at Tân Phú's desk.
FORM = "/xa-tan-phu/mot-cua/@@nop-ho-so?thu-tuc=1.000003"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """An application on the small province, shared by a module's tests."""
    with province_app(tmp_path_factory.mktemp("var")) as application:
        yield application


def client(app, user: str | None = None) -> webtest.TestApp:
    """A client of ``app``, signed in as ``user`` when given."""
    browser = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    if user:
        login(browser, user)
    return browser


def pdf(name: str = "scan.pdf") -> webtest.Upload:
    return webtest.Upload(name, PDF, "application/pdf")


def fill(form, prefix: str = "applicant-", **values) -> None:
    """The applicant's fields of ``form`` (:data:`APPLICANT`, with ``values``)."""
    for key, value in {**APPLICANT, **values}.items():
        form[prefix + key] = value


def submit_online(browser, path: str = FORM, **values):
    """Hand the communes' procedure in online; the confirmation page."""
    form = browser.get(path).forms["dossier-form"]
    fill(form, **values)
    form["component-0"] = pdf()
    form["return_method"] = "online"
    return form.submit().follow()
