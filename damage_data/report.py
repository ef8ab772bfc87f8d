"""The report folder: every table, map, chart and note an editor, analyst and data desk need.

``build_report`` writes the whole folder into a temporary directory beside the target and
renames it into place only when everything is written, so a failed run never leaves half
a report, and an existing folder is replaced only with ``overwrite=True``.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import pandas as pd

from ._errors import UsageError
from .export import atomic_write_text, neutralise_formulas, safe_csv_text
from .reconcile import COUNT_COLUMNS
from .tables import flags_of

if TYPE_CHECKING:
    from .pipeline import Collected

log = logging.getLogger(__name__)

#: HXL hashtags of the summary columns (REFERENCE §4).
HXL_TAGS: dict[str, str] = {
    "unit_code": "#adm1+code",
    "unit_name": "#adm1+name",
    "level": "#meta+level",
    "destroyed": "#affected+buildings+destroyed",
    "damaged": "#affected+buildings+damaged",
    "possibly_damaged": "#affected+buildings+possible",
    "unsplit": "#affected+buildings+damaged_or_destroyed",
    "total": "#affected+buildings+total",
    "assessed": "#reached+buildings+assessed",
    "residential": "#affected+buildings+residential",
    "residential_share": "#indicator+residential+share",
    "n_sources": "#meta+sources+num",
    "as_of": "#date+reported",
    "flags": "#meta+flags",
}
#: What each flag means, for notes and the README.
FLAG_NOTES: dict[str, str] = {
    "disagree": "sources about the same date disagree by more than the set ratio",
    "relayed": "a secondary report relaying the primary source was set aside",
    "decreasing": "a cumulative series went down between statements (reclassification or "
    "correction); the latest statement is reported, never a sum",
    "partial": "only part of the unit is covered (villages only, or a sum of units)",
    "partial_area": "the figure covers only part of the unit",
    "parent_conflict": "the source places the unit inside another unit, contradicting the "
    "gazetteer",
    "needs_review": "some figures about the unit need review and were not counted",
    "mixed_count_units": "figures in other count units (e.g. housing units) were set aside",
    "preliminary": "the source calls its figure preliminary",
    "multi_place": "the figure covers several places together",
    "children_exceed": "the unit's parts add up to more than the unit's own figure",
    "subset_exceeds_parent": "a source gives a part larger than its whole",
    "sum_of_units": "computed as the sum of the units' figures",
    "vague_number": "a vague number ('hundreds') coded conservatively",
    "building_blocks": "some polygons are blocks of several buildings",
}
COUNT_FORMAT = "#,##0"


@dataclass
class ReportResult:
    """Where the report went and what it holds."""

    folder: Path
    files: list[str] = field(default_factory=list)
    summary: pd.DataFrame | None = None


def _rows(frame: pd.DataFrame) -> list[Any]:
    """Rows as attribute objects (``row.unit_code``), typed loosely for formatting."""
    return [SimpleNamespace(**{str(k): v for k, v in r.items()}) for r in frame.to_dict("records")]


def _fmt_int(value: Any) -> str:
    return "n/a" if value is None or pd.isna(value) else f"{int(value):,}"


def _fmt_date(value: Any) -> str:
    if value is None or pd.isna(value):
        return "undated"
    return pd.Timestamp(value).strftime("%-d %b %Y")


def hxl_csv_text(summary: pd.DataFrame) -> str:
    """The summary as HXL-tagged CSV: a header row, a hashtag row, then the data."""
    import csv
    import io

    table = neutralise_formulas(summary)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    writer.writerow([HXL_TAGS.get(c, "") for c in table.columns])
    for row in table.itertuples(index=False, name=None):
        writer.writerow(
            [
                ""
                if v is None or (not isinstance(v, str) and pd.isna(v))
                else (pd.Timestamp(v).date().isoformat() if isinstance(v, pd.Timestamp) else v)
                for v in row
            ]
        )
    return buffer.getvalue()


def write_xlsx(
    path: Path,
    summary: pd.DataFrame,
    figures: pd.DataFrame,
    sources: pd.DataFrame,
    notes: list[tuple[str, str]],
) -> None:
    """A formatted workbook: frozen headers, number formats, and a notes sheet."""
    from openpyxl.utils import get_column_letter

    def plain(frame: pd.DataFrame) -> pd.DataFrame:
        out = neutralise_formulas(
            frame.drop(columns=[c for c in ("geometry",) if c in frame.columns])
        )
        for column in out.columns:
            if str(out[column].dtype).startswith("datetime"):
                out[column] = out[column].dt.date
            elif str(out[column].dtype) == "category":
                out[column] = out[column].astype(object)
        return out.astype(object).where(out.notna(), None)

    tmp = path.with_name(f".{path.name}.tmp")
    with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        plain(summary).to_excel(writer, sheet_name="Summary", index=False)
        plain(figures).to_excel(writer, sheet_name="Figures", index=False)
        plain(sources).to_excel(writer, sheet_name="Sources", index=False)
        neutralise_formulas(pd.DataFrame(notes, columns=["topic", "note"])).to_excel(
            writer, sheet_name="Notes", index=False
        )
        for name, sheet in writer.sheets.items():
            sheet.freeze_panes = "A2"
            for idx, cells in enumerate(sheet.iter_cols(min_row=1, max_row=1), start=1):
                header = str(cells[0].value)
                width = (
                    60
                    if header in ("evidence", "note", "notes", "title")
                    else max(10, min(40, len(header) + 2))
                )
                sheet.column_dimensions[get_column_letter(idx)].width = width
                number_format = None
                if header in (*COUNT_COLUMNS, "count", "count_min", "count_max"):
                    number_format = COUNT_FORMAT
                elif header == "residential_share":
                    number_format = "0.0%"
                elif header in ("as_of", "published", "retrieved"):
                    number_format = "yyyy-mm-dd"
                if number_format and name != "Notes":
                    for cell in sheet.iter_rows(min_row=2, min_col=idx, max_col=idx):
                        cell[0].number_format = number_format
    tmp.replace(path)


def findings_markdown(
    summary: pd.DataFrame,
    sources: pd.DataFrame,
    *,
    title: str,
    example: bool,
    n_figures: int,
    n_review: int,
    n_unresolved: int,
    n_rejects: int,
    images: list[tuple[str, str]],
) -> str:
    """The report's README: findings with their sources, dates and caveats."""
    titles = (
        dict(zip(sources["source_id"].astype(str), sources["title"].astype(str), strict=True))
        if not sources.empty
        else {}
    )
    units = summary[summary["level"] != "country"]
    lines = [f"# {title}", ""]
    if example:
        lines += [
            "This report was made from the bundled example (Karabakh 2020–2021): "
            "figures from public statements, with citations.",
            "",
        ]
    destroyed = units["destroyed"].dropna().sum()
    damaged = units["damaged"].dropna().sum()
    lines += [
        "## Findings",
        "",
        f"* {len(units)} units have figures. Taking each unit's best source (sources are "
        f"never added), **{_fmt_int(destroyed)} buildings are reported destroyed** and "
        f"**{_fmt_int(damaged)} damaged** (damaged excludes destroyed).",
    ]
    for row in _rows(units.sort_values("total", ascending=False, na_position="last")):
        parts = []
        if pd.notna(row.destroyed):
            parts.append(f"{_fmt_int(row.destroyed)} destroyed")
        if pd.notna(row.damaged):
            parts.append(f"{_fmt_int(row.damaged)} damaged")
        if pd.notna(row.unsplit):
            parts.append(f"{_fmt_int(row.unsplit)} damaged or destroyed (not split)")
        if pd.notna(row.assessed):
            parts.append(f"{_fmt_int(row.assessed)} assessed")
        if pd.notna(row.residential) and pd.notna(row.residential_share):
            parts.append(
                f"{_fmt_int(row.residential)} residential "
                f"({row.residential_share:.1%} of the reported set)"
            )
        flags = flags_of(row.flags)
        caveat = f" Caveats: {', '.join(flags)}." if flags else ""
        lines.append(
            f"* **{row.unit_name}** ({row.unit_code}): {', '.join(parts) or 'no count'}"
            f", as of {_fmt_date(row.as_of)}; {int(row.n_sources)} source"
            f"{'s' if row.n_sources != 1 else ''}.{caveat}"
        )
    countries = summary[summary["level"] == "country"]
    for row in _rows(countries):
        lines.append(
            f"* Country-level figure for {row.unit_code}: "
            f"{_fmt_int(row.total)} in total, as of {_fmt_date(row.as_of)}"
            f"{' (' + ', '.join(flags_of(row.flags)) + ')' if row.flags else ''}."
        )
    lines += [
        "",
        "## Caveats",
        "",
        f"* {n_figures} figures were read; {n_review} need review and were not counted; "
        f"{n_unresolved} have a place that could not be resolved; {n_rejects} input "
        "rows were rejected (see `rejects.csv` and `match_log.csv`).",
    ]
    used = {f for f in flags_of(";".join(summary["flags"].fillna("")))}
    for flag in sorted(used):
        if flag in FLAG_NOTES:
            lines.append(f"* `{flag}`: {FLAG_NOTES[flag]}.")
    lines += [
        "* Boundaries and names do not imply any position on the status of any "
        "territory; names follow the sources, display names are chosen per language.",
        "",
        "## Sources",
        "",
    ]
    for src in _rows(sources):
        when = _fmt_date(src.published)
        cites = (
            f" Relays {titles.get(str(src.cites), src.cites)}."
            if isinstance(src.cites, str) and src.cites
            else ""
        )
        url = f" <{src.url}>" if isinstance(src.url, str) and src.url else ""
        lines.append(
            f"* {src.title} — {src.publisher if isinstance(src.publisher, str) else ''}"
            f", {when} ({src.method}).{cites}{url}"
        )
    if images:
        lines += ["", "## Map and charts", ""]
        lines += [f"![{alt}]({name})" for name, alt in images]
    lines += [
        "",
        "## Files",
        "",
        "See `datapackage.json` for every file with its schema, sources and licences.",
        "",
    ]
    return "\n".join(lines)


