"""``damage-data validate`` and ``damage-data formats``: what each input holds, and why rows fail."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from ._common import jsonable, say

VALIDATE_FORMATS = ("table", "json")
#: Report fields printed per input, in this order.
FIELDS = (
    "path",
    "kind",
    "detected_by",
    "rows_read",
    "rows_kept",
    "rows_rejected",
    "reasons",
    "damage_counts",
    "structure_counts",
    "crs",
    "layer",
    "warnings",
)


def validate(
    inputs: list[Path] = typer.Argument(..., help="Input files to check (any kind `load` reads)."),
    kind: str = typer.Option(
        "auto", "--kind", "-k", help="Reader kind (see `damage-data formats`)."
    ),
    fmt: str = typer.Option("table", "--format", "-f", help="Output format: table|json."),
    strict: bool = typer.Option(False, "--strict", help="Exit 4 when any row was rejected."),
) -> None:
    """Read each input and print rows read, kept and rejected, reasons, and counts per class.

    ``damage_counts`` and ``structure_counts`` give the number of structures per canonical
    label (one per site, latest round), or the sum of counts for count tables. Exit 3 for
    an unreadable input; under ``--strict``, exit 4 when anything was rejected.
    """
    from damage_data._errors import UsageError, ValidationError
    from damage_data.readers import load

    if fmt not in VALIDATE_FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(VALIDATE_FORMATS)}")
    reports = [load(path, kind=kind).report for path in inputs]
    if fmt == "json":
        body: Any = [_jsonable_report(r) for r in reports]
        typer.echo(json.dumps(body[0] if len(body) == 1 else body, ensure_ascii=False, indent=2))
    else:
        typer.echo("\n".join(_text_report(r) for r in reports), nl=False)
    rejected = sum(r["rows_rejected"] for r in reports)
    if rejected:
        say(
            f"damage-data: {rejected} rows rejected in {sum(bool(r['rows_rejected']) for r in reports)} "
            "input(s); the reasons are listed above."
        )
        if strict:
            raise ValidationError(f"--strict: {rejected} rows rejected")


def _jsonable_report(report: dict[str, Any]) -> dict[str, Any]:
    ordered = {k: report.get(k) for k in FIELDS}
    ordered.update({k: v for k, v in report.items() if k not in ordered})
    return {k: jsonable(v) for k, v in ordered.items()}


#: Reader extras worth a line in the text output (all of them are in ``--format json``).
EXTRAS = (
    "skipped_layers",
    "building_blocks",
    "sites",
    "rows_in_history",
    "count_rule",
    "encoding",
    "delimiter",
)


def _text_report(report: dict[str, Any]) -> str:
    lines = []
    for key in (*FIELDS, *(k for k in EXTRAS if report.get(k) not in (None, {}, []))):
        value = report.get(key)
        if isinstance(value, dict):
            lines.append(f"{key}:" + ("" if value else " (none)"))
            lines.extend(
                f"  {k}: {v:,}" if isinstance(v, int) else f"  {k}: {v}" for k, v in value.items()
            )
        elif isinstance(value, list):
            lines.append(f"{key}:" + ("" if value else " (none)"))
            lines.extend(f"  - {v}" for v in value)
        else:
            lines.append(f"{key}: {'' if value is None else value}")
    return "\n".join(lines) + "\n\n"


def formats() -> None:
    """List the input kinds `load` reads, their file extensions and what detection looks for."""
    from damage_data.readers import FORMATS

    width = max(len(k) for k in FORMATS)
    for kind, info in FORMATS.items():
        typer.echo(f"{kind.ljust(width)}  {info['extensions']}")
        typer.echo(f"{' ' * width}  {info['detects']}")


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
    app.command("formats")(formats)
