"""Benchmark: 1,000,000 structures in GeoParquet → load → assign to Azerbaijan's rayons → figures.

Run from the repository root::

    /work/venv/bin/python benchmarks/bench_assign.py [--points 1000000] [--repeat 3]

The points are generated once (seeded) inside the bundled Azerbaijan boundaries and kept in
``benchmarks/_data/`` (git-ignored). Each timed run is a fresh call of
``load(path).as_figures(country="AZ")``: reading, damage and structure classification,
point-in-polygon assignment and counting into figures. Results go to stdout; copy them into
``benchmarks/RESULTS_assign.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"

DAMAGE = np.array(["none", "possible", "minor", "moderate", "severe", "destroyed", "damaged"])
DAMAGE_P = np.array([0.45, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05])
STRUCTURE = np.array(["residential", "education", "health", "commercial", "industrial", "other"])
STRUCTURE_P = np.array([0.7, 0.05, 0.03, 0.1, 0.05, 0.07])


def make_points(n: int, path: Path, seed: int = 20201124) -> Path:
    """Write ``n`` random structures inside Azerbaijan's rayons to GeoParquet (once)."""
    import geopandas as gpd
    import shapely

    from damage_data.places.gazetteer import bundled_units

    if path.exists():
        return path
    rng = np.random.default_rng(seed)
    units = bundled_units("AZ")
    area = shapely.union_all(units.geometry.to_numpy())
    shapely.prepare(area)
    minx, miny, maxx, maxy = area.bounds
    xs: list[np.ndarray] = []
    got = 0
    while got < n:
        x = rng.uniform(minx, maxx, 2 * n)
        y = rng.uniform(miny, maxy, 2 * n)
        inside = shapely.contains_xy(area, x, y)
        xs.append(np.column_stack([x[inside], y[inside]]))
        got += int(inside.sum())
    xy = np.concatenate(xs)[:n]
    frame = gpd.GeoDataFrame(
        {
            "damage": rng.choice(DAMAGE, n, p=DAMAGE_P),
            "structure": rng.choice(STRUCTURE, n, p=STRUCTURE_P),
        },
        geometry=shapely.points(xy),
        crs="EPSG:4326",
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(path, row_group_size=131_072)
    return path


def run_once(path: Path) -> tuple[dict[str, float], int, int]:
    from damage_data.pipeline import figures_of
    from damage_data.readers import load

    c0, t0 = time.process_time(), time.perf_counter()
    result = load(path)
    t1 = time.perf_counter()
    figures = figures_of(result, country="AZ")  # assign + counts → figures (rule R4)
    c2, t2 = time.process_time(), time.perf_counter()
    # CPU time too: on a shared machine the wall clock also measures the neighbours
    return (
        {"load": t1 - t0, "assign+figures": t2 - t1, "total": t2 - t0, "cpu": c2 - c0},
        int(figures["count"].sum()),
        len(figures),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = make_points(args.points, DATA / f"az_structures_{args.points}.parquet")
    print(f"input: {path.name}, {path.stat().st_size / 1e6:.1f} MB, {args.points:,} points")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    # warm-up: imports and the bundled boundaries are read once per process
    import damage_data.count.assign  # noqa: F401
    from damage_data.places.gazetteer import bundled_units

    bundled_units("AZ")
    runs = []
    for i in range(args.repeat):
        timing, total, n_fig = run_once(path)
        runs.append(timing)
        print(
            f"run {i + 1}: "
            + ", ".join(f"{k} {v:.2f} s" for k, v in timing.items())
            + f" ({n_fig} figures, {total:,} structures counted)"
        )
        assert total == args.points, "every structure is counted once"
    for key in runs[0]:
        print(f"median {key}: {statistics.median(r[key] for r in runs):.2f} s")


if __name__ == "__main__":
    main()
