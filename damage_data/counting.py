"""The counting model (DESIGN §4): which figures add up, which describe the same set, and why.

Every number the toolkit prints is a sum of figures about *disjoint* sets of structures, or
one figure chosen among figures about the *same* set. The rules, in the order they apply:

R1 breakdowns are parts, never addends (``subset_of``), and a restatement (``same_as``)
   counts once; R2 different places are disjoint and add up into their parent unit;
R3 a series (same source, place, state, type and count unit at several dates) gives its
   latest figure at or before ``as_of``; R4 each structure once (applied where structures
   are counted, :mod:`damage_data.count.assign`); R5 sources are never added: the best one per
   unit is used, and the same source reaching us twice is one source; R6 a unit's own
   figure wins over the sum of its villages; R7 a share has a stated basis; R8 ranges
   survive; R9 count units are never mixed; R10 zero is a number, "not stated" is not 0.

:func:`count` applies them and returns the per-place rows, the per-source views and one
decision per figure (used or not, the rule's name and a sentence), which ``explain`` prints.
Plain column operations do the bulk; only the figures inside a breakdown tree are walked one
by one (a handful per statement), because a tree's meaning depends on its shape.
"""

from __future__ import annotations

import itertools
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ._errors import UsageError
from .tables import flags_of, join_flags
from .vocab import damage_group

log = logging.getLogger(__name__)

#: The rules by name, as ``explain`` prints them (a contract: tests and docs use the names).
RULES: dict[str, str] = {
    "counted": "R2 counted: figures about different places, states or types add up",
    "series_latest": "R3 counted: the latest figure of a series in this source",
    "series_earlier": "R3 set aside: an earlier figure of a series; the latest is used, never the sum",
    "scope_narrower": "R3 set aside: a later statement of narrower scope (fewer types) does not "
    "replace the wider one (flagged: scope changed)",
    "breakdown": "R1 a part of a figure already counted: not added again",
    "breakdown_state": "R1 counted in its own state and taken out of the total it is part of",
    "restatement": "R1 set aside: the same set described again",
    "source_best": "R5 used: the best source for this place",
    "source_other": "R5 set aside: another source ranks higher; sources are never added",
    "source_relayed": "R5 set aside: relays a source that is used instead",
    "source_duplicate": "R5 counted once: the same figure reached the summary twice",
    "unit_over_villages": "R6 set aside for the unit: the source gives the unit's own figure",
    "villages_partial": "R6 counted: villages add up to a partial unit total",
    "count_unit": "R9 set aside: counted in another count unit; units are never mixed",
    "assessed_none": "counted as assessed with no visible damage (a denominator)",
    "not_damage": "set aside: not a building-damage state",
    "after_as_of": "set aside: dated after --as-of",
    "needs_review": "set aside: needs review (mark it accepted to count it)",
    "unresolved": "set aside: the place is not resolved to a unit",
    "no_number": "set aside: no number given",
}

#: Summary groups counted into ``total`` (possibly damaged joins on request).
REPORTED = ("destroyed", "damaged", "unsplit")
#: A figure in group KEY includes parts in the groups listed ("185 enterprises damaged, six
#: of them destroyed": 179 damaged + 6 destroyed). ``assessed`` includes everything but is
#: a denominator: nothing is taken out of it.
INCLUDES: dict[str, tuple[str, ...]] = {
    "damaged": ("destroyed",),
    "unsplit": ("destroyed", "damaged", "possibly_damaged"),
}
POLICIES: tuple[str, ...] = ("best", "latest", "max", "all")
LEVELS: tuple[str, ...] = ("unit", "settlement")
#: Method ranks: a lower number is preferred (DESIGN §4 rule 5).
METHOD_RANK: dict[str, int] = {
    "field_survey": 0,
    "satellite": 1,
    "official_statement": 2,
    "press": 3,
    "compilation": 4,
}
#: Count units that count the same things; other families are never mixed (rule 9).
COUNT_FAMILIES: dict[str, str] = {
    "structures": "buildings",
    "buildings": "buildings",
    "housing_units": "housing_units",
    "households": "households",
}
#: Figure flags carried into the row of the place they are counted for.
CARRIED_FLAGS = frozenset(
    {
        "parent_conflict",
        "partial_area",
        "preliminary",
        "vague_number",
        "multi_place",
        "building_blocks",
        "lossy_class",
    }
)
#: The date an undated figure sorts at: before any dated one (dates before 1900 are rejected).
_NO_DATE = pd.Timestamp("1800-01-01")
#: Below this share of the counted set typed, a residential share is not given (rule 7).
MIN_SHARE_BASIS = 0.5

