"""How the large-data counting of :mod:`damage_data.scale` runs.

``arrow``: reading only the needed columns of Parquet/Arrow files, row group by row group,
and WKB points as numpy arrays. ``grid``: placing millions of points in units, with exact
tests only near boundaries. ``dask_engine``: the same per-batch counting, one task per
row group, on a dask cluster (a LocalCluster or many machines; see ``docs/scale.md``).
"""

from __future__ import annotations

#: Engine names :func:`damage_data.scale.count_structures` accepts.
ENGINES: tuple[str, ...] = ("local", "dask")
