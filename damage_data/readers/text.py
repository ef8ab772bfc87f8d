"""Press reports (``.txt``, ``.md``): figures with their evidence spans, from damage_data.text."""

from __future__ import annotations

from ..tables import empty, make_figures
from ..text import figures_from_file
from ._context import Context, Parts


def read_text(ctx: Context) -> Parts:
    """A press report (``.txt``): delegated to :func:`damage_data.text.figures_from_file`."""
    figures, text_sources = figures_from_file(
        ctx.target, published=None, source=ctx.path.name, limits=ctx.limits
    )
    # one source id per file across all readers: the content hash load() gives every kind
    figures = (
        make_figures(figures.assign(source_id=ctx.source_id))
        if not figures.empty
        else empty("figures")
    )
    # a text has no rows: each figure found is one "row" read and kept
    ctx.collector.rows_read += len(figures)
    title = None if text_sources.empty else str(text_sources["title"].iloc[0])
    return Parts(rows_kept=len(figures), figures=figures, title=title, method="press")
