"""Reading per-structure Parquet / Arrow files column by column, row group by row group.

Finds the geometry, damage, structure and date columns (GeoParquet metadata, else names),
streams only those columns, and turns WKB or GeoArrow points into coordinate arrays with
numpy, without a shapely object per point. Used by :mod:`damage_data.count.stream` and the dask
engine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from .._errors import InputError, LimitExceededError, UsageError
from ..limits import DEFAULT_LIMITS, Limits
from ..readers._parquet import decoded_bytes
from ..readers._vector import DAMAGE_COLUMNS, DATE_COLUMNS, STRUCTURE_COLUMNS, parse_dates

if TYPE_CHECKING:
    import pyarrow as pa

#: Files read as Parquet / as Arrow IPC (Feather v2).
PARQUET_SUFFIXES = (".parquet", ".geoparquet", ".pq")
ARROW_SUFFIXES = (".arrow", ".feather", ".ipc")
#: Geometry column names looked for when a file has no GeoParquet metadata.
GEOMETRY_NAMES = ("geometry", "geom", "wkb_geometry", "the_geom", "shape", "wkb")
#: Coordinate column pairs accepted instead of a geometry column (longitude/latitude).
XY_NAMES = (("lon", "lat"), ("longitude", "latitude"), ("lng", "lat"), ("x", "y"))
#: UNOSAT single-round class columns, beside the generic damage column names of the readers.
UNOSAT_DAMAGE_COLUMNS = ("main_damage_site_class", "main_damag", "dasitcl")
#: WKB point, little-endian: byte order, geometry type, x, y (21 bytes, unaligned).
WKB_POINT = np.dtype([("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])

# row status codes
_OK, _NULL_GEOM, _EMPTY_GEOM, _BAD_GEOM, _BAD_XY = 0, 1, 2, 3, 4
_STATUS_REASON = {
    _NULL_GEOM: "missing geometry: a structure needs a point or polygon",
    _EMPTY_GEOM: "empty geometry: a structure needs a point or polygon",
    _BAD_GEOM: "unreadable geometry (not valid WKB)",
    _BAD_XY: "coordinates cannot be transformed to the units' CRS (out of its range)",
}
_NAT = np.iinfo(np.int64).min  # a missing date, in days


@dataclass(frozen=True)
class Layout:
    """Which columns of a file hold what, and how its geometry is stored."""

    path: str
    fmt: str  # "parquet" | "arrow"
    geometry: str | None  # geometry column (WKB or GeoArrow), or None with x/y columns
    encoding: str  # "wkb" | "geoarrow" | "xy"
    x: str | None
    y: str | None
    damage: str
    structure: str | None
    date: str | None
    split_dates: bool
    crs: str | None  # the file's CRS as WKT / user input; None when unknown
    crs_assumed: bool
    dictionary: tuple[str, ...]  # string columns read as Arrow dictionaries

    @property
    def columns(self) -> list[str]:
        cols = [self.geometry] if self.geometry else [str(self.x), str(self.y)]
        cols += [c for c in (self.damage, self.structure, self.date) if c]
        return list(dict.fromkeys(cols))


def _fold(name: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")


def _find(names: Sequence[str], candidates: Sequence[str]) -> str | None:
    folded = {_fold(n): n for n in names}
    for cand in candidates:
        if cand in folded:
            return folded[cand]
    return None


def _schema(path: Path) -> tuple[pa.Schema, str]:
    import pyarrow as pa
    import pyarrow.dataset as ds

    suffix = path.suffix.lower()
    try:
        if path.is_dir():
            return ds.dataset(path, format="parquet").schema, "parquet"
        if suffix in ARROW_SUFFIXES:
            with pa.memory_map(str(path)) as source:
                return pa.ipc.open_file(source).schema, "arrow"
        import pyarrow.parquet as pq

        return pq.read_schema(path), "parquet"
    except (OSError, pa.ArrowInvalid) as err:
        raise InputError(
            f"{path}: not a readable Parquet or Arrow file ({str(err).splitlines()[0][:200]}); "
            "check that the file is complete.",
            path=str(path),
        ) from err


def _damage_candidates() -> tuple[str, ...]:

    return (*DAMAGE_COLUMNS, *UNOSAT_DAMAGE_COLUMNS)


def _multi_round(names: Sequence[str]) -> bool:
    """UNOSAT round histories (``Main_Damage_Site_Class_2``…) must go through the reader."""
    import re

    return any(
        re.fullmatch(r"(main_damage_site_class|main_dam|dasitcl)_?\d+", _fold(n)) for n in names
    )


def layout_of(
    path: str | Path,
    *,
    damage_column: str | None = None,
    structure_column: str | None = None,
    date_column: str | bool | None = None,
) -> Layout:
    """Find the geometry, damage, structure and date columns of a Parquet/Arrow file.

    Raises
    ------
    InputError
        When the file is unreadable or has no geometry (or lon/lat) or no damage column.
    """

    p = Path(path)
    schema, fmt = _schema(p)
    names = list(schema.names)
    geo = _geo_metadata(schema)
    geometry = encoding = x = y = None
    crs: str | None = None
    crs_assumed = False
    if geo is not None:
        described = geo.get("columns")
        described = described if isinstance(described, dict) else {}
        geometry = geo.get("primary_column") or next(iter(described), None)
        if not isinstance(geometry, str) or geometry not in names:
            raise InputError(
                f"{p}: the GeoParquet metadata names geometry column {geometry!r}, which the "
                f"file does not have (columns: {', '.join(names[:20])}); the file was written "
                "wrongly. Re-export it (e.g. with geopandas' to_parquet).",
                path=str(p),
            )
        info = described.get(geometry)
        info = info if isinstance(info, dict) else {}
        kind = str(info.get("encoding", "WKB")).lower()
        encoding = "wkb" if kind == "wkb" else "geoarrow"
        if encoding == "geoarrow" and kind != "point":
            raise InputError(
                f"{p}: geometry column {geometry!r} uses the GeoArrow {kind!r} encoding; this "
                "path reads WKB or GeoArrow points. Re-write the file with WKB geometry "
                "(geopandas: to_parquet(geometry_encoding='WKB')) or load it with load().",
                path=str(p),
            )
        if "crs" not in info:
            crs = "OGC:CRS84"  # GeoParquet: a missing crs means longitude/latitude
        elif info["crs"] is None:
            crs, crs_assumed = "OGC:CRS84", True
        else:
            raw = info["crs"]
            crs = json.dumps(raw) if isinstance(raw, dict) else str(raw)
    else:
        geometry = _find(names, GEOMETRY_NAMES)
        if geometry is not None:
            encoding = "wkb"
        else:
            for xn, yn in XY_NAMES:
                x, y = _find(names, (xn,)), _find(names, (yn,))
                if x and y:
                    encoding = "xy"
                    break
            else:
                x = y = None
        crs, crs_assumed = "OGC:CRS84", True
    if encoding is None:
        raise InputError(
            f"{p}: no geometry: no GeoParquet metadata, no {'/'.join(GEOMETRY_NAMES)} column "
            f"and no lon/lat columns; columns are: {', '.join(names)}.",
            path=str(p),
        )
    damage = damage_column or _find(names, _damage_candidates())
    if damage is None or damage not in names:
        raise InputError(
            f"{p}: no damage column"
            + (f" {damage_column!r}" if damage_column else "")
            + f"; columns are: {', '.join(names)}. Pass damage_column= (CLI: --damage-column) "
            f"or name it one of: {', '.join(_damage_candidates())}.",
            path=str(p),
        )
    for given, label in ((structure_column, "structure"), (date_column, "date")):
        if isinstance(given, str) and given not in names:
            raise UsageError(f"{p}: no {label} column {given!r}; columns are: {', '.join(names)}.")
    structure = structure_column or _find(names, STRUCTURE_COLUMNS)
    if date_column is False:
        date = None
    elif isinstance(date_column, str):
        date = date_column
    else:
        date = _find(names, DATE_COLUMNS)
    import pyarrow as pa

    dictionary = tuple(
        c
        for c in (damage, structure, date)
        if c
        and (
            pa.types.is_string(schema.field(c).type)
            or pa.types.is_large_string(schema.field(c).type)
        )
    )
    return Layout(
        path=str(p),
        fmt=fmt,
        geometry=geometry,
        encoding=str(encoding),
        x=x,
        y=y,
        damage=damage,
        structure=structure,
        date=date,
        split_dates=date is not None,
        crs=crs,
        crs_assumed=crs_assumed,
        dictionary=dictionary,
    )


#: Bytes per value of Parquet's fixed-width types, as decoded.
_WIDTHS = {"BOOLEAN": 1, "INT32": 4, "FLOAT": 4, "INT64": 8, "DOUBLE": 8, "INT96": 12}
#: Below this many decoded bytes a file is never called a bomb, whatever its ratio.
_RATIO_FLOOR = 1 << 20


def check_sizes(layout: Layout, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a Parquet file whose columns to read would decode past the limits.

    A few KB of repeated values can decode to gigabytes (a Parquet bomb). The streaming
    path reads only the geometry, damage, structure and date columns, so only those are
    measured, from the file's metadata: fixed-width values by count, other values by their
    uncompressed pages. A text or binary column chunk that is mostly dictionary (a few
    values repeated, the shape of a bomb) is measured exactly, through its
    dictionary-encoded form, which is cheap for exactly those chunks. Row count and total
    size are not limited here: streaming is made for files larger than memory.

    Raises
    ------
    LimitExceededError
        When one row group would decode past ``limits.max_uncompressed_bytes``, or the
        file would expand more than ``limits.max_compression_ratio``.
    """
    if layout.fmt != "parquet":
        return
    import pyarrow.parquet as pq

    path = Path(layout.path)
    files = sorted(path.rglob("*.parquet")) if path.is_dir() else [path]
    wanted = set(layout.columns)
    for file in files:
        meta = pq.read_metadata(file)
        total = 0
        for g in range(meta.num_row_groups):
            group = meta.row_group(g)
            decoded, exact = 0, []
            for c in range(group.num_columns):
                chunk = group.column(c)
                if chunk.path_in_schema not in wanted:
                    continue
                width = _WIDTHS.get(chunk.physical_type)
                if width is not None:
                    decoded += chunk.num_values * width
                elif chunk.has_dictionary_page and _mostly_dictionary(chunk):
                    exact.append(chunk.path_in_schema)
                else:
                    decoded += chunk.total_uncompressed_size
            if exact:
                decoded += _dictionary_bytes(file, g, exact)
            total += decoded
            if decoded > limits.max_uncompressed_bytes:
                _bomb(file, total, limits)
        size = max(file.stat().st_size, 1)
        if total >= _RATIO_FLOOR and total / size > limits.max_compression_ratio:
            _bomb(file, total, limits)


