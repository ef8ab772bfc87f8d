"""Maps and charts: assertions on what was drawn (colours, legend entries, labels, bars).

No baseline images: every check reads the artists matplotlib holds after drawing.
"""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import itertools

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.colors import to_hex
from matplotlib.legend import Legend
from shapely.geometry import Point, box

from damage_data import plot, style
from damage_data._errors import UnknownLabelError, UsageError
from damage_data.example import example_figures, example_sources
from damage_data.numbers import count_label
from damage_data.reconcile import summarise


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    return example_figures()


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return example_sources()


@pytest.fixture(scope="module")
def summary(figures, sources) -> pd.DataFrame:
    return summarise(figures, sources)


def drawn(ax, prefix: str) -> dict[str, object]:
    """Collections of ``ax`` whose gid starts with ``prefix``, by gid."""
    return {c.get_gid(): c for c in ax.collections if (c.get_gid() or "").startswith(prefix)}


def parse_range(label: str) -> tuple[int, int]:
    numbers = [int(n.replace(",", "")) for n in re.findall(r"[\d,]+", label)]
    return (numbers[0], numbers[-1])


def legend_texts(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


# --------------------------------------------------------------------------- map


def test_map_classes_hold_the_units_whose_values_they_name(summary):
    ax = plot.damage_map(summary, metric="total")
    classes = drawn(ax, plot.GID_CLASS)
    classes = {gid: c for gid, c in classes.items() if not gid.endswith(":dots")}
    units = summary.loc[summary["level"] != "country"]
    totals = units["total"].dropna().astype(int)
    assert sum(len(c.get_paths()) for c in classes.values()) == len(totals)
    for gid, collection in classes.items():
        low, high = parse_range(gid.removeprefix(plot.GID_CLASS))
        inside = totals[(totals >= low) & (totals <= high)]
        assert len(collection.get_paths()) == len(inside), gid


def test_map_colours_run_light_to_dark_in_legend_order(summary):
    ax = plot.damage_map(summary, metric="total", scheme="Quantiles", k=3)
    labels = legend_texts(ax)
    classes = drawn(ax, plot.GID_CLASS)
    expected = plot.ramp(3)
    fills = [to_hex(classes[plot.GID_CLASS + lab].get_facecolor()[0]) for lab in labels[:3]]
    assert fills == expected
    lightness = [np.mean(matplotlib.colors.to_rgb(c)) for c in fills]
    assert lightness == sorted(lightness, reverse=True)


def test_map_legend_has_a_hatched_no_reports_class_distinct_from_zero(summary):
    zeroed = summary.copy()
    zeroed.loc[zeroed["unit_code"] == "AZ-CAB", "total"] = 0
    ax = plot.damage_map(zeroed, metric="total")
    labels = legend_texts(ax)
    assert labels[0] == "0 (reported)"
    assert labels[-1] == "No reports"
    handles = ax.get_legend().legend_handles
    zero, none = handles[0], handles[-1]
    assert not zero.get_hatch()
    assert none.get_hatch()
    assert to_hex(zero.get_facecolor()) != to_hex(none.get_facecolor())
    # the hatched collection holds units without any report, and never a reported zero
    no_reports = drawn(ax, plot.GID_NO_REPORTS)[plot.GID_NO_REPORTS]
    assert no_reports.get_hatch()
    zero_class = drawn(ax, plot.GID_CLASS + "0")[plot.GID_CLASS + "0"]
    assert len(zero_class.get_paths()) == 1
    # no interval brackets in the classes (the zero class says it was reported)
    assert not any(re.search(r"[\[\]]|\(\d|\d\)", t) for t in labels[1:])


def test_map_legend_counts_per_class(summary):
    ax = plot.damage_map(summary, metric="total", legend_counts=True)
    labels = legend_texts(ax)
    counts = [int(re.search(r"\((\d+)\)$", t).group(1)) for t in labels]
    reported = summary.loc[summary["level"] != "country", "total"].notna().sum()
    assert sum(counts[:-1]) == reported
    assert counts[-1] > 0  # the hatched units around the reporting ones


def test_map_units_with_reports_but_no_value_are_not_stated(summary):
    ax = plot.damage_map(summary, metric="residential_share")
    labels = legend_texts(ax)
    assert plot.NOT_STATED in labels and plot.NO_REPORTS in labels
    not_stated = drawn(ax, plot.GID_NOT_STATED)[plot.GID_NOT_STATED]
    missing = summary.loc[(summary["level"] != "country") & summary["residential_share"].isna()]
    assert len(not_stated.get_paths()) == len(missing)
    assert all(t.endswith("%") for t in labels[:-2])


def test_map_labels_name_every_reporting_unit_without_overlap(summary):
    ax = plot.damage_map(summary, metric="total")
    style.finalise(ax.figure, title="Damage")
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    labels = [t for t in ax.texts if t.get_gid() == "damage_data:label" and t.get_visible()]
    boxes = [t.get_window_extent(renderer) for t in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), "labels overlap"
    axbox = ax.get_window_extent(renderer)
    assert all(axbox.contains(b.x0, b.y0) and axbox.contains(b.x1, b.y1) for b in boxes)
    units = summary.loc[summary["total"].notna() & (summary["level"] != "country")]
    names = plot.display_names(units["unit_code"], "en")
    texts = {t.get_text() for t in labels}
    for code, total, low, high in zip(
        units["unit_code"], units["total"], units["total_min"], units["total_max"], strict=True
    ):
        shown = count_label(total, low, high)  # "510+" where a figure has no upper bound
        assert any(
            t.split("\n")[0].rstrip("†") == names[code] and t.endswith(f"\n{shown}") for t in texts
        ), code


def test_map_marks_disagreeing_units(summary):
    ax = plot.damage_map(summary, metric="total")
    disagree = summary.loc[summary["flags"].fillna("").str.contains("disagree"), "unit_code"]
    names = plot.display_names(disagree, "en")
    texts = [t.get_text() for t in ax.texts]
    assert any(t.startswith(names[c] + "†") for c in disagree for t in texts)
    assert "Sources disagree" in " ".join(style.provenance_of(ax).notes)


def test_map_has_inset_scale_bar_and_boundary_attribution(summary):
    ax = plot.damage_map(summary)
    assert [child.get_gid() for child in ax.child_axes] == ["damage_data:inset"]
    bars = [a for a in ax.artists if a.get_gid() == "damage_data:scale_bar"]
    assert len(bars) == 1
    label = bars[0].txt_label.get_text()
    assert re.fullmatch(r"\d+(\.\d)? km", label)
    provenance = style.provenance_of(ax)
    assert provenance.kind == "map"
    assert provenance.boundaries.startswith("Boundaries: Natural Earth")


def test_map_inset_frame_follows_the_main_view(summary):
    ax = plot.damage_map(summary)
    ax.figure.canvas.draw()
    inset = ax.child_axes[0]
    frame = [p for p in inset.patches if p.get_edgecolor()[3] > 0][-1]
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert frame.get_x() == pytest.approx(x0)
    assert frame.get_width() == pytest.approx(x1 - x0)
    assert frame.get_y() == pytest.approx(y0)
    assert frame.get_height() == pytest.approx(y1 - y0)


def test_map_structures_get_a_fixed_colour_per_damage_class(summary):
    from damage_data.places.gazetteer import bundled_units

    tar = bundled_units("AZ").set_index("unit_code").loc["AZ-TAR", "geometry"]
    point = tar.representative_point()
    structures = gpd.GeoDataFrame(
        {"damage": ["destroyed", "destroyed", "severe", "possible"]},
        geometry=[Point(point.x + d, point.y) for d in (0, 0.01, 0.02, 0.03)],
        crs="EPSG:4326",
    )
    ax = plot.damage_map(summary, structures=structures)
    points = drawn(ax, plot.GID_STRUCTURES)
    assert set(points) == {plot.GID_STRUCTURES + s for s in ("destroyed", "severe", "possible")}
    for state in ("destroyed", "severe", "possible"):
        colour = to_hex(points[plot.GID_STRUCTURES + state].get_facecolor()[0])
        assert colour == style.DAMAGE_COLOURS[state].lower()
    assert len(points[plot.GID_STRUCTURES + "destroyed"].get_offsets()) == 2
    # the choropleth legend is kept beside the structures legend
    legends = [a for a in ax.artists if isinstance(a, Legend)]
    assert [t.get_text() for t in legends[0].get_texts()] == [
        "Destroyed",
        "Severe damage",
        "Possibly damaged",
    ]
    assert legend_texts(ax)[-1] == plot.NO_REPORTS


def test_map_rejects_unknown_structure_damage(summary):
    structures = gpd.GeoDataFrame(
        {"damage": ["flattened"]}, geometry=[Point(47, 40)], crs="EPSG:4326"
    )
    with pytest.raises(UnknownLabelError, match=r"flattened.*known values: none"):
        plot.damage_map(summary, structures=structures)


def test_map_over_user_boundaries(tmp_path):
    units = gpd.GeoDataFrame(
        {"unit_code": ["XX-A", "XX-B", "XX-C"], "name": ["Alpha", "Beta", "Gamma"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)],
        crs="EPSG:4326",
    )
    units.attrs["attribution"] = "Boundaries: test grid"
    summary = pd.DataFrame({"unit_code": ["XX-A", "XX-B"], "total": [5, 50]})
    ax = plot.damage_map(summary, units=units)
    assert style.provenance_of(ax).boundaries == "Boundaries: test grid"
    assert legend_texts(ax) == ["5", "6–50", "No reports"]
    assert {t.get_text() for t in ax.texts} >= {"Alpha\n5", "Beta\n50"}


def test_map_errors_list_the_valid_choices(summary):
    with pytest.raises(UnknownLabelError, match="Quantiles"):
        plot.damage_map(summary, scheme="Jenkins")
    with pytest.raises(UsageError, match=r"choose one of: .*destroyed"):
        plot.damage_map(summary, metric="flags")
    with pytest.raises(UsageError, match="en, az, ru, uk, hy, native"):
        plot.damage_map(summary, lang="fr")
    with pytest.raises(UsageError, match="no bundled boundaries"):
        plot.damage_map(pd.DataFrame({"unit_code": ["ZZ-1"], "total": [3]}))


def test_map_does_not_change_its_input(summary):
    before = summary.copy()
    plot.damage_map(summary)
    pd.testing.assert_frame_equal(summary, before)


def test_map_draws_into_the_given_axes(summary):
    _fig, (left, right) = plt.subplots(1, 2)
    assert plot.damage_map(summary, ax=right) is right
    assert right.collections and not left.collections


def test_map_names_follow_lang(summary):
    ax_az = plot.damage_map(summary, lang="az")
    names = plot.display_names(["AZ-TAR"], "az")
    assert any(t.get_text().startswith(names["AZ-TAR"]) for t in ax_az.texts)


# --------------------------------------------------------------------------- classes


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=100_000), min_size=1, max_size=40),
    st.integers(min_value=1, max_value=7),
    st.sampled_from(["NaturalBreaks", "Quantiles", "EqualInterval", "FisherJenks"]),
)
def test_class_labels_cover_every_value_in_order(values, k, scheme):
    classes, labels = plot.classify(values, scheme=scheme, k=k)
    assert len(labels) == len(set(classes.tolist())) <= k
    ranges = [parse_range(label) for label in labels]
    for value, cls in zip(values, classes, strict=True):
        low, high = ranges[cls]
        assert low <= value <= high
    for (_, high), (low, _) in itertools.pairwise(ranges):
        assert high < low  # classes never overlap
    assert not any(ch in "".join(labels) for ch in "[]()")


