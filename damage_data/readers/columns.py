"""Which column of a table plays which role, chosen by its values as well as its name.

A header word proposes a role (``district`` → a place, ``Houses destroyed`` → a count of
destroyed houses); the values decide: a damage-label column is the one whose values the
crosswalks know (``House damage`` with "Total destruction", not a workflow ``Status``), a
count column is numeric, a place column is one whose names the gazetteer resolves, deepest
level first. The header words are data (``data/vocab/headers.csv``, one row per word and
language); the user's own mapping (``--columns``/``--mapping``) wins over every guess.

:func:`map_columns` returns a :class:`ColumnMap`: every chosen column with its role and why,
every other column with the reason it was left out, and warnings for columns that look like
damage counts but were not used.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from .._errors import UsageError
from ..vocab import DAMAGE_STATES
from ._result import names_a_state, pick_scheme
from .colmap import ColumnMap, CountColumn
from .headers import (
    _union_of,
    count_unit_in_header,
    count_unit_of_value,
    fold,
    header_roles,
    state_in_header,
    structure_in_header,
)
from .raw import decimal_mark, is_number, is_quantity, parse_count

#: Roles the user may name with ``--columns ROLE=COLUMN`` (besides a damage state, which
#: names a count column: ``destroyed="Houses destroyed"``).
USER_ROLES: dict[str, str] = {
    "place": "the place (district, unit) each row is about",
    "village": "the village or settlement, under the place",
    "parent": "the unit the place lies in",
    "unit_code": "a unit code (ISO 3166-2, p-code)",
    "date": "the date the row refers to",
    "damage": "damage labels (a long table: one row per place and state)",
    "count": "the count of a long table",
    "structure": "structure types (houses, schools…)",
    "unit": "the count unit: a column (Buildings/Dwellings) or a word (buildings, housing_units)",
    "source": "the source of each row (rows of different sources are never added)",
    "lon": "longitude of a per-structure table",
    "lat": "latitude of a per-structure table",
    "wkt": "WKT geometry of a per-structure table",
    "id": "structure id of a per-structure table",
    "admin": "the source's own admin label of a per-structure table",
}
#: Older role names accepted for the same thing.
_ROLE_ALIASES = {"settlement": "village", "code": "unit_code", "count_unit": "unit"}

_CODE_PATTERN = re.compile(r"(?:id_(\d)|adm(\d)_p?code|adm(\d)_pc|\w*_pcode)")
_NAME_PATTERN = re.compile(r"(?:name_(\d)|adm(\d)_(?:en|name|ref|[a-z]{2}))")


_PLACEHOLDERS = frozenset({"-", "--", "—", "–", "..", "…", "NaN", "nan", "null", "NULL", "None"})


def _filled(values: pd.Series) -> list[str]:
    return [v for v in values.tolist() if v and v.strip() not in _PLACEHOLDERS]


def numeric_share(values: pd.Series) -> float:
    """The share of filled cells holding a count ("12", "1.234", "more than 500", "55–60")."""
    filled = _filled(values)
    return sum(is_quantity(v) for v in filled) / len(filled) if filled else 0.0


def text_share(values: pd.Series) -> float:
    """The share of filled cells that are words, not counts."""
    filled = _filled(values)
    return sum(not is_quantity(v) for v in filled) / len(filled) if filled else 0.0


def label_score(values: pd.Series) -> tuple[str, float, int]:
    """The crosswalk that knows most distinct values, the share it knows, and how many."""
    distinct = [v for v in dict.fromkeys(values.tolist()) if v][:300]
    if not distinct:
        return "canonical", 0.0, 0
    scheme, known = pick_scheme(distinct)
    return scheme, known / len(distinct), len(distinct)


def _mostly_fractions(values: pd.Series) -> bool:
    """Whether most filled cells are decimals that are not whole numbers (shares, rates)."""
    filled = [v for v in _filled(values) if is_number(v)][:200]
    if not filled:
        return False
    mark = decimal_mark(filled)
    if mark is None:
        return False
    fractional = sum(parse_count(v, mark)[1] == "not a whole number" for v in filled)
    return fractional > 0.5 * len(filled)


def _date_share(values: pd.Series) -> float:
    filled = _filled(values)[:200]
    if not filled:
        return 0.0
    parsed = pd.to_datetime(pd.Series(filled), errors="coerce", format="mixed", dayfirst=True)
    return float(parsed.notna().mean())


# --- the mapping ---------------------------------------------------------------------------


def user_mapping(columns: dict[str, str] | None, header: list[str]) -> dict[str, str]:
    """The user's ``--columns`` mapping checked against the table, roles normalised."""
    out: dict[str, str] = {}
    for role, column in (columns or {}).items():
        role = _ROLE_ALIASES.get(role, role)
        if role not in USER_ROLES and role not in DAMAGE_STATES:
            raise UsageError(
                f"unknown column role {role!r} in --columns; roles: "
                f"{', '.join(USER_ROLES)}, or a damage state naming a count column "
                f"({', '.join(DAMAGE_STATES)}), e.g. --columns destroyed='Houses destroyed'"
            )
        if role == "unit" and count_unit_of_value(column) and column not in header:
            out[role] = column  # a count unit word, not a column
            continue
        if column not in header:
            raise UsageError(
                f"--columns {role}={column!r}: no such column; the table's columns: "
                f"{', '.join(header)}"
            )
        out[role] = column
    return out


