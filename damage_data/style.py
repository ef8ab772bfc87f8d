"""House style for maps and charts, and :func:`finalise`, the Datawrapper-like anatomy.

A published chart reads top to bottom: a title that states the finding, a description (measure,
unit, period), the data, then notes, the source line, a byline; alt text travels with the file
(REFERENCE §5). :func:`finalise` lays all of that out *inside* the figure, so the pixel size
never changes on export (``bbox_inches="tight"`` would crop the footer and change the size).
"""

from __future__ import annotations

import math
import re
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cycler import cycler

from . import numbers as _numbers
from ._errors import UsageError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

#: Web size of a chart in CSS pixels (Datawrapper's default card); exported at 2×.
WEB_SIZE_PX: tuple[int, int] = (640, 450)
#: Figure dpi at which one CSS pixel is one figure pixel (sizes below are in points).
CSS_DPI = 100
#: Figure size in inches matching :data:`WEB_SIZE_PX` at :data:`CSS_DPI`.
FIGSIZE: tuple[float, float] = (WEB_SIZE_PX[0] / CSS_DPI, WEB_SIZE_PX[1] / CSS_DPI)

FONT_FAMILY = ["DejaVu Sans"]  # ships with matplotlib; covers Latin, Cyrillic and Armenian
TITLE_SIZE = 12.0
SUBTITLE_SIZE = 9.5
BODY_SIZE = 8.0
LABEL_SIZE = 7.5
SMALL_SIZE = 6.5
FOOTER_SIZE = 6.5
MARGIN_PT = 10.0
#: Line spacing of the notes and source line (tighter than the header's 1.3).
FOOTER_LINESPACING = 1.2

INK = "#1d1d1d"  # text
MUTED = "#5e5e5e"  # secondary text
FAINT = "#9a9a9a"  # tertiary text, rules
NO_DATA = "#f0f0f0"  # "no reports" fill (hatched, so it never reads as zero)
NO_DATA_HATCH = "#bdbdbd"
CONTEXT = "#e4e4e4"  # land outside the mapped country
BOUNDARY = "#ffffff"

#: Okabe & Ito's colour-blind-safe qualitative palette (matplotlib's ``okabe_ito``).
OKABE_ITO: tuple[str, ...] = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
)

#: One fixed colour per canonical damage state, the same in every map and chart.
#: Severity darkens and reddens along Okabe-Ito hues, so the order survives colour blindness.
DAMAGE_COLOURS: dict[str, str] = {
    "destroyed": "#B52A00",
    "severe": "#D55E00",
    "damaged": "#E69F00",
    "moderate": "#E69F00",
    "minor": "#F0E442",
    "possible": "#56B4E9",
    "damaged_or_destroyed": "#CC79A7",
    "none": "#009E73",
    "unassessed": "#9a9a9a",
    "assessed": "#0072B2",
    "not_structure": "#000000",
}
#: Colours of the summary groups (DESIGN §3), taken from :data:`DAMAGE_COLOURS`.
GROUP_COLOURS: dict[str, str] = {
    "destroyed": DAMAGE_COLOURS["destroyed"],
    "damaged": DAMAGE_COLOURS["damaged"],
    "possibly_damaged": DAMAGE_COLOURS["possible"],
    "unsplit": DAMAGE_COLOURS["damaged_or_destroyed"],
    "assessed": DAMAGE_COLOURS["assessed"],
}
GROUP_LABELS: dict[str, str] = {
    "destroyed": "Destroyed",
    "damaged": "Damaged",
    "possibly_damaged": "Possibly damaged",
    "unsplit": "Destroyed or damaged, not split",
    "assessed": "Inspected",
}
#: Sequential ramp for choropleths: ColorBrewer "OrRd" (colour-blind safe, prints in grey).
SEQUENTIAL = "OrRd"

MAP_DISCLAIMER = "Boundaries and names shown do not imply endorsement or acceptance."
#: The footer's words in English; plots in other languages record theirs in
#: :class:`Provenance` (from ``data/i18n``).
FOOTER_WORDS: dict[str, str] = {
    "source": "Source: {names}",
    "sources": "Sources: {names}",
    "disclaimer": MAP_DISCLAIMER,
}

#: Thousands and decimal marks per display language, and the languages (from :mod:`.numbers`).
NUMBER_MARKS = _numbers.NUMBER_MARKS
LANGS: tuple[str, ...] = _numbers.LANGS

