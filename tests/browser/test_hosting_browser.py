"""A visitor reaches a commune's site by its own host name and browses it: every
link keeps that host, and another unit's pages are not shown under it."""

from __future__ import annotations

import socket
import threading

import pytest
import waitress.server
from playwright.sync_api import expect

from core.testing import CHROMIUM, CHROMIUM_ARGS, ModelRequest
from tests.subsites.subsite_core_setup import TAN_PHU, build_units, close, make_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def port(tmp_path_factory):
    """The units' portal served by waitress on a free port; its port."""
    app = make_app(tmp_path_factory.mktemp("var"))
    model = ModelRequest(app)
    try:
        build_units(model)
    finally:
        model.close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        free = s.getsockname()[1]
    server = waitress.server.create_server(app, host="127.0.0.1", port=free, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    yield free
    server.close()
    close(app)


@pytest.fixture(scope="module")
def hosts_browser():
    """Chromium resolving every ``*.example.vn`` name to this machine."""
    from playwright.sync_api import sync_playwright

    args = [*CHROMIUM_ARGS, "--host-resolver-rules=MAP *.example.vn 127.0.0.1"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        yield browser
        browser.close()


def test_a_commune_site_by_its_host(hosts_browser, port):
    page = hosts_browser.new_page(locale="vi-VN")
    home = f"http://{TAN_PHU}:{port}/"
    page.goto(home)
    expect(page.locator(".brand-title")).to_have_text("UBND xã Tân Phú")
    page.locator("#main-nav-list").get_by_role("link", name="Tin xã").click()
    expect(page).to_have_url(f"{home}tin-tuc/")
    page.get_by_role("link", name="Lễ hội làng Tân Phú").first.click()
    expect(page).to_have_url(f"{home}tin-tuc/le-hoi/")
    crumbs = page.locator(".breadcrumbs")
    expect(crumbs.get_by_role("link", name="UBND xã Tân Phú")).to_have_attribute("href", home)
    footer = page.locator(".site-footer")
    expect(footer).to_contain_text("Số 1 Lê Lợi, xã Tân Phú")
    # a unit below it without a host of its own is not shown under this host
    response = page.goto(f"{home}thon-c/trang")
    assert response.status == 404
    page.close()
