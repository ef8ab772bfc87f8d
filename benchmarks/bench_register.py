"""Benchmark: a damage register holding 10,000 figures from 50 sources → summary.

Run from the repository root::

    /work/venv/bin/python benchmarks/bench_register.py [--figures 10000] [--sources 50]
        [--repeat 5]

The register is built fresh (seeded) in a temporary folder by ``ingest``: 50 sources of
mixed methods, each reporting cumulative series about Azerbaijan's rayons (several dates,
damage groups and structure types, some relaying another source). Timed:

* ``ingest``: all 50 inputs, one transaction each (once);
* ``read_register``: the library read of every figure and source;
* ``read_register`` + ``summarise``: the library path behind ``summary --register``;
* ``damage-data summary --register FILE --format json``: the whole command in a fresh
  process (Python start-up and imports included), the issue's goal being under 1 s.

Results go to stdout; copy them into ``benchmarks/RESULTS_register.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

METHODS = ("field_survey", "satellite", "official_statement", "press", "compilation")
DAMAGE = (
    "destroyed",
    "severe",
    "moderate",
    "minor",
    "damaged",
    "possible",
    "damaged_or_destroyed",
    "assessed",
)
STRUCTURE = ("any", "residential", "education", "health", "commercial")


def make_inputs(
    n_figures: int, n_sources: int, seed: int = 20201124
) -> list[tuple[pd.DataFrame, pd.DataFrame]]:
    """``n_sources`` (figures, sources) pairs with ``n_figures`` figures in all."""
    from damage_data.places.gazetteer import bundled_units
    from damage_data.tables import make_figures, make_table

    rng = np.random.default_rng(seed)
    codes = bundled_units("AZ")["unit_code"].tolist()
    per_source = n_figures // n_sources
    pairs = []
    for s in range(n_sources):
        sid = f"bench{s:03d}"
        method = METHODS[s % len(METHODS)]
        cites = f"bench{s - 1:03d}" if method == "press" and s else None
        units = rng.choice(codes, size=max(1, per_source // 20), replace=False)
        dates = pd.to_datetime("2020-10-01") + pd.to_timedelta(
            np.sort(rng.choice(150, size=4, replace=False)), unit="D"
        )
        rows = []
        for i in range(per_source):
            n = int(rng.integers(0, 2000))
            rows.append(
                {
                    "figure_id": f"{sid}-{i}",
                    "source_id": sid,
                    "locator": f"row {i}",
                    "evidence": f"synthetic figure {i} of {sid}",
                    "unit_code": str(units[i % len(units)]),
                    "level": "adm1",
                    "match": "code",
                    "damage": DAMAGE[i % len(DAMAGE)],
                    "structure": STRUCTURE[(i // 8) % 5],
                    "count": n,
                    "cumulative": True,
                    "as_of": dates[(i // (len(DAMAGE) * len(STRUCTURE))) % len(dates)],
                }
            )
        figures = make_figures(rows)
        sources = make_table(
            "sources",
            [
                {
                    "source_id": sid,
                    "title": f"Synthetic report {s}",
                    "publisher": f"Agency {s % 7}",
                    "published": dates[-1],
                    "method": method,
                    "cites": cites,
                }
            ],
        )
        pairs.append((figures, sources))
    return pairs


def timed(func, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", type=int, default=10_000)
    parser.add_argument("--sources", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from bench_scale import compile_package  # the fresh processes below load bytecode

    compile_package()

    from damage_data.reconcile import summarise
    from damage_data.register import ingest, read_register

    pairs = make_inputs(args.figures, args.sources)
    with tempfile.TemporaryDirectory() as tmp:
        reg = Path(tmp) / "bench.gpkg"
        start = time.perf_counter()
        results = ingest(reg, pairs)
        ingest_s = time.perf_counter() - start
        n_fig = sum(r.figures for r in results)
        figures, sources = read_register(reg)
        assert len(figures) == n_fig and len(sources) == args.sources
        summary = summarise(figures, sources)

        from damage_data.tables import validate

        read_t = timed(lambda: read_register(reg), args.repeat)
        validate_t = timed(lambda: validate(figures, raise_on_error=False), args.repeat)
        start_t = timed(
            lambda: subprocess.run(
                [sys.executable, "-c", "import damage_data.cli, pandas"], check=True
            ),
            args.repeat,
        )
        lib_t = timed(lambda: summarise(*read_register(reg)), args.repeat)
        exe = Path(sys.executable).with_name("damage-data")
        command = [str(exe), "summary", "--register", str(reg), "--format", "json"]

        def run_cli() -> None:
            done = subprocess.run(
                command,
                capture_output=True,
                check=False,
                env={**os.environ, "PYTHONWARNINGS": "ignore"},
            )
            if done.returncode != 0:
                raise SystemExit(done.stderr.decode())

        cli_t = timed(run_cli, args.repeat)
        size_mb = reg.stat().st_size / 1e6

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, pandas {pd.__version__}"
    )
    print(
        f"register: {n_fig} figures from {args.sources} sources, {size_mb:.1f} MB; "
        f"summary has {len(summary)} units"
    )
    print(f"ingest (50 inputs, one transaction each): {ingest_s:.2f} s")
    for label, times in (
        ("read_register", read_t),
        ("read_register + summarise", lib_t),
        ("tables.validate of the figures (summary's --strict check)", validate_t),
        ("fresh process: python -c 'import damage_data.cli, pandas'", start_t),
        ("damage-data summary --register (fresh process)", cli_t),
    ):
        print(
            f"{label}: median {statistics.median(times):.3f} s, "
            f"min {min(times):.3f} s, max {max(times):.3f} s over {len(times)} runs"
        )


if __name__ == "__main__":
    main()
