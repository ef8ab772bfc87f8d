"""Expected counts of our own table in the GEM GEID Nepal 2015 ``Impact_Buildings_ID_2`` layout.

Numbers are invented; the 42 columns are the layout's. Each ``REFERENCE`` is a source with its
own damage vocabulary; sources are never added. Places are districts (``NAME_2``), the
deepest place column; ``NAME_1`` (province) is their parent.
"""

import json
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
FILE = "own_numbers_geid_layout_level2.csv"

COLUMNS = {
    "GRADE_0": {"state": "none", "lossy": False, "why": "EMS-98 grade 0 (ems98.csv G0)"},
    "GRADE_1": {"state": "minor", "lossy": False, "why": "ems98.csv G1 -> minor"},
    "GRADE_2": {"state": "moderate", "lossy": False, "why": "ems98.csv G2 -> moderate"},
    "GRADE_3": {"state": "severe", "lossy": True, "why": "ems98.csv G3 -> severe (lossy)"},
    "GRADE_4": {"state": "severe", "lossy": True, "why": "ems98.csv G4 -> severe (lossy)"},
    "GRADE_5": {"state": "destroyed", "lossy": False, "why": "ems98.csv G5 -> destroyed"},
    "NOT_DAMAGED": {"state": "none", "lossy": False, "why": "not damaged is none, never damaged"},
    "SLIGHTLY_DAMAGED": {"state": "minor", "lossy": False, "why": "slight = EMS-98 G1"},
    "MODERATELY_DAMAGED": {
        "state": "moderate",
        "lossy": False,
        "why": "press.csv 'moderately damaged' -> moderate",
    },
    "HEAVILY DAMAGED": {
        "state": "severe",
        "lossy": False,
        "why": "press.csv 'heavily damaged' -> severe",
    },
    "DS0": {"state": "none", "lossy": False, "why": "EMS-98 grade 0 (the source cites Grünthal)"},
    "DS1": {"state": "minor", "lossy": False, "why": "EMS-98 G1"},
    "DS2": {"state": "moderate", "lossy": False, "why": "EMS-98 G2"},
    "DS3": {"state": "severe", "lossy": True, "why": "EMS-98 G3 (lossy)"},
    "DS4": {"state": "severe", "lossy": True, "why": "EMS-98 G4 (lossy)"},
    "DS5": {"state": "destroyed", "lossy": False, "why": "EMS-98 G5"},
    "PARTIALLY_DAMAGED": {
        "state": "damaged",
        "lossy": True,
        "why": "pdna.csv 'partially_damaged' -> damaged (severity not stated)",
    },
    "FULLY_DAMAGED": {
        "state": "destroyed",
        "lossy": False,
        "why": "pdna.csv 'fully damaged' -> destroyed (beyond repair)",
    },
    "TOTAL_DAMAGED_AND_DESTROYED": {
        "state": "damaged_or_destroyed",
        "lossy": False,
        "why": "damaged and destroyed reported together (canonical damaged_or_destroyed)",
    },
}
NOT_DAMAGE = {
    "GREEN": "ATC-20 safety tag (inspected, usable), not a damage state",
    "YELLOW": "ATC-20 safety tag (restricted use), not a damage state",
    "RED": "ATC-20 safety tag (unsafe), not a damage state",
}
EMPTY_COLUMNS = [
    "NONE",
    "SLIGHT",
    "LIGHT",
    "MODERATE",
    "HEAVY",
    "MAJOR",
    "COLLAPSED",
    "DEMOLISHED",
    "AFFECTED_UNITS",
    "DAMAGED_UNITS",
    "COLLAPSED_UNITS",
]


def main() -> None:
    raw = pd.read_csv(HERE / FILE, encoding="utf-8")
    assert raw[EMPTY_COLUMNS].isna().all().all()
    by_source: dict[str, dict[str, dict[str, int]]] = {}
    totals: dict[str, dict[str, int]] = {}
    rejects = []
    for i, row in raw.iterrows():
        counted = {c: row[c] for c in COLUMNS if pd.notna(row[c])}
        if not counted:
            tags = [c for c in NOT_DAMAGE if pd.notna(row[c])]
            rejects.append(
                {
                    "data_row": int(i) + 1,
                    "reference": row["REFERENCE"],
                    "why": f"no damage count: {', '.join(tags)} are ATC-20 safety tags",
                }
            )
            continue
        # building types (TAXONOMY) of one district and source are disjoint: they add up
        place = by_source.setdefault(row["REFERENCE"], {}).setdefault(row["NAME_2"], {})
        total = totals.setdefault(row["REFERENCE"], {})
        for column, value in counted.items():
            state = COLUMNS[column]["state"]
            place[state] = place.get(state, 0) + int(value)
            total[state] = total.get(state, 0) + int(value)
    expected = {
        "file": FILE,
        "kind": "table",
        "rows_read": len(raw),
        "rejects": rejects,
        "place_column": "NAME_2 (district; NAME_1 province is the parent)",
        "count_unit": "buildings",
        "count_unit_why": "UNIT_TYPES = Buildings",
        "source_column": "REFERENCE",
        "columns": COLUMNS,
        "not_damage_columns": NOT_DAMAGE,
        "empty_columns": EMPTY_COLUMNS,
        "by_source": by_source,
        "totals_by_source": totals,
    }
    text = json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    (HERE / "expected.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
