"""The lines of `tracker tasks --status overdue|due_soon`: one per task, without building task views.

`tasks_as_of` builds a full `TaskView` per task — every rule, every obligation with its status,
completions, notes — which a list of the city's 2,481 overdue tasks paid ~350 ms for. The table
shows far less: the task, its units, its rules in words (with how many times a recurring rule
was done), the next due date and the status. For a status that SQL can find — overdue (an open
obligation due before the date) and due soon (the earliest open obligation due within the
window) — this module reads exactly that, in five indexed queries whose result sets are one row
per task or rule. Other statuses (on_track, done, no_update, …) need every obligation's status;
`task_lines` answers them from the views (`line_of`).

For any date the lines equal `[line_of(v) for v in tasks_as_of(…, status=…)]`
(tests/query/test_listing.py checks this over many dates). The rules of "as of" are
`tracker.query`'s; "open" uses `obligation.done_on` (the earliest completion's date, kept by
triggers: `tracker.store.triggers`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from tracker.calendar import WorkCalendar
from tracker.model import Occurrence, Requirement, RequirementKind, Status, TaskView
from tracker.schedule import obligation_status, summarize


class TaskLine(NamedTuple):
    """One task as the `tracker tasks` table shows it."""

    plan_id: int
    number: str
    title: str
    lead: tuple[str, ...]
    support: tuple[str, ...]
    rules: tuple[str, ...]
    """Each live rule in words, in order; a recurring one ends with how often it was done
    ("每月 · 已完成11"), as `RuleView.summary`."""
    next_due: date | None
    status: Status

    @property
    def key(self) -> str:
        """How the command line names this task: "PLAN:NUMBER"."""
        return f"{self.plan_id}:{self.number}"


def line_of(view: TaskView) -> TaskLine:
    """A task view's line (what the table shows of it)."""
    return TaskLine(view.plan_id, view.number, view.title, view.lead, view.support,
                    tuple(r.summary for r in view.rules), view.next_due, view.status)


LISTED_IN_SQL = (Status.OVERDUE, Status.DUE_SOON)
"""The statuses `task_lines` finds in SQL; others go through the task views."""

# Open as of :as_of (done_on: no completion on or before it; no waiver created by the end of it;
# the starting event already happened), of a live rule, due before :limit. SQLite reaches the
# rows through ix_obligation_open (done_on IS NULL, then done_on > :as_of): on the city as of
# 2025-07-01, 3,354 rows in ~4 ms where probing the completions of every due obligation took 52.
_OPEN = """
SELECT o.task_id, o.due FROM obligation o CROSS JOIN requirement r
WHERE (o.done_on IS NULL OR o.done_on > :as_of) AND o.due < :limit{plan}
  AND r.id = o.requirement_id AND r.removed = FALSE
  AND NOT EXISTS (SELECT 1 FROM waiver w WHERE w.requirement_id = o.requirement_id
                  AND w.created_at < :next_day)
  AND (o.event_id IS NULL OR EXISTS (SELECT 1 FROM event e WHERE e.id = o.event_id AND e."on" <= :as_of))
"""
# (no GROUP BY task_id: SQLite would then walk obligation in task order to skip a sort — 18 ms
# instead of 3.6 on the city; the earliest due per task is taken in Python)
_IDS = "(SELECT value FROM json_each(:ids))"
_TASKS = ("SELECT t.id, t.plan_id, t.number, t.title FROM task t WHERE t.removed = FALSE "
          f"AND t.id IN {_IDS}{{owner}} ORDER BY t.plan_id, t.position, t.id")
_OWNER = (" AND t.id IN (SELECT tow.task_id FROM taskowner tow JOIN owner ow ON ow.id = tow.owner_id"
          " WHERE ow.name = :owner)")
_OWNERS = ("SELECT tow.task_id, tow.role, ow.name FROM taskowner tow JOIN owner ow ON ow.id = tow.owner_id "
           f"WHERE tow.task_id IN {_IDS} ORDER BY tow.id")
# a recurring rule's done count: its obligations with a completion on or before :as_of (index
# ix_obligation_req_done), none when the rule is waived by then (its obligations are "waived")
_RULES = f"""
SELECT r.task_id, r.id, r.kind, r.source, r.event, r.workdays, r.days, r.count, r.period, r.per_owner,
       r.due_day, r.month, r.day, r.year_offset,
       CASE WHEN r.kind = 'recurring' AND NOT EXISTS (SELECT 1 FROM waiver w WHERE w.requirement_id = r.id
                                                        AND w.created_at < :next_day)
            THEN (SELECT count(*) FROM obligation o WHERE o.requirement_id = r.id AND o.done_on <= :as_of)
       END
FROM requirement r WHERE r.removed = FALSE AND r.task_id IN {_IDS} ORDER BY r.task_id, r.position, r.id
"""
_DONE_LABEL = {"zh": " · 已完成{k}", "en": " · done {k}"}


