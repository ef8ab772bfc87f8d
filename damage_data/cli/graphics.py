"""``damage-data map`` and ``damage-data chart``: publication-ready PNG, SVG or PDF files."""

from __future__ import annotations

from pathlib import Path

import typer

from damage_data._errors import UsageError

from ._common import say

METRICS = ("total", "destroyed", "damaged", "residential_share")
KINDS = ("bars", "share", "timeline")
PRESETS = ("web", "print")
LANGS = ("en", "az", "ru", "hy", "native")
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
_LANG = typer.Option("en", "--lang", help=f"Place names: {'|'.join(LANGS)}.")
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


def _collect(inputs: list[Path] | None):  # type: ignore[no-untyped-def]
    from ._inputs import collect_inputs

    return collect_inputs(inputs)


def _draw_and_save(
    kind: str,
    inputs: list[Path] | None,
    output: Path,
    *,
    preset: str,
    size_mm: str | None,
    **options: object,
) -> None:
    import matplotlib

    matplotlib.use("Agg")  # files only: never open a window
    import matplotlib.pyplot as plt

    from damage_data.export import save
    from damage_data.plot import chart

    _checked_output(output)
    _check(preset, PRESETS, "--preset")
    size = _size(size_mm)
    if size is not None and preset != "print":
        raise UsageError("--size-mm applies to --preset print only")
    collected = _collect(inputs)
    fig = chart(kind, collected.figures, collected.sources, **options)  # type: ignore[arg-type]
    try:
        save(fig, output, preset=preset, size_mm=size)
    finally:
        plt.close(fig)
    say(f"wrote {output}")


def map_command(
    inputs: list[Path] | None = _INPUTS,
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
    classes: int = typer.Option(5, "--classes", "-k", help="Number of classes."),
) -> None:
    """Draw a choropleth map of damage per unit, with legend, labels, inset and scale bar.

    Units without reports are hatched ("No reports"), never shown as zero.
    """
    _check(metric, METRICS, "--metric")
    _check(lang, LANGS, "--lang")
    _draw_and_save(
        "map",
        inputs,
        output,
        preset=preset,
        size_mm=size_mm,
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
    inputs: list[Path] | None = _INPUTS,
    output: Path = _OUTPUT,
    kind: str = typer.Option("bars", "--kind", help=f"Chart: {'|'.join(KINDS)}."),
    unit: str | None = typer.Option(
        None, "--unit", help="Timeline: unit code (default: the unit with the most reports)."
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
) -> None:
    """Draw a chart: stacked bars per unit, residential share, or a timeline of reports.

    The timeline shows each source's figure over time and marks disagreements,
    corrections and running totals that went down.
    """
    _check(kind, KINDS, "--kind")
    _check(lang, LANGS, "--lang")
    _draw_and_save(
        kind,
        inputs,
        output,
        preset=preset,
        size_mm=size_mm,
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
