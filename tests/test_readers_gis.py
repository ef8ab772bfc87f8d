"""Per-structure GIS files, UNOSAT and xBD schemas, zips, limits and hostile inputs."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from damage_data._errors import InputError, LimitExceededError, UsageError
from damage_data.limits import Limits
from damage_data.pipeline import figures_of
from damage_data.readers import formats, load

AGHDAM = (46.93, 39.99)
# writing shapefiles in the tests launders long column names, as real products do
pytestmark = pytest.mark.filterwarnings(
    "ignore:Column names longer:UserWarning", "ignore:Normalized/laundered:RuntimeWarning"
)


def _structures(n: int = 6, crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    labels = ["destroyed", "severe", "none", "possible", "moderate", "destroyed"]
    frame = gpd.GeoDataFrame(
        {
            "damage_class": [labels[i % 6] for i in range(n)],
            "building_type": ["house" if i % 2 else "school" for i in range(n)],
        },
        geometry=[Point(AGHDAM[0] + i * 1e-3, AGHDAM[1]) for i in range(n)],
        crs=4326,
    )
    return frame.to_crs(crs)


def _check(result) -> None:  # type: ignore[no-untyped-def]
    rep = result.report
    assert rep["rows_read"] == rep["rows_kept"] + rep["rows_rejected"]


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".fgb", ".parquet", ".shp"])
def test_generic_formats(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"s{suffix}"
    frame = _structures()
    if suffix == ".parquet":
        frame.to_parquet(path)
    else:
        frame.to_file(path)
    result = load(path)
    _check(result)
    assert result.kind == "gis"
    assert result.report["damage_counts"] == {
        "destroyed": 2,
        "severe": 1,
        "none": 1,
        "possible": 1,
        "moderate": 1,
    }
    assert result.report["structure_counts"] == {"education": 3, "residential": 3}
    figures = figures_of(result, country="AZ")
    assert set(figures["unit_code"]) == {"AZ-AGM"} and int(figures["count"].sum()) == 6


def test_geopackage_layer_choice(tmp_path: Path) -> None:
    path = tmp_path / "two.gpkg"
    _structures(4).to_file(path, layer="north")
    _structures(6).to_file(path, layer="south")
    assert load(path).report["rows_read"] == 10
    assert load(path, layer="south").report["rows_read"] == 6
    with pytest.raises(InputError, match="no layer 'east'; layers: north, south"):
        load(path, layer="east")


def test_unknown_codes_rejected_with_known_labels(tmp_path: Path) -> None:
    frame = _structures()
    frame.loc[2, "damage_class"] = "Smashed"
    path = tmp_path / "s.geojson"
    frame.to_file(path)
    result = load(path)
    _check(result)
    assert result.report["rows_rejected"] == 1
    reject = result.rejects.iloc[0]
    assert (reject["locator"], reject["column"], reject["value"]) == (
        "feature 2",
        "damage_class",
        "Smashed",
    )
    assert "known labels: none, possible" in reject["reason"]


def test_missing_geometry_rejected(tmp_path: Path) -> None:
    path = tmp_path / "s.geojson"
    features = [
        {
            "type": "Feature",
            "properties": {"damage": "destroyed"},
            "geometry": {"type": "Point", "coordinates": list(AGHDAM)},
        },
        {"type": "Feature", "properties": {"damage": "destroyed"}, "geometry": None},
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    result = load(path)
    _check(result)
    assert result.rejects["reason"].tolist() == [
        "missing geometry: a structure needs a point or polygon"
    ]


def test_shapefile_without_prj(tmp_path: Path) -> None:
    utm = _structures(crs="EPSG:32638")
    path = tmp_path / "utm.shp"
    utm.to_file(path)
    path.with_suffix(".prj").unlink()
    with pytest.raises(InputError, match=r"no coordinate reference system.*prj"):
        load(path)
    lonlat = tmp_path / "ll.shp"
    _structures().to_file(lonlat)
    lonlat.with_suffix(".prj").unlink()
    result = load(lonlat)
    assert result.report["crs"] == "EPSG:4326"
    assert any("EPSG:4326 is assumed" in w for w in result.report["warnings"])


def test_utm_structures_reprojected_on_assignment(tmp_path: Path) -> None:
    path = tmp_path / "utm.gpkg"
    _structures(crs="EPSG:32638").to_file(path)
    result = load(path)
    assert result.report["crs"] == "EPSG:32638"
    assert set(figures_of(result, country="AZ")["unit_code"]) == {"AZ-AGM"}


def _gaza_schema(path: Path) -> None:
    """Three sites in the Gaza 2023-25 schema (full names, rounds _2 and _3)."""
    props = [
        {
            "SiteID": "S1",
            "Municipality": "Aghdam",
            "SensorDate": "2023-10-15",
            "Main_Damage_Site_Class": 3,
            "Damage_Status": "New",
            "SensorDate_2": "2024-01-06",
            "Main_Damage_Site_Class_2": 1,
            "Damage_Status_2": "Upgraded",
            "SensorDate_3": "2024-05-03",
            "Main_Damage_Site_Class_3": 2,
            "Damage_Status_3": "X",
        },
        {
            "SiteID": "S2",
            "Municipality": "Aghdam",
            "SensorDate": None,
            "Main_Damage_Site_Class": None,
            "Damage_Status": None,
            "SensorDate_2": "2024-01-06",
            "Main_Damage_Site_Class_2": 4,
            "Damage_Status_2": "New",
            "SensorDate_3": "2024-05-03",
            "Main_Damage_Site_Class_3": 4,
            "Damage_Status_3": None,
        },
        {
            "SiteID": "S3",
            "Municipality": "Fuzuli",
            "SensorDate": "2023-10-15",
            "Main_Damage_Site_Class": 99,
            "Damage_Status": None,
            "SensorDate_2": None,
            "Main_Damage_Site_Class_2": None,
            "Damage_Status_2": None,
            "SensorDate_3": None,
            "Main_Damage_Site_Class_3": None,
            "Damage_Status_3": None,
        },
    ]
    features = [
        {
            "type": "Feature",
            "properties": p,
            "geometry": {"type": "Point", "coordinates": [AGHDAM[0] + i * 1e-3, AGHDAM[1]]},
        }
        for i, p in enumerate(props)
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))


def test_unosat_gaza_schema_rounds(tmp_path: Path) -> None:
    path = tmp_path / "gaza.geojson"
    _gaza_schema(path)
    result = load(path)
    _check(result)
    assert result.kind == "unosat"
    assert "gaza-2023" in next(iter(result.report["schema"].values()))
    history = result.structures
    assert history.groupby("structure_id")["round"].apply(list).to_dict() == {
        "S1": [1, 2, 3],
        "S2": [2, 3],
    }
    # unknown class 99: the whole site is rejected, the reason lists the UNOSAT codes
    assert result.rejects["value"].tolist() == ["99"]
    assert "known labels: 1, 2, 3" in result.rejects["reason"].iloc[0]
    # latest round per site by default ...
    assert result.report["damage_counts"] == {"severe": 1, "possible": 1}
    s1 = history[history["structure_id"] == "S1"]
    assert s1["damage_status"].tolist() == ["New", "Upgraded", "X"]  # kept raw
    assert (s1["first_damaged_on"] == pd.Timestamp("2023-10-15")).all()
    # ... the strongest on request; rounds are never added up
    strongest = load(path, strongest=True)
    assert strongest.report["damage_counts"] == {"destroyed": 1, "possible": 1}
    figures = figures_of(strongest, country="AZ")
    assert int(figures["count"].sum()) == 2


def test_unosat_admin_label_agreement(tmp_path: Path) -> None:
    from damage_data.count.assign import assign

    path = tmp_path / "gaza.geojson"
    _gaza_schema(path)
    current = load(path).current_structures()
    _, report = assign(current, country="AZ")
    assert report["agreement_checked"] == 2 and report["agreement"] == 1.0


def _xbd(path: Path, *, post: bool = True) -> None:
    features = [
        {
            "properties": {
                "feature_type": "building",
                "uid": "a",
                **({"subtype": "destroyed"} if post else {}),
            },
            "wkt": "POLYGON ((46.93 39.99, 46.931 39.99, 46.931 39.991, 46.93 39.99))",
        },
        {
            "properties": {
                "feature_type": "building",
                "uid": "b",
                **({"subtype": "minor-damage"} if post else {}),
            },
            "wkt": "POLYGON ((46.94 39.99, 46.941 39.99, 46.941 39.991, 46.94 39.99))",
        },
        {
            "properties": {
                "feature_type": "building",
                "uid": "c",
                **({"subtype": "un-classified"} if post else {}),
            },
            "wkt": "POLYGON ((46.95 39.99, 46.951 39.99, 46.951 39.991, 46.95 39.99))",
        },
        {
            "properties": {
                "feature_type": "building",
                "uid": "d",
                **({"subtype": "flattened"} if post else {}),
            },
            "wkt": "POLYGON ((46.96 39.99, 46.961 39.99, 46.961 39.991, 46.96 39.99))",
        },
    ]
    path.write_text(
        json.dumps(
            {
                "features": {"lng_lat": features, "xy": []},
                "metadata": {
                    "disaster": "test-quake",
                    "disaster_type": "earthquake",
                    "capture_date": "2020-11-20T08:00:00.000Z",
                    "img_name": "t_post.png",
                },
            }
        )
    )


def test_xbd_labels(tmp_path: Path) -> None:
    path = tmp_path / "t_post_disaster.json"
    _xbd(path)
    result = load(path)
    _check(result)
    assert result.kind == "xbd"
    assert result.report["damage_counts"] == {"destroyed": 1, "minor": 1, "unassessed": 1}
    assert result.rejects["value"].tolist() == ["flattened"]
    assert "known labels: no-damage" in result.rejects["reason"].iloc[0]
    assert result.structures["assessed_on"].dt.date.astype(str).unique().tolist() == ["2020-11-20"]
    pre = tmp_path / "t_pre_disaster.json"
    _xbd(pre, post=False)
    assert load(pre).report["damage_counts"] == {"unassessed": 4}


def _junk_zip(
    tmp_path: Path, members: dict[str, bytes], junk: bytes = b"<html>302</html>\r\n"
) -> Path:
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    path = tmp_path / "junk.zip"
    path.write_bytes(junk + inner.read_bytes())
    return path


def test_junk_prefixed_zip_with_geojson(tmp_path: Path) -> None:
    src = tmp_path / "s.geojson"
    _structures().to_file(src)
    path = _junk_zip(
        tmp_path, {"product/s.geojson": src.read_bytes(), "product/readme.txt": b"notes"}
    )
    result = load(path)
    assert result.kind == "gis" and result.report["rows_kept"] == 6
    assert result.report["detected_by"].startswith("zip archive")


def test_zip_slip_refused(tmp_path: Path) -> None:
    path = _junk_zip(tmp_path, {"../../evil.geojson": b"{}"}, junk=b"")
    with pytest.raises(InputError, match=r"absolute, '\.\.' or empty path; refused"):
        load(path)
    absolute = _junk_zip(tmp_path, {"/etc/evil.geojson": b"{}"}, junk=b"")
    with pytest.raises(InputError, match="refused"):
        load(absolute)
    assert not (tmp_path.parent / "evil.geojson").exists()


def test_zip_bomb_refused(tmp_path: Path) -> None:
    path = _junk_zip(tmp_path, {"big.csv": b"0" * (20 * 1024 * 1024)}, junk=b"")
    with pytest.raises(LimitExceededError, match="possible zip bomb"):
        load(path)
    with pytest.raises(LimitExceededError, match="unpacks to"):
        load(path, limits=Limits(max_uncompressed_bytes=1024, max_compression_ratio=1e6))


def test_limits(tmp_path: Path) -> None:
    path = tmp_path / "s.geojson"
    _structures().to_file(path)
    with pytest.raises(LimitExceededError, match="over the limit"):
        load(path, limits=Limits(max_file_bytes=10))
    with pytest.raises(LimitExceededError, match="rows"):
        load(path, limits=Limits(max_rows=3))
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100 + "]" * 100)
    with pytest.raises(LimitExceededError, match="nesting"):
        load(deep)
    with pytest.raises(UsageError, match="positive"):
        Limits(max_rows=0)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "random.bin",
            bytes(np.random.default_rng(1).integers(0, 256, 4096, dtype=np.uint8)),
            "unsupported, corrupt or truncated",
        ),
        ("empty.csv", b"", "empty"),
        ("cut.geojson", b'{"type": "FeatureCollection", "features": [{"type": "Fea', "truncated"),
        ("cut.zip", b"PK\x03\x04" + b"\x00" * 40, "not a readable zip"),
        ("odd.json", b'{"hello": "world"}', "unsupported layout"),
        ("blank.csv", b"\n\n   \n", "no rows"),
    ],
)
def test_unreadable_inputs_give_input_errors(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        load(path)


def test_missing_file_and_bad_options(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load(tmp_path / "nope.csv")
    with pytest.raises(UsageError, match="unknown kind"):
        load(tmp_path / "nope.csv", kind="pdf")
    with pytest.raises(UsageError, match="unknown damage scheme"):
        load(tmp_path / "nope.csv", scheme="klingon")


def test_polygon_units_from_gis_file_outside_bundled(tmp_path: Path) -> None:
    frame = _structures()
    path = tmp_path / "s.fgb"
    frame.to_file(path)
    units = gpd.GeoDataFrame(
        {"unit_code": ["U1"], "name": ["Box"], "level": ["adm2"]},
        geometry=[box(46.9, 39.9, 47.0, 40.1)],
        crs=4326,
    )
    figures = figures_of(load(path), units=units)
    assert set(figures["unit_code"]) == {"U1"} and set(figures["level"]) == {"adm2"}


def test_formats_lists_every_kind() -> None:
    table = formats()
    assert set(table["kind"]) >= {
        "table",
        "gis",
        "unosat",
        "copernicus",
        "xbd",
        "hxl",
        "codab",
        "text",
    }
    assert table["detects"].str.len().gt(20).all()


def test_unosat_syria_truncated_names_by_column_order(tmp_path: Path) -> None:
    # the 2015 Syria schema: 10-character names, rounds told apart by column order
    frame = gpd.GeoDataFrame(
        {
            "SiteID": ["Building (General / Default)"] * 3,
            "SensorDate": ["2013/09/23", None, "2013/09/23"],
            "Main_Damag": ["3", None, "2"],
            "SensorDa_1": ["2014/05/23", "2014/05/23", "2014/05/23"],
            "Main_Dam_1": ["1", "2", "2"],
            "Damage_Sta": ["New - damage", "New - damage", "0"],
            "Neighborho": ["Farafira"] * 3,
        },
        geometry=[Point(AGHDAM[0] + i * 1e-3, AGHDAM[1]) for i in range(3)],
        crs=4326,
    )
    path = tmp_path / "syria.shp"
    frame.to_file(path)
    result = load(path)
    assert result.kind == "unosat"
    assert "syria-2015" in next(iter(result.report["schema"].values()))
    history = result.structures
    assert len(history) == 5 and history["structure_id"].nunique() == 3
    assert set(history["structure"]) == {"any"}  # SiteID holds the site type, not an id
    assert result.report["damage_counts"] == {"destroyed": 1, "severe": 2}
    first = history.groupby("structure_id")["first_damaged_on"].first()
    assert sorted(first.dt.strftime("%Y-%m-%d")) == ["2013-09-23", "2013-09-23", "2014-05-23"]


def test_unosat_raqqa_dasitcl_variant(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {
            "SiteID": ["R1", "R2"],
            "DaSitCl": [2, 3],
            "DaSitCl2": [1, 3],
            "SensDt": ["2017-02-03"] * 2,
            "SensDt2": ["2017-10-21"] * 2,
        },
        geometry=[Point(AGHDAM), Point(AGHDAM[0] + 1e-3, AGHDAM[1])],
        crs=4326,
    )
    path = tmp_path / "raqqa.gpkg"
    frame.to_file(path)
    result = load(path)
    assert result.kind == "unosat"
    assert result.report["damage_counts"] == {"destroyed": 1, "moderate": 1}
    assert sorted(result.structures["round"].tolist()) == [1, 1, 2, 2]


def test_latin1_dbf_without_cpg(tmp_path: Path) -> None:
    frame = _structures(2)
    frame["admin"] = ["Città di Castello", "Norcia"]
    path = tmp_path / "it.shp"
    frame.to_file(path, encoding="latin1")
    path.with_suffix(".cpg").unlink(missing_ok=True)
    assert b"Citt\xe0" in path.with_suffix(".dbf").read_bytes()
    result = load(path)
    assert result.structures["admin_label"].tolist()[0] == "Città di Castello"
    forced = load(path, encoding="cp1252")
    assert forced.structures["admin_label"].tolist()[0] == "Città di Castello"


def test_unosat_csv_export(tmp_path: Path) -> None:
    path = tmp_path / "unosat.csv"
    path.write_text(
        "SiteID,Main_Damage_Site_Class,SensorDate,Main_Damage_Site_Class_2,SensorDate_2,"
        "Latitude,Longitude\n"
        "A1,3,2023-11-07,1,2024-01-06,39.99,46.93\n"
        "A2,,,6,2024-01-06,39.99,46.931\n"
        "A3,2,2023-11-07,,,,\n"
    )
    result = load(path)
    assert result.kind == "unosat"
    assert result.report["damage_counts"] == {"destroyed": 1, "none": 1}
    assert result.rejects["locator"].tolist() == ["row 4"]
    assert result.rejects["reason"].str.startswith("missing geometry").all()


def test_per_structure_csv_reported_as_gis(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("lon,lat,damage\n46.93,39.99,destroyed\n")
    result = load(path)
    assert result.kind == "gis" and "lon/lat" in result.report["detected_by"]


def test_file_geodatabase_folder_in_zip(tmp_path: Path) -> None:
    import pyogrio

    gdb = tmp_path / "damage.gdb"
    try:
        pyogrio.write_dataframe(_structures(), gdb, driver="OpenFileGDB", layer="sites")
    except Exception:  # GDAL built without OpenFileGDB write support
        pytest.skip("GDAL cannot write file geodatabases here")
    assert load(gdb).report["rows_kept"] == 6
    archive = tmp_path / "gdb.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in gdb.rglob("*"):
            zf.write(file, file.relative_to(tmp_path))
    assert load(archive).report["rows_kept"] == 6


def test_copernicus_geopackage_nested_in_junk_zip(tmp_path: Path) -> None:
    # newest EMS products: one GeoPackage per product inside the distributed zip
    gpkg = tmp_path / "EMSR999_AOI01_GRA_PRODUCT_r1_v1.gpkg"
    points = gpd.GeoDataFrame(
        {
            "obj_type": ["11-Residential Buildings", "12-Non-residential Buildings"] * 2,
            "info": [
                "997-Not Applicable",
                "1272-Buildings used as places of worship and for religious activities",
                "9999-A refinement in no crosswalk",
                "997-Not Applicable",
            ],
            "damage_gra": ["Destroyed", "Not Applicable", "No visible damage", "Possibly damaged"],
            "notation": ["Building point"] * 4,
        },
        geometry=[Point(AGHDAM[0] + i * 1e-3, AGHDAM[1]) for i in range(4)],
        crs=4326,
    )
    blocks = gpd.GeoDataFrame(
        {
            "obj_type": ["11-Residential Buildings"],
            "info": ["997-Not Applicable"],
            "damage_gra": ["Damaged"],
            "notation": ["Building block"],
        },
        geometry=[box(46.92, 39.98, 46.925, 39.985)],
        crs=4326,
    )
    roads = gpd.GeoDataFrame(
        {"obj_type": ["Road"], "damage_gra": ["Destroyed"]},
        geometry=[box(46.9, 39.9, 46.91, 39.91).boundary],
        crs=4326,
    )
    points.to_file(gpkg, layer="EMSR999_AOI01_GRA_PRODUCT_builtUpP_r1_v1")
    blocks.to_file(gpkg, layer="EMSR999_AOI01_GRA_PRODUCT_builtUpA_r1_v1")
    roads.to_file(gpkg, layer="EMSR999_AOI01_GRA_PRODUCT_transportationL_r1_v1")
    inner = tmp_path / "product.zip"
    with zipfile.ZipFile(inner, "w") as archive:
        archive.write(gpkg, gpkg.name)
    path = _junk_zip(tmp_path, {"EMSR999/product.zip": inner.read_bytes()})
    result = load(path)
    assert result.kind == "copernicus"
    assert result.report["damage_counts"] == {
        "destroyed": 1,
        "unassessed": 1,
        "none": 1,
        "possible": 1,
        "damaged": 1,
    }
    # info refines obj_type; an unknown refinement leaves the residential type alone
    assert result.report["structure_counts"] == {"residential": 3, "religious": 1, "other": 1}
    assert any("9999-A refinement" in w for w in result.report["warnings"])
    assert list(result.report["skipped_layers"]) == [
        "EMSR999_AOI01_GRA_PRODUCT_transportationL_r1_v1"
    ]
    assert result.report["building_blocks"] == 1
    only_points = load(path, layer="EMSR999_AOI01_GRA_PRODUCT_builtUpP_r1_v1")
    assert only_points.report["rows_read"] == 4


def test_codab_boundaries_become_units_for_assignment(tmp_path: Path) -> None:
    boundaries = gpd.GeoDataFrame(
        {
            "ADM0_EN": ["Testland"] * 2,
            "ADM0_PCODE": ["TL"] * 2,
            "ADM1_EN": ["North", "South"],
            "ADM1_PCODE": ["TL01", "TL02"],
        },
        geometry=[box(46.9, 39.985, 47.0, 40.1), box(46.9, 39.9, 47.0, 39.985)],
        crs=4326,
    )
    path = tmp_path / "tl_admbnda_adm1.shp"
    boundaries.to_file(path)
    units = load(path)
    assert units.kind == "codab"
    assert units.units["unit_code"].tolist() == ["TL01", "TL02"]
    assert units.units["parent_code"].tolist() == ["TL", "TL"]
    assert set(units.units["level"]) == {"adm1"}
    sites = tmp_path / "s.geojson"
    _structures().to_file(sites)
    figures = figures_of(load(sites), units=units.units)
    assert set(figures["unit_code"]) == {"TL01"}
    assert int(figures["count"].sum()) == 6


def test_zip_member_count_limit(tmp_path: Path) -> None:
    path = _junk_zip(tmp_path, {f"m{i}.txt": b"x" for i in range(5)}, junk=b"")
    with pytest.raises(LimitExceededError, match="members"):
        load(path, limits=Limits(max_zip_members=3))


def test_copernicus_legacy_date_sanity(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {
            "grading": ["Completely Destroyed", "Not Affected"],
            "settl_type": ["Residential", "Not Applicable"],
            "src_date": ["20161031", "20161031"],
            "ext_date": ["20171031", "20161101"],
        },
        geometry=[Point(AGHDAM), Point(AGHDAM[0] + 1e-3, AGHDAM[1])],
        crs=4326,
    )
    path = tmp_path / "EMSR000_01X_02GRADING_v1_settlements_point_grading.shp"
    frame.to_file(path)
    result = load(path)
    assert result.kind == "copernicus"
    assert result.report["damage_counts"] == {"destroyed": 1, "none": 1}
    assert result.report["structure_counts"] == {"residential": 1, "any": 1}
    assert any("a typo in the year" in w for w in result.report["warnings"])


def test_a_layer_without_damage_names_the_fix_for_both_ways_in(tmp_path: Path) -> None:
    # the message names the command-line option and the Python argument; polygons with no
    # damage column may be boundaries, which are given as units
    areas = gpd.GeoDataFrame(
        {"name": ["Fuzuli", "Jabrayil"]}, geometry=[box(47, 39, 48, 40), box(46, 39, 47, 40)]
    ).set_crs("EPSG:4326")
    path = tmp_path / "areas.geojson"
    areas.to_file(path)
    with pytest.raises(InputError) as err:
        load(path)
    message = str(err.value)
    assert "--columns damage=COLUMN" in message and "columns={'damage': 'COLUMN'}" in message
    assert "--units FILE" in message
    points = gpd.GeoDataFrame({"name": ["a"]}, geometry=[Point(47, 39)]).set_crs("EPSG:4326")
    points.to_file(tmp_path / "points.geojson")
    with pytest.raises(InputError) as err:
        load(tmp_path / "points.geojson")
    assert "--units" not in str(err.value)


def test_unknown_damage_tags_are_not_read_as_counts(tmp_path: Path) -> None:
    # OSM building outlines tagged damage=100 / damage=50 (percentages of no documented
    # scale): the layer was said "not read", then read as a table of counts: 150 buildings
    path = tmp_path / "osm.geojson"
    gpd.GeoDataFrame(
        {"name": ["Kharkiv", "Kharkiv", "Kharkiv"], "damage": ["100", "50", None]},
        geometry=[box(36.2, 50.0, 36.3, 50.1)] * 3,
        crs="EPSG:4326",
    ).to_file(path)
    with pytest.raises(InputError, match="--columns destroyed=COLUMN"):
        load(path)
    # the labels as they are, when the user says it is the damage column: rejected, each
    # with a reason, and nothing counted
    labels = load(path, columns={"damage": "damage"})
    assert labels.report["rows_kept"] == 0
    assert labels.report["rows_read"] == 3 and labels.report["rows_rejected"] == 3
    # counts, when the user says the column holds counts of one state
    counts = load(path, columns={"destroyed": "damage"})
    assert counts.figures is not None
    assert sorted(counts.figures["count"].astype(float)) == [50.0, 100.0]
    assert set(counts.figures["damage"].astype(str)) == {"destroyed"}


def test_a_camel_case_damage_column_is_found(tmp_path: Path) -> None:
    # L'Aquila Da.D.O. survey: "DamageState" was not matched to the damage_state name
    path = tmp_path / "s.csv"
    path.write_text("Longitude,Latitude,DamageState\n13.4,42.35,5\n13.41,42.35,0\n", "utf-8")
    result = load(path)
    assert result.structures is not None
    assert result.report["damage_counts"] == {"destroyed": 1, "none": 1}


def test_a_feature_listed_twice_exactly_is_one_structure(tmp_path: Path) -> None:
    # Mariupol demolition map: six buildings listed twice (same point, same attributes)
    # were counted twice. By hand: A 1 twice and B 2 once are two structures; C 3 and D 4
    # share a point but are different records, so both count
    path = tmp_path / "s.geojson"
    gpd.GeoDataFrame(
        {
            "address": ["A 1", "A 1", "B 2", "C 3", "D 4"],
            "damage": ["destroyed"] * 5,
        },
        geometry=[Point(37.55, 47.10)] * 2 + [Point(37.56, 47.11)] + [Point(37.57, 47.12)] * 2,
        crs="EPSG:4326",
    ).to_file(path)
    result = load(path)
    assert result.report["rows_read"] == 5 and result.report["rows_kept"] == 5
    assert result.report["damage_counts"] == {"destroyed": 4}
    assert result.report["repeated_features"] == 1
    assert len(result.current_structures()) == 4


def test_bare_number_codes_are_not_guessed(tmp_path: Path) -> None:
    # UNOSAT Raqqa recoded 0-3 (3 = destroyed) and the Turkish ministry's 0-4 (4 = collapsed)
    # were read as EMS-98 grades: 0 destroyed and 12,776 damaged for Raqqa, where UNOSAT
    # published 3,326 destroyed. A number names opposite states on different scales
    from damage_data.cli import main

    raqqa = tmp_path / "raqqa.csv"
    raqqa.write_text("lon,lat,damage\n38.99,35.96,3\n38.98,35.96,0\n38.97,35.96,1\n", "utf-8")
    with pytest.raises(InputError, match="only numbers"):
        load(raqqa)
    assert main(["validate", str(raqqa)]) == 3
    # stated, the scale is read as stated (EMS-98: 3 is substantial to heavy damage)
    stated = load(raqqa, scheme="ems98")
    assert stated.report["damage_counts"] == {"severe": 1, "none": 1, "minor": 1}
    assert main(["validate", str(raqqa), "--damage-scheme", "ems98"]) == 0
    # numbers only one scale has settle it: UNOSAT's 6 (no visible damage) and no 0
    unosat = tmp_path / "unosat.csv"
    unosat.write_text("lon,lat,damage\n38.99,35.96,1\n38.98,35.96,6\n38.97,35.96,2\n", "utf-8")
    assert load(unosat).report["damage_counts"] == {"destroyed": 1, "none": 1, "severe": 1}
    # EMS-98's grade 5 and nothing above it
    ems = tmp_path / "ems.csv"
    ems.write_text("lon,lat,damage\n38.99,35.96,5\n38.98,35.96,0\n38.97,35.96,2\n", "utf-8")
    assert load(ems).report["damage_counts"] == {"destroyed": 1, "none": 1, "moderate": 1}
    # OSM damage percentages (1, 50, 100): no scale; they had been summed as 151 damaged
    osm = tmp_path / "osm.csv"
    osm.write_text("lon,lat,damage\n38.99,35.96,1\n38.98,35.96,50\n38.97,35.96,100\n", "utf-8")
    with pytest.raises(InputError, match="not counts"):
        load(osm)
    # a column counting structures is read as counts once named so
    named = load(osm, columns={"destroyed": "damage"})
    assert named.report["damage_counts"] == {"destroyed": 151}
    # percentages that a scale partly knows (1, 2, 3, 5 beside 50, 100) are no codes either
    osm.write_text(
        "lon,lat,damage\n38.99,35.96,1\n38.98,35.96,2\n38.97,35.96,3\n"
        "38.96,35.96,5\n38.95,35.96,50\n38.94,35.96,100\n",
        "utf-8",
    )
    with pytest.raises(InputError, match="only numbers"):
        load(osm)
    # words among the labels say which scale they are
    words = tmp_path / "words.csv"
    words.write_text("lon,lat,damage\n38.99,35.96,Destroyed\n38.98,35.96,2\n", "utf-8")
    assert load(words).report["damage_counts"] == {"destroyed": 1, "severe": 1}


def test_a_layer_repeating_another_is_read_once(tmp_path: Path) -> None:
    # UNOSAT Deir ez-Zor as shared: the same 7,042 points in two layers of one GeoPackage,
    # summed to twice the damage (12,810 damaged for 6,405). By hand: 2 destroyed, 1 moderate
    sites = gpd.GeoDataFrame(
        {"damage": ["Destroyed", "Destroyed", "Moderate Damage"], "site": [1, 2, 3]},
        geometry=gpd.points_from_xy([38.9, 39.0, 39.1], [35.9, 35.9, 35.9]),
        crs="EPSG:4326",
    )
    path = tmp_path / "sites.gpkg"
    sites.to_file(path, layer="Damage_Sites_CDA")
    sites.iloc[::-1].to_file(path, layer="sites", mode="a")  # another order, same features
    result = load(path)
    assert result.report["damage_counts"] == {"destroyed": 2, "moderate": 1}
    assert any("repeats layer 'Damage_Sites_CDA'" in w for w in result.report["warnings"])
    # a layer of other features is read beside them
    gpd.GeoDataFrame(
        {"damage": ["Destroyed"], "site": [4]},
        geometry=gpd.points_from_xy([39.2], [35.9]),
        crs="EPSG:4326",
    ).to_file(path, layer="more", mode="a")
    assert load(path).report["damage_counts"] == {"destroyed": 3, "moderate": 1}


def test_a_layer_named_like_its_file_is_chosen_alone(tmp_path: Path) -> None:
    # Raqqa: --layer raqqa_damage (a layer named after the file, as QGIS exports it) read
    # both layers of raqqa_damage.gpkg. By hand: that layer holds 1 destroyed, 1 severe
    path = tmp_path / "raqqa_damage.gpkg"
    gpd.GeoDataFrame(
        {"damage": ["Destroyed", "Severe Damage"]},
        geometry=gpd.points_from_xy([38.9, 39.0], [35.9, 35.9]),
        crs="EPSG:4326",
    ).to_file(path, layer="raqqa_damage")
    gpd.GeoDataFrame(
        {"damage": ["Moderate Damage"]},
        geometry=gpd.points_from_xy([39.1], [35.9]),
        crs="EPSG:4326",
    ).to_file(path, layer="other", mode="a")
    chosen = load(path, layer="raqqa_damage")
    assert chosen.report["damage_counts"] == {"destroyed": 1, "severe": 1}


def test_one_bad_coordinate_rejects_its_row_only(tmp_path: Path) -> None:
    # Tacloban points: one "abc" (or "NaN", "-") in the lon column turned the file into a
    # table of places with no place (4 kept, 0 rejected, nothing counted). By hand: 3 points
    # kept (2 destroyed, 1 damaged), row 5 rejected naming its column and value
    for bad in ("abc", "NaN", "-"):
        path = tmp_path / "pts.csv"
        path.write_text(
            "site_id,lat,lon,damage_gra\n1,11.2250,125.0210,Destroyed\n"
            f"2,11.2251,125.0211,Destroyed\n3,11.2252,125.0212,Damaged\n4,11.2255,{bad},Destroyed\n",
            "utf-8",
        )
        result = load(path)
        assert result.kind == "gis"
        assert result.report["rows_kept"] == 3 and result.report["rows_rejected"] == 1
        assert result.report["damage_counts"] == {"destroyed": 2, "damaged": 1}
        reject = result.rejects.iloc[0]
        assert (reject["locator"], reject["column"], reject["value"]) == ("row 5", "lon", bad)


def test_points_whose_damage_column_is_main_dmg_beside_an_agency_id(tmp_path: Path) -> None:
    # Morocco 2023 (Al Haouz) points: "AgencyID", empty on every damage row, was taken for the
    # count of a long table and all 4,920 points were rejected; "Main_Dmg" was not looked at.
    # By hand: Damage 2 (damaged), Possible damage 1 + "Possible damaged" 1 (the source's
    # misspelling) = 2 possible, one point with no label rejected: 5 read = 4 kept + 1
    labels = ["Damage", "Damage", "Possible damage", "Possible damaged", None]
    frame = gpd.GeoDataFrame(
        {"Main_Dmg": labels, "AgencyID": [None, None, None, None, 0.0]},
        geometry=[Point(-8.45 + i * 0.001, 30.92) for i in range(5)],
        crs=4326,
    )
    path = tmp_path / "points.geojson"
    frame.to_file(path)
    report = load(path).report
    assert report["damage_counts"] == {"damaged": 2, "possible": 2}
    assert (report["rows_read"], report["rows_kept"], report["rows_rejected"]) == (5, 4, 1)
