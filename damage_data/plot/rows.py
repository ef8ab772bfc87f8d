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
from ..places.gazetteer import BUNDLED_BOUNDARIES, bundled_unit_table
from .i18n import check_lang, text

log = logging.getLogger(__name__)

SUMMARY_REQUIRED = ("unit_code",)
#: Levels a plot of units leaves out: a national figure would dwarf its districts, and a
#: village is already inside its unit's figure.
NOT_UNITS = ("country", "settlement")
#: Flag → mark after a unit's name on maps and bars.
LABEL_FLAGS = {"disagree": "†"}


def check_summary(summary: pd.DataFrame, columns: Iterable[str]) -> None:
    """Raise a :class:`UsageError` naming what is missing unless ``summary`` has ``columns``.

    Parameters
    ----------
    summary
        What a plot function was given as a summary.
    columns
        The columns it needs beyond ``unit_code``.

    Raises
    ------
    UsageError
        When ``summary`` is not a DataFrame or lacks a column.

    Examples
    --------
    >>> import pandas as pd
    >>> check_summary(pd.DataFrame({"unit_code": ["AZ-TAR"]}), ["total"])
    Traceback (most recent call last):
    ...
    damage_data._errors.UsageError: summary has no column(s) total; ...
    """
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
    """The summary's own ``unit_name`` per code (for units the place names do not know).

    Parameters
    ----------
    summary
        A summary table.

    Returns
    -------
    dict of str to str
        Code → name, for rows whose name is given and is not the code.

    Examples
    --------
    >>> import pandas as pd
    >>> summary_names(pd.DataFrame({"unit_code": ["X-1", "X-2"], "unit_name": ["Alpha", "X-2"]}))
    {'X-1': 'Alpha'}
    """
    if "unit_name" not in summary.columns:
        return {}
    return {
        str(c): str(n)
        for c, n in zip(summary["unit_code"], summary["unit_name"], strict=True)
        if not is_missing(n) and str(n) != str(c)
    }


def gazetteer_names(codes: Iterable[str]) -> dict[str, str]:
    """Gazetteer names of codes in the bundled countries.

    Parameters
    ----------
    codes
        Unit codes (``AZ-TAR``…); codes of other countries are ignored.

    Returns
    -------
    dict of str to str
        Code → name for every bundled unit of the countries named by ``codes``.

    Examples
    --------
    >>> names = gazetteer_names(["AZ-TAR", "XX-1"])
    >>> "AZ-TAR" in names, "XX-1" in names
    (True, False)
    """
    countries = sorted({str(c).split("-")[0] for c in codes if "-" in str(c)})
    known = [c for c in countries if c in BUNDLED_BOUNDARIES]
    if not known:
        return {}
    units = bundled_unit_table(known)
    return dict(zip(units["unit_code"].astype(str), units["name"].astype(str), strict=True))


def names_for(summary: pd.DataFrame, lang: str) -> dict[str, str]:
    """Display name of every unit of ``summary`` in ``lang``.

    Parameters
    ----------
    summary
        A summary table.
    lang
        A display language.

    Returns
    -------
    dict of str to str
        Code → name: the bundled place names, else the gazetteer's, else the summary's own.

    Examples
    --------
    >>> import pandas as pd
    >>> names_for(pd.DataFrame({"unit_code": ["AZ-CAB", "X-1"], "unit_name": ["?", "Alpha"]}), "az")
    {'AZ-CAB': 'Cəbrayıl', 'X-1': 'Alpha'}
    """
    codes = [str(c) for c in summary["unit_code"]]
    fallback = {**gazetteer_names(codes), **summary_names(summary)}
    return display_names(codes, lang, fallback)


def flags_of(value: Any) -> list[str]:
    """The flags of a ``;``-separated flags cell.

    Parameters
    ----------
    value
        A flags cell (missing for none).

    Returns
    -------
    list of str
        The flags, in order.

    Examples
    --------
    >>> flags_of("disagree;place_fuzzy"), flags_of(None)
    (['disagree', 'place_fuzzy'], [])
    """
    if is_missing(value):
        return []
    return [f for f in str(value).split(";") if f]


