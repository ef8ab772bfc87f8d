"""Counting per-structure products into figures: one path, in memory or streamed.

* :mod:`.assign` — structures (a GeoDataFrame) placed in units by point-in-polygon;
* :mod:`.stream` — large GeoParquet/Arrow files counted batch by batch, never all in memory
  (:mod:`.arrow` reads them, :mod:`.grid` places points, :mod:`.batch` counts a batch,
  :mod:`.dask` runs batches on a dask cluster);
* :mod:`.build` — counts → figures, the one builder both paths use: each structure once,
  one figure per unit × damage × structure type, dated by the unit's latest assessment.
"""

from __future__ import annotations

from .assign import assign, structures_to_figures
from .build import figures_from_counts, per_date
from .stream import ENGINES, CountResult, count_structures, is_structure_parquet

__all__ = [
    "ENGINES",
    "CountResult",
    "assign",
    "count_structures",
    "figures_from_counts",
    "is_structure_parquet",
    "per_date",
    "structures_to_figures",
]
