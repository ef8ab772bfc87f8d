"""GeoParquet checked before it is read: its ``geo`` metadata, and what its values decode to.

A Parquet file can hold a few KB of repeated values that decode to gigabytes (a Parquet
bomb), or metadata naming geometry columns it does not have; both are refused here, before
geopandas or a streaming counter reads a single value.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .._errors import InputError, LimitExceededError
from ..limits import DEFAULT_LIMITS, Limits, check_rows
from ._files import RATIO_FLOOR, short_error


def check_geoparquet(
    file: Path, limits: Limits = DEFAULT_LIMITS, *, schema: Any = None, meta: Any = None
) -> dict[str, Any]:
    """Check a (Geo)Parquet file before it is read; return its ``geo`` metadata (or ``{}``).

    Raises :class:`InputError` when the ``geo`` metadata is not JSON or names geometry
    columns the file does not have, and :class:`LimitExceededError` when the file would
    decode to more than the unpacked-size limit, or expand more than the compression ratio
    allows (a Parquet bomb: a few KB of repeated values that decode to gigabytes).
    """
    import pyarrow.parquet as pq

    try:
        meta = meta if meta is not None else pq.read_metadata(file)
        schema = schema if schema is not None else pq.read_schema(file)
    except Exception as err:
        raise InputError(
            f"{file}: not a readable Parquet file ({short_error(err)}).", path=str(file)
        ) from err
    check_rows(meta.num_rows, file, limits)
    raw = (schema.metadata or {}).get(b"geo")
    geo: dict[str, Any] = {}
    if raw is not None:
        try:
            geo = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as err:
            raise InputError(
                f"{file}: the GeoParquet metadata ('geo') is not valid JSON ({err}).",
                path=str(file),
            ) from err
        if not isinstance(geo, dict) or not isinstance(geo.get("columns", {}), dict):
            raise InputError(f"{file}: the GeoParquet metadata is malformed.", path=str(file))
        named = {*geo.get("columns", {})} | (
            {geo["primary_column"]} if isinstance(geo.get("primary_column"), str) else set()
        )
        missing = sorted(str(c) for c in named if c not in schema.names)
        if missing:
            raise InputError(
                f"{file}: the GeoParquet metadata names geometry column(s) "
                f"{', '.join(repr(c) for c in missing)} that the file does not have "
                f"(columns: {', '.join(schema.names[:20])}); the file was written wrongly. "
                "Re-export it (e.g. with geopandas' to_parquet).",
                path=str(file),
            )
    decoded = parquet_decoded_bytes(file, limits, meta=meta)
    size = max(file.stat().st_size, 1)
    ratio = decoded / size
    if decoded > limits.max_uncompressed_bytes or (
        decoded >= RATIO_FLOOR and ratio > limits.max_compression_ratio
    ):
        raise LimitExceededError(
            f"{file}: {size:,} bytes that decode to at least {decoded:,} bytes "
            f"({ratio:.0f}-fold; limits: {limits.max_uncompressed_bytes:,} bytes, "
            f"{limits.max_compression_ratio:.0f}-fold): a Parquet bomb, or a file to read "
            "with limits=Limits(max_compression_ratio=...) if it is trusted.",
            path=str(file),
        )
    return geo


_WIDTHS = {"BOOLEAN": 1, "INT32": 4, "FLOAT": 4, "INT64": 8, "DOUBLE": 8, "INT96": 12}


def parquet_decoded_bytes(file: Path, limits: Limits = DEFAULT_LIMITS, *, meta: Any = None) -> int:
    """The bytes a Parquet file's values take once decoded (stops counting past the limit).

    Fixed-width values come from the metadata; text and binary values (WKB geometries
    among them) are measured by reading their dictionary-encoded form, which never expands
    repeated values: a 1 MB string repeated 1,500 times costs 1 MB to measure.
    """
    import pyarrow.parquet as pq

    meta = meta if meta is not None else pq.read_metadata(file)
    total = 0
    binary: set[str] = set()
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        for c in range(group.num_columns):
            chunk = group.column(c)
            width = _WIDTHS.get(chunk.physical_type)
            if chunk.physical_type == "FIXED_LEN_BYTE_ARRAY":
                width = max(int(getattr(chunk, "type_length", 0) or 0), 1)
            if width is not None:
                total += chunk.num_values * width
            elif chunk.has_dictionary_page and "." not in chunk.path_in_schema:
                # repeated values stored once: their decoded size is measured below
                binary.add(chunk.path_in_schema)
            else:  # plain text and binary: the uncompressed pages are the values
                total += chunk.total_uncompressed_size
    if not binary or total > limits.max_uncompressed_bytes:
        return total
    try:
        source = pq.ParquetFile(file, read_dictionary=sorted(binary))
        for g in range(source.num_row_groups):
            total += decoded_bytes(source.read_row_group(g, columns=sorted(binary)))
            if total > limits.max_uncompressed_bytes:
                break
    except Exception as err:  # pyarrow's ArrowInvalid / OSError variants: corrupt pages
        raise InputError(
            f"{file}: not a readable Parquet file ({short_error(err)}).", path=str(file)
        ) from err
    return total


def decoded_bytes(table: Any) -> int:
    """Bytes the columns of an Arrow table take decoded: a dictionary value once per row.

    Used by every Parquet bomb check (readers and the streaming count) to measure text and
    binary columns that Parquet stores as a dictionary and indices.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    total = 0
    for column in table.columns:
        for piece in column.chunks:
            if isinstance(piece, pa.DictionaryArray):
                lengths = pc.binary_length(piece.dictionary)
                total += int(pc.sum(pc.take(lengths, piece.indices)).as_py() or 0)
            else:
                total += piece.nbytes
    return total
