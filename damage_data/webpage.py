"""The report's web page: one self-contained HTML file with the map, the table and the evidence.

Nothing on the page is fetched: the map is inline SVG drawn from the unit boundaries, the
style and script are inline (``data/webpage/``), and a Content-Security-Policy forbids every
request. Every string from the data is escaped; only http(s) addresses become links.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

import pandas as pd

from ._data import data_path
from ._errors import UsageError
from .counting import COUNT_FAMILIES, METHOD_RANK
from .export import safe_url
from .numbers import LANGS, count_label, format_number, is_missing, share_label
from .reconcile import COUNT_COLUMNS, explain
from .tables import flags_of
from .vocab import DAMAGE_GROUPS, damage_group
from .webmap import HEADLINE_COUNTS, MapUnit, map_boundaries, svg_map
from .webmap import escape as _e

if TYPE_CHECKING:
    import geopandas as gpd

log = logging.getLogger(__name__)

#: Count columns of the table, in the summary's order: each count without its bounds (the
#: table prints "500+" and "55–60") and without the basis of the residential share.
TABLE_COUNTS: tuple[str, ...] = tuple(
    c for c in COUNT_COLUMNS if not c.endswith(("_min", "_max")) and c != "residential_basis"
)
#: Columns shown even when empty (a dash says "not stated"); other empty ones are left out.
ALWAYS_SHOWN: tuple[str, ...] = HEADLINE_COUNTS
#: The evidence of a unit, grouped as the summary counts it; "other" holds the rest.
EVIDENCE_GROUPS: tuple[str, ...] = (*DAMAGE_GROUPS, "other")
#: Ids of the page's own sections (never given to a row, figure or source).
RESERVED_IDS: tuple[str, ...] = ("map", "table", "caveats", "evidence", "sources", "top")
# --------------------------------------------------------------------------- text helpers


@cache
def _label_table() -> dict[str, dict[str, str]]:
    with data_path("webpage", "labels.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        lang: {r["key"]: r.get(lang) or r["en"] for r in rows}
        for lang in (rows[0].keys() - {"key"} if rows else ["en"])
    }


def page_labels(lang: str = "en") -> dict[str, str]:
    """The page's words in ``lang`` (English where a translation is missing).

    Parameters
    ----------
    lang
        One of the page's languages (:data:`LANGS`).

    Returns
    -------
    dict of str to str
        Word key → text.

    Raises
    ------
    UsageError
        For a language the page is not written in.

    Examples
    --------
    >>> page_labels("en")["destroyed"], page_labels("ru")["destroyed"]
    ('Destroyed', 'Разрушено')
    """
    if lang not in LANGS:
        raise UsageError(f"unknown language {lang!r}; choose one of: {', '.join(LANGS)}")
    table = _label_table()
    return table.get(lang, table["en"])


@cache
def _asset(name: str) -> str:
    return data_path("webpage", name).read_text(encoding="utf-8")


def _date(value: Any, lang: str) -> str:
    if is_missing(value):
        return ""
    stamp = pd.Timestamp(value)
    # month names only in English; other languages get ISO dates rather than English words
    return f"{stamp.day} {stamp:%b %Y}" if lang == "en" else f"{stamp:%Y-%m-%d}"


def _num(value: Any) -> float | None:
    if is_missing(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


class _Ids:
    """Unique, safe HTML ids."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self.seen: set[str] = set(reserved)

    def make(self, *parts: Any) -> str:
        base = (
            "-".join(re.sub(r"[^A-Za-z0-9_.-]+", "_", str(p)).strip("_") for p in parts if str(p))
            or "x"
        )
        out, n = base, 1
        while out in self.seen:
            n += 1
            out = f"{base}-{n}"
        self.seen.add(out)
        return out


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]


def _text(value: Any) -> str:
    return "" if is_missing(value) else str(value)


@dataclass(frozen=True)
class _Page:
    """What every section of the page needs: its language and words, and the title and
    anchor of each source (by ``source_id``)."""

    lang: str
    labels: Mapping[str, str]
    titles: Mapping[str, str]
    anchors: Mapping[str, str]
    ids: _Ids


