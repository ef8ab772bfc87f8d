"""Expected counts of our own table in the GEM GEID ``Impact_Buildings_ID_1`` layout (Türkiye 2023).

Numbers are invented; the columns are the GEM layout's, read with GEID_metadata.md (GEM) and
the crosswalks (ems98.csv, press.csv). Run ``python expected.py`` to rewrite expected.json.
"""

import json
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
FILE = "own_numbers_geid_layout_level1.csv"

COLUMNS = {
    "NO_DAMAGE": {"state": "none", "lossy": False, "why": "no damage (EMS-98 grade 0)"},
    "LIGHT_DAMAGE": {
        "state": "minor",
        "lossy": False,
        "why": "light = EMS-98 G1 'negligible to slight' (ems98.csv G1 -> minor)",
    },
    "MODERATE_DAMAGE": {
        "state": "moderate",
        "lossy": False,
        "why": "EMS-98 G2 'moderate damage' (ems98.csv -> moderate)",
    },
    "SEVERE_DAMAGE": {
        "state": "severe",
        "lossy": True,
        "why": "EMS-98 G3 'substantial to heavy' (ems98.csv G3 -> severe, lossy)",
    },
    "PARTIAL_COLLAPSE": {
        "state": "severe",
        "lossy": True,
        "why": "partial structural failure is EMS-98 G4 'very heavy damage' (ems98.csv G4 -> "
        "severe, lossy: G3 and G4 merge); not destroyed (G5 is total or near-total collapse)",
    },
    "COLLAPSED_UNITS": {
        "state": "destroyed",
        "lossy": False,
        "why": "collapsed = EMS-98 G5 'destruction' (ems98.csv G5, press.csv 'collapsed' -> "
        "destroyed); counted in the table's own unit, UNIT_TYPES = Buildings",
    },
    "AFFECTED_UNITS": {
        "state": "assessed",
        "lossy": False,
        "why": "equals NO_DAMAGE + ... + COLLAPSED_UNITS in every row (checked below): the "
        "buildings assessed, a denominator, not damage",
    },
}
EMPTY_COLUMNS = {
    "DAMAGED_UNITS": "damaged (GEID: any damage short of destroyed); empty in every row",
    "DS1_SLIGHT": "minor (GEID: EMS-98 G1); empty",
    "DS2_MODERATE": "moderate (G2); empty",
    "DS3_EXTENSIVE": "severe (G3, lossy); empty",
    "DS4_COMPLETE": "severe (G4, lossy); empty",
}
GRADED = [c for c in COLUMNS if c != "AFFECTED_UNITS"]


def main() -> None:
    raw = pd.read_csv(HERE / FILE, encoding="utf-8")
    assert (raw[GRADED].sum(axis=1, min_count=1) == raw["AFFECTED_UNITS"]).all()
    assert set(raw["UNIT_TYPES"]) == {"Buildings"}
    by_place: dict[str, dict[str, int]] = {}
    for _, row in raw.iterrows():
        place = by_place.setdefault(row["NAME_1"], {})
        for column, meta in COLUMNS.items():
            if pd.notna(row[column]):  # a blank cell is "not stated", not zero
                place[meta["state"]] = place.get(meta["state"], 0) + int(row[column])
    totals: dict[str, int] = {}
    for place in by_place.values():
        for state, n in place.items():
            totals[state] = totals.get(state, 0) + n
    expected = {
        "file": FILE,
        "kind": "table",
        "rows_read": len(raw),
        "rejects": [],
        "place_column": "NAME_1",
        "code_column": "ID_1 (ISO 3166-2)",
        "count_unit": "buildings",
        "count_unit_why": "UNIT_TYPES = Buildings in every row: the table's own statement beats "
        "the '_UNITS' suffix (DESIGN §4 rule 9)",
        "source_column": "REFERENCE (one value)",
        "columns": COLUMNS,
        "empty_columns": EMPTY_COLUMNS,
        "ignored_columns": {"OCCUPANCY": "All", "CAUSE_OF_DAMAGE": "empty"},
        "by_place": by_place,
        "totals": totals,
    }
    text = json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    (HERE / "expected.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
