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

* :mod:`.gpkg` — the file: creating, checking, GeoPackage geometry blobs;
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
