"""Tests of the damage register (GeoPackage): ingest, versions, crash safety, reading, CLI."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from damage_data._errors import (
    InputError,
    PlaceResolutionError,
    RegisterError,
    UsageError,
    ValidationError,
)
from damage_data.cli import main
from damage_data.example import example_figures, example_sources
from damage_data.register import (
    HISTORY_COLUMNS,
    SCHEMA_VERSION,
    explain_unit,
    history,
    ingest,
    read_register,
    read_structures,
    read_units,
    register_sources,
    schema_version,
)
from damage_data.tables import COLUMNS, make_figures, make_table
from damage_data.vocab import DAMAGE_STATES, QUALIFIERS, STRUCTURE_TYPES

# --- helpers --------------------------------------------------------------------------------


def _pair(
    source_id: str = "s1",
    counts: tuple[int, ...] = (47, 11),
    *,
    title: str = "Statement",
    unit: str = "AZ-CAB",
    as_of: str = "2020-11-24",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    figures = make_figures(
        [
            {
                "figure_id": f"{source_id}-{i}",
                "source_id": source_id,
                "locator": f"row {i}",
                "evidence": f"{n} buildings",
                "unit_code": unit,
                "level": "adm1",
                "match": "code",
                "damage": "damaged" if i == 0 else "destroyed",
                "count": n,
                "cumulative": True,
                "as_of": as_of,
            }
            for i, n in enumerate(counts)
        ]
    )
    sources = make_table(
        "sources",
        [
            {
                "source_id": source_id,
                "title": title,
                "publisher": "Agency",
                "published": as_of,
                "method": "official_statement",
            }
        ],
    )
    return figures, sources


def _dump(path: Path) -> list[str]:
    """Every statement that rebuilds the register's tables and rows, in order."""
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


# --- ingest and read back -------------------------------------------------------------------


def test_example_reads_back_identical(tmp_path: Path) -> None:
    reg = tmp_path / "r.gpkg"
    figures, sources = example_figures(), example_sources()
    [result] = ingest(reg, [(figures, sources)])
    assert result.status == "added"
    assert result.figures == len(figures)
    assert set(result.source_ids) == set(sources["source_id"])
    got_figures, got_sources = read_register(reg)
    pd.testing.assert_frame_equal(got_figures, figures)
    standard = [c for c in COLUMNS["sources"] if c != "sha256"]
    pd.testing.assert_frame_equal(got_sources[standard], sources[standard])
    # identity: every source got a content hash, all different
    assert got_sources["sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert got_sources["sha256"].is_unique
    assert got_sources["version"].tolist() == [1] * len(sources)


_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
_figure_rows = st.lists(
    st.fixed_dictionaries(
        {
            "place_text": st.one_of(st.none(), _text),
            "unit_code": st.one_of(st.none(), st.sampled_from(["AZ-CAB", "AZ-FUZ", "UA-14"])),
            "damage": st.sampled_from(DAMAGE_STATES),
            "structure": st.sampled_from(STRUCTURE_TYPES),
            "qualifier": st.sampled_from(QUALIFIERS),
            "count": st.one_of(st.none(), st.integers(0, 2**40)),
            "cumulative": st.one_of(st.none(), st.booleans()),
            # ISO text, as readers give dates
            "as_of": st.one_of(
                st.none(),
                st.dates(
                    min_value=pd.Timestamp("1990-01-01").date(),
                    max_value=pd.Timestamp("2030-12-31").date(),
                ).map(lambda d: d.isoformat()),
            ),
            "evidence": st.one_of(st.none(), _text),
        }
    ),
    min_size=0,
    max_size=8,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=_figure_rows)
def test_any_figures_table_round_trips(
    tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, object]]
) -> None:
    reg = tmp_path_factory.mktemp("reg") / "r.gpkg"
    figures = make_figures(
        [{"source_id": "s", "locator": f"row {i}", **r} for i, r in enumerate(rows)]
    )
    ingest(reg, [(figures, make_table("sources", [{"source_id": "s"}]))])
    got, _ = read_register(reg)
    pd.testing.assert_frame_equal(got, figures)


def test_same_content_twice_changes_nothing(tmp_path: Path) -> None:
    reg = tmp_path / "r.gpkg"
    pair = (example_figures(), example_sources())
    ingest(reg, [pair])
    before_rows, before_bytes = _dump(reg), _sha(reg)
    results = ingest(reg, [pair, pair])
    assert [r.status for r in results] == ["unchanged", "unchanged"]
    assert all(r.figures == 0 and r.structures == 0 for r in results)
    assert all(s == "unchanged" for r in results for _, s in r.source_status)
    assert _dump(reg) == before_rows
    assert _sha(reg) == before_bytes
    assert sorted(os.listdir(tmp_path)) == ["r.gpkg"]  # no -wal/-shm left behind


def test_changed_source_becomes_new_version(tmp_path: Path) -> None:
    reg = tmp_path / "r.gpkg"
    ingest(reg, [_pair("s1", (47, 11))])
    [result] = ingest(reg, [_pair("s1", (50, 12))])
    assert result.status == "new version"
    assert result.supersedes == ("s1",)
    [new_id] = result.source_ids
    assert new_id != "s1"

    figures, sources = read_register(reg)
    assert sources["source_id"].tolist() == [new_id]
    assert sorted(figures["count"].tolist()) == [12, 50]
    assert set(figures["source_id"]) == {new_id}
    assert figures["figure_id"].is_unique

    everything, all_sources = read_register(reg, include_superseded=True)
    assert sorted(everything["count"].tolist()) == [11, 12, 47, 50]
    listed = register_sources(reg).set_index("source_id")
    assert listed.loc["s1", "current"] == False  # noqa: E712 - pandas boolean
    assert listed.loc[new_id, "version"] == 2
    assert listed.loc[new_id, "supersedes"] == "s1"
    assert "supersedes s1" in listed.loc[new_id, "notes"]
    assert listed["figures"].tolist() == [2, 2]
    assert len(all_sources) == 2

    # the same change again is a no-op; a third change is version 3 of the same lineage
    assert ingest(reg, [_pair("s1", (50, 12))])[0].status == "unchanged"
    [third] = ingest(reg, [_pair("s1", (51, 12))])
    assert third.supersedes == (new_id,)
    assert register_sources(reg).set_index("source_id").loc[third.source_ids[0], "version"] == 3


