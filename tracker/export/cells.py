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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

# Loaded only through tracker.export.write_ledger, which defers it (openpyxl costs ~96 ms).
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles.cell_style import StyleArray

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

LEDGER_SHEET = "工作台账"
HIDDEN_SHEET = "_tracker"
"""A very hidden sheet: the marker, the export's as-of date and each row's exported texts."""
MARKER = "tracker-ledger"
"""Cell A1 of the hidden sheet, and the name of the workbook's custom document property."""
ID_HEADER = "ID"
PLAN_KEY = "plan"
"""First cell of a hidden-sheet row recording one exported plan: plan | id | origin | title."""

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


class CellMaker:
    """Makes styled write-only cells for one worksheet, fast.

    openpyxl's `cell.style = "name"` looks the named style up by a linear scan and
    `cell.value = v` re-infers the type, per cell: together two thirds of the time of a 10k-row
    ledger. The maker looks each named style's array up once and sets the value and its type
    directly, as `Cell._bind_value` would (openpyxl 3.1's `_value`/`_style`). Strings are
    always type "s": a text starting with = + - @ is written as text, never as a formula.

    It also takes over placing the sheet's rows: openpyxl's `_values_to_row` first tries each
    appended item as a plain value, and for a cell object that costs a raised ValueError whose
    message formats the cell's repr — 40% of the remaining time. Every row appended to a sheet
    with a maker must be a list of cells (or None for a gap).
    """

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self.ws = ws
        wb: Any = ws.parent
        self._arrays: dict[str, StyleArray] = {s.name: s.as_tuple() for s in wb._named_styles}
        sheet: Any = ws
        sheet._values_to_row = _place_cells

    def _cell(self, style: str) -> Cell:
        # Built without Cell.__init__ (which binds a value we then overwrite), and all cells of
        # one style share one StyleArray: a write-only cell is written once and never restyled.
        cell: Any = Cell.__new__(Cell)
        cell.parent = self.ws
        cell.row = cell.column = 1
        cell._value = cell._hyperlink = cell._comment = None
        cell.data_type = "n"
        try:
            cell._style = self._arrays[style]
        except KeyError:
            raise KeyError(f"no named style {style!r} in this workbook") from None
        return cast("Cell", cell)

    def text(self, value: str | None, style: str) -> Cell:
        """A literal text cell; None or "" gives an empty styled cell."""
        cell: Any = self._cell(style)
        if value:
            cell._value = clean_text(value)
            cell.data_type = "s"
        return cast("Cell", cell)

    def value(self, value: date | int | float | None, style: str) -> Cell:
        """A real date or number cell (the style carries the number format); None → empty."""
        cell: Any = self._cell(style)
        if value is not None:
            if isinstance(value, bool):
                value = int(value)
            cell._value = value
            cell.data_type = "d" if isinstance(value, date) else "n"
        return cast("Cell", cell)

    def cell(self, value: str | date | int | float | None, style: str) -> Cell:
        """`text` for strings and None, `value` for dates and numbers."""
        if value is None or isinstance(value, str):
            return self.text(value, style)
        return self.value(value, style)


def _place_cells(cells: Iterable[Cell | None], row_idx: int) -> Iterator[Cell]:
    """Give each cell of an appended row its coordinates (stands in for `_values_to_row`)."""
    for col_idx, cell in enumerate(cells, 1):
        if cell is not None:
            cell.column = col_idx
            cell.row = row_idx
            yield cell


def text_cell(ws: WriteOnlyWorksheet, value: str | None, style: str) -> Cell:
    """A literal text cell with a named style (the slow, public-API way; for a few cells).

    A text starting with = + - @ stays text: the data type is forced to "s" after the value.
    """
    cell = WriteOnlyCell(ws)
    if value:
        cell.value = clean_text(value)
        cell.data_type = "s"
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
