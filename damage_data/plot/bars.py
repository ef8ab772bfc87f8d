"""Bar charts per unit: destroyed and damaged stacked, and the residential share with its basis."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import style
from .._errors import UsageError
from ..numbers import count_label, is_missing, share_label
from .furniture import provenance, share_basis, source_credits
from .i18n import and_list, check_lang, plural, text
from .rows import (
    check_summary,
    count_texts,
    flags_of,
    is_bounded_text,
    marks,
    names_for,
    numeric,
    source_ids_of,
    unit_rows,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

BAR_GROUPS = ("destroyed", "damaged", "unsplit")
#: A part is labelled inside its bar when it is at least this share of the longest bar.
PART_LABEL_SHARE = 0.07


def _hbar_frame(ax: Axes, n: int) -> None:
    ax.set_ylim(-0.6, n - 0.4)
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color("#cfcfcf")
    ax.tick_params(axis="y", length=0, pad=4, labelcolor=style.INK)
    ax.xaxis.set_visible(False)


def _bar_rows(
    summary: pd.DataFrame, notes: list[str], lang: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Units with a destroyed, damaged or unsplit figure, smallest total first, and the parts."""
    rows = unit_rows(summary, notes, lang)
    parts = pd.DataFrame(
        {g: numeric(rows, g).fillna(0).astype(float).to_numpy() for g in BAR_GROUPS},
        index=rows.index,
    )
    any_value = pd.concat([numeric(rows, g).notna() for g in BAR_GROUPS], axis=1).any(axis=1)
    rows, parts = rows.loc[any_value], parts.loc[any_value]
    if rows.empty:
        raise UsageError(
            "no unit of the summary has a destroyed, damaged or unsplit figure to chart"
        )
    order = parts.sum(axis=1).sort_values(ascending=True, kind="stable").index  # largest on top
    return rows.loc[order], parts.loc[order]


def _total_texts(rows: pd.DataFrame, parts: pd.DataFrame, lang: str) -> list[str]:
    """The total at the end of each bar, with its bounds where the summary has them."""
    if "total" not in rows.columns:
        return [count_label(t, lang=lang) for t in parts.sum(axis=1)]
    printed = count_texts(rows, "total", lang)
    return [
        p
        if p and abs(float(numeric(rows, "total").loc[i]) - t) < 0.5
        else count_label(t, lang=lang)
        for i, p, t in zip(rows.index, printed, parts.sum(axis=1), strict=True)
    ]


def _draw_parts(ax: Axes, rows: pd.DataFrame, parts: pd.DataFrame, lang: str) -> list[str]:
    """The stacked parts, each labelled inside its bar where it fits; returns the parts drawn."""
    y = np.arange(len(rows))
    left = np.zeros(len(rows))
    scale = float(parts.sum(axis=1).max()) or 1.0
    present = [g for g in BAR_GROUPS if (parts[g] > 0).any()] or ["damaged"]
    n_parts = (parts > 0).sum(axis=1).to_numpy()  # parts are labelled only in mixed bars
    for group in present:
        widths = parts[group].to_numpy()
        printed = count_texts(rows, group, lang).to_numpy()
        bars = ax.barh(
            y,
            widths,
            left=left,
            height=0.62,
            color=style.GROUP_COLOURS[group],
            label=text(f"group.{group}", lang),
            edgecolor="white",
            linewidth=0.5,
        )
        for patch in bars:
            patch.set_gid(f"damage_data:bars:{group}")
        colour = "white" if group in ("destroyed", "unsplit") else style.INK
        for yi, (x, w) in enumerate(zip(left, widths, strict=True)):
            if w / scale >= PART_LABEL_SHARE and n_parts[yi] > 1:
                ax.text(
                    x + w / 2,
                    yi,
                    printed[yi] or count_label(w, lang=lang),
                    ha="center",
                    va="center",
                    fontsize=style.SMALL_SIZE,
                    color=colour,
                    gid=f"damage_data:part:{group}",
                )
        left = left + widths
    return present


