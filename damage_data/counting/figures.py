"""Inside one source: which figures take part, series (R3), breakdown trees (R1)."""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd

from .._errors import UsageError
from ..vocab import damage_group
from .rules import COUNT_FAMILIES, INCLUDES, NEEDED, NO_DATE, RULES, CountingOptions

log = logging.getLogger(__name__)


def source_info(sources: pd.DataFrame | None) -> pd.DataFrame:
    columns = ["source_id", "title", "publisher", "method", "published", "cites", "kind"]
    if sources is None or sources.empty:
        return pd.DataFrame(columns=columns).set_index("source_id")
    table = sources.drop_duplicates("source_id").copy()
    for column in columns:
        if column not in table.columns:
            table[column] = pd.NA
    table["source_id"] = table["source_id"].astype(str)
    return table[columns].set_index("source_id")


#: The ``kind`` of a source that is one event's rows of a table (readers/table.py).
ONE_EVENT = "table: one event"


def events_of_one_file(
    f: pd.DataFrame, info: pd.DataFrame, place_flags: dict[tuple[str, str, str], list[str]]
) -> None:
    """Rules R2/R3 for a table of several events: once each event's series has given its
    latest figures, the events of a place add up (Haiyan's latest 70 destroyed and Bopha's
    60 are 130, never one of them chosen as if they were two sources). The figures of each
    event source move to their file's source, in place, with their places' flags.
    """
    if info.empty or "kind" not in info.columns:
        return
    events = info.index[info["kind"].astype("string").eq(ONE_EVENT).fillna(False).to_numpy()]
    files = {e: ":".join(str(e).split(":")[:2]) for e in events}
    files = {e: p for e, p in files.items() if p in info.index and p != e}
    if not files:
        return
    f["_lineage"] = f["source_id"]  # each event stays a series of its own (R3 checks)
    f["source_id"] = [files.get(s, s) for s in f["source_id"]]
    for key in [k for k in place_flags if k[0] in files]:
        moved = (files[key[0]], key[1], key[2])
        place_flags.setdefault(moved, [])
        place_flags[moved].extend(x for x in place_flags.pop(key) if x not in place_flags[moved])


def prepare(
    figures: pd.DataFrame, info: pd.DataFrame, opts: CountingOptions
) -> tuple[pd.DataFrame, list[str]]:
    missing = [c for c in NEEDED if c not in figures.columns]
    if missing:
        raise UsageError(
            f"the figures table lacks columns {missing}; build it with "
            "damage_data.make_figures() or read it with damage_data.readers.load()"
        )
    # the qualifier is optional: a figure "about 40" still counts 40, its row says so
    kept = [*NEEDED, *(["qualifier"] if "qualifier" in figures.columns else [])]
    f = figures[kept].copy()
    seen = f["figure_id"].astype(str).duplicated()
    duplicates = sorted(set(f.loc[seen, "figure_id"].astype(str)))
    f = f[~seen.to_numpy()].reset_index(drop=True)
    # ids as Python strings: looked up in sets and dicts thousands of times below, where an
    # Arrow-backed column pays a conversion per element (measured: 0.2 s per 10,000 figures)
    f["figure_id"] = f["figure_id"].astype(str).astype(object)
    f["source_id"] = f["source_id"].astype(str).astype(object)
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


