"""The report's tables in the formats desks use: XLSX, HXL-tagged CSV, Markdown."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from ..export import markdown_table, neutralise_formulas, user_mode
from ..reconcile import COUNT_COLUMNS
from .notes import HXL_TAGS

COUNT_FORMAT = "#,##0"
#: Columns holding counts (a thousands format in the workbook): the summary's counts, its
#: bounds across sources and number of sources, and a figures table's count and bounds.
COUNT_HEADERS: tuple[str, ...] = (
    *COUNT_COLUMNS,
    "total_low",
    "total_high",
    "n_sources",
    "count",
    "count_min",
    "count_max",
)
_WIDE = ("evidence", "note", "notes", "title", "why", "flags", "reason")


def hxl_csv_text(summary: pd.DataFrame) -> str:
    r"""The summary as HXL-tagged CSV: a header row, a hashtag row, then the data.

    Parameters
    ----------
    summary
        The summary (or any table); columns without a tag get an empty hashtag cell.

    Returns
    -------
    str
        CSV text; formula-like cells neutralised, dates as ISO dates, missing cells empty.

    Examples
    --------
    >>> import pandas as pd
    >>> text = hxl_csv_text(pd.DataFrame({"unit_code": ["AZ-TAR"], "destroyed": [3],
    ...                                   "as_of": [pd.Timestamp("2021-01-05")]}))
    >>> print(text.replace("\r\n", "\n"), end="")
    unit_code,destroyed,as_of
    #adm1+code,#affected+buildings+destroyed,#date+reported
    AZ-TAR,3,2021-01-05
    """
    table = neutralise_formulas(summary)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    writer.writerow([HXL_TAGS.get(c, "") for c in table.columns])
    for row in table.itertuples(index=False, name=None):
        writer.writerow(
            [
                ""
                if v is None or (not isinstance(v, str) and pd.isna(v))
                else (pd.Timestamp(v).date().isoformat() if isinstance(v, pd.Timestamp) else v)
                for v in row
            ]
        )
    return buffer.getvalue()


def summary_markdown(title: str, readable: pd.DataFrame) -> str:
    """``summary.md``: readable headers, counts with their bounds, shares as percentages.

    Parameters
    ----------
    title
        The heading.
    readable
        The summary as :func:`damage_data.reconcile.readable` writes it.

    Returns
    -------
    str
        A Markdown heading and table (the ``level`` column left out).

    Examples
    --------
    >>> import pandas as pd
    >>> print(summary_markdown("Damage", pd.DataFrame({"unit_code": ["AZ-TAR"], "level": ["adm1"],
    ...                                                "destroyed": ["148"]})), end="")
    # Damage
    <BLANKLINE>
    | Code | Destroyed |
    |---|---|
    | AZ-TAR | 148 |
    """
    headers = {
        "unit_code": "Code",
        "unit_name": "Unit",
        "level": "Level",
        "settlement": "Village",
        "destroyed": "Destroyed",
        "damaged": "Damaged",
        "possibly_damaged": "Possibly damaged",
        "unsplit": "Damaged or destroyed (not split)",
        "total": "Total",
        "assessed": "Inspected",
        "residential": "Homes",
        "residential_share": "Share of homes",
        "n_sources": "Sources",
        "sources_range": "Range across sources",
        "as_of": "As of",
        "flags": "Caveats",
    }
    shown = readable.drop(columns=[c for c in ("level",) if c in readable.columns])
    shown = shown.rename(columns=headers)
    return f"# {title}\n\n" + markdown_table(shown)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    out = neutralise_formulas(frame.drop(columns=[c for c in ("geometry",) if c in frame.columns]))
    for column in out.columns:
        if str(out[column].dtype).startswith("datetime"):
            out[column] = out[column].dt.date
        elif str(out[column].dtype) == "category":
            out[column] = out[column].astype(object)
    return out.astype(object).where(out.notna(), None)


def write_xlsx(path: Path, sheets: dict[str, pd.DataFrame]) -> None:
    """A workbook a desk can use: bold frozen header, autofilter, widths, number formats.

    Parameters
    ----------
    path
        The ``.xlsx`` file; written through a temporary file beside it.
    sheets
        Sheet name → table; geometry columns are left out, text cells neutralised.

    Examples
    --------
    >>> import pathlib, tempfile, pandas as pd
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "summary.xlsx"
    >>> write_xlsx(out, {"summary": pd.DataFrame({"unit_code": ["AZ-TAR"], "destroyed": [1148]})})
    >>> sheet = pd.ExcelFile(out).parse("summary")
    >>> sheet.to_dict("list")
    {'unit_code': ['AZ-TAR'], 'destroyed': [1148]}
    """
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    tmp = path.with_name(f".{path.name}.tmp")
    with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            _plain(frame).to_excel(writer, sheet_name=name, index=False)
        for sheet in writer.sheets.values():
            sheet.freeze_panes = "A2"
            if sheet.max_row > 1 and sheet.max_column:
                sheet.auto_filter.ref = sheet.dimensions
            for idx, cells in enumerate(sheet.iter_cols(min_row=1, max_row=1), start=1):
                head = cells[0]
                head.font = Font(bold=True)
                header = str(head.value)
                values = [
                    len(str(c.value))
                    for (c,) in sheet.iter_rows(min_row=2, max_row=200, min_col=idx, max_col=idx)
                    if c.value is not None
                ]
                width = max([len(header), *values]) + 2
                limit = 60 if header in _WIDE else 30
                sheet.column_dimensions[get_column_letter(idx)].width = max(8, min(limit, width))
                number_format = None
                if header in COUNT_HEADERS:
                    number_format = COUNT_FORMAT
                elif header == "residential_share":
                    number_format = "0.0%"
                elif header in ("as_of", "published", "retrieved"):
                    number_format = "yyyy-mm-dd"
                if number_format:
                    for (cell,) in sheet.iter_rows(min_row=2, min_col=idx, max_col=idx):
                        cell.number_format = number_format
    user_mode(tmp)
    tmp.replace(path)
