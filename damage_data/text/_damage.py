"""Which damage phrase each counted item takes: its own, the one after or before its list,
its parent's, the clause's predicate further on, or the previous list's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ._items import (
    CLAUSE_PUNCT,
    DAMAGE_LIKE,
    QUOTES,
    SEVERITY,
    TRAIL_STOP,
    Item,
    SentenceResult,
    StatePhrase,
    cue_in,
)
from ._lexicon import Lexicon
from ._tokens import Token, tokenize

#: Tokens a damage phrase before a count may be away from it and still be trusted
#: ("destroyed in Tartar district 12 houses"); farther ones send the figure to review.
_LEADING_REACH = 4


#: Reasons a count was skipped that make it a count of something else than structures.
_NOT_STRUCTURES = frozenset(
    {"people", "munitions", "vehicles", "livestock", "money", "area", "time", "other", "storeys"}
)


@dataclass
class _Sentence:
    """What :func:`decide_damage` consults for every group of one sentence."""

    result: SentenceResult
    lex: Lexicon
    tokens: list[Token]
    groups: dict[int, list[Item]]  # list group → its items, left to right
    order: list[int]  # the groups, left to right
    joiners: set[str]
    relatives: set[str]
    ors: frozenset[str]  # "or" phrases, as normalised words joined by spaces
    counts_at: frozenset[int]  # where every number of the sentence starts


def decide_damage(result: SentenceResult, lex: Lexicon) -> None:
    """Give every item its damage phrase: its own, the group's, its parent's or the list's."""
    items = result.items
    if not items:
        return
    groups: dict[int, list[Item]] = {}
    for item in items:
        groups.setdefault(item.group, []).append(item)
    for members in groups.values():
        for m in members[:-1]:
            m.group_last = False
    ctx = _Sentence(
        result=result,
        lex=lex,
        tokens=items[0].sentence.tokens,
        groups=groups,
        order=sorted(groups),
        joiners=lex.words("list_joiners") | {",", "and"},
        relatives=lex.words("relative_words"),
        ors=frozenset(" ".join(t.norm for t in tokenize(o)) for o in lex.raw.get("or_words", [])),
        counts_at=frozenset([it.num.start for it in items] + [n.start for n, _ in result.skipped]),
    )
    prev_end = 0
    for idx in range(len(ctx.order)):
        prev_end = _decide_group(ctx, idx, prev_end)
    _sets_named_for_their_part(items)
    _parents_from_breakdown(items, ctx.tokens)
    # subsets without a phrase take their parent's ("damage to 47 buildings, of which 41 houses")
    for item in items:
        if item.damage is None and item.parent is not None and item.parent.damage is not None:
            item.damage, item.damage_source = item.parent.damage, "from_parent"
    _clause_predicates(ctx)
    _previous_list_state(ctx)
    _totals_with_undamaged(items, ctx.tokens, result.phrases, lex)


def _decide_group(ctx: _Sentence, idx: int, prev_end: int) -> int:
    """Give the items of one list group their phrase; return where the next group's
    leading phrase may start."""
    tokens = ctx.tokens
    members = ctx.groups[ctx.order[idx]]
    nxt = ctx.groups[ctx.order[idx + 1]][0].first if idx + 1 < len(ctx.order) else len(tokens)
    trail_lo = max(m.last for m in members)
    trail_lo = max([trail_lo] + [m.inner.end for m in members if m.inner is not None])
    negation = all(m.num.kind == "negation" for m in members)
    trailing, leading = _group_phrases(ctx, idx, trail_lo, nxt, prev_end, negation)
    chosen = trailing or leading
    source = "trailing" if trailing is not None else ("leading" if leading else "")
    own = [m.inner for m in members if m.inner is not None]
    if negation and not own and (chosen is None or chosen.state in ("none", "assessed")):
        # "not a single building remained intact" is no count of zero
        for m in members:
            m.excluded = "negation_without_damage"
        return prev_end
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
        return max(prev_end, chosen.end if chosen.start >= trail_lo else trail_lo)
    distant = False
    if chosen is not None and chosen is leading and chosen.state != "exclude":
        gap = tokens[leading.end : members[0].first]
        # "who destroyed the bridge last week, shelled 30 houses": a phrase that far
        # before the count, or beyond a comma, may govern another object; never guess
        to_object = tokens[leading.end - 1].norm in ctx.lex.words("object_prepositions")
        distant = any(t.text in CLAUSE_PUNCT or t.is_digit for t in gap) or (
            len(gap) > _LEADING_REACH and not to_object
        )
    if chosen is None and members[0].inner is not None and len(members) > 1:
        # "yıkık bina sayımız 506'ya, 4 bin 239 bağımsız bölüme ulaşmıştır": the label of
        # the first count holds for the rest of its list
        chosen, source = members[0].inner, "label"
    _assign(members, chosen, source, distant=distant, trailing=chosen is trailing)
    end_tok = chosen.end if chosen is not None and chosen.start >= trail_lo else trail_lo
    return max(prev_end, end_tok)


