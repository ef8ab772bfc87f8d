"""Expected counts of an EMSR648 ``transportationL`` excerpt: graded roads, not buildings.

``obj_type`` 211 (highways, streets and roads) is transport: damage to it is not_structure
(DESIGN §3: road damage is excluded from building counts). ``Not Analysed`` is a sentinel
no crosswalk knows yet; on a road it changes nothing.
"""

import json
from pathlib import Path

import geopandas as gpd

HERE = Path(__file__).parent
FILE = "EMSR648_AOI16_GRA_PRODUCT_transportationL_r1_v1_excerpt.json"


def main() -> None:
    raw = gpd.read_file(HERE / FILE)
    assert raw["obj_type"].str.startswith("21").all()
    expected = {
        "file": FILE,
        "kind": "Copernicus EMS 2018+ line layer (roads)",
        "rows_read": len(raw),
        "labels_seen": {k: int(v) for k, v in raw["damage_gra"].value_counts().items()},
        "building_totals": {},
        "why": "roads are not structures: rejected or not_structure, never a building state",
    }
    text = json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    (HERE / "expected.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
