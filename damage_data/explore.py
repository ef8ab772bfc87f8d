"""Interactive maps for notebooks: the summary on a folium map, with figures and sources.

A thin layer over ``GeoDataFrame.explore``: it joins the summary to the boundaries, writes
the figures and sources behind each unit into its tooltip, and keeps units without reports
visible (grey, dashed) so that they never read as zero.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import pandas as pd

from ._errors import UsageError
from .numbers import share_label
from .places.gazetteer import BUNDLED_BOUNDARIES, bundled_units
from .plot.i18n import check_lang
from .plot.rows import check_summary, count_texts, display_names
from .plot.series import own_figures
from .vocab import DAMAGE_GROUPS

if TYPE_CHECKING:
    import folium
    import geopandas as gpd

#: Summary columns shown in the tooltip, in order, with their labels.
TOOLTIP_COLUMNS: dict[str, str] = {
    "display_name": "Unit",
    "destroyed": "Destroyed",
    "damaged": "Damaged",
    "possibly_damaged": "Possibly damaged",
    "unsplit": "Destroyed or damaged (not split)",
    "total": "Total",
    "assessed": "Inspected",
    "residential_share": "Residential share",
    "n_sources": "Sources",
    "as_of": "As of",
    "flags": "Flags",
    "reported_by": "Figures",
}
DEFAULT_TILES = "CartoDB positron"


def _cell(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    if isinstance(value, pd.Timestamp):
        return f"{value:%d %b %Y}"
    if isinstance(value, float):
        return f"{value:.1%}" if 0 <= value <= 1 else f"{value:,.0f}"
    return str(value)


def figures_by_unit(
    figures: pd.DataFrame, sources: pd.DataFrame | None = None, *, limit: int = 8
) -> dict[str, str]:
    """Per unit, one HTML line per source and date with its counts (text escaped).

    Parts of a figure ("of which 41 houses") are not counted again.

    Parameters
    ----------
    figures
        A figures table (``unit_code``, ``source_id``, ``damage``, ``count``).
    sources
        The sources table, for publishers' names; None: source ids are shown.
    limit
        The most recent reports shown per unit; earlier ones are counted in a line.

    Returns
    -------
    dict of str to str
        Unit code → lines joined by ``<br>``, oldest first.

    Raises
    ------
    UsageError
        When ``figures`` lacks a needed column.

    Examples
    --------
    >>> from damage_data import example_figures, example_sources
    >>> lines = figures_by_unit(example_figures(), example_sources())["AZ-TAR"]
    >>> "Report.az, 17 Oct 2020: 148 destroyed" in lines
    True
    """
    missing = [c for c in ("unit_code", "source_id", "damage", "count") if c not in figures]
    if missing:
        raise UsageError(
            f"figures have no column(s) {', '.join(missing)}; make them with "
            "damage_data.make_figures()"
        )
    publisher: dict[str, str] = {}
    if sources is not None and {"source_id", "publisher"} <= set(sources.columns):
        publisher = {
            str(s): str(p).split(";")[0].strip()
            for s, p in zip(sources["source_id"], sources["publisher"], strict=True)
            if not pd.isna(p)
        }
    usable = figures.loc[figures["unit_code"].notna() & figures["count"].notna()].copy()
    usable["_as_of"] = (
        pd.to_datetime(usable["as_of"], errors="coerce") if "as_of" in usable.columns else pd.NaT
    )
    parts = []
    for group in ("destroyed", "damaged", "unsplit", "possibly_damaged", "assessed"):
        states = DAMAGE_GROUPS[group]
        in_group = usable.loc[usable["damage"].astype("string").isin(states)]
        own = in_group.loc[own_figures(in_group, figures, states)]
        parts.append(own.assign(_group=group))
    counted = pd.concat(parts, ignore_index=True)
    label = {
        "destroyed": "destroyed",
        "damaged": "damaged",
        "unsplit": "damaged or destroyed",
        "possibly_damaged": "possibly damaged",
        "assessed": "inspected",
    }
    out: dict[str, str] = {}
    keys = [counted["unit_code"].astype(str), counted["source_id"].astype(str), "_as_of"]
    totals: Any = counted.groupby([*keys, "_group"], dropna=False, sort=False)["count"].sum()
    lines: dict[str, list[tuple[Any, str]]] = {}
    for key, block in totals.groupby(level=[0, 1, 2], dropna=False, sort=False):
        code, source, when = str(key[0]), str(key[1]), key[2]
        counts = ", ".join(f"{int(n):,} {label[str(k[3])]}" for k, n in block.items())
        name = publisher.get(source, source)
        text = f"{name}, {_cell(when)}: {counts}"
        lines.setdefault(code, []).append((when, html.escape(text)))
    for code, entries in lines.items():
        entries.sort(key=lambda e: (pd.isna(e[0]), e[0] if not pd.isna(e[0]) else 0), reverse=False)
        shown = [t for _w, t in entries[-limit:]]
        if len(entries) > limit:
            shown.insert(0, html.escape(f"… {len(entries) - limit} earlier reports"))
        out[code] = "<br>".join(shown)
    return out


def explore_damage(
    summary: pd.DataFrame,
    *,
    units: gpd.GeoDataFrame | None = None,
    lang: str = "en",
    metric: str = "total",
    figures: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
    tiles: str | None = DEFAULT_TILES,
    **explore_kwds: Any,
) -> folium.Map:
    """An interactive map of the summary: colour by ``metric``, tooltips with the figures.

    Parameters
    ----------
    summary
        One row per unit (:func:`damage_data.summarise`).
    units
        Boundaries with ``unit_code``; default: the bundled units of the summary's countries.
    lang
        Display names and numbers: ``en``, ``az``, ``ru``, ``uk``, ``hy`` or ``native``.
    metric
        The summary column that colours the units.
    figures, sources
        When given, each tooltip lists the unit's figures with their publisher and date.
    tiles
        A folium tile name; ``None`` draws no base map (offline, nothing fetched).
    explore_kwds
        Passed to ``GeoDataFrame.explore`` (e.g. ``scheme``, ``k``, ``cmap``).

    Returns
    -------
    folium.Map

    Examples
    --------
    >>> from damage_data import example_figures, example_sources, summarise
    >>> f, s = example_figures(), example_sources()
    >>> m = explore_damage(summarise(f, s), figures=f, sources=s, tiles=None)
    >>> "Report.az" in m.get_root().render()
    True
    """
    import geopandas as gpd

    check_summary(summary, [metric])
    check_lang(lang)
    if units is None:
        countries = sorted(
            {str(c).split("-")[0] for c in summary["unit_code"] if "-" in str(c)}
            & set(BUNDLED_BOUNDARIES)
        )
        if not countries:
            raise UsageError(
                "no bundled boundaries for the units of this summary; pass "
                "units=<GeoDataFrame with unit_code>"
            )
        boundaries = bundled_units(countries)
    else:
        if not isinstance(units, gpd.GeoDataFrame) or "unit_code" not in units.columns:
            raise UsageError("units must be a GeoDataFrame with a unit_code column")
        boundaries = units.copy()
    boundaries = boundaries[
        ["unit_code", "geometry", *(["name"] if "name" in boundaries else [])]
    ].copy()
    boundaries["unit_code"] = boundaries["unit_code"].astype(str)
    table = summary.copy()
    table["unit_code"] = table["unit_code"].astype(str)
    table = table.drop(columns=[c for c in ("name", "geometry") if c in table.columns])
    data = boundaries.merge(table, on="unit_code", how="left")
    fallback = dict(
        zip(data["unit_code"], data.get("name", data["unit_code"]).astype(str), strict=True)
    )
    names = display_names(data["unit_code"], lang, fallback)
    data["display_name"] = data["unit_code"].map(names)
    listing = figures_by_unit(figures, sources) if figures is not None else {}
    data["reported_by"] = data["unit_code"].map(listing).fillna("")
    reported = data.loc[pd.to_numeric(data[metric], errors="coerce").notna()].copy()
    silent = data.loc[pd.to_numeric(data[metric], errors="coerce").isna()].copy()
    if reported.empty:
        raise UsageError(f"no unit of the summary has a {metric!r} value on these boundaries")
    columns = [
        c for c in TOOLTIP_COLUMNS if c in reported.columns and (c != "reported_by" or listing)
    ]
    shown = reported[[*columns, "geometry"]].copy()
    for column in columns:  # folium needs JSON: text for every cell (NA → "–")
        if column in ("destroyed", "damaged", "total"):  # with their bounds: 500+, 55–60
            shown[column] = [html.escape(t or "–") for t in count_texts(reported, column, lang)]
        elif column == "residential_share":
            shown[column] = [html.escape(share_label(v, lang) or "–") for v in reported[column]]
        elif column != "reported_by":
            shown[column] = [html.escape(_cell(v)) for v in reported[column]]
    shown["_value"] = pd.to_numeric(reported[metric], errors="coerce").astype(float)
    aliases = [TOOLTIP_COLUMNS[c] for c in columns]
    explore_kwds.setdefault("cmap", "OrRd")
    explore_kwds.setdefault("legend_kwds", {"caption": metric.replace("_", " ")})
    m: folium.Map = shown.explore(
        column="_value",
        tooltip=columns,
        tooltip_kwds={"aliases": aliases},
        popup=False,
        tiles=tiles,
        name="Reported units",
        style_kwds={"color": "white", "weight": 1, "fillOpacity": 0.8},
        **explore_kwds,
    )
    if len(silent):
        _add_silent(m, silent, set(table["unit_code"]), metric)
    return m


def _add_silent(m: folium.Map, silent: gpd.GeoDataFrame, stated: set[str], metric: str) -> None:
    """Units without the measure: grey and dashed, "No reports" or "No <metric>"."""
    quiet = silent[["display_name", "geometry"]].assign(
        status=["No reports" if c not in stated else f"No {metric}" for c in silent["unit_code"]]
    )
    quiet.explore(
        m=m,
        color="#bdbdbd",
        tooltip=["display_name", "status"],
        tooltip_kwds={"aliases": ["Unit", ""]},
        name="No reports",
        style_kwds={"fillOpacity": 0.15, "weight": 0.6, "dashArray": "3 3"},
    )
