"""Structures assigned to admin units by point-in-polygon, then counted into figures.

Vectorised: each structure is reduced to a point (polygons by their representative point),
reprojected to the units' CRS, and tested with shapely's ``contains_xy`` against each
*prepared* unit polygon after a bounding-box cut (REFERENCE §7: fast, and it avoids the
STRtree trap of preparing the points instead of the polygons). A structure on a shared
boundary is given to one unit only; structures outside every unit are reported, and can be
snapped to the nearest unit within ``snap_km``.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._errors import UsageError
from ..places import resolve_places
from ..places.gazetteer import bundled_units
from ..readers._result import current_view
from ..tables import empty
from .build import figures_from_counts, latest_per_unit, undated_kept

if TYPE_CHECKING:
    import geopandas as gpd

log = logging.getLogger(__name__)

#: How a structure got its unit (the ``assigned_by`` column).
ASSIGNED_BY = ("inside", "boundary", "snapped", "outside")


def assign(
    structures: gpd.GeoDataFrame,
    units: gpd.GeoDataFrame | None = None,
    *,
    country: str | Sequence[str] | None = None,
    snap_km: float | None = None,
) -> tuple[gpd.GeoDataFrame, dict[str, Any]]:
    """Give each structure the admin unit it lies in.

    Parameters
    ----------
    structures
        A ``structures`` table (points or polygons, any CRS).
    units
        Admin units with ``unit_code, name, level`` and polygons; default: the bundled
        boundaries of ``country`` (all bundled boundaries when ``country`` is ``None``).
    country
        ISO alpha-2 code(s) choosing bundled boundaries when ``units`` is not given.
    snap_km
        Give structures outside every unit to the nearest unit within this distance (km).

    Returns
    -------
    (geopandas.GeoDataFrame, dict)
        A copy of ``structures`` with ``unit_code, unit_name, level, assigned_by`` (``inside``,
        ``boundary``, ``snapped``, ``outside``) and ``snap_km``; and a report: counts per
        ``assigned_by``, the locators of structures outside, and the agreement rate between
        the source's own ``admin_label`` and the unit found.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> s = gpd.GeoDataFrame({"structure_id": ["a"], "damage": ["destroyed"]},
    ...                      geometry=[Point(46.93, 39.99)], crs="EPSG:4326")
    >>> out, rep = assign(s, country="AZ")
    >>> out["unit_code"].tolist(), rep["inside"]
    (['AZ-AGM'], 1)
    """
    import geopandas as gpd
    import shapely

    if units is None:
        units = bundled_units(country)
    _check_units(units)
    if structures.crs is None:
        raise UsageError(
            "structures have no CRS; set it first (e.g. structures.set_crs('EPSG:4326')) so "
            "they can be reprojected to the units' CRS."
        )
    units = units[units.geometry.notna() & ~units.geometry.is_empty].reset_index(drop=True)
    points = _points(structures, units.crs)
    x, y = shapely.get_x(points), shapely.get_y(points)
    valid = ~(np.isnan(x) | np.isnan(y))
    geoms = units.geometry.to_numpy()
    unit_index, how = _locate(x, y, valid, geoms)
    distance = np.full(len(points), np.nan)
    outside = np.flatnonzero(valid & (unit_index < 0))
    if snap_km is not None and outside.size:
        if snap_km <= 0:
            raise UsageError(f"snap_km must be positive, got {snap_km}")
        nearest, dist_km = _nearest_units(points[outside], units, snap_km)
        ok = nearest >= 0
        unit_index[outside[ok]] = nearest[ok]
        how[outside[ok]] = 2
        distance[outside[ok]] = dist_km[ok]
    out = structures.copy()
    found = unit_index >= 0
    safe = np.where(found, unit_index, 0)
    out["unit_code"] = _take(units["unit_code"], safe, found)
    out["unit_name"] = _take(units["name"], safe, found)
    levels = units["level"] if "level" in units.columns else pd.Series([None] * len(units))
    out["level"] = _take(levels, safe, found)
    out["assigned_by"] = pd.Categorical.from_codes(how, categories=pd.Index(ASSIGNED_BY))
    out["snap_km"] = distance
    report = _report(out, how, valid, units, snap_km)
    if report["outside"]:
        still_out = np.flatnonzero(valid & (unit_index < 0))
        report["swapped_axes_suspected"] = _warn_outside(
            report["outside"], x[still_out], y[still_out], geoms, units.crs, snap_km
        )
    return gpd.GeoDataFrame(out, geometry=structures.geometry.name, crs=structures.crs), report


#: Structures outside every unit tested for swapped axes (a sample keeps it cheap).
SWAP_SAMPLE = 1000


def _locate(
    x: np.ndarray, y: np.ndarray, valid: np.ndarray, geoms: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The index of the unit each point lies in (-1: none) and how (0 inside, 1 boundary, 3)."""
    import shapely

    n = len(x)
    unit_index = np.full(n, -1, dtype=np.int64)
    how = np.full(n, 3, dtype=np.int8)  # index into ASSIGNED_BY; 3 = outside
    shapely.prepare(geoms)
    bounds = shapely.bounds(geoms)
    # candidates by bounding box through one sort on x: a binary search per unit instead
    # of comparing every point with every box
    order = np.argsort(np.where(valid, x, np.inf), kind="stable")
    xs = x[order]
    # first pass: strictly inside (boundary points are inside no polygon)
    for k, geom in enumerate(geoms):
        lo = int(np.searchsorted(xs, bounds[k, 0], side="left"))
        hi = int(np.searchsorted(xs, bounds[k, 2], side="right"))
        cand = order[lo:hi]
        todo = cand[(y[cand] >= bounds[k, 1]) & (y[cand] <= bounds[k, 3]) & (unit_index[cand] < 0)]
        if todo.size:
            hit = todo[shapely.contains_xy(geom, x[todo], y[todo])]
            unit_index[hit] = k
            how[hit] = 0
    # second pass: points on a boundary go to the first unit that touches them, once
    left = np.flatnonzero(valid & (unit_index < 0))
    if left.size:
        for k, geom in enumerate(geoms):
            todo = left[unit_index[left] < 0]
            if not todo.size:
                break
            hit = todo[shapely.intersects_xy(geom, x[todo], y[todo])]
            unit_index[hit] = k
            how[hit] = 1
    return unit_index, how


