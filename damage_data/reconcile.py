"""Reconciliation: from many figures about a unit to the one set of numbers to report, and why.

Rules (DESIGN §4, each an option): within one source a cumulative series keeps its latest
figure and single-event figures add up; across sources figures are never added: the best
source wins (a primary over the secondary that relays it, then the latest date, then the
method rank); subsets stay with their parent; count units are never mixed; a unit's own
figure wins over the sum of its villages. Every figure gets a decision and a rule, which
:func:`explain` returns.
"""

from __future__ import annotations

import itertools
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ._errors import DamageDataError, UsageError
from .tables import flags_of, join_flags
from .vocab import DAMAGE_GROUPS, damage_group

log = logging.getLogger(__name__)

#: Columns of :func:`summarise`'s result, in order (a contract: the CLI's JSON uses them).
COUNT_COLUMNS: tuple[str, ...] = (
    "destroyed",
    "damaged",
    "possibly_damaged",
    "unsplit",
    "total",
    "assessed",
    "residential",
)
SUMMARY_COLUMNS: tuple[str, ...] = (
    "unit_code",
    "unit_name",
    "level",
    *COUNT_COLUMNS,
    "residential_share",
    "n_sources",
    "as_of",
    "flags",
)
BY_SOURCE_COLUMNS: tuple[str, ...] = (
    "unit_code",
    "unit_name",
    "level",
    "source_id",
    "title",
    "publisher",
    "method",
    "published",
    "cites",
    *COUNT_COLUMNS,
    "residential_share",
    "as_of",
    "used",
    "rule",
    "flags",
)
POLICIES: tuple[str, ...] = ("best", "latest", "max", "all")
#: Method ranks: a lower number is preferred (DESIGN §4 rule 2).
METHOD_RANK: dict[str, int] = {
    "field_survey": 0,
    "satellite": 1,
    "official_statement": 2,
    "press": 3,
    "compilation": 4,
}
#: Count units that describe the same thing and may be compared; others are never mixed.
COUNT_FAMILIES: dict[str, str] = {
    "structures": "buildings",
    "buildings": "buildings",
    "housing_units": "housing_units",
    "households": "households",
}
LEVEL_ORDER: dict[str, int] = {"country": 0, "adm1": 1, "adm2": 2, "adm3": 3, "settlement": 4}
#: A parent figure in group KEY already includes children in the groups listed
#: ("185 enterprises damaged, six of them destroyed" → 179 damaged + 6 destroyed).
_INCLUDES: dict[str, tuple[str, ...]] = {
    "damaged": ("destroyed",),
    "unsplit": ("destroyed", "damaged", "possibly_damaged"),
    "possibly_damaged": (),
    "destroyed": (),
}
#: Flags that figures carry into the unit's summary row.
_CARRIED_FLAGS = frozenset(
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


@dataclass(frozen=True)
class ReconcileOptions:
    """Settings of the reconciliation; each rule of DESIGN §4 is one of them."""

    policy: str = "best"
    as_of: pd.Timestamp | None = None
    count_possible: bool = False
    disagree_ratio: float = 1.5
    window_days: int = 7
    include_review: bool = False

    def __post_init__(self) -> None:
        if self.policy not in POLICIES:
            raise UsageError(
                f"unknown policy {self.policy!r}; choose one of: {', '.join(POLICIES)}"
            )
        if not self.disagree_ratio >= 1:
            raise UsageError(f"disagree_ratio must be at least 1, not {self.disagree_ratio}")


@dataclass
class _View:
    """What one source says about one unit, after the within-source rules."""

    source_id: str
    values: dict[str, Any]
    as_of: pd.Timestamp | None
    flags: list[str] = field(default_factory=list)
    figure_ids: list[str] = field(default_factory=list)
    cumulative: bool = True


def _options(**kwargs: Any) -> ReconcileOptions:
    as_of = kwargs.get("as_of")
    if as_of is not None and not isinstance(as_of, pd.Timestamp):
        try:
            kwargs["as_of"] = pd.Timestamp(as_of)
        except (ValueError, TypeError) as err:
            raise UsageError(f"--as-of {as_of!r} is not a date; write it as YYYY-MM-DD") from err
    return ReconcileOptions(**kwargs)


def _is_na(value: Any) -> bool:
    return (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and value != value)
        or value is pd.NaT
    )


