"""Reading a register: its current figures and sources, structures, units, a unit's
history and the explanation of its summary."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .._errors import DamageDataError, PlaceResolutionError, RegisterError, UsageError
from ..places import resolve_place
from ..reconcile import explain
from ..tables import COLUMNS, make_figures, make_table
from .gpkg import SOURCE_EXTRA, open_register
from .values import SRS_ID, geometry_from_blob

if TYPE_CHECKING:
    import geopandas as gpd

log = logging.getLogger(__name__)


# --- reading --------------------------------------------------------------------------------


def _query(con: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    cursor = con.execute(sql, tuple(params))
    names = [d[0] for d in cursor.description]
    return pd.DataFrame(cursor.fetchall(), columns=names, dtype=object)


def _typed_sources(frame: pd.DataFrame) -> pd.DataFrame:
    out = make_table("sources", frame)
    out["version"] = out["version"].astype("Int64")
    for column in ("supersedes", "lineage", "origin"):
        out[column] = out[column].astype("string")
    out["ingested"] = _utc_times(out["ingested"])
    return out


def _utc_times(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, errors="coerce", utc=True, format="ISO8601")


def _typed_figures(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["cumulative"] = out["cumulative"].map(
        lambda v: None if v is None else bool(v), na_action="ignore"
    )
    return make_figures(out.reset_index(drop=True))


_FIGURE_COLS = ", ".join(f'f."{c}"' for c in COLUMNS["figures"])
_SOURCE_COLS = ", ".join(f'"{c}"' for c in [*COLUMNS["sources"], *SOURCE_EXTRA])
_CURRENT = "source_id NOT IN (SELECT supersedes FROM sources WHERE supersedes IS NOT NULL)"


def read_register(
    path: str | os.PathLike[str], *, include_superseded: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The figures and sources held in a register, typed like ``make_figures``/``make_table``.

    Parameters
    ----------
    path
        The ``.gpkg`` register.
    include_superseded
        Also return sources replaced by a newer version, and their figures. By default only
        the current version of each source speaks, so a corrected file never counts twice.

    Returns
    -------
    (figures, sources)
        ``sources`` carries the register's ``version``, ``supersedes``, ``lineage``,
        ``origin`` and ``ingested`` columns after the standard ones. ``cites`` pointing at a
        superseded source is moved to its current version.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from damage_data.register import ingest
    >>> from damage_data.tables import make_figures, make_table
    >>> reg = pathlib.Path(tempfile.mkdtemp()) / "r.gpkg"
    >>> figs = make_figures([{"source_id": "s1", "damage": "destroyed", "count": 3}])
    >>> _ = ingest(reg, [(figs, make_table("sources", [{"source_id": "s1"}]))])
    >>> figures, sources = read_register(reg)
    >>> int(figures.loc[0, "count"]), list(sources["source_id"])
    (3, ['s1'])
    """
    with open_register(path) as con:
        where = "" if include_superseded else f"WHERE {_CURRENT}"
        sources = _query(con, f"SELECT {_SOURCE_COLS} FROM sources {where} ORDER BY fid")
        source_where = (
            ""
            if include_superseded
            else f"WHERE f.source_id IN (SELECT source_id FROM sources WHERE {_CURRENT})"
        )
        figures = _query(con, f"SELECT {_FIGURE_COLS} FROM figures f {source_where} ORDER BY f.fid")
        if not include_superseded:
            current = current_of(con)
            sources["cites"] = sources["cites"].map(
                lambda v: current.get(v, v) if isinstance(v, str) else v
            )
    try:
        return _typed_figures(figures), _typed_sources(sources)
    except DamageDataError as err:
        raise RegisterError(
            f"register {path} holds values this version of damage_data does not accept: {err}",
            path=str(path),
        ) from err