def _warn_outside(
    outside: int, x: np.ndarray, y: np.ndarray, geoms: np.ndarray, crs: Any, snap_km: float | None
) -> int:
    """Log the structures outside every unit; return how many look like swapped axes."""
    log.warning(
        "%d structures lie outside every unit%s",
        outside,
        "" if snap_km is None else f" (beyond {snap_km} km)",
    )
    swapped = _swapped_inside(x, y, geoms, crs)
    if swapped:
        log.warning(
            "%d of %d structures outside every unit would lie inside one with longitude "
            "and latitude swapped: check the lon/lat (x/y) columns of the source",
            swapped,
            min(x.size, SWAP_SAMPLE),
        )
    return swapped


def _swapped_inside(x: np.ndarray, y: np.ndarray, geoms: np.ndarray, crs: Any) -> int:
    """How many of (a sample of) the points would be inside a unit with x and y swapped.

    Only for longitude/latitude units: a swapped pair that is still in range (lon 40,
    lat 47 for lon 47, lat 40) lands elsewhere on Earth, and only the boundaries show it.
    """
    import shapely

    if crs is None or not getattr(crs, "is_geographic", False) or not x.size:
        return 0
    sx, sy = y[:SWAP_SAMPLE], x[:SWAP_SAMPLE]  # swapped
    inside = np.zeros(sx.size, dtype=bool)
    for geom in geoms:
        todo = ~inside
        if not todo.any():
            break
        inside[todo] = shapely.intersects_xy(geom, sx[todo], sy[todo])
    return int(inside.sum())


def _take(values: pd.Series, positions: np.ndarray, found: np.ndarray) -> Any:
    """``values`` at ``positions`` as a string array, missing where nothing was found.

    An array, not a Series: the structures' index need not be a range, and a Series would
    be aligned on it.
    """
    strings = values.astype("string").array
    # Arrow's take with fill is fast; building strings from Python objects is not
    return strings.take(np.where(found, positions, -1), allow_fill=True)


