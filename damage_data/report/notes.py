"""What each flag means, in the words of the people who read a report, and HXL hashtags."""

from __future__ import annotations

#: A flag's meaning for a reporter: a plain sentence about what it means for the story.
FLAG_NOTES: dict[str, str] = {
    "disagree": "sources speaking about the same time disagree strongly; the table uses the "
    "best of them and never adds them up",
    "relayed": "a report that repeats another source was set aside in favour of the original",
    "decreasing": "the running total went down between statements (recounts or "
    "corrections); the latest statement is used, never a sum of statements",
    "scope_changed": "the figure used covers less than an earlier one (fewer kinds of "
    "building, or part of the area): compare like with like before quoting a change",
    "partial": "only some villages (or units) were reported: the total is at least this, "
    "not the whole",
    "partial_area": "the source covers only part of the unit",
    "parent_conflict": "the source places it inside another district, which contradicts the "
    "official boundaries",
    "code_name_conflict": "the source writes the same place code beside different place "
    "names, so which place the figure belongs to is uncertain",
    "needs_review": "some figures were not counted until someone checks them (listed below)",
    "mixed_count_units": "some figures count flats or households rather than buildings; they "
    "were left out rather than mixed",
    "preliminary": "the source calls its figure preliminary",
    "multi_place": "the figure covers several places together",
    "children_exceed": "its villages (or units) add up to more than its own figure",
    "parts_exceed_total": "the source's breakdown adds up to more than its own total",
    "sum_of_units": "computed as the sum of its units' figures",
    "vague_number": "a vague number ('hundreds') was read at its most conservative",
    "repeated_place": "the source gives several rows for this place with nothing to tell "
    "them apart (no date, event or village); they were added: check that none restates "
    "another",
    "approximate": "the source gives a figure as approximate ('about 40'); it is counted as given",
    "building_blocks": "some shapes are blocks of several buildings, so these are counts of blocks",
    "share_basis_small": "too few of the buildings have a known type to give a residential share",
    "lossy_class": "the source's damage classes match ours only roughly",
}

#: The Notes sheet of the workbook: how the table was made, then what each flag means.
METHOD_NOTES: tuple[tuple[str, str], ...] = (
    (
        "method",
        "Each unit's figures come from its best source: a primary over the report "
        "relaying it, then the latest date, then the method (field survey > "
        "satellite > official statement > press). Sources are never added; "
        "breakdowns are parts of their totals; villages add up into their unit.",
    ),
    ("damaged", "Damaged excludes destroyed; 'possibly damaged' is reported apart."),
    ("ranges", "A count with *_max empty has no upper bound ('more than 500' is 500+)."),
    (
        "boundaries",
        "Natural Earth admin-1 (public domain) or the user's own; names do not imply "
        "any position on the status of any territory.",
    ),
)

#: HXL hashtags of the summary columns (REFERENCE §4).
HXL_TAGS: dict[str, str] = {
    "unit_code": "#adm1+code",
    "unit_name": "#adm1+name",
    "level": "#meta+level",
    "settlement": "#loc+name",
    "parent_code": "#adm1+code+parent",
    "destroyed": "#affected+buildings+destroyed",
    "destroyed_min": "#affected+buildings+destroyed+min",
    "destroyed_max": "#affected+buildings+destroyed+max",
    "damaged": "#affected+buildings+damaged",
    "damaged_min": "#affected+buildings+damaged+min",
    "damaged_max": "#affected+buildings+damaged+max",
    "possibly_damaged": "#affected+buildings+possible",
    "unsplit": "#affected+buildings+damaged_or_destroyed",
    "total": "#affected+buildings+total",
    "total_min": "#affected+buildings+total+min",
    "total_max": "#affected+buildings+total+max",
    "assessed": "#reached+buildings+assessed",
    "residential": "#affected+buildings+residential",
    "residential_basis": "#affected+buildings+typed",
    "residential_share": "#indicator+residential+share",
    "count_unit": "#meta+unit",
    "n_sources": "#meta+sources+num",
    "total_low": "#affected+buildings+total+sources+min",
    "total_high": "#affected+buildings+total+sources+max",
    "source_id": "#meta+source+id",
    "as_of": "#date+reported",
    "flags": "#meta+flags",
    "lon": "#geo+lon",
    "lat": "#geo+lat",
}

#: Why a figure waits for review, in words (flags set by the readers and the text reader).
REVIEW_NOTES: dict[str, str] = {
    "derived_remainder": "a number worked out by subtraction, not stated by the source",
    "vague_number": "a vague number ('hundreds') read at its most conservative",
    "place_unresolved": "its place could not be found in the gazetteer",
    "place_ambiguous": "its place name fits several units",
    "place_fuzzy": "its place name was matched only approximately",
    "parent_conflict": "the source puts the place in another district than the gazetteer",
    "place_unsupported": "its place matched a unit, but most places of its source match none",
    "place_other_country": "its place matched a unit in another country than its source's",
    "future_date": "its date lies in the future",
    "outside_units": "the structures lie outside every boundary given",
    "implausible_number": "the number looks garbled (far larger than others about it)",
    "no_damage_phrase": "no damage word stands near the number",
    "no_place": "no place is named near the number",
}


def in_words(flag: str) -> str:
    """A flag code as words for a reader: its note, else the code with spaces.

    Parameters
    ----------
    flag
        A flag code of a figure or a summary row.

    Returns
    -------
    str
        The words.

    Examples
    --------
    >>> in_words("place_fuzzy"), in_words("some_new_flag")
    ('its place name was matched only approximately', 'some new flag')
    """
    return REVIEW_NOTES.get(flag) or FLAG_NOTES.get(flag) or flag.replace("_", " ")