_GROUPS = ("destroyed", "damaged", "possibly_damaged", "unsplit", "assessed", "assessed_none")
_NEEDED = (
    "figure_id",
    "source_id",
    "unit_code",
    "settlement",
    "damage",
    "structure",
    "count_unit",
    "count",
    "count_min",
    "count_max",
    "subset_of",
    "same_as",
    "cumulative",
    "as_of",
    "status",
    "flags",
)


@dataclass(frozen=True)
class CountingOptions:
    """Settings of the counting model; each rule of DESIGN §4 is one of them."""

    policy: str = "best"
    as_of: pd.Timestamp | None = None
    count_possible: bool = False
    disagree_ratio: float = 1.5
    window_days: int = 7
    include_review: bool = False
    level: str = "unit"

    def __post_init__(self) -> None:
        if self.policy not in POLICIES:
            raise UsageError(
                f"unknown policy {self.policy!r}; choose one of: {', '.join(POLICIES)}"
            )
        if self.level not in LEVELS:
            raise UsageError(f"unknown level {self.level!r}; choose one of: {', '.join(LEVELS)}")
        if not self.disagree_ratio >= 1:
            raise UsageError(f"disagree_ratio must be at least 1, not {self.disagree_ratio}")


def options(**kwargs: Any) -> CountingOptions:
    """:class:`CountingOptions` from keyword arguments, reading ``as_of`` as a date."""
    as_of = kwargs.get("as_of")
    if as_of is not None and not isinstance(as_of, pd.Timestamp):
        try:
            kwargs["as_of"] = pd.Timestamp(as_of)
        except (ValueError, TypeError) as err:
            raise UsageError(f"--as-of {as_of!r} is not a date; write it as YYYY-MM-DD") from err
    known = CountingOptions.__dataclass_fields__
    return CountingOptions(**{k: v for k, v in kwargs.items() if k in known})


@dataclass
class Counted:
    """What :func:`count` decided.

    Attributes
    ----------
    rows
        One row per place (unit, or unit and settlement at ``level="settlement"``): the
        chosen source's counts, ranges, shares, ``n_sources``, the range of totals across
        sources, ``as_of`` and flags.
    views
        One row per place and source: what each source says after rules R1–R3 and R6, with
        ``used`` and the rule that decided.
    decisions
        One row per figure: ``figure_id, used, rule, why``.
    duplicates
        Figure ids that reached the summary more than once (counted once, rule R5).
    """

    rows: pd.DataFrame
    views: pd.DataFrame
    decisions: pd.DataFrame
    duplicates: list[str] = field(default_factory=list)


# --- preparing the figures ----------------------------------------------------------------


def _source_info(sources: pd.DataFrame | None) -> pd.DataFrame:
    columns = ["source_id", "title", "publisher", "method", "published", "cites"]
    if sources is None or sources.empty:
        return pd.DataFrame(columns=columns).set_index("source_id")
    table = sources.drop_duplicates("source_id").copy()
    for column in columns:
        if column not in table.columns:
            table[column] = pd.NA
    table["source_id"] = table["source_id"].astype(str)
    return table[columns].set_index("source_id")


def _prepare(
    figures: pd.DataFrame, info: pd.DataFrame, opts: CountingOptions
) -> tuple[pd.DataFrame, list[str]]:
    missing = [c for c in _NEEDED if c not in figures.columns]
    if missing:
        raise UsageError(
            f"the figures table lacks columns {missing}; build it with "
            "damage_data.make_figures() or read it with damage_data.readers.load()"
        )
    f = figures[list(_NEEDED)].copy()
    seen = f["figure_id"].astype(str).duplicated()
    duplicates = sorted(set(f.loc[seen, "figure_id"].astype(str)))
    f = f[~seen.to_numpy()].reset_index(drop=True)
    f["figure_id"] = f["figure_id"].astype(str)
    f["source_id"] = f["source_id"].astype(str)
    f["unit_code"] = f["unit_code"].astype("string")
    f["settlement"] = f["settlement"].astype("string").fillna("").str.strip()
    for column in ("damage", "structure", "count_unit", "status"):
        f[column] = f[column].astype("string")
    f["structure"] = f["structure"].fillna("any")
    f["count"] = pd.to_numeric(f["count"], errors="coerce").astype("Float64")
    f["count_min"] = pd.to_numeric(f["count_min"], errors="coerce").astype("Float64")
    f["count_max"] = pd.to_numeric(f["count_max"], errors="coerce").astype("Float64")
    f["count_min"] = f["count_min"].fillna(f["count"])
    f["as_of"] = pd.to_datetime(f["as_of"], errors="coerce")
    # an undated figure refers to the date its source was published
    published = pd.to_datetime(f["source_id"].map(info["published"]), errors="coerce")
    f["as_of"] = f["as_of"].fillna(published)
    groups = {d: damage_group(d) for d in f["damage"].dropna().unique()}
    group = f["damage"].map(groups).astype("object")
    if opts.count_possible:
        group = group.where(group != "possibly_damaged", "damaged")
    group = group.where(f["damage"] != "none", "assessed_none")
    f["group"] = group
    f["family"] = f["count_unit"].map(COUNT_FAMILIES).fillna(f["count_unit"]).fillna("buildings")
    for link in ("subset_of", "same_as"):
        text = f[link].astype("string")
        f[link] = text.mask(text == "")
    f["cumulative"] = f["cumulative"].astype("boolean")
    return f, duplicates


