"""Write ``cases.jsonl``: original passages written for this project, with hand labels.

Run ``python tests/data/text/make_cases.py`` after editing; it checks every evidence,
negative and duplicate span against its text before writing. The passages are written by
the project (no third-party text); places and figures are realistic but the wording is ours.
"""

from __future__ import annotations

import json
from pathlib import Path


def g(
    place,
    level,
    count,
    qualifier,
    damage,
    structure,
    evidence,
    *,
    subset_of=None,
    same_as=None,
    cumulative=None,
    as_of=None,
    **extra,
):
    rec = {
        "place": place,
        "admin_level": level,
        "count": count,
        "qualifier": qualifier,
        "damage": damage,
        "structure": structure,
        "subset_of": subset_of,
        "same_as": same_as,
        "cumulative": cumulative,
        "as_of": as_of,
        "evidence": evidence,
    }
    rec.update(extra)
    return rec


def neg(span, why):
    return {"span": span, "why": why}


CASES = []


def case(id_, published, language, tags, text, expected, negatives=(), duplicates=(), notes=""):
    CASES.append(
        {
            "id": id_,
            "published": published,
            "language": language,
            "outlet": "own",
            "tags": list(tags),
            "text": text,
            "expected": list(expected),
            "duplicates": list(duplicates),
            "negatives": list(negatives),
            "notes": notes,
        }
    )


# --- English ------------------------------------------------------------------------------

case(
    "own-en-reference-jabrayil-fuzuli",
    "2020-11-24",
    "en",
    ["reference_statement", "subset", "same_as", "negation", "inspected", "karabakh"],
    "Baku, 24 November. A member of the State Commission on damage assessment gave the first "
    "results of inspections in the liberated districts.\n\n"
    "In Jabrayil district, damage was recorded to 47 buildings, of which 41 private houses, "
    "3 business facilities, 1 school and 2 administrative buildings. No building in the "
    "district was destroyed; the 47 are in critical condition, he said.\n\n"
    "In the liberated part of Fuzuli district, some 325 buildings have been inspected so far, "
    "among them 4 schools and 3 administrative buildings. Some 11 houses were completely "
    "destroyed, while the rest are in disrepair. The assessment continues.",
    [
        g(
            "Jabrayil",
            "district",
            47,
            "exact",
            "damaged",
            "building",
            "47 buildings",
            as_of="2020-11-24",
        ),
        g(
            "Jabrayil",
            "district",
            41,
            "exact",
            "damaged",
            "house",
            "41 private houses",
            subset_of=0,
            as_of="2020-11-24",
        ),
        g(
            "Jabrayil",
            "district",
            3,
            "exact",
            "damaged",
            "business",
            "3 business facilities",
            subset_of=0,
            as_of="2020-11-24",
        ),
        g(
            "Jabrayil",
            "district",
            1,
            "exact",
            "damaged",
            "school",
            "1 school",
            subset_of=0,
            as_of="2020-11-24",
        ),
        g(
            "Jabrayil",
            "district",
            2,
            "exact",
            "damaged",
            "administrative_building",
            "2 administrative buildings",
            subset_of=0,
            as_of="2020-11-24",
        ),
        g(
            "Jabrayil",
            "district",
            0,
            "exact",
            "destroyed",
            "building",
            "No building in the district was destroyed",
            as_of="2020-11-24",
        ),
        g(
            "Jabrayil",
            "district",
            47,
            "exact",
            "damaged",
            "building",
            "the 47 are in critical condition",
            same_as=0,
            as_of="2020-11-24",
        ),
        g(
            "Fuzuli",
            "district",
            325,
            "approx",
            "inspected",
            "building",
            "some 325 buildings have been inspected",
            cumulative=True,
            as_of="2020-11-24",
        ),
        g(
            "Fuzuli",
            "district",
            4,
            "exact",
            "inspected",
            "school",
            "4 schools",
            subset_of=7,
            cumulative=True,
            as_of="2020-11-24",
        ),
        g(
            "Fuzuli",
            "district",
            3,
            "exact",
            "inspected",
            "administrative_building",
            "3 administrative buildings",
            subset_of=7,
            cumulative=True,
            as_of="2020-11-24",
        ),
        g(
            "Fuzuli",
            "district",
            11,
            "approx",
            "destroyed",
            "house",
            "Some 11 houses were completely destroyed",
            subset_of=7,
            cumulative=True,
            as_of="2020-11-24",
        ),
    ],
    [neg("24 November", "date")],
    notes="Restates in our own words the primary statement of REFERENCE.md section 1.",
)

case(
    "own-en-tartar-overnight",
    "2020-10-05",
    "en",
    ["single_event", "casualties_nearby", "shells_nearby", "vehicles_nearby", "karabakh"],
    "TARTAR, Oct. 5. Armenian artillery struck the town of Tartar overnight, the district "
    "executive authority said on Monday. Two civilians were wounded and 31 shells landed in "
    "residential areas. Nine private houses were damaged and one house was destroyed by a "
    "direct hit. Three cars and a gas pipeline were also damaged.",
    [
        g(
            "Tartar",
            "town",
            9,
            "exact",
            "damaged",
            "house",
            "Nine private houses were damaged",
            cumulative=False,
            as_of="2020-10-04",
        ),
        g(
            "Tartar",
            "town",
            1,
            "exact",
            "destroyed",
            "house",
            "one house was destroyed",
            cumulative=False,
            as_of="2020-10-04",
        ),
    ],
    [
        neg("Two civilians", "casualties"),
        neg("31 shells", "munitions"),
        neg("Three cars", "vehicles"),
        neg("Oct. 5", "date"),
    ],
)

case(
    "own-en-kharkiv-sitrep",
    "2022-06-10",
    "en",
    ["un_sitrep", "at_least", "including_subset", "people_nearby", "ukraine"],
    "According to the regional administration, at least 2,300 residential buildings have been "
    "damaged or destroyed in Kharkiv Oblast since 24 February, including about 1,500 in the "
    "city of Kharkiv. Humanitarian partners delivered food to some 15,000 people in the past "
    "week. Education authorities report that 96 schools in the oblast have sustained damage, "
    "12 of which were completely destroyed.",
    [
        g(
            "Kharkiv Oblast",
            "region",
            2300,
            "at_least",
            "damaged_or_destroyed",
            "residential_building",
            "at least 2,300 residential buildings have been damaged or destroyed",
            cumulative=True,
            as_of="2022-06-10",
        ),
        g(
            "Kharkiv (city)",
            "city",
            1500,
            "approx",
            "damaged_or_destroyed",
            "residential_building",
            "about 1,500",
            subset_of=0,
            cumulative=True,
            as_of="2022-06-10",
        ),
        g(
            "Kharkiv Oblast",
            "region",
            96,
            "exact",
            "damaged",
            "school",
            "96 schools in the oblast have sustained damage",
            as_of="2022-06-10",
        ),
        g(
            "Kharkiv Oblast",
            "region",
            12,
            "exact",
            "destroyed",
            "school",
            "12 of which were completely destroyed",
            subset_of=2,
            as_of="2022-06-10",
        ),
    ],
    [neg("some 15,000 people", "people"), neg("24 February", "date")],
)

case(
    "own-en-aghdam-ngo-villages",
    "2021-03-02",
    "en",
    ["ngo_report", "vague_dozens", "vague_hundreds", "subset", "named_single_building", "karabakh"],
    "An NGO survey team visited Abdal and Gulabli villages in Aghdam district last week. "
    "Dozens of houses in Abdal have been levelled, the team reported, and hundreds of homes "
    "across the district are beyond repair. In Gulabli, the team counted 58 houses, of which "
    "40 were destroyed and 18 partially damaged. The village mosque was also badly damaged.",
    [
        g(
            "Abdal",
            "village",
            None,
            "vague",
            "destroyed",
            "house",
            "Dozens of houses in Abdal have been levelled",
            optional=True,
            vague_term="dozens",
        ),
        g(
            "Aghdam",
            "district",
            None,
            "vague",
            "unrepairable",
            "house",
            "hundreds of homes across the district are beyond repair",
            optional=True,
            vague_term="hundreds",
        ),
        g("Gulabli", "village", 58, "exact", "inspected", "house", "counted 58 houses"),
        g(
            "Gulabli",
            "village",
            40,
            "exact",
            "destroyed",
            "house",
            "40 were destroyed",
            subset_of=2,
        ),
        g(
            "Gulabli",
            "village",
            18,
            "exact",
            "partially_damaged",
            "house",
            "18 partially damaged",
            subset_of=2,
        ),
        g(
            "Gulabli",
            "village",
            1,
            "exact",
            "severely_damaged",
            "mosque",
            "The village mosque was also badly damaged",
            optional=True,
        ),
    ],
)

case(
    "own-en-horadiz-correction",
    "2020-12-03",
    "en",
    ["correction", "superseded_number", "settlement", "karabakh"],
    "The Fuzuli district executive authority has corrected its figures: 212 houses were "
    "destroyed in the town of Horadiz, not 221 as reported earlier. The authority also said "
    "37 houses in Horadiz were partially damaged.",
    [
        g(
            "Horadiz",
            "town",
            212,
            "exact",
            "destroyed",
            "house",
            "212 houses were destroyed",
            supersedes="221",
        ),
        g(
            "Horadiz",
            "town",
            37,
            "exact",
            "partially_damaged",
            "house",
            "37 houses in Horadiz were partially damaged",
        ),
    ],
    [neg("221", "superseded figure, corrected in the same sentence")],
)

case(
    "own-en-multi-place-ombudsman",
    "2020-11-02",
    "en",
    ["multi_place", "period_total", "people_nearby", "karabakh"],
    "In Stepanakert and Martuni district, about 400 buildings were damaged or destroyed during "
    "the six weeks of fighting, the ombudsman said in a report published on Monday. The report "
    "also counts 5,800 displaced families.",
    [
        g(
            "Stepanakert and Martuni district",
            "multi",
            400,
            "approx",
            "damaged_or_destroyed",
            "building",
            "about 400 buildings were damaged or destroyed",
            cumulative=True,
        )
    ],
    [neg("5,800 displaced families", "people"), neg("six weeks", "duration")],
)

case(
    "own-en-kherson-storeys",
    "2022-11-20",
    "en",
    ["storeys_trap", "housing_units", "vehicles_nearby", "single_event", "ukraine"],
    "Russian shelling hit a nine-storey apartment building in Kherson on Saturday, damaging "
    "24 flats, the city military administration said. Two people were injured. In the "
    "surrounding streets, 14 private houses and a kindergarten were damaged, along with 6 cars.",
    [
        g(
            "Kherson",
            "city",
            24,
            "exact",
            "damaged",
            "apartment",
            "damaging 24 flats",
            cumulative=False,
            as_of="2022-11-19",
        ),
        g(
            "Kherson",
            "city",
            14,
            "exact",
            "damaged",
            "house",
            "14 private houses",
            cumulative=False,
            as_of="2022-11-19",
        ),
        g(
            "Kherson",
            "city",
            1,
            "exact",
            "damaged",
            "kindergarten",
            "a kindergarten were damaged",
            optional=True,
        ),
    ],
    [neg("nine-storey", "storeys"), neg("Two people", "casualties"), neg("6 cars", "vehicles")],
)

case(
    "own-en-kharkiv-city-series",
    "2022-09-01",
    "en",
    ["cumulative_series", "superseded", "relative_date", "unrepairable", "ukraine"],
    "Kharkiv city council said on Tuesday that 3,800 residential buildings had been damaged in "
    "the city since the start of the invasion. A week earlier the council had put the figure "
    "at 3,650. Of the damaged buildings, 240 are beyond repair, according to the deputy mayor.",
    [
        g(
            "Kharkiv",
            "city",
            3800,
            "exact",
            "damaged",
            "residential_building",
            "3,800 residential buildings had been damaged",
            cumulative=True,
            as_of="2022-08-30",
        ),
        g(
            "Kharkiv",
            "city",
            3650,
            "exact",
            "damaged",
            "residential_building",
            "3,650",
            cumulative=True,
            optional=True,
            superseded=True,
        ),
        g(
            "Kharkiv",
            "city",
            240,
            "exact",
            "unrepairable",
            "residential_building",
            "240 are beyond repair",
            subset_of=0,
            cumulative=True,
        ),
    ],
)

case(
    "own-en-shusha-researchers",
    "2021-01-15",
    "en",
    ["ngo_report", "at_least", "razed", "named_single_building", "karabakh"],
    "Researchers documented damage to at least 17 structures in Shusha, including the "
    "Ghazanchetsots cathedral, which was struck twice on 8 October. Satellite imagery reviewed "
    "by the group shows 5 buildings razed near the city's northern edge.",
    [
        g(
            "Shusha",
            "city",
            17,
            "at_least",
            "damaged",
            "building",
            "damage to at least 17 structures",
        ),
        g("Shusha", "city", 5, "exact", "destroyed", "building", "5 buildings razed"),
    ],
    [neg("8 October", "date")],
)

case(
    "own-en-turkey-earthquake",
    "2023-02-20",
    "en",
    ["other_country", "thousands", "damaged_or_destroyed", "planned_demolition", "people_nearby"],
    "Turkey's environment ministry said that 118,000 buildings across the earthquake zone were "
    "either collapsed or severely damaged and need to be demolished urgently. In Hatay province "
    "alone, 23,500 buildings collapsed or were heavily damaged. More than 2 million people have "
    "left the region.",
    [
        g(
            "Turkey (earthquake zone)",
            "multi",
            118000,
            "exact",
            "severely_damaged_or_destroyed",
            "building",
            "118,000 buildings across the earthquake zone were either collapsed or severely damaged",
        ),
        g(
            "Hatay",
            "region",
            23500,
            "exact",
            "severely_damaged_or_destroyed",
            "building",
            "23,500 buildings collapsed or were heavily damaged",
        ),
    ],
    [neg("More than 2 million people", "people")],
)

