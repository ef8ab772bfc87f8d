"""Tests of place-name resolution (damage_data.places, damage_data.translit) and its CLI."""

from __future__ import annotations

import json
import logging

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from damage_data._data import data_path
from damage_data._errors import UsageError
from damage_data.cli import main
from damage_data.places import (
    DISPLAY_LANGS,
    RESOLVED_COLUMNS,
    display_name,
    display_names,
    list_units,
    match_log,
    resolve_place,
    resolve_places,
)
from damage_data.places.gazetteer import bundled_units, default_gazetteer, make_gazetteer
from damage_data.translit import exact_key, fold, fold_variants, to_latin
from damage_data.vocab import MATCH_KINDS

# --- transliteration keys ------------------------------------------------------------------


@pytest.mark.parametrize(
    "spellings",
    [
        ["Kəlbəcər", "Kelbadzhar", "Кельбаджар", "Kalbajar", "Kelbajar", "Kälbäjär"],
        ["Cəbrayıl", "Jabrayil", "Dzhebrail", "Jebrail", "Джебраил", "Djebrail"],
        ["Şuşa", "Shusha", "Шуша", "Šuša"],
        ["Shushi", "Շուշի"],
        ["Xocavənd", "Xocavend", "Khojavend", "Ходжавенд"],
        ["Stepanakert", "Степанакерт", "Ստեփանակերտ"],
        ["Tərtər", "Terter", "Tartar", "Тертер"],
        ["Харків", "Kharkiv"],
        ["Odesa", "Odessa", "Одеса", "Одесса"],
        ["Lori", "Լոռի", "Loṙi"],
        ["Kǝngǝrli", "Kəngərli", "Kangarli"],
    ],
)
def test_fold_joins_scripts_and_romanisations(spellings: list[str]) -> None:
    assert len({fold(s) for s in spellings}) == 1, [fold(s) for s in spellings]


def test_fold_keeps_different_names_apart() -> None:
    names = ["Ağdam", "Ağdaş", "Xocalı", "Xocavənd", "Quba", "Qubadlı", "Samux", "Şamaxı"]
    assert len({fold(n) for n in names}) == len(names)


_LETTERS = (
    "abcdefghijklmnopqrstuvwxyzəǝğşçıöüx"
    "абвгґдеёєжзиіїйклмнопрстуфхцчшщъыьэюя"
    "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ"
    " -'"
)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_LETTERS, max_size=20))
def test_fold_ignores_case(text: str) -> None:
    assert fold(text.upper()) == fold(text) == fold(text.lower())


def test_exact_key_reads_turned_e_as_schwa() -> None:
    # U+01DD written for U+0259 (as in the ISO name of Kǝngǝrli)
    assert exact_key(" Kǝngǝrli") == exact_key("Kəngərli") == "kəngərli"
    assert exact_key("Füzuli   Rayonu") == "füzuli rayonu"


def test_to_latin_and_adjective_variants() -> None:
    assert to_latin("Київ") == "kiyiv"
    assert to_latin("Ереван") == "erevan"
    assert fold("Fizuli") in fold_variants("Физулинский").bases
    assert fold_variants("Ağdam") == (fold("Ağdam"), (), ())
    assert fold_variants("Donetsk").bases == ()  # a noun ending in -sk
    assert fold_variants("Belaya Skala").bases == ()  # several words: no adjective
    assert fold_variants("Oktyabr'skoye").same == fold_variants("Октябрьское").same


# --- the bundled alias table, whole ------------------------------------------------------