def _decide(decisions: dict[str, tuple[bool, str, str]], ids: Any, rule: str, why: str) -> None:
    used = rule in (
        "counted",
        "series_latest",
        "breakdown",
        "breakdown_state",
        "source_best",
        "villages_partial",
        "assessed_none",
    )
    for fid in ids:
        decisions[str(fid)] = (used, rule, why)


def _filters(
    f: pd.DataFrame, opts: CountingOptions, decisions: dict[str, tuple[bool, str, str]]
) -> pd.Series:
    """Figures that take part in counting; the others get their decision here."""
    live = pd.Series(True, index=f.index)
    checks: list[tuple[pd.Series, str, Any]] = [
        (f["unit_code"].isna(), "unresolved", RULES["unresolved"] + " (see the match log)"),
    ]
    if opts.as_of is not None:
        checks.append(
            (
                f["as_of"].gt(opts.as_of).fillna(False),
                "after_as_of",
                f"set aside: dated after --as-of {opts.as_of.date()}",
            )
        )
    review = f["status"].fillna("accepted") != "accepted"
    if opts.include_review:
        review = review & (f["status"] != "needs_review")
    checks += [
        (review, "needs_review", RULES["needs_review"]),
        (f["count"].isna(), "no_number", RULES["no_number"]),
        (
            f["group"].isna(),
            "not_damage",
            "set aside: " + f["damage"].fillna("?").astype(str) + " is not a building-damage state",
        ),
        (f["same_as"].notna(), "restatement", RULES["restatement"]),
    ]
    for mask, rule, why in checks:
        hit = (mask.fillna(False).astype(bool) & live).to_numpy()
        if not hit.any():
            continue
        whys = why if isinstance(why, str) else why.to_numpy()
        for i in np.flatnonzero(hit):
            fid = str(f.at[i, "figure_id"])
            decisions[fid] = (False, rule, whys if isinstance(whys, str) else str(whys[i]))
        live &= ~hit
    # rule 9: one count-unit family per unit, buildings first, else the most figures
    if live.any():
        fam = f.loc[live, ["unit_code", "family"]]
        sizes = fam.groupby(["unit_code", "family"], observed=True).size().reset_index(name="n")
        sizes["pref"] = sizes["family"] == "buildings"
        chosen = (
            sizes.sort_values(["unit_code", "pref", "n"], ascending=[True, False, False])
            .drop_duplicates("unit_code")
            .set_index("unit_code")["family"]
        )
        other = live & (f["family"] != f["unit_code"].map(chosen)).fillna(False)
        for i in np.flatnonzero(other.to_numpy()):
            unit = str(f.at[i, "unit_code"])
            decisions[str(f.at[i, "figure_id"])] = (
                False,
                "count_unit",
                f"{RULES['count_unit']} ({f.at[i, 'count_unit']!s} here, "
                f"{chosen.get(unit, '?')} for this unit)",
            )
        live &= ~other
    return live


# --- series and breakdowns inside one source ----------------------------------------------


def _parents(f: pd.DataFrame, live: pd.Series) -> pd.Series:
    """The live parent (``subset_of``) of each live figure, within its own source."""
    ids = f.loc[live, ["figure_id", "source_id"]]
    source_of = dict(zip(ids["figure_id"], ids["source_id"], strict=True))
    parent = f["subset_of"].where(live)
    ok = [
        (not pd.isna(p)) and source_of.get(str(p)) == s
        for p, s in zip(parent, f["source_id"], strict=True)
    ]
    return parent.where(pd.Series(ok, index=f.index))


