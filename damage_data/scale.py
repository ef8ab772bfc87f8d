"""Counting per-structure products too large for memory: GeoParquet in, figures out.

The large-data path of *assign → count*: only the needed Arrow columns are read, batch by
batch (bounded memory); point coordinates come straight from the WKB bytes through numpy;
each point is placed by a grid whose cells lie inside one unit, outside every unit, or on a
boundary, and only points in boundary cells get an exact test against prepared polygons;
labels are classified once per distinct value; counting is ``np.bincount`` over codes.

:func:`count_structures` runs it (``engine="dask"`` spreads it over a dask cluster, see
``damage_data.engines.dask_engine``); :func:`is_structure_parquet` tells the pipeline which
inputs to send here.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._errors import InputError, UnknownLabelError, UsageError

if TYPE_CHECKING:
    import geopandas as gpd
    import pyarrow as pa

log = logging.getLogger(__name__)

#: Files read as Parquet / as Arrow IPC (Feather v2).
PARQUET_SUFFIXES = (".parquet", ".geoparquet", ".pq")
ARROW_SUFFIXES = (".arrow", ".feather", ".ipc")
#: Geometry column names looked for when a file has no GeoParquet metadata.
GEOMETRY_NAMES = ("geometry", "geom", "wkb_geometry", "the_geom", "shape", "wkb")
#: Coordinate column pairs accepted instead of a geometry column (longitude/latitude).
XY_NAMES = (("lon", "lat"), ("longitude", "latitude"), ("lng", "lat"), ("x", "y"))
#: UNOSAT single-round class columns, beside the generic damage column names of the readers.
UNOSAT_DAMAGE_COLUMNS = ("main_damage_site_class", "main_damag", "dasitcl")
#: Most rejected rows listed one by one (every one is counted; reasons are always complete).
MAX_REJECT_ROWS = 100_000
#: Cells of the unit grid (about 2048 × 2048): finer grids send fewer points to exact tests
#: but cost more to build; measured best on 77 rayons and 1e7 points (benchmarks/).
GRID_CELLS = 1 << 22
#: WKB point, little-endian: byte order, geometry type, x, y (21 bytes, unaligned).
WKB_POINT = np.dtype([("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])

REJECT_COLUMNS = ["locator", "column", "value", "reason"]

# row status codes
_OK, _NULL_GEOM, _EMPTY_GEOM, _BAD_GEOM, _BAD_XY = 0, 1, 2, 3, 4
_STATUS_REASON = {
    _NULL_GEOM: "missing geometry: a structure needs a point or polygon",
    _EMPTY_GEOM: "empty geometry: a structure needs a point or polygon",
    _BAD_GEOM: "unreadable geometry (not valid WKB)",
    _BAD_XY: "coordinates cannot be transformed to the units' CRS (out of its range)",
}
_MISSING_DAMAGE = "missing damage label: every structure needs a damage class"
_NAT = np.iinfo(np.int64).min  # a missing date, in days


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountResult:
    """What :func:`count_structures` returns.

    Attributes
    ----------
    figures
        A ``figures`` table: one figure per unit × damage × structure (× date).
    counts
        Tidy counts: ``unit_code, damage, structure`` (``as_of`` when split by date), ``count``.
    outside
        Structures kept but in no unit.
    rows_read, rows_kept, rows_rejected
        ``rows_read == rows_kept + rows_rejected``; ``rows_kept`` includes ``outside``.
    rejects
        ``locator, column, value, reason`` per rejected row (the first
        :data:`MAX_REJECT_ROWS`; ``report["reasons"]`` counts them all).
    sources
        The one-row ``sources`` table of the file (``source_id`` from its SHA-256).
    report
        Columns used, scheme, CRS, engine, reasons, warnings.
    """

    figures: pd.DataFrame
    counts: pd.DataFrame
    outside: int
    rows_read: int
    rows_kept: int
    rows_rejected: int
    rejects: pd.DataFrame
    sources: pd.DataFrame
    report: dict[str, Any] = field(default_factory=dict)


@dataclass
class Partial:
    """Counts of one batch or partition, before labels are turned into canonical states."""

    counts: pd.DataFrame  # unit, damage_text, structure_text, day, count
    outside: int = 0
    rows_read: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    rejects: list[pd.DataFrame] = field(default_factory=list)
    max_day: int | None = None


# --- the unit grid ------------------------------------------------------------------------


class UnitGrid:
    """Point → unit lookup: a grid of cells inside one unit, outside all, or on a boundary.

    A cell is *on a boundary* when any unit boundary comes near it. The other cells form
    runs along each row that no boundary crosses, so each run lies inside one unit or
    outside all, and one exact test of one point per run labels all of its cells. Points in boundary cells are tested exactly (``shapely.intersects_xy``
    against prepared polygons). A point is given to the first unit, in table order, that
    covers it, so a point on a shared boundary is counted once.

    Parameters
    ----------
    geometries
        Unit polygons (shapely array), in the order that breaks ties.
    cells
        Number of grid cells to aim for.

    Examples
    --------
    >>> import shapely
    >>> grid = UnitGrid(shapely.box([0, 1], 0, [1, 2], 1))
    >>> grid.locate(np.array([0.5, 1.5, 3.0]), np.array([0.5, 0.5, 0.5])).tolist()
    [0, 1, -1]
    """

    def __init__(self, geometries: Sequence[Any] | np.ndarray, *, cells: int = GRID_CELLS):
        import shapely

        self.geometries = np.asarray(geometries, dtype=object)
        self.cells = int(cells)
        usable = ~(shapely.is_missing(self.geometries) | shapely.is_empty(self.geometries))
        self.bounds = shapely.bounds(self.geometries)
        shapely.prepare(self.geometries[usable])
        self._usable = usable
        if not usable.any():
            self.nx = self.ny = 1
            self.x0 = self.y0 = 0.0
            self.step = 1.0
            self.grid = np.full((1, 1), -1, dtype=np.int32)
            return
        minx, miny, maxx, maxy = shapely.total_bounds(self.geometries[usable])
        width, height = max(maxx - minx, 1e-9), max(maxy - miny, 1e-9)
        step = float(np.sqrt(width * height / self.cells))
        step = max(step, width / 8192, height / 8192)  # very thin extents: bound the grid
        # three cells of margin: marks spill one cell either side of a boundary
        margin = 3
        self.step = step
        self.x0 = float(minx - margin * step)
        self.y0 = float(miny - margin * step)
        self.nx = int(np.ceil(width / step)) + 2 * margin + 1
        self.ny = int(np.ceil(height / step)) + 2 * margin + 1
        self.grid = self._build()

    def __reduce__(self) -> tuple[Any, ...]:
        # ship the polygons, not the grid: workers rebuild it once (see _cached_grid)
        import shapely

        return (_cached_grid, (shapely.to_wkb(self.geometries), self.cells))

    def _cell(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        inv = 1.0 / self.step
        cx = np.floor((x - self.x0) * inv)
        cy = np.floor((y - self.y0) * inv)
        return cx, cy

    def _build(self) -> np.ndarray:
        import shapely

        parts = shapely.get_parts(self.geometries[self._usable])
        rings = shapely.get_rings(parts)
        coords, ring = shapely.get_coordinates(rings, return_index=True)
        same = ring[1:] == ring[:-1]
        a, b = coords[:-1][same], coords[1:][same]
        # densify every edge to steps of a quarter cell: each boundary point is then within
        # an eighth of a cell of a sample, so it lies in a sample's cell or a neighbour
        length = np.hypot(*(b - a).T) / self.step
        k = np.ceil(length * 4).astype(np.int64) + 1
        seg = np.repeat(np.arange(len(a)), k)
        first = np.repeat(np.cumsum(k) - k, k)
        t = (np.arange(len(seg)) - first) / np.repeat(np.maximum(k - 1, 1), k)
        px = a[seg, 0] + t * (b[seg, 0] - a[seg, 0])
        py = a[seg, 1] + t * (b[seg, 1] - a[seg, 1])
        cx, cy = self._cell(px, py)
        ix = cx.astype(np.int64)
        iy = cy.astype(np.int64)
        marked = np.zeros((self.ny, self.nx), dtype=bool)
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                marked[np.clip(iy + dy, 0, self.ny - 1), np.clip(ix + dx, 0, self.nx - 1)] = True
        # runs of free cells along each row: a run is a connected stretch free of
        # boundaries, so it lies inside one unit or outside all; one test labels it
        free = ~marked.ravel()
        starts = free.copy()
        starts[1:] &= ~free[:-1]
        starts[:: self.nx] = free[:: self.nx]  # a run never continues onto the next row
        run = np.cumsum(starts, dtype=np.int32)  # int32: a bool cumsum is 7x slower
        first = np.flatnonzero(starts)
        centre_x = self.x0 + (first % self.nx + 0.5) * self.step
        centre_y = self.y0 + (first // self.nx + 0.5) * self.step
        dtype = np.int16 if len(self.geometries) < 32000 else np.int32
        owner = np.concatenate([[-2], self._exact(centre_x, centre_y)]).astype(dtype)
        run[~free] = 0  # boundary cells: -2, tested exactly for each point
        return owner[run].reshape(self.ny, self.nx)

    def _exact(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """First unit (table order) covering each point, or -1: exact, prepared tests."""
        import shapely

        out = np.full(len(x), -1, dtype=np.int32)
        pending = np.ones(len(x), dtype=bool)
        for u in np.flatnonzero(self._usable):
            minx, miny, maxx, maxy = self.bounds[u]
            cand = np.flatnonzero(pending & (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy))
            if len(cand) == 0:
                continue
            hit = cand[shapely.intersects_xy(self.geometries[u], x[cand], y[cand])]
            out[hit] = u
            pending[hit] = False
        return out

    def locate(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Unit position (row of the units table) of each point, ``-1`` outside every unit.

        Coordinates must be finite and in the units' CRS.
        """
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        inv = 1.0 / self.step
        # out-of-grid points clip onto the margin, which lies outside every unit
        fx = x - self.x0
        fx *= inv
        np.maximum(fx, 0, out=fx)  # faster than np.clip, which also handles NaN
        np.minimum(fx, self.nx - 1, out=fx)
        fy = y - self.y0
        fy *= inv
        np.maximum(fy, 0, out=fy)
        np.minimum(fy, self.ny - 1, out=fy)
        cx = fx.astype(np.intp)
        cy = fy.astype(np.intp)
        cy *= self.nx
        cy += cx
        unit = self.grid.ravel()[cy].astype(np.int32)
        near = np.flatnonzero(unit == -2)
        if len(near):
            unit[near] = self._exact(x[near], y[near])
        return unit