def test_every_bundled_alias_resolves_as_its_one_to_one_flag_says() -> None:
    aliases = pd.read_csv(data_path("boundaries", "az_aliases.csv"))
    out = resolve_places(aliases["alias"])
    one = aliases["one_to_one"].to_numpy()
    got = out["unit_code"].fillna("").to_numpy()
    missed = aliases[one & (got != aliases["unit_code"].to_numpy())]
    # the only exception: a name that is also the official name of another unit (Yevlax is
    # both the city AZ-YE and the rayon AZ-YEV) is ambiguous between the two, never guessed
    names = default_gazetteer("AZ").units
    by_key: dict[str, set[str]] = {}
    for code, name in zip(names["unit_code"], names["name"], strict=True):
        by_key.setdefault(fold(name), set()).add(code)
    for i, row in missed.iterrows():
        assert out.loc[i, "match"] == "ambiguous", (row["alias"], out.loc[i].to_dict())
        shared = by_key.get(fold(row["alias"]), set())
        assert row["unit_code"] in out.loc[i, "candidates"]
        assert len(shared | {row["unit_code"]}) > 1, row["alias"]
    assert len(missed) <= 3
    many = out[~one]
    assert len(many) > 5
    assert (many["match"] == "ambiguous").all()
    assert many["unit_code"].isna().all()
    for cands, code in zip(many["candidates"], aliases.loc[~one, "unit_code"], strict=True):
        assert code in cands


#: Pairs of units that share a name: a bare name of either is ambiguous by design.
SHARED_NAMES = [
    {"AZ-LA", "AZ-LAN"},
    {"AZ-NV", "AZ-NX"},
    {"AZ-SA", "AZ-SAK"},
    {"AZ-YE", "AZ-YEV"},
    {"UA-30", "UA-32"},
]


@pytest.mark.parametrize(
    ("file", "column"), [("aliases_am_ua.csv", "alias"), ("display_names.csv", "name")]
)
def test_every_curated_name_resolves_to_its_unit(file: str, column: str) -> None:
    table = pd.read_csv(data_path("places", file))
    if "one_to_one" in table.columns:
        table = table[table["one_to_one"]].reset_index(drop=True)
    out = resolve_places(table[column])
    missed = out["unit_code"].fillna("").to_numpy() != table["unit_code"].to_numpy()
    for i in missed.nonzero()[0]:
        code, row = table.loc[i, "unit_code"], out.loc[i]
        if row["match"] == "exact":
            # another unit's own name ("Kyiv", an alternative name of Kyivska oblast) is
            # that unit's, never the alias's: only within a known shared-name pair
            assert row["unit_name"] == table.loc[i, column], row.to_dict()
            assert any({row["unit_code"], code} == pair for pair in SHARED_NAMES)
            continue
        assert row["match"] == "ambiguous", (table.loc[i, column], row.to_dict())
        assert any(set(row["candidates"]) == pair and code in pair for pair in SHARED_NAMES), (
            table.loc[i, column],
            row["candidates"],
        )
    assert missed.mean() < 0.1


# --- war-area names, neighbours, Armenia and Ukraine ------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Fyzuli", "AZ-FUZ"),
        ("Fizuli", "AZ-FUZ"),
        ("Физули", "AZ-FUZ"),
        ("Füzuli rayonu", "AZ-FUZ"),
        ("Физулинский район", "AZ-FUZ"),
        ("Fuzuli region", "AZ-FUZ"),
        ("Varanda", "AZ-FUZ"),
        ("Dzhebrail", "AZ-CAB"),
        ("Jabrail district", "AZ-CAB"),
        ("Kelbadzhar", "AZ-KAL"),
        ("Kelbajarr", "AZ-KAL"),
        ("Agdam district", "AZ-AGM"),
        ("Aghdam", "AZ-AGM"),
        ("Xocavend", "AZ-XVD"),
        ("Khojavend", "AZ-XVD"),
        ("Terter", "AZ-TAR"),
        ("Tartar", "AZ-TAR"),
        ("Tərtər", "AZ-TAR"),
        ("Şuşa", "AZ-SUS"),
        ("Shushi", "AZ-SUS"),
        ("Шуша", "AZ-SUS"),
        ("Stepanakert", "AZ-XA"),
        ("Степанакерт", "AZ-XA"),
        ("Ստեփանակերտ", "AZ-XA"),
        ("Ganja", "AZ-GA"),
        ("Gəncə", "AZ-GA"),
        ("Гянджа", "AZ-GA"),
        ("Barda", "AZ-BAR"),
        ("Aghjabadi", "AZ-AGC"),
        ("Gubadly", "AZ-QBI"),
        ("Zangelan", "AZ-ZAN"),
        ("Lachyn", "AZ-LAC"),
        ("Khojaly", "AZ-XCI"),
        ("Khojavent", "AZ-XVD"),
        # Azerbaijani written without its letters, as plain-ASCII data has it
        ("Agdas", "AZ-AGS"),
        ("Lacin", "AZ-LAC"),
        ("Cebrayil", "AZ-CAB"),
        ("Kelbecer", "AZ-KAL"),
        ("Gence", "AZ-GA"),
        ("Samaxi", "AZ-SMI"),
        ("Lori", "AM-LO"),
        ("Լոռի", "AM-LO"),
        ("Syunik", "AM-SU"),
        ("Սյունիք", "AM-SU"),
        ("Shirak", "AM-SH"),
        ("Yerevan", "AM-ER"),
        ("Երևան", "AM-ER"),
        ("Kharkiv", "UA-63"),
        ("Kharkov", "UA-63"),
        ("Харків", "UA-63"),
        ("Харьковская область", "UA-63"),
        ("Odesa", "UA-51"),
        ("Odessa", "UA-51"),
        ("Одеса", "UA-51"),
        ("Kyiv oblast", "UA-32"),
        ("Київська область", "UA-32"),
        ("Kyiv city", "UA-30"),
        ("Lviv", "UA-46"),
        ("Львів", "UA-46"),
        ("Zaporizhzhia", "UA-23"),
        ("Crimea", "UA-43"),
    ],
)
def test_names_resolve_to_their_unit(name: str, code: str) -> None:
    row = resolve_place(name)
    assert row["unit_code"] == code, row
    assert row["match"] in ("code", "exact", "alias", "transliteration", "fuzzy")
    assert row["place_text"] == name


