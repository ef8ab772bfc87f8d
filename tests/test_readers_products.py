"""Real damage products and tables load with kind auto and give the right counts."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from damage_data._errors import InputError
from damage_data.pipeline import collect, figures_of
from damage_data.readers import load
from damage_data.tables import validate

DATA = Path(__file__).resolve().parent / "data" / "readers"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def shared_path(*parts: str) -> Path:
    """A file under ../shared (not redistributable); the test skips when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available (../shared is optional)")
    return path


TODIANO = (
    DATA
    / "copernicus_emsr190_todiano"
    / "EMSR190_07TODIANO_02GRADING_v2_12500_settlements_poly_grading.shp"
)
GROTTI = (
    DATA / "copernicus_emsr190_grotti" / "EMSR190_11GROTTI_GRADING_OVERVIEW-MONIT01_v1_vector.zip"
)
POINTS_648 = DATA / "copernicus_emsr648" / "EMSR648_AOI08_GRA_PRODUCT_builtUpP_r1_v1.json"
BLOCKS_648 = DATA / "copernicus_emsr648" / "EMSR648_AOI16_GRA_PRODUCT_builtUpA_r1_v1.json"
NEPAL_CSV = DATA / "hxl_nepal2015" / "nepal_eq2015_houses_destroyed_hxl.csv"
NEPAL_JSON = DATA / "hxl_nepal2015" / "nepal_eq2015_houses_destroyed_hxl.json"
TFP = DATA / "techforpalestine" / "infrastructure-damaged.json"


def _invariant(result) -> None:  # type: ignore[no-untyped-def]
    rep = result.report
    assert rep["rows_read"] == rep["rows_kept"] + rep["rows_rejected"]
    assert rep["rows_rejected"] == result.rejects["locator"].nunique()


def _units_around(frame: gpd.GeoDataFrame, code: str = "XX-1") -> gpd.GeoDataFrame:
    """One unit covering a product, in lon/lat, for assignment tests outside bundled countries."""
    minx, miny, maxx, maxy = frame.to_crs(4326).total_bounds
    return gpd.GeoDataFrame(
        {"unit_code": [code], "name": ["Test area"], "level": ["adm2"]},
        geometry=[box(minx - 0.01, miny - 0.01, maxx + 0.01, maxy + 0.01)],
        crs=4326,
    )


def test_todiano_grading_counts_and_residential() -> None:
    result = load(TODIANO)
    _invariant(result)
    assert result.kind == "copernicus"
    assert "Copernicus" in result.report["detected_by"]
    assert result.report["rows_read"] == 897 and result.report["rows_rejected"] == 0
    assert result.report["damage_counts"] == {
        "none": 887,
        "minor": 1,
        "moderate": 2,
        "severe": 5,
        "destroyed": 2,
    }
    assert result.report["structure_counts"]["residential"] == 695
    assert result.report["crs"] == "EPSG:32633"
    assert result.sources.loc[0, "method"] == "satellite"
    assert result.structures["assessed_on"].dt.strftime("%Y-%m-%d").eq("2016-10-27").all()
    validate(result.structures, "structures")


def test_todiano_assigned_from_utm_and_counted() -> None:
    result = load(TODIANO)
    units = _units_around(result.structures)
    figures = figures_of(result, units=units)
    assert int(figures["count"].sum()) == 897
    assert set(figures["unit_code"]) == {"XX-1"}
    assert set(figures["count_unit"]) == {"structures"}
    destroyed = figures[figures["damage"] == "destroyed"]
    assert int(destroyed["count"].sum()) == 2
    assert destroyed["evidence"].str.contains("Completely Destroyed").all()
    validate(figures)


def test_grotti_junk_prefixed_zip_reads_building_layers_only() -> None:
    assert GROTTI.read_bytes()[:6] == b"<html>"  # the junk really is there
    result = load(GROTTI)
    _invariant(result)
    assert result.kind == "copernicus"
    assert result.report["detected_by"].startswith("zip archive")
    assert result.report["rows_read"] == 2  # settlements point (1) + poly (1)
    assert result.report["damage_counts"] == {"minor": 1, "unassessed": 1}
    skipped = result.report["skipped_layers"]
    assert any("crisis_information" in k for k in skipped)
    assert any("transportation_line" in k for k in skipped)
    assert result.rejects.empty


def test_emsr648_points() -> None:
    result = load(POINTS_648)
    _invariant(result)
    assert result.kind == "copernicus"
    assert result.report["rows_kept"] == 66
    assert result.report["damage_counts"] == {
        "possible": 44,
        "none": 15,
        "destroyed": 6,
        "damaged": 1,
    }
    # info refines obj_type: places of worship are religious, not "other"
    assert result.report["structure_counts"]["religious"] >= 1
    assert not result.structures["flags"].eq("building_block").any()