def current_of(con: sqlite3.Connection) -> dict[str, str]:
    """Map every superseded source_id to the current version of its source.

    Parameters
    ----------
    con
        An open register (:func:`damage_data.register.gpkg.open_register`).

    Returns
    -------
    dict of str to str
        Old source_id to the source_id of the latest version in its line; sources never
        superseded are not keys.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from damage_data.register import ingest
    >>> from damage_data.register.gpkg import open_register
    >>> from damage_data.tables import make_figures, make_table
    >>> reg = pathlib.Path(tempfile.mkdtemp()) / "r.gpkg"
    >>> for n in (3, 4, 5):  # three versions of one source
    ...     figs = make_figures([{"source_id": "s1", "damage": "destroyed", "count": n}])
    ...     _ = ingest(reg, [(figs, make_table("sources", [{"source_id": "s1"}]))])
    >>> with open_register(reg) as con:
    ...     current_of(con)
    {'s1': 's1.v3', 's1.v2': 's1.v3'}
    """
    newer = dict(
        con.execute(
            "SELECT supersedes, source_id FROM sources WHERE supersedes IS NOT NULL"
        ).fetchall()
    )
    out = {}
    for old in newer:
        seen, cur = {old}, newer[old]
        while cur in newer and newer[cur] not in seen:
            seen.add(cur)
            cur = newer[cur]
        out[old] = cur
    return out


