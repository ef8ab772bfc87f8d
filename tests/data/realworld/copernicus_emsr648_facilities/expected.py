"""Expected counts of an EMSR648 ``facilitiesA`` excerpt: graded features that are not buildings.

Every feature is ``obj_type`` "24-Other Civil Engineering Works" (sports grounds, parks): in
the EMS data model codes 1x are buildings and 2x civil engineering works. Their
``damage_gra`` is real, but they are no structures to count as damaged buildings.
"""

import json
from pathlib import Path

import geopandas as gpd

HERE = Path(__file__).parent
FILE = "EMSR648_AOI04_GRA_PRODUCT_facilitiesA_r1_v1_excerpt.json"


def main() -> None:
    raw = gpd.read_file(HERE / FILE)
    assert raw["obj_type"].str.startswith("2").all()
    expected = {
        "file": FILE,
        "kind": "Copernicus EMS 2018+ non-building layer",
        "rows_read": len(raw),
        "labels_seen": {k: int(v) for k, v in raw["damage_gra"].value_counts().items()},
        "building_totals": {},
        "why": "no feature is a building (obj_type 24-Other Civil Engineering Works); each is "
        "either rejected or kept as not_structure, never counted in a building state",
    }
    text = json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    (HERE / "expected.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
