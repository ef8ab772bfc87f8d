"""The rules that turn one sentence into counted items: noun, damage, subsets, same-as.

Every rule is deterministic and named (the ``rule`` column says which one fired); the word
lists come from the lexicon files, so a new phrasing is a new line of data, not of code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from ._lexicon import Lexicon
from ._numbers import Number, find_numbers
from ._tokens import Sentence, Token, tokenize

#: Punctuation that ends a noun phrase or a clause.
_CLAUSE_PUNCT = {
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
_TRAIL_STOP = {",", ";", ".", "!", "?", ")", "]", '"', "“", "”", "«", "»", ":", "\u0589", "\u055d"}
_HYPHENS = {"-", "‑"}

_DAMAGE_LIKE = {"destroyed", "severe", "damaged", "moderate", "minor"}

#: Tokens a damage phrase before a count may be away from it and still be trusted
#: ("destroyed in Tartar district 12 houses"); farther ones send the figure to review.
_LEADING_REACH = 4

#: Structure placeholder for "others", "weitere": the type of the thing counted before.
CONTEXT = "*context*"

#: How severe each canonical state is, to choose between two phrases joined by "and".
SEVERITY: dict[str, float] = {
    "none": 0,
    "assessed": 0.5,
    "possible": 1,
    "minor": 2,
    "moderate": 3,
    "damaged": 3.5,
    "severe": 4,
    "damaged_or_destroyed": 4.5,
    "destroyed": 5,
}


@dataclass
class Phrase:
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
    inner: Phrase | None = None
    damage: Phrase | None = None
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
    phrases: list[Phrase]
    skipped: list[tuple[Number, str]]


def _best(a: tuple[object, int] | None, b: tuple[object, int] | None) -> int:
    """0 when ``a`` wins, 1 when ``b`` wins, -1 when neither matched."""
    if a is None and b is None:
        return -1
    if b is None:
        return 0
    if a is None:
        return 1
    pa, ea = a
    pb, eb = b
    return 0 if (ea, getattr(pa, "specificity", 0)) >= (eb, getattr(pb, "specificity", 0)) else 1


def find_phrases(tokens: Sequence[Token], lex: Lexicon) -> list[Phrase]:
    """Damage and exclusion phrases of a sentence, left to right, negation marked."""
    out: list[Phrase] = []
    i = 0
    negators = lex["negators"]
    while i < len(tokens):
        dmg = lex["damage"].match_at(tokens, i)
        exc = lex["exclude_context"].match_at(tokens, i)
        which = _best(dmg, exc)
        if which < 0:
            i += 1
            continue
        if which == 0 and dmg is not None:
            value = str(dmg[0].value)
            negated = value.startswith("!")
            phrase = Phrase(
                value.lstrip("!"), i, dmg[1], negated, tokens[i].start, tokens[dmg[1] - 1].end
            )
        else:
            assert exc is not None
            phrase = Phrase("exclude", i, exc[1], False, tokens[i].start, tokens[exc[1] - 1].end)
        before = negators.match_ending_at(tokens, i, lookback=3)
        if before is None and i >= 2:
            before = negators.match_ending_at(tokens, i - 1, lookback=3)  # "not been destroyed"
            if before is not None and tokens[i - 1].norm not in (
                "been",
                "be",
                "being",
                "were",
                "was",
            ):
                before = None
        if before is not None and phrase.state != "exclude":
            phrase.negated = not phrase.negated
        if (
            phrase.end - phrase.start == 1
            and phrase.state in _DAMAGE_LIKE
            and lex["exclude_nouns"].match_at(tokens, phrase.end) is not None
            and lex["damage"].match_at(tokens, phrase.end) is None
        ):
            # "60 were seriously injured": an adverb of people, not of buildings
            i = phrase.end
            continue
        out.append(phrase)
        i = phrase.end
    gapped = lex.raw.get("gapped_degrees")
    if gapped and out:
        out = _gapped_degrees(tokens, out, gapped)
    return _glossed(_coordinate(out, tokens, lex), tokens)


def _glossed(phrases: list[Phrase], tokens: Sequence[Token]) -> list[Phrase]:
    """A state explained in brackets right after it takes the bracket's state: "kəskin
    qəzalı (dağılmış)" (in an acute emergency state, i.e. destroyed)."""
    out: list[Phrase] = []
    for ph in phrases:
        prev = out[-1] if out else None
        if (
            prev is not None
            and ph.start == prev.end + 1
            and tokens[prev.end].text == "("
            and ph.end < len(tokens)
            and tokens[ph.end].text == ")"
            and not prev.negated
            and not ph.negated
            and prev.state in _DAMAGE_LIKE
            and ph.state in _DAMAGE_LIKE
        ):
            out[-1] = Phrase(
                ph.state, prev.start, ph.end + 1, False, prev.char_start, tokens[ph.end].end
            )
            continue
        out.append(ph)
    return out


def _gapped_degrees(
    tokens: Sequence[Token], phrases: list[Phrase], degrees: Mapping[str, str]
) -> list[Phrase]:
    """Degree words whose damage noun is said once at the end of a list: "7 bin 402 binanın
    ağır, 512 binanın orta, 7 bin 911 binanın hafif hasarlı olduğu" (ağır → ağır hasarlı)."""
    starts = {ph.start for ph in phrases}
    extra: list[Phrase] = []
    for j, tok in enumerate(tokens):
        state = degrees.get(tok.norm)
        if state is None or j in starts or j == 0 or not tokens[j - 1].is_word:
            continue
        if j + 1 >= len(tokens) or tokens[j + 1].text not in (",", "ve", "ile"):
            continue
        # the list must end in a degree word with its noun ("hafif hasarlı") in this clause
        for ph in phrases:
            if ph.start > j and tokens[ph.start].norm in degrees and ph.state in _DAMAGE_LIKE:
                if not any(t.text in (".", ";", "!", "?") for t in tokens[j : ph.start]):
                    extra.append(Phrase(state, j, j + 1, False, tok.start, tok.end))
                break
    return sorted([*phrases, *extra], key=lambda ph: ph.start) if extra else phrases


#: Words that may stand between two coordinated damage phrases besides joiners and "or".
_COORD_FILLERS = {"either", "entweder", "soit", "ya", "hem", "həm", '"', "“", "”", "«", "»", "„"}


def combine_states(states: Sequence[str], alternative: bool) -> str:
    """The state of coordinated phrases: "destroyed, must be demolished and heavily damaged"
    or "damaged or destroyed" mixes destroyed and damaged (``damaged_or_destroyed``);
    "severely or partially damaged" is damaged at least; "and" keeps the worse state."""
    kinds = set(states)
    if "damaged_or_destroyed" in kinds or (
        "destroyed" in kinds and kinds & (_DAMAGE_LIKE - {"destroyed"})
    ):
        return "damaged_or_destroyed"
    if kinds == {"destroyed"}:
        return "destroyed"
    if alternative and len(kinds) > 1:
        return "damaged"
    return max(kinds, key=lambda s: SEVERITY.get(s, 0))