def marks(flags: Any) -> str:
    """The marks (``†``) a unit's flags put after its name.

    Parameters
    ----------
    flags
        A flags cell.

    Returns
    -------
    str
        The marks, empty when no flag is marked.

    Examples
    --------
    >>> marks("place_fuzzy;disagree"), marks("place_fuzzy")
    ('†', '')
    """
    present = flags_of(flags)
    return "".join(mark for flag, mark in LABEL_FLAGS.items() if flag in present)


def unit_rows(summary: pd.DataFrame, notes: list[str], lang: str = "en") -> pd.DataFrame:
    """Rows of units, without national and village rows (a note says what was left out).

    Parameters
    ----------
    summary
        A summary table.
    notes
        The plot's notes; a sentence is added when national rows are left out.
    lang
        The language of the note.

    Returns
    -------
    pandas.DataFrame
        The unit rows; all of ``summary`` when it holds nothing else.

    Examples
    --------
    >>> import pandas as pd
    >>> notes = []
    >>> s = pd.DataFrame({"unit_code": ["AZ", "AZ-TAR"], "level": ["country", "adm1"]})
    >>> unit_rows(s, notes)["unit_code"].tolist(), len(notes)
    (['AZ-TAR'], 1)
    """
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
    """A summary column as nullable floats (missing → ``<NA>``).

    Parameters
    ----------
    summary
        A summary table.
    column
        The column; a missing column gives all ``<NA>``.

    Returns
    -------
    pandas.Series
        ``Float64`` values on the summary's index.

    Examples
    --------
    >>> import pandas as pd
    >>> numeric(pd.DataFrame({"total": ["12", None]}), "total").tolist()
    [12.0, <NA>]
    """
    if column not in summary.columns:
        return pd.Series(pd.NA, index=summary.index, dtype="Float64")
    return pd.to_numeric(summary[column], errors="coerce").astype("Float64")


def count_texts(rows: pd.DataFrame, column: str, lang: str = "en") -> pd.Series:
    """The counts of ``column`` as a reader sees them: ``47``, ``500+``, ``55–60``.

    Bounds come from ``<column>_min``/``<column>_max`` when the summary has them; a
    missing upper bound with a lower bound means "more than" (DESIGN §4 rule 8). Without
    bound columns (older summaries), or with both bounds missing, the plain count prints.

    Parameters
    ----------
    rows
        Summary rows.
    column
        A count column (``total``, ``destroyed``…).
    lang
        The language whose number marks are used.

    Returns
    -------
    pandas.Series
        One text per row.

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
    """True for a lower bound (``500+``) or a range (``55–60``).

    Parameters
    ----------
    label
        A count as written by :func:`count_texts`.

    Returns
    -------
    bool
        Whether the label is not an exact count.

    Examples
    --------
    >>> is_bounded_text("500+"), is_bounded_text("55–60"), is_bounded_text("47")
    (True, True, False)
    """
    return label.endswith("+") or "\u2013" in label


def share_texts(rows: pd.DataFrame, lang: str = "en") -> pd.Series:
    """``residential_share`` as percentages; an empty share stays empty (never ``0%``).

    Parameters
    ----------
    rows
        Summary rows.
    lang
        The language whose number marks are used.

    Returns
    -------
    pandas.Series
        One text per row.

    Examples
    --------
    >>> import pandas as pd
    >>> share_texts(pd.DataFrame({"residential_share": [0.872, None]})).tolist()
    ['87%', '']
    """
    return pd.Series(
        [share_label(s, lang) for s in numeric(rows, "residential_share")],
        index=rows.index,
        dtype="object",
    )


def source_ids_of(rows: pd.DataFrame) -> list[str] | None:
    """The ``source_id`` behind each row (``;``-separated cells split); ``None`` if unknown.

    Parameters
    ----------
    rows
        Summary rows.

    Returns
    -------
    list of str or None
        Each source once, in order of appearance; None without a ``source_id`` column.

    Examples
    --------
    >>> import pandas as pd
    >>> source_ids_of(pd.DataFrame({"source_id": ["s1;s2", None, "s2"]}))
    ['s1', 's2']
    """
    if "source_id" not in rows.columns:
        return None
    out: list[str] = []
    for cell in rows["source_id"]:
        if is_missing(cell):
            continue
        out.extend(s.strip() for s in str(cell).split(";") if s.strip())
    return list(dict.fromkeys(out))
