"""The portal served by a real server for the browser tests (the server and the
browser themselves come from :mod:`core.testing`)."""

from __future__ import annotations

import pytest

from core import main
from core.testing import make_settings, served


@pytest.fixture(scope="module")
def server_url(tmp_path_factory):
    """The portal served by waitress on a free port, in a thread."""
    app = main({}, **make_settings(tmp_path_factory.mktemp("var")))
    with served(app) as url:
        yield url
    app.registry._zodb_databases[""].close()