def _source_info(sources: pd.DataFrame | None) -> dict[str, dict[str, Any]]:
    if sources is None or sources.empty:
        return {}
    info: dict[str, dict[str, Any]] = {}
    for row in sources.to_dict("records"):
        info[str(row["source_id"])] = {str(k): v for k, v in row.items()}
    return info


def _group_of(figure: dict[str, Any], opts: ReconcileOptions) -> str | None:
    group = damage_group(str(figure["damage"]))
    if group == "possibly_damaged" and opts.count_possible:
        return "damaged"
    return group


def _add(values: dict[str, Any], key: str, amount: int) -> None:
    values[key] = amount if _is_na(values.get(key)) else values[key] + amount


def _source_view(
    figs: list[dict[str, Any]], opts: ReconcileOptions, decisions: dict[str, tuple[bool, str]]
) -> _View | None:
    """Apply the within-source rules to one source's figures about one unit."""
    flags: list[str] = []
    by_id = {f["figure_id"]: f for f in figs}
    usable = []
    for f in figs:
        fid = f["figure_id"]
        if fid in decisions:
            continue
        if not _is_na(f["same_as"]) and f["same_as"]:
            decisions[fid] = (
                False,
                f"set aside: the same set as figure {f['same_as']}, described again",
            )
            continue
        usable.append(f)
    if not usable:
        return None
    # a unit's own figure wins over the sum of its villages (rule 3)
    own = [f for f in usable if f["level"] != "settlement"]
    villages = [f for f in usable if f["level"] == "settlement"]
    if own and villages:
        for f in villages:
            decisions[f["figure_id"]] = (
                False,
                "set aside: village figure; the source gives a figure for the whole unit",
            )
        usable = own
    elif villages:
        flags.append("partial")
    # cumulative series keep their latest figure; single-event figures add up (rule 1)
    top = [f for f in usable if _is_na(f["subset_of"]) or f["subset_of"] not in by_id]
    latest: dict[tuple[Any, ...], pd.Timestamp] = {}
    for f in top:
        if f["cumulative"] is False:
            continue
        key = (
            _group_of(f, opts),
            f["structure"],
            f["settlement"] if not _is_na(f["settlement"]) else "",
        )
        when = f["as_of"]
        if not _is_na(when) and (key not in latest or when > latest[key]):
            latest[key] = when
    superseded: set[str] = set()
    for f in top:
        if f["cumulative"] is False or _is_na(f["as_of"]):
            continue
        key = (
            _group_of(f, opts),
            f["structure"],
            f["settlement"] if not _is_na(f["settlement"]) else "",
        )
        if f["as_of"] < latest[key]:
            superseded.add(f["figure_id"])
            decisions[f["figure_id"]] = (
                False,
                f"set aside: earlier figure of a cumulative series in this source "
                f"(a later one is dated {latest[key].date()})",
            )
    children: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in usable:
        if not _is_na(f["subset_of"]) and f["subset_of"] in by_id:
            children[f["subset_of"]].append(f)

    values: dict[str, Any] = {c: pd.NA for c in COUNT_COLUMNS}
    counted_ids: list[str] = []
    none_total = 0
    graded_total = 0

    def walk(f: dict[str, Any], ancestors: list[tuple[str | None, dict[str, Any]]]) -> None:
        nonlocal none_total, graded_total
        fid = f["figure_id"]
        group = _group_of(f, opts)
        if any(a["figure_id"] in superseded for _, a in ancestors):
            decisions[fid] = (False, "set aside: its parent figure was superseded")
        elif group is None:
            if f["damage"] == "none":
                none_total += int(f["count"])
                decisions[fid] = (
                    True,
                    "counted: assessed with no visible damage (part of the assessed total)",
                )
            else:
                decisions[fid] = (
                    False,
                    f"set aside: {f['damage']} is not counted as building damage",
                )
        elif any(g == group for g, _ in ancestors):
            parent = next(a for g, a in reversed(ancestors) if g == group)
            decisions[fid] = (
                True,
                f"breakdown of figure {parent['figure_id']} (already counted there)",
            )
        else:
            count = int(f["count"])
            _add(values, group, count)
            counted_ids.append(fid)
            if group != "assessed":
                graded_total += count
            decisions[fid] = (True, "counted")
            # a broader parent already included this child: take it out of the parent
            for g, a in reversed(ancestors):
                if g is not None and group in _INCLUDES.get(g, ()):
                    if _is_na(values.get(g)) or values[g] < count:
                        # a subset larger than its parent: keep the parent, say so
                        flags.append("subset_exceeds_parent")
                        break
                    _add(values, g, -count)
                    decisions[fid] = (
                        True,
                        f"counted; taken out of parent figure {a['figure_id']} ({g})",
                    )
                    break
        # residential counts inside the reported damage set, once per nested chain
        # (possibly damaged only joins when count_possible made it "damaged")
        if (
            group in ("destroyed", "damaged", "unsplit")
            and f["structure"] == "residential"
            and decisions[fid][0]
            and not any(
                a["structure"] == "residential" and g in ("destroyed", "damaged", "unsplit")
                for g, a in ancestors
            )
        ):
            _add(values, "residential", int(f["count"]))
        for child in children.get(fid, []):
            walk(child, [*ancestors, (group, f)])

    for f in top:
        if f["figure_id"] in superseded:
            for child in children.get(f["figure_id"], []):
                walk(child, [(_group_of(f, opts), f)])
            continue
        walk(f, [])

    if _is_na(values["assessed"]) and none_total:
        # a graded product (e.g. a satellite assessment) counts its whole population
        values["assessed"] = none_total + graded_total
    parts = [values[g] for g in ("destroyed", "damaged", "unsplit") if not _is_na(values[g])]
    if opts.count_possible and not _is_na(values["possibly_damaged"]):
        parts.append(values["possibly_damaged"])
    values["total"] = sum(parts) if parts else pd.NA
    total = values["total"]
    values["residential_share"] = (
        round(values["residential"] / total, 3)
        if not _is_na(values["residential"]) and not _is_na(total) and total > 0
        else pd.NA
    )
    used_figs = [by_id[i] for i in counted_ids] or usable
    dates = [f["as_of"] for f in used_figs if not _is_na(f["as_of"])]
    for f in used_figs:
        flags.extend(x for x in flags_of(f["flags"]) if x in _CARRIED_FLAGS)
    return _View(
        source_id=str(figs[0]["source_id"]),
        values=values,
        as_of=max(dates) if dates else None,
        flags=flags,
        figure_ids=counted_ids,
        cumulative=all(f["cumulative"] is not False for f in used_figs),
    )


