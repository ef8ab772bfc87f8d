"""Expected counts of the Todiano grading attribute table shared without its geometry.

One row per building polygon (``subtype`` AL015 - Building) of the legacy (2016) Copernicus
EMS data model; ``grading`` read through copernicus_ems_legacy.csv. Without geometry the
buildings cannot be assigned to units, but they can be counted by state.
"""

import json
from pathlib import Path

import pyogrio

HERE = Path(__file__).parent
FILE = "EMSR190_07TODIANO_02GRADING_v2_12500_settlements_poly_grading_excerpt.dbf"

LABELS = {
    "Not Affected": {"state": "none", "lossy": False, "why": "copernicus_ems_legacy.csv"},
    "Negligible to slight damage": {
        "state": "minor",
        "lossy": False,
        "why": "copernicus_ems_legacy.csv",
    },
    "Moderately Damaged": {"state": "moderate", "lossy": False, "why": "copernicus_ems_legacy"},
    "Highly Damaged": {"state": "severe", "lossy": False, "why": "copernicus_ems_legacy.csv"},
    "Completely Destroyed": {
        "state": "destroyed",
        "lossy": False,
        "why": "copernicus_ems_legacy.csv",
    },
}


def main() -> None:
    # latin-1 DBF without a .cpg, as distributed
    raw = pyogrio.read_dataframe(HERE / FILE, read_geometry=False, encoding="latin1")
    assert (raw["subtype"] == "AL015 - Building").all()
    states = raw["grading"].map(lambda v: LABELS[v]["state"])
    totals = {k: int(v) for k, v in states.value_counts().items()}
    expected = {
        "file": FILE,
        "kind": "per-building attribute table without geometry (legacy Copernicus EMS)",
        "rows_read": len(raw),
        "rejects": [],
        "damage_column": "grading",
        "place_column": None,
        "place_note": "nam is 'Unk' or a building name; admin_lev is 'Unknown'",
        "count_unit": "structures",
        "labels": LABELS,
        "residential_for_information": int((raw["settl_type"] == "Residential").sum()),
        "by_place": {"": totals},
        "totals": totals,
    }
    text = json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    (HERE / "expected.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
