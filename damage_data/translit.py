"""Folding place names to a script-free key, so "Kəlbəcər", "Kelbadzhar" and "Кельбаджар" meet.

The key is for matching only, never for display. It transliterates Cyrillic (Russian and
Ukrainian) and Armenian to Latin, then folds the spellings that romanisations disagree on:
Azerbaijani letters (ə ğ ş ç ı ö ü x q c), English digraphs (kh, sh, zh, dzh, ch) and vowels
that romanisations swap (e/a/ə, y/i/ı). Written by hand because the libraries that exist
(``unidecode``, ``transliterate``) turn *one* script into ASCII but do not fold the variant
romanisations onto each other, which is what matching needs; the tables below are small
and reviewed like data.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import groupby
from typing import NamedTuple

__all__ = ["FoldVariants", "exact_key", "fold", "fold_ascii", "fold_variants", "to_latin"]

# Russian and Ukrainian Cyrillic to Latin (roughly the Ukrainian national and BGN/PCGN
# systems). Ukrainian г is h, Russian г is g: fold() later merges h and g, so one table
# serves both languages.
_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "є": "ye",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "і": "i",
    "ї": "yi",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ў": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "ј": "j",
    "џ": "dzh",
    "ђ": "dj",
    "ћ": "ch",
    "љ": "lj",
    "њ": "nj",
    "ә": "ə",
    "ғ": "gh",
    "қ": "q",
    "ң": "n",
    "ө": "o",
    "ү": "u",
    "һ": "h",
}

# Eastern Armenian to Latin (BGN/PCGN-like). "ու" is handled before the single letters.
_ARMENIAN = {
    "ա": "a",
    "բ": "b",
    "գ": "g",
    "դ": "d",
    "ե": "e",
    "զ": "z",
    "է": "e",
    "ը": "ə",
    "թ": "t",
    "ժ": "zh",
    "ի": "i",
    "լ": "l",
    "խ": "kh",
    "ծ": "ts",
    "կ": "k",
    "հ": "h",
    "ձ": "dz",
    "ղ": "gh",
    "ճ": "ch",
    "մ": "m",
    "յ": "y",
    "ն": "n",
    "շ": "sh",
    "ո": "o",
    "չ": "ch",
    "պ": "p",
    "ջ": "j",
    "ռ": "r",
    "ս": "s",
    "վ": "v",
    "տ": "t",
    "ր": "r",
    "ց": "ts",
    "ւ": "v",
    "փ": "p",
    "ք": "k",
    "և": "ev",
    "օ": "o",
    "ֆ": "f",
}

_SCRIPT_TABLE = str.maketrans({**_CYRILLIC, **_ARMENIAN})

# Latin letters with their own sound value, mapped before diacritics are stripped.
_LATIN_SPECIAL = str.maketrans(
    {
        "ə": "a",
        "ǝ": "a",
        "ä": "a",
        "æ": "a",
        "ş": "sh",
        "š": "sh",
        "ś": "sh",
        "ç": "ch",
        "č": "ch",
        "ć": "ts",
        "ğ": "gh",
        "ġ": "gh",
        "ı": "i",
        "ž": "zh",
        "ź": "zh",
        "ż": "zh",
        "ö": "o",
        "ø": "o",
        "ü": "u",
        "ß": "ss",
        "đ": "dj",
        "ł": "l",
    }
)

# Digraphs first (longest first), each folded to one placeholder letter so that single
# letters cannot be re-read afterwards: J = dʒ/ʒ, X = kh, S = sh, C = tʃ.
_DIGRAPHS = {
    "dzh": "J",
    "tsch": "C",
    "tch": "C",
    "sch": "S",
    "dz": "J",
    "dj": "J",
    "zh": "J",
    "kh": "X",
    "sh": "S",
    "ch": "C",
    "gh": "g",
    "ph": "f",
    "th": "t",
}
# applied in this order with str.replace (faster than one regex with a callback); longer
# digraphs come before the shorter ones they contain
_DIGRAPH_ORDER = sorted(_DIGRAPHS, key=len, reverse=True)

# Single letters after the digraphs: Azerbaijani c is dʒ, x is kh, q is g (Qubadlı →
# Gubadly); h and g are swapped between Ukrainian and Russian romanisations; e/a and y/i
# are what romanisations of ə and ы/и disagree on.
_SINGLE = str.maketrans(
    {
        "c": "J",
        "j": "J",
        "x": "X",
        "q": "g",
        "h": "g",
        "w": "v",
        "e": "a",
        "y": "i",
    }
)

_INITIAL_Y = re.compile(r"(?<![^\W\d_])y(?=[aeiou])")
_NOT_KEY = re.compile(r"[^0-9a-zJXSC]+")
_SPACES = re.compile(r"\s+")
_REPEATS = re.compile(r"(.)\1")
_APOSTROPHES = re.compile(r"['’ʼʻ`´ʹ\u02bc]")
# the special letters, with apostrophes dropped in the same pass
_LATIN_SPECIAL_NO_APOSTROPHE = {
    **_LATIN_SPECIAL,
    **{ord(ch): None for ch in "'’ʼʻ`´ʹ\u02bc"},
}


def to_latin(text: str) -> str:
    """Lower-case ``text`` and transliterate Cyrillic and Armenian letters to Latin.

    Examples
    --------
    >>> to_latin("Степанакерт")
    'stepanakert'
    >>> to_latin("Շուշի")
    'shushi'
    """
    lowered = unicodedata.normalize("NFC", text).casefold()
    lowered = lowered.replace("ու", "u").replace("ǝ", "ə")
    return lowered.translate(_SCRIPT_TABLE)


@lru_cache(maxsize=200_000)
def exact_key(text: str) -> str:
    """The key for exact and alias matches: NFC, case-folded, one space, ǝ read as ə.

    Examples
    --------
    >>> exact_key("  Kǝngǝrli ") == exact_key("kəngərli")
    True
    """
    text = unicodedata.normalize("NFC", str(text)).replace("ǝ", "ə").replace("Ə", "ə")
    text = _APOSTROPHES.sub("'", text)
    return _SPACES.sub(" ", text).strip().casefold()


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """The transliteration key of a name: script-free, diacritic-free, spelling-folded.

    Two names with the same key are the same name written in different scripts or
    romanisations. Spaces, hyphens and punctuation are dropped; repeated letters count once.

    Examples
    --------
    >>> fold("Kəlbəcər") == fold("Kelbadzhar") == fold("Кельбаджар") == fold("Kalbajar")
    True
    >>> fold("Şuşa") == fold("Shusha") == fold("Шуша")
    True
    >>> fold("Terter") == fold("Tərtər")
    True
    """
    latin = to_latin(text).translate(_LATIN_SPECIAL_NO_APOSTROPHE)
    # strip the remaining diacritics (é → e, ṙ → r, c̣ → c)
    if not latin.isascii():
        latin = "".join(
            ch for ch in unicodedata.normalize("NFKD", latin) if not unicodedata.combining(ch)
        )
    if "y" in latin:
        latin = _INITIAL_Y.sub("", latin)
    for digraph in _DIGRAPH_ORDER:
        if digraph in latin:
            latin = latin.replace(digraph, _DIGRAPHS[digraph])
    latin = latin.translate(_SINGLE)
    latin = _NOT_KEY.sub("", latin)
    if _REPEATS.search(latin):
        latin = "".join(letter for letter, _ in groupby(latin))
    return latin


# Adjective endings of Russian/Ukrainian (and their romanisations) after folding: -ский,
# -ський, -ская, -ська, -ское, -skyi, -skaya, -skoye… ("Физулинский" → "fizulinski",
# "Kharkivska" → "Xarkivska", "Oktyabr'skoye" → "oktiabrskoia").
_ADJECTIVE = re.compile(r"^(?P<stem>[0-9a-zJXSC]{3,}?)sk(?:aia|oia|ia|oa|oi|a|i|o)?$")


class FoldVariants(NamedTuple):
    """The keys of one name: its fold key, the same adjective with a neutral ending, and
    the base nouns the adjective may come from."""

    key: str
    same: tuple[str, ...]
    bases: tuple[str, ...]


@lru_cache(maxsize=200_000)
def fold_variants(text: str) -> FoldVariants:
    """``fold(text)`` and, for a one-word adjective form, its other keys.

    "Физулинский" has the neutral form ``fizulinsk`` (the same word as "Fizulinskaya" or
    "Фізулінське") and the base nouns ``fizulin`` and ``fizuli``: the district adjective of
    Russian and Ukrainian names ends in -ский/-ська, sometimes after an inserted -н-. Names
    of several words have no variants ("Belaya Skala" is not an adjective of "Belaya").

    Examples
    --------
    >>> v = fold_variants("Физулинский")
    >>> v.key, v.same, fold("Fizuli") in v.bases
    ('fizulinski', ('fizulinsk',), True)
    >>> fold_variants("Oktyabr'skoye").same == fold_variants("Октябрьское").same
    True
    """
    key = fold(text)
    if "sk" not in key or len(text.split()) != 1:
        return FoldVariants(key, (), ())
    m = _ADJECTIVE.match(key)
    if m is None:
        return FoldVariants(key, (), ())
    stem = m.group("stem")
    if stem + "sk" == key:  # Donetsk, Kramatorsk: a noun, not an adjective
        return FoldVariants(key, (), ())
    same = (stem + "sk",)
    bases = (stem, stem[:-1]) if stem.endswith("n") and len(stem) > 3 else (stem,)
    return FoldVariants(key, same, bases)


# What Azerbaijani and Turkish letters become when a keyboard or system drops them:
# "Ağdaş" → "Agdas", "Laçın" → "Lacin", "Şəki" → "Seki".
_ASCII_DEGRADED = str.maketrans(
    {
        "ş": "s",
        "Ş": "S",
        "ç": "c",
        "Ç": "C",
        "ğ": "g",
        "Ğ": "G",
        "ı": "i",
        "İ": "I",
        "ə": "e",
        "Ə": "E",
        "ǝ": "e",
        "ö": "o",
        "Ö": "O",
        "ü": "u",
        "Ü": "U",
    }
)


def fold_ascii(text: str) -> str:
    """The key of ``text`` written without its Azerbaijani letters, as plain-ASCII data has it.

    Examples
    --------
    >>> fold_ascii("Laçın") == fold("Lacin"), fold("Laçın") == fold("Lacin")
    (True, False)
    """
    return fold(text.translate(_ASCII_DEGRADED))
