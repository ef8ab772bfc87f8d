"""Place names of count tables resolved to unit codes through :mod:`damage_data.places`.

Figures that carry a code from the source keep it (``match = code``) when no gazetteer
knows it: a code is never replaced by a guess from the name.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pandas as pd

from ..tables import join_flags, make_figures
from ..vocab import MATCH_KINDS

log = logging.getLogger("damage_data.readers")


def resolve_figure_places(
    figures: pd.DataFrame,
    *,
    country: str | Sequence[str] | None = None,
    units: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Fill ``unit_code, unit_name, level, match`` of figures from their ``place_text``.

    Places are looked up in the bundled gazetteer (of ``country``), or in ``units`` (the
    user's own admin units, e.g. a COD-AB table) when given. Returns a new table; figures
    without a place, or whose place cannot be resolved, stay unresolved and are marked
    ``needs_review``.
    """
    out = figures.copy()
    if out.empty:
        return out
    # a code written in the source stays; a unit found from the name is looked up again
    # (the country may have changed since the table was read)
    from_name = out["unit_code"].notna() & ~out["match"].astype("string").isin(
        ["code", "unresolved"]
    ).fillna(False)
    out.loc[from_name, ["unit_code", "unit_name", "level"]] = pd.NA
    coded = out["unit_code"].notna()
    out.loc[coded, "match"] = "code"
    # a code the gazetteer knows takes its name and level; one it does not know is kept
    # as written, with the source's own name beside it
    known = _bundled_codes() if units is None else _codes_of(units)
    for i in out.index[coded]:
        found = known.get(str(out.at[i, "unit_code"]).strip().upper())
        if found is not None:
            out.at[i, "unit_code"], out.at[i, "unit_name"], out.at[i, "level"] = found
    named = coded & out["unit_name"].isna() & out["place_text"].notna()
    out.loc[named, "unit_name"] = out.loc[named, "place_text"]
    names = out.loc[~coded & out["place_text"].notna(), "place_text"]
    if names.empty:
        return make_figures(out)
    try:
        from ..places import resolve_places
    except ImportError:  # the place resolver is optional at this stage of the flow
        log.warning("damage_data.places is not available: places left unresolved")
        return make_figures(out)
    rows = names.index
    parents = [None if pd.isna(v) or not str(v) else str(v) for v in out.loc[rows, "parent_text"]]
    country_arg = country if country is None or isinstance(country, str) else list(country)
    gazetteer = None
    if units is not None:
        from ..gazetteer import make_gazetteer

        gazetteer = make_gazetteer(units)
        country_arg = None
    resolved = resolve_places(
        [str(v) for v in names],
        gazetteer=gazetteer,
        country=country_arg,  # type: ignore[arg-type]
        parent=parents if any(parents) else None,
    )
    for i, hit in zip(rows, resolved.to_dict("records"), strict=True):
        match = str(hit.get("match") or "unresolved")
        if pd.notna(hit.get("unit_code")) and match not in ("unresolved", "ambiguous"):
            out.at[i, "unit_code"] = hit["unit_code"]
            out.at[i, "unit_name"] = hit.get("unit_name")
            if pd.notna(hit.get("level")):
                out.at[i, "level"] = hit["level"]
        out.at[i, "match"] = match if match in _MATCHES else "unresolved"
        flags = [*str(out.at[i, "flags"] or "").split(";")]
        if match in ("unresolved", "ambiguous", "fuzzy"):
            out.at[i, "status"] = "needs_review"
            flags.append(f"place_{match}")
        if "parent_conflict" in str(hit.get("reason") or ""):
            out.at[i, "status"] = "needs_review"
            flags.append("parent_conflict")
        out.at[i, "flags"] = join_flags(flags)
    return make_figures(out)


def _bundled_codes() -> dict[str, tuple[str, str, str]]:
    """Code → (code, name, level) of the bundled units (ISO 3166-2)."""
    from ..gazetteer import bundled_units

    return _codes_of(bundled_units())


def _codes_of(units: pd.DataFrame) -> dict[str, tuple[str, str, str]]:
    """Code → (code, name, level) of a units table (level ``adm1`` when not stated)."""
    levels = units["level"] if "level" in units.columns else pd.Series("adm1", index=units.index)
    return {
        str(c).upper(): (str(c), str(n), str(lv))
        for c, n, lv in zip(units["unit_code"], units["name"], levels, strict=True)
    }


_MATCHES = MATCH_KINDS
