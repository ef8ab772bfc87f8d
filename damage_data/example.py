"""The bundled Karabakh 2020 example: sources and figures with citations (no copied text)."""

from __future__ import annotations

from functools import cache

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
