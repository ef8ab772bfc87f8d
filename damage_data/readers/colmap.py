"""The column map of a table: which column plays which role, and why (the result of
:func:`damage_data.readers.columns.map_columns`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class CountColumn:
    """A numeric column holding counts of one damage state (a wide table)."""

    name: str
    state: str
    structure: str = "any"
    count_unit: str | None = None
    #: Declared a part of another column ("of which houses", "incl. schools").
    part: bool = False
    why: str = ""
    #: The states an unsplit column names ("Heavy/Collapsed": severe, destroyed): it holds
    #: those and no others, so a "Light" column beside it is no part of it. Empty: all states.
    union_of: tuple[str, ...] = ()
    #: Named a total ("Total Houses Destroyed"): the column of the same state and type
    #: beside it is a part of it (NOAA's total adds the tsunami's and landslides' houses).
    total: bool = False


@dataclass
class ColumnMap:
    """The roles of a table's columns, with why each was chosen or left out."""

    roles: dict[str, str] = field(default_factory=dict)
    counts: dict[str, CountColumn] = field(default_factory=dict)
    totals: list[str] = field(default_factory=list)
    #: The state a total's own name gives, used when its numbers decide nothing.
    total_states: dict[str, str] = field(default_factory=dict)
    why: dict[str, str] = field(default_factory=dict)
    ignored: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    damage_scheme: str | None = None
    #: A count unit the user or the table states for every row.
    count_unit: str | None = None
    place_level: str | None = None
    #: Column → the column it repeats (the same numbers under another vocabulary): in a row
    #: where both hold a count, the repeat is a restatement (``same_as``), counted once.
    repeats: dict[str, str] = field(default_factory=dict)
    #: Rows count what happened in their own period (start and end columns, the start
    #: moving from row to row): new damage per period, added up, never a running total.
    per_period: bool = False

    def column(self, role: str) -> str | None:
        return self.roles.get(role)

    def report(self) -> dict[str, Any]:
        """The mapping as plain data, for ``validate`` and the reader report."""
        used = {role: column for role, column in self.roles.items()}
        counts = {
            name: {
                "state": c.state,
                "structure": c.structure,
                "count_unit": c.count_unit,
                "part": c.part,
                **({"union_of": list(c.union_of)} if c.union_of else {}),
            }
            for name, c in self.counts.items()
        }
        return {
            "roles": used,
            "counts": counts,
            "totals": list(self.totals),
            "why": dict(self.why),
            "ignored": dict(self.ignored),
        }

    def rows(self) -> list[tuple[str, str, str]]:
        """``(column, role, why)`` for every column of the table, chosen or not."""
        out = [(col, role, self.why.get(col, "")) for role, col in self.roles.items()]
        for name, c in self.counts.items():
            what = c.state if c.structure == "any" else f"{c.state}, {c.structure}"
            if c.union_of:
                what += f" ({' or '.join(c.union_of)} only)"
            if c.part:
                what += ", a part"
            out.append((name, f"count: {what}", c.why))
        out += [(name, "count: total", self.why.get(name, "")) for name in self.totals]
        out += [(name, "ignored", why) for name, why in self.ignored.items()]
        return out


# --- values --------------------------------------------------------------------------------


#: Cells that say "nothing here" in printed tables (Japan's yearbook, NDMA and DMC sitreps):
#: not words, so a count column mostly of dashes is still a count column (its 39 destroyed
#: houses were dropped as text); counts read them as empty (``raw._parse_count``).