def _coordinate(phrases: list[Phrase], tokens: Sequence[Token], lex: Lexicon) -> list[Phrase]:
    """Merge damage phrases coordinated in one predicate into one phrase.

    "damaged or destroyed", "either collapsed or are heavily damaged" and lists of three
    categories ("yıkık, acil yıkılacak ve ağır hasarlı") report a mixed set; two phrases joined
    by "and" describe the same buildings twice ("in an emergency condition and beyond
    repair"), so the worse one holds; adjacent phrases ("пошкоджено частково або повністю")
    merge; commas alone or ", and" (a new clause) join nothing.
    """
    if len(phrases) < 2:
        return phrases
    joiners = lex.words("list_joiners") | {",", "and"}
    or_tokens = {t.norm for o in lex.raw.get("or_words", []) for t in tokenize(o)}
    aux = lex.words("aux_words")
    damage_like = _DAMAGE_LIKE | {"damaged_or_destroyed"}
    chains: list[list[Phrase]] = [[phrases[0]]]
    gaps: list[list[list[Token]]] = [[]]
    for ph in phrases[1:]:
        prev = chains[-1][-1]
        gap = list(tokens[prev.end : ph.start])
        words = [t.norm for t in gap]
        new_clause = any(
            words[k] == "," and words[k + 1] in joiners - {","} for k in range(len(words) - 1)
        )
        if (
            prev.state in damage_like
            and ph.state in damage_like
            and not prev.negated
            and not ph.negated
            and len(gap) <= 4
            and not new_clause
            # "rendered 11,350 uninhabitable and damaged 150,000 others": a verb followed by
            # its own count is no second half of the phrase before
            and not (ph.end < len(tokens) and tokens[ph.end].is_digit)
            and all(
                t.norm in joiners
                or t.norm in or_tokens
                or t.norm in aux
                or t.text in _COORD_FILLERS
                for t in gap
            )
        ):
            chains[-1].append(ph)
            gaps[-1].append(gap)
            continue
        chains.append([ph])
        gaps.append([])
    out: list[Phrase] = []
    for chain, chain_gaps in zip(chains, gaps, strict=True):
        linked = [
            any(t.norm in joiners - {","} or t.norm in or_tokens for t in g) for g in chain_gaps
        ]
        adjacent = [not g for g in chain_gaps]
        if len(chain) == 1 or not (any(linked) or all(adjacent) or len(chain) >= 3):
            out.extend(chain)  # commas alone: separate clauses ("kein Haus zerstört, beschädigt …")
            continue
        alternative = any(t.norm in or_tokens for g in chain_gaps for t in g)
        states = [p.state for p in chain]
        if alternative or len(chain) >= 3 or "damaged_or_destroyed" in states or all(adjacent):
            state = combine_states(states, alternative)
        else:
            state = max(states, key=lambda st: SEVERITY.get(st, 0))
        first, last = chain[0], chain[-1]
        out.append(Phrase(state, first.start, last.end, False, first.char_start, last.char_end))
    return out


def _scan_noun(
    tokens: Sequence[Token], j: int, lex: Lexicon, stop: set[str], window: int = 5
) -> tuple[str | None, object, int, int, Phrase | None, int]:
    """Look for the noun a number counts: (kind, value, start, end, inner damage, first word)."""
    inner: Phrase | None = None
    words = 0
    first_word = -1
    n = len(tokens)
    joiner_words = lex.words("list_joiners") - {",", "-", "–", "—"}
    links = lex.words("category_links") | lex.words("aux_words")
    k = j
    while k < min(n, j + 4) and tokens[k].norm in links:
        k += 1
    if k > j and k < n and tokens[k].text in _QUOTES and _quoted_state(tokens, k, lex):
        j = k  # '60,121 are tagged as "partially damaged"', '2,600 as "totally damaged"'
    while j < n and words < window:
        tok = tokens[j]
        if tok.text in _QUOTES:
            quoted = _quoted_state(tokens, j, lex)
            if quoted is not None:
                # '214 "acil yıkılacak, ağır hasarlı ve yıkık" bina': a quoted category
                inner, j = quoted
                continue
        if tok.text in _CLAUSE_PUNCT or tok.is_digit:
            break
        c = lex["context_nouns"].match_at(tokens, j)
        if c is not None:
            return "structure", CONTEXT, j, c[1], inner, first_word  # "50 others"
        s = lex["structures"].match_at(tokens, j)
        x = lex["exclude_nouns"].match_at(tokens, j)
        which = _best(s, x)
        if which == 0 and s is not None:
            return "structure", s[0].value, j, s[1], inner, first_word
        if which == 1 and x is not None:
            after = lex["structures"].match_at(tokens, x[1])
            if x[0].value in ("place", "people") and after is not None:
                # "8 kənd qəbiristanlığına", "village schools", "12 civilian homes", "12 sivil
                # bina": a place or people word qualifying a structure noun
                return "structure", after[0].value, j, after[1], inner, first_word
            return "exclude", x[0].value, j, x[1], inner, first_word
        d = lex["damage"].match_at(tokens, j)
        if d is not None:
            value = str(d[0].value)
            inner = Phrase(
                value.lstrip("!"),
                j,
                d[1],
                value.startswith("!"),
                tokens[j].start,
                tokens[d[1] - 1].end,
            )
            chain = find_phrases(tokens[j : min(n, j + 14)], lex)
            if chain and chain[0].start == 0 and chain[0].end > d[1] - j:
                # "bölüm acil yıkılacak, ağır hasarlı, yıkık veya orta hasarlı": the whole list
                head = chain[0]
                inner = Phrase(
                    head.state, j, j + head.end, head.negated, head.char_start, head.char_end
                )
            j = inner.end
            continue
        if tok.norm in stop:
            if tok.norm in joiner_words and _structure_within(tokens, j + 1, lex, 3):
                # "420 große und mittlere Unternehmen": adjectives joined inside one noun
                words += 1
                j += 1
                continue
            break
        if tok.text in _HYPHENS:
            j += 1
            continue
        if first_word < 0 and tok.is_word:
            first_word = j
        words += 1
        j += 1
    return None, None, -1, -1, inner, first_word


_QUOTES = {'"', "“", "”", "«", "»", "„"}
#: Reasons a count was skipped that make it a count of something else than structures.
_NOT_STRUCTURES = frozenset(
    {"people", "munitions", "vehicles", "livestock", "money", "area", "time", "other", "storeys"}
)


def _structure_within(tokens: Sequence[Token], j: int, lex: Lexicon, reach: int) -> bool:
    """Whether a structure noun starts within ``reach`` words from ``j`` (no punctuation)."""
    for k in range(j, min(len(tokens), j + reach)):
        if tokens[k].text in _CLAUSE_PUNCT or tokens[k].is_digit:
            return False
        if lex["structures"].match_at(tokens, k) is not None:
            return True
    return False


def _quoted_state(tokens: Sequence[Token], j: int, lex: Lexicon) -> tuple[Phrase, int] | None:
    """A damage category in quotes right after a count ('201 "orta hasarlı" bina'):
    the merged phrase and the index after the closing quote, or None."""
    k = j + 1
    hi = min(len(tokens), j + 16)
    inside: list[Phrase] = []
    while k < hi:
        if tokens[k].text in _QUOTES:
            # several quoted categories in a row: '"acil yıkılacak", "ağır hasarlı ve yıkık"'
            if k + 2 < hi and tokens[k + 1].text == "," and tokens[k + 2].text in _QUOTES:
                k += 3
                continue
            break
        m = lex["damage"].match_at(tokens, k)
        if m is not None:
            value = str(m[0].value)
            inside.append(
                Phrase(
                    value.lstrip("!"),
                    k,
                    m[1],
                    value.startswith("!"),
                    tokens[k].start,
                    tokens[m[1] - 1].end,
                )
            )
            k = m[1]
            continue
        if tokens[k].norm in lex.words("list_joiners") | lex.words("or_words") | {",", "and", "or"}:
            k += 1
            continue
        if tokens[k].text in (".", "!") and k + 1 < hi and tokens[k + 1].text in _QUOTES:
            k += 1  # '8,466 "totally damaged."': the full stop inside the closing quote
            continue
        return None
    if k >= hi or not inside or any(p.negated for p in inside):
        return None
    merged = _coordinate(inside, tokens, lex)
    if len(merged) != 1:
        state = combine_states([p.state for p in inside], alternative=False)
        merged = [
            Phrase(
                state,
                inside[0].start,
                inside[-1].end,
                False,
                inside[0].char_start,
                inside[-1].char_end,
            )
        ]
    return merged[0], k + 1


def _only(tokens: Sequence[Token], lo: int, hi: int, allowed: set[str]) -> bool:
    return all(t.norm in allowed for t in tokens[lo:hi])


