"""The canonical damage scale and structure types, and crosswalks from native vocabularies.

Every native label maps through a CSV in ``data/vocab`` (one row per label, with a ``lossy``
flag and a note); unknown labels are rejected with the list of known ones, never guessed.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Iterable
from functools import cache

import pandas as pd

from ._data import data_path
from ._errors import UnknownLabelError, UsageError


def _vocabulary(name: str) -> pd.DataFrame:
    """One of the canonical vocabularies in ``data/vocab`` (read once, at import)."""
    return pd.read_csv(data_path("vocab", name), dtype=str, keep_default_na=False)


_DAMAGE = _vocabulary("damage.csv")
#: Groups of ``damage.csv`` that are not counts of damage (no summary column).
_NOT_COUNTED = ("none", "unassessed", "excluded")

#: Canonical damage states (DESIGN §3, ``data/vocab/damage.csv``), ordered states first.
DAMAGE_STATES: tuple[str, ...] = tuple(_DAMAGE["damage"])
#: The ordered part of the scale, least to most severe (the ``rank`` column).
DAMAGE_ORDER: tuple[str, ...] = tuple(
    _DAMAGE.loc[_DAMAGE["rank"] != ""]
    .assign(rank=lambda t: t["rank"].astype(int))
    .sort_values("rank", kind="stable")["damage"]
)
#: Summary groups (the ``group`` column), most severe first: destroyed and damaged never
#: overlap; groups without a ranked state (unsplit, assessed) follow in file order.
DAMAGE_GROUPS: dict[str, tuple[str, ...]] = {
    str(group): tuple(states["damage"])
    for group, states in sorted(
        _DAMAGE.groupby("group", sort=False),
        key=lambda item: -max((int(r) for r in item[1]["rank"] if r), default=-1),
    )
    if group not in _NOT_COUNTED
}
#: How strong each state is when one structure has several classes and the strongest is
#: kept (the ``strength`` column): the ordered states by rank, the unordered ones by meaning.
DAMAGE_STRENGTH: dict[str, float] = {
    str(d): float(v) for d, v in zip(_DAMAGE["damage"], _DAMAGE["strength"], strict=True)
}
#: Canonical structure types (``data/vocab/structure.csv``).
STRUCTURE_TYPES: tuple[str, ...] = tuple(_vocabulary("structure.csv")["structure"])
METHODS: tuple[str, ...] = (
    "field_survey",
    "satellite",
    "official_statement",
    "press",
    "compilation",
)
COUNT_UNITS: tuple[str, ...] = ("structures", "buildings", "housing_units", "households")
QUALIFIERS: tuple[str, ...] = ("exact", "approx", "more_than", "at_least", "up_to", "vague")
MATCH_KINDS: tuple[str, ...] = (
    "code",
    "exact",
    "alias",
    "transliteration",
    "fuzzy",
    "parent",
    "ambiguous",
    "unresolved",
)
LEVELS: tuple[str, ...] = ("country", "adm1", "adm2", "adm3", "settlement")
STATUSES: tuple[str, ...] = ("accepted", "needs_review", "rejected")

DAMAGE_DTYPE = pd.CategoricalDtype(list(DAMAGE_STATES), ordered=False)
STRUCTURE_DTYPE = pd.CategoricalDtype(list(STRUCTURE_TYPES), ordered=False)


def damage_group(damage: str) -> str | None:
    """Summary group of a canonical damage state (``None`` for states never counted).

    >>> damage_group("severe")
    'damaged'
    """
    for group, members in DAMAGE_GROUPS.items():
        if damage in members:
            return group
    return None


def _fold(label: object) -> str:
    """Fold a label for lookup: NFC, case-folded, whitespace collapsed, ``ǝ`` → ``ə``."""
    text = unicodedata.normalize("NFC", str(label)).replace("\u01dd", "\u0259")
    text = " ".join(text.replace("_", " ").split()).casefold()
    # UNOSAT codes arrive as 1, "1", "1.0" or "01"
    if text.replace(".", "", 1).isdigit():
        with contextlib.suppress(ValueError):
            text = str(int(float(text)))
    return text


@cache
def damage_schemes() -> tuple[str, ...]:
    """Names of the bundled damage crosswalks (``unosat``, ``copernicus_ems``, ...)."""
    folder = data_path("vocab", "crosswalks")
    return tuple(sorted(p.stem for p in folder.glob("*.csv")))


@cache
def damage_crosswalk(scheme: str) -> pd.DataFrame:
    """The crosswalk table of one scheme: ``label, damage, lossy, note`` (plus ``lang``)."""
    if scheme not in damage_schemes():
        raise UsageError(
            f"unknown damage scheme {scheme!r}; known schemes: {', '.join(damage_schemes())}"
        )
    table = pd.read_csv(
        data_path("vocab", "crosswalks", f"{scheme}.csv"), dtype=str, keep_default_na=False
    )
    table["lossy"] = table["lossy"].str.lower().eq("true")
    unknown = set(table["damage"]) - set(DAMAGE_STATES)
    if unknown:  # guards the data files themselves
        raise UnknownLabelError(f"crosswalk {scheme}.csv maps to unknown states {sorted(unknown)}")
    return table


@cache
def _damage_lookup(scheme: str) -> dict[str, tuple[str, bool]]:
    table = damage_crosswalk(scheme)
    return {
        _fold(lab): (dmg, lossy)
        for lab, dmg, lossy in zip(table["label"], table["damage"], table["lossy"], strict=True)
    }


@cache
def _structure_lookup() -> dict[str, str]:
    table = pd.read_csv(
        data_path("vocab", "structure_crosswalk.csv"), dtype=str, keep_default_na=False
    )
    return {_fold(lab): s for lab, s in zip(table["label"], table["structure"], strict=True)}


def known_damage_labels(scheme: str) -> list[str]:
    """The native labels a scheme knows, as written in its crosswalk."""
    return list(damage_crosswalk(scheme)["label"])


def classify_damage(
    values: Iterable[object] | pd.Series, scheme: str = "canonical", *, missing: str | None = None
) -> pd.Series:
    """Map native damage labels onto the canonical scale.

    Parameters
    ----------
    values
        Native labels (strings or codes).
    scheme
        A crosswalk name from :func:`damage_schemes`, or ``"auto"`` to try every scheme.
    missing
        Canonical state for empty values (``None`` keeps them as missing).

    Raises
    ------
    UnknownLabelError
        When a label is in no crosswalk row; the message lists the known labels.

    Examples
    --------
    >>> classify_damage(["1", "2", "6"], scheme="unosat").tolist()
    ['destroyed', 'severe', 'none']
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    schemes = damage_schemes() if scheme == "auto" else (scheme,)
    lookups = [_damage_lookup(s) for s in schemes]
    out: list[object] = []
    cache_: dict[object, object] = {}
    for value in series.tolist():
        if value in cache_:
            out.append(cache_[value])
            continue
        if (
            value is None
            or (isinstance(value, float) and pd.isna(value))
            or value is pd.NA
            or str(value).strip() == ""
        ):
            result: object = missing
        else:
            key = _fold(value)
            found = {lk[key][0] for lk in lookups if key in lk}
            if len(found) > 1:
                raise UnknownLabelError(
                    f"damage label {value!r} means different states in different schemes "
                    f"({', '.join(sorted(found))}); name the vocabulary it comes from with "
                    f"--damage-scheme (scheme= in Python), one of {', '.join(damage_schemes())}.",
                    label=value,
                    known=sorted(found),
                )
            result = found.pop() if found else None
            if result is None:
                known = sorted({lab for s in schemes for lab in known_damage_labels(s)})
                raise UnknownLabelError(
                    f"unknown damage label {value!r} for scheme {scheme!r}; known labels: "
                    f"{', '.join(known)}. Add a row to a crosswalk in data/vocab/crosswalks "
                    "or pass the right scheme.",
                    label=value,
                    known=known,
                )
        cache_[value] = result
        out.append(result)
    return pd.Series(out, index=series.index, dtype=DAMAGE_DTYPE, name="damage")


