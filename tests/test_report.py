"""The report folder: contents, Frictionless validity, numbers matching the summary."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from damage_data._errors import UsageError
from damage_data.cli import main
from damage_data.pipeline import collect
from damage_data.report import build_report
from damage_data.report.notes import HXL_TAGS
from damage_data.tables import make_figures


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rep") / "damage-report"
    assert main(["report", "-o", str(out), "--quiet"]) == 0
    return out


EXPECTED = {
    "summary.csv",
    "summary.xlsx",
    "summary.md",
    "summary_hxl.csv",
    "units.gpkg",
    "units.geojson",
    "figures.csv",
    "sources.csv",
    "match_log.csv",
    "rejects.csv",
    "map.png",
    "chart_bars.png",
    "chart_share.png",
    "README.md",
    "datapackage.json",
}


def test_folder_holds_every_output(report_dir: Path) -> None:
    names = {p.name for p in report_dir.iterdir()}
    assert names >= EXPECTED
    assert not any(n.startswith(".") for n in names)


def test_datapackage_validates_with_frictionless(report_dir: Path) -> None:
    from frictionless import Package, validate

    report = validate(str(report_dir / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = Package(str(report_dir / "datapackage.json"))
    described = {r.path for r in package.resources}
    on_disk = {p.name for p in report_dir.iterdir() if p.name != "datapackage.json"}
    assert described == on_disk
    summary = package.get_resource("summary")
    assert "unit_code" in summary.schema.field_names
    descriptor = json.loads((report_dir / "datapackage.json").read_text())
    assert any("Natural Earth" in s["title"] for s in descriptor["sources"])


def test_readme_numbers_match_the_summary(report_dir: Path) -> None:
    summary = pd.read_csv(report_dir / "summary.csv")
    text = (report_dir / "README.md").read_text(encoding="utf-8")
    units = summary[summary["level"] != "country"]
    for row in units.itertuples():
        line = next(ln for ln in text.splitlines() if ln.startswith(f"* **{row.unit_name}**:"))
        for column in ("destroyed", "damaged", "assessed"):
            value = getattr(row, column)
            word = "inspected" if column == "assessed" else column
            found = re.search(r"([\d,]+)\+? " + word, line)
            if pd.isna(value):
                assert found is None, (row.unit_code, column, line)
            else:
                assert found is not None, (row.unit_code, column, line)
                assert int(found.group(1).replace(",", "")) == value
    # the headline adds units (never sources), with "+" where a unit's figure is open-ended
    total_destroyed = int(units["destroyed"].sum())
    assert f"**{total_destroyed:,} buildings were reported destroyed**" in text
    open_damaged = units["damaged_max"].isna() & units["damaged"].notna()
    damaged = f"{int(units['damaged'].sum()):,}" + ("+" if open_damaged.any() else "")
    assert f"**{damaged} damaged**" in text


def test_hxl_output_reads_with_libhxl(report_dir: Path) -> None:
    import hxl

    with open(report_dir / "summary_hxl.csv", "rb") as handle:
        data = hxl.data(handle)
        tags = [c.display_tag for c in data.columns]
        rows = list(data)
    assert "#affected+buildings+destroyed" in tags and "#adm1+code" in tags
    assert tags == [HXL_TAGS[c] for c in pd.read_csv(report_dir / "summary.csv").columns]
    cab = next(r for r in rows if r.get("#adm1+code") == "AZ-CAB")
    assert cab.get("#affected+buildings+damaged") == "47"


def test_xlsx_is_formatted(report_dir: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(report_dir / "summary.xlsx")
    assert {"Summary", "Figures", "Sources", "Notes"} <= set(book.sheetnames)
    sheet = book["Summary"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    col = header.index("destroyed") + 1
    assert sheet.cell(row=2, column=col).number_format == "#,##0"
    share = header.index("residential_share") + 1
    assert sheet.cell(row=2, column=share).number_format == "0.0%"
    notes = [r[1].value for r in book["Notes"].iter_rows(min_row=2)]
    assert any("never added" in str(n) for n in notes)


def test_units_layers_carry_metrics(report_dir: Path) -> None:
    import geopandas as gpd

    units = gpd.read_file(report_dir / "units.gpkg")
    assert units.loc[units["unit_code"] == "AZ-CAB", "damaged"].iloc[0] == 47
    geo = gpd.read_file(report_dir / "units.geojson")
    assert set(geo["unit_code"]) == set(units["unit_code"])


def test_existing_folder_refused_unless_overwrite(report_dir: Path) -> None:
    assert main(["report", "-o", str(report_dir), "--quiet"]) == 2
    with pytest.raises(UsageError, match="--overwrite"):
        build_report(collect(), report_dir)


def test_spreadsheet_formulas_are_neutralised(tmp_path: Path) -> None:
    collected = collect()
    evil = make_figures(
        [
            {
                "figure_id": "evil",
                "source_id": collected.sources.iloc[0]["source_id"],
                "unit_code": "AZ-CAB",
                "damage": "destroyed",
                "count": 1,
                "evidence": '=HYPERLINK("http://x","click")',
                "place_text": "@SUM(A1)",
                "status": "needs_review",
            }
        ]
    )
    collected.figures = make_figures(pd.concat([collected.figures, evil], ignore_index=True))
    result = build_report(collected, tmp_path / "r")
    csv_text = (result.folder / "figures.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in csv_text and "'@SUM(A1)" in csv_text
    from openpyxl import load_workbook

    sheet = load_workbook(result.folder / "summary.xlsx")["Figures"]
    values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(v.startswith(("=", "@")) for v in values)
    assert any(v.startswith("'=HYPERLINK") for v in values)


def test_source_titles_and_categories_cannot_plant_formulas(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from damage_data.export import neutralise_formulas

    cats = neutralise_formulas(pd.DataFrame({"c": pd.Categorical(["=1+1", "ok"])}))
    assert cats["c"].tolist() == ["'=1+1", "ok"]
    collected = collect()
    sources = collected.sources.copy()
    sources.loc[0, "title"] = '=HYPERLINK("http://example.invalid","x")'
    collected.sources = sources
    result = build_report(collected, tmp_path / "r")
    book = load_workbook(result.folder / "summary.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert not (isinstance(cell.value, str) and cell.value.startswith("=")), (
                    sheet.title,
                    cell.coordinate,
                )