def test_generic_words_do_not_decide_a_match() -> None:
    out = resolve_places(["Füzuli rayonu", "Füzuli", "Füzuli city", "rayon"])
    assert out["unit_code"].tolist()[:3] == ["AZ-FUZ"] * 3
    assert out.loc[3, "match"] == "unresolved"  # a generic word alone is no place


def test_codes_iso_hasc_and_geonames() -> None:
    out = resolve_places(["AZ-CAB", "az-cab", "AZ.FU", "AZ.14", "UA-63"])
    assert out["unit_code"].tolist() == ["AZ-CAB", "AZ-CAB", "AZ-FUZ", "AZ-CAB", "UA-63"]
    assert (out["match"] == "code").all()


def test_misspelling_is_fuzzy_with_its_score() -> None:
    row = resolve_place("Zangilam")
    assert row["unit_code"] == "AZ-ZAN"
    assert row["match"] == "fuzzy"
    assert 85 <= row["score"] < 100
    assert "fuzzy" in row["reason"]


def test_sound_alike_spelling_is_a_fuzzy_match() -> None:
    out = resolve_places(["Susha", "Shusa", "Karkiv"])
    assert out["unit_code"].tolist() == ["AZ-SUS", "AZ-SUS", "UA-63"]
    assert out["match"].tolist() == ["fuzzy"] * 3
    assert (out["score"] == 95).all()
    assert out["reason"].str.contains("sounds like").all()


def test_unknown_names_come_back_unresolved() -> None:
    out = resolve_places(["Atlantis", "Qwertyuiop", "Karabakh", None, ""])
    assert (out["match"] == "unresolved").all()
    assert out["unit_code"].isna().all()
    assert out["reason"].str.len().gt(0).all()


def test_country_without_gazetteer_returns_unresolved_not_an_error() -> None:
    out = resolve_places(["Kathmandu", "Lalitpur"], country="NP")
    assert out["match"].tolist() == ["unresolved", "unresolved"]
    assert out["reason"].str.contains("no bundled gazetteer for NP").all()


def test_country_filter() -> None:
    assert resolve_place("Lori", country="UA")["match"] == "unresolved"
    assert resolve_place("Lori", country="AM")["unit_code"] == "AM-LO"


# --- ambiguity, levels and parents --------------------------------------------------------


