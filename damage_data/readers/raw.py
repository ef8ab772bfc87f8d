"""Tables as strings: CSV/TSV/XLSX/DBF read cell by cell, and the numbers and dates in them.

Nothing here knows about damage: it finds the header row, the encoding and the delimiter,
keeps every cell as text with its line number, and parses counts and dates the way the
people who write these tables write them (``1.234`` in de/tr/az, ``05/11/2020`` day first in
most of the world). A row the reader cannot take whole becomes a reject, never a silent cut.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .._errors import DamageDataError, InputError, LimitExceededError
from ..limits import check_rows
from ._context import Context
from ._files import check_zip_sizes, decode_text, looks_binary


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
    #: Rows that could not be taken whole: ``(line, column, value, reason)``.
    bad_rows: list[tuple[int, str, str, str]] = field(default_factory=list)
    #: Other sheets of a workbook, not read (named in the report).
    other_sheets: list[str] = field(default_factory=list)


def read_raw(ctx: Context) -> RawTable:
    """Read a CSV/TSV/XLSX/DBF into strings, detecting encoding, delimiter and header row."""
    suffix = ctx.target.suffix.lower()
    other_sheets: list[str] = []
    text = ""
    if suffix in (".xlsx", ".xlsm"):
        grid, other_sheets = _xlsx_rows(ctx.target, ctx)
        encoding, delimiter = None, None
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
        del data
        _check_width(text, ctx)
        delimiter = _sniff_delimiter(text, suffix)
        try:
            grid = _csv_rows(text, delimiter, ctx)
        except csv.Error as err:
            raise InputError(
                f"{ctx.path}: not a readable table ({err}); a cell this long is not a count "
                "table. Check the delimiter and quoting.",
                path=str(ctx.path),
            ) from err
    if encoding is None or CONTROL.search(text):  # a text table: one search says if any
        grid = _without_control_characters(grid, ctx)
    numbered = [(i + 1, [_no_error_value(c.strip()) for c in row]) for i, row in enumerate(grid)]
    numbered = [(n, row) for n, row in numbered if any(row)]
    if not numbered:
        raise InputError(f"{ctx.path}: the table has no rows.", path=str(ctx.path))
    head = header_index([row for _, row in numbered])
    under = header_rows_below(numbered[head][1], [row for _, row in numbered[head + 1 : head + 5]])
    names = merge_header_rows([row for _, row in numbered[head : head + 1 + under]])
    header = unique_names(names)
    repeats = {new: old for new, old in zip(header, names, strict=False) if old and new != old}
    body = numbered[head + 1 + under :]
    tags = None
    if body and is_hxl_row(body[0][1]):
        tags = body[0][1] + [""] * (len(header) - len(body[0][1]))
        body = body[1:]
    elif is_hxl_row(numbered[head][1]):
        tags = list(header)
    width = len(header)
    bad: list[tuple[int, str, str, str]] = []
    for line, row in body:
        extra = [c for c in row[width:] if c]
        if extra:
            # a row wider than its header: its cells cannot be tied to columns, so it is
            # not read at all (cutting it would shift nothing but lose a count silently)
            bad.append(
                (
                    line,
                    f"column {width + 1}",
                    ", ".join(extra)[:80],
                    f"row has {len(row)} cells but the header has {width}: quote cells "
                    "holding the delimiter, or add the missing header names",
                )
            )
    rows = [(row + [""] * width)[:width] for _, row in body]
    check_rows(len(rows), ctx.path, ctx.limits)
    return RawTable(
        header,
        rows,
        [n for n, _ in body],
        encoding,
        delimiter,
        tags,
        repeats,
        bad_rows=bad,
        other_sheets=other_sheets,
    )


def _too_wide(cells: int, ctx: Context, where: str) -> LimitExceededError:
    return LimitExceededError(
        f"{ctx.path}: {where} has {cells:,} cells, over the limit of "
        f"{ctx.limits.max_columns:,} columns; no damage table is that wide (check the "
        "delimiter), or pass limits=Limits(max_columns=...) if the file is trusted.",
        path=str(ctx.path),
    )


def _check_width(text: str, ctx: Context) -> None:
    """Refuse a text table whose first line is wider than the column limit, before parsing.

    Counting delimiters is cheap; building millions of cells (then a frame of millions of
    columns) is not.
    """
    first = text[: text.find("\n") if "\n" in text else len(text)]
    widest = max(first.count(d) for d in (",", ";", "\t", "|")) + 1
    if widest > ctx.limits.max_columns:
        raise _too_wide(widest, ctx, "line 1")


def _csv_rows(text: str, delimiter: str, ctx: Context) -> list[list[str]]:
    """Rows of a delimited text, refusing rows wider than the column limit as they come."""
    grid: list[list[str]] = []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        if len(row) > ctx.limits.max_columns:
            raise _too_wide(len(row), ctx, f"row {len(grid) + 1}")
        grid.append(row)
        # a bound while parsing (headers, title lines and HXL tags are counted exactly later)
        if len(grid) > ctx.limits.max_rows + 100:
            check_rows(len(grid) - 100, ctx.path, ctx.limits)
    return grid


#: Characters no table cell needs and a spreadsheet cannot hold (C0 controls but tab and
#: line breaks, and DEL).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _without_control_characters(grid: list[list[str]], ctx: Context) -> list[list[str]]:
    """Cells with control characters (a copy-paste artefact) cleaned, with a warning.

    ``Fuz\\x01uli`` would match no place and break every spreadsheet written from it.
    """
    hits = [i for i, row in enumerate(grid) if CONTROL.search("".join(row))]
    if not hits:
        return grid
    cells = 0
    found: set[str] = set()
    for i in hits:
        for c in CONTROL.findall("".join(grid[i])):
            found.add(f"U+{ord(c):04X}")
        cells += sum(1 for cell in grid[i] if CONTROL.search(cell))
        grid[i] = [CONTROL.sub("", cell) for cell in grid[i]]
    ctx.collector.warn(
        f"{cells:,} cells held control characters ({', '.join(sorted(found))}; first on "
        f"line {hits[0] + 1}): removed. Check how the file was exported."
    )
    return grid


def _xlsx_rows(path: Path, ctx: Context) -> tuple[list[list[str]], list[str]]:
    import openpyxl

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
    others = [n for n in names if n != sheet.title]
    grid: list[list[str]] = []
    try:
        # a stale <dimension> tag (written by some tools) would stop the read early
        sheet.reset_dimensions()
        for row in sheet.iter_rows(values_only=True):
            if len(row) > ctx.limits.max_columns:
                raise InputError(
                    f"{ctx.path}: a row of {len(row):,} cells, over the limit of "
                    f"{ctx.limits.max_columns:,} columns; a far cell (e.g. XFD1048576) "
                    "makes every row this wide: delete it and save again.",
                    path=str(ctx.path),
                )
            grid.append(["" if v is None else cell_text(v) for v in row])
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
    return grid, others


def cell_text(value: object) -> str:
    """One spreadsheet cell as text: whole floats without ``.0``, dates as ISO."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        iso = str(value.isoformat())
        return iso[:10] if str(value).endswith("00:00:00") else iso
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
        [cell_text(v) for v in row] for row in body.itertuples(index=False)
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


