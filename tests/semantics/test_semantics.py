"""Conformance suite of the counting model (DESIGN §4): one test per folder of ``cases/``.

Each case folder holds the files a user would write and a ``case.json`` whose expectations
were computed by hand (README.md says why each number is what it is). The CLI runs in-process
in a temporary copy of the folder; only the keys a case gives are compared.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import logging
import math
import re
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
CASES_DIR = HERE / "cases"
CASES = sorted(p for p in CASES_DIR.iterdir() if (p / "case.json").is_file())

#: Keys of a case.json; anything else is a typo that would silently check nothing.
CASE_KEYS = frozenset(
    {
        "rule",
        "why",
        "issue_row",
        "open_choice",
        "steps",
        "command",
        "exit_code",
        "expect",
        "expect_rows",
        "not_stated",
        "no_zero_counts",
        "rows_never",
        "stderr_contains",
        "stdout_contains",
        "stderr_nonempty",
        "same_as_file",
        "files_not_match",
    }
)
#: Row keys of the summary's JSON contract (issue 13), plus the two flag checks.
ROW_KEYS = frozenset(
    {
        "unit_code",
        "unit_name",
        "level",
        "settlement",
        "parent_code",
        "destroyed",
        "destroyed_min",
        "destroyed_max",
        "damaged",
        "damaged_min",
        "damaged_max",
        "possibly_damaged",
        "unsplit",
        "total",
        "total_min",
        "total_max",
        "assessed",
        "residential",
        "residential_basis",
        "residential_share",
        "count_unit",
        "n_sources",
        "total_low",
        "total_high",
        "source_id",
        "as_of",
        "flags",
        "flags_include",
        "flags_exclude",
    }
)
#: Counts that must be empty for a unit that is "not stated", and never 0 by accident.
COUNT_KEYS = ("destroyed", "damaged", "total")
#: Keys compared between a summary and a report's own summary.csv (``same_as_file``).
SAME_KEYS = (
    "destroyed",
    "damaged",
    "possibly_damaged",
    "unsplit",
    "total",
    "residential",
    "residential_share",
    "n_sources",
)
#: Shares are written with three decimals in the cases (41/47 → 0.872).
SHARE_TOLERANCE = 0.0006


def expectations_hash() -> str:
    """sha256 of every case.json, concatenated in sorted folder order.

    The same as ``cat $(ls tests/semantics/cases/*/case.json | LC_ALL=C sort) | sha256sum``.
    """
    digest = hashlib.sha256()
    for path in sorted(CASES_DIR.glob("*/case.json")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


# --- running the CLI -----------------------------------------------------------------------


def run_cli(args: list[str]) -> tuple[int, str, str]:
    """Run ``damage-data ARGS`` in-process; return (exit code, stdout, stderr).

    ``main`` maps library errors to exit codes like the console script does. The package's
    logging handler writes to the stderr it saw when created, so it is pointed at this
    call's buffer and any handler created during the call is removed afterwards: other
    tests in the same process keep their own capture.
    """
    from damage_data.cli import main

    out, err = io.StringIO(), io.StringIO()
    logger = logging.getLogger("damage_data")
    before = list(logger.handlers)
    streams = {h: h.setStream(err) for h in before if isinstance(h, logging.StreamHandler)}
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
    finally:
        for handler in list(logger.handlers):
            if handler not in before:
                logger.removeHandler(handler)
        for handler, stream in streams.items():
            handler.setStream(stream)
    return code, out.getvalue(), err.getvalue()


def _substitute(args: list[str], work: Path) -> list[str]:
    return [a.replace("{tmp}", str(work)) for a in args]


# --- comparing -----------------------------------------------------------------------------


def _text(value: Any) -> str:
    """Names compared as people read them: Unicode-normalised, case-folded, trimmed."""
    return unicodedata.normalize("NFC", str(value)).casefold().strip()


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def _flags(value: Any) -> set[str]:
    if _is_empty(value):
        return set()
    items = value if isinstance(value, list) else str(value).split(";")
    return {str(f).strip() for f in items if str(f).strip()}


def _number(value: Any) -> float | None:
    """A count or share from JSON or CSV text; ``None`` when it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def _same(expected: Any, actual: Any) -> bool:
    if expected is None:
        return _is_empty(actual)
    if isinstance(expected, bool | str):
        return expected == actual
    number = _number(actual)
    if number is None:
        return False
    if isinstance(expected, float) and not expected.is_integer():
        return abs(number - expected) <= SHARE_TOLERANCE
    return number == expected


def _row_key(row: dict[str, Any]) -> tuple[str, str]:
    settlement = row.get("settlement")
    return (str(row.get("unit_code")), "" if _is_empty(settlement) else _text(settlement))


def _matching(rows: list[dict[str, Any]], want: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of the same unit and village; of several, those of the count unit the case names.

    With a single row the count unit is not used to match: a wrong or missing count unit
    is then reported as such by :func:`_check_row`, not as a missing row.
    """
    key = _row_key(want)
    found = [r for r in rows if _row_key(r) == key]
    if "count_unit" in want and len(found) > 1:
        found = [r for r in found if r.get("count_unit") == want["count_unit"]]
    return found


def _check_row(want: dict[str, Any], row: dict[str, Any]) -> list[str]:
    label = want["unit_code"] + (f" / {want['settlement']}" if want.get("settlement") else "")
    problems = []
    for key, expected in want.items():
        if key in ("unit_code", "settlement"):
            continue
        if key == "flags_include":
            missing = set(expected) - _flags(row.get("flags"))
            if missing:
                problems.append(f"{label}: flags {row.get('flags')!r} lack {sorted(missing)}")
        elif key == "flags_exclude":
            present = set(expected) & _flags(row.get("flags"))
            if present:
                problems.append(
                    f"{label}: flags {row.get('flags')!r} must not hold {sorted(present)}"
                )
        elif key not in row:
            problems.append(f"{label}: no key {key!r} in the output row (expected {expected!r})")
        elif not _same(expected, row[key]):
            problems.append(f"{label}: {key} = {row[key]!r}, expected {expected!r}")
    return problems


def _json_rows(stdout: str) -> list[dict[str, Any]]:
    try:
        rows = json.loads(stdout)
    except json.JSONDecodeError as err:
        pytest.fail(f"stdout is not JSON ({err}): {stdout[:500]!r}")
    assert isinstance(rows, list), f"expected a JSON list of rows, got {type(rows).__name__}"
    return rows


def _csv_rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _check_same_as_file(rows: list[dict[str, Any]], path: Path) -> list[str]:
    """The summary equals a report's own summary.csv on the count keys both carry."""
    if not path.is_file():
        return [f"{path.name} was not written"]
    theirs = {_row_key(r): r for r in _csv_rows(path)}
    ours = {_row_key(r): r for r in rows}
    problems = []
    if set(theirs) != set(ours):
        problems.append(f"units differ: summary {sorted(ours)} vs {path.name} {sorted(theirs)}")
    for key in sorted(set(theirs) & set(ours)):
        for column in SAME_KEYS:
            if column not in theirs[key] or column not in ours[key]:
                continue
            a, b = ours[key][column], theirs[key][column]
            same = (_is_empty(a) and _is_empty(b)) or (
                _number(a) is not None and _number(a) == _number(b)
            )
            if not same:
                problems.append(f"{key}: {column} = {a!r} here, {b!r} in {path.name}")
    return problems


def _check(spec: dict[str, Any], code: int, out: str, err: str, work: Path) -> list[str]:
    problems: list[str] = []
    if code != spec.get("exit_code", 0):
        problems.append(f"exit code {code}, expected {spec.get('exit_code', 0)}")
    for text in spec.get("stderr_contains", []):
        if text not in err:
            problems.append(f"stderr lacks {text!r}")
    for text in spec.get("stdout_contains", []):
        if text not in out:
            problems.append(f"stdout lacks {text!r}")
    if spec.get("stderr_nonempty") and not err.strip():
        problems.append("stderr is empty: the problem is not said in words")
    for name, patterns in spec.get("files_not_match", {}).items():
        path = work / name
        if not path.is_file():
            problems.append(f"{name} was not written")
            continue
        content = path.read_text(encoding="utf-8")
        for pattern in patterns:
            hit = re.search(pattern, content)
            if hit:
                problems.append(f"{name} says {hit.group(0)!r}")
    needs_rows = any(
        k in spec
        for k in (
            "expect",
            "expect_rows",
            "not_stated",
            "no_zero_counts",
            "rows_never",
            "same_as_file",
        )
    )
    if not needs_rows or (problems and code != 0):
        return problems
    rows = _json_rows(out)
    if "expect_rows" in spec and len(rows) != spec["expect_rows"]:
        problems.append(f"{len(rows)} rows, expected {spec['expect_rows']}")
    for want in spec.get("expect", []):
        found = _matching(rows, want)
        if len(found) != 1:
            units = sorted({_row_key(r) for r in rows})
            problems.append(f"{len(found)} rows match {_row_key(want)}; rows: {units}")
            continue
        problems.extend(_check_row(want, found[0]))
    for unit in spec.get("not_stated", []):
        for row in (r for r in rows if r.get("unit_code") == unit):
            stated = {k: row.get(k) for k in COUNT_KEYS if not _is_empty(row.get(k))}
            if stated:
                problems.append(f"{unit} states nothing but prints {stated}")
    if spec.get("no_zero_counts"):
        for row in rows:
            zeros = [k for k in COUNT_KEYS if _same(0, row.get(k))]
            if zeros:
                problems.append(f"{_row_key(row)} prints 0 for {zeros}: a false zero")
    for never in spec.get("rows_never", []):
        for row in rows:
            if all(_same(v, row.get(k)) for k, v in never.items()):
                problems.append(f"{_row_key(row)} has {never}")
    if "same_as_file" in spec:
        problems.extend(_check_same_as_file(rows, work / spec["same_as_file"]))
    return problems


# --- the tests -----------------------------------------------------------------------------


@pytest.mark.parametrize("case_dir", CASES, ids=[p.name for p in CASES])
def test_case(case_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = json.loads((case_dir / "case.json").read_text(encoding="utf-8"))
    work = tmp_path / case_dir.name
    shutil.copytree(case_dir, work)
    monkeypatch.chdir(work)
    monkeypatch.setenv("COLUMNS", "200")  # markdown and table output on one line per row
    for step in spec.get("steps", []):
        code, _, err = run_cli(_substitute(step, work))
        assert code == 0, f"step {step} exited {code}: {err[-1500:]}"
    code, out, err = run_cli(_substitute(spec["command"], work))
    problems = _check(spec, code, out, err, work)
    if problems:
        pytest.fail(
            f"{case_dir.name} ({', '.join(spec['rule'])}): {spec['why']}\n  "
            + "\n  ".join(problems)
            + f"\nstderr (end): {err[-1200:]}"
        )


def test_cases_are_well_formed() -> None:
    assert len(CASES) >= 45
    for case_dir in CASES:
        spec = json.loads((case_dir / "case.json").read_text(encoding="utf-8"))
        assert set(spec) <= CASE_KEYS, (case_dir.name, set(spec) - CASE_KEYS)
        assert spec["rule"] and spec["why"] and spec["command"], case_dir.name
        for want in spec.get("expect", []):
            assert "unit_code" in want, case_dir.name
            assert set(want) <= ROW_KEYS, (case_dir.name, set(want) - ROW_KEYS)
        for arg in spec["command"]:
            if "{tmp}" not in arg and re.search(r"\.(csv|xlsx|txt|geojson)$", arg):
                assert (case_dir / arg).is_file(), (case_dir.name, arg)


def test_every_case_is_explained_and_the_hash_is_recorded() -> None:
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    for case_dir in CASES:
        assert f"`{case_dir.name}`" in readme, f"{case_dir.name} has no README line"
    assert f"current expectations sha256: `{expectations_hash()}`" in readme, (
        "case.json files changed: log the change and its reason in README.md and record "
        f"the new hash {expectations_hash()}"
    )
