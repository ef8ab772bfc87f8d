"""The large-data path (damage_data.count.stream) against the naive geopandas pipeline.

The naive reference is what an analyst writes by hand: read the file with geopandas, take a
representative point of polygons, ``sjoin(predicate="intersects")`` with the units, keep the
first unit in table order for points on a shared boundary, classify, ``groupby``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from damage_data._errors import InputError, UsageError
from damage_data.count.stream import UnitGrid, count_structures, is_structure_parquet, points_xy
from damage_data.pipeline import figures_of
from damage_data.places.gazetteer import bundled_units
from damage_data.tables import validate
from damage_data.vocab import classify_damage, classify_structure

REPO = Path(__file__).resolve().parents[1]


def _generator():  # benchmarks/ is not a package: load the generator by path
    spec = importlib.util.spec_from_file_location(
        "bench_generate", REPO / "benchmarks" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def naive_counts(
    frame: gpd.GeoDataFrame,
    units: gpd.GeoDataFrame,
    *,
    damage: str,
    scheme: str,
    structure: str | None = "structure_type",
    by: tuple[str, ...] = (),
) -> pd.Series:
    """unit_code × damage × structure (× by) → count, the slow and obvious way."""
    frame = frame[~(frame.geometry.isna() | frame.geometry.is_empty)].copy()
    frame = frame.to_crs(units.crs)
    points = frame.geometry.where(
        frame.geometry.geom_type == "Point", frame.geometry.representative_point()
    )
    frame = frame.set_geometry(points)
    ranked = units[["unit_code", "geometry"]].assign(order=np.arange(len(units)))
    joined = gpd.sjoin(frame, ranked, predicate="intersects", how="inner")
    joined = joined.reset_index(names="row").sort_values(["row", "order"])
    joined = joined.drop_duplicates("row", keep="first")
    if "sensor_date" in joined.columns:
        joined["as_of"] = pd.to_datetime(joined["sensor_date"]).dt.strftime("%Y-%m-%d")
    joined["damage"] = classify_damage(joined[damage].astype(str), scheme=scheme).to_numpy()
    if structure:
        joined["structure"] = classify_structure(
            joined[structure].astype(object), unknown="other"
        ).to_numpy()
    else:
        joined["structure"] = "any"
    keys = ["unit_code", "damage", "structure", *by]
    for k in keys:
        joined[k] = joined[k].astype(str)
    return joined.groupby(keys).size().rename("count").sort_index()


def as_series(counts: pd.DataFrame, by: tuple[str, ...] = ()) -> pd.Series:
    keys = ["unit_code", "damage", "structure", *by]
    frame = counts.copy()
    for k in keys:
        if pd.api.types.is_datetime64_any_dtype(frame[k]):
            frame[k] = frame[k].dt.strftime("%Y-%m-%d")
        frame[k] = frame[k].astype(str)
    return frame.set_index(keys)["count"].astype("int64").sort_index()


@pytest.fixture(scope="module")
def az_units() -> gpd.GeoDataFrame:
    return bundled_units("AZ")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 synthetic structures over Azerbaijan, some without geometry, 4 row groups."""
    path = tmp_path_factory.mktemp("scale") / "points.parquet"
    return _generator().write_points(3_000, path, seed=7, row_group_rows=800, null_geometry=0.01)


def squares() -> gpd.GeoDataFrame:
    """Four unit squares sharing edges and one corner (0..2 × 0..2), codes in table order."""
    boxes = [shapely.box(x, y, x + 1, y + 1) for y in (0, 1) for x in (0, 1)]
    return gpd.GeoDataFrame(
        {"unit_code": ["SQ-A", "SQ-B", "SQ-C", "SQ-D"], "name": list("ABCD"), "level": "adm1"},
        geometry=boxes,
        crs="EPSG:4326",
    )


def write(frame: gpd.GeoDataFrame, path: Path, **kwargs: object) -> Path:
    frame.to_parquet(path, **kwargs)
    return path


# --- agreement with the naive path --------------------------------------------------------


