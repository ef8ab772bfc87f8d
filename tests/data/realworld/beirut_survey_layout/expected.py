"""Expected counts of our own survey sheet in the Open Map Lebanon layout, with geopandas.

``Status`` is the survey's workflow (Unknown / Pending / Assessed), ``House damage`` the
respondent's damage answer. Each answer with a location is one structure; structures are
assigned to our own zones, where several polygons share one ``ACS_CODE_1`` and form one unit.
"""

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

HERE = Path(__file__).parent
FILE = "oml_survey_sheet_layout.csv"
ZONES = "operational_zones_layout.geojson"

LABELS = {
    "Total destruction": {
        "state": "destroyed",
        "lossy": False,
        "why": "ems98.csv 'destruction' -> destroyed",
    },
    "Some damage": {
        "state": "damaged",
        "lossy": True,
        "why": "some damage of unstated severity (as press.csv 'damaged'): lossy",
    },
    "No": {"state": "none", "lossy": False, "why": "answer 'no' to 'House damage'"},
    "I don't know": {
        "state": "unassessed",
        "lossy": False,
        "why": "a house whose damage the respondent could not say: never none",
    },
}
REJECT_LABELS = {"I don't have a house in Beirut": "no house: nothing to count"}


def main() -> None:
    raw = pd.read_csv(HERE / FILE, keep_default_na=False, dtype=str)
    rejects = []
    kept = []
    for i, row in raw.iterrows():
        answer = row["House damage"]
        if not row["Lat"] or not row["Long"]:
            why = "no location: a structure needs coordinates"
        elif answer in REJECT_LABELS:
            why = REJECT_LABELS[answer]
        elif not answer:
            why = "no answer to 'House damage'"
        else:
            kept.append(i)
            continue
        rejects.append({"data_row": int(i) + 1, "id": row["OML UID"], "why": why})
    sites = raw.loc[kept]
    points = gpd.GeoDataFrame(
        sites.assign(state=sites["House damage"].map(lambda v: LABELS[v]["state"])),
        geometry=gpd.points_from_xy(sites["Long"].astype(float), sites["Lat"].astype(float)),
        crs="EPSG:4326",
    )
    zones = gpd.read_file(HERE / ZONES)
    # polygons sharing a code are one unit: a point inside any of them belongs to the code
    joined = gpd.sjoin(points, zones[["ACS_CODE_1", "geometry"]], predicate="within")
    assert joined.index.is_unique
    by_unit: dict[str, dict[str, int]] = {}
    for (code, state), n in joined.groupby(["ACS_CODE_1", "state"]).size().items():
        by_unit.setdefault(str(code), {})[state] = int(n)
    first_only = zones.drop_duplicates("ACS_CODE_1")
    inside_first = gpd.sjoin(points, first_only[["ACS_CODE_1", "geometry"]], predicate="within")
    expected = {
        "file": FILE,
        "units_file": ZONES,
        "units_code_column": "ACS_CODE_1",
        "units_name_column": "Cadaster_1",
        "kind": "structures (one survey answer with lat/long per row)",
        "rows_read": len(raw),
        "rejects": rejects,
        "damage_column": "House damage",
        "not_damage_columns": {"Status": "survey workflow: Unknown / Pending / Assessed"},
        "count_unit": "structures",
        "labels": LABELS,
        "reject_labels": REJECT_LABELS,
        "totals": {k: int(v) for k, v in points["state"].value_counts().items()},
        "by_unit": by_unit,
        "assigned": len(joined),
        "outside_units": len(points) - len(joined),
        "assigned_if_only_first_polygon_per_code": len(inside_first),
    }
    text = json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    (HERE / "expected.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
