"""Write the XLSX inputs of the conformance cases (run by hand; the files are committed).

``python tests/semantics/make_xlsx.py`` rewrites them; the creation date is fixed so that the
same script gives the same cells and properties.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

CASES = Path(__file__).resolve().parent / "cases"
#: A fixed creation date: the workbook's properties do not change from run to run.
CREATED = dt.datetime(2024, 1, 1)


def write(path: Path, rows: list[list[object]], *, title: str = "Sheet1") -> None:
    """Save ``rows`` as the only sheet of a workbook at ``path``."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.properties.created = CREATED
    book.properties.modified = CREATED
    book.save(path)


def main() -> None:
    """Write every XLSX input."""
    # a title row above the header, and breakdown columns right of their totals (R1)
    write(
        CASES / "08_xlsx_title_row_incl_column" / "fuzuli.xlsx",
        [
            ["Damage in Fuzuli district (as of 20 November 2020)"],
            [
                "District",
                "Destroyed buildings",
                "of which houses",
                "Damaged buildings",
                "incl. houses",
            ],
            ["Fuzuli", 11, 11, 40, 30],
        ],
        title="Fuzuli",
    )
    # three villages of one district, numbers stored as numbers, one reported zero (R2, R10)
    write(
        CASES / "15_xlsx_villages" / "aghdam_villages.xlsx",
        [
            ["District", "Village", "Destroyed", "Damaged"],
            ["Aghdam", "Quzanlı", 6, 14],
            ["Aghdam", "Abdal", 2, 9],
            ["Aghdam", "Gülablı", 0, 5],
        ],
        title="Villages",
    )


if __name__ == "__main__":
    main()
