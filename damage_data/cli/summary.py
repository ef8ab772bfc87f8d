"""``damage-data summary``: one row per unit, reconciled across sources."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ._common import TABLE_FORMATS, check_format, emit, render, say

if TYPE_CHECKING:
    from damage_data.pipeline import Collected


def user_units(path: Path | None, name_column: str | None, code_column: str | None) -> Any:
    """The units of a user's boundary file (``--units``), or ``None``."""
    if path is None:
        return None
    from damage_data.gazetteer import gazetteer_from_path

    return gazetteer_from_path(path, name_column=name_column, code_column=code_column).units


def gather(
    inputs: list[Path] | None,
    *,
    register: Path | None = None,
    kind: str = "auto",
    country: str | None = None,
    units: Any = None,
    quiet: bool = False,
) -> Collected:
    """Inputs, a register, or (with neither) the bundled example; says which on stderr."""
    from damage_data.pipeline import Collected, combine, figures_from_inputs

    parts: list[Collected] = []
    if inputs:
        parts.append(figures_from_inputs(inputs, kind=kind, country=country, units=units))
    if register is not None:
        from damage_data.pipeline import match_log
        from damage_data.register import read_register

        figures, sources = read_register(register)
        import pandas as pd

        parts.append(
            Collected(
                figures=figures,
                sources=sources,
                rejects=pd.DataFrame(columns=["path", "locator", "column", "value", "reason"]),
                match_log=match_log(figures),
            )
        )
    if not parts:
        if not quiet:
            say(
                "damage-data: no input given: using the bundled example "
                "(Karabakh 2020, data/examples/karabakh_2020)"
            )
        parts.append(figures_from_inputs(None))
    return parts[0] if len(parts) == 1 else combine(parts)


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


def report_problems(collected: Collected, *, strict: bool, check_schema: bool = True) -> None:
    """Warn about rejects and unresolved places; under --strict, fail with exit code 4."""
    import pandas as pd

    from damage_data._errors import ValidationError
    from damage_data.tables import validate

    problems: list[str] = []
    if not collected.rejects.empty:
        problems.append(_rejects_message(collected.rejects))
    unresolved = collected.figures["unit_code"].isna().sum() if not collected.figures.empty else 0
    if unresolved:
        problems.append(
            f"{unresolved} figures have no unit: a place that was not resolved (see "
            "`damage-data places resolve`) or structures outside every unit (give your "
            "boundaries with --units FILE, or --country)"
        )
    # a register's figures were validated when ingested; files and --strict are checked here
    failures = (
        validate(collected.figures, "figures", raise_on_error=False)
        if check_schema or strict
        else pd.DataFrame(columns=["row", "column", "value", "reason"])
    )
    if not failures.empty:
        problems.append(
            f"{len(failures)} figure table problems, e.g. row "
            f"{failures.iloc[0]['row']}, column {failures.iloc[0]['column']}: "
            f"{failures.iloc[0]['reason']}"
        )
    for line in problems:
        say(f"damage-data: warning: {line}")
    if strict and problems:
        raise ValidationError("--strict: " + "; ".join(problems), failure_cases=failures)


def summary(
    inputs: list[Path] | None = typer.Argument(
        None,
        help="Input files (tables, GIS files, damage products, HXL, press reports). "
        "None: the bundled example.",
    ),
    fmt: str = typer.Option(
        "table", "--format", "-f", help=f"Output format: {'|'.join(TABLE_FORMATS)}."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
    strict: bool = typer.Option(
        False, "--strict", help="Exit 4 when any row is rejected or fails validation."
    ),
    register: Path | None = typer.Option(
        None, "--register", help="Also summarise this damage register (.gpkg)."
    ),
    by_source: bool = typer.Option(
        False, "--by-source", help="One row per unit and source, side by side."
    ),
    policy: str = typer.Option("best", "--policy", help="best|latest|max|all."),
    as_of: str | None = typer.Option(None, "--as-of", help="Ignore figures after YYYY-MM-DD."),
    count_possible: bool = typer.Option(
        False, "--count-possible", help="Add 'possibly damaged' to damaged."
    ),
    rollup: bool = typer.Option(
        False, "--rollup", help="Add country rows summing their units (partial)."
    ),
    kind: str = typer.Option("auto", "--kind", help="Reader kind for all inputs."),
    country: str | None = typer.Option(
        None, "--country", help="Country (ISO alpha-2) for per-structure inputs."
    ),
    lang: str = typer.Option("en", "--lang", help="Unit names: en|az|ru|hy|native."),
    units: Path | None = typer.Option(
        None, "--units", help="Your own boundary file (or COD-AB table) to assign structures to."
    ),
    units_name: str | None = typer.Option(
        None, "--units-name", "--name-column", help="Name column of --units."
    ),
    units_code: str | None = typer.Option(
        None, "--units-code", "--code-column", help="Code column of --units."
    ),
) -> None:
    """Summarise damage per unit: destroyed, damaged, residential share, sources, flags.

    Sources are never added: each unit's figures come from its best source (a primary
    over the report relaying it, then the latest date, then the method), with the
    disagreement between sources flagged.
    """
    check_format(fmt)
    from damage_data.reconcile import summarise

    collected = gather(
        inputs,
        register=register,
        kind=kind,
        country=country,
        units=user_units(units, units_name, units_code),
    )
    report_problems(collected, strict=strict, check_schema=bool(inputs) or register is None)
    table = summarise(
        collected.figures,
        collected.sources,
        policy=policy,
        as_of=as_of,
        count_possible=count_possible,
        by_source=by_source,
        rollup=rollup,
        lang=lang,
    )
    emit(render(table, fmt), output)


def register(app: typer.Typer) -> None:
    app.command("summary")(summary)
