"""Tests of the press-reader harness (damage_data.text.evaluate) and the scores it gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from damage_data._errors import InputError
from damage_data.text.evaluate import (
    VARIANTS,
    evaluate_cases,
    main,
    read_cases,
    report,
    score_case,
)

OWN = Path(__file__).parent / "data" / "text" / "cases.jsonl"
HOLDOUTS = [
    Path(__file__).parent / "data" / "text" / name
    for name in ("holdout.jsonl", "holdout2.jsonl", "holdout3.jsonl", "holdout4.jsonl")
]
TEXT_DEV = Path(__file__).resolve().parents[1].parent / "shared" / "text_dev" / "cases.jsonl"


def _check_scores(scores: dict) -> None:
    overall = scores["overall"]["count+damage"]
    assert overall.precision is not None and overall.precision >= 0.9, report(scores, verbose=True)
    assert overall.recall is not None and overall.recall >= 0.8, report(scores, verbose=True)


def test_own_set_is_large_and_multilingual() -> None:
    cases = read_cases([OWN])
    assert len(cases) >= 40
    langs = {c["language"] for c in cases}
    assert {"en", "az", "ru", "uk", "tr", "de"} <= langs


def test_own_set_scores() -> None:
    scores = evaluate_cases(read_cases([OWN]))
    _check_scores(scores)
    for lang in ("en", "az"):  # the first-class languages, one by one
        t = scores["by_language"][lang]["count+damage"]
        assert t.precision >= 0.9 and t.recall >= 0.8, lang


@pytest.mark.parametrize("path", HOLDOUTS, ids=lambda p: p.name)
def test_holdout_set_scores(path: Path) -> None:
    _check_scores(evaluate_cases(read_cases([path])))


def test_holdout3_is_large_varied_and_multilingual() -> None:
    cases = read_cases([HOLDOUTS[2]])
    assert len(cases) >= 30
    assert {"en", "az", "ru", "uk", "tr", "de"} <= {c["language"] for c in cases}
    negatives = [n["why"] for c in cases for n in c["negatives"]]
    assert len(negatives) >= 20  # people, shells, vehicles, dates, storeys, ages, money, repairs


def test_text_dev_scores() -> None:
    if not TEXT_DEV.exists():
        pytest.skip(f"{TEXT_DEV} is not available (../shared is optional)")
    _check_scores(evaluate_cases(read_cases([TEXT_DEV])))


def test_main_prints_every_variant_and_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(OWN)]) == 0
    out = capsys.readouterr().out
    for variant in VARIANTS:
        assert variant in out
    for lang in ("lang=en", "lang=az", "lang=ru", "lang=uk", "lang=tr", "lang=de", "inspected"):
        assert lang in out


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "not JSON"),
        ('{"id": "x", "text": "abc"}', "lacks expected"),
        (
            '{"id": "x", "text": "abc", "expected": [{"count": 1, "damage": "ruined", '
            '"evidence": "abc"}]}',
            "unknown damage label",
        ),
        (
            '{"id": "x", "text": "abc", "expected": [{"count": 1, "damage": "destroyed", '
            '"evidence": "xyz"}]}',
            "not a substring",
        ),
        (
            '{"id": "x", "text": "abc", "expected": [{"count": 1, "damage": "destroyed", '
            '"evidence": "abc", "subset_of": 5}]}',
            "not the index",
        ),
    ],
)
def test_malformed_case_files_fail(
    tmp_path: Path, line: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_cases([path])
    assert main([str(path)]) == 3
    assert "bad.jsonl, line 1" in capsys.readouterr().err


def _case(**extra: object) -> dict:
    text = "So far 133 houses were destroyed, 17 civilians were killed and 12 cars burned."
    case = {
        "id": "t",
        "language": "en",
        "text": text,
        "expected": [
            {
                "place": "Tartar",
                "count": 133,
                "damage": "destroyed",
                "structure": "house",
                "evidence": "133 houses were destroyed",
            }
        ],
        "negatives": [],
        "duplicates": [],
    }
    case.update(extra)
    return case


def _pred(count: int | None, damage: str, evidence: str, text: str, **extra: object) -> dict:
    start = text.index(evidence)
    row = {
        "count": count,
        "damage": damage,
        "evidence": evidence,
        "start": start,
        "end": start + len(evidence),
        "place_text": "Tartar",
        "unit_code": "AZ-TAR",
        "structure": "residential",
        "qualifier": "exact",
    }
    row.update(extra)
    return row


def test_scoring_protocol_matches_count_and_core_state() -> None:
    case = _case()
    text = case["text"]
    good = _pred(133, "destroyed", "133 houses were destroyed", text)
    wrong_state = _pred(133, "damaged", "133 houses were destroyed", text)
    res = score_case(case, [good], {})
    assert (res.tallies["count+damage"].tp, res.tallies["count+damage"].fp) == (1, 0)
    res = score_case(case, [wrong_state], {})
    assert (res.tallies["count+damage"].tp, res.tallies["count+damage"].fp) == (0, 1)
    assert res.tallies["count+damage"].recall == 0.0
    res = score_case(case, [{**good, "structure": "education"}], {})
    assert res.tallies["+structure"].tp == 0 and res.tallies["count+damage"].tp == 1
    res = score_case(case, [{**good, "place_text": "Ganja", "unit_code": "AZ-GA"}], {})
    assert res.tallies["+place"].tp == 0


def test_negatives_are_false_positives_and_optional_counts_neither_way() -> None:
    case = _case(negatives=[{"span": "17 civilians", "why": "casualties"}])
    text = case["text"]
    trap = _pred(17, "destroyed", "17 civilians", text)
    res = score_case(case, [_pred(133, "destroyed", "133 houses were destroyed", text), trap], {})
    assert res.tallies["count+damage"].fp == 1
    optional = _case()
    optional["expected"].append(
        {
            "place": "Tartar",
            "count": 12,
            "damage": "destroyed",
            "structure": "building",
            "evidence": "12 cars burned",
            "optional": True,
        }
    )
    res = score_case(optional, [_pred(12, "destroyed", "12 cars burned", text)], {})
    assert (res.tallies["count+damage"].tp, res.tallies["count+damage"].fp) == (0, 0)
    assert res.tallies["count+damage"].gold == 1


def test_vague_prediction_matches_vague_gold_without_count() -> None:
    text = "Dozens of houses were destroyed."
    case = {
        "id": "v",
        "text": text,
        "expected": [
            {
                "count": None,
                "qualifier": "vague",
                "damage": "destroyed",
                "evidence": "Dozens of houses",
                "optional": True,
            }
        ],
    }
    pred = {
        "count": 12,
        "qualifier": "vague",
        "damage": "destroyed",
        "evidence": "Dozens of houses",
        "start": 0,
        "end": 16,
    }
    res = score_case(case, [pred], {})
    assert (res.tallies["count+damage"].tp, res.tallies["count+damage"].fp) == (0, 0)


def test_case_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(_case()) + "\n", encoding="utf-8")
    scores = evaluate_cases(read_cases([path]))
    assert scores["overall"]["count+damage"].recall == 1.0
