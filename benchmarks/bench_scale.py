"""Benchmark: counting 1e7 structures per rayon as users' files hold them, beside peers.

Issue 17. One run measures, side by side on the same GeoParquet file, each in a fresh
process timed from start to exit (imports included, as a user sees it), with the peak
resident memory of its whole process tree:

* ``cli``: ``damage-data summary points.parquet --format json --country AZ``;
* ``library``: the same summary through the library in one Python process
  (``count_structures`` then ``summarise``);
* ``ingest``: ``damage-data ingest points.parquet --register tmp.gpkg --country AZ``
  into a new register;
* ``sedonadb``: SedonaDB, ``ST_Intersects`` join with the rayons + ``GROUP BY``;
* ``duckdb``: DuckDB with its spatial extension, the same query;
* ``floor``: read the row groups with pyarrow (geometry decoded, labels, dates) and
  ``np.bincount`` on a precomputed unit index: no geometry test at all;
* ``naive``: ``geopandas.read_parquet`` + ``sjoin`` + ``groupby``, run once;
* ``dask`` (``--dask``): ``count_structures(..., engine="dask", workers=2)``.

The data (``benchmarks/generate.py``, deterministic, kept in ``benchmarks/_data/``):
structures in Azerbaijan's 77 rayons (the bundled boundaries), WKB points, 10 row groups,
damage and structure type as string columns (UNOSAT text labels, or canonical states with
``--labels canonical``) and an ``assessed_on`` column with 3, 60 or 365 distinct days; the
points, damage and types are the same in every dates case. Every method's counts per
(unit, damage) are checked against ``naive`` on a 1e6 subset and on the timed files; the
figures, ratios and the issue's targets are appended to ``benchmarks/RESULTS.md``.

Run (the peers come with ``pip install -e '.[bench]'``; a missing peer is skipped)::

    python benchmarks/bench_scale.py                    # 1e7, dates 3, 60, 365
    python benchmarks/bench_scale.py --quick            # 1e6, one run each, not recorded
    python benchmarks/bench_scale.py --dates 60 --sizes 1e7 --huge 1e8 --profile
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import importlib.util
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA = HERE / "_data"
PYTHON = sys.executable
CLI = str(Path(PYTHON).with_name("damage-data"))
#: The boundaries ``bundled_units("AZ")`` reads (Natural Earth rayons, Şuşa city merged in).
UNITS_FILE = REPO / "data" / "boundaries" / "adm1_aze_ne10m_iso_dissolved.geojson"
UNITS_CODE = "iso_3166_2_derived"
COUNTRY = "AZ"
METHODS = ("cli", "library", "ingest", "sedonadb", "duckdb", "floor", "naive", "dask")
#: Methods run once whatever ``--runs`` says (about a minute each at 1e7).
ONCE = ("naive",)
#: Columns of each label scheme: damage, structure, date.
LABELS = {
    "unosat_text": ("damage_class", "structure_type", "assessed_on"),
    "canonical": ("damage", "structure", "assessed_on"),
}
#: The floor's bins: at most this many distinct damage and structure labels.
FLOOR_LABELS = 16
WKB_POINT = [("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")]
#: DESIGN §3 summary groups, to check the CLI's summary against per-state counts.
GROUPS = {
    "destroyed": ("destroyed",),
    "damaged": ("minor", "moderate", "severe", "damaged"),
    "possibly_damaged": ("possible",),
}


class Skipped(Exception):
    """A peer that cannot run here: the reason is printed and recorded."""


# --- what each child process runs ---------------------------------------------------------


def run_child(method: str, path: str, out: str, spec_json: str) -> dict[str, Any]:
    """Run one method in this (fresh) process; write its counts to ``out`` (CSV).

    Peers and the floor write raw label counts (``unit_code, damage_text, structure_text,
    day, count``); the parent maps labels to states when it checks them, so that no peer
    pays for importing damage_data.
    """
    spec = json.loads(spec_json)
    t0 = time.perf_counter()
    extra: dict[str, Any] = {}
    if method == "library":
        extra = _library(path, out)
    elif method == "dask":
        from damage_data import count_structures

        result = count_structures(path, country=COUNTRY, engine="dask", workers=2)
        _state_counts(result.counts).to_csv(out, index=False)
    elif method == "sedonadb":
        _sedonadb(path, out, spec)
    elif method == "duckdb":
        _duckdb(path, out, spec)
    elif method == "floor":
        extra = _floor(path, out, spec)
    elif method == "naive":
        _naive(path, out, spec)
    else:
        raise SystemExit(f"unknown method {method!r}; known: {', '.join(METHODS)}")
    return {"work": time.perf_counter() - t0, **extra}


def _state_counts(counts: Any) -> Any:
    """``unit_code, damage, count`` of a toolkit counts table (units only)."""
    frame = counts[counts["unit_code"].notna()]
    frame = frame.astype({"unit_code": str, "damage": str})
    return frame.groupby(["unit_code", "damage"], as_index=False)["count"].sum()


def _library(path: str, out: str) -> dict[str, Any]:
    """The summary the CLI prints, through the public library functions."""
    from damage_data import count_structures, summarise

    t0 = time.perf_counter()
    result = count_structures(path, country=COUNTRY)
    t1 = time.perf_counter()
    table = summarise(result.figures, result.sources)
    t2 = time.perf_counter()
    Path(out).with_suffix(".json").write_text(table.to_json(orient="records"))
    _state_counts(result.counts).to_csv(out, index=False)
    return {"count_s": t1 - t0, "summarise_s": t2 - t1, "figures": len(result.figures)}


def _sedonadb(path: str, out: str, spec: dict[str, Any]) -> None:
    try:
        import sedonadb
    except ImportError as error:
        raise Skipped(f"sedonadb is not installed ({error}); pip install sedonadb") from None
    con = sedonadb.connect()
    con.read_parquet(path).to_view("points")
    con.read_pyogrio(spec["units"]).to_view("units")
    geometry = "wkb_geometry"  # the name pyogrio gives a GeoJSON geometry
    query = (
        f"SELECT u.{UNITS_CODE} AS unit_code, p.{spec['damage']} AS damage_text, "
        f"p.{spec['structure']} AS structure_text, p.{spec['date']} AS day, "
        f"COUNT(*) AS count FROM units u JOIN points p "
        f"ON ST_Intersects(u.{geometry}, p.geometry) GROUP BY 1, 2, 3, 4"
    )
    # units first: SedonaDB then indexes the 77 polygons and streams the points; written
    # points first it indexed the points and ran 10-15x slower at 1e7 (2.6 GB)
    con.sql(query).to_csv(out)  # to_pandas would need geoarrow-pyarrow


def duckdb_spatial() -> tuple[str | None, str]:
    """Where DuckDB's spatial extension can be loaded from offline, and how it was found.

    DuckDB's own extension repository is not reachable here; the extension also comes as
    a PyPI wheel (``duckdb-extension-spatial``, one version per DuckDB version).
    """
    try:
        version = importlib.metadata.version("duckdb")
    except importlib.metadata.PackageNotFoundError:
        return None, "duckdb is not installed (pip install 'duckdb==1.5.5')"
    found = importlib.util.find_spec("duckdb_extension_spatial")
    if found is not None and found.submodule_search_locations:
        base = Path(next(iter(found.submodule_search_locations)))
        ext = base / "extensions" / f"v{version}" / "spatial.duckdb_extension"
        if ext.exists():
            return str(ext), f"wheel duckdb-extension-spatial for duckdb {version}"
        have = sorted(p.name for p in (base / "extensions").glob("v*"))
        return None, (
            f"duckdb-extension-spatial holds {', '.join(have) or 'no build'}, not v{version}: "
            f"pip install 'duckdb-extension-spatial=={version}' (or the matching duckdb)"
        )
    home = Path.home() / ".duckdb" / "extensions" / f"v{version}"
    local = next(home.glob("*/spatial.duckdb_extension"), None) if home.exists() else None
    if local is not None:
        return str(local), f"already installed in {local.parent}"
    return None, (
        f"the spatial extension for duckdb {version} is not installed and DuckDB's "
        "extension repository is not reachable here; pip install "
        f"'duckdb-extension-spatial=={version}'"
    )


def _duckdb(path: str, out: str, spec: dict[str, Any]) -> None:
    ext, how = duckdb_spatial()
    if ext is None:
        raise Skipped(how)
    import duckdb

    # never reach for the network: load the file the wheel ships
    con = duckdb.connect(
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    con.execute(f"LOAD '{ext}'")
    con.execute(
        f"CREATE TABLE units AS SELECT {UNITS_CODE} AS unit_code, geom "
        f"FROM ST_Read('{spec['units']}')"
    )
    query = (
        f"SELECT u.unit_code, p.{spec['damage']} AS damage_text, "
        f"p.{spec['structure']} AS structure_text, p.{spec['date']} AS day, COUNT(*) AS count "
        f"FROM read_parquet('{path}') p JOIN units u ON ST_Intersects(u.geom, p.geometry) "
        "GROUP BY ALL"
    )
    con.execute(f"COPY ({query}) TO '{out}' (HEADER, DELIMITER ',')")


def _floor(path: str, out: str, spec: dict[str, Any]) -> dict[str, Any]:
    """Read every row group, decode the points, count by a precomputed unit index."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    unit = np.load(spec["index"], mmap_mode="r")
    n_units = int(spec["n_units"]) + 1  # the last one: outside every unit
    file = pq.ParquetFile(path, read_dictionary=[spec["damage"], spec["structure"]])
    columns = ["geometry", spec["damage"], spec["structure"], spec["date"]]
    labels: dict[str, dict[str, int]] = {"damage": {}, "structure": {}}
    day_min, day_max = _day_range(file, spec["date"])
    n_days = day_max - day_min + 1
    shape = (n_units, FLOOR_LABELS, FLOOR_LABELS, n_days)
    counts = np.zeros(math.prod(shape), dtype=np.int64)
    start = bad = 0
    for i in range(file.num_row_groups):
        table = file.read_row_group(i, columns=columns)
        n = table.num_rows
        geometry = table.column("geometry").combine_chunks()
        offsets = np.frombuffer(geometry.buffers()[1], dtype=np.int32)[: n + 1]
        if geometry.null_count or offsets[-1] - offsets[0] != 21 * n:
            raise SystemExit("floor: expects WKB points without nulls (21 bytes each)")
        data = np.frombuffer(geometry.buffers()[2], dtype=np.uint8)
        xy = data[offsets[0] : offsets[0] + 21 * n].view(WKB_POINT)
        bad += int((~(np.isfinite(xy["x"]) & np.isfinite(xy["y"]))).sum())
        codes = []
        for key, column in (("damage", spec["damage"]), ("structure", spec["structure"])):
            array = table.column(column).combine_chunks()
            assert isinstance(array, pa.DictionaryArray)
            seen = labels[key]
            local = np.array([seen.setdefault(v, len(seen)) for v in array.dictionary.to_pylist()])
            if len(seen) > FLOOR_LABELS:
                raise SystemExit(f"floor: more than {FLOOR_LABELS} {key} labels")
            codes.append(local[array.indices.to_numpy()])
        day = table.column(spec["date"]).combine_chunks().cast(pa.int32()).to_numpy() - day_min
        u = unit[start : start + n].astype(np.int64)
        key_ = ((u * FLOOR_LABELS + codes[0]) * FLOOR_LABELS + codes[1]) * n_days + day
        counts += np.bincount(key_, minlength=counts.size)
        start += n
    nonzero = np.flatnonzero(counts)
    u_i, d_i, s_i, day_i = np.unravel_index(nonzero, shape)
    damage = np.array(list(labels["damage"]), dtype=object)
    structure = np.array(list(labels["structure"]), dtype=object)
    codes_ = np.array(spec["unit_codes"] + [""], dtype=object)
    keep = u_i < n_units - 1
    days = (day_i + day_min).astype("datetime64[D]").astype(str)
    with open(out, "w") as f:
        f.write("unit_code,damage_text,structure_text,day,count\n")
        for row in zip(
            codes_[u_i[keep]],
            damage[d_i[keep]],
            structure[s_i[keep]],
            days[keep],
            counts[nonzero][keep],
            strict=True,
        ):
            f.write(",".join(map(str, row)) + "\n")
    return {"rows": start, "bad_xy": bad}


