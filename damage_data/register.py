"""The damage register: an embedded GeoPackage that accumulates sources and figures.

A register is one SQLite file laid out as a GeoPackage 1.2 (it opens in QGIS and GDAL):
plain attribute tables ``sources`` and ``figures`` with the columns of
:data:`damage_data.tables.COLUMNS` (dates as ISO text, categories as text), a point or
polygon layer ``structures`` (EPSG:4326) for per-structure products, and a ``units`` layer
with the bundled boundaries of the units the figures name (join ``figures.unit_code`` to map).

Each input is written in one transaction (a killed ingest leaves the file as it was). A
source's sha256 is its identity: ingesting the same content twice is a no-op, and changed
content with the same source id, path or title becomes a new version of its source, which
supersedes the old one (kept, and shown by :func:`history`, but no longer summarised).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import sqlite3
import struct
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._errors import (
    DamageDataError,
    InputError,
    PlaceResolutionError,
    RegisterError,
    UsageError,
    ValidationError,
)
from .tables import COLUMNS

if TYPE_CHECKING:
    import geopandas as gpd
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
def _open(path: str | os.PathLike[str], *, create: bool = False) -> Iterator[sqlite3.Connection]:
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
    now = _now()
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
        from . import __version__

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
    with _open(path) as con:
        return int(
            con.execute(f"SELECT value FROM {_META_TABLE} WHERE key='schema_version'").fetchone()[0]
        )


# --- values in and out ----------------------------------------------------------------------


def _now() -> str:
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


def _rows(frame: pd.DataFrame, columns: Mapping[str, str]) -> list[tuple[Any, ...]]:
    cols = [c for c, k in columns.items() if k != "geom"]
    return list(zip(*(_column_values(frame[c], columns[c]) for c in cols), strict=True))


def _gpkg_blobs(geometries: Any) -> list[bytes | None]:
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


def _geometry_from_blob(blob: bytes | None) -> Any:
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


# --- inputs ---------------------------------------------------------------------------------


@dataclass
class _Input:
    label: str
    origin: str | None
    file_sha: str | None
    sources: pd.DataFrame
    figures: pd.DataFrame
    structures: Any  # GeoDataFrame or None
    rejects: int
    kind: str | None


def _file_sha256(path: Path) -> str:
    from .readers._files import sha256_of

    return sha256_of(path)


def _as_input(item: Any, kind: str, country: str | None = None) -> _Input:
    """Turn a path, a LoadResult-like object or a ``(figures, sources)`` pair into tables."""
    from .tables import make_figures, make_table

    if isinstance(item, str | os.PathLike):
        path = Path(item)
        if not path.exists():
            raise InputError(f"input {path} does not exist", path=str(path))
        try:
            from .readers import load
        except ImportError as err:  # pragma: no cover - readers ship with the package
            raise InputError(
                f"cannot read {path}: the readers module is missing ({err})", path=str(path)
            ) from err
        result = load(path, kind=kind)
        loaded = _from_loaded(result, label=str(path), country=country)
        loaded.origin = str(path.resolve())
        loaded.file_sha = _file_sha256(path) if path.is_file() else None
        return loaded
    if isinstance(item, tuple) and len(item) == 2:
        figures, sources = item
        return _Input(
            label="(figures, sources)",
            origin=None,
            file_sha=None,
            sources=make_table("sources", sources),
            figures=make_figures(figures),
            structures=None,
            rejects=0,
            kind=None,
        )
    if hasattr(item, "figures") and hasattr(item, "sources"):
        return _from_loaded(item, label=f"<{type(item).__name__}>", country=country)
    raise UsageError(
        f"cannot ingest {type(item).__name__}: give a file path, a LoadResult from "
        "damage_data.load, or a (figures, sources) pair of DataFrames"
    )


def _from_loaded(result: Any, *, label: str, country: str | None = None) -> _Input:
    from .tables import make_figures, make_table

    structures = getattr(result, "structures", None)
    if structures is not None and len(structures) == 0:
        structures = None
    if hasattr(result, "current_structures"):
        # the one way figures are made (pipeline): per-structure products counted per unit
        # (the layer keeps every structure and round), count tables placed
        from .pipeline import figures_of

        figures = figures_of(result, country=country)
    else:
        figures = result.figures
    rejects = getattr(result, "rejects", None)
    report = getattr(result, "report", None)
    kind = getattr(result, "kind", None)
    if kind is None and isinstance(report, Mapping):
        kind = report.get("kind")
    return _Input(
        label=label,
        origin=None,
        file_sha=None,
        sources=make_table("sources", result.sources),
        figures=make_figures(figures if figures is not None else []),
        structures=structures,
        rejects=int(report["rows_rejected"])
        if isinstance(report, Mapping) and report.get("rows_rejected") is not None
        else (0 if rejects is None else len(rejects)),
        kind=None if kind is None else str(kind),
    )


def _content_sha(source: Mapping[str, Any], figures: pd.DataFrame, structures: Any) -> str:
    """A hash of what a source says, for inputs that are not one file of their own."""
    digest = hashlib.sha256()
    skip = {"sha256", "retrieved"}
    digest.update(repr(sorted((k, str(v)) for k, v in source.items() if k not in skip)).encode())
    digest.update(figures.to_csv(index=False).encode())
    if structures is not None and len(structures):
        import shapely

        attrs = structures.drop(columns="geometry", errors="ignore")
        digest.update(attrs.to_csv(index=False).encode())
        for body in shapely.to_wkb(structures.geometry.values, hex=True):
            digest.update((body or "").encode())
    return digest.hexdigest()


def _parse_date(value: str | dt.date | None, option: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError as err:
        raise UsageError(f"{option} {value!r} is not a date; write it as YYYY-MM-DD") from err


def _to_wgs84(structures: Any, label: str) -> Any:
    import geopandas as gpd

    frame = (
        structures
        if isinstance(structures, gpd.GeoDataFrame)
        else gpd.GeoDataFrame(structures, geometry="geometry")
    )
    if frame.crs is None:
        minx, miny, maxx, maxy = frame.total_bounds
        if len(frame) and not (minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90):
            raise InputError(
                f"{label}: structures have no coordinate reference system and their "
                f"coordinates ({minx:.0f}, {miny:.0f}) are not longitude/latitude; give the "
                "file a .prj or CRS",
                path=label,
            )
        log.info("%s: structures without a CRS taken as EPSG:4326 (lon/lat)", label)
        return frame.set_crs(SRS_ID)
    if frame.crs.to_epsg() != SRS_ID:
        return frame.to_crs(SRS_ID)
    return frame


# --- ingest ---------------------------------------------------------------------------------


def ingest(
    register_path: str | os.PathLike[str],
    inputs: Iterable[Any] | str | os.PathLike[str],
    *,
    kind: str = "auto",
    title: str | None = None,
    publisher: str | None = None,
    published: str | dt.date | None = None,
    url: str | None = None,
    method: str | None = None,
    cites: str | None = None,
    country: str | None = None,
) -> list[IngestResult]:
    """Add inputs to a register, one transaction per input.

    Parameters
    ----------
    register_path
        The ``.gpkg`` register; created when missing.
    inputs
        File paths (read with :func:`damage_data.readers.load`), LoadResults, or
        ``(figures, sources)`` pairs of DataFrames.
    kind
        Reader kind passed to ``load`` for paths (``auto`` detects it).
    title, publisher, published, url, method, cites
        Source metadata that overrides what the reader found, for every source of each input.
        ``cites`` is the source_id of the primary source this one relays.
    country
        ISO alpha-2 code(s) for place resolution and for assigning per-structure products to
        the bundled boundaries (default: all bundled boundaries).

    Returns
    -------
    list of IngestResult
        One per input: ``added``, ``unchanged`` (identical content already there; nothing
        written) or ``new version`` (changed content of a source already in the register).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from damage_data.tables import make_figures, make_table
    >>> reg = pathlib.Path(tempfile.mkdtemp()) / "register.gpkg"
    >>> pair = (make_figures([{"source_id": "s1", "unit_code": "AZ-CAB", "damage": "damaged",
    ...                        "count": 47}]), make_table("sources", [{"source_id": "s1"}]))
    >>> [r.status for r in ingest(reg, [pair, pair])]
    ['added', 'unchanged']
    """
    from .vocab import METHODS

    if isinstance(inputs, str | os.PathLike | tuple):
        inputs = [inputs]
    items = list(inputs)
    if not items:
        raise UsageError("nothing to ingest: give at least one input")
    if method is not None and method not in METHODS:
        raise UsageError(f"unknown method {method!r}; known methods: {', '.join(METHODS)}")
    overrides = {
        k: v
        for k, v in {
            "title": title,
            "publisher": publisher,
            "published": _parse_date(published, "--published"),
            "url": url,
            "method": method,
            "cites": cites,
        }.items()
        if v not in (None, "")
    }
    results = []
    # sources written by this call: inputs given together (sharing --source-title, say) are
    # distinct sources, never versions of each other by title
    fresh: set[str] = set()
    target = Path(register_path)
    for item in items:
        loaded = _as_input(item, kind, country)
        with _open(target, create=True) as con:
            result = _ingest_one(con, loaded, overrides, kind=kind, same_call=frozenset(fresh))
        results.append(result)
        fresh.update(sid for sid, status in result.source_status if status != "unchanged")
    return results


def _ingest_one(
    con: sqlite3.Connection,
    item: _Input,
    overrides: Mapping[str, Any],
    *,
    kind: str,
    same_call: frozenset[str] = frozenset(),
) -> IngestResult:
    from .tables import make_table, validate

    sources = item.sources.copy()
    if sources.empty:
        raise InputError(
            f"{item.label}: the input holds no source, nothing to ingest", path=item.label
        )
    if sources["source_id"].isna().any() or sources["source_id"].duplicated().any():
        raise InputError(f"{item.label}: every source needs its own source_id", path=item.label)
    for column, value in overrides.items():
        sources[column] = value
    sources = make_table("sources", sources)
    if sources["kind"].isna().all():
        sources["kind"] = item.kind or (None if kind == "auto" else kind)
    figures = item.figures
    known_ids = set(sources["source_id"])
    orphans = sorted(set(figures["source_id"].dropna()) - known_ids)
    if orphans or figures["source_id"].isna().any():
        raise InputError(
            f"{item.label}: figures refer to source_id(s) {', '.join(map(repr, orphans)) or 'NA'} "
            f"that are not among the input's sources ({', '.join(sorted(known_ids))}); "
            "give every source its row",
            path=item.label,
        )
    try:
        validate(figures, "figures")
    except ValidationError as err:
        raise ValidationError(
            f"{item.label}: {err}; nothing was written", failure_cases=err.failure_cases
        ) from err
    structures = item.structures
    if structures is not None:
        structures = _to_wgs84(structures, item.label)

    single = len(sources) == 1
    source_records = [{str(k): v for k, v in r.items()} for r in sources.to_dict("records")]
    for record in source_records:
        if single and item.file_sha:
            record["sha256"] = item.file_sha
        elif not (isinstance(record.get("sha256"), str) and record["sha256"]) or (
            sources["sha256"].nunique() < len(sources)
        ):
            sid = record["source_id"]
            struct_part = None if structures is None else structures[structures["source_id"] == sid]
            record["sha256"] = _content_sha(
                {k: v for k, v in record.items() if k not in overrides},
                figures[figures["source_id"] == sid],
                struct_part,
            )

    units = _units_of(figures)
    con.execute("BEGIN IMMEDIATE")
    try:
        outcome = _write_input(con, item, source_records, figures, structures, same_call)
        if outcome["figures"]:
            _write_units(con, units)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    statuses = [s for _, s in outcome["status"]]
    status = (
        "unchanged"
        if all(s == "unchanged" for s in statuses)
        else ("new version" if "new version" in statuses else "added")
    )
    return IngestResult(
        input=item.label,
        status=status,
        source_ids=tuple(outcome["ids"]),
        figures=outcome["figures"],
        structures=outcome["structures"],
        rejects=item.rejects,
        supersedes=tuple(outcome["supersedes"]),
        sha256=item.file_sha or (source_records[0]["sha256"] if single else ""),
        source_status=tuple(outcome["status"]),
    )


def _write_input(
    con: sqlite3.Connection,
    item: _Input,
    source_records: list[dict[str, Any]],
    figures: pd.DataFrame,
    structures: Any,
    same_call: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Write one input's new sources, figures and structures (inside the open transaction)."""
    from .tables import figure_id

    ids: list[str] = []
    statuses: list[tuple[str, str]] = []
    supersedes: list[str] = []
    renames: dict[str, str] = {}
    new_sources: list[dict[str, Any]] = []
    now = _now()
    for record in source_records:
        sid = str(record["source_id"])
        same = con.execute(
            "SELECT source_id FROM sources WHERE sha256=?", (record["sha256"],)
        ).fetchone()
        if same is not None:
            ids.append(same[0])
            statuses.append((same[0], "unchanged"))
            newer = _current_of(con).get(same[0])
            if newer is not None:
                log.warning(
                    "%s: same content as %s, which %s has superseded; %s stays current "
                    "(ingest a changed file to make a new version)",
                    item.label,
                    same[0],
                    newer,
                    newer,
                )
            continue
        previous = _previous_version(
            con, record, origin=item.origin, single=len(source_records) == 1, same_call=same_call
        )
        if previous is None:
            version, lineage, prior = 1, sid, None
        else:
            prior, version, lineage = previous[0], previous[1] + 1, previous[2]
        new_id = sid
        if con.execute("SELECT 1 FROM sources WHERE source_id=?", (new_id,)).fetchone():
            new_id = f"{lineage}.v{version}"
            if con.execute("SELECT 1 FROM sources WHERE source_id=?", (new_id,)).fetchone():
                new_id = f"{lineage}.{record['sha256'][:12]}"
        renames[sid] = new_id
        record = {
            **record,
            "source_id": new_id,
            "version": version,
            "supersedes": prior,
            "lineage": lineage,
            "origin": item.origin,
            "ingested": now,
        }
        if prior is not None:
            note = f"version {version}; supersedes {prior}"
            old = record.get("notes")
            record["notes"] = note if not isinstance(old, str) or not old else f"{old} ({note})"
            supersedes.append(prior)
        new_sources.append(record)
        ids.append(new_id)
        statuses.append((new_id, "new version" if prior else "added"))
    cited = {str(r["cites"]) for r in new_sources if isinstance(r.get("cites"), str) and r["cites"]}
    for cite in sorted(cited - set(renames) - set(renames.values()) - {s for s, _ in statuses}):
        if not con.execute("SELECT 1 FROM sources WHERE source_id=?", (cite,)).fetchone():
            known = [
                r[0]
                for r in con.execute("SELECT source_id FROM sources ORDER BY fid DESC LIMIT 20")
            ]
            raise RegisterError(
                f"{item.label}: cites source {cite!r}, which is not in the register nor in "
                f"the input; known source ids: {', '.join(known) or '(none yet)'}"
            )
    for record in new_sources:
        if record.get("cites") in renames:
            record["cites"] = renames[record["cites"]]
    _write_sources(con, new_sources)

    fresh = figures[figures["source_id"].isin(list(renames))].copy()
    if len(fresh):
        fresh["source_id"] = fresh["source_id"].map(renames)
        fresh = _fresh_figure_ids(con, fresh, figure_id)
    n_structures = 0
    if structures is not None:
        mine = structures[structures["source_id"].isin(list(renames))].copy()
        if len(mine):
            mine["source_id"] = mine["source_id"].map(renames)
            _write_structures(con, mine)
            n_structures = len(mine)
    _write_figures(con, fresh)
    if new_sources:
        con.execute(
            "UPDATE gpkg_contents SET last_change=? WHERE table_name IN ('sources', 'figures')",
            (now,),
        )
    return {
        "ids": ids,
        "status": statuses,
        "supersedes": supersedes,
        "figures": len(fresh),
        "structures": n_structures,
    }


