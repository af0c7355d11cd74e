"""The public plugin API: each layer's PUBLIC_MODULES, the import-linter contract
that allows plugins nothing else (etc/importlinter_contracts.py), and the guide
that documents them (docs/plugins.md)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import grimp
import pytest

import core.hookspecs
import subsites.hookspecs
from etc.importlinter_contracts import PublicModulesContract, read_public_modules

REPOSITORY = Path(__file__).resolve().parents[2]
GUIDE = REPOSITORY / "docs" / "plugins.md"
LAYERS = ("core", "catalog", "subsites")
CONTRACT_TYPE = "public_modules: etc.importlinter_contracts.PublicModulesContract"


def write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


#: A kernel with one public and one private module, and add-ons importing them.
TREE = {
    "kernel/__init__.py": 'PUBLIC_MODULES = ("kernel.api",)\n',
    "kernel/api.py": "VALUE = 1\n",
    "kernel/internals.py": "VALUE = 2\n",
    "addons/__init__.py": "",
    "addons/good.py": "from kernel.api import VALUE\n",
    "addons/bad.py": '''\
        """An add-on reaching into the kernel."""

        import kernel.api
        from kernel.internals import VALUE
        ''',
    "addons/lazy.py": """\
        def later():
            from kernel import internals

            return internals.VALUE
        """,
    "addons/tests/__init__.py": "",
    "addons/tests/test_addon.py": "from kernel.internals import VALUE\n",
}


def check(root: Path, monkeypatch, **options):
    """The contract's check on the packages of ``root`` (``kernel``, ``addons``)."""
    monkeypatch.syspath_prepend(str(root))
    graph = grimp.build_graph("kernel", "addons", cache_dir=None)
    options = {"importers": ["addons"], "layers": ["kernel"], **options}
    return PublicModulesContract("addons", {}, options).check(graph, verbose=False)


def test_lint_imports_fails_naming_the_module_the_private_module_and_the_line(tmp_path):
    write_tree(tmp_path, TREE)
    (tmp_path / ".importlinter").write_text(
        textwrap.dedent(f"""\
            [importlinter]
            root_packages =
                kernel
                addons
            contract_types =
                {CONTRACT_TYPE}

            [importlinter:contract:addons-public-api]
            name = Add-ons import only the kernel's public modules
            type = public_modules
            importers = addons
            layers = kernel
            exempt = addons.tests
        """),
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(REPOSITORY), "COLUMNS": "200"}
    run = subprocess.run(
        [Path(sys.executable).parent / "lint-imports", "--no-cache", "--no-logo"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Add-ons import only the kernel's public modules BROKEN" in run.stdout
    assert "addons.bad imports kernel.internals (l.4), a private module of kernel" in run.stdout
    assert "addons.lazy imports kernel.internals (l.2)" in run.stdout  # inside a function too
    assert "addons.good" not in run.stdout
    assert "addons.tests" not in run.stdout  # exempt
    assert "kernel: kernel.api" in run.stdout  # what they may import instead


def test_the_contract_is_kept_when_only_public_modules_are_imported(tmp_path, monkeypatch):
    write_tree(tmp_path, TREE)
    ignored = ["addons.bad -> kernel.internals", "addons.lazy -> kernel.internals"]
    found = check(tmp_path, monkeypatch, exempt=["addons.tests"], ignore_imports=ignored)
    assert found.kept
    assert found.ignored_import_count == 2


def test_without_exemption_a_plugins_tests_are_checked_too(tmp_path, monkeypatch):
    write_tree(tmp_path, TREE)
    found = check(tmp_path, monkeypatch)
    assert not found.kept
    assert [(p.importer, p.imported, p.lines) for p in found.metadata["private_imports"]] == [
        ("addons.bad", "kernel.internals", (4,)),
        ("addons.lazy", "kernel.internals", (2,)),
        ("addons.tests.test_addon", "kernel.internals", (1,)),
    ]


def test_a_public_module_that_does_not_exist_breaks_the_contract(tmp_path, monkeypatch):
    write_tree(
        tmp_path, {**TREE, "kernel/__init__.py": 'PUBLIC_MODULES = ("kernel.api", "kernel.gone")\n'}
    )
    found = check(tmp_path, monkeypatch, ignore_imports=["addons.** -> kernel.internals"])
    assert not found.kept
    assert found.metadata["problems"] == [
        "kernel.PUBLIC_MODULES names kernel.gone, which does not exist"
    ]


@pytest.mark.parametrize(
    "init, problem",
    [
        ("VALUE = 1\n", "does not name its PUBLIC_MODULES"),
        ("PUBLIC_MODULES = ['kernel.api']\n", "PUBLIC_MODULES must be a tuple of module names"),
        ('PUBLIC_MODULES = ("addons.good",)\n', "names addons.good, not one of its own"),
    ],
)
def test_a_layer_must_name_its_public_modules_plainly(tmp_path, monkeypatch, init, problem):
    write_tree(tmp_path, {**TREE, "kernel/__init__.py": init})
    found = check(tmp_path, monkeypatch, exempt=["addons.tests"])
    assert not found.kept
    assert problem in found.metadata["problems"][0]


def test_the_plugins_of_this_repository_import_only_public_modules():
    config = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))
    linter = config["tool"]["importlinter"]
    assert CONTRACT_TYPE in linter["contract_types"]
    (options,) = [c for c in linter["contracts"] if c["id"] == "plugins-public-api"]
    options = {k: v for k, v in options.items() if k not in ("id", "name", "type")}
    graph = grimp.build_graph(*linter["root_packages"], cache_dir=None)
    found = PublicModulesContract("plugins", {}, options).check(graph, verbose=False)
    assert [p.message() for p in found.metadata["private_imports"]] == []
    assert found.metadata["problems"] == []


def public_modules() -> set[str]:
    return {name for layer in LAYERS for name in read_public_modules(layer)}


def test_the_guide_lists_every_public_module_and_no_other():
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## The public API", 1)[1].split("### Being settled", 1)[0]
    listed = re.findall(r"^- `([a-z0-9_.]+)` — ", section, flags=re.MULTILINE)
    assert len(listed) == len(set(listed))
    assert set(listed) == public_modules()


def test_every_hook_is_documented_in_its_spec_and_in_the_guide():
    guide = GUIDE.read_text(encoding="utf-8")
    hooks = [
        value
        for specs in (core.hookspecs, subsites.hookspecs)
        for name, value in vars(specs).items()
        if name.startswith("cong_") and hasattr(value, "cong_spec")
    ]
    assert len(hooks) >= 22
    for hook in hooks:
        name, doc = hook.__name__, hook.__doc__ or ""
        assert len(doc.split()) >= 12, f"{name} needs a docstring: when called, what it may do"
        assert f"| `{name}(" in guide, f"{name} is missing from the guide's table of hooks"


def test_the_guides_snippets_are_the_example_plugins_code():
    """A block after ``<!-- file: PATH -->`` holds lines of PATH, in order (``...``
    stands for lines left out)."""
    text = GUIDE.read_text(encoding="utf-8")
    snippets = re.findall(r"<!-- file: (\S+) -->\n```\w*\n(.*?)\n```", text, flags=re.DOTALL)
    assert len(snippets) >= 15
    for path, snippet in snippets:
        lines = iter((REPOSITORY / path).read_text(encoding="utf-8").splitlines())
        for wanted in snippet.splitlines():
            if wanted != "...":
                assert any(line == wanted for line in lines), f"{path}: not in order: {wanted!r}"
