"""Maps and charts of reconciled damage figures, in the house style of :mod:`.style`.

Every function takes ``ax=None``, draws, records what it drew for
:func:`damage_data.style.finalise`, and returns the ``Axes``; nothing here shows or saves a
figure (that is :func:`damage_data.export.save`).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.artist import Artist
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox, IdentityTransform, offset_copy

from . import style
from ._errors import DamageDataError, UnknownLabelError, UsageError
from .style import Provenance, format_number, format_percent, set_provenance

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.text import Text

log = logging.getLogger(__name__)

#: What each mappable summary column measures (legend titles, descriptions, alt text).
METRIC_LABELS: dict[str, str] = {
    "total": "Buildings destroyed or damaged",
    "destroyed": "Buildings destroyed",
    "damaged": "Buildings damaged (not destroyed)",
    "possibly_damaged": "Buildings possibly damaged",
    "unsplit": "Buildings destroyed or damaged, not split",
    "assessed": "Buildings inspected",
    "residential": "Residential buildings destroyed or damaged",
    "residential_share": "Share of residential buildings among those hit",
}
SUMMARY_REQUIRED = ("unit_code",)
BAR_GROUPS = ("destroyed", "damaged", "unsplit")
NO_REPORTS = "No reports"
HATCH = "////"
NOT_STATED = "Not stated"  # reports exist, but none gives this measure
HATCH_NOT_STATED = "...."
GID_NOT_STATED = "damage_data:not_stated"
#: Reporting units smaller than this share of the view also get a dot.
SMALL_UNIT_SHARE = 0.005
#: gid prefixes so tests and downstream code can find what was drawn.
GID_CLASS = "damage_data:class:"
GID_NO_REPORTS = "damage_data:no_reports"
GID_STRUCTURES = "damage_data:structures:"
LABEL_FLAGS = {"disagree": "†"}


# --------------------------------------------------------------------------- helpers


def _check_summary(summary: pd.DataFrame, columns: Iterable[str]) -> None:
    if not isinstance(summary, pd.DataFrame):
        raise UsageError(
            f"expected a summary DataFrame (from damage_data.summarise), got "
            f"{type(summary).__name__}"
        )
    missing = [c for c in (*SUMMARY_REQUIRED, *columns) if c not in summary.columns]
    if missing:
        raise UsageError(
            f"summary has no column(s) {', '.join(missing)}; it has: "
            f"{', '.join(map(str, summary.columns))}. Make it with damage_data.summarise()."
        )


def _check_lang(lang: str) -> str:
    if lang not in style.LANGS:
        raise UsageError(f"unknown language {lang!r}; choose one of: {', '.join(style.LANGS)}")
    return lang


def display_names(
    codes: Iterable[str], lang: str = "en", fallback: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Display names of unit codes in ``lang`` (places resolver), else ``fallback``, else code.

    >>> display_names(["AZ-XX"], fallback={"AZ-XX": "Somewhere"})
    {'AZ-XX': 'Somewhere'}
    """
    _check_lang(lang)
    _display: Callable[[str, str], str] | None
    try:  # places is written alongside; until it is, the gazetteer's names stand in
        from .places import display_name as _display
    except ImportError:
        _display = None
    fallback = fallback or {}
    out: dict[str, str] = {}
    for code in codes:
        name = None
        if _display is not None:
            try:
                name = _display(code, lang)
            except (DamageDataError, LookupError, ValueError, KeyError):
                name = None
            if name == code:  # the resolver echoes codes it does not know
                name = None
        good_fallback = fallback.get(code)
        if good_fallback is not None and (pd.isna(good_fallback) or good_fallback == code):
            good_fallback = None
        out[code] = str(name or good_fallback or code)
    return out


def _summary_names(summary: pd.DataFrame) -> dict[str, str]:
    if "unit_name" not in summary.columns:
        return {}
    return {
        str(c): str(n)
        for c, n in zip(summary["unit_code"], summary["unit_name"], strict=True)
        if not pd.isna(n)
    }


def _gazetteer_names(codes: Iterable[str]) -> dict[str, str]:
    countries = sorted({str(c).split("-")[0] for c in codes if "-" in str(c)})
    from .places.gazetteer import BUNDLED_BOUNDARIES, bundled_units

    known = [c for c in countries if c in BUNDLED_BOUNDARIES]
    if not known:
        return {}
    units = bundled_units(known)
    return dict(zip(units["unit_code"].astype(str), units["name"].astype(str), strict=True))


def _names_for(summary: pd.DataFrame, lang: str) -> dict[str, str]:
    codes = [str(c) for c in summary["unit_code"]]
    fallback = {
        **_gazetteer_names(codes),
        **{k: v for k, v in _summary_names(summary).items() if v != k},
    }
    return display_names(codes, lang, fallback)


def _flags(value: Any) -> list[str]:
    if value is None or pd.isna(value):
        return []
    return [f for f in str(value).split(";") if f]


