"""Counting per-structure products too large for memory: GeoParquet in, figures out.

The large-data path of *assign → count*: only the needed Arrow columns are read, batch by
batch (bounded memory); point coordinates come straight from the WKB bytes through numpy;
each point is placed by a grid whose cells lie inside one unit, outside every unit, or on a
boundary, and only points in boundary cells get an exact test against prepared polygons;
labels are classified once per distinct value; counting is ``np.bincount`` over codes.

:func:`count_structures` runs it (``engine="dask"`` spreads it over a dask cluster, see
``damage_data.count.dask``); :func:`is_structure_parquet` tells the pipeline which
inputs to send here.
"""

from __future__ import annotations

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

from .._errors import InputError, UsageError
from .._hashing import path_sha256 as file_sha256  # the input identity every path uses
from ..limits import DEFAULT_LIMITS, Limits
from ..readers._result import bare_codes_problem, pick_scheme
from ..tables import make_table
from ..vocab import damage_schemes, unknown_structures_warning
from .arrow import (
    _NAT,
    ARROW_SUFFIXES,
    PARQUET_SUFFIXES,
    Layout,
    _batches,
    _distinct,
    _multi_round,
    _row_count,
    _row_group_batches,
    _row_groups,
    _schema,
    _text,
    check_sizes,
    layout_of,
    points_xy,
)
from .batch import (
    MAX_REJECT_ROWS,
    REJECT_COLUMNS,
    Labels,
    Partial,
    Tally,
    _day_codes,
    _empty_counts,
    count_batch,
    merge,
    should_merge,
)
from .build import figures_from_counts, undated_kept
from .grid import GRID_CELLS, UnitGrid, unit_grid, unit_shapes

if TYPE_CHECKING:
    import geopandas as gpd

log = logging.getLogger(__name__)


#: Engine names :func:`count_structures` accepts.
ENGINES: tuple[str, ...] = ("local", "dask")

#: Names this module re-exports (the file-reading and grid API lives in damage_data.count).
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
        A ``figures`` table: one figure per unit × damage × structure, dated by the latest
        assessment in the unit (DESIGN §4 rule 4).
    counts
        Counts per date: ``unit_code, damage, structure, as_of, count`` (for timelines and
        ``--as-of``; never added to the figures).
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

    _, known = pick_scheme(values)
    return known >= max(1, 0.5 * len(values))


# --- the public call ----------------------------------------------------------------------


#: Names of longitude/latitude on WGS 84, for which no transformation is needed.
_LONLAT = frozenset({"EPSG:4326", "OGC:CRS84", "WGS84", "CRS84"})


def _is_lonlat(crs: Any) -> bool:
    """``crs`` is plainly WGS 84 longitude/latitude (a name, or PROJJSON with that id)."""
    if crs is None:
        return True
    if isinstance(crs, str) and crs.strip().upper() in _LONLAT:
        return True
    if isinstance(crs, str) and crs.lstrip().startswith("{"):
        try:
            ident = json.loads(crs).get("id", {})
        except (ValueError, AttributeError):
            return False
        name = f"{ident.get('authority', '')}:{ident.get('code', '')}".upper()
        return name in _LONLAT
    return False


def _transformer(layout: Layout, units_crs: Any) -> Any:
    # the common case (bundled units, points in lon/lat) needs no pyproj: importing it and
    # looking both CRSs up in its database costs about 0.1 s of a 2 s command
    if _is_lonlat(units_crs) and _is_lonlat(layout.crs or "OGC:CRS84"):
        return None
    import pyproj

    target = pyproj.CRS.from_user_input(units_crs if units_crs is not None else "EPSG:4326")
    source = pyproj.CRS.from_user_input(layout.crs or "OGC:CRS84")
    if source.equals(target, ignore_axis_order=True):
        return None
    return pyproj.Transformer.from_crs(source, target, always_xy=True)


