"""``damage-data extract``: damage figures from a press report, each with its evidence span."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ._common import check_format, emit, jsonable, render, say

if TYPE_CHECKING:
    import pandas as pd

EXTRACT_FORMATS = ("json", "csv", "table")
LANGS = ("auto", "en", "az", "ru", "uk", "tr", "de")

#: Fields of each JSON record, in order (the issue's contract).
JSON_FIELDS: tuple[str, ...] = (
    "place_text",
    "unit_code",
    "level",
    "count",
    "count_min",
    "count_max",
    "qualifier",
    "damage",
    "damage_text",
    "structure",
    "structure_text",
    "subset_of",
    "same_as",
    "cumulative",
    "as_of",
    "evidence",
    "start",
    "end",
    "status",
    "rule",
)


def records_for_json(figures: pd.DataFrame) -> list[dict[str, Any]]:
    """Records with exactly :data:`JSON_FIELDS`; ``subset_of``/``same_as`` become indexes."""
    position = {fid: i for i, fid in enumerate(figures["figure_id"].tolist())}
    out: list[dict[str, Any]] = []
    for row in figures.to_dict("records"):
        record = {name: jsonable(row.get(name)) for name in JSON_FIELDS}
        for link in ("subset_of", "same_as"):
            target = record[link]
            record[link] = position.get(target) if target else None
        out.append(record)
    return out


def _table_view(figures: pd.DataFrame) -> pd.DataFrame:
    """The columns a reader checks first, links as row numbers."""
    view = figures.copy()
    position = {fid: i for i, fid in enumerate(view["figure_id"].tolist())}
    for link in ("subset_of", "same_as"):
        view[link] = view[link].map(lambda v: position.get(v) if isinstance(v, str) else None)
    view.insert(0, "n", range(len(view)))
    cols = [
        "n",
        "place_text",
        "unit_code",
        "count",
        "qualifier",
        "damage",
        "structure",
        "subset_of",
        "same_as",
        "as_of",
        "status",
        "evidence",
    ]
    return view[cols]


def register(app: typer.Typer) -> None:
    """Add the ``extract`` command to the CLI."""

    @app.command("extract")
    def extract_command(
        file: str = typer.Argument(..., help="A .txt or .md press report, or - for stdin."),
        published: str | None = typer.Option(
            None, "--published", help="Publication date YYYY-MM-DD (dates are read against it)."
        ),
        source: str | None = typer.Option(
            None, "--source", help="Title of the source (default: the file name)."
        ),
        lang: str = typer.Option(
            "auto", "--lang", help=f"Language of the text: {', '.join(LANGS)}."
        ),
        fmt: str = typer.Option(
            "table", "--format", "-f", help=f"Output format: {', '.join(EXTRACT_FORMATS)}."
        ),
        output: Path | None = typer.Option(
            None, "--output", "-o", help="Write to this file instead of stdout."
        ),
        max_text_mb: float | None = typer.Option(
            None,
            "--max-text-mb",
            help="Refuse longer texts, in MiB of UTF-8 (default 2; time grows with length).",
        ),
    ) -> None:
        """Read the damage figures of a press report; every record quotes its evidence."""
        check_format(fmt, EXTRACT_FORMATS)
        if lang not in LANGS:
            from damage_data._errors import UsageError

            raise UsageError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
        from damage_data.limits import DEFAULT_LIMITS
        from damage_data.text import figures_from_file, figures_from_text

        limits = DEFAULT_LIMITS
        if max_text_mb is not None:
            if max_text_mb <= 0:
                from damage_data._errors import UsageError

                raise UsageError(f"--max-text-mb must be above 0, got {max_text_mb}")
            limits = dataclasses.replace(
                DEFAULT_LIMITS, max_text_bytes=int(max_text_mb * 1024 * 1024)
            )
        if file == "-":
            text = sys.stdin.read()
            figures = figures_from_text(
                text, published=published, source=source or "stdin", lang=lang, limits=limits
            )
        else:
            figures, _ = figures_from_file(
                file, published=published, source=source, lang=lang, limits=limits
            )
        if fmt == "json":
            body = json.dumps(records_for_json(figures), ensure_ascii=False, indent=2) + "\n"
        elif fmt == "csv":
            body = render(figures, "csv")
        else:
            body = render(_table_view(figures), "table")
        emit(body, output)
        review = int((figures["status"] == "needs_review").sum()) if len(figures) else 0
        say(f"{len(figures)} figures, {review} need review")