def _names_a_stock(tokens: Sequence[Token], num: Number, noun_end: int, lex: Lexicon) -> bool:
    """Whether a counted noun only names the set the next count is part of: "Of the 300
    houses in the village, 250 were destroyed", "1 525 yaşayış evindən 1 400-ü dağılıb"."""
    if lex.lang in ("az", "tr"):
        last = tokens[noun_end - 1].norm
        return (
            last.endswith(("dən", "dan", "den", "ten", "tan"))
            and noun_end < len(tokens)
            and tokens[noun_end].is_digit
        )
    det = lex["same_as_determiners"].match_ending_at(tokens, num.qual_start, lookback=3)
    anchor_end = det[1] if det is not None else num.qual_start
    if (
        det is None
        and anchor_end > 0
        and tokens[anchor_end - 1].norm
        in lex.words("articles")
        | {
            "den",
            "des",
        }
    ):
        anchor_end -= 1  # "Von den 4200 Gebäuden …"
    if (
        anchor_end == 0
        or lex["subset_of_anchor"].match_ending_at(tokens, anchor_end, lookback=2) is None
    ):
        return False
    for k in range(noun_end, min(len(tokens), noun_end + 10)):
        if tokens[k].text == ",":
            return k + 1 < len(tokens) and tokens[k + 1].is_digit
        if tokens[k].text in (".", ";"):
            return False
        if tokens[k].is_digit:
            # "Von den 4200 Gebäuden entlang der Ahr sind mehr als 3000 beschädigt": the part
            # follows in the same clause, before any damage word
            return lex["damage"].match_at(tokens, k) is None and not any(
                lex["damage"].match_at(tokens, x) for x in range(noun_end, k)
            )
    return False


def _gapped(tokens: Sequence[Token], k: int, lex: Lexicon, phrases: list[Phrase]) -> bool:
    """Whether the rest of the clause after token ``k`` has no verb of its own: no auxiliary
    and no damage or exclusion phrase before the clause ends ("… and 4 more on 13 October")."""
    aux = lex.words("aux_words")
    for j in range(k, len(tokens)):
        if tokens[j].text in (".", ";", "!", "?"):
            return True
        if tokens[j].norm in aux or any(ph.start == j for ph in phrases):
            return False
    return True


def _clause_ends(tokens: Sequence[Token], k: int) -> bool:
    """Whether nothing but punctuation follows token ``k`` in its clause (an ellipsis:
    "12 houses were destroyed, 5 schools and 3 shops."), not an unknown verb ("6 more were
    looted")."""
    return k >= len(tokens) or tokens[k].text in (".", ",", ";", ")", "!", "?")


def _list_gap(tokens: Sequence[Token], lo: int, hi: int, joiners: set[str], lex: Lexicon) -> bool:
    """Whether two counts belong to one list: only joiners between them, or an uncounted
    structure ("21 private houses, a kindergarten and two shops were damaged")."""
    articles = lex.words("articles")
    k = lo
    while k < hi:
        if tokens[k].norm in joiners or tokens[k].norm in articles:
            k += 1
            continue
        place = lex["place_nouns_after"].match_at(tokens, k) or lex["place_nouns_before"].match_at(
            tokens, k
        )
        if place is not None and place[1] <= hi:
            k = place[1]  # "… 12 տան, Գեղարոտ գյուղում 20 տան": a place inside the list
            continue
        if (
            tokens[k].is_upper
            and k + 1 < hi
            and (lex["place_nouns_after"].match_at(tokens, k + 1) is not None)
        ):
            k += 1
            continue
        m = lex["structures"].match_at(tokens, k)
        if m is None or m[1] > hi:
            return False
        k = m[1]
    return True


def _cue_in(
    tokens: Sequence[Token], lo: int, hi: int, lex: Lexicon, section: str
) -> tuple[int, int] | None:
    """First phrase of ``section`` inside tokens[lo:hi] as (start, end)."""
    for k in range(lo, hi):
        m = lex[section].match_at(tokens, k)
        if m is not None and m[1] <= hi:
            return k, m[1]
    return None


def read_sentence(sentence: Sentence, lex: Lexicon) -> SentenceResult:
    """Items, place counts and phrases of one sentence (damage not yet decided)."""
    tokens = sentence.tokens
    stop = lex.words("stop_tokens")
    joiners = lex.words("list_joiners") | {",", "and", "&"}
    items: list[Item] = []
    places: list[PlaceCount] = []
    skipped: list[tuple[Number, str]] = []
    share_end = -1
    numbers = find_numbers(tokens, lex)
    wholes: set[int] = set()  # "2 of 18 houses": the 18 is the whole of a part
    for idx, num in enumerate(numbers):
        nxt_num = numbers[idx + 1] if idx + 1 < len(numbers) else None
        if num.start in wholes:
            skipped.append((num, "whole_of_a_part"))
            continue
        if num.start < share_end:
            # "60% of the 500 houses … were destroyed": 500 is the whole, not the destroyed
            skipped.append((num, "percent_base"))
            continue
        if num.skip == "percent":
            share = _percent_item(sentence, num, lex, stop)
            if share is not None:  # "90 percent of buildings were destroyed": no count
                items.append(share)
                share_end = share.last
                continue
        if (
            num.skip is None
            and num.end + 1 < len(tokens)
            and tokens[num.end].norm in lex.words("ratio_links")
            and tokens[num.end + 1].is_digit
        ):
            # "1 in 5 houses was damaged": a rate, neither number is a count of buildings
            j = num.end + 1
            while j < len(tokens) and tokens[j].is_digit:
                j += 1
            kind, value, s0, s1, inner, _ = _scan_noun(tokens, j, lex, stop)
            if kind == "structure":
                rate = Item(sentence, num, num.qual_start, s1, "percent", inner=inner)
                rate.flags.append("ratio")
                items.append(_with_noun(rate, tokens, value, s0, s1))
                share_end = s1
                continue
        share_at = _share_of(tokens, num, lex) if num.skip is None else -1
        if share_at >= 0:
            # "half of the 400 houses were destroyed": 400 is the whole; the part has no count
            kind, value, s0, s1, inner, _ = _scan_noun(tokens, num.end, lex, stop)
            if kind == "structure":
                share = Item(sentence, num, share_at, s1, "percent", inner=inner)
                share.flags.append("share_of_a_whole")
                items.append(_with_noun(share, tokens, value, s0, s1))
                share_end = s1
                continue
        if num.skip in ("date", "time", "year", "ordinal", "money", "compound", "percent"):
            skipped.append((num, num.skip))
            continue
        part = _part_of_whole(tokens, num, nxt_num, lex, stop)
        if part is not None:
            # "Zwei von 18 Häusern seien zerstört worden", "8 of 20 shelled houses": the
            # first count is the figure, with the whole's noun; the whole is no figure
            value, s0, s1, inner = part
            assert nxt_num is not None
            wholes.add(nxt_num.start)
            item = Item(sentence, num, num.qual_start, s1, "noun", inner=inner)
            items.append(_with_noun(item, tokens, value, s0, s1))
            item.flags.append("part_of_a_whole")
            continue
        if num.start > 1 and tokens[num.start - 1].text == ":" and tokens[num.start - 2].is_word:
            # 'Acil yıkılacak ağır hasarlı yıkık bina: 124 Orta hasarlı bina: 119': a
            # label and its count; what follows the count is the next label
            labelled = _labelled_item(sentence, num, None, lex)
            if labelled is not None:
                items.append(labelled)
                continue
        kind, value, s0, s1, inner, first_word = _scan_noun(tokens, num.end, lex, stop)
        if num.skip in ("decimal", "garbled"):
            if kind == "structure" or inner is not None:
                item = Item(
                    sentence,
                    num,
                    num.qual_start,
                    max(s1, num.end),
                    "garbled",
                    flags=["garbled_number"],
                )
                items.append(item)
            else:
                skipped.append((num, num.skip))
            continue
        if kind == "exclude":
            if value == "place":
                places.append(PlaceCount(sentence, num.qual_start, s1))
            skipped.append((num, str(value)))
            continue
        same_det = lex["same_as_determiners"].match_ending_at(tokens, num.qual_start, lookback=3)
        if (
            kind == "structure"
            and lex.lang in ("az", "tr")
            and tokens[s1 - 1].norm.endswith(("da", "də", "de", "ta", "te", "tə"))
            and s1 < len(tokens)
            and tokens[s1].is_digit
            # "236 bin 410 binada yer alan 1 milyon … bağımsız birim": units located in
            # buildings are both counts; only people or things in them make it a place
            and not (
                nxt_num is not None and _scan_noun(tokens, nxt_num.end, lex, stop)[0] == "structure"
            )
        ):
            # "3 okulda 250 öğrenci tahliye edildi": "in 3 schools", the count is the next one
            skipped.append((num, "location"))
            continue
        if kind == "structure":
            item = Item(
                sentence,
                num,
                num.qual_start,
                s1,
                "noun",
                structure=None if value == CONTEXT else str(value),
                structure_text=_span_text(tokens, s0, s1),
                structure_start=s0,
                structure_end=s1,
                inner=inner,
            )
            unit = lex["count_units"].match_at(tokens, s0)
            if unit is not None:
                item.count_unit = str(unit[0].value)
            item.same_candidate = same_det is not None and num.kind in ("digits", "words")
            item.stock_candidate = _names_a_stock(tokens, num, s1, lex)
            items.append(item)
            continue
        if (
            kind is None
            and inner is not None
            and tokens[inner.start - 1].text in _QUOTES
            and _only(
                tokens,
                num.end,
                inner.start - 1,
                lex.words("category_links") | lex.words("aux_words"),
            )
        ):
            # '3 bin 761 "acil yıkılacak", 3 bin 274 "orta hasarlı", … bağımsız bölüm': a
            # quoted category, the noun comes at the end of the list
            items.append(
                Item(sentence, num, num.qual_start, inner.end + 1, "bare_damage", inner=inner)
            )
            continue
        outcome = _bare_number(sentence, num, inner, first_word, lex, stop, joiners)
        if isinstance(outcome, str):
            skipped.append((num, outcome))
        else:
            items.append(outcome)
    _shared_noun(items, tokens, joiners)
    phrases = find_phrases(tokens, lex)
    _group(items, tokens, lex, joiners)
    return SentenceResult(items, places, phrases, skipped)