_GRIDS: dict[tuple[str, int], UnitGrid] = {}
_GRIDS_LOCK = threading.Lock()
#: Grids kept per process (notebooks re-count with the same units; workers get one per task).
_GRIDS_KEPT = 4


def _cached_grid(wkb: np.ndarray, cells: int) -> UnitGrid:
    """The grid of these WKB polygons, built once per process and kept."""
    import shapely

    digest = hashlib.sha256(b"".join(bytes(w) for w in wkb)).hexdigest()
    key = (digest, cells)
    with _GRIDS_LOCK:
        grid = _GRIDS.get(key)
        if grid is None:
            grid = UnitGrid(shapely.from_wkb(wkb), cells=cells)
            while len(_GRIDS) >= _GRIDS_KEPT:
                _GRIDS.pop(next(iter(_GRIDS)))
            _GRIDS[key] = grid
    return grid


def unit_grid(geometries: Sequence[Any] | np.ndarray, *, rows: int | None = None) -> UnitGrid:
    """The (cached) :class:`UnitGrid` of ``geometries``, sized for ``rows`` points.

    A grid costs about as much to build as placing one point per cell costs, so small inputs
    get a coarser grid: ``rows / 2`` cells, between 2**16 and :data:`GRID_CELLS`.
    """
    import shapely

    cells = GRID_CELLS
    if rows is not None:
        cells = int(min(GRID_CELLS, max(1 << 16, 1 << int(np.ceil(np.log2(max(rows, 2) / 2))))))
    return _cached_grid(shapely.to_wkb(np.asarray(geometries, dtype=object)), cells)


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


