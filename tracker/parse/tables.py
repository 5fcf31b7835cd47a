"""Task-division tables (任务分工表 / 工作台账): each row under a recognised header row is a task.

Tables reach the parser as pipe lines ("1 | 推进政策解读 | 文件发布后3个工作日内… | 局办公室 | 长期坚持"),
from .xlsx/.docx through tracker.ingest or from web copies. The header row is found wherever it
is: a pipe line with at least two known column names, one of them a task column (工作任务 / 任务内容
/ 具体要求 / 工作措施 …). Rows follow until the first line that is not a pipe line. A row with a
single non-empty cell ("一、提高公开质量") opens a section; so does a change in a 板块/类别 column.
An empty 板块 cell continues the section above (a merged cell copied from a web page arrives empty
below its first row). Empty owner cells stay empty: tracker.ingest already copies merged .xlsx and
.docx cells into every row, and an owner copied down by guess would be worse than none.
"""

from __future__ import annotations

import re

from tracker.model import SectionDraft
from tracker.notes import Note
from tracker.parse.numerals import to_chinese, to_int
from tracker.parse.outline import (
    COLONS,
    DATE_AHEAD,
    Outline,
    RawTask,
    is_table_line,
    lead_phrase,
    split_cells,
    trim,
)

_COLUMNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("number", re.compile(r"^(?:序号|编号|序)$")),
    ("deadline", re.compile(r"时限|完成时间|时间节点|时间安排|进度安排|完成期限")),
    ("support", re.compile(r"配合|协办|参与单位|协助")),
    ("lead", re.compile(r"牵头|责任单位|责任部门|责任科室|责任处室|主责|责任主体|承办单位|实施主体|责任人")),
    ("section", re.compile(r"^(?:板块|类别|工作类别|项目类别|领域|重点领域|一级指标|分类|工作板块|类型)$")),
    ("title", re.compile(r"^(?:工作任务|重点任务|任务名称|主要任务|工作事项|事项名称|工作项目|任务|公开事项|重点工作)$")),
    ("body", re.compile(r"具体要求|任务内容|工作内容|具体任务|工作措施|主要内容|工作要求|具体措施|目标要求|"
                        r"具体内容|任务要求|工作目标|具体事项|公开内容|工作举措|具体举措|主要措施|"
                        r"^(?:措施|举措|内容|要求|事项)$")),
)


_SECTION_CELL = re.compile(r"^([一二三四五六七八九十]{1,3})[、.\uff0e]\s*")
_ITEM_CELL = re.compile(rf"^(\d+)(?:[.\uff0e、]\s*(?=\D)|[.\uff0e](?={DATE_AHEAD}))")
"""A number printed in a text cell ("5.聚焦…", "2.12月底前…" before a date as in the outline);
one of 4+ digits only when it is the row's own number (its 序号 cell, or its place in the table:
row 1000 of a long 台账), so "2024、2025年…" keeps its year."""


MAX_COLUMNS = 60
"""A task table has a dozen columns; a pipe line of more cells is no header (and checking each of
300,000 cells against every column name took 2 s on a hostile line)."""


_CELL_NAME_MAX = 8
"""A column name copied one cell per line is a short line (序号, 工作任务, 牵头单位, 完成时限 …)."""
_ROW_NUMBER = re.compile(r"^(\d{1,4})[.\uff0e、]?$")


