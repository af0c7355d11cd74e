"""Evolve steps: named data migrations, run once each, in order, recorded in the site.

The steps come from a small plugin registered through an entry point, as a real
plugin's would.
"""

from __future__ import annotations

import pytest
from pyramid.exceptions import ConfigurationError

from core import main as make_wsgi_app
from core.hookspecs import hookimpl
from core.testing import make_settings, run_cong, stored_site, write_ini
from tests.core.test_cli import install_plugin

STEPS = ("test-0001-one", "test-0002-two")


class EvolvePlugin:
    """Two steps that leave a trace on the site; the second fails while ``broken``."""

    broken = False

    @hookimpl
    def cong_configure(self, config):
        config.add_evolve_step(STEPS[0], self.one)
        config.add_evolve_step(STEPS[1], self.two)

    @staticmethod
    def one(site):
        site.evolve_trace = (*getattr(site, "evolve_trace", ()), "one")

    def two(self, site):
        site.title = "half-way"  # must be rolled back when the step fails
        if self.broken:
            raise RuntimeError("the step broke")
        site.evolve_trace = (*getattr(site, "evolve_trace", ()), "two")


EVOLVE_PLUGIN = EvolvePlugin()


@pytest.fixture
def plugin(monkeypatch, tmp_path):
    install_plugin(monkeypatch, tmp_path, "evolvetest", "tests.core.test_evolve:EVOLVE_PLUGIN")
    monkeypatch.setattr(EVOLVE_PLUGIN, "broken", False)
    return EVOLVE_PLUGIN


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "var"


def start(data_dir, plugins="news evolvetest", **settings):
    """Start (and stop) the application, as ``pserve`` would."""
    app = make_wsgi_app({}, **make_settings(data_dir, **{"cong.plugins": plugins}, **settings))
    for db in app.registry._zodb_databases.values():
        db.close()


def plugin_lines(listing: str) -> list[str]:
    """The lines of ``cong evolve --list`` about the test plugin's steps (the
    kernel's own steps, such as the catalog's, are listed too)."""
    return [line for line in listing.splitlines() if line.split()[-1] in STEPS]


@pytest.fixture
def existing_site(data_dir):
    """A site created before the plugin's steps existed."""
    start(data_dir, plugins="news")
    return data_dir


def test_a_new_site_records_the_steps_as_done_without_running_them(
    plugin, data_dir, tmp_path, capsys
):
    start(data_dir)
    with stored_site(data_dir) as site:
        assert set(STEPS) <= set(site.evolved)
        assert not hasattr(site, "evolve_trace")
    ini = write_ini(tmp_path, cong_plugins="news evolvetest")
    listing = plugin_lines(run_cong(capsys, ini, "evolve", "--list").out)
    assert [line.split()[0] for line in listing] == ["done", "done"]
    assert [line.split()[-1] for line in listing] == list(STEPS)


def test_cong_evolve_runs_pending_steps_in_order_once(plugin, existing_site, tmp_path, capsys):
    ini = write_ini(tmp_path, cong_plugins="news evolvetest")
    listing = plugin_lines(run_cong(capsys, ini, "evolve", "--list").out)
    assert " ".join(listing).split() == ["pending", STEPS[0], "pending", STEPS[1]]
    result = run_cong(capsys, ini, "evolve")
    assert result.status == 0
    assert result.out.splitlines()[:2] == [f"evolve: {STEPS[0]}", f"evolve: {STEPS[1]}"]
    with stored_site(existing_site) as site:
        assert site.evolve_trace == ("one", "two")
    again = run_cong(capsys, ini, "evolve")
    assert again.status == 0 and "Nothing to do" in again.out
    with stored_site(existing_site) as site:
        assert site.evolve_trace == ("one", "two")


def test_start_up_runs_pending_steps_when_auto_evolve_is_on(plugin, existing_site):
    start(existing_site, **{"cong.auto_evolve": "true"})
    start(existing_site, **{"cong.auto_evolve": "true"})
    with stored_site(existing_site) as site:
        assert site.evolve_trace == ("one", "two")
        assert set(STEPS) <= set(site.evolved)


def test_start_up_refuses_pending_steps_when_auto_evolve_is_off(
    plugin, existing_site, tmp_path, capsys
):
    with pytest.raises(ConfigurationError, match="cong -c INI evolve"):
        start(existing_site, **{"cong.auto_evolve": "false"})
    ini = write_ini(tmp_path, cong_plugins="news evolvetest", cong_auto_evolve="false")
    assert run_cong(capsys, ini, "user", "list").status == 0  # the command line still opens
    assert run_cong(capsys, ini, "evolve").status == 0
    start(existing_site, **{"cong.auto_evolve": "false"})  # now it starts
    with stored_site(existing_site) as site:
        assert site.evolve_trace == ("one", "two")


def test_a_failing_step_is_rolled_back_alone_and_retried_next_time(
    plugin, existing_site, tmp_path, capsys
):
    ini = write_ini(tmp_path, cong_plugins="news evolvetest")
    plugin.broken = True
    failed = run_cong(capsys, ini, "evolve")
    assert failed.status == 1
    assert f"The evolve step {STEPS[1]} failed" in failed.err
    assert "the step broke" in failed.err
    with stored_site(existing_site) as site:
        assert site.evolve_trace == ("one",)  # the first step stays done
        assert site.title != "half-way"  # the failed step left nothing
        assert STEPS[0] in site.evolved and STEPS[1] not in site.evolved
    plugin.broken = False
    retried = run_cong(capsys, ini, "evolve")
    assert retried.status == 0
    assert f"evolve: {STEPS[0]}" not in retried.out and f"evolve: {STEPS[1]}" in retried.out
    with stored_site(existing_site) as site:
        assert site.evolve_trace == ("one", "two")
        assert site.title == "half-way"
