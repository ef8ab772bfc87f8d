"""The tables that pass between stages (DESIGN §2), their schemas and ``validate()``.

``figures`` is the common currency: one row per reported count. ``sources`` says where each
figure came from, ``structures`` holds per-structure products before they are counted, and
``units`` is the gazetteer. Each table has a pandera schema; :func:`validate` reports every
failure at once as a ``row, column, value, reason`` table.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ._errors import UnknownLabelError, UsageError, ValidationError
from .vocab import (
    COUNT_UNITS,
    DAMAGE_STATES,
    LEVELS,
    MATCH_KINDS,
    METHODS,
    QUALIFIERS,
    STATUSES,
    STRUCTURE_TYPES,
)

#: Column order and kind of every table. Kinds: str, int, bool, date, cat:<vocab>, float, geom.
COLUMNS: dict[str, dict[str, str]] = {
    "sources": {
        "source_id": "str",
        "title": "str",
        "publisher": "str",
        "url": "str",
        "published": "date",
        "retrieved": "date",
        "method": "cat:method",
        "cites": "str",
        "licence": "str",
        "sha256": "str",
        "kind": "str",
        "notes": "str",
    },
    "figures": {
        "figure_id": "str",
        "source_id": "str",
        "locator": "str",
        "evidence": "str",
        "place_text": "str",
        "parent_text": "str",
        "unit_code": "str",
        "unit_name": "str",
        "level": "cat:level",
        "settlement": "str",
        "match": "cat:match",
        "damage": "cat:damage",
        "damage_text": "str",
        "structure": "cat:structure",
        "structure_text": "str",
        "count_unit": "cat:count_unit",
        "count": "int",
        "count_min": "int",
        "count_max": "int",
        "qualifier": "cat:qualifier",
        "subset_of": "str",
        "same_as": "str",
        "cumulative": "bool",
        "as_of": "date",
        "status": "cat:status",
        "flags": "str",
    },
    "structures": {
        "source_id": "str",
        "structure_id": "str",
        "damage": "cat:damage",
        "damage_text": "str",
        "structure": "cat:structure",
        "structure_text": "str",
        "assessed_on": "date",
        "round": "int",
        "admin_label": "str",
        "geometry": "geom",
    },
    "units": {
        "unit_code": "str",
        "name": "str",
        "level": "cat:level",
        "parent_code": "str",
        "country": "str",
        "geometry": "geom",
    },
}

VOCABS: dict[str, tuple[str, ...]] = {
    "method": METHODS,
    "level": LEVELS,
    "match": MATCH_KINDS,
    "damage": DAMAGE_STATES,
    "structure": STRUCTURE_TYPES,
    "count_unit": COUNT_UNITS,
    "qualifier": QUALIFIERS,
    "status": STATUSES,
}

#: Defaults filled in by :func:`make_figures` when a record leaves a column out.
FIGURE_DEFAULTS: dict[str, Any] = {
    "match": "unresolved",
    "structure": "any",
    "count_unit": "buildings",
    "qualifier": "exact",
    "status": "accepted",
    "flags": "",
}

FLAG_SEP = ";"


#: The categorical dtype of each vocabulary, built once (building one validates it).
_CATEGORY_DTYPES: dict[str, pd.CategoricalDtype] = {
    name: pd.CategoricalDtype(list(values)) for name, values in VOCABS.items()
}


def _coerce(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Return ``frame`` with the table's columns in order and their dtypes set."""
    schema = COLUMNS[table]
    converted: dict[str, pd.Series] = {}
    for column, kind in schema.items():
        if kind == "geom":
            if column in frame.columns:
                converted[column] = frame[column]  # kept as it is; dropped when absent
            continue
        col = (
            frame[column]
            if column in frame.columns
            else pd.Series(pd.NA, index=frame.index, dtype=object)
        )
        converted[column] = _coerce_column(col, kind, f"{table}.{column}")
    extra = [c for c in frame.columns if c not in schema]
    if type(frame) is pd.DataFrame:
        # one frame built from the columns: setting them one by one on a copy cost most of
        # the time of a small table (the text reader makes one per passage)
        data = {c: s.array for c, s in converted.items()}
        data.update({c: frame[c].array for c in extra})
        result = pd.DataFrame(data, index=frame.index, copy=True)
        # what frame.copy() carries over besides the data
        result.attrs = copy.deepcopy(frame.attrs)
        flags_in: Any = frame.flags  # (pandas-stubs do not declare DataFrame.flags)
        flags_out: Any = result.flags
        flags_out.allows_duplicate_labels = flags_in.allows_duplicate_labels
        return result
    out = frame.copy()  # a subclass (GeoDataFrame) keeps its class
    for column, values in converted.items():
        out[column] = values
    return out[[*converted, *extra]]


