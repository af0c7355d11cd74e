"""The "Hồ sơ của tôi" of a citizen signed in through the national identity
service: the dossiers whose applicant has their personal identification number,
however they were handed in, and no one else's (a provider of the test's own,
real HTTP)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from core.oidc.testing import OidcProvider
from core.testing import SiteAccess
from plugins.onestop.anonymise import anonymise_dossier
from plugins.onestop.registry import applicant_codes, index_applicants
from plugins.onestop.tests.onestop_setup import APPLICANT, province_app
from plugins.onestop.tests.pages_setup import client, submit_online

LAN = {"SoDinhDanh": APPLICANT["id_number"], "HoVaTen": APPLICANT["full_name"]}
BINH = {"SoDinhDanh": "079200001111", "HoVaTen": "Trần Văn Bình"}
DESK = "/xa-tan-phu/mot-cua/"


@pytest.fixture(scope="module")
def provider():
    with OidcProvider() as running:
        yield running


@pytest.fixture(scope="module")
def app(provider, tmp_path_factory):
    with province_app(tmp_path_factory.mktemp("var"), **provider.settings()) as application:
        yield application


@pytest.fixture(scope="module")
def dossiers(app) -> dict:
    """Two dossiers handed in by someone not signed in: Lan's and Bình's codes."""
    found = {}
    for person, values in ((LAN, {}), (BINH, {"id_number": BINH["SoDinhDanh"]})):
        page = submit_online(client(app), full_name=person["HoVaTen"], **values)
        found[person["SoDinhDanh"]] = page.html.select_one(".onestop-dossier-code").get_text()
    return found


def citizen(app, provider, person: dict):
    """A client signed in as ``person`` at the identity service."""
    provider.citizen = dict(person)
    browser = client(app)
    start = browser.get("/@@dang-nhap-cong-dan", status=302)
    back = urlsplit(provider.authorize(start.location))
    browser.get(f"{back.path}?{back.query}", status=302)
    return browser


def mine(browser) -> list[str]:
    page = browser.get("/@@ho-so-cua-toi")
    return [a.get_text() for a in page.html.select(".onestop-table tbody th a")]


def test_a_citizen_sees_their_dossiers_and_no_one_elses(app, provider, dossiers):
    lan, binh = dossiers[LAN["SoDinhDanh"]], dossiers[BINH["SoDinhDanh"]]
    browser = citizen(app, provider, LAN)
    assert mine(browser) == [lan]
    page = browser.get(DESK + lan)
    assert APPLICANT["full_name"] in page.text
    browser.get(DESK + binh, status=404)
    other = citizen(app, provider, BINH)
    assert mine(other) == [binh]
    other.get(DESK + lan, status=404)


def test_the_index_by_applicant_is_rebuilt_and_forgets_the_anonymised(app, dossiers):
    lan = dossiers[LAN["SoDinhDanh"]]
    access = SiteAccess(app)
    site = access.__enter__()
    try:
        site.onestop.applicants.clear()
        index_applicants(site)  # the evolve step, for the dossiers stored before
        assert applicant_codes(site, LAN["SoDinhDanh"]) == [lan]
        anonymise_dossier(site, site.onestop.codes[lan])
        assert applicant_codes(site, LAN["SoDinhDanh"]) == []
    finally:  # nothing kept
        access.__exit__(RuntimeError, None, None)
