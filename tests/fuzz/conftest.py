"""The fuzz tests' application: the demo portal, loaded once per test module."""

import pytest

from core import main
from core.demo import load_demo, read_demo
from core.testing import ModelRequest, make_settings


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """The application with the demo portal loaded (shared by the module)."""
    app = main({}, **make_settings(tmp_path_factory.mktemp("fuzz") / "var"))
    model = ModelRequest(app)
    load_demo(model.request, read_demo(), echo=lambda line: None)
    model.commit()
    model.close()
    yield app
    for db in app.registry._zodb_databases.values():
        db.close()
