"""Choosing among sources about one place (R5): the best view, and why each other is set
aside; disagreement, decrease and narrower scope.

Each place's views are plain row dicts (one conversion of the table for all places): a
place has a handful of views, and pandas' per-call overhead on such small frames cost more
than the choice itself (measured on the register benchmark: 1.1 s of 1.5 s in ``summarise``).
"""

from __future__ import annotations

import itertools
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..tables import flags_of, join_flags
from .rules import METHOD_RANK, REPORTED, RULES, CountingOptions

log = logging.getLogger(__name__)

Row = dict[str, Any]

#: The ``kind`` of the source of one event's rows in a table of several events.
EVENT_KIND = "table: one event"


@dataclass
class _Sources:
    """What the ranking needs of the sources table, as lookups."""

    method: dict[str, Any]
    cites: dict[str, Any]
    #: Sources that are one event of a table (typhoons, seasons): no series across them.
    events: frozenset[str] = frozenset()

    @classmethod
    def of(cls, info: pd.DataFrame) -> _Sources:
        if info.empty:
            return cls({}, {})
        kinds = info["kind"] if "kind" in info.columns else pd.Series(dtype=object)
        return cls(
            {str(k): v for k, v in info["method"].items()},
            {str(k): v for k, v in info["cites"].items()},
            frozenset(str(k) for k, v in kinds.items() if isinstance(v, str) and v == EVENT_KIND),
        )


@dataclass
class _Choice:
    row: Row
    outcome: list[tuple[int, bool, str, str]]  # view position, used, rule, why


