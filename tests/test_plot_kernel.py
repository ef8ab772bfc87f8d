"""In a real Jupyter kernel: the toolkit's maps and charts show inline, and so do the
analyst's own figures drawn after them (the house style never takes over the backend).
"""

from __future__ import annotations

import pytest

CELLS = [
    "%matplotlib inline",
    "import damage_data as dd\n"
    "f, s = dd.example_figures(), dd.example_sources()\n"
    "ax = dd.damage_map(dd.summarise(f, s), sources=s)",
    "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n_ = ax.plot([1, 2], [3, 1])",
    'ax = dd.timeline(f, "AZ-TAR")',
    "fig, ax = plt.subplots()\n_ = ax.bar(['a', 'b'], [2, 5])",
    "import matplotlib\nprint(matplotlib.get_backend(), matplotlib.rcParams['figure.figsize'])",
]


@pytest.mark.slow
def test_figures_keep_showing_in_a_kernel(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    client = nbclient.NotebookClient(
        notebook,
        timeout=180,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    outputs = [cell.get("outputs", []) for cell in notebook.cells]
    errors = [o for out in outputs for o in out if o.get("output_type") == "error"]
    assert not errors, errors
    for index in (1, 2, 3, 4):  # the map, the user's plot, the timeline, the user's bars
        images = [o for o in outputs[index] if "image/png" in o.get("data", {})]
        assert len(images) == 1, (CELLS[index], outputs[index])
    printed = "".join(o.get("text", "") for o in outputs[5])
    assert "inline" in printed
    # the user's default figure size, not the house style's 6.4 × 4.5
    assert "[6.4, 4.5]" not in printed
