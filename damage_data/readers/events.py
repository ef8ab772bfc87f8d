"""How the rows of a table with events count: incidents that add up, or one event each.

A column naming the kind of event of each row (``TIPO_DE_EVENTO``, or cells that name kinds
of hazard: DesInventar's FLOOD, STORM) makes each row one incident: the incidents of a
place add up at any dates. A column naming events (Haiyan, Bopha) adds them when each place
has each event once; an event reported again at a later date is a running total of its own
(a source of its own here; the counting model takes its latest figures, then adds the events
of a place: ``counting.figures.events_of_one_file``).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pandas as pd

from .colmap import ColumnMap
from .headers import event_kinds, names_hazard_kinds


def events_warning(frame: pd.DataFrame, event: str, added: bool) -> str:
    """What the events of column ``event`` mean for the counting, said to the user."""
    events = list(dict.fromkeys(v for v in frame[event] if v))
    kinds = kinds_of_event(frame, event)
    what = "kinds of event" if kinds else "events"
    named = f"{len(events)} {what} in column {event!r} ({', '.join(map(repr, events[:3]))}"
    named += f"{', …' if len(events) > 3 else ''})"
    if kinds:
        return (
            f"{named}: each row is one incident, so the incidents of a place add up, at "
            "any dates (a building hit twice counts twice); to count one kind, keep its "
            "rows only"
        )
    if added:
        return (
            f"{named}: each row is one event's damage, so the events of a place add up (a "
            "building hit twice counts twice); to count one event, keep its rows only"
        )
    return (
        f"{named}, some reported at several dates: each event's rows are a running total "
        "of their own (its latest figures are used), then the events of a place add up (a "
        "building hit twice counts twice); to count one event, keep its rows only"
    )


def events_add_up(frame: pd.DataFrame, roles: dict[str, str]) -> bool:
    """Whether the rows of an event column are incidents that add up: each place is hit by
    each event on one date at most (typhoons by municipality, calamities by district). A
    place with one event at several dates reports that event again (a running total):
    then each event's rows are kept apart, a source of their own, whose latest figures the
    counting model adds to the other events'.

    >>> f = pd.DataFrame({"place": ["A", "A"], "event": ["Haiyan", "Bopha"], "date": ["", ""]})
    >>> events_add_up(f, {"place": "place", "event": "event", "date": "date"})
    True

    A column naming the *kind* of event (``TIPO_DE_EVENTO``: INUNDACION, VENDAVAL…) makes
    each row one incident of that kind: a place flooded twice in a year has two rows that
    add up, whatever their dates.
    """
    event = roles.get("event")
    if event is None:
        return False
    if kinds_of_event(frame, event):
        return True  # "TIPO_DE_EVENTO": floods, fires… each row one incident of that kind
    keys = [roles[r] for r in ("place", "parent", "village", "unit_code") if r in roles]
    date = roles.get("date")
    if date is None:
        return True
    dated = frame[(frame[date] != "") & (frame[event] != "")]
    per_event = dated.groupby([*keys, event], sort=False)[date].nunique()
    return bool(per_event.empty or per_event.max() <= 1)


def kinds_of_event(frame: pd.DataFrame, event: str) -> bool:
    """Whether column ``event`` names the kind of event of each row, by its header
    (``TIPO_DE_EVENTO``) or by its cells (DesInventar's ``event``: FLOOD, STORM)."""
    return event_kinds(event) or names_hazard_kinds(frame[event].tolist())


def incident_log(frame: pd.DataFrame, mapping: ColumnMap) -> bool:
    """Whether the rows are incidents of kinds of hazard: a column names the kind of event
    of each row, even one kind only (a log of floods alone: ``TIPO_DE_EVENTO`` all
    INUNDACION, set aside as "the event the table is about", was read as running totals)."""
    event = mapping.roles.get("event")
    if event is not None and kinds_of_event(frame, event):
        return True
    return any(
        event_kinds(name)
        or (
            str(why).startswith("the event the table is about")
            and names_hazard_kinds(frame[name].tolist())
        )
        for name, why in mapping.ignored.items()
        if name in frame.columns
    )


def record_cells(header: list[str], mapping: ColumnMap, kinds: bool) -> list[int]:
    """The columns two rows must share to be one record listed twice: all but a running
    identifier (510 Global's typhoon tables paste a block again under new ids: 214 rows
    counted twice). In a log of incidents by kind ("TIPO_DE_EVENTO": floods, fires) the id
    is what tells two like incidents apart, and is kept."""
    if kinds:
        return list(range(len(header)))
    return [
        i
        for i, name in enumerate(header)
        if not str(mapping.ignored.get(name, "")).startswith("an identifier")
    ]


def flag_repeated_places(records: list[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """Rows of one place that nothing tells apart: flag ``repeated_place``.

    Two rows "Tartar 10 20" and "Tartar 5 5" that differ in their counts only (no date,
    event, village or any other cell between them) may be two reports that add up (two incidents) or one figure written twice with a
    correction. They are added, as rows about a place are, and each of their figures is
    flagged so the summary row says so. Rows that add by design (a survey sheet, a log of
    incidents, per-period rows: ``cumulative`` False) and restated rows (``same_as``) or
    parts (``subset_of``) are left alone.

    Returns the place and the row locators of each such group, for the warning.
    """
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for r in records:
        if r.get("cumulative") is False or r.get("same_as") or r.get("subset_of"):
            continue
        key = (
            r["source_id"],
            " ".join(str(r.get("place_text") or "").casefold().split()),
            " ".join(str(r.get("parent_text") or "").casefold().split()),
            r.get("settlement"),
            r.get("unit_code"),
            r["damage"],
            r["structure"],
            r["count_unit"],
            str(r.get("as_of")),
            r.get("_cells"),
        )
        groups.setdefault(key, []).append(r)
    found: list[tuple[str, list[str]]] = []
    for rows in groups.values():
        lines = list(dict.fromkeys(str(r["locator"]).split(",")[0] for r in rows))
        if len(lines) < 2:
            continue
        for r in rows:
            flags = [f for f in str(r.get("flags") or "").split(";") if f]
            r["flags"] = ";".join(dict.fromkeys([*flags, "repeated_place"]))
        place = rows[0].get("place_text") or rows[0].get("unit_code") or "?"
        if all(str(place) != p for p, _ in found):
            found.append((str(place), lines))
    return found


def repeated_places_warning(found: list[tuple[str, list[str]]]) -> str:
    """The warning for :func:`flag_repeated_places`."""
    shown = "; ".join(f"{place!r} in {', '.join(lines[:4])}" for place, lines in found[:3])
    more = f"; and {len(found) - 3} more place(s)" if len(found) > 3 else ""
    return (
        f"{len(found)} place(s) have several rows that differ in their counts only (no "
        f"date, event, village or other cell tells them apart: {shown}{more}); their "
        "figures are added as "
        "separate reports and flagged repeated_place; if one row restates or corrects "
        "another, keep one of them"
    )


#: A table's dated rows are damage per period when at least this share of its series go
#: down at some date and this share of all steps go down (running totals fall only when
#: a figure is corrected: the bundled example's Tartar falls once in five statements).
FLOW_SERIES_SHARE = 0.5
FLOW_STEP_SHARE = 0.2


def flows_of_dates(
    frame: pd.DataFrame, mapping: ColumnMap, columns: list[str], dayfirst: bool | None
) -> str | None:
    """Whether the dated rows of each place are damage reported per date (new damage that
    day) rather than a running total: the figures of most places go up and down (Assam's
    daily flood reports: Cachar 200, 1000, 106, 802, 3670, 0 …). Then each row adds, and
    the warning returned says so; ``None`` when the rows read as running totals.
    """
    from .raw import parse_count

    date = mapping.roles.get("date")
    keys = [
        mapping.roles[r] for r in ("parent", "place", "village", "unit_code") if r in mapping.roles
    ]
    if date is None or not keys or mapping.per_period or "event" in mapping.roles:
        return None
    when = pd.to_datetime(frame[date], errors="coerce", dayfirst=bool(dayfirst), format="mixed")
    series = falls = steps = falling = 0
    example: tuple[str, list[int]] | None = None
    dated = frame.assign(_when=when).dropna(subset=["_when"]).sort_values("_when", kind="stable")
    for key, rows in dated.groupby(keys, sort=False):
        if rows["_when"].nunique() < 3:
            continue
        for column in columns:
            values = [parse_count(v)[0] for v in rows[column]]
            numbers = [v for v in values if v is not None]
            if len(numbers) < 3:
                continue
            down = sum(1 for a, b in pairwise(numbers) if b < a)
            series += 1
            steps += len(numbers) - 1
            falls += down
            if down:
                falling += 1
                if example is None:
                    place = key[-1] if isinstance(key, tuple) else key
                    example = (f"{place!s} {column}", numbers[:6])
    if series < 3 or falling / series < FLOW_SERIES_SHARE or falls / steps < FLOW_STEP_SHARE:
        return None
    shown = f"{example[0]}: {', '.join(map(str, example[1]))} …" if example else ""
    return (
        f"the dated rows of {falling} of {series} place series go down as well as up "
        f"({shown}): each row is read as the damage reported on its date (new damage in its "
        "period), so the dates of a place add up; if the rows are running totals, their "
        "falls are corrections and only the latest row of each place should be used"
    )
