"""Dates of per-structure layers: one order per column, and a warning for what cannot be read.

A layer's date column (``SensorDate``, ``src_date``, ``assessed_on``…) is read once per
distinct value; ``dd/mm/yyyy``-style dates are read one way for the whole column (day first
unless a value shows the month comes first), and the report says which.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._result import SENTINELS, Collector
from .raw import SLASHED, date_order_conflict, day_first


def parse_dates(series: pd.Series) -> pd.Series:
    """Dates written as ``2015/04/26``, ``20161027``, ISO strings, ``05/11/2020`` or real dates.

    ``dd/mm/yyyy``-style dates are read one way for the whole column (see
    :func:`damage_data.readers.raw.day_first`): day first unless a value shows the month
    comes first. Each distinct value is parsed once (millions of rows share a few dates).
    Unreadable values are ``NaT``; :func:`unreadable_dates` finds them. The result's
    ``attrs`` say the order used (``date_order``) and, when the column holds both orders,
    one value of each (``date_conflict``).

    Parameters
    ----------
    series
        The column as read (text, numbers or datetimes).

    Returns
    -------
    pandas.Series
        ``datetime64[ns]`` values on the same index.

    Examples
    --------
    >>> dates = parse_dates(pd.Series(["05/11/2020", "13/11/2020", "20161027"]))
    >>> [str(d.date()) for d in dates], dates.attrs["date_order"]
    (['2020-11-05', '2020-11-13', '2016-10-27'], 'day first')
    """
    if pd.api.types.is_datetime64_any_dtype(series):
        return series
    codes, uniques = pd.factorize(series.astype("string").str.strip(), use_na_sentinel=True)
    text = pd.Series(uniques, dtype="string")
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    compact = text.str.fullmatch(r"\d{8}").fillna(False).to_numpy(dtype=bool)
    slashed = text.str.match(SLASHED.pattern).fillna(False).to_numpy(dtype=bool)
    plain = ~compact & ~slashed
    first: bool | None = None
    conflict: tuple[str, str] | None = None
    if plain.any():
        parsed[plain] = _to_datetime(text[plain], format="mixed")
    if compact.any():
        parsed[compact] = _to_datetime(text[compact], format="%Y%m%d")
    if slashed.any():
        written = [str(v) for v in text[slashed]]
        first = day_first(written)
        conflict = date_order_conflict(written)
        parsed[slashed] = _to_datetime(text[slashed], format="mixed", dayfirst=first is not False)
    values = parsed.to_numpy()[np.where(codes >= 0, codes, 0)] if len(parsed) else None
    out = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
    if values is not None:
        out[:] = np.where(codes >= 0, values, np.datetime64("NaT"))
    out.attrs["date_order"] = (
        None if not slashed.any() else "month first" if first is False else "day first"
    )
    out.attrs["date_conflict"] = conflict
    return out


def _to_datetime(text: pd.Series, **options: Any) -> pd.Series:
    """``pd.to_datetime`` value by value when a batch fails (out-of-bounds years raise)."""
    # utc=True: offsets ("+03:00") mixed with plain dates give one naive column
    try:
        parsed = pd.to_datetime(text, errors="coerce", utc=True, **options)
    except (ValueError, OverflowError, TypeError):
        values = []
        for value in text:
            try:
                values.append(pd.to_datetime(value, errors="coerce", utc=True, **options))
            except (ValueError, OverflowError, TypeError):
                values.append(pd.NaT)
        parsed = pd.Series(values, index=text.index, dtype="datetime64[ns, UTC]")
    return parsed.dt.tz_localize(None).astype("datetime64[ns]")


def unreadable_dates(raw: pd.Series, parsed: pd.Series) -> np.ndarray:
    """Features whose date cell holds text that is no date (empty cells are no problem).

    Parameters
    ----------
    raw
        The column as read.
    parsed
        What :func:`parse_dates` made of it.

    Returns
    -------
    numpy.ndarray
        A boolean mask over the features.

    Examples
    --------
    >>> raw = pd.Series(["2020-11-05", "soon", "", "unknown"])
    >>> unreadable_dates(raw, parse_dates(raw)).tolist()
    [False, True, False, False]
    """
    if pd.api.types.is_datetime64_any_dtype(raw):
        return np.zeros(len(raw), dtype=bool)
    text = raw.astype("string").str.strip()
    written = text.notna() & ~text.str.casefold().isin(SENTINELS)
    return np.asarray((written & parsed.isna()).to_numpy(dtype=bool))


def report_dates(
    raw: pd.Series,
    parsed: pd.Series,
    keep: np.ndarray,
    col: Collector,
    column: str,
    *,
    what: str = "structures",
) -> None:
    """Warn about dates that cannot be read or contradict each other's order; say the order.

    Fills ``unreadable_dates`` (how many kept ``what`` lost their date) and ``date_order``
    (``day first`` or ``month first``) in the reader's report.
    """
    bad = unreadable_dates(raw, parsed) & keep
    if bad.any():
        examples = ", ".join(repr(str(v)) for v in pd.unique(raw[bad].astype(str))[:3])
        col.warn(
            f"{int(bad.sum()):,} {what} have a date in {column!r} that cannot be read "
            f"(e.g. {examples}); they are counted without a date, so --as-of cannot place "
            "them. Write dates as YYYY-MM-DD."
        )
        col.extra["unreadable_dates"] = col.extra.get("unreadable_dates", 0) + int(bad.sum())
    order = parsed.attrs.get("date_order")
    if order:
        col.extra["date_order"] = order
    conflict = parsed.attrs.get("date_conflict")
    if conflict:
        col.warn(date_conflict_message(col.path.name, column, conflict))


def date_conflict_message(file: str, column: str, examples: tuple[str, str]) -> str:
    """The warning for a column holding dates in both orders (``13/11/2020``, ``11/13/2020``)."""
    day, month = examples
    return (
        f"{file}: column {column!r} writes dates both day first ({day!r}) and month first "
        f"({month!r}): the order is contradictory, so its dd/mm dates are read day first "
        "where they can be and some are likely wrong. Write the dates as YYYY-MM-DD."
    )
