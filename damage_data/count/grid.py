"""Point → unit lookup for millions of points: a grid over the units, with exact tests only
near boundaries (used by :mod:`damage_data.count.stream` and the dask engine)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from .._errors import UsageError
from ..places.gazetteer import bundled_unit_shapes, bundled_units

#: Cells of the unit grid (about 2048 × 2048): finer grids send fewer points to exact tests
#: but cost more to build; measured best on 77 rayons and 1e7 points (benchmarks/).
GRID_CELLS = 1 << 22


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
        ix = np.clip(cx, 0, self.nx - 1).astype(np.int64)
        iy = np.clip(cy, 0, self.ny - 1).astype(np.int64)
        hit = np.zeros((self.ny, self.nx), dtype=bool)
        hit[iy, ix] = True
        # each sampled cell and its eight neighbours: two shifted ORs per axis over the
        # grid (cheaper than nine scatters of every sample)
        rows = hit.copy()
        rows[:, 1:] |= hit[:, :-1]
        rows[:, :-1] |= hit[:, 1:]
        marked = rows.copy()
        marked[1:, :] |= rows[:-1, :]
        marked[:-1, :] |= rows[1:, :]
        # runs of free cells along each row: a run is a connected stretch free of
        # boundaries, so it lies inside one unit or outside all; one test labels it
        free = ~marked.ravel()
        starts = free.copy()
        starts[1:] &= ~free[:-1]
        starts[:: self.nx] = free[:: self.nx]  # a run never continues onto the next row
        # int32 over an int8 view: a bool cumsum is 7x slower, a bool→int32 one 1.5x
        run = np.cumsum(starts.view(np.int8), dtype=np.int32)
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


def unit_shapes(units: Any, country: Any = None) -> tuple[Any, np.ndarray, Any]:
    """The units to place structures in as (table, shapes, CRS): the user's (checked), else
    the bundled ones, read without geopandas (see :func:`bundled_unit_shapes`)."""
    if units is None:
        table, shapes = bundled_unit_shapes(country)
        return table, shapes, "EPSG:4326"
    table = units_for(units, country)
    return table, table.geometry.to_numpy(), table.crs


def units_for(units: Any, country: Any = None) -> Any:
    """The units to place structures in: the user's (checked), else the bundled ones."""

    if units is None:
        return bundled_units(country)
    if "unit_code" not in units.columns or not hasattr(units, "geometry"):
        raise UsageError(
            "units must be a GeoDataFrame with a unit_code column and polygon geometry "
            f"(columns given: {', '.join(map(str, units.columns))}); see bundled_units()."
        )
    return units
