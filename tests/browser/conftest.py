"""A real server and Debian's chromium, driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import threading
from contextlib import contextmanager

import pytest
import waitress.server

from core import main
from core.testing import make_settings

CHROMIUM = os.environ.get("CONG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@contextmanager
def served(app):
    """``app`` served by waitress on a free loopback port, in a thread: its URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = waitress.server.create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()


@pytest.fixture(scope="module")
def server_url(tmp_path_factory):
    """The portal served by waitress on a free port, in a thread."""
    app = main({}, **make_settings(tmp_path_factory.mktemp("var")))
    with served(app) as url:
        yield url
    app.registry._zodb_databases[""].close()


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
