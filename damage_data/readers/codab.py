"""OCHA COD-AB attribute tables and boundary files to a ``units`` table with p-codes.

``ADMn_PCODE`` / ``ADMn_PC`` columns name the levels; the deepest level's rows are the units,
with their parent's code and the country. Names repeat across parents (Ukraine has 134
duplicated hromada names), so the parent code is kept for matching names with their parent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._errors import DamageDataError, InputError
from ..limits import check_rows
from ..tables import make_table
from ._context import Context, Parts
from .raw import raw_frame, read_raw

_PCODE = re.compile(r"^ADM(\d)_(PCODE|PC)$", re.I)


def codab_levels(columns: Sequence[str]) -> dict[int, dict[str, str]]:
    """``{level: {"code": col, "name": col}}`` of an OCHA COD-AB attribute table."""
    levels: dict[int, dict[str, str]] = {}
    for name in columns:
        match = _PCODE.match(name)
        if match:
            levels.setdefault(int(match.group(1)), {})["code"] = name
    for name in columns:
        match = re.match(r"^ADM(\d)_(EN|NAME|REF)$", name, re.I)
        if match and int(match.group(1)) in levels:
            levels[int(match.group(1))].setdefault("name", name)
    return levels


def read_codab(ctx: Context) -> Parts:
    """An OCHA COD-AB attribute table (or boundary file) → a ``units`` table with p-codes."""
    import pyogrio

    col = ctx.collector
    suffix = ctx.target.suffix.lower()
    geometry = None
    if suffix in (".csv", ".tsv", ".txt", ".xlsx"):
        frame = raw_frame(read_raw(ctx)).replace("", None)
    else:
        try:
            info = pyogrio.read_info(ctx.target, layer=ctx.layer)
            with_geom = info.get("geometry_type") not in (None, "Unknown") and suffix != ".dbf"
            check_rows(int(info.get("features") or 0), ctx.path, ctx.limits)
            frame = pyogrio.read_dataframe(ctx.target, layer=ctx.layer, read_geometry=with_geom)
        except DamageDataError:
            raise
        except Exception as err:
            raise InputError(
                f"{ctx.path}: not a readable COD-AB table ({err}).", path=str(ctx.path)
            ) from err
        if "geometry" in frame.columns:
            geometry = frame.geometry
    levels = codab_levels(list(frame.columns))
    if not levels:
        raise InputError(
            f"{ctx.path}: no ADMn_PCODE columns: not an OCHA COD-AB table.", path=str(ctx.path)
        )
    deepest = max(levels)
    col.rows_read += len(frame)
    code_col = levels[deepest]["code"]
    codes = frame[code_col].astype("string").str.strip()
    bad = codes.isna() | (codes == "")
    for i in np.flatnonzero(bad.to_numpy(dtype=bool)):
        col.reject(f"row {i + 2}", code_col, None, "missing p-code")
    dup = codes.duplicated(keep="first") & ~bad
    for i in np.flatnonzero(dup.to_numpy(dtype=bool)):
        col.reject(f"row {i + 2}", code_col, codes.iloc[i], "duplicate p-code")
    keep = ~(bad | dup).to_numpy(dtype=bool)
    parent = levels.get(deepest - 1, {}).get("code")
    level_name = {0: "country", 1: "adm1", 2: "adm2", 3: "adm3"}.get(deepest, "settlement")
    units = pd.DataFrame(
        {
            "unit_code": codes[keep].to_numpy(),
            "name": frame.loc[keep, levels[deepest]["name"]].to_numpy()
            if "name" in levels[deepest]
            else pd.NA,
            "level": level_name,
            "parent_code": frame.loc[keep, parent].to_numpy() if parent else pd.NA,
            "country": frame.loc[keep, levels[0]["code"]].to_numpy()
            if 0 in levels
            else codes[keep].str[:2].to_numpy(),
        }
    )
    extra = [
        c
        for c in frame.columns
        if c not in {v for lv in levels.values() for v in lv.values()} and c != "geometry"
    ]
    for name in extra:
        units[name] = frame.loc[keep, name].to_numpy()
    table = make_table("units", units)
    if geometry is not None:
        import geopandas as gpd

        table = gpd.GeoDataFrame(table, geometry=geometry[keep].to_numpy(), crs=geometry.crs)
    return Parts(
        rows_kept=int(keep.sum()),
        units=table,
        extra={
            "levels": {f"adm{k}": v for k, v in levels.items()},
            "unit_level": level_name,
            "other_columns": extra,
        },
    )
