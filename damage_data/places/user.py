"""Gazetteers from your own files: boundary files and tables, OCHA COD-AB, GeoNames dumps,
alias tables and village lists.

Files are read through the readers' safe paths (size, zip and row limits, no network), and
COD-AB tables through the one COD-AB parser of :mod:`damage_data.readers.codab`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import InputError, UsageError
from ..readers.boundaries import read_boundary_table
from .gazetteer import Gazetteer, _alias_frame, _crosswalk, make_gazetteer

__all__ = [
    "gazetteer_from_cod_ab",
    "gazetteer_from_file",
    "gazetteer_from_geonames",
    "gazetteer_from_path",
    "read_aliases",
    "settlements_from_path",
]

logger = logging.getLogger(__name__)


def _read_table_or_layer(
    path: str | Path, *, layer: str | int | None = None, encoding: str | None = None
) -> pd.DataFrame:
    """A boundary file or table, read under the readers' limits."""

    return read_boundary_table(path, layer=layer, encoding=encoding)


def _need_columns(table: pd.DataFrame, columns: Iterable[str | None], path: object) -> None:
    missing = [c for c in columns if c is not None and c not in table.columns]
    if missing:
        raise UsageError(
            f"{path}: no column {', '.join(map(repr, missing))}; columns are: "
            f"{', '.join(map(str, table.columns))}. Choose the name and code columns "
            "with name_column= and code_column=."
        )


def gazetteer_from_file(
    source: str | Path | pd.DataFrame,
    *,
    name_column: str,
    code_column: str,
    parent_column: str | None = None,
    alias_columns: Mapping[str, str] | Iterable[str] = (),
    level: str = "adm1",
    country: str | None = None,
    layer: str | int | None = None,
    encoding: str | None = None,
) -> Gazetteer:
    """A gazetteer from any boundary file (or table) with your choice of columns.

    Parameters
    ----------
    source
        GeoJSON, GeoPackage, Shapefile, zip, CSV or XLSX path, or a (Geo)DataFrame.
    name_column, code_column
        Columns with each unit's name and code.
    parent_column
        Column with the code of the unit's parent, if any.
    alias_columns
        More name columns, as a list or as ``{column: lang}``.
    level
        Level of the units (``adm1``, ``adm2``, ``adm3``, ``settlement``).
    country
        ISO 3166-1 alpha-2 code; by default the code's first two letters.
    layer
        Layer of a multi-layer file (GeoPackage) or sheet of a workbook.
    encoding
        Text encoding of a Shapefile/DBF that lacks its ``.cpg`` file (e.g. ``"UTF-8"``).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> frame = gpd.GeoDataFrame({"DIST": ["Kathmandu"], "CODE": ["NP-3-27"]},
    ...                          geometry=[Point(85.3, 27.7)], crs=4326)
    >>> gazetteer_from_file(frame, name_column="DIST", code_column="CODE").units["name"][0]
    'Kathmandu'
    """
    table = (
        source
        if isinstance(source, pd.DataFrame)
        else _read_table_or_layer(source, layer=layer, encoding=encoding)
    )
    columns = (
        dict(alias_columns)
        if isinstance(alias_columns, Mapping)
        else {c: "und" for c in alias_columns}
    )
    _need_columns(table, [name_column, code_column, parent_column, *columns], source)
    units = pd.DataFrame(
        {
            "unit_code": table[code_column].astype("string").str.strip(),
            "name": table[name_column].astype("string").str.strip(),
            "level": level,
            "parent_code": (
                table[parent_column].astype("string")
                if parent_column
                else pd.Series(pd.NA, index=table.index, dtype="string")
            ),
        }
    )
    units["country"] = country.upper() if country else units["unit_code"].str[:2].str.upper()
    label = source if not isinstance(source, pd.DataFrame) else "table"
    if "geometry" in table.columns:
        units["geometry"] = _repaired(
            table.geometry.values if hasattr(table, "geometry") else table["geometry"],
            units["unit_code"],
            label,
        )
    aliases = (
        pd.concat(
            [
                pd.DataFrame(
                    {
                        "unit_code": units["unit_code"],
                        "alias": table[col].astype("string"),
                        "lang": lang,
                        "source": f"{label} column {col}",
                        "one_to_one": True,
                    }
                )
                for col, lang in columns.items()
            ],
            ignore_index=True,
        )
        if columns
        else None
    )
    if units["unit_code"].duplicated().any():
        units = _dissolve_shared_codes(units, label)
    return make_gazetteer(units, aliases=aliases, crs=getattr(table, "crs", None))


