"""The match log: which resolved place names need a person's decision, and the warning
that sums them up (split from :mod:`.resolve`, which decides the matches)."""

from __future__ import annotations

import logging

import pandas as pd

from .._errors import UsageError

__all__ = ["CERTAIN_MATCHES", "RESOLVED_COLUMNS", "log_review", "match_log"]

#: the resolver's logger: its warnings name the place names to decide
logger = logging.getLogger("damage_data.places.resolve")

#: Columns of the table :func:`~.resolve.resolve_places` returns, in order.
RESOLVED_COLUMNS = (
    "place_text",
    "unit_code",
    "unit_name",
    "level",
    "match",
    "score",
    "candidates",
    "reason",
)
#: Matches that need no review.
CERTAIN_MATCHES = ("code", "exact")


def log_review(table: pd.DataFrame) -> None:
    """Rows to review go to the log: each distinct one at INFO, and one WARNING that sums up
    the ambiguous, unresolved and conflicting names (so that callers trying many variants of
    a name, like the press-report extractor, do not flood the log)."""
    if not logger.isEnabledFor(logging.WARNING):
        return
    detail = logger.isEnabledFor(logging.INFO)
    if detail:
        counts = table["match"].value_counts().to_dict()
        logger.info(
            "resolved %d place names: %s",
            len(table),
            ", ".join(f"{k} {v}" for k, v in counts.items()),
        )
    review = table[_needs_review(table)].drop_duplicates(["place_text", "match"])
    if detail:
        for row in review.itertuples(index=False):
            logger.info(
                "place %r → %s (%s): %s",
                row.place_text,
                row.unit_code if isinstance(row.unit_code, str) else "-",
                row.match,
                row.reason,
            )
    conflict = review["reason"].fillna("").str.contains("parent_conflict", regex=False)
    bad = review[review["match"].isin(["ambiguous", "unresolved"]) | conflict]
    if len(bad):
        shown = ", ".join(
            f"{t!r} ({m})" for t, m in zip(bad["place_text"][:10], bad["match"][:10], strict=True)
        )
        more = f" and {len(bad) - 10} more" if len(bad) > 10 else ""
        logger.warning(
            "%d place name(s) need a decision (ambiguous, unresolved or parent_conflict): "
            "%s%s; the match log (match_log.csv of a report, or `damage-data places resolve`) "
            "lists them with their reasons",
            len(bad),
            shown,
            more,
        )


def _needs_review(table: pd.DataFrame) -> pd.Series:
    conflict = table["reason"].fillna("").str.contains("parent_conflict", regex=False)
    return ~table["match"].isin(CERTAIN_MATCHES) | conflict


def match_log(resolved: pd.DataFrame) -> pd.DataFrame:
    """The rows of a :func:`resolve_places` table that need review (not a code/exact match).

    Includes exact matches that carry a ``parent_conflict``. Each distinct
    ``(place_text, unit_code, match)`` appears once, with ``n`` the number of rows.

    Examples
    --------
    >>> from damage_data.places import resolve_places
    >>> match_log(resolve_places(["Füzuli", "Fyzuli", "Atlantis"]))["place_text"].tolist()
    ['Fyzuli', 'Atlantis']
    """
    missing = [c for c in RESOLVED_COLUMNS if c not in resolved.columns]
    if missing:
        raise UsageError(
            f"match_log() needs a resolve_places() table; missing columns {', '.join(missing)}"
        )
    needs = _needs_review(resolved)
    out = resolved.loc[needs, list(RESOLVED_COLUMNS)].copy()
    out["candidates"] = out["candidates"].map(
        lambda c: (
            ";".join(c) if isinstance(c, list) else ("" if c is None or c is pd.NA else str(c))
        )
    )
    keys = ["place_text", "unit_code", "match"]
    counts = out.groupby(keys, dropna=False, sort=False).size().rename("n")
    out = out.drop_duplicates(keys).merge(counts.reset_index(), on=keys, how="left")
    return out.reset_index(drop=True)
