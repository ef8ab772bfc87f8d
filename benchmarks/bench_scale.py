"""Benchmark: counting structures per rayon at 1e5, 1e6 and 1e7 points, side by side.

Every run is a fresh Python process, timed from start to exit (imports included, as a user
sees it) and measured for peak RSS and CPU time (GNU ``time``); each child also reports
the time of the work itself, after imports. Variants:

* ``naive``: ``geopandas.read_parquet`` + ``sjoin(predicate="within")`` + ``groupby``;
  ``naive_gpkg``: the same from a GeoPackage (``read_file``);
* ``floor``: read the geometry, class and date columns with pyarrow, decode the WKB points
  with numpy, ``np.bincount`` the classes: no geometry test at all;
* ``library``: ``damage_data.count.stream.count_structures(path, country="AZ")``;
* ``cli``: ``damage-data summary points.parquet --format csv --country AZ`` as the
  pipeline routes it today; ``cli_routed``: the same command with the routing proposed for
  ``damage_data.pipeline`` (per-structure GeoParquet → ``count_structures``) patched in;
* ``dask``: ``count_structures(..., engine="dask", workers=2)`` on a LocalCluster.

The counts per unit × damage × structure × date of ``naive`` and ``library`` (and ``dask``)
are asserted identical. Results go to ``benchmarks/RESULTS.md``.

Run: ``python benchmarks/bench_scale.py [--sizes 1e5 1e6 1e7] [--runs 3] [--huge 1e8]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"
PYTHON = sys.executable
CLI = str(Path(PYTHON).with_name("damage-data"))
KEYS = ["unit_code", "damage", "structure", "as_of"]


# --- what each child process runs ---------------------------------------------------------


def run_variant(variant: str, path: str, out: str) -> dict[str, Any]:
    """Run one variant in this (fresh) process; write its counts to ``out`` (CSV)."""
    start = time.perf_counter()
    if variant in ("naive", "naive_gpkg"):
        import geopandas as gpd

        from damage_data.places.gazetteer import bundled_units
        from damage_data.vocab import classify_damage, classify_structure

        t0 = time.perf_counter()
        if variant == "naive":
            points = gpd.read_parquet(path)
        else:
            points = gpd.read_file(path.replace(".parquet", ".gpkg"))
        units = bundled_units("AZ")[["unit_code", "geometry"]]
        joined = gpd.sjoin(points, units, predicate="within", how="inner")
        # classify each distinct label once and map, as a careful analyst would
        codes = joined["damage_class"].unique()
        damage = dict(zip(codes, classify_damage(codes, scheme="unosat"), strict=True))
        types = joined["structure_type"].astype(object).unique()
        structure = dict(zip(types, classify_structure(types, unknown="other"), strict=True))
        joined["damage"] = joined["damage_class"].map(damage)
        joined["structure"] = joined["structure_type"].astype(object).map(structure)
        joined["as_of"] = joined["sensor_date"].astype(str)
        counts = joined.groupby(KEYS, observed=True).size().rename("count").reset_index()
        inner = time.perf_counter() - t0
        counts.to_csv(out, index=False)
    elif variant == "floor_lonlat":
        import numpy as np
        import pyarrow.dataset
        import pyarrow.parquet as pq

        t0 = time.perf_counter()
        table = pq.read_table(
            lonlat_path(path),
            columns=["lon", "lat", "damage_class", "structure_type", "sensor_date"],
        )
        x = table.column("lon").to_numpy()
        y = table.column("lat").to_numpy()
        damage = table.column("damage_class").to_numpy().astype(np.int64)
        structure = table.column("structure_type").combine_chunks().indices.to_numpy()
        day = table.column("sensor_date").cast("int32").to_numpy()
        key = (damage * 64 + structure) * 4096 + (day - day.min())
        counts_arr = np.bincount(key)
        inner = time.perf_counter() - t0
        assert np.isfinite(x).all() and np.isfinite(y).all()
        Path(out).write_text(f"total\n{int(counts_arr.sum())}\n")
    elif variant == "floor":
        import numpy as np
        import pyarrow.dataset  # noqa: F401 - read_table imports it: keep that out of the time
        import pyarrow.parquet as pq

        t0 = time.perf_counter()
        table = pq.read_table(
            path, columns=["geometry", "damage_class", "structure_type", "sensor_date"]
        )
        geometry = table.column("geometry").combine_chunks()
        n = len(geometry)
        # WKB points are 21 bytes: order, type, x, y; read x and y in place
        data = np.frombuffer(geometry.buffers()[2], dtype=np.uint8)[: 21 * n]
        wkb = data.view([("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])
        x, y = wkb["x"].copy(), wkb["y"].copy()
        damage = table.column("damage_class").to_numpy().astype(np.int64)
        structure = table.column("structure_type").combine_chunks().indices.to_numpy()
        day = table.column("sensor_date").cast("int32").to_numpy()
        key = (damage * 64 + structure) * 4096 + (day - day.min())
        counts_arr = np.bincount(key)
        inner = time.perf_counter() - t0
        assert np.isfinite(x).all() and np.isfinite(y).all()
        Path(out).write_text(f"total\n{int(counts_arr.sum())}\n")
    elif variant in ("library", "dask", "library_lonlat"):
        from damage_data.count.stream import count_structures

        t0 = time.perf_counter()
        if variant == "library":
            result = count_structures(path, country="AZ")
        elif variant == "library_lonlat":
            result = count_structures(lonlat_path(path), country="AZ")
        else:
            result = count_structures(path, country="AZ", engine="dask", workers=2)
        inner = time.perf_counter() - t0
        counts = result.counts.assign(as_of=result.counts["as_of"].dt.strftime("%Y-%m-%d"))
        counts.to_csv(out, index=False)
        assert result.rows_read == result.rows_kept + result.rows_rejected
        rows = {
            "rows_read": result.rows_read,
            "rows_kept": result.rows_kept,
            "outside": result.outside,
            "counted": int(result.counts["count"].sum()),
        }
        return {"inner": inner, "total_in_process": time.perf_counter() - start, **rows}
    elif variant == "cli_routed":
        route_parquet_to_scale()
        from damage_data.cli import main as cli_main

        t0 = time.perf_counter()
        try:
            cli_main(["summary", path, "--format", "csv", "--country", "AZ", "--output", out])
        except SystemExit as done:
            if done.code:
                raise
        inner = time.perf_counter() - t0
    else:
        raise SystemExit(f"unknown variant {variant}")
    return {"inner": inner, "total_in_process": time.perf_counter() - start}


def lonlat_path(path: str | Path) -> str:
    """The same points as plain lon/lat float columns (``points_1e7_lonlat.parquet``)."""
    p = Path(path)
    return str(p.with_name(f"{p.stem}_lonlat{p.suffix}"))


def route_parquet_to_scale() -> None:
    """Patch ``figures_from_inputs`` with the routing proposed for damage_data.pipeline."""
    from damage_data import pipeline
    from damage_data.count.stream import count_structures, is_structure_parquet

    original = pipeline.figures_from_inputs

    def routed(paths: Any, *, kind: str = "auto", country: Any = None, units: Any = None) -> Any:
        big = [p for p in paths or [] if kind == "auto" and is_structure_parquet(p)]
        rest = [p for p in paths or [] if p not in big]
        parts = [original(rest, kind=kind, country=country, units=units)] if rest else []
        for p in big:
            counted = count_structures(p, units, country=country)
            parts.append(
                pipeline.Collected(
                    figures=counted.figures,
                    sources=counted.sources,
                    rejects=counted.rejects.assign(path=str(p)),
                    match_log=pipeline.match_log(counted.figures),
                    reports=[counted.report],
                )
            )
        if not parts:
            return original(paths, kind=kind, country=country, units=units)
        return parts[0] if len(parts) == 1 else pipeline.combine(parts)

    pipeline.figures_from_inputs = routed


# --- the parent: spawn, time, measure -----------------------------------------------------


def measure(cmd: list[str]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds, peak RSS (MB) of one child process, and its stdout.

    The child runs under GNU ``time``: a process forked straight from this (large) one would
    report this one's memory as its own peak (Linux carries the high-water mark over exec).
    """
    with tempfile.NamedTemporaryFile("w+") as usage, tempfile.TemporaryFile() as err_file:
        timed = ["/usr/bin/time", "-f", "%M %U %S", "-o", usage.name, *cmd]
        start = time.perf_counter()
        proc = subprocess.run(timed, stdout=subprocess.PIPE, stderr=err_file, check=False)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            err_file.seek(0)
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{err_file.read().decode()[-3000:]}")
        usage.seek(0)
        peak_kb, user, system = usage.read().split()[-3:]
    return wall, float(user) + float(system), int(peak_kb) / 1024, proc.stdout.decode()


