"""The web page's map: inline SVG drawn from the unit boundaries, one focusable path per unit.

Projected on a transverse Mercator centred on the reporting units, framed on them, simplified
to about half a pixel with shared edges kept, coloured by the classes of the mapped measure
(:func:`damage_data.plot.classify`, the house ramp). "No reports" is hatched, a reported zero
has its own colour, and a unit with reports but none for this measure is dotted.
"""

from __future__ import annotations

import html
import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import shapely
from shapely import box
from shapely.affinity import affine_transform
from shapely.geometry import MultiPolygon, Polygon
from shapely.ops import polylabel

from ._errors import UsageError
from .numbers import format_number, share_label
from .places import DISPLAY_LANGS, display_names
from .places.gazetteer import BUNDLED_BOUNDARIES, bundled_units
from .plot import ZERO_COLOUR, classify, ramp
from .reconcile import COUNT_COLUMNS

log = logging.getLogger(__name__)

#: Width of the map in SVG units (about CSS pixels at the page's full width).
MAP_WIDTH = 800.0
#: Units smaller than this (in square SVG units) also get a dot, so they can be pointed at.
SMALL_UNIT_AREA = 150.0
LABEL_SIZE = 11.0
NO_REPORTS_FILL = "url(#dd-hatch)"
NOT_STATED_FILL = "url(#dd-dots)"
CONTEXT_FILL = "#e4e4e4"
#: The counts a summary gives with their bounds (destroyed, damaged, total): the headline
#: numbers of every tooltip.
HEADLINE_COUNTS: tuple[str, ...] = tuple(
    c.removesuffix("_min") for c in COUNT_COLUMNS if c.endswith("_min")
)
#: The tooltip's fields, in order (``data-*`` attributes of each path).
TIP_FIELDS: tuple[str, ...] = (*HEADLINE_COUNTS, "as-of", "source")
#: The page's words the tooltip script reads from the map (``data-l-*`` attributes).
TIP_WORDS: tuple[str, ...] = (*HEADLINE_COUNTS, "as_of", "source", "no_reports", "not_stated")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape(value: Any) -> str:
    """Text escaped for HTML content and quoted attributes (control characters dropped).

    Parameters
    ----------
    value
        Any value; it is written as ``str(value)``.

    Returns
    -------
    str
        The escaped text.

    Examples
    --------
    >>> escape('<b title="x">')
    '&lt;b title=&quot;x&quot;&gt;'
    """
    return html.escape(_CONTROL.sub("", str(value)), quote=True)


@dataclass(frozen=True)
class MapUnit:
    """What the map shows of one unit with reports.

    ``value`` is the mapped measure (``None``: reports, but none for this measure);
    ``tip`` holds the printed numbers by :data:`TIP_FIELDS` name; ``row_id`` is the id
    of the unit's row in the table.
    """

    code: str
    name: str
    value: float | None
    value_label: str
    tip: dict[str, str] = field(default_factory=dict)
    row_id: str = ""


def map_boundaries(units: gpd.GeoDataFrame | None, codes: Iterable[str]) -> gpd.GeoDataFrame | None:
    """The boundaries to draw: ``units`` checked, or the bundled ones when ``None``.

    Parameters
    ----------
    units
        Boundaries with a ``unit_code`` column and a CRS, or None for the bundled ones.
    codes
        The codes of the units with reports (to tell whether a bundled country matches).

    Returns
    -------
    geopandas.GeoDataFrame or None
        The boundaries in EPSG:4326 without empty geometries, or ``None`` when no bundled
        country matches ``codes`` (then there is no map).

    Raises
    ------
    UsageError
        When ``units`` is not a GeoDataFrame with ``unit_code``, or has no CRS.

    Examples
    --------
    >>> boundaries = map_boundaries(None, ["AZ-TAR"])
    >>> boundaries.crs.to_string(), "AZ-TAR" in set(boundaries["unit_code"])
    ('EPSG:4326', True)
    >>> map_boundaries(None, ["XX-1"]) is None
    True
    """
    if units is None:
        countries = {str(c).split("-")[0] for c in codes}
        if not countries & set(BUNDLED_BOUNDARIES):
            return None
        units = bundled_units(list(BUNDLED_BOUNDARIES))  # neighbours become grey context
    if not isinstance(units, gpd.GeoDataFrame) or "unit_code" not in units.columns:
        raise UsageError(
            "units must be a GeoDataFrame with a unit_code column "
            "(damage_data.places.gazetteer.bundled_units() gives the bundled ones)"
        )
    if units.crs is None:
        raise UsageError("units have no CRS; set one (units.set_crs('EPSG:4326'))")
    keep = units.geometry.notna() & ~units.geometry.is_empty
    out = units.loc[keep].to_crs("EPSG:4326")
    out["unit_code"] = out["unit_code"].astype(str)
    return out


