"""Expected counts of the Eaton Fire DINS summary (long table: label + count), with pandas.

``Points`` are inspected structures; ``Attachments`` are photos linked to them and count no
structures. Labels are CAL FIRE DINS damage classes, read through fema.csv.
"""

import json
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
FILE = "eaton_fire_dins_summary.csv"

LABELS = {
    "Destroyed (>50%)": {"state": "destroyed", "lossy": False, "why": "fema.csv Destroyed"},
    "Major (26-50%)": {"state": "severe", "lossy": False, "why": "fema.csv Major -> severe"},
    "Minor (10-25%)": {"state": "moderate", "lossy": False, "why": "fema.csv Minor -> moderate"},
    "Affected (1-9%)": {"state": "minor", "lossy": False, "why": "fema.csv Affected -> minor"},
    "Inaccessible": {
        "state": "unassessed",
        "lossy": False,
        "why": "fema.csv Inaccessible -> unassessed (never none)",
    },
    "No Damage": {"state": "none", "lossy": False, "why": "inspected, no damage"},
    "Total": {
        "state": "assessed",
        "lossy": False,
        "why": "the sum of the six class rows (checked below): structures inspected, a "
        "denominator; never added to the classes",
    },
}


def main() -> None:
    raw = pd.read_csv(HERE / FILE, thousands=",")
    classes = raw[raw["Damage category"] != "Total"]
    total = raw[raw["Damage category"] == "Total"]
    assert classes["Points"].sum() == total["Points"].iloc[0]
    totals: dict[str, int] = {}
    for _, row in raw.iterrows():
        state = LABELS[row["Damage category"]]["state"]
        totals[state] = totals.get(state, 0) + int(row["Points"])
    expected = {
        "file": FILE,
        "kind": "table (long: damage label + count)",
        "rows_read": len(raw),
        "rejects": [],
        "place_column": None,
        "place_note": "no place column: the whole table is the Eaton Fire (Altadena, CA)",
        "damage_column": "Damage category",
        "count_column": "Points",
        "count_unit": "structures",
        "count_unit_why": "DINS inspects structures (>= 120 sq ft); 'points' are inspections",
        "labels": LABELS,
        "ignored_columns": {"Attachments": "photos linked to the inspections, not structures"},
        "by_place": {"": totals},
        "totals": totals,
    }
    text = json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    (HERE / "expected.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