def _mostly_dictionary(chunk: Any) -> bool:
    """Whether a column chunk is mostly its dictionary page, or under a bit per value."""
    dictionary = max(int(chunk.data_page_offset) - int(chunk.dictionary_page_offset or 0), 0)
    stored = max(int(chunk.total_compressed_size), 1)
    return 2 * dictionary >= stored or stored * 8 < int(chunk.num_values)


def _dictionary_bytes(file: Path, group: int, columns: list[str]) -> int:
    """The decoded bytes of dictionary-encoded text/binary columns of one row group."""
    import pyarrow.parquet as pq

    source = pq.ParquetFile(file, read_dictionary=columns)
    return decoded_bytes(source.read_row_group(group, columns=columns))


def _bomb(file: Path, decoded: int, limits: Limits) -> None:
    size = max(file.stat().st_size, 1)
    raise LimitExceededError(
        f"{file}: {size:,} bytes whose columns to count decode to at least {decoded:,} bytes "
        f"({decoded / size:.0f}-fold; limits: {limits.max_uncompressed_bytes:,} bytes a row "
        f"group, {limits.max_compression_ratio:.0f}-fold): a Parquet bomb. If the file is trusted, "
        "count it in Python with limits=Limits(max_compression_ratio=...).",
        path=str(file),
    )


