"""Property: whatever the rows hold, rows read = rows kept + rows rejected, and no traceback."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from damage_data._errors import InputError
from damage_data.readers import load

CELLS = st.one_of(
    st.integers(-50, 10_000).map(str),
    st.sampled_from(["", "1.234", "12,5", "n/a", "many", "3 000", "-", "7.0"]),
    st.text(alphabet="abcxyz ", max_size=5),
)
LABELS = st.sampled_from(
    [
        "destroyed",
        "damaged",
        "partially damaged",
        "wrecked",
        "",
        "none",
        "Completely Destroyed",
        "1",
    ]
)


def _balanced(result) -> bool:  # type: ignore[no-untyped-def]
    rep = result.report
    return (
        rep["rows_read"] == rep["rows_kept"] + rep["rows_rejected"]
        and rep["rows_rejected"] == result.rejects["locator"].nunique()
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(CELLS, CELLS), min_size=1, max_size=15))
def test_wide_tables_balance(rows: list[tuple[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["District", "Houses destroyed", "Houses damaged"])
    for i, (a, b) in enumerate(rows):
        writer.writerow([f"Place {i}", a, b])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.csv"
        path.write_text(buffer.getvalue())
        # the mapping names the count columns, so no row content can stop the read
        result = load(
            path,
            columns={
                "place": "District",
                "destroyed": "Houses destroyed",
                "damaged": "Houses damaged",
            },
        )
        assert _balanced(result)
        assert result.report["rows_read"] == len(rows)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            LABELS,
            st.one_of(
                st.none(),
                st.tuples(
                    st.floats(-200, 200, allow_nan=False), st.floats(-100, 100, allow_nan=False)
                ),
            ),
        ),
        min_size=1,
        max_size=15,
    )
)
def test_structure_geojson_balances(rows: list[tuple[str, tuple[float, float] | None]]) -> None:
    features = [
        {
            "type": "Feature",
            "properties": {"damage": label},
            "geometry": None if xy is None else {"type": "Point", "coordinates": list(xy)},
        }
        for label, xy in rows
    ]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.geojson"
        path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
        present = {label for label, _ in rows if label}
        if present and all(label.isdigit() for label in present):
            # bare numbers name no scale by themselves: the file is refused, not guessed
            with pytest.raises(InputError, match="only numbers"):
                load(path, kind="gis", columns={"damage": "damage"})
            return
        result = load(path, kind="gis", columns={"damage": "damage"})
        assert _balanced(result)
        assert result.report["rows_read"] == len(rows)
        kept = result.structures
        assert kept is not None and len(kept) == result.report["rows_kept"]