def _previous_version(
    con: sqlite3.Connection,
    record: Mapping[str, Any],
    *,
    origin: str | None,
    single: bool,
    same_call: frozenset[str] = frozenset(),
) -> tuple[str, int, str] | None:
    """The current (latest) version this source replaces: same id, path or title.

    A title (with a publisher that does not conflict) links versions only across calls.
    """
    rows = con.execute(
        "SELECT source_id, version, lineage, origin, title, publisher FROM sources "
        "WHERE source_id NOT IN (SELECT supersedes FROM sources WHERE supersedes IS NOT NULL)"
        " ORDER BY fid"
    ).fetchall()
    sid = str(record["source_id"])
    title = _fold(record.get("title"))
    publisher = _fold(record.get("publisher"))
    for match in (
        lambda r: r[2] == sid or r[0] == sid,
        lambda r: single and origin is not None and r[3] == origin,
        lambda r: (
            bool(title)
            and r[0] not in same_call
            and _fold(r[4]) == title
            and (not publisher or not _fold(r[5]) or _fold(r[5]) == publisher)
        ),
    ):
        hits = [r for r in rows if match(r)]
        if hits:
            hit = hits[-1]
            return str(hit[0]), int(hit[1] or 1), str(hit[2] or hit[0])
    return None


def _fold(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(value.split()).casefold()


def _fresh_figure_ids(con: sqlite3.Connection, figures: pd.DataFrame, make_id: Any) -> pd.DataFrame:
    """Give figures new ids where theirs are taken (a new version of the same source)."""
    ids = [str(x) for x in figures["figure_id"]]
    taken: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        taken.update(
            r[0]
            for r in con.execute(
                f"SELECT figure_id FROM figures WHERE figure_id IN ({marks})", chunk
            )
        )
    if not taken:
        return figures
    mapping = {
        old: make_id(str(src), str(loc), i) if old in taken else old
        for i, (old, src, loc) in enumerate(
            zip(ids, figures["source_id"], figures["locator"].fillna(""), strict=True)
        )
    }
    out = figures.copy()
    for column in ("figure_id", "subset_of", "same_as"):
        out[column] = out[column].map(lambda v: mapping.get(v, v) if isinstance(v, str) else v)
    return out


def _write_sources(con: sqlite3.Connection, records: list[dict[str, Any]]) -> None:
    if not records:
        return
    import pandas as pd

    columns = {
        **COLUMNS["sources"],
        **{c: ("int" if t == "INTEGER" else "str") for c, t in SOURCE_EXTRA.items()},
    }
    frame = pd.DataFrame(records)
    for column in columns:
        if column not in frame.columns:
            frame[column] = None
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" * len(columns))
    con.executemany(f"INSERT INTO sources ({names}) VALUES ({marks})", _rows(frame, columns))


def _write_figures(con: sqlite3.Connection, figures: pd.DataFrame) -> None:
    if figures.empty:
        return
    columns = COLUMNS["figures"]
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" * len(columns))
    try:
        con.executemany(f"INSERT INTO figures ({names}) VALUES ({marks})", _rows(figures, columns))
    except sqlite3.IntegrityError as err:
        raise RegisterError(
            f"figures could not be stored: {err} (figure ids must be unique)"
        ) from err


def _units_of(figures: pd.DataFrame) -> Any:
    """The bundled boundaries of the units the figures name (loaded before the write lock).

    Kept in the register's ``units`` layer so that QGIS can join ``figures.unit_code`` and map
    the register without the toolkit. Units of countries without bundled boundaries (and
    settlement or country figures) are simply not mapped.
    """
    codes = {str(c) for c in figures["unit_code"].dropna().unique()}
    countries = sorted({c.split("-")[0] for c in codes if "-" in c})
    if not countries:
        return None
    from .places.gazetteer import BUNDLED_BOUNDARIES, bundled_units

    wanted = [c for c in countries if c in BUNDLED_BOUNDARIES]
    if not wanted:
        return None
    units = bundled_units(wanted)
    return units[units["unit_code"].isin(list(codes))]


def _write_units(con: sqlite3.Connection, units: Any) -> None:
    """Add the units not yet in the ``units`` layer (a unit's first boundary stays)."""
    if units is None or units.empty:
        return
    have = {r[0] for r in con.execute("SELECT unit_code FROM units")}
    new = units[~units["unit_code"].isin(list(have))]
    if new.empty:
        return
    _write_layer(con, "units", new)


def _extend_extent(con: sqlite3.Connection, table: str, bounds: Any) -> None:
    """Grow a layer's extent in gpkg_contents to cover ``bounds`` (minx, miny, maxx, maxy)."""
    minx, miny, maxx, maxy = (float(b) for b in bounds)
    old = con.execute(
        "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name=?", (table,)
    ).fetchone()
    if old[0] is not None:
        minx, miny = min(minx, old[0]), min(miny, old[1])
        maxx, maxy = max(maxx, old[2]), max(maxy, old[3])
    con.execute(
        "UPDATE gpkg_contents SET min_x=?, min_y=?, max_x=?, max_y=?, last_change=? "
        "WHERE table_name=?",
        (minx, miny, maxx, maxy, _now(), table),
    )


def _write_structures(con: sqlite3.Connection, structures: Any) -> None:
    _write_layer(con, "structures", structures)


def _write_layer(con: sqlite3.Connection, table: str, frame: Any) -> None:
    """Insert a GeoDataFrame (EPSG:4326) into a layer and grow the layer's extent."""
    from .tables import make_table

    typed = make_table(table, frame.drop(columns="geometry"))
    columns = {c: k for c, k in COLUMNS[table].items() if k != "geom"}
    blobs = _gpkg_blobs(frame.geometry.values)
    rows = [(blob, *row) for blob, row in zip(blobs, _rows(typed, columns), strict=True)]
    names = ", ".join(["geom", *(f'"{c}"' for c in columns)])
    marks = ", ".join("?" * (len(columns) + 1))
    con.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
    _extend_extent(con, table, frame.total_bounds)


# --- reading --------------------------------------------------------------------------------


def _query(con: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    import pandas as pd

    cursor = con.execute(sql, tuple(params))
    names = [d[0] for d in cursor.description]
    return pd.DataFrame(cursor.fetchall(), columns=names, dtype=object)


def _typed_sources(frame: pd.DataFrame) -> pd.DataFrame:
    from .tables import make_table

    out = make_table("sources", frame)
    out["version"] = out["version"].astype("Int64")
    for column in ("supersedes", "lineage", "origin"):
        out[column] = out[column].astype("string")
    out["ingested"] = _utc_times(out["ingested"])
    return out


def _utc_times(values: pd.Series) -> pd.Series:
    import pandas as pd

    return pd.to_datetime(values, errors="coerce", utc=True, format="ISO8601")


def _typed_figures(frame: pd.DataFrame) -> pd.DataFrame:
    from .tables import make_figures

    out = frame.copy()
    out["cumulative"] = out["cumulative"].map(
        lambda v: None if v is None else bool(v), na_action="ignore"
    )
    return make_figures(out.reset_index(drop=True))


_FIGURE_COLS = ", ".join(f'f."{c}"' for c in COLUMNS["figures"])
_SOURCE_COLS = ", ".join(f'"{c}"' for c in [*COLUMNS["sources"], *SOURCE_EXTRA])
_CURRENT = "source_id NOT IN (SELECT supersedes FROM sources WHERE supersedes IS NOT NULL)"


def read_register(
    path: str | os.PathLike[str], *, include_superseded: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The figures and sources held in a register, typed like ``make_figures``/``make_table``.

    Parameters
    ----------
    path
        The ``.gpkg`` register.
    include_superseded
        Also return sources replaced by a newer version, and their figures. By default only
        the current version of each source speaks, so a corrected file never counts twice.

    Returns
    -------
    (figures, sources)
        ``sources`` carries the register's ``version``, ``supersedes``, ``lineage``,
        ``origin`` and ``ingested`` columns after the standard ones. ``cites`` pointing at a
        superseded source is moved to its current version.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from damage_data.tables import make_figures, make_table
    >>> reg = pathlib.Path(tempfile.mkdtemp()) / "r.gpkg"
    >>> figs = make_figures([{"source_id": "s1", "damage": "destroyed", "count": 3}])
    >>> _ = ingest(reg, [(figs, make_table("sources", [{"source_id": "s1"}]))])
    >>> figures, sources = read_register(reg)
    >>> int(figures.loc[0, "count"]), list(sources["source_id"])
    (3, ['s1'])
    """
    with _open(path) as con:
        where = "" if include_superseded else f"WHERE {_CURRENT}"
        sources = _query(con, f"SELECT {_SOURCE_COLS} FROM sources {where} ORDER BY fid")
        source_where = (
            ""
            if include_superseded
            else f"WHERE f.source_id IN (SELECT source_id FROM sources WHERE {_CURRENT})"
        )
        figures = _query(con, f"SELECT {_FIGURE_COLS} FROM figures f {source_where} ORDER BY f.fid")
        if not include_superseded:
            current = _current_of(con)
            sources["cites"] = sources["cites"].map(
                lambda v: current.get(v, v) if isinstance(v, str) else v
            )
    try:
        return _typed_figures(figures), _typed_sources(sources)
    except DamageDataError as err:
        raise RegisterError(
            f"register {path} holds values this version of damage_data does not accept: {err}",
            path=str(path),
        ) from err


def _current_of(con: sqlite3.Connection) -> dict[str, str]:
    """Map every superseded source_id to the current version of its source."""
    newer = dict(
        con.execute(
            "SELECT supersedes, source_id FROM sources WHERE supersedes IS NOT NULL"
        ).fetchall()
    )
    out = {}
    for old in newer:
        seen, cur = {old}, newer[old]
        while cur in newer and newer[cur] not in seen:
            seen.add(cur)
            cur = newer[cur]
        out[old] = cur
    return out


def register_sources(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Every source in a register, all versions, with its counts of figures and structures.

    Adds ``current`` (false once a newer version superseded it), ``figures`` and
    ``structures`` to the sources table.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from damage_data.tables import make_figures, make_table
    >>> reg = pathlib.Path(tempfile.mkdtemp()) / "r.gpkg"
    >>> figs = make_figures([{"source_id": "s1", "damage": "destroyed", "count": 3}])
    >>> _ = ingest(reg, [(figs, make_table("sources", [{"source_id": "s1", "title": "T"}]))])
    >>> row = register_sources(reg).iloc[0]
    >>> row["source_id"], row["title"], int(row["version"]), int(row["figures"])
    ('s1', 'T', 1, 1)
    """
    with _open(path) as con:
        sources = _query(con, f"SELECT {_SOURCE_COLS} FROM sources ORDER BY fid")
        counts = dict(
            con.execute("SELECT source_id, count(*) FROM figures GROUP BY source_id").fetchall()
        )
        structs = dict(
            con.execute("SELECT source_id, count(*) FROM structures GROUP BY source_id").fetchall()
        )
        superseded = {
            r[0] for r in con.execute("SELECT supersedes FROM sources WHERE supersedes IS NOT NULL")
        }
    out = _typed_sources(sources)
    out["current"] = (~out["source_id"].isin(list(superseded))).astype("boolean")
    out["figures"] = out["source_id"].map(lambda s: counts.get(s, 0)).astype("Int64")
    out["structures"] = out["source_id"].map(lambda s: structs.get(s, 0)).astype("Int64")
    return out


def read_structures(
    path: str | os.PathLike[str], *, source_id: str | None = None
) -> gpd.GeoDataFrame:
    """The ``structures`` layer of a register (EPSG:4326), optionally of one source.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from damage_data.tables import make_figures, make_table
    >>> reg = pathlib.Path(tempfile.mkdtemp()) / "r.gpkg"
    >>> _ = ingest(reg, [(make_figures([]), make_table("sources", [{"source_id": "s1"}]))])
    >>> len(read_structures(reg))
    0
    """
    where, params = ("WHERE source_id=?", [source_id]) if source_id else ("", [])
    return _read_layer(path, "structures", where, params)


def read_units(path: str | os.PathLike[str]) -> gpd.GeoDataFrame:
    """The ``units`` layer: bundled boundaries of the units the register's figures name.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from damage_data.tables import make_figures, make_table
    >>> reg = pathlib.Path(tempfile.mkdtemp()) / "r.gpkg"
    >>> figs = make_figures([{"source_id": "s1", "unit_code": "AZ-CAB", "damage": "destroyed",
    ...                       "count": 3}])
    >>> _ = ingest(reg, [(figs, make_table("sources", [{"source_id": "s1"}]))])
    >>> read_units(reg)["unit_code"].tolist()
    ['AZ-CAB']
    """
    return _read_layer(path, "units", "", [])


def _read_layer(
    path: str | os.PathLike[str], table: str, where: str, params: Sequence[Any]
) -> gpd.GeoDataFrame:
    import geopandas as gpd

    from .tables import make_table

    columns = [c for c, k in COLUMNS[table].items() if k != "geom"]
    names = ", ".join(f'"{c}"' for c in columns)
    with _open(path) as con:
        frame = _query(con, f"SELECT geom, {names} FROM {table} {where} ORDER BY fid", params)
    try:
        geometry = [_geometry_from_blob(b) for b in frame["geom"]]
        typed = make_table(table, frame.drop(columns="geom"))
    except DamageDataError as err:
        raise RegisterError(f"register {path}, layer {table}: {err}", path=str(path)) from err
    return gpd.GeoDataFrame(typed, geometry=geometry, crs=SRS_ID)


# --- questions about one unit -------------------------------------------------------------

#: Columns of :func:`history`, in order.
HISTORY_COLUMNS: tuple[str, ...] = (
    "as_of",
    "unit_code",
    "unit_name",
    "place_text",
    "damage",
    "structure",
    "count",
    "count_min",
    "count_max",
    "qualifier",
    "count_unit",
    "cumulative",
    "status",
    "flags",
    "source_id",
    "source_title",
    "publisher",
    "published",
    "method",
    "version",
    "current",
    "evidence",
    "locator",
    "figure_id",
)


def _unit_codes(con: sqlite3.Connection, unit: str, path: Path) -> list[str]:
    """The unit code(s) a user means: a code in the register, a name there, or a place name.

    Names are matched exactly (ignoring case and spacing) against the register's own
    ``unit_name``, ``place_text`` and ``settlement``, then through
    :func:`damage_data.places.resolve_place`. Nothing is guessed: an unknown name raises.
    """
    text = " ".join(str(unit).split())
    if not text:
        raise UsageError("give a unit: a code such as AZ-TAR or a place name")
    codes = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT unit_code FROM figures WHERE unit_code = ? COLLATE NOCASE", (text,)
        )
    ]
    if codes:
        return codes
    codes = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT unit_code FROM figures WHERE unit_code IS NOT NULL AND ("
            "unit_name = ? COLLATE NOCASE OR place_text = ? COLLATE NOCASE "
            "OR settlement = ? COLLATE NOCASE) ORDER BY unit_code",
            (text, text, text),
        )
    ]
    if codes:
        return codes
    resolved = _resolve_place(text)
    if resolved:
        return [resolved]
    known = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT unit_code FROM figures WHERE unit_code IS NOT NULL "
            "ORDER BY unit_code LIMIT 40"
        )
    ]
    raise PlaceResolutionError(
        f"no unit {unit!r} in register {path}, and the name does not resolve to a unit; "
        f"give a unit code, e.g. one of: {', '.join(known) or '(the register has no figures)'}"
    )


