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

from .._errors import UsageError
from ..export import atomic_write_text, safe_csv_text, user_mode
from ..numbers import count_label
from .notes import FLAG_NOTES
from .readme import findings_markdown
from .tables import hxl_csv_text, summary_markdown, write_xlsx

if TYPE_CHECKING:
    from ..tables import Collected

log = logging.getLogger(__name__)


@dataclass
class ReportResult:
    """Where the report went and what it holds."""

    folder: Path
    files: list[str] = field(default_factory=list)
    summary: pd.DataFrame | None = None


def _rows(frame: pd.DataFrame) -> list[Any]:
    """Rows as attribute objects (``row.unit_code``), typed loosely for formatting."""
    return [SimpleNamespace(**{str(k): v for k, v in r.items()}) for r in frame.to_dict("records")]


def _fmt_date(value: Any) -> str:
    if value is None or pd.isna(value):
        return "undated"
    return pd.Timestamp(value).strftime("%-d %b %Y")


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


def _units_with_metrics(summary: pd.DataFrame, units: Any = None) -> Any:
    """The summary joined to unit polygons (the user's ``--units`` or the bundled ones)."""
    import geopandas as gpd

    from ..places.gazetteer import bundled_units

    shapes = (
        units
        if units is not None and "geometry" in getattr(units, "columns", [])
        else bundled_units()
    )
    shapes = gpd.GeoDataFrame(
        shapes[["unit_code", "geometry"]], geometry="geometry", crs=shapes.crs
    )
    joined = shapes.merge(summary, on="unit_code", how="inner")
    out = gpd.GeoDataFrame(joined, geometry="geometry", crs=shapes.crs)
    out["as_of"] = out["as_of"].dt.strftime("%Y-%m-%d")
    return out


def _figures_for_export(figures: pd.DataFrame) -> pd.DataFrame:
    out = figures.copy()
    out["as_of"] = out["as_of"].dt.strftime("%Y-%m-%d")
    return out


#: The file that marks a folder as a report (only such a folder is ever replaced).
MARKER = "datapackage.json"