def test_class_labels_format_numbers_per_language():
    _classes, labels = plot.classify([1200, 3400, 56000], scheme="Quantiles", k=3, lang="az")
    assert labels[-1] == "3.401–56.000"


def test_share_labels_are_percentages():
    _classes, labels = plot.classify([0.016, 0.389, 0.872, 1.0], k=2, percent=True)
    assert all(label.endswith("%") for label in labels)


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=1.0, max_value=1e7))
def test_nice_scale_bar_length(target):
    length = plot.nice_length(target)
    assert target / 2.5 <= length <= target
    mantissa = length / 10 ** np.floor(np.log10(length))
    assert round(mantissa, 6) in (1, 2, 2.5, 5)


# --------------------------------------------------------------------------- bars


def test_bars_heights_are_the_summary_values(summary):
    ax = plot.damage_bars(summary)
    units = summary.loc[summary["level"] != "country"].set_index("unit_code")
    labels = [t.get_text().rstrip("†") for t in ax.get_yticklabels()]
    names = plot.display_names(units.index, "en")
    code_of = {names[c]: c for c in units.index}
    codes = [code_of[label] for label in labels]
    for container in ax.containers:
        group = next(g for g, lab in style.GROUP_LABELS.items() if lab == container.get_label())
        widths = [p.get_width() for p in container]
        expected = [
            int(units.loc[c, group]) if not pd.isna(units.loc[c, group]) else 0 for c in codes
        ]
        assert widths == expected, group
        assert {to_hex(p.get_facecolor()) for p in container} == {
            style.GROUP_COLOURS[group].lower()
        }
    # sorted: the largest total is drawn at the top (last y position)
    totals = [float(sum(p.get_width() for p in bars)) for bars in zip(*ax.containers, strict=False)]
    assert totals == sorted(totals)
    total_labels = [t.get_text() for t in ax.texts if t.get_gid() == "damage_data:total"]
    # a unit whose figures have no upper bound ("more than 500") prints its total as 510+
    open_ended = [pd.isna(units.loc[c, "total_max"]) for c in codes]
    assert total_labels == [
        f"{int(t):,}" + ("+" if o else "") for t, o in zip(totals, open_ended, strict=True)
    ]


