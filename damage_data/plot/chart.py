"""Finished figures: one chart of a kind, titled with its finding and laid out for publishing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from .. import style
from .._errors import UsageError
from ..reconcile import summarise
from .bars import damage_bars, residential_share
from .furniture import headline, timeline_headline
from .i18n import check_lang
from .map import damage_map
from .rows import names_for
from .series import reported_series
from .timeline import timeline

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes

CHART_KINDS: tuple[str, ...] = ("map", "bars", "share", "timeline")


def _named(summary: pd.DataFrame, units: gpd.GeoDataFrame | None) -> pd.DataFrame:
    """The summary with the user's unit names where it has none (for the headline)."""
    if units is None or "name" not in units.columns or "unit_code" not in units.columns:
        return summary
    names = dict(zip(units["unit_code"].astype(str), units["name"].astype("string"), strict=True))
    own = (
        summary["unit_name"]
        if "unit_name" in summary.columns
        else pd.Series(pd.NA, index=summary.index)
    )
    given = summary["unit_code"].astype(str).map(names)
    missing = own.isna() | (own.astype("string") == summary["unit_code"].astype("string"))
    return summary.assign(unit_name=own.astype("string").mask(missing, given))


def chart(
    kind: str,
    figures: pd.DataFrame,
    sources: pd.DataFrame | None = None,
    *,
    summary: pd.DataFrame | None = None,
    metric: str = "total",
    lang: str = "en",
    title: str | None = None,
    subtitle: str | None = None,
    note: str | None = None,
    byline: str | None = None,
    unit_code: str | None = None,
    damage: str = "destroyed",
    scheme: str = "NaturalBreaks",
    k: int = 5,
    units: gpd.GeoDataFrame | None = None,
    ax: Axes | None = None,
) -> Any:
    """A finished figure of one kind (map, bars, share, timeline), laid out and titled.

    The title states the finding and the description the measure and period, both derived
    from the data in ``lang`` unless given. This is what ``damage-data map`` and ``chart``
    draw.

    Parameters
    ----------
    kind
        ``map``, ``bars``, ``share`` or ``timeline``.
    figures, sources
        The ``figures`` and ``sources`` tables.
    summary
        The reconciled summary; default: ``summarise(figures, sources)``.
    metric, scheme, k, units
        Passed to :func:`~damage_data.plot.damage_map`.
    unit_code, damage
        Passed to :func:`~damage_data.plot.timeline` (``unit_code`` may be a name).
    lang, title, subtitle, note, byline
        Display language and the text around the chart.
    ax
        Axes to draw in, e.g. :func:`damage_data.style.detached_axes` for files only;
        default: a new pyplot figure.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from damage_data import example_figures, example_sources
    >>> fig = chart("bars", example_figures(), example_sources())
    >>> from damage_data.style import anatomy_of
    >>> anatomy_of(fig).title
    'Aghjabadi: most buildings destroyed or damaged (510+)'
    """
    if kind not in CHART_KINDS:
        raise UsageError(f"unknown chart kind {kind!r}; choose one of: {', '.join(CHART_KINDS)}")
    check_lang(lang)
    if kind == "timeline":
        series = reported_series(figures, sources, unit_code=unit_code, damage=damage)
        code = str(series.attrs["unit_code"])
        ax = timeline(figures, sources, code, damage=damage, lang=lang, ax=ax)
        name = names_for(pd.DataFrame({"unit_code": [code]}), lang)[code]
        auto_title, auto_sub = timeline_headline(series, name=name, lang=lang)
    else:
        if summary is None:
            summary = summarise(figures, sources)  # names follow lang in the plot itself
        summary = _named(summary, units)
        if kind == "map":
            ax = damage_map(
                summary,
                metric=metric,
                units=units,
                scheme=scheme,
                k=k,
                lang=lang,
                sources=sources,
                ax=ax,
            )
        elif kind == "bars":
            ax = damage_bars(summary, lang=lang, sources=sources, ax=ax)
            metric = "total"
        else:
            ax = residential_share(summary, lang=lang, sources=sources, ax=ax)
            metric = "residential_share"
        auto_title, auto_sub = headline(summary, metric=metric, lang=lang)
    fig = ax.get_figure(root=True)
    if fig is None:  # pragma: no cover - plot functions always draw into a figure
        raise RuntimeError("the chart has no figure")
    style.finalise(
        fig, title=title or auto_title, subtitle=subtitle or auto_sub, note=note, byline=byline
    )
    return fig
