"""Reader of UNOSAT comprehensive damage assessments, all three schema generations.

One row per site and assessment round (REFERENCE §3): Gaza 2023–25 full names with ``_2..14``
round suffixes; Syria 2015 shapefiles with names cut to 10 characters (``Main_Damag``,
``Main_Dam_1``…), grouped by position; Raqqa/Damascus ``DaSitCl``/``DmgCls`` variants.
``Damage_Status`` is kept raw (no published codebook); counting uses one round per site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._errors import InputError
from ..vocab import classify_structure
from ._context import Context, Parts
from ._dates import parse_dates, report_dates
from ._layers import Layer, list_layers, read_layer
from ._result import SEEN_DAMAGED, Collector, classify_column, current_view, make_structures
from ._vector import combine, crs_name, ensure_crs, find_column, shapes_without_record
from .columns import map_columns
from .raw import raw_frame, read_raw

if TYPE_CHECKING:
    import geopandas as gpd

# full (file geodatabase) names: the suffix is the round; no suffix is round 1
_FULL = {
    "class": re.compile(r"^(?:Main_Damage_Site_Class|DaSitCl|DmgCls)_?(\d*)$", re.I),
    "date": re.compile(r"^(?:SensorDate|SensDt|SensDate|ImageDate|ImgDate)_?(\d*)$", re.I),
    "status": re.compile(r"^(?:Damage_Status|DmgSts|DaSts)_?(\d*)$", re.I),
}
# 10-character shapefile names: rounds are told apart only by column order
_TRUNC = {
    "class": re.compile(r"^(?:Main_Damag|Main_Dam_\d+)$", re.I),
    "date": re.compile(r"^(?:SensorDate|SensorDa_\d+)$", re.I),
    "status": re.compile(r"^(?:Damage_Sta|Damage_S_\d+)$", re.I),
}
_ADMIN = (
    "Municipality",
    "Municipali",
    "Settlement",
    "Governorate",
    "Governorat",
    "Neighborhood",
    "Neighborho",
)


@dataclass
class Rounds:
    """Columns of each assessment round: ``{round: {"class": col, "date": col, ...}}``."""

    schema: str
    by_round: dict[int, dict[str, str]] = field(default_factory=dict)


def unosat_rounds(columns: list[str] | tuple[str, ...]) -> Rounds | None:
    """Find the per-round class/date/status columns, or ``None`` if this is not UNOSAT."""
    names = [c for c in columns if c != "geometry"]
    if any(_TRUNC["class"].match(c) for c in names) and not any(
        re.match(r"^Main_Damage_Site_Class", c, re.I) for c in names
    ):
        rounds = Rounds("syria-2015 (10-character shapefile names, rounds by column order)")
        current = 0
        for name in names:
            if _TRUNC["date"].match(name):
                current += 1
                rounds.by_round.setdefault(current, {})["date"] = name
            for role in ("class", "status"):
                if _TRUNC[role].match(name):
                    rounds.by_round.setdefault(max(current, 1), {})[role] = name
        return rounds
    found: dict[int, dict[str, str]] = {}
    for name in names:
        for role, pattern in _FULL.items():
            match = pattern.match(name)
            if match:
                found.setdefault(int(match.group(1) or 1), {})[role] = name
    if not any("class" in r for r in found.values()):
        return None
    schema = (
        "gaza-2023 (full names, _2.._14 round suffixes)"
        if any(re.match(r"^Main_Damage_Site_Class", c, re.I) for c in names)
        else "raqqa/damascus (DaSitCl / DmgCls classes)"
    )
    return Rounds(schema, dict(sorted(found.items())))


def is_unosat_layer(layer: Layer) -> bool:
    return unosat_rounds(layer.fields) is not None


def read_unosat(ctx: Context, raw_table: Any = None) -> Parts:
    """Read every UNOSAT layer of a file or unpacked folder into a round history.

    A CSV export (with lon/lat or WKT columns) is read as one layer.
    """
    if ctx.target.is_file() and ctx.target.suffix.lower() in (".csv", ".tsv", ".txt", ".xlsx"):
        return _read_unosat_table(ctx, raw_table)
    layers = [
        lay for lay in list_layers(ctx.target, ctx.limits, ctx.collector) if is_unosat_layer(lay)
    ]
    if ctx.layer is not None:
        layers = [lay for lay in layers if ctx.layer in (lay.name, lay.file.name)]
    if not layers:
        raise InputError(
            f"{ctx.path}: no UNOSAT damage-site layer (columns Main_Damage_Site_Class, "
            "Main_Damag or DaSitCl).",
            path=str(ctx.path),
        )
    frames = []
    schemas: dict[str, str] = {}
    rounds_seen: dict[str, dict[int, dict[str, str]]] = {}
    for lay in layers:
        raw = ensure_crs(
            read_layer(lay, ctx.limits, encoding=ctx.encoding), ctx.collector, lay.file
        )
        rounds = unosat_rounds(list(raw.columns))
        assert rounds is not None
        schemas[lay.name] = rounds.schema
        rounds_seen[lay.name] = rounds.by_round
        frames.append(_history(raw, rounds, ctx, layer=lay.name if len(layers) > 1 else None))
    history = combine(frames)
    current = current_view(history, strongest=ctx.strongest)
    n_sites = int(history["structure_id"].nunique())
    return Parts(
        # features kept (a site id repeated in another layer is one site, counted once)
        rows_kept=ctx.collector.rows_read - ctx.collector.rows_rejected,
        structures=history,
        crs=crs_name(history),
        layer=", ".join(lay.name for lay in layers),
        extra={
            "schema": schemas,
            "rounds": {k: {str(r): v for r, v in by.items()} for k, by in rounds_seen.items()},
            "rows_in_history": len(history),
            "sites": n_sites,
            "count_rule": "strongest class per site" if ctx.strongest else "latest round per site",
            "current_rows": len(current),
        },
    )


def _read_unosat_table(ctx: Context, raw_table: Any) -> Parts:
    import geopandas as gpd
    import shapely

    raw = raw_table or read_raw(ctx)
    frame = raw_frame(raw).replace("", None)
    roles = map_columns(
        raw_frame(raw),
        columns={k: v for k, v in (ctx.columns or {}).items() if k in ("lon", "lat", "wkt")},
    ).roles
    if "wkt" in roles:
        geoms = shapely.from_wkt(frame[roles["wkt"]].to_numpy(dtype=object), on_invalid="ignore")
    elif "lon" in roles:
        lon = pd.to_numeric(frame[roles["lon"]], errors="coerce").to_numpy()
        lat = pd.to_numeric(frame[roles["lat"]], errors="coerce").to_numpy()
        geoms = np.asarray(shapely.points(lon, lat), dtype=object)
        geoms[np.isnan(lon) | np.isnan(lat) | (np.abs(lat) > 90)] = None
    else:
        raise InputError(
            f"{ctx.path}: a UNOSAT table without coordinates; name them with "
            "--columns lon=COLUMN lat=COLUMN, or --columns wkt=COLUMN.",
            path=str(ctx.path),
        )
    rounds = unosat_rounds(list(frame.columns))
    assert rounds is not None
    geo = gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")
    history = _history(geo, rounds, ctx, layer=None)
    # locators of a table are its file lines, not feature numbers
    lines = raw.line_numbers
    for reject in ctx.collector.rejects:
        if reject["locator"].startswith("feature "):
            reject["locator"] = f"row {lines[int(reject['locator'].split()[1])]}"
    n_sites = int(history["structure_id"].nunique())
    return Parts(
        # features kept (a site id repeated in another layer is one site, counted once)
        rows_kept=ctx.collector.rows_read - ctx.collector.rows_rejected,
        structures=history,
        crs="EPSG:4326",
        extra={
            "schema": {"table": rounds.schema},
            "rounds": {"table": {str(r): v for r, v in rounds.by_round.items()}},
            "rows_in_history": len(history),
            "sites": n_sites,
            "count_rule": "strongest class per site" if ctx.strongest else "latest round per site",
        },
    )


def _history(
    raw: gpd.GeoDataFrame, rounds: Rounds, ctx: Context, *, layer: str | None
) -> gpd.GeoDataFrame:
    """One row per site and round with a class; sites that cannot be kept are rejected."""
    col = ctx.collector
    col.rows_read += len(raw)
    prefix = f"{layer}: feature" if layer else "feature"
    site_ids, site_type = _site_ids(raw, prefix)
    admin = find_column(list(raw.columns), tuple(a.casefold() for a in _ADMIN))
    # shapes a short .dbf has no record for (see read_layer): read, and rejected for that
    no_record = shapes_without_record(raw, col, prefix)
    long, dates = _assessments(raw, rounds)
    damage, bad, reason = classify_column(long["damage_text"], ctx.scheme or "unosat")
    long["damage"] = damage
    rejected = _reject_sites(raw, long, bad.to_numpy(dtype=bool), reason, col, prefix, no_record)
    for column, (written, parsed, of_site) in dates.items():
        kept = ~np.isin(of_site, sorted(rejected))
        report_dates(written, parsed, kept, col, column, what="site assessments")
    long = long[~long["_site"].isin(rejected)].sort_values(["_site", "round"], kind="stable")
    sites = long["_site"].to_numpy()
    seen = long["damage"].astype(object).isin(SEEN_DAMAGED)
    first = long["assessed_on"].where(seen).groupby(long["_site"]).min()
    table = pd.DataFrame(
        {
            "source_id": ctx.source_id,
            "structure_id": site_ids[sites],
            "damage": long["damage"].to_numpy(),
            "damage_text": long["damage_text"].to_numpy(),
            "structure": site_type[0][sites],
            "structure_text": site_type[1][sites],
            "assessed_on": long["assessed_on"].to_numpy(),
            "round": long["round"].to_numpy(),
            "admin_label": (raw[admin].astype("string").to_numpy()[sites] if admin else pd.NA),
            "damage_status": long["damage_status"].to_numpy(),
            "first_damaged_on": first.reindex(sites).to_numpy(),
        }
    )
    if layer is not None:
        table["layer"] = layer
    return make_structures(table, raw.geometry.to_numpy()[sites], raw.crs)


def _assessments(
    raw: pd.DataFrame, rounds: Rounds
) -> tuple[pd.DataFrame, dict[str, tuple[pd.Series, pd.Series, np.ndarray]]]:
    """Every (site, round) with a class, long; and each date column as written, as read,
    and the sites of its values (for the report on unreadable dates)."""
    pieces = []
    dates: dict[str, tuple[pd.Series, pd.Series, np.ndarray]] = {}
    for number, cols in rounds.by_round.items():
        if "class" not in cols:
            continue
        cls = _class_codes(raw[cols["class"]])
        present = cls.notna() & (cls.astype("string").str.strip() != "").fillna(False)
        idx = np.flatnonzero(present.to_numpy(dtype=bool))
        piece = pd.DataFrame(
            {
                "_site": idx,
                "round": number,
                "damage_text": cls.iloc[idx].astype("string").str.strip().to_numpy(),
                "_column": cols["class"],
            }
        )
        if "date" in cols:
            written = raw[cols["date"]].iloc[idx]
            parsed = parse_dates(written)
            dates[cols["date"]] = (written, parsed, idx)
            piece["assessed_on"] = parsed.to_numpy()
        else:
            piece["assessed_on"] = pd.NaT
        piece["damage_status"] = (
            raw[cols["status"]].iloc[idx].astype("string").to_numpy() if "status" in cols else pd.NA
        )
        pieces.append(piece)
    if not pieces:
        empty = {"_site": pd.Series([], dtype=int), "round": [], "damage_text": [], "_column": []}
        return pd.DataFrame(empty), dates
    return pd.concat(pieces, ignore_index=True), dates


def _class_codes(cls: pd.Series) -> pd.Series:
    """A class column as codes: floats (a column with empty rounds) written as integers."""
    if not pd.api.types.is_float_dtype(cls):
        return cls
    # 1.0 is written 1 (a code such as 1.5 is no class code: it stays as written and is
    # rejected as unknown); only floats that are exact integers (below 2^53) cast safely
    whole = cls.isna() | (np.isfinite(cls) & (cls == np.round(cls)) & (cls.abs() < 2**53))
    if whole.all():
        return cls.astype("Int64")
    return (
        cls.astype(object)
        .where(cls.notna(), None)
        .map(lambda v: v if v is None else (str(int(v)) if float(v).is_integer() else str(v)))
    )


def _reject_sites(
    raw: gpd.GeoDataFrame,
    long: pd.DataFrame,
    bad: np.ndarray,
    reason: str,
    col: Collector,
    prefix: str,
    no_record: np.ndarray,
) -> set[int]:
    """Reject, once each, the sites without attributes, with an unknown class in any round,
    without a geometry, or without a class in any round; return their positions."""
    rejected = {int(i) for i in np.flatnonzero(no_record)}
    bad_rows = long[bad]
    for site, column, text in zip(
        bad_rows["_site"], bad_rows["_column"], bad_rows["damage_text"], strict=True
    ):
        if int(site) not in rejected:
            col.reject(f"{prefix} {site}", column, text, reason)
            rejected.add(int(site))
    geom = raw.geometry
    for missing in np.flatnonzero((geom.isna() | geom.is_empty).to_numpy()).tolist():
        if missing not in rejected:
            col.reject(
                f"{prefix} {missing}", "geometry", None, "missing geometry: a site needs a point"
            )
            rejected.add(missing)
    with_class = set(long["_site"].tolist())
    for i in range(len(raw)):
        if i not in with_class and i not in rejected:
            col.reject(
                f"{prefix} {i}",
                "Main_Damage_Site_Class",
                None,
                "no damage class in any assessment round",
            )
            rejected.add(i)
    return rejected


def _site_ids(raw: pd.DataFrame, prefix: str) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Site ids and (structure, structure_text) per feature.

    Gaza ``SiteID`` is an id; Syria 2015 ``SiteID`` holds the site *type* ("Building
    (General / Default)"), so there the feature number is the id.
    """
    n = len(raw)
    numbers = np.array([f"{prefix} {i}" for i in range(n)], dtype=object)
    any_type = (np.full(n, "any", dtype=object), np.full(n, None, dtype=object))
    site = find_column(list(raw.columns), ("siteid", "site_id"))
    if site is None:
        return numbers, any_type
    values = raw[site].astype("string")
    if values.notna().all() and values.is_unique:
        return values.to_numpy(dtype=object), any_type
    kinds = classify_structure(values, unknown="other")
    return numbers, (kinds.astype(object).to_numpy(), values.to_numpy(dtype=object))
