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
COUNT_COLUMNS = ["unit_code", "damage", "structure", "count"]

# row status codes
_OK, _NULL_GEOM, _EMPTY_GEOM, _BAD_GEOM, _BAD_XY = 0, 1, 2, 3, 4
_STATUS_REASON = {
    _NULL_GEOM: "missing geometry: a structure needs a point or polygon",
    _EMPTY_GEOM: "empty geometry: a structure needs a point or polygon",
    _BAD_GEOM: "unreadable geometry (not valid WKB)",
    _BAD_XY: "coordinates cannot be transformed to the units' CRS (out of its range)",
}
_MISSING_DAMAGE = "missing damage label: every structure needs a damage class"


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
    unknown_structures: set[str] = field(default_factory=set)


# --- the unit grid ------------------------------------------------------------------------


class UnitGrid:
    """Point → unit lookup: a grid of cells inside one unit, outside all, or on a boundary.

    A cell is *on a boundary* when any unit boundary comes near it; every other cell belongs
    to a connected region free of boundaries, so one test of one point per region labels all
    of its cells. Points in boundary cells are tested exactly (``shapely.intersects_xy``
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
        self._lock = threading.Lock()
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
        from scipy import ndimage

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
        regions, n = ndimage.label(~marked)  # 4-connected regions free of boundaries
        flat = regions.ravel()
        # one cell of each region (any will do: a region lies in one unit or in none)
        some = np.zeros(n + 1, dtype=np.int64)
        some[flat] = np.arange(flat.size)
        cell = some[1:]
        centre_x = self.x0 + (cell % self.nx + 0.5) * self.step
        centre_y = self.y0 + (cell // self.nx + 0.5) * self.step
        owner = np.concatenate([[-2], self._exact(centre_x, centre_y)])
        dtype = np.int16 if len(self.geometries) < 32000 else np.int32
        return owner.astype(dtype)[regions]

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
        cx = np.clip((x - self.x0) * inv, 0, self.nx - 1).astype(np.intp)
        cy = np.clip((y - self.y0) * inv, 0, self.ny - 1).astype(np.intp)
        cy *= self.nx
        cy += cx
        unit = self.grid.ravel()[cy].astype(np.int32)
        near = np.flatnonzero(unit == -2)
        if len(near):
            unit[near] = self._exact(x[near], y[near])
        return unit


_GRIDS: dict[tuple[str, int], UnitGrid] = {}
_GRIDS_LOCK = threading.Lock()


def _cached_grid(wkb: np.ndarray, cells: int) -> UnitGrid:
    """A grid rebuilt from WKB polygons, once per process (dask workers unpickle it per task)."""
    import shapely

    digest = hashlib.sha256(b"".join(bytes(w) for w in wkb)).hexdigest()
    key = (digest, cells)
    with _GRIDS_LOCK:
        grid = _GRIDS.get(key)
        if grid is None:
            grid = UnitGrid(shapely.from_wkb(wkb), cells=cells)
            _GRIDS[key] = grid
    return grid


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

    return any(re.fullmatch(r"(main_damage_site_class|main_dam|dasitcl)_?\d+", _fold(n))
               for n in names)


def layout_of(
    path: str | Path,
    *,
    damage_column: str | None = None,
    structure_column: str | None = None,
    date_column: str | None = None,
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
        if given is not None and given not in names:
            raise UsageError(
                f"{p}: no {label} column {given!r}; columns are: {', '.join(names)}."
            )
    structure = structure_column or _find(names, STRUCTURE_COLUMNS)
    date = date_column or _find(names, DATE_COLUMNS)
    import pyarrow as pa

    dictionary = tuple(
        c
        for c in (damage, structure, date)
        if c and (pa.types.is_string(schema.field(c).type)
                  or pa.types.is_large_string(schema.field(c).type))
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
        split_dates=date_column is not None,
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

            source = pq.ParquetFile(path, read_dictionary=[c for c in layout.dictionary
                                                           if c in cols])
            batches = source.iter_batches(batch_size=batch_rows, columns=cols, use_threads=True)
        else:
            fmt: Any = "ipc" if layout.fmt == "arrow" else ds.ParquetFileFormat(
                read_options=ds.ParquetReadOptions(dictionary_columns=list(layout.dictionary))
            )
            dataset = ds.dataset(path, format=fmt)
            batches = dataset.to_batches(columns=cols, batch_size=batch_rows,
                                         batch_readahead=1, fragment_readahead=1)
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
    offsets = np.frombuffer(bufs[1], dtype=off_type, count=n + 1, offset=array.offset * np.dtype(off_type).itemsize)
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
    rec = data[offsets[simple, None] + np.arange(21)].view(WKB_POINT).ravel()
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
    codes = indices.to_numpy(zero_copy_only=False) if indices.null_count == 0 else (
        indices.fill_null(-1).to_numpy(zero_copy_only=False)
    )
    return codes.astype(np.int64), values


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
        [nat if pd.isna(v) else (pd.Timestamp(v).normalize().value // 86_400_000_000_000)
         for v in parsed] + [nat],
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
        x = table.column(names.index(str(layout.x))).to_numpy(zero_copy_only=False)
        y = table.column(names.index(str(layout.y))).to_numpy(zero_copy_only=False)
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        status = np.where(np.isnan(x) | np.isnan(y), _NULL_GEOM, _OK).astype(np.int8)
    else:
        x, y, status = points_xy(table.column(names.index(str(layout.geometry))))
    if transformer is not None:
        ok = status == _OK
        tx, ty = transformer.transform(x[ok], y[ok])
        x[ok], y[ok] = tx, ty
        status[ok & ~(np.isfinite(x) & np.isfinite(y))] = _BAD_XY
    dmg_codes, dmg_values = _codes(table.column(names.index(layout.damage)))
    known = np.array([v is not None and labels.damage(v) is not None for v in dmg_values]
                     + [False], dtype=bool)
    missing_damage = dmg_codes < 0
    unknown_damage = ~known[dmg_codes] & ~missing_damage
    geom_ok = status == _OK
    keep = geom_ok & ~missing_damage & ~unknown_damage
    partial = Partial(counts=_empty_counts(), rows_read=n)
    # reasons: geometry first, then damage (one reason per rejected row)
    rejected = ~keep
    if rejected.any():
        rows = np.flatnonzero(rejected)
        reason_of = np.where(
            ~geom_ok[rows], status[rows], np.where(missing_damage[rows], 10, 11)
        )
        for code in np.unique(reason_of):
            these = rows[reason_of == code]
            if code == 10:
                reason, column, values = _MISSING_DAMAGE, layout.damage, None
            elif code == 11:
                reason, column = labels.unknown_reason(), layout.damage
                values = [dmg_values[c] for c in dmg_codes[these[:max_reject_rows]]]
            else:
                reason = _STATUS_REASON[int(code)]
                column = layout.geometry or f"{layout.x}/{layout.y}"
                values = None
            partial.reasons[reason] += len(these)
            shown = these[:max_reject_rows]
            partial.rejects.append(
                pd.DataFrame(
                    {
                        "locator": [f"{locator} {first_row + i}" for i in shown],
                        "column": column,
                        "value": values if values is not None else [None] * len(shown),
                        "reason": reason,
                    }
                )
            )
    unit = np.full(n, -1, dtype=np.int32)
    kept = np.flatnonzero(keep)
    unit[kept] = grid.locate(x[kept], y[kept])
    inside = keep & (unit >= 0)
    partial.outside = int(keep.sum() - inside.sum())
    if layout.structure:
        st_codes, st_values = _codes(table.column(names.index(layout.structure)))
        st_codes = st_codes + 1  # 0: no structure label
        st_values = [None, *st_values]
    else:
        st_codes, st_values = np.zeros(n, dtype=np.int64), [None]
    day_values: list[int] = [np.iinfo(np.int64).min]
    day_codes = np.zeros(n, dtype=np.int64)
    if layout.date:
        days = _days(table.column(names.index(layout.date)))
        dated = inside & (days != np.iinfo(np.int64).min)
        if dated.any():
            partial.max_day = int(days[dated].max())
        if layout.split_dates:
            day_values, day_codes = _day_codes(days, inside)
    sel = np.flatnonzero(inside)
    nu, nd, ns, nt = len(grid.geometries), len(dmg_values), len(st_values), len(day_values)
    key = unit[sel].astype(np.int64)
    key *= nd
    key += dmg_codes[sel]
    key *= ns
    key += st_codes[sel]
    key *= nt
    key += day_codes[sel]
    size = nu * nd * ns * nt
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


def _day_codes(days: np.ndarray, inside: np.ndarray) -> tuple[list[int], np.ndarray]:
    nat = np.iinfo(np.int64).min
    present = days[inside & (days != nat)]
    if len(present) == 0:
        return [nat], np.zeros(len(days), dtype=np.int64)
    lo, hi = int(present.min()), int(present.max())
    if hi - lo < 100_000:  # a dense range: offset codes, no sort
        codes = np.where(days == nat, 0, days - lo + 1)
        return [nat, *range(lo, hi + 1)], codes
    uniq, inv = np.unique(days, return_inverse=True)
    return [int(v) for v in uniq], inv.astype(np.int64)


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


def _units_of(units: gpd.GeoDataFrame | None, country: str | Sequence[str] | None
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


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file (or of a folder's files in name order), read in 4 MB chunks."""
    p = Path(path)
    digest = hashlib.sha256()
    files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
    for f in files:
        with f.open("rb") as handle:
            for chunk in iter(lambda h=handle: h.read(1 << 22), b""):
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
    date_column: str | None = None,
    scheme: str = "auto",
    batch_rows: int = 1_000_000,
    engine: str = "local",
    workers: int | None = None,
    client: Any = None,
) -> CountResult:
    """Count the structures of a GeoParquet (or Arrow) file per unit, damage and type.

    Streams the file batch by batch, so files larger than memory work. Each structure goes
    to the first unit (in ``units`` order) whose polygon covers its point (polygons: their
    representative point); structures in no unit are counted in ``outside``.

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
        Count separately per date of this column (``as_of`` of each figure). Without it a
        date column found by name only gives the figures' ``as_of`` (the latest date).
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
    if engine not in ("local", "dask"):
        raise UsageError(f"unknown engine {engine!r}; known engines: local, dask")
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
    chosen = pick_damage_scheme(layout, scheme)
    unit_table = _units_of(units, country)
    hasher = _BackgroundHash(p)
    grid = UnitGrid(unit_table.geometry.to_numpy())
    transformer = _transformer(layout, unit_table.crs)
    labels = Labels(chosen)
    if engine == "dask":
        from .engines.dask_engine import count_partials

        partials = count_partials(
            layout, grid, labels, units_crs=unit_table.crs, workers=workers, client=client
        )
    else:
        partials = _count_local(
            layout, grid, labels, transformer=transformer, batch_rows=batch_rows,
            workers=workers,
        )
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
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sha256")
        self._future: Future[str] = self._pool.submit(file_sha256, path)

    def result(self) -> str:
        try:
            return self._future.result()
        finally:
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
    """Count batch by batch; ``workers`` threads count while the next batch is read."""
    threads = max(1, workers or 1)
    out: list[Partial] = []
    if threads == 1:
        for first, batch in _batches(layout, batch_rows=batch_rows):
            out.append(count_batch(batch, layout, grid, labels, first_row=first,
                                   transformer=transformer))
        return out
    pending: list[Future[Partial]] = []
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for first, batch in _batches(layout, batch_rows=batch_rows):
            pending.append(pool.submit(count_batch, batch, layout, grid, labels,
                                       first_row=first, transformer=transformer))
            if len(pending) > threads:  # bounded memory: at most threads + 1 batches held
                out.append(pending.pop(0).result())
        out.extend(f.result() for f in pending)
    return out


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
    from .tables import make_figures, make_table
    from .vocab import LEVELS

    path = Path(layout.path)
    rows_read = sum(p.rows_read for p in partials)
    reasons: Counter[str] = Counter()
    for part in partials:
        reasons.update(part.reasons)
    rejected = sum(reasons.values())
    outside = sum(p.outside for p in partials)
    frames = [p.counts for p in partials if not p.counts.empty]
    raw = pd.concat(frames, ignore_index=True) if frames else _empty_counts()
    raw = raw.groupby(["unit", "damage_text", "structure_text", "day"], dropna=False,
                      sort=False, as_index=False)["count"].sum()
    raw["damage"] = [labels.damage(str(t)) for t in raw["damage_text"]]
    raw["structure"] = [labels.structure(None if pd.isna(t) else str(t))
                        for t in raw["structure_text"]]
    codes = units["unit_code"].astype("string").to_numpy()
    raw["unit_code"] = codes[raw["unit"].to_numpy()] if len(raw) else pd.Series(dtype="string")
    nat = np.iinfo(np.int64).min
    max_days = [p.max_day for p in partials if p.max_day is not None]
    latest = pd.Timestamp(max(max_days), unit="D") if max_days else pd.NaT
    if layout.split_dates:
        raw["as_of"] = pd.to_datetime(
            raw["day"].where(raw["day"] != nat).astype("float64"), unit="D"
        )
    keys = ["unit", "unit_code", "damage", "structure"] + (["as_of"] if layout.split_dates
                                                           else [])
    grouped = raw.groupby(keys, dropna=False, sort=True, as_index=False).agg(
        count=("count", "sum"),
        damage_text=("damage_text", _join_texts),
        structure_text=("structure_text", _join_texts),
    )
    grouped = grouped.sort_values(["unit", "damage", "structure"] + keys[4:], kind="stable")
    counts = grouped[[k for k in keys if k != "unit"] + ["count"]].reset_index(drop=True)
    counts["unit_code"] = counts["unit_code"].astype("string")
    kept = rows_read - rejected
    source_id = f"sha256:{sha256[:16]}"
    names = units["name"].astype("string").to_numpy() if "name" in units.columns else None
    levels = units["level"].astype(object).to_numpy() if "level" in units.columns else None
    records = []
    label = "folder" if path.is_dir() else "file"
    for row in grouped.itertuples(index=False):
        u = int(row.unit)
        name = None if names is None or pd.isna(names[u]) else str(names[u])
        level = None if levels is None or str(levels[u]) not in LEVELS else str(levels[u])
        when = row.as_of if layout.split_dates else latest
        date_part = "" if pd.isna(when) else f", {pd.Timestamp(when).date()}"
        records.append(
            {
                "source_id": source_id,
                "locator": f"{path.name}: {row.count} structures ({row.unit_code}, "
                f"damage {row.damage_text}, {row.structure_text or 'no type'}{date_part})",
                "evidence": (
                    f"{row.count} of the {kept} structures in {label} {path.name} have damage "
                    f"class {row.damage_text!r} ({labels.scheme}) and type "
                    f"{row.structure_text or 'not stated'!r} and lie in "
                    f"{name or row.unit_code} ({row.unit_code}); counted by point-in-polygon"
                    + (f", assessed on {pd.Timestamp(when).date()}" if layout.split_dates
                       and not pd.isna(when) else "")
                ),
                "place_text": None,
                "unit_code": row.unit_code,
                "unit_name": name,
                "level": level,
                "match": "code",
                "damage": row.damage,
                "damage_text": row.damage_text,
                "structure": row.structure,
                "structure_text": row.structure_text,
                "count_unit": "structures",
                "count": int(row.count),
                "qualifier": "exact",
                # each structure is one row: figures of one file never overlap, they add up
                "cumulative": False,
                "as_of": when,
            }
        )
    figures = make_figures(records) if records else make_figures(pd.DataFrame(
        columns=["source_id", "count"]))
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
                "source_id": source_id,
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


def _join_texts(values: pd.Series) -> str | None:
    texts = sorted({str(v) for v in values if v is not None and not pd.isna(v)})
    return "; ".join(texts) if texts else None