# --- reading the file ---------------------------------------------------------------------


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
    from .readers._vector import DAMAGE_COLUMNS

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
    from .readers._vector import DATE_COLUMNS, STRUCTURE_COLUMNS

    p = Path(path)
    schema, fmt = _schema(p)
    names = list(schema.names)
    geo = _geo_metadata(schema)
    geometry = encoding = x = y = None
    crs: str | None = None
    crs_assumed = False
    if geo is not None:
        geometry = geo.get("primary_column") or next(iter(geo.get("columns", {})), None)
        info = geo.get("columns", {}).get(geometry, {})
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


def _geo_metadata(schema: pa.Schema) -> dict[str, Any] | None:
    raw = (schema.metadata or {}).get(b"geo")
    if not raw:
        return None
    try:
        meta = json.loads(raw)
    except ValueError:
        return None
    return meta if isinstance(meta, dict) else None


def is_structure_parquet(path: str | Path) -> bool:
    """Whether ``path`` is a per-structure GeoParquet (or Arrow) file for the large-data path.

    True for a Parquet/Arrow file (or folder of Parquet files) with point or polygon
    geometry (or lon/lat columns) and one damage column whose values are known labels.
    UNOSAT files holding several assessment rounds are left to :func:`damage_data.load`,
    which keeps one round per site.

    Examples
    --------
    >>> is_structure_parquet("report.pdf")
    False
    """
    p = Path(path)
    if p.is_dir():
        if not any(p.rglob("*.parquet")):
            return False
    elif p.suffix.lower() not in PARQUET_SUFFIXES + ARROW_SUFFIXES or not p.is_file():
        return False
    try:
        layout = layout_of(p)
    except (InputError, UsageError):
        return False
    schema, _ = _schema(p)
    if _multi_round(schema.names):
        return False
    try:
        first = next(_batches(layout, batch_rows=10_000, columns=[layout.damage]), None)
    except InputError:
        return False
    if first is None:
        return True
    values = _distinct(first[1].column(0))
    if not values:
        return True
    from .readers._result import pick_scheme

    _, known = pick_scheme(values)
    return known >= max(1, 0.5 * len(values))


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


# --- geometry → coordinates ---------------------------------------------------------------


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


# --- labels -------------------------------------------------------------------------------