def test_generated_points_match_naive_sjoin(generated: Path, az_units: gpd.GeoDataFrame) -> None:
    result = count_structures(generated, az_units)
    frame = gpd.read_parquet(generated)
    expected = naive_counts(frame, az_units, damage="damage_class", scheme="unosat", by=("as_of",))
    assert result.report["scheme"] == "unosat"
    assert result.report["columns"]["date"] == "sensor_date"
    pd.testing.assert_series_equal(as_series(result.counts, ("as_of",)), expected)
    nulls = int(frame.geometry.isna().sum())
    assert nulls > 0
    assert result.rows_read == 3_000 == result.rows_kept + result.rows_rejected
    assert result.rows_rejected == nulls == len(result.rejects)
    assert result.outside == result.rows_kept - int(expected.sum())
    assert result.outside > 0  # town clusters spill over the border and the coast


def test_figures_are_a_valid_table(generated: Path, az_units: gpd.GeoDataFrame) -> None:
    result = count_structures(generated, az_units)
    figures = result.figures
    assert validate(figures, "figures", raise_on_error=False).empty
    assert set(figures["count_unit"]) == {"structures"}
    assert (figures["level"].dropna() == "adm1").all()
    assert figures["source_id"].eq(result.sources["source_id"].iloc[0]).all()
    assert figures["source_id"].iloc[0].startswith("sha256:")
    assert int(figures["count"].sum()) == result.rows_kept
    first = figures.iloc[0]
    assert first["locator"] == (
        f"unit={first['unit_code']}; damage={first['damage']}; structure={first['structure']}"
    )
    assert first["evidence"].startswith(f"{first['count']} structures classed {first['damage']}")
    # rule R4: one figure per unit × damage × structure, dated by the unit's latest assessment
    assert not figures.duplicated(["unit_code", "damage", "structure"]).any()
    frame = gpd.read_parquet(generated).sjoin(az_units[["unit_code", "geometry"]], how="inner")
    latest = pd.to_datetime(frame["sensor_date"]).groupby(frame["unit_code"]).max()
    inside = figures[figures["unit_code"].notna()]
    assert (inside["as_of"].to_numpy() == inside["unit_code"].map(latest).to_numpy()).all()
    # structures outside every unit are figures for review, as assign() makes them
    outside = figures[figures["unit_code"].isna()]
    assert int(outside["count"].sum()) == result.outside
    assert outside["flags"].eq("outside_units;per_structure").all()
    assert outside["status"].eq("needs_review").all()


def test_points_on_shared_boundaries_are_counted_once(tmp_path: Path) -> None:
    units = squares()
    xs = [0.5, 1.0, 1.0, 1.0, 0.0, 2.0, 1.5, 3.0, -0.5, 1.0, 0.25]
    ys = [0.5, 0.5, 1.0, 1.5, 0.3, 2.0, 1.0, 3.0, 0.5, 2.0, 1.0]
    frame = gpd.GeoDataFrame(
        {"damage": ["destroyed"] * len(xs), "structure_type": ["house"] * len(xs)},
        geometry=gpd.points_from_xy(xs, ys),
        crs="EPSG:4326",
    )
    result = count_structures(write(frame, tmp_path / "edges.parquet"), units)
    expected = naive_counts(frame, units, damage="damage", scheme="canonical")
    pd.testing.assert_series_equal(as_series(result.counts), expected)
    got = as_series(result.counts).droplevel([1, 2]).to_dict()
    # (1, 0.5) is on A|B: A first; (1, 1) is the corner of all four: A; (1, 1.5) on C|D: C
    assert got == {"SQ-A": 5, "SQ-B": 1, "SQ-C": 2, "SQ-D": 1}
    assert result.outside == 2 and result.rows_rejected == 0


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cells=st.lists(st.tuples(st.integers(-2, 10), st.integers(-2, 10)), min_size=1, max_size=60),
)
def test_lattice_points_match_naive(
    tmp_path_factory: pytest.TempPathFactory, cells: list[tuple[int, int]]
) -> None:
    # a quarter lattice: many points fall exactly on edges and corners of the squares
    path = tmp_path_factory.mktemp("lattice") / "p.parquet"
    xs = [i / 4 for i, _ in cells]
    ys = [j / 4 for _, j in cells]
    frame = gpd.GeoDataFrame(
        {"damage": ["minor"] * len(xs), "structure_type": ["school"] * len(xs)},
        geometry=gpd.points_from_xy(xs, ys),
        crs="EPSG:4326",
    )
    result = count_structures(write(frame, path), squares())
    expected = naive_counts(frame, squares(), damage="damage", scheme="canonical")
    pd.testing.assert_series_equal(as_series(result.counts), expected, check_names=False)
    assert result.outside == len(xs) - int(expected.sum())