def test_reverted_content_keeps_the_newer_version_current(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    reg = tmp_path / "r.gpkg"
    ingest(reg, [_pair("s1", (47,))])
    [v2] = ingest(reg, [_pair("s1", (50,))])
    before = _dump(reg)
    with caplog.at_level("WARNING", logger="damage_data.register"):
        [again] = ingest(reg, [_pair("s1", (47,))])
    assert again.status == "unchanged"
    assert again.source_ids == ("s1",)
    assert f"superseded; {v2.source_ids[0]} stays current" in caplog.text
    assert _dump(reg) == before


def test_same_title_and_publisher_is_a_new_version(tmp_path: Path) -> None:
    reg = tmp_path / "r.gpkg"
    ingest(reg, [_pair("a", (5,), title="Daily update")])
    [same_title] = ingest(reg, [_pair("b", (6,), title="Daily  update")])
    assert same_title.status == "new version"
    assert same_title.source_ids == ("b",)  # its own id is free, so it keeps it
    [other] = ingest(reg, [_pair("c", (7,), title="Weekly update")])
    assert other.status == "added"
    # inputs given together under one --source-title are distinct sources, not versions
    together = ingest(reg, [_pair("d", (8,)), _pair("e", (9,))], title="Ministry table")
    assert [r.status for r in together] == ["added", "added"]
    assert {"d", "e"} <= set(read_register(reg)[1]["source_id"])


def test_cites_follow_the_current_version(tmp_path: Path) -> None:
    reg = tmp_path / "r.gpkg"
    ingest(reg, [_pair("primary", (47,))])
    ingest(reg, [_pair("relay", (40,), title="Relay")], cites="primary")
    [v2] = ingest(reg, [_pair("primary", (48,))])
    _, sources = read_register(reg)
    assert sources.set_index("source_id").loc["relay", "cites"] == v2.source_ids[0]
    _, all_sources = read_register(reg, include_superseded=True)
    assert all_sources.set_index("source_id").loc["relay", "cites"] == "primary"


def test_metadata_options_override_the_reader(tmp_path: Path) -> None:
    reg = tmp_path / "r.gpkg"
    ingest(
        reg,
        [_pair("s1")],
        title="Press release",
        publisher="Ministry",
        published="2020-11-25",
        url="https://example.org/x",
        method="press",
    )
    row = register_sources(reg).iloc[0]
    assert (row["title"], row["publisher"], row["url"], row["method"]) == (
        "Press release",
        "Ministry",
        "https://example.org/x",
        "press",
    )
    assert row["published"] == pd.Timestamp("2020-11-25")


def test_figure_ids_taken_by_another_source_get_fresh_ids(tmp_path: Path) -> None:
    reg = tmp_path / "r.gpkg"
    first = _pair("s1", (3, 2))
    clash = make_figures(
        first[0].assign(
            source_id="s2",
            count=[5, 4],
            count_min=[5, 4],
            count_max=[5, 4],
            subset_of=[pd.NA, first[0]["figure_id"][0]],
        )
    )
    ingest(reg, [first])
    ingest(reg, [(clash, make_table("sources", [{"source_id": "s2", "title": "Other"}]))])
    figures, _ = read_register(reg)
    assert figures["figure_id"].is_unique
    s2 = figures[figures["source_id"] == "s2"].reset_index(drop=True)
    # the subset link moved with its parent's new id
    assert s2.loc[1, "subset_of"] == s2.loc[0, "figure_id"]
    assert s2.loc[0, "figure_id"] != first[0]["figure_id"][0]


# --- errors ---------------------------------------------------------------------------------


def test_files_that_are_not_registers(tmp_path: Path) -> None:
    junk = tmp_path / "junk.gpkg"
    junk.write_bytes(b"not a database at all" * 10)
    with pytest.raises(RegisterError, match="not a GeoPackage"):
        read_register(junk)
    with pytest.raises(RegisterError, match="not a GeoPackage"):
        ingest(junk, [_pair()])
    assert junk.read_bytes() == b"not a database at all" * 10

    plain = tmp_path / "plain.sqlite"
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.close()
    plain_bytes = plain.read_bytes()
    with pytest.raises(RegisterError, match="SQLite file but not a GeoPackage"):
        register_sources(plain)
    with pytest.raises(RegisterError, match="SQLite file but not a GeoPackage"):
        ingest(plain, [_pair()])
    assert plain.read_bytes() == plain_bytes  # someone else's file is never touched

    other = tmp_path / "other.gpkg"
    gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(0, 0)], crs=4326).to_file(other)
    other_bytes = other.read_bytes()
    with pytest.raises(RegisterError, match="not a damage register"):
        ingest(other, [_pair()])
    assert other.read_bytes() == other_bytes

    with pytest.raises(RegisterError, match="no register at"):
        history(tmp_path / "missing.gpkg", "AZ-CAB")
    assert not (tmp_path / "missing.gpkg").exists()


def test_register_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    reg = tmp_path / "r.gpkg"
    ingest(reg, [_pair()])
    assert schema_version(reg) == SCHEMA_VERSION
    con = sqlite3.connect(reg)
    con.execute(
        "UPDATE damage_data_register SET value=? WHERE key='schema_version'",
        (str(SCHEMA_VERSION + 1),),
    )
    con.commit()
    con.close()
    with pytest.raises(RegisterError, match="newer damage_data") as info:
        read_register(reg)
    assert str(reg) in str(info.value)


