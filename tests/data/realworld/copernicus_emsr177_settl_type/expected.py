"""Expected values for emsr177_settlements_excerpt.shp, computed with plain pandas from the
file (not from damage_data). Run from this folder: python expected.py > expected.json"""

import json

import geopandas as gpd

frame = gpd.read_file("emsr177_settlements_excerpt.shp")
# the Copernicus legacy grading scale, by hand (REFERENCE.md)
grading = {
    "Completely Destroyed": "destroyed",
    "Highly Damaged": "severe",
    "Moderately Damaged": "moderate",
    "Negligible to slight damage": "minor",
    "Not Affected": "none",
}
# the uses at stake, by hand: schools are education, hospitals health; a building of several
# uses is none of the single classes
uses = {"Educational": "education", "Medical": "health", "Multi-functional": "other"}
print(
    json.dumps(
        {
            "file": "emsr177_settlements_excerpt.shp",
            "rows_read": len(frame),
            "totals": frame["grading"].map(grading).value_counts().to_dict(),
            "structure_counts_at_stake": frame["settl_type"]
            .map(uses)
            .dropna()
            .value_counts()
            .to_dict(),
        },
        indent=1,
        sort_keys=True,
    )
)