def test_polygons_count_at_their_representative_point(tmp_path: Path) -> None:
    units = squares()
    footprints = [
        shapely.box(0.1, 0.1, 0.3, 0.3),  # inside A
        shapely.box(0.9, 0.2, 1.6, 0.4),  # straddles A|B, mostly in B
        shapely.Polygon(
            [(1.2, 1.2), (1.8, 1.2), (1.8, 1.8), (1.7, 1.8), (1.7, 1.3), (1.2, 1.3)]
        ),  # an L in D
        shapely.box(5, 5, 6, 6),  # outside
    ]
    frame = gpd.GeoDataFrame(
        {
            "damage_gra": ["Destroyed", "Damaged", "Possibly damaged", "Destroyed"],
            "obj_type": ["11-Residential Buildings"] * 4,
        },
        geometry=footprints,
        crs="EPSG:4326",
    )
    result = count_structures(write(frame, tmp_path / "poly.parquet"), units)
    expected = naive_counts(
        frame, units, damage="damage_gra", scheme="copernicus_ems", structure="obj_type"
    )
    pd.testing.assert_series_equal(as_series(result.counts), expected)
    assert result.report["scheme"] == "copernicus_ems"
    assert result.outside == 1


def test_projected_file_is_reprojected(tmp_path: Path, az_units: gpd.GeoDataFrame) -> None:
    path = _generator().write_points(
        2_000, tmp_path / "utm.parquet", seed=3, crs="EPSG:32638", row_group_rows=700
    )
    frame = gpd.read_parquet(path)
    assert frame.crs.to_epsg() == 32638
    result = count_structures(path, az_units)
    expected = naive_counts(frame, az_units, damage="damage_class", scheme="unosat", by=("as_of",))
    pd.testing.assert_series_equal(as_series(result.counts, ("as_of",)), expected)


def test_projected_file_with_the_bundled_units_is_reprojected(tmp_path: Path) -> None:
    # the bundled units are read without geopandas or pyproj (lon/lat); a file in UTM must
    # still be transformed before its points are placed
    path = _generator().write_points(
        2_000, tmp_path / "utm.parquet", seed=5, crs="EPSG:32638", row_group_rows=700
    )
    frame = gpd.read_parquet(path)
    units = bundled_units("AZ")
    result = count_structures(path, country="AZ")
    expected = naive_counts(frame, units, damage="damage_class", scheme="unosat", by=("as_of",))
    pd.testing.assert_series_equal(as_series(result.counts, ("as_of",)), expected)


@pytest.mark.parametrize(
    ("crs", "lonlat"),
    [
        (None, True),
        ("EPSG:4326", True),
        ("OGC:CRS84", True),
        ('{"type": "GeographicCRS", "id": {"authority": "OGC", "code": "CRS84"}}', True),
        ('{"type": "GeographicCRS", "id": {"authority": "EPSG", "code": 4326}}', True),
        ('{"type": "ProjectedCRS", "id": {"authority": "EPSG", "code": 32638}}', False),
        ("EPSG:32638", False),
        ('{"type": "GeographicCRS", "name": "no id"}', False),
        ("{not json", False),
    ],
)
def test_lonlat_is_recognised_without_pyproj(crs: str | None, lonlat: bool) -> None:
    from damage_data.count.stream import _is_lonlat

    assert _is_lonlat(crs) is lonlat


def test_geoarrow_and_lonlat_files(
    tmp_path: Path, generated: Path, az_units: gpd.GeoDataFrame
) -> None:
    frame = gpd.read_parquet(generated)
    frame = frame[frame.geometry.notna()]
    expected = count_structures(generated, az_units).counts
    geoarrow = write(frame, tmp_path / "ga.parquet", geometry_encoding="geoarrow")
    pd.testing.assert_frame_equal(count_structures(geoarrow, az_units).counts, expected)
    plain = pd.DataFrame(frame.drop(columns="geometry")).assign(
        lon=frame.geometry.x, lat=frame.geometry.y
    )
    lonlat = tmp_path / "lonlat.parquet"
    plain.to_parquet(lonlat)
    result = count_structures(lonlat, az_units)
    pd.testing.assert_frame_equal(result.counts, expected)
    assert any("EPSG:4326" in w for w in result.report["warnings"])


