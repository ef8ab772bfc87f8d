"""A code written beside names of different places: never added under one name in silence.

The layouts are those of GEM's global earthquake impact tables (ID_3/NAME_3 rows per
commune, one REFERENCE per source); the figures are the Illapel 2015 and Manjil 1990 ones
quoted as facts (see tests/data/realworld/README.md for the attribution). Every expected
number is worked out by hand in the comments.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest

from damage_data import summarise
from damage_data.pipeline import collect

HEAD = "ID_1,NAME_1,ID_3,NAME_3,DAMAGED_UNITS,REFERENCE\n"


def _summary(tmp_path: Path, text: str, **options: object) -> pd.DataFrame:
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    return summarise(collect([path]), **options).set_index("unit_code")  # type: ignore[arg-type]


def test_two_communes_under_one_code_are_not_added_under_one_name(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # the thesis rows give Monte Patria Combarbalá's code 4302. Before: "4302 Monte Patria
    # 1,585" = 544 + 1,041, two communes under one name
    text = (
        HEAD + "4,Coquimbo,4302,Combarbalá,544,Thesis\n"
        "4,Coquimbo,4302,Monte Patria,1041,Thesis\n"
        "4,Coquimbo,4301,Ovalle,784,Thesis\n"
    )
    with caplog.at_level(logging.WARNING):
        table = _summary(tmp_path, text)
    assert list(table.index) == ["4301"]  # 4302 is not stated: nobody knows whose it is
    assert table.loc["4301", "damaged"] == 784
    message = " ".join(r.getMessage() for r in caplog.records)
    assert "t.csv: code 4302" in message
    assert "'Combarbalá' (row 2)" in message and "'Monte Patria' (row 3)" in message
    assert "--include-review" in message
    # counted on request, the rows add up (two communes, no double count) and say why
    table = _summary(tmp_path, text, include_review=True)
    assert table.loc["4302", "damaged"] == 544 + 1041
    assert "code_name_conflict" in str(table.loc["4302", "flags"])


def test_the_name_written_beside_another_code_elsewhere_is_the_odd_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # the file's other source writes Combarbalá 4302 and Monte Patria 4303: the thesis's
    # "4302 Monte Patria" row is the mistake. By hand: 4302 Combarbalá = the later-listed
    # thesis 544 against the article's 346 (one source each, never added), 4303 Monte Patria
    # 495 (the article alone)
    text = (
        HEAD + "4,Coquimbo,4302,Combarbalá,346,Article\n"
        "4,Coquimbo,4303,Monte Patria,495,Article\n"
        "4,Coquimbo,4302,Combarbalá ,544,Thesis\n"
        "4,Coquimbo,4302,Monte Patria ,1041,Thesis\n"
    )
    with caplog.at_level(logging.WARNING):
        table = _summary(tmp_path, text)
    assert table.loc["4302", "unit_name"].strip() == "Combarbalá"
    assert table.loc["4302", "damaged"] in (346, 544)  # one source's figure, not a sum
    assert table.loc["4302", "damaged"] != 346 + 544
    assert table.loc["4303", "damaged"] == 495
    assert "needs_review" in str(table.loc["4302", "flags"])
    message = " ".join(r.getMessage() for r in caplog.records)
    assert "writes 'Monte Patria' beside 4303 elsewhere" in message


def test_spellings_of_one_name_under_one_code_are_one_place(tmp_path: Path) -> None:
    # accents, case, spaces, a generic word and a one-letter typo: still Combarbalá.
    # Different places of one source in one table: by hand 1 + 2 + 3 + 4 + 5 = 15
    text = (
        "ID_3,NAME_3,DAMAGED_UNITS,DATE\n"
        "4302,Combarbalá,1,2015-09-17\n4302,COMBARBALA,2,2015-09-18\n"
        "4302,Comuna de Combarbalá,3,2015-09-19\n4302,Combarbalà,4,2015-09-20\n"
        "4302,Combarbla,5,2015-09-21\n"
    )
    table = _summary(tmp_path, text)
    assert "code_name_conflict" not in str(table.loc["4302", "flags"])
    assert "needs_review" not in str(table.loc["4302", "flags"])
    assert table.loc["4302", "damaged"] == 5  # a series of one place: its latest figure


def test_village_names_under_district_codes_are_a_layout_not_mistakes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # every code carries several names: the names are places inside the coded units, and
    # each code adds its places. By hand: D1 = 3 + 4 + 5 = 12, D2 = 1 + 2 = 3, D3 = 7 + 8 = 15
    rows = [
        ("D1", "Alpha", 3),
        ("D1", "Bravo", 4),
        ("D1", "Charlie", 5),
        ("D2", "Delta", 1),
        ("D2", "Echo", 2),
        ("D3", "Foxtrot", 7),
        ("D3", "Golf", 8),
    ]
    text = "district_code,place,houses_destroyed\n" + "".join(f"{c},{n},{v}\n" for c, n, v in rows)
    with caplog.at_level(logging.WARNING):
        table = _summary(tmp_path, text)
    frame = pd.DataFrame(rows, columns=["code", "name", "n"]).groupby("code")["n"].sum()
    for code, expected in frame.items():
        assert table.loc[code, "destroyed"] == expected
        assert "code_name_conflict" not in str(table.loc[code, "flags"])


def test_a_known_code_beside_another_units_name_goes_to_review(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # AZ-FUZ is Fuzuli; a row that says Jabrayil under it is a copied code. Spellings of
    # Fuzuli in other scripts and a name below it are no conflict. By hand: AZ-FUZ = 10 + 20
    # (two rows of one place at two dates: a series, the later 20); the Jabrayil row is out
    text = (
        "code,name,date,destroyed\n"
        "AZ-FUZ,Füzuli,2020-11-01,10\n"
        "AZ-FUZ,Физули,2020-11-10,20\n"
        "AZ-FUZ,Jabrayil,2020-11-10,99\n"
    )
    with caplog.at_level(logging.WARNING):
        table = _summary(
            tmp_path,
            text,
        )
    assert table.loc["AZ-FUZ", "destroyed"] == 20
    assert "AZ-CAB" not in table.index
    # a name the gazetteer gives the code itself is no conflict, though it names another
    # unit first: "Kyiv" is an alias of Kyiv Oblast (UA-32) and the name of Kyiv city
    table = _summary(tmp_path, "code,name,destroyed\nUA-32,Kyiv,5\n")
    assert table.loc["UA-32", "destroyed"] == 5
    message = " ".join(r.getMessage() for r in caplog.records)
    assert "'Jabrayil', which is AZ-CAB" in message and "(row 4)" in message


@pytest.mark.parametrize(
    ("header", "code", "level"),
    [
        ("ID_0", "SYR", "country"),  # GEM's country rows: SYR printed as adm1
        ("ID_2", "11", "adm2"),  # a Chilean province: "11" printed as a country
        ("ADM3_PCODE", "4302", "adm3"),
        ("code", "43", "adm1"),  # no level in the header: two digits are no country
        ("code", "CL", "country"),
    ],
)
def test_the_level_of_a_code_no_gazetteer_knows(
    tmp_path: Path, header: str, code: str, level: str
) -> None:
    table = _summary(tmp_path, f"{header},name,houses_destroyed\n{code},Somewhere,5\n")
    assert table.loc[code, "level"] == level
    assert table.loc[code, "destroyed"] == 5


def test_asides_footnote_marks_and_mojibake_are_the_same_name(tmp_path: Path) -> None:
    # the Philippine typhoon-impact tables (510 Global) write one municipality several ways;
    # each was taken for two places and the whole unit sent to review. Typhoons add up
    # (rows of different events). By hand: Legazpi 4,000 + 998 and 9,000 + 2,344;
    # Peñablanca 1,500 + 4 and 13,000 + 283; Santa Fe 100 + 7 and 1,400 + 11
    text = (
        "pcode,Municipality,typhoon,Year,Totally,Partially\n"
        "PH050506000,LEGAZPI CITY (Capital),Durian,2006,4000,9000\n"
        "PH050506000,Legazpi City**,Haiyan,2013,998,2344\n"
        "PH021519000,Peñablanca,Durian,2006,1500,13000\n"
        "PH021519000,PEÃ¯Â¿Â½Ã¯Â¿Â½ABLANCA,Haiyan,2013,4,283\n"
        "PH175915000,SANTA FE,Durian,2006,100,1400\n"
        "PH175915000,Sta Fe,Haiyan,2013,7,11\n"
    )
    table = _summary(tmp_path, text)
    expected = {
        "PH050506000": (4000 + 998, 9000 + 2344),
        "PH021519000": (1500 + 4, 13000 + 283),
        "PH175915000": (100 + 7, 1400 + 11),
    }
    for code, (destroyed, damaged) in expected.items():
        assert (table.loc[code, "destroyed"], table.loc[code, "damaged"]) == (destroyed, damaged)
        assert "needs_review" not in str(table.loc[code, "flags"])


def test_a_name_beside_another_code_under_another_parent_is_another_place(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # GEM El Salvador 2001: SV0202 on Guacotecti and on San Isidro (both in Cabañas); the
    # file's other "San Isidro" is Morazán's, SV0820, so it says nothing of SV0202: both
    # names go to review. By hand: SV0820 keeps its own 7; SV0202 is not stated; the rows of
    # one place (two building types each) add: Ilobasco 4 + 1, Jocoaitique 2 + 3
    text = (
        "ID_1,NAME_1,ID_2,NAME_2,TAXONOMY,DAMAGED_UNITS\n"
        "SV02,Cabañas,SV0202,Guacotecti,RES,5\n"
        "SV02,Cabañas,SV0202,San Isidro,RES,3\n"
        "SV02,Cabañas,SV0203,Ilobasco,RES,4\n"
        "SV02,Cabañas,SV0203,Ilobasco,COM,1\n"
        "SV08,Morazán,SV0820,San Isidro,RES,7\n"
        "SV08,Morazán,SV0821,Jocoaitique,RES,2\n"
        "SV08,Morazán,SV0821,Jocoaitique,COM,3\n"
    )
    with caplog.at_level(logging.WARNING):
        table = _summary(tmp_path, text)
    assert sorted(table.index) == ["SV0203", "SV0820", "SV0821"]
    assert table.loc["SV0820", "damaged"] == 7
    assert table.loc["SV0203", "damaged"] == 4 + 1
    assert table.loc["SV0821", "damaged"] == 2 + 3
    assert "is not known" in " ".join(r.getMessage() for r in caplog.records)