def test_hand_edited_register_gives_clear_errors(tmp_path: Path) -> None:
    reg = tmp_path / "r.gpkg"
    ingest(reg, [_Loaded()])
    con = sqlite3.connect(reg)
    con.execute("UPDATE figures SET damage='smashed'")
    con.execute("UPDATE structures SET geom=X'47500001E6100000FFFF'")
    con.commit()
    con.close()
    with pytest.raises(RegisterError, match=r"r\.gpkg holds values.*'smashed'.*known values"):
        read_register(reg)
    with pytest.raises(RegisterError, match=r"layer structures.*damaged geometry blob"):
        read_structures(reg)


def test_an_empty_file_becomes_a_register(tmp_path: Path) -> None:
    """A 0-byte file holds nothing to take over (``touch r.gpkg`` first is common)."""
    reg = tmp_path / "r.gpkg"
    reg.touch()
    assert ingest(reg, [_pair()])[0].status == "added"
    assert schema_version(reg) == SCHEMA_VERSION


def test_an_empty_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "theirs.sqlite"
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 3")  # a valid database without a table
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(RegisterError, match=r"SQLite file but not a GeoPackage.*left as it is"):
        ingest(path, [_pair()])
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["theirs.sqlite"]


def test_a_register_whose_creation_was_killed_is_finished(tmp_path: Path) -> None:
    """Creation stamps the file as a GeoPackage first: a stamped file without any table is
    a register whose creation was interrupted (or is under way in another ingest)."""
    reg = tmp_path / "r.gpkg"
    _execute(reg, f"PRAGMA application_id={0x47504B47}")
    assert reg.stat().st_size > 0
    assert ingest(reg, [_pair()])[0].status == "added"
    assert register_sources(reg)["source_id"].tolist() == ["s1"]


def test_a_register_missing_a_table_is_refused(tmp_path: Path) -> None:
    reg = tmp_path / "r.gpkg"
    ingest(reg, [_pair()])
    _execute(reg, "DROP TABLE units", "DELETE FROM gpkg_geometry_columns WHERE table_name='units'")
    with pytest.raises(RegisterError, match=r"lacks its table.*units"):
        read_register(reg)


# --- triggers and views -----------------------------------------------------------------------


def _execute(path: Path, *statements: str) -> None:
    con = sqlite3.connect(path)
    try:
        for statement in statements:
            con.execute(statement)
        con.commit()
    finally:
        con.close()


@pytest.mark.parametrize(
    "planted",
    [
        # named like GDAL's spatial index, but writing elsewhere
        'CREATE TRIGGER "rtree_structures_geom_insert" AFTER INSERT ON "structures" '
        "BEGIN DELETE FROM figures; END",
        # the right body, on a table that is not a layer
        'CREATE TRIGGER "rtree_figures_geom_delete" AFTER DELETE ON "figures" '
        'BEGIN DELETE FROM "rtree_figures_geom" WHERE id = OLD."fid"; END',
        # named like GDAL's feature count, doing something else
        'CREATE TRIGGER "trigger_insert_feature_count_figures" AFTER INSERT ON "figures" '
        "BEGIN UPDATE gpkg_contents SET description = ''; END",
        # GDAL's feature count with a comment hidden in it
        'CREATE TRIGGER "trigger_delete_feature_count_figures" AFTER DELETE ON "figures" '
        "BEGIN UPDATE gpkg_ogr_contents SET feature_count = feature_count - 1 /* x */ "
        "WHERE lower(table_name) = lower('figures'); END",
        # a feature count for another table than the one it is on
        'CREATE TRIGGER "trigger_insert_feature_count_units" AFTER INSERT ON "figures" '
        "BEGIN UPDATE gpkg_ogr_contents SET feature_count = feature_count + 1 "
        "WHERE lower(table_name) = lower('units'); END",
        # a temporary-looking name is no excuse
        "CREATE TRIGGER tmp AFTER UPDATE ON sources BEGIN SELECT 1; END",
        "CREATE VIEW current_figures AS SELECT * FROM figures",
    ],
)
def test_triggers_and_views_of_someone_else_are_refused(tmp_path: Path, planted: str) -> None:
    reg = tmp_path / "r.gpkg"
    ingest(reg, [_pair("s1")])
    _execute(reg, "CREATE TABLE gpkg_ogr_contents (table_name TEXT PRIMARY KEY, feature_count)")
    _execute(reg, planted)
    before = _dump(reg)
    name = planted.split()[2].strip('"')
    with pytest.raises(RegisterError, match=rf"holds a (trigger|view) '{name}'"):
        ingest(reg, [_pair("s2")])
    with pytest.raises(RegisterError, match=r"DROP (TRIGGER|VIEW)"):
        read_register(reg)
    assert _dump(reg) == before


def test_bad_inputs_write_nothing(tmp_path: Path) -> None:
    reg = tmp_path / "r.gpkg"
    ingest(reg, [_pair("s1")])
    before = _dump(reg)
    figures, _ = _pair("s2")
    with pytest.raises(InputError, match=r"'s2'.*not among the input's sources"):
        ingest(reg, [(figures, make_table("sources", [{"source_id": "s3"}]))])
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        ingest(reg, [_pair("s4")], published="25/11/2020")
    with pytest.raises(UsageError, match="known methods: field_survey"):
        ingest(reg, [_pair("s4")], method="rumour")
    with pytest.raises(RegisterError, match=r"cites source 'nobody'.*known source ids: s1"):
        ingest(reg, [_pair("s5")], cites="nobody")
    broken = make_figures([{"source_id": "s6", "damage": "destroyed", "count": 5, "count_max": 2}])
    with pytest.raises(ValidationError, match=r"count_min above count_max|count above"):
        ingest(reg, [(broken, make_table("sources", [{"source_id": "s6"}]))])
    with pytest.raises(InputError, match="does not exist"):
        ingest(reg, [tmp_path / "nope.csv"])
    assert _dump(reg) == before


