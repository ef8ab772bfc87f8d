"""The timeline as an analyst calls it, and its axes (whole-number counts, dates in the language)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from damage_data import plot
from damage_data._errors import UsageError
from damage_data.example import example_figures, example_sources
from damage_data.numbers import format_number
from damage_data.tables import make_figures


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def values(ax) -> list[str]:
    return [t.get_text() for t in ax.texts if t.get_gid() == "damage_data:value"]


def test_unit_code_as_the_second_argument():
    figures = example_figures()
    ax = plot.timeline(figures, "AZ-TAR")  # no sources: publishers are unknown
    assert values(ax) == ["148", "▼ 134", "▼ 75", "▼ 68"]


@pytest.mark.parametrize("unit", ["AZ-TAR", "az-tar", "Tartar", "Tərtər", "Тертер", "Terter"])
def test_unit_by_code_or_name(unit):
    ax = plot.timeline(example_figures(), example_sources(), unit)
    assert values(ax) == ["148", "▼ 134", "▼ 75", "▼ 68"]


def test_unit_code_keyword_still_works():
    ax = plot.timeline(example_figures(), example_sources(), unit_code="AZ-TAR")
    assert values(ax)[0] == "148"


def test_an_unknown_unit_lists_the_units():
    with pytest.raises(UsageError, match=r"AZ-TAR \(Tartar\)"):
        plot.timeline(example_figures(), "Atlantis")
    with pytest.raises(UsageError, match="two units"):
        plot.timeline(example_figures(), unit="AZ-TAR", unit_code="AZ-CAB")


def series(counts: list[int]):
    return make_figures(
        [
            {
                "figure_id": f"f{i}",
                "source_id": "a",
                "unit_code": "AZ-TAR",
                "damage": "destroyed",
                "count": c,
                "as_of": f"2020-10-{10 + i:02d}",
                "cumulative": True,
            }
            for i, c in enumerate(counts)
        ]
    )


@pytest.mark.parametrize("counts", [[12, 17], [1, 2, 3], [3, 5], [140, 170, 171], [0], [1], [0, 1]])
def test_count_ticks_are_whole_numbers_labelled_with_their_value(counts):
    ax = plot.timeline(series(counts), "AZ-TAR")
    ax.figure.canvas.draw()
    low, high = ax.get_ylim()
    ticks = [t for t in ax.yaxis.get_major_ticks() if low <= t.get_loc() <= high]
    assert len(ticks) >= 3
    for tick in ticks:
        loc = tick.get_loc()
        assert float(loc).is_integer(), loc
        assert tick.label1.get_text() == format_number(loc), (loc, tick.label1.get_text())


def test_date_ticks_follow_the_language():
    ax = plot.timeline(example_figures(), "AZ-TAR", lang="ru")
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert "ноя" in labels and "Nov" not in labels


def test_a_file_without_publisher_is_named_by_its_file_in_the_key(tmp_path):
    # the key of every plain CSV's timeline read "sha256:7ce28745b705741f"
    from damage_data.pipeline import collect

    path = tmp_path / "series.csv"
    path.write_text(
        "District,Date,Houses destroyed\nTartar,2020-10-10,10\nTartar,2020-10-20,25\n",
        encoding="utf-8",
    )
    c = collect([path])
    ax = plot.timeline(c.figures, c.sources, "AZ-TAR")
    keys = [
        t.get_text()
        for leg in [*ax.figure.legends, ax.get_legend()]
        if leg
        for t in leg.get_texts()
    ]
    assert "series.csv" in keys
    assert not any(k.startswith("sha256:") for k in keys)
