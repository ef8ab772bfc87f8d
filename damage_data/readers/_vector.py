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

from .._errors import InputError, LimitExceededError, UnknownLabelError
from .._gdal import offline
from ..limits import DEFAULT_LIMITS, Limits, check_rows
from ..vocab import STRUCTURE_DTYPE, STRUCTURE_TYPES, classify_structure
from ._files import RATIO_FLOOR, XML_SUFFIXES, refuse_xml_entities
from ._result import Collector, classify_column, constant_category, make_structures, pick_scheme
from .raw import _SLASHED, day_first

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
                log.warning("%s: skipped, not readable (%s)", file.name, _short(err))
                continue
            raise InputError(
                f"{file}: cannot be read: unsupported, corrupt or truncated (GDAL: "
                f"{_short(err).split(';')[0]}). Check that the file is complete, or pass "
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
    import sqlite3
    from urllib.parse import quote

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
    import struct

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


def dbf_records(dbf: Path) -> int | None:
    """The record count a ``.dbf`` header declares (``None`` when unreadable)."""
    try:
        with dbf.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return None
    return int.from_bytes(head[4:8], "little") if len(head) == 8 else None


def _parquet_layer(file: Path, limits: Limits = DEFAULT_LIMITS) -> Layer:
    import pyarrow.parquet as pq

    try:
        meta = pq.read_metadata(file)
        schema = pq.read_schema(file)
    except Exception as err:  # pyarrow raises ArrowInvalid and OSError variants
        raise InputError(
            f"{file}: not a readable Parquet file ({_short(err)}).", path=str(file)
        ) from err
    geo = check_geoparquet(file, limits, schema=schema, meta=meta)
    geometry = set(geo.get("columns", {})) if geo else {"geometry"}
    fields = tuple(n for n in schema.names if n not in geometry)
    return Layer(file, file.stem, fields, "Unknown" if geo else None, meta.num_rows, None)


def check_geoparquet(
    file: Path, limits: Limits = DEFAULT_LIMITS, *, schema: Any = None, meta: Any = None
) -> dict[str, Any]:
    """Check a (Geo)Parquet file before it is read; return its ``geo`` metadata (or ``{}``).

    Raises :class:`InputError` when the ``geo`` metadata is not JSON or names geometry
    columns the file does not have, and :class:`LimitExceededError` when the file would
    decode to more than the unpacked-size limit, or expand more than the compression ratio
    allows (a Parquet bomb: a few KB of repeated values that decode to gigabytes).
    """
    import json

    import pyarrow.parquet as pq

    try:
        meta = meta if meta is not None else pq.read_metadata(file)
        schema = schema if schema is not None else pq.read_schema(file)
    except Exception as err:
        raise InputError(
            f"{file}: not a readable Parquet file ({_short(err)}).", path=str(file)
        ) from err
    check_rows(meta.num_rows, file, limits)
    raw = (schema.metadata or {}).get(b"geo")
    geo: dict[str, Any] = {}
    if raw is not None:
        try:
            geo = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as err:
            raise InputError(
                f"{file}: the GeoParquet metadata ('geo') is not valid JSON ({err}).",
                path=str(file),
            ) from err
        if not isinstance(geo, dict) or not isinstance(geo.get("columns", {}), dict):
            raise InputError(f"{file}: the GeoParquet metadata is malformed.", path=str(file))
        named = {*geo.get("columns", {})} | (
            {geo["primary_column"]} if isinstance(geo.get("primary_column"), str) else set()
        )
        missing = sorted(str(c) for c in named if c not in schema.names)
        if missing:
            raise InputError(
                f"{file}: the GeoParquet metadata names geometry column(s) "
                f"{', '.join(repr(c) for c in missing)} that the file does not have "
                f"(columns: {', '.join(schema.names[:20])}); the file was written wrongly. "
                "Re-export it (e.g. with geopandas' to_parquet).",
                path=str(file),
            )
    decoded = parquet_decoded_bytes(file, limits, meta=meta)
    size = max(file.stat().st_size, 1)
    ratio = decoded / size
    if decoded > limits.max_uncompressed_bytes or (
        decoded >= RATIO_FLOOR and ratio > limits.max_compression_ratio
    ):
        raise LimitExceededError(
            f"{file}: {size:,} bytes that decode to at least {decoded:,} bytes "
            f"({ratio:.0f}-fold; limits: {limits.max_uncompressed_bytes:,} bytes, "
            f"{limits.max_compression_ratio:.0f}-fold): a Parquet bomb, or a file to read "
            "with limits=Limits(max_compression_ratio=...) if it is trusted.",
            path=str(file),
        )
    return geo


_WIDTHS = {"BOOLEAN": 1, "INT32": 4, "FLOAT": 4, "INT64": 8, "DOUBLE": 8, "INT96": 12}


def parquet_decoded_bytes(file: Path, limits: Limits = DEFAULT_LIMITS, *, meta: Any = None) -> int:
    """The bytes a Parquet file's values take once decoded (stops counting past the limit).

    Fixed-width values come from the metadata; text and binary values (WKB geometries
    among them) are measured by reading their dictionary-encoded form, which never expands
    repeated values: a 1 MB string repeated 1,500 times costs 1 MB to measure.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    meta = meta if meta is not None else pq.read_metadata(file)
    total = 0
    binary: set[str] = set()
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        for c in range(group.num_columns):
            chunk = group.column(c)
            width = _WIDTHS.get(chunk.physical_type)
            if chunk.physical_type == "FIXED_LEN_BYTE_ARRAY":
                width = max(int(getattr(chunk, "type_length", 0) or 0), 1)
            if width is not None:
                total += chunk.num_values * width
            elif chunk.has_dictionary_page and "." not in chunk.path_in_schema:
                # repeated values stored once: their decoded size is measured below
                binary.add(chunk.path_in_schema)
            else:  # plain text and binary: the uncompressed pages are the values
                total += chunk.total_uncompressed_size
    if not binary or total > limits.max_uncompressed_bytes:
        return total
    try:
        source = pq.ParquetFile(file, read_dictionary=sorted(binary))
        for g in range(source.num_row_groups):
            table = source.read_row_group(g, columns=sorted(binary))
            for column in table.columns:
                for piece in column.chunks:
                    if isinstance(piece, pa.DictionaryArray):
                        lengths = pc.binary_length(piece.dictionary)
                        total += int(pc.sum(pc.take(lengths, piece.indices)).as_py() or 0)
                    else:
                        total += piece.nbytes
            if total > limits.max_uncompressed_bytes:
                break
    except Exception as err:  # pyarrow's ArrowInvalid / OSError variants: corrupt pages
        raise InputError(
            f"{file}: not a readable Parquet file ({_short(err)}).", path=str(file)
        ) from err
    return total


def _short(err: Exception) -> str:
    return str(err).splitlines()[0][:200] if str(err) else type(err).__name__


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
        frame = pyogrio.read_dataframe(layer.file.absolute(), use_arrow=use_arrow, **kwargs)
    except Exception as err:
        raise InputError(
            f"{layer.file}: layer {layer.name!r} cannot be read ({_short(err)}); the file "
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

    # shapes the .dbf has no record for (see read_layer): read, and rejected for that
    no_record = np.zeros(n, dtype=bool)
    if "no_record" in frame.attrs:
        first, shapes = frame.attrs["no_record"]
        no_record[first:] = True
        for k in range(first, n):
            col.reject(f"{prefix} {k}", None, None, NO_RECORD)
        col.warn(
            f"the .dbf holds {first:,} records for {shapes:,} shapes: {shapes - first:,} "
            "shapes have no attributes and are rejected (a .dbf cut short?)"
        )
    dmg, bad_damage, reason = classify_column(frame[damage], scheme)
    bad_damage = bad_damage & ~no_record
    # a structure with no damage class cannot be counted: rejected, never read as "none"
    blank = frame[damage].isna() | frame[damage].astype("string").str.strip().eq("").fillna(False)
    blank = blank.to_numpy(dtype=bool) & ~bad_damage.to_numpy() & ~no_record
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
    bad = bad_damage.to_numpy() | blank | no_geom | non_finite | outside | no_record
    missing_geometry = "missing geometry: a structure needs a point or polygon"
    if frame.attrs.get("no_geometry_read"):
        missing_geometry += (
            " (none could be read from this file; a GML geometry given only by "
            "xlink:href is never followed)"
        )
    if bad.any():
        for i in np.flatnonzero(bad_damage.to_numpy()):
            col.reject(f"{prefix} {i}", damage, frame[damage].iloc[i], reason)
        for i in np.flatnonzero(no_geom & ~bad_damage.to_numpy() & ~blank & ~no_record):
            col.reject(f"{prefix} {i}", "geometry", None, missing_geometry)
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
    if no_geom.any() and no_geom[-1] and not no_record.any():
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
    if date is not None:
        dates = parse_dates(frame[date])
        _report_dates(frame[date], dates, keep, col, date)
        out["assessed_on"] = dates[keep].reset_index(drop=True)
    else:
        out["assessed_on"] = pd.Series(pd.NaT, index=range(int(keep.sum())), dtype="datetime64[ns]")
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
    """Dates written as ``2015/04/26``, ``20161027``, ISO strings, ``05/11/2020`` or real dates.

    ``dd/mm/yyyy``-style dates are read one way for the whole column (see
    :func:`damage_data.readers.raw.day_first`): day first unless a value shows the month
    comes first. Each distinct value is parsed once (millions of rows share a few dates).
    Unreadable values are ``NaT``; :func:`unreadable_dates` finds them.
    """
    if pd.api.types.is_datetime64_any_dtype(series):
        return series
    codes, uniques = pd.factorize(series.astype("string").str.strip(), use_na_sentinel=True)
    text = pd.Series(uniques, dtype="string")
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    compact = text.str.fullmatch(r"\d{8}").fillna(False).to_numpy(dtype=bool)
    slashed = text.str.match(_SLASHED.pattern).fillna(False).to_numpy(dtype=bool)
    plain = ~compact & ~slashed
    first: bool | None = None
    if plain.any():
        parsed[plain] = _to_datetime(text[plain], format="mixed")
    if compact.any():
        parsed[compact] = _to_datetime(text[compact], format="%Y%m%d")
    if slashed.any():
        first = day_first(text[slashed].tolist())
        parsed[slashed] = _to_datetime(text[slashed], format="mixed", dayfirst=first is not False)
    values = parsed.to_numpy()[np.where(codes >= 0, codes, 0)] if len(parsed) else None
    out = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
    if values is not None:
        out[:] = np.where(codes >= 0, values, np.datetime64("NaT"))
    out.attrs["date_order"] = (
        None if not slashed.any() else "month first" if first is False else "day first"
    )
    return out


def _to_datetime(text: pd.Series, **options: Any) -> pd.Series:
    """``pd.to_datetime`` value by value when a batch fails (out-of-bounds years raise)."""
    # utc=True: offsets ("+03:00") mixed with plain dates give one naive column
    try:
        parsed = pd.to_datetime(text, errors="coerce", utc=True, **options)
    except (ValueError, OverflowError, TypeError):
        values = []
        for value in text:
            try:
                values.append(pd.to_datetime(value, errors="coerce", utc=True, **options))
            except (ValueError, OverflowError, TypeError):
                values.append(pd.NaT)
        parsed = pd.Series(values, index=text.index, dtype="datetime64[ns, UTC]")
    return parsed.dt.tz_localize(None).astype("datetime64[ns]")


def unreadable_dates(raw: pd.Series, parsed: pd.Series) -> np.ndarray:
    """Features whose date cell holds text that is no date (empty cells are no problem)."""
    if pd.api.types.is_datetime64_any_dtype(raw):
        return np.zeros(len(raw), dtype=bool)
    text = raw.astype("string").str.strip()
    written = text.notna() & ~text.str.casefold().isin(SENTINELS)
    return (written & parsed.isna()).to_numpy(dtype=bool)


def _report_dates(
    raw: pd.Series, parsed: pd.Series, keep: np.ndarray, col: Collector, column: str
) -> None:
    """Warn about dates that could not be read, and say which order ``dd/mm`` dates had."""
    bad = unreadable_dates(raw, parsed) & keep
    if bad.any():
        examples = ", ".join(repr(str(v)) for v in pd.unique(raw[bad].astype(str))[:3])
        col.warn(
            f"{int(bad.sum()):,} structures have a date in {column!r} that cannot be read "
            f"(e.g. {examples}); they are counted without a date, so --as-of cannot place "
            "them. Write dates as YYYY-MM-DD."
        )
        col.extra["unreadable_dates"] = int(bad.sum())
    order = parsed.attrs.get("date_order")
    if order:
        col.extra["date_order"] = order
