"""import-progress: read a ledger an office filled in, work out what it changes, apply it safely.

Three steps, each testable alone:
1. `read_returned(path)` reads the workbook (openpyxl, read-only) → `Returned`: each 工作台账 row
   with its hidden ID (task id | version | as-of) and the three columns an office fills
   (进展情况, 完成日期, 完成佐证), plus what was exported in them (kept in the very hidden
   `_tracker` sheet). A workbook without that sheet or without the ID column is not ours; one
   that cannot be opened is damaged — both `BadInputError` with one sentence.
2. `check_belongs(returned, stored, current, name)` (pure) proves the workbook was exported from
   this database: a task id alone does not (every database numbers its tasks from 1), so the
   plans recorded in `_tracker` (id, origin, title) must be the stored ones — for a workbook of
   the previous version, which recorded none, every row's 序号 and 工作任务 must be those of the
   stored task of its id. Otherwise the whole workbook is refused (`BadInputError`, exit 3) and
   nothing is applied.
3. `plan_import(returned, current, today=…)` (pure) compares each row with what was exported and
   with the task as it is now → `ImportPlan`: the changes (row, field, before → after) and the
   refused rows with a reason. A row whose task changed since the export (its version differs)
   or whose 序号/工作任务 is no longer that of the task its ID names is refused, never merged:
   nothing recorded in tracker after the export is overwritten — unless what changed the task
   is this very row, applied by an earlier import of the same workbook (a coordinator corrects a
   refused row and imports it again): such a row is counted as already imported, not refused.
4. `apply_plan(session, plan, today=…)` writes the changes through `tracker.store.actions`
   (`add_note`, `mark_done`) inside the caller's one transaction, re-checking each version.

What a filled cell means: 进展情况 text that differs from the exported text becomes a progress note
dated the day of the import (when the office appended to the exported text, only the new part);
a 完成日期 marks the task's earliest open obligation done on that date (the rule whose open
obligation is due first), with the 完成佐证 text (if changed) as its evidence. Clearing a cell
deletes nothing. A 完成日期 for ongoing work (a 持续 rule) is refused: such a rule is never
finished on a date — marking it done would show the whole task 已完成 for the year — so the office
is told to write what was done in 进展情况, and the coordinator can still close it in tracker. A
row whose hidden ID is damaged but carries filled cells is refused and listed, not dropped unseen.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias
from xml.etree.ElementTree import ParseError

from tracker.dates import parse_date
from tracker.errors import BadInputError, ConflictError, TrackerError
from tracker.export.cells import (
    HIDDEN_SHEET,
    ID_HEADER,
    LEDGER_SHEET,
    MARKER,
    PLAN_KEY,
    RowId,
    clean_text,
    parse_row_id,
)
from tracker.export.data import PlanStamp
from tracker.model import ObligationView, RequirementKind, Status, TaskView

if TYPE_CHECKING:
    from openpyxl import Workbook
    from sqlmodel import Session

_Sheet: TypeAlias = Any
"""A read-only worksheet (its stub type lacks iter_rows' values_only overloads)."""

REQUIRED = ("序号", "工作任务", "进展情况", "完成日期", "完成佐证", ID_HEADER)
_OPEN = frozenset({Status.OVERDUE, Status.DUE_SOON, Status.ON_TRACK, Status.NO_UPDATE})


@dataclass(frozen=True)
class ReturnedRow:
    """One filled-in row of 工作台账."""

    excel_row: int
    row_id: RowId
    label: str
    """The 序号 cell ("8", or "1:8" when several plans)."""
    progress: str
    done: object
    """The 完成日期 cell as read: a datetime, a text, a number or None."""
    evidence: str
    title: str = ""
    """The 工作任务 cell: with 序号, what the office sees and what must still name the task."""


@dataclass(frozen=True)
class Exported:
    """What the export wrote in a task's editable cells (from the `_tracker` sheet)."""

    version: int
    progress: str
    evidence: str


@dataclass(frozen=True)
class Returned:
    """A returned ledger: its as-of date, rows, and the exported texts per task id."""

    as_of: date
    owner: str | None
    rows: tuple[ReturnedRow, ...]
    exported: Mapping[int, Exported]
    plans: tuple[PlanStamp, ...] = ()
    """The plans recorded at export; empty for a workbook of the previous version."""
    refused: tuple[Refusal, ...] = ()
    """Filled rows that cannot be matched to a task (their hidden ID is damaged)."""


@dataclass(frozen=True)
class FieldChange:
    """One field of one row: before → after, as shown before confirming."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class RowChange:
    """What one row will do to the database."""

    excel_row: int
    label: str
    task_id: int
    version: int
    fields: tuple[FieldChange, ...]
    note: str | None = None
    done_on: date | None = None
    rule_index: int | None = None
    evidence: str | None = None
    key: str | None = None
    """The obligation 完成日期 completes (2024-Q2, event:3, 2024-Y1#养老服务科), chosen when planning."""
    owner: str | None = None
    """The unit whose obligation it is, for a per-owner rule (passed to `mark_done` as `owner=`)."""


@dataclass(frozen=True)
class Refusal:
    """A row that will not be applied, and why (one sentence)."""

    excel_row: int
    label: str
    reason: str
    conflict: bool = True
    """True when the database moved on since the export; False when the row itself is invalid."""
    zh: str = ""
    """`reason` in Chinese (what the coordinator reads by default)."""

    def text(self, lang: str = "zh") -> str:
        """The reason in the user's language (English when there is no Chinese one)."""
        return self.reason if lang == "en" or not self.zh else self.zh


@dataclass(frozen=True)
class ImportPlan:
    """Everything import-progress will do, and everything it refuses."""

    changes: tuple[RowChange, ...] = ()
    refused: tuple[Refusal, ...] = ()
    unchanged: int = 0
    as_of: date | None = None
    already_applied: int = 0
    """Rows an earlier import of this workbook applied (`_already_applied`): not written again."""


# ---------------------------------------------------------------------------------------------
# 1. Reading
# ---------------------------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def read_returned(path: Path) -> Returned:
    """Read a returned ledger; `BadInputError` if it is missing, damaged, or not a tracker ledger."""
    # openpyxl costs ~96 ms to import: only import-progress pays for it.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    if not path.is_file():
        raise BadInputError(f"there is no file {path}.", zh=f"文件不存在: {path}。")
    damaged = (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, ParseError,
               IndexError, OSError)
    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except damaged:
        raise BadInputError(f"{path.name} cannot be read as an .xlsx workbook (damaged, or another "
                            "format); send back the ledger tracker exported.",
                            zh=f"{path.name} 无法作为 .xlsx 工作簿读取 (已损坏, 或是其他格式); "
                               "请交回 tracker 导出的台账。") from None
    try:
        return _read(wb, path.name)
    except damaged:
        raise BadInputError(f"{path.name} is damaged: its sheets cannot be read; export the ledger "
                            "again and fill the new one.",
                            zh=f"{path.name} 已损坏: 无法读取其中的工作表; 请重新导出台账, 填写新的一份。") from None
    finally:
        wb.close()


def _read(wb: Workbook, name: str) -> Returned:
    if HIDDEN_SHEET not in wb.sheetnames or LEDGER_SHEET not in wb.sheetnames:
        raise BadInputError(f"{name} is not a ledger exported by tracker (it has no {LEDGER_SHEET} "
                            "sheet with tracker's hidden marker); use `tracker export` to make one.",
                            zh=f"{name} 不是 tracker 导出的台账 (缺少“{LEDGER_SHEET}”工作表或 tracker 的隐藏标记); "
                               "请用 `tracker export` 导出台账。")
    meta, exported, plans = _read_hidden(wb[HIDDEN_SHEET], name)
    rows = list(wb[LEDGER_SHEET].iter_rows(values_only=True))
    header_at = next((i for i, r in enumerate(rows[:10]) if ID_HEADER in r and "进展情况" in r), None)
    if header_at is None:
        raise BadInputError(f"{name} has no ID column on {LEDGER_SHEET}: it was not exported by tracker, "
                            "or its header row was changed.",
                            zh=f"{name} 的“{LEDGER_SHEET}”工作表没有 {ID_HEADER} 列: 它不是 tracker 导出的, "
                               "或表头行被改动过。")
    header = list(rows[header_at])
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        raise BadInputError(f"{name} lacks the column(s) {', '.join(missing)} on {LEDGER_SHEET}; "
                            "do not delete or rename the ledger's columns.",
                            zh=f"{name} 的“{LEDGER_SHEET}”工作表缺少列: {'、'.join(missing)}; "
                               "请不要删除或重命名台账的列。")
    col = {h: header.index(h) for h in REQUIRED}
    returned: list[ReturnedRow] = []
    refused: list[Refusal] = []
    for offset, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        cells = list(row) + [None] * (len(header) - len(row))
        read = ReturnedRow(excel_row=offset, row_id=RowId(0, 0, date.min), label=_text(cells[col["序号"]]),
                           progress=_text(cells[col["进展情况"]]), done=cells[col["完成日期"]],
                           evidence=_text(cells[col["完成佐证"]]), title=_text(cells[col["工作任务"]]))
        raw_id = cells[col[ID_HEADER]]
        row_id = parse_row_id(raw_id)
        if row_id is not None:
            returned.append(replace(read, row_id=row_id))
        elif _text(raw_id) and (read.progress or read.done not in (None, "") or read.evidence):
            refused.append(_damaged_id(read, _text(raw_id)))
    return Returned(as_of=date.fromisoformat(meta.get("as_of", "")), owner=meta.get("owner") or None,
                    rows=tuple(returned), exported=exported, plans=plans, refused=tuple(refused))


def _damaged_id(row: ReturnedRow, raw_id: str) -> Refusal:
    """A filled row whose hidden ID is not tracker's: listed, so the office's input is not lost unseen.

    An empty ID is a row tracker did not write (a blank or a note under the table) and is skipped.
    """
    return Refusal(row.excel_row, row.label, f"its hidden ID “{_short(raw_id, 30)}” is damaged, so "
                   f"“{_short(row.title)}” cannot be matched to a task; nothing of this row was applied: "
                   "enter it in tracker or in a newly exported ledger", conflict=False,
                   zh=f"隐藏的 ID “{_short(raw_id, 30)}” 已损坏, 无法把“{_short(row.title)}”对应到任务; "
                      "此行未应用任何内容: 请在 tracker 中或在新导出的台账中填写")


def _read_hidden(ws: _Sheet, name: str) -> tuple[dict[str, str], dict[int, Exported], tuple[PlanStamp, ...]]:
    rows = list(ws.iter_rows(values_only=True))
    if not rows or not rows[0] or rows[0][0] != MARKER:
        raise BadInputError(f"{name} is not a ledger exported by tracker (its hidden marker is missing).",
                            zh=f"{name} 不是 tracker 导出的台账 (缺少隐藏标记)。")
    meta: dict[str, str] = {}
    exported: dict[int, Exported] = {}
    plans: list[PlanStamp] = []
    in_table = False
    for row in rows:
        cells = [*row, None, None, None, None][:4]
        if not in_table:
            if cells[0] == "task_id":
                in_table = True
            elif cells[0] == PLAN_KEY:
                plans.append(_plan_stamp(cells, name))
            elif cells[0] is not None:
                meta[str(cells[0])] = _text(cells[1])
            continue
        if cells[0] is not None and str(cells[0]).isdigit() and str(cells[1]).isdigit():
            exported[int(str(cells[0]))] = Exported(version=int(str(cells[1])), progress=_text(cells[2]),
                                                    evidence=_text(cells[3]))
    if "as_of" not in meta:
        raise BadInputError(f"{name} is damaged: tracker's hidden sheet has no export date.",
                            zh=f"{name} 已损坏: tracker 的隐藏工作表中没有导出日期。")
    return meta, exported, tuple(plans)


def _plan_stamp(cells: Sequence[object], name: str) -> PlanStamp:
    plan_id = _text(cells[1])
    if not plan_id.isdigit():
        raise BadInputError(f"{name} is damaged: tracker's hidden sheet names a plan without its id.",
                            zh=f"{name} 已损坏: tracker 的隐藏工作表中有一个计划缺少 ID。")
    return PlanStamp(int(plan_id), title=_text(cells[3]), origin=_text(cells[2]))


# ---------------------------------------------------------------------------------------------
# 2. Does it belong here? (pure)
# ---------------------------------------------------------------------------------------------


def same_plan(recorded: PlanStamp, stored: PlanStamp | None) -> bool:
    """The recorded plan is this stored one: same id, and same origin when both know theirs.

    The origin (the uuid of the action that created the plan) tells two databases apart even when
    they hold the same document under the same id; when it matches, a title revised since by a
    re-import does not matter. Without it (a plan older than the audit trail) the title decides.
    """
    if stored is None or stored.plan_id != recorded.plan_id:
        return False
    if recorded.origin and stored.origin:
        return recorded.origin == stored.origin
    return recorded.title == stored.title


def shows_task(row: ReturnedRow, task: TaskView | None) -> bool:
    """The row's 序号 and 工作任务 are those of `task` (as the export wrote them)."""
    if task is None:
        return False
    return row.label in (task.number, task.key) and row.title == _text(clean_text(task.title))


def _what_is_here(recorded: PlanStamp, here: PlanStamp | None, lang: str = "en") -> str:
    """What this database holds under the recorded plan's id, ending "…and this database …"."""
    en = lang == "en"
    if here is None:
        return "has no such plan" if en else "没有这个计划"
    if here.title == recorded.title:
        return (f"has its own plan {here.plan_id} of that title (imported separately)" if en
                else f"有自己的同名计划 {here.plan_id} (另行导入)")
    return (f"has plan {here.plan_id} “{_short(here.title)}” under that id" if en
            else f"中 ID {here.plan_id} 对应的是计划“{_short(here.title)}”")


def check_belongs(returned: Returned, stored: Mapping[int, PlanStamp], current: Mapping[int, TaskView],
                  name: str) -> None:
    """`BadInputError` (nothing applied) unless the workbook was exported from this database.

    `stored` are this database's plans of the ids the workbook records, `current` its tasks of
    the ids the rows carry. A workbook of the previous version recorded no plan: it belongs here
    only if every row still shows the task its ID names (序号 and 工作任务) — rows of another
    database would name whatever tasks carry those ids here.
    """
    for recorded in returned.plans:
        here = stored.get(recorded.plan_id)
        if not same_plan(recorded, here):
            raise BadInputError(f"{name} was exported from another plan/database: it is for plan "
                                f"{recorded.plan_id} “{_short(recorded.title)}” and this database "
                                f"{_what_is_here(recorded, here)}; nothing was applied, export the ledger "
                                "from this database and fill that one.",
                                zh=f"{name} 是从另一个计划或数据库导出的: 它属于计划 {recorded.plan_id} "
                                   f"“{_short(recorded.title)}”, 而本数据库{_what_is_here(recorded, here, 'zh')}; "
                                   "未应用任何内容, 请从本数据库重新导出台账, 在新台账上填写。")
    if returned.plans:
        return
    for row in returned.rows:
        task = current.get(row.row_id.task_id)
        if not shows_task(row, task):
            there = f"is task {task.key} “{_short(task.title)}”" if task else "does not exist"
            there_zh = f"是任务{task.key}“{_short(task.title)}”" if task else "不存在"
            raise BadInputError(f"{name} was exported from another plan/database: its row {row.excel_row} "
                                f"shows task {row.label} “{_short(row.title)}”, but the task of its ID here "
                                f"{there}; nothing was applied, export the ledger from this database and "
                                "fill that one.",
                                zh=f"{name} 是从另一个计划或数据库导出的: 其第{row.excel_row}行显示任务{row.label}"
                                   f"“{_short(row.title)}”, 但本数据库中该 ID 的任务{there_zh}; 未应用任何内容, "
                                   "请从本数据库重新导出台账, 在新台账上填写。")


# ---------------------------------------------------------------------------------------------
# 3. Planning (pure)
# ---------------------------------------------------------------------------------------------


def _added(before: str, after: str) -> str:
    """What the office wrote: the new text, or only what it appended to the exported one."""
    if before and after.startswith(before):
        return after[len(before):].strip()
    return after


def _done_date(value: object, today: date) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return parse_date(value, today=today)
    raise ValueError(value)


def open_rule(task: TaskView) -> int | None:
    """The rule whose open obligation is due first (undated ongoing ones last); None if none is open."""
    first = _first_open(task.obligations)
    return None if first is None else first.rule_index


def _is_open(ob: ObligationView) -> bool:
    return ob.status in _OPEN and ob.done_on is None


def _first_open(obligations: Sequence[ObligationView]) -> ObligationView | None:
    """The open obligation due first (undated ongoing ones last, then by rule); None if none is open."""
    open_obs = [o for o in obligations if _is_open(o)]
    if not open_obs:
        return None
    return min(open_obs, key=lambda o: (o.due is None, o.due or date.max, o.rule_index))


def _bare(unit: str) -> str:
    """A unit's name without the office a list may label it with: "办公室（A局）" → "办公室"."""
    unit = unit.strip()
    return unit.rsplit("（", 1)[0] if unit.endswith("）") else unit


def _units_match(ob_owner: str, owner: str) -> bool:
    return ob_owner == owner or _bare(ob_owner) == _bare(owner)


def _pick_obligation(row: ReturnedRow, task: TaskView, owner: str | None) -> ObligationView | Refusal:
    """The obligation a row's 完成日期 completes, as `mark_done` will be told (by key and owner).

    In one unit's ledger (`owner`): that unit's earliest open obligation, or an open one the task's
    units share (a rule that is not per unit). In a ledger of all units: the earliest open one —
    but a per-owner rule (one obligation per unit) whose obligations are open for several units
    is refused: the row cannot say whose it is, and crediting one of them would be a guess.
    """
    mine = [o for o in task.obligations if owner is None or o.owner is None or _units_match(o.owner, owner)]
    first = _first_open(mine)
    if first is None:
        others_open = owner is not None and any(_is_open(o) for o in task.obligations)
        whose = f" for {owner}" if others_open else ""
        whose_zh = f"中{owner}的" if others_open else "的"
        return Refusal(row.excel_row, row.label, f"every obligation of the task{whose} is already recorded "
                       "done or waived; the recorded entries were kept",
                       zh=f"该任务{whose_zh}所有事项都已登记完成或设为不适用; 已有的记录保持不变")
    if owner is None and first.owner is not None:
        units = list(dict.fromkeys(str(o.owner) for o in task.obligations
                                   if o.requirement_id == first.requirement_id and _is_open(o) and o.owner))
        if len(units) > 1:
            return Refusal(row.excel_row, row.label, f"rule {first.rule_index} of the task is one obligation "
                           f"per unit and {len(units)} units still have theirs open ({'、'.join(units)}); "
                           "this ledger of all units cannot say whose 完成日期 this is, so it was not "
                           "applied: have the unit return its own ledger (tracker export --for-owner "
                           f"UNIT), or record it with `tracker done {task.key} --owner UNIT`",
                           conflict=False,
                           zh=f"该任务的规则{first.rule_index}按单位各计一项, 仍有 {len(units)} 个单位"
                              f"未完成 ({'、'.join(units)}); 这份全部单位的汇总台账无法确定该完成日期属于哪个单位, "
                              "因此未应用: 请让各单位交回本单位的台账 (`tracker export --for-owner UNIT`), "
                              f"或用 `tracker done {task.key} --owner UNIT` 登记完成")
    return first


def _before_event(row: ReturnedRow, ob: ObligationView, done_on: date,
                  started: Mapping[tuple[int, str], date]) -> Refusal | None:
    """A completion dated before the event that started its obligation (the document was not out yet)."""
    event_on = started.get((ob.requirement_id, ob.key))
    if event_on is None or done_on >= event_on:
        return None
    return Refusal(row.excel_row, row.label, f"完成日期 {done_on} is before the event that started "
                   f"{ob.key} of rule {ob.rule_index} ({event_on}); check the completion date",
                   conflict=False,
                   zh=f"完成日期 {done_on} 早于规则{ob.rule_index}事项 {ob.key} 的起算事件日期 ({event_on}); "
                      "请核对完成日期")


def _before_year(row: ReturnedRow, task: TaskView, done_on: date, plan_years: Mapping[int, int]) -> Refusal | None:
    """A completion dated before the plan's year (a year typed wrong: 2023 for 2024)."""
    year = plan_years.get(task.plan_id)
    if year is None or done_on >= date(year, 1, 1):
        return None
    return Refusal(row.excel_row, row.label, f"完成日期 {done_on} is before the plan's year {year}; "
                   "check the completion date", conflict=False,
                   zh=f"完成日期 {done_on} 早于计划年度 {year}; 请核对完成日期")


def _ongoing(task: TaskView, rule_index: int) -> bool:
    """True when the rule is ongoing work (持续): marking it done would close the task for the year."""
    return any(r.index == rule_index and r.requirement.kind is RequirementKind.ONGOING for r in task.rules)


def _not_this_task(row: ReturnedRow, task: TaskView) -> Refusal:
    """A row whose ID names a task it no longer shows (renumbered, retitled, or another plan's)."""
    return Refusal(row.excel_row, row.label, f"the row shows “{_short(row.title)}”, but the task of its "
                   f"ID is now {task.key} “{_short(task.title)}”; nothing of this row was applied: "
                   "export again and re-enter it",
                   zh=f"此行显示“{_short(row.title)}”, 但其 ID 对应的任务现在是任务{task.key}"
                      f"“{_short(task.title)}”; 此行未应用任何内容: 请重新导出台账后重新填写")


@dataclass
class _RowWork:
    row: ReturnedRow
    fields: list[FieldChange] = field(default_factory=list)
    note: str | None = None
    done_on: date | None = None
    evidence: str | None = None


def _row_work(row: ReturnedRow, before: Exported, today: date) -> _RowWork | Refusal:
    work = _RowWork(row)
    note = _added(before.progress, row.progress) if row.progress != before.progress else ""
    if note:
        work.note = note
        work.fields.append(FieldChange("进展情况", before.progress, row.progress))
    if row.done not in (None, ""):
        try:
            work.done_on = _done_date(row.done, today)
        except (ValueError, TrackerError):
            return Refusal(row.excel_row, row.label, f"完成日期 “{row.done}” is not a date (write it as "
                           "2024-07-15)", conflict=False,
                           zh=f"完成日期“{row.done}”不是有效日期 (请写成 2024-07-15)")
        if work.done_on > today:
            return Refusal(row.excel_row, row.label, f"完成日期 {work.done_on} is in the future",
                           conflict=False, zh=f"完成日期 {work.done_on} 晚于今天, 尚未发生")
        work.fields.append(FieldChange("完成日期", "", work.done_on.isoformat()))
    evidence = _added(before.evidence, row.evidence) if row.evidence != before.evidence else ""
    if evidence:
        if work.done_on is None:
            return Refusal(row.excel_row, row.label, "完成佐证 was filled without 完成日期; fill in the "
                           "date it was done as well", conflict=False,
                           zh="填写了完成佐证, 但没有填写完成日期; 请同时填写完成日期")
        work.evidence = evidence
        work.fields.append(FieldChange("完成佐证", before.evidence, row.evidence))
    return work


def _already_applied(work: _RowWork, task: TaskView, exported_version: int, owner: str | None) -> bool:
    """The row's content is in tracker and is the only thing that changed its task since the export.

    So when an earlier import applied this row (the workbook is imported again after a refused
    row was corrected): its 进展情况 addition is the task's latest note, its 完成日期 (and 完成佐证)
    is recorded as the completion of one of its obligations (that unit's, in one unit's ledger),
    and the task's version moved on by exactly the writes applying it made — one per note, one
    per completion (every action bumps it once). Any other change since (another note, a
    completion, an owner or rule change) moves the version further: a conflict, as before.
    """
    writes = (work.note is not None) + (work.done_on is not None)
    if not writes or task.version - exported_version != writes:
        return False
    if work.note is not None and (task.last_note or "").strip() != work.note.strip():
        return False
    if work.done_on is not None:
        mine = [o for o in task.obligations if owner is None or o.owner is None or _units_match(o.owner, owner)]
        if not any(o.done_on == work.done_on and (o.evidence or "") == (work.evidence or "") for o in mine):
            return False
    return True


def plan_import(returned: Returned, current: Mapping[int, TaskView], *, today: date,
                removed: frozenset[int] = frozenset(),
                started: Mapping[tuple[int, str], date] | None = None,
                plan_years: Mapping[int, int] | None = None) -> ImportPlan:
    """Compare a returned ledger with the export and the database now; decide row by row.

    `current` are the tasks as they are now (by id), `removed` the ids of tasks taken out of the
    plan since. A row with nothing changed counts as unchanged; a task changed in tracker since
    the export (version differs), no longer shown by its row (序号/工作任务, or of a plan the
    workbook does not record), or with nothing left open is refused and listed, not merged; so is
    a 完成日期 for ongoing work (see the module docstring) and a filled row with a damaged ID. A
    row whose task changed only by this row being applied before (`_already_applied`: the same
    workbook imported again) counts as already applied — neither written again nor refused.

    A 完成日期 credits the obligation `_pick_obligation` chooses (that unit's, in a ledger exported
    for one unit — `returned.owner`); one of a per-owner rule several units still owe, in a ledger
    of all units, is refused, and so is one dated before the event that started its obligation
    (`started`: (requirement id, obligation key) → the event's date), or before its plan's year
    (`plan_years`: plan id → year; `tracker done` refuses such a date too). Each such refusal is
    that row's alone: the other rows still apply.
    Call `check_belongs` first: it refuses a workbook of another database as a whole.
    """
    changes: list[RowChange] = []
    refused: list[Refusal] = list(returned.refused)
    unchanged = already = 0
    plan_ids = {p.plan_id for p in returned.plans}
    for row in returned.rows:
        if row.row_id.as_of != returned.as_of:
            refused.append(Refusal(row.excel_row, row.label, "this row comes from a ledger of another "
                                   f"date ({row.row_id.as_of}); fill rows in the workbook they came in",
                                   False, zh=f"此行来自另一日期 ({row.row_id.as_of}) 的台账; "
                                             "请在此行原来所在的工作簿中填写"))
            continue
        before = returned.exported.get(row.row_id.task_id) or Exported(row.row_id.version, "", "")
        work = _row_work(row, before, today)
        if isinstance(work, Refusal):
            refused.append(work)
            continue
        if not work.fields:
            unchanged += 1
            continue
        task = current.get(row.row_id.task_id)
        if task is None or row.row_id.task_id in removed:
            refused.append(Refusal(row.excel_row, row.label, "the task is no longer in the plan",
                                   zh="该任务已不在计划中"))
            continue
        if not shows_task(row, task) or (plan_ids and task.plan_id not in plan_ids):
            refused.append(_not_this_task(row, task))
            continue
        if task.version != row.row_id.version:
            if _already_applied(work, task, row.row_id.version, returned.owner):
                already += 1
                continue
            refused.append(Refusal(row.excel_row, row.label,
                                   f"the task was changed in tracker after this workbook was made "
                                   f"(version {row.row_id.version} → {task.version}); nothing of this "
                                   "row was applied: export again and re-enter it",
                                   zh=f"导出此工作簿后, 该任务已在 tracker 中被修改 (版本 {row.row_id.version} → "
                                      f"{task.version}); 此行未应用任何内容: 请重新导出台账后重新填写"))
            continue
        ob: ObligationView | None = None
        if work.done_on:
            picked = _pick_obligation(row, task, returned.owner)
            if isinstance(picked, Refusal):
                refused.append(picked)
                continue
            ob = picked
            if _ongoing(task, ob.rule_index):
                refused.append(Refusal(row.excel_row, row.label, f"rule {ob.rule_index} of the task is ongoing "
                                       "work (持续), which is not finished on a date, so 完成日期 was not "
                                       "applied: write what was done in 进展情况 instead", conflict=False,
                                       zh=f"该任务的规则{ob.rule_index}是持续推进的工作 (持续), 没有单一的完成日期, "
                                          "因此未应用完成日期: 请改在进展情况中填写所做的工作"))
                continue
            early = _before_year(row, task, work.done_on, plan_years or {}) \
                or _before_event(row, ob, work.done_on, started or {})
            if early is not None:
                refused.append(early)
                continue
        changes.append(RowChange(row.excel_row, row.label, task.task_id, task.version,
                                 tuple(work.fields), note=work.note, done_on=work.done_on,
                                 rule_index=ob.rule_index if ob else None, evidence=work.evidence,
                                 key=ob.key if ob else None, owner=ob.owner if ob else None))
    refused.sort(key=lambda r: r.excel_row)
    return ImportPlan(tuple(changes), tuple(refused), unchanged, returned.as_of, already)


# ---------------------------------------------------------------------------------------------
# 4. Applying
# ---------------------------------------------------------------------------------------------


def apply_plan(session: Session, plan: ImportPlan, *, today: date) -> tuple[int, int]:
    """Write the plan's changes in the caller's transaction; return (notes added, completions).

    Each task's version is checked again first: if it moved since the plan was made, the whole
    import raises `ConflictError` (the caller's transaction rolls back, nothing is written). A
    store error on a row is re-raised naming the row.
    """
    from tracker.store import actions  # the ORM (~335 ms) only when something is written
    from tracker.store.tables import Task

    notes = done = 0
    for change in plan.changes:
        task = session.get(Task, change.task_id, populate_existing=True)
        if task is None or task.removed or task.version != change.version:
            raise ConflictError(f"task {change.label} changed while importing; nothing was applied, "
                                "run import-progress again.",
                                zh=f"导入过程中任务{change.label}被修改; 未应用任何内容, 请重新运行 `tracker import-progress`。")
        try:
            if change.note:
                actions.add_note(session=session, task=task, text=change.note, on=today)
                notes += 1
            if change.done_on:
                actions.mark_done(session=session, task=task, rule=change.rule_index, on=change.done_on,
                                  evidence=change.evidence, owner=change.owner, key=change.key)
                done += 1
        except TrackerError as exc:
            raise type(exc)(f"row {change.excel_row} (task {change.label}): {exc} Nothing was "
                            "applied.", zh=f"第{change.excel_row}行 (任务{change.label}): {exc.text('zh')} "
                                           "未应用任何内容。") from None
    return notes, done


def describe(plan: ImportPlan, lang: str = "zh") -> list[str]:
    """The plan as lines to show before confirming: each row's fields before → after, then refusals."""
    zh = lang != "en"
    lines: list[str] = []
    if plan.changes:
        lines.append(f"将更新 {len(plan.changes)} 行:" if zh else f"{len(plan.changes)} row(s) to apply:")
    for change in plan.changes:
        where = f"第{change.excel_row}行 任务{change.label}" if zh else \
            f"row {change.excel_row} task {change.label}"
        for f in change.fields:
            extra = ""
            if f.field == "完成日期" and change.rule_index is not None:
                unit = f" {change.owner}" if change.owner else ""
                extra = f" (规则{change.rule_index}{unit})" if zh else f" (rule {change.rule_index}{unit})"
            lines.append(f"  {where} {f.field}: “{_short(f.before)}” → “{_short(f.after)}”{extra}")
    if plan.refused:
        lines.append(f"未应用 {len(plan.refused)} 行:" if zh else f"{len(plan.refused)} row(s) refused:")
    for r in plan.refused:
        kind = ("冲突" if r.conflict else "无效") if zh else ("conflict" if r.conflict else "invalid")
        where = f"第{r.excel_row}行 任务{r.label}" if zh else f"row {r.excel_row} task {r.label}"
        lines.append(f"  {where} [{kind}]: {r.text(lang)}{'。' if zh else '.'}")
    if plan.already_applied:
        n = plan.already_applied
        lines.append(f"已导入过 {n} 行, 未重复写入。" if zh else f"{n} row(s) already imported, not written again.")
    if plan.unchanged:
        lines.append(f"未改动 {plan.unchanged} 行。" if zh else f"{plan.unchanged} row(s) unchanged.")
    return lines


def _short(text: str, limit: int = 60) -> str:
    flat = text.replace("\n", " / ")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def refused_ids(rows: Sequence[Refusal]) -> list[int]:
    """The Excel row numbers of refused rows (for messages and tests)."""
    return [r.excel_row for r in rows]
