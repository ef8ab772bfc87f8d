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


def test_readme_speaks_to_a_reporter(report_dir: Path) -> None:
    text = (report_dir / "README.md").read_text(encoding="utf-8")
    # no flag codes or vocabulary terms: plain words (file names aside)
    codes = set(re.findall(r"\b[a-z]+_[a-z_]+\b", text)) - {
        "match_log",
        "chart_bars",
        "chart_share",
        "chart_timeline",
    }
    assert not codes, codes
    # numbers keep their qualifiers, and figures waiting for review are named
    assert "**Aghjabadi**: 10 destroyed, 500+ damaged" in text
    assert "not counted" in text and "Ganja: 100 severe" in text
    # what a caveat means for the story, not its code
    assert "the running total went down between statements" in text


def test_workbook_is_ready_for_a_desk(report_dir: Path) -> None:
    import openpyxl

    book = openpyxl.load_workbook(report_dir / "summary.xlsx")
    sheet = book["Summary"]
    assert all(cell.font.bold for cell in sheet[1] if cell.value)
    assert sheet.auto_filter.ref and sheet.freeze_panes == "A2"
    widths = {
        sheet.cell(1, i).value: sheet.column_dimensions[c].width
        for i, c in ((i, sheet.cell(1, i).column_letter) for i in range(1, sheet.max_column + 1))
    }
    assert widths["unit_name"] >= len("Azerbaijan")
    assert "Villages" in book.sheetnames or not (report_dir / "villages.csv").exists()


def test_summary_markdown_reads_as_a_table_for_people(report_dir: Path) -> None:
    text = (report_dir / "summary.md").read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if line.startswith("| "))
    assert "| Destroyed |" in header and "| Share of homes |" in header
    assert "500+" in text and "87% of 47" in text
    assert "0.872" not in text  # a share is a percentage, with its basis


def test_nothing_counted_says_so_in_every_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # structures far from every bundled boundary: nothing can be assigned
    points = tmp_path / "italy.csv"
    points.write_text(
        "lon,lat,damage\n13.24,42.69,destroyed\n13.29,42.61,damaged\n", encoding="utf-8"
    )
    out = tmp_path / "r"
    assert main(["report", str(points), "-o", str(out), "--quiet"]) == 0
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "No figure could be counted" in readme and "not stated" in readme
    assert "0 buildings" not in readme and not (out / "map.png").exists()
    capsys.readouterr()
    code = main(["summary", str(points), "--strict"])
    assert code == 4
    assert "no usable figure" in capsys.readouterr().err


# --- errors name the report folder, never the hidden one it is written in ----------------


def _no_hidden_leftovers(folder: Path) -> None:
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


def test_a_full_disk_names_the_report_not_its_hidden_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    from damage_data.export import OutputError

    collected = collect()
    target = tmp_path / "rep"

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError) as caught:
        build_report(collected, target)
    message = str(caught.value)
    assert message.startswith(f"{target / 'summary.csv'}: cannot write:"), message
    assert "disk is full" in message and "/.rep." not in message
    assert not target.exists()
    _no_hidden_leftovers(tmp_path)


@pytest.mark.parametrize("kind", ["oserror", "library"])
def test_an_error_of_a_writer_names_the_report_not_its_hidden_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """GDAL and matplotlib write some files themselves: their errors name the file too."""
    import errno

    import geopandas as gpd

    def refuse(self: gpd.GeoDataFrame, path: Path, *args: object, **kwargs: object) -> None:
        if kind == "oserror":
            raise OSError(errno.EACCES, "Permission denied", str(path))
        raise RuntimeError(f"failed to create {path}")

    monkeypatch.setattr(gpd.GeoDataFrame, "to_file", refuse)
    target = tmp_path / "rep"
    with pytest.raises((OSError, RuntimeError)) as caught:
        build_report(collect(), target)
    expected = str(target / "units.gpkg")
    if kind == "oserror":
        assert isinstance(caught.value, OSError)
        assert caught.value.filename == expected
        from damage_data.export import environment_error

        assert (environment_error(caught.value) or "").startswith(f"{expected}: ")
    assert str(caught.value).endswith(f"{expected}'" if kind == "oserror" else expected)
    assert "/.rep." not in str(caught.value)
    _no_hidden_leftovers(tmp_path)


