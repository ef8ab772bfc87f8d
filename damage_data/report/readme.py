"""The report's README: the findings in plain sentences for a reporter on a deadline.

Numbers carry their qualifiers ("500+", "55–60"), every count names its source and date,
each caveat says what it means for the story, figures that need review are listed, and a
report with nothing counted says so in words: it never prints "0 destroyed" for data it
could not read (DESIGN §4 rule 10). Every text that comes from an input (titles, file
names, evidence) is escaped for Markdown and HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ..export import md_text, safe_url
from ..numbers import count_label, is_missing, share_label
from ..tables import flags_of
from .notes import FLAG_NOTES, in_words


def _date(value: Any) -> str:
    if is_missing(value):
        return "undated"
    return pd.Timestamp(value).strftime("%-d %B %Y")


def _count(row: Any, group: str) -> str:
    return count_label(row[group], row.get(f"{group}_min"), row.get(f"{group}_max"))


def _sum_label(rows: pd.DataFrame, group: str) -> str:
    """The sum of a column over units, as a lower bound when any unit's figure is open."""
    stated = rows[group].notna()
    if not stated.any():
        return ""
    values = rows.loc[stated, group].astype(float)
    total = int(values.sum())
    # the bounds add up too: "55–60" beside "12" is 67–72, never 67 (the summary's ranges)
    low = rows.loc[stated, f"{group}_min"] if f"{group}_min" in rows else values
    high = rows.loc[stated, f"{group}_max"] if f"{group}_max" in rows else values
    low_total = int(pd.to_numeric(low, errors="coerce").fillna(values).sum())
    open_ended = bool(pd.to_numeric(high, errors="coerce").isna().any())
    high_total = None if open_ended else int(pd.to_numeric(high, errors="coerce").sum())
    return count_label(total, low_total, high_total)


def _source_names(sources: pd.DataFrame) -> dict[str, str]:
    names: dict[str, str] = {}
    for row in sources.to_dict("records"):
        title = row.get("title")
        publisher = row.get("publisher")
        name = str(title) if not is_missing(title) else str(row["source_id"])
        if not is_missing(publisher) and str(publisher) not in name:
            name += f" ({publisher})"
        names[str(row["source_id"])] = name
    return names


def _unit_sentence(row: pd.Series, names: dict[str, str]) -> str:
    parts = []
    for group, words in (
        ("destroyed", "destroyed"),
        ("damaged", "damaged"),
        ("unsplit", "damaged or destroyed (not split)"),
        ("possibly_damaged", "possibly damaged"),
    ):
        if group in row and not is_missing(row[group]):
            label = _count(row, group) if f"{group}_min" in row else count_label(row[group])
            parts.append(f"{label} {words}")
    if not is_missing(row.get("assessed")):
        parts.append(f"{count_label(row['assessed'])} inspected")
    text = ", ".join(parts) if parts else "no count"
    unit = (
        ""
        if row.get("count_unit") in (None, "buildings", "structures")
        else f" {row['count_unit'].replace('_', ' ')}"
    )
    sentence = f"**{md_text(row['unit_name'])}**: {text}{unit}"
    share = share_label(row.get("residential_share"))
    if share:
        sentence += (
            f"; {share} of the {count_label(row['residential_basis'])} buildings of known type "
            "are homes"
        )
    source = names.get(str(row.get("source_id")), str(row.get("source_id")))
    when = row.get("as_of")
    dated = "undated" if is_missing(when) else f"as of {_date(when)}"
    sentence += f" — according to {md_text(source)}, {dated}."
    n: Any = row.get("n_sources")
    if not is_missing(n) and int(n) > 1:
        low, high = row.get("total_low"), row.get("total_high")
        spread = (
            f"; their totals range from {count_label(low)} to {count_label(high)}"
            if not is_missing(low) and not is_missing(high) and low != high
            else f"; their totals range from {count_label(low)} upwards"
            if not is_missing(low) and is_missing(high)
            else ""
        )
        sentence += f" {int(n)} sources reported on it{spread}; they are never added."
    return sentence


