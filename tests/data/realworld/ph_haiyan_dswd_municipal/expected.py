"""Expected counts of ph_haiyan2013_aklan_damaged_houses.csv, from the raw file with pandas.

Run ``python expected.py`` here to rewrite ``expected.json``. The column → state mapping is
decided by reading the crosswalks (data/vocab/crosswalks/pdna.csv) and the source's own words
(DSWD DROMIC "totally / partially damaged houses"), never by running the toolkit.
"""

import json
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
FILE = "ph_haiyan2013_aklan_damaged_houses.csv"

COLUMNS = {
    "Completely damaged (abs.)": {
        "state": "destroyed",
        "lossy": False,
        "why": "DSWD 'totally damaged' houses; pdna.csv: 'completely destroyed', "
        "'fully damaged' -> destroyed",
    },
    "Partly damaged (abs.)": {
        "state": "damaged",
        "lossy": True,
        "why": "DSWD 'partially damaged' houses; pdna.csv: 'partially damaged' -> damaged "
        "(lossy: severity not stated)",
    },
}
IGNORED = {
    "Total damaged houses (abs.)": "equals Completely + Partly in every row: a restatement of "
    "the two parts (DESIGN §4 rule 1), never an addend; at most a same_as figure",
    "total_damage_houses_0p25weight": "weighted index (completely + 0.25 x partly), not a count",
    "Partly damaged (rel.)": "percent of the municipality's houses, not a count",
    "Completely damaged (rel.)": "percent of the municipality's houses, not a count",
    "Total damaged houses (rel.)": "percent of the municipality's houses, not a count",
    "total_damage_houses_0p25weight_perc": "percent form of the weighted index",
    "ratio_comp_part": "ratio, not a count",
    "Total # of houses": "housing stock of the municipality (a denominator of exposure), not "
    "houses assessed",
    "Predicted damage class (1-5)": "model output, empty in these rows",
    "other numeric columns": "hazard and socio-economic covariates (wind speed, slope, "
    "population, poverty, ...)",
}


def main() -> None:
    raw = pd.read_csv(HERE / FILE)
    parts = raw["Completely damaged (abs.)"] + raw["Partly damaged (abs.)"]
    assert (parts == raw["Total damaged houses (abs.)"]).all()
    by_place: dict[str, dict[str, int]] = {}
    for _, row in raw.iterrows():
        place = by_place.setdefault(str(row["pcode"]), {})
        for column, meta in COLUMNS.items():
            if pd.notna(row[column]):
                place[meta["state"]] = place.get(meta["state"], 0) + int(row[column])
    totals = {m["state"]: int(raw[c].sum()) for c, m in COLUMNS.items()}
    expected = {
        "file": FILE,
        "kind": "table",
        "rows_read": len(raw),
        "rejects": [],
        "place_column": "pcode",
        "place_note": "OCHA COD-AB p-codes of Aklan municipalities (PH0604xx000); no name column",
        "count_unit": "buildings",
        "count_unit_why": "DSWD counts houses (one house = one building), not housing units "
        "or households",
        "source_column": None,
        "columns": COLUMNS,
        "ignored_columns": IGNORED,
        "by_place": by_place,
        "totals": totals,
    }
    text = json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    (HERE / "expected.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
