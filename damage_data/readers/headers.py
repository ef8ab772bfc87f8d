"""What a table header or cell names, from the vocabularies in ``data/vocab``: damage states
(``Houses destroyed`` → destroyed; ``Heavy/Collapsed`` → severe and destroyed together),
structure types, count units and the roles of ``headers.csv`` (place, date, total, ignore…).

:mod:`damage_data.readers.columns` uses these words, with the values, to choose each
column's role.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import pandas as pd

from .._data import data_path
from ..vocab import COUNT_UNITS, DAMAGE_GROUPS, DAMAGE_STATES, STRUCTURE_TYPES, damage_schemes

# --- header vocabulary --------------------------------------------------------------------


def fold(text: object) -> str:
    """A header or label folded for lookup: NFC, case-folded, ``_-/.`` as spaces, and the
    Turkish/Azerbaijani dotted and dotless i as one letter (``AĞIR`` folds as ``ağır`` does:
    Python's case folding gives ``ağir`` and ``i̇`` for ``I`` and ``İ``).

    >>> fold("ÇOK AĞIR HASARLI") == fold("çok ağır hasarlı"), fold("HAFİF") == fold("hafif")
    (True, True)
    """
    value = unicodedata.normalize("NFC", str(text)).replace("\u01dd", "\u0259")
    value = re.sub(r"[_\-/.:()\[\],;#+]+", " ", value)
    value = " ".join(value.split()).casefold()
    return value.replace("\u0307", "").replace("\u0131", "i")


@cache
def header_words() -> tuple[tuple[str, str, str], ...]:
    """(folded phrase, role, value) of ``data/vocab/headers.csv``, longest phrase first."""
    table = pd.read_csv(data_path("vocab", "headers.csv"), dtype=str, keep_default_na=False)
    rows = {
        (fold(w), r, v)
        for w, r, v in zip(table["word"], table["role"], table["value"], strict=True)
    }
    return tuple(sorted(rows, key=lambda t: (-len(t[0]), t)))


@cache
def _state_phrases() -> tuple[tuple[str, str], ...]:
    """(folded phrase, state): headers.csv states, then crosswalk phrases (not bare codes)."""
    phrases: dict[str, str] = {}
    for phrase, role, value in header_words():
        if role == "state":
            phrases.setdefault(phrase, value)
    order = ["canonical", "press", "pdna"]
    order += [s for s in damage_schemes() if s not in order and s != "fema"]
    for scheme in order:
        table = pd.read_csv(
            data_path("vocab", "crosswalks", f"{scheme}.csv"), dtype=str, keep_default_na=False
        )
        for label, state in zip(table["label"], table["damage"], strict=True):
            key = fold(label)
            # codes ("1", "G3") and one-word sentinels ("Unknown") name no column, nor do a
            # survey's answers: "No" heads a value column ("no", "Serial_No"), not "none"
            if re.search(r"\d", key) or state == "unassessed" or key == "damage":
                continue
            if len(key) <= 2 or key in ("yes", "none of"):
                continue
            phrases.setdefault(key, state)
    for state in DAMAGE_STATES:
        phrases.setdefault(fold(state), state)
    return tuple(sorted(phrases.items(), key=lambda kv: -len(kv[0])))


@cache
def _structure_words() -> tuple[tuple[str, str], ...]:
    table = pd.read_csv(
        data_path("vocab", "structure_crosswalk.csv"), dtype=str, keep_default_na=False
    )
    words = {
        fold(lab): s
        for lab, s in zip(table["label"], table["structure"], strict=True)
        if not lab[:1].isdigit()
    }
    for s in STRUCTURE_TYPES:
        words.setdefault(s, s)
    return tuple(sorted(words.items(), key=lambda kv: -len(kv[0])))


def _find(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def header_roles(name: str) -> list[tuple[str, str]]:
    """Every (role, value) a header's words propose, most specific phrase first; a word
    inside a longer phrase proposes nothing (``UNIT_TYPES`` is a statement, not a unit)."""
    text = f" {fold(name)} "
    found: list[tuple[str, str]] = []
    for phrase, role, value in header_words():
        if role == "state":
            continue
        if _find(text, phrase):
            found.append((role, value))
            pattern = rf"(?<!\w){re.escape(phrase)}(?!\w)"
            # the same phrase may carry several roles (one row each): consume it once all
            # of its rows have been seen
            if not any(p == phrase and (r, v) not in found for p, r, v in header_words()):
                text = re.sub(pattern, " ", text)
    return found


@cache
def _hazard_words() -> frozenset[str]:
    """``data/vocab/hazard_kinds.csv``, folded and without accents."""
    table = pd.read_csv(data_path("vocab", "hazard_kinds.csv"), dtype=str, keep_default_na=False)
    return frozenset(_plain(w) for w in table["word"])


def _plain(text: object) -> str:
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", fold(text)) if not unicodedata.combining(ch)
    )


#: Share of an event column's filled cells that must name a kind of hazard.
HAZARD_SHARE = 0.8


def names_hazard_kinds(cells: pd.Series | list[object]) -> bool:
    """Whether the cells of an event column name kinds of hazard (DesInventar's ``event``:
    FLOOD, STORM, LANDSLIDE), not named events (Haiyan, Bopha): then each row is one
    incident of that kind, as under a ``TIPO_DE_EVENTO`` header.

    >>> names_hazard_kinds(["FLOOD", "STORM", "FLASH FLOOD", "Inundación"])
    True
    >>> names_hazard_kinds(["Haiyan", "Bopha", "FLOOD"])
    False
    """
    filled = [c for c in cells if isinstance(c, str) and c.strip()]
    if not filled:
        return False
    words = _hazard_words()
    known = sum(1 for c in filled if _plain(c) in words)
    return known >= HAZARD_SHARE * len(filled)


def event_kinds(name: str) -> bool:
    """Whether a header names the kind of event of each row (``TIPO_DE_EVENTO``,
    ``Hazard type``, ``PELIGRO``), not one named event (``disaster_name``: Haiyan).

    >>> event_kinds("TIPO_DE_EVENTO"), event_kinds("evento"), event_kinds("nivel de peligro")
    (True, False, False)
    """
    return any(
        role == "ignore" and value.startswith("the event type")
        for role, value in header_roles(name)
    )


def _union_of(name: str, state: str) -> tuple[str, ...]:
    """The states a column reporting several together names ("Heavy/Collapsed"), else ()."""
    named = states_in_header(name)
    return named if len(named) > 1 and state in ("damaged", "damaged_or_destroyed") else ()


def states_in_header(name: str) -> tuple[str, ...]:
    """The damage states a header names, in the order found (``Heavy/Collapsed`` → severe,
    destroyed). A severity qualifies the generic word: ``Slight damaged`` names minor only.

    >>> states_in_header("Heavy/Collapsed"), states_in_header("Slight damaged")
    (('severe', 'destroyed'), ('minor',))
    """
    text = f" {fold(name)} "
    found: list[tuple[int, str]] = []
    adverb = False
    for phrase, state in _state_phrases():
        if _find(text, phrase):
            pattern = rf"(?<!\w){re.escape(phrase)}(?!\w)"
            hit = re.search(pattern, text)
            found.append((hit.start() if hit else 0, state))
            adverb |= phrase in _WHOLLY
            # blanked to its length: the positions of the phrases left stay as written
            text = re.sub(pattern, lambda m: " " * len(m.group()), text)
    distinct = list(dict.fromkeys(state for _, state in sorted(found)))
    if "damaged" in distinct and (any(s in _SEVERITIES for s in distinct) or adverb):
        distinct.remove("damaged")  # "Fully No. of House damaged": fully damaged
    return tuple(distinct)


#: Adverbs that name a state by qualifying "damaged" ("Fully … damaged" is destroyed).
_WHOLLY = frozenset({"fully", "totally", "completely"})


_SEVERITIES = tuple(s for s in DAMAGE_GROUPS["damaged"] if s != "damaged")


def state_in_header(name: str) -> str | None:
    """The damage state a header names (``Houses destroyed`` → destroyed), else ``None``.

    Several states in one header are reported together: ``damaged_or_destroyed`` when one
    of them is destroyed ("Heavy/Collapsed"), ``damaged`` when all are severities of damage
    ("Moderately-Slightly"); any other mix is ambiguous and names no state. Such a column
    holds the states it names and no others (:attr:`CountColumn.union_of`).

    >>> state_in_header("COLLAPSED_UNITS"), state_in_header("Houses partially destroyed")
    ('destroyed', 'damaged')
    >>> state_in_header("Moderately-Slightly"), state_in_header("No damage or slight")
    ('damaged', None)
    """
    distinct = states_in_header(name)
    if len(distinct) > 1:
        damage = DAMAGE_GROUPS["damaged"]
        if "destroyed" in distinct and all(s in (*damage, "destroyed") for s in distinct):
            return "damaged_or_destroyed"
        if all(s in damage for s in distinct):
            return "damaged"
        return None
    if distinct:
        return distinct[0]
    words = set(fold(name).split())
    generic = {"damage", "damages", "sites", "site", "structures", "buildings", "houses", "count"}
    if "damage" in words and words <= generic | {"number", "total", "of", "with", "n"}:
        return "damaged_or_destroyed"
    return None


def structure_in_header(name: str) -> str | None:
    """The structure type a header or label names (``Houses destroyed`` → residential)."""
    text = f" {fold(name)} "
    for word, structure in _structure_words():
        if _find(text, word):
            return structure
    return None


def count_unit_in_header(name: str) -> str | None:
    """The count unit a header names, if any (``housing units``, ``households``).

    GEM's ``AFFECTED_UNITS``, ``DAMAGED_UNITS``… name no unit: their rows say it
    (``UNIT_TYPES``: buildings or dwellings), and beside ``DS1_SLIGHT``… they count the same
    units as the grades.

    >>> count_unit_in_header("Housing units destroyed"), count_unit_in_header("DAMAGED_UNITS")
    ('housing_units', None)
    """
    text = f" {fold(name)} "
    text = re.sub(r"(?<!\w)(affected|damaged|collapsed|destroyed) units(?!\w)", " ", text)
    if _find(text, "households") or _find(text, "household"):
        return "households"
    if re.search(r"housing units?|dwellings?|apartments|flats|(?<!\w)units(?!\w)", text):
        return "housing_units"
    if re.search(r"(?<!\w)(structures?|sites?)(?!\w)", text):
        return "structures"
    if re.search(r"(?<!\w)buildings?(?!\w)", text):
        return "buildings"
    # the other languages' words of data/vocab/count_units.csv ("viviendas", "logements")
    for word, unit in sorted(_unit_words().items(), key=lambda item: -len(item[0])):
        if _find(text, word):
            return unit
    return None


@cache
def _total_words() -> frozenset[str]:
    return frozenset(phrase for phrase, role, _ in header_words() if role == "total")


def names_a_total(text: str) -> bool:
    """Whether a cell says "all of them": a ``total`` word of ``data/vocab/headers.csv``
    (``Total``, ``всего``, ``insgesamt``), alone or before a count unit (``All buildings``).

    >>> names_a_total("All buildings"), names_a_total("Усього"), names_a_total("Schools")
    (True, True, False)
    """
    words = fold(text).split()
    while len(words) > 1 and count_unit_in_header(words[-1]) is not None:
        words.pop()
    return " ".join(words) in _total_words()


def count_unit_of_value(value: str) -> str | None:
    """A count unit stated in a cell (``Buildings``, ``Dwellings``, ``housing_units``)."""
    key = fold(value)
    if key.replace(" ", "_") in COUNT_UNITS:
        return key.replace(" ", "_")
    return _unit_words().get(key)


@cache
def _unit_words() -> dict[str, str]:
    """Words naming a count unit (``data/vocab/count_units.csv``): folded word → count unit."""
    table = pd.read_csv(data_path("vocab", "count_units.csv"), dtype=str, keep_default_na=False)
    return {fold(w): u for w, u in zip(table["word"], table["count_unit"], strict=True)}