def map_columns(
    frame: pd.DataFrame,
    *,
    columns: dict[str, str] | None = None,
    resolve: Any = None,
) -> ColumnMap:
    """Choose the role of every column of a table of strings.

    Parameters
    ----------
    frame
        The table's cells as strings (empty cells ``""``).
    columns
        The user's mapping, role → column (see :data:`USER_ROLES`); it wins over guesses.
    resolve
        ``resolve(names) -> (share resolved, deepest level)`` for place columns without a
        place word in their header; ``None`` skips the value check.

    Returns
    -------
    ColumnMap

    Examples
    --------
    >>> frame = pd.DataFrame({"district": ["Tartar"], "village": ["Seydimli"],
    ...                       "destroyed": ["5"], "houses_destroyed": ["4"]})
    >>> m = map_columns(frame)
    >>> m.roles["place"], m.roles["village"], m.counts["houses_destroyed"].structure
    ('district', 'village', 'residential')
    """
    header = list(frame.columns)
    given = user_mapping(columns, header)
    m = ColumnMap()
    used: set[str] = set()
    for role, column in given.items():
        if role in DAMAGE_STATES:
            m.counts[column] = CountColumn(
                column,
                role,
                structure_in_header(column) or "any",
                count_unit_in_header(column),
                why="given with --columns",
            )
        elif role == "unit" and column not in header:
            m.count_unit = count_unit_of_value(column)
        else:
            m.roles[role] = column
            m.why[column] = "given with --columns"
        if column in header:
            used.add(column)
    _geometry(frame, m, used)
    _codes(frame, m, used)
    _event(frame, m, used)
    _places(frame, m, used, resolve)
    _period(frame, m, used)
    _singles(frame, m, used)
    if not m.counts:
        _counts(frame, m, used)
    else:
        _other_states(frame, m, used)
    if not m.counts and "damage" not in m.roles:
        _long_format(frame, m, used)
    elif "count" not in m.roles:
        _structure_column(frame, m, used)
    for name in header:
        if name not in used and name not in m.ignored:
            m.ignored[name] = _why_ignored(frame[name], name)
    _warn_damage_like(m)
    return m


def _other_states(frame: pd.DataFrame, m: ColumnMap, used: set[str]) -> None:
    """Count columns the user named stand for their states; the columns of *other* states
    are still found by their headers (``--columns destroyed=Ruined`` beside "Houses
    damaged" had left damaged not stated). A guessed column of a state the user named, or
    a guessed total, is left out: the user's choice replaces it, it is never added to it."""
    named = {c.state for c in m.counts.values()}
    before, totals = set(m.counts), list(m.totals)
    _counts(frame, m, used)
    for name in [t for t in m.totals if t not in totals]:
        m.why.pop(name, None)
        m.total_states.pop(name, None)
        m.ignored[name] = "a total: --columns names the count columns (name it to count it)"
    m.totals[:] = totals
    for name in [n for n in m.counts if n not in before]:
        column = m.counts[name]
        if column.state in named or column.part:
            del m.counts[name]
            m.ignored[name] = (
                f"a count of {column.state} by its name, but --columns names the "
                f"{column.state} column(s): not counted beside them"
            )
        else:
            m.warnings.append(
                f"column {name!r} counted as {column.state} by its name, beside the columns "
                "given with --columns (name every count column with --columns to count only "
                "those)"
            )


