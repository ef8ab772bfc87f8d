"""``damage-data places``: resolve place names to unit codes, and list the bundled units."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ._common import check_format, emit, render, say

if TYPE_CHECKING:
    import pandas as pd

PLACE_FORMATS = ("table", "json", "csv", "ndjson", "md")

places_app = typer.Typer(
    name="places",
    help="Resolve place names to admin-unit codes; list the bundled units.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _flat(table: pd.DataFrame, fmt: str) -> pd.DataFrame:
    """Lists become ``;``-joined text in flat formats; JSON keeps them as arrays."""
    if fmt in ("json", "ndjson") or "candidates" not in table.columns:
        return table
    out = table.copy()
    out["candidates"] = out["candidates"].map(lambda c: ";".join(c) if isinstance(c, list) else c)
    return out


@places_app.command("resolve")
def resolve_command(
    names: list[str] = typer.Argument(..., help="Place names as written, in any script."),
    country: str | None = typer.Option(
        None, "--country", "-c", help="ISO 3166-1 alpha-2 code to search in (AZ, AM, UA)."
    ),
    parent: str | None = typer.Option(
        None, "--parent", "-p", help="The parent unit as written, checked against the names."
    ),
    level: str | None = typer.Option(
        None,
        "--level",
        "-l",
        help="Only units at this level (adm1, settlement…) or of this kind (city, district).",
    ),
    units: Path | None = typer.Option(
        None,
        "--units",
        help="Your own gazetteer: a boundary file or table (with --name-column and "
        "--code-column), an OCHA COD-AB table, or a GeoNames .txt dump.",
    ),
    name_column: str | None = typer.Option(
        None, "--name-column", help="Column of unit names in --units."
    ),
    code_column: str | None = typer.Option(
        None, "--code-column", help="Column of unit codes in --units."
    ),
    fmt: str = typer.Option(
        "table", "--format", "-f", help=f"Output format: {', '.join(PLACE_FORMATS)}."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file instead of stdout."
    ),
) -> None:
    """Resolve NAMES to unit codes, saying how each one matched (in input order)."""
    check_format(fmt, PLACE_FORMATS)
    from damage_data.places import match_log, resolve_places

    gazetteer = None
    if units is not None:
        from damage_data.places import gazetteer_from_path

        gazetteer = gazetteer_from_path(units, name_column=name_column, code_column=code_column)
    table = resolve_places(names, country=country, parent=parent, level=level, gazetteer=gazetteer)
    emit(render(_flat(table, fmt), fmt), output)
    review = match_log(table)
    if len(review):
        say(f"{len(review)} of {len(table)} names need review (match is not code or exact)")


@places_app.command("list")
def list_command(
    country: str | None = typer.Option(
        None, "--country", "-c", help="ISO 3166-1 alpha-2 code (AZ, AM, UA); all by default."
    ),
    lang: str = typer.Option(
        "en", "--lang", help="Language of the display names: en, az, ru, hy, native."
    ),
    fmt: str = typer.Option(
        "table", "--format", "-f", help=f"Output format: {', '.join(PLACE_FORMATS)}."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file instead of stdout."
    ),
) -> None:
    """List the bundled units: code, display name, ISO name, level, parent, country."""
    check_format(fmt, PLACE_FORMATS)
    from damage_data.places import list_units

    emit(render(list_units(country=country, lang=lang), fmt), output)


def register(app: typer.Typer) -> None:
    """Add the ``places`` sub-commands to the ``damage-data`` app."""
    app.add_typer(places_app, name="places")