def _unit_rows(summary: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Rows below country level (a national figure would dwarf its districts)."""
    if "level" not in summary.columns:
        return summary
    is_country = summary["level"].astype("string").fillna("") == "country"
    if is_country.any() and (~is_country).any():
        dropped = summary.loc[is_country, "unit_code"].astype(str).tolist()
        notes.append(f"National figures ({', '.join(dropped)}) are not shown.")
        return summary.loc[~is_country]
    return summary


def _provenance_sources(
    sources: pd.DataFrame | None, source_ids: Iterable[str] | None = None
) -> list[str]:
    if sources is None or len(sources) == 0:
        return []
    table = pd.DataFrame(sources)
    if source_ids is not None and "source_id" in table.columns:
        wanted = {str(s) for s in source_ids}
        table = table.loc[table["source_id"].astype(str).isin(wanted)]
    return style.source_names(table)


def _numeric(summary: pd.DataFrame, column: str) -> pd.Series:
    return pd.to_numeric(summary[column], errors="coerce").astype("Float64")


# --------------------------------------------------------------------------- classes


#: Up to this many values, ``NaturalBreaks`` is solved exactly (Fisher-Jenks).
EXACT_BREAKS_MAX = 200


def _classifier(name: str) -> Any:
    import mapclassify

    by_lower = {c.lower(): c for c in mapclassify.CLASSIFIERS}
    real = by_lower.get(str(name).lower())
    if real is None:
        raise UnknownLabelError(
            f"unknown classification scheme {name!r}; mapclassify schemes: "
            f"{', '.join(mapclassify.CLASSIFIERS)}",
            label=name,
            known=list(mapclassify.CLASSIFIERS),
        )
    return getattr(mapclassify, real)


def classify(
    values: Sequence[float] | pd.Series,
    *,
    scheme: str = "NaturalBreaks",
    k: int = 5,
    percent: bool = False,
    lang: str = "en",
    classification_kwds: Mapping[str, Any] | None = None,
) -> tuple[np.ndarray, list[str]]:
    """Class of each (positive) value and a clean label per class (no interval brackets).

    Integer counts get labels such as ``"1–47"``, ``"48–325"``; shares get ``"41–87%"``.

    Parameters
    ----------
    values
        The values to classify (no missing values).
    scheme
        A mapclassify classifier name (case-insensitive), e.g. ``"Quantiles"``.
    k
        Number of classes (lowered to the number of distinct values).
    percent
        Values are shares (0–1): label them as percentages.
    lang
        Number formatting of the labels.
    classification_kwds
        Extra arguments for the classifier (``bins`` for ``UserDefined``).

    Returns
    -------
    (numpy.ndarray, list of str)
        Class index per value, and one label per class.

    Examples
    --------
    >>> classes, labels = classify([7, 11, 47, 160, 293, 510], scheme="Quantiles", k=3)
    >>> labels
    ['7–11', '12–160', '161–510']
    """
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        return np.zeros(0, dtype=int), []
    if np.isnan(data).any():
        raise UsageError("classify() got missing values; leave units without reports out")
    distinct = np.unique(data)
    kwds = dict(classification_kwds or {})
    exact = str(scheme).lower() == "naturalbreaks" and data.size <= EXACT_BREAKS_MAX and not kwds
    if distinct.size == 1:
        bins = np.array([distinct[0]])
        classes = np.zeros(data.size, dtype=int)
    elif exact:
        # the natural-breaks criterion solved exactly (Fisher-Jenks): deterministic, where
        # mapclassify's NaturalBreaks is a randomised heuristic, and it spares importing
        # mapclassify (1.5 s, for scipy.stats) on the default path of every map
        bins = fisher_jenks_bins(data, min(int(k), distinct.size))
        classes = np.searchsorted(bins, data, side="left")
    else:
        classifier = _classifier(scheme)
        if classifier.__name__ not in (
            "UserDefined",
            "HeadTailBreaks",
            "MaxP",
            "StdMean",
            "BoxPlot",
            "Percentiles",
        ):
            kwds.setdefault("k", max(1, min(int(k), distinct.size)))
        import warnings

        with warnings.catch_warnings():  # "not enough unique values" is handled above
            warnings.simplefilter("ignore", UserWarning)
            fitted = classifier(data, **kwds)
        bins = np.asarray(fitted.bins, dtype=float)
        classes = np.asarray(fitted.yb, dtype=int)
        # drop classes that received no value (mapclassify keeps empty top bins)
        used = np.unique(classes)
        remap = {old: new for new, old in enumerate(used)}
        classes = np.array([remap[c] for c in classes], dtype=int)
        bins = np.array(
            [
                max(data[classes == new]) if (classes == new).any() else bins[old]
                for old, new in remap.items()
            ]
        )
    labels = _class_labels(data, classes, bins, percent=percent, lang=lang)
    return classes, labels


def fisher_jenks_bins(values: Sequence[float] | np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of the ``k`` classes that minimise the within-class squared deviations.

    Fisher's exact dynamic programme over the distinct values (weighted by how often each
    occurs, so equal values always share a class): O(k·n²) with numpy over n distinct values.

    >>> fisher_jenks_bins([1, 2, 3, 20, 21, 22, 100], 3).tolist()
    [3.0, 22.0, 100.0]
    """
    x, weight = np.unique(np.asarray(values, dtype=float), return_counts=True)
    n = x.size
    k = max(1, min(int(k), n))
    w = np.concatenate([[0.0], np.cumsum(weight)])
    s1 = np.concatenate([[0.0], np.cumsum(weight * x)])
    s2 = np.concatenate([[0.0], np.cumsum(weight * x * x)])

    def spread(start: np.ndarray, end: int) -> np.ndarray:
        """Squared deviations of the distinct values start..end-1 (start is an array)."""
        total = s1[end] - s1[start]
        return (s2[end] - s2[start]) - total * total / (w[end] - w[start])

    # cost[c, j]: best cost of putting the first j distinct values into c + 1 classes
    cost = np.full((k, n + 1), np.inf)
    split = np.zeros((k, n + 1), dtype=int)
    cost[0, 1:] = [spread(np.array([0]), j)[0] for j in range(1, n + 1)]
    for c in range(1, k):
        for j in range(c + 1, n + 1):
            starts = np.arange(c, j)  # the last class holds values starts..j-1
            candidates = cost[c - 1, starts] + spread(starts, j)
            best = int(np.argmin(candidates))
            cost[c, j], split[c, j] = candidates[best], starts[best]
    ends = [n]
    for c in range(k - 1, 0, -1):
        ends.append(int(split[c, ends[-1]]))
    return np.array([x[e - 1] for e in reversed(ends)])


def _class_labels(
    data: np.ndarray, classes: np.ndarray, bins: np.ndarray, *, percent: bool, lang: str
) -> list[str]:
    labels = []
    integer = not percent and bool(np.all(np.equal(np.mod(data, 1), 0)))
    for i in range(len(bins)):
        members = data[classes == i]
        if integer:
            low = int(members.min()) if i == 0 else math.floor(bins[i - 1]) + 1
            high = math.floor(bins[i])
            low = min(low, int(members.min()))
            text = (
                format_number(low, lang)
                if low == high
                else f"{format_number(low, lang)}–{format_number(high, lang)}"
            )
        elif percent:
            low_pct, high_pct = round(100 * members.min()), round(100 * members.max())
            text = (
                format_percent(members.max(), lang)
                if low_pct == high_pct
                else f"{format_number(low_pct, lang)}–{format_percent(members.max(), lang)}"
            )
        else:
            low_f, high_f = members.min(), members.max()
            text = (
                f"{format_number(low_f, lang, decimals=1)}–"
                f"{format_number(high_f, lang, decimals=1)}"
            )
        labels.append(text)
    return labels


def ramp(n: int) -> list[str]:
    """``n`` colours of the house sequential ramp, light to dark (colour-blind safe).

    >>> len(ramp(5))
    5
    """
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps[style.SEQUENTIAL]
    if n <= 1:
        return [to_hex(cmap(0.6))]
    return [to_hex(cmap(x)) for x in np.linspace(0.25, 0.95, n)]


ZERO_COLOUR = "#fdf3e4"  # lighter than any ramp class and not hatched: zero is a report


# --------------------------------------------------------------------------- the map


def damage_map(
    summary: pd.DataFrame,
    *,
    metric: str = "total",
    units: gpd.GeoDataFrame | None = None,
    structures: gpd.GeoDataFrame | None = None,
    scheme: str = "NaturalBreaks",
    k: int = 5,
    lang: str = "en",
    legend_counts: bool = False,
    sources: pd.DataFrame | None = None,
    classification_kwds: Mapping[str, Any] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """A choropleth of one summary metric per unit, with labels, legend, inset and scale bar.

    Units without a figure are hatched "No reports" (never drawn as zero); reported zeros
    get their own class. The view is zoomed to the reporting units and their surroundings;
    an inset shows where they are in the country.

    Parameters
    ----------
    summary
        One row per unit (:func:`damage_data.summarise`).
    metric
        The summary column to map: ``total``, ``destroyed``, ``damaged``,
        ``residential_share`` or any other numeric column.
    units
        Boundaries with ``unit_code`` and geometry (any CRS); default: the bundled units of
        the countries in ``summary``. Set ``units.attrs["attribution"]`` for the footer.
    structures
        Per-structure points or polygons with a canonical ``damage`` column, drawn on top
        with a fixed colour per damage class.
    scheme, k
        A mapclassify scheme name and number of classes.
    lang
        Display names: ``en``, ``az``, ``ru``, ``hy`` or ``native``.
    legend_counts
        Add the number of units per class to the legend labels.
    sources
        The ``sources`` table, for the source line of :func:`damage_data.style.finalise`.
    classification_kwds
        Extra arguments for the classifier (``{"bins": [...]}`` with ``UserDefined``).
    ax
        Axes to draw in; default: a new figure of the house size.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from damage_data import example_figures, example_sources, summarise
    >>> ax = damage_map(summarise(example_figures(), example_sources()))
    >>> "No reports" in [t.get_text() for t in ax.get_legend().get_texts()]
    True
    """
    _check_summary(summary, [metric])
    _check_lang(lang)
    numeric_columns = [
        c for c in summary.columns if pd.api.types.is_numeric_dtype(summary[c]) and c != "n_sources"
    ]
    if metric not in numeric_columns:
        raise UsageError(
            f"cannot map {metric!r}: not a numeric summary column; choose one "
            f"of: {', '.join(numeric_columns)}"
        )
    with style.house_style():
        return _damage_map(
            summary,
            metric=metric,
            units=units,
            structures=structures,
            scheme=scheme,
            k=k,
            lang=lang,
            legend_counts=legend_counts,
            sources=sources,
            classification_kwds=classification_kwds,
            ax=ax,
        )


def _damage_map(
    summary: pd.DataFrame,
    *,
    metric: str,
    units: gpd.GeoDataFrame | None,
    structures: gpd.GeoDataFrame | None,
    scheme: str,
    k: int,
    lang: str,
    legend_counts: bool,
    sources: pd.DataFrame | None,
    classification_kwds: Mapping[str, Any] | None,
    ax: Axes | None,
) -> Axes:
    import geopandas as gpd
    from matplotlib.patches import Patch

    from .places.gazetteer import BOUNDARY_ATTRIBUTION, BUNDLED_BOUNDARIES, bundled_units

    notes: list[str] = []
    values = summary.loc[summary["unit_code"].notna(), ["unit_code", metric]].copy()
    if len(values) < len(summary):
        n = len(summary) - len(values)
        notes.append(f"Not mapped: {n} {'row' if n == 1 else 'rows'} without a unit.")
    values["unit_code"] = values["unit_code"].astype(str)
    if values["unit_code"].duplicated().any():
        dupes = sorted(set(values.loc[values["unit_code"].duplicated(), "unit_code"]))
        raise UsageError(
            f"summary has several rows for {', '.join(dupes)}; a map needs one "
            "row per unit (use summarise(), not by_source=True)"
        )
    values[metric] = _numeric(summary.loc[values.index], metric).to_numpy()

    # boundaries ---------------------------------------------------------------------------
    context: gpd.GeoDataFrame | None = None
    if units is None:
        countries = sorted({c.split("-")[0] for c in values["unit_code"] if "-" in c})
        bundled = [c for c in countries if c in BUNDLED_BOUNDARIES]
        if not bundled:
            raise UsageError(
                f"no bundled boundaries for the units in this summary "
                f"({', '.join(values['unit_code'].head(5))}); bundled countries: "
                f"{', '.join(BUNDLED_BOUNDARIES)}. Pass units=<GeoDataFrame with unit_code>."
            )
        boundaries = bundled_units(bundled)
        others = [c for c in BUNDLED_BOUNDARIES if c not in bundled]
        context = bundled_units(others) if others else None
        attribution = BOUNDARY_ATTRIBUTION.split(";")[0]
    else:
        if "unit_code" not in units.columns or not isinstance(units, gpd.GeoDataFrame):
            raise UsageError(
                "units must be a GeoDataFrame with a unit_code column; it has: "
                f"{', '.join(map(str, units.columns))}"
            )
        if units.crs is None:
            raise UsageError("units have no CRS; set one (units.set_crs('EPSG:4326'))")
        boundaries = units.copy()
        boundaries["unit_code"] = boundaries["unit_code"].astype(str)
        attribution = str(units.attrs.get("attribution") or "Boundaries: user-supplied")

    mapped = set(boundaries["unit_code"])
    reported = values.loc[values[metric].notna()]
    unmapped = sorted(set(reported["unit_code"]) - mapped)
    if unmapped:
        log.info("not on the map (no boundary): %s", ", ".join(unmapped))
        levels = (
            summary.set_index(summary["unit_code"].astype(str))["level"].astype(str).to_dict()
            if "level" in summary.columns
            else {}
        )
        national = [c for c in unmapped if levels.get(c) == "country"]
        other = [c for c in unmapped if c not in national]
        if national:
            notes.append(f"National figures ({', '.join(national)}) are not mapped.")
        if other:
            notes.append(f"Not mapped (no boundary): {', '.join(other)}.")
    boundaries = boundaries.drop(columns=[metric], errors="ignore")  # the summary's wins
    data = boundaries.merge(values, on="unit_code", how="left")
    has_value = data[metric].notna()
    if not has_value.any():
        raise UsageError(
            f"no unit of the summary has a {metric!r} value on these boundaries; "
            f"units in the summary: {', '.join(values['unit_code'].head(8))}"
        )

    # projection and view ------------------------------------------------------------------
    bounds = data.loc[has_value].to_crs("EPSG:4326").total_bounds  # any input CRS
    lon0, lat0 = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
    # a transverse Mercator centred on the data keeps shapes and the scale bar true locally
    crs = (
        f"+proj=tmerc +lat_0={lat0:.4f} +lon_0={lon0:.4f} +k=1 +x_0=0 +y_0=0 "
        "+datum=WGS84 +units=m +no_defs"
    )
    data = data.to_crs(crs)
    ctx = context.to_crs(crs) if context is not None and len(context) else None
    x0, y0, x1, y1 = data.loc[has_value].total_bounds
    span = max(x1 - x0, y1 - y0, 20_000.0)
    pad = 0.12 * span
    view = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)

    # draw ---------------------------------------------------------------------------------
    ax = style.new_axes(ax)
    ax.set_facecolor("white")
    ax.set_axis_off()
    in_view = data.cx[view[0] : view[2], view[1] : view[3]]
    # the aspect ratio of the final axes widens the view: draw a generous surrounding
    w_, h_ = view[2] - view[0], view[3] - view[1]
    around = (view[0] - 1.5 * w_, view[1] - 1.5 * h_, view[2] + 1.5 * w_, view[3] + 1.5 * h_)
    drawn = data.cx[around[0] : around[2], around[1] : around[3]]
    if ctx is not None:
        ctx_view = ctx.cx[around[0] : around[2], around[1] : around[3]]
        if len(ctx_view):
            _add_polygons(
                ax,
                ctx_view.geometry,
                facecolor=style.CONTEXT,
                edgecolor="white",
                linewidth=0.4,
                zorder=0.5,
                gid="damage_data:context",
            )
    # a unit with reports but none for this measure is not a unit without reports
    in_summary = drawn["unit_code"].isin(set(values["unit_code"]))
    no_reports = drawn.loc[drawn[metric].isna() & ~in_summary]
    not_stated = drawn.loc[drawn[metric].isna() & in_summary]
    handles: list[Any] = []
    labels: list[str] = []
    if len(no_reports):
        _add_polygons(
            ax,
            no_reports.geometry,
            facecolor=style.NO_DATA,
            edgecolor=style.NO_DATA_HATCH,
            linewidth=0.0,
            hatch=HATCH,
            zorder=1,
            gid=GID_NO_REPORTS,
        )
    if len(not_stated):
        _add_polygons(
            ax,
            not_stated.geometry,
            facecolor="white",
            edgecolor=style.NO_DATA_HATCH,
            linewidth=0.0,
            hatch=HATCH_NOT_STATED,
            zorder=1,
            gid=GID_NOT_STATED,
        )
    percent = metric.endswith("_share")
    reported_geo = data.loc[has_value]
    vals = reported_geo[metric].astype(float).to_numpy()
    zero = vals == 0
    classes, class_labels = classify(
        vals[~zero],
        scheme=scheme,
        k=k,
        percent=percent,
        lang=lang,
        classification_kwds=classification_kwds,
    )
    colours = ramp(len(class_labels))
    unit_class = pd.Series(-1, index=reported_geo.index)
    unit_class.loc[reported_geo.index[~zero]] = classes
    entries: list[tuple[str, str, pd.Index]] = []
    if zero.any():
        entries.append(("0", ZERO_COLOUR, reported_geo.index[zero]))
    for i, (label, colour) in enumerate(zip(class_labels, colours, strict=True)):
        entries.append((label, colour, unit_class.index[unit_class.to_numpy() == i]))
    view_area = (view[2] - view[0]) * (view[3] - view[1])
    for label, colour, index in entries:
        geoms = data.loc[index].geometry
        _add_polygons(
            ax,
            geoms,
            facecolor=colour,
            edgecolor="none",
            linewidth=0,
            zorder=2,
            gid=GID_CLASS + label,
        )
        # a city of a few km² is invisible at district scale: mark it with a dot as well
        small = geoms.area < SMALL_UNIT_SHARE * view_area
        if small.any():
            points = geoms.loc[small].representative_point()
            dots = ax.scatter(
                points.x, points.y, s=28, c=colour, edgecolors=style.INK, linewidths=0.6, zorder=3.5
            )
            dots.set_gid(GID_CLASS + label + ":dots")
        count = f" ({len(index)})" if legend_counts else ""
        handles.append(
            Patch(facecolor=colour, edgecolor="#d0d0d0" if label == "0" else colour, linewidth=0.5)
        )
        labels.append(label + count)
    if len(not_stated):
        handles.append(
            Patch(
                facecolor="white",
                edgecolor=style.NO_DATA_HATCH,
                hatch=HATCH_NOT_STATED,
                linewidth=0.0,
            )
        )
        n_view = int(
            (in_view[metric].isna() & in_view["unit_code"].isin(set(values["unit_code"]))).sum()
        )
        labels.append(NOT_STATED + (f" ({n_view})" if legend_counts else ""))
    if len(no_reports):
        handles.append(
            Patch(
                facecolor=style.NO_DATA, edgecolor=style.NO_DATA_HATCH, hatch=HATCH, linewidth=0.0
            )
        )
        n_view = int(
            (in_view[metric].isna() & ~in_view["unit_code"].isin(set(values["unit_code"]))).sum()
        )
        labels.append(NO_REPORTS + (f" ({n_view})" if legend_counts else ""))
    _add_rings(
        ax,
        drawn.geometry,
        color=style.BOUNDARY,
        linewidth=0.7,
        zorder=3,
        gid="damage_data:boundaries",
    )
    # the country outline keeps exclaves and coasts readable against the context land
    country = data.geometry.union_all()
    _add_rings(ax, [country], color="#8c8c8c", linewidth=0.6, zorder=3.1, gid="damage_data:country")

    style.key_legend(
        ax,
        handles,
        labels,
        title=METRIC_LABELS.get(metric, metric.replace("_", " ").capitalize()),
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncols=len(handles),
        frameon=False,
        handlelength=1.6,
        handleheight=1.0,
        handletextpad=0.4,
        columnspacing=1.0,
        borderaxespad=0.2,
        borderpad=0.0,
        alignment="left",
        title_fontproperties={"size": style.SMALL_SIZE + 1, "weight": "bold"},
    )

    # structures --------------------------------------------------------------------------
    # the view is the data extent (collections are added without autolim); auto=None keeps
    # autoscaling on, which the datalim aspect needs to widen the view quietly
    ax.update_datalim([(view[0], view[1]), (view[2], view[3])])
    ax.set_xlim(view[0], view[2], auto=None)
    ax.set_ylim(view[1], view[3], auto=None)
    ax.set_aspect("equal", adjustable="datalim")
    corners = _free_corners(data.loc[has_value].union_all(), view)
    _draw_inset(ax, country, ctx, corners.pop(0))
    bottom = [c for c in corners if c.startswith("lower")] or corners
    _draw_scale_bar(ax, view, bottom[0], lang)
    if structures is not None and len(structures):
        free = [c for c in corners if c != bottom[0]]
        _draw_structures(ax, structures, crs, corner=free[0])

    # labels -------------------------------------------------------------------------------
    fallback = (
        dict(zip(data["unit_code"], data["name"].astype(str), strict=True))
        if "name" in data.columns
        else {}
    )
    fallback.update({c: n for c, n in _summary_names(summary).items() if n != c})
    names = display_names(data["unit_code"], lang, fallback)
    flags = (
        dict(zip(summary["unit_code"].astype(str), summary["flags"], strict=True))
        if "flags" in summary.columns
        else {}
    )
    layer = _LabelLayer(ax)
    anchors = in_view.representative_point()
    order = in_view.assign(_v=in_view[metric].astype(float).fillna(-1.0)).sort_values(
        "_v", ascending=False
    )
    marked = False
    # only the neighbours of reporting units are named: the rest is context
    neighbours = in_view.intersects(data.loc[has_value].union_all().buffer(1000))
    for idx, row in order.iterrows():
        code = str(row["unit_code"])
        point = anchors.loc[idx]
        if pd.isna(row[metric]):
            stated = code in set(values["unit_code"])
            if not (neighbours.loc[idx] or stated):
                continue
            layer.add(
                names[code],
                (point.x, point.y),
                priority=1 if not stated else 0,
                required=False,
                size=style.SMALL_SIZE,
                color="#7a7a7a",
                weight="normal",
            )
            continue
        value = format_percent(row[metric], lang) if percent else format_number(row[metric], lang)
        mark = "".join(s for f, s in LABEL_FLAGS.items() if f in _flags(flags.get(code)))
        marked = marked or bool(mark)
        layer.add(
            f"{names[code]}{mark}\n{value}",
            (point.x, point.y),
            priority=0,
            required=True,
            size=style.LABEL_SIZE,
            color=style.INK,
            weight="bold",
            off_anchor=bool(row.geometry.area < SMALL_UNIT_SHARE * view_area),
        )
    ax.add_artist(layer)
    if marked:
        notes.append("† Sources disagree; the figure shown is the best-ranked source's.")

    reporting = data.loc[has_value].sort_values(metric, ascending=False)
    top = [
        f"{names[c]} ({format_percent(v, lang) if percent else format_number(v, lang)})"
        for c, v in zip(reporting["unit_code"], reporting[metric], strict=True)
    ]
    countries_named = sorted({c.split("-")[0] for c in reporting["unit_code"]})
    alt = (
        f"Map ({', '.join(countries_named)}) of "
        f"{METRIC_LABELS.get(metric, metric).lower()} per unit, for {len(reporting)} units "
        f"with reports: {style.describe_list(top, limit=6)}. "
        f"Surrounding units without reports are hatched."
    )
    set_provenance(
        ax,
        Provenance(
            kind="map",
            sources=_provenance_sources(sources),
            boundaries=attribution,
            notes=notes,
            alt_text=alt,
        ),
    )
    return ax


def _rings(geom: Any) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates of every ring of a (multi)polygon and the start index of each ring."""
    import shapely

    rings = shapely.get_rings(shapely.get_parts(geom))
    coords, index = shapely.get_coordinates(rings, return_index=True)
    starts = np.r_[0, np.flatnonzero(np.diff(index)) + 1] if len(coords) else np.zeros(0, int)
    return coords, starts


def _add_polygons(
    ax: Axes, geoms: Iterable[Any], *, gid: str | None = None, **kwargs: Any
) -> PathCollection:
    """One PathCollection for polygons (holes kept).

    Built here rather than with ``GeoSeries.plot`` because that redraws the whole figure
    after every call (``plt.draw()``), which made a map five times slower.
    """
    paths = []
    for geom in geoms:
        if geom is None or geom.is_empty:
            continue
        coords, starts = _rings(geom)
        codes = np.full(len(coords), MplPath.LINETO, dtype=MplPath.code_type)
        codes[starts] = MplPath.MOVETO
        codes[np.r_[starts[1:] - 1, len(coords) - 1]] = MplPath.CLOSEPOLY
        paths.append(MplPath(coords, codes))
    collection = PathCollection(paths, **kwargs)
    if gid:
        collection.set_gid(gid)
    ax.add_collection(collection, autolim=False)
    return collection


def _add_rings(
    ax: Axes, geoms: Iterable[Any], *, gid: str | None = None, **kwargs: Any
) -> LineCollection:
    """Polygon outlines as one LineCollection."""
    segments: list[np.ndarray] = []
    for geom in geoms:
        if geom is None or geom.is_empty:
            continue
        coords, starts = _rings(geom)
        segments.extend(np.split(coords, starts[1:]))
    collection = LineCollection(segments, **kwargs)
    if gid:
        collection.set_gid(gid)
    ax.add_collection(collection, autolim=False)
    return collection


def _free_corners(reporting: Any, view: tuple[float, float, float, float]) -> list[str]:
    """Corners of the view ordered by how little of the reporting units they cover."""
    from shapely.geometry import box

    x0, y0, x1, y1 = view
    w, h = (x1 - x0) * 0.34, (y1 - y0) * 0.36
    boxes = {
        "upper left": box(x0, y1 - h, x0 + w, y1),
        "upper right": box(x1 - w, y1 - h, x1, y1),
        "lower left": box(x0, y0, x0 + w, y0 + h),
        "lower right": box(x1 - w, y0, x1, y0 + h),
    }
    order = ("upper left", "upper right", "lower right", "lower left")  # ties: a stable order
    return sorted(order, key=lambda c: reporting.intersection(boxes[c]).area)


_CORNER_BOUNDS = {
    "upper left": (0.0, 0.70),
    "upper right": (0.75, 0.70),
    "lower left": (0.0, 0.0),
    "lower right": (0.75, 0.0),
}


def _shows_whole_country(country: Any, view: tuple[float, float, float, float]) -> bool:
    """True when the view covers at least 80% of the country's bounding box."""
    from shapely.geometry import box

    bounds = box(*country.bounds)
    return bool(bounds.area) and bounds.intersection(box(*view)).area >= 0.8 * bounds.area


def _draw_inset(ax: Axes, country: Any, ctx: gpd.GeoDataFrame | None, corner: str) -> Axes:
    from matplotlib.patches import Rectangle

    x, y = _CORNER_BOUNDS[corner]
    inset = ax.inset_axes((x, y, 0.25, 0.30), zorder=6)
    inset.set_gid("damage_data:inset")
    minx, miny, maxx, maxy = country.bounds
    pad = 0.08 * max(maxx - minx, maxy - miny)
    if ctx is not None and len(ctx):
        near = ctx.cx[minx - pad : maxx + pad, miny - pad : maxy + pad]
        if len(near):
            _add_polygons(
                inset, near.geometry, facecolor="#f1f1f1", edgecolor="white", linewidth=0.3
            )
    _add_polygons(inset, [country], facecolor="#c9c9c9", edgecolor="#9a9a9a", linewidth=0.3)
    inset.update_datalim([(minx - pad, miny - pad), (maxx + pad, maxy + pad)])
    inset.set_xlim(minx - pad, maxx + pad, auto=None)
    inset.set_ylim(miny - pad, maxy + pad, auto=None)
    inset.set_aspect("equal", adjustable="datalim")
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_xlabel("")
    inset.set_ylabel("")
    inset.set_facecolor("white")
    for spine in inset.spines.values():
        spine.set_visible(True)
        spine.set_edgecolor("#b5b5b5")
        spine.set_linewidth(0.6)
    rect = Rectangle((0, 0), 1, 1, facecolor="none", edgecolor=style.INK, linewidth=0.9, zorder=5)
    inset.add_patch(rect)

    def follow(_changed: Any) -> None:
        (a, b), (c, d) = ax.get_xlim(), ax.get_ylim()
        rect.set_bounds(a, c, b - a, d - c)
        # the locator shows the country and the whole frame of the main view
        margin = 0.03 * max(maxx - minx, maxy - miny)
        x0, x1 = min(minx - pad, a - margin), max(maxx + pad, b + margin)
        y0, y1 = min(miny - pad, c - margin), max(maxy + pad, d + margin)
        inset.ignore_existing_data_limits = True
        inset.update_datalim([(x0, y0), (x1, y1)])
        inset.set_xlim(x0, x1, auto=None)
        inset.set_ylim(y0, y1, auto=None)
        # a locator adds nothing when the map already shows the whole country
        inset.set_visible(not _shows_whole_country(country, (a, c, b, d)))

    follow(None)
    ax.callbacks.connect("xlim_changed", follow)
    ax.callbacks.connect("ylim_changed", follow)
    return inset


def nice_length(target_m: float) -> float:
    """The largest 1-2-2.5-5 × 10ⁿ metres not above ``target_m`` (scale-bar lengths).

    >>> nice_length(23_000)
    20000.0
    """
    if target_m <= 0:
        raise UsageError("scale bar length must be positive")
    exponent = math.floor(math.log10(target_m))
    if 10.0**exponent > target_m:  # log10 rounds up just below a power of ten
        exponent -= 1
    best = 10.0**exponent
    for step in (1, 2, 2.5, 5, 10):
        if step * 10.0**exponent <= target_m:
            best = step * 10.0**exponent
    return float(best)


def _draw_scale_bar(
    ax: Axes, view: tuple[float, float, float, float], corner: str, lang: str
) -> None:
    from matplotlib.font_manager import FontProperties
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    length = nice_length(0.2 * (view[2] - view[0]))
    km = length / 1000
    label = f"{format_number(km, lang, decimals=1 if km % 1 else 0)} km"
    bar = AnchoredSizeBar(
        ax.transData,
        length,
        label,
        loc=corner,
        pad=0.3,
        borderpad=0.4,
        sep=2,
        frameon=False,
        size_vertical=0,
        color=style.MUTED,
        label_top=True,
        fontproperties=FontProperties(family=style.FONT_FAMILY, size=style.SMALL_SIZE),
    )
    bar.set_gid("damage_data:scale_bar")
    bar.set_zorder(6)
    ax.add_artist(bar)


def _draw_structures(
    ax: Axes, structures: gpd.GeoDataFrame, crs: str, *, corner: str = "upper right"
) -> None:
    from matplotlib.lines import Line2D

    from .vocab import DAMAGE_STATES

    if "damage" not in structures.columns:
        raise UsageError(
            "structures need a canonical 'damage' column (see "
            "damage_data.classify_damage); they have: "
            f"{', '.join(map(str, structures.columns))}"
        )
    if structures.crs is None:
        raise UsageError("structures have no CRS; set one (structures.set_crs('EPSG:4326'))")
    damage = structures["damage"].astype("string")
    unknown = sorted(set(damage.dropna()) - set(DAMAGE_STATES))
    if unknown:
        raise UnknownLabelError(
            f"structures.damage: unknown value(s) {', '.join(map(repr, unknown))}; "
            f"known values: {', '.join(DAMAGE_STATES)}",
            label=unknown[0],
            known=list(DAMAGE_STATES),
        )
    points = structures.to_crs(crs)
    geoms = points.geometry
    if not (geoms.geom_type == "Point").all():
        geoms = geoms.representative_point()
    xs, ys = geoms.x.to_numpy(), geoms.y.to_numpy()
    # least severe first so destroyed structures are drawn on top
    order = [
        "none",
        "unassessed",
        "possible",
        "minor",
        "moderate",
        "damaged",
        "severe",
        "damaged_or_destroyed",
        "destroyed",
    ]
    handles, labels = [], []
    present = set(damage.dropna())
    for state in [s for s in order if s in present]:
        mask = (damage == state).fillna(False).to_numpy()
        colour = style.DAMAGE_COLOURS[state]
        coll = ax.scatter(
            xs[mask],
            ys[mask],
            s=5,
            c=colour,
            linewidths=0.2,
            edgecolors="white",
            zorder=4,
            rasterized=mask.sum() > 5000,
        )
        coll.set_gid(GID_STRUCTURES + state)
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=4,
                markerfacecolor=colour,
                markeredgecolor="white",
            )
        )
        labels.append(state.replace("_", " ").capitalize())
    # an artist of its own, so the choropleth key stays the axes legend (re-flowed by layout)
    second = Legend(
        ax,
        handles[::-1],
        labels[::-1],
        title="Structures",
        loc=corner,  # type: ignore[arg-type]
        frameon=True,
        framealpha=0.9,
        edgecolor="none",
        title_fontproperties={"size": style.SMALL_SIZE, "weight": "bold"},
        fontsize=style.SMALL_SIZE,
        borderpad=0.4,
    )
    second.set_gid("damage_data:structures_legend")
    second.set_zorder(7)
    ax.add_artist(second)