def _datapackage(
    folder: Path, files: list[str], sources: pd.DataFrame, title: str
) -> dict[str, Any]:
    """A Frictionless descriptor for the report folder, with a schema per table."""
    from frictionless import Resource

    resources: list[dict[str, Any]] = []
    for name in files:
        path = folder / name
        stem = name.rsplit(".", 1)[0].replace("_", "-").lower()
        if name.endswith(".csv") and not name.endswith("_hxl.csv"):
            resource = Resource(path=name, basepath=str(folder))
            resource.infer()
            descriptor = resource.to_descriptor()
            descriptor["name"] = stem
            descriptor.pop("basepath", None)
        else:
            descriptor = {
                "name": stem + "-" + name.rsplit(".", 1)[-1].lower(),
                "path": name,
                "type": "file",
                "format": name.rsplit(".", 1)[-1].lower(),
                "bytes": path.stat().st_size,
            }
            if name.endswith("_hxl.csv"):
                descriptor["description"] = "Summary with an HXL hashtag row under the header"
        resources.append(descriptor)
    return {
        "name": "damage-report",
        "title": title,
        "profile": "data-package",
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "title": "Creative Commons Attribution 4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
            }
        ],
        "sources": [
            {"title": str(s.title), **({"path": s.url} if isinstance(s.url, str) and s.url else {})}
            for s in _rows(sources)
        ]
        + [
            {
                "title": "Natural Earth admin-1 boundaries (public domain)",
                "path": "https://www.naturalearthdata.com/",
            },
            {"title": "GeoNames (CC BY 4.0)", "path": "https://www.geonames.org/"},
        ],
        "resources": resources,
    }