def _geometry(frame: pd.DataFrame, m: ColumnMap, used: set[str]) -> None:
    if {"lon", "lat"} <= set(m.roles) or "wkt" in m.roles:
        return
    lon = lat = wkt = None
    for name in frame.columns:
        roles = {r for r, _ in header_roles(name)} if name not in used else set()
        # named so and mostly numbers: a few cells that are no coordinate ("abc", "NaN")
        # are rejected row by row; they turned a file of points into a table of no places
        if "lon" in roles and lon is None and numeric_share(frame[name]) > 0.5:
            lon = name
        elif "lat" in roles and lat is None and numeric_share(frame[name]) > 0.5:
            lat = name
        elif "wkt" in roles and wkt is None:
            shapes = frame[name].str.match(r"^\s*(MULTI)?(POINT|POLYGON)", case=False)
            if shapes.mean() > 0.5:
                wkt = name
    if lon and lat:
        m.roles["lon"], m.roles["lat"] = lon, lat
        m.why[lon] = m.why[lat] = "longitude/latitude: named so, numeric"
        used |= {lon, lat}
    elif wkt:
        m.roles["wkt"] = wkt
        m.why[wkt] = "WKT geometries"
        used.add(wkt)


def _depth_of_pattern(match: re.Match[str]) -> int:
    digits = [g for g in match.groups() if g]
    return int(digits[0]) if digits else 9


def _codes(frame: pd.DataFrame, m: ColumnMap, used: set[str]) -> None:
    if "unit_code" in m.roles:
        return
    candidates: list[tuple[int, str]] = []
    for name in frame.columns:
        if name in used:
            continue
        key = fold(name).replace(" ", "_")
        pattern = _CODE_PATTERN.fullmatch(key)
        words = {r for r, _ in header_roles(name)}
        if pattern or "code" in words:
            if not _filled(frame[name]):
                m.ignored[name] = "code column with no values"
                used.add(name)
                continue
            depth = _depth_of_pattern(pattern) if pattern else 9
            candidates.append((depth, name))
    if not candidates:
        return
    # the deepest level's code names the row's unit; among codes of no stated level, the
    # one naming most units (a zone code repeats over the districts it holds)
    distinct = {name: len(set(_filled(frame[name]))) for _, name in candidates}
    order = {name: i for i, name in enumerate(frame.columns)}
    candidates.sort(key=lambda c: (c[0], distinct[c[1]], -order[c[1]]))
    depth, name = candidates[-1]
    m.roles["unit_code"] = name
    m.why[name] = "unit codes: named so" + (f" (level {depth})" if depth < 9 else "")
    used.add(name)
    for _, other in candidates[:-1]:
        m.ignored[other] = f"code of a higher level than {name!r}"
        used.add(other)


