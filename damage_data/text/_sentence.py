"""One sentence into counted items: every number with its noun, role (total, subset,
same-as) and list group; the damage is decided afterwards by :mod:`._damage`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from ._items import (
    CONTEXT,
    QUOTES,
    Item,
    PlaceCount,
    SentenceResult,
    StatePhrase,
    cue_in,
    cue_words,
    only,
    span_text,
)
from ._lexicon import Lexicon
from ._nouns import (
    damage_follows,
    labelled_item,
    names_a_stock,
    noun_before,
    part_of_whole,
    percent_item,
    scan_noun,
    share_of,
    with_noun,
)
from ._numbers import Number, find_numbers
from ._phrases import find_phrases
from ._tokens import Sentence, Token


@dataclass
class _Reading:
    """What :func:`read_sentence` has found so far in one sentence."""

    sentence: Sentence
    lex: Lexicon
    stop: set[str]
    joiners: set[str]
    items: list[Item] = field(default_factory=list)
    places: list[PlaceCount] = field(default_factory=list)
    skipped: list[tuple[Number, str]] = field(default_factory=list)
    share_end: int = -1  # counts before this token are the whole of a share
    wholes: set[int] = field(default_factory=set)  # "2 of 18 houses": the 18 is the whole

    @property
    def tokens(self) -> list[Token]:
        return self.sentence.tokens


def read_sentence(sentence: Sentence, lex: Lexicon) -> SentenceResult:
    """Items, place counts and phrases of one sentence (damage not yet decided)."""
    reading = _Reading(
        sentence,
        lex,
        stop=lex.words("stop_tokens"),
        joiners=lex.words("list_joiners") | {",", "and", "&"},
    )
    numbers = find_numbers(sentence.tokens, lex)
    for idx, num in enumerate(numbers):
        nxt_num = numbers[idx + 1] if idx + 1 < len(numbers) else None
        if not _read_share_or_part(reading, num, nxt_num):
            _read_counted(reading, num, nxt_num)
    tokens = sentence.tokens
    _shared_noun(reading.items, tokens, reading.joiners)
    phrases = find_phrases(tokens, lex)
    _group(reading.items, tokens, lex, reading.joiners)
    return SentenceResult(reading.items, reading.places, phrases, reading.skipped)


def _read_share_or_part(reading: _Reading, num: Number, nxt_num: Number | None) -> bool:
    """Read a number that is a share, a rate, the whole of a part, no count at all, or a
    labelled count; True when it was one of these (nothing more to read for it)."""
    sentence, lex, stop, tokens = reading.sentence, reading.lex, reading.stop, reading.tokens
    if num.start in reading.wholes:
        reading.skipped.append((num, "whole_of_a_part"))
        return True
    if num.start < reading.share_end:
        # "60% of the 500 houses … were destroyed": 500 is the whole, not the destroyed
        reading.skipped.append((num, "percent_base"))
        return True
    if _read_share(reading, num):
        return True
    if num.skip in ("date", "time", "year", "ordinal", "money", "compound", "percent"):
        reading.skipped.append((num, num.skip))
        return True
    part = part_of_whole(tokens, num, nxt_num, lex, stop)
    if part is not None:
        # "Zwei von 18 Häusern seien zerstört worden", "8 of 20 shelled houses": the
        # first count is the figure, with the whole's noun; the whole is no figure
        value, s0, s1, inner = part
        assert nxt_num is not None
        reading.wholes.add(nxt_num.start)
        item = Item(sentence, num, num.qual_start, s1, "noun", inner=inner)
        reading.items.append(with_noun(item, tokens, value, s0, s1))
        item.flags.append("part_of_a_whole")
        return True
    if num.start > 1 and tokens[num.start - 1].text == ":" and tokens[num.start - 2].is_word:
        # 'Acil yıkılacak ağır hasarlı yıkık bina: 124 Orta hasarlı bina: 119': a
        # label and its count; what follows the count is the next label
        labelled = labelled_item(sentence, num, None, lex)
        if labelled is not None:
            reading.items.append(labelled)
            return True
    return False


def _read_share(reading: _Reading, num: Number) -> bool:
    """Read a share ("90 percent of buildings"), a rate ("1 in 5 houses") or the whole a
    share is taken of ("half of the 400 houses"): records without a count; True if one."""
    sentence, lex, stop, tokens = reading.sentence, reading.lex, reading.stop, reading.tokens
    if num.skip == "percent":
        share = percent_item(sentence, num, lex, stop)
        if share is not None:  # "90 percent of buildings were destroyed": no count
            reading.items.append(share)
            reading.share_end = share.last
            return True
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
        kind, value, s0, s1, inner, _ = scan_noun(tokens, j, lex, stop)
        if kind == "structure":
            rate = Item(sentence, num, num.qual_start, s1, "percent", inner=inner)
            rate.flags.append("ratio")
            reading.items.append(with_noun(rate, tokens, value, s0, s1))
            reading.share_end = s1
            return True
    share_at = share_of(tokens, num, lex) if num.skip is None else -1
    if share_at >= 0:
        # "half of the 400 houses were destroyed": 400 is the whole; the part has no count
        kind, value, s0, s1, inner, _ = scan_noun(tokens, num.end, lex, stop)
        if kind == "structure":
            share = Item(sentence, num, share_at, s1, "percent", inner=inner)
            share.flags.append("share_of_a_whole")
            reading.items.append(with_noun(share, tokens, value, s0, s1))
            reading.share_end = s1
            return True
    return False


def _read_counted(reading: _Reading, num: Number, nxt_num: Number | None) -> None:
    """Read a count by the noun after it: a structure (an item), a place or another thing
    (skipped), a garbled number, a quoted category, or a number without a noun."""
    sentence, lex, stop, tokens = reading.sentence, reading.lex, reading.stop, reading.tokens
    kind, value, s0, s1, inner, first_word = scan_noun(tokens, num.end, lex, stop)
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
            reading.items.append(item)
        else:
            reading.skipped.append((num, num.skip))
        return
    if kind == "exclude":
        if value == "place":
            reading.places.append(PlaceCount(sentence, num.qual_start, s1))
        reading.skipped.append((num, str(value)))
        return
    if kind == "structure" and _counts_a_location(reading, s1, nxt_num):
        # "3 okulda 250 öğrenci tahliye edildi": "in 3 schools", the count is the next one
        reading.skipped.append((num, "location"))
        return
    if kind == "structure":
        reading.items.append(_noun_item(reading, num, value, s0, s1, inner))
        return
    if (
        kind is None
        and inner is not None
        and tokens[inner.start - 1].text in QUOTES
        and only(
            tokens,
            num.end,
            inner.start - 1,
            lex.words("category_links") | lex.words("aux_words"),
        )
    ):
        # '3 bin 761 "acil yıkılacak", 3 bin 274 "orta hasarlı", … bağımsız bölüm': a
        # quoted category, the noun comes at the end of the list
        reading.items.append(
            Item(sentence, num, num.qual_start, inner.end + 1, "bare_damage", inner=inner)
        )
        return
    outcome = _bare_number(sentence, num, inner, first_word, lex, stop, reading.joiners)
    if isinstance(outcome, str):
        reading.skipped.append((num, outcome))
    else:
        reading.items.append(outcome)


def _counts_a_location(reading: _Reading, noun_end: int, nxt_num: Number | None) -> bool:
    """Whether a counted az/tr noun in the locative ("3 okulda") is where the next count is."""
    lex, tokens = reading.lex, reading.tokens
    return (
        lex.lang in ("az", "tr")
        and tokens[noun_end - 1].norm.endswith(("da", "də", "de", "ta", "te", "tə"))
        and noun_end < len(tokens)
        and tokens[noun_end].is_digit
        # "236 bin 410 binada yer alan 1 milyon … bağımsız birim": units located in
        # buildings are both counts; only people or things in them make it a place
        and not (
            nxt_num is not None
            and scan_noun(tokens, nxt_num.end, lex, reading.stop)[0] == "structure"
        )
    )


def _noun_item(
    reading: _Reading, num: Number, value: object, s0: int, s1: int, inner: StatePhrase | None
) -> Item:
    """The item of a count followed by its structure noun (tokens[s0:s1])."""
    sentence, lex, tokens = reading.sentence, reading.lex, reading.tokens
    same_det = lex["same_as_determiners"].match_ending_at(tokens, num.qual_start, lookback=3)
    item = Item(
        sentence,
        num,
        num.qual_start,
        s1,
        "noun",
        structure=None if value == CONTEXT else str(value),
        structure_text=span_text(tokens, s0, s1),
        structure_start=s0,
        structure_end=s1,
        inner=inner,
    )
    unit = lex["count_units"].match_at(tokens, s0)
    if unit is not None:
        item.count_unit = str(unit[0].value)
    item.same_candidate = same_det is not None and num.kind in ("digits", "words")
    item.stock_candidate = names_a_stock(tokens, num, s1, lex)
    return item


def _shared_noun(items: list[Item], tokens: Sequence[Token], joiners: set[str]) -> None:
    """ "14 destroyed and 52 damaged houses": the first count shares the noun of the second."""
    ordered = sorted(items, key=lambda it: it.first)
    for item, nxt in reversed(list(pairwise(ordered))):
        inner_end = item.inner.end if item.inner is not None else -1
        if item.inner is not None and inner_end < len(tokens) and tokens[inner_end].text in QUOTES:
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


def _bare_number(
    sentence: Sentence,
    num: Number,
    inner: StatePhrase | None,
    first_word: int,
    lex: Lexicon,
    stop: set[str],
    joiners: set[str],
) -> Item | str:
    """The item of a number with no noun right after it, or the reason it is none.

    "60 of which were destroyed", "the 47 are in critical condition", "796, darunter …",
    "of which 40 were destroyed", "41 were private homes", "240 are beyond repair",
    "the number of damaged houses rose to 131", "23 Garagen zerstört" (unknown noun).
    The readings are tried in this order; the first that fits decides.
    """
    outcome = _subset_after_count(sentence, num, inner, lex, stop)
    if outcome is None:
        outcome = _same_set_or_old_value(sentence, num, inner, lex)
    if outcome is None:
        outcome = _total_or_listed_part(sentence, num, inner, lex, stop, joiners)
    if outcome is None:
        outcome = _copula_or_damage_word(sentence, num, inner, first_word, lex, stop)
    return "no_noun" if outcome is None else outcome


def _subset_after_count(
    sentence: Sentence, num: Number, inner: StatePhrase | None, lex: Lexicon, stop: set[str]
) -> Item | str | None:
    """ "60 of which were destroyed", "3,7 тис. із них - це житлові будинки"."""
    tokens = sentence.tokens
    after = lex["subset_after"].match_at(tokens, num.end)
    if (
        after is not None
        and num.kind == "words"
        and num.value == 1
        and num.start > 0
        and tokens[num.start - 1].text == ","
    ):
        return "one_of_them"  # ", one of them a multi-family structure, were destroyed"
    if after is None or num.kind == "negation":
        return None
    j = after[1]
    aux = lex.words("aux_words")
    while j < len(tokens) and (tokens[j].text in ("—", "–", "-", ":") or tokens[j].norm in aux):
        j += 1  # "3,7 тис. із них - це житлові будинки"
    k2, v2, n0, n1, inner2, _ = scan_noun(tokens, j, lex, stop)
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
    return with_noun(item, tokens, v2, n0, n1) if k2 == "structure" else item


def _same_set_or_old_value(
    sentence: Sentence, num: Number, inner: StatePhrase | None, lex: Lexicon
) -> Item | str | None:
    """ "the 47 are in critical condition" (the same set again), "Of these 47, …" (the
    anchor of a breakdown), "rose from 12 to 19" (12 is the old value)."""
    tokens = sentence.tokens
    countable = num.kind in ("digits", "words")
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
    return None


def _total_or_listed_part(
    sentence: Sentence,
    num: Number,
    inner: StatePhrase | None,
    lex: Lexicon,
    stop: set[str],
    joiners: set[str],
) -> Item | str | None:
    """A total whose parts follow ("131, including 22 …") or a part after a subset cue
    ("of which 41 are private houses", "з них 2 800 — житлові будинки")."""
    tokens = sentence.tokens
    countable = num.kind in ("digits", "words")
    k = num.end + 1 if num.end < len(tokens) and tokens[num.end].text == "," else num.end
    if lex["subset_before"].match_at(tokens, k) is not None and countable:
        total = Item(sentence, num, num.qual_start, num.end, "total", structure="any", inner=inner)
        named = noun_before(tokens, num.qual_start, lex)
        if named is not None:
            # "the number of damaged houses had risen to 131, including 22 …": that noun
            b0, b1, bvalue = named
            with_noun(total, tokens, bvalue, b0, b1)
            total.first = b0
            for ph in find_phrases(tokens[b0 : num.qual_start], lex):
                if ph.state != "exclude" and not ph.negated:
                    total.inner = StatePhrase(
                        ph.state, ph.start + b0, ph.end + b0, False, ph.char_start, ph.char_end
                    )
                    break
        return total
    cue = cue_in(tokens, max(0, num.qual_start - 6), num.qual_start, lex, "subset_before")
    fillers = joiners | lex.words("articles") | cue_words(lex, "cumulative_cues")
    if (
        cue is None
        or not only(tokens, cue[1], num.qual_start, fillers)  # "of which a total of 84,726"
        or num.kind == "negation"
    ):
        return None
    j = num.end
    aux = lex.words("aux_words")
    while j < len(tokens) and (tokens[j].text in ("—", "–", "-", ":") or tokens[j].norm in aux):
        j += 1  # "з них 2 800 — житлові будинки", "of which 41 are private houses"
    k2, v2, n0, n1, inner2, _ = scan_noun(tokens, j, lex, stop)
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
    return with_noun(item, tokens, v2, n0, n1) if k2 == "structure" else item


def _copula_or_damage_word(
    sentence: Sentence,
    num: Number,
    inner: StatePhrase | None,
    first_word: int,
    lex: Lexicon,
    stop: set[str],
) -> Item | None:
    """ "41 were private residential properties" (a copula, then the noun), "повреждено
    около 100." (a damage word before, the noun elided), "14 destroyed and 52 damaged
    houses" (a damage word after), "Ağır hasarlı bina: 124" (a label), or an unknown noun
    after a damage word ("пошкоджено 8 <noun>": review)."""
    tokens = sentence.tokens
    countable = num.kind in ("digits", "words")
    aux_end = num.end
    while aux_end < len(tokens) and tokens[aux_end].norm in lex.words("aux_words"):
        aux_end += 1
    if aux_end > num.end and countable:
        k2, v2, n0, n1, inner2, _ = scan_noun(tokens, aux_end, lex, stop)
        if k2 == "structure":  # "41 were private residential properties"
            item = Item(sentence, num, num.qual_start, n1, "copula_noun", inner=inner2)
            return with_noun(item, tokens, v2, n0, n1)
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
    if damage_follows(tokens, num.end, lex) and num.kind in ("digits", "words", "vague"):
        # "counted 14 destroyed and 52 damaged houses": the word right after the count is its
        # state, whatever verb came before
        if inner is None and num.end < len(tokens) and tokens[num.end].text == "\u055d":
            # "երեքը՝ բնակության համար պիտանի չեն": the pause mark would end the clause
            inner = next((ph for ph in find_phrases(tokens, lex) if ph.start > num.end), None)
        return Item(sentence, num, num.qual_start, num.end, "bare_damage", inner=inner)
    labelled = labelled_item(sentence, num, inner, lex)
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
    return None


def _group(items: list[Item], tokens: Sequence[Token], lex: Lexicon, joiners: set[str]) -> None:
    """Put listed items into groups and mark subsets ("of which", "including", brackets)."""
    items.sort(key=lambda it: it.first)
    if not items:
        return
    group = 0
    for prev, item in zip([None, *items[:-1]], items, strict=True):
        if prev is None:
            cue = cue_in(tokens, max(0, item.first - 4), item.first, lex, "subset_before")
            if cue is not None and only(tokens, cue[1], item.first, joiners | {"("}):
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
            cue = cue_in(tokens, gap_lo, gap_hi, lex, "subset_before")
            if (
                cue is not None
                # "were damaged, including 3 schools": the cue may follow the parent's verb
                and not any(t.text in (";", ".") for t in tokens[gap_lo : cue[0]])
                and only(tokens, cue[1], gap_hi, joiners | {"("})
            ):
                group += 1
                item.parent = prev
                item.subset_cue = True
                item.flags.append("subset")
            elif only(tokens, gap_lo, gap_hi, joiners | {"("}) and any(
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
