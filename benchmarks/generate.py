"""Realistic synthetic per-structure damage points in Azerbaijan's rayons, as GeoParquet.

Points fall inside the bundled rayons (``bundled_units("AZ")``) in proportion to their area,
mostly clustered around towns (a few per rayon, lognormal sizes) with a rural remainder spread
evenly; town clusters spill over rayon borders and a few into no rayon at all, as real
building footprints do near borders and the coast. Each town has a damage intensity, so
damage is spatially clustered; classes are UNOSAT codes (``damage_class``, int),
Copernicus EMS labels (``damage_gra``, text), UNOSAT text labels (``damage_class``, string:
"Severe Damage"…) or the toolkit's canonical states (``damage``, string); structure types are
native labels (``structure_type``) or canonical types (``structure``) and dates are
assessment (sensor) dates: three rounds per town by default, or ``days`` distinct days drawn
per structure into an ``assessed_on`` column (a field survey over weeks or a year).

Written chunk by chunk straight to disk (WKB points built with numpy, no shapely object per
point), so 1e8 points need no more memory than one chunk.

Usage::

    python benchmarks/generate.py 1e7                  # benchmarks/_data/points_1e7.parquet
    python benchmarks/generate.py 1e6 --scheme copernicus --out /tmp/p.parquet
    python benchmarks/generate.py 1e7 --scheme unosat_text --days 60 --row-group 1000000
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

DATA = Path(__file__).resolve().parent / "_data"

#: UNOSAT codes (1 destroyed, 2 severe, 3 moderate, 4 possible, 6 no visible damage,
#: 5 crater) and their Copernicus EMS labels where one exists.
UNOSAT_CODES = np.array([1, 2, 3, 4, 6, 5], dtype=np.int8)
COPERNICUS_LABELS = np.array(
    ["Destroyed", "Damaged", "Damaged", "Possibly damaged", "No visible damage", "Not Applicable"]
)
#: Native structure labels (all in data/vocab/structure_crosswalk.csv) and their shares.
STRUCTURE_LABELS = np.array(
    [
        "house",
        "apartment building",
        "shop",
        "school",
        "hospital",
        "mosque",
        "Warehouse",
        "industrial",
        "agricultural_building",
        "administrative building",
        "auxiliary_building",
        "building",
    ]
)
#: The same types as the toolkit's canonical structure types (``structure_crosswalk.csv``).
STRUCTURE_CANONICAL = np.array(
    [
        "residential",
        "residential",
        "commercial",
        "education",
        "health",
        "religious",
        "industrial",
        "industrial",
        "agricultural",
        "administrative",
        "other",
        "any",
    ]
)
#: UNOSAT text labels and canonical states per UNOSAT_CODES entry. Text products have no
#: crater label in the crosswalk, so a crater is written as no visible damage there.
UNOSAT_TEXT = np.array(
    [
        "Destroyed",
        "Severe Damage",
        "Moderate Damage",
        "Possible Damage",
        "No Visible Damage",
        "No Visible Damage",
    ]
)
CANONICAL_DAMAGE = np.array(["destroyed", "severe", "moderate", "possible", "none", "none"])
#: Schemes: damage column name and labels per UNOSAT_CODES entry (None: the int codes).
SCHEMES: dict[str, tuple[str, np.ndarray | None]] = {
    "unosat": ("damage_class", None),
    "copernicus": ("damage_gra", COPERNICUS_LABELS),
    "unosat_text": ("damage_class", UNOSAT_TEXT),
    "canonical": ("damage", CANONICAL_DAMAGE),
}
#: First day of a ``days`` survey (consecutive days from here).
SURVEY_START = np.datetime64("2020-10-10", "D")
STRUCTURE_SHARES = np.array([60, 15, 6, 2, 0.5, 1, 3, 2, 5, 1, 3.5, 1], dtype=float)
#: Assessment rounds (sensor dates) of the synthetic product.
DATES = np.array(["2020-10-12", "2020-11-10", "2020-12-03"], dtype="datetime64[D]")
#: Share of points clustered around towns (the rest are rural, spread evenly in a rayon).
TOWN_SHARE = 0.8
#: WKB point: byte order, geometry type, x, y (21 bytes, unaligned).
WKB_POINT = np.dtype([("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])


@dataclass(frozen=True)
class Landscape:
    """Rayons and towns the points are drawn from (fixed by the seed)."""

    polygons: np.ndarray  # shapely polygons, one per rayon
    bounds: np.ndarray  # (n, 4) per rayon
    unit_share: np.ndarray  # share of all points per rayon (by area)
    town_x: np.ndarray
    town_y: np.ndarray
    town_unit: np.ndarray
    town_weight: np.ndarray  # share of its rayon's town points
    town_sigma: np.ndarray  # cluster spread in degrees
    town_intensity: np.ndarray  # 0..1 damage intensity
    town_date: np.ndarray  # index into DATES


def landscape(*, seed: int = 0, country: str = "AZ") -> Landscape:
    """Towns in every rayon of ``country``: about one per 150 km², at least two."""
    import shapely

    from damage_data.places.gazetteer import bundled_units

    units = bundled_units(country)
    rng = np.random.default_rng(seed)
    polygons = units.geometry.to_numpy()
    shapely.prepare(polygons)
    area = units.to_crs(units.estimate_utm_crs()).area.to_numpy()
    towns_x, towns_y, towns_u = [], [], []
    for i, poly in enumerate(polygons):
        n = max(2, int(area[i] / 150e6))
        x, y = _uniform_in(poly, n, rng)
        towns_x.append(x)
        towns_y.append(y)
        towns_u.append(np.full(n, i))
    town_unit = np.concatenate(towns_u)
    size = rng.lognormal(0.0, 1.2, len(town_unit))
    weight = size / np.bincount(town_unit, weights=size)[town_unit]
    # a big town spreads wider: 0.5 km to ~6 km, in degrees (1° ≈ 111 km)
    sigma = (0.5 + 1.5 * np.sqrt(size)) / 111.0
    intensity = rng.beta(0.6, 2.5, len(town_unit))
    return Landscape(
        polygons=polygons,
        bounds=shapely.bounds(polygons),
        unit_share=area / area.sum(),
        town_x=np.concatenate(towns_x),
        town_y=np.concatenate(towns_y),
        town_unit=town_unit,
        town_weight=weight,
        town_sigma=sigma,
        town_intensity=intensity,
        town_date=rng.integers(0, len(DATES), len(town_unit)),
    )


def _uniform_in(polygon: object, n: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """``n`` points spread evenly inside a (prepared) polygon, by rejection from its bbox."""
    import shapely

    minx, miny, maxx, maxy = shapely.bounds(polygon)
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    got = 0
    fill = max(shapely.area(polygon) / ((maxx - minx) * (maxy - miny)), 0.05)
    while got < n:
        m = int((n - got) / fill * 1.2) + 16
        x = rng.uniform(minx, maxx, m)
        y = rng.uniform(miny, maxy, m)
        inside = shapely.contains_xy(polygon, x, y)
        xs.append(x[inside])
        ys.append(y[inside])
        got += int(inside.sum())
    return np.concatenate(xs)[:n], np.concatenate(ys)[:n]


def _damage_index(intensity: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Index into UNOSAT_CODES per point, given its place's damage intensity (0..1)."""
    t = intensity
    # destroyed, severe, moderate, possible grow with intensity; craters stay rare
    p = np.stack([0.55 * t, 0.12 * t, 0.14 * t, 0.03 + 0.1 * t, np.zeros_like(t), 0.002 + 0 * t])
    p[4] = 1.0 - p.sum(axis=0)
    cum = np.cumsum(p, axis=0)
    u = rng.random(len(t))
    return (u[None, :] > cum).sum(axis=0).clip(0, 5)