def test_one_transaction_per_input(tmp_path: Path) -> None:
    """A failing input leaves the inputs before it in the register, and writes nothing itself."""
    reg = tmp_path / "r.gpkg"
    bad = (_pair("s2")[0], make_table("sources", [{"source_id": "other"}]))
    with pytest.raises(InputError):
        ingest(reg, [_pair("s1"), bad, _pair("s3")])
    assert register_sources(reg)["source_id"].tolist() == ["s1"]


# --- crash safety ---------------------------------------------------------------------------

_CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import damage_data.register.gpkg as gpkg
    import damage_data.register.write as reg
    from damage_data.tables import make_figures, make_table

    register, marker = sys.argv[1], sys.argv[2]
    connect = gpkg._connect

    def small_cache(path):
        con = connect(path)
        con.execute("PRAGMA cache_size=2")  # spill written pages out before COMMIT
        return con

    write = reg._write_figures

    def write_then_wait(con, figures):
        write(con, figures)
        Path(marker).write_text("inside the transaction")
        time.sleep(120)

    gpkg._connect = small_cache
    reg._write_figures = write_then_wait
    figures = make_figures([{"source_id": "big", "unit_code": f"AZ-{i % 50:02d}",
                             "damage": "destroyed", "count": i, "locator": f"row {i}",
                             "evidence": "x" * 200} for i in range(3000)])
    sources = make_table("sources", [{"source_id": "big", "title": "Big"}])
    reg.ingest(register, [(figures, sources)])
