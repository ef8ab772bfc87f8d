"""Rule R1 in a table: which figures of a row (or of a long table's group) are parts of
which (``subset_of``) or restate another (``same_as``), so that nothing is counted twice.

Typed columns are parts of the untyped column of their state ("Houses destroyed" of
"Destroyed"), severities of an unspecified ``damaged``, every state of
``damaged_or_destroyed`` (a column naming the states it reports together holds those alone);
a column named a total holds the column of the same state and type beside it; a column
repeating another one restates it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandas as pd

from ..vocab import DAMAGE_GROUPS, DAMAGE_ORDER
from ._result import Collector
from .colmap import CountColumn

#: Damage short of destruction with its severity stated (minor, moderate, severe).
_SEVERITY = tuple(s for s in DAMAGE_GROUPS["damaged"] if s in DAMAGE_ORDER)
#: A state column of the first kind includes parts of the second kind in the same row.
_WIDER = {
    "damaged": _SEVERITY,
    "damaged_or_destroyed": (
        *DAMAGE_GROUPS["damaged"],
        *DAMAGE_GROUPS["destroyed"],
        *DAMAGE_GROUPS["possibly_damaged"],
    ),
}


def link_row(
    records: list[dict[str, Any]], long: bool, repeats: dict[str, str] | None = None
) -> None:
    """Rule R1 in a wide row: typed columns are parts of the untyped column of their state,
    severities of an unspecified ``damaged``, and every state of ``damaged_or_destroyed``.
    A column repeating another one (``repeats``) restates it (``same_as``) where both hold
    a count, and takes no part in the links."""
    if long or len(records) < 2:
        return
    if repeats:
        by_column = {r["_column"].name: r for r in records if r["_column"] is not None}
        for name, kept in repeats.items():
            if name in by_column and kept in by_column:
                by_column[name]["same_as"] = by_column[kept]["figure_id"]
        records = [r for r in records if not r.get("same_as")]
        if len(records) < 2:
            return
    for total in [r for r in records if r["_column"] is not None and r["_column"].total]:
        same = [
            r
            for r in records
            if r is not total
            and not (r["_column"] and r["_column"].total)
            and (r["damage"], _own_type(r), r["count_unit"])
            == (total["damage"], _own_type(total), total["count_unit"])
        ]
        if same and _fits(same, total):
            for r in same:
                r["subset_of"] = total["figure_id"]
    records = [r for r in records if not r.get("subset_of")]
    if not records:
        return
    untyped = {
        (r["damage"], r["count_unit"]): r
        for r in records
        if _own_type(r) == "any" and not (r["_column"] and r["_column"].part)
    }
    for r in records:
        if _own_type(r) != "any" or (r["_column"] and r["_column"].part):
            whole = untyped.get((r["damage"], r["count_unit"]))
            if whole is not None and whole is not r:
                r["subset_of"] = whole["figure_id"]
    for wider, narrower in _WIDER.items():
        whole = untyped.get((wider, records[0]["count_unit"]))
        if whole is None:
            continue
        held = _held_by(whole, narrower)
        parts = [r for r in records if r is not whole and r["damage"] in held]
        parts = [r for r in parts if not r.get("subset_of")]
        if whole["_column"] and whole["_column"].union_of and not _fits(parts, whole):
            # "COLLAPSED_OR_PARTIALLY_COLLAPSED" 35,355 beside "HEAVY_DAMAGE" 179,786: a
            # severity the union names in part only; side by side, not a part of it
            continue
        for r in parts:
            r["subset_of"] = whole["figure_id"]


def _own_type(record: dict[str, Any]) -> str:
    """The structure type a record's column names ("Houses destroyed": residential), "any"
    when the type comes from the row (an OCCUPANCY column types every column of its row)."""
    column = record["_column"]
    return str(column.structure if column is not None else record["structure"])


def _held_by(whole: dict[str, Any], narrower: tuple[str, ...]) -> tuple[str, ...]:
    """The states a wider column holds: all of ``narrower``, or for a column naming its
    states ("Heavy/Collapsed") those alone (a "Light" column beside it is no part of it)."""
    union = whole["_column"].union_of if whole["_column"] else ()
    if not union:
        return narrower
    held = {s for u in union for s in (_SEVERITY if u == "damaged" else (u,))}
    return tuple(s for s in narrower if s in held)


def _fits(parts: list[dict[str, Any]], whole: dict[str, Any]) -> bool:
    """Whether the parts' counts add up to no more than the whole's (missing counts: 0)."""
    if whole["count"] is None or pd.isna(whole["count"]):
        return False
    return sum(
        int(r["count"]) for r in parts if r["count"] is not None and pd.notna(r["count"])
    ) <= int(whole["count"])


def link_long(records: list[dict[str, Any]]) -> None:
    """Rule R1 in a long table: a total row is the whole of the typed rows beside it (same
    place, date, source, count unit and state); a ``total`` label holds the states."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        groups[r["_key"][:-1]].append(r)
    for rows in groups.values():
        if len(rows) < 2:
            continue
        totals = {r["damage"]: r for r in rows if r["_key"][-1] or r["structure"] == "any"}
        for r in rows:
            whole = totals.get(r["damage"])
            if whole is not None and whole is not r and r["structure"] != "any":
                r["subset_of"] = whole["figure_id"]
        unsplit = totals.get("damaged_or_destroyed")
        for wider, narrower in _WIDER.items():
            whole = totals.get(wider) if wider != "damaged_or_destroyed" else unsplit
            if whole is None:
                continue
            for r in rows:
                if r is not whole and r["damage"] in narrower and not r.get("subset_of"):
                    r["subset_of"] = whole["figure_id"]