def _repaired(geometries: Any, codes: pd.Series, label: object) -> Any:
    """Shapes as drawn by GIS software, repaired where invalid (a ring that crosses itself,
    a "bow tie"): merged or drawn as read they stop GEOS with a TopologyException.
    ``shapely.make_valid`` keeps every part of the area; the repair is said, with codes."""
    import shapely

    shapes = np.asarray(geometries, dtype=object)
    # (is_valid is False for a missing shape too: only present shapes are repaired)
    invalid = ~shapely.is_missing(shapes) & ~shapely.is_valid(shapes)
    if not invalid.any():
        return geometries
    shapes = shapes.copy()
    shapes[invalid] = shapely.make_valid(shapes[invalid].astype(object))
    named = [str(c) for c in np.asarray(codes, dtype=object)[invalid]]
    logger.warning(
        "%s: %d unit shape(s) were invalid (a boundary crossing itself) and were repaired "
        "with shapely.make_valid, keeping their whole area: %s",
        label,
        int(invalid.sum()),
        ", ".join(named[:10]) + (" …" if len(named) > 10 else ""),
    )
    if hasattr(geometries, "crs"):  # a GeometryArray keeps its CRS
        import geopandas as gpd

        return gpd.array.from_shapely(shapes, crs=geometries.crs)
    return shapes


def _dissolve_shared_codes(units: pd.DataFrame, label: object) -> pd.DataFrame:
    """Polygons sharing a code are one unit: their geometries are merged (a unit split into
    zones, islands or exclaves), so no structure in the second polygon is lost."""
    import shapely

    dup = units["unit_code"].duplicated(keep=False)
    codes = sorted(set(units.loc[dup, "unit_code"].dropna()))
    logger.warning(
        "%s: %d unit codes have several polygons; each code's polygons are merged into one "
        "unit: %s",
        label,
        len(codes),
        ", ".join(map(str, codes[:10])),
    )
    first = units.drop_duplicates("unit_code", keep="first").set_index("unit_code")
    if "geometry" in units.columns:
        merged = {
            code: shapely.union_all(np.asarray(list(group), dtype=object))
            for code, group in units.groupby("unit_code", sort=False)["geometry"]
        }
        first["geometry"] = pd.Series([merged.get(c) for c in first.index], index=first.index)
    return first.reset_index()


