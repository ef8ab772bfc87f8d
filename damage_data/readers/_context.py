"""The options of one read and what a reader hands back to :func:`load`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..limits import Limits
from ._result import Collector

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd


@dataclass
class Context:
    """Everything a reader needs: the file (or unpacked folder), options and bookkeeping."""

    path: Path
    target: Path
    source_id: str
    limits: Limits
    collector: Collector
    layer: str | None = None
    columns: dict[str, str] | None = None
    encoding: str | None = None
    scheme: str | None = None
    strongest: bool = False
    detected_by: str = ""

    def column(self, role: str) -> str | None:
        """The user's column for a role (``columns={"damage": "Class"}``), if given."""
        return (self.columns or {}).get(role)


@dataclass
class Parts:
    """A reader's output before :func:`load` adds the source row and the report."""

    rows_kept: int
    structures: gpd.GeoDataFrame | None = None
    figures: pd.DataFrame | None = None
    units: pd.DataFrame | None = None
    crs: str | None = None
    layer: str | None = None
    title: str | None = None
    method: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: The reader numbered the structures itself (no id column): each is listed once, so
    #: :func:`load` need not ask whether a million ids repeat (DESIGN §4 rule 4).
    ids_unique: bool = False
    #: Sources inside the file (a ``source`` column): one sources row each.
    sources: list[dict[str, Any]] = field(default_factory=list)
