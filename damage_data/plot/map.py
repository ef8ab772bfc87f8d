"""The choropleth map of one summary measure per unit: classes, labels, inset and scale bar.

The map is framed on the units with figures, so that a few villages or city zones fill it,
with the units around them (and neighbouring countries) as context. Units without a report
are hatched "No reports", a reported zero has its own class, and every label sits on its
own unit or is tied to it by a line.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd
import shapely
from matplotlib.patches import Patch
from shapely.errors import ShapelyError
from shapely.ops import polylabel

from .. import style
from .._errors import UsageError
from ..places.gazetteer import BUNDLED_BOUNDARIES, bundled_extents, bundled_units
from .classify import ZERO_COLOUR, classify, ramp
from .furniture import metric_label, provenance, source_credits
from .i18n import and_list, check_lang, plural, text
from .labels import LabelLayer
from .layers import add_polygons, add_rings, draw_structures
from .locator import draw_inset, draw_scale_bar, free_corners
from .rows import (
    check_summary,
    count_texts,
    display_names,
    is_bounded_text,
    marks,
    numeric,
    share_texts,
    source_ids_of,
    summary_names,
)

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes

log = logging.getLogger(__name__)

HATCH = "////"
HATCH_NOT_STATED = "...."
#: gid prefixes so tests and downstream code can find what was drawn.
GID_CLASS = "damage_data:class:"
GID_NO_REPORTS = "damage_data:no_reports"
GID_NOT_STATED = "damage_data:not_stated"
#: Reporting units smaller than this share of the view also get a dot.
SMALL_UNIT_SHARE = 0.005
#: The view around the units with figures: this share of their extent on each side…
VIEW_PAD = 0.08
#: … and at least this span (metres), so that one village is not a whole map.
MIN_SPAN_M = 1_500.0


@dataclass
class _Map:
    """What the drawing steps share: the joined, projected units and the view."""

    metric: str
    lang: str
    data: gpd.GeoDataFrame  # every boundary, with the metric (NaN: no figure)
    has_value: pd.Series
    in_summary: set[str]
    ctx: gpd.GeoDataFrame | None
    country: Any  # the outline for the locator (the bundled country, else the units')
    attribution: str
    crs: str = ""
    view: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)
    notes: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # code -> value as printed
    names: dict[str, str] = field(default_factory=dict)  # code -> display name

    @property
    def percent(self) -> bool:
        return self.metric.endswith("_share")

    @property
    def view_area(self) -> float:
        return (self.view[2] - self.view[0]) * (self.view[3] - self.view[1])


def _values(summary: pd.DataFrame, metric: str, notes: list[str], lang: str) -> pd.DataFrame:
    """One row per unit with the metric and its printed value; villages are left out."""
    rows = summary
    if "level" in summary.columns:
        rows = summary.loc[summary["level"].astype("string").fillna("") != "settlement"]
    values = rows.loc[rows["unit_code"].notna(), ["unit_code"]].copy()
    if len(values) < len(rows):
        n = len(rows) - len(values)
        notes.append(plural("note.rows_without_unit", n, lang))
    values["unit_code"] = values["unit_code"].astype(str)
    if values["unit_code"].duplicated().any():
        dupes = sorted(set(values.loc[values["unit_code"].duplicated(), "unit_code"]))
        raise UsageError(
            f"summary has several rows for {', '.join(dupes)}; a map needs one "
            "row per unit (use summarise(), not by_source=True)"
        )
    picked = rows.loc[values.index]
    values[metric] = numeric(picked, metric).astype(float).to_numpy()
    printed = (
        share_texts(picked, lang)
        if metric.endswith("_share")
        else count_texts(picked, metric, lang)
    )
    values["_label"] = printed.to_numpy()
    return values


def _countries_of(units: gpd.GeoDataFrame) -> list[str]:
    """Bundled countries the user's units lie in (a ``country`` column, else code prefixes)."""
    if "country" in units.columns:
        found = {str(c).upper() for c in units["country"].dropna()}
    else:
        found = {
            m.group(1)
            for c in units["unit_code"].astype(str)
            if (m := re.match(r"^([A-Z]{2})(?:-|\d|$)", c))
        }
    return sorted(found & set(BUNDLED_BOUNDARIES))