def test_same_name_city_and_rayon_is_ambiguous_unless_decided() -> None:
    out = resolve_places(["Şəki", "Shaki", "Shaki city", "Şəki rayonu", "Şəki şəhəri", "Seki"])
    assert out.loc[5, "match"] == "ambiguous"
    out = out.iloc[:5]
    assert out["match"].tolist()[:2] == ["ambiguous", "ambiguous"]
    assert sorted(out.loc[0, "candidates"]) == ["AZ-SA", "AZ-SAK"]
    assert out["unit_code"].tolist()[2:] == ["AZ-SA", "AZ-SAK", "AZ-SA"]
    assert resolve_place("Şəki", level="city")["unit_code"] == "AZ-SA"
    assert resolve_place("Şəki", level="district")["unit_code"] == "AZ-SAK"


@pytest.mark.parametrize("name", ["Kashatagh", "Hadrut", "Mardakert", "Askeran", "Donbas"])
def test_many_to_many_names_are_ambiguous(name: str) -> None:
    row = resolve_place(name)
    assert row["match"] == "ambiguous"
    assert row["unit_code"] is None
    assert len(row["candidates"]) >= 1
    assert "one_to_one=False" in row["reason"]


def test_stated_parent_contradicting_gazetteer_is_flagged() -> None:
    row = resolve_place("Jabrayil in Fuzuli")
    assert row["unit_code"] == "AZ-CAB"
    assert "parent_conflict" in row["reason"]
    row = resolve_place("Jabrayil", parent="Fuzuli")
    assert row["unit_code"] == "AZ-CAB"
    assert "parent_conflict" in row["reason"]
    assert "parent_conflict" not in resolve_place("Jabrayil", parent="Azerbaijan")["reason"]
    assert "parent_conflict" in resolve_place("Jabrayil", parent="Ukraine")["reason"]


def test_settlement_resolves_to_its_unit_and_unknown_place_to_its_parent() -> None:
    out = resolve_places(["Horadiz", "Horadiz, Fuzuli district", "Abdal in Aghdam"])
    assert out["unit_code"].tolist() == ["AZ-FUZ", "AZ-FUZ", "AZ-AGM"]
    assert out["match"].tolist() == ["parent"] * 3
    assert out["level"].tolist() == ["settlement"] * 3
    assert not out["reason"].str.contains("parent_conflict").any()


def test_level_settlement_and_unknown_level() -> None:
    row = resolve_place("Horadiz", level="settlement")
    assert (row["unit_code"], row["match"], row["level"]) == ("AZ-FUZ", "parent", "settlement")
    # GeoNames has a town Fuzuli (AZ-FUZ) and a village Fuzuli in Şəmkir (AZ-SKR)
    row = resolve_place("Fuzuli", level="settlement")
    assert row["match"] == "ambiguous"
    assert sorted(row["candidates"]) == ["AZ-FUZ", "AZ-SKR"]
    assert resolve_place("Fuzuli", level="adm1")["match"] == "alias"
    assert resolve_place("Horadiz", level="adm1")["match"] == "unresolved"
    with pytest.raises(UsageError, match="unknown level 'oblast'"):
        resolve_places(["Kyiv"], level="oblast")


def test_parent_chooses_among_repeated_names() -> None:
    units = pd.DataFrame(
        {
            "unit_code": ["UA48", "UA51", "UA4806007", "UA5102009"],
            "name": ["Mykolaivska", "Odeska", "Ivanivska", "Ivanivska"],
            "level": ["adm1", "adm1", "adm3", "adm3"],
            "parent_code": ["UA", "UA", "UA48", "UA51"],
            "country": "UA",
        }
    )
    gaz = make_gazetteer(units)
    out = resolve_places(
        ["Ivanivska", "Ivanivska", "Ivanivska"], parent=[None, "Odeska", "UA48"], gazetteer=gaz
    )
    assert out["match"].tolist() == ["ambiguous", "exact", "exact"]
    assert out["unit_code"].tolist()[1:] == ["UA5102009", "UA4806007"]
    assert "parent 'Odeska' chose" in out.loc[1, "reason"]


def test_fuzzy_options() -> None:
    assert resolve_place("Zangilam", fuzzy_threshold=95)["match"] == "unresolved"
    with pytest.raises(UsageError, match="fuzzy_threshold"):
        resolve_places(["x"], fuzzy_threshold=120)


def test_a_single_string_is_one_name() -> None:
    out = resolve_places("Terter")
    assert out["unit_code"].tolist() == ["AZ-TAR"]


