"""Where the bundled reference data lives, in a wheel or in a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def data_dir() -> Path:
    """Return the folder holding the bundled data (boundaries, vocabularies, examples).

    A wheel carries it as ``damage_data/data``; a source checkout or editable install
    reads the repository's top-level ``data/``.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parent / "data"):
        if (candidate / "vocab").is_dir():
            return candidate
    raise FileNotFoundError(
        "damage_data's bundled data folder is missing; reinstall the package "
        "(pip install --force-reinstall damage_data)."
    )


def data_path(*parts: str) -> Path:
    """Path of one bundled data file, e.g. ``data_path("vocab", "damage.csv")``."""
    return data_dir().joinpath(*parts)
