"""Language of a passage from its script and stop words; garbled text from mojibake."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter

from ._lexicon import LANGUAGES, lexicon, shared
from ._tokens import tokenize


def _script(char: str) -> str | None:
    if not char.isalpha():
        return None
    try:
        name = unicodedata.name(char)
    except ValueError:
        return None
    for script in ("LATIN", "CYRILLIC", "ARMENIAN", "GEORGIAN", "ARABIC", "HEBREW", "GREEK"):
        if name.startswith(script):
            return script.capitalize()
    if "CJK" in name or "HIRAGANA" in name or "KATAKANA" in name or "HANGUL" in name:
        return "CJK"
    return "Other"


def garbled_share(text: str) -> float:
    """Share of characters that belong to mojibake sequences (UTF-8 read as Latin-1…)."""
    if not text:
        return 0.0
    hits = sum(text.count(marker) * len(marker) for marker in shared()["mojibake_markers"])
    return hits / max(1, len(text))


#: Longest text whose every word is read to tell its language; a longer one is told from
#: evenly spaced samples of about this many characters in all (reading each word of a
#: 400 KB text against six lexicons took seconds, and one language runs through it).
SAMPLE_CHARS = 10_000
_SAMPLES = 5


def detect_language(text: str) -> str:
    """Tell the language of a passage from its script, stop words and lexicon words.

    Parameters
    ----------
    text
        The passage; a text longer than :data:`SAMPLE_CHARS` characters is told from
        evenly spaced samples of it.

    Returns
    -------
    str
        ``en``, ``az``, ``ru``, ``uk``, ``tr``, ``de``, ``fr`` or ``hy`` (the languages read);
        another ISO code for a script told apart but not read (``ka``, ``ar`` …); ``und``
        when it cannot be told.

    Examples
    --------
    >>> detect_language("So far, 133 houses have been completely destroyed.")
    'en'
    >>> detect_language("646 evə ziyan dəyib")
    'az'
    >>> detect_language("12 345")
    'und'
    """
    return _detect(_sample(text))


def _sample(text: str) -> str:
    """The text itself, or for a long text evenly spaced runs of whole words from it."""
    if len(text) <= SAMPLE_CHARS:
        return text
    size = SAMPLE_CHARS // _SAMPLES
    step = (len(text) - size) // (_SAMPLES - 1)
    parts: list[str] = []
    for i in range(_SAMPLES):
        chunk = text[i * step : i * step + size]
        # whole words only: the words cut at either end are left out
        lo = _WHITESPACE.search(chunk)
        hi = max((m.start() for m in _WHITESPACE.finditer(chunk)), default=len(chunk))
        parts.append(chunk[(lo.end() if lo and i else 0) : (hi if i < _SAMPLES - 1 else None)])
    return "\n".join(parts)


_WHITESPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=1024)
def _detect(text: str) -> str:
    scripts = Counter(s for s in map(_script, text) if s)
    if not scripts:
        return "und"
    script, _ = scripts.most_common(1)[0]
    if script == "Cyrillic":
        uk_marks = sum(text.count(c) for c in "іїєґІЇЄҐ")
        ru_marks = sum(text.count(c) for c in "ыэъёЫЭЪЁ")
        if uk_marks == ru_marks:
            # no letter tells them apart ("Зруйновано два будинки"): the words each lexicon knows
            tokens = tokenize(text)
            known = {
                lang: sum(
                    1
                    for k, t in enumerate(tokens)
                    if t.is_word
                    and any(lexicon(lang)[s].match_at(tokens, k) for s in ("damage", "structures"))
                )
                for lang in ("uk", "ru")
            }
            return "uk" if known["uk"] > known["ru"] else "ru"
        return "uk" if uk_marks > ru_marks else "ru"
    if script != "Latin":
        return str(shared()["scripts"].get(script, "und"))
    tokens = tokenize(text)
    words = [t.norm for t in tokens if t.is_word]
    if "ə" in text.lower() or "ǝ" in text:
        return "az"
    scores: dict[str, float] = {}
    for lang in LANGUAGES:
        if lang in ("ru", "uk", "hy"):
            continue  # not Latin script
        stop = {w.lower() for w in lexicon(lang).raw.get("detect", {}).get("stopwords", [])}
        score = float(sum(1 for w in words if w in stop))
        # short passages have few stop words: words the lexicon knows count too
        lex = lexicon(lang)
        score += 0.5 * sum(
            1
            for k, t in enumerate(tokens)
            if t.is_word
            and len(t.norm) > 3
            and any(lex[section].match_at(tokens, k) for section in ("damage", "structures"))
        )
        chars = lexicon(lang).raw.get("detect", {}).get("chars", "")
        score += 0.5 * sum(text.count(c) for c in chars)
        scores[lang] = score
    if "ı" in text or "ğ" in text or "ş" in text:
        scores["tr"] = scores.get("tr", 0) + 2
    best = max(scores, key=lambda k: scores[k])
    runner_up = max((v for k, v in scores.items() if k != best), default=0.0)
    # a headline such as "Kharkiv: 17 houses damaged, 4 destroyed." has no stop word, and
    # "in" is English and German: known words of one language, clearly ahead, still tell it
    clear = scores[best] >= 1.5 and scores[best] - runner_up >= 0.5
    if (scores[best] < 2 and not clear) or (len(words) >= 12 and scores[best] < 0.08 * len(words)):
        return "und"
    return best


def language_blocks(text: str, *, min_words: int = 6) -> list[tuple[int, int, str]]:
    """Runs of paragraphs in one language: ``(start, end, lang)``; one run for most texts.

    Short paragraphs (datelines, headlines) and undetectable ones take the language of
    their neighbours, so only a real change of language ("… said in a statement:" followed
    by the statement in Azerbaijani) splits the text.

    >>> language_blocks("Tərtər rayonunda 646 evə ziyan dəyib.")
    [(0, 37, 'az')]
    """
    whole = detect_language(text)
    paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]
    langs: list[str | None] = []
    for start, end in paragraphs:
        chunk = text[start:end]
        words = sum(1 for w in chunk.split() if any(c.isalpha() for c in w))
        found: str | None = detect_language(chunk)
        if words < min_words and found not in _OTHER_SCRIPTS:
            found = None  # too short to tell, unless its script alone says it (Armenian…)
        # an unsupported script keeps its code (its paragraphs go to review); "und" inherits
        langs.append(found if found not in (None, "und") else None)
    known = [lg for lg in langs if lg is not None]
    if len(set(known)) <= 1:
        return [(0, len(text), whole)]
    # fill the gaps from the nearest paragraph before (or after) that has a language
    filled = _fill_gaps(langs)
    blocks: list[tuple[int, int, str]] = []
    for (start, end), lg in zip(paragraphs, filled, strict=True):
        if blocks and blocks[-1][2] == lg:
            blocks[-1] = (blocks[-1][0], end, lg)
        else:
            blocks.append((start if blocks else 0, end, lg))
    first, last = blocks[0], blocks[-1]
    blocks[-1] = (last[0], len(text), last[2]) if len(blocks) > 1 else (0, len(text), first[2])
    return blocks


def _fill_gaps(langs: list[str | None]) -> list[str]:
    """Each unknown language taken from the nearest paragraph before that has one (else
    the nearest after); at least one is known.

    >>> _fill_gaps([None, "en", None, "az", None])
    ['en', 'en', 'en', 'az', 'az']
    """
    before: list[str | None] = []
    last: str | None = None
    for lg in langs:
        last = lg if lg is not None else last
        before.append(last)
    after: list[str | None] = []
    nxt: str | None = None
    for lg in reversed(langs):
        nxt = lg if lg is not None else nxt
        after.append(nxt)
    after.reverse()
    out: list[str] = []
    for b, a in zip(before, after, strict=True):
        chosen = b if b is not None else a
        assert chosen is not None
        out.append(chosen)
    return out


#: Languages known from their script alone (all unsupported: their text goes to review).
_OTHER_SCRIPTS = frozenset(str(v) for v in shared()["scripts"].values())


#: A paragraph: text between blank lines.
_PARAGRAPH = re.compile(r"\S(?:.|\n(?![ \t]*\n))*", re.UNICODE)
