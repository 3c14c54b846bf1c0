"""Data flows one way: survey -> response -> campaigns -> codes -> workspace and interchange -> principles.

Every import between the feature packages under consult/ (function-level imports included) goes from a
package to one upstream of it, so the packages form no cycle; `analysis/` imports neither Flask nor consult.
"""
from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONSULT = ROOT / "consult"
# Upstream first. The app factory (consult/__init__.py) and the command line (consult/cli.py) assemble every
# package and sit above them all; the other modules at consult/'s top level are shared plumbing.
ORDER = ["auth", "jobs", "surveys", "mail", "responses", "campaigns", "redaction", "coding", "workspace", "interchange", "workshops", "principles",
         "demo"]
ASSEMBLY = {"__init__", "cli", "templating", "wsgi"}


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, wherever the import statement is."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def unit_of(module: str) -> str | None:
    """The first-level part of consult a module belongs to (a package or a top-level module)."""
    parts = module.split(".")
    return parts[1] if parts[0] == "consult" and len(parts) > 1 else None


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for path in CONSULT.rglob("*.py"):
        relative = path.relative_to(CONSULT)
        if "migrations" in relative.parts:
            continue
        source = relative.parts[0].removesuffix(".py")
        for module in imported_modules(path):
            target = unit_of(module)
            known = target is not None and ((CONSULT / target).is_dir() or (CONSULT / f"{target}.py").exists())
            if known and target != source:
                edges.setdefault(source, set()).add(target)
    return edges


def test_every_feature_package_is_placed_in_the_order():
    packages = {p.name for p in CONSULT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages == set(ORDER)


def test_no_import_cycle_between_consult_packages():
    edges = {source: targets for source, targets in graph().items() if source not in ASSEMBLY}
    try:
        tuple(TopologicalSorter(edges).static_order())
    except CycleError as error:
        pytest.fail(f"import cycle between consult packages: {' -> '.join(error.args[1])}")


def test_packages_import_only_upstream():
    rank = {name: i for i, name in enumerate(ORDER)}
    backwards = sorted(f"{source} imports {target}" for source, targets in graph().items() if source in rank
                       for target in targets if target in rank and rank[target] > rank[source])
    assert backwards == []


def test_shared_plumbing_imports_no_feature_package():
    plumbing = {source: targets for source, targets in graph().items() if source not in ASSEMBLY and source not in ORDER}
    assert {source: sorted(t for t in targets if t in ORDER) for source, targets in plumbing.items()
            if targets & set(ORDER)} == {}


def test_analysis_is_pure():
    for path in (ROOT / "analysis").rglob("*.py"):
        modules = imported_modules(path)
        assert not {m for m in modules if m.split(".")[0] in ("flask", "consult", "flask_sqlalchemy")}, path
