"""``damage-data summary``: one row per unit (or village), reconciled across sources."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from .._hashing import hash_ahead
from . import _inputs as opt
from ._common import TABLE_FORMATS, check_format, emit, format_of, render, say

if TYPE_CHECKING:
    from damage_data.tables import Collected


def _rejects_message(rejects: Any, examples: int = 5) -> str:
    """How many rows were rejected and why, with one example (file, row, column, value) per
    reason, so the message names what to fix."""
    lines = [f"{len(rejects)} input rows rejected (see `damage-data validate FILE`):"]
    frame = rejects.astype(object).where(rejects.notna(), None)
    for reason, group in frame.groupby("reason", sort=False):
        first = group.iloc[0]
        where = ", ".join(
            part
            for part in (
                str(first.get("path") or ""),
                str(first.get("locator") or ""),
                f"column {first['column']}" if first.get("column") else "",
                f"value {first['value']!r}" if first.get("value") is not None else "",
            )
            if part
        )
        lines.append(f"  {len(group)} × {reason} (e.g. {where})")
        if len(lines) > examples:
            lines.append("  …")
            break
    return "\n".join(lines)


def built_here(collected: Collected) -> bool:
    """Every figure was counted here from per-structure files, none read from a table.

    Such figures are valid by construction (states from the crosswalk, counts of rows, ids
    from their locators; ``tests/test_scale.py`` checks them against the schema), so the
    schema check, about 0.3 s with its imports, is left to ``--strict``.
    """
    return bool(collected.reports) and all(
        r.get("kind") == "structures_parquet" for r in collected.reports
    )


def report_problems(collected: Collected, *, strict: bool, check_schema: bool = True) -> None:
    """Warn about rejects and unresolved places; under --strict, fail with exit code 4."""
    import pandas as pd

    from damage_data._errors import ValidationError
    from damage_data.tables import validate

    problems: list[str] = []
    if not collected.rejects.empty:
        problems.append(_rejects_message(collected.rejects))
    figures = collected.figures
    unresolved = int(figures["unit_code"].isna().sum()) if not figures.empty else 0
    if unresolved:
        outside = figures["flags"].fillna("").str.contains("outside_units").sum()
        problems.append(
            f"{unresolved} figures have no unit"
            + (f" ({outside} of them structures outside every unit)" if outside else "")
            + ": check the place names (`damage-data places resolve NAME`) or give your "
            f"boundaries with --units FILE (or --country {_bundled()}, the bundled ones)"
        )
    failures = (
        validate(figures, "figures", raise_on_error=False)
        if strict or (check_schema and not built_here(collected))
        else pd.DataFrame(columns=["row", "column", "value", "reason"])
    )
    if not failures.empty:
        problems.append(
            f"{len(failures)} figure table problems, e.g. row {failures.iloc[0]['row']}, "
            f"column {failures.iloc[0]['column']}: {failures.iloc[0]['reason']}"
        )
    if figures.empty or (unresolved and unresolved == len(figures)):
        problems.append(
            "no usable figure: nothing can be counted (no figure was read, or none has a "
            "unit); no count is 0 for lack of data"
        )
    for line in problems:
        say(f"damage-data: warning: {line}")
    if strict and problems:
        raise ValidationError("--strict: " + "; ".join(problems), failure_cases=failures)


def _bundled() -> str:
    """The countries --country knows, for messages ("AZ, AM or UA")."""
    from damage_data.places.gazetteer import BUNDLED_COUNTRIES_TEXT

    return BUNDLED_COUNTRIES_TEXT


def nothing_counted(
    collected: Collected, *, strict: bool, as_of: str | None = None, reason: str = "--strict"
) -> None:
    """Rule R10: say in words that nothing could be counted; exit 4 under --strict (or when
    the command has nothing to draw: ``reason`` says which)."""
    import pandas as pd

    from damage_data._errors import ValidationError

    figures = collected.figures
    dates = (
        pd.to_datetime(figures["as_of"], errors="coerce").dropna()
        if "as_of" in figures.columns
        else pd.Series(dtype="datetime64[ns]")
    )
    fix = ""
    if figures.empty:
        why = "no figure was read from the inputs"
    elif as_of is not None and not dates.empty and dates.min() > pd.Timestamp(as_of):
        why = (
            f"all {len(figures)} figures are dated after --as-of {as_of} (the earliest "
            f"{dates.min().date()})"
        )
        fix = "Give a later --as-of."
    else:
        why = (
            f"none of the {len(figures)} figures could be used (no unit could be assigned, "
            "or every figure needs review)"
        )
    if not fix:
        fix = (
            "See `damage-data validate FILE`; give your boundaries with --units FILE (or "
            f"--country {_bundled()}, the bundled ones)."
        )
    message = (
        f"no usable figure: {why}; nothing is reported, and no count is 0 for lack of data. " + fix
    )
    if strict:
        raise ValidationError(f"{reason}: {message}")
    say(f"damage-data: warning: {message}")


def summary(
    inputs: list[Path] | None = opt.inputs_argument(),
    fmt: str | None = typer.Option(
        None,
        "--format",
        "-f",
        help=f"Output format: {'|'.join(TABLE_FORMATS)} (default: "
        "from the -o extension, else table).",
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing -o file."),
    strict: bool = typer.Option(
        False,
        "--strict",
        help="Exit 4 when any row is rejected, fails validation, or nothing could be counted.",
    ),
    register: Path | None = opt.register_option("Also summarise this damage register (.gpkg)."),
    level: str = typer.Option(
        "unit", "--level", help="unit (villages rolled up) or settlement (one row per village)."
    ),
    by_source: bool = typer.Option(
        False, "--by-source", help="One row per unit and source, side by side."
    ),
    policy: str = opt.policy_option(),
    as_of: str | None = opt.as_of_option(),
    count_possible: bool = typer.Option(
        False, "--count-possible", help="Add 'possibly damaged' to damaged."
    ),
    include_review: bool = typer.Option(
        False, "--include-review", help="Count figures marked needs_review too."
    ),
    rollup: bool = typer.Option(
        False, "--rollup", help="Add country rows summing their units (partial)."
    ),
    kind: str = opt.kind_option(),
    layer: str | None = opt.layer_option(),
    columns: list[str] | None = opt.columns_option(),
    mapping: Path | None = opt.mapping_option(),
    country: str | None = opt.country_option(),
    lang: str = typer.Option("en", "--lang", help="Unit names: en|az|ru|hy|uk|native."),
    units: Path | None = opt.units_option(),
    units_name: str | None = opt.units_name_option(),
    units_code: str | None = opt.units_code_option(),
    gazetteer: Path | None = opt.gazetteer_option(),
    damage_scheme: str | None = opt.damage_scheme_option(),
) -> None:
    """Summarise damage per unit: destroyed, damaged, residential share, sources, flags.

    Sources are never added: each unit's figures come from its best source (a primary
    over the report relaying it, then the latest date, then the method), with the
    disagreement between sources flagged. Breakdowns are parts of their totals; villages
    add up into their district; a series gives its latest figure.
    """
    fmt = format_of(fmt, output)
    check_format(fmt)
    hash_ahead(inputs or [])  # before the imports below: see damage_data._hashing
    from damage_data.reconcile import readable, summarise

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
    )
    report_problems(collected, strict=strict, check_schema=bool(inputs) or register is None)
    table = summarise(
        collected,
        policy=policy,
        as_of=as_of,
        count_possible=count_possible,
        by_source=by_source,
        include_review=include_review,
        rollup=rollup,
        level=level,
        lang=lang,
        settlements=opt.user_settlements(gazetteer),
    )
    if table.empty:
        nothing_counted(collected, strict=strict, as_of=as_of)
    if fmt in ("table", "md") and not by_source:
        table = readable(table, lang if lang != "native" else "en")
    emit(render(table, fmt), output, overwrite=overwrite)


def register(app: typer.Typer) -> None:
    app.command("summary")(summary)
