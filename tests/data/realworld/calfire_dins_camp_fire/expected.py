"""Expected counts of the CAL FIRE DINS excerpt (one point per inspected structure), geopandas.

Labels are CAL FIRE DINS damage classes read through fema.csv; the file has no admin label,
so counts are totals of the excerpt.
"""

import json
from pathlib import Path

import geopandas as gpd

HERE = Path(__file__).parent
FILE = "camp_fire_dins_excerpt.geojson"

LABELS = {
    "No Damage": {"state": "none", "lossy": False, "why": "inspected, no damage"},
    "Affected (1-9%)": {"state": "minor", "lossy": False, "why": "fema.csv Affected -> minor"},
}
#: For information (not asserted): STRUCTURETYPE words and the structure type they name.
STRUCTURES = {
    "Residence": "residential",
    "Mobile Home": "residential",
    "Commercial Building": "commercial",
    "UtilityMiscStructure": "other",
}


def main() -> None:
    raw = gpd.read_file(HERE / FILE)
    states = raw["DAMAGE"].map(lambda v: LABELS[v]["state"])
    totals = {k: int(v) for k, v in states.value_counts().items()}
    kinds = raw["STRUCTURETYPE"].map(
        lambda v: next(s for word, s in STRUCTURES.items() if word in v)
    )
    expected = {
        "file": FILE,
        "kind": "structures (points)",
        "rows_read": len(raw),
        "rejects": [],
        "damage_column": "DAMAGE",
        "structure_column": "STRUCTURETYPE",
        "place_column": None,
        "count_unit": "structures",
        "labels": LABELS,
        "structure_counts_for_information": {k: int(v) for k, v in kinds.value_counts().items()},
        "by_place": {"": totals},
        "totals": totals,
    }
    text = json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    (HERE / "expected.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