def is_number(cell: str) -> bool:
    """Whether a cell holds a number as people write them (groups, marks, a percent).

    A day written ``10.03.2023`` or ``10-03-2023`` is a date, not a number (read as one, a
    date column went unseen and a running total's dates were added up).

    >>> is_number("1.234.567"), is_number("10.03.2023")
    (True, False)
    """
    if SLASHED.match(cell):
        return False
    return bool(re.fullmatch(r"[-+−]?[\d\s.,'\u00a0\u202f]*\d[\d\s.,'\u00a0\u202f]*%?", cell))


def header_index(rows: list[list[str]]) -> int:
    """The header row: the first wide, mostly non-numeric row before rows of the same width.

    Title lines and notes above a table have fewer cells than the table itself.
    """
    widths = [sum(1 for c in row if c) for row in rows[:200]]
    common = Counter(widths[1:] or widths).most_common(1)[0][0]
    for i, row in enumerate(rows[:30]):
        filled = [c for c in row if c]
        if (
            len(filled) >= max(1, int(0.8 * common))
            and sum(is_number(c) for c in filled) <= len(filled) // 4
        ):
            return i
    return 0


#: What a spreadsheet writes in a cell whose formula failed (Excel, LibreOffice, Sheets):
#: no value. "#N/A" in a code column named one unit for every row without a code.
_ERROR_VALUES = frozenset(
    {
        "#N/A",
        "#N/A N/A",
        "#NA",
        "#REF!",
        "#VALUE!",
        "#DIV/0!",
        "#NAME?",
        "#NULL!",
        "#NUM!",
        "#ERROR!",
        "#SPILL!",
        "#CALC!",
        "#GETTING_DATA",
        "Err:502",
        "Err:504",
        "Err:508",
        # and the words tables write for "not available" (pandas reads them as missing too)
        "NA",
        "N/A",
        "n/a",
        "N.A.",
        "n.a.",
    }
)