def task_lines(conn: sqlite3.Connection, *, as_of: date, status: Status, calendar: WorkCalendar,
               plan_id: int | None = None, owner: str | None = None, within: int = 5,
               lang: str = "zh") -> list[TaskLine]:
    """Live tasks whose status as of `as_of` is `status`, one line each, in plan outline order.

    Filters as in `tasks_as_of`. `calendar` must be the database's (`load_calendar(conn)`).
    No match is an empty list.
    """
    if status not in LISTED_IN_SQL:
        from tracker.query.tasks import tasks_as_of

        return [line_of(v) for v in tasks_as_of(conn, as_of=as_of, plan_id=plan_id, owner=owner,
                                                 status=status, within=within, lang=lang)]
    params: dict[str, Any] = {"as_of": as_of.isoformat(), "next_day": (as_of + timedelta(days=1)).isoformat()}
    # due soon ⟺ due before the (within+1)-th working day after as_of (as in `obligation_status`)
    params["limit"] = params["as_of"] if status is Status.OVERDUE else \
        calendar.add_workdays(as_of, within + 1).isoformat()
    plan = ""
    if plan_id is not None:
        plan = " AND o.plan_id = :plan"
        params["plan"] = plan_id
    earliest: dict[int, str] = {}
    for task_id, due_text in conn.execute(_OPEN.format(plan=plan), params):
        if due_text < earliest.get(task_id, "9999"):  # ISO dates compare as text
            earliest[task_id] = due_text
    next_due: dict[int, date] = {}
    statuses: dict[str, Status] = {}  # one obligation_status call per distinct due date
    for task_id, due_text in earliest.items():
        found = statuses.get(due_text)
        if found is None:
            found = statuses[due_text] = obligation_status(
                Occurrence("", date.fromisoformat(due_text)), as_of=as_of, calendar=calendar, within=within)
        if found is status:  # due soon: the task's earliest open obligation is not overdue
            next_due[task_id] = date.fromisoformat(due_text)
    if not next_due:
        return []
    params["ids"] = "[" + ",".join(map(str, next_due)) + "]"
    owner_sql = ""
    if owner is not None:
        owner_sql = _OWNER
        params["owner"] = owner
    tasks = conn.execute(_TASKS.format(owner=owner_sql), params).fetchall()
    if not tasks:
        return []
    params["ids"] = "[" + ",".join(str(row[0]) for row in tasks) + "]"
    units = _units(conn.execute(_OWNERS, params))
    rules: dict[int, list[str]] = {}
    done_label = _DONE_LABEL["en" if lang == "en" else "zh"]
    for row in conn.execute(_RULES, params):
        text = _summary(row[2:14], lang)
        if row[2] == RequirementKind.RECURRING:
            text += done_label.format(k=row[14] or 0)
        rules.setdefault(row[0], []).append(text)
    no_units: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    lines = []
    for task_id, plan, number, title in tasks:
        lead, support = units.get(task_id, no_units)
        lines.append(TaskLine(plan, number, title, lead, support, tuple(rules.get(task_id, ())),
                              next_due[task_id], status))
    return lines


def _units(rows: Iterable[tuple[int, str, str]]) -> dict[int, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Rows (task_id, role, name) in assignment order → each task's (lead, support), each unit once."""
    found: dict[int, tuple[list[str], list[str]]] = {}
    for task_id, role, name in rows:
        names = found.setdefault(task_id, ([], []))[1 if role == "support" else 0]
        if name not in names:
            names.append(name)
    return {task_id: (tuple(lead), tuple(support)) for task_id, (lead, support) in found.items()}


@lru_cache(maxsize=4096)
def _summary(columns: Sequence[Any], lang: str) -> str:
    """A stored rule's columns (kind, source, event … year_offset) → its words (cached: rules repeat)."""
    kind, source, event, workdays, days, count, period, per_owner, due_day, month, day, year_offset = columns
    return summarize(Requirement(kind=RequirementKind(kind), source=source or "", event=event, workdays=workdays,
                                 days=days, count=count, period=period, per_owner=bool(per_owner),
                                 due_day=due_day, month=month, day=day, year_offset=year_offset or 0), lang)
