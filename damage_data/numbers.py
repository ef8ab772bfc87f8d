"""How counts are written for people: thousands marks per language, ranges and lower bounds.

A figure carries ``count`` with ``count_min`` and ``count_max`` (DESIGN §4 rule 8), and a
summary carries ``destroyed``/``destroyed_min``/``destroyed_max`` and so on. Every output
that prints a count for a reader (tables in Markdown, the README of a report, chart labels,
map legends, the web page) writes it through :func:`count_label`, so that "more than 500"
prints as ``500+`` and "55–60" as ``55–60`` everywhere.
"""

from __future__ import annotations

import math
from typing import Any

from ._errors import UsageError

#: Thousands and decimal marks per display language (CLDR).
NUMBER_MARKS: dict[str, tuple[str, str]] = {
    "en": (",", "."),
    "az": (".", ","),
    "ru": ("\u00a0", ","),
    "uk": ("\u00a0", ","),
    "hy": ("\u00a0", ","),
    "native": (",", "."),
}
LANGS: tuple[str, ...] = tuple(NUMBER_MARKS)


def is_missing(value: Any) -> bool:
    """True for ``None``, ``pd.NA``, ``NaN`` and ``NaT``."""
    if value is None:
        return True
    try:
        return bool(value != value) or str(value) in ("<NA>", "NaT")
    except (TypeError, ValueError):  # pd.NA compares to NA and refuses bool()
        return True


def format_number(value: float | int, lang: str = "en", *, decimals: int = 0) -> str:
    """A number with the thousands separator of ``lang``.

    Examples
    --------
    >>> format_number(3019), format_number(3019, "az"), format_number(1.5, "ru", decimals=1)
    ('3,019', '3.019', '1,5')
    """
    if lang not in NUMBER_MARKS:
        raise UsageError(f"unknown language {lang!r}; choose one of: {', '.join(LANGS)}")
    group, decimal = NUMBER_MARKS[lang]
    text = f"{float(value):,.{decimals}f}" if decimals else f"{round(float(value)):,d}"
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", group)


def count_label(value: Any, low: Any = None, high: Any = None, lang: str = "en") -> str:
    """A count as a reader should see it: ``47``, ``500+`` (no upper bound), ``55–60``.

    ``low``/``high`` are the bounds (``count_min``/``count_max`` or a summary's
    ``destroyed_min``/``destroyed_max``). Bounds equal to the value, or not given, print the
    value alone; a lower bound without an upper bound prints ``low+``; two different bounds
    print ``low–high``. A missing value prints an empty string ("not stated", never 0).

    Examples
    --------
    >>> count_label(47, 47, 47), count_label(500, 500, None), count_label(57, 55, 60)
    ('47', '500+', '55–60')
    >>> count_label(None)
    ''
    >>> count_label(13000, 13000, None, lang="az")
    '13.000+'
    """
    if is_missing(value):
        return ""
    if low is None and high is None:
        return format_number(value, lang)
    lo = value if is_missing(low) else low
    if is_missing(high):
        return f"{format_number(lo, lang)}+"
    if float(lo) == float(high):
        return format_number(high, lang)
    if float(lo) == 0:
        return f"\u2264{format_number(high, lang)}"  # "up to 50"
    return f"{format_number(lo, lang)}\u2013{format_number(high, lang)}"


def share_label(share: Any, lang: str = "en") -> str:
    """A share (0–1) as a whole percentage, empty when missing: ``0.872`` → ``87%``.

    >>> share_label(0.872), share_label(None)
    ('87%', '')
    """
    if is_missing(share) or not math.isfinite(float(share)):
        return ""
    sep = "\u00a0" if lang in ("ru", "uk", "hy") else ""
    return f"{format_number(round(100 * float(share)), lang)}{sep}%"
