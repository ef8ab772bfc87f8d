"""Benchmark: resolve 50,000 messy place names against a 5,000-name gazetteer.

The gazetteer is the first 5,000 distinct names of the bundled GeoNames cities500 extract
(mostly Ukrainian, then Armenian and Azerbaijani places), made into units with made-up
codes. The queries are those names again, messed up the way reports mess them up (seeded,
so every run is the same): Russian/Ukrainian Cyrillic spellings, dropped, doubled, swapped
or replaced letters, other romanisations (kh/h, y/i, e/a, zh/j), upper case and stray
spaces, generic words ("village", "raion", "city", "district") — plus 5% names that are in
no gazetteer. Each run resolves all 50,000 with
:func:`damage_data.places.resolve_places` against a freshly built gazetteer, with cold
transliteration caches, so building the lookup tables is part of the time. It prints the
wall and CPU times of several runs and how many answers were right, ambiguous, unresolved
or wrong.

Run: ``python benchmarks/bench_resolve.py [--runs 5] [--names 50000] [--gazetteer 5000]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import time

import pandas as pd

from damage_data.places import resolve_places
from damage_data.places.gazetteer import bundled_settlements, make_gazetteer

# Latin → Cyrillic, rough but realistic: how a Russian-language report might spell the name
_TO_CYRILLIC = [
    ("shch", "щ"),
    ("kh", "х"),
    ("zh", "ж"),
    ("ts", "ц"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("yu", "ю"),
    ("ya", "я"),
    ("yi", "ї"),
    ("ye", "е"),
    ("a", "а"),
    ("b", "б"),
    ("v", "в"),
    ("h", "г"),
    ("g", "г"),
    ("d", "д"),
    ("e", "е"),
    ("z", "з"),
    ("y", "и"),
    ("i", "і"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("f", "ф"),
    ("'", "ь"),
]
_ROMANISATIONS = [
    ("kh", "h"),
    ("y", "i"),
    ("i", "y"),
    ("e", "a"),
    ("v", "w"),
    ("ts", "c"),
    ("zh", "j"),
    ("h", "g"),
]


def to_cyrillic(name: str) -> str:
    out, s, i = [], name.lower(), 0
    while i < len(s):
        for lat, cyr in _TO_CYRILLIC:
            if s.startswith(lat, i):
                out.append(cyr)
                i += len(lat)
                break
        else:
            out.append(s[i])
            i += 1
    return "".join(out).capitalize()


def mess(name: str, rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.20:
        return to_cyrillic(name)
    if kind < 0.40:
        a, b = rng.choice(_ROMANISATIONS)
        return name.replace(a, b, 1) if a in name else name.upper()
    if kind < 0.75 and len(name) > 5:
        i = rng.randrange(1, len(name) - 1)
        op = rng.choice(("drop", "double", "swap", "replace"))
        if op == "drop":
            return name[:i] + name[i + 1 :]
        if op == "double":
            return name[:i] + name[i] + name[i:]
        if op == "swap":
            return name[: i - 1] + name[i] + name[i - 1] + name[i + 1 :]
        return name[:i] + rng.choice("aeiou") + name[i + 1 :]
    if kind < 0.90:
        return f"{name} {rng.choice(('village', 'raion', 'city', 'district'))}"
    return f"  {name.lower()} "


def make_case(
    n_names: int, n_gazetteer: int, seed: int = 20261127
) -> tuple[pd.DataFrame, list[str], list[str | None]]:
    places = bundled_settlements()
    places = places.drop_duplicates("name").head(n_gazetteer).reset_index(drop=True)
    units = pd.DataFrame(
        {
            "unit_code": "GN" + places.index.astype(str),
            "name": places["name"],
            "level": "settlement",
            "country": places["unit_code"].str[:2],
        }
    )
    rng = random.Random(seed)
    names: list[str] = []
    truth: list[str | None] = []
    for _ in range(n_names):
        if rng.random() < 0.05:
            fake = (
                "".join(
                    rng.choice("bcdfgklmnprstvz") + rng.choice("aeiou")
                    for _ in range(rng.randint(3, 5))
                ).capitalize()
                + "ovo"
            )
            names.append(fake)
            truth.append(None)
            continue
        i = rng.randrange(len(units))
        names.append(mess(str(units.at[i, "name"]), rng))
        truth.append(str(units.at[i, "unit_code"]))
    return units, names, truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--names", type=int, default=50_000)
    parser.add_argument("--gazetteer", type=int, default=5_000)
    args = parser.parse_args()

    units, names, truth = make_case(args.names, args.gazetteer)
    resolve_places(names[:100], gazetteer=make_gazetteer(units))  # warm-up: imports
    times: list[float] = []
    cpu: list[float] = []
    load_before = os.getloadavg()[0]
    out = pd.DataFrame()
    for _ in range(args.runs):
        fold_cache_clear()
        # a fresh gazetteer each run, so building its lookup tables is part of the time
        gazetteer = make_gazetteer(units)
        start, start_cpu = time.perf_counter(), time.process_time()
        out = resolve_places(names, gazetteer=gazetteer)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)

    got = out["unit_code"].astype(object).where(out["unit_code"].notna(), None).tolist()
    right = sum(g == t for g, t in zip(got, truth, strict=True) if t is not None)
    known = sum(t is not None for t in truth)
    wrong = sum(g is not None and g != t for g, t in zip(got, truth, strict=True))
    ambiguous = int((out["match"] == "ambiguous").sum())
    false_hits = sum(g is not None for g, t in zip(got, truth, strict=True) if t is None)
    print(
        f"machine: {platform.processor() or platform.machine()}, {platform.system()}, "
        f"python {platform.python_version()}"
    )
    print(f"{len(names):,} names against {len(units):,} gazetteer names, {args.runs} runs")
    print(
        f"cores: {os.cpu_count()}; load average before/after: {load_before:.1f} / "
        f"{os.getloadavg()[0]:.1f} (other work on the machine inflates wall time)"
    )
    print("wall times (s): " + ", ".join(f"{t:.2f}" for t in times))
    print(f"wall median: {statistics.median(times):.2f} s; best: {min(times):.2f} s")
    print("CPU times (s, all threads): " + ", ".join(f"{t:.2f}" for t in cpu))
    print(f"CPU median: {statistics.median(cpu):.2f} s")
    print(
        f"right: {right:,} of {known:,} known names ({right / known:.1%}); "
        f"ambiguous: {ambiguous:,}; wrong unit: {wrong:,}; "
        f"unknown names given a unit: {false_hits:,} of {len(truth) - known:,}"
    )
    print("matches: " + ", ".join(f"{k} {v:,}" for k, v in out["match"].value_counts().items()))


def fold_cache_clear() -> None:
    """Start each run cold: the transliteration caches would otherwise carry over."""
    from damage_data.places.index import keys_of, strip_generic
    from damage_data.translit import exact_key, fold

    for cached in (fold, exact_key, strip_generic, keys_of):
        cached.cache_clear()


if __name__ == "__main__":
    main()
