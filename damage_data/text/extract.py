"""Figures from free text: every count of damaged structures, with the span it came from.

:func:`figures_from_text` reads a press report sentence by sentence with the rules of
:mod:`._rules` and the lexicons in ``data/lexicons``; :func:`figures_from_file` reads a
``.txt`` / ``.md`` file and also returns its one-row ``sources`` table.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import re
from pathlib import Path
from typing import Any

import pandas as pd

from .._errors import InputError, UnknownLabelError, UsageError
from ..tables import figure_id, join_flags, make_figures, make_table
from ._dates import DateMention, find_dates
from ._detect import detect_language, garbled_share
from ._lexicon import LANGUAGES, Lexicon, lexicon, shared
from ._numbers import Number
from ._placing import (
    Mention,
    carries,
    describe,
    find_mentions,
    resolve_anaphora,
    resolve_mentions,
    usable,
)
from ._rules import Item, SentenceResult, decide_damage, read_sentence
from ._tokens import Sentence, sentences

logger = logging.getLogger(__name__)

#: Extra columns beside ``tables.COLUMNS["figures"]``.
EXTRA_COLUMNS: tuple[str, ...] = ("start", "end", "rule")

#: States of the canonical vocabulary that are damage (used to link to inspected totals).
_DAMAGE_STATES = {"minor", "moderate", "severe", "damaged", "destroyed", "damaged_or_destroyed"}


def _as_date(value: object, what: str) -> dt.date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError as err:
        raise UsageError(
            f"{what} {value!r} is not a date; give it as YYYY-MM-DD (e.g. 2020-11-24)"
        ) from err


def source_id_for(text: str, source: str | None = None) -> str:
    """A stable source id from the content (and the title, when given)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return "s" + hashlib.sha256(f"{source or ''}|{digest}".encode()).hexdigest()[:12]


def figures_from_text(
    text: str,
    *,
    published: str | dt.date | None = None,
    source: str | None = None,
    lang: str = "auto",
    gazetteer: Any = None,
) -> pd.DataFrame:
    """Read the damage figures of a press report, each tied to the words it came from.

    Parameters
    ----------
    text
        The report (any length; one or more paragraphs).
    published
        Publication date (``YYYY-MM-DD``); relative dates ("on Tuesday", "since 27
        September") and ``as_of`` are read against it.
    source
        Title of the source; with the text it makes the ``source_id``.
    lang
        ``auto`` (script and stop words), or one of ``en, az, ru, uk, tr, de, fr, hy``.
    gazetteer
        Passed to :func:`damage_data.places.resolve_places` (default: the bundled one).

    Returns
    -------
    pandas.DataFrame
        A ``figures`` table (:data:`damage_data.tables.COLUMNS`) plus ``start``, ``end``
        (character offsets: ``evidence == text[start:end]``) and ``rule`` (the rules that
        fired, e.g. ``count_noun+trailing_damage``).
        Vague numbers, unresolved places, garbled or unsupported text come back with
        ``status == "needs_review"``, never dropped and never with a guessed number.

    Examples
    --------
    >>> f = figures_from_text("In Tartar district, 133 houses were destroyed.",
    ...                       published="2020-10-29")
    >>> f[["count", "damage", "structure", "unit_code"]].values.tolist()
    [[133, 'destroyed', 'residential', 'AZ-TAR']]
    """
    if not isinstance(text, str):
        raise UsageError(f"text must be a string, not {type(text).__name__}")
    pub = _as_date(published, "published")
    if lang != "auto" and lang not in LANGUAGES:
        raise UsageError(f"unknown language {lang!r}; choose auto or one of {', '.join(LANGUAGES)}")
    sid = source_id_for(text, source)
    blocks = language_blocks(text) if lang == "auto" else [(0, len(text), lang)]
    rows: list[dict[str, Any]] = []
    for start, end, language in blocks:
        rows += _read_block(text, (start, end), language, sid, pub, gazetteer)
    rows.sort(key=lambda r: (r["start"], r["end"]))
    return _table(rows)


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
    filled: list[str] = []
    for i, lg in enumerate(langs):
        if lg is None:
            before = [x for x in langs[:i] if x is not None]
            after = [x for x in langs[i + 1 :] if x is not None]
            lg = before[-1] if before else after[0]
        filled.append(lg)
    blocks: list[tuple[int, int, str]] = []
    for (start, end), lg in zip(paragraphs, filled, strict=True):
        if blocks and blocks[-1][2] == lg:
            blocks[-1] = (blocks[-1][0], end, lg)
        else:
            blocks.append((start if blocks else 0, end, lg))
    first, last = blocks[0], blocks[-1]
    blocks[-1] = (last[0], len(text), last[2]) if len(blocks) > 1 else (0, len(text), first[2])
    return blocks


