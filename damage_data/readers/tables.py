"""Readers of tables people exchange: CSV/TSV/XLSX count tables, HXL, OCHA COD-AB.

A count table has one row per place (wide: a column per damage state, e.g. ``Houses
destroyed``) or one row per place and damage state (long: a label column and a value
column). A table with coordinates (lon/lat or WKT) and a damage column is one row per
structure and goes to the GIS path. Encodings, header rows and number formats are detected;
a ``columns=`` mapping overrides every guess.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._data import data_path
from .._errors import DamageDataError, InputError, UsageError
from ..limits import check_rows
from ..vocab import DAMAGE_ORDER, DAMAGE_STATES, STRUCTURE_TYPES, _fold, damage_schemes
from ._context import Context, Parts
from ._files import decode_text, looks_binary
from ._result import pick_scheme
from ._vector import fold_name

#: Roles a ``columns=`` mapping may name, besides canonical damage states (wide columns).
ROLES = (
    "place",
    "parent",
    "unit_code",
    "date",
    "damage",
    "count",
    "structure",
    "count_unit",
    "lon",
    "lat",
    "wkt",
    "id",
    "admin",
)

_PLACE_WORDS = (
    "place",
    "district",
    "rayon",
    "raion",
    "region",
    "province",
    "municipality",
    "governorate",
    "oblast",
    "city",
    "village",
    "settlement",
    "location",
    "locality",
    "hromada",
    "community",
    "area",
    "county",
    "admin",
    "name",
    "adm1_en",
    "adm2_en",
    "adm3_en",
    "adm1_name",
    "adm2_name",
    "adm3_name",
    "unit",
    "town",
)
_CODE_WORDS = ("unit_code", "pcode", "p_code", "code", "iso", "iso_code", "hlcit")
#: Code columns by shape: GEM's ID_1, OCHA's ADM2_PCODE / ADM2_PC.
_CODE_PATTERN = re.compile(r"id_\d|adm\d_p?code|adm\d_pc|\w*_pcode")
_DATE_WORDS = ("as_of", "date", "report_date", "reported", "published", "as_at")
_VALUE_WORDS = (
    "count",
    "value",
    "number",
    "total",
    "n",
    "amount",
    "figure",
    "x_value",
    "houses",
    "buildings",
)
_LABEL_WORDS = (
    "damage",
    "status",
    "category",
    "impact",
    "class",
    "damage_class",
    "state",
    "level",
    "type",
    "indicator",
)
_LON = ("lon", "lng", "long", "longitude", "x", "xcoord", "x_coord")
_LAT = ("lat", "latitude", "y", "ycoord", "y_coord")
_WKT = ("wkt", "geometry", "geom", "the_geom", "wkt_geom")


@dataclass
class RawTable:
    """A table as strings: header names, data rows, their line numbers and how it was read."""

    header: list[str]
    rows: list[list[str]]
    line_numbers: list[int]
    encoding: str | None
    delimiter: str | None
    hxl_tags: list[str] | None = None
    #: Renamed repeats of a header name (``destroyed_2`` → ``destroyed``).
    repeats: dict[str, str] | None = None


# --- reading rows --------------------------------------------------------------------------


def read_raw(ctx: Context) -> RawTable:
    """Read a CSV/TSV/XLSX/DBF into strings, detecting encoding, delimiter and header row."""
    suffix = ctx.target.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        grid, encoding, delimiter = _xlsx_rows(ctx.target, ctx), None, None
    elif suffix == ".xls":
        raise InputError(
            f"{ctx.path}: old binary .xls workbooks are not read; save it as .xlsx or CSV.",
            path=str(ctx.path),
        )
    elif suffix == ".dbf":
        grid, encoding, delimiter = _dbf_rows(ctx), None, None
    else:
        data = ctx.target.read_bytes()
        if looks_binary(data):
            raise InputError(
                f"{ctx.path}: binary content, not a text table; check the file (see "
                "`damage-data formats` for what is read).",
                path=str(ctx.path),
            )
        text, encoding = decode_text(data, ctx.path, ctx.encoding)
        delimiter = _sniff_delimiter(text, suffix)
        try:
            grid = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as err:
            raise InputError(
                f"{ctx.path}: not a readable table ({err}); a cell this long is not a count "
                "table. Check the delimiter and quoting.",
                path=str(ctx.path),
            ) from err
    numbered = [(i + 1, [c.strip() for c in row]) for i, row in enumerate(grid)]
    numbered = [(n, row) for n, row in numbered if any(row)]
    if not numbered:
        raise InputError(f"{ctx.path}: the table has no rows.", path=str(ctx.path))
    head = _header_index([row for _, row in numbered])
    header = _unique_names(numbered[head][1])
    repeats = {
        new: old for new, old in zip(header, numbered[head][1], strict=False) if old and new != old
    }
    body = numbered[head + 1 :]
    tags = None
    if body and _is_hxl_row(body[0][1]):
        tags = body[0][1] + [""] * (len(header) - len(body[0][1]))
        body = body[1:]
    elif _is_hxl_row(numbered[head][1]):
        tags = list(header)
    width = len(header)
    rows = [(row + [""] * width)[:width] for _, row in body]
    check_rows(len(rows), ctx.path, ctx.limits)
    return RawTable(header, rows, [n for n, _ in body], encoding, delimiter, tags, repeats)


def _xlsx_rows(path: Path, ctx: Context) -> list[list[str]]:
    import openpyxl

    from ._files import check_zip_sizes

    # a workbook is a zip of XML parts: the same bomb guards as any archive apply
    check_zip_sizes(path, ctx.limits, shown_as=ctx.path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises zip, XML and KeyError variants
        raise InputError(
            f"{ctx.path}: not a readable .xlsx workbook ({err}).", path=str(ctx.path)
        ) from err
    try:
        names = book.sheetnames
        sheet = book[ctx.layer] if ctx.layer else book[names[0]]
    except KeyError as err:
        raise InputError(
            f"{ctx.path}: no sheet {ctx.layer!r}; sheets: {', '.join(names)}.", path=str(ctx.path)
        ) from err
    grid = []
    try:
        for row in sheet.iter_rows(values_only=True):
            grid.append(["" if v is None else _cell_text(v) for v in row])
            if len(grid) > ctx.limits.max_rows + 1:  # + the header
                check_rows(len(grid) - 1, ctx.path, ctx.limits)
    except DamageDataError:
        raise
    except Exception as err:  # a broken sheet part: zip CRC, XML or value errors
        raise InputError(
            f"{ctx.path}: the workbook's sheet cannot be read ({type(err).__name__}: "
            f"{str(err)[:200]}); it may be truncated or corrupt. Re-save it as .xlsx or CSV.",
            path=str(ctx.path),
        ) from err
    finally:
        book.close()
    return grid


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if str(value).endswith("00:00:00") else value.isoformat()
    return str(value)


def _dbf_rows(ctx: Context) -> list[list[str]]:
    import pyogrio

    try:
        frame = pyogrio.read_dataframe(ctx.target, read_geometry=False)
    except Exception as err:
        raise InputError(
            f"{ctx.path}: not a readable dBASE table ({err}).", path=str(ctx.path)
        ) from err
    body = frame.astype(object).where(frame.notna(), "")
    return [list(map(str, frame.columns))] + [
        [_cell_text(v) for v in row] for row in body.itertuples(index=False)
    ]


def _sniff_delimiter(text: str, suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in (",", ";", "\t", "|")}
        return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _is_number(cell: str) -> bool:
    return bool(re.fullmatch(r"[-+−]?[\d\s.,'\u00a0\u202f]*\d[\d\s.,'\u00a0\u202f]*%?", cell))


def _header_index(rows: list[list[str]]) -> int:
    """The header row: the first wide, mostly non-numeric row before rows of the same width.

    Title lines and notes above a table have fewer cells than the table itself.
    """
    widths = [sum(1 for c in row if c) for row in rows[:200]]
    common = Counter(widths[1:] or widths).most_common(1)[0][0]
    for i, row in enumerate(rows[:30]):
        filled = [c for c in row if c]
        if (
            len(filled) >= max(1, int(0.8 * common))
            and sum(_is_number(c) for c in filled) <= len(filled) // 4
        ):
            return i
    return 0


def _unique_names(header: list[str]) -> list[str]:
    seen: Counter[str] = Counter()
    out = []
    for i, name in enumerate(header):
        name = name or f"column_{i + 1}"
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return out


def _is_hxl_row(row: list[str]) -> bool:
    filled = [c for c in row if c]
    return bool(filled) and sum(c.startswith("#") for c in filled) >= max(1, len(filled) // 2)


def raw_frame(raw: RawTable) -> pd.DataFrame:
    return pd.DataFrame(raw.rows, columns=raw.header, dtype=object)


# --- numbers -------------------------------------------------------------------------------


def decimal_mark(values: Sequence[str]) -> str | None:
    """The decimal separator a column uses, if any value shows it (``12,5`` or ``3.25``)."""
    marks: Counter[str] = Counter()
    for value in values:
        text = re.sub(r"[\s'\u00a0\u202f]", "", value)
        if "," in text and "." in text:
            marks[text[max(text.rfind(","), text.rfind("."))]] += 1
        else:
            match = re.search(r"\d([.,])(\d+)$", text)
            if match and len(match.group(2)) != 3:
                marks[match.group(1)] += 1
    return marks.most_common(1)[0][0] if marks else None


#: Largest count accepted: no place has a billion structures, and the figures table holds
#: 64-bit integers, so anything larger is a typo, a merged cell or a hostile file.
MAX_COUNT = 1_000_000_000


def parse_count(value: str, decimal: str | None = None) -> tuple[int | None, str | None]:
    """A whole non-negative count from text, or ``(None, reason)``; empty gives ``(None, None)``.

    Thousands may be grouped by ``,`` ``.`` space or apostrophe (``1.234`` is 1234 in de,
    tr, az); ``decimal`` says which mark is the decimal point for this column.

    >>> parse_count("1.234"), parse_count("12,5", ","), parse_count("-3")
    ((1234, None), (None, 'not a whole number'), (None, 'negative count'))
    """
    count, reason = _parse_count(value, decimal)
    if count is not None and count > MAX_COUNT:
        return None, f"count too large (over {MAX_COUNT:,})"
    return count, reason


def _parse_count(value: str, decimal: str | None) -> tuple[int | None, str | None]:
    text = re.sub(r"[\s'\u00a0\u202f_]", "", str(value))
    if text in ("", "-", "—", "–", "n/a", "NA", "N/A", "..", "nan", "None"):
        return None, None
    if text[0] in "-−":
        return (None, "negative count") if _is_number(text[1:]) else (None, "not a number")
    text = text.lstrip("+")
    if not re.fullmatch(r"[\d.,]+", text):
        return None, "not a number"
    if "," in text and "." in text:
        dec = text[max(text.rfind(","), text.rfind("."))]
    elif decimal is not None and decimal in text and text.count(decimal) == 1:
        dec = decimal
    else:
        sep = "," if "," in text else "." if "." in text else None
        if sep is None:
            return int(text), None
        if re.fullmatch(rf"\d{{1,3}}(\{sep}\d{{3}})+", text):
            return int(text.replace(sep, "")), None
        dec = sep
    thousands = "." if dec == "," else ","
    whole, _, frac = text.replace(thousands, "").partition(dec)
    if not whole.isdigit() or (frac and not frac.isdigit()):
        return None, "not a number"
    if frac.strip("0"):
        return None, "not a whole number"
    return int(whole), None


# --- header words → damage / structure / count unit ---------------------------------------


@cache
def _damage_phrases() -> list[tuple[str, str]]:
    """(folded phrase, canonical state) from the crosswalks, longest first.

    Every crosswalk label that is a phrase (not a bare code) can name a count column:
    ``No visible damage``, ``Completely Destroyed``, ``partially damaged``...
    """
    phrases: dict[str, str] = {}
    # press and PDNA wording first: they win where schemes disagree on a phrase
    order = ["canonical", "press", "pdna"]
    # FEMA's one-word levels ("Affected", "Minor" = moderate) read wrongly as headers
    order += [s for s in damage_schemes() if s not in order and s != "fema"]
    for scheme in order:
        table = pd.read_csv(
            data_path("vocab", "crosswalks", f"{scheme}.csv"), dtype=str, keep_default_na=False
        )
        for label, state in zip(table["label"], table["damage"], strict=True):
            key = _fold(label).replace("-", " ")
            # codes ("1", "G3") and one-word sentinels ("Unknown", "Null") name no column
            if re.search(r"\d", key) or state == "unassessed" or key == "damage":
                continue
            phrases.setdefault(key, state)
    for state in DAMAGE_STATES:
        phrases.setdefault(_fold(state), state)
    phrases.setdefault("fully destroyed", "destroyed")
    phrases.setdefault("partially destroyed", "damaged")
    phrases.setdefault("fully damaged", "destroyed")
    phrases.setdefault("partially collapsed", "damaged")
    phrases.setdefault("heavy", "severe")
    return sorted(phrases.items(), key=lambda kv: -len(kv[0]))


#: Words that may stand beside the bare noun "damage" in a header without qualifying it.
_GENERIC_WORDS = frozenset(
    {
        "damage",
        "sites",
        "site",
        "structures",
        "structure",
        "buildings",
        "building",
        "houses",
        "house",
        "count",
        "counts",
        "number",
        "total",
        "n",
        "of",
        "with",
        "units",
    }
)


def damage_in_header(name: str) -> str | None:
    """The damage state a column header names (``Houses destroyed`` → destroyed).

    A bare ``damage`` ("damage_sites") counts damaged and destroyed together; with any
    other qualifier ("light damage") it says nothing we can map, and gives ``None``.
    """
    folded = _fold(name).replace("-", " ").replace("/", " / ")
    text = f" {folded} "
    found: list[str] = []
    for phrase, state in _damage_phrases():
        pattern = rf"(?<![\w]){re.escape(phrase)}(?![\w])"
        if re.search(pattern, text):
            found.append(state)
            text = re.sub(pattern, " ", text)  # longest phrases first: consume the match
    if len(set(found)) > 1:
        # "Heavy/Collapsed", "heavily damaged and collapsed": reported together
        if "destroyed" in found and any(f in DAMAGE_ORDER[2:5] or f == "damaged" for f in found):
            return "damaged_or_destroyed"
        return None  # two different states in one header: name the column with columns=
    if found:
        return found[0]
    words = set(folded.split())
    if "damage" in words and words <= _GENERIC_WORDS:
        return "damaged_or_destroyed"
    return None


@cache
def _structure_words() -> list[tuple[str, str]]:
    table = pd.read_csv(
        data_path("vocab", "structure_crosswalk.csv"), dtype=str, keep_default_na=False
    )
    words = {
        _fold(lab): s
        for lab, s in zip(table["label"], table["structure"], strict=True)
        if not lab[:1].isdigit()
    }
    for s in STRUCTURE_TYPES:
        words.setdefault(s, s)
    return sorted(words.items(), key=lambda kv: -len(kv[0]))


def structure_in_text(name: str) -> str | None:
    text = _fold(name)
    for word, structure in _structure_words():
        if re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", text):
            return structure
    return None


def count_unit_in_text(name: str) -> str:
    text = _fold(name)
    if "household" in text:
        return "households"
    if re.search(r"housing units?|dwellings?|apartments|flats|(?<!\w)units(?!\w)", text):
        return "housing_units"
    if re.search(r"structures?|sites?(?!\w)", text):
        return "structures"
    return "buildings"


# --- roles ---------------------------------------------------------------------------------


def _find(header: list[str], words: tuple[str, ...], exclude: set[str]) -> str | None:
    folded = [(fold_name(h), h) for h in header if h not in exclude]
    for word in words:
        for key, name in folded:
            if key == word:
                return name
    for word in words:
        for key, name in folded:
            if len(word) > 3 and re.search(rf"(^|_){re.escape(word)}(_|$)", key):
                return name
    return None


def _mostly_numeric(values: pd.Series, share: float = 0.8) -> bool:
    filled = [v for v in values.tolist() if v]
    return bool(filled) and sum(_is_number(v) for v in filled) >= share * len(filled)


def _mostly_text(values: pd.Series) -> bool:
    filled = [v for v in values.tolist() if v]
    return bool(filled) and sum(not _is_number(v) for v in filled) >= 0.8 * len(filled)


def table_roles(frame: pd.DataFrame, columns: dict[str, str] | None) -> dict[str, Any]:
    """Which column plays which role; a user mapping wins over every guess."""
    header = list(frame.columns)
    given = dict(columns or {})
    unknown = [k for k in given if k not in ROLES and k not in DAMAGE_STATES]
    if unknown:
        raise UsageError(
            f"unknown column role(s) {', '.join(unknown)}; roles: {', '.join(ROLES)}, or a "
            f"damage state for a count column ({', '.join(DAMAGE_STATES)})."
        )
    missing = [v for v in given.values() if v not in header]
    if missing:
        raise UsageError(
            f"column(s) {', '.join(map(repr, missing))} not in the table; its columns: "
            f"{', '.join(header)}."
        )
    roles: dict[str, Any] = {k: v for k, v in given.items() if k in ROLES}
    used = set(given.values())
    wide = {v: k for k, v in given.items() if k in DAMAGE_STATES}
    if "lon" not in roles and "wkt" not in roles:
        lon, lat = _find(header, _LON, used), _find(header, _LAT, used)
        if lon and lat and _mostly_numeric(frame[lon]) and _mostly_numeric(frame[lat]):
            roles["lon"], roles["lat"] = lon, lat
        else:
            wkt = _find(header, _WKT, used)
            if (
                wkt
                and frame[wkt].str.match(r"^\s*(MULTI)?(POINT|POLYGON)", case=False).mean() > 0.5
            ):
                roles["wkt"] = wkt
    used |= {roles[r] for r in ("lon", "lat", "wkt") if r in roles}
    if "unit_code" not in roles:
        code = _find(header, _CODE_WORDS, used) or next(
            (h for h in header if h not in used and _CODE_PATTERN.fullmatch(fold_name(h))), None
        )
        if code:
            roles["unit_code"] = code
            used.add(code)
    if "place" not in roles:
        for name in header:
            if name in used:
                continue
            if _find([name], _PLACE_WORDS, set()) and _mostly_text(frame[name]):
                roles["place"] = name
                used.add(name)
                break
    if "place" not in roles:
        # no place word in any header (other languages): the first text column before
        # the counts names the place, as count tables are laid out
        for name in header:
            if name not in used and _mostly_text(frame[name]) and damage_in_header(name) is None:
                roles["place"] = name
                used.add(name)
                break
    if "parent" not in roles:
        parent = _find(header, ("parent", "parent_name", "parent_place", "in"), used)
        if parent and _mostly_text(frame[parent].replace("", None).dropna()):
            roles["parent"] = parent
            used.add(parent)
    if "date" not in roles:
        date = _find(header, _DATE_WORDS, used)
        if date:
            roles["date"] = date
            used.add(date)
    if "damage" not in roles and not wide:
        for name in header:
            if name in used or not _mostly_text(frame[name]):
                continue
            values = [v for v in dict.fromkeys(frame[name].tolist()) if v][:200]
            scheme, known = pick_scheme(values)
            named = _find([name], _LABEL_WORDS, set()) is not None
            if named and known and known >= 0.5 * len(values):
                roles["damage"], roles["damage_scheme"] = name, scheme
                used.add(name)
                break
    if "count" not in roles and not wide and "damage" in roles:
        numeric = [h for h in header if h not in used and _mostly_numeric(frame[h])]
        by_word = _find(numeric, _VALUE_WORDS, set())
        if by_word or len(numeric) == 1:
            roles["count"] = by_word or numeric[0]
            used.add(roles["count"])
    if "damage" not in roles and not wide:
        for name in header:
            # a damage-named column with a few bad cells is still a count column: its bad
            # cells become rejects rather than hiding the column
            if name in used or not _mostly_numeric(frame[name], share=0.5):
                continue
            state = damage_in_header(name)
            if state is not None:
                wide[name] = state
    if "structure" not in roles:
        structure = _find(
            [h for h in header if h not in used and h not in wide],
            (
                "structure",
                "structure_type",
                "building_type",
                "type",
                "category",
                "sector",
                "taxonomy",
            ),
            set(),
        )
        if structure and _mostly_text(frame[structure]):
            roles["structure"] = structure
    roles["wide"] = wide
    return roles


# --- the readers ---------------------------------------------------------------------------


def read_table(ctx: Context, raw: RawTable | None = None) -> Parts:
    """Read a count table (wide or long) into figures, or a per-structure table into structures."""
    raw = raw or read_raw(ctx)
    frame = raw_frame(raw)
    roles = table_roles(frame, ctx.columns)
    if "lon" in roles or "wkt" in roles:
        from ._vector import damage_column

        given = ctx.column("damage") or roles.get("damage")
        if damage_column(frame.replace("", None), given) is not None:
            return read_structure_table(ctx, frame, raw, roles)
        # coordinates of places (a gazetteer-style table), not of structures: the
        # counts are read as a count table
        roles = table_roles(
            frame.drop(columns=[roles[r] for r in ("lon", "lat", "wkt") if r in roles]), ctx.columns
        )
    given, repeats = set((ctx.columns or {}).values()), raw.repeats or {}
    for name in [c for c in roles["wide"] if c in repeats and c not in given]:
        # two columns with one header would count the same structures twice
        state = roles["wide"].pop(name)
        ctx.collector.warn(
            f"column {repeats[name]!r} appears more than once in the header; only the first "
            f"is counted (the repeat is read as {name!r}); pass columns= to choose, e.g. "
            f"columns={{'{state}': '{name}'}}"
        )
    if not roles["wide"] and not ("damage" in roles and "count" in roles):
        raise InputError(
            f"{ctx.path}: no damage counts found. Columns: {', '.join(raw.header)}. Name "
            "them with columns=, e.g. columns={'place': 'District', 'destroyed': 'Houses "
            "destroyed'} (wide) or columns={'place': 'District', 'damage': 'Status', "
            "'count': 'Number'} (long).",
            path=str(ctx.path),
        )
    ctx.collector.extra["encoding"] = raw.encoding
    ctx.collector.extra["delimiter"] = raw.delimiter
    ctx.collector.extra["columns_used"] = {
        k: v for k, v in roles.items() if k != "wide" and isinstance(v, str)
    } | {"counts": dict(roles["wide"])}
    figures = figures_from_rows(ctx, frame, raw.line_numbers, roles)
    return Parts(rows_kept=_rows_kept(ctx, len(frame)), figures=figures)


def _rows_kept(ctx: Context, n: int) -> int:
    return n - ctx.collector.rows_rejected


def figures_from_rows(
    ctx: Context,
    frame: pd.DataFrame,
    lines: list[int],
    roles: dict[str, Any],
    *,
    level: str | None = None,
    default_unit: str | None = None,
    locator_word: str = "row",
) -> pd.DataFrame:
    """One figure per (row, count column); bad rows rejected whole, with the reason."""
    from ..tables import empty, make_figures
    from ..vocab import classify_damage

    col = ctx.collector
    col.rows_read += len(frame)
    wide: dict[str, str] = roles.get("wide", {})
    count_columns = list(wide) if wide else [roles["count"]]
    decimals = {c: decimal_mark(frame[c].tolist()) for c in count_columns}
    scheme = ctx.scheme or roles.get("damage_scheme") or "auto"
    labels: dict[str, str | None] = {}
    if "damage" in roles:
        for label in dict.fromkeys(frame[roles["damage"]].tolist()):
            if not label:
                labels[label] = None
                continue
            try:
                labels[label] = str(classify_damage([label], scheme=scheme).iloc[0])
            except Exception:  # UnknownLabelError: the row is rejected below
                labels[label] = None
    records: list[dict[str, Any]] = []
    header = list(frame.columns)
    for line, row in zip(lines, frame.itertuples(index=False), strict=True):
        values = dict(zip(header, row, strict=True))
        locator = f"{locator_word} {line}"
        # the raw row, long notes cut so that evidence stays readable in tables
        evidence = "; ".join(f"{k}={_clip(v)}" for k, v in values.items() if v)
        problem: tuple[str, str, str] | None = None
        row_records = []
        as_of, date_problem = _row_date(values.get(roles["date"], "") if "date" in roles else "")
        if date_problem:
            problem = (roles["date"], values[roles["date"]], date_problem)
        for column in count_columns if problem is None else []:
            count, reason = parse_count(values[column], decimals[column])
            if reason:
                problem = (column, values[column], reason)
                break
            if count is None:
                continue
            damage: str | None
            if wide:
                damage, damage_text = wide[column], column
            else:
                damage_text = values[roles["damage"]]
                damage = labels.get(damage_text)
                if damage is None:
                    from ..vocab import damage_schemes, known_damage_labels

                    known = sorted(
                        {
                            lab
                            for s in (damage_schemes() if scheme == "auto" else (scheme,))
                            for lab in known_damage_labels(s)
                        }
                    )
                    problem = (
                        roles["damage"],
                        damage_text,
                        "unknown damage label; known labels: " + ", ".join(known),
                    )
                    break
            structure_text = values[roles["structure"]] if "structure" in roles else None
            structure = structure_in_text(structure_text or "") if structure_text else None
            structure = structure or structure_in_text(column if wide else damage_text) or "any"
            row_records.append(
                {
                    "source_id": ctx.source_id,
                    "locator": f"{locator}, column {column}",
                    "evidence": evidence,
                    "place_text": values.get(roles["place"]) if "place" in roles else None,
                    "parent_text": values.get(roles["parent"]) if "parent" in roles else None,
                    "unit_code": (values.get(roles["unit_code"]) or None)
                    if "unit_code" in roles
                    else None,
                    "level": level,
                    "damage": damage,
                    "damage_text": damage_text,
                    "structure": structure,
                    "structure_text": structure_text or column,
                    "count_unit": default_unit
                    or count_unit_in_text(column if wide else " ".join(header)),
                    "count": count,
                    "as_of": as_of,
                    "status": "needs_review" if _in_future(as_of) else "accepted",
                    "flags": "future_date" if _in_future(as_of) else "",
                }
            )
        if problem is None and not row_records:
            problem = (count_columns[0], "", "no count in any count column")
        if problem is not None:
            col.reject(locator, problem[0], problem[1], problem[2])
            continue
        records.extend(row_records)
    future = sum(1 for r in records if r["flags"] == "future_date")
    if future:
        col.warn(
            f"{future} figure(s) dated in the future: kept with status needs_review and "
            "flag future_date; check the date column"
        )
    if not records:
        return empty("figures")
    figures = make_figures(records)
    from ._places import resolve_figure_places

    return resolve_figure_places(figures)


#: Dates before this are no report dates (a year of construction, a typo, a spreadsheet zero).
EARLIEST_DATE = pd.Timestamp("1900-01-01")


def _row_date(text: str) -> tuple[pd.Timestamp | None, str | None]:
    """A row's date, or the reason it cannot be read; empty is no date.

    Dates before 1900 are rejected; dates in the future are kept and flagged by the caller.
    """
    if not text or not text.strip():
        return None, None
    try:
        stamp = pd.to_datetime(text.strip(), errors="coerce", format="mixed")
    except (ValueError, OverflowError):  # out-of-bounds years raise despite errors=
        stamp = pd.NaT
    if pd.isna(stamp):
        return None, "unreadable date; write dates as YYYY-MM-DD"
    if stamp < EARLIEST_DATE:
        return None, "date before 1900: not a report date; fix the year"
    return stamp, None


def _in_future(stamp: pd.Timestamp | None) -> bool:
    return stamp is not None and stamp > pd.Timestamp.now()


def _clip(value: str, width: int = 120) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"


def read_structure_table(
    ctx: Context, frame: pd.DataFrame, raw: RawTable, roles: dict[str, Any]
) -> Parts:
    """A table with one structure per row (lon/lat or WKT): rows → structures."""
    import geopandas as gpd
    import shapely

    from ._vector import damage_column
    from .gis import crs_name, structures_from_generic

    col = ctx.collector
    found = damage_column(frame.replace("", None), ctx.column("damage") or roles.get("damage"))
    if found is None:
        raise InputError(
            f"{ctx.path}: a table with coordinates but no damage column; name it with "
            "columns={'damage': 'YourColumn'}.",
            path=str(ctx.path),
        )
    lines = np.asarray(raw.line_numbers)
    bad = np.zeros(len(frame), dtype=bool)
    if "wkt" in roles:
        texts = frame[roles["wkt"]].replace("", None).to_numpy(dtype=object)
        geoms = shapely.from_wkt(texts, on_invalid="ignore")
        for i in np.flatnonzero(pd.isna(geoms) & pd.notna(texts)):
            col.reject(f"row {lines[i]}", roles["wkt"], texts[i], "unreadable WKT geometry")
            bad[i] = True
    else:
        lon = pd.to_numeric(
            frame[roles["lon"]].str.replace(",", ".", regex=False), errors="coerce"
        ).to_numpy()
        lat = pd.to_numeric(
            frame[roles["lat"]].str.replace(",", ".", regex=False), errors="coerce"
        ).to_numpy()
        both = ~np.isnan(lon) & ~np.isnan(lat)
        if both.any() and (np.abs(lat[both]) > 90).all() and (np.abs(lon[both]) <= 90).all():
            col.warn(
                f"columns {roles['lat']!r} and {roles['lon']!r} hold longitude and "
                "latitude the other way round (every latitude is outside ±90): swapped"
            )
            lon, lat = lat, lon
        out_of_range = both & ((np.abs(lat) > 90) | (np.abs(lon) > 180))
        for i in np.flatnonzero(out_of_range):
            swapped = abs(lat[i]) > 90 and abs(lon[i]) <= 90
            col.reject(
                f"row {lines[i]}",
                roles["lat"],
                f"{lon[i]}, {lat[i]}",
                "latitude outside ±90: longitude and latitude look swapped"
                if swapped
                else "coordinates outside longitude/latitude range",
            )
            bad[i] = True
        geoms = np.asarray(
            shapely.points(
                np.where(out_of_range, np.nan, lon), np.where(out_of_range, np.nan, lat)
            ),
            dtype=object,
        )
        geoms[~(both & ~out_of_range)] = None
    frame_ok = frame[~bad].reset_index(drop=True)
    geo = gpd.GeoDataFrame(
        frame_ok.replace("", None), geometry=np.asarray(geoms)[~bad], crs="EPSG:4326"
    )
    # rows already rejected above were read too; count them before handing over
    col.rows_read += int(bad.sum())
    dmg, scheme = found
    structures = structures_from_generic(
        geo, ctx, damage=dmg, scheme=ctx.scheme or scheme, layer=None, path_for_crs=ctx.path
    )
    # locators of the generic mapper are positions among kept rows: give them file lines
    kept_lines = lines[~bad]
    for reject in col.rejects:
        loc = reject["locator"]
        if loc.startswith("feature "):
            reject["locator"] = f"row {kept_lines[int(loc.split()[1])]}"
    if "id" not in col.extra.get("columns_used", {}):
        structures["structure_id"] = pd.array(
            [f"row {kept_lines[int(i)]}" for i in structures["structure_id"]], dtype="string"
        )
    return Parts(
        rows_kept=len(structures),
        structures=structures,
        crs=crs_name(structures),
        extra={"encoding": raw.encoding, "delimiter": raw.delimiter},
    )


# --- HXL -----------------------------------------------------------------------------------

_HXL_PLACE = ("#loc+name", "#adm4+name", "#adm3+name", "#adm2+name", "#adm1+name", "#country+name")
_HXL_CODE = ("#loc+code", "#adm4+code", "#adm3+code", "#adm2+code", "#adm1+code", "#country+code")
_HXL_LEVEL = {
    "#adm1": "adm1",
    "#adm2": "adm2",
    "#adm3": "adm3",
    "#adm4": "settlement",
    "#loc": "settlement",
    "#country": "country",
}


#: HXL attributes that say which damage a count column holds (REFERENCE §4).
_HXL_DAMAGE = {
    "destroyed": "destroyed",
    "totally": "destroyed",
    "fully": "destroyed",
    "partially": "damaged",
    "partial": "damaged",
    "damaged": "damaged",
    "inspected": "assessed",
    "assessed": "assessed",
}


def _hxl_state(tag: str) -> str | None:
    attributes = tag.split("+")[1:]
    for attribute in attributes:
        if attribute.lower() in _HXL_DAMAGE:
            return _HXL_DAMAGE[attribute.lower()]
    return damage_in_header(" ".join(attributes))


def read_hxl(ctx: Context, *, first_line: int = 3, locator_word: str = "row") -> Parts:
    """An HXL-tagged table (CSV, XLSX or JSON) read with libhxl; tags decide the roles."""
    import hxl

    try:
        with ctx.target.open("rb") as handle:
            source = hxl.data(
                handle, hxl.InputOptions(allow_local=True, encoding=ctx.encoding or "utf-8")
            )
            columns = list(source.columns)
            rows = []
            for row in source:
                rows.append(list(row.values))
                # checked while reading: libhxl streams, so a huge file never sits in memory
                if len(rows) > ctx.limits.max_rows:
                    check_rows(len(rows), ctx.path, ctx.limits)
    except DamageDataError:
        raise
    except Exception as err:  # libhxl raises HXLException and parser errors
        raise InputError(
            f"{ctx.path}: not a readable HXL table ({err}).", path=str(ctx.path)
        ) from err
    tags = [c.get_display_tag(sort_attributes=True) if c.tag else "" for c in columns]
    header = _unique_names(
        [
            c.header or tag or f"column_{i + 1}"
            for i, (c, tag) in enumerate(zip(columns, tags, strict=True))
        ]
    )
    frame = pd.DataFrame(
        [
            [
                ("" if v is None else str(v)).strip()
                for v in (r + [None] * len(header))[: len(header)]
            ]
            for r in rows
        ],
        columns=header,
        dtype=object,
    )
    by_tag = dict(zip(tags, header, strict=True))
    roles: dict[str, Any] = {"wide": {}}
    level = None
    for tag in _HXL_PLACE:
        if any(t.startswith(tag.split("+")[0]) and "+name" in t for t in tags):
            name_col = next(
                by_tag[t] for t in tags if t.startswith(tag.split("+")[0]) and "+name" in t
            )
            roles["place"] = name_col
            level = _HXL_LEVEL[tag.split("+")[0]]
            break
    for tag in _HXL_CODE:
        hit = [t for t in tags if t.startswith(tag.split("+")[0]) and "+code" in t]
        if hit:
            roles["unit_code"] = by_tag[hit[0]]
            level = level or _HXL_LEVEL[tag.split("+")[0]]
            break
    date = [t for t in tags if t.startswith("#date")]
    if date:
        roles["date"] = by_tag[date[0]]
    impact = [t for t in tags if t.startswith(("#impact", "#status", "#category"))]
    values = [
        t
        for t in tags
        if t.startswith(("#x_value", "#value", "#affected", "#reached", "#inneed", "#targeted"))
        and damage_in_header(t.replace("+", " ")) is None
    ]
    for tag in tags:
        if not impact and tag.startswith(("#affected", "#impact", "#x_")):
            state = _hxl_state(tag)
            if state is not None:
                roles["wide"][by_tag[tag]] = state
    if not roles["wide"]:
        if not impact or not values:
            raise InputError(
                f"{ctx.path}: HXL table without damage counts; expected "
                "#affected+buildings+destroyed / +partially columns, or an #impact label "
                f"column with a value column. Tags: {', '.join(t for t in tags if t)}.",
                path=str(ctx.path),
            )
        roles["damage"], roles["count"] = by_tag[impact[0]], by_tag[values[0]]
    for key, name in (ctx.columns or {}).items():
        roles[key] = name
    # in a CSV the header and hashtag rows come first; JSON items count from 0
    lines = list(range(first_line, first_line + len(frame)))
    ctx.collector.extra["hxl_tags"] = [t for t in tags if t]
    ctx.collector.extra["columns_used"] = {k: v for k, v in roles.items() if isinstance(v, str)}
    figures = figures_from_rows(ctx, frame, lines, roles, level=level, locator_word=locator_word)
    return Parts(rows_kept=_rows_kept(ctx, len(frame)), figures=figures)


# --- OCHA COD-AB ---------------------------------------------------------------------------

_PCODE = re.compile(r"^ADM(\d)_(PCODE|PC)$", re.I)


def codab_levels(columns: Sequence[str]) -> dict[int, dict[str, str]]:
    """``{level: {"code": col, "name": col}}`` of an OCHA COD-AB attribute table."""
    levels: dict[int, dict[str, str]] = {}
    for name in columns:
        match = _PCODE.match(name)
        if match:
            levels.setdefault(int(match.group(1)), {})["code"] = name
    for name in columns:
        match = re.match(r"^ADM(\d)_(EN|NAME|REF)$", name, re.I)
        if match and int(match.group(1)) in levels:
            levels[int(match.group(1))].setdefault("name", name)
    return levels


def read_codab(ctx: Context) -> Parts:
    """An OCHA COD-AB attribute table (or boundary file) → a ``units`` table with p-codes."""
    import pyogrio

    from ..tables import make_table

    col = ctx.collector
    suffix = ctx.target.suffix.lower()
    geometry = None
    if suffix in (".csv", ".tsv", ".txt", ".xlsx"):
        frame = raw_frame(read_raw(ctx)).replace("", None)
    else:
        try:
            info = pyogrio.read_info(ctx.target, layer=ctx.layer)
            with_geom = info.get("geometry_type") not in (None, "Unknown") and suffix != ".dbf"
            check_rows(int(info.get("features") or 0), ctx.path, ctx.limits)
            frame = pyogrio.read_dataframe(ctx.target, layer=ctx.layer, read_geometry=with_geom)
        except DamageDataError:
            raise
        except Exception as err:
            raise InputError(
                f"{ctx.path}: not a readable COD-AB table ({err}).", path=str(ctx.path)
            ) from err
        if "geometry" in frame.columns:
            geometry = frame.geometry
    levels = codab_levels(list(frame.columns))
    if not levels:
        raise InputError(
            f"{ctx.path}: no ADMn_PCODE columns: not an OCHA COD-AB table.", path=str(ctx.path)
        )
    deepest = max(levels)
    col.rows_read += len(frame)
    code_col = levels[deepest]["code"]
    codes = frame[code_col].astype("string").str.strip()
    bad = codes.isna() | (codes == "")
    for i in np.flatnonzero(bad.to_numpy(dtype=bool)):
        col.reject(f"row {i + 2}", code_col, None, "missing p-code")
    dup = codes.duplicated(keep="first") & ~bad
    for i in np.flatnonzero(dup.to_numpy(dtype=bool)):
        col.reject(f"row {i + 2}", code_col, codes.iloc[i], "duplicate p-code")
    keep = ~(bad | dup).to_numpy(dtype=bool)
    parent = levels.get(deepest - 1, {}).get("code")
    level_name = {0: "country", 1: "adm1", 2: "adm2", 3: "adm3"}.get(deepest, "settlement")
    units = pd.DataFrame(
        {
            "unit_code": codes[keep].to_numpy(),
            "name": frame.loc[keep, levels[deepest]["name"]].to_numpy()
            if "name" in levels[deepest]
            else pd.NA,
            "level": level_name,
            "parent_code": frame.loc[keep, parent].to_numpy() if parent else pd.NA,
            "country": frame.loc[keep, levels[0]["code"]].to_numpy()
            if 0 in levels
            else codes[keep].str[:2].to_numpy(),
        }
    )
    extra = [
        c
        for c in frame.columns
        if c not in {v for lv in levels.values() for v in lv.values()} and c != "geometry"
    ]
    for name in extra:
        units[name] = frame.loc[keep, name].to_numpy()
    table = make_table("units", units)
    if geometry is not None:
        import geopandas as gpd

        table = gpd.GeoDataFrame(table, geometry=geometry[keep].to_numpy(), crs=geometry.crs)
    return Parts(
        rows_kept=int(keep.sum()),
        units=table,
        extra={
            "levels": {f"adm{k}": v for k, v in levels.items()},
            "unit_level": level_name,
            "other_columns": extra,
        },
    )
