"""One function per sheet of the ledger: 汇总 · 督办通报 · 工作台账 · 逾期事项 · 临期事项 · 本月完成.

Every sheet is a write-only worksheet (25 MB at 100k rows instead of 577 MB): column widths,
freeze panes and print setup are set before the first row, merged ranges and the auto-filter
after the last. Table sheets share one layout — row 1 the merged title, row 2 the merged
"截至…" line, row 3 the header (frozen, filtered, repeated on every printed page), data from row 4.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import TYPE_CHECKING

# Loaded only through tracker.export.write_ledger, which defers it (openpyxl costs ~96 ms).
from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter

from tracker.export import style
from tracker.export.cells import (
    HIDDEN_SHEET,
    ID_HEADER,
    LEDGER_SHEET,
    MARKER,
    PLAN_KEY,
    CellMaker,
    RowId,
    text_cell,
)
from tracker.export.data import (
    LedgerData,
    by_group,
    due_ahead_items,
    evidence_text,
    md,
    month_completions,
    newly_overdue,
    overdue_items,
    progress_text,
    ranked_owners,
    remarks_text,
    responsible,
    rule_lookup,
    rule_text,
    task_label,
    task_tally,
)
from tracker.i18n import status_label
from tracker.model import ObligationView, Status, TaskView

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell import Cell

    from tracker.export.style import Sheet

Value = str | date | int | float | None
Row = Sequence[tuple[Value, str]]
"""A row as (value, named style) pairs; str values become literal text cells."""

HEADER_ROW = 3
WIDTH_SAMPLE = 500
"""Column widths are fitted to the header and the first rows (the rest wrap), so a 100k-row
ledger is written in one streaming pass."""

EDITABLE_HEADERS = ("进展情况", "完成日期", "完成佐证")


@dataclass(frozen=True)
class Column:
    """A table column: its header and the width range it may take."""

    header: str
    min_width: int = 8
    max_width: int = 30


def as_of_line(data: LedgerData, extra: str = "") -> str:
    """The sheet's second line: "截至2024年10月31日", with the unit when the ledger is one unit's."""
    text = f"截至{data.as_of.year}年{data.as_of.month}月{data.as_of.day}日"
    if data.owner:
        text += f"  责任单位:{data.owner}"
    return text + (f"  {extra}" if extra else "")


def _cells(make: CellMaker, row: Row) -> list[Cell]:
    return [make.cell(value, st) for value, st in row]


def _title_rows(ws: Sheet, title: str, subtitle: str, ncols: int) -> None:
    last = get_column_letter(ncols)
    ws.row_dimensions[1].height = 30
    ws.append([text_cell(ws, title, style.TITLE)])
    ws.append([text_cell(ws, subtitle, style.SUBTITLE)])
    ws.merged_cells.add(f"A1:{last}1")
    ws.merged_cells.add(f"A2:{last}2")


def write_table(ws: Sheet, *, title: str, subtitle: str, columns: Sequence[Column],
                rows: Iterable[Row], empty: str = "无", hidden: Sequence[int] = ()) -> int:
    """Write a titled, filtered, print-ready table; return the number of data rows written.

    No rows is not an error: one row saying `empty` is written under the header. `hidden` are
    0-based column positions to hide (the ID column).
    """
    it = iter(rows)
    sample = list(islice(it, WIDTH_SAMPLE))
    widths = style.column_widths(
        (c.header for c in columns),
        ([v if isinstance(v, str) else "" for v, _ in row] for row in sample),
        ((c.min_width, c.max_width) for c in columns))
    for i, width in enumerate(widths, 1):
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = width
        if i - 1 in hidden:
            dim.hidden = True
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    style.setup_page(ws, header_row=HEADER_ROW)
    _title_rows(ws, title, subtitle, len(columns) - len(hidden))
    ws.append([text_cell(ws, c.header, style.HEADER) for c in columns])
    count = 0
    make = CellMaker(ws)
    for row in _chain(sample, it):
        height = style.row_height((value for value, _ in row), widths)
        if height is not None:  # must be set before the row is streamed out (write-only mode)
            ws.row_dimensions[HEADER_ROW + count + 1].height = height
        ws.append(_cells(make, row))
        count += 1
    if not count:
        ws.append([text_cell(ws, empty, style.TEXT)])
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(count, 1)}"
    return count


def _chain(first: list[Row], rest: Iterator[Row]) -> Iterator[Row]:
    yield from first
    yield from rest


# ---------------------------------------------------------------------------------------------
# 工作台账
# ---------------------------------------------------------------------------------------------

LEDGER_COLUMNS = (
    Column("序号", 6, 10), Column("板块", 10, 20), Column("工作任务", 14, 30),
    Column("具体内容", 30, 60), Column("规则/时限", 20, 36), Column("牵头单位", 10, 20),
    Column("配合单位", 10, 24), Column("应完成", 7, 8), Column("已完成", 7, 8),
    Column("下次到期", 11, 12), Column("状态", 9, 10), Column("进展情况", 20, 40),
    Column("完成日期", 11, 12), Column("完成佐证", 16, 30), Column("备注", 10, 24),
    Column(ID_HEADER, 14, 18),
)


def ledger_row(task: TaskView, data: LedgerData, multi: bool) -> Row:
    """One 工作台账 row: the task, its rules with progress, status, notes of the month, hidden ID."""
    tally = task_tally(task, data.as_of)
    row_id = RowId(task.task_id, task.version, data.as_of)
    return (
        (task_label(task, multi), style.CENTER), (task.section, style.TEXT),
        (task.title, style.TEXT), (task.text, style.TEXT), (rule_text(task, data.as_of), style.TEXT),
        ("、".join(task.lead), style.TEXT), ("、".join(task.support), style.TEXT),
        (tally.due, style.INT), (tally.done, style.INT), (task.next_due, style.DATE),
        (status_label(task.status), style.status_style(task.status)),
        (progress_text(data.notes.get(task.task_id, ())), style.EDIT_TEXT),
        (None, style.EDIT_DATE), (evidence_text(task), style.EDIT_TEXT),
        (remarks_text(task), style.TEXT), (str(row_id), style.ROW_ID),
    )


def ledger_sheet(wb: Workbook, data: LedgerData) -> None:
    """工作台账: one row per task; 进展情况/完成日期/完成佐证 unlocked, the ID column hidden and locked."""
    ws = wb.create_sheet(LEDGER_SHEET)
    multi = data.multi_plan
    extra = "请在蓝色列填写进展情况、完成日期、完成佐证后交回" if data.fillable else ""
    write_table(ws, title=f"{data.title} 工作台账", subtitle=as_of_line(data, extra),
                columns=LEDGER_COLUMNS, rows=(ledger_row(t, data, multi) for t in data.tasks),
                empty="无任务", hidden=(len(LEDGER_COLUMNS) - 1,))
    # Protected without a password: against slips, not against intent. Filtering, sorting and row
    # heights stay allowed; column formatting stays blocked so the ID column cannot be unhidden.
    prot = ws.protection
    prot.sheet = True
    prot.autoFilter = False
    prot.sort = False
    prot.formatRows = False


def hidden_sheet(wb: Workbook, data: LedgerData) -> None:
    """_tracker (very hidden): the marker, the export's as-of date, its plans and the rows' texts.

    import-progress compares a returned row with what was exported, so only what an office
    changed is applied; a workbook without this sheet is known not to be ours. Each plan the rows
    come from is one "plan | id | origin | title" row, so a workbook brought to another database
    (where plan 1 is another plan, or the same document imported anew) is refused whole instead
    of being applied to whatever tasks carry its ids there. Only tasks whose editable cells were
    exported non-empty are listed (the others were empty).
    """
    ws = wb.create_sheet(HIDDEN_SHEET)
    ws.sheet_state = "veryHidden"
    make = CellMaker(ws)
    plain = "Normal"
    for key, value in ((MARKER, "1"), ("as_of", data.as_of.isoformat()), ("owner", data.owner or ""),
                       ("fillable", "1" if data.fillable else "0")):
        ws.append([make.text(key, plain), make.text(value, plain)])
    for stamp in data.plans.values():
        ws.append([make.text(PLAN_KEY, plain), make.value(stamp.plan_id, plain),
                   make.text(stamp.origin, plain), make.text(stamp.title, plain)])
    ws.append([make.text(h, plain) for h in ("task_id", "version", "进展情况", "完成佐证")])
    for task in data.tasks:
        progress = progress_text(data.notes.get(task.task_id, ()))
        evidence = evidence_text(task)
        if progress or evidence:
            ws.append([make.value(task.task_id, plain), make.value(task.version, plain),
                       make.text(progress, plain), make.text(evidence, plain)])


# ---------------------------------------------------------------------------------------------
# 逾期事项 · 临期事项 · 本月完成
# ---------------------------------------------------------------------------------------------

ITEM_COLUMNS = (Column("序号", 6, 8), Column("任务编号", 8, 10), Column("工作任务", 16, 36),
                Column("规则/时限", 14, 30), Column("责任单位", 10, 24), Column("应完成日期", 11, 12))


def _item_head(task: TaskView, ob: ObligationView, i: int, multi: bool) -> list[tuple[Value, str]]:
    return [(i, style.INT), (task_label(task, multi), style.CENTER), (task.title, style.TEXT),
            (rule_lookup(task).get(ob.rule_index, ""), style.TEXT),
            ("、".join(responsible(task, ob)), style.TEXT), (ob.due, style.DATE)]


def overdue_rows(data: LedgerData) -> list[Row]:
    """逾期事项 rows: each overdue obligation, oldest first, days late and the latest note."""
    overdue = style.status_style(Status.OVERDUE)
    multi = data.multi_plan
    return [(*_item_head(task, ob, i, multi), ((data.as_of - ob.due).days if ob.due else None, overdue),
             (task.last_note or "", style.TEXT))
            for i, (task, ob) in enumerate(overdue_items(data), 1)]


def due_soon_rows(data: LedgerData) -> list[Row]:
    """临期事项 rows: open obligations due in the next 30 calendar days, soonest first."""
    multi = data.multi_plan
    return [(*_item_head(task, ob, i, multi), ((ob.due - data.as_of).days if ob.due else None, style.INT),
             (status_label(ob.status), style.status_style(ob.status)))
            for i, (task, ob) in enumerate(due_ahead_items(data), 1)]


def done_rows(data: LedgerData) -> list[Row]:
    """本月完成 rows: obligations done within the as-of month, with dates and evidence."""
    multi = data.multi_plan
    return [(*_item_head(task, ob, i, multi), (ob.done_on, style.DATE),
             (status_label(ob.status), style.status_style(ob.status)), (ob.evidence or "", style.TEXT))
            for i, (task, ob) in enumerate(month_completions(data), 1)]


def overdue_sheet(wb: Workbook, data: LedgerData) -> None:
    """逾期事项: each overdue obligation, oldest first, with days late and the latest note."""
    columns = (*ITEM_COLUMNS, Column("逾期天数", 9, 10), Column("最新进展", 20, 40))
    write_table(wb.create_sheet("逾期事项"), title=f"{data.title} 逾期事项", subtitle=as_of_line(data),
                columns=columns, rows=overdue_rows(data), empty="无逾期事项")


def due_soon_sheet(wb: Workbook, data: LedgerData) -> None:
    """临期事项: open obligations due in the next 30 calendar days, soonest first."""
    columns = (*ITEM_COLUMNS, Column("剩余天数", 9, 10), Column("状态", 9, 10))
    write_table(wb.create_sheet("临期事项"), title=f"{data.title} 临期事项(30天内到期)",
                subtitle=as_of_line(data), columns=columns, rows=due_soon_rows(data),
                empty="30天内无到期事项")


def done_sheet(wb: Workbook, data: LedgerData) -> None:
    """本月完成: obligations done within the as-of month, with dates and evidence."""
    columns = (*ITEM_COLUMNS, Column("完成日期", 11, 12), Column("完成情况", 9, 10),
               Column("完成佐证", 16, 40))
    month = f"{data.as_of.year}年{data.as_of.month}月"
    write_table(wb.create_sheet("本月完成"), title=f"{data.title} 本月完成({month})",
                subtitle=as_of_line(data), columns=columns, rows=done_rows(data), empty="本月无完成事项")


# ---------------------------------------------------------------------------------------------
# 督办通报 · 汇总
# ---------------------------------------------------------------------------------------------


def supervision_sheet(wb: Workbook, data: LedgerData) -> None:
    """督办通报: per unit, tasks held, done on time / late, overdue now, on-time rate — worst first."""
    ws = wb.create_sheet("督办通报")
    columns = (Column("排名", 6, 6), Column("责任单位", 14, 30), Column("牵头任务", 9, 10),
               Column("配合任务", 9, 10), Column("按时完成", 9, 10), Column("逾期完成", 9, 10),
               Column("当前逾期", 9, 10), Column("按时完成率", 11, 12))
    overdue = style.status_style(Status.OVERDUE)
    rows = []
    for rank, (name, t) in enumerate(ranked_owners(data), 1):
        rows.append(((rank, style.INT), (name, style.TEXT), (t.tasks, style.INT), (t.support, style.INT),
                     (t.on_time, style.INT), (t.late, style.INT),
                     (t.overdue, overdue if t.overdue else style.INT), (t.on_time_rate, style.PCT)))
    write_table(ws, title=f"{data.title} 督办通报", columns=columns, rows=rows, empty="无责任单位",
                subtitle=as_of_line(data, "按当前逾期事项多少、按时完成率高低排序"))


def summary_sheet(wb: Workbook, data: LedgerData) -> None:
    """汇总: counts per status, completion per section and per unit, the month's changes, a chart."""
    ws = wb.create_sheet("汇总")
    for letter, width in zip("ABCDEFG", (36, 10, 10, 10, 10, 10, 10), strict=True):
        ws.column_dimensions[letter].width = width
    style.setup_page(ws, header_row=2)
    _title_rows(ws, f"{data.title} 工作台账", as_of_line(data), 7)
    row = 2
    make = CellMaker(ws)

    def put(values: Row) -> None:
        nonlocal row
        ws.append(_cells(make, values))
        row += 1

    def heading(text: str) -> None:
        put(())
        put(((text, style.HEADING),))

    heading("一、任务状态")
    put((("状态", style.HEADER), ("任务数", style.HEADER), ("占比", style.HEADER)))
    total = len(data.tasks)
    for status in Status:
        n = sum(1 for t in data.tasks if t.status is status)
        put(((status_label(status), style.status_style(status)), (n, style.INT),
             (n / total if total else None, style.PCT)))
    put((("合计", style.CENTER), (total, style.INT), (1.0 if total else None, style.PCT)))

    group_head = "计划" if data.multi_plan else "板块"
    heading(f"二、各{group_head}完成情况")
    tally_head = ("应完成", "已完成", "完成率", "逾期", "临期")
    put(((group_head, style.HEADER), ("任务数", style.HEADER), *((h, style.HEADER) for h in tally_head)))
    first_group = row + 1
    for name, t in by_group(data).items():
        put(((name, style.TEXT), (t.tasks, style.INT), (t.due, style.INT), (t.done, style.INT),
             (t.rate, style.PCT), (t.overdue, style.INT), (t.due_soon, style.INT)))
    last_group = row

    heading("三、各责任单位完成情况")
    put((("责任单位", style.HEADER), ("牵头任务", style.HEADER), *((h, style.HEADER) for h in tally_head)))
    for name, o in sorted(ranked_owners(data)):
        put(((name, style.TEXT), (o.tasks, style.INT), (o.due, style.INT), (o.done, style.INT),
             (o.rate, style.PCT), (o.overdue, style.INT), (o.due_soon, style.INT)))

    heading(f"四、本月变化({data.as_of.month}月{data.month_start.day}日至{md(data.as_of, data.as_of)})")
    notes = sum(len(n) for n in data.notes.values())
    for label, n in (("本月完成事项", len(month_completions(data))), ("本月新增逾期事项", newly_overdue(data)),
                     ("本月报送进展(条)", notes), ("30天内到期事项", len(due_ahead_items(data)))):
        put(((label, style.TEXT), (n, style.INT)))

    if last_group >= first_group:
        _group_chart(ws, first_group, last_group, group_head)


def _group_chart(ws: Sheet, first: int, last: int, group_head: str) -> None:
    chart = BarChart()
    chart.type = "col"
    chart.title = f"各{group_head}已完成/临期/逾期事项"
    chart.y_axis.title = "事项数"
    chart.height = 9
    chart.width = 18
    for col in (4, 7, 6):  # 已完成, 临期, 逾期
        chart.add_data(Reference(ws, min_col=col, min_row=first - 1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    for series, rgb in zip(chart.series, ("70AD47", "FFC000", "C00000"), strict=True):
        series.graphicalProperties.solidFill = rgb
        series.graphicalProperties.line.solidFill = rgb
    ws.add_chart(chart, "I4")
