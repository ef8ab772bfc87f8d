"""Labels placed at draw time without collisions, each on its own unit or tied to it by a line.

Placement waits for drawing because :func:`damage_data.style.finalise` and the export
presets resize the axes while text sizes stay in points. A label tries positions around its
anchor (a point well inside its unit); a position counts as "on its unit" when most of the
label lies inside the unit's polygon. Labels of units with figures that fit nowhere on their
unit move next to it with a leader line; other labels that fit nowhere are dropped. A label
is never drawn over another label, and never sits on a neighbouring unit without a line to
its own.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import shapely
from matplotlib import patheffects
from matplotlib.artist import Artist
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox, IdentityTransform, offset_copy
from shapely.geometry import box as shapely_box

from .. import style

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.text import Text

log = logging.getLogger(__name__)

#: Share of a label's box that must lie inside its unit for the label to sit "on" it.
ON_UNIT_SHARE = 0.7
#: Offsets (points) tried first, around the anchor.
NEAR: tuple[tuple[int, int], ...] = (
    (0, 0), (0, 13), (0, -13), (22, 0), (-22, 0), (18, 12), (-18, 12), (18, -12), (-18, -12),
)  # fmt: skip
#: Further offsets, for labels that must be shown (units with figures).
FAR: tuple[tuple[int, int], ...] = (
    (0, 20), (0, -20), (28, 0), (-28, 0), (24, 16), (-24, 16), (24, -16), (-24, -16),
    (0, 32), (0, -32), (40, 0), (-40, 0), (36, 26), (-36, 26), (36, -26), (-36, -26),
    (0, 46), (0, -46), (56, 0), (-56, 0), (50, 34), (-50, 34), (50, -34), (-50, -34),
)  # fmt: skip


@dataclass
class _Item:
    text: Text
    xy: tuple[float, float]
    priority: int
    required: bool
    region: Any  # a shapely polygon in data coordinates, or None
    off_anchor: bool
    candidates: tuple[tuple[int, int], ...] | None
    leader: bool
    inside: list[tuple[float, float]]  # points inside the region, nearest the anchor first


def _inside_points(region: Any, xy: tuple[float, float], n: int = 9) -> list[tuple[float, float]]:
    """Points of an ``n``×``n`` grid over the region that lie inside it, nearest ``xy`` first."""
    x0, y0, x1, y1 = region.bounds
    xs = [x0 + (x1 - x0) * (i + 0.5) / n for i in range(n)]
    ys = [y0 + (y1 - y0) * (j + 0.5) / n for j in range(n)]
    grid = [(x, y) for x in xs for y in ys]
    inside = [
        p
        for p, ok in zip(grid, shapely.contains_xy(region, *zip(*grid, strict=True)), strict=True)
        if ok
    ]
    return sorted(inside, key=lambda p: (p[0] - xy[0]) ** 2 + (p[1] - xy[1]) ** 2)[:24]


def overlap_area(a: Bbox, b: Bbox) -> float:
    """Area shared by two boxes (0 when they only touch).

    Parameters
    ----------
    a, b
        The boxes.

    Returns
    -------
    float
        The area of their intersection.

    Examples
    --------
    >>> from matplotlib.transforms import Bbox
    >>> overlap_area(Bbox.from_extents(0, 0, 2, 2), Bbox.from_extents(1, 1, 3, 3))
    1.0
    >>> overlap_area(Bbox.from_extents(0, 0, 1, 1), Bbox.from_extents(1, 0, 2, 1))
    0.0
    """
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return float(w * h) if w > 0 and h > 0 else 0.0


class LabelLayer(Artist):
    """Unit labels placed greedily at draw time so that they never overlap.

    Parameters
    ----------
    ax
        The axes the labels belong to; add the layer with ``ax.add_artist(layer)`` after
        the labels.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> layer = LabelLayer(ax)
    >>> t = layer.add("A", (0.5, 0.5), priority=0, required=True, size=8, color="k",
    ...               weight="bold")
    >>> _ = ax.add_artist(layer)
    >>> fig.canvas.draw()
    >>> t.get_visible()
    True
    >>> plt.close(fig)
    """

    def __init__(self, ax: Axes) -> None:
        super().__init__()
        self.axes = ax
        self._ax: Axes = ax  # typed handle (Artist.axes is Optional)
        self.set_zorder(4.9)  # before the texts (zorder 5), so they draw where placed
        self.items: list[_Item] = []
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
        region: Any = None,
        off_anchor: bool = False,
        candidates: Sequence[tuple[int, int]] | None = None,
        gid: str = "damage_data:label",
        leader: bool = True,
    ) -> Text:
        """Add one label anchored at ``xy`` (data coordinates) and return its text artist.

        Parameters
        ----------
        text
            The label.
        xy
            Its anchor, in data coordinates.
        priority
            Labels are placed in this order (0 first).
        required
            A required label may leave its region with a leader line; others are dropped
            when the region has no room.
        size, color, weight
            The text's font size (points), colour and weight.
        region
            The polygon the label belongs on (data coordinates), or None.
        off_anchor
            Never place the label on the anchor itself (keeps a small unit's dot visible).
        candidates
            Offsets (points) to try around the anchor, in order; None for the default ring.
        gid
            The text's SVG id.
        leader
            Whether a label placed away from its anchor gets a leader line.

        Returns
        -------
        matplotlib.text.Text
            The label's artist; hidden at draw time if it finds no room.

        Examples
        --------
        >>> from damage_data.style import detached_axes
        >>> layer = LabelLayer(detached_axes())
        >>> label = layer.add("Tərtər", (0.5, 0.5), priority=0, required=True, size=8,
        ...                   color="k", weight="bold")
        >>> label.get_text(), len(layer.items)
        ('Tərtər', 1)
        """
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
        inside: list[tuple[float, float]] = []
        if region is not None:
            region = shapely.make_valid(region)
            shapely.prepare(region)
            inside = _inside_points(region, xy)
        self.items.append(
            _Item(
                text=artist,
                xy=xy,
                priority=priority,
                required=required,
                region=region,
                off_anchor=off_anchor,
                candidates=tuple(candidates) if candidates is not None else None,
                leader=leader,
                inside=inside,
            )
        )
        return artist

    def _obstacles(self, renderer: RendererBase) -> list[Bbox]:
        ax = self._ax
        found = [
            child.get_window_extent(renderer) for child in ax.child_axes if child.get_visible()
        ]
        radius = 5 * renderer.points_to_pixels(1.0)  # type: ignore[operator]
        for collection in ax.collections:  # the dots marking small units stay visible
            if (collection.get_gid() or "").endswith(":dots"):
                for x, y in ax.transData.transform(collection.get_offsets()):
                    found.append(Bbox.from_extents(x - radius, y - radius, x + radius, y + radius))
        for artist in [*ax.artists, ax.get_legend()]:
            if artist is not None and artist is not self and artist.get_visible():
                found.append(artist.get_window_extent(renderer))
        return found

    def _on_region(self, item: _Item, box: Bbox) -> bool:
        """True when most of ``box`` (display pixels) lies inside the item's unit."""
        if item.region is None:
            return True
        (x0, y0), (x1, y1) = self._ax.transData.inverted().transform(
            [(box.x0, box.y0), (box.x1, box.y1)]
        )
        rect = shapely_box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        if item.region.contains(rect):
            return True
        if not item.region.intersects(rect) or rect.area == 0:
            return False
        return bool(item.region.intersection(rect).area >= ON_UNIT_SHARE * rect.area)

    def _inside_offsets(self, item: _Item, renderer: RendererBase) -> tuple[tuple[int, int], ...]:
        """Offsets (points) from the anchor to the sample points inside the item's unit."""
        if not item.inside:
            return ()
        per_point = float(renderer.points_to_pixels(1.0))  # type: ignore[arg-type]
        ax0, ay0 = self._ax.transData.transform(item.xy)
        out = []
        for x, y in self._ax.transData.transform(item.inside):
            out.append((round((x - ax0) / per_point), round((y - ay0) / per_point)))
        return tuple(dict.fromkeys(out))

    def _fits(self, box: Bbox, axbox: Bbox, taken: list[Bbox]) -> bool:
        inside = (
            box.x0 >= axbox.x0 and box.x1 <= axbox.x1 and box.y0 >= axbox.y0 and box.y1 <= axbox.y1
        )
        return inside and not any(overlap_area(box, o) > 0 for o in taken)

    def _place(
        self, item: _Item, renderer: RendererBase, axbox: Bbox, taken: list[Bbox]
    ) -> tuple[tuple[int, int], Bbox, bool] | None:
        """The first free position on the unit, else (required labels) beside it."""
        ax, fig = self._ax, self._ax.get_figure(root=True)
        candidates = item.candidates or (
            NEAR + self._inside_offsets(item, renderer) + (FAR if item.required else ())
        )
        if item.off_anchor:  # keep the dot of a small unit visible
            candidates = tuple(c for c in candidates if c != (0, 0))
        beside: tuple[tuple[int, int], Bbox, bool] | None = None
        for dx, dy in candidates:
            item.text.set_transform(offset_copy(ax.transData, fig, x=dx, y=dy, units="points"))
            box = item.text.get_window_extent(renderer).expanded(1.04, 1.1)
            if not self._fits(box, axbox, taken):
                continue
            if self._on_region(item, box):
                return (dx, dy), box, False
            if beside is None and item.required and item.leader:
                beside = ((dx, dy), box, True)
        return beside

    def draw(self, renderer: RendererBase) -> None:
        """Place every label (by priority) where it overlaps nothing already placed.

        Parameters
        ----------
        renderer
            The renderer drawing the figure.

        Examples
        --------
        >>> from damage_data.style import detached_axes
        >>> ax = detached_axes()
        >>> layer = LabelLayer(ax)
        >>> a = layer.add("A", (0.5, 0.5), priority=0, required=True, size=8, color="k",
        ...               weight="bold")
        >>> b = layer.add("B", (0.5, 0.5), priority=1, required=False, size=8, color="k",
        ...               weight="bold", candidates=[(0, 0)])
        >>> _ = ax.add_artist(layer)
        >>> ax.figure.canvas.draw()
        >>> a.get_visible(), b.get_visible()
        (True, False)
        """
        ax = self._ax
        fig = ax.get_figure(root=True)
        if fig is None or not self.get_visible():
            return
        axbox = ax.get_window_extent(renderer)
        taken = self._obstacles(renderer)
        self.leaders = []
        for item in sorted(self.items, key=lambda i: i.priority):
            found = self._place(item, renderer, axbox, taken)
            if found is None:
                item.text.set_visible(False)
                if item.required:
                    log.warning("no room for the label %r on the map", item.text.get_text())
                continue
            (dx, dy), box, off_unit = found
            item.text.set_transform(offset_copy(ax.transData, fig, x=dx, y=dy, units="points"))
            item.text.set_visible(True)
            taken.append(box)
            far = abs(dx) >= 25 or abs(dy) >= 25
            if item.leader and item.required and (off_unit or (item.region is None and far)):
                self._leader(item.xy, item.text.get_window_extent(renderer), renderer)

    def _leader(self, xy: tuple[float, float], box: Bbox, renderer: RendererBase) -> None:
        """A thin line from the anchor to the nearest point of a label's box."""
        ax = self._ax
        sx, sy = ax.transData.transform(xy)
        end = (min(max(sx, box.x0), box.x1), min(max(sy, box.y0), box.y1))
        line = Line2D(
            [sx, end[0]],
            [sy, end[1]],
            color=style.MUTED,
            linewidth=0.6,
            transform=IdentityTransform(),
            zorder=4.8,
        )
        line.set_figure(ax.get_figure(root=False))  # type: ignore[arg-type]
        line.set_gid("damage_data:leader")
        line.draw(renderer)
        self.leaders.append(line)

    def get_window_extent(self, renderer: Any = None) -> Bbox:
        """A null box: the layer itself takes no room (its labels do).

        Parameters
        ----------
        renderer
            Unused.

        Returns
        -------
        matplotlib.transforms.Bbox
            A null box.

        Examples
        --------
        >>> from damage_data.style import detached_axes
        >>> LabelLayer(detached_axes()).get_window_extent().extents.tolist()
        [inf, inf, -inf, -inf]
        """
        return Bbox.null()
