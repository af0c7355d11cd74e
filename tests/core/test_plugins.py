"""Plugins: found through entry points, loaded by name, failures named; and the
third-party plugin cong-hello (tests/fixtures/cong-hello, the example docs/plugins.md
builds), installed with pip, doing each step of the guide through the public API."""

import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import grimp
import pytest
import webtest
from pyramid.exceptions import ConfigurationConflictError

from catalog import search
from core import main, operations
from core.hookspecs import hookimpl
from core.plugins import PluginError
from core.testing import USER_PASSWORD, add_user, api_token, make_settings, run_cong, write_ini
from core.workflow import get_workflows, workflow_of
from etc.importlinter_contracts import PublicModulesContract
from subsites.plugins import disable
from subsites.provisioning import create_subsite

REPOSITORY = Path(__file__).resolve().parents[2]
FIXTURE = REPOSITORY / "tests" / "fixtures" / "cong-hello"


@pytest.fixture(scope="module")
def installed_plugin(tmp_path_factory):
    """A copy of the cong-hello distribution (``source``) installed with pip into a
    folder (``target``) put on sys.path."""
    source = tmp_path_factory.mktemp("source") / "cong-hello"
    shutil.copytree(FIXTURE, source, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    target = tmp_path_factory.mktemp("site-packages")
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
            str(source),
        ],
        check=True,
        cwd=source.parent,
    )
    sys.path.insert(0, str(target))
    yield SimpleNamespace(source=source, target=target)
    sys.path.remove(str(target))
    for name in [m for m in sys.modules if m.startswith("cong_hello")]:
        del sys.modules[name]


def make_app(data_dir, plugins, **settings):
    return main({}, **make_settings(data_dir, **{"cong.plugins": plugins}, **settings))


def close(app):
    for db in app.registry._zodb_databases.values():
        db.close()


@pytest.fixture
def settings(installed_plugin, data_dir):
    """The ``app`` of these tests runs the news plugin and cong-hello."""
    return make_settings(data_dir, **{"cong.plugins": "news hello"})


def test_a_third_party_plugin_is_found_and_works(app, testapp, site_access):
    registry = app.registry
    assert "Greeting" in registry.cong_types
    assert "greeting" in get_workflows(registry)
    assert "Greeter" in registry.cong_roles
    add_user(site_access, "chi", roles=("Greeter", "Contributor"))
    client = testapp
    client.authorization = ("Bearer", api_token(client, "chi", USER_PASSWORD))
    json = {"Accept": "application/json"}
    # its fields: checked by the API (and the forms) like the kernel's
    refused = client.post_json(
        "/", {"@type": "Greeting", "title": "Chào"}, headers=json, status=400
    )
    assert [e["field"] for e in refused.json["errors"]] == ["recipient"]
    client.post_json(
        "/", {"@type": "Greeting", "title": "Chào Sông Lam", "recipient": "Sông Lam"}, headers=json
    )
    visitor = webtest.TestApp(app)
    hidden = visitor.get("/chao-song-lam", status=302)  # a draft of its workflow is not public
    assert "/@@login" in hidden.location
    # its workflow: a Greeter sends the greeting
    sent = client.post_json("/chao-song-lam/@workflow/send", {}, headers=json)
    assert sent.json["review_state"] == "sent"
    page = visitor.get("/chao-song-lam")
    # its view, in its template, in the theme's layout
    assert page.html.select_one("main h1").get_text() == "Chào Sông Lam"
    assert page.html.select_one(".greeting-words").get_text() == "Xin chào, Sông Lam!"
    assert page.html.select_one("header") is not None
    front = visitor.get("/")
    # its portlet, from the catalog
    portlet = front.html.select_one(".greetings-portlet")
    assert "Chào Sông Lam → Sông Lam" in portlet.get_text(" ", strip=True)
    # its navigation entry
    menu = front.html.select_one("nav.main-nav")
    assert menu.find("a", href="https://dichvucong.gov.vn").text == "Dịch vụ công"


def test_its_catalog_field_is_searched_and_listed(model):
    for title, recipient in (("Chào Tân Phú", "Tân Phú"), ("Chào Tân An", "Tân An")):
        values = {"title": title, "recipient": recipient}
        operations.create(model.request, model.site, "Greeting", values, "json")
    found = search(model.request, types=("Greeting",), fields={"recipient": "Tân Phú"})
    assert [r.title for r in found.records] == ["Chào Tân Phú"]
    assert found.records[0].metadata["recipient"] == "Tân Phú"


