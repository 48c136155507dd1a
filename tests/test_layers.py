"""The package's structure: layers that import only downwards, no import cycles, small modules.

Layers, bottom to top (a module may import its own layer and those below):

0. data model - ``summarizer.datamodel``: types, schemas, request, issues, errors, settings
1. text analysis - ``summarizer.text``: segmentation, lexicon, numbers, matching, attribution,
   language
2. grounding - ``summarizer.grounding``: the checks, support, quality, casualty claims, and the
   response models that run them
3. constrained decoding - ``summarizer.constrained``: per-article schemas, the llguidance
   grammar, the schemas servers get
4. stages - ``inputs``, ``prompts``, ``transport``, ``instructor_patches``, ``providers``,
   ``cache``, ``render``
5. pipeline - ``summarizer.pipeline``
6. api - ``summarizer.api`` and the package root (the public facade)
7. apps - ``batch``, ``dataset``, ``evals``, ``cli``, ``testing``, ``__main__``

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
    "summarizer.datamodel": 0,
    "summarizer.text": 1,
    "summarizer.grounding": 2,
    "summarizer.constrained": 3,
    "summarizer.inputs": 4,
    "summarizer.prompts": 4,
    "summarizer.transport": 4,
    "summarizer.instructor_patches": 4,
    "summarizer.providers": 4,
    "summarizer.cache": 4,
    "summarizer.render": 4,
    "summarizer.pipeline": 5,
    "summarizer.api": 6,
    "summarizer": 6,
    "summarizer.batch": 7,
    "summarizer.dataset": 7,
    "summarizer.evals": 7,
    "summarizer.cli": 7,
    "summarizer.testing": 7,
    "summarizer.__main__": 7,
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
            # "from summarizer.datamodel import schemas" imports summarizer.datamodel.schemas.
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


@pytest.mark.parametrize(
    ("room", "allowed"),
    [
        ("summarizer.datamodel", ("summarizer.datamodel",)),
        ("summarizer.text", ("summarizer.datamodel", "summarizer.text")),
        (
            "summarizer.grounding",
            ("summarizer.datamodel", "summarizer.text", "summarizer.grounding"),
        ),
    ],
)
def test_the_bottom_rooms_import_only_what_they_stand_on(
    room: str, allowed: tuple[str, ...]
) -> None:
    crossing = [
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if within(module, (room,))
        for target in sorted(targets)
        if not within(target, allowed)
    ]
    assert crossing == []
