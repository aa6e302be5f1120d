"""No import circles in our packages, read from the source with ast: every import counts, also one under
`if TYPE_CHECKING:` or inside a function (a circle there still ties the modules together and breaks the day
someone moves the import). In bot/ only the app factory imports a route module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "devtools", "bench", "actions", "offices_kb", "components", "channels", "serving", "scripts",
            "guide", "citizen", "stores", "privacy", "records")


def module_names(root: Path, package: str) -> dict[str, Path]:
    """Dotted module name -> file, for every module of `package` below `root`."""
    out = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def imports_of(module: str, path: Path, known: set[str]) -> set[str]:
    """The modules among `known` that `module` imports (`from pkg import mod` counts as importing pkg.mod, not
    pkg: Python initialises a package before its submodules anyway)."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from . import x, from .mod import y
                anchor = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            submodules = {f"{base}.{alias.name}" for alias in node.names} & known
            found.update(submodules)
            if len(submodules) < len(node.names):  # a name defined in `base` itself
                found.add(base)
    return {name for name in found if name in known and name != module}


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    modules = module_names(root, package)
    return {name: imports_of(name, path, set(modules)) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import circle as [a, b, ..., a], or [] when there is none (depth-first search, three colours)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return []

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return []


def test_the_search_finds_a_circle_hidden_under_type_checking(tmp_path: Path) -> None:
    """The shape bot/ had: guards -> keys -> (TYPE_CHECKING) routes_public -> guards."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "guards.py").write_text("from pkg import keys\n")
    (pkg / "keys.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                 "    from pkg.routes_public import Asset\n")
    (pkg / "routes_public.py").write_text("from .guards import rate_limit\n")
    (pkg / "other.py").write_text("import pkg.keys\n")
    graph = import_graph(tmp_path, "pkg")
    assert find_cycle(graph) == ["pkg.guards", "pkg.keys", "pkg.routes_public", "pkg.guards"]
    (pkg / "keys.py").write_text("from pkg.assets import Asset\n")
    (pkg / "assets.py").write_text("import json\n")
    assert find_cycle(import_graph(tmp_path, "pkg")) == []


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_circle(package: str) -> None:
    assert find_cycle(import_graph(ROOT, package)) == []


def defines_routes(path: Path) -> bool:
    """A route module: it defines `routes` at its top level."""
    return any(isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "routes" for t in node.targets)
               for node in ast.parse(path.read_text(encoding="utf-8")).body)


def test_only_the_app_factory_imports_a_route_module() -> None:
    graph = import_graph(ROOT, "bot")
    routes = {name for name, path in module_names(ROOT, "bot").items() if defines_routes(path)}
    assert {"bot.routes_public", "bot.routes_console", "bot.directory"} <= routes
    importers = {name for name, imported in graph.items() if imported & routes}
    assert importers == {"bot.app"}
