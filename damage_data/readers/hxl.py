"""HXL-tagged tables (CSV, XLSX, JSON) read with libhxl: the hashtags decide the roles.

``#adm1+name``/``#loc+name`` name places (the deepest is the place, the next its parent),
``#affected+buildings+destroyed`` and ``+partially`` are wide counts, an ``#impact`` label
column with a value column is a long table. Rows then go through the same figure builder as
any count table (:func:`damage_data.readers.table.figures_from_table`).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from .._errors import DamageDataError, InputError
from ..limits import check_rows
from ..vocab import DAMAGE_STATES
from ._context import Context, Parts
from ._files import decode_text, is_zip
from .colmap import ColumnMap, CountColumn
from .columns import user_mapping
from .headers import state_in_header, structure_in_header
from .raw import unique_names
from .table import figures_from_table

_HXL_PLACES = ("#country", "#adm1", "#adm2", "#adm3", "#adm4", "#loc")
_HXL_LEVEL = {
    "#adm1": "adm1",
    "#adm2": "adm2",
    "#adm3": "adm3",
    "#adm4": "settlement",
    "#loc": "settlement",
    "#country": "country",
}
#: HXL attributes that say which damage a count column holds (REFERENCE §4).
_HXL_DAMAGE = {
    "destroyed": "destroyed",
    "totally": "destroyed",
    "fully": "destroyed",
    "partially": "damaged",
    "partial": "damaged",
    "damaged": "damaged",
    "inspected": "assessed",
    "assessed": "assessed",
}


def hxl_state(tag: str) -> str | None:
    """The damage state an HXL tag's attributes name (``+destroyed`` → destroyed)."""
    attributes = tag.split("+")[1:]
    for attribute in attributes:
        if attribute.lower() in _HXL_DAMAGE:
            return _HXL_DAMAGE[attribute.lower()]
    return state_in_header(" ".join(attributes))


def read_hxl(ctx: Context, *, first_line: int = 3, locator_word: str = "row") -> Parts:
    """An HXL-tagged table read with libhxl; tags decide the roles."""
    import hxl

    handle: Any
    if is_zip(ctx.target):
        handle, encoding = ctx.target.open("rb"), "utf-8"  # a workbook: libhxl reads it
    else:
        # the encoding is detected as for any text table (cp1251, cp1254, UTF-16…): libhxl
        # would read everything as UTF-8 and turn names into U+FFFD
        text, encoding = decode_text(ctx.target.read_bytes(), ctx.path, ctx.encoding)
        handle = io.BytesIO(text.encode("utf-8"))
        del text
        ctx.collector.extra["encoding"] = encoding
        encoding = "utf-8"
    try:
        with handle:
            source = hxl.data(handle, hxl.InputOptions(allow_local=True, encoding=encoding))
            columns = list(source.columns)
            rows = []
            for row in source:
                rows.append(list(row.values))
                # checked while reading: libhxl streams, so a huge file never sits in memory
                if len(rows) > ctx.limits.max_rows:
                    check_rows(len(rows), ctx.path, ctx.limits)
    except DamageDataError:
        raise
    except Exception as err:  # libhxl raises HXLException and parser errors
        raise InputError(
            f"{ctx.path}: not a readable HXL table ({err}).", path=str(ctx.path)
        ) from err
    tags = [c.get_display_tag(sort_attributes=True) if c.tag else "" for c in columns]
    header = unique_names(
        [
            c.header or tag or f"column_{i + 1}"
            for i, (c, tag) in enumerate(zip(columns, tags, strict=True))
        ]
    )
    frame = pd.DataFrame(
        [
            [
                ("" if v is None else str(v)).strip()
                for v in (r + [None] * len(header))[: len(header)]
            ]
            for r in rows
        ],
        columns=header,
        dtype=object,
    )
    mapping, level = hxl_mapping(tags, header, ctx)
    lines = list(range(first_line, first_line + len(frame)))
    ctx.collector.extra["hxl_tags"] = [t for t in tags if t]
    ctx.collector.extra["columns"] = mapping.report()
    ctx.collector.extra["column_rows"] = mapping.rows()
    figures, sources = figures_from_table(
        ctx, frame, lines, mapping, level=level, locator_word=locator_word
    )
    return Parts(
        rows_kept=ctx.collector.rows_read - ctx.collector.rows_rejected,
        figures=figures,
        sources=sources,
    )