case(
    "own-en-lachin-negation",
    "2022-08-30",
    "en",
    ["negation", "agricultural", "cumulative_since", "karabakh"],
    "The Lachin district administration reported that no residential buildings were damaged in "
    "the latest incident. However, 3 farm buildings near the village of Zabukh were hit by "
    "mortar fire and damaged. Earlier this month, officials had listed 64 houses in the "
    "district as damaged since 2020.",
    [
        g(
            "Lachin",
            "district",
            0,
            "exact",
            "damaged",
            "residential_building",
            "no residential buildings were damaged",
            cumulative=False,
        ),
        g(
            "Zabukh",
            "village",
            3,
            "exact",
            "damaged",
            "agricultural_building",
            "3 farm buildings near the village of Zabukh were hit by mortar fire and damaged",
            cumulative=False,
        ),
        g(
            "Lachin",
            "district",
            64,
            "exact",
            "damaged",
            "house",
            "64 houses in the district as damaged",
            cumulative=True,
        ),
    ],
    [neg("2020", "year")],
)

case(
    "own-en-garbled-transmission",
    "2020-11-10",
    "und",
    ["garbled", "mojibake", "review"],
    "Ð’ Ð°Ð³Ð´Ð°Ð¼Ñ\x81ÐºÐ¾Ð¼ Ñ€Ð°Ð¹Ð¾Ð½Ðµ 45 Ð´Ð¾Ð¼Ð¾Ð² Ñ€Ð°Ð·Ñ€ÑƒÑˆÐµÐ½Ñ‹.",
    [
        g(
            "Aghdam",
            "district",
            None,
            "unspecified",
            "destroyed",
            "house",
            "45",
            review=True,
            optional=True,
            note="Russian text read as Latin-1: the number is visible, its meaning is not",
        )
    ],
)

case(
    "own-hy-stepanakert",
    "2020-11-12",
    "hy",
    ["armenian"],
    "Ստեփանակերտում 120 շենք վնասվել է, իսկ 15 տուն ամբողջությամբ ավերվել է։",
    [
        g("Stepanakert", "city", 120, "exact", "damaged", "building", "120 շենք վնասվել"),
        g(
            "Stepanakert",
            "city",
            15,
            "exact",
            "destroyed",
            "house",
            "15 տուն ամբողջությամբ ավերվել",
            note="Armenian is read since issue 15 (it went to review before)",
        ),
    ],
)

case(
    "own-en-shusha-cumulative-two-dates",
    "2020-10-20",
    "en",
    ["cumulative_series", "number_of_rose_to", "including_subset", "karabakh"],
    "On 10 October the Shusha district office reported 54 houses damaged. By 18 October, the "
    "number of damaged houses in the district had risen to 131, including 22 that were "
    "completely destroyed.",
    [
        g(
            "Shusha",
            "district",
            54,
            "exact",
            "damaged",
            "house",
            "54 houses damaged",
            cumulative=True,
            as_of="2020-10-10",
        ),
        g(
            "Shusha",
            "district",
            131,
            "exact",
            "damaged",
            "house",
            "number of damaged houses in the district had risen to 131",
            cumulative=True,
            as_of="2020-10-18",
        ),
        g(
            "Shusha",
            "district",
            22,
            "exact",
            "destroyed",
            "house",
            "22 that were completely destroyed",
            subset_of=1,
            cumulative=True,
            as_of="2020-10-18",
        ),
    ],
    [neg("10 October", "date"), neg("18 October", "date")],
)

case(
    "own-en-odesa-money",
    "2023-07-25",
    "en",
    ["money_trap", "including_subset", "industrial", "ukraine"],
    "Russian strikes on Odesa over the past week damaged 29 buildings in the historic centre, "
    "including 25 listed monuments, and destroyed 2 grain terminals. The city estimates "
    "repairs at 300 million hryvnias.",
    [
        g(
            "Odesa",
            "city",
            29,
            "exact",
            "damaged",
            "building",
            "damaged 29 buildings",
            cumulative=True,
        ),
        g(
            "Odesa",
            "city",
            25,
            "exact",
            "damaged",
            "cultural",
            "25 listed monuments",
            subset_of=0,
            cumulative=True,
        ),
        g(
            "Odesa",
            "city",
            2,
            "exact",
            "destroyed",
            "industrial",
            "destroyed 2 grain terminals",
            cumulative=True,
        ),
    ],
    [neg("300 million hryvnias", "money")],
)

case(
    "own-en-secondary-jabrayil",
    "2020-11-24",
    "en",
    ["secondary_report", "parent_conflict", "negated_destroyed", "subset", "karabakh"],
    "Officials said 47 buildings of Jabrayil in Fuzuli were severely damaged but not destroyed, "
    "41 of them private homes. These come on top of an estimated 325 structures damaged or "
    "destroyed in the Fuzuli district.",
    [
        g(
            "Jabrayil in Fuzuli",
            "district",
            47,
            "exact",
            "severely_damaged",
            "building",
            "47 buildings of Jabrayil in Fuzuli were severely damaged",
        ),
        g(
            "Jabrayil in Fuzuli",
            "district",
            41,
            "exact",
            "severely_damaged",
            "house",
            "41 of them private homes",
            subset_of=0,
        ),
        g(
            "Fuzuli",
            "district",
            325,
            "approx",
            "damaged_or_destroyed",
            "building",
            "an estimated 325 structures damaged or destroyed",
        ),
    ],
)

case(
    "own-en-jabrayil-percent",
    "2021-04-01",
    "en",
    ["percent_only", "inspected_total_with_breakdown", "karabakh"],
    "A field assessment in Jabrayil town found that about 90 percent of residential buildings "
    "were destroyed. Of 1,460 structures surveyed, 1,310 were destroyed and 150 damaged.",
    [
        g(
            "Jabrayil",
            "town",
            None,
            "unspecified",
            "destroyed",
            "residential_building",
            "about 90 percent of residential buildings were destroyed",
            optional=True,
            percent=90,
        ),
        g("Jabrayil", "town", 1460, "exact", "inspected", "building", "1,460 structures surveyed"),
        g(
            "Jabrayil",
            "town",
            1310,
            "exact",
            "destroyed",
            "building",
            "1,310 were destroyed",
            subset_of=1,
        ),
        g("Jabrayil", "town", 150, "exact", "damaged", "building", "150 damaged", subset_of=1),
    ],
)

# --- Azerbaijani --------------------------------------------------------------------------

case(
    "own-az-horadiz-inspected",
    "2020-11-26",
    "az",
    ["azerbaijani", "case_suffixes", "inspected_total_with_breakdown", "karabakh"],
    "Füzuli rayonunun Horadiz qəsəbəsində 152 fərdi yaşayış evinə baxış keçirilib. Onlardan "
    "38-i tamamilə dağılıb, 114-ü isə qəzalı vəziyyətdədir. Qəsəbədə 2 məktəb binası da zədələnib.",
    [
        g(
            "Horadiz",
            "settlement",
            152,
            "exact",
            "inspected",
            "house",
            "152 fərdi yaşayış evinə baxış keçirilib",
        ),
        g(
            "Horadiz",
            "settlement",
            38,
            "exact",
            "destroyed",
            "house",
            "38-i tamamilə dağılıb",
            subset_of=0,
        ),
        g(
            "Horadiz",
            "settlement",
            114,
            "exact",
            "damaged",
            "house",
            "114-ü isə qəzalı vəziyyətdədir",
            subset_of=0,
        ),
        g("Horadiz", "settlement", 2, "exact", "damaged", "school", "2 məktəb binası da zədələnib"),
    ],
)

case(
    "own-az-aghdam-intact-trap",
    "2021-01-20",
    "az",
    ["azerbaijani", "negation_not_zero", "space_thousands_separator", "more_than", "karabakh"],
    "Ağdam rayonunda heç bir yaşayış binası salamat qalmayıb. Komissiyanın məlumatına görə, "
    "şəhərdə 1 200-dən çox ev yerlə-yeksan edilib, 35 məktəb və 12 xəstəxana binası dağıdılıb.",
    [
        g(
            "Ağdam (Aghdam)",
            "city",
            1200,
            "more_than",
            "destroyed",
            "house",
            "1 200-dən çox ev yerlə-yeksan edilib",
        ),
        g("Ağdam (Aghdam)", "city", 35, "exact", "destroyed", "school", "35 məktəb"),
        g(
            "Ağdam (Aghdam)",
            "city",
            12,
            "exact",
            "destroyed",
            "hospital",
            "12 xəstəxana binası dağıdılıb",
        ),
    ],
    [
        neg(
            "heç bir yaşayış binası salamat qalmayıb",
            "'not one building is intact': no count, not zero",
        )
    ],
)

case(
    "own-az-tartar-running-total",
    "2020-10-06",
    "az",
    ["azerbaijani", "cumulative_and_single_event", "casualties_nearby", "karabakh"],
    "Tərtər rayon İcra Hakimiyyətinin məlumatına görə, sentyabrın 27-dən bu günədək rayonda "
    "410 ev və 27 çoxmənzilli yaşayış binası zədələnib. Ötən gecə isə daha 15 evə ziyan dəyib, "
    "2 ev tamamilə dağılıb. 6 nəfər yaralanıb.",
    [
        g(
            "Tərtər (Tartar)",
            "district",
            410,
            "exact",
            "damaged",
            "house",
            "410 ev",
            cumulative=True,
            as_of="2020-10-06",
        ),
        g(
            "Tərtər (Tartar)",
            "district",
            27,
            "exact",
            "damaged",
            "apartment_building",
            "27 çoxmənzilli yaşayış binası zədələnib",
            cumulative=True,
            as_of="2020-10-06",
        ),
        g(
            "Tərtər (Tartar)",
            "district",
            15,
            "exact",
            "damaged",
            "house",
            "15 evə ziyan dəyib",
            cumulative=False,
            as_of="2020-10-05",
        ),
        g(
            "Tərtər (Tartar)",
            "district",
            2,
            "exact",
            "destroyed",
            "house",
            "2 ev tamamilə dağılıb",
            cumulative=False,
            as_of="2020-10-05",
        ),
    ],
    [neg("6 nəfər yaralanıb", "injured"), neg("sentyabrın 27-dən", "date")],
)

case(
    "own-az-ganja-vague",
    "2020-10-17",
    "az",
    ["azerbaijani", "vague_dozens", "vague_hundreds", "casualties_nearby", "karabakh"],
    "Gəncə şəhərinə endirilən raket zərbəsi nəticəsində onlarla ev dağılıb, yüzlərlə mənzilə "
    "ziyan dəyib. İlkin məlumata görə, 13 nəfər həlak olub, 50-dən çox sakin yaralanıb.",
    [
        g(
            "Gəncə (Ganja)",
            "city",
            None,
            "vague",
            "destroyed",
            "house",
            "onlarla ev dağılıb",
            optional=True,
            vague_term="onlarla",
            cumulative=False,
        ),
        g(
            "Gəncə (Ganja)",
            "city",
            None,
            "vague",
            "damaged",
            "apartment",
            "yüzlərlə mənzilə ziyan dəyib",
            optional=True,
            vague_term="yüzlərlə",
            cumulative=False,
        ),
    ],
    [neg("13 nəfər həlak olub", "killed"), neg("50-dən çox sakin", "injured")],
)

case(
    "own-az-jabrayil-primary",
    "2020-11-24",
    "az",
    ["azerbaijani", "reference_statement", "subset", "same_as", "negation", "karabakh"],
    "Dövlət Komissiyasının üzvü bildirib ki, Cəbrayıl rayonunda 47 binaya ziyan dəyib, onlardan "
    "41-i fərdi yaşayış evi, 3-ü ticarət obyekti, 1-i məktəb, 2-si inzibati binadır. Rayonda "
    "heç bir bina tam dağılmayıb, həmin 47 bina qəzalı vəziyyətdədir.",
    [
        g(
            "Cəbrayıl (Jabrayil)",
            "district",
            47,
            "exact",
            "damaged",
            "building",
            "47 binaya ziyan dəyib",
        ),
        g(
            "Cəbrayıl (Jabrayil)",
            "district",
            41,
            "exact",
            "damaged",
            "house",
            "41-i fərdi yaşayış evi",
            subset_of=0,
        ),
        g(
            "Cəbrayıl (Jabrayil)",
            "district",
            3,
            "exact",
            "damaged",
            "business",
            "3-ü ticarət obyekti",
            subset_of=0,
        ),
        g(
            "Cəbrayıl (Jabrayil)",
            "district",
            1,
            "exact",
            "damaged",
            "school",
            "1-i məktəb",
            subset_of=0,
        ),
        g(
            "Cəbrayıl (Jabrayil)",
            "district",
            2,
            "exact",
            "damaged",
            "administrative_building",
            "2-si inzibati binadır",
            subset_of=0,
        ),
        g(
            "Cəbrayıl (Jabrayil)",
            "district",
            0,
            "exact",
            "destroyed",
            "building",
            "heç bir bina tam dağılmayıb",
        ),
        g(
            "Cəbrayıl (Jabrayil)",
            "district",
            47,
            "exact",
            "damaged",
            "building",
            "həmin 47 bina qəzalı vəziyyətdədir",
            same_as=0,
        ),
    ],
)

