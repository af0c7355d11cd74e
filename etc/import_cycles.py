"""Print the import cycles among cong's packages and the imports that cross layers.

Run as ``python -m etc.import_cycles``. A cycle is a strongly connected group of
modules (each reaches every other through imports, at module level or inside
functions; imports made only for type checkers are left out); the layers are
core ← catalog ← subsites ← plugins. import-linter
(``lint-imports``) enforces the layers in ``make test``; this script gives the figures,
and with ``--check`` (run by ``make lint``) fails when there is any cycle.
"""

from __future__ import annotations

import sys

import grimp

PACKAGES = ("core", "catalog", "subsites", "plugins")
LAYER = {name: rank for rank, name in enumerate(PACKAGES)}


def strongly_connected(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Tarjan's algorithm over the modules' direct imports; groups of two or more."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    sys.setrecursionlimit(10000)

    def visit(module: str) -> None:
        nonlocal counter
        index[module] = low[module] = counter
        counter += 1
        stack.append(module)
        on_stack.add(module)
        for target in graph.find_modules_directly_imported_by(module):
            if target not in modules:
                continue
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return sorted(groups, key=len, reverse=True)


def main() -> int:
    graph = grimp.build_graph(*PACKAGES, cache_dir=None, exclude_type_checking_imports=True)
    modules = {m for m in graph.modules if m.split(".")[0] in PACKAGES}
    groups = strongly_connected(graph, modules)
    print(f"{len(modules)} modules; {len(groups)} import cycles")
    for group in groups:
        layers = sorted({m.split(".")[0] for m in group}, key=LAYER.get)
        print(f"- {len(group)} modules ({', '.join(layers)}): {', '.join(group)}")
    upward = []
    for module in sorted(modules):
        for target in sorted(graph.find_modules_directly_imported_by(module)):
            low, high = module.split(".")[0], target.split(".")[0]
            if high in LAYER and LAYER[high] > LAYER[low]:
                upward.append((module, target))
            elif low == high == "plugins" and module.split(".")[1] != target.split(".")[1]:
                upward.append((module, target))
    print(f"{len(upward)} imports against the layers")
    for module, target in upward:
        print(f"- {module} -> {target}")
    return 1 if "--check" in sys.argv[1:] and (groups or upward) else 0


if __name__ == "__main__":
    sys.exit(main())