def findings_markdown(
    summary: pd.DataFrame,
    collected: Any,
    *,
    title: str,
    villages: pd.DataFrame | None = None,
    review: pd.DataFrame | None = None,
    images: list[tuple[str, str]] | None = None,
    skipped: Sequence[str] = (),
    files: list[str] | None = None,
) -> str:
    """The README of a report folder.

    Parameters
    ----------
    summary
        One row per unit (:func:`damage_data.reconcile.summarise`).
    collected
        The :class:`~damage_data.pipeline.Collected` the summary came from (figures,
        sources, rejects, match log).
    title
        The report's title.
    villages
        The village-level summary, when villages were reported.
    review
        Figures that were not counted because they need review.
    images
        ``(file, alt text)`` of the map and charts.
    skipped
        A sentence for each chart that was not drawn, saying why.
    files
        The files of the folder.

    Returns
    -------
    str
        Markdown.

    Examples
    --------
    >>> from damage_data.pipeline import collect
    >>> from damage_data.reconcile import summarise
    >>> collected = collect()  # the bundled example
    >>> text = findings_markdown(summarise(collected), collected, title="Damage in <Tartar>")
    >>> text.splitlines()[0]
    '# Damage in &lt;Tartar&gt;'
    """
    sources = collected.sources
    names = _source_names(sources)
    units = summary[summary["level"] != "country"] if not summary.empty else summary
    lines = [f"# {md_text(title)}", ""]
    if getattr(collected, "example", False):
        lines += [
            "_Made from the bundled example (Karabakh 2020–2021): figures from public "
            "statements, each with its source._",
            "",
        ]
    lines += ["## What the figures say", ""]
    if summary.empty:
        lines += [
            "**No figure could be counted from the inputs.** "
            + _why_nothing(collected)
            + " Nothing here should be read as zero damage: the damage is *not stated*.",
            "",
        ]
    else:
        lines += _headline(units)
        for _, row in units.sort_values("total", ascending=False, na_position="last").iterrows():
            lines.append(f"* {_unit_sentence(row, names)}{_caveats(row)}")
        for _, row in summary[summary["level"] == "country"].iterrows():
            lines.append(f"* Country-wide: {_unit_sentence(row, names)}{_caveats(row)}")
        if villages is not None and not villages.empty:
            lines += [
                "",
                f"{len(villages)} village{'s were' if len(villages) != 1 else ' was'} reported "
                "by name; their "
                "figures are in `villages.csv` and are already included in their district's "
                "row above (or make up a partial total where the district has no figure of "
                "its own).",
            ]
        lines.append("")
    lines += _watch(summary, review, collected)
    lines += _sources(sources, summary)
    if images or skipped:
        lines += ["## Map and charts", ""]
        lines += [f"![{md_text(alt)}]({name})" for name, alt in images or []]
        lines.append("")
        lines += [f"_{md_text(why)}_\n" for why in skipped]
    lines += [
        "## Files",
        "",
        "Every table is in CSV (and `summary.xlsx`); `figures.csv` holds every number with "
        "the sentence, row or feature it came from; `datapackage.json` describes each file. "
        "`damage-data explain UNIT` says which figure was used for a unit and why.",
        "",
    ]
    if files:
        lines += [f"* `{md_text(name)}`" for name in files]
        lines.append("")
    lines += [
        "Boundaries and names do not imply any position on the status of any territory; "
        "names follow the sources, and display names are chosen per language.",
        "",
    ]
    return "\n".join(lines)


def _why_nothing(collected: Any) -> str:
    figures = collected.figures
    if figures.empty:
        rejected = len(collected.rejects)
        return (
            f"No figure was read ({rejected} input rows were rejected; see `rejects.csv`)."
            if rejected
            else "No figure was read from the inputs."
        )
    outside = figures["unit_code"].isna().sum()
    if outside:
        return (
            f"{outside} of the {len(figures)} figures could not be tied to a unit (for a "
            "satellite product: no boundaries cover its area; give them with `--units FILE`)."
        )
    return f"All {len(figures)} figures need review before they can be counted (see below)."


def _headline(units: pd.DataFrame) -> list[str]:
    if units.empty:
        return []
    destroyed = _sum_label(units, "destroyed")
    damaged = _sum_label(units, "damaged")
    bits = []
    if destroyed:
        bits.append(f"**{destroyed} buildings were reported destroyed**")
    if damaged:
        bits.append(f"**{damaged} damaged** (damaged excludes destroyed)")
    if not bits:
        return [
            f"* {len(units)} units have figures, none of them split into destroyed and damaged.",
            "",
        ]
    dates = units["as_of"].dropna()
    period = ""
    if not dates.empty:
        first, last = _date(dates.min()), _date(dates.max())
        period = (
            f", in figures dated {first}"
            if first == last
            else f", in figures dated {first} to {last}"
        )
    return [
        f"Across {len(units)} {'unit' if len(units) == 1 else 'units'}, {' and '.join(bits)}"
        f"{period}. Each unit's number comes "
        "from its best source; sources are never added together.",
        "",
    ]


