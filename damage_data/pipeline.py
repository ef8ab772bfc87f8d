"""From input files to one figures table: load each input, count structures, gather all.

This is the path every command takes (summary, map, chart, report): read with the
readers, turn per-structure products into figures by assigning them to units, and keep
the sources, rejects, reader reports and the match log side by side.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ._errors import InputError
from .tables import empty, make_figures, make_table

log = logging.getLogger(__name__)

MATCH_LOG_COLUMNS = (
    "source_id",
    "locator",
    "place_text",
    "parent_text",
    "unit_code",
    "unit_name",
    "match",
    "flags",
)


@dataclass
class Collected:
    """Everything the inputs gave: figures, sources, rejects, match log, reader reports."""

    figures: pd.DataFrame
    sources: pd.DataFrame
    rejects: pd.DataFrame
    match_log: pd.DataFrame
    reports: list[dict[str, Any]] = field(default_factory=list)
    example: bool = False


def match_log(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures whose place was not matched exactly or by code, for review.

    >>> from damage_data.example import example_figures
    >>> match_log(example_figures()).empty
    True
    """
    if figures.empty:
        return pd.DataFrame(columns=list(MATCH_LOG_COLUMNS))
    exact = figures["match"].astype("string").isin(["exact", "code"])
    conflict = figures["flags"].fillna("").str.contains("parent_conflict")
    out = figures.loc[~exact | conflict, list(MATCH_LOG_COLUMNS)].reset_index(drop=True)
    return out


def collect_example() -> Collected:
    """The bundled Karabakh example as a :class:`Collected`."""
    from .example import example_figures, example_sources

    figures = example_figures()
    return Collected(
        figures=figures,
        sources=example_sources(),
        rejects=pd.DataFrame(columns=["path", "locator", "column", "value", "reason"]),
        match_log=match_log(figures),
        example=True,
    )


def figures_from_inputs(
    paths: Sequence[str | Path] | None,
    *,
    kind: str = "auto",
    country: str | None = None,
    units: Any = None,
) -> Collected:
    """Load every input and return their figures, sources, rejects and match log.

    Parameters
    ----------
    paths
        Input files of any kind :func:`damage_data.readers.load` reads. ``None`` or empty:
        the bundled example.
    kind
        Reader kind for all inputs (``auto`` detects each).
    country, units
        Where per-structure products are assigned: a bundled country code, or a units table.

    Examples
    --------
    >>> c = figures_from_inputs(None)
    >>> c.example
    True
    """
    if not paths:
        return collect_example()
    for path in paths:
        if str(path) != "-" and not Path(path).exists():
            raise InputError(
                f"{path}: no such file; check the path (inputs are read, never downloaded)",
                path=str(path),
            )
    from .readers import load

    figures: list[pd.DataFrame] = []
    sources: list[pd.DataFrame] = []
    rejects: list[pd.DataFrame] = []
    reports: list[dict[str, Any]] = []
    from .scale import count_structures, is_structure_parquet

    for path in paths:
        if kind == "auto" and str(path) != "-" and is_structure_parquet(path):
            # large per-structure GeoParquet: streamed and counted without building geometries
            counted = count_structures(path, units, country=country)
            figures.append(counted.figures)
            sources.append(counted.sources)
            if not counted.rejects.empty:
                rejects.append(counted.rejects.assign(path=str(path)))
            reports.append(counted.report)
            continue
        result = load(path, kind=kind)
        figs = result.as_figures(units=units, country=country)
        if figs is not None and not figs.empty:
            figures.append(figs)
        sources.append(result.sources)
        if result.rejects is not None and not result.rejects.empty:
            rejects.append(result.rejects.assign(path=str(path)))
        reports.append(result.report)
    all_figures = (
        make_figures(pd.concat(figures, ignore_index=True)) if figures else empty("figures")
    )
    all_sources = (
        make_table("sources", pd.concat(sources, ignore_index=True).drop_duplicates("source_id"))
        if sources
        else empty("sources")
    )
    all_rejects = (
        pd.concat(rejects, ignore_index=True)
        if rejects
        else pd.DataFrame(columns=["path", "locator", "column", "value", "reason"])
    )
    return Collected(
        figures=all_figures,
        sources=all_sources,
        rejects=all_rejects,
        match_log=match_log(all_figures),
        reports=reports,
    )


def combine(parts: Iterable[Collected]) -> Collected:
    """Several :class:`Collected` as one (e.g. files plus a register)."""
    parts = list(parts)
    figs = [p.figures for p in parts if not p.figures.empty]
    srcs = [p.sources for p in parts if not p.sources.empty]
    rejs = [p.rejects for p in parts if not p.rejects.empty]
    figures = make_figures(pd.concat(figs, ignore_index=True)) if figs else empty("figures")
    return Collected(
        figures=figures,
        sources=make_table(
            "sources", pd.concat(srcs, ignore_index=True).drop_duplicates("source_id")
        )
        if srcs
        else empty("sources"),
        rejects=pd.concat(rejs, ignore_index=True) if rejs else parts[0].rejects,
        match_log=match_log(figures),
        reports=[r for p in parts for r in p.reports],
        example=all(p.example for p in parts),
    )
