"""What one source says about one place: sums, totals, shares (R7, R8), villages (R6)."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd

from ..tables import flags_of, join_flags
from .rules import CARRIED_FLAGS, GROUPS, MIN_SHARE_BASIS, REPORTED, RULES, CountingOptions

log = logging.getLogger(__name__)


def aggregate(rec: pd.DataFrame, opts: CountingOptions) -> pd.DataFrame:
    """Sum contributions per (source, unit, settlement) into one wide row each."""
    keys = ["source_id", "unit_code", "settlement"]
    if rec.empty:
        return pd.DataFrame(columns=keys)
    rec = rec.copy()
    rec["unbounded"] = rec["hi"].isna()
    g = rec.groupby([*keys, "group"], observed=True, sort=False)
    sums = g[["n", "lo", "hi"]].sum()
    sums["ub"] = g["unbounded"].any()
    sums.loc[sums["ub"], "hi"] = np.nan
    wide = sums.unstack("group")
    missing = np.full(len(wide), np.nan)
    columns: dict[str, Any] = {}  # built apart and joined once: 21 insertions cost 5 ms
    for group in GROUPS:
        for stat, suffix in (("n", ""), ("lo", "_min"), ("hi", "_max")):
            column = (stat, group)
            values = wide[column].to_numpy() if column in wide.columns else missing
            columns[group + suffix] = values
    out = pd.DataFrame(columns, index=wide.index)
    reported = [*REPORTED, *(["possibly_damaged"] if opts.count_possible else [])]
    counted = rec[rec["group"].isin(reported)]
    # per view: structures of known type (0 when none has one: the basis of the share is
    # then empty, not unknown) and residential ones (unknown unless a figure names them)
    structure = counted["structure"]
    parts = pd.DataFrame(
        {
            "typed": counted["n"].where(structure != "any", 0.0),
            "residential": counted["n"].where(structure == "residential"),
        }
    )
    shares = parts.groupby([counted[k] for k in keys], observed=True).sum(min_count=1)
    shares = shares.reindex(out.index)
    out["residential_basis"] = shares["typed"].to_numpy()
    out["residential"] = shares["residential"].to_numpy()
    # what each view covers: (group, structure) pairs, gathered in one pass over the rows
    pairs: dict[Any, set[tuple[str, str]]] = {}
    lists = (counted[c].tolist() for c in [*keys, "group", "structure"])
    for *key, group, structure in zip(*lists, strict=True):
        pairs.setdefault(tuple(key), set()).add((group, structure))
    coverage = {k: frozenset(v) for k, v in pairs.items()}
    out["coverage"] = pd.Series([coverage.get(k) for k in out.index], index=out.index, dtype=object)
    return out.reset_index()


def totals(view: pd.DataFrame, opts: CountingOptions) -> pd.DataFrame:
    """Totals, assessed and shares of views (rules R7, R8)."""
    out = view.copy()
    parts = [*REPORTED, *(["possibly_damaged"] if opts.count_possible else [])]
    if "per_structure" in out.columns:
        # rule R10: a per-structure product counted every structure it graded in the unit,
        # so a state none of them is in is 0 there, not "not stated" (L'Aquila survey cells)
        graded = out[parts].notna().any(axis=1) | out["assessed_none"].notna()
        whole = out["per_structure"].fillna(False).astype(bool) & graded
        for state in ("destroyed", "damaged"):
            for column in (state, f"{state}_min", f"{state}_max"):
                out.loc[whole & out[column].isna(), column] = 0.0
    present = out[parts].notna().any(axis=1)
    out["total"] = out[parts].sum(axis=1, min_count=1)
    out["total_min"] = out[[f"{p}_min" for p in parts]].sum(axis=1, min_count=1)
    hi = out[[f"{p}_max" for p in parts]]
    unbounded = (hi.isna() & out[parts].notna().to_numpy()).any(axis=1)
    out["total_max"] = hi.sum(axis=1, min_count=1).where(~unbounded)
    out.loc[~present, ["total", "total_min", "total_max"]] = np.nan
    # a graded product counts its whole population: assessed = none + every graded one
    graded = out[[*REPORTED, "possibly_damaged"]].sum(axis=1, min_count=1).fillna(0)
    none = out["assessed_none"]
    # (a per-structure product graded every structure it holds, damaged or not)
    fill = out["assessed"].isna() & (none.notna() | out.get("per_structure", False))
    out.loc[fill, "assessed"] = none[fill].fillna(0) + graded[fill]
    # residential is stated when a figure names it; when none does it is 0 only if every
    # counted structure has a type ("60 destroyed, 6 of them shops" says nothing of houses)
    complete = out["residential_basis"].notna() & (out["residential_basis"] >= out["total"])
    out.loc[out["residential"].isna() & complete & out["total"].gt(0), "residential"] = 0.0
    return recompute_shares(out)


# --- choosing among sources ---------------------------------------------------------------


def describe(
    fine: pd.DataFrame,
    used: pd.DataFrame,
    place_flags: dict[tuple[str, str, str], list[str]],
    in_series: set[str],
) -> pd.DataFrame:
    """Dates, cumulative-ness and flags of each fine view, and the R3 scope check."""
    keys = ["source_id", "unit_code", "settlement"]
    used = used.assign(unit_code=used["unit_code"].astype(str))
    # each cell's flags parsed once, as Python strings (not per group from an Arrow column)
    lists = [flags_of(v) for v in used["flags"].astype(object).tolist()]
    if "qualifier" in used.columns:  # "about 40" is counted as 40, and the row says so
        approx = used["qualifier"].astype("string").eq("approx").fillna(False).tolist()
        lists = [[*f, "approximate"] if a else f for f, a in zip(lists, approx, strict=True)]
    used = used.assign(
        series=used["figure_id"].isin(in_series),
        _per_structure=[("per_structure" in f) for f in lists],
        _running=(used["cumulative"] != False).fillna(True).astype(bool),  # noqa: E712
    )
    g = used.groupby(keys, observed=True, dropna=False)
    # R3's scope check looks within one series lineage: the events of one table, added up,
    # keep their own dates (Bopha's 2012 rows beside Haiyan's 2013 narrow nothing)
    lineage = used["_lineage"] if "_lineage" in used.columns else used["source_id"]
    by_line = used.assign(_lineage=lineage).groupby(
        [*keys, "_lineage"], observed=True, dropna=False
    )
    within = pd.DataFrame({"earliest": by_line["as_of"].min(), "latest": by_line["as_of"].max()})
    within["narrowed"] = (
        by_line["series"].any()
        & within["earliest"].notna()
        & (within["earliest"] < within["latest"])
    )
    described = pd.DataFrame(
        {
            "as_of": g["as_of"].max(),
            "narrowed": within["narrowed"].groupby(level=keys, dropna=False).any(),
            "cumulative": g["_running"].all(),
            "per_structure": g["_per_structure"].any(),
        }
    )
    # the flags each view carries from its figures, gathered in one pass over the rows
    carried: dict[tuple[Any, ...], list[str]] = {}
    for key, f in zip(zip(*(used[k].tolist() for k in keys), strict=True), lists, strict=True):
        carried.setdefault(key, []).extend(x for x in f if x in CARRIED_FLAGS)
    described["carried"] = [join_flags(carried.get(k, [])) for k in described.index]
    described = described.reset_index()
    out = fine.assign(unit_code=fine["unit_code"].astype(str)).merge(described, on=keys, how="left")
    out["cumulative"] = out["cumulative"].fillna(True).astype(bool)
    flags = []
    for source, unit, settlement, carried, narrowed in zip(
        out["source_id"].tolist(),
        out["unit_code"].tolist(),
        out["settlement"].tolist(),
        out["carried"].tolist(),
        out["narrowed"].tolist(),
        strict=True,
    ):
        mine = [*flags_of(carried), *place_flags.get((str(source), str(unit), str(settlement)), [])]
        # R3: in a source that restates a series, a figure kept from an earlier date than
        # the latest statement means that statement was narrower: it did not replace it
        if narrowed is True:
            mine.append("scope_changed")
        flags.append(join_flags(mine))
    out["flags"] = flags
    out["per_structure"] = out["per_structure"].fillna(False).astype(bool)
    return out.drop(columns=["carried", "narrowed"])


def units_from_villages(
    fine: pd.DataFrame, rec: pd.DataFrame, decisions: dict[str, tuple[bool, str, str]]
) -> pd.DataFrame:
    """Rule R6 inside each source: the unit's own figure, else its villages summed (partial)."""
    own = fine[fine["settlement"] == ""].copy()
    villages = fine[fine["settlement"] != ""]
    own["partial"] = False
    if villages.empty:
        return own
    numeric = [c for c in villages.columns if villages[c].dtype.kind == "f"]
    keys = ["source_id", "unit_code"]
    g = villages.groupby(keys, observed=True, sort=False)
    summed = g[numeric].sum(min_count=1).reset_index()
    stats = ["destroyed", "damaged", "possibly_damaged", "unsplit", "total"]
    by = [villages[k] for k in keys]
    unbounded = villages[[f"{s}_max" for s in stats]].isna().groupby(by, sort=False).any()
    stated = villages[stats].notna().groupby(by, sort=False).any()
    for stat in stats:
        open_ended = unbounded[f"{stat}_max"].to_numpy() & stated[stat].to_numpy()
        summed.loc[open_ended, f"{stat}_max"] = np.nan
    summed["settlement"] = ""
    summed["as_of"] = g["as_of"].max().to_numpy()
    summed["cumulative"] = g["cumulative"].all().to_numpy()
    summed["flags"] = (
        g["flags"].agg(lambda s: join_flags(x for v in s for x in flags_of(v))).to_numpy()
    )
    covered = [
        frozenset().union(*[c for c in s if isinstance(c, frozenset)]) for _, s in g["coverage"]
    ]
    summed["coverage"] = pd.Series(covered, index=summed.index, dtype=object)
    summed["partial"] = True
    summed = recompute_shares(summed)
    own_keys = set(zip(own["source_id"], own["unit_code"].astype(str), strict=True))
    keep_summed = []
    for i, row in summed.iterrows():
        key = (row["source_id"], str(row["unit_code"]))
        ids = rec.loc[
            (rec["source_id"] == key[0])
            & (rec["unit_code"].astype(str) == key[1])
            & (rec["settlement"] != ""),
            "figure_id",
        ].unique()
        if key in own_keys:
            for fid in ids:
                if decisions.get(fid, (False,))[0]:
                    decisions[fid] = (False, "unit_over_villages", RULES["unit_over_villages"])
            j = own.index[(own["source_id"] == key[0]) & (own["unit_code"].astype(str) == key[1])][
                0
            ]
            exceed = [c for c in ("destroyed", "damaged", "total") if _larger(row[c], own.at[j, c])]
            if exceed:
                own.at[j, "flags"] = join_flags([*flags_of(own.at[j, "flags"]), "children_exceed"])
        else:
            for fid in ids:
                if decisions.get(fid, (False,))[0] and decisions[fid][1] in (
                    "counted",
                    "series_latest",
                ):
                    decisions[fid] = (True, "villages_partial", RULES["villages_partial"])
            keep_summed.append(i)
    summed = summed.loc[keep_summed]
    summed["flags"] = [join_flags([*flags_of(v), "partial"]) for v in summed["flags"]]
    return pd.concat([own, summed], ignore_index=True)


def _larger(a: Any, b: Any) -> bool:
    """``a > b`` for two counts, false when either is missing."""
    return not pd.isna(a) and not pd.isna(b) and float(a) > float(b)


def recompute_shares(view: pd.DataFrame) -> pd.DataFrame:
    """Rule R7: residential / structures of known type, given only on a large enough basis."""
    out = view.copy()
    basis = out["residential_basis"]
    enough = basis.notna() & (basis > 0) & (basis >= MIN_SHARE_BASIS * out["total"])
    enough &= out["residential"].notna()
    out["residential_share"] = (out["residential"] / basis).where(enough).round(3)
    out["share_basis_small"] = out["residential"].notna() & basis.notna() & (basis > 0) & ~enough
    return out