def test_bars_key_names_each_part(summary):
    ax = plot.damage_bars(summary)
    assert legend_texts(ax) == ["Destroyed", "Damaged"]


def test_bars_need_a_figure():
    empty = pd.DataFrame(
        {"unit_code": ["AZ-TAR"], "destroyed": [pd.NA], "damaged": [pd.NA], "unsplit": [pd.NA]}
    )
    with pytest.raises(UsageError, match="no unit"):
        plot.damage_bars(empty)


# --------------------------------------------------------------------------- share


def test_share_bars_and_the_counts_behind_them(summary):
    ax = plot.residential_share(summary)
    labels = {t.get_text() for t in ax.texts}
    assert "87% · 41 of 47" in labels  # Jabrayil: 41 private houses of the 47 buildings
    # Aghjabadi: 8 homes among the 10 typed of 510 is no share (DESIGN §4 rule 7)
    assert not any(label.endswith("of 510") for label in labels)
    bars = [p for p in ax.patches if p.get_gid() == "damage_data:bars:residential_share"]
    shares = summary.loc[summary["level"] != "country", "residential_share"].dropna()
    assert sorted(p.get_width() for p in bars) == sorted(shares.astype(float))


# --------------------------------------------------------------------------- timeline


def test_timeline_marks_a_decreasing_series(figures, sources):
    ax = plot.timeline(figures, sources, unit_code="AZ-TAR")
    values = [t.get_text() for t in ax.texts if t.get_gid() == "damage_data:value"]
    assert values == ["148", "▼ 134", "▼ 75", "▼ 68"]
    assert any("Lower than an earlier report" in n for n in style.provenance_of(ax).notes)
    assert legend_texts(ax) == ["Report.az", "Trend News Agency", "News.az"]


