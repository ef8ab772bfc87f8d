"""Damage phrases of a sentence: found in the lexicon, negated, glossed and coordinated
("damaged or destroyed", "yıkık, acil yıkılacak ve ağır hasarlı")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ._items import DAMAGE_LIKE, QUOTES, SEVERITY, StatePhrase
from ._lexicon import Lexicon
from ._tokens import Token, tokenize


def best(a: tuple[object, int] | None, b: tuple[object, int] | None) -> int:
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


def find_phrases(tokens: Sequence[Token], lex: Lexicon) -> list[StatePhrase]:
    """Damage and exclusion phrases of a sentence, left to right, negation marked."""
    out: list[StatePhrase] = []
    i = 0
    negators = lex["negators"]
    while i < len(tokens):
        dmg = lex["damage"].match_at(tokens, i)
        exc = lex["exclude_context"].match_at(tokens, i)
        which = best(dmg, exc)
        if which < 0:
            i += 1
            continue
        if which == 0 and dmg is not None:
            value = str(dmg[0].value)
            negated = value.startswith("!")
            phrase = StatePhrase(
                value.lstrip("!"), i, dmg[1], negated, tokens[i].start, tokens[dmg[1] - 1].end
            )
        else:
            assert exc is not None
            phrase = StatePhrase(
                "exclude", i, exc[1], False, tokens[i].start, tokens[exc[1] - 1].end
            )
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
            and phrase.state in DAMAGE_LIKE
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


def _glossed(phrases: list[StatePhrase], tokens: Sequence[Token]) -> list[StatePhrase]:
    """A state explained in brackets right after it takes the bracket's state: "kəskin
    qəzalı (dağılmış)" (in an acute emergency state, i.e. destroyed)."""
    out: list[StatePhrase] = []
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
            and prev.state in DAMAGE_LIKE
            and ph.state in DAMAGE_LIKE
        ):
            out[-1] = StatePhrase(
                ph.state, prev.start, ph.end + 1, False, prev.char_start, tokens[ph.end].end
            )
            continue
        out.append(ph)
    return out


def _gapped_degrees(
    tokens: Sequence[Token], phrases: list[StatePhrase], degrees: Mapping[str, str]
) -> list[StatePhrase]:
    """Degree words whose damage noun is said once at the end of a list: "7 bin 402 binanın
    ağır, 512 binanın orta, 7 bin 911 binanın hafif hasarlı olduğu" (ağır → ağır hasarlı)."""
    starts = {ph.start for ph in phrases}
    extra: list[StatePhrase] = []
    for j, tok in enumerate(tokens):
        state = degrees.get(tok.norm)
        if state is None or j in starts or j == 0 or not tokens[j - 1].is_word:
            continue
        if j + 1 >= len(tokens) or tokens[j + 1].text not in (",", "ve", "ile"):
            continue
        # the list must end in a degree word with its noun ("hafif hasarlı") in this clause
        for ph in phrases:
            if ph.start > j and tokens[ph.start].norm in degrees and ph.state in DAMAGE_LIKE:
                if not any(t.text in (".", ";", "!", "?") for t in tokens[j : ph.start]):
                    extra.append(StatePhrase(state, j, j + 1, False, tok.start, tok.end))
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
        "destroyed" in kinds and kinds & (DAMAGE_LIKE - {"destroyed"})
    ):
        return "damaged_or_destroyed"
    if kinds == {"destroyed"}:
        return "destroyed"
    if alternative and len(kinds) > 1:
        return "damaged"
    return max(kinds, key=lambda s: SEVERITY.get(s, 0))


def _coordinate(
    phrases: list[StatePhrase], tokens: Sequence[Token], lex: Lexicon
) -> list[StatePhrase]:
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
    damage_like = DAMAGE_LIKE | {"damaged_or_destroyed"}
    chains: list[list[StatePhrase]] = [[phrases[0]]]
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
    out: list[StatePhrase] = []
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
        out.append(
            StatePhrase(state, first.start, last.end, False, first.char_start, last.char_end)
        )
    return out


def quoted_state(tokens: Sequence[Token], j: int, lex: Lexicon) -> tuple[StatePhrase, int] | None:
    """A damage category in quotes right after a count ('201 "orta hasarlı" bina'):
    the merged phrase and the index after the closing quote, or None."""
    k = j + 1
    hi = min(len(tokens), j + 16)
    inside: list[StatePhrase] = []
    while k < hi:
        if tokens[k].text in QUOTES:
            # several quoted categories in a row: '"acil yıkılacak", "ağır hasarlı ve yıkık"'
            if k + 2 < hi and tokens[k + 1].text == "," and tokens[k + 2].text in QUOTES:
                k += 3
                continue
            break
        m = lex["damage"].match_at(tokens, k)
        if m is not None:
            value = str(m[0].value)
            inside.append(
                StatePhrase(
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
        if tokens[k].text in (".", "!") and k + 1 < hi and tokens[k + 1].text in QUOTES:
            k += 1  # '8,466 "totally damaged."': the full stop inside the closing quote
            continue
        return None
    if k >= hi or not inside or any(p.negated for p in inside):
        return None
    merged = _coordinate(inside, tokens, lex)
    if len(merged) != 1:
        state = combine_states([p.state for p in inside], alternative=False)
        merged = [
            StatePhrase(
                state,
                inside[0].start,
                inside[-1].end,
                False,
                inside[0].char_start,
                inside[-1].char_end,
            )
        ]
    return merged[0], k + 1