def _rank(
    view: _View, info: dict[str, dict[str, Any]], relayed: set[str], opts: ReconcileOptions
) -> tuple[Any, ...]:
    method = str(info.get(view.source_id, {}).get("method", ""))
    when = view.as_of.value if view.as_of is not None else -(2**62)
    total = view.values["total"]
    total_key = -(total if not _is_na(total) else -1)
    if opts.policy == "latest":
        return (-when, METHOD_RANK.get(method, 9), view.source_id in relayed, view.source_id)
    if opts.policy == "max":
        return (total_key, -when, view.source_id)
    # best: a primary beats the report relaying it, then latest date, then method
    return (view.source_id in relayed, -when, METHOD_RANK.get(method, 9), total_key, view.source_id)


def _ratio_disagrees(values: list[int], ratio: float) -> bool:
    values = [v for v in values if not _is_na(v)]
    if len(values) < 2:
        return False
    low, high = min(values), max(values)
    if low == 0:
        return high > 0
    return high / low > ratio


def _reconcile_unit(
    figs: list[dict[str, Any]],
    info: dict[str, dict[str, Any]],
    opts: ReconcileOptions,
    decisions: dict[str, tuple[bool, str]],
) -> tuple[dict[str, Any], list[tuple[_View, bool, str]]]:
    unit_flags: list[str] = []
    for f in figs:
        if opts.as_of is not None and not _is_na(f["as_of"]) and f["as_of"] > opts.as_of:
            decisions[f["figure_id"]] = (
                False,
                f"set aside: dated after --as-of {opts.as_of.date()}",
            )
        elif f["status"] != "accepted" and not (
            opts.include_review and f["status"] == "needs_review"
        ):
            decisions[f["figure_id"]] = (
                False,
                f"set aside: status {f['status']} (review it, then mark it accepted)",
            )
            unit_flags.append("needs_review")
        elif _is_na(f["count"]):
            decisions[f["figure_id"]] = (False, "set aside: no number given")
            unit_flags.append("needs_review")
    # never mix count units (rule 5): keep the family with the most usable figures
    families: dict[str, int] = defaultdict(int)
    for f in figs:
        if f["figure_id"] not in decisions:
            families[COUNT_FAMILIES.get(str(f["count_unit"]), str(f["count_unit"]))] += 1
    if families:
        chosen_family = max(families, key=lambda k: (k == "buildings", families[k]))
        for f in figs:
            fam = COUNT_FAMILIES.get(str(f["count_unit"]), str(f["count_unit"]))
            if f["figure_id"] not in decisions and fam != chosen_family:
                decisions[f["figure_id"]] = (
                    False,
                    f"set aside: counted in {f['count_unit']}, not mixed with {chosen_family}",
                )
                unit_flags.append("mixed_count_units")
    by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in figs:
        by_source[str(f["source_id"])].append(f)
    views = [v for s in by_source.values() if (v := _source_view(s, opts, decisions))]
    if not views:
        return {}, []
    present = {v.source_id for v in views}
    relayed = {
        v.source_id for v in views if str(info.get(v.source_id, {}).get("cites") or "") in present
    }
    ordered = sorted(views, key=lambda v: _rank(v, info, relayed, opts))
    best = ordered[0]
    outcome: list[tuple[_View, bool, str]] = []
    for v in ordered:
        if v is best:
            why = {
                "best": "used: best source (primary, latest, then method rank)",
                "latest": "used: latest source",
                "max": "used: largest total",
                "all": "used",
            }[opts.policy]
            outcome.append((v, True, why))
            continue
        if v.source_id in relayed and opts.policy == "best":
            cited = info[v.source_id].get("cites")
            why = f"set aside: relays source {cited}, which is used instead"
            unit_flags.append("relayed")
        elif best.as_of is not None and v.as_of is not None and v.as_of < best.as_of:
            why = f"set aside: older than the source used ({best.as_of.date()}); never added"
        else:
            why = "set aside: another source ranks higher; sources are never added"
        outcome.append((v, False, why))
        # everything this source contributed, breakdowns included, is set aside with it
        for f in by_source[v.source_id]:
            if decisions.get(f["figure_id"], (False, ""))[0]:
                decisions[f["figure_id"]] = (False, why)
    # disagreement among sources speaking for about the same date (rule 2)
    if best.as_of is not None:
        near = [
            v
            for v in views
            if v.as_of is not None and abs((v.as_of - best.as_of).days) <= opts.window_days
        ]
    else:
        near = views
    key = "total" if sum(not _is_na(v.values["total"]) for v in near) >= 2 else "destroyed"
    if _ratio_disagrees([v.values[key] for v in near], opts.disagree_ratio):
        unit_flags.append("disagree")
    # a cumulative series that goes down is flagged, never summed
    series = sorted(
        (v for v in views if v.cumulative and v.as_of is not None),
        key=lambda v: v.as_of.value if v.as_of is not None else 0,
    )
    for column in ("destroyed", "total"):
        points = [v.values[column] for v in series if not _is_na(v.values[column])]
        if any(b < a for a, b in itertools.pairwise(points)):
            unit_flags.append("decreasing")
            break
    row = dict(best.values)
    row["n_sources"] = len(views)
    row["as_of"] = best.as_of
    row["flags"] = join_flags([*best.flags, *unit_flags])
    row["source_id"] = best.source_id
    return row, outcome