def chunk(
    n: int,
    land: Landscape,
    rng: np.random.Generator,
    *,
    scheme: str = "unosat",
    first_id: int = 0,
    null_geometry: float = 0.0,
    crs_transform: object | None = None,
    days: int | None = None,
    day_rng: np.random.Generator | None = None,
) -> pa.Table:
    """``n`` synthetic structures as an Arrow table with a WKB ``geometry`` column.

    With ``days`` each structure gets one of ``days`` consecutive days (from
    :data:`SURVEY_START`, drawn from ``day_rng``, so the points do not depend on ``days``)
    in an ``assessed_on`` column; without it, its town's sensor date in ``sensor_date``.
    Schemes ``unosat_text`` and ``canonical`` write damage and structure as plain strings.
    """
    per_unit = rng.multinomial(n, land.unit_share)
    n_town = rng.binomial(per_unit, TOWN_SHARE)
    xs, ys, intens, dates = [], [], [], []
    for u in np.flatnonzero(per_unit):
        towns = np.flatnonzero(land.town_unit == u)
        pick = rng.choice(towns, size=n_town[u], p=land.town_weight[towns])
        sx = land.town_sigma[pick] / math.cos(math.radians(land.town_y[towns].mean()))
        xs.append(land.town_x[pick] + rng.normal(0, 1, len(pick)) * sx)
        ys.append(land.town_y[pick] + rng.normal(0, 1, len(pick)) * land.town_sigma[pick])
        intens.append(land.town_intensity[pick])
        dates.append(land.town_date[pick])
        rural = per_unit[u] - n_town[u]
        if rural:
            rx, ry = _uniform_in(land.polygons[u], rural, rng)
            xs.append(rx)
            ys.append(ry)
            # rural damage follows the rayon's mean town intensity, halved
            intens.append(np.full(rural, land.town_intensity[towns].mean() / 2))
            dates.append(rng.integers(0, len(DATES), rural))
    x = np.concatenate(xs)
    y = np.concatenate(ys)
    order = rng.permutation(n)  # products are not sorted by rayon
    x, y = x[order], y[order]
    intensity = np.concatenate(intens)[order]
    date = DATES[np.concatenate(dates)[order]]
    if crs_transform is not None:
        x, y = crs_transform.transform(x, y)  # type: ignore[attr-defined]
    wkb = np.empty(n, dtype=WKB_POINT)
    wkb["order"] = 1
    wkb["type"] = 1
    wkb["x"] = x
    wkb["y"] = y
    offsets = np.arange(0, 21 * (n + 1), 21, dtype=np.int32)
    validity = None
    if null_geometry:
        missing = rng.random(n) < null_geometry
        validity = pa.array(~missing).buffers()[1]
    geometry = pa.BinaryArray.from_buffers(
        pa.binary(),
        n,
        [validity, pa.py_buffer(offsets), pa.py_buffer(wkb.tobytes())],
        null_count=-1,
    )
    dmg = _damage_index(intensity, rng)
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; known: {', '.join(SCHEMES)}")
    damage_name, damage_labels = SCHEMES[scheme]
    structure = rng.choice(len(STRUCTURE_LABELS), n, p=STRUCTURE_SHARES / STRUCTURE_SHARES.sum())
    if scheme == "unosat":
        damage = pa.array(UNOSAT_CODES[dmg])
    elif scheme == "copernicus":
        damage = pa.array(COPERNICUS_LABELS[dmg]).dictionary_encode()
    else:
        assert damage_labels is not None
        damage = pa.array(damage_labels[dmg], type=pa.string())
    if scheme == "canonical":
        structure_name = "structure"
        structure_column = pa.array(STRUCTURE_CANONICAL[structure], type=pa.string())
    elif scheme == "unosat_text":
        structure_name = "structure_type"
        structure_column = pa.array(STRUCTURE_LABELS[structure], type=pa.string())
    else:
        structure_name = "structure_type"
        structure_column = pa.DictionaryArray.from_arrays(
            pa.array(structure.astype(np.int32)), pa.array(STRUCTURE_LABELS)
        )
    if days is None:
        date_name, date_column = "sensor_date", pa.array(date)
    else:
        pick = (day_rng or rng).integers(0, days, n)
        date_name, date_column = "assessed_on", pa.array(SURVEY_START + pick)
    return pa.table(
        {
            "site_id": pa.array(np.arange(first_id, first_id + n, dtype=np.int64)),
            damage_name: damage,
            structure_name: structure_column,
            date_name: date_column,
            "geometry": geometry,
        }
    )


