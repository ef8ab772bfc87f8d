"""Tests of the bundled gazetteer and of user gazetteers (damage_data.places.gazetteer)."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from damage_data._data import data_path
from damage_data._errors import InputError, UsageError
from damage_data.places import display_names, resolve_place, resolve_places
from damage_data.places.gazetteer import (
    ALIAS_COLUMNS,
    Gazetteer,
    bundled_aliases,
    bundled_codes,
    bundled_settlements,
    bundled_units,
    combine_gazetteers,
    default_gazetteer,
    make_gazetteer,
)
from damage_data.places.user import (
    gazetteer_from_cod_ab,
    gazetteer_from_file,
    gazetteer_from_geonames,
    gazetteer_from_path,
    read_aliases,
)

HERE = Path(__file__).parent / "data" / "places"
REALWORLD = Path(__file__).resolve().parents[2] / "shared" / "realworld"
COD_AB = REALWORLD / "ukraine_cod_ab_attribute_tables"
NEPAL = REALWORLD / "hxl_nepal2015_houses_destroyed" / "nepal_eq2015_houses_destroyed_hxl.csv"


# --- bundled ---------------------------------------------------------------------------


def test_bundled_units_contract() -> None:
    units = bundled_units()
    assert list(units.columns[:5]) == ["unit_code", "name", "level", "parent_code", "country"]
    assert {"geometry", "ne_name", "type_en", "area_km2"} <= set(units.columns)
    assert units["unit_code"].is_unique
    assert units.groupby("country").size().to_dict() == {"AM": 11, "AZ": 77, "UA": 27}
    assert units.crs.to_epsg() == 4326
    # a copy: changing it does not change the next call
    units.loc[0, "name"] = "changed"
    assert bundled_units().loc[0, "name"] != "changed"


def test_bundled_units_rejects_unknown_country() -> None:
    with pytest.raises(UsageError, match="bundled countries: AZ, AM, UA"):
        bundled_units("NP")


def test_default_gazetteer_adds_iso_parents_and_is_cached() -> None:
    gaz = default_gazetteer("AZ")
    assert gaz is default_gazetteer(["az"])
    nx = gaz.units.set_index("unit_code").loc["AZ-NX"]
    assert nx["kind"] == "region"
    children = gaz.units.loc[gaz.units["parent_code"] == "AZ-NX", "unit_code"]
    assert len(children) == 8  # seven rayons and Naxçıvan city
    assert not nx["geometry"].is_empty
    assert set(gaz.units["kind"].dropna()) == {"city", "district", "region"}


def test_bundled_aliases_merge_all_sources() -> None:
    aliases = bundled_aliases()
    assert list(aliases.columns) == list(ALIAS_COLUMNS)
    sources = aliases["source"].str.split(":").str[0].str.split(" ").str[0]
    assert {"data/boundaries/az_aliases.csv", "GeoNames", "data/places/display_names.csv"} <= set(
        sources
    ) | set(aliases["source"].str.split(":").str[0])
    assert not aliases.duplicated(["unit_code", "alias"]).any()
    # the known-wrong Natural Earth value stays out
    assert not ((aliases["unit_code"] == "AZ-LAC") & (aliases["alias"] == "Lankaran")).any()


def test_bundled_codes_leave_out_duplicated_hasc() -> None:
    codes = bundled_codes()
    hasc = codes[codes["scheme"] == "hasc"]
    assert hasc["code"].is_unique
    assert "AZ.XC" not in set(hasc["code"])  # Natural Earth gives it to both AZ-XA and AZ-XCI
    assert "UA.MY" not in set(hasc["code"])
    assert hasc.set_index("code").loc["AZ.SS", "unit_code"] == "AZ-SUS"


def test_bundled_settlements() -> None:
    places = bundled_settlements()
    assert len(places) == 6452
    assert places["unit_code"].notna().all()
    assert places["source"].str.contains("GeoNames").all()


def test_data_files_have_their_readmes_and_columns() -> None:
    assert (data_path("boundaries", "README.md")).is_file()
    readme = (data_path("places", "README.md")).read_text(encoding="utf-8")
    for name in (
        "aliases_am_ua.csv",
        "aliases_az.csv",
        "display_names.csv",
        "generic_words.csv",
        "do_not_fuzzy.csv",
        "countries.csv",
    ):
        assert name in readme
    for path in sorted(data_path("places").glob("aliases_*.csv")):
        table = pd.read_csv(path)
        assert list(table.columns) == list(ALIAS_COLUMNS), path.name
        assert table["source"].notna().all(), path.name
        assert set(table["unit_code"]) <= set(default_gazetteer().units["unit_code"]), path.name


# --- user gazetteers: boundary files ------------------------------------------------------


def test_gazetteer_from_geojson() -> None:
    gaz = gazetteer_from_file(
        HERE / "districts_sample.geojson",
        name_column="DIST_EN",
        code_column="HLCIT",
        parent_column="PROV",
        alias_columns={"DIST_NE": "ne"},
        level="adm2",
        country="NP",
    )
    assert len(gaz) == 3
    assert set(gaz.units["level"]) == {"adm2"}
    assert isinstance(gaz.units, gpd.GeoDataFrame)
    assert gaz.units.crs.to_epsg() == 4326
    assert gaz.units.geometry.notna().all()
    out = resolve_places(
        ["Kathmandu", "काठमाडौं", "524 2 05 25", "Bhaktapure", "Pokhara"], gazetteer=gaz
    )
    assert out["unit_code"].tolist()[:4] == [
        "524 2 05 27",
        "524 2 05 27",
        "524 2 05 25",
        "524 2 05 26",
    ]
    assert out["match"].tolist() == ["exact", "alias", "code", "fuzzy", "unresolved"]


@pytest.mark.parametrize("kind", ["gpkg", "shp_zip"])
def test_gazetteer_from_geopackage_and_zipped_shapefile(tmp_path: Path, kind: str) -> None:
    frame = gpd.read_file(HERE / "districts_sample.geojson")
    if kind == "gpkg":
        path = tmp_path / "districts.gpkg"
        frame.to_file(path, layer="districts", driver="GPKG")
    else:
        shp = tmp_path / "shp"
        shp.mkdir()
        frame.to_file(shp / "districts.shp", encoding="UTF-8")
        path = tmp_path / "districts.zip"
        with zipfile.ZipFile(path, "w") as archive:
            for part in shp.iterdir():
                archive.write(part, part.name)
    gaz = gazetteer_from_file(path, name_column="DIST_EN", code_column="HLCIT")
    assert sorted(gaz.units["name"]) == ["Bhaktapur", "Kathmandu", "Lalitpur"]
    assert resolve_place("Lalitpur", gazetteer=gaz)["unit_code"] == "524 2 05 25"


def test_gazetteer_from_file_names_missing_columns_and_files(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"no column 'NAME'.*DIST_EN"):
        gazetteer_from_file(
            HERE / "districts_sample.geojson", name_column="NAME", code_column="HLCIT"
        )
    with pytest.raises(InputError, match="file not found"):
        gazetteer_from_file(tmp_path / "nope.geojson", name_column="a", code_column="b")
    bad = tmp_path / "bad.geojson"
    bad.write_text("not json", encoding="utf-8")
    with pytest.raises(InputError, match="cannot be read"):
        gazetteer_from_file(bad, name_column="a", code_column="b")


def test_make_gazetteer_needs_code_and_name() -> None:
    with pytest.raises(UsageError, match="missing name"):
        make_gazetteer(pd.DataFrame({"unit_code": ["X"]}))


# --- user gazetteers: COD-AB, GeoNames, alias CSVs -----------------------------------------


def test_gazetteer_from_cod_ab_nests_pcodes() -> None:
    gaz = gazetteer_from_cod_ab(HERE / "cod_ab_sample.csv")
    units = gaz.units.set_index("unit_code")
    assert units["level"].value_counts().to_dict() == {"adm3": 6, "adm2": 4, "adm1": 3}
    assert units.loc["UA6302009", "parent_code"] == "UA6302"
    assert units.loc["UA6302", "parent_code"] == "UA63"
    assert units.loc["UA63", "parent_code"] == "UA"
    assert set(gaz.aliases["lang"]) == {"uk"}
    out = resolve_places(
        ["Ivanivska", "Ivanivska", "Ivanivska", "Харківська", "UA5102015"],
        parent=[None, "Berezivskyi", "Mykolaivska", None, None],
        gazetteer=gaz,
    )
    assert out["match"].tolist() == ["ambiguous", "exact", "exact", "alias", "code"]
    assert out["unit_code"].tolist()[1:] == ["UA5102009", "UA4806007", "UA63", "UA5102015"]


def test_display_names_from_a_user_gazetteer() -> None:
    gaz = gazetteer_from_cod_ab(HERE / "cod_ab_sample.csv")
    assert display_names(["UA6302", "UA63"], "en", gazetteer=gaz) == ["Iziumskyi", "Kharkivska"]
    assert display_names(["UA6302"], "native", gazetteer=gaz) == ["Ізюмський"]
    assert display_names(["UA6302"], "ru", gazetteer=gaz) == ["Iziumskyi"]  # no Russian
    assert display_names(["UA6302"], "en") == ["UA6302"]  # unknown without the gazetteer


def test_gazetteer_from_path_chooses_the_loader(tmp_path: Path) -> None:
    assert len(gazetteer_from_path(HERE / "cod_ab_sample.csv")) == 13
    assert "AZ-FUZ" in set(gazetteer_from_path(HERE / "geonames_sample.txt").units["unit_code"])
    gaz = gazetteer_from_path(
        HERE / "districts_sample.geojson", name_column="DIST_EN", code_column="HLCIT"
    )
    assert len(gaz) == 3
    with pytest.raises(UsageError, match="name_column="):
        gazetteer_from_path(HERE / "districts_sample.geojson")
    with pytest.raises(UsageError, match="give both"):
        gazetteer_from_path(HERE / "districts_sample.geojson", name_column="DIST_EN")


def test_cli_resolve_with_own_units(capsys: pytest.CaptureFixture[str]) -> None:
    from damage_data.cli import main

    args = [
        "places",
        "resolve",
        "Lalitpur",
        "Kathmandu valley",
        "--units",
        str(HERE / "districts_sample.geojson"),
        "--name-column",
        "DIST_EN",
        "--code-column",
        "HLCIT",
        "-f",
        "json",
    ]
    assert main(args) == 0
    import json

    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["unit_code"] == "524 2 05 25"
    assert rows[1]["match"] == "unresolved"
    bad = ["places", "resolve", "x", "--units", str(HERE / "districts_sample.geojson")]
    assert main(bad) == 2
    assert "DIST_EN" in capsys.readouterr().err


def test_gazetteer_from_cod_ab_reads_alternate_names() -> None:
    table = pd.DataFrame(
        {
            "ADM0_PCODE": ["UA"],
            "ADM1_EN": ["Kyivska"],
            "ADM1ALT1EN": ["Kiev Oblast"],
            "ADM1_REF": ["not a name"],
            "ADM1_PCODE": ["UA32"],
        }
    )
    gaz = gazetteer_from_cod_ab(table)
    assert gaz.aliases["alias"].tolist() == ["Kiev Oblast"]
    assert resolve_place("Kiev Oblast", gazetteer=gaz)["unit_code"] == "UA32"


def test_gazetteer_from_cod_ab_rejects_other_tables() -> None:
    with pytest.raises(UsageError, match="not an OCHA COD-AB table"):
        gazetteer_from_cod_ab(pd.DataFrame({"name": ["x"], "code": ["y"]}))


def test_extra_alias_csv(caplog: pytest.LogCaptureFixture) -> None:
    aliases = read_aliases(HERE / "extra_aliases.csv")
    assert list(aliases.columns) == list(ALIAS_COLUMNS)
    gaz = gazetteer_from_cod_ab(HERE / "cod_ab_sample.csv")
    with caplog.at_level(logging.WARNING, logger="damage_data.places.gazetteer"):
        richer = gaz.with_aliases(aliases)
    assert "UA99" in caplog.text
    assert len(richer.aliases) == len(gaz.aliases) + 3
    assert resolve_place("Изюмский район", gazetteer=richer)["unit_code"] == "UA6302"
    assert resolve_place("Odessa region", gazetteer=richer)["match"] == "alias"
    assert resolve_place("Odessa region", gazetteer=gaz)["match"] == "fuzzy"


def test_read_aliases_needs_columns_and_clear_flags(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("code,name\nX,Y\n", encoding="utf-8")
    with pytest.raises(UsageError, match="no column 'unit_code', 'alias'"):
        read_aliases(path)
    path.write_text("unit_code,alias,one_to_one\nX,Y,no\nX,Z,\nX,W,perhaps\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"a\.csv: column one_to_one: .*'perhaps'"):
        read_aliases(path)
    path.write_text("unit_code,alias,one_to_one\nX,Y,no\nX,Z,\n", encoding="utf-8")
    assert read_aliases(path)["one_to_one"].tolist() == [False, True]


def test_gazetteer_from_geonames_dump() -> None:
    gaz = gazetteer_from_geonames(HERE / "geonames_sample.txt")
    codes = set(gaz.units["unit_code"])
    assert {"AZ-FUZ", "AZ-AGM", "AZ-CAB", "AZ.99"} == codes  # ISO where the crosswalk knows
    assert len(gaz.settlements) == 4
    out = resolve_places(["Fizuli", "Jebrail", "Guzanli", "Example Rayon"], gazetteer=gaz)
    assert out["unit_code"].tolist() == ["AZ-FUZ", "AZ-CAB", "AZ-AGM", "AZ.99"]
    assert out.loc[2, "level"] == "settlement"
    plain = gazetteer_from_geonames(HERE / "geonames_sample.txt", iso_codes=False)
    assert "AZ.18" in set(plain.units["unit_code"])


def test_gazetteer_from_geonames_rejects_other_files(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("just one column\n", encoding="utf-8")
    with pytest.raises(InputError, match="no GeoNames rows"):
        gazetteer_from_geonames(path)


def test_combine_and_subset() -> None:
    cod = gazetteer_from_cod_ab(HERE / "cod_ab_sample.csv")
    both = combine_gazetteers(default_gazetteer("AZ"), cod)
    assert isinstance(both, Gazetteer)
    out = resolve_places(["Terter", "Iziumskyi"], gazetteer=both)
    assert out["unit_code"].tolist() == ["AZ-TAR", "UA6302"]
    only_adm3 = cod.subset(level="adm3")
    assert set(only_adm3.units["level"]) == {"adm3"}
    with pytest.raises(UsageError):
        combine_gazetteers()


# --- real-world tables (read from ../shared, skipped when absent) -------------------------


@pytest.mark.realworld
@pytest.mark.skipif(not COD_AB.is_dir(), reason="../shared/realworld not present")
def test_ukraine_cod_ab_repeated_hromada_names() -> None:
    gaz = gazetteer_from_cod_ab(COD_AB / "ukr_admbnda_adm3_sspe_20240416.dbf", encoding="UTF-8")
    units = gaz.units
    assert units["level"].value_counts().to_dict() == {"adm3": 1769, "adm2": 139, "adm1": 27}
    adm3 = units[units["level"] == "adm3"]
    repeated = adm3["name"][adm3["name"].duplicated(keep=False)].unique()
    assert len(repeated) == 134
    out = resolve_places(list(repeated), gazetteer=gaz, level="adm3")
    assert (out["match"] == "ambiguous").all()
    parents = adm3.drop_duplicates("name", keep="first").set_index("name")["parent_code"]
    decided = resolve_places(
        list(repeated), parent=[parents[n] for n in repeated], gazetteer=gaz, level="adm3"
    )
    assert decided["unit_code"].notna().mean() > 0.95
    assert resolve_place("Київська", gazetteer=gaz)["unit_code"] == "UA32"


@pytest.mark.realworld
@pytest.mark.skipif(not NEPAL.is_file(), reason="../shared/realworld not present")
def test_figures_keyed_by_source_codes_without_a_gazetteer() -> None:
    table = pd.read_csv(NEPAL, skiprows=[1])
    districts = table.drop_duplicates("District code (HLCIT)")
    # no bundled gazetteer for Nepal: unresolved, no error
    out = resolve_places(districts["District"], country="NP")
    assert (out["match"] == "unresolved").all()
    # the table's own codes and names make a gazetteer that the names then resolve against
    gaz = make_gazetteer(
        pd.DataFrame(
            {
                "unit_code": districts["District code (HLCIT)"],
                "name": districts["District"],
                "level": "adm2",
                "country": "NP",
            }
        )
    )
    out = resolve_places(["Kathmandu", "Kavrepalanchok", "524 2 05 25", "Ilam"], gazetteer=gaz)
    assert out["match"].tolist()[0] == "exact"
    assert out["unit_code"].notna().all()
    assert out["match"].tolist()[2] == "code"


@pytest.mark.parametrize("country", ["AZ", "AM", "UA"])
def test_unit_table_without_shapes_is_the_units_table_without_geometry(country: str) -> None:
    from damage_data.places.gazetteer import BUNDLED_BOUNDARIES, bundled_unit_table

    shapes = pd.DataFrame(bundled_units(country).drop(columns="geometry"))
    pd.testing.assert_frame_equal(bundled_unit_table(country), shapes)
    # both are read with the standard library's JSON: checked here against GDAL's reading
    # of the same file
    raw = gpd.read_file(data_path("boundaries", BUNDLED_BOUNDARIES[country]))
    units = bundled_units(country)
    assert units["unit_code"].tolist() == raw["iso_3166_2_derived"].tolist()
    assert units["name"].tolist() == raw["iso_name"].tolist()
    assert units.crs == raw.crs
    assert bool(shapely.equals_exact(units.geometry.values, raw.geometry.values, 0).all())


def test_tabular_cod_ab_column_names_are_read(tmp_path: Path) -> None:
    # the tabular COD-AB releases (Philippines) write admin3Pcode / admin3Name_en; such a
    # table was refused as "not an OCHA COD-AB table"
    path = tmp_path / "phl.csv"
    path.write_text(
        "admin1Name_en,admin1Pcode,admin3Name_en,admin3Pcode\n"
        "Region I,PH010000000,Adams,PH012801000\n"
        "Region I,PH010000000,Bacarra,PH012802000\n",
        encoding="utf-8",
    )
    units = gazetteer_from_path(path).units.set_index("unit_code")
    assert units.loc["PH012801000", "name"] == "Adams"
    assert units.loc["PH012801000", "level"] == "adm3"
    # a table of neither form names the command-line options
    other = tmp_path / "other.csv"
    other.write_text("Name,Code\nAdams,1\n", encoding="utf-8")
    with pytest.raises(UsageError, match="--units-name COLUMN --units-code COLUMN"):
        gazetteer_from_path(other)


def test_the_bundled_extents_hold_each_country_and_name_its_file() -> None:
    # a map leaves out the countries whose extent is far from its data: an extent smaller
    # than its country would drop neighbours that are in view. Checked against GDAL's
    # reading of each file, to within the 0.01 degree the file is rounded to
    from damage_data.places.gazetteer import BUNDLED_BOUNDARIES, bundled_extents

    table = pd.read_csv(data_path("boundaries", "extents.csv"))
    assert dict(zip(table["country"], table["file"], strict=True)) == BUNDLED_BOUNDARIES
    for country, (x0, y0, x1, y1) in bundled_extents().items():
        b = gpd.read_file(data_path("boundaries", BUNDLED_BOUNDARIES[country])).total_bounds
        assert x0 <= b[0] < x0 + 0.01 and y0 <= b[1] < y0 + 0.01
        assert x1 - 0.01 < b[2] <= x1 and y1 - 0.01 < b[3] <= y1
