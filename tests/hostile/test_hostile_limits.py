"""Issue 19 item 5: small hostile files that used to hang or take gigabytes.

Each runs alone in a child process (``run_cli``) so that its own time and peak memory are
measured: every one must end in seconds with a clear error (exit 3) and stay far below
the memory the file would take if it were read.
"""

from __future__ import annotations

import json
import math
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

#: main() must end within this (the machine is shared: typical runs take 0.1–1.5 s).
SECONDS = 10.0
#: Peak memory allowed (MB): a tiny file read by the geo stack takes about 250 MB.
MEMORY_MB = 600.0


def _bounded(run: Any, *, code: int = 3) -> None:
    assert run.code == code, run.stderr[-1000:]
    assert run.no_traceback(), run.stderr[-1000:]
    assert run.seconds < SECONDS, run.seconds
    assert run.max_rss_mb < MEMORY_MB, run.max_rss_mb


def _many_layer_gpkg(path: Path, layers: int, *, damage_layers: int = 1) -> Path:
    """A GeoPackage of ``layers`` one-point layers, the first ``damage_layers`` with a damage
    column; the copies are made in SQLite (writing them with GDAL is itself quadratic)."""
    import geopandas as gpd
    from shapely.geometry import Point

    point = [Point(46.9, 39.6)]
    gpd.GeoDataFrame({"damage": ["destroyed"]}, geometry=point, crs=4326).to_file(
        path, layer="l0", SPATIAL_INDEX="NO"
    )
    gpd.GeoDataFrame({"name": ["x"]}, geometry=point, crs=4326).to_file(
        path, layer="plain", SPATIAL_INDEX="NO"
    )
    con = sqlite3.connect(path)
    with con:
        for i in range(1, layers - 1):
            model = "l0" if i < damage_layers else "plain"
            con.execute(f'CREATE TABLE "l{i}" AS SELECT * FROM "{model}"')
            if model == "l0":  # other structures (a copy of a layer is read once)
                con.execute(f'UPDATE "l{i}" SET damage = ?', ("damaged" if i % 2 else "destroyed",))
            con.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, "
                "last_change, min_x, min_y, max_x, max_y, srs_id) SELECT ?, data_type, ?, "
                "description, last_change, min_x, min_y, max_x, max_y, srs_id FROM "
                "gpkg_contents WHERE table_name = ?",
                (f"l{i}", f"l{i}", model),
            )
            con.execute(
                "INSERT INTO gpkg_geometry_columns SELECT ?, column_name, geometry_type_name, "
                "srs_id, z, m FROM gpkg_geometry_columns WHERE table_name = ?",
                (f"l{i}", model),
            )
            con.execute(
                "INSERT INTO gpkg_ogr_contents SELECT ?, feature_count FROM gpkg_ogr_contents "
                "WHERE table_name = ?",
                (f"l{i}", model),
            )
    con.close()
    return path


def test_geopackage_of_2000_layers(tmp_path: Path, cli: Callable[..., Any]) -> None:
    path = _many_layer_gpkg(tmp_path / "many.gpkg", 2000)
    run = cli("validate", path)
    _bounded(run)
    assert "2,000 layers" in run.stderr


def test_geopackage_of_many_layers_under_the_limit(tmp_path: Path, cli: Callable[..., Any]) -> None:
    """190 layers, 3 with damage: listed in one SQLite connection, only 3 layers read."""
    path = _many_layer_gpkg(tmp_path / "many.gpkg", 190, damage_layers=3)
    run = cli("validate", path, "--format", "json")
    _bounded(run, code=0)
    report = json.loads(run.stdout)
    report = report[0] if isinstance(report, list) else report
    assert report["rows_read"] == 3


def test_csv_of_two_million_columns(tmp_path: Path, cli: Callable[..., Any]) -> None:
    path = tmp_path / "cols.csv"
    n = 2_000_000
    with path.open("w", encoding="utf-8") as out:
        out.write(",".join(f"c{i}" for i in range(n)) + "\n")
        out.write(",".join("1" for _ in range(n)) + "\n")
    run = cli("validate", path)
    _bounded(run)
    assert "2,000,000" in run.stderr and "columns" in run.stderr


def test_xlsx_with_one_far_cell(tmp_path: Path, cli: Callable[..., Any]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["District", "destroyed"])
    book.active.append(["Fuzuli", 11])
    book.active["XFD1048576"] = "x"
    path = tmp_path / "far.xlsx"
    book.save(path)
    assert path.stat().st_size < 10_000
    _bounded(cli("validate", path))


_GEO = {
    "version": "1.0.0",
    "primary_column": "geometry",
    "columns": {"geometry": {"encoding": "WKB", "geometry_types": []}},
}


def _repeated(value: Any, rows: int, kind: Any) -> Any:
    """``value`` in every row, stored once: a dictionary array (nothing is expanded here)."""
    import numpy as np
    import pyarrow as pa

    return pa.DictionaryArray.from_arrays(
        pa.array(np.zeros(rows, dtype=np.int32)), pa.array([value], kind)
    )


def _parquet_bomb(path: Path, rows: int = 1500) -> Path:
    """~1 KB of GeoParquet whose geometry column decodes to 1.5 GB: one polygon of 65,001
    vertices (1 MB of WKB) stored once in the dictionary and used in 1,500 rows."""
    import pyarrow as pa
    import shapely
    from shapely.geometry import Polygon

    ring = [(46.9, 39.6), (46.91, 39.6)] * 32_500 + [(46.9, 39.6)]
    table = pa.table(
        {
            "damage": _repeated("destroyed", rows, pa.string()),
            "geometry": _repeated(shapely.to_wkb(Polygon(ring)), rows, pa.binary()),
        }
    )
    _write(table, path)
    return path