#: Languages known from their script alone (all unsupported: their text goes to review).
_OTHER_SCRIPTS = frozenset(str(v) for v in shared()["scripts"].values())
#: A paragraph: text between blank lines.
_PARAGRAPH = re.compile(r"\S(?:.|\n(?![ \t]*\n))*", re.UNICODE)


def _read_block(
    text: str,
    span: tuple[int, int],
    language: str,
    sid: str,
    pub: dt.date | None,
    gazetteer: Any,
) -> list[dict[str, Any]]:
    """Rows of one run of text in one language (offsets count from the start of ``text``)."""
    if language not in LANGUAGES:
        return _review_only(text, sid, language, "unsupported_language", pub, span=span)
    lex = lexicon(language)
    sents = sentences(
        text,
        abbreviations=lex.raw.get("abbreviations", []),
        months=lex.raw.get("months", {}).keys(),
        span=span,
    )
    results: list[SentenceResult] = []
    mentions: dict[int, list[Mention]] = {}
    list_parent: Item | None = None
    for sent in sents:
        res = read_sentence(sent, lex)
        # "З них:" / "of which:" on a line of its own, then "- медичні заклади – 98;" lines:
        # every item of the bulleted lines is a part of the figure before the header
        bullet = sent.tokens[0].text in _BULLETS
        if list_parent is not None and bullet:
            for item in res.items:
                if item.parent is None:
                    item.parent, item.subset_cue = list_parent, True
                    item.flags.append("subset")
        elif _list_header(sent, lex):
            before = [it for r in results for it in r.items if it.excluded is None and it.count]
            list_parent = before[-1] if before else None
        else:
            list_parent = None
        decide_damage(res, lex)
        results.append(res)
        mentions[sent.index] = find_mentions(sent, text, lex, res.place_counts)
    items = [it for res in results for it in res.items]
    _link_across_sentences(items)
    all_mentions = [m for ms in mentions.values() for m in ms]
    kept = resolve_mentions(all_mentions, gazetteer=gazetteer, lang=language)
    mentions = {i: [m for m in kept if m.sentence.index == i] for i in mentions}
    resolve_anaphora(mentions)
    rows = _rows(text, sents, results, items, mentions, lex, sid, pub)
    rows += _garbled_sentences(text, sents, results, sid, language, pub)
    return rows


#: Characters that open a list line.
_BULLETS = frozenset({"-", "–", "—", "•", "·", "*", "▪"})


def _list_header(sent: Sentence, lex: Lexicon) -> bool:
    """Whether a sentence only announces a list of parts ("З них:", "Of which:", "Davon:")."""
    tokens = [t for t in sent.tokens if t.text not in (":", ".")]
    if not tokens or len(tokens) > 4:
        return False
    found = lex["subset_before"].match_at(tokens, 0)
    return found is not None and found[1] == len(tokens)


# --- linking across sentences ----------------------------------------------------------


