"""From input files to one figures table; the pandas accessor forwards to the library."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import damage_data as dd
from damage_data._errors import InputError
from damage_data.pipeline import collect, combine, figures_of, match_log

PAZARCIK = Path(__file__).resolve().parents[1] / "data" / "examples" / "emsr648_pazarcik"


def test_no_input_is_the_bundled_example() -> None:
    collected = collect()
    assert collected.example and len(collected.figures) > 40
    assert set(collected.figures["source_id"]) <= set(collected.sources["source_id"])


def test_inputs_of_several_kinds_combine(tmp_path: Path) -> None:
    text = tmp_path / "statement.txt"
    text.write_text(
        "So far, 133 houses have been completely destroyed in Tartar district.", encoding="utf-8"
    )
    collected = collect([text, PAZARCIK / "EMSR648_AOI08_GRA_PRODUCT_builtUpP_r1_v1.json"])
    assert len(collected.sources) == 2
    assert len(collected.reports) == 2
    tar = collected.figures[collected.figures["unit_code"] == "AZ-TAR"]
    assert tar["count"].tolist() == [133]
    both = combine([collected, collect()])
    assert len(both.sources) == len(collected.sources) + len(collect().sources)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        collect([tmp_path / "absent.csv"])


def test_match_log_lists_parent_conflicts_and_non_exact_matches() -> None:
    figures = dd.make_figures(
        [
            {
                "source_id": "s",
                "unit_code": "AZ-CAB",
                "damage": "severe",
                "count": 47,
                "match": "alias",
                "flags": "parent_conflict",
                "place_text": "Jabrayil",
            },
            {
                "source_id": "s",
                "unit_code": "AZ-FUZ",
                "damage": "destroyed",
                "count": 11,
                "match": "exact",
                "place_text": "Füzuli",
            },
        ]
    )
    log = match_log(figures)
    assert log["place_text"].tolist() == ["Jabrayil"]


def test_accessor_forwards_to_the_library() -> None:
    figures = collect().figures
    via_accessor = figures.dd.summarise()
    pd.testing.assert_frame_equal(via_accessor, dd.summarise(figures))
    assert figures.dd.validate().empty
    assert "rule" in figures.dd.explain("AZ-CAB").columns


def test_structure_geoparquet_takes_the_streaming_path_with_the_same_counts(
    tmp_path: Path,
) -> None:
    import geopandas as gpd
    import numpy as np

    from damage_data.count.stream import is_structure_parquet
    from damage_data.readers import load

    units = dd.bundled_units("AZ")
    points = units.geometry.sample_points(20, rng=np.random.default_rng(3)).explode()
    rng = np.random.default_rng(4)
    frame = gpd.GeoDataFrame(
        {
            "damage": rng.choice(["destroyed", "severe", "none", "possible"], len(points)),
            "structure": rng.choice(["residential", "education"], len(points)),
        },
        geometry=points.to_numpy(),
        crs=units.crs,
    )
    path = tmp_path / "points.parquet"
    frame.to_parquet(path)
    assert is_structure_parquet(path)
    streamed = dd.summarise(collect([path]).figures)
    in_memory = dd.summarise(figures_of(load(path)))
    columns = ["unit_code", "destroyed", "damaged", "possibly_damaged", "assessed", "residential"]
    pd.testing.assert_frame_equal(
        streamed[columns].reset_index(drop=True), in_memory[columns].reset_index(drop=True)
    )
    assert int(streamed["assessed"].sum()) == len(frame)


def test_current_structures_follow_the_structures_table(tmp_path: Path) -> None:
    # load keeps the one-row-per-structure view it computed; a result whose structures
    # were replaced must not give the old view (counts would come from the wrong table)
    import dataclasses

    import geopandas as gpd
    import shapely

    from damage_data.readers import load

    frame = gpd.GeoDataFrame(
        {
            "damage": ["Destroyed", "Destroyed", "Damaged"],
            "structure_id": ["a", "a", "b"],
            "sensor_date": ["2020-11-01", "2020-12-01", "2020-12-01"],
        },
        geometry=shapely.points([(47.0, 40.0), (47.0, 40.0), (47.1, 40.1)]),
        crs="EPSG:4326",
    )
    path = tmp_path / "s.geojson"
    frame.to_file(path)
    result = load(path)
    assert len(result.current_structures()) == 2  # "a" once: its latest assessment
    fewer = dataclasses.replace(result, structures=result.structures.iloc[2:])
    assert len(fewer.current_structures()) == 1


def test_a_folder_of_structure_files_has_one_source_id_on_every_path(tmp_path: Path) -> None:
    # the streaming count, load() and the register used to hash a folder three ways (and
    # `ingest` of such a folder failed: "is a folder, not a file")
    import hashlib

    import geopandas as gpd
    import numpy as np
    import shapely

    from damage_data.readers import load
    from damage_data.register import ingest, register_sources

    folder = tmp_path / "parts"
    folder.mkdir()
    rng = np.random.default_rng(5)
    for name in ("b.parquet", "a.parquet"):
        gpd.GeoDataFrame(
            {"damage": rng.choice(["destroyed", "severe", "none"], 30)},
            geometry=shapely.points(rng.uniform(46.5, 47.5, 30), rng.uniform(39.5, 40.5, 30)),
            crs="EPSG:4326",
        ).to_parquet(folder / name)
    # by hand: each file's name and SHA-256, in name order
    digest = hashlib.sha256()
    for name in ("a.parquet", "b.parquet"):
        digest.update(name.encode())
        digest.update(hashlib.sha256((folder / name).read_bytes()).hexdigest().encode())
    expected = f"sha256:{digest.hexdigest()[:16]}"

    streamed = collect([folder], country="AZ")
    assert streamed.sources["source_id"].tolist() == [expected]
    assert set(streamed.figures["source_id"]) == {expected}
    assert load(folder).source_id == expected
    [result] = ingest(tmp_path / "reg.gpkg", [folder], country="AZ")
    assert result.status == "added"
    assert register_sources(tmp_path / "reg.gpkg")["source_id"].tolist() == [expected]


def _table(tmp_path: Path, rows: list[tuple[str, int]]) -> Path:
    path = tmp_path / "t.csv"
    text = "District,Houses destroyed\n" + "".join(f"{p},{n}\n" for p, n in rows)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_place_matched_where_the_sources_other_places_are_not_goes_to_review(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Nepal districts: only "Salyan" is a bundled name (an Azerbaijani rayon); counting the
    # Nepali district's houses in Azerbaijan would be a silent guess
    nepal = [("Gorkha", 10), ("Sindhupalchok", 20), ("Dhading", 30), ("Salyan", 7)]
    with caplog.at_level("WARNING"):
        collected = collect([_table(tmp_path, nepal)])
    figures = collected.figures
    salyan = figures[figures["place_text"] == "Salyan"].iloc[0]
    assert salyan["unit_code"] == "AZ-SAL"  # what matched stays visible
    assert salyan["status"] == "needs_review"
    assert "place_unsupported" in salyan["flags"]
    assert "'Salyan' matched AZ-SAL" in caplog.text
    assert dd.summarise(collected).empty  # nothing counted in Azerbaijan
    # the user's own choice of country is followed
    chosen = collect([_table(tmp_path, nepal)], country="AZ").figures
    assert chosen.loc[chosen["place_text"] == "Salyan", "status"].tolist() == ["accepted"]


def test_a_lone_place_in_another_country_than_the_rest_goes_to_review(tmp_path: Path) -> None:
    karabakh = ["Fuzuli", "Jabrayil", "Aghdam", "Kalbajar", "Lachin", "Zangilan"]
    rows = [(p, 10 + i) for i, p in enumerate([*karabakh, "Tartar", "Gubadli", "Khojavend"])]
    rows.append(("Kherson", 99))  # a Ukrainian oblast among nine Azerbaijani rayons
    figures = collect([_table(tmp_path, rows)]).figures
    by_place = figures.set_index("place_text")
    assert by_place.loc["Kherson", "status"] == "needs_review"
    assert "place_other_country" in by_place.loc["Kherson", "flags"]
    others = by_place.drop(index="Kherson")
    assert set(others["status"]) == {"accepted"}
    assert {str(c)[:3] for c in others["unit_code"]} == {"AZ-"}