def damage_bars(
    summary: pd.DataFrame,
    *,
    lang: str = "en",
    sources: pd.DataFrame | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Stacked horizontal bars of destroyed, damaged and unsplit buildings per unit.

    Units are sorted from most to least affected; totals and (where they fit) the parts are
    written on the bars with their bounds (``500+``, ``55–60``), and the parts are named
    in a key above them. The house style applies inside the call only.

    Parameters
    ----------
    summary
        One row per unit (:func:`damage_data.summarise`).
    lang
        Language of names, numbers and words: ``en``, ``az``, ``ru``, ``uk``, ``hy``,
        ``native``.
    sources
        The ``sources`` table: the footer credits the sources of the figures drawn.
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
    check_summary(summary, BAR_GROUPS)
    check_lang(lang)
    with style.house_style():
        notes: list[str] = []
        rows, parts = _bar_rows(summary, notes, lang)
        names = names_for(rows, lang)
        ax = style.new_axes(ax)
        present = _draw_parts(ax, rows, parts, lang)
        totals = _total_texts(rows, parts, lang)
        for yi, (total, label) in enumerate(zip(parts.sum(axis=1), totals, strict=True)):
            ax.annotate(
                label,
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
        unit_marks = [marks(v) for v in flags]
        codes = [str(c) for c in rows["unit_code"]]
        ax.set_yticks(
            np.arange(len(rows)), [f"{names[c]}{m}" for c, m in zip(codes, unit_marks, strict=True)]
        )
        _hbar_frame(ax, len(rows))
        ax.set_xlim(0, float(parts.sum(axis=1).max() or 1.0) * 1.12)
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
        if any(unit_marks):
            notes.append(text("note.disagree", lang))
        if len(present) > 1:
            notes.append(text("note.never_overlap", lang))
        if any(is_bounded_text(t) for t in totals):
            notes.append(text("note.bounds", lang))
        ranked = [f"{names[c]} {t}" for c, t in zip(codes[::-1], totals[::-1], strict=True)]
        alt = plural("bars.alt", len(rows), lang, items=and_list(ranked, lang, limit=8))
        style.set_provenance(
            ax,
            provenance(
                "chart",
                lang,
                sources=source_credits(sources, source_ids_of(rows), lang),
                notes=notes,
                alt_text=alt,
            ),
        )
    return ax


def _share_rows(
    summary: pd.DataFrame, notes: list[str], lang: str
) -> tuple[pd.DataFrame, pd.Series]:
    """Units with a residential share, smallest first; a note names units whose basis is small."""
    rows = unit_rows(summary, notes, lang)
    share = numeric(rows, "residential_share")
    small = [
        str(c)
        for c, f, s in zip(
            rows["unit_code"], rows.get("flags", [None] * len(rows)), share, strict=True
        )
        if "share_basis_small" in flags_of(f) and is_missing(s)
    ]
    if small:
        small_names = names_for(rows.loc[rows["unit_code"].astype(str).isin(small)], lang)
        notes.append(
            text("note.share_basis_small", lang, names=and_list(list(small_names.values()), lang))
        )
    rows, share = rows.loc[share.notna()], share.loc[share.notna()].astype(float)
    if rows.empty:
        raise UsageError("no unit of the summary has a residential share to chart")
    order = share.sort_values(ascending=True, kind="stable").index
    return rows.loc[order], share.loc[order]


def _share_text(row: pd.Series, share: float, lang: str) -> str:
    """``"87% · 41 of 47"``: the share and the counts it was computed from."""
    label = share_label(share, lang)
    resid: Any = row.get("residential")
    basis = share_basis(row)
    if is_missing(resid) or not basis:
        return label
    return text(
        "share.label",
        lang,
        share=label,
        part=count_label(resid, lang=lang),
        basis=count_label(basis, lang=lang),
    )


def residential_share(
    summary: pd.DataFrame,
    *,
    lang: str = "en",
    sources: pd.DataFrame | None = None,
    ax: Axes | None = None,
) -> Axes:
    """The residential share of the buildings hit, per unit, with the counts behind it.

    Each bar runs on a 0–100% track and is labelled like ``"87% · 41 of 47"``: residential
    buildings of those of known type (``residential_basis``, DESIGN §4 rule 7). A unit whose
    share is empty (too few buildings of known type) gets no bar, never a 0% bar.

    Parameters
    ----------
    summary
        One row per unit with ``residential`` and ``residential_share``.
    lang
        Language of names, numbers and words.
    sources
        The ``sources`` table: the footer credits the sources of the figures drawn.
    ax
        Axes to draw in; default: a new figure of the house size.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"unit_code": ["AZ-CAB"], "residential": [41],
    ...                   "residential_share": [0.872], "residential_basis": [47]})
    >>> ax = residential_share(s)
    >>> [t.get_text() for t in ax.texts]
    ['87% · 41 of 47']
    """
    check_summary(summary, ["residential_share"])
    check_lang(lang)
    with style.house_style():
        notes: list[str] = []
        rows, share = _share_rows(summary, notes, lang)
        names = names_for(rows, lang)
        ax = style.new_axes(ax)
        y = np.arange(len(rows))
        ax.barh(y, np.ones(len(rows)), height=0.56, color="#ececec", zorder=1)
        bars = ax.barh(
            y,
            share.to_numpy(),
            height=0.56,
            color=style.OKABE_ITO[4],
            zorder=2,
            label=text("share.legend", lang),
        )
        for patch in bars:
            patch.set_gid("damage_data:bars:residential_share")
        for yi, (_index, s) in enumerate(share.items()):
            ax.annotate(
                _share_text(rows.iloc[yi], s, lang),
                (1.0, yi),
                xytext=(6, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=style.LABEL_SIZE,
                color=style.INK,
                gid="damage_data:share",
            )
        codes = [str(c) for c in rows["unit_code"]]
        ax.set_yticks(y, [names[c] for c in codes])
        _hbar_frame(ax, len(rows))
        ax.set_xlim(0, 1.0)
        notes.append(text("note.share_basis", lang))
        ranked = [
            f"{names[c]} {share_label(s, lang)}"
            for c, s in zip(codes[::-1], share[::-1], strict=True)
        ]
        alt = plural("share.alt", len(rows), lang, items=and_list(ranked, lang, limit=8))
        style.set_provenance(
            ax,
            provenance(
                "chart",
                lang,
                sources=source_credits(sources, source_ids_of(rows), lang),
                notes=notes,
                alt_text=alt,
            ),
        )
    return ax
