"""The ``damage-data`` CLI: summary output, exit codes, messages without tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from damage_data.cli import app, main
from damage_data.reconcile import SUMMARY_COLUMNS


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "damage_data", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        check=False,
    )


def test_summary_json_on_the_bundled_example() -> None:
    proc = run("summary", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert "bundled example" in proc.stderr
    rows = {r["unit_code"]: r for r in json.loads(proc.stdout)}
    for row in rows.values():
        assert list(row) == list(SUMMARY_COLUMNS)
    cab, fuz = rows["AZ-CAB"], rows["AZ-FUZ"]
    assert (cab["destroyed"], cab["damaged"], cab["residential"]) == (0, 47, 41)
    assert cab["residential_share"] == 0.872
    assert (fuz["destroyed"], fuz["assessed"]) == (11, 325)
    assert "disagree" in fuz["flags"].split(";")
    assert rows["AZ-TAR"]["as_of"] == "2021-02-15"


@pytest.mark.parametrize("fmt", ["table", "csv", "ndjson", "md"])
def test_summary_formats(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "AZ-CAB" in out
    if fmt == "ndjson":
        assert all(json.loads(line)["unit_code"] for line in out.splitlines())
    if fmt == "csv":
        assert out.splitlines()[0] == ",".join(SUMMARY_COLUMNS)


def test_summary_writes_a_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    assert main(["summary", "--format", "csv", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("unit_code,")


def test_missing_input_exits_3_without_traceback(tmp_path: Path) -> None:
    proc = run("summary", str(tmp_path / "nope.csv"))
    assert proc.returncode == 3
    assert "nope.csv" in proc.stderr and "Traceback" not in proc.stderr


def test_usage_errors_exit_2() -> None:
    for args in (["summary", "--format", "xml"], ["summary", "--bogus"], ["frobnicate"]):
        proc = run(*args)
        assert proc.returncode == 2, args
        assert "Traceback" not in proc.stderr


def test_help_lists_every_command_with_help_text() -> None:
    proc = run("--help")
    assert proc.returncode == 0
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert name in proc.stdout
        assert (command.callback.__doc__ or "").strip(), f"{name} has no help text"


def test_help_is_light() -> None:
    # the CLI must answer --help without importing the heavy stack
    code = (
        "import sys; from damage_data.cli import app; "
        "heavy = [m for m in ('pandas', 'geopandas', 'matplotlib', 'pandera', 'pyogrio') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == ""


PAZARCIK = Path(__file__).resolve().parents[1] / "data" / "examples" / "emsr648_pazarcik"


def test_summary_of_a_product_with_the_users_units() -> None:
    proc = run(
        "summary",
        str(PAZARCIK / "EMSR648_AOI08_GRA_PRODUCT_builtUpP_r1_v1.json"),
        "--units",
        str(PAZARCIK / "EMSR648_AOI08_GRA_PRODUCT_areaOfInterestA_r1_v1.json"),
        "--units-name",
        "locality",
        "--units-code",
        "area_id",
        "--format",
        "json",
    )
    assert proc.returncode == 0, proc.stderr
    (row,) = json.loads(proc.stdout)
    assert row["unit_name"] == "Pazarcik"
    assert (row["destroyed"], row["damaged"], row["possibly_damaged"], row["assessed"]) == (
        6,
        1,
        44,
        66,
    )


def test_unknown_damage_label_is_named_with_the_known_ones(tmp_path: Path) -> None:
    path = tmp_path / "odd.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"damage": "destroyed"},
                        "geometry": {"type": "Point", "coordinates": [46.9, 39.6]},
                    },
                    {
                        "type": "Feature",
                        "properties": {"damage": "wobbly"},
                        "geometry": {"type": "Point", "coordinates": [46.8, 39.7]},
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    proc = run("summary", str(path), "--format", "json")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert "wobbly" in proc.stderr and "destroyed" in proc.stderr
    strict = run("summary", str(path), "--strict")
    assert strict.returncode == 4 and "wobbly" in strict.stderr
    assert "Traceback" not in strict.stderr


def test_random_bytes_exit_3(tmp_path: Path) -> None:
    path = tmp_path / "noise.geojson"
    path.write_bytes(bytes(range(256)) * 16)
    proc = run("summary", str(path))
    assert proc.returncode == 3
    assert "noise.geojson" in proc.stderr and "Traceback" not in proc.stderr