def _names(boundaries: gpd.GeoDataFrame, lang: str) -> list[str]:
    codes = boundaries["unit_code"].tolist()
    own = (
        boundaries["name"].astype("string").fillna("").tolist()
        if "name" in boundaries.columns
        else [""] * len(codes)
    )
    try:
        shown = display_names(codes, lang if lang in DISPLAY_LANGS else "en")
    except (LookupError, ValueError):  # a display name is a nicety
        shown = [""] * len(codes)
    return [s or o or c for s, o, c in zip(shown, own, codes, strict=True)]


def nice_km(target: float) -> float:
    """The largest of 1, 2, 5 × 10ⁿ km not above ``target`` (a scale bar's length).

    Parameters
    ----------
    target
        The longest the bar may be, in km.

    Returns
    -------
    float
        The bar's length in km.

    Examples
    --------
    >>> nice_km(37.0), nice_km(0.4)
    (20.0, 0.2)
    """
    exp = 10 ** math.floor(math.log10(max(target, 1e-9)))
    return float(max(m * exp for m in (1, 2, 5, 10) if m * exp <= target))


def svg_path(geom: Any) -> str:
    """SVG path data of a (multi)polygon in SVG coordinates, one decimal, holes included.

    Parameters
    ----------
    geom
        A shapely Polygon, MultiPolygon or a collection holding them, already in SVG
        coordinates (y down).

    Returns
    -------
    str
        The ``d`` attribute of a ``<path>``; empty when there is no polygon.

    Examples
    --------
    >>> from shapely import box
    >>> svg_path(box(0, 0, 2, 1))
    'M2.0 0.0L2.0 1.0L0.0 1.0L0.0 0.0Z'
    """
    polys: list[Any]
    if isinstance(geom, Polygon):
        polys = [geom]
    else:
        polys = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
        polys = [p for g in polys for p in (g.geoms if isinstance(g, MultiPolygon) else [g])]
    parts: list[str] = []
    for poly in polys:
        for ring in (poly.exterior, *poly.interiors):
            points: list[str] = []
            for x, y in ring.coords[:-1]:
                point = f"{x:.1f} {y:.1f}"
                if not points or points[-1] != point:
                    points.append(point)
            if len(points) >= 3:
                parts.append("M" + "L".join(points) + "Z")
    return "".join(parts)


def _class_fills(
    reported: Mapping[str, MapUnit], percent: bool, lang: str, labels: Mapping[str, str]
) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str]]]:
    """(fill, class name) per unit code, and the legend's (fill, text) rows."""
    fills: dict[str, tuple[str, str]] = {}
    legend: list[tuple[str, str]] = []
    positive = {c: u.value for c, u in reported.items() if u.value is not None and u.value > 0}
    if positive:
        values = list(positive.values())
        classes, _ = classify(values, percent=percent)
        colours = ramp(int(max(classes)) + 1)
        for code, cls in zip(positive, classes, strict=True):
            fills[code] = (colours[int(cls)], f"c{int(cls)}")
        legend += list(
            zip(colours, class_labels(values, classes.tolist(), percent, lang), strict=True)
        )
    zeros = [c for c, u in reported.items() if u.value == 0]
    if zeros:
        legend.insert(0, (ZERO_COLOUR, labels["zero_legend"]))
        fills.update({c: (ZERO_COLOUR, "zero") for c in zeros})
    silent = [c for c, u in reported.items() if u.value is None]
    if silent:
        legend.append((NOT_STATED_FILL, labels["not_stated_legend"]))
        fills.update({c: (NOT_STATED_FILL, "not-stated") for c in silent})
    return fills, legend


