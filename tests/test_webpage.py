"""The report's web page: its HTML (parsed), escaping, and the page in a real headless Chromium.

Expected numbers come from the bundled example's raw CSV with plain pandas, or from the
summary handed to the page formatted with plain Python, never from the page module.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from damage_data import example_figures, example_sources, summarise
from damage_data._data import data_path
from damage_data.export import safe_url
from damage_data.places.gazetteer import bundled_units
from damage_data.webpage import render_webpage

RAW = data_path("examples", "karabakh_2020", "figures.csv")
DAMAGED = ("minor", "moderate", "severe", "damaged")
TITLE = "Buildings damaged and destroyed in the Karabakh war, 2020"


# --------------------------------------------------------------------------- a small DOM


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)  # type: ignore[misc]

    def iter(self) -> Iterator[Node]:
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.iter()
            if (tag is None or n.tag == tag)
            and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


VOID = {"meta", "link", "br", "hr", "img", "input", "source", "area", "base", "col", "wbr"}


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)  # type: ignore[arg-type]


def parse(page: str) -> Node:
    tree = _Tree()
    tree.feed(page)
    tree.close()
    return tree.root


def plain(value: Any, open_ended: bool = False) -> str:
    """A count as the page should print it, written here without the package: "500+" when
    the figure has no upper bound ("more than 500")."""
    return "" if pd.isna(value) else f"{int(value):,}" + ("+" if open_ended else "")


def shown(rec: dict[str, Any], column: str) -> str:
    """A summary count as printed: open-ended when its ``*_max`` is empty."""
    bound = rec.get(f"{column}_max")
    return plain(rec[column], f"{column}_max" in rec and pd.isna(bound))


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    figures, sources = example_figures(), example_sources()
    summary = summarise(figures, sources)
    units = bundled_units("AZ")
    page = render_webpage(summary, figures, sources, units, title=TITLE)
    return {
        "figures": figures,
        "sources": sources,
        "summary": summary,
        "units": units,
        "page": page,
        "dom": parse(page),
    }


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_csv(RAW, dtype={"count": "Int64"})


def table_rows(dom: Node) -> dict[str, Node]:
    table = dom.find_all("table", id="dd-summary")[0]
    return {r.attrs["data-unit"]: r for r in table.find_all("tr") if "data-unit" in r.attrs}


def column_index(dom: Node, label: str) -> int:
    heads = dom.find_all("table", id="dd-summary")[0].find_all("th", scope="col")
    return [h.text().strip() for h in heads].index(label)


def cell(row: Node, index: int) -> Node:
    return [c for c in row.children if isinstance(c, Node) and c.tag in ("th", "td")][index]


# --------------------------------------------------------------------------- the HTML


def test_every_summary_row_is_in_the_table(example: dict[str, Any]) -> None:
    rows = table_rows(example["dom"])
    assert sorted(rows) == sorted(example["summary"]["unit_code"])
    national = example["dom"].find_all("tbody", **{"class": "national"})[0]
    assert [r.attrs["data-unit"] for r in national.find_all("tr")] == ["AZ"]


def test_single_source_units_match_the_raw_file(example: dict[str, Any], raw: pd.DataFrame) -> None:
    # units with one source and no breakdowns: accepted figures add up by damage group
    dom = example["dom"]
    rows = table_rows(dom)
    idx = {c: column_index(dom, c.capitalize()) for c in ("destroyed", "damaged", "total")}
    for code in ("AZ-GA", "AZ-BAR", "AZ-AGC"):
        own = raw[(raw["unit_code"] == code) & (raw["status"] == "accepted")]
        assert own["source_id"].nunique() == 1 and own["subset_of"].isna().all()
        destroyed = own.loc[own["damage"] == "destroyed", "count"].sum()
        damaged = own.loc[own["damage"].isin(DAMAGED), "count"].sum()
        # "more than 500" in the raw file: the sum has no upper bound
        more = own["qualifier"].isin(["more_than", "at_least"])
        open_d = bool(more[own["damage"] == "destroyed"].any())
        open_m = bool(more[own["damage"].isin(DAMAGED)].any())
        expected = {
            "destroyed": plain(destroyed, open_d) if (own["damage"] == "destroyed").any() else "—",
            "damaged": plain(damaged, open_m) if own["damage"].isin(DAMAGED).any() else "—",
            "total": plain(destroyed + damaged, open_d or open_m),
        }
        got = {c: cell(rows[code], i).text().strip() for c, i in idx.items()}
        assert got == expected, code


def test_every_number_equals_the_summary(example: dict[str, Any]) -> None:
    dom, summary = example["dom"], example["summary"]
    rows = table_rows(dom)
    for column in ("destroyed", "damaged", "total", "assessed", "residential"):
        label = {"assessed": "Inspected"}.get(column, column.capitalize())
        i = column_index(dom, label)
        for rec in summary.to_dict("records"):
            got = cell(rows[rec["unit_code"]], i).text().strip()
            want = (shown(rec, column) if f"{column}_max" in rec else plain(rec[column])) or "—"
            assert got == want, (rec["unit_code"], column)
    # a share carries what it is a share of (the page printed "87%" alone): by hand from
    # the summary row, "87% · 41 of 47"
    i = column_index(dom, "Residential share")
    for rec in summary.to_dict("records"):
        share = rec["residential_share"]
        want = (
            "—"
            if pd.isna(share)
            else f"{round(100 * float(share))}% · {plain(rec['residential'])} of "
            f"{plain(rec['residential_basis'])}"
        )
        assert cell(rows[rec["unit_code"]], i).text().strip() == want


def test_map_has_one_path_per_unit_with_its_numbers(example: dict[str, Any]) -> None:
    dom, summary, units = example["dom"], example["summary"], example["units"]
    paths = [p for p in dom.find_all("path") if "unit" in p.classes()]
    assert sorted(p.attrs["data-unit"] for p in paths) == sorted(units["unit_code"])
    by_code = {p.attrs["data-unit"]: p for p in paths}
    reported = summary[summary["level"] != "country"]
    for rec in reported.to_dict("records"):
        path = by_code[rec["unit_code"]]
        assert path.attrs["data-status"] == "reported"
        assert path.attrs["tabindex"] == "0"
        for column in ("destroyed", "damaged", "total"):
            assert path.attrs[f"data-{column}"] == shown(rec, column)
        # the tooltip without script: the SVG <title>
        title = path.find_all("title")[0].text()
        assert rec["unit_name"] in title and shown(rec, "total") in title
    silent = set(units["unit_code"]) - set(reported["unit_code"])
    assert silent and all(by_code[c].attrs["data-status"] == "no-reports" for c in silent)
    assert all("tabindex" not in by_code[c].attrs for c in silent)


def test_a_reported_zero_is_not_no_reports(example: dict[str, Any]) -> None:
    f, s, units = example["figures"], example["sources"], example["units"]
    page = render_webpage(example["summary"], f, s, units, title="t", metric="destroyed")
    paths = {
        p.attrs["data-unit"]: p for p in parse(page).find_all("path") if "data-unit" in p.attrs
    }
    # Jabrayil reports 0 destroyed (raw figure cab-p-0), Barda gives no destroyed figure
    assert paths["AZ-CAB"].attrs["data-destroyed"] == "0"
    assert "zero" in paths["AZ-CAB"].classes()
    assert "not-stated" in paths["AZ-BAR"].classes()
    nothing = paths["AZ-KAL"]
    assert "no-reports" in nothing.classes()
    fills = {paths[c].attrs["fill"] for c in ("AZ-CAB", "AZ-BAR", "AZ-KAL")}
    assert len(fills) == 3


def test_numbers_link_to_the_figures_they_were_made_from(
    example: dict[str, Any], raw: pd.DataFrame
) -> None:
    dom = example["dom"]
    ids = {n.attrs["id"] for n in dom.iter() if "id" in n.attrs}
    table = dom.find_all("table", id="dd-summary")[0]
    links = [a.attrs["href"] for a in table.find_all("a")]
    assert links and all(h.startswith("#") and h[1:] in ids for h in links)
    # Tartar's destroyed number links to the figures used; they add up to it
    row = table_rows(dom)["AZ-TAR"]
    target = cell(row, column_index(dom, "Destroyed")).find_all("a")[0].attrs["href"][1:]
    block = next(n for n in dom.iter() if n.attrs.get("id") == target)
    used = [li.attrs["data-figure"] for li in block.find_all("li")]
    counts = raw.set_index("figure_id").loc[used, "count"]
    assert counts.sum() == 68
    assert all(raw.set_index("figure_id").loc[used, "damage"] == "destroyed")
    # and each listed figure quotes its evidence from the raw file
    for fid in used:
        item = next(n for n in block.find_all("li") if n.attrs["data-figure"] == fid)
        evidence = raw.set_index("figure_id").loc[fid, "evidence"]
        assert evidence in item.find_all("blockquote")[0].text()


def test_sources_and_caveats_are_listed(example: dict[str, Any]) -> None:
    dom, sources = example["dom"], example["sources"]
    section = next(n for n in dom.iter() if n.attrs.get("id") == "sources")
    text = section.text()
    assert all(t in text for t in sources["title"])
    hrefs = [a.attrs["href"] for a in section.find_all("a")]
    assert sorted(hrefs) == sorted(sources["url"].dropna())
    caveats = next(n for n in dom.iter() if n.attrs.get("id") == "caveats").text()
    assert "Sources about the same date disagree" in caveats
    # plain words, no codes: neither flags nor vocabulary terms reach the reader
    body = dom.find_all("body")[0]
    visible = "".join(n.text() for n in body.children if isinstance(n, Node) and n.tag != "script")
    assert set(re.findall(r"\b[a-z]+_[a-z_]+\b", visible)) == {"damage_data"}  # the footer


def test_ranges_and_lower_bounds_print_as_such(example: dict[str, Any]) -> None:
    summary = example["summary"].copy()
    for c in ("destroyed", "damaged", "total"):
        summary[f"{c}_min"] = summary[c]
        summary[f"{c}_max"] = summary[c]
    tar = summary["unit_code"] == "AZ-TAR"
    summary.loc[tar, ["destroyed", "destroyed_min", "destroyed_max"]] = [500, 500, pd.NA]
    summary.loc[tar, ["damaged", "damaged_min", "damaged_max"]] = [57, 55, 60]
    summary.loc[tar, ["total", "total_min", "total_max"]] = [557, 555, pd.NA]
    f, s, units = example["figures"], example["sources"], example["units"]
    dom = parse(render_webpage(summary, f, s, units, title="t"))
    row = table_rows(dom)["AZ-TAR"]
    got = [
        cell(row, column_index(dom, c)).text().strip() for c in ("Destroyed", "Damaged", "Total")
    ]
    assert got == ["500+", "55–60", "555+"]
    path = next(p for p in dom.find_all("path") if p.attrs.get("data-unit") == "AZ-TAR")
    assert (path.attrs["data-destroyed"], path.attrs["data-damaged"]) == ("500+", "55–60")
    # sorting still uses the number
    assert cell(row, column_index(dom, "Destroyed")).attrs["data-sort"] == "500"


def test_language_marks_and_words(example: dict[str, Any]) -> None:
    f, s, units = example["figures"], example["sources"], example["units"]
    dom = parse(render_webpage(example["summary"], f, s, units, title="t", lang="az"))
    assert dom.find_all("html")[0].attrs["lang"] == "az"
    row = table_rows(dom)["AZ-TAR"]
    assert "5.705" in row.text()


HOSTILE = '<script>window.__pwned=1</script>"><img src=x onerror="window.__pwned=2">'


def hostile_inputs(example: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    summary = example["summary"].copy()
    figures = example["figures"].copy()
    sources = example["sources"].copy()
    summary["unit_name"] = summary["unit_name"].astype(object)
    summary.loc[summary["unit_code"] == "AZ-BAR", "unit_name"] = "Barda" + HOSTILE
    summary.loc[summary["unit_code"] == "AZ-BAR", "flags"] = "preliminary;x<svg onload=alert(1)>"
    bar = figures["figure_id"] == "bar-obj"
    figures.loc[bar, "evidence"] = "</blockquote>" + HOSTILE
    figures.loc[bar, "figure_id"] = 'bar" onfocus="window.__pwned=3'
    figures.loc[bar, "structure_text"] = HOSTILE
    first = sources.index[0]
    sources.loc[first, "title"] = "Commission" + HOSTILE
    sources.loc[first, "publisher"] = "<b onmouseover=alert(1)>pub</b>"
    sources.loc[first, "url"] = "javascript:window.__pwned=4"
    sources.loc[sources.index[1], "url"] = " JaVaScRiPt:alert(1)"
    sources.loc[sources.index[2], "url"] = "data:text/html,<script>alert(1)</script>"
    return summary, figures, sources


def test_hostile_strings_are_shown_as_text(example: dict[str, Any]) -> None:
    summary, figures, sources = hostile_inputs(example)
    page = render_webpage(
        summary,
        figures,
        sources,
        example["units"],
        title="Damage" + HOSTILE,
        notes=["<iframe src=https://example.org/x></iframe>"],
    )
    dom = parse(page)
    tags = [n.tag for n in dom.iter()]
    assert tags.count("script") == 1  # the page's own
    assert not {"img", "iframe", "object", "embed", "link", "base", "form"} & set(tags)
    handlers = [(n.tag, k) for n in dom.iter() for k in n.attrs if k.startswith("on")]
    assert handlers == []
    hrefs = [n.attrs["href"] for n in dom.iter() if "href" in n.attrs]
    assert all(h.startswith("#") or re.match(r"https?://", h) for h in hrefs), hrefs
    text = dom.text()
    assert "Barda" + HOSTILE in text and "Commission" + HOSTILE in text
    assert "</blockquote>" + HOSTILE in text
    assert dom.find_all("title")[0].text() == "Damage" + HOSTILE


def test_nothing_is_fetched_from_outside(example: dict[str, Any]) -> None:
    dom, page = example["dom"], example["page"]
    assert not [n.tag for n in dom.iter() if "src" in n.attrs or n.tag == "link"]
    style = dom.find_all("style")[0].text() + dom.find_all("script")[0].text()
    assert "http" not in style and "@import" not in style and "url(" not in style
    assert all(u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", page))
    csp = dom.find_all("meta", http_equiv="Content-Security-Policy")[0].attrs["content"]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp


def test_same_input_same_page(example: dict[str, Any]) -> None:
    f, s, units = example["figures"], example["sources"], example["units"]
    assert render_webpage(example["summary"], f, s, units, title=TITLE) == example["page"]


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://en.trend.az/business/3381124.html", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("data:text/html,x", False),
        ("//example.org/x", False),
        ("https://exa mple.org", False),
        ("file:///etc/passwd", False),
        (None, False),
    ],
)
def test_only_http_addresses_become_links(url: str | None, ok: bool) -> None:
    assert (safe_url(url) is not None) is ok


# --------------------------------------------------------------------------- in Chromium

BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        executable, why = None, "playwright is not installed (pip install '.[test]')"
    else:
        why = "no Chromium found (apt-get install chromium; .ci/run installs it)"
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail(f"the browser test must run in CI: {why}")
        pytest.skip(why)
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        yield instance
        instance.close()


@dataclass
class Opened:
    page: Any
    requests: list[str]
    errors: list[str]
    url: str


def open_page(browser: Any, path: Path, *, javascript: bool = True) -> Opened:
    context = browser.new_context(
        viewport={"width": 1100, "height": 900}, java_script_enabled=javascript
    )
    url = path.resolve().as_uri()
    requests: list[str] = []
    errors: list[str] = []

    def intercept(route: Any) -> None:
        requests.append(route.request.url)
        if route.request.url == url:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", intercept)
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url) if r.url != url else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(url)
    page.wait_for_load_state("load")
    return Opened(page, requests, errors, url)


@pytest.fixture
def page_file(example: dict[str, Any], tmp_path: Path) -> Path:
    path = tmp_path / "index.html"
    path.write_text(example["page"], encoding="utf-8")
    return path


def test_renders_offline(browser: Any, example: dict[str, Any], page_file: Path) -> None:
    opened = open_page(browser, page_file)
    page = opened.page
    assert page.locator("svg.map path.unit").count() == len(example["units"])
    assert page.locator("#dd-summary tbody tr").count() == len(example["summary"])
    box = page.locator("svg.map").bounding_box()
    assert box is not None and box["width"] > 600 and box["height"] > 300
    assert page.title() == TITLE
    page.screenshot(path=str(page_file.parent / "page.png"), full_page=True)
    # only the file itself was loaded, and no script or policy error was raised
    assert [u for u in opened.requests if u != opened.url] == []
    assert opened.errors == []
    page.context.close()


def expected_tip(rec: dict[str, Any], title: str) -> dict[str, str]:
    stamp = pd.Timestamp(rec["as_of"])
    return {
        "destroyed": shown(rec, "destroyed") or "Not stated",
        "damaged": shown(rec, "damaged") or "Not stated",
        "total": shown(rec, "total"),
        "as-of": f"{stamp.day} {stamp:%b %Y}",
        "source": title,
    }


def tip_fields(page: Any) -> dict[str, str]:
    return page.eval_on_selector_all(
        "#dd-tip dd", "els => Object.fromEntries(els.map(e => [e.dataset.field, e.textContent]))"
    )


def test_tooltips_show_the_units_numbers(
    browser: Any, example: dict[str, Any], page_file: Path
) -> None:
    opened = open_page(browser, page_file)
    page = opened.page
    summary = example["summary"].set_index("unit_code")
    titles = example["sources"].set_index("source_id")["title"]
    tip = page.locator("#dd-tip")
    assert tip.is_hidden()
    # hover: Tartar, whose best source is the Trend statement of 16 Feb 2021
    page.locator("#unit-AZ-TAR").hover()
    assert tip.is_visible()
    assert page.locator("#dd-tip .name").text_content() == "Tartar"
    rec = summary.loc["AZ-TAR"].to_dict()
    assert tip_fields(page) == expected_tip(rec, titles["s6527e78612b3"])
    page.screenshot(path=str(page_file.parent / "tooltip_hover.png"))
    page.mouse.move(1, 1)
    assert tip.is_hidden()
    # keyboard: Tab from the top reaches the units of the map, each showing its tooltip
    seen: dict[str, dict[str, str]] = {}
    for _ in range(40):
        page.keyboard.press("Tab")
        code = page.evaluate("document.activeElement.getAttribute('data-unit')")
        if code:
            assert tip.is_visible()
            seen[code] = tip_fields(page)
        elif seen:
            break
    units = summary[summary["level"] != "country"]
    assert sorted(seen) == sorted(units.index)
    for code, fields in seen.items():
        rec = summary.loc[code].to_dict()
        assert fields["total"] == shown(rec, "total"), code
        assert fields["destroyed"] == (shown(rec, "destroyed") or "Not stated"), code
    page.locator("#unit-AZ-GA").focus()
    page.screenshot(path=str(page_file.parent / "tooltip_focus.png"))
    # a unit without reports says so
    page.locator("#unit-AZ-KAL").hover()
    assert "No reports" in (tip.text_content() or "")
    assert opened.errors == []
    page.context.close()


def test_table_sorts_by_a_clicked_column(
    browser: Any, example: dict[str, Any], page_file: Path
) -> None:
    opened = open_page(browser, page_file)
    page = opened.page
    units = example["summary"][example["summary"]["level"] != "country"]
    order = "#dd-summary tbody.units tr"

    def shown() -> list[str]:
        return page.eval_on_selector_all(order, "rows => rows.map(r => r.dataset.unit)")

    before = shown()
    assert before == units.sort_values("total", ascending=False)["unit_code"].tolist()
    header = page.locator("#dd-summary thead th", has_text="Destroyed")
    header.locator("button").click()
    after = shown()
    assert after != before
    # numbers, not text; units that state no number last
    ranked = units.assign(d=units["destroyed"].astype("Float64"))
    stated = ranked[ranked["d"].notna()].sort_values("d", ascending=False, kind="stable")
    assert after[: len(stated)] == stated["unit_code"].tolist()
    assert set(after[len(stated) :]) == set(ranked.loc[ranked["d"].isna(), "unit_code"])
    assert header.get_attribute("aria-sort") == "descending"
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert shown()[: len(stated)] == stated["unit_code"].tolist()[::-1]
    # the national row stays apart
    assert page.locator("#dd-summary tbody.national tr").count() == 1
    # by keyboard too
    page.locator("#dd-summary thead th", has_text="Area").locator("button").focus()
    page.keyboard.press("Enter")
    names = page.eval_on_selector_all(order, "rows => rows.map(r => r.cells[0].dataset.sort)")
    assert names == sorted(names)
    page.screenshot(path=str(page_file.parent / "sorted.png"), full_page=True)
    page.context.close()


def test_reads_without_javascript(browser: Any, example: dict[str, Any], page_file: Path) -> None:
    opened = open_page(browser, page_file, javascript=False)
    page = opened.page
    assert page.locator("svg.map path.unit").count() == len(example["units"])
    assert page.locator("svg.map").is_visible()
    assert page.locator("#dd-summary tbody tr").count() == len(example["summary"])
    assert page.locator("#unit-AZ-TAR title").count() == 1  # the browser's own tooltip
    page.screenshot(path=str(page_file.parent / "no_script.png"))
    assert [u for u in opened.requests if u != opened.url] == []
    page.context.close()


def test_hostile_page_runs_nothing(browser: Any, example: dict[str, Any], tmp_path: Path) -> None:
    summary, figures, sources = hostile_inputs(example)
    path = tmp_path / "hostile.html"
    path.write_text(
        render_webpage(summary, figures, sources, example["units"], title="x" + HOSTILE),
        encoding="utf-8",
    )
    opened = open_page(browser, path)
    page = opened.page
    page.locator("#unit-AZ-BAR").hover()
    page.locator("#unit-AZ-BAR").focus()
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("#dd-tip .name").text_content() == "Barda" + HOSTILE
    assert [u for u in opened.requests if u != opened.url] == []
    assert opened.errors == []
    page.context.close()


def test_docstring_examples_run() -> None:
    import doctest

    from damage_data import webmap, webpage

    for module in (webpage, webmap):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.attempted > 0 and result.failed == 0, module.__name__


def test_every_word_is_translated() -> None:
    import csv
    import string

    path = data_path("webpage", "labels.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and set(rows[0]) == {"key", "en", "az", "ru", "uk", "hy"}
    fields = string.Formatter()
    for row in rows:
        want = {f for _, f, _, _ in fields.parse(row["en"]) if f}
        for lang in ("az", "ru", "uk", "hy"):
            assert row[lang].strip(), (row["key"], lang)
            assert {f for _, f, _, _ in fields.parse(row[lang]) if f} == want, (row["key"], lang)


@pytest.mark.parametrize("lang", ["az", "ru", "uk", "hy"])
def test_page_furniture_follows_the_language(example: dict[str, Any], lang: str) -> None:
    import csv

    with data_path("webpage", "labels.csv").open(encoding="utf-8", newline="") as handle:
        words = {r["key"]: r for r in csv.DictReader(handle)}
    f, s, units = example["figures"], example["sources"], example["units"]
    summary = summarise(f, s, lang=lang if lang != "uk" else "en")
    dom = parse(render_webpage(summary, f, s, units, title="t", lang=lang))
    heads = [h.text().strip() for h in dom.find_all("th", scope="col")]
    assert heads[:4] == [words[k][lang] for k in ("unit", "destroyed", "damaged", "total")]
    visible = dom.find_all("body")[0].text()
    for key in ("table_heading", "caveats_heading", "evidence_intro", "caveat_method", "footer"):
        assert words[key][lang] in visible
        assert words[key]["en"] not in visible


def test_units_without_boundaries_and_no_sources(example: dict[str, Any]) -> None:
    summary = pd.DataFrame(
        {
            "unit_code": ["IT-X1", "IT-X2"],
            "unit_name": ["Amatrice", "Accumoli"],
            "level": ["adm3", "adm3"],
            "destroyed": pd.array([120, pd.NA], dtype="Int64"),
            "damaged": pd.array([40, 7], dtype="Int64"),
            "total": pd.array([160, 7], dtype="Int64"),
            "flags": ["", ""],
        }
    )
    figures = example["figures"].iloc[0:0]
    page = render_webpage(summary, figures, None, None, title="Central Italy")
    dom = parse(page)
    assert sorted(table_rows(dom)) == ["IT-X1", "IT-X2"]
    assert not dom.find_all("svg", **{"class": "map"})  # no boundary: no map, said so
    assert "Not on the map (no boundary): Amatrice, Accumoli." in dom.text()
    assert "160 buildings are reported destroyed" not in dom.text()
    assert "120 buildings are reported destroyed and 47 damaged" in dom.text()


def test_an_empty_summary_says_so(example: dict[str, Any]) -> None:
    empty = example["summary"].iloc[0:0]
    dom = parse(render_webpage(empty, example["figures"], example["sources"], title="t"))
    assert "No area has a usable figure." in dom.text()
    assert table_rows(dom) == {}
    assert "0 buildings" not in dom.text()


def test_options_reach_the_evidence(example: dict[str, Any]) -> None:
    # with an earlier as-of date, Tartar's evidence is the statement of that time
    f, s, units = example["figures"], example["sources"], example["units"]
    options = {"as_of": "2020-10-20"}
    summary = summarise(f, s, **options)
    dom = parse(
        render_webpage(summary, f, s, units, title="t", summary_options=options, generated="x")
    )
    block = next(n for n in dom.iter() if n.attrs.get("id") == "ev-row-AZ-TAR")
    used = {li.attrs["data-figure"] for li in block.find_all("li")}
    raw = pd.read_csv(RAW)
    early = raw[(raw["unit_code"] == "AZ-TAR") & (raw["as_of"] <= "2020-10-20")]
    assert used & set(early["figure_id"])
    listed = {li.attrs["data-figure"] for d in block.find_all("div") for li in d.find_all("li")}
    assert listed <= set(early["figure_id"])
    assert "Generated x." in dom.text()
