"""Counting one batch of structures: decode points, place them in units, classify labels,
bincount. Both engines (threads on this machine, dask) count batches with this code, so a
file gives the same counts whichever engine runs it.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._errors import InputError, UnknownLabelError
from ..vocab import classify_damage, classify_structure, known_damage_labels
from .arrow import _BAD_XY, _NAT, _NULL_GEOM, _OK, _STATUS_REASON, Layout, _codes, _days, points_xy
from .grid import UnitGrid

if TYPE_CHECKING:
    import pyarrow as pa

#: Most rejected rows listed one by one (every one is counted; reasons are always complete).
MAX_REJECT_ROWS = 100_000
REJECT_COLUMNS = ["locator", "column", "value", "reason"]

_MISSING_DAMAGE = "missing damage label: every structure needs a damage class"


@dataclass
class Partial:
    """Counts of one batch or partition, before labels are turned into canonical states."""

    counts: pd.DataFrame  # unit, damage_id, structure_id, day, count (ids: Labels.text)
    outside: int = 0
    rows_read: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    rejects: list[pd.DataFrame] = field(default_factory=list)
    max_day: int | None = None


# --- labels -------------------------------------------------------------------------------


class Labels:
    """Native labels → canonical states, classified once per distinct label (thread-safe)."""

    def __init__(self, scheme: str) -> None:
        self.scheme = scheme
        self._damage: dict[str, str | None] = {}
        self._structure: dict[str, str] = {}
        self.unknown_structures: set[str] = set()
        self._lock = threading.Lock()
        # every native label gets one integer id for the whole file: batch counts then hold
        # integers only (a few bytes per count, whatever the number of dates)
        self._ids: dict[str, int] = {}
        self.texts: list[str] = []

    def ids_of(self, texts: Sequence[str | None]) -> np.ndarray:
        """The file-wide ids of native labels (``None`` is the empty label)."""
        out = np.empty(len(texts), dtype=np.int32)
        for i, text in enumerate(texts):
            key = text or ""
            found = self._ids.get(key)
            if found is None:
                with self._lock:
                    found = self._ids.setdefault(key, len(self.texts))
                    if found == len(self.texts):
                        self.texts.append(key)
            out[i] = found
        return out

    def damage(self, label: str) -> str | None:
        """Canonical damage of a native label, ``None`` when unknown to the scheme."""
        found = self._damage.get(label, "")
        if found != "":
            return found

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
    tally: Tally | None = None,
) -> Partial:
    """Count one batch: decode points, place them in units, classify labels, bincount.

    Rows are numbered from ``first_row`` in reject locators. Used by both engines. With a
    ``tally``, the kept rows are added into it (when they fit) and the partial's count
    table stays empty; otherwise the partial holds the batch's own count table.
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
    if tally is not None and tally.add_rows(
        unit,
        labels.ids_of(dmg_values)[dmg_codes],
        labels.ids_of(st_values)[st_codes],
        None if day_codes is None else np.asarray(day_values, dtype=np.int64)[day_codes],
    ):
        return partial  # counted into the tally: no table for this batch
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
        dense = np.bincount(key, minlength=size)
        where = np.flatnonzero(dense)
        counts = dense[where]
    else:  # very many distinct labels or dates: sort instead of a dense table
        where, counts = np.unique(key, return_counts=True)
    where, t = np.divmod(where, nt)
    where, s = np.divmod(where, ns)
    u, d = np.divmod(where, nd)
    partial.counts = pd.DataFrame(
        {
            "unit": u.astype(np.int32),
            "damage_id": labels.ids_of(dmg_values)[d],
            "structure_id": labels.ids_of(st_values)[s],
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
            "unit": pd.Series(dtype=np.int32),
            "damage_id": pd.Series(dtype=np.int32),
            "structure_id": pd.Series(dtype=np.int32),
            "day": pd.Series(dtype=np.int64),
            "count": pd.Series(dtype=np.int64),
        }
    )


#: Batch counts are merged every this many batches, or as soon as they hold this many rows
#: (many assessment dates make a batch's count table long), so memory stays bounded.
_MERGE_EVERY = 32
_MERGE_ROWS = 300_000


def add_up(counts: pd.DataFrame) -> pd.DataFrame:
    """Counts with the same unit, labels and day added up, on one int64 key per row.

    numpy's sort-based ``unique`` on a composite key needs a few arrays of the table's
    length; a pandas group-by on four columns needs several times that (measured: the peak
    of a 365-date file fell by a fifth).
    """
    if counts.empty:
        return counts
    unit = counts["unit"].to_numpy(np.int64)
    dmg = counts["damage_id"].to_numpy(np.int64)
    st = counts["structure_id"].to_numpy(np.int64)
    day = counts["day"].to_numpy(np.int64)
    dated = day != _NAT
    first = int(day[dated].min()) if dated.any() else 0
    day_code = np.where(dated, day - first + 1, 0)
    nl = int(max(dmg.max(), st.max())) + 1
    nd = int(day_code.max()) + 1
    key = ((unit * nl + dmg) * nl + st) * nd + day_code
    uniq, inverse = np.unique(key, return_inverse=True)
    total = np.bincount(inverse, weights=counts["count"].to_numpy(np.float64))
    rest, code = np.divmod(uniq, nd)
    rest, s = np.divmod(rest, nl)
    u, d = np.divmod(rest, nl)
    return pd.DataFrame(
        {
            "unit": u.astype(np.int32),
            "damage_id": d.astype(np.int32),
            "structure_id": s.astype(np.int32),
            "day": np.where(code == 0, _NAT, code + first - 1).astype(np.int64),
            "count": total.astype(np.int64),
        }
    )


