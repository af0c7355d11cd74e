"""import-linter contract types of cong's own.

:class:`PublicModulesContract` (type ``public_modules``): the modules of
``importers`` may import, of the ``layers`` packages, only the modules each layer
names in the ``PUBLIC_MODULES`` tuple of its ``__init__.py`` (its public plugin API,
docs/plugins.md). import-linter's own ``forbidden`` contract lists what may not be
imported, so it would have to name every private module and would let each new one
through; this one lists what may be, so a new module is private until its layer
says otherwise. The tuples are read from the source (the packages are not
imported), so a layer names its public modules in one place, its code.

Configured in pyproject.toml::

    [tool.importlinter]
    contract_types = ["public_modules: etc.importlinter_contracts.PublicModulesContract"]

    [[tool.importlinter.contracts]]
    id = "plugins-public-api"
    type = "public_modules"
    importers = ["plugins"]
    layers = ["core", "catalog", "subsites"]
    exempt = ["plugins.*.tests"]          # optional, with their descendants
    ignore_imports = ["plugins.** -> core.ui"]   # optional, as in import-linter

A broken contract names each importing module, the private module it imports and
the lines of the import; and a public module that does not exist (a name left in a
``PUBLIC_MODULES`` tuple after its module moved).
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass

import grimp
from importlinter import Contract, ContractCheck, fields, output
from importlinter.application import contract_utils
from importlinter.domain import helpers

#: The name of the tuple a layer's ``__init__.py`` declares.
PUBLIC_MODULES = "PUBLIC_MODULES"


class PublicModulesError(ValueError):
    """A layer whose ``__init__.py`` does not name its public modules plainly."""


def read_public_modules(package: str) -> tuple[str, ...]:
    """The ``PUBLIC_MODULES`` tuple of ``package``'s ``__init__.py``, read from its
    source (a tuple of string literals), without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.origin or not spec.origin.endswith("__init__.py"):
        raise PublicModulesError(f"{package} is not a package that can be found")
    with open(spec.origin, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), spec.origin)
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if any(isinstance(t, ast.Name) and t.id == PUBLIC_MODULES for t in targets):
            try:
                names = ast.literal_eval(node.value)
            except (ValueError, TypeError, SyntaxError):
                names = None
            if not isinstance(names, tuple) or not all(isinstance(n, str) for n in names):
                raise PublicModulesError(
                    f"{spec.origin}: {PUBLIC_MODULES} must be a tuple of module names"
                )
            return names
    raise PublicModulesError(f"{spec.origin} does not name its {PUBLIC_MODULES}")


@dataclass(frozen=True)
class PrivateImport:
    """``importer`` imports ``imported``, a private module of ``layer``, at ``lines``."""

    importer: str
    imported: str
    layer: str
    lines: tuple[int, ...]

    def message(self) -> str:
        where = ", ".join(f"l.{line}" for line in self.lines)
        return (
            f"{self.importer} imports {self.imported} ({where}), a private module of {self.layer}"
        )


class PublicModulesContract(Contract):
    """Importers may import only the public modules of the layers (see the module's
    docstring)."""

    type_name = "public_modules"

    importers = fields.ListField(subfield=fields.ModuleExpressionField())
    layers = fields.ListField(subfield=fields.StringField())
    exempt = fields.ListField(subfield=fields.ModuleExpressionField(), required=False)
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(
        contract_utils.AlertLevel, default=contract_utils.AlertLevel.ERROR
    )

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=self.unmatched_ignore_imports_alerting,  # type: ignore[arg-type]
        )
        public: dict[str, frozenset[str]] = {}
        problems: list[str] = []
        for layer in self.layers:  # type: ignore[attr-defined]
            try:
                names = read_public_modules(layer)
            except PublicModulesError as exc:
                problems.append(str(exc))
                continue
            public[layer] = frozenset(names)
            for name in names:
                if name != layer and not name.startswith(layer + "."):
                    problems.append(f"{layer}.{PUBLIC_MODULES} names {name}, not one of its own")
                elif name not in graph.modules:
                    problems.append(f"{layer}.{PUBLIC_MODULES} names {name}, which does not exist")
        importers = self._modules(graph, self.importers) - self._modules(graph, self.exempt)
        private = []
        for importer in sorted(importers):
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                layer = imported.split(".", 1)[0]
                if layer in public and imported not in public[layer]:
                    details = graph.get_import_details(importer=importer, imported=imported)
                    lines = tuple(sorted({d["line_number"] for d in details}))
                    private.append(PrivateImport(importer, imported, layer, lines))
        return ContractCheck(
            kept=not (private or problems),
            warnings=list(removal.warnings),
            ignored_import_count=removal.ignored_import_count,
            metadata={"private_imports": private, "problems": problems, "public": public},
        )

    @staticmethod
    def _modules(graph: grimp.ImportGraph, expressions) -> set[str]:
        """The names of the modules ``expressions`` match, with their descendants."""
        found = helpers.module_expressions_to_modules(graph, expressions or (), as_packages=True)
        return {module.name for module in found}

    def render_broken_contract(self, check: ContractCheck) -> None:
        for problem in check.metadata["problems"]:
            output.print_error(problem, bold=False)
            output.new_line()
        for found in check.metadata["private_imports"]:
            output.print_error("- " + found.message(), bold=False)
            output.new_line()
        public = check.metadata["public"]
        layers = sorted({found.layer for found in check.metadata["private_imports"]})
        if layers:
            output.print("The public modules (docs/plugins.md):")
            for layer in layers:
                output.print(f"  {layer}: {', '.join(sorted(public[layer]))}")
            output.new_line()