def synthetic_figures() -> tuple[pd.DataFrame, pd.DataFrame]:
    from damage_data.tables import make_figures, make_table

    figs = make_figures(
        [
            {
                "figure_id": "a1",
                "source_id": "a",
                "unit_code": "AZ-TAR",
                "damage": "destroyed",
                "count": 100,
                "as_of": "2020-10-10",
                "cumulative": True,
            },
            {
                "figure_id": "b1",
                "source_id": "b",
                "unit_code": "AZ-TAR",
                "damage": "destroyed",
                "count": 160,
                "as_of": "2020-10-10",
                "cumulative": True,
            },
            {
                "figure_id": "a2",
                "source_id": "a",
                "unit_code": "AZ-TAR",
                "damage": "destroyed",
                "count": 120,
                "as_of": "2020-10-20",
                "cumulative": True,
                "flags": "correction",
            },
            {
                "figure_id": "c1",
                "source_id": "c",
                "unit_code": "AZ-TAR",
                "damage": "destroyed",
                "count": 120,
                "as_of": "2020-10-21",
                "cumulative": True,
            },
        ]
    )
    srcs = make_table(
        "sources",
        [
            {"source_id": "a", "publisher": "Agency A", "method": "official_statement"},
            {"source_id": "b", "publisher": "Paper B", "method": "press"},
            {"source_id": "c", "publisher": "Paper C", "method": "press", "cites": "a"},
        ],
    )
    return figs, srcs


