"""Press reports (``.txt``, ``.md``): figures with their evidence spans, from damage_data.text."""

from __future__ import annotations

import pandas as pd

from .._errors import InputError
from ..tables import empty, make_figures
from ._context import Context, Parts


def read_text(ctx: Context) -> Parts:
    """A press report (``.txt``): delegated to :func:`damage_data.text.figures_from_file`."""
    from ..text import figures_from_file

    result = figures_from_file(ctx.target, published=None, source=ctx.path.name)
    # (figures, sources) from damage_data.text; older versions returned figures alone
    figures, text_sources = result if isinstance(result, tuple) else (result, None)
    if not isinstance(figures, pd.DataFrame):
        raise InputError(
            f"{ctx.path}: the text reader returned no figures table.", path=str(ctx.path)
        )
    # one source id per file across all readers: the content hash load() gives every kind
    figures = (
        make_figures(figures.assign(source_id=ctx.source_id))
        if not figures.empty
        else empty("figures")
    )
    # a text has no rows: each figure found is one "row" read and kept
    ctx.collector.rows_read += len(figures)
    title = None
    if isinstance(text_sources, pd.DataFrame) and not text_sources.empty:
        title = str(text_sources["title"].iloc[0])
    return Parts(rows_kept=len(figures), figures=figures, title=title, method="press")