def _no_error_value(cell: str) -> str:
    """A cell, or ``""`` for a spreadsheet's error value (``#N/A``, ``#REF!``…).

    >>> _no_error_value("#N/A"), _no_error_value("072002")
    ('', '072002')
    """
    return "" if cell in _ERROR_VALUES else cell


def header_rows_below(header: list[str], rows: list[list[str]]) -> int:
    """How many rows under the header row continue it (a header over two or three rows:
    "NUMBER OF" / "DAMAGED HOUSES" / "Totally | Partially", DROMIC reports).

    They hold no number, they name at least one column the header row leaves blank (a
    merged cell above them), and the row after them holds numbers (a count table's data).
    A table of text rows (one structure per row) has none.

    >>> header_rows_below(["Place", "NUMBER OF", ""], [["", "Totally", "Partially"], ["A", "1", "2"]])
    1
    >>> header_rows_below(["Place", "Damage", "Type"], [["A", "Destroyed", ""], ["B", "Minor", "x"]])
    0
    """
    taken = 0
    for row in rows[:3]:
        filled = [c for c in row if c]
        if not filled or any(is_number(c) for c in filled):
            break
        taken += 1
    if not taken or taken >= len(rows) or not any(is_number(c) for c in rows[taken] if c):
        return 0
    named = {i for row in rows[:taken] for i, c in enumerate(row) if c}
    # cells past the header row's end are blank too (a sheet trims trailing empty cells)
    blank = {i for i in named if i >= len(header) or not header[i]}
    return taken if blank else 0


def merge_header_rows(rows: list[list[str]]) -> list[str]:
    """One name per column from a header over several rows, the lowest row first
    ("Totally DAMAGED HOUSES NUMBER OF"): a state word below qualifies the words above it.
    A blank cell of an upper row under which a lower row names a column belongs to the
    merged cell on its left ("NUMBER OF" spans "Totally", "Partially" and "Total").

    >>> merge_header_rows([["Place", "NUMBER OF", "", "NUMBER OF"],
    ...                    ["", "Totally", "Partially", "Dead"]])
    ['Place', 'Totally NUMBER OF', 'Partially NUMBER OF', 'Dead NUMBER OF']
    """
    if len(rows) == 1:
        return list(rows[0])
    width = max(len(r) for r in rows)
    grid = [list(r) + [""] * (width - len(r)) for r in rows]
    for level in range(len(grid) - 1):
        row = grid[level]
        for i in range(1, width):
            named_below = any(grid[k][i] for k in range(level + 1, len(grid)))
            if not row[i] and row[i - 1] and named_below:
                row[i] = row[i - 1]
    return [" ".join(r[i] for r in reversed(grid) if r[i]) for i in range(width)]


def unique_names(header: list[str]) -> list[str]:
    """Header names made unique (``destroyed``, ``destroyed_2``); blanks get a name."""
    seen: Counter[str] = Counter()
    out = []
    for i, name in enumerate(header):
        name = name or f"column_{i + 1}"
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return out