def register_sources(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Every source in a register, all versions, with its counts of figures and structures.

    Parameters
    ----------
    path
        The ``.gpkg`` register.

    Returns
    -------
    pandas.DataFrame
        The sources table with the register's ``version``, ``supersedes``, ``lineage``,
        ``origin`` and ``ingested``, then ``current`` (false once a newer version
        superseded it), ``figures`` and ``structures`` (how many rows it holds of each).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from damage_data.register import ingest
    >>> from damage_data.tables import make_figures, make_table
    >>> reg = pathlib.Path(tempfile.mkdtemp()) / "r.gpkg"
    >>> figs = make_figures([{"source_id": "s1", "damage": "destroyed", "count": 3}])
    >>> _ = ingest(reg, [(figs, make_table("sources", [{"source_id": "s1", "title": "T"}]))])
    >>> row = register_sources(reg).iloc[0]
    >>> row["source_id"], row["title"], int(row["version"]), int(row["figures"])
    ('s1', 'T', 1, 1)
    """
    with open_register(path) as con:
        sources = _query(con, f"SELECT {_SOURCE_COLS} FROM sources ORDER BY fid")
        counts = dict(
            con.execute("SELECT source_id, count(*) FROM figures GROUP BY source_id").fetchall()
        )
        structs = dict(
            con.execute("SELECT source_id, count(*) FROM structures GROUP BY source_id").fetchall()
        )
        superseded = {
            r[0] for r in con.execute("SELECT supersedes FROM sources WHERE supersedes IS NOT NULL")
        }
    out = _typed_sources(sources)
    out["current"] = (~out["source_id"].isin(list(superseded))).astype("boolean")
    out["figures"] = out["source_id"].map(lambda s: counts.get(s, 0)).astype("Int64")
    out["structures"] = out["source_id"].map(lambda s: structs.get(s, 0)).astype("Int64")
    return out


def read_structures(
    path: str | os.PathLike[str], *, source_id: str | None = None
) -> gpd.GeoDataFrame:
    """The ``structures`` layer of a register (EPSG:4326), optionally of one source.

    Parameters
    ----------
    path
        The ``.gpkg`` register.
    source_id
        Only this source's structures.

    Returns
    -------
    geopandas.GeoDataFrame
        The columns of the ``structures`` table, in the order they were ingested.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from damage_data.register import ingest
    >>> from damage_data.tables import make_figures, make_table
    >>> reg = pathlib.Path(tempfile.mkdtemp()) / "r.gpkg"
    >>> _ = ingest(reg, [(make_figures([]), make_table("sources", [{"source_id": "s1"}]))])
    >>> len(read_structures(reg))
    0
    """
    where, params = ("WHERE source_id=?", [source_id]) if source_id else ("", [])
    return _read_layer(path, "structures", where, params)


def read_units(path: str | os.PathLike[str]) -> gpd.GeoDataFrame:
    """The ``units`` layer: bundled boundaries of the units the register's figures name.

    Parameters
    ----------
    path
        The ``.gpkg`` register.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per unit code (EPSG:4326), the first boundary the register stored for it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from damage_data.register import ingest
    >>> from damage_data.tables import make_figures, make_table
    >>> reg = pathlib.Path(tempfile.mkdtemp()) / "r.gpkg"
    >>> figs = make_figures([{"source_id": "s1", "unit_code": "AZ-CAB", "damage": "destroyed",
    ...                       "count": 3}])
    >>> _ = ingest(reg, [(figs, make_table("sources", [{"source_id": "s1"}]))])
    >>> read_units(reg)["unit_code"].tolist()
    ['AZ-CAB']
    """
    return _read_layer(path, "units", "", [])


def _read_layer(
    path: str | os.PathLike[str], table: str, where: str, params: Sequence[Any]
) -> gpd.GeoDataFrame:
    columns = [c for c, k in COLUMNS[table].items() if k != "geom"]
    names = ", ".join(f'"{c}"' for c in columns)
    with open_register(path) as con:
        frame = _query(con, f"SELECT geom, {names} FROM {table} {where} ORDER BY fid", params)
    try:
        geometry = [geometry_from_blob(b) for b in frame["geom"]]
        typed = make_table(table, frame.drop(columns="geom"))
    except DamageDataError as err:
        raise RegisterError(f"register {path}, layer {table}: {err}", path=str(path)) from err
    # geopandas only here: reading figures (every `summary --register`) needs none of it
    import geopandas as gpd

    return gpd.GeoDataFrame(typed, geometry=geometry, crs=SRS_ID)


# --- questions about one unit -------------------------------------------------------------

#: Columns of :func:`history`, in order.
HISTORY_COLUMNS: tuple[str, ...] = (
    "as_of",
    "unit_code",
    "unit_name",
    "place_text",
    "damage",
    "structure",
    "count",
    "count_min",
    "count_max",
    "qualifier",
    "count_unit",
    "cumulative",
    "status",
    "flags",
    "source_id",
    "source_title",
    "publisher",
    "published",
    "method",
    "version",
    "current",
    "evidence",
    "locator",
    "figure_id",
)


def _unit_codes(con: sqlite3.Connection, unit: str, path: Path) -> list[str]:
    """The unit code(s) a user means: a code in the register, a name there, or a place name.

    Names are matched exactly (ignoring case and spacing) against the register's own
    ``unit_name``, ``place_text`` and ``settlement``, then through
    :func:`damage_data.places.resolve_place`. Nothing is guessed: an unknown name raises.
    """
    text = " ".join(str(unit).split())
    if not text:
        raise UsageError("give a unit: a code such as AZ-TAR or a place name")
    codes = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT unit_code FROM figures WHERE unit_code = ? COLLATE NOCASE", (text,)
        )
    ]
    if codes:
        return codes
    codes = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT unit_code FROM figures WHERE unit_code IS NOT NULL AND ("
            "unit_name = ? COLLATE NOCASE OR place_text = ? COLLATE NOCASE "
            "OR settlement = ? COLLATE NOCASE) ORDER BY unit_code",
            (text, text, text),
        )
    ]
    if codes:
        return codes
    resolved = _resolve_place(text)
    if resolved:
        return [resolved]
    known = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT unit_code FROM figures WHERE unit_code IS NOT NULL "
            "ORDER BY unit_code LIMIT 40"
        )
    ]
    raise PlaceResolutionError(
        f"no unit {unit!r} in register {path}, and the name does not resolve to a unit; "
        f"give a unit code, e.g. one of: {', '.join(known) or '(the register has no figures)'}"
    )


def _resolve_place(text: str) -> str | None:
    """The unit code of a place name through the gazetteer, or None when it is not sure."""
    try:
        match = resolve_place(text)
    except DamageDataError:
        return None
    code = (
        match.get("unit_code") if isinstance(match, Mapping) else getattr(match, "unit_code", None)
    )
    kind = match.get("match") if isinstance(match, Mapping) else getattr(match, "match", None)
    if code is None or (isinstance(code, float) and code != code):
        return None
    if kind in ("fuzzy", "ambiguous", "unresolved"):
        # a fuzzy guess is not good enough to pick a unit's history
        return None
    return str(code)


def history(path: str | os.PathLike[str], unit: str) -> pd.DataFrame:
    """Every figure a register holds about a unit, over time, with its evidence and source.

    Includes figures of superseded source versions (``current`` is false for them), so the
    table shows how the reporting changed.

    Parameters
    ----------
    path
        The ``.gpkg`` register.
    unit
        A unit code (``AZ-TAR``) or a place name resolved to one.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`HISTORY_COLUMNS`, oldest ``as_of`` first.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from damage_data.register import ingest
    >>> from damage_data.tables import make_figures, make_table
    >>> reg = pathlib.Path(tempfile.mkdtemp()) / "r.gpkg"
    >>> figs = make_figures([{"source_id": "s1", "unit_code": "AZ-TAR", "damage": "destroyed",
    ...                       "count": 3, "as_of": "2020-10-17"}])
    >>> _ = ingest(reg, [(figs, make_table("sources", [{"source_id": "s1", "title": "T"}]))])
    >>> history(reg, "AZ-TAR")[["source_title", "count"]].values.tolist()
    [['T', 3]]
    """
    target = Path(path)
    with open_register(target) as con:
        codes = _unit_codes(con, unit, target)
        marks = ",".join("?" * len(codes))
        figures = _query(
            con,
            f"SELECT {_FIGURE_COLS} FROM figures f WHERE f.unit_code IN ({marks}) ORDER BY f.fid",
            codes,
        )
        sources = _query(con, f"SELECT {_SOURCE_COLS} FROM sources ORDER BY fid")
        superseded = {
            r[0] for r in con.execute("SELECT supersedes FROM sources WHERE supersedes IS NOT NULL")
        }
    typed = _typed_figures(figures)
    meta = _typed_sources(sources).set_index("source_id")
    out = typed.copy()
    ids = out["source_id"].astype(object)
    out["source_title"] = ids.map(meta["title"]).astype("string")
    out["publisher"] = ids.map(meta["publisher"]).astype("string")
    out["published"] = pd.to_datetime(ids.map(meta["published"]))
    out["method"] = ids.map(meta["method"].astype(object)).astype("string")
    out["version"] = ids.map(meta["version"]).astype("Int64")
    out["current"] = (~out["source_id"].isin(list(superseded))).astype("boolean")
    # stable: figures with the same dates keep the order they were ingested in
    out = out.sort_values(["as_of", "published"], na_position="last", kind="stable")
    return out[list(HISTORY_COLUMNS)].reset_index(drop=True)


def explain_unit(
    path: str | os.PathLike[str],
    unit: str,
    *,
    policy: str = "best",
    as_of: Any = None,
    count_possible: bool = False,
    disagree_ratio: float = 1.5,
) -> pd.DataFrame:
    """Which of a register's figures about a unit the summary uses, and the rule for each.

    Reads the register's current sources (:func:`read_register`) and calls
    :func:`damage_data.reconcile.explain` with the same options as ``summarise``. Figures of
    source versions that a newer version superseded follow, set aside with that rule.

    Parameters
    ----------
    path
        The ``.gpkg`` register.
    unit
        A unit code (``AZ-FUZ``) or a place name resolved to one.
    policy, as_of, count_possible, disagree_ratio
        As for :func:`damage_data.reconcile.summarise`.

    Returns
    -------
    pandas.DataFrame
        The figures about the unit with ``used``, ``rule`` and ``why`` (from ``explain``),
        then those of superseded versions with ``used`` false.

    Raises
    ------
    UsageError
        When ``unit`` names several units.
    PlaceResolutionError
        When it names none.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from damage_data.register import ingest
    >>> from damage_data.example import example_figures, example_sources
    >>> reg = pathlib.Path(tempfile.mkdtemp()) / "r.gpkg"
    >>> _ = ingest(reg, [(example_figures(), example_sources())])
    >>> e = explain_unit(reg, "AZ-FUZ")
    >>> bool(e.loc[e["figure_id"] == "fuz-a-325", "used"].iloc[0])
    False
    """
    target = Path(path)
    with open_register(target) as con:
        codes = _unit_codes(con, unit, target)
    if len(codes) > 1:
        raise UsageError(
            f"{unit!r} names several units in {target}: {', '.join(codes)}; give one unit code"
        )
    code = codes[0]
    figures, sources = read_register(target)
    everything, all_sources = read_register(target, include_superseded=True)
    old = everything[
        (everything["unit_code"] == code)
        & ~everything["source_id"].isin(list(sources["source_id"]))
    ]
    parts = []
    if old.empty or (figures["unit_code"] == code).any():
        # (with no figure at all, explain() raises the error that lists the known units)
        parts.append(
            explain(
                figures,
                sources,
                code,
                policy=policy,
                as_of=as_of,
                count_possible=count_possible,
                disagree_ratio=disagree_ratio,
            )
        )
    if not old.empty:
        with open_register(target) as con:
            newer = current_of(con)
        titles = all_sources.set_index("source_id")["title"]
        ids = old["source_id"].astype(object)
        parts.append(
            old.assign(
                used=False,
                rule=[f"set aside: source superseded by its newer version {newer[s]}" for s in ids],
                source_title=ids.map(titles).astype(object),
            )
        )
    if len(parts) == 1:
        return parts[0]
    return pd.concat(parts, ignore_index=True)
