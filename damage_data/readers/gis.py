"""Readers of per-structure vector files: generic GIS files, Copernicus EMS grading products.

A generic file is recognised by a damage column (``damage``, ``damage_class``, ``grading``,
``damage_gra``…) holding canonical or known native labels, and optionally a structure column.
Copernicus EMS products keep building layers only; roads, rivers and crisis points are
reported as skipped layers, not as rejects.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd

from .._errors import InputError
from ._context import Context, Parts
from ._result import Collector
from ._vector import (
    ADMIN_COLUMNS,
    DAMAGE_COLUMNS,
    DATE_COLUMNS,
    ID_COLUMNS,
    STRUCTURE_COLUMNS,
    Layer,
    damage_column,
    ensure_crs,
    find_column,
    list_layers,
    read_layer,
    to_structures,
)

if TYPE_CHECKING:
    import geopandas as gpd

#: Copernicus EMS layers that hold buildings (legacy and current data models).
BUILDING_LAYER = re.compile(r"(settlements?_(poly|point)_grading|builtup[ap])", re.I)
COPERNICUS_DAMAGE = ("damage_gra", "grading")


#: Copernicus EMS layers that are never buildings, whatever their columns.
OTHER_LAYER = re.compile(
    r"(crisis|transport|hydro|land_?cover|area_?of_?interest|aoi|road|"
    r"river|physical|facilit|observed|natural|image_?footprint)",
    re.I,
)


def is_copernicus_layer(layer: Layer) -> bool:
    """A building layer of a Copernicus EMS product (by name, else by its columns)."""
    if BUILDING_LAYER.search(layer.name):
        return True
    if OTHER_LAYER.search(layer.name):
        return False
    folded = {f.casefold() for f in layer.fields}
    return bool(folded & set(COPERNICUS_DAMAGE)) and bool(folded & {"settl_type", "obj_type"})


def combine(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """Concatenate structures of several layers, reprojecting to the first layer's CRS."""
    import geopandas as gpd

    if len(frames) == 1:
        return frames[0]
    crs = frames[0].crs
    same = [f if f.crs == crs else f.to_crs(crs) for f in frames]
    return gpd.GeoDataFrame(pd.concat(same, ignore_index=True), crs=crs)


def _pick_layers(ctx: Context, layers: list[Layer]) -> list[Layer]:
    if ctx.layer is None:
        return layers
    chosen = [lay for lay in layers if ctx.layer in (lay.name, lay.file.name, lay.file.stem)]
    if not chosen:
        raise InputError(
            f"{ctx.path}: no layer {ctx.layer!r}; layers: {', '.join(lay.name for lay in layers)}.",
            path=str(ctx.path),
        )
    return chosen


def read_copernicus(ctx: Context) -> Parts:
    """Copernicus EMS grading product: building layers to structures, the rest skipped."""
    col = ctx.collector
    layers = _pick_layers(ctx, list_layers(ctx.target, ctx.limits, col))
    buildings = [lay for lay in layers if is_copernicus_layer(lay)]
    skipped = {
        lay.name: f"not a building layer ({lay.features} features)"
        for lay in layers
        if lay not in buildings
    }
    if not buildings:
        raise InputError(
            f"{ctx.path}: no Copernicus EMS building layer (settlements_*_grading, builtUpA, "
            f"builtUpP) among: {', '.join(lay.name for lay in layers)}. Pass layer= to read "
            "another layer as a generic GIS file with kind='gis'.",
            path=str(ctx.path),
        )
    frames: list[gpd.GeoDataFrame] = []
    schemes: dict[str, str] = {}
    for lay in buildings:
        raw = ensure_crs(read_layer(lay, ctx.limits, encoding=ctx.encoding), col, lay.file)
        names = list(raw.columns)
        dmg = ctx.column("damage") or find_column(names, COPERNICUS_DAMAGE)
        if dmg is None:
            skipped[lay.name] = "building layer without a damage_gra or grading column"
            continue
        scheme = ctx.scheme or (
            "copernicus_ems" if dmg.casefold() == "damage_gra" else "copernicus_ems_legacy"
        )
        schemes[lay.name] = scheme
        structure = [
            c
            for c in (
                find_column(names, ("obj_type",)),
                find_column(names, ("info",)),
                find_column(names, ("settl_type",)),
            )
            if c
        ]
        notation = find_column(names, ("notation",))
        flags = pd.Series("", index=raw.index, dtype=object)
        if notation is not None:
            block = raw[notation].astype("string").str.casefold().str.contains("block")
            flags = flags.where(~block.fillna(False).to_numpy(dtype=bool), "building_block")
        _check_dates(raw, lay.name, col)
        frames.append(
            to_structures(
                raw,
                col,
                source_id=ctx.source_id,
                damage=dmg,
                scheme=scheme,
                structure=structure or None,
                date=find_column(names, ("src_date",)),
                layer=lay.name,
                extra={"flags": flags, "_not_building": not_buildings(raw)},
            )
        )
        frames[-1] = mark_not_buildings(frames[-1], col)
    if not frames:
        raise InputError(f"{ctx.path}: no building layer with a damage column.", path=str(ctx.path))
    structures = combine(frames)
    blocks = int((structures["flags"] == "building_block").sum())
    if blocks:
        col.warn(
            f"{blocks} polygons are building blocks (several buildings each): counts "
            "of blocks are not counts of buildings"
        )
    return Parts(
        rows_kept=len(structures),
        structures=structures,
        crs=_crs_name(structures),
        layer=", ".join(lay.name for lay in buildings),
        extra={"skipped_layers": skipped, "schemes": schemes, "building_blocks": blocks},
    )


