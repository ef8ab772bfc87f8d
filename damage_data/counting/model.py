"""The whole counting model: figures in, per-place rows, per-source views and a decision per
figure out."""

from __future__ import annotations

import logging

import pandas as pd

from .._gc import collector_paused
from .choose import choose_all, place_flags_from_decisions
from .figures import events_of_one_file, filters, parents, prepare, records, series, source_info
from .rules import Counted, CountingOptions
from .views import aggregate, describe, totals, units_from_villages

log = logging.getLogger(__name__)


@collector_paused()
def count(
    figures: pd.DataFrame, sources: pd.DataFrame | None = None, opts: CountingOptions | None = None
) -> Counted:
    """Apply the counting model to a figures table.

    Parameters
    ----------
    figures
        A ``figures`` table (DESIGN §2).
    sources
        The ``sources`` table: publication dates, methods, and which report relays which.
    opts
        :class:`CountingOptions`; defaults to the documented defaults.

    Returns
    -------
    Counted

    Examples
    --------
    >>> from damage_data.example import example_figures, example_sources
    >>> c = count(example_figures(), example_sources())
    >>> row = c.rows.set_index("unit_code").loc["AZ-CAB"]
    >>> int(row["damaged"]), int(row["residential"]), float(row["residential_share"])
    (47, 41, 0.872)
    """
    opts = opts or CountingOptions()
    info = source_info(sources)
    f, duplicates = prepare(figures, info, opts)
    decisions: dict[str, tuple[bool, str, str]] = {}
    live = filters(f, opts, decisions)
    parent = parents(f, live)
    live, in_series, parent, series_flags = series(f, live, parent, decisions)
    parent = parent.where(live)
    place_flags: dict[tuple[str, str, str], list[str]] = series_flags
    events_of_one_file(f, info, place_flags)
    rec = records(f, live, parent, in_series, decisions, place_flags)
    fine = aggregate(rec, opts)
    if fine.empty:
        return _empty(f, decisions, duplicates)
    fine = describe(fine, f[live], place_flags, in_series)
    fine = totals(fine, opts)
    if opts.level == "settlement":
        views = fine[fine["settlement"] != ""].copy()
        views["partial"] = False
    else:
        views = units_from_villages(fine, rec, decisions)
    aside = place_flags_from_decisions(f, decisions, opts.level)
    rows, view_rows = choose_all(views, info, opts, rec, decisions, aside)
    out_decisions = pd.DataFrame(
        [(fid, *d) for fid, d in decisions.items()], columns=["figure_id", "used", "rule", "why"]
    )
    return Counted(rows=rows, views=view_rows, decisions=out_decisions, duplicates=duplicates)


def _empty(
    f: pd.DataFrame, decisions: dict[str, tuple[bool, str, str]], duplicates: list[str]
) -> Counted:
    table = pd.DataFrame(
        [(fid, *d) for fid, d in decisions.items()], columns=["figure_id", "used", "rule", "why"]
    )
    return Counted(
        rows=pd.DataFrame(columns=["unit_code", "settlement"]),
        views=pd.DataFrame(columns=["unit_code", "settlement", "source_id"]),
        decisions=table,
        duplicates=duplicates,
    )