def filters(
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
        undated = int((f["as_of"].isna() & f["unit_code"].notna()).sum())
        if undated:
            log.warning(
                "%d figure(s) have no date, nor a publication date of their source: --as-of "
                "%s cannot set them aside, so they are counted",
                undated,
                opts.as_of.date(),
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


def parents(f: pd.DataFrame, live: pd.Series) -> pd.Series:
    """The live parent (``subset_of``) of each live figure, within its own source."""
    ids = f.loc[live, ["figure_id", "source_id"]]
    source_of = dict(zip(ids["figure_id"], ids["source_id"], strict=True))
    parent = f["subset_of"].where(live)
    ok = [
        (not pd.isna(p)) and source_of.get(str(p)) == s
        for p, s in zip(parent, f["source_id"], strict=True)
    ]
    return parent.where(pd.Series(ok, index=f.index))


def series(
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
    sub["_t"] = sub["as_of"].astype("datetime64[ns]").fillna(NO_DATE)
    g = sub.groupby(keys, dropna=False, observed=True)["_t"]
    latest = g.transform("max")
    dates = g.transform("nunique")
    gone: dict[str, tuple[str, str]] = {}
    earlier = (sub["_t"] < latest).to_numpy()
    said: dict[Any, tuple[str, str]] = {}  # one reason per later date, not per figure
    for fid, when in zip(
        sub.loc[earlier, "figure_id"].tolist(), latest[earlier].tolist(), strict=True
    ):
        if when not in said:
            why = RULES["series_earlier"]
            if when != NO_DATE:
                why += f" (a later one is dated {when.date()})"
            said[when] = ("series_earlier", why)
        gone[str(fid)] = said[when]
    in_series = set(sub.loc[(dates > 1).to_numpy(), "figure_id"])
    decreasing: set[tuple[str, str, str]] = set()
    series = sub[(dates > 1).to_numpy()].assign(n=f.loc[sub.index, "count"].astype(float))
    if len(series):
        # one sum per series and date, in date order within each series: a series went down
        # where its sum is below the one before (column operations, not a loop per series)
        by_date = series.groupby([*keys, "_t"], dropna=False, observed=True)["n"].sum()
        steps = by_date.groupby(level=list(range(len(keys))), dropna=False).diff()
        for key in by_date.index[(steps < 0).to_numpy()]:
            decreasing.add((str(key[0]), str(key[1]), str(key[2])))
    parent = parent.copy()
    _flow_breakdowns(f, live & parent.isna() & ~running, parent)
    # counts of structures are disjoint by construction ("any" = those of unknown type)
    counted = sub["flags"].fillna("").str.contains("per_structure")
    kept = sub[~sub["figure_id"].isin(gone) & ~counted.to_numpy()]
    narrowed = _typed_against_totals(kept, parent, gone)
    # the parts of a superseded figure go with it
    children: dict[str, list[str]] = defaultdict(list)
    has_parent = parent.notna().to_numpy()
    for fid, p in zip(
        f["figure_id"].to_numpy()[has_parent], parent.to_numpy()[has_parent], strict=True
    ):
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


def _flow_breakdowns(f: pd.DataFrame, flows: pd.Series, parent: pd.Series) -> None:
    """Figures of one period each (``cumulative`` false: new damage per week) form no
    series, but a period's typed figures are parts of its untyped total, as in a series
    (ACAPS weekly summaries: "Warehouse 2, Railway 1, Total 3" for each week). Fills
    ``parent``; structures counted one by one are disjoint and left alone."""
    flows = flows & ~f["flags"].fillna("").str.contains("per_structure")
    if not flows.any():
        return
    scope = ["source_id", "unit_code", "settlement", "group", "family"]
    sub = f.loc[flows, [*scope, "structure", "figure_id"]].copy()
    sub["_t"] = f.loc[flows, "as_of"].astype("datetime64[ns]").fillna(NO_DATE)
    untyped = sub["structure"] == "any"
    if not untyped.any() or untyped.all():
        return
    totals = sub[untyped].drop_duplicates([*scope, "_t"])  # the first total of each period
    typed = (
        sub[~untyped]
        .reset_index()
        .merge(
            totals[[*scope, "_t", "figure_id"]].rename(columns={"figure_id": "_whole"}),
            on=[*scope, "_t"],
            how="inner",
        )
    )
    parent.loc[typed["index"].to_numpy()] = typed["_whole"].astype(str).to_numpy()


def _typed_against_totals(
    kept: pd.DataFrame, parent: pd.Series, gone: dict[str, tuple[str, str]]
) -> set[tuple[str, str, str]]:
    """Typed and untyped figures of one source overlap (houses are buildings): the latest
    untyped total of each source, place, group and family decides what the typed ones are.

    A typed figure of that date becomes an implicit part of it (its ``parent`` is set), an
    earlier one is superseded, a later one is narrower than the total (``scope_narrower``).
    Fills ``parent`` and ``gone``; returns the places whose scope narrowed.
    """
    scope = ["source_id", "unit_code", "settlement", "group", "family"]
    grouped = kept.groupby(scope, dropna=False, observed=True, sort=False)
    gid = grouped.ngroup()
    group_keys = grouped.size().index  # in ngroup order (first appearance)
    untyped = (kept["structure"] == "any").to_numpy()
    whole_date = kept.loc[untyped, "_t"].groupby(gid[untyped]).max()
    narrowed: set[tuple[str, str, str]] = set()
    if whole_date.empty or untyped.all():
        return narrowed
    latest = kept[untyped & (kept["_t"] == gid.map(whole_date)).to_numpy()]
    whole = latest["figure_id"].groupby(gid[latest.index]).first()  # the first, in row order
    typed = kept[~untyped & gid.isin(whole_date.index).to_numpy()]
    if typed.empty:
        return narrowed
    g = gid[typed.index]
    when_whole = g.map(whole_date)
    same = (typed["_t"] == when_whole).to_numpy()
    parent.loc[typed.index[same]] = g[same].map(whole).astype(str).to_numpy()
    for fid, when, total_date, k in zip(
        typed["figure_id"].tolist(),
        typed["_t"].tolist(),
        when_whole.tolist(),
        g.tolist(),
        strict=True,
    ):
        if when < total_date:
            gone[str(fid)] = (
                "series_earlier",
                RULES["series_earlier"] + f" (a later total is dated {total_date.date()})",
            )
        elif when > total_date:
            gone[str(fid)] = ("scope_narrower", RULES["scope_narrower"])
            key = group_keys[k]
            narrowed.add((str(key[0]), str(key[1]), str(key[2])))
    return narrowed


def records(
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
    _split_the_rest(extra, by_id, kids)
    _name_the_rest(extra, by_id, kids)
    return pd.concat([rec, extra], ignore_index=True) if not rec.empty else extra


#: The other state of a "destroyed or damaged" total once one state's part is taken out.
_OTHER_STATE = {"destroyed": "damaged", "damaged": "destroyed"}


def _split_the_rest(
    rec: pd.DataFrame, by_id: dict[str, dict[str, Any]], kids: dict[str, list[dict[str, Any]]]
) -> None:
    """ "1,250 destroyed or damaged, of which 310 destroyed": the other 940 are damaged.

    An unsplit total whose parts name one state only leaves the other state as its
    remainder (rule R1); with parts of both states the remainder stays unsplit.
    """
    for fid, parts in kids.items():
        total = by_id.get(fid)
        if total is None or total["group"] != "unsplit":
            continue
        states = {p["group"] for p in parts if p["group"] in _OTHER_STATE}
        if len(states) != 1:
            continue
        rest = (rec["figure_id"] == fid) & (rec["group"] == "unsplit")
        rec.loc[rest, "group"] = _OTHER_STATE[states.pop()]


def _check_parts(r: dict[str, Any], parts: list[dict[str, Any]], flags: list[str]) -> None:
    """Flag parts that add up to more than their total (rule R1)."""
    if not parts:
        return
    same = [p for p in parts if p["group"] == r["group"] and p["structure"] != "any"]
    inner = [p for p in parts if p["group"] in INCLUDES.get(r["group"], ())]
    # finer states of the total's own group (GEM's DS1_SLIGHT and DS3_EXTENSIVE under
    # DAMAGED_UNITS): a breakdown by state, checked apart from the breakdown by type
    states = [
        p
        for p in parts
        if p["group"] == r["group"] and p["structure"] == "any" and p["damage"] != r["damage"]
    ]
    total = float(r["count"])
    if (
        sum(float(p["count"]) for p in same) > total
        or sum(float(p["count"]) for p in states) > total
        or (r["group"] != "assessed" and sum(float(p["count"]) for p in inner) > total)
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
    named: dict[str, str] = {}  # total's figure id -> its group, for totals naming houses
    for fid, parts in kids.items():
        total = by_id.get(fid)
        if total is None or total["structure"] != "any":
            continue
        if any(p["group"] == total["group"] and p["structure"] == "residential" for p in parts):
            named[fid] = total["group"]
    if not named:
        return
    # the untyped remainder of each such total (one pass, not a scan of ``rec`` per total)
    mine = np.fromiter(
        (
            named.get(fid) == group and structure == "any"
            for fid, group, structure in zip(
                rec["figure_id"].tolist(),
                rec["group"].tolist(),
                rec["structure"].tolist(),
                strict=True,
            )
        ),
        dtype=bool,
        count=len(rec),
    )
    left = rec.loc[mine].groupby("figure_id", sort=False)["n"].sum()
    rest = mine & rec["figure_id"].isin(left.index[left > 0]).to_numpy()
    rec.loc[rec.index[rest], "structure"] = "other"


# --- views: what one source says about one place ------------------------------------------
