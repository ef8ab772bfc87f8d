"""Expected counts of ungrd_layout_emergencias.csv per municipality, from the raw file with
pandas (never with damage_data): each row is one incident; a row repeating another cell for
cell is the same record listed twice (counted once). Run ``python expected.py`` to rewrite
``expected.json``."""

import json
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
FILE = "ungrd_layout_emergencias.csv"


def main() -> None:
    raw = pd.read_csv(HERE / FILE, dtype={"DIVIPOLA": str})
    once = raw.drop_duplicates()
    sums = once.groupby("DIVIPOLA")[["VIVIENDAS_DESTRUIDAS", "VIVIENDAS_AVERIADAS"]].sum()
    expected = {
        "file": FILE,
        "rows_read": len(raw),
        "rows_repeated": int(raw.duplicated().sum()),
        "event_column": "TIPO_DE_EVENTO",
        "by_place": {
            code: {
                "destroyed": int(r["VIVIENDAS_DESTRUIDAS"]),
                "damaged": int(r["VIVIENDAS_AVERIADAS"]),
            }
            for code, r in sums.iterrows()
        },
        # the latest row alone, what a reader taking the rows for a running total would give
        "latest_row_only": {
            code: int(g.sort_values("FECHA").iloc[-1]["VIVIENDAS_AVERIADAS"])
            for code, g in once.groupby("DIVIPOLA")
        },
    }
    text = json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    (HERE / "expected.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
