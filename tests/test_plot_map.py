"""Maps a reporter can publish: framed on the units with figures, every label on its own unit
(or tied to it by a line), a locator with the country's outline, credits of the sources shown,
and a short footer.
"""

from __future__ import annotations

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from shapely.geometry import Point, box

from damage_data import plot, style
from damage_data.example import example_figures, example_sources
from damage_data.places.gazetteer import bundled_units
from damage_data.reconcile import summarise


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return example_sources()


@pytest.fixture(scope="module")
def summary(sources) -> pd.DataFrame:
    return summarise(example_figures(), sources)


def layer_of(ax) -> plot.LabelLayer:
    return next(a for a in ax.artists if isinstance(a, plot.LabelLayer))


def box_in_data(ax, text, renderer):
    (x0, y0), (x1, y1) = ax.transData.inverted().transform(
        text.get_window_extent(renderer).get_points()
    )
    return box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def check_labels_sit_on_their_units(ax) -> int:
    """Every visible label lies mostly on its unit, or a leader line runs from its unit to it.

    Returns the number of leader lines drawn.
    """
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    layer = layer_of(ax)
    ends = [line.get_xydata() for line in layer.leaders]
    for item in layer.items:
        if not item.text.get_visible() or item.region is None:
            continue
        label = box_in_data(ax, item.text, renderer)
        share = item.region.intersection(label).area / label.area
        if share >= 0.5:
            continue
        # off its unit: a leader must start inside the unit and end on the label
        bbox = item.text.get_window_extent(renderer)
        tied = False
        for (sx, sy), (ex, ey) in ends:
            start = Point(ax.transData.inverted().transform((sx, sy)))
            near = bbox.x0 - 1 <= ex <= bbox.x1 + 1 and bbox.y0 - 1 <= ey <= bbox.y1 + 1
            tied = tied or (near and item.region.buffer(1.0).contains(start))
        assert tied, f"{item.text.get_text()!r} sits off its unit without a leader"
    return len(ends)


def test_small_city_labels_are_tied_to_their_unit_not_put_on_a_neighbour():
    # Ganja (a city of ~100 km²) and Naftalan (4.5 km²) inside Goranboy's surroundings
    summary = pd.DataFrame(
        {"unit_code": ["AZ-GA", "AZ-NA", "AZ-TAR"], "total": [53, 0, 293]},
    )
    ax = plot.damage_map(summary)
    style.finalise(ax.figure, title="Ganja")
    leaders = check_labels_sit_on_their_units(ax)
    assert leaders >= 1  # Naftalan's label cannot fit on Naftalan
    layer = layer_of(ax)
    shown = [i.text.get_text() for i in layer.items if i.text.get_visible()]
    assert any(t.startswith("Ganja\n53") for t in shown)
    assert any(t.startswith("Naftalan\n0") for t in shown)


def test_example_map_labels_sit_on_their_units(summary, sources):
    for lang in ("en", "ru"):
        fig = plot.chart("map", example_figures(), sources, summary=summary, lang=lang)
        check_labels_sit_on_their_units(fig.axes[0])