def _series(
    f: pd.DataFrame, live: pd.Series, parent: pd.Series, decisions: dict[str, tuple[bool, str, str]]
) -> tuple[pd.Series, set[str], pd.Series, dict[tuple[str, str, str], list[str]]]:
    """Rule R3: a series gives its latest figure; a narrower later statement replaces nothing.

    Returns the still-live mask, the ids of figures in a series, the parents (with implicit
    breakdowns added) and the flags of places whose scope changed or whose series went down.
    """
    running = ~(f["cumulative"] == False).fillna(False)  # noqa: E712 (unknown: a running total)
    top = live & parent.isna() & running
    keys = ["source_id", "unit_code", "settlement", "group", "structure", "family"]
    sub = f.loc[top, [*keys, "as_of", "figure_id", "flags"]].copy()
    sub["_t"] = sub["as_of"].astype("datetime64[ns]").fillna(_NO_DATE)
    g = sub.groupby(keys, dropna=False, observed=True)["_t"]
    latest = g.transform("max")
    dates = g.transform("nunique")
    gone: dict[str, tuple[str, str]] = {}
    for i in sub.index[(sub["_t"] < latest).to_numpy()]:
        when = latest[i]
        why = RULES["series_earlier"]
        if when != _NO_DATE:
            why += f" (a later one is dated {when.date()})"
        gone[str(sub.at[i, "figure_id"])] = ("series_earlier", why)
    in_series = set(sub.loc[(dates > 1).to_numpy(), "figure_id"])
    decreasing: set[tuple[str, str, str]] = set()
    series = sub[(dates > 1).to_numpy()].assign(n=f.loc[sub.index, "count"].astype(float))
    for key, rows in series.groupby(keys, dropna=False, observed=True, sort=False):
        by_date = rows.groupby("_t")["n"].sum().sort_index()
        if (by_date.diff().dropna() < 0).any():
            decreasing.add((str(key[0]), str(key[1]), str(key[2])))
    parent = parent.copy()
    narrowed: set[tuple[str, str, str]] = set()
    # counts of structures are disjoint by construction ("any" = those of unknown type)
    counted = sub["flags"].fillna("").str.contains("per_structure")
    kept = sub[~sub["figure_id"].isin(gone) & ~counted.to_numpy()]
    scope = ["source_id", "unit_code", "settlement", "group", "family"]
    for key, rows in kept.groupby(scope, dropna=False, observed=True, sort=False):
        untyped = rows[rows["structure"] == "any"]
        typed = rows[rows["structure"] != "any"]
        if untyped.empty or typed.empty:
            continue
        # typed and untyped figures of one source overlap (houses are buildings): the
        # latest untyped total decides what the typed ones are
        whole_date = pd.Timestamp(untyped["_t"].max())
        whole = str(untyped.loc[untyped["_t"] == whole_date, "figure_id"].iloc[0])
        for i, fid, when in zip(
            typed.index.tolist(), typed["figure_id"].tolist(), typed["_t"].tolist(), strict=True
        ):
            if when < whole_date:
                gone[str(fid)] = (
                    "series_earlier",
                    RULES["series_earlier"] + f" (a later total is dated {whole_date.date()})",
                )
            elif when == whole_date:
                parent.loc[i] = whole  # an implicit breakdown of the total of that date
            else:
                gone[str(fid)] = ("scope_narrower", RULES["scope_narrower"])
                narrowed.add((str(key[0]), str(key[1]), str(key[2])))
    # the parts of a superseded figure go with it
    children: dict[str, list[str]] = defaultdict(list)
    for fid, p in zip(f["figure_id"], parent, strict=True):
        if not pd.isna(p):
            children[str(p)].append(fid)
    stack = list(gone)
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in gone:
                gone[child] = ("series_earlier", RULES["series_earlier"] + " (with its total)")
                stack.append(child)
    for fid, (rule, why) in gone.items():
        decisions[fid] = (False, rule, why)
    flags = {k: ["scope_changed"] for k in narrowed}
    for k in decreasing:
        flags.setdefault(k, []).append("decreasing")
    return live & ~f["figure_id"].isin(gone), in_series, parent, flags


