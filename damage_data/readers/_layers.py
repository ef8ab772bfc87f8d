"""Listing and opening the layers of vector files, under the readers' limits.

A file, a folder or an unpacked zip is listed as :class:`Layer` objects (one copy of a
layer shipped in two formats, GeoPackages of many layers listed through SQLite, GeoParquet
checked before it is opened); :func:`read_layer` reads one as a GeoDataFrame with GDAL
offline, never losing the shapes a short ``.dbf`` has no record for.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import numpy as np
import pandas as pd

from .._errors import InputError, LimitExceededError
from .._gdal import offline
from ..limits import DEFAULT_LIMITS, Limits, check_rows
from ._files import XML_SUFFIXES, refuse_xml_entities, short_error
from ._parquet import check_geoparquet
from ._result import Collector

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


def list_layers(
    path: Path, limits: Limits | None = None, col: Collector | None = None
) -> list[Layer]:
    """Every vector layer in a file or folder (``.kmz`` copies and sidecar files ignored).

    In a folder (an unpacked zip), the same layer shipped in two formats (a product's
    ``buildings.shp`` beside its ``buildings.geojson``) is one layer: only one copy is
    listed, with a warning (to ``col`` when given). A file of more than
    ``limits.max_layers`` layers is refused: listing and reading each layer reopens the
    file, whose opening cost grows with its layer count.
    """
    limits = limits or DEFAULT_LIMITS
    with offline():
        layers, notes = _listing(path, limits)
    for note in notes:
        if col is None:
            log.debug("%s: %s", path, note)
        elif note not in col.warnings:
            col.warn(note)
    return layers


def _listing(path: Path, limits: Limits) -> tuple[list[Layer], list[str]]:
    """The layers of ``path`` and notes about copies left out (cached per file state)."""
    try:
        key = (str(path.absolute()), limits, _state_of(path))
    except OSError:
        return _list_uncached(path, limits)
    found = _LISTINGS.get(key)
    if found is None:
        found = _list_uncached(path, limits)
        _LISTINGS.clear()  # one entry: detection and reading of the same input share it
        _LISTINGS[key] = found
    return list(found[0]), list(found[1])


_LISTINGS: dict[tuple[Any, ...], tuple[list[Layer], list[str]]] = {}


def _state_of(path: Path) -> tuple[Any, ...]:
    """What changes when a file or folder changes (name, size, modification time, inode)."""
    files = [path] if not path.is_dir() else sorted(p for p in path.rglob("*") if p.is_file())
    return tuple(
        (str(f), st.st_size, st.st_mtime_ns, st.st_ino) for f in files for st in (f.stat(),)
    )


def _list_uncached(path: Path, limits: Limits) -> tuple[list[Layer], list[str]]:
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
            layers.append(_parquet_layer(file, limits))
            continue
        if file.suffix.lower() in XML_SUFFIXES:
            # before GDAL sees it: entities could read local files or expand without bound
            refuse_xml_entities(file)
        if file.suffix.lower() == ".shp":
            _require_dbf(file)
        try:
            # absolute: a name like WFS:x or /vsicurl/… is a file here, never a driver prefix
            names = [str(n) for n, _ in pyogrio.list_layers(file.absolute())]
            if len(names) > limits.max_layers:
                raise LimitExceededError(
                    f"{file}: {len(names):,} layers, over the limit of {limits.max_layers:,} "
                    "layers in one file; pass limits=Limits(max_layers=...) if the file is "
                    "trusted (each layer is read by reopening the file).",
                    path=str(file),
                )
            found = _layers_of(file, names)
        except Exception as err:  # pyogrio raises its own DataSourceError subclasses
            if isinstance(err, InputError):
                raise
            if path.is_dir() and file != path:
                # one broken member must not hide the readable ones, but it is said
                log.warning("%s: skipped, not readable (%s)", file.name, short_error(err))
                continue
            raise InputError(
                f"{file}: cannot be read: unsupported, corrupt or truncated (GDAL: "
                f"{short_error(err).split(';')[0]}). Check that the file is complete, or pass "
                "--kind; `damage-data formats` lists what is read.",
                path=str(file),
            ) from err
        layers.extend(found)
    notes: list[str] = []
    if path.is_dir():
        layers, notes = _one_copy_per_layer(layers)
    return layers, notes


#: Above this many layers, a GeoPackage is listed with one SQLite connection instead of
#: one GDAL open per layer (GDAL's open reads every layer's metadata: quadratic).
GPKG_DIRECT_LISTING = 16


def _layers_of(file: Path, names: list[str]) -> list[Layer]:
    import pyogrio

    if file.suffix.lower() == ".gpkg" and len(names) > GPKG_DIRECT_LISTING:
        direct = _gpkg_layers(file, names)
        if direct is not None:
            return direct
    layers = []
    for name in names:
        info = pyogrio.read_info(file.absolute(), layer=name)
        features = int(info.get("features") or 0)
        if file.suffix.lower() == ".shp":
            features = max(features, shape_count(file))
        layers.append(
            Layer(
                file,
                name,
                tuple(map(str, info["fields"])),
                info.get("geometry_type"),
                features,
                info.get("crs"),
            )
        )
    return layers


def _gpkg_layers(file: Path, names: list[str]) -> list[Layer] | None:
    """The layers of a GeoPackage read from its tables directly (``None`` if it cannot be)."""
    try:
        con = sqlite3.connect(f"file:{quote(str(file))}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        geometry = {
            str(t): (str(c), str(g))
            for t, c, g in con.execute(
                "SELECT table_name, column_name, geometry_type_name FROM gpkg_geometry_columns"
            )
        }
        crs = {
            str(t): f"{o}:{c}" if o and c is not None else None
            for t, o, c in con.execute(
                "SELECT t.table_name, s.organization, s.organization_coordsys_id "
                "FROM gpkg_contents t LEFT JOIN gpkg_spatial_ref_sys s ON t.srs_id = s.srs_id"
            )
        }
        try:
            counts = dict(con.execute("SELECT table_name, feature_count FROM gpkg_ogr_contents"))
        except sqlite3.Error:
            counts = {}
        layers = []
        for name in names:
            quoted = '"' + name.replace('"', '""') + '"'
            columns = con.execute(f"PRAGMA table_info({quoted})").fetchall()
            if not columns:
                return None
            geom_col, geom_type = geometry.get(name, ("", None))
            fields = tuple(
                str(c[1])
                for c in columns
                if c[1] != geom_col and not (c[5] and str(c[2]).upper() == "INTEGER")
            )
            n = counts.get(name)
            if n is None:
                n = con.execute(f"SELECT COUNT(*) FROM {quoted}").fetchone()[0]
            layers.append(
                Layer(
                    file,
                    name,
                    fields,
                    geom_type.title() if geom_type else None,
                    int(n),
                    crs.get(name),
                )
            )
        return layers
    except sqlite3.Error:
        return None
    finally:
        con.close()


#: Formats preferred when one layer comes in several (full field names, real types first).
_FORMAT_PREFERENCE = (".gpkg", ".fgb", ".parquet", ".geoparquet", ".geojson", ".json", ".gml")


def _one_copy_per_layer(layers: list[Layer]) -> tuple[list[Layer], list[str]]:
    """Layers of a folder with each layer once: copies of one layer in other formats dropped.

    Two layers are one when they hold the same features: the same count, the same fields
    (a shapefile cuts names to 10 characters), and the same geometries and attribute
    values, compared on a sample of features and on their bounds.
    """
    kept: list[Layer] = []
    notes: list[str] = []
    ranked = sorted(layers, key=_preference)
    for layer in ranked:
        twin = next((k for k in kept if k.file != layer.file and _same_layer(k, layer)), None)
        if twin is None:
            kept.append(layer)
            continue
        notes.append(
            f"{layer.file.name} (layer {layer.name}) holds the same {layer.features:,} "
            f"features as {twin.file.name} (layer {twin.name}): one layer in two formats, "
            f"read once from {twin.file.name}"
        )
    order = {id(lay): i for i, lay in enumerate(layers)}
    return sorted(kept, key=lambda lay: order[id(lay)]), notes


def _preference(layer: Layer) -> tuple[int, str]:
    suffix = layer.file.suffix.lower()
    rank = (
        _FORMAT_PREFERENCE.index(suffix)
        if suffix in _FORMAT_PREFERENCE
        else len(_FORMAT_PREFERENCE)
    )
    return rank, str(layer.file)


def _field_key(name: str) -> str:
    # a shapefile keeps 10 characters of a field name; case is not kept by every format
    return name[:10].casefold()


#: Features compared between two candidate copies of a layer.
TWIN_SAMPLE = 2000


def _same_layer(a: Layer, b: Layer) -> bool:
    if a.features != b.features or a.features == 0:
        return False
    if [_field_key(f) for f in a.fields] != [_field_key(f) for f in b.fields]:
        return False
    try:
        first, second = _sample(a), _sample(b)
    except Exception:  # an unreadable copy is not a proven twin; reading reports it later
        return False
    return _same_features(first, second)


def _sample(layer: Layer) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import pyogrio

    if layer.file.suffix.lower() in (".parquet", ".geoparquet"):
        frame = gpd.read_parquet(layer.file).head(TWIN_SAMPLE)
    else:
        frame = pyogrio.read_dataframe(
            layer.file.absolute(), layer=layer.name, max_features=TWIN_SAMPLE
        )
    return frame


def _same_features(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    import geopandas as gpd
    import shapely

    if len(a) != len(b):
        return False
    ga = a.geometry if isinstance(a, gpd.GeoDataFrame) and a._geometry_column_name in a else None
    gb = b.geometry if isinstance(b, gpd.GeoDataFrame) and b._geometry_column_name in b else None
    if (ga is None) != (gb is None):
        return False
    if ga is not None and gb is not None:
        if (ga.crs is None) != (gb.crs is None) or (ga.crs is not None and ga.crs != gb.crs):
            return False
        va, vb = np.asarray(ga.values), np.asarray(gb.values)
        missing = shapely.is_missing(va)
        if not (missing == shapely.is_missing(vb)).all():
            return False
        # text formats round coordinates to 15 significant digits: equal within a micrometre
        if not shapely.equals_exact(va[~missing], vb[~missing], tolerance=1e-6).all():
            return False
    attrs_a = [c for c in a.columns if ga is None or c != a.geometry.name]
    attrs_b = [c for c in b.columns if gb is None or c != b.geometry.name]
    if len(attrs_a) != len(attrs_b):
        return False
    return all(
        _normal_values(a[x]) == _normal_values(b[y]) for x, y in zip(attrs_a, attrs_b, strict=True)
    )


def _normal_values(series: pd.Series) -> list[str]:
    """Values as comparable text: a date is its ISO day, 12.0 is 12, missing is empty."""
    out = []
    for value in series.tolist():
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
            out.append("")
        elif hasattr(value, "isoformat"):
            text = value.isoformat()
            out.append(text[:10] if text[10:].strip("T0:") == "" else text)
        elif isinstance(value, float) and value.is_integer():
            out.append(str(int(value)))
        else:
            out.append(str(value).strip())
    return out


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


def shape_count(shp: Path) -> int:
    """How many shapes a ``.shp`` holds: from its ``.shx`` index, else by walking its records.

    GDAL reads as many features as the ``.dbf`` has records; a ``.dbf`` cut short would
    silently drop the shapes after it, so the reader compares the two.
    """
    shx = next((shp.with_suffix(e) for e in (".shx", ".SHX") if shp.with_suffix(e).exists()), None)
    try:
        if shx is not None and shx.stat().st_size >= 100:
            return (shx.stat().st_size - 100) // 8
        size = shp.stat().st_size
        count, offset = 0, 100
        with shp.open("rb") as handle:
            while offset + 8 <= size:
                handle.seek(offset + 4)
                (words,) = struct.unpack(">i", handle.read(4))
                if words < 0:
                    break
                offset += 8 + 2 * words
                count += 1
        return count
    except (OSError, struct.error):
        return 0


def _parquet_layer(file: Path, limits: Limits = DEFAULT_LIMITS) -> Layer:
    import pyarrow.parquet as pq

    try:
        meta = pq.read_metadata(file)
        schema = pq.read_schema(file)
    except Exception as err:  # pyarrow raises ArrowInvalid and OSError variants
        raise InputError(
            f"{file}: not a readable Parquet file ({short_error(err)}).", path=str(file)
        ) from err
    geo = check_geoparquet(file, limits, schema=schema, meta=meta)
    geometry = set(geo.get("columns", {})) if geo else {"geometry"}
    fields = tuple(n for n in schema.names if n not in geometry)
    return Layer(file, file.stem, fields, "Unknown" if geo else None, meta.num_rows, None)


def read_layer(
    layer: Layer,
    limits: Limits,
    *,
    columns: list[str] | None = None,
    encoding: str | None = None,
) -> gpd.GeoDataFrame:
    """Read one layer as a GeoDataFrame (Arrow where it helps), enforcing the row limit.

    GDAL runs offline (:func:`damage_data._gdal.offline`). A shapefile whose ``.dbf`` has
    fewer records than its ``.shp`` has shapes gets one empty row per missing record, so
    that those shapes are counted as read and rejected rather than lost.
    """
    check_rows(layer.features, layer.file, limits)
    with offline():
        frame = _read_layer(layer, columns=columns, encoding=encoding)
    if layer.file.suffix.lower() == ".shp" and len(frame) < layer.features:
        frame = _with_shapes_without_records(frame, layer)
    return frame


#: Why a shape is rejected when its .dbf has no record for it.
NO_RECORD = (
    "shape without attributes: the .dbf has fewer records than the .shp has shapes (a "
    ".dbf cut short, or from another export); re-export the layer"
)


def _with_shapes_without_records(frame: gpd.GeoDataFrame, layer: Layer) -> gpd.GeoDataFrame:
    """The features GDAL read, then one empty row per shape the ``.dbf`` has no record for.

    Those rows are counted as read and rejected (:data:`NO_RECORD`), never dropped.
    """
    import geopandas as gpd

    missing = layer.features - len(frame)
    name = frame.geometry.name
    columns = {c: pd.Series([None] * missing, dtype=object) for c in frame.columns if c != name}
    pad = gpd.GeoDataFrame(
        {**columns, name: gpd.GeoSeries([None] * missing, crs=frame.crs)},
        geometry=name,
        crs=frame.crs,
    )[list(frame.columns)]
    out = gpd.GeoDataFrame(pd.concat([frame, pad], ignore_index=True), crs=frame.crs)
    out.attrs = {**frame.attrs, "no_record": (len(frame), layer.features)}
    return out


def _read_layer(
    layer: Layer, *, columns: list[str] | None, encoding: str | None
) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import pyogrio

    if layer.file.suffix.lower() in (".parquet", ".geoparquet"):
        try:
            return gpd.read_parquet(layer.file, columns=columns)
        except Exception as err:  # no geo metadata, or corrupt
            raise InputError(
                f"{layer.file}: cannot read as GeoParquet ({short_error(err)}).",
                path=str(layer.file),
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
        frame = pyogrio.read_dataframe(layer.file.absolute(), use_arrow=use_arrow, **kwargs)
    except Exception as err:
        raise InputError(
            f"{layer.file}: layer {layer.name!r} cannot be read ({short_error(err)}); the file "
            "may be truncated or corrupt.",
            path=str(layer.file),
        ) from err
    if not isinstance(frame, gpd.GeoDataFrame) or frame._geometry_column_name not in frame:
        frame = gpd.GeoDataFrame(
            pd.DataFrame(frame), geometry=gpd.GeoSeries([None] * len(frame)), crs="EPSG:4326"
        )
        if suffix in _GEOMETRY_FORMATS:
            # a format that always has geometries, but none GDAL could read (a GML geometry
            # given only by xlink:href, which is never followed): rejected, not unplaced
            frame.attrs["no_geometry_read"] = True
        else:
            # an attribute table (a .dbf without its .shp): structures without a place,
            # kept and counted, never rejected for a geometry the file never had
            frame.attrs["attributes_only"] = True
    if suffix in _NESTED_SUFFIXES:
        frame = _flatten_nested(frame)
    return frame


#: Formats whose features always carry a geometry (no geometry column means none was read).
_GEOMETRY_FORMATS = (".gml", ".kml", ".gpx", ".geojson", ".fgb", ".shp")
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
