"""The one way in: inputs (files, a register, or the bundled example) to figures and sources.

:func:`collect` is what every command and the register use: it reads each input with the
readers, counts per-structure products into figures (each structure once, DESIGN §4 rule 4),
resolves every place once (the place stage), reads a register, and gathers everything with
the rejects, reader reports and the match log. The same content always gives the same
``source_id`` and ``figure_id``s, so a source that arrives twice — a file and its copy, or a
file and a register holding it — is one source (rule 5).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import pandas as pd

from ._errors import InputError
from ._gc import collector_paused
from .count import assign, count_structures, is_structure_parquet, structures_to_figures
from .example import example_figures, example_sources
from .places import resolve_figures
from .readers import load
from .register.read import read_register
from .tables import Collected, empty, make_figures, make_table

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
REJECT_COLUMNS = ["path", "locator", "column", "value", "reason"]


def match_log(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures whose place was not matched exactly or by code, for review.

    >>> from damage_data.example import example_figures
    >>> match_log(example_figures())[["place_text", "unit_code", "flags"]].values.tolist()[0]
    ['Jabrayil', 'AZ-CAB', 'parent_conflict']
    """
    if figures.empty:
        return pd.DataFrame(columns=list(MATCH_LOG_COLUMNS))
    exact = figures["match"].astype("string").isin(["exact", "code"])
    conflict = figures["flags"].fillna("").str.contains("parent_conflict")
    return figures.loc[~exact | conflict, list(MATCH_LOG_COLUMNS)].reset_index(drop=True)


@collector_paused()
def collect(
    inputs: Sequence[str | Path] | None = None,
    *,
    register: str | Path | None = None,
    kind: str = "auto",
    country: str | None = None,
    units: Any = None,
    columns: Mapping[str, str] | None = None,
    settlements: pd.DataFrame | None = None,
    as_of: Any = None,
    layer: str | None = None,
    strongest: bool = False,
    limits: Any = None,
    scheme: str | None = None,
) -> Collected:
    """Read inputs (and a register) into one set of figures and sources.

    Parameters
    ----------
    inputs
        Files of any kind :func:`damage_data.readers.load` reads. Empty, with no register:
        the bundled example.
    register
        A damage register (``.gpkg``) whose figures and sources join the inputs'.
    kind
        Reader kind for every input (``auto`` detects each).
    country
        Where places are resolved and structures assigned: a bundled country code.
    units
        Your own admin units (a ``units`` table or GeoDataFrame, e.g. from ``--units``):
        structures are assigned to them and place names resolved in them.
    columns
        Column roles for table inputs (``--columns``): ``{"place": "District", ...}``.
    settlements
        Your own settlement gazetteer (``--gazetteer``): villages without a stated parent.
    as_of
        Count only structures assessed on or before this day (per-structure inputs).
    layer
        Layer or sheet to read.
    strongest
        For round histories: each site's strongest class instead of its latest.
    scheme
        The damage vocabulary of the inputs' labels (a crosswalk name); default: detected.
    limits
        Safety limits (:class:`damage_data.limits.Limits`).

    Returns
    -------
    Collected

    Examples
    --------
    >>> c = collect()
    >>> c.example, len(c.sources) > 0
    (True, True)
    """
    parts: list[Collected] = []
    for path in inputs or []:
        parts.append(
            _one(
                path,
                kind=kind,
                country=country,
                units=units,
                columns=columns,
                settlements=settlements,
                as_of=as_of,
                layer=layer,
                strongest=strongest,
                limits=limits,
                scheme=scheme,
            )
        )
    if register is not None:
        parts.append(from_register(register))
    if not parts:
        return collect_example()
    return combine(parts, units=units)


def collect_example() -> Collected:
    """The bundled Karabakh example as a :class:`Collected`."""

    figures = example_figures()
    return Collected(
        figures=figures,
        sources=example_sources(),
        rejects=pd.DataFrame(columns=REJECT_COLUMNS),
        match_log=match_log(figures),
        example=True,
    )


def from_register(path: str | Path) -> Collected:
    """The figures and sources a register holds."""

    figures, sources = read_register(Path(path))
    return Collected(
        figures=figures,
        sources=sources,
        rejects=pd.DataFrame(columns=REJECT_COLUMNS),
        match_log=match_log(figures),
        reports=[{"path": str(path), "kind": "register", "figures": len(figures)}],
    )