def _day_range(file: Any, column: str) -> tuple[int, int]:
    """First and last day of a date column from the row-group statistics."""
    import numpy as np

    idx = file.schema_arrow.get_field_index(column)
    lo, hi = [], []
    for i in range(file.num_row_groups):
        stats = file.metadata.row_group(i).column(idx).statistics
        lo.append(np.datetime64(stats.min, "D").astype(int))
        hi.append(np.datetime64(stats.max, "D").astype(int))
    return int(min(lo)), int(max(hi))


def _naive(path: str, out: str, spec: dict[str, Any]) -> None:
    """What an analyst writes with geopandas: read, join, classify once per label, count."""
    import geopandas as gpd

    from damage_data import classify_damage, classify_structure

    points = gpd.read_parquet(path)
    units = gpd.read_file(spec["units"])[[UNITS_CODE, "geometry"]]
    joined = gpd.sjoin(points, units, predicate="within", how="inner")
    damage = joined[spec["damage"]].astype(object)
    labels = damage.unique()
    states = dict(zip(labels, classify_damage(labels, scheme=spec["scheme"]), strict=True))
    structure = joined[spec["structure"]].astype(object)
    types = structure.unique()
    canonical = dict(zip(types, classify_structure(types, unknown="other"), strict=True))
    frame = joined[[UNITS_CODE, spec["date"]]].rename(
        columns={UNITS_CODE: "unit_code", spec["date"]: "day"}
    )
    frame["damage"] = damage.map(states)
    frame["structure"] = structure.map(canonical)
    keys = ["unit_code", "damage", "structure", "day"]
    frame.groupby(keys, observed=True).size().rename("count").reset_index().to_csv(out, index=False)


