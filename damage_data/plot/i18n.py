"""The words around maps and charts in each display language, read from ``data/i18n/``.

Each language is one JSON file of keys to strings (``data/i18n/en.json`` …). A string may
name values in braces (``"{name}: most buildings destroyed ({value})"``); a key whose value
is an object holds plural forms (``one``, ``few``, ``many``, ``other``) chosen by CLDR rules.
``native`` (each unit in its own language) uses the English furniture.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from .._data import data_path
from .._errors import UsageError
from ..numbers import LANGS

#: Display languages with a furniture file (``data/i18n/<lang>.json``); ``native`` reads English.
FURNITURE_LANGS: tuple[str, ...] = tuple(
    lang for lang in LANGS if data_path("i18n", f"{lang}.json").is_file()
)


def check_lang(lang: str) -> str:
    """``lang`` itself when it is a display language, else a :class:`UsageError`.

    Parameters
    ----------
    lang
        A language code, ``native`` included.

    Returns
    -------
    str
        ``lang``.

    Raises
    ------
    UsageError
        For a language that is not a display language.

    Examples
    --------
    >>> check_lang("ru")
    'ru'
    """
    if lang not in LANGS:
        raise UsageError(f"unknown language {lang!r}; choose one of: {', '.join(LANGS)}")
    return lang


def furniture_lang(lang: str) -> str:
    """The furniture file a display language reads (``native`` reads ``en``).

    Parameters
    ----------
    lang
        A display language.

    Returns
    -------
    str
        The language of the file read.

    Examples
    --------
    >>> furniture_lang("native"), furniture_lang("hy")
    ('en', 'hy')
    """
    check_lang(lang)
    return lang if lang in FURNITURE_LANGS else "en"


@cache
def strings(lang: str) -> dict[str, Any]:
    """All keys of one language file (cached; do not modify the result).

    Parameters
    ----------
    lang
        A display language.

    Returns
    -------
    dict of str to object
        Key → string, or → plural forms for a key that has them.

    Examples
    --------
    >>> strings("en")["legend.no_reports"]
    'No reports'
    """
    path = data_path("i18n", f"{furniture_lang(lang)}.json")
    with path.open(encoding="utf-8") as handle:
        table: dict[str, Any] = json.load(handle)
    table.pop("_comment", None)
    return table


def has(key: str, lang: str = "en") -> bool:
    """True when ``key`` is a furniture string.

    Parameters
    ----------
    key
        A key such as ``"legend.no_reports"``.
    lang
        A display language.

    Returns
    -------
    bool
        Whether the language's file holds ``key``.

    Examples
    --------
    >>> has("legend.no_reports"), has("legend.nonsense")
    (True, False)
    """
    return key in strings(lang)


def text(key: str, lang: str = "en", **values: Any) -> str:
    """The string ``key`` in ``lang`` with ``values`` filled in.

    Parameters
    ----------
    key
        A key of ``data/i18n/<lang>.json``, e.g. ``"legend.no_reports"``.
    lang
        A display language.
    **values
        Values for the braces in the string.

    Returns
    -------
    str

    Examples
    --------
    >>> text("footer.source", "ru", names="Trend")
    'Источник: Trend'
    """
    table = strings(lang)
    if key not in table:
        raise KeyError(f"no furniture string {key!r} in data/i18n/{furniture_lang(lang)}.json")
    value = table[key]
    if isinstance(value, dict):
        value = value.get("other", next(iter(value.values())))
    return str(value).format(**values) if values else str(value)


def plural_category(n: int, lang: str) -> str:
    """CLDR plural category of a whole number ``n`` in ``lang`` (one, few, many, other).

    Parameters
    ----------
    n
        The number (its absolute value counts).
    lang
        A display language.

    Returns
    -------
    str
        ``one``, ``few``, ``many`` or ``other``.

    Examples
    --------
    >>> [plural_category(n, "ru") for n in (1, 3, 5, 11, 21)]
    ['one', 'few', 'many', 'many', 'one']
    """
    n = abs(int(n))
    lang = furniture_lang(lang)
    if lang in ("ru", "uk"):
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return "few"
        return "many"
    if lang == "hy":
        return "one" if n in (0, 1) else "other"
    return "one" if n == 1 else "other"


def plural(key: str, n: int, lang: str = "en", **values: Any) -> str:
    """The form of ``key`` for the number ``n`` (given to the string as ``{n}``).

    Parameters
    ----------
    key
        A key with plural forms (a plain string is used for every number).
    n
        The number that chooses the form.
    lang
        A display language.
    **values
        Values for the other braces in the string.

    Returns
    -------
    str
        The filled-in form.

    Raises
    ------
    KeyError
        When the language file has no ``key``.

    Examples
    --------
    >>> plural("footer.products", 14, "en", n_text="14", name="Copernicus EMS")
    '14 Copernicus EMS products'
    >>> plural("footer.products", 2, "ru", n_text="2", name="Copernicus EMS")
    'Copernicus EMS: 2 продукта'
    """
    table = strings(lang)
    if key not in table:
        raise KeyError(f"no furniture string {key!r} in data/i18n/{furniture_lang(lang)}.json")
    forms = table[key]
    if not isinstance(forms, dict):
        return str(forms).format(n=n, **values)
    form = forms.get(plural_category(n, lang)) or forms["other"]
    return str(form).format(n=n, **values)


def month(number: int, lang: str = "en") -> str:
    """Short name of month ``number`` (1–12) in ``lang``.

    Parameters
    ----------
    number
        The month, 1 to 12.
    lang
        A display language.

    Returns
    -------
    str
        The short name.

    Examples
    --------
    >>> month(11, "en"), month(11, "ru")
    ('Nov', 'ноя')
    """
    names: list[str] = strings(lang)["date.months"]
    return names[int(number) - 1]


def and_list(items: list[str], lang: str = "en", *, limit: int = 4) -> str:
    """``"a, b and c"`` in ``lang``; past ``limit`` items, ``"… and 3 more"``.

    Parameters
    ----------
    items
        The names.
    lang
        A display language.
    limit
        How many are named before the rest are counted.

    Returns
    -------
    str
        The names in a phrase.

    Examples
    --------
    >>> and_list(["Tərtər", "Füzuli", "Cəbrayıl"], "ru")
    'Tərtər, Füzuli и Cəbrayıl'
    """
    items = [str(i) for i in items]
    if len(items) > limit:
        items = [*items[:limit], plural("list.more", len(items) - limit, lang)]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + text("list.and", lang) + items[-1]
