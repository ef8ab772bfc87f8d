"""The text reader on hostile input: absurd numbers, very long texts, a size limit."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from damage_data._errors import InputError, LimitExceededError
from damage_data.limits import Limits
from damage_data.tables import validate
from damage_data.text import figures_from_file, figures_from_text

CASES = Path(__file__).parent / "data" / "text" / "cases.jsonl"


@pytest.mark.parametrize(
    "number",
    [
        "9" * 310,  # past the float range: read as infinity
        "9" * 5000,  # past Python's limit on converting digits to int
        "1," + "0" * 400,
        "9" * 305 + " million",
        "5 million " + "9" * 5000,  # the rest after a multiplier
        "five thousand " + "9" * 5000,  # the rest after a number word
        "between 3 and " + "9" * 400,
        "12²",  # a superscript is a digit to isdigit() but not to int()
        "5 тысяч 9²",
    ],
)
def test_an_absurd_number_goes_to_review_without_a_count(number: str) -> None:
    text = f"In Tartar district, {number} houses were destroyed."
    f = figures_from_text(text, published="2020-11-01")
    assert len(f) == 1
    assert f["count"].isna().all()
    assert (f["status"] == "needs_review").all()
    assert validate(f, raise_on_error=False).empty


@pytest.mark.parametrize(
    "date", ["On " + "1" * 5000 + " October", "On ²³ October", "On 3 October " + "2" * 5000]
)
def test_an_absurd_day_or_year_is_no_date_and_the_figure_stays(date: str) -> None:
    f = figures_from_text(f"{date}, 12 houses were destroyed in Tartar.", published="2020-11-01")
    assert f["count"].tolist() == [12]
    assert f["damage"].tolist() == ["destroyed"]


def _passages() -> list[str]:
    cases = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines()]
    return [c["text"] for c in cases if c["language"] == "en"]


_KEY = ["count", "damage", "structure", "unit_code", "status"]


def test_a_400_kb_text_finishes_with_the_figures_of_its_passages() -> None:
    """The English passages, repeated to ~400 KB, give the figures of the passages.

    This used to take minutes: several steps were quadratic in the number of figures.
    """
    one_round = "\n\n".join(_passages())
    rounds = 400_000 // len(one_round.encode("utf-8")) + 1
    text = "\n\n".join([one_round] * rounds)
    assert len(text.encode("utf-8")) >= 400_000
    expected = figures_from_text(one_round, published="2020-11-01", lang="en")
    got = figures_from_text(text, published="2020-11-01", lang="en")
    assert len(expected) > 40
    # the first round is read exactly as the passages alone, spans included
    first = got[got["start"] < len(one_round)].reset_index(drop=True)
    columns = [*_KEY, "start", "end", "evidence"]
    pd.testing.assert_frame_equal(
        first[columns].astype(str), expected[columns].reset_index(drop=True).astype(str)
    )
    # later rounds restate those figures (kept where not merged as restatements), nothing new
    assert set(got[_KEY].astype(str).itertuples(index=False)) == set(
        expected[_KEY].astype(str).itertuples(index=False)
    )
    assert len(got) > len(expected)
    assert all(
        text[s:e] == ev for s, e, ev in zip(got["start"], got["end"], got["evidence"], strict=True)
    )


def test_a_text_over_the_size_limit_is_refused_naming_the_fix(tmp_path: Path) -> None:
    limits = Limits(max_text_bytes=1000)
    text = "In Tartar district, 133 houses were destroyed. " * 30  # 1,410 bytes
    with pytest.raises(LimitExceededError, match="max_text_bytes"):
        figures_from_text(text, limits=limits)
    path = tmp_path / "wire.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"wire\.txt: text is 1,410 bytes.*max_text_bytes"):
        figures_from_file(path, limits=limits)
    # at the limit it is read; a multi-byte text is measured in bytes, not characters
    assert len(figures_from_text(text[:1000], limits=limits)) == 1
    with pytest.raises(LimitExceededError):
        figures_from_text("ə" * 501, limits=limits)


def test_the_default_size_limit_is_two_megabytes() -> None:
    assert Limits().max_text_bytes == 2 * 1024 * 1024