def _coerce_column(col: pd.Series, kind: str, name: str) -> pd.Series:
    """One column as the dtype of its kind (``name`` is ``table.column``, for messages)."""
    if kind == "str":
        return col.astype("string")
    if kind == "int":
        try:
            return col.astype("Int64")
        except (TypeError, ValueError):
            return pd.to_numeric(col, errors="coerce").astype("Int64")
    if kind == "bool":
        return col.astype("boolean")
    if kind == "date":
        return pd.to_datetime(col, errors="coerce", format="mixed")
    if kind.startswith("cat:"):
        dtype = _CATEGORY_DTYPES[kind[4:]]
        if col.dtype != dtype:
            uniques = col.unique()
            missing = pd.isna(uniques)
            known = set(dtype.categories)
            bad = sorted({str(v) for v, na in zip(uniques, missing, strict=True) if not na} - known)
            if bad:
                categories = list(dtype.categories)
                raise UnknownLabelError(
                    f"{name}: unknown value(s) {', '.join(map(repr, bad))}; "
                    f"known values: {', '.join(categories)}",
                    label=bad[0],
                    known=categories,
                )
        return col.astype(dtype)
    return col


def empty(table: str) -> pd.DataFrame:
    """An empty table of the given kind with its columns and dtypes."""
    if table not in COLUMNS:
        raise UsageError(f"unknown table {table!r}; known tables: {', '.join(COLUMNS)}")
    cols = [c for c in COLUMNS[table] if COLUMNS[table][c] != "geom"]
    return _coerce(pd.DataFrame(columns=cols), table)


