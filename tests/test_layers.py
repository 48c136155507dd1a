"""The package's structure: layers that import only downwards, no import cycles, small modules.

Layers, bottom to top (a module may import its own layer and those below):

0. core - ``summarizer.core``: types, settings, errors, schemas, segmentation, matching, grounding
1. stages - ``inputs``, ``prompts``, ``transport``, ``instructor_patches``, ``providers``,
   ``cache``, ``render``
2. pipeline - ``summarizer.pipeline``
3. api - ``summarizer.api`` and the package root (the public facade)
4. apps - ``batch``, ``dataset``, ``evals``, ``cli``, ``testing``, ``__main__``

Every import counts, also those inside functions and under ``TYPE_CHECKING``: a lazy import is
still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "summarizer"
LAYERS: dict[str, int] = {
    "summarizer.core": 0,
    "summarizer.inputs": 1,
    "summarizer.prompts": 1,
    "summarizer.transport": 1,
    "summarizer.instructor_patches": 1,
    "summarizer.providers": 1,
    "summarizer.cache": 1,
    "summarizer.render": 1,
    "summarizer.pipeline": 2,
    "summarizer.api": 3,
    "summarizer": 3,
    "summarizer.batch": 4,
    "summarizer.dataset": 4,
    "summarizer.evals": 4,
    "summarizer.cli": 4,
    "summarizer.testing": 4,
    "summarizer.__main__": 4,
}
APPS = ("summarizer.cli", "summarizer.evals", "summarizer.batch", "summarizer.dataset")
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> int:
    """The layer of the longest prefix of ``module`` that :data:`LAYERS` names."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in LAYERS:
            return LAYERS[prefix]
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


def imports_of(module: str) -> set[str]:
    """Every ``summarizer`` module that ``module`` imports, anywhere in its file."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # "from summarizer.core import schemas" imports the submodule summarizer.core.schemas.
            names = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        else:
            continue
        found |= {name for name in names if name in MODULES and name != module}
    return found


GRAPH = {module: imports_of(module) for module in MODULES}


def test_every_module_is_in_a_layer() -> None:
    for module in MODULES:
        layer_of(module)


def test_no_module_imports_a_layer_above_its_own() -> None:
    upward = [
        f"{module} (layer {layer_of(module)}) imports {target} (layer {layer_of(target)})"
        for module, targets in GRAPH.items()
        for target in sorted(targets)
        if layer_of(target) > layer_of(module)
    ]
    assert upward == []


def within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == package or name.startswith(package + ".") for package in packages)


def test_nothing_outside_the_apps_imports_cli_evals_or_batch() -> None:
    crossing = [
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if not within(module, (*APPS, "summarizer.testing", "summarizer.__main__"))
        for target in sorted(targets)
        if within(target, APPS)
    ]
    assert crossing == []


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the strongly connected components with more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return components


def test_no_import_cycles() -> None:
    assert strongly_connected(GRAPH) == []


def test_the_cycle_finder_finds_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert strongly_connected(graph) == [["a", "b", "c"]]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_small(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module} has {lines} lines (at most {MAX_LINES})"
