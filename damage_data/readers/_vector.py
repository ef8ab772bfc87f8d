"""Reading vector layers (pyogrio / GeoParquet) and turning one into a ``structures`` table.

Shared by the generic ``gis`` reader and the product readers (Copernicus EMS, UNOSAT):
listing layers of a file or an unpacked folder, CRS checks, and the column mapping
damage / structure / date / admin label → the structures contract.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._errors import InputError, UnknownLabelError
from ..limits import Limits, check_rows
from ..vocab import STRUCTURE_DTYPE, STRUCTURE_TYPES, classify_structure
from ._files import XML_SUFFIXES, refuse_xml_entities
from ._result import Collector, classify_column, constant_category, make_structures, pick_scheme

if TYPE_CHECKING:
    import geopandas as gpd

log = logging.getLogger("damage_data.readers")

#: File suffixes read as vector layers (inside folders and unpacked zips too).
VECTOR_SUFFIXES = (
    ".shp",
    ".gpkg",
    ".geojson",
    ".json",
    ".fgb",
    ".parquet",
    ".geoparquet",
    ".gml",
    ".kml",
    ".gpx",
    ".sqlite",
    ".dbf",
)
#: Column names that hold a damage class in generic per-structure files (folded).
DAMAGE_COLUMNS = (
    "damage",
    "damage_class",
    "damage_cls",
    "damage_clas",
    "damage_cla",
    "damageclass",
    "dmg_class",
    "dmg_cls",
    "dmgcls",
    "damage_gra",
    "damage_grade",
    "grading",
    "grade",
    "damage_level",
    "damage_state",
    "class",
    "subtype",
)
#: Column names that hold a structure type (folded), most specific first.
STRUCTURE_COLUMNS = (
    "structure",
    "structure_type",
    "structure_t",
    "building_type",
    "building_t",
    "buildingtype",
    "bldg_type",
    "obj_type",
    "settl_type",
    "use",
    "usage",
    "type",
)
DATE_COLUMNS = (
    "assessed_on",
    "date",
    "sensor_date",
    "sensordate",
    "src_date",
    "image_date",
    "capture_date",
)
ADMIN_COLUMNS = (
    "admin_label",
    "admin",
    "district",
    "municipality",
    "governorate",
    "adm2_en",
    "adm1_en",
    "region",
    "settlement",
)
#: Placeholder values of real products meaning "not stated" (Copernicus EMS, UNOSAT).
SENTINELS = ("not applicable", "unknown", "null", "unk", "n/a", "na", "none", "")
ID_COLUMNS = ("structure_id", "uid", "id", "building_id", "osm_id", "fid")


@dataclass(frozen=True)
class Layer:
    """One readable layer: the file it is in, its name, fields and feature count."""

    file: Path
    name: str
    fields: tuple[str, ...]
    geometry_type: str | None
    features: int
    crs: str | None

    @property
    def label(self) -> str:
        return self.name


def list_layers(path: Path) -> list[Layer]:
    """Every vector layer in a file or folder (``.kmz`` copies and sidecar files ignored)."""
    import pyogrio

    files: list[Path]
    if path.is_dir() and path.suffix.lower() != ".gdb":
        # a file geodatabase is a folder that GDAL reads as one dataset
        gdbs = sorted(p for p in path.rglob("*.gdb") if p.is_dir())
        files = gdbs + sorted(
            p
            for p in path.rglob("*")
            if p.suffix.lower() in VECTOR_SUFFIXES
            and not _is_sidecar_dbf(p)
            and not any(g in p.parents for g in gdbs)
        )
    else:
        files = [path]
    layers: list[Layer] = []
    for file in files:
        if file.suffix.lower() in (".parquet", ".geoparquet"):
            layers.append(_parquet_layer(file))
            continue
        if file.suffix.lower() in XML_SUFFIXES:
            # before GDAL sees it: entities could read local files or expand without bound
            refuse_xml_entities(file)
        if file.suffix.lower() == ".shp":
            _require_dbf(file)
        try:
            names = [str(n) for n, _ in pyogrio.list_layers(file)]
        except Exception as err:  # pyogrio raises its own DataSourceError subclasses
            if path.is_dir() and file != path:
                # one broken member must not hide the readable ones, but it is said
                log.warning("%s: skipped, not readable (%s)", file.name, _short(err))
                continue
            raise InputError(
                f"{file}: cannot be read: unsupported, corrupt or truncated (GDAL: "
                f"{_short(err).split(';')[0]}). Check that the file is complete, or pass "
                "--kind; `damage-data formats` lists what is read.",
                path=str(file),
            ) from err
        for name in names:
            info = pyogrio.read_info(file, layer=name)
            layers.append(
                Layer(
                    file,
                    name,
                    tuple(map(str, info["fields"])),
                    info.get("geometry_type"),
                    int(info.get("features") or 0),
                    info.get("crs"),
                )
            )
    return layers


def _require_dbf(shp: Path) -> None:
    """A shapefile's attributes (the damage column) live in its .dbf: say so when it is gone."""
    if not any(shp.with_suffix(ext).exists() for ext in (".dbf", ".DBF")):
        raise InputError(
            f"{shp}: the shapefile has no {shp.stem}.dbf beside it; the .dbf holds every "
            "attribute (the damage class among them). Copy the .dbf (and .shx, .prj, .cpg) "
            "from the same download into the folder.",
            path=str(shp),
        )


