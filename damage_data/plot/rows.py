"""The summary rows a plot draws: checks, display names, flags, and counts as people read them.

Counts print through :func:`damage_data.numbers.count_label` with their bounds
(``destroyed_min``/``destroyed_max``…) when the summary has them, so that "more than 500"
reads ``500+`` on every chart; older summaries without bounds print the plain count.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from .._errors import DamageDataError, UsageError
from ..numbers import count_label, is_missing, share_label
from ..places import DISPLAY_LANGS
from ..places import display_name as _place_name
from ..places.gazetteer import BUNDLED_BOUNDARIES, bundled_units
from .i18n import check_lang, text

log = logging.getLogger(__name__)

SUMMARY_REQUIRED = ("unit_code",)
#: Levels a plot of units leaves out: a national figure would dwarf its districts, and a
#: village is already inside its unit's figure.
NOT_UNITS = ("country", "settlement")
#: Flag → mark after a unit's name on maps and bars.
LABEL_FLAGS = {"disagree": "†"}


def check_summary(summary: pd.DataFrame, columns: Iterable[str]) -> None:
    """Raise a :class:`UsageError` naming what is missing unless ``summary`` has ``columns``."""
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


def _place_lang(code: str, lang: str) -> str:
    """The language the place names module is asked for (it may not know every one yet)."""
    if lang in DISPLAY_LANGS:
        return lang
    # Ukrainian: Ukraine's own units in their native (Ukrainian) names, others in English
    return "native" if lang == "uk" and code.startswith("UA") else "en"


def display_names(
    codes: Iterable[str], lang: str = "en", fallback: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Display names of unit codes in ``lang``, else ``fallback``, else the code itself.

    Parameters
    ----------
    codes
        Unit codes.
    lang
        A display language (``en``, ``az``, ``ru``, ``uk``, ``hy``, ``native``).
    fallback
        Names to use for codes the bundled place names do not know.

    Returns
    -------
    dict
        Code → name.

    Examples
    --------
    >>> display_names(["AZ-XX"], fallback={"AZ-XX": "Somewhere"})
    {'AZ-XX': 'Somewhere'}
    >>> display_names(["AZ-CAB"], "az")
    {'AZ-CAB': 'Cəbrayıl'}
    """
    check_lang(lang)
    fallback = fallback or {}
    out: dict[str, str] = {}
    for code in codes:
        code = str(code)
        name: str | None
        try:
            name = _place_name(code, _place_lang(code, lang))
        except (DamageDataError, LookupError, ValueError):
            name = None
        if name == code:  # the resolver echoes codes it does not know
            name = None
        good = fallback.get(code)
        if good is not None and (is_missing(good) or good == code):
            good = None
        out[code] = str(name or good or code)
    return out


def summary_names(summary: pd.DataFrame) -> dict[str, str]:
    """The summary's own ``unit_name`` per code (for units the place names do not know)."""
    if "unit_name" not in summary.columns:
        return {}
    return {
        str(c): str(n)
        for c, n in zip(summary["unit_code"], summary["unit_name"], strict=True)
        if not is_missing(n) and str(n) != str(c)
    }


def gazetteer_names(codes: Iterable[str]) -> dict[str, str]:
    """Gazetteer names of codes in the bundled countries."""
    countries = sorted({str(c).split("-")[0] for c in codes if "-" in str(c)})
    known = [c for c in countries if c in BUNDLED_BOUNDARIES]
    if not known:
        return {}
    units = bundled_units(known)
    return dict(zip(units["unit_code"].astype(str), units["name"].astype(str), strict=True))


def names_for(summary: pd.DataFrame, lang: str) -> dict[str, str]:
    """Display name of every unit of ``summary`` in ``lang``."""
    codes = [str(c) for c in summary["unit_code"]]
    fallback = {**gazetteer_names(codes), **summary_names(summary)}
    return display_names(codes, lang, fallback)


def flags_of(value: Any) -> list[str]:
    """The flags of a ``;``-separated flags cell."""
    if is_missing(value):
        return []
    return [f for f in str(value).split(";") if f]


def marks(flags: Any) -> str:
    """The marks (``†``) a unit's flags put after its name."""
    present = flags_of(flags)
    return "".join(mark for flag, mark in LABEL_FLAGS.items() if flag in present)


def unit_rows(summary: pd.DataFrame, notes: list[str], lang: str = "en") -> pd.DataFrame:
    """Rows of units, without national and village rows (a note says what was left out)."""
    if "level" not in summary.columns:
        return summary
    level = summary["level"].astype("string").fillna("")
    is_country = level == "country"
    keep = ~level.isin(NOT_UNITS)
    if is_country.any() and keep.any():
        dropped = summary.loc[is_country, "unit_code"].astype(str).tolist()
        notes.append(text("note.national_not_shown", lang, codes=", ".join(dropped)))
    if not keep.any():
        return summary
    return summary.loc[keep]


def numeric(summary: pd.DataFrame, column: str) -> pd.Series:
    """A summary column as nullable floats (missing → ``<NA>``)."""
    if column not in summary.columns:
        return pd.Series(pd.NA, index=summary.index, dtype="Float64")
    return pd.to_numeric(summary[column], errors="coerce").astype("Float64")


def count_texts(rows: pd.DataFrame, column: str, lang: str = "en") -> pd.Series:
    """The counts of ``column`` as a reader sees them: ``47``, ``500+``, ``55–60``.

    Bounds come from ``<column>_min``/``<column>_max`` when the summary has them; a
    missing upper bound with a lower bound means "more than" (DESIGN §4 rule 8). Without
    bound columns (older summaries), or with both bounds missing, the plain count prints.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"total": [500, 57, 47], "total_min": [500, 55, None],
    ...                   "total_max": [None, 60, None]})
    >>> count_texts(s, "total").tolist()
    ['500+', '55–60', '47']
    """
    values = numeric(rows, column)
    if f"{column}_min" not in rows.columns and f"{column}_max" not in rows.columns:
        return pd.Series([count_label(v, lang=lang) for v in values], index=rows.index)
    low, high = numeric(rows, f"{column}_min"), numeric(rows, f"{column}_max")
    out = []
    for v, lo, hi in zip(values, low, high, strict=True):
        if is_missing(lo) and is_missing(hi):
            out.append(count_label(v, lang=lang))
        else:
            out.append(count_label(v, lo, hi, lang))
    return pd.Series(out, index=rows.index, dtype="object")


def is_bounded_text(label: str) -> bool:
    """True for a lower bound (``500+``) or a range (``55–60``)."""
    return label.endswith("+") or "\u2013" in label


def share_texts(rows: pd.DataFrame, lang: str = "en") -> pd.Series:
    """``residential_share`` as percentages; an empty share stays empty (never ``0%``)."""
    return pd.Series(
        [share_label(s, lang) for s in numeric(rows, "residential_share")],
        index=rows.index,
        dtype="object",
    )


def source_ids_of(rows: pd.DataFrame) -> list[str] | None:
    """The ``source_id`` behind each row (``;``-separated cells split); ``None`` if unknown."""
    if "source_id" not in rows.columns:
        return None
    out: list[str] = []
    for cell in rows["source_id"]:
        if is_missing(cell):
            continue
        out.extend(s.strip() for s in str(cell).split(";") if s.strip())
    return list(dict.fromkeys(out))
