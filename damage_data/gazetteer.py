"""The bundled gazetteer: admin units with their boundaries (Natural Earth, ISO 3166-2 codes).

Reading the bundled boundary files lives here so every stage gets the same units table
(DESIGN §2 ``units``: ``unit_code, name, level, parent_code, country, geometry``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from ._data import data_path
from ._errors import UsageError

if TYPE_CHECKING:
    import geopandas as gpd

#: Bundled countries and their boundary files (one feature per ISO 3166-2 code).
BUNDLED_BOUNDARIES: dict[str, str] = {
    "AZ": "adm1_aze_ne10m_iso_dissolved.geojson",
    "AM": "adm1_arm_ne10m_iso.geojson",
    "UA": "adm1_ukr_ne10m_iso.geojson",
}
BOUNDARY_ATTRIBUTION = "Boundaries: Natural Earth (public domain); ISO 3166-2 codes"


@cache
def _read_bundled(country: str) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import pandas as pd

    raw = gpd.read_file(data_path("boundaries", BUNDLED_BOUNDARIES[country]))
    units = gpd.GeoDataFrame(
        {
            "unit_code": raw["iso_3166_2_derived"].astype("string"),
            "name": raw["iso_name"].astype("string"),
            "level": pd.Categorical(["adm1"] * len(raw)),
            "parent_code": raw["iso_parent"].where(raw["iso_parent"].fillna("") != "",
                                                   country).astype("string"),
            "country": pd.array([country] * len(raw), dtype="string"),
            "ne_name": raw["name"].astype("string"),
            "type_en": raw["type_en"].astype("string"),
            "area_km2": raw["area_km2"].astype(float),
        },
        geometry=raw.geometry.values,
        crs=raw.crs,
    )
    return units


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
    import pandas as pd

    if countries is None:
        wanted = list(BUNDLED_BOUNDARIES)
    elif isinstance(countries, str):
        wanted = [countries]
    else:
        wanted = list(countries)
    wanted = [c.upper() for c in wanted]
    unknown = [c for c in wanted if c not in BUNDLED_BOUNDARIES]
    if unknown:
        raise UsageError(
            f"no bundled boundaries for {', '.join(unknown)}; bundled countries: "
            f"{', '.join(BUNDLED_BOUNDARIES)}. Pass your own boundary file with --units."
        )
    frames = [_read_bundled(c) for c in wanted]
    import geopandas as gpd

    out = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)
    return out.copy()
