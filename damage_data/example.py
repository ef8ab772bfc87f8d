"""The bundled Karabakh 2020 example: sources and figures with citations (no copied text)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from ._data import data_path
from .tables import make_figures, make_table

EXAMPLE = "karabakh_2020"


@cache
def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(
        data_path("examples", EXAMPLE, f"{name}.csv"),
        dtype=str,
        keep_default_na=False,
        na_values=[""],
    )


def example_sources() -> pd.DataFrame:
    """The sources of the bundled example (one row per statement).

    >>> len(example_sources()) > 5
    True
    """
    return make_table("sources", _read("sources"))


def example_figures() -> pd.DataFrame:
    """The figures of the bundled example, typed as a ``figures`` table.

    >>> f = example_figures()
    >>> int(f.loc[f["figure_id"] == "cab-p-47", "count"].iloc[0])
    47
    """
    raw = _read("figures").copy()
    raw["cumulative"] = raw["cumulative"].map({"True": True, "False": False})
    return make_figures(raw)


def example_folder(name: str = EXAMPLE) -> Path:
    """The folder of a bundled example (``karabakh_2020``, ``emsr648_pazarcik``).

    >>> sorted(p.name for p in example_folder("emsr648_pazarcik").glob("*.json"))[0]
    'EMSR648_AOI08_GRA_PRODUCT_areaOfInterestA_r1_v1.json'
    """
    folder = data_path("examples", name)
    if not folder.is_dir():
        from ._errors import UsageError

        known = sorted(p.name for p in data_path("examples").iterdir() if p.is_dir())
        raise UsageError(f"no bundled example {name!r}; examples: {', '.join(known)}")
    return folder