def _check_target(target: Path, overwrite: bool, inputs: list[str]) -> None:
    """Refuse to write over anything but an earlier report folder (and never over inputs)."""
    if target.is_symlink() and not target.exists():
        raise UsageError(f"{target} is a dangling symbolic link; choose another folder with -o")
    if not target.exists():
        return
    if not overwrite:
        raise UsageError(f"{target} exists; choose another folder with -o or pass --overwrite")
    if not target.is_dir():
        raise UsageError(f"{target} exists and is not a folder; choose another folder with -o")
    resolved = target.resolve()
    if resolved in (Path.cwd().resolve(), Path.home().resolve(), Path("/").resolve()):
        raise UsageError(f"{target} is the current, home or root folder: never replaced")
    marker = target / MARKER
    try:
        is_report = json.loads(marker.read_text(encoding="utf-8")).get("name") == "damage-report"
    except (OSError, ValueError, AttributeError):
        is_report = False
    if not is_report:
        raise UsageError(
            f"{target} exists and is not a damage-data report (no {MARKER} of one): "
            "--overwrite replaces only report folders; choose another folder with -o"
        )
    for path in inputs:
        try:
            Path(path).resolve().relative_to(resolved)
        except ValueError:
            continue
        raise UsageError(f"{target} holds the input {path}; write the report elsewhere (-o)")


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
        Figures, sources, rejects and match log (:func:`damage_data.pipeline.collect`).
    out_dir
        The folder to write; an existing folder is replaced only with ``overwrite`` and only
        when it is an earlier report (it holds a report's ``datapackage.json``).
    title
        Report title (a default names the period).
    lang
        Language of unit names and number formats.
    progress
        Called with a short message before each step (the CLI shows a progress display).
    summary_options
        Passed to :func:`damage_data.reconcile.summarise` (``policy``, ``as_of``…).

    Returns
    -------
    ReportResult

    Examples
    --------
    >>> from damage_data.pipeline import collect
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "r"
    >>> result = build_report(collect(), out)  # doctest: +SKIP
    """
    from ..reconcile import readable, summarise

    target = Path(out_dir)
    inputs = [str(r.get("path")) for r in collected.reports if r.get("path")]
    _check_target(target, overwrite, inputs)
    step = progress or (lambda _msg: None)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    user_mode(work, folder=True)
    try:
        step("reconciling sources")
        summary = summarise(collected, lang=lang, **summary_options)
        figures, sources = collected.figures, collected.sources
        options = {k: v for k, v in summary_options.items() if k not in ("level", "by_source")}
        villages = summarise(collected, lang=lang, level="settlement", **options)
        title = title or "Structure damage by unit"
        files: list[str] = []

        def put_text(name: str, text: str) -> None:
            atomic_write_text(work / name, text)
            files.append(name)

        step("writing tables")
        put_text("summary.csv", safe_csv_text(summary))
        put_text(
            "summary.md",
            summary_markdown(title, readable(summary) if not summary.empty else summary),
        )
        put_text("summary_hxl.csv", hxl_csv_text(summary))
        if not villages.empty:
            put_text("villages.csv", safe_csv_text(villages))
        put_text("figures.csv", safe_csv_text(_figures_for_export(figures)))
        put_text("sources.csv", safe_csv_text(sources))
        put_text("match_log.csv", safe_csv_text(collected.match_log))
        put_text("rejects.csv", safe_csv_text(collected.rejects))
        notes = [
            (
                "method",
                "Each unit's figures come from its best source: a primary over the report "
                "relaying it, then the latest date, then the method (field survey > "
                "satellite > official statement > press). Sources are never added; "
                "breakdowns are parts of their totals; villages add up into their unit.",
            ),
            ("damaged", "Damaged excludes destroyed; 'possibly damaged' is reported apart."),
            (
                "ranges",
                "A count with *_max empty has no upper bound ('more than 500' is 500+).",
            ),
            (
                "boundaries",
                "Natural Earth admin-1 (public domain) or the user's own; names do not imply "
                "any position on the status of any territory.",
            ),
        ]
        notes += [(f"flag {k}", v) for k, v in FLAG_NOTES.items()]
        sheets = {"Summary": summary}
        if not villages.empty:
            sheets["Villages"] = villages
        sheets |= {
            "Figures": _figures_for_export(figures),
            "Sources": sources,
            "Notes": pd.DataFrame(notes, columns=["topic", "note"]),
        }
        write_xlsx(work / "summary.xlsx", sheets)
        files.append("summary.xlsx")

        step("writing boundaries with metrics")
        if not summary.empty:
            geo = _units_with_metrics(summary, getattr(collected, "units", None))
            if not geo.empty:
                geo.to_file(work / "units.gpkg", layer="units", driver="GPKG")
                geo.to_file(work / "units.geojson", driver="GeoJSON")
                for name in ("units.gpkg", "units.geojson"):
                    user_mode(work / name)
                files += ["units.gpkg", "units.geojson"]

        step("drawing the map and charts")
        images = _graphics(work, summary, figures, sources, title=title, lang=lang)
        files += [name for name, _ in images]

        step("writing the README and datapackage.json")
        review = (
            figures[figures["status"].astype("string") == "needs_review"]
            if not figures.empty
            else None
        )
        put_text(
            "README.md",
            findings_markdown(
                summary,
                collected,
                title=title,
                villages=villages,
                review=review,
                images=images,
                files=sorted([*files, "README.md", "index.html", MARKER]),
            ),
        )
        step("writing the web page")
        from ..webpage import render_webpage

        page_units = getattr(collected, "units", None)
        put_text(
            "index.html",
            render_webpage(
                summary,
                figures,
                sources,
                page_units if page_units is not None and "geometry" in page_units else None,
                title=title,
                lang=lang,
                summary_options=summary_options,
            ),
        )
        package = _datapackage(work, files, sources, title)
        put_text(MARKER, json.dumps(package, indent=2, ensure_ascii=False, default=str))
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
    Nothing is drawn when nothing was counted (a chart of nothing would read as zero).
    """
    from .. import plot
    from ..export import save
    from ..style import anatomy_of, detached_axes

    out: list[tuple[str, str]] = []
    units = summary[summary["level"] != "country"] if not summary.empty else summary
    if units.empty:
        return out
    ranked = units.sort_values("total", ascending=False, na_position="last")
    top = ranked.iloc[0]

    def label(row: Any, group: str) -> str:
        return count_label(row[group], row[f"{group}_min"], row[f"{group}_max"]) or "not stated"

    charts: list[tuple[str, str, str]] = [
        (
            "map.png",
            "map",
            f"Map of buildings reported damaged or destroyed per unit; highest: "
            f"{top['unit_name']} with {label(top, 'total')}.",
        ),
        (
            "chart_bars.png",
            "bars",
            "Stacked bars per unit: "
            + "; ".join(
                f"{r['unit_name']} {label(r, 'destroyed')} destroyed, {label(r, 'damaged')} damaged"
                for _, r in ranked.iterrows()
            ),
        ),
    ]
    if units["residential_share"].notna().any():
        charts.append(
            (
                "chart_share.png",
                "share",
                "Share of homes among buildings of known type, per unit: "
                + "; ".join(
                    f"{r['unit_name']} {count_label(r['residential'])} of "
                    f"{count_label(r['residential_basis'])}"
                    for _, r in units.iterrows()
                    if pd.notna(r["residential_share"])
                ),
            )
        )
    if not figures.empty and figures.groupby("unit_code")["source_id"].nunique().max() > 1:
        charts.append(
            (
                "chart_timeline.png",
                "timeline",
                "Figures reported over time by each source for the unit with the most statements.",
            )
        )
    for name, kind, alt in charts:
        # drawn on a figure pyplot does not manage: the user's backend is never touched
        fig = plot.chart(
            kind, figures, sources, summary=summary, lang=lang, subtitle=None, ax=detached_axes()
        )
        anatomy = anatomy_of(fig)
        chart_title = anatomy.title if anatomy is not None else title
        alt = anatomy.alt_text if anatomy is not None and anatomy.alt_text else alt
        save(fig, folder / name, preset="web", title=chart_title, alt_text=alt)
        user_mode(folder / name)
        out.append((name, alt))
    return out
