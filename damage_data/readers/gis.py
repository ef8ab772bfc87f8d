"""Readers of per-structure vector files: generic GIS files, Copernicus EMS grading products.

A generic file is recognised by a damage column (``damage``, ``damage_class``, ``grading``,
``damage_gra``…) holding canonical or known native labels, and optionally a structure column.
Copernicus EMS products keep building layers only; roads, rivers and crisis points are
reported as skipped layers, not as rejects.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import InputError
from ._context import Context, Parts
from ._dates import parse_dates
from ._layers import Layer, list_layers, read_layer
from ._result import Collector, pick_scheme
from ._vector import (
    DAMAGE_COLUMNS,
    checked_scheme,
    combine,
    crs_name,
    damage_column,
    ensure_crs,
    find_column,
    mark_not_buildings,
    not_buildings,
    structures_from_generic,
    to_structures,
)
from .columns import map_columns
from .table import figures_from_table

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


def _layer_digest(raw: gpd.GeoDataFrame) -> str:
    """A digest of a layer's features (shapes and attribute values), in any order."""
    import shapely

    attributes = pd.DataFrame(raw.drop(columns=raw.geometry.name)).astype(str)
    rows = pd.util.hash_pandas_object(attributes, index=False).to_numpy()
    shapes = pd.Series(shapely.to_wkb(raw.geometry.to_numpy()), dtype=object)
    where = pd.util.hash_pandas_object(shapes, index=False).to_numpy()
    mixed = np.sort(rows ^ (where * np.uint64(1_000_003)))
    return hashlib.sha256(mixed.tobytes()).hexdigest()


def _pick_layers(ctx: Context, layers: list[Layer]) -> list[Layer]:
    if ctx.layer is None:
        return layers
    # a layer's own name first: a GeoPackage's layer is often named after its file, and
    # the file's name would choose every layer in it (Raqqa's `raqqa_damage`: both layers)
    chosen = [lay for lay in layers if lay.name == ctx.layer] or [
        lay for lay in layers if ctx.layer in (lay.file.name, lay.file.stem)
    ]
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
        date = _grading_date(raw)
        frames.append(
            to_structures(
                raw,
                col,
                source_id=ctx.source_id,
                damage=dmg,
                scheme=scheme,
                structure=structure or None,
                date=date,
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
        crs=crs_name(structures),
        layer=", ".join(lay.name for lay in buildings),
        extra={"skipped_layers": skipped, "schemes": schemes, "building_blocks": blocks},
    )


#: Longest plausible gap between an image and the extraction of its grading.
MAX_EXTRACTION_DAYS = 180


def _grading_date(raw: pd.DataFrame) -> str | None:
    """The column dating each feature's grading, added to ``raw`` when it is derived.

    ``src_date`` is the date of the image a feature was drawn from. A footprint taken over
    from older imagery (EMSR190 Ussita: "Not Affected" buildings of 2013 in a product of
    October 2016) was graded when it was extracted: its ``ext_date``, when the two lie more
    than :data:`MAX_EXTRACTION_DAYS` apart. Dated 2013, the product's figures had passed
    for figures of 2013 under ``--as-of 2015-01-01``.
    """
    src = find_column(list(raw.columns), ("src_date",))
    ext = find_column(list(raw.columns), ("ext_date",))
    if src is None or ext is None:
        return src
    image, extracted = parse_dates(raw[src]), parse_dates(raw[ext])
    older = (extracted - image).dt.days > MAX_EXTRACTION_DAYS
    if not older.any():
        return src
    raw["_graded_on"] = raw[src].where(~older.to_numpy(), raw[ext])
    return "_graded_on"


def _check_dates(raw: pd.DataFrame, layer: str, col: Collector) -> None:
    """Warn when extraction dates precede, or trail by months, the image dates (typos)."""
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
            "after their image date (ext_date vs src_date): footprints taken over from older "
            "imagery, or a typo in the year; they are dated by their extraction (ext_date)"
        )


