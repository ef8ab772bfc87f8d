"""damage_data._hashing: one SHA-256 per file and process, started early by the CLI."""

from __future__ import annotations

import hashlib
import os
import threading
from collections import Counter
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from damage_data import _hashing
from damage_data._hashing import file_sha256, hash_ahead


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """An empty digest cache, and a count of the files actually read for a digest."""
    monkeypatch.setattr(_hashing, "_DIGESTS", type(_hashing._DIGESTS)())
    reads: Counter[str] = Counter()
    digest = _hashing._digest

    def counted(path: Path, stop: threading.Event | None = None) -> str:
        reads[Path(path).name] += 1
        return digest(path, stop)

    monkeypatch.setattr(_hashing, "_digest", counted)
    return reads


def test_digest_is_the_sha256_of_the_bytes(tmp_path: Path) -> None:
    path = tmp_path / "a.bin"
    data = os.urandom(5 * (1 << 20) + 17)  # more than one 4 MB chunk
    path.write_bytes(data)
    assert file_sha256(path) == hashlib.sha256(data).hexdigest()


def test_an_unchanged_file_is_read_once(tmp_path: Path, _fresh: Counter[str]) -> None:
    path = tmp_path / "a.bin"
    path.write_bytes(b"abc")
    first = file_sha256(path)
    assert file_sha256(str(path)) == first == hashlib.sha256(b"abc").hexdigest()
    assert _fresh["a.bin"] == 1


def test_a_changed_file_is_hashed_again(tmp_path: Path, _fresh: Counter[str]) -> None:
    path = tmp_path / "a.bin"
    path.write_bytes(b"abc")
    before = file_sha256(path)
    path.write_bytes(b"abd")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert file_sha256(path) == hashlib.sha256(b"abd").hexdigest() != before
    assert _fresh["a.bin"] == 2


def test_a_stopped_hash_is_not_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.bin"
    path.write_bytes(b"abc")
    stop = threading.Event()
    stop.set()
    assert file_sha256(path, stop=stop) == ""
    assert file_sha256(path) == hashlib.sha256(b"abc").hexdigest()


def test_hash_ahead_hashes_large_files_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _fresh: Counter[str]
) -> None:
    monkeypatch.setattr(_hashing, "AHEAD_MIN_BYTES", 1000)
    big, small = tmp_path / "big.bin", tmp_path / "small.bin"
    big.write_bytes(b"x" * 5000)
    small.write_bytes(b"y" * 10)
    # folders, missing files and small files are left alone, without an error
    hash_ahead([big, small, tmp_path, tmp_path / "missing.bin"])
    hash_ahead([big])  # asked twice: still one thread, one reading
    assert file_sha256(big) == hashlib.sha256(b"x" * 5000).hexdigest()
    assert _fresh["big.bin"] == 1
    assert _fresh["small.bin"] == 0
    assert file_sha256(small) == hashlib.sha256(b"y" * 10).hexdigest()


def test_ingest_of_a_structure_parquet_reads_the_file_once_for_its_digest(
    tmp_path: Path, _fresh: Counter[str]
) -> None:
    # the register's sha256 and the figures' source_id both come from the file's bytes;
    # before, the streaming count and the register each hashed the file
    from damage_data.count.stream import is_structure_parquet
    from damage_data.register import ingest, register_sources

    rng = np.random.default_rng(1)
    frame = gpd.GeoDataFrame(
        {"damage": rng.choice(["destroyed", "severe", "none"], 40)},
        geometry=shapely.points(rng.uniform(46.5, 47.5, 40), rng.uniform(39.5, 40.5, 40)),
        crs="EPSG:4326",
    )
    path = tmp_path / "points.parquet"
    frame.to_parquet(path)
    assert is_structure_parquet(path)
    ingest(tmp_path / "reg.gpkg", [path], country="AZ")
    assert _fresh["points.parquet"] == 1
    expected = hashlib.sha256(path.read_bytes()).hexdigest()
    table = register_sources(tmp_path / "reg.gpkg")
    assert table["sha256"].tolist() == [expected]
    assert table["source_id"].tolist() == [f"sha256:{expected[:16]}"]