def is_hxl_row(row: list[str]) -> bool:
    """A row of HXL hashtags (at least half of its filled cells start with ``#``)."""
    filled = [c for c in row if c]
    return bool(filled) and sum(c.startswith("#") for c in filled) >= max(1, len(filled) // 2)


def raw_frame(raw: RawTable) -> pd.DataFrame:
    """The table's cells as an object DataFrame of strings (empty cells are ``""``)."""
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


#: Digits grouped by a space, apostrophe or underscore: only thousands ("2 129", "169'000").
_SPACED = re.compile(r"\d[\s'\u00a0\u202f_]+\d")
_GROUPS = re.compile(r"\d{1,3}(?:[\s'\u00a0\u202f_]\d{3})+(?:[.,]\d+)?")


def _parse_count(value: str, decimal: str | None) -> tuple[int | None, str | None]:
    spaced = str(value).strip()
    if _SPACED.search(spaced) and not _GROUPS.fullmatch(spaced.lstrip("+")):
        # "0 0 0" or "12 34" is several numbers (or a typo), never a thousands grouping
        return None, "not a number (digits split by spaces are not groups of thousands)"
    text = re.sub(r"[\s'\u00a0\u202f_]", "", str(value))
    if text in ("", "-", "—", "–", "n/a", "NA", "N/A", "..", "nan", "None"):
        return None, None
    if text[0] in "-−":
        return (None, "negative count") if is_number(text[1:]) else (None, "not a number")
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


_NUM = r"[\d][\d\s.,'\u00a0\u202f]*"
#: Qualified counts as tables write them: "more than 500", ">500", "500+", "55-60", "~300".
_QUALIFIERS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), qualifier)
    for pattern, qualifier in (
        (
            rf"^(?:more than|over|above|in excess of|>|более|больше|свыше|понад|більше|mehr als|"
            rf"über|plus de|au moins de|fazla)\s*(?P<n>{_NUM})$",
            "more_than",
        ),
        (
            rf"^(?P<n>{_NUM})\s*(?:\+|plus|-?dən çox|-?dan çox|-?den fazla|'?den fazla)$",
            "more_than",
        ),
        (
            rf"^(?:at least|minimum|min\.?|>=|≥|не менее|щонайменше|mindestens|au moins)\s*(?P<n>{_NUM})$",
            "at_least",
        ),
        (
            rf"^(?:up to|less than|under|at most|maximum|max\.?|<|<=|≤|до|менее|меньше|bis zu|"
            rf"jusqu'à|moins de)\s*(?P<n>{_NUM})$",
            "up_to",
        ),
        (rf"^(?P<n>{_NUM})-?(?:dək|dek|a qədər)$", "up_to"),
        (
            rf"^(?:about|approx\.?|approximately|around|some|roughly|ca\.?|circa|~|≈|около|"
            rf"примерно|близько|etwa|rund|environ|yaklaşık|təxminən)\s*(?P<n>{_NUM})$",
            "approx",
        ),
    )
)
_RANGE = re.compile(rf"^(?P<a>{_NUM}?)\s*(?:-|–|—|to|bis|до|à)\s*(?P<b>{_NUM})$", re.IGNORECASE)


def parse_quantity(
    value: str, decimal: str | None = None
) -> tuple[int | None, int | None, int | None, str, str | None]:
    """A count with its bounds and qualifier: ``(count, low, high, qualifier, reason)``.

    "more than 500" and "500+" have no upper bound (``high`` is ``None``); "55-60" keeps
    both bounds and counts its lower one (the conservative reading); "about 300" is exact
    bounds with the qualifier ``approx``. Empty gives ``(None, None, None, "exact", None)``.

    >>> parse_quantity("more than 500"), parse_quantity("55–60")
    ((500, 500, None, 'more_than', None), (55, 55, 60, 'exact', None))
    """
    text = " ".join(str(value).split())
    plain, reason = parse_count(text, decimal)
    if plain is not None or reason is None:
        return plain, plain, plain, "exact", None
    for pattern, qualifier in _QUALIFIERS:
        match = pattern.match(text)
        if match:
            count, why = parse_count(match.group("n"), decimal)
            if count is None:
                return None, None, None, qualifier, why or reason
            high = None if qualifier in ("more_than", "at_least") else count
            low = 0 if qualifier == "up_to" else count
            return count, low, high, qualifier, None
    match = _RANGE.match(text)
    if match and match.group("a").strip():
        first, why_a = parse_count(match.group("a"), decimal)
        last, why_b = parse_count(match.group("b"), decimal)
        if first is not None and last is not None and first <= last:
            return first, first, last, "exact", None
        return None, None, None, "exact", why_a or why_b or "a range whose bounds are reversed"
    return None, None, None, "exact", reason


