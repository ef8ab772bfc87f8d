"""Reconciliation rules (DESIGN §4) on the bundled example and on generated cases."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from damage_data._errors import UsageError
from damage_data.example import example_figures, example_sources
from damage_data.reconcile import SUMMARY_COLUMNS, explain, summarise
from damage_data.tables import flags_of, make_figures, make_table


@pytest.fixture(scope="module")
def summary() -> pd.DataFrame:
    return summarise(example_figures(), example_sources()).set_index("unit_code")


def test_columns_are_the_contract(summary: pd.DataFrame) -> None:
    assert ["unit_code", *summary.columns] == list(SUMMARY_COLUMNS)


def test_jabrayil_from_the_primary_statement(summary: pd.DataFrame) -> None:
    cab = summary.loc["AZ-CAB"]
    assert (cab["destroyed"], cab["damaged"], cab["residential"]) == (0, 47, 41)
    assert cab["residential_share"] == pytest.approx(0.872)
    assert cab["n_sources"] == 2
    assert "disagree" not in flags_of(cab["flags"])


def test_fuzuli_prefers_primary_and_flags_disagreement(summary: pd.DataFrame) -> None:
    fuz = summary.loc["AZ-FUZ"]
    assert fuz["destroyed"] == 11 and fuz["assessed"] == 325
    assert pd.isna(fuz["unsplit"])  # the secondary's 325 "damaged or destroyed" is set aside
    assert {"disagree", "relayed"} <= set(flags_of(fuz["flags"]))


def test_tartar_latest_statement_not_added(summary: pd.DataFrame) -> None:
    tar = summary.loc["AZ-TAR"]
    # 15 Feb 2021: 60 facilities + 6 enterprises + 2 social facilities destroyed;
    # 185 - 6 enterprises and 48 - 2 social facilities damaged
    assert (tar["destroyed"], tar["damaged"], tar["assessed"]) == (68, 225, 5705)
    assert tar["as_of"] == pd.Timestamp("2021-02-15")
    assert tar["n_sources"] == 5
    assert "decreasing" in flags_of(tar["flags"])


def test_damaged_excludes_destroyed_subsets() -> None:
    f = make_figures(
        [
            {
                "figure_id": "p",
                "source_id": "s",
                "unit_code": "X-1",
                "damage": "damaged",
                "count": 185,
            },
            {
                "figure_id": "c",
                "source_id": "s",
                "unit_code": "X-1",
                "damage": "destroyed",
                "count": 6,
                "subset_of": "p",
            },
        ]
    )
    row = summarise(f).iloc[0]
    assert (row["damaged"], row["destroyed"], row["total"]) == (179, 6, 185)


def test_single_event_figures_add_and_cumulative_keep_latest() -> None:
    base = {"source_id": "s", "unit_code": "X-1", "damage": "destroyed"}
    events = make_figures(
        [
            {**base, "count": 3, "cumulative": False, "as_of": "2022-03-01"},
            {**base, "count": 4, "cumulative": False, "as_of": "2022-03-02"},
        ]
    )
    assert summarise(events).iloc[0]["destroyed"] == 7
    series = make_figures(
        [
            {**base, "count": 3, "cumulative": True, "as_of": "2022-03-01"},
            {**base, "count": 5, "cumulative": True, "as_of": "2022-03-09"},
        ]
    )
    assert summarise(series).iloc[0]["destroyed"] == 5
    assert summarise(series, as_of="2022-03-05").iloc[0]["destroyed"] == 3


def test_count_units_are_never_mixed() -> None:
    f = make_figures(
        [
            {"source_id": "a", "unit_code": "X-1", "damage": "destroyed", "count": 10},
            {
                "source_id": "b",
                "unit_code": "X-1",
                "damage": "destroyed",
                "count": 400,
                "count_unit": "housing_units",
            },
        ]
    )
    row = summarise(f).iloc[0]
    assert row["destroyed"] == 10 and "mixed_count_units" in flags_of(row["flags"])


def test_unit_figure_wins_over_its_villages_and_villages_alone_are_partial() -> None:
    own = {"source_id": "s", "unit_code": "X-1", "damage": "destroyed"}
    f = make_figures(
        [
            {**own, "count": 10, "level": "adm1"},
            {**own, "count": 4, "level": "settlement", "settlement": "A"},
            {**own, "count": 3, "level": "settlement", "settlement": "B", "source_id": "t"},
        ]
    )
    table = summarise(f, by_source=True).set_index("source_id")
    assert table.loc["s", "destroyed"] == 10
    assert table.loc["t", "destroyed"] == 3 and "partial" in flags_of(table.loc["t", "flags"])


def test_possible_damage_reported_apart_unless_asked() -> None:
    f = make_figures(
        [
            {"source_id": "s", "unit_code": "X-1", "damage": "possible", "count": 8},
            {"source_id": "s", "unit_code": "X-1", "damage": "moderate", "count": 2},
        ]
    )
    assert summarise(f).iloc[0][["damaged", "possibly_damaged"]].tolist() == [2, 8]
    assert summarise(f, count_possible=True).iloc[0]["damaged"] == 10


def test_explain_gives_a_rule_for_every_figure() -> None:
    e = explain(example_figures(), example_sources(), "AZ-FUZ")
    assert e["rule"].str.len().gt(0).all()
    relayed = e.loc[e["figure_id"] == "fuz-a-325"].iloc[0]
    assert relayed["rule"] == "source_relayed" and "relays" in relayed["why"]
    review = e.loc[e["figure_id"] == "fuz-p-rest"].iloc[0]
    assert not review["used"] and review["rule"] == "needs_review"
    with pytest.raises(UsageError, match="AZ-CAB"):
        explain(example_figures(), example_sources(), "AZ-NOPE")


def test_bad_options_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="best, latest, max, all"):
        summarise(example_figures(), policy="median")
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        summarise(example_figures(), as_of="last tuesday")


def test_rollup_adds_a_partial_country_row() -> None:
    f = example_figures()
    f = f[f["level"] != "country"]
    table = summarise(f, example_sources(), rollup=True).set_index("unit_code")
    assert "partial" in flags_of(table.loc["AZ", "flags"])
    units = table[table["level"] == "adm1"]
    assert table.loc["AZ", "destroyed"] == units["destroyed"].sum()


# --- invariants -----------------------------------------------------------------------------

DAMAGES = ["destroyed", "severe", "damaged", "moderate", "damaged_or_destroyed", "assessed"]


@st.composite
def figure_sets(draw: st.DrawFn) -> pd.DataFrame:
    n_sources = draw(st.integers(1, 4))
    rows = []
    for s in range(n_sources):
        for i in range(draw(st.integers(1, 5))):
            rows.append(
                {
                    "figure_id": f"s{s}-{i}",
                    "source_id": f"s{s}",
                    "unit_code": draw(st.sampled_from(["U-1", "U-2"])),
                    "damage": draw(st.sampled_from(DAMAGES)),
                    "structure": draw(st.sampled_from(["any", "residential", "education"])),
                    "count": draw(st.integers(0, 500)),
                    "cumulative": draw(st.sampled_from([True, False])),
                    "as_of": draw(st.sampled_from(["2020-10-01", "2020-11-01", "2020-12-01"])),
                }
            )
    return make_figures(rows)


def _single_source_total(figures: pd.DataFrame) -> pd.Series:
    per = summarise(figures, by_source=True)
    return per.groupby("unit_code")["total"].max()


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(figure_sets())
def test_summary_never_exceeds_the_largest_single_source(figures: pd.DataFrame) -> None:
    summary = summarise(figures).set_index("unit_code")
    largest = _single_source_total(figures)
    for unit, row in summary.iterrows():
        if pd.notna(row["total"]):
            assert row["total"] <= largest[unit]
        for column in ("destroyed", "damaged", "unsplit"):
            if pd.notna(row[column]):
                assert row[column] >= 0
        if pd.notna(row["total"]):
            parts = [row[c] for c in ("destroyed", "damaged", "unsplit") if pd.notna(row[c])]
            assert sum(parts) == row["total"]


@settings(max_examples=40, deadline=None)
@given(figure_sets())
def test_summarise_does_not_mutate_its_input(figures: pd.DataFrame) -> None:
    before = figures.copy()
    summarise(figures)
    pd.testing.assert_frame_equal(before, figures)


def test_sources_table_is_optional_but_used_for_method_rank() -> None:
    f = make_figures(
        [
            {
                "source_id": "press1",
                "unit_code": "X-1",
                "damage": "destroyed",
                "count": 90,
                "as_of": "2021-01-01",
            },
            {
                "source_id": "survey",
                "unit_code": "X-1",
                "damage": "destroyed",
                "count": 70,
                "as_of": "2021-01-01",
            },
        ]
    )
    sources = make_table(
        "sources",
        [
            {"source_id": "press1", "method": "press"},
            {"source_id": "survey", "method": "field_survey"},
        ],
    )
    assert summarise(f, sources).iloc[0]["destroyed"] == 70
    assert summarise(f, sources, policy="max").iloc[0]["destroyed"] == 90


def test_breakdowns_of_a_set_aside_source_are_set_aside_too() -> None:
    e = explain(example_figures(), example_sources(), "AZ-TAR").set_index("figure_id")
    # the 2020-12-16 statement lost to a later one: its parts are not "used" either
    assert not e.loc[["tar4-insp", "tar4-d-h", "tar4-dmg"], "used"].any()
    assert e.loc["tar5-ent-d", "used"]


def test_undated_figures_take_their_source_publication_date() -> None:
    f = make_figures(
        [
            {
                "source_id": "old",
                "unit_code": "X-1",
                "damage": "destroyed",
                "count": 5,
                "as_of": "2021-01-01",
            },
            {"source_id": "new", "unit_code": "X-1", "damage": "destroyed", "count": 9},
        ]
    )
    sources = make_table(
        "sources",
        [
            {"source_id": "old", "method": "press", "published": "2021-01-01"},
            {"source_id": "new", "method": "press", "published": "2021-03-01"},
        ],
    )
    row = summarise(f, sources).iloc[0]
    assert row["destroyed"] == 9 and row["as_of"] == pd.Timestamp("2021-03-01")


def test_multi_source_impact_table_case() -> None:
    """REFERENCE §4: one unit, several sources with their own scales and count units."""
    f = make_figures(
        [
            {
                "figure_id": "a",
                "source_id": "agency",
                "unit_code": "TR",
                "level": "country",
                "damage": "destroyed",
                "count": 156000,
                "count_unit": "housing_units",
                "as_of": "2023-03-01",
            },
            {
                "figure_id": "b",
                "source_id": "ministry",
                "unit_code": "TR",
                "level": "country",
                "damage": "destroyed",
                "count": 15910,
                "as_of": "2023-03-01",
            },
            {
                "figure_id": "b2",
                "source_id": "ministry",
                "unit_code": "TR",
                "level": "country",
                "damage": "severe",
                "count": 40000,
                "as_of": "2023-03-01",
            },
            {
                "figure_id": "c",
                "source_id": "survey",
                "unit_code": "TR",
                "level": "country",
                "damage": "damaged_or_destroyed",
                "count": 35355,
                "as_of": "2023-03-02",
            },
        ]
    )
    sources = make_table(
        "sources",
        [
            {"source_id": "agency", "method": "official_statement"},
            {"source_id": "ministry", "method": "official_statement"},
            {"source_id": "survey", "method": "field_survey"},
        ],
    )
    row = summarise(f, sources).iloc[0]
    # the latest source wins; housing units are never mixed with buildings
    assert (row["unsplit"], row["n_sources"]) == (35355, 2)
    assert {"disagree", "mixed_count_units"} <= set(flags_of(row["flags"]))
    side = summarise(f, sources, by_source=True).set_index("source_id")
    assert side.loc["ministry", "destroyed"] == 15910 and side.loc["ministry", "damaged"] == 40000
    assert not side.loc["ministry", "used"] and "never added" in side.loc["ministry", "why"]
    assert "agency" not in side.index  # its housing units are set aside, not compared
    explained = explain(f, sources, "TR").set_index("figure_id")
    assert "housing_units" in explained.loc["a", "why"]
    latest = summarise(f, sources, policy="max").iloc[0]
    assert latest["total"] == 55910  # the ministry's destroyed + damaged


def test_count_unit_of_a_row_is_that_of_the_figures_counted() -> None:
    # one source: 10 buildings destroyed, and two figures in housing units (R9 keeps the
    # buildings); the row counts buildings, so it must say so even though most of the
    # source's figures about the place are in housing units
    f = make_figures(
        [
            {"source_id": "a", "unit_code": "X-1", "damage": "destroyed", "count": 10},
            {
                "source_id": "a",
                "unit_code": "X-1",
                "damage": "destroyed",
                "count": 400,
                "count_unit": "housing_units",
            },
            {
                "source_id": "a",
                "unit_code": "X-1",
                "damage": "damaged",
                "count": 300,
                "count_unit": "housing_units",
            },
        ]
    )
    row = summarise(f).iloc[0]
    assert row["destroyed"] == 10 and pd.isna(row["damaged"])
    assert row["count_unit"] == "buildings"
    assert summarise(f, by_source=True).iloc[0]["count_unit"] == "buildings"


def test_a_repeated_summary_follows_its_tables_and_hands_out_copies(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Summaries are kept for redraws; an edit to a table, or to a summary, leaks nowhere."""
    figures = make_figures(
        [
            {"figure_id": "a", "source_id": "s", "unit_code": "X-1", "damage": "destroyed"}
            | {"count": 12},
            {"figure_id": "b", "source_id": "s", "unit_code": "X-2", "damage": "damaged"}
            | {"count": 30},
        ]
    )
    sources = make_table("sources", [{"source_id": "s", "title": "one report"}])
    first = summarise(figures, sources)
    assert first.set_index("unit_code").loc["X-1", "destroyed"] == 12
    first.loc[first["unit_code"] == "X-1", "destroyed"] = 999  # the caller's copy
    assert summarise(figures, sources).set_index("unit_code").loc["X-1", "destroyed"] == 12
    figures.loc[figures["figure_id"] == "a", "count"] = 15  # edited in place
    assert summarise(figures, sources).set_index("unit_code").loc["X-1", "destroyed"] == 15
    assert summarise(figures, sources, lang="az").set_index("unit_code").loc["X-2", "damaged"] == 30
    # the same figure by two paths: counted once, and said so on every call
    twice = pd.concat([figures, figures], ignore_index=True)
    for _ in range(2):
        caplog.clear()
        with caplog.at_level("WARNING", logger="damage_data.reconcile"):
            again = summarise(twice, sources).set_index("unit_code")
        assert again.loc["X-1", "destroyed"] == 15
        assert "more than once" in caplog.text


