"""Point-in-polygon assignment of structures to units, and counting them into figures."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from damage_data._errors import UsageError
from damage_data.count.assign import assign, structures_to_figures
from damage_data.tables import validate

# two units sharing the edge x = 1
UNITS = gpd.GeoDataFrame(
    {
        "unit_code": ["W", "E"],
        "name": ["West", "East"],
        "level": ["adm2", "adm2"],
        "country": ["XX", "XX"],
    },
    geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
    crs="EPSG:4326",
)


def _structures(points: list[tuple[float, float]], **columns: list[object]) -> gpd.GeoDataFrame:
    n = len(points)
    data: dict[str, object] = {
        "structure_id": [f"s{i}" for i in range(n)],
        "damage": ["destroyed"] * n,
        "structure": ["residential"] * n,
    }
    data.update(columns)
    return gpd.GeoDataFrame(data, geometry=[Point(p) for p in points], crs="EPSG:4326")


def test_inside_boundary_and_outside() -> None:
    structures = _structures([(0.5, 0.5), (1.5, 0.5), (1.0, 0.5), (5.0, 5.0)])
    before = structures.copy()
    assigned, report = assign(structures, UNITS)
    assert assigned["unit_code"].tolist()[:3] == ["W", "E", "W"]
    assert pd.isna(assigned["unit_code"].iloc[3])
    assert assigned["assigned_by"].tolist() == ["inside", "inside", "boundary", "outside"]
    assert (report["inside"], report["boundary"], report["outside"]) == (2, 1, 1)
    assert report["outside_ids"] == ["s3"]
    pd.testing.assert_frame_equal(structures, before)  # the input is not changed


def test_any_index_kept_aligned() -> None:
    structures = _structures([(0.5, 0.5), (1.5, 0.5), (9.0, 9.0)]).set_axis([30, 10, 20])
    assigned, _ = assign(structures, UNITS)
    assert assigned.index.tolist() == [30, 10, 20]
    assert assigned["unit_code"].tolist()[:2] == ["W", "E"]
    assert pd.isna(assigned.loc[20, "unit_code"])


def test_snap_to_nearest_unit_within_distance() -> None:
    structures = _structures([(2.005, 0.5), (2.5, 0.5)])  # ~0.5 km and ~55 km east of E
    assigned, report = assign(structures, UNITS, snap_km=2)
    assert assigned["unit_code"].tolist()[0] == "E"
    assert assigned["assigned_by"].tolist() == ["snapped", "outside"]
    assert 0.4 < assigned["snap_km"].iloc[0] < 0.7
    assert report["snapped"] == 1 and report["outside"] == 1
    with pytest.raises(UsageError, match="positive"):
        assign(structures, UNITS, snap_km=-1)


def test_polygons_by_representative_point_and_any_crs() -> None:
    # an L-shaped building whose centroid falls outside itself, in UTM
    l_shape = box(0.1, 0.1, 0.9, 0.2).union(box(0.1, 0.1, 0.2, 0.9))
    frame = gpd.GeoDataFrame(
        {"structure_id": ["L"], "damage": ["severe"]}, geometry=[l_shape], crs=4326
    ).to_crs("EPSG:32631")
    assigned, _ = assign(frame, UNITS)
    assert assigned["unit_code"].tolist() == ["W"]
    assert assigned.crs == frame.crs  # geometry stays as given


def test_agreement_with_source_admin_label() -> None:
    structures = _structures(
        [(0.5, 0.5), (1.5, 0.5), (0.2, 0.2), (0.3, 0.3)], admin_label=["West", "east", "East", None]
    )
    _, report = assign(structures, UNITS)
    assert report["agreement_checked"] == 3
    assert report["agreement"] == pytest.approx(2 / 3)


def test_bundled_units_by_default() -> None:
    structures = _structures([(46.93, 39.99), (47.1, 39.6), (44.5, 40.18)])
    assigned, _ = assign(structures)
    assert assigned["unit_code"].tolist() == ["AZ-AGM", "AZ-FUZ", "AM-ER"]
    only_az, report = assign(structures, country="AZ")
    assert pd.isna(only_az["unit_code"].iloc[2]) and report["outside"] == 1


def test_bad_inputs() -> None:
    structures = _structures([(0.5, 0.5)])
    with pytest.raises(UsageError, match="no CRS"):
        assign(structures.set_crs(None, allow_override=True), UNITS)
    with pytest.raises(UsageError, match="unit_code, name"):
        assign(structures, UNITS.drop(columns="name"))


def test_structures_to_figures_groups() -> None:
    structures = _structures(
        [(0.5, 0.5), (0.6, 0.5), (0.7, 0.5), (1.5, 0.5), (9, 9)],
        damage=["destroyed", "destroyed", "severe", "destroyed", "destroyed"],
        damage_text=["1", "1", "2", "1", "1"],
        assessed_on=pd.to_datetime(["2024-01-06"] * 5),
        layer=["sites"] * 5,
    )
    assigned, _ = assign(structures, UNITS)
    figures = structures_to_figures(assigned, source_id="src")
    validate(figures)
    key = figures[figures["unit_code"].notna()].set_index(["unit_code", "damage"])["count"]
    assert key.to_dict() == {("E", "destroyed"): 1, ("W", "destroyed"): 2, ("W", "severe"): 1}
    row = figures[(figures["unit_code"] == "W") & (figures["damage"] == "destroyed")].iloc[0]
    assert row["evidence"].startswith("2 structures classed destroyed (1)")
    assert "in layer sites" in row["evidence"]
    assert row["locator"] == ("unit=W; damage=destroyed; structure=residential; layer=sites")
    assert (row["count_unit"], row["level"], row["match"]) == ("structures", "adm2", "code")
    outside = figures[figures["unit_code"].isna()]
    assert outside["flags"].tolist() == ["outside_units;per_structure"]
    assert outside["status"].tolist() == ["needs_review"]
    assert int(figures["count"].sum()) == 5


def test_round_history_never_added() -> None:
    structures = _structures(
        [(0.5, 0.5)] * 3, damage=["moderate", "destroyed", "severe"], round=[1, 2, 3]
    )
    structures["structure_id"] = "site"
    figures = structures_to_figures(assign(structures, UNITS)[0], source_id="s")
    assert figures[["damage", "count"]].values.tolist() == [["severe", 1]]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(-0.5, 2.5), st.floats(-0.5, 1.5)), min_size=1, max_size=40))
def test_every_structure_counted_once(points: list[tuple[float, float]]) -> None:
    structures = _structures(points)
    assigned, report = assign(structures, UNITS)
    assert report["inside"] + report["boundary"] + report["snapped"] + report["outside"] == len(
        points
    )
    figures = structures_to_figures(assigned, source_id="s")
    assert int(figures["count"].sum()) == len(points)
    inside = np.array([(0 <= x <= 2) and (0 <= y <= 1) for x, y in points])
    assert assigned["unit_code"].notna().to_numpy().tolist() == inside.tolist()


def test_a_state_no_structure_is_in_is_zero_for_a_per_structure_product(tmp_path: Path) -> None:
    # L'Aquila survey cells: every building graded, none destroyed, printed blank ("not
    # stated"); rule R10: zero is a number. By hand: E has one destroyed (grade 5) and one
    # undamaged; W two undamaged
    from damage_data import summarise
    from damage_data.pipeline import collect

    table = tmp_path / "s.csv"
    table.write_text(
        "id,lon,lat,damage_state\n1,13.6,42.1,5\n2,13.6,42.1001,0\n3,13.1,42.1,0\n4,13.1,42.1001,0\n",
        encoding="utf-8",
    )
    units = gpd.GeoDataFrame(
        {"unit_code": ["W", "E"], "name": ["West", "East"]},
        geometry=[box(13.0, 42.0, 13.35, 42.2), box(13.35, 42.0, 13.7, 42.2)],
        crs="EPSG:4326",
    )
    rows = summarise(collect([table], units=units, columns={"damage": "damage_state"}))
    rows = rows.set_index("unit_code")
    assert rows.loc["E", ["destroyed", "damaged", "assessed"]].tolist() == [1, 0, 2]
    assert rows.loc["W", ["destroyed", "damaged", "total", "assessed"]].tolist() == [0, 0, 0, 2]
