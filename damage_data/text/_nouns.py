"""What a number counts: the structure noun after it or named before it, shares, parts of
a whole and the sets a count is taken from."""

from __future__ import annotations

from collections.abc import Sequence

from ._items import CLAUSE_PUNCT, CONTEXT, HYPHENS, QUOTES, Item, StatePhrase, span_text
from ._lexicon import Lexicon
from ._numbers import Number
from ._phrases import best, find_phrases, quoted_state
from ._tokens import Sentence, Token


def scan_noun(
    tokens: Sequence[Token], j: int, lex: Lexicon, stop: set[str], window: int = 5
) -> tuple[str | None, object, int, int, StatePhrase | None, int]:
    """Look for the noun a number counts: (kind, value, start, end, inner damage, first word)."""
    inner: StatePhrase | None = None
    words = 0
    first_word = -1
    n = len(tokens)
    joiner_words = lex.words("list_joiners") - {",", "-", "–", "—"}
    links = lex.words("category_links") | lex.words("aux_words")
    k = j
    while k < min(n, j + 4) and tokens[k].norm in links:
        k += 1
    if k > j and k < n and tokens[k].text in QUOTES and quoted_state(tokens, k, lex):
        j = k  # '60,121 are tagged as "partially damaged"', '2,600 as "totally damaged"'
    while j < n and words < window:
        tok = tokens[j]
        if tok.text in QUOTES:
            quoted = quoted_state(tokens, j, lex)
            if quoted is not None:
                # '214 "acil yıkılacak, ağır hasarlı ve yıkık" bina': a quoted category
                inner, j = quoted
                continue
        if tok.text in CLAUSE_PUNCT or tok.is_digit:
            break
        c = lex["context_nouns"].match_at(tokens, j)
        if c is not None:
            return "structure", CONTEXT, j, c[1], inner, first_word  # "50 others"
        s = lex["structures"].match_at(tokens, j)
        x = lex["exclude_nouns"].match_at(tokens, j)
        which = best(s, x)
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
            inner = StatePhrase(
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
                inner = StatePhrase(
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
        if tok.text in HYPHENS:
            j += 1
            continue
        if first_word < 0 and tok.is_word:
            first_word = j
        words += 1
        j += 1
    return None, None, -1, -1, inner, first_word


def _structure_within(tokens: Sequence[Token], j: int, lex: Lexicon, reach: int) -> bool:
    """Whether a structure noun starts within ``reach`` words from ``j`` (no punctuation)."""
    for k in range(j, min(len(tokens), j + reach)):
        if tokens[k].text in CLAUSE_PUNCT or tokens[k].is_digit:
            return False
        if lex["structures"].match_at(tokens, k) is not None:
            return True
    return False


def names_a_stock(tokens: Sequence[Token], num: Number, noun_end: int, lex: Lexicon) -> bool:
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


def part_of_whole(
    tokens: Sequence[Token], num: Number, nxt: Number | None, lex: Lexicon, stop: set[str]
) -> tuple[str, int, int, StatePhrase | None] | None:
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
    kind, value, s0, s1, inner, _ = scan_noun(tokens, nxt.end, lex, stop)
    if kind != "structure":
        return None
    return str(value), s0, s1, inner


def share_of(tokens: Sequence[Token], num: Number, lex: Lexicon) -> int:
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


def percent_item(sentence: Sentence, num: Number, lex: Lexicon, stop: set[str]) -> Item | None:
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
    kind, value, n0, n1, inner, _ = scan_noun(tokens, j, lex, stop)
    if kind != "structure":
        return None
    item = Item(sentence, num, num.qual_start, n1, "percent", inner=inner, flags=["percent"])
    return with_noun(item, tokens, value, n0, n1)


def with_noun(item: Item, tokens: Sequence[Token], value: object, n0: int, n1: int) -> Item:
    """Set an item's structure from the noun found at tokens[n0:n1]."""
    item.structure = None if value == CONTEXT else str(value)
    item.structure_text = span_text(tokens, n0, n1)
    item.structure_start, item.structure_end = n0, n1
    return item


def labelled_item(
    sentence: Sentence, num: Number, inner: StatePhrase | None, lex: Lexicon
) -> Item | None:
    """The item of a count whose noun is named before it ("destroyed houses: 150", "yıkık
    bina sayısı ise 8 bin 268", "Ağır hasarlı bina: 124"), with the label's phrase."""
    tokens = sentence.tokens
    before = noun_before(tokens, num.qual_start, lex)
    if before is None:
        return None
    b0, b1, bvalue = before
    item = Item(sentence, num, b0, num.end, "noun_before", inner=inner)
    with_noun(item, tokens, bvalue, b0, b1)
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


def damage_follows(tokens: Sequence[Token], j: int, lex: Lexicon) -> bool:
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


def noun_before(tokens: Sequence[Token], start: int, lex: Lexicon) -> tuple[int, int, str] | None:
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
            if any(t.is_digit or t.text in CLAUSE_PUNCT for t in tokens[b0 : start - 1]):
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
