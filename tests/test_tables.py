"""Table contracts: dtypes, defaults and validate() reporting every failure at once."""

from __future__ import annotations

import pandas as pd
import pytest

from damage_data._errors import UnknownLabelError, ValidationError
from damage_data.example import example_figures, example_sources
from damage_data.tables import COLUMNS, empty, flags_of, join_flags, make_figures, validate


def test_make_figures_fills_defaults_and_types() -> None:
    f = make_figures([{"source_id": "s", "damage": "destroyed", "count": 3}])
    assert list(f.columns) == list(COLUMNS["figures"])
    row = f.iloc[0]
    assert row["structure"] == "any" and row["qualifier"] == "exact"
    assert row["status"] == "accepted" and row["count_min"] == 3 and row["count_max"] == 3
    assert str(f["damage"].dtype) == "category" and str(f["count"].dtype) == "Int64"
    assert row["figure_id"].startswith("f")


def test_unknown_category_is_named() -> None:
    with pytest.raises(UnknownLabelError, match=r"'smashed'.*destroyed"):
        make_figures([{"source_id": "s", "damage": "smashed", "count": 1}])


def test_validate_reports_every_failure_at_once() -> None:
    f = make_figures(
        [
            {"figure_id": "a", "source_id": "s", "damage": "damaged", "count": 5},
            {"figure_id": "b", "source_id": "s", "damage": "damaged", "count": 9, "subset_of": "a"},
            {"figure_id": "c", "source_id": "s", "damage": "damaged", "count": -1},
            {"figure_id": "d", "source_id": "s", "damage": "damaged", "count": 2, "same_as": "zz"},
        ]
    )
    failures = validate(f, raise_on_error=False)
    reasons = set(failures["reason"])
    assert "count below zero" in reasons
    assert any("subset larger than its parent" in r for r in reasons)
    assert "refers to no figure_id in the table" in reasons
    assert set(failures.columns) == {"row", "column", "value", "reason"}
    with pytest.raises(ValidationError) as err:
        validate(f)
    assert len(err.value.failure_cases) == len(failures)
    assert "row 2, column count, value -1" in str(err.value)


def test_duplicate_ids_and_missing_columns() -> None:
    f = make_figures([{"figure_id": "a", "source_id": "s", "damage": "damaged", "count": 1}] * 2)
    assert "duplicate id" in set(validate(f, raise_on_error=False)["reason"])
    bare = pd.DataFrame({"figure_id": ["x"]})
    assert "column missing" in set(validate(bare, raise_on_error=False)["reason"])


def test_empty_tables_validate() -> None:
    for name in COLUMNS:
        assert validate(empty(name), name, raise_on_error=False).empty


def test_bundled_example_is_valid() -> None:
    assert validate(example_figures(), raise_on_error=False).empty
    assert validate(example_sources(), "sources", raise_on_error=False).empty


def test_example_carries_no_copied_text() -> None:
    # evidence is our own paraphrase, marked as such
    assert example_figures()["evidence"].str.startswith("paraphrase:").all()


def test_flags_round_trip() -> None:
    assert flags_of(join_flags(["a", "b", "a", ""])) == ["a", "b"]
    assert flags_of(pd.NA) == []
