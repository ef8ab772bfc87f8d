"""The register's file: a GeoPackage 1.2 laid out in plain SQLite (opens in QGIS and GDAL).

Creating and checking the file, its tables (``sources``, ``figures``, the ``structures`` and
``units`` layers) and the GeoPackage geometry blobs, written by hand because one input must
be one SQLite transaction (GDAL's writers commit on their own).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3
import struct
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import (
    RegisterError,
)
from ..tables import COLUMNS

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

#: Version of the register's own layout, stored in the file. Bump it when tables change, and
#: teach :func:`_check_register` to upgrade older files.
SCHEMA_VERSION = 1
#: SQLite ``application_id`` of a GeoPackage ('GPKG') and the GeoPackage version we write (1.2,
#: the oldest with attribute tables, so older QGIS/GDAL builds still open the file).
GPKG_APPLICATION_ID = 0x47504B47
GPKG_USER_VERSION = 10200
SRS_ID = 4326

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
        """One line: ``path: added (source s1; 12 figures, 0 structures written)``."""
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


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN IMMEDIATE / COMMIT ourselves, so exactly the
    # statements of one input share one transaction. timeout: wait for a concurrent ingest.
    con = sqlite3.connect(str(path), timeout=30.0, isolation_level=None)
    con.execute("PRAGMA synchronous=FULL")
    return con


def _use_wal(con: sqlite3.Connection) -> None:
    """Switch a register (never someone else's file) to write-ahead logging.

    WAL, not a rollback journal: uncommitted pages go to the -wal file and never touch the
    .gpkg itself, so a killed ingest leaves the register byte-identical and readable at once by
    read-only openers (GDAL, QGIS); a rollback journal would leave a hot journal that a
    read-only GDAL open refuses until some writer rolls it back. Closing the last connection
    checkpoints and removes the -wal file, so between ingests the register is one file.
    (WAL needs shared memory: keep registers on a local disk, not a network share.)
    """
    con.execute("PRAGMA journal_mode=WAL")


def _is_new(path: Path) -> bool:
    return not path.exists() or path.stat().st_size == 0


@contextlib.contextmanager
def open_register(
    path: str | os.PathLike[str], *, create: bool = False
) -> Iterator[sqlite3.Connection]:
    """Open a register (creating an empty one if asked); close it afterwards."""
    target = Path(path)
    if target.is_dir():
        raise RegisterError(
            f"register {target} is a folder; give a .gpkg file path", path=str(target)
        )
    if _is_new(target):
        if not create:
            raise RegisterError(
                f"no register at {target}; create one with "
                f"`damage-data ingest INPUT --register {target}`",
                path=str(target),
            )
        target.parent.mkdir(parents=True, exist_ok=True)
    else:
        _sniff(target)
    try:
        con = _connect(target)
    except sqlite3.Error as err:
        raise RegisterError(f"cannot open register {target}: {err}", path=str(target)) from err
    try:
        try:
            if create and _is_empty_db(con):
                _use_wal(con)
                _create(con)
            _check_register(con, target)
            _use_wal(con)
        except sqlite3.DatabaseError as err:
            raise RegisterError(
                f"register {target} is damaged or not a GeoPackage: {err}", path=str(target)
            ) from err
        try:
            yield con
        except sqlite3.OperationalError as err:
            hint = (
                "; another program is writing to it: try again when it has finished"
                if "locked" in str(err) or "busy" in str(err)
                else ""
            )
            raise RegisterError(f"register {target}: {err}{hint}", path=str(target)) from err
    finally:
        con.close()


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
    return con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0


def _column_defs(table: str) -> list[str]:
    defs = []
    for column, kind in COLUMNS[table].items():
        if kind == "geom":
            continue
        sql = "TEXT" if kind.startswith("cat:") else _SQL_TYPES[kind]
        defs.append(f'"{column}" {sql}')
    return defs


def _create(con: sqlite3.Connection) -> None:
    """Lay out an empty register in one transaction (a killed creation leaves no half file)."""
    now = utc_now()
    con.execute("BEGIN IMMEDIATE")
    if not _is_empty_db(con):  # another process created it while we waited for the lock
        con.execute("ROLLBACK")
        return
    try:
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
        con.execute(
            "CREATE TABLE structures (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom GEOMETRY, "
            + ", ".join(_column_defs("structures"))
            + ")"
        )
        con.execute("CREATE INDEX structures_source_id ON structures(source_id)")
        con.execute(
            "CREATE TABLE units (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom GEOMETRY, "
            + ", ".join(_column_defs("units"))
            + ")"
        )
        con.execute("CREATE UNIQUE INDEX units_unit_code ON units(unit_code)")
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
        con.execute(f"CREATE TABLE {_META_TABLE} (key TEXT PRIMARY KEY, value TEXT)")
        from .. import __version__

        con.executemany(
            f"INSERT INTO {_META_TABLE} VALUES (?, ?)",
            [
                ("schema_version", str(SCHEMA_VERSION)),
                ("created", now),
                ("created_by", f"damage_data {__version__}"),
            ],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


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
            "give a register made by `damage-data ingest`",
            path=str(path),
        )
    found = con.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name=?", (_META_TABLE,)
    ).fetchone()
    if found is None:
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


def schema_version(path: str | os.PathLike[str]) -> int:
    """The register layout version stored in ``path``.

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


# --- values in and out ----------------------------------------------------------------------


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _column_values(values: pd.Series, kind: str) -> list[Any]:
    """One column as SQLite stores it: ISO date text, 0/1 for booleans, plain int/str/None.

    Vectorised per column (a per-cell Python function is the slow part of a large ingest).
    """
    import pandas as pd

    missing = values.isna().to_numpy()
    if kind == "date":
        stamps = pd.to_datetime(values, errors="coerce")
        if (stamps.dropna() != stamps.dropna().dt.normalize()).any():
            # GeoPackage DATE holds a day; figure tables only ever carry days.
            log.debug("time of day dropped from %s when storing it as a date", values.name)
        out = stamps.dt.strftime("%Y-%m-%d").astype(object).tolist()
    elif kind == "int":
        out = pd.to_numeric(values, errors="coerce").astype("Int64").tolist()
    elif kind == "bool":
        out = [
            int(bool(v)) if not m else None
            for v, m in zip(values.astype(object).tolist(), missing, strict=True)
        ]
    elif kind == "float":
        out = pd.to_numeric(values, errors="coerce").astype("float64").tolist()
    else:
        out = [str(v) for v in values.astype(object).tolist()]
    return [None if m else v for v, m in zip(out, missing, strict=True)]


def rows(frame: pd.DataFrame, columns: Mapping[str, str]) -> list[tuple[Any, ...]]:
    cols = [c for c, k in columns.items() if k != "geom"]
    return list(zip(*(_column_values(frame[c], columns[c]) for c in cols), strict=True))


def gpkg_blobs(geometries: Any) -> list[bytes | None]:
    """GeoPackage geometry blobs: the GPKG binary header, then ISO WKB from shapely.

    Written here rather than through pyogrio so that an input's structures go into the same
    SQLite transaction as its sources and figures: a second writer (GDAL) would commit on its
    own connection, and a killed ingest could then leave structures without their source.
    """
    import numpy as np
    import shapely

    geoms = np.asarray(geometries, dtype=object)
    wkb = shapely.to_wkb(geoms, byte_order=1, flavor="iso", output_dimension=2)
    bounds = shapely.bounds(geoms)
    empty = shapely.is_empty(geoms)
    points = shapely.get_type_id(geoms) == 0
    srs = struct.pack("<i", SRS_ID)
    out: list[bytes | None] = []
    for i, body in enumerate(wkb):
        if body is None:
            out.append(None)
        elif empty[i]:
            out.append(b"GP\x00\x11" + srs + body)  # empty flag, no envelope, little-endian
        elif points[i]:
            out.append(b"GP\x00\x01" + srs + body)  # a point's envelope is itself: omitted
        else:
            minx, miny, maxx, maxy = bounds[i]
            out.append(b"GP\x00\x03" + srs + struct.pack("<4d", minx, maxx, miny, maxy) + body)
    return out


_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def geometry_from_blob(blob: bytes | None) -> Any:
    import shapely

    if blob is None:
        return None
    if not isinstance(blob, bytes) or blob[:2] != b"GP" or len(blob) < 8:
        raise RegisterError("a layer holds a geometry that is not a GeoPackage geometry blob")
    flags = blob[3]
    start = 8 + _ENVELOPE_BYTES.get((flags >> 1) & 0x07, 0)
    try:
        return shapely.from_wkb(bytes(blob[start:]))
    except (shapely.errors.GEOSException, ValueError) as err:
        raise RegisterError(f"a layer holds a damaged geometry blob: {err}") from err