# --- the parent: spawn, time, measure -----------------------------------------------------


@dataclass
class Run:
    """One timed child process."""

    wall: float
    cpu: float | None
    rss_mb: float
    child: dict[str, Any] = field(default_factory=dict)
    failed: str | None = None


def measure(cmd: list[str], *, stdout_path: Path | None, timeout: float, max_rss_mb: float) -> Run:
    """Wall seconds, CPU seconds and peak RSS (MB) of one child process tree.

    Peak RSS is the larger of GNU ``time``'s (largest single process) and the sum over the
    process tree polled every 50 ms with psutil (children of the CLI or dask workers); the
    child runs in its own session so that a timeout or a runaway memory kills all of it.
    """
    with tempfile.NamedTemporaryFile("w+") as usage, tempfile.TemporaryFile() as err_file:
        timed = cmd
        if Path("/usr/bin/time").exists():
            timed = ["/usr/bin/time", "-f", "%M %U %S", "-o", usage.name, *cmd]
        out_file = open(stdout_path, "wb") if stdout_path else subprocess.PIPE  # noqa: SIM115
        start = time.perf_counter()
        proc = subprocess.Popen(timed, stdout=out_file, stderr=err_file, start_new_session=True)
        poller = _TreePoller(proc.pid, max_rss_mb)
        poller.start()
        try:
            stdout, _ = proc.communicate(timeout=timeout)
            failed = None
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            stdout, _ = proc.communicate()
            failed = f"timed out after {timeout:.0f} s"
        wall = time.perf_counter() - start
        poller.stop()
        if stdout_path:
            out_file.close()  # type: ignore[union-attr]
        if poller.killed:
            failed = f"killed: its processes passed {max_rss_mb:.0f} MB"
        usage.seek(0)
        fields = usage.read().split()
        cpu = peak = None
        if len(fields) >= 3 and fields[-3].isdigit():
            peak = int(fields[-3]) / 1024
            cpu = float(fields[-2]) + float(fields[-1])
        rss = max(peak or 0.0, poller.peak_mb)
        err_file.seek(0)
        err = err_file.read().decode(errors="replace")
        child: dict[str, Any] = {}
        lines = (stdout or b"").decode(errors="replace").strip().splitlines()
        if lines and lines[-1].startswith("{"):
            child = json.loads(lines[-1])
        if failed is None and proc.returncode != 0:
            failed = f"exit {proc.returncode}: {_last_line(err)}"
        if "skipped" in child:
            failed = "skipped: " + child["skipped"]
    return Run(wall=wall, cpu=cpu, rss_mb=rss, child=child, failed=failed)


def _last_line(text: str) -> str:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1][:300] if lines else "no message"


