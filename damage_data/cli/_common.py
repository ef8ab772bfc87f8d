"""Shared helpers of the CLI commands: output formats, messages, common options."""

from __future__ import annotations

import json
import math
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from damage_data._errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

TABLE_FORMATS = ("table", "csv", "json", "ndjson", "md")


def say(message: str) -> None:
    """A message for the person at the terminal (stderr, never mixed with data)."""
    typer.echo(message, err=True)


def check_format(fmt: str, allowed: tuple[str, ...] = TABLE_FORMATS) -> str:
    if fmt not in allowed:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(allowed)}")
    return fmt


def jsonable(value: Any) -> Any:
    """A JSON-ready version of one cell: NA → null, dates → ISO strings, numpy → Python."""
    import numpy as np
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of ``table`` as JSON-ready dicts (geometry left out)."""
    cols = [c for c in table.columns if c != "geometry"]
    return [
        {c: jsonable(v) for c, v in zip(cols, row, strict=True)}
        for row in table[cols].itertuples(index=False, name=None)
    ]


def render(table: pd.DataFrame, fmt: str) -> str:
    """Render a table as text in one of :data:`TABLE_FORMATS`."""
    check_format(fmt)
    if fmt == "json":
        return json.dumps(records(table), ensure_ascii=False, indent=2) + "\n"
    if fmt == "ndjson":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records(table))
    plain = table.drop(columns=[c for c in ("geometry",) if c in table.columns])
    if fmt == "csv":
        from damage_data.export import safe_csv_text

        return safe_csv_text(plain)
    if fmt == "md":
        return _markdown(plain)
    return _plain(plain)


def _cell(value: Any) -> str:
    v = jsonable(value)
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.3f}".rstrip("0").rstrip(".") if not v.is_integer() else f"{int(v)}"
    return str(v)


def _markdown(table: pd.DataFrame) -> str:
    """A Markdown table whose cells can neither inject HTML nor break a row (titles,
    publishers and file names come from inputs)."""
    from damage_data.export import md_text

    head = "| " + " | ".join(md_text(c) for c in table.columns) + " |"
    rule = "|" + "|".join("---" for _ in table.columns) + "|"
    body = [
        "| " + " | ".join(md_text(_cell(v)) for v in row) + " |"
        for row in table.itertuples(index=False, name=None)
    ]
    return "\n".join([head, rule, *body]) + "\n"


def _terminal(text: str) -> str:
    """One line of text safe on a terminal: line breaks as spaces, other control characters
    (an escape sequence planted in a title) as U+FFFD."""
    return _CONTROL.sub(lambda m: " " if m.group() in "\t\n\r" else "\ufffd", text)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _plain(table: pd.DataFrame) -> str:
    cells = [[_terminal(str(c)) for c in table.columns]]
    cells += [
        [_terminal(_cell(v)) for v in row] for row in table.itertuples(index=False, name=None)
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))] if cells[0] else []
    lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    if len(lines) > 1:
        lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def format_of(fmt: str | None, output: Path | None) -> str:
    """The output format: as given, else from the ``-o`` file's extension, else ``table``."""
    if fmt is not None:
        return fmt
    if output is not None:
        by_suffix = {
            ".json": "json",
            ".ndjson": "ndjson",
            ".jsonl": "ndjson",
            ".csv": "csv",
            ".md": "md",
            ".txt": "table",
        }
        return by_suffix.get(Path(output).suffix.lower(), "table")
    return "table"


def emit(text: str, output: Path | None, *, overwrite: bool = True) -> None:
    """Write ``text`` to ``output`` (atomically) or to stdout; an existing file is replaced
    only with ``overwrite``."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(output)
    if target.is_symlink() and not target.exists():
        # writing would replace the link (or, followed, create a file somewhere else)
        raise UsageError(
            f"{output} is a dangling symbolic link (to {os.readlink(target)}); choose another -o"
        )
    if target.is_dir():
        raise UsageError(f"{output} is a folder; -o takes a file name here")
    if target.exists() and not overwrite:
        raise UsageError(f"{output} exists; pass --overwrite to replace it, or choose another -o")
    from damage_data.export import atomic_write_text

    atomic_write_text(Path(output), text)
    say(f"wrote {output}")
