"""The house style is a context: plot functions leave the user's backend and rcParams alone.

In a notebook, a plot function that switched the backend or changed ``rcParams`` would
stop the user's own later figures from showing; here every public drawing function is run
under a user's own settings and the settings are compared before and after.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pytest

from damage_data import numbers, plot, style
from damage_data.example import example_figures, example_sources
from damage_data.reconcile import summarise

PACKAGE = Path(__file__).resolve().parents[1] / "damage_data"


@pytest.fixture(scope="module")
def data():
    figures, sources = example_figures(), example_sources()
    return figures, sources, summarise(figures, sources)


@pytest.fixture
def users_settings():
    """A user's kernel: an SVG backend and their own rcParams, restored afterwards."""
    old_backend = matplotlib.get_backend()
    plt.switch_backend("svg")
    with matplotlib.rc_context(
        {"figure.figsize": (3.0, 2.0), "font.size": 13.0, "axes.facecolor": "#ffeeee"}
    ):
        yield
    plt.close("all")
    plt.switch_backend(old_backend)


DRAWINGS = {
    "damage_map": lambda f, s, m: plot.damage_map(m, sources=s),
    "damage_bars": lambda f, s, m: plot.damage_bars(m, sources=s),
    "residential_share": lambda f, s, m: plot.residential_share(m, sources=s),
    "timeline": lambda f, s, m: plot.timeline(f, s, "AZ-TAR"),
    "chart_map": lambda f, s, m: plot.chart("map", f, s, summary=m, lang="ru"),
    "chart_timeline": lambda f, s, m: plot.chart("timeline", f, s),
    "finalise": lambda f, s, m: style.finalise(plot.damage_bars(m).figure, title="T"),
    "headline": lambda f, s, m: plot.headline(m),
    "classify": lambda f, s, m: plot.classify([1, 5, 9], k=2),
}


@pytest.mark.parametrize("name", list(DRAWINGS))
def test_plot_functions_leave_backend_and_rcparams_as_they_were(users_settings, data, name):
    before = dict(matplotlib.rcParams)
    backend = matplotlib.get_backend()
    result = DRAWINGS[name](*data)
    assert matplotlib.get_backend() == backend == "svg"
    after = dict(matplotlib.rcParams)
    changed = {k for k in before if before[k] != after[k]}
    assert not changed, f"{name} changed rcParams: {sorted(changed)}"
    # the user's next figure still follows the user's settings and still draws
    fig, ax = plt.subplots()
    assert fig.get_size_inches().tolist() == [3.0, 2.0]
    assert matplotlib.colors.to_hex(ax.get_facecolor()) == "#ffeeee"
    out = io.BytesIO()
    fig.savefig(out, format="svg")
    assert out.getvalue().startswith(b"<?xml")
    # and the house style did apply inside the call
    figure = getattr(result, "figure", result)
    if hasattr(figure, "get_size_inches"):
        assert figure.get_size_inches().tolist() == list(style.FIGSIZE)


#: Files that may set a backend: a command-line process writes files and never shows one.
MAY_SET_BACKEND = {
    "cli/graphics.py",
}


def test_no_module_switches_the_backend_or_changes_rcparams_globally():
    pattern = re.compile(
        r"matplotlib\.use\(|mpl\.use\(|switch_backend\(|rcParams\[[^]]+\]\s*=|"
        r"rcParams\.update\(|plt\.style\.use\(|rcdefaults\("
    )
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in MAY_SET_BACKEND:
            continue
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line) and not line.lstrip().startswith("#"):
                offenders.append(f"{rel}:{i}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_detached_axes_are_not_managed_by_pyplot():
    before = plt.get_fignums()
    ax = style.detached_axes()
    plot.damage_bars(
        summarise(example_figures(), example_sources()),
        ax=ax,
    )
    assert plt.get_fignums() == before
    out = io.BytesIO()
    ax.figure.savefig(out, format="png")
    assert out.getvalue()[:4] == b"\x89PNG"


def test_number_helpers_are_the_shared_ones():
    assert style.NUMBER_MARKS is numbers.NUMBER_MARKS
    assert style.format_number is numbers.format_number
    assert "uk" in style.LANGS
    assert style.format_number(13000, "uk") == "13\u00a0000"
    assert style.format_percent(0.872, "uk") == "87\u00a0%"
    assert style.format_percent(float("nan")) == ""  # an empty share is not "0%"