def _units_with_metrics(summary: pd.DataFrame) -> Any:
    import geopandas as gpd

    from .gazetteer import bundled_units

    units = bundled_units()
    joined = units[["unit_code", "geometry"]].merge(summary, on="unit_code", how="inner")
    out = gpd.GeoDataFrame(joined, geometry="geometry", crs=units.crs)
    out["as_of"] = out["as_of"].dt.strftime("%Y-%m-%d")
    return out


def _figures_for_export(figures: pd.DataFrame) -> pd.DataFrame:
    out = figures.copy()
    out["as_of"] = out["as_of"].dt.strftime("%Y-%m-%d")
    return out


def build_report(
    collected: Collected,
    out_dir: str | Path = "damage-report",
    *,
    overwrite: bool = False,
    title: str | None = None,
    lang: str = "en",
    progress: Callable[[str], None] | None = None,
    **summary_options: Any,
) -> ReportResult:
    """Write the report folder for the collected figures.

    Parameters
    ----------
    collected
        Figures, sources, rejects and match log (:func:`damage_data.pipeline.figures_from_inputs`).
    out_dir
        The folder to write; refused when it exists unless ``overwrite``.
    title
        Report title (a default names the units and the period).
    progress
        Called with a short message before each step (the CLI shows a progress display).
    summary_options
        Passed to :func:`damage_data.reconcile.summarise` (``policy``, ``as_of``…).

    Examples
    --------
    >>> from damage_data.pipeline import figures_from_inputs
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "r"
    >>> result = build_report(figures_from_inputs(None), out)  # doctest: +SKIP
    """
    from .reconcile import summarise

    target = Path(out_dir)
    if target.exists() and not overwrite:
        raise UsageError(f"{target} exists; choose another folder with -o or pass --overwrite")
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} exists and is not a folder")
    step = progress or (lambda _msg: None)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        step("reconciling sources")
        summary = summarise(collected.figures, collected.sources, lang=lang, **summary_options)
        figures, sources = collected.figures, collected.sources
        title = title or "Structure damage by unit"
        files: list[str] = []

        def put_text(name: str, text: str) -> None:
            atomic_write_text(work / name, text)
            files.append(name)

        step("writing tables")
        put_text("summary.csv", safe_csv_text(summary))
        from .cli._common import _markdown

        put_text("summary.md", f"# {title}\n\n" + _markdown(summary))
        put_text("summary_hxl.csv", hxl_csv_text(summary))
        put_text("figures.csv", safe_csv_text(_figures_for_export(figures)))
        put_text("sources.csv", safe_csv_text(sources))
        put_text("match_log.csv", safe_csv_text(collected.match_log))
        put_text("rejects.csv", safe_csv_text(collected.rejects))
        notes = [
            (
                "method",
                "Each unit's figures come from its best source: a primary over "
                "the report relaying it, then the latest date, then the method "
                "(field survey > satellite > official statement > press). "
                "Sources are never added.",
            ),
            ("damaged", "Damaged excludes destroyed; 'possibly damaged' is reported apart."),
            (
                "boundaries",
                "Natural Earth admin-1 (public domain); names do not imply "
                "any position on the status of any territory.",
            ),
        ]
        notes += [(f"flag {k}", v) for k, v in FLAG_NOTES.items()]
        notes += [
            (f"source {s.source_id}", f"{s.title} ({s.publisher}, {_fmt_date(s.published)})")
            for s in _rows(sources)
        ]
        write_xlsx(work / "summary.xlsx", summary, _figures_for_export(figures), sources, notes)
        files.append("summary.xlsx")

        step("writing boundaries with metrics")
        geo = _units_with_metrics(summary)
        if not geo.empty:
            geo.to_file(work / "units.gpkg", layer="units", driver="GPKG")
            geo.to_file(work / "units.geojson", driver="GeoJSON")
            files += ["units.gpkg", "units.geojson"]

        step("drawing the map and charts")
        images = _graphics(work, summary, figures, sources, title=title, lang=lang)
        files += [name for name, _ in images]

        step("writing the README and datapackage.json")
        n_review = int((figures["status"] == "needs_review").sum()) if not figures.empty else 0
        put_text(
            "README.md",
            findings_markdown(
                summary,
                sources,
                title=title,
                example=collected.example,
                n_figures=len(figures),
                n_review=n_review,
                n_unresolved=int(figures["unit_code"].isna().sum()),
                n_rejects=len(collected.rejects),
                images=images,
            ),
        )
        package = _datapackage(work, files, sources, title)
        put_text("datapackage.json", json.dumps(package, indent=2, ensure_ascii=False, default=str))
        # swap the finished folder into place
        if target.exists():
            backup = target.with_name(f".{target.name}.old")
            shutil.rmtree(backup, ignore_errors=True)
            target.rename(backup)
            work.rename(target)
            shutil.rmtree(backup, ignore_errors=True)
        else:
            work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return ReportResult(folder=target, files=sorted(files), summary=summary)


