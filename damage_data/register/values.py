"""Values in and out of a register: table rows as SQLite stores them, GeoPackage geometry
blobs and their envelopes, and GeoPackage's timestamps."""

from __future__ import annotations

import datetime as dt
import logging
import struct
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import shapely

from .._errors import RegisterError

log = logging.getLogger(__name__)

#: The reference system of every layer: WGS 84 longitude/latitude.
SRS_ID = 4326


def utc_now() -> str:
    """The time now in UTC, as GeoPackage writes times (ISO 8601, milliseconds, ``Z``).

    Returns
    -------
    str
        Such as ``2020-11-10T08:30:00.000Z``.

    Examples
    --------
    >>> len(utc_now()), utc_now().endswith("Z")
    (24, True)
    """
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _column_values(values: pd.Series, kind: str) -> list[Any]:
    """One column as SQLite stores it: ISO date text, 0/1 for booleans, plain int/str/None.

    Vectorised per column (a per-cell Python function is the slow part of a large ingest).
    """
    missing = values.isna().to_numpy()
    out: list[Any]
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
    """A table's rows as SQLite stores them, for ``executemany``.

    Parameters
    ----------
    frame
        The table.
    columns
        Column name to kind (as in :data:`damage_data.tables.COLUMNS`); ``geom`` columns
        are left out.

    Returns
    -------
    list of tuple
        One tuple per row, values in the order of ``columns``: ISO date text, 0/1 for
        booleans, plain int, float or str, None for missing values.

    Examples
    --------
    >>> rows(pd.DataFrame({"n": [3, None], "day": ["2020-11-10", None]}),
    ...      {"n": "int", "day": "date"})
    [(3, '2020-11-10'), (None, None)]
    """
    cols = [c for c, k in columns.items() if k != "geom"]
    return list(zip(*(_column_values(frame[c], columns[c]) for c in cols), strict=True))


def gpkg_blobs(geometries: Any) -> list[bytes | None]:
    """GeoPackage geometry blobs: the GPKG binary header, then ISO WKB from shapely.

    Written here rather than through pyogrio so that an input's structures go into the same
    SQLite transaction as its sources and figures: a second writer (GDAL) would commit on its
    own connection, and a killed ingest could then leave structures without their source.

    Parameters
    ----------
    geometries
        shapely geometries (an array or a GeoSeries' ``values``) in EPSG:4326.

    Returns
    -------
    list of bytes or None
        One blob per geometry; None for a missing geometry.

    Examples
    --------
    >>> import shapely
    >>> blob = gpkg_blobs([shapely.Point(46.9, 40.1)])[0]
    >>> blob[:4], geometry_from_blob(blob).wkt
    (b'GP\\x00\\x01', 'POINT (46.9 40.1)')
    """
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


def envelopes(geometries: Any) -> list[tuple[float, float, float, float] | None]:
    """Each geometry's ``(minx, miny, maxx, maxy)``; None for a missing or empty one.

    Parameters
    ----------
    geometries
        shapely geometries.

    Returns
    -------
    list of tuple or None

    Examples
    --------
    >>> import shapely
    >>> envelopes([shapely.box(1, 2, 3, 4), None, shapely.Point()])
    [(1.0, 2.0, 3.0, 4.0), None, None]
    """
    geoms = np.asarray(geometries, dtype=object)
    bounds = shapely.bounds(geoms)
    return [
        None
        if np.isnan(box).any()
        else (float(box[0]), float(box[1]), float(box[2]), float(box[3]))
        for box in bounds
    ]


_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def geometry_from_blob(blob: bytes | None) -> Any:
    """The shapely geometry in a GeoPackage geometry blob.

    Parameters
    ----------
    blob
        A blob as GeoPackage stores it (header, optional envelope, WKB), or None.

    Returns
    -------
    shapely.Geometry or None

    Raises
    ------
    RegisterError
        When the blob is not a GeoPackage geometry or its WKB is damaged.

    Examples
    --------
    >>> geometry_from_blob(None) is None
    True
    """
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
