"""``damage-data map`` and ``damage-data chart``: publication-ready PNG, SVG or PDF files."""

from __future__ import annotations

from pathlib import Path

import typer

from damage_data._errors import UsageError
from damage_data._hashing import hash_ahead
from damage_data.numbers import LANGS

from . import _inputs as opt
from ._common import say

METRICS = ("total", "destroyed", "damaged", "residential_share")
KINDS = ("bars", "share", "timeline")
PRESETS = ("web", "print")
FORMATS = (".png", ".svg", ".pdf")

_INPUTS = typer.Argument(
    None,
    help="Input files (tables, GIS files, damage products, HXL, "
    "press reports). None: the bundled example.",
)
_OUTPUT = typer.Option(..., "--output", "-o", help="Output file: .png, .svg or .pdf.")
_TITLE = typer.Option(None, "--title", help="Title (default: the finding, from the data).")
_SUBTITLE = typer.Option(None, "--subtitle", help="Description: measure, unit and period.")
_NOTE = typer.Option(None, "--note", help="Note under the chart.")
_BYLINE = typer.Option(None, "--byline", help="Author or organisation.")
_LANG = typer.Option("en", "--lang", help=f"Language of names and words: {'|'.join(LANGS)}.")
_PRESET = typer.Option(
    "web", "--preset", help="web (640×450 px; PNG at 2×) or print (PDF at --size-mm)."
)
_SIZE = typer.Option(None, "--size-mm", help="Print size WIDTHxHEIGHT in mm, e.g. 160x112.5.")


def _check(choice: str, allowed: tuple[str, ...], option: str) -> str:
    if choice not in allowed:
        raise UsageError(f"unknown {option} {choice!r}; choose one of: {', '.join(allowed)}")
    return choice


