"""Count tables: encodings, header rows, number formats, wide and long layouts, mappings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from damage_data._errors import InputError, UsageError
from damage_data.pipeline import collect, figures_of
from damage_data.readers import load
from damage_data.readers.headers import state_in_header as damage_in_header
from damage_data.readers.raw import decimal_mark, parse_count
from damage_data.tables import validate

WIDE = (
    "District,Houses destroyed,Houses damaged,Schools damaged\nFuzuli,11,314,4\nJabrayil,0,41,1\n"
)


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _check(result) -> None:  # type: ignore[no-untyped-def]
    rep = result.report
    assert rep["rows_read"] == rep["rows_kept"] + rep["rows_rejected"]


def test_wide_table_figures(tmp_path: Path) -> None:
    result = load(_write(tmp_path, "t.csv", WIDE))
    _check(result)
    assert result.kind == "table"
    figures = result.figures
    assert len(figures) == 6
    assert result.report["damage_counts"] == {"damaged": 360, "destroyed": 11}
    assert result.report["structure_counts"] == {"residential": 366, "education": 5}
    fuzuli = figures[(figures["place_text"] == "Fuzuli") & (figures["damage"] == "destroyed")]
    assert fuzuli["count"].tolist() == [11]
    assert fuzuli["locator"].tolist() == ["row 2, column Houses destroyed"]
    assert "Houses destroyed=11" in fuzuli["evidence"].iloc[0]
    validate(figures)


def test_places_resolved_through_gazetteer(tmp_path: Path) -> None:
    # readers keep places as written; the place stage of collect() resolves them once
    figures = collect([_write(tmp_path, "t.csv", WIDE)]).figures
    assert set(figures["unit_code"]) == {"AZ-FUZ", "AZ-CAB"}
    assert set(figures["match"]) <= {"exact", "alias", "transliteration"}


@pytest.mark.parametrize("encoding", ["cp1251", "utf-16", "utf-8-sig"])
def test_cyrillic_encodings_detected(tmp_path: Path, encoding: str) -> None:
    text = (
        "Район;Разрушены дома;Повреждены дома\n"
        "Физули;11;314\nДжебраил;2;41\nАгдам;5;20\nЛачин;1;7\n"
    )
    result = load(_write(tmp_path, "ru.csv", text, encoding))
    _check(result)
    assert result.report["rows_kept"] == 4
    assert result.figures["place_text"].tolist()[0] == "Физули"
    assert result.report["damage_counts"] == {"damaged": 382, "destroyed": 19}


def test_turkish_cp1254_with_dot_thousands(tmp_path: Path) -> None:
    text = (
        "İl;Yıkıldı;Hasar gördü\nKahramanmaraş;1.234;12.500\nHatay;2.001;3.456\n"
        "Adıyaman;988;1.002\nMalatya;1.500;2.750\nGaziantep;1.111;999\n"
    )
    result = load(_write(tmp_path, "tr.csv", text, "cp1254"))
    _check(result)
    assert result.figures["place_text"].iloc[0] == "Kahramanmaraş"
    assert result.report["damage_counts"]["destroyed"] == 1234 + 2001 + 988 + 1500 + 1111


def test_wrong_encoding_named_gives_clear_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "ru.csv", "Район,Разрушено\nФизули,11\n", "utf-16")
    with pytest.raises(InputError, match="cannot decode as ascii"):
        load(path, encoding="ascii")


def test_header_row_detected_below_title_lines(tmp_path: Path) -> None:
    text = (
        "State Commission on damage\nStatus as of 24 Nov 2020\n\n"
        "District,Houses destroyed,Houses damaged\nFuzuli,11,314\nJabrayil,0,47\n"
    )
    result = load(_write(tmp_path, "t.csv", text))
    assert result.report["rows_read"] == 2
    assert result.figures["locator"].iloc[0] == "row 5, column Houses destroyed"


def test_long_table_with_labels_and_bad_rows(tmp_path: Path) -> None:
    text = (
        "District,Status,Number,Date\n"
        "Fuzuli,destroyed,11,2020-11-24\nFuzuli,damaged,314,2020-11-24\n"
        "Aghdam,wrecked,5,2020-11-24\nShusha,destroyed,-2,2020-11-24\n"
        "Lachin,destroyed,many,2020-11-24\nKalbajar,destroyed,2.5,2020-11-24\n"
    )
    result = load(_write(tmp_path, "long.csv", text))
    _check(result)
    assert result.report["rows_kept"] == 2 and result.report["rows_rejected"] == 4
    reasons = dict(zip(result.rejects["value"], result.rejects["reason"], strict=True))
    assert reasons["-2"] == "negative count"
    assert reasons["many"] == "not a number"
    assert reasons["2.5"] == "not a whole number"
    assert reasons["wrecked"].startswith("unknown damage label; known labels:")
    assert "destroyed" in reasons["wrecked"]  # the known labels are listed
    assert result.figures["as_of"].dt.strftime("%Y-%m-%d").unique().tolist() == ["2020-11-24"]


def test_user_column_mapping(tmp_path: Path) -> None:
    # headers no vocabulary knows ("ruined" became a word for destroyed on 3 Dec 2026)
    text = "Rayon,Kategoriya A,Kategoriya B\nFuzuli,11,314\n"
    with pytest.raises(InputError, match="no damage counts"):
        load(_write(tmp_path, "t.csv", text))
    result = load(
        tmp_path / "t.csv",
        columns={"place": "Rayon", "destroyed": "Kategoriya A", "damaged": "Kategoriya B"},
    )
    assert result.report["damage_counts"] == {"damaged": 314, "destroyed": 11}
    with pytest.raises(UsageError, match="no such column"):
        load(tmp_path / "t.csv", columns={"place": "District"})
    with pytest.raises(UsageError, match="unknown column role"):
        load(tmp_path / "t.csv", columns={"town": "Rayon"})


def test_xlsx_and_tsv(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"District": ["Fuzuli", "Aghdam"], "Houses destroyed": [11, 5], "Houses damaged": [314, 20]}
    )
    xlsx = tmp_path / "t.xlsx"
    frame.to_excel(xlsx, index=False)
    assert load(xlsx).report["damage_counts"] == {"damaged": 334, "destroyed": 16}
    tsv = tmp_path / "t.tsv"
    frame.to_csv(tsv, sep="\t", index=False)
    assert load(tsv).report["damage_counts"] == {"damaged": 334, "destroyed": 16}


def test_hxl_wide_tags(tmp_path: Path) -> None:
    text = (
        "District,Date,Destroyed,Partially damaged\n"
        "#adm1+name,#date,#affected+buildings+destroyed,#affected+buildings+partially\n"
        "Fuzuli,2020-11-24,11,314\nAghdam,2020-11-24,5,20\n"
    )
    result = load(_write(tmp_path, "h.csv", text))
    assert result.kind == "hxl"
    assert result.report["damage_counts"] == {"damaged": 334, "destroyed": 16}
    assert set(result.figures["level"].dropna()) == {"adm1"}


@pytest.mark.parametrize(
    ("text", "mark", "expected"),
    [
        ("1,234", None, (1234, None)),
        ("1.234", None, (1234, None)),
        ("1 234", None, (1234, None)),
        ("1'234'567", None, (1234567, None)),
        ("12", None, (12, None)),
        ("", None, (None, None)),
        ("3.0", ".", (3, None)),
        ("1.234,0", None, (1234, None)),
        ("1,5", ",", (None, "not a whole number")),
        ("-4", None, (None, "negative count")),
        ("abc", None, (None, "not a number")),
    ],
)
def test_parse_count(text: str, mark: str | None, expected: tuple[int | None, str | None]) -> None:
    assert parse_count(text, mark) == expected


def test_decimal_mark_per_column() -> None:
    assert decimal_mark(["12,5", "3"]) == ","
    assert decimal_mark(["1.234", "2.000"]) is None  # thousands, not decimals
    assert decimal_mark(["1.234,56"]) == ","


def test_per_structure_csv_with_lon_lat(tmp_path: Path) -> None:
    text = (
        "id,lon,lat,damage,structure\n1,46.93,39.99,destroyed,house\n"
        "2,46.94,39.98,severe,school\n3,,,destroyed,house\n4,47.0,139.6,none,house\n"
    )
    result = load(_write(tmp_path, "s.csv", text))
    _check(result)
    assert result.kind == "gis"
    assert result.structures is not None and len(result.structures) == 2
    reasons = set(result.rejects["reason"])
    assert "missing geometry: a structure needs a point or polygon" in reasons
    assert "latitude outside ±90: longitude and latitude look swapped" in reasons
    figures = figures_of(result, country="AZ")
    assert int(figures["count"].sum()) == 2 and set(figures["unit_code"]) == {"AZ-AGM"}


def test_swapped_lat_lon_columns_are_swapped_back(tmp_path: Path) -> None:
    # Manila written lat-first under lon/lat headers: every "latitude" is above 90
    text = "lon,lat,damage\n14.60,120.98,destroyed\n14.61,121.00,damaged\n"
    result = load(_write(tmp_path, "s.csv", text))
    assert result.report["rows_kept"] == 2
    assert any("other way round" in w for w in result.report["warnings"])
    assert result.structures.geometry.x.round(2).tolist() == [120.98, 121.0]


def test_wkt_rows(tmp_path: Path) -> None:
    text = (
        'wkt,damage_class\n"POINT (46.93 39.99)",1\n"POLYGON ((0 0, 1 0, 1 1, 0 0))",2\n'
        '"POINT (oops)",1\n'
    )
    result = load(_write(tmp_path, "w.csv", text), scheme="unosat")
    _check(result)
    assert result.report["damage_counts"] == {"destroyed": 1, "severe": 1}
    assert result.rejects["reason"].tolist() == ["unreadable WKT geometry"]


def test_press_text_delegated_to_text_reader(tmp_path: Path) -> None:
    path = _write(tmp_path, "wire.txt", "In Tartar district, 133 houses were destroyed.")
    result = load(path)
    _check(result)
    assert result.kind == "text"
    assert result.sources.loc[0, "method"] == "press"
    assert result.report["damage_counts"] == {"destroyed": 133}
    assert set(result.figures["source_id"]) == {result.source_id}


@pytest.mark.parametrize(
    ("header", "state"),
    [
        ("NO_DAMAGE", "none"),
        ("MODERATE_DAMAGE", "moderate"),
        ("Heavy/Collapsed", "damaged_or_destroyed"),
        ("Heavily damaged and collapsed", "damaged_or_destroyed"),
        ("damage_sites", "damaged_or_destroyed"),
        ("Houses fully destroyed", "destroyed"),
        ("Partially damaged", "damaged"),
        ("LIGHT_DAMAGE", "minor"),  # GEM's light damage: EMS-98 grade 1 (headers.csv)
        ("Slight damaged", "minor"),  # a severity qualifies the generic word
        ("Moderately-Slightly", "damaged"),  # two severities together: damaged, not split
        ("COLLAPSED_OR_PARTIALLY_COLLAPSED", "damaged_or_destroyed"),
        ("No damage or slight", None),  # none and a damage state: ambiguous
        ("AFFECTED_UNITS", None),
        ("Damage_Status", None),
    ],
)
def test_damage_in_header(header: str, state: str | None) -> None:
    assert damage_in_header(header) == state


def test_impact_table_with_place_coordinates(tmp_path: Path) -> None:
    # a GEM-style impact table: one row per unit, coordinates of the unit, class columns
    text = (
        "ID_1,NAME_1,LONGITUDE,LATITUDE,NO_DAMAGE,MODERATE_DAMAGE,COLLAPSED_UNITS,LIGHT_DAMAGE\n"
        "TR-01,ADANA,35.3,37.0,7871,601,13,2370\nTR-02,ADIYAMAN,38.3,37.8,16190,7897,2832,17618\n"
    )
    result = load(_write(tmp_path, "impact.csv", text))
    assert result.kind == "table"
    # every state column is counted with its state (issue 14), LIGHT_DAMAGE as minor
    assert result.report["damage_counts"] == {
        "none": 7871 + 16190,
        "minor": 2370 + 17618,
        "moderate": 601 + 7897,
        "destroyed": 13 + 2832,
    }
    assert result.report["columns"]["counts"]["LIGHT_DAMAGE"]["state"] == "minor"
    assert set(result.figures["unit_code"]) == {"TR-01", "TR-02"}


def test_xlsx_sheet_choice_and_title_rows(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    first.title = "notes"
    first.append(["nothing to see"])
    sheet = book.create_sheet("damage")
    sheet.append(["Damage by district, 24 Nov 2020"])
    sheet.append([])
    sheet.append(["District", "Houses destroyed", "Houses damaged"])
    sheet.append(["Fuzuli", 11, 314])
    sheet.append(["Aghdam", 5.0, 20])
    path = tmp_path / "book.xlsx"
    book.save(path)
    result = load(path, layer="damage")
    assert result.report["damage_counts"] == {"damaged": 334, "destroyed": 16}
    assert result.figures["locator"].iloc[0] == "row 4, column Houses destroyed"
    with pytest.raises(InputError, match="no sheet 'missing'"):
        load(path, layer="missing")


def test_count_table_places_in_user_units(tmp_path: Path) -> None:
    units = pd.DataFrame(
        {"unit_code": ["NP3027", "NP3025"], "name": ["Kathmandu", "Lalitpur"], "level": "adm2"}
    )
    text = "District,Houses destroyed\nKathmandu,34839\nLalitpur,17745\nAtlantis,1\n"
    result = load(_write(tmp_path, "np.csv", text))
    assert result.figures["unit_code"].isna().all()  # Nepal is not bundled
    figures = figures_of(result, units=units)
    assert figures["unit_code"].tolist()[:2] == ["NP3027", "NP3025"]
    assert figures["level"].tolist()[:2] == ["adm2", "adm2"]
    assert pd.isna(figures["unit_code"].iloc[2])
    assert figures["status"].tolist()[2] == "needs_review"


def _subsets(result) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    """Column → the column it was made a part of (None: a figure of its own)."""
    f = result.figures
    column = dict(zip(f["figure_id"], f["damage_text"], strict=True))
    return {
        str(text): (None if pd.isna(parent) or parent == "" else column[parent])
        for text, parent in zip(f["damage_text"], f["subset_of"], strict=True)
    }


def test_columns_reported_together_hold_only_the_states_they_name(tmp_path: Path) -> None:
    # GEM GEID Van 2011 layout: "Light" (minor) is no part of "Heavy/Collapsed" (severe and
    # destroyed together), and may be larger; "Medium" is moderate
    result = load(
        _write(tmp_path, "t.csv", "Place,None,Light,Medium,Heavy/Collapsed\nVan,10,60,20,30\n")
    )
    _check(result)
    assert _subsets(result) == {
        "None": None,
        "Light": None,
        "Medium": None,
        "Heavy/Collapsed": None,
    }
    by_state = dict(zip(result.figures["damage"], result.figures["count"], strict=True))
    assert by_state == {"none": 10, "minor": 60, "moderate": 20, "damaged_or_destroyed": 30}
    validate(result.figures)


def test_states_beside_their_union_are_its_parts_when_they_fit(tmp_path: Path) -> None:
    # Heavy + Collapsed = Heavy/Collapsed: the union restates them, counted once
    text = "Place,Heavy,Collapsed,Heavy/Collapsed\nVan,30,12,42\n"
    result = load(_write(tmp_path, "t.csv", text))
    assert _subsets(result) == {
        "Heavy": "Heavy/Collapsed",
        "Collapsed": "Heavy/Collapsed",
        "Heavy/Collapsed": None,
    }
    validate(result.figures)


def test_a_severity_larger_than_a_union_naming_it_in_part_is_beside_it(tmp_path: Path) -> None:
    # GEM GEID Türkiye 2023 ID_0: heavy damage (G3) is not inside "collapsed or partially
    # collapsed" (G4-G5), although both read as severe; a part larger than its whole would be
    # refused as a subset larger than its parent
    text = "Country,LIGHT_DAMAGE,HEAVY_DAMAGE,COLLAPSED_OR_PARTIALLY_COLLAPSED\nTurkey,400,170,35\n"
    result = load(_write(tmp_path, "t.csv", text))
    assert set(_subsets(result).values()) == {None}
    validate(result.figures)


def test_a_column_repeating_another_is_counted_once(tmp_path: Path) -> None:
    # GEM GEID Croatia 2020 layout: each grade twice (the source's words and GEM's DSn),
    # DAMAGED_UNITS the sum of the grades, one row per county and occupancy; numbers ours.
    # By hand: Sisak 300 + 10 = 310 damaged buildings, Zagreb 120 (not 2x, not 3x)
    text = (
        "NAME_1,OCCUPANCY,DAMAGED_UNITS,DS2_MODERATE,LIGHTLY_DAMAGED,DS3_EXTENSIVE,"
        "SEVERE_TO_MODERATE_STRUCTURAL_DAMAGE,DS4_COMPLETE,HEAVILY_DAMAGED_OR_DESTROYED\n"
        "Sisak,Housing,300,200,200,70,70,30,30\n"
        "Zagreb,Housing,120,90,90,20,20,10,10\n"
        "Sisak,Educational,10,6,6,3,3,1,1\n"
    )
    result = load(_write(tmp_path, "t.csv", text))
    _check(result)
    validate(result.figures)
    counted = result.figures[result.figures["same_as"].isna() & result.figures["subset_of"].isna()]
    by_place = counted.groupby("place_text")["count"].sum().to_dict()
    assert by_place == {"Sisak": 310, "Zagreb": 120}
    # the repeats restate the column kept, row by row
    repeated = result.figures[result.figures["same_as"].notna()]
    assert sorted(set(repeated["damage_text"])) == [
        "DS2_MODERATE",
        "HEAVILY_DAMAGED_OR_DESTROYED",
        "SEVERE_TO_MODERATE_STRUCTURAL_DAMAGE",
    ]
    assert len(repeated) == 9


def test_columns_equal_in_one_row_only_are_not_repeats(tmp_path: Path) -> None:
    # one row may agree by chance: destroyed 12 and damaged 12 are two counts
    text = "District,Houses destroyed,Houses damaged\nFuzuli,12,12\nJabrayil,3,40\n"
    result = load(_write(tmp_path, "t.csv", text))
    assert result.figures["same_as"].isna().all()
    assert int(result.figures["count"].sum()) == 67


def test_a_partially_filled_repeat_keeps_its_own_rows(tmp_path: Path) -> None:
    # GEM Puebla 2017: DS4_COMPLETE repeats DAMAGED_TOTALLY in CENAPRED's rows, and stands
    # alone in another source's rows
    text = (
        "NAME_1,REFERENCE,DAMAGED_PARTIALLY,DS4_COMPLETE,DAMAGED_TOTALLY\n"
        "Puebla,CENAPRED,22707,5638,5638\n"
        "Morelos,CENAPRED,9697,6104,6104\n"
        "Puebla,Survey,,41,\n"
    )
    result = load(_write(tmp_path, "t.csv", text))
    validate(result.figures)
    f = result.figures
    counted = f[f["same_as"].isna() & f["subset_of"].isna()]
    states = counted.groupby(["place_text", "damage"])["count"].sum().to_dict()
    # by hand: "totally damaged" is destroyed; the survey's own DS4 count stays (severe)
    assert states == {
        ("Morelos", "damaged"): 9697,
        ("Morelos", "destroyed"): 6104,
        ("Puebla", "damaged"): 22707,
        ("Puebla", "destroyed"): 5638,
        ("Puebla", "severe"): 41,
    }


def test_grades_of_a_row_typed_by_a_column_are_parts_of_its_damaged_total(
    tmp_path: Path,
) -> None:
    # the OCCUPANCY column types every count of its row; the generic DAMAGED_UNITS is still
    # the whole of the grades beside it (by hand: 60 + 30 + 10 = 100)
    text = "Place,OCCUPANCY,DAMAGED_UNITS,DS2_MODERATE,DS3_EXTENSIVE,DS4_COMPLETE\nSisak,Housing,100,60,30,10\n"
    result = load(_write(tmp_path, "t.csv", text))
    validate(result.figures)
    f = result.figures.set_index("damage_text")
    whole = f.loc["DAMAGED_UNITS", "figure_id"]
    assert [f.loc[c, "subset_of"] for c in ("DS2_MODERATE", "DS3_EXTENSIVE", "DS4_COMPLETE")] == [
        whole
    ] * 3


@pytest.mark.parametrize(
    ("header", "state"),
    [
        ("Totally damaged houses", "destroyed"),
        ("DAMAGED_TOTALLY", "destroyed"),
        ("damaged_houses_full", "destroyed"),
        ("damaged_houses_partial", "damaged"),
        ("no", None),  # a value column ("No." / Nepal's "no"), not "none"
        ("Serial_No", None),
        ("None", "none"),  # the state, as GEM Van 2011's TMMOB columns name it
        ("COLLAPSE", "destroyed"),  # GEM Kobe 1995
        ("Middle schools damaged", "damaged"),  # "middle" is no severity here
    ],
)
def test_more_headers_of_real_tables(header: str, state: str | None) -> None:
    assert damage_in_header(header) == state


def test_money_and_people_beside_house_counts_are_not_counted(tmp_path: Path) -> None:
    # the layout of the Philippine OCD province summaries (phildis): houses totally and
    # partially damaged, people affected, and the cost of damage in PHP million; numbers ours.
    # By hand: destroyed 90 + 10 = 100, damaged 400 + 50 = 450; nothing else is a building
    text = (
        "province,affected_families,affected_persons,damaged_houses_full,"
        "damaged_houses_partial,damaged_properties_agri,damaged_properties_private,"
        "damage_total\n"
        "Samar,5000,21000,90,400,35,12,47\n"
        "Leyte,800,3500,10,50,5,1,6\n"
    )
    result = load(_write(tmp_path, "t.csv", text))
    _check(result)
    validate(result.figures)
    assert result.report["damage_counts"] == {"damaged": 450, "destroyed": 100}
    assert set(result.figures["damage_text"]) == {"damaged_houses_full", "damaged_houses_partial"}


def test_gem_damaged_units_count_the_same_units_as_the_grades(tmp_path: Path) -> None:
    # GEM GEID Chile 2015 layout: DAMAGED_UNITS is the whole, DS1-DS3 the graded part of it
    # (the rest ungraded); "UNITS" names no housing units. By hand: 1,110 damaged buildings
    text = "NAME_2,DAMAGED_UNITS,DS1_SLIGHT,DS2_MODARATE_DAMAGE,DS3_EXTENSIVE\nElqui,1110,195,293,351\nChoapa,2998,866,713,687\n"
    result = load(_write(tmp_path, "t.csv", text))
    validate(result.figures)
    f = result.figures
    assert set(f["count_unit"].astype(str)) == {"buildings"}
    wholes = f[f["subset_of"].isna()]
    assert dict(zip(wholes["place_text"], wholes["count"], strict=True)) == {
        "Elqui": 1110,
        "Choapa": 2998,
    }


def test_rows_of_different_events_add_up_within_one_source(tmp_path: Path) -> None:
    # a table of several typhoons by municipality (the layout of the Goni damage-model data):
    # each row is one typhoon's damage, so a place hit by two adds them. By hand: Tacloban
    # 50 + 60 destroyed and 200 + 10 damaged; it showed one typhoon only
    text = (
        "disaster_type,disaster_name,municipality,Completely damaged (abs.),Partly damaged (abs.)\n"
        "Typhoon,Haiyan,Tacloban,50,200\n"
        "Typhoon,Bopha,Tacloban,60,10\n"
        "Typhoon,Haiyan,Palo,5,20\n"
    )
    result = load(_write(tmp_path, "t.csv", text))
    validate(result.figures)
    f = result.figures
    assert f["source_id"].nunique() == 1
    assert set(f["structure"].astype(str)) == {"any"}  # the kind of event is no type
    assert result.report["damage_counts"] == {"destroyed": 115, "damaged": 230}
    assert any("2 events in column 'disaster_name'" in w for w in result.report["warnings"])
    # one event reported at two dates is a running total: each event's rows stay a source of
    # their own (Haiyan 50 on 10 Nov, 70 on 14 Nov: 70, never 120)
    text = (
        "disaster_name,municipality,date,Houses destroyed\n"
        "Haiyan,Tacloban,2013-11-10,50\nHaiyan,Tacloban,2013-11-14,70\n"
        "Bopha,Tacloban,2012-12-05,60\n"
    )
    f = load(_write(tmp_path, "u.csv", text)).figures
    assert f["source_id"].nunique() == 2


def test_a_row_repeated_cell_for_cell_is_counted_once(tmp_path: Path) -> None:
    # the storm-goni table lists 46 records twice; by hand: Fuzuli 11 destroyed, not 22
    text = "District,Houses destroyed,Houses damaged\nFuzuli,11,30\nJabrayil,4,9\nFuzuli,11,30\n"
    result = load(_write(tmp_path, "t.csv", text))
    _check(result)
    validate(result.figures)
    assert any("repeat an earlier row" in w for w in result.report["warnings"])
    counted = result.figures[result.figures["same_as"].isna()]
    assert counted.groupby("place_text")["count"].sum().to_dict() == {"Fuzuli": 41, "Jabrayil": 13}
    summary = collect([tmp_path / "t.csv"], country="AZ")
    from damage_data import summarise

    fuzuli = summarise(summary).set_index("unit_code").loc["AZ-FUZ"]
    assert (int(fuzuli["destroyed"]), int(fuzuli["damaged"])) == (11, 30)


def test_a_year_column_makes_rows_of_one_place_a_series(tmp_path: Path) -> None:
    # the layout of a province-by-year floods table: one row per place and year; by hand the
    # summary gives the latest year (Fuzuli 40), never the sum of the years (70)
    text = "District,Year,Houses_damaged,Livestock_damaged,Roads_damaged_km\nFuzuli,2021,30,900,12\nFuzuli,2022,40,800,15\n"
    path = _write(tmp_path, "t.csv", text)
    result = load(path)
    assert result.report["columns"]["roles"]["date"] == "Year"
    assert set(result.figures["damage_text"]) == {"Houses_damaged"}  # animals, km: no structures
    from damage_data import summarise

    fuzuli = summarise(collect([path], country="AZ")).set_index("unit_code").loc["AZ-FUZ"]
    assert int(fuzuli["damaged"]) == 40


def test_a_total_row_where_a_place_stands_is_not_added_to_its_rows(tmp_path: Path) -> None:
    # İBB scenario booklets: "TOPLAM" rows under each district; by hand Adalar 54 + 101 = 155
    text = (
        "İLÇE,MAHALLE ADI,ÇOK AĞIR HASARLI,AĞIR HASARLI,ORTA HASARLI,HAFİF HASARLI\n"
        "ADALAR,BURGAZADA,54,99,256,241\n"
        "ADALAR,HEYBELİADA,101,175,423,393\n"
        "ADALAR,TOPLAM,155,274,679,634\n"
    )
    result = load(_write(tmp_path, "t.csv", text))
    _check(result)
    assert result.report["rows_rejected"] == 1
    assert "a total row" in result.rejects["reason"].iloc[0]
    states = result.figures.groupby("damage_text")["count"].sum().to_dict()
    assert states == {
        "ÇOK AĞIR HASARLI": 155,
        "AĞIR HASARLI": 274,
        "ORTA HASARLI": 679,
        "HAFİF HASARLI": 634,
    }
    assert set(result.figures["damage"].astype(str)) == {"severe", "moderate", "minor"}


def test_a_total_column_beside_the_same_count_holds_it(tmp_path: Path) -> None:
    # NOAA NCEI: "Total Houses Destroyed" (with tsunami and landslides) holds "Houses
    # Destroyed"; the "… Description" columns are size codes 0-4. By hand: 3,100 once
    text = (
        "Location Name,Houses Destroyed,Houses Destroyed Description,"
        "Total Houses Destroyed,Total Houses Destroyed Description\n"
        "Zaqatala,3100,4,3100,4\nShamakhi,12,2,15,2\n"
    )
    result = load(_write(tmp_path, "t.csv", text))
    validate(result.figures)
    f = result.figures
    counted = f[f["subset_of"].isna() & f["same_as"].isna()]
    assert counted.groupby("place_text")["count"].sum().to_dict() == {
        "Zaqatala": 3100,
        "Shamakhi": 15,
    }
    assert not any("Description" in str(t) for t in f["damage_text"])


def test_a_total_of_damaged_beside_its_own_count_holds_it(tmp_path: Path) -> None:
    # NOAA NCEI: "Total Houses Damaged" beside "Houses Damaged" is that count with the
    # secondary effects, not a total decided by other columns; by hand: 20 + 7 = 27 damaged
    text = "Location Name,Houses Damaged,Total Houses Damaged\nZaqatala,12,20\nShamakhi,5,7\n"
    result = load(_write(tmp_path, "t.csv", text))
    validate(result.figures)
    f = result.figures
    counted = f[f["subset_of"].isna() & f["same_as"].isna()]
    assert int(counted["count"].sum()) == 27
    assert set(counted["damage_text"]) == {"Total Houses Damaged"}


def test_the_code_naming_most_units_is_the_rows_unit(tmp_path: Path) -> None:
    # HDX Nepal 2015 district layer: a zone code repeats over the districts it holds; taking
    # it as the unit merged 75 districts into 14 rows. By hand: three districts, three units
    text = (
        "district,zone,zone_code,ocha_pcode,houses_destroyed\n"
        "Kathmandu,Bagmati,2/5/0524,C-BAG-27,17750\n"
        "Dhading,Bagmati,2/5/0524,C-BAG-30,20000\n"
        "Lalitpur,Bagmati,2/5/0524,C-BAG-25,16294\n"
    )
    result = load(_write(tmp_path, "t.csv", text))
    assert result.report["columns"]["roles"]["unit_code"] == "ocha_pcode"
    f = result.figures
    assert dict(zip(f["unit_code"], f["count"], strict=True)) == {
        "C-BAG-27": 17750,
        "C-BAG-30": 20000,
        "C-BAG-25": 16294,
    }


def test_a_date_with_a_time_zone_is_read_as_written(tmp_path: Path) -> None:
    # Open Map Lebanon surveys: "2020-08-17T18:36:32.706+03:00" stopped the reader with an
    # internal error (tz-aware against tz-naive); the date is the one written there
    text = "District,Houses damaged,Survey Date\nFuzuli,5,2020-08-17T18:36:32.706+03:00\n"
    result = load(_write(tmp_path, "t.csv", text))
    _check(result)
    assert str(result.figures["as_of"].iloc[0])[:10] == "2020-08-17"


def test_a_label_column_naming_states_beats_one_of_unknowns(tmp_path: Path) -> None:
    # Open Map Lebanon MySay sheet: "Status" is "Unknown" in every row, "House damage" holds
    # the damage; by hand: destroyed 1, damaged 1, none 1
    text = (
        "OML UID,Status,Lat,Long,House damage,Damaged Doors\n"
        "A1,Unknown,33.88,35.50,Total destruction,3\n"
        "A2,Unknown,33.89,35.51,Some damage,1\n"
        "A3,Unknown,33.90,35.52,No,0\n"
    )
    result = load(_write(tmp_path, "t.csv", text))
    _check(result)
    assert result.report["damage_counts"] == {"destroyed": 1, "damaged": 1, "none": 1}


def test_yes_no_column_named_like_a_date_is_not_the_date(tmp_path: Path) -> None:
    # West Sumatra 2009 (BNPB): "dlna_reported_geography" holds True/False; "reported" made
    # it the date column and every row was rejected as an unreadable date
    path = _write(
        tmp_path,
        "t.csv",
        "geography_name,heavy_damage_houses,medium_damage_houses,light_damage_houses,"
        "total_damaged_houses,dlna_reported_geography\n"
        "Kharkiv,33597,35816,37615,107028,True\n"
        "Odesa,6685,4115,2605,13405,False\n",
    )
    result = load(path)
    _check(result)
    assert result.report["rows_rejected"] == 0
    # by hand: heavy 33597 + 6685, medium 35816 + 4115, light 37615 + 2605; the total
    # column holds their sum and is not added again
    assert result.report["damage_counts"] == {"severe": 40282, "moderate": 39931, "minor": 40220}
    assert "dlna_reported_geography" in result.report["columns"]["ignored"]


def test_report_counts_a_repeated_row_once(tmp_path: Path) -> None:
    # UNGRD emergency log: a row given twice cell for cell is said to be counted once, and
    # validate's counts now agree with the summary's
    path = _write(
        tmp_path,
        "t.csv",
        "Oblast,Houses destroyed,Houses damaged\nKharkiv,8,978\nKharkiv,8,978\nOdesa,1,5\n",
    )
    result = load(path)
    _check(result)
    assert result.report["damage_counts"] == {"destroyed": 9, "damaged": 983}


def test_long_table_people_rows_and_government_houses(tmp_path: Path) -> None:
    # Nepal 2015 (MoHA layout): "Death" is people, not an unknown damage label, and
    # "Govt. Houses" are government buildings, not dwellings
    path = _write(
        tmp_path,
        "t.csv",
        "District,Subdivision,no\n"
        "Kharkiv,Death,178\n"
        "Kharkiv,Govt. Houses Fully Damaged,517\n"
        "Kharkiv,Private Houses Fully Damaged,48880\n"
        "Kharkiv,Private Houses Partially Damaged,3120\n",
    )
    result = load(path, columns={"place": "District", "damage": "Subdivision", "count": "no"})
    _check(result)
    assert result.report["reasons"] == {"people: not structures": 1}
    assert result.report["damage_counts"] == {"destroyed": 517 + 48880, "damaged": 3120}
    assert result.report["structure_counts"] == {"residential": 48880 + 3120, "administrative": 517}


def test_a_column_that_varies_within_a_place_is_not_its_parent(tmp_path: Path) -> None:
    # Nepal 2015 long table: "Division" is a category under each district (Human
    # Causalities, Infrastructural Damage), not the unit the district lies in
    text = (
        "District,Division,Subdivision,no\n"
        "Dhading,Human Causalities,Death,733\n"
        "Dhading,Infrastructural Damage,Private Houses Fully Damaged,81313\n"
        "Gorkha,Human Causalities,Death,448\n"
        "Gorkha,Infrastructural Damage,Private Houses Fully Damaged,59573\n"
    )
    mapping = {"place": "District", "damage": "Subdivision", "count": "no"}
    result = load(_write(tmp_path, "t.csv", text), columns=mapping)
    assert "parent" not in result.report["columns"]["roles"]
    assert "Division" in result.report["columns"]["ignored"]
    # a real parent column, constant for each place, stays the parent
    text = "Oblast,Raion,Houses destroyed\nKharkivska,Iziumskyi,10\nKharkivska,Kupianskyi,4\n"
    result = load(_write(tmp_path, "u.csv", text))
    assert result.report["columns"]["roles"]["parent"] == "Oblast"


def test_a_list_of_damaged_facilities_adds_its_rows(tmp_path: Path) -> None:
    # ACAPS Ukraine damages: one row per damaged facility, each with its news outlet and link.
    # "source_name" was taken for the place, "date_of_event" for an event, and each row's
    # source kept the rows apart ("sources are never added"): Donetska came out 0 / 1
    text = (
        "damage_id,oblast,type_of_infrastructure,date_of_event,extent_of_damage,"
        "source_name,source_link\n"
        "D1,Donetska,Education facility,2025-01-01,Destroyed,Suspilne,https://example.org/a\n"
        "D2,Donetska,Education facility,2025-01-02,Destroyed,Suspilne,https://example.org/b\n"
        "D3,Donetska,Warehouse,2025-01-03,Partially damaged,UNN,https://example.org/c\n"
        "D4,Sumska,Warehouse,2025-01-03,Partially damaged,UNN,https://example.org/d\n"
    )
    path = _write(tmp_path, "t.csv", text)
    roles = load(path).report["columns"]["roles"]
    assert (roles["place"], roles["date"], roles.get("event")) == ("oblast", "date_of_event", None)
    from damage_data import summarise

    rows = summarise(collect([path], country="UA")).set_index("unit_code")
    # by hand: Donetska 2 destroyed (D1, D2) and 1 damaged (D3); Sumska 1 damaged
    assert (rows.loc["UA-14", "destroyed"], rows.loc["UA-14", "damaged"]) == (2, 1)
    # one structure per row: no destroyed row for Sumska is 0 destroyed there (rule R10)
    assert (rows.loc["UA-59", "destroyed"], rows.loc["UA-59", "damaged"]) == (0, 1)


def test_weekly_periods_add_up_and_their_totals_hold_their_rows(tmp_path: Path) -> None:
    # ACAPS Ukraine weekly summary: new damage per week, by building type, with a Total row
    # for each week. validate added the Totals to their rows (14), and the summary linked
    # week 2's rows to week 1's Total (a false parts_exceed_total)
    text = (
        "oblast,week_start,week_end,building_type,damaged_buildings\n"
        "Sumska,2026-07-20,2026-07-26,Warehouse,2\n"
        "Sumska,2026-07-20,2026-07-26,Railway,1\n"
        "Sumska,2026-07-20,2026-07-26,Total,3\n"
        "Sumska,2026-07-27,2026-08-02,Warehouse,4\n"
        "Sumska,2026-07-27,2026-08-02,Total,4\n"
    )
    path = _write(tmp_path, "t.csv", text)
    result = load(path)
    assert result.report["columns"]["roles"]["date"] == "week_end"
    assert result.report["damage_counts"] == {"damaged": 7}  # by hand: 3 + 4
    from damage_data import summarise

    row = summarise(collect([path], country="UA")).set_index("unit_code").loc["UA-59"]
    assert int(row["damaged"]) == 7
    assert "parts_exceed_total" not in str(row["flags"])
    # periods that all start on one day are running totals: the latest, never the sum
    text = (
        "oblast,start date,end date,damaged_buildings\n"
        "Sumska,2022-02-24,2022-06-30,30\n"
        "Sumska,2022-02-24,2022-12-31,45\n"
    )
    path = _write(tmp_path, "u.csv", text)
    row = summarise(collect([path], country="UA")).set_index("unit_code").loc["UA-59"]
    assert int(row["damaged"]) == 45


def test_ocha_pcodes_reach_the_bundled_units(tmp_path: Path) -> None:
    # ACAPS Ukraine tables carry COD-AB p-codes; "UA80", "UA01", "UA44" were printed as unit
    # codes of no unit. By hand (COD-AB adm1 of 2024): Kyiv UA-30, Crimea UA-43, Luhansk UA-09
    text = (
        "oblast,extent_of_damage,pcode\n"
        "Kyiv,Destroyed,UA80\n"
        "Autonomous Republic of Crimea,Destroyed,UA01\n"
        "Luhanska,Partially damaged,UA44\n"
    )
    path = _write(tmp_path, "t.csv", text)
    from damage_data import summarise

    rows = summarise(collect([path], country="UA")).set_index("unit_code")
    assert sorted(rows.index) == ["UA-09", "UA-30", "UA-43"]
    assert rows.loc["UA-09", "damaged"] == 1 and rows.loc["UA-30", "destroyed"] == 1


def test_rows_holding_the_sum_of_rows_below_are_named(tmp_path: Path) -> None:
    # DROMIC reports: region and province subtotals between municipal rows, no level
    # column. By hand: Ilocos Norte 23 / 2131 = Adams 1 / 297 + Bacarra 22 / 1834, and
    # REGION I the same; Laoag (5 / 40) sums nothing
    text = (
        "Province / City / Municipality,Totally damaged houses,Partially damaged houses\n"
        "REGION I,23,2131\n"
        "Ilocos Norte,23,2131\n"
        "Adams,1,297\n"
        "Bacarra,22,1834\n"
        "Laoag,5,40\n"
    )
    result = load(_write(tmp_path, "t.csv", text))
    _check(result)
    said = [w for w in result.report["warnings"] if "sum of rows below" in w]
    assert len(said) == 1 and "row 2 ('REGION I'), row 3 ('Ilocos Norte')" in said[0]
    assert "Laoag" not in said[0] and "Adams" not in said[0]
    # one column that adds up by chance (an incident log: 30 = 10 + 20) is no subtotal, nor
    # are rows of the same place (its types under its Total)
    for i, plain in enumerate(
        (
            "District,Houses destroyed\nFuzuli,30\nJabrayil,10\nTartar,20\n",
            "Oblast,Type,Destroyed,Damaged\nSumska,Total,3,9\nSumska,Houses,1,4\n"
            "Sumska,Schools,2,5\n",
        )
    ):
        result = load(_write(tmp_path, f"u{i}.csv", plain))
        assert not [w for w in result.report["warnings"] if "sum of rows below" in w]


def test_a_header_over_three_rows_is_read(tmp_path: Path) -> None:
    # DROMIC: "NUMBER OF" / "DAMAGED HOUSES" / "Totally | Partially | Total" in merged
    # cells over three rows; the header was taken from the first and nothing was counted
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in (
        [None] * 6,
        ["Typhoon name", "Year", "Province / City / Municipality", "NUMBER OF", None, None],
        [None, None, None, "DAMAGED HOUSES", None, None],
        [None, None, None, "Totally", "Partially", "Total"],
        ["OMPONG", 2018, "Adams", 1, 297, 298],
        ["OMPONG", 2018, "Bacarra", 22, 1834, 1856],
    ):
        sheet.append(row)
    sheet.merge_cells("D2:F2")
    sheet.merge_cells("D3:F3")
    path = tmp_path / "t.xlsx"
    book.save(path)
    result = load(path)
    _check(result)
    # by hand: Totally 1 + 22, Partially 297 + 1834; Total is their sum, not added again
    assert result.report["damage_counts"] == {"destroyed": 23, "damaged": 2131}
    assert result.report["rows_read"] == 2


def test_total_damaged_beside_partially_damaged_totals_both_grades(tmp_path: Path) -> None:
    # "Total damaged houses" = "Totally damaged" + "Partially damaged" in every row: it was
    # read as the total of "Partially damaged" alone (its twin by name), and the totally
    # damaged counted on top (2,177 instead of 2,154)
    text = (
        "Municipality,Totally damaged houses,Partially damaged houses,Total damaged houses\n"
        "Adams,1,297,298\nBacarra,22,1834,1856\n"
    )
    result = load(_write(tmp_path, "t.csv", text))
    assert result.report["damage_counts"] == {"destroyed": 23, "damaged": 2131}
    assert "Total damaged houses" in result.report["columns"]["ignored"]


def test_spreadsheet_error_values_are_empty_cells(tmp_path: Path) -> None:
    # Ethiopia flood impact (510): "#N/A" in the p-code column made one unit of every row
    # without a code. By hand: only 072002 has a code; the three others fall back to names
    text = (
        "Region;Wereda;pcode;Date;Houses Destroyed\n"
        "Somali;Kebri Beyah;#N/A;05/12/2005;5600\n"
        "Dire Dawa;Diredawa;#N/A;06/12/2006;1685\n"
        "SNNPR;Selti;072002;06/12/2006;984\n"
    )
    figures = load(_write(tmp_path, "t.csv", text)).figures
    assert "#N/A" not in set(figures["unit_code"].dropna())
    assert figures["unit_code"].isna().sum() == 2


def test_another_event_of_the_table_is_no_decrease(tmp_path: Path) -> None:
    # Ethiopia floods by season: 880 in the 2003 season, 300 in 2005 and 2006 were flagged
    # "decreasing", a flag for a running total that went down
    text = (
        "Wereda;pcode;Date;event;Houses Destroyed\n"
        "Mustahil;050606;07/09/2003;Kiremt_2003;880\n"
        "Mustahil;050606;07/09/2005;Kiremt_2005;300\n"
    )
    from damage_data import summarise

    row = summarise(collect([_write(tmp_path, "t.csv", text)])).iloc[0]
    assert "decreasing" not in str(row["flags"])
    # two reports of one event that go down are still flagged
    text = "District,Date,Houses destroyed\nFuzuli,2020-11-01,30\nFuzuli,2020-11-20,20\n"
    row = summarise(collect([_write(tmp_path, "u.csv", text)], country="AZ")).iloc[0]
    assert "decreasing" in str(row["flags"])


def test_a_workbook_is_read_from_its_first_sheet_of_counts(tmp_path: Path) -> None:
    # DROMIC: a first sheet of notes; the counts were never found, and the command line
    # had no way to name a sheet. By hand: Totally 1 + 22, Partially 297 + 1834
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "File Info"
    book.active.append(["The file contains information of DROMIC reports."])
    sheet = book.create_sheet("Damaged houses")
    for row in (
        ["Typhoon name", "Province / City / Municipality", "Totally", "Partially"],
        ["OMPONG", "Adams", 1, 297],
        ["OMPONG", "Bacarra", 22, 1834],
    ):
        sheet.append(row)
    path = tmp_path / "t.xlsx"
    book.save(path)
    result = load(path)
    assert result.report["damage_counts"] == {"destroyed": 23, "damaged": 2131}
    assert result.report["layer"] == "Damaged houses"
    assert any("'Damaged houses' was read" in w for w in result.report["warnings"])
    # named on the command line
    from damage_data.cli import main

    assert main(["validate", str(path), "--layer", "Damaged houses", "--format", "json"]) == 0
    assert main(["validate", str(path), "--layer", "No such sheet"]) == 3


def test_one_structure_per_row_a_row_of_no_type_is_no_total(tmp_path: Path) -> None:
    # ACAPS Ukraine, Kyiv: a facility of no stated type was taken for the total of the typed
    # facilities of that day (26 destroyed for 36, flag parts_exceed_total). By hand: three
    # destroyed structures, one damaged
    text = (
        "oblast,type_of_infrastructure,date_of_event,extent_of_damage\n"
        "Kyiv,,2025-01-01,Destroyed\nKyiv,Warehouse,2025-01-01,Destroyed\n"
        "Kyiv,School,2025-01-01,Destroyed\nKyiv,School,2025-01-01,Partially damaged\n"
    )
    path = _write(tmp_path, "t.csv", text)
    from damage_data import summarise

    row = summarise(collect([path], country="UA")).set_index("unit_code").loc["UA-30"]
    assert (row["destroyed"], row["damaged"]) == (3, 1)
    assert "parts_exceed_total" not in str(row["flags"])


def test_a_count_column_of_dashes_is_still_counts(tmp_path: Path) -> None:
    # printed tables write nil as "-" (Japan's yearbook, NDMA and DMC sitreps): a "Houses
    # destroyed" column mostly of dashes was dropped as text. By hand: destroyed 12 + 13 + 14
    rows = "".join(f"D{i},-,{10 + i}\n" for i in range(7))
    text = "District,Houses destroyed,Houses damaged\n" + rows + "D7,12,17\nD8,13,18\nD9,14,19\n"
    result = load(_write(tmp_path, "t.csv", text))
    assert result.report["damage_counts"] == {"destroyed": 39, "damaged": 145}


def test_households_affected_are_people_not_buildings(tmp_path: Path) -> None:
    # Japan Statistical Yearbook 29-2: "House-holds affected" (3,192 in Miyagi) was printed
    # as 3,192 damaged buildings; 全壊 / 半壊 (total / half collapse) were not read. By hand
    # from the file's rows: Miyagi 302 destroyed, 2,997 severely damaged
    text = (
        "Prefecture,House-holds affected,Persons affected,全壊,半壊\n"
        "Miyagi,3192,1023,302,2997\nFukushima,14484,31615,1352,11513\n"
    )
    result = load(_write(tmp_path, "jp.csv", text))
    assert result.report["damage_counts"] == {"destroyed": 1654, "severe": 14510}
    roles = {c: role for c, role, _ in result.report["column_rows"]}
    assert roles["House-holds affected"] == "ignored"


def test_spanish_portuguese_and_indonesian_headers(tmp_path: Path) -> None:
    # exit 3 on every Latin American table tried: the words were unknown. By hand
    es = (
        "departamento,municipio,viviendas destruidas,viviendas averiadas,personas afectadas\n"
        "Chocó,Quibdó,120,340,5000\nChocó,Istmina,15,60,900\n"
    )
    result = load(_write(tmp_path, "es.csv", es))
    assert result.report["damage_counts"] == {"destroyed": 135, "damaged": 400}
    figures = result.figures
    assert set(figures["count_unit"]) == {"housing_units"}
    assert set(figures["parent_text"]) == {"Chocó"}
    pt = "Província,Distrito,Casas destruídas,Casas danificadas\nSofala,Beira,300,1200\n"
    result = load(_write(tmp_path, "pt.csv", pt))
    assert result.report["damage_counts"] == {"destroyed": 300, "damaged": 1200}
    assert set(result.figures["structure"]) == {"residential"}
    ind = "Provinsi,Kabupaten,Rumah rusak berat,Rumah rusak sedang,Rumah rusak ringan\n"
    ind += "Jawa Barat,Cianjur,13000,15000,25000\n"
    result = load(_write(tmp_path, "id.csv", ind))
    assert result.report["damage_counts"] == {"severe": 13000, "moderate": 15000, "minor": 25000}


def test_a_spanish_source_column_keeps_sources_apart(tmp_path: Path) -> None:
    # Colombia 2026: the official 3iS figure and UNDP's estimate in one long table, with
    # DIVIPOLA codes and a "valor" count. Each row had been counted as one building (2
    # destroyed for 8,262), and the two sources added (Chocó 10,368). By hand: Chocó 5,184
    # (both say so), Quindío 3,078 (3iS) against 2,157 (UNDP): never added
    text = (
        "divipola,district,damage,valor,fuente,fecha_corte\n"
        "63,Quindio,destroyed,3078,3iS,2026-09-27\n63,Quindio,destroyed,2157,PNUD,2026-09-27\n"
        "27,Choco,destroyed,5184,3iS,2026-09-27\n27,Choco,destroyed,5184,PNUD,2026-09-27\n"
    )
    path = _write(tmp_path, "co.csv", text)
    units = pd.DataFrame({"unit_code": ["CO-CHO", "CO-QUI"], "name": ["Choco", "Quindio"]})
    from damage_data import summarise

    rows = summarise(collect([path], units=units)).set_index("unit_code")
    assert rows.loc["CO-CHO", "destroyed"] == 5184
    assert rows.loc["CO-QUI", "destroyed"] == 3078
    assert rows.loc["CO-QUI", "total_low"] == 2157
    assert rows.loc["CO-QUI", "n_sources"] == 2
    assert str(rows.loc["CO-QUI", "as_of"])[:10] == "2026-09-27"
    # without units of your own, the codes the file gives are kept, named as written
    plain = summarise(collect([path])).set_index("unit_code")
    assert plain.loc["27", "destroyed"] == 5184


def test_hxl_header_naming_the_state_and_columns_given(tmp_path: Path) -> None:
    # Madagascar (BNGRC Sava): "Maisons Détruites" tagged #affected+damaged: 4,717 destroyed
    # houses printed as damaged, and --columns changed nothing in an HXL table. By hand from
    # the rows: destroyed 670 + 456 = 1,126; roofs torn off 715 + 752 = 1,467
    text = (
        "District,Pcode District,Maisons Détruites,Maisons Inondées,Maisons décoiffées\n"
        "#adm2+name,#adm2+code,#affected+damaged,#affected+flooded,#affected+roofless\n"
        "Antalaha,MDG72710,670,123,715\nAntalaha,MDG72710,456,269,752\n"
    )
    path = _write(tmp_path, "sava.csv", text)
    result = load(path)
    assert result.kind == "hxl"
    assert result.report["damage_counts"] == {"destroyed": 1126}
    assert any("header names destroyed" in w for w in result.report["warnings"])
    named = load(path, columns={"destroyed": "Maisons Détruites", "damaged": "Maisons décoiffées"})
    assert named.report["damage_counts"] == {"destroyed": 1126, "damaged": 1467}


def test_a_kind_of_event_adds_a_named_event_repeats_and_a_hazard_level_is_neither(
    tmp_path: Path,
) -> None:
    from damage_data.pipeline import collect
    from damage_data.reconcile import summarise

    def summary(text: str) -> dict[str, tuple[int, int]]:
        path = tmp_path / "log.csv"
        path.write_text(text, encoding="utf-8")
        table = summarise(collect([path])).set_index("unit_code")
        return {c: (int(r["destroyed"]), int(r["damaged"])) for c, r in table.iterrows()}

    # an incident log in capitals without accents (CODIGO, DANADAS): PELIGRO is the hazard
    # of each incident, and 150101 flooded twice (by hand: 3 + 2 destroyed, 10 + 4 damaged)
    assert summary(
        "FECHA,CODIGO,PELIGRO,VIVIENDAS DESTRUIDAS,VIVIENDAS DANADAS\n"
        "2023-02-01,150101,INUNDACION,3,10\n"
        "2023-03-15,150101,INUNDACION,2,4\n"
        "2023-03-15,150102,HUAYCO,1,0\n"
    ) == {"150101": (5, 14), "150102": (1, 0)}
    # one named storm reported twice in one place is a running total: the later figure
    assert summary(
        "Fecha,Código,Evento,Viviendas destruidas,Viviendas averiadas\n"
        "2020-11-05,88564,Huracán Iota,40,100\n"
        "2020-11-20,88564,Huracán Iota,98,500\n"
        "2020-11-06,88564,Huracán Eta,0,0\n"
    )["88564"] == (98, 500)
    # a hazard *level* is neither an event nor a kind: the rows of a series stay a series
    assert summary(
        "Fecha,Código,Nivel de amenaza,Viviendas destruidas,Viviendas averiadas\n"
        "2020-11-05,88564,Alta,40,100\n"
        "2020-11-20,88564,Media,98,500\n"
    )["88564"] == (98, 500)


def test_a_damage_table_keyed_by_ocha_pcodes_is_a_table_not_boundaries(tmp_path: Path) -> None:
    # "ADM1_PCODE" made any CSV a COD-AB boundary table: its counts were never read and the
    # summary said "no figure was read". By hand: Kyiv city 12, Kharkiv oblast 30
    text = "ADM1_PCODE,ADM1_EN,Houses destroyed\nUA80,Kyiv,12\nUA63,Kharkivska,30\n"
    result = load(_write(tmp_path, "t.csv", text))
    assert result.kind == "table"
    assert result.report["damage_counts"] == {"destroyed": 42}
    # the attribute table of real boundaries stays boundaries
    text = "ADM1_PCODE,ADM1_EN,Shape_Area\nUA80,Kyiv,0.11\nUA63,Kharkivska,4.1\n"
    assert load(_write(tmp_path, "b.csv", text)).kind == "codab"


def test_the_reading_report_counts_a_series_once(tmp_path: Path) -> None:
    # validate printed "destroyed: 50" for Fuzuli's running total 30 (1 Nov) then 20
    # (20 Nov): by hand the latest, 20. Villages on different dates are different places:
    # 3 + 4 = 7. Rows of an event log are single events: 5 + 6 = 11
    text = "District,Date,Houses destroyed\nFuzuli,2020-11-01,30\nFuzuli,2020-11-20,20\n"
    assert load(_write(tmp_path, "a.csv", text)).report["damage_counts"] == {"destroyed": 20}
    text = "District,Date,Village,Houses destroyed\nTartar,2020-11-01,A,3\nTartar,2020-11-20,B,4\n"
    assert load(_write(tmp_path, "b.csv", text)).report["damage_counts"] == {"destroyed": 7}
    text = (
        "Municipio,Fecha,Evento,Viviendas destruidas\n"
        "Mocoa,2017-04-01,AVENIDA TORRENCIAL,5\nMocoa,2018-05-02,INUNDACION,6\n"
    )
    assert load(_write(tmp_path, "c.csv", text)).report["damage_counts"] == {"destroyed": 11}


def test_viviendas_afectadas_are_damaged_beside_destruidas(tmp_path: Path) -> None:
    # DesInventar's Spanish "Viviendas afectadas" is its English "Houses damaged" (minor,
    # habitable), beside "Viviendas destruidas": two disjoint counts. Read as a total of both,
    # Pasto's 10 became 7 damaged. By hand: destroyed 3 + 12 = 15, damaged 10 + 5 = 15;
    # "personas afectadas" are people
    text = (
        "departamento,municipio,viviendas destruidas,viviendas afectadas,personas afectadas\n"
        "NARIÑO,Pasto,3,10,40\nNARIÑO,Ipiales,12,5,9\n"
    )
    report = load(_write(tmp_path, "t.csv", text)).report
    assert report["damage_counts"] == {"destroyed": 15, "damaged": 15}


def test_a_desinventar_log_adds_its_incidents_and_leaves_roads_out(tmp_path: Path) -> None:
    # DesInventar's event column names hazard kinds (FLOOD, STORM): each record is one
    # incident, so a parish flooded in 2010 and 2014 and hit by a storm in 2012 adds the
    # three (printed: the 2014 flood alone, 50, flagged decreasing). Its "damaged roads"
    # (metres; -1 = affected, not measured) took houses_damaged as a part of it (printed
    # 0 damaged) and its -1 rejected whole rows. By hand: PAKWINYO 300 + 150 + 50 = 500
    # destroyed, 10 + 0 + 5 = 15 damaged; NABULI 12 destroyed, 4 damaged
    text = (
        "admin_level_2_code,admin_level_2_name,event,date,houses_destroyed,houses_damaged,"
        "damaged roads\n"
        "3285961011,PAKWINYO,FLOOD,2010-05-01,300,10,0\n"
        "3285961011,PAKWINYO,STORM,2012-03-01,150,0,-1\n"
        "3285961011,PAKWINYO,FLOOD,2014-10-17,50,5,120\n"
        "2103321352,NABULI,FLOOD,2011-09-14,12,4,-1\n"
    )
    path = _write(tmp_path, "t.csv", text)
    result = load(path)
    assert result.report["rows_rejected"] == 0
    assert result.report["damage_counts"] == {"destroyed": 512, "damaged": 19}
    from damage_data import summarise

    table = summarise(collect([path])).set_index("unit_code")
    assert table.loc["3285961011", ["destroyed", "damaged"]].tolist() == [500, 15]
    assert table.loc["2103321352", ["destroyed", "damaged"]].tolist() == [12, 4]
    assert "decreasing" not in str(table.loc["3285961011", "flags"])


def test_a_block_pasted_again_under_new_ids_is_counted_once(tmp_path: Path) -> None:
    # 510 Global's typhoon tables list Hagupit's row for PH054113000 under ids 1777 and
    # 1785: counted twice (186 / 1,574). By hand: 93 destroyed, 787 damaged
    text = (
        "id,pcode,typhoon,Year,Totally,Partially\n"
        "1777,PH054113000,Hagupit,2014,93,787\n"
        "1785,PH054113000,Hagupit,2014,93,787\n"
    )
    result = load(_write(tmp_path, "t.csv", text))
    assert result.report["damage_counts"] == {"destroyed": 93, "damaged": 787}
    assert any("row numbers aside" in w for w in result.report["warnings"])
    # in a log of incidents by kind, the id tells two like incidents apart: both count
    text = (
        "id,municipio,tipo_de_evento,fecha,viviendas destruidas\n"
        "1,Mocoa,INUNDACION,2017-04-01,2\n2,Mocoa,INUNDACION,2017-04-01,2\n"
    )
    assert load(_write(tmp_path, "u.csv", text)).report["damage_counts"] == {"destroyed": 4}


def test_a_log_of_one_kind_of_event_still_adds_its_incidents(tmp_path: Path) -> None:
    # UNGRD's log filtered to floods: TIPO_DE_EVENTO holds INUNDACION alone, was set aside as
    # "the event the table is about", and Pasto's two floods were read as a running total
    # (3). By hand: 2 + 3 = 5; the same with DesInventar's event column, FLOOD alone: 7 + 1
    for kind, value in (("tipo_de_evento", "INUNDACION"), ("event", "FLOOD")):
        text = (
            f"municipio,departamento,{kind},fecha,viviendas destruidas\n"
            f"Pasto,Nariño,{value},2017-04-01,2\nPasto,Nariño,{value},2018-04-01,3\n"
            f"Tumaco,Nariño,{value},2016-01-01,7\nTumaco,Nariño,{value},2019-01-01,1\n"
        )
        f = load(_write(tmp_path, "t.csv", text)).figures
        assert not f["cumulative"].fillna(True).any()
        assert load(_write(tmp_path, "t.csv", text)).report["damage_counts"] == {
            "destroyed": 2 + 3 + 7 + 1
        }


def test_a_partial_column_is_the_partially_damaged(tmp_path: Path) -> None:
    # 510 Global's typhoon table "Totally, Partial, Total": Partial was set aside, damaged not
    # stated. By hand: destroyed 89 + 3 = 92, damaged 123 + 27 = 150 (Total restates them)
    text = (
        "pcode,typhoon_name,Totally,Partial,Total\n"
        "PH041005000,BOPHA2012,89,123,212\nPH041006000,BOPHA2012,3,27,30\n"
    )
    report = load(_write(tmp_path, "t.csv", text)).report
    assert report["damage_counts"] == {"destroyed": 92, "damaged": 150}


def test_codes_exported_as_floats_are_read_as_written_integers(tmp_path: Path) -> None:
    # the DesInventar export writes every parish code as "2103321352.0"; the summary printed
    # them so, and a file writing "2103321352" would be another unit. A code column with a
    # real decimal part is left alone
    text = "admin_level_2_code,admin_level_2_name,houses_destroyed\n"
    text += "2103321352.0,NABULI,3\n2303351229.0,APOPONG,5\n"
    f = load(_write(tmp_path, "t.csv", text)).figures
    assert sorted(f["unit_code"]) == ["2103321352", "2303351229"]
    text = "code,name,houses_destroyed\n12.5,A,3\n13.0,B,5\n"
    f = load(_write(tmp_path, "u.csv", text)).figures
    assert sorted(f["unit_code"]) == ["12.5", "13.0"]


def test_columns_naming_one_state_leave_the_others_found(tmp_path: Path) -> None:
    # --columns destroyed=Ruined left "Houses damaged" out: damaged not stated. By hand:
    # destroyed 10 + 4 = 14, damaged 30 + 9 = 39. A guessed column of the state the user
    # named is never added to it (Destroyed 2020 beside the chosen Destroyed 2021: 12)
    text = "District,Ruined,Houses damaged\nFuzuli,10,30\nJabrayil,4,9\n"
    result = load(_write(tmp_path, "t.csv", text), columns={"destroyed": "Ruined"})
    assert result.report["damage_counts"] == {"destroyed": 14, "damaged": 39}
    assert any("'Houses damaged' counted as damaged" in w for w in result.report["warnings"])
    text = "District,Destroyed 2020,Destroyed 2021,Houses damaged\nFuzuli,10,12,30\n"
    result = load(_write(tmp_path, "u.csv", text), columns={"destroyed": "Destroyed 2021"})
    assert result.report["damage_counts"] == {"destroyed": 12, "damaged": 30}


def test_gem_100_percent_damage_is_destroyed(tmp_path: Path) -> None:
    # GEM Sikkim 2011: "100%_DAMAGE" beside SEVERE/MAJOR/MINOR_DAMAGE was left out with a
    # warning. By hand: destroyed 11 + 2 = 13; damaged 50 + 625 + 1,118 + 69 + 487 + 471
    text = (
        "ID_3,NAME_3,TAXONOMY,UNIT_TYPES,100%_DAMAGE,SEVERE_DAMAGE,MAJOR_DAMAGE,MINOR_DAMAGE\n"
        "Z11244,Gangtok,Concrete(Pucca),Buildings,11,50,625,1118\n"
        "Z11244,Gangtok,Wooden(Kutcha),Buildings,2,69,487,471\n"
    )
    report = load(_write(tmp_path, "t.csv", text)).report
    assert report["damage_counts"]["destroyed"] == 13
    assert sum(v for k, v in report["damage_counts"].items() if k != "destroyed") == 2820