def class_labels(
    values: Sequence[float], classes: Sequence[int], percent: bool, lang: str
) -> list[str]:
    r"""A legend label per class, written with the marks of ``lang``.

    Whole counts get contiguous ranges (``1–47``, ``48–325``), shares percentages.

    Parameters
    ----------
    values
        The mapped values.
    classes
        The class (0, 1, …) of each value; every class has at least one member.
    percent
        The values are shares (0–1).
    lang
        The language whose number marks are used.

    Returns
    -------
    list of str
        One label per class, lowest first.

    Examples
    --------
    >>> class_labels([7, 11, 47, 160], [0, 0, 1, 1], False, "en")
    ['7–11', '12–160']
    >>> class_labels([0.4, 0.87], [0, 1], True, "ru") == ["40\xa0%", "87\xa0%"]
    True
    """
    members = [
        [v for v, c in zip(values, classes, strict=True) if c == k] for k in range(max(classes) + 1)
    ]
    whole = not percent and all(float(v).is_integer() for v in values)
    out: list[str] = []
    previous: float | None = None
    for group in members:
        low, high = min(group), max(group)
        if whole and previous is not None:
            low = min(low, previous + 1)  # no gap between classes of whole counts
        if percent:
            low_pct, high_pct = round(100 * low), round(100 * high)
            text = share_label(high, lang)
            if low_pct != high_pct:
                text = f"{format_number(low_pct, lang)}–{text}"
        else:
            text = format_number(high, lang)
            if low != high:
                text = f"{format_number(low, lang)}–{text}"
        out.append(text)
        previous = high
    return out


def _swatch(fill: str) -> str:
    return (
        '<svg width="20" height="14" viewBox="0 0 20 14" aria-hidden="true" focusable="false">'
        f'<rect x=".5" y=".5" width="19" height="13" fill="{escape(fill)}" stroke="#9a9a9a"/>'
        "</svg>"
    )


def _place_labels(drawn: Sequence[tuple[MapUnit, Any]], height: float) -> list[str]:
    """Name and value of each unit with a value, inside it when it fits, else beside it.

    A label never overlaps another label, and one beside its unit covers no other reporting
    unit; a label that finds no room is left out (the unit keeps its tooltip, and the table
    has every number).
    """
    size = LABEL_SIZE
    placed: list[Any] = [box(0, height - 34, 150, height)]  # the scale bar's corner
    frame = box(2, 2, MAP_WIDTH - 2, height - 2)
    out: list[str] = []

    def text_box(cx: float, cy: float, lines: Sequence[str]) -> Any:
        width = max(len(t) for t in lines) * size * 0.58 + 4
        half_h = len(lines) * size * 0.62 + 1
        return box(cx - width / 2, cy - half_h, cx + width / 2, cy + half_h)

    def emit(cx: float, cy: float, lines: Sequence[str]) -> None:
        spans = "".join(
            f'<tspan x="{cx:.1f}" dy="{-(len(lines) - 1) * size * 0.6 if i == 0 else size * 1.2:.1f}"'
            f"{' class=' + chr(34) + 'v' + chr(34) if i == 1 else ''}>{escape(t)}</tspan>"
            for i, t in enumerate(lines)
        )
        out.append(
            f'<text class="lbl" x="{cx:.1f}" y="{cy + size * 0.35:.1f}" '
            f'text-anchor="middle" aria-hidden="true">{spans}</text>'
        )

    labelled = sorted(
        ((u, g) for u, g in drawn if u.value is not None), key=lambda ug: -(ug[0].value or 0)
    )
    others = [g for _, g in labelled]
    pending = []
    for unit, geom in labelled:
        lines = [unit.name, unit.value_label]
        part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
        anchor = polylabel(part, tolerance=1.0)
        candidate = text_box(anchor.x, anchor.y, lines)
        if geom.buffer(1.0).contains(candidate) and not any(
            candidate.intersects(p) for p in placed
        ):
            placed.append(candidate)
            emit(anchor.x, anchor.y, lines)
        else:
            pending.append((unit, geom, lines, anchor))
    for unit, geom, lines, anchor in pending:
        x0, y0, x1, y1 = geom.bounds
        bx0, by0, bx1, by1 = text_box(0, 0, lines).bounds
        w, h, gap = bx1 - bx0, by1 - by0, 8.0
        spots = [
            (x1 + gap + w / 2, anchor.y),
            (x0 - gap - w / 2, anchor.y),
            (anchor.x, y0 - gap - h / 2),
            (anchor.x, y1 + gap + h / 2),
        ]
        for cx, cy in spots:
            candidate = text_box(cx, cy, lines)
            clash = any(candidate.intersects(p) for p in placed) or any(
                candidate.intersection(g).area > 0.05 * candidate.area
                for g in others
                if g is not geom
            )
            if frame.contains(candidate) and not clash:
                placed.append(candidate)
                edge = candidate.exterior.interpolate(candidate.exterior.project(anchor))
                out.append(
                    f'<line class="leader" x1="{anchor.x:.1f}" y1="{anchor.y:.1f}" '
                    f'x2="{edge.x:.1f}" y2="{edge.y:.1f}"/>'
                )
                emit(cx, cy, lines)
                break
        else:
            log.info("map: no room for the label of %s", unit.code)
    return out


