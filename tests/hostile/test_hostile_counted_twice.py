"""Issue 19 item 2: the same content twice is one source; one layer in two formats is one layer.

Expected totals are computed with plain pandas from the file the test writes, never taken
from the program's output.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

TABLE = "District,Houses destroyed,Houses damaged\nFuzuli,11,314\nTartar,5,20\n"


def _summary(run: Any) -> pd.DataFrame:
    assert run.code == 0, run.stderr
    return pd.read_csv(io.StringIO(run.stdout))


def _expected() -> pd.DataFrame:
    raw = pd.read_csv(io.StringIO(TABLE))
    return raw.rename(columns={"Houses destroyed": "destroyed", "Houses damaged": "damaged"})


def test_the_same_file_twice_counts_once(tmp_path: Path, cli_batch: Callable[..., Any]) -> None:
    a = tmp_path / "a.csv"
    a.write_text(TABLE, encoding="utf-8")
    copy = tmp_path / "a (1).csv"
    shutil.copy(a, copy)
    runs = cli_batch(
        [
            ["summary", a, "--format", "csv"],
            ["summary", a, a, "--format", "csv"],
            ["summary", a, copy, "--format", "csv"],
        ]
    )
    expected = _expected()
    for run in runs:
        got = _summary(run)
        for district, destroyed, damaged in expected[["District", "destroyed", "damaged"]].values:
            row = got[got["unit_name"].str.contains(district[:3])]
            assert len(row) == 1, got
            assert int(row["destroyed"].iloc[0]) == destroyed
            assert int(row["damaged"].iloc[0]) == damaged
            assert int(row["n_sources"].iloc[0]) == 1
    assert "more than once" in runs[2].stderr  # said, not silent


def _features() -> list[dict[str, Any]]:
    points = [(46.90, 39.60, "destroyed"), (46.91, 39.61, "damaged"), (47.10, 40.00, "destroyed")]
    return [
        {
            "type": "Feature",
            "properties": {"damage": d, "bldg_id": f"b{i}"},
            "geometry": {"type": "Point", "coordinates": [x, y]},
        }
        for i, (x, y, d) in enumerate(points)
    ]


def _product_zip(tmp_path: Path, *, same: bool) -> tuple[Path, list[dict[str, Any]]]:
    """A zip holding buildings.geojson and buildings.shp (the same layer unless ``same`` is
    false, when the shapefile's damage labels differ)."""
    import geopandas as gpd

    features = _features()
    folder = tmp_path / ("same" if same else "different")
    folder.mkdir()
    geojson = folder / "buildings.geojson"
    geojson.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    frame = gpd.read_file(geojson)
    if not same:
        frame["damage"] = ["damaged", "destroyed", "damaged"]
    frame.to_file(folder / "buildings.shp")
    archive = tmp_path / f"{folder.name}.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for member in sorted(folder.iterdir()):
            out.write(member, member.name)
    return archive, features


def test_one_layer_in_two_formats_is_read_once(
    tmp_path: Path, cli_batch: Callable[..., Any]
) -> None:
    archive, features = _product_zip(tmp_path, same=True)
    runs = cli_batch([["validate", archive, "--format", "json"], ["summary", archive]])
    assert runs[0].code == 0, runs[0].stderr
    report = json.loads(runs[0].stdout)
    report = report[0] if isinstance(report, list) else report
    by_hand = pd.Series([f["properties"]["damage"] for f in features]).value_counts().to_dict()
    assert report["rows_read"] == len(features) == 3
    assert report["damage_counts"] == by_hand == {"destroyed": 2, "damaged": 1}
    assert any("one layer in two formats" in w for w in report["warnings"])
    assert runs[1].code == 0, runs[1].stderr


def test_two_layers_that_differ_are_both_read(tmp_path: Path, cli: Callable[..., Any]) -> None:
    """Same name and feature count but other labels: not a copy, both are read."""
    archive, features = _product_zip(tmp_path, same=False)
    run = cli("validate", archive, "--format", "json")
    assert run.code == 0, run.stderr
    report = json.loads(run.stdout)
    report = report[0] if isinstance(report, list) else report
    assert report["rows_read"] == 2 * len(features)
    assert not any("one layer in two formats" in w for w in report["warnings"])