class Labels:
    """Native labels → canonical states, classified once per distinct label (thread-safe)."""

    def __init__(self, scheme: str) -> None:
        self.scheme = scheme
        self._damage: dict[str, str | None] = {}
        self._structure: dict[str, str] = {}
        self.unknown_structures: set[str] = set()
        self._lock = threading.Lock()

    def damage(self, label: str) -> str | None:
        """Canonical damage of a native label, ``None`` when unknown to the scheme."""
        found = self._damage.get(label, "")
        if found != "":
            return found
        from .vocab import classify_damage

        try:
            value: str | None = str(classify_damage([label], scheme=self.scheme).iloc[0])
        except UnknownLabelError:
            value = None
        with self._lock:
            self._damage[label] = value
        return value

    def structure(self, label: str | None) -> str:
        """Canonical structure type; unknown labels count as ``other`` (and are reported)."""
        if label is None:
            return "any"
        found = self._structure.get(label)
        if found is not None:
            return found
        from .vocab import classify_structure

        try:
            value = str(classify_structure([label]).iloc[0])
        except UnknownLabelError:
            value = "other"
            with self._lock:
                self.unknown_structures.add(label)
        with self._lock:
            self._structure[label] = value
        return value

    def unknown_reason(self) -> str:
        from .vocab import known_damage_labels

        known = ", ".join(known_damage_labels(self.scheme))
        return f"unknown damage label for scheme {self.scheme}; known labels: {known}"


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
        return out
    codes, values = _codes(array)
    from .readers._vector import parse_dates

    parsed = parse_dates(pd.Series(values, dtype="object"))
    lut = np.array(
        [
            nat if pd.isna(v) else (pd.Timestamp(v).normalize().value // 86_400_000_000_000)
            for v in parsed
        ]
        + [nat],
        dtype=np.int64,
    )
    return lut[codes]  # -1 (null) picks the trailing NaT


# --- counting one batch -------------------------------------------------------------------


def count_batch(
    table: pa.RecordBatch | pa.Table,
    layout: Layout,
    grid: UnitGrid,
    labels: Labels,
    *,
    first_row: int = 0,
    transformer: Any = None,
    locator: str = "row",
    max_reject_rows: int = MAX_REJECT_ROWS,
) -> Partial:
    """Count one batch: decode points, place them in units, classify labels, bincount.

    Rows are numbered from ``first_row`` in reject locators. Used by both engines.
    """
    n = table.num_rows
    names = table.schema.names
    if layout.encoding == "xy":
        x = np.asarray(
            table.column(names.index(str(layout.x))).to_numpy(zero_copy_only=False),
            dtype=np.float64,
        )
        y = np.asarray(
            table.column(names.index(str(layout.y))).to_numpy(zero_copy_only=False),
            dtype=np.float64,
        )
        status = (np.isnan(x) | np.isnan(y)).astype(np.int8) * _NULL_GEOM
    else:
        x, y, status = points_xy(table.column(names.index(str(layout.geometry))))
    if layout.crs_assumed:
        _check_lonlat(x, y, status, layout)
    if transformer is not None:
        ok = status == _OK
        tx, ty = transformer.transform(x[ok], y[ok])
        x[ok], y[ok] = tx, ty
        status[ok & ~(np.isfinite(x) & np.isfinite(y))] = _BAD_XY
    dmg_codes, dmg_values = _codes(table.column(names.index(layout.damage)))
    known = np.array(
        [v is not None and labels.damage(v) is not None for v in dmg_values] + [False], dtype=bool
    )  # the trailing False is for nulls (code -1)
    partial = Partial(counts=_empty_counts(), rows_read=n)
    if status.any() or not known[dmg_codes].all():
        keep = (status == _OK) & known[dmg_codes]
        _reject(
            partial,
            layout,
            labels,
            ~keep,
            status,
            dmg_codes,
            dmg_values,
            first_row=first_row,
            locator=locator,
            max_rows=max_reject_rows,
        )
        rows = np.flatnonzero(keep)
        x, y, dmg_codes = x[rows], y[rows], dmg_codes[rows]
    else:  # the usual case: every row kept, no copies
        rows = None
    unit = grid.locate(x, y)
    nu = len(grid.geometries) + 1  # the last slot counts structures outside every unit
    outside = unit < 0
    partial.outside = int(np.count_nonzero(outside))
    if partial.outside:
        unit[outside] = nu - 1
    if layout.structure:
        st_codes, st_values = _codes(table.column(names.index(layout.structure)))
        st_codes = st_codes + 1 if rows is None else st_codes[rows] + 1  # 0: no label
        st_values = ["", *(v or "" for v in st_values)]  # "": no type stated
    else:
        st_codes, st_values = np.zeros(len(unit), dtype=np.int32), [""]
    day_values: list[int] = [_NAT]
    day_codes: np.ndarray | None = None
    if layout.date:
        column = table.column(names.index(layout.date))
        if layout.split_dates:  # always, today; kept apart for a future "latest date only"
            days = _days(column)
            days = days if rows is None else days[rows]
            day_values, day_codes = _day_codes(days)
            dated = [v for v in day_values if v != _NAT]
            partial.max_day = max(dated) if dated else None
    nd, ns, nt = len(dmg_values), len(st_values), len(day_values)
    size = nu * nd * ns * nt
    key: np.ndarray = unit.astype(np.int64 if size >= 1 << 31 else np.int32)
    key *= nd
    key += dmg_codes
    key *= ns
    key += st_codes
    if day_codes is not None:
        key *= nt
        key += day_codes
    if size <= 1 << 24:
        tally = np.bincount(key, minlength=size)
        where = np.flatnonzero(tally)
        counts = tally[where]
    else:  # very many distinct labels or dates: sort instead of a dense table
        where, counts = np.unique(key, return_counts=True)
    where, t = np.divmod(where, nt)
    where, s = np.divmod(where, ns)
    u, d = np.divmod(where, nd)
    partial.counts = pd.DataFrame(
        {
            "unit": u.astype(np.int64),
            "damage_text": [dmg_values[i] for i in d],
            "structure_text": [st_values[i] for i in s],
            "day": np.asarray(day_values, dtype=np.int64)[t],
            "count": counts.astype(np.int64),
        }
    )
    return partial


def _check_lonlat(x: np.ndarray, y: np.ndarray, status: np.ndarray, layout: Layout) -> None:
    """A file without a CRS is read as longitude/latitude only if its coordinates fit."""
    ok = status == _OK
    if not ok.any():
        return
    ax, ay = np.abs(x[ok]), np.abs(y[ok])
    if ax.max() > 180 or ay.max() > 90:
        raise InputError(
            f"{layout.path}: no coordinate reference system, and the coordinates (up to "
            f"|x| {ax.max():.0f}, |y| {ay.max():.0f}) are not longitude/latitude. Re-write the "
            "file as GeoParquet with its CRS (geopandas: set_crs(...).to_parquet(...)).",
            path=layout.path,
        )


def _reject(
    partial: Partial,
    layout: Layout,
    labels: Labels,
    rejected: np.ndarray,
    status: np.ndarray,
    dmg_codes: np.ndarray,
    dmg_values: list[str | None],
    *,
    first_row: int,
    locator: str,
    max_rows: int,
) -> None:
    """Count and list rejected rows, one reason each: geometry first, then damage."""
    rows = np.flatnonzero(rejected)
    geom_bad = status[rows] != _OK
    reason_of = np.where(geom_bad, status[rows], np.where(dmg_codes[rows] < 0, 10, 11))
    for code in np.unique(reason_of):
        these = rows[reason_of == code]
        shown = these[:max_rows]
        values: list[str | None] = [None] * len(shown)
        if code == 10:
            reason, column = _MISSING_DAMAGE, layout.damage
        elif code == 11:
            reason, column = labels.unknown_reason(), layout.damage
            values = [dmg_values[c] for c in dmg_codes[shown]]
        else:
            reason = _STATUS_REASON[int(code)]
            column = layout.geometry or f"{layout.x}/{layout.y}"
        partial.reasons[reason] += len(these)
        partial.rejects.append(
            pd.DataFrame(
                {
                    "locator": [f"{locator} {first_row + i}" for i in shown],
                    "column": column,
                    "value": values,
                    "reason": reason,
                }
            )
        )


def _day_codes(days: np.ndarray) -> tuple[list[int], np.ndarray]:
    """Dense codes of dates (0: no date) and the day each code stands for."""
    present = days[days != _NAT]
    if len(present) == 0:
        return [_NAT], np.zeros(len(days), dtype=np.int32)
    lo, hi = int(present.min()), int(present.max())
    if hi - lo < 100_000:  # a dense range: offset codes, no sort
        codes = np.where(days == _NAT, 0, days - lo + 1).astype(np.int32)
        return [_NAT, *range(lo, hi + 1)], codes
    uniq, inv = np.unique(days, return_inverse=True)
    return [int(v) for v in uniq], inv.astype(np.int32)


def _empty_counts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit": pd.Series(dtype=np.int64),
            "damage_text": pd.Series(dtype=object),
            "structure_text": pd.Series(dtype=object),
            "day": pd.Series(dtype=np.int64),
            "count": pd.Series(dtype=np.int64),
        }
    )


