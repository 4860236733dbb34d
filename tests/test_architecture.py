"""The shape of the package, checked: no import cycle, no stage importing a later one,
small modules and short functions, a docstring on every subsystem."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "translator"

# Stages in order: a module may import its own stage or an earlier one, never a later one.
LAYERS = [
    ("translator.document", "translator.errors", "translator.stagecache"),
    ("translator.segment",),
    ("translator.formats",),
    ("translator.io",),
    ("translator.terms",),
    ("translator.qa",),
    ("translator.engines",),
    ("translator.report",),
    ("translator.memory",),
    ("translator.transcripts",),
    ("translator.pipeline",),
    ("translator.batch",),
    ("translator.cli",),
]


def _name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in PKG.rglob("*.py")}


def _imports(name: str) -> set[str]:
    """Every translator module `name` imports, at the top or inside a function."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name and not name.startswith(target + "."):
                found.add(target)
    return found


GRAPH = {name: _imports(name) for name in MODULES}


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (iterative Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(GRAPH):
        if root in index:
            continue
        work = [(root, iter(sorted(GRAPH[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(GRAPH[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _layer(name: str) -> int:
    for rank, prefixes in enumerate(LAYERS):
        if any(name == p or name.startswith(p + ".") for p in prefixes):
            return rank
    return -1


def test_no_import_cycle():
    assert _cycles() == []


def test_the_cycle_finder_finds_a_cycle(monkeypatch):
    monkeypatch.setitem(GRAPH, "translator.document", GRAPH["translator.document"] | {"translator.cli.main"})
    assert any("translator.document" in c and "translator.cli.main" in c for c in _cycles())


def test_every_module_has_a_stage():
    assert [n for n in MODULES if _layer(n) < 0 and n != "translator"] == []


def test_no_stage_imports_a_later_one():
    back = sorted(f"{a} -> {b}" for a, deps in GRAPH.items() for b in deps
                  if _layer(b) > _layer(a) >= 0)
    assert back == []


def test_modules_are_small():
    big = {n: len(p.read_text(encoding="utf-8").splitlines()) for n, p in MODULES.items()}
    assert {n: size for n, size in big.items() if size > 400} == {}


def test_functions_are_short():
    lengths = sorted(node.end_lineno - node.lineno + 1
                     for p in MODULES.values() for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
                     if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno)
    assert lengths[int(len(lengths) * 0.9)] <= 25


def test_every_subsystem_says_what_it_owns():
    missing = [str(p.parent.relative_to(PKG)) for p in PKG.rglob("__init__.py")
               if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert missing == []
