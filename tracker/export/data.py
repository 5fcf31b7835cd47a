"""What the ledger shows, as plain data: tasks as of a date, the month's notes, and the figures.

`load_ledger` reads through `tracker.query` (one read layer for every view) plus one small query of
its own over the same sqlite3 connection: the progress notes dated within the month. Everything
else here is pure arithmetic over `TaskView`s, so the sheets and the tests share one definition of
应完成 / 已完成 / 完成率 and of who answers for an obligation.

Definitions (also in docs/export.md):
- 应完成 (due) = obligations, not waived, that are due on or before the as-of date or already done;
- 已完成 (done) = those done by the as-of date; 完成率 = 已完成 / 应完成 (blank when 应完成 is 0);
- an obligation of a per-owner rule answers to its owner; any other to the task's lead units
  (未指定 when the task has none).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from tracker import query
from tracker.model import NoteView, ObligationView, RequirementKind, Status, TaskView

UNASSIGNED = "未指定"
DUE_AHEAD_DAYS = 30
"""临期事项 lists open obligations due within this many calendar days after the as-of date."""

OPEN = frozenset({Status.OVERDUE, Status.DUE_SOON, Status.ON_TRACK, Status.NO_UPDATE})


@dataclass(frozen=True)
class PlanStamp:
    """What identifies a stored plan to a workbook coming back: its id, title and origin.

    `origin` is the id of the action that created the plan in this database (the audit entry of
    its insert, a random uuid): the same plan id and title in another database — every
    database's first plan is plan 1, and two offices may import the same document — still has
    another origin. "" when the database has no such entry (a plan older than the audit trail).
    """

    plan_id: int
    title: str
    origin: str = ""


@dataclass(frozen=True)
class LedgerData:
    """Everything one workbook shows; built by `load_ledger` or by hand in tests."""

    title: str
    """The plan's title ("2024年济宁市民政局政务公开工作要点"), or a label for several plans."""
    as_of: date
    tasks: Sequence[TaskView]
    notes: Mapping[int, Sequence[NoteView]] = field(default_factory=dict)
    """Progress notes dated within the as-of month (up to as_of), per task id."""
    owner: str | None = None
    """Rows restricted to this unit's tasks (--owner / --for-owner)."""
    fillable: bool = False
    """--for-owner: a workbook an office fills in and returns (instructions shown)."""
    plans: Mapping[int, PlanStamp] = field(default_factory=dict)
    """The plans the rows come from, by id (recorded in `_tracker` for import-progress)."""

    @property
    def month_start(self) -> date:
        """The first day of the as-of month."""
        return self.as_of.replace(day=1)

    @cached_property
    def multi_plan(self) -> bool:
        """True when the tasks come from more than one plan (computed once: it scans every task)."""
        return len({t.plan_id for t in self.tasks}) > 1


def load_ledger(conn: sqlite3.Connection, *, as_of: date, title: str, plan_id: int | None,
                owner: str | None = None, fillable: bool = False, within: int = 5) -> LedgerData:
    """Read the tasks as of `as_of` and their notes of that month. Zero tasks is not an error."""
    tasks = query.tasks_as_of(conn, as_of=as_of, plan_id=plan_id, owner=owner, within=within)
    notes = month_notes(conn, start=as_of.replace(day=1), end=as_of,
                        task_ids={t.task_id for t in tasks})
    plans = plan_stamps(conn, {t.plan_id for t in tasks} | ({plan_id} if plan_id is not None else set()))
    return LedgerData(title=title, as_of=as_of, tasks=tasks, notes=notes, owner=owner,
                      fillable=fillable, plans=plans)


def plan_stamps(conn: sqlite3.Connection, plan_ids: Iterable[int]) -> dict[int, PlanStamp]:
    """The stored plans of the given ids (missing ones absent), each with its origin.

    The origin is the newest insert of that plan id in the audit trail: SQLite may give a deleted
    plan's id to the next one imported, and that one is then the plan of that id.
    """
    ids = sorted(set(plan_ids))
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))  # only placeholders are formatted into the SQL
    titles = conn.execute(f"SELECT id, title FROM plan WHERE id IN ({marks})", ids).fetchall()
    origins = {int(entity_id): str(action_id) for entity_id, action_id in conn.execute(
        f"SELECT entity_id, action_id FROM auditentry WHERE entity = 'plan' AND \"before\" IS NULL "
        f"AND entity_id IN ({marks}) ORDER BY id", ids)}
    return {int(pid): PlanStamp(int(pid), str(title), origins.get(int(pid), "")) for pid, title in titles}


