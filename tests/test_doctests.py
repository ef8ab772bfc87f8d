"""Every example in the package's docstrings runs and prints what it says (numpydoc
Examples are documentation readers copy: they must stay true)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import matplotlib
import pytest

import damage_data

matplotlib.use("Agg")  # the examples draw; tests never open windows

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(damage_data.__path__, prefix="damage_data.")
    if not m.name.startswith("damage_data.cli") and m.name != "damage_data.__main__"
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) of {name} failed"
