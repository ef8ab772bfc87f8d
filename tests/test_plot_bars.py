"""Ranges, lower bounds and shares with their basis, as the summary carries them (DESIGN §4
rules 7 and 8): "more than 500" prints 500+, "55–60" prints 55–60, an empty share is no bar.

The summary here is written by hand with the columns reconciliation adds; older summaries
without them are covered by tests/test_plot.py.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from damage_data import plot, style

NA = pd.NA


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def summary() -> pd.DataFrame:
    rows = [
        # unit, destroyed (min, max), damaged (min, max), total (min, max), resid, basis, share
        ("AZ-TAR", 500, 500, NA, 57, 55, 60, 557, 555, NA, NA, NA, NA, ""),
        ("AZ-CAB", 0, 0, 0, 47, 47, 47, 47, 47, 47, 41, 47, 0.872, ""),
        ("AZ-AGC", 10, 10, 10, 500, 500, 500, 510, 510, 510, 8, 8, NA, "share_basis_small"),
        ("AZ-GA", 7, 7, 7, 11, 11, 11, 18, 18, 18, 0, 18, 0.0, ""),
    ]
    columns = ["unit_code", "destroyed", "destroyed_min", "destroyed_max", "damaged"]
    columns += ["damaged_min", "damaged_max", "total", "total_min", "total_max", "residential"]
    columns += ["residential_basis", "residential_share", "flags"]
    table = pd.DataFrame(rows, columns=columns)
    for column in columns[1:-2]:
        table[column] = table[column].astype("Int64")
    table["residential_share"] = table["residential_share"].astype("Float64")
    table["level"] = "adm1"
    table["unsplit"] = pd.array([NA] * len(table), dtype="Int64")
    return table


def texts(ax, gid: str) -> list[str]:
    return [t.get_text() for t in ax.texts if t.get_gid() == gid]


def test_bars_print_lower_bounds_and_ranges(summary):
    ax = plot.damage_bars(summary)
    assert texts(ax, "damage_data:total") == ["18", "47", "510", "555+"]  # smallest first
    assert "500+" in texts(ax, "damage_data:part:destroyed")
    assert "55–60" in texts(ax, "damage_data:part:damaged")
    # the bar is as long as the count; the label says it is a lower bound
    destroyed = [p.get_width() for p in ax.containers[0]]
    assert destroyed == [7, 0, 10, 500]
    notes = style.provenance_of(ax).notes
    assert any(n.startswith("+: at least") for n in notes)


def test_map_labels_and_headline_print_the_bounds(summary):
    ax = plot.damage_map(summary)
    labels = {t.get_text() for t in ax.texts if t.get_gid() == "damage_data:label"}
    assert "Tartar\n555+" in labels and "Jabrayil\n47" in labels
    assert any("+: at least" in n for n in style.provenance_of(ax).notes)
    assert plot.headline(summary)[0] == "Tartar: most buildings destroyed or damaged (555+)"


def test_an_empty_share_is_no_bar_and_a_zero_share_is_one(summary):
    ax = plot.residential_share(summary)
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names == ["Ganja", "Jabrayil"]  # Aghjabadi: 8 typed of 510 is not a share
    assert texts(ax, "damage_data:share") == ["0% · 0 of 18", "87% · 41 of 47"]
    bars = [
        p.get_width() for p in ax.patches if p.get_gid() == "damage_data:bars:residential_share"
    ]
    assert bars == [0.0, pytest.approx(0.872)]
    assert any("Aghjabadi" in n for n in style.provenance_of(ax).notes)


def test_the_share_basis_is_the_typed_count(summary):
    title, _subtitle = plot.headline(summary, metric="residential_share")
    assert title == "Jabrayil: 87% of the buildings hit were homes (41 of 47)"


def test_a_map_of_shares_does_not_draw_an_empty_share_as_zero(summary):
    ax = plot.damage_map(summary, metric="residential_share")
    not_stated = next(c for c in ax.collections if c.get_gid() == plot.GID_NOT_STATED)
    assert len(not_stated.get_paths()) == 2  # Tartar and Aghjabadi: no share
    labels = {t.get_text() for t in ax.texts if t.get_gid() == "damage_data:label"}
    assert "Jabrayil\n87%" in labels and "Ganja\n0%" in labels
    assert not any(t.startswith("Aghjabadi\n") for t in labels)
