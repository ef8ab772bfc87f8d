"""Summaries and explanations: the counting model's decisions as tables people read.

:func:`summarise` gives one row per unit (or village) with what to report;
:func:`explain` gives every figure about a place with whether it was used and the rule that
decided. The rules themselves live in :mod:`damage_data.counting`.
"""

from __future__ import annotations

import hashlib
import logging
import warnings
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._errors import DamageDataError, UsageError
from .counting import POLICIES, RULES, CountingOptions, count, options
from .numbers import count_label, share_label
from .places import display_name, resolve_places
from .places.gazetteer import BUNDLED_BOUNDARIES, bundled_settlements, bundled_unit_table
from .tables import flags_of, join_flags
from .translit import fold as fold_key
from .vocab import DAMAGE_GROUPS

if TYPE_CHECKING:
    from .tables import Collected

log = logging.getLogger(__name__)

#: Count columns of a summary: each group with its bounds (rule R8), then the rest.
COUNT_COLUMNS: tuple[str, ...] = (
    "destroyed",
    "destroyed_min",
    "destroyed_max",
    "damaged",
    "damaged_min",
    "damaged_max",
    "possibly_damaged",
    "unsplit",
    "total",
    "total_min",
    "total_max",
    "assessed",
    "residential",
    "residential_basis",
)
#: Columns of :func:`summarise`'s result, in order (a contract: the CLI's JSON uses them).
SUMMARY_COLUMNS: tuple[str, ...] = (
    "unit_code",
    "unit_name",
    "level",
    "settlement",
    "parent_code",
    *COUNT_COLUMNS,
    "residential_share",
    "count_unit",
    "n_sources",
    "total_low",
    "total_high",
    "source_id",
    "as_of",
    "flags",
)
#: Extra columns of settlement rows (``level="settlement"``).
SETTLEMENT_COLUMNS: tuple[str, ...] = ("lon", "lat")
BY_SOURCE_COLUMNS: tuple[str, ...] = (
    "unit_code",
    "unit_name",
    "level",
    "settlement",
    "source_id",
    "title",
    "publisher",
    "method",
    "published",
    "cites",
    *COUNT_COLUMNS,
    "residential_share",
    "count_unit",
    "as_of",
    "used",
    "rule",
    "why",
    "flags",
)
LEVEL_ORDER: dict[str, int] = {"country": 0, "adm1": 1, "adm2": 2, "adm3": 3, "settlement": 4}
_INTEGER = (*COUNT_COLUMNS, "n_sources", "total_low", "total_high")

__all__ = [
    "BY_SOURCE_COLUMNS",
    "COUNT_COLUMNS",
    "DAMAGE_GROUPS",
    "POLICIES",
    "RULES",
    "SUMMARY_COLUMNS",
    "CountingOptions",
    "explain",
    "summarise",
]


