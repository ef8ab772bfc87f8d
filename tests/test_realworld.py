"""Real public tables and products read through ``damage_data.readers.load`` and counted.

Every fixture under ``tests/data/realworld/`` has an ``expected.json`` written by its own
``expected.py`` with plain pandas/geopandas from the raw file (never with damage_data): per
place (as written) and canonical damage state, the count the toolkit should produce. These
tests load each file through the public reader API, count the figures (or the structures)
the same way, and compare. Tests marked ``realworld`` read the GEM GEID tables in place from
``../shared/realworld`` (CC BY-NC-SA: never copied into the project) and skip without it.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest

from damage_data._errors import InputError
from damage_data.pipeline import figures_of
from damage_data.readers import LoadResult, load
from damage_data.tables import validate

REALWORLD = Path(__file__).resolve().parent / "data" / "realworld"
#: ../shared/realworld beside the repository (conftest.SHARED / "realworld").
SHARED_REALWORLD = Path(__file__).resolve().parents[1].parent / "shared" / "realworld"
GEM = SHARED_REALWORLD / "gem_geid_impact_tables"

#: States that are not buildings: never part of a building count.
NOT_BUILDING = {"not_structure"}

Nested = dict[str, dict[str, int]]


def _expected(name: str) -> dict[str, Any]:
    return json.loads((REALWORLD / name / "expected.json").read_text(encoding="utf-8"))


def _mapping(name: str) -> ModuleType:
    """A fixture's expected.py, for its hand-written column → state mapping."""
    path = REALWORLD / name / "expected.py"
    spec = importlib.util.spec_from_file_location(f"expected_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows_balance(result: LoadResult, rows_read: int | None = None) -> None:
    report = result.report
    assert report["rows_read"] == report["rows_kept"] + report["rows_rejected"], report
    if rows_read is not None:
        assert report["rows_read"] == rows_read, report


def _headline(figures: pd.DataFrame | None) -> pd.DataFrame:
    """Figures that add up: parts (subset_of) and restatements (same_as) left out."""
    if figures is None or figures.empty:
        return pd.DataFrame(columns=["place_text", "unit_code", "damage", "count", "count_unit"])
    keep = pd.Series(True, index=figures.index)
    for column in ("subset_of", "same_as"):
        if column in figures.columns:
            keep &= figures[column].isna() | (figures[column].astype(str) == "")
    return figures[keep]


def _place(row: pd.Series) -> str:
    """The place as written (place_text), else the code the row was given."""
    for column in ("place_text", "unit_code"):
        value = row.get(column)
        if value is not None and not pd.isna(value) and str(value).strip():
            return str(value).strip()
    return ""


def _by_place(figures: pd.DataFrame, *, with_place: bool = True) -> Nested:
    out: Nested = {}
    for _, row in figures.iterrows():
        if pd.isna(row["count"]) or int(row["count"]) == 0:
            continue  # a reported zero adds nothing to a sum
        key = _place(row) if with_place else ""
        state = str(row["damage"])
        out.setdefault(key, {})
        out[key][state] = out[key].get(state, 0) + int(row["count"])
    return out


def _nonzero(nested: Nested) -> Nested:
    out = {p.strip(): {s: n for s, n in d.items() if n} for p, d in nested.items()}
    return {p: d for p, d in out.items() if d}


def _by_source(figures: pd.DataFrame) -> list[str]:
    """Per source (source_id): place → state → count, as sorted JSON for comparison."""
    return sorted(
        json.dumps(_nonzero(_by_place(group)), sort_keys=True)
        for _, group in figures.groupby("source_id", sort=False)
    )


def _structure_totals(result: LoadResult) -> dict[str, int]:
    current = result.current_structures()
    if current is None or current.empty:
        return {}
    counted = current["damage"].astype(object).value_counts(dropna=False)
    return {str(k): int(v) for k, v in counted.items() if v}


# --- count tables ------------------------------------------------------------------------

TABLES = [
    ("ph_haiyan_dswd_municipal", None),
    ("ph_dasl_r_export", None),
    ("gem_layout_turkiye2023_id1", None),
    ("phildis_provinces", None),
]


@pytest.mark.parametrize(("name", "columns"), TABLES, ids=[t[0] for t in TABLES])
def test_count_table_by_place_and_state(name: str, columns: dict[str, str] | None) -> None:
    exp = _expected(name)
    result = load(REALWORLD / name / exp["file"], kind="auto", columns=columns)
    _rows_balance(result, exp["rows_read"])
    assert result.report["rows_rejected"] == len(exp["rejects"]), result.rejects
    figures = _headline(result.figures)
    got = _nonzero(_by_place(figures, with_place=exp["place_column"] is not None))
    assert got == _nonzero(exp["by_place"])
    assert set(figures["count_unit"].astype(str)) == {exp["count_unit"]}


def test_several_typhoons_by_municipality_add_up() -> None:
    # each row is one typhoon's damage in one municipality: a municipality hit by three
    # typhoons has the three added (the expected sums per typhoon come from pandas)
    exp = _expected("goni_typhoons")
    result = load(REALWORLD / "goni_typhoons" / exp["file"], kind="auto")
    _rows_balance(result, exp["rows_read"])
    figures = _headline(result.figures)
    assert figures["source_id"].nunique() == 1
    wanted: dict[str, dict[str, int]] = {}
    for places in exp["by_source"].values():
        for pcode, states in places.items():
            for state, n in states.items():
                wanted.setdefault(pcode, {})[state] = wanted.get(pcode, {}).get(state, 0) + n
    assert _nonzero(_by_place(figures, with_place=True)) == _nonzero(wanted)
    assert set(figures["structure"].astype(str)) == {"any"}  # "Typhoon" is no type


def test_costs_and_people_beside_houses_are_no_building_counts() -> None:
    exp = _expected("phildis_provinces")
    result = load(REALWORLD / "phildis_provinces" / exp["file"], kind="auto")
    validate(result.figures)
    assert result.report["damage_counts"] == exp["totals"]


SOURCED = ["gem_layout_italy2016_id2", "gem_layout_nepal2015_id2", "gem_layout_van2011_id2"]


@pytest.mark.parametrize("name", SOURCED)
def test_table_with_sources_never_adds_them(name: str) -> None:
    exp = _expected(name)
    result = load(REALWORLD / name / exp["file"], kind="auto")
    _rows_balance(result, exp["rows_read"])
    assert result.report["rows_rejected"] == len(exp["rejects"]), result.rejects
    figures = _headline(result.figures)
    # one source per REFERENCE: the per-source counts match one to one
    wanted = sorted(json.dumps(_nonzero(v), sort_keys=True) for v in exp["by_source"].values())
    assert _by_source(figures) == wanted
    assert set(figures["count_unit"].astype(str)) == {exp["count_unit"]}


def test_nepal_layout_not_damaged_is_none() -> None:
    exp = _expected("gem_layout_nepal2015_id2")
    result = load(REALWORLD / "gem_layout_nepal2015_id2" / exp["file"])
    figures = _headline(result.figures)
    not_damaged = figures[figures["damage_text"].astype(str) == "NOT_DAMAGED"]
    assert not not_damaged.empty
    assert set(not_damaged["damage"].astype(str)) == {"none"}


# --- per-structure products and surveys --------------------------------------------------

PRODUCTS = ["calfire_dins_camp_fire", "copernicus_emsr648_gpkg_zip"]


@pytest.mark.parametrize("name", PRODUCTS)
def test_structures_by_state(name: str) -> None:
    exp = _expected(name)
    result = load(REALWORLD / name / exp["file"], kind="auto")
    _rows_balance(result)
    assert result.structures is not None
    assert len(result.current_structures()) == exp["rows_read"]
    assert _structure_totals(result) == exp["totals"]


def test_dins_structure_types_are_read() -> None:
    # STRUCTURETYPE ("Single Family Residence Single Story", "Mobile Home Double Wide",
    # "UtilityMiscStructure"…) was not taken for the structure column: every row was "any"
    exp = _expected("calfire_dins_camp_fire")
    result = load(REALWORLD / "calfire_dins_camp_fire" / exp["file"], kind="auto")
    assert result.report["columns_used"]["structure"] == exp["structure_column"]
    assert result.report["structure_counts"] == exp["structure_counts_for_information"]


def test_copernicus_legacy_uses_are_typed() -> None:
    # settl_type "Educational" and "Medical" were counted as "other"
    name = "copernicus_emsr177_settl_type"
    exp = _expected(name)
    result = load(REALWORLD / name / exp["file"], kind="auto")
    _rows_balance(result, exp["rows_read"])
    assert _structure_totals(result) == exp["totals"]
    counts = result.report["structure_counts"]
    assert {s: counts.get(s) for s in exp["structure_counts_at_stake"]} == exp[
        "structure_counts_at_stake"
    ]


def test_attribute_table_without_geometry_counts_buildings() -> None:
    exp = _expected("copernicus_emsr190_dbf_only")
    result = load(REALWORLD / "copernicus_emsr190_dbf_only" / exp["file"], kind="auto")
    _rows_balance(result, exp["rows_read"])
    assert result.report["rows_rejected"] == 0, result.rejects
    # one building per row: counted as structures (no geometry) or as figures of the table
    got = _structure_totals(result) or _nonzero(
        _by_place(_headline(result.figures), with_place=False)
    ).get("", {})
    assert got == exp["totals"]


NOT_BUILDINGS = ["copernicus_emsr648_facilities", "copernicus_emsr648_roads"]


@pytest.mark.parametrize("name", NOT_BUILDINGS)
def test_graded_features_that_are_not_buildings_count_no_building(name: str) -> None:
    exp = _expected(name)
    try:
        result = load(REALWORLD / name / exp["file"], kind="auto")
    except InputError:
        return  # refusing a layer without buildings is also right: nothing is counted
    _rows_balance(result, exp["rows_read"])
    totals = _structure_totals(result)
    buildings = {s: n for s, n in totals.items() if s not in NOT_BUILDING}
    assert buildings == exp["building_totals"], totals
    assert not _headline(result.figures)["count"].astype(float).sum()


def test_sar_pixel_table_counts_no_building() -> None:
    exp = _expected("ukraine_sar_adm3_excerpt")
    try:
        result = load(REALWORLD / "ukraine_sar_adm3_excerpt" / exp["file"], kind="auto")
    except InputError:
        return  # a table without structure counts may be refused
    _rows_balance(result, exp["rows_read"])
    assert result.report["damage_counts"] == exp["building_totals"]
    assert _structure_totals(result) == {}
    assert not _headline(result.figures)["count"].astype(float).sum()


def test_survey_sheet_damage_column_chosen_by_values() -> None:
    exp = _expected("beirut_survey_layout")
    result = load(REALWORLD / "beirut_survey_layout" / exp["file"], kind="auto")
    _rows_balance(result, exp["rows_read"])
    assert result.report["rows_rejected"] == len(exp["rejects"]), result.rejects
    assert result.structures is not None
    assert set(result.structures["damage_text"].astype(str)) <= set(exp["labels"])
    assert _structure_totals(result) == exp["totals"]


def test_survey_structures_in_units_whose_polygons_share_a_code() -> None:
    from damage_data.places import gazetteer_from_path

    exp = _expected("beirut_survey_layout")
    folder = REALWORLD / "beirut_survey_layout"
    units = gazetteer_from_path(
        folder / exp["units_file"],
        name_column=exp["units_name_column"],
        code_column=exp["units_code_column"],
    ).units
    # several polygons per code are one unit, not several units nor its first polygon
    assert units["unit_code"].astype(str).nunique() == len(exp["by_unit"])
    zones = gpd.read_file(folder / exp["units_file"])
    for code, polygons in zones.groupby(exp["units_code_column"]):
        unit = units[units["unit_code"].astype(str) == str(code)]
        # areas in metres (UTM 36N): one unit covers every polygon of its code
        area = unit.geometry.to_crs(32636).area.sum()
        assert area == pytest.approx(polygons.geometry.to_crs(32636).area.sum()), code
    result = load(folder / exp["file"], kind="auto")
    figures = figures_of(result, units=units)
    inside = figures[figures["unit_code"].notna()]
    got: Nested = {}
    for (code, state), n in (
        inside.groupby(["unit_code", "damage"], observed=True)["count"].sum().items()
    ):
        if n:
            got.setdefault(str(code), {})[str(state)] = int(n)
    assert got == exp["by_unit"]
    assert int(inside["count"].sum()) == exp["assigned"]


# --- the real GEM GEID tables, read in place (local only) --------------------------------


def _gem(name: str) -> Path:
    path = GEM / name
    if not path.exists():
        pytest.skip(f"{path} is not available (../shared is optional)")
    return path


def _pandas_counts(
    raw: pd.DataFrame, columns: dict[str, dict[str, Any]], place: str
) -> dict[str, Nested]:
    """REFERENCE → place → state → plain-pandas sum of the mapped columns."""
    out: dict[str, Nested] = {}
    for _, row in raw.iterrows():
        if pd.isna(row[place]):
            continue
        places = out.setdefault(str(row["REFERENCE"]), {})
        counts = places.setdefault(str(row[place]).strip(), {})
        for column, meta in columns.items():
            if column in raw.columns and pd.notna(row[column]):
                counts[meta["state"]] = counts.get(meta["state"], 0) + int(row[column])
    return {ref: _nonzero(places) for ref, places in out.items()}


@pytest.mark.realworld
def test_gem_turkiye2023_every_class_counted() -> None:
    path = _gem("turkiye2023_Impact_Buildings_ID_1.csv")
    columns = _mapping("gem_layout_turkiye2023_id1").COLUMNS
    raw = pd.read_csv(path)
    graded = [c for c in columns if c != "AFFECTED_UNITS"]
    assert (raw[graded].sum(axis=1) == raw["AFFECTED_UNITS"]).all()  # so it is "assessed"
    (wanted,) = _pandas_counts(raw, columns, "NAME_1").values()
    result = load(path)
    _rows_balance(result, len(raw))
    figures = _headline(result.figures)
    assert _nonzero(_by_place(figures)) == wanted
    assert set(figures["count_unit"].astype(str)) == {"buildings"}


@pytest.mark.realworld
def test_gem_turkiye2023_hatay_collapsed_are_destroyed_buildings() -> None:
    result = load(_gem("turkiye2023_Impact_Buildings_ID_1.csv"))
    figures = _headline(result.figures)
    hatay = figures[figures.apply(_place, axis=1) == "HATAY"]
    destroyed = hatay[hatay["damage"].astype(str) == "destroyed"]
    assert int(destroyed["count"].sum()) == 6143
    assert set(destroyed["count_unit"].astype(str)) == {"buildings"}


@pytest.mark.realworld
def test_gem_italy2016_villages_by_reference() -> None:
    path = _gem("italy_centralitaly2016_Impact_Buildings_ID_2.csv")
    columns = _mapping("gem_layout_italy2016_id2").COLUMNS
    raw = pd.read_csv(path, encoding="utf-8-sig")
    wanted = _pandas_counts(raw, columns, "NAME_2")
    result = load(path)
    _rows_balance(result, len(raw))
    assert result.report["rows_rejected"] == 0, result.rejects
    figures = _headline(result.figures)
    assert _by_source(figures) == sorted(json.dumps(v, sort_keys=True) for v in wanted.values())


@pytest.mark.realworld
def test_gem_van2011_every_damage_column_counted_and_none_a_part_of_another() -> None:
    # the real file: four sources, each its own vocabulary; "Heavy/Collapsed" beside a larger
    # "Light" once made Light a part of it (a subset larger than its parent: ingest refused)
    path = _gem("turkey_van2011_Impact_Buildings_ID_2.csv")
    columns = _mapping("gem_layout_van2011_id2").COLUMNS
    raw = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, na_values=[""])
    wanted = _pandas_counts(raw, columns, "NAME_2")
    result = load(path)
    _rows_balance(result, len(raw))
    validate(result.figures)  # raises on a subset larger than its parent
    assert result.figures["subset_of"].isna().all()
    figures = _headline(result.figures)
    assert _by_source(figures) == sorted(json.dumps(v, sort_keys=True) for v in wanted.values())


