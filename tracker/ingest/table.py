"""Recognise a task-division table (任务分工表) in a grid of cells and put its columns in one order.

Offices publish the plan's division of work as a table whose header sits wherever the author put
it (under a title row or two), names its columns in a dozen ways (责任单位 / 责任科室 / 牵头部门 …)
and sometimes spans two rows (责任单位 over 牵头 | 配合). This module finds that header and
maps every row to `TABLE_COLUMNS`, so the parser meets one shape whatever the source (xlsx, docx).
Pure: cells in (already cleaned text), tuples out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

TABLE_COLUMNS: tuple[str, ...] = (
    "序号",
    "板块",
    "工作任务",
    "具体要求",
    "牵头单位",
    "责任单位",
    "配合单位",
    "完成时限",
    "备注",
)
"""The canonical columns of `SourceText.rows`: number, section, task, requirement, lead owner,
owner, supporting owner, deadline, remark. Every row has exactly these, "" where absent."""

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "序号": ("序号", "编号", "序"),
    "板块": ("板块", "工作板块", "类别", "分类", "领域", "重点领域", "项目类别", "事项类别", "栏目"),
    "工作任务": ("工作任务", "重点任务", "主要任务", "任务名称", "工作事项", "公开事项", "任务"),
    "具体要求": (
        "具体要求", "任务内容", "工作内容", "具体内容", "主要内容", "工作措施", "具体措施",
        "工作要求", "任务要求", "公开内容", "目标要求", "要求",
    ),
    "牵头单位": ("牵头单位", "牵头部门", "牵头科室", "牵头处室", "牵头股室", "牵头"),
    "责任单位": (
        "责任单位", "责任部门", "责任科室", "责任处室", "责任股室", "承办单位", "负责单位",
        "主办单位", "责任主体",
    ),
    "配合单位": ("配合单位", "配合部门", "配合科室", "配合处室", "协办单位", "参与单位", "配合"),
    "完成时限": (
        "完成时限", "完成时间", "完成期限", "时间节点", "时限要求", "进度安排", "时间安排", "时限",
    ),
    "备注": ("备注",),
}
_TASK_COLUMNS = frozenset({"工作任务", "具体要求", "牵头单位", "责任单位"})
_BY_LENGTH: tuple[tuple[str, str], ...] = tuple(
    sorted(
        ((synonym, column) for column, names in _SYNONYMS.items() for synonym in names),
        key=lambda pair: -len(pair[0]),
    )
)
_HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class Table:
    """A grid split at its header: rows above it, the header, the body, and the canonical rows."""

    before: tuple[tuple[str, ...], ...]
    """Rows above the header (a title, a date line), as they were."""
    header: tuple[str, ...]
    """The header cells as written in the document."""
    body: tuple[tuple[str, ...], ...]
    """The data rows as written (empty rows and repeated headers dropped)."""
    rows: tuple[tuple[str, ...], ...]
    """`TABLE_COLUMNS` first, then one tuple per body row in that column order."""


def column_of(cell: str) -> str | None:
    """The canonical column a header cell names ("责任科室" → "责任单位"), or None.

    Spaces, line breaks and bracketed notes are ignored ("责任 单位（科室）" → "责任单位"). A cell
    longer than 12 characters is data, not a header.
    """
    name = "".join(cell.split())
    for bracket in ("\uff08", "(", "["):
        name = name.split(bracket, 1)[0]
    if not name or len(name) > 12:
        return None
    for synonym, column in _BY_LENGTH:
        if name == synonym or (len(synonym) >= 2 and name.startswith(synonym)):
            return column
    return None


def split_table(grid: Sequence[Sequence[str]]) -> Table | None:
    """Find the task-division header in `grid` and normalise the rows below it.

    A header is the first row (within the first 30) naming at least two different canonical
    columns, one of them a task or owner column. A two-row header (责任单位 spanning 牵头/配合)
    is merged. Returns None when no row qualifies — the grid is then not a task table, not an error.
    """
    cleaned = [tuple(cell.strip() for cell in row) for row in grid]
    for index, row in enumerate(cleaned[:_HEADER_SEARCH_ROWS]):
        columns = [column_of(cell) for cell in row]
        if not _is_header(columns):
            continue
        start = index + 1
        if start < len(cleaned):
            below = [column_of(cell) for cell in cleaned[start]]
            if _is_header(below) or _refines(columns, below):
                columns = [low or high for high, low in zip(columns, below, strict=False)]
                columns += [None] * (len(row) - len(columns))
                start += 1
        body = tuple(
            r for r in cleaned[start:] if any(r) and r != row and [column_of(c) for c in r] != columns
        )
        canonical = tuple(_canonical(r, columns) for r in body)
        before = tuple(r for r in cleaned[:index] if any(r))
        return Table(before, row, body, (TABLE_COLUMNS, *canonical))
    return None


def _is_header(columns: Sequence[str | None]) -> bool:
    named = {column for column in columns if column}
    return len(named) >= 2 and not named.isdisjoint(_TASK_COLUMNS)


def _refines(above: Sequence[str | None], below: Sequence[str | None]) -> bool:
    """True when `below` names owner sub-columns under a spanning owner heading."""
    owners = {"牵头单位", "配合单位", "责任单位"}
    return any(
        low in owners and high in owners and low != high
        for high, low in zip(above, below, strict=False)
    )


def _canonical(row: Sequence[str], columns: Sequence[str | None]) -> tuple[str, ...]:
    """One body row in `TABLE_COLUMNS` order; two cells of one column are joined with "、"."""
    values: dict[str, list[str]] = {name: [] for name in TABLE_COLUMNS}
    for cell, column in zip(row, columns, strict=False):
        if column and cell and cell not in values[column]:
            values[column].append(cell)
    return tuple("、".join(values[name]) for name in TABLE_COLUMNS)
