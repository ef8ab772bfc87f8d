"""The timeline chart: each source's figure for one unit by date, one colour per publisher."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, Locator, MaxNLocator

from .. import style
from .._errors import UsageError
from ..numbers import format_number
from .furniture import day_month_year, provenance, source_credits, state_words
from .i18n import and_list, check_lang, month, plural, text
from .labels import LabelLayer
from .rows import names_for
from .series import reported_series

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Where a value label may sit around its point (points): above, below, then aside.
VALUE_LABEL_OFFSETS = (
    (0, 11), (0, -11), (18, 8), (-18, 8), (18, -8), (-18, -8), (0, 22), (0, -22),
)  # fmt: skip
DISAGREE_OFFSETS = ((46, 0), (-46, 0), (46, 12), (-46, 12), (46, -12), (-46, -12))

# matplotlib.dates is untyped: its three helpers used here, with the types they have
_num2date: Callable[[float], datetime] = mdates.num2date
_date2num: Callable[[Any], float] = mdates.date2num
_date_locator: Callable[..., Locator] = mdates.AutoDateLocator


def value_text(row: pd.Series, lang: str = "en") -> str:
    """A reported count as written on the chart: ``148``, ``500+``, ``55–60``, ``~100``.

    Parameters
    ----------
    row
        A row of the timeline's series (``count``, ``count_min``, ``count_max``,
        ``qualifier``, ``decreasing``).
    lang
        The language whose number marks are used.

    Returns
    -------
    str
        The label; ``▼`` in front of a count lower than the source's previous one.

    Examples
    --------
    >>> import pandas as pd
    >>> value_text(pd.Series({"count": 500, "count_min": 500, "count_max": 500,
    ...                       "qualifier": "more_than", "decreasing": False}))
    '500+'
    >>> value_text(pd.Series({"count": 57, "count_min": 55, "count_max": 60,
    ...                       "qualifier": None, "decreasing": True}))
    '▼ 55–60'
    """
    count, low, high = int(row["count"]), int(row["count_min"]), int(row["count_max"])
    if row["qualifier"] in ("more_than", "at_least"):
        out = f"{format_number(count, lang)}+"
    elif high > low:
        out = f"{format_number(low, lang)}–{format_number(high, lang)}"
    elif row["qualifier"] in ("approx", "vague"):
        out = f"~{format_number(count, lang)}"
    else:
        out = format_number(count, lang)
    return f"▼ {out}" if row["decreasing"] else out


def date_tick(value: float, lang: str = "en") -> str:
    """A date tick: the year on 1 January, the month on the 1st, else day and month.

    Parameters
    ----------
    value
        A matplotlib date number.
    lang
        The language of month names.

    Returns
    -------
    str
        The tick's label.

    Examples
    --------
    >>> import matplotlib.dates as mdates
    >>> date_tick(mdates.datestr2num("2021-01-01")), date_tick(mdates.datestr2num("2020-11-01"), "ru")
    ('2021', 'ноя')
    >>> date_tick(mdates.datestr2num("2020-11-10"))
    '10 Nov'
    """
    day = _num2date(value)
    if day.month == 1 and day.day == 1:
        return str(day.year)
    if day.day == 1:
        return month(day.month, lang)
    return f"{day.day} {month(day.month, lang)}"


def _draw_reports(
    ax: Axes, series: pd.DataFrame, colour: dict[str, str], layer: LabelLayer, lang: str
) -> None:
    for _, row in series.iterrows():
        c = colour[row["publisher"]]
        ax.scatter(
            [row["as_of"]],
            [row["count"]],
            s=38,
            zorder=3,
            facecolors="white" if row["relayed"] else c,
            edgecolors=c,
            linewidths=1.4,
            gid=f"damage_data:report:{row['source_id']}",
        )
        if row["count_max"] > row["count_min"]:
            ax.vlines(
                row["as_of"], row["count_min"], row["count_max"], color=c, linewidth=1.0, zorder=2
            )
        if row["corrected"]:
            ax.scatter(
                [row["as_of"]],
                [row["count"]],
                s=110,
                facecolors="none",
                edgecolors=style.INK,
                linewidths=0.8,
                zorder=2,
                gid="damage_data:corrected",
            )
        layer.add(
            value_text(row, lang),
            (_date2num(row["as_of"]), float(row["count"])),
            priority=0,
            required=True,
            size=style.LABEL_SIZE,
            color=style.DAMAGE_COLOURS["destroyed"] if row["decreasing"] else style.INK,
            weight="bold" if row["decreasing"] else "normal",
            candidates=VALUE_LABEL_OFFSETS,
            gid="damage_data:value",
        )


def _draw_disagreements(ax: Axes, series: pd.DataFrame, layer: LabelLayer, lang: str) -> None:
    for day, same in series.loc[series["disagree"]].groupby("as_of"):
        lo, hi = same["count"].min(), same["count"].max()
        ax.annotate(
            "",
            (day, lo),
            (day, hi),
            arrowprops={
                "arrowstyle": "-",
                "color": style.MUTED,
                "linewidth": 0.8,
                "linestyle": (0, (2, 2)),
            },
            zorder=1,
        )
        layer.add(
            text("timeline.disagree", lang),
            (_date2num(day), float(hi)),
            priority=1,
            required=True,
            size=style.SMALL_SIZE,
            color=style.MUTED,
            weight="normal",
            candidates=DISAGREE_OFFSETS,
            gid="damage_data:disagree",
            leader=False,
        )


def _axes(ax: Axes, series: pd.DataFrame, lang: str) -> None:
    """Integer counts on the y axis, dates in ``lang`` on the x axis."""
    # at least 0–2: below that, whole-number ticks give way to 0.1 steps printed "0 0 0 1 1"
    ax.set_ylim(0, max(float(series["count_max"].max()) * 1.2, 2.0))
    # counts are whole numbers: ticks at 2.5 would be labelled 2 (or 3) and lie
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=3))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(v, lang)))
    ax.grid(axis="y", color="#e6e6e6", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.xaxis.set_major_locator(_date_locator(minticks=3, maxticks=7))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: date_tick(v, lang)))
    span = series["as_of"].max() - series["as_of"].min()
    margin = max(span * 0.08, pd.Timedelta(days=3))
    ax.set_xlim(series["as_of"].min() - margin, series["as_of"].max() + margin)


def _notes(series: pd.DataFrame, lang: str) -> list[str]:
    notes = []
    if series["decreasing"].any():
        notes.append(text("note.decreasing", lang))
    if series["relayed"].any():
        notes.append(text("note.relayed", lang))
    if series["corrected"].any():
        notes.append(text("note.corrected", lang))
    if (series["count_max"] > series["count_min"]).any():
        notes.append(text("note.range", lang))
    return notes


def _publisher_key(ax: Axes, publishers: list[str], colour: dict[str, str]) -> None:
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=5,
            markerfacecolor=colour[p],
            markeredgecolor=colour[p],
        )
        for p in publishers
    ]
    style.key_legend(
        ax,
        handles,
        publishers,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncols=min(len(publishers), 3),
        frameon=False,
        handletextpad=0.2,
        columnspacing=1.0,
        fontsize=style.SMALL_SIZE + 0.5,
        borderaxespad=0.3,
    )


def timeline(
    figures: pd.DataFrame,
    sources: pd.DataFrame | str | None = None,
    unit: str | None = None,
    *,
    unit_code: str | None = None,
    damage: str = "destroyed",
    lang: str = "en",
    ax: Axes | None = None,
) -> Axes:
    """Reported figures for one unit over time, one colour per publisher.

    A grey line joins the running totals in date order; a report lower than an earlier
    one is marked ▼ ("decreasing"), reports of the same date that disagree are joined by a
    bracket, corrections are ringed and relayed (secondary) reports drawn hollow. Counts
    are whole numbers, and so are the ticks. The house style applies inside the call only.

    Parameters
    ----------
    figures
        A ``figures`` table.
    sources
        The ``sources`` table (publisher names, which report relays which, dates); or the
        unit, as an analyst types it: ``timeline(figures, "AZ-TAR")``.
    unit
        The unit: a code (``"AZ-TAR"``) or a name in any language (``"Tərtər"``); default:
        the one with the most reporting dates.
    unit_code
        The same as ``unit`` (kept for older calls).
    damage
        A summary group (``destroyed``, ``damaged``, ``assessed`` …) or a canonical state.
    lang
        Language of names, numbers, dates and words.
    ax
        Axes to draw in; default: a new figure of the house size.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from damage_data import example_figures, example_sources
    >>> ax = timeline(example_figures(), example_sources(), "AZ-TAR")
    >>> any("▼" in t.get_text() for t in ax.texts)
    True
    >>> ax = timeline(example_figures(), "Tartar")  # without sources
    """
    check_lang(lang)
    if isinstance(sources, str):
        if unit is not None:
            raise UsageError(
                "timeline(figures, sources, unit): sources must be a table, not a name"
            )
        sources, unit = None, sources
    if unit is not None and unit_code is not None and unit != unit_code:
        raise UsageError(f"two units given: unit={unit!r} and unit_code={unit_code!r}")
    series = reported_series(figures, sources, unit_code=unit or unit_code, damage=damage)
    code = str(series.attrs["unit_code"])
    with style.house_style():
        ax = style.new_axes(ax)
        layer = LabelLayer(ax)
        publishers = list(dict.fromkeys(series["publisher"]))
        palette = [c for c in style.OKABE_ITO if c != "#F0E442"]  # yellow is faint on white
        colour = {p: palette[i % len(palette)] for i, p in enumerate(publishers)}
        # one point per date: where sources disagree the line runs through their middle
        # (a line for each kind of count: a satellite count of a few streets is never joined
        # to an official table of the whole unit)
        cumulative = series.loc[series["cumulative"]]
        kinds = (
            cumulative["kind"]
            if "kind" in cumulative.columns
            else pd.Series("", index=cumulative.index)
        )
        for _, rows in cumulative.groupby(kinds, sort=False):
            running = rows.groupby("as_of")["count"].median()
            if len(running) > 1:
                ax.plot(
                    running.index,
                    running.to_numpy(),
                    color="#bdbdbd",
                    linewidth=1.2,
                    zorder=1,
                    gid="damage_data:running",
                )
        _draw_reports(ax, series, colour, layer, lang)
        _draw_disagreements(ax, series, layer, lang)
        ax.add_artist(layer)
        _axes(ax, series, lang)
        _publisher_key(ax, publishers, colour)
        name = names_for(pd.DataFrame({"unit_code": [code]}), lang)[code]
        points = [
            f"{day_month_year(d, lang)} {format_number(c, lang)} ({p})"
            for d, c, p in zip(series["as_of"], series["count"], series["publisher"], strict=True)
        ]
        alt = plural(
            "timeline.alt",
            len(series),
            lang,
            state=state_words(damage, lang),
            name=name,
            items=and_list(points, lang, limit=8),
        )
        style.set_provenance(
            ax,
            provenance(
                "chart",
                lang,
                sources=source_credits(sources, list(series["source_id"]), lang),
                notes=_notes(series, lang),
                alt_text=alt,
            ),
        )
    return ax
