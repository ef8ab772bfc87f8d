"""Places: gazetteers, name resolution, the place stage of figures, and display names.

* :mod:`.gazetteer` — the bundled units, aliases, codes and settlements;
* :mod:`.user` — gazetteers from your own files (boundaries, COD-AB, GeoNames, villages);
* :mod:`.resolve` — :func:`resolve_places`: a name to a unit, saying how it matched;
* :mod:`.stage` — :func:`resolve_figures`: the one place where figures get their units;
* :mod:`.names` — :func:`display_name`: what to show for a unit, in each language.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .gazetteer import (
    BUNDLED_BOUNDARIES,
    Gazetteer,
    bundled_aliases,
    bundled_codes,
    bundled_settlements,
    bundled_unit_table,
    bundled_units,
    combine_gazetteers,
    default_gazetteer,
    make_gazetteer,
)
from .names import DISPLAY_LANGS, display_name, display_names, list_units
from .resolve import RESOLVED_COLUMNS, match_log, resolve_place, resolve_places
from .stage import resolve_figures

if TYPE_CHECKING:
    from .user import (
        gazetteer_from_cod_ab,
        gazetteer_from_file,
        gazetteer_from_geonames,
        gazetteer_from_path,
        read_aliases,
        settlements_from_path,
    )


def __getattr__(name: str) -> Any:
    # your own gazetteers need the readers (every file format, press text included):
    # imported on first use, so that summarising figures that carry their units stays light
    if name.startswith("__"):  # introspection (copy, doctest, pickle) needs no readers
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    user = import_module(".user", __name__)
    if name in user.__all__:
        value = getattr(user, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BUNDLED_BOUNDARIES",
    "DISPLAY_LANGS",
    "RESOLVED_COLUMNS",
    "Gazetteer",
    "bundled_aliases",
    "bundled_codes",
    "bundled_settlements",
    "bundled_unit_table",
    "bundled_units",
    "combine_gazetteers",
    "default_gazetteer",
    "display_name",
    "display_names",
    "gazetteer_from_cod_ab",
    "gazetteer_from_file",
    "gazetteer_from_geonames",
    "gazetteer_from_path",
    "list_units",
    "make_gazetteer",
    "match_log",
    "read_aliases",
    "resolve_figures",
    "resolve_place",
    "resolve_places",
    "settlements_from_path",
]
