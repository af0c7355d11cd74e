"""Plugins: found through entry points, loaded by name, failures named."""

import subprocess
import sys
from pathlib import Path

import pytest
import webtest
from pyramid.exceptions import ConfigurationConflictError

from core import main
from core.plugins import PluginError
from core.testing import make_settings

FIXTURE = Path(__file__).parent.parent / "fixtures" / "cong-hello"


@pytest.fixture(scope="module")
def installed_plugin(tmp_path_factory):
    """Install the cong-hello distribution (with pip) into a folder on sys.path."""
    target = tmp_path_factory.mktemp("site-packages")
    build = tmp_path_factory.mktemp("build")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(FIXTURE),
        ],
        check=True,
        cwd=build,
    )
    sys.path.insert(0, str(target))
    yield target
    sys.path.remove(str(target))
    for name in [m for m in sys.modules if m.startswith("cong_hello")]:
        del sys.modules[name]


def make_app(data_dir, plugins):
    return main({}, **make_settings(data_dir, **{"cong.plugins": plugins}))


def close(app):
    for db in app.registry._zodb_databases.values():
        db.close()


def test_a_third_party_plugin_is_found_and_works(installed_plugin, tmp_path, model_of):
    app = make_app(tmp_path, "news hello")
    try:
        assert "Greeting" in app.registry.cong_types
        assert "Greeter" in app.registry.cong_roles
        with model_of(app) as m:
            from core import operations as ops
            from core.workflow import workflow_of

            greeting = ops.create(m.request, m.site, "Greeting", {"title": "Sông Lam"})
            workflow_of(m.request, greeting).transition(m.request, greeting, "publish")
            m.commit()
        client = webtest.TestApp(app)
        assert client.get("/song-lam").text == "Xin chào, Sông Lam!"
        front = client.get("/")
        assert "Chào mừng quý khách" in front.text  # its portlet is shown
        menu = front.html.select_one("nav.main-nav")
        assert menu.find("a", href="https://dichvucong.gov.vn").text == "Dịch vụ công"
    finally:
        close(app)


def test_plugins_not_named_in_the_settings_do_not_run(installed_plugin, tmp_path):
    app = make_app(tmp_path, "news")
    try:
        assert "Greeting" not in app.registry.cong_types
    finally:
        close(app)


def test_an_unknown_plugin_stops_start_up_naming_it(tmp_path):
    with pytest.raises(PluginError, match="'nosuchplugin'"):
        make_app(tmp_path, "news nosuchplugin")


def test_a_plugin_that_fails_to_load_stops_start_up_naming_it(installed_plugin, tmp_path):
    with pytest.raises(PluginError, match="'broken' failed to load"):
        make_app(tmp_path, "broken")


def test_two_types_with_one_name_conflict_at_start_up(installed_plugin, tmp_path):
    with pytest.raises(ConfigurationConflictError):
        make_app(tmp_path, "news clash")
