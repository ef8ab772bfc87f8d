"""Which triggers and views a register may hold, and GDAL's spatial index kept in step.

A trigger stored in the file runs inside the transaction of whoever writes its table, so
one planted in a register (deleting figures, say) would run inside an ingest. The register
creates none itself. It accepts only the two kinds QGIS and GDAL add when they write to a
GeoPackage, each checked by its name, its table and the shape of its SQL:

* the GeoPackage spatial index, ``rtree_<table>_<column>_<event>`` on a layer listed in
  ``gpkg_geometry_columns``, whose body only writes that layer's ``rtree_<table>_<column>``;
* GDAL's feature counts, ``trigger_(insert|delete)_feature_count_<table>``, exactly
  ``UPDATE gpkg_ogr_contents SET feature_count = feature_count ± 1`` for that table.

Any other trigger, and any view, is refused before anything is read or written.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .._errors import RegisterError

#: Events of the spatial-index triggers: GeoPackage 1.2 has update1-4, 1.4 adds update5-7.
_RTREE_EVENTS = re.compile(r"(insert|update[1-7]|delete)")

# SQL tokens: a trigger's text is compared token by token, so quoting, case and spacing do
# not matter and nothing (a comment, a string, a subquery) can hide between the tokens.
_TOKEN = re.compile(
    r"""\s+
    | (?P<name>"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\])
    | (?P<string>'(?:[^']|'')*')
    | (?P<word>[A-Za-z_][A-Za-z0-9_$]*)
    | (?P<number>[0-9]+)
    | (?P<op>!=|<>|==|[-+=(),.;])
    """,
    re.VERBOSE,
)

# The words a spatial-index trigger is made of, besides the names of its table, column,
# index table and the table's columns. No SELECT, no string, no other function.
_RTREE_WORDS = frozenset(
    {
        *("create", "trigger", "after", "before", "for", "each", "row", "when", "begin", "end"),
        *("insert", "update", "delete", "of", "on", "or", "replace", "into", "values", "set"),
        *("from", "where", "id", "in", "and", "not", "null", "notnull", "isnull", "is"),
        *("new", "old", "minx", "maxx", "miny", "maxy"),
        *("st_isempty", "st_minx", "st_maxx", "st_miny", "st_maxy"),
    }
)
_RTREE_OPS = frozenset({"=", "!=", "<>", "==", "(", ")", ",", ".", ";"})

Token = tuple[str, str]


@dataclass(frozen=True)
class SpatialIndex:
    """The GeoPackage spatial index of one layer: its rtree table and its triggers.

    ``triggers`` holds each trigger's name and SQL, as stored in ``sqlite_master``.
    """

    table: str
    column: str
    rtree: str
    triggers: tuple[tuple[str, str], ...]


def tokens(sql: str) -> list[Token] | None:
    """``sql`` as ``(kind, text)`` tokens, or None when it holds anything else.

    Names (quoted or not) and keywords come out case-folded as kind ``word``; strings keep
    their text, unquoted.

    Parameters
    ----------
    sql
        One SQL statement.

    Returns
    -------
    list of (str, str) or None
        The tokens; None for text the tokenizer does not know (a comment, say).

    Examples
    --------
    >>> tokens('CREATE TRIGGER "a b" AFTER INSERT ON t')[:3]
    [('word', 'create'), ('word', 'trigger'), ('word', 'a b')]
    >>> tokens("SELECT 1 /* hidden */") is None
    True
    """
    out: list[Token] = []
    position = 0
    while position < len(sql):
        match = _TOKEN.match(sql, position)
        if match is None:
            return None
        position = match.end()
        kind = match.lastgroup
        if kind is None:  # whitespace
            continue
        text = match.group()
        if kind == "name":
            quote = text[0]
            text = text[1:-1].replace(quote * 2, quote) if quote != "[" else text[1:-1]
            kind = "word"
        elif kind == "string":
            text = text[1:-1].replace("''", "'")
        if kind == "word":
            text = text.casefold()
        out.append((kind, text))
    return out


def _is_feature_count(name: str, table: str, sql: str) -> bool:
    """GDAL's ``trigger_(insert|delete)_feature_count_<table>``, token for token."""
    events = {f"trigger_{e}_feature_count_{table}".casefold(): e for e in ("insert", "delete")}
    event = events.get(name.casefold())
    if event is None:
        return False
    sign = "+" if event == "insert" else "-"
    expected = tokens(
        f"CREATE TRIGGER {_quote(name)} AFTER {event} ON {_quote(table)} BEGIN UPDATE "
        f"gpkg_ogr_contents SET feature_count = feature_count {sign} 1 WHERE "
        f"lower(table_name) = lower({_literal(table)}); END"
    )
    found = tokens(sql)
    if found and found[-1] == ("op", ";"):
        found = found[:-1]
    # lower('<table>'): the name is compared ignoring case, so GDAL may write either
    return found is not None and _folded(found) == _folded(expected or [])