def _is_sidecar_dbf(path: Path) -> bool:
    return (path.suffix.lower() == ".dbf" and path.with_suffix(".shp").exists()) or (
        path.suffix.lower() == ".dbf" and path.with_suffix(".SHP").exists()
    )


def _parquet_layer(file: Path) -> Layer:
    import pyarrow.parquet as pq

    try:
        meta = pq.read_metadata(file)
        schema = pq.read_schema(file)
    except Exception as err:  # pyarrow raises ArrowInvalid and OSError variants
        raise InputError(
            f"{file}: not a readable Parquet file ({_short(err)}).", path=str(file)
        ) from err
    geo = (schema.metadata or {}).get(b"geo")
    fields = tuple(n for n in schema.names if n != "geometry")
    return Layer(file, file.stem, fields, "Unknown" if geo else None, meta.num_rows, None)


def _short(err: Exception) -> str:
    return str(err).splitlines()[0][:200] if str(err) else type(err).__name__


def read_layer(
    layer: Layer,
    limits: Limits,
    *,
    columns: list[str] | None = None,
    encoding: str | None = None,
) -> gpd.GeoDataFrame:
    """Read one layer as a GeoDataFrame (Arrow where it helps), enforcing the row limit."""
    import geopandas as gpd
    import pyogrio

    check_rows(layer.features, layer.file, limits)
    if layer.file.suffix.lower() in (".parquet", ".geoparquet"):
        try:
            return gpd.read_parquet(layer.file, columns=columns)
        except Exception as err:  # no geo metadata, or corrupt
            raise InputError(
                f"{layer.file}: cannot read as GeoParquet ({_short(err)}).", path=str(layer.file)
            ) from err
    kwargs: dict[str, Any] = {"layer": layer.name}
    if columns is not None:
        kwargs["columns"] = columns
    if encoding is not None:
        # the user's word wins over .cpg and the DBF's LDID byte (GDAL reads a DBF with
        # neither as latin-1, which is what real EMS products are)
        kwargs["encoding"] = encoding
    try:
        # Arrow is 3x faster on GeoPackage; GeoJSON gains nothing and loses column order
        # Arrow passes a legacy DBF's bytes through undecoded: without a .cpg (or the
        # user's encoding) a shapefile is read the classic way, where GDAL's guess applies
        suffix = layer.file.suffix.lower()
        use_arrow = suffix in (".gpkg", ".fgb") or (
            suffix == ".shp" and (encoding is not None or _has_cpg(layer.file))
        )
        frame = pyogrio.read_dataframe(layer.file, use_arrow=use_arrow, **kwargs)
    except Exception as err:
        raise InputError(
            f"{layer.file}: layer {layer.name!r} cannot be read ({_short(err)}); the file "
            "may be truncated or corrupt.",
            path=str(layer.file),
        ) from err
    if not isinstance(frame, gpd.GeoDataFrame) or frame._geometry_column_name not in frame:
        # an attribute table (a .dbf without its .shp): structures without a place, kept
        # and counted, never rejected for a geometry the file never had
        frame = gpd.GeoDataFrame(
            pd.DataFrame(frame), geometry=gpd.GeoSeries([None] * len(frame)), crs="EPSG:4326"
        )
        frame.attrs["attributes_only"] = True
    if suffix in _NESTED_SUFFIXES:
        frame = _flatten_nested(frame)
    return frame


