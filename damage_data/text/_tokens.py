"""Tokens and sentences with their character offsets, so evidence is always an exact span."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Numbers first: grouped thousands with a space, comma, dot or apostrophe (15 500, 1,200,
# 1.200, 169'000), then plain numbers with an optional decimal part. Words keep inner apostrophes
# (Ukrainian п'ять) but hyphens split them, so "Twenty-five" and "41-i" parse alike.
_TOKEN_RE = re.compile(
    r"(?<![\d])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])"
    r"|(?<![\d])\d{1,3}(?:,\d{3})+(?![\d]|[.,]\d)"
    r"|(?<![\d])\d{1,3}(?:\.\d{3})+(?![\d]|[.,]\d)"
    r"|(?<![\d])\d{1,3}(?:['’]\d{3})+(?![\d])"
    r"|\d+(?:[.,]\d+)?"
    r"|[^\W\d_]+(?:['’ʼ][^\W\d_]+)*"
    r"|\S"
)


@dataclass(frozen=True)
class Token:
    """One token: its text as written, its folded form and its offsets in the input."""

    text: str
    norm: str
    start: int
    end: int

    @property
    def is_digit(self) -> bool:
        return self.text[:1].isdigit()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalpha()

    @property
    def is_upper(self) -> bool:
        return self.text[:1].isupper()


def norm(text: str) -> str:
    """Fold a word for lookup: NFC, ``ǝ`` → ``ə``, apostrophes unified, lower case."""
    text = unicodedata.normalize("NFC", text).replace("\u01dd", "\u0259")
    text = text.replace("’", "'").replace("ʼ", "'").replace("İ", "i")
    return text.lower()


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Split ``text`` into tokens; offsets count from ``offset``.

    >>> [t.text for t in tokenize("15 500 shells, 41-i")]
    ['15 500', 'shells', ',', '41', '-', 'i']
    """
    return [
        Token(m.group(), norm(m.group()), m.start() + offset, m.end() + offset)
        for m in _TOKEN_RE.finditer(text)
    ]


@dataclass(frozen=True)
class Sentence:
    """A sentence: offsets, tokens and the paragraph it belongs to."""

    start: int
    end: int
    tokens: list[Token]
    paragraph: int
    index: int


_CLOSERS = set("\"'”’»)")
#: Sentence ends: also the Armenian full stop (U+0589) and the one-dot leader Armenian
#: wires use as a full stop.
_ENDERS = {".", "!", "?", "…", "\u0589", "\u2024"}
_OPENERS = set("\"“«„'(")


def sentences(
    text: str,
    *,
    abbreviations: Iterable[str] = (),
    months: Iterable[str] = (),
    span: tuple[int, int] | None = None,
) -> list[Sentence]:
    """Split ``text`` (or ``text[span[0]:span[1]]``) into sentences at end punctuation and
    line breaks; offsets always count from the start of ``text``.

    A full stop after a known abbreviation ("Oct.", "г."), an initial, between a day and a
    month ("24. November") or inside a number does not end a sentence; closing quotes stay
    with the sentence they close.
    """
    abbrev = {norm(a).rstrip(".") for a in abbreviations}
    month_words = {norm(m) for m in months}
    lo, hi = span if span is not None else (0, len(text))
    tokens = tokenize(text[lo:hi], offset=lo)
    breaks: set[int] = set()  # index of the last token of a sentence
    for i, tok in enumerate(tokens[:-1]):
        if text[tok.end : tokens[i + 1].start].count("\n"):
            breaks.add(i)
            continue
        if tok.text not in _ENDERS:
            continue
        j = i + 1
        while (
            j < len(tokens) and tokens[j].text in _CLOSERS and tokens[j].start == tokens[j - 1].end
        ):
            j += 1
        if j >= len(tokens):
            continue
        nxt = tokens[j]
        prev = tokens[i - 1] if i > 0 else None
        if tok.text == "." and prev is not None and prev.end == tok.start:
            if prev.norm in abbrev:
                continue
            if prev.is_word and len(prev.text) == 1 and prev.is_upper:
                continue  # an initial: "G. Huseynov"
            if prev.is_digit and _starts_with_month(nxt.norm, month_words):
                continue  # "24. November"
        if nxt.is_upper or nxt.text in _OPENERS or nxt.is_digit or not nxt.is_word:
            breaks.add(j - 1)
    out: list[Sentence] = []
    current: list[Token] = []
    paragraph = 0
    for i, tok in enumerate(tokens):
        current.append(tok)
        if i in breaks or i == len(tokens) - 1:
            out.append(Sentence(current[0].start, current[-1].end, current, paragraph, len(out)))
            current = []
            if i + 1 < len(tokens) and text[tok.end : tokens[i + 1].start].count("\n") >= 2:
                paragraph += 1
    return out


def _starts_with_month(word: str, months: set[str]) -> bool:
    for m in months:
        if m.endswith("*") and word.startswith(m[:-1]):
            return True
        if word == m:
            return True
    return False


def small_int(text: str, max_digits: int) -> int | None:
    """``text`` as a whole number when it is a run of at most ``max_digits`` decimal digits.

    Bounded so that a hostile run of digits is neither converted at length nor refused by
    Python's limit on int conversion, and ``isdecimal`` because ``isdigit`` also accepts
    superscripts such as ``²``, which ``int`` rejects.

    Parameters
    ----------
    text
        A token's text.
    max_digits
        Longest run read.

    Returns
    -------
    int or None
        The number, or ``None`` for anything else or anything longer.

    Examples
    --------
    >>> small_int("2020", 4), small_int("12345", 4), small_int("²", 4)
    (2020, None, None)
    """
    if text.isdecimal() and len(text) <= max_digits:
        return int(text)
    return None