def test_a_folder_that_cannot_be_made_names_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import tempfile

    from damage_data.export import OutputError

    def refuse(prefix: str = "", dir: str | Path = "") -> str:
        raise OSError(errno.EROFS, "Read-only file system", f"{dir}/{prefix}x1y2z3")

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    with pytest.raises(OutputError) as caught:
        build_report(collect(), tmp_path / "rep")
    assert str(caught.value) == (
        f"{tmp_path / 'rep'}: cannot write: Read-only file system: the file system is "
        "read-only; write elsewhere (-o)"
    )


# --- a timeline needs dated figures ---------------------------------------------------------


def test_no_timeline_without_dates_and_the_readme_says_why(tmp_path: Path) -> None:
    collected = collect()
    # several sources per unit (the example has them), none of them dated
    collected.figures = collected.figures.assign(as_of=pd.NaT)
    collected.sources = collected.sources.assign(published=pd.NaT)
    assert collected.figures.groupby("unit_code")["source_id"].nunique().max() > 1
    result = build_report(collected, tmp_path / "r")
    assert "chart_timeline.png" not in result.files
    assert {"map.png", "chart_bars.png"} <= set(result.files)
    readme = (result.folder / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Map and charts", 1)[1].split("## ", 1)[0]
    assert "_No timeline was drawn:" in section and "carries a date" in section
    assert "chart_timeline.png" not in readme


def test_the_example_report_has_its_timeline(report_dir: Path) -> None:
    """The bundled example is dated: its report draws the timeline and says nothing of one
    missing."""
    assert (report_dir / "chart_timeline.png").exists()
    readme = (report_dir / "README.md").read_text(encoding="utf-8")
    assert "No timeline" not in readme and "](chart_timeline.png)" in readme


def test_datapackage_links_only_http_sources(tmp_path: Path) -> None:
    collected = collect()
    sources = collected.sources.copy()
    sources["url"] = sources["url"].astype(object)
    sources.loc[0, "url"] = "javascript:alert(1)"
    sources.loc[1, "url"] = "https://example.org/report"
    collected.sources = sources
    result = build_report(collected, tmp_path / "r")
    package = json.loads((result.folder / "datapackage.json").read_text(encoding="utf-8"))
    by_title = {s["title"]: s.get("path") for s in package["sources"]}
    assert by_title[str(sources.loc[0, "title"])] is None
    assert by_title[str(sources.loc[1, "title"])] == "https://example.org/report"


def test_the_readme_headline_adds_the_ranges(tmp_path: Path) -> None:
    # "55–60" damaged in Fuzuli beside 12 in Lachin printed "67 damaged", the ranges lost.
    # By hand: damaged 55 + 12 = 67 to 60 + 12 = 72; destroyed "more than 500" and a
    # reported 0: 500+
    path = tmp_path / "ranges.csv"
    path.write_text(
        "District,Date,Destroyed,Damaged\n"
        "Fuzuli,2020-11-24,more than 500,55-60\nAghdam,2020-11-24,0,\nLachin,2020-11-24,,12\n",
        encoding="utf-8",
    )
    result = build_report(collect([path]), tmp_path / "r")
    readme = (result.folder / "README.md").read_text(encoding="utf-8")
    assert "**500+ buildings were reported destroyed**" in readme
    assert "**67–72 damaged**" in readme


def test_the_readme_counts_place_names_not_match_log_rows(tmp_path: Path) -> None:
    # the README said "9 place names were matched loosely or not at all" for a file of two
    # names, both matched: it counted the match log's rows, one per figure. By hand: one
    # name (Springfield) is unresolved, in two figures; Tartar and Fuzuli are matched
    path = tmp_path / "v.csv"
    path.write_text(
        "District,Houses destroyed,Houses damaged\nTartar,0,25\nFuzuli,3,12\nSpringfield,4,9\n",
        encoding="utf-8",
    )
    result = build_report(collect([path]), tmp_path / "r")
    readme = (result.folder / "README.md").read_text(encoding="utf-8")
    assert "* 1 place name(s) were matched loosely or not at all (2 figures)" in readme