def test_dates_can_be_left_out(generated: Path, az_units: gpd.GeoDataFrame) -> None:
    by_date = count_structures(generated, az_units, date_column="sensor_date")
    undated = count_structures(generated, az_units, date_column=False)
    assert undated.counts["as_of"].isna().all()
    assert undated.figures["as_of"].isna().all()
    summed = by_date.counts.groupby(["unit_code", "damage", "structure"], observed=True)[
        "count"
    ].sum()
    pd.testing.assert_series_equal(
        as_series(undated.counts.drop(columns="as_of")), as_series(summed.reset_index())
    )
    # dates never multiply the figures: the same figures with and without dates
    keys = ["unit_code", "damage", "structure", "count"]

    def rows(f: pd.DataFrame) -> list[tuple[str, ...]]:
        return sorted(tuple(str(v) for v in row) for row in f[keys].itertuples(index=False))

    assert rows(by_date.figures) == rows(undated.figures)
    assert by_date.figures["flags"].str.contains("per_structure").all()  # disjoint: they add


def test_same_figures_as_the_in_memory_path(generated: Path, az_units: gpd.GeoDataFrame) -> None:
    from damage_data.readers import load

    keys = ["unit_code", "damage", "structure", "as_of"]
    slow = figures_of(load(generated), units=az_units)
    fast = count_structures(generated, az_units).figures

    def tidy(f: pd.DataFrame) -> pd.Series:
        f = f.assign(unit_code=f["unit_code"].fillna("(outside)"))
        return as_series(f[[*keys, "count"]], ("as_of",))

    pd.testing.assert_series_equal(tidy(fast), tidy(slow))
    # one counting path: the same figure ids and locators whichever way the file came in
    assert sorted(fast["figure_id"]) == sorted(slow["figure_id"])


# --- rejects ------------------------------------------------------------------------------


def test_rejects_have_one_reason_per_row(tmp_path: Path) -> None:
    units = squares()
    wkb = [
        shapely.to_wkb(shapely.Point(0.5, 0.5)),
        None,
        b"\x01junk",
        shapely.to_wkb(shapely.Point()),
        shapely.to_wkb(shapely.Point(1.5, 0.5)),
        shapely.to_wkb(shapely.Point(0.5, 1.5, 7.0)),
    ]
    table = pa.table(
        {
            "geometry": pa.array(wkb, pa.binary()),
            "damage": ["destroyed", "destroyed", "destroyed", "minor", "bogus", None],
        }
    )
    path = tmp_path / "dirty.parquet"
    pq.write_table(table, path)
    result = count_structures(path, units)
    assert result.rows_read == 6 == result.rows_kept + result.rows_rejected
    assert result.rows_kept == 1
    reasons = dict(zip(result.rejects["locator"], result.rejects["reason"], strict=True))
    assert reasons["row 1"].startswith("missing geometry")
    assert reasons["row 2"].startswith("unreadable geometry")
    assert reasons["row 3"].startswith("empty geometry")
    assert reasons["row 4"].startswith("unknown damage label for scheme canonical")
    assert "destroyed" in reasons["row 4"]  # the known labels are listed
    assert reasons["row 5"].startswith("missing damage label")
    assert result.rejects.set_index("locator").loc["row 4", "value"] == "bogus"
    assert sum(result.report["reasons"].values()) == 5
    assert any("no CRS" in w for w in result.report["warnings"])


def test_unknown_structure_labels_count_as_other(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"damage": ["destroyed", "destroyed"], "structure_type": ["house", "yurt"]},
        geometry=gpd.points_from_xy([0.5, 0.6], [0.5, 0.5]),
        crs="EPSG:4326",
    )
    result = count_structures(write(frame, tmp_path / "s.parquet"), squares())
    assert as_series(result.counts).to_dict() == {
        ("SQ-A", "destroyed", "other"): 1,
        ("SQ-A", "destroyed", "residential"): 1,
    }
    assert any("yurt" in w for w in result.report["warnings"])


