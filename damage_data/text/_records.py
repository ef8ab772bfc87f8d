"""Figure records (rows of the ``figures`` table) from the items of a text: evidence span,
place, dates, bounds, status and flags; review records for garbled and unsupported text."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from typing import Any

from .._errors import UnknownLabelError
from ..tables import figure_id, join_flags
from ._dates import DateMention, find_dates
from ._detect import garbled_share
from ._items import Item, SentenceResult
from ._lexicon import Lexicon
from ._linking import dateline_sentences, drop_restated, headline_sentences
from ._numbers import Number
from ._placing import Mention, carries, describe, usable
from ._tokens import Sentence, sentences

logger = logging.getLogger(__name__)


def _context_dates(
    sents: list[Sentence], lex: Lexicon, pub: dt.date | None
) -> dict[int, list[DateMention]]:
    return {s.index: find_dates(s.tokens, lex, pub) for s in sents}


def _has(lex: Lexicon, section: str, sent: Sentence) -> tuple[int, int] | None:
    for k in range(len(sent.tokens)):
        m = lex[section].match_at(sent.tokens, k)
        if m is not None:
            return k, m[1]
    return None


def figure_rows(
    text: str,
    sents: list[Sentence],
    results: list[SentenceResult],
    items: list[Item],
    mentions: dict[int, list[Mention]],
    lex: Lexicon,
    sid: str,
    pub: dt.date | None,
) -> list[dict[str, Any]]:
    dates = _context_dates(sents, lex, pub)
    if pub is None:
        # "BAKU, 15 November 2020." dates the whole report, not the two sentences after it
        dated = [d for i in sorted(dateline_sentences(sents, dates)) for d in dates.get(i, [])]
        if dated:
            pub = dated[0].date
            dates = _context_dates(sents, lex, pub)
    text_cumulative = any(_has(lex, "cumulative_cues", s) for s in sents) or any(
        d.role == "since" for ds in dates.values() for d in ds
    )
    # a count with no damage phrase of its own goes to review only when its sentence speaks of
    # damage (ambiguous attachment); elsewhere it is no damage figure ("the village has 300 houses")
    damage_sentences = {
        res.items[0].sentence.index
        for res in results
        if res.items and any(p.state != "exclude" and not p.negated for p in res.phrases)
    }
    dateline = dateline_sentences(sents, dates)
    place_by_sentence: dict[int, Mention | None] = {}
    last_place: Mention | None = None
    for s in sents:
        usable_here = [m for m in mentions.get(s.index, []) if usable(m)]
        carried = [m for m in usable_here if carries(m)]
        if s.index not in dateline and carried:
            last_place = carried[-1]
        place_by_sentence[s.index] = last_place

    rows: list[dict[str, Any]] = []
    ids: dict[int, str] = {}
    out_items: list[Item] = []
    for item in items:
        if item.excluded is not None:
            logger.info(
                "not a damage figure (%s): %r",
                item.excluded,
                text[
                    item.sentence.tokens[item.first].start : item.sentence.tokens[item.last - 1].end
                ],
            )
            continue
        if item.damage is not None and item.damage.state == "none" and item.num.kind != "negation":
            logger.info("undamaged count, no damage figure: %r", item.structure_text)
            continue
        if item.damage is None and not (
            item.sentence.index in damage_sentences
            and item.kind in ("noun", "unknown_noun", "garbled", "percent")
        ):
            logger.info("no damage phrase for %r; not a figure", item.structure_text)
            continue
        out_items.append(item)
    own_places: dict[int, set[str]] = {}
    for s in sents:
        here = {m.name.lower() for m in mentions.get(s.index, []) if usable(m)}
        carried_in = place_by_sentence.get(s.index - 1) if s.index > 0 else None
        own_places[s.index] = here or ({carried_in.name.lower()} if carried_in else set())
    out_items = drop_restated(out_items, headline_sentences(text, sents), own_places)
    for item in out_items:
        ids[id(item)] = ""
        if item.parent is not None and not item.parent.count:
            item.parent = None  # "none destroyed" holds nothing: it parents no subset
    ends: dict[tuple[int, int], int] = {}
    for item in items:
        key = (item.sentence.index, item.group)
        ends[key] = max(ends.get(key, 0), item.last)
    group_end = {id(item): ends[(item.sentence.index, item.group)] for item in items}
    for n, item in enumerate(out_items):
        row = _row(
            text,
            item,
            lex,
            sid,
            pub,
            dates,
            text_cumulative,
            mentions,
            place_by_sentence,
            group_end,
        )
        row["figure_id"] = figure_id(sid, row["locator"], n)
        ids[id(item)] = row["figure_id"]
        rows.append(row)
    by_item = {id(item): row for item, row in zip(out_items, rows, strict=True)}
    for item, row in zip(out_items, rows, strict=True):
        parent_row = by_item.get(id(item.parent)) if item.parent is not None else None
        if (
            parent_row is not None
            and "part_of_inspected" in row["flags"]
            and (parent_row["place_text"] != row["place_text"])
        ):
            # an inspected total of another place is no parent ("Fuzuli: 325 inspected …
            # In Jabrayil 47 damaged")
            row["flags"].remove("part_of_inspected")
            parent_row = None
        if item.parent is not None and parent_row is not None:
            row["subset_of"] = ids[id(item.parent)]
            parent_count = item.parent.count
            if item.count_unit != item.parent.count_unit:
                # "914 будинків (51698 квартири)": the units inside the parent's buildings
                row["flags"].append("units_of_parent")
            elif parent_count is not None and item.count is not None and item.count > parent_count:
                row["flags"].append("subset_larger_than_parent")
                row["status"] = "needs_review"
        if item.same is not None and ids.get(id(item.same)):
            row["same_as"] = ids[id(item.same)]
    _plausibility(rows)
    for row in rows:
        row["flags"] = join_flags(row["flags"])
    return rows


def _plausibility(rows: list[dict[str, Any]]) -> None:
    """A count a thousand times another of the same state and place in one text is a
    garble or a slip of units ("86.870.000 Häuser" beside "86.870"): a person checks it."""
    counted = [r for r in rows if r["count"] is not None and r["count"] > 0]
    # keyed by what must agree, so that a text of thousands of figures stays linear
    seen = {(r["count"], r["damage"], r["place_text"]) for r in counted}
    for big in counted:
        if (
            big["count"] % 1000 == 0
            and (big["count"] // 1000, big["damage"], big["place_text"]) in seen
            and "thousandfold_of_another" not in big["flags"]
        ):
            big["flags"].append("thousandfold_of_another")
            big["status"] = "needs_review"


def _evidence(item: Item) -> tuple[int, int]:
    tokens = item.sentence.tokens
    lo, hi = item.first, item.last
    if item.inner is not None:
        lo, hi = min(lo, item.inner.start), max(hi, item.inner.end)
    d = item.damage
    if d is not None and item.damage_source == "trailing" and d.start >= hi and item.group_last:
        gap = tokens[hi : d.start]
        if not any(t.text in (",", ";", "(") for t in gap) or item.kind == "subset_after":
            hi = d.end
    if (
        d is not None
        and item.damage_source == "leading"
        and d.end <= lo
        and lo - d.end <= 3
        and not any(t.text in (",", ";", "(", ")") for t in tokens[d.end : lo])
    ):
        lo = d.start
    return tokens[lo].start, tokens[hi - 1].end


def _row(
    text: str,
    item: Item,
    lex: Lexicon,
    sid: str,
    pub: dt.date | None,
    dates: dict[int, list[DateMention]],
    text_cumulative: bool,
    mentions: dict[int, list[Mention]],
    place_by_sentence: dict[int, Mention | None],
    group_end: dict[int, int],
) -> dict[str, Any]:
    start, end = _evidence(item)
    num = item.num
    flags = list(num.flags) + list(item.flags)
    status = "accepted"
    rule = (
        item.kind
        if item.kind != "noun"
        else ("negation" if num.kind == "negation" else "count_noun")
    )
    damage = item.damage.state if item.damage is not None else "unassessed"
    damage_text = None
    if item.damage is not None:
        damage_text = text[item.damage.char_start : item.damage.char_end]
        rule += f"+{item.damage_source}_damage"
    else:
        flags.append("no_damage_phrase")
        status = "needs_review"
    count: int | None = num.value
    if item.kind in ("garbled", "percent"):
        count = None  # an unreadable number or a share: never turned into a count
        status = "needs_review"
    stateless = item.damage is None and count is not None
    if stateless:
        # "the strike hit 120 homes": a number with no damage state is no damage figure; a
        # person decides, the number stays in count_min / count_max
        flags.append("count_without_state")
        count = None
    if num.qualifier == "vague" or item.kind == "unknown_noun":
        status = "needs_review"
    if {"distant_damage_phrase", "elided_noun_without_antecedent", "ambiguous_list_end"} & set(
        flags
    ):
        status = "needs_review"  # the damage state or the noun is a guess: a person checks
    tokens = item.sentence.tokens
    # place: a scope after the list in the same clause, else the nearest before, else carried
    place = _place_for(item, mentions.get(item.sentence.index, []), place_by_sentence, group_end)
    place_cols: dict[str, Any] = {
        "settlement": None,
        "place_text": None,
        "parent_text": None,
        "unit_code": None,
        "unit_name": None,
        "level": None,
        "match": "unresolved",
    }
    if place is None:
        flags.append("no_place")
        status = "needs_review"
    else:
        described = describe(place, text)
        flags.extend(described.pop("flags"))
        if described.pop("review"):
            status = "needs_review"
        place_cols.update(described)
        if place.sentence.index != item.sentence.index:
            flags.append("place_from_context")
    # dates and running totals
    as_of, cumulative = _when(item, lex, pub, dates, text_cumulative)
    if _has(lex, "correction_cues", item.sentence):
        flags.append("correction")
    sup = lex["superseded_cues"].match_ending_at(tokens, item.first, lookback=4)
    if sup is not None:
        flags.append("superseded")
        status = "needs_review"
    inherited = "structure_from_parent" in item.flags or "structure_from_context" in item.flags
    own = None if inherited else _crosswalk_structure(item.structure_text)
    structure = own or item.structure or "any"
    return {
        "source_id": sid,
        "locator": f"chars {start}-{end}",
        "evidence": text[start:end],
        **place_cols,
        "damage": damage,
        "damage_text": damage_text,
        "structure": structure,
        "structure_text": item.structure_text,
        "count_unit": item.count_unit,
        "count": count,
        **_bounds(num, count, stateless),
        "qualifier": num.qualifier,
        "subset_of": None,
        "same_as": None,
        "cumulative": cumulative,
        "as_of": as_of,
        "status": status,
        "flags": flags,
        "start": start,
        "end": end,
        "rule": rule,
    }


def _bounds(num: Number, count: int | None, stateless: bool) -> dict[str, int | None]:
    """count_min / count_max: a vague word ("dozens") keeps its bounds but no count, and a
    count without a damage state keeps its number there."""
    if stateless:
        return {"count_min": num.value, "count_max": num.value}
    if count is None and num.qualifier == "vague":
        return {"count_min": num.count_min, "count_max": num.count_max}
    return {
        "count_min": num.count_min if num.count_min is not None and count is not None else count,
        "count_max": num.count_max if num.count_max is not None and count is not None else count,
    }


@functools.cache
def _crosswalk_structure(label: str | None) -> str | None:
    """The project crosswalk's type for a noun as written, when it knows the noun.

    ``data/vocab/structure_crosswalk.csv`` is the shared authority ("houses", "school",
    "enterprise"); the lexicons cover the inflected and foreign forms it does not hold.
    """
    if not label:
        return None
    from ..vocab import classify_structure

    try:
        return str(classify_structure([label]).iloc[0])
    except UnknownLabelError:
        return None


def _place_for(
    item: Item, here: list[Mention], carried: dict[int, Mention | None], group_end: dict[int, int]
) -> Mention | None:
    """The place of a figure: its own clause first, then its sentence, then the text before."""
    usable_here = [m for m in here if usable(m)]
    last = group_end.get(id(item), item.last)
    tokens = item.sentence.tokens
    later = [m for m in usable_here if m.first >= last]
    # a scope right after the figure's clause ("were damaged in 11 cities and districts")
    for m in later:
        between = tokens[last : m.first]
        if (
            len(between) <= 8
            and not any(t.text in (";", ".", ",") for t in between)
            and not any(t.is_digit for t in between)
        ):
            return m
    inside = [m for m in usable_here if item.first <= m.first < item.last]
    if inside:  # "the number of destroyed houses in Jabrayil stands at 1,200"
        return inside[-1]
    before = [m for m in usable_here if m.last <= item.first]
    if before:
        return before[-1]
    # no place before it in the sentence: one at the end of its clause holds for the list
    # ("5 houses destroyed and 12 damaged in Tartar")
    for m in later:
        if not any(t.text in (";", ".") for t in tokens[last : m.first]):
            return m
    prev_index = item.sentence.index - 1
    return carried.get(prev_index) if prev_index >= 0 else None


def _when(
    item: Item,
    lex: Lexicon,
    pub: dt.date | None,
    dates: dict[int, list[DateMention]],
    text_cumulative: bool,
) -> tuple[dt.date | None, bool | None]:
    here = dates.get(item.sentence.index, [])
    single = _has(lex, "single_event_cues", item.sentence) is not None
    cumulative_cue = _has(lex, "cumulative_cues", item.sentence) is not None
    window = here or [
        d for i in (item.sentence.index - 1, item.sentence.index - 2) for d in dates.get(i, [])
    ]
    until = [d for d in window if d.role == "until"]
    since = [d for d in window if d.role == "since"]
    on = [d for d in window if d.role == "on"]
    as_of: dt.date | None = pub
    cumulative: bool | None = None
    if until:
        as_of = until[-1].date
        cumulative = True
    elif on and not since:
        as_of = _nearest(on, item).date if here else on[-1].date
        cumulative = False if here else None
    if since or cumulative_cue:
        cumulative = True
    if single and not (since or cumulative_cue):
        cumulative = False
    if cumulative is None and text_cumulative and not single:
        cumulative = True
    return as_of, cumulative


def _nearest(dates: list[DateMention], item: Item) -> DateMention:
    """The date of a figure among several in its sentence: the first after it in its clause
    ("15 houses were damaged on 12 October and 4 more on 13 October"), else the last before."""
    after = [d for d in dates if d.first >= item.last and d.first - item.last <= 6]
    if after:
        return after[0]
    before = [d for d in dates if d.last <= item.first]
    return before[-1] if before else dates[-1]


def review_only(
    text: str,
    sid: str,
    language: str,
    reason: str,
    pub: dt.date | None,
    *,
    span: tuple[int, int] | None = None,
) -> list[dict[str, Any]]:
    """One needs-review record per sentence that holds digits: no number is guessed."""
    rows: list[dict[str, Any]] = []
    lo, hi = span if span is not None else (0, len(text))
    for sent in sentences(text, span=(lo, hi)):
        if not any(t.is_digit for t in sent.tokens):
            continue
        rows.append(_review_row(text, sent.start, sent.end, sid, language, reason, pub))
    chunk = text[lo:hi]
    if not rows and chunk.strip() and any(c.isdigit() for c in chunk):
        start = lo + len(chunk) - len(chunk.lstrip())
        end = lo + len(chunk.rstrip())
        rows.append(_review_row(text, start, end, sid, language, reason, pub))
    return rows


def _review_row(
    text: str, start: int, end: int, sid: str, language: str, reason: str, pub: dt.date | None
) -> dict[str, Any]:
    return {
        "source_id": sid,
        "locator": f"chars {start}-{end}",
        "evidence": text[start:end],
        "damage": "unassessed",
        "structure": "any",
        "count": None,
        "qualifier": "exact",
        "status": "needs_review",
        "flags": join_flags([reason, f"lang_{language}"]),
        "start": start,
        "end": end,
        "rule": reason,
        "as_of": pub,
        "match": "unresolved",
    }


def garbled_sentences(
    text: str,
    sents: list[Sentence],
    results: list[SentenceResult],
    sid: str,
    language: str,
    pub: dt.date | None,
) -> list[dict[str, Any]]:
    """Sentences with mojibake or damage words but no readable count go to review."""
    rows: list[dict[str, Any]] = []
    for sent, res in zip(sents, results, strict=True):
        snippet = text[sent.start : sent.end]
        garbled = garbled_share(snippet) > 0.02
        kept = [it for it in res.items if it.excluded is None]
        unreadable = [n for n, why in res.skipped if why in ("garbled", "decimal")]
        if (garbled and any(t.is_digit for t in sent.tokens)) or (
            unreadable and not kept and res.phrases
        ):
            rows.append(
                _review_row(
                    text,
                    sent.start,
                    sent.end,
                    sid,
                    language,
                    "garbled_text" if garbled else "unreadable_number",
                    pub,
                )
            )
    return rows
