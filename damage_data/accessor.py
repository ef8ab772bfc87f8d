"""The ``df.damage`` pandas accessor: shortcuts that only forward to library functions.

Registered when ``damage_data`` is imported after pandas, or on first use of any of the
package's functions; ``import damage_data.accessor`` registers it explicitly.

>>> import pandas as pd
>>> import damage_data.accessor  # noqa: F401
>>> from damage_data.example import example_figures
>>> int(example_figures().damage.summarise().set_index("unit_code").loc["AZ-CAB", "damaged"])
47
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes


@pd.api.extensions.register_dataframe_accessor("damage")
class DamageAccessor:
    """``figures.damage.summarise()``, ``.validate()``, ``summary.damage.map()``…"""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    def summarise(self, sources: pd.DataFrame | None = None, **options: Any) -> pd.DataFrame:
        """Forward to :func:`damage_data.reconcile.summarise` (the frame is a figures table)."""
        from .reconcile import summarise

        return summarise(self._frame, sources, **options)

    def explain(
        self, unit: str, sources: pd.DataFrame | None = None, **options: Any
    ) -> pd.DataFrame:
        """Forward to :func:`damage_data.reconcile.explain`."""
        from .reconcile import explain

        return explain(self._frame, sources, unit, **options)

    def validate(self, table: str = "figures", *, raise_on_error: bool = False) -> pd.DataFrame:
        """Forward to :func:`damage_data.tables.validate`; returns the failure table."""
        from .tables import validate

        return validate(self._frame, table, raise_on_error=raise_on_error)

    def map(self, **options: Any) -> Axes:
        """Forward to :func:`damage_data.plot.damage_map` (the frame is a summary)."""
        from .plot import damage_map

        return damage_map(self._frame, **options)

    def bars(self, **options: Any) -> Axes:
        """Forward to :func:`damage_data.plot.damage_bars` (the frame is a summary)."""
        from .plot import damage_bars

        return damage_bars(self._frame, **options)