def _part_of_whole(
    tokens: Sequence[Token], num: Number, nxt: Number | None, lex: Lexicon, stop: set[str]
) -> tuple[str, int, int, Phrase | None] | None:
    """The noun of a count followed by "of/von/из the N <noun>", or None."""
    if nxt is None or num.kind not in ("digits", "words") or nxt.value is None:
        return None
    if num.value is None or num.value >= nxt.value:
        return None
    gap = [t.norm for t in tokens[num.end : nxt.qual_start]]
    anchors = lex.words("subset_of_anchor") | lex.words("partitive_links")
    articles = lex.words("articles") | {"the", "den", "der", "die"}
    if not gap or gap[0] not in anchors or not all(g in articles for g in gap[1:]):
        return None
    kind, value, s0, s1, inner, _ = _scan_noun(tokens, nxt.end, lex, stop)
    if kind != "structure":
        return None
    return str(value), s0, s1, inner


def _share_of(tokens: Sequence[Token], num: Number, lex: Lexicon) -> int:
    """Where the share word stands when a count is the whole a share is taken of ("half of
    the 400", "половина из 400"); -1 when it is none."""
    k = num.qual_start
    skip = {"the", "these", "those", "der", "die", "des", "из", "з", "із", "of"}
    steps = 0
    while k > 0 and tokens[k - 1].norm in skip and steps < 3:
        k -= 1
        steps += 1
    if steps > 0 and k > 0 and tokens[k - 1].norm in lex.words("share_words"):
        return k - 1
    return -1


def _shared_noun(items: list[Item], tokens: Sequence[Token], joiners: set[str]) -> None:
    """ "14 destroyed and 52 damaged houses": the first count shares the noun of the second."""
    ordered = sorted(items, key=lambda it: it.first)
    for item, nxt in reversed(list(pairwise(ordered))):
        inner_end = item.inner.end if item.inner is not None else -1
        if item.inner is not None and inner_end < len(tokens) and tokens[inner_end].text in _QUOTES:
            inner_end += 1  # a quoted category
        if (
            item.kind == "bare_damage"
            and item.inner is not None
            and item.inner.start in (item.num.end, item.num.end + 1)
            and nxt.kind in ("noun", "bare_damage")
            and nxt.inner is not None
            and nxt.structure is not None
            and all(t.norm in joiners for t in tokens[inner_end : nxt.first])
            and nxt.first >= inner_end
        ):
            item.structure, item.structure_text = nxt.structure, nxt.structure_text
            item.structure_start, item.structure_end = nxt.structure_start, nxt.structure_end
            item.flags.append("shared_noun")


def _percent_item(sentence: Sentence, num: Number, lex: Lexicon, stop: set[str]) -> Item | None:
    """A share ("40% of homes") of a structure type: a record for review, never a count."""
    tokens = sentence.tokens
    j = num.end
    links = {
        "%",
        "percent",
        "per",
        "cent",
        "of",
        "the",
        "der",
        "die",
        "des",
        "процентов",
        "відсотків",
        "faiz",
        "faizi",
        "prozent",
    }
    while j < len(tokens) and j - num.end < 4 and tokens[j].norm in links:
        j += 1
    while j < len(tokens) and tokens[j].is_digit and j - num.end < 6:
        j += 1  # "60% of the 500 houses": the share of a stated whole
    kind, value, n0, n1, inner, _ = _scan_noun(tokens, j, lex, stop)
    if kind != "structure":
        return None
    item = Item(sentence, num, num.qual_start, n1, "percent", inner=inner, flags=["percent"])
    return _with_noun(item, tokens, value, n0, n1)


def _with_noun(item: Item, tokens: Sequence[Token], value: object, n0: int, n1: int) -> Item:
    """Set an item's structure from the noun found at tokens[n0:n1]."""
    item.structure = None if value == CONTEXT else str(value)
    item.structure_text = _span_text(tokens, n0, n1)
    item.structure_start, item.structure_end = n0, n1
    return item


