"""The report's map and charts: drawn from the same summary the tables hold, each with the
alt text that lists the numbers it shows, and a plain sentence for any chart left out."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import plot
from .._errors import UsageError
from ..export import save, user_mode
from ..numbers import count_label
from ..style import anatomy_of, detached_axes

log = logging.getLogger(__name__)

#: Why a timeline can be missing from a report, for the README (a reporter's words).
NO_TIMELINE = (
    "No timeline was drawn: several sources reported on the same place, but none of their "
    "figures of destroyed buildings carries a date, so they cannot be placed in time."
)


@dataclass
class Graphics:
    """What :func:`draw_graphics` wrote.

    Attributes
    ----------
    images
        ``(file name, alt text)`` of each map and chart, in reading order.
    skipped
        A sentence for each chart that was not drawn, saying why.
    """

    images: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _label(row: Any, group: str) -> str:
    return count_label(row[group], row[f"{group}_min"], row[f"{group}_max"]) or "not stated"


def _charts(units: pd.DataFrame, figures: pd.DataFrame) -> list[tuple[str, str, str]]:
    """``(file, kind, alt text)`` of each chart the data can carry, in reading order."""
    ranked = units.sort_values("total", ascending=False, na_position="last")
    top = ranked.iloc[0]
    charts = [
        (
            "map.png",
            "map",
            f"Map of buildings reported damaged or destroyed per unit; highest: "
            f"{top['unit_name']} with {_label(top, 'total')}.",
        ),
        (
            "chart_bars.png",
            "bars",
            "Stacked bars per unit: "
            + "; ".join(
                f"{r['unit_name']} {_label(r, 'destroyed')} destroyed, "
                f"{_label(r, 'damaged')} damaged"
                for _, r in ranked.iterrows()
            ),
        ),
    ]
    if units["residential_share"].notna().any():
        charts.append(
            (
                "chart_share.png",
                "share",
                "Share of homes among buildings of known type, per unit: "
                + "; ".join(
                    f"{r['unit_name']} {count_label(r['residential'])} of "
                    f"{count_label(r['residential_basis'])}"
                    for _, r in units.iterrows()
                    if pd.notna(r["residential_share"])
                ),
            )
        )
    # a timeline compares sources over time: one source a unit has nothing to compare
    if not figures.empty and figures.groupby("unit_code")["source_id"].nunique().max() > 1:
        charts.append(
            (
                "chart_timeline.png",
                "timeline",
                "Figures reported over time by each source for the unit with the most statements.",
            )
        )
    return charts


def draw_graphics(
    folder: Path,
    summary: pd.DataFrame,
    figures: pd.DataFrame,
    sources: pd.DataFrame,
    *,
    title: str,
    lang: str,
) -> Graphics:
    """Draw the map and charts (web preset) into ``folder``.

    Titles and descriptions come from :func:`damage_data.plot.chart`, which states the
    finding from the same summary the tables hold; the alt texts list the numbers drawn.
    Nothing is drawn when nothing was counted (a chart of nothing would read as zero), and
    no timeline when no figure is dated (:attr:`Graphics.skipped` says so).

    Parameters
    ----------
    folder
        Where the PNG files go.
    summary
        The reconciled summary (:func:`damage_data.reconcile.summarise`).
    figures, sources
        The tables the summary was made from.
    title
        The report's title (a chart without a finding of its own is titled with it).
    lang
        Language of names, numbers and words on the charts.

    Returns
    -------
    Graphics

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from damage_data import example_figures, example_sources, summarise
    >>> f, s = example_figures(), example_sources()
    >>> drawn = draw_graphics(pathlib.Path(tempfile.mkdtemp()), summarise(f, s), f, s,
    ...                       title="Damage", lang="en")
    >>> [name for name, _alt in drawn.images]
    ['map.png', 'chart_bars.png', 'chart_share.png', 'chart_timeline.png']
    """
    out = Graphics()
    units = summary[summary["level"] != "country"] if not summary.empty else summary
    if units.empty:
        return out
    for name, kind, alt in _charts(units, figures):
        try:
            # drawn on a figure pyplot does not manage: the user's backend is never touched
            fig = plot.chart(
                kind,
                figures,
                sources,
                summary=summary,
                lang=lang,
                subtitle=None,
                ax=detached_axes(),
            )
        except UsageError as err:
            if kind != "timeline":
                raise
            log.info("report: no timeline (%s)", err)
            out.skipped.append(NO_TIMELINE)
            continue
        anatomy = anatomy_of(fig)
        chart_title = anatomy.title if anatomy is not None else title
        alt = anatomy.alt_text if anatomy is not None and anatomy.alt_text else alt
        save(fig, folder / name, preset="web", title=chart_title, alt_text=alt)
        user_mode(folder / name)
        out.images.append((name, alt))
    return out