def _page(sources: pd.DataFrame | None, ids: _Ids, lang: str, labels: Mapping[str, str]) -> _Page:
    records = [] if sources is None or sources.empty else _records(sources)
    titles = {
        _text(s.get("source_id")): _text(s.get("title")) or _text(s.get("source_id"))
        for s in records
    }
    anchors = {sid: ids.make("src", sid) for sid in titles}
    return _Page(lang, labels, titles, anchors, ids)


# --------------------------------------------------------------------------- rows


@dataclass
class _Row:
    """One summary row, with what the page needs to print and link it."""

    key: str
    code: str
    name: str
    level: str
    settlement: str
    national: bool
    record: dict[str, Any]
    source_ids: list[str] = field(default_factory=list)
    used: pd.DataFrame | None = None
    set_aside: pd.DataFrame | None = None
    group_ids: dict[str, str] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        """The unit's name, with the village's when the row is a village."""
        village = self.settlement and self.settlement != self.name
        return self.name + (f" ({self.settlement})" if village else "")

    def value(self, column: str) -> float | None:
        return _num(self.record.get(column))

    def label(self, column: str, lang: str) -> str:
        """The count as printed (``500+``, ``55–60``), or the share as a percentage."""
        value = self.record.get(column)
        if column.endswith("_share"):
            return share_label(value, lang)
        if column == "n_sources":
            number = _num(value)
            return "" if number is None else format_number(number, lang)
        if f"{column}_min" in self.record or f"{column}_max" in self.record:
            return count_label(
                value, self.record.get(f"{column}_min"), self.record.get(f"{column}_max"), lang
            )
        return count_label(value, lang=lang)


def _explained(
    figures: pd.DataFrame,
    sources: pd.DataFrame | None,
    codes: Iterable[str],
    options: Mapping[str, Any],
) -> dict[str, pd.DataFrame]:
    """:func:`damage_data.reconcile.explain` of each unit that has figures."""
    if figures is None or figures.empty or "unit_code" not in figures.columns:
        return {}
    wanted = set(codes)
    keys = figures["unit_code"].astype("string")
    # one pass over the figures, then each unit's own (explain filters by unit again)
    return {
        str(code): explain(part, sources, str(code), **options)
        for code, part in figures.groupby(keys, sort=False)
        if str(code) in wanted
    }


def _row(record: dict[str, Any], explained: Mapping[str, pd.DataFrame], ids: _Ids) -> _Row:
    code = _text(record.get("unit_code"))
    settlement = _text(record.get("settlement"))
    level = _text(record.get("level"))
    row = _Row(
        key=ids.make("row", code, settlement),
        code=code,
        name=_text(record.get("unit_name")) or code,
        level=level,
        settlement=settlement,
        national=level == "country",
        record=record,
    )
    table = explained.get(code)
    if table is not None:
        if settlement and "settlement" in table.columns:
            table = table[table["settlement"].astype("string").fillna("") == settlement]
        row.used = table[table["used"].astype(bool)]
        row.set_aside = table[~table["used"].astype(bool)]
    own = _text(record.get("source_id"))
    if own:
        row.source_ids = [own]
    elif row.used is not None:
        row.source_ids = list(dict.fromkeys(row.used["source_id"].dropna().astype(str)))
    return row


def _rows(
    summary: pd.DataFrame,
    figures: pd.DataFrame,
    sources: pd.DataFrame | None,
    ids: _Ids,
    options: Mapping[str, Any],
) -> list[_Row]:
    """The summary's rows in reading order (largest total first, not stated last, national
    figures after), each with the figures it used and set aside."""
    codes = summary["unit_code"].dropna().astype(str).tolist()
    explained = _explained(figures, sources, codes, options)
    rows = [_row(record, explained, ids) for record in _records(summary)]
    rows.sort(key=lambda r: (r.national, r.value("total") is None, -(r.value("total") or 0)))
    return rows


def _used_sources(rows: Sequence[_Row]) -> list[str]:
    """The sources behind the rows: the one each row names, and every figure it used."""
    used: list[str] = []
    for row in rows:
        used += row.source_ids
        if row.used is not None:
            used += row.used["source_id"].dropna().astype(str).tolist()
    return used


# --------------------------------------------------------------------------- the map