""")


def test_killed_ingest_leaves_register_as_it_was(tmp_path: Path) -> None:
    reg = tmp_path / "r.gpkg"
    ingest(reg, [(example_figures(), example_sources())])
    before_rows, before_bytes = _dump(reg), _sha(reg)
    script, marker = tmp_path / "child.py", tmp_path / "inside"
    script.write_text(_CHILD)
    child = subprocess.Popen([sys.executable, str(script), str(reg), str(marker)])
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert child.poll() is None, "the ingest ended before it could be killed"
            assert time.monotonic() < deadline, "the ingest never reached its pause"
            time.sleep(0.05)
        # the child holds the write lock and has written its rows: kill it there
        assert Path(f"{reg}-wal").exists()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    assert _sha(reg) == before_bytes  # uncommitted pages never reached the .gpkg
    # a read-only GDAL open (what QGIS does first) works at once, without recovery
    layers = dict(pyogrio.list_layers(reg))
    assert {"sources", "figures", "structures"} <= set(layers)
    con = sqlite3.connect(reg)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    con.close()
    assert _dump(reg) == before_rows
    figures, _ = read_register(reg)
    pd.testing.assert_frame_equal(figures, example_figures())
    # and the register takes the same input again afterwards
    assert ingest(reg, [_pair("after")])[0].status == "added"


# --- a real GeoPackage ----------------------------------------------------------------------


def _structures() -> gpd.GeoDataFrame:
    """Two buildings and a footprint in UTM zone 38N (near Tartar), to test reprojection."""
    return gpd.GeoDataFrame(
        {
            "source_id": ["sat", "sat", "sat"],
            "structure_id": ["b1", "b2", "b3"],
            "damage": ["destroyed", "severe", "none"],
            "structure": ["residential", "any", "any"],
            "assessed_on": ["2020-11-20"] * 3,
            "round": [1, 1, 2],
        },
        geometry=[
            shapely.Point(615000, 4470000),
            shapely.Point(615100, 4470050),
            shapely.box(615200, 4470100, 615230, 4470120),
        ],
        crs="EPSG:32638",
    )


class _Loaded:
    """A stand-in for readers.LoadResult: the register only needs these attributes."""

    def __init__(self) -> None:
        self.structures = _structures()
        self.figures = make_figures(
            [
                {
                    "source_id": "sat",
                    "unit_code": "AZ-TAR",
                    "damage": "destroyed",
                    "count": 1,
                    "locator": "b1",
                }
            ]
        )
        self.sources = make_table(
            "sources", [{"source_id": "sat", "title": "Imagery", "method": "satellite"}]
        )
        self.rejects = pd.DataFrame({"locator": ["b9"], "reason": ["unknown class"]})
        self.kind = "gis"


def test_structures_layer_opens_in_gdal(tmp_path: Path) -> None:
    reg = tmp_path / "r.gpkg"
    [result] = ingest(reg, [_Loaded()])
    assert (result.status, result.structures, result.rejects) == ("added", 3, 1)
    layer = gpd.read_file(reg, layer="structures")
    assert layer.crs.to_epsg() == 4326
    expected = _structures().to_crs(4326)
    assert layer["structure_id"].tolist() == ["b1", "b2", "b3"]
    assert layer.geom_type.tolist() == ["Point", "Point", "Polygon"]
    assert shapely.equals_exact(
        layer.geometry.values, expected.geometry.values, tolerance=1e-9
    ).all()
    assert layer["damage"].tolist() == ["destroyed", "severe", "none"]
    info = pyogrio.read_info(reg, layer="structures")
    assert info["features"] == 3
    bounds = info["total_bounds"]
    assert bounds == pytest.approx(tuple(expected.total_bounds), abs=1e-9)
    ours = read_structures(reg, source_id="sat")
    assert shapely.equals_exact(
        ours.geometry.values, expected.geometry.values, tolerance=1e-9
    ).all()
    assert ours["round"].tolist() == [1, 1, 2]
    assert register_sources(reg)["kind"].tolist() == ["gis"]


def test_attribute_tables_open_in_gdal(tmp_path: Path) -> None:
    reg = tmp_path / "r.gpkg"
    ingest(reg, [(example_figures(), example_sources())])
    figures = pyogrio.read_dataframe(reg, layer="figures")
    assert len(figures) == len(example_figures())
    assert list(figures.columns) == list(COLUMNS["figures"])
    info = pyogrio.read_info(reg, layer="figures")
    types = dict(zip(info["fields"], info["ogr_types"], strict=True))
    assert (types["count"], types["as_of"], types["damage"]) == (
        "OFTInteger64",
        "OFTDate",
        "OFTString",
    )
    sources = pyogrio.read_dataframe(reg, layer="sources")
    assert sorted(sources["source_id"]) == sorted(example_sources()["source_id"])
    con = sqlite3.connect(reg)
    assert con.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
    contents = dict(con.execute("SELECT table_name, data_type FROM gpkg_contents"))
    assert contents == {
        "sources": "attributes",
        "figures": "attributes",
        "structures": "features",
        "units": "features",
    }
    assert con.execute(
        "SELECT geometry_type_name, srs_id FROM gpkg_geometry_columns WHERE table_name='structures'"
    ).fetchone() == ("GEOMETRY", 4326)
    srs = {r[0] for r in con.execute("SELECT srs_id FROM gpkg_spatial_ref_sys")}
    assert {-1, 0, 4326} <= srs
    con.close()


def test_units_layer_maps_the_figures(tmp_path: Path) -> None:
    from damage_data.places.gazetteer import bundled_units

    reg = tmp_path / "r.gpkg"
    ingest(reg, [(example_figures(), example_sources())])
    units = gpd.read_file(reg, layer="units")
    codes = set(example_figures()["unit_code"].dropna())
    bundled = bundled_units("AZ").set_index("unit_code")
    # every unit with a bundled boundary is there once; the country-level "AZ" has none
    assert set(units["unit_code"]) == codes & set(bundled.index)
    assert {"AZ-CAB", "AZ-FUZ", "AZ-TAR"} <= set(units["unit_code"])
    assert units.crs.to_epsg() == 4326
    for row in units.itertuples():
        assert row.geometry.equals_exact(bundled.loc[row.unit_code, "geometry"], 1e-12)
        assert row.name == bundled.loc[row.unit_code, "name"]
    # a later input about the same units adds none again
    ingest(reg, [_pair("later", (5,), unit="AZ-CAB")])
    assert len(gpd.read_file(reg, layer="units")) == len(units)
    ours = read_units(reg)
    assert ours["unit_code"].tolist() == units["unit_code"].tolist()


def _gdal_index_of_structures(tmp_path: Path, reg: Path) -> list[tuple[str, str]]:
    """Add to ``reg`` the spatial index and feature counts GDAL gives a ``structures`` layer.

    GDAL's own SQL, taken from a GeoPackage GDAL writes now, so the test follows GDAL's
    version; the index is filled with the layer's rows as GDAL would. Returns the triggers.
    """
    model = tmp_path / "gdal.gpkg"
    layer = gpd.GeoDataFrame({"n": [1]}, geometry=[shapely.Point(47, 40)], crs=4326)
    pyogrio.write_dataframe(layer, model, layer="structures")
    con = sqlite3.connect(model)
    wanted = (
        "SELECT type, name, sql FROM sqlite_master WHERE name = 'rtree_structures_geom' "
        "OR (type = 'trigger' AND tbl_name = 'structures') ORDER BY type = 'trigger'"
    )
    objects = con.execute(wanted).fetchall()
    extension = con.execute("SELECT sql FROM sqlite_master WHERE name='gpkg_extensions'")
    extension_sql = extension.fetchone()[0]
    extension_rows = con.execute("SELECT * FROM gpkg_extensions").fetchall()
    con.close()
    assert {kind for kind, _, _ in objects} == {"table", "trigger"}
    ours = sqlite3.connect(reg)
    ours.execute(extension_sql)
    ours.executemany("INSERT INTO gpkg_extensions VALUES (?, ?, ?, ?, ?)", extension_rows)
    ours.execute("CREATE TABLE gpkg_ogr_contents (table_name TEXT PRIMARY KEY, feature_count)")
    ours.execute("INSERT INTO gpkg_ogr_contents SELECT 'structures', count(*) FROM structures")
    for _, _, sql in objects:
        ours.execute(sql)
    layer = pyogrio.read_dataframe(reg, layer="structures", fid_as_index=True)
    ours.executemany(
        "INSERT INTO rtree_structures_geom VALUES (?, ?, ?, ?, ?)",
        [
            (int(fid), g.bounds[0], g.bounds[2], g.bounds[1], g.bounds[3])
            for fid, g in layer.geometry.items()
        ],
    )
    ours.commit()
    ours.close()
    return [(name, sql) for kind, name, sql in objects if kind == "trigger"]


class _Moved(_Loaded):
    """Another product: the same buildings 0.05 degrees further east, as source ``sat2``."""

    def __init__(self) -> None:
        super().__init__()
        moved = self.structures.to_crs(4326)
        moved["geometry"] = moved.geometry.translate(xoff=0.05)
        moved["source_id"] = "sat2"
        self.structures = moved
        self.figures = self.figures.assign(source_id="sat2", figure_id="sat2-1")
        self.sources = self.sources.assign(source_id="sat2", title="Imagery, later")


def test_gdal_spatial_index_is_accepted_and_kept_up_to_date(tmp_path: Path) -> None:
    """A register QGIS or GDAL gave a spatial index: read, ingested into, index still right.

    GDAL's triggers call GDAL's own SQL functions; the register writes the index rows
    itself and leaves the triggers as they were.
    """
    reg = tmp_path / "r.gpkg"
    ingest(reg, [_Loaded()])
    triggers = _gdal_index_of_structures(tmp_path, reg)
    assert any(name.startswith("trigger_insert_feature_count") for name, _ in triggers)
    assert len(read_structures(reg)) == 3
    [result] = ingest(reg, [_Moved()])
    assert (result.status, result.structures) == ("added", 3)
    con = sqlite3.connect(reg)
    after = con.execute(
        "SELECT name, sql FROM sqlite_master WHERE type='trigger' ORDER BY name"
    ).fetchall()
    index = {r[0]: r[1:] for r in con.execute("SELECT * FROM rtree_structures_geom")}
    count = con.execute(
        "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name='structures'"
    ).fetchone()[0]
    con.close()
    assert sorted(after) == sorted(triggers)
    assert count == 6  # GDAL's feature-count trigger ran for the three new rows
    layer = pyogrio.read_dataframe(reg, layer="structures", fid_as_index=True)
    assert sorted(index) == sorted(int(f) for f in layer.index)
    for fid, geometry in layer.geometry.items():
        minx, miny, maxx, maxy = geometry.bounds
        low_x, high_x, low_y, high_y = index[int(fid)]
        # an R*Tree keeps 32-bit floats, rounded outwards
        assert low_x <= minx and high_x >= maxx and low_y <= miny and high_y >= maxy
        assert (minx - low_x, high_x - maxx, miny - low_y, high_y - maxy) < (1e-4,) * 4
    # GDAL answers a window query from the index: only the moved buildings are there
    moved = _Moved().structures
    window = tuple(moved.total_bounds + np.array([-1e-3, -1e-3, 1e-3, 1e-3]))
    found = pyogrio.read_dataframe(reg, layer="structures", bbox=window)
    assert sorted(found["structure_id"]) == ["b1", "b2", "b3"]
    assert set(found["source_id"]) == {"sat2"}


def test_a_layer_gdal_added_to_the_register_is_accepted(tmp_path: Path) -> None:
    reg = tmp_path / "r.gpkg"
    ingest(reg, [_pair("s1")])
    extra = gpd.GeoDataFrame({"note": ["mine"]}, geometry=[shapely.Point(47, 40)], crs=4326)
    pyogrio.write_dataframe(extra, reg, layer="my_notes")  # with GDAL's spatial index
    assert ingest(reg, [_pair("s2", title="Another")])[0].status == "added"
    assert sorted(read_register(reg)[1]["source_id"]) == ["s1", "s2"]
    assert pyogrio.read_dataframe(reg, layer="my_notes")["note"].tolist() == ["mine"]


# --- history and explain --------------------------------------------------------------------


def test_history_lists_every_figure_over_time(tmp_path: Path) -> None:
    reg = tmp_path / "r.gpkg"
    ingest(reg, [(example_figures(), example_sources())])
    table = history(reg, "AZ-TAR")
    assert list(table.columns) == list(HISTORY_COLUMNS)
    expected = example_figures()
    assert sorted(table["figure_id"]) == sorted(
        expected.loc[expected["unit_code"] == "AZ-TAR", "figure_id"]
    )
    dates = table["as_of"].dropna()
    assert dates.is_monotonic_increasing
    assert table["evidence"].notna().all()
    titles = example_sources().set_index("source_id")["title"]
    assert (table["source_title"] == table["source_id"].map(titles)).all()
    # a place name resolves through the gazetteer, without guessing
    pd.testing.assert_frame_equal(history(reg, "Tartar"), table)
    with pytest.raises(PlaceResolutionError, match="AZ-TAR"):
        history(reg, "Atlantis")


def test_history_keeps_superseded_versions(tmp_path: Path) -> None:
    reg = tmp_path / "r.gpkg"
    ingest(reg, [_pair("s1", (47,), as_of="2020-11-01")])
    [v2] = ingest(reg, [_pair("s1", (52,), as_of="2020-11-20")])
    table = history(reg, "AZ-CAB")
    assert table["count"].tolist() == [47, 52]
    assert table["current"].tolist() == [False, True]
    assert table["source_id"].tolist() == ["s1", v2.source_ids[0]]
    assert table["version"].tolist() == [1, 2]


def test_register_summary_equals_in_memory_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Storing figures changes nothing about what gets reported (example, incl. Tartar)."""
    from damage_data.reconcile import summarise

    reg = tmp_path / "r.gpkg"
    ingest(reg, [(example_figures(), example_sources())])
    direct = summarise(example_figures(), example_sources())
    pd.testing.assert_frame_equal(summarise(*read_register(reg)), direct)
    code, out, _ = _cli(["summary", "--register", str(reg), "--format", "json"], capsys)
    assert code == 0
    rows = {r["unit_code"]: r for r in json.loads(out)}
    assert rows["AZ-CAB"]["destroyed"] == 0 and rows["AZ-CAB"]["damaged"] == 47
    assert "decreasing" in rows["AZ-TAR"]["flags"]
    assert rows["AZ-TAR"]["total"] == direct.set_index("unit_code").loc["AZ-TAR", "total"]