def test_parent_list_must_match_names() -> None:
    with pytest.raises(UsageError, match="2 values for 3 names"):
        resolve_places(["a", "b", "c"], parent=["x", "y"])


def test_do_not_fuzzy_list_is_honoured() -> None:
    units = pd.DataFrame({"unit_code": ["X-1", "X-2"], "name": ["Samux", "Kalbajar"]})
    assert resolve_place("Samuxa", gazetteer=make_gazetteer(units))["unit_code"] == "X-1"
    guarded = make_gazetteer(units, do_not_fuzzy=["Samux"])
    row = resolve_place("Samuxa", gazetteer=guarded)
    assert row["match"] == "unresolved"


def test_fuzzy_ties_are_ambiguous() -> None:
    units = pd.DataFrame({"unit_code": ["X-1", "X-2"], "name": ["Ivanivka", "Ivanovka"]})
    row = resolve_place("Ivanvka", gazetteer=make_gazetteer(units))
    assert row["match"] == "ambiguous"
    assert sorted(row["candidates"]) == ["X-1", "X-2"]


# --- the output table ----------------------------------------------------------------------


def test_table_shape_order_and_input_untouched() -> None:
    names = pd.Series(["Terter", "Atlantis", "Terter", None, "Şəki"], name="place")
    before = names.copy()
    out = resolve_places(names)
    pd.testing.assert_series_equal(names, before)
    assert tuple(out.columns) == RESOLVED_COLUMNS
    assert len(out) == len(names)
    assert out.loc[[0, 1, 2, 4], "place_text"].tolist() == ["Terter", "Atlantis", "Terter", "Şəki"]
    assert pd.isna(out.loc[3, "place_text"])
    assert out.loc[0, "unit_code"] == out.loc[2, "unit_code"] == "AZ-TAR"
    assert set(out["match"]) <= set(MATCH_KINDS)
    assert out["candidates"].map(lambda c: isinstance(c, list)).all()
    # rows are independent objects: changing one list does not change another
    out.loc[0, "candidates"].append("X")
    assert out.loc[2, "candidates"] == []


_names = st.lists(
    st.one_of(
        st.sampled_from(["Fizuli", "Şəki", "Kashatagh", "Kyiv", "Lori", "Jabrayil in Fuzuli"]),
        st.text(min_size=0, max_size=20),
    ),
    max_size=15,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_names)
def test_invariants_nothing_guessed_silently(names: list[str]) -> None:
    out = resolve_places(names)
    assert len(out) == len(names)
    assert out["place_text"].fillna("").tolist() == names
    has_unit = out["unit_code"].notna()
    # ambiguous and unresolved rows never carry a unit; every other row does
    assert not has_unit[out["match"].isin(["ambiguous", "unresolved"])].any()
    assert has_unit[~out["match"].isin(["ambiguous", "unresolved"])].all()
    # whatever is not a code or exact match says why
    review = ~out["match"].isin(["code", "exact"])
    assert out.loc[review, "reason"].str.len().gt(0).all()
    assert (out.loc[out["match"] == "ambiguous", "candidates"].map(len) >= 1).all()


def test_same_name_gives_same_answer_whatever_its_neighbours() -> None:
    alone = resolve_place("Kelbadzhar")
    among = resolve_places(["Atlantis", "Kelbadzhar", "Şəki"]).iloc[1]
    assert among["unit_code"] == alone["unit_code"]
    assert among["match"] == alone["match"]


# --- match log -----------------------------------------------------------------------------


def test_match_log_lists_rows_to_review_and_logs_them(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="damage_data.places"):
        resolved = resolve_places(["Füzuli", "Fyzuli", "Fyzuli", "Atlantis", "Jabrayil in Füzuli"])
    log = match_log(resolved)
    assert log["place_text"].tolist() == ["Fyzuli", "Atlantis", "Jabrayil in Füzuli"]
    assert log["n"].tolist() == [2, 1, 1]
    assert "Atlantis" in caplog.text
    assert any(
        r.levelno == logging.WARNING and "Atlantis" in r.getMessage() for r in caplog.records
    )


def test_match_log_keeps_exact_matches_with_parent_conflict() -> None:
    resolved = resolve_places(["Cəbrayıl"], parent="Füzuli")
    assert resolved.loc[0, "match"] == "exact"
    assert len(match_log(resolved)) == 1