def _records(
    f: pd.DataFrame,
    live: pd.Series,
    parent: pd.Series,
    in_series: set[str],
    decisions: dict[str, tuple[bool, str, str]],
    flags: dict[tuple[str, str, str], list[str]],
) -> pd.DataFrame:
    """Net contributions ``(source, place, group, structure, count, min, max)``.

    A figure outside any breakdown contributes itself. Inside a tree (rule R1): a part in
    the same group as an ancestor moves its count from the ancestor's untyped count to its
    own type (it says what the total is made of); a part in a narrower group ("six of them
    destroyed") counts in its group and is taken out of the ancestor's.
    """
    alive = f[live]
    has_child = set(parent[live].dropna().astype(str))
    in_tree = alive["figure_id"].isin(has_child) | parent[live].notna()
    plain = alive[~in_tree.to_numpy()]
    cols = ["figure_id", "source_id", "unit_code", "settlement", "group", "structure"]
    rec = plain[cols].copy()
    rec["n"] = plain["count"].astype(float)
    rec["lo"] = plain["count_min"].astype(float)
    rec["hi"] = plain["count_max"].astype(float)
    for fid, group in zip(plain["figure_id"], plain["group"], strict=True):
        if group == "assessed_none":
            decisions[fid] = (True, "assessed_none", RULES["assessed_none"])
        elif fid in in_series:
            decisions[fid] = (True, "series_latest", RULES["series_latest"])
        else:
            decisions[fid] = (True, "counted", RULES["counted"])
    tree = alive[in_tree.to_numpy()]
    if tree.empty:
        return rec
    rows = [{str(k): v for k, v in r.items()} for r in tree.to_dict("records")]
    by_id = {r["figure_id"]: r for r in rows}
    kids: dict[str, list[dict[str, Any]]] = defaultdict(list)
    roots = []
    for r, p in zip(rows, parent[tree.index], strict=True):
        if pd.isna(p):
            roots.append(r)
        else:
            kids[str(p)].append(r)
    out: list[dict[str, Any]] = []

    def emit(r: dict[str, Any], group: str, structure: str, n: float, lo: float, hi: float) -> None:
        out.append(
            {
                "figure_id": r["figure_id"],
                "source_id": r["source_id"],
                "unit_code": r["unit_code"],
                "settlement": r["settlement"],
                "group": group,
                "structure": structure,
                "n": n,
                "lo": lo,
                "hi": hi,
            }
        )

    def place(r: dict[str, Any]) -> tuple[str, str, str]:
        return (r["source_id"], str(r["unit_code"]), r["settlement"])

    def walk(r: dict[str, Any], chain: list[dict[str, Any]]) -> None:
        fid, group = r["figure_id"], r["group"]
        n = float(r["count"])
        lo = float(r["count_min"]) if not pd.isna(r["count_min"]) else n
        hi = float(r["count_max"]) if not pd.isna(r["count_max"]) else np.nan
        same = next((a for a in reversed(chain) if a["group"] == group), None)
        wider = next(
            (a for a in reversed(chain) if group in INCLUDES.get(a["group"], ())),
            None,
        )
        if group == "assessed_none":
            emit(r, group, r["structure"], n, lo, hi)
            decisions[fid] = (True, "assessed_none", RULES["assessed_none"])
        elif same is not None:
            # a breakdown of a total already counted: it names what the total holds
            decisions[fid] = (
                True,
                "breakdown",
                f"{RULES['breakdown']} (part of figure {same['figure_id']})",
            )
            if same["structure"] == "any" and r["structure"] != "any":
                emit(r, group, r["structure"], n, n, n)
                emit(same, group, "any", -n, -n, -n)
        elif wider is not None:
            structure = r["structure"] if r["structure"] != "any" else wider["structure"]
            emit(r, group, structure, n, lo, hi)
            emit(wider, wider["group"], wider["structure"], -n, -n, -n)
            decisions[fid] = (
                True,
                "breakdown_state",
                f"{RULES['breakdown_state']} (figure {wider['figure_id']}, {wider['group']})",
            )
        else:
            emit(r, group, r["structure"], n, lo, hi)
            rule = "series_latest" if fid in in_series else "counted"
            decisions[fid] = (True, rule, RULES[rule])
        for child in kids.get(fid, []):
            walk(child, [*chain, r])
        _check_parts(r, kids.get(fid, []), flags.setdefault(place(r), []))

    for root in roots:
        walk(root, [])
    extra = pd.DataFrame(out, columns=[*cols, "n", "lo", "hi"])
    # a total whose parts took all of it ("10 in all: 4 destroyed, 6 damaged") leaves no
    # remainder of its own state: a derived 0 is not a reported zero (rule R10)
    taken = extra.groupby(["figure_id", "group"], observed=True)["n"].agg(["sum", "size"])
    emptied = taken[(taken["sum"] == 0) & (taken["size"] > 1)].index
    if len(emptied):
        keyed = pd.MultiIndex.from_frame(extra[["figure_id", "group"]])
        extra = extra[~keyed.isin(emptied)]
    _name_the_rest(extra, by_id, kids)
    return pd.concat([rec, extra], ignore_index=True) if not rec.empty else extra


