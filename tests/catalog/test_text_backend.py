"""The full-text backend seam: ``cong.text_backend`` chooses the engine among those
registered by name (the kernel's whoosh, the ``cong.text_backends`` entry points,
the ``add_text_backend`` directive); the catalog, its queue, ``cong reindex`` and
``cong catalog check`` reach it only through :class:`catalog.backends.ITextBackend`,
so another engine comes in without a change to them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationConflictError, ConfigurationError
from zope.interface.verify import verifyObject

import catalog
from catalog.backends import ITextBackend, ITextBackendFactory
from catalog.backends.whoosh import WhooshBackend
from core import make_config
from core.testing import add, make_settings, run_cong, write_ini
from tests.catalog.memory_backend import STORES, MemoryBackend
from tests.catalog.test_catalog_cli import running, start, stop
from tests.core.test_cli import REPOSITORY, install_plugin

MEMORY = "tests.catalog.memory_backend:open_backend"
NEWS = "Hội nghị chuyển đổi số cấp tỉnh"


@pytest.fixture
def memory(monkeypatch, tmp_path):
    """The memory engine installed as ``memory`` (its documents dropped afterwards)."""
    install_plugin(monkeypatch, tmp_path, "memory", MEMORY, group="cong.text_backends")
    yield
    STORES.clear()


def memory_ini(tmp_path: Path) -> Path:
    ini = write_ini(tmp_path)
    ini.write_text(ini.read_text(encoding="utf-8") + "cong.text_backend = memory\n", "utf-8")
    return ini


def visible_titles(app, model_of, text: str) -> list[str]:
    with model_of(app, None) as visitor:
        return [r.title for r in catalog.search(visitor.request, text=text).records]


def test_whoosh_is_the_default_backend_opened_once_as_a_utility(data_dir):
    app = start(data_dir)
    try:
        registry = app.registry
        backend = catalog.get_backend(registry)
        assert isinstance(backend, WhooshBackend) and verifyObject(ITextBackend, backend)
        assert backend.path == str(data_dir / "whoosh")
        assert registry.getUtility(ITextBackend) is backend
        assert catalog.get_backend(registry) is backend
        catalog.close_backend(registry)
        assert registry.queryUtility(ITextBackend) is None
        again = catalog.get_backend(registry)  # opened anew after a close
        assert again is not backend and registry.getUtility(ITextBackend) is again
    finally:
        stop(app)


def test_an_unknown_backend_stops_start_up_naming_the_installed_ones(data_dir, memory):
    config = make_config(make_settings(data_dir, **{"cong.text_backend": "elastic"}))
    try:
        with pytest.raises(ConfigurationError) as refused:
            config.commit()
    finally:
        for db in config.registry._zodb_databases.values():
            db.close()
    assert (
        "cong.text_backend = elastic: no full-text backend has this name (installed: memory, "
        "whoosh; others are added with the 'cong.text_backends' entry points)"
    ) in str(refused.value)


def test_the_command_line_says_plainly_that_the_backend_is_unknown(tmp_path):
    ini = write_ini(tmp_path)
    ini.write_text(ini.read_text(encoding="utf-8") + "cong.text_backend = elastic\n", "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "core.cli", "-c", str(ini), "catalog", "check"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert (
        "cong: The application cannot start: cong.text_backend = elastic: no full-text "
        "backend has this name (installed: whoosh; others are added with the "
        "'cong.text_backends' entry points)\n"
    ) in done.stderr
    assert " in:" not in done.stderr  # not Pyramid's wrapping of a configuration action


def test_another_engine_serves_search_reindex_and_check(
    memory, data_dir, tmp_path, capsys, model_of
):
    """An engine installed with an entry point and named in the settings: the site
    is searched through it, ``cong catalog check`` finds what it lost and ``cong
    reindex --workers 2`` gives it back, and whoosh's index is never made; a backup
    keeps no snapshot of it, so a restore rebuilds it."""
    settings = {"cong.text_backend": "memory"}
    with running(data_dir, **settings) as app, model_of(app) as m:
        add(m, m.site, "News", state="published", title=NEWS)
        add(m, m.site, "Page", title="Bản nháp chuyển đổi số")  # private: visitors never see it
        m.commit()
        assert isinstance(catalog.get_backend(app.registry), MemoryBackend)
        assert visible_titles(app, model_of, "chuyen doi so") == [NEWS]
        assert catalog.suggest_records(m.request, "hội ng")[0].title == NEWS

    ini = memory_ini(tmp_path)
    assert run_cong(capsys, ini, "catalog", "check").out.endswith(
        "No drift: the indexes match the database.\n"
    )
    STORES[str(data_dir)].clear()  # the engine lost its documents
    lost = run_cong(capsys, ini, "catalog", "check")
    assert lost.status == 1 and "Objects missing from the full-text index: " in lost.out
    rebuilt = run_cong(capsys, ini, "reindex", "--workers", "2")
    assert rebuilt.status == 0 and rebuilt.out.startswith("Reindexed ")
    assert run_cong(capsys, ini, "catalog", "check").status == 0
    with running(data_dir, **settings) as app:
        assert visible_titles(app, model_of, "hội nghị chuyển đổi số") == [NEWS]
    assert not (data_dir / "whoosh").exists()

    backup = run_cong(capsys, ini, "backup")  # an engine that keeps no snapshots
    assert backup.status == 0 and "(memory) is not kept with backups" in backup.out
    restored = run_cong(capsys, ini, "restore", "--into", str(tmp_path / "restored"))
    assert restored.status == 0, restored.err
    assert "the full-text backend memory keeps no snapshots" in restored.out
    assert "Reindexed " in restored.out


def test_backends_registered_in_the_configuration_are_chosen_and_never_twice():
    def memory_engine(registry):
        return MemoryBackend("/nowhere")

    config = Configurator(settings={"cong.text_backend": "memory"})
    config.include("catalog.backends.registration")
    config.add_text_backend("memory", memory_engine)
    config.commit()
    assert isinstance(config.registry.getUtility(ITextBackendFactory)(None), MemoryBackend)
    assert isinstance(catalog.get_backend(config.registry), MemoryBackend)

    def plugin(config):
        config.add_text_backend("memory", memory_engine)

    twice = Configurator(settings={})
    twice.include("catalog.backends.registration")
    twice.include(plugin)
    twice.include(lambda config: config.add_text_backend("memory", MEMORY))
    with pytest.raises(ConfigurationConflictError):
        twice.commit()


def test_only_the_whoosh_backend_imports_whoosh():
    """No module of the kernel or the plugins but ``catalog/backends/whoosh*``
    imports whoosh: the engine is replaceable by configuration alone."""
    graph = grimp.build_graph(
        "core", "catalog", "subsites", "plugins", include_external_packages=True
    )
    importers = graph.find_modules_that_directly_import("whoosh")
    assert importers and all(m.startswith("catalog.backends.whoosh") for m in importers), sorted(
        m for m in importers if not m.startswith("catalog.backends.whoosh")
    )
