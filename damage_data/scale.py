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
from .engines.arrow import (
    _BAD_XY,
    _NAT,
    _NULL_GEOM,
    _OK,
    _STATUS_REASON,
    ARROW_SUFFIXES,
    PARQUET_SUFFIXES,
    Layout,
    _batches,
    _codes,
    _days,
    _distinct,
    _multi_round,
    _row_count,
    _row_group_batches,
    _row_groups,
    _schema,
    _text,
    layout_of,
    points_xy,
)
from .engines.grid import GRID_CELLS, UnitGrid, unit_grid

if TYPE_CHECKING:
    import geopandas as gpd
    import pyarrow as pa

log = logging.getLogger(__name__)

#: Most rejected rows listed one by one (every one is counted; reasons are always complete).
MAX_REJECT_ROWS = 100_000
REJECT_COLUMNS = ["locator", "column", "value", "reason"]

_MISSING_DAMAGE = "missing damage label: every structure needs a damage class"

#: Names this module re-exports (the file-reading and grid API lives in damage_data.engines).
__all__ = [
    "GRID_CELLS",
    "CountResult",
    "Labels",
    "Layout",
    "Partial",
    "UnitGrid",
    "count_batch",
    "count_structures",
    "file_sha256",
    "finish",
    "is_structure_parquet",
    "layout_of",
    "merge",
    "pick_damage_scheme",
    "points_xy",
    "unit_grid",
]


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
        from .places.gazetteer import bundled_units

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
    cost) runs on every core; at most ``workers`` row groups are in memory at once. pyarrow's
    own threads stay off: within one row group they add CPU time (measured: twice the CPU for
    the WKB column) and no speed.
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
                layout, task, batch_rows=batch_rows, use_threads=False
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