def small_units() -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Nine city zones of 600 m inside a 30 km square of surrounding units (Beirut-like)."""
    zones = [
        box(i * 600, j * 600, (i + 1) * 600, (j + 1) * 600) for i in range(3) for j in range(3)
    ]
    ring = [box(-15_000, -15_000, 0, 16_800), box(1_800, -15_000, 16_800, 16_800)]
    ring += [box(0, -15_000, 1_800, 0), box(0, 1_800, 1_800, 16_800)]
    codes = [f"LB-Z{i}" for i in range(9)] + [f"LB-R{i}" for i in range(4)]
    units = gpd.GeoDataFrame(
        {"unit_code": codes, "name": codes},
        geometry=zones + ring,
        crs="+proj=tmerc +lat_0=33.89 +lon_0=35.5 +units=m",
    )
    summary = pd.DataFrame({"unit_code": codes[:5], "total": [120, 45, 0, 7, 300]})
    return units, summary


def test_small_units_fill_the_frame_with_their_surroundings_as_context():
    units, summary = small_units()
    ax = plot.damage_map(summary, units=units)
    style.finalise(ax.figure, title="Zones")
    ax.figure.canvas.draw()
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    reporting = units.loc[units["unit_code"].isin(summary["unit_code"])]
    rx0, ry0, rx1, ry1 = reporting.to_crs(units.crs).total_bounds  # 1.8 km × 1.2 km
    # the view is the map's own projection: compare spans, which it keeps
    fill = max((rx1 - rx0) / (x1 - x0), (ry1 - ry0) / (y1 - y0))
    assert fill >= 0.6, fill
    hatched = next(c for c in ax.collections if c.get_gid() == plot.GID_NO_REPORTS)
    assert len(hatched.get_paths()) >= 4  # the zones and units around are drawn as context
    check_labels_sit_on_their_units(ax)


def test_the_locator_shows_the_country_outline_and_the_view(summary):
    ax = plot.damage_map(summary)
    ax.figure.canvas.draw()
    inset = ax.child_axes[0]
    assert inset.get_visible()
    outline = next(c for c in inset.collections if c.get_gid() == "damage_data:inset_outline")
    country = next(c for c in inset.collections if c.get_gid() == "damage_data:inset_country")
    assert to_hex(outline.get_edgecolor()[0]) != to_hex(country.get_facecolor()[0])
    segments = outline.get_segments()
    xs = [x for s in segments for x in s[:, 0]]
    ys = [y for s in segments for y in s[:, 1]]
    (a, b), (c, d) = inset.get_xlim(), inset.get_ylim()
    assert a <= min(xs) and max(xs) <= b and c <= min(ys) and max(ys) <= d  # whole outline
    view = next(p for p in inset.patches if p.get_gid() == "damage_data:inset_view")
    (x0, _x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert view.get_x() == pytest.approx(x0) and view.get_height() == pytest.approx(y1 - y0)


def test_a_reported_zero_has_its_own_class_apart_from_no_reports(summary):
    zeroed = summary.copy()
    zeroed.loc[zeroed["unit_code"] == "AZ-CAB", "total"] = 0
    ax = plot.damage_map(zeroed)
    zero = next(c for c in ax.collections if c.get_gid() == plot.GID_CLASS + "0")
    none = next(c for c in ax.collections if c.get_gid() == plot.GID_NO_REPORTS)
    fills = {
        to_hex(c.get_facecolor()[0])
        for c in ax.collections
        if (c.get_gid() or "").startswith(plot.GID_CLASS)
        and not c.get_gid().endswith(":dots")
        and c is not zero
    }
    assert to_hex(zero.get_facecolor()[0]) == plot.ZERO_COLOUR
    assert to_hex(zero.get_facecolor()[0]) not in fills | {to_hex(none.get_facecolor()[0])}
    assert not zero.get_hatch() and none.get_hatch()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "0 (reported)" and labels[-1] == "No reports"


def test_a_map_whose_only_value_is_a_reported_zero_draws_it(summary):
    # one district 0 destroyed, the others not stated: the map stopped with an internal error
    # (no class left beside the zero class); it draws the zero class and nothing else
    zeroed = summary.copy()
    zeroed["destroyed"] = pd.array([pd.NA] * len(zeroed), dtype="Int64")
    zeroed.loc[zeroed["unit_code"] == "AZ-FUZ", "destroyed"] = 0
    ax = plot.damage_map(zeroed, metric="destroyed")
    classes = {
        c.get_gid() for c in ax.collections if (c.get_gid() or "").startswith(plot.GID_CLASS)
    }
    assert classes == {plot.GID_CLASS + "0"}
    assert ax.get_legend().get_texts()[0].get_text() == "0 (reported)"


def test_the_footer_credits_only_the_sources_shown(summary, sources):
    # the relayed article that reconciliation set aside is not credited
    fig = plot.chart("map", example_figures(), sources, summary=summary)
    line = style.anatomy_of(fig).source
    relayed = sources.loc[sources["cites"].notna(), "publisher"].iloc[0]
    # the publishers of the sources the summary used (its source_id), and no other
    used_ids = set(summary.loc[summary["level"] != "country", "source_id"].dropna())
    publishers = sources.loc[sources["source_id"].isin(used_ids), "publisher"]
    assert relayed not in line and "Report.az" not in line
    assert all(p.split(";")[0].strip() in line for p in publishers)
    # with the summary's source_id, exactly the sources of the units drawn
    used = summary.copy()
    trend = sources.loc[sources["title"].str.startswith("Tartar: 5,705"), "source_id"].iloc[0]
    azertac = sources.loc[sources["title"].str.startswith("Barda"), "source_id"].iloc[0]
    used["source_id"] = used["unit_code"].map({"AZ-TAR": trend, "AZ-BAR": azertac})
    ax = plot.damage_map(used.loc[used["unit_code"].isin(["AZ-TAR", "AZ-BAR"])], sources=sources)
    assert sorted(style.provenance_of(ax).sources) == ["AZERTAC", "Trend News Agency"]
    ax = plot.damage_bars(used.loc[used["unit_code"] == "AZ-BAR"], sources=sources)
    assert style.provenance_of(ax).sources == ["AZERTAC"]


def copernicus_sources(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_id": [f"c{i}" for i in range(n)],
            "title": [f"EMSR648_AOI{i:02d}_GRA_PRODUCT_builtUpP_r1_v1.json" for i in range(n)],
            "publisher": [None] * n,
            "kind": ["copernicus"] * n,
        }
    )


def footer_share(fig) -> float:
    """Height of the notes and source line as a share of the figure's height."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    anatomy = style.anatomy_of(fig)
    body = min(ax.get_window_extent(renderer).y0 for ax in fig.axes if ax.get_visible())
    lower = [a for a in anatomy.artists if a.get_window_extent(renderer).y1 <= body]
    top = max(a.get_window_extent(renderer).y1 for a in lower)
    bottom = min(a.get_window_extent(renderer).y0 for a in lower)
    return (top - bottom) / fig.bbox.height