class Tally:
    """Batch counts added into one dense array over (unit, damage label, structure label, day).

    Batches of a file with many assessment dates each hold a long count table; adding them up
    by repeated merges (concatenate, sort, add) costs several copies of the whole table. A
    dense array indexed by the four integer codes costs one ``int64`` a cell and no sort: a
    file of 1e7 structures in 77 units with 365 dates needs about 40 MB, and each batch is
    added in place. When the cells would pass ``max_cells`` (dates spread over decades,
    thousands of labels) the tally refuses and the caller merges tables instead.
    Thread-safe: batches from several threads are added under one lock.
    """

    def __init__(self, units: int, *, max_cells: int = 1 << 24) -> None:
        self.units = units
        self.max_cells = max_cells
        # label ids are global (Labels.ids_of): the array spans ids 0..n-1 on each axis
        self.damage = 0
        self.structure = 0
        self.first_day: int | None = None
        self.days = 1  # day code 0: no date
        self.cells = np.zeros(0, dtype=np.int64)
        self._lock = threading.Lock()

    def add(self, counts: pd.DataFrame) -> bool:
        """Add one batch's count table; ``False`` (and nothing added) when it would not fit."""
        if counts.empty:
            return True
        return self._add(
            counts["unit"].to_numpy(np.int64),
            counts["damage_id"].to_numpy(np.int64),
            counts["structure_id"].to_numpy(np.int64),
            counts["day"].to_numpy(np.int64),
            counts["count"].to_numpy(np.int64),
        )

    def add_rows(
        self, unit: np.ndarray, damage: np.ndarray, structure: np.ndarray, day: np.ndarray | None
    ) -> bool:
        """Add one structure per row (global label ids, days or ``_NAT``); ``False`` if too big.

        Used by the batches themselves: no count table is built per batch, which with many
        dates is nearly as long as the batch (measured: a batch of 250,000 rows with 365 dates
        peaks at 36 MB through a table, 14 MB with 3 dates).
        """
        if not len(unit):
            return True
        days = np.full(len(unit), _NAT, dtype=np.int64) if day is None else day
        return self._add(unit, damage, structure, days, 1)

    def _add(
        self,
        unit: np.ndarray,
        damage: np.ndarray,
        structure: np.ndarray,
        day: np.ndarray,
        count: np.ndarray | int,
    ) -> bool:
        """Add ``count`` at each (unit, damage id, structure id, day), growing the array."""
        dated = day != _NAT
        with self._lock:
            if not self._fit(int(damage.max()) + 1, int(structure.max()) + 1, day[dated]):
                return False
            flat = unit.astype(np.int64)
            flat *= self.damage
            flat += damage
            flat *= self.structure
            flat += structure
            flat *= self.days
            flat += np.where(dated, day - (self.first_day or 0) + 1, 0)
            np.add.at(self.cells, flat, count)  # numpy >= 1.25: a few ms for 250,000 rows
        return True

    def _fit(self, damage: int, structure: int, days: np.ndarray) -> bool:
        """Grow the array to hold these label ids and ``days``; ``False`` past ``max_cells``."""
        first, last = self.first_day, (self.first_day or 0) + self.days - 2
        if days.size:
            lo, hi = int(days.min()), int(days.max())
            first, last = (lo, hi) if first is None else (min(first, lo), max(last, hi))
        shape = (
            self.units,
            max(self.damage, damage),
            max(self.structure, structure),
            1 if first is None else last - first + 2,
        )
        if shape == (self.units, self.damage, self.structure, self.days) and (
            first == self.first_day
        ):
            return True
        if int(np.prod(shape)) > self.max_cells:
            return False
        cells = np.zeros(int(np.prod(shape)), dtype=np.int64)
        if self.cells.size:
            old = self.cells.reshape(self.units, self.damage, self.structure, self.days)
            new = cells.reshape(shape)
            shift = 0 if self.first_day is None or first is None else self.first_day - first
            new[:, : self.damage, : self.structure, 0] = old[..., 0]
            new[:, : self.damage, : self.structure, 1 + shift : self.days + shift] = old[..., 1:]
        self.cells, self.first_day = cells, first
        _, self.damage, self.structure, self.days = shape
        return True

    def table(self) -> pd.DataFrame:
        """The non-zero cells as a count table (the columns of :class:`Partial`.counts)."""
        where = np.flatnonzero(self.cells)
        if not where.size:
            return _empty_counts()
        rest, code = np.divmod(where, self.days)
        rest, s = np.divmod(rest, self.structure)
        u, d = np.divmod(rest, self.damage)
        first = self.first_day or 0
        return pd.DataFrame(
            {
                "unit": u.astype(np.int32),
                "damage_id": d.astype(np.int32),
                "structure_id": s.astype(np.int32),
                "day": np.where(code == 0, _NAT, code + first - 1).astype(np.int64),
                "count": self.cells[where],
            }
        )


def should_merge(partials: Sequence[Partial]) -> bool:
    """Whether the batch counts held so far should be added up into one."""
    return len(partials) >= _MERGE_EVERY or sum(len(p.counts) for p in partials) > _MERGE_ROWS


def merge(partials: Sequence[Partial]) -> Partial:
    """Several batch counts as one (counts added, rejects kept up to the listing limit)."""
    frames = [p.counts for p in partials if not p.counts.empty]
    counts = add_up(pd.concat(frames, ignore_index=True)) if frames else _empty_counts()
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