case(
    "own-az-shusha-monitoring",
    "2021-05-10",
    "az",
    ["azerbaijani", "inspected_total_with_breakdown", "restored_trap", "karabakh"],
    "Şuşa şəhərində aparılan monitorinq zamanı 280 bina və tikiliyə baxış keçirilib. Onlardan "
    "96-sı tam dağılmış, 150-si isə ciddi zədələnmiş vəziyyətdədir. Şəhərdəki 17 məscid və "
    "kilsədən 5-i bərpa olunub.",
    [
        g(
            "Şuşa (Shusha)",
            "city",
            280,
            "exact",
            "inspected",
            "building",
            "280 bina və tikiliyə baxış keçirilib",
        ),
        g(
            "Şuşa (Shusha)",
            "city",
            96,
            "exact",
            "destroyed",
            "building",
            "96-sı tam dağılmış",
            subset_of=0,
        ),
        g(
            "Şuşa (Shusha)",
            "city",
            150,
            "exact",
            "severely_damaged",
            "building",
            "150-si isə ciddi zədələnmiş",
            subset_of=0,
        ),
    ],
    [
        neg("17 məscid", "count of religious buildings, no damage stated"),
        neg("5-i bərpa olunub", "restored"),
    ],
)

case(
    "own-az-kalbajar-burned",
    "2020-12-01",
    "az",
    ["azerbaijani", "vague_places", "approx", "roof_collapse", "karabakh"],
    "Kəlbəcər rayonunda ermənilər çıxarkən bir neçə kəndi yandırıblar. Yerli mənbələrə görə, "
    "təxminən 70 ev yandırılıb və tam yararsız hala düşüb. 2 məktəbin damı uçub.",
    [
        g(
            "Kəlbəcər (Kalbajar)",
            "district",
            70,
            "approx",
            "destroyed",
            "house",
            "təxminən 70 ev yandırılıb və tam yararsız hala düşüb",
        ),
        g(
            "Kəlbəcər (Kalbajar)",
            "district",
            2,
            "exact",
            "severely_damaged",
            "school",
            "2 məktəbin damı uçub",
        ),
    ],
    [neg("bir neçə kəndi", "vague number of villages")],
)

case(
    "own-az-zangilan-inspected",
    "2021-02-03",
    "az",
    [
        "azerbaijani",
        "space_thousands_separator",
        "inspected_total_with_breakdown",
        "working_groups",
        "karabakh",
    ],
    "Zəngilan rayonunda işçi qrupları 1 350 obyektə baxış keçirib. Baxış keçirilən "
    "obyektlərdən 1 120-si yaşayış evi, 48-i sosial obyektdir. Bütün obyektlər ya tam dağılıb, "
    "ya da ciddi ziyan görüb.",
    [
        g(
            "Zəngilan (Zangilan)",
            "district",
            1350,
            "exact",
            "inspected",
            "facility",
            "1 350 obyektə baxış keçirib",
        ),
        g(
            "Zəngilan (Zangilan)",
            "district",
            1120,
            "exact",
            "inspected",
            "house",
            "1 120-si yaşayış evi",
            subset_of=0,
        ),
        g(
            "Zəngilan (Zangilan)",
            "district",
            48,
            "exact",
            "inspected",
            "social_facility",
            "48-i sosial obyektdir",
            subset_of=0,
        ),
    ],
)

case(
    "own-az-beylagan-repaired",
    "2021-06-15",
    "az",
    ["azerbaijani", "repaired_counts_trap", "construction_trap", "karabakh"],
    "Beyləqan rayonunda müharibə zamanı 96 ev zədələnib. Onlardan 80-i artıq təmir olunub və "
    "sakinlərə təhvil verilib. Rayonda 4 yeni məktəb tikilir.",
    [g("Beyləqan (Beylagan)", "district", 96, "exact", "damaged", "house", "96 ev zədələnib")],
    [
        neg("80-i artıq təmir olunub", "repaired"),
        neg("4 yeni məktəb tikilir", "under construction"),
    ],
)

case(
    "own-az-goranboy-naftalan",
    "2020-10-30",
    "az",
    ["azerbaijani", "multi_place", "cumulative_total", "karabakh"],
    "Goranboy və Naftalan rayonlarında ümumilikdə 230 ev, 11 məktəb və 3 tibb müəssisəsi zədələnib.",
    [
        g(
            "Goranboy və Naftalan",
            "multi",
            230,
            "exact",
            "damaged",
            "house",
            "230 ev",
            cumulative=True,
        ),
        g(
            "Goranboy və Naftalan",
            "multi",
            11,
            "exact",
            "damaged",
            "school",
            "11 məktəb",
            cumulative=True,
        ),
        g(
            "Goranboy və Naftalan",
            "multi",
            3,
            "exact",
            "damaged",
            "hospital",
            "3 tibb müəssisəsi zədələnib",
            cumulative=True,
        ),
    ],
)

# --- Russian ------------------------------------------------------------------------------

case(
    "own-ru-kharkiv-oblast",
    "2022-07-12",
    "ru",
    ["russian", "thousands_word", "more_than", "damaged_or_destroyed", "people_nearby", "ukraine"],
    "По данным областной военной администрации, в Харьковской области с начала войны "
    "разрушено или повреждено более 5 тысяч жилых домов. Только за прошлую неделю в Чугуеве "
    "повреждены 36 домов и 2 школы, погибли 4 человека.",
    [
        g(
            "Харьковская область (Kharkiv Oblast)",
            "region",
            5000,
            "more_than",
            "damaged_or_destroyed",
            "house",
            "разрушено или повреждено более 5 тысяч жилых домов",
            cumulative=True,
        ),
        g(
            "Чугуев (Chuhuiv)",
            "city",
            36,
            "exact",
            "damaged",
            "house",
            "повреждены 36 домов",
            cumulative=True,
        ),
        g("Чугуев (Chuhuiv)", "city", 2, "exact", "damaged", "school", "2 школы", cumulative=True),
    ],
    [neg("4 человека", "casualties")],
)

case(
    "own-ru-tartar-official",
    "2020-10-20",
    "ru",
    ["russian", "adjective_place", "cumulative_since", "casualties_nearby", "karabakh"],
    "В Тертерском районе в результате обстрелов с 27 сентября повреждены 872 частных дома и 69 "
    "многоэтажных жилых зданий, полностью разрушены 98 домов. Погибли 14 мирных жителей.",
    [
        g(
            "Тертерский район (Tartar)",
            "district",
            872,
            "exact",
            "damaged",
            "house",
            "повреждены 872 частных дома",
            cumulative=True,
        ),
        g(
            "Тертерский район (Tartar)",
            "district",
            69,
            "exact",
            "damaged",
            "apartment_building",
            "69 многоэтажных жилых зданий",
            cumulative=True,
        ),
        g(
            "Тертерский район (Tartar)",
            "district",
            98,
            "exact",
            "destroyed",
            "house",
            "полностью разрушены 98 домов",
            cumulative=True,
        ),
    ],
    [neg("14 мирных жителей", "casualties"), neg("27 сентября", "date")],
)

case(
    "own-ru-donetsk-negation",
    "2023-03-14",
    "ru",
    ["russian", "negation", "single_event", "ukraine"],
    "В Донецке в результате ночного обстрела ни одно жилое здание не было разрушено, однако "
    "повреждения получили 12 домов и детский сад. Ранены двое мирных жителей.",
    [
        g(
            "Донецк (Donetsk)",
            "city",
            0,
            "exact",
            "destroyed",
            "residential_building",
            "ни одно жилое здание не было разрушено",
            cumulative=False,
        ),
        g(
            "Донецк (Donetsk)",
            "city",
            12,
            "exact",
            "damaged",
            "house",
            "повреждения получили 12 домов",
            cumulative=False,
        ),
        g(
            "Донецк (Donetsk)",
            "city",
            1,
            "exact",
            "damaged",
            "kindergarten",
            "детский сад",
            optional=True,
        ),
    ],
    [neg("двое мирных жителей", "casualties")],
)

case(
    "own-ru-aghdam-shells",
    "2020-10-12",
    "ru",
    ["russian", "shells_nearby", "vehicles_nearby", "single_day", "karabakh"],
    "За сутки по территории Агдамского района выпущено более 300 снарядов. В результате "
    "пострадали 2 человека, повреждены 17 домов, 3 автомобиля и линия электропередачи.",
    [
        g(
            "Агдамский район (Aghdam)",
            "district",
            17,
            "exact",
            "damaged",
            "house",
            "повреждены 17 домов",
            cumulative=False,
        )
    ],
    [
        neg("более 300 снарядов", "munitions"),
        neg("2 человека", "casualties"),
        neg("3 автомобиля", "vehicles"),
    ],
)

case(
    "own-ru-bucha-vague",
    "2022-04-15",
    "ru",
    ["russian", "vague_hundreds", "approx", "ukraine"],
    "В Бучанском районе Киевской области разрушены сотни частных домов, сообщил глава областной "
    "администрации. В самой Буче, по предварительным данным, полностью уничтожено около 150 зданий.",
    [
        g(
            "Бучанский район (Bucha raion)",
            "district",
            None,
            "vague",
            "destroyed",
            "house",
            "разрушены сотни частных домов",
            optional=True,
            vague_term="сотни",
        ),
        g(
            "Буча (Bucha)",
            "city",
            150,
            "approx",
            "destroyed",
            "building",
            "полностью уничтожено около 150 зданий",
        ),
    ],
)

case(
    "own-ru-barda-correction",
    "2020-11-05",
    "ru",
    ["russian", "correction", "superseded_number", "infrastructure", "karabakh"],
    "Уточненные данные: в Бардинском районе повреждены 270 домов, а не 207, как сообщалось "
    "ранее. Кроме того, разрушены 9 объектов инфраструктуры.",
    [
        g(
            "Бардинский район (Barda)",
            "district",
            270,
            "exact",
            "damaged",
            "house",
            "повреждены 270 домов",
            supersedes="207",
        ),
        g(
            "Бардинский район (Barda)",
            "district",
            9,
            "exact",
            "destroyed",
            "infrastructure",
            "разрушены 9 объектов инфраструктуры",
        ),
    ],
    [neg("207", "superseded figure")],
)

# --- Ukrainian ----------------------------------------------------------------------------

case(
    "own-uk-kharkiv-strike",
    "2022-05-18",
    "uk",
    ["ukrainian", "single_event", "casualties_nearby", "ukraine"],
    "Внаслідок ракетного удару по Харкову вночі пошкоджено 8 багатоповерхових будинків та 3 "
    "заклади освіти. Загинула одна людина, ще четверо поранені.",
    [
        g(
            "Харків (Kharkiv)",
            "city",
            8,
            "exact",
            "damaged",
            "apartment_building",
            "пошкоджено 8 багатоповерхових будинків",
            cumulative=False,
            as_of="2022-05-17",
        ),
        g(
            "Харків (Kharkiv)",
            "city",
            3,
            "exact",
            "damaged",
            "school",
            "3 заклади освіти",
            cumulative=False,
            as_of="2022-05-17",
        ),
    ],
    [neg("одна людина", "casualties")],
)

case(
    "own-uk-chernihiv-cumulative",
    "2022-06-30",
    "uk",
    [
        "ukrainian",
        "more_than",
        "space_thousands_separator",
        "subset",
        "damaged_or_destroyed",
        "ukraine",
    ],
    "Загалом на Чернігівщині з початку повномасштабного вторгнення зруйновано або пошкоджено "
    "понад 3 500 об'єктів цивільної інфраструктури, з них 2 800 — житлові будинки.",
    [
        g(
            "Чернігівщина (Chernihiv Oblast)",
            "region",
            3500,
            "more_than",
            "damaged_or_destroyed",
            "facility",
            "зруйновано або пошкоджено понад 3 500 об'єктів",
            cumulative=True,
        ),
        g(
            "Чернігівщина (Chernihiv Oblast)",
            "region",
            2800,
            "exact",
            "damaged_or_destroyed",
            "house",
            "2 800 — житлові будинки",
            subset_of=0,
            cumulative=True,
        ),
    ],
)

case(
    "own-uk-kherson-negation",
    "2022-12-05",
    "uk",
    ["ukrainian", "negation", "vehicles_nearby", "shells_nearby", "ukraine"],
    "У Херсоні за минулу добу жоден житловий будинок не зруйновано, пошкоджено 5 приватних "
    "будинків та 2 автомобілі. Окупанти випустили по місту 47 снарядів.",
    [
        g(
            "Херсон (Kherson)",
            "city",
            0,
            "exact",
            "destroyed",
            "house",
            "жоден житловий будинок не зруйновано",
            cumulative=False,
        ),
        g(
            "Херсон (Kherson)",
            "city",
            5,
            "exact",
            "damaged",
            "house",
            "пошкоджено 5 приватних будинків",
            cumulative=False,
        ),
    ],
    [neg("2 автомобілі", "vehicles"), neg("47 снарядів", "munitions")],
)

case(
    "own-uk-zaporizhzhia-vague",
    "2022-10-10",
    "uk",
    ["ukrainian", "vague_dozens", "at_least", "ukraine"],
    "У Запоріжжі внаслідок нічного обстрілу пошкоджено десятки будинків, зруйновано "
    "щонайменше 7 приватних будинків. Рятувальники працюють на місці.",
    [
        g(
            "Запоріжжя (Zaporizhzhia)",
            "city",
            None,
            "vague",
            "damaged",
            "house",
            "пошкоджено десятки будинків",
            optional=True,
            vague_term="десятки",
            cumulative=False,
        ),
        g(
            "Запоріжжя (Zaporizhzhia)",
            "city",
            7,
            "at_least",
            "destroyed",
            "house",
            "зруйновано щонайменше 7 приватних будинків",
            cumulative=False,
        ),
    ],
)

