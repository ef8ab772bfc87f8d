"""A few finished PNGs, as a reporter gets them: the bundled example in English and Russian,
and a map of small units (zones of about 1 km over the EMSR648 Pazarcık grading product).

Set ``DAMAGE_DATA_PLOT_OUT=<folder>`` to keep the images for a look.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image
from shapely.geometry import box

from damage_data import plot, style
from damage_data._data import data_path
from damage_data.count.assign import assign, structures_to_figures
from damage_data.example import example_figures, example_sources
from damage_data.export import save
from damage_data.readers import load
from damage_data.reconcile import summarise


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def keep(path: Path) -> None:
    folder = os.environ.get("DAMAGE_DATA_PLOT_OUT")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(folder) / path.name)


def check_png(path: Path, title: str) -> None:
    image = Image.open(path)
    assert image.size == (1280, 900)
    assert image.text["Title"] == title
    assert image.text["Description"]
    grey = np.asarray(image.convert("L"), dtype=float)
    assert grey.std() > 20  # something was drawn
    assert (grey[-20:, :] > 250).all()  # nothing cropped at the bottom edge: the margin is white


@pytest.mark.parametrize(
    ("kind", "lang"),
    [("map", "en"), ("map", "ru"), ("bars", "en"), ("share", "ru"), ("timeline", "ru")],
)
def test_example_charts_render(tmp_path, kind, lang):
    fig = plot.chart(kind, example_figures(), example_sources(), lang=lang)
    path = save(fig, tmp_path / f"example_{kind}_{lang}.png")
    check_png(path, style.anatomy_of(fig).title)
    keep(path)


def zones_over_pazarcik() -> tuple[gpd.GeoDataFrame, object, object]:
    """Zones of about 1 km over the area of interest, with the product's figures in them."""
    folder = data_path("examples", "emsr648_pazarcik")
    product = load(folder / "EMSR648_AOI08_GRA_PRODUCT_builtUpP_r1_v1.json")
    aoi = gpd.read_file(folder / "EMSR648_AOI08_GRA_PRODUCT_areaOfInterestA_r1_v1.json")
    x0, y0, x1, y1 = aoi.total_bounds
    dx, dy = (x1 - x0) / 5, (y1 - y0) / 5
    cells = [
        box(x0 + i * dx, y0 + j * dy, x0 + (i + 1) * dx, y0 + (j + 1) * dy)
        for i in range(-1, 6)
        for j in range(-1, 6)
    ]
    units = gpd.GeoDataFrame(
        {"unit_code": [f"TR-Z{k:02d}" for k in range(len(cells))]},
        geometry=cells,
        crs="EPSG:4326",
    )
    units["name"] = [f"Zone {k}" for k in range(len(cells))]
    units.attrs["attribution"] = "Zones: a 1 km grid over EMSR648 AOI 08"
    assigned, _report = assign(product.structures, units)
    figures = structures_to_figures(assigned, source_id=product.sources["source_id"].iloc[0])
    return units, figures, product.sources


def test_small_units_render(tmp_path):
    units, figures, sources = zones_over_pazarcik()
    summary = summarise(figures, sources)
    fig = plot.chart("map", figures, sources, summary=summary, units=units, metric="assessed")
    ax = fig.axes[0]
    fig.canvas.draw()
    reporting = units.loc[units["unit_code"].isin(summary["unit_code"])]
    assert len(reporting) >= 4
    # the zones with figures take most of the frame
    (a, b), (c, d) = ax.get_xlim(), ax.get_ylim()
    layer = next(x for x in ax.artists if isinstance(x, plot.LabelLayer))
    regions = [i.region for i in layer.items if i.required]
    rx0 = min(r.bounds[0] for r in regions)
    ry0 = min(r.bounds[1] for r in regions)
    rx1 = max(r.bounds[2] for r in regions)
    ry1 = max(r.bounds[3] for r in regions)
    assert max((rx1 - rx0) / (b - a), (ry1 - ry0) / (d - c)) >= 0.6
    assert style.anatomy_of(fig).source.startswith("Source: Copernicus EMS EMSR648")
    path = save(fig, tmp_path / "small_units_en.png")
    check_png(path, style.anatomy_of(fig).title)
    keep(path)
