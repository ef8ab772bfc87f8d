"""Figure export: exact web size, print size, embedded title and alt text, atomic writes."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import defusedxml.ElementTree as ET
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from PIL import Image

from damage_data import plot, style
from damage_data._errors import UsageError
from damage_data.example import example_figures, example_sources
from damage_data.export import (
    neutralise_cell,
    safe_csv_text,
    save,
)
from damage_data.reconcile import summarise

SVG = "{http://www.w3.org/2000/svg}"
TITLE = "Cəbrayıl: 87% of the buildings hit were homes"
ALT = 'Bar chart (Cəbrayıl 87%, Ağcabədi 2%) <with> & "quotes"'


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def summary() -> pd.DataFrame:
    return summarise(example_figures(), example_sources())


@pytest.fixture
def finished(summary):
    ax = plot.damage_bars(summary, sources=example_sources())
    fig = style.finalise(ax.figure, title=TITLE, subtitle="Share per unit", alt_text=ALT)
    return fig


def pdf_info(data: bytes) -> dict[str, str]:
    """The /Title, /Subject and /Keywords strings of a PDF's info dictionary."""
    info: dict[str, str] = {}
    for key in ("Title", "Subject", "Keywords"):
        start = data.find(f"/{key} (".encode())
        if start < 0:
            continue
        i = start + len(key) + 3
        raw = bytearray()
        while data[i : i + 1] != b")":
            if data[i : i + 1] == b"\\":  # escaped byte (parenthesis, backslash, octal)
                i += 1
                octal = re.match(rb"[0-7]{1,3}", data[i : i + 3])
                if octal:
                    raw.append(int(octal.group(), 8))
                    i += len(octal.group())
                    continue
                escapes = {b"n": 10, b"r": 13, b"t": 9, b"b": 8, b"f": 12}
                raw.append(escapes.get(data[i : i + 1], data[i]))
            else:
                raw.append(data[i])
            i += 1
        text = bytes(raw)
        info[key] = (
            text[2:].decode("utf-16-be") if text.startswith(b"\xfe\xff") else text.decode("latin-1")
        )
    return info


def test_web_png_is_exactly_1280_by_900_with_title_and_description(finished, tmp_path):
    out = save(finished, tmp_path / "chart.png")
    with Image.open(out) as image:
        assert image.size == (1280, 900)
        assert image.text["Title"] == TITLE
        assert image.text["Description"] == ALT


def test_web_png_size_does_not_depend_on_the_figure(tmp_path):
    fig, ax = plt.subplots(figsize=(11, 3), dpi=72)
    ax.plot([1, 2, 3])
    style.finalise(fig, title="A very long title " * 8, note="Note " * 40, source="Somewhere")
    out = save(fig, tmp_path / "odd.png")
    with Image.open(out) as image:
        assert image.size == (1280, 900)
    assert tuple(fig.get_size_inches()) == (11, 3) and fig.dpi == 72  # restored


def test_footer_is_inside_the_png(finished, tmp_path):
    out = save(finished, tmp_path / "chart.png")
    with Image.open(out) as image:
        grey = image.convert("L")
        width, height = grey.size
        # the source line is drawn in the bottom band, above the very edge
        band = [
            grey.getpixel((x, y))
            for y in range(height - 60, height - 8)
            for x in range(0, width, 2)
        ]
        edge = [grey.getpixel((x, height - 1)) for x in range(width)]
    assert min(band) < 160  # footer text
    assert min(edge) > 240  # nothing cut at the bottom edge


def test_svg_carries_title_and_desc_first_and_css_pixel_size(finished, tmp_path):
    out = save(finished, tmp_path / "chart.svg")
    root = ET.fromstring(out.read_bytes())
    assert root.get("width") == "640px" and root.get("height") == "450px"
    children = list(root)
    assert children[0].tag == f"{SVG}title" and children[0].text == TITLE
    assert children[1].tag == f"{SVG}desc" and children[1].text == ALT
    assert len(root.findall(f"{SVG}title")) == 1
    assert root.get("role") == "img"


def test_svg_is_reproducible(finished, tmp_path):
    first = save(finished, tmp_path / "a.svg").read_bytes()
    second = save(finished, tmp_path / "b.svg").read_bytes()
    assert first == second


def test_print_pdf_has_metadata_and_the_size_in_mm(finished, tmp_path):
    out = save(finished, tmp_path / "chart.pdf", preset="print", size_mm=(120, 90))
    data = out.read_bytes()
    info = pdf_info(data)
    assert info["Title"] == TITLE
    assert info["Subject"] == ALT
    assert "structure damage" in info["Keywords"]
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert float(box.group(1)) == pytest.approx(120 / 25.4 * 72, abs=0.01)
    assert float(box.group(2)) == pytest.approx(90 / 25.4 * 72, abs=0.01)


def test_title_and_alt_text_can_be_given_to_save(tmp_path):
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    out = save(fig, tmp_path / "x.png", title="Given", alt_text="A line rising")
    with Image.open(out) as image:
        assert image.text["Title"] == "Given"
        assert image.text["Description"] == "A line rising"


def test_plain_keeps_the_figure_size(tmp_path):
    fig, _ax = plt.subplots(figsize=(4, 2), dpi=50)
    out = save(fig, tmp_path / "plain.png", preset="plain")
    with Image.open(out) as image:
        assert image.size == (200, 100)


def test_bad_requests_name_the_choices(finished, tmp_path):
    with pytest.raises(UsageError, match=r"\.png, \.svg, \.pdf"):
        save(finished, tmp_path / "chart.gif")
    with pytest.raises(UsageError, match="web, print, plain"):
        save(finished, tmp_path / "chart.png", preset="poster")
    with pytest.raises(UsageError, match="print preset"):
        save(finished, tmp_path / "chart.pdf", size_mm=(100, 80))
    assert list(tmp_path.iterdir()) == []


def test_failed_export_leaves_no_file(finished, tmp_path, monkeypatch):
    target = tmp_path / "chart.png"
    target.write_bytes(b"previous version")

    def boom(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(finished, "savefig", boom)
    with pytest.raises(RuntimeError):
        save(finished, target)
    assert target.read_bytes() == b"previous version"
    assert [p.name for p in tmp_path.iterdir()] == ["chart.png"]


def test_existing_csv_helpers_still_neutralise_formulas():
    assert neutralise_cell("=1+1") == "'=1+1"
    assert safe_csv_text(pd.DataFrame({"a": ["@SUM(A1)", "ok"]})) == "a\n'@SUM(A1)\nok\n"


def test_saved_map_is_written_under_a_new_folder(summary, tmp_path):
    ax = plot.damage_map(summary)
    style.finalise(ax.figure, title="Map")
    out = save(ax.figure, Path(tmp_path, "deep", "er", "map.png"))
    assert out.exists()