def child_cmd(variant: str, path: Path, out: Path) -> list[str]:
    if variant == "cli":
        return [
            CLI,
            "summary",
            str(path),
            "--format",
            "csv",
            "--country",
            "AZ",
            "--output",
            str(out),
        ]
    return [PYTHON, str(Path(__file__).resolve()), "--child", variant, str(path), str(out)]


def bench(plan: dict[str, int], path: Path, workdir: Path) -> dict[str, dict[str, Any]]:
    """Run each variant its number of times, interleaved (round robin), so that changes in
    the machine's load fall on every variant alike."""
    runs: dict[str, dict[str, list[float]]] = {
        v: {"wall": [], "cpu": [], "rss": [], "inner": []} for v in plan
    }
    outs = {v: workdir / f"{v}_{path.stem}.csv" for v in plan}
    for round_ in range(max(plan.values())):
        for variant, times in plan.items():
            if round_ >= times:
                continue
            print(f"{path.stem} {variant} run {round_ + 1}/{times}", file=sys.stderr, flush=True)
            wall, cpu, peak, stdout = measure(child_cmd(variant, path, outs[variant]))
            got = runs[variant]
            got["wall"].append(wall)
            got["cpu"].append(cpu)
            got["rss"].append(peak)
            if variant != "cli":
                got["inner"].append(json.loads(stdout.strip().splitlines()[-1])["inner"])
    return {
        v: {
            "variant": v,
            "runs": plan[v],
            "wall": statistics.median(r["wall"]),
            "walls": r["wall"],
            "cpu": statistics.median(r["cpu"]),
            "inner": statistics.median(r["inner"]) if r["inner"] else None,
            "rss_mb": max(r["rss"]),
            "out": outs[v],
        }
        for v, r in runs.items()
    }


