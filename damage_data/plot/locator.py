"""Where a map sits: the inset locator (country outline and the main view) and the scale bar."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle, Rectangle
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar
from shapely.geometry import box

from .. import style
from .._errors import UsageError
from ..numbers import format_number
from .i18n import text
from .layers import add_polygons, add_rings

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes

View = tuple[float, float, float, float]

#: Lower-left corner of the inset in axes fractions, per corner of the map.
CORNER_BOUNDS = {
    "upper left": (0.0, 0.70),
    "upper right": (0.75, 0.70),
    "lower left": (0.0, 0.0),
    "lower right": (0.75, 0.0),
}
INSET_SIZE = (0.25, 0.30)
#: A view smaller than this share of the inset's width is also ringed, to be seen.
SMALL_VIEW = 0.06


def free_corners(reporting: Any, view: View) -> list[str]:
    """Corners of the view ordered by how little of the reporting units they cover.

    Parameters
    ----------
    reporting
        The reporting units as one shapely geometry, in the map's coordinates.
    view
        The map's view, ``(x0, y0, x1, y1)``.

    Returns
    -------
    list of str
        The four corners (``"upper left"``…), freest first.

    Examples
    --------
    >>> from shapely import box
    >>> free_corners(box(0, 30_000, 20_000, 40_000), (0, 0, 50_000, 40_000))[-1]
    'upper left'
    """
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


def shows_whole_country(country: Any, view: View) -> bool:
    """True when the view covers at least 80% of the country's bounding box.

    Parameters
    ----------
    country
        The country's outline (shapely), in the map's coordinates.
    view
        The map's view, ``(x0, y0, x1, y1)``.

    Returns
    -------
    bool
        Whether a locator would show nothing new.

    Examples
    --------
    >>> from shapely import box
    >>> shows_whole_country(box(0, 0, 10, 10), (0, 0, 10, 10))
    True
    >>> shows_whole_country(box(0, 0, 100, 100), (0, 0, 10, 10))
    False
    """
    bounds = box(*country.bounds)
    return bool(bounds.area) and bounds.intersection(box(*view)).area >= 0.8 * bounds.area


def _inset_frame(inset: Axes) -> None:
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_xlabel("")
    inset.set_ylabel("")
    inset.set_facecolor("white")
    for spine in inset.spines.values():
        spine.set_visible(True)
        spine.set_edgecolor("#b5b5b5")
        spine.set_linewidth(0.6)


def draw_inset(ax: Axes, country: Any, ctx: gpd.GeoDataFrame | None, corner: str) -> Axes:
    """A locator: the country's outline, its neighbours, and a frame around the main view.

    The frame follows the main view when layout changes the axes; the locator hides itself
    when the map already shows the whole country.

    Parameters
    ----------
    ax
        The map's axes.
    country
        The country's outline (shapely), in the map's coordinates.
    ctx
        Neighbouring boundaries drawn grey, or None.
    corner
        Where the locator sits (a key of :data:`CORNER_BOUNDS`).

    Returns
    -------
    matplotlib.axes.Axes
        The locator's axes (a child of ``ax``).

    Examples
    --------
    >>> from shapely import box
    >>> from damage_data.style import detached_axes
    >>> ax = detached_axes()
    >>> _ = ax.set_xlim(0, 50_000), ax.set_ylim(0, 40_000)
    >>> inset = draw_inset(ax, box(-100_000, -100_000, 200_000, 200_000), None, "lower left")
    >>> inset in ax.child_axes
    True
    """
    x, y = CORNER_BOUNDS[corner]
    inset = ax.inset_axes((x, y, *INSET_SIZE), zorder=6)
    inset.set_gid("damage_data:inset")
    minx, miny, maxx, maxy = country.bounds
    pad = 0.08 * max(maxx - minx, maxy - miny)
    if ctx is not None and len(ctx):
        near = ctx.cx[minx - 3 * pad : maxx + 3 * pad, miny - 3 * pad : maxy + 3 * pad]
        if len(near):
            add_polygons(
                inset, near.geometry, facecolor="#f3f3f3", edgecolor="#d6d6d6", linewidth=0.3
            )
    add_polygons(
        inset,
        [country],
        facecolor="#dcdcdc",
        edgecolor="none",
        gid="damage_data:inset_country",
    )
    add_rings(inset, [country], color="#6f6f6f", linewidth=0.6, gid="damage_data:inset_outline")
    _inset_frame(inset)
    ring = Circle((0, 0), 1, facecolor="none", edgecolor=style.INK, linewidth=0.9, zorder=5)
    ring.set_gid("damage_data:inset_ring")
    inset.add_patch(ring)
    rect = Rectangle((0, 0), 1, 1, facecolor="none", edgecolor=style.INK, linewidth=0.9, zorder=5)
    rect.set_gid("damage_data:inset_view")
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
        inset.set_aspect("equal", adjustable="datalim")
        # a view a few pixels wide in the locator is ringed so that it can be found
        span = max(x1 - x0, y1 - y0)
        small = max(b - a, d - c) < SMALL_VIEW * span
        ring.set_center(((a + b) / 2, (c + d) / 2))
        ring.set_radius(0.07 * span)
        ring.set_visible(small)
        # a locator adds nothing when the map already shows the whole country
        inset.set_visible(not shows_whole_country(country, (a, c, b, d)))

    follow(None)
    ax.callbacks.connect("xlim_changed", follow)
    ax.callbacks.connect("ylim_changed", follow)
    return inset


def nice_length(target_m: float) -> float:
    """The largest 1-2-2.5-5 × 10ⁿ metres not above ``target_m`` (scale-bar lengths).

    Parameters
    ----------
    target_m
        The longest bar wanted, in metres.

    Returns
    -------
    float
        A round length in metres.

    Examples
    --------
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


def scale_label(length_m: float, lang: str = "en") -> str:
    """A scale-bar length as text: ``"25 km"``, ``"2,5 км"``, ``"500 m"``.

    Parameters
    ----------
    length_m
        The bar's length in metres.
    lang
        A display language.

    Returns
    -------
    str
        The label, in km from 1000 m.

    Examples
    --------
    >>> scale_label(25_000), scale_label(2_500, "ru"), scale_label(500)
    ('25 km', '2,5 км', '500 m')
    """
    if length_m < 1000:
        return text("unit.m", lang, value=format_number(length_m, lang))
    km = length_m / 1000
    number = format_number(km, lang, decimals=1 if km % 1 else 0)
    return text("unit.km", lang, value=number)


def draw_scale_bar(ax: Axes, view: View, corner: str, lang: str) -> AnchoredSizeBar:
    """A scale bar about a fifth of the view wide, in round kilometres (or metres).

    Parameters
    ----------
    ax
        The map's axes (coordinates in metres).
    view
        The map's view, ``(x0, y0, x1, y1)``.
    corner
        Where the bar sits (``"lower right"``…).
    lang
        The language of its label.

    Returns
    -------
    AnchoredSizeBar
        The bar, added to ``ax``.

    Examples
    --------
    >>> from damage_data.style import detached_axes
    >>> bar = draw_scale_bar(detached_axes(), (0, 0, 50_000, 40_000), "lower right", "en")
    >>> bar.txt_label.get_text()
    '10 km'
    """
    length = nice_length(0.2 * (view[2] - view[0]))
    bar = AnchoredSizeBar(
        ax.transData,
        length,
        scale_label(length, lang),
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
    return bar