def geo_metadata(crs: str = "EPSG:4326", bbox: list[float] | None = None) -> bytes:
    """GeoParquet 1.1 ``geo`` metadata for a WKB point column in ``crs``."""
    import pyproj

    column: dict[str, object] = {
        "encoding": "WKB",
        "geometry_types": ["Point"],
        "crs": pyproj.CRS.from_user_input(crs).to_json_dict(),
    }
    if bbox is not None:
        column["bbox"] = bbox
    meta = {"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": column}}
    return json.dumps(meta).encode()


def write_points(
    n: int,
    path: str | Path | None = None,
    *,
    seed: int = 0,
    scheme: str = "unosat",
    row_group_rows: int = 524_288,
    crs: str = "EPSG:4326",
    null_geometry: float = 0.0,
    lonlat: bool = False,
    days: int | None = None,
) -> Path:
    """Write ``n`` synthetic structures to GeoParquet, one row group per chunk.

    ``days``: an ``assessed_on`` column with that many distinct days (see :func:`chunk`);
    the same ``seed`` gives the same points, damage and types whatever ``days`` is.

    With ``lonlat`` the points are two float columns ``lon``, ``lat`` instead of a WKB
    ``geometry`` column (a plain Parquet table, as CSV exports converted to Parquet are).

    Examples
    --------
    >>> write_points(10_000, "/tmp/points.parquet")  # doctest: +SKIP
    PosixPath('/tmp/points.parquet')
    """
    out = Path(path) if path else DATA / f"points_{_label(n)}.parquet"
    out.parent.mkdir(parents=True, exist_ok=True)
    land = landscape(seed=seed)
    rng = np.random.default_rng(seed + 1)
    day_rng = np.random.default_rng(seed + 2)
    transform = None
    if crs.upper() not in ("EPSG:4326", "OGC:CRS84"):
        import pyproj

        transform = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    tmp = out.with_suffix(".part")
    writer: pq.ParquetWriter | None = None
    done = 0
    try:
        while done < n:
            m = min(row_group_rows, n - done)
            table = chunk(
                m,
                land,
                rng,
                scheme=scheme,
                first_id=done,
                null_geometry=null_geometry,
                crs_transform=transform,
                days=days,
                day_rng=day_rng,
            )
            if lonlat:
                x, y = _wkb_xy(table.column("geometry"))
                table = table.drop_columns(["geometry"]).append_column("lon", pa.array(x))
                table = table.append_column("lat", pa.array(y)).replace_schema_metadata({})
            if writer is None:
                meta = {} if lonlat else {b"geo": geo_metadata(crs)}
                schema = table.schema.with_metadata(meta)
                writer = pq.ParquetWriter(tmp, schema, compression="snappy")
            writer.write_table(table.replace_schema_metadata(writer.schema.metadata))
            done += m
    finally:
        if writer is not None:
            writer.close()
    tmp.replace(out)
    return out


def _wkb_xy(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    array = column.combine_chunks()
    data = np.frombuffer(array.buffers()[2], dtype=np.uint8)[: 21 * len(array)]
    points = data.view(WKB_POINT)
    return points["x"].copy(), points["y"].copy()


def _label(n: int) -> str:
    exp = round(math.log10(n))
    return f"1e{exp}" if 10**exp == n else str(n)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=float, help="number of points (1e7 or 10000000)")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scheme", choices=list(SCHEMES), default="unosat")
    parser.add_argument("--row-group", type=int, default=524_288)
    parser.add_argument("--crs", default="EPSG:4326")
    parser.add_argument("--null-geometry", type=float, default=0.0)
    parser.add_argument("--lonlat", action="store_true", help="lon/lat columns, no WKB")
    parser.add_argument("--days", type=int, default=None, help="distinct assessed_on days")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    path = write_points(
        int(args.n),
        args.out,
        seed=args.seed,
        scheme=args.scheme,
        row_group_rows=args.row_group,
        crs=args.crs,
        null_geometry=args.null_geometry,
        lonlat=args.lonlat,
        days=args.days,
    )
    size = path.stat().st_size / 1e6
    print(f"{path}: {int(args.n):,} points, {size:.0f} MB, {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
