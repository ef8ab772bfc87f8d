"""Place mentions in a sentence and their resolution through :func:`damage_data.places.resolve_places`.

Names are found next to place nouns ("Tartar district", "Region Terter", "city of Ganja"),
after place prepositions (kept only when the resolver knows them), and as counted scopes
("40 villages of the district"). "X in Y" passes Y to the resolver as the parent.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ._items import PlaceCount
from ._lexicon import Lexicon
from ._tokens import Sentence, Token

logger = logging.getLogger(__name__)

#: Matches the resolver may give a bare capitalised word before we believe it is a place.
_SURE_MATCHES = ("code", "exact", "alias", "transliteration", "parent")
#: Locative endings after an apostrophe that mark a Turkish/Azerbaijani place ("Hatay'da").
_STRONG_PREPS = ("in", "im", "near", "at", "bei")
_LOCATIVE = ("da", "de", "ta", "te", "daki", "deki", "taki", "teki", "dakı")


@dataclass
class Mention:
    """A place named or counted in a sentence (token indexes are sentence-local)."""

    sentence: Sentence
    first: int
    last: int
    name: str  # what goes to the resolver
    kind: str  # named, weak, count, multi
    parent_text: str | None = None
    members: list[Mention] = field(default_factory=list)
    resolved: dict[str, Any] | None = None
    full: str | None = None  # name with its place noun ("Тертерском районе"), tried first
    hint: str | None = None  # district, city, village… from the place noun
    strong: bool = False  # a capitalised name after "in" / with "'da": a place even if unknown

    @property
    def start(self) -> int:
        return self.sentence.tokens[self.first].start

    @property
    def end(self) -> int:
        return self.sentence.tokens[self.last - 1].end


def _cap_run_before(tokens: Sequence[Token], k: int, stop: set[str]) -> int | None:
    """Start of a run of capitalised words ending at token ``k`` (inclusive)."""
    start = None
    j = k
    while j >= 0 and k - j < 3:
        tok = tokens[j]
        if tok.text in ("-", "‑") and j > 0 and start is not None:
            j -= 1
            continue
        if not (tok.is_word and tok.is_upper) or tok.norm in stop:
            break
        if start is not None and "'" in tok.norm:
            break  # "Azerbaijan's Tartar", "Azerbaycan'ın Terter": the possessor is not the name
        start = j
        j -= 1
    return start


def _cap_run_after(tokens: Sequence[Token], k: int, stop: set[str]) -> int | None:
    """End (exclusive) of a run of capitalised words starting at token ``k``."""
    end = None
    j = k
    while j < len(tokens) and j - k < 3:
        tok = tokens[j]
        if (
            tok.text in ("-", "‑")
            and end is not None
            and j + 1 < len(tokens)
            and tokens[j + 1].is_upper
        ):
            j += 1
            continue
        if not (tok.is_word and tok.is_upper) or tok.norm in stop:
            break
        end = j + 1
        j += 1
    return end


def _text(sentence: Sentence, text: str, lo: int, hi: int) -> str:
    return text[sentence.tokens[lo].start : sentence.tokens[hi - 1].end]


def find_mentions(
    sentence: Sentence, text: str, lex: Lexicon, place_counts: list[PlaceCount]
) -> list[Mention]:
    """Place mentions of one sentence, merged into "X in Y" and multi-place scopes."""
    tokens = sentence.tokens
    stop = lex.words("stop_tokens") | {
        norm for norm in lex.raw.get("detect", {}).get("stopwords", [])
    }
    stop |= {"the", "a", "an"}
    taken: set[int] = set()
    out = _named_mentions(sentence, text, lex, stop, taken)
    out += _capitalised_mentions(sentence, text, lex, stop, taken)
    for pc in place_counts:
        out = _with_counted_scope(sentence, text, lex, pc, out)
    out.sort(key=lambda m: m.first)
    return _merge(out, tokens, lex)


def _named_mentions(
    sentence: Sentence, text: str, lex: Lexicon, stop: set[str], taken: set[int]
) -> list[Mention]:
    """Names next to a place noun ("Tartar district", "city of Ganja") and anaphors ("the
    district"); the tokens they take are added to ``taken``."""
    tokens = sentence.tokens
    out: list[Mention] = []
    for k in range(len(tokens)):
        after = lex["place_nouns_after"].match_at(tokens, k)
        if after is not None and k > 0:
            s = _cap_run_before(tokens, k - 1, stop)
            if s == 0 and k - 1 > 0:
                s = 1  # a capitalised first word is the sentence's, not the name's ("Nəticədə Tərtər")
            if s is not None:
                name = _text(sentence, text, s, k)
                out.append(
                    Mention(
                        sentence,
                        s,
                        after[1],
                        name,
                        "named",
                        full=_text(sentence, text, s, after[1]),
                        hint=str(after[0].value),
                    )
                )
                taken.update(range(s, after[1]))
                continue
        before = lex["place_nouns_before"].match_at(tokens, k)
        if before is not None and before[1] < len(tokens):
            e = _cap_run_after(tokens, before[1], stop)
            if e is not None and not (set(range(k, e)) & taken):
                out.append(
                    Mention(
                        sentence,
                        k,
                        e,
                        _text(sentence, text, before[1], e),
                        "named",
                        full=_text(sentence, text, k, e),
                        hint=str(before[0].value),
                    )
                )
                taken.update(range(k, e))
                continue
        ana = lex["anaphora"].match_at(tokens, k)
        if (
            ana is not None
            and not (set(range(k, ana[1])) & taken)
            and not (
                ana[1] < len(tokens) and (tokens[ana[1]].is_upper or tokens[ana[1]].norm == "of")
            )
        ):
            out.append(Mention(sentence, k, ana[1], "", "anaphor", hint=str(ana[0].value)))
            taken.update(range(k, ana[1]))
    return out


def _capitalised_mentions(
    sentence: Sentence, text: str, lex: Lexicon, stop: set[str], taken: set[int]
) -> list[Mention]:
    """Capitalised names after a place preposition ("in Tartar"), at the head of a
    "Tartar: …" line, or anywhere in languages whose case endings hide the preposition;
    weak until the resolver knows them."""
    tokens = sentence.tokens
    out: list[Mention] = []
    preps = {p for p in lex.raw.get("place_prepositions", [])}
    joiners = {j for j in lex.raw.get("place_joiners", []) if " " not in j}
    free_caps = lex.lang in ("az", "tr", "ru", "uk")  # case endings hide the preposition
    k = 0
    while k < len(tokens):
        tok = tokens[k]
        if (
            k in taken
            or not (tok.is_word and tok.is_upper)
            or tok.norm in stop
            or lex["months"].match_at(tokens, k)
            or lex["weekdays"].match_at(tokens, k)
        ):
            k += 1
            continue
        prev = tokens[k - 1].norm if k > 0 else ""
        heading = k == 0 and any(t.text == ":" for t in tokens[1:3])  # "Tartar: 133 houses …"
        # "in Tartar, Barda and Aghjabadi": a name joined to the place before it is a place
        # too (names the resolver does not know are pruned from the scope later)
        listed = prev in joiners and k >= 2 and (k - 2) in taken
        if (
            heading
            or prev in preps
            or (prev in ("the",) and k >= 2 and tokens[k - 2].norm in preps)
            or listed
            or free_caps
        ):
            e = _cap_run_after(tokens, k, stop) or k + 1
            if k == 0 and e - k > 1 and not heading:
                k = 1  # the capitalised first word is the sentence's ("Depremde Hatay'da")
            name = _text(sentence, text, k, e)
            if name.endswith("'s") or name.endswith("’s"):
                name = name[:-2]
            strong = (prev in _STRONG_PREPS and k > 0) or (
                "'" in tokens[e - 1].norm and tokens[e - 1].norm.split("'")[-1] in _LOCATIVE
            )
            out.append(Mention(sentence, k, e, name, "weak", strong=strong))
            taken.update(range(k, e))
            k = e
            continue
        k += 1
    return out


#: Words that may stand between a counted place and what it is of ("40 villages of the
#: district", "40 Dörfern der Region Terter", "of Azerbaijan").
_SCOPE_WORDS = frozenset(
    {"of", "der", "des", "jener", "dieser", "the", "this", "that"}
    | {"and", "und", "və", "и", "та", "ve", ","}
)
#: Of those, the ones a scope does not end on (it may end on "this" or "that").
_SCOPE_NOT_LAST = _SCOPE_WORDS - {"this", "that"}


def _with_counted_scope(
    sentence: Sentence, text: str, lex: Lexicon, pc: PlaceCount, out: list[Mention]
) -> list[Mention]:
    """``out`` with a counted scope ("40 villages of the district") as one mention that
    holds the names inside it."""
    tokens = sentence.tokens
    last = pc.last
    ext = last
    for j in range(last, min(len(tokens), last + 6)):
        if tokens[j].norm in _SCOPE_WORDS:
            ext = j + 1
            continue
        if lex["exclude_nouns"].match_at(tokens, j) is not None or tokens[j].is_upper:
            m = lex["exclude_nouns"].match_at(tokens, j)
            ext = m[1] if m is not None else j + 1
            continue
        break
    while ext > last and tokens[ext - 1].norm in _SCOPE_NOT_LAST:
        ext -= 1
    inner = [m for m in out if m.first >= pc.first and m.last <= ext + 3 and m.first < ext + 3]
    out = [m for m in out if m not in inner]
    end = max([ext] + [m.last for m in inner])
    out.append(
        Mention(
            sentence,
            pc.first,
            end,
            _text(sentence, text, pc.first, end),
            "count",
            members=inner,
        )
    )
    return out


def _merge(mentions: list[Mention], tokens: Sequence[Token], lex: Lexicon) -> list[Mention]:
    """Join "X in Y" into one mention with a parent, and "X and Y" into a multi-place scope."""
    parent_links = set(lex.raw.get("parent_links", []))
    joiners = {j for j in lex.raw.get("place_joiners", [])} | {",", "in", "den", "der", "the", "im"}
    out: list[Mention] = []
    for m in mentions:
        if out:
            prev = out[-1]
            gap = [t.norm for t in tokens[prev.last : m.first]]
            if (
                not gap
                and prev.kind == "named"
                and prev.hint in ("district", "region")
                and m.kind in ("named", "weak")
                and m.hint in ("village", "settlement", "town", "city", None)
                and m.parent_text is None
            ):
                # "Goranboy rayonunun Tap Qaraqoyunlu kəndində": the district names the parent
                m.parent_text = prev.name
                m.first = prev.first
                out[-1] = m
                continue
            if (
                len(gap) == 1
                and gap[0] in parent_links
                and prev.kind in ("named", "weak")
                and m.kind in ("named", "weak")
                and prev.parent_text is None
            ):
                prev.parent_text = m.name
                prev.last = m.last
                continue
            if (
                gap
                and len(gap) <= 3
                and all(g in joiners for g in gap)
                and any(g in lex.raw.get("place_joiners", []) for g in gap)
            ):
                members = (prev.members if prev.kind == "multi" else [prev]) + [m]
                out[-1] = Mention(prev.sentence, prev.first, m.last, "", "multi", members=members)
                continue
        out.append(m)
    return out


_RU_ADJ = re.compile(r"^(\w+?)(ском|ского|скому|ским|ская|ской|скую|ский)\s+(район\w*|област\w*)$")
_UK_ADJ = re.compile(
    r"^(\w+?)(ському|ського|ським|ській|ської|ська|ську|ський)\s+(район\w*|област\w*)$"
)
_ENDINGS: dict[str, tuple[str, ...]] = {
    "ru": ("е", "у", "ом", "а", "и", "ой", "ы"),
    "uk": ("ові", "і", "у", "ом", "ою", "а", "и"),
    "az": (
        "ndə",
        "nda",
        "də",
        "da",
        "dən",
        "dan",
        "a",
        "ə",
        "ya",
        "yə",
        "nın",
        "nin",
        "ın",
        "in",
        "un",
        "ün",
    ),
    "tr": ("da", "de", "ta", "te", "dan", "den", "a", "e", "ya", "ye", "nın", "nin", "ın", "in"),
}


def name_variants(name: str, lang: str) -> list[str]:
    """Forms of a place name to try, most literal first: case endings and adjectives undone.

    The resolver knows nominative names; press text inflects them ("в Тертерском районе",
    "у Херсоні", "Hatay'da", "Tərtərdə"). These variants are only tried in turn, and only a
    certain match of one of them is kept.

    >>> name_variants("Тертерском районе", "ru")[:2]
    ['Тертерском районе', 'Тертерский район']
    """
    out = [name]
    base = re.split(r"['’]", name)[0] if lang in ("az", "tr") else name
    if base != name:
        out.append(base)
    m = _RU_ADJ.match(name) if lang == "ru" else _UK_ADJ.match(name) if lang == "uk" else None
    if m:
        stem, noun = m.group(1), m.group(3)
        if lang == "ru":
            out.append(f"{stem}ский район" if noun.startswith("район") else f"{stem}ская область")
        else:
            out.append(f"{stem}ський район" if noun.startswith("район") else f"{stem}ська область")
    if " " not in base:
        for ending in _ENDINGS.get(lang, ()):
            if base.endswith(ending) and len(base) - len(ending) >= 3:
                stem = base[: -len(ending)]
                out.append(stem)
                if lang in ("ru", "uk"):
                    out += [stem + "а", stem + "я", stem + "ь", stem + "о"]
                if lang == "uk" and len(stem) >= 3 and stem[-2] in "оеє":
                    # Харкову → Харків, Миколаєві → Миколаїв
                    out.append(stem[:-2] + ("ї" if stem[-2] == "є" else "і") + stem[-1])
    return list(dict.fromkeys(out))


def resolve_mentions(
    mentions: list[Mention], *, gazetteer: Any = None, lang: str = "en"
) -> list[Mention]:
    """Resolve every named member through the resolver, trying inflected forms in turn.

    Returns the mentions with multi-place scopes pruned of names that are no place.
    """
    from damage_data.places import resolve_places  # lazy: the resolver builds an index

    named: list[Mention] = []
    for m in mentions:
        named.extend(_named_members(m))
    if named:
        kwargs: dict[str, Any] = {}
        if gazetteer is not None:
            kwargs["gazetteer"] = gazetteer
        queries: list[tuple[int, str, str | None]] = []
        for i, m in enumerate(named):
            forms = ([*name_variants(m.full, lang)] if m.full else []) + name_variants(m.name, lang)
            for variant in dict.fromkeys(forms):
                queries.append((i, variant, m.parent_text))
        # the variants are guesses: the resolver's own review warning would list them all,
        # so it is held back here and the mentions left unresolved are logged below
        places_logger = logging.getLogger("damage_data.places")
        level = places_logger.level
        places_logger.setLevel(logging.ERROR)
        try:
            table = resolve_places(
                [q[1] for q in queries], parent=[q[2] for q in queries], **kwargs
            )
        finally:
            places_logger.setLevel(level)
        rows = table.to_dict("records")
        for (i, _variant, _parent), row in zip(queries, rows, strict=True):
            clean = {str(k): (None if _isna(v) else v) for k, v in row.items()}
            current = named[i].resolved
            if current is None or (
                current.get("match") not in _SURE_MATCHES and clean.get("match") in _SURE_MATCHES
            ):
                named[i].resolved = clean
    for m in named:
        if m.kind == "named" and not (m.resolved and m.resolved.get("match") in _SURE_MATCHES):
            logger.info(
                "place %r not resolved for sure (%s); its figures go to review",
                m.name,
                (m.resolved or {}).get("reason") or "no match",
            )
    return [p for p in (_prune(m) for m in mentions) if p is not None]


def _prune(m: Mention) -> Mention | None:
    """Drop weak names the resolver does not know from a scope; a scope of one is that one."""
    if m.kind in ("named", "weak", "count", "anaphor"):
        return m
    members = [x for x in m.members if usable(x)]
    if not members:
        return None
    if len(members) == 1:
        return members[0]
    return Mention(m.sentence, members[0].first, members[-1].last, "", "multi", members=members)


def _named_members(m: Mention) -> list[Mention]:
    if m.kind in ("named", "weak"):
        return [m]
    out: list[Mention] = []
    for member in m.members:
        out.extend(_named_members(member))
    return out


def _isna(value: object) -> bool:
    """Whether a cell is missing (None, NaN, NA, NaT); lists and dicts never are."""
    if value is None or isinstance(value, list | tuple | dict):
        return value is None
    import pandas as pd

    missing: Any = pd.isna(value)  # type: ignore[call-overload]
    return bool(missing) if isinstance(missing, bool) else False


def usable(m: Mention) -> bool:
    """Whether a mention counts as a place (weak names only when the resolver is sure)."""
    if m.kind == "weak":
        return m.strong or (m.resolved is not None and m.resolved.get("match") in _SURE_MATCHES)
    if m.kind == "anaphor":
        return False
    if m.kind == "multi":
        return any(usable(x) for x in m.members)
    return True


def carries(m: Mention) -> bool:
    """Whether a mention may stand for the following sentences (a named or resolved place)."""
    if m.kind == "count":
        return any(carries(x) for x in m.members)
    if m.kind == "multi":
        return any(carries(x) for x in m.members)
    return usable(m)


def describe(m: Mention, text: str) -> dict[str, Any]:
    """Place columns of a figure from its mention: text, parent, unit, level, match, flags."""
    flags: list[str] = []
    place_text = text[m.start : m.end]
    if m.kind in ("named", "weak"):
        r = m.resolved or {}
        place_text = m.name
        if "'" in place_text.replace("’", "'") and m.kind == "weak":
            place_text = re.split(r"['’]", place_text)[0]
        if m.parent_text:
            flags.append("parent_stated")
        reason = str(r.get("reason") or "")
        if "parent_conflict" in reason:
            flags.append("parent_conflict")
        match = r.get("match") or "unresolved"
        review = match not in _SURE_MATCHES or "parent_conflict" in flags
        small = r.get("level") == "settlement" or m.hint in ("village", "town", "settlement")
        return {
            "place_text": place_text,
            "parent_text": m.parent_text,
            "settlement": place_text if small else None,
            "unit_code": r.get("unit_code"),
            "unit_name": r.get("unit_name"),
            "level": r.get("level"),
            "match": match,
            "flags": flags,
            "review": review,
        }
    members = [x for x in _named_members(m) if usable(x)]
    units = {
        x.resolved.get("unit_code") for x in members if x.resolved and x.resolved.get("unit_code")
    }
    flags.append("multi_place" if m.kind == "multi" else "counted_places")
    if len(units) == 1 and all(x.resolved and x.resolved.get("unit_code") for x in members):
        first = members[0].resolved or {}
        return {
            "place_text": place_text,
            "parent_text": None,
            "unit_code": first.get("unit_code"),
            "unit_name": first.get("unit_name"),
            "level": first.get("level"),
            "match": first.get("match") or "unresolved",
            "flags": flags,
            "review": first.get("match") not in _SURE_MATCHES,
        }
    return {
        "place_text": place_text,
        "parent_text": None,
        "unit_code": None,
        "unit_name": None,
        "level": None,
        "match": "unresolved",
        "flags": [*flags, "scope_not_one_unit"],
        "review": True,
    }


def resolve_anaphora(mentions: dict[int, list[Mention]]) -> None:
    """Point "the district", "rayonda", "в области" at the last place of that kind named."""
    history: list[Mention] = []
    for index in sorted(mentions):
        current = mentions[index]
        for pos, m in enumerate(current):
            if m.kind == "anaphor":
                same = [h for h in history if h.hint == m.hint] or [
                    h for h in history if carries(h)
                ]
                if same:
                    target = same[-1]
                    current[pos] = Mention(
                        m.sentence,
                        m.first,
                        m.last,
                        target.name,
                        target.kind,
                        parent_text=target.parent_text,
                        members=target.members,
                        resolved=target.resolved,
                        full=target.full,
                        hint=target.hint,
                        strong=target.strong,
                    )
                continue
            if usable(m):
                history.append(m)
        mentions[index] = [m for m in current if m.kind != "anaphor"]
