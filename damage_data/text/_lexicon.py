"""Lexicons of the press-report reader: phrase lists per language, kept as data files.

Each language has one JSON file in ``data/lexicons`` (``en.json``, ``az.json`` …) plus
``shared.json``. Phrases are written as plain text; a token ending in ``*`` matches any word
that starts with it (``dağıl*`` → ``dağılıb``), a token starting with ``*`` any word that
ends with it (``*häuser`` → ``Privathäuser``), so case endings and compounds need no code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .._data import data_path
from .._errors import UnknownLabelError, UsageError
from ._tokens import Token, norm, tokenize

#: Languages with a lexicon file (read first-class: en, az; common phrasings: ru, uk, tr, de,
#: fr, hy).
LANGUAGES: tuple[str, ...] = ("en", "az", "ru", "uk", "tr", "de", "fr", "hy")


@dataclass(frozen=True)
class Phrase:
    """One lexicon phrase compiled into token patterns."""

    text: str
    patterns: tuple[str, ...]
    value: Any
    specificity: int
    #: the patterns as (how, stem): 0 the word itself, 1 a prefix, 2 a suffix (matching is
    #: the reader's innermost loop: the pattern is parsed once, not at every token)
    compiled: tuple[tuple[int, str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", tuple(_compile(p) for p in self.patterns))

    def match(self, tokens: Sequence[Token], i: int) -> int | None:
        """End index (exclusive) when the phrase matches ``tokens`` from ``i``."""
        end = i + len(self.compiled)
        if end > len(tokens):
            return None
        for k, (how, stem) in enumerate(self.compiled):
            word = tokens[i + k].norm
            if how == 0:
                if word != stem:
                    return None
            elif how == 1:
                if not word.startswith(stem):
                    return None
            elif not (word.endswith(stem) and len(word) > len(stem)):
                return None
        return end


def _compile(pattern: str) -> tuple[int, str]:
    """A token pattern as (how, stem): ``dağıl*`` matches words starting with ``dağıl``,
    ``*siz`` words longer than ``siz`` ending in it, anything else the word itself."""
    if len(pattern) > 1 and pattern.endswith("*"):
        return 1, pattern[:-1]
    if len(pattern) > 1 and pattern.startswith("*"):
        return 2, pattern[1:]
    return 0, pattern


def _patterns(text: str) -> tuple[str, ...]:
    """Token patterns of a phrase; a ``*`` glued to a word makes it a prefix or suffix."""
    out: list[str] = []
    tokens = tokenize(text)
    glue_next = False
    for k, tok in enumerate(tokens):
        if tok.text == "*":
            if out and k > 0 and tokens[k - 1].end == tok.start and not out[-1].endswith("*"):
                out[-1] += "*"
            elif k + 1 < len(tokens) and tokens[k + 1].start == tok.end:
                glue_next = True
            continue
        out.append(("*" if glue_next else "") + tok.norm)
        glue_next = False
    return tuple(out)


@dataclass
class PhraseSet:
    """Phrases indexed by their first token for quick longest-match lookup."""

    exact: dict[str, list[Phrase]] = field(default_factory=dict)
    wild: list[Phrase] = field(default_factory=list)
    #: prefix patterns ("dağıl*") by their first letter, so a lookup tries only a few
    by_letter: dict[str, list[Phrase]] = field(default_factory=dict)
    suffix_first: list[Phrase] = field(default_factory=list)

    @classmethod
    def build(cls, entries: Mapping[str, Any] | Sequence[str]) -> PhraseSet:
        items = entries.items() if isinstance(entries, Mapping) else ((e, e) for e in entries)
        out = cls()
        for text, value in items:
            patterns = _patterns(text)
            if not patterns:
                continue
            spec = sum(len(p.strip("*")) for p in patterns) + sum(
                3 for p in patterns if not (p.endswith("*") or p.startswith("*")) or len(p) == 1
            )
            phrase = Phrase(text, patterns, value, spec)
            first = patterns[0]
            if (first.endswith("*") or first.startswith("*")) and len(first) > 1:
                out.wild.append(phrase)
                if first.startswith("*"):
                    out.suffix_first.append(phrase)
                else:
                    out.by_letter.setdefault(first[0], []).append(phrase)
            else:
                out.exact.setdefault(first, []).append(phrase)
        return out

    def match_at(self, tokens: Sequence[Token], i: int) -> tuple[Phrase, int] | None:
        """The best phrase starting at token ``i``: most tokens, then most specific."""
        if i >= len(tokens):
            return None
        best: tuple[Phrase, int] | None = None
        word = tokens[i].norm
        for group in (self.exact.get(word), self.by_letter.get(word[:1]), self.suffix_first):
            if not group:
                continue
            for phrase in group:
                end = phrase.match(tokens, i)
                if end is None:
                    continue
                if best is None or (end, phrase.specificity) > (best[1], best[0].specificity):
                    best = (phrase, end)
        return best

    def match_ending_at(
        self, tokens: Sequence[Token], end: int, *, lookback: int = 5
    ) -> tuple[Phrase, int] | None:
        """The longest phrase that ends right before token ``end``; returns (phrase, start)."""
        best: tuple[Phrase, int] | None = None
        for start in range(max(0, end - lookback), end):
            found = self.match_at(tokens, start)
            if found is not None and found[1] == end and best is None:
                best = (found[0], start)
        return best

    def __bool__(self) -> bool:
        return bool(self.exact or self.wild)


@dataclass
class Lexicon:
    """Every phrase set of one language."""

    lang: str
    raw: dict[str, Any]
    sets: dict[str, PhraseSet]
    _words: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def __getitem__(self, name: str) -> PhraseSet:
        return self.sets[name]

    def words(self, name: str) -> set[str]:
        """The normalised words of a list section (cached: the reader asks often; a copy)."""
        found = self._words.get(name)
        if found is None:
            found = frozenset(norm(w) for w in self.raw.get(name, []))
            self._words[name] = found
        return set(found)


#: Lexicon sections compiled into phrase sets.
_PHRASE_SECTIONS = (
    "numbers",
    "multipliers",
    "vague",
    "qualifiers_before",
    "qualifiers_after",
    "negation_determiners",
    "negators",
    "damage",
    "exclude_context",
    "structures",
    "count_units",
    "exclude_nouns",
    "subset_before",
    "subset_after",
    "same_as_determiners",
    "cumulative_cues",
    "single_event_cues",
    "correction_cues",
    "superseded_cues",
    "months",
    "weekdays",
    "relative_days",
    "date_since",
    "date_until",
    "date_on",
    "place_nouns_after",
    "place_nouns_before",
    "list_joiners",
    "ordinal_markers",
    "compound_parts",
    "number_of",
    "anaphora",
    "subset_of_anchor",
    "or_words",
    "context_nouns",
    "new_set_markers",
)


@cache
def shared() -> dict[str, Any]:
    """The language-independent part (``shared.json``)."""
    with open(data_path("lexicons", "shared.json"), encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


@cache
def lexicon(lang: str) -> Lexicon:
    """The compiled lexicon of one language (``en``, ``az``, ``ru``, ``uk``, ``tr``, ``de``,
    ``fr``, ``hy``).

    >>> lexicon("en")["damage"].match_at(tokenize("completely destroyed"), 0)[0].value
    'destroyed'
    """
    if lang not in LANGUAGES:
        raise UsageError(
            f"no lexicon for language {lang!r}; known languages: {', '.join(LANGUAGES)} (or 'auto')"
        )
    path = data_path("lexicons", f"{lang}.json")
    with open(path, encoding="utf-8") as handle:
        raw: dict[str, Any] = json.load(handle)
    _check_values(raw, path.name)
    sets = {name: PhraseSet.build(raw.get(name, {})) for name in _PHRASE_SECTIONS}
    return Lexicon(lang, raw, sets)


#: Structure placeholder a lexicon may use for "others", "weitere" (type of the thing before).
_CONTEXT_VALUES = {"*context*"}


def _check_values(raw: Mapping[str, Any], name: str) -> None:
    """Every damage and structure a lexicon maps to is in the canonical vocabulary."""
    from ..vocab import DAMAGE_STATES, STRUCTURE_TYPES

    known_damage = set(DAMAGE_STATES)
    for phrase, value in raw.get("damage", {}).items():
        if str(value).lstrip("!") not in known_damage:
            raise UnknownLabelError(
                f"data/lexicons/{name}, damage phrase {phrase!r}: unknown state {value!r}; "
                f"known states: {', '.join(DAMAGE_STATES)} (prefix ! for a negated form)",
                label=value,
                known=list(DAMAGE_STATES),
            )
    for phrase, value in raw.get("structures", {}).items():
        if value not in STRUCTURE_TYPES and value not in _CONTEXT_VALUES:
            raise UnknownLabelError(
                f"data/lexicons/{name}, structure noun {phrase!r}: unknown type {value!r}; "
                f"known types: {', '.join(STRUCTURE_TYPES)}",
                label=value,
                known=list(STRUCTURE_TYPES),
            )