def test_long_source_lists_are_condensed_and_the_footer_stays_short():
    units = bundled_units("AZ")
    summary = pd.DataFrame({"unit_code": ["AZ-TAR", "AZ-BAR"], "total": [293, 160]})
    summary["source_id"] = ["c0;c1;c2;c3;c4;c5;c6", "c7;c8;c9;c10;c11;c12;c13"]
    ax = plot.damage_map(summary, units=units, sources=copernicus_sources(14))
    assert style.provenance_of(ax).sources == ["14 Copernicus EMS EMSR648 products"]
    style.finalise(ax.figure, title="Fourteen products")
    assert footer_share(ax.figure) <= 0.08


@pytest.mark.parametrize("lang", ["en", "ru", "uk", "az", "hy"])
def test_the_footer_of_the_example_stays_within_eight_percent(summary, sources, lang):
    for kind in ("map", "bars"):
        fig = plot.chart(kind, example_figures(), sources, summary=summary, lang=lang)
        fig.set_dpi(200)  # the web preset's PNG
        style.layout(fig)
        assert footer_share(fig) <= 0.08, (kind, lang)


def test_user_units_in_a_bundled_country_get_its_outline_in_the_locator():
    # four hromada-sized squares near Kharkiv, with COD-AB-like p-codes
    cells = [
        box(36.2 + 0.1 * i, 49.9 + 0.1 * j, 36.3 + 0.1 * i, 50.0 + 0.1 * j)
        for i in (0, 1)
        for j in (0, 1)
    ]
    units = gpd.GeoDataFrame(
        {"unit_code": [f"UA63120{k:02d}" for k in range(4)]}, geometry=cells, crs="EPSG:4326"
    )
    summary = pd.DataFrame({"unit_code": units["unit_code"][:3], "total": [5, 50, 500]})
    ax = plot.damage_map(summary, units=units)
    ax.figure.canvas.draw()
    inset = ax.child_axes[0]
    assert inset.get_visible()
    country = next(c for c in inset.collections if c.get_gid() == "damage_data:inset_country")
    extent = country.get_paths()[0].get_extents()
    for path in country.get_paths()[1:]:
        extent = extent.union([extent, path.get_extents()])
    (x0, x1) = ax.get_xlim()
    assert extent.width > 20 * (x1 - x0)  # Ukraine, not the four squares
    context = next(c for c in ax.collections if c.get_gid() == "damage_data:context")
    assert len(context.get_paths()) >= 1  # the oblasts around are drawn as land


def test_chart_titles_name_user_units_by_their_names():
    units, summary = small_units()
    units["name"] = [f"Zone {c[-2:]}" for c in units["unit_code"]]
    fig = plot.chart("map", pd.DataFrame(), summary=summary, units=units)
    assert style.anatomy_of(fig).title == "Zone Z4: most buildings destroyed or damaged (300)"