case(
    "own-uk-sumy-annual",
    "2023-01-20",
    "uk",
    ["ukrainian", "year_trap", "restored_trap", "subset", "space_thousands_separator", "ukraine"],
    "Сумська обласна військова адміністрація повідомляє: у 2022 році в області пошкоджено "
    "4 215 житлових будинків, з них 312 зруйновано повністю. Відновлено вже понад 2 000 будинків.",
    [
        g(
            "Сумська область (Sumy Oblast)",
            "region",
            4215,
            "exact",
            "damaged",
            "house",
            "пошкоджено 4 215 житлових будинків",
            cumulative=True,
        ),
        g(
            "Сумська область (Sumy Oblast)",
            "region",
            312,
            "exact",
            "destroyed",
            "house",
            "312 зруйновано повністю",
            subset_of=0,
            cumulative=True,
        ),
    ],
    [neg("понад 2 000 будинків", "restored"), neg("2022 році", "year")],
)

case(
    "own-uk-mykolaiv-inspected",
    "2022-11-25",
    "uk",
    ["ukrainian", "inspected_total_with_breakdown", "unrepairable", "ukraine"],
    "Комісія обстежила 640 об'єктів у Миколаєві: 520 житлових будинків та 120 нежитлових "
    "будівель. Серед обстежених 61 будинок визнано таким, що не підлягає відновленню.",
    [
        g(
            "Миколаїв (Mykolaiv)",
            "city",
            640,
            "exact",
            "inspected",
            "facility",
            "обстежила 640 об'єктів",
        ),
        g(
            "Миколаїв (Mykolaiv)",
            "city",
            520,
            "exact",
            "inspected",
            "house",
            "520 житлових будинків",
            subset_of=0,
        ),
        g(
            "Миколаїв (Mykolaiv)",
            "city",
            120,
            "exact",
            "inspected",
            "non_residential",
            "120 нежитлових будівель",
            subset_of=0,
        ),
        g(
            "Миколаїв (Mykolaiv)",
            "city",
            61,
            "exact",
            "unrepairable",
            "house",
            "61 будинок визнано таким, що не підлягає відновленню",
            subset_of=1,
        ),
    ],
)

# --- Turkish ------------------------------------------------------------------------------

case(
    "own-tr-hatay-assessment",
    "2023-02-25",
    "tr",
    [
        "turkish",
        "thousands_word",
        "inspected_total_with_breakdown",
        "damaged_or_destroyed",
        "other_country",
    ],
    "Çevre, Şehircilik ve İklim Değişikliği Bakanlığı'nın açıklamasına göre Hatay'da yapılan "
    "hasar tespit çalışmalarında 215 bin binada inceleme yapıldı. Bu binalardan 58 bin 200'ü "
    "yıkık, acil yıkılacak veya ağır hasarlı olarak belirlendi.",
    [
        g(
            "Hatay",
            "region",
            215000,
            "exact",
            "inspected",
            "building",
            "215 bin binada inceleme yapıldı",
            cumulative=True,
        ),
        g(
            "Hatay",
            "region",
            58200,
            "exact",
            "severely_damaged_or_destroyed",
            "building",
            "58 bin 200'ü yıkık, acil yıkılacak veya ağır hasarlı",
            subset_of=0,
            cumulative=True,
        ),
    ],
)

case(
    "own-tr-terter-wire",
    "2020-10-15",
    "tr",
    ["turkish", "apostrophe_suffix", "more_than", "casualties_nearby", "karabakh"],
    "Ermenistan'ın saldırılarında Azerbaycan'ın Terter ilçesinde 27 Eylül'den bu yana 700'den "
    "fazla ev hasar gördü, 96 ev tamamen yıkıldı. Saldırılarda 11 sivil hayatını kaybetti.",
    [
        g(
            "Terter (Tartar)",
            "district",
            700,
            "more_than",
            "damaged",
            "house",
            "700'den fazla ev hasar gördü",
            cumulative=True,
        ),
        g(
            "Terter (Tartar)",
            "district",
            96,
            "exact",
            "destroyed",
            "house",
            "96 ev tamamen yıkıldı",
            cumulative=True,
        ),
    ],
    [neg("11 sivil", "casualties"), neg("27 Eylül", "date")],
)

case(
    "own-tr-izmir-negation",
    "2020-10-31",
    "tr",
    ["turkish", "dot_thousands_separator", "negation", "other_country"],
    "İzmir'deki depremde Bayraklı'da 6 bina yıkıldı, 1.200'den fazla binada ise hasar tespit "
    "edildi. Valilik, diğer ilçelerde hiçbir binanın yıkılmadığını açıkladı.",
    [
        g("Bayraklı", "district", 6, "exact", "destroyed", "building", "6 bina yıkıldı"),
        g(
            "Bayraklı",
            "district",
            1200,
            "more_than",
            "damaged",
            "building",
            "1.200'den fazla binada ise hasar tespit edildi",
        ),
        g(
            "İzmir (other districts)",
            "multi",
            0,
            "exact",
            "destroyed",
            "building",
            "hiçbir binanın yıkılmadığını",
        ),
    ],
)

case(
    "own-tr-malatya-vague",
    "2023-02-08",
    "tr",
    ["turkish", "vague_hundreds", "people_nearby", "other_country"],
    "Malatya'da yüzlerce bina çöktü, binlerce kişi sokakta kaldı. Yetkililer, kent merkezinde "
    "340 binanın ağır hasarlı olduğunu söyledi.",
    [
        g(
            "Malatya",
            "city",
            None,
            "vague",
            "collapsed",
            "building",
            "yüzlerce bina çöktü",
            optional=True,
            vague_term="yüzlerce",
        ),
        g(
            "Malatya",
            "city",
            340,
            "exact",
            "severely_damaged",
            "building",
            "340 binanın ağır hasarlı",
        ),
    ],
    [neg("binlerce kişi", "people")],
)

case(
    "own-tr-kharkiv-rockets",
    "2022-03-20",
    "tr",
    ["turkish", "shells_nearby", "casualties_nearby", "single_event", "ukraine"],
    "Ukrayna'nın Harkiv kentine düzenlenen saldırılarda son 24 saatte 80'den fazla roket "
    "atıldı. Saldırılarda 12 konut ve 1 okul hasar gördü, 3 kişi yaralandı.",
    [
        g(
            "Harkiv (Kharkiv)",
            "city",
            12,
            "exact",
            "damaged",
            "house",
            "12 konut",
            cumulative=False,
        ),
        g(
            "Harkiv (Kharkiv)",
            "city",
            1,
            "exact",
            "damaged",
            "school",
            "1 okul hasar gördü",
            cumulative=False,
        ),
    ],
    [neg("80'den fazla roket", "munitions"), neg("24 saatte", "time"), neg("3 kişi", "casualties")],
)

# --- German -------------------------------------------------------------------------------

case(
    "own-de-charkiw-oblast",
    "2022-04-22",
    "de",
    ["german", "dot_thousands_separator", "more_than", "davon_subset", "ukraine"],
    "Nach Angaben der Gebietsverwaltung wurden in der Oblast Charkiw seit Kriegsbeginn mehr "
    "als 2.000 Wohngebäude beschädigt, rund 300 davon sind vollständig zerstört. Zudem seien "
    "75 Schulen und 19 Krankenhäuser beschädigt worden.",
    [
        g(
            "Oblast Charkiw (Kharkiv Oblast)",
            "region",
            2000,
            "more_than",
            "damaged",
            "residential_building",
            "mehr als 2.000 Wohngebäude beschädigt",
            cumulative=True,
        ),
        g(
            "Oblast Charkiw (Kharkiv Oblast)",
            "region",
            300,
            "approx",
            "destroyed",
            "residential_building",
            "rund 300 davon sind vollständig zerstört",
            subset_of=0,
            cumulative=True,
        ),
        g(
            "Oblast Charkiw (Kharkiv Oblast)",
            "region",
            75,
            "exact",
            "damaged",
            "school",
            "75 Schulen",
            cumulative=True,
        ),
        g(
            "Oblast Charkiw (Kharkiv Oblast)",
            "region",
            19,
            "exact",
            "damaged",
            "hospital",
            "19 Krankenhäuser beschädigt",
            cumulative=True,
        ),
    ],
)

case(
    "own-de-ahrweiler-flood",
    "2021-07-20",
    "de",
    ["german", "other_country", "approx", "at_least", "people_nearby"],
    "Im Landkreis Ahrweiler sind nach der Flutkatastrophe nach ersten Schätzungen etwa 3.000 "
    "Gebäude beschädigt und mindestens 450 Häuser völlig zerstört. 134 Menschen kamen ums Leben.",
    [
        g(
            "Landkreis Ahrweiler",
            "district",
            3000,
            "approx",
            "damaged",
            "building",
            "etwa 3.000 Gebäude beschädigt",
        ),
        g(
            "Landkreis Ahrweiler",
            "district",
            450,
            "at_least",
            "destroyed",
            "house",
            "mindestens 450 Häuser völlig zerstört",
        ),
    ],
    [neg("134 Menschen", "casualties")],
)

case(
    "own-de-barda-negation",
    "2020-10-08",
    "de",
    ["german", "negation", "weekday", "single_event", "karabakh"],
    "In der Stadt Barda wurde bei dem Angriff am Mittwoch kein Wohnhaus zerstört, beschädigt "
    "wurden jedoch 23 Häuser und ein Geschäft.",
    [
        g(
            "Barda",
            "city",
            0,
            "exact",
            "destroyed",
            "house",
            "kein Wohnhaus zerstört",
            cumulative=False,
            as_of="2020-10-07",
        ),
        g(
            "Barda",
            "city",
            23,
            "exact",
            "damaged",
            "house",
            "23 Häuser",
            cumulative=False,
            as_of="2020-10-07",
        ),
    ],
)

case(
    "own-de-fuzuli-inspected",
    "2021-03-15",
    "de",
    ["german", "dot_thousands_separator", "inspected_total_with_breakdown", "darunter", "karabakh"],
    "Die Kommission hat in der Region Füsuli bislang 1.150 Objekte besichtigt, darunter 890 "
    "Privathäuser. Von den besichtigten Häusern sind 212 zerstört.",
    [
        g(
            "Füsuli (Fuzuli)",
            "district",
            1150,
            "exact",
            "inspected",
            "facility",
            "1.150 Objekte besichtigt",
            cumulative=True,
        ),
        g(
            "Füsuli (Fuzuli)",
            "district",
            890,
            "exact",
            "inspected",
            "house",
            "890 Privathäuser",
            subset_of=0,
            cumulative=True,
        ),
        g(
            "Füsuli (Fuzuli)",
            "district",
            212,
            "exact",
            "destroyed",
            "house",
            "212 zerstört",
            subset_of=1,
            cumulative=True,
        ),
    ],
)

case(
    "own-de-mariupol-vague",
    "2022-03-08",
    "de",
    ["german", "vague_dozens", "vague_hundreds", "ukraine"],
    "In Mariupol wurden nach Angaben der Stadtverwaltung Dutzende Wohnhäuser zerstört; "
    "Hunderte weitere sind beschädigt. Die Zahl der Opfer ist unklar.",
    [
        g(
            "Mariupol",
            "city",
            None,
            "vague",
            "destroyed",
            "house",
            "Dutzende Wohnhäuser zerstört",
            optional=True,
            vague_term="Dutzende",
        ),
        g(
            "Mariupol",
            "city",
            None,
            "vague",
            "damaged",
            "house",
            "Hunderte weitere sind beschädigt",
            optional=True,
            vague_term="Hunderte",
        ),
    ],
)


# --- hold-out passages: written after the rules were calibrated, scored once, not tuned on --

HOLDOUT_START = len(CASES)

case(
    "hold-en-barda-missile",
    "2020-10-28",
    "en",
    ["single_event", "casualties_nearby", "holdout", "karabakh"],
    "BARDA, Oct. 28. A cluster missile attack on the centre of Barda on Wednesday killed 21 "
    "civilians, the prosecutor's office said. According to preliminary data, 12 houses and "
    "4 shops were damaged, and one apartment building was completely destroyed. About 70 "
    "people were taken to hospital.",
    [
        g(
            "Barda",
            "city",
            12,
            "exact",
            "damaged",
            "house",
            "12 houses",
            cumulative=False,
            as_of="2020-10-28",
        ),
        g(
            "Barda",
            "city",
            4,
            "exact",
            "damaged",
            "business",
            "4 shops were damaged",
            cumulative=False,
            as_of="2020-10-28",
        ),
        g(
            "Barda",
            "city",
            1,
            "exact",
            "destroyed",
            "apartment_building",
            "one apartment building was completely destroyed",
            cumulative=False,
            as_of="2020-10-28",
        ),
    ],
    [
        neg("21 civilians", "casualties"),
        neg("About 70 people", "casualties"),
        neg("Oct. 28", "date"),
    ],
)

