"""A per-structure vector layer mapped to the ``structures`` contract.

Shared by the generic ``gis`` reader, per-structure tables and the product readers
(Copernicus EMS, UNOSAT): which field holds the damage class, structure type, date, admin
label and id; the CRS checks; and :func:`to_structures`, which keeps every feature it can
and rejects the others with a reason (unknown or missing damage, missing or impossible
geometry, shapes without attributes).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._data import data_path
from .._errors import InputError, UnknownLabelError
from ..vocab import (
    DAMAGE_DTYPE,
    STRUCTURE_DTYPE,
    STRUCTURE_TYPES,
    classify_structure,
    unknown_structures_warning,
)
from ._context import Context
from ._dates import parse_dates as parse_dates  # count/ reads dates through this name
from ._dates import report_dates
from ._layers import NO_RECORD
from ._result import (
    SENTINELS,
    Collector,
    bare_codes_problem,
    classify_column,
    constant_category,
    make_structures,
    names_a_state,
    pick_scheme,
)
from .columns import numeric_share

if TYPE_CHECKING:
    import geopandas as gpd


def _feature_columns(role: str) -> tuple[str, ...]:
    """Column names (folded) that hold ``role`` in per-structure files, in order of preference
    (``data/vocab/feature_columns.csv``)."""
    table = pd.read_csv(data_path("vocab", "feature_columns.csv"), dtype=str, keep_default_na=False)
    return tuple(table.loc[table["role"] == role, "column"])


#: Column names that hold a damage class in generic per-structure files (folded).
DAMAGE_COLUMNS = _feature_columns("damage")
#: Column names that hold a structure type (folded), most specific first.
STRUCTURE_COLUMNS = _feature_columns("structure")
#: Column names that hold the date a structure was assessed.
DATE_COLUMNS = _feature_columns("date")
#: Column names that name the place of a structure.
ADMIN_COLUMNS = _feature_columns("admin")
#: Column names that identify a structure.
ID_COLUMNS = _feature_columns("id")


def fold_name(name: str) -> str:
    """A column name folded for lookup: lower case, words joined by ``_``; camelCase
    words are words too ("DamageState" is "damage_state", "SensorDate" "sensor_date").

    >>> fold_name("DamageState"), fold_name("Main_Damag"), fold_name("STRUCTURETYPE")
    ('damage_state', 'main_damag', 'structuretype')
    """
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", str(name))
    return re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")


def find_column(columns: list[str] | tuple[str, ...], candidates: tuple[str, ...]) -> str | None:
    """The first column (in candidate order) whose folded name is a candidate."""
    folded = {fold_name(c): c for c in columns}
    for cand in candidates:
        if cand in folded:
            return folded[cand]
    return None


#: Words of a column name that says damage, beyond the listed names: "House damage",
#: Morocco 2023's "Main_Dmg", French "degat", Spanish "daño", Turkish "hasar", German "Schaden".
_DAMAGE_WORDS = ("damage", "dmg", "degat", "dégât", "dano", "daño", "hasar", "schad")


def damage_column(frame: pd.DataFrame, given: str | None = None) -> tuple[str, str] | None:
    """The column holding damage classes and the scheme that knows its labels.

    A candidate counts only when most of its distinct values are known damage labels
    (a ``class`` column of land-cover names is not damage).
    """
    names = [given] if given else [c for c in frame.columns if c != "geometry"]
    folded = {fold_name(c): c for c in names}
    order = [folded[c] for c in DAMAGE_COLUMNS if c in folded] if not given else names
    if not given:
        # then any other column whose name says damage ("House damage", "Damage Level")
        order += [
            c
            for c in names
            if c not in order
            and any(w in fold_name(c) for w in _DAMAGE_WORDS)
            and numeric_share(frame[c].dropna().astype(str)) < 0.5
        ]
    fallback: tuple[str, str] | None = None
    for column in order:
        values = pd.Series(frame[column].dropna().unique()[:500]).astype(str).unique()
        if len(values) == 0:
            continue
        scheme, known = pick_scheme(values)
        if given:
            return column, scheme
        if known >= max(1, 0.5 * len(values)):
            if names_a_state(values, scheme):
                return column, scheme
            # a "Status" that is "Unknown" in every row says nothing of damage: a column
            # further on may (Open Map Lebanon's "House damage" beside it)
            fallback = fallback or (column, scheme)
    return fallback


def checked_scheme(ctx: Context, frame: pd.DataFrame, column: str, scheme: str, where: str) -> str:
    """The user's damage scheme, else ``scheme`` as picked from the column's labels, unless
    they are bare numbers that settle no scale (:func:`~._result.bare_codes_problem`): an
    input error then, never a guess."""
    if ctx.scheme:
        return ctx.scheme
    problem = bare_codes_problem(pd.Series(frame[column].dropna().unique()[:500]).tolist(), scheme)
    if problem is not None:
        raise InputError(f"{where}, column {column!r}: {problem}", path=str(ctx.path))
    return scheme


def ensure_crs(frame: gpd.GeoDataFrame, col: Collector, path: Path) -> gpd.GeoDataFrame:
    """Assume EPSG:4326 when the CRS is missing and coordinates fit; else raise how to fix.

    A projected CRS whose coordinates all fit longitude/latitude is a wrong ``.prj`` (or
    ``crs`` member): every structure would land near the projection's origin, so it is an
    error rather than a silent misplacement.
    """
    if frame.crs is not None:
        if frame.crs.is_projected and not frame.empty:
            _refuse_degrees_in_projected(frame, path)
        return frame
    if frame.empty:
        return frame.set_crs("EPSG:4326")
    valid = frame.geometry[~(frame.geometry.isna() | frame.geometry.is_empty)]
    if valid.empty:
        return frame.set_crs("EPSG:4326")
    minx, miny, maxx, maxy = valid.total_bounds
    if minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90:
        col.warn("no CRS given; coordinates fit longitude/latitude, so EPSG:4326 is assumed")
        return frame.set_crs("EPSG:4326")
    raise InputError(
        f"{path}: no coordinate reference system, and the coordinates (x {minx:.0f}..{maxx:.0f}, "
        f"y {miny:.0f}..{maxy:.0f}) are not longitude/latitude. Add the missing .prj file "
        "beside the .shp, or re-export with the CRS set (e.g. `ogr2ogr -a_srs EPSG:32633 "
        "out.gpkg in.shp`).",
        path=str(path),
    )


def _refuse_degrees_in_projected(frame: gpd.GeoDataFrame, path: Path) -> None:
    import shapely

    bounds = shapely.bounds(np.asarray(frame.geometry.values))
    finite = np.isfinite(bounds).all(axis=1)
    if not finite.any():
        return
    minx, miny = bounds[finite, 0].min(), bounds[finite, 1].min()
    maxx, maxy = bounds[finite, 2].max(), bounds[finite, 3].max()
    if minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90:
        raise InputError(
            f"{path}: the CRS is {frame.crs.name} (projected, in "
            f"{frame.crs.axis_info[0].unit_name}s) but every coordinate fits longitude/"
            f"latitude (x {minx:g}..{maxx:g}, y {miny:g}..{maxy:g}): the CRS is wrong. Fix "
            "the .prj (or the GeoJSON crs member), e.g. `ogr2ogr -a_srs EPSG:4326 out.gpkg "
            "in.shp`.",
            path=str(path),
        )


def out_of_range(geometry: Any, crs: Any) -> tuple[np.ndarray, np.ndarray]:
    """Features with non-finite coordinates, and (geographic CRS) outside ±180/±90.

    Returns two boolean masks over the features: non-finite, and out of range. Missing or
    empty geometries are in neither (they are rejected for that reason).
    """
    import shapely

    values = np.asarray(geometry.values if hasattr(geometry, "values") else geometry)
    n = len(values)
    present = ~(shapely.is_missing(values) | shapely.is_empty(values))
    if not present.any():
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    # bounds alone miss a NaN next to finite coordinates: GEOS skips NaN in envelopes
    coords = shapely.get_coordinates(values[present], include_z=False, return_index=True)
    finite_pos = np.ones(int(present.sum()), dtype=bool)
    bad_coord = ~np.isfinite(coords[0]).all(axis=1)
    finite_pos[np.unique(coords[1][bad_coord])] = False
    non_finite = np.zeros(n, dtype=bool)
    non_finite[np.flatnonzero(present)[~finite_pos]] = True
    outside = np.zeros(n, dtype=bool)
    if crs is not None and getattr(crs, "is_geographic", False):
        b = shapely.bounds(values)
        with np.errstate(invalid="ignore"):
            outside = (
                present
                & ~non_finite
                & ((b[:, 0] < -180) | (b[:, 2] > 180) | (b[:, 1] < -90) | (b[:, 3] > 90))
            )
    return non_finite, outside


_MISSING_DAMAGE = "missing damage label: every structure needs a damage class"

_MISSING_GEOMETRY = "missing geometry: a structure needs a point or polygon"


def to_structures(
    frame: gpd.GeoDataFrame,
    col: Collector,
    *,
    source_id: str,
    damage: str,
    scheme: str,
    structure: str | list[str] | None = None,
    date: str | None = None,
    admin: str | None = None,
    ids: Any = None,
    layer: str | None = None,
    locator_prefix: str = "feature",
    extra: dict[str, Any] | None = None,
    rounds: str | None = None,
) -> gpd.GeoDataFrame:
    """Map one layer's columns to the structures contract; reject what cannot be kept.

    Rejects: unknown damage labels (the reason lists the scheme's known labels), missing
    damage labels, missing or empty geometry, non-finite or impossible coordinates, and
    shapes a short ``.dbf`` has no record for. ``structure`` may name several columns: the
    first sets the type and later ones refine it where they name a specific, known type
    (Copernicus ``info`` refines ``obj_type``).

    Parameters
    ----------
    frame
        The layer as read (:func:`damage_data.readers._layers.read_layer`).
    col
        The read's bookkeeping: rows read, rejects and warnings are added to it.
    source_id
        The source every structure comes from.
    damage, scheme
        The damage column and the crosswalk of its labels.
    structure, date, admin, rounds
        Columns of the structure type(s), assessment date, the source's admin label and the
        assessment round, when the layer has them.
    ids
        Structure ids, one per feature (default: the feature's position).
    layer
        Layer name, written into locators and a ``layer`` column.
    locator_prefix
        The word before a feature's position in reject locators.
    extra
        More columns to carry over (a Series is filtered like the features).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per kept feature, in the structures contract.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> from pathlib import Path
    >>> frame = gpd.GeoDataFrame(
    ...     {"damage": ["Destroyed", "Flattened"]},
    ...     geometry=[shapely.Point(46.9, 39.6), shapely.Point(47.0, 39.7)], crs="EPSG:4326")
    >>> col = Collector(path=Path("layer.geojson"))
    >>> out = to_structures(frame, col, source_id="s1", damage="damage", scheme="unosat")
    >>> out["damage"].tolist(), col.rows_read, [r["locator"] for r in col.rejects]
    (['destroyed'], 2, ['feature 1'])
    """
    col.rows_read += len(frame)
    prefix = f"{layer}: {locator_prefix}" if layer else locator_prefix
    dmg, bad = _classify_or_reject(frame, col, damage, scheme, prefix)
    keep = ~bad
    kept = int(keep.sum())
    out: dict[str, Any] = {
        "source_id": constant_category(source_id, kept),
        "damage": dmg[keep].reset_index(drop=True),
        "damage_text": _text(frame[damage])[keep].reset_index(drop=True),
        "structure_id": _id_strings(
            np.arange(len(frame))[keep] if ids is None else np.asarray(ids)[keep],
            prefix=f"{layer}:" if layer and ids is None else "",
        ),
    }
    structure_cols = [structure] if isinstance(structure, str) else list(structure or [])
    if structure_cols:
        struct, text = _structure_of(frame, structure_cols, col)
        out["structure"] = struct[keep].reset_index(drop=True)
        out["structure_text"] = text[keep].reset_index(drop=True)
    else:
        out["structure"] = constant_category("any", kept)
    # typed empty columns keep the contract's coercion cheap on millions of rows
    if date is not None:
        dates = parse_dates(frame[date])
        report_dates(frame[date], dates, keep, col, date)
        out["assessed_on"] = dates[keep].reset_index(drop=True)
    else:
        out["assessed_on"] = pd.Series(pd.NaT, index=range(kept), dtype="datetime64[ns]")
    out["round"] = (
        pd.to_numeric(frame[rounds], errors="coerce")
        .round()
        .astype("Int64")[keep]
        .reset_index(drop=True)
        if rounds is not None
        else pd.array(np.full(kept, None), dtype="Int64")
    )
    if admin is not None:
        out["admin_label"] = _text(frame[admin])[keep].reset_index(drop=True)
    if layer is not None:
        out["layer"] = constant_category(layer, kept)
    for name, value in (extra or {}).items():
        out[name] = value[keep].reset_index(drop=True) if isinstance(value, pd.Series) else value
    geometry = frame.geometry[keep].reset_index(drop=True).values
    return make_structures(pd.DataFrame(out), geometry, frame.crs)


def _classify_or_reject(
    frame: gpd.GeoDataFrame, col: Collector, damage: str, scheme: str, prefix: str
) -> tuple[pd.Series, np.ndarray]:
    """Every feature's canonical damage, and the mask of features rejected with a reason."""
    no_record = shapes_without_record(frame, col, prefix)
    dmg, unknown, reason = classify_column(frame[damage], scheme)
    bad_damage = unknown.to_numpy(dtype=bool) & ~no_record
    # a structure with no damage class cannot be counted: rejected, never read as "none"
    blank = frame[damage].isna() | frame[damage].astype("string").str.strip().eq("").fillna(False)
    blank = blank.to_numpy(dtype=bool) & ~bad_damage & ~no_record
    for i in np.flatnonzero(blank):
        col.reject(f"{prefix} {i}", damage, None, _MISSING_DAMAGE)
    for i in np.flatnonzero(bad_damage):
        col.reject(f"{prefix} {i}", damage, frame[damage].iloc[i], reason)
    no_geometry, bad_geometry = _reject_geometries(
        frame, col, prefix, bad_damage | blank | no_record
    )
    bad = bad_damage | blank | no_record | bad_geometry
    invalid = _invalid_polygons(frame.geometry, bad)
    if invalid:
        col.warn(
            f"{invalid} polygon(s) are invalid (self-intersecting or badly ringed); kept as "
            "structures, but their areas and overlays may be wrong (shapely.make_valid fixes "
            "them)"
        )
    if no_geometry.any() and no_geometry[-1] and not no_record.any():
        placed = np.flatnonzero(~no_geometry)
        trailing = len(frame) - int(placed[-1]) - 1 if len(placed) else len(frame)
        if trailing > 1:
            shapefile = Path(str(col.path)).suffix.lower() in (".shp", ".dbf", ".zip")
            col.warn(
                f"the last {trailing} features have no geometry: "
                + (
                    "the file may be truncated (a .shp shorter than its .dbf?)"
                    if shapefile
                    else "their rows have no coordinates (the file may be truncated, or "
                    "those rows are not structures)"
                )
            )
    return dmg, bad


def shapes_without_record(frame: pd.DataFrame, col: Collector, prefix: str) -> np.ndarray:
    """Rows that :func:`read_layer` added for shapes a short ``.dbf`` has no record for.

    Each is rejected (:data:`NO_RECORD`), with one warning; the mask marks them.
    """
    no_record = np.zeros(len(frame), dtype=bool)
    if "no_record" not in frame.attrs:
        return no_record
    first, shapes = frame.attrs["no_record"]
    no_record[first:] = True
    for k in range(first, len(frame)):
        col.reject(f"{prefix} {k}", None, None, NO_RECORD)
    col.warn(
        f"the .dbf holds {first:,} records for {shapes:,} shapes: {shapes - first:,} "
        "shapes have no attributes and are rejected (a .dbf cut short?)"
    )
    return no_record


def _reject_geometries(
    frame: gpd.GeoDataFrame, col: Collector, prefix: str, rejected: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Reject missing, non-finite and out-of-range geometries of features not yet rejected.

    Returns the mask of missing geometries (none in an attribute table, whose structures
    are kept without a place) and the mask of every feature whose geometry is unusable.
    """
    geom = frame.geometry
    no_geom = (geom.isna() | geom.is_empty).to_numpy()
    if frame.attrs.get("attributes_only"):
        no_geom = np.zeros(len(frame), dtype=bool)
        col.warn(
            "no geometry in this file (an attribute table): its structures cannot be placed "
            "in units; they are counted as outside every unit"
        )
    non_finite, outside = out_of_range(geom, frame.crs)
    missing = _MISSING_GEOMETRY
    if frame.attrs.get("no_geometry_read"):
        missing += (
            " (none could be read from this file; a GML geometry given only by "
            "xlink:href is never followed)"
        )
    for i in np.flatnonzero(no_geom & ~rejected):
        col.reject(f"{prefix} {i}", "geometry", None, missing)
    for i in np.flatnonzero((non_finite | outside) & ~rejected):
        col.reject(
            f"{prefix} {i}",
            "geometry",
            _clip_wkt(geom.iloc[i]),
            "non-finite coordinates (NaN or infinity)"
            if non_finite[i]
            else f"coordinates outside longitude/latitude range for {frame.crs.name}: "
            "projected coordinates without their CRS, or swapped axes",
        )
    if len(outside) and outside.all():
        col.warn(
            "every feature is outside longitude/latitude range although the CRS is "
            "geographic: the coordinates are projected and the CRS is missing or wrong "
            "(GeoJSON is always WGS 84); re-export the file with its real CRS"
        )
    return no_geom, no_geom | non_finite | outside


def _clip_wkt(geometry: Any, width: int = 80) -> str:
    text = str(getattr(geometry, "wkt", geometry))
    return text if len(text) <= width else text[: width - 1] + "…"


def _invalid_polygons(geom: Any, bad: np.ndarray) -> int:
    """How many kept polygons are invalid (points are skipped: they are cheap to trust)."""
    import shapely

    values = np.asarray(geom.values)[~bad]
    types = shapely.get_type_id(values)
    polygonal = (types == 3) | (types == 6)  # Polygon, MultiPolygon
    if not polygonal.any():
        return 0
    return int((~shapely.is_valid(values[polygonal])).sum())


def _text(series: pd.Series) -> pd.Series:
    """Labels as written, stripped; categorical so that millions of rows stay cheap."""
    as_cat = series if isinstance(series.dtype, pd.CategoricalDtype) else series.astype("category")
    # codes read as floats (a column with gaps) are written as the integers they are
    stripped = [
        str(int(c)) if isinstance(c, float) and c.is_integer() else str(c).strip()
        for c in as_cat.cat.categories
    ]
    if len(set(stripped)) == len(stripped):
        return as_cat.cat.rename_categories(stripped)
    return series.astype("string").str.strip()


def _id_strings(values: np.ndarray, *, prefix: str = "") -> pd.arrays.StringArray:
    """Ids as a string array (Arrow's cast is ten times faster than numpy's on 1M ints)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if (
        values.dtype.kind == "f"
        and np.isfinite(values).all()
        and (values == np.round(values)).all()
    ):
        values = values.astype(np.int64)  # ids read as floats: 12.0 is id "12"
    arr = (
        pa.array(values).cast(pa.string())
        if values.dtype != object
        else pa.array([str(v) for v in values], type=pa.string())
    )
    if prefix:
        arr = pc.binary_join_element_wise(pa.scalar(prefix), arr, "")
    strings: pd.arrays.StringArray = pd.array(arr, dtype="string")
    return strings


def _structure_of(
    frame: pd.DataFrame, columns: list[str], col: Collector
) -> tuple[pd.Series, pd.Series]:
    """Canonical structure and its native text; later columns refine earlier ones.

    Works on integer codes throughout: each distinct label is classified once, and millions
    of rows only move small integers.
    """
    types = list(STRUCTURE_TYPES)
    any_code = types.index("any")
    structure = np.full(len(frame), any_code, dtype=np.int16)
    text_codes = np.full(len(frame), -1, dtype=np.int64)
    all_texts: list[str] = []
    unknown: set[str] = set()
    for i, column in enumerate(columns):
        raw_cat = frame[column].astype("category")
        texts = [str(c).strip() for c in raw_cat.cat.categories]
        lut = np.full(len(texts) + 1, -1, dtype=np.int16)  # -1: missing or a placeholder
        for k, cat in enumerate(texts):
            if cat.casefold() in SENTINELS:
                continue
            try:
                lut[k] = types.index(str(classify_structure([cat]).iloc[0]))
            except UnknownLabelError:
                # counted below, never rejected: "other" for the main column; an unknown
                # refinement refines nothing
                lut[k] = types.index("other") if i == 0 else -1
                unknown.add(f"{column}={cat}")
        codes = raw_cat.cat.codes.to_numpy()
        mapped = lut[codes]  # codes of -1 (missing) index the last, missing slot
        own_text = np.where(codes >= 0, codes + len(all_texts), -1)
        all_texts.extend(texts)
        # the first column sets the type; a refinement only replaces it when it says
        # something ("997-Not Applicable" → any does not overwrite "11-Residential ...")
        better = (mapped >= 0) if i == 0 else (mapped >= 0) & (mapped != any_code)
        structure = np.where(better, mapped, structure)
        text_codes = np.where(better | ((i == 0) & (codes >= 0)), own_text, text_codes)
    if unknown:
        col.warn(unknown_structures_warning(unknown))
    # the same text may come from two columns: categories must be unique
    distinct = list(dict.fromkeys(all_texts))
    remap = np.array([distinct.index(t) for t in all_texts] + [-1], dtype=np.int64)
    text = pd.Categorical.from_codes(remap[text_codes], categories=pd.Index(distinct))
    return (
        pd.Series(pd.Categorical.from_codes(structure, dtype=STRUCTURE_DTYPE), index=frame.index),
        pd.Series(text, index=frame.index),
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
    """Map a generic layer (already with geometry) to structures.

    The structure, date, admin-label, id and round columns are the user's
    (``ctx.columns``) or found by name; the columns used go to the report
    (``columns_used``), and graded features that are not buildings become ``not_structure``.

    Parameters
    ----------
    raw
        The layer as read.
    ctx
        The read's options and bookkeeping.
    damage, scheme
        The damage column and the crosswalk of its labels.
    layer
        Layer name for locators and the ``layer`` column (``None`` for a single layer).
    path_for_crs
        The file named in CRS errors.

    Returns
    -------
    geopandas.GeoDataFrame
        The kept features in the structures contract.

    Examples
    --------
    >>> from pathlib import Path
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> from damage_data.limits import DEFAULT_LIMITS
    >>> from damage_data.readers._result import Collector
    >>> raw = gpd.GeoDataFrame({"damage": ["destroyed", "severe", "???"]},
    ...                        geometry=[Point(46.9, 39.6)] * 3, crs="EPSG:4326")
    >>> ctx = Context(path=Path("s.geojson"), target=Path("s.geojson"), source_id="s1",
    ...               limits=DEFAULT_LIMITS, collector=Collector(path=Path("s.geojson")))
    >>> kept = structures_from_generic(raw, ctx, damage="damage", scheme="canonical",
    ...                                layer=None, path_for_crs="s.geojson")
    >>> kept["damage"].astype(str).tolist(), len(ctx.collector.rejects)
    (['destroyed', 'severe'], 1)
    """
    col = ctx.collector
    frame = ensure_crs(raw, col, Path(str(path_for_crs)))
    names = [c for c in frame.columns if c != "geometry"]
    structure = ctx.column("structure") or find_column(names, STRUCTURE_COLUMNS)
    date = ctx.column("date") or find_column(names, DATE_COLUMNS)
    admin = ctx.column("admin") or find_column(names, ADMIN_COLUMNS)
    id_col = ctx.column("id") or find_column(names, ID_COLUMNS)
    rounds = find_column(names, ("round", "round_no", "assessment_round", "revisit"))
    # (GeoParquet is counted by the streaming path, which reads no attributes it does not
    # need: both paths must agree, so there the rows are the structures, as written)
    parquet = Path(str(path_for_crs)).suffix.lower() in (".parquet", ".geoparquet", ".pq")
    if id_col is not None and not ctx.column("id") and not _identifies(frame, id_col, date):
        # Syria 2015's SiteID holds the site *type* ("Building"): no identifier
        col.extra.setdefault("ignored_id", id_col)
        id_col = None
    ids = None if id_col is not None or parquet else _repeated_features(frame, col, date)
    if id_col is not None and frame[id_col].notna().all():
        # repeated ids are the same structure seen again: kept, then counted once (rule R4)
        ids = frame[id_col].to_numpy()
    used = (
        ("damage", damage),
        ("structure", structure),
        ("date", date),
        ("admin", admin),
        ("id", id_col),
        ("round", rounds),
    )
    col.extra.setdefault("columns_used", {}).update({k: v for k, v in used if v})
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


def _identifies(frame: pd.DataFrame, column: str, date: str | None) -> bool:
    """Whether a column found by its name ("SiteID") identifies structures: each value at
    most once per assessment date (once in all, without dates)."""
    values = frame[column].astype("string")
    if values.isna().any():
        return False
    if date is None:
        return bool(values.is_unique)
    return not bool(
        pd.DataFrame({"v": values, "d": frame[date].astype("string")}).duplicated().any()
    )


def _repeated_features(
    frame: gpd.GeoDataFrame, col: Collector, date: str | None = None
) -> np.ndarray | None:
    """Feature ids where some features repeat an earlier one exactly (the same geometry and
    the same attributes): a structure listed twice, given the first one's id so that it is
    counted once (DESIGN §4 rule 4); ``None`` when none repeats (Mariupol demolition map:
    six buildings listed twice, 450 counted for 444).

    Points are compared by their coordinates first (cheap on millions), other shapes by
    their WKB; only features whose shape repeats have their attributes compared. With a
    ``date`` column, one shape at several dates (once per date) is one structure revisited.
    """
    import shapely

    if len(frame) < 2:
        return None
    shapes = frame.geometry.to_numpy()
    if (shapely.get_type_id(shapes) == 0).all():
        x, y = shapely.get_x(shapes), shapely.get_y(shapes)
        # one integer per point (its two floats' bits mixed): a hash table of integers is
        # ten times faster than one of float pairs; a collision only adds a candidate
        mixed = x.view(np.int64) * np.int64(1_000_003) ^ y.view(np.int64)
        if pd.Index(mixed).is_unique:  # the usual case, and the cheapest question
            return None
        same_place = pd.Series(mixed).duplicated(keep=False).to_numpy()
        if not same_place.any():
            return None
        where = pd.DataFrame({"x": x, "y": y})
    else:
        where = pd.DataFrame({"wkb": shapely.to_wkb(shapes)})
        same_place = where.duplicated(keep=False).to_numpy()
        if not same_place.any():
            return None
    attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name)).astype(str)
    key = pd.concat([where, attributes.reset_index(drop=True)], axis=1)[same_place]
    first = key.groupby(list(key.columns), sort=False, dropna=False).ngroup()
    rows = np.flatnonzero(same_place)
    firsts = pd.Series(rows).groupby(first.to_numpy()).transform("min").to_numpy()
    revisits = 0
    if date is not None:
        # one shape assessed on several dates, once on each, without an id: the same
        # structure seen again (a UNOSAT comparison layer), counted once in its latest state
        spot = where[same_place].groupby(list(where.columns), sort=False).ngroup().to_numpy()
        days = attributes[date].to_numpy()[rows]
        per_spot = pd.DataFrame({"spot": spot, "day": days, "row": rows})
        sizes = per_spot.groupby("spot")["row"].transform("size")
        distinct = per_spot.groupby("spot")["day"].transform("nunique")
        seen_again = (distinct == sizes).to_numpy()
        spot_first = per_spot.groupby("spot")["row"].transform("min").to_numpy()
        revisits = int((seen_again & (spot_first != rows)).sum())
        firsts = np.where(seen_again, spot_first, firsts)
    ids = np.arange(len(frame))
    ids[rows] = firsts
    repeated = int((ids != np.arange(len(frame))).sum())
    if not repeated:
        return None
    col.extra["repeated_features"] = repeated
    if repeated > revisits:
        col.warn(
            f"{repeated - revisits} feature(s) repeat an earlier feature exactly (the same "
            "place and the same attributes): the same structure listed twice, counted once"
        )
    if revisits:
        col.warn(
            f"{revisits} feature(s) repeat the shape of a feature assessed on another date "
            f"(column {date!r}) and there is no id column: read as the same structure seen "
            "again, counted once in its latest state; name an id column with --columns "
            "id=COLUMN if shapes are shared by several structures"
        )
    return ids


#: Copernicus EMS object-type codes: 1x are buildings; 2x civil works (roads, sports grounds),
#: 3x and above land and water features. Only buildings are structures.
_EMS_OBJ_TYPE = re.compile(r"^\s*(\d)\d*\s*-")


def not_buildings(frame: pd.DataFrame) -> pd.Series:
    """Rows whose Copernicus ``obj_type`` code says they are not buildings.

    >>> not_buildings(pd.DataFrame({"obj_type": ["11-Residential", "21-Road", None]})).tolist()
    [False, True, False]
    """
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
        out["damage"] = out["damage"].astype(DAMAGE_DTYPE)
        col.warn(
            f"{int(mask.sum())} graded features are not buildings (Copernicus obj_type "
            "other than 1x: roads, sports grounds, parks): kept as not_structure, never "
            "counted as damaged buildings"
        )
    return out


def combine(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """Concatenate structures of several layers, reprojecting to the first layer's CRS."""
    import geopandas as gpd

    if len(frames) == 1:
        return frames[0]
    crs = frames[0].crs
    same = [f if f.crs == crs else f.to_crs(crs) for f in frames]
    return gpd.GeoDataFrame(pd.concat(same, ignore_index=True), crs=crs)


def crs_name(frame: gpd.GeoDataFrame) -> str | None:
    """``EPSG:n`` of a frame's CRS (or its full string), ``None`` when unset."""
    if frame.crs is None:
        return None
    epsg = frame.crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else str(frame.crs.to_string())
