"""Expected counts of the Ukraine SAR damage excerpt: none, since it counts pixels, not buildings.

``damg_sm`` is a (weighted) sum of damaged SAR pixels with fractions such as 8859.31,
``ttl_px_`` built-up pixels, ``dmg_pct`` a percentage, ``dmg_cat`` a low/mid/high class and
``VIINA_c`` conflict events. The table is keyed by OCHA COD-AB p-codes (ADM3_PC).
"""

import json
from pathlib import Path

import pandas as pd
import pyogrio

HERE = Path(__file__).parent
FILE = "ukr_adm3_damage_excerpt.dbf"


def main() -> None:
    raw = pyogrio.read_dataframe(HERE / FILE, read_geometry=False)
    fractional = raw["damg_sm"] % 1 != 0
    assert fractional.any()
    expected = {
        "file": FILE,
        "kind": "COD-AB-coded impact table (no structure counts)",
        "rows_read": len(raw),
        "p_codes": sorted(raw["ADM3_PC"]),
        "building_totals": {},
        "ignored_columns": {
            "damg_sm": "sum of damaged SAR pixels (fractional in "
            f"{int(fractional.sum())} of {len(raw)} rows), not buildings",
            "ttl_px_": "built-up pixels",
            "dmg_pct": "percent of built-up area",
            "dmg_cat": "low / mid / high class of dmg_pct, no damage state",
            "VIINA_c": "conflict events",
            "evnts_2": "events per km2",
        },
        "dmg_cat_seen": {k: int(v) for k, v in pd.Series(raw["dmg_cat"]).value_counts().items()},
    }
    text = json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    (HERE / "expected.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