def make_figures(records: Iterable[Mapping[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    """Build a ``figures`` table from records, filling defaults and setting dtypes.

    ``count_min`` and ``count_max`` default to ``count``; ``figure_id`` defaults to a stable
    id made from the source and locator.

    >>> f = make_figures([{"source_id": "s1", "unit_code": "AZ-CAB", "damage": "damaged",
    ...                    "count": 47}])
    >>> int(f.loc[0, "count_max"])
    47
    """
    frame = records.copy() if isinstance(records, pd.DataFrame) else pd.DataFrame(list(records))
    for column, default in FIGURE_DEFAULTS.items():
        if column not in frame.columns:
            frame[column] = default
        else:
            missing = frame[column].isna()
            if missing.any():  # most records state every column: skip the copy
                frame[column] = frame[column].where(~missing, default)
    if "count" not in frame.columns:
        frame["count"] = pd.NA
    for bound in ("count_min", "count_max"):
        if bound not in frame.columns:
            frame[bound] = frame["count"]
        else:
            missing = frame[bound].isna()
            if missing.any():
                frame[bound] = frame[bound].where(~missing, frame["count"])
    # "more than 500", "at least 500": no upper bound (DESIGN §4 rule 8), printed "500+"
    open_ended = frame["qualifier"].isin(["more_than", "at_least"]).to_numpy()
    if open_ended.any():
        same = pd.to_numeric(frame["count_max"], errors="coerce") <= pd.to_numeric(
            frame["count"], errors="coerce"
        )
        frame["count_max"] = frame["count_max"].astype(object)
        frame.loc[open_ended & same.fillna(True).to_numpy(), "count_max"] = pd.NA
    if "figure_id" not in frame.columns or frame["figure_id"].isna().any():
        ids = [
            figure_id(str(r.get("source_id", "")), str(r.get("locator", "")), i)
            for i, r in enumerate(frame.to_dict("records"))
        ]
        if "figure_id" in frame.columns:
            frame["figure_id"] = frame["figure_id"].where(frame["figure_id"].notna(), ids)
        else:
            frame["figure_id"] = ids
    return _coerce(frame, "figures")


def make_table(table: str, records: Iterable[Mapping[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    """Build any table from records (columns left out become missing), with dtypes set."""
    if table == "figures":
        return make_figures(records)
    frame = records.copy() if isinstance(records, pd.DataFrame) else pd.DataFrame(list(records))
    return _coerce(frame, table)


def figure_id(source_id: str, locator: str, index: int) -> str:
    """A stable figure id from the source, its locator and its position."""
    digest = hashlib.sha256(f"{source_id}|{locator}|{index}".encode()).hexdigest()
    return f"f{digest[:12]}"


def flags_of(value: object) -> list[str]:
    """The list of flag codes stored in a ``flags`` cell (``"a;b"`` → ``["a", "b"]``)."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return []
    return [f for f in str(value).split(FLAG_SEP) if f]


def join_flags(flags: Iterable[str]) -> str:
    """Store flag codes in one cell, de-duplicated, in first-seen order."""
    return FLAG_SEP.join(dict.fromkeys(f for f in flags if f))


@dataclass
class Collected:
    """Everything the inputs gave: figures, sources, rejects, match log, reader reports.

    Attributes
    ----------
    figures, sources
        The ``figures`` and ``sources`` tables (DESIGN §2), each figure and source once.
    rejects
        ``path, locator, column, value, reason`` of every input row not kept.
    match_log
        Figures whose place did not match exactly or by code, for review.
    reports
        One reader report per input (rows read, kept, rejected, columns used…).
    example
        True when this is the bundled example (no input given).
    duplicates
        How many figures arrived more than once (the same source by two paths) and were
        kept once.
    """

    figures: pd.DataFrame
    sources: pd.DataFrame
    rejects: pd.DataFrame
    match_log: pd.DataFrame
    reports: list[dict[str, Any]] = field(default_factory=list)
    example: bool = False
    duplicates: int = 0
    #: The user's own units (``--units``), when given.
    units: Any = None


# --- validation ---------------------------------------------------------------------------


def _schema(table: str) -> Any:
    import pandera.pandas as pa  # lazy: pandera is slow to import

    columns: dict[str, Any] = {}
    for column, kind in COLUMNS[table].items():
        if kind == "geom":
            continue
        nullable = column not in _REQUIRED.get(table, ())
        checks: list[Any] = []
        if kind.startswith("cat:"):
            checks.append(
                pa.Check.isin(list(VOCABS[kind[4:]]), error=f"not in the {kind[4:]} vocabulary")
            )
        if table == "figures" and column in ("count", "count_min", "count_max"):
            checks.append(pa.Check.ge(0, error="count below zero"))
        columns[column] = pa.Column(nullable=nullable, checks=checks, required=True)
    unique = (
        ["figure_id"] if table == "figures" else (["source_id"] if table == "sources" else None)
    )
    return pa.DataFrameSchema(columns, unique=unique, strict=False, coerce=False)


_REQUIRED: dict[str, tuple[str, ...]] = {
    "sources": ("source_id",),
    "figures": (
        "figure_id",
        "source_id",
        "damage",
        "structure",
        "count_unit",
        "qualifier",
        "status",
    ),
    "structures": ("source_id", "damage"),
    "units": ("unit_code", "name", "level"),
}


def failure_table(table: pd.DataFrame, name: str) -> pd.DataFrame:
    """Every failure of ``table`` against its schema: ``row, column, value, reason``."""
    import pandera.errors as pe

    rows: list[dict[str, Any]] = []
    missing = [c for c in COLUMNS[name] if c not in table.columns and COLUMNS[name][c] != "geom"]
    for column in missing:
        rows.append({"row": None, "column": column, "value": None, "reason": "column missing"})
    if missing:
        return pd.DataFrame(rows, columns=["row", "column", "value", "reason"])
    try:
        _schema(name).validate(table, lazy=True)
    except pe.SchemaErrors as err:
        for case in err.failure_cases.to_dict("records"):
            check = str(case.get("check"))
            reason = "missing value" if "not_nullable" in check else check
            if "field_uniqueness" in check or "unique" in check:
                reason = "duplicate id"
            rows.append(
                {
                    "row": case.get("index"),
                    "column": case.get("column"),
                    "value": case.get("failure_case"),
                    "reason": reason,
                }
            )
    if name == "figures":
        rows.extend(_figure_logic_failures(table))
    return pd.DataFrame(rows, columns=["row", "column", "value", "reason"])


def _figure_logic_failures(figures: pd.DataFrame) -> list[dict[str, Any]]:
    """Checks across columns and rows that a column schema cannot express (vectorised)."""
    out: list[dict[str, Any]] = []
    n = pd.to_numeric(figures["count"], errors="coerce")
    lo = pd.to_numeric(figures["count_min"], errors="coerce")
    hi = pd.to_numeric(figures["count_max"], errors="coerce")

    def add(mask: pd.Series, column: str, values: pd.Series, reason: Any) -> None:
        mask = mask.fillna(False).astype(bool)
        for idx in figures.index[mask.to_numpy()]:
            out.append({"row": idx, "column": column, "value": values[idx], "reason": reason(idx)})

    add(lo > hi, "count_min", lo, lambda i: f"count_min above count_max ({hi[i]})")
    add(n < lo, "count", n, lambda i: f"count below count_min ({lo[i]})")
    add(n > hi, "count", n, lambda i: f"count above count_max ({hi[i]})")
    ids = figures["figure_id"]
    for link in ("subset_of", "same_as"):
        target = figures[link].astype("string")
        dangling = target.notna() & target.ne("") & ~target.isin(ids.dropna())
        add(dangling, link, figures[link], lambda _i: "refers to no figure_id in the table")
    parent_count = figures["subset_of"].map(
        pd.Series(n.to_numpy(), index=ids.to_numpy()).groupby(level=0).first()
    )
    parent_count = pd.to_numeric(parent_count, errors="coerce")
    add(
        n > parent_count,
        "count",
        n,
        lambda i: (
            f"subset larger than its parent {figures['subset_of'][i]} ({int(parent_count[i])})"
        ),
    )
    return out


def validate(
    table: pd.DataFrame, name: str = "figures", *, raise_on_error: bool = True
) -> pd.DataFrame:
    """Check a table against its contract, reporting every failure at once.

    Parameters
    ----------
    table
        The table to check.
    name
        ``figures``, ``sources``, ``structures`` or ``units``.
    raise_on_error
        Raise :class:`ValidationError` (with ``failure_cases``) when anything fails;
        otherwise return the failure table.

    Returns
    -------
    pandas.DataFrame
        ``row, column, value, reason``; empty when the table is valid.

    Examples
    --------
    >>> from damage_data.tables import make_figures, validate
    >>> validate(make_figures([{"source_id": "s", "damage": "destroyed", "count": 3}])).empty
    True
    """
    if name not in COLUMNS:
        raise UsageError(f"unknown table {name!r}; known tables: {', '.join(COLUMNS)}")
    failures = failure_table(table, name)
    if raise_on_error and not failures.empty:
        lines = [
            f"  row {r.row}, column {r.column}, value {r.value!r}: {r.reason}"
            for r in failures.head(20).itertuples()
        ]
        more = f"\n  … and {len(failures) - 20} more" if len(failures) > 20 else ""
        raise ValidationError(
            f"{name} table failed validation ({len(failures)} problems):\n"
            + "\n".join(lines)
            + more,
            failure_cases=failures,
        )
    return failures
