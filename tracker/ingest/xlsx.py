"""Read an Excel .xlsx task-division workbook into grids of cell text, merged cells filled in.

Division tables merge cells vertically (one 板块 or 责任单位 over many task rows) and put a title
above the header. A merged range's value applies to every row it spans (written into the range's
first column on each of those rows), so each task row stands alone and names its owner; across
columns it is written once, as python-docx does for Word tables, so a title merged over six
columns is one cell, not six. The header itself is found later by `table.split_table`. Values are read as cached
results (data_only): a formula's text is never shown, and nothing in a cell is evaluated.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.errors import BadInputError
from tracker.ingest.zipcheck import check_unpacked_size

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

MAX_ROWS = 10_000
"""Rows read per sheet; a plan's table has a few hundred, and formatting can claim a million."""


def read_xlsx(path: Path) -> list[tuple[str, list[list[str]]]]:
    """Return (sheet title, grid) for each visible sheet of the workbook at `path`, uncleaned.

    Empty rows and trailing empty columns are kept out; an empty sheet gives an empty grid.
    Raises BadInputError when the file is not a readable .xlsx (encrypted, damaged, an old .xls).
    """
    # deferred: openpyxl costs ~96 ms to import; only .xlsx plans need it. Not read_only mode:
    # read-only worksheets do not expose merged ranges, and a plan's workbook is small.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    check_unpacked_size(path, fix="open it in Excel or WPS and save it again as .xlsx",
                        fix_zh="请在 Excel 或 WPS 中打开, 重新另存为 .xlsx")
    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
    # SyntaxError covers both XML parsers openpyxl may use (lxml's XMLSyntaxError, ElementTree's
    # ParseError); the others are what a damaged or foreign ZIP raises while loading.
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError,
            SyntaxError, OSError, EOFError) as error:
        raise BadInputError(
            f"{path.name} cannot be read as an Excel .xlsx workbook ({type(error).__name__}); "
            "open it in Excel or WPS and save it again as .xlsx.",
            zh=f"{path.name} 无法作为 Excel .xlsx 工作簿读取 ({type(error).__name__}); "
               "请在 Excel 或 WPS 中打开, 重新另存为 .xlsx。",
        ) from error
    try:
        return [
            (sheet.title, _grid(sheet))
            for sheet in workbook.worksheets
            if sheet.sheet_state == "visible"
        ]
    finally:
        workbook.close()


def _grid(sheet: Worksheet) -> list[list[str]]:
    """The sheet's non-empty rows as cell texts, each merged range's value on all its rows."""
    last_row = min(sheet.max_row, MAX_ROWS)
    width = sheet.max_column
    grid = [
        [_text(value) for value in row]
        for row in sheet.iter_rows(min_row=1, max_row=last_row, max_col=width, values_only=True)
    ]
    for merged in sheet.merged_cells.ranges:
        value = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= last_row else ""
        for row in range(merged.min_row, min(merged.max_row, last_row) + 1):
            grid[row - 1][merged.min_col - 1] = value
    rows = [row for row in grid if any(cell.strip() for cell in row)]
    used = max((_last_filled(row) for row in rows), default=0)
    return [row[:used] for row in rows]


def _last_filled(row: list[str]) -> int:
    for index in range(len(row), 0, -1):
        if row[index - 1].strip():
            return index
    return 0


def _text(value: object) -> str:
    """A cell value as the text a person sees: 3.0 → "3", a date → "2024-06-30", None → ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
