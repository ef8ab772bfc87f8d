"""Dated JSON series: one object per report date with nested category counts.

A dated series (e.g. Tech For Palestine's ``infrastructure-damaged.json``) is a JSON array of
objects, one per report date, with nested category counts. Keys starting ``ext_`` are
forward-filled or interpolated by the curator, not observations: they are never read.
"""

from __future__ import annotations

import math
from typing import Any

from ..limits import check_rows
from ..tables import empty, make_figures
from ._context import Context, Parts
from .headers import count_unit_in_header, state_in_header, structure_in_header
from .raw import MAX_COUNT, parse_date

_DATE_KEYS = ("report_date", "date", "as_of", "reported_on")
#: Category names of known series whose words are not in the structure crosswalk.
_CATEGORY_STRUCTURE = {
    "civic_buildings": "administrative",
    "educational_buildings": "education",
    "places_of_worship": "religious",
    "residential": "residential",
    "health": "health",
    "hospitals": "health",
}


def is_series(value: Any) -> bool:
    """A JSON array of objects that each carry a report date and nested counts."""
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        return False
    first = value[0]
    return any(k in first for k in _DATE_KEYS) and any(
        isinstance(v, dict | int) for v in first.values()
    )


def read_series(ctx: Context, value: Any) -> Parts:
    """One figure per report date and observed count; ``ext_*`` values are skipped."""
    col = ctx.collector
    check_rows(len(value), ctx.path, ctx.limits)
    col.rows_read += len(value)
    records: list[dict[str, Any]] = []
    place = (ctx.columns or {}).get(
        "place", "Gaza Strip" if "gaza" in ctx.path.name.lower() or _mentions_gaza(value) else None
    )
    kept_rows = 0
    for i, item in enumerate(value):
        locator = f"item {i}"
        date_key = next((k for k in _DATE_KEYS if k in item), None)
        if date_key is None:
            col.reject(locator, None, None, "no report date")
            continue
        _, date_problem = parse_date(item[date_key] if isinstance(item[date_key], str) else "?")
        if date_problem:
            col.reject(locator, date_key, item[date_key], date_problem)
            continue
        observed = []
        problem = None
        for path, number in _leaves(item):
            field = path.split(".")[-1]
            if field.startswith("ext_") or path == date_key:
                continue
            damage = state_in_header(field.replace("_", " "))
            if damage is None:
                continue
            if (
                not isinstance(number, int | float)
                or isinstance(number, bool)
                or not math.isfinite(number)
            ):
                problem = (path, number, "not a number")
                break
            if number < 0:
                problem = (path, number, "negative count")
                break
            if number != int(number):
                problem = (path, number, "not a whole number")
                break
            if number > MAX_COUNT:
                problem = (path, number, f"count too large (over {MAX_COUNT:,})")
                break
            category = path.split(".")[0]
            structure = (
                _CATEGORY_STRUCTURE.get(category)
                or structure_in_header(path.replace("_", " ").replace(".", " "))
                or "any"
            )
            if structure == "any" or category == "places_of_worship":
                structure = structure_in_header(field.replace("_", " ")) or structure
            observed.append(
                {
                    "source_id": ctx.source_id,
                    "locator": f"{locator} ({item[date_key]}), {path}",
                    "evidence": f"{path} = {number} on {item[date_key]}",
                    "place_text": place,
                    "damage": damage,
                    "damage_text": field,
                    "structure": structure,
                    "structure_text": path,
                    "count_unit": "housing_units"
                    if category == "residential"
                    else count_unit_in_header(path.replace("_", " ")) or "buildings",
                    "count": int(number),
                    "cumulative": True,
                    "as_of": item[date_key],
                }
            )
        if problem is not None:
            col.reject(locator, problem[0], problem[1], problem[2])
            continue
        if not observed:
            col.reject(
                locator,
                None,
                None,
                "only extrapolated (ext_*) values on this date: nothing was reported",
            )
            continue
        kept_rows += 1
        records.extend(observed)
    figures = make_figures(records) if records else empty("figures")
    return Parts(
        rows_kept=kept_rows,
        figures=figures,
        extra={"skipped": "ext_* keys (curator's interpolation) are not observations"},
    )


def _mentions_gaza(value: list[dict[str, Any]]) -> bool:
    return "places_of_worship" in value[0] and "residential" in value[0]


def _leaves(item: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, val in item.items():
        path = f"{prefix}{key}"
        if isinstance(val, dict):
            out.extend(_leaves(val, f"{path}."))
        else:
            out.append((path, val))
    return out
