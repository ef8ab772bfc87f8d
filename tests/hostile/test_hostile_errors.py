"""Issue 19 item 4: a clear error (exit 3) or a result, never an internal error (exit 1).

Disk-full and read-only cases use a real tmpfs when the tests may mount one (root in a
container) and a patched ``os.fsync`` raising ``ENOSPC`` everywhere.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

TABLE = "District,destroyed,damaged\nFuzuli,11,314\nTartar,5,20\n"


def _table(folder: Path, name: str = "a.csv", text: str = TABLE) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- control characters ---------------------------------------------------------------------


def test_control_character_in_a_cell(tmp_path: Path, cli_batch: Callable[..., Any]) -> None:
    import openpyxl

    rows = [f"Place{i},{i}" for i in range(40)]
    rows[3] = "Fuz\x01uli,4"
    rows[7] = "Tar\x0btar,5"
    path = _table(tmp_path, "ctrl.csv", "District,destroyed\n" + "\n".join(rows) + "\n")
    runs = cli_batch(
        [["validate", path, "--format", "json"], ["report", path, "-o", tmp_path / "rep"]]
    )
    assert runs[0].code == 0, runs[0].stderr
    report = json.loads(runs[0].stdout)
    report = report[0] if isinstance(report, list) else report
    assert report["rows_read"] == 40
    assert any("control characters" in w for w in report["warnings"])
    assert runs[1].code == 0, runs[1].stderr
    book = openpyxl.load_workbook(next((tmp_path / "rep").glob("*.xlsx")))
    texts = [str(c.value) for s in book for row in s.iter_rows() for c in row if c.value]
    assert not any(ch in t for t in texts for ch in "\x01\x0b")


def test_workbooks_written_from_cells_with_control_characters(tmp_path: Path) -> None:
    """Whatever reaches a report (a figures table, press evidence), the workbook is written."""
    import openpyxl
    import pandas as pd

    from damage_data.report.tables import write_xlsx

    frame = pd.DataFrame({"evidence": ["houses\x01 destroyed", "=1+1"], "count": [3, 4]})
    path = tmp_path / "t.xlsx"
    write_xlsx(path, {"figures": frame})
    cells = [c.value for row in openpyxl.load_workbook(path)["figures"].iter_rows() for c in row]
    assert "houses\ufffd destroyed" in cells and "'=1+1" in cells


# --- GML xlink and GeoParquet metadata ------------------------------------------------------

_GML = (
    '<?xml version="1.0"?><ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/"'
    ' xmlns:gml="http://www.opengis.net/gml" xmlns:xlink="http://www.w3.org/1999/xlink">'
    "{members}</ogr:FeatureCollection>"
)
_MEMBER_XLINK = (
    '<gml:featureMember><ogr:b fid="b.{i}"><ogr:damage>destroyed</ogr:damage>'
    '<ogr:geometryProperty xlink:href="{href}"/></ogr:b></gml:featureMember>'
)
_MEMBER_POINT = (
    '<gml:featureMember><ogr:b fid="b.{i}"><ogr:damage>destroyed</ogr:damage>'
    '<ogr:geometryProperty><gml:Point gml:id="p{i}"><gml:coordinates>46.9,39.6'
    "</gml:coordinates></gml:Point></ogr:geometryProperty></ogr:b></gml:featureMember>"
)


def test_gml_geometry_given_by_xlink(tmp_path: Path, cli_batch: Callable[..., Any]) -> None:
    only = tmp_path / "only_xlink.gml"
    only.write_text(_GML.format(members=_MEMBER_XLINK.format(i=0, href="#p1")), "utf-8")
    mixed = tmp_path / "mixed.gml"
    mixed.write_text(
        _GML.format(
            members=_MEMBER_POINT.format(i=1) + _MEMBER_XLINK.format(i=2, href="/etc/passwd#x")
        ),
        "utf-8",
    )
    jobs: list[list[str | Path]] = [
        ["validate", only, "--format", "json"],
        ["validate", mixed, "--format", "json"],
        ["summary", only],
        ["summary", mixed],
    ]
    runs = cli_batch(jobs)
    for job, run in zip(jobs, runs, strict=True):
        assert run.code in (0, 4), (job, run.stderr)
        assert run.no_traceback()
        assert "root:" not in run.stdout + run.stderr  # the linked file is never read
    only_report, mixed_report = (json.loads(r.stdout) for r in runs[:2])
    only_report = only_report[0] if isinstance(only_report, list) else only_report
    mixed_report = mixed_report[0] if isinstance(mixed_report, list) else mixed_report
    # the feature is read and rejected for its geometry, with the reason: not counted unplaced
    assert only_report["rows_read"] == 1 and only_report["rows_rejected"] == 1
    assert any("xlink" in reason for reason in only_report["reasons"])
    assert mixed_report["rows_read"] == 2 and mixed_report["rows_kept"] == 1


def _parquet_naming_a_missing_column(path: Path) -> Path:
    import geopandas as gpd
    import pyarrow.parquet as pq
    from shapely.geometry import Point

    gpd.GeoDataFrame({"damage": ["destroyed"]}, geometry=[Point(46.9, 39.6)], crs=4326).to_parquet(
        path
    )
    table = pq.read_table(path)
    geo = json.loads(table.schema.metadata[b"geo"])
    geo["primary_column"] = "geom_missing"
    geo["columns"]["geom_missing"] = geo["columns"].pop("geometry")
    pq.write_table(
        table.replace_schema_metadata({**table.schema.metadata, b"geo": json.dumps(geo)}), path
    )
    return path


def test_geoparquet_metadata_naming_a_missing_column_validate(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    path = _parquet_naming_a_missing_column(tmp_path / "bad.parquet")
    run = cli("validate", path)
    assert run.code == 3, run.stderr
    assert "geom_missing" in run.stderr


def test_geoparquet_metadata_naming_a_missing_column_summary(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    path = _parquet_naming_a_missing_column(tmp_path / "bad.parquet")
    run = cli("summary", path)
    assert run.code == 3, run.stderr


# --- outputs: full disk, read-only folder, dangling links, "." ------------------------------


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs, filled up; skipped where the tests may not mount."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode()[:200]}")
    try:
        with (mount / "fill").open("wb", buffering=0) as fill:
            try:
                while True:
                    fill.write(b"\0" * 4096)
            except OSError as err:
                assert err.errno == errno.ENOSPC
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "fill")


def test_full_disk(tmp_path: Path, tiny_disk: Path, cli_batch: Callable[..., Any]) -> None:
    a = _table(tmp_path)
    runs = cli_batch(
        [
            ["summary", a, "-o", tiny_disk / "out.csv"],
            ["summary", a, a, "-o", tiny_disk / "out.json"],
            ["report", a, "-o", tiny_disk / "rep"],
        ]
    )
    for run in runs:
        assert run.code == 3, run.stderr
        assert "disk is full" in run.stderr and run.no_traceback()
    assert _leftovers(tiny_disk) == []  # no half-written file, no hidden temporary


def test_full_disk_patched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where no tmpfs can be mounted: the disk fills up at the flush of the output."""
    from damage_data.cli import main

    a = _table(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.csv").write_text("previous\n", encoding="utf-8")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    assert main(["summary", str(a), "-o", str(out / "new.csv")]) == 3
    assert main(["summary", str(a), "-o", str(out / "old.csv"), "--overwrite"]) == 3
    assert sorted(p.name for p in out.iterdir()) == ["old.csv"]
    assert (out / "old.csv").read_text(encoding="utf-8") == "previous\n"


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may write into: a read-only tmpfs (root), else chmod 555."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,ro", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("root, but cannot mount a read-only tmpfs here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_read_only_output_folder(
    tmp_path: Path, read_only_folder: Path, cli_batch: Callable[..., Any]
) -> None:
    a = _table(tmp_path)
    runs = cli_batch(
        [
            ["summary", a, "-o", read_only_folder / "out.csv"],
            ["report", a, "-o", read_only_folder / "rep"],
            ["map", a, "-o", read_only_folder / "map.png"],
        ]
    )
    for run in runs:
        assert run.code == 3, run.stderr
        assert "read-only" in run.stderr or "permission denied" in run.stderr, run.stderr
        assert run.no_traceback()


def test_dangling_symlink_output(tmp_path: Path, cli_batch: Callable[..., Any]) -> None:
    a = _table(tmp_path)
    link_file = tmp_path / "out.csv"
    link_file.symlink_to(tmp_path / "nowhere" / "target.csv")
    link_dir = tmp_path / "rep"
    link_dir.symlink_to(tmp_path / "nowhere" / "dir")
    runs = cli_batch([["summary", a, "-o", link_file], ["report", a, "-o", link_dir]])
    for run in runs:
        assert run.code == 2, run.stderr
        assert "dangling" in run.stderr
    assert link_file.is_symlink() and link_dir.is_symlink()
    assert not (tmp_path / "nowhere").exists()


def test_report_into_the_current_folder_is_refused(tmp_path: Path, cli: Callable[..., Any]) -> None:
    a = _table(tmp_path)
    run = cli("report", a.name, "-o", ".", "--overwrite", cwd=tmp_path)
    assert run.code == 2, run.stderr
    assert a.read_text(encoding="utf-8") == TABLE


def test_summary_output_onto_a_folder(tmp_path: Path, cli: Callable[..., Any]) -> None:
    a = _table(tmp_path)
    (tmp_path / "folder").mkdir()
    run = cli("summary", a, "-o", tmp_path / "folder", "--overwrite")
    assert run.code == 2, run.stderr
    assert (tmp_path / "folder").is_dir()


def test_report_on_a_one_row_table_and_an_undated_press_report(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    table = _table(tmp_path, "one.csv", "District,destroyed\nFuzuli,11\n")
    press = tmp_path / "press.txt"
    press.write_text("In Fuzuli district, 20 houses were destroyed.\n", encoding="utf-8")
    run = cli("report", table, press, "-o", tmp_path / "rep")
    assert run.code == 0, run.stderr
    # two sources on one unit, none dated: no timeline, and the README says why
    assert not (tmp_path / "rep" / "chart_timeline.png").exists()
    readme = (tmp_path / "rep" / "README.md").read_text(encoding="utf-8")
    assert "No timeline was drawn" in readme and "date" in readme