RC: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": FONT_FAMILY,
    "font.size": BODY_SIZE,
    "text.color": INK,
    "axes.edgecolor": FAINT,
    "axes.labelcolor": MUTED,
    "axes.labelsize": BODY_SIZE,
    "axes.titlesize": BODY_SIZE,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=list(OKABE_ITO)),
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelsize": BODY_SIZE,
    "ytick.labelsize": BODY_SIZE,
    "legend.fontsize": SMALL_SIZE + 0.5,
    "legend.frameon": False,
    "figure.figsize": FIGSIZE,
    "figure.dpi": CSS_DPI,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "hatch.linewidth": 0.6,
}
#: Settings in force while exporting (see :func:`damage_data.export.save`).
SAVE_RC: dict[str, Any] = {
    "svg.hashsalt": "damage_data",  # stable ids: the same figure gives the same SVG
    "svg.fonttype": "none",  # text stays text in SVG: searchable, editable, translatable
    "pdf.fonttype": 42,  # TrueType in PDF: editable in Illustrator
    "savefig.facecolor": "white",
}
RC.update(SAVE_RC)


@contextmanager
def house_style() -> Iterator[None]:
    """Apply the house style (fonts, sizes, colours) inside a ``with`` block (restored after).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with house_style():
    ...     fig, ax = plt.subplots()
    >>> fig.get_size_inches().tolist()
    [6.4, 4.5]
    >>> plt.close(fig)
    """
    import matplotlib as mpl

    with mpl.rc_context(RC):  # type: ignore[arg-type]
        yield


def new_axes(ax: Axes | None = None) -> Axes:
    """Return ``ax``, or the axes of a new figure of the house size.

    Parameters
    ----------
    ax
        Axes to draw on, or None for a new pyplot figure.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax`` itself, or the new figure's axes.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = new_axes()
    >>> new_axes(ax) is ax, ax.figure.get_size_inches().tolist()
    (True, [6.4, 4.5])
    >>> plt.close(ax.figure)
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    with house_style():
        _fig, new = plt.subplots(figsize=FIGSIZE, dpi=CSS_DPI)
    return new


def detached_axes() -> Axes:
    """The axes of a new house-size figure that pyplot does not manage.

    For files only (reports, batch exports): such a figure never opens a window, needs no
    ``plt.close``, and drawing it leaves the user's backend alone.

    Returns
    -------
    matplotlib.axes.Axes
        The axes of a figure with its own Agg canvas.

    Examples
    --------
    >>> ax = detached_axes()
    >>> type(ax.figure.canvas).__name__
    'FigureCanvasAgg'
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with house_style():
        fig = Figure(figsize=FIGSIZE, dpi=CSS_DPI)
        FigureCanvasAgg(fig)
        return fig.add_subplot()


#: How numbers print: :func:`damage_data.numbers.format_number` (kept here for old imports).
format_number = _numbers.format_number


def format_percent(share: float, lang: str = "en") -> str:
    r"""A share (0–1) as a whole percentage: ``0.872`` → ``"87%"`` (``"87\u00a0%"`` in ru/hy).

    Kept for old imports; new code uses :func:`damage_data.numbers.share_label`, which also
    prints a missing share as an empty string.

    Parameters
    ----------
    share
        The share, 0 to 1.
    lang
        The language the number is written in.

    Returns
    -------
    str
        The percentage.

    Examples
    --------
    >>> format_percent(0.872)
    '87%'
    """
    return _numbers.share_label(share, lang)


# --------------------------------------------------------------------------- provenance


@dataclass
class Provenance:
    """What a plot function knows about its data, for :func:`finalise` to fill the footer."""

    kind: str  # "map" or "chart"
    sources: list[str] = field(default_factory=list)  # publisher names, in order
    boundaries: str | None = None  # boundary attribution (maps)
    notes: list[str] = field(default_factory=list)  # data notes (flags, units not mapped)
    alt_text: str | None = None  # a data-derived description
    #: The footer's own words in the plot's language: ``source`` and ``sources`` (with a
    #: ``{names}`` slot) and the map ``disclaimer``.
    words: dict[str, str] = field(default_factory=lambda: dict(FOOTER_WORDS))
    lang: str = "en"


_PROVENANCE: weakref.WeakKeyDictionary[Any, Provenance] = weakref.WeakKeyDictionary()