def _link_across_sentences(items: list[Item]) -> None:
    """Subsets, same-as links and structure types that reach across sentences."""
    kept = [it for it in items if it.excluded is None]
    # sentence index → (the set "of these 47" names, position of the anchor)
    anchors: dict[int, tuple[Item, int]] = {}
    for idx, item in enumerate(kept):
        earlier = [
            x for x in kept[:idx] if x.kind not in ("same_as", "anchor") or x.same is not None
        ]
        earlier = [x for x in earlier if x.excluded is None]
        if item.kind == "anchor":
            target = next((x for x in reversed(earlier) if x.count == item.count), None)
            item.excluded = "subset_anchor"
            if target is not None:
                anchors[item.sentence.index] = (target, item.first)
            continue
        anchor = anchors.get(item.sentence.index)
        if anchor is not None and item.first > anchor[1] and item.parent is None:
            item.parent, item.subset_cue = anchor[0], True
            item.flags.append("subset")
        if item.kind in ("subset_after",) and item.parent is None and earlier:
            item.parent = earlier[-1]
        if item.subset_cue and item.parent is None and earlier:
            prior = earlier[-1]
            if (
                prior.sentence.index == item.sentence.index
                and prior.group == item.group
                and prior.subset_cue
                and prior.parent is not None
            ):
                item.parent = prior.parent  # the rest of a list of parts shares its whole
        if item.subset_cue and item.parent is None and earlier:
            item.parent = earlier[-1]
        if (
            item.parent is not None
            and item.structure in (None, "any")
            and item.parent.structure not in (None, "any")
        ):
            item.structure = item.parent.structure  # "65 residential buildings (one building …)"
            item.flags.append("structure_from_parent")
        if item.parent is not None and item.damage is None and item.parent.damage is not None:
            item.damage, item.damage_source = item.parent.damage, "from_parent"
        if item.structure is None:
            previous = [x for x in earlier if x.structure is not None]
            if previous:
                item.structure = previous[-1].structure
                item.flags.append("structure_from_context")
            elif item.kind == "bare_damage":
                # "Shelling destroyed 15 in Kharkiv." with nothing counted before: 15 what?
                item.flags.append("elided_noun_without_antecedent")
        if item.same_candidate:
            target = next(
                (
                    x
                    for x in reversed(earlier)
                    if x.count == item.count
                    and x.sentence.index != item.sentence.index
                    and item.structure in (x.structure, "any")
                ),
                None,
            )
            if target is not None:
                item.same = target
        if item.kind == "same_as":
            target = next(
                (x for x in reversed(earlier) if x.count == item.count and x.kind != "same_as"),
                None,
            )
            if target is None:
                item.excluded = "no_antecedent"
                continue
            item.same = target
            item.structure = target.structure
            if item.damage is None:
                item.damage, item.damage_source = target.damage, "from_antecedent"
    # counts after an inspected total are parts of it ("inspected 3,019 … 70 destroyed")
    total: Item | None = None
    for item in kept:
        if item.excluded:
            continue
        state = item.damage.state if item.damage else None
        if state == "assessed" and item.parent is None and item.count:
            total = item
            continue
        if (
            total is not None
            and state in _DAMAGE_STATES
            and item.parent is None
            and item.same is None
            and item.count is not None
            and total.count is not None
            and item.count <= total.count
            and item.sentence.index > total.sentence.index - 1
            and item.num.kind != "negation"
        ):
            item.parent = total
            item.flags.append("part_of_inspected")


# --- rows -------------------------------------------------------------------------------


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


