"""``damage-data validate`` and ``damage-data formats``: what each input holds, and why rows fail."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import typer

from .._errors import UsageError, ValidationError
from ..limits import DEFAULT_LIMITS, Limits
from . import _inputs as opt
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
    "figure_problems",
)


def validate(
    inputs: list[Path] = typer.Argument(..., help="Input files to check (any kind `load` reads)."),
    kind: str = typer.Option("auto", "--kind", help="Reader kind (see `damage-data formats`)."),
    layer: str | None = opt.layer_option(),
    fmt: str = typer.Option("table", "--format", "-f", help="Output format: table|json."),
    strict: bool = typer.Option(
        False, "--strict", help="Exit 4 when any row was rejected or a figure fails validation."
    ),
    max_rows: int | None = typer.Option(
        None, "--max-rows", help="Refuse inputs with more rows or features (default 50,000,000)."
    ),
    max_file_mb: float | None = typer.Option(
        None, "--max-file-mb", help="Refuse larger input files, in MiB (default 4096)."
    ),
    columns: list[str] | None = opt.columns_option(),
    mapping: Path | None = opt.mapping_option(),
    damage_scheme: str | None = opt.damage_scheme_option(),
    show: int = typer.Option(10, "--show", help="Rejected rows listed per input (table output)."),
) -> None:
    """Read each input and print rows read, kept and rejected, reasons, and counts per class.

    ``damage_counts`` and ``structure_counts`` give the number of structures per canonical
    label (one per site, latest round), or the sum of counts for count tables.
    ``figure_problems`` lists figures that break the figures contract (e.g. a subset larger
    than its parent). Exit 3 for an unreadable input; under ``--strict``, exit 4 when
    anything was rejected or a figure problem was found.
    """
    # the readers pull in pandas and GDAL: imported when the command runs, so that
    # `damage-data --help` (which imports every command module) stays fast
    from damage_data.readers import load

    if fmt not in VALIDATE_FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(VALIDATE_FORMATS)}")
    limits = _limits(max_rows, max_file_mb)
    reports = []
    roles = opt.parse_columns(columns, mapping)
    rejects = []
    for path in inputs:
        result = load(
            path, kind=kind, layer=layer, limits=limits, columns=roles, scheme=damage_scheme
        )
        reports.append({**result.report, "figure_problems": _figure_problems(result.figures)})
        rejects.append(result.rejects)
    if fmt == "json":
        body: Any = [_jsonable_report(r) for r in reports]
        typer.echo(json.dumps(body[0] if len(body) == 1 else body, ensure_ascii=False, indent=2))
    else:
        typer.echo(
            "\n".join(_text_report(r, x, show) for r, x in zip(reports, rejects, strict=True)),
            nl=False,
        )
    rejected = sum(r["rows_rejected"] for r in reports)
    problems = sum(len(r["figure_problems"]) for r in reports)
    if rejected:
        say(
            f"damage-data: {rejected} rows rejected in {sum(bool(r['rows_rejected']) for r in reports)} "
            "input(s); the reasons are listed above."
        )
    if problems:
        say(f"damage-data: {problems} figure problem(s); listed above under figure_problems.")
    if strict and (rejected or problems):
        raise ValidationError(f"--strict: {rejected} rows rejected, {problems} figure problem(s)")


def _limits(max_rows: int | None, max_file_mb: float | None) -> Limits | None:
    """The default limits, with the command line's overrides (a bad value is exit 2)."""
    changes: dict[str, int] = {}
    if max_rows is not None:
        changes["max_rows"] = max_rows
    if max_file_mb is not None:
        changes["max_file_bytes"] = int(max_file_mb * 1024 * 1024)
    # Limits checks the values itself (positive numbers) and raises a UsageError
    return replace(DEFAULT_LIMITS, **changes) if changes else None


def _figure_problems(figures: Any) -> list[str]:
    """Figures that break the contract's cross-row rules (subset above parent, count ranges)."""
    from damage_data.tables import validate as validate_table  # pandas: see validate()

    if figures is None or figures.empty:
        return []
    failures = validate_table(figures, raise_on_error=False)
    locators = figures["locator"] if "locator" in figures.columns else None
    out = []
    for row in failures.itertuples(index=False):
        where = (
            f"{locators.loc[row.row]}" if locators is not None and row.row in locators.index else ""
        )
        out.append(f"{where or f'figure {row.row}'}: {row.column}={row.value!r}: {row.reason}")
    return out


def _jsonable_report(report: dict[str, Any]) -> dict[str, Any]:
    ordered = {k: report.get(k) for k in FIELDS}
    ordered.update({k: v for k, v in report.items() if k not in ordered})
    return {k: jsonable(v) for k, v in ordered.items()}


#: Reader extras worth a line in the text output (all of them are in ``--format json``).
EXTRAS = (
    "schemes",
    "skipped_layers",
    "building_blocks",
    "sites",
    "rows_in_history",
    "count_rule",
    "encoding",
    "delimiter",
    "date_order",
    "unreadable_dates",
)


def _text_report(report: dict[str, Any], rejects: Any = None, show: int = 10) -> str:
    lines = []
    for key in (*FIELDS, *(k for k in EXTRAS if report.get(k) not in (None, {}, []))):
        value = report.get(key)
        if key == "column_rows":
            continue
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
    rows = report.get("column_rows")
    if rows:
        # the mapping chosen for each column, and why; columns left out say why too
        width = max(len(str(c)) for c, _, _ in rows)
        lines.append("columns:")
        lines.extend(
            f"  {str(c).ljust(width)}  {role}  ({why})"
            if why
            else f"  {str(c).ljust(width)}  {role}"
            for c, role, why in rows
        )
        lines.append("  (change any of these with --columns ROLE=COLUMN or --mapping FILE)")
    if rejects is not None and len(rejects):
        lines.append(f"first rejected rows ({min(show, len(rejects))} of {len(rejects)}):")
        for row in rejects.head(show).itertuples(index=False):
            where = ", ".join(
                p
                for p in (
                    str(row.locator),
                    f"column {row.column}" if isinstance(row.column, str) and row.column else "",
                    f"value {row.value!r}" if isinstance(row.value, str) else "",
                )
                if p
            )
            lines.append(f"  {where}: {row.reason}")
    return "\n".join(lines) + "\n\n"


def formats() -> None:
    """List the input kinds `load` reads, their file extensions and what detection looks for."""
    from damage_data.readers import FORMATS  # pandas and GDAL: see validate()

    width = max(len(k) for k in FORMATS)
    for kind, info in FORMATS.items():
        typer.echo(f"{kind.ljust(width)}  {info['extensions']}")
        typer.echo(f"{' ' * width}  {info['detects']}")


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
    app.command("formats")(formats)
