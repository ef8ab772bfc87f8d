"""Tables with one structure per row (longitude/latitude or WKT columns): rows become
structures, read like a GIS layer's features (split from :mod:`.table`, which reads counts)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._errors import InputError
from ._context import Context, Parts
from ._vector import (
    DAMAGE_COLUMNS,
    checked_scheme,
    crs_name,
    damage_column,
    find_column,
    structures_from_generic,
)
from .colmap import ColumnMap
from .raw import RawTable

__all__ = ["no_counts_of_classes", "read_structure_table"]


def no_counts_of_classes(ctx: Context, frame: pd.DataFrame, mapping: ColumnMap) -> None:
    """One point per row and a "damage" column of numbers no scale knows (OSM's damage
    percentages 1, 50, 100) are not counts: 151 buildings were printed for three points.
    Counts in such a column must be named (``--columns destroyed=…``), as in a GIS layer."""
    given = set((ctx.columns or {}).values())
    for name in mapping.counts:
        if name not in given and find_column([name], DAMAGE_COLUMNS):
            shown = ", ".join(dict.fromkeys(v for v in frame[name] if v))[:80]
            raise InputError(
                f"{ctx.path}: one structure per row (coordinates), and column {name!r} holds "
                f"numbers ({shown}) that no damage scale reads: they are not counts. Give their "
                "scale with --damage-scheme, write the classes as words, or, if the column "
                f"counts structures, name their state: --columns destroyed={name} (or "
                "damaged=, damaged_or_destroyed=).",
                path=str(ctx.path),
            )


def read_structure_table(
    ctx: Context, frame: pd.DataFrame, raw: RawTable, mapping: ColumnMap
) -> Parts:
    """A table with one structure per row (lon/lat or WKT): rows → structures."""
    import geopandas as gpd
    import shapely

    col = ctx.collector
    roles = mapping.roles
    found = damage_column(frame.replace("", None), roles.get("damage"))
    if found is None:
        raise InputError(
            f"{ctx.path}: a table with coordinates but no damage column; name it with "
            "--columns damage=COLUMN.",
            path=str(ctx.path),
        )
    lines = np.asarray(raw.line_numbers)
    bad = np.zeros(len(frame), dtype=bool)
    for line, column, value, why in raw.bad_rows:
        i = int(np.flatnonzero(lines == line)[0])
        col.reject(f"row {line}", column, value, why)
        bad[i] = True
    if "wkt" in roles:
        texts = frame[roles["wkt"]].replace("", None).to_numpy(dtype=object)
        geoms = shapely.from_wkt(texts, on_invalid="ignore")
        for i in np.flatnonzero(pd.isna(geoms) & pd.notna(texts) & ~bad).tolist():
            col.reject(f"row {lines[i]}", roles["wkt"], texts[i], "unreadable WKT geometry")
            bad[i] = True
    else:
        lon = pd.to_numeric(
            frame[roles["lon"]].str.replace(",", ".", regex=False), errors="coerce"
        ).to_numpy()
        lat = pd.to_numeric(
            frame[roles["lat"]].str.replace(",", ".", regex=False), errors="coerce"
        ).to_numpy()
        for name, values in ((roles["lon"], lon), (roles["lat"], lat)):
            cells = frame[name].to_numpy(dtype=object)
            written = np.array([bool(str(c).strip()) for c in cells], dtype=bool)
            for i in np.flatnonzero(np.isnan(values) & written & ~bad).tolist():
                col.reject(f"row {lines[i]}", name, cells[i], "not a coordinate (a number)")
                bad[i] = True
        both = ~np.isnan(lon) & ~np.isnan(lat)
        if both.any() and (np.abs(lat[both]) > 90).all() and (np.abs(lon[both]) <= 90).all():
            col.warn(
                f"columns {roles['lat']!r} and {roles['lon']!r} hold longitude and latitude "
                "the other way round (every latitude is outside ±90): swapped"
            )
            lon, lat = lat, lon
        out_of_range = both & ((np.abs(lat) > 90) | (np.abs(lon) > 180))
        for i in np.flatnonzero(out_of_range & ~bad).tolist():
            swapped = abs(lat[i]) > 90 and abs(lon[i]) <= 90
            col.reject(
                f"row {lines[i]}",
                roles["lat"],
                f"{lon[i]}, {lat[i]}",
                "latitude outside ±90: longitude and latitude look swapped"
                if swapped
                else "coordinates outside longitude/latitude range",
            )
            bad[i] = True
        geoms = np.asarray(
            shapely.points(
                np.where(out_of_range, np.nan, lon), np.where(out_of_range, np.nan, lat)
            ),
            dtype=object,
        )
        geoms[~(both & ~out_of_range)] = None
    frame_ok = frame[~bad].reset_index(drop=True)
    geo = gpd.GeoDataFrame(
        frame_ok.replace("", None), geometry=np.asarray(geoms)[~bad], crs="EPSG:4326"
    )
    # rows already rejected above were read too; count them before handing over
    col.rows_read += int(bad.sum())
    dmg, scheme = found
    scheme = checked_scheme(ctx, frame, dmg, scheme, str(ctx.path))
    structures = structures_from_generic(
        geo, ctx, damage=dmg, scheme=scheme, layer=None, path_for_crs=ctx.path
    )
    # locators of the generic mapper are positions among kept rows: give them file lines
    kept_lines = lines[~bad]
    for reject in col.rejects:
        loc = reject["locator"]
        if loc.startswith("feature "):
            reject["locator"] = f"row {kept_lines[int(loc.split()[1])]}"
    if "id" not in col.extra.get("columns_used", {}):
        structures["structure_id"] = pd.array(
            [f"row {kept_lines[int(i)]}" for i in structures["structure_id"]], dtype="string"
        )
    return Parts(
        rows_kept=len(structures),
        structures=structures,
        crs=crs_name(structures),
        extra={"encoding": raw.encoding, "delimiter": raw.delimiter},
    )