def _rows(
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
    dateline = _dateline(sents, dates)
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
    out_items = _dedupe(out_items, _headlines(text, sents), own_places)
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
    for big in counted:
        for small in counted:
            if (
                big["count"] == small["count"] * 1000
                and big["damage"] == small["damage"]
                and big["place_text"] == small["place_text"]
                and "thousandfold_of_another" not in big["flags"]
            ):
                big["flags"].append("thousandfold_of_another")
                big["status"] = "needs_review"


def _dateline(sents: list[Sentence], dates: dict[int, list[DateMention]]) -> set[int]:
    """Sentences that are datelines ("BAKU, Azerbaijan, Oct. 29"): their place is the desk's."""
    out: set[int] = set()
    for s in sents[:3]:
        if len(s.tokens) <= 10 and (
            dates.get(s.index) or any(t.text.isupper() and len(t.text) > 3 for t in s.tokens[:1])
        ):
            out.add(s.index)
    return out


def _headlines(text: str, sents: list[Sentence]) -> set[int]:
    """Sentences that are headlines: the first lines of a text that stand alone (no closing
    full stop, or a paragraph of their own)."""
    out: set[int] = set()
    for s in sents[:2]:
        last = s.tokens[-1].text
        alone = s.paragraph == 0 and sum(1 for x in sents if x.paragraph == s.paragraph) == 1
        # a title quoting someone ('İcra başçısı:"Ağdamda 72 ev dağıdılıb"') on a line of its own
        quoted_title = (
            s.index == 0
            and last in ('"', "»", "”")
            and len(s.tokens) <= 25
            and text[s.end : s.end + 1] == "\n"
            and s.tokens[-2].text not in (".", "!", "?", "\u0589")
        )
        # Armenian texts often end sentences with an ASCII colon for the full stop "։"
        armenian_stop = last == ":" and any("\u0531" <= ch <= "\u058f" for ch in s.tokens[0].text)
        if (
            (last not in (".", "!", "?", "\u0589", '"', "»", "”") and not armenian_stop)
            or (alone and len(s.tokens) <= 25)
            or quoted_title
        ):
            out.add(s.index)
        else:
            break
    for s in sents[1:-1]:
        # a subheading inside the text: a short line of its own with no closing full stop
        # ("68 ağır hasarlı bina tespit edildi" between two paragraphs)
        toks = s.tokens
        if (
            toks
            and len(toks) <= 12
            and toks[-1].text not in (".", "!", "?", "\u0589", '"', "»", "”", ":", ";", ",")
            and not any(t.text in (":", ";") for t in toks)
            and toks[0].text not in ("–", "-", "—", "•", "*", "·")  # not a list item
            and text[s.end : s.end + 1] == "\n"
            and (s.start == 0 or text[s.start - 1] == "\n")
        ):
            out.add(s.index)
    return out


_QUOTE_MARKS = frozenset({'"', "“", "”", "«", "»", "„"})
_RESTATABLE = ("noun", "bare_damage", "copula_noun", "noun_before", "subset_after", "subset_bare")


def _same_figure(a: Item, b: Item, headlines: set[int], places: dict[int, set[str]]) -> bool:
    """Whether two items in different sentences state the same figure again.

    A headline compresses: its figure is the body's when the count agrees (or is the body's
    count rounded down, "over 232,000" for 232,632) whatever damage word it uses; body
    sentences restate a figure only with the same state. Two sentences that name different
    places state different figures ("Deux maisons … à Kostyantynivka", "Deux maisons … à
    Ivanopillya").
    """
    if (
        a.count is None
        or b.count is None
        or a.sentence.index == b.sentence.index
        or a.damage is None
        or b.damage is None
        or a.same is not None
        or b.same is not None
        or a.kind not in _RESTATABLE
        or b.kind not in _RESTATABLE
        or not (a.structure == b.structure or "any" in (a.structure, b.structure))
    ):
        return False
    headline = a.sentence.index in headlines or b.sentence.index in headlines
    pa, pb = places.get(a.sentence.index, set()), places.get(b.sentence.index, set())
    if not headline and pa and pb and not {p[:5] for p in pa} & {p[:5] for p in pb}:
        return False  # the stems tell inflected forms apart from other places
    if not headline:
        quoted = any(t.text in _QUOTE_MARKS for t in b.sentence.tokens)
        states = a.damage.state == b.damage.state or (
            quoted and {a.damage.state, b.damage.state} <= _DAMAGE_STATES
        )
        # a quote restating the lead may word the damage otherwise ("zerstört und
        # beschädigt" in the lead, "in gewissem Maße zerstört" in the quote)
        return a.count == b.count and states
    head, body = (a, b) if a.sentence.index in headlines else (b, a)
    assert head.count is not None and body.count is not None
    rounded = (
        head.num.qualifier in ("more_than", "approx")
        and head.count <= body.count < head.count * 1.01
        and head.count % 100 == 0
    )
    damage = {a.damage.state, b.damage.state} <= _DAMAGE_STATES
    return damage and (head.count == body.count or rounded)


def _dedupe(
    items: list[Item], headlines: set[int], places: dict[int, set[str]] | None = None
) -> list[Item]:
    """Drop a figure restated in another sentence: a headline gives way to the body, and
    the body's first statement stays (a quote restating the lead is the lead again)."""
    keep: list[Item] = []
    places = places or {}
    for item in items:
        twin = next((k for k in keep if _same_figure(k, item, headlines, places)), None)
        if twin is None:
            keep.append(item)
            continue
        if twin.sentence.index in headlines and item.sentence.index not in headlines:
            keep[keep.index(twin)] = item
            item.flags.append("restated")
        else:
            twin.flags.append("restated")
    return keep


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


# --- garbled and unsupported text --------------------------------------------------------


def _review_only(
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


def _garbled_sentences(
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


def _table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    for row in rows:
        if isinstance(row.get("flags"), list):
            row["flags"] = join_flags(row["flags"])
        if row.get("figure_id") is None:
            row["figure_id"] = figure_id(str(row["source_id"]), str(row["locator"]), 0)
    frame = make_figures(rows) if rows else make_figures([])
    for column in EXTRA_COLUMNS:
        if column not in frame.columns:
            frame[column] = pd.Series(dtype="object")
    frame["start"] = frame["start"].astype("Int64")
    frame["end"] = frame["end"].astype("Int64")
    frame["rule"] = frame["rule"].astype("string")
    return frame.reset_index(drop=True)


# --- files ------------------------------------------------------------------------------

#: File kinds :func:`figures_from_file` reads.
TEXT_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".text", ".markdown")


def figures_from_file(
    path: str | Path,
    *,
    published: str | dt.date | None = None,
    source: str | None = None,
    lang: str = "auto",
    gazetteer: Any = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Figures and the one-row ``sources`` table of a ``.txt`` / ``.md`` press report.

    Parameters
    ----------
    path
        The file (UTF-8; a UTF-8 byte-order mark is dropped).
    published, source, lang, gazetteer
        As for :func:`figures_from_text`; ``source`` is the title (default: the file name).

    Returns
    -------
    tuple of pandas.DataFrame
        ``(figures, sources)``; ``sources`` has method ``press``, kind ``text`` and the
        SHA-256 of the file's bytes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "wire.txt"
    >>> _ = p.write_text("In Tartar district, 133 houses were destroyed.", encoding="utf-8")
    >>> figures, sources = figures_from_file(p, published="2020-10-29")
    >>> int(figures.loc[0, "count"]), sources.loc[0, "method"]
    (133, 'press')
    """
    p = Path(path)
    if p.suffix.lower() not in TEXT_SUFFIXES:
        raise InputError(
            f"{p}: not a text file (suffix {p.suffix or 'none'!r}); the press "
            f"reader takes {', '.join(TEXT_SUFFIXES)}",
            path=str(p),
        )
    try:
        raw = p.read_bytes()
    except OSError as err:
        raise InputError(
            f"{p}: cannot be read ({err.strerror or err}); check the path", path=str(p)
        ) from err
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{p}: byte {err.start} is not UTF-8; save the file as UTF-8", path=str(p)
        ) from err
    title = source or p.name
    figures = figures_from_text(
        text, published=published, source=title, lang=lang, gazetteer=gazetteer
    )
    sources = sources_row(text, raw, title=title, published=published, path=p)
    return figures, sources


def sources_row(
    text: str, raw: bytes, *, title: str, published: str | dt.date | None, path: Path | None = None
) -> pd.DataFrame:
    """The one-row ``sources`` table of a text (method ``press``, kind ``text``)."""
    pub = _as_date(published, "published")
    return make_table(
        "sources",
        [
            {
                "source_id": source_id_for(text, title),
                "title": title,
                "publisher": None,
                "url": None,
                "published": pub,
                "retrieved": None,
                "method": "press",
                "cites": None,
                "licence": None,
                "sha256": hashlib.sha256(raw).hexdigest(),
                "kind": "text",
                "notes": f"read from {path.name}" if path is not None else None,
            }
        ],
    )