#: Longest plausible gap between an image and the extraction of its grading.
MAX_EXTRACTION_DAYS = 180


def _check_dates(raw: pd.DataFrame, layer: str, col: Collector) -> None:
    """Warn when extraction dates precede, or trail by months, the image dates (typos)."""
    from ._vector import parse_dates

    src = find_column(list(raw.columns), ("src_date",))
    ext = find_column(list(raw.columns), ("ext_date",))
    if src is None or ext is None:
        return
    gap = (parse_dates(raw[ext]) - parse_dates(raw[src])).dt.days
    before = int((gap < 0).sum())
    late = int((gap > MAX_EXTRACTION_DAYS).sum())
    if before:
        col.warn(
            f"{layer}: {before} features extracted (ext_date) before their image "
            "date (src_date); check the dates"
        )
    if late:
        col.warn(
            f"{layer}: {late} features extracted more than {MAX_EXTRACTION_DAYS} days "
            "after their image date (ext_date vs src_date; a typo in the year?)"
        )


def read_gis(ctx: Context) -> Parts:
    """Generic per-structure vector file: any layer with a damage column."""
    layers = _pick_layers(ctx, list_layers(ctx.target, ctx.limits, ctx.collector))
    frames: list[gpd.GeoDataFrame] = []
    used: list[str] = []
    skipped: dict[str, str] = {}
    given = ctx.column("damage")
    for lay in layers:
        if not given and len(layers) > 1 and find_column(lay.fields, DAMAGE_COLUMNS) is None:
            # nothing to find in it: not read (a file of many layers reopens for each)
            skipped[lay.name] = "no damage column"
            continue
        raw = read_layer(lay, ctx.limits, encoding=ctx.encoding)
        found = damage_column(raw, given)
        if found is None:
            skipped[lay.name] = "no damage column with known labels"
            _warn_unknown_labels(ctx, raw, lay)
            continue
        dmg, scheme = found
        frames.append(
            structures_from_generic(
                raw,
                ctx,
                damage=dmg,
                scheme=ctx.scheme or scheme,
                layer=lay.name if len(layers) > 1 else None,
                path_for_crs=lay.file,
            )
        )
        used.append(lay.name)
    if not frames and len(layers) == 1:
        counted = _count_layer(
            ctx, read_layer(layers[0], ctx.limits, encoding=ctx.encoding), layers[0]
        )
        if counted is not None:
            return counted
    if not frames:
        raise InputError(
            f"{ctx.path}: no damage column found in {', '.join(lay.name for lay in layers)}. "
            f"Expected one of {', '.join(DAMAGE_COLUMNS)} holding known damage labels, or "
            "name it: columns={'damage': 'YourColumn'}.",
            path=str(ctx.path),
        )
    structures = combine(frames)
    return Parts(
        rows_kept=len(structures),
        structures=structures,
        crs=_crs_name(structures),
        layer=", ".join(used),
        extra={"skipped_layers": skipped} if skipped else {},
    )


def _warn_unknown_labels(ctx: Context, raw: gpd.GeoDataFrame, layer: Layer) -> None:
    """A layer skipped although a column is named like damage: say so, with its labels.

    Fewer than half of its labels are known, so the column is not taken for damage on its
    own (a ``class`` column of land-cover names is not damage); the user decides.
    """
    from ._result import pick_scheme

    named = [c for c in raw.columns if c != raw.geometry.name and find_column([c], DAMAGE_COLUMNS)]
    for column in named:
        values = pd.Series(raw[column].dropna().unique()[:500]).astype(str).unique()
        if len(values) == 0:
            continue
        _, known = pick_scheme(values)
        ctx.collector.warn(
            f"layer {layer.name} ({layer.features:,} features) not read: its column "
            f"{column!r} has {len(values)} distinct labels of which {known} are known "
            f"damage labels (e.g. {', '.join(map(repr, values[:5]))}); read it with "
            f"--columns damage={column} (unknown labels are then rejected, each with a reason) "
            "or map its labels in a crosswalk"
        )
        return