def _caveats(row: pd.Series) -> str:
    flags = [f for f in flags_of(row.get("flags")) if f in FLAG_NOTES]
    if not flags:
        return ""
    return " _Note: " + "; ".join(FLAG_NOTES[f] for f in flags) + "._"


def _review_count(row: Mapping[Any, Any]) -> str:
    """A figure's count as its source gave it: "7,600+" for "more than 7,600" (rule R8)."""
    if row.get("qualifier") in ("more_than", "at_least"):
        return count_label(row.get("count"), row.get("count_min"), None)
    return count_label(row.get("count"), row.get("count_min"), row.get("count_max"))


def _watch(summary: pd.DataFrame, review: pd.DataFrame | None, collected: Any) -> list[str]:
    lines = ["## Before you publish", ""]
    if review is not None and not review.empty:
        lines.append(
            f"{len(review)} figures were **not counted** because they need checking first:"
        )
        for row in review.head(30).to_dict("records"):
            place = row.get("place_text") or row.get("unit_code") or "unknown place"
            lines.append(
                f"* {md_text(place)}: {_review_count(row)} {md_text(row.get('damage'))}"
                f" — {md_text(str(row.get('evidence') or '')[:160])} "
                f"(why: {md_text('; '.join(in_words(f) for f in flags_of(row.get('flags'))) or 'marked for review')})"
            )
        if len(review) > 30:
            lines.append(f"* … and {len(review) - 30} more in `figures.csv` (status needs_review).")
        lines.append("")
    log = collected.match_log
    if log is not None and not log.empty and "match" in log.columns:
        # names, not rows: the log has a row per figure ("9 place names" for 2 names)
        loose = log[log["match"].astype("string").isin(["fuzzy", "unresolved", "ambiguous"])]
        names = loose["place_text"].astype("string").fillna("").str.strip().replace("", pd.NA)
        if names.notna().any():
            lines.append(
                f"* {names.nunique()} place name(s) were matched loosely or not at all "
                f"({len(loose)} figures); check `match_log.csv`."
            )
    if not collected.rejects.empty:
        lines.append(
            f"* {len(collected.rejects)} input rows could not be read; `rejects.csv` gives the "
            "file, row, column, value and reason of each."
        )
    if not summary.empty:
        used = sorted({f for v in summary["flags"].fillna("") for f in flags_of(v)})
        for flag in used:
            if flag in FLAG_NOTES:
                where = summary.loc[
                    summary["flags"].fillna("").map(lambda v, f=flag: f in flags_of(v)),
                    "unit_name",
                ]
                lines.append(f"* {', '.join(md_text(w) for w in where)}: {FLAG_NOTES[flag]}.")
    if len(lines) == 2:
        lines.append("Nothing to flag: every figure was counted as it was reported.")
    lines.append("")
    return lines


def _sources(sources: pd.DataFrame, summary: pd.DataFrame) -> list[str]:
    lines = ["## Sources", ""]
    used = set(summary["source_id"].dropna().astype(str)) if not summary.empty else set()
    titles = _source_names(sources)
    for row in sources.to_dict("records"):
        sid = str(row["source_id"])
        title = md_text(row.get("title") or sid)
        publisher = row.get("publisher")
        who = f", {md_text(publisher)}" if not is_missing(publisher) else ""
        method = row.get("method")
        how = f" ({md_text(str(method).replace('_', ' '))})" if not is_missing(method) else ""
        cites = row.get("cites")
        relays = (
            f" Relays {md_text(titles.get(str(cites), cites))}." if not is_missing(cites) else ""
        )
        url = safe_url(row.get("url"))
        link = f" <{url}>" if url else ""
        mark = " **(used)**" if sid in used else ""
        lines.append(f"* {title}{who}, {_date(row.get('published'))}{how}.{relays}{link}{mark}")
    lines.append("")
    return lines
