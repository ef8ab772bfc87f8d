"""``damage-data report``: the main job — a folder with tables, map, charts and notes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from .._hashing import hash_ahead
from . import _inputs as opt
from ._common import say


def report(
    inputs: list[Path] | None = typer.Argument(
        None, help="Input files of any supported kind. None: the bundled example."
    ),
    register: Path | None = opt.register_option("Also report on this damage register (.gpkg)."),
    output: Path = typer.Option(
        Path("damage-report"), "--output", "-o", help="Folder to write (default ./damage-report)."
    ),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace the folder if it exists."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display."),
    title: str | None = typer.Option(None, "--title", help="Report title."),
    lang: str = typer.Option("en", "--lang", help="Unit names: en|az|ru|hy|uk|native."),
    policy: str = opt.policy_option(),
    as_of: str | None = opt.as_of_option(),
    strict: bool = typer.Option(
        False,
        "--strict",
        help="Exit 4 when any row is rejected, fails validation, or nothing could be counted.",
    ),
    kind: str = opt.kind_option(),
    layer: str | None = opt.layer_option(),
    columns: list[str] | None = opt.columns_option(),
    mapping: Path | None = opt.mapping_option(),
    country: str | None = opt.country_option(),
    units: Path | None = opt.units_option(),
    units_name: str | None = opt.units_name_option(),
    units_code: str | None = opt.units_code_option(),
    gazetteer: Path | None = opt.gazetteer_option(),
    damage_scheme: str | None = opt.damage_scheme_option(),
) -> None:
    """Write a report folder: summary tables (CSV, XLSX, Markdown, HXL), units as GeoPackage
    and GeoJSON, figures with evidence, match log, rejects, map and charts, a README of the
    findings, and a Frictionless datapackage.json."""
    hash_ahead(inputs or [])  # before the imports below: see damage_data._hashing
    from damage_data._errors import UsageError
    from damage_data.report import _check_target

    if output.exists() and not overwrite:
        raise UsageError(f"{output} exists; choose another folder with -o or pass --overwrite")
    _check_target(output, overwrite, [str(p) for p in inputs or []])
    from .summary import nothing_counted, report_problems

    show = not quiet and sys.stderr.isatty()
    collected = opt.collect_inputs(
        inputs,
        register=register,
        kind=kind,
        layer=layer,
        columns=columns,
        mapping=mapping,
        units=units,
        units_name=units_name,
        units_code=units_code,
        country=country,
        gazetteer=gazetteer,
        as_of=as_of,
        damage_scheme=damage_scheme,
        quiet=quiet,
    )
    report_problems(collected, strict=strict)
    if title is None:
        dates = collected.figures["as_of"].dropna()
        span = ""
        if not dates.empty:
            first, last = dates.min().year, dates.max().year
            span = f", {first}" if first == last else f", {first}–{last}"
        title = f"Structure damage by unit{span}"
    from damage_data.report import build_report

    options: dict[str, Any] = {
        "overwrite": overwrite,
        "title": title,
        "lang": lang,
        "policy": policy,
        "as_of": as_of,
    }
    if show:
        from rich.progress import Progress, SpinnerColumn, TextColumn

        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            transient=True,
            console=_stderr_console(),
        ) as bar:
            task = bar.add_task("starting", total=None)
            result = build_report(
                collected, output, **options, progress=lambda msg: bar.update(task, description=msg)
            )
    else:
        result = build_report(collected, output, **options)
    if result.summary is None or result.summary.empty:
        nothing_counted(collected, strict=strict, as_of=as_of)
    if not quiet:
        say(
            f"damage-data: wrote {len(result.files)} files to {result.folder}/ "
            f"(open {result.folder}/README.md)"
        )


def _stderr_console() -> Any:
    from rich.console import Console  # lazy: keeps --help light

    return Console(stderr=True)


def register(app: typer.Typer) -> None:
    app.command("report")(report)
