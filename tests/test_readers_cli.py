"""``damage-data validate`` and ``damage-data formats`` through the CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from damage_data.cli import main

DATA = Path(__file__).resolve().parent / "data" / "readers"
TODIANO = (
    DATA
    / "copernicus_emsr190_todiano"
    / "EMSR190_07TODIANO_02GRADING_v2_12500_settlements_poly_grading.shp"
)
NEPAL = DATA / "hxl_nepal2015" / "nepal_eq2015_houses_destroyed_hxl.csv"


def test_validate_table_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(TODIANO)]) == 0
    out = capsys.readouterr().out
    assert "kind: copernicus" in out
    assert "rows_read: 897" in out and "rows_rejected: 0" in out
    assert "  residential: 695" in out
    assert "  none: 887" in out


def test_validate_json_one_object_or_array(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--format", "json", str(NEPAL)]) == 0
    one = json.loads(capsys.readouterr().out)
    assert isinstance(one, dict)
    assert one["damage_counts"] == {"destroyed": 543034, "damaged": 310208}
    assert list(one)[:6] == [
        "path",
        "kind",
        "detected_by",
        "rows_read",
        "rows_kept",
        "rows_rejected",
    ]
    assert main(["validate", "-f", "json", str(NEPAL), str(TODIANO)]) == 0
    many = json.loads(capsys.readouterr().out)
    assert [r["kind"] for r in many] == ["hxl", "copernicus"]


def test_validate_strict_and_rejects(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.csv"
    path.write_text("District,Houses destroyed\nFuzuli,11\nAghdam,-4\n")
    assert main(["validate", str(path)]) == 0
    captured = capsys.readouterr()
    assert "negative count: 1" in captured.out
    assert "1 rows rejected" in captured.err
    assert main(["validate", "--strict", str(path)]) == 4


def test_validate_text_shows_date_order_and_unreadable_dates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Both used to appear only with ``--format json``."""
    path = tmp_path / "s.geojson"
    features = [
        {
            "type": "Feature",
            "properties": {"damage": "destroyed", "date": date},
            "geometry": {"type": "Point", "coordinates": [46.9 + i / 100, 39.6]},
        }
        for i, date in enumerate(["13/11/2020", "05/11/2020", "soon"])
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    assert main(["validate", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    # 13/11/2020 can only be day first; "soon" is the one date that cannot be read
    assert "date_order: day first" in lines
    assert "unreadable_dates: 1" in lines


def test_validate_unreadable_exit_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert main(["validate", str(empty)]) == 3
    assert "empty" in capsys.readouterr().err
    assert main(["validate", str(tmp_path / "missing.geojson")]) == 3
    assert main(["validate", "--format", "xml", str(NEPAL)]) == 2


def test_validate_kind_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--kind", "gis", str(TODIANO), "-f", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["kind"] == "gis" and report["detected_by"] == "given"
    assert report["damage_counts"]["destroyed"] == 2


def test_formats_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["formats"]) == 0
    out = capsys.readouterr().out
    for kind in ("table", "gis", "unosat", "copernicus", "xbd", "hxl", "codab", "text"):
        assert any(line.startswith(kind) for line in out.splitlines())


def test_commands_have_help(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("validate", "formats"):
        assert main([command, "--help"]) == 0
        assert len(capsys.readouterr().out) > 100


def test_validate_reads_standard_input() -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "damage_data", "validate", "-", "-f", "json"],
        input="District,Houses destroyed\nFuzuli,11\n",
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["path"] == "-" and report["damage_counts"] == {"destroyed": 11}