def test_explain_sets_superseded_versions_aside(tmp_path: Path) -> None:
    reg = tmp_path / "r.gpkg"
    ingest(reg, [_pair("s1", (47, 11))])
    [v2] = ingest(reg, [_pair("s1", (50, 12))])
    table = explain_unit(reg, "AZ-CAB")
    assert len(table) == 4
    new_rows = table[table["source_id"] == v2.source_ids[0]]
    old_rows = table[table["source_id"] == "s1"]
    assert new_rows["used"].all()
    assert not old_rows["used"].any()
    expected = f"set aside: source superseded by its newer version {v2.source_ids[0]}"
    assert (old_rows["rule"] == expected).all()
    assert (old_rows["source_title"] == "Statement").all()
    # a newer version that no longer speaks about the unit: only the set-aside rows remain
    ingest(reg, [_pair("s1", (9,), unit="AZ-FUZ")])
    gone = explain_unit(reg, "AZ-CAB")
    assert len(gone) == 4 and not gone["used"].any()


def test_explain_from_register_matches_reconcile(tmp_path: Path) -> None:
    from damage_data.reconcile import explain

    reg = tmp_path / "r.gpkg"
    ingest(reg, [(example_figures(), example_sources())])
    ours = explain_unit(reg, "AZ-FUZ")
    direct = explain(example_figures(), example_sources(), "AZ-FUZ")
    pd.testing.assert_frame_equal(
        ours[["figure_id", "used", "rule"]], direct[["figure_id", "used", "rule"]]
    )
    # the relayed "325 damaged or destroyed" is set aside for the primary statement
    assert not ours.set_index("figure_id").loc["fuz-a-325", "used"]