def _map_unit(row: _Row, metric: str, page: _Page) -> MapUnit:
    tip = {c: row.label(c, page.lang) for c in HEADLINE_COUNTS}
    tip["as-of"] = _date(row.record.get("as_of"), page.lang)
    tip["source"] = "; ".join(page.titles.get(s, s) for s in row.source_ids if s)
    return MapUnit(
        row.code, row.name, row.value(metric), row.label(metric, page.lang), tip, row.key
    )


def _map_section(
    rows: Sequence[_Row], units: gpd.GeoDataFrame | None, *, metric: str, page: _Page
) -> tuple[str, list[str]]:
    """The map with its legend and caption, and notes about units it cannot show."""
    labels = page.labels
    reported: dict[str, MapUnit] = {}
    for row in rows:
        if row.settlement or row.national or row.code in reported:
            continue  # a village or a country figure does not colour a unit
        reported[row.code] = _map_unit(row, metric, page)
    boundaries = map_boundaries(units, reported)
    known = set() if boundaries is None else set(boundaries["unit_code"])
    missing = [u.name for c, u in reported.items() if c not in known]
    notes = [labels["not_mapped"].format(units=", ".join(missing))] if missing else []
    if boundaries is None or not reported.keys() & known:
        return "", notes
    metric_label = labels.get(f"metric_{metric}", metric)
    svg, legend = svg_map(
        boundaries,
        reported,
        lang=page.lang,
        labels=labels,
        caption=labels["map_label"].format(metric=metric_label.lower()),
        percent=metric.endswith("_share"),
    )
    section = (
        f'<section id="map" aria-labelledby="map-h"><h2 id="map-h">{_e(labels["map_heading"])}'
        f'</h2><figure><div class="map-wrap">{svg}<div id="dd-tip" class="tip" role="tooltip" '
        f'hidden></div></div><figcaption><p class="legend-title">{_e(metric_label)}</p>'
        f"{legend}<p>{_e(labels['map_caption'].format(metric=metric_label))} "
        f"{_e(labels['caveat_boundaries'])}</p></figcaption></figure></section>"
    )
    return section, notes


# --------------------------------------------------------------------------- table


def _table_columns(summary: pd.DataFrame) -> list[str]:
    """The summary's columns the table shows: counts with a value (the headline ones
    always), the residential share, then sources, date and caveats."""
    columns = [
        c
        for c in TABLE_COUNTS
        if c in summary.columns and (c in ALWAYS_SHOWN or summary[c].notna().any())
    ]
    if "residential_share" in summary.columns and summary["residential_share"].notna().any():
        columns.append("residential_share")
    return columns + [c for c in ("n_sources", "as_of", "flags") if c in summary.columns]


def _cell(row: _Row, column: str, page: _Page) -> str:
    """One cell of the table: a date, caveat links, or a number linked to its evidence."""
    labels, lang = page.labels, page.lang
    if column == "as_of":
        value = row.record.get("as_of")
        iso = "" if is_missing(value) else f"{pd.Timestamp(str(value)):%Y-%m-%d}"
        return f'<td class="date" data-sort="{iso}">{_e(_date(value, lang))}</td>'
    if column == "flags":
        flags = flags_of(row.record.get("flags"))
        links = "; ".join(
            f'<a href="#caveat-{_e(f)}">{_e(labels.get(f"flagshort_{f}", f))}</a>' for f in flags
        )
        return f'<td class="flags" data-sort="{len(flags)}">{links}</td>'
    value = row.value(column)
    text = row.label(column, lang)
    if value is None or not text:
        return f'<td class="num na" data-sort="" title="{_e(labels["not_stated"])}">—</td>'
    target = row.group_ids.get(column) or f"ev-{row.key}"
    title = ""
    basis = _num(row.record.get("residential_basis"))
    if column == "residential_share" and basis is not None:
        title = f' title="{_e(labels["share_basis"].format(basis=format_number(basis, lang)))}"'
        part = _num(row.record.get("residential"))
        if part is not None:
            # the basis in the cell, as in the README and the charts: "87% · 41 of 47" (a
            # share alone in a table is copied without what it is a share of)
            text = labels["share_cell"].format(
                share=text, part=format_number(part, lang), basis=format_number(basis, lang)
            )
    return (
        f'<td class="num" data-sort="{value:g}"><a href="#{_e(target)}"{title}>{_e(text)}</a></td>'
    )