def summarise(
    figures: pd.DataFrame | Collected,
    sources: pd.DataFrame | None = None,
    *,
    policy: str = "best",
    as_of: Any = None,
    count_possible: bool = False,
    by_source: bool = False,
    disagree_ratio: float = 1.5,
    window_days: int = 7,
    include_review: bool = False,
    rollup: bool = False,
    level: str = "unit",
    lang: str = "en",
    settlements: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per unit: what to report, reconciled across sources and dates.

    Parameters
    ----------
    figures
        A ``figures`` table (:func:`damage_data.make_figures`), or a ``Collected`` from
        :func:`damage_data.pipeline.collect` (its sources are then used).
    sources
        The ``sources`` table: dates, methods, and which report relays which. Without it,
        relayed reports cannot be told from their primary source (a warning says so).
    policy
        ``best`` (primary over relaying report, own figure over villages, latest, then
        method rank), ``latest``, ``max`` (largest total), or ``all`` (like ``by_source``).
    as_of
        Ignore figures dated after this day (a series gives its latest figure before it).
    count_possible
        Add "possibly damaged" to damaged.
    by_source
        One row per unit and source, side by side, with the rule that decided.
    disagree_ratio
        Sources about the same date whose totals differ by more than this ratio are flagged
        ``disagree``.
    include_review
        Count figures marked ``needs_review`` too.
    rollup
        Add a row per country summing its units when the country has no figure of its own
        (flag ``partial``), and flag ``children_exceed`` when units add up to more than the
        country's own figure.
    level
        ``unit`` (villages rolled up into their unit) or ``settlement`` (one row per village,
        ``unit_code`` being the unit it lies in).
    lang
        Language of ``unit_name`` (``en``, ``az``, ``ru``, ``hy``, ``uk``, ``native``).
    settlements
        A settlement gazetteer (``name, unit_code, lon, lat``) giving village coordinates at
        ``level="settlement"``; default: the bundled GeoNames places.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SUMMARY_COLUMNS` (or :data:`BY_SOURCE_COLUMNS`). Damaged excludes
        destroyed; a count is missing (not zero) where the chosen source says nothing;
        ``*_max`` is missing where a figure has no upper bound ("more than 500").

    Examples
    --------
    >>> from damage_data.example import example_figures, example_sources
    >>> s = summarise(example_figures(), example_sources())
    >>> s.set_index("unit_code").loc["AZ-CAB", ["destroyed", "damaged", "residential"]].tolist()
    [0, 47, 41]
    """
    figures, sources = _unpack(figures, sources)
    opts = options(
        policy=policy,
        as_of=as_of,
        count_possible=count_possible,
        disagree_ratio=disagree_ratio,
        window_days=window_days,
        include_review=include_review,
        level=level,
    )
    key = _memo_key(figures, sources, settlements, (opts, by_source, policy, rollup, lang))
    hit = _MEMO.get(key) if key is not None else None
    if key is not None and hit is not None:
        _MEMO.move_to_end(key)
        table, n_duplicates = hit
    else:
        table, n_duplicates = _summary(
            figures, sources, opts, by_source, policy, rollup, level, lang, settlements
        )
        if key is not None:
            _MEMO[key] = (table, n_duplicates)
            while len(_MEMO) > _MEMO_SIZE:
                _MEMO.popitem(last=False)
    if n_duplicates:
        log.warning(
            "%d figure(s) reached the summary more than once (the same source by two paths, "
            "e.g. a file and a register holding it): each counted once",
            n_duplicates,
        )
    return table.copy()


# A notebook redraws a map or chart many times from the same tables, and each redraw would
# count them again (about 0.1 s for the example's 55 figures, mostly fixed pandas costs). The
# summary is a pure function of its tables and options, so the last few are kept, keyed by
# the tables' contents (pandas' row hashes, ~2 ms for 55 rows; a table edited in place gets
# a new key) and handed out as copies. functools.lru_cache cannot do this: DataFrames are
# not hashable.
_MEMO: OrderedDict[tuple[Any, ...], tuple[pd.DataFrame, int]] = OrderedDict()
_MEMO_SIZE = 8


def _memo_key(
    figures: pd.DataFrame,
    sources: pd.DataFrame | None,
    settlements: pd.DataFrame | None,
    options: tuple[Any, ...],
) -> tuple[Any, ...] | None:
    """The key of a summary in :data:`_MEMO`, or None when a table cannot be hashed."""
    digests = []
    for table in (figures, sources, settlements):
        if table is None:
            digests.append("")
            continue
        try:
            rows = pd.util.hash_pandas_object(table, index=True).to_numpy()
        except (TypeError, ValueError):  # a cell pandas cannot hash (a dict, a list)
            return None
        digest = hashlib.blake2b(rows.tobytes(), digest_size=16)
        digest.update(repr([(str(c), str(t)) for c, t in table.dtypes.items()]).encode())
        digests.append(digest.hexdigest())
    return (*digests, repr(options))


def _summary(
    figures: pd.DataFrame,
    sources: pd.DataFrame | None,
    opts: CountingOptions,
    by_source: bool,
    policy: str,
    rollup: bool,
    level: str,
    lang: str,
    settlements: pd.DataFrame | None,
) -> tuple[pd.DataFrame, int]:
    """:func:`summarise` itself: the table and how many duplicate figures it met."""
    counted = count(figures, sources, opts)
    n_duplicates = len(counted.duplicates)
    names = _figure_names(figures)
    if by_source or policy == "all":
        table = _by_source_table(counted.views, sources, names, figures, counted.decisions, lang)
        return table, n_duplicates
    rows = counted.rows
    if rows.empty:
        return _typed(pd.DataFrame(columns=list(SUMMARY_COLUMNS)), SUMMARY_COLUMNS), n_duplicates
    rows = rows.copy()
    rows["level"] = _levels(rows, figures, level)
    rows["count_unit"] = _count_units(rows, figures, counted.decisions)
    if rollup and level == "unit":
        rows = _rollup(rows)
    table = rows.reindex(columns=list(SUMMARY_COLUMNS))
    table["unit_name"] = _unit_names(table["unit_code"], names, lang)
    table["parent_code"] = _parent_codes(table)
    columns: tuple[str, ...] = SUMMARY_COLUMNS
    if level == "settlement":
        table = _with_coordinates(table, figures, settlements)
        columns = (*SUMMARY_COLUMNS, *SETTLEMENT_COLUMNS)
    table = _typed(table, columns)
    order = table["level"].map(LEVEL_ORDER).fillna(9)
    table = (
        table.assign(_o=order)
        .sort_values(["_o", "unit_code", "settlement"])
        .drop(columns="_o")
        .reset_index(drop=True)
    )
    return table, n_duplicates


def explain(
    figures: pd.DataFrame | Collected, sources: pd.DataFrame | None, unit: str, **opts: Any
) -> pd.DataFrame:
    """Every figure about ``unit`` with whether it was used and the rule that decided.

    Parameters
    ----------
    figures, sources
        As for :func:`summarise`.
    unit
        A unit code (``AZ-FUZ``) or a place name in any spelling the gazetteer resolves
        (``Fuzuli``, ``Физули``); a village name at ``level="settlement"``.
    **opts
        The options of :func:`summarise`.

    Returns
    -------
    pandas.DataFrame
        The figure columns plus ``used`` (bool), ``rule`` (the rule's name, see
        :data:`damage_data.counting.RULES`), ``why`` (a sentence) and ``source_title``.

    Examples
    --------
    >>> from damage_data.example import example_figures, example_sources
    >>> e = explain(example_figures(), example_sources(), "Fuzuli")
    >>> relayed = e.set_index("figure_id").loc["fuz-a-325"]
    >>> bool(relayed["used"]), relayed["rule"]
    (False, 'source_relayed')
    """
    figures, sources = _unpack(figures, sources)
    code = _unit_code_of(figures, unit)
    subset = figures[figures["unit_code"].astype("string") == code]
    counted = count(subset, sources, options(**opts))
    decided = counted.decisions.set_index("figure_id")
    out = subset.copy().reset_index(drop=True)
    ids = out["figure_id"].astype(str)
    out["used"] = ids.map(decided["used"]).fillna(False).astype(bool)
    out["rule"] = ids.map(decided["rule"]).fillna("").astype("string")
    out["why"] = ids.map(decided["why"]).fillna("").astype("string")
    titles = (
        {} if sources is None else dict(zip(sources["source_id"], sources["title"], strict=True))
    )
    out["source_title"] = out["source_id"].map(titles)
    return out.sort_values(["used", "as_of"], ascending=[False, False]).reset_index(drop=True)


# --- helpers -------------------------------------------------------------------------------


def _unpack(figures: Any, sources: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Accept a ``Collected`` (figures and sources together) as well as two tables."""
    if hasattr(figures, "figures") and hasattr(figures, "sources"):
        return figures.figures, sources if sources is not None else figures.sources
    if not isinstance(figures, pd.DataFrame):
        raise UsageError(
            f"expected a figures table (a DataFrame), got {type(figures).__name__}; read "
            "inputs with damage_data.pipeline.collect()"
        )
    if sources is None and not figures.empty:
        warnings.warn(
            "summarise() without a sources table: which report relays which, publication "
            "dates and method ranks are unknown, so a relaying report may be used instead of "
            "its primary source. Pass the sources (or the whole Collected).",
            UserWarning,
            stacklevel=3,
        )
    return figures, sources


def _unit_code_of(figures: pd.DataFrame, unit: str) -> str:
    codes = set(figures["unit_code"].dropna().astype(str))
    if unit in codes:
        return unit
    if unit.upper() in codes:
        return unit.upper()

    hit = resolve_places([unit])
    code = hit["unit_code"].tolist()[0]
    if code is not None and not pd.isna(code) and str(code) in codes:
        return str(code)
    by_name = {
        str(n).casefold(): str(c)
        for c, n in zip(figures["unit_code"], figures.get("unit_name", []), strict=False)
        if not pd.isna(c) and not pd.isna(n)
    }
    if unit.casefold() in by_name:
        return by_name[unit.casefold()]
    known = sorted(codes)
    raise UsageError(
        f"no figures about {unit!r}; places with figures: {', '.join(known[:30])}"
        + (" …" if len(known) > 30 else "")
    )


def _figure_names(figures: pd.DataFrame) -> dict[str, str]:
    if "unit_name" not in figures.columns:
        return {}
    if "status" in figures.columns:
        # the names of counted figures win over those sent to review (a row whose code
        # and name disagree must not name the unit)
        accepted = figures["status"].astype("string").eq("accepted").fillna(False)
        figures = pd.concat([figures[~accepted], figures[accepted]])
    return {
        str(c): str(n)
        for c, n in zip(figures["unit_code"], figures["unit_name"], strict=True)
        if not pd.isna(c) and not pd.isna(n) and str(n)
    }


def _unit_names(codes: pd.Series, figure_names: dict[str, str], lang: str) -> list[str]:

    names: dict[str, str] = {}
    for code in dict.fromkeys(str(c) for c in codes):
        try:
            name = display_name(code, lang=lang)
        except DamageDataError:  # a code no gazetteer knows
            name = None
        if not name or name == code:  # unknown to the gazetteer: the figures name it
            name = figure_names.get(code) or code
        names[code] = name
    return [names[str(c)] for c in codes]


def _levels(rows: pd.DataFrame, figures: pd.DataFrame, level: str) -> list[str]:
    """The level of each row: settlement, else the unit's level from its figures or the
    gazetteer (a unit only its villages speak for has no figure of its own)."""
    if level == "settlement":
        return ["settlement"] * len(rows)
    own = figures[figures["level"].astype("string").ne("settlement").fillna(True)]
    by_code = (
        own.dropna(subset=["unit_code"])
        .assign(_o=own["level"].astype("string").map(LEVEL_ORDER).fillna(1))
        .sort_values("_o")
        .drop_duplicates("unit_code")
        .set_index(own["unit_code"].dropna().astype(str).name)["level"]
    )
    lookup = {str(k): str(v) for k, v in by_code.items() if not pd.isna(v)}
    out = []
    for code in rows["unit_code"].astype(str):
        out.append(lookup.get(code) or _gazetteer_level(code))
    return out


def _gazetteer_level(code: str) -> str:

    units = _bundled_of([code])
    hit = units.loc[units["unit_code"] == code, "level"]
    if not hit.empty:
        return str(hit.iloc[0])
    # a code no gazetteer knows, with no level from its figures: two letters are a country
    # (ISO 3166-1), anything else (Chile's "43", Nepal's "524 2 05 27") a unit
    return "country" if len(code) == 2 and code.isalpha() else "adm1"


def _count_units(rows: pd.DataFrame, figures: pd.DataFrame, decisions: pd.DataFrame) -> list[str]:
    """The count unit of each row's source figures (rule R9: one per row): the most common
    one of that source and unit among figures not set aside for their count unit (ties: the
    first by name), ``buildings`` when none is said."""
    other_unit = decisions.loc[decisions["rule"] == "count_unit", "figure_id"]
    named = figures[~figures["figure_id"].astype(str).isin(set(other_unit)).to_numpy()]
    named = named.dropna(subset=["unit_code", "count_unit"])
    sizes = (
        pd.DataFrame(
            {
                "source_id": named["source_id"].astype(str).to_numpy(),
                "unit_code": named["unit_code"].astype(str).to_numpy(),
                "count_unit": named["count_unit"].astype(str).to_numpy(),
            }
        )
        .value_counts()
        .reset_index(name="n")
        .sort_values(["n", "count_unit"], ascending=[False, True], kind="stable")
        .drop_duplicates(["source_id", "unit_code"])
    )
    common = dict(
        zip(
            zip(sizes["source_id"], sizes["unit_code"], strict=True),
            sizes["count_unit"],
            strict=True,
        )
    )
    return [
        common.get((str(s), str(u)), "buildings")
        for s, u in zip(rows["source_id"], rows["unit_code"], strict=True)
    ]


def _bundled_of(codes: Any) -> pd.DataFrame:
    """The bundled units of the countries ``codes`` belong to (their prefixes), only those."""
    countries = sorted({str(c).split("-")[0] for c in codes} & set(BUNDLED_BOUNDARIES))
    if not countries:
        return pd.DataFrame(columns=["unit_code", "level", "parent_code"])
    return bundled_unit_table(countries)


def _parent_codes(table: pd.DataFrame) -> list[Any]:

    units = _bundled_of(table["unit_code"].dropna().unique())
    parents = dict(zip(units["unit_code"], units["parent_code"], strict=True))
    out: list[Any] = []
    for code, level in zip(table["unit_code"], table["level"], strict=True):
        code = str(code)
        if level == "settlement":
            out.append(code)
        elif level == "country":
            out.append(pd.NA)
        elif code in parents and not pd.isna(parents[code]):
            out.append(parents[code])
        else:
            out.append(code.split("-")[0] if "-" in code else pd.NA)
    return out


def _with_coordinates(
    table: pd.DataFrame, figures: pd.DataFrame, settlements: pd.DataFrame | None
) -> pd.DataFrame:
    """Village coordinates: from the figures' own lon/lat, else the settlement gazetteer."""
    out = table.copy()
    out["lon"], out["lat"] = np.nan, np.nan
    if {"lon", "lat"} <= set(figures.columns):
        given = figures.dropna(subset=["lon", "lat"])
        own = {
            (str(u), str(s)): (float(x), float(y))
            for u, s, x, y in zip(
                given["unit_code"], given["settlement"], given["lon"], given["lat"], strict=True
            )
        }
    else:
        own = {}
    places = settlements
    if places is None:
        places = bundled_settlements()

    known: dict[tuple[str, str], tuple[float, float]] = {}
    if places is not None and not places.empty and {"lon", "lat"} <= set(places.columns):
        for name, unit, x, y in zip(
            places["name"], places["unit_code"], places["lon"], places["lat"], strict=True
        ):
            known.setdefault((str(unit), fold_key(str(name))), (float(x), float(y)))
    for i, (unit, village) in enumerate(zip(out["unit_code"], out["settlement"], strict=True)):
        xy = own.get((str(unit), str(village))) or known.get((str(unit), fold_key(str(village))))
        if xy:
            out.loc[out.index[i], ["lon", "lat"]] = xy
    return out


def _by_source_table(
    views: pd.DataFrame,
    sources: pd.DataFrame | None,
    names: dict[str, str],
    figures: pd.DataFrame,
    decisions: pd.DataFrame,
    lang: str,
) -> pd.DataFrame:
    if views.empty:
        return _typed(pd.DataFrame(columns=list(BY_SOURCE_COLUMNS)), BY_SOURCE_COLUMNS)
    table = views.copy()
    meta = (
        sources.drop_duplicates("source_id").set_index("source_id")
        if sources is not None and not sources.empty
        else pd.DataFrame(columns=["title", "publisher", "method", "published", "cites"])
    )
    for column in ("title", "publisher", "method", "published", "cites"):
        table[column] = table["source_id"].map(meta[column]) if column in meta else pd.NA
    table["level"] = _levels(table, figures, "unit")
    table.loc[table["settlement"].fillna("") != "", "level"] = "settlement"
    table["count_unit"] = _count_units(table, figures, decisions)
    table["unit_name"] = _unit_names(table["unit_code"], names, lang)
    table = _typed(table.reindex(columns=list(BY_SOURCE_COLUMNS)), BY_SOURCE_COLUMNS)
    return table.sort_values(
        ["level", "unit_code", "used", "as_of"],
        ascending=[True, True, False, False],
        key=lambda s: s.map(LEVEL_ORDER) if s.name == "level" else s,
    ).reset_index(drop=True)


def _rollup(rows: pd.DataFrame) -> pd.DataFrame:
    """Country rows from their units: the country's own figure wins; units give a partial."""
    records = [{str(k): v for k, v in r.items()} for r in rows.to_dict("records")]
    by_country: dict[str, list[dict[str, Any]]] = defaultdict(list)
    own: dict[str, dict[str, Any]] = {}
    for r in records:
        code = str(r["unit_code"])
        if r["level"] == "country":
            own[code] = r
        elif r["level"] != "settlement":
            by_country[code.split("-")[0]].append(r)
    for country, units in by_country.items():
        sums: dict[str, Any] = {}
        for column in COUNT_COLUMNS:
            vals = [u[column] for u in units if not _missing(u[column])]
            sums[column] = sum(vals) if vals else np.nan
        for stat in ("destroyed", "damaged", "total"):
            if any(_missing(u[f"{stat}_max"]) and not _missing(u[stat]) for u in units):
                sums[f"{stat}_max"] = np.nan
        if country in own:
            parent = own[country]
            exceed = [
                c
                for c in ("destroyed", "damaged", "total")
                if not _missing(parent[c]) and not _missing(sums[c]) and sums[c] > parent[c]
            ]
            if exceed:
                parent["flags"] = join_flags([*flags_of(parent["flags"]), "children_exceed"])
            continue
        total, res, basis = sums["total"], sums["residential"], sums["residential_basis"]
        dates = [u["as_of"] for u in units if not _missing(u["as_of"])]
        share = (
            round(res / basis, 3)
            if not _missing(res) and not _missing(basis) and basis and basis >= 0.5 * total
            else np.nan
        )
        records.append(
            {
                "unit_code": country,
                "level": "country",
                "settlement": "",
                **sums,
                "residential_share": share,
                "count_unit": units[0].get("count_unit"),
                "n_sources": len({u["source_id"] for u in units}),
                "as_of": max(dates) if dates else pd.NaT,
                "flags": join_flags(["partial", "sum_of_units"]),
            }
        )
    return pd.DataFrame(records)


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _typed(table: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    out = table.copy()
    for column in _INTEGER:
        if column in out.columns:
            out[column] = pd.to_numeric(out[column], errors="coerce").round().astype("Int64")
    for column in ("residential_share", "lon", "lat"):
        if column in out.columns:
            out[column] = pd.to_numeric(out[column], errors="coerce").astype("Float64")
    out["as_of"] = pd.to_datetime(out["as_of"], errors="coerce")
    for column in (
        "unit_code",
        "unit_name",
        "level",
        "settlement",
        "parent_code",
        "count_unit",
        "source_id",
        "flags",
        "rule",
        "why",
    ):
        if column in out.columns:
            out[column] = out[column].astype("string")
    out["settlement"] = out["settlement"].replace("", pd.NA)
    out["flags"] = out["flags"].fillna("")
    if "used" in out.columns:
        out["used"] = out["used"].astype(bool)
    return out[list(columns)]


def _sources_range(low: Any, high: Any, n: Any, lang: str) -> str:
    """The range of the sources' totals of a place ("80–300"; "40+" with no upper bound)."""
    if _missing(low) or _missing(n) or int(n) < 2:
        return ""
    if _missing(high):
        return count_label(low, low, None, lang=lang)
    return "" if low == high else count_label(low, low, high, lang=lang)


def readable(summary: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """A summary as people read it: counts with their bounds ("500+", "55–60"), shares as
    percentages with their basis, the range across sources, flags as they are.

    Examples
    --------
    >>> from damage_data.example import example_figures, example_sources
    >>> r = readable(summarise(example_figures(), example_sources()))
    >>> r.set_index("unit_code").loc["AZ", "damaged"]
    '13,000+'
    """

    out = pd.DataFrame({"unit_code": summary["unit_code"], "unit_name": summary["unit_name"]})
    out["level"] = summary["level"]
    if summary["settlement"].notna().any():
        out["settlement"] = summary["settlement"].fillna("")
    for group in ("destroyed", "damaged", "total"):
        out[group] = [
            count_label(v, lo, hi, lang)
            for v, lo, hi in zip(
                summary[group], summary[f"{group}_min"], summary[f"{group}_max"], strict=True
            )
        ]
        if group == "damaged":
            out["possibly_damaged"] = [
                count_label(v, lang=lang) for v in summary["possibly_damaged"]
            ]
            out["unsplit"] = [count_label(v, lang=lang) for v in summary["unsplit"]]
    out["assessed"] = [count_label(v, lang=lang) for v in summary["assessed"]]
    out["residential"] = [count_label(v, lang=lang) for v in summary["residential"]]
    out["residential_share"] = [
        f"{share_label(s, lang)} of {count_label(b, lang=lang)}" if share_label(s, lang) else ""
        for s, b in zip(summary["residential_share"], summary["residential_basis"], strict=True)
    ]
    out["n_sources"] = summary["n_sources"]
    out["sources_range"] = [
        _sources_range(lo, hi, n, lang)
        for lo, hi, n in zip(
            summary["total_low"], summary["total_high"], summary["n_sources"], strict=True
        )
    ]
    out["as_of"] = summary["as_of"].dt.strftime("%Y-%m-%d").fillna("")
    out["flags"] = summary["flags"]
    # columns with nothing in them say nothing to a reader (the CSV/JSON keep every column)
    optional = ["possibly_damaged", "unsplit", "assessed", "residential", "residential_share"]
    optional.append("sources_range")
    empty = [c for c in optional if out[c].astype(str).isin(["", "nan", "<NA>"]).all()]
    return out.drop(columns=["level", *empty])