def _frame(focus: gpd.GeoSeries) -> tuple[str, float, float, float, float]:
    """A local projection and the framed window (left, top, width, height) in its metres."""
    lon0, lat0, lon1, lat1 = focus.total_bounds
    crs = (
        f"+proj=tmerc +lat_0={(lat0 + lat1) / 2:.4f} +lon_0={(lon0 + lon1) / 2:.4f} +k=1 "
        "+x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
    )
    x0, y0, x1, y1 = focus.to_crs(crs).total_bounds
    span = max(x1 - x0, y1 - y0, 20_000.0)
    width = max(x1 - x0, span * 0.5) + 0.16 * span
    height = max(y1 - y0, span * 0.5) + 0.16 * span
    # a landscape frame between 4:3 and 16:10 sits well above the table
    if width / height < 4 / 3:
        width = height * 4 / 3
    elif width / height > 1.6:
        height = width / 1.6
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return crs, cx - width / 2, cy + height / 2, width, height


#: The fills of "no reports" (hatched) and "reported, but not this measure" (dotted).
PATTERNS = (
    '<defs><pattern id="dd-hatch" width="7" height="7" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="7" height="7" fill="#f5f5f5"/>'
    '<line x1="0" y1="0" x2="0" y2="7" stroke="#d4d4d4" stroke-width="1"/></pattern>'
    '<pattern id="dd-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
    '<rect width="5" height="5" fill="#fff"/><circle cx="2.5" cy="2.5" r=".9" '
    'fill="#9a9a9a"/></pattern></defs>'
)


@dataclass(frozen=True)
class _View:
    """The map's window: a local projection, and the framed window (left, top, width,
    height) in its metres."""

    crs: str
    left: float
    top: float
    width: float
    height: float

    @classmethod
    def framing(cls, focus: gpd.GeoSeries) -> _View:
        return cls(*_frame(focus))

    @property
    def scale(self) -> float:
        """SVG units per metre."""
        return MAP_WIDTH / self.width

    @property
    def svg_height(self) -> float:
        return self.height * self.scale

    def shapes(self, geo: gpd.GeoSeries) -> list[Any]:
        """Each geometry in SVG coordinates: what lies far outside the window is clipped
        (it is never seen), the rest simplified to about half a pixel."""
        left, top, width, height = self.left, self.top, self.width, self.height
        window = box(left - width, top - 2 * height, left + 2 * width, top + height)
        clipped = shapely.intersection(geo.to_crs(self.crs).to_numpy(), window)
        tolerance = 0.6 / self.scale
        try:  # coverage simplification keeps neighbours' shared edges together
            simple = shapely.coverage_simplify(clipped, tolerance=tolerance)
        except shapely.errors.GEOSException:
            simple = shapely.simplify(clipped, tolerance, preserve_topology=True)
        to_svg = [self.scale, 0, 0, -self.scale, -left * self.scale, top * self.scale]
        return [None if g is None or g.is_empty else affine_transform(g, to_svg) for g in simple]