def month_notes(conn: sqlite3.Connection, *, start: date, end: date,
                task_ids: set[int]) -> dict[int, list[NoteView]]:
    """Progress notes dated start..end (inclusive) of the given tasks, oldest first, per task id.

    Notes dated after `end` do not exist for this ledger, which keeps an old month reproducible.
    """
    rows = conn.execute(
        'SELECT id, task_id, "on", text, author FROM progressnote '
        'WHERE "on" >= ? AND "on" <= ? ORDER BY "on", id',
        (start.isoformat(), end.isoformat()),
    )
    notes: dict[int, list[NoteView]] = {}
    for note_id, task_id, on, text, author in rows:
        if task_id in task_ids:
            notes.setdefault(task_id, []).append(
                NoteView(note_id=note_id, on=date.fromisoformat(str(on)[:10]), text=text,
                         author=author or ""))
    return notes


# ---------------------------------------------------------------------------------------------
# Figures (pure)
# ---------------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Obligation counts of a group of tasks (a task, a section, an owner)."""

    tasks: int = 0
    due: int = 0
    done: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    due_soon: int = 0

    @property
    def rate(self) -> float | None:
        """已完成 / 应完成, None when nothing was due."""
        return self.done / self.due if self.due else None

    @property
    def on_time_rate(self) -> float | None:
        """按时完成 / (按时 + 逾期完成 + 当前逾期), None when there is nothing to judge."""
        judged = self.on_time + self.late + self.overdue
        return self.on_time / judged if judged else None

    def add(self, ob: ObligationView, as_of: date) -> None:
        """Count one obligation (waived ones count nowhere)."""
        if ob.status is Status.WAIVED:
            return
        done = ob.done_on is not None
        if done or (ob.due is not None and ob.due <= as_of):
            self.due += 1
        if done:
            self.done += 1
            if ob.status is Status.DONE_LATE:
                self.late += 1
            else:
                self.on_time += 1
        elif ob.status is Status.OVERDUE:
            self.overdue += 1
        elif ob.status is Status.DUE_SOON:
            self.due_soon += 1


def task_tally(task: TaskView, as_of: date) -> Tally:
    """The counts of one task's obligations as of the date."""
    tally = Tally(tasks=1)
    for ob in task.obligations:
        tally.add(ob, as_of)
    return tally


def responsible(task: TaskView, ob: ObligationView) -> tuple[str, ...]:
    """Who answers for an obligation: its owner (per-owner rules), else the task's lead units."""
    if ob.owner:
        return (ob.owner,)
    return task.lead or (UNASSIGNED,)


def group_label(task: TaskView, multi_plan: bool) -> str:
    """The 汇总 group of a task: its section, or its plan when the ledger spans several plans."""
    return task.plan_title if multi_plan else task.section


def by_group(data: LedgerData) -> dict[str, Tally]:
    """Tallies per section (or per plan), in outline order."""
    groups: dict[str, Tally] = {}
    multi = data.multi_plan
    for task in data.tasks:
        tally = groups.setdefault(group_label(task, multi), Tally())
        tally.tasks += 1
        for ob in task.obligations:
            tally.add(ob, data.as_of)
    return groups


@dataclass
class OwnerTally(Tally):
    """A unit's counts for 督办通报: tasks it leads and supports, and its obligations."""

    support: int = 0


def by_owner(data: LedgerData) -> dict[str, OwnerTally]:
    """Tallies per unit: tasks led/supported and the obligations it answers for, by name."""
    owners: dict[str, OwnerTally] = {}
    for task in data.tasks:
        for name in task.lead or (UNASSIGNED,):
            owners.setdefault(name, OwnerTally()).tasks += 1
        for name in task.support:
            owners.setdefault(name, OwnerTally()).support += 1
        for ob in task.obligations:
            for name in responsible(task, ob):
                owners.setdefault(name, OwnerTally()).add(ob, data.as_of)
    return dict(sorted(owners.items()))


def ranked_owners(data: LedgerData) -> list[tuple[str, OwnerTally]]:
    """Units worst first: most overdue now, then lowest on-time rate, then name."""
    def key(item: tuple[str, OwnerTally]) -> tuple[int, float, str]:
        name, tally = item
        rate = tally.on_time_rate
        return (-tally.overdue, 1.0 if rate is None else rate, name)

    return sorted(by_owner(data).items(), key=key)


def rule_lookup(task: TaskView) -> dict[int, str]:
    """Rule index → its short summary (the part before " · ", which carries counts)."""
    return {r.index: (r.summary.split(" · ")[0].strip() or r.requirement.source) for r in task.rules}


def md(day: date, as_of: date) -> str:
    """A date the way the ledger writes it: "6月30日", with the year when it is not as_of's."""
    text = f"{day.month}月{day.day}日"
    return text if day.year == as_of.year else f"{day.year}年{text}"


