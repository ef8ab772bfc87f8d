"""Issue 19 items 7 and 8: report folders are the only folders replaced; nothing an input
says (file names, titles, publishers, URLs) becomes markup or a link in what is written.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

TABLE = "District,destroyed,damaged\nFuzuli,11,314\nTartar,5,20\n"
HOSTILE_NAME = "<img src=x onerror=alert(1)>.csv"
TITLE = "<script>alert(1)</script>\n| injected | row |\x1b[31m"
PUBLISHER = "<b>pub</b>"
URL = "javascript:alert(1)"


def test_overwrite_replaces_only_a_report(tmp_path: Path, cli_batch: Callable[..., Any]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    table = data / "a.csv"
    table.write_text(TABLE, encoding="utf-8")
    runs = cli_batch(
        [
            ["report", table, "-o", data, "--overwrite"],  # the folder holding the input
            ["report", table, "-o", tmp_path / "rep"],
            ["report", table, "-o", tmp_path / "rep", "--overwrite"],  # a report: replaced
        ]
    )
    assert runs[0].code == 2, runs[0].stderr
    assert table.read_text(encoding="utf-8") == TABLE
    assert sorted(p.name for p in data.iterdir()) == ["a.csv"]
    assert runs[1].code == 0 and runs[2].code == 0, runs[2].stderr
    assert (tmp_path / "rep" / "datapackage.json").exists()


@pytest.fixture
def hostile_register(tmp_path: Path, cli: Callable[..., Any]) -> Path:
    """A register whose only source has a hostile file name, title, publisher and URL."""
    source = tmp_path / HOSTILE_NAME
    source.write_text(TABLE, encoding="utf-8")
    register = tmp_path / "r.gpkg"
    run = cli(
        "ingest", source, "--register", register, "--source-title", TITLE,
        "--publisher", PUBLISHER, "--url", URL, cwd=tmp_path,
    )  # fmt: skip
    assert run.code == 0, run.stderr
    return register


def _no_markup(text: str) -> None:
    assert "<script" not in text and "<img" not in text and "<b>" not in text
    assert "](javascript:" not in text and 'href="javascript:' not in text
    assert "\x1b" not in text


def test_report_escapes_what_inputs_say(
    tmp_path: Path, hostile_register: Path, cli: Callable[..., Any]
) -> None:
    run = cli("report", "--register", hostile_register, "-o", tmp_path / "rep")
    assert run.code == 0, run.stderr
    readme = (tmp_path / "rep" / "README.md").read_text(encoding="utf-8")
    _no_markup(readme)
    html = (tmp_path / "rep" / "index.html").read_text(encoding="utf-8")
    body = re.sub(r"<script>.*?</script>", "", html, flags=re.S)  # the page's own script
    _no_markup(body)


def test_datapackage_has_only_http_links(
    tmp_path: Path, hostile_register: Path, cli: Callable[..., Any]
) -> None:
    run = cli("report", "--register", hostile_register, "-o", tmp_path / "rep")
    assert run.code == 0, run.stderr
    package = json.loads((tmp_path / "rep" / "datapackage.json").read_text(encoding="utf-8"))
    paths = [s.get("path", "") for s in package.get("sources", [])]
    assert all(p == "" or p.startswith(("http://", "https://")) for p in paths), paths


@pytest.mark.parametrize("fmt", ["md", "table"])
def test_register_views_escape_what_inputs_say(
    tmp_path: Path, hostile_register: Path, cli_batch: Callable[..., Any], fmt: str
) -> None:
    jobs: list[list[str | Path]] = [
        ["sources", "--register", hostile_register, "--format", fmt],
        ["history", "AZ-FUZ", "--register", hostile_register, "--format", fmt],
        ["explain", "AZ-FUZ", "--register", hostile_register, "--format", fmt],
    ]
    for job, run in zip(jobs, cli_batch(jobs), strict=True):
        assert run.code == 0, (job, run.stderr)
        assert "\x1b" not in run.stdout  # no escape sequence reaches the terminal
        lines = run.stdout.splitlines()
        if fmt == "md":
            _no_markup(run.stdout)
            # every line is a table row: a newline in a title does not break the table
            assert lines and all(line.startswith("|") for line in lines), (job, lines[:4])
        else:
            widths = {len(line.rstrip()) <= len(lines[1]) for line in lines[2:]}
            assert widths == {True}, (job, lines[:4])


def test_a_report_over_a_hostile_name_needs_no_shell_quoting(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    """The file name reaches the README escaped (and nothing is run)."""
    source = tmp_path / HOSTILE_NAME
    source.write_text(TABLE, encoding="utf-8")
    run = cli("report", source, "-o", tmp_path / "rep")
    assert run.code == 0, run.stderr
    _no_markup((tmp_path / "rep" / "README.md").read_text(encoding="utf-8"))
    shutil.rmtree(tmp_path / "rep")