def _assign(
    members: list[Item],
    chosen: StatePhrase | None,
    source: str,
    *,
    distant: bool,
    trailing: bool,
) -> None:
    """Give a group's items their own phrase or the chosen one (``source`` says where it
    stands); the end of a list whose verb differs from its parent's is split off."""
    parent = members[0].parent
    split = (
        chosen is not None
        and trailing
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
            m.damage, m.damage_source = chosen, source
            if distant:
                m.flags.append("distant_damage_phrase")
            if split:
                # the last count may start a clause of its own: no subset, and a person
                # checks which verb it takes
                m.parent, m.subset_cue = None, False
                m.flags.append("ambiguous_list_end")


def _group_phrases(
    ctx: _Sentence, idx: int, trail_lo: int, nxt: int, prev_end: int, negation: bool
) -> tuple[StatePhrase | None, StatePhrase | None]:
    """The phrase after a group (``trailing``) and the one before it (``leading``); at most
    one of them is kept, the trailing one unless it belongs to the next count."""
    tokens, lex, phrases = ctx.tokens, ctx.lex, ctx.result.phrases
    members = ctx.groups[ctx.order[idx]]
    cue = cue_in(tokens, max(0, members[0].first - 4), members[0].first, lex, "subset_before")
    aside = (
        idx > 0
        and members[0].parent is not None
        and cue is not None
        and cue[0] > 0
        and tokens[cue[0] - 1].text == ","
        # the parent has no phrase of its own before the aside: the verb comes after it
        and not any(
            members[0].parent.last <= p.start < cue[0]
            for p in phrases
            if members[0].parent is not None
        )
        and trail_lo + 1 < len(tokens)
        and tokens[trail_lo + 1].norm not in ctx.joiners
    )
    trailing = _trailing(
        tokens,
        phrases,
        trail_lo,
        nxt,
        ctx.joiners,
        ctx.relatives,
        negation=negation,
        ors=ctx.ors,
        aside=aside,
        aux=frozenset(lex.words("aux_words")),
        appositions=frozenset(lex.words("apposition_markers")),
        counts_at=ctx.counts_at,
    )
    leading = _leading(tokens, phrases, prev_end, members[0].first, negation=negation)
    if trailing is not None and _leads_the_next_count(
        ctx, members[0].first, trailing, leading, trail_lo, nxt
    ):
        trailing = None
    if trailing is not None:
        leading = None
    return trailing, leading


def _leads_the_next_count(
    ctx: _Sentence,
    first: int,
    trailing: StatePhrase,
    leading: StatePhrase | None,
    trail_lo: int,
    nxt: int,
) -> bool:
    """Whether the phrase after a group is the verb of the next count or object, not of
    this group (``first``: where the group starts; ``nxt``: where the next one does)."""
    tokens, joiners = ctx.tokens, ctx.joiners
    own_verb = leading is not None and not leading.negated and leading.state != "exclude"
    joined = trail_lo < trailing.start and all(
        t.norm in joiners for t in tokens[trail_lo : trailing.start]
    )
    if (
        leading is not None
        and nxt < len(tokens)
        and (
            first - leading.end <= 1
            # "zerstörte in Schuld 12 Häuser und beschädigte 40 weitere": verb-second
            or (not any(t.text in CLAUSE_PUNCT for t in tokens[leading.end : first]) and joined)
        )
        and nxt - trailing.end <= 3
        and not any(t.text in CLAUSE_PUNCT for t in tokens[trailing.end : nxt])
    ):
        # "destroyed some twenty houses and damaged more than 50 others": the verb after
        # the list leads the next count; this list has its own verb before it
        return True
    if leading is not None and first == leading.end and joined and own_verb:
        # "damaged 120 homes and destroyed 15": a verb right before the count governs it;
        # the verb after "and" starts the next clause (whose object may be elided)
        return True
    if (
        nxt < len(tokens)
        and trail_lo < trailing.start
        and tokens[trailing.start - 1].norm in joiners
        and not any(t.text in TRAIL_STOP for t in tokens[trail_lo : trailing.start])
        and nxt - trailing.end <= 1
    ):
        # "hit 120 homes in Kharkiv and destroyed 15": the verb after "and" governs the
        # next count, not this one; without a verb of its own this count goes to review
        return True
    # "destroyed at least 25 shops in the town and caused damage to the clinic": the
    # verb before the count is its own; the one after "and" has its own object
    return (
        leading is not None
        and first == leading.end
        and own_verb
        and trailing.start > trail_lo
        and not any(t.is_digit for t in tokens[trail_lo : trailing.start])
        and any(t.norm in joiners - {","} for t in tokens[trail_lo + 1 : trailing.start])
    )


def _sets_named_for_their_part(items: list[Item]) -> None:
    """A set named only to count part of it is no figure; the part keeps its noun ("Of
    the 300 houses in the village, 250 were destroyed")."""
    for pos, item in enumerate(items):
        if item.stock_candidate and item.damage_source in ("", "leading"):
            item.excluded = "set_named_for_its_part"
            part = items[pos + 1] if pos + 1 < len(items) else None
            if part is not None and part.structure is None:
                part.structure, part.structure_text = item.structure, item.structure_text


def _parents_from_breakdown(items: list[Item], tokens: Sequence[Token]) -> None:
    """Parents without a phrase take their breakdown's trailing phrase ("796, darunter …
    besichtigt")."""
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


def _clause_predicates(ctx: _Sentence) -> None:
    """A count whose clause has no phrase yet takes the first phrase further on, past
    commas and uncounted nouns, when no other count stands between: the predicate of a list
    that comes last ("10-dan artıq binaya, 100-dən çox obyektə, o cümlədən məktəb
    binalarına ziyan dəyib", "… and numerous school buildings were damaged")."""
    result = ctx.result
    for item in result.items:
        if item.damage is not None or item.excluded or item.kind not in ("noun", "noun_before"):
            continue
        not_counts = frozenset(
            k
            for num, why in result.skipped
            if why in _NOT_STRUCTURES
            for k in range(num.start, num.end)
        )
        group = ctx.groups[item.group]
        ahead = _phrase_ahead(ctx.tokens, result.phrases, max(m.last for m in group), not_counts)
        if ahead is not None:
            for m in group:
                if m.damage is None and not m.excluded:
                    m.damage, m.damage_source = ahead, "trailing"
                    m.flags.append("clause_predicate")


def _previous_list_state(ctx: _Sentence) -> None:
    """A list continued after a comma takes the previous list's phrase, flagged."""
    tokens, phrases = ctx.tokens, ctx.result.phrases
    last_damage: StatePhrase | None = None
    for g in ctx.order:
        members = ctx.groups[g]
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
                    or (m.structure is None and _gapped(tokens, m.last, ctx.lex, phrases))
                )
            ):
                m.damage, m.damage_source = last_damage, "from_previous_list"
                m.flags.append("damage_from_previous_list")
        for m in members:
            if m.damage is not None and m.damage.state != "exclude":
                last_damage = m.damage


