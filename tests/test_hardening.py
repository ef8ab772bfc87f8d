"""Bad input, hostile files and crashes: a generated corpus run through the CLI.

Every file must give a clear error (exit 3) or documented rejects (exit 0, or 4 under
--strict), never a traceback, a hang or unbounded memory.
"""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

TIMEOUT_S = 60
MEMORY_BYTES = 3 * 1024**3


def _limit_memory() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "damage_data", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        preexec_fn=_limit_memory,
        cwd=cwd,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


# --- the corpus ---------------------------------------------------------------------------


def _random_bytes(d: Path) -> list[Path]:
    rng = __import__("random").Random(7)
    blob = bytes(rng.getrandbits(8) for _ in range(4096))
    out = []
    for name in (
        "noise.csv",
        "noise.geojson",
        "noise.zip",
        "noise.xlsx",
        "noise.gpkg",
        "noise.parquet",
        "noise.json",
        "noise.txt",
        "noise",
    ):
        (d / name).write_bytes(blob)
        out.append(d / name)
    return out


def _tables(d: Path) -> list[Path]:
    files = {
        "empty.csv": b"",
        "header_only.csv": b"district,destroyed,damaged\n",
        "utf16.csv": "district,destroyed\nFüzuli,11\nCəbrayıl,0\n".encode("utf-16"),
        "cp1251.csv": "район,разрушено\nФизули,11\n".encode("cp1251"),
        "mixed_encoding.csv": "district,destroyed\nFüzuli,11\n".encode()
        + "Tərtər,5\n".encode()[:-4]
        + b"\xe9\xff,5\n",
        "semicolon_decimal_comma.csv": b"district;destroyed;share\nFuzuli;1.234;0,5\n"
        b"Tartar;12;0,25\n",
        "duplicate_columns.csv": b"district,destroyed,destroyed\nFuzuli,11,12\n",
        "bad_counts.csv": b"district,destroyed\nFuzuli,-3\nTartar,2.5\nBarda,many\n"
        b"Aghdam,99999999999999999999\nGanja,1e400\n",
        "dates.csv": b"district,destroyed,date\nFuzuli,11,2099-01-01\nTartar,5,1850-01-01\n"
        b"Barda,4,not a date\n",
        "swapped_latlon.csv": b"lon,lat,damage\n40.0,47.0,destroyed\n39.8,46.9,damaged\n",
        "not_really.xlsx": b"district,destroyed\nFuzuli,11\n",
        "long_line.csv": b"district,destroyed\n" + b"x" * (30 * 1024 * 1024) + b",1\n",
    }
    out = []
    for name, data in files.items():
        (d / name).write_bytes(data)
        out.append(d / name)
    return out


def _json_and_geo(d: Path) -> list[Path]:
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"damage": "destroyed"},
                "geometry": {"type": "Point", "coordinates": [46.9, 39.6]},
            },
            {"type": "Feature", "properties": {"damage": "damaged"}, "geometry": None},
            {
                "type": "Feature",
                "properties": {"damage": "damaged"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[46, 39], [47, 40], [47, 39], [46, 40], [46, 39]]],
                },
            },
            {
                "type": "Feature",
                "properties": {"damage": "damaged"},
                "geometry": {"type": "Polygon", "coordinates": []},
            },
            {
                "type": "Feature",
                "properties": {"damage": "wobbly"},
                "geometry": {"type": "Point", "coordinates": [46.8, 39.7]},
            },
        ],
    }
    text = json.dumps(fc)
    files: dict[str, bytes] = {
        "geometries.geojson": text.encode(),
        "truncated.geojson": text[: len(text) // 2].encode(),
        "truncated.json": b'{"features": [1, 2, ',
        "deep.json": b"[" * 100_000 + b"]" * 100_000,
        "deep.geojson": b'{"type": "FeatureCollection", "features": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}",
        "projected_no_crs.geojson": json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"damage": "destroyed"},
                        "geometry": {"type": "Point", "coordinates": [512000.0, 4390000.0]},
                    }
                ],
            }
        ).encode(),
        "external_entity.kml": b'<?xml version="1.0"?>\n<!DOCTYPE kml [<!ENTITY xxe SYSTEM '
        b'"file:///etc/passwd">]>\n<kml xmlns="http://www.opengis.net/'
        b'kml/2.2"><Document><Placemark><name>&xxe;</name><Point>'
        b"<coordinates>46.9,39.6</coordinates></Point></Placemark>"
        b"</Document></kml>",
    }
    out = []
    for name, data in files.items():
        (d / name).write_bytes(data)
        out.append(d / name)
    # a shapefile without its .dbf
    import geopandas as gpd
    from shapely.geometry import Point

    gpd.GeoDataFrame({"damage": ["destroyed"]}, geometry=[Point(46.9, 39.6)], crs=4326).to_file(
        d / "nodbf.shp"
    )
    (d / "nodbf.dbf").unlink()
    out.append(d / "nodbf.shp")
    return out


