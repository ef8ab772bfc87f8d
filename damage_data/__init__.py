"""damage_data: post-conflict structure-damage data, from reports to publishable figures.

Load press reports, official tables and satellite damage products; resolve places; map
damage onto one scale; reconcile sources without double counting; map, chart and export.
Public functions are imported lazily so that ``import damage_data`` and the CLI stay fast.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it (imported on first use)
_EXPORTS: dict[str, str] = {
    "DamageDataError": "._errors",
    "UsageError": "._errors",
    "InputError": "._errors",
    "UnknownLabelError": "._errors",
    "ValidationError": "._errors",
    "classify_damage": ".vocab",
    "classify_structure": ".vocab",
    "damage_schemes": ".vocab",
    "make_figures": ".tables",
    "validate": ".tables",
    "bundled_units": ".places",
    "example_figures": ".example",
    "example_sources": ".example",
    "example_folder": ".example",
    "summarise": ".reconcile",
    "resolve_places": ".places",
    "resolve_place": ".places",
    "display_name": ".places",
    "display_names": ".places",
    "default_gazetteer": ".places",
    "gazetteer_from_path": ".places",
    "gazetteer_from_file": ".places",
    "gazetteer_from_cod_ab": ".places",
    "resolve_figures": ".places",
    "load": ".readers",
    "assign": ".count",
    "structures_to_figures": ".count",
    "figures_from_text": ".text",
    "damage_map": ".plot",
    "damage_bars": ".plot",
    "residential_share": ".plot",
    "timeline": ".plot",
    "finalise": ".style",
    "save": ".export",
    "count_structures": ".count",
    "is_structure_parquet": ".count",
    "chart": ".plot",
    "ingest": ".register",
    "read_register": ".register",
    "explain": ".reconcile",
    "collect": ".pipeline",
    "readable": ".reconcile",
    "build_report": ".report",
    "explore_damage": ".explore",
}

__all__ = ["__version__", *_EXPORTS]


def _register_accessor() -> None:
    import_module(".accessor", __name__)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        _register_accessor()
        module = import_module(_EXPORTS[name], __name__)
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'damage_data' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


# ``df.damage`` needs pandas; register it now only if pandas is already loaded, so that the
# CLI stays light (it registers on first use of any function otherwise).
if "pandas" in sys.modules:
    _register_accessor()
