"""``damage-data map`` and ``damage-data chart`` through the CLI entry point."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import defusedxml.ElementTree as ET
import pytest
from PIL import Image

from damage_data._data import data_path
from damage_data.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_map_of_the_bundled_example(capsys, tmp_path):
    out = tmp_path / "map.png"
    code, stdout, stderr = run(capsys, "map", "-o", str(out))
    assert code == 0, stderr
    assert "bundled example" in stderr and f"wrote {out}" in stderr
    assert stdout == ""
    with Image.open(out) as image:
        assert image.size == (1280, 900)
        assert image.text["Title"] == "Aghjabadi: most buildings destroyed or damaged (510+)"
        assert image.text["Description"].startswith("Map")


def test_map_of_an_input_file_with_options(capsys, tmp_path):
    out = tmp_path / "map.svg"
    figures = data_path("examples", "karabakh_2020", "figures.csv")
    code, _out, stderr = run(
        capsys,
        "map",
        str(figures),
        "--metric",
        "destroyed",
        "--lang",
        "az",
        "--title",
        "Dağıdılmış binalar",
        "-o",
        str(out),
    )
    assert code == 0, stderr
    assert "bundled example" not in stderr
    root = ET.fromstring(out.read_bytes())
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Dağıdılmış binalar"


@pytest.mark.parametrize(
    ("kind", "suffix"), [("bars", "svg"), ("share", "png"), ("timeline", "pdf")]
)
def test_charts(capsys, tmp_path, kind, suffix):
    out = tmp_path / f"chart.{suffix}"
    code, _out, stderr = run(capsys, "chart", "--kind", kind, "-o", str(out))
    assert code == 0, stderr
    assert out.stat().st_size > 1000


def test_timeline_for_a_unit_in_print_size(capsys, tmp_path):
    out = tmp_path / "tartar.pdf"
    code, _out, stderr = run(
        capsys,
        "chart",
        "--kind",
        "timeline",
        "--unit",
        "AZ-TAR",
        "--preset",
        "print",
        "--size-mm",
        "120x90",
        "-o",
        str(out),
    )
    assert code == 0, stderr
    data = out.read_bytes()
    assert b"/Title (" in data
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert float(box.group(1)) == pytest.approx(340.16, abs=0.01)


@pytest.mark.parametrize(
    ("args", "message", "exit_code"),
    [
        (["map", "-o", "x.gif"], "unknown figure format '.gif'", 2),
        (["map", "--metric", "height", "-o", "x.png"], "choose one of: total", 2),
        (["map", "--lang", "fr", "-o", "x.png"], "en, az, ru, uk, hy, native", 2),
        (["chart", "--kind", "pie", "-o", "x.png"], "bars, share, timeline", 2),
        (["chart", "--size-mm", "100x80", "-o", "x.pdf"], "--preset print", 2),
        (["chart", "--preset", "print", "--size-mm", "wide", "-o", "x.pdf"], "WIDTHxHEIGHT", 2),
        (["map", "missing.csv", "-o", "x.png"], "missing.csv: no such file", 3),
        (
            ["chart", "--kind", "timeline", "--unit", "AZ-ZAN", "-o", "x.png"],
            "units with such figures",
            2,
        ),
    ],
)
def test_errors_are_clean_messages(capsys, tmp_path, monkeypatch, args, message, exit_code):
    monkeypatch.chdir(tmp_path)
    code, _out, stderr = run(capsys, *args)
    assert code == exit_code
    assert message in stderr
    assert "Traceback" not in stderr
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_output_is_required(capsys):
    code, _out, stderr = run(capsys, "map")
    assert code == 2
    assert "--output" in stderr


def test_commands_have_help(capsys):
    for command in ("map", "chart"):
        code, text, _err = run(capsys, command, "--help")
        assert code == 0
        assert "--output" in text and "--lang" in text