def is_known_damage_label(value: object, scheme: str = "auto") -> bool:
    """Whether ``value`` is in the crosswalk of ``scheme`` (any scheme for ``"auto"``)."""
    schemes = damage_schemes() if scheme == "auto" else (scheme,)
    key = _fold(value)
    return any(key in _damage_lookup(s) for s in schemes)


def unknown_structures_warning(labels: Iterable[object], *, shown: int = 10) -> str:
    """The warning for structure labels no crosswalk row knows (counted as ``other``).

    >>> unknown_structures_warning(["Barn", "Shed"], shown=1)
    "structure labels not in data/vocab/structure_crosswalk.csv, counted as 'other': 'Barn' and 1 more; add rows there to type them"
    """
    names = sorted({str(v) for v in labels})
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return (
        "structure labels not in data/vocab/structure_crosswalk.csv, counted as 'other': "
        f"{', '.join(map(repr, names[:shown]))}{more}; add rows there to type them"
    )


def classify_structure(
    values: Iterable[object] | pd.Series, *, unknown: str | None = None
) -> pd.Series:
    """Map native structure labels (``house``, ``11-Residential Buildings``…) to canonical types.

    Unknown labels raise :class:`UnknownLabelError` unless ``unknown`` names the type to use
    (e.g. ``"other"``). Empty values become ``"any"``.

    >>> classify_structure(["house", "school", None]).tolist()
    ['residential', 'education', 'any']
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    lookup = _structure_lookup()
    out: list[str] = []
    for value in series.tolist():
        if (
            value is None
            or value is pd.NA
            or (isinstance(value, float) and pd.isna(value))
            or str(value).strip() == ""
        ):
            out.append("any")
            continue
        key = _fold(value)
        if key in lookup:
            out.append(lookup[key])
        elif key in STRUCTURE_TYPES:
            out.append(key)
        elif unknown is not None:
            out.append(unknown)
        else:
            known = sorted(set(lookup) | set(STRUCTURE_TYPES))
            raise UnknownLabelError(
                f"unknown structure label {value!r}; known labels: {', '.join(known)}. "
                "Add a row to data/vocab/structure_crosswalk.csv.",
                label=value,
                known=known,
            )
    return pd.Series(out, index=series.index, dtype=STRUCTURE_DTYPE, name="structure")