def _check_parts(r: dict[str, Any], parts: list[dict[str, Any]], flags: list[str]) -> None:
    """Flag parts that add up to more than their total (rule R1)."""
    if not parts:
        return
    same = [p for p in parts if p["group"] == r["group"] and p["structure"] != "any"]
    inner = [p for p in parts if p["group"] in INCLUDES.get(r["group"], ())]
    total = float(r["count"])
    if sum(float(p["count"]) for p in same) > total or (
        r["group"] != "assessed" and sum(float(p["count"]) for p in inner) > total
    ):
        flags.append("parts_exceed_total")
    if (
        r["group"] == "assessed"
        and sum(float(p["count"]) for p in parts if p["group"] != "assessed") > total
    ):
        flags.append("parts_exceed_total")


def _name_the_rest(
    rec: pd.DataFrame, by_id: dict[str, dict[str, Any]], kids: dict[str, list[dict[str, Any]]]
) -> None:
    """A breakdown that names its residential part says the rest is not residential.

    "47 buildings, of which 41 houses": the other 6 are of known type (not houses), so the
    share is 41/47. A breakdown naming no residential part leaves the rest untyped.
    """
    for fid, parts in kids.items():
        total = by_id.get(fid)
        if total is None or total["structure"] != "any":
            continue
        if not any(p["group"] == total["group"] and p["structure"] == "residential" for p in parts):
            continue
        mine = (rec["figure_id"] == fid) & (rec["group"] == total["group"])
        mine &= rec["structure"] == "any"
        left = rec.loc[mine, "n"].sum()
        if left > 0:
            idx = rec.index[mine.to_numpy()]
            rec.loc[idx, "structure"] = "other"


# --- views: what one source says about one place ------------------------------------------


def _aggregate(rec: pd.DataFrame, opts: CountingOptions) -> pd.DataFrame:
    """Sum contributions per (source, unit, settlement) into one wide row each."""
    keys = ["source_id", "unit_code", "settlement"]
    if rec.empty:
        return pd.DataFrame(columns=keys)
    rec = rec.copy()
    rec["unbounded"] = rec["hi"].isna()
    g = rec.groupby([*keys, "group"], observed=True, sort=False)
    sums = g.agg(n=("n", "sum"), lo=("lo", "sum"), hi=("hi", "sum"), ub=("unbounded", "any"))
    sums.loc[sums["ub"], "hi"] = np.nan
    wide = sums.unstack("group")
    out = pd.DataFrame(index=wide.index)
    for group in _GROUPS:
        for stat, suffix in (("n", ""), ("lo", "_min"), ("hi", "_max")):
            column = (stat, group)
            out[group + suffix] = wide[column] if column in wide.columns else np.nan
    reported = [*REPORTED, *(["possibly_damaged"] if opts.count_possible else [])]
    counted = rec[rec["group"].isin(reported)]
    typed = counted[counted["structure"] != "any"].groupby(keys, observed=True)["n"].sum()
    resid = counted[counted["structure"] == "residential"].groupby(keys, observed=True)["n"].sum()
    out["residential_basis"] = typed.reindex(out.index)
    out["residential"] = resid.reindex(out.index)
    has_any = counted.groupby(keys, observed=True)["n"].size().reindex(out.index)
    out.loc[has_any.notna() & out["residential_basis"].isna(), "residential_basis"] = 0.0
    coverage: dict[Any, frozenset[tuple[str, str]]] = {}
    for key, rows in counted.groupby(keys, observed=True, sort=False):
        coverage[key] = frozenset(zip(rows["group"], rows["structure"], strict=True))
    out["coverage"] = pd.Series([coverage.get(k) for k in out.index], index=out.index, dtype=object)
    return out.reset_index()


