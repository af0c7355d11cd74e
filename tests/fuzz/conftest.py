"""The fuzz tests' application: the demo portal, a copy for each test module."""

import pytest

from core import main
from core.testing import make_settings


@pytest.fixture(scope="module")
def demo_app(demo_copy):
    """The application on a copy of the demo portal (shared by the module)."""
    app = main({}, **make_settings(demo_copy() / "var"))
    yield app
    for db in app.registry._zodb_databases.values():
        db.close()