def rule_text(task: TaskView, as_of: date) -> str:
    """The rules in Chinese with progress: "每年至少2次,已完成1次,下次6月30日前"; one line per rule."""
    lines = []
    for rule in task.rules:
        obs = [o for o in task.obligations if o.rule_index == rule.index]
        parts = [rule.summary.split(" · ")[0].strip() or rule.requirement.source]
        kind = rule.requirement.kind
        if rule.waived_reason is not None:
            parts.append(f"不适用({rule.waived_reason})" if rule.waived_reason else "不适用")
        elif kind is RequirementKind.ONGOING:
            ongoing = obs[0].status if obs else Status.NO_UPDATE
            parts.append("本月已报进展" if ongoing is Status.ON_TRACK else "本月未报进展")
        else:
            done = sum(1 for o in obs if o.done_on is not None)
            if kind is RequirementKind.AFTER_EVENT and not obs:
                parts.append(f"暂无{rule.requirement.event or '触发事项'}")
            elif kind is not RequirementKind.DEADLINE:
                parts.append(f"已完成{done}次")
            elif obs and done == len(obs):
                parts.append("已完成")
            open_due = sorted(o.due for o in obs if o.status in OPEN and o.due is not None)
            if open_due:
                nxt = open_due[0]
                if nxt < as_of:
                    parts.append(f"{md(nxt, as_of)}到期未完成")
                elif kind is not RequirementKind.DEADLINE:
                    parts.append(f"下次{md(nxt, as_of)}前")
        lines.append(",".join(parts))
    if not lines:
        return "未设时限(无可识别的时限要求)"
    if len(lines) > 1:
        lines = [f"{_circled(i)}{line}" for i, line in enumerate(lines, 1)]
    return "\n".join(lines)


def _circled(n: int) -> str:
    return chr(0x2460 + n - 1) if 1 <= n <= 20 else f"({n})"


def month_completions(data: LedgerData) -> list[tuple[TaskView, ObligationView]]:
    """Obligations done within the as-of month (up to as_of), by completion date then task order."""
    found = [(t, o) for t in data.tasks for o in t.obligations
             if o.done_on is not None and data.month_start <= o.done_on <= data.as_of]
    return sorted(found, key=lambda pair: pair[1].done_on or data.as_of)


def overdue_items(data: LedgerData) -> list[tuple[TaskView, ObligationView]]:
    """Obligations overdue as of the date, oldest due first."""
    found = [(t, o) for t in data.tasks for o in t.obligations if o.status is Status.OVERDUE]
    return sorted(found, key=lambda pair: pair[1].due or data.as_of)


def due_ahead_items(data: LedgerData, days: int = DUE_AHEAD_DAYS) -> list[tuple[TaskView, ObligationView]]:
    """Open obligations due from the as-of date up to `days` calendar days later, soonest first."""
    end = data.as_of + timedelta(days=days)
    found = [(t, o) for t in data.tasks for o in t.obligations
             if o.status in OPEN and o.due is not None and data.as_of <= o.due <= end]
    return sorted(found, key=lambda pair: pair[1].due or data.as_of)


def newly_overdue(data: LedgerData) -> int:
    """Obligations that became overdue this month (due the day before the 1st up to yesterday)."""
    start = data.month_start - timedelta(days=1)
    return sum(1 for t in data.tasks for o in t.obligations
               if o.status is Status.OVERDUE and o.due is not None and start <= o.due < data.as_of)


def progress_text(notes: Sequence[NoteView]) -> str:
    """The month's notes as the 进展情况 cell shows them: "7月1日:text", one per line."""
    return "\n".join(f"{n.on.month}月{n.on.day}日:{n.text}" for n in notes)


def evidence_text(task: TaskView) -> str:
    """Evidence of the task's completions up to as_of, one line per completion that has some."""
    lines = [f"{o.done_on.month}月{o.done_on.day}日:{o.evidence}" for o in task.obligations
             if o.done_on is not None and o.evidence]
    return "\n".join(lines)


def remarks_text(task: TaskView) -> str:
    """备注: provisional due dates, unassigned tasks — what a reader should know but may not see."""
    notes: list[str] = []
    if not task.lead:
        notes.append("未指定牵头单位")
    if any(o.provisional for o in task.obligations):
        notes.append("到期日暂定(当年节假日安排未公布)")
    return ";".join(notes)


def task_label(task: TaskView, multi_plan: bool) -> str:
    """How a row names its task: the number, or "PLAN:NUMBER" when several plans are shown."""
    return task.key if multi_plan else task.number