def gazetteer_from_cod_ab(
    source: str | Path | pd.DataFrame,
    *,
    country: str | None = None,
    layer: str | int | None = None,
    encoding: str | None = None,
) -> Gazetteer:
    """A gazetteer from an OCHA COD-AB table or boundary layer, every level it holds.

    Reads ``ADMn_EN`` (name), ``ADMn_PCODE`` (code) and every other ``ADMn_<lang>``
    or ``ADMn_ALTn_<lang>`` column (aliases) for each level ``n ≥ 1`` present. The parent of
    a level-n unit is its ``ADM(n-1)_PCODE``. P-codes nest (``UA``, ``UA01``, ``UA0102``),
    so a repeated English name under different parents stays apart. Give ``encoding``
    (``"UTF-8"``) for a DBF without its ``.cpg`` file.

    Examples
    --------
    >>> table = pd.DataFrame({"ADM0_PCODE": ["UA", "UA"], "ADM1_EN": ["Kharkivska", "Kharkivska"],
    ...     "ADM1_UA": ["Харківська"] * 2, "ADM1_PCODE": ["UA63", "UA63"],
    ...     "ADM2_EN": ["Izium", "Kharkivskyi"], "ADM2_PCODE": ["UA6302", "UA6312"]})
    >>> gazetteer_from_cod_ab(table).units[["unit_code", "level", "parent_code"]].values.tolist()
    [['UA63', 'adm1', 'UA'], ['UA6302', 'adm2', 'UA63'], ['UA6312', 'adm2', 'UA63']]
    """

    table = (
        source
        if isinstance(source, pd.DataFrame)
        else _read_table_or_layer(source, layer=layer, encoding=encoding)
    )
    label = source if not isinstance(source, pd.DataFrame) else "COD-AB table"
    upper = {_cod_name(c): c for c in table.columns}
    levels = sorted(
        {
            int(m.group(1))
            for c in upper
            if (m := re.fullmatch(r"ADM(\d)_PCODE", c)) and int(m.group(1)) >= 1
        }
    )
    if not levels:
        raise UsageError(
            f"{label}: not an OCHA COD-AB table: no ADM1_PCODE/ADM2_PCODE… column; columns "
            f"are: {', '.join(map(str, table.columns))}. For other tables use "
            "gazetteer_from_file(name_column=…, code_column=…)."
        )
    deepest = levels[-1]
    unit_frames, alias_frames = [], []
    for n in levels:
        code_col, name_col = upper[f"ADM{n}_PCODE"], upper.get(f"ADM{n}_EN")
        if name_col is None:
            name_col = next(
                (upper[c] for c in upper if re.fullmatch(rf"ADM{n}_[A-Z]{{2}}", c)), None
            )
        if name_col is None:
            raise UsageError(
                f"{label}: level {n} has ADM{n}_PCODE but no ADM{n}_EN or ADM{n}_<lang> name column"
            )
        parent_col = upper.get(f"ADM{n - 1}_PCODE")
        frame = pd.DataFrame(
            {
                "unit_code": table[code_col].astype("string").str.strip(),
                "name": table[name_col].astype("string").str.strip(),
                "level": f"adm{n}",
                "parent_code": (
                    table[parent_col].astype("string").str.strip()
                    if parent_col is not None
                    else pd.NA
                ),
            }
        )
        if country:
            frame["country"] = country.upper()
        elif "ADM0_PCODE" in upper:
            frame["country"] = table[upper["ADM0_PCODE"]].astype("string").str[:2]
        else:
            frame["country"] = frame["unit_code"].str[:2]
        if n == deepest and "geometry" in table.columns:
            frame["geometry"] = _repaired(table["geometry"].values, frame["unit_code"], source)
        unit_frames.append(frame.drop_duplicates("unit_code"))
        for key, col in upper.items():
            m = re.fullmatch(rf"ADM{n}(?:_?ALT\d)?_?([A-Z]{{2}})", key)
            if m and col != name_col and key != f"ADM{n}_PCODE":
                alias_frames.append(
                    pd.DataFrame(
                        {
                            "unit_code": frame["unit_code"],
                            "alias": table[col].astype("string"),
                            "lang": _COD_LANG.get(m.group(1), m.group(1).lower()),
                            "source": f"{label} column {col}",
                            "one_to_one": True,
                        }
                    ).drop_duplicates()
                )
    units = pd.concat(unit_frames, ignore_index=True)
    aliases = pd.concat(alias_frames, ignore_index=True) if alias_frames else None
    return make_gazetteer(units, aliases=aliases, crs=getattr(table, "crs", None))


# COD-AB name columns carry a two-letter suffix that is mostly, but not always, the ISO
# 639-1 language code: ADM1_UA holds Ukrainian (uk).
_COD_LANG = {
    "UA": "uk",
    "EN": "en",
    "RU": "ru",
    "FR": "fr",
    "ES": "es",
    "AR": "ar",
    "PT": "pt",
    "HY": "hy",
    "AZ": "az",
    "KA": "ka",
    "NE": "ne",
}

#: Columns of a GeoNames dump (geonames.org/export/dump/readme.txt).
GEONAMES_COLUMNS = (
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "feature_class",
    "feature_code",
    "country_code",
    "cc2",
    "admin1_code",
    "admin2_code",
    "admin3_code",
    "admin4_code",
    "population",
    "elevation",
    "dem",
    "timezone",
    "modification_date",
)