class _TreePoller(threading.Thread):
    """Largest RSS summed over a process and its descendants (psutil, when installed)."""

    def __init__(self, pid: int, max_rss_mb: float) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.max_rss_mb = max_rss_mb
        self.peak_mb = 0.0
        self.killed = False
        self._stop_event = threading.Event()

    def run(self) -> None:
        try:
            import psutil
        except ImportError:
            return
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop_event.wait(0.05):
            total = 0
            try:
                for p in [root, *root.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        continue
            except psutil.Error:
                return
            self.peak_mb = max(self.peak_mb, total / 2**20)
            if self.peak_mb > self.max_rss_mb and not self.killed:
                self.killed = True
                os.killpg(self.pid, signal.SIGKILL)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


@dataclass
class Case:
    """One data file and what is needed to count it."""

    name: str
    path: Path
    n: int
    days: int
    labels: str
    spec: dict[str, Any]


def command(method: str, case: Case, out: Path, workdir: Path) -> tuple[list[str], Path | None]:
    """The command line of ``method`` and where its stdout goes."""
    if method == "cli":
        cmd = [CLI, "summary", str(case.path), "--format", "json", "--country", COUNTRY]
        return cmd, out.with_suffix(".json")
    if method == "ingest":
        register = workdir / "tmp.gpkg"
        cmd = [CLI, "ingest", str(case.path), "--register", str(register), "--country", COUNTRY]
        return cmd, None
    child = [PYTHON, str(Path(__file__).resolve()), "--child", method]
    return [*child, str(case.path), str(out), json.dumps(case.spec)], None


def run_method(method: str, case: Case, workdir: Path, args: argparse.Namespace, out: Path) -> Run:
    register = workdir / "tmp.gpkg"
    for leftover in (register, register.with_name("tmp.gpkg-journal")):
        leftover.unlink(missing_ok=True)  # each ingest starts a new register
    cmd, stdout_path = command(method, case, out, workdir)
    run = measure(cmd, stdout_path=stdout_path, timeout=args.timeout, max_rss_mb=args.max_rss)
    if method == "ingest" and run.failed is None:
        _register_counts(register).to_csv(out, index=False)
    register.unlink(missing_ok=True)  # 2-3 GB at 1e7
    return run


def _register_counts(register: Path) -> Any:
    """``unit_code, damage, count`` of the figures a register holds (SQL, not the toolkit)."""
    import sqlite3

    import pandas as pd

    with sqlite3.connect(register) as con:
        return pd.read_sql_query(
            "SELECT unit_code, damage, SUM(count) AS count FROM figures "
            "WHERE unit_code IS NOT NULL AND unit_code != '' GROUP BY unit_code, damage",
            con,
        )


def bench_case(
    case: Case, methods: list[str], args: argparse.Namespace, workdir: Path
) -> dict[str, dict[str, Any]]:
    """Run every method, round robin (so that changes in load fall on all alike)."""
    plan = {m: 1 if m in ONCE else args.runs for m in methods}
    runs: dict[str, list[Run]] = {m: [] for m in methods}
    outs = {m: workdir / f"{case.name}_{m}.csv" for m in methods}
    for round_ in range(max(plan.values(), default=0)):
        for method in methods:
            if round_ >= plan[method]:
                continue
            print(f"{case.name} {method} run {round_ + 1}/{plan[method]}", file=sys.stderr)
            run = run_method(method, case, workdir, args, outs[method])
            runs[method].append(run)
            if run.failed:
                plan[method] = 0  # a failure does not get better with repeats
                print(f"  {method}: {run.failed}", file=sys.stderr)
            elif round_ == 0 and run.wall > args.once_above:
                plan[method] = 1
            print(f"  {run.wall:.2f} s, {run.rss_mb:.0f} MB", file=sys.stderr, flush=True)
    results: dict[str, dict[str, Any]] = {}
    for method, got in runs.items():
        ok = [r for r in got if not r.failed]
        if not ok:
            results[method] = {"method": method, "failed": got[0].failed if got else "not run"}
            continue
        walls = [r.wall for r in ok]
        cpus = [r.cpu for r in ok if r.cpu is not None]
        results[method] = {
            "method": method,
            "runs": len(ok),
            "wall": statistics.median(walls),
            "min": min(walls),
            "max": max(walls),
            "cpu": statistics.median(cpus) if cpus else None,
            "rss_mb": max(r.rss_mb for r in ok),
            "child": ok[-1].child,
            "out": outs[method],
            "failed": None,
        }
    return results


# --- checking counts ----------------------------------------------------------------------


def state_counts(method: str, out: Path, scheme: str) -> Any:
    """Counts per (unit_code, damage state) of one method's output, units only."""
    import pandas as pd

    frame = pd.read_csv(out, dtype={"unit_code": str})
    if "damage_text" in frame.columns:  # peers and the floor count raw labels
        from damage_data import classify_damage

        labels = frame["damage_text"].astype(str).unique()
        states = dict(zip(labels, classify_damage(labels, scheme=scheme), strict=True))
        frame["damage"] = frame["damage_text"].astype(str).map(states)
    frame = frame[frame["unit_code"].notna() & (frame["unit_code"] != "")]
    series = frame.groupby(["unit_code", "damage"])["count"].sum().astype("int64")
    return series[series > 0].sort_index()


def cli_groups(json_path: Path) -> Any:
    """``unit_code`` × group (destroyed, damaged, possibly_damaged) of a summary JSON."""
    import pandas as pd

    frame = pd.DataFrame(json.loads(json_path.read_text()))
    frame = frame[frame["unit_code"].notna()].set_index("unit_code")
    groups = frame[list(GROUPS)].apply(pd.to_numeric).fillna(0).astype("int64")
    series = groups.stack()
    return series[series > 0].sort_index()


def groups_of(states: Any) -> Any:

    of = {s: g for g, members in GROUPS.items() for s in members}
    frame = states.rename("count").reset_index()
    frame["group"] = frame["damage"].map(of)
    frame = frame[frame["group"].notna()]
    series = frame.groupby(["unit_code", "group"])["count"].sum().astype("int64")
    series.index.names = [None, None]
    return series[series > 0].sort_index()


def check_counts(
    case: Case, results: dict[str, dict[str, Any]], scheme: str
) -> tuple[list[str], bool]:
    """Each method's counts per (unit, damage) against naive; lines to print and all-ok."""
    naive = results.get("naive")
    if not naive or naive.get("failed"):
        return [f"{case.name}: no naive counts to check against"], False
    reference = state_counts("naive", naive["out"], scheme)
    total = int(reference.sum())
    lines, all_ok = [], True
    for method, res in results.items():
        if method == "naive" or res.get("failed"):
            continue
        if method == "cli":
            got = cli_groups(res["out"].with_suffix(".json"))
            want = groups_of(reference)
            ok = bool(got.index.equals(want.index) and (got.to_numpy() == want.to_numpy()).all())
            what = "destroyed / damaged / possibly damaged per unit (the summary's groups)"
            lib = results.get("library")
            if lib and not lib.get("failed"):
                same = cli_groups(res["out"].with_suffix(".json")).equals(
                    cli_groups(lib["out"].with_suffix(".json"))
                )
                lines.append(f"{case.name}: cli summary == library summary: {same}")
                all_ok = all_ok and same
        else:
            got = state_counts(method, res["out"], scheme)
            ok = bool(got.index.equals(reference.index) and (got == reference).all())
            what = "per (unit, damage state)"
            if not ok:
                diff = got.sub(reference, fill_value=0)
                what += f"; {int((diff != 0).sum())} cells differ, net {int(diff.sum()):+,}"
        lines.append(f"{case.name}: {method} == naive {what}: {ok}")
        all_ok = all_ok and ok
    lines.append(f"{case.name}: naive counted {total:,} structures in the rayons")
    return lines, all_ok


# --- data ---------------------------------------------------------------------------------


def label(n: int) -> str:
    exp = round(math.log10(n))
    return f"1e{exp}" if 10**exp == n else str(n)


def make_case(n: int, days: int, labels: str) -> Case:
    """Generate (once) the file of ``n`` structures with ``days`` days and its unit index."""
    name = f"{label(n)}_{labels}_d{days}"
    path = DATA / f"scale_{name}.parquet"
    if not path.exists():
        cmd = [PYTHON, str(HERE / "generate.py"), str(n), "--out", str(path)]
        cmd += ["--scheme", labels, "--days", str(days), "--row-group", str(-(-n // 10))]
        subprocess.run(cmd, check=True)
    # the points do not depend on days or labels: one unit index per size
    index = DATA / f"scale_{label(n)}_unit_index.npy"
    codes = unit_index(path, index)
    damage, structure, date = LABELS[labels]
    spec = {
        "damage": damage,
        "structure": structure,
        "date": date,
        "scheme": "unosat" if labels == "unosat_text" else "canonical",
        "units": str(UNITS_FILE),
        "index": str(index),
        "n_units": len(codes),
        "unit_codes": codes,
    }
    return Case(name=name, path=path, n=n, days=days, labels=labels, spec=spec)


def unit_index(path: Path, index: Path) -> list[str]:
    """The unit of each point (its position in the units file; ``len(units)``: outside).

    Computed once with shapely's prepared ``contains_xy`` per rayon, within its bounding
    box, and kept beside the data for the floor.
    """
    import geopandas as gpd
    import numpy as np
    import pyarrow.parquet as pq
    import shapely

    units = gpd.read_file(UNITS_FILE)
    codes = [str(c) for c in units[UNITS_CODE]]
    if index.exists():
        return codes
    geometry = pq.read_table(path, columns=["geometry"]).column("geometry").combine_chunks()
    n = len(geometry)
    offsets = np.frombuffer(geometry.buffers()[1], dtype=np.int32)[: n + 1]
    data = np.frombuffer(geometry.buffers()[2], dtype=np.uint8)
    xy = data[offsets[0] : offsets[0] + 21 * n].view(WKB_POINT)
    x, y = xy["x"].copy(), xy["y"].copy()
    out = np.full(n, len(units), dtype=np.int16)
    polygons = units.geometry.to_numpy()
    shapely.prepare(polygons)
    for i, poly in enumerate(polygons):
        minx, miny, maxx, maxy = shapely.bounds(poly)
        cand = np.flatnonzero((x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy))
        cand = cand[out[cand] == len(units)]  # first unit wins, as in the toolkit
        out[cand[shapely.contains_xy(poly, x[cand], y[cand])]] = i
    np.save(index, out)
    return codes


def subset(case: Case, n: int) -> Case:
    """The first ``n`` rows of ``case`` as a file of its own (10 row groups)."""
    import pyarrow.parquet as pq

    name = f"{label(n)}sub_{case.labels}_d{case.days}"
    path = DATA / f"scale_{name}.parquet"
    index = DATA / f"scale_{label(n)}sub_unit_index.npy"
    if not path.exists():
        import pyarrow as pa

        file = pq.ParquetFile(case.path)
        batches, got = [], 0
        for batch in file.iter_batches(batch_size=min(n, 1_000_000)):
            batches.append(batch.slice(0, n - got))
            got += batches[-1].num_rows
            if got >= n:
                break
        table = pa.Table.from_batches(batches).replace_schema_metadata(file.schema_arrow.metadata)
        pq.write_table(table, path, row_group_size=-(-n // 10), compression="snappy")
    if not index.exists():
        import numpy as np

        np.save(index, np.load(case.spec["index"])[:n])
    spec = {**case.spec, "index": str(index)}
    return Case(name=name, path=path, n=n, days=case.days, labels=case.labels, spec=spec)


# --- what is available, and where the run happens -----------------------------------------


def peer_status() -> dict[str, str | None]:
    """Each optional method: ``None`` when it can run, else why it is skipped."""
    status: dict[str, str | None] = {}
    status["sedonadb"] = (
        None
        if importlib.util.find_spec("sedonadb")
        else "sedonadb is not installed (pip install sedonadb, or the bench extra)"
    )
    ext, how = duckdb_spatial()
    status["duckdb"] = None if ext else how
    status["dask"] = (
        None
        if importlib.util.find_spec("dask_geopandas") and importlib.util.find_spec("distributed")
        else "dask is not installed (the dask extra)"
    )
    status["naive"] = None if importlib.util.find_spec("geopandas") else "geopandas missing"
    return status


def versions() -> str:
    names = [
        "numpy",
        "pandas",
        "pyarrow",
        "shapely",
        "geopandas",
        "sedonadb",
        "duckdb",
        "duckdb-extension-spatial",
        "psutil",
    ]
    got = []
    for name in names:
        try:
            got.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            got.append(f"{name} –")
    return ", ".join(got)


def code_version() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "log", "-1", "--format=%h %s", "--", "damage_data"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "damage_data"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    last = f"last change to damage_data/: `{head[:80]}`"
    return last + (", with uncommitted changes" if dirty else "")


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
    return (
        f"{platform.node()}: {cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}"
    )


def load_text(load: tuple[float, ...]) -> str:
    return ", ".join(f"{v:.1f}" for v in load)


# --- the 1e8 streaming case and the profile -----------------------------------------------


def huge_check(n: int, days: int, labels: str, args: argparse.Namespace, workdir: Path) -> str:
    """Generate ``n`` points straight to disk, summarise them once (CLI), delete the file."""
    free = shutil.disk_usage(DATA.parent if not DATA.exists() else DATA).free
    need = n * 40  # about 30 bytes a point on disk, with room
    if free < need + 5e9:
        return (
            f"skipped: {n:,} points need about {need / 1e9:.0f} GB on disk and "
            f"{free / 1e9:.0f} GB are free"
        )
    DATA.mkdir(exist_ok=True)
    path = DATA / f"scale_{label(n)}_{labels}_d{days}.parquet"
    start = time.perf_counter()
    if not path.exists():
        cmd = [PYTHON, str(HERE / "generate.py"), str(n), "--out", str(path)]
        cmd += ["--scheme", labels, "--days", str(days), "--row-group", "1000000"]
        subprocess.run(cmd, check=True)
    made = time.perf_counter() - start
    size = path.stat().st_size
    case = Case(
        name=f"{label(n)}_{labels}_d{days}", path=path, n=n, days=days, labels=labels, spec={}
    )
    try:
        run = run_method("cli", case, workdir, args, workdir / "huge.csv")
    finally:
        if not args.keep_huge:
            path.unlink()
    if run.failed:
        return f"{n:,} points ({size / 1e9:.1f} GB): cli {run.failed}"
    verdict = "met" if run.rss_mb < 1024 else "not met"
    return (
        f"{n:,} points, {days} days, generated chunk by chunk to a {size / 1e9:.1f} GB "
        f"GeoParquet file ({made:.0f} s); `damage-data summary … --format json --country AZ` "
        f"once: {run.wall:.1f} s wall, {run.cpu or float('nan'):.1f} s CPU, peak RSS "
        f"{run.rss_mb:.0f} MB (target < 1 GB: **{verdict}**)"
        + ("; the file was deleted afterwards." if not args.keep_huge else ".")
    )


def profile_cli(case: Case, workdir: Path, top: int = 15) -> list[str]:
    """Where ``damage-data summary`` spends its time: py-spy's own and total time by function.

    py-spy samples every thread (the counting runs on two); without it, cProfile (the
    main thread only).
    """
    cmd = [CLI, "summary", str(case.path), "--format", "json", "--country", COUNTRY]
    spy = shutil.which("py-spy") or str(Path(PYTHON).with_name("py-spy"))
    raw = workdir / "profile.txt"
    if Path(spy).exists():
        rec = [spy, "record", "-r", "100", "--format", "raw", "-o", str(raw), "--", *cmd]
        done = subprocess.run(rec, capture_output=True, text=True, check=False)
        if done.returncode == 0 and raw.exists():
            return _collapsed_top(raw.read_text(), top, case)
    prof = workdir / "profile.prof"
    script = "import sys; from damage_data.cli import main; sys.argv = ['damage-data', *sys.argv[1:]]; main()"
    subprocess.run(
        [PYTHON, "-m", "cProfile", "-o", str(prof), "-c", script, *cmd[1:]],
        capture_output=True,
        check=False,
    )
    import pstats

    stats = pstats.Stats(str(prof))
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:top]  # type: ignore[attr-defined]
    lines = [f"cProfile of the CLI on {case.name} (main thread only): own time, total time"]
    for (file, line, func), (_, _, own, cum, _) in rows:
        lines.append(f"* `{func}` ({Path(file).name}:{line}): {own:.2f} s own, {cum:.2f} s total")
    return lines


def _collapsed_top(text: str, top: int, case: Case) -> list[str]:
    """Own and total seconds per function from py-spy's collapsed stacks (100 samples/s)."""
    own: dict[str, float] = {}
    total: dict[str, float] = {}
    all_samples = 0.0
    for line in text.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        seconds = int(count) / 100
        all_samples += seconds
        frames = [f for f in stack.split(";") if not f.startswith("process ")]
        frames = [f.split(" (")[0] + " (" + f.split(" (")[-1].split(":")[0] + ")" for f in frames]
        if frames:
            own[frames[-1]] = own.get(frames[-1], 0.0) + seconds
        for f in set(frames):
            total[f] = total.get(f, 0.0) + seconds
    ours = {f: s for f, s in total.items() if "damage_data" in f}
    lines = [
        f"py-spy of the CLI on {case.name}, all threads, {all_samples:.1f} thread-seconds "
        "sampled. Own time (top functions):",
        "",
    ]
    for f, s in sorted(own.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"* {s:.2f} s — `{f}`")
    lines += ["", "Total time of the toolkit's own functions (including what they call):", ""]
    for f, s in sorted(ours.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"* {s:.2f} s — `{f}`")
    return lines


# --- the report ---------------------------------------------------------------------------


def ratio(a: dict[str, Any] | None, b: dict[str, Any] | None) -> float | None:
    if not a or not b or a.get("failed") or b.get("failed"):
        return None
    return float(a["wall"] / b["wall"])


def fmt_ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def case_table(case: Case, results: dict[str, dict[str, Any]]) -> list[str]:
    sedona, floor, naive = (results.get(k) for k in ("sedonadb", "floor", "naive"))
    lines = [
        f"#### {case.n:,} structures, {case.days} distinct days ({case.labels} labels)",
        "",
        "| method | runs | wall s, median (min–max) | CPU s | peak RSS MB | vs SedonaDB "
        "| vs floor | vs naive |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for method, res in results.items():
        if res.get("failed"):
            lines.append(f"| {method} | – | {res['failed']} | | | | | |")
            continue
        cpu = f"{res['cpu']:.1f}" if res["cpu"] is not None else "–"
        lines.append(
            f"| {method} | {res['runs']} | {res['wall']:.2f} ({res['min']:.2f}–{res['max']:.2f}) "
            f"| {cpu} | {res['rss_mb']:.0f} | {fmt_ratio(ratio(res, sedona))} "
            f"| {fmt_ratio(ratio(res, floor))} | {fmt_ratio(ratio(res, naive))} |"
        )
    lib = results.get("library")
    if lib and not lib.get("failed") and "count_s" in lib["child"]:
        c = lib["child"]
        lines += [
            "",
            f"Library call, after imports: `count_structures` {c['count_s']:.2f} s, "
            f"`summarise` {c['summarise_s']:.2f} s, {c['figures']:,} figures.",
        ]
    return lines


def targets(all_results: dict[int, tuple[Case, dict[str, dict[str, Any]]]]) -> list[str]:
    """The issue's targets, each marked met / not met (per dates case)."""
    lines = [
        "| days | target | measured | |",
        "|---:|---|---:|---|",
    ]

    def mark(ok: bool | None) -> str:
        return "–" if ok is None else ("**met**" if ok else "**not met**")

    three = all_results.get(3)
    for days, (_, res) in all_results.items():
        cli, lib, ingest = res.get("cli"), res.get("library"), res.get("ingest")
        rows: list[tuple[str, float | None, str, bool | None]] = []
        r = ratio(res.get("sedonadb"), cli)
        rows.append(("CLI ≥ 2× faster than SedonaDB", r, "{:.3f}×", None if r is None else r >= 2))
        r = ratio(cli, res.get("floor"))
        rows.append(("CLI ≤ 2× the floor", r, "{:.3f}×", None if r is None else r <= 2))
        r = ratio(res.get("naive"), cli)
        rows.append(("CLI ≥ 30× faster than naive", r, "{:.1f}×", None if r is None else r >= 30))
        peak = cli["rss_mb"] if cli and not cli.get("failed") else None
        rows.append(
            ("CLI peak RSS < 600 MB", peak, "{:.0f} MB", None if peak is None else peak < 600)
        )
        if three is not None and days != 3:
            r = ratio(cli, three[1].get("cli"))
            rows.append(
                (
                    f"CLI {days} days within 1.2× of 3 days",
                    r,
                    "{:.3f}×",
                    None if r is None else r <= 1.2,
                )
            )
        r = ratio(cli, lib)
        rows.append(
            ("CLI within 1.2× of the library call", r, "{:.3f}×", None if r is None else r <= 1.2)
        )
        r = ratio(ingest, cli)
        rows.append(
            ("ingest within 2× of summary (CLI)", r, "{:.3f}×", None if r is None else r <= 2)
        )
        for name, value, pattern, ok in rows:
            shown = "–" if value is None else pattern.format(value)
            lines.append(f"| {days} | {name} | {shown} | {mark(ok)} |")
    return lines


def report(
    run_info: dict[str, Any],
    all_results: dict[int, tuple[Case, dict[str, dict[str, Any]]]],
    checks: list[str],
    skipped: list[str],
    extra: list[str],
) -> str:
    before, after = run_info["load_before"], run_info["load_after"]
    others = run_info["others"]
    # the benchmark itself keeps one or two cores busy: judge the others by their CPU time
    high = others > 0.3 or before[0] > 1.0
    lines = [
        f"### Run {run_info['started']:%Y-%m-%d %H:%M} UTC: "
        f"`python benchmarks/bench_scale.py {' '.join(run_info['argv'])}`",
        "",
        f"* Machine: {machine()}.",
        f"* Versions: {versions()}.",
        f"* Code measured: {code_version()}.",
        f"* Load average (1, 5, 15 min) before: {load_text(before)}; after: {load_text(after)} "
        f"(the benchmark's own processes included). Other processes used {others:.2f} of "
        f"the {os.cpu_count()} cores on average during the run"
        + (
            " — **the machine was shared**: times are inflated and noisy; ratios within one "
            "run remain comparable."
            if high
            else "."
        ),
        f"* Took {run_info['minutes']:.0f} min. Methods run round robin; whole-process wall "
        "time from start to exit, imports included (the package byte-compiled first, as "
        "`pip install` does); peak RSS of the whole process tree; "
        f"{run_info['runs']} runs per method (naive once, and any method whose first run "
        f"took over {run_info['once_above']:.0f} s once). Ratios are wall-time ratios "
        "(method ÷ peer: below 1× is faster).",
        "",
    ]
    if skipped:
        lines += [f"* {s}" for s in skipped] + [""]
    for _days, (case, res) in all_results.items():
        lines += [*case_table(case, res), ""]
    if all_results:
        lines += ["#### The issue's targets", "", *targets(all_results), ""]
    if checks:
        lines += ["#### Counts", "", *[f"* {c}" for c in checks], ""]
    if extra:
        lines += [*extra, ""]
    return "\n".join(lines) + "\n"


# --- main ---------------------------------------------------------------------------------


def _cpu_busy() -> tuple[float, float]:
    """Busy CPU seconds of the whole machine (``/proc/stat``) and of this process tree."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        ticks = [int(v) for v in fields]
        busy = (sum(ticks[:8]) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        busy = float("nan")
    mine = os.times()
    return busy, mine.user + mine.system + mine.children_user + mine.children_system


def _info(
    args: argparse.Namespace,
    argv: list[str] | None,
    started: dt.datetime,
    t_start: float,
    load_before: tuple[float, ...],
    busy_before: tuple[float, float],
) -> dict[str, Any]:
    busy, mine = _cpu_busy()
    wall = time.perf_counter() - t_start
    others = max(0.0, (busy - busy_before[0]) - (mine - busy_before[1])) / wall
    return {
        "started": started,
        "argv": sys.argv[1:] if argv is None else argv,
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "minutes": wall / 60,
        "others": others,
        "runs": args.runs,
        "once_above": args.once_above,
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1e6, one run each, not recorded")
    parser.add_argument("--sizes", default=None, help="e.g. 1e7 (default); none: extras only")
    parser.add_argument("--dates", default="3,60,365", help="distinct days per case")
    parser.add_argument("--labels", choices=list(LABELS), default="unosat_text")
    parser.add_argument("--runs", type=int, default=None, help="runs per method (3)")
    parser.add_argument("--methods", default=",".join(m for m in METHODS if m != "dask"))
    parser.add_argument("--dask", action="store_true", help="also count with the dask engine")
    parser.add_argument("--once-above", type=float, default=120.0, help="s: then run once")
    parser.add_argument("--timeout", type=float, default=1200.0, help="s per run")
    parser.add_argument("--max-rss", type=float, default=12_000.0, help="MB: kill above")
    parser.add_argument("--check-size", type=float, default=1e6, help="subset checked (0: no)")
    parser.add_argument("--huge", type=float, default=None, help="streamed case, e.g. 1e8")
    parser.add_argument("--keep-huge", action="store_true", help="keep the huge file")
    parser.add_argument("--profile", action="store_true", help="py-spy the CLI (60 days)")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--no-record", action="store_true", help="print, do not append")
    parser.add_argument("--child", nargs=4, metavar=("METHOD", "PATH", "OUT", "SPEC"))
    args = parser.parse_args(argv)
    if args.runs is None:
        args.runs = 1 if args.quick else 3
    if args.sizes is None:
        args.sizes = "1e6" if args.quick else "1e7"
    if args.quick:
        args.no_record = True
        args.check_size = 0  # the quick files are 1e6: checked as they are timed
    return args


def compile_package() -> None:
    """Byte-compile damage_data as ``pip install`` does for an installed package.

    An editable checkout run with ``PYTHONDONTWRITEBYTECODE=1`` (as on this machine) would
    otherwise compile the package's ~110 modules from source in every CLI process, about
    0.25 s that no user with an installed package pays, while the peers' packages are
    installed with their bytecode.
    """
    import compileall

    compileall.compile_dir(str(HERE.parent / "damage_data"), quiet=1)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        try:
            print(json.dumps(run_child(*args.child)))
        except Skipped as why:
            print(json.dumps({"skipped": str(why)}))
        return 0
    started = dt.datetime.now(dt.UTC)
    t_start = time.perf_counter()
    compile_package()
    load_before = os.getloadavg()
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    if args.dask and "dask" not in methods:
        methods.append("dask")
    unknown = set(methods) - set(METHODS)
    if unknown:
        raise SystemExit(f"unknown methods {sorted(unknown)}; known: {', '.join(METHODS)}")
    status = peer_status()
    skipped = []
    for method in list(methods):
        why = status.get(method)
        if why:
            line = f"{method}: skipped: {why}"
            print(line, file=sys.stderr)
            skipped.append(line)
            methods.remove(method)
    sizes = [int(float(s)) for s in args.sizes.split(",") if s.strip() not in ("", "none")]
    days_list = [int(d) for d in args.dates.split(",")]
    all_sections: list[str] = []
    busy_before = _cpu_busy()
    with tempfile.TemporaryDirectory(prefix="bench_scale_") as tmp:
        workdir = Path(tmp)
        results: dict[int, tuple[Case, dict[str, dict[str, Any]]]] = {}
        cases: dict[int, Case] = {}
        for n in sizes:
            DATA.mkdir(exist_ok=True)
            cases = {days: make_case(n, days, args.labels) for days in days_list}
            checks: list[str] = []
            all_ok = True
            if args.check_size and n > args.check_size:
                # a 1e6 subset, every method once, all against naive
                base = cases[days_list[len(days_list) // 2]]
                small = subset(base, int(args.check_size))
                small_args = argparse.Namespace(**{**vars(args), "runs": 1})
                small_res = bench_case(small, methods, small_args, workdir)
                got, ok = check_counts(small, small_res, small.spec["scheme"])
                checks += got
                all_ok = all_ok and ok
            results = {}
            for days, case in cases.items():
                load = os.getloadavg()
                res = bench_case(case, methods, args, workdir)
                results[days] = (case, res)
                got, ok = check_counts(case, res, case.spec["scheme"])
                checks += got
                checks.append(
                    f"{case.name}: load average before {load_text(load)}, "
                    f"after {load_text(os.getloadavg())}"
                )
                all_ok = all_ok and ok
            for line in checks:
                print(line, file=sys.stderr)
            if not all_ok:
                checks.append("**some counts differ: see above**")
            all_sections.append(
                report(
                    _info(args, argv, started, t_start, load_before, busy_before),
                    results,
                    checks,
                    skipped,
                    [],
                )
            )
        extra: list[str] = []
        if args.profile and "cli" in methods and cases:
            pick = cases.get(60) or next(iter(cases.values()))
            extra += ["#### Profile", "", *profile_cli(pick, workdir), ""]
        if args.huge:
            extra += [
                "#### Streaming check",
                "",
                huge_check(int(args.huge), 60, args.labels, args, workdir),
                "",
            ]
        if extra and all_sections:
            all_sections[-1] += "\n" + "\n".join(extra) + "\n"
        elif extra:
            info = _info(args, argv, started, t_start, load_before, busy_before)
            all_sections.append(report(info, {}, [], skipped, extra))
    text = "\n".join(all_sections)
    print(text)
    if not args.no_record:
        with open(args.output, "a") as f:
            f.write("\n" + text)
        print(f"appended to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