def _records(figures: pd.DataFrame) -> list[dict[str, Any]]:
    needed = [
        "figure_id",
        "source_id",
        "unit_code",
        "unit_name",
        "level",
        "settlement",
        "damage",
        "structure",
        "count_unit",
        "count",
        "subset_of",
        "same_as",
        "cumulative",
        "as_of",
        "status",
        "flags",
    ]
    missing = [c for c in needed if c not in figures.columns]
    if missing:
        raise UsageError(
            f"figures table lacks columns {missing}; build it with damage_data.make_figures()"
        )
    # column by column: much faster than DataFrame.to_dict on tens of thousands of rows
    columns: list[list[Any]] = []
    for name in needed:
        col = figures[name]
        mask = col.isna().to_numpy()
        values = col.astype(object).tolist()
        missing_value = pd.NA if name == "count" else None
        if name == "count":
            values = [v if m else int(v) for v, m in zip(values, mask, strict=True)]
        if name == "as_of":
            values = [v if m else pd.Timestamp(v) for v, m in zip(values, mask, strict=True)]
        columns.append([missing_value if m else v for v, m in zip(values, mask, strict=True)])
    recs = [dict(zip(needed, row, strict=True)) for row in zip(*columns, strict=True)]
    for r in recs:
        r["level"] = r["level"] or "adm1"
    return recs