# --- invariants ---------------------------------------------------------------------------


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch_rows=st.integers(min_value=97, max_value=4_000), workers=st.sampled_from([1, 2]))
def test_batch_size_does_not_change_results(
    generated: Path, az_units: gpd.GeoDataFrame, batch_rows: int, workers: int
) -> None:
    reference = count_structures(generated, az_units, batch_rows=4_096, workers=1)
    result = count_structures(generated, az_units, batch_rows=batch_rows, workers=workers)
    pd.testing.assert_frame_equal(result.counts, reference.counts)
    assert (result.rows_read, result.rows_kept, result.rows_rejected, result.outside) == (
        reference.rows_read,
        reference.rows_kept,
        reference.rows_rejected,
        reference.outside,
    )
    assert sorted(result.rejects["locator"]) == sorted(reference.rejects["locator"])


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_grid_agrees_with_exact_tests(az_units: gpd.GeoDataFrame, seed: int) -> None:
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = az_units.total_bounds
    x = rng.uniform(minx - 0.1, maxx + 0.1, 2_000)
    y = rng.uniform(miny - 0.1, maxy + 0.1, 2_000)
    # vertices of the boundaries themselves: the hardest points
    coords = shapely.get_coordinates(az_units.geometry.to_numpy())
    pick = rng.choice(len(coords), 200)
    x = np.concatenate([x, coords[pick, 0]])
    y = np.concatenate([y, coords[pick, 1]])
    grid = UnitGrid(az_units.geometry.to_numpy(), cells=1 << 16)
    expected = np.full(len(x), -1)
    for u, geom in reversed(list(enumerate(az_units.geometry))):
        expected[shapely.intersects_xy(geom, x, y)] = u
    np.testing.assert_array_equal(grid.locate(x, y), expected)


def test_wkb_points_are_decoded_without_shapely() -> None:
    points = [shapely.Point(44.5, 40.1), shapely.Point(-1e-300, 1e300)]
    x, y, status = points_xy(pa.array(shapely.to_wkb(points), pa.binary()))
    assert x.tolist() == [44.5, -1e-300] and y.tolist() == [40.1, 1e300]
    assert status.tolist() == [0, 0]


# --- the dask engine ----------------------------------------------------------------------


def test_dask_engine_on_a_local_cluster_matches_local(
    generated: Path, az_units: gpd.GeoDataFrame
) -> None:
    pytest.importorskip("distributed")
    local = count_structures(generated, az_units)
    spread = count_structures(generated, az_units, engine="dask", workers=2)
    pd.testing.assert_frame_equal(spread.counts, local.counts)
    pd.testing.assert_frame_equal(spread.figures, local.figures)
    assert (spread.rows_read, spread.rows_kept, spread.rows_rejected, spread.outside) == (
        local.rows_read,
        local.rows_kept,
        local.rows_rejected,
        local.outside,
    )
    assert sorted(spread.rejects["locator"]) == sorted(local.rejects["locator"])
    assert spread.report["engine"] == "dask"


# --- routing and errors -------------------------------------------------------------------


def test_is_structure_parquet(generated: Path, tmp_path: Path) -> None:
    assert is_structure_parquet(generated)
    assert not is_structure_parquet(tmp_path / "missing.parquet")
    no_damage = tmp_path / "roads.parquet"
    gpd.GeoDataFrame({"name": ["a"]}, geometry=gpd.points_from_xy([0], [0]), crs=4326).to_parquet(
        no_damage
    )
    assert not is_structure_parquet(no_damage)
    rounds = tmp_path / "unosat_rounds.parquet"
    gpd.GeoDataFrame(
        {"Main_Damage_Site_Class": [1], "Main_Damage_Site_Class_2": [2]},
        geometry=gpd.points_from_xy([0], [0]),
        crs=4326,
    ).to_parquet(rounds)
    assert not is_structure_parquet(rounds)
    text = tmp_path / "notes.parquet"
    text.write_text("not parquet")
    assert not is_structure_parquet(text)
    with pytest.raises(UsageError, match="several UNOSAT assessment rounds"):
        count_structures(rounds)