def _bare_number(
    sentence: Sentence,
    num: Number,
    inner: Phrase | None,
    first_word: int,
    lex: Lexicon,
    stop: set[str],
    joiners: set[str],
) -> Item | str:
    """The item of a number with no noun right after it, or the reason it is none.

    "60 of which were destroyed", "the 47 are in critical condition", "796, darunter …",
    "of which 40 were destroyed", "41 were private homes", "240 are beyond repair",
    "the number of damaged houses rose to 131", "23 Garagen zerstört" (unknown noun).
    """
    tokens = sentence.tokens
    countable = num.kind in ("digits", "words")
    after = lex["subset_after"].match_at(tokens, num.end)
    if (
        after is not None
        and num.kind == "words"
        and num.value == 1
        and num.start > 0
        and tokens[num.start - 1].text == ","
    ):
        return "one_of_them"  # ", one of them a multi-family structure, were destroyed"
    if after is not None and num.kind != "negation":
        j = after[1]
        aux = lex.words("aux_words")
        while j < len(tokens) and (tokens[j].text in ("—", "–", "-", ":") or tokens[j].norm in aux):
            j += 1  # "3,7 тис. із них - це житлові будинки"
        k2, v2, n0, n1, inner2, _ = _scan_noun(tokens, j, lex, stop)
        if k2 == "exclude":
            return str(v2)
        item = Item(
            sentence,
            num,
            num.qual_start,
            max(after[1], n1),
            "subset_after",
            inner=inner2 or inner,
            subset_cue=True,
        )
        return _with_noun(item, tokens, v2, n0, n1) if k2 == "structure" else item
    det = lex["same_as_determiners"].match_ending_at(tokens, num.qual_start, lookback=3)
    if det is not None and countable and num.value:
        # the evidence keeps its determiner: "the 47 are in critical condition"
        same = Item(sentence, num, det[1], num.end, "same_as", inner=inner)
        if det[1] > 0 and lex["subset_of_anchor"].match_ending_at(tokens, det[1], lookback=2):
            same.kind = "anchor"  # "Of these 47, 41 were private homes": names the parent
        return same
    if (
        num.start > 0
        and tokens[num.start - 1].norm in lex.words("change_from")
        and num.end + 1 < len(tokens)
        and tokens[num.end].norm in lex.words("change_to")
        and tokens[num.end + 1].is_digit
        and lex["structures"].match_at(tokens, num.end + 2) is None  # not "from 12 to 19 houses"
    ):
        return "previous_value"  # "rose from 12 to 19": 12 is the old figure
    q = num.qual_start
    if (
        q < num.start
        and q >= 2
        and tokens[q].norm in lex.words("change_to")
        and tokens[q - 1].is_digit
        and tokens[q - 2].norm in lex.words("change_from")
    ):
        # "выросло с 12 до 19": "до" is the end of a change here, not "up to"
        num.qualifier, num.qual_start = "exact", num.start
    k = num.end + 1 if num.end < len(tokens) and tokens[num.end].text == "," else num.end
    if lex["subset_before"].match_at(tokens, k) is not None and countable:
        total = Item(sentence, num, num.qual_start, num.end, "total", structure="any", inner=inner)
        named = _noun_before(tokens, num.qual_start, lex)
        if named is not None:
            # "the number of damaged houses had risen to 131, including 22 …": that noun
            b0, b1, bvalue = named
            _with_noun(total, tokens, bvalue, b0, b1)
            total.first = b0
            for ph in find_phrases(tokens[b0 : num.qual_start], lex):
                if ph.state != "exclude" and not ph.negated:
                    total.inner = Phrase(
                        ph.state, ph.start + b0, ph.end + b0, False, ph.char_start, ph.char_end
                    )
                    break
        return total
    cue = _cue_in(tokens, max(0, num.qual_start - 6), num.qual_start, lex, "subset_before")
    fillers = joiners | lex.words("articles") | _cue_words(lex, "cumulative_cues")
    if (
        cue is not None
        and _only(tokens, cue[1], num.qual_start, fillers)  # "of which a total of 84,726"
        and num.kind != "negation"
    ):
        j = num.end
        aux = lex.words("aux_words")
        while j < len(tokens) and (tokens[j].text in ("—", "–", "-", ":") or tokens[j].norm in aux):
            j += 1  # "з них 2 800 — житлові будинки", "of which 41 are private houses"
        k2, v2, n0, n1, inner2, _ = _scan_noun(tokens, j, lex, stop)
        if k2 == "exclude":
            return str(v2)
        if k2 is None:
            n1 = num.end  # no noun after the copula: the evidence stays on the number
        item = Item(
            sentence,
            num,
            num.qual_start,
            n1 if k2 else num.end,
            "subset_bare",
            inner=inner2 or inner,
            subset_cue=True,
        )
        return _with_noun(item, tokens, v2, n0, n1) if k2 == "structure" else item
    aux_end = num.end
    while aux_end < len(tokens) and tokens[aux_end].norm in lex.words("aux_words"):
        aux_end += 1
    if aux_end > num.end and countable:
        k2, v2, n0, n1, inner2, _ = _scan_noun(tokens, aux_end, lex, stop)
        if k2 == "structure":  # "41 were private residential properties"
            item = Item(sentence, num, num.qual_start, n1, "copula_noun", inner=inner2)
            return _with_noun(item, tokens, v2, n0, n1)
    led = lex["damage"].match_ending_at(tokens, num.qual_start, lookback=4)
    if led is None and num.qual_start > 1 and tokens[num.qual_start - 1].text in ("\u055d", ":"):
        # "մասնակի վնասվել՝ 40-ը": the verb, a pause mark, the count
        led = lex["damage"].match_ending_at(tokens, num.qual_start - 1, lookback=4)
    if (
        led is not None
        and countable
        and (num.end >= len(tokens) or tokens[num.end].text in (".", ",", ";", ")", "\u0589"))
    ):
        # "разрушено 9 жилых домов, повреждено около 100.": the noun is the one before
        return Item(sentence, num, num.qual_start, num.end, "bare_damage")
    if (
        led is not None
        and countable
        and num.end < len(tokens)
        and tokens[num.end].norm in lex.words("place_prepositions") | stop
        and lex.lang not in ("az", "tr")
    ):
        # "damaged 120 homes and destroyed 15 in Kharkiv": the noun is elided, its type is
        # the one counted before (flagged, so a reader can check the attachment)
        return Item(sentence, num, num.qual_start, num.end, "bare_damage", flags=["elided_noun"])
    if _damage_follows(tokens, num.end, lex) and num.kind in ("digits", "words", "vague"):
        # "counted 14 destroyed and 52 damaged houses": the word right after the count is its
        # state, whatever verb came before
        if inner is None and num.end < len(tokens) and tokens[num.end].text == "\u055d":
            # "երեքը՝ բնակության համար պիտանի չեն": the pause mark would end the clause
            inner = next((ph for ph in find_phrases(tokens, lex) if ph.start > num.end), None)
        return Item(sentence, num, num.qual_start, num.end, "bare_damage", inner=inner)
    labelled = _labelled_item(sentence, num, inner, lex)
    if labelled is not None:
        return labelled
    if first_word >= 0 and num.kind in ("digits", "words", "vague"):
        nxt = find_phrases(tokens[first_word + 1 : first_word + 5], lex)
        unknown_then_damage = bool(nxt) and nxt[0].state != "exclude"
        # "пошкоджено 8 <a noun the lexicon lacks>": never dropped in silence, sent to review
        led_by_damage = led is not None and first_word == num.end and num.kind != "vague"
        if unknown_then_damage or led_by_damage:
            item = Item(
                sentence,
                num,
                num.qual_start,
                first_word + 1,
                "unknown_noun",
                structure="any",
                flags=["unknown_structure_noun"],
            )
            item.structure_text = tokens[first_word].text
            item.structure_start, item.structure_end = first_word, first_word + 1
            return item
    return "no_noun"


def _cue_words(lex: Lexicon, section: str) -> set[str]:
    """Every word of the phrases of a lexicon section ("a total of" → a, total, of)."""
    return {t.norm for phrase in lex.raw.get(section, []) for t in tokenize(phrase)}


def _labelled_item(
    sentence: Sentence, num: Number, inner: Phrase | None, lex: Lexicon
) -> Item | None:
    """The item of a count whose noun is named before it ("destroyed houses: 150", "yıkık
    bina sayısı ise 8 bin 268", "Ağır hasarlı bina: 124"), with the label's phrase."""
    tokens = sentence.tokens
    before = _noun_before(tokens, num.qual_start, lex)
    if before is None:
        return None
    b0, b1, bvalue = before
    item = Item(sentence, num, b0, num.end, "noun_before", inner=inner)
    _with_noun(item, tokens, bvalue, b0, b1)
    # "acil yıkılacak, ağır hasarlı, yıkık bina sayısı ise 8 bin 268": the phrase (or list
    # of categories) that ends right before the noun, or one inside the label
    near = [
        ph
        for ph in find_phrases(tokens, lex)
        if (b0 - 1 <= ph.end <= b1 or (b1 <= ph.start <= b1 + 2 and ph.end <= num.start))
        and ph.state != "exclude"
        and not ph.negated
    ]
    if near:
        item.inner = near[0]
        item.first = min(item.first, near[0].start)
    return item


def _damage_follows(tokens: Sequence[Token], j: int, lex: Lexicon) -> bool:
    """Whether a damage phrase follows within a few auxiliary words ("were", "isə", "sind")."""
    aux = lex.words("aux_words")
    for k in range(j, min(len(tokens), j + 6)):
        if (
            lex["damage"].match_at(tokens, k) is not None
            or lex["exclude_context"].match_at(tokens, k) is not None
        ):
            return True
        if tokens[k].norm not in aux and tokens[k].text != "\u055d":
            return False  # "երեքը՝ բնակության համար պիտանի չեն": the pause mark stands for "are"
    return False


