"""Press reports: damage figures read from free text, each with its evidence span.

>>> from damage_data.text import figures_from_text
>>> figures_from_text("Some 70 houses were destroyed in Tartar district.")["count"].tolist()
[70]
"""

from __future__ import annotations

from ._detect import detect_language
from ._lexicon import LANGUAGES
from .extract import EXTRA_COLUMNS, figures_from_file, figures_from_text, sources_row

__all__ = [
    "EXTRA_COLUMNS",
    "LANGUAGES",
    "detect_language",
    "figures_from_file",
    "figures_from_text",
    "sources_row",
]