def _check_units(units: Any) -> None:
    missing = [c for c in ("unit_code", "name") if c not in getattr(units, "columns", [])]
    if missing or not hasattr(units, "geometry"):
        raise UsageError(
            "units need unit_code, name and polygon geometry (a GeoDataFrame); missing: "
            f"{', '.join(missing) or 'geometry'}. Load boundaries with "
            "damage_data.places.gazetteer.bundled_units() or read your own with geopandas."
        )
    if units.crs is None:
        raise UsageError("units have no CRS; set it (e.g. units.set_crs('EPSG:4326')).")


def _points(structures: gpd.GeoDataFrame, crs: Any) -> np.ndarray:
    """One point per structure in ``crs``: points as they are, polygons by representative point."""
    import geopandas as gpd
    import shapely

    geoms = structures.geometry.to_numpy()
    kinds = shapely.get_type_id(geoms)
    pts = geoms
    if (kinds != 0).any():  # 0 = Point; representative points lie inside their polygon
        pts = np.where(kinds == 0, geoms, shapely.point_on_surface(geoms))
    if structures.crs != crs:
        pts = gpd.GeoSeries(pts, crs=structures.crs).to_crs(crs).to_numpy()
    return np.asarray(pts)


def _nearest_units(
    points: np.ndarray, units: gpd.GeoDataFrame, snap_km: float
) -> tuple[np.ndarray, np.ndarray]:
    """Nearest unit within ``snap_km`` of each point (-1 when none), measured in metres."""
    import geopandas as gpd
    import shapely

    metric = units.estimate_utm_crs() if units.crs.is_geographic else units.crs
    unit_geoms = units.to_crs(metric).geometry.to_numpy()
    pts = gpd.GeoSeries(points, crs=units.crs).to_crs(metric).to_numpy()
    tree = shapely.STRtree(unit_geoms)
    (p_idx, u_idx), dist = tree.query_nearest(
        pts, max_distance=snap_km * 1000.0, return_distance=True, all_matches=False
    )
    nearest = np.full(len(points), -1, dtype=np.int64)
    dist_km = np.full(len(points), np.nan)
    nearest[p_idx] = u_idx
    dist_km[p_idx] = dist / 1000.0
    return nearest, dist_km


def _resolve_labels(labels: list[str], units: pd.DataFrame) -> dict[str, str]:
    """The unit code each admin label names, by the gazetteer's aliases (when available)."""

    countries = (
        sorted(set(units["country"].dropna().astype(str))) if "country" in units.columns else None
    )
    try:
        table = resolve_places(labels, country=countries or None)
    except Exception as err:  # a gazetteer without these countries: fold names instead
        log.info("admin labels not resolved (%s); comparing names only", err)
        return {}
    return {
        str(t): str(c)
        for t, c, m in zip(table["place_text"], table["unit_code"], table["match"], strict=True)
        if pd.notna(c) and m not in ("ambiguous", "unresolved")
    }


def _fold(text: object) -> str:
    value = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return "".join(ch for ch in value.casefold() if ch.isalnum())


def _report(
    out: pd.DataFrame,
    how: np.ndarray,
    valid: np.ndarray,
    units: pd.DataFrame,
    snap_km: float | None,
) -> dict[str, Any]:
    counts = np.bincount(how, minlength=4)
    outside_idx = np.flatnonzero(how == 3)
    ids = out["structure_id"] if "structure_id" in out.columns else pd.Series(out.index)
    report: dict[str, Any] = {
        "structures": len(out),
        "inside": int(counts[0]),
        "boundary": int(counts[1]),
        "snapped": int(counts[2]),
        "outside": int(counts[3]),
        "no_geometry": int((~valid).sum()),
        "outside_ids": [str(v) for v in ids.iloc[outside_idx[:100]]],
        "snap_km": snap_km,
        "units": len(units),
        "agreement": None,
        "agreement_checked": 0,
    }
    if "admin_label" in out.columns:
        labels = out["admin_label"]
        checked = labels.notna() & out["unit_code"].notna()
        if checked.any():
            pairs = pd.DataFrame(
                {
                    "label": labels[checked].astype(str),
                    "code": out.loc[checked, "unit_code"].astype(str),
                    "name": out.loc[checked, "unit_name"].astype(str),
                }
            )
            # judge each distinct pair once: millions of rows share a few hundred pairs
            distinct = pairs.drop_duplicates()
            resolved = _resolve_labels(distinct["label"].unique().tolist(), units)
            agree = {
                (lab, code, name): resolved.get(lab) == code
                or _fold(lab) in (_fold(code), _fold(name))
                for lab, code, name in distinct.itertuples(index=False, name=None)
            }
            hits = [agree[t] for t in pairs.itertuples(index=False, name=None)]
            report["agreement"] = float(np.mean(hits))
            report["agreement_checked"] = len(hits)
    return report


