"""Score the press-report reader against hand-labelled cases (``python -m damage_data.text.evaluate``).

The case format is the one of ``../shared/text_dev/cases.jsonl``: one JSON object per line
with ``id, published, language, text, expected[], duplicates[], negatives[]``. The scoring
follows that folder's README:

* a prediction matches a gold record when the ``count`` and the core damage state agree
  (stricter variants also ask for the place and the structure type);
* recall counts the non-optional gold records that have a count; a prediction matching an
  optional gold record (or one without a count) counts neither way;
* a prediction whose evidence overlaps a ``negatives`` or ``duplicates`` span is a false
  positive; a vague prediction ("hundreds" → 100) matches a gold record labelled ``vague``
  with no count;
* predictions without a count (records sent to review) claim no figure and are not scored.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._errors import DamageDataError, InputError

#: Fine gold labels → core state (text_dev README).
FINE_TO_CORE: dict[str, str] = {
    "destroyed": "destroyed",
    "collapsed": "destroyed",
    "unrepairable": "destroyed",
    "demolished": "destroyed",
    "severely_damaged": "severely_damaged",
    "partially_collapsed": "severely_damaged",
    "damaged": "damaged",
    "partially_damaged": "damaged",
    "damaged_or_destroyed": "damaged_or_destroyed",
    "severely_damaged_or_destroyed": "damaged_or_destroyed",
    "destroyed_or_uninhabitable": "damaged_or_destroyed",
    "inspected": "inspected",
    "planned_demolition": "planned_demolition",
}
#: Canonical states of the toolkit → the same core states.
CANONICAL_TO_CORE: dict[str, str] = {
    "destroyed": "destroyed",
    "severe": "severely_damaged",
    "minor": "damaged",
    "moderate": "damaged",
    "damaged": "damaged",
    "damaged_or_destroyed": "damaged_or_destroyed",
    "assessed": "inspected",
    "none": "none",
    "possible": "possible",
    "unassessed": "unassessed",
    "not_structure": "not_structure",
}
VARIANTS: tuple[str, ...] = ("count+damage", "+place", "+structure")
_REQUIRED_CASE = ("id", "text", "expected")
_REQUIRED_GOLD = ("count", "damage", "evidence")


@dataclass
class Tally:
    """True positives, false positives and scored gold records of one slice."""

    tp: int = 0
    fp: int = 0
    gold: int = 0
    found: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.gold += other.gold
        self.found += other.found


@dataclass
class CaseResult:
    case_id: str
    language: str
    tallies: dict[str, Tally] = field(default_factory=dict)
    inspected: Tally = field(default_factory=Tally)
    false_positives: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)


def read_cases(paths: Iterable[str | Path]) -> list[dict[str, Any]]:
    """Read case files, checking every line.

    Parameters
    ----------
    paths
        JSONL files, one case object a line (blank lines are skipped).

    Returns
    -------
    list of dict
        The cases, in file and line order.

    Raises
    ------
    InputError
        A file cannot be read, a line is not JSON or not a well-formed case, or no case
        was read at all.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "cases.jsonl"
    >>> case = {"id": "t", "published": "2020-10-29", "language": "en", "expected": [],
    ...         "text": "In Tartar district, 133 houses were destroyed."}
    >>> _ = p.write_text(json.dumps(case), encoding="utf-8")
    >>> [c["id"] for c in read_cases([p])]
    ['t']
    """
    cases: list[dict[str, Any]] = []
    for path in paths:
        p = Path(path)
        try:
            lines = p.read_text(encoding="utf-8").splitlines()
        except OSError as err:
            raise InputError(f"{p}: cannot be read ({err.strerror or err})", path=str(p)) from err
        for n, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                case = json.loads(line)
            except json.JSONDecodeError as err:
                raise InputError(
                    f"{p}, line {n}: not JSON ({err.msg} at column {err.colno}); "
                    "each line must be one case object",
                    path=str(p),
                ) from err
            _check_case(case, p, n)
            cases.append(case)
    if not cases:
        raise InputError("no cases read; give one or more JSONL case files", path=None)
    return cases


def _check_case(case: Any, path: Path, line: int) -> None:
    where = f"{path}, line {line}"
    if not isinstance(case, dict):
        raise InputError(f"{where}: a case must be a JSON object", path=str(path))
    missing = [k for k in _REQUIRED_CASE if k not in case]
    if missing:
        raise InputError(
            f"{where}: case lacks {', '.join(missing)} (a case needs {', '.join(_REQUIRED_CASE)})",
            path=str(path),
        )
    text = case["text"]
    if not isinstance(text, str) or not isinstance(case["expected"], list):
        raise InputError(f"{where}: 'text' must be a string and 'expected' a list", path=str(path))
    for k, gold in enumerate(case["expected"]):
        lack = [f for f in _REQUIRED_GOLD if f not in gold]
        if lack:
            raise InputError(f"{where}, expected[{k}]: lacks {', '.join(lack)}", path=str(path))
        if gold["damage"] not in FINE_TO_CORE:
            raise InputError(
                f"{where}, expected[{k}]: unknown damage label {gold['damage']!r}; "
                f"known labels: {', '.join(FINE_TO_CORE)}",
                path=str(path),
            )
        if gold["evidence"] not in text:
            raise InputError(
                f"{where}, expected[{k}]: evidence {gold['evidence']!r} is not a "
                "substring of the text",
                path=str(path),
            )
        for link in ("subset_of", "same_as"):
            target = gold.get(link)
            if target is not None and not (
                isinstance(target, int) and 0 <= target < len(case["expected"])
            ):
                raise InputError(
                    f"{where}, expected[{k}].{link}: {target!r} is not the index "
                    "of another expected record",
                    path=str(path),
                )
    for key in ("negatives", "duplicates"):
        for span in case.get(key, []):
            if span.get("span") not in text:
                raise InputError(
                    f"{where}, {key}: span {span.get('span')!r} is not in the text", path=str(path)
                )


def _spans(text: str, needle: str) -> list[tuple[int, int]]:
    out = []
    start = text.find(needle)
    while start >= 0 and needle:
        out.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return out


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _words(text: object) -> set[str]:
    from damage_data.translit import fold

    raw = str(text or "").replace("(", " ").replace(")", " ").replace(",", " ").split()
    return {fold(w) for w in raw if len(w) >= 4}


def _place_ok(
    gold: dict[str, Any], pred: dict[str, Any], gold_units: dict[str, str | None]
) -> bool:
    unit = gold_units.get(str(gold.get("place")))
    if unit and pred.get("unit_code") and unit == pred["unit_code"]:
        return True
    return bool(_words(gold.get("place")) & _words(pred.get("place_text")))


def _structure_ok(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    from damage_data.vocab import classify_structure

    want = str(classify_structure([gold.get("structure")], unknown="other").iloc[0])
    return want == pred.get("structure")


def score_case(
    case: dict[str, Any], predictions: list[dict[str, Any]], gold_units: dict[str, str | None]
) -> CaseResult:
    """Score the predictions of one case under every variant.

    Parameters
    ----------
    case
        The case (``text``, ``expected``, and optionally ``negatives``, ``duplicates``).
    predictions
        The reader's figures for the case as records (``count``, ``damage``, ``start``,
        ``end``, ``evidence``, ``unit_code``, ``structure``).
    gold_units
        Unit code of each gold ``place`` (``None`` when it does not resolve).

    Returns
    -------
    CaseResult
        True and false positives and gold records per variant, with the false positives
        and misses spelt out.

    Examples
    --------
    >>> text = "In Tartar district, 133 houses were destroyed."
    >>> case = {"id": "t", "language": "en", "text": text, "expected": [
    ...     {"place": "Tartar", "count": 133, "damage": "destroyed", "structure": "house",
    ...      "evidence": "133 houses were destroyed"}]}
    >>> pred = {"count": 133, "damage": "destroyed", "start": 20, "end": 45,
    ...         "evidence": text[20:45], "unit_code": "AZ-TAR", "structure": "residential"}
    >>> score_case(case, [pred], {"Tartar": "AZ-TAR"}).tallies["+place"].tp
    1
    """
    text = case["text"]
    result = CaseResult(str(case["id"]), str(case.get("language") or "und"))
    golds = case["expected"]
    gold_spans = [_spans(text, g["evidence"]) for g in golds]
    # a negative span inside a gold evidence is context of that figure, not a trap
    inside = [s for spans in gold_spans for s in spans]
    bad_spans = [
        s
        for key in ("negatives", "duplicates")
        for item in case.get(key, [])
        for s in _spans(text, item["span"])
        if not any(g[0] <= s[0] and s[1] <= g[1] for g in inside)
    ]
    scored = [not g.get("optional") and g.get("count") is not None for g in golds]
    preds = [p for p in predictions if p.get("count") is not None]
    for variant in VARIANTS:
        tally = Tally(gold=sum(scored))
        used: set[int] = set()
        for pred in preds:
            span = (int(pred["start"]), int(pred["end"]))
            if any(_overlaps(span, b) for b in bad_spans):
                tally.fp += 1
                if variant == VARIANTS[0]:
                    result.false_positives.append(f"{pred['evidence']!r} (negative/duplicate span)")
                continue
            core = CANONICAL_TO_CORE.get(str(pred["damage"]), str(pred["damage"]))
            candidates = []
            for k, gold in enumerate(golds):
                if k in used or FINE_TO_CORE[gold["damage"]] != core:
                    continue
                same_count = gold.get("count") == pred["count"] or (
                    gold.get("count") is None
                    and gold.get("qualifier") == "vague"
                    and pred.get("qualifier") == "vague"
                )
                if not same_count:
                    continue
                if variant == "+place" and not _place_ok(gold, pred, gold_units):
                    continue
                if variant == "+structure" and not _structure_ok(gold, pred):
                    continue
                near = min((abs(s[0] - span[0]) for s in gold_spans[k]), default=10**9)
                candidates.append(
                    (0 if any(_overlaps(span, s) for s in gold_spans[k]) else 1, near, k)
                )
            if not candidates:
                tally.fp += 1
                if variant == VARIANTS[0]:
                    result.false_positives.append(
                        f"{pred['evidence']!r} → {pred['count']} {pred['damage']}"
                    )
                continue
            k = min(candidates)[2]
            used.add(k)
            if scored[k]:
                tally.tp += 1
                tally.found += 1
        if variant == VARIANTS[0]:
            result.missed = [
                f"{golds[k]['evidence']!r} → {golds[k]['count']} {golds[k]['damage']}"
                for k in range(len(golds))
                if scored[k] and k not in used
            ]
            ins_gold = [
                k
                for k in range(len(golds))
                if scored[k] and FINE_TO_CORE[golds[k]["damage"]] == "inspected"
            ]
            ins_pred = [p for p in preds if p["damage"] == "assessed"]
            found = sum(1 for k in ins_gold if k in used)
            result.inspected = Tally(
                tp=found,
                fp=max(0, len(ins_pred) - found) if ins_pred else 0,
                gold=len(ins_gold),
                found=found,
            )
        result.tallies[variant] = tally
    return result


def evaluate_cases(cases: Sequence[dict[str, Any]], *, lang: str = "auto") -> dict[str, Any]:
    """Run the reader on every case and score it.

    Parameters
    ----------
    cases
        Cases as :func:`read_cases` gives them.
    lang
        Passed to :func:`damage_data.text.figures_from_text`.

    Returns
    -------
    dict
        ``{"overall": {variant: Tally}, "by_language": {lang: {variant: Tally}},
        "inspected": Tally, "cases": [CaseResult]}``.

    Examples
    --------
    >>> case = {"id": "t", "published": "2020-10-29", "language": "en",
    ...         "text": "In Tartar district, 133 houses were destroyed.",
    ...         "expected": [{"place": "Tartar", "count": 133, "damage": "destroyed",
    ...                       "structure": "house", "evidence": "133 houses were destroyed"}]}
    >>> evaluate_cases([case])["overall"]["count+damage"].recall
    1.0
    """
    from damage_data.places import resolve_places

    from .extract import figures_from_text

    places = sorted({str(g.get("place")) for c in cases for g in c["expected"] if g.get("place")})
    gold_units: dict[str, str | None] = {}
    if places:
        # gold labels, not data: their unresolved names need no warning
        places_logger = logging.getLogger("damage_data.places")
        level = places_logger.level
        places_logger.setLevel(logging.ERROR)
        try:
            table = resolve_places([p.split(" (")[0] for p in places])
        finally:
            places_logger.setLevel(level)
        for name, code, match in zip(places, table["unit_code"], table["match"], strict=True):
            gold_units[name] = (
                None
                if match in ("unresolved", "ambiguous") or code is None or str(code) == "<NA>"
                else str(code)
            )
    overall = {v: Tally() for v in VARIANTS}
    by_lang: dict[str, dict[str, Tally]] = {}
    inspected = Tally()
    results: list[CaseResult] = []
    for case in cases:
        figures = figures_from_text(
            case["text"], published=case.get("published"), source=str(case["id"]), lang=lang
        )
        preds = [
            {str(k): (None if _na(v) else v) for k, v in row.items()}
            for row in figures.to_dict("records")
        ]
        res = score_case(case, preds, gold_units)
        results.append(res)
        slot = by_lang.setdefault(res.language, {v: Tally() for v in VARIANTS})
        for v in VARIANTS:
            overall[v].add(res.tallies[v])
            slot[v].add(res.tallies[v])
        inspected.add(res.inspected)
    return {"overall": overall, "by_language": by_lang, "inspected": inspected, "cases": results}


def _na(value: object) -> bool:
    """Whether a cell is missing (None, NaN, NA, NaT); lists and dicts never are."""
    if value is None or isinstance(value, list | tuple | dict):
        return value is None
    import pandas as pd

    missing: Any = pd.isna(value)  # type: ignore[call-overload]
    return bool(missing) if isinstance(missing, bool) else False


def _fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def report(scores: dict[str, Any], *, verbose: bool = False) -> str:
    """The scores as a plain-text table (precision and recall per variant and language).

    Parameters
    ----------
    scores
        What :func:`evaluate_cases` returns.
    verbose
        Also list every false positive and missed record, case by case.

    Returns
    -------
    str
        One line per slice and variant, then the inspected share.

    Examples
    --------
    >>> case = {"id": "t", "published": "2020-10-29", "language": "en", "expected": [],
    ...         "text": "In Tartar district, 133 houses were destroyed."}
    >>> print(report(evaluate_cases([case]), verbose=True).splitlines()[-1])
      FP   t: '133 houses were destroyed' → 133 destroyed
    """
    lines = ["slice            variant         precision  recall   tp   fp  gold"]

    def add(name: str, tallies: dict[str, Tally]) -> None:
        for v in VARIANTS:
            t = tallies[v]
            lines.append(
                f"{name:<16} {v:<15} {_fmt(t.precision):>9}  {_fmt(t.recall):>6} "
                f"{t.tp:>4} {t.fp:>4} {t.gold:>5}"
            )

    add("all", scores["overall"])
    for lang in sorted(scores["by_language"]):
        add(f"lang={lang}", scores["by_language"][lang])
    t = scores["inspected"]
    lines.append(
        f"{'inspected':<16} {'count+damage':<15} {_fmt(t.precision):>9}  "
        f"{_fmt(t.recall):>6} {t.tp:>4} {t.fp:>4} {t.gold:>5}"
    )
    if verbose:
        for res in scores["cases"]:
            for fp in res.false_positives:
                lines.append(f"  FP   {res.case_id}: {fp}")
            for miss in res.missed:
                lines.append(f"  MISS {res.case_id}: {miss}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry: print the scores.

    Parameters
    ----------
    argv
        The arguments (default: ``sys.argv[1:]``): case files, ``--lang``, ``--verbose``,
        ``--json``.

    Returns
    -------
    int
        The exit code: 0, or 3 on malformed case files.

    Examples
    --------
    >>> main(["/no/such/cases.jsonl"])
    3
    """
    parser = argparse.ArgumentParser(
        prog="python -m damage_data.text.evaluate",
        description="Precision and recall of the press-report reader on labelled cases.",
    )
    parser.add_argument("cases", nargs="+", help="JSONL case files (text_dev format)")
    parser.add_argument("--lang", default="auto", help="language passed to the reader")
    parser.add_argument(
        "--verbose", "-v", action="store_true", help="list false positives and missed records"
    )
    parser.add_argument("--json", action="store_true", help="print the overall scores as JSON")
    args = parser.parse_args(argv)
    try:
        cases = read_cases(args.cases)
        scores = evaluate_cases(cases, lang=args.lang)
    except DamageDataError as err:
        print(f"evaluate: error: {err}", file=sys.stderr)
        return err.exit_code
    if args.json:
        out = {
            v: {
                "precision": t.precision,
                "recall": t.recall,
                "tp": t.tp,
                "fp": t.fp,
                "gold": t.gold,
            }
            for v, t in scores["overall"].items()
        }
        sys.stdout.write(json.dumps(out, indent=2) + "\n")
    else:
        sys.stdout.write(f"{len(cases)} cases\n" + report(scores, verbose=args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