def _count_layer(ctx: Context, raw: gpd.GeoDataFrame, layer: Layer) -> Parts | None:
    """A layer of areas carrying counts (e.g. damaged sites per municipality) → figures."""
    from .columns import map_columns
    from .table import figures_from_table

    attributes = pd.DataFrame(raw.drop(columns=raw.geometry.name))
    text = attributes.astype("string").fillna("").astype(object)
    mapping = map_columns(text, columns=ctx.columns)
    if not mapping.counts and not ("damage" in mapping.roles and "count" in mapping.roles):
        return None
    ctx.collector.extra["columns"] = mapping.report()
    ctx.collector.extra["column_rows"] = mapping.rows()
    ctx.collector.extra["layer_kind"] = "counts per area (no per-structure damage column)"
    figures, sources = figures_from_table(
        ctx, text, list(range(len(text))), mapping, locator_word="feature"
    )
    return Parts(
        rows_kept=len(text) - ctx.collector.rows_rejected,
        figures=figures,
        crs=crs_name(raw) if raw.crs is not None else None,
        layer=layer.name,
        sources=sources,
    )


def structures_from_generic(
    raw: gpd.GeoDataFrame,
    ctx: Context,
    *,
    damage: str,
    scheme: str,
    layer: str | None,
    path_for_crs: object,
) -> gpd.GeoDataFrame:
    """Map a generic layer (already with geometry) to structures."""
    from pathlib import Path

    col = ctx.collector
    frame = ensure_crs(raw, col, Path(str(path_for_crs)))
    names = [c for c in frame.columns if c != "geometry"]
    structure = ctx.column("structure") or find_column(names, STRUCTURE_COLUMNS)
    date = ctx.column("date") or find_column(names, DATE_COLUMNS)
    admin = ctx.column("admin") or find_column(names, ADMIN_COLUMNS)
    id_col = ctx.column("id") or find_column(names, ID_COLUMNS)
    rounds = find_column(names, ("round", "round_no", "assessment_round", "revisit"))
    ids = None
    if id_col is not None and frame[id_col].notna().all():
        # repeated ids are the same structure seen again: kept, then counted once (rule R4)
        ids = frame[id_col].to_numpy()
    col.extra.setdefault("columns_used", {}).update(
        {
            k: v
            for k, v in (
                ("damage", damage),
                ("structure", structure),
                ("date", date),
                ("admin", admin),
                ("id", id_col),
                ("round", rounds),
            )
            if v
        }
    )
    col.extra.setdefault("schemes", {})[layer or "main"] = scheme
    structures = to_structures(
        frame,
        col,
        source_id=ctx.source_id,
        damage=damage,
        scheme=scheme,
        structure=structure,
        date=date,
        admin=admin,
        ids=ids,
        layer=layer,
        rounds=rounds,
        extra={"_not_building": not_buildings(frame)},
    )
    return mark_not_buildings(structures, col)


#: Copernicus EMS object-type codes: 1x are buildings; 2x civil works (roads, sports grounds),
#: 3x and above land and water features. Only buildings are structures.
_EMS_OBJ_TYPE = re.compile(r"^\s*(\d)\d*\s*-")


def not_buildings(frame: pd.DataFrame) -> pd.Series:
    """Rows whose Copernicus ``obj_type`` code says they are not buildings."""
    column = next((c for c in frame.columns if str(c).lower() == "obj_type"), None)
    if column is None:
        return pd.Series(False, index=frame.index)
    first = frame[column].astype("string").str.extract(_EMS_OBJ_TYPE, expand=False)
    return (first.notna() & (first != "1")).fillna(False).astype(bool)


def mark_not_buildings(structures: gpd.GeoDataFrame, col: Collector) -> gpd.GeoDataFrame:
    """Graded features that are not buildings (roads, parks) count as ``not_structure``:
    kept and listed, never counted as damaged buildings (DESIGN §3)."""
    if "_not_building" not in structures.columns:
        return structures
    mask = structures["_not_building"].fillna(False).astype(bool).to_numpy()
    out = structures.drop(columns="_not_building")
    if mask.any():
        out["damage"] = out["damage"].astype(object).where(~mask, "not_structure")
        from ..vocab import DAMAGE_DTYPE

        out["damage"] = out["damage"].astype(DAMAGE_DTYPE)
        col.warn(
            f"{int(mask.sum())} graded features are not buildings (Copernicus obj_type "
            "other than 1x: roads, sports grounds, parks): kept as not_structure, never "
            "counted as damaged buildings"
        )
    return out


def _crs_name(frame: gpd.GeoDataFrame) -> str | None:
    if frame.crs is None:
        return None
    epsg = frame.crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else frame.crs.to_string()


def crs_name(frame: gpd.GeoDataFrame) -> str | None:
    """``EPSG:n`` of a frame's CRS (or its full string), ``None`` when unset."""
    return _crs_name(frame)