def structures_to_figures(
    assigned: gpd.GeoDataFrame, *, source_id: str, as_of: Any = None, current: bool = False
) -> pd.DataFrame:
    """Count assigned structures into figures, one per (unit, damage, structure).

    Each structure counts once (its latest round); a figure is dated by the latest
    assessment in its unit (DESIGN §4 rule 4), so the number of assessment dates never
    multiplies the figures. Structures assessed after ``as_of`` are left out. Structures
    outside every unit give figures without a unit, flagged ``outside_units`` for review.
    The figures are built by :func:`damage_data.count.build.figures_from_counts`, as for
    streamed files. ``current=True`` says the caller already kept each structure once (as
    :meth:`LoadResult.current_structures` does), so that is not checked again.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> s = gpd.GeoDataFrame({"structure_id": ["a", "b"], "damage": ["destroyed"] * 2,
    ...                       "structure": ["residential"] * 2},
    ...                      geometry=[Point(46.93, 39.99), Point(46.94, 39.98)], crs=4326)
    >>> f = structures_to_figures(assign(s, country="AZ")[0], source_id="s1")
    >>> f[["unit_code", "damage", "count"]].values.tolist()
    [['AZ-AGM', 'destroyed', 2]]
    """

    if assigned.empty:
        return empty("figures")
    if "unit_code" not in assigned.columns:
        raise UsageError("structures_to_figures needs assigned structures: call assign() first")
    # each structure once, unless the caller already made it so (a uniqueness test on 1e6
    # string ids costs 0.15 s)
    frame = assigned if current else current_view(assigned)
    dates = (
        pd.to_datetime(frame["assessed_on"], errors="coerce")
        if "assessed_on" in frame.columns
        else pd.Series(pd.NaT, index=frame.index)
    )
    if as_of is not None:
        keep = ~(dates > pd.Timestamp(as_of)).to_numpy()
        frame, dates = frame[keep], dates[keep]
        undated_kept(int(dates.isna().sum()), as_of)
    if frame.empty:
        return empty("figures")
    n = len(frame)
    keys = pd.DataFrame(
        {
            "unit_code": _strings(frame["unit_code"]),
            "unit_name": _strings(frame["unit_name"]),
            "level": _strings(frame["level"]) if "level" in frame.columns else pd.NA,
            "damage": _strings(frame["damage"]),
            "structure": _strings(frame["structure"]) if "structure" in frame.columns else "any",
            "layer": _strings(frame["layer"]) if "layer" in frame.columns else pd.NA,
            "blocks": frame["flags"].astype("string").fillna("").str.contains("building_block")
            if "flags" in frame.columns
            else False,
            "text": frame["damage_text"].astype("string").fillna("")
            if "damage_text" in frame.columns
            else "",
            "as_of": dates,
        },
        index=frame.index,
    )
    keys["as_of"] = latest_per_unit(keys)
    group = ["unit_code", "unit_name", "level", "damage", "structure", "layer", "blocks", "as_of"]
    sizes = keys.groupby([*group, "text"], dropna=False, observed=True, sort=True).size()
    fine = sizes.rename("count").reset_index()
    counts = (
        fine.groupby(group, dropna=False, observed=True, sort=True)
        .agg(
            count=("count", "sum"),
            damage_text=("text", lambda t: "; ".join(sorted({str(v) for v in t if v}))),
        )
        .reset_index()
    )
    counts = counts[counts["count"] > 0]
    assert int(counts["count"].sum()) == n
    return figures_from_counts(counts, source_id=source_id)


def _strings(column: pd.Series) -> pd.Series:
    """``column.astype("string")``, from a categorical's few categories and its codes.

    pandas converts a categorical value by value (measured: 0.1 s per 1e6 rows); taking from
    the categories by code gives the same strings and missing values in a fifth of the time.
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = pd.array(list(column.cat.categories.astype(str)), dtype="string")
        taken = categories.take(column.cat.codes.to_numpy(), allow_fill=True)
        return pd.Series(taken, index=column.index, name=column.name)
    return column.astype("string")
