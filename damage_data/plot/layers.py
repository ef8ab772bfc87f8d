"""Geometry layers of a map: polygons, outlines and per-structure points, drawn directly.

Collections are built here rather than with ``GeoSeries.plot`` because that redraws the
whole figure after every call (``plt.draw()``), which made a map five times slower.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.path import Path as MplPath

from .. import style
from .._errors import UnknownLabelError, UsageError
from ..vocab import DAMAGE_STATES
from .i18n import text

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes

GID_STRUCTURES = "damage_data:structures:"
#: Least severe first, so destroyed structures are drawn on top.
STRUCTURE_ORDER: tuple[str, ...] = (
    "none",
    "unassessed",
    "possible",
    "minor",
    "moderate",
    "damaged",
    "severe",
    "damaged_or_destroyed",
    "destroyed",
)


def rings(geom: Any) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates of every ring of a (multi)polygon and the start index of each ring.

    Parameters
    ----------
    geom
        A shapely (multi)polygon.

    Returns
    -------
    tuple of numpy.ndarray
        ``(n, 2)`` coordinates, and the index where each ring starts.

    Examples
    --------
    >>> from shapely import box
    >>> coords, starts = rings(box(0, 0, 1, 1).difference(box(0.2, 0.2, 0.4, 0.4)))
    >>> coords.shape, starts.tolist()
    ((10, 2), [0, 5])
    """
    parts = shapely.get_rings(shapely.get_parts(geom))
    coords, index = shapely.get_coordinates(parts, return_index=True)
    starts = np.r_[0, np.flatnonzero(np.diff(index)) + 1] if len(coords) else np.zeros(0, int)
    return coords, starts


def add_polygons(
    ax: Axes, geoms: Iterable[Any], *, gid: str | None = None, **kwargs: Any
) -> PathCollection:
    """Add polygons (holes kept) to ``ax`` as one collection, without touching the limits.

    Parameters
    ----------
    ax
        The axes.
    geoms
        Shapely (multi)polygons; missing and empty ones are skipped.
    gid
        The collection's SVG id, or None.
    **kwargs
        Passed on to :class:`matplotlib.collections.PathCollection` (``facecolor``…).

    Returns
    -------
    PathCollection
        One path per polygon.

    Examples
    --------
    >>> from shapely import box
    >>> from damage_data.style import detached_axes
    >>> polygons = add_polygons(detached_axes(), [box(0, 0, 1, 1), None], facecolor="red")
    >>> len(polygons.get_paths())
    1
    """
    paths = []
    for geom in geoms:
        if geom is None or geom.is_empty:
            continue
        coords, starts = rings(geom)
        codes = np.full(len(coords), MplPath.LINETO, dtype=MplPath.code_type)
        codes[starts] = MplPath.MOVETO
        codes[np.r_[starts[1:] - 1, len(coords) - 1]] = MplPath.CLOSEPOLY
        paths.append(MplPath(coords, codes))
    collection = PathCollection(paths, **kwargs)
    if gid:
        collection.set_gid(gid)
    ax.add_collection(collection, autolim=False)
    return collection


def add_rings(
    ax: Axes, geoms: Iterable[Any], *, gid: str | None = None, **kwargs: Any
) -> LineCollection:
    """Add polygon outlines to ``ax`` as one line collection.

    Parameters
    ----------
    ax
        The axes.
    geoms
        Shapely (multi)polygons; missing and empty ones are skipped.
    gid
        The collection's SVG id, or None.
    **kwargs
        Passed on to :class:`matplotlib.collections.LineCollection` (``color``…).

    Returns
    -------
    LineCollection
        One line per ring (holes included).

    Examples
    --------
    >>> from shapely import box
    >>> from damage_data.style import detached_axes
    >>> holed = box(0, 0, 1, 1).difference(box(0.2, 0.2, 0.4, 0.4))
    >>> len(add_rings(detached_axes(), [holed]).get_segments())
    2
    """
    segments: list[np.ndarray] = []
    for geom in geoms:
        if geom is None or geom.is_empty:
            continue
        coords, starts = rings(geom)
        segments.extend(np.split(coords, starts[1:]))
    collection = LineCollection(segments, **kwargs)
    if gid:
        collection.set_gid(gid)
    ax.add_collection(collection, autolim=False)
    return collection


def _checked_damage(structures: gpd.GeoDataFrame) -> Any:
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
    return damage


def draw_structures(
    ax: Axes,
    structures: gpd.GeoDataFrame,
    crs: str,
    *,
    corner: str = "upper right",
    lang: str = "en",
) -> Legend:
    """Per-structure points, one fixed colour per damage state, with their own key.

    Parameters
    ----------
    ax
        The map's axes.
    structures
        Structures with a canonical ``damage`` column and a CRS (polygons are drawn at a
        point inside them).
    crs
        The map's CRS.
    corner
        Where the key sits.
    lang
        The language of the key.

    Returns
    -------
    matplotlib.legend.Legend
        The key (most severe first), an artist of its own beside the axes legend.

    Raises
    ------
    UsageError
        Without a ``damage`` column or a CRS.
    UnknownLabelError
        For a damage state that is not canonical.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from damage_data.style import detached_axes
    >>> points = gpd.GeoDataFrame({"damage": ["destroyed", "none", "destroyed"]},
    ...                           geometry=gpd.points_from_xy([1, 2, 3], [1, 2, 3]),
    ...                           crs="EPSG:3857")
    >>> key = draw_structures(detached_axes(), points, "EPSG:3857")
    >>> [t.get_text() for t in key.get_texts()]
    ['Destroyed', 'No visible damage']
    """
    damage = _checked_damage(structures)
    geoms = structures.to_crs(crs).geometry
    if not (geoms.geom_type == "Point").all():
        geoms = geoms.representative_point()
    xs, ys = geoms.x.to_numpy(), geoms.y.to_numpy()
    handles, labels = [], []
    present = set(damage.dropna())
    for state in [s for s in STRUCTURE_ORDER if s in present]:
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
            rasterized=bool(mask.sum() > 5000),
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
        labels.append(text(f"state.{state}", lang))
    # an artist of its own, so the choropleth key stays the axes legend (re-flowed by layout)
    key = Legend(
        ax,
        handles[::-1],
        labels[::-1],
        title=text("legend.structures", lang),
        loc=corner,  # type: ignore[arg-type]
        frameon=True,
        framealpha=0.9,
        edgecolor="none",
        title_fontproperties={"size": style.SMALL_SIZE, "weight": "bold"},
        fontsize=style.SMALL_SIZE,
        borderpad=0.4,
    )
    key.set_gid("damage_data:structures_legend")
    key.set_zorder(7)
    ax.add_artist(key)
    return key
