"""The lookup tables of a gazetteer, built once per gazetteer and level, and the keys of a name.

:func:`index_of` builds (on first use, then keeps with the gazetteer) the tables that
:mod:`.resolve` looks names up in: unit codes, exact names and aliases, transliteration keys,
adjective bases, settlements, sound-alike keys and the fuzzy candidates. :func:`keys_of` gives
every key of one name at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from .._data import data_path
from ..translit import FoldVariants, exact_key, fold, fold_ascii, fold_variants
from .gazetteer import Gazetteer

#: Keys shorter than this are never fuzzy-matched: one letter is too large a share of them.
FUZZY_MIN_LENGTH = 5

_TOKEN_SPLIT = re.compile(r"\s+")
# spaces and underscores do not count in codes ("AZ CAB", "524 2 05 27")
_CODE_DROP = {ord(c): None for c in " _\t\n\r\u00a0"}


# --- reference words -----------------------------------------------------------------------


@cache
def generic_words() -> dict[str, str]:
    """Generic words (folded by :func:`exact_key`) → the unit kind they hint at ("" = none)."""
    table = pd.read_csv(data_path("places", "generic_words.csv"), dtype=str, keep_default_na=False)
    return {exact_key(w): k for w, k in zip(table["word"], table["kind"], strict=True)}


@lru_cache(maxsize=200_000)
def strip_generic(text: str) -> tuple[str, tuple[str, ...], str | None]:
    """``text`` without generic words, the words removed, and the kind they agree on."""
    words = generic_words()
    tokens = _TOKEN_SPLIT.split(text.strip())
    if len(tokens) == 1:  # most names: one word, never removed (a lone generic word stays)
        return text, (), None
    keys = [exact_key(t).strip(",;:") for t in tokens]
    removed = tuple(t for t, k in zip(tokens, keys, strict=True) if k in words)
    if not removed or len(removed) == len(tokens):
        return text, (), None
    keep = [t for t, k in zip(tokens, keys, strict=True) if k not in words]
    kinds = {words[k] for k in keys if k in words} - {""}
    return " ".join(keep), removed, (kinds.pop() if len(kinds) == 1 else None)


# --- the index ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    unit_code: str
    text: str
    kind: str  # "name", "alias", "settlement" or "subunit"
    one_to_one: bool
    lang: str = ""


@dataclass
class Index:
    """Lookup tables of one gazetteer (and level), built on first use and kept with it."""

    units: dict[str, tuple[str, str, str, str, str]]  # code → name, level, parent, country, kind
    codes: dict[str, list[str]]
    exact: dict[str, list[Entry]]
    folded: dict[str, list[Entry]]
    settle_exact: dict[str, list[Entry]]
    settle_folded: dict[str, list[Entry]]
    adjective: dict[str, list[Entry]] = field(default_factory=dict)
    subunits: dict[str, list[Entry]] = field(default_factory=dict)
    loose: dict[str, list[Entry]] = field(default_factory=dict)
    fuzzy_keys: list[str] = field(default_factory=list)
    fuzzy_units: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.int64))
    unit_ids: list[str] = field(default_factory=list)
    no_fuzzy: frozenset[str] = frozenset()

    def ancestors(self, code: str) -> set[str]:
        seen: set[str] = set()
        current = code
        while current in self.units and current not in seen:
            seen.add(current)
            parent = self.units[current][2]
            if not parent:
                break
            current = parent
        seen.discard(code)
        if code in self.units:
            seen.add(self.units[code][3])  # the country is everyone's ancestor
        return seen


def text_of(value: object) -> str:
    return (
        ""
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))
        else str(value)
    )


def index_of(gaz: Gazetteer, level: str | None = None) -> Index:
    """The lookup tables of ``gaz``, built on first use and kept with that gazetteer."""
    key = f"index:{level}"
    index = gaz._index_cache.get(key)
    if index is None:
        index = gaz._index_cache[key] = build_index(gaz, level)
    return index


def build_index(gaz: Gazetteer, level: str | None = None) -> Index:
    """Lookup tables; with ``level``, only units at that level (or of that kind) are named.

    ``units`` always holds every unit, so parents and ancestors can be checked.
    """
    units_t = gaz.units
    units = {
        code: (text_of(name), text_of(level), text_of(parent), text_of(country), text_of(kind))
        for code, name, level, parent, country, kind in zip(
            units_t["unit_code"],
            units_t["name"],
            units_t["level"],
            units_t["parent_code"],
            units_t["country"],
            units_t["kind"],
            strict=True,
        )
    }
    named = {c for c, info in units.items() if level is None or level in (info[1], info[4])}
    codes: dict[str, list[str]] = {}
    for code in named:
        codes.setdefault(code_key(code), []).append(code)
    for code, other in zip(gaz.codes["unit_code"], gaz.codes["code"], strict=True):
        if code in named and isinstance(other, str) and other:
            bucket = codes.setdefault(code_key(other), [])
            if code not in bucket:
                bucket.append(code)

    entries = [Entry(c, n[0], "name", True) for c, n in units.items() if n[0] and c in named]
    al = gaz.aliases
    entries += [
        Entry(str(c), str(a), "alias", bool(o), text_of(lang))
        for c, a, o, lang in zip(
            al["unit_code"], al["alias"], al["one_to_one"], al["lang"], strict=True
        )
        if str(c) in named and isinstance(a, str) and a.strip()
    ]
    exact: dict[str, list[Entry]] = {}
    folded: dict[str, list[Entry]] = {}
    # base nouns of adjective names ("Iziumskyi" → "izium"), tried after the full keys
    adjective: dict[str, list[Entry]] = {}
    for entry in entries:
        _add(exact, exact_key(entry.text), entry)
        stripped, removed, _ = strip_generic(entry.text)
        if removed:
            _add(exact, exact_key(stripped), entry)
        variants = fold_variants(stripped)
        _add(folded, variants.key, entry)
        # the same name typed without its Azerbaijani letters ("Agdas", "Lacin", "Seki")
        _add(folded, fold_ascii(stripped), entry)
        for same in variants.same:  # the same adjective with another ending
            _add(folded, same, entry)
        for base in variants.bases:
            _add(adjective, base, entry)

    settle_exact: dict[str, list[Entry]] = {}
    settle_folded: dict[str, list[Entry]] = {}
    st = gaz.settlements if level in (None, "settlement") else gaz.settlements.iloc[:0]
    for name, code in zip(st["name"], st["unit_code"], strict=True):
        if isinstance(name, str) and str(code) in units:
            entry = Entry(str(code), name, "settlement", True)
            _add(settle_exact, exact_key(name), entry)
            _add(settle_folded, fold(name), entry)

    # raions and other named parts of units: their exact and folded keys in one table (the
    # fold reads "Bohodukhivskyy", "Bohodukhivskiy", "Богодухівський" alike); not the
    # ending-neutral key, which would take the feminine oblast ("Харьковская") for the raion
    subunits: dict[str, list[Entry]] = {}
    sub = gaz.subunits if level in (None, "settlement", "adm2", "district") else gaz.subunits[:0]
    for name, code in zip(sub["name"], sub["unit_code"], strict=True):
        if isinstance(name, str) and str(code) in units:
            entry = Entry(str(code), name, "subunit", True)
            for key in dict.fromkeys((exact_key(name), fold_variants(name).key)):
                _add(subunits, key, entry)

    no_fuzzy = frozenset(fold(n) for n in gaz.do_not_fuzzy)
    loose: dict[str, list[Entry]] = {}
    for folded_key, same_key in folded.items():
        if folded_key not in no_fuzzy:
            for one in same_key:
                if one.one_to_one:
                    _add(loose, loose_key(folded_key), one)
    unit_ids = list(units)
    pos = {c: i for i, c in enumerate(unit_ids)}
    pairs = sorted(
        {
            (key, pos[e.unit_code])
            for key, bucket in folded.items()
            for e in bucket
            if e.one_to_one and len(key) >= FUZZY_MIN_LENGTH and key not in no_fuzzy
        }
    )
    return Index(
        units=units,
        codes=codes,
        exact=exact,
        folded=folded,
        settle_exact=settle_exact,
        settle_folded=settle_folded,
        adjective=adjective,
        subunits=subunits,
        loose=loose,
        fuzzy_keys=[k for k, _ in pairs],
        fuzzy_units=np.array([u for _, u in pairs], dtype=np.int64),
        unit_ids=unit_ids,
        no_fuzzy=no_fuzzy,
    )


def _add(table: dict[str, list[Entry]], key: str, entry: Entry) -> None:
    if not key:
        return
    bucket = table.setdefault(key, [])
    if entry not in bucket:
        bucket.append(entry)


# sh/s, kh/k, ch/ts and zh/z that careless spellings swap ("Susha", "Shusa" for Şuşa);
# a second, looser key tried before fuzzy matching
_LOOSE = str.maketrans({"S": "s", "X": "k", "C": "c", "J": "z"})


def loose_key(key: str) -> str:
    return key.translate(_LOOSE)


def code_key(code: str) -> str:
    return str(code).translate(_CODE_DROP).upper()


class Keys(NamedTuple):
    """Every lookup key of one text, computed once."""

    code: str
    exact: str
    stripped: str
    stripped_exact: str
    removed: tuple[str, ...]
    kind: str | None
    variants: FoldVariants  # fold keys of the stripped text


@lru_cache(maxsize=200_000)
def keys_of(text: str) -> Keys:
    stripped, removed, kind = strip_generic(text)
    return Keys(
        code=code_key(text) if len(text) <= 32 else "",
        exact=exact_key(text),
        stripped=stripped,
        stripped_exact=exact_key(stripped) if removed else exact_key(text),
        removed=removed,
        kind=kind,
        variants=fold_variants(stripped),
    )


EMPTY_INDEX = Index(units={}, codes={}, exact={}, folded={}, settle_exact={}, settle_folded={})
