"""Benchmark: render the Azerbaijan damage map of the bundled example (goal: under 2 s).

Measures three things, each the median of several runs:

* ``process``: a whole ``damage-data map -o map.png`` run in a fresh interpreter
  (imports, reading the bundled boundaries, reconciling, drawing, writing the PNG);
* ``first``: in one process, the first map after imports (boundaries read from disk);
* ``warm``: later maps in the same process (a notebook redrawing), to the web PNG.

Run ``python benchmarks/bench_map.py`` (add ``--write`` to update RESULTS_map.md).
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

HERE = Path(__file__).resolve().parent
GOAL_S = 2.0


def _process_runs(n: int, out_dir: Path) -> list[float]:
    cli = Path(sys.executable).with_name("damage-data")
    command = [str(cli)] if cli.exists() else [sys.executable, "-m", "damage_data"]
    times = []
    env = {**os.environ, "MPLBACKEND": "Agg"}
    for i in range(n):
        start = time.perf_counter()
        subprocess.run(
            [*command, "map", "-o", str(out_dir / f"p{i}.png")],
            check=True,
            capture_output=True,
            env=env,
        )
        times.append(time.perf_counter() - start)
    return times


def _in_process(n: int, out_dir: Path) -> tuple[float, list[float], float]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t0 = time.perf_counter()
    from damage_data.example import example_figures, example_sources
    from damage_data.export import save
    from damage_data.plot import chart

    figures, sources = example_figures(), example_sources()
    imports = time.perf_counter() - t0

    def render(path: Path) -> float:
        start = time.perf_counter()
        fig = chart("map", figures, sources)
        save(fig, path)
        plt.close(fig)
        return time.perf_counter() - start

    first = render(out_dir / "first.png")
    warm = [render(out_dir / f"w{i}.png") for i in range(n)]
    return first, warm, imports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="update RESULTS_map.md")
    args = parser.parse_args()
    from bench_scale import compile_package  # the fresh processes below load bytecode

    compile_package()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        process = _process_runs(args.runs, out)
        first, warm, imports = _in_process(args.runs, out)
    rows = [
        ("whole process: `damage-data map -o map.png`", statistics.median(process)),
        ("in process, first map (reads boundaries)", first),
        ("in process, warm map (median)", statistics.median(warm)),
    ]
    lines = [
        f"| {name} | {seconds:.2f} s | {'yes' if seconds < GOAL_S else 'NO'} |"
        for name, seconds in rows
    ]
    report = "\n".join(
        [
            "| measurement | time | under 2 s |",
            "|---|---|---|",
            *lines,
        ]
    )
    print(report)
    print(
        f"(imports of the library and example: {imports:.2f} s; runs: {args.runs}; "
        f"python {platform.python_version()}; {os.cpu_count()} cpus)"
    )
    if args.write:
        results = HERE / "RESULTS_map.md"
        # hand-written notes below the table survive a re-run
        old = results.read_text(encoding="utf-8") if results.exists() else ""
        notes = old[old.index("\n## Notes") :] if "\n## Notes" in old else ""
        results.write_text(
            "# Map rendering benchmark\n\n"
            "`python benchmarks/bench_map.py --write` renders the bundled Karabakh example's "
            "Azerbaijan map (choropleth, labels, inset, scale bar, finalised, web PNG "
            f"1280×900). Goal: under {GOAL_S:.0f} s.\n\n"
            f"Machine: {platform.machine()}, {os.cpu_count()} cpus, Python "
            f"{platform.python_version()}; median of {args.runs} runs, "
            f"{time.strftime('%Y-%m-%d', time.gmtime())}; load average before the run "
            f"{load:.1f} (other work on the machine slows every row).\n\n"
            f"{report}\n{notes}",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