#: Rows a possible subtotal is compared with, at most (a table's total row reaches far).
_SUBTOTAL_REACH = 2000


def warn_subtotals(
    records: list[dict[str, Any]], counts: dict[str, CountColumn], col: Collector
) -> None:
    """Say which rows hold the sum of the rows below them: region and province subtotals
    between municipal rows, with no level column to tell them apart (DROMIC reports). They
    are not dropped (equal sums can be chance); a person decides.

    From the bottom up, each row is compared with the sum of the plain rows that follow it
    (a subtotal found earlier is skipped, so a region's rows are its municipalities, not its
    provinces too); two rows or more that add up to it exactly, in every count column, make
    it a subtotal. Rows of fewer than 10 structures are left alone.
    """
    columns = list(counts)
    rows: dict[str, tuple[str, dict[str, float]]] = {}
    for r in records:
        if r.get("same_as"):  # a repeated row's cells are the first one's
            continue
        row = str(r["locator"]).split(",")[0]  # "row 3, column Totally damaged houses"
        _, cells = rows.setdefault(row, (str(r.get("place_text") or ""), {}))
        spec = r.get("_column")
        name = next((c for c, v in counts.items() if v is spec), None)
        if name is not None and r.get("count") is not None:
            cells[name] = cells.get(name, 0.0) + float(r["count"])
    order = list(rows)
    vectors = [tuple(rows[k][1].get(c, 0.0) for c in columns) for k in order]
    places = [rows[k][0] for k in order]
    found: set[int] = set()
    for i in range(len(order) - 1, -1, -1):
        target = vectors[i]
        # two states at least, both stated: one column of small counts adds up to a later
        # row by chance in any incident log (DIBI, UNGRD), two columns at once hardly
        if not places[i] or sum(target) < 10 or sum(1 for t in target if t > 0) < 2:
            continue
        acc = [0.0] * len(columns)
        leaves = 0
        for j in range(i + 1, min(len(order), i + 1 + _SUBTOTAL_REACH)):
            if j in found:
                continue
            if places[j] == places[i]:
                break  # the same place again (its types, its weeks): no subtotal of others
            acc = [a + b for a, b in zip(acc, vectors[j], strict=True)]
            leaves += 1
            if any(a > t for a, t in zip(acc, target, strict=True)):
                break
            if leaves >= 2 and tuple(acc) == target:
                found.add(i)
                break
    if found:
        listed = [f"{order[i]} ({rows[order[i]][0]!r})" for i in sorted(found)]
        more = f" and {len(listed) - 5} more" if len(listed) > 5 else ""
        col.warn(
            f"{len(found)} row(s) hold exactly the sum of rows below them: {', '.join(listed[:5])}"
            f"{more}. If they are subtotals (a region above its municipalities), they count "
            "the same structures again: remove them, or count with --units at the level of "
            "the rows they sum (the subtotals then stay unresolved)"
        )
