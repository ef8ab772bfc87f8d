"""Place names to admin-unit codes, saying how each one matched and never guessing silently.

:func:`resolve_places` tries, for each name: its unit code (ISO 3166-2, p-code, HASC,
GeoNames admin code); the exact unit name; an alias in any script; the transliteration key
(:mod:`.translit`: scripts, romanisations, Azerbaijani letters typed as ASCII, Russian and
Ukrainian adjective forms); a raion (a district the gazetteer holds only as a part of a unit,
tied to the unit holding it); a settlement of the gazetteer (tied to the unit holding it); a
sound-alike key (sh/s, kh/k…); and finally a fuzzy match (rapidfuzz ``cdist``) above a
threshold. Words such as "district", "rayonu" or "область" never decide a match, but may
choose between a city and a rayon of the same name. A name that fits several units comes
back ``ambiguous`` with its candidates; a stated parent that contradicts the gazetteer is
flagged ``parent_conflict``. Every match that is not a code or exact match goes to the match
log (:func:`match_log`) and to ``logging``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from .._data import data_path
from .._errors import UsageError
from .._gc import collector_paused
from ..translit import fold
from ..vocab import LEVELS
from .gazetteer import BUNDLED_BOUNDARIES, Gazetteer, default_gazetteer
from .index import (
    EMPTY_INDEX,
    FUZZY_MIN_LENGTH,
    Entry,
    Index,
    index_of,
    keys_of,
    loose_key,
    strip_generic,
    text_of,
)
from .review import RESOLVED_COLUMNS, log_review, match_log

__all__ = [
    "RESOLVED_COLUMNS",
    "match_log",
    "resolve_place",
    "resolve_places",
]


#: Kinds of unit that words such as "city" or "rayon" point to (see data/places/generic_words.csv).
UNIT_KINDS = ("city", "district", "region")

#: Default fuzzy threshold (rapidfuzz ``ratio`` on transliteration keys, 0-100) and the
#: margin within which a second unit makes a fuzzy match ambiguous.
FUZZY_THRESHOLD = 85.0
FUZZY_MARGIN = 5.0
#: Score of a transliteration match that reads an adjective as its base noun
#: ("Физулинский район" → Füzuli), below the 100 of a same-word match.
ADJECTIVE_SCORE = 90.0
#: Score of a sound-alike match (sh/s, kh/k, ch/c, zh/z): "Susha" → Şuşa.
LOOSE_SCORE = 95.0

# "Jabrayil in Fuzuli", "Horadiz, Fuzuli district", "Horadiz (Fuzuli)"
_PARENT_PATTERNS = (
    re.compile(r"^(?P<place>.+?)\s+in\s+(?P<parent>.+)$", re.IGNORECASE),
    re.compile(r"^(?P<place>[^,]+?)\s*,\s*(?P<parent>[^,]+)$"),
    re.compile(r"^(?P<place>[^()]+?)\s*\((?P<parent>[^()]+)\)$"),
)
# --- resolving one name ------------------------------------------------------------------


@dataclass
class _Result:
    unit_code: str | None = None
    match: str = "unresolved"
    score: float = float("nan")
    candidates: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    level: str | None = None  # overrides the unit's level (settlements)


@dataclass(frozen=True)
class _Query:
    text: str
    parent: tuple[str, ...]  # the units the stated parent may be
    parent_text: str | None
    kind: str | None  # the unit kind a generic word points to
    removed: tuple[str, ...]


def _units_of(entries: Sequence[Entry]) -> list[str]:
    if len(entries) == 1:
        return [entries[0].unit_code]
    return list(dict.fromkeys(e.unit_code for e in entries))


def _decide(
    units: list[str], entries: list[Entry], match: str, q: _Query, index: Index, reason: str
) -> _Result:
    """One matched step: a unit, or ``ambiguous`` unless the parent or a generic word decides."""
    many = [e for e in entries if not e.one_to_one]
    result = _Result(match=match, score=100.0, reasons=[reason] if reason else [])
    if many:
        result.match = "ambiguous"
        result.candidates = units
        result.reasons.append(
            f"{many[0].text!r} is a historical or de-facto name covering several units "
            f"(alias marked one_to_one=False): {_names(units, index)}"
        )
        return result
    if len(units) > 1:
        chosen = _choose(units, q, index)
        if chosen is None:
            result.match = "ambiguous"
            result.candidates = units
            result.reasons.append(f"fits {len(units)} units: {_names(units, index)}")
            return result
        result.reasons.append(chosen[1])
        units = [chosen[0]]
    result.unit_code = units[0]
    _check_parent(result, q, index)
    return result


def _inside(code: str, parents: tuple[str, ...], index: Index) -> bool:
    """Is ``code`` one of ``parents`` or inside one of them?"""
    return bool(parents) and (code in parents or not index.ancestors(code).isdisjoint(parents))


def _choose(units: list[str], q: _Query, index: Index) -> tuple[str, str] | None:
    if q.parent:
        inside = [u for u in units if _inside(u, q.parent, index)]
        if len(inside) == 1:
            return inside[0], f"parent {q.parent_text!r} chose among {_names(units, index)}"
    if q.kind:
        kinds = [u for u in units if index.units[u][4] == q.kind]
        if len(kinds) == 1:
            return kinds[0], (
                f"the word {' '.join(q.removed)!r} chose the {q.kind} among {_names(units, index)}"
            )
    return None


def _check_parent(result: _Result, q: _Query, index: Index) -> None:
    if not q.parent or result.unit_code is None:
        return
    code = result.unit_code
    if not _inside(code, q.parent, index):
        result.reasons.append(
            f"parent_conflict: {_names([code], index)} is not inside "
            f"{q.parent_text!r} ({_names(q.parent, index)}) in the gazetteer"
        )


def _names(codes: Iterable[str], index: Index) -> str:
    out = []
    for c in codes:
        info = index.units.get(c)
        out.append(f"{c} {info[0]}" if info and info[0] else c)
    return ", ".join(out)


def _resolve_exactish(q: _Query, index: Index) -> _Result | None:
    """Code, exact, alias and transliteration steps; ``None`` when none matches."""
    k = keys_of(q.text)
    units = index.codes.get(k.code)
    if units:
        return _decide(units, [], "code", q, index, "")
    removed = k.removed
    for candidate, note in ((k.exact, ""), (k.stripped_exact, "generic")):
        entries = index.exact.get(candidate)
        if not entries or (note and not removed):
            continue
        names = [e for e in entries if e.kind == "name"]
        match = "exact" if names else "alias"
        reason = "" if match == "exact" else f"alias {entries[0].text!r}"
        if note:
            reason = "; ".join(filter(None, [reason, f"ignored {' '.join(removed)!r}"]))
        units = _units_of(entries)
        folded = index.folded.get(k.variants.key, ())
        if names and len(_units_of(names)) == 1 and not note:
            # a unit's own name beats another's alias: "Kyiv" is the city's name and only
            # an alternative name of Kyivska oblast (Natural Earth names oblasts after their
            # capitals); two units of one name (the city and the rayon Şəki) stay ambiguous
            others = [u for u in units if u not in _units_of(names)]
            if others:
                reason = f"the name of this unit; also another name of {_names(others, index)}"
            entries, units = names, _units_of(names)
            folded = [e for e in folded if e.kind == "name"]
        # the same name read through transliteration may fit further units (Shaki → the
        # city and the rayon Şəki): those count as candidates too
        extra = [u for u in _units_of(folded) if u not in units]
        if extra:
            units = units + extra
        result = _decide(units, entries, match, q, index, reason)
        if match == "alias" and result.unit_code is not None:
            # an oblast's alias that is also the name of a raion inside it is its capital's
            # name ("Khmelnytskyi", "Kropyvnytskyi"): the raion, a place inside the oblast,
            # not the oblast's own total (which would hide the other raions' figures)
            raion = _resolve_subunit(q, index)
            if raion is not None and raion.unit_code == result.unit_code:
                return raion
        return result
    v = k.variants
    tries: Iterable[tuple[str, dict[str, list[Entry]], float]]
    if not v.same and not v.bases:  # most names: one key to look up
        tries = ((v.key, index.folded, 100.0), (v.key, index.adjective, ADJECTIVE_SCORE))
    else:
        # the same word first; an adjective read as its base noun counts a little less (90)
        tries = [(key, index.folded, 100.0) for key in (v.key, *v.same)]
        tries += [
            (key, table, ADJECTIVE_SCORE)
            for table in (index.folded, index.adjective)
            for key in v.bases
        ]
        tries += [(key, index.adjective, ADJECTIVE_SCORE) for key in (v.key, *v.same)]
    for key, table, score in tries:
        entries = table.get(key)
        if entries:
            reason = f"transliteration of {entries[0].text!r}"
            if score < 100:
                reason += " (adjective form)"
            if removed:
                reason += f"; ignored {' '.join(removed)!r}"
            result = _decide(_units_of(entries), entries, "transliteration", q, index, reason)
            result.score = score
            if q.kind != "region":  # "Сюникский марз": марз is masculine
                return _check_gender(result, q, v.key, index)
            return result
    return None


def _check_gender(result: _Result, q: _Query, key: str, index: Index) -> _Result:
    """In Ukraine a masculine or neuter adjective ("Kharkivskyi", "Харьковский",
    "Oktyabrskoye") names a raion, a city district or a village, never an oblast: the
    oblast's name is feminine ("Kharkivska", область). Such a match is another unit: the
    raion of that name inside the oblast when the gazetteer knows one (Kharkivskyi raion),
    else it is sent to review, never used (ACAPS Ukraine: the raion read as its oblast).
    """
    code = result.unit_code
    if code is None or not re.search(r"sk(i|o|oia|oe)$", key):
        return result
    _, _, _, country, kind = index.units.get(code, ("", "", "", "", ""))
    # Ukraine's regions are oblasts (область, feminine) and its raions masculine; an
    # Armenian marz is "марз" (masculine) as often as "область", so either form names it
    if kind not in ("region", "") or country != "UA":  # (Kherson's type is not recorded)
        return result
    raion = _resolve_subunit(q, index)
    if raion is not None and raion.unit_code == code:
        return raion
    result.match = "unresolved"
    result.candidates = [code]
    result.unit_code = None
    result.reasons.append(
        f"a masculine or neuter adjective names a district or a place in "
        f"{_names([code], index)}, not the region itself (its name is feminine)"
    )
    return result


def _resolve_subunit(q: _Query, index: Index) -> _Result | None:
    """A district the gazetteer holds only as a part of a unit (Ukraine's raions, inside
    their oblasts): a figure about it is about a place inside that unit, rolled up into it
    as a village's is ("Bohodukhivskyi", "Богодухівський район" → inside UA-63).

    Tried before the settlements: a raion's name is an adjective that a village or a city
    district elsewhere may also bear (GeoNames lists a "Bohodukhivskyi" in Donetsk).
    """
    k = keys_of(q.text)
    entries = next(
        (
            index.subunits[key]
            for key in (k.stripped_exact, k.variants.key)
            if key in index.subunits
        ),
        None,
    )
    if not entries or q.kind in ("city", "region"):
        return None
    units = _units_of(entries)
    if q.parent and len(units) > 1:
        inside = [u for u in units if _inside(u, q.parent, index)]
        if inside:
            units = inside
    result = _Result(match="parent", score=100.0, level="settlement")
    if len(units) > 1:
        result.match = "ambiguous"
        result.candidates = units
        result.reasons.append(
            f"district {entries[0].text!r} exists in {len(units)} units: {_names(units, index)}"
        )
        return result
    result.unit_code = units[0]
    result.reasons.append(
        f"district (raion) {entries[0].text!r} lies in {_names(units, index)}: "
        "counted as a place inside it"
    )
    _check_parent(result, q, index)
    return result


def _resolve_settlement(q: _Query, index: Index) -> _Result | None:
    k = keys_of(q.text)
    entries = index.settle_exact.get(k.stripped_exact) or index.settle_folded.get(k.variants.key)
    if not entries:
        return None
    units = _units_of(entries)
    if q.parent and len(units) > 1:
        inside = [u for u in units if _inside(u, q.parent, index)]
        if inside:
            units = inside
    result = _Result(match="parent", score=100.0, level="settlement")
    if len(units) > 1:
        result.match = "ambiguous"
        result.candidates = units
        result.reasons.append(
            f"settlement {entries[0].text!r} exists in {len(units)} units: {_names(units, index)}"
        )
        return result
    result.unit_code = units[0]
    result.reasons.append(f"settlement {entries[0].text!r} lies in {_names(units, index)}")
    _check_parent(result, q, index)
    return result


# --- fuzzy matching (vectorised) ---------------------------------------------------------


def _fuzzy(
    keys: list[str], index: Index, *, threshold: float, margin: float, chunk: int = 4096
) -> list[tuple[list[int], float]]:
    """For each key: the unit positions within ``margin`` of the best score, and the score.

    Queries are grouped by length and compared only with targets whose length allows a
    ``ratio`` above the cutoff (ratio ≤ 200·min(len)/sum(len)), which keeps ``cdist``
    from scoring pairs that cannot match.
    """
    from rapidfuzz import fuzz, process

    out: list[tuple[list[int], float]] = [([], 0.0)] * len(keys)
    if not keys or not index.fuzzy_keys:
        return out
    cutoff = max(threshold - margin, 1.0)
    t_len = np.array([len(k) for k in index.fuzzy_keys])
    order = np.argsort(t_len, kind="stable")
    t_sorted = [index.fuzzy_keys[i] for i in order]
    t_units = index.fuzzy_units[order]
    t_len = t_len[order]
    by_length: dict[int, list[int]] = {}
    for i, k in enumerate(keys):
        by_length.setdefault(len(k), []).append(i)
    for length, members in by_length.items():
        lo = np.searchsorted(t_len, np.ceil(length * cutoff / (200 - cutoff)), "left")
        hi = np.searchsorted(t_len, np.floor(length * (200 - cutoff) / cutoff), "right")
        if hi <= lo:
            continue
        targets = t_sorted[lo:hi]
        units = t_units[lo:hi]
        for start in range(0, len(members), chunk):
            rows_idx = members[start : start + chunk]
            scores = process.cdist(
                [keys[i] for i in rows_idx],
                targets,
                scorer=fuzz.ratio,
                score_cutoff=int(cutoff),
                dtype=np.uint8,
                workers=-1,
            )
            best = scores.max(axis=1)
            hit = np.flatnonzero(best >= threshold)
            if not len(hit):
                continue
            sub = scores[hit]
            r, c = np.nonzero(sub >= (best[hit].astype(np.int16) - margin)[:, None])
            found: dict[int, dict[int, int]] = {}
            for rr, cc in zip(r.tolist(), c.tolist(), strict=True):
                unit_scores = found.setdefault(rr, {})
                u, sc = int(units[cc]), int(sub[rr, cc])
                if sc > unit_scores.get(u, -1):
                    unit_scores[u] = sc
            for rr, unit_scores in found.items():
                ranked = (
                    list(unit_scores)
                    if len(unit_scores) == 1
                    else sorted(unit_scores, key=unit_scores.__getitem__, reverse=True)
                )
                out[rows_idx[int(hit[rr])]] = (ranked, float(best[hit[rr]]))
    return out


# --- public API --------------------------------------------------------------------------


def _as_list(values: str | Iterable[object] | pd.Series | None, n: int, what: str) -> list[object]:
    if values is None or isinstance(values, str):
        return [values] * n
    out = list(values)
    if len(out) != n:
        raise UsageError(
            f"{what} has {len(out)} values for {n} names; give one {what} "
            "for all names or one per name"
        )
    return out


def _gazetteer_for(
    country: str | Sequence[str] | None, gazetteer: Gazetteer | None
) -> tuple[Gazetteer | None, str]:
    countries = [country] if isinstance(country, str) else country
    note = ""
    if gazetteer is None:
        if countries is not None:
            wanted = [c.upper() for c in countries]
            known = [c for c in wanted if c in BUNDLED_BOUNDARIES]
            if not known:
                return None, (
                    f"no bundled gazetteer for {', '.join(wanted)} (bundled: "
                    f"{', '.join(BUNDLED_BOUNDARIES)}); pass gazetteer="
                )
            gazetteer = default_gazetteer(known)
        else:
            gazetteer = default_gazetteer()
    elif countries is not None:
        # kept with the gazetteer, so its lookup tables are built once per country set
        key = "subset:" + ",".join(sorted(c.upper() for c in countries))
        if key not in gazetteer._index_cache:
            gazetteer._index_cache[key] = gazetteer.subset(countries=countries)
        gazetteer = gazetteer._index_cache[key]
    return gazetteer, note


@collector_paused()
def resolve_places(
    names: str | Iterable[object] | pd.Series,
    *,
    country: str | Sequence[str] | None = None,
    parent: str | Iterable[object] | None = None,
    level: str | None = None,
    gazetteer: Gazetteer | None = None,
    fuzzy_threshold: float = FUZZY_THRESHOLD,
    fuzzy_margin: float = FUZZY_MARGIN,
) -> pd.DataFrame:
    """Resolve place names to admin units, one row per name in input order.

    Parameters
    ----------
    names
        Place names as written (any script); missing values come back ``unresolved``.
    country
        ISO 3166-1 alpha-2 code(s) to search in; default: every country of the gazetteer.
    parent
        The parent as written (name or code), for all names or one per name. "X in Y",
        "X, Y" and "X (Y)" in a name are read as place and parent.
    level
        Only units at this level (``adm1``, ``adm2``, ``settlement``…) or of this kind
        (``city``, ``district``, ``region``).
    gazetteer
        A :class:`~damage_data.gazetteer.Gazetteer`; default: the bundled one.
    fuzzy_threshold, fuzzy_margin
        Lowest fuzzy score (0-100) accepted, and the margin within which a second unit
        makes the match ambiguous.

    Returns
    -------
    pandas.DataFrame
        ``place_text, unit_code, unit_name, level, match, score, candidates, reason``.
        ``match`` is one of ``code, exact, alias, transliteration, fuzzy, parent,
        ambiguous, unresolved``; ``parent`` means the figure is tied to the unit holding
        the named settlement or raion, or to the stated parent of a place the gazetteer does not
        know (``level == "settlement"`` then: the figure is about a place inside the
        unit, not the unit's own total). ``score`` is 100 for code to transliteration
        matches (90 for an adjective read as its base noun), the rapidfuzz ``ratio`` for
        fuzzy ones (95 for sound-alikes). ``candidates`` lists the unit codes of ambiguous
        and tied fuzzy matches; ``reason`` explains every non-exact match and carries
        ``parent_conflict`` when the stated parent contradicts the gazetteer. The index is
        0…n-1: row ``i`` answers ``names[i]``.

    Examples
    --------
    >>> out = resolve_places(["Fizuli", "Физули", "Jabrayil in Fuzuli", "Atlantis"])
    >>> out["unit_code"].fillna("-").tolist()
    ['AZ-FUZ', 'AZ-FUZ', 'AZ-CAB', '-']
    >>> out["match"].tolist()
    ['alias', 'alias', 'alias', 'unresolved']
    >>> "parent_conflict" in out.loc[2, "reason"]
    True
    """
    texts = [names] if isinstance(names, str) else list(names)  # one name is a list of one
    parents = _as_list(parent, len(texts), "parent")
    if not (0 < fuzzy_threshold <= 100 and 0 <= fuzzy_margin < fuzzy_threshold):
        raise UsageError(
            f"fuzzy_threshold must be in (0, 100] and fuzzy_margin in [0, threshold); got "
            f"{fuzzy_threshold!r} and {fuzzy_margin!r} (defaults {FUZZY_THRESHOLD:g}, "
            f"{FUZZY_MARGIN:g})"
        )
    if level is not None and level not in (*LEVELS, *UNIT_KINDS):
        raise UsageError(
            f"unknown level {level!r}; choose a level ({', '.join(LEVELS)}) or a kind "
            f"({', '.join(UNIT_KINDS)})"
        )
    gaz, note = _gazetteer_for(country, gazetteer)
    if gaz is None:
        positions = np.zeros(len(texts), dtype=np.int64)
        return _spread([_Result(reasons=[note])], positions, texts, EMPTY_INDEX)
    index = index_of(gaz, level)
    parent_index = index if level is None else index_of(gaz)

    results: dict[tuple[str, str], _Result] = {}
    pending: dict[tuple[str, str], _Query] = {}
    parent_cache: dict[str, tuple[tuple[str, ...], str]] = {}
    keys = [(text_of(t).strip(), text_of(p).strip()) for t, p in zip(texts, parents, strict=True)]
    for key in keys:
        if key in results or key in pending:
            continue
        if not key[0]:
            results[key] = _Result(reasons=["empty place name"])
            continue
        outcome = _resolve_text(key[0], key[1] or None, index, parent_index, parent_cache)
        if isinstance(outcome, _Query):
            pending[key] = outcome
        else:
            results[key] = outcome

    _resolve_fuzzy(pending, results, index, fuzzy_threshold, fuzzy_margin)
    # one row per distinct (name, parent), then spread to every input row
    order = {key: i for i, key in enumerate(results)}
    positions = np.fromiter((order[key] for key in keys), dtype=np.int64, count=len(keys))
    table = _spread(list(results.values()), positions, texts, index)
    log_review(table)
    return table


def _spread(
    unique: list[_Result], positions: np.ndarray, texts: list[object], index: Index
) -> pd.DataFrame:
    """The output table: the result of each distinct name, repeated at each of its rows."""
    codes = [r.unit_code for r in unique]
    cands = [r.candidates for r in unique]
    infos = [index.units.get(c) if c else None for c in codes]
    columns: dict[str, list[Any]] = {
        "unit_code": codes,
        "unit_name": [i[0] if i else None for i in infos],
        "level": [r.level or (i[1] if i else None) for r, i in zip(unique, infos, strict=True)],
        "match": [r.match for r in unique],
        "score": [r.score for r in unique],
        "reason": ["; ".join(r.reasons) for r in unique],
    }
    table = pd.DataFrame(
        {
            # the source's own text, untouched (missing values stay missing)
            "place_text": pd.array(
                [t if isinstance(t, str) else (text_of(t) or None) for t in texts],
                dtype="string",
            ),
            **{
                col: pd.array(np.asarray(values, dtype=object)[positions], dtype="string")
                for col, values in columns.items()
                if col != "score"
            },
            "score": np.asarray(columns["score"], dtype=float)[positions],
            # a list per row, not shared between rows
            "candidates": [list(cands[p]) if cands[p] else [] for p in positions.tolist()],
        }
    )
    return table[list(RESOLVED_COLUMNS)]


def _resolve_text(
    text: str,
    parent_text: str | None,
    index: Index,
    parent_index: Index,
    parent_cache: dict[str, tuple[tuple[str, ...], str]],
) -> _Result | _Query:
    """Every step but fuzzy; returns a query still to be fuzzy-matched when none matched."""
    place = text
    notes: list[str] = []
    if parent_text is None:
        k = keys_of(text)
        whole = _resolve_exactish(_Query(text, (), None, k.kind, k.removed), index)
        if whole is not None:
            return whole
        maybe_parent = " in " in text.lower() or "," in text or "(" in text
        for pattern in _PARENT_PATTERNS if maybe_parent else ():
            m = pattern.match(text)
            if m:
                place, parent_text = m.group("place").strip(), m.group("parent").strip()
                notes.append(f"read as {place!r} in parent {parent_text!r}")
                break
    parent_code: tuple[str, ...] = ()
    if parent_text:
        if parent_text not in parent_cache:
            parent_cache[parent_text] = _resolve_parent(parent_text, parent_index)
        parent_code, parent_note = parent_cache[parent_text]
        if parent_note:
            notes.append(parent_note)
    k = keys_of(place)
    q = _Query(place, parent_code, parent_text, k.kind, k.removed)
    # without a parent the whole text was already tried above
    result = (
        (_resolve_exactish(q, index) if parent_text else None)
        or _resolve_subunit(q, index)
        or _resolve_settlement(q, index)
    )
    if result is None and k.variants.key not in index.no_fuzzy:
        result = _resolve_loose(q, k.variants.key, index)
    if result is None:
        if k.variants.key in index.no_fuzzy or len(k.variants.key) < FUZZY_MIN_LENGTH:
            result = _Result(
                reasons=[f"no unit named {place!r}; too short or listed as never fuzzy-matched"]
            )
        else:
            return q
    result.reasons[:0] = notes
    return _fallback_to_parent(result, q, index)


def _resolve_loose(q: _Query, key: str, index: Index) -> _Result | None:
    """A sound-alike key (sh/s, kh/k…): a fuzzy match scored 95, ambiguous when it fits more."""
    entries = index.loose.get(loose_key(key))
    if not entries or len(key) < 4:
        return None
    result = _decide(
        _units_of(entries),
        entries,
        "fuzzy",
        q,
        index,
        f"sounds like {entries[0].text!r} (sh/s, kh/k, ch/c, zh/z swapped)",
    )
    result.score = LOOSE_SCORE
    if result.match == "ambiguous":
        result.candidates = result.candidates or _units_of(entries)
    return result


def _resolve_parent(parent_text: str, index: Index) -> tuple[tuple[str, ...], str]:
    """The units a stated parent may be (several when its name is ambiguous)."""
    code = _country_names().get(fold(parent_text))
    if code:
        return (code,), ""
    _, removed, kind = strip_generic(parent_text)
    res = _resolve_exactish(_Query(parent_text, (), None, kind, removed), index)
    if res is not None and res.unit_code:
        return (res.unit_code,), ""
    if res is not None and res.candidates:
        return tuple(res.candidates), ""
    return (), f"parent {parent_text!r} not resolved, so not checked"


@cache
def _country_names() -> dict[str, str]:
    table = pd.read_csv(data_path("places", "countries.csv"), dtype=str)
    return {fold(n): c for n, c in zip(table["name"], table["country"], strict=True)}


def _fallback_to_parent(result: _Result, q: _Query, index: Index) -> _Result:
    """An unknown place with a known parent is tied to the parent, as a settlement figure."""
    if result.match != "unresolved" or len(q.parent) != 1 or q.parent[0] not in index.units:
        return result
    return _Result(
        unit_code=q.parent[0],
        match="parent",
        score=float("nan"),
        level="settlement",
        reasons=[
            *result.reasons,
            f"{q.text!r} is not in the gazetteer; tied to its stated "
            f"parent {_names(q.parent, index)}",
        ],
    )


def _resolve_fuzzy(
    pending: dict[tuple[str, str], _Query],
    results: dict[tuple[str, str], _Result],
    index: Index,
    threshold: float,
    margin: float,
) -> None:
    if not pending:
        return
    items = list(pending.items())
    keys = [keys_of(q.text).variants.key for _, q in items]
    unique = list(dict.fromkeys(keys))
    found = dict(
        zip(unique, _fuzzy(unique, index, threshold=threshold, margin=margin), strict=True)
    )
    for (key, q), fkey in zip(items, keys, strict=True):
        positions, score = found[fkey]
        if not positions:
            res = _Result(reasons=[f"no unit named {q.text!r} (no fuzzy match ≥ {threshold:g})"])
            results[key] = _fallback_to_parent(res, q, index)
            continue
        units = [index.unit_ids[p] for p in positions]
        res = _Result(match="fuzzy", score=score, candidates=units if len(units) > 1 else [])
        if len(units) > 1:
            chosen = _choose(units, q, index)
            if chosen is None:
                res.match = "ambiguous"
                res.reasons.append(
                    f"fuzzy score {score:g} fits {len(units)} units within "
                    f"{margin:g}: {_names(units, index)}"
                )
                results[key] = res
                continue
            res.reasons.append(chosen[1])
            units = [chosen[0]]
        res.unit_code = units[0]
        res.reasons.insert(0, f"fuzzy match (score {score:g}) to {_names(units, index)}")
        _check_parent(res, q, index)
        results[key] = res


def resolve_place(name: str, **options: Any) -> dict[str, Any]:
    """Resolve one place name; the keyword options are those of :func:`resolve_places`.

    Examples
    --------
    >>> resolve_place("Agdam district")["unit_code"]
    'AZ-AGM'
    """
    row = resolve_places([name], **options).iloc[0]
    out: dict[str, Any] = {}
    for col in RESOLVED_COLUMNS:
        value = row[col]
        if col == "candidates":
            out[col] = list(value)
        elif pd.isna(value):
            out[col] = None
        else:
            out[col] = float(value) if col == "score" else str(value)
    return out
