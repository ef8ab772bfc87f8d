"""The report folder: every table, map, chart and note an editor, analyst and data desk need.

``build_report`` writes the whole folder into a hidden temporary folder beside the target
and renames it into place only when everything is written, so a failed run never leaves
half a report, and an existing folder is replaced only with ``overwrite=True`` and only
when it is an earlier report. Its steps, in order: reconcile, tables, boundaries with
metrics, map and charts, README, web page, ``datapackage.json``.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from .._errors import DamageDataError, UsageError
from ..export import atomic_write_text, output_error, safe_csv_text, user_mode
from ..places.gazetteer import bundled_units
from ..reconcile import readable, summarise
from ..webpage import render_webpage
from .graphics import Graphics, draw_graphics
from .notes import FLAG_NOTES, METHOD_NOTES
from .package import MARKER, datapackage, is_report
from .readme import findings_markdown
from .tables import hxl_csv_text, summary_markdown, write_xlsx

if TYPE_CHECKING:
    from ..tables import Collected

#: The title of a report when none is given.
DEFAULT_TITLE = "Structure damage by unit"


@dataclass
class ReportResult:
    """Where the report went and what it holds.

    Attributes
    ----------
    folder
        The report folder.
    files
        The names of the files written, sorted.
    summary
        The summary the report presents (one row per unit).
    """

    folder: Path
    files: list[str] = field(default_factory=list)
    summary: pd.DataFrame | None = None


# --------------------------------------------------------------------------- the target


def check_target(target: Path, overwrite: bool, inputs: list[str]) -> None:
    """Refuse to write over anything but an earlier report folder (and never over inputs).

    Parameters
    ----------
    target
        The folder the report is to be written to.
    overwrite
        Whether an existing report folder may be replaced.
    inputs
        Paths of the input files (a folder holding one is never replaced).

    Raises
    ------
    UsageError
        When the target is a dangling link, exists without ``overwrite``, is not a folder,
        is the current, home or root folder, is not a report, or holds an input.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> check_target(pathlib.Path(tempfile.mkdtemp()) / "new", False, [])  # nothing there
    >>> check_target(pathlib.Path(tempfile.mkdtemp()), True, [])
    Traceback (most recent call last):
    ...
    damage_data._errors.UsageError: ... is not a damage-data report ...
    """
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
    if not is_report(target):
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


# the name cli/report.py imports (kept until it imports check_target)
_check_target = check_target


@dataclass
class _Folder:
    """The hidden folder a report is written into, and the files written so far."""

    path: Path
    files: list[str] = field(default_factory=list)

    def put_text(self, name: str, text: str) -> None:
        atomic_write_text(self.path / name, text)
        self.files.append(name)

    def added(self, *names: str) -> None:
        """Files written by a library of their own: given the user's permissions."""
        for name in names:
            user_mode(self.path / name)
        self.files += names


def _name_the_target(err: BaseException, hidden: Path, target: Path) -> None:
    """Say ``target`` where ``err`` names the hidden folder (whose name means nothing to the
    user: ``.rep.k2j4/summary.csv`` becomes ``rep/summary.csv``)."""
    forms = sorted({str(hidden), os.path.abspath(hidden)}, key=len, reverse=True)

    def fixed(value: Any) -> Any:
        if isinstance(value, str | os.PathLike):
            text = os.fspath(value)
            if isinstance(text, str):
                for form in forms:
                    text = text.replace(form, str(target))
                return text
        return value

    if isinstance(err, DamageDataError):
        err.message = fixed(err.message)
        err.context = {k: fixed(v) for k, v in err.context.items()}
        if hasattr(err, "path"):
            err.path = fixed(err.path)
    if isinstance(err, OSError):
        err.filename = fixed(err.filename)
        if err.filename2 is not None:  # assigning None would print "-> None"
            err.filename2 = fixed(err.filename2)
    err.args = tuple(fixed(a) for a in err.args)


def _swap_into_place(work: Path, target: Path) -> None:
    """Rename the finished folder to ``target`` (an earlier report is removed after)."""
    if not target.exists():
        work.rename(target)
        return
    backup = target.with_name(f".{target.name}.old")
    shutil.rmtree(backup, ignore_errors=True)
    target.rename(backup)
    work.rename(target)
    shutil.rmtree(backup, ignore_errors=True)