def _totals(view: pd.DataFrame, opts: CountingOptions) -> pd.DataFrame:
    """Totals, assessed and shares of views (rules R7, R8)."""
    out = view.copy()
    parts = [*REPORTED, *(["possibly_damaged"] if opts.count_possible else [])]
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
    return _recompute_shares(out)


# --- choosing among sources ---------------------------------------------------------------


@dataclass
class _Choice:
    row: dict[str, Any]
    outcome: list[tuple[int, bool, str, str]]  # view index, used, rule, why


def _rank_key(
    v: pd.Series, relayed: bool, info: pd.DataFrame, opts: CountingOptions
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


def _narrower(best: pd.Series, other: pd.Series) -> str | None:
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
    present = set(views["source_id"])
    cites = info["cites"] if not info.empty else pd.Series(dtype=object)
    relayed = {
        s for s in present if not pd.isna(cites.get(s, None)) and str(cites.get(s)) in present - {s}
    }
    order = sorted(
        views.index,
        key=lambda i: _rank_key(
            _row(views, i), str(views.at[i, "source_id"]) in relayed, info, opts
        ),
    )
    best = views.loc[order[0]]
    outcome: list[tuple[int, bool, str, str]] = []
    why_best = {
        "best": "R5 used: the best source (primary over relay, own figure over villages, "
        "latest, then method)",
        "latest": "R5 used: the latest source",
        "max": "R5 used: the largest total",
        "all": "R5 used",
    }[opts.policy]
    outcome.append((order[0], True, "source_best", why_best))
    for i in order[1:]:
        v = views.loc[i]
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
        views[views["as_of"].lt(best["as_of"]).fillna(False)]
        if not pd.isna(best["as_of"])
        else views.iloc[0:0]
    )
    for _, v in older.iterrows():
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
    row = best.to_dict()
    totals = views["total"].dropna()
    row["n_sources"] = len(views)
    row["total_low"] = totals.min() if not totals.empty else np.nan
    row["total_high"] = totals.max() if not totals.empty else np.nan
    row["flags"] = join_flags([*flags_of(best["flags"]), *unit_flags])
    return _Choice(row=row, outcome=outcome)


# --- the whole model ----------------------------------------------------------------------


def count(
    figures: pd.DataFrame, sources: pd.DataFrame | None = None, opts: CountingOptions | None = None
) -> Counted:
    """Apply the counting model to a figures table.

    Parameters
    ----------
    figures
        A ``figures`` table (DESIGN §2).
    sources
        The ``sources`` table: publication dates, methods, and which report relays which.
    opts
        :class:`CountingOptions`; defaults to the documented defaults.

    Returns
    -------
    Counted

    Examples
    --------
    >>> from damage_data.example import example_figures, example_sources
    >>> c = count(example_figures(), example_sources())
    >>> row = c.rows.set_index("unit_code").loc["AZ-CAB"]
    >>> int(row["damaged"]), int(row["residential"]), float(row["residential_share"])
    (47, 41, 0.872)
    """
    opts = opts or CountingOptions()
    info = _source_info(sources)
    f, duplicates = _prepare(figures, info, opts)
    decisions: dict[str, tuple[bool, str, str]] = {}
    live = _filters(f, opts, decisions)
    parent = _parents(f, live)
    live, in_series, parent, series_flags = _series(f, live, parent, decisions)
    parent = parent.where(live)
    place_flags: dict[tuple[str, str, str], list[str]] = series_flags
    rec = _records(f, live, parent, in_series, decisions, place_flags)
    fine = _aggregate(rec, opts)
    if fine.empty:
        return _empty(f, decisions, duplicates)
    fine = _describe(fine, f[live], place_flags, in_series)
    fine = _totals(fine, opts)
    if opts.level == "settlement":
        views = fine[fine["settlement"] != ""].copy()
        views["partial"] = False
    else:
        views = _units_from_villages(fine, rec, decisions)
    aside = _place_flags_from_decisions(f, decisions, opts.level)
    rows, view_rows = _choose_all(views, info, opts, rec, decisions, aside)
    out_decisions = pd.DataFrame(
        [(fid, *d) for fid, d in decisions.items()], columns=["figure_id", "used", "rule", "why"]
    )
    return Counted(rows=rows, views=view_rows, decisions=out_decisions, duplicates=duplicates)