def _write(table: Any, path: Path, **options: Any) -> None:
    """Write with the GeoParquet metadata, and without the Arrow schema: the columns read
    back as plain text and binary (as geopandas writes them), not as dictionaries."""
    import pyarrow.parquet as pq

    with pq.ParquetWriter(path, table.schema, store_schema=False, **options) as writer:
        writer.write_table(table)
        writer.add_key_value_metadata({"geo": json.dumps(_GEO)})


def _parquet_text_bomb(path: Path, rows: int = 1500, *, dictionary: bool = True) -> Path:
    """A GeoParquet with a 1 MiB string in the ``note`` of every row."""
    import pyarrow as pa
    import shapely
    from shapely.geometry import Point

    note = _repeated("x" * (1 << 20), rows, pa.string())
    table = pa.table(
        {
            "damage": _repeated("destroyed", rows, pa.string()),
            "note": note if dictionary else note.dictionary_decode(),
            "geometry": _repeated(shapely.to_wkb(Point(46.9, 39.6)), rows, pa.binary()),
        }
    )
    _write(table, path, compression="zstd", use_dictionary=dictionary)
    return path


def test_geoparquet_bombs(tmp_path: Path, cli: Callable[..., Any]) -> None:
    bombs = (
        _parquet_bomb(tmp_path / "g.parquet"),
        _parquet_text_bomb(tmp_path / "t.parquet"),
        # plain pages (no dictionary): 40 MiB from a few KB, told by the metadata alone
        _parquet_text_bomb(tmp_path / "p.parquet", rows=40, dictionary=False),
    )
    for path in bombs:
        assert path.stat().st_size < 100_000
        run = cli("validate", path)
        _bounded(run)
        assert "Parquet bomb" in run.stderr


def test_an_ordinary_geoparquet_is_no_bomb(tmp_path: Path, cli: Callable[..., Any]) -> None:
    import geopandas as gpd
    import numpy as np

    rng = np.random.default_rng(19)
    n = 20_000
    labels = rng.choice(["destroyed", "severe", "moderate", "possible"], n)
    frame = gpd.GeoDataFrame(
        {"damage": labels, "site": [f"s{i}" for i in range(n)]},
        geometry=gpd.points_from_xy(rng.uniform(46, 48, n), rng.uniform(39, 41, n)),
        crs=4326,
    )
    path = tmp_path / "ordinary.parquet"
    frame.to_parquet(path)
    run = cli("validate", path, "--kind", "gis", "--format", "json")
    _bounded(run, code=0)
    report = json.loads(run.stdout)
    report = report[0] if isinstance(report, list) else report
    assert report["rows_read"] == n


def test_geoparquet_bomb_through_summary(tmp_path: Path, cli: Callable[..., Any]) -> None:
    run = cli("summary", _parquet_bomb(tmp_path / "g.parquet"), memory=2 * 1024**3)
    _bounded(run)


@pytest.mark.parametrize("member_size", [1 << 20, (1 << 20) - 1])
def test_zip_of_many_one_mib_members(
    tmp_path: Path, cli: Callable[..., Any], member_size: int
) -> None:
    """400 members of zeros (1 MiB, and just under it): refused before anything is unpacked."""
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for i in range(400):
            out.writestr(f"m{i}.csv", b"\0" * member_size)
    assert path.stat().st_size < 600_000
    run = cli("validate", path)
    _bounded(run)
    assert "zip bomb" in run.stderr


def test_stdin_is_not_stored_past_the_limit(tmp_path: Path) -> None:
    """64 MiB on standard input with --max-file-mb 1: refused after about 1 MiB is read."""
    err_path = tmp_path / "stderr.txt"
    with err_path.open("wb") as err_file:
        proc = subprocess.Popen(
            [sys.executable, "-m", "damage_data", "validate", "-", "--max-file-mb", "1"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=err_file,
            cwd=tmp_path,
        )
        assert proc.stdin is not None
        written = 0
        chunk = b"Fuzuli,1\n" * 7282  # 64 KiB
        try:
            for _ in range(1024):
                proc.stdin.write(chunk)
                written += len(chunk)
            proc.stdin.close()
        except BrokenPipeError:
            pass  # the child stopped reading: what is wanted
        assert proc.wait(timeout=120) == 3
    assert "standard input" in err_path.read_text(encoding="utf-8")
    # what the pipe took before the child stopped reading: the limit, a chunk, pipe buffers
    assert written < 16 * (1 << 20), written


def test_stdin_within_the_limit_is_read(tmp_path: Path, cli: Callable[..., Any]) -> None:
    run = cli("validate", "-", "--format", "json", stdin=b"District,destroyed\nFuzuli,3\n")
    assert run.code == 0, run.stderr
    report = json.loads(run.stdout)
    report = report[0] if isinstance(report, list) else report
    assert report["rows_read"] == 1 and report["damage_counts"] == {"destroyed": 3}


def test_helpers_are_not_leaking(tmp_path: Path) -> None:
    """The generators above build what they say (sizes checked by hand)."""
    path = _many_layer_gpkg(tmp_path / "m.gpkg", 5, damage_layers=2)
    con = sqlite3.connect(path)
    names = [r[0] for r in con.execute("SELECT table_name FROM gpkg_contents ORDER BY 1")]
    con.close()
    assert sorted(names) == sorted(["l0", "l1", "l2", "l3", "plain"])
    assert math.isclose(len(b"Fuzuli,1\n" * 7282), 64 * 1024, rel_tol=0.001)
    shutil.rmtree(tmp_path / "nothing", ignore_errors=True)