def _unit_names(codes: Iterable[str], figures_names: dict[str, str], lang: str) -> dict[str, str]:
    from .places import display_name

    names: dict[str, str] = {}
    for code in codes:
        try:
            name = display_name(code, lang=lang)
        except DamageDataError:  # a code no gazetteer knows
            name = None
        if not name or name == code:  # unknown to the gazetteer: the figures name it
            name = figures_names.get(code) or code
        names[code] = name
    return names


def _run(
    figures: pd.DataFrame, sources: pd.DataFrame | None, opts: ReconcileOptions
) -> tuple[
    list[dict[str, Any]],
    list[dict[str, Any]],
    dict[str, tuple[bool, str]],
    dict[str, dict[str, Any]],
]:
    info = _source_info(sources)
    recs = _records(figures)
    for r in recs:
        # an undated figure refers to the date its source was published
        if r["as_of"] is None:
            published = info.get(str(r["source_id"]), {}).get("published")
            if published is not None and not _is_na(published):
                r["as_of"] = pd.Timestamp(published)
    decisions: dict[str, tuple[bool, str]] = {}
    by_unit: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in recs:
        if r["unit_code"] is None:
            decisions[r["figure_id"]] = (
                False,
                "set aside: place not resolved to a unit (see the match log)",
            )
            continue
        by_unit[str(r["unit_code"])].append(r)
    rows: list[dict[str, Any]] = []
    source_rows: list[dict[str, Any]] = []
    for code, figs in by_unit.items():
        row, outcome = _reconcile_unit(figs, info, opts, decisions)
        level = min((f["level"] for f in figs), key=lambda lv: LEVEL_ORDER.get(lv, 9))
        if row:
            row.update(unit_code=code, level=level)
            rows.append(row)
        for view, used, why in outcome:
            meta = info.get(view.source_id, {})
            source_rows.append(
                {
                    "unit_code": code,
                    "level": level,
                    "source_id": view.source_id,
                    "title": meta.get("title"),
                    "publisher": meta.get("publisher"),
                    "method": meta.get("method"),
                    "published": meta.get("published"),
                    "cites": meta.get("cites"),
                    **view.values,
                    "as_of": view.as_of,
                    "used": used,
                    "rule": why,
                    "flags": join_flags(view.flags),
                }
            )
    return rows, source_rows, decisions, info


