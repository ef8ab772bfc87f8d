"""Links between the items of a text across sentences: subsets, same-as, inspected totals,
structure types carried forward, and restated figures kept once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ._dates import DateMention
from ._items import Item
from ._tokens import Sentence

#: States of the canonical vocabulary that are damage (used to link to inspected totals).
_DAMAGE_STATES = {"minor", "moderate", "severe", "damaged", "destroyed", "damaged_or_destroyed"}


class _Earlier:
    """The items before the current one that later items may refer to, in text order
    (indexed by count, so that a long text is read in linear time)."""

    def __init__(self) -> None:
        self.items: list[Item] = []
        self.by_count: dict[int | None, list[Item]] = {}
        self.last_typed: Item | None = None  # the last one with a structure type

    def add(self, item: Item) -> None:
        """Remember ``item`` once it is read, unless it is excluded or a same-as or anchor
        that found no antecedent."""
        if item.excluded is not None or (item.kind in ("same_as", "anchor") and item.same is None):
            return
        self.items.append(item)
        self.by_count.setdefault(item.count, []).append(item)
        if item.structure is not None:
            self.last_typed = item

    def with_count(self, count: int | None) -> Iterator[Item]:
        """The items of that count, the nearest first."""
        return reversed(self.by_count.get(count, []))


def link_across_sentences(items: list[Item]) -> None:
    """Subsets, same-as links and structure types that reach across sentences."""
    kept = [it for it in items if it.excluded is None]
    # sentence index → (the set "of these 47" names, position of the anchor)
    anchors: dict[int, tuple[Item, int]] = {}
    earlier = _Earlier()
    for item in kept:
        if item.kind == "anchor":
            target = next(earlier.with_count(item.count), None)
            item.excluded = "subset_anchor"
            if target is not None:
                anchors[item.sentence.index] = (target, item.first)
            continue
        _link_to_parent(item, anchors.get(item.sentence.index), earlier)
        if item.structure is None:
            if earlier.last_typed is not None:
                item.structure = earlier.last_typed.structure
                item.flags.append("structure_from_context")
            elif item.kind == "bare_damage":
                # "Shelling destroyed 15 in Kharkiv." with nothing counted before: 15 what?
                item.flags.append("elided_noun_without_antecedent")
        if item.same_candidate:
            target = next(
                (
                    x
                    for x in earlier.with_count(item.count)
                    if x.sentence.index != item.sentence.index
                    and item.structure in (x.structure, "any")
                ),
                None,
            )
            if target is not None:
                item.same = target
        if item.kind == "same_as":
            target = next((x for x in earlier.with_count(item.count) if x.kind != "same_as"), None)
            if target is None:
                item.excluded = "no_antecedent"
                continue
            item.same = target
            item.structure = target.structure
            if item.damage is None:
                item.damage, item.damage_source = target.damage, "from_antecedent"
        earlier.add(item)
    _parts_of_inspected(kept)


def _link_to_parent(item: Item, anchor: tuple[Item, int] | None, earlier: _Earlier) -> None:
    """The whole a part belongs to ("Of these 47, 41 …", "of which", a list of parts), and
    the type and state the part takes from it."""
    last = earlier.items[-1] if earlier.items else None
    if anchor is not None and item.first > anchor[1] and item.parent is None:
        item.parent, item.subset_cue = anchor[0], True
        item.flags.append("subset")
    if item.kind in ("subset_after",) and item.parent is None and last is not None:
        item.parent = last
    if (
        item.subset_cue
        and item.parent is None
        and last is not None
        and last.sentence.index == item.sentence.index
        and last.group == item.group
        and last.subset_cue
        and last.parent is not None
    ):
        item.parent = last.parent  # the rest of a list of parts shares its whole
    if item.subset_cue and item.parent is None and last is not None:
        item.parent = last
    if (
        item.parent is not None
        and item.structure in (None, "any")
        and item.parent.structure not in (None, "any")
    ):
        item.structure = item.parent.structure  # "65 residential buildings (one building …)"
        item.flags.append("structure_from_parent")
    if item.parent is not None and item.damage is None and item.parent.damage is not None:
        item.damage, item.damage_source = item.parent.damage, "from_parent"


def _parts_of_inspected(kept: list[Item]) -> None:
    """Counts after an inspected total are parts of it ("inspected 3,019 … 70 destroyed")."""
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


def dateline_sentences(sents: list[Sentence], dates: dict[int, list[DateMention]]) -> set[int]:
    """Sentences that are datelines ("BAKU, Azerbaijan, Oct. 29"): their place is the desk's."""
    out: set[int] = set()
    for s in sents[:3]:
        if len(s.tokens) <= 10 and (
            dates.get(s.index) or any(t.text.isupper() and len(t.text) > 3 for t in s.tokens[:1])
        ):
            out.add(s.index)
    return out


def headline_sentences(text: str, sents: list[Sentence]) -> set[int]:
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


def drop_restated(
    items: list[Item], headlines: set[int], places: dict[int, set[str]] | None = None
) -> list[Item]:
    """Drop a figure restated in another sentence: a headline gives way to the body, and
    the body's first statement stays (a quote restating the lead is the lead again)."""
    keep: list[Item] = []
    places = places or {}
    # where to look for a twin: a body figure restates one of the same count or a headline's
    # (which may round it); a headline figure may restate any (kept in lists, not compared
    # pairwise, so that a long text stays linear)
    by_count: dict[int | None, list[int]] = {}
    heads: list[int] = []
    for item in items:
        headline = item.sentence.index in headlines
        candidates: Iterable[int] = (
            range(len(keep)) if headline else sorted({*by_count.get(item.count, []), *heads})
        )
        pos = next((k for k in candidates if _same_figure(keep[k], item, headlines, places)), None)
        if pos is None:
            by_count.setdefault(item.count, []).append(len(keep))
            if headline:
                heads.append(len(keep))
            keep.append(item)
            continue
        twin = keep[pos]
        if twin.sentence.index in headlines and not headline:
            keep[pos] = item
            by_count[twin.count].remove(pos)
            by_count.setdefault(item.count, []).append(pos)
            heads.remove(pos)
            item.flags.append("restated")
        else:
            twin.flags.append("restated")
    return keep