def _folded(found: list[Token]) -> list[Token]:
    return [(kind, text.casefold()) for kind, text in found]


def _is_spatial_index(name: str, table: str, column: str, columns: Sequence[str], sql: str) -> bool:
    """A GeoPackage spatial-index trigger of ``table``'s ``column``, by name and shape."""
    prefix = f"rtree_{table}_{column}_".casefold()
    folded = name.casefold()
    if not folded.startswith(prefix) or not _RTREE_EVENTS.fullmatch(folded[len(prefix) :]):
        return False
    found = tokens(sql)
    if found is None:
        return False
    rtree = f"rtree_{table}_{column}".casefold()
    names = {folded, table.casefold(), column.casefold(), rtree, *(c.casefold() for c in columns)}
    for kind, text in found:
        if kind == "op" and text in _RTREE_OPS:
            continue
        if kind == "word" and (text in _RTREE_WORDS or text in names):
            continue
        return False
    # where a table is named, it must be the layer (ON …) or its index (INTO/FROM/UPDATE …)
    follows = {
        "trigger": {folded},
        "on": {table.casefold()},
        "of": {column.casefold()},
        "into": {rtree},
        "from": {rtree},
        "update": {"of", "on", rtree},
    }
    for (kind, text), after in zip(found, [*found[1:], ("op", "")], strict=True):
        if kind == "word" and text in follows and after[1] not in follows[text]:
            return False
    return True


def _layers(con: sqlite3.Connection) -> list[tuple[str, str]]:
    try:
        return [
            (str(t), str(c))
            for t, c in con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns")
        ]
    except sqlite3.OperationalError:  # no such table: no layer, so no spatial index either
        return []


def _columns(con: sqlite3.Connection, table: str) -> list[str]:
    return [str(r[1]) for r in con.execute("SELECT * FROM pragma_table_info(?)", (table,))]


def _spatial_index_of(
    con: sqlite3.Connection, name: str, table: str, sql: str
) -> tuple[str, str] | None:
    """The (layer, column) whose spatial index trigger ``name`` is, or None."""
    for layer, column in _layers(con):
        if layer.casefold() != table.casefold():
            continue
        if _is_spatial_index(name, layer, column, _columns(con, layer), sql):
            return layer, column
    return None


def check_schema_objects(con: sqlite3.Connection, path: Path) -> None:
    """Refuse a register holding a view, or a trigger that is not GDAL's or GeoPackage's.

    Parameters
    ----------
    con
        An open connection to the register.
    path
        The register's path, for the message.

    Raises
    ------
    RegisterError
        Naming the view or trigger, and what to do about it.

    Examples
    --------
    >>> import sqlite3, pathlib
    >>> con = sqlite3.connect(":memory:")
    >>> _ = con.execute("CREATE TABLE t (x)")
    >>> check_schema_objects(con, pathlib.Path("r.gpkg"))  # no trigger, no view: fine
    >>> _ = con.execute("CREATE TRIGGER evil AFTER INSERT ON t BEGIN DELETE FROM t; END")
    >>> check_schema_objects(con, pathlib.Path("r.gpkg"))
    Traceback (most recent call last):
    ...
    damage_data._errors.RegisterError: register r.gpkg holds a trigger 'evil' ...
    """
    objects = con.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('trigger', 'view')"
        " ORDER BY name"
    ).fetchall()
    for kind, name, table, sql in objects:
        name, table, sql = str(name), str(table), str(sql or "")
        if kind == "trigger" and (
            (name.casefold().startswith("trigger_") and _is_feature_count(name, table, sql))
            or _spatial_index_of(con, name, table, sql) is not None
        ):
            continue
        raise RegisterError(
            f"register {path} holds a {kind} {name!r} that damage_data did not make and does "
            f"not know (only GeoPackage spatial-index and GDAL feature-count triggers are "
            f"accepted): it would run inside every ingest. Nothing was read or written; if "
            f"you trust it, keep it in another file, or remove it (DROP {kind.upper()} "
            f'"{name}") and use the register again',
            path=str(path),
        )