def test_timeline_shows_disagreement_corrections_and_relays():
    figs, srcs = synthetic_figures()
    series = plot.reported_series(figs, srcs, unit_code="AZ-TAR")
    assert series["disagree"].tolist() == [True, True, False, False]
    assert series["corrected"].tolist() == [False, False, True, False]
    assert series["relayed"].tolist() == [False, False, False, True]
    # 120 is below one of the two disagreeing reports of 10 Oct, not below both: no decline
    assert not series["decreasing"].any()
    ax = plot.timeline(figs, srcs, unit_code="AZ-TAR")
    assert [t.get_text() for t in ax.texts if t.get_gid() == "damage_data:disagree"] == [
        "sources disagree"
    ]
    rings = [c for c in ax.collections if c.get_gid() == "damage_data:corrected"]
    assert len(rings) == 1
    relayed = next(c for c in ax.collections if c.get_gid() == "damage_data:report:c")
    assert to_hex(relayed.get_facecolor()[0]) == "#ffffff"  # hollow


def test_timeline_never_counts_a_part_twice(figures, sources):
    series = plot.reported_series(figures, sources, unit_code="AZ-CAB", damage="damaged")
    # 47 buildings; the 41 houses "of which" and the same 47 "in critical condition" are
    # the same set, not more damage
    assert series["count"].tolist() == [47, 47]


def test_timeline_errors(figures, sources):
    with pytest.raises(UnknownLabelError, match="destroyed"):
        plot.timeline(figures, sources, damage="obliterated")
    with pytest.raises(UsageError, match=r"units with such figures: .*AZ-TAR"):
        plot.timeline(figures, sources, unit_code="AZ-ZAN")


# --------------------------------------------------------------------------- finalise


def test_finalise_lays_out_the_anatomy_inside_the_figure(summary, sources):
    ax = plot.damage_map(summary, sources=sources)
    fig = style.finalise(
        ax.figure, title="A finding", subtitle="Measure, unit, period", byline="Newsroom"
    )
    anatomy = style.anatomy_of(fig)
    assert anatomy.source.startswith("Sources: ")
    # the sources of the numbers drawn (the summary's source_id): Tartar's latest, from Trend
    assert "Trend News Agency" in anatomy.source and "Report.az" not in anatomy.source
    assert "Boundaries: Natural Earth" in anatomy.source
    assert anatomy.disclaimer == style.MAP_DISCLAIMER
    assert anatomy.alt_text.startswith("Map")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    figbox = fig.bbox
    extents = {a.get_text().split("\n")[0]: a.get_window_extent(renderer) for a in anatomy.artists}
    for text, extent in extents.items():
        assert extent.x0 >= 0 and extent.y0 >= 0, text
        assert extent.x1 <= figbox.x1 and extent.y1 <= figbox.y1, text
    body = ax.get_tightbbox(renderer)
    subtitle = extents["Measure, unit, period"]
    assert body.y1 <= subtitle.y0  # the plot starts below the description
    footer_top = max(
        e.y1 for t, e in extents.items() if t not in ("A finding", "Measure, unit, period")
    )
    assert body.y0 >= footer_top  # and ends above the notes and source line


def test_finalise_on_a_chart_has_no_map_disclaimer(summary, sources):
    ax = plot.damage_bars(summary, sources=sources)
    fig = style.finalise(ax.figure, title="Bars", source="My own count")
    anatomy = style.anatomy_of(fig)
    assert anatomy.source == "Source: My own count"
    assert anatomy.disclaimer is None


def test_finalise_needs_a_title(summary):
    ax = plot.damage_bars(summary)
    with pytest.raises(UsageError, match="title"):
        style.finalise(ax.figure, title=" ")


def test_locale_numbers():
    assert style.format_number(13000) == "13,000"
    assert style.format_number(13000, "az") == "13.000"
    assert style.format_number(13000, "ru") == "13\u00a0000"
    assert style.format_percent(0.872, "ru") == "87\u00a0%"


def test_chart_titles_state_the_finding(figures, sources):
    from damage_data.style import anatomy_of

    fig = plot.chart("timeline", figures, sources, unit_code="AZ-TAR")
    assert anatomy_of(fig).title.endswith("fell from 148 to 68")
    fig = plot.chart("share", figures, sources)
    assert anatomy_of(fig).title.endswith("87% of the buildings hit were homes (41 of 47)")


