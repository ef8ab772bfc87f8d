"""Dates in a sentence, absolute or relative to the publication date, with their role.

``since 27 September`` opens a cumulative period, ``to 11 October`` / ``oktyabrın 17-dək``
closes one (the figure's ``as_of``), ``on Tuesday`` / ``yesterday`` dates a single event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ._lexicon import Lexicon
from ._tokens import Token, small_int


@dataclass(frozen=True)
class DateMention:
    date: dt.date
    role: str  # since, until, on
    first: int
    last: int


def _day(tok: Token) -> int | None:
    day = small_int(tok.text, 2)
    return day if day is not None and 1 <= day <= 31 else None


def _year(tokens: Sequence[Token], k: int) -> tuple[int | None, int]:
    """A year at token ``k`` (after an optional comma) and the index after it."""
    j = k + 1 if k < len(tokens) and tokens[k].text == "," else k
    year = small_int(tokens[j].text, 4) if j < len(tokens) else None
    if year is not None and len(tokens[j].text) == 4 and 1900 <= year <= 2100:
        return year, j + 1
    return None, k


def _build(year: int | None, month: int, day: int, published: dt.date | None) -> dt.date | None:
    if year is None:
        if published is None:
            return None
        year = published.year
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            return None
        return candidate if candidate <= published else dt.date(year - 1, month, day)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dates(
    tokens: Sequence[Token], lex: Lexicon, published: dt.date | None
) -> list[DateMention]:
    """Every date of a sentence with its role (since, until, on)."""
    out: list[DateMention] = []
    n = len(tokens)
    since_sfx = {s for s in lex.raw.get("date_since_suffixes", [])}
    until_sfx = {s for s in lex.raw.get("date_until_suffixes", [])}
    on_sfx = {s for s in lex.raw.get("date_on_suffixes", [])}
    for k in range(n):
        month = lex["months"].match_at(tokens, k)
        if month is None:
            continue
        m_end = month[1]
        day = None
        first, last = k, m_end
        j = m_end + 1 if m_end < n and tokens[m_end].text == "." else m_end
        if j < n and _day(tokens[j]) is not None:  # September 27, Oct. 29, oktyabrın 17-də
            day, last = _day(tokens[j]), j + 1
        elif k >= 1 and _day(tokens[k - 1]) is not None:  # 27 September
            day, first = _day(tokens[k - 1]), k - 1
        elif k >= 2 and tokens[k - 1].text == "." and _day(tokens[k - 2]) is not None:
            day, first = _day(tokens[k - 2]), k - 2  # 24. November
        if day is None:
            continue
        year, after_year = _year(tokens, last)
        if year is not None:
            last = after_year
        date = _build(year, int(month[0].value), day, published)
        if date is None:
            continue
        role = "on"
        # attached suffix on the day number: 27-dən (since), 17-dək (until), 17-də (on)
        if last + 1 < n and tokens[last].text == "-" and tokens[last].start == tokens[last - 1].end:
            sfx = tokens[last + 1].norm
            two = sfx + " " + tokens[last + 2].norm if last + 2 < n else sfx
            if sfx in since_sfx:
                role = "since"
            elif sfx in until_sfx or two in until_sfx:
                role = "until"
            elif sfx in on_sfx:
                role = "on"
            last += 2
        else:
            for section, name in (
                ("date_since", "since"),
                ("date_until", "until"),
                ("date_on", "on"),
            ):
                if lex[section].match_ending_at(tokens, first, lookback=3) is not None:
                    role = name
                    break
            if (
                last < n
                and lex["date_since"].match_at(tokens, last) is not None
                and tokens[last].norm in ("beri", "itibaren", "bəri")
            ):
                role = "since"
        out.append(DateMention(date, role, first, last))
    if published is not None:
        for k in range(n):
            wd = lex["weekdays"].match_at(tokens, k)
            if wd is not None:
                delta = (published.weekday() - int(wd[0].value)) % 7
                out.append(DateMention(published - dt.timedelta(days=delta), "on", k, wd[1]))
            rel = lex["relative_days"].match_at(tokens, k)
            if rel is not None:
                out.append(
                    DateMention(published + dt.timedelta(days=int(rel[0].value)), "on", k, rel[1])
                )
    return out
