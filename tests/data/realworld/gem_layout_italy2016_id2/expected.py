"""Expected counts of our own table in the GEM GEID Italy 2016 ``Impact_Buildings_ID_2`` layout.

Numbers are invented; the two groups of columns are the layout's: Copernicus-EMS-style
grading per village (``No damage`` ... ``Completely``) and EMS-98 grades ``D0``-``D5`` per
village and building type. ``REFERENCE`` splits sources, which are never added.
"""

import json
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
FILE = "own_numbers_geid_layout_level2.csv"

COLUMNS = {
    "No damage": {"state": "none", "lossy": False, "why": "CEMS grading: no damage"},
    "Negligible to slight": {
        "state": "minor",
        "lossy": False,
        "why": "copernicus_ems_legacy.csv 'Negligible to slight damage' -> minor",
    },
    "Moderately": {
        "state": "moderate",
        "lossy": False,
        "why": "copernicus_ems_legacy.csv 'Moderately Damaged' -> moderate",
    },
    "Highly": {
        "state": "severe",
        "lossy": False,
        "why": "copernicus_ems_legacy.csv 'Highly Damaged' -> severe",
    },
    "Completely": {
        "state": "destroyed",
        "lossy": False,
        "why": "copernicus_ems_legacy.csv 'Completely Destroyed' -> destroyed",
    },
    "D0": {"state": "none", "lossy": False, "why": "EMS-98 grade 0 (ems98.csv G0 -> none)"},
    "D1": {"state": "minor", "lossy": False, "why": "ems98.csv G1 -> minor"},
    "D2": {"state": "moderate", "lossy": False, "why": "ems98.csv G2 -> moderate"},
    "D3": {"state": "severe", "lossy": True, "why": "ems98.csv G3 -> severe (lossy)"},
    "D4": {"state": "severe", "lossy": True, "why": "ems98.csv G4 -> severe (lossy)"},
    "D5": {"state": "destroyed", "lossy": False, "why": "ems98.csv G5 -> destroyed"},
    "TOTAL": {
        "state": "assessed",
        "lossy": False,
        "why": "equals the sum of the row's graded columns in every row (checked below): "
        "buildings assessed, a denominator",
    },
}
GRADED = [c for c in COLUMNS if c != "TOTAL"]


def main() -> None:
    raw = pd.read_csv(HERE / FILE, encoding="utf-8-sig")
    assert (raw[GRADED].sum(axis=1) == raw["TOTAL"]).all()
    by_source: dict[str, dict[str, dict[str, int]]] = {}
    totals: dict[str, dict[str, int]] = {}
    for _, row in raw.iterrows():
        # building types (TAXONOMY) of one village are disjoint sets: they add up
        place = by_source.setdefault(row["REFERENCE"], {}).setdefault(row["NAME_2"].strip(), {})
        total = totals.setdefault(row["REFERENCE"], {})
        for column, meta in COLUMNS.items():
            if pd.notna(row[column]):
                place[meta["state"]] = place.get(meta["state"], 0) + int(row[column])
                total[meta["state"]] = total.get(meta["state"], 0) + int(row[column])
    expected = {
        "file": FILE,
        "kind": "table",
        "rows_read": len(raw),
        "rejects": [],
        "place_column": "NAME_2 (villages; compare with surrounding spaces stripped)",
        "count_unit": "buildings",
        "count_unit_why": "UNIT_TYPES = Buildings",
        "source_column": "REFERENCE",
        "note": "LATITUDE/LONGITUDE are village points: rows are counts, not structures",
        "columns": COLUMNS,
        "ignored_columns": {
            "LATITUDE": "village location",
            "LONGITUDE": "village location (Amatrice's 3.289437 is the real file's typo)",
            "TAXONOMY": "building type of the row (structure), not a damage state",
        },
        "by_source": by_source,
        "totals_by_source": totals,
    }
    text = json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    (HERE / "expected.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
