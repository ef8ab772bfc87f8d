"""What a reader returns (:class:`LoadResult`) and the pieces readers share to build it.

A reader fills a :class:`Collector` (rows read, rejects with reasons, warnings) and turns it
into a :class:`LoadResult` whose report always satisfies rows read = kept + rejected.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._errors import UnknownLabelError
from ..tables import make_table
from ..vocab import (
    DAMAGE_GROUPS,
    DAMAGE_STRENGTH,
    classify_damage,
    damage_schemes,
    is_known_damage_label,
    known_damage_labels,
)

if TYPE_CHECKING:
    import geopandas as gpd

log = logging.getLogger("damage_data.readers")

REJECT_COLUMNS = ["locator", "column", "value", "reason"]

#: Method of the source, guessed from the reader (DESIGN §2 ``sources.method``).
METHOD_BY_KIND: dict[str, str] = {
    "unosat": "satellite",
    "copernicus": "satellite",
    "xbd": "satellite",
    "gis": "compilation",
    "table": "compilation",
    "hxl": "compilation",
    "codab": "compilation",
    "text": "press",
    "series": "compilation",
}

#: Placeholder values of real products meaning "not stated" (Copernicus EMS, UNOSAT).
SENTINELS = ("not applicable", "unknown", "null", "unk", "n/a", "na", "none", "")

#: Damage states that mean "seen damaged" (for a site's first-damaged date).
SEEN_DAMAGED = frozenset(
    DAMAGE_GROUPS["damaged"] + DAMAGE_GROUPS["destroyed"] + DAMAGE_GROUPS["unsplit"]
)


@dataclass
class Collector:
    """Mutable bookkeeping of one read: rows read, rejects, warnings, extra report fields."""

    path: Path
    rows_read: int = 0
    rejects: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def reject(self, locator: str, column: str | None, value: object, reason: str) -> None:
        self.rejects.append(
            {
                "locator": locator,
                "column": column,
                "value": None if value is None else str(value),
                "reason": reason,
            }
        )

    def reject_many(
        self, locators: Iterable[str], column: str | None, values: Iterable[object], reason: str
    ) -> None:
        for loc, val in zip(locators, values, strict=True):
            self.reject(loc, column, val, reason)

    def warn(self, message: str) -> None:
        log.warning("%s: %s", self.path, message)
        self.warnings.append(message)

    def rejects_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.rejects, columns=REJECT_COLUMNS)
        return frame.astype({c: "string" for c in REJECT_COLUMNS})

    @property
    def rows_rejected(self) -> int:
        return len({r["locator"] for r in self.rejects})


@dataclass(frozen=True)
class LoadResult:
    """What :func:`damage_data.readers.load` returns for one input.

    Attributes
    ----------
    path, kind
        The input and the reader used (detected or given).
    structures
        One row per structure (and per assessment round for UNOSAT), or ``None``.
    figures
        One row per reported count, or ``None``.
    sources
        One row describing the file (``source_id`` derived from its SHA-256).
    rejects
        ``locator, column, value, reason`` for every row not kept.
    report
        ``path, kind, detected_by, rows_read, rows_kept, rows_rejected, reasons,
        damage_counts, structure_counts, crs, layer, warnings`` and reader extras.
    units
        An admin-units table (COD-AB reader only), else ``None``.
    """

    path: str
    kind: str
    structures: gpd.GeoDataFrame | None
    figures: pd.DataFrame | None
    sources: pd.DataFrame
    rejects: pd.DataFrame
    report: dict[str, Any]
    units: pd.DataFrame | None = None
    strongest: bool = False
    #: ``(structures, current_view(structures))`` as ``load`` computed it (for its counts),
    #: kept so that counting does not check a million ids for repeats again (0.15 s); used
    #: only while ``structures`` is still that very table (not after ``replace``)
    current: tuple[Any, Any] | None = field(default=None, repr=False, compare=False)

    @property
    def source_id(self) -> str:
        return str(self.sources["source_id"].iloc[0])

    def current_structures(self) -> gpd.GeoDataFrame | None:
        """One row per structure: the latest round (strongest class with ``strongest=True``)."""
        if self.structures is None:
            return None
        if self.current is not None and self.current[0] is self.structures:
            return self.current[1]
        return current_view(self.structures, strongest=self.strongest)


def current_view(structures: gpd.GeoDataFrame, *, strongest: bool = False) -> gpd.GeoDataFrame:
    """Each structure once (DESIGN §4 rule 4): its latest round or assessment (or its
    strongest class), whatever number of times the input lists it."""
    if structures.empty or "structure_id" not in structures.columns:
        return structures
    ids = structures["structure_id"]
    if ids.is_unique:
        return structures
    ranked = structures.assign(
        _rank=_damage_rank(structures["damage"]),
        _round=structures["round"].fillna(0).astype("int64")
        if "round" in structures.columns
        else 0,
        _date=pd.to_datetime(structures["assessed_on"], errors="coerce")
        .astype("datetime64[ns]")
        .fillna(pd.Timestamp("1800-01-01"))
        if "assessed_on" in structures.columns
        else pd.Timestamp("1800-01-01"),
    )
    keys = ["_rank", "_round", "_date"] if strongest else ["_round", "_date"]
    ordered = ranked.sort_values(["structure_id", *keys], kind="stable")
    last = ordered.drop_duplicates("structure_id", keep="last")
    return last.drop(columns=["_rank", "_round", "_date"]).sort_index()


def _damage_rank(damage: pd.Series) -> np.ndarray:
    """Strength of each class for keeping the strongest (``damage.csv``'s ``strength``)."""
    return damage.astype(object).map(DAMAGE_STRENGTH).fillna(-3).to_numpy(dtype=float)


# --- damage classification shared by readers ---------------------------------------------

#: Scheme preference when a column's vocabulary is not stated.
SCHEME_ORDER = (
    "canonical",
    "copernicus_ems",
    "copernicus_ems_legacy",
    "unosat",
    "xbd",
    "ems98",
    "fema",
    "pdna",
    "press",
    "survey",
    "dins",
)


def names_a_state(values: Iterable[object], scheme: str) -> bool:
    """Whether any of the labels names a damage state other than unassessed (a "Status" of
    "Unknown" in every row names none)."""
    known = [v for v in dict.fromkeys(values) if is_known_damage_label(v, scheme)][:300]
    if not known:
        return False
    states = classify_damage(known, scheme).astype(object).dropna()
    return bool((states != "unassessed").any())


def pick_scheme(values: Iterable[object]) -> tuple[str, int]:
    """The crosswalk that knows most of ``values`` (ties go to the earlier in SCHEME_ORDER)."""
    distinct = [v for v in dict.fromkeys(values) if _present(v)]
    best, best_n = "canonical", -1
    schemes = [s for s in SCHEME_ORDER if s in damage_schemes()]
    for scheme in schemes:
        n = sum(is_known_damage_label(v, scheme) for v in distinct)
        if n > best_n:
            best, best_n = scheme, n
    return best, best_n


#: The highest UNOSAT damage-site code (data/vocab/crosswalks/unosat.csv).
_UNOSAT_TOP = 13


def bare_codes_problem(values: Iterable[object], scheme: str) -> str | None:
    """Why a damage column of bare numbers cannot be read with ``scheme`` picked from its
    values alone, or ``None`` when its labels (or its numbers) settle the scale.

    The same number names opposite states on different scales: UNOSAT reads 1 as destroyed
    and 6 as no visible damage, EMS-98 reads 1 as slight and 5 as destruction, and 0-based
    recodes (xBD's 0-3, a ministry's 0-4, UNOSAT Raqqa recoded 0-3) read their highest code
    as destroyed. So numbers pick UNOSAT only with a code EMS-98 lacks (6-13, no 0), and
    EMS-98 only with its grade 5 and no code above; anything else is a guess, and a guess
    printed 12,776 damaged and 0 destroyed for Raqqa (UNOSAT: 3,326 destroyed).

    >>> bare_codes_problem(["1", "2", "3", "6"], "unosat") is None
    True
    >>> bare_codes_problem(["Destroyed", "1"], "unosat") is None
    True
    >>> "only numbers" in bare_codes_problem(["0", "1", "2", "3"], "ems98")
    True
    """
    numbers: set[int] = set()
    for value in dict.fromkeys(values):
        if not _present(value):
            continue
        try:
            number = float(str(value).strip())
        except ValueError:
            return None  # words among the labels say which scale they are
        if not number.is_integer():
            return None
        numbers.add(int(number))
    if not numbers or not any(is_known_damage_label(str(n), scheme) for n in numbers):
        return None  # no scale knows them: each row is rejected as an unknown label
    top = max(numbers)
    if scheme == "unosat" and 0 not in numbers and 6 <= top <= _UNOSAT_TOP:
        return None
    if scheme == "ems98" and 5 in numbers and top <= 5:
        return None
    shown = ", ".join(str(n) for n in sorted(numbers)[:12]) + (" …" if len(numbers) > 12 else "")
    return (
        f"its damage labels are only numbers ({shown}), and a number names different states "
        "on different scales (UNOSAT: 1 destroyed … 6 no visible damage; EMS-98: 1 slight … "
        "5 destruction; 0-based surveys: the highest code destroyed). Give the scale with "
        "--damage-scheme unosat|ems98|… (scheme= in Python), or write the classes as words "
        "(destroyed, severe, moderate, possible, none)"
    )


def _present(value: object) -> bool:
    if value is None or value is pd.NA:
        return False
    if isinstance(value, float) and np.isnan(value):
        return False
    return str(value).strip() != ""


def classify_column(
    values: pd.Series, scheme: str, *, missing: str | None = None
) -> tuple[pd.Series, pd.Series, str]:
    """Classify a column through one crosswalk, value by distinct value.

    Returns the canonical damage (missing where unknown), a boolean mask of unknown labels,
    and the reason to give for them (naming the known labels).
    """
    # classify each distinct label once and map through the categorical codes: fast on
    # millions of rows that share a handful of labels
    as_cat = values if isinstance(values.dtype, pd.CategoricalDtype) else values.astype("category")
    states = list(classify_damage([]).cat.categories)
    lut = np.full(len(as_cat.cat.categories) + 1, -1, dtype=np.int64)  # last slot: missing
    if missing is not None:
        lut[-1] = states.index(missing)
    unknown = np.zeros(len(lut), dtype=bool)
    for i, cat in enumerate(as_cat.cat.categories):
        if not _present(cat):
            lut[i] = lut[-1]
            continue
        try:
            state = classify_damage([cat], scheme=scheme, missing=missing).iloc[0]
        except UnknownLabelError:
            unknown[i] = True
            continue
        lut[i] = -1 if pd.isna(state) else states.index(state)
    codes = as_cat.cat.codes.to_numpy()
    damage = pd.Series(
        pd.Categorical.from_codes(lut[codes], categories=pd.Index(states)),
        index=values.index,
        name="damage",
    )
    bad = pd.Series(unknown[codes], index=values.index)
    known = ", ".join(known_damage_labels(scheme)) if scheme != "auto" else "see crosswalks"
    reason = f"unknown damage label for scheme {scheme}; known labels: {known}"
    return damage, bad.astype(bool), reason


def counts_of(series: pd.Series, weights: pd.Series | None = None) -> dict[str, int]:
    """Label → number (or summed weight), largest first, for the report."""
    if series is None or len(series) == 0:
        return {}
    if weights is None:
        counted = series.astype(object).value_counts(dropna=True)
    else:
        counted = (
            pd.Series(np.asarray(weights, dtype="float64"), index=series.index)
            .groupby(series.astype(object), dropna=True)
            .sum()
        )
        counted = counted.sort_values(ascending=False)
    return {str(k): int(v) for k, v in counted.items() if v}


def latest_of_series(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures to add up for a report: a series gives only its latest figures (rule R3).

    As in the counting model, figures of one source, place, state, type and count unit at
    different dates are a running total unless they are marked single events
    (``cumulative`` false: the rows of an event log): adding them would count the same
    structures again ("30 destroyed on 1 Nov, 20 on 20 Nov" is 20, not 50). Figures at
    the latest date of their series are all kept (different rows of that date).
    """
    running = (
        ~(figures["cumulative"] == False).fillna(False).astype(bool)  # noqa: E712
        if "cumulative" in figures.columns
        else pd.Series(True, index=figures.index)
    )
    if not running.any() or "as_of" not in figures.columns:
        return figures
    series = figures[running]
    keys = [
        c
        for c in (
            "source_id",
            "place_text",
            "parent_text",
            "settlement",
            "unit_code",
            "damage",
            "structure",
            "count_unit",
        )
        if c in series.columns
    ]
    when = (
        pd.to_datetime(series["as_of"], errors="coerce")
        .astype("datetime64[ns]")
        .fillna(pd.Timestamp("1800-01-01"))
    )
    frame = series[keys].astype("string").fillna("").assign(_t=when)
    latest = frame.groupby(keys, observed=True, sort=False)["_t"].transform("max")
    return pd.concat([figures[~running], series[(when == latest).to_numpy()]])


def build_report(
    col: Collector,
    *,
    kind: str,
    detected_by: str,
    rows_kept: int,
    damage_counts: dict[str, int],
    structure_counts: dict[str, int],
    crs: str | None,
    layer: str | None,
) -> dict[str, Any]:
    rejected = col.rows_rejected
    if col.rows_read != rows_kept + rejected:
        # a reader bug, not a data problem: say so loudly rather than report wrong numbers
        raise AssertionError(
            f"{col.path}: rows read {col.rows_read} != kept {rows_kept} + rejected {rejected}"
        )
    reasons = Counter(r["reason"] for r in col.rejects)
    report: dict[str, Any] = {
        "path": str(col.path),
        "kind": kind,
        "detected_by": detected_by,
        "rows_read": col.rows_read,
        "rows_kept": rows_kept,
        "rows_rejected": rejected,
        "reasons": dict(reasons.most_common()),
        "damage_counts": damage_counts,
        "structure_counts": structure_counts,
        "crs": crs,
        "layer": layer,
        "warnings": list(col.warnings),
    }
    report.update(col.extra)
    return report


def sources_row(
    path: Path,
    *,
    sha256: str,
    kind: str,
    title: str | None = None,
    method: str | None = None,
    notes: str | None = None,
) -> pd.DataFrame:
    """The one-row ``sources`` table of a file; the id is derived from its content hash."""
    return make_table(
        "sources",
        [
            {
                "source_id": f"sha256:{sha256[:16]}",
                "title": title or path.name,
                "method": method or METHOD_BY_KIND.get(kind, "compilation"),
                "sha256": sha256,
                "kind": kind,
                "notes": notes,
            }
        ],
    )


def as_strings(values: Any) -> Any:
    """A string array; categorical input is converted through its categories (fast)."""
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if isinstance(series.dtype, pd.CategoricalDtype):
        cats = pd.array([str(c) for c in series.cat.categories], dtype="string")
        return cats.take(series.cat.codes.to_numpy(), allow_fill=True)
    return series.astype("string").array


def make_structures(frame: pd.DataFrame, geometry: Any, crs: Any) -> gpd.GeoDataFrame:
    """A ``structures`` GeoDataFrame with the contract's columns and dtypes."""
    import geopandas as gpd

    frame = frame.copy()
    for column in ("source_id", "structure_id", "damage_text", "structure_text", "admin_label"):
        # pre-convert: the contract's coercion of millions of categorical labels is slow
        if column in frame.columns and isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = as_strings(frame[column])
    table = make_table("structures", frame)
    return gpd.GeoDataFrame(table, geometry=geometry, crs=crs)


def empty_structures(crs: Any = "EPSG:4326") -> gpd.GeoDataFrame:
    import geopandas as gpd

    return make_structures(pd.DataFrame(), gpd.GeoSeries([], crs=crs).values, crs)


def constant_category(value: str, n: int) -> Any:
    """A categorical column holding one value n times (cheap on millions of rows)."""
    return pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=pd.Index([value]))


def locators(prefix: str, index: Sequence[int] | np.ndarray | pd.Index) -> list[str]:
    return [f"{prefix} {i}" for i in index]


def without_typed_parts(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures to add up for a report, without the typed figures an untyped total of the same
    place, date, state and count unit already holds ("Warehouse 2, Railway 1, Total 3" in a
    long table), as the counting model does (DESIGN §4 rule 1). Structures counted one by
    one (flag ``per_structure``) are disjoint and all kept.

    >>> f = pd.DataFrame({"place_text": ["A"] * 3, "damage": ["damaged"] * 3,
    ...                   "structure": ["industrial", "other", "any"], "count": [2, 1, 3]})
    >>> int(without_typed_parts(f)["count"].sum())
    3
    """
    if figures.empty or "structure" not in figures.columns:
        return figures
    keys = [
        c
        for c in ("source_id", "place_text", "parent_text", "settlement", "as_of", "damage")
        if c in figures.columns
    ] + [c for c in ("count_unit",) if c in figures.columns]
    flags = figures["flags"] if "flags" in figures.columns else pd.Series("", index=figures.index)
    untyped = (figures["structure"].astype(str) == "any").to_numpy()
    single = flags.fillna("").astype(str).str.contains("per_structure").to_numpy()
    key = pd.MultiIndex.from_frame(figures[keys].astype(str))
    has_total = key.isin(key[untyped & ~single])
    return figures[~(has_total & ~untyped & ~single)]