# --- command line ---------------------------------------------------------------------------


def _source_csv(path: Path, counts: tuple[int, int]) -> Path:
    path.write_text(
        "place,damage,count,date\n"
        f"AZ-TAR,destroyed,{counts[0]},2020-10-17\n"
        f"AZ-TAR,damaged,{counts[1]},2020-10-17\n",
        encoding="utf-8",
    )
    return path


def test_cli_ingest_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reg = tmp_path / "r.gpkg"
    table = _source_csv(tmp_path / "tartar.csv", (118, 646))
    code, out, _ = _cli(
        [
            "ingest",
            str(table),
            "--register",
            str(reg),
            "--source-title",
            "Tərtər table",
            "--publisher",
            "District executive",
            "--published",
            "2020-10-18",
            "--method",
            "official_statement",
        ],
        capsys,
    )
    assert code == 0, out
    assert out.startswith(f"{table}: added (source ")
    assert "2 figures, 0 structures" in out

    code, out, _ = _cli(["ingest", str(table), "--register", str(reg), "--format", "json"], capsys)
    assert code == 0
    [again] = json.loads(out)
    assert (again["input"], again["status"], again["figures"]) == (str(table), "unchanged", 0)
    assert again["sha256"] == _sha(table)
    assert list(again["source_status"].values()) == ["unchanged"]

    _source_csv(table, (120, 646))  # the district corrects its table
    code, out, _ = _cli(["ingest", str(table), "--register", str(reg)], capsys)
    assert code == 0
    assert f"{table}: new version" in out and "supersedes" in out

    code, out, _ = _cli(["sources", "--register", str(reg), "--format", "json"], capsys)
    assert code == 0
    listed = json.loads(out)
    assert [s["version"] for s in listed] == [1, 2]
    assert [s["current"] for s in listed] == [False, True]
    assert listed[0]["title"] == "Tərtər table"
    assert listed[1]["sha256"] == _sha(table)

    code, out, _ = _cli(["history", "AZ-TAR", "--register", str(reg), "--format", "json"], capsys)
    assert code == 0
    counts = sorted(r["count"] for r in json.loads(out) if r["damage"] == "destroyed")
    assert counts == [118, 120]


def test_cli_sources_history_explain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reg = tmp_path / "r.gpkg"
    ingest(reg, [(example_figures(), example_sources())])

    code, out, _ = _cli(["sources", "--register", str(reg), "--format", "json"], capsys)
    assert code == 0
    listed = json.loads(out)
    assert isinstance(listed, list) and len(listed) == len(example_sources())
    assert {"source_id", "title", "sha256", "version", "current", "figures"} <= set(listed[0])

    code, out, _ = _cli(["sources", "--register", str(reg), "--format", "csv"], capsys)
    assert code == 0
    assert len(pd.read_csv(pd.io.common.StringIO(out))) == len(example_sources())

    code, out, _ = _cli(["history", "Tartar", "--register", str(reg)], capsys)
    assert code == 0
    header = out.splitlines()[0].split()
    assert header[:3] == ["as_of", "unit_code", "damage"] and "evidence" in header
    assert "locator" not in header  # the terminal table is narrow; --format json has all
    assert out.count("AZ-TAR") == len(history(reg, "AZ-TAR"))

    code, out, _ = _cli(["explain", "AZ-FUZ", "--register", str(reg), "--format", "json"], capsys)
    assert code == 0
    rows = {r["figure_id"]: r for r in json.loads(out)}
    assert rows["fuz-a-325"]["used"] is False
    assert rows["fuz-a-325"]["rule"]
    assert rows["fuz-p-11"]["used"] is True

    code, out, _ = _cli(
        ["explain", "AZ-TAR", "--register", str(reg), "--as-of", "2020-11-01", "--format", "json"],
        capsys,
    )
    assert code == 0
    used = {r["figure_id"] for r in json.loads(out) if r["used"]}
    assert used and all(f.startswith("tar2") for f in used)


def test_cli_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.gpkg"
    junk.write_text("hello")
    code, _, err = _cli(["sources", "--register", str(junk)], capsys)
    assert code == 3 and "not a GeoPackage" in err and "Traceback" not in err
    code, _, err = _cli(["history", "AZ-TAR", "--register", str(tmp_path / "none.gpkg")], capsys)
    assert code == 3 and "no register at" in err
    reg = tmp_path / "r.gpkg"
    ingest(reg, [_pair()])
    code, _, err = _cli(["history", "Atlantis", "--register", str(reg)], capsys)
    assert code == 4 and "AZ-CAB" in err
    code, _, err = _cli(["sources", "--register", str(reg), "--format", "xml"], capsys)
    assert code == 2 and "unknown format" in err
    code, _, err = _cli(["ingest", str(tmp_path / "missing.csv"), "--register", str(reg)], capsys)
    assert code == 3 and "missing.csv" in err