def pick_damage_scheme(layout: Layout, scheme: str) -> str:
    """The crosswalk for the damage column: ``scheme``, or for ``"auto"`` the one that knows
    most distinct labels of the first batch (as the readers choose)."""

    if scheme != "auto":
        if scheme not in damage_schemes():
            raise UsageError(
                f"unknown damage scheme {scheme!r}; known schemes: auto, "
                f"{', '.join(damage_schemes())}"
            )
        return scheme

    first = next(_batches(layout, batch_rows=65_536, columns=[layout.damage]), None)
    values = _distinct(first[1].column(0)) if first is not None else []
    if not values:
        return "canonical"
    labels = [_text(v) for v in values]
    picked = pick_scheme(labels)[0]
    problem = bare_codes_problem(labels, picked)
    if problem is not None:
        raise InputError(
            f"{layout.path}, column {layout.damage!r}: {problem}", path=str(layout.path)
        )
    return picked


def count_structures(
    path: str | Path,
    units: gpd.GeoDataFrame | None = None,
    *,
    country: str | Sequence[str] | None = None,
    damage_column: str | None = None,
    structure_column: str | None = None,
    date_column: str | bool | None = None,
    scheme: str = "auto",
    batch_rows: int = 250_000,
    engine: str = "local",
    workers: int | None = None,
    client: Any = None,
    as_of: Any = None,
    limits: Limits | None = None,
) -> CountResult:
    """Count the structures of a GeoParquet (or Arrow) file per unit, damage and type.

    Streams the file batch by batch, so files larger than memory work. Each structure goes
    to the first unit (in ``units`` order) whose polygon covers its point (polygons: their
    representative point); structures in no unit are counted in ``outside`` and become
    figures without a unit, flagged ``outside_units`` (as :func:`damage_data.count.assign` does).

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
        The assessment date of each structure; by default a date column found by name
        (``sensor_date``, ``date``…), as the readers do; ``False``: no dates. Figures are
        dated by the latest assessment in their unit; counts per date are in
        :attr:`CountResult.counts`.
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
    as_of
        Count only structures assessed on or before this day.
    limits
        Safety limits (:class:`damage_data.limits.Limits`): the columns to read must not
        decode to more than they allow (a Parquet bomb); rows and total size are not limited.

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
    p = Path(path)
    _check_call(p, engine, batch_rows)
    layout = layout_of(
        p, damage_column=damage_column, structure_column=structure_column, date_column=date_column
    )
    check_sizes(layout, limits or DEFAULT_LIMITS)
    if _multi_round(_schema(p)[0].names):
        raise UsageError(
            f"{p}: holds several UNOSAT assessment rounds; rounds are re-assessments of the "
            "same sites and must not be added. Load it with damage_data.load(), which keeps "
            "one round per site."
        )
    hasher = _BackgroundHash(p)  # hashing runs beside everything below
    try:
        chosen = pick_damage_scheme(layout, scheme)
        unit_table, shapes, units_crs = unit_shapes(units, country)
        grid = unit_grid(shapes, rows=_row_count(layout))
        transformer = _transformer(layout, units_crs)
        labels = Labels(chosen)
        if engine == "dask":
            from .dask import count_partials  # dask is optional: imported only when asked for

            partials = count_partials(
                layout, grid, labels, units_crs=units_crs, workers=workers, client=client
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
        as_of=as_of,
    )


def _check_call(p: Path, engine: str, batch_rows: int) -> None:
    """Refuse an unknown engine, a batch of no rows or a missing file before any work."""
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; known engines: {', '.join(ENGINES)}")
    if batch_rows < 1:
        raise UsageError(f"batch_rows must be at least 1, got {batch_rows}")
    if not p.exists():
        raise InputError(f"{p}: no such file; check the path", path=str(p))


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
    tally = Tally(len(grid.geometries) + 1)  # + the slot of structures outside every unit

    def counted(part: Partial) -> Partial:
        # batches count into the tally themselves; a table is left only when it did not fit
        if tally.add(part.counts):
            part.counts = _empty_counts()
        return part

    def count(task: Any) -> list[Partial]:
        if isinstance(task, tuple):  # (first row, batch) from the sequential reader
            return [
                counted(
                    count_batch(
                        task[1],
                        layout,
                        grid,
                        labels,
                        first_row=task[0],
                        transformer=transformer,
                        tally=tally,
                    )
                )
            ]
        return [
            counted(
                count_batch(
                    batch,
                    layout,
                    grid,
                    labels,
                    first_row=first,
                    transformer=transformer,
                    tally=tally,
                )
            )
            for first, batch in _row_group_batches(
                layout, task, batch_rows=batch_rows, use_threads=False
            )
        ]

    tasks: Iterator[Any]
    if layout.fmt == "parquet" and path.is_file():
        tasks = iter(_row_groups(path))
    else:
        tasks = _batches(layout, batch_rows=batch_rows)
    results: list[Partial] = []
    if threads == 1:
        for task in tasks:
            results.extend(count(task))
            if should_merge(results):
                results = [merge(results)]
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            pending: list[Future[list[Partial]]] = []
            for task in tasks:
                pending.append(pool.submit(count, task))
                if len(pending) >= threads:  # bounded memory: ``threads`` tasks in flight
                    results.extend(pending.pop(0).result())
                    if should_merge(results):
                        results = [merge(results)]
            for future in pending:
                results.extend(future.result())
    return [*results, Partial(counts=tally.table())]


def finish(
    partials: Sequence[Partial],
    *,
    layout: Layout,
    units: pd.DataFrame,
    labels: Labels,
    sha256: str,
    engine: str,
    as_of: Any = None,
) -> CountResult:
    """Reduce batch counts to canonical counts, figures, rejects and the report."""

    path = Path(layout.path)
    rows_read = sum(p.rows_read for p in partials)
    reasons: Counter[str] = Counter()
    for part in partials:
        reasons.update(part.reasons)
    rejected = sum(reasons.values())
    outside = sum(p.outside for p in partials)
    tables = [p.counts for p in partials if not p.counts.empty]
    # the tally's table is already added up: only tables the tally refused need a merge
    raw = merge(partials).counts if len(tables) > 1 else tables[0] if tables else _empty_counts()
    kept = rows_read - rejected
    figures, counts = _figures(
        raw, units=units, labels=labels, source_id=f"sha256:{sha256[:16]}", as_of=as_of
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
        warnings.append(unknown_structures_warning(unknown))
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
                "notes": f"{rows_read} rows; counted per unit by damage_data.count.stream",
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
    units: pd.DataFrame,
    labels: Labels,
    source_id: str,
    as_of: Any = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counts per unit, label and day → figures (one per unit × damage × structure, dated by
    the unit's latest assessment) and the per-date counts table.

    Everything is added up on integer codes first; labels become states only on the few
    rows left. Structures assessed after ``as_of`` are left out before anything is added up.
    """

    if as_of is not None and not raw.empty:
        day = (pd.Timestamp(as_of) - pd.Timestamp(0)).days
        raw = raw[(raw["day"] == _NAT) | (raw["day"] <= day)]
        undated_kept(int(raw.loc[raw["day"] == _NAT, "count"].sum()), as_of)
    texts = np.asarray(labels.texts, dtype=object)
    # each label is classified in the role it plays (a damage label is no structure type)
    damage_of = np.full(len(texts), None, dtype=object)
    for i in raw["damage_id"].unique().tolist():
        damage_of[i] = labels.damage(str(texts[i]))
    structure_of = np.full(len(texts), "any", dtype=object)
    for i in raw["structure_id"].unique().tolist():
        structure_of[i] = labels.structure(str(texts[i]) if texts[i] else None)
    codes = units["unit_code"].astype("string").to_numpy(dtype=object)
    names = units["name"].astype("string").to_numpy(dtype=object) if "name" in units else None
    levels = units["level"].astype("string").to_numpy(dtype=object) if "level" in units else None

    def unit_column(values: np.ndarray | None, unit: np.ndarray) -> pd.Series:
        inside = unit < len(codes)
        out = np.full(len(unit), None, dtype=object)
        if values is not None:
            out[inside] = values[unit[inside]]
        return pd.Series(out, dtype="string")

    # the latest dated assessment of each unit (rule R4: one date per unit)
    dated = raw[raw["day"] != _NAT]
    latest = dated.groupby("unit")["day"].max() if len(dated) else pd.Series(dtype="int64")
    summed = raw.groupby(["unit", "damage_id", "structure_id"], sort=True)["count"].sum()
    fine = summed[summed > 0].reset_index()
    unit = fine["unit"].to_numpy()
    last = fine["unit"].map(latest)
    counts = pd.DataFrame(
        {
            "unit_code": unit_column(codes, unit),
            "unit_name": unit_column(names, unit),
            "level": unit_column(levels, unit),
            "damage": damage_of[fine["damage_id"].to_numpy()].astype(str),
            "structure": structure_of[fine["structure_id"].to_numpy()].astype(str),
            "text": texts[fine["damage_id"].to_numpy()],
            "as_of": pd.to_datetime(last, unit="D"),
            "count": fine["count"].to_numpy(),
        }
    )
    group = ["unit_code", "unit_name", "level", "damage", "structure", "as_of"]
    grouped = counts.groupby(group, dropna=False, sort=True)
    # the labels behind each figure, gathered in one pass (a lambda per group cost 0.1 s)
    said: list[set[str]] = [set() for _ in range(grouped.ngroups)]
    for k, text in zip(grouped.ngroup().tolist(), counts["text"].tolist(), strict=True):
        if text:
            said[k].add(str(text))
    counts = grouped["count"].sum().reset_index()
    counts["damage_text"] = ["; ".join(sorted(t)) for t in said]
    figures = figures_from_counts(counts, source_id=source_id, scheme=labels.scheme)
    return figures, _per_date(raw, codes, damage_of, structure_of)


