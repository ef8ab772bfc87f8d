"""Expected counts of the R export (dotted headers), from the raw file with pandas.

Same source and meaning as ph_haiyan_dswd_municipal, written by R's ``write.csv``: headers
mangled (``Completely.damaged..abs..``), every text cell quoted, three model columns added.
"""

import json
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
FILE = "training_db_residuals_haiyan_excerpt.csv"

COLUMNS = {
    "Completely.damaged..abs..": {
        "state": "destroyed",
        "lossy": False,
        "why": "R-mangled 'Completely damaged (abs.)': DSWD totally damaged houses; pdna.csv "
        "'completely destroyed' -> destroyed",
    },
    "Partly.damaged..abs..": {
        "state": "damaged",
        "lossy": True,
        "why": "R-mangled 'Partly damaged (abs.)'; pdna.csv 'partially damaged' -> damaged",
    },
}
IGNORED = {
    "Total.damaged.houses..abs..": "sum of the two parts in every row: a restatement, not an "
    "addend",
    "total_damage_houses_0p25weight": "weighted index, not a count",
    "Partly.damaged..rel..": "percent",
    "Completely.damaged..rel..": "percent",
    "Total.damaged.houses..rel..": "percent",
    "total_damage_houses_0p25weight_perc": "percent",
    "ratio_comp_part": "ratio",
    "Total...of.houses": "housing stock, a denominator of exposure",
    "Prop.Completely.Damaged": "proportion (0-1), not a count",
    "Prop.Damaged": "proportion (0-1), not a count",
    "td.residual": "model residual",
    "other numeric columns": "hazard and socio-economic covariates",
}


def main() -> None:
    raw = pd.read_csv(HERE / FILE)
    assert (
        raw["Completely.damaged..abs.."] + raw["Partly.damaged..abs.."]
        == raw["Total.damaged.houses..abs.."]
    ).all()
    by_place: dict[str, dict[str, int]] = {}
    for _, row in raw.iterrows():
        place = by_place.setdefault(str(row["pcode"]), {})
        for column, meta in COLUMNS.items():
            place[meta["state"]] = place.get(meta["state"], 0) + int(row[column])
    expected = {
        "file": FILE,
        "kind": "table",
        "rows_read": len(raw),
        "rejects": [],
        "place_column": "pcode",
        "count_unit": "buildings",
        "count_unit_why": "houses, as in the DSWD source table",
        "source_column": None,
        "columns": COLUMNS,
        "ignored_columns": IGNORED,
        "by_place": by_place,
        "totals": {m["state"]: int(raw[c].sum()) for c, m in COLUMNS.items()},
    }
    text = json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    (HERE / "expected.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