def _resolve_place(text: str) -> str | None:
    """The unit code of a place name through the gazetteer, or None when it is not sure."""
    try:
        from .places import resolve_place
    except ImportError:  # places ships with the package; tolerate a partial checkout
        return None
    try:
        match = resolve_place(text)
    except DamageDataError:
        return None
    code = (
        match.get("unit_code") if isinstance(match, Mapping) else getattr(match, "unit_code", None)
    )
    kind = match.get("match") if isinstance(match, Mapping) else getattr(match, "match", None)
    if code is None or (isinstance(code, float) and code != code):
        return None
    if kind in ("fuzzy", "ambiguous", "unresolved"):
        # a fuzzy guess is not good enough to pick a unit's history
        return None
    return str(code)


def history(path: str | os.PathLike[str], unit: str) -> pd.DataFrame:
    """Every figure a register holds about a unit, over time, with its evidence and source.

    Includes figures of superseded source versions (``current`` is false for them), so the
    table shows how the reporting changed.

    Parameters
    ----------
    path
        The ``.gpkg`` register.
    unit
        A unit code (``AZ-TAR``) or a place name resolved to one.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`HISTORY_COLUMNS`, oldest ``as_of`` first.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from damage_data.tables import make_figures, make_table
    >>> reg = pathlib.Path(tempfile.mkdtemp()) / "r.gpkg"
    >>> figs = make_figures([{"source_id": "s1", "unit_code": "AZ-TAR", "damage": "destroyed",
    ...                       "count": 3, "as_of": "2020-10-17"}])
    >>> _ = ingest(reg, [(figs, make_table("sources", [{"source_id": "s1", "title": "T"}]))])
    >>> history(reg, "AZ-TAR")[["source_title", "count"]].values.tolist()
    [['T', 3]]
    """
    import pandas as pd

    target = Path(path)
    with _open(target) as con:
        codes = _unit_codes(con, unit, target)
        marks = ",".join("?" * len(codes))
        figures = _query(
            con,
            f"SELECT {_FIGURE_COLS} FROM figures f WHERE f.unit_code IN ({marks}) ORDER BY f.fid",
            codes,
        )
        sources = _query(con, f"SELECT {_SOURCE_COLS} FROM sources ORDER BY fid")
        superseded = {
            r[0] for r in con.execute("SELECT supersedes FROM sources WHERE supersedes IS NOT NULL")
        }
    typed = _typed_figures(figures)
    meta = _typed_sources(sources).set_index("source_id")
    out = typed.copy()
    ids = out["source_id"].astype(object)
    out["source_title"] = ids.map(meta["title"]).astype("string")
    out["publisher"] = ids.map(meta["publisher"]).astype("string")
    out["published"] = pd.to_datetime(ids.map(meta["published"]))
    out["method"] = ids.map(meta["method"].astype(object)).astype("string")
    out["version"] = ids.map(meta["version"]).astype("Int64")
    out["current"] = (~out["source_id"].isin(list(superseded))).astype("boolean")
    # stable: figures with the same dates keep the order they were ingested in
    out = out.sort_values(["as_of", "published"], na_position="last", kind="stable")
    return out[list(HISTORY_COLUMNS)].reset_index(drop=True)