def _zips(d: Path) -> list[Path]:
    out = []
    with zipfile.ZipFile(d / "traversal.zip", "w") as zf:
        zf.writestr("../../evil.geojson", '{"type": "FeatureCollection", "features": []}')
        zf.writestr("/tmp/absolute_evil.geojson", '{"type":"FeatureCollection","features":[]}')
    out.append(d / "traversal.zip")
    # a zip bomb: one member of 1 GiB of zeros deflated to about 1 MB
    chunk = b"\0" * (16 * 1024 * 1024)
    with (
        zipfile.ZipFile(d / "bomb.zip", "w", compression=zipfile.ZIP_DEFLATED) as zf,
        zf.open("bomb.geojson", "w", force_zip64=True) as member,
    ):
        for _ in range(64):
            member.write(chunk)
    out.append(d / "bomb.zip")
    good = d / "good.zip"
    with zipfile.ZipFile(good, "w") as zf:
        zf.writestr("a.geojson", json.dumps({"type": "FeatureCollection", "features": []}))
    data = good.read_bytes()
    (d / "truncated.zip").write_bytes(data[: len(data) // 2])
    out.append(d / "truncated.zip")
    return out


CORPUS_MAKERS: list[Callable[[Path], list[Path]]] = [_random_bytes, _tables, _json_and_geo, _zips]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    d = tmp_path_factory.mktemp("corpus")
    return [p for make in CORPUS_MAKERS for p in make(d)]


def test_corpus_through_validate(corpus: list[Path]) -> None:
    failures = []
    for path in corpus:
        proc = cli("validate", str(path), "--format", "json")
        problem = None
        if "Traceback" in proc.stderr:
            problem = "traceback"
        elif proc.returncode not in (0, 3, 4):
            problem = f"exit {proc.returncode}"
        elif proc.returncode == 0:
            report = json.loads(proc.stdout)
            if report["rows_read"] != report["rows_kept"] + report["rows_rejected"]:
                problem = "rows_read != kept + rejected"
        elif not proc.stderr.strip() or path.name not in proc.stderr:
            problem = "error message does not name the file"
        if problem:
            failures.append(f"{path.name}: {problem}: {proc.stderr[-400:]}")
    assert not failures, "\n".join(failures)


def test_corpus_through_summary_strict(corpus: list[Path]) -> None:
    for path in corpus:
        proc = cli("summary", str(path), "--strict", "--format", "json")
        assert proc.returncode in (0, 3, 4), (path.name, proc.stderr[-400:])
        assert "Traceback" not in proc.stderr, path.name


def test_zip_members_never_escape(corpus: list[Path], tmp_path: Path) -> None:
    traversal = next(p for p in corpus if p.name == "traversal.zip")
    cli("validate", str(traversal), cwd=tmp_path)
    assert not (tmp_path.parent / "evil.geojson").exists()
    assert not Path("/tmp/absolute_evil.geojson").exists()


def test_external_entities_are_not_resolved(corpus: list[Path]) -> None:
    kml = next(p for p in corpus if p.name == "external_entity.kml")
    proc = cli("validate", str(kml), "--format", "json")
    assert "root:" not in proc.stdout + proc.stderr


def test_nothing_uses_the_network(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The main paths run with sockets disabled."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("network use at run time")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    from damage_data.cli import main

    assert main(["summary", "--format", "json"]) == 0
    assert main(["report", "-o", str(tmp_path / "r"), "--quiet"]) == 0
    assert main(["places", "resolve", "Fizuli", "--country", "AZ", "--format", "json"]) == 0
    text = tmp_path / "t.txt"
    text.write_text(
        "Some 11 houses were completely destroyed in Fuzuli district.", encoding="utf-8"
    )
    assert main(["extract", str(text), "--format", "json"]) == 0


def test_no_pickle_or_eval_in_the_package() -> None:
    package = Path(__file__).resolve().parents[1] / "damage_data"
    for source in package.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        for banned in ("import pickle", "pickle.load", "eval(", "exec(", "yaml.load("):
            assert banned not in text, f"{source.name} uses {banned}"