def _noun_before(tokens: Sequence[Token], start: int, lex: Lexicon) -> tuple[int, int, str] | None:
    """ "destroyed houses: 150", "the number of damaged buildings reached 150"."""
    links = {
        ":",
        "—",
        "–",
        "-",
        "to",
        "reached",
        "is",
        "was",
        "at",
        "numbered",
        "totalled",
        "totaled",
        "stands",
        "=",
        "составило",
        "составляет",
        "становить",
        "склала",
    }
    links = links | lex.words("number_links")  # "yıkık bina sayısı ise 8 bin 268"
    if start >= 2 and tokens[start - 1].text in (":", "–", "—", "-"):
        # "медичні заклади – 98", "об'єкти житлового фонду – 10569", "Toplam bina: 10 bin 287":
        # a label and its count; the label's first structure noun is the noun
        for b0 in range(max(0, start - 7), start - 1):
            m = lex["structures"].match_at(tokens, b0)
            if m is None or m[1] > start - 1:
                continue
            if any(t.is_digit or t.text in _CLAUSE_PUNCT for t in tokens[b0 : start - 1]):
                continue
            return b0, m[1], str(m[0].value)
    for b0 in range(max(0, start - 5), start):
        m = lex["structures"].match_at(tokens, b0)
        if m is None:
            continue
        if all(t.norm in links for t in tokens[m[1] : start]) and m[1] <= start:
            if m[1] == start and lex.lang not in ("az", "tr", "hy"):
                continue  # only a genitive names the set right before its count
            return b0, m[1], str(m[0].value)
    # "the number of damaged houses in the district had risen to 131", "… rose from 12 to 19"
    if (
        start >= 3
        and tokens[start - 1].norm in lex.words("change_to")
        and tokens[start - 2].is_digit
        and tokens[start - 3].norm in lex.words("change_from")
    ):
        start -= 2  # the old figure and "to" stand between the noun and the new one
    for b0 in range(max(0, start - 12), start):
        m = lex["structures"].match_at(tokens, b0)
        if m is None or m[1] >= start:
            continue
        gap = tokens[m[1] : start]
        if any(t.is_digit or t.text in (".", ";", ",", "(", ")") for t in gap):
            continue
        for c0 in range(max(0, b0 - 5), b0):
            cue = lex["number_of"].match_at(tokens, c0)
            if cue is not None and cue[1] <= b0:
                return c0, m[1], str(m[0].value)
        if _stated_at(tokens, start, lex) and any(
            lex["damage"].match_at(tokens, k) is not None
            for k in range(max(0, b0 - 2), min(start, m[1] + 3))
        ):
            # "houses reported damaged due to the three cyclones were placed at 7,838": a noun
            # with its damage word, then a verb stating its level right before the count
            return b0, m[1], str(m[0].value)
    return None


def _stated_at(tokens: Sequence[Token], start: int, lex: Lexicon) -> bool:
    """Whether the words right before a count state a level ("were placed at", "stood at")."""
    stated = lex.words("stated_at")
    if not stated or start < 1:
        return False
    one = tokens[start - 1].norm
    two = f"{tokens[start - 2].norm} {one}" if start >= 2 else one
    return one in stated or two in stated


def _span_text(tokens: Sequence[Token], lo: int, hi: int) -> str:
    """The original text between two tokens (rebuilt from token texts and single spaces)."""
    if lo < 0 or hi <= lo:
        return ""
    out = tokens[lo].text
    for a, b in zip(tokens[lo : hi - 1], tokens[lo + 1 : hi], strict=True):
        out += (" " if b.start > a.end else "") + b.text
    return out


def _group(items: list[Item], tokens: Sequence[Token], lex: Lexicon, joiners: set[str]) -> None:
    """Put listed items into groups and mark subsets ("of which", "including", brackets)."""
    items.sort(key=lambda it: it.first)
    if not items:
        return
    group = 0
    for prev, item in zip([None, *items[:-1]], items, strict=True):
        if prev is None:
            cue = _cue_in(tokens, max(0, item.first - 4), item.first, lex, "subset_before")
            if cue is not None and _only(tokens, cue[1], item.first, joiners | {"("}):
                item.subset_cue = True  # the parent is in an earlier sentence
            item.group = group
            continue
        gap_lo, gap_hi = prev.last, item.first
        if item.kind == "subset_after":
            group += 1
            item.parent = prev if prev.kind != "subset_after" else prev.parent
        elif prev.stock_candidate:
            group += 1  # "1 525 yaşayış evindən 1 400-ü …": the part is a list of its own
        elif _list_gap(tokens, gap_lo, gap_hi, joiners, lex) and not (
            lex["new_set_markers"] and lex["new_set_markers"].match_at(tokens, item.first)
        ):  # "9 houses destroyed, another 40 damaged": "another" starts a new set
            item.parent = prev.parent
            item.subset_cue = prev.subset_cue  # "Onlardan 41-i fərdi ev, 3-ü …": one list
        else:
            cue = _cue_in(tokens, gap_lo, gap_hi, lex, "subset_before")
            if (
                cue is not None
                # "were damaged, including 3 schools": the cue may follow the parent's verb
                and not any(t.text in (";", ".") for t in tokens[gap_lo : cue[0]])
                and _only(tokens, cue[1], gap_hi, joiners | {"("})
            ):
                group += 1
                item.parent = prev
                item.subset_cue = True
                item.flags.append("subset")
            elif _only(tokens, gap_lo, gap_hi, joiners | {"("}) and any(
                t.text == "(" for t in tokens[gap_lo:gap_hi]
            ):
                group += 1
                item.parent = prev
                item.subset_cue = True
                item.flags.append("parenthetical_subset")
            else:
                group += 1
                if (
                    item.kind == "bare_damage"
                    and prev.parent is not None
                    and prev.subset_cue
                    and not any(t.text in (";", ".") for t in tokens[gap_lo:gap_hi])
                ):
                    # "of which 40 were destroyed and 18 partially damaged"
                    item.parent = prev.parent
                    item.subset_cue = True
        item.group = group


