"""The house rules of ARCHITECTURE.md, read from the source with ast (nothing is imported).

Data flows one way: convmath ← the drawing kit ← segments ← the production package. A
module's imports are its ``import`` and ``from ... import`` statements anywhere in it (inside
functions too), except under ``if __name__ == "__main__"`` (that code runs as a script, never
on import).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("convmath", "scenes")
# the narration's text layer: plain data types the kit may format values into
NARRATION_TEXT = ("scenes.narration.segment_text", "scenes.narration.marks")


def _modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


MODULES = _modules()


def _owner(name: str) -> str | None:
    """The module of ours that ``name`` (a module, or a name inside one) belongs to."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str) -> set[str]:
    """Everything ``module`` imports: our modules by dotted name, others by their top name."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    script_only = {id(node) for block in tree.body
                   if isinstance(block, ast.If) and "__name__" in ast.unparse(block.test)
                   for node in ast.walk(block)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in script_only:
            continue
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(base + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            # `from pkg import sub` imports the module sub; `from mod import name`, mod
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base
                     for a in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] in PACKAGES:
                owner = _owner(name)
                # a package's own __init__ always runs before its modules: not an edge
                if owner and owner != module and not module.startswith(owner + "."):
                    found.add(owner)
            else:
                found.add(name.split(".")[0])
    return found


GRAPH = {m: imports_of(m) for m in MODULES}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or not (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return cycles


def _in(module: str, *prefixes: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def test_no_module_imports_itself_back():
    assert import_cycles(GRAPH) == []


def test_the_cycle_check_finds_a_cycle():
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _in(m, "convmath")))
def test_convmath_imports_neither_manim_nor_scenes(module):
    assert not {n for n in GRAPH[module] if n == "manim" or _in(n, "scenes")}


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _in(m, "scenes.kit")))
def test_the_kit_imports_only_the_kit_convmath_and_text_types(module):
    """No segment, segment list, scene base, voice, parameter reading or production in the
    drawing kit; the narration's plain text types (no manim) are allowed."""
    ours = {n for n in GRAPH[module] if _in(n, *PACKAGES)}
    allowed = ("scenes.kit", "convmath", *NARRATION_TEXT)
    assert {n for n in ours if not _in(n, *allowed)} == set()


@pytest.mark.parametrize("module", sorted(m for m in MODULES
                                          if _in(m, "scenes") and not _in(m, "scenes.production")))
def test_what_draws_never_imports_production(module):
    assert {n for n in GRAPH[module] if _in(n, "scenes.production")} == set()


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _in(m, "scenes.configurable")))
def test_scene_parameters_are_read_without_manim(module):
    assert "manim" not in GRAPH[module]
    assert {n for n in GRAPH[module] if _in(n, "scenes") and not _in(n, "scenes.configurable")} == set()


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _in(m, "scenes.media")))
def test_media_files_need_neither_manim_nor_drawing(module):
    """Sound and video files are read and written by the narration and production alike:
    nothing of theirs, and no manim, in here."""
    assert "manim" not in GRAPH[module]
    assert {n for n in GRAPH[module] if _in(n, *PACKAGES) and not _in(n, "scenes.media")} == set()