def hxl_mapping(tags: list[str], header: list[str], ctx: Context) -> tuple[ColumnMap, str | None]:
    """The column roles an HXL table's hashtags give, and the level of its places."""
    by_tag = dict(zip(tags, header, strict=True))
    m = ColumnMap()
    places = [
        (i, t)
        for i, prefix in enumerate(_HXL_PLACES)
        for t in tags
        if t.split("+")[0] == prefix and "+name" in t
    ]
    level = None
    if places:
        depth, tag = places[-1]
        m.roles["place"] = by_tag[tag]
        m.why[by_tag[tag]] = f"place: {tag}"
        level = _HXL_LEVEL[tag.split("+")[0]]
        above = [t for i, t in places if i < depth]
        if above:
            m.roles["parent"] = by_tag[above[-1]]
            m.why[by_tag[above[-1]]] = f"parent: {above[-1]}"
    codes = [
        (i, t)
        for i, prefix in enumerate(_HXL_PLACES)
        for t in tags
        if t.split("+")[0] == prefix and "+code" in t
    ]
    if codes:
        m.roles["unit_code"] = by_tag[codes[-1][1]]
        level = level or _HXL_LEVEL[codes[-1][1].split("+")[0]]
    dates = [t for t in tags if t.startswith("#date")]
    if dates:
        m.roles["date"] = by_tag[dates[0]]
    sources = [t for t in tags if t.startswith("#meta+source")]
    if sources:
        m.roles["source"] = by_tag[sources[0]]
    impact = [t for t in tags if t.startswith(("#impact", "#status", "#category"))]
    values = [
        t
        for t in tags
        if t.startswith(("#x_value", "#value", "#affected", "#reached", "#inneed", "#targeted"))
        and state_in_header(t.replace("+", " ")) is None
    ]
    given = user_mapping(ctx.columns, header)
    states = {role: name for role, name in given.items() if role in DAMAGE_STATES}
    if not impact and not states:
        for tag in tags:
            if tag.startswith(("#affected", "#impact", "#x_")):
                state = hxl_state(tag)
                if state is not None:
                    name = by_tag[tag]
                    why = f"count of {state}: {tag}"
                    said = state_in_header(name)
                    if said is not None and said != state:
                        # the header names the state, the hashtag a generic one: Madagascar's
                        # "Maisons Détruites" tagged #affected+damaged held 4,717 destroyed
                        ctx.collector.warn(
                            f"column {name!r} is tagged {tag} ({state}) but its header names "
                            f"{said}: read as {said} (choose with --columns STATE={name!r})"
                        )
                        state, why = said, f"count of {said}: its header (tagged {tag})"
                    structure = structure_in_header(tag.replace("+", " "))
                    m.counts[name] = CountColumn(
                        name,
                        state,
                        structure or structure_in_header(name) or "any",
                        None,
                        why=why,
                    )
    if states:
        # count columns named by the user replace every hashtag's (as in any table)
        m.counts = {
            name: CountColumn(
                name, role, structure_in_header(name) or "any", None, why="named with --columns"
            )
            for role, name in states.items()
        }
    elif not m.counts:
        if not impact or not values:
            raise InputError(
                f"{ctx.path}: HXL table without damage counts; expected "
                "#affected+buildings+destroyed / +partially columns, or an #impact label "
                f"column with a value column. Tags: {', '.join(t for t in tags if t)}.",
                path=str(ctx.path),
            )
        m.roles["damage"], m.roles["count"] = by_tag[impact[0]], by_tag[values[0]]
    for key, name in given.items():
        if key not in DAMAGE_STATES:
            m.roles[key] = name
    return m, level


def hxl_from_json(ctx: Context, payload: list[dict[str, Any]]) -> Parts:
    """HXL as JSON objects keyed by hashtags: written out as a tagged CSV and read by libhxl."""
    bad = next((i for i, item in enumerate(payload) if not isinstance(item, dict)), None)
    if bad is not None:
        raise InputError(
            f"{ctx.path}: item {bad} is {type(payload[bad]).__name__}, not an object: HXL JSON "
            "is an array of objects keyed by hashtags ({'#adm1+name': ..., ...}).",
            path=str(ctx.path),
        )

    def cell(value: Any) -> Any:
        if value is None:
            return ""
        return json.dumps(value) if isinstance(value, dict | list) else value

    tags = list(dict.fromkeys(k for item in payload for k in item))
    tmp = Path(tempfile.mkdtemp(prefix="damage_data_hxl_"))
    try:
        csv_path = tmp / "hxl.csv"
        with csv_path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(tags)
            for item in payload:
                writer.writerow([cell(item.get(t)) for t in tags])
        original = ctx.target
        ctx.target = csv_path
        try:
            return read_hxl(ctx, first_line=0, locator_word="item")
        finally:
            ctx.target = original
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