def _unit_path(
    code: str,
    name: str,
    d: str,
    unit: MapUnit | None,
    fills: Mapping[str, tuple[str, str]],
    labels: Mapping[str, str],
) -> str:
    """The path of a unit of a reporting country: hatched without reports, else coloured
    by its class, focusable, with its numbers as ``data-*`` and as its title."""
    attrs: dict[str, str] = {"id": f"unit-{code}", "data-unit": code}
    if unit is None:
        css, fill = "unit no-reports", NO_REPORTS_FILL
        attrs.update({"data-name": name, "data-status": "no-reports"})
        tip = f"{name}: {labels['no_reports']}"
    else:
        fill, cls = fills.get(code, (NOT_STATED_FILL, "not-stated"))
        css = f"unit {cls}"
        attrs.update({"data-name": unit.name, "data-status": "reported"})
        attrs.update({f"data-{k}": unit.tip.get(k, "") for k in TIP_FIELDS})
        attrs.update({"data-row": unit.row_id, "tabindex": "0"})
        tip = _tip_text(unit, labels)
        attrs["aria-label"] = tip
    attributes = "".join(f' {k}="{escape(v)}"' for k, v in attrs.items())
    return (
        f'<path class="{css}" d="{d}" fill="{escape(fill)}" fill-rule="evenodd"'
        f"{attributes}><title>{escape(tip)}</title></path>"
    )


def _tip_text(unit: MapUnit, labels: Mapping[str, str]) -> str:
    """The tooltip as one sentence (the title and label read without script)."""
    said = [
        f"{labels[k]} {unit.tip.get(k) or labels['not_stated'].lower()}" for k in HEADLINE_COUNTS
    ]
    tip = f"{unit.name}: {', '.join(said)}"
    if unit.tip.get("as-of"):
        tip += f"; {labels['as_of'].lower()} {unit.tip['as-of']}"
    if unit.tip.get("source"):
        tip += f"; {labels['source'].lower()}: {unit.tip['source']}"
    return tip


def _dot(code: str, geom: Any) -> list[str]:
    """A dot on a unit too small to point at (none for the others)."""
    if geom.area >= SMALL_UNIT_AREA:
        return []
    point = geom.representative_point()
    return [
        f'<circle class="dot" cx="{point.x:.1f}" cy="{point.y:.1f}" r="4" '
        f'data-for="{escape(f"unit-{code}")}" aria-hidden="true"/>'
    ]


def _scale_bar(view: _View, lang: str, labels: Mapping[str, str]) -> str:
    km = nice_km(view.width / 5 / 1000)
    bar, y = km * 1000 * view.scale, view.svg_height - 14
    return (
        f'<g class="scale" aria-hidden="true"><line x1="12" y1="{y:.1f}" x2="{12 + bar:.1f}" '
        f'y2="{y:.1f}"/><line x1="12" y1="{y - 4:.1f}" x2="12" y2="{y + 4:.1f}"/>'
        f'<line x1="{12 + bar:.1f}" y1="{y - 4:.1f}" x2="{12 + bar:.1f}" y2="{y + 4:.1f}"/>'
        f'<text x="12" y="{y - 7:.1f}">'
        f"{escape(labels['scale_km'].format(km=format_number(km, lang)))}</text></g>"
    )


def _tip_words(labels: Mapping[str, str]) -> str:
    """The page's words for the tooltip script, as ``data-l-*`` attributes of the map."""
    return "".join(f' data-l-{k.replace("_", "-")}="{escape(labels[k])}"' for k in TIP_WORDS)