def test_emsr648_blocks_flagged() -> None:
    result = load(BLOCKS_648)
    _invariant(result)
    assert result.report["rows_kept"] == 321
    assert result.report["building_blocks"] == 321
    assert result.report["damage_counts"] == {
        "none": 280,
        "damaged": 26,
        "possible": 11,
        "destroyed": 4,
    }
    figures = figures_of(result, units=_units_around(result.structures))
    assert figures["flags"].str.contains("building_block").all()
    assert figures["evidence"].str.contains("building blocks").all()


def test_nepal_hxl_fully_vs_partially_destroyed() -> None:
    result = load(NEPAL_CSV)
    _invariant(result)
    assert result.kind == "hxl"
    assert result.report["damage_counts"] == {"destroyed": 543_034, "damaged": 310_208}
    assert len(result.figures) == 114
    # HLCIT codes are unknown to every gazetteer: kept as written, matched by code (the
    # place stage of collect() decides matches; the reader keeps places as written)
    figures = collect([NEPAL_CSV]).figures
    kathmandu = figures[figures["place_text"] == "Kathmandu"]
    assert set(kathmandu["unit_code"]) == {"524 2 05 27"}
    assert set(kathmandu["match"]) == {"code"}
    assert set(figures["level"].dropna()) == {"adm3"}
    assert result.sources.loc[0, "method"] == "compilation"
    validate(figures)


def test_nepal_hxl_json_same_totals() -> None:
    result = load(NEPAL_JSON)
    _invariant(result)
    assert result.kind == "hxl"
    assert result.report["rows_read"] == 114
    assert result.report["damage_counts"] == {"destroyed": 543_034, "damaged": 310_208}


def test_techforpalestine_series_skips_extrapolations() -> None:
    result = load(TFP)
    _invariant(result)
    assert result.kind == "series"
    assert result.report["rows_read"] == 730
    # only report days are observations; ext_* values are the curator's interpolation
    assert set(result.rejects["reason"]) == {
        "only extrapolated (ext_*) values on this date: nothing was reported"
    }
    figures = result.figures
    assert not figures["damage_text"].str.startswith("ext_").any()
    residential = figures[(figures["structure"] == "residential")]
    assert set(residential["count_unit"]) == {"housing_units"}
    assert residential["cumulative"].all()
    # the report adds the latest figure of each cumulative series, never the whole series
    assert result.report["damage_counts"]["destroyed"] < 500_000
    assert int(residential.sort_values("as_of")["count"].iloc[-1]) == 416_000


def test_aleppo_unosat_round_history() -> None:
    path = shared_path(
        "realworld", "unosat_aleppo2015_excerpt", "unosat_aleppo_2015_damage_sites_excerpt.geojson"
    )
    result = load(path)
    _invariant(result)
    assert result.kind == "unosat"
    assert result.report["sites"] == 9 and result.report["rows_kept"] == 9
    history = result.structures
    assert history["structure_id"].nunique() == 9
    assert len(history) == 15  # six sites seen in rounds 2 and 3, three only in round 3
    assert set(history["round"]) == {2, 3}
    # Damage_Status kept raw, mixing a text label and codes
    assert set(history["damage_status"].dropna()) == {"New - damage", "0", "3"}
    current = result.current_structures()
    assert len(current) == 9
    assert result.report["damage_counts"] == {"destroyed": 6, "severe": 3}
    first = history.groupby("structure_id")["first_damaged_on"].first()
    assert first.min() == pd.Timestamp("2014-05-23")


def test_ukraine_adm3_dbf_and_codab_tables() -> None:
    sar = load(shared_path("realworld", "ukraine_adm3_sar_damage_dbf", "ukr_adm3_damage.dbf"))
    _invariant(sar)
    assert sar.kind == "codab" and sar.report["rows_kept"] == 1769
    assert sar.units is not None and sar.units["unit_code"].is_unique
    adm3 = load(
        shared_path(
            "realworld", "ukraine_cod_ab_attribute_tables", "ukr_admbnda_adm3_sspe_20240416.dbf"
        )
    )
    assert adm3.kind == "codab" and len(adm3.units) == 1769
    assert adm3.units["unit_code"].str.fullmatch(r"UA\d{7}").all()
    assert adm3.units["parent_code"].str.fullmatch(r"UA\d{4}").all()
    # the p-codes of both tables match one to one (the SAR table's Cyrillic names are lost)
    assert set(sar.units["unit_code"]) == set(adm3.units["unit_code"])
    adm1 = load(
        shared_path(
            "realworld", "ukraine_cod_ab_attribute_tables", "ukr_admbnda_adm1_sspe_20240416.dbf"
        )
    )
    assert len(adm1.units) == 27 and set(adm1.units["level"]) == {"adm1"}


