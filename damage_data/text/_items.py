"""The records the sentence rules pass around (phrases, counted items, sentence results)
and the small token tests they share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..vocab import DAMAGE_GROUPS, DAMAGE_ORDER
from ._lexicon import Lexicon
from ._numbers import Number
from ._tokens import Sentence, Token, tokenize

#: Punctuation that ends a noun phrase or a clause.
CLAUSE_PUNCT = {
    ",",
    ";",
    ".",
    ":",
    "!",
    "?",
    "(",
    ")",
    "[",
    "]",
    "—",
    "–",
    '"',
    "“",
    "”",
    "«",
    "»",
    "„",
    "\u0589",  # Armenian full stop
    "\u055d",  # Armenian comma
    "\u2024",
}


TRAIL_STOP = {",", ";", ".", "!", "?", ")", "]", '"', "“", "”", "«", "»", ":", "\u0589", "\u055d"}


HYPHENS = {"-", "‑"}


QUOTES = {'"', "“", "”", "«", "»", "„"}


#: States that say a structure was harmed: the damaged and destroyed groups of the scale.
DAMAGE_LIKE = frozenset(DAMAGE_GROUPS["damaged"] + DAMAGE_GROUPS["destroyed"])


#: Structure placeholder for "others", "weitere": the type of the thing counted before.
CONTEXT = "*context*"


#: Where the reader places the states the scale leaves unranked, between two ranked ones:
#: "damaged" says less than "severe", "damaged or destroyed" less than "destroyed".
_UNRANKED_BETWEEN = {
    "assessed": ("none", "possible"),
    "damaged": ("moderate", "severe"),
    "damaged_or_destroyed": ("severe", "destroyed"),
}
#: How severe each canonical state is, to choose between two phrases joined by "and": the
#: rank on the scale (``vocab.DAMAGE_ORDER``), unranked states halfway between neighbours.
SEVERITY: dict[str, float] = {state: float(rank) for rank, state in enumerate(DAMAGE_ORDER)}
SEVERITY.update(
    {
        state: (SEVERITY[low] + SEVERITY[high]) / 2
        for state, (low, high) in _UNRANKED_BETWEEN.items()
    }
)


@dataclass
class StatePhrase:
    """A damage or exclusion phrase found in a sentence (token indexes, end exclusive)."""

    state: str  # canonical damage state, or "exclude" for repair/construction context
    start: int
    end: int
    negated: bool = False
    char_start: int = -1  # offsets in the text, valid across sentences
    char_end: int = -1


@dataclass
class Item:
    """One counted thing in a sentence: a number, its noun and (later) its damage."""

    sentence: Sentence
    num: Number
    first: int
    last: int
    kind: str  # noun, subset_after, total, same_as, noun_before, unknown_noun, garbled
    structure: str | None = None
    structure_text: str | None = None
    structure_start: int = -1
    structure_end: int = -1
    count_unit: str = "buildings"
    inner: StatePhrase | None = None
    damage: StatePhrase | None = None
    damage_source: str = ""
    parent: Item | None = None
    same: Item | None = None
    group: int = 0
    group_last: bool = True
    same_candidate: bool = False
    stock_candidate: bool = False  # "Of the 300 houses in the village, 250 …": the whole set
    subset_cue: bool = False
    rule: str = ""
    flags: list[str] = field(default_factory=list)
    evidence_start: int = -1  # character offsets
    evidence_end: int = -1
    excluded: str | None = None

    @property
    def count(self) -> int | None:
        return self.num.value


@dataclass
class PlaceCount:
    """A number of places ("40 villages", "11 cities and districts"): a scope, not a figure."""

    sentence: Sentence
    first: int
    last: int


@dataclass
class SentenceResult:
    items: list[Item]
    place_counts: list[PlaceCount]
    phrases: list[StatePhrase]
    skipped: list[tuple[Number, str]]


def only(tokens: Sequence[Token], lo: int, hi: int, allowed: set[str]) -> bool:
    return all(t.norm in allowed for t in tokens[lo:hi])


def cue_in(
    tokens: Sequence[Token], lo: int, hi: int, lex: Lexicon, section: str
) -> tuple[int, int] | None:
    """First phrase of ``section`` inside tokens[lo:hi] as (start, end)."""
    for k in range(lo, hi):
        m = lex[section].match_at(tokens, k)
        if m is not None and m[1] <= hi:
            return k, m[1]
    return None


def cue_words(lex: Lexicon, section: str) -> set[str]:
    """Every word of the phrases of a lexicon section ("a total of" → a, total, of)."""
    return {t.norm for phrase in lex.raw.get(section, []) for t in tokenize(phrase)}


def span_text(tokens: Sequence[Token], lo: int, hi: int) -> str:
    """The original text between two tokens (rebuilt from token texts and single spaces)."""
    if lo < 0 or hi <= lo:
        return ""
    out = tokens[lo].text
    for a, b in zip(tokens[lo : hi - 1], tokens[lo + 1 : hi], strict=True):
        out += (" " if b.start > a.end else "") + b.text
    return out