case(
    "hold-en-chernihiv-un",
    "2022-05-05",
    "en",
    ["un_sitrep", "vague", "approx", "holdout", "ukraine"],
    "In Chernihiv, local authorities estimate that around 70 per cent of the city was damaged. "
    "Some 3,500 houses and 270 apartment blocks need repairs, and dozens of schools were hit. "
    "At least 120 buildings were destroyed beyond repair.",
    [
        g(
            "Chernihiv",
            "city",
            None,
            "unspecified",
            "damaged",
            "city_area",
            "around 70 per cent of the city was damaged",
            optional=True,
            percent=70,
        ),
        g(
            "Chernihiv",
            "city",
            None,
            "vague",
            "damaged",
            "school",
            "dozens of schools were hit",
            optional=True,
            vague_term="dozens",
        ),
        g(
            "Chernihiv",
            "city",
            120,
            "at_least",
            "unrepairable",
            "building",
            "At least 120 buildings were destroyed beyond repair",
        ),
    ],
    [
        neg("Some 3,500 houses", "need repairs: not a damage count as stated"),
        neg("270 apartment blocks", "need repairs"),
    ],
)

case(
    "hold-az-fuzuli-villages",
    "2021-01-12",
    "az",
    ["azerbaijani", "inspected_total_with_breakdown", "holdout", "karabakh"],
    "Füzuli rayonunun 5 kəndində aparılan baxış zamanı 640 fərdi yaşayış evi qeydə alınıb. "
    "Onlardan 590-ı tamamilə dağıdılıb, 50-si isə qismən zədələnib. Kəndlərdəki 6 məktəbin "
    "hamısı yararsız vəziyyətdədir.",
    [
        g(
            "Füzuli (5 villages)",
            "multi",
            640,
            "exact",
            "inspected",
            "house",
            "640 fərdi yaşayış evi qeydə alınıb",
            optional=True,
            note="'recorded during the inspection': an inspected total, worded without 'baxış keçirilib'",
        ),
        g(
            "Füzuli (5 villages)",
            "multi",
            590,
            "exact",
            "destroyed",
            "house",
            "590-ı tamamilə dağıdılıb",
            subset_of=0,
        ),
        g(
            "Füzuli (5 villages)",
            "multi",
            50,
            "exact",
            "partially_damaged",
            "house",
            "50-si isə qismən zədələnib",
            subset_of=0,
        ),
        g(
            "Füzuli (5 villages)",
            "multi",
            6,
            "exact",
            "damaged",
            "school",
            "6 məktəbin hamısı yararsız vəziyyətdədir",
        ),
    ],
    [neg("5 kəndində", "number of villages")],
)

case(
    "hold-az-tartar-shelling",
    "2020-10-09",
    "az",
    ["azerbaijani", "single_event", "shells_nearby", "holdout", "karabakh"],
    "Ermənistan silahlı qüvvələri gecə saatlarında Tərtər şəhərini artilleriyadan atəşə tutub. "
    "Şəhərə 120-dən çox mərmi düşüb. Nəticədə 8 evə və 1 uşaq bağçasına ziyan dəyib, 2 nəfər "
    "yaralanıb.",
    [
        g("Tərtər (Tartar)", "city", 8, "exact", "damaged", "house", "8 evə", cumulative=False),
        g(
            "Tərtər (Tartar)",
            "city",
            1,
            "exact",
            "damaged",
            "kindergarten",
            "1 uşaq bağçasına ziyan dəyib",
            cumulative=False,
        ),
    ],
    [neg("120-dən çox mərmi", "munitions"), neg("2 nəfər", "injured")],
)

case(
    "hold-ru-kherson-oblast",
    "2022-12-20",
    "ru",
    ["russian", "cumulative", "subset", "holdout", "ukraine"],
    "По данным областной администрации, с начала декабря в Херсонской области повреждены 412 "
    "жилых домов, из них 37 разрушены полностью. Также пострадали 9 школ и 3 больницы.",
    [
        g(
            "Херсонская область (Kherson Oblast)",
            "region",
            412,
            "exact",
            "damaged",
            "house",
            "повреждены 412 жилых домов",
            cumulative=True,
        ),
        g(
            "Херсонская область (Kherson Oblast)",
            "region",
            37,
            "exact",
            "destroyed",
            "house",
            "37 разрушены полностью",
            subset_of=0,
            cumulative=True,
        ),
        g(
            "Херсонская область (Kherson Oblast)",
            "region",
            9,
            "exact",
            "damaged",
            "school",
            "пострадали 9 школ",
            cumulative=True,
        ),
        g(
            "Херсонская область (Kherson Oblast)",
            "region",
            3,
            "exact",
            "damaged",
            "hospital",
            "3 больницы",
            cumulative=True,
        ),
    ],
)

case(
    "hold-uk-dnipro-strike",
    "2023-01-16",
    "uk",
    ["ukrainian", "single_event", "casualties_nearby", "holdout", "ukraine"],
    "Унаслідок ракетного удару по Дніпру 14 січня зруйновано під'їзд дев'ятиповерхового "
    "будинку, загинули щонайменше 40 людей. Ще 72 квартири пошкоджено, повідомила міська рада.",
    [
        g(
            "Дніпро (Dnipro)",
            "city",
            72,
            "exact",
            "damaged",
            "apartment",
            "72 квартири пошкоджено",
            cumulative=False,
            as_of="2023-01-14",
        )
    ],
    [neg("щонайменше 40 людей", "casualties"), neg("14 січня", "date")],
)

case(
    "hold-tr-kahramanmaras",
    "2023-02-15",
    "tr",
    ["turkish", "thousands_word", "holdout", "other_country"],
    "Kahramanmaraş'ta hasar tespit çalışmaları sürüyor. Bakanlık açıklamasına göre kentte 10 "
    "bin 700 bina yıkıldı veya ağır hasar gördü, 3 bin 200 bina ise orta hasarlı.",
    [
        g(
            "Kahramanmaraş",
            "city",
            10700,
            "exact",
            "severely_damaged_or_destroyed",
            "building",
            "10 bin 700 bina yıkıldı veya ağır hasar gördü",
        ),
        g(
            "Kahramanmaraş",
            "city",
            3200,
            "exact",
            "damaged",
            "building",
            "3 bin 200 bina ise orta hasarlı",
        ),
    ],
)

case(
    "hold-de-cherson",
    "2022-11-14",
    "de",
    ["german", "vague", "holdout", "ukraine"],
    "Nach dem Abzug der russischen Truppen aus Cherson meldet die Stadtverwaltung schwere "
    "Schäden: Rund 1.500 Wohnungen seien beschädigt, mindestens 40 Gebäude völlig zerstört. "
    "Dutzende Brücken in der Region wurden gesprengt.",
    [
        g(
            "Cherson (Kherson)",
            "city",
            1500,
            "approx",
            "damaged",
            "apartment",
            "Rund 1.500 Wohnungen seien beschädigt",
        ),
        g(
            "Cherson (Kherson)",
            "city",
            40,
            "at_least",
            "destroyed",
            "building",
            "mindestens 40 Gebäude völlig zerstört",
        ),
        g(
            "Cherson (Kherson)",
            "region",
            None,
            "vague",
            "destroyed",
            "infrastructure",
            "Dutzende Brücken in der Region wurden gesprengt",
            optional=True,
            vague_term="Dutzende",
        ),
    ],
)

case(
    "hold-en-ganja-second-strike",
    "2020-10-17",
    "en",
    ["single_event", "number_words", "holdout", "karabakh"],
    "GANJA, Oct. 17. A second missile strike on Ganja overnight destroyed some twenty houses "
    "in a residential quarter and damaged more than 50 others, the city's executive office "
    "told reporters. Thirteen civilians were killed and over 50 wounded.",
    [
        g(
            "Ganja",
            "city",
            20,
            "approx",
            "destroyed",
            "house",
            "destroyed some twenty houses",
            cumulative=False,
            as_of="2020-10-16",
        ),
        g(
            "Ganja",
            "city",
            50,
            "more_than",
            "damaged",
            "house",
            "damaged more than 50 others",
            cumulative=False,
            as_of="2020-10-16",
        ),
    ],
    [
        neg("Thirteen civilians", "casualties"),
        neg("over 50 wounded", "casualties"),
        neg("Oct. 17", "date"),
    ],
)

case(
    "hold-en-agdam-ngo-negation",
    "2021-06-01",
    "en",
    ["negation", "inspected", "holdout", "karabakh"],
    "Deminers cleared access to Aghdam city in May. A joint survey inspected 1,100 buildings "
    "there and found that not one of them was habitable; 870 were destroyed outright. No "
    "school in the city was left standing.",
    [
        g("Aghdam", "city", 1100, "exact", "inspected", "building", "inspected 1,100 buildings"),
        g(
            "Aghdam",
            "city",
            870,
            "exact",
            "destroyed",
            "building",
            "870 were destroyed outright",
            subset_of=0,
        ),
    ],
    [neg("not one of them was habitable", "'none habitable': no count of zero")],
)


# --- second hold-out: written after the first hold-out was scored; scored once, as is ------

HOLDOUT2_START = len(CASES)

case(
    "hold2-en-ua-schools-national",
    "2023-03-03",
    "en",
    ["national", "damaged_or_destroyed", "unrepairable", "holdout2", "ukraine"],
    "KYIV, March 3. Ukraine's education ministry said on Friday that Russian attacks had "
    "damaged or destroyed 1,100 schools nationwide since the invasion began, 110 of them beyond "
    "repair. The ministry did not give a breakdown by region.",
    [
        g(
            "Ukraine",
            "country",
            1100,
            "exact",
            "damaged_or_destroyed",
            "school",
            "damaged or destroyed 1,100 schools",
            cumulative=True,
        ),
        g(
            "Ukraine",
            "country",
            110,
            "exact",
            "unrepairable",
            "school",
            "110 of them beyond repair",
            subset_of=0,
            cumulative=True,
        ),
    ],
    [neg("March 3", "date")],
)

case(
    "hold2-en-unosat-mariupol",
    "2022-05-20",
    "en",
    ["satellite_summary", "subset", "holdout2", "ukraine"],
    "Satellite analysis by UNOSAT identified 1,374 damaged structures in Mariupol's "
    "Livoberezhnyi district as of 12 May, of which 489 were destroyed and 885 severely or "
    "moderately damaged.",
    [
        g(
            "Mariupol (Livoberezhnyi district)",
            "neighbourhood",
            1374,
            "exact",
            "damaged_or_destroyed",
            "building",
            "1,374 damaged structures",
            as_of="2022-05-12",
            note="UNOSAT 'damaged structures' totals include the destroyed ones",
        ),
        g(
            "Mariupol (Livoberezhnyi district)",
            "neighbourhood",
            489,
            "exact",
            "destroyed",
            "building",
            "489 were destroyed",
            subset_of=0,
            as_of="2022-05-12",
        ),
        g(
            "Mariupol (Livoberezhnyi district)",
            "neighbourhood",
            885,
            "exact",
            "damaged",
            "building",
            "885 severely or moderately damaged",
            subset_of=0,
            as_of="2022-05-12",
        ),
    ],
    [neg("12 May", "date")],
)

case(
    "hold2-az-aghjabadi-final",
    "2021-10-20",
    "az",
    ["azerbaijani", "final_figures", "holdout2", "karabakh"],
    "Ağcabədi rayonunda mülki obyektlərə dəyən ziyanın qiymətləndirilməsi yekunlaşıb. Rayonda 8 "
    "yaşayış binası tam dağılıb, 510 bina isə müxtəlif dərəcədə zədələnib.",
    [
        g(
            "Ağcabədi (Aghjabadi)",
            "district",
            8,
            "exact",
            "destroyed",
            "residential_building",
            "8 yaşayış binası tam dağılıb",
        ),
        g(
            "Ağcabədi (Aghjabadi)",
            "district",
            510,
            "exact",
            "damaged",
            "building",
            "510 bina isə müxtəlif dərəcədə zədələnib",
        ),
    ],
)

case(
    "hold2-az-barda-strike",
    "2020-10-29",
    "az",
    ["azerbaijani", "casualties_nearby", "vehicles_nearby", "single_event", "holdout2", "karabakh"],
    "Bərdə şəhərinə raket zərbəsi nəticəsində 21 nəfər həlak olub. Zərbə nəticəsində 12 fərdi "
    "ev, 4 çoxmənzilli bina və 2 məktəb zədələnib, 15 avtomobil yanıb.",
    [
        g(
            "Bərdə (Barda)",
            "city",
            12,
            "exact",
            "damaged",
            "house",
            "12 fərdi ev",
            cumulative=False,
        ),
        g(
            "Bərdə (Barda)",
            "city",
            4,
            "exact",
            "damaged",
            "apartment_building",
            "4 çoxmənzilli bina",
            cumulative=False,
        ),
        g(
            "Bərdə (Barda)",
            "city",
            2,
            "exact",
            "damaged",
            "school",
            "2 məktəb zədələnib",
            cumulative=False,
        ),
    ],
    [neg("21 nəfər", "killed"), neg("15 avtomobil", "vehicles")],
)

case(
    "hold2-ru-ganja-strike",
    "2020-10-12",
    "ru",
    ["russian", "single_event", "approx", "holdout2", "karabakh"],
    "Глава исполнительной власти сообщил, что в Гяндже в результате ракетного удара 11 октября "
    "полностью разрушены 9 жилых домов, ещё около 40 получили повреждения.",
    [
        g(
            "Гянджа (Ganja)",
            "city",
            9,
            "exact",
            "destroyed",
            "house",
            "полностью разрушены 9 жилых домов",
            cumulative=False,
            as_of="2020-10-11",
        ),
        g(
            "Гянджа (Ganja)",
            "city",
            40,
            "approx",
            "damaged",
            "house",
            "около 40 получили повреждения",
            cumulative=False,
            as_of="2020-10-11",
        ),
    ],
    [neg("11 октября", "date")],
)

case(
    "hold2-uk-kyiv-oblast",
    "2022-08-10",
    "uk",
    ["ukrainian", "thousands_word", "subset", "damaged_or_destroyed", "holdout2", "ukraine"],
    "На Київщині внаслідок бойових дій пошкоджено або зруйновано понад 26 тисяч об'єктів, з "
    "яких близько 20 тисяч — приватні будинки.",
    [
        g(
            "Київщина (Kyiv Oblast)",
            "region",
            26000,
            "more_than",
            "damaged_or_destroyed",
            "facility",
            "пошкоджено або зруйновано понад 26 тисяч об'єктів",
            cumulative=True,
        ),
        g(
            "Київщина (Kyiv Oblast)",
            "region",
            20000,
            "approx",
            "damaged_or_destroyed",
            "house",
            "близько 20 тисяч — приватні будинки",
            subset_of=0,
            cumulative=True,
        ),
    ],
)

case(
    "hold2-tr-adiyaman",
    "2023-02-21",
    "tr",
    ["turkish", "thousands_word", "damaged_or_destroyed", "holdout2", "other_country"],
    "Adıyaman'da depremin ardından yapılan incelemelerde 18 bin 500 binanın yıkık veya ağır "
    "hasarlı olduğu tespit edildi. Kentte 2 hastane de kullanılamaz hale geldi.",
    [
        g(
            "Adıyaman",
            "region",
            18500,
            "exact",
            "severely_damaged_or_destroyed",
            "building",
            "18 bin 500 binanın yıkık veya ağır hasarlı",
        ),
        g(
            "Adıyaman",
            "region",
            2,
            "exact",
            "unrepairable",
            "hospital",
            "2 hastane de kullanılamaz hale geldi",
        ),
    ],
)

case(
    "hold2-de-horlivka",
    "2022-06-02",
    "de",
    ["german", "number_words", "holdout2", "ukraine"],
    "Bei dem Beschuss von Horlivka wurden nach Angaben der Behörden zwei Schulen und 14 "
    "Wohnhäuser beschädigt. Ein Verwaltungsgebäude brannte vollständig aus.",
    [
        g("Horlivka", "city", 2, "exact", "damaged", "school", "zwei Schulen"),
        g("Horlivka", "city", 14, "exact", "damaged", "house", "14 Wohnhäuser beschädigt"),
        g(
            "Horlivka",
            "city",
            1,
            "exact",
            "destroyed",
            "administrative_building",
            "Ein Verwaltungsgebäude brannte vollständig aus",
            optional=True,
        ),
    ],
)

case(
    "hold2-en-tartar-revised",
    "2020-11-06",
    "en",
    ["revision", "superseded", "holdout2", "karabakh"],
    "Tartar district officials revised their count of destroyed homes to 151 on Friday, up "
    "from the 133 reported last week. A further 1,020 houses have been damaged.",
    [
        g(
            "Tartar",
            "district",
            151,
            "exact",
            "destroyed",
            "house",
            "count of destroyed homes to 151",
            cumulative=True,
        ),
        g(
            "Tartar",
            "district",
            133,
            "exact",
            "destroyed",
            "house",
            "the 133 reported last week",
            cumulative=True,
            optional=True,
            superseded=True,
        ),
        g(
            "Tartar",
            "district",
            1020,
            "exact",
            "damaged",
            "house",
            "1,020 houses have been damaged",
            cumulative=True,
        ),
    ],
)

case(
    "hold2-en-zero-and-barda",
    "2020-10-20",
    "en",
    ["negation", "multi_place", "holdout2", "karabakh"],
    "No damage to homes was reported in Goranboy or Naftalan overnight, but in Barda 6 houses "
    "and a school were hit and damaged.",
    [
        g(
            "Goranboy or Naftalan",
            "multi",
            0,
            "exact",
            "damaged",
            "house",
            "No damage to homes",
            cumulative=False,
        ),
        g("Barda", "city", 6, "exact", "damaged", "house", "6 houses", cumulative=False),
        g(
            "Barda",
            "city",
            1,
            "exact",
            "damaged",
            "school",
            "a school were hit and damaged",
            optional=True,
        ),
    ],
)


# --- hold-out 3 ---------------------------------------------------------------------------
# Written on 27 Nov 2026 after the lead found three ordinary phrasings the rules missed, and
# BEFORE any further rule change: scored once as it stands (README "first run"), then used to
# find general fixes. Deliberately varied: active voice, coordinated verbs with an elided noun,
# passives, "left in ruins", "razed", "flattened", "partially destroyed", "severely damaged",
# "damage to", "sustained damage", lists after "of which" / "including" / "among them",
# numbers about people, shells, vehicles, dates, storeys, ages and money next to the figures,
# vague words, negation, and the same in az, ru, uk, tr and de.
# Repairs: "N houses need repair" is NOT labelled a damage figure (issue 5: repair counts are
# not damage figures; a repair backlog can include houses that were never hit). It is a
# negative span, so an extractor that emits it loses precision.

HOLDOUT3_START = len(CASES)

case(
    "h3-en-active-zaporizhzhia",
    "2024-03-11",
    "en",
    ["active_voice", "single_event", "holdout3", "ukraine"],
    "Overnight shelling damaged 38 private houses and two schools in Zaporizhzhia oblast, the "
    "regional administration said on Monday.",
    [
        g(
            "Zaporizhzhia oblast",
            "region",
            38,
            "exact",
            "damaged",
            "house",
            "damaged 38 private houses",
            cumulative=False,
        ),
        g(
            "Zaporizhzhia oblast",
            "region",
            2,
            "exact",
            "damaged",
            "school",
            "two schools",
            cumulative=False,
        ),
    ],
)

case(
    "h3-en-coordinated-kherson",
    "2023-11-05",
    "en",
    ["active_voice", "coordinated_verbs", "elided_noun", "casualties_nearby", "holdout3"],
    "Artillery fire destroyed 9 houses and damaged 27 more in Kherson on Saturday, local "
    "officials said. Four civilians were wounded.",
    [
        g(
            "Kherson",
            "city",
            9,
            "exact",
            "destroyed",
            "house",
            "destroyed 9 houses",
            cumulative=False,
            as_of="2023-11-04",
        ),
        g(
            "Kherson",
            "city",
            27,
            "exact",
            "damaged",
            "house",
            "damaged 27 more",
            cumulative=False,
            as_of="2023-11-04",
        ),
    ],
    [neg("Four civilians", "people")],
)

case(
    "h3-en-left-in-ruins",
    "2022-03-05",
    "en",
    ["passive", "left_in_ruins", "date_nearby", "holdout3", "ukraine"],
    "In the village of Novoselivka, 14 homes were left in ruins after a missile strike on 3 "
    "March, and another 22 were damaged.",
    [
        g(
            "Novoselivka",
            "village",
            14,
            "exact",
            "destroyed",
            "house",
            "14 homes were left in ruins",
            cumulative=False,
            as_of="2022-03-03",
        ),
        g(
            "Novoselivka",
            "village",
            22,
            "exact",
            "damaged",
            "house",
            "another 22 were damaged",
            cumulative=False,
            as_of="2022-03-03",
        ),
    ],
    [neg("3 March", "date")],
)

case(
    "h3-en-razed-aghdam",
    "2021-02-10",
    "en",
    ["razed", "approx", "holdout3", "karabakh"],
    "Some 60 houses in Aghdam district were razed during the occupation, according to the "
    "district executive authority.",
    [
        g(
            "Aghdam district",
            "district",
            60,
            "approx",
            "destroyed",
            "house",
            "Some 60 houses in Aghdam district were razed",
        ),
    ],
)

case(
    "h3-en-flattened-antakya",
    "2023-02-16",
    "en",
    ["flattened", "approx", "time_nearby", "holdout3", "other_country"],
    "Nearly 200 buildings were flattened by the earthquake in Antakya, where rescue teams "
    "worked for 10 days.",
    [
        g(
            "Antakya",
            "city",
            200,
            "approx",
            "destroyed",
            "building",
            "Nearly 200 buildings were flattened",
            cumulative=False,
        ),
    ],
    [neg("10 days", "time")],
)

case(
    "h3-en-partially-tartar",
    "2020-10-20",
    "en",
    ["partially_destroyed", "elided_noun", "cumulative", "holdout3", "karabakh"],
    "In Tartar district, 112 houses were partially destroyed and 19 completely destroyed by "
    "shelling since 27 September.",
    [
        g(
            "Tartar district",
            "district",
            112,
            "exact",
            "partially_damaged",
            "house",
            "112 houses were partially destroyed",
            cumulative=True,
        ),
        g(
            "Tartar district",
            "district",
            19,
            "exact",
            "destroyed",
            "house",
            "19 completely destroyed",
            cumulative=True,
        ),
    ],
    [neg("27 September", "date")],
)

case(
    "h3-en-severely-kharkiv",
    "2022-05-20",
    "en",
    ["severely_damaged", "beyond_repair", "elided_noun", "holdout3", "ukraine"],
    "The governor said 45 apartment buildings in Kharkiv were severely damaged and 6 were "
    "damaged beyond repair.",
    [
        g(
            "Kharkiv",
            "city",
            45,
            "exact",
            "severely_damaged",
            "apartment_building",
            "45 apartment buildings in Kharkiv were severely damaged",
        ),
        g(
            "Kharkiv",
            "city",
            6,
            "exact",
            "unrepairable",
            "apartment_building",
            "6 were damaged beyond repair",
        ),
    ],
)

case(
    "h3-en-damage-to-nikopol",
    "2024-06-12",
    "en",
    ["damage_to", "single_event", "holdout3", "ukraine"],
    "Shelling on Tuesday caused damage to 17 houses and a kindergarten in Nikopol.",
    [
        g(
            "Nikopol",
            "city",
            17,
            "exact",
            "damaged",
            "house",
            "damage to 17 houses",
            cumulative=False,
            as_of="2024-06-11",
        ),
        g(
            "Nikopol",
            "city",
            1,
            "exact",
            "damaged",
            "kindergarten",
            "a kindergarten",
            optional=True,
        ),
    ],
)

case(
    "h3-en-sustained-mykolaiv",
    "2022-08-01",
    "en",
    ["sustained_damage", "subset", "including", "cumulative", "holdout3", "ukraine"],
    "A total of 230 buildings in Mykolaiv sustained damage in the July attacks, including 12 "
    "schools and 3 hospitals.",
    [
        g(
            "Mykolaiv",
            "city",
            230,
            "exact",
            "damaged",
            "building",
            "230 buildings in Mykolaiv sustained damage",
            cumulative=True,
        ),
        g(
            "Mykolaiv",
            "city",
            12,
            "exact",
            "damaged",
            "school",
            "12 schools",
            subset_of=0,
            cumulative=True,
        ),
        g(
            "Mykolaiv",
            "city",
            3,
            "exact",
            "damaged",
            "hospital",
            "3 hospitals",
            subset_of=0,
            cumulative=True,
        ),
    ],
)

case(
    "h3-en-repair-fuzuli",
    "2023-04-18",
    "en",
    ["repair", "rebuilt", "holdout3", "karabakh"],
    "According to the housing department, 85 houses in Fuzuli district need repair and 40 "
    "have been rebuilt so far. Shelling in 2020 destroyed 9 of the district's schools.",
    [
        g(
            "Fuzuli district",
            "district",
            9,
            "exact",
            "destroyed",
            "school",
            "destroyed 9 of the district's schools",
            as_of="2020-12-31",
            cumulative=True,
        ),
    ],
    [
        neg("85 houses in Fuzuli district need repair", "repair need: not a damage figure"),
        neg("40 have been rebuilt", "rebuilt"),
    ],
    notes="'need repair' is deliberately not labelled damage (issue 5: repairs are not "
    "damage figures).",
)

case(
    "h3-en-of-which-chernihiv",
    "2022-10-03",
    "en",
    ["of_which", "subset", "cumulative", "holdout3", "ukraine"],
    "Since the start of the war, 1,520 residential buildings in Chernihiv have been damaged, "
    "of which 180 were destroyed.",
    [
        g(
            "Chernihiv",
            "city",
            1520,
            "exact",
            "damaged",
            "residential_building",
            "1,520 residential buildings in Chernihiv have been damaged",
            cumulative=True,
        ),
        g(
            "Chernihiv",
            "city",
            180,
            "exact",
            "destroyed",
            "residential_building",
            "of which 180 were destroyed",
            subset_of=0,
            cumulative=True,
        ),
    ],
)

case(
    "h3-en-among-them-odesa",
    "2023-07-20",
    "en",
    ["among_them", "subset", "drones_nearby", "holdout3", "ukraine"],
    "Russian drones hit Odesa overnight: 11 buildings were damaged, among them 4 high-rise "
    "buildings and a church.",
    [
        g(
            "Odesa",
            "city",
            11,
            "exact",
            "damaged",
            "building",
            "11 buildings were damaged",
            cumulative=False,
        ),
        g(
            "Odesa",
            "city",
            4,
            "exact",
            "damaged",
            "apartment_building",
            "4 high-rise buildings",
            subset_of=0,
            cumulative=False,
        ),
        g("Odesa", "city", 1, "exact", "damaged", "church", "a church", subset_of=0, optional=True),
    ],
)

case(
    "h3-en-casualties-dnipro",
    "2023-01-16",
    "en",
    ["casualties_nearby", "missiles_nearby", "storeys", "date_nearby", "holdout3", "ukraine"],
    "Three people were killed and 12 injured when 5 missiles struck Dnipro on 14 January; a "
    "nine-storey building collapsed and 72 flats were destroyed.",
    [
        g(
            "Dnipro",
            "city",
            1,
            "exact",
            "collapsed",
            "apartment_building",
            "a nine-storey building collapsed",
            optional=True,
        ),
        g(
            "Dnipro",
            "city",
            72,
            "exact",
            "destroyed",
            "apartment",
            "72 flats were destroyed",
            cumulative=False,
            as_of="2023-01-14",
        ),
    ],
    [
        neg("Three people", "people"),
        neg("12 injured", "people"),
        neg("5 missiles", "munitions"),
        neg("14 January", "date"),
        neg("nine-storey", "storeys"),
    ],
)

case(
    "h3-en-vehicles-money-nikopol",
    "2023-09-02",
    "en",
    ["vehicles_nearby", "money_nearby", "holdout3", "ukraine"],
    "The shelling destroyed 6 homes and 14 cars in Nikopol; the city council estimated the "
    "losses at 2.5 million hryvnias.",
    [
        g("Nikopol", "city", 6, "exact", "destroyed", "house", "destroyed 6 homes"),
    ],
    [neg("14 cars", "vehicles"), neg("2.5 million hryvnias", "money")],
)

case(
    "h3-en-dozens-kupiansk",
    "2023-08-14",
    "en",
    ["vague", "dozens", "holdout3", "ukraine"],
    "Dozens of houses were damaged in Kupiansk by the night attack, and hundreds of windows "
    "were blown out.",
    [
        g(
            "Kupiansk",
            "city",
            None,
            "vague",
            "damaged",
            "house",
            "Dozens of houses were damaged",
            vague_term="dozens",
            cumulative=False,
        ),
    ],
    [neg("hundreds of windows", "windows are not buildings")],
)

case(
    "h3-en-no-casualties-beryslav",
    "2023-05-08",
    "en",
    ["negation", "casualties_nearby", "holdout3", "ukraine"],
    "There were no casualties, but 3 houses were destroyed in Beryslav, the military "
    "administration reported.",
    [
        g("Beryslav", "city", 3, "exact", "destroyed", "house", "3 houses were destroyed"),
    ],
    [neg("no casualties", "people")],
)

case(
    "h3-en-none-of-the-schools",
    "2020-11-02",
    "en",
    ["negation", "zero", "holdout3", "karabakh"],
    "None of the schools in Goranboy district was destroyed, although 8 of them were damaged.",
    [
        g(
            "Goranboy district",
            "district",
            0,
            "exact",
            "destroyed",
            "school",
            "None of the schools in Goranboy district was destroyed",
        ),
        g(
            "Goranboy district",
            "district",
            8,
            "exact",
            "damaged",
            "school",
            "8 of them were damaged",
        ),
    ],
)

case(
    "h3-en-ages-dates-orikhiv",
    "2023-06-03",
    "en",
    ["age_nearby", "date_nearby", "built_trap", "holdout3", "ukraine"],
    "A 67-year-old woman was injured in Orikhiv on 2 June, when shelling damaged 4 houses "
    "built in the 1960s.",
    [
        g(
            "Orikhiv",
            "town",
            4,
            "exact",
            "damaged",
            "house",
            "damaged 4 houses",
            cumulative=False,
            as_of="2023-06-02",
        ),
    ],
    [neg("67-year-old", "age"), neg("2 June", "date"), neg("1960s", "decade")],
)

case(
    "h3-en-storeys-apartments",
    "2023-04-28",
    "en",
    ["storeys", "apartments", "holdout3", "ukraine"],
    "A missile hit a 16-storey residential building in Zaporizhzhia, damaging 120 apartments "
    "on 10 floors.",
    [
        g(
            "Zaporizhzhia",
            "city",
            1,
            "exact",
            "damaged",
            "apartment_building",
            "a 16-storey residential building",
            optional=True,
        ),
        g(
            "Zaporizhzhia",
            "city",
            120,
            "exact",
            "damaged",
            "apartment",
            "damaging 120 apartments",
            cumulative=False,
        ),
    ],
    [neg("16-storey", "storeys"), neg("10 floors", "storeys")],
)

case(
    "h3-en-number-words-sumy",
    "2024-02-12",
    "en",
    ["number_words", "elided_noun", "holdout3", "ukraine"],
    "Forty-two homes were damaged and seven destroyed in Sumy oblast over the weekend.",
    [
        g(
            "Sumy oblast",
            "region",
            42,
            "exact",
            "damaged",
            "house",
            "Forty-two homes were damaged",
            cumulative=False,
        ),
        g(
            "Sumy oblast",
            "region",
            7,
            "exact",
            "destroyed",
            "house",
            "seven destroyed",
            cumulative=False,
        ),
    ],
)

case(
    "h3-en-up-to-bakhmut",
    "2022-12-10",
    "en",
    ["up_to", "severe_damage", "holdout3", "ukraine"],
    "Up to 15 buildings in Bakhmut suffered severe damage on Friday.",
    [
        g(
            "Bakhmut",
            "city",
            15,
            "up_to",
            "severely_damaged",
            "building",
            "Up to 15 buildings in Bakhmut suffered severe damage",
            cumulative=False,
            as_of="2022-12-09",
        ),
    ],
)

case(
    "h3-en-ocha-housing-units",
    "2022-05-20",
    "en",
    ["at_least", "damaged_or_destroyed", "housing_units", "date_range", "holdout3"],
    "According to OCHA, at least 2,300 housing units were damaged or destroyed in Kharkiv "
    "oblast between 1 and 15 May.",
    [
        g(
            "Kharkiv oblast",
            "region",
            2300,
            "at_least",
            "damaged_or_destroyed",
            "housing_unit",
            "at least 2,300 housing units were damaged or destroyed",
            cumulative=True,
            as_of="2022-05-15",
        ),
    ],
    [neg("1 and 15 May", "dates")],
)

case(
    "h3-en-hundreds-marinka",
    "2022-11-30",
    "en",
    ["vague", "hundreds", "negation_trap", "holdout3", "ukraine"],
    "Hundreds of homes were destroyed in Marinka, where not a single building survived, the "
    "mayor said.",
    [
        g(
            "Marinka",
            "town",
            None,
            "vague",
            "destroyed",
            "house",
            "Hundreds of homes were destroyed",
            vague_term="hundreds",
        ),
    ],
    [neg("not a single building survived", "no count: 'no building survived' is not zero")],
)

case(
    "h3-en-of-the-damaged-repaired",
    "2021-09-14",
    "en",
    ["repair", "stock", "holdout3", "karabakh"],
    "Of the 300 houses damaged in Barda during the war, 120 have already been repaired.",
    [
        g("Barda", "city", 300, "exact", "damaged", "house", "300 houses damaged"),
    ],
    [neg("120 have already been repaired", "repaired")],
)

# Azerbaijani

case(
    "h3-az-active-tartar",
    "2020-10-25",
    "az",
    ["azerbaijani", "active_voice", "holdout3", "karabakh"],
    "Ermənistan silahlı qüvvələri Tərtər rayonunda 25 evi dağıdıb, 60 evə isə ziyan vurub.",
    [
        g("Tərtər (Tartar)", "district", 25, "exact", "destroyed", "house", "25 evi dağıdıb"),
        g("Tərtər (Tartar)", "district", 60, "exact", "damaged", "house", "60 evə isə ziyan vurub"),
    ],
)

case(
    "h3-az-onlardan-fuzuli",
    "2021-01-22",
    "az",
    ["azerbaijani", "subset", "holdout3", "karabakh"],
    "Füzuli rayonunda 312 bina zədələnib, onlardan 280-i fərdi yaşayış evidir.",
    [
        g("Füzuli (Fuzuli)", "district", 312, "exact", "damaged", "building", "312 bina zədələnib"),
        g(
            "Füzuli (Fuzuli)",
            "district",
            280,
            "exact",
            "damaged",
            "house",
            "280-i fərdi yaşayış evidir",
            subset_of=0,
        ),
    ],
)

case(
    "h3-az-no-injured-goranboy",
    "2020-10-30",
    "az",
    ["azerbaijani", "negation", "holdout3", "karabakh"],
    "Hücum nəticəsində yaralanan olmayıb, lakin Goranboy rayonunda 4 ev tamamilə dağılıb.",
    [
        g(
            "Goranboy",
            "district",
            4,
            "exact",
            "destroyed",
            "house",
            "4 ev tamamilə dağılıb",
            cumulative=False,
        ),
    ],
)

case(
    "h3-az-people-barda",
    "2020-10-28",
    "az",
    ["azerbaijani", "casualties_nearby", "holdout3", "karabakh"],
    "Bərdə şəhərində 7 nəfər yaralanıb, 3 çoxmənzilli bina və 11 fərdi ev zədələnib.",
    [
        g(
            "Bərdə (Barda)",
            "city",
            3,
            "exact",
            "damaged",
            "apartment_building",
            "3 çoxmənzilli bina",
            cumulative=False,
        ),
        g(
            "Bərdə (Barda)",
            "city",
            11,
            "exact",
            "damaged",
            "house",
            "11 fərdi ev zədələnib",
            cumulative=False,
        ),
    ],
    [neg("7 nəfər", "people")],
)

# Russian

case(
    "h3-ru-vehicles-kherson",
    "2023-10-16",
    "ru",
    ["russian", "vehicles_nearby", "holdout3", "ukraine"],
    "В Херсонской области обстрелами повреждены 34 частных дома и 5 автомобилей, разрушены 2 дома.",
    [
        g(
            "Херсонская область (Kherson Oblast)",
            "region",
            34,
            "exact",
            "damaged",
            "house",
            "повреждены 34 частных дома",
        ),
        g(
            "Херсонская область (Kherson Oblast)",
            "region",
            2,
            "exact",
            "destroyed",
            "house",
            "разрушены 2 дома",
        ),
    ],
    [neg("5 автомобилей", "vehicles")],
)

case(
    "h3-ru-partial-horlivka",
    "2022-09-07",
    "ru",
    ["russian", "partially_destroyed", "approx", "holdout3", "ukraine"],
    "В Горловке частично разрушены 12 многоквартирных домов, ещё около 30 жилых домов "
    "получили повреждения, сообщил глава города.",
    [
        g(
            "Горловка (Horlivka)",
            "city",
            12,
            "exact",
            "partially_damaged",
            "apartment_building",
            "частично разрушены 12 многоквартирных домов",
        ),
        g(
            "Горловка (Horlivka)",
            "city",
            30,
            "approx",
            "damaged",
            "house",
            "около 30 жилых домов получили повреждения",
        ),
    ],
)

case(
    "h3-ru-repair-kherson",
    "2023-12-20",
    "ru",
    ["russian", "repair", "holdout3", "ukraine"],
    "С начала года в Херсоне восстановлено 150 домов, ещё 40 требуют ремонта. За сутки "
    "обстрелами повреждены 8 домов.",
    [
        g(
            "Херсон (Kherson)",
            "city",
            8,
            "exact",
            "damaged",
            "house",
            "повреждены 8 домов",
            cumulative=False,
        ),
    ],
    [neg("восстановлено 150 домов", "restored"), neg("40 требуют ремонта", "repair need")],
)

# Ukrainian

case(
    "h3-uk-coordinated-sumy",
    "2024-01-15",
    "uk",
    ["ukrainian", "coordinated_verbs", "elided_noun", "casualties_nearby", "holdout3"],
    "Унаслідок обстрілу Сумщини пошкоджено 23 житлові будинки та зруйновано 4, поранено "
    "двох людей.",
    [
        g(
            "Сумщина (Sumy Oblast)",
            "region",
            23,
            "exact",
            "damaged",
            "house",
            "пошкоджено 23 житлові будинки",
        ),
        g("Сумщина (Sumy Oblast)", "region", 4, "exact", "destroyed", "house", "зруйновано 4"),
    ],
    [neg("двох людей", "people")],
)

case(
    "h3-uk-z-nykh-kharkiv",
    "2022-09-30",
    "uk",
    ["ukrainian", "subset", "thousands_word", "more_than", "cumulative", "holdout3"],
    "На Харківщині з початку вторгнення пошкоджено понад 5 тисяч будівель, з них 700 — "
    "багатоквартирні будинки.",
    [
        g(
            "Харківщина (Kharkiv Oblast)",
            "region",
            5000,
            "more_than",
            "damaged",
            "building",
            "пошкоджено понад 5 тисяч будівель",
            cumulative=True,
        ),
        g(
            "Харківщина (Kharkiv Oblast)",
            "region",
            700,
            "exact",
            "damaged",
            "apartment_building",
            "700 — багатоквартирні будинки",
            subset_of=0,
            cumulative=True,
        ),
    ],
)

case(
    "h3-uk-no-victims-nikopol",
    "2023-08-21",
    "uk",
    ["ukrainian", "negation", "holdout3"],
    "Жертв немає, проте в Нікополі зруйновано 2 приватні будинки й пошкоджено школу.",
    [
        g(
            "Нікополь (Nikopol)",
            "city",
            2,
            "exact",
            "destroyed",
            "house",
            "зруйновано 2 приватні будинки",
        ),
        g(
            "Нікополь (Nikopol)",
            "city",
            1,
            "exact",
            "damaged",
            "school",
            "пошкоджено школу",
            optional=True,
        ),
    ],
)

# Turkish

case(
    "h3-tr-active-malatya",
    "2023-02-20",
    "tr",
    ["turkish", "active_voice", "thousands_word", "holdout3", "other_country"],
    "Deprem Malatya'da 1.200 binayı yıktı, 4 bin 500 bina ise ağır hasar gördü.",
    [
        g("Malatya", "region", 1200, "exact", "destroyed", "building", "1.200 binayı yıktı"),
        g(
            "Malatya",
            "region",
            4500,
            "exact",
            "severely_damaged",
            "building",
            "4 bin 500 bina ise ağır hasar gördü",
        ),
    ],
)

case(
    "h3-tr-negation-adiyaman",
    "2023-02-25",
    "tr",
    ["turkish", "negation", "zero", "people_nearby", "holdout3", "other_country"],
    "Adıyaman'da hiçbir okul yıkılmadı, ancak 14 okul hasar gördü ve 3 okulda 250 öğrenci "
    "tahliye edildi.",
    [
        g("Adıyaman", "region", 0, "exact", "destroyed", "school", "hiçbir okul yıkılmadı"),
        g("Adıyaman", "region", 14, "exact", "damaged", "school", "14 okul hasar gördü"),
    ],
    [neg("3 okulda", "evacuation, not damage"), neg("250 öğrenci", "people")],
)

# German

case(
    "h3-de-active-schuld",
    "2021-07-20",
    "de",
    ["german", "active_voice", "weitere", "holdout3", "other_country"],
    "Das Hochwasser zerstörte in Schuld 12 Häuser und beschädigte 40 weitere, teilte der "
    "Landkreis mit.",
    [
        g("Schuld", "village", 12, "exact", "destroyed", "house", "12 Häuser"),
        g("Schuld", "village", 40, "exact", "damaged", "house", "beschädigte 40 weitere"),
    ],
)

case(
    "h3-de-davon-ahrweiler",
    "2021-07-28",
    "de",
    ["german", "subset", "davon", "people_nearby", "holdout3", "other_country"],
    "Im Kreis Ahrweiler wurden 3.000 Gebäude beschädigt, davon 500 schwer; 6 Menschen werden "
    "noch vermisst.",
    [
        g(
            "Ahrweiler",
            "district",
            3000,
            "exact",
            "damaged",
            "building",
            "3.000 Gebäude beschädigt",
        ),
        g(
            "Ahrweiler",
            "district",
            500,
            "exact",
            "severely_damaged",
            "building",
            "davon 500 schwer",
            subset_of=0,
        ),
    ],
    [neg("6 Menschen", "people")],
)


# --- hold-out 4 ---------------------------------------------------------------------------
# Written after the rule changes that hold-out 3 prompted; scored once and left alone (no rule
# was changed for it): the honest estimate of the current rules on new text.

HOLDOUT4_START = len(CASES)

case(
    "h4-en-odesa-cathedral",
    "2023-07-24",
    "en",
    ["active_voice", "participle", "casualties_nearby", "holdout4", "ukraine"],
    "Ukrainian officials said Russian missiles struck Odesa on Sunday night, damaging 25 "
    "residential buildings and a cathedral; two people were killed.",
    [
        g(
            "Odesa",
            "city",
            25,
            "exact",
            "damaged",
            "residential_building",
            "damaging 25 residential buildings",
            cumulative=False,
        ),
        g("Odesa", "city", 1, "exact", "damaged", "church", "a cathedral", optional=True),
    ],
    [neg("two people", "people")],
)

case(
    "h4-en-aghdam-mosques",
    "2021-03-02",
    "en",
    ["destroyed_or_damaged", "holdout4", "karabakh"],
    "In Aghdam district alone, 6,500 houses were destroyed during the occupation, the ministry "
    "said, adding that 27 mosques had also been destroyed or damaged.",
    [
        g(
            "Aghdam district",
            "district",
            6500,
            "exact",
            "destroyed",
            "house",
            "6,500 houses were destroyed",
        ),
        g(
            "Aghdam district",
            "district",
            27,
            "exact",
            "damaged_or_destroyed",
            "mosque",
            "27 mosques had also been destroyed or damaged",
        ),
    ],
)

case(
    "h4-en-kherson-flood",
    "2023-06-12",
    "en",
    ["flooded", "collapsed", "approx", "holdout4", "ukraine"],
    "The UN estimated that around 3,000 homes in Kherson oblast were flooded after the dam "
    "breach, and 600 of them collapsed.",
    [
        g(
            "Kherson oblast",
            "region",
            3000,
            "approx",
            "damaged",
            "house",
            "around 3,000 homes in Kherson oblast were flooded",
            optional=True,
            note="flooded is exposure, not a damage grade",
        ),
        g("Kherson oblast", "region", 600, "exact", "collapsed", "house", "600 of them collapsed"),
    ],
)

case(
    "h4-en-beryslav-adjectives",
    "2023-04-10",
    "en",
    ["adjective_coordination", "holdout4", "ukraine"],
    "Local authorities counted 14 destroyed and 52 damaged houses in Beryslav after a week of "
    "shelling.",
    [
        g("Beryslav", "town", 14, "exact", "destroyed", "house", "14 destroyed"),
        g("Beryslav", "town", 52, "exact", "damaged", "house", "52 damaged houses"),
    ],
)

case(
    "h4-en-nikopol-burned",
    "2023-07-30",
    "en",
    ["number_words", "burned_down", "shells_nearby", "holdout4", "ukraine"],
    "Nine private houses burned down in Nikopol after 40 shells hit the town.",
    [
        g("Nikopol", "city", 9, "exact", "destroyed", "house", "Nine private houses burned down"),
    ],
    [neg("40 shells", "munitions")],
)

case(
    "h4-en-tartar-boy-cars",
    "2020-10-21",
    "en",
    ["age_nearby", "vehicles_nearby", "date_nearby", "holdout4", "karabakh"],
    "Shelling of Tartar on 20 October killed a 12-year-old boy and damaged 21 houses and 3 cars.",
    [
        g(
            "Tartar",
            "city",
            21,
            "exact",
            "damaged",
            "house",
            "damaged 21 houses",
            cumulative=False,
            as_of="2020-10-20",
        ),
    ],
    [neg("20 October", "date"), neg("12-year-old", "age"), neg("3 cars", "vehicles")],
)

case(
    "h4-en-ganja-no-destroyed",
    "2020-10-13",
    "en",
    ["negation", "minor_damage", "holdout4", "karabakh"],
    "No houses were destroyed in Ganja on Monday, but 5 apartment buildings sustained minor "
    "damage.",
    [
        g(
            "Ganja",
            "city",
            0,
            "exact",
            "destroyed",
            "house",
            "No houses were destroyed",
            cumulative=False,
        ),
        g(
            "Ganja",
            "city",
            5,
            "exact",
            "damaged",
            "apartment_building",
            "5 apartment buildings sustained minor damage",
            cumulative=False,
            note="minor damage: core state damaged",
        ),
    ],
)

case(
    "h4-en-kharkiv-hundreds-schools",
    "2022-06-02",
    "en",
    ["vague", "including", "at_least", "holdout4", "ukraine"],
    "Hundreds of buildings were damaged across Kharkiv oblast in May, including at least 40 "
    "schools.",
    [
        g(
            "Kharkiv oblast",
            "region",
            None,
            "vague",
            "damaged",
            "building",
            "Hundreds of buildings were damaged",
            vague_term="hundreds",
        ),
        g(
            "Kharkiv oblast",
            "region",
            40,
            "at_least",
            "damaged",
            "school",
            "at least 40 schools",
            subset_of=0,
        ),
    ],
)

case(
    "h4-en-repairs-only",
    "2024-04-02",
    "en",
    ["repair", "holdout4", "ukraine"],
    "The mayor of Irpin said 1,100 homes have been repaired since the spring, while 300 still "
    "await repairs.",
    [],
    [
        neg("1,100 homes have been repaired", "repaired"),
        neg("300 still await repairs", "repair need"),
    ],
)

case(
    "h4-en-izium-survey",
    "2022-11-15",
    "en",
    ["inspected", "percent", "beyond_repair", "holdout4", "ukraine"],
    "Of 2,400 buildings surveyed in Izium, 80 percent were damaged and 320 were found beyond "
    "repair.",
    [
        g("Izium", "city", 2400, "exact", "inspected", "building", "2,400 buildings surveyed"),
        g(
            "Izium",
            "city",
            None,
            "exact",
            "damaged",
            "building",
            "80 percent were damaged",
            percent=80,
        ),
        g(
            "Izium",
            "city",
            320,
            "exact",
            "unrepairable",
            "building",
            "320 were found beyond repair",
            subset_of=0,
        ),
    ],
)

case(
    "h4-az-tartar-unusable",
    "2020-10-27",
    "az",
    ["azerbaijani", "more_than", "holdout4", "karabakh"],
    "Tərtər şəhərində 18 fərdi yaşayış evi yararsız hala düşüb, 40-dan çox ev isə zədələnib.",
    [
        g(
            "Tərtər (Tartar)",
            "city",
            18,
            "exact",
            "unrepairable",
            "house",
            "18 fərdi yaşayış evi yararsız hala düşüb",
        ),
        g(
            "Tərtər (Tartar)",
            "city",
            40,
            "more_than",
            "damaged",
            "house",
            "40-dan çox ev isə zədələnib",
        ),
    ],
)

case(
    "h4-az-aghjabadi-injured",
    "2020-10-16",
    "az",
    ["azerbaijani", "casualties_nearby", "holdout4", "karabakh"],
    "Son hücum nəticəsində Ağcabədi rayonunda 2 nəfər yaralanıb, 7 evə ziyan dəyib.",
    [
        g(
            "Ağcabədi (Aghjabadi)",
            "district",
            7,
            "exact",
            "damaged",
            "house",
            "7 evə ziyan dəyib",
            cumulative=False,
        ),
    ],
    [neg("2 nəfər", "people")],
)

case(
    "h4-ru-odesa-drones",
    "2023-09-25",
    "ru",
    ["russian", "subset", "adverb", "holdout4", "ukraine"],
    "В результате атаки беспилотников в Одессе повреждены 12 многоэтажных домов, из них 2 — "
    "серьёзно.",
    [
        g(
            "Одесса (Odesa)",
            "city",
            12,
            "exact",
            "damaged",
            "apartment_building",
            "повреждены 12 многоэтажных домов",
            cumulative=False,
        ),
        g(
            "Одесса (Odesa)",
            "city",
            2,
            "exact",
            "severely_damaged",
            "apartment_building",
            "2 — серьёзно",
            subset_of=0,
            cumulative=False,
        ),
    ],
)

case(
    "h4-uk-kherson-shche",
    "2023-11-20",
    "uk",
    ["ukrainian", "elided_noun", "holdout4", "ukraine"],
    "Через обстріл Херсона знищено 3 будинки, ще 17 пошкоджено; загинула одна людина.",
    [
        g("Херсон (Kherson)", "city", 3, "exact", "destroyed", "house", "знищено 3 будинки"),
        g("Херсон (Kherson)", "city", 17, "exact", "damaged", "house", "ще 17 пошкоджено"),
    ],
)

case(
    "h4-tr-kahramanmaras",
    "2023-02-21",
    "tr",
    ["turkish", "more_than", "approx", "holdout4", "other_country"],
    "Kahramanmaraş'ta 900'den fazla bina yıkıldı, yaklaşık 2 bin bina da ağır hasarlı olarak "
    "tespit edildi.",
    [
        g(
            "Kahramanmaraş",
            "region",
            900,
            "more_than",
            "destroyed",
            "building",
            "900'den fazla bina yıkıldı",
        ),
        g(
            "Kahramanmaraş",
            "region",
            2000,
            "approx",
            "severely_damaged",
            "building",
            "yaklaşık 2 bin bina da ağır hasarlı",
        ),
    ],
)

case(
    "h4-de-dnipro-wohnungen",
    "2023-01-16",
    "de",
    ["german", "housing_units", "people_nearby", "holdout4", "ukraine"],
    "In Dnipro wurden bei dem Angriff 4 Wohnhäuser zerstört und 30 Wohnungen beschädigt, 11 "
    "Menschen wurden verletzt.",
    [
        g(
            "Dnipro",
            "city",
            4,
            "exact",
            "destroyed",
            "residential_building",
            "4 Wohnhäuser zerstört",
        ),
        g("Dnipro", "city", 30, "exact", "damaged", "apartment", "30 Wohnungen beschädigt"),
    ],
    [neg("11 Menschen", "people")],
)


def check(cases: list[dict]) -> None:
    for c in cases:
        text = c["text"]
        for k, e in enumerate(c["expected"]):
            assert e["evidence"] in text, (c["id"], k, e["evidence"])
            for link in ("subset_of", "same_as"):
                t = e.get(link)
                assert t is None or 0 <= t < len(c["expected"]), (c["id"], k, link)
        for key in ("negatives", "duplicates"):
            for span in c[key]:
                assert span["span"] in text, (c["id"], key, span["span"])


if __name__ == "__main__":
    check(CASES)
    for name, part in (
        ("cases.jsonl", CASES[:HOLDOUT_START]),
        ("holdout.jsonl", CASES[HOLDOUT_START:HOLDOUT2_START]),
        ("holdout2.jsonl", CASES[HOLDOUT2_START:HOLDOUT3_START]),
        ("holdout3.jsonl", CASES[HOLDOUT3_START:HOLDOUT4_START]),
        ("holdout4.jsonl", CASES[HOLDOUT4_START:]),
    ):
        out = Path(__file__).with_name(name)
        with out.open("w", encoding="utf-8") as handle:
            for c in part:
                handle.write(json.dumps(c, ensure_ascii=False) + "\n")
        print(f"wrote {len(part)} cases to {out}")