def _per_date(
    raw: pd.DataFrame, codes: np.ndarray, damage_of: np.ndarray, structure_of: np.ndarray
) -> pd.DataFrame:
    """Counts per unit, state, structure and day (units only), in compact categoricals.

    Added up on one integer key per row, sorted by unit (in the units' order), state,
    structure and day: a dense ``bincount`` when the key space is small (the usual case, a
    few MB), else a sort. A pandas group-by on four columns needs several copies of a table
    that many dates make long (measured: 106 MB over the count table of 1e7 structures with
    365 dates, against about 25 MB here).
    """
    unit = raw["unit"].to_numpy(np.int64)
    inside = unit < len(codes)
    every = bool(inside.all())

    def column(name: str, dtype: Any) -> np.ndarray:
        values = raw[name].to_numpy(dtype)
        return values if every else values[inside]

    unit = unit if every else unit[inside]
    states = _categorical(damage_of, column("damage_id", np.int64))
    types = _categorical(structure_of, column("structure_id", np.int64))
    day = column("day", np.int64)
    values, day_code = _day_codes(day)  # the batches' own day codes (0: no date)
    day_values = np.asarray(values, dtype=np.int64)
    ns, nt, nd = len(states.categories), len(types.categories), max(len(day_values), 1)
    key = unit * ns
    key += states.codes
    key *= nt
    key += types.codes
    key *= nd
    key += day_code
    weights = column("count", np.float64)
    size = max(len(codes), 1) * max(ns, 1) * max(nt, 1) * nd
    if size <= 1 << 24:
        dense = np.bincount(key, weights=weights, minlength=size)
        uniq = np.flatnonzero(dense)
        total = dense[uniq]
        del dense
    else:  # very many dates or labels: sort instead of a dense array
        uniq, inverse = np.unique(key, return_inverse=True)
        total = np.bincount(inverse.reshape(-1), weights=weights)
        del inverse
    del key, weights
    # the key taken apart in place, small codes kept: the table can be as long as the batch
    days = day_values[uniq % nd] if len(day_values) else np.zeros(0, dtype=np.int64)
    uniq //= nd
    t = (uniq % nt).astype(np.int32)
    uniq //= nt
    s = (uniq % ns).astype(np.int32)
    uniq //= ns
    u = uniq.astype(np.int32)
    del uniq
    as_of = days.astype("datetime64[D]").astype("datetime64[us]")  # _NAT is numpy's NaT
    return pd.DataFrame(
        {
            "unit_code": pd.Categorical.from_codes(u, categories=pd.Index(codes).astype(str))
            if len(codes)
            else pd.Categorical([]),
            "damage": pd.Categorical.from_codes(s, categories=states.categories),
            "structure": pd.Categorical.from_codes(t, categories=types.categories),
            "as_of": as_of,
            "count": total.astype(np.int64),
        }
    )


def _categorical(names: np.ndarray, ids: np.ndarray) -> pd.Categorical[str]:
    """``names[ids]`` as a categorical, built from the few distinct ids (no string per row)."""
    used = np.unique(ids)
    categories = sorted({str(names[i]) for i in used})
    lookup = np.full(len(names), -1, dtype=np.int32)
    position = {c: k for k, c in enumerate(categories)}
    for i in used:
        lookup[i] = position[str(names[i])]
    codes: np.ndarray = lookup[ids]
    return pd.Categorical.from_codes(codes, categories=pd.Index(categories))
