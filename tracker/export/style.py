"""The ledger's look: named styles, status fills, CJK-aware column widths, A4 landscape printing.

Styles are registered once per workbook as NamedStyles and cells refer to them by name. Measured
in the issue at 10k rows: one style object per cell 3.55 s, named styles 1.83 s; styling through
`ws[row]` is quadratic (21 s), so nothing here touches cells after they are written.

Font: 宋体 (SimSun). It ships with every Windows since XP, WPS Office bundles it on Windows and
Linux, LibreOffice maps it, and it is what 公文 and office ledgers are printed in. 等线 (DengXian),
Office 2016's default, is missing on older Windows and WPS for Linux, where the sheet would fall
back to a font with other metrics and the column widths would be wrong.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

# Loaded only through tracker.export.write_ledger, which defers it (openpyxl costs ~96 ms).
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.worksheet.properties import PageSetupProperties

from tracker.model import Status

if TYPE_CHECKING:
    from openpyxl import Workbook

Sheet: TypeAlias = Any
"""A write-only worksheet. openpyxl's stubs omit the attributes it gets from `Worksheet._setup`
(page_setup, merged_cells, auto_filter, column_dimensions…), so the sheet code types it loosely."""

FONT_NAME = "宋体"
"""One font everywhere; see the module docstring for why."""

STATUS_FILLS: dict[Status, str | None] = {
    Status.OVERDUE: "FFC7CE",     # red
    Status.DUE_SOON: "FFEB9C",    # yellow
    Status.NO_UPDATE: "FCE4D6",   # light orange: ongoing task with no note this month
    Status.ON_TRACK: None,        # plain
    Status.DONE_LATE: "E2EFDA",   # pale green
    Status.DONE: "C6EFCE",        # green
    Status.WAIVED: "D9D9D9",      # grey
}
"""Fill colour (RGB hex) of the 状态 cell per status; None = no fill."""

EDITABLE_FILL = "DDEBF7"
"""Light blue: the columns an office fills in (进展情况, 完成日期, 完成佐证) are unlocked and tinted."""

HEADER_FILL = "D9E1F2"

TITLE = "tr_title"
SUBTITLE = "tr_subtitle"
HEADING = "tr_heading"
HEADER = "tr_header"
TEXT = "tr_text"
CENTER = "tr_center"
INT = "tr_int"
PCT = "tr_pct"
DATE = "tr_date"
EDIT_TEXT = "tr_edit_text"
EDIT_DATE = "tr_edit_date"
ROW_ID = "tr_id"


def status_style(status: Status) -> str:
    """The named style of a 状态 cell for this status."""
    return f"tr_status_{status.value}"


def register_styles(wb: Workbook) -> None:
    """Add every named style the ledger uses to a (new) workbook, once."""
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name=FONT_NAME, size=10)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    unlocked = Protection(locked=False)
    edit_fill = PatternFill("solid", fgColor=EDITABLE_FILL)

    styles = [
        NamedStyle(TITLE, font=Font(name=FONT_NAME, size=16, bold=True),
                   alignment=Alignment(horizontal="center", vertical="center")),
        NamedStyle(SUBTITLE, font=Font(name=FONT_NAME, size=11),
                   alignment=Alignment(horizontal="center", vertical="center")),
        NamedStyle(HEADING, font=Font(name=FONT_NAME, size=12, bold=True)),
        NamedStyle(HEADER, font=Font(name=FONT_NAME, size=10, bold=True), border=border,
                   fill=PatternFill("solid", fgColor=HEADER_FILL), alignment=center),
        NamedStyle(TEXT, font=font, border=border, alignment=wrap_top),
        NamedStyle(CENTER, font=font, border=border, alignment=center),
        NamedStyle(INT, font=font, border=border, alignment=center, number_format="0"),
        NamedStyle(PCT, font=font, border=border, alignment=center, number_format="0.0%"),
        NamedStyle(DATE, font=font, border=border, alignment=center, number_format="yyyy-mm-dd"),
        NamedStyle(EDIT_TEXT, font=font, border=border, alignment=wrap_top, fill=edit_fill,
                   protection=unlocked),
        NamedStyle(EDIT_DATE, font=font, border=border, alignment=center, fill=edit_fill,
                   number_format="yyyy-mm-dd", protection=unlocked),
        NamedStyle(ROW_ID, font=Font(name=FONT_NAME, size=8, color="808080"), border=border),
    ]
    for status, rgb in STATUS_FILLS.items():
        fill = PatternFill("solid", fgColor=rgb) if rgb else PatternFill()
        styles.append(NamedStyle(status_style(status), font=Font(name=FONT_NAME, size=10, bold=True),
                                 border=border, alignment=center, fill=fill))
    for style in styles:
        wb.add_named_style(style)


def display_width(text: str, cap: int = 10_000) -> int:
    """Width of the text's longest line in terminal/Excel cells: CJK wide (W/F) count 2, others 1.

    Stops counting at `cap`: a 2,000-character paragraph costs no more than a `cap`-wide one.
    """
    best = 0
    for line in text.split("\n"):
        if line.isascii():
            width = len(line)
        else:
            width = 0
            for ch in line[:cap]:
                width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
                if width >= cap:
                    break
        best = max(best, width)
        if best >= cap:
            return cap
    return best


def column_widths(header: Iterable[str], sample: Iterable[Iterable[str]],
                  limits: Iterable[tuple[int, int]]) -> list[float]:
    """Excel column widths fitting the header and a sample of rows, each within (min, max) limits.

    Excel's width unit is about one Latin character of the default font; a CJK character takes
    two. Text wider than the max wraps (the text styles wrap), so long paragraphs stay readable.
    """
    limits = list(limits)
    widths = [display_width(h) + 2 for h in header]
    for row in sample:
        for i, value in enumerate(row):
            if value and i < len(widths):
                widths[i] = max(widths[i], display_width(value, cap=limits[i][1]) + 2)
    return [float(min(max(w, lo), hi)) for w, (lo, hi) in zip(widths, limits, strict=True)]


LINE_HEIGHT = 13.5
"""Points per wrapped line of 10-point 宋体 (Excel's own default for that size)."""
MAX_LINES = 12
"""A row grows to at most this many lines; longer text stays readable in the cell's editor."""


def row_height(values: Iterable[object], widths: Sequence[float]) -> float | None:
    """The height (points) a row needs so its wrapped text shows, or None for one line.

    Excel, WPS and LibreOffice keep a row at the default height unless told otherwise when a file
    is written by a program, so long 具体内容 would be cut to one line on screen and on paper.
    The estimate counts terminal cells per line (CJK = 2) against the column width, per paragraph.
    """
    lines = 1
    for value, width in zip(values, widths, strict=False):
        if not isinstance(value, str) or not value:
            continue
        usable = max(int(width) - 1, 1)
        needed = sum(max(1, -(-display_width(part, cap=usable * MAX_LINES) // usable))
                     for part in value.split("\n"))
        lines = max(lines, needed)
        if lines >= MAX_LINES:
            lines = MAX_LINES
            break
    return None if lines == 1 else lines * LINE_HEIGHT


def setup_page(ws: Sheet, *, header_row: int) -> None:
    """A4 landscape, one page wide, header rows repeated on every page, page numbers in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4 (ECMA-376 ST_PaperSize 9)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"1:{header_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页 / 共 &N 页"
    ws.oddFooter.center.font = FONT_NAME
