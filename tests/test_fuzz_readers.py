"""Property-based fuzzing of the readers (a CI-sized run of tests/fuzz_readers.py).

Only ``DamageDataError`` subclasses may escape ``load``; whatever loads keeps rows read =
kept + rejected and non-negative counts; the text reader never raises and every figure's
evidence is exactly ``text[start:end]``. The long run (10,000 examples per reader) is
``python tests/fuzz_readers.py``; its results are recorded in docs/security.md.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fuzz_readers

#: Examples per reader in CI: the whole file stays within about 30 s on two cores.
CI_EXAMPLES = {
    "csv": 150,
    "xlsx": 60,
    "geojson": 150,
    "hxl": 150,
    "series_xbd": 100,
    "zip": 100,
    "text": 150,
}
#: Derandomized: CI explores the same examples every run (no flaky reds); the long run of
#: tests/fuzz_readers.py is where new ground is searched.
CI_SETTINGS = settings(
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="damage_data_fuzz_") as tmp:
        yield Path(tmp)


@pytest.fixture(autouse=True)
def quiet() -> Iterator[None]:
    """Readers warn about every odd input; thousands of log lines would drown the report."""
    logging.disable(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield
    logging.disable(logging.NOTSET)


def _fuzz(name: str, folder: Path) -> None:
    target = fuzz_readers.TARGETS[name]

    @settings(CI_SETTINGS, max_examples=CI_EXAMPLES[name])
    @given(target.strategy)
    def prop(value: Any) -> None:
        target.check(value, folder)

    prop()


def test_fuzz_csv(folder: Path) -> None:
    _fuzz("csv", folder)


def test_fuzz_xlsx(folder: Path) -> None:
    _fuzz("xlsx", folder)


def test_fuzz_geojson(folder: Path) -> None:
    _fuzz("geojson", folder)


def test_fuzz_hxl(folder: Path) -> None:
    _fuzz("hxl", folder)


def test_fuzz_series_and_xbd(folder: Path) -> None:
    _fuzz("series_xbd", folder)


def test_fuzz_zip(folder: Path) -> None:
    _fuzz("zip", folder)


def test_fuzz_text(folder: Path) -> None:
    _fuzz("text", folder)


@pytest.mark.parametrize(
    # the shrunk inputs the CI fuzzing found (an int64 overflow in make_figures, fixed in
    # damage_data.text by its owner): a count beyond int64 is left for review, not raised
    "text",
    ["houses were destroyed20000000000000000000", "houses were destroyed9223372036854775296"],
)
def test_text_reader_survives_numbers_beyond_int64(text: str, folder: Path) -> None:
    from damage_data.text import figures_from_text

    fuzz_readers.check_text(text, folder)
    figures = figures_from_text(text)
    assert figures["count"].isna().all()
    assert (figures["status"] == "needs_review").all()


def test_the_check_fails_on_a_non_library_error(folder: Path, monkeypatch: Any) -> None:
    """The fuzz check is not vacuous: an escaping builtin error makes it fail."""
    import damage_data.readers as readers

    def broken(*_args: object, **_kwargs: object) -> None:
        raise KeyError("a reader bug")

    monkeypatch.setattr(readers, "load", broken)
    with pytest.raises(KeyError):
        fuzz_readers.check_csv(b"district,destroyed\nFuzuli,1\n", folder)


def test_the_fuzz_script_reports_a_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert fuzz_readers.main(["--examples", "5", "--reader", "csv"]) == 0
    assert "csv: " in capsys.readouterr().out