def test_match_log_rejects_other_tables() -> None:
    with pytest.raises(UsageError, match="missing columns"):
        match_log(pd.DataFrame({"place_text": ["x"]}))


# --- display names -------------------------------------------------------------------------


def test_every_bundled_unit_has_an_english_display_name() -> None:
    units = default_gazetteer().units
    table = pd.read_csv(data_path("places", "display_names.csv"))
    english = set(table.loc[table["lang"] == "en", "unit_code"])
    assert set(units["unit_code"]) <= english


def test_display_names_in_each_language() -> None:
    assert display_name("AZ-CAB") == "Jabrayil"
    assert display_name("AZ-CAB", "az") == "Cəbrayıl"
    assert display_name("AZ-CAB", "ru") == "Джебраил"
    assert display_name("AZ-CAB", "hy") == "Jabrayil"  # no Armenian form: falls back to English
    assert display_name("AM-LO", "hy") == "Լոռի"
    assert display_name("UA-63", "native") == "Харківська область"
    assert display_names(["AZ-SUS", None, "ZZ-ZZZ"], "en") == ["Shusha", "", "ZZ-ZZZ"]
    for lang in DISPLAY_LANGS:
        assert all(display_names(bundled_units()["unit_code"], lang))


def test_display_name_rejects_unknown_language() -> None:
    with pytest.raises(UsageError, match="en, az, ru, hy, uk, native"):
        display_name("AZ-CAB", "fr")


def test_list_units() -> None:
    out = list_units(country="AZ", lang="en")
    assert len(out) == 78  # 77 boundary units + AZ-NX
    assert out["unit_code"].is_monotonic_increasing
    assert out.set_index("unit_code").loc["AZ-XA", "display_name"] == "Khankendi"


# --- CLI -----------------------------------------------------------------------------------


def test_cli_resolve_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["places", "resolve", "Fyzuli", "Şəki", "Atlantis", "--format", "json"])
    assert code == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["place_text"] for r in rows] == ["Fyzuli", "Şəki", "Atlantis"]
    assert all(list(r) == list(RESOLVED_COLUMNS) for r in rows)
    assert rows[0]["unit_code"] == "AZ-FUZ"
    assert sorted(rows[1]["candidates"]) == ["AZ-SA", "AZ-SAK"]
    assert rows[2]["match"] == "unresolved"


def test_cli_resolve_csv_with_parent_and_country(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["places", "resolve", "Jabrayil", "--parent", "Fuzuli", "--country", "AZ", "-f", "csv"]
    )
    assert code == 0
    captured = capsys.readouterr()
    table = pd.read_csv(pd.io.common.StringIO(captured.out))
    assert table.loc[0, "unit_code"] == "AZ-CAB"
    assert "parent_conflict" in table.loc[0, "reason"]
    assert "need review" in captured.err


def test_cli_list_and_bad_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["places", "list", "--country", "AM", "--lang", "hy", "-f", "csv"]) == 0
    out = capsys.readouterr().out
    assert "Լոռի" in out
    assert main(["places", "resolve", "x", "--format", "xml"]) == 2
    assert "choose one of" in capsys.readouterr().err
    assert main(["places", "list", "--lang", "fr"]) == 2
    assert main(["places", "list", "--country", "ZZ"]) == 2


def test_cli_places_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (
        ["places", "--help"],
        ["places", "resolve", "--help"],
        ["places", "list", "--help"],
    ):
        assert main(args) == 0
        assert "Usage" in capsys.readouterr().out


def test_a_masculine_adjective_is_a_raion_not_its_oblast() -> None:
    # ACAPS Ukraine raion table: "Kharkivskyi" (raion, masculine) was read as Kharkivska
    # oblast (feminine) at score 100, and the oblast row built from one raion
    out = resolve_places(["Volynskyi", "Закарпатський", "Kharkivska", "Харьковская"])
    assert out["unit_code"].iloc[:2].isna().all()
    assert (out["match"].iloc[:2] == "unresolved").all()
    assert out["candidates"].iloc[0] == ["UA-07"]
    assert out["unit_code"].tolist()[2:] == ["UA-63", "UA-63"]
    assert (out["level"].iloc[2:] == "adm1").all()
    # a rayon is masculine in Russian, and a marz ("марз") is too: those stay matched
    again = resolve_places(["Физулинский", "Fizulinskiy rayon", "Сюникский марз", "Ширакский"])
    assert again["unit_code"].tolist() == ["AZ-FUZ", "AZ-FUZ", "AM-SU", "AM-SH"]