def read_gis(ctx: Context) -> Parts:
    """Generic per-structure vector file: any layer with a damage column."""
    layers = _pick_layers(ctx, list_layers(ctx.target, ctx.limits, ctx.collector))
    frames: list[gpd.GeoDataFrame] = []
    used: list[str] = []
    skipped: dict[str, str] = {}
    seen: dict[str, str] = {}  # digest of a layer's features -> the layer read for them
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
        if len(layers) > 1:
            digest = _layer_digest(raw)
            if digest in seen:
                # the same features twice (an export beside its source layer): one set of
                # structures, else every count doubles (Deir ez-Zor: 12,810 for 6,405)
                skipped[lay.name] = f"repeats layer {seen[digest]!r} feature for feature"
                ctx.collector.warn(
                    f"layer {lay.name!r} repeats layer {seen[digest]!r} feature for feature "
                    "(the same shapes and attributes): read once"
                )
                continue
            seen[digest] = lay.name
        where = f"{ctx.path}" + (f", layer {lay.name}" if len(layers) > 1 else "")
        frames.append(
            structures_from_generic(
                raw,
                ctx,
                damage=dmg,
                scheme=checked_scheme(ctx, raw, dmg, scheme, where),
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
        polygons = all("polygon" in (lay.geometry_type or "").casefold() for lay in layers)
        raise InputError(
            f"{ctx.path}: no damage column found in {', '.join(lay.name for lay in layers)}. "
            f"Expected one of {', '.join(DAMAGE_COLUMNS)} holding known damage labels, or "
            "name it: --columns damage=COLUMN (command line), columns={'damage': 'COLUMN'} "
            "(Python). If a column holds counts of structures per area, name their state: "
            "--columns destroyed=COLUMN (or damaged=, damaged_or_destroyed=)."
            + (
                " If the file holds boundaries (areas to count in), give it with --units "
                "FILE (units= in Python)."
                if polygons
                else ""
            ),
            path=str(ctx.path),
        )
    structures = combine(frames)
    return Parts(
        rows_kept=len(structures),
        structures=structures,
        crs=crs_name(structures),
        layer=", ".join(used),
        extra={"skipped_layers": skipped} if skipped else {},
        # one layer without an id column: the structures are its features, numbered
        ids_unique=len(frames) == 1
        and "id" not in ctx.collector.extra.get("columns_used", {})
        and not ctx.collector.extra.get("repeated_features"),
    )


def _warn_unknown_labels(ctx: Context, raw: gpd.GeoDataFrame, layer: Layer) -> None:
    """A layer skipped although a column is named like damage: say so, with its labels.

    Fewer than half of its labels are known, so the column is not taken for damage on its
    own (a ``class`` column of land-cover names is not damage); the user decides.
    """
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
    attributes = pd.DataFrame(raw.drop(columns=raw.geometry.name))
    # a column named for per-feature damage classes ("damage", "grading") whose labels were
    # not known is not a column of counts: OSM "damage=100" tags summed as 100 buildings
    # were a wrong number; counts in such a column must be named (--columns destroyed=…)
    given = set((ctx.columns or {}).values())
    labels = [c for c in attributes.columns if find_column([c], DAMAGE_COLUMNS) and c not in given]
    text = attributes.drop(columns=labels).astype("string").fillna("").astype(object)
    mapping = map_columns(text, columns=ctx.columns)
    if not mapping.counts and not ("damage" in mapping.roles and "count" in mapping.roles):
        return None
    figures, sources = figures_from_table(
        ctx, text, list(range(len(text))), mapping, locator_word="feature"
    )
    ctx.collector.extra["columns"] = mapping.report()
    ctx.collector.extra["column_rows"] = mapping.rows()
    ctx.collector.extra["layer_kind"] = "counts per area (no per-structure damage column)"
    return Parts(
        rows_kept=len(text) - ctx.collector.rows_rejected,
        figures=figures,
        crs=crs_name(raw) if raw.crs is not None else None,
        layer=layer.name,
        sources=sources,
    )