def is_quantity(cell: str) -> bool:
    """A number, or a qualified count ("more than 500", "55–60")."""
    if is_number(cell):
        return True
    count, _, _, _, reason = parse_quantity(cell)
    return count is not None and reason is None


# --- dates ---------------------------------------------------------------------------------

#: Dates before this are no report dates (a year of construction, a typo, a spreadsheet zero).
EARLIEST_DATE = pd.Timestamp("1900-01-01")
#: A ``dd/mm/yyyy``-style date (or ``mm/dd/yyyy``: the column decides), with ``/ . -``.
SLASHED = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})\s*$")


def day_first(values: Sequence[str]) -> bool | None:
    """Whether a column writes dates day first (``13/11/2020``) or month first; ``None`` when
    it holds no ``dd/mm/yyyy``-style date at all.

    A column is read one way for all its rows: a value whose first number is above 12 says
    day first, one whose second number is above 12 says month first; both in one column is
    contradictory and reads as day first (most of the world) with a warning by the caller.
    A column where no value decides (``05/11/2020`` alone) is read day first too, the way
    most of the world writes dates; the report says so (``date_order``), never silently
    month first.

    >>> day_first(["05/11/2020", "13/11/2020"]), day_first(["11/13/2020"]), day_first(["05/11/2020"])
    (True, False, True)
    """
    first = second = seen = False
    for value in values:
        match = SLASHED.match(value or "")
        if match:
            seen = True
            a, b = int(match.group(1)), int(match.group(2))
            first |= a > 12
            second |= b > 12
    if second and not first:
        return False
    return True if seen else None


def date_order_conflict(values: Sequence[str]) -> tuple[str, str] | None:
    """Two values of one column that contradict each other's order, else ``None``.

    The first has a first number above 12 (only day first reads it), the second a second
    number above 12 (only month first reads it): a column holding both cannot be read one
    way (:func:`day_first` then reads it day first, and the caller warns).

    >>> date_order_conflict(["13/11/2020", "11/13/2020"]), date_order_conflict(["13/11/2020"])
    (('13/11/2020', '11/13/2020'), None)
    """
    day: str | None = None
    month: str | None = None
    for value in values:
        match = SLASHED.match(value or "")
        if match:
            if day is None and int(match.group(1)) > 12:
                day = value.strip()
            if month is None and int(match.group(2)) > 12:
                month = value.strip()
            if day is not None and month is not None:
                return day, month
    return None


def parse_date(text: str, dayfirst: bool | None = None) -> tuple[pd.Timestamp | None, str | None]:
    """A cell's date, or the reason it cannot be read; empty is no date.

    ``dayfirst`` is the column's order for ``dd/mm/yyyy``-style dates (see
    :func:`day_first`); ISO dates are read as they are. Dates before 1900 are rejected.
    """
    if not text or not text.strip():
        return None, None
    value = text.strip()
    try:
        if SLASHED.match(value):
            with warnings.catch_warnings():
                # 11/14/2020 read day first falls back to month first; the caller has
                # already warned about a column holding both orders
                warnings.simplefilter("ignore", UserWarning)
                stamp = pd.to_datetime(value, errors="coerce", dayfirst=bool(dayfirst))
        else:
            stamp = pd.to_datetime(value, errors="coerce", format="mixed")
    except (ValueError, OverflowError):  # out-of-bounds years raise despite errors=
        stamp = pd.NaT
    if pd.isna(stamp):
        return None, "unreadable date; write dates as YYYY-MM-DD"
    if stamp.tzinfo is not None:
        # "2020-08-17T18:36:32+03:00": the date as written where it was written
        stamp = stamp.tz_localize(None)
    if stamp < EARLIEST_DATE:
        return None, "date before 1900: not a report date; fix the year"
    return stamp, None


def in_future(stamp: pd.Timestamp | None) -> bool:
    """Whether a date lies after today (a typo, kept for review by the caller)."""
    return stamp is not None and stamp > pd.Timestamp.now()


def clip(value: str, width: int = 120) -> str:
    """Long text cut for evidence columns, with an ellipsis."""
    return value if len(value) <= width else value[: width - 1] + "…"