def _trailing(
    tokens: Sequence[Token],
    phrases: list[Phrase],
    lo: int,
    hi: int,
    joiners: set[str],
    relatives: set[str],
    *,
    negation: bool = False,
    ors: frozenset[str] = frozenset(),
    aside: bool = False,
    aux: frozenset[str] = frozenset(),
    appositions: frozenset[str] = frozenset(),
    counts_at: frozenset[int] = frozenset(),
) -> Phrase | None:
    """The first phrase after a group, before the clause ends; "X and Y" picks the worse.

    A comma followed by a relative word ("…, що не підлягає відновленню") does not end the
    clause, nor the comma that closes an aside (``aside``: "12 buildings, among them 5
    schools, were damaged"). For a negated count ("no building … was destroyed", "ни одно
    здание не было разрушено") a negated phrase is the one that counts.
    """
    stop = hi
    k = lo
    while k < hi:
        if tokens[k].text in _TRAIL_STOP | {"—", "–"}:
            if tokens[k].text == "," and k + 1 < hi and tokens[k + 1].norm in relatives:
                k += 1
                continue
            if aside and k == lo and tokens[k].text == ",":
                k += 1
                continue
            if k == lo and tokens[k].text == "\u055d":
                k += 1  # "որից 15-ը՝ ամբողջությամբ ավերվել": the pause mark stands for "are"
                continue
            if tokens[k].text in _QUOTES and any(ph.start == k + 1 for ph in phrases):
                k += 1  # 'yapı "yıkık" olarak': a quoted state
                continue
            close = _aside_end(tokens, k, hi, phrases, aux, appositions)
            if close is not None:
                k = close + 1  # ", one of them a multi-family structure, were destroyed"
                continue
            if tokens[k].text in ("—", "–"):
                k += 1
                continue
            stop = k
            break
        k += 1
    chosen: Phrase | None = None
    for ph in phrases:
        if ph.start < lo or ph.start >= stop:
            continue
        if chosen is None:
            if ph.negated and ph.state != "exclude" and not negation:
                continue
            if (
                ((hi < len(tokens) and hi - ph.end <= 1) or ph.end in counts_at)
                and ph.start > lo
                and tokens[ph.start - 1].norm in joiners - {","}
            ):
                # "забор в одном частном домовладении и повреждены три автомобиля": after
                # "and", the verb leads the next count, not this one
                return None
            chosen = ph
            continue
        # a second phrase joined by "and": "in an emergency condition and not restorable"
        gap = tokens[chosen.end : ph.start]
        if hi < len(tokens) and hi - ph.end <= 1:
            break  # "… 40 Häuser schwer und zerstörte 12": that verb leads the next count
        if (
            " ".join(t.norm for t in gap) in ors
            and not ph.negated
            and "destroyed" in (ph.state, chosen.state)
            and {ph.state, chosen.state} <= _DAMAGE_LIKE
        ):
            # "yıkıldı veya ağır hasar gördü": destroyed or damaged, reported together
            chosen = Phrase(
                "damaged_or_destroyed", chosen.start, ph.end, False, chosen.char_start, ph.char_end
            )
            break
        if (
            len(gap) <= 2
            and all(t.norm in joiners for t in gap)
            and not ph.negated
            and ph.state != "exclude"
            and chosen.state != "exclude"
            and SEVERITY.get(ph.state, 0) > SEVERITY.get(chosen.state, 0)
        ):
            chosen = Phrase(ph.state, chosen.start, ph.end, False, chosen.char_start, ph.char_end)
        break
    return chosen


def _phrase_ahead(
    tokens: Sequence[Token], phrases: list[Phrase], lo: int, not_counts: frozenset[int]
) -> Phrase | None:
    """The first damage phrase after ``lo`` when only commas, joiners, words and counts of
    other things (``not_counts``: "430 cars") lead to it, within the sentence (None when a
    count of structures or a clause end comes first)."""
    for ph in phrases:
        if ph.start < lo:
            continue
        gap = tokens[lo : ph.start]
        if (
            len(gap) <= 16
            and not any(
                (t.is_digit and lo + k not in not_counts)
                or t.text in (".", ";", ":", "!", "?", "(", ")")
                for k, t in enumerate(gap)
            )
            and not ph.negated
            and ph.state != "exclude"
            # "hit 120 homes in Kharkiv and destroyed 15": a verb with a count of its own
            and not (ph.end < len(tokens) and tokens[ph.end].is_digit)
        ):
            return ph
        return None
    return None


def _aside_end(
    tokens: Sequence[Token],
    k: int,
    hi: int,
    phrases: list[Phrase],
    aux: frozenset[str],
    appositions: frozenset[str] = frozenset(),
) -> int | None:
    """The closing delimiter of an aside that interrupts a clause before its verb, or None:
    "two buildings, one of them a multi-family structure, were destroyed", "436,000 housing
    units — 92% of Gaza's homes — have been affected". The aside holds no damage phrase and
    no count (a dash aside may hold a share); the verb follows it."""
    opener = tokens[k].text
    if opener not in (",", "—", "–", "("):
        return None
    if opener == "," and k + 1 < hi and tokens[k + 1].norm in appositions:
        # "436 bin konut birimi, yani toplam konutların yüzde 92'si hasar gördü": the
        # restatement runs up to the verb
        for ph in phrases:
            if k + 1 < ph.start < min(hi, k + 14):
                if any(t.text in (".", ";", "!", "?") for t in tokens[k : ph.start]):
                    return None
                return ph.start - 1
        return None
    closer = ")" if opener == "(" else opener
    for k2 in range(k + 1, min(hi, k + 14)):
        t = tokens[k2]
        if any(ph.start == k2 for ph in phrases):
            return None
        if t.text in (".", ";", ":", "!", "?"):
            return None
        if t.is_digit and opener == ",":
            return None
        if t.text == closer and k2 > k + 1:
            nxt = k2 + 1
            while nxt < hi and nxt < k2 + 4 and tokens[nxt].norm in aux:
                nxt += 1
            return k2 if any(ph.start == nxt for ph in phrases) else None
    return None


def _leading(
    tokens: Sequence[Token], phrases: list[Phrase], lo: int, hi: int, *, negation: bool = False
) -> Phrase | None:
    """The nearest phrase before a group ("damage was caused to 14 schools")."""
    for k in range(hi - 1, lo - 1, -1):
        if tokens[k].text == ";":
            lo = k + 1
            break
    for ph in reversed(phrases):
        if (
            ph.end <= hi
            and ph.start >= lo
            and (negation or not ph.negated or ph.state == "exclude")
        ):
            return ph
    return None


