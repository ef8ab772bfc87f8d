"""The ``df.dd`` pandas accessor: shortcuts that only forward to library functions.

Named ``dd`` (as in ``import damage_data as dd``) so that it never hides a column: the
figures table has a ``damage`` column, and ``f[f.damage == "destroyed"]`` must keep working.
Registered when ``damage_data`` is imported after pandas, or on first use of any of the
package's functions; ``import damage_data.accessor`` registers it explicitly.

>>> import pandas as pd
>>> import damage_data.accessor  # noqa: F401
>>> from damage_data.example import example_figures
>>> f = example_figures()
>>> int(f.dd.summarise().set_index("unit_code").loc["AZ-CAB", "damaged"])
47
>>> len(f[f.damage == "destroyed"]) > 0
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: The accessor's name.
ACCESSOR = "dd"


@pd.api.extensions.register_dataframe_accessor(ACCESSOR)
class DamageAccessor:
    """``figures.dd.summarise()``, ``.explain()``, ``.timeline()``, ``summary.dd.map()``…

    Examples
    --------
    >>> from damage_data.example import example_figures, example_sources
    >>> ax = example_figures().dd.timeline("AZ-TAR", sources=example_sources())
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    # each method imports its function when called: ``import damage_data`` registers the
    # accessor, and must not load matplotlib (plot) or the counting model (reconcile) for it

    def summarise(self, sources: pd.DataFrame | None = None, **options: Any) -> pd.DataFrame:
        """Forward to :func:`damage_data.reconcile.summarise` (the frame is a figures table).

        Parameters
        ----------
        sources
            The sources table, or None.
        **options
            Passed on to :func:`~damage_data.reconcile.summarise`.

        Returns
        -------
        pandas.DataFrame
            One row per unit (the summary table).

        Examples
        --------
        >>> from damage_data.example import example_figures, example_sources
        >>> summary = example_figures().dd.summarise(example_sources())
        >>> summary.columns[:2].tolist()
        ['unit_code', 'unit_name']
        """
        from .reconcile import summarise

        return summarise(self._frame, sources, **options)

    def explain(
        self, unit: str, sources: pd.DataFrame | None = None, **options: Any
    ) -> pd.DataFrame:
        """Forward to :func:`damage_data.reconcile.explain` (the frame is a figures table).

        Parameters
        ----------
        unit
            The unit code to explain.
        sources
            The sources table, or None.
        **options
            Passed on to :func:`~damage_data.reconcile.explain`.

        Returns
        -------
        pandas.DataFrame
            The unit's figures, each with whether it was used and why.

        Examples
        --------
        >>> from damage_data.example import example_figures, example_sources
        >>> why = example_figures().dd.explain("AZ-TAR", example_sources())
        >>> {"used", "why"} <= set(why.columns)
        True
        """
        from .reconcile import explain

        return explain(self._frame, sources, unit, **options)

    def validate(self, table: str = "figures", *, raise_on_error: bool = False) -> pd.DataFrame:
        """Forward to :func:`damage_data.tables.validate`.

        Parameters
        ----------
        table
            Which contract: ``figures``, ``sources``, ``structures`` or ``units``.
        raise_on_error
            Raise :class:`~damage_data.ValidationError` instead of returning failures.

        Returns
        -------
        pandas.DataFrame
            One row per failure (``row``, ``column``, ``value``, ``reason``); empty if valid.

        Examples
        --------
        >>> from damage_data.example import example_figures
        >>> example_figures().dd.validate().empty
        True
        """
        from .tables import validate

        return validate(self._frame, table, raise_on_error=raise_on_error)

    def map(self, **options: Any) -> Axes:
        """Forward to :func:`damage_data.plot.damage_map` (the frame is a summary).

        Parameters
        ----------
        **options
            Passed on to :func:`~damage_data.plot.damage_map`.

        Returns
        -------
        matplotlib.axes.Axes
            The map's axes.

        Examples
        --------
        >>> from damage_data import example_figures, example_sources, summarise
        >>> ax = summarise(example_figures(), example_sources()).dd.map()
        >>> ax.figure.get_axes()[0] is ax
        True
        """
        from .plot import damage_map

        return damage_map(self._frame, **options)

    def bars(self, **options: Any) -> Axes:
        """Forward to :func:`damage_data.plot.damage_bars` (the frame is a summary).

        Parameters
        ----------
        **options
            Passed on to :func:`~damage_data.plot.damage_bars`.

        Returns
        -------
        matplotlib.axes.Axes
            The chart's axes.

        Examples
        --------
        >>> from damage_data import example_figures, example_sources, summarise
        >>> ax = summarise(example_figures(), example_sources()).dd.bars()
        """
        from .plot import damage_bars

        return damage_bars(self._frame, **options)

    def share(self, **options: Any) -> Axes:
        """Forward to :func:`damage_data.plot.residential_share` (the frame is a summary).

        Parameters
        ----------
        **options
            Passed on to :func:`~damage_data.plot.residential_share`.

        Returns
        -------
        matplotlib.axes.Axes
            The chart's axes.

        Examples
        --------
        >>> from damage_data import example_figures, example_sources, summarise
        >>> ax = summarise(example_figures(), example_sources()).dd.share()
        """
        from .plot import residential_share

        return residential_share(self._frame, **options)

    def timeline(
        self, unit: str | None = None, *, sources: pd.DataFrame | None = None, **options: Any
    ) -> Axes:
        """Forward to :func:`damage_data.plot.timeline` (the frame is a figures table).

        Parameters
        ----------
        unit
            A code or a name in any language; default: the one with the most reporting
            dates.
        sources
            The sources table (dates and credits), or None.
        **options
            Passed on to :func:`~damage_data.plot.timeline`.

        Returns
        -------
        matplotlib.axes.Axes
            The chart's axes.

        Examples
        --------
        >>> from damage_data.example import example_figures, example_sources
        >>> ax = example_figures().dd.timeline("AZ-TAR", sources=example_sources())
        """
        from .plot import timeline

        return timeline(self._frame, sources, unit, **options)