def svg_map(
    boundaries: gpd.GeoDataFrame,
    reported: Mapping[str, MapUnit],
    *,
    lang: str,
    labels: Mapping[str, str],
    caption: str = "",
    percent: bool = False,
) -> tuple[str, str]:
    """The map as inline SVG and its legend as HTML (both empty when nothing is mapped).

    Every boundary of a country with reports is a ``path.unit`` (id ``unit-CODE``, the
    numbers in ``data-*`` attributes, a ``<title>`` for reading without script); units of
    the reporting countries are hatched "No reports" when absent from ``reported``;
    boundaries of other countries are grey context without tooltip. The view is framed on
    the reporting units; boundaries more than a frame's width or height away from it are
    left out (they could never be seen).

    Parameters
    ----------
    boundaries
        From :func:`map_boundaries` (EPSG:4326, ``unit_code``).
    reported
        The units with reports, by code.
    lang
        Number marks and display names of units without reports.
    labels
        The page's words (:func:`damage_data.webpage.page_labels`).
    caption
        What the map shows, for screen readers (``aria-label``).
    percent
        The mapped values are shares (legend in percent).

    Returns
    -------
    tuple of str
        The ``<svg>`` element and the legend's HTML; two empty strings when no country
        of ``reported`` has boundaries.

    Examples
    --------
    >>> from damage_data.places.gazetteer import bundled_units
    >>> from damage_data.webpage import page_labels
    >>> tar = MapUnit("AZ-TAR", "Tartar", 293.0, "293", {"total": "293"}, "row-AZ-TAR")
    >>> svg, legend = svg_map(bundled_units("AZ"), {"AZ-TAR": tar}, lang="en",
    ...                       labels=page_labels("en"))
    >>> 'id="unit-AZ-TAR"' in svg, 'data-total="293"' in svg, legend.count("<li>")
    (True, True, 2)
    """
    countries = {c.split("-")[0] for c in reported}
    codes = [str(c) for c in boundaries["unit_code"]]
    context = [c not in reported and c.split("-")[0] not in countries for c in codes]
    if all(context):
        return "", ""
    geo = gpd.GeoSeries(boundaries.geometry.to_numpy(), crs="EPSG:4326")
    focus = geo[[c in reported for c in codes]]
    view = _View.framing(focus if len(focus) else geo[[not c for c in context]])
    fills, legend = _class_fills(reported, percent, lang, labels)
    names = _names(boundaries, lang)
    paths: list[str] = []
    dots: list[str] = []
    drawn: list[tuple[MapUnit, Any]] = []
    any_silent = False
    for code, name, is_context, geom in zip(codes, names, context, view.shapes(geo), strict=True):
        d = "" if geom is None or geom.is_empty else svg_path(geom)
        if not d:
            continue
        if is_context:
            paths.append(f'<path class="context" d="{d}" fill="{CONTEXT_FILL}"/>')
            continue
        unit = reported.get(code)
        if unit is None:
            any_silent = True
        else:
            drawn.append((unit, geom))
            dots += _dot(code, geom)
        paths.append(_unit_path(code, name, d, unit, fills, labels))
    if any_silent:
        legend.append((NO_REPORTS_FILL, labels["no_reports"]))
    svg = (
        f'<svg class="map" viewBox="0 0 {MAP_WIDTH:.0f} {view.svg_height:.0f}" role="group" '
        f'aria-label="{escape(caption)}"{_tip_words(labels)}'
        f' xmlns="http://www.w3.org/2000/svg">{PATTERNS}<g class="units">{"".join(paths)}</g>'
        f'<path id="dd-hl" class="hl" d=""/>{"".join(dots)}'
        f'<g class="labels">{"".join(_place_labels(drawn, view.svg_height))}</g>'
        f"{_scale_bar(view, lang, labels)}</svg>"
    )
    legend_html = "".join(
        f"<li>{_swatch(fill)}<span>{escape(text)}</span></li>" for fill, text in legend
    )
    return svg, f'<ul class="legend">{legend_html}</ul>'


__all__ = [
    "HEADLINE_COUNTS",
    "MapUnit",
    "class_labels",
    "escape",
    "map_boundaries",
    "nice_km",
    "svg_map",
    "svg_path",
]