def test_events_restated_at_later_dates_add_their_latest_figures(tmp_path: Path) -> None:
    # Haiyan restated in Fuzuli (50 on 10 Nov, then 70 on 14 Nov) beside Bopha (60): each
    # event was a source of its own and R5 chose one, printing 70. By hand: Haiyan's latest
    # 70 + Bopha 60 = 130 destroyed, 6 + 7 = 13 damaged; the dates of two events narrow
    # nothing (no scope_changed); an event that went down is still flagged decreasing
    from damage_data.pipeline import collect

    path = tmp_path / "ev.csv"
    path.write_text(
        "disaster_name,municipality,date,Houses destroyed,Houses damaged\n"
        "Haiyan,Fuzuli,2013-11-10,50,5\nHaiyan,Fuzuli,2013-11-14,70,6\n"
        "Bopha,Fuzuli,2012-12-05,60,7\nBopha,Tartar,2012-12-05,3,1\n",
        encoding="utf-8",
    )
    table = summarise(collect([path])).set_index("unit_code")
    assert table.loc["AZ-FUZ", ["destroyed", "damaged"]].tolist() == [130, 13]
    assert table.loc["AZ-TAR", ["destroyed", "damaged"]].tolist() == [3, 1]
    assert table.loc["AZ-FUZ", "n_sources"] == 1
    assert "scope_changed" not in str(table.loc["AZ-FUZ", "flags"])
    path.write_text(
        "disaster_name,municipality,date,Houses destroyed\n"
        "Haiyan,Fuzuli,2013-11-10,70\nHaiyan,Fuzuli,2013-11-14,50\nBopha,Fuzuli,2012-12-05,60\n",
        encoding="utf-8",
    )
    row = summarise(collect([path])).set_index("unit_code").loc["AZ-FUZ"]
    assert row["destroyed"] == 50 + 60
    assert "decreasing" in str(row["flags"])


def test_between_equal_sources_a_count_of_all_buildings_beats_some_types(tmp_path: Path) -> None:
    # GEM Puebla 2017, Tlaxcala: EID's 34 damaged buildings of every type, and rows with no
    # source naming 441 schools and 133 shops. Equal on every rule of R5, the larger won:
    # 574 damaged, residential 0 (no homes, it said). By hand: EID's 34, the wider scope
    from damage_data.pipeline import collect

    path = tmp_path / "puebla.csv"
    path.write_text(
        "ID_1,NAME_1,OCCUPANCY,DAMAGED_UNITS,REFERENCE\n"
        "29,Tlaxcala,,34,EID\n29,Tlaxcala,EDU,441,\n29,Tlaxcala,COM6,133,\n",
        encoding="utf-8",
    )
    row = summarise(collect([path])).set_index("unit_code").loc["29"]
    assert row["damaged"] == 34
    assert row["n_sources"] == 2
    assert pd.isna(row["residential"])