def join_cell_lines(text: str) -> tuple[str, list[Note]]:
    """Task-division tables copied one cell per line, rewritten as pipe rows for `read_tables`.

    A web copy of a table often gives each cell its own line, with a blank line after each row
    (the "cell |" lines and "|" row ends of the 2019 seed's tables, as tracker.ingest cleans
    them) or none. Such a table is recognised by its header — three or more consecutive short
    lines that are column names (序号 / 板块 / 工作任务 / 具体要求 / 牵头单位 …) and make a task
    header — and read only when its first column is 序号: each row starts at the line holding the
    next number (1, 2, 3 …) and runs to a blank line, the next number, a section heading ("三、…")
    outside the 板块 column, or the header's width. A row
    one cell short whose 板块 cell does not read like a section ("一、…") lacks that (merged) cell.
    A header without a 序号 column, or with no row under it, is left as text with a warning: its
    rows cannot be told apart reliably, and a guessed row would invent a task.
    """
    if "\n" not in text:
        return text, []
    lines = text.split("\n")
    out: list[str] = []
    warnings: list[Note] = []
    index = 0
    while index < len(lines):
        names = _cell_header(lines, index)
        roles = _roles(names) if names else None
        if roles is None:
            out.append(lines[index])
            index += 1
            continue
        end = index + len(names)
        rows, after = _cell_rows(lines, end, len(names), roles) if roles.get("number") == 0 else ([], end)
        if not rows:
            numbered = roles.get("number") == 0
            warnings.append(Note(
                f"a task table copied one cell per line ({' / '.join(names)}) was not read: "
                + ("no numbered row follows its header" if numbered
                   else "its rows could not be told apart (no 序号 column)")
                + "; import the .docx/.xlsx, or copy it with | between cells",
                f"一张逐格分行复制的任务表 ({' / '.join(names)}) 未读取: "
                + ("表头下没有带序号的行" if numbered else "无法区分各行 (没有“序号”列)")
                + "; 请导入 .docx/.xlsx 原件, 或复制时用 | 分隔单元格。"))
            out.extend(lines[index:end])
            index = end
            continue
        out.append(" | ".join(names))
        out.extend(" | ".join(cells) for cells in rows)
        index = after
    return "\n".join(out), warnings


def _is_cell_name(line: str) -> bool:
    name = line.strip()
    return (0 < len(name) <= _CELL_NAME_MAX and "|" not in name
            and any(pattern.search(name) for _, pattern in _COLUMNS))


def _cell_header(lines: list[str], index: int) -> list[str]:
    """The column names one per line starting at `index` (at least three), else []."""
    if not _is_cell_name(lines[index]) or (index and _is_cell_name(lines[index - 1])):
        return []
    end = index
    while end < len(lines) and end - index < MAX_COLUMNS and _is_cell_name(lines[end]):
        end += 1
    return [line.strip() for line in lines[index:end]] if end - index >= 3 else []


def _cell_rows(lines: list[str], at: int, width: int, roles: dict[str, int]) -> tuple[list[list[str]], int]:
    """The rows of a one-cell-per-line table whose first column is 序号; and the index after them."""
    rows: list[list[str]] = []
    section_at = roles.get("section")
    while True:
        start = at
        while start < len(lines) and not lines[start].strip():
            start += 1
        number = _ROW_NUMBER.match(lines[start].strip()) if start < len(lines) else None
        if number is None or int(number.group(1)) != len(rows) + 1:
            return rows, at
        cells = [number.group(1)]
        end = start + 1
        while end < len(lines) and len(cells) < width:
            cell = lines[end].strip()
            following = _ROW_NUMBER.match(cell)
            if not cell or (following and int(following.group(1)) == len(rows) + 2):
                break
            if _SECTION_CELL.match(cell) and len(cells) != section_at:
                break  # "三、保障措施" after the last row: the text goes on, not this row
            cells.append(cell)
            end += 1
        if len(cells) < 2:
            return rows, at
        if (section_at is not None and len(cells) < width and section_at < len(cells)
                and not _SECTION_CELL.match(cells[section_at])):
            cells.insert(section_at, "")  # the merged 板块 cell is given on its first row only
        rows.append(cells)
        at = end


def _roles(cells: list[str]) -> dict[str, int] | None:
    """Map column roles to indexes if these cells are a task-table header; None otherwise."""
    if len(cells) > MAX_COLUMNS:
        return None
    roles: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = trim(re.sub(r"\s+", "", cell), COLONS, left=False)
        for role, pattern in _COLUMNS:
            if role not in roles and pattern.search(name):
                roles[role] = index
                break
    if len(roles) < 2 or not ({"title", "body"} & roles.keys()):
        return None
    return roles


