"""Expected house counts of disasters_summary_provinces.csv per province, from the raw file
with pandas (never with damage_data). Run ``python expected.py`` to rewrite ``expected.json``."""

import json
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
FILE = "disasters_summary_provinces.csv"
COLUMNS = {
    "damaged_houses_full": {"state": "destroyed", "why": "OCD 'totally damaged' houses"},
    "damaged_houses_partial": {"state": "damaged", "why": "OCD 'partially damaged' houses"},
}


def main() -> None:
    raw = pd.read_csv(HERE / FILE)
    by_place: dict[str, dict[str, int]] = {}
    for _, row in raw.iterrows():
        place = by_place.setdefault(str(row["province"]).strip(), {})
        for column, meta in COLUMNS.items():
            if pd.notna(row[column]):
                place[meta["state"]] = place.get(meta["state"], 0) + int(row[column])
    expected = {
        "file": FILE,
        "kind": "table",
        "rows_read": len(raw),
        "rejects": [],
        "place_column": "province",
        "count_unit": "buildings",
        "columns": COLUMNS,
        "by_place": by_place,
        "totals": {m["state"]: int(raw[c].sum()) for c, m in COLUMNS.items()},
    }
    text = json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    (HERE / "expected.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
