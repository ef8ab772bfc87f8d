"""The damage scale, crosswalks and structure types."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from damage_data._errors import UnknownLabelError, UsageError
from damage_data.vocab import (
    DAMAGE_GROUPS,
    DAMAGE_STATES,
    classify_damage,
    classify_structure,
    damage_crosswalk,
    damage_group,
    damage_schemes,
    known_damage_labels,
)

REFERENCE_ROWS = [  # REFERENCE.md §2, one label per scheme and canonical state
    ("unosat", "1", "destroyed"),
    ("unosat", "8", "destroyed"),
    ("unosat", "2", "severe"),
    ("unosat", "3", "moderate"),
    ("unosat", "4", "possible"),
    ("unosat", "11", "possible"),
    ("unosat", "6", "none"),
    ("unosat", "13", "damaged"),
    ("unosat", "5", "not_structure"),
    ("unosat", "10", "not_structure"),
    ("copernicus_ems", "Possibly damaged", "possible"),
    ("copernicus_ems", "Damaged", "damaged"),
    ("copernicus_ems", "Not Applicable", "unassessed"),
    ("copernicus_ems_legacy", "Highly Damaged", "severe"),
    ("copernicus_ems_legacy", "Negligible to slight damage", "minor"),
    ("copernicus_ems_legacy", "Not Affected", "none"),
    ("xbd", "major-damage", "severe"),
    ("xbd", "un-classified", "unassessed"),
    ("ems98", "G4", "severe"),
    ("ems98", "5", "destroyed"),
    ("fema", "Minor", "moderate"),
    ("fema", "Inaccessible", "unassessed"),
    ("pdna", "partially damaged", "damaged"),
    ("press", "yerlə-yeksan", "destroyed"),
    ("press", "частично разрушены", "damaged"),
    ("press", "inspected", "assessed"),
]


@pytest.mark.parametrize(("scheme", "label", "expected"), REFERENCE_ROWS)
def test_crosswalk_rows_follow_the_reference(scheme: str, label: str, expected: str) -> None:
    assert classify_damage([label], scheme=scheme).tolist() == [expected]


def test_every_crosswalk_maps_only_to_canonical_states() -> None:
    for scheme in damage_schemes():
        table = damage_crosswalk(scheme)
        assert set(table["damage"]) <= set(DAMAGE_STATES), scheme
        assert {"label", "damage", "lossy", "note"} <= set(table.columns)


def test_unosat_codes_accept_numbers_and_strings() -> None:
    out = classify_damage(pd.Series([1, "1", "1.0", 6.0, None]), scheme="unosat")
    assert out.tolist()[:4] == ["destroyed", "destroyed", "destroyed", "none"]
    assert pd.isna(out.iloc[4])


def test_unknown_label_names_it_and_lists_known_ones() -> None:
    with pytest.raises(UnknownLabelError) as err:
        classify_damage(["Slightly wobbly"], scheme="copernicus_ems")
    message = str(err.value)
    assert "'Slightly wobbly'" in message
    for known in known_damage_labels("copernicus_ems"):
        assert known in message
    assert isinstance(err.value, LookupError)


def test_auto_refuses_labels_whose_meaning_depends_on_the_scheme() -> None:
    # "1" is Destroyed for UNOSAT but grade 1 (slight) for EMS-98
    with pytest.raises(UnknownLabelError, match="different states"):
        classify_damage(["1"], scheme="auto")
    assert classify_damage(["Completely Destroyed"], scheme="auto").tolist() == ["destroyed"]


def test_unknown_scheme_lists_schemes() -> None:
    with pytest.raises(UsageError, match="unosat"):
        classify_damage(["1"], scheme="nope")


def test_schwa_lookalike_is_folded() -> None:
    # U+01DD written for U+0259 in real sources
    assert classify_damage(["ziyan d\u01ddyib"], scheme="press").tolist() == ["damaged"]


def test_structure_crosswalk() -> None:
    out = classify_structure(["house", "11-Residential Buildings", "Warehouse", None, "mosque"])
    assert out.tolist() == ["residential", "residential", "industrial", "any", "religious"]
    with pytest.raises(UnknownLabelError, match="spaceship"):
        classify_structure(["spaceship"])
    assert classify_structure(["spaceship"], unknown="other").tolist() == ["other"]


@given(st.sampled_from(DAMAGE_STATES))
def test_destroyed_and_damaged_groups_never_overlap(state: str) -> None:
    groups = [g for g, members in DAMAGE_GROUPS.items() if state in members]
    assert len(groups) <= 1
    assert damage_group(state) == (groups[0] if groups else None)