def test_a_units_own_name_beats_an_alias_of_another() -> None:
    # ACAPS Ukraine: "Kyiv" (beside a "Kyivska" row) was ambiguous and its 581 buildings left
    # out: it is UA-30's own name, and only an alternative name of Kyivska oblast (Natural
    # Earth names oblasts after their capitals)
    out = resolve_places(["Kyiv", "Kyivska", "Şəki"])
    assert out["unit_code"].tolist()[:2] == ["UA-30", "UA-32"]
    assert out.loc[0, "match"] == "exact" and "UA-32" in out.loc[0, "reason"]
    # two units of one name (the city and the rayon Şəki) stay a question for the user
    assert out.loc[2, "match"] == "ambiguous"


def test_a_raion_is_a_place_inside_its_oblast() -> None:
    # ACAPS Ukraine raion table (123 raions, no oblast column): 108 names went unresolved,
    # "Bohodukhivskyi" (Kharkiv) was placed in Donetsk, where GeoNames has a place of that
    # name, and "Khmelnytskyi" (a raion, and the capital's name) was read as its oblast's own
    # total, hiding the other raions of that oblast. The raions and their oblasts are OCHA's
    # COD-AB admin-2 table (data/places/subunits_ua_raions.csv)
    names = [
        "Bohodukhivskyi",
        "Bohodukhivskyi raion",
        "Богодухівський район",
        "Богодуховский район",
        "Kharkivskyi",
        "Khmelnytskyi",
        "Kropyvnytskyi",
        "Bakhmutskyi",
    ]
    out = resolve_places(names, country="UA")
    assert out["unit_code"].tolist() == ["UA-63"] * 5 + ["UA-68", "UA-35", "UA-14"]
    assert (out["level"] == "settlement").all()
    assert (out["match"] == "parent").all()
    # a stated parent that disagrees is a conflict to review, not a silent move
    conflict = resolve_places(["Bohodukhivskyi"], parent=["Donetska"], country="UA")
    assert "parent_conflict" in conflict.loc[0, "reason"]
    # the oblasts and their capitals as such are unchanged
    same = resolve_places(["Kharkiv", "Khmelnytska oblast", "Kyiv"], country="UA")
    assert same["unit_code"].tolist() == ["UA-63", "UA-68", "UA-30"]
    assert (same["level"] == "adm1").all()


def test_raion_rows_add_up_into_their_oblast(tmp_path) -> None:
    # by hand: Kharkiv oblast 4 + 6 = 10 from two raions, Khmelnytskyi oblast 2 + 3 = 5;
    # neither oblast states its own total, so both are partial
    from damage_data import collect, summarise

    path = tmp_path / "raions.csv"
    path.write_text(
        "rayon,damaged_buildings\nBohodukhivskyi,4\nKharkivskyi,6\n"
        "Khmelnytskyi,2\nKamianets-Podilskyi,3\n",
        encoding="utf-8",
    )
    rows = summarise(collect([path], country="UA")).set_index("unit_code")
    assert sorted(rows.index) == ["UA-63", "UA-68"]
    assert rows.loc["UA-63", "damaged"] == 10
    assert rows.loc["UA-68", "damaged"] == 5
    assert "partial" in str(rows.loc["UA-63", "flags"])
    assert "partial" in str(rows.loc["UA-68", "flags"])


def test_ukrainian_units_have_ukrainian_names_in_ukrainian() -> None:
    # --lang uk printed "Kyiv Oblast" inside Ukrainian text; the Ukrainian names are the
    # units' native names (Київська область is the oblast's official name)
    assert display_name("UA-32", "uk") == "Київська область"
    assert display_name("UA-30", "uk") == "Київ"
    assert display_name("UA-32", "en") == "Kyiv Oblast"
