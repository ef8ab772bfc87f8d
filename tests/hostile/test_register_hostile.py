"""Issue 19 item 9: hostile registers and a hostile machine during ingest.

Everything goes through the command line, so the tests do not depend on the package's
internal layout.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

TABLE = "District,destroyed,damaged\nFuzuli,11,314\nTartar,5,20\n"
OTHER = "District,destroyed,damaged\nAghdam,7,70\nBarda,2,9\n"


def _csv(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _count(register: Path, table: str) -> int:
    con = sqlite3.connect(f"file:{register}?mode=ro", uri=True)
    try:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        con.close()


def _tmpfs(mount: Path, options: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode()[:200]}")


@pytest.fixture
def mount_point(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False, capture_output=True)


def test_a_read_only_register_can_be_read(
    tmp_path: Path, mount_point: Path, cli: Callable[..., Any], cli_batch: Callable[..., Any]
) -> None:
    """A register on read-only media (a published copy, a CD, a read-only share) is read.

    Fix: open for reading with ``file:…?mode=ro`` (no ``PRAGMA journal_mode=WAL``, which
    writes), and when SQLite cannot create the ``-shm`` beside a WAL-mode file, again with
    ``immutable=1`` (nothing can write to read-only media meanwhile).
    """
    register = tmp_path / "r.gpkg"
    assert cli("ingest", _csv(tmp_path, "a.csv", TABLE), "--register", register).code == 0
    if os.geteuid() == 0:
        _tmpfs(mount_point, "size=8m")
        shutil.copy(register, mount_point / "r.gpkg")
        subprocess.run(["mount", "-o", "remount,ro", str(mount_point)], check=True)
    else:
        shutil.copy(register, mount_point / "r.gpkg")
        (mount_point / "r.gpkg").chmod(0o444)
        mount_point.chmod(0o555)
    copy = mount_point / "r.gpkg"
    runs = cli_batch(
        [
            ["sources", "--register", copy, "--format", "csv"],
            ["summary", "--register", copy, "--format", "csv"],
        ]
    )
    for run in runs:
        assert run.code == 0, run.stderr
    assert "Fuzuli" in runs[1].stdout or "AZ-FUZ" in runs[1].stdout
    before = copy.read_bytes()
    write = cli("ingest", _csv(tmp_path, "b.csv", OTHER), "--register", copy)
    assert write.code == 3, write.stderr
    assert "cannot be written" in write.stderr and "writable copy" in write.stderr
    assert copy.read_bytes() == before


def test_full_disk_during_ingest(
    tmp_path: Path, mount_point: Path, cli: Callable[..., Any]
) -> None:
    """The disk fills up while an input is written: a clear error, the register unchanged.

    Fix: SQLite rolls the transaction back itself on ``SQLITE_FULL``; ROLLBACK only when
    ``con.in_transaction`` (else "cannot rollback - no transaction is active" hides the
    cause), and turn "database or disk is full" into a RegisterError (exit 3) saying the
    disk is full and the register is as it was.
    """
    _tmpfs(mount_point, "size=1m")
    register = mount_point / "r.gpkg"
    first = cli("ingest", _csv(tmp_path, "a.csv", TABLE), "--register", register)
    assert first.code == 0, first.stderr
    before = _count(register, "figures")
    with (mount_point / "fill").open("wb", buffering=0) as fill:
        try:
            while True:
                fill.write(b"\0" * 4096)
        except OSError:
            pass
    rows = "".join(f"Place{i},{i},{i * 3}\n" for i in range(3000))
    big = _csv(tmp_path, "big.csv", "District,destroyed,damaged\n" + rows)
    run = cli("ingest", big, "--register", register)
    assert run.code == 3, run.stderr
    assert "full" in run.stderr and "cannot rollback" not in run.stderr
    # and while the disk is still full, the register can be read
    read = cli("sources", "--register", register, "--format", "csv")
    assert read.code == 0, read.stderr
    assert "a.csv" in read.stdout
    (mount_point / "fill").unlink()
    assert _count(register, "figures") == before


def _plant(register: Path, sql: str) -> None:
    con = sqlite3.connect(register)
    try:
        con.execute(sql)
        con.commit()
    finally:
        con.close()


@pytest.mark.parametrize(
    "planted",
    [
        "CREATE TRIGGER dd_evil AFTER INSERT ON sources BEGIN DELETE FROM figures; END",
        "CREATE TRIGGER dd_evil2 BEFORE INSERT ON figures BEGIN SELECT 1; END",
        "CREATE VIEW dd_view AS SELECT * FROM figures",
    ],
)
def test_registers_with_foreign_triggers_or_views_are_refused(
    tmp_path: Path, cli: Callable[..., Any], planted: str
) -> None:
    """A trigger stored in a register would run inside our transaction: refuse the file.

    Fix: on open, list ``sqlite_master`` entries of type trigger and view; anything that is
    not one the register itself creates (GeoPackage's own ``rtree_<table>_<column>_*``
    spatial-index triggers, and the register's own, by exact name and SQL) is refused with a
    RegisterError naming it (exit 3), for reading as well as ingest; nothing is written.
    """
    register = tmp_path / "r.gpkg"
    assert cli("ingest", _csv(tmp_path, "a.csv", TABLE), "--register", register).code == 0
    _plant(register, planted)
    before = _count(register, "figures")
    run = cli("ingest", _csv(tmp_path, "b.csv", OTHER), "--register", register)
    assert run.code == 3, run.stderr
    assert "trigger" in run.stderr.lower() or "view" in run.stderr.lower()
    assert _count(register, "figures") == before
    read = cli("sources", "--register", register)
    assert read.code == 3, read.stderr


def test_an_empty_sqlite_file_is_not_turned_into_a_register(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    """Someone's SQLite database without tables is refused, not taken over.

    Fix: create a register only where no file is (or an empty, 0-byte one); an existing
    SQLite file without the register's tables is refused (exit 3), its bytes unchanged.
    """
    path = tmp_path / "someone_elses.sqlite"
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 7")  # a valid, table-less database on disk
    con.commit()
    con.close()
    before = path.read_bytes()
    assert before.startswith(b"SQLite format 3\x00")
    run = cli("ingest", _csv(tmp_path, "a.csv", TABLE), "--register", path)
    assert run.code == 3, run.stderr
    assert path.read_bytes() == before


def test_a_new_register_is_still_created(tmp_path: Path, cli: Callable[..., Any]) -> None:
    """The control case of the test above: a path where no file is becomes a register."""
    register = tmp_path / "new.gpkg"
    run = cli("ingest", _csv(tmp_path, "a.csv", TABLE), "--register", register)
    assert run.code == 0, run.stderr
    assert _count(register, "figures") == 4  # 2 districts x (destroyed, damaged)