def same_counts(a: Path, b: Path) -> bool:
    import pandas as pd

    def load(p: Path) -> pd.Series:
        frame = pd.read_csv(p, dtype=str)
        frame["count"] = frame["count"].astype("int64")
        return frame.set_index(KEYS)["count"].sort_index()

    return load(a).equals(load(b))


def ensure_points(n: int) -> Path:
    path = DATA / f"points_{label(n)}.parquet"
    if not path.exists():
        subprocess.run([PYTHON, str(HERE / "generate.py"), str(n), "--out", str(path)], check=True)
    lonlat = Path(lonlat_path(path))
    if not lonlat.exists():  # same seed: the same points, as lon/lat columns
        cmd = [PYTHON, str(HERE / "generate.py"), str(n), "--out", str(lonlat), "--lonlat"]
        subprocess.run(cmd, check=True)
    return path


def ensure_gpkg(parquet: Path) -> Path:
    gpkg = parquet.with_suffix(".gpkg")
    if not gpkg.exists():
        import geopandas as gpd

        gpd.read_parquet(parquet).to_file(gpkg, driver="GPKG", engine="pyogrio")
    return gpkg


def label(n: int) -> str:
    exp = round(float(f"{n:e}".split("e")[1]))
    return f"1e{exp}" if 10**exp == n else str(n)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024**2
    except OSError:
        mem = float("nan")
    import dask
    import geopandas
    import numpy
    import pyarrow
    import shapely

    return (
        f"{platform.node()}: {cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}, "
        f"numpy {numpy.__version__}, pyarrow {pyarrow.__version__}, shapely "
        f"{shapely.__version__}, geopandas {geopandas.__version__}, dask {dask.__version__}"
    )