def _missing(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def _rank_key(v: Row, relayed: bool, sources: _Sources, opts: CountingOptions) -> tuple[Any, ...]:
    method = sources.method.get(v["source_id"], None)
    when = v["as_of"].value if not _missing(v["as_of"]) else -(2**62)
    total = v["total"] if not _missing(v["total"]) else -1
    method_rank = METHOD_RANK.get(str(method), 9)
    partial = bool(v.get("partial", False))
    if opts.policy == "latest":
        return (-when, method_rank, relayed, partial, v["source_id"])
    if opts.policy == "max":
        return (-total, -when, v["source_id"])
    # then the wider scope: a count of all buildings over counts of some types only (GEM
    # Puebla 2017: 441 schools + 133 shops had beaten 34 buildings of every type for being
    # larger), then the larger count
    return (relayed, partial, -when, method_rank, -_all_types(v), -total, v["source_id"])


def _all_types(v: Row) -> int:
    """1 when the view counts structures of every type (an untyped count), else 0."""
    coverage = v.get("coverage")
    if not isinstance(coverage, frozenset):
        return 0
    return int(any(s == "any" and g in REPORTED for g, s in coverage))


def _disagrees(values: list[Any], ratio: float) -> bool:
    values = [v for v in values if not _missing(v)]
    if len(values) < 2:
        return False
    low, high = min(values), max(values)
    return bool(high > 0 if low == 0 else high / low > ratio)


def _narrower(best: Row, other: Row) -> str | None:
    """What an older view covers that the chosen one does not (rule R3, ``scope_changed``)."""
    mine, theirs = best["coverage"], other["coverage"]
    if not isinstance(mine, frozenset) or not isinstance(theirs, frozenset):
        return None
    lost = []
    for group in REPORTED:
        had = {s for g, s in theirs if g == group}
        has = {s for g, s in mine if g == group}
        if had and not has:
            lost.append(group)
        elif "any" in had and "any" not in has and not had <= has:
            lost.append(f"{group} ({', '.join(sorted(had - has))})")
    if lost:
        return ", ".join(lost)
    flags = set(flags_of(best["flags"]))
    if "partial_area" in flags and "partial_area" not in set(flags_of(other["flags"])):
        return "part of the area"
    return None


def _choose(
    views: list[tuple[int, Row]], sources: _Sources, opts: CountingOptions, unit_flags: list[str]
) -> _Choice:
    """Rule R5 for one place: the best view, and why each other is set aside.

    ``views`` are (position in the views table, row) pairs in table order.
    """
    if len(views) == 1:  # one source: nothing to choose, relay, compare or order by date
        i, only = views[0]
        return _Choice(
            row=_chosen_row(only, views, unit_flags),
            outcome=[(i, True, "source_best", _WHY_BEST[opts.policy])],
        )
    present = {str(v["source_id"]) for _, v in views}
    relayed: set[str] = set()
    for s in present:
        cited = sources.cites.get(s, None)
        if not _missing(cited) and str(cited) in present - {s}:
            relayed.add(s)
    order = sorted(
        views, key=lambda iv: _rank_key(iv[1], str(iv[1]["source_id"]) in relayed, sources, opts)
    )
    best_i, best = order[0]
    when = best["as_of"]
    dated = not _missing(when)
    outcome: list[tuple[int, bool, str, str]] = [
        (best_i, True, "source_best", _WHY_BEST[opts.policy])
    ]
    for i, v in order[1:]:
        if v["source_id"] in relayed and opts.policy == "best":
            why = f"{RULES['source_relayed']} ({sources.cites.get(v['source_id'])})"
            outcome.append((i, False, "source_relayed", why))
            unit_flags.append("relayed")
        else:
            why = RULES["source_other"]
            if dated and not _missing(v["as_of"]) and v["as_of"] < when:
                why += f" (this one is older than the one used, {when.date()})"
            outcome.append((i, False, "source_other", why))
    rows = [v for _, v in views]
    if dated:
        near = [
            v
            for v in rows
            if not _missing(v["as_of"]) and abs(v["as_of"] - when).days <= opts.window_days
        ]
    else:
        near = rows
    key = "total" if sum(not _missing(v["total"]) for v in near) >= 2 else "destroyed"
    if _disagrees([v[key] for v in near], opts.disagree_ratio):
        unit_flags.append("disagree")
    # a later report of the same thing that counts fewer went down; another event of one
    # table (the next typhoon) is no later report of this one
    series = sorted(
        (
            v
            for v in rows
            if not _missing(v["as_of"])
            and bool(v["cumulative"])
            and str(v["source_id"]) not in sources.events
        ),
        key=lambda v: v["as_of"],
    )
    for column in ("destroyed", "total"):
        points = [v[column] for v in series if not _missing(v[column])]
        if any(b < a for a, b in itertools.pairwise(points)):
            unit_flags.append("decreasing")
            break
    older = [v for v in rows if not _missing(v["as_of"]) and v["as_of"] < when] if dated else []
    for v in older:
        what = _narrower(best, v)
        if what:
            unit_flags.append("scope_changed")
            best = {**best, "flags": join_flags(flags_of(best["flags"]))}
            best["scope_note"] = (
                f"the source used ({when.date()}) says nothing of {what}, which an "
                f"older source ({v['as_of'].date()}) counted"
            )
            break
    return _Choice(row=_chosen_row(best, views, unit_flags), outcome=outcome)


_WHY_BEST = {
    "best": "R5 used: the best source (primary over relay, own figure over villages, "
    "latest, then method)",
    "latest": "R5 used: the latest source",
    "max": "R5 used: the largest total",
    "all": "R5 used",
}


def _chosen_row(best: Row, views: list[tuple[int, Row]], unit_flags: list[str]) -> Row:
    """The summary row of a place: the chosen view, the range across views, the flags."""
    row: Row = dict(best)
    # the range across sources reaches each source's own bounds: "40+ destroyed, up to 10
    # damaged" is a total of at least 40 with no upper bound, never a range 50-50
    lows: list[float] = []
    highs: list[float] = []
    unbounded = False
    for _, v in views:
        if _missing(v["total"]):
            continue
        low: Any = v.get("total_min")
        high: Any = v.get("total_max")
        lows.append(float(v["total"] if _missing(low) else low))
        unbounded = unbounded or (_missing(high) and not _missing(low))
        highs.append(float(v["total"] if _missing(high) else high))
    row["n_sources"] = len(views)
    row["total_low"] = min(lows) if lows else np.nan
    row["total_high"] = max(highs) if highs and not unbounded else np.nan
    row["flags"] = join_flags([*flags_of(best["flags"]), *unit_flags])
    return row


# --- the whole model ----------------------------------------------------------------------


def place_flags_from_decisions(
    f: pd.DataFrame, decisions: dict[str, tuple[bool, str, str]], level: str
) -> dict[tuple[str, str], list[str]]:
    """Flags a place gets from figures set aside about it (review, other count units)."""
    codes = {
        "needs_review": "needs_review",
        "no_number": "needs_review",
        "count_unit": "mixed_count_units",
    }
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    rules = [decisions.get(fid, (True, "", ""))[1] for fid in f["figure_id"].tolist()]
    hit = np.fromiter((r in codes for r in rules), dtype=bool, count=len(rules))
    if not hit.any():
        return out
    for i, unit, settlement in zip(
        np.flatnonzero(hit),
        f["unit_code"].to_numpy(dtype=object)[hit],
        f["settlement"].to_numpy(dtype=object)[hit],
        strict=True,
    ):
        rule = rules[i]
        if not pd.isna(unit):
            out[(str(unit), settlement if level == "settlement" else "")].append(codes[rule])
            if level == "unit" and settlement:
                out[(str(unit), settlement)].append(codes[rule])
    return out


def choose_all(
    views: pd.DataFrame,
    info: pd.DataFrame,
    opts: CountingOptions,
    rec: pd.DataFrame,
    decisions: dict[str, tuple[bool, str, str]],
    aside: dict[tuple[str, str], list[str]],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rule R5 for every place: one summary row per place, and the views with the rule that
    decided each (``used``, ``rule``, ``why``). Figures of views set aside get that decision."""
    views = views.reset_index(drop=True)
    table: list[Row] = [{str(k): v for k, v in r.items()} for r in views.to_dict("records")]
    sources = _Sources.of(info)
    # the figures behind each view, looked up once (not a scan of ``rec`` per view set aside)
    by_view: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    settlements = rec["settlement"] if opts.level == "settlement" else pd.Series("", rec.index)
    for fid, source, unit, settlement in zip(
        rec["figure_id"],
        rec["source_id"],
        rec["unit_code"].astype(str),
        settlements,
        strict=True,
    ):
        by_view[(str(source), unit, str(settlement))].append(fid)
    # places in order of first appearance, as a groupby without sorting would give them
    places: dict[tuple[str, str], list[tuple[int, Row]]] = {}
    for i, r in enumerate(table):
        places.setdefault((str(r["unit_code"]), str(r["settlement"])), []).append((i, r))
    used, rule_of, why_of = [False] * len(table), [""] * len(table), [""] * len(table)
    rows: list[Row] = []
    for key, group in places.items():
        unit_flags: list[str] = list(aside.get(key, []))
        choice = _choose(group, sources, opts, unit_flags)
        if bool(choice.row.get("share_basis_small")):
            choice.row["flags"] = join_flags([*flags_of(choice.row["flags"]), "share_basis_small"])
        rows.append(choice.row)
        for i, is_used, rule, why in choice.outcome:
            used[i], rule_of[i], why_of[i] = is_used, rule, why
            if is_used:
                continue
            v = table[i]
            place = str(v["settlement"]) if opts.level == "settlement" else ""
            for fid in dict.fromkeys(
                by_view.get((str(v["source_id"]), str(v["unit_code"]), place), [])
            ):
                if decisions.get(fid, (False,))[0]:
                    decisions[fid] = (False, rule, why)
    views["used"], views["rule"], views["why"] = used, rule_of, why_of
    return pd.DataFrame(rows), views