def _size(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    try:
        width, height = (float(v) for v in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise UsageError(f"--size-mm {text!r}: give WIDTHxHEIGHT in mm, e.g. 160x112.5") from None
    return width, height


def _checked_output(output: Path) -> Path:
    if output.suffix.lower() not in FORMATS:
        raise UsageError(
            f"{output}: unknown figure format {output.suffix or '(none)'!r}; "
            f"use one of: {', '.join(FORMATS)}"
        )
    return output


def _draw_and_save(
    kind: str,
    inputs: list[Path] | None,
    output: Path,
    *,
    preset: str,
    size_mm: str | None,
    data: dict[str, object],
    summary_options: dict[str, object],
    **options: object,
) -> None:
    hash_ahead(inputs or [])  # before the imports below: see damage_data._hashing
    from damage_data.export import save
    from damage_data.plot import chart
    from damage_data.reconcile import summarise
    from damage_data.style import detached_axes

    _checked_output(output)
    _check(preset, PRESETS, "--preset")
    size = _size(size_mm)
    if size is not None and preset != "print":
        raise UsageError("--size-mm applies to --preset print only")
    collected = opt.collect_inputs(inputs, **data)  # type: ignore[arg-type]
    from .summary import nothing_counted

    summary = summarise(collected, lang=str(options.get("lang", "en")), **summary_options)  # type: ignore[arg-type]
    if summary.empty:
        as_of = summary_options.get("as_of")
        nothing_counted(
            collected,
            strict=True,
            as_of=None if as_of is None else str(as_of),
            reason=f"nothing to draw in {output.name}",
        )
    units = collected.units if collected.units is not None else None
    # a figure pyplot does not manage: files only, the user's backend is never touched
    fig = chart(
        kind,
        collected.figures,
        collected.sources,
        summary=summary,
        units=units,
        ax=detached_axes(),
        **options,  # type: ignore[arg-type]
    )
    save(fig, output, preset=preset, size_mm=size)
    say(f"wrote {output}")


def map_command(
    inputs: list[Path] | None = opt.inputs_argument(),
    output: Path = _OUTPUT,
    metric: str = typer.Option("total", "--metric", help=f"Measure: {'|'.join(METRICS)}."),
    title: str | None = _TITLE,
    subtitle: str | None = _SUBTITLE,
    note: str | None = _NOTE,
    byline: str | None = _BYLINE,
    lang: str = _LANG,
    preset: str = _PRESET,
    size_mm: str | None = _SIZE,
    scheme: str = typer.Option(
        "NaturalBreaks", "--scheme", help="mapclassify scheme, e.g. Quantiles, EqualInterval."
    ),
    classes: int = typer.Option(5, "--classes", help="Number of classes."),
    register: Path | None = opt.register_option(),
    policy: str = opt.policy_option(),
    as_of: str | None = opt.as_of_option(),
    kind: str = opt.kind_option(),
    layer: str | None = opt.layer_option(),
    columns: list[str] | None = opt.columns_option(),
    mapping: Path | None = opt.mapping_option(),
    country: str | None = opt.country_option(),
    units: Path | None = opt.units_option(),
    units_name: str | None = opt.units_name_option(),
    units_code: str | None = opt.units_code_option(),
    gazetteer: Path | None = opt.gazetteer_option(),
) -> None:
    """Draw a choropleth map of damage per unit, with legend, labels, inset and scale bar.

    Units without reports are hatched ("No reports"), a reported zero has its own class.
    With --units the map draws your own boundaries.
    """
    _check(metric, METRICS, "--metric")
    _check(lang, LANGS, "--lang")
    _draw_and_save(
        "map",
        inputs,
        output,
        preset=preset,
        size_mm=size_mm,
        data=dict(
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
        ),
        summary_options=dict(policy=policy, as_of=as_of),
        metric=metric,
        title=title,
        subtitle=subtitle,
        note=note,
        byline=byline,
        lang=lang,
        scheme=scheme,
        k=classes,
    )


def chart_command(
    inputs: list[Path] | None = opt.inputs_argument(),
    output: Path = _OUTPUT,
    chart_kind: str = typer.Option("bars", "--kind", help=f"Chart: {'|'.join(KINDS)}."),
    unit: str | None = typer.Option(
        None,
        "--unit",
        help="Timeline: the unit, by code or name (default: the unit with the most reports).",
    ),
    damage: str = typer.Option(
        "destroyed", "--damage", help="Timeline: destroyed, damaged, assessed…"
    ),
    title: str | None = _TITLE,
    subtitle: str | None = _SUBTITLE,
    note: str | None = _NOTE,
    byline: str | None = _BYLINE,
    lang: str = _LANG,
    preset: str = _PRESET,
    size_mm: str | None = _SIZE,
    register: Path | None = opt.register_option(),
    policy: str = opt.policy_option(),
    as_of: str | None = opt.as_of_option(),
    kind: str = typer.Option(
        "auto", "--input-kind", help="Reader kind for all inputs (see `formats`)."
    ),
    layer: str | None = opt.layer_option(),
    columns: list[str] | None = opt.columns_option(),
    mapping: Path | None = opt.mapping_option(),
    country: str | None = opt.country_option(),
    units: Path | None = opt.units_option(),
    units_name: str | None = opt.units_name_option(),
    units_code: str | None = opt.units_code_option(),
    gazetteer: Path | None = opt.gazetteer_option(),
) -> None:
    """Draw a chart: stacked bars per unit, residential share, or a timeline of reports.

    The timeline shows each source's figure over time and marks disagreements,
    corrections and running totals that went down. Tables need no boundaries for charts.
    """
    _check(chart_kind, KINDS, "--kind")
    _check(lang, LANGS, "--lang")
    _draw_and_save(
        chart_kind,
        inputs,
        output,
        preset=preset,
        size_mm=size_mm,
        data=dict(
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
        ),
        summary_options=dict(policy=policy, as_of=as_of),
        title=title,
        subtitle=subtitle,
        note=note,
        byline=byline,
        lang=lang,
        unit_code=unit,
        damage=damage,
    )


def register(app: typer.Typer) -> None:
    app.command("map")(map_command)
    app.command("chart")(chart_command)