def read_tables(text: str) -> Outline | None:
    """The tasks of the document's task-division table(s); None when it has no such table."""
    lines = [line.strip() for line in text.split("\n")]
    outline = Outline()
    found = False
    index = 0
    while index < len(lines):
        roles = _roles(split_cells(lines[index])) if is_table_line(lines[index]) else None
        if roles is None:
            index += 1
            continue
        found = True
        index = _read_rows(lines, index + 1, roles, outline)
    if not found:
        return None
    if not outline.tasks:
        outline.warnings.append(Note("a task table header was found but no rows under it",
                                     "找到了任务表的表头, 但表头下没有任何行。"))
    return outline


def _cell(cells: list[str], roles: dict[str, int], role: str) -> str:
    index = roles.get(role)
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _read_rows(lines: list[str], index: int, roles: dict[str, int], outline: Outline) -> int:
    """Read rows from `index` until the table ends; return the index after it.

    Web copies of tables with a merged first column ("一、做好财政信息公开。" spanning three rows)
    give the first row all its cells and the next rows one cell fewer: once the first column is
    seen to hold section headings, a short row is read as missing that column.
    """
    width = max(roles.values()) + 1
    section_at = roles.get("section")
    row_number = 0
    while index < len(lines) and (not lines[index] or "|" in lines[index]):
        cells = split_cells(lines[index])
        index += 1
        filled = [cell for cell in cells if cell]
        if not filled:
            continue
        if len(filled) == 1 and len(cells) == 1:
            _open_section(filled[0], outline)
            continue
        if section_at is None and _SECTION_CELL.match(cells[0]):
            section_at = 0
        if section_at == 0 and len(cells) < width:
            cells = [""] * (width - len(cells)) + cells
        # else a short row is read left to right, its missing cells empty: tracker.ingest drops a
        # row's empty trailing cells (an empty 配合单位 or 完成时限 column), so a short row is the
        # common, harmless case, and a warning on it was noise on most real tables.
        opened = False
        if section_at is not None and section_at < len(cells) and cells[section_at]:
            title = _strip_marker(cells[section_at])
            if not outline.sections or outline.sections[-1].title != title:
                _open_section(cells[section_at], outline)
                opened = True
        row_number += 1
        task = _row_task(cells, roles, row_number, outline, skip=section_at)
        if task is not None:
            outline.tasks.append(task)
        elif not opened:
            row = " | ".join(filled)[:60]
            outline.warnings.append(Note(f"a table row has no task text in its task columns and was "
                                         f"not read as a task: {row}",
                                         f"表格中有一行的任务列没有内容, 未作为任务读取: {row}"))
    return index


def _strip_marker(text: str) -> str:
    return _SECTION_CELL.sub("", text).strip().rstrip("。")


def _open_section(text: str, outline: Outline) -> None:
    match = _SECTION_CELL.match(text)
    number = match.group(1) if match else to_chinese(len(outline.sections) + 1)
    outline.sections.append(SectionDraft(number, _strip_marker(text)))


def _row_task(cells: list[str], roles: dict[str, int], row_number: int, outline: Outline, *,
              skip: int | None) -> RawTask | None:
    """The row as a task; the column at `skip` holds sections, not text of the task."""
    title = _cell(cells, roles, "title") if roles.get("title") != skip else ""
    body = _cell(cells, roles, "body")
    if not title and not body:
        return None
    number = trim(_cell(cells, roles, "number"), ".\uff0e、 ")
    printed = _ITEM_CELL.match(title or body)
    if printed and len(printed.group(1)) > 3 and printed.group(1) not in (number, str(row_number)):
        printed = None
    if printed:  # "5.聚焦…": the number is printed in the text cell
        if title:
            title = title[printed.end():]
        else:
            body = body[printed.end():]
    if not number or to_int(number) is None:
        number = printed.group(1) if printed else str(row_number)
    parts = [p.rstrip("。") for p in (title, body) if p]
    deadline = _cell(cells, roles, "deadline")
    if deadline:
        parts.append(f"完成时限:{deadline}")
    text = "。".join(parts) + "。"
    section = (outline.sections[-1].number,) if outline.sections else ()
    return RawTask(number, (*section, number), text, title.rstrip("。") or lead_phrase(body),
                   owner_cells=(_cell(cells, roles, "lead"), _cell(cells, roles, "support")))