# --- the public call ----------------------------------------------------------------------


def _units_of(
    units: gpd.GeoDataFrame | None, country: str | Sequence[str] | None
) -> gpd.GeoDataFrame:
    if units is None:
        from .gazetteer import bundled_units

        return bundled_units(country)
    if "unit_code" not in units.columns or not hasattr(units, "geometry"):
        raise UsageError(
            "units must be a GeoDataFrame with a unit_code column and polygon geometry "
            f"(columns given: {', '.join(map(str, units.columns))}); see bundled_units()."
        )
    return units


def _transformer(layout: Layout, units_crs: Any) -> Any:
    import pyproj

    target = pyproj.CRS.from_user_input(units_crs if units_crs is not None else "EPSG:4326")
    source = pyproj.CRS.from_user_input(layout.crs or "OGC:CRS84")
    if source.equals(target, ignore_axis_order=True):
        return None
    return pyproj.Transformer.from_crs(source, target, always_xy=True)


def file_sha256(path: str | Path, *, stop: threading.Event | None = None) -> str:
    """SHA-256 of a file (or of a folder's files in name order), read in 4 MB chunks.

    Setting ``stop`` abandons the hash (the empty string is returned).
    """
    p = Path(path)
    digest = hashlib.sha256()
    files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
    for f in files:
        with f.open("rb") as handle:
            while chunk := handle.read(1 << 22):
                if stop is not None and stop.is_set():
                    return ""
                digest.update(chunk)
    return digest.hexdigest()