def _geo_metadata(schema: pa.Schema) -> dict[str, Any] | None:
    raw = (schema.metadata or {}).get(b"geo")
    if not raw:
        return None
    try:
        meta = json.loads(raw)
    except ValueError:
        return None
    return meta if isinstance(meta, dict) else None


def _batches(
    layout: Layout, *, batch_rows: int, columns: list[str] | None = None
) -> Iterator[tuple[int, pa.RecordBatch]]:
    """(first row, batch) over the file, reading only ``columns``; memory stays bounded."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    cols = columns or layout.columns
    path = Path(layout.path)
    try:
        if layout.fmt == "parquet" and path.is_file():
            import pyarrow.parquet as pq

            source = pq.ParquetFile(
                path, read_dictionary=[c for c in layout.dictionary if c in cols]
            )
            batches = source.iter_batches(batch_size=batch_rows, columns=cols, use_threads=True)
        else:
            fmt: Any = (
                "ipc"
                if layout.fmt == "arrow"
                else ds.ParquetFileFormat(
                    read_options=ds.ParquetReadOptions(dictionary_columns=list(layout.dictionary))
                )
            )
            dataset = ds.dataset(path, format=fmt)
            batches = dataset.to_batches(
                columns=cols, batch_size=batch_rows, batch_readahead=1, fragment_readahead=1
            )
        row = 0
        for batch in batches:
            yield row, batch
            row += batch.num_rows
    except (OSError, pa.ArrowInvalid) as err:
        raise InputError(
            f"{path}: cannot read {', '.join(cols)} ({str(err).splitlines()[0][:200]}); the "
            "file may be truncated or corrupt.",
            path=str(path),
        ) from err


def _distinct(array: pa.Array | pa.ChunkedArray) -> list[object]:
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_dictionary(array.type):
        array = array.dictionary
    return [v for v in pc.unique(array).to_pylist() if v is not None]


def points_xy(array: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x, y and a status code per row from a WKB or GeoArrow-point column.

    WKB points are read straight from the bytes with numpy; other geometries (polygons,
    3D points, big-endian WKB) go through shapely and polygons become their representative
    point (``point_on_surface``). Status: 0 ok, 1 null, 2 empty, 3 unreadable.

    Examples
    --------
    >>> import pyarrow as pa, shapely
    >>> x, y, status = points_xy(pa.array([shapely.to_wkb(shapely.Point(1, 2)), None]))
    >>> x[0], y[0], status.tolist()
    (np.float64(1.0), np.float64(2.0), [0, 1])
    """
    import pyarrow as pa

    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    n = len(array)
    if pa.types.is_struct(array.type) or pa.types.is_fixed_size_list(array.type):
        return _geoarrow_xy(array)
    if not (pa.types.is_binary(array.type) or pa.types.is_large_binary(array.type)):
        raise InputError(f"geometry column of type {array.type} is neither WKB nor GeoArrow")
    bufs = array.buffers()
    off_type = np.int32 if pa.types.is_binary(array.type) else np.int64
    offsets = np.frombuffer(
        bufs[1], dtype=off_type, count=n + 1, offset=array.offset * np.dtype(off_type).itemsize
    )
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.empty(0, np.uint8)
    start, end = int(offsets[0]), int(offsets[-1])
    status = np.zeros(n, dtype=np.int8)
    if array.null_count == 0 and end - start == 21 * n:
        lengths_ok = bool((np.diff(offsets) == 21).all())
    else:
        lengths_ok = False
    if lengths_ok:
        rec = data[start:end].view(WKB_POINT)
        if bool((rec["order"] == 1).all()) and bool((rec["type"] == 1).all()):
            x = rec["x"].copy()
            y = rec["y"].copy()
            status[np.isnan(x) | np.isnan(y)] = _EMPTY_GEOM
            return x, y, status
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    valid = (
        np.ones(n, dtype=bool)
        if array.null_count == 0
        else array.is_valid().to_numpy(zero_copy_only=False)
    )
    status[~valid] = _NULL_GEOM
    lengths = np.diff(offsets)
    simple = np.flatnonzero(valid & (lengths == 21))
    starts = np.asarray(offsets[simple], dtype=np.int64)
    rec = data[starts[:, None] + np.arange(21)].view(WKB_POINT).ravel()
    fast = (rec["order"] == 1) & (rec["type"] == 1)
    x[simple[fast]] = rec["x"][fast]
    y[simple[fast]] = rec["y"][fast]
    slow = np.ones(n, dtype=bool)
    slow[simple[fast]] = False
    slow &= valid
    if slow.any():
        import shapely

        rows = np.flatnonzero(slow)
        blobs = np.array(array.take(pa.array(rows)).to_pylist(), dtype=object)
        geoms = shapely.from_wkb(blobs, on_invalid="ignore")
        bad = shapely.is_missing(geoms)
        status[rows[bad]] = _BAD_GEOM
        empty = ~bad & shapely.is_empty(geoms)
        status[rows[empty]] = _EMPTY_GEOM
        good = ~bad & ~empty
        geoms = geoms[good]
        is_point = shapely.get_type_id(geoms) == 0
        # polygons and lines count at their representative point (always inside them)
        pts = np.where(is_point, geoms, shapely.point_on_surface(geoms))
        x[rows[good]] = shapely.get_x(pts)
        y[rows[good]] = shapely.get_y(pts)
    status[(status == _OK) & (np.isnan(x) | np.isnan(y))] = _EMPTY_GEOM
    return x, y, status