def set_provenance(ax: Axes, provenance: Provenance) -> None:
    """Attach what the plot shows to ``ax`` (read back by :func:`finalise`).

    Parameters
    ----------
    ax
        The plot's axes.
    provenance
        What the plot knows about its data.

    Examples
    --------
    >>> ax = detached_axes()
    >>> provenance_of(ax) is None
    True
    >>> set_provenance(ax, Provenance(kind="chart", sources=["Trend"]))
    >>> provenance_of(ax).sources
    ['Trend']
    """
    _PROVENANCE[ax] = provenance


def provenance_of(ax: Axes) -> Provenance | None:
    """The :class:`Provenance` a plot function attached to ``ax``, if any.

    Parameters
    ----------
    ax
        The plot's axes.

    Returns
    -------
    Provenance or None
        What :func:`set_provenance` attached (example there), or None.
    """
    return _PROVENANCE.get(ax)


def source_names(sources: Any) -> list[str]:
    """Publisher (or title) names from a ``sources`` table, primary sources first, unique.

    Parameters
    ----------
    sources
        A sources table (or anything :class:`pandas.DataFrame` accepts), or None.

    Returns
    -------
    list of str
        Each publisher once, without asides in brackets; sources that relay another last.

    Examples
    --------
    >>> import pandas as pd
    >>> source_names(pd.DataFrame({"publisher": ["Trend", "AzerNews", "Trend"],
    ...                            "cites": [None, "s1", None]}))
    ['Trend', 'AzerNews']
    """
    import pandas as pd

    if sources is None or len(sources) == 0:
        return []
    table = pd.DataFrame(sources)
    names = pd.Series([""] * len(table), index=table.index, dtype="string")
    for column in ("title", "publisher"):  # publisher wins where present
        if column in table.columns:
            value = table[column].astype("string")
            names = value.where(value.notna() & (value.str.strip() != ""), names)
    if "cites" in table.columns:
        relays = table["cites"].astype("string").fillna("").str.strip() != ""
        order = list(table.index[~relays]) + list(table.index[relays])
        names = names.loc[order]
    out: list[str] = []
    for name in names.dropna():
        # "Trend; AzerNews (quoting …)": each publisher once, without the aside
        for part in str(name).split(";"):
            part = re.sub(r"\s*\([^)]*\)\s*$", "", part).strip()
            if part and part not in out:
                out.append(part)
    return out


# --------------------------------------------------------------------------- finalise


@dataclass
class Anatomy:
    """The text around a chart, kept so :func:`layout` can redo it at another size."""

    title: str
    subtitle: str | None = None
    note: str | None = None
    source: str | None = None
    byline: str | None = None
    alt_text: str | None = None
    disclaimer: str | None = None
    artists: list[Text] = field(default_factory=list)


_ANATOMY: weakref.WeakKeyDictionary[Any, Anatomy] = weakref.WeakKeyDictionary()
_ORIGINAL_POSITION: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def anatomy_of(fig: Figure) -> Anatomy | None:
    """The title, notes and alt text :func:`finalise` gave ``fig`` (``None`` if not finalised).

    Parameters
    ----------
    fig
        A figure.

    Returns
    -------
    Anatomy or None
        The text around the chart (example at :func:`finalise`), or None.
    """
    return _ANATOMY.get(fig)