def _table_row(row: _Row, columns: Sequence[str], page: _Page) -> str:
    name = row.full_name
    note = f' <span class="small">({_e(page.labels["national"])})</span>' if row.national else ""
    cells = [f'<th scope="row" data-sort="{_e(name)}">{_e(name)}{note}</th>']
    cells += [_cell(row, column, page) for column in columns]
    return f'<tr id="{_e(row.key)}" data-unit="{_e(row.code)}">{"".join(cells)}</tr>'


def _table_section(rows: Sequence[_Row], columns: Sequence[str], page: _Page) -> str:
    labels = page.labels
    numeric = {*TABLE_COUNTS, "residential_share", "n_sources"}
    heads = [
        f'<th scope="col" data-type="text"><button type="button">{_e(labels["unit"])}</button></th>'
    ]
    for column in columns:
        kind = "num" if column in numeric else "text"
        css = ' class="num"' if kind == "num" else ""
        sort = ' aria-sort="descending"' if column == "total" else ""
        heads.append(
            f'<th scope="col"{css} data-type="{kind}"{sort}>'
            f'<button type="button">{_e(labels[column])}</button></th>'
        )
    units = "".join(_table_row(r, columns, page) for r in rows if not r.national)
    national = "".join(_table_row(r, columns, page) for r in rows if r.national)
    body = f'<tbody class="units">{units}</tbody>'
    if national:
        body += f'<tbody class="national">{national}</tbody>'
    return (
        f'<section id="table" aria-labelledby="table-h"><h2 id="table-h">'
        f'{_e(labels["table_heading"])}</h2><div class="table-wrap"><table id="dd-summary">'
        f"<caption>{_e(labels['table_caption'])}</caption><thead><tr>{''.join(heads)}</tr>"
        f"</thead>{body}</table></div></section>"
    )


# --------------------------------------------------------------------------- evidence


@cache
def _terms() -> frozenset[str]:
    words = {*COUNT_FAMILIES, *METHOD_RANK, *(d for g in DAMAGE_GROUPS.values() for d in g)}
    return frozenset({*words, "damaged_or_destroyed", "not_structure", "needs_review"})


def _plain_terms(text: str) -> str:
    """Vocabulary terms in a rule written as words (``housing_units`` → ``housing units``)."""
    return re.sub(
        r"\b[a-z]+(?:_[a-z]+)+\b",
        lambda m: m.group(0).replace("_", " ") if m.group(0) in _terms() else m.group(0),
        text,
    )


def _figure_item(fig: Mapping[str, Any], page: _Page) -> str:
    labels, lang = page.labels, page.lang
    count = count_label(fig.get("count"), fig.get("count_min"), fig.get("count_max"), lang)
    damage = _text(fig.get("damage"))
    head = labels.get(f"fig_{damage}", "{count} " + damage.replace("_", " ")).format(count=count)
    structure = _text(fig.get("structure_text")) or _text(fig.get("structure"))
    if structure and structure != "any":
        head += f" ({structure})"
    parts = [_e(head)]
    when = _date(fig.get("as_of"), lang)
    if when:
        parts.append(_e(labels["figure_as_of"].format(date=when)))
    source = _text(fig.get("source_id"))
    if source:
        anchor = page.anchors.get(source)
        title = page.titles.get(source, source)
        parts.append(f'<a href="#{_e(anchor)}">{_e(title)}</a>' if anchor else _e(title))
    # the rule's sentence (``why``), not its code; a plain "counted" says nothing new
    rule = _plain_terms(_text(fig.get("why") or fig.get("rule")))
    if rule and fig.get("rule") != "counted":
        parts.append(_e(labels["figure_rule"].format(rule=rule)))
    evidence = _text(fig.get("evidence"))
    quote = f"<blockquote>“{_e(evidence)}”</blockquote>" if evidence else ""
    raw_id = _text(fig.get("figure_id"))
    fid = page.ids.make("fig", raw_id)
    return (
        f'<li id="{_e(fid)}" data-figure="{_e(raw_id)}">{quote}'
        f'<div class="how">{" · ".join(parts)}</div></li>'
    )