def test_errors_name_the_file_and_the_fix(generated: Path, tmp_path: Path) -> None:
    no_damage = tmp_path / "roads.parquet"
    gpd.GeoDataFrame({"name": ["a"]}, geometry=gpd.points_from_xy([0], [0]), crs=4326).to_parquet(
        no_damage
    )
    with pytest.raises(InputError, match=r"roads\.parquet: no damage column.*columns are: name"):
        count_structures(no_damage, squares())
    with pytest.raises(UsageError, match="known schemes: auto, canonical"):
        count_structures(generated, squares(), scheme="nope")
    with pytest.raises(UsageError, match="known engines: local, dask"):
        count_structures(generated, squares(), engine="spark")
    with pytest.raises(UsageError, match="no structure column 'kind'"):
        count_structures(generated, squares(), structure_column="kind")
    with pytest.raises(InputError, match="no such file"):
        count_structures(tmp_path / "absent.parquet", squares())
    metres = tmp_path / "metres.parquet"
    pd.DataFrame({"x": [500_000.0], "y": [4_400_000.0], "damage": ["destroyed"]}).to_parquet(metres)
    with pytest.raises(InputError, match="not longitude/latitude"):
        count_structures(metres, squares())


def test_merging_batch_counts_keeps_results(
    generated: Path, az_units: gpd.GeoDataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    import damage_data.count.batch as batch

    reference = count_structures(generated, az_units, batch_rows=250, workers=1)
    monkeypatch.setattr(batch, "_MERGE_EVERY", 2)
    monkeypatch.setattr(batch, "_MERGE_ROWS", 10)
    merged = count_structures(generated, az_units, batch_rows=250, workers=2)
    pd.testing.assert_frame_equal(merged.figures, reference.figures)
    pd.testing.assert_frame_equal(merged.rejects, reference.rejects)


def test_assign_partitions_matches_assign(generated: Path, az_units: gpd.GeoDataFrame) -> None:
    dask_geopandas = pytest.importorskip("dask_geopandas")
    from damage_data.count.assign import assign
    from damage_data.count.dask import assign_partitions

    frame = gpd.read_parquet(generated)
    frame = frame[frame.geometry.notna()].reset_index(drop=True)
    spread = assign_partitions(dask_geopandas.from_geopandas(frame, npartitions=3), az_units)
    got = spread.compute(scheduler="threads")
    expected, _ = assign(frame, az_units)
    assert got["unit_code"].fillna("-").tolist() == expected["unit_code"].fillna("-").tolist()
    assert got["unit_code"].notna().sum() > 0.9 * len(frame)


def test_folders_arrow_files_and_large_binary(
    generated: Path, az_units: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    import pyarrow.feather as feather

    expected = count_structures(generated, az_units)
    table = pq.read_table(generated)
    folder = tmp_path / "parts"
    folder.mkdir()
    pq.write_table(table.slice(0, 1_000), folder / "a.parquet")
    pq.write_table(table.slice(1_000), folder / "b.parquet")
    assert is_structure_parquet(folder)
    feather.write_feather(table, tmp_path / "points.arrow")
    large = table.set_column(
        table.schema.get_field_index("geometry"),
        "geometry",
        table.column("geometry").cast(pa.large_binary()),
    )
    pq.write_table(large, tmp_path / "large.parquet")
    for path in (folder, tmp_path / "points.arrow", tmp_path / "large.parquet"):
        got = count_structures(path, az_units)
        pd.testing.assert_frame_equal(got.counts, expected.counts)
        assert (got.rows_read, got.rows_rejected) == (expected.rows_read, expected.rows_rejected)
    empty = tmp_path / "empty.parquet"
    pq.write_table(table.slice(0, 0), empty)
    nothing = count_structures(empty, az_units)
    assert nothing.rows_read == 0 and nothing.figures.empty and nothing.counts.empty


def _table(rows: list[tuple[int, int, int, int, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["unit", "damage_id", "structure_id", "day", "count"])
    return frame.astype(
        {"unit": "int32", "damage_id": "int32", "structure_id": "int32", "day": "int64"}
    )


def test_tally_adds_batches_that_reveal_labels_and_dates_as_they_come() -> None:
    """Later batches bring new label ids, earlier and later days and undated rows."""
    from damage_data.count.batch import _NAT, Tally

    batches = [
        [(0, 0, 1, 18_600, 3), (1, 0, 1, 18_600, 2)],
        [(0, 0, 1, 18_600, 4), (0, 2, 3, 18_590, 1), (2, 0, 1, _NAT, 5)],  # an earlier day
        [(1, 4, 1, 18_700, 7), (0, 0, 1, _NAT, 1)],  # a later day, a new label id
    ]
    tally = Tally(3)
    for rows in batches:
        assert tally.add(_table(rows))
    got = tally.table().sort_values(["unit", "damage_id", "structure_id", "day"])
    # by hand: (0,0,1,18600) 3+4; the rest once each
    expected = _table(
        [
            (0, 0, 1, _NAT, 1),
            (0, 0, 1, 18_600, 7),
            (0, 2, 3, 18_590, 1),
            (1, 0, 1, 18_600, 2),
            (1, 4, 1, 18_700, 7),
            (2, 0, 1, _NAT, 5),
        ]
    ).sort_values(["unit", "damage_id", "structure_id", "day"])
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True))


def test_tally_refuses_what_would_not_fit_and_keeps_what_it_has() -> None:
    from damage_data.count.batch import Tally

    tally = Tally(2, max_cells=2 * 1 * 2 * 11)  # 2 units, 1 damage id, 2 types, 10 days
    assert tally.add(_table([(0, 0, 1, 100, 2), (1, 0, 0, 109, 1)]))
    assert not tally.add(_table([(0, 0, 1, 200, 5)]))  # 100 days: too many cells
    assert tally.add(_table([(0, 0, 1, 105, 1)]))
    got = tally.table()
    assert got["count"].sum() == 4 and 200 not in got["day"].tolist()


def test_tally_adds_structure_rows_as_a_table_would() -> None:
    """One row per structure (as a batch adds them) gives the same cells as count tables."""
    from damage_data.count.batch import _NAT, Tally

    rng = np.random.default_rng(7)
    n = 5_000
    unit = rng.integers(0, 4, n)
    damage = rng.integers(0, 3, n)
    structure = rng.integers(0, 5, n)
    day = rng.choice(np.array([18_000, 18_030, 18_400, _NAT]), n)
    by_rows = Tally(4)
    for part in np.array_split(np.arange(n), 3):  # three batches
        assert by_rows.add_rows(unit[part], damage[part], structure[part], day[part])
    frame = pd.DataFrame({"unit": unit, "damage_id": damage, "structure_id": structure, "day": day})
    expected = (
        frame.groupby(["unit", "damage_id", "structure_id", "day"]).size().rename("count")
    ).reset_index()
    key = ["unit", "damage_id", "structure_id", "day"]
    got = by_rows.table().sort_values(key).reset_index(drop=True)
    expected = expected.sort_values(key).reset_index(drop=True)
    assert got[key].astype("int64").equals(expected[key].astype("int64"))
    assert got["count"].tolist() == expected["count"].tolist()
    undated = Tally(1)
    assert undated.add_rows(np.zeros(3, int), np.zeros(3, int), np.ones(3, int), None)
    assert undated.table()["count"].tolist() == [3]


def test_bare_number_codes_are_not_guessed_when_streaming(tmp_path: Path) -> None:
    # the streamed path picks its scale from the labels as the readers do: 0-3 are a guess
    # (EMS-98 or a recode whose 3 is destroyed), 1/2/3/6 are UNOSAT's codes
    units = squares()
    frame = gpd.GeoDataFrame(
        {"damage": ["3", "0", "1", "2"]},
        geometry=gpd.points_from_xy([0.5, 1.5, 0.5, 1.5], [0.5, 0.5, 1.5, 1.5]),
        crs="EPSG:4326",
    )
    path = write(frame, tmp_path / "codes.parquet")
    with pytest.raises(InputError, match="only numbers"):
        count_structures(path, units)
    stated = count_structures(path, units, scheme="ems98")
    assert stated.counts["count"].sum() == 4
    frame["damage"] = ["1", "6", "2", "6"]
    result = count_structures(write(frame, tmp_path / "unosat.parquet"), units)
    by_state = as_series(result.counts).groupby(level=1).sum().to_dict()
    assert by_state == {"destroyed": 1, "none": 2, "severe": 1}
