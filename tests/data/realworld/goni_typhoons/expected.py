"""Expected counts of goni_multi_typhoon_excerpt.csv per typhoon and municipality, from the
raw file with pandas (never with damage_data). Run ``python expected.py`` to rewrite
``expected.json``."""

import json
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
FILE = "goni_multi_typhoon_excerpt.csv"
COLUMNS = {
    "Completely damaged (abs.)": {"state": "destroyed", "why": "DSWD 'totally damaged' houses"},
    "Partly damaged (abs.)": {"state": "damaged", "why": "DSWD 'partially damaged' houses"},
}


def main() -> None:
    raw = pd.read_csv(HERE / FILE)
    parts = raw["Completely damaged (abs.)"] + raw["Partly damaged (abs.)"]
    assert (parts == raw["Total damaged houses (abs.)"]).all()
    assert not raw.duplicated(["disaster_name", "pcode"]).any()
    by_event: dict[str, dict[str, dict[str, int]]] = {}
    for _, row in raw.iterrows():
        place = by_event.setdefault(row["disaster_name"], {}).setdefault(row["pcode"], {})
        for column, meta in COLUMNS.items():
            if pd.notna(row[column]):
                place[meta["state"]] = place.get(meta["state"], 0) + int(row[column])
    expected = {
        "file": FILE,
        "rows_read": len(raw),
        "event_column": "disaster_name",
        "count_unit": "buildings",
        "columns": COLUMNS,
        "by_source": by_event,
    }
    text = json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    (HERE / "expected.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