def _empty(
    f: pd.DataFrame, decisions: dict[str, tuple[bool, str, str]], duplicates: list[str]
) -> Counted:
    table = pd.DataFrame(
        [(fid, *d) for fid, d in decisions.items()], columns=["figure_id", "used", "rule", "why"]
    )
    return Counted(
        rows=pd.DataFrame(columns=["unit_code", "settlement"]),
        views=pd.DataFrame(columns=["unit_code", "settlement", "source_id"]),
        decisions=table,
        duplicates=duplicates,
    )


def _describe(
    fine: pd.DataFrame,
    used: pd.DataFrame,
    place_flags: dict[tuple[str, str, str], list[str]],
    in_series: set[str],
) -> pd.DataFrame:
    """Dates, cumulative-ness and flags of each fine view, and the R3 scope check."""
    keys = ["source_id", "unit_code", "settlement"]
    used = used.assign(unit_code=used["unit_code"].astype(str))
    used = used.assign(_series=used["figure_id"].isin(in_series))
    g = used.groupby(keys, observed=True, dropna=False)
    described = pd.DataFrame(
        {
            "as_of": g["as_of"].max(),
            "earliest": g["as_of"].min(),
            "cumulative": g["cumulative"].agg(lambda s: bool((s != False).all())),  # noqa: E712
            "has_series": g["_series"].any(),
            "per_structure": g["flags"].agg(
                lambda s: any("per_structure" in flags_of(v) for v in s)
            ),
            "carried": g["flags"].agg(
                lambda s: join_flags(x for v in s for x in flags_of(v) if x in CARRIED_FLAGS)
            ),
        }
    ).reset_index()
    out = fine.assign(unit_code=fine["unit_code"].astype(str)).merge(described, on=keys, how="left")
    out["cumulative"] = out["cumulative"].fillna(True).astype(bool)
    flags = []
    for source, unit, settlement, carried, series, earliest, latest in zip(
        out["source_id"].tolist(),
        out["unit_code"].tolist(),
        out["settlement"].tolist(),
        out["carried"].tolist(),
        out["has_series"].tolist(),
        out["earliest"].tolist(),
        out["as_of"].tolist(),
        strict=True,
    ):
        mine = [*flags_of(carried), *place_flags.get((str(source), str(unit), str(settlement)), [])]
        # R3: in a source that restates a series, a figure kept from an earlier date than
        # the latest statement means that statement was narrower: it did not replace it
        if series and not pd.isna(earliest) and pd.Timestamp(earliest) < pd.Timestamp(latest):
            mine.append("scope_changed")
        flags.append(join_flags(mine))
    out["flags"] = flags
    out["per_structure"] = out["per_structure"].fillna(False).astype(bool)
    return out.drop(columns=["carried", "earliest", "has_series"])


def _units_from_villages(
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
    for stat in ("destroyed", "damaged", "possibly_damaged", "unsplit", "total"):
        unbounded = g[f"{stat}_max"].apply(lambda s: s.isna().any()).reset_index(drop=True)
        stated = g[stat].apply(lambda s: s.notna().any()).reset_index(drop=True)
        summed.loc[(unbounded & stated).to_numpy(), f"{stat}_max"] = np.nan
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
    summed = _recompute_shares(summed)
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


def _row(frame: pd.DataFrame, label: Any) -> pd.Series:
    """One row of a frame by its index label, as a Series."""
    return frame.iloc[frame.index.get_loc(label)]  # type: ignore[return-value]


def _larger(a: Any, b: Any) -> bool:
    """``a > b`` for two counts, false when either is missing."""
    return not pd.isna(a) and not pd.isna(b) and float(a) > float(b)


def _recompute_shares(view: pd.DataFrame) -> pd.DataFrame:
    """Rule R7: residential / structures of known type, given only on a large enough basis."""
    out = view.copy()
    basis = out["residential_basis"]
    enough = basis.notna() & (basis > 0) & (basis >= MIN_SHARE_BASIS * out["total"])
    enough &= out["residential"].notna()
    out["residential_share"] = (out["residential"] / basis).where(enough).round(3)
    out["share_basis_small"] = out["residential"].notna() & basis.notna() & (basis > 0) & ~enough
    return out


def _place_flags_from_decisions(
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


def _choose_all(
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
            mask = (rec["source_id"] == v["source_id"]) & (
                rec["unit_code"].astype(str) == str(v["unit_code"])
            )
            if opts.level == "settlement":
                mask &= rec["settlement"] == v["settlement"]
            for fid in rec.loc[mask, "figure_id"].unique():
                if decisions.get(fid, (False,))[0]:
                    decisions[fid] = (False, rule, why)
    return pd.DataFrame(rows), views
