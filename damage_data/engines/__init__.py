"""Engines that run the large-data counting of :mod:`damage_data.scale` beyond one process.

``dask_engine``: the same per-batch counting, one task per GeoParquet row group, on a dask
cluster (a LocalCluster or many machines); see ``docs/scale.md``.
"""

from __future__ import annotations

#: Engine names :func:`damage_data.scale.count_structures` accepts.
ENGINES: tuple[str, ...] = ("local", "dask")