def _used_groups(row: _Row, page: _Page) -> list[str]:
    """The figures a row used, one block per summary group; records each block's anchor
    in ``row.group_ids`` (the table's numbers link there)."""
    used = row.used
    if used is None or not len(used):
        return []
    used = used.assign(_group=[damage_group(str(d)) or "other" for d in used["damage"].astype(str)])
    blocks = []
    for group in EVIDENCE_GROUPS:
        part = used[used["_group"] == group]
        if part.empty:
            continue
        gid = f"ev-{row.key}-{group}"
        row.group_ids[group] = gid
        heading = page.labels.get(group, page.labels["evidence_group_other"])
        items = "".join(_figure_item(f, page) for f in _records(part))
        blocks.append(
            f'<div id="{_e(gid)}"><h4>{_e(heading)}</h4><ul class="figs">{items}</ul></div>'
        )
    return blocks


def _row_evidence(row: _Row, page: _Page) -> str:
    labels = page.labels
    inner = _used_groups(row, page)
    if not inner:
        sum_of_units = "sum_of_units" in flags_of(row.record.get("flags"))
        text = labels["evidence_sum"] if sum_of_units else labels["evidence_none"]
        inner.append(f"<p>{_e(text)}</p>")
    if row.set_aside is not None and len(row.set_aside):
        items = "".join(_figure_item(f, page) for f in _records(row.set_aside))
        inner.append(
            f"<details><summary>{_e(labels['evidence_set_aside'].format(n=len(row.set_aside)))}"
            f'</summary><ul class="figs">{items}</ul></details>'
        )
    return (
        f'<section id="ev-{_e(row.key)}"><h3><a href="#{_e(row.key)}">{_e(row.full_name)}</a>'
        f"</h3>{''.join(inner)}</section>"
    )


def _evidence_section(rows: Sequence[_Row], page: _Page) -> str:
    blocks = "".join(_row_evidence(row, page) for row in rows)
    return (
        f'<section id="evidence" class="evidence" aria-labelledby="evidence-h">'
        f'<h2 id="evidence-h">{_e(page.labels["evidence_heading"])}</h2>'
        f"<p>{_e(page.labels['evidence_intro'])}</p>{blocks}</section>"
    )


# --------------------------------------------------------------------------- sources


def _source_item(src: Mapping[str, Any], page: _Page) -> str:
    labels = page.labels
    title = _text(src.get("title")) or _text(src.get("source_id"))
    end = "" if title[-1:] in ".!?" else "."
    bits = [f"<strong>{_e(title)}{end}</strong>"]
    method = _text(src.get("method"))
    meta = [
        _text(src.get("publisher")),
        _date(src.get("published"), page.lang),
        labels.get(f"method_{method}", method.replace("_", " ")),
    ]
    meta_text = ", ".join(m for m in meta if m)
    if meta_text:
        bits.append(_e(meta_text) + ".")
    cites = _text(src.get("cites"))
    if cites:
        bits.append(_e(labels["source_relays"].format(title=page.titles.get(cites, cites))))
    url = _text(src.get("url"))
    link = safe_url(url)
    if link:
        bits.append(f'<a class="url" href="{_e(link)}" rel="noopener noreferrer">{_e(link)}</a>')
    elif url:
        bits.append(f'<span class="url">{_e(url)}</span>')
    anchor = page.anchors[_text(src.get("source_id"))]
    return f'<li id="{_e(anchor)}">{" ".join(bits)}</li>'


def _sources_section(sources: pd.DataFrame | None, used: Iterable[str], page: _Page) -> str:
    """The sources, those behind the numbers first."""
    if sources is None or sources.empty:
        return ""
    labels = page.labels
    records = _records(sources)
    wanted = set(used)
    first = [r for r in records if _text(r.get("source_id")) in wanted]
    rest = [r for r in records if _text(r.get("source_id")) not in wanted]
    out = [
        f'<section id="sources" aria-labelledby="sources-h"><h2 id="sources-h">'
        f"{_e(labels['sources_heading'])}</h2>"
    ]
    for heading, group in ((labels["sources_used"], first), (labels["sources_other"], rest)):
        if group:
            items = "".join(_source_item(r, page) for r in group)
            out.append(f'<h3>{_e(heading)}</h3><ol class="sources">{items}</ol>')
    out.append("</section>")
    return "".join(out)