def test_concurrent_ingests_both_land(tmp_path: Path) -> None:
    """Two writers on one new register: each input is written whole, none is lost."""
    from concurrent.futures import ThreadPoolExecutor

    reg = tmp_path / "r.gpkg"
    pairs = [_pair(f"s{i}", (i + 1, i + 2), title=f"Report {i}") for i in range(6)]
    with ThreadPoolExecutor(max_workers=3) as pool:
        statuses = [r[0].status for r in pool.map(lambda p: ingest(reg, [p]), pairs)]
    assert statuses == ["added"] * 6
    figures, sources = read_register(reg)
    assert sorted(sources["source_id"]) == [f"s{i}" for i in range(6)]
    assert len(figures) == 12


# --- reconciliation over a register ---------------------------------------------------------

_report = st.fixed_dictionaries(
    {
        "unit": st.sampled_from(["AZ-CAB", "AZ-FUZ", "AZ-TAR"]),
        "method": st.sampled_from(["field_survey", "satellite", "official_statement", "press"]),
        "day": st.integers(1, 60),
        "destroyed": st.integers(0, 500),
        "damaged": st.integers(0, 5000),
    }
)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(reports=st.lists(_report, min_size=1, max_size=6))
def test_register_summary_never_exceeds_largest_single_source(
    tmp_path_factory: pytest.TempPathFactory, reports: list[dict[str, object]]
) -> None:
    from damage_data.reconcile import summarise

    reg = tmp_path_factory.mktemp("reg") / "r.gpkg"
    pairs = []
    for i, rep in enumerate(reports):
        sid = f"src{i}"
        as_of = (pd.Timestamp("2020-10-01") + pd.Timedelta(days=int(rep["day"]))).date()
        figures = make_figures(
            [
                {
                    "source_id": sid,
                    "locator": f"{sid} {group}",
                    "unit_code": rep["unit"],
                    "level": "adm1",
                    "match": "code",
                    "damage": group,
                    "count": rep[group],
                    "cumulative": True,
                    "as_of": as_of.isoformat(),
                }
                for group in ("destroyed", "damaged")
            ]
        )
        sources = make_table(
            "sources",
            [
                {
                    "source_id": sid,
                    "title": f"Report {i}",
                    "method": rep["method"],
                    "published": as_of.isoformat(),
                }
            ],
        )
        pairs.append((figures, sources))
    ingest(reg, pairs)
    figures, sources = read_register(reg)
    largest: dict[str, dict[str, int]] = {}
    for sid, own in figures.groupby("source_id"):
        alone = summarise(own, sources[sources["source_id"] == sid]).set_index("unit_code")
        for unit, row in alone.iterrows():
            for column in ("destroyed", "damaged", "total"):
                if pd.notna(row[column]):
                    best = largest.setdefault(str(unit), {})
                    best[column] = max(best.get(column, 0), int(row[column]))
    for policy in ("best", "latest", "max"):
        summary = summarise(figures, sources, policy=policy).set_index("unit_code")
        for unit, row in summary.iterrows():
            for column in ("destroyed", "damaged", "total"):
                if pd.notna(row[column]):
                    assert row[column] <= largest[str(unit)][column], (policy, unit, column)


@pytest.mark.realworld
def test_copernicus_product_becomes_structures_layer(tmp_path: Path, shared: type) -> None:
    """EMSR190 Todiano (Copernicus EMS grading, 897 building polygons in UTM 33N)."""
    shp = shared.path(  # type: ignore[attr-defined]
        "realworld",
        "copernicus_ems_emsr190_todiano_grading",
        "EMSR190_07TODIANO_02GRADING_v2_12500_settlements_poly_grading.shp",
    )
    reg = tmp_path / "r.gpkg"
    [result] = ingest(reg, [shp])
    assert (result.status, result.structures) == ("added", 897)
    layer = gpd.read_file(reg, layer="structures")
    assert len(layer) == 897
    assert layer.crs.to_epsg() == 4326
    assert set(layer.geom_type) == {"Polygon"}
    # Todiano lies in central Italy, around 13.0 E, 42.9 N
    minx, miny, maxx, maxy = layer.total_bounds
    assert 12.9 < minx < maxx < 13.1 and 42.8 < miny < maxy < 42.95
    assert register_sources(reg).loc[0, "sha256"] == _sha(shp)
    assert ingest(reg, [shp])[0].status == "unchanged"


def test_ingest_reads_the_named_sheet(tmp_path: Path) -> None:
    # --layer was on summary, report, map, chart and validate but not on ingest: a workbook
    # whose counts are on its second sheet could not be ingested from that sheet. By hand:
    # the "2021" sheet says Fuzuli 25 destroyed, the "2020" sheet 10
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "2020"
    book.active.append(["District", "Houses destroyed"])
    book.active.append(["Fuzuli", 10])
    later = book.create_sheet("2021")
    later.append(["District", "Houses destroyed"])
    later.append(["Fuzuli", 25])
    path = tmp_path / "t.xlsx"
    book.save(path)
    reg = tmp_path / "reg.gpkg"
    code = main(["ingest", str(path), "--register", str(reg), "--country", "AZ", "--layer", "2021"])
    assert code == 0
    figures, _ = read_register(reg)
    assert figures["count"].tolist() == [25]
    assert figures["unit_code"].tolist() == ["AZ-FUZ"]
    # without --layer, the first sheet holding counts, as every other command reads it
    other = tmp_path / "other.gpkg"
    assert main(["ingest", str(path), "--register", str(other), "--country", "AZ"]) == 0
    assert read_register(other)[0]["count"].tolist() == [10]
    # a sheet that is not there is an input error, naming the sheets there are
    assert main(["ingest", str(path), "--register", str(other), "--layer", "2022"]) == 3
