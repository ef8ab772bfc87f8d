"""The scale-out engine: :func:`damage_data.count.stream.count_structures` with ``engine="dask"``.

The file is read with ``dask.dataframe.read_parquet(split_row_groups=True)`` (one partition
per row group, Arrow-backed columns, so geometry stays WKB bytes and never becomes shapely
objects); ``map_partitions`` runs the same vectorised placement and bincount as the local
engine on each partition and returns a small table of counts, which the client adds up. On
several machines the file must be on storage every worker can read (see ``docs/scale.md``).
"""

from __future__ import annotations

import threading
from collections import Counter
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from .._errors import InputError, UsageError
from .arrow import Layout
from .batch import Labels, Partial, count_batch
from .grid import UnitGrid

if TYPE_CHECKING:
    import pyarrow as pa

#: Columns of the table each partition returns: one row per count, per rejected row, and a
#: few bookkeeping rows (``kind`` says which).
PARTITION_COLUMNS: dict[str, str] = {
    "kind": "object",
    "unit": "int64",
    "damage_text": "object",
    "structure_text": "object",
    "day": "int64",
    "count": "int64",
    "locator": "object",
    "column": "object",
    "value": "object",
    "reason": "object",
}

_LABELS: dict[str, Labels] = {}
_LABELS_LOCK = threading.Lock()


def _labels(scheme: str) -> Labels:
    """One :class:`Labels` per scheme and worker process: labels are classified once."""
    with _LABELS_LOCK:
        if scheme not in _LABELS:
            _LABELS[scheme] = Labels(scheme)
        return _LABELS[scheme]


@cache
def _transformer(source: str | None, target: str | None) -> Any:
    # pyproj transformers do not travel between processes: each worker makes its own
    import pyproj

    src = pyproj.CRS.from_user_input(source or "OGC:CRS84")
    dst = pyproj.CRS.from_user_input(target or "EPSG:4326")
    if src.equals(dst, ignore_axis_order=True):
        return None
    return pyproj.Transformer.from_crs(src, dst, always_xy=True)