class _LabelLayer(Artist):
    """Unit labels placed greedily at draw time so they never overlap.

    Done at draw time because :func:`finalise` and export presets resize the axes, and text
    sizes stay in points while the map scales. Each label tries positions around its anchor;
    required labels (units with reports) may move further out with a leader line. Labels
    that find no free place are hidden (never drawn over another label).
    """

    NEAR = (
        (0, 0),
        (0, 13),
        (0, -13),
        (22, 0),
        (-22, 0),
        (18, 12),
        (-18, 12),
        (18, -12),
        (-18, -12),
    )
    FAR = (
        (0, 20),
        (0, -20),
        (28, 0),
        (-28, 0),
        (24, 16),
        (-24, 16),
        (24, -16),
        (-24, -16),
        (0, 32),
        (0, -32),
        (40, 0),
        (-40, 0),
        (36, 26),
        (-36, 26),
        (36, -26),
        (-36, -26),
    )

    def __init__(self, ax: Axes) -> None:
        super().__init__()
        self.axes = ax
        self._ax: Axes = ax  # typed handle (Artist.axes is Optional)
        self.set_zorder(4.9)  # before the texts (zorder 5), so they draw where placed
        self.items: list[dict[str, Any]] = []
        self.leaders: list[Line2D] = []

    def add(
        self,
        text: str,
        xy: tuple[float, float],
        *,
        priority: int,
        required: bool,
        size: float,
        color: str,
        weight: str,
        off_anchor: bool = False,
        candidates: Sequence[tuple[int, int]] | None = None,
        gid: str = "damage_data:label",
        leader: bool = True,
    ) -> Text:
        """Add one label anchored at ``xy`` (data coordinates)."""
        artist = self._ax.text(
            xy[0],
            xy[1],
            text,
            ha="center",
            va="center",
            fontsize=size,
            color=color,
            fontweight=weight,
            zorder=5,
            linespacing=1.1,
            path_effects=[patheffects.withStroke(linewidth=2.2, foreground="white")],
        )
        artist.set_gid(gid)
        artist.set_in_layout(False)  # placed inside the axes at draw time
        self.items.append(
            {
                "text": artist,
                "xy": xy,
                "priority": priority,
                "required": required,
                "off_anchor": off_anchor,
                "candidates": tuple(candidates) if candidates is not None else None,
                "leader": leader,
            }
        )
        return artist

    def _obstacles(self, renderer: RendererBase) -> list[Bbox]:
        ax = self._ax
        found = [
            child.get_window_extent(renderer) for child in ax.child_axes if child.get_visible()
        ]
        # a dot of s=28 pt² and its edge
        radius = 5 * renderer.points_to_pixels(1.0)  # type: ignore[operator]
        for collection in ax.collections:  # the dots marking small units stay visible
            if (collection.get_gid() or "").endswith(":dots"):
                for x, y in ax.transData.transform(collection.get_offsets()):
                    found.append(Bbox.from_extents(x - radius, y - radius, x + radius, y + radius))
        for artist in [*ax.artists, ax.get_legend()]:
            if artist is not None and artist is not self and artist.get_visible():
                found.append(artist.get_window_extent(renderer))
        return found

    def draw(self, renderer: RendererBase) -> None:
        ax = self._ax
        fig = ax.get_figure(root=True)
        if fig is None or not self.get_visible():
            return
        axbox = ax.get_window_extent(renderer)
        blocked = self._obstacles(renderer)
        placed: list[Bbox] = []
        self.leaders = []
        for item in sorted(self.items, key=lambda i: i["priority"]):
            text: Text = item["text"]
            candidates = item["candidates"] or (self.NEAR + (self.FAR if item["required"] else ()))
            if item["off_anchor"]:  # keep the dot of a small unit visible
                candidates = tuple((dx, dy) for dx, dy in candidates if (dx, dy) != (0, 0))
            best: tuple[float, tuple[int, int], Bbox] | None = None
            for dx, dy in candidates:
                text.set_transform(offset_copy(ax.transData, fig, x=dx, y=dy, units="points"))
                box = text.get_window_extent(renderer).expanded(1.04, 1.1)
                inside = (
                    box.x0 >= axbox.x0
                    and box.x1 <= axbox.x1
                    and box.y0 >= axbox.y0
                    and box.y1 <= axbox.y1
                )
                overlap = sum(_overlap_area(box, o) for o in (*placed, *blocked))
                if inside and overlap == 0:
                    best = (0.0, (dx, dy), box)
                    break
            if best is None:
                text.set_visible(False)
                if item["required"]:
                    log.warning("no room for the label %r on the map", text.get_text())
                continue
            _none, (dx, dy), box = best
            text.set_transform(offset_copy(ax.transData, fig, x=dx, y=dy, units="points"))
            text.set_visible(True)
            placed.append(box)
            if item["required"] and item["leader"] and (abs(dx) >= 25 or abs(dy) >= 25):
                self._leader(item["xy"], box, dx, dy, renderer)

    def _leader(
        self, xy: tuple[float, float], box: Bbox, dx: float, dy: float, renderer: RendererBase
    ) -> None:
        """A thin line from the anchor to the near edge of a label moved far from it."""
        ax = self._ax
        if dy > 0:
            end = ((box.x0 + box.x1) / 2, box.y0)
        elif dy < 0:
            end = ((box.x0 + box.x1) / 2, box.y1)
        else:
            end = (box.x0 if dx > 0 else box.x1, (box.y0 + box.y1) / 2)
        start = ax.transData.transform(xy)
        line = Line2D(
            [start[0], end[0]],
            [start[1], end[1]],
            color=style.MUTED,
            linewidth=0.5,
            transform=IdentityTransform(),
        )
        line.set_figure(ax.get_figure(root=False))  # type: ignore[arg-type]
        line.set_gid("damage_data:leader")
        line.draw(renderer)
        self.leaders.append(line)

    def get_window_extent(self, renderer: Any = None) -> Bbox:
        return Bbox.null()


