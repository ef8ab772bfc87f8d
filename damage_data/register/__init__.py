"""The damage register: an embedded GeoPackage that accumulates sources and figures.

A register is one SQLite file laid out as a GeoPackage 1.2 (it opens in QGIS and GDAL):
plain attribute tables ``sources`` and ``figures`` with the columns of
:data:`damage_data.tables.COLUMNS` (dates as ISO text, categories as text), a point or
polygon layer ``structures`` (EPSG:4326) for per-structure products, and a ``units`` layer
with the boundaries of the units the figures name (join ``figures.unit_code`` to map).

Each input is written in one transaction (a killed ingest leaves the file as it was). A
source's sha256 is its identity: ingesting the same content twice is a no-op, and changed
content with the same source id, path or title becomes a new version of its source, which
supersedes the old one (kept, and shown by :func:`history`, but no longer summarised).

Reading needs no write access (a register on read-only media is read as it is); an ingest
creates a register only where no file is, and refuses any file that is not a register, or
one holding triggers or views the register does not know.

* :mod:`.gpkg` — the file: opening, creating, checking, transactions;
* :mod:`.values` — rows as SQLite stores them, GeoPackage geometry blobs;
* :mod:`.triggers` — which triggers a register may hold; GDAL's spatial index kept up;
* :mod:`.write` — adding inputs (ingest);
* :mod:`.read` — reading figures, sources, structures, units, a unit's history.
"""

from __future__ import annotations

from .gpkg import INGEST_STATUSES, SCHEMA_VERSION, IngestResult, schema_version
from .read import (
    HISTORY_COLUMNS,
    explain_unit,
    history,
    read_register,
    read_structures,
    read_units,
    register_sources,
)
from .write import ingest

__all__ = [
    "HISTORY_COLUMNS",
    "INGEST_STATUSES",
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