def test_a_theme_overrides_its_template(installed_plugin, tmp_path, monkeypatch, model_of):
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "greeting.pt").write_text(
        '<html metal:use-macro="layout.macros[\'page\']"><div metal:fill-slot="main">'
        '<p class="themed">Kính gửi ${context.recipient}</p></div></html>',
        encoding="utf-8",
    )

    class ThemePlugin:
        @hookimpl
        def cong_configure(self, config):
            config.add_theme("tinh", str(theme))

    from core import plugins

    original = plugins.make_plugin_manager

    def with_theme(names):
        pm = original(names)
        pm.register(ThemePlugin(), name="theme-tinh")
        return pm

    monkeypatch.setattr(plugins, "make_plugin_manager", with_theme)
    app = make_app(tmp_path / "var", "hello", **{"cong.theme": "tinh"})
    try:
        with model_of(app) as m:
            values = {"title": "Chào", "recipient": "Sông Lam"}
            greeting = operations.create(m.request, m.site, "Greeting", values, "json")
            workflow_of(m.request, greeting).transition(m.request, greeting, "send")
            m.commit()
        page = webtest.TestApp(app).get("/chao")
        assert page.html.select_one(".themed").get_text() == "Kính gửi Sông Lam"
        assert page.html.select_one("header") is not None  # in the layout all the same
    finally:
        close(app)


def test_its_command_runs_in_the_command_line(installed_plugin, tmp_path, capsys):
    ini = write_ini(tmp_path, cong_plugins="hello")
    added = run_cong(capsys, ini, "hello", "add", "/", "Chào Tân Phú", "--to", "Tân Phú")
    assert (added.status, added.out) == (0, "Added /chao-tan-phu (draft).\n")
    sent = run_cong(capsys, ini, "hello", "add", "/", "Chào Tân An", "--to", "Tân An", "--send")
    assert (sent.status, sent.out) == (0, "Added /chao-tan-an (sent).\n")
    listed = run_cong(capsys, ini, "hello", "list")
    assert listed.out.splitlines() == [
        "/chao-tan-an\tChào Tân An\tTân An\tsent",
        "/chao-tan-phu\tChào Tân Phú\tTân Phú\tdraft",
        "2 greeting(s).",
    ]


def test_disabled_on_a_subsite_its_pages_and_portlet_are_gone(app, model):
    request, site = model.request, model.site
    subsite = create_subsite(request, site, {"title": "Xã Tân Phú", "unit_kind": "commune"})
    for folder in (site, subsite):
        values = {"title": "Chào", "recipient": "Tân Phú"}
        greeting = operations.create(request, folder, "Greeting", values, "json")
        workflow_of(request, greeting).transition(request, greeting, "send")
    model.commit()
    visitor = webtest.TestApp(app)
    assert visitor.get("/xa-tan-phu/chao").status_int == 200
    assert visitor.get("/xa-tan-phu/").html.select_one(".greetings-portlet") is not None
    disable(request, subsite, "hello")
    model.commit()
    visitor.get("/xa-tan-phu/chao", status=404)
    assert visitor.get("/xa-tan-phu/").html.select_one(".greetings-portlet") is None
    assert visitor.get("/chao").status_int == 200  # the portal runs every plugin


def test_it_imports_only_the_public_modules(installed_plugin):
    graph = grimp.build_graph("cong_hello", "core", "catalog", "subsites", cache_dir=None)
    assert "core.hookspecs" in graph.find_modules_directly_imported_by("cong_hello")
    options = {"importers": ["cong_hello"], "layers": ["core", "catalog", "subsites"]}
    check = PublicModulesContract("cong-hello", {}, options).check(graph, verbose=False)
    assert check.metadata["private_imports"] == []
    assert check.kept


def test_its_own_tests_pass_on_the_testing_api(installed_plugin):
    """Its tests, run as its author would (cong installed, the plugin installed),
    need nothing but :mod:`core.testing`'s fixtures and helpers."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(installed_plugin.target), str(REPOSITORY)])
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "cong_hello/tests"],
        cwd=installed_plugin.source,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout


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