def decide_damage(result: SentenceResult, lex: Lexicon) -> None:
    """Give every item its damage phrase: its own, the group's, its parent's or the list's."""
    items = result.items
    if not items:
        return
    tokens = items[0].sentence.tokens
    joiners = lex.words("list_joiners") | {",", "and"}
    relatives = lex.words("relative_words")
    ors = frozenset(" ".join(t.norm for t in tokenize(o)) for o in lex.raw.get("or_words", []))
    groups: dict[int, list[Item]] = {}
    for item in items:
        groups.setdefault(item.group, []).append(item)
    for members in groups.values():
        for m in members[:-1]:
            m.group_last = False
    order = sorted(groups)
    prev_end = 0
    sources: dict[int, str] = {}
    counts_at = frozenset([it.num.start for it in items] + [n.start for n, _ in result.skipped])
    for idx, g in enumerate(order):
        members = groups[g]
        nxt = groups[order[idx + 1]][0].first if idx + 1 < len(order) else len(tokens)
        trail_lo = max(m.last for m in members)
        trail_lo = max([trail_lo] + [m.inner.end for m in members if m.inner is not None])
        negation = all(m.num.kind == "negation" for m in members)
        cue = _cue_in(tokens, max(0, members[0].first - 4), members[0].first, lex, "subset_before")
        aside = (
            idx > 0
            and members[0].parent is not None
            and cue is not None
            and cue[0] > 0
            and tokens[cue[0] - 1].text == ","
            # the parent has no phrase of its own before the aside: the verb comes after it
            and not any(
                members[0].parent.last <= p.start < cue[0]
                for p in result.phrases
                if members[0].parent is not None
            )
            and trail_lo + 1 < len(tokens)
            and tokens[trail_lo + 1].norm not in joiners
        )
        trailing = _trailing(
            tokens,
            result.phrases,
            trail_lo,
            nxt,
            joiners,
            relatives,
            negation=negation,
            ors=ors,
            aside=aside,
            aux=frozenset(lex.words("aux_words")),
            appositions=frozenset(lex.words("apposition_markers")),
            counts_at=counts_at,
        )
        leading = _leading(tokens, result.phrases, prev_end, members[0].first, negation=negation)
        if (
            trailing is not None
            and leading is not None
            and nxt < len(tokens)
            and (
                members[0].first - leading.end <= 1
                # "zerstörte in Schuld 12 Häuser und beschädigte 40 weitere": verb-second
                or (
                    not any(t.text in _CLAUSE_PUNCT for t in tokens[leading.end : members[0].first])
                    and trail_lo < trailing.start
                    and all(t.norm in joiners for t in tokens[trail_lo : trailing.start])
                )
            )
            and nxt - trailing.end <= 3
            and not any(t.text in _CLAUSE_PUNCT for t in tokens[trailing.end : nxt])
        ):
            # "destroyed some twenty houses and damaged more than 50 others": the verb after
            # the list leads the next count; this list has its own verb before it
            trailing = None
        if (
            trailing is not None
            and leading is not None
            and members[0].first == leading.end
            and trail_lo < trailing.start
            and all(t.norm in joiners for t in tokens[trail_lo : trailing.start])
            and not leading.negated
            and leading.state != "exclude"
        ):
            # "damaged 120 homes and destroyed 15": a verb right before the count governs it;
            # the verb after "and" starts the next clause (whose object may be elided)
            trailing = None
        if (
            trailing is not None
            and nxt < len(tokens)
            and trail_lo < trailing.start
            and tokens[trailing.start - 1].norm in joiners
            and not any(t.text in _TRAIL_STOP for t in tokens[trail_lo : trailing.start])
            and nxt - trailing.end <= 1
        ):
            # "hit 120 homes in Kharkiv and destroyed 15": the verb after "and" governs the
            # next count, not this one; without a verb of its own this count goes to review
            trailing = None
        if (
            trailing is not None
            and leading is not None
            and members[0].first == leading.end
            and not leading.negated
            and leading.state != "exclude"
            and trailing.start > trail_lo
            and not any(t.is_digit for t in tokens[trail_lo : trailing.start])
            and any(t.norm in joiners - {","} for t in tokens[trail_lo + 1 : trailing.start])
        ):
            # "destroyed at least 25 shops in the town and caused damage to the clinic": the
            # verb before the count is its own; the one after "and" has its own object
            trailing = None
        if trailing is not None:
            leading = None

        chosen = trailing or leading
        sources[g] = "trailing" if trailing is not None else ("leading" if leading else "")
        own = [m.inner for m in members if m.inner is not None]
        if negation and not own and (chosen is None or chosen.state in ("none", "assessed")):
            # "not a single building remained intact" is no count of zero
            for m in members:
                m.excluded = "negation_without_damage"
            continue
        if chosen is not None and chosen.state == "exclude":
            # "davon 470 so schwer, dass sie abgerissen werden müssen": a count with its own
            # state keeps it when the repair/demolition words are in a clause of their own
            subordinate = chosen.start >= trail_lo and any(
                t.text == "," for t in tokens[trail_lo : chosen.start]
            )
            for m in members:
                if subordinate and m.inner is not None and not m.inner.negated:
                    m.damage, m.damage_source = m.inner, "inner"
                    continue
                m.excluded = "repair_or_construction_context"
            prev_end = max(prev_end, chosen.end if chosen.start >= trail_lo else trail_lo)
            continue
        distant = False
        if chosen is not None and chosen is leading and chosen.state != "exclude":
            gap = tokens[leading.end : members[0].first]
            # "who destroyed the bridge last week, shelled 30 houses": a phrase that far
            # before the count, or beyond a comma, may govern another object; never guess
            to_object = tokens[leading.end - 1].norm in lex.words("object_prepositions")
            distant = any(t.text in _CLAUSE_PUNCT or t.is_digit for t in gap) or (
                len(gap) > _LEADING_REACH and not to_object
            )
        if chosen is None and members[0].inner is not None and len(members) > 1:
            # "yıkık bina sayımız 506'ya, 4 bin 239 bağımsız bölüme ulaşmıştır": the label of
            # the first count holds for the rest of its list
            chosen, sources[g] = members[0].inner, "label"
        parent = members[0].parent
        split = (
            chosen is not None
            and chosen is trailing
            and len(members) > 1
            and members[0].subset_cue
            and parent is not None
            and parent.damage is not None
            and parent.damage.state != chosen.state
        )
        for pos, m in enumerate(members):
            if m.inner is not None:
                m.damage, m.damage_source = m.inner, "inner"
            elif split and pos < len(members) - 1:
                # "12 buildings were damaged, among them 5 schools, 3 houses were destroyed":
                # the part of the list before the new verb keeps its parent's state (below)
                continue
            elif chosen is not None:
                m.damage, m.damage_source = chosen, sources[g]
                if distant:
                    m.flags.append("distant_damage_phrase")
                if split:
                    # the last count may start a clause of its own: no subset, and a person
                    # checks which verb it takes
                    m.parent, m.subset_cue = None, False
                    m.flags.append("ambiguous_list_end")
        end_tok = chosen.end if chosen is not None and chosen.start >= trail_lo else trail_lo
        prev_end = max(prev_end, end_tok)
    # a set named only to count part of it is no figure; the part keeps its noun
    for pos, item in enumerate(items):
        if item.stock_candidate and item.damage_source in ("", "leading"):
            item.excluded = "set_named_for_its_part"
            part = items[pos + 1] if pos + 1 < len(items) else None
            if part is not None and part.structure is None:
                part.structure, part.structure_text = item.structure, item.structure_text
    # parents without a phrase take their breakdown's trailing phrase ("796, darunter … besichtigt")
    for item in items:
        if (
            item.parent is not None
            and item.parent.damage is None
            and item.damage is not None
            and item.damage_source == "trailing"
            # "La ville compte 12 000 maisons ; 2 000 d'entre elles …": not across a clause
            and not any(t.text in (";", ".") for t in tokens[item.parent.last : item.first])
        ):
            item.parent.damage, item.parent.damage_source = item.damage, "from_breakdown"
    # subsets without a phrase take their parent's ("damage to 47 buildings, of which 41 houses")
    for item in items:
        if item.damage is None and item.parent is not None and item.parent.damage is not None:
            item.damage, item.damage_source = item.parent.damage, "from_parent"
    # a count whose clause has no phrase yet takes the first phrase further on, past commas
    # and uncounted nouns, when no other count stands between: the predicate of a list that
    # comes last ("10-dan artıq binaya, 100-dən çox obyektə, o cümlədən məktəb binalarına
    # ziyan dəyib", "… and numerous school buildings were damaged")
    for item in items:
        if item.damage is not None or item.excluded or item.kind not in ("noun", "noun_before"):
            continue
        not_counts = frozenset(
            k
            for num, why in result.skipped
            if why in _NOT_STRUCTURES
            for k in range(num.start, num.end)
        )
        ahead = _phrase_ahead(
            tokens, result.phrases, max(m.last for m in groups[item.group]), not_counts
        )
        if ahead is not None:
            for m in groups[item.group]:
                if m.damage is None and not m.excluded:
                    m.damage, m.damage_source = ahead, "trailing"
                    m.flags.append("clause_predicate")
    # a list continued after a comma takes the previous list's phrase, flagged
    last_damage: Phrase | None = None
    for g in order:
        members = groups[g]
        for m in members:
            if (
                m.damage is None
                and last_damage is not None
                and m.parent is None
                and m.kind in ("noun",)
                and not m.subset_cue
                and (
                    _clause_ends(tokens, max(x.last for x in members))
                    # "15 houses were damaged on 12 October and 4 more on 13 October": the
                    # verb is gapped; a clause with a verb of its own ("6 more were looted")
                    # keeps no state
                    or (m.structure is None and _gapped(tokens, m.last, lex, result.phrases))
                )
            ):
                m.damage, m.damage_source = last_damage, "from_previous_list"
                m.flags.append("damage_from_previous_list")
        for m in members:
            if m.damage is not None and m.damage.state != "exclude":
                last_damage = m.damage
    _totals_with_undamaged(items, tokens, result.phrases, lex)


def _totals_with_undamaged(
    items: list[Item], tokens: Sequence[Token], phrases: list[Phrase], lex: Lexicon
) -> None:
    """A total in a table that lists undamaged buildings too is the number inspected:
    "… Hasarsız bina: 9 bin 314 Toplam bina: 10 bin 287" (Toplam = total)."""
    if not any(ph.state == "none" and not ph.negated for ph in phrases):
        return
    totals = lex.words("total_labels")
    for m in items:
        if m.kind != "noun_before" or (m.damage is not None and m.damage.state != "none"):
            continue
        k = next((k for k in (m.first, m.first - 1) if k >= 0 and tokens[k].norm in totals), None)
        if k is not None:
            t = tokens[k]
            m.first = min(m.first, k)
            m.damage = Phrase("assessed", k, k + 1, False, t.start, t.end)
            m.damage_source = "total_of_a_table"
            m.flags.append("total_with_undamaged")
