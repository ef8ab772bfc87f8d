"""The furniture of maps and charts in every display language (data/i18n/<lang>.json).

Expected strings are read from the language files themselves, so the tests check that the
charts use them (nothing left in English), not what the translations say.
"""

from __future__ import annotations

import json
import re
import string

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from damage_data import plot, style
from damage_data._data import data_path
from damage_data.example import example_figures, example_sources
from damage_data.numbers import LANGS
from damage_data.plot import i18n
from damage_data.reconcile import summarise

FURNITURE = ("en", "az", "ru", "uk", "hy")
#: The plural categories each language's rules can ask for (CLDR).
PLURAL_FORMS = {"en": {"one", "other"}, "az": {"one", "other"}, "hy": {"one", "other"}}
PLURAL_FORMS |= {"ru": {"one", "few", "many"}, "uk": {"one", "few", "many"}}


def load(lang: str) -> dict:
    with data_path("i18n", f"{lang}.json").open(encoding="utf-8") as handle:
        table = json.load(handle)
    table.pop("_comment", None)
    return table


def slots(value) -> set[str]:
    texts = value.values() if isinstance(value, dict) else [value]
    return {
        f for t in texts if isinstance(t, str) for _, f, _, _ in string.Formatter().parse(t) if f
    }


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def data():
    figures, sources = example_figures(), example_sources()
    return figures, sources, summarise(figures, sources)


def test_every_display_language_has_a_furniture_file():
    assert set(LANGS) - {"native"} == set(FURNITURE)
    assert i18n.furniture_lang("native") == "en"


@pytest.mark.parametrize("lang", FURNITURE[1:])
def test_every_key_exists_in_every_language(lang):
    en, other = load("en"), load(lang)
    assert sorted(other) == sorted(en)
    for key, value in other.items():
        assert value, key
        # a translation may only use the values the code fills in
        assert slots(value) <= slots(en[key]), key
        if isinstance(value, dict):
            assert PLURAL_FORMS[lang] <= set(value), key
    assert len(other["date.months"]) == 12 and len(set(other["date.months"])) == 12


@pytest.mark.parametrize(
    ("lang", "n", "form"),
    [
        ("ru", 1, "one"),
        ("ru", 3, "few"),
        ("ru", 11, "many"),
        ("ru", 22, "few"),
        ("uk", 25, "many"),
        ("en", 1, "one"),
        ("en", 0, "other"),
        ("hy", 1, "one"),
        ("az", 2, "other"),
    ],
)
def test_plural_categories(lang, n, form):
    assert i18n.plural_category(n, lang) == form


@pytest.mark.parametrize("lang", FURNITURE)
def test_map_furniture_follows_the_language(data, lang):
    figures, sources, summary = data
    words = load(lang)
    fig = plot.chart("map", figures, sources, summary=summary, lang=lang)
    ax = fig.axes[0]
    anatomy = style.anatomy_of(fig)
    legend = ax.get_legend()
    assert legend.get_title().get_text() == words["metric.total"]
    assert [t.get_text() for t in legend.get_texts()][-1] == words["legend.no_reports"]
    assert anatomy.source.startswith(words["footer.sources"].split("{")[0])
    assert words["footer.boundaries_ne"] in anatomy.source
    assert anatomy.disclaimer == words["footer.disclaimer"]
    assert words["note.disagree"] in anatomy.note
    alt = words["map.alt"]["other"] if isinstance(words["map.alt"], dict) else words["map.alt"]
    assert anatomy.alt_text.startswith(re.split(r"[({]", alt)[0].strip())
    bar = next(a for a in ax.artists if a.get_gid() == "damage_data:scale_bar")
    km = words["unit.km"].replace("{value}", "").strip()
    assert bar.txt_label.get_text().endswith(km)
    if lang != "en":  # nothing left in English
        english = load("en")
        shown = [anatomy.title, anatomy.subtitle, anatomy.note, anatomy.source, anatomy.alt_text]
        shown += [t.get_text() for t in legend.get_texts()] + [legend.get_title().get_text()]
        for key in ("legend.no_reports", "metric.total", "footer.disclaimer", "note.disagree"):
            assert not any(english[key] in s for s in shown), key
        assert not any(s.startswith("Source") for s in shown)


@pytest.mark.parametrize("lang", FURNITURE)
@pytest.mark.parametrize("kind", ["bars", "share", "timeline"])
def test_chart_furniture_follows_the_language(data, lang, kind):
    figures, sources, summary = data
    words = load(lang)
    fig = plot.chart(kind, figures, sources, summary=summary, lang=lang, unit_code="AZ-TAR")
    ax = fig.axes[0]
    anatomy = style.anatomy_of(fig)
    assert anatomy.source.startswith(words["footer.sources"].split("{")[0])
    if kind == "bars":
        assert [t.get_text() for t in ax.get_legend().get_texts()] == [
            words["group.destroyed"],
            words["group.damaged"],
        ]
        assert words["note.never_overlap"] in anatomy.note
    elif kind == "share":
        assert words["note.share_basis"] in anatomy.note
        joiner = words["share.label"].split("{part}")[1].split("{basis}")[0]
        assert any(joiner in t.get_text() for t in ax.texts)
    else:
        fig.canvas.draw()
        ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
        months = set(words["date.months"])
        assert any(t in months or t.split(" ")[-1] in months for t in ticks), ticks
        assert words["note.decreasing"] in anatomy.note
    if lang != "en":
        english_fig = plot.chart(kind, figures, sources, summary=summary, unit_code="AZ-TAR")
        assert anatomy.title != style.anatomy_of(english_fig).title
        english = load("en")
        assert english["footer.sources"].split("{")[0] not in anatomy.source


def test_headline_in_russian_uses_the_russian_template(data):
    _figures, _sources, summary = data
    title, subtitle = plot.headline(summary, lang="ru")
    template = load("ru")["headline.total"]
    assert re.fullmatch(
        re.escape(template).replace(r"\{name\}", ".+").replace(r"\{value\}", r"[\d\u00a0+–]+"),
        title,
    )
    assert "окт 2020–ноя 2021" in subtitle
