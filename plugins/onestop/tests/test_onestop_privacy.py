"""An applicant's personal data stays with the dossier: not in the site's search
(as the admin, who sees everything else), the sitemap, the news feeds, a unit's
contents listing, nor in any log line written while the dossier is submitted,
handled, looked up and notified."""

from __future__ import annotations

import logging

import pytest

from core.testing import ModelRequest, login
from plugins.onestop.tests.onestop_setup import APPLICANT, province_app
from plugins.onestop.tests.test_onestop_model import counter
from plugins.onestop.transitions import perform


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    plugins = {"cong.plugins": "news onestop search services"}  # the site's search too
    with province_app(tmp_path_factory.mktemp("privacy") / "var", **plugins) as application:
        yield application


def test_personal_data_appears_nowhere_but_the_dossier(app, testapp, caplog):
    caplog.set_level(logging.DEBUG)
    model = ModelRequest(app)
    dossier = counter(model)
    model.act_as("chuyenvien3")
    perform(model.request, dossier, "assign", {})
    code = dossier.code
    model.commit()
    model.close()
    look = testapp.get("/@@tra-cuu").forms["lookup-form"]
    look["code"], look["number"] = code, APPLICANT["id_number"]
    look.submit()
    personal = (
        APPLICANT["full_name"],
        APPLICANT["id_number"],
        APPLICANT["phone"],
        APPLICANT["email"],
    )
    login(testapp)  # the admin: search and listings show them everything there is
    for text in (APPLICANT["full_name"], APPLICANT["id_number"], code):
        found = testapp.get(
            "/@search", {"SearchableText": text}, headers={"Accept": "application/json"}
        )
        assert found.json["items_total"] == 0, text
    pages = [
        testapp.get("/sitemap.xml"),
        testapp.get("/so-xay-dung/@@contents"),
        testapp.get("/so-xay-dung/mot-cua/@@contents"),
        testapp.get("/so-xay-dung/mot-cua", headers={"Accept": "application/json"}),
    ]
    for page in pages:
        for value in (*personal, code):
            assert value not in page.text, (page.request.path_qs, value)
    assert (
        testapp.get(f"/so-xay-dung/mot-cua/{code}").status_int == 200
    )  # it is there, for the admin
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for value in personal:
        assert value not in logged
