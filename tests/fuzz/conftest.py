"""The fuzz tests' application: the demo portal, loaded once per test module."""

import pytest

from core import main
from core.demo import load_demo, read_demo
from core.testing import ModelRequest, make_settings
from plugins.documents.entries import parse_incoming, parse_outgoing
from plugins.documents.registration import create_outgoing, register_incoming
from plugins.documents.units import office_of

#: Every built-in plugin: the demo loads their content (the one-stop desks' dossiers too).
FUZZED_PLUGINS = "documents news onestop schedule search services"
#: The unit whose registers get a document of each kind (:func:`add_registered_documents`).
REGISTERS_UNIT = "90005"


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """The application with the demo portal loaded (shared by the module)."""
    settings = {"cong.plugins": FUZZED_PLUGINS, "cong.outbox.deliver_in_process": "false"}
    app = main({}, **make_settings(tmp_path_factory.mktemp("fuzz") / "var", **settings))
    model = ModelRequest(app)
    load_demo(model.request, read_demo(), echo=lambda line: None)
    add_registered_documents(model.request)
    model.commit()
    model.close()
    yield app
    for db in app.registry._zodb_databases.values():
        db.close()


def add_registered_documents(request) -> None:
    """An incoming and an outgoing document in a unit's registers (as the admin), for
    the operations on registered documents to have one to address."""
    office = office_of(request.root, REGISTERS_UNIT)
    values = {"type": "cong-van", "sender": "UBND tỉnh", "summary": "Về việc rà soát"}
    register_incoming(request, office, parse_incoming(request, values, "json"))
    values = {"type": "quyet-dinh", "summary": "Quyết định ban hành kế hoạch"}
    create_outgoing(request, office, parse_outgoing(request, values, "json"))