def _caveats_section(
    rows: Sequence[_Row], notes: Sequence[str], *, labels: Mapping[str, str]
) -> str:
    items = [labels["caveat_method"], labels["caveat_damaged"]]
    html_items = [f"<li>{_e(t)}</li>" for t in items]
    by_flag: dict[str, list[_Row]] = {}
    for row in rows:
        for flag in flags_of(row.record.get("flags")):
            by_flag.setdefault(flag, []).append(row)
    for flag, flagged in by_flag.items():
        text = labels.get(f"flag_{flag}", flag)
        names = ", ".join(f'<a href="#{_e(r.key)}">{_e(r.name)}</a>' for r in flagged)
        html_items.append(
            f'<li id="caveat-{_e(flag)}"><strong>{_e(text[:1].upper() + text[1:])}</strong>: '
            f"{names}.</li>"
        )
    html_items += [f"<li>{_e(n)}</li>" for n in notes if n]
    html_items.append(f"<li>{_e(labels['caveat_boundaries'])}</li>")
    return (
        f'<section id="caveats" aria-labelledby="caveats-h"><h2 id="caveats-h">'
        f"{_e(labels['caveats_heading'])}</h2><ul>{''.join(html_items)}</ul></section>"
    )


# --------------------------------------------------------------------------- the page


def _summed(units: Sequence[_Row], column: str, lang: str) -> str:
    """A column summed over units, with the bounds the units' bounds give ("1,200+")."""
    counted = [r for r in units if r.value(column) is not None]
    if not counted:
        return "0"
    lows = [
        _num(r.record.get(f"{column}_min")) if f"{column}_min" in r.record else r.value(column)
        for r in counted
    ]
    highs = [
        _num(r.record.get(f"{column}_max")) if f"{column}_max" in r.record else r.value(column)
        for r in counted
    ]
    low = sum(v if v is not None else 0 for v in lows)
    high = None if any(h is None for h in highs) else sum(h for h in highs if h is not None)
    return count_label(sum(r.value(column) or 0 for r in counted), low, high, lang)


def _lede(rows: Sequence[_Row], lang: str, labels: Mapping[str, str]) -> str:
    units = [
        r for r in rows if not r.national and not r.settlement and r.value("total") is not None
    ]
    if not units:
        return labels["lede_none"]
    text = labels["lede"].format(
        n_units=len(units),
        destroyed=_summed(units, "destroyed", lang),
        damaged=_summed(units, "damaged", lang),
    )
    if any(r.national for r in rows):
        text += " " + labels["lede_national"]
    dates = [pd.Timestamp(r.record["as_of"]) for r in rows if not is_missing(r.record.get("as_of"))]
    if dates:
        start, end = _date(min(dates), lang), _date(max(dates), lang)
        text += " " + (
            labels["period_one"].format(end=end)
            if start == end
            else labels["period"].format(start=start, end=end)
        )
    return text


def _csp_hash(text: str) -> str:
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
    )


def _document(title: str, header: str, body: str, page: _Page) -> str:
    """The HTML document around the sections: inline style and script, and a
    Content-Security-Policy that lets the page fetch nothing."""
    css, script = _asset("page.css"), _asset("page.js")
    policy = (
        "default-src 'none'; img-src data:; "
        f"style-src {_csp_hash(css)}; script-src {_csp_hash(script)}; "
        "base-uri 'none'; form-action 'none'"
    )
    lang = page.lang if page.lang != "native" else "und"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_e(lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        f'<meta name="generator" content="damage_data"><title>{_e(title)}</title>'
        f"<style>{css}</style></head><body>"
        f'<a class="skip" href="#table">{_e(page.labels["skip"])}</a>'
        f'<div class="page" id="top">{header}<main>{body}</main>'
        f'<footer class="small"><p>{_e(page.labels["footer"])}</p></footer></div>'
        f"<script>{script}</script></body></html>\n"
    )