def explain_unit(
    path: str | os.PathLike[str],
    unit: str,
    *,
    policy: str = "best",
    as_of: Any = None,
    count_possible: bool = False,
    disagree_ratio: float = 1.5,
) -> pd.DataFrame:
    """Which of a register's figures about a unit the summary uses, and the rule for each.

    Reads the register's current sources (:func:`read_register`) and calls
    :func:`damage_data.reconcile.explain` with the same options as ``summarise``. Figures of
    source versions that a newer version superseded follow, set aside with that rule.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from damage_data.example import example_figures, example_sources
    >>> reg = pathlib.Path(tempfile.mkdtemp()) / "r.gpkg"
    >>> _ = ingest(reg, [(example_figures(), example_sources())])
    >>> e = explain_unit(reg, "AZ-FUZ")
    >>> bool(e.loc[e["figure_id"] == "fuz-a-325", "used"].iloc[0])
    False
    """
    from .reconcile import explain

    target = Path(path)
    with _open(target) as con:
        codes = _unit_codes(con, unit, target)
    if len(codes) > 1:
        raise UsageError(
            f"{unit!r} names several units in {target}: {', '.join(codes)}; give one unit code"
        )
    import pandas as pd

    code = codes[0]
    figures, sources = read_register(target)
    everything, all_sources = read_register(target, include_superseded=True)
    old = everything[
        (everything["unit_code"] == code)
        & ~everything["source_id"].isin(list(sources["source_id"]))
    ]
    parts = []
    if old.empty or (figures["unit_code"] == code).any():
        # (with no figure at all, explain() raises the error that lists the known units)
        parts.append(
            explain(
                figures,
                sources,
                code,
                policy=policy,
                as_of=as_of,
                count_possible=count_possible,
                disagree_ratio=disagree_ratio,
            )
        )
    if not old.empty:
        with _open(target) as con:
            newer = _current_of(con)
        titles = all_sources.set_index("source_id")["title"]
        ids = old["source_id"].astype(object)
        parts.append(
            old.assign(
                used=False,
                rule=[f"set aside: source superseded by its newer version {newer[s]}" for s in ids],
                source_title=ids.map(titles).astype(object),
            )
        )
    if len(parts) == 1:
        return parts[0]
    return pd.concat(parts, ignore_index=True)


__all__ = [
    "HISTORY_COLUMNS",
    "SCHEMA_VERSION",
    "IngestResult",
    "explain_unit",
    "history",
    "ingest",
    "read_register",
    "read_structures",
    "read_units",
    "register_sources",
    "schema_version",
]
