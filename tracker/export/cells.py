"""Cell makers for the ledger: text always literal (never a formula), real dates, the row ID.

Document text is data. openpyxl turns any string that starts with "=" into a formula; we set the
cell's data type back to "s" after the value, so "=HYPERLINK(…)", "+1", "-2" and "@SUM(…)" are
written as shared strings and come back from Excel, WPS and openpyxl as that very text. Characters
XML 1.0 cannot carry (control characters that sometimes ride along in web copies) are dropped,
and a text longer than Excel's 32,767-character cell limit is cut with "…" rather than refused.

The row ID ties a row of 工作台账 to a task at a version: "task_id|version|as_of" (e.g.
"12|3|2024-07-01"). It sits in a hidden, locked column; `parse_row_id` reads it back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

# Loaded only through tracker.export.write_ledger, which defers it (openpyxl costs ~96 ms).
from openpyxl.cell import WriteOnlyCell

if TYPE_CHECKING:
    from openpyxl.cell import Cell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

LEDGER_SHEET = "工作台账"
HIDDEN_SHEET = "_tracker"
"""A very hidden sheet: the marker, the export's as-of date and each row's exported texts."""
MARKER = "tracker-ledger"
"""Cell A1 of the hidden sheet, and the name of the workbook's custom document property."""
ID_HEADER = "ID"

EXCEL_CELL_LIMIT = 32767
"""Excel's maximum number of characters in one cell."""

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ROW_ID = re.compile(r"^(\d+)\|(\d+)\|(\d{4}-\d{2}-\d{2})$")


def clean_text(value: str) -> str:
    """The text as a cell can hold it: XML-illegal control characters dropped, cut at Excel's limit.

    Ordinary text (including newlines and tabs) is returned unchanged.
    """
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    if len(value) > EXCEL_CELL_LIMIT:
        value = value[: EXCEL_CELL_LIMIT - 1] + "…"
    return value


def text_cell(ws: WriteOnlyWorksheet, value: str | None, style: str) -> Cell:
    """A literal text cell with a named style; None or "" gives an empty styled cell.

    A text starting with = + - @ stays text: the data type is forced to "s" after the value.
    """
    cell = WriteOnlyCell(ws)
    if value:
        cell.value = clean_text(value)
        cell.data_type = "s"
    cell.style = style
    return cell


def value_cell(ws: WriteOnlyWorksheet, value: date | int | float | None, style: str) -> Cell:
    """A date or number cell (a real Excel date/number, not text) with a named style; None → empty."""
    cell = WriteOnlyCell(ws)
    cell.value = value
    cell.style = style
    return cell


@dataclass(frozen=True)
class RowId:
    """What the hidden ID column of 工作台账 says about its row."""

    task_id: int
    version: int
    """The task's row version when the workbook was made."""
    as_of: date
    """The as-of date of the export."""

    def __str__(self) -> str:
        return f"{self.task_id}|{self.version}|{self.as_of.isoformat()}"


def parse_row_id(value: object) -> RowId | None:
    """Read a hidden ID cell; None when the cell is empty or not one of ours (never raises)."""
    if not isinstance(value, str):
        return None
    match = _ROW_ID.match(value.strip())
    if not match:
        return None
    try:
        as_of = date.fromisoformat(match.group(3))
    except ValueError:
        return None
    return RowId(int(match.group(1)), int(match.group(2)), as_of)