def pick_damage_scheme(layout: Layout, scheme: str) -> str:
    """The crosswalk for the damage column: ``scheme``, or for ``"auto"`` the one that knows
    most distinct labels of the first batch (as the readers choose)."""
    from .vocab import damage_schemes

    if scheme != "auto":
        if scheme not in damage_schemes():
            raise UsageError(
                f"unknown damage scheme {scheme!r}; known schemes: auto, "
                f"{', '.join(damage_schemes())}"
            )
        return scheme
    from .readers._result import pick_scheme

    first = next(_batches(layout, batch_rows=65_536, columns=[layout.damage]), None)
    values = _distinct(first[1].column(0)) if first is not None else []
    if not values:
        return "canonical"
    return pick_scheme([_text(v) for v in values])[0]


def count_structures(
    path: str | Path,
    units: gpd.GeoDataFrame | None = None,
    *,
    country: str | Sequence[str] | None = None,
    damage_column: str | None = None,
    structure_column: str | None = None,
    date_column: str | bool | None = None,
    scheme: str = "auto",
    batch_rows: int = 1_000_000,
    engine: str = "local",
    workers: int | None = None,
    client: Any = None,
) -> CountResult:
    """Count the structures of a GeoParquet (or Arrow) file per unit, damage and type.

    Streams the file batch by batch, so files larger than memory work. Each structure goes
    to the first unit (in ``units`` order) whose polygon covers its point (polygons: their
    representative point); structures in no unit are counted in ``outside`` and become
    figures without a unit, flagged ``outside_units`` (as :func:`damage_data.assign` does).

    Parameters
    ----------
    path
        A GeoParquet file (WKB or GeoArrow points or any WKB geometry), a folder of them, or
        an Arrow IPC/Feather file; a file without GeoParquet metadata needs a
        ``geometry`` WKB column or lon/lat columns (EPSG:4326 assumed).
    units
        Admin units (``unit_code``, optional ``name`` and ``level``, polygons); default
        the bundled units of ``country`` (all bundled countries when ``None``).
    damage_column, structure_column
        Columns to use (default: found by name, as the readers do).
    date_column
        Count separately per date of this column (each figure's ``as_of``); by default a
        date column found by name (``sensor_date``, ``date``…), as the readers do;
        ``False``: no dates.
    scheme
        Damage crosswalk (``unosat``, ``copernicus_ems``…) or ``auto``.
    batch_rows
        Rows per batch; memory grows with it, results do not change.
    engine
        ``"local"`` (threads on this machine) or ``"dask"`` (a dask cluster, see
        ``docs/scale.md``).
    workers
        Threads (local) or workers of a local dask cluster started for the call (dask).
    client
        dask only: a ``distributed.Client`` or scheduler address to run on.

    Returns
    -------
    CountResult

    Raises
    ------
    InputError
        Unreadable file, no geometry or damage column.
    UsageError
        Bad option (unknown scheme or engine, missing column).

    Examples
    --------
    >>> result = count_structures("points.parquet", country="AZ")  # doctest: +SKIP
    >>> result.counts.head()  # doctest: +SKIP
    """
    from .engines import ENGINES

    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; known engines: {', '.join(ENGINES)}")
    if batch_rows < 1:
        raise UsageError(f"batch_rows must be at least 1, got {batch_rows}")
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file; check the path", path=str(p))
    layout = layout_of(
        p, damage_column=damage_column, structure_column=structure_column, date_column=date_column
    )
    if _multi_round(_schema(p)[0].names):
        raise UsageError(
            f"{p}: holds several UNOSAT assessment rounds; rounds are re-assessments of the "
            "same sites and must not be added. Load it with damage_data.load(), which keeps "
            "one round per site."
        )
    hasher = _BackgroundHash(p)  # hashing runs beside everything below
    try:
        chosen = pick_damage_scheme(layout, scheme)
        unit_table = _units_of(units, country)
        grid = unit_grid(unit_table.geometry.to_numpy(), rows=_row_count(layout))
        transformer = _transformer(layout, unit_table.crs)
        labels = Labels(chosen)
        if engine == "dask":
            from .engines.dask_engine import count_partials

            partials = count_partials(
                layout, grid, labels, units_crs=unit_table.crs, workers=workers, client=client
            )
        else:
            partials = _count_local(
                layout,
                grid,
                labels,
                transformer=transformer,
                batch_rows=batch_rows,
                workers=workers,
            )
    except BaseException:
        hasher.cancel()
        raise
    return finish(
        partials,
        layout=layout,
        units=unit_table,
        labels=labels,
        sha256=hasher.result(),
        engine=engine,
    )


class _BackgroundHash:
    """SHA-256 of the input computed on a second thread while the counting runs."""

    def __init__(self, path: Path) -> None:
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sha256")
        self._future: Future[str] = self._pool.submit(file_sha256, path, stop=self._stop)

    def result(self) -> str:
        try:
            return self._future.result()
        finally:
            self._pool.shutdown(wait=False)

    def cancel(self) -> None:
        """Stop hashing (the count failed): no thread keeps reading a large file."""
        self._stop.set()
        self._pool.shutdown(wait=False)