#: Formats whose attributes may hold arrays or objects (GDAL's JSON and list fields).
_NESTED_SUFFIXES = (".json", ".geojson", ".geojsonl", ".gml", ".kml", ".gpx")


def _flat(value: Any, dumps: Any) -> Any:
    """One element is that element; anything longer is its JSON text."""
    items = value.tolist() if isinstance(value, np.ndarray) else value
    if isinstance(items, list) and len(items) == 1 and not isinstance(items[0], list | dict):
        # GDAL makes a whole field a list type when one feature holds a list: every other
        # feature's plain value then arrives as a one-element list
        return items[0]
    return dumps(items, default=str)


def _flatten_nested(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Arrays and objects in attributes become their JSON text: labels must be hashable."""
    import json

    nested_types = (list, dict, np.ndarray)
    out = frame
    for name in frame.columns:
        if name == frame.geometry.name or frame[name].dtype != object:
            continue
        values = frame[name].to_numpy()
        if any(isinstance(v, nested_types) for v in values):
            if out is frame:
                out = frame.copy()
            out[name] = [_flat(v, json.dumps) if isinstance(v, nested_types) else v for v in values]
    return out


def _has_cpg(shp: Path) -> bool:
    return shp.with_suffix(".cpg").exists() or shp.with_suffix(".CPG").exists()


def fold_name(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")


def find_column(columns: list[str] | tuple[str, ...], candidates: tuple[str, ...]) -> str | None:
    """The first column (in candidate order) whose folded name is a candidate."""
    folded = {fold_name(c): c for c in columns}
    for cand in candidates:
        if cand in folded:
            return folded[cand]
    return None


def damage_column(frame: pd.DataFrame, given: str | None = None) -> tuple[str, str] | None:
    """The column holding damage classes and the scheme that knows its labels.

    A candidate counts only when most of its distinct values are known damage labels
    (a ``class`` column of land-cover names is not damage).
    """
    names = [given] if given else [c for c in frame.columns if c != "geometry"]
    folded = {fold_name(c): c for c in names}
    order = [folded[c] for c in DAMAGE_COLUMNS if c in folded] if not given else names
    for column in order:
        values = pd.Series(frame[column].dropna().unique()[:500]).astype(str).unique()
        if len(values) == 0:
            continue
        scheme, known = pick_scheme(values)
        if given or known >= max(1, 0.5 * len(values)):
            return column, scheme
    return None


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

    Rejects: unknown damage labels (the reason lists the scheme's known labels) and
    missing or empty geometry. ``structure`` may name several columns: the first sets the
    type and later ones refine it where they name a specific, known type (Copernicus
    ``info`` refines ``obj_type``).
    """
    n = len(frame)
    col.rows_read += n
    prefix = f"{layer}: {locator_prefix}" if layer else locator_prefix
    positions = np.arange(n)

    dmg, bad_damage, reason = classify_column(frame[damage], scheme)
    # a structure with no damage class cannot be counted: rejected, never read as "none"
    blank = frame[damage].isna() | frame[damage].astype("string").str.strip().eq("").fillna(False)
    blank = blank.to_numpy(dtype=bool) & ~bad_damage.to_numpy()
    for i in np.flatnonzero(blank):
        col.reject(f"{prefix} {i}", damage, None, _MISSING_DAMAGE)
    geom = frame.geometry
    no_geom = (geom.isna() | geom.is_empty).to_numpy()
    if frame.attrs.get("attributes_only"):
        no_geom = np.zeros(n, dtype=bool)
        col.warn(
            "no geometry in this file (an attribute table): its structures cannot be placed "
            "in units; they are counted as outside every unit"
        )
    non_finite, outside = out_of_range(geom, frame.crs)
    bad = bad_damage.to_numpy() | blank | no_geom | non_finite | outside
    if bad.any():
        for i in np.flatnonzero(bad_damage.to_numpy()):
            col.reject(f"{prefix} {i}", damage, frame[damage].iloc[i], reason)
        for i in np.flatnonzero(no_geom & ~bad_damage.to_numpy() & ~blank):
            col.reject(
                f"{prefix} {i}",
                "geometry",
                None,
                "missing geometry: a structure needs a point or polygon",
            )
        for i in np.flatnonzero((non_finite | outside) & ~bad_damage.to_numpy() & ~blank):
            col.reject(
                f"{prefix} {i}",
                "geometry",
                _clip_wkt(geom.iloc[i]),
                "non-finite coordinates (NaN or infinity)"
                if non_finite[i]
                else f"coordinates outside longitude/latitude range for {frame.crs.name}: "
                "projected coordinates without their CRS, or swapped axes",
            )
        if outside.all():
            col.warn(
                "every feature is outside longitude/latitude range although the CRS is "
                "geographic: the coordinates are projected and the CRS is missing or wrong "
                "(GeoJSON is always WGS 84); re-export the file with its real CRS"
            )
    invalid = _invalid_polygons(geom, bad)
    if invalid:
        col.warn(
            f"{invalid} polygon(s) are invalid (self-intersecting or badly ringed); kept as "
            "structures, but their areas and overlays may be wrong (shapely.make_valid fixes "
            "them)"
        )
    if no_geom.any() and no_geom[-1]:
        trailing = n - int(np.flatnonzero(~no_geom)[-1]) - 1 if (~no_geom).any() else n
        if trailing > 1:
            col.warn(
                f"the last {trailing} features have no geometry: the file may be truncated "
                "(a .shp shorter than its .dbf?)"
            )
    keep = ~bad
    out: dict[str, Any] = {
        "source_id": constant_category(source_id, int(keep.sum())),
        "damage": dmg[keep].reset_index(drop=True),
        "damage_text": _text(frame[damage])[keep].reset_index(drop=True),
    }
    out["structure_id"] = _id_strings(
        positions[keep] if ids is None else np.asarray(ids)[keep],
        prefix=f"{layer}:" if layer and ids is None else "",
    )
    structure_cols = [structure] if isinstance(structure, str) else list(structure or [])
    if structure_cols:
        struct, text = _structure_of(frame, structure_cols, col)
        out["structure"] = struct[keep].reset_index(drop=True)
        out["structure_text"] = text[keep].reset_index(drop=True)
    else:
        out["structure"] = constant_category("any", int(keep.sum()))
    # typed empty columns keep the contract's coercion cheap on millions of rows
    out["assessed_on"] = (
        parse_dates(frame[date])[keep].reset_index(drop=True)
        if date is not None
        else pd.Series(pd.NaT, index=range(int(keep.sum())), dtype="datetime64[ns]")
    )
    out["round"] = (
        pd.to_numeric(frame[rounds], errors="coerce")
        .round()
        .astype("Int64")[keep]
        .reset_index(drop=True)
        if rounds is not None
        else pd.array(np.full(int(keep.sum()), None), dtype="Int64")
    )
    if admin is not None:
        out["admin_label"] = _text(frame[admin])[keep].reset_index(drop=True)
    if layer is not None:
        out["layer"] = constant_category(layer, int(keep.sum()))
    for name, value in (extra or {}).items():
        out[name] = value[keep].reset_index(drop=True) if isinstance(value, pd.Series) else value
    table = pd.DataFrame(out)
    return make_structures(table, geom[keep].reset_index(drop=True).values, frame.crs)


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
    return pd.array(arr, dtype="string")


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
        col.warn(
            "structure labels not in data/vocab/structure_crosswalk.csv (counted as 'other', "
            f"or left unrefined): {', '.join(sorted(unknown)[:10])}"
        )
    # the same text may come from two columns: categories must be unique
    distinct = list(dict.fromkeys(all_texts))
    remap = np.array([distinct.index(t) for t in all_texts] + [-1], dtype=np.int64)
    text = pd.Categorical.from_codes(remap[text_codes], categories=pd.Index(distinct))
    return (
        pd.Series(pd.Categorical.from_codes(structure, dtype=STRUCTURE_DTYPE), index=frame.index),
        pd.Series(text, index=frame.index),
    )


def parse_dates(series: pd.Series) -> pd.Series:
    """Dates written as ``2015/04/26``, ``20161027``, ISO strings or real dates."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return series
    text = series.astype("string").str.strip()
    compact = text.str.fullmatch(r"\d{8}").fillna(False)
    out = pd.to_datetime(text.where(~compact), errors="coerce", format="mixed")
    if compact.any():
        out = out.where(
            ~compact, pd.to_datetime(text.where(compact), errors="coerce", format="%Y%m%d")
        )
    return out