def gazetteer_from_geonames(
    path: str | Path,
    *,
    iso_codes: bool = True,
    max_aliases: int = 50,
) -> Gazetteer:
    """A gazetteer from a GeoNames-format text dump (``AZ.txt``, ``cities500.txt``…).

    ``ADM1``/``ADM2`` features become units coded by their GeoNames admin code
    (``AZ.03``, ``AZ.03.1234``) and populated places (class ``P``) become settlements of
    their admin-1 unit; ``alternatenames`` become aliases. With ``iso_codes`` an admin-1
    unit of a bundled country takes its ISO 3166-2 code from the crosswalk, so its figures
    join the bundled boundaries.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> fields = ["148107", "Füzuli Rayonu", "Fuzuli Rayonu", "Fizuli", "39.5", "47.2", "A",
    ...           "ADM1", "AZ", "", "18", "", "", "", "0", "", "400", "Asia/Baku", "2020-01-01"]
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "AZ.txt"
    >>> _ = path.write_text(chr(9).join(fields), encoding="utf-8")
    >>> gazetteer_from_geonames(path).units["unit_code"].tolist()
    ['AZ-FUZ']
    """
    p = Path(path)
    try:
        raw = pd.read_csv(
            p,
            sep="\t",
            header=None,
            names=list(GEONAMES_COLUMNS),
            dtype=str,
            quoting=3,
            keep_default_na=False,
            na_values=[""],
        )
    except (OSError, ValueError) as err:
        raise InputError(
            f"{p}: cannot read as a GeoNames tab-separated dump ({err})", path=str(p)
        ) from err
    if raw.empty or raw["feature_class"].isna().all():
        raise InputError(f"{p}: no GeoNames rows (expected 19 tab-separated columns)", path=str(p))
    iso = {}
    if iso_codes:
        cross = _crosswalk().dropna(subset=["geonames_admin_code"])
        iso = dict(zip(cross["geonames_admin_code"], cross["iso_3166_2"], strict=True))
    a1 = raw["country_code"] + "." + raw["admin1_code"].fillna("")
    a2 = a1 + "." + raw["admin2_code"].fillna("")
    adm1 = raw["feature_code"] == "ADM1"
    adm2 = raw["feature_code"] == "ADM2"
    code1 = a1.map(lambda c: iso.get(c, c))
    units = pd.concat(
        [
            pd.DataFrame(
                {
                    "unit_code": code1[adm1],
                    "name": raw.loc[adm1, "name"],
                    "level": "adm1",
                    "parent_code": raw.loc[adm1, "country_code"],
                    "country": raw.loc[adm1, "country_code"],
                }
            ),
            pd.DataFrame(
                {
                    "unit_code": a2[adm2],
                    "name": raw.loc[adm2, "name"],
                    "level": "adm2",
                    "parent_code": code1[adm2],
                    "country": raw.loc[adm2, "country_code"],
                }
            ),
        ],
        ignore_index=True,
    )
    admin = raw[adm1 | adm2].assign(unit_code=code1.where(adm1, a2))
    alt = admin.assign(alias=admin["alternatenames"].str.split(",")).explode("alias")
    alt = alt[alt["alias"].notna()]
    alt = alt.groupby("unit_code", group_keys=False).head(max_aliases)
    alias_table = pd.concat(
        [
            pd.DataFrame({"unit_code": admin["unit_code"], "alias": admin["asciiname"]}),
            pd.DataFrame({"unit_code": alt["unit_code"], "alias": alt["alias"]}),
        ],
        ignore_index=True,
    ).assign(lang="und", source=f"{p.name} (GeoNames, CC BY 4.0)", one_to_one=True)
    places = raw[raw["feature_class"] == "P"]
    settlements = pd.DataFrame(
        {
            "name": places["name"],
            "unit_code": code1[places.index],
            "lat": places["latitude"].astype(float),
            "lon": places["longitude"].astype(float),
            "source": f"{p.name} (GeoNames, CC BY 4.0) id " + places["geonameid"],
        }
    )
    if units.empty:
        # a places-only dump (cities500): its admin-1 codes still name units
        present = sorted(set(code1[places.index]))
        units = pd.DataFrame(
            {
                "unit_code": present,
                "name": present,
                "level": "adm1",
                "parent_code": [c[:2] for c in present],
                "country": [c[:2] for c in present],
            }
        )
    return make_gazetteer(units, aliases=alias_table, settlements=settlements)


