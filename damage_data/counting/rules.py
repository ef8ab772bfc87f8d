"""The counting model's rules by name, its options, and what it returns."""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .._errors import UsageError

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
        "code_name_conflict",
        "partial_area",
        "preliminary",
        "vague_number",
        "approximate",
        "repeated_place",
        "multi_place",
        "building_blocks",
        "lossy_class",
    }
)
#: The date an undated figure sorts at: before any dated one (dates before 1900 are rejected).
NO_DATE = pd.Timestamp("1800-01-01")
#: Below this share of the counted set typed, a residential share is not given (rule 7).
MIN_SHARE_BASIS = 0.5

GROUPS = ("destroyed", "damaged", "possibly_damaged", "unsplit", "assessed", "assessed_none")
NEEDED = (
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


#: The one spelling --as-of takes: a whole day, year first (a time of day may follow).
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+)?$")


def as_of_date(value: Any) -> pd.Timestamp:
    """The day ``--as-of`` names, read strictly.

    A year or a month alone ("2020", "2020-12") would be read as its first day and set aside
    almost everything after it, and "03.04.2020" is a different day in different countries;
    both are refused with the spelling to use.

    >>> as_of_date("2020-11-10")
    Timestamp('2020-11-10 00:00:00')
    """
    if isinstance(value, (pd.Timestamp, datetime.date)):
        return pd.Timestamp(value)
    text = str(value).strip()
    not_a_date = f"--as-of {text!r} is not a date; write it as YYYY-MM-DD"
    if re.fullmatch(r"\d{4}(-\d{1,2})?", text):
        period = "year" if len(text) == 4 else "month"
        try:
            last = pd.Period(text, freq="Y" if period == "year" else "M").end_time.date()
        except ValueError as err:
            raise UsageError(not_a_date) from err
        raise UsageError(
            f"--as-of {text!r} is not a whole day: it would be read as the first day of that "
            f"{period}; write the last day the figures may refer to, e.g. --as-of {last}"
        )
    if not _ISO_DAY.match(text):
        raise UsageError(not_a_date)
    try:
        return pd.Timestamp(text)
    except (ValueError, TypeError) as err:
        raise UsageError(not_a_date) from err


def options(**kwargs: Any) -> CountingOptions:
    """:class:`CountingOptions` from keyword arguments, reading ``as_of`` as a date."""
    as_of = kwargs.get("as_of")
    if as_of is not None and not isinstance(as_of, pd.Timestamp):
        kwargs["as_of"] = as_of_date(as_of)
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