def _places(frame: pd.DataFrame, m: ColumnMap, used: set[str], resolve: Any) -> None:
    """Place columns: by header word and depth, else by how many values the gazetteer knows."""
    if "place" in m.roles and ("village" in m.roles or "parent" in m.roles):
        return
    found: list[tuple[int, int, str, str]] = []  # depth, order, role, name
    for order, name in enumerate(frame.columns):
        if name in used or text_share(frame[name]) < 0.8:
            continue
        key = fold(name).replace(" ", "_")
        pattern = _NAME_PATTERN.fullmatch(key)
        if pattern:
            found.append((_depth_of_pattern(pattern), order, "place", name))
            continue
        roles = header_roles(name)
        if roles and roles[0][0] == "source":
            continue  # "source_name": the name of the source, not of a place
        for role, value in roles:
            if role in ("place", "settlement"):
                found.append((int(value), order, role, name))
                break
    if not found and resolve is not None:
        # no place word in any header: a text column whose names the gazetteer resolves
        for order, name in enumerate(frame.columns):
            if name in used or text_share(frame[name]) < 0.8 or state_in_header(name):
                continue
            if {r for r, _ in header_roles(name)} & {"label", "structure", "source", "ignore"}:
                continue
            share, depth = resolve(list(dict.fromkeys(_filled(frame[name])))[:100])
            if share >= 0.5:
                found.append((depth, order, "place", name))
    if not found:
        # the first text column before the counts names the place, as tables are laid out
        for name in frame.columns:
            if name in used or text_share(frame[name]) < 0.8 or state_in_header(name):
                continue
            if {r for r, _ in header_roles(name)} & {
                "label",
                "structure",
                "source",
                "date",
                "unit_statement",
                "ignore",
                "parent",
            }:
                continue
            found.append((2, 0, "place", name))
            m.why[name] = "place: the first text column (no place word in any header)"
            break
    found.sort()
    taken = {m.roles.get("place"), m.roles.get("village"), m.roles.get("parent")}
    found = [f for f in found if f[3] not in taken]
    if not found:
        return
    deepest = found[-1]
    if "place" not in m.roles and "village" not in m.roles:
        if deepest[2] == "settlement":
            m.roles["village"] = deepest[3]
            m.why[deepest[3]] = "villages: named so; rolled up into the place above them"
        else:
            m.roles["place"] = deepest[3]
            m.why.setdefault(
                deepest[3], f"place: named so (the deepest place column, level {deepest[0]})"
            )
        used.add(deepest[3])
        rest = found[:-1]
    else:
        rest = found
    if rest and "village" in m.roles and "place" not in m.roles:
        above = rest[-1]
        m.roles["place"] = above[3]
        m.why[above[3]] = "place: the unit above the villages"
        used.add(above[3])
        rest = rest[:-1]
    if rest and "parent" not in m.roles:
        above = rest[-1]
        if _varies_within_places(frame, m.roles.get("place"), above[3]):
            # Nepal MoHA long table: "Division" is Human Causalities / Infrastructural
            # Damage under each district; the unit a place lies in never changes
            m.ignored[above[3]] = "named like a higher unit, but varies within one place"
            m.why.pop(above[3], None)
        else:
            m.roles["parent"] = above[3]
            m.why[above[3]] = (
                "parent: the level above the place, used to tell same-named places apart"
            )
        used.add(above[3])
        rest = rest[:-1]
    for _, _, _, name in rest:
        m.ignored[name] = "a higher level than the place and its parent"
        used.add(name)
    code = m.roles.get("unit_code")
    place = m.roles.get("place")
    given = m.why.get(place or "") == "given with --columns"
    # a "place" with fewer distinct values than the codes beside it is a level above them
    # (a region), not the place each row is about: the codes name the places
    if (
        code
        and place
        and not given
        and "village" not in m.roles
        and frame[place].nunique() < frame[code].nunique()
    ):
        del m.roles["place"]
        if "parent" not in m.roles:
            m.roles["parent"] = place
            m.why[place] = "parent: fewer distinct values than the unit codes beside it"
        else:
            m.ignored[place] = "fewer distinct values than the unit codes: not the place"
            m.why.pop(place, None)


def _period(frame: pd.DataFrame, m: ColumnMap, used: set[str]) -> None:
    """Period columns ("week_start", "week_end"): the end is the row's date; with a start
    that moves from row to row, each row counts new damage in its own period (ACAPS weekly
    summaries), so the rows of one place add up. A start that stays put ("since 24 Feb
    2022") makes the rows a running total, a series like any dated rows."""
    if "date" in m.roles:
        return
    ends = [n for n in frame.columns if n not in used and _first_role(n) == "period_end"]
    starts = [n for n in frame.columns if n not in used and _first_role(n) == "period_start"]
    if not ends or _date_share(frame[ends[0]]) < 0.5:
        return
    end = ends[0]
    m.roles["date"] = end
    used.add(end)
    if not starts:
        m.why[end] = "dates: the end of each row's period"
        return
    start = starts[0]
    used.add(start)
    place = m.roles.get("place") or m.roles.get("village")
    filled = frame[frame[start] != ""]
    moving = (
        filled.groupby(place, sort=False)[start].nunique().gt(1).mean() > 0.5
        if place is not None and len(filled)
        else filled[start].nunique() > 1
    )
    m.per_period = bool(moving)
    if m.per_period:
        m.why[end] = (
            f"dates: the end of each row's period (from {start!r}); each row counts new "
            "damage in its period, so the periods of a place add up"
        )
        m.ignored[start] = "the start of each row's period (the end is its date)"
    else:
        m.why[end] = (
            f"dates: the end of each row's period; every period starts on the same day "
            f"({start!r}), so the rows are running totals: the latest is used"
        )
        m.ignored[start] = "the common start of the periods (the end is each row's date)"