def _geoarrow_xy(array: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import pyarrow as pa

    n = len(array)
    if pa.types.is_struct(array.type):
        x = array.field(0).to_numpy(zero_copy_only=False).astype(np.float64)
        y = array.field(1).to_numpy(zero_copy_only=False).astype(np.float64)
    else:
        size = array.type.list_size
        flat = array.flatten().to_numpy(zero_copy_only=False).astype(np.float64)
        flat = flat.reshape(n, size)
        x, y = flat[:, 0].copy(), flat[:, 1].copy()
    status = np.zeros(n, dtype=np.int8)
    if array.null_count:
        missing = ~array.is_valid().to_numpy(zero_copy_only=False)
        status[missing] = _NULL_GEOM
        x[missing] = np.nan
        y[missing] = np.nan
    status[(status == _OK) & (np.isnan(x) | np.isnan(y))] = _EMPTY_GEOM
    return x, y, status


def _row_count(layout: Layout) -> int | None:
    """Rows of the file from its metadata (no data read); ``None`` when unknown."""
    import pyarrow.dataset as ds

    try:
        path = Path(layout.path)
        if layout.fmt == "parquet" and path.is_file():
            import pyarrow.parquet as pq

            return int(pq.read_metadata(path).num_rows)
        return int(
            ds.dataset(path, format="ipc" if layout.fmt == "arrow" else "parquet").count_rows()
        )
    except Exception:  # only a sizing hint: any failure shows up when the file is read
        return None


def _codes(array: pa.Array) -> tuple[np.ndarray, list[str | None]]:
    """Per-row index into a list of distinct values (as text); -1 for nulls."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if not pa.types.is_dictionary(array.type):
        array = pc.dictionary_encode(array)
    values = [None if v is None else _text(v) for v in array.dictionary.to_pylist()]
    indices = array.indices
    codes = (
        indices.to_numpy(zero_copy_only=False)
        if indices.null_count == 0
        else (indices.fill_null(-1).to_numpy(zero_copy_only=False))
    )
    return codes.astype(np.int32, copy=False), values


def _text(value: object) -> str:
    # UNOSAT codes arrive as 1, 1.0 or "1": one label each, written as the file has it
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _days(array: pa.Array) -> np.ndarray:
    """Days since 1970-01-01 per row (``INT64_MIN`` where missing or unparseable)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    nat = np.iinfo(np.int64).min
    if pa.types.is_date(array.type) or pa.types.is_timestamp(array.type):
        days = pc.cast(array, pa.date32()).cast(pa.int32()).fill_null(np.iinfo(np.int32).min)
        out = days.to_numpy(zero_copy_only=False).astype(np.int64)
        out[out == np.iinfo(np.int32).min] = nat
        return cast(np.ndarray, out)
    codes, values = _codes(array)

    parsed = parse_dates(pd.Series(values, dtype="object"))
    lut = np.array(
        [
            nat if pd.isna(v) else (pd.Timestamp(v).normalize().value // 86_400_000_000_000)
            for v in parsed
        ]
        + [nat],
        dtype=np.int64,
    )
    return cast(np.ndarray, lut[codes])  # -1 (null) picks the trailing NaT


@dataclass(frozen=True)
class _RowGroup:
    path: Path
    index: int
    first_row: int
    metadata: Any


def _row_groups(path: Path) -> list[_RowGroup]:
    import pyarrow.parquet as pq

    try:
        meta = pq.read_metadata(path)
    except OSError as err:
        raise InputError(f"{path}: not a readable Parquet file ({err})", path=str(path)) from err
    out, first = [], 0
    for i in range(meta.num_row_groups):
        out.append(_RowGroup(path, i, first, meta))
        first += meta.row_group(i).num_rows
    return out


def _row_group_batches(
    layout: Layout, group: _RowGroup, *, batch_rows: int, use_threads: bool
) -> Iterator[tuple[int, pa.RecordBatch]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        # one handle per task: a ParquetFile is not shared between threads
        source = pq.ParquetFile(
            group.path, metadata=group.metadata, read_dictionary=list(layout.dictionary)
        )
        first = group.first_row
        for batch in source.iter_batches(
            batch_size=batch_rows,
            row_groups=[group.index],
            columns=layout.columns,
            use_threads=use_threads,
        ):
            yield first, batch
            first += batch.num_rows
    except (OSError, pa.ArrowInvalid) as err:
        raise InputError(
            f"{group.path}: row group {group.index} cannot be read "
            f"({str(err).splitlines()[0][:200]}); the file may be truncated or corrupt.",
            path=str(group.path),
        ) from err
