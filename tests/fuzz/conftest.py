"""The fuzz tests' application: the demo portal, loaded once per test module."""

import pytest

from core import main
from core.demo import load_demo, read_demo
from core.testing import ModelRequest, make_settings

#: Every built-in plugin: the demo loads their content (dossiers and registers too).
FUZZED_PLUGINS = "documents news onestop schedule search services"


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """The application with the demo portal loaded (shared by the module)."""
    settings = {"cong.plugins": FUZZED_PLUGINS, "cong.outbox.deliver_in_process": "false"}
    app = main({}, **make_settings(tmp_path_factory.mktemp("fuzz") / "var", **settings))
    model = ModelRequest(app)
    load_demo(model.request, read_demo(), echo=lambda line: None)
    model.commit()
    model.close()
    yield app
    for db in app.registry._zodb_databases.values():
        db.close()