def huge_check(n: int, workdir: Path) -> dict[str, Any]:
    """Generate ``n`` points straight to disk, count them once, delete the file."""
    path = DATA / f"points_{label(n)}.parquet"
    start = time.perf_counter()
    if not path.exists():
        subprocess.run([PYTHON, str(HERE / "generate.py"), str(n), "--out", str(path)], check=True)
    made = time.perf_counter() - start
    size = path.stat().st_size
    try:
        wall, cpu, peak, stdout = measure(child_cmd("library", path, workdir / "huge.csv"))
        child = json.loads(stdout.strip().splitlines()[-1])
        inner = child["inner"]
    finally:
        path.unlink()
    return {
        "n": n,
        "gb": size / 1e9,
        "generate": made,
        "cpu": cpu,
        "child": child,
        "wall": wall,
        "inner": inner,
        "rss_mb": peak,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", type=float, default=[1e5, 1e6, 1e7])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--naive-runs-1e7", type=int, default=1)
    parser.add_argument(
        "--gpkg", nargs="*", type=float, default=[], help="sizes to also run naive on GeoPackage"
    )
    parser.add_argument("--huge", type=float, default=None, help="streaming check, e.g. 1e8")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--child", nargs=3, metavar=("VARIANT", "PATH", "OUT"))
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_variant(*args.child)))
        return 0
    started = dt.datetime.now(dt.UTC)
    load_before = os.getloadavg()
    rows: list[dict[str, Any]] = []
    checks: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for size in args.sizes:
            n = int(size)
            path = ensure_points(n)
            variants = [
                "floor",
                "library",
                "floor_lonlat",
                "library_lonlat",
                "cli_routed",
                "cli",
                "naive",
            ]
            if n == 1_000_000:
                variants.append("dask")
            if n in {int(s) for s in args.gpkg}:
                ensure_gpkg(path)
                variants.append("naive_gpkg")
            slow = ("naive", "naive_gpkg", "cli")
            plan = {
                v: args.naive_runs_1e7 if n >= 10_000_000 and v in slow else args.runs
                for v in variants
            }
            results = bench(plan, path, workdir)
            for res in results.values():
                res["n"] = n
                rows.append(res)
            ok = same_counts(results["naive"]["out"], results["library"]["out"])
            checks.append(f"{label(n)}: library counts == naive counts: {ok}")
            ok_l = same_counts(results["library_lonlat"]["out"], results["library"]["out"])
            checks.append(f"{label(n)}: library on lon/lat columns == library on WKB: {ok_l}")
            ok = ok and ok_l
            if "naive_gpkg" in results:
                ok_g = same_counts(results["naive_gpkg"]["out"], results["library"]["out"])
                checks.append(f"{label(n)}: library counts == naive GeoPackage counts: {ok_g}")
                ok = ok and ok_g
            if "dask" in results:
                ok_d = same_counts(results["dask"]["out"], results["library"]["out"])
                checks.append(f"{label(n)}: dask counts == library counts: {ok_d}")
                ok = ok and ok_d
            assert ok, f"counts differ at {label(n)}"
        huge = huge_check(int(args.huge), workdir) if args.huge else None
    load_after = os.getloadavg()
    text = report(rows, checks, huge, started, load_before, load_after, args)
    args.output.write_text(text)
    print(text)
    return 0


