"""The text around a chart: headline, description, credits of the sources shown, periods.

Everything a reader sees is taken from ``data/i18n/<lang>.json`` (see :mod:`.i18n`), so a
chart in Russian is Russian from the title to the source line. Credits name only the
sources whose figures are drawn, condensed so that the footer stays short: fourteen
Copernicus EMS files read "14 Copernicus EMS EMSR648 products".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from .._errors import UsageError
from ..numbers import count_label, format_number, is_missing, share_label
from ..style import Provenance
from .i18n import has, month, plural, text
from .rows import check_summary, count_texts, names_for, numeric, unit_rows

#: Names of per-structure products by reader kind, used when a source names no publisher.
PRODUCT_NAMES: dict[str, str] = {
    "copernicus": "Copernicus EMS",
    "unosat": "UNOSAT",
    "xbd": "xBD",
}
#: Product identifiers worth naming in a credit (activation codes).
PRODUCT_CODES: dict[str, str] = {"copernicus": r"EMSR\d+"}
#: Most names a source line lists before "and n more".
CREDIT_LIMIT = 6
#: Untitled files (no publisher, no known product) listed by name up to this many.
FILES_LISTED = 2


def metric_label(metric: str, lang: str = "en") -> str:
    """What a summary column measures, in ``lang`` (legend titles, descriptions).

    Parameters
    ----------
    metric
        A summary column (``total``, ``destroyed``, ``residential_share`` …).
    lang
        A display language.

    Returns
    -------
    str
        The measure in words; other columns read as their name.

    Examples
    --------
    >>> metric_label("total"), metric_label("destroyed", "ru")
    ('Buildings destroyed or damaged', 'Разрушено зданий')
    """
    key = f"metric.{metric}"
    return text(key, lang) if has(key, lang) else metric.replace("_", " ").capitalize()


def state_words(damage: str, lang: str = "en") -> str:
    """A damage group or state as it reads inside a sentence ("destroyed", "inspected").

    Parameters
    ----------
    damage
        A damage group or state.
    lang
        A display language.

    Returns
    -------
    str
        The words; the code with spaces for one without a string.

    Examples
    --------
    >>> state_words("assessed"), state_words("destroyed", "ru") != "destroyed"
    ('inspected', True)
    """
    key = f"adj.{damage}"
    return text(key, lang) if has(key, lang) else damage.replace("_", " ")


def month_year(stamp: pd.Timestamp, lang: str = "en") -> str:
    """``"Nov 2020"`` in ``lang``.

    Parameters
    ----------
    stamp
        The date.
    lang
        A display language.

    Returns
    -------
    str
        Month and year.

    Examples
    --------
    >>> import pandas as pd
    >>> month_year(pd.Timestamp("2020-11-24"))
    'Nov 2020'
    """
    return f"{month(stamp.month, lang)} {stamp.year}"


def day_month_year(stamp: pd.Timestamp, lang: str = "en") -> str:
    """``"24 Nov 2020"`` in ``lang``.

    Parameters
    ----------
    stamp
        The date.
    lang
        A display language.

    Returns
    -------
    str
        Day, month and year.

    Examples
    --------
    >>> import pandas as pd
    >>> day_month_year(pd.Timestamp("2020-11-24"), "ru")
    '24 ноя 2020'
    """
    return f"{stamp.day} {month(stamp.month, lang)} {stamp.year}"


def period(dates: Iterable[Any], lang: str = "en") -> str:
    """The months the dates span: ``"Nov 2020"``, ``"Oct–Nov 2020"``, ``"Oct 2020–Feb 2021"``.

    Parameters
    ----------
    dates
        Dates (anything :func:`pandas.to_datetime` reads; unreadable ones are skipped).
    lang
        Language of the month names.

    Returns
    -------
    str
        The period, or ``""`` without dates.

    Examples
    --------
    >>> period(["2020-10-17", "2021-02-15"])
    'Oct 2020–Feb 2021'
    """
    stamps = pd.to_datetime(pd.Series(list(dates)), errors="coerce").dropna()
    if stamps.empty:
        return ""
    first, last = stamps.min(), stamps.max()
    if (first.year, first.month) == (last.year, last.month):
        return month_year(last, lang)
    if first.year == last.year:
        return f"{month(first.month, lang)}–{month_year(last, lang)}"
    return f"{month_year(first, lang)}–{month_year(last, lang)}"


# --------------------------------------------------------------------------- credits


def _publishers(value: Any) -> list[str]:
    """Publishers of a cell, each without its aside: "Trend; AzerNews (quoting …)" → 2."""
    if is_missing(value):
        return []
    parts = (re.sub(r"\s*\([^)]*\)\s*$", "", p).strip() for p in str(value).split(";"))
    return [p for p in parts if p]


def shown_sources(sources: pd.DataFrame, source_ids: Iterable[str] | None) -> pd.DataFrame:
    """The sources whose figures a plot shows.

    With ``source_ids`` (the summary's ``source_id`` of the rows drawn) exactly those, in
    that order; without (an older summary), every source except the relays whose primary
    source is in the table, which reconciliation sets aside (DESIGN §4 rule 5).

    Parameters
    ----------
    sources
        A sources table.
    source_ids
        The sources of the rows drawn, or None when the summary does not say.

    Returns
    -------
    pandas.DataFrame
        The rows of ``sources`` shown.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"source_id": ["s1", "s2", "s3"], "cites": [None, "s1", None]})
    >>> shown_sources(s, ["s3", "s1"])["source_id"].tolist()
    ['s3', 's1']
    >>> shown_sources(s, None)["source_id"].tolist()
    ['s1', 's3']
    """
    table = pd.DataFrame(sources)
    if "source_id" not in table.columns:
        return table
    ids = table["source_id"].astype(str)
    if source_ids is not None:
        order = {s: i for i, s in enumerate(dict.fromkeys(str(s) for s in source_ids))}
        picked = table.loc[ids.isin(set(order))]
        rank = ids.loc[picked.index].map(order)
        return picked.loc[rank.sort_values(kind="stable").index]
    if "cites" not in table.columns:
        return table
    cites = table["cites"].astype("string").fillna("").str.strip()
    relays_of_present = (cites != "") & cites.isin(set(ids))
    return table.loc[~relays_of_present]


def _product_credit(kind: str, titles: list[str], lang: str) -> str:
    name = PRODUCT_NAMES[kind]
    pattern = PRODUCT_CODES.get(kind)
    found = {m.upper() for t in titles for m in re.findall(pattern, t, re.I)} if pattern else set()
    if 0 < len(found) <= 3:
        name = f"{name} {', '.join(sorted(found))}"
    if len(titles) == 1:
        return name
    n_text = format_number(len(titles), lang)
    return plural("footer.products", len(titles), lang, n_text=n_text, name=name)


def source_credits(
    sources: pd.DataFrame | None,
    source_ids: Iterable[str] | None = None,
    lang: str = "en",
    *,
    limit: int = CREDIT_LIMIT,
) -> list[str]:
    """Names to credit for the figures shown: publishers, else products, else file titles.

    Parameters
    ----------
    sources
        The ``sources`` table.
    source_ids
        The sources of the figures drawn (a summary's ``source_id``); ``None`` credits every
        source but the relays of a primary source in the table.
    lang
        Language of the words around names ("14 products").
    limit
        Most names listed; the rest is counted ("and 3 more").

    Returns
    -------
    list of str
        Names, primary sources first, each once.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"source_id": [f"c{i}" for i in range(14)],
    ...                   "title": [f"EMSR648_AOI{i:02d}_GRA_PRODUCT_r1.json" for i in range(14)],
    ...                   "publisher": [None] * 14, "kind": ["copernicus"] * 14})
    >>> source_credits(s)
    ['14 Copernicus EMS EMSR648 products']
    """
    if sources is None or len(sources) == 0:
        return []
    table = shown_sources(sources, source_ids)
    if "cites" in table.columns:  # primary sources first
        relays = table["cites"].astype("string").fillna("").str.strip() != ""
        table = pd.concat([table.loc[~relays], table.loc[relays]])
    names: list[str] = []
    products: dict[str, list[str]] = {}
    files: list[str] = []
    for _, row in table.iterrows():
        publishers = _publishers(row.get("publisher"))
        kind = "" if is_missing(row.get("kind")) else str(row.get("kind"))
        title = "" if is_missing(row.get("title")) else str(row.get("title")).strip()
        if publishers:
            names.extend(publishers)
        elif kind in PRODUCT_NAMES:
            products.setdefault(kind, []).append(title)
        elif title:
            files.append(title)
    names.extend(_product_credit(kind, titles, lang) for kind, titles in products.items())
    if len(files) > FILES_LISTED:
        n_text = format_number(len(files), lang)
        names.append(plural("footer.files", len(files), lang, n_text=n_text))
    else:
        names.extend(files)
    names = list(dict.fromkeys(n for n in names if n))
    if len(names) > limit:
        names = [*names[: limit - 1], plural("list.more", len(names) - (limit - 1), lang)]
    return names


def provenance(
    kind: str,
    lang: str,
    *,
    sources: list[str],
    notes: list[str],
    alt_text: str,
    boundaries: str | None = None,
) -> Provenance:
    """A :class:`~damage_data.style.Provenance` carrying the footer words of ``lang``.

    Parameters
    ----------
    kind
        ``"map"`` or ``"chart"``.
    lang
        The language of the footer.
    sources
        Publisher names, in order.
    notes
        Data notes (repeats dropped).
    alt_text
        A data-derived description.
    boundaries
        The boundaries' attribution (maps).

    Returns
    -------
    Provenance
        What :func:`damage_data.style.finalise` reads to write the footer.

    Examples
    --------
    >>> p = provenance("chart", "ru", sources=["Trend"], notes=["a", "a"], alt_text="…")
    >>> p.notes, p.words["source"]
    (['a'], 'Источник: {names}')
    """
    return Provenance(
        kind=kind,
        sources=sources,
        boundaries=boundaries,
        notes=list(dict.fromkeys(notes)),
        alt_text=alt_text,
        words={
            "source": text("footer.source", lang, names="{names}"),
            "sources": text("footer.sources", lang, names="{names}"),
            "disclaimer": text("footer.disclaimer", lang),
        },
        lang=lang,
    )


# --------------------------------------------------------------------------- headlines


def _top_unit(rows: pd.DataFrame, values: pd.Series, metric: str) -> Any:
    top: Any = values.astype(float).idxmax()
    if metric.endswith("_share") and "residential" in rows.columns:
        # the finding is where most homes were hit, not a 100% share of a handful
        counts = numeric(rows, "residential").loc[values.index].fillna(-1).astype(float)
        top = counts.idxmax() if (counts > 0).any() else top
    return top


def share_basis(row: pd.Series) -> Any:
    """The typed count a row's residential share was computed on (``residential_basis``).

    Older summaries carry no basis: then the unit's total when the share is
    ``residential / total``, else ``residential / share`` rounded.

    Parameters
    ----------
    row
        A summary row.

    Returns
    -------
    int or None
        The count, or None when the row has no share.

    Examples
    --------
    >>> import pandas as pd
    >>> share_basis(pd.Series({"residential": 80, "residential_share": 0.8, "total": 100}))
    100
    >>> share_basis(pd.Series({"residential": 80, "residential_share": 0.5, "total": 100}))
    160
    """
    if "residential_basis" in row.index and not is_missing(row["residential_basis"]):
        return int(row["residential_basis"])
    resid: Any = row.get("residential")
    share: Any = row.get("residential_share")
    total: Any = row.get("total")
    if is_missing(resid) or is_missing(share):
        return None
    r, s = float(resid), float(share)
    if not is_missing(total) and float(total) > 0 and abs(r / float(total) - s) < 0.001:
        return int(total)
    return round(r / s) if s > 0 else None


def headline(summary: pd.DataFrame, *, metric: str = "total", lang: str = "en") -> tuple[str, str]:
    """A title that states the finding and a description (measure, unit, period).

    Parameters
    ----------
    summary
        One row per unit (:func:`damage_data.summarise`).
    metric
        The summary column the chart shows.
    lang
        Language of the text and names.

    Returns
    -------
    (str, str)
        Title and description.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"unit_code": ["AZ-TAR", "AZ-CAB"], "unit_name": ["Tartar", "Jabrayil"],
    ...                   "total": [293, 47], "as_of": pd.to_datetime(["2021-02-15", "2020-11-24"])})
    >>> headline(s)[0]
    'Tartar: most buildings destroyed or damaged (293)'
    """
    check_summary(summary, [metric])
    rows = unit_rows(summary, [], lang)
    values = numeric(rows, metric)
    rows, values = rows.loc[values.notna()], values.loc[values.notna()]
    if rows.empty:
        raise UsageError(f"no unit has a {metric!r} value")
    top = _top_unit(rows, values, metric)
    code = str(rows.loc[top, "unit_code"])
    name = names_for(rows.loc[[top]], lang)[code]
    label = metric_label(metric, lang)
    span = period(rows["as_of"], lang) if "as_of" in rows.columns else ""
    when = f", {span}" if span else ""
    if metric.endswith("_share"):
        title = text("headline.share", lang, name=name, share=share_label(values[top], lang))
        basis = share_basis(rows.loc[top])
        resid = rows.loc[top].get("residential")
        if not is_missing(resid) and basis:
            title += text(
                "headline.share_counts",
                lang,
                part=count_label(resid, lang=lang),
                basis=count_label(basis, lang=lang),
            )
        return title, text("headline.share_subtitle", lang, measure=label, when=when)
    value = count_texts(rows.loc[[top]], metric, lang).iloc[0]
    key = f"headline.{metric}" if has(f"headline.{metric}", lang) else "headline.other"
    title = text(key, lang, name=name, value=value, measure=label.lower())
    subtitle = plural("headline.subtitle", len(rows), lang, measure=label, when=when)
    return title, subtitle


def timeline_headline(series: pd.DataFrame, *, name: str, lang: str = "en") -> tuple[str, str]:
    """Title and description for a timeline of :func:`~damage_data.plot.reported_series`.

    Parameters
    ----------
    series
        The reported series (one row per source and date).
    name
        The unit's display name.
    lang
        Language of the text.

    Returns
    -------
    (str, str)
        Title and description.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"as_of": pd.to_datetime(["2020-10-17", "2021-02-15"]),
    ...                   "count": [148, 68], "decreasing": [False, True]})
    >>> timeline_headline(s, name="Tartar")[0]
    'Tartar: reported destroyed buildings fell from 148 to 68'
    """
    state = state_words(str(series.attrs.get("damage", "destroyed")), lang)
    first, last = series.iloc[0], series.iloc[-1]
    peak = series.iloc[int(series["count"].astype(int).to_numpy().argmax())]
    number = {"name": name, "state": state}
    # a satellite count of a few streets and an official table of the whole district are
    # no series: no rise or fall is read between counts of different kinds
    one_kind = "kind" not in series.columns or series["kind"].nunique() <= 1
    if not one_kind:
        title = text("timeline.flat", lang, value=format_number(last["count"], lang), **number)
    elif series["decreasing"].any() and last["count"] < peak["count"]:
        high, low = format_number(peak["count"], lang), format_number(last["count"], lang)
        title = text("timeline.fell", lang, high=high, low=low, **number)
    elif len(series) > 1 and last["count"] > first["count"]:
        low, high = format_number(first["count"], lang), format_number(last["count"], lang)
        title = text("timeline.rose", lang, high=high, low=low, **number)
    else:
        title = text("timeline.flat", lang, value=format_number(last["count"], lang), **number)
    when = period(series["as_of"], lang)
    return title, plural("timeline.subtitle", len(series), lang, when=when, **number)
