"""Issue 19 item 3: nothing is lost before it is counted as read.

Each file hides rows or layers from a naive reader; every row must be read (kept or
rejected with a reason) and every layer or sheet left out must be a warning of ``validate``.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd


def _report(run: Any) -> dict[str, Any]:
    assert run.code in (0, 4), run.stderr
    report = json.loads(run.stdout)
    return report[0] if isinstance(report, list) else report


def _warnings(text: str) -> str:
    """The ``warnings:`` block of ``validate``'s text output (its ``  - `` lines)."""
    block = text.split("\nwarnings:", 1)[1].splitlines()[1:]
    return "\n".join(
        line
        for line in block[
            : next((i for i, x in enumerate(block) if not x.startswith("  - ")), len(block))
        ]
    )


def _stale_dimension_xlsx(path: Path, rows: list[tuple[str, int]]) -> Path:
    """A workbook whose ``<dimension>`` tag says A1:B2 although the sheet has more rows
    (as some exporters write it)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["District", "destroyed"])
    for row in rows:
        book.active.append(list(row))
    tmp = path.with_suffix(".tmp.xlsx")
    book.save(tmp)
    with zipfile.ZipFile(tmp) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"', data)
                assert n == 1
            out.writestr(info, data)
    tmp.unlink()
    return path


def test_xlsx_with_a_stale_dimension_reads_every_row(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    rows = [("Fuzuli", 11), ("Tartar", 5), ("Aghdam", 7), ("Barda", 2)]
    path = _stale_dimension_xlsx(tmp_path / "stale.xlsx", rows)
    report = _report(cli("validate", path, "--format", "json"))
    assert report["rows_read"] == len(rows) == 4
    assert report["damage_counts"]["destroyed"] == sum(n for _, n in rows)


def test_csv_row_wider_than_its_header_is_rejected(tmp_path: Path, cli: Callable[..., Any]) -> None:
    text = "District,destroyed,damaged\nFuzuli,1,234,5\nTartar,2,3\n"
    path = tmp_path / "wide.csv"
    path.write_text(text, encoding="utf-8")
    report = _report(cli("validate", path, "--format", "json"))
    assert report["rows_read"] == 2 and report["rows_kept"] == 1 and report["rows_rejected"] == 1
    assert any("header has 3" in reason for reason in report["reasons"])
    # only Tartar's row is counted: Fuzuli's cells cannot be tied to columns
    assert report["damage_counts"] == {"destroyed": 2, "damaged": 3}


def test_shapefile_with_a_short_dbf_reads_every_shape(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    import geopandas as gpd
    from shapely.geometry import Point

    five = gpd.GeoDataFrame(
        {"damage": ["destroyed"] * 5}, geometry=[Point(46.9 + i / 100, 39.6) for i in range(5)]
    ).set_crs(4326)
    five.to_file(tmp_path / "b.shp")
    one = tmp_path / "one"
    one.mkdir()
    five.head(1).to_file(one / "b.shp")
    shutil.copy(one / "b.dbf", tmp_path / "b.dbf")  # the .dbf now has 1 record for 5 shapes
    report = _report(cli("validate", tmp_path / "b.shp", "--format", "json"))
    assert report["rows_read"] == 5
    assert report["rows_kept"] == 1 and report["rows_rejected"] == 4
    assert any(".dbf" in reason for reason in report["reasons"])
    assert any("5 shapes" in w for w in report["warnings"])


def test_geopackage_layer_of_mostly_unknown_labels_is_a_warning(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    import geopandas as gpd
    from shapely.geometry import Point

    path = tmp_path / "layers.gpkg"
    good = gpd.GeoDataFrame(
        {"damage": ["destroyed", "damaged"]}, geometry=[Point(46.9, 39.6), Point(46.91, 39.6)]
    ).set_crs(4326)
    odd = gpd.GeoDataFrame(
        {"damage": ["destroyed", "kaputt", "zerstört", "weg", "xx"]},
        geometry=[Point(46.9, 39.6)] * 5,
    ).set_crs(4326)
    good.to_file(path, layer="good")
    odd.to_file(path, layer="mostly_unknown")
    run = cli("validate", path)
    assert run.code == 0, run.stderr
    warnings = _warnings(run.stdout)
    assert "mostly_unknown" in warnings and "--columns damage=damage" in warnings


def test_extra_xlsx_sheets_are_a_warning(tmp_path: Path, cli: Callable[..., Any]) -> None:
    path = tmp_path / "sheets.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"District": ["Fuzuli"], "destroyed": [11]}).to_excel(
            writer, sheet_name="Districts", index=False
        )
        pd.DataFrame({"District": ["Tartar"], "destroyed": [5]}).to_excel(
            writer, sheet_name="More", index=False
        )
    run = cli("validate", path)
    assert run.code == 0, run.stderr
    warnings = _warnings(run.stdout)
    assert "More" in warnings and "--layer" in warnings