def finalise(
    fig: Figure,
    *,
    title: str,
    subtitle: str | None = None,
    source: str | None = None,
    note: str | None = None,
    byline: str | None = None,
    alt_text: str | None = None,
) -> Figure:
    """Lay out title, description, notes, source line and byline inside ``fig``.

    The plot axes are fitted into the space left between header and footer, so exporting
    never crops anything. The source line, the boundary attribution and (for maps) the
    neutrality disclaimer are filled in from what the plot functions recorded when not given.

    Parameters
    ----------
    fig
        The figure holding one or more plots made by :mod:`damage_data.plot` (or any axes).
    title
        The finding, in a sentence ("Tərtər reports most destroyed buildings").
    subtitle
        The measure, unit and period.
    source
        The source line; default: the publishers behind the plotted figures.
    note
        Notes under the chart; default: the data notes the plots recorded (flags).
    byline
        Author or organisation, shown at the right of the footer.
    alt_text
        A text description for screen readers; embedded by :func:`damage_data.export.save`.
        Default: the description the plot functions derived from the data.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig`` itself (laid out in place).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([1, 2], [3, 4])
    >>> _ = finalise(fig, title="Damage rose", source="Example")
    >>> anatomy_of(fig).source
    'Source: Example'
    >>> plt.close(fig)
    """
    if not title or not str(title).strip():
        raise UsageError(
            "finalise() needs a title that states the finding, e.g. "
            "title='Tərtər reports the most destroyed buildings'"
        )
    provenances = [p for p in (provenance_of(ax) for ax in fig.axes) if p is not None]
    is_map = any(p.kind == "map" for p in provenances)
    words = next((p.words for p in provenances), FOOTER_WORDS)
    source_line = _source_line(source, provenances, words)
    if note is None:
        data_notes = [n for p in provenances for n in p.notes]
        note = " ".join(dict.fromkeys(data_notes)) or None
    if alt_text is None:
        derived = [p.alt_text for p in provenances if p.alt_text]
        alt_text = " ".join(derived) if derived else None
    if fig.get_layout_engine() is not None:
        # tight or constrained layout would move the axes back over header and footer
        fig.set_layout_engine("none")
    old = _ANATOMY.get(fig)
    if old is not None:
        for artist in old.artists:
            artist.remove()
    _ANATOMY[fig] = Anatomy(
        title=str(title).strip(),
        subtitle=subtitle,
        note=note,
        source=source_line,
        byline=byline,
        alt_text=alt_text,
        disclaimer=words.get("disclaimer", MAP_DISCLAIMER) if is_map else None,
    )
    layout(fig)
    return fig


def _source_line(
    source: str | None, provenances: Sequence[Provenance], words: dict[str, str] = FOOTER_WORDS
) -> str | None:
    one, many = (
        words.get("source", FOOTER_WORDS["source"]),
        words.get("sources", FOOTER_WORDS["sources"]),
    )
    if source is not None:
        text = source.strip()
        prefix = one.split("{names}")[0].strip().lower()
        if text and not (text.lower().startswith("source") or text.lower().startswith(prefix)):
            text = one.format(names=text)
    else:
        names = list(dict.fromkeys(n for p in provenances for n in p.sources))
        text = (many if len(names) > 1 else one).format(names=", ".join(names)) if names else ""
    boundaries = list(dict.fromkeys(p.boundaries for p in provenances if p.boundaries))
    parts = [t for t in (text, *boundaries) if t]
    return " · ".join(parts) or None


def layout(fig: Figure) -> None:
    """(Re)place the anatomy of a finalised figure at its current size.

    Called by :func:`finalise`, and by :func:`damage_data.export.save` after it resizes the
    figure for a preset. Text sizes stay in points; wrapping follows the figure width.

    Parameters
    ----------
    fig
        The figure; one that :func:`finalise` never saw is left alone.

    Examples
    --------
    >>> ax = detached_axes()
    >>> fig = finalise(ax.figure, title="Damage rose", source="Example")
    >>> fig.set_size_inches(4, 3)
    >>> layout(fig)
    >>> [t.get_text() for t in anatomy_of(fig).artists][0]
    'Damage rose'
    """
    anatomy = _ANATOMY.get(fig)
    if anatomy is None:
        return
    for artist in anatomy.artists:
        artist.remove()
    anatomy.artists = []
    renderer = _renderer(fig)
    width_px, height_px = fig.bbox.width, fig.bbox.height
    pt = fig.dpi / 72.0  # pixels per point
    margin = MARGIN_PT * pt
    wrap_px = width_px - 2 * margin

    def block(
        text: str,
        y_px: float,
        *,
        size: float,
        color: str,
        weight: str = "normal",
        va: str = "top",
        x_px: float | None = None,
        ha: str = "left",
        wrap: float | None = None,
        linespacing: float = 1.3,
    ) -> float:
        """Draw wrapped ``text`` at ``y_px`` (from the bottom); return its height in px."""
        from matplotlib.font_manager import FontProperties

        prop = FontProperties(family=FONT_FAMILY, size=size, weight=weight)
        lines = _wrap(text, prop, wrap or wrap_px, renderer)
        artist = fig.text(
            (x_px if x_px is not None else margin) / width_px,
            y_px / height_px,
            "\n".join(lines),
            fontproperties=prop,
            color=color,
            ha=ha,
            va=va,
            linespacing=linespacing,
        )
        anatomy.artists.append(artist)
        extent = artist.get_window_extent(renderer)
        return float(extent.height)

    # header, from the top down
    y = height_px - margin
    y -= block(anatomy.title, y, size=TITLE_SIZE, color=INK, weight="bold")
    if anatomy.subtitle:
        y -= 4 * pt
        y -= block(anatomy.subtitle, y, size=SUBTITLE_SIZE, color=MUTED)
    body_top = y - 8 * pt

    # footer, from the bottom up
    y = margin * 0.8
    if anatomy.byline:
        # byline sits at the right of the lowest footer line; measured first so the source
        # line wraps before it
        from matplotlib.font_manager import FontProperties

        prop = FontProperties(family=FONT_FAMILY, size=FOOTER_SIZE)
        byline_w = _text_width(anatomy.byline, prop, renderer)
        block(
            anatomy.byline,
            y,
            size=FOOTER_SIZE,
            color=MUTED,
            va="bottom",
            x_px=width_px - margin,
            ha="right",
        )
        source_wrap = wrap_px - byline_w - 12 * pt
    else:
        source_wrap = wrap_px
    # the source line carries the boundary attribution and, on maps, the disclaimer: one
    # paragraph keeps the footer within a few lines (about 8% of the height)
    footer = " · ".join(t for t in (anatomy.source, anatomy.disclaimer) if t)
    tight = FOOTER_LINESPACING
    if footer:
        y += block(
            footer,
            y,
            size=FOOTER_SIZE,
            color=MUTED,
            va="bottom",
            wrap=source_wrap,
            linespacing=tight,
        )
    elif anatomy.byline:
        y += FOOTER_SIZE * tight * pt
    if anatomy.note:
        y += 2 * pt
        y += block(anatomy.note, y, size=FOOTER_SIZE, color=INK, va="bottom", linespacing=tight)
    body_bottom = y + 8 * pt

    if body_top - body_bottom < 40 * pt:
        raise UsageError(
            f"the title, notes and source line leave no room for the chart in a "
            f"{width_px:.0f}×{height_px:.0f} px figure; shorten them or enlarge the figure"
        )
    _fit_axes(fig, (margin, body_bottom, width_px - margin, body_top), renderer)


