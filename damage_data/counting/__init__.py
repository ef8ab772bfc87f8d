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

from .model import count
from .rules import (
    CARRIED_FLAGS,
    COUNT_FAMILIES,
    INCLUDES,
    LEVELS,
    METHOD_RANK,
    MIN_SHARE_BASIS,
    POLICIES,
    REPORTED,
    RULES,
    Counted,
    CountingOptions,
    options,
)

__all__ = [
    "CARRIED_FLAGS",
    "COUNT_FAMILIES",
    "INCLUDES",
    "LEVELS",
    "METHOD_RANK",
    "MIN_SHARE_BASIS",
    "POLICIES",
    "REPORTED",
    "RULES",
    "Counted",
    "CountingOptions",
    "count",
    "options",
]
