"""Tests of ``damage-data extract`` (damage_data.cli.extract) through the real CLI."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from damage_data.cli import main
from damage_data.cli.extract import JSON_FIELDS

TEXT = (
    "Jabrayil district: damage to 47 buildings, of which 41 private houses and 2 "
    "administrative buildings; no building was destroyed, and the 47 are in critical "
    "condition. Two civilians were injured.\n"
)


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "report.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_extract_json_has_exactly_the_contract_fields(
    report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", str(report), "--published", "2020-11-24", "--format", "json"]) == 0
    out = capsys.readouterr()
    records = json.loads(out.out)
    assert [list(r) for r in records] == [list(JSON_FIELDS)] * len(records)
    assert [r["count"] for r in records] == [47, 41, 2, 0, 47]
    assert [r["subset_of"] for r in records] == [None, 0, 0, None, None]
    assert [r["same_as"] for r in records] == [None, None, None, None, 0]
    assert records[3]["damage"] == "destroyed"
    for r in records:
        assert r["evidence"] == TEXT[r["start"] : r["end"]]
        assert r["unit_code"] == "AZ-CAB"
        assert r["as_of"] == "2020-11-24"
    assert "5 figures" in out.err


def test_extract_csv_and_table(report: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(report), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["count"] for r in rows] == ["47", "41", "2", "0", "47"]
    assert {"evidence", "start", "end", "rule", "figure_id"} <= set(rows[0])
    assert main(["extract", str(report)]) == 0
    table = capsys.readouterr().out
    assert "damage to 47 buildings" in table and "AZ-CAB" in table


def test_extract_writes_to_a_file(report: Path, tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    assert main(["extract", str(report), "--format", "json", "-o", str(out)]) == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 5


def test_extract_reads_stdin_and_takes_a_language() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "damage_data",
            "extract",
            "-",
            "--format",
            "json",
            "--lang",
            "az",
            "--published",
            "2020-10-18",
        ],
        input="Tərtər rayonunda 646 evə ziyan dəyib, 118 ev tamamilə dağılıb.",
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)
    assert [(r["count"], r["damage"]) for r in records] == [(646, "damaged"), (118, "destroyed")]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--format", "xml"], 2),
        (["--lang", "fr"], 2),
        (["--published", "24/11/2020"], 2),
    ],
)
def test_extract_usage_errors(
    report: Path, args: list[str], code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", str(report), *args]) == code
    assert "error" in capsys.readouterr().err


def test_extract_unreadable_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(tmp_path / "missing.txt")]) == 3
    other = tmp_path / "table.xlsx"
    other.write_bytes(b"PK")
    assert main(["extract", str(other)]) == 3
    assert "not a text file" in capsys.readouterr().err


def test_extract_has_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "damage_data", "extract", "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0
    assert "--published" in done.stdout and "--source" in done.stdout


def test_extract_refuses_a_text_over_max_text_mb_and_reads_it_under_a_larger_one(
    report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    size = report.stat().st_size  # a few hundred bytes: 0.0001 MiB is about 105 bytes
    assert size > 0.0001 * 1024 * 1024
    assert main(["extract", str(report), "--max-text-mb", "0.0001"]) == 3
    err = capsys.readouterr().err
    assert f"{size:,} bytes" in err and "--max-text-mb" in err and "Traceback" not in err
    assert main(["extract", str(report), "--max-text-mb", "1", "--format", "csv"]) == 0
    assert len(list(csv.DictReader(io.StringIO(capsys.readouterr().out)))) == 5
    assert main(["extract", str(report), "--max-text-mb", "0"]) == 2


def test_load_passes_its_limits_to_the_press_reader(report: Path) -> None:
    from damage_data._errors import LimitExceededError
    from damage_data.limits import Limits
    from damage_data.readers import load

    with pytest.raises(LimitExceededError, match="bytes, over the limit"):
        load(report, limits=Limits(max_text_bytes=100))
    assert len(load(report).figures) == 5
