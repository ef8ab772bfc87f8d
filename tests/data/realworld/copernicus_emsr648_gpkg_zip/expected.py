"""Expected counts of the EMSR648 AOI08 grading product packed as a GeoPackage in a zip.

Only ``builtUpP`` holds buildings; ``areaOfInterestA`` is the mapped extent. Labels are the
2018+ Copernicus EMS ``damage_gra`` values, read through copernicus_ems.csv.
"""

import json
from pathlib import Path

import geopandas as gpd

HERE = Path(__file__).parent
FILE = "EMSR648_AOI08_GRA_PRODUCT_r1_v1_gpkg.zip"
GPKG = "EMSR648_AOI08_GRA_PRODUCT_r1_v1.gpkg"
LAYER = "EMSR648_AOI08_GRA_PRODUCT_builtUpP_r1_v1"

LABELS = {
    "No visible damage": {"state": "none", "lossy": False, "why": "copernicus_ems.csv"},
    "Possibly damaged": {"state": "possible", "lossy": False, "why": "copernicus_ems.csv"},
    "Damaged": {
        "state": "damaged",
        "lossy": True,
        "why": "copernicus_ems.csv: spans EMS-98 G2-G4, severity lost",
    },
    "Destroyed": {"state": "destroyed", "lossy": False, "why": "copernicus_ems.csv"},
}


def main() -> None:
    raw = gpd.read_file(f"zip://{HERE / FILE}!{GPKG}", layer=LAYER)
    states = raw["damage_gra"].map(lambda v: LABELS[v]["state"])
    totals = {k: int(v) for k, v in states.value_counts().items()}
    expected = {
        "file": FILE,
        "kind": "structures (Copernicus EMS 2018+ grading, GeoPackage in a zip)",
        "building_layer": LAYER,
        "other_layers": {
            "EMSR648_AOI08_GRA_PRODUCT_areaOfInterestA_r1_v1": "mapped extent, not structures"
        },
        "rows_read": len(raw),
        "rejects": [],
        "damage_column": "damage_gra",
        "count_unit": "structures",
        "labels": LABELS,
        "residential_for_information": int((raw["obj_type"] == "11-Residential Buildings").sum()),
        "by_place": {"": totals},
        "totals": totals,
    }
    text = json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    (HERE / "expected.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