@contextmanager
def _staged(target: Path) -> Iterator[_Folder]:
    """A hidden folder beside ``target``, swapped into its place when the block succeeds;
    removed when it fails, and the error then names ``target``, not the hidden folder."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as err:
        raise output_error(target, err) from err
    try:
        user_mode(work, folder=True)
        yield _Folder(work)
        _swap_into_place(work, target)
    except BaseException as err:
        shutil.rmtree(work, ignore_errors=True)
        _name_the_target(err, work, target)
        raise


# --------------------------------------------------------------------------- the steps


def _figures_for_export(figures: pd.DataFrame) -> pd.DataFrame:
    out = figures.copy()
    out["as_of"] = out["as_of"].dt.strftime("%Y-%m-%d")
    return out


def _write_tables(
    folder: _Folder,
    collected: Collected,
    summary: pd.DataFrame,
    villages: pd.DataFrame,
    title: str,
) -> None:
    """Every table in CSV, the summary also in Markdown, HXL and a formatted workbook."""
    figures = _figures_for_export(collected.figures)
    folder.put_text("summary.csv", safe_csv_text(summary))
    folder.put_text(
        "summary.md", summary_markdown(title, readable(summary) if not summary.empty else summary)
    )
    folder.put_text("summary_hxl.csv", hxl_csv_text(summary))
    if not villages.empty:
        folder.put_text("villages.csv", safe_csv_text(villages))
    folder.put_text("figures.csv", safe_csv_text(figures))
    folder.put_text("sources.csv", safe_csv_text(collected.sources))
    folder.put_text("match_log.csv", safe_csv_text(collected.match_log))
    folder.put_text("rejects.csv", safe_csv_text(collected.rejects))
    notes = [*METHOD_NOTES, *((f"flag {k}", v) for k, v in FLAG_NOTES.items())]
    sheets = {"Summary": summary}
    if not villages.empty:
        sheets["Villages"] = villages
    sheets |= {
        "Figures": figures,
        "Sources": collected.sources,
        "Notes": pd.DataFrame(notes, columns=["topic", "note"]),
    }
    write_xlsx(folder.path / "summary.xlsx", sheets)
    folder.added("summary.xlsx")


def _units_with_metrics(summary: pd.DataFrame, units: Any = None) -> gpd.GeoDataFrame:
    """The summary joined to unit polygons (the user's ``--units`` or the bundled ones)."""
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


def _write_boundaries(folder: _Folder, summary: pd.DataFrame, units: Any) -> None:
    """The units with their metrics as GeoPackage and GeoJSON (none when nothing counted)."""
    if summary.empty:
        return
    geo = _units_with_metrics(summary, units)
    if geo.empty:
        return
    geo.to_file(folder.path / "units.gpkg", layer="units", driver="GPKG")
    geo.to_file(folder.path / "units.geojson", driver="GeoJSON")
    folder.added("units.gpkg", "units.geojson")


def _write_readme(
    folder: _Folder,
    collected: Collected,
    summary: pd.DataFrame,
    villages: pd.DataFrame,
    graphics: Graphics,
    title: str,
) -> None:
    figures = collected.figures
    review = (
        figures[figures["status"].astype("string") == "needs_review"] if not figures.empty else None
    )
    # the README lists the folder as it will be, with the files still to come
    files = sorted([*folder.files, "README.md", "index.html", MARKER])
    text = findings_markdown(
        summary,
        collected,
        title=title,
        villages=villages,
        review=review,
        images=graphics.images,
        skipped=graphics.skipped,
        files=files,
    )
    folder.put_text("README.md", text)


def _write_webpage(
    folder: _Folder,
    collected: Collected,
    summary: pd.DataFrame,
    *,
    title: str,
    lang: str,
    summary_options: dict[str, Any],
) -> None:
    units = collected.units
    page = render_webpage(
        summary,
        collected.figures,
        collected.sources,
        units if units is not None and "geometry" in units else None,
        title=title,
        lang=lang,
        summary_options=summary_options,
    )
    folder.put_text("index.html", page)


def _write_datapackage(folder: _Folder, sources: pd.DataFrame, title: str) -> None:
    package = datapackage(folder.path, folder.files, sources, title)
    folder.put_text(MARKER, json.dumps(package, indent=2, ensure_ascii=False, default=str))


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
    overwrite
        Replace an earlier report in ``out_dir``.
    title
        Report title (default: "Structure damage by unit").
    lang
        Language of unit names and number formats.
    progress
        Called with a short message before each step (the CLI shows a progress display).
    **summary_options
        Passed to :func:`damage_data.reconcile.summarise` (``policy``, ``as_of``…).

    Returns
    -------
    ReportResult

    Raises
    ------
    UsageError
        When ``out_dir`` may not be written (see :func:`check_target`).
    damage_data.export.OutputError
        When the machine refuses (full disk, read-only folder); the message names
        ``out_dir``, and nothing is left behind.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from damage_data.pipeline import collect
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report"
    >>> result = build_report(collect(), out)
    >>> result.folder == out, "README.md" in result.files, "index.html" in result.files
    (True, True, True)
    """
    target = Path(out_dir)
    check_target(target, overwrite, [str(r["path"]) for r in collected.reports if r.get("path")])
    step = progress or (lambda _message: None)
    title = title or DEFAULT_TITLE
    with _staged(target) as folder:
        step("reconciling sources")
        summary = summarise(collected, lang=lang, **summary_options)
        # villages with the same choices, but always per village and never per source
        options = {k: v for k, v in summary_options.items() if k not in ("level", "by_source")}
        villages = summarise(collected, lang=lang, level="settlement", **options)
        step("writing tables")
        _write_tables(folder, collected, summary, villages, title)
        step("writing boundaries with metrics")
        _write_boundaries(folder, summary, collected.units)
        step("drawing the map and charts")
        graphics = draw_graphics(
            folder.path, summary, collected.figures, collected.sources, title=title, lang=lang
        )
        folder.files += [name for name, _alt in graphics.images]
        step("writing the README and datapackage.json")
        _write_readme(folder, collected, summary, villages, graphics, title)
        step("writing the web page")
        _write_webpage(
            folder, collected, summary, title=title, lang=lang, summary_options=summary_options
        )
        _write_datapackage(folder, collected.sources, title)
        files = sorted(folder.files)
    return ReportResult(folder=target, files=files, summary=summary)


__all__ = ["DEFAULT_TITLE", "MARKER", "ReportResult", "build_report", "check_target"]