def gazetteer_from_path(
    path: str | Path,
    *,
    name_column: str | None = None,
    code_column: str | None = None,
    parent_column: str | None = None,
    level: str = "adm1",
    country: str | None = None,
    layer: str | int | None = None,
    encoding: str | None = None,
) -> Gazetteer:
    """A gazetteer from a file of any supported kind, choosing the loader by its content.

    A ``.txt`` file is read as a GeoNames dump; a table or boundary file with
    ``name_column`` and ``code_column`` through :func:`gazetteer_from_file`; one with
    ``ADMn_PCODE`` columns through :func:`gazetteer_from_cod_ab`.

    Examples
    --------
    >>> from damage_data._data import data_path
    >>> gaz = gazetteer_from_path(data_path("boundaries", "adm1_arm_ne10m_iso.geojson"),
    ...                           name_column="name", code_column="iso_3166_2_derived")
    >>> len(gaz)
    11
    """
    p = Path(path)
    if p.suffix.lower() == ".txt":
        return gazetteer_from_geonames(p)
    if name_column and code_column:
        return gazetteer_from_file(
            p,
            name_column=name_column,
            code_column=code_column,
            parent_column=parent_column,
            level=level,
            country=country,
            layer=layer,
            encoding=encoding,
        )
    if name_column or code_column:
        raise UsageError(
            f"{p}: give both name_column and code_column (got only "
            f"{'name_column' if name_column else 'code_column'})"
        )
    table = _read_table_or_layer(p, layer=layer, encoding=encoding)
    if any(_cod_name(c).endswith("_PCODE") for c in table.columns):
        return gazetteer_from_cod_ab(table, country=country)
    raise UsageError(
        f"{p}: not an OCHA COD-AB table (no ADMn_PCODE or adminNPcode column); say which "
        "columns hold the names and codes: --units-name COLUMN --units-code COLUMN on the "
        f"command line (name_column=, code_column= in Python). Columns are: "
        f"{', '.join(map(str, table.columns))}"
    )


def _cod_name(column: object) -> str:
    """A COD-AB column name in the ``ADMn_…`` form: the tabular COD-AB releases write
    ``admin3Pcode`` and ``admin3Name_en`` for ``ADM3_PCODE`` and ``ADM3_EN``.

    >>> _cod_name("admin3Pcode"), _cod_name("admin3Name_en"), _cod_name("ADM1_PCODE")
    ('ADM3_PCODE', 'ADM3_EN', 'ADM1_PCODE')
    """
    name = str(column).upper()
    name = re.sub(r"^ADMIN(\d)PCODE$", r"ADM\1_PCODE", name)
    return re.sub(r"^ADMIN(\d)NAME_([A-Z]{2})$", r"ADM\1_\2", name)


def read_aliases(path: str | Path) -> pd.DataFrame:
    """Read an alias CSV: ``unit_code, alias`` and optional ``lang, source, one_to_one``.

    Examples
    --------
    >>> from damage_data._data import data_path
    >>> read_aliases(data_path("places", "aliases_az.csv")).columns.tolist()
    ['unit_code', 'alias', 'lang', 'source', 'one_to_one']
    """
    p = Path(path)
    try:
        table = pd.read_csv(p, dtype=str, keep_default_na=False, na_values=[""])
    except (OSError, ValueError) as err:
        raise InputError(f"{p}: cannot read the alias CSV ({err})", path=str(p)) from err
    _need_columns(table, ["unit_code", "alias"], p)
    if "source" not in table.columns:
        table["source"] = p.name
    try:
        return _alias_frame(table)
    except UsageError as err:
        raise UsageError(f"{p}: column one_to_one: {err}", path=str(p)) from err


