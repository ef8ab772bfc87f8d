"""Issue 19 item 6: files that used to be misread with exit 0.

Expected dates and names are written by hand from the file the test builds.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from damage_data.readers import load


def _report(run: Any) -> dict[str, Any]:
    assert run.code in (0, 4), run.stderr
    report = json.loads(run.stdout)
    return report[0] if isinstance(report, list) else report


def test_day_first_dates_in_a_table(tmp_path: Path, cli: Callable[..., Any]) -> None:
    """``05/11/2020`` next to ``13/11/2020``: the column is day first, for both rows."""
    path = tmp_path / "dates.csv"
    path.write_text(
        "District,date,destroyed\nFuzuli,05/11/2020,3\nTartar,13/11/2020,4\n", encoding="utf-8"
    )
    figures = load(path).figures
    assert figures is not None
    as_of = dict(zip(figures["place_text"], figures["as_of"], strict=True))
    assert as_of == {"Fuzuli": pd.Timestamp("2020-11-05"), "Tartar": pd.Timestamp("2020-11-13")}
    assert _report(cli("validate", path, "--format", "json"))["date_order"] == "day first"


def test_undecided_dates_are_read_day_first_and_said(tmp_path: Path) -> None:
    """No day above 12: read the way most of the world writes, and the report says so."""
    path = tmp_path / "dates.csv"
    path.write_text(
        "District,date,destroyed\nFuzuli,05/11/2020,3\nTartar,06/11/2020,4\n", encoding="utf-8"
    )
    result = load(path)
    assert result.figures is not None
    assert sorted(result.figures["as_of"]) == [
        pd.Timestamp("2020-11-05"),
        pd.Timestamp("2020-11-06"),
    ]
    assert result.report["date_order"] == "day first"


def test_month_first_dates_in_a_table(tmp_path: Path) -> None:
    path = tmp_path / "dates.csv"
    path.write_text(
        "District,date,destroyed\nFuzuli,11/05/2020,3\nTartar,11/13/2020,4\n", encoding="utf-8"
    )
    result = load(path)
    assert result.figures is not None
    assert sorted(result.figures["as_of"]) == [
        pd.Timestamp("2020-11-05"),
        pd.Timestamp("2020-11-13"),
    ]
    assert result.report["date_order"] == "month first"


def test_hxl_in_cp1251(tmp_path: Path, cli: Callable[..., Any]) -> None:
    rows = [("Физули", 4), ("Тертер", 5), ("Агдам", 7), ("Барда", 2), ("Шуша", 1)]
    text = "Район,Разрушено\n#adm2+name,#affected+buildings+destroyed\n" + "".join(
        f"{n},{c}\n" for n, c in rows
    )
    path = tmp_path / "hxl.csv"
    path.write_bytes(text.encode("cp1251"))
    result = load(path)
    assert result.kind == "hxl"
    assert result.figures is not None
    assert list(result.figures["place_text"]) == [n for n, _ in rows]
    assert not any("\ufffd" in str(v) for v in result.figures["evidence"])
    report = _report(cli("validate", path, "--format", "json"))
    assert report["encoding"] == "cp1251"


def _structures(path: Path, dates: list[str]) -> Path:
    features = [
        {
            "type": "Feature",
            "properties": {"damage": "destroyed", "date": d},
            "geometry": {"type": "Point", "coordinates": [46.9 + i / 100, 39.6]},
        }
        for i, d in enumerate(dates)
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def test_unreadable_dates_of_structures_are_a_warning(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    path = _structures(tmp_path / "s.geojson", ["2020-11-05", "not a date", "31/02/2020", ""])
    report = _report(cli("validate", path, "--format", "json"))
    assert report["rows_read"] == 4 and report["rows_kept"] == 4  # the structures count
    warning = next(w for w in report["warnings"] if "cannot be read" in w)
    assert warning.startswith("2 structures") and "not a date" in warning


def test_day_first_dates_of_structures(tmp_path: Path) -> None:
    path = _structures(tmp_path / "s.geojson", ["05/11/2020", "13/11/2020"])
    result = load(path)
    assert result.structures is not None
    assert sorted(result.structures["assessed_on"]) == [
        pd.Timestamp("2020-11-05"),
        pd.Timestamp("2020-11-13"),
    ]
    assert result.report["date_order"] == "day first"


def test_contradictory_date_orders_in_a_table_are_a_warning(tmp_path: Path) -> None:
    """``13/11/2020`` (day first only) beside ``11/14/2020`` (month first only): no single
    order reads both, so the column is read day first where a value allows it, and the
    warning names both values (``05/11/2020`` may be wrong: the reader cannot know)."""
    path = tmp_path / "mixed.csv"
    path.write_text(
        "District,Reported,destroyed\nFuzuli,13/11/2020,3\nTartar,11/14/2020,4\n"
        "Aghdam,05/11/2020,5\n",
        encoding="utf-8",
    )
    result = load(path)
    warning = next(w for w in result.report["warnings"] if "contradictory" in w)
    assert "mixed.csv" in warning and "'Reported'" in warning
    assert "'13/11/2020'" in warning and "'11/14/2020'" in warning
    assert result.report["date_order"] == "day first"
    # no row is lost: 11/14/2020 has only one reading (14 November), 05/11 is read day first
    assert result.report["rows_kept"] == 3 and result.report["rows_rejected"] == 0
    assert result.figures is not None
    as_of = dict(zip(result.figures["place_text"], result.figures["as_of"], strict=True))
    assert as_of == {
        "Fuzuli": pd.Timestamp("2020-11-13"),
        "Tartar": pd.Timestamp("2020-11-14"),
        "Aghdam": pd.Timestamp("2020-11-05"),
    }


def test_one_date_order_in_a_table_is_no_warning(tmp_path: Path) -> None:
    path = tmp_path / "dates.csv"
    path.write_text(
        "District,date,destroyed\nFuzuli,13/11/2020,3\nTartar,14/11/2020,4\n", encoding="utf-8"
    )
    assert not any("contradictory" in w for w in load(path).report["warnings"])


def test_contradictory_date_orders_of_structures_are_a_warning(tmp_path: Path) -> None:
    path = _structures(tmp_path / "s.geojson", ["13/11/2020", "11/14/2020", "05/11/2020"])
    warning = next(w for w in load(path).report["warnings"] if "contradictory" in w)
    assert "s.geojson" in warning and "'date'" in warning
    assert "'13/11/2020'" in warning and "'11/14/2020'" in warning
