"""The package's layers: every import, function-level ones included, goes
down the order documented in :mod:`skscale._engine`, and none closes a circle."""

from __future__ import annotations

import ast
from fnmatch import fnmatchcase
from pathlib import Path

import skscale
from skscale._engine import LAYERS

PACKAGE = Path(skscale.__file__).resolve().parent


def _modules() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _imports(name: str, path: Path, modules) -> set[str]:
    """The skscale modules ``name`` imports anywhere in its source."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in modules else base)
    return {t for t in found if t in modules and t != name}


def _layer(name: str) -> int:
    for index, layer in enumerate(LAYERS):
        if any(fnmatchcase(name, p) or name == p.removesuffix(".*") for p in layer):
            return index
    raise AssertionError(f"{name} is in no layer of skscale._engine.LAYERS")


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def test_every_module_is_in_a_layer():
    for name in _graph():
        _layer(name)


def test_no_import_goes_up_a_layer():
    upward = [
        f"{name} -> {target}"
        for name, targets in _graph().items()
        for target in targets
        if _layer(target) > _layer(name)
    ]
    assert not upward


def test_no_import_circle():
    graph = _graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name, path):
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                circle = path[path.index(target) :] + [target]
                raise AssertionError(" -> ".join(circle))
            if target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


def test_the_parser_sees_function_level_imports(tmp_path):
    # The check would be blind without this: the circle of issue 18 hid in
    # imports inside functions.
    source = "def f():\n    from skscale._engine import _core\n"
    path = tmp_path / "probe.py"
    path.write_text(source)
    modules = {"skscale._engine._core": None, "skscale.x": None}
    assert _imports("skscale.x", path, modules) == {"skscale._engine._core"}