def settlements_from_path(path: str | Path) -> pd.DataFrame:
    r"""A village gazetteer: a CSV (``name``, ``parent_code`` or ``unit_code``, ``lon``,
    ``lat``) or a GeoNames dump, as ``name, unit_code, lat, lon, source``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "villages.csv"
    >>> _ = p.write_text("name,parent_code,lon,lat\nSeydimli,AZ-TAR,47.1,40.3\n")
    >>> settlements_from_path(p)[["name", "unit_code"]].values.tolist()
    [['Seydimli', 'AZ-TAR']]
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file (--gazetteer)", path=str(p))
    head = p.read_bytes()[:4096].decode("utf-8", "replace").splitlines()[:1]
    if head and head[0].count("\t") >= 15:
        return gazetteer_from_geonames(p).settlements
    # the readers' safe path: encodings (cp1251…), delimiters, workbooks, point layers
    table = _read_table_or_layer(p)
    if table.empty and len(table.columns) == 0:
        raise InputError(f"{p}: the village gazetteer has no rows (--gazetteer)", path=str(p))
    folded = {str(c).strip().casefold(): c for c in table.columns}
    name = folded.get("name")
    unit = folded.get("parent_code") or folded.get("unit_code") or folded.get("parent")
    if name is None or unit is None:
        raise InputError(
            f"{p}: a village gazetteer needs columns name and parent_code (the unit each "
            f"village lies in), plus lon and lat; it has {', '.join(map(str, table.columns))}",
            path=str(p),
        )
    lon, lat = (
        folded.get("lon") or folded.get("longitude"),
        folded.get("lat") or folded.get("latitude"),
    )
    out = pd.DataFrame(
        {
            "name": table[name].astype("string").str.strip(),
            "unit_code": table[unit].astype("string").str.strip(),
            "lat": _coordinate(table, lat, 90.0),
            "lon": _coordinate(table, lon, 180.0),
            "source": p.name,
        }
    )
    if "geometry" in table.columns and lon is None and lat is None:  # a layer of points
        points = table.geometry
        is_point = (points.geom_type == "Point").to_numpy()
        out.loc[is_point, "lon"] = points[is_point].x.to_numpy()
        out.loc[is_point, "lat"] = points[is_point].y.to_numpy()
    return _checked_settlements(out, table, lon, lat, p)


def _coordinate(table: pd.DataFrame, column: Any, bound: float) -> pd.Series:
    if column is None:
        return pd.Series(np.nan, index=table.index)
    values = pd.Series(
        pd.to_numeric(table[column].astype("string").str.strip(), errors="coerce"),
        index=table.index,
        dtype="Float64",
    )
    return values.where(values.abs() <= bound).astype(float)


def _checked_settlements(
    out: pd.DataFrame, table: pd.DataFrame, lon: Any, lat: Any, p: Path
) -> pd.DataFrame:
    """Rows without a name or a unit are left out, and unreadable coordinates emptied,
    each said with its row numbers (a row of the file is line ``index + 2``)."""
    blank = out["name"].isna() | (out["name"] == "") | out["unit_code"].isna()
    blank |= out["unit_code"] == ""
    rows = [int(i) + 2 for i in out.index[blank.to_numpy()]]
    if rows:
        logger.warning(
            "%s: %d row(s) without a village name or parent_code left out (rows %s)",
            p,
            len(rows),
            ", ".join(map(str, rows[:10])) + (" …" if len(rows) > 10 else ""),
        )
    for column, got in (("lon", lon), ("lat", lat)):
        if got is None:
            continue
        written = table[got].astype("string").str.strip().fillna("") != ""
        bad = written & out[column].isna() & ~blank
        if bad.any():
            first = bad.to_numpy().nonzero()[0][0]
            logger.warning(
                "%s: column %s: %d value(s) are no %s in degrees (row %d: %r); those "
                "villages are kept without coordinates",
                p,
                got,
                int(bad.sum()),
                "longitude" if column == "lon" else "latitude",
                int(out.index[first]) + 2,
                str(table[got].iloc[first]),
            )
    return out[~blank.to_numpy()].reset_index(drop=True)
