"""Place mentions in a sentence and their resolution through :func:`damage_data.places.resolve_places`.

Names are found next to place nouns ("Tartar district", "Region Terter", "city of Ganja"),
after place prepositions (kept only when the resolver knows them), and as counted scopes
("40 villages of the district"). "X in Y" passes Y to the resolver as the parent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ._lexicon import Lexicon
from ._rules import PlaceCount
from ._tokens import Sentence, Token

#: Matches the resolver may give a bare capitalised word before we believe it is a place.
_SURE_MATCHES = ("code", "exact", "alias", "transliteration")


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
        if start is not None and ("'" in tok.norm and tok.norm.endswith("'s")):
            break
        start = j
        j -= 1
    return start


def _cap_run_after(tokens: Sequence[Token], k: int, stop: set[str]) -> int | None:
    """End (exclusive) of a run of capitalised words starting at token ``k``."""
    end = None
    j = k
    while j < len(tokens) and j - k < 3:
        tok = tokens[j]
        if tok.text in ("-", "‑") and end is not None and j + 1 < len(tokens) \
                and tokens[j + 1].is_upper:
            j += 1
            continue
        if not (tok.is_word and tok.is_upper) or tok.norm in stop:
            break
        end = j + 1
        j += 1
    return end


def _text(sentence: Sentence, text: str, lo: int, hi: int) -> str:
    return text[sentence.tokens[lo].start:sentence.tokens[hi - 1].end]


def find_mentions(sentence: Sentence, text: str, lex: Lexicon,
                  place_counts: list[PlaceCount]) -> list[Mention]:
    """Place mentions of one sentence, merged into "X in Y" and multi-place scopes."""
    tokens = sentence.tokens
    stop = lex.words("stop_tokens") | {norm for norm in lex.raw.get("detect", {}).get("stopwords", [])}
    stop |= {"the", "a", "an"}
    out: list[Mention] = []
    taken: set[int] = set()
    for k in range(len(tokens)):
        after = lex["place_nouns_after"].match_at(tokens, k)
        if after is not None and k > 0:
            s = _cap_run_before(tokens, k - 1, stop)
            if s == 0 and k - 1 > 0:
                s = 1  # a capitalised first word is the sentence's, not the name's ("Nəticədə Tərtər")
            if s is not None:
                name = _text(sentence, text, s, k)
                out.append(Mention(sentence, s, after[1], name, "named"))
                taken.update(range(s, after[1]))
                continue
        before = lex["place_nouns_before"].match_at(tokens, k)
        if before is not None and before[1] < len(tokens):
            e = _cap_run_after(tokens, before[1], stop)
            if e is not None and not (set(range(k, e)) & taken):
                out.append(Mention(sentence, k, e, _text(sentence, text, before[1], e), "named"))
                taken.update(range(k, e))
    preps = {p for p in lex.raw.get("place_prepositions", [])}
    free_caps = lex.lang in ("az", "tr", "ru", "uk")  # case endings hide the preposition
    k = 0
    while k < len(tokens):
        tok = tokens[k]
        if k in taken or not (tok.is_word and tok.is_upper) or tok.norm in stop or k == 0:
            k += 1
            continue
        prev = tokens[k - 1].norm
        if prev in preps or prev in ("the",) and k >= 2 and tokens[k - 2].norm in preps or free_caps:
            e = _cap_run_after(tokens, k, stop) or k + 1
            name = _text(sentence, text, k, e)
            if name.endswith("'s") or name.endswith("’s"):
                name = name[:-2]
            out.append(Mention(sentence, k, e, name, "weak"))
            taken.update(range(k, e))
            k = e
            continue
        k += 1
    for pc in place_counts:
        last = pc.last
        # "40 villages of the district", "40 Dörfern der Region Terter", "of Azerbaijan"
        ext = last
        for j in range(last, min(len(tokens), last + 6)):
            if tokens[j].norm in ("of", "der", "des", "jener", "dieser", "the", "this", "that",
                                  "and", "und", "və", "и", "та", "ve", ","):
                ext = j + 1
                continue
            if lex["exclude_nouns"].match_at(tokens, j) is not None or tokens[j].is_upper:
                m = lex["exclude_nouns"].match_at(tokens, j)
                ext = m[1] if m is not None else j + 1
                continue
            break
        while ext > last and tokens[ext - 1].norm in ("of", "der", "des", "the", "jener", "dieser",
                                                        "and", "und", "və", "и", "та", "ve", ","):
            ext -= 1
        inner = [m for m in out if m.first >= pc.first and m.last <= ext + 3 and m.first < ext + 3]
        out = [m for m in out if m not in inner]
        end = max([ext] + [m.last for m in inner])
        out.append(Mention(sentence, pc.first, end, _text(sentence, text, pc.first, end),
                           "count", members=inner))
    out.sort(key=lambda m: m.first)
    return _merge(out, tokens, lex)


def _merge(mentions: list[Mention], tokens: Sequence[Token], lex: Lexicon) -> list[Mention]:
    """Join "X in Y" into one mention with a parent, and "X and Y" into a multi-place scope."""
    parent_links = set(lex.raw.get("parent_links", []))
    joiners = {j for j in lex.raw.get("place_joiners", [])} | {",", "in", "den", "der", "the", "im"}
    out: list[Mention] = []
    for m in mentions:
        if out:
            prev = out[-1]
            gap = [t.norm for t in tokens[prev.last:m.first]]
            if len(gap) == 1 and gap[0] in parent_links and prev.kind in ("named", "weak") \
                    and m.kind in ("named", "weak") and prev.parent_text is None:
                prev.parent_text = m.name
                prev.last = m.last
                continue
            if gap and len(gap) <= 3 and all(g in joiners for g in gap) and any(
                    g in lex.raw.get("place_joiners", []) for g in gap):
                members = (prev.members if prev.kind == "multi" else [prev]) + [m]
                out[-1] = Mention(prev.sentence, prev.first, m.last, "", "multi", members=members)
                continue
        out.append(m)
    return out


def resolve_mentions(mentions: list[Mention], text: str, gazetteer: Any = None) -> None:
    """Resolve every named member in one call to the resolver; weak names must match well."""
    from damage_data.places import resolve_places  # lazy: the resolver builds an index

    named: list[Mention] = []
    for m in mentions:
        named.extend(_named_members(m))
    if not named:
        return
    kwargs: dict[str, Any] = {}
    if gazetteer is not None:
        kwargs["gazetteer"] = gazetteer
    table = resolve_places([m.name for m in named], parent=[m.parent_text for m in named],
                           **kwargs)
    for m, row in zip(named, table.to_dict("records"), strict=True):
        m.resolved = {k: (None if _isna(v) else v) for k, v in row.items()}


def _named_members(m: Mention) -> list[Mention]:
    if m.kind in ("named", "weak"):
        return [m]
    out: list[Mention] = []
    for member in m.members:
        out.extend(_named_members(member))
    return out


def _isna(value: object) -> bool:
    try:
        import pandas as pd

        return bool(pd.isna(value)) if not isinstance(value, list | tuple | dict) else False
    except (TypeError, ValueError):
        return False


def usable(m: Mention) -> bool:
    """Whether a mention counts as a place (weak names only when the resolver is sure)."""
    if m.kind == "weak":
        return bool(m.resolved) and m.resolved.get("match") in _SURE_MATCHES
    if m.kind in ("multi", "count"):
        return any(usable(x) for x in m.members) or m.kind == "count" or len(m.members) > 1
    return True


def describe(m: Mention, text: str) -> dict[str, Any]:
    """Place columns of a figure from its mention: text, parent, unit, level, match, flags."""
    flags: list[str] = []
    place_text = text[m.start:m.end]
    if m.kind in ("named", "weak"):
        r = m.resolved or {}
        place_text = m.name
        if m.parent_text:
            flags.append("parent_stated")
        reason = str(r.get("reason") or "")
        if "parent_conflict" in reason:
            flags.append("parent_conflict")
        match = r.get("match") or "unresolved"
        review = match not in _SURE_MATCHES or "parent_conflict" in flags
        return {"place_text": place_text, "parent_text": m.parent_text,
                "unit_code": r.get("unit_code"), "unit_name": r.get("unit_name"),
                "level": r.get("level"), "match": match, "flags": flags, "review": review}
    members = [x for x in _named_members(m) if usable(x)]
    units = {x.resolved.get("unit_code") for x in members if x.resolved and x.resolved.get("unit_code")}
    flags.append("multi_place" if m.kind == "multi" else "counted_places")
    if len(units) == 1 and all(x.resolved and x.resolved.get("unit_code") for x in members):
        first = members[0].resolved or {}
        return {"place_text": place_text, "parent_text": None, "unit_code": first.get("unit_code"),
                "unit_name": first.get("unit_name"), "level": first.get("level"),
                "match": first.get("match") or "unresolved", "flags": flags,
                "review": first.get("match") not in _SURE_MATCHES}
    return {"place_text": place_text, "parent_text": None, "unit_code": None, "unit_name": None,
            "level": None, "match": "unresolved", "flags": [*flags, "scope_not_one_unit"],
            "review": True}
