"""Ordinary inputs at the edges: qualified cells, odd dates, odd option files.

Each test writes a small input as a user would, and its expected values are worked out by
hand from the cells written here (never from the program's output).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from damage_data.cli import main


def _summary(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, dict[str, object]]:
    assert main(["summary", *args, "--format", "json"]) == 0
    return {r["unit_code"]: r for r in json.loads(capsys.readouterr().out)}


def test_an_approximate_cell_is_counted_and_its_row_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "qualified.csv"
    table.write_text(
        "district,destroyed,damaged\nBarda,about 40,~30\nTartar,12,7\n", encoding="utf-8"
    )
    rows = _summary(capsys, str(table))
    # "about 40" and "~30" are counted as written (40 + 30), flagged as approximate
    assert (rows["AZ-BAR"]["destroyed"], rows["AZ-BAR"]["damaged"]) == (40, 30)
    assert "approximate" in str(rows["AZ-BAR"]["flags"]).split(";")
    assert "approximate" not in str(rows["AZ-TAR"]["flags"]).split(";")


def test_the_range_across_sources_keeps_each_sources_bounds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = tmp_path / "one.csv"
    one.write_text("district,destroyed,damaged\nGanja,40+,<10\nBarda,55-60,5\n", encoding="utf-8")
    rows = _summary(capsys, str(one))
    ganja, barda = rows["AZ-GA"], rows["AZ-BAR"]
    # at least 40 destroyed and up to 10 damaged: a total of 40 or more, no upper bound
    assert (ganja["total_min"], ganja["total_max"]) == (40, None)
    assert (ganja["total_low"], ganja["total_high"]) == (40, None)
    # 55 to 60 destroyed and 5 damaged: 60 to 65
    assert (barda["total_low"], barda["total_high"]) == (60, 65)


@pytest.mark.parametrize(
    ("value", "hint"),
    [("2020", "2020-12-31"), ("2020-12", "2020-12-31"), ("2020-2", "2020-02-29")],
)
def test_a_year_or_month_as_of_is_refused_with_the_last_day(
    value: str, hint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # read as its first day, "--as-of 2020" set aside every 2020 figure of the example
    assert main(["summary", "--as-of", value]) == 2
    err = capsys.readouterr().err
    assert "not a whole day" in err and hint in err and "Traceback" not in err


@pytest.mark.parametrize("value", ["15.11.2020", "03.04.2020", "2020-13-01", "yesterday"])
def test_an_as_of_in_another_spelling_is_refused(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["summary", "--as-of", value]) == 2
    assert "write it as YYYY-MM-DD" in capsys.readouterr().err


def test_an_as_of_before_every_figure_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    # the example's earliest figure is dated 2020-10-11 (data/examples/karabakh_2020)
    assert main(["summary", "--as-of", "2019-01-01", "--strict"]) == 4
    err = capsys.readouterr().err
    assert "dated after --as-of 2019-01-01" in err and "2020-10-11" in err
    assert main(["map", "--as-of", "2019-01-01", "-o", "never.png"]) == 4
    err = capsys.readouterr().err
    assert "--strict" not in err and "nothing to draw" in err


def test_rows_that_differ_in_counts_only_are_added_and_flagged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "twice.csv"
    table.write_text(
        "district,destroyed,damaged\nTartar,10,20\nTartar,5,5\nBarda,3,4\n", encoding="utf-8"
    )
    assert main(["summary", str(table), "--format", "json"]) == 0
    captured = capsys.readouterr()
    rows = {r["unit_code"]: r for r in json.loads(captured.out)}
    assert (rows["AZ-TAR"]["destroyed"], rows["AZ-TAR"]["damaged"]) == (15, 25)
    assert "repeated_place" in str(rows["AZ-TAR"]["flags"]).split(";")
    assert "repeated_place" not in str(rows["AZ-BAR"]["flags"]).split(";")
    assert "'Tartar' in row 2, row 3" in captured.err


def test_rows_told_apart_by_another_cell_are_not_flagged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GEM impact tables give one row per construction class of a place (TAXONOMY)
    table = tmp_path / "classes.csv"
    table.write_text(
        "NAME_2,TAXONOMY,D5\nAmatrice,URM-T,8\nAmatrice,URM-RC,5\nAmatrice,RC-F,1\n",
        encoding="utf-8",
    )
    assert main(["validate", str(table), "--format", "json"]) in (0, 4)
    assert "repeated_place" not in capsys.readouterr().err


def test_count_role_on_a_wide_table_is_refused_not_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "wide.csv"
    table.write_text("district,Ruined,damaged\nTartar,10,20\n", encoding="utf-8")
    # the Ruined column had been dropped in silence: Tartar printed 0 destroyed, 20 damaged
    assert main(["summary", str(table), "--columns", "count=Ruined"]) == 2
    err = capsys.readouterr().err
    assert "--columns destroyed='Ruined'" in err and "Traceback" not in err
    # the same role on a long table is what it is for
    long = tmp_path / "long.csv"
    long.write_text("district,status,number\nTartar,destroyed,20\nTartar,damaged,5\n")
    rows = _summary(capsys, str(long), "--columns", "count=number")
    assert (rows["AZ-TAR"]["destroyed"], rows["AZ-TAR"]["damaged"]) == (20, 5)


def _village_table(tmp_path: Path) -> Path:
    # a village no bundled list knows: only the user's gazetteer places it
    table = tmp_path / "table.csv"
    table.write_text("village,destroyed\nТестовое Село,4\n", encoding="utf-8")
    return table


@pytest.mark.parametrize("kind", ["cp1251", "xlsx", "semicolon"])
def test_a_village_gazetteer_is_read_like_any_table(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [["name", "parent_code", "lon", "lat"], ["Тестовое Село", "AZ-TAR", "47.0", "40.3"]]
    if kind == "xlsx":
        import pandas as pd

        gazetteer = tmp_path / "villages.xlsx"
        pd.DataFrame(rows[1:], columns=rows[0]).to_excel(gazetteer, index=False)
    else:
        sep, encoding = (",", "cp1251") if kind == "cp1251" else (";", "utf-8")
        gazetteer = tmp_path / "villages.csv"
        gazetteer.write_bytes("".join(sep.join(r) + "\n" for r in rows).encode(encoding))
    got = _summary(capsys, str(_village_table(tmp_path)), "--gazetteer", str(gazetteer))
    assert got["AZ-TAR"]["destroyed"] == 4


@pytest.mark.parametrize("text", ["", "\n\n\n"])
def test_an_empty_village_gazetteer_is_an_input_error(
    text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gazetteer = tmp_path / "villages.csv"
    gazetteer.write_text(text, encoding="utf-8")
    assert main(["summary", "--gazetteer", str(gazetteer)]) == 3
    err = capsys.readouterr().err
    assert "villages.csv" in err and "internal error" not in err


def test_bad_gazetteer_rows_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gazetteer = tmp_path / "villages.csv"
    gazetteer.write_text(
        "name,parent_code,lon,lat\nТестовое Село,AZ-TAR,abc,40.3\n,,,\nOther,AZ-BAR,47,40\n",
        encoding="utf-8",
    )
    table = str(_village_table(tmp_path))
    assert main(["summary", table, "--gazetteer", str(gazetteer), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    got = {r["unit_code"]: r for r in json.loads(out)}
    assert got["AZ-TAR"]["destroyed"] == 4  # kept, without coordinates
    assert "row 2: 'abc'" in err and "(rows 3)" in err
    assert err.count("'abc'") == 1  # said once, though the figures and summary both read it


def _units(path: Path, *geometries: dict[str, object]) -> Path:
    features = [
        {"type": "Feature", "geometry": g, "properties": {"name": "Tartar", "code": "T1"}}
        for g in geometries
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


_SQUARE = {"type": "Polygon", "coordinates": [[[46, 39], [47, 39], [47, 40], [46, 40], [46, 39]]]}
# a ring that crosses itself at (47.5, 40): GEOS stops on it when polygons are merged
_BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[47, 39], [48, 41], [48, 39], [47, 41], [47, 39]]],
}


def test_units_that_cross_themselves_are_repaired_not_fatal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    units = _units(tmp_path / "units.geojson", _SQUARE, _BOWTIE)
    table = tmp_path / "t.csv"
    table.write_text("district,destroyed\nTartar,10\n", encoding="utf-8")
    unit_options = ["--units", str(units), "--units-name", "name", "--units-code", "code"]
    rows = _summary(capsys, str(table), *unit_options)
    assert rows["T1"]["destroyed"] == 10
    assert main(["map", str(table), *unit_options, "-o", str(tmp_path / "m.png")]) == 0
    assert "repaired" in capsys.readouterr().err
    assert (tmp_path / "m.png").stat().st_size > 0


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Point", "coordinates": [47, 40]},
        {"type": "LineString", "coordinates": [[46, 39], [47, 40]]},
        {"type": "Polygon", "coordinates": []},
    ],
)
def test_a_map_of_units_without_areas_says_so(
    geometry: dict[str, object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    units = _units(tmp_path / "units.geojson", geometry)
    table = tmp_path / "t.csv"
    table.write_text("district,destroyed\nTartar,10\n", encoding="utf-8")
    args = ["--units", str(units), "--units-name", "name", "--units-code", "code"]
    assert main(["map", str(table), *args, "-o", str(tmp_path / "m.png")]) == 2
    err = capsys.readouterr().err
    assert "no areas to fill" in err and "internal error" not in err


def test_a_mapping_file_in_another_encoding_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "t.csv"
    table.write_text("район,dağıdılıb\nTərtər,10\n", encoding="utf-8")
    mapping = tmp_path / "m.json"
    mapping.write_bytes('{"place": "район"}'.encode("cp1251"))
    assert _summary(capsys, str(table), "--mapping", str(mapping))["AZ-TAR"]["destroyed"] == 10
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    assert main(["summary", str(table), "--mapping", str(empty)]) == 2
    assert "no role = column pairs" in capsys.readouterr().err


@pytest.mark.parametrize("classes", ["0", "-1", "12"])
def test_a_map_has_one_to_nine_classes(
    classes: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["map", "--classes", classes, "-o", str(tmp_path / "m.png")]) == 2
    assert "1 to 9 classes" in capsys.readouterr().err
    assert not (tmp_path / "m.png").exists()


def test_a_layer_for_a_csv_is_said_not_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "t.csv"
    table.write_text("district,destroyed\nTartar,10\n", encoding="utf-8")
    assert main(["summary", str(table), "--layer", "buildings"]) == 0
    assert "layer 'buildings' does not apply" in capsys.readouterr().err


@pytest.mark.parametrize("sep", [",", ";"])
def test_a_table_saved_as_txt_is_read_as_a_table(
    sep: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "export.txt"
    rows = [["rayon", "dağıdılıb", "zədələnib"], ["Tərtər", "10", "20"], ["Bərdə", "1", "2"]]
    table.write_text("".join(sep.join(r) + "\n" for r in rows), encoding="utf-8")
    got = _summary(capsys, str(table))
    assert (got["AZ-TAR"]["destroyed"], got["AZ-TAR"]["damaged"]) == (10, 20)
    assert (got["AZ-BAR"]["destroyed"], got["AZ-BAR"]["damaged"]) == (1, 2)


def test_prose_with_commas_is_still_press_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "report.txt"
    text.write_text(
        "In Tartar, 12 houses were destroyed, officials said.\n"
        "In Barda, 4 houses were damaged, the ministry said.\n",
        encoding="utf-8",
    )
    got = _summary(capsys, str(text))
    assert got["AZ-TAR"]["destroyed"] == 12 and got["AZ-BAR"]["damaged"] == 4


def test_state_columns_without_numbers_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "words.csv"
    table.write_text("district,destroyed\nTartar,many\n", encoding="utf-8")
    assert main(["summary", str(table)]) == 3
    err = capsys.readouterr().err
    assert "the column 'destroyed' names a damage state but holds no counts" in err
    assert "row 2: 'many'" in err


def test_a_village_match_with_half_the_file_unknown_goes_to_review(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "Berlin" is also Берлин, a village of Lviv Oblast; beside "Paris" it is Germany's
    table = tmp_path / "cities.csv"
    table.write_text("district,destroyed,damaged\nParis,10,20\nBerlin,1,2\n", encoding="utf-8")
    assert main(["summary", str(table), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == []
    assert "place 'Berlin' matched UA-46" in err
    # a unit's own name beside an unknown one is still counted
    typo = tmp_path / "typo.csv"
    typo.write_text("district,destroyed\nTartar,5\nNowhereville,3\n", encoding="utf-8")
    assert _summary(capsys, str(typo))["AZ-TAR"]["destroyed"] == 5


def test_daily_reports_that_go_up_and_down_add_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the layout of Assam's daily flood reports (ASDMA): new damage per district and day
    table = tmp_path / "daily.csv"
    table.write_text(
        "District,Fully damaged,Date\n"
        "Tartar,200,15-05-2022\nBarda,2,15-05-2022\nAghdam,7,15-05-2022\n"
        "Tartar,1000,16-05-2022\nBarda,0,16-05-2022\nAghdam,3,16-05-2022\n"
        "Tartar,106,17-05-2022\nBarda,5,17-05-2022\nAghdam,1,17-05-2022\n"
        "Tartar,802,18-05-2022\nBarda,1,18-05-2022\nAghdam,4,18-05-2022\n",
        encoding="utf-8",
    )
    assert main(["summary", str(table), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    rows = {r["unit_code"]: r for r in json.loads(out)}
    # by hand: 200+1000+106+802, 2+0+5+1, 7+3+1+4
    assert rows["AZ-TAR"]["destroyed"] == 2108
    assert rows["AZ-BAR"]["destroyed"] == 8
    assert rows["AZ-AGM"]["destroyed"] == 15
    assert "go down as well as up" in err


def test_a_running_total_with_one_correction_stays_a_series(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "running.csv"
    table.write_text(
        "District,Destroyed,Date\n"
        "Tartar,10,2020-10-01\nTartar,25,2020-10-08\nTartar,24,2020-10-15\nTartar,40,2020-10-22\n"
        "Barda,1,2020-10-01\nBarda,3,2020-10-08\nBarda,6,2020-10-15\nBarda,9,2020-10-22\n"
        "Aghdam,0,2020-10-01\nAghdam,2,2020-10-08\nAghdam,2,2020-10-15\nAghdam,5,2020-10-22\n",
        encoding="utf-8",
    )
    rows = _summary(capsys, str(table))
    # the latest of each place: one series of three falls once, in one step of nine
    assert [rows[c]["destroyed"] for c in ("AZ-TAR", "AZ-BAR", "AZ-AGM")] == [40, 9, 5]


@pytest.mark.parametrize("cell", ["0 0 0", "12 34"])
def test_digits_split_by_spaces_are_rejected_not_zero(
    cell: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "t.csv"
    table.write_text(f"district,destroyed\nTartar,{cell}\nBarda,2 129\n", encoding="utf-8")
    assert main(["validate", str(table), "--format", "json"]) in (0, 4)
    report = json.loads(capsys.readouterr().out)
    report = report[0] if isinstance(report, list) else report
    assert (report["rows_read"], report["rows_kept"], report["rows_rejected"]) == (2, 1, 1)
    rows = _summary(capsys, str(table))
    assert "AZ-TAR" not in rows and rows["AZ-BAR"]["destroyed"] == 2129


def test_a_role_given_twice_in_columns_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "np.csv"
    table.write_text("DISTRICT,PVTDMGFULL,GOVDMGFULL\nGorkha,100,3\n", encoding="utf-8")
    args = ["--columns", "place=DISTRICT", "destroyed=PVTDMGFULL", "destroyed=GOVDMGFULL"]
    # the last column won in silence: 3 destroyed instead of the private 100 and public 3
    assert main(["summary", str(table), *args]) == 2
    assert "names destroyed twice ('PVTDMGFULL', 'GOVDMGFULL')" in capsys.readouterr().err


def test_undated_inputs_under_as_of_are_counted_and_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    product = tmp_path / "undated.geojson"
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [47.1, 40.3]},
        "properties": {"Main_Damage_Site_Class": "Destroyed"},
    }
    product.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    table = tmp_path / "t.csv"
    table.write_text("district,destroyed\nTartar,4\n", encoding="utf-8")
    for path, what in ((product, "structure(s) have no assessment date"), (table, "figure(s)")):
        assert main(["summary", str(path), "--as-of", "2019-01-01"]) == 0
        err = capsys.readouterr().err
        assert what in err and "cannot set them aside" in err


def test_day_first_dates_with_dots_make_a_series(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "ua.csv"
    table.write_text(
        "Область,Дата,Зруйновано,Пошкоджено\n"
        "Харківська область,10.03.2023,1200,4500\n"
        "Харківська область,05.09.2023,1500,5200\n"
        "Херсонська область,10.03.2023,800,2100\n"
        "Херсонська область,05.09.2023,950,2600\n"
        "Всього,05.09.2023,2450,7800\n",
        encoding="utf-8",
    )
    rows = _summary(capsys, str(table))
    # the latest date of each oblast (the dates were read as numbers, and added: 2,700)
    assert (rows["UA-63"]["destroyed"], rows["UA-63"]["damaged"]) == (1500, 5200)
    assert (rows["UA-65"]["destroyed"], rows["UA-65"]["damaged"]) == (950, 2600)
    assert rows["UA-63"]["as_of"] == "2023-09-05"
    assert set(rows) == {"UA-63", "UA-65"}  # "Всього" is the total row, not a place


def test_latin_marz_is_the_parent_of_villages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "am.csv"
    # Vardenis is a town of Gegharkunik and a village name of Aragatsotn too
    table.write_text(
        "marz,village,destroyed,damaged\nGegharkunik,Sotk,12,85\nGegharkunik,Vardenis,3,40\n",
        encoding="utf-8",
    )
    rows = _summary(capsys, str(table))
    assert (rows["AM-GR"]["destroyed"], rows["AM-GR"]["damaged"]) == (15, 125)


def _points(path: Path, sites: list[tuple[str, float, float, str, str]], id_name: str) -> Path:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [x, y]},
            "properties": {
                "damage": damage,
                "sensor_date": day,
                **({id_name: site} if id_name else {}),
            },
        }
        for site, x, y, damage, day in sites
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


# three structures near Izium (Kharkiv Oblast); two seen again on a later date
_SITES = [
    ("K1", 37.25, 49.20, "Moderate Damage", "2022-09-20"),
    ("K2", 37.26, 49.21, "Destroyed", "2022-09-20"),
    ("K3", 37.27, 49.22, "No visible damage", "2022-09-20"),
    ("K1", 37.25, 49.20, "Destroyed", "2023-02-15"),
    ("K3", 37.27, 49.22, "Severe Damage", "2023-02-15"),
]


@pytest.mark.parametrize("id_name", ["site_id", "SiteID", ""])
def test_a_structure_seen_on_two_dates_counts_once(
    id_name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    layer = _points(tmp_path / "points.geojson", _SITES, id_name)
    row = _summary(capsys, str(layer))["UA-63"]
    # latest state of each: K1 destroyed, K2 destroyed, K3 severe (damaged); 3 assessed
    assert (row["destroyed"], row["damaged"], row["assessed"]) == (2, 1, 3)


def test_a_site_column_of_types_is_no_identifier(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Syria 2015 writes the site *type* in SiteID: three buildings are three, not one
    sites = [("Building", 37.25 + i / 100, 49.2, "Destroyed", "2022-09-20") for i in range(3)]
    layer = _points(tmp_path / "types.geojson", sites, "SiteID")
    assert _summary(capsys, str(layer))["UA-63"]["destroyed"] == 3


def test_a_figure_for_several_districts_is_no_figure_of_the_first(tmp_path: Path) -> None:
    from damage_data.text.extract import figures_from_text

    for sentence in (
        "Across Tartar, Barda and Aghjabadi together, more than 2,100 buildings were damaged.",
        "In Tartar and Barda, 12 houses were destroyed.",
    ):
        figures = figures_from_text(sentence)
        assert len(figures) == 1
        row = figures.iloc[0]
        assert row["status"] == "needs_review" and "multi_place" in str(row["flags"])


def test_a_dateline_dates_the_whole_report(tmp_path: Path) -> None:
    from damage_data.text.extract import figures_from_text

    text = (
        "BAKU, 15 November 2020. According to the commission, 30 houses were destroyed in "
        "Tartar district. In Barda district, 40 houses were damaged. Officials visited the "
        "area on foot. In Aghjabadi district, 35 houses were destroyed."
    )
    figures = figures_from_text(text)
    dates = {
        str(p): str(d)[:10] for p, d in zip(figures["place_text"], figures["as_of"], strict=True)
    }
    assert dates == {"Tartar": "2020-11-15", "Barda": "2020-11-15", "Aghjabadi": "2020-11-15"}


def test_the_rest_of_destroyed_or_damaged_after_the_destroyed_is_damaged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "t8.txt"
    text.write_text(
        "BAKU, 15 November 2020. According to the State Commission, 1,250 houses were "
        "destroyed or damaged in Tartar district, of which 310 were completely destroyed.",
        encoding="utf-8",
    )
    row = _summary(capsys, str(text))["AZ-TAR"]
    # 1,250 - 310 = 940 damaged (not destroyed); nothing is left unsplit
    assert (row["destroyed"], row["damaged"], row["unsplit"], row["total"]) == (
        310,
        940,
        None,
        1250,
    )


def test_a_figure_left_for_review_keeps_its_more_than(tmp_path: Path) -> None:
    text = tmp_path / "ua.txt"
    text.write_text(
        "Kyiv, 10 March 2023. In Kharkiv, Donetsk and Kherson oblasts together, more than "
        "7,600 buildings were damaged.",
        encoding="utf-8",
    )
    assert main(["report", str(text), "-o", str(tmp_path / "out")]) in (0, 4)
    readme = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    held = readme.split("## Before you publish", 1)[1]
    assert any("7,600+ damaged —" in line and "(why:" in line for line in held.splitlines())


def test_a_timeline_reads_no_rise_between_counts_of_different_kinds() -> None:
    import pandas as pd

    from damage_data.plot.furniture import timeline_headline

    series = pd.DataFrame(
        {
            "as_of": pd.to_datetime(["2023-02-15", "2023-03-10", "2023-09-05"]),
            "count": [3, 3000, 3400],
            "decreasing": [False, False, False],
            # a satellite count of a few streets, then an oblast table
            "kind": ["assessment/structures", "statement/buildings", "statement/buildings"],
        }
    )
    title, _ = timeline_headline(series, name="Donetsk Oblast")
    assert "rose" not in title and "3,400" in title
    same = series.assign(kind="statement/buildings")
    assert timeline_headline(same, name="Donetsk Oblast")[0].endswith("rose from 3 to 3,400")


def test_the_page_says_how_many_figures_wait_for_review(tmp_path: Path) -> None:
    text = tmp_path / "ua.txt"
    text.write_text(
        "Kyiv, 10 March 2023. In Kharkiv Oblast, 120 houses were destroyed. In Kharkiv, "
        "Donetsk and Kherson oblasts together, more than 7,600 buildings were damaged.",
        encoding="utf-8",
    )
    assert main(["report", str(text), "-o", str(tmp_path / "out")]) in (0, 4)
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "Figures not counted because they need checking first: 1 " in page