# --------------------------------------------------------------------------- explore


def test_explore_tooltips_show_figures_and_sources_offline(summary, figures, sources):
    from damage_data.explore import explore_damage

    m = explore_damage(summary, figures=figures, sources=sources, tiles=None)
    html = m.get_root().render()
    assert "Report.az, 17 Oct 2020: 148 destroyed, 849 damaged" in html
    assert "No reports" in html  # units without reports stay visible
    assert not re.search(r"tile\.openstreetmap|basemaps\.cartocdn", html)  # no base map


def test_explore_escapes_text_from_sources(summary, figures, sources):
    from damage_data.explore import figures_by_unit

    hostile = sources.copy()
    hostile.loc[hostile["publisher"] == "Report.az", "publisher"] = "<script>x</script>"
    lines = figures_by_unit(figures, hostile)["AZ-TAR"]
    assert "<script>" not in lines and "&lt;script&gt;" in lines


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=5000), min_size=2, max_size=30, unique=True),
    st.integers(min_value=1, max_value=7),
)
def test_natural_breaks_are_as_good_as_mapclassify_fisher_jenks(values, k):
    import warnings

    import mapclassify

    def spread(bins):
        data = np.asarray(values, dtype=float)
        classes = np.searchsorted(bins, data)
        return sum(
            ((data[classes == c] - data[classes == c].mean()) ** 2).sum()
            for c in np.unique(classes)
        )

    k = min(k, len(values))
    ours = plot.fisher_jenks_bins(values, k)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = mapclassify.FisherJenks(np.asarray(values, dtype=float), k=k).bins
    assert len(ours) == k
    assert spread(ours) <= spread(theirs) + 1e-6 * max(1.0, spread(theirs))


def test_map_of_a_whole_country_needs_no_locator():
    everywhere = pd.DataFrame(
        {
            "unit_code": ["UA-14", "UA-63", "UA-48", "UA-65", "UA-23", "UA-12", "UA-32", "UA-07"],
            "total": [12000, 8000, 3100, 2900, 1500, 800, 0, 5],
        }
    )
    ax = plot.damage_map(everywhere)
    ax.figure.canvas.draw()
    assert not ax.child_axes[0].get_visible()
    east = plot.damage_map(everywhere.head(2))
    east.figure.canvas.draw()
    assert east.child_axes[0].get_visible()


def test_finalise_takes_over_from_a_layout_engine():
    fig, ax = plt.subplots(layout="constrained")
    ax.plot([1, 2], [3, 4])
    style.finalise(fig, title="Rising", note="A note", source="Somewhere")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    note = next(a for a in style.anatomy_of(fig).artists if a.get_text() == "A note")
    assert ax.get_tightbbox(renderer).y0 >= note.get_window_extent(renderer).y1


def test_map_sets_rows_without_a_unit_aside():
    summary = pd.DataFrame(
        {"unit_code": pd.array(["AZ-TAR", None, "AZ-CAB"], dtype="string"), "total": [5, 7, 9]}
    )
    ax = plot.damage_map(summary)
    assert "Not mapped: 1 row without a unit." in style.provenance_of(ax).notes
    classes = drawn(ax, plot.GID_CLASS)
    assert sum(len(c.get_paths()) for g, c in classes.items() if not g.endswith(":dots")) == 2


def test_map_over_projected_user_boundaries_keeps_a_true_scale():
    # a 100 km × 100 km grid in UTM 38N: the scale bar must still read in kilometres
    cells = [
        box(500_000 + i * 100_000, 4_400_000, 600_000 + i * 100_000, 4_500_000) for i in range(3)
    ]
    units = gpd.GeoDataFrame({"unit_code": ["G-1", "G-2", "G-3"]}, geometry=cells, crs="EPSG:32638")
    summary = pd.DataFrame({"unit_code": ["G-1", "G-2"], "total": [3, 4]})
    ax = plot.damage_map(summary, units=units)
    bar = next(a for a in ax.artists if a.get_gid() == "damage_data:scale_bar")
    km = float(bar.txt_label.get_text().split()[0])
    (x0, x1) = ax.get_xlim()
    assert 0.1 * (x1 - x0) / 1000 <= km <= 0.2 * (x1 - x0) / 1000
    assert 20 <= km <= 100  # the view spans a few hundred kilometres
