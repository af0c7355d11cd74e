"""The shared fixtures of cong's tests (tests/ and plugins/*/tests/): the testing API,
and the demo portal, loaded once per test process and copied for each module."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

pytest_plugins = ("core.testing",)

#: The plugins of the portal the demo fills (those of development.ini).
DEMO_PLUGINS = "news schedule search services"


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The data folder of a site on which ``cong demo`` loaded the demo portal (with
    :data:`DEMO_PLUGINS`); never opened: :func:`demo_copy` gives copies of it."""
    from core.cli.main import main as cong
    from core.testing import write_ini

    folder = tmp_path_factory.mktemp("demo-template")
    assert cong(["-c", str(write_ini(folder, cong_plugins=DEMO_PLUGINS)), "demo"]) == 0
    return folder / "var"


@pytest.fixture(scope="session")
def demo_copy(demo_template, tmp_path_factory) -> Callable[..., Path]:
    """``demo_copy(folder=None)``: ``folder`` (by default a new one) whose ``var``
    holds a copy of the demo portal (:func:`demo_template`), for
    ``write_ini(folder, cong_plugins=DEMO_PLUGINS)`` or ``make_settings(folder / "var")``."""

    def copy(folder: Path | None = None) -> Path:
        folder = folder or tmp_path_factory.mktemp("demo")
        shutil.copytree(demo_template, folder / "var")
        return folder

    return copy
