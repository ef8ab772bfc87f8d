"""The UNOSAT reader under the same guards as every vector read (issue 19 follow-ups).

Every file is built by the test; expected numbers are counted by hand from what it writes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from damage_data._errors import LimitExceededError
from damage_data.limits import Limits
from damage_data.readers import load

#: UNOSAT short column names (Raqqa/Damascus generation): fit a shapefile's 10 characters.
SITES = {
    "SiteID": ["S1", "S2", "S3", "S4", "S5"],
    "DmgCls": ["Destroyed", "Severe Damage", "Moderate Damage", "Destroyed", "No Visible Damage"],
    "SensDt": ["2020-11-05", "2020-11-05", "2020-11-06", "2020-11-06", "2020-11-06"],
}


def _sites(**columns: list[str]) -> gpd.GeoDataFrame:
    data = {**SITES, **columns}
    points = [Point(46.9 + i / 100, 39.6) for i in range(len(data["SiteID"]))]
    return gpd.GeoDataFrame(data, geometry=points, crs="EPSG:4326")


def test_layer_limit_applies_to_unosat(tmp_path: Path) -> None:
    path = tmp_path / "areas.gpkg"
    for name in ("a", "b", "c"):
        ids = [f"{name}{i}" for i in range(5)]
        _sites(SiteID=ids).to_file(path, layer=name, driver="GPKG")
    assert load(path, kind="unosat").report["sites"] == 15  # 3 layers x 5 sites
    with pytest.raises(LimitExceededError, match="3 layers"):
        load(path, kind="unosat", limits=Limits(max_layers=2))


def test_a_site_id_in_two_layers_is_one_site_and_every_feature_is_read(tmp_path: Path) -> None:
    """Rows read = kept + rejected counts features; the same SiteID twice is one site."""
    path = tmp_path / "rounds.gpkg"
    _sites().to_file(path, layer="first", driver="GPKG")
    later = _sites(SensDt=["2021-01-01"] * 5, DmgCls=["Destroyed"] * 5)
    later.to_file(path, layer="second", driver="GPKG")
    report = load(path, kind="unosat").report
    assert report["rows_read"] == 10 and report["rows_kept"] == 10
    assert report["sites"] == 5
    assert report["damage_counts"] == {"destroyed": 5}  # the later assessment of each site


def test_one_layer_in_two_formats_is_read_once_with_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "product"
    folder.mkdir()
    _sites().to_file(folder / "sites.shp")
    _sites().to_file(folder / "sites.geojson", driver="GeoJSON")
    result = load(folder, kind="unosat")
    assert result.report["sites"] == 5
    assert result.report["damage_counts"] == {"destroyed": 2, "severe": 1, "moderate": 1, "none": 1}
    assert any("one layer in two formats" in w for w in result.report["warnings"])


def test_short_dbf_rejects_the_shapes_without_attributes(tmp_path: Path) -> None:
    _sites().to_file(tmp_path / "sites.shp")
    one = tmp_path / "one"
    one.mkdir()
    _sites().head(2).to_file(one / "sites.shp")
    shutil.copy(one / "sites.dbf", tmp_path / "sites.dbf")  # 2 records for 5 shapes
    result = load(tmp_path / "sites.shp", kind="unosat")
    report = result.report
    assert report["rows_read"] == 5
    assert report["rows_kept"] == 2 and report["rows_rejected"] == 3
    assert list(result.rejects["locator"]) == ["feature 2", "feature 3", "feature 4"]
    assert all(".dbf has fewer records" in r for r in result.rejects["reason"])
    assert any("2 records for 5 shapes" in w for w in report["warnings"])
    assert report["damage_counts"] == {"destroyed": 1, "severe": 1}


def test_unreadable_dates_are_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "sites.geojson"
    dates = ["2020-11-05", "soon", "2020-11-06", "31/02/2020", ""]
    _sites(SensDt=dates).to_file(path, driver="GeoJSON")
    result = load(path)
    assert result.kind == "unosat"
    assert result.report["rows_kept"] == 5  # a site without a readable date still counts
    assert result.report["unreadable_dates"] == 2  # "soon" and 31 February
    warning = next(w for w in result.report["warnings"] if "cannot be read" in w)
    assert warning.startswith("2 site assessments") and "'soon'" in warning
    assert "SensDt" in warning


def test_contradictory_date_order_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "sites.geojson"
    dates = ["13/11/2020", "11/13/2020", "05/11/2020", "05/11/2020", "05/11/2020"]
    _sites(SensDt=dates).to_file(path, driver="GeoJSON")
    report = load(path).report
    warning = next(w for w in report["warnings"] if "contradictory" in w)
    assert "sites.geojson" in warning and "'SensDt'" in warning
    assert "'13/11/2020'" in warning and "'11/13/2020'" in warning


def test_round_dates_are_read_day_first(tmp_path: Path) -> None:
    """Written by hand: 13/11/2020 can only be day first, so 05/11/2020 is 5 November."""
    path = tmp_path / "sites.json"
    dates = ["05/11/2020", "13/11/2020", "05/11/2020", "05/11/2020", "05/11/2020"]
    path.write_text(_sites(SensDt=dates).to_json(), encoding="utf-8")
    result = load(path)
    assert result.structures is not None
    assert sorted(result.structures["assessed_on"].dt.strftime("%Y-%m-%d")) == [
        "2020-11-05",
        "2020-11-05",
        "2020-11-05",
        "2020-11-05",
        "2020-11-13",
    ]
    assert result.report["date_order"] == "day first"
    assert json.loads(path.read_text())["features"][0]["properties"]["SensDt"] == "05/11/2020"