def spatial_index(con: sqlite3.Connection, table: str) -> SpatialIndex | None:
    """The spatial index GDAL or QGIS added to a layer of the register, if any.

    Parameters
    ----------
    con
        An open connection to a register that passed :func:`check_schema_objects`.
    table
        The layer (``structures`` or ``units``).

    Returns
    -------
    SpatialIndex or None
        None when the layer has no spatial-index trigger.

    Examples
    --------
    >>> import sqlite3
    >>> spatial_index(sqlite3.connect(":memory:"), "structures") is None
    True
    """
    found: dict[str, list[tuple[str, str]]] = {}
    for name, sql in con.execute(
        "SELECT name, sql FROM sqlite_master WHERE type='trigger' AND tbl_name=? ORDER BY name",
        (table,),
    ):
        hit = _spatial_index_of(con, str(name), table, str(sql))
        if hit is not None:
            found.setdefault(hit[1], []).append((str(name), str(sql)))
    if not found:
        return None
    column, triggers = next(iter(found.items()))
    return SpatialIndex(table, column, f"rtree_{table}_{column}", tuple(triggers))


@contextlib.contextmanager
def spatial_index_kept(
    con: sqlite3.Connection, table: str, bounds: Sequence[tuple[float, float, float, float] | None]
) -> Iterator[None]:
    """Append rows to a layer and index them as GDAL's triggers would.

    The body appends one row per entry of ``bounds`` (None for a missing or empty
    geometry). GDAL's spatial-index triggers call GDAL's own SQL functions (``ST_MinX``…),
    which a plain SQLite connection lacks and which ``trusted_schema=OFF`` would not let
    run in a trigger anyway; so inside the open transaction the triggers are set aside,
    the new rows are indexed here, and the triggers are put back as they were.

    Parameters
    ----------
    con
        A connection inside the ingest's transaction.
    table
        The layer the body appends to.
    bounds
        ``(minx, miny, maxx, maxy)`` of each appended row, in order.

    Examples
    --------
    >>> import sqlite3
    >>> con = sqlite3.connect(":memory:")
    >>> _ = con.execute("CREATE TABLE units (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom)")
    >>> with spatial_index_kept(con, "units", [(0.0, 0.0, 1.0, 1.0)]):  # no index: as is
    ...     _ = con.execute("INSERT INTO units (geom) VALUES (NULL)")
    """
    index = spatial_index(con, table)
    if index is None:
        yield
        return
    for name, _ in index.triggers:
        con.execute(f"DROP TRIGGER {_quote(name)}")
    last = con.execute(f"SELECT coalesce(max(fid), 0) FROM {_quote(table)}").fetchone()[0]
    yield
    # AUTOINCREMENT: the body's rows are the ones above the old largest fid, in order
    fids = [
        r[0]
        for r in con.execute(f"SELECT fid FROM {_quote(table)} WHERE fid > ? ORDER BY fid", (last,))
    ]
    if len(fids) != len(bounds):
        raise RegisterError(
            f"layer {table}: {len(fids)} rows were written where {len(bounds)} were expected"
        )
    con.executemany(
        f"INSERT OR REPLACE INTO {_quote(index.rtree)} VALUES (?, ?, ?, ?, ?)",
        [
            (fid, box[0], box[2], box[1], box[3])
            for fid, box in zip(fids, bounds, strict=True)
            if box is not None
        ],
    )
    for _, sql in index.triggers:
        con.execute(sql)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
