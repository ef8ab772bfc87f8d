"""Adding inputs to a register: one transaction per input, a source's content hash as its
identity (the same content twice is a no-op), changed content as a new version.

Inputs are read the one way every command reads them (:mod:`damage_data.pipeline`), so a
file ingested here has the same ``source_id`` and ``figure_id``s as the same file
summarised directly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import shapely

from .. import pipeline
from .._errors import InputError, RegisterError, UsageError, ValidationError
from .._hashing import file_sha256, path_sha256
from ..count import is_structure_parquet
from ..places.gazetteer import BUNDLED_BOUNDARIES, bundled_units
from ..readers import load
from ..tables import COLUMNS, figure_id, make_figures, make_table, validate
from ..vocab import METHODS
from .gpkg import SOURCE_EXTRA, IngestResult, open_register, transaction
from .read import current_of
from .triggers import spatial_index_kept

if TYPE_CHECKING:
    import geopandas as gpd
from .values import SRS_ID, envelopes, gpkg_blobs, rows, utc_now

log = logging.getLogger(__name__)


# --- inputs ---------------------------------------------------------------------------------


@dataclass
class _Input:
    label: str
    origin: str | None
    file_sha: str | None
    sources: pd.DataFrame
    figures: pd.DataFrame
    structures: Any  # GeoDataFrame or None
    rejects: int
    kind: str | None


def _as_input(item: Any, kind: str, country: str | None = None, **read: Any) -> _Input:
    """Turn a path, a LoadResult-like object or a ``(figures, sources)`` pair into tables."""
    if isinstance(item, str | os.PathLike):
        path = Path(item)
        if not path.exists():
            raise InputError(f"input {path} does not exist", path=str(path))
        if kind == "auto" and is_structure_parquet(path):
            # a large per-structure file: counted by streaming, as `summary` counts it (the
            # same figures and ids); its structures stay in the file, not in the register
            collected = pipeline.collect([path], country=country, units=read.get("units"))
            return _Input(
                label=str(path),
                origin=str(path.resolve()),
                file_sha=path_sha256(path),
                sources=collected.sources,
                figures=collected.figures,
                structures=None,
                rejects=len(collected.rejects),
                kind="structures_parquet",
            )
        result = load(path, kind=kind, columns=read.get("columns"), layer=read.get("layer"))
        loaded = _from_loaded(result, label=str(path), country=country, **read)
        loaded.origin = str(path.resolve())
        loaded.file_sha = file_sha256(path) if path.is_file() else None
        return loaded
    if isinstance(item, tuple) and len(item) == 2:
        figures, sources = item
        return _Input(
            label="(figures, sources)",
            origin=None,
            file_sha=None,
            sources=make_table("sources", sources),
            figures=make_figures(figures),
            structures=None,
            rejects=0,
            kind=None,
        )
    if hasattr(item, "figures") and hasattr(item, "sources"):
        return _from_loaded(item, label=f"<{type(item).__name__}>", country=country, **read)
    raise UsageError(
        f"cannot ingest {type(item).__name__}: give a file path, a LoadResult from "
        "damage_data.load, or a (figures, sources) pair of DataFrames"
    )


def _from_loaded(result: Any, *, label: str, country: str | None = None, **read: Any) -> _Input:
    structures = getattr(result, "structures", None)
    if structures is not None and len(structures) == 0:
        structures = None
    if hasattr(result, "current_structures"):
        # the one way figures are made (pipeline): per-structure products counted per unit
        # (the layer keeps every structure and round), count tables placed
        figures = pipeline.figures_of(
            result,
            country=country,
            units=read.get("units"),
            settlements=read.get("settlements"),
        )
    else:
        figures = result.figures
    rejects = getattr(result, "rejects", None)
    report = getattr(result, "report", None)
    kind = getattr(result, "kind", None)
    if kind is None and isinstance(report, Mapping):
        kind = report.get("kind")
    return _Input(
        label=label,
        origin=None,
        file_sha=None,
        sources=make_table("sources", result.sources),
        figures=make_figures(figures if figures is not None else []),
        structures=structures,
        rejects=int(report["rows_rejected"])
        if isinstance(report, Mapping) and report.get("rows_rejected") is not None
        else (0 if rejects is None else len(rejects)),
        kind=None if kind is None else str(kind),
    )


def _content_sha(source: Mapping[str, Any], figures: pd.DataFrame, structures: Any) -> str:
    """A hash of what a source says, for inputs that are not one file of their own."""
    digest = hashlib.sha256()
    skip = {"sha256", "retrieved"}
    digest.update(repr(sorted((k, str(v)) for k, v in source.items() if k not in skip)).encode())
    digest.update(figures.to_csv(index=False).encode())
    if structures is not None and len(structures):
        attrs = structures.drop(columns="geometry", errors="ignore")
        digest.update(attrs.to_csv(index=False).encode())
        for body in shapely.to_wkb(structures.geometry.values, hex=True):
            digest.update((body or "").encode())
    return digest.hexdigest()


def _parse_date(value: str | dt.date | None, option: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError as err:
        raise UsageError(f"{option} {value!r} is not a date; write it as YYYY-MM-DD") from err


def _to_wgs84(structures: Any, label: str) -> gpd.GeoDataFrame:
    # geopandas only for structures: registering figures (most ingests) needs none of it
    import geopandas as gpd

    frame = (
        structures
        if isinstance(structures, gpd.GeoDataFrame)
        else gpd.GeoDataFrame(structures, geometry="geometry")
    )
    if frame.crs is None:
        minx, miny, maxx, maxy = frame.total_bounds
        if len(frame) and not (minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90):
            raise InputError(
                f"{label}: structures have no coordinate reference system and their "
                f"coordinates ({minx:.0f}, {miny:.0f}) are not longitude/latitude; give the "
                "file a .prj or CRS",
                path=label,
            )
        log.info("%s: structures without a CRS taken as EPSG:4326 (lon/lat)", label)
        return frame.set_crs(SRS_ID)
    if frame.crs.to_epsg() != SRS_ID:
        return frame.to_crs(SRS_ID)
    return frame


# --- ingest ---------------------------------------------------------------------------------


def ingest(
    register_path: str | os.PathLike[str],
    inputs: Iterable[Any] | str | os.PathLike[str],
    *,
    kind: str = "auto",
    title: str | None = None,
    publisher: str | None = None,
    published: str | dt.date | None = None,
    url: str | None = None,
    method: str | None = None,
    cites: str | None = None,
    country: str | None = None,
    columns: Mapping[str, str] | None = None,
    units: Any = None,
    settlements: Any = None,
    layer: str | None = None,
) -> list[IngestResult]:
    """Add inputs to a register, one transaction per input.

    Parameters
    ----------
    register_path
        The ``.gpkg`` register; created when missing.
    inputs
        File paths (read with :func:`damage_data.readers.load`), LoadResults, or
        ``(figures, sources)`` pairs of DataFrames.
    kind
        Reader kind passed to ``load`` for paths (``auto`` detects it).
    title, publisher, published, url, method, cites
        Source metadata that overrides what the reader found, for every source of each input.
        ``cites`` is the source_id of the primary source this one relays.
    country
        ISO alpha-2 code(s) for place resolution and for assigning per-structure products to
        the bundled boundaries (default: all bundled boundaries).
    columns, units, settlements
        The column roles of table inputs, your own units and your own villages, as for
        :func:`damage_data.pipeline.collect`.
    layer
        The layer of a GIS file or the sheet of a workbook to read, for every input given as a
        path (default: every layer with damage; a workbook's first sheet holding counts).

    Returns
    -------
    list of IngestResult
        One per input: ``added``, ``unchanged`` (identical content already there; nothing
        written) or ``new version`` (changed content of a source already in the register).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from damage_data.tables import make_figures, make_table
    >>> reg = pathlib.Path(tempfile.mkdtemp()) / "register.gpkg"
    >>> pair = (make_figures([{"source_id": "s1", "unit_code": "AZ-CAB", "damage": "damaged",
    ...                        "count": 47}]), make_table("sources", [{"source_id": "s1"}]))
    >>> [r.status for r in ingest(reg, [pair, pair])]
    ['added', 'unchanged']
    """
    if isinstance(inputs, str | os.PathLike | tuple):
        inputs = [inputs]
    items = list(inputs)
    if not items:
        raise UsageError("nothing to ingest: give at least one input")
    if method is not None and method not in METHODS:
        raise UsageError(f"unknown method {method!r}; known methods: {', '.join(METHODS)}")
    overrides = {
        k: v
        for k, v in {
            "title": title,
            "publisher": publisher,
            "published": _parse_date(published, "--published"),
            "url": url,
            "method": method,
            "cites": cites,
        }.items()
        if v not in (None, "")
    }
    results = []
    # sources written by this call: inputs given together (sharing --source-title, say) are
    # distinct sources, never versions of each other by title
    fresh: set[str] = set()
    target = Path(register_path)
    for item in items:
        loaded = _as_input(
            item,
            kind,
            country,
            columns=columns,
            units=units,
            settlements=settlements,
            layer=layer,
        )
        with open_register(target, write=True) as con:
            result = _ingest_one(con, loaded, overrides, kind=kind, same_call=frozenset(fresh))
        results.append(result)
        fresh.update(sid for sid, status in result.source_status if status != "unchanged")
    return results


def _ingest_one(
    con: sqlite3.Connection,
    item: _Input,
    overrides: Mapping[str, Any],
    *,
    kind: str,
    same_call: frozenset[str] = frozenset(),
) -> IngestResult:
    sources = item.sources.copy()
    if sources.empty:
        raise InputError(
            f"{item.label}: the input holds no source, nothing to ingest", path=item.label
        )
    if sources["source_id"].isna().any() or sources["source_id"].duplicated().any():
        raise InputError(f"{item.label}: every source needs its own source_id", path=item.label)
    for column, value in overrides.items():
        sources[column] = value
    sources = make_table("sources", sources)
    if sources["kind"].isna().all():
        sources["kind"] = item.kind or (None if kind == "auto" else kind)
    figures = item.figures
    known_ids = set(sources["source_id"])
    orphans = sorted(set(figures["source_id"].dropna()) - known_ids)
    if orphans or figures["source_id"].isna().any():
        raise InputError(
            f"{item.label}: figures refer to source_id(s) {', '.join(map(repr, orphans)) or 'NA'} "
            f"that are not among the input's sources ({', '.join(sorted(known_ids))}); "
            "give every source its row",
            path=item.label,
        )
    try:
        validate(figures, "figures")
    except ValidationError as err:
        raise ValidationError(
            f"{item.label}: {err}; nothing was written", failure_cases=err.failure_cases
        ) from err
    structures = item.structures
    if structures is not None:
        structures = _to_wgs84(structures, item.label)

    single = len(sources) == 1
    source_records = [{str(k): v for k, v in r.items()} for r in sources.to_dict("records")]
    for record in source_records:
        if single and item.file_sha:
            record["sha256"] = item.file_sha
        elif not (isinstance(record.get("sha256"), str) and record["sha256"]) or (
            sources["sha256"].nunique() < len(sources)
        ):
            sid = record["source_id"]
            struct_part = None if structures is None else structures[structures["source_id"] == sid]
            record["sha256"] = _content_sha(
                {k: v for k, v in record.items() if k not in overrides},
                figures[figures["source_id"] == sid],
                struct_part,
            )

    units = _units_of(figures)
    with transaction(con):
        outcome = _write_input(con, item, source_records, figures, structures, same_call)
        if outcome["figures"]:
            _write_units(con, units)
    statuses = [s for _, s in outcome["status"]]
    status = (
        "unchanged"
        if all(s == "unchanged" for s in statuses)
        else ("new version" if "new version" in statuses else "added")
    )
    return IngestResult(
        input=item.label,
        status=status,
        source_ids=tuple(outcome["ids"]),
        figures=outcome["figures"],
        structures=outcome["structures"],
        rejects=item.rejects,
        supersedes=tuple(outcome["supersedes"]),
        sha256=item.file_sha or (source_records[0]["sha256"] if single else ""),
        source_status=tuple(outcome["status"]),
    )


def _write_input(
    con: sqlite3.Connection,
    item: _Input,
    source_records: list[dict[str, Any]],
    figures: pd.DataFrame,
    structures: Any,
    same_call: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Write one input's new sources, figures and structures (inside the open transaction)."""
    ids: list[str] = []
    statuses: list[tuple[str, str]] = []
    supersedes: list[str] = []
    renames: dict[str, str] = {}
    new_sources: list[dict[str, Any]] = []
    now = utc_now()
    for record in source_records:
        sid = str(record["source_id"])
        same = con.execute(
            "SELECT source_id FROM sources WHERE sha256=?", (record["sha256"],)
        ).fetchone()
        if same is not None:
            ids.append(same[0])
            statuses.append((same[0], "unchanged"))
            newer = current_of(con).get(same[0])
            if newer is not None:
                log.warning(
                    "%s: same content as %s, which %s has superseded; %s stays current "
                    "(ingest a changed file to make a new version)",
                    item.label,
                    same[0],
                    newer,
                    newer,
                )
            continue
        previous = _previous_version(
            con, record, origin=item.origin, single=len(source_records) == 1, same_call=same_call
        )
        if previous is None:
            version, lineage, prior = 1, sid, None
        else:
            prior, version, lineage = previous[0], previous[1] + 1, previous[2]
        new_id = sid
        if con.execute("SELECT 1 FROM sources WHERE source_id=?", (new_id,)).fetchone():
            new_id = f"{lineage}.v{version}"
            if con.execute("SELECT 1 FROM sources WHERE source_id=?", (new_id,)).fetchone():
                new_id = f"{lineage}.{record['sha256'][:12]}"
        renames[sid] = new_id
        record = {
            **record,
            "source_id": new_id,
            "version": version,
            "supersedes": prior,
            "lineage": lineage,
            "origin": item.origin,
            "ingested": now,
        }
        if prior is not None:
            note = f"version {version}; supersedes {prior}"
            old = record.get("notes")
            record["notes"] = note if not isinstance(old, str) or not old else f"{old} ({note})"
            supersedes.append(prior)
        new_sources.append(record)
        ids.append(new_id)
        statuses.append((new_id, "new version" if prior else "added"))
    cited = {str(r["cites"]) for r in new_sources if isinstance(r.get("cites"), str) and r["cites"]}
    for cite in sorted(cited - set(renames) - set(renames.values()) - {s for s, _ in statuses}):
        if not con.execute("SELECT 1 FROM sources WHERE source_id=?", (cite,)).fetchone():
            known = [
                r[0]
                for r in con.execute("SELECT source_id FROM sources ORDER BY fid DESC LIMIT 20")
            ]
            raise RegisterError(
                f"{item.label}: cites source {cite!r}, which is not in the register nor in "
                f"the input; known source ids: {', '.join(known) or '(none yet)'}"
            )
    for record in new_sources:
        if record.get("cites") in renames:
            record["cites"] = renames[record["cites"]]
    _write_sources(con, new_sources)

    fresh = figures[figures["source_id"].isin(list(renames))].copy()
    if len(fresh):
        fresh["source_id"] = fresh["source_id"].map(renames)
        fresh = _fresh_figure_ids(con, fresh, figure_id)
    n_structures = 0
    if structures is not None:
        mine = structures[structures["source_id"].isin(list(renames))].copy()
        if len(mine):
            mine["source_id"] = mine["source_id"].map(renames)
            _write_structures(con, mine)
            n_structures = len(mine)
    _write_figures(con, fresh)
    if new_sources:
        con.execute(
            "UPDATE gpkg_contents SET last_change=? WHERE table_name IN ('sources', 'figures')",
            (now,),
        )
    return {
        "ids": ids,
        "status": statuses,
        "supersedes": supersedes,
        "figures": len(fresh),
        "structures": n_structures,
    }


def _previous_version(
    con: sqlite3.Connection,
    record: Mapping[str, Any],
    *,
    origin: str | None,
    single: bool,
    same_call: frozenset[str] = frozenset(),
) -> tuple[str, int, str] | None:
    """The current (latest) version this source replaces: same id, path or title.

    A title (with a publisher that does not conflict) links versions only across calls.
    """
    rows = con.execute(
        "SELECT source_id, version, lineage, origin, title, publisher FROM sources "
        "WHERE source_id NOT IN (SELECT supersedes FROM sources WHERE supersedes IS NOT NULL)"
        " ORDER BY fid"
    ).fetchall()
    sid = str(record["source_id"])
    title = _fold(record.get("title"))
    publisher = _fold(record.get("publisher"))
    for match in (
        lambda r: r[2] == sid or r[0] == sid,
        lambda r: single and origin is not None and r[3] == origin,
        lambda r: (
            bool(title)
            and r[0] not in same_call
            and _fold(r[4]) == title
            and (not publisher or not _fold(r[5]) or _fold(r[5]) == publisher)
        ),
    ):
        hits = [r for r in rows if match(r)]
        if hits:
            hit = hits[-1]
            return str(hit[0]), int(hit[1] or 1), str(hit[2] or hit[0])
    return None


def _fold(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(value.split()).casefold()


def _fresh_figure_ids(
    con: sqlite3.Connection, figures: pd.DataFrame, make_id: Callable[[str, str, int], str]
) -> pd.DataFrame:
    """Give figures new ids where theirs are taken (a new version of the same source)."""
    ids = [str(x) for x in figures["figure_id"]]
    taken: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        taken.update(
            r[0]
            for r in con.execute(
                f"SELECT figure_id FROM figures WHERE figure_id IN ({marks})", chunk
            )
        )
    if not taken:
        return figures
    mapping = {
        old: make_id(str(src), str(loc), i) if old in taken else old
        for i, (old, src, loc) in enumerate(
            zip(ids, figures["source_id"], figures["locator"].fillna(""), strict=True)
        )
    }
    out = figures.copy()
    for column in ("figure_id", "subset_of", "same_as"):
        out[column] = out[column].map(lambda v: mapping.get(v, v) if isinstance(v, str) else v)
    return out


def _write_sources(con: sqlite3.Connection, records: list[dict[str, Any]]) -> None:
    if not records:
        return
    columns = {
        **COLUMNS["sources"],
        **{c: ("int" if t == "INTEGER" else "str") for c, t in SOURCE_EXTRA.items()},
    }
    frame = pd.DataFrame(records)
    for column in columns:
        if column not in frame.columns:
            frame[column] = None
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" * len(columns))
    con.executemany(f"INSERT INTO sources ({names}) VALUES ({marks})", rows(frame, columns))


def _write_figures(con: sqlite3.Connection, figures: pd.DataFrame) -> None:
    if figures.empty:
        return
    columns = COLUMNS["figures"]
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" * len(columns))
    try:
        con.executemany(f"INSERT INTO figures ({names}) VALUES ({marks})", rows(figures, columns))
    except sqlite3.IntegrityError as err:
        raise RegisterError(
            f"figures could not be stored: {err} (figure ids must be unique)"
        ) from err


def _units_of(figures: pd.DataFrame) -> Any:
    """The bundled boundaries of the units the figures name (loaded before the write lock).

    Kept in the register's ``units`` layer so that QGIS can join ``figures.unit_code`` and map
    the register without the toolkit. Units of countries without bundled boundaries (and
    settlement or country figures) are simply not mapped.
    """
    codes = {str(c) for c in figures["unit_code"].dropna().unique()}
    countries = sorted({c.split("-")[0] for c in codes if "-" in c})
    if not countries:
        return None
    wanted = [c for c in countries if c in BUNDLED_BOUNDARIES]
    if not wanted:
        return None
    units = bundled_units(wanted)
    return units[units["unit_code"].isin(list(codes))]


def _write_units(con: sqlite3.Connection, units: Any) -> None:
    """Add the units not yet in the ``units`` layer (a unit's first boundary stays)."""
    if units is None or units.empty:
        return
    have = {r[0] for r in con.execute("SELECT unit_code FROM units")}
    new = units[~units["unit_code"].isin(list(have))]
    if new.empty:
        return
    _write_layer(con, "units", new)


def _extend_extent(con: sqlite3.Connection, table: str, bounds: Any) -> None:
    """Grow a layer's extent in gpkg_contents to cover ``bounds`` (minx, miny, maxx, maxy)."""
    minx, miny, maxx, maxy = (float(b) for b in bounds)
    old = con.execute(
        "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name=?", (table,)
    ).fetchone()
    if old[0] is not None:
        minx, miny = min(minx, old[0]), min(miny, old[1])
        maxx, maxy = max(maxx, old[2]), max(maxy, old[3])
    con.execute(
        "UPDATE gpkg_contents SET min_x=?, min_y=?, max_x=?, max_y=?, last_change=? "
        "WHERE table_name=?",
        (minx, miny, maxx, maxy, utc_now(), table),
    )


def _write_structures(con: sqlite3.Connection, structures: Any) -> None:
    _write_layer(con, "structures", structures)


def _write_layer(con: sqlite3.Connection, table: str, frame: Any) -> None:
    """Insert a GeoDataFrame (EPSG:4326) into a layer and grow the layer's extent."""
    typed = make_table(table, frame.drop(columns="geometry"))
    columns = {c: k for c, k in COLUMNS[table].items() if k != "geom"}
    blobs = gpkg_blobs(frame.geometry.values)
    values = [(blob, *row) for blob, row in zip(blobs, rows(typed, columns), strict=True)]
    names = ", ".join(["geom", *(f'"{c}"' for c in columns)])
    marks = ", ".join("?" * (len(columns) + 1))
    # a spatial index QGIS or GDAL added to the layer is kept up to date
    with spatial_index_kept(con, table, envelopes(frame.geometry.values)):
        con.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)
    _extend_extent(con, table, frame.total_bounds)