def _count_local(
    layout: Layout,
    grid: UnitGrid,
    labels: Labels,
    *,
    transformer: Any,
    batch_rows: int,
    workers: int | None,
) -> list[Partial]:
    """Count row group by row group on ``workers`` threads (reading included).

    Each thread reads and counts its own row group, so decoding the WKB column (the largest
    cost) runs on every core; at most ``workers`` row groups are in memory at once.
    """
    threads = max(1, workers if workers is not None else min(4, os.cpu_count() or 1))
    path = Path(layout.path)

    def count(task: Any) -> list[Partial]:
        if isinstance(task, tuple):  # (first row, batch) from the sequential reader
            return [
                count_batch(
                    task[1], layout, grid, labels, first_row=task[0], transformer=transformer
                )
            ]
        return [
            count_batch(batch, layout, grid, labels, first_row=first, transformer=transformer)
            for first, batch in _row_group_batches(
                layout, task, batch_rows=batch_rows, use_threads=threads == 1
            )
        ]

    tasks: Iterator[Any]
    if layout.fmt == "parquet" and path.is_file():
        tasks = iter(_row_groups(path))
    else:
        tasks = _batches(layout, batch_rows=batch_rows)
    if threads == 1:
        out: list[Partial] = []
        for task in tasks:
            out.extend(count(task))
            if len(out) >= _MERGE_EVERY:
                out = [merge(out)]
        return out
    results: list[Partial] = []
    with ThreadPoolExecutor(max_workers=threads) as pool:
        pending: list[Future[list[Partial]]] = []
        for task in tasks:
            pending.append(pool.submit(count, task))
            if len(pending) >= threads:  # bounded memory: ``threads`` tasks in flight
                results.extend(pending.pop(0).result())
                if len(results) >= _MERGE_EVERY:
                    results = [merge(results)]
        for future in pending:
            results.extend(future.result())
    return results


#: Batch counts are merged every this many batches, so a 1e8-row file holds a few hundred
#: small count tables at most, not one per batch.
_MERGE_EVERY = 32


def merge(partials: Sequence[Partial]) -> Partial:
    """Several batch counts as one (counts added, rejects kept up to the listing limit)."""
    frames = [p.counts for p in partials if not p.counts.empty]
    keys = ["unit", "damage_text", "structure_text", "day"]
    counts = (
        pd.concat(frames, ignore_index=True).groupby(keys, sort=False)["count"].sum().reset_index()
        if frames
        else _empty_counts()
    )
    reasons: Counter[str] = Counter()
    rejects: list[pd.DataFrame] = []
    listed = 0
    for p in partials:
        reasons.update(p.reasons)
        for frame in p.rejects:
            if listed < MAX_REJECT_ROWS:
                rejects.append(frame.head(MAX_REJECT_ROWS - listed))
                listed += len(rejects[-1])
    days = [p.max_day for p in partials if p.max_day is not None]
    return Partial(
        counts=counts,
        outside=sum(p.outside for p in partials),
        rows_read=sum(p.rows_read for p in partials),
        reasons=reasons,
        rejects=rejects,
        max_day=max(days) if days else None,
    )


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


def finish(
    partials: Sequence[Partial],
    *,
    layout: Layout,
    units: gpd.GeoDataFrame,
    labels: Labels,
    sha256: str,
    engine: str,
) -> CountResult:
    """Reduce batch counts to canonical counts, figures, rejects and the report."""
    from .tables import make_table

    path = Path(layout.path)
    rows_read = sum(p.rows_read for p in partials)
    reasons: Counter[str] = Counter()
    for part in partials:
        reasons.update(part.reasons)
    rejected = sum(reasons.values())
    outside = sum(p.outside for p in partials)
    frames = [p.counts for p in partials if not p.counts.empty]
    raw = pd.concat(frames, ignore_index=True) if frames else _empty_counts()
    kept = rows_read - rejected
    max_days = [p.max_day for p in partials if p.max_day is not None]
    latest = pd.Timestamp(max(max_days), unit="D") if max_days else pd.NaT
    figures, counts = _figures(
        raw,
        layout=layout,
        units=units,
        labels=labels,
        source_id=f"sha256:{sha256[:16]}",
        kept=kept,
        latest=latest,
    )
    reject_frames = [f for p in partials for f in p.rejects]
    rejects = (
        pd.concat(reject_frames, ignore_index=True).head(MAX_REJECT_ROWS)
        if reject_frames
        else pd.DataFrame(columns=REJECT_COLUMNS)
    )
    rejects = rejects.astype({c: "string" for c in REJECT_COLUMNS})
    warnings: list[str] = []
    if layout.crs_assumed:
        warnings.append("no CRS in the file; longitude/latitude (EPSG:4326) assumed")
    unknown = labels.unknown_structures
    if unknown:
        warnings.append(
            "structure labels not in data/vocab/structure_crosswalk.csv, counted as 'other': "
            + ", ".join(sorted(unknown)[:10])
        )
    if rejected > len(rejects):
        warnings.append(f"{rejected} rows rejected; the first {len(rejects)} are listed")
    for w in warnings:
        log.warning("%s: %s", path, w)
    report: dict[str, Any] = {
        "path": str(path),
        "kind": "structures_parquet",
        "engine": engine,
        "rows_read": rows_read,
        "rows_kept": kept,
        "rows_rejected": rejected,
        "outside": outside,
        "reasons": dict(reasons.most_common()),
        "columns": {
            "geometry": layout.geometry or f"{layout.x}/{layout.y}",
            "damage": layout.damage,
            "structure": layout.structure,
            "date": layout.date,
        },
        "scheme": labels.scheme,
        "crs": layout.crs,
        "units": len(units),
        "warnings": warnings,
    }
    sources = make_table(
        "sources",
        [
            {
                "source_id": f"sha256:{sha256[:16]}",
                "title": path.name,
                "method": "satellite",
                "sha256": sha256,
                "kind": "structures_parquet",
                "notes": f"{rows_read} rows; counted per unit by damage_data.scale",
            }
        ],
    )
    return CountResult(
        figures=figures,
        counts=counts,
        outside=outside,
        rows_read=rows_read,
        rows_kept=kept,
        rows_rejected=rejected,
        rejects=rejects,
        sources=sources,
        report=report,
    )