def _totals_with_undamaged(
    items: list[Item], tokens: Sequence[Token], phrases: list[StatePhrase], lex: Lexicon
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
            m.damage = StatePhrase("assessed", k, k + 1, False, t.start, t.end)
            m.damage_source = "total_of_a_table"
            m.flags.append("total_with_undamaged")


def _trailing(
    tokens: Sequence[Token],
    phrases: list[StatePhrase],
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
) -> StatePhrase | None:
    """The first phrase after a group, before the clause ends; "X and Y" picks the worse.

    A comma followed by a relative word ("…, що не підлягає відновленню") does not end the
    clause, nor the comma that closes an aside (``aside``: "12 buildings, among them 5
    schools, were damaged"). For a negated count ("no building … was destroyed", "ни одно
    здание не было разрушено") a negated phrase is the one that counts.
    """
    stop = hi
    k = lo
    while k < hi:
        if tokens[k].text in TRAIL_STOP | {"—", "–"}:
            if tokens[k].text == "," and k + 1 < hi and tokens[k + 1].norm in relatives:
                k += 1
                continue
            if aside and k == lo and tokens[k].text == ",":
                k += 1
                continue
            if k == lo and tokens[k].text == "\u055d":
                k += 1  # "որից 15-ը՝ ամբողջությամբ ավերվել": the pause mark stands for "are"
                continue
            if tokens[k].text in QUOTES and any(ph.start == k + 1 for ph in phrases):
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
    chosen: StatePhrase | None = None
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
            and {ph.state, chosen.state} <= DAMAGE_LIKE
        ):
            # "yıkıldı veya ağır hasar gördü": destroyed or damaged, reported together
            chosen = StatePhrase(
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
            chosen = StatePhrase(
                ph.state, chosen.start, ph.end, False, chosen.char_start, ph.char_end
            )
        break
    return chosen


def _phrase_ahead(
    tokens: Sequence[Token], phrases: list[StatePhrase], lo: int, not_counts: frozenset[int]
) -> StatePhrase | None:
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
    phrases: list[StatePhrase],
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
    tokens: Sequence[Token], phrases: list[StatePhrase], lo: int, hi: int, *, negation: bool = False
) -> StatePhrase | None:
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


def _gapped(tokens: Sequence[Token], k: int, lex: Lexicon, phrases: list[StatePhrase]) -> bool:
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
