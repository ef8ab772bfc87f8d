"""The toolkit's own tables read back: a report folder's ``figures.csv`` and ``sources.csv``.

A figures table (columns ``figure_id, source_id, damage, count…``, DESIGN §2) is read as it
is: its units, breakdowns (``subset_of``, ``same_as``), statuses and flags are the decisions
already made, so ``summary DIR/figures.csv DIR/sources.csv`` gives the report's own summary.
Rows that break the contract (an unknown state, a negative count) are rejected with the
reason. A ``sources.csv`` beside a figures table is read with it.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd

from .._errors import InputError
from ..tables import COLUMNS, VOCABS, failure_table, make_figures, make_table
from ._context import Context, Parts
from ._files import decode_text

#: Columns that tell the toolkit's own tables from any other table.
FIGURE_MARKERS = ("figure_id", "source_id", "damage", "count", "count_unit", "qualifier")
SOURCE_MARKERS = ("source_id", "title", "method", "published")


def own_kind(header: list[str]) -> str | None:
    """``figures`` or ``sources`` when a header is one of the toolkit's own tables."""
    names = set(header)
    if all(c in names for c in FIGURE_MARKERS):
        return "figures"
    if all(c in names for c in SOURCE_MARKERS) and "count" not in names:
        return "sources"
    return None


def _frame(ctx: Context) -> pd.DataFrame:
    text, _ = decode_text(ctx.target.read_bytes(), ctx.path, ctx.encoding)
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except Exception as err:  # pandas' parser errors
        raise InputError(f"{ctx.path}: not a readable table ({err}).", path=str(ctx.path)) from err


def read_figures(ctx: Context) -> Parts:
    """A figures table, kept as it is; rows breaking the contract are rejected."""
    frame = _frame(ctx).replace("", pd.NA)
    col = ctx.collector
    col.rows_read += len(frame)
    known = [c for c in COLUMNS["figures"] if c in frame.columns]
    bad: dict[int, tuple[str, str, str]] = {}
    for column in ("count", "count_min", "count_max"):
        if column in frame.columns:
            numbers = pd.to_numeric(frame[column], errors="coerce")
            for i in frame.index[
                (frame[column].notna() & (numbers.isna() | (numbers < 0))).to_numpy()
            ]:
                bad.setdefault(
                    int(i), (column, str(frame.at[i, column]), "not a whole non-negative count")
                )
    for column, kind in COLUMNS["figures"].items():
        if kind.startswith("cat:") and column in frame.columns:
            allowed = set(VOCABS[kind[4:]])
            for i in frame.index[(frame[column].notna() & ~frame[column].isin(allowed)).to_numpy()]:
                bad.setdefault(
                    int(i),
                    (
                        column,
                        str(frame.at[i, column]),
                        f"not in the {kind[4:]} vocabulary: {', '.join(sorted(allowed))}",
                    ),
                )
    for i, (column, value, why) in bad.items():
        col.reject(f"row {i + 2}", column, value, why)
    kept = frame.drop(index=list(bad))
    if "cumulative" in kept.columns:
        truth = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
        kept = kept.assign(
            cumulative=kept["cumulative"].map(lambda v: truth.get(str(v).strip().lower(), pd.NA))
        )
    figures = make_figures(kept[known + [c for c in kept.columns if c not in known]])
    failures = failure_table(figures, "figures")
    for row in failures.itertuples():
        col.warn(f"row {row.row}: column {row.column}, value {row.value!r}: {row.reason}")
    sources = None
    sibling = ctx.path.parent / "sources.csv" if ctx.path.name != "sources.csv" else None
    if sibling is not None and sibling.is_file():
        sources = read_sources_file(sibling)
        col.extra["sources_file"] = str(sibling)
    return Parts(
        rows_kept=len(kept),
        figures=figures,
        extra={"own_table": "figures"},
        sources=[] if sources is None else _records(sources),
    )


def read_sources_file(path: Path) -> pd.DataFrame:
    """A ``sources.csv`` of the toolkit's own format, as a ``sources`` table."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).replace("", pd.NA)
    known = [c for c in COLUMNS["sources"] if c in frame.columns]
    return make_table("sources", frame[known])


def read_sources(ctx: Context) -> Parts:
    """A sources table on its own: no figures, its rows describe sources."""
    table = read_sources_file(ctx.target)
    ctx.collector.rows_read += len(table)
    return Parts(rows_kept=len(table), extra={"own_table": "sources"}, sources=_records(table))


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in r.items()} for r in table.to_dict("records")]
