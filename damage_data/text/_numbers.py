"""Numbers in press text: digits in every separator convention, number words, vague words.

Written by hand because no maintained library reads number words in Azerbaijani, Turkish,
Ukrainian and German together with case suffixes (``41-i``, ``50-dək``) and keeps the
character span of each number; the word lists themselves live in the lexicon files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ._lexicon import Lexicon, shared
from ._tokens import Token, small_int

_HYPHENS = {"-", "‑", "–"}


#: Largest count read as a number of structures; anything larger is unreadable.
MAX_COUNT = 1_000_000_000
#: Longest digit run read as a part of a written-out number ("58 bin 200"): longer than any
#: multiplier in the lexicons, so that bound never changes a reading.
_MAX_INT_DIGITS = 18


@dataclass
class Number:
    """A number found in a sentence (token indexes are sentence-local, end exclusive)."""

    start: int
    end: int
    value: int | None
    kind: str  # digits, words, vague, negation
    qualifier: str = "exact"
    count_min: int | None = None
    count_max: int | None = None
    qual_start: int = -1
    flags: list[str] = field(default_factory=list)
    skip: str | None = None  # why this number is not a count (date, time, ordinal…)

    def __post_init__(self) -> None:
        if self.qual_start < 0:
            self.qual_start = self.start


def _digits_value(text: str, next_is_multiplier: bool) -> tuple[float | None, str | None]:
    """Value of a digit token and a reason when it is not a whole count."""
    compact = re.sub(r"[ \u00a0\u202f'’]", "", text)
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", compact) and not (
        next_is_multiplier
        and compact.count(".") + compact.count(",") == 1
        and not compact.endswith("000")
    ):
        return float(re.sub(r"[.,]", "", compact)), None
    if re.fullmatch(r"\d+", compact):
        return float(compact), None
    if re.fullmatch(r"\d+[.,]\d+", compact):
        return float(compact.replace(",", ".")), None if next_is_multiplier else "decimal"
    return None, "garbled"


def _is_month(lex: Lexicon, tokens: Sequence[Token], i: int) -> bool:
    return 0 <= i < len(tokens) and lex["months"].match_at(tokens, i) is not None


def find_numbers(tokens: Sequence[Token], lex: Lexicon) -> list[Number]:
    """Every number-like mention of a sentence, with its qualifier and a skip reason if any."""
    out: list[Number] = []
    i = 0
    n = len(tokens)
    case_suffixes = lex.words("case_suffixes")
    ordinal_suffixes = lex.words("ordinal_suffixes")
    suffix_quals = {k: v for k, v in lex.raw.get("suffix_qualifiers", {}).items()}
    joiners = lex.words("number_joiners")
    while i < n:
        tok = tokens[i]
        found: Number | None = None
        if tok.is_digit:
            nxt_mult = lex["multipliers"].match_at(tokens, i + 1)
            value, problem = _digits_value(tok.text, nxt_mult is not None)
            end = i + 1
            if nxt_mult is not None and value is not None:
                factor = nxt_mult[0].value
                value *= factor
                end = nxt_mult[1]
                # "2 тыс." keeps its abbreviation dot
                if (
                    end < n
                    and tokens[end].text == "."
                    and tokens[end].start == tokens[end - 1].end
                    and len(tokens[end - 1].text) <= 4
                ):
                    end += 1
                # the rest of the number grammar: "1 milyon 279 bin 576", "3 milyon 9 bin 563",
                # "125 тис. 149": groups with falling multipliers, then a smaller plain number
                end, value = _rest_of_number(tokens, end, value, factor, lex)
            if value is not None and value > MAX_COUNT:
                # implausible whatever its size (sent to review below); capped because a float
                # past its range cannot be rounded ("9" * 310 reads as infinity)
                value = float(MAX_COUNT + 1)
            found = Number(i, end, None if value is None else round(value), "digits")
            if problem == "decimal" or (value is not None and value != int(value)):
                found.skip = "decimal"
            elif problem:
                found.skip = problem
        elif tok.is_word:
            neg = lex["negation_determiners"].match_at(tokens, i)
            vague = lex["vague"].match_at(tokens, i)
            words = _number_words(tokens, i, lex, joiners)
            if neg is not None and (words is None or neg[1] >= words[1]):
                found = Number(i, neg[1], 0, "negation")
            elif vague is not None and (words is None or vague[1] > words[1]):
                spec = vague[0].value
                end = vague[1]
                if end < n and tokens[end].norm in lex.words("vague_links"):
                    end += 1
                if spec is None:
                    found = Number(i, end, None, "vague", qualifier="vague")
                else:
                    # "dozens", "hundreds": bounds, never a count (12 or 100 would be a guess)
                    found = Number(
                        i,
                        end,
                        None,
                        "vague",
                        qualifier="vague",
                        count_min=int(spec["min"]),
                        count_max=int(spec["max"]),
                    )
                found.flags.append("vague_number")
            elif words is not None:
                found = Number(i, words[1], words[0], "words")
        if found is None:
            i += 1
            continue
        if found.value is not None and found.value > MAX_COUNT:
            # no report counts a billion buildings: an unreadable number, sent to review (and
            # kept out of the int64 count column, which it would overflow)
            found.value, found.count_min, found.count_max = None, None, None
            found.skip = "garbled"
            found.flags.append("implausible_number")
        _after_number(found, tokens, lex, case_suffixes, ordinal_suffixes, suffix_quals)
        _before_number(found, tokens, lex)
        if out and _joins_range(out[-1], found, tokens, lex):
            # "between 20 and 30 houses": one count, read at its lower bound
            low = out.pop()
            found = Number(
                low.start,
                found.end,
                low.value,
                low.kind,
                "approx",
                low.value,
                found.value,
                low.qual_start,
                [*low.flags, "range"],
                found.skip,
            )
        out.append(found)
        i = max(found.end, i + 1)
    return out


def _rest_of_number(
    tokens: Sequence[Token], end: int, value: float, factor: float, lex: Lexicon
) -> tuple[int, float]:
    """Continue a number after ``digits multiplier``: further ``digits multiplier`` groups
    with smaller multipliers, then a plain number below the last multiplier ("58 bin 200")."""
    n = len(tokens)
    while end < n and tokens[end].is_digit:
        # a group has at most three digits, a plain rest fewer than the largest multiplier's
        group = small_int(tokens[end].text, _MAX_INT_DIGITS)
        if group is None:
            break
        mult = lex["multipliers"].match_at(tokens, end + 1)
        if mult is not None and float(mult[0].value) < factor and group < 1000:
            factor = float(mult[0].value)
            value += group * factor
            end = mult[1]
            if (
                end < n
                and tokens[end].text == "."
                and tokens[end].start == tokens[end - 1].end
                and len(tokens[end - 1].text) <= 4
            ):
                end += 1  # "125 тис. 149": the abbreviation keeps its dot
            continue
        if mult is None and group < factor:
            value += group
            end += 1
        break
    return end, value


def _joins_range(low: Number, high: Number, tokens: Sequence[Token], lex: Lexicon) -> bool:
    """Whether two numbers form a range: "between 20 and 30", "von 20 bis 30", "от 20 до 30"."""
    if low.value is None or high.value is None or high.value <= low.value or low.skip:
        return False
    if low.kind not in ("digits", "words") or high.kind not in ("digits", "words"):
        return False
    gap = [t.norm for t in tokens[low.end : high.start]]
    if len(gap) != 1 or gap[0] not in lex.words("range_joiners"):
        return False
    return low.start > 0 and tokens[low.start - 1].norm in lex.words("range_before")


def _number_words(
    tokens: Sequence[Token], i: int, lex: Lexicon, joiners: set[str]
) -> tuple[int, int] | None:
    """Value and end of a number written in words starting at ``i`` (None if there is none)."""
    total = 0
    current = 0
    seen_unit = False
    bare = lex.words("bare_multipliers")
    last_factor = 0
    j = i
    n = len(tokens)
    while j < n:
        tok = tokens[j]
        unit = lex["numbers"].match_at(tokens, j)
        mult = lex["multipliers"].match_at(tokens, j)
        compound = _german_compound(tok.norm, lex) if lex.lang == "de" else None
        if unit is not None and (mult is None or unit[1] >= mult[1]):
            current += int(unit[0].value)
            seen_unit = True
            j = unit[1]
        elif compound is not None:
            current += compound
            seen_unit = True
            j += 1
        elif mult is not None and (seen_unit or (j == i and tok.norm in bare)):
            if not seen_unit:
                seen_unit = True  # Turkish "bin 200 kişi": a thousand needs no "one"
            factor = int(mult[0].value)
            if factor == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * factor
                current = 0
                last_factor = factor
            j = mult[1]
        else:
            break
        # "twenty-five", "two hundred and fifty"
        if (
            j + 1 < n
            and tokens[j].text in _HYPHENS
            and tokens[j].start == tokens[j - 1].end
            and (
                lex["numbers"].match_at(tokens, j + 1) or lex["multipliers"].match_at(tokens, j + 1)
            )
        ) or (
            j + 1 < n
            and tokens[j].norm in joiners
            and (lex["numbers"].match_at(tokens, j + 1))
            and current >= 100
        ):
            j += 1
    if not seen_unit:
        return None
    if (
        current == 0
        and last_factor
        and j < n
        and (rest := small_int(tokens[j].text, _MAX_INT_DIGITS)) is not None
        and rest < last_factor
    ):
        current = rest  # "bin 200 kişi", "тысяча 200": the rest in digits
        j += 1
    return total + current, j


def _german_compound(word: str, lex: Lexicon) -> int | None:
    """``dreiundzwanzig`` → 23, ``zweihundert`` → 200 (German writes numbers as one word)."""
    parts = lex.raw.get("compound_parts", {})
    if len(word) < 7 or not word.isalpha():
        return None
    pieces: list[str] = []
    rest = word
    while rest:
        for part in sorted(parts, key=len, reverse=True):
            if rest.startswith(part):
                pieces.append(part)
                rest = rest[len(part) :]
                break
        else:
            return None
    if len(pieces) < 2:
        return None
    total, current = 0, 0
    for piece in pieces:
        value = int(parts[piece])
        if piece == "und":
            continue
        if value == 100:
            current = max(current, 1) * 100
        elif value == 1000:
            total += max(current, 1) * 1000
            current = 0
        else:
            current += value
    return total + current


def _after_number(
    num: Number,
    tokens: Sequence[Token],
    lex: Lexicon,
    case_suffixes: set[str],
    ordinal_suffixes: set[str],
    suffix_quals: dict[str, str],
) -> None:
    n = len(tokens)
    j = num.end
    prev = tokens[num.end - 1]
    if (
        j < n
        and tokens[j].text == ":"
        and j + 1 < n
        and tokens[j + 1].is_digit
        and tokens[j].start == prev.end
    ):
        num.skip = num.skip or "time"
    if (
        num.start > 0
        and tokens[num.start - 1].text == ":"
        and num.start >= 2
        and tokens[num.start - 2].is_digit
        and tokens[num.start - 1].start == tokens[num.start - 2].end
    ):
        num.skip = num.skip or "time"
    signs = shared()
    if (j < n and tokens[j].text in signs["percent_signs"]) or (
        j < n and tokens[j].norm in ("percent", "per")
    ):
        num.skip = num.skip or "percent"
    if num.start > 0 and tokens[num.start - 1].norm in lex.words("percent_before"):
        num.skip = num.skip or "percent"  # Turkish "yüzde 92": the sign comes first
    # attached suffix: 41-i, 50-dək, 100'den, 44-day, 15-20
    if (
        j + 1 < n
        and tokens[j].text in _HYPHENS | {"'", "’"}
        and tokens[j].start == prev.end
        and tokens[j + 1].start == tokens[j].end
    ):
        word = tokens[j + 1]
        if word.is_digit and num.kind == "digits" and tokens[j].text in _HYPHENS:
            hi, _ = _digits_value(word.text, False)
            if hi is not None and num.value is not None and hi > num.value:
                num.count_min, num.count_max = num.value, int(hi)
                num.qualifier = "approx"
                num.flags.append("range")
                num.end = j + 2
                return
        if word.norm in ordinal_suffixes:
            num.skip = num.skip or "ordinal"
            num.end = j + 2
            return
        if word.norm in suffix_quals:
            num.qualifier = suffix_quals[word.norm]
            num.end = j + 2
        elif word.norm in case_suffixes:
            num.end = j + 2
        elif num.kind in ("digits", "words") and word.is_word:
            num.skip = num.skip or "compound"  # "44-day", "five-storey"
            num.end = j + 2
            return
    # postpositions: "100-dən çox", "100'den fazla", "50 or more"
    after = lex["qualifiers_after"].match_at(tokens, num.end)
    if after is not None and num.qualifier == "exact":
        num.qualifier = str(after[0].value)
        num.end = after[1]
    # dates: a month name next to the number (September 27, 27 September, 24. November)
    k = num.end
    if k < n and tokens[k].text == ".":
        k += 1
    if (
        _is_month(lex, tokens, k)
        or _is_month(lex, tokens, num.start - 1)
        or (
            num.start >= 2
            and tokens[num.start - 1].text == "."
            and _is_month(lex, tokens, num.start - 2)
        )
    ):
        num.skip = num.skip or "date"
    if (
        num.value is not None
        and 1900 <= num.value <= 2100
        and num.kind == "digits"
        and (
            _is_month(lex, tokens, num.start - 1)
            or _is_month(lex, tokens, num.start - 2)
            or _is_month(lex, tokens, num.start - 3)
        )
    ):
        num.skip = num.skip or "year"
    if (
        num.value is not None
        and 1900 <= num.value <= 2100
        and num.kind == "digits"
        and num.end - num.start == 1
        and tokens[num.start].text.isdigit()
        and num.start > 0
        and tokens[num.start - 1].norm
        in lex.words("date_since") | lex.words("date_on") | {"in"}  # not "up to 2000"
        and lex["structures"].match_at(tokens, num.end) is None
    ):
        num.skip = num.skip or "year"  # "Shelling in 2020 destroyed 9 schools": a year
    if num.start > 0 and tokens[num.start - 1].norm in lex.words("ordinal_markers") | {"№", "#"}:
        num.skip = num.skip or "ordinal"
    if num.start > 0 and tokens[num.start - 1].text in signs["currency_signs"]:
        num.skip = num.skip or "money"


def _before_number(num: Number, tokens: Sequence[Token], lex: Lexicon) -> None:
    if num.qualifier == "vague":
        return
    found = lex["qualifiers_before"].match_ending_at(tokens, num.start, lookback=4)
    if found is not None:
        num.qualifier = str(found[0].value)
        num.qual_start = found[1]
        if found[0].text in ("nearly", "almost", "почти", "майже", "fast", "knapp", "neredeyse"):
            num.flags.append("nearly")
