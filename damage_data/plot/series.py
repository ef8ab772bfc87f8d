"""The reported series of one unit: each source's figure by date, with declines, disagreements
and corrections marked (what :func:`~damage_data.plot.timeline` draws)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from .._errors import DamageDataError, UnknownLabelError, UsageError
from ..places import resolve_place
from ..vocab import DAMAGE_GROUPS, DAMAGE_STATES
from .rows import display_names, flags_of

CORRECTION_FLAGS = ("correction", "corrected", "supersedes", "superseded", "revised")
SERIES_REQUIRED = ("source_id", "unit_code", "damage", "count", "as_of")


def _damage_states(damage: str) -> tuple[str, ...]:
    if damage in DAMAGE_GROUPS:
        return tuple(DAMAGE_GROUPS[damage])
    if damage in DAMAGE_STATES:
        return (damage,)
    known = [*DAMAGE_GROUPS, *[s for s in DAMAGE_STATES if s not in DAMAGE_GROUPS]]
    raise UnknownLabelError(
        f"unknown damage {damage!r}; choose a group or state: {', '.join(known)}",
        label=damage,
        known=known,
    )


def own_figures(figs: pd.DataFrame, figures: pd.DataFrame, states: Sequence[str]) -> pd.Series:
    """Which of ``figs`` (all in ``states``) are counts of their own, not parts of another.

    "Of which 41 houses" is part of a figure already counted when its parent is in the same
    states; "of the 3,019 inspected, 70 destroyed" is a figure of its own. A set described
    again (``same_as``) is not a second figure.

    Parameters
    ----------
    figs
        Some figures of ``figures``.
    figures
        The whole ``figures`` table (to look parents up).
    states
        The damage states ``figs`` were chosen in.

    Returns
    -------
    pandas.Series
        A boolean per row of ``figs``.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"figure_id": ["a", "b"], "damage": ["damaged", "damaged"],
    ...                   "subset_of": [None, "a"]})
    >>> own_figures(f, f, ["damaged"]).tolist()
    [True, False]
    """
    keep = pd.Series(True, index=figs.index)
    if "subset_of" in figs.columns and "figure_id" in figures.columns:
        in_states = dict(
            zip(
                figures["figure_id"].astype(str),
                figures["damage"].astype("string").isin(list(states)),
                strict=True,
            )
        )
        parent = figs["subset_of"].astype("string").fillna("")
        keep &= ~parent.map(lambda p: bool(p) and bool(in_states.get(p, True))).astype(bool)
    if "same_as" in figs.columns:
        keep &= figs["same_as"].astype("string").fillna("") == ""
    return keep


def unit_of(figures: pd.DataFrame, unit: str) -> str:
    """The unit code ``unit`` names in ``figures``: a code, a name as written, or a place name.

    Tried in order: a unit code of the figures (any case), the figures' ``unit_name`` or
    ``place_text``, a display name of their units in any language, then the place resolver.

    Parameters
    ----------
    figures
        A ``figures`` table.
    unit
        ``"AZ-TAR"``, ``"az-tar"``, ``"Tartar"``, ``"Tərtər"``, ``"Тертер"``…

    Returns
    -------
    str
        The unit code.

    Examples
    --------
    >>> from damage_data.example import example_figures
    >>> unit_of(example_figures(), "Tərtər")
    'AZ-TAR'
    """
    wanted = str(unit).strip().casefold()
    codes = sorted(set(figures["unit_code"].dropna().astype(str)))
    for code in codes:
        if code.casefold() == wanted:
            return code
    for column in ("unit_name", "place_text"):
        if column in figures.columns:
            named = figures.loc[
                figures[column].astype("string").str.strip().str.casefold() == wanted
            ]
            found = sorted(set(named["unit_code"].dropna().astype(str)))
            if len(found) == 1:
                return found[0]
    for lang in ("en", "az", "ru", "uk", "hy", "native"):
        for code, name in display_names(codes, lang).items():
            if name.casefold() == wanted:
                return code
    try:
        resolved = resolve_place(str(unit)).get("unit_code")
    except (DamageDataError, LookupError, ValueError):
        resolved = None
    if resolved:
        return str(resolved)
    raise UsageError(
        f"no unit {unit!r} in these figures; units: "
        + ", ".join(f"{c} ({n})" for c, n in display_names(codes).items())
    )


def _dated(figures: pd.DataFrame, sources: pd.DataFrame, states: tuple[str, ...]) -> pd.DataFrame:
    """Own figures in ``states`` with a date (the source's publication date if none)."""
    figs = figures.loc[
        figures["damage"].astype("string").isin(states) & figures["count"].notna()
    ].copy()
    figs = figs.loc[own_figures(figs, figures, states)]
    if "status" in figs.columns:
        figs = figs.loc[figs["status"].astype("string").fillna("") != "rejected"]
    if "level" in figs.columns:
        figs = figs.loc[figs["level"].astype("string").fillna("") != "settlement"]
    published = (
        dict(
            zip(
                sources["source_id"].astype(str),
                pd.to_datetime(sources["published"], errors="coerce"),
                strict=True,
            )
        )
        if {"source_id", "published"} <= set(sources.columns)
        else {}
    )
    figs["as_of"] = pd.to_datetime(figs["as_of"], errors="coerce")
    figs["as_of"] = figs["as_of"].fillna(figs["source_id"].astype(str).map(published))
    return figs.loc[figs["as_of"].notna()]


def _source_column(sources: pd.DataFrame, column: str) -> dict[str, str]:
    if not {"source_id", column} <= set(sources.columns):
        return {}
    return dict(
        zip(
            sources["source_id"].astype(str),
            sources[column].astype("string").fillna(""),
            strict=True,
        )
    )


def _kind(method: str | None, group: pd.DataFrame) -> str:
    """What kind of count a statement is: per-structure assessment or statement, and its
    count units (structures are not buildings)."""
    assessed = "assessment" if method in ("satellite", "field_survey") else "statement"
    units = group["count_unit"] if "count_unit" in group else pd.Series(dtype="string")
    return "/".join([assessed, *sorted(set(units.astype("string").fillna("")))])


def _series_rows(unit: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """One row per source and date: parts of one statement added up."""
    publisher = _source_column(sources, "publisher")
    title = _source_column(sources, "title")
    cites = _source_column(sources, "cites")
    method = _source_column(sources, "method")
    rows = []
    grouped: Any = unit.groupby([unit["source_id"].astype(str), "as_of"], sort=False)
    for (source_id, as_of), group in grouped:
        source_id = str(source_id)
        counts = group["count"].astype(float)
        lo = (group["count_min"] if "count_min" in group else group["count"]).astype(float)
        hi = (group["count_max"] if "count_max" in group else group["count"]).astype(float)
        quals = set(group["qualifier"].astype("string").dropna()) if "qualifier" in group else set()
        flags = sorted({f for v in group.get("flags", pd.Series(dtype=str)) for f in flags_of(v)})
        cum = group["cumulative"] if "cumulative" in group else pd.Series([pd.NA])
        # a file read as is has no publisher: its title (the file name) names it, never
        # its hash ("sha256:7ce28745b705741f" in the key of every plain CSV's timeline)
        name = publisher.get(source_id) or title.get(source_id) or source_id
        rows.append(
            {
                "source_id": source_id,
                "publisher": str(name).split(";")[0].strip(),
                "as_of": as_of,
                "count": int(counts.sum()),
                "count_min": int(lo.fillna(counts).sum()),
                "count_max": int(hi.fillna(counts).sum()),
                "qualifier": next(iter(quals))
                if len(quals) == 1
                else ("mixed" if quals else "exact"),
                "cumulative": bool(cum.fillna(True).astype(bool).all()),
                "relayed": bool(cites.get(source_id)),
                "corrected": any(f in CORRECTION_FLAGS for f in flags),
                "flags": ";".join(flags),
                # what kind of count this is: a change is read only between counts of a kind
                # (statements and the press relaying them are one kind; per-structure
                # assessments, of an area that may be a few streets, another)
                "kind": _kind(method.get(source_id), group),
            }
        )
    return pd.DataFrame(rows).sort_values(["as_of", "source_id"]).reset_index(drop=True)


def _mark_series(series: pd.DataFrame) -> pd.DataFrame:
    """Mark declines of a running total, disagreements and corrections."""
    # a running total that went down: a report lower than every report of the previous
    # date (lower than just one of several disagreeing reports is disagreement, not decline)
    running = series.loc[series["cumulative"]]
    lowest = running.groupby("as_of")["count"].min()
    previous = running["as_of"].map(lowest.shift(1))
    series["decreasing"] = False
    series.loc[running.index, "decreasing"] = (running["count"] < previous).fillna(False)
    series["disagree"] = False
    for _day, same in series.groupby("as_of"):
        if same["source_id"].nunique() > 1 and same["count"].nunique() > 1:
            series.loc[same.index, "disagree"] = True
    for _key, same in series.groupby(["source_id", "as_of"]):  # a source correcting itself
        if len(same) > 1:
            series.loc[same.index, "corrected"] = True
    return series


def reported_series(
    figures: pd.DataFrame,
    sources: pd.DataFrame | None = None,
    *,
    unit_code: str | None = None,
    damage: str = "destroyed",
) -> pd.DataFrame:
    """The figures a timeline draws: one row per source and date, with what to mark.

    Parts of one statement (e.g. severe + moderate for ``damaged``) are added; subsets
    ("of which …") are left out.

    Parameters
    ----------
    figures, sources
        The ``figures`` and ``sources`` tables.
    unit_code
        The unit (a code or a name); default: the one with the most reporting dates.
    damage
        A summary group (``destroyed``, ``damaged``, ``assessed`` …) or a canonical state.

    Returns
    -------
    pandas.DataFrame
        ``source_id, publisher, as_of, count, count_min, count_max, qualifier, cumulative,
        relayed, corrected, flags, decreasing, disagree``; ``attrs`` holds the unit and damage.

    Examples
    --------
    >>> from damage_data import example_figures, example_sources
    >>> s = reported_series(example_figures(), example_sources(), unit_code="AZ-TAR")
    >>> bool(s["decreasing"].any())
    True
    """
    states = _damage_states(damage)
    missing = [c for c in SERIES_REQUIRED if c not in figures.columns]
    if missing:
        raise UsageError(
            f"figures have no column(s) {', '.join(missing)}; make them with "
            "damage_data.make_figures()"
        )
    src = pd.DataFrame(sources) if sources is not None else pd.DataFrame()
    figs = _dated(figures, src, states)
    if unit_code is None:
        if figs.empty:
            raise UsageError(f"no dated {damage!r} figures to draw a timeline of")
        counts = figs.groupby(figs["unit_code"].astype(str))["as_of"].nunique()
        unit_code = str(counts.sort_values(ascending=False, kind="stable").index[0])
    else:
        unit_code = unit_of(figures, unit_code)
    unit = figs.loc[figs["unit_code"].astype(str) == unit_code]
    if unit.empty:
        have = sorted(set(figs["unit_code"].dropna().astype(str)))
        raise UsageError(
            f"no dated {damage!r} figures for {unit_code}; units with such "
            f"figures: {', '.join(have) or 'none'}"
        )
    series = _mark_series(_series_rows(unit, src))
    series.attrs["unit_code"] = unit_code
    series.attrs["damage"] = damage
    return series