def _header(title: str, lede: str, generated: date | datetime | str | None, page: _Page) -> str:
    meta = ""
    if generated is not None:
        when = generated if isinstance(generated, str) else _date(generated, page.lang)
        meta = f'<p class="meta">{_e(page.labels["generated"].format(date=when))}</p>'
    return f'<header><h1>{_e(title)}</h1><p class="lede">{_e(lede)}</p>{meta}</header>'


def _check_summary(summary: pd.DataFrame, metric: str) -> None:
    if not isinstance(summary, pd.DataFrame) or "unit_code" not in summary.columns:
        raise UsageError("summary must be a DataFrame with a unit_code column (from summarise())")
    if metric not in summary.columns:
        numeric = [c for c in summary.columns if pd.api.types.is_numeric_dtype(summary[c])]
        raise UsageError(f"cannot map {metric!r}: choose one of: {', '.join(numeric)}")


def render_webpage(
    summary: pd.DataFrame,
    figures: pd.DataFrame,
    sources: pd.DataFrame | None,
    units: gpd.GeoDataFrame | None = None,
    *,
    title: str,
    lang: str = "en",
    metric: str = "total",
    description: str | None = None,
    notes: Sequence[str] = (),
    generated: date | datetime | str | None = None,
    summary_options: Mapping[str, Any] | None = None,
) -> str:
    """The report as one self-contained HTML page: map, sortable table, caveats, evidence.

    The page fetches nothing (inline SVG, style and script; a Content-Security-Policy
    forbids every request) and reads without script: the map and table are plain markup,
    the script adds tooltips and sorting. Every number in the table links to the figures
    it was made from, with their quoted evidence and source.

    Parameters
    ----------
    summary
        One row per unit (:func:`damage_data.summarise`); ``*_min``/``*_max``,
        ``residential_basis``, ``source_id`` and ``settlement`` are used when present.
    figures
        The figures the summary was made from (their evidence is listed per unit).
    sources
        The ``sources`` table (titles, publishers, dates, methods, addresses).
    units
        Boundaries with ``unit_code`` and geometry (any CRS). Every unit is drawn; units of
        countries without any row in the summary are drawn as grey context. Default: the
        bundled boundaries.
    title
        The page's heading.
    lang
        Language of the page's words and numbers (``en``, ``az``, ``ru``, ``uk``, ``hy``).
    metric
        The summary column that colours the map.
    description
        The paragraph under the title; default: the findings in one sentence.
    notes
        More caveats, in plain words, listed with the flags.
    generated
        The date shown as "Generated …" (none by default, so the same input gives the
        same page).
    summary_options
        The options given to :func:`damage_data.summarise` (``as_of``, ``policy``…), so
        that the figures listed as used are the ones the summary used.

    Returns
    -------
    str
        The HTML document.

    Examples
    --------
    >>> from damage_data import example_figures, example_sources, summarise
    >>> from damage_data.places.gazetteer import bundled_units
    >>> f, s = example_figures(), example_sources()
    >>> page = render_webpage(summarise(f, s), f, s, bundled_units("AZ"), title="Damage")
    >>> page.startswith("<!DOCTYPE html>"), 'id="unit-AZ-TAR"' in page
    (True, True)
    """
    labels = page_labels(lang)
    _check_summary(summary, metric)
    ids = _Ids(RESERVED_IDS)
    rows = _rows(summary, figures, sources, ids, dict(summary_options or {}))
    page = _page(sources, ids, lang, labels)
    # evidence first: it decides the anchors the table's numbers link to
    evidence = _evidence_section(rows, page)
    map_html, map_notes = _map_section(rows, units, metric=metric, page=page)
    table = _table_section(rows, _table_columns(summary), page)
    # figures left out for review appear on no row: the page says how many, as the README
    review = (
        int((figures["status"].astype("string") == "needs_review").sum()) if len(figures) else 0
    )
    held = [page.labels["caveat_review"].format(n=f"{review:,}")] if review else []
    caveats = _caveats_section(rows, [*held, *notes, *map_notes], labels=page.labels)
    source_list = _sources_section(sources, _used_sources(rows), page)
    lede = description if description is not None else _lede(rows, lang, page.labels)
    header = _header(title, lede, generated, page)
    return _document(title, header, f"{map_html}{table}{caveats}{evidence}{source_list}", page)


__all__ = ["page_labels", "render_webpage"]