def _one(path: str | Path, **options: Any) -> Collected:
    """One input: read, counted (structures) or placed (figures)."""
    if str(path) != "-" and not Path(path).exists():
        raise InputError(
            f"{path}: no such file; check the path (inputs are read, never downloaded)",
            path=str(path),
        )

    kind = options["kind"]
    if kind == "auto" and str(path) != "-" and is_structure_parquet(path):
        # large per-structure GeoParquet: streamed and counted without building geometries
        counted = count_structures(
            path,
            options["units"],
            country=options["country"],
            as_of=options["as_of"],
            limits=options["limits"],
        )
        return Collected(
            figures=counted.figures,
            sources=counted.sources,
            rejects=_with_path(counted.rejects, path),
            match_log=match_log(counted.figures),
            reports=[counted.report],
        )
    result = load(
        path,
        kind=kind,
        layer=options["layer"],
        columns=options["columns"],
        strongest=options["strongest"],
        limits=options["limits"],
        scheme=options["scheme"],
    )
    figures = figures_of(
        result,
        units=options["units"],
        country=options["country"],
        settlements=options["settlements"],
        as_of=options["as_of"],
        origin=None if str(path) == "-" else str(path),
    )
    return Collected(
        figures=figures,
        sources=result.sources,
        rejects=_with_path(result.rejects, path),
        match_log=match_log(figures),
        reports=[result.report],
    )


def figures_of(
    result: Any,
    *,
    units: Any = None,
    country: Any = None,
    settlements: pd.DataFrame | None = None,
    as_of: Any = None,
    origin: str | None = None,
) -> pd.DataFrame:
    """The figures of one read input (a :class:`~damage_data.readers.LoadResult`).

    Per-structure inputs are counted (each structure once, in the unit holding it, rule R4);
    figures read from tables and texts go through the place stage; the toolkit's own
    figures tables come back as they are.
    """
    if result.structures is not None:
        current = result.current_structures()
        if current is None or current.empty:
            return empty("figures")
        assigned, _ = assign(current, units, country=country)
        return structures_to_figures(
            assigned, source_id=result.source_id, as_of=as_of, current=True
        )
    if result.figures is None:
        return empty("figures")
    if result.kind == "figures":
        return cast(pd.DataFrame, result.figures)

    return resolve_figures(
        result.figures, country=country, units=units, settlements=settlements, origin=origin
    )


def _with_path(rejects: pd.DataFrame | None, path: str | Path) -> pd.DataFrame:
    if rejects is None or rejects.empty:
        return pd.DataFrame(columns=REJECT_COLUMNS)
    return rejects.assign(path=str(path))[REJECT_COLUMNS]


def combine(parts: Iterable[Collected], *, units: Any = None) -> Collected:
    """Several :class:`Collected` as one: each source and each figure once (rule R5)."""
    parts = list(parts)
    figs = [p.figures for p in parts if not p.figures.empty]
    srcs = [p.sources for p in parts if not p.sources.empty]
    rejs = [p.rejects for p in parts if not p.rejects.empty]
    figures = make_figures(pd.concat(figs, ignore_index=True)) if figs else empty("figures")
    before = len(figures)
    figures = figures.drop_duplicates("figure_id").reset_index(drop=True)
    sources = (
        make_table("sources", _one_row_per_source(pd.concat(srcs, ignore_index=True)))
        if srcs
        else empty("sources")
    )
    if before > len(figures):
        log.warning(
            "%d figure(s) arrived more than once (the same source by two paths: a copy of a "
            "file, or a file and a register holding it); each is counted once",
            before - len(figures),
        )
    return Collected(
        figures=figures,
        sources=sources,
        rejects=pd.concat(rejs, ignore_index=True) if rejs else parts[0].rejects,
        match_log=match_log(figures),
        reports=[r for p in parts for r in p.reports],
        example=all(p.example for p in parts),
        duplicates=before - len(figures),
        units=units,
    )


def _one_row_per_source(sources: pd.DataFrame) -> pd.DataFrame:
    """Sources that arrive twice keep the row that says most about them."""
    filled = sources.notna().sum(axis=1)
    return (
        sources.assign(_filled=filled)
        .sort_values("_filled", ascending=False, kind="stable")
        .drop_duplicates("source_id")
        .drop(columns="_filled")
        .sort_index()
    )
