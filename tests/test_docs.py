"""The README's examples run, and every CLI command is documented."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pytest

from damage_data.cli import app

matplotlib.use("Agg")
README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_python_example_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})  # runs our own documentation


def _command_names() -> list[str]:
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    names += [g.name for g in app.registered_groups if g.name]
    return names


@pytest.mark.parametrize("name", _command_names())
def test_every_command_is_in_the_readme(name: str) -> None:
    assert re.search(rf"`damage-data[^`]*\b{re.escape(name)}\b", README) or re.search(
        rf"`{re.escape(name)}`", README
    ), f"{name} is not documented in README.md"


def test_readme_summary_output_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    from damage_data.cli import main

    assert main(["summary"]) == 0
    out = capsys.readouterr().out
    for line in out.splitlines():
        assert line.rstrip() in README, f"README's example output is stale: {line}"
