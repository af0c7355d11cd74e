"""Tests live next to what they test, so a plugin can be lifted out whole: a plugin's
tests need only the kernel and its testing API (:mod:`core.testing`), the kernel's
tests need no plugin's tests, and the running portal imports no test at all."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    """The modules a Python file imports (absolute imports; relative ones as ``.x``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
    return found


def offending_imports(folder: Path, allowed) -> list[str]:
    """``file: module`` for each import under ``folder`` that ``allowed`` refuses."""
    return [
        f"{path.relative_to(REPOSITORY)}: {module}"
        for path in sorted(folder.rglob("*.py"))
        for module in sorted(imported_modules(path))
        if not allowed(module)
    ]


def test_a_plugins_tests_import_only_the_kernel_and_the_plugin_itself():
    suites = sorted((REPOSITORY / "plugins").glob("*/tests"))
    assert suites, "no plugin has tests"
    for suite in suites:

        def allowed(module, own=f"plugins.{suite.parent.name}"):
            top = module.split(".")[0]
            return top not in ("tests", "plugins") or module == own or module.startswith(own + ".")

        assert offending_imports(suite, allowed) == []


def test_the_kernels_tests_import_no_plugins_tests():
    def allowed(module):
        parts = module.split(".")
        return not (parts[0] == "plugins" and "tests" in parts)

    assert offending_imports(REPOSITORY / "tests", allowed) == []


def test_starting_the_portal_imports_no_test_module(tmp_path):
    """Plugins' views are scanned, their tests are not (those need pytest)."""
    code = (
        "import sys\n"
        "from core import main\n"
        "from core.testing import make_settings\n"
        f"main({{}}, **make_settings({str(tmp_path)!r}))\n"
        "print(sorted(m for m in sys.modules if m == 'tests' or '.tests' in m or "
        "m.startswith('tests.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPOSITORY, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