def report(
    rows: list[dict[str, Any]],
    checks: list[str],
    huge: dict[str, Any] | None,
    started: dt.datetime,
    load_before: tuple[float, ...],
    load_after: tuple[float, ...],
    args: argparse.Namespace,
) -> str:
    lines = [
        "# Benchmark: counting structures per unit at scale",
        "",
        f"Run {started:%Y-%m-%d %H:%M} UTC by `python benchmarks/bench_scale.py "
        f"{' '.join(sys.argv[1:])}`.",
        "",
        f"Machine: {machine()}.",
        f"Load average (1, 5, 15 min) before: {', '.join(f'{v:.1f}' for v in load_before)}; "
        f"after: {', '.join(f'{v:.1f}' for v in load_after)}. The machine is shared with other "
        "engineers' test runs, so times are noisy: medians of the runs shown.",
        "",
        "Data: synthetic structures (`benchmarks/generate.py`) in Azerbaijan's 77 rayons "
        "(bundled Natural Earth boundaries), clustered around towns, UNOSAT damage codes, "
        "12 structure types, 3 sensor dates; GeoParquet, WKB points, row groups of 524,288; "
        "about 4% of points fall outside every rayon.",
        "",
        "*wall*: whole process, start to exit, imports included (median); *work*: the same "
        "process's time after imports; *CPU*: user + system time of the process (median; "
        "above wall when it used both cores); *RSS*: peak resident memory of that process "
        "(largest run); ratios are wall-time ratios. Runs are interleaved round robin.",
        "",
        "| points | variant | runs | wall s | work s | CPU s | peak RSS MB | rows/s (wall) "
        "| vs library |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    by_n: dict[int, dict[str, dict[str, Any]]] = {}
    for r in rows:
        by_n.setdefault(r["n"], {})[r["variant"]] = r
    for n, res in by_n.items():
        lib = res.get("library")
        for variant, r in res.items():
            ratio = f"{r['wall'] / lib['wall']:.2f}×" if lib else ""
            work = f"{r['inner']:.2f}" if r["inner"] is not None else "–"
            lines.append(
                f"| {n:,} | {variant} | {r['runs']} | {r['wall']:.2f} | {work} | "
                f"{r['cpu']:.2f} | {r['rss_mb']:.0f} | {n / r['wall']:,.0f} | {ratio} |"
            )
    lines += ["", "## Goals", ""]
    for n, res in by_n.items():
        lib, floor, cli, naive = (res.get(k) for k in ("library", "floor", "cli_routed", "naive"))
        if not (lib and floor and cli and naive):
            continue
        lines.append(
            f"* {n:,} points: naive / library = {naive['wall'] / lib['wall']:.1f}× "
            f"(work only: {naive['inner'] / lib['inner']:.1f}×); library / floor = "
            f"{lib['wall'] / floor['wall']:.2f}× (work only: "
            f"{lib['inner'] / floor['inner']:.2f}×); library peak RSS "
            f"{lib['rss_mb']:.0f} MB; CLI (routed) / library = "
            f"{cli['wall'] / lib['wall']:.2f}×. CPU time: naive / library = "
            f"{naive['cpu'] / lib['cpu']:.1f}×, library / floor = {lib['cpu'] / floor['cpu']:.2f}×."
        )
    lines += ["", "## Counts", ""] + [f"* {c}" for c in checks]
    if huge:
        lines += [
            "",
            "## Streaming check",
            "",
            f"{huge['n']:,} points generated chunk by chunk straight to a "
            f"{huge['gb']:.1f} GB GeoParquet file ({huge['generate']:.0f} s), counted once by "
            f"`count_structures` in a fresh process: {huge['wall']:.1f} s wall "
            f"({huge['inner']:.1f} s work, {huge['cpu']:.1f} s CPU, "
            f"{huge['n'] / huge['wall']:,.0f} rows/s), peak RSS "
            f"{huge['rss_mb']:.0f} MB; the file was deleted afterwards. Rows read "
            f"{huge['child']['rows_read']:,}, kept {huge['child']['rows_kept']:,} "
            f"({huge['child']['counted']:,} in a rayon, {huge['child']['outside']:,} outside "
            "every rayon).",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
