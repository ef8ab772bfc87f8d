"""Reader of xBD / xView2 label JSON: one file per image tile and phase (REFERENCE §3).

Buildings come from ``features.lng_lat`` (WKT in lon/lat); ``subtype`` is the joint damage
scale. Pre-disaster files have no ``subtype``: their buildings are drawn, not graded
(``unassessed``), never counted as undamaged.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from .._errors import InputError
from ..limits import check_rows
from ._context import Context, Parts
from ._dates import parse_dates
from ._result import classify_column, make_structures


def is_xbd(value: Any) -> bool:
    """Whether parsed JSON has the xBD label layout."""
    return (
        isinstance(value, dict)
        and isinstance(value.get("features"), dict)
        and "lng_lat" in value["features"]
    )


def read_xbd(ctx: Context, value: Any) -> Parts:
    """Turn one parsed xBD label file into structures."""
    import shapely

    col = ctx.collector
    if not is_xbd(value):
        raise InputError(
            f"{ctx.path}: not an xBD label file (no features.lng_lat list).", path=str(ctx.path)
        )
    metadata = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
    features = value["features"]["lng_lat"] or []
    if not isinstance(features, list):
        raise InputError(f"{ctx.path}: features.lng_lat is not a list.", path=str(ctx.path))
    check_rows(len(features), ctx.path, ctx.limits)
    col.rows_read += len(features)
    # hostile files put lists, numbers or objects where strings belong: such values are
    # kept as their text (and rejected as unknown labels or unreadable WKT), never hashed raw
    props = [
        f["properties"] if isinstance(f, dict) and isinstance(f.get("properties"), dict) else {}
        for f in features
    ]
    wkts = [
        f.get("wkt") if isinstance(f, dict) and isinstance(f.get("wkt"), str) else None
        for f in features
    ]
    subtype = pd.Series([_label(p.get("subtype")) for p in props], dtype=object)
    pre_disaster = subtype.isna().all() and len(features) > 0
    if pre_disaster:
        col.warn("pre-disaster label file (no subtype): buildings are unassessed")
    scheme = ctx.scheme or "xbd"
    damage, bad_damage, reason = classify_column(
        subtype.fillna("un-classified") if pre_disaster else subtype, scheme
    )
    geoms = shapely.from_wkt(np.array(wkts, dtype=object), on_invalid="ignore")
    keep = np.ones(len(features), dtype=bool)
    for i, p in enumerate(props):
        locator = f"feature {i}"
        ftype = str(p.get("feature_type", "building"))
        if ftype != "building":
            col.reject(locator, "feature_type", ftype, "not a building feature")
        elif subtype.iloc[i] is None and not pre_disaster:
            col.reject(locator, "subtype", None, "missing damage subtype in a post-disaster file")
        elif bad_damage.iloc[i]:
            col.reject(locator, "subtype", subtype.iloc[i], reason)
        elif geoms[i] is None or shapely.is_empty(geoms[i]):
            col.reject(locator, "wkt", wkts[i], "missing or unreadable WKT geometry")
        else:
            continue
        keep[i] = False
    idx = np.flatnonzero(keep)
    date = parse_dates(pd.Series([_label(metadata.get("capture_date"))] * len(idx), dtype=object))
    table = pd.DataFrame(
        {
            "source_id": ctx.source_id,
            "structure_id": [str(props[i].get("uid") or f"feature {i}") for i in idx],
            "damage": damage.iloc[idx].to_numpy(),
            "damage_text": [subtype.iloc[i] for i in idx],
            "structure": "any",
            "structure_text": [_label(props[i].get("feature_type")) for i in idx],
            "assessed_on": date.to_numpy(),
            "admin_label": pd.NA,
        }
    )
    structures = make_structures(table, geoms[idx], "EPSG:4326")
    title = " ".join(str(metadata.get(k)) for k in ("disaster", "img_name") if metadata.get(k))
    return Parts(
        rows_kept=len(idx),
        structures=structures,
        crs="EPSG:4326",
        title=title or None,
        extra={
            "phase": "pre-disaster" if pre_disaster else "post-disaster",
            "disaster": metadata.get("disaster"),
            "disaster_type": metadata.get("disaster_type"),
        },
    )


def _label(value: Any) -> str | None:
    """A label as text (``None`` stays missing): lists and objects become their JSON."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, default=str) if isinstance(value, list | dict) else str(value)
