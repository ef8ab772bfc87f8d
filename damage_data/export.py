"""Writing files out: safe CSV text and atomic writes (figures/maps ``save`` lives here too)."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

#: Characters that make a spreadsheet treat a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """Prefix text cells that a spreadsheet would run as a formula with a quote.

    Numbers stay numbers: only strings are changed.

    >>> neutralise_cell("=HYPERLINK(\\"x\\")")
    '\\'=HYPERLINK("x")'
    >>> neutralise_cell(-3)
    -3
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` with every text cell that starts a formula neutralised."""
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype) in ("string", "str"):
            out[column] = out[column].map(neutralise_cell, na_action="ignore")
    return out


def safe_csv_text(table: pd.DataFrame) -> str:
    """CSV text of ``table`` with formula-like cells neutralised."""
    buffer = io.StringIO()
    neutralise_formulas(table).to_csv(buffer, index=False)
    return buffer.getvalue()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename (never half-written)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 text atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))