def _first_role(name: str) -> str | None:
    roles = header_roles(name)
    return roles[0][0] if roles else None


def _singles(frame: pd.DataFrame, m: ColumnMap, used: set[str]) -> None:
    """Date, source, parent and count-unit statement columns, by header and values."""
    for name in frame.columns:
        if name in used:
            continue
        roles = [r for r, _ in header_roles(name)]
        if "parent" in roles and "parent" not in m.roles and text_share(frame[name]) >= 0.8:
            if _varies_within_places(frame, m.roles.get("place"), name):
                m.ignored[name] = "named like a higher unit, but varies within one place"
            else:
                m.roles["parent"], m.why[name] = name, "parent: named so"
        elif "date" in roles and "date" not in m.roles and _flags(frame[name]):
            # "dlna_reported_geography": True/False, named with a date word ("reported")
            m.ignored[name] = "yes/no flags, not dates (although named like a date)"
            used.add(name)
        elif (
            "date" in roles
            and "date" not in m.roles
            and (numeric_share(frame[name]) < 0.5 or _years(frame[name]))
        ):
            # named a date: its cells are dates, and one that is not becomes a reject
            share = _date_share(frame[name])
            m.roles["date"] = name
            m.why[name] = f"dates: named so ({share:.0%} of its cells read as dates)"
        elif "source" in roles and "source" not in m.roles and text_share(frame[name]) >= 0.8:
            m.roles["source"] = name
            m.why[name] = "source of each row: rows of different sources are never added"
        elif "unit_statement" in roles and "unit" not in m.roles:
            known = [count_unit_of_value(v) for v in dict.fromkeys(_filled(frame[name]))]
            if known and all(known):
                m.roles["unit"] = name
                m.why[name] = "the table's own count unit per row (beats a column-name guess)"
            else:
                continue
        else:
            continue
        used.add(name)


def _varies_within_places(frame: pd.DataFrame, place: str | None, name: str) -> bool:
    """Whether most places listed on several rows have several values in ``name`` (so it is
    no parent; a few may, where two places share a name in different parents).

    >>> f = pd.DataFrame({"d": ["A", "A", "B", "B"], "p": ["x", "y", "x", "y"]})
    >>> _varies_within_places(f, "d", "p"), _varies_within_places(f, "d", "d")
    (True, False)
    """
    if place is None or place == name:
        return False
    filled = frame[(frame[place] != "") & (frame[name] != "")]
    per_place = filled.groupby(place, sort=False)[name].agg(["size", "nunique"])
    repeated = per_place[per_place["size"] > 1]
    return len(repeated) > 0 and bool((repeated["nunique"] > 1).mean() > 0.5)


#: Cells of a yes/no column (a flag, never a date or a count).
_FLAG_WORDS = frozenset({"true", "false", "yes", "no", "y", "n", "t", "f"})


def _flags(values: pd.Series) -> bool:
    """Whether every filled cell is a yes/no word (``True``, ``False``, ``yes``…).

    >>> _flags(pd.Series(["True", "False", ""])), _flags(pd.Series(["2020-01-01", "no"]))
    (True, False)
    """
    filled = {str(v).strip().casefold() for v in _filled(values)}
    return bool(filled) and filled <= _FLAG_WORDS


def _years(values: pd.Series) -> bool:
    """Whether a numeric column holds years ("Year": 2020, 2021…): a date column, so rows of
    one place in several years are a series, never added."""
    filled = _filled(values)
    return bool(filled) and all(re.fullmatch(r"\s*\d{4}\s*", v) for v in filled)


def _event(frame: pd.DataFrame, m: ColumnMap, used: set[str]) -> None:
    """The event of each row ("disaster_name": Haiyan, Bopha…): figures of different
    events are never added. Of several event columns, the one naming most events."""
    found = [
        name
        for name in frame.columns
        if name not in used
        and text_share(frame[name]) >= 0.8
        and any(r == "ignore" and v.startswith("the event") for r, v in header_roles(name))
        and _date_share(frame[name]) < 0.5  # "date_of_event" holds dates: the date column
    ]
    if not found or "event" in m.roles:
        return
    named = {name: len(set(_filled(frame[name]))) for name in found}
    best = max(found, key=lambda name: (named[name], -found.index(name)))
    if named[best] < 2:
        return  # one event for the whole table: nothing to keep apart
    m.roles["event"] = best
    m.why[best] = "the event of each row (the warnings say whether the events of a place add up)"
    used.add(best)
    for other in found:
        if other != best:
            m.ignored[other] = f"another event column (beside {best!r}): not a structure type"
            used.add(other)


def _counts(frame: pd.DataFrame, m: ColumnMap, used: set[str]) -> None:
    """Wide count columns: numeric columns whose header names a damage state or a total."""
    previous: CountColumn | None = None
    for name in frame.columns:
        if name in used:
            previous = m.counts.get(name, previous)
            continue
        if numeric_share(frame[name]) < 0.5:
            continue
        if _mostly_fractions(frame[name]):
            m.ignored[name] = "decimal values (shares or rates): not counts of structures"
            used.add(name)
            continue
        words = header_roles(name)
        roles = [r for r, _ in words]
        state = state_in_header(name)
        if "ignore" in roles and not state:
            m.ignored[name] = next(v for r, v in words if r == "ignore")
            used.add(name)
            continue
        if state is None and "part" in roles and previous is not None:
            state = previous.state  # "of which houses": a part of the column before
        if (
            state in ("damaged", "damaged_or_destroyed")
            and "total" in roles
            and (not _has_untotalled_twin(frame, name, state) or _sums_the_states(frame, name))
        ):
            # "Total damaged houses": a total of damaged AND destroyed, or of damaged only:
            # the numbers decide (it may equal the columns beside it). Beside a column of
            # its own state and type ("Houses Damaged"), it is that count's total (NOAA)
            m.totals.append(name)
            m.total_states[name] = state
            m.why[name] = f"a total ({state} by its name): what it totals is decided by the numbers"
            used.add(name)
            continue
        if state is None:
            if "total" in roles:
                m.totals.append(name)
                m.why[name] = "a total: what it totals is decided by the numbers"
                used.add(name)
            continue
        if "ignore" in roles:
            # "green", "red": safety tags that also read as colours of damage
            m.ignored[name] = next(v for r, v in words if r == "ignore")
            used.add(name)
            continue
        column = CountColumn(
            name,
            state,
            structure_in_header(name) or "any",
            count_unit_in_header(name),
            part="part" in roles,
            why=f"a count of {state}: the header names the state",
            union_of=_union_of(name, state),
            total="total" in roles,
        )
        m.counts[name] = column
        used.add(name)
        previous = column


def _sums_the_states(frame: pd.DataFrame, name: str) -> bool:
    """Whether a total column equals, in most rows, the sum of the other columns of its
    type that name a damage state ("Total damaged houses" = "Totally damaged" + "Partially
    damaged", DROMIC): then it totals them all, whatever twin it has.

    >>> f = pd.DataFrame({"Totally damaged houses": ["1", "22"],
    ...                   "Partially damaged houses": ["297", "1,834"],
    ...                   "Total damaged houses": ["298", "1856"]})
    >>> _sums_the_states(f, "Total damaged houses")
    True
    """
    kind = structure_in_header(name) or "any"
    parts = [
        c
        for c in frame.columns
        if c != name
        and numeric_share(frame[c]) >= 0.5
        and state_in_header(c) is not None
        and "total" not in {r for r, _ in header_roles(c)}
        and (structure_in_header(c) or "any") == kind
    ]
    if len(parts) < 2:
        return False

    def numbers(column: str) -> pd.Series:
        return pd.Series([parse_count(v)[0] for v in frame[column].tolist()], dtype="float")

    total = numbers(name)
    summed = pd.concat([numbers(c) for c in parts], axis=1)
    both = total.notna() & summed.notna().all(axis=1)
    return bool(both.any() and (summed.sum(axis=1) == total)[both].mean() >= 0.8)


def _has_untotalled_twin(frame: pd.DataFrame, name: str, state: str) -> bool:
    """Whether another numeric column names the same state and type without a total word
    ("Houses Damaged" beside "Total Houses Damaged")."""
    kind = structure_in_header(name) or "any"
    for other in frame.columns:
        if other == name or numeric_share(frame[other]) < 0.5:
            continue
        if "total" in {r for r, _ in header_roles(other)}:
            continue
        if state_in_header(other) == state and (structure_in_header(other) or "any") == kind:
            return True
    return False