def _renderer(fig: Figure) -> Any:
    """A renderer to measure text with: the canvas's own (Agg), else a scratch Agg one."""
    get = getattr(fig.canvas, "get_renderer", None)
    if get is not None:
        return get()
    # the backend is loaded only when a figure without a renderer is measured
    from matplotlib.backends.backend_agg import RendererAgg

    make: Callable[..., Any] = RendererAgg  # matplotlib's backends are untyped
    return make(int(fig.bbox.width), int(fig.bbox.height), fig.dpi)


_WIDTHS: dict[tuple[str, float, str, float], float] = {}


def _text_width(text: str, prop: Any, renderer: Any) -> float:
    """Width of ``text`` in pixels; remembered, as save() lays a figure out up to 3 times."""
    key = (
        text,
        float(prop.get_size_in_points()),
        str(prop.get_weight()),
        float(renderer.points_to_pixels(72.0)),
    )
    if key not in _WIDTHS:
        if len(_WIDTHS) > 20_000:  # a bound, not an eviction policy: texts repeat little
            _WIDTHS.clear()
        width, _h, _d = renderer.get_text_width_height_descent(text, prop, ismath=False)
        _WIDTHS[key] = float(width)
    return _WIDTHS[key]


def _wrap(text: str, prop: Any, width_px: float, renderer: Any) -> list[str]:
    """Greedy word wrap measured with the renderer (character counts misjudge widths)."""
    lines: list[str] = []
    for paragraph in str(text).splitlines() or [""]:
        if _text_width(paragraph, prop, renderer) <= width_px:  # most lines fit: one measure
            lines.append(paragraph)
            continue
        words = paragraph.split(" ")
        current = ""
        for word in words:
            trial = f"{current} {word}" if current else word
            if current and _text_width(trial, prop, renderer) > width_px:
                lines.append(current)
                current = word
            else:
                current = trial
        lines.append(current)
    return lines


