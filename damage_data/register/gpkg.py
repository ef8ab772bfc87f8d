"""The register's file: a GeoPackage 1.2 laid out in plain SQLite (opens in QGIS and GDAL).

Opening (read-only for reading, so registers on read-only media are readable), creating and
checking the file and its tables (``sources``, ``figures``, the ``structures`` and ``units``
layers), written by hand because one input must be one SQLite transaction (GDAL's writers
commit on their own), and what SQLite's errors mean for the register.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from .._errors import RegisterError
from ..tables import COLUMNS
from .triggers import check_schema_objects
from .values import SRS_ID, utc_now

log = logging.getLogger(__name__)

#: Version of the register's own layout, stored in the file. Bump it when tables change, and
#: teach :func:`_check_register` to upgrade older files.
SCHEMA_VERSION = 1
#: SQLite ``application_id`` of a GeoPackage ('GPKG') and the GeoPackage version we write (1.2,
#: the oldest with attribute tables, so older QGIS/GDAL builds still open the file).
GPKG_APPLICATION_ID = 0x47504B47
GPKG_USER_VERSION = 10200

#: Columns the register adds to ``sources`` to keep versions apart.
SOURCE_EXTRA: dict[str, str] = {
    "version": "INTEGER",
    "supersedes": "TEXT",
    "lineage": "TEXT",
    "origin": "TEXT",
    "ingested": "DATETIME",
}
INGEST_STATUSES = ("added", "unchanged", "new version")

_META_TABLE = "damage_data_register"
#: Tables every register has besides its own ``damage_data_register``.
_REGISTER_TABLES = (
    "gpkg_spatial_ref_sys",
    "gpkg_contents",
    "gpkg_geometry_columns",
    "sources",
    "figures",
    "structures",
    "units",
)
_SQL_TYPES = {"str": "TEXT", "int": "INTEGER", "bool": "BOOLEAN", "date": "DATE", "float": "REAL"}

_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]'
)


@dataclass(frozen=True)
class IngestResult:
    """What :func:`ingest` did with one input.

    ``status`` is ``added``, ``unchanged`` (identical content already in the register: nothing
    written) or ``new version`` (at least one source replaces an earlier version, named in
    ``supersedes``). ``figures`` and ``structures`` count the rows written (0 when unchanged).
    """

    input: str
    status: str
    source_ids: tuple[str, ...]
    figures: int
    structures: int
    rejects: int = 0
    supersedes: tuple[str, ...] = ()
    sha256: str = ""
    source_status: tuple[tuple[str, str], ...] = field(default=())

    def describe(self) -> str:
        """What happened to the input, in one line.

        Returns
        -------
        str
            Such as ``t.csv: added (source s1; 12 figures, 0 structures written)``.

        Examples
        --------
        >>> IngestResult("t.csv", "added", ("s1",), 12, 0).describe()
        't.csv: added (source s1; 12 figures, 0 structures written)'
        """
        ids = ", ".join(self.source_ids)
        noun = "source" if len(self.source_ids) == 1 else "sources"
        text = (
            f"{self.input}: {self.status} ({noun} {ids}; {self.figures} figures, "
            f"{self.structures} structures written"
        )
        if self.supersedes:
            text += f"; supersedes {', '.join(self.supersedes)}"
        if self.rejects:
            text += f"; {self.rejects} rows rejected by the reader"
        return text + ")"


# --- opening and creating -------------------------------------------------------------------


#: How long a connection waits for a concurrent ingest to finish writing.
_BUSY_TIMEOUT_S = 30.0


def _connect(path: Path) -> sqlite3.Connection:
    """A read-write connection (for ingest)."""
    # isolation_level=None: we issue BEGIN IMMEDIATE / COMMIT ourselves, so exactly the
    # statements of one input share one transaction. timeout: wait for a concurrent ingest.
    con = sqlite3.connect(str(path), timeout=_BUSY_TIMEOUT_S, isolation_level=None)
    con.execute("PRAGMA synchronous=FULL")
    _distrust_schema(con)
    return con


def _connect_read(path: Path) -> sqlite3.Connection:
    """A read-only connection, which works on read-only media too.

    ``mode=ro`` writes nothing (no ``journal_mode`` pragma either). A register is in WAL
    mode, whose readers need the ``-shm`` file beside it; where SQLite cannot create that
    (read-only media, a folder without write permission, a full disk) the file is opened
    again as ``immutable``: a writer would need that file too, so nothing can change the
    register while we read.
    """
    uri = path.absolute().as_uri()
    con = _open_uri(f"{uri}?mode=ro")
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return con
    except sqlite3.OperationalError as err:
        con.close()
        code = err.sqlite_errorcode
        if code & 0xFF not in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY) and (
            code not in _NO_SHARED_MEMORY
        ):
            raise
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        # immutable would read the file without the changes still in the log
        raise RegisterError(
            f"register {path} cannot be read here: its write-ahead log ({wal.name}) holds "
            "changes not yet in the file, and SQLite cannot open it read-only in this folder; "
            "open the register once where it is writable (any damage-data command does), or "
            "copy the two files to a writable folder",
            path=str(path),
        )
    return _open_uri(f"{uri}?mode=ro&immutable=1")


# SQLite could not create or grow the -shm file (on a full disk, say)
_NO_SHARED_MEMORY = (
    sqlite3.SQLITE_IOERR_SHMOPEN,
    sqlite3.SQLITE_IOERR_SHMSIZE,
    sqlite3.SQLITE_IOERR_SHMMAP,
)


def _open_uri(uri: str) -> sqlite3.Connection:
    con = sqlite3.connect(uri, uri=True, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
    _distrust_schema(con)
    return con


def _distrust_schema(con: sqlite3.Connection) -> None:
    # functions with side effects may not run from the file's schema (triggers, views,
    # defaults); the triggers themselves are checked by check_schema_objects
    con.execute("PRAGMA trusted_schema=OFF")


def _use_wal(con: sqlite3.Connection) -> None:
    """Switch a register (never someone else's file) to write-ahead logging.

    WAL, not a rollback journal: uncommitted pages go to the -wal file and never touch the
    .gpkg itself, so a killed ingest leaves the register byte-identical and readable at once by
    read-only openers (GDAL, QGIS); a rollback journal would leave a hot journal that a
    read-only GDAL open refuses until some writer rolls it back. Closing the last connection
    checkpoints and removes the -wal file, so between ingests the register is one file.
    (WAL needs shared memory: keep registers on a local disk, not a network share.)

    Switching needs the file to itself, and SQLite answers "database is locked" at once,
    without waiting out the connection's busy timeout, when a concurrent ingest has it open
    at that moment (seen in about one run in ten of two ingests creating one register). So
    the switch is retried until the same 30 s have passed; a register already in WAL mode
    (every one after its creation) is left alone.
    """
    deadline = time.monotonic() + _BUSY_TIMEOUT_S
    while True:
        if str(con.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
            return
        try:
            con.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _is_new(path: Path) -> bool:
    return not path.exists() or path.stat().st_size == 0


@contextlib.contextmanager
def open_register(
    path: str | os.PathLike[str], *, write: bool = False
) -> Iterator[sqlite3.Connection]:
    """Open a register, check it, and close it afterwards.

    Parameters
    ----------
    path
        The ``.gpkg`` register.
    write
        Open it read-write in WAL mode, creating a register where no file (or an empty,
        0-byte one) is. By default it is opened read-only, which also works on read-only
        media. An existing file is never turned into a register: one that is not a register
        is refused.

    Yields
    ------
    sqlite3.Connection
        In autocommit mode: a writer opens its own transaction (:func:`transaction`).

    Raises
    ------
    RegisterError
        No register there, not a register, a register from a newer version, one holding
        triggers or views of someone else's, a read-only file to write, a full disk.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> reg = pathlib.Path(tempfile.mkdtemp()) / "r.gpkg"
    >>> with open_register(reg, write=True) as con:
    ...     con.execute("SELECT count(*) FROM figures").fetchone()[0]
    0
    """
    target = Path(path)
    if target.is_dir():
        raise RegisterError(
            f"register {target} is a folder; give a .gpkg file path", path=str(target)
        )
    new = _is_new(target)
    if new and not write:
        raise RegisterError(
            f"no register at {target}; create one with "
            f"`damage-data ingest INPUT --register {target}`",
            path=str(target),
        )
    if new:
        target.parent.mkdir(parents=True, exist_ok=True)
    else:
        _sniff(target)
    try:
        con = _connect(target) if write else _connect_read(target)
    except sqlite3.Error as err:
        raise register_error(err, target) from err
    try:
        try:
            if write and (new or _unfinished(con)):
                _create(con)
            _check_register(con, target)
            if write:
                _use_wal(con)
        except sqlite3.DatabaseError as err:
            raise register_error(err, target) from err
        try:
            yield con
        except (sqlite3.OperationalError, sqlite3.IntegrityError) as err:
            raise register_error(err, target) from err
    finally:
        con.close()


def register_error(err: sqlite3.Error, path: Path) -> RegisterError:
    """What an SQLite error means for the register at ``path``, as a RegisterError.

    Parameters
    ----------
    err
        The error SQLite raised.
    path
        The register.

    Returns
    -------
    RegisterError
        With the cause in words and what to do.

    Examples
    --------
    >>> import sqlite3, pathlib
    >>> full = sqlite3.OperationalError("database or disk is full")
    >>> print(register_error(full, pathlib.Path("r.gpkg")))
    register r.gpkg: the disk is full; ...the register is as it was...
    """
    code = (getattr(err, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(err)
    if code == sqlite3.SQLITE_FULL or "disk is full" in text or _disk_is_full(path, code):
        why = (
            "the disk is full; nothing of this input was written and the register is as it "
            "was before it: free some space and run the command again"
        )
    elif code == sqlite3.SQLITE_READONLY or "readonly" in text or _read_only(path, code):
        why = (
            f"it cannot be written ({text}): it is on read-only media, or you may not write "
            "to it or to its folder; ingest into a writable copy"
        )
    elif code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in text:
        why = f"{text}; another program is writing to it: try again when it has finished"
    elif code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or type(err) is (
        sqlite3.DatabaseError
    ):
        why = f"it is damaged or not a GeoPackage: {text}"
    elif code == sqlite3.SQLITE_CANTOPEN:
        why = f"cannot open it: {text}"
    else:
        why = text
    return RegisterError(f"register {path}: {why}", path=str(path))


def _read_only(path: Path, code: int) -> bool:
    """SQLite cannot open a file it may not write, or beside which it cannot make its -wal."""
    if code != sqlite3.SQLITE_CANTOPEN or not path.exists():
        return False
    return not (os.access(path, os.W_OK) and os.access(path.absolute().parent, os.W_OK))


def _disk_is_full(path: Path, code: int) -> bool:
    """An I/O error on a disk with no room left (SQLite reports a failed -shm or -wal
    extension as an I/O error, not as 'disk is full')."""
    if code != sqlite3.SQLITE_IOERR:
        return False
    try:
        return shutil.disk_usage(path.absolute().parent).free < 64 * 1024
    except OSError:
        return False


def _rollback(con: sqlite3.Connection) -> None:
    """Undo the open transaction, unless SQLite has already undone it.

    SQLite rolls a transaction back itself after some errors (a full disk among them); a
    ROLLBACK then fails with "no transaction is active" and would hide the real error.
    """
    if not con.in_transaction:
        return
    try:
        con.execute("ROLLBACK")
    except sqlite3.Error as err:  # closing the connection drops the transaction anyway
        log.debug("ROLLBACK failed after an error: %s", err)


@contextlib.contextmanager
def transaction(con: sqlite3.Connection) -> Iterator[None]:
    """One write transaction: committed when the body ends, rolled back if it raises.

    ``BEGIN IMMEDIATE`` takes the write lock at once, so two ingests never interleave.

    Parameters
    ----------
    con
        A connection from ``open_register(..., write=True)``.

    Examples
    --------
    >>> import sqlite3
    >>> con = sqlite3.connect(":memory:", isolation_level=None)
    >>> _ = con.execute("CREATE TABLE t (x)")
    >>> with transaction(con):
    ...     _ = con.execute("INSERT INTO t VALUES (1)")
    >>> con.execute("SELECT count(*) FROM t").fetchone()[0]
    1
    """
    con.execute("BEGIN IMMEDIATE")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        _rollback(con)
        raise


def _sniff(path: Path) -> None:
    """Refuse files that are not SQLite before SQLite gets to write to them."""
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as err:
        raise RegisterError(f"cannot read register {path}: {err}", path=str(path)) from err
    if head != b"SQLite format 3\x00":
        raise RegisterError(
            f"{path} is not a GeoPackage (not an SQLite file); give a .gpkg register made by "
            "`damage-data ingest`, or a new file name to create one",
            path=str(path),
        )


def _is_empty_db(con: sqlite3.Connection) -> bool:
    return int(con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]) == 0


def _column_defs(table: str) -> list[str]:
    defs = []
    for column, kind in COLUMNS[table].items():
        if kind == "geom":
            continue
        sql = "TEXT" if kind.startswith("cat:") else _SQL_TYPES[kind]
        defs.append(f'"{column}" {sql}')
    return defs


def _unfinished(con: sqlite3.Connection) -> bool:
    """A register being created by another ingest, or whose creation was killed.

    Creating a register first stamps the file as a GeoPackage, then lays out its tables in
    one transaction; a file with that stamp and no table at all is one of ours, unfinished.
    Someone else's SQLite file without tables lacks the stamp, and is refused.
    """
    stamp = int(con.execute("PRAGMA application_id").fetchone()[0])
    return stamp == GPKG_APPLICATION_ID and _is_empty_db(con)


def _create(con: sqlite3.Connection) -> None:
    """Lay out an empty register in one transaction (a killed creation leaves no half file).

    The GeoPackage stamp comes first, on its own: from then on the file is recognisably
    ours (:func:`_unfinished`), to a concurrent ingest and after a crash.
    """
    con.execute(f"PRAGMA application_id={GPKG_APPLICATION_ID}")
    _use_wal(con)
    with transaction(con):
        if _is_empty_db(con):  # else another ingest created it while we waited for the lock
            now = utc_now()
            _create_gpkg(con)
            _create_tables(con)
            _describe_tables(con, now)


def _create_gpkg(con: sqlite3.Connection) -> None:
    """The GeoPackage core: its identity, the three required tables and reference systems."""
    con.execute(f"PRAGMA application_id={GPKG_APPLICATION_ID}")
    con.execute(f"PRAGMA user_version={GPKG_USER_VERSION}")
    # one statement at a time: executescript() would COMMIT the open transaction
    for statement in _GPKG_CORE_SQL.split(";"):
        if statement.strip():
            con.execute(statement)
    con.executemany(
        "INSERT INTO gpkg_spatial_ref_sys VALUES (?,?,?,?,?,?)",
        [
            (
                "Undefined Cartesian SRS",
                -1,
                "NONE",
                -1,
                "undefined",
                "undefined Cartesian coordinate reference system",
            ),
            (
                "Undefined geographic SRS",
                0,
                "NONE",
                0,
                "undefined",
                "undefined geographic coordinate reference system",
            ),
            (
                "WGS 84 geodetic",
                SRS_ID,
                "EPSG",
                SRS_ID,
                _WGS84_WKT,
                "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid",
            ),
        ],
    )


def _create_tables(con: sqlite3.Connection) -> None:
    """The register's own tables and their indexes."""
    source_cols = [*_column_defs("sources"), *(f'"{c}" {t}' for c, t in SOURCE_EXTRA.items())]
    con.execute(
        "CREATE TABLE sources (fid INTEGER PRIMARY KEY AUTOINCREMENT, "
        + ", ".join(source_cols)
        + ")"
    )
    con.execute("CREATE UNIQUE INDEX sources_source_id ON sources(source_id)")
    con.execute("CREATE UNIQUE INDEX sources_sha256 ON sources(sha256)")
    con.execute(
        "CREATE TABLE figures (fid INTEGER PRIMARY KEY AUTOINCREMENT, "
        + ", ".join(_column_defs("figures"))
        + ")"
    )
    con.execute("CREATE UNIQUE INDEX figures_figure_id ON figures(figure_id)")
    con.execute("CREATE INDEX figures_unit_code ON figures(unit_code)")
    con.execute("CREATE INDEX figures_source_id ON figures(source_id)")
    for layer in ("structures", "units"):
        con.execute(
            f"CREATE TABLE {layer} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom GEOMETRY, "
            + ", ".join(_column_defs(layer))
            + ")"
        )
    con.execute("CREATE INDEX structures_source_id ON structures(source_id)")
    con.execute("CREATE UNIQUE INDEX units_unit_code ON units(unit_code)")
    con.execute(f"CREATE TABLE {_META_TABLE} (key TEXT PRIMARY KEY, value TEXT)")


def _describe_tables(con: sqlite3.Connection, now: str) -> None:
    """The tables in ``gpkg_contents`` (what GDAL and QGIS list), and the register's stamp."""
    con.executemany(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, "
        "last_change, srs_id) VALUES (?,?,?,?,?,?)",
        [
            ("sources", "attributes", "sources", "Where each figure came from", now, None),
            ("figures", "attributes", "figures", "One row per reported count", now, None),
            (
                "structures",
                "features",
                "structures",
                "Per-structure damage assessments (points or polygons)",
                now,
                SRS_ID,
            ),
            (
                "units",
                "features",
                "units",
                "Admin units the figures are about (join figures.unit_code to map them)",
                now,
                SRS_ID,
            ),
        ],
    )
    con.executemany(
        "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'GEOMETRY', ?, 0, 0)",
        [("structures", SRS_ID), ("units", SRS_ID)],
    )
    con.executemany(
        f"INSERT INTO {_META_TABLE} VALUES (?, ?)",
        [
            ("schema_version", str(SCHEMA_VERSION)),
            ("created", now),
            ("created_by", f"damage_data {__version__}"),
        ],
    )


# The three tables every GeoPackage must have (GeoPackage 1.2, §1.1.2–1.1.3, §2.1.5).
_GPKG_CORE_SQL = """
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
"""


def _check_register(con: sqlite3.Connection, path: Path) -> None:
    app_id = con.execute("PRAGMA application_id").fetchone()[0]
    if app_id != GPKG_APPLICATION_ID:
        raise RegisterError(
            f"{path} is an SQLite file but not a GeoPackage (application_id {app_id:#x}); "
            "give a register made by `damage-data ingest`, or a new file name to create one "
            "(this file is left as it is)",
            path=str(path),
        )
    tables = {str(r[0]) for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if _META_TABLE not in tables:
        raise RegisterError(
            f"{path} is a GeoPackage but not a damage register (no {_META_TABLE} table); "
            "give a register made by `damage-data ingest`, or a new file name to create one",
            path=str(path),
        )
    row = con.execute(f"SELECT value FROM {_META_TABLE} WHERE key='schema_version'").fetchone()
    try:
        version = int(row[0]) if row else 0
    except ValueError:
        version = 0
    if version < 1:
        raise RegisterError(
            f"register {path} has no valid schema version; it may be damaged", path=str(path)
        )
    if version > SCHEMA_VERSION:
        raise RegisterError(
            f"register {path} was written by a newer damage_data (register schema {version}; "
            f"this version reads up to {SCHEMA_VERSION}); upgrade damage_data to read it",
            path=str(path),
        )
    missing = [t for t in _REGISTER_TABLES if t not in tables]
    if missing:
        raise RegisterError(
            f"register {path} lacks its table(s) {', '.join(missing)}; it is damaged or was "
            "edited by hand",
            path=str(path),
        )
    check_schema_objects(con, path)


def schema_version(path: str | os.PathLike[str]) -> int:
    """The register layout version stored in a register.

    Parameters
    ----------
    path
        The ``.gpkg`` register.

    Returns
    -------
    int
        :data:`SCHEMA_VERSION` of the damage_data that created it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from damage_data.register import ingest, schema_version
    >>> from damage_data.tables import make_figures, make_table
    >>> reg = pathlib.Path(tempfile.mkdtemp()) / "r.gpkg"
    >>> _ = ingest(reg, [(make_figures([{"source_id": "s1", "damage": "destroyed", "count": 2}]),
    ...                   make_table("sources", [{"source_id": "s1", "title": "t"}]))])
    >>> schema_version(reg)
    1
    """
    with open_register(path) as con:
        return int(
            con.execute(f"SELECT value FROM {_META_TABLE} WHERE key='schema_version'").fetchone()[0]
        )