def summarise(
    figures: pd.DataFrame,
    sources: pd.DataFrame | None = None,
    *,
    policy: str = "best",
    as_of: Any = None,
    count_possible: bool = False,
    by_source: bool = False,
    disagree_ratio: float = 1.5,
    window_days: int = 7,
    include_review: bool = False,
    rollup: bool = False,
    lang: str = "en",
) -> pd.DataFrame:
    """One row per unit: what to report, reconciled across sources and dates.

    Parameters
    ----------
    figures
        A ``figures`` table (:func:`damage_data.make_figures`).
    sources
        The ``sources`` table, for method ranks and which report cites which.
    policy
        ``best`` (primary over relaying report, then latest, then method rank), ``latest``,
        ``max`` (largest total), or ``all`` (one row per unit and source, like ``by_source``).
    as_of
        Ignore figures dated after this day.
    count_possible
        Add "possibly damaged" to damaged.
    by_source
        Return one row per unit and source, side by side, with the rule that decided.
    disagree_ratio
        Sources about the same date whose totals differ by more than this ratio are flagged
        ``disagree``.
    rollup
        Add a row per country summing its units when the country has no figure of its own
        (flag ``partial``), and flag ``children_exceed`` when units add up to more than the
        country's own figure.
    lang
        Language of ``unit_name`` (``en``, ``az``, ``ru``, ``hy``, ``native``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SUMMARY_COLUMNS` (or :data:`BY_SOURCE_COLUMNS`). Damaged excludes
        destroyed; counts are missing (not zero) where the chosen source says nothing.

    Examples
    --------
    >>> from damage_data.example import example_figures, example_sources
    >>> s = summarise(example_figures(), example_sources())
    >>> s.set_index("unit_code").loc["AZ-CAB", ["destroyed", "damaged", "residential"]].tolist()
    [0, 47, 41]
    """
    opts = _options(
        policy=policy,
        as_of=as_of,
        count_possible=count_possible,
        disagree_ratio=disagree_ratio,
        window_days=window_days,
        include_review=include_review,
    )
    rows, source_rows, _, _ = _run(figures, sources, opts)
    fig_names = {}
    if "unit_name" in figures.columns:
        fig_names = {
            str(c): str(n)
            for c, n in zip(figures["unit_code"], figures["unit_name"], strict=True)
            if not _is_na(c) and not _is_na(n) and str(n)
        }
    if by_source or policy == "all":
        table = pd.DataFrame(source_rows, columns=list(BY_SOURCE_COLUMNS))
        names = _unit_names(table["unit_code"].unique(), fig_names, lang)
        table["unit_name"] = table["unit_code"].map(names)
        return (
            _typed(table, BY_SOURCE_COLUMNS)
            .sort_values(
                ["level", "unit_code", "used", "as_of"],
                ascending=[True, True, False, False],
                key=lambda s: s.map(LEVEL_ORDER) if s.name == "level" else s,
            )
            .reset_index(drop=True)
        )
    if rollup:
        rows = _rollup(rows)
    table = pd.DataFrame(rows, columns=[*SUMMARY_COLUMNS])
    names = _unit_names(table["unit_code"].unique(), fig_names, lang)
    table["unit_name"] = table["unit_code"].map(names)
    table = _typed(table, SUMMARY_COLUMNS)
    order = table["level"].map(LEVEL_ORDER).fillna(9)
    return (
        table.assign(_o=order)
        .sort_values(["_o", "unit_code"])
        .drop(columns="_o")
        .reset_index(drop=True)
    )