def _areas(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The units a map can fill: polygons with an area. Points, lines and empty shapes (a
    gazetteer of places, a file of roads) are left off; with none left there is no map."""
    import geopandas as gpd
    import numpy as np

    shapes = np.asarray(units.geometry.values, dtype=object)
    # a collection (make_valid's output for some rings) is drawn by its polygons
    mixed = shapely.get_type_id(shapes) == 7
    if mixed.any():
        shapes = shapes.copy()
        for i in np.flatnonzero(mixed):
            parts = [p for p in shapely.get_parts(shapes[i]) if p.geom_type.endswith("Polygon")]
            shapes[i] = shapely.union_all(parts) if parts else shapes[i]
        units = units.set_geometry(gpd.GeoSeries(shapes, index=units.index, crs=units.crs))
    areal = pd.Series(
        ~shapely.is_empty(shapes) & np.isin(shapely.get_type_id(shapes), (3, 6)),
        index=units.index,
    )
    if areal.all():
        return units
    left = list(shapes[~areal.to_numpy()])
    kinds = sorted({"none" if g is None else "empty" if g.is_empty else g.geom_type for g in left})
    codes = ", ".join(map(str, units.loc[~areal, "unit_code"].head(5)))
    if not areal.any():
        raise UsageError(
            f"the units have no areas to fill (their shapes are {', '.join(kinds)}: {codes}); "
            "a map needs a boundary file of polygons (--units FILE)"
        )
    log.warning(
        "%d unit(s) have no area to fill (%s: %s); they are left off the map",
        int((~areal).sum()),
        ", ".join(kinds),
        codes,
    )
    return units.loc[areal]


def _boundaries(
    values: pd.DataFrame, units: gpd.GeoDataFrame | None, lang: str
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame | None, gpd.GeoDataFrame | None, str]:
    """The boundaries to join, the land around them, the country they are in, the attribution.

    The country (for the locator's outline) is the bundled one when the units lie in a
    bundled country, else ``None`` (the units' own outline stands in).
    """
    import geopandas as gpd

    if units is None:
        countries = sorted({c.split("-")[0] for c in values["unit_code"] if "-" in c})
        bundled = [c for c in countries if c in BUNDLED_BOUNDARIES]
        if not bundled:
            raise UsageError(
                f"no bundled boundaries for the units in this summary "
                f"({', '.join(values['unit_code'].head(5))}); bundled countries: "
                f"{', '.join(BUNDLED_BOUNDARIES)}. Pass units=<GeoDataFrame with unit_code>."
            )
        own = bundled_units(bundled)
        shown = own.loc[own["unit_code"].isin(values["unit_code"])]
        others = [c for c in BUNDLED_BOUNDARIES if c not in bundled]
        if len(shown):
            others = _near(_box(shown), _box(own), others)
        context = bundled_units(others) if others else None
        return own, context, own, text("footer.boundaries_ne", lang)
    if "unit_code" not in units.columns or not isinstance(units, gpd.GeoDataFrame):
        raise UsageError(
            "units must be a GeoDataFrame with a unit_code column; it has: "
            f"{', '.join(map(str, units.columns))}"
        )
    if units.crs is None:
        raise UsageError("units have no CRS; set one (units.set_crs('EPSG:4326'))")
    boundaries = _areas(units.copy())
    boundaries["unit_code"] = boundaries["unit_code"].astype(str)
    attribution = str(units.attrs.get("attribution") or text("footer.boundaries_user", lang))
    countries = _countries_of(boundaries)
    if not countries:
        return boundaries, None, None, attribution
    # the bundled country under the user's units (context and the locator's outline)
    extents = bundled_extents()
    around: list[tuple[float, ...]] = [extents[c] for c in countries if c in extents]
    around = around or [_box(boundaries)]
    outline = tuple(f(v[i] for v in around) for i, f in ((0, min), (1, min), (2, max), (3, max)))
    others = [c for c in BUNDLED_BOUNDARIES if c not in countries]
    land = bundled_units(countries + _near(_box(boundaries), outline, others))
    return boundaries, land, land.loc[land["country"].isin(countries)], attribution


def _near(
    data_box: tuple[float, ...], country_box: tuple[float, ...], candidates: list[str]
) -> list[str]:
    """The bundled countries among ``candidates`` the map or its locator may show.

    The map draws context within 1.5 views of its data (:func:`_draw_base`), the locator
    within a quarter of the country's span of the country (:func:`draw_inset`). A country
    whose extent (``data/boundaries/extents.csv``) lies well beyond those reaches is not
    read: Ukraine's boundaries cost a map of Azerbaijan about 55 ms and are never in view.
    Boxes are (min lon, min lat, max lon, max lat).
    """
    extents = bundled_extents()
    # 2.5 views (the map reaches 1.82: 1.5 views of the data padded by 8 %) and 0.5 of the
    # country's span (the locator reaches 0.24), each plus half a degree for the projection
    reach = [_widen(data_box, 2.5, 0.5), _widen(country_box, 0.5, 0.5)]
    return [
        c
        for c in candidates
        if c not in extents
        or any(
            extents[c][0] <= r[2]
            and r[0] <= extents[c][2]
            and extents[c][1] <= r[3]
            and r[1] <= extents[c][3]
            for r in reach
        )
    ]


def _widen(box: tuple[float, ...], spans: float, degrees: float) -> tuple[float, ...]:
    """``box`` widened by ``spans`` times its larger side plus ``degrees``, in ground terms."""
    x0, y0, x1, y1 = box
    # a degree of longitude shrinks towards the poles: latitudes are scaled to match
    stretch = 1 / max(math.cos(math.radians(min(max(abs(y0), abs(y1)), 80.0))), 0.17)
    margin = spans * max(x1 - x0, (y1 - y0) * stretch) + degrees
    return (x0 - margin, y0 - margin / stretch, x1 + margin, y1 + margin / stretch)


def _box(frame: gpd.GeoDataFrame) -> tuple[float, ...]:
    return tuple(float(v) for v in frame.to_crs("EPSG:4326").total_bounds)


def _unmapped_notes(summary: pd.DataFrame, codes: list[str], lang: str) -> list[str]:
    log.info("not on the map (no boundary): %s", ", ".join(codes))
    levels = (
        dict(zip(summary["unit_code"].astype(str), summary["level"].astype(str), strict=True))
        if "level" in summary.columns
        else {}
    )
    national = [c for c in codes if levels.get(c) == "country"]
    other = [c for c in codes if c not in national]
    notes = []
    if national:
        notes.append(text("note.national_not_mapped", lang, codes=", ".join(national)))
    if other:
        notes.append(text("note.no_boundary", lang, codes=", ".join(other)))
    return notes


def _prepare(summary: pd.DataFrame, metric: str, units: gpd.GeoDataFrame | None, lang: str) -> _Map:
    """Join the summary to the boundaries, project on the data and frame the view."""
    notes: list[str] = []
    values = _values(summary, metric, notes, lang)
    boundaries, context, country_land, attribution = _boundaries(values, units, lang)
    reported = values.loc[values[metric].notna()]
    unmapped = sorted(set(reported["unit_code"]) - set(boundaries["unit_code"]))
    if unmapped:
        notes.extend(_unmapped_notes(summary, unmapped, lang))
    boundaries = boundaries.drop(columns=[metric, "_label"], errors="ignore")  # the summary's win
    data = boundaries.merge(values, on="unit_code", how="left")
    has_value = data[metric].notna()
    if not has_value.any():
        raise UsageError(
            f"no unit of the summary has a {metric!r} value on these boundaries; "
            f"units in the summary: {', '.join(values['unit_code'].head(8))}"
        )
    bounds = data.loc[has_value].to_crs("EPSG:4326").total_bounds  # any input CRS
    lon0, lat0 = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
    # a transverse Mercator centred on the data keeps shapes and the scale bar true locally
    crs = (
        f"+proj=tmerc +lat_0={lat0:.4f} +lon_0={lon0:.4f} +k=1 +x_0=0 +y_0=0 "
        "+datum=WGS84 +units=m +no_defs"
    )
    data = data.to_crs(crs)
    ctx = context.to_crs(crs) if context is not None and len(context) else None
    land = country_land if country_land is not None and len(country_land) else data
    country = land.to_crs(crs).geometry.union_all()
    x0, y0, x1, y1 = data.loc[has_value].total_bounds
    w, h = max(x1 - x0, MIN_SPAN_M), max(y1 - y0, MIN_SPAN_M)
    pad = VIEW_PAD * max(w, h)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return _Map(
        metric=metric,
        lang=lang,
        data=data,
        has_value=has_value,
        in_summary=set(values["unit_code"]),
        ctx=ctx,
        country=country,
        attribution=attribution,
        crs=crs,
        view=(cx - w / 2 - pad, cy - h / 2 - pad, cx + w / 2 + pad, cy + h / 2 + pad),
        notes=notes,
        labels=dict(zip(values["unit_code"], values["_label"], strict=True)),
    )


def _surroundings(m: _Map) -> gpd.GeoDataFrame:
    """Units that may come into view once the axes' aspect widens the view."""
    v = m.view
    w, h = v[2] - v[0], v[3] - v[1]
    return m.data.cx[v[0] - 1.5 * w : v[2] + 1.5 * w, v[1] - 1.5 * h : v[3] + 1.5 * h]


def _draw_base(ax: Axes, m: _Map, drawn: gpd.GeoDataFrame) -> tuple[int, int]:
    """Context land, units without reports (hatched) and units whose report lacks the measure."""
    if m.ctx is not None:
        v, w, h = m.view, m.view[2] - m.view[0], m.view[3] - m.view[1]
        near = m.ctx.cx[v[0] - 1.5 * w : v[2] + 1.5 * w, v[1] - 1.5 * h : v[3] + 1.5 * h]
        if len(near):
            add_polygons(
                ax,
                near.geometry,
                facecolor=style.CONTEXT,
                edgecolor="white",
                linewidth=0.4,
                zorder=0.5,
                gid="damage_data:context",
            )
    # a unit with reports but none for this measure is not a unit without reports
    in_summary = drawn["unit_code"].isin(m.in_summary)
    no_reports = drawn.loc[drawn[m.metric].isna() & ~in_summary]
    not_stated = drawn.loc[drawn[m.metric].isna() & in_summary]
    if len(no_reports):
        add_polygons(
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
        add_polygons(
            ax,
            not_stated.geometry,
            facecolor="white",
            edgecolor=style.NO_DATA_HATCH,
            linewidth=0.0,
            hatch=HATCH_NOT_STATED,
            zorder=1,
            gid=GID_NOT_STATED,
        )
    return len(no_reports), len(not_stated)


def _draw_classes(
    ax: Axes,
    m: _Map,
    *,
    scheme: str,
    k: int,
    legend_counts: bool,
    classification_kwds: Mapping[str, Any] | None,
) -> tuple[list[Any], list[str]]:
    """The classes of the reporting units, a dot on each small one; legend handles."""
    reporting = m.data.loc[m.has_value]
    vals = reporting[m.metric].astype(float).to_numpy()
    zero = vals == 0
    classes, class_labels = classify(
        vals[~zero],
        scheme=scheme,
        k=k,
        percent=m.percent,
        lang=m.lang,
        classification_kwds=classification_kwds,
    )
    unit_class = pd.Series(-1, index=reporting.index)
    unit_class.loc[reporting.index[~zero]] = classes
    entries: list[tuple[str, str, str, pd.Index]] = []
    if zero.any():
        entries.append(("0", text("legend.zero", m.lang), ZERO_COLOUR, reporting.index[zero]))
    colours = ramp(len(class_labels))
    for i, (label, colour) in enumerate(zip(class_labels, colours, strict=True)):
        entries.append((label, label, colour, unit_class.index[unit_class.to_numpy() == i]))
    handles: list[Any] = []
    labels: list[str] = []
    for gid, label, colour, index in entries:
        geoms = m.data.loc[index].geometry
        add_polygons(
            ax,
            geoms,
            facecolor=colour,
            edgecolor="none",
            linewidth=0,
            zorder=2,
            gid=GID_CLASS + gid,
        )
        # a city of a few km² is invisible at district scale: mark it with a dot as well
        small = geoms.area < SMALL_UNIT_SHARE * m.view_area
        if small.any():
            points = geoms.loc[small].representative_point()
            dots = ax.scatter(
                points.x, points.y, s=28, c=colour, edgecolors=style.INK, linewidths=0.6, zorder=3.5
            )
            dots.set_gid(GID_CLASS + gid + ":dots")
        edge = "#c8c8c8" if gid == "0" else colour
        handles.append(Patch(facecolor=colour, edgecolor=edge, linewidth=0.6))
        labels.append(label + (f" ({len(index)})" if legend_counts else ""))
    return handles, labels


def _missing_keys(
    m: _Map, n_no_reports: int, n_not_stated: int, legend_counts: bool
) -> tuple[list[Any], list[str]]:
    """Legend entries of the units without the measure (counted within the view)."""
    v = m.view
    in_view = m.data.cx[v[0] : v[2], v[1] : v[3]]
    missing = in_view[m.metric].isna()
    stated = in_view["unit_code"].isin(m.in_summary)
    handles: list[Any] = []
    labels: list[str] = []
    if n_not_stated:
        handles.append(
            Patch(facecolor="white", edgecolor=style.NO_DATA_HATCH, hatch=HATCH_NOT_STATED, lw=0)
        )
        n = int((missing & stated).sum())
        labels.append(text("legend.not_stated", m.lang) + (f" ({n})" if legend_counts else ""))
    if n_no_reports:
        handles.append(
            Patch(facecolor=style.NO_DATA, edgecolor=style.NO_DATA_HATCH, hatch=HATCH, lw=0)
        )
        n = int((missing & ~stated).sum())
        labels.append(text("legend.no_reports", m.lang) + (f" ({n})" if legend_counts else ""))
    return handles, labels


def _label_anchor(geom: Any, tolerance: float) -> Any:
    """A point well inside a unit (the pole of inaccessibility of its largest part)."""
    parts = list(shapely.get_parts(geom))
    largest = max(parts, key=lambda p: p.area) if parts else geom
    try:
        return polylabel(largest, tolerance=tolerance)
    except (ShapelyError, ValueError):  # degenerate rings
        return geom.representative_point()


def _names(m: _Map, summary: pd.DataFrame, codes: pd.Series) -> dict[str, str]:
    """Display names: the place names in ``lang``, else the summary's, else the boundaries'."""
    fallback = (
        dict(zip(m.data["unit_code"], m.data["name"].astype(str), strict=True))
        if "name" in m.data.columns
        else {}
    )
    fallback.update(summary_names(summary))
    return display_names(codes, m.lang, fallback)


def _draw_labels(ax: Axes, m: _Map, summary: pd.DataFrame) -> bool:
    """Name and value on each reporting unit, names on neighbours; True if a unit is marked."""
    v = m.view
    in_view = m.data.cx[v[0] : v[2], v[1] : v[3]]
    names = m.names
    flags = (
        dict(zip(summary["unit_code"].astype(str), summary["flags"], strict=True))
        if "flags" in summary.columns
        else {}
    )
    layer = LabelLayer(ax)
    tolerance = max(v[2] - v[0], v[3] - v[1]) / 400
    order = in_view.assign(_v=in_view[m.metric].astype(float).fillna(-1.0)).sort_values(
        "_v", ascending=False, kind="stable"
    )
    # only the neighbours of reporting units are named: the rest is context
    touch = 0.005 * max(v[2] - v[0], v[3] - v[1])  # boundaries are not exact: a small gap
    neighbours = in_view.intersects(m.data.loc[m.has_value].union_all().buffer(touch))
    marked = False
    for idx, row in order.iterrows():
        code = str(row["unit_code"])
        anchor = _label_anchor(row.geometry, tolerance)
        if pd.isna(row[m.metric]):
            stated = code in m.in_summary
            if neighbours.loc[idx] or stated:
                layer.add(
                    names[code],
                    (anchor.x, anchor.y),
                    priority=0 if stated else 1,
                    required=False,
                    size=style.SMALL_SIZE,
                    color="#7a7a7a",
                    weight="normal",
                    region=row.geometry,
                )
            continue
        mark = marks(flags.get(code))
        marked = marked or bool(mark)
        layer.add(
            f"{names[code]}{mark}\n{m.labels.get(code, '')}",
            (anchor.x, anchor.y),
            priority=0,
            required=True,
            size=style.LABEL_SIZE,
            color=style.INK,
            weight="bold",
            region=row.geometry,
            off_anchor=bool(row.geometry.area < SMALL_UNIT_SHARE * m.view_area),
        )
    ax.add_artist(layer)
    return marked


def _alt_text(m: _Map) -> str:
    reporting = m.data.loc[m.has_value].sort_values(m.metric, ascending=False, kind="stable")
    top = [f"{m.names[c]} ({m.labels.get(c, '')})" for c in reporting["unit_code"]]
    countries = sorted({c.split("-")[0] for c in reporting["unit_code"]})
    return plural(
        "map.alt",
        len(reporting),
        m.lang,
        countries=", ".join(countries),
        measure=metric_label(m.metric, m.lang).lower(),
        items=and_list(top, m.lang, limit=6),
    )


def _outlines(ax: Axes, m: _Map, drawn: gpd.GeoDataFrame) -> None:
    """Unit boundaries in white, and the country's outline over them."""
    add_rings(
        ax,
        drawn.geometry,
        color=style.BOUNDARY,
        linewidth=0.7,
        zorder=3,
        gid="damage_data:boundaries",
    )
    # the country outline keeps exclaves and coasts readable against the context land
    add_rings(
        ax,
        [m.data.geometry.union_all()],
        color="#8c8c8c",
        linewidth=0.6,
        zorder=3.1,
        gid="damage_data:country",
    )


def _provenance(m: _Map, summary: pd.DataFrame, sources: pd.DataFrame | None) -> Any:
    """What the footer says: the sources of the units drawn, boundaries, notes, alt text."""
    drawn_codes = set(m.data.loc[m.has_value, "unit_code"])
    shown = summary.loc[summary["unit_code"].astype("string").isin(drawn_codes)]
    return provenance(
        "map",
        m.lang,
        sources=source_credits(sources, source_ids_of(shown), m.lang),
        boundaries=m.attribution,
        notes=m.notes,
        alt_text=_alt_text(m),
    )


def _frame(ax: Axes, m: _Map, structures: gpd.GeoDataFrame | None) -> None:
    """Fix the view, then place the inset, the scale bar and the structures key in free corners."""
    view = m.view
    # collections are added without autolim; auto=None keeps autoscaling on, which the
    # datalim aspect needs to widen the view quietly
    ax.update_datalim([(view[0], view[1]), (view[2], view[3])])
    ax.set_xlim(view[0], view[2], auto=None)
    ax.set_ylim(view[1], view[3], auto=None)
    ax.set_aspect("equal", adjustable="datalim")
    corners = free_corners(m.data.loc[m.has_value].union_all(), view)
    draw_inset(ax, m.country, m.ctx, corners.pop(0))
    bottom = [c for c in corners if c.startswith("lower")] or corners
    draw_scale_bar(ax, view, bottom[0], m.lang)
    if structures is not None and len(structures):
        free = [c for c in corners if c != bottom[0]]
        draw_structures(ax, structures, m.crs, corner=free[0], lang=m.lang)


def _legend(ax: Axes, m: _Map, handles: list[Any], labels: list[str]) -> None:
    style.key_legend(
        ax,
        handles,
        labels,
        title=metric_label(m.metric, m.lang),
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
    """A choropleth of one summary measure per unit, with labels, legend, inset and scale bar.

    Units without a figure are hatched "No reports" (never drawn as zero); reported zeros
    get their own class. The view is framed on the units with figures and their
    surroundings; an inset shows where they are in the country. The house style applies
    inside the call only: the backend and ``rcParams`` are left as they were.

    Parameters
    ----------
    summary
        One row per unit (:func:`damage_data.summarise`). Counts print with their bounds
        (``total_min``/``total_max``…) when the summary has them: ``500+``, ``55–60``.
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
        Language of names, legend and notes: ``en``, ``az``, ``ru``, ``uk``, ``hy`` or
        ``native``.
    legend_counts
        Add the number of units per class to the legend labels.
    sources
        The ``sources`` table: the footer credits the sources of the figures drawn (the
        summary's ``source_id``).
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
    check_summary(summary, [metric])
    check_lang(lang)
    numeric_columns = [
        c for c in summary.columns if pd.api.types.is_numeric_dtype(summary[c]) and c != "n_sources"
    ]
    if metric not in numeric_columns:
        raise UsageError(
            f"cannot map {metric!r}: not a numeric summary column; choose one "
            f"of: {', '.join(numeric_columns)}"
        )
    with style.house_style():
        m = _prepare(summary, metric, units, lang)
        ax = style.new_axes(ax)
        ax.set_facecolor("white")
        ax.set_axis_off()
        drawn = _surroundings(m)
        m.names = _names(m, summary, drawn["unit_code"])
        n_none, n_unstated = _draw_base(ax, m, drawn)
        handles, labels = _draw_classes(
            ax,
            m,
            scheme=scheme,
            k=k,
            legend_counts=legend_counts,
            classification_kwds=classification_kwds,
        )
        more_handles, more_labels = _missing_keys(m, n_none, n_unstated, legend_counts)
        _outlines(ax, m, drawn)
        _legend(ax, m, handles + more_handles, labels + more_labels)
        _frame(ax, m, structures)
        if _draw_labels(ax, m, summary):
            m.notes.append(text("note.disagree", lang))
        if any(is_bounded_text(m.labels.get(c, "")) for c in m.data.loc[m.has_value, "unit_code"]):
            m.notes.append(text("note.bounds", lang))
        style.set_provenance(ax, _provenance(m, summary, sources))
    return ax
