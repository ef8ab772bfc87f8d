"""Safety limits for reading untrusted inputs: file size, unpacked size, rows, JSON nesting.

Readers check every input against a :class:`Limits` object; the defaults suit a laptop and
files of a few million structures. Pass your own to :func:`damage_data.readers.load`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

from ._errors import LimitExceededError, UsageError

_MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Upper bounds a reader enforces before and while it reads a file.

    Parameters
    ----------
    max_file_bytes
        Largest input file accepted (bytes).
    max_uncompressed_bytes
        Largest total size of the members of a zip archive once unpacked (bytes).
    max_compression_ratio
        Largest ratio of unpacked to packed size of a zip member (zip-bomb guard).
    max_zip_members
        Most members a zip archive may hold.
    max_rows
        Most rows or features read from one file.
    max_json_depth
        Deepest nesting of objects and arrays accepted in a JSON file.
    max_columns
        Most columns (cells in a row) read from one table.
    max_layers
        Most layers read from one file (GeoPackage, geodatabase): each layer is read by
        opening the file again, and opening costs more the more layers a file has.
    max_text_bytes
        Largest press report the text reader takes (bytes of UTF-8): its time grows with
        the length of the text (under a second per 100 KB).

    Examples
    --------
    >>> Limits(max_rows=10).max_rows
    10
    """

    max_file_bytes: int = 4096 * _MB
    max_uncompressed_bytes: int = 8192 * _MB
    max_compression_ratio: float = 200.0
    max_zip_members: int = 10_000
    max_rows: int = 50_000_000
    max_json_depth: int = 64
    max_columns: int = 10_000
    max_layers: int = 200
    max_text_bytes: int = 2 * _MB

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if not isinstance(value, int | float) or value <= 0:
                raise UsageError(
                    f"limit {field.name} must be a positive number, got {value!r}; "
                    f"the default is {field.default!r}."
                )


#: The limits used when none are given.
DEFAULT_LIMITS = Limits()


def check_file_size(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> int:
    """Return the size of ``path`` in bytes, raising when it is over ``limits.max_file_bytes``.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"; _ = p.write_text("x")
    >>> check_file_size(p)
    1
    """
    size = Path(path).stat().st_size
    if size > limits.max_file_bytes:
        raise LimitExceededError(
            f"{path}: file is {size:,} bytes, over the limit of {limits.max_file_bytes:,}; "
            "pass limits=Limits(max_file_bytes=...) to read larger files.",
            path=str(path),
        )
    return size


def check_rows(n_rows: int, path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise when a file holds more rows than ``limits.max_rows``."""
    if n_rows > limits.max_rows:
        raise LimitExceededError(
            f"{path}: {n_rows:,} rows, over the limit of {limits.max_rows:,}; "
            "pass limits=Limits(max_rows=...) to read more.",
            path=str(path),
        )


def json_depth(value: object, limit: int) -> int:
    """Nesting depth of a parsed JSON value, stopping as soon as ``limit`` is passed.

    Iterative (an explicit stack) so that a hostile file cannot exhaust Python's recursion.

    >>> json_depth({"a": [1, {"b": 2}]}, 64)
    3
    """
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: list[object] = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest
