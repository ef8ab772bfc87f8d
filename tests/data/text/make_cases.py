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
    "own-hy-unsupported",
    "2020-11-12",
    "hy",
    ["unsupported_language", "review"],
    "Ստեփանակերտում 120 շենք վնասվել է, իսկ 15 տուն ամբողջությամբ ավերվել է։",
    [
        g(
            "Stepanakert",
            "city",
            None,
            "unspecified",
            "damaged",
            "building",
            "120",
            review=True,
            optional=True,
            note="Armenian is not a supported language: records go to review, no count is claimed",
        )
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
        ("holdout2.jsonl", CASES[HOLDOUT2_START:]),
    ):
        out = Path(__file__).with_name(name)
        with out.open("w", encoding="utf-8") as handle:
            for c in part:
                handle.write(json.dumps(c, ensure_ascii=False) + "\n")
        print(f"wrote {len(part)} cases to {out}")
