"""Display names of units: the name to show in tables, charts and maps, in each language.

Names come from ``data/places/display_names.csv`` (our own table, reviewed like code), then a
user gazetteer's aliases in that language, then the gazetteer name, then the code. A source's
own spelling is never rewritten: figures keep ``place_text`` as written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

import pandas as pd

from .._data import data_path
from .._errors import UsageError
from .gazetteer import Gazetteer, default_gazetteer

__all__ = ["DISPLAY_LANGS", "display_name", "display_names", "list_units"]

#: Languages of display names.
DISPLAY_LANGS = ("en", "az", "ru", "hy", "uk", "native")


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value)


@cache
def _display_table() -> dict[tuple[str, str], str]:
    table = pd.read_csv(data_path("places", "display_names.csv"), dtype=str, keep_default_na=False)
    names = {
        (c, lang): n
        for c, lang, n in zip(table["unit_code"], table["lang"], table["name"], strict=True)
        if n
    }
    # countries (figures at level "country" carry the ISO alpha-2 code)
    countries = pd.read_csv(data_path("places", "countries.csv"), dtype=str, keep_default_na=False)
    native = {"AZ": "az", "AM": "hy", "UA": "uk"}
    rows = zip(countries["country"], countries["name"], countries["lang"], strict=True)
    for c, n, lang in rows:
        if n.isascii() and lang not in ("en", "az"):
            continue  # a romanisation ("Hayastan") is not the name in that language's script
        names.setdefault((c, lang), n)
        if native.get(c) == lang:
            names.setdefault((c, "native"), n)
    # a unit's native name is its name in its country's language: --lang uk printed
    # "Kyiv Oblast" where the Ukrainian "Київська область" is the native name
    for (c, lang), n in list(names.items()):
        own = native.get(c.split("-")[0])
        if lang == "native" and own is not None:
            names.setdefault((c, own), n)
    return names


def display_name(unit_code: str, lang: str = "en", *, gazetteer: Gazetteer | None = None) -> str:
    """The name of a unit to show in tables and maps, in ``lang`` (en, az, ru, hy, uk, native).

    Falls back to English, then to the gazetteer name, then to the code itself.

    Examples
    --------
    >>> display_name("AZ-CAB"), display_name("AZ-CAB", "az"), display_name("AM-LO", "hy")
    ('Jabrayil', 'Cəbrayıl', 'Լոռի')
    """
    return display_names([unit_code], lang, gazetteer=gazetteer)[0]


def display_names(
    codes: Iterable[object], lang: str = "en", *, gazetteer: Gazetteer | None = None
) -> list[str]:
    """:func:`display_name` of each code (vectorised); missing codes give ``""``.

    With ``gazetteer`` (your own), a code the bundled display names do not know takes the
    gazetteer's alias in ``lang`` (e.g. a COD-AB ``ADM1_RU`` column for ``ru``), else its name.

    Examples
    --------
    >>> display_names(["UA-32", "AZ-SUS"], "native")
    ['Київська область', 'Şuşa']
    """
    if lang not in DISPLAY_LANGS:
        raise UsageError(
            f"unknown display language {lang!r}; choose one of: {', '.join(DISPLAY_LANGS)}"
        )
    table = _display_table()
    gaz_names: dict[str, str] | None = None  # loaded only if a code needs it (slow)
    own: dict[str, str] = {}
    if gazetteer is not None:
        langs = gazetteer.aliases["lang"].fillna("")
        # "native": the first alias in a language other than English
        wanted = ~langs.isin(["en", "und", ""]) if lang == "native" else langs == lang
        al = gazetteer.aliases[wanted]
        own = dict(zip(gazetteer.units["unit_code"], gazetteer.units["name"], strict=True))
        own.update(dict(zip(al["unit_code"][::-1], al["alias"][::-1], strict=True)))
    out = []
    for code in codes:
        c = _text(code)
        if not c:
            out.append("")
            continue
        name = table.get((c, lang)) or (own.get(c) if c in own else None) or table.get((c, "en"))
        if not name:
            if gaz_names is None:
                gaz_names = _gazetteer_names()
            name = gaz_names.get(c) or c
        out.append(name)
    return out


@cache
def _gazetteer_names() -> dict[str, str]:
    units = default_gazetteer().units
    return dict(zip(units["unit_code"], units["name"], strict=True))


def list_units(*, country: str | Sequence[str] | None = None, lang: str = "en") -> pd.DataFrame:
    """The bundled units with their display name in ``lang``, sorted by code.

    Returns ``unit_code, display_name, name, level, kind, parent_code, country``; ``name``
    is the gazetteer (ISO 3166-2) name.

    Examples
    --------
    >>> list_units(country="AM", lang="hy").iloc[0][["unit_code", "display_name"]].tolist()
    ['AM-AG', 'Արագածոտն']
    """
    if lang not in DISPLAY_LANGS:
        raise UsageError(
            f"unknown display language {lang!r}; choose one of: {', '.join(DISPLAY_LANGS)}"
        )
    units = default_gazetteer(country).units
    out = pd.DataFrame(
        {
            "unit_code": units["unit_code"],
            "display_name": display_names(units["unit_code"], lang),
            "name": units["name"],
            "level": units["level"],
            "kind": units["kind"],
            "parent_code": units["parent_code"],
            "country": units["country"],
        }
    )
    return out.sort_values("unit_code", ignore_index=True)