def count_partition(
    frame: pd.DataFrame,
    layout: Layout,
    grid: UnitGrid,
    scheme: str,
    units_crs: str | None,
    offsets: list[int] | None,
    partition_info: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Count one partition (a row group) and return its :data:`PARTITION_COLUMNS` table.

    ``offsets`` gives the first row of each partition (for reject locators that match the
    local engine's); without it rows are located as ``partition N row M``.
    """
    import pyarrow as pa

    number = int(partition_info["number"]) if partition_info else 0
    if offsets is not None and number < len(offsets):
        first, locator = offsets[number], "row"
    else:
        first, locator = 0, f"partition {number} row"
    table: pa.Table = pa.Table.from_pandas(frame, preserve_index=False)
    labels = _labels(scheme)
    part = count_batch(
        table,
        layout,
        grid,
        labels,
        first_row=first,
        transformer=_transformer(layout.crs, units_crs),
        locator=locator,
    )
    return _to_frame(part, labels)


def _to_frame(part: Partial, labels: Labels) -> pd.DataFrame:
    # label ids are this worker's own: the client gets the label texts back
    texts = np.asarray(labels.texts, dtype=object)
    counts = part.counts
    counts = pd.DataFrame(
        {
            "unit": counts["unit"].astype("int64"),
            "damage_text": texts[counts["damage_id"].to_numpy()] if len(counts) else [],
            "structure_text": texts[counts["structure_id"].to_numpy()] if len(counts) else [],
            "day": counts["day"].astype("int64"),
            "count": counts["count"],
        }
    )
    rows = [counts.assign(kind="count")]
    book = [
        {"kind": "rows", "count": part.rows_read},
        {"kind": "outside", "count": part.outside},
    ]
    if part.max_day is not None:
        book.append({"kind": "max_day", "count": part.max_day})
    book += [{"kind": "reason", "reason": r, "count": n} for r, n in part.reasons.items()]
    rows.append(pd.DataFrame(book))
    rows += [r.assign(kind="reject", count=1) for r in part.rejects]
    out = pd.concat([r for r in rows if not r.empty], ignore_index=True)
    for column, dtype in PARTITION_COLUMNS.items():
        if column not in out.columns:
            out[column] = None
        if dtype == "int64":
            out[column] = out[column].fillna(0).astype("int64")
        else:
            out[column] = out[column].astype(object)
    return out[list(PARTITION_COLUMNS)]


def partials_from_frame(frame: pd.DataFrame, labels: Labels) -> list[Partial]:
    """The partition tables, gathered, as one :class:`~damage_data.count.batch.Partial`
    (label texts turned into the client's label ids)."""
    kind = frame["kind"]
    texts = frame.loc[
        kind == "count", ["unit", "damage_text", "structure_text", "day", "count"]
    ].reset_index(drop=True)
    counts = pd.DataFrame(
        {
            "unit": texts["unit"].astype("int32"),
            "damage_id": labels.ids_of(texts["damage_text"].fillna("").tolist()),
            "structure_id": labels.ids_of(texts["structure_text"].fillna("").tolist()),
            "day": texts["day"].astype("int64"),
            "count": texts["count"].astype("int64"),
        }
    )
    reasons: Counter[str] = Counter()
    for reason, n in frame.loc[kind == "reason", ["reason", "count"]].itertuples(index=False):
        reasons[str(reason)] += int(n)
    rejects = frame.loc[kind == "reject", ["locator", "column", "value", "reason"]]
    max_days = frame.loc[kind == "max_day", "count"]
    part = Partial(
        counts=counts,
        outside=int(frame.loc[kind == "outside", "count"].sum()),
        rows_read=int(frame.loc[kind == "rows", "count"].sum()),
        reasons=reasons,
        rejects=[rejects.reset_index(drop=True)] if len(rejects) else [],
        max_day=int(max_days.max()) if len(max_days) else None,
    )
    return [part]


def count_partials(
    layout: Layout,
    grid: UnitGrid,
    labels: Labels,
    *,
    units_crs: Any = None,
    workers: int | None = None,
    client: Any = None,
) -> list[Partial]:
    """Count ``layout``'s file on dask: one task per row group, gathered on the client.

    Runs on ``client`` (a ``distributed.Client`` or a scheduler address), else on a
    ``LocalCluster`` of ``workers`` started for the call, else on dask's current scheduler
    (an active ``Client`` if there is one).
    """
    try:
        import dask.dataframe as dd
    except ImportError as err:  # an optional dependency: say how to get it
        raise UsageError("engine='dask' needs dask: pip install 'damage_data[dask]'") from err
    if layout.fmt != "parquet":
        raise UsageError(
            f"{layout.path}: engine='dask' reads Parquet only; use engine='local' for Arrow "
            "IPC files."
        )
    path = Path(layout.path)
    try:
        frame = dd.read_parquet(
            str(path),
            columns=layout.columns,
            split_row_groups=True,
            dtype_backend="pyarrow",
            calculate_divisions=False,
        )
    except (OSError, ValueError) as err:
        raise InputError(f"{path}: dask cannot read it ({err})", path=str(path)) from err
    offsets = _offsets(path) if path.is_file() else None
    if offsets is not None and len(offsets) != frame.npartitions:
        offsets = None  # partitions are not row groups one to one: locate by partition
    crs = None if units_crs is None else _crs_text(units_crs)
    meta = pd.DataFrame({c: pd.Series(dtype=t) for c, t in PARTITION_COLUMNS.items()})
    counted = frame.map_partitions(
        count_partition,
        layout,
        grid,
        labels.scheme,
        crs,
        offsets,
        meta=meta,
        enforce_metadata=False,
    )
    result = _compute(counted, workers=workers, client=client)
    return partials_from_frame(result, labels)


def _crs_text(crs: Any) -> str:
    import pyproj

    return str(pyproj.CRS.from_user_input(crs).to_wkt())


def _offsets(path: Path) -> list[int]:
    import pyarrow.parquet as pq

    meta = pq.read_metadata(path)
    sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    return [int(v) for v in np.concatenate([[0], np.cumsum(sizes)[:-1]])] if sizes else []


def _compute(collection: Any, *, workers: int | None, client: Any) -> pd.DataFrame:
    if client is not None:
        from distributed import Client

        own = isinstance(client, str)
        active = Client(client) if own else client  # type: ignore[no-untyped-call]
        try:
            return cast(pd.DataFrame, active.compute(collection).result())
        finally:
            if own:
                active.close()
    if workers is not None:
        from distributed import Client, LocalCluster

        # threads in this process: the unit grid is shared, nothing is copied to workers
        with (
            LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers, threads_per_worker=1, processes=False, dashboard_address=None
            ) as cluster,
            Client(cluster) as local,  # type: ignore[no-untyped-call]
        ):
            return cast(pd.DataFrame, local.compute(collection).result())
    return cast(pd.DataFrame, collection.compute())


def assign_partitions(
    structures: Any,
    units: Any = None,
    *,
    country: str | list[str] | None = None,
) -> Any:
    """:func:`damage_data.count.assign` for a dask-geopandas frame, partition by partition.

    Adds ``unit_code``, ``unit_name`` and ``level`` (missing outside every unit) to each
    partition; points are placed with the same :class:`~damage_data.count.stream.UnitGrid` as
    :func:`~damage_data.count.stream.count_structures` (polygons at their representative point), so
    a point on a shared boundary goes to the first unit in table order, once.

    Examples
    --------
    >>> import dask_geopandas  # doctest: +SKIP
    >>> assigned = assign_partitions(dask_geopandas.read_parquet("b.parquet"), country="AZ")
    ... # doctest: +SKIP
    >>> assigned.groupby(["unit_code", "damage"]).size().compute()  # doctest: +SKIP
    """
    from .grid import unit_grid, units_for

    table = units_for(units, country)
    grid = unit_grid(table.geometry.to_numpy())
    codes = table["unit_code"].astype("string").to_numpy()
    names = (
        table["name"].astype("string").to_numpy()
        if "name" in table.columns
        else np.full(len(table), None)
    )
    levels = (
        table["level"].astype("string").to_numpy()
        if "level" in table.columns
        else np.full(len(table), None)
    )
    meta = structures._meta.assign(
        unit_code=pd.Series(dtype="string"),
        unit_name=pd.Series(dtype="string"),
        level=pd.Series(dtype="string"),
    )
    return structures.map_partitions(
        _assign_partition, grid, codes, names, levels, table.crs, meta=meta
    )


def _assign_partition(
    frame: Any, grid: UnitGrid, codes: Any, names: Any, levels: Any, crs: Any
) -> Any:
    import shapely

    geoms = frame.geometry
    if crs is not None and geoms.crs is not None and not geoms.crs.equals(crs):
        geoms = geoms.to_crs(crs)
    values = geoms.to_numpy()
    missing = shapely.is_missing(values) | shapely.is_empty(values)
    points = np.where(shapely.get_type_id(values) == 0, values, shapely.point_on_surface(values))
    x = np.where(missing, 0.0, shapely.get_x(points))
    y = np.where(missing, 0.0, shapely.get_y(points))
    unit = grid.locate(x, y)
    unit[missing] = -1
    found = unit >= 0
    safe = np.where(found, unit, 0)

    def take(values: Any) -> pd.Series:
        out = pd.Series(values[safe], index=frame.index, dtype="string")
        return out.where(found)

    return frame.assign(unit_code=take(codes), unit_name=take(names), level=take(levels))