def _overlap_area(a: Any, b: Any) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return float(w * h) if w > 0 and h > 0 else 0.0


# --------------------------------------------------------------------------- bar charts


def _hbar_frame(ax: Axes, n: int) -> None:
    ax.set_ylim(-0.6, n - 0.4)
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color("#cfcfcf")
    ax.tick_params(axis="y", length=0, pad=4, labelcolor=style.INK)
    ax.xaxis.set_visible(False)


def damage_bars(
    summary: pd.DataFrame,
    *,
    lang: str = "en",
    sources: pd.DataFrame | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Stacked horizontal bars of destroyed, damaged and unsplit buildings per unit.

    Units are sorted from most to least affected; totals and (where they fit) the parts are
    written on the bars, and the parts are named in a key above them.

    Parameters
    ----------
    summary
        One row per unit (:func:`damage_data.summarise`).
    lang
        Display names and number format: ``en``, ``az``, ``ru``, ``hy``, ``native``.
    sources
        The ``sources`` table, for the source line of :func:`damage_data.style.finalise`.
    ax
        Axes to draw in; default: a new figure of the house size.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"unit_code": ["AZ-TAR", "AZ-CAB"], "destroyed": [68, 0],
    ...                   "damaged": [225, 47], "unsplit": [None, None]})
    >>> ax = damage_bars(s)
    >>> [round(p.get_width()) for p in ax.containers[0]]  # destroyed, smallest bar first
    [0, 68]
    """
    _check_summary(summary, BAR_GROUPS)
    _check_lang(lang)
    with style.house_style():
        notes: list[str] = []
        rows = _unit_rows(summary, notes)
        parts = pd.DataFrame(
            {g: _numeric(rows, g).fillna(0).astype(float).to_numpy() for g in BAR_GROUPS},
            index=rows.index,
        )
        any_value = pd.concat([_numeric(rows, g).notna() for g in BAR_GROUPS], axis=1).any(axis=1)
        rows, parts = rows.loc[any_value], parts.loc[any_value]
        if rows.empty:
            raise UsageError(
                "no unit of the summary has a destroyed, damaged or unsplit figure to chart"
            )
        totals = parts.sum(axis=1)
        order = totals.sort_values(ascending=True, kind="stable").index  # largest on top
        rows, parts, totals = rows.loc[order], parts.loc[order], totals.loc[order]
        names = _names_for(rows, lang)
        ax = style.new_axes(ax)
        y = np.arange(len(rows))
        left = np.zeros(len(rows))
        scale = float(totals.max()) or 1.0
        present = [g for g in BAR_GROUPS if (parts[g] > 0).any()] or ["damaged"]
        n_parts = (parts > 0).sum(axis=1).to_numpy()  # parts are labelled only in mixed bars
        for group in present:
            widths = parts[group].to_numpy()
            bars = ax.barh(
                y,
                widths,
                left=left,
                height=0.62,
                color=style.GROUP_COLOURS[group],
                label=style.GROUP_LABELS[group],
                edgecolor="white",
                linewidth=0.5,
            )
            for patch in bars:
                patch.set_gid(f"damage_data:bars:{group}")
            text_colour = "white" if group in ("destroyed", "unsplit") else style.INK
            for yi, (x, w) in enumerate(zip(left, widths, strict=True)):
                if w / scale >= 0.07 and n_parts[yi] > 1:
                    ax.text(
                        x + w / 2,
                        yi,
                        format_number(w, lang),
                        ha="center",
                        va="center",
                        fontsize=style.SMALL_SIZE,
                        color=text_colour,
                        gid=f"damage_data:part:{group}",
                    )
            left = left + widths
        for yi, total in enumerate(totals):
            ax.annotate(
                format_number(total, lang),
                (total, yi),
                xytext=(4, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=style.LABEL_SIZE,
                fontweight="bold",
                color=style.INK,
                gid="damage_data:total",
            )
        flags = rows["flags"] if "flags" in rows.columns else pd.Series([None] * len(rows))
        marks = ["".join(s for f, s in LABEL_FLAGS.items() if f in _flags(v)) for v in flags]
        ax.set_yticks(
            y, [f"{names[str(c)]}{m}" for c, m in zip(rows["unit_code"], marks, strict=True)]
        )
        _hbar_frame(ax, len(rows))
        ax.set_xlim(0, scale * 1.12)
        handles, keys = ax.get_legend_handles_labels()
        style.key_legend(
            ax,
            handles,
            keys,
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncols=len(present),
            frameon=False,
            handlelength=1.0,
            handleheight=1.0,
            handletextpad=0.4,
            columnspacing=1.2,
            borderaxespad=0.3,
            fontsize=style.SMALL_SIZE + 0.5,
        )
        if any(marks):
            notes.append("† Sources disagree; the figure shown is the best-ranked source's.")
        if len(present) > 1:
            notes.append("Destroyed and damaged never overlap.")
        ranked = [
            f"{names[str(c)]} {format_number(t, lang)}"
            for c, t in zip(rows["unit_code"][::-1], totals[::-1], strict=True)
        ]
        alt = (
            f"Bar chart of buildings destroyed or damaged per unit, "
            f"{len(rows)} units, largest first: {style.describe_list(ranked, limit=8)}."
        )
        set_provenance(
            ax,
            Provenance(
                kind="chart", sources=_provenance_sources(sources), notes=notes, alt_text=alt
            ),
        )
    return ax


def _share_denominator(residential: Any, share: Any, total: Any) -> int | None:
    """Size of the reported set a residential share was computed in.

    The unit's total when it gives the share, else ``residential / share`` (shares are
    rounded to three decimals, so the total is checked first).
    """
    if pd.isna(residential) or pd.isna(share):
        return None
    r, s = float(residential), float(share)
    if not pd.isna(total) and float(total) > 0 and abs(r / float(total) - s) < 0.001:
        return int(total)
    if s > 0:
        return round(r / s)
    return None if pd.isna(total) else int(total)


def residential_share(
    summary: pd.DataFrame,
    *,
    lang: str = "en",
    sources: pd.DataFrame | None = None,
    ax: Axes | None = None,
) -> Axes:
    """The residential share of the buildings hit, per unit, with the counts behind it.

    Each bar runs on a 0–100% track and is labelled like ``"87% · 41 of 47"``; the
    denominator is the reported set the share was computed in (DESIGN §4).

    Parameters
    ----------
    summary
        One row per unit with ``residential`` and ``residential_share``.
    lang
        Display names and number format.
    sources
        The ``sources`` table, for the source line.
    ax
        Axes to draw in; default: a new figure of the house size.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"unit_code": ["AZ-CAB"], "residential": [41],
    ...                   "residential_share": [0.872], "total": [47]})
    >>> ax = residential_share(s)
    >>> [t.get_text() for t in ax.texts]
    ['87% · 41 of 47']
    """
    _check_summary(summary, ["residential_share"])
    _check_lang(lang)
    with style.house_style():
        notes: list[str] = []
        rows = _unit_rows(summary, notes)
        share = _numeric(rows, "residential_share")
        rows, share = rows.loc[share.notna()], share.loc[share.notna()].astype(float)
        if rows.empty:
            raise UsageError("no unit of the summary has a residential share to chart")
        order = share.sort_values(ascending=True, kind="stable").index
        rows, share = rows.loc[order], share.loc[order]
        names = _names_for(rows, lang)
        ax = style.new_axes(ax)
        y = np.arange(len(rows))
        ax.barh(y, np.ones(len(rows)), height=0.56, color="#ececec", zorder=1)
        bars = ax.barh(
            y,
            share.to_numpy(),
            height=0.56,
            color=style.OKABE_ITO[4],
            zorder=2,
            label="Residential",
        )
        for patch in bars:
            patch.set_gid("damage_data:bars:residential_share")
        resid = (
            _numeric(rows, "residential")
            if "residential" in rows.columns
            else pd.Series(pd.NA, index=rows.index, dtype="Float64")
        )
        total = (
            _numeric(rows, "total")
            if "total" in rows.columns
            else pd.Series(pd.NA, index=rows.index, dtype="Float64")
        )
        for yi, (s, r, t) in enumerate(zip(share, resid, total, strict=True)):
            label = format_percent(s, lang)
            if not pd.isna(r):
                denominator = _share_denominator(r, s, t)
                if denominator is not None:
                    label += f" · {format_number(r, lang)} of {format_number(denominator, lang)}"
            ax.annotate(
                label,
                (1.0, yi),
                xytext=(6, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=style.LABEL_SIZE,
                color=style.INK,
                gid="damage_data:share",
            )
        ax.set_yticks(y, [names[str(c)] for c in rows["unit_code"]])
        _hbar_frame(ax, len(rows))
        ax.set_xlim(0, 1.0)
        notes.append("Share of residential buildings within each unit's reported set.")
        ranked = [
            f"{names[str(c)]} {format_percent(s, lang)}"
            for c, s in zip(rows["unit_code"][::-1], share[::-1], strict=True)
        ]
        alt = (
            f"Bar chart of the residential share of damaged or destroyed buildings, "
            f"{len(rows)} units: {style.describe_list(ranked, limit=8)}."
        )
        set_provenance(
            ax,
            Provenance(
                kind="chart", sources=_provenance_sources(sources), notes=notes, alt_text=alt
            ),
        )
    return ax


# --------------------------------------------------------------------------- timeline

#: Where a value label may sit around its point (points): above, below, then aside.
VALUE_LABEL_OFFSETS = (
    (0, 11), (0, -11), (18, 8), (-18, 8), (18, -8), (-18, -8), (0, 22), (0, -22),
)  # fmt: skip
CORRECTION_FLAGS = ("correction", "corrected", "supersedes", "superseded", "revised")


def _damage_states(damage: str) -> tuple[str, ...]:
    from .vocab import DAMAGE_GROUPS, DAMAGE_STATES

    if damage in DAMAGE_GROUPS:
        return DAMAGE_GROUPS[damage]
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


def reported_series(
    figures: pd.DataFrame,
    sources: pd.DataFrame | None = None,
    *,
    unit_code: str | None = None,
    damage: str = "destroyed",
) -> pd.DataFrame:
    """The figures a timeline draws: one row per source and date, with what to mark.

    Parts of one statement (e.g. severe + moderate for ``damaged``) are added; subsets
    ("of which …") are left out. Columns: ``source_id, publisher, as_of, count, count_min,
    count_max, qualifier, cumulative, relayed, decreasing, disagree, corrected, flags``.

    Examples
    --------
    >>> from damage_data import example_figures, example_sources
    >>> s = reported_series(example_figures(), example_sources(), unit_code="AZ-TAR")
    >>> bool(s["decreasing"].any())
    True
    """
    states = _damage_states(damage)
    required = ["source_id", "unit_code", "damage", "count", "as_of"]
    missing = [c for c in required if c not in figures.columns]
    if missing:
        raise UsageError(
            f"figures have no column(s) {', '.join(missing)}; make them with "
            "damage_data.make_figures()"
        )
    figs = figures.loc[
        figures["damage"].astype("string").isin(states) & figures["count"].notna()
    ].copy()
    figs = figs.loc[own_figures(figs, figures, states)]
    if "status" in figs.columns:
        figs = figs.loc[figs["status"].astype("string").fillna("") != "rejected"]
    if "level" in figs.columns:
        figs = figs.loc[figs["level"].astype("string").fillna("") != "settlement"]
    src = pd.DataFrame(sources) if sources is not None else pd.DataFrame()
    published = (
        dict(
            zip(
                src["source_id"].astype(str),
                pd.to_datetime(src["published"], errors="coerce"),
                strict=True,
            )
        )
        if {"source_id", "published"} <= set(src.columns)
        else {}
    )
    figs["as_of"] = pd.to_datetime(figs["as_of"], errors="coerce")
    figs["as_of"] = figs["as_of"].fillna(figs["source_id"].astype(str).map(published))
    figs = figs.loc[figs["as_of"].notna()]
    if unit_code is None:
        if figs.empty:
            raise UsageError(f"no dated {damage!r} figures to draw a timeline of")
        counts = figs.groupby(figs["unit_code"].astype(str))["as_of"].nunique()
        unit_code = str(counts.sort_values(ascending=False, kind="stable").index[0])
    unit = figs.loc[figs["unit_code"].astype(str) == unit_code]
    if unit.empty:
        have = sorted(set(figs["unit_code"].dropna().astype(str)))
        raise UsageError(
            f"no dated {damage!r} figures for {unit_code}; units with such "
            f"figures: {', '.join(have) or 'none'}"
        )
    publisher = (
        dict(
            zip(
                src["source_id"].astype(str),
                src["publisher"].astype("string").fillna(""),
                strict=True,
            )
        )
        if {"source_id", "publisher"} <= set(src.columns)
        else {}
    )
    cites = (
        dict(
            zip(src["source_id"].astype(str), src["cites"].astype("string").fillna(""), strict=True)
        )
        if {"source_id", "cites"} <= set(src.columns)
        else {}
    )
    rows = []
    grouped: Any = unit.groupby([unit["source_id"].astype(str), "as_of"], sort=False)
    for (source_id, as_of), group in grouped:
        source_id = str(source_id)
        counts = group["count"].astype(float)
        lo = (group["count_min"] if "count_min" in group else group["count"]).astype(float)
        hi = (group["count_max"] if "count_max" in group else group["count"]).astype(float)
        quals = set(group["qualifier"].astype("string").dropna()) if "qualifier" in group else set()
        flags = sorted({f for v in group.get("flags", pd.Series(dtype=str)) for f in _flags(v)})
        cum = group["cumulative"] if "cumulative" in group else pd.Series([pd.NA])
        name = publisher.get(source_id) or source_id
        rows.append(
            {
                "source_id": source_id,
                "publisher": str(name).split(";")[0].strip(),
                "as_of": as_of,
                "count": int(counts.sum()),
                "count_min": int(lo.sum()),
                "count_max": int(hi.sum()),
                "qualifier": next(iter(quals))
                if len(quals) == 1
                else ("mixed" if quals else "exact"),
                "cumulative": bool(cum.fillna(True).astype(bool).all()),
                "relayed": bool(cites.get(source_id)),
                "corrected": any(f in CORRECTION_FLAGS for f in flags),
                "flags": ";".join(flags),
            }
        )
    series = pd.DataFrame(rows).sort_values(["as_of", "source_id"]).reset_index(drop=True)
    # a running total that went down: a report lower than every report of the previous
    # date (lower than just one of several disagreeing reports is disagreement, not decline)
    running = series.loc[series["cumulative"]]
    lowest = running.groupby("as_of")["count"].min()
    previous = running["as_of"].map(lowest.shift(1))
    series["decreasing"] = False
    series.loc[running.index, "decreasing"] = (running["count"] < previous).fillna(False)
    # sources that speak about the same date and disagree
    series["disagree"] = False
    for _day, same in series.groupby("as_of"):
        if same["source_id"].nunique() > 1 and same["count"].nunique() > 1:
            series.loc[same.index, "disagree"] = True
    # a source that corrects itself: two values for the same day
    for _key, same in series.groupby(["source_id", "as_of"]):
        if len(same) > 1:
            series.loc[same.index, "corrected"] = True
    series.attrs["unit_code"] = unit_code
    series.attrs["damage"] = damage
    return series


def timeline(
    figures: pd.DataFrame,
    sources: pd.DataFrame | None = None,
    *,
    unit_code: str | None = None,
    damage: str = "destroyed",
    lang: str = "en",
    ax: Axes | None = None,
) -> Axes:
    """Reported figures for one unit over time, one colour per publisher.

    A grey line joins the running totals in date order; a report lower than an earlier
    one is marked ▼ ("decreasing"), reports of the same date that disagree are joined by a
    bracket, corrections are ringed and relayed (secondary) reports drawn hollow.

    Parameters
    ----------
    figures
        A ``figures`` table.
    sources
        The ``sources`` table (publisher names, which report relays which, dates).
    unit_code
        The unit; default: the one with the most reporting dates.
    damage
        A summary group (``destroyed``, ``damaged``, ``assessed`` …) or a canonical state.
    lang
        Display names and number format.
    ax
        Axes to draw in; default: a new figure of the house size.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from damage_data import example_figures, example_sources
    >>> ax = timeline(example_figures(), example_sources(), unit_code="AZ-TAR")
    >>> any("▼" in t.get_text() for t in ax.texts)
    True
    """
    _check_lang(lang)
    series = reported_series(figures, sources, unit_code=unit_code, damage=damage)
    unit = str(series.attrs["unit_code"])
    with style.house_style():
        import matplotlib.dates as mdates

        ax = style.new_axes(ax)
        layer = _LabelLayer(ax)
        publishers = list(dict.fromkeys(series["publisher"]))
        palette = [c for c in style.OKABE_ITO if c not in ("#F0E442",)]  # yellow is faint
        colour = {p: palette[i % len(palette)] for i, p in enumerate(publishers)}
        # one point per date: where sources disagree the line runs through their middle
        running = series.loc[series["cumulative"]].groupby("as_of")["count"].median()
        if len(running) > 1:
            ax.plot(
                running.index,
                running.to_numpy(),
                color="#bdbdbd",
                linewidth=1.2,
                zorder=1,
                gid="damage_data:running",
            )
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
                    row["as_of"],
                    row["count_min"],
                    row["count_max"],
                    color=c,
                    linewidth=1.0,
                    zorder=2,
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
            plus = "+" if row["qualifier"] in ("more_than", "at_least") else ""
            approx = "~" if row["qualifier"] in ("approx", "vague") else ""
            text = f"{approx}{format_number(row['count'], lang)}{plus}"
            if row["decreasing"]:
                text = f"▼ {text}"
            layer.add(
                text,
                (mdates.date2num(row["as_of"]), float(row["count"])),
                priority=0,
                required=True,
                size=style.LABEL_SIZE,
                color=style.DAMAGE_COLOURS["destroyed"] if row["decreasing"] else style.INK,
                weight="bold" if row["decreasing"] else "normal",
                candidates=VALUE_LABEL_OFFSETS,
                gid="damage_data:value",
            )
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
                "sources disagree",
                (mdates.date2num(day), float(hi)),
                priority=1,
                required=True,
                size=style.SMALL_SIZE,
                color=style.MUTED,
                weight="normal",
                candidates=((46, 0), (-46, 0), (46, 12), (-46, 12), (46, -12), (-46, -12)),
                gid="damage_data:disagree",
                leader=False,
            )
        ax.add_artist(layer)
        ax.set_ylim(0, float(series["count_max"].max()) * 1.2 or 1)
        ax.yaxis.set_major_formatter(lambda v, _pos: format_number(v, lang))
        ax.grid(axis="y", color="#e6e6e6", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", length=0)
        locator = mdates.AutoDateLocator(minticks=3, maxticks=7)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(
            mdates.ConciseDateFormatter(
                locator,
                formats=["%Y", "%b", "%-d %b", "%H:%M", "%H:%M", "%S.%f"],
                zero_formats=["", "%Y", "%b", "%-d %b", "%H:%M", "%H:%M"],
                show_offset=False,
            )
        )
        span = series["as_of"].max() - series["as_of"].min()
        margin = max(span * 0.08, pd.Timedelta(days=3))
        ax.set_xlim(series["as_of"].min() - margin, series["as_of"].max() + margin)
        from matplotlib.lines import Line2D

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
        notes = []
        if series["decreasing"].any():
            notes.append(
                "▼ Lower than an earlier report of the same running total "
                "(reclassified or revised; never added up)."
            )
        if series["relayed"].any():
            notes.append("Hollow: a report relaying another source.")
        if series["corrected"].any():
            notes.append("Ringed: a corrected figure.")
        if (series["count_max"] > series["count_min"]).any():
            notes.append("Vertical lines: the range a vague figure allows.")
        name = _names_for(pd.DataFrame({"unit_code": [unit]}), lang)[unit]
        points = [
            f"{d:%d %b %Y} {format_number(c, lang)} ({p})"
            for d, c, p in zip(series["as_of"], series["count"], series["publisher"], strict=True)
        ]
        alt = (
            f"Timeline of reported {damage.replace('_', ' ')} buildings in {name}, "
            f"{len(series)} reports: {style.describe_list(points, limit=8)}."
        )
        set_provenance(
            ax,
            Provenance(
                kind="chart",
                sources=_provenance_sources(sources, series["source_id"]),
                notes=notes,
                alt_text=alt,
            ),
        )
    return ax


# --------------------------------------------------------------------------- ready-made

CHART_KINDS: tuple[str, ...] = ("map", "bars", "share", "timeline")


def _period(dates: Iterable[Any]) -> str:
    stamps = pd.to_datetime(pd.Series(list(dates)), errors="coerce").dropna()
    if stamps.empty:
        return ""
    first, last = stamps.min(), stamps.max()
    if (first.year, first.month) == (last.year, last.month):
        return f"{last:%b %Y}"
    if first.year == last.year:
        return f"{first:%b}–{last:%b %Y}"
    return f"{first:%b %Y}–{last:%b %Y}"


def headline(summary: pd.DataFrame, *, metric: str = "total", lang: str = "en") -> tuple[str, str]:
    """A title that states the finding and a description (measure, unit, period).

    >>> import pandas as pd
    >>> s = pd.DataFrame({"unit_code": ["AZ-TAR", "AZ-CAB"], "unit_name": ["Tartar", "Jabrayil"],
    ...                   "total": [293, 47], "as_of": pd.to_datetime(["2021-02-15", "2020-11-24"])})
    >>> headline(s)[0]
    'Tartar: most buildings destroyed or damaged (293)'
    """
    _check_summary(summary, [metric])
    notes: list[str] = []
    rows = _unit_rows(summary, notes)
    values = _numeric(rows, metric)
    rows, values = rows.loc[values.notna()], values.loc[values.notna()]
    if rows.empty:
        raise UsageError(f"no unit has a {metric!r} value")
    top: Any = values.astype(float).idxmax()
    if metric.endswith("_share") and "residential" in rows.columns:
        # the finding is where most homes were hit, not a 100% share of a handful
        counts = _numeric(rows, "residential").fillna(-1)
        top = counts.astype(float).idxmax() if (counts > 0).any() else top
    code = str(rows.loc[top, "unit_code"])
    name = _names_for(rows.loc[[top]], lang)[code]
    label = METRIC_LABELS.get(metric, metric.replace("_", " "))
    period = _period(rows["as_of"]) if "as_of" in rows.columns else ""
    when = f", {period}" if period else ""
    if metric.endswith("_share"):
        title = f"{name}: {format_percent(values[top], lang)} of the buildings hit were homes"
        if "residential" in rows.columns and not pd.isna(rows.loc[top, "residential"]):
            resid = rows.loc[top, "residential"]
            denominator = _share_denominator(
                resid, values[top], rows["total"].get(top) if "total" in rows.columns else pd.NA
            )
            of = f" of {format_number(denominator, lang)}" if denominator else ""
            title += f" ({format_number(resid, lang)}{of})"
        subtitle = f"{label} per unit, within each unit's reported set{when}"
    else:
        title = f"{name}: most {label[0].lower() + label[1:]} ({format_number(values[top], lang)})"
        subtitle = (
            f"{label} per unit, {len(rows)} units with reports; each unit's figure "
            f"from its best-ranked source, never added across sources{when}"
        )
    return title, subtitle


def timeline_headline(series: pd.DataFrame, *, name: str, lang: str = "en") -> tuple[str, str]:
    """Title and description for a :func:`timeline` of :func:`reported_series`."""
    damage = str(series.attrs.get("damage", "destroyed")).replace("_", " ")
    first, last = series.iloc[0], series.iloc[-1]
    peak = series.iloc[int(series["count"].astype(int).to_numpy().argmax())]
    if series["decreasing"].any() and last["count"] < peak["count"]:
        title = (
            f"{name}: reported {damage} buildings fell from "
            f"{format_number(peak['count'], lang)} to {format_number(last['count'], lang)}"
        )
    elif len(series) > 1 and last["count"] > first["count"]:
        title = (
            f"{name}: reported {damage} buildings rose from "
            f"{format_number(first['count'], lang)} to {format_number(last['count'], lang)}"
        )
    else:
        title = f"{name}: {format_number(last['count'], lang)} buildings reported {damage}"
    subtitle = (
        f"Buildings reported {damage} in {name}, by the date each report refers to, "
        f"{len(series)} reports, {_period(series['as_of'])}"
    )
    return title, subtitle


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
) -> Any:
    """A finished figure of one kind (map, bars, share, timeline), laid out and titled.

    The title states the finding and the description the measure and period, both derived
    from the data unless given. This is what ``damage-data map`` and ``chart`` draw.

    Parameters
    ----------
    kind
        ``map``, ``bars``, ``share`` or ``timeline``.
    figures, sources
        The ``figures`` and ``sources`` tables.
    summary
        The reconciled summary; default: ``summarise(figures, sources, lang=lang)``.
    metric, scheme, k, units
        Passed to :func:`damage_map`.
    unit_code, damage
        Passed to :func:`timeline`.
    lang, title, subtitle, note, byline
        Display language and the text around the chart.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from damage_data import example_figures, example_sources
    >>> fig = chart("bars", example_figures(), example_sources())
    >>> from damage_data.style import anatomy_of
    >>> anatomy_of(fig).title
    'Aghjabadi: most buildings destroyed or damaged (510)'
    """
    if kind not in CHART_KINDS:
        raise UsageError(f"unknown chart kind {kind!r}; choose one of: {', '.join(CHART_KINDS)}")
    _check_lang(lang)
    if kind == "timeline":
        series = reported_series(figures, sources, unit_code=unit_code, damage=damage)
        code = str(series.attrs["unit_code"])
        ax = timeline(figures, sources, unit_code=code, damage=damage, lang=lang)
        name = _names_for(pd.DataFrame({"unit_code": [code]}), lang)[code]
        auto_title, auto_sub = timeline_headline(series, name=name, lang=lang)
    else:
        if summary is None:
            from .reconcile import summarise

            summary = summarise(figures, sources, lang=lang)
        if kind == "map":
            ax = damage_map(
                summary, metric=metric, units=units, scheme=scheme, k=k, lang=lang, sources=sources
            )
        elif kind == "bars":
            ax = damage_bars(summary, lang=lang, sources=sources)
            metric = "total"
        else:
            ax = residential_share(summary, lang=lang, sources=sources)
            metric = "residential_share"
        auto_title, auto_sub = headline(summary, metric=metric, lang=lang)
    fig = ax.get_figure(root=True)
    if fig is None:  # pragma: no cover - plot functions always draw into a figure
        raise RuntimeError("the chart has no figure")
    style.finalise(
        fig,
        title=title or auto_title,
        subtitle=subtitle or auto_sub,
        note=note,
        byline=byline,
    )
    return fig