def _long_format(frame: pd.DataFrame, m: ColumnMap, used: set[str]) -> None:
    """A damage-label column (chosen by its values) and a count column."""
    best: tuple[float, int, str, str] | None = None
    best_rank: tuple[int, float, int] = (0, 0.0, 0)
    for name in frame.columns:
        if name in used or text_share(frame[name]) < 0.8:
            continue
        scheme, share, _ = label_score(frame[name])
        named = any(r == "label" for r, _ in header_roles(name))
        # labels that name a state beat labels that only say "unknown" (a "Status" column
        # of Unknown in every row beside Open Map Lebanon's "House damage")
        score = (share, int(named), name, scheme)
        rank = (int(names_a_state(_filled(frame[name]), scheme)), share, int(named))
        if share >= 0.5 and (best is None or rank > best_rank):
            best, best_rank = score, rank
    if "damage" in m.roles:
        column = m.roles["damage"]
        m.damage_scheme = label_score(frame[column])[0]
    elif best is not None:
        share, _, column, scheme = best
        m.roles["damage"], m.damage_scheme = column, scheme
        m.why[column] = (
            f"damage labels: {share:.0%} of its distinct values are known labels ({scheme})"
        )
        used.add(column)
    else:
        return
    if "count" not in m.roles:
        labelled = _filled_mask(frame[m.roles["damage"]])
        numeric = [
            n
            for n in frame.columns
            if n not in used
            and numeric_share(frame[n]) >= 0.8
            and not _IDENTIFIER.search(str(n))
            # a count stands beside the labels: Morocco 2023's "AgencyID", empty on every
            # damage row, was taken for the count and all 4,920 points were rejected
            and _filled_mask(frame[n])[labelled].mean() >= 0.5
        ]
        by_name = [n for n in numeric if any(r == "value" for r, _ in header_roles(n))]
        choice = by_name[0] if by_name else (numeric[0] if len(numeric) == 1 else None)
        if choice is not None:
            m.roles["count"] = choice
            m.why[choice] = "the count of each row: numeric" + (", named so" if by_name else "")
            used.add(choice)
    _structure_column(frame, m, used)


#: A header naming an identifier, however written ("AgencyID", "OBJECTID", "fid", "id_2").
_IDENTIFIER = re.compile(
    r"(?i:(?:^|[^a-z])(?:id|fid|objectid|uid|uuid|guid)(?:$|[^a-z]))|[a-z](?:ID|Id)$"
)


def _filled_mask(values: pd.Series) -> pd.Series:
    """Cells holding something (not empty, not a placeholder such as "-" or "NaN")."""
    text = values.astype("string").fillna("").str.strip()
    return (text != "") & ~text.isin(list(_PLACEHOLDERS))


def _structure_column(frame: pd.DataFrame, m: ColumnMap, used: set[str]) -> None:
    if "structure" in m.roles:
        return
    for name in frame.columns:
        if name in used or text_share(frame[name]) < 0.8:
            continue
        if any(r == "structure" for r, _ in header_roles(name)):
            m.roles["structure"] = name
            m.why[name] = "structure types: named so"
            used.add(name)
            return


def _why_ignored(values: pd.Series, name: str) -> str:
    if not _filled(values):
        return "empty"
    words = header_roles(name)
    for role, value in words:
        if role == "ignore":
            return value
    if numeric_share(values) >= 0.5:
        return "numeric, but its name states no damage state (name it with --columns STATE=COLUMN)"
    if any(r == "label" for r, _ in words):
        return "text that is mostly not damage labels (e.g. a workflow status)"
    return "not needed (text)"


def _warn_damage_like(m: ColumnMap) -> None:
    for name, why in m.ignored.items():
        if why.startswith("numeric") and re.search(
            r"damag|destr|collap|ruin|зруйн|пошкод|разруш|повреж|hasar|yık|dağı|zədə|zerst|besch|détru|endomm",
            fold(name),
        ):
            m.warnings.append(
                f"column {name!r} looks like a damage count but names no state the crosswalks "
                f"know; it was not counted (name it: --columns STATE={name!r})"
            )
