"""The report's ``datapackage.json``: a Frictionless descriptor of every file, which also
marks a folder as a report (only such a folder is ever replaced)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from frictionless import Resource

from ..export import safe_url
from ..numbers import is_missing

#: The file that marks a folder as a report.
MARKER = "datapackage.json"
#: The descriptor's ``name``: what :func:`is_report` looks for.
PACKAGE_NAME = "damage-report"
#: Sources of the bundled boundaries and names, credited in every report.
BUNDLED_SOURCES: tuple[dict[str, str], ...] = (
    {
        "title": "Natural Earth admin-1 boundaries (public domain)",
        "path": "https://www.naturalearthdata.com/",
    },
    {"title": "GeoNames (CC BY 4.0)", "path": "https://www.geonames.org/"},
)
LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


def _resource(folder: Path, name: str) -> dict[str, Any]:
    """One file's descriptor: a table with its inferred schema, or a plain file."""
    stem = name.rsplit(".", 1)[0].replace("_", "-").lower()
    suffix = name.rsplit(".", 1)[-1].lower()
    if name.endswith(".csv") and not name.endswith("_hxl.csv"):
        resource = Resource(path=name, basepath=str(folder))
        resource.infer()
        descriptor: dict[str, Any] = resource.to_descriptor()
        descriptor["name"] = stem
        descriptor.pop("basepath", None)
        return descriptor
    descriptor = {
        "name": f"{stem}-{suffix}",
        "path": name,
        "type": "file",
        "format": suffix,
        "bytes": (folder / name).stat().st_size,
    }
    if name.endswith("_hxl.csv"):
        descriptor["description"] = "Summary with an HXL hashtag row under the header"
    return descriptor


def source_entries(sources: pd.DataFrame) -> list[dict[str, str]]:
    """The ``sources`` of the descriptor: each input's title, with its address only when
    it is an http(s) link (an input's ``javascript:`` URL never becomes one).

    Parameters
    ----------
    sources
        The ``sources`` table.

    Returns
    -------
    list of dict
        ``{"title": …, "path": …}`` per source, then the bundled boundaries and names.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"title": ["A", "B"],
    ...                       "url": ["https://a.example/x", "javascript:alert(1)"]})
    >>> source_entries(table)[:2]
    [{'title': 'A', 'path': 'https://a.example/x'}, {'title': 'B'}]
    """
    entries: list[dict[str, str]] = []
    for row in sources.to_dict("records"):
        title = row.get("title")
        entry = {"title": str(row.get("source_id") if is_missing(title) else title)}
        url = safe_url(row.get("url"))
        if url:
            entry["path"] = url
        entries.append(entry)
    return entries + [dict(s) for s in BUNDLED_SOURCES]


def datapackage(
    folder: Path, files: Sequence[str], sources: pd.DataFrame, title: str
) -> dict[str, Any]:
    """A Frictionless descriptor for the report folder, with a schema per CSV table.

    Parameters
    ----------
    folder
        The folder holding ``files`` (the schemas are inferred from the files).
    files
        The names of the files to describe, relative to ``folder``.
    sources
        The ``sources`` table (credited in ``sources``).
    title
        The report's title.

    Returns
    -------
    dict
        The descriptor, ready for ``json.dumps``.

    Examples
    --------
    >>> import pathlib, tempfile, pandas as pd
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "summary.csv").write_text("unit_code,total\\nAZ-TAR,293\\n")
    >>> package = datapackage(folder, ["summary.csv"], pd.DataFrame(columns=["title"]), "T")
    >>> package["name"], [r["name"] for r in package["resources"]]
    ('damage-report', ['summary'])
    """
    return {
        "name": PACKAGE_NAME,
        "title": title,
        "profile": "data-package",
        "licenses": [dict(LICENCE)],
        "sources": source_entries(sources),
        "resources": [_resource(folder, name) for name in files],
    }


def is_report(folder: Path) -> bool:
    """Whether ``folder`` holds a report's ``datapackage.json`` (so it may be replaced).

    Parameters
    ----------
    folder
        The folder to look in.

    Returns
    -------
    bool
        True when its ``datapackage.json`` names a damage_data report.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> is_report(pathlib.Path(tempfile.mkdtemp()))
    False
    """
    try:
        descriptor = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(descriptor, dict) and descriptor.get("name") == PACKAGE_NAME
