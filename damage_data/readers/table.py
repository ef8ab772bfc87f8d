"""Count tables (CSV, TSV, XLSX, DBF) to figures, and per-structure tables to structures.

A count table has one row per place (wide: a column per damage state, ``Houses destroyed``)
or one row per place and state (long: a label column and a count column). Each count in a
row becomes one figure tied to its row and column. Breakdowns are linked, never added:
``houses_destroyed`` beside ``destroyed`` is a part of it (``subset_of``), and so are the
severity columns beside an unspecified ``damaged`` and a long table's typed rows beside its
total row (DESIGN §4 rule 1). Village rows stay village figures under their district (rule
2), a ``source`` column splits the rows into sources (rule 5), and a ``UNIT_TYPES`` column
states the count unit (rule 9). Places are resolved after reading, by the place stage.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from .._errors import InputError, UsageError
from ..tables import empty, make_figures
from ..vocab import (
    DAMAGE_GROUPS,
    DAMAGE_ORDER,
    classify_damage,
    classify_structure,
    known_damage_labels,
)
from ._context import Context, Parts
from ._dates import date_conflict_message
from ._result import SEEN_DAMAGED
from ._vector import damage_column
from .colmap import ColumnMap, CountColumn
from .columns import map_columns
from .events import (
    events_add_up,
    events_warning,
    flag_repeated_places,
    flows_of_dates,
    incident_log,
    record_cells,
    repeated_places_warning,
)
from .headers import (
    count_unit_in_header,
    count_unit_of_value,
    header_roles,
    names_a_total,
    state_in_header,
    structure_in_header,
)
from .links import link_long, link_row, warn_subtotals
from .points import no_counts_of_classes, read_structure_table
from .raw import (
    RawTable,
    clip,
    date_order_conflict,
    day_first,
    decimal_mark,
    in_future,
    parse_count,
    parse_date,
    parse_quantity,
    raw_frame,
    read_raw,
)

#: States summed to test what a ``total`` column totals: everything graded (the ordered
#: scale and an unspecified ``damaged``), or the damage (:data:`SEEN_DAMAGED`).
_GRADED = (*DAMAGE_ORDER, *(s for s in DAMAGE_GROUPS["damaged"] if s not in DAMAGE_ORDER))


def read_table(ctx: Context, raw: RawTable | None = None, resolve: Any = None) -> Parts:
    """Read a count table into figures, or a per-structure table into structures.

    A workbook whose first sheet holds no table of counts (a sheet of notes, DROMIC) is
    read from its first sheet that does, with a warning; ``--layer`` names one.
    """
    raw = raw or read_raw(ctx)
    try:
        return _read_one_table(ctx, raw, resolve)
    except InputError as err:
        if ctx.layer is not None or not raw.other_sheets or "no damage counts" not in str(err):
            raise
        for sheet in raw.other_sheets:
            other = replace(ctx, layer=sheet)
            try:
                parts = _read_one_table(other, read_raw(other), resolve)
            except InputError:
                continue
            ctx.collector.warn(
                f"the first sheet holds no table of counts: sheet {sheet!r} was read (name "
                "another with --layer SHEET)"
            )
            return replace(parts, layer=sheet)
        raise


def _read_one_table(ctx: Context, raw: RawTable, resolve: Any) -> Parts:
    frame = raw_frame(raw)
    mapping = map_columns(frame, columns=ctx.columns, resolve=resolve)
    if "lon" in mapping.roles or "wkt" in mapping.roles:
        given = mapping.roles.get("damage")
        if damage_column(frame.replace("", None), given) is not None:
            return read_structure_table(ctx, frame, raw, mapping)
        no_counts_of_classes(ctx, frame, mapping)
    chosen = set((ctx.columns or {}).values())
    for name in [c for c in mapping.counts if c in (raw.repeats or {}) and c not in chosen]:
        # two columns with one header would count the same structures twice
        state = mapping.counts.pop(name).state
        mapping.ignored[name] = f"repeats the header {raw.repeats[name]!r}"  # type: ignore[index]
        ctx.collector.warn(
            f"column {raw.repeats[name]!r} appears more than once in the header; only the "  # type: ignore[index]
            f"first is counted (the repeat is read as {name!r}); choose with --columns "
            f"{state}={name!r}"
        )
    if not mapping.counts and not mapping.totals and "damage" not in mapping.roles:
        sheets = (
            f" The workbook has other sheets: {', '.join(map(repr, raw.other_sheets))}; read "
            "one with --layer SHEET (layer= in Python)."
            if raw.other_sheets
            else ""
        )
        raise InputError(
            f"{ctx.path}: no damage counts found: {_why_no_counts(frame, raw.line_numbers)}. "
            f"Columns: {', '.join(raw.header)}. Name them "
            "with --columns, e.g. --columns place=District destroyed='Houses destroyed' (a "
            "column per state) or --columns place=District damage=Status count=Number (a "
            "label column and a count column); one structure per row: --columns "
            f"damage=COLUMN (its labels).{sheets}",
            path=str(ctx.path),
        )
    for warning in mapping.warnings:
        ctx.collector.warn(warning)
    if raw.other_sheets:
        ctx.collector.warn(
            f"the workbook has other sheets, not read: {', '.join(raw.other_sheets)}; read "
            "one with --layer SHEET"
        )
    figures, sources = figures_from_table(ctx, frame, raw.line_numbers, mapping, raw.bad_rows)
    # after the figures: what the numbers decided (totals, repeated columns) is in the map
    ctx.collector.extra.update(
        encoding=raw.encoding, delimiter=raw.delimiter, columns=mapping.report()
    )
    ctx.collector.extra["column_rows"] = mapping.rows()
    return Parts(
        rows_kept=ctx.collector.rows_read - ctx.collector.rows_rejected,
        figures=figures,
        sources=sources,
    )


def figure_key(source_id: str, locator: str) -> str:
    """A figure's id from its source and locator: the same cell gives the same id on every
    path (a file read directly, through a register, or from a copy)."""
    digest = hashlib.sha256(f"{source_id}|{locator}".encode()).hexdigest()
    return f"f{digest[:12]}"


def row_source_id(base: str, value: str) -> str:
    """The id of one source inside a table (a ``source``/``reference`` column value)."""
    return f"{base}:{hashlib.sha256(value.strip().encode()).hexdigest()[:8]}"


@dataclass
class _Plan:
    """How the rows of one table become figures, decided once from the whole table."""

    mapping: ColumnMap
    #: Count columns (the state columns, and totals whose meaning the numbers showed).
    counts: dict[str, CountColumn]
    #: The columns read for counts: the count columns, or a long table's count column.
    count_columns: list[str]
    #: A long table: one row per place and state (a label column and a count column).
    long: bool
    #: A survey sheet: a label column and no count column, one structure per row.
    one_each: bool
    decimals: dict[str, str | None]
    labels: dict[str, str | None]
    structures: dict[str, tuple[str, bool]]
    dayfirst: bool | None
    level: str | None
    #: The events of an event column are separate incidents that add up (no place has an
    #: event at two dates); otherwise each event's rows are a source of their own.
    events_added: bool = False
    #: Codes written as floats by a spreadsheet or pandas export ("2103321352.0" in every
    #: filled cell): read without their ".0".
    float_codes: bool = False


#: An integer code exported as a float.
_FLOAT_CODE = re.compile(r"^\d+\.0+$")


def _float_codes(frame: pd.DataFrame, column: str | None) -> bool:
    """Whether every filled cell of the code column is an integer written as a float."""
    if column is None:
        return False
    filled = [v for v in frame[column].tolist() if v]
    return bool(filled) and all(_FLOAT_CODE.match(str(v)) for v in filled)


def figures_from_table(
    ctx: Context,
    frame: pd.DataFrame,
    lines: list[int],
    mapping: ColumnMap,
    bad_rows: list[tuple[int, str, str, str]] | None = None,
    *,
    level: str | None = None,
    locator_word: str = "row",
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """One figure per count cell; rows that cannot be read whole are rejected with a reason.

    Parameters
    ----------
    ctx
        The read's options and bookkeeping (rows read, rejects and warnings go there).
    frame
        The table's cells as strings (empty cells ``""``).
    lines
        The file line (or feature number) of each row, for locators.
    mapping
        The columns' roles (:func:`damage_data.readers.columns.map_columns`).
    bad_rows
        Rows the raw reader could not take whole: ``(line, column, value, reason)``.
    level
        The admin level of every place, when the caller knows it (HXL ``#adm1``).
    locator_word
        The word of a locator before the line number (``row``, ``feature``, ``item``).

    Returns
    -------
    tuple
        The ``figures`` table and the sources a ``source`` column names (one dict each).

    Examples
    --------
    >>> from pathlib import Path
    >>> from damage_data.limits import DEFAULT_LIMITS
    >>> from damage_data.readers._result import Collector
    >>> frame = pd.DataFrame({"District": ["Fuzuli", "Tartar"],
    ...                       "Houses destroyed": ["11", "x"]})
    >>> ctx = Context(path=Path("t.csv"), target=Path("t.csv"), source_id="s1",
    ...               limits=DEFAULT_LIMITS, collector=Collector(path=Path("t.csv")))
    >>> figures, _ = figures_from_table(ctx, frame, [2, 3], map_columns(frame))
    >>> figures[["place_text", "damage", "structure", "count"]].values.tolist()
    [['Fuzuli', 'destroyed', 'residential', 11]]
    >>> [(r["locator"], r["reason"]) for r in ctx.collector.rejects]
    [('row 3', 'not a number')]
    """
    col = ctx.collector
    col.rows_read += len(frame)
    bad = {line: (c, v, why) for line, c, v, why in (bad_rows or [])}
    plan = _plan(ctx, frame, mapping, level, lines)
    event = mapping.roles.get("event")
    if event is not None and not plan.one_each:
        col.warn(events_warning(frame, event, plan.events_added))
    sources: dict[str, dict[str, Any]] = {}
    records: list[dict[str, Any]] = []
    header = list(frame.columns)
    # a row repeating an earlier one cell for cell is the same record listed twice: its
    # figures restate the first row's (same_as), counted once
    same = record_cells(header, mapping, incident_log(frame, mapping))
    seen: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    repeated: list[tuple[int, int]] = []
    first_line: dict[tuple[Any, ...], int] = {}
    for line, row in zip(lines, frame.itertuples(index=False), strict=True):
        values = dict(zip(header, row, strict=True))
        locator = f"{locator_word} {line}"
        if line in bad:
            col.reject(locator, *bad[line])
            continue
        problem, row_records = _row_figures(ctx, plan, values, locator, sources)
        if problem is None and not row_records:
            problem = (plan.count_columns[0], "", "no count in any count column: nothing stated")
        if problem is not None:
            col.reject(locator, *problem)
            continue
        link_row(row_records, plan.long, plan.mapping.repeats)
        cells = tuple(row[i] for i in same)
        other = tuple(row[i] for i in same if header[i] not in plan.count_columns)
        for r in row_records:
            r["_cells"] = other  # what, besides counts, tells this row from another
        earlier = seen.get(cells)
        if earlier is not None and not plan.long:
            for r, first in zip(row_records, earlier, strict=False):
                if r["damage"] == first["damage"] and not r.get("same_as"):
                    r["same_as"] = first["figure_id"]
            repeated.append((line, first_line[cells]))
        else:
            seen[cells] = row_records
            first_line[cells] = line
        records.extend(row_records)
    if repeated:
        shown = ", ".join(f"{locator_word} {a} repeats {b}" for a, b in repeated[:5])
        more = f" and {len(repeated) - 5} more" if len(repeated) > 5 else ""
        col.warn(
            f"{len(repeated)} row(s) repeat an earlier row cell for cell ({shown}{more}"
            f"{', row numbers aside' if len(same) < len(header) else ''}): the same record "
            "listed twice, counted once"
        )
    if plan.long and not plan.one_each:
        link_long(records)  # (one structure per row: a row of no type is no total)
    elif not plan.long:
        warn_subtotals(records, plan.counts, col)
    if event is None and (found := flag_repeated_places(records)):
        col.warn(repeated_places_warning(found))
    future = sum(1 for r in records if "future_date" in r["flags"])
    if future:
        col.warn(
            f"{future} figure(s) dated in the future: kept with status needs_review and flag "
            "future_date; check the date column"
        )
    for r in records:
        r.pop("_key", None)
        r.pop("_column", None)
        r.pop("_cells", None)
    figures = make_figures(records) if records else empty("figures")
    return figures, list(sources.values())


def _why_no_counts(frame: pd.DataFrame, lines: list[int] | None = None) -> str:
    """Why no count column was found: no header names a state, or the columns whose headers
    do hold no numbers ("many", "x")."""
    named = [c for c in frame.columns if state_in_header(str(c))]
    if not named:
        return "no column names a damage state the crosswalks know"
    cells = [(i, c, v) for c in named for i, v in enumerate(frame[c].tolist()) if v]
    line = lines or [i + 2 for i in range(len(frame))]
    shown = ", ".join(f"{c!r} row {line[i]}: {v!r}" for i, c, v in cells[:3])
    what = (
        "the column {} names a damage state but holds"
        if len(named) == 1
        else ("the columns {} name damage states but hold")
    )
    return (
        what.format(", ".join(map(repr, named)))
        + " no counts"
        + (f" ({shown})" if shown else " (they are empty)")
        + "; write numbers in them"
    )


def _plan(
    ctx: Context,
    frame: pd.DataFrame,
    mapping: ColumnMap,
    level: str | None,
    lines: list[int] | None = None,
) -> _Plan:
    """What the whole table says: its count columns, number and date formats, labels."""
    roles = mapping.roles
    _mark_repeats(frame, mapping)
    counts = _with_totals(frame, mapping)
    long = not counts
    one_each = long and "damage" in roles and "count" not in roles
    if long and not ("damage" in roles and ("count" in roles or one_each)):
        raise InputError(
            f"{ctx.path}: no damage counts found: {_why_no_counts(frame, lines)}. Columns: "
            f"{', '.join(frame.columns)}. Name them with --columns, "
            "e.g. --columns place=District destroyed='Houses destroyed' (a column per state) "
            "or --columns place=District damage=Status count=Number (labels and counts).",
            path=str(ctx.path),
        )
    given = roles.get("count")
    if not long and given is not None and mapping.why.get(given) == "given with --columns":
        # count= names the numbers of a long table; here it would be dropped in silence
        state = state_in_header(given)
        raise UsageError(
            f"{ctx.path}: --columns count={given!r} names the count column of a long table "
            "(one row per place and damage state, with a damage column), but this table has "
            f"a column per state ({', '.join(map(repr, counts))}); name the state the "
            f"column counts instead: --columns {state or 'destroyed'}={given!r}"
        )
    count_columns = list(counts) if not long else [roles.get("count", roles["damage"])]
    dayfirst = _date_order(ctx, frame, roles.get("date"))
    if not long and (flows := flows_of_dates(frame, mapping, count_columns, dayfirst)):
        mapping.per_period = True  # rows of damage per date: they add (rule R2, not R3)
        ctx.collector.warn(flows)
    return _Plan(
        mapping=mapping,
        counts=counts,
        count_columns=count_columns,
        long=long,
        one_each=one_each,
        decimals={c: None if one_each else decimal_mark(frame[c].tolist()) for c in count_columns},
        labels=_labels(frame, mapping) if long else {},
        structures=_structures(frame, roles.get("structure")),
        dayfirst=dayfirst,
        level=level or _header_level(roles.get("unit_code") or roles.get("place")),
        events_added=incident_log(frame, mapping) or events_add_up(frame, roles),
        float_codes=_float_codes(frame, roles.get("unit_code")),
    )


def _with_totals(frame: pd.DataFrame, mapping: ColumnMap) -> dict[str, CountColumn]:
    """The count columns, with each ``total`` column whose numbers show what it totals;
    the others are listed as ignored, with why."""
    counts = dict(mapping.counts)
    for name, state in _what_totals(frame, mapping).items():
        if state == "restates":
            mapping.ignored[name] = (
                "equals the sum of the damage columns in every row: it restates them "
                "(counted once, through the columns)"
            )
        elif state is None:
            mapping.ignored[name] = (
                "a total that equals neither the sum of the state columns nor their damage: "
                "what it totals is unclear (name it with --columns STATE=COLUMN)"
            )
        else:
            counts[name] = CountColumn(
                name,
                state,
                "any",  # a total of the row, whatever its own name says of the type
                count_unit_in_header(name),
                why="a total: equals the sum of the "
                f"{'graded' if state == 'assessed' else 'damage'} columns",
            )
    return counts


def _date_order(ctx: Context, frame: pd.DataFrame, column: str | None) -> bool | None:
    """Whether the date column writes ``dd/mm`` dates day first; said in the report, with a
    warning when the column holds both orders (``13/11/2020`` and ``11/13/2020``)."""
    if column is None:
        return None
    written = frame[column].tolist()
    dayfirst = day_first(written)
    if dayfirst is not None:
        ctx.collector.extra["date_order"] = "day first" if dayfirst else "month first"
    conflict = date_order_conflict(written)
    if conflict is not None:
        ctx.collector.warn(date_conflict_message(ctx.path.name, column, conflict))
    return dayfirst


#: A harmonised grade code as a header (GEM's DS2_MODERATE, D3, G4, grade 2): a second
#: vocabulary beside the source's own words.
_GRADE_CODE = re.compile(r"^\s*(ds|d|g|grade)\s*_?\d", re.IGNORECASE)
#: States no finer than another: generic or reported together.
_COARSE = ("damaged", "damaged_or_destroyed")


def _mark_repeats(frame: pd.DataFrame, mapping: ColumnMap) -> None:
    """Count columns that repeat another one: the same count under a second vocabulary
    (GEM's tables put a source's "LIGHTLY_DAMAGED" again as "DS2_MODERATE", CENAPRED's
    "DAMAGED_TOTALLY" again as "DS4_COMPLETE"); adding both counts it twice.

    Two columns repeat each other when they hold the same number in every row where both
    hold one, and at least two of those rows hold a number other than 0 (one row alone may
    agree by chance). In those rows one of them is a restatement (:attr:`ColumnMap.repeats`,
    ``same_as`` on its figures); rows where only one is filled keep it. The column kept is
    the finer state, then the source's own words over a grade code, then the earlier.
    """
    columns = [c for c in mapping.counts.values() if c.structure == "any" and not c.part]
    if len(columns) < 2 or len(frame) < 2:
        return
    values = {
        c.name: pd.Series([parse_count(v)[0] for v in frame[c.name].tolist()], dtype="float")
        for c in columns
    }
    order = list(mapping.counts)

    def rank(c: CountColumn) -> tuple[int, int, int]:
        coded = bool(_GRADE_CODE.match(c.name))
        return (int(c.state in _COARSE), int(coded), order.index(c.name))

    for i, a in enumerate(columns):
        for b in columns[i + 1 :]:
            if a.name in mapping.repeats or b.name in mapping.repeats:
                continue
            x, y = values[a.name], values[b.name]
            both = x.notna() & y.notna()
            if not (x[both] == y[both]).all() or int((x[both] != 0).sum()) < 2:
                continue
            keep, repeat = sorted((a, b), key=rank)
            mapping.repeats[repeat.name] = keep.name
            mapping.why[repeat.name] = (
                f"repeats column {keep.name!r} wherever both are filled (the same count "
                f"under another vocabulary): there counted once, as {keep.name!r} ({keep.state})"
            )
            mapping.counts[repeat.name].why = mapping.why[repeat.name]


def _what_totals(frame: pd.DataFrame, mapping: ColumnMap) -> dict[str, str | None]:
    """Each ``total`` column's meaning, from the numbers: the sum of every graded column
    (an ``assessed`` denominator) or of the damage columns (``damaged_or_destroyed``).

    A damage total that equals its columns in every row only restates them: it is listed
    as ignored (``"restates"``), never counted beside them.
    """
    out: dict[str, str | None] = {}
    own = [c for c in mapping.counts.values() if not c.part and c.name not in mapping.repeats]
    # the untyped columns; when every column names a type ("houses destroyed"), those
    tops = [c for c in own if c.structure == "any"] or own
    graded = [c.name for c in tops if c.state in _GRADED]
    damage = [c.name for c in tops if c.state in SEEN_DAMAGED and c.state != "damaged_or_destroyed"]
    # columns naming the states they report together ("Heavy/Collapsed") are graded too, and
    # hold none of the others; a plain "damaged or destroyed" column may total them, so the
    # sums are tried without these columns first
    unions = [c.name for c in tops if c.state == "damaged_or_destroyed" and c.union_of]
    candidates = [("assessed", graded), ("damaged_or_destroyed", damage)]
    if unions:
        candidates[1:1] = [("assessed", graded + unions)]
        candidates.append(("damaged_or_destroyed", damage + unions))

    def numbers(names: list[str]) -> pd.DataFrame:
        return pd.DataFrame(
            {n: [parse_count(v)[0] for v in frame[n].tolist()] for n in names}, dtype="float"
        )

    for name in mapping.totals:
        total = numbers([name])[name]
        verdict: str | None = None
        compared = False
        for state, names in candidates:
            if not names or (state == "assessed" and names == damage):
                continue
            part = numbers(names)
            both = total.notna() & part.notna().any(axis=1)
            if both.sum() == 0:
                continue
            compared = True
            equal = (part.sum(axis=1, min_count=1) == total)[both]
            if equal.mean() >= 0.8:
                verdict = state
                if state == "damaged_or_destroyed" and bool(equal.all()):
                    verdict = "restates"
                break
        if verdict is None and not graded and not damage:
            # alone in the table: GEM's AFFECTED_UNITS ("level of damage not stated")
            verdict = "damaged_or_destroyed" if "affected" in name.casefold() else None
        if verdict is None and not compared:
            # its name alone decides only when no numbers beside it could: numbers that
            # contradict it ("damage_total" 7,054 PHP million beside 143,498 houses) win
            verdict = mapping.total_states.get(name)
        out[name] = verdict
    return out


def _labels(frame: pd.DataFrame, mapping: ColumnMap) -> dict[str, str | None]:
    column = mapping.roles["damage"]
    scheme = mapping.damage_scheme or "auto"
    out: dict[str, str | None] = {}
    for label in dict.fromkeys(frame[column].tolist()):
        if not label:
            out[label] = None
            continue
        try:
            out[label] = str(classify_damage([label], scheme=scheme).iloc[0])
        except Exception:  # UnknownLabelError: tried as a header phrase, else rejected
            state = state_in_header(label)
            if state is None and names_a_total(label):
                state = "damaged_or_destroyed"
            out[label] = state
    return out


def _structures(frame: pd.DataFrame, column: str | None) -> dict[str, tuple[str, bool]]:
    """Structure column values → (canonical type, is a total row)."""
    if column is None:
        return {}
    out: dict[str, tuple[str, bool]] = {}
    for value in dict.fromkeys(frame[column].tolist()):
        if not value:
            out[value] = ("any", False)
            continue
        structure = str(classify_structure([value], unknown="other").iloc[0])
        total = structure == "any" and names_a_total(value)
        out[value] = (structure, total)
    return out


def _row_figures(
    ctx: Context,
    plan: _Plan,
    values: dict[str, str],
    locator: str,
    sources: dict[str, dict[str, Any]],
) -> tuple[tuple[str, str, str] | None, list[dict[str, Any]]]:
    """The figures of one row, or the reason the row is rejected: ``(column, value, why)``."""
    roles = plan.mapping.roles
    date_column = roles.get("date")
    as_of, why = parse_date(values.get(date_column, "") if date_column else "", plan.dayfirst)
    if why:
        return (str(date_column), values[str(date_column)], why), []
    # one structure per row: rows are different structures and add up whatever source or
    # event each names (ACAPS Ukraine: a news link per damaged facility)
    if plan.one_each:
        source_id = ctx.source_id
    else:
        source_id = _row_source(ctx, values, roles, sources, events=not plan.events_added)
    unit = plan.mapping.count_unit
    if "unit" in roles and values.get(roles["unit"]):
        unit = count_unit_of_value(values[roles["unit"]]) or unit
    place_text, parent_text, settlement, row_level = _row_place(values, roles, plan.level)
    if place_text and names_a_total(place_text) and not plan.one_each:
        # "TOPLAM", "Total", "Всього" where a place stands: the sum of the rows above it
        column = roles["village"] if settlement else roles.get("place", "")
        return (
            str(column),
            place_text,
            "a total row (the sum of other rows), not a place: not counted (its rows are)",
        ), []
    structure_value = values.get(roles["structure"], "") if "structure" in roles else ""
    structure_of_row, total_row = plan.structures.get(structure_value, ("any", False))
    future = in_future(as_of)
    row = {
        "source_id": source_id,
        "evidence": "; ".join(f"{k}={clip(v)}" for k, v in values.items() if v),
        "place_text": place_text or None,
        "parent_text": parent_text or None,
        "settlement": settlement,
        "unit_code": _code(values, roles, plan.float_codes),
        "level": row_level,
        "as_of": as_of,
        "status": "needs_review" if future else "accepted",
        "flags": ";".join(
            f
            for f in ("future_date" if future else "", "per_structure" if plan.one_each else "")
            if f
        ),
        # rows of a survey sheet are distinct structures: they add up, never a series
        "cumulative": False
        if plan.one_each or plan.mapping.per_period or plan.events_added
        else None,
    }
    out: list[dict[str, Any]] = []
    for column in plan.count_columns:
        if plan.one_each and not values[column]:
            # a survey sheet: one structure per row (an empty answer counts nothing)
            return (column, "", "no damage answer: nothing to count"), []
        quantity = (
            (1, 1, 1, "exact", None)
            if plan.one_each
            else parse_quantity(values[column], plan.decimals[column])
        )
        count, low, high, qualifier, reason = quantity
        if reason:
            return (column, values[column], reason), []
        if count is None:
            continue
        spec = plan.counts.get(column)
        if spec is not None:
            damage, damage_text = spec.state, column
            structure = spec.structure if spec.structure != "any" else structure_of_row
            column_unit = spec.count_unit
        else:
            damage_text = values[roles["damage"]]
            damage = plan.labels.get(damage_text) or ""
            if not damage:
                why = _not_structures(damage_text) or _unknown_label(plan.mapping)
                return (roles["damage"], damage_text, why), []
            structure = structure_in_header(damage_text) or structure_of_row
            column_unit = count_unit_in_header(damage_text)
        loc = f"{locator}, column {column}"
        out.append(
            {
                **row,
                "figure_id": figure_key(source_id, loc),
                "locator": loc,
                "damage": damage,
                "damage_text": damage_text,
                "structure": structure,
                "structure_text": structure_value or column,
                "count_unit": "structures" if plan.one_each else unit or column_unit or "buildings",
                "count": count,
                "count_min": low,
                "count_max": high,
                "qualifier": qualifier,
                "_column": spec,
                "_key": (
                    source_id,
                    place_text,
                    parent_text,
                    settlement,
                    as_of,
                    unit or column_unit,
                    total_row,
                ),
            }
        )
    return None, out


def _row_source(
    ctx: Context,
    values: dict[str, str],
    roles: dict[str, str],
    sources: dict[str, dict[str, Any]],
    *,
    events: bool = True,
) -> str:
    """The source of a row: the file, or the one its ``source`` column names (added to
    ``sources`` the first time it is seen); with ``events``, one per event too."""
    source = values.get(roles["source"], "").strip() if "source" in roles else ""
    event = values.get(roles["event"], "").strip() if events and "event" in roles else ""
    if not source and not event:
        return ctx.source_id
    # rows of another source, or about another event, are never added to these
    name = " — ".join(v for v in (source, event) if v)
    source_id = row_source_id(ctx.source_id, name)
    said = [f"whose {roles[r]!r} is {v!r}" for r, v in (("source", source), ("event", event)) if v]
    sources.setdefault(
        source_id,
        {
            "source_id": source_id,
            "title": name,
            "publisher": source or ctx.path.name,
            "method": "compilation",
            "kind": "table: one event" if event and not source else "table",
            "notes": f"rows of {ctx.path.name} {' and '.join(said)}",
        },
    )
    return source_id


#: The admin level written in a place column's header: GEM's ID_2 / NAME_3, OCHA's
#: ADM2_PCODE and admin1Name, "adm_1" (level 4 and below have no word of their own).
_HEADER_LEVEL = re.compile(r"(?:^|[^a-z])(?:adm|admin|id|name|level)[ _-]?([0-3])(?![0-9])", re.I)


def _header_level(header: str | None) -> str | None:
    """The level a column header states, or ``None``."""
    found = _HEADER_LEVEL.search(str(header)) if header else None
    return None if found is None else ("country", "adm1", "adm2", "adm3")[int(found.group(1))]


def _code(values: dict[str, str], roles: dict[str, str], float_codes: bool) -> str | None:
    """The row's unit code as written (without a float export's ".0"), or ``None``."""
    code = values.get(roles["unit_code"]) if "unit_code" in roles else None
    if not code:
        return None
    return code.split(".")[0] if float_codes else code


def _row_place(
    values: dict[str, str], roles: dict[str, str], level: str | None
) -> tuple[str, str, str | None, str | None]:
    """``(place_text, parent_text, settlement, level)`` of a row: a village row is a
    settlement under its district (DESIGN §4 rule 2)."""
    village = values.get(roles["village"], "") if "village" in roles else ""
    place = values.get(roles["place"], "") if "place" in roles else ""
    parent = values.get(roles["parent"], "") if "parent" in roles else ""
    if village:
        return village, place or parent, village, "settlement"
    return place, parent, None, level


# --- per-structure tables ------------------------------------------------------------------


def _not_structures(label: str) -> str | None:
    """The reason a long table's label counts no structures ("Deaths", "Injured"), if its
    words say so (the header vocabulary's ignored words), else ``None``."""
    why = next((v for r, v in header_roles(label) if r == "ignore"), None)
    return str(why) if why else None


def _unknown_label(mapping: ColumnMap) -> str:
    """The reason for an unknown damage label, listing the labels its scheme knows."""
    scheme = mapping.damage_scheme or "canonical"
    known = known_damage_labels(scheme)
    shown = ", ".join(known[:40]) + (" …" if len(known) > 40 else "")
    return (
        f"unknown damage label; known labels: {shown} (scheme {scheme}; add a row to "
        f"data/vocab/crosswalks/{scheme}.csv, or map the column with --columns)"
    )