@pytest.mark.realworld
def test_gem_turkiye2023_national_rows_have_no_part_larger_than_its_whole() -> None:
    # "HEAVY_DAMAGE" 179,786 was made a part of "COLLAPSED_OR_PARTIALLY_COLLAPSED" 35,355
    path = _gem("turkiye2023_Impact_Buildings_ID_0.csv")
    raw = pd.read_csv(path, encoding="utf-8-sig")
    result = load(path)
    _rows_balance(result, len(raw))
    validate(result.figures)  # raises on a subset larger than its parent
    heavy = result.figures[result.figures["damage_text"].astype(str) == "HEAVY_DAMAGE"]
    assert sorted(heavy["count"].astype(int)) == sorted(raw["HEAVY_DAMAGE"].dropna().astype(int))
    assert heavy["subset_of"].isna().all()


@pytest.mark.realworld
def test_gem_nepal2015_reference_splits_sources() -> None:
    path = _gem("nepal_gorkha2015_Impact_Buildings_ID_2.csv")
    columns = _mapping("gem_layout_nepal2015_id2").COLUMNS
    raw = pd.read_csv(path)
    wanted = _pandas_counts(raw, columns, "NAME_2")
    result = load(path)
    _rows_balance(result, len(raw))
    figures = _headline(result.figures)
    got = _by_source(figures)
    # sources whose columns are all in the crosswalks must come out exactly, one each
    for reference in (
        "2015_Nepal_earthquake_open_data",
        "Nepal_agency_incident_report_2015",
        "UNOCHA_2015",
        "Bijukchhen_et_al_2017",
    ):
        assert json.dumps(wanted[reference], sort_keys=True) in got, reference
    assert figures["source_id"].nunique() >= len(
        [r for r in raw["REFERENCE"].unique() if r in wanted]
    )


def test_an_emergency_log_adds_the_incidents_of_a_place_at_any_dates() -> None:
    # UNGRD layout: TIPO_DE_EVENTO names the kind of event, so each row is one incident; a
    # municipality flooded in January and again in May has both added, not the latest kept
    from damage_data.pipeline import collect
    from damage_data.reconcile import summarise

    exp = _expected("ungrd_layout_event_log")
    path = REALWORLD / "ungrd_layout_event_log" / exp["file"]
    result = load(path, kind="auto")
    _rows_balance(result, exp["rows_read"])
    assert any("kinds of event in column 'TIPO_DE_EVENTO'" in w for w in result.report["warnings"])
    collected = collect([path])
    summary = summarise(collected).set_index("unit_code")
    got = {
        code: {"destroyed": int(row["destroyed"]), "damaged": int(row["damaged"])}
        for code, row in summary.iterrows()
    }
    assert got == exp["by_place"]
    assert got != {c: d | {"damaged": exp["latest_row_only"][c]} for c, d in got.items()}
    assert not any("decreasing" in str(f) for f in summary["flags"])
