"""``damage-data ingest | sources | history | explain``: the damage register (GeoPackage).

The library is imported inside each command, not here: ``damage-data --help`` imports every
command module, and the register pulls in pandas, GDAL and the readers.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .._hashing import hash_ahead
from . import _inputs as opt
from ._common import TABLE_FORMATS, check_format, emit, format_of, render, say

if TYPE_CHECKING:
    import pandas as pd

_REGISTER_HELP = "The damage register (.gpkg file)."
#: Columns shown in the terminal table (the other formats carry every column).
_SOURCE_VIEW = (
    "source_id",
    "version",
    "current",
    "title",
    "publisher",
    "published",
    "method",
    "cites",
    "figures",
    "structures",
)
_HISTORY_VIEW = (
    "as_of",
    "unit_code",
    "damage",
    "structure",
    "count",
    "qualifier",
    "count_unit",
    "source_id",
    "source_title",
    "version",
    "current",
    "evidence",
)
_EXPLAIN_VIEW = (
    "figure_id",
    "source_id",
    "as_of",
    "damage",
    "structure",
    "count",
    "count_unit",
    "used",
    "rule",
    "why",
    "source_title",
)


def _view(table: pd.DataFrame, columns: tuple[str, ...], fmt: str) -> pd.DataFrame:
    """A narrower table for the terminal; every other format keeps all columns."""
    if fmt != "table":
        return table
    return table[[c for c in columns if c in table.columns]]


def ingest(
    inputs: list[Path] = typer.Argument(..., help="Input files to add (any kind `load` reads)."),
    register_file: Path = typer.Option(
        ..., "--register", help=_REGISTER_HELP + " Created when missing."
    ),
    kind: str = typer.Option("auto", "--kind", help="Reader kind for all inputs."),
    title: str | None = typer.Option(None, "--source-title", help="Title of the source."),
    publisher: str | None = typer.Option(None, "--publisher", help="Who published it."),
    published: str | None = typer.Option(None, "--published", help="Publication date, YYYY-MM-DD."),
    url: str | None = typer.Option(None, "--url", help="Where it was published."),
    method: str | None = typer.Option(
        None,
        "--method",
        help="How the source knows: field_survey, satellite, official_statement, press or "
        "compilation.",
    ),
    cites: str | None = typer.Option(
        None,
        "--cites",
        metavar="SOURCE_ID",
        help="source_id of the primary source this one relays.",
    ),
    country: str | None = opt.country_option(),
    columns: list[str] | None = opt.columns_option(),
    mapping: Path | None = opt.mapping_option(),
    units: Path | None = opt.units_option(),
    units_name: str | None = opt.units_name_option(),
    units_code: str | None = opt.units_code_option(),
    gazetteer: Path | None = opt.gazetteer_option(),
    layer: str | None = opt.layer_option(),
    fmt: str = typer.Option(
        "text", "--format", "-f", help="text (one line per input) or json (an array)."
    ),
) -> None:
    """Add inputs to a damage register, one transaction per input.

    Prints one line per input: added, unchanged (identical content is already there;
    nothing is written) or new version (changed content of a source already in the
    register), with the number of figures and structures written.
    """
    check_format(fmt, ("text", "json"))
    hash_ahead(inputs)  # before the imports below: see damage_data._hashing
    from damage_data.register import ingest as ingest_inputs  # here: keeps --help light

    results = ingest_inputs(
        register_file,
        [str(p) for p in inputs],
        kind=kind,
        title=title,
        publisher=publisher,
        published=published,
        url=url,
        method=method,
        cites=cites,
        country=country.upper() if country else None,
        columns=opt.parse_columns(columns, mapping),
        units=opt.user_units(units, units_name, units_code),
        settlements=opt.user_settlements(gazetteer),
        layer=layer,
    )
    if fmt == "json":
        rows = [dataclasses.asdict(r) for r in results]
        for row in rows:
            row["source_status"] = dict(row["source_status"])
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for result in results:
            typer.echo(result.describe())
    say(f"damage-data: register {register_file}: {len(results)} input(s) ingested")


def sources(
    register_file: Path = typer.Option(..., "--register", help=_REGISTER_HELP),
    fmt: str = typer.Option(
        "table", "--format", "-f", help=f"Output format: {'|'.join(TABLE_FORMATS)}."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
) -> None:
    """List the sources in a register, every version, with their figure counts."""
    check_format(fmt)
    from damage_data.register import register_sources  # here: keeps --help light

    table = register_sources(register_file)
    emit(render(_view(table, _SOURCE_VIEW, fmt), fmt), output)


def history(
    unit: str = typer.Argument(..., help="Unit code (e.g. AZ-TAR) or place name."),
    inputs: list[Path] | None = opt.inputs_argument(),
    register_file: Path | None = opt.register_option(_REGISTER_HELP),
    fmt: str | None = typer.Option(
        None, "--format", "-f", help=f"Output format: {'|'.join(TABLE_FORMATS)}."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing -o file."),
) -> None:
    """List every figure about a unit over time, with its evidence and source (from a
    register, input files, or the bundled example)."""
    fmt = format_of(fmt, output)
    check_format(fmt)
    if register_file is not None and not inputs:
        from damage_data.register import history as unit_history  # here: keeps --help light

        table = unit_history(register_file, unit)
    else:
        from damage_data.reconcile import explain as explain_figures  # here: keeps --help light

        collected = opt.collect_inputs(inputs, register=register_file)
        table = explain_figures(collected, None, unit).sort_values("as_of", na_position="first")
    if table.empty:
        say(f"damage-data: no figures about {unit}")
    emit(render(_view(table, _HISTORY_VIEW, fmt), fmt), output, overwrite=overwrite)


def explain(
    unit: str = typer.Argument(..., help="Unit code (e.g. AZ-FUZ) or place name."),
    inputs: list[Path] | None = opt.inputs_argument(),
    register_file: Path | None = opt.register_option(_REGISTER_HELP),
    policy: str = opt.policy_option(),
    as_of: str | None = opt.as_of_option(),
    count_possible: bool = typer.Option(
        False, "--count-possible", help="Add 'possibly damaged' to damaged."
    ),
    fmt: str | None = typer.Option(
        None, "--format", "-f", help=f"Output format: {'|'.join(TABLE_FORMATS)}."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing -o file."),
) -> None:
    """Show which figures about a unit the summary uses, and the rule for each one (from a
    register, input files, or the bundled example)."""
    fmt = format_of(fmt, output)
    check_format(fmt)
    if register_file is not None and not inputs:
        from damage_data.register import explain_unit  # here: keeps --help light

        table = explain_unit(
            register_file, unit, policy=policy, as_of=as_of, count_possible=count_possible
        )
    else:
        from damage_data.reconcile import explain as explain_figures  # here: keeps --help light

        collected = opt.collect_inputs(inputs, register=register_file, as_of=as_of)
        table = explain_figures(
            collected, None, unit, policy=policy, as_of=as_of, count_possible=count_possible
        )
    emit(render(_view(table, _EXPLAIN_VIEW, fmt), fmt), output, overwrite=overwrite)


def register(app: typer.Typer) -> None:
    """Add the register's commands (``ingest``, ``sources``, ``history``, ``explain``) to ``app``.

    Parameters
    ----------
    app
        The ``damage-data`` Typer application.
    """
    app.command("ingest")(ingest)
    app.command("sources")(sources)
    app.command("history")(history)
    app.command("explain")(explain)