def _rollup(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Country rows from their units: the country's own figure wins; units give a partial."""
    by_country: dict[str, list[dict[str, Any]]] = defaultdict(list)
    own: dict[str, dict[str, Any]] = {}
    for r in rows:
        code = str(r["unit_code"])
        if r["level"] == "country":
            own[code] = r
        elif r["level"] != "settlement":
            by_country[code.split("-")[0]].append(r)
    out = list(rows)
    for country, units in by_country.items():
        sums: dict[str, Any] = {}
        for column in COUNT_COLUMNS:
            vals = [u[column] for u in units if not _is_na(u[column])]
            sums[column] = sum(vals) if vals else pd.NA
        if country in own:
            parent = own[country]
            exceed = [
                c
                for c in ("destroyed", "damaged", "total")
                if not _is_na(parent[c]) and not _is_na(sums[c]) and sums[c] > parent[c]
            ]
            if exceed:
                parent["flags"] = join_flags([*flags_of(parent["flags"]), "children_exceed"])
            continue
        total, res = sums["total"], sums["residential"]
        dates = [u["as_of"] for u in units if u["as_of"] is not None and not _is_na(u["as_of"])]
        out.append(
            {
                "unit_code": country,
                "level": "country",
                **sums,
                "residential_share": round(res / total, 3)
                if not _is_na(res) and not _is_na(total) and total
                else pd.NA,
                "n_sources": pd.NA,
                "as_of": max(dates) if dates else None,
                "flags": join_flags(["partial", "sum_of_units"]),
            }
        )
    return out


def _typed(table: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    out = table.copy()
    for column in (*COUNT_COLUMNS, "n_sources"):
        if column in out.columns:
            out[column] = pd.to_numeric(out[column], errors="coerce").astype("Int64")
    out["residential_share"] = pd.to_numeric(out["residential_share"], errors="coerce").astype(
        "Float64"
    )
    out["as_of"] = pd.to_datetime(out["as_of"], errors="coerce")
    for column in ("unit_code", "unit_name", "level", "flags"):
        out[column] = out[column].astype("string")
    if "flags" in out.columns:
        out["flags"] = out["flags"].fillna("")
    return out[list(columns)]


def explain(
    figures: pd.DataFrame, sources: pd.DataFrame | None, unit: str, **options: Any
) -> pd.DataFrame:
    """Every figure about ``unit`` with whether it was used and the rule that decided.

    Takes the same options as :func:`summarise`. The result has the figure columns plus
    ``used`` (bool), ``rule`` (text) and ``source_title``.

    >>> from damage_data.example import example_figures, example_sources
    >>> e = explain(example_figures(), example_sources(), "AZ-FUZ")
    >>> bool(e.loc[e["figure_id"] == "fuz-a-325", "used"].iloc[0])
    False
    """
    opts = _options(
        **{k: v for k, v in options.items() if k in ReconcileOptions.__dataclass_fields__}
    )
    subset = figures[figures["unit_code"].astype("string") == unit]
    if subset.empty:
        known = sorted(set(figures["unit_code"].dropna().astype(str)))
        raise UsageError(
            f"no figures about unit {unit!r}; units with figures: {', '.join(known[:30])}"
        )
    _, _, decisions, info = _run(subset, sources, opts)
    out = subset.copy()
    out["used"] = [decisions.get(f, (False, "set aside"))[0] for f in out["figure_id"]]
    out["rule"] = [decisions.get(f, (False, "set aside"))[1] for f in out["figure_id"]]
    out["source_title"] = [info.get(str(s), {}).get("title") for s in out["source_id"]]
    return out.sort_values(["used", "as_of"], ascending=[False, False]).reset_index(drop=True)


__all__ = [
    "BY_SOURCE_COLUMNS",
    "DAMAGE_GROUPS",
    "SUMMARY_COLUMNS",
    "ReconcileOptions",
    "explain",
    "summarise",
]