def _fit_axes(fig: Figure, box: tuple[float, float, float, float], renderer: Any) -> None:
    """Map the figure's axes into ``box`` (pixels) so that their labels fit inside it too."""
    from matplotlib.transforms import Bbox

    axes = [ax for ax in fig.axes if ax.get_visible()]
    if not axes:
        return
    for ax in axes:
        if ax not in _ORIGINAL_POSITION:
            _ORIGINAL_POSITION[ax] = ax.get_position(original=True).frozen()
    originals = {ax: _ORIGINAL_POSITION[ax] for ax in axes}
    union = Bbox.union(list(originals.values()))
    for ax in axes:
        _fit_legend(ax, box[2] - box[0], renderer)
    W, H = fig.bbox.width, fig.bbox.height
    target = [box[0], box[1], box[2], box[3]]  # inner box for the axes themselves
    for _ in range(3):
        x0, y0, x1, y1 = target

        def place(
            bb: Any, x0: float = x0, y0: float = y0, x1: float = x1, y1: float = y1
        ) -> list[float]:
            fx0 = (bb.x0 - union.x0) / union.width
            fy0 = (bb.y0 - union.y0) / union.height
            fw, fh = bb.width / union.width, bb.height / union.height
            return [
                (x0 + fx0 * (x1 - x0)) / W,
                (y0 + fy0 * (y1 - y0)) / H,
                fw * (x1 - x0) / W,
                fh * (y1 - y0) / H,
            ]

        for ax, bb in originals.items():
            ax.set_position(tuple(place(bb)))  # type: ignore[arg-type]
        boxes = [ax.get_tightbbox(renderer) for ax in axes]
        tight = Bbox.union([b for b in boxes if b is not None])
        overflow = (box[0] - tight.x0, box[1] - tight.y0, tight.x1 - box[2], tight.y1 - box[3])
        if max(overflow) < 0.5 and min(overflow) > -2:
            break
        target = [
            target[0] + overflow[0],
            target[1] + overflow[1],
            target[2] - overflow[2],
            target[3] - overflow[3],
        ]
        if target[2] - target[0] < 20 or target[3] - target[1] < 20:
            break


_KEYS: weakref.WeakKeyDictionary[Any, tuple[list[Any], list[str], dict[str, Any]]] = (
    weakref.WeakKeyDictionary()
)


def key_legend(ax: Axes, handles: Sequence[Any], labels: Sequence[str], **kwargs: Any) -> Any:
    """A one-row key above a chart or map that :func:`layout` may wrap onto more rows.

    Matplotlib cannot re-flow an existing legend, so the key is remembered and rebuilt
    with fewer columns when the figure is too narrow for one row.

    Parameters
    ----------
    ax
        The axes the key belongs to.
    handles
        The key's symbols.
    labels
        Their labels.
    **kwargs
        Passed on to :meth:`matplotlib.axes.Axes.legend` (``ncols`` defaults to one row).

    Returns
    -------
    matplotlib.legend.Legend
        The key as drawn now.

    Examples
    --------
    >>> ax = detached_axes()
    >>> lines = ax.plot([0, 1], [0, 1]) + ax.plot([0, 1], [1, 0])
    >>> [t.get_text() for t in key_legend(ax, lines, ["Trend", "APA"]).get_texts()]
    ['Trend', 'APA']
    """
    kwargs.setdefault("ncols", max(1, len(handles)))
    _KEYS[ax] = (list(handles), list(labels), dict(kwargs))
    return ax.legend(list(handles), list(labels), **kwargs)


def _fit_legend(ax: Axes, width_px: float, renderer: Any) -> None:
    """Rebuild a key made by :func:`key_legend` with as many rows as it needs to fit."""
    entry = _KEYS.get(ax)
    if entry is None:
        return
    handles, labels, kwargs = entry
    n = max(1, len(handles))
    with house_style():  # the rebuilt key keeps the house fonts
        for rows in range(1, n + 1):
            columns = min(math.ceil(n / rows), kwargs["ncols"])
            legend = ax.legend(handles, labels, **{**kwargs, "ncols": columns})
            if legend.get_window_extent(renderer).width <= width_px:
                break


def describe_list(items: Iterable[str], *, limit: int = 4) -> str:
    """``"a, b and c"`` (and ``"… and 3 more"`` past ``limit``) for alt text and notes.

    Parameters
    ----------
    items
        The names.
    limit
        How many are named before the rest are counted.

    Returns
    -------
    str
        The names in a sentence.

    Examples
    --------
    >>> describe_list(["Tərtər", "Füzuli", "Cəbrayıl"]), describe_list("abcdef", limit=2)
    ('Tərtər, Füzuli and Cəbrayıl', 'a, b and 4 more')
    """
    items = [str(i) for i in items]
    if len(items) > limit:
        items = [*items[:limit], f"{len(items) - limit} more"]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