def test_gaza_municipal_aggregate_counts() -> None:
    path = shared_path(
        "realworld", "unosat_gaza2025_by_municipality_derived", "gaza_damage.geojson"
    )
    result = load(path)
    _invariant(result)
    assert result.report["rows_kept"] == 33
    assert int(result.figures["count"].sum()) == 198_308
    # damage sites include every class: damaged and destroyed together, not split
    assert set(result.figures["damage"]) == {"damaged_or_destroyed"}
    assert set(result.figures["count_unit"]) == {"structures"}


@pytest.mark.parametrize("path", [TODIANO, GROTTI, POINTS_648, BLOCKS_648, NEPAL_CSV, TFP])
def test_every_copied_product_has_a_stable_source_id(path: Path) -> None:
    first, second = load(path), load(path)
    assert first.source_id == second.source_id
    assert first.sources.loc[0, "sha256"].startswith(first.source_id.split(":")[1])


def test_truncated_shapefile_gives_documented_rejects(tmp_path: Path) -> None:
    for suffix in (".shx", ".dbf", ".prj"):
        (tmp_path / f"t{suffix}").write_bytes(TODIANO.with_suffix(suffix).read_bytes())
    (tmp_path / "t.shp").write_bytes(TODIANO.read_bytes()[:60_000])
    result = load(tmp_path / "t.shp")
    _invariant(result)
    assert result.report["rows_read"] == 897
    assert 0 < result.report["rows_kept"] < 897
    assert set(result.rejects["reason"]) == {
        "missing geometry: a structure needs a point or polygon"
    }
    assert any("may be truncated" in w for w in result.report["warnings"])
    (tmp_path / "t.dbf").write_bytes(TODIANO.with_suffix(".dbf").read_bytes()[:400_000])
    (tmp_path / "t.shp").write_bytes(TODIANO.read_bytes())
    with pytest.raises(InputError, match="truncated or corrupt"):
        load(tmp_path / "t.shp")


def test_a_footprint_from_older_imagery_is_dated_by_its_grading(tmp_path: Path) -> None:
    # EMSR190 Ussita v1: "Not Affected" buildings drawn from 2013 imagery (src_date) and
    # graded in the October 2016 product (ext_date) dated the product's figures 2013, so
    # they passed for figures of 2013 under --as-of 2015-01-01. By hand: the old footprint is
    # graded on its ext_date, 2016-10-27; a feature drawn from post-event imagery keeps its
    # src_date, 2016-10-25; with both dated in 2016, nothing is counted as of 2015
    cells = [
        ("Not Affected", "2013-01-23", "2016-10-27", 13.12),
        ("Moderately Damaged", "2016-10-25", "2016-10-27", 13.10),
    ]
    frame = gpd.GeoDataFrame(
        {
            "grading": [c[0] for c in cells],
            "settl_type": ["Residential"] * 2,
            "src_date": [c[1] for c in cells],
            "ext_date": [c[2] for c in cells],
        },
        geometry=[box(x, 42.9, x + 0.0005, 42.9005) for *_, x in cells],
        crs=4326,
    )
    path = tmp_path / "EMSR190_02USSITA_settlements_poly_grading.geojson"
    frame.to_file(path)
    result = load(path)
    dates = result.structures.sort_values("damage")["assessed_on"].astype(str).tolist()
    assert sorted(dates) == ["2016-10-25", "2016-10-27"]
    units = _units_around(frame, "IT-USS")
    assert figures_of(result, units=units, as_of="2015-01-01").empty
    figures = figures_of(result, units=units)
    assert set(figures["as_of"].astype(str)) == {"2016-10-27"}


USSITA = (
    Path(__file__).parent
    / "data/realworld/copernicus_emsr190_ussita_dates"
    / "EMSR190_02USSITA_02GRADING_v1_12500_settlements_poly_grading_excerpt.shp"
)


def test_ussita_footprints_from_2013_imagery_date_the_product_2016() -> None:
    # the real product: expected counts by state with plain geopandas and the legacy
    # crosswalk (Not Affected -> none, Moderately Damaged -> moderate); no figure may be
    # dated 2013, three years before the earthquake; the unit's date is the extraction's
    raw = gpd.read_file(USSITA)
    expected = raw["grading"].map({"Not Affected": "none", "Moderately Damaged": "moderate"})
    result = load(USSITA)
    _invariant(result)
    assert result.report["damage_counts"] == expected.value_counts().to_dict()
    figures = figures_of(result, units=_units_around(raw, "IT-USS"))
    assert figures.groupby("damage")["count"].sum().to_dict() == {"none": 58, "moderate": 2}
    assert set(figures["as_of"].dt.strftime("%Y-%m-%d")) == {"2016-10-27"}
    # as of 2015, only the undated buildings are left (undated figures are never dropped)
    early = figures_of(result, units=_units_around(raw, "IT-USS"), as_of="2015-01-01")
    assert early["count"].sum() == int(raw["src_date"].isna().sum())
