"""A code written beside names that say it is another place.

A table that gives each row a code and a name says the same thing twice; when the two
disagree, the code alone decides nothing. Chile's commune code 4302 written on a
"Combarbalá" row and on a "Monte Patria" row, or an Iranian county code copied onto its
neighbour's row, used to add two places' figures and print them under one name. This stage
finds those rows and sends them to review (flag ``code_name_conflict``), with a message that
names the rows, the code and the names:

* a code the gazetteer does not know, written beside two or more different names in one
  file (names are compared by their transliteration key, so "Combarbala" and "Combarbalá"
  or a one-letter typo are one name);
* a code the gazetteer knows, beside a name that resolves with certainty to another unit,
  neither above nor below it ("AZ-FUZ" on a "Jabrayil" row).

A file where many codes carry several names is not a file of mistakes but one whose name
column holds places inside the coded units (villages under a district code); it is left as
it is, with a warning that the figures are added per code.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import pandas as pd
from rapidfuzz import fuzz

from ..tables import flags_of, join_flags
from ..translit import fold
from .index import strip_generic

logger = logging.getLogger("damage_data.places.stage")

FLAG = "code_name_conflict"
#: Two names whose keys are at least this similar (rapidfuzz ratio) are one name misspelt.
SAME_NAME_SCORE = 80
#: Above this share of a file's codes carrying several names, the names are places inside
#: the coded units, not mistakes.
LAYOUT_SHARE = 0.2
_CERTAIN = ("code", "exact", "alias", "transliteration")

Resolver = Callable[[list[str]], pd.DataFrame]


#: A bracketed aside ("LEGAZPI CITY (Capital)") and the marks of a footnote ("Legazpi City**").
_ASIDE = re.compile(r"\([^)]*\)|\[[^\]]*\]|[*\u2020\u2021]+")
#: UTF-8 read as Latin-1 ("PEÃ¯Â¿Â½ABLANCA" for "PEÑABLANCA"): the garbled letters are dropped.
_MOJIBAKE = re.compile(r"[\u00c2\u00c3][\u0080-\u00bf]|[\u00c2\u00c3\ufffd]")


def name_key(name: str) -> str:
    """The key two spellings of one name share (asides, footnote marks, mojibake, generic
    words, script and diacritics set aside)."""
    text = _ASIDE.sub(" ", name)
    if _MOJIBAKE.search(text):
        text = _MOJIBAKE.sub("", text)
    core = strip_generic(" ".join(text.split()))[0]
    return fold(core) or name.strip().casefold()


def _same(a: str, b: str) -> bool:
    """Two name keys of one place: equal, a typo apart, or one inside the other ("Comuna
    de Combarbalá" and "Combarbalá": generic words of every language are not listed)."""
    if a == b or fuzz.ratio(a, b) >= SAME_NAME_SCORE:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= 5 and short in long


def _clusters(names: list[str]) -> list[list[str]]:
    """The names grouped into the places they stand for (same key, or a typo apart)."""
    groups: list[tuple[str, list[str]]] = []
    for name in names:
        key = name_key(name)
        for head, members in groups:
            if _same(key, head):
                members.append(name)
                break
        else:
            groups.append((key, [name]))
    return [members for _, members in groups]


def _rows(locators: pd.Series) -> str:
    # "row 3, column DAMAGED": one row, whatever its columns
    where = locators.dropna().astype(str).str.split(", column").str[0].unique()
    text = [str(v) for v in where[:4]]
    more = len(where) - len(text)
    return ", ".join(text) + (f" and {more} more" if more > 0 else "") if text else "no locator"


def _mark(out: pd.DataFrame, index: pd.Index) -> None:
    i: Any
    for i in index:
        flags = flags_of(out.at[i, "flags"])
        if FLAG not in flags:
            flags.append(FLAG)
        out.at[i, "flags"] = join_flags(flags)
        out.at[i, "status"] = "needs_review"


def check_code_names(
    out: pd.DataFrame,
    coded: pd.Series,
    known: dict[str, tuple[str, str, str]],
    related: Callable[[str, str], bool],
    resolve: Resolver,
    origin: str | None = None,
    aliases: Callable[[], dict[str, set[str]]] | None = None,
) -> None:
    """Send rows whose code and name disagree to review, in place (see the module).

    ``coded`` marks the rows whose place is a written code; ``known`` maps the gazetteer's
    codes (upper case) to (code, name, level); ``related(a, b)`` tells whether one unit is
    inside the other; ``resolve`` resolves a list of names to a table with ``unit_code``
    and ``match``.
    """
    level = out["level"].astype("string")
    named = out["place_text"].notna() & out["place_text"].astype("string").str.strip().ne("")
    rows = coded & named & level.ne("settlement").fillna(True)
    if not rows.any():
        return
    where = f"{origin}: " if origin else ""
    sub = out.loc[rows, ["source_id", "unit_code", "place_text", "parent_text", "locator"]].copy()
    sub["parent"] = sub["parent_text"].astype("string").fillna("").str.strip().map(name_key)
    sub["file"] = sub["source_id"].astype(str).str.split(":").str[:2].str.join(":")
    sub["code"] = sub["unit_code"].astype(str).str.strip().str.upper()
    sub["name"] = sub["place_text"].astype(str).str.strip()
    sub["key"] = sub["name"].map(name_key)
    is_known = sub["code"].isin(list(known))
    _unknown_codes(out, sub[~is_known], where)
    _known_codes(out, sub[is_known], known, related, resolve, where, aliases)


def _unknown_codes(out: pd.DataFrame, sub: pd.DataFrame, where: str) -> None:
    for _, rows in sub.groupby("file", sort=False):
        several = rows.groupby("code", sort=False)["key"].nunique()
        several = several[several > 1]
        if several.empty:
            continue
        shared: list[tuple[str, list[list[str]]]] = []
        for code in several.index:
            names = list(dict.fromkeys(rows.loc[rows["code"] == code, "name"]))
            groups = _clusters(names)
            if len(groups) > 1:
                shared.append((str(code), groups))
        if not shared:
            continue
        codes = rows["code"].nunique()
        if len(shared) > max(2, LAYOUT_SHARE * codes):
            logger.warning(
                "%s%d of %d codes are written beside several names (%s: %s): the names "
                "are read as places inside the coded units and their figures are added per "
                "code. If the names are the units themselves, the codes are wrong: correct "
                "them in the file",
                where,
                len(shared),
                codes,
                shared[0][0],
                ", ".join(repr(g[0]) for g in shared[0][1][:3]),
            )
            continue
        for code, groups in shared:
            these = rows[rows["code"] == code]
            # a name the file also writes beside another code, under the same parent, is the
            # odd one out (Monte Patria is 4303 in the file's other Limarí rows): only its
            # rows go to review. Under another parent it is another place of that name (El
            # Salvador has a San Isidro in Cabañas and one in Morazán)
            elsewhere = [g for g in groups if not _elsewhere(rows, these, g, code).empty]
            odd = elsewhere if 0 < len(elsewhere) < len(groups) else groups
            sent = these[these["name"].isin([n for g in odd for n in g])]
            _mark(out, sent.index)
            named = "; ".join(
                f"{g[0]!r} ({_rows(these.loc[these['name'].isin(g), 'locator'])})" for g in groups
            )
            code_text = str(these["unit_code"].iloc[0])
            if odd is groups:
                why = "which place the code belongs to is not known, so these figures are"
            else:
                others = sorted(set(_elsewhere(rows, these, odd[0], code)["unit_code"]))
                why = (
                    f"the file writes {odd[0][0]!r} beside {', '.join(map(str, others))} "
                    f"elsewhere, so its figures under {code_text} are"
                )
            logger.warning(
                "%scode %s is written beside %d different names: %s. %s%s sent to review "
                "instead of being added under one name. Correct the code in the file, or "
                "count them under %s anyway with --include-review",
                where,
                code_text,
                len(groups),
                named,
                why[0].upper(),
                why[1:],
                code_text,
            )


def _elsewhere(
    rows: pd.DataFrame, these: pd.DataFrame, names: list[str], code: str
) -> pd.DataFrame:
    """The file's rows writing one of ``names`` beside another code, under a parent the
    rows of ``code`` with those names have too (all rows when no parent is written)."""
    mine = set(these.loc[these["name"].isin(names), "parent"])
    other = rows[rows["name"].isin(names) & (rows["code"] != code)]
    return other[other["parent"].isin(mine)]


def _known_codes(
    out: pd.DataFrame,
    sub: pd.DataFrame,
    known: dict[str, tuple[str, str, str]],
    related: Callable[[str, str], bool],
    resolve: Resolver,
    where: str,
    aliases: Callable[[], dict[str, set[str]]] | None = None,
) -> None:
    if sub.empty:
        return
    # a name the gazetteer gives the code itself is no conflict, even where it names another
    # unit first ("Kyiv" is an alias of Kyiv Oblast, UA-32, and the name of Kyiv city)
    own = aliases() if aliases is not None else {}
    names = list(dict.fromkeys(sub["name"]))
    hits = resolve(names)
    found = {
        n: str(c)
        for n, c, m in zip(names, hits["unit_code"], hits["match"], strict=True)
        if m in _CERTAIN and pd.notna(c)
    }
    for (code, name), rows in sub.groupby(["code", "name"], sort=False):
        other = found.get(str(name))
        mine = known[str(code)][0]
        if other is None or other.upper() == str(code) or related(mine, other):
            continue
        if name_key(str(name)) in own.get(mine.upper(), set()):
            continue
        _mark(out, rows.index)
        logger.warning(
            "%scode %s (%s) is written beside %r, which is %s (%s) (%s): the figures are "
            "sent to review instead of being counted in either. Correct the code or the name "
            "in the file, or count them under %s anyway with --include-review",
            where,
            mine,
            known[str(code)][1],
            str(name),
            other,
            known.get(other.upper(), (other, other, ""))[1],
            _rows(rows["locator"]),
            mine,
        )
