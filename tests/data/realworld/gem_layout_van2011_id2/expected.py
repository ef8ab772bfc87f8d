"""Expected counts of our own table in the GEM GEID Türkiye Van 2011 ``Impact_Buildings_ID_2``
layout.

Numbers are invented; the columns are the layout's: four sources, each with its own damage
vocabulary in its own columns (``Moderately-Slightly``, ``Heavy/Collapsed``, ``Slight
damaged``, ``Lightly damaged`` ...). ``REFERENCE`` splits sources, which are never added.
The traps of the real file: a column naming two states reported together is no total of the
columns beside it ("Light" is no part of "Heavy/Collapsed", and may be larger), and a severity
qualifies the generic word ("Slight damaged" is minor, not an ambiguous header).
"""

import json
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
FILE = "own_numbers_geid_layout_van2011.csv"

COLUMNS = {
    "No Damage": {"state": "none", "lossy": False, "why": "no damage"},
    "Slight damaged": {"state": "minor", "lossy": False, "why": "slight damage: EMS-98 G1"},
    "Moderate damaged": {"state": "moderate", "lossy": False, "why": "moderate damage: G2"},
    "Heavily damaged and collapsed": {
        "state": "damaged_or_destroyed",
        "lossy": True,
        "why": "severe and destroyed reported together: cannot be split",
    },
    "Undamaged": {"state": "none", "lossy": False, "why": "no damage"},
    "Lightly damaged": {"state": "minor", "lossy": False, "why": "light damage: G1"},
    "Moderately-Slightly": {
        "state": "damaged",
        "lossy": True,
        "why": "moderate and slight together: damaged, severity not split (not destroyed)",
    },
    "Moderately damaged": {"state": "moderate", "lossy": False, "why": "moderate damage"},
    "Severely": {"state": "severe", "lossy": False, "why": "severe damage"},
    "Heavily damaged": {"state": "severe", "lossy": False, "why": "heavy damage: G3-G4"},
    "Collapsed": {"state": "destroyed", "lossy": False, "why": "collapse: G5"},
    "None": {"state": "none", "lossy": False, "why": "no damage (None / Light / Medium ...)"},
    "Light": {"state": "minor", "lossy": False, "why": "light damage"},
    "Medium": {"state": "moderate", "lossy": False, "why": "medium damage: moderate"},
    "Heavy/Collapsed": {
        "state": "damaged_or_destroyed",
        "lossy": True,
        "why": "heavy and collapsed together: cannot be split",
    },
    "TOTAL": {
        "state": "assessed",
        "lossy": False,
        "why": "equals the sum of the row's graded columns in every row (checked below)",
    },
}
GRADED = [c for c in COLUMNS if c != "TOTAL"]


def main() -> None:
    raw = pd.read_csv(HERE / FILE, encoding="utf-8-sig", keep_default_na=False, na_values=[""])
    assert (raw[GRADED].fillna(0).sum(axis=1) == raw["TOTAL"]).all()
    by_source: dict[str, dict[str, dict[str, int]]] = {}
    for _, row in raw.iterrows():
        # building types (TAXONOMY) of one place are disjoint sets: they add up
        place = by_source.setdefault(row["REFERENCE"], {}).setdefault(row["NAME_2"].strip(), {})
        for column, meta in COLUMNS.items():
            if pd.notna(row[column]):
                place[meta["state"]] = place.get(meta["state"], 0) + int(row[column])
    expected = {
        "file": FILE,
        "kind": "table",
        "rows_read": len(raw),
        "rejects": [],
        "place_column": "NAME_2",
        "count_unit": "buildings",
        "count_unit_why": "UNIT_TYPES = Buildings",
        "source_column": "REFERENCE",
        "columns": COLUMNS,
        "by_source": by_source,
    }
    text = json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    (HERE / "expected.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
