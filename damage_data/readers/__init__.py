"""Readers: every input kind to ``structures`` or ``figures``, with rejects and a report.

:func:`load` detects the kind of a file (or takes it), reads it with the matching reader and
returns a :class:`LoadResult`. A reader only reads and maps columns; it never aggregates.
Rows read = rows kept + rows rejected, always, with a reason for every rejected row.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from .._errors import InputError, LimitExceededError, UsageError
from .._gdal import offline
from .._hashing import path_sha256
from ..limits import DEFAULT_LIMITS, Limits, check_file_size
from ..tables import empty, make_table
from ..vocab import damage_schemes
from . import codab, gis, hxl, own, series, table, text, unosat, xbd
from ._context import Context, Parts
from ._files import head_bytes, is_zip, load_json, looks_binary, unpacked_zip
from ._layers import list_layers
from ._result import (
    Collector,
    LoadResult,
    build_report,
    counts_of,
    current_view,
    latest_of_series,
    sources_row,
    without_typed_parts,
)
from .codab import codab_levels
from .gis import is_copernicus_layer
from .headers import state_in_header
from .own import own_kind
from .raw import read_raw
from .series import is_series
from .unosat import is_unosat_layer, unosat_rounds
from .xbd import is_xbd

__all__ = ["FORMATS", "KINDS", "LoadResult", "detect_kind", "formats", "load"]

log = logging.getLogger("damage_data.readers")

#: Reader kinds, their file extensions and what auto-detection looks for.
FORMATS: dict[str, dict[str, str]] = {
    "table": {
        "extensions": ".csv .tsv .txt(tab) .xlsx .dbf",
        "detects": "count tables, wide (a column per damage state) or long (label + "
        "value); header row, encoding, decimal and thousands marks; rows "
        "with lon/lat or WKT and a damage column become structures",
    },
    "gis": {
        "extensions": ".geojson .json .gpkg .shp .fgb .parquet .kml .gpx .gml .zip .csv",
        "detects": "per-structure layers with a damage column (damage, damage_class, "
        "grading, damage_gra, ...) holding canonical or known native labels",
    },
    "unosat": {
        "extensions": ".shp .gpkg .geojson .gdb(zip) .zip",
        "detects": "UNOSAT damage sites: Main_Damage_Site_Class[_N], Main_Damag / "
        "Main_Dam_N (10-character names), DaSitCl[N] / DmgCls",
    },
    "copernicus": {
        "extensions": ".zip .shp .json .geojson .gpkg",
        "detects": "Copernicus EMS grading: layers settlements_*_grading (grading, "
        "settl_type) or builtUpA / builtUpP (damage_gra, obj_type)",
    },
    "xbd": {
        "extensions": ".json",
        "detects": "xView2 / xBD label JSON: features.lng_lat with subtype and wkt",
    },
    "hxl": {
        "extensions": ".csv .xlsx .json",
        "detects": "a row of HXL hashtags (#adm1+name, #affected+buildings+destroyed, "
        "#impact ...) under the header",
    },
    "codab": {
        "extensions": ".dbf .csv .xlsx .shp .gpkg",
        "detects": "OCHA COD-AB tables: ADMn_PCODE / ADMn_PC and ADMn_EN columns "
        "(becomes a units table)",
    },
    "series": {
        "extensions": ".json",
        "detects": "a JSON array of dated objects with nested counts (report_date, "
        "...destroyed, ...damaged); ext_* interpolations skipped",
    },
    "text": {
        "extensions": ".txt .md",
        "detects": "press statements in prose (delegated to damage_data.text)",
    },
    "figures": {
        "extensions": ".csv",
        "detects": "the toolkit's own figures table (figure_id, source_id, damage, count, "
        "count_unit, qualifier…), e.g. a report's figures.csv; a sources.csv beside it is read too",
    },
    "sources": {
        "extensions": ".csv",
        "detects": "the toolkit's own sources table (source_id, title, method, published…)",
    },
}
KINDS: tuple[str, ...] = tuple(FORMATS)


def _is_codab(fields: Any) -> bool:
    """OCHA COD-AB columns (ADM2_PCODE...) and no column naming a damage state: a damage
    table keyed by p-codes ("ADM2_PCODE, Houses destroyed") is a table, not boundaries."""
    names = [str(f) for f in fields]
    return bool(codab_levels(names)) and not any(state_in_header(n) for n in names)


def formats() -> pd.DataFrame:
    """The reader kinds with their extensions and what detection looks for.

    Returns
    -------
    pandas.DataFrame
        One row per kind: ``kind``, ``extensions``, ``detects`` (as in :data:`FORMATS`).

    Examples
    --------
    >>> "copernicus" in set(formats()["kind"])
    True
    """
    return pd.DataFrame([{"kind": k, **v} for k, v in FORMATS.items()])


def load(
    path: str | os.PathLike[str],
    kind: str = "auto",
    *,
    layer: str | None = None,
    columns: Mapping[str, str] | None = None,
    encoding: str | None = None,
    scheme: str | None = None,
    strongest: bool = False,
    limits: Limits | None = None,
) -> LoadResult:
    """Read one input into structures or figures, with its rejects and a report.

    Parameters
    ----------
    path
        A file (or a folder of GIS files, or ``"-"`` for standard input).
    kind
        ``auto`` (detect) or one of :data:`KINDS`.
    layer
        Layer (GeoPackage, zip member) or sheet (XLSX) to read.
    columns
        Role → column name, overriding detection: ``place``, ``parent``, ``unit_code``,
        ``date``, ``damage``, ``count``, ``structure``, ``lon``, ``lat``, ``wkt``, ``id``,
        ``admin``, or a damage state (``destroyed``…) naming a count column.
    encoding
        Text encoding; detected when ``None``.
    scheme
        Damage crosswalk of the labels (see :func:`damage_data.vocab.damage_schemes`);
        detected when ``None``.
    strongest
        For round histories (UNOSAT): count each site's strongest class instead of its latest.
    limits
        Safety limits (:class:`damage_data.limits.Limits`).

    Returns
    -------
    LoadResult

    Raises
    ------
    InputError
        Missing, empty, unsupported or unreadable input (exit code 3).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("District,Houses destroyed,Houses damaged\\nFuzuli,11,314\\n")
    >>> r = load(p)
    >>> r.kind, r.report["damage_counts"]
    ('table', {'damaged': 314, 'destroyed': 11})

    A folder of a Copernicus EMS grading product (the bundled Pazarcik example: 66 built-up
    points graded in ``damage_gra``; the area-of-interest layer holds no structures):

    >>> from damage_data.example import example_folder
    >>> r = load(example_folder("emsr648_pazarcik"))
    >>> r.kind, r.report["rows_kept"], r.report["damage_counts"]["destroyed"]
    ('copernicus', 66, 6)
    """
    limits = limits or DEFAULT_LIMITS
    if kind != "auto" and kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r}; kinds: auto, {', '.join(KINDS)}")
    if scheme is not None and scheme not in damage_schemes():
        raise UsageError(
            f"unknown damage scheme {scheme!r}; schemes: {', '.join(damage_schemes())}"
        )
    # GDAL must not fetch what a file points to (a GeoJSON crs link, a VRT's /vsicurl/ source)
    with offline(), _input_file(path, limits) as file:
        _check_readable(file, limits)
        digest = path_sha256(file)
        collector = Collector(path=Path(str(path)))
        ctx = Context(
            path=Path(str(path)),
            target=file,
            source_id=f"sha256:{digest[:16]}",
            limits=limits,
            collector=collector,
            layer=layer,
            columns=dict(columns) if columns else None,
            encoding=encoding,
            scheme=scheme,
            strongest=strongest,
        )
        # workbooks are zip files too, but read as tables
        if file.is_file() and file.suffix.lower() not in _NOT_ZIP and is_zip(file):
            with unpacked_zip(file, limits) as folder:
                ctx.target = folder
                try:
                    parts, kind = _read(ctx, kind, zipped=True)
                except InputError as err:
                    if str(ctx.path) in err.message:
                        raise
                    # a member's error names a temporary folder: name the archive too
                    raise type(err)(
                        f"{ctx.path}: {err.message.replace(str(folder) + '/', '')}",
                        path=str(ctx.path),
                    ) from err
        else:
            parts, kind = _read(ctx, kind, zipped=False)
    return _result(ctx, parts, kind, digest)


@contextmanager
def _input_file(path: str | os.PathLike[str], limits: Limits) -> Iterator[Path]:
    """The input as a path; standard input (``-``) is copied to a temporary file first,
    never more than ``limits.max_file_bytes`` of it."""
    if str(path) != "-":
        yield Path(path)
        return
    tmp = Path(tempfile.mkdtemp(prefix="damage_data_stdin_"))
    try:
        target = tmp / "stdin"
        copy_limited(sys.stdin.buffer, target, limits.max_file_bytes, shown_as="standard input")
        yield target
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def copy_limited(source: Any, target: Path, limit: int, *, shown_as: str) -> int:
    """Copy a stream into ``target`` in chunks, stopping as soon as it passes ``limit`` bytes.

    Returns the bytes copied. A stream over the limit raises :class:`LimitExceededError`
    after at most ``limit`` + one chunk has been read: the rest is never read or stored.
    """
    copied = 0
    with target.open("wb") as out:
        while chunk := source.read(1 << 20):
            copied += len(chunk)
            if copied > limit:
                raise LimitExceededError(
                    f"{shown_as}: more than {limit:,} bytes, over the limit of {limit:,}; "
                    "pass --max-file-mb (or limits=Limits(max_file_bytes=...)) to read more.",
                    path=shown_as,
                )
            out.write(chunk)
    return copied


def _check_readable(file: Path, limits: Limits) -> None:
    if not file.exists():
        raise InputError(
            f"{file}: no such file; check the path (inputs are read, never downloaded).",
            path=str(file),
        )
    if file.is_dir():
        return
    if not os.access(file, os.R_OK):
        raise InputError(f"{file}: not readable (permission denied).", path=str(file))
    size = check_file_size(file, limits)
    if size == 0:
        raise InputError(f"{file}: the file is empty (0 bytes); nothing to read.", path=str(file))


def detect_kind(ctx: Context) -> tuple[str, str, Any]:
    """The reader kind for ``ctx.target``, why, and what was parsed on the way (or ``None``).

    Parameters
    ----------
    ctx
        The read's options and bookkeeping; ``ctx.target`` is the file or folder (an
        unpacked zip) to look at, ``ctx.path`` the name used in messages.

    Returns
    -------
    tuple
        The kind (one of :data:`KINDS`), the evidence for it (``detected_by`` in the
        report), and what was parsed on the way (a table's raw rows, a JSON document;
        ``None`` otherwise), so that the reader does not parse the file twice.

    Raises
    ------
    InputError
        The input matches no reader.

    Examples
    --------
    >>> from pathlib import Path
    >>> from damage_data.example import example_folder
    >>> from damage_data.limits import DEFAULT_LIMITS
    >>> from damage_data.readers._result import Collector
    >>> folder = example_folder("emsr648_pazarcik")
    >>> ctx = Context(path=folder, target=folder, source_id="s1", limits=DEFAULT_LIMITS,
    ...               collector=Collector(path=folder))
    >>> detect_kind(ctx)[0]
    'copernicus'
    """
    target = ctx.target
    suffix = target.suffix.lower()
    if target.is_dir() and suffix == ".gdb":
        return _kind_of_layers(
            ctx.path,
            list_layers(target, ctx.limits, ctx.collector),
            "file geodatabase",
            is_unosat_layer,
            is_copernicus_layer,
        )
    if target.is_dir():
        return _kind_of_layers(
            ctx.path,
            list_layers(target, ctx.limits, ctx.collector),
            "folder/zip members",
            is_unosat_layer,
            is_copernicus_layer,
        )
    if suffix in (".txt", ".md") and not _looks_tabular(target):
        return "text", f"extension {suffix} (prose)", None
    if suffix in (".json", ".geojson") or (
        suffix not in _TABLE_SUFFIXES and head_bytes(target, 256).lstrip()[:1] in (b"{", b"[")
    ):
        value = load_json(target, ctx.limits, ctx.encoding)
        if is_xbd(value):
            return "xbd", "JSON with features.lng_lat (xBD labels)", value
        if is_series(value):
            return "series", "JSON array of dated objects with nested counts", value
        if (
            isinstance(value, list)
            and value
            and isinstance(value[0], dict)
            and sum(str(k).startswith("#") for k in value[0]) >= 1
        ):
            return "hxl", "JSON objects keyed by HXL hashtags", value
        if isinstance(value, dict) and value.get("type") in ("FeatureCollection", "Feature"):
            return _kind_of_layers(
                ctx.path,
                list_layers(target, ctx.limits, ctx.collector),
                "GeoJSON",
                is_unosat_layer,
                is_copernicus_layer,
            )
        raise InputError(
            f"{ctx.path}: JSON of an unsupported layout (not GeoJSON, xBD labels, HXL "
            "objects or a dated series); see `damage-data formats`.",
            path=str(ctx.path),
        )
    if suffix in _TABLE_SUFFIXES or (
        suffix not in _VECTOR_ONLY and not looks_binary(head_bytes(target, 8192))
    ):
        raw = read_raw(ctx)
        own = own_kind(raw.header)
        if own is not None:
            return own, f"the columns of the toolkit's own {own} table", None
        if raw.hxl_tags:
            return "hxl", "a row of HXL hashtags under the header", raw
        if _is_codab(raw.header):
            return "codab", "ADMn_PCODE columns (OCHA COD-AB)", raw
        if unosat_rounds(raw.header) is not None:
            return "unosat", "a table with UNOSAT round columns", raw
        why = f"extension {suffix or '(none)'}: a text table"
        return "table", why, raw
    if suffix == ".dbf":
        import pyogrio

        try:
            fields = [str(f) for f in pyogrio.read_info(target)["fields"]]
        except Exception as err:  # pyogrio's DataSourceError family
            raise InputError(
                f"{ctx.path}: not a readable dBASE table ({str(err).splitlines()[0][:200]}); "
                "the file may be truncated.",
                path=str(ctx.path),
            ) from err
        if _is_codab(fields):
            return "codab", ".dbf with ADMn_PCODE/ADMn_PC columns (OCHA COD-AB)", None
        layers = list_layers(target, ctx.limits, ctx.collector)
        return _kind_of_layers(
            ctx.path, layers, ".dbf", is_unosat_layer, is_copernicus_layer, fallback="table"
        )
    layers = list_layers(target, ctx.limits, ctx.collector)
    return _kind_of_layers(
        ctx.path, layers, f"extension {suffix or '(none)'}", is_unosat_layer, is_copernicus_layer
    )


_NOT_ZIP = (".xlsx", ".xlsm", ".ods", ".docx", ".kmz")
_TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm", ".xls", ".tab")
_VECTOR_ONLY = (
    ".shp",
    ".gpkg",
    ".fgb",
    ".parquet",
    ".geoparquet",
    ".dbf",
    ".sqlite",
    ".zip",
    ".kml",
    ".gpx",
    ".gml",
)


def _looks_tabular(path: Path) -> bool:
    """A ``.txt`` file that is really a delimited table (tabs, or commas or semicolons
    splitting every line into the same short cells)."""
    lines = head_bytes(path, 4096).decode("utf-8", "replace").splitlines()[:6]
    lines = [line for line in lines if line.strip()][:5]
    if len(lines) >= 2 and all(line.count("\t") >= 1 for line in lines):
        return True
    # a comma or semicolon table saved as .txt: every line the same number of short cells,
    # numbers under the header (prose has commas too, but in long uneven sentences)
    for sep in (",", ";", "|"):
        rows = [line.split(sep) for line in lines]
        if (
            len(rows) >= 2
            and len(rows[0]) >= 2
            and all(len(r) == len(rows[0]) for r in rows)
            and all(len(c.strip()) <= 60 for r in rows for c in r)
            and any(c.strip().replace(".", "").isdigit() for r in rows[1:] for c in r)
        ):
            return True
    return False


def _kind_of_layers(
    path: Path,
    layers: list[Any],
    where: str,
    is_unosat: Any,
    is_copernicus: Any,
    fallback: str = "gis",
) -> tuple[str, str, Any]:
    if not layers:
        raise InputError(
            f"{path}: no readable layer ({where}); see `damage-data formats` for what is read.",
            path=str(path),
        )
    unosat = [lay for lay in layers if is_unosat(lay)]
    if unosat:
        return "unosat", f"{where}: UNOSAT round columns in {unosat[0].name}", None
    cop = [lay for lay in layers if is_copernicus(lay)]
    if cop:
        return "copernicus", f"{where}: Copernicus EMS building layer {cop[0].name}", None
    if any(_is_codab(lay.fields) for lay in layers):
        return "codab", f"{where}: ADMn_PCODE columns (OCHA COD-AB)", None
    return fallback, f"{where}: vector layers {', '.join(lay.name for lay in layers[:3])}", None


#: Files of one table or one text: nothing for ``layer`` to choose.
_ONE_LAYER = (".csv", ".tsv", ".txt", ".tab", ".json", ".ndjson", ".md")


def _read(ctx: Context, kind: str, *, zipped: bool) -> tuple[Parts, str]:
    payload: Any = None
    if ctx.layer is not None and ctx.target.suffix.lower() in _ONE_LAYER:
        # said, not refused: one --layer may be meant for another input of the same command
        ctx.collector.warn(
            f"layer {ctx.layer!r} does not apply: a {ctx.target.suffix} file has no layers or "
            "sheets (a layer is chosen in a GIS file or a workbook); the file is read whole"
        )
    if kind == "auto":
        kind, why, payload = detect_kind(ctx)
        ctx.detected_by = ("zip archive; " if zipped else "") + why
    else:
        ctx.detected_by = "given"
    log.info("%s: reading as %s (%s)", ctx.path, kind, ctx.detected_by)
    if kind in ("xbd", "series") and payload is None:
        payload = load_json(ctx.target, ctx.limits, ctx.encoding)
    if kind == "table":
        parts = table.read_table(ctx, payload)
        if parts.structures is not None:
            # one structure per row with coordinates: a GIS table, whatever its extension
            ctx.detected_by += "; lon/lat or WKT columns and a damage column: structures"
            return parts, "gis"
        return parts, kind
    if kind == "hxl":
        if isinstance(payload, list):
            return hxl.hxl_from_json(ctx, payload), kind
        return hxl.read_hxl(ctx), kind
    if kind == "codab":
        return codab.read_codab(ctx), kind
    if kind == "gis":
        if ctx.target.is_file() and ctx.target.suffix.lower() in _TABLE_SUFFIXES:
            return table.read_table(ctx, payload), kind
        return gis.read_gis(ctx), kind
    if kind == "copernicus":
        return gis.read_copernicus(ctx), kind
    if kind == "unosat":
        return unosat.read_unosat(ctx, payload), kind
    if kind == "xbd":
        return xbd.read_xbd(ctx, payload), kind
    if kind == "series":
        return series.read_series(ctx, payload), kind
    if kind == "figures":
        return own.read_figures(ctx), kind
    if kind == "sources":
        return own.read_sources(ctx), kind
    return text.read_text(ctx), kind


def _result(ctx: Context, parts: Parts, kind: str, digest: str) -> LoadResult:
    col = ctx.collector
    damage_counts: dict[str, int] = {}
    structure_counts: dict[str, int] = {}
    current = None
    if parts.structures is not None:
        current = (
            parts.structures
            if parts.ids_unique
            else current_view(parts.structures, strongest=ctx.strongest)
        )
        damage_counts = counts_of(current["damage"])
        structure_counts = counts_of(current["structure"])
    elif parts.figures is not None and not parts.figures.empty:
        latest = latest_of_series(parts.figures)
        for link in ("subset_of", "same_as"):
            # a subset ("including 40 houses") is inside its parent, and a figure the same
            # as another (a row or column given twice) is that one: counting both is twice
            if link in latest.columns:
                latest = latest[latest[link].isna() | (latest[link] == "")]
        latest = without_typed_parts(latest)
        damage_counts = counts_of(latest["damage"], latest["count"])
        structure_counts = counts_of(latest["structure"], latest["count"])
    col.extra.update(parts.extra)
    report = build_report(
        col,
        kind=kind,
        detected_by=ctx.detected_by,
        rows_kept=parts.rows_kept,
        damage_counts=damage_counts,
        structure_counts=structure_counts,
        crs=parts.crs,
        layer=parts.layer,
    )
    sources = sources_row(
        ctx.path, sha256=digest, kind=kind, title=parts.title, method=parts.method
    )
    if kind in ("figures", "sources"):
        # the toolkit's own tables: the sources are those they list, not the file
        sources = make_table("sources", parts.sources) if parts.sources else empty("sources")
    elif parts.sources:
        inner = make_table("sources", parts.sources).assign(sha256=digest)
        sources = make_table("sources", pd.concat([sources, inner], ignore_index=True))
    return LoadResult(
        path=str(ctx.path),
        kind=kind,
        structures=parts.structures,
        figures=parts.figures,
        sources=sources,
        rejects=col.rejects_frame(),
        report=report,
        units=parts.units,
        strongest=ctx.strongest,
        current=(parts.structures, current) if current is not None else None,
    )
