"""The plotting package's shape: small modules and functions, no import circles, documented
public functions (issue 16), and the old ``from damage_data.plot import …`` names still there.
"""

from __future__ import annotations

import ast
import doctest
import importlib
import inspect
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from damage_data import plot, style

PACKAGE = Path(__file__).resolve().parents[1] / "damage_data"
ZONE = sorted(
    [*PACKAGE.joinpath("plot").glob("*.py")]
    + [PACKAGE / n for n in ("style.py", "accessor.py", "explore.py")]
)


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@pytest.mark.parametrize("path", ZONE, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_modules_and_functions_are_small(path):
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= 800
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            assert length <= 120, f"{node.name} is {length} lines"


def imports_of(path: Path) -> set[str]:
    """The damage_data modules ``path`` imports (anywhere in the file)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.startswith("damage_data"):
                found.add(target)
                found.update(f"{target}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("damage_data"))
    return found


def test_no_import_circle_runs_through_the_plotting_modules():
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {m: {t for t in imports_of(p) if t in modules and t != m} for m, p in modules.items()}
    zone = {module_name(p) for p in ZONE}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                todo.extend(graph.get(node, ()))
        return False

    circles = [
        (m, t)
        for m in sorted(zone)
        for t in sorted(graph[m])
        if reaches(t, m) and not (m.startswith(f"{t}.") or t == m.rpartition(".")[0])
    ]
    assert not circles, circles


PUBLIC = [name for name in plot.__all__ if inspect.isfunction(getattr(plot, name))]


@pytest.mark.parametrize("name", [*PUBLIC, "style.finalise"])
def test_public_functions_are_documented_numpy_style(name):
    function = style.finalise if name == "style.finalise" else getattr(plot, name)
    doc = inspect.getdoc(function) or ""
    for section in ("Parameters", "Returns", "Examples"):
        assert f"{section}\n---" in doc, f"{name}: no {section} section"


def test_the_old_names_are_still_importable():
    from damage_data.plot import (  # noqa: F401
        GID_CLASS,
        GID_NO_REPORTS,
        GID_NOT_STATED,
        GID_STRUCTURES,
        METRIC_LABELS,
        NO_REPORTS,
        NOT_STATED,
        chart,
        classify,
        damage_bars,
        damage_map,
        headline,
        residential_share,
        timeline,
    )

    assert METRIC_LABELS["total"] == "Buildings destroyed or damaged"
    assert (NO_REPORTS, NOT_STATED) == ("No reports", "Not stated")
    assert callable(style.finalise) and callable(style.house_style)


@pytest.mark.parametrize("path", ZONE, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_docstring_examples_run(path):
    module = importlib.import_module(module_name(path))
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    try:
        for test in finder.find(module, module.__name__):
            runner.run(test)
    finally:
        plt.close("all")
    assert runner.failures == 0, f"{runner.failures} failing example(s) in {path.name}"
