"""Choosing among sources about one place (R5): the best view, and why each other is set
aside; disagreement, decrease and narrower scope."""

from __future__ import annotations

import itertools
import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..tables import flags_of, join_flags
from .rules import METHOD_RANK, REPORTED, RULES, CountingOptions

log = logging.getLogger(__name__)


@dataclass
class _Choice:
    row: dict[str, Any]
    outcome: list[tuple[int, bool, str, str]]  # view index, used, rule, why


def _rank_key(
    v: Mapping[Any, Any], relayed: bool, info: pd.DataFrame, opts: CountingOptions
) -> tuple[Any, ...]:
    method = info["method"].get(v["source_id"], None) if not info.empty else None
    when = v["as_of"].value if not pd.isna(v["as_of"]) else -(2**62)
    total = v["total"] if not pd.isna(v["total"]) else -1
    method_rank = METHOD_RANK.get(str(method), 9)
    partial = bool(v.get("partial", False))
    if opts.policy == "latest":
        return (-when, method_rank, relayed, partial, v["source_id"])
    if opts.policy == "max":
        return (-total, -when, v["source_id"])
    return (relayed, partial, -when, method_rank, -total, v["source_id"])


def _disagrees(values: list[float], ratio: float) -> bool:
    values = [v for v in values if not pd.isna(v)]
    if len(values) < 2:
        return False
    low, high = min(values), max(values)
    return high > 0 if low == 0 else high / low > ratio


def _narrower(best: pd.Series, other: Mapping[Any, Any]) -> str | None:
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
    views: pd.DataFrame, info: pd.DataFrame, opts: CountingOptions, unit_flags: list[str]
) -> _Choice:
    """Rule R5 for one place: the best view, and why each other is set aside."""
    if len(views) == 1:  # one source: nothing to choose, relay, compare or order by date
        return _only(views, opts, unit_flags)
    present = set(views["source_id"])
    cites = info["cites"] if not info.empty else pd.Series(dtype=object)
    relayed = {
        s for s in present if not pd.isna(cites.get(s, None)) and str(cites.get(s)) in present - {s}
    }
    records = views.to_dict("index")  # plain rows: a Series per view costs more than the rank
    order = sorted(
        views.index,
        key=lambda i: _rank_key(records[i], str(records[i]["source_id"]) in relayed, info, opts),
    )
    best = views.loc[order[0]]
    outcome: list[tuple[int, bool, str, str]] = []
    outcome.append((order[0], True, "source_best", _WHY_BEST[opts.policy]))
    for i in order[1:]:
        v = records[i]
        if v["source_id"] in relayed and opts.policy == "best":
            why = f"{RULES['source_relayed']} ({cites.get(v['source_id'])})"
            outcome.append((i, False, "source_relayed", why))
            unit_flags.append("relayed")
        else:
            why = RULES["source_other"]
            if (
                not pd.isna(best["as_of"])
                and not pd.isna(v["as_of"])
                and v["as_of"] < best["as_of"]
            ):
                why += f" (this one is older than the one used, {best['as_of'].date()})"
            outcome.append((i, False, "source_other", why))
    if not pd.isna(best["as_of"]):
        near = views[
            (views["as_of"] - best["as_of"]).abs().dt.days.le(opts.window_days).fillna(False)
        ]
    else:
        near = views
    key = "total" if near["total"].notna().sum() >= 2 else "destroyed"
    if _disagrees(near[key].tolist(), opts.disagree_ratio):
        unit_flags.append("disagree")
    series = views[views["as_of"].notna() & views["cumulative"]].sort_values("as_of")
    for column in ("destroyed", "total"):
        points = series[column].dropna().tolist()
        if any(b < a for a, b in itertools.pairwise(points)):
            unit_flags.append("decreasing")
            break
    older = (
        [
            records[i]
            for i in views.index
            if not pd.isna(records[i]["as_of"]) and records[i]["as_of"] < best["as_of"]
        ]
        if not pd.isna(best["as_of"])
        else []
    )
    for v in older:
        what = _narrower(best, v)
        if what:
            unit_flags.append("scope_changed")
            best_flags = [*flags_of(best["flags"])]
            best = best.copy()
            best["flags"] = join_flags(best_flags)
            best["scope_note"] = (
                f"the source used ({best['as_of'].date()}) says nothing of {what}, which an "
                f"older source ({v['as_of'].date() if not pd.isna(v['as_of']) else 'undated'}) counted"
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


def _only(views: pd.DataFrame, opts: CountingOptions, unit_flags: list[str]) -> _Choice:
    """Rule R5 for a place one source speaks of: that source (measured: most places of a
    per-structure product; the general path costs several table copies per place)."""
    i = views.index[0]
    best = views.loc[i]
    return _Choice(
        row=_chosen_row(best, views, unit_flags),
        outcome=[(i, True, "source_best", _WHY_BEST[opts.policy])],
    )


def _chosen_row(best: pd.Series, views: pd.DataFrame, unit_flags: list[str]) -> dict[str, Any]:
    """The summary row of a place: the chosen view, the range across views, the flags."""
    row: dict[str, Any] = {str(k): v for k, v in best.to_dict().items()}
    totals = views["total"].dropna()
    row["n_sources"] = len(views)
    row["total_low"] = totals.min() if not totals.empty else np.nan
    row["total_high"] = totals.max() if not totals.empty else np.nan
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
    for fid, unit, settlement in zip(f["figure_id"], f["unit_code"], f["settlement"], strict=True):
        rule = decisions.get(fid, (True, "", ""))[1]
        if rule in codes and not pd.isna(unit):
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
    views = views.reset_index(drop=True)
    views["used"] = False
    views["rule"] = ""
    views["why"] = ""
    rows: list[dict[str, Any]] = []
    place_keys = ["unit_code", "settlement"]
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
    for key, group in views.groupby(place_keys, observed=True, sort=False, dropna=False):
        unit_flags: list[str] = list(aside.get((str(key[0]), str(key[1])), []))
        choice = _choose(group, info, opts, unit_flags)
        if bool(choice.row.get("share_basis_small")):
            choice.row["flags"] = join_flags([*flags_of(choice.row["flags"]), "share_basis_small"])
        rows.append(choice.row)
        for i, used, rule, why in choice.outcome:
            views.at[i, "used"] = used
            views.at[i, "rule"] = rule
            views.at[i, "why"] = why
            if used:
                continue
            v = views.loc[i]
            place = str(v["settlement"]) if opts.level == "settlement" else ""
            for fid in dict.fromkeys(
                by_view.get((str(v["source_id"]), str(v["unit_code"]), place), [])
            ):
                if decisions.get(fid, (False,))[0]:
                    decisions[fid] = (False, rule, why)
    return pd.DataFrame(rows), views
