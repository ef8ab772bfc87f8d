"""Maps and charts of reconciled damage figures, in the house style of :mod:`damage_data.style`.

Every plot function takes ``ax=None``, draws inside the house style (a context that leaves
the user's backend and ``rcParams`` as they were), records what it drew for
:func:`damage_data.style.finalise`, and returns the ``Axes``; nothing here shows or saves a
figure (that is :func:`damage_data.export.save`).

Modules, in the order a chart is made: :mod:`.rows` (the summary rows drawn and how their
counts print), :mod:`.classify` (map classes), :mod:`.layers`, :mod:`.locator` and
:mod:`.labels` (map parts), :mod:`.map`, :mod:`.bars`, :mod:`.series` and :mod:`.timeline`
(the charts), :mod:`.furniture` and :mod:`.i18n` (the words around them), :mod:`.chart`
(finished figures).
"""

from __future__ import annotations

from .bars import BAR_GROUPS, damage_bars, residential_share
from .chart import CHART_KINDS, chart
from .classify import EXACT_BREAKS_MAX, ZERO_COLOUR, classify, fisher_jenks_bins, ramp
from .furniture import headline, metric_label, period, source_credits, timeline_headline
from .i18n import text
from .labels import LabelLayer
from .layers import GID_STRUCTURES
from .locator import nice_length
from .map import (
    GID_CLASS,
    GID_NO_REPORTS,
    GID_NOT_STATED,
    HATCH,
    HATCH_NOT_STATED,
    SMALL_UNIT_SHARE,
    damage_map,
)
from .rows import LABEL_FLAGS, SUMMARY_REQUIRED, display_names
from .series import CORRECTION_FLAGS, own_figures, reported_series, unit_of
from .timeline import VALUE_LABEL_OFFSETS, timeline

#: What each mappable summary column measures, in English (legend titles, descriptions).
METRIC_LABELS: dict[str, str] = {
    m: metric_label(m)
    for m in (
        "total",
        "destroyed",
        "damaged",
        "possibly_damaged",
        "unsplit",
        "assessed",
        "residential",
        "residential_share",
    )
}
#: Legend labels of units without the measure, in English (``text("legend.…", lang)``).
NO_REPORTS = text("legend.no_reports")
NOT_STATED = text("legend.not_stated")
ZERO_LABEL = text("legend.zero")

__all__ = [
    "BAR_GROUPS",
    "CHART_KINDS",
    "CORRECTION_FLAGS",
    "EXACT_BREAKS_MAX",
    "GID_CLASS",
    "GID_NOT_STATED",
    "GID_NO_REPORTS",
    "GID_STRUCTURES",
    "HATCH",
    "HATCH_NOT_STATED",
    "LABEL_FLAGS",
    "METRIC_LABELS",
    "NOT_STATED",
    "NO_REPORTS",
    "SMALL_UNIT_SHARE",
    "SUMMARY_REQUIRED",
    "VALUE_LABEL_OFFSETS",
    "ZERO_COLOUR",
    "ZERO_LABEL",
    "LabelLayer",
    "chart",
    "classify",
    "damage_bars",
    "damage_map",
    "display_names",
    "fisher_jenks_bins",
    "headline",
    "metric_label",
    "nice_length",
    "own_figures",
    "period",
    "ramp",
    "reported_series",
    "residential_share",
    "source_credits",
    "timeline",
    "timeline_headline",
    "unit_of",
]
