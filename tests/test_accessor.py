"""The ``df.dd`` accessor, and the pandas idioms an analyst types on the figures table.

Expected counts come from the raw example CSV read with plain pandas.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.axes import Axes

import damage_data as dd
import damage_data.accessor  # registers the accessor
from damage_data._data import data_path
from damage_data.example import example_figures, example_sources


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_csv(
        data_path("examples", "karabakh_2020", "figures.csv"), dtype=str, keep_default_na=False
    )


@pytest.fixture(scope="module")
def f() -> pd.DataFrame:
    return example_figures()


def test_no_accessor_hides_the_damage_column(f):
    assert "damage" not in pd.DataFrame._accessors
    assert isinstance(f.damage, pd.Series)
    assert f.damage.name == "damage"


def test_filtering_on_damage(f, raw):
    destroyed = f[f.damage == "destroyed"]
    assert len(destroyed) == (raw["damage"] == "destroyed").sum() == 15
    assert set(destroyed["figure_id"]) == set(raw.loc[raw["damage"] == "destroyed", "figure_id"])


def test_combined_conditions_on_damage_and_status(f, raw):
    picked = f[(f.damage == "destroyed") & (f.status == "accepted")]
    expected = raw[(raw["damage"] == "destroyed") & (raw["status"] == "accepted")]
    assert len(picked) == len(expected) > 0
    assert set(picked["figure_id"]) == set(expected["figure_id"])


def test_value_counts_of_damage(f, raw):
    counts = f.damage.value_counts()
    assert {k: int(v) for k, v in counts.items() if v} == raw["damage"].value_counts().to_dict()


def test_accessor_forwards_to_the_library(f):
    sources = example_sources()
    pd.testing.assert_frame_equal(f.dd.summarise(sources), dd.summarise(f, sources))
    assert f.dd.validate().empty
    assert "rule" in f.dd.explain("AZ-CAB", sources).columns


def test_accessor_draws(f):
    sources = example_sources()
    summary = f.dd.summarise(sources)
    for ax in (summary.dd.map(), summary.dd.bars(), summary.dd.share()):
        assert isinstance(ax, Axes) and ax.get_figure() is not None
    ax = f.dd.timeline("AZ-TAR", sources=sources)
    values = [t.get_text() for t in ax.texts if t.get_gid() == "damage_data:value"]
    assert values == ["148", "▼ 134", "▼ 75", "▼ 68"]