def _graphics(
    folder: Path,
    summary: pd.DataFrame,
    figures: pd.DataFrame,
    sources: pd.DataFrame,
    *,
    title: str,
    lang: str,
) -> list[tuple[str, str]]:
    """Draw the map and charts (web preset) and return (file name, alt text) pairs.

    Titles and descriptions come from :func:`damage_data.plot.chart`, which states the
    finding from the same summary the tables hold; the alt texts list the numbers drawn.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from . import plot
    from .export import save
    from .style import anatomy_of

    out: list[tuple[str, str]] = []
    units = summary[summary["level"] != "country"]
    if units.empty:
        return out
    ranked = units.sort_values("total", ascending=False, na_position="last")
    top = ranked.iloc[0]
    charts: list[tuple[str, str, str]] = [
        (
            "map.png",
            "map",
            f"Map of buildings reported damaged or destroyed per unit; highest: "
            f"{top['unit_name']} with {_fmt_int(top['total'])}.",
        ),
        (
            "chart_bars.png",
            "bars",
            "Stacked bars per unit: "
            + "; ".join(
                f"{r.unit_name} {_fmt_int(r.destroyed)} destroyed, {_fmt_int(r.damaged)} damaged"
                for r in _rows(ranked)
            ),
        ),
    ]
    if units["residential"].notna().any():
        charts.append(
            (
                "chart_share.png",
                "share",
                "Residential share per unit: "
                + "; ".join(
                    f"{r.unit_name} {_fmt_int(r.residential)} of {_fmt_int(r.total)}"
                    for r in _rows(units)
                    if pd.notna(r.residential)
                ),
            )
        )
    if figures.groupby("unit_code")["source_id"].nunique().max() > 1:
        charts.append(
            (
                "chart_timeline.png",
                "timeline",
                "Figures reported over time by each source for the unit with the most statements.",
            )
        )
    for name, kind, alt in charts:
        fig = plot.chart(kind, figures, sources, summary=summary, lang=lang, subtitle=None)
        anatomy = anatomy_of(fig)
        chart_title = anatomy.title if anatomy is not None else title
        save(fig, folder / name, preset="web", title=chart_title, alt_text=alt)
        plt.close(fig)
        out.append((name, alt))
    return out
