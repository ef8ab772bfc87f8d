"""The command line as people type it: version, output files, shared options, messages."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from damage_data.cli import app, main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_version_prints_and_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    from damage_data import __version__

    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"damage-data {__version__}"


def test_output_format_follows_the_file_extension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "summary.json"
    code, _, _ = run(capsys, "summary", "-o", str(out))
    assert code == 0
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert {r["unit_code"] for r in rows} >= {"AZ-CAB", "AZ-TAR"}


def test_an_existing_output_is_replaced_only_with_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "summary.csv"
    out.write_text("keep me\n", encoding="utf-8")
    code, _, err = run(capsys, "summary", "-o", str(out))
    assert code == 2 and "--overwrite" in err
    assert out.read_text(encoding="utf-8") == "keep me\n"
    code, _, _ = run(capsys, "summary", "-o", str(out), "--overwrite")
    assert code == 0 and out.read_text(encoding="utf-8").startswith("unit_code,")


def test_outputs_follow_the_umask(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = os.umask(0o022)
    try:
        out = tmp_path / "s.csv"
        assert run(capsys, "summary", "-o", str(out))[0] == 0
        folder = tmp_path / "report"
        assert run(capsys, "report", "-o", str(folder), "--quiet")[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644  # not 0600: others may read it
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert stat.S_IMODE((folder / "summary.csv").stat().st_mode) == 0o644


@pytest.mark.parametrize("command", ["explain", "history"])
def test_explain_and_history_work_without_a_register(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, command, "Fuzuli", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert {r["unit_code"] for r in rows} == {"AZ-FUZ"}
    if command == "explain":
        relayed = next(r for r in rows if r["figure_id"] == "fuz-a-325")
        assert relayed["used"] is False and relayed["rule"] == "source_relayed"


def test_map_and_chart_take_the_summary_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from PIL import Image

    before = tmp_path / "before.png"
    code, _, err = run(
        capsys, "chart", "--kind", "bars", "--as-of", "2020-10-20", "-o", str(before)
    )
    assert code == 0, err
    title = Image.open(before).text["Title"]
    # on 20 Oct 2020 only Tartar's first statements and Ganja had figures
    assert "Aghjabadi" not in title
    code, _, err = run(capsys, "map", "--policy", "latest", "-o", str(tmp_path / "m.png"))
    assert code == 0, err


def test_no_short_option_means_two_things() -> None:
    import typer.main

    seen: dict[str, set[str]] = {}
    group = typer.main.get_command(app)
    for command in group.commands.values():  # type: ignore[attr-defined]
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("-") and not opt.startswith("--"):
                    seen.setdefault(opt, set()).add(param.name)
    assert "-k" not in seen
    assert all(len(names) == 1 for names in seen.values()), seen


def test_messages_name_command_line_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "t.csv"
    table.write_text("Rayon,Kategoriya A\nFuzuli,11\n", encoding="utf-8")  # no known header
    code, _, err = run(capsys, "summary", str(table))
    assert code == 3
    assert "--columns" in err and "columns=" not in err.replace("--columns", "")
    code, _, err = run(capsys, "summary", str(table), "--columns", "town=Rayon")
    assert code == 2 and "--columns" in err


def test_columns_take_several_pairs_after_one_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "survey.csv"
    sheet.write_text(
        "district,Status,House damage\nTartar,assessed,Total destruction\n"
        "Tartar,pending,Some damage\nTartar,assessed,No\n",
        encoding="utf-8",
    )
    code, out, err = run(
        capsys,
        "summary",
        str(sheet),
        "--columns",
        "damage=House damage",
        "place=district",
        "--format",
        "json",
    )
    assert code == 0, err
    (row,) = json.loads(out)
    # one answer per house, no count column: each row is one house
    assert (row["destroyed"], row["damaged"]) == (1, 1)


def test_validate_lists_the_mapping_and_the_first_rejected_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "t.csv"
    table.write_text(
        "district,houses destroyed,notes\nFuzuli,11,x\nTartar,-3,y\nBarda,many,z\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "validate", str(table))
    assert code == 0
    assert "columns:" in out and "houses destroyed  count: destroyed, residential" in out
    assert "notes" in out.split("columns:")[1]  # ignored, with its reason
    assert "row 3, column houses destroyed, value '-3': negative count" in out
    assert "row 4, column houses destroyed, value 'many': not a number" in out