def _figures(
    raw: pd.DataFrame,
    *,
    layout: Layout,
    units: gpd.GeoDataFrame,
    labels: Labels,
    source_id: str,
    kept: int,
    latest: Any,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Native-label counts → one figure per unit × damage × structure (× date), and counts.

    A few thousand rows at most: plain Python is faster here than a grouped pandas apply.
    Structures outside every unit become figures without a unit, for review.
    """
    from .tables import figure_id, make_figures
    from .vocab import LEVELS

    path = Path(layout.path)
    codes = units["unit_code"].astype("string").to_numpy()
    names = units["name"].astype("string").to_numpy() if "name" in units.columns else None
    levels = units["level"].astype(object).to_numpy() if "level" in units.columns else None
    groups: dict[tuple[int, str, str, int], list[Any]] = {}
    for unit, dtext, stext, day, count in zip(
        raw["unit"].tolist(),
        raw["damage_text"].tolist(),
        raw["structure_text"].tolist(),
        raw["day"].tolist(),
        raw["count"].tolist(),
        strict=True,
    ):
        damage = labels.damage(str(dtext))
        structure = labels.structure(str(stext) if stext else None)
        key = (int(unit), str(damage), structure, int(day) if layout.split_dates else _NAT)
        entry = groups.setdefault(key, [0, set(), set()])
        entry[0] += int(count)
        entry[1].add(str(dtext))
        if stext:
            entry[2].add(str(stext))
    label = "folder" if path.is_dir() else "file"
    records: list[dict[str, Any]] = []
    # dates and unit details once per distinct value, not once per figure
    days = {key[3] for key in groups}
    stamps = {d: (pd.NaT if d == _NAT else pd.Timestamp(d, unit="D")) for d in days}
    texts = {d: ("" if d == _NAT else str(stamps[d].date())) for d in days}
    for i, key in enumerate(sorted(groups)):
        unit, damage, structure, day = key
        count, dtexts, stexts = groups[key]
        inside = unit < len(codes)
        code = str(codes[unit]) if inside else None
        name = None if not inside or names is None or pd.isna(names[unit]) else str(names[unit])
        level = None
        if inside and levels is not None and str(levels[unit]) in LEVELS:
            level = str(levels[unit])
        when = stamps[day] if layout.split_dates else latest
        dtext = "; ".join(sorted(dtexts))
        stext = "; ".join(sorted(stexts)) or None
        on = f", {texts[day]}" if layout.split_dates and texts[day] else ""
        locator = (
            f"{path.name}: {count} structures ({code or 'outside every unit'}, damage {dtext}, "
            f"{stext or 'no type'}{on})"
        )
        place = f"{name or code} ({code})" if inside else "no unit (outside every unit)"
        records.append(
            {
                "figure_id": figure_id(source_id, locator, i),
                "locator": locator,
                "evidence": (
                    f"{count} of the {kept} structures in {label} {path.name} have damage class "
                    f"{dtext!r} ({labels.scheme}) and type {stext or 'not stated'!r} and lie in "
                    f"{place}; counted by point-in-polygon"
                    + (f", assessed on {texts[day]}" if on else "")
                ),
                "place_text": name,
                "unit_code": code,
                "unit_name": name,
                "level": level,
                "match": "code" if inside else "unresolved",
                "status": "accepted" if inside else "needs_review",
                "flags": "" if inside else "outside_units",
                "damage": damage,
                "damage_text": dtext,
                "structure": structure,
                "structure_text": stext,
                "count": count,
                "as_of": when,
            }
        )
    frame = pd.DataFrame(
        records,
        columns=[
            "figure_id",
            "locator",
            "evidence",
            "place_text",
            "unit_code",
            "unit_name",
            "level",
            "match",
            "status",
            "flags",
            "damage",
            "damage_text",
            "structure",
            "structure_text",
            "count",
            "as_of",
        ],
    )
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    # each structure is one row: the figures of one file never overlap, so they add up
    frame = frame.assign(
        source_id=source_id, count_unit="structures", qualifier="exact", cumulative=False
    )
    figures = make_figures(frame)
    keys = ["unit_code", "damage", "structure"] + (["as_of"] if layout.split_dates else [])
    counts = figures.loc[figures["unit_code"].notna(), [*keys, "count"]]
    counts = counts.astype({"count": "int64"}).reset_index(drop=True)
    return figures, counts
