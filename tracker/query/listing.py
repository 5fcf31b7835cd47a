"""The lines of `tracker tasks` (the table): one per task, without building task views.

`tasks_as_of` builds a full `TaskView` per task — every rule, every obligation with its status,
completions, notes — which a list of the city's 2,498 overdue tasks paid ~350 ms for, and all its
7,200 tasks 1.5 s. The table shows far less: the task, its units, its rules in words (with how
many times a recurring rule was done), the next due date and the status. This module reads
exactly that:

- overdue and due soon come from the open obligations alone (an open obligation due before the
  date, or the earliest one within the window), through the index on `obligation.done_on`;
- any other status, or no status filter, sums up each task's obligations in one grouped query
  (the earliest open due date, an open ongoing rule, anything done late, done or waived) and
  ranks them by urgency as `tracker.schedule.task_status` does.

For any date the lines equal `[line_of(v) for v in tasks_as_of(…, status=…)]`
(tests/query/test_listing.py checks every status over many dates, with filters, in both
languages). The rules of "as of" are `tracker.query`'s; "open" uses `obligation.done_on` (the
earliest completion's date, kept by triggers: `tracker.store.triggers`).
"""

# No `from __future__ import annotations`: TaskLine would then compile a ForwardRef per field at
# every import (8 compile() calls, ~2% of a cold `tracker tasks --status overdue`), as the modules
# in pyproject.toml's per-file-ignores avoid.

import sqlite3
from datetime import date, timedelta
from operator import itemgetter
from typing import Any, NamedTuple

from tracker.calendar import WorkCalendar
from tracker.model import Occurrence, Status, TaskView
from tracker.query.stored import (
    NO_UNITS,
    OWNED_BY,
    UNITS_SQL,
    owner_ids,
    rule_words,
    shape_key,
    shapes,
    unit_names,
    units_by_task,
)
from tracker.schedule import obligation_status


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
"""The statuses `task_lines` finds from the open obligations alone (the others, and no status
filter, sum up every obligation of every task: `_every_status`)."""

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
          "AND {where}{owner} ORDER BY t.plan_id, t.position, t.id")
# Each live rule of the tasks in :ids, in order: its done count, its id and its shape key
# (`shape_key`: its words depend on nothing else). A recurring rule's done count: its obligations
# with a completion on or before :as_of (index ix_obligation_req_done), none when the rule is
# waived by then (its obligations are "waived").
_RULES = f"""
SELECT r.task_id,
       CASE WHEN r.kind = 'recurring' AND NOT EXISTS (SELECT 1 FROM waiver w WHERE w.requirement_id = r.id
                                                        AND w.created_at < :next_day)
            THEN (SELECT count(*) FROM obligation o WHERE o.requirement_id = r.id AND o.done_on <= :as_of)
       END,
       r.id, {shape_key("r")}
FROM requirement r WHERE r.removed = FALSE AND r.task_id IN {_IDS} ORDER BY r.task_id, r.position, r.id
"""


def task_lines(conn: sqlite3.Connection, *, as_of: date, status: Status | None, calendar: WorkCalendar,
               plan_id: int | None = None, owner: str | None = None, within: int = 5,
               lang: str = "zh") -> list[TaskLine]:
    """Live tasks whose status as of `as_of` is `status` (every live task when None), one line
    each, in plan outline order.

    Filters as in `tasks_as_of`. `calendar` must be the database's (`load_calendar(conn)`).
    No match is an empty list.
    """
    params: dict[str, Any] = {"as_of": as_of.isoformat(), "next_day": (as_of + timedelta(days=1)).isoformat()}
    plan = ""
    if plan_id is not None:
        plan = " AND o.plan_id = :plan"
        params["plan"] = plan_id
    if status in LISTED_IN_SQL:
        assert status is not None
        found = _overdue_or_due_soon(conn, status, params, plan, as_of=as_of, calendar=calendar, within=within)
        if not found:
            return []
        params["ids"] = "[" + ",".join(map(str, found)) + "]"
        where = f"t.id IN {_IDS}"
    else:
        found = _every_status(conn, params, plan, as_of=as_of, calendar=calendar, within=within)
        where = "TRUE" if plan_id is None else "t.plan_id = :plan"
    owner_sql = ""
    if owner is not None:
        owner_sql = f" AND t.id IN {OWNED_BY}"
        params["owner_ids"] = owner_ids(conn, owner)
    tasks = conn.execute(_TASKS.format(where=where, owner=owner_sql), params).fetchall()
    if status is not None and status not in LISTED_IN_SQL:  # (those were chosen in SQL)
        tasks = [row for row in tasks if found.get(row[0], _NOTHING_DUE)[0] is status]
    if not tasks:
        return []
    if len(tasks) != len(found) or status not in LISTED_IN_SQL:  # else :ids already lists them
        params["ids"] = "[" + ",".join(str(row[0]) for row in tasks) + "]"
    units = units_by_task(conn.execute(UNITS_SQL, params), unit_names(conn))
    rules = _rules_in_words(conn, params, lang)
    lines = []
    for task_id, plan_of_task, number, title in tasks:
        lead, support = units.get(task_id, NO_UNITS)
        task_status, next_due = found.get(task_id, _NOTHING_DUE)
        lines.append(TaskLine(plan_of_task, number, title, lead, support, tuple(rules.get(task_id, ())),
                              next_due, task_status))
    return lines


def _rules_in_words(conn: sqlite3.Connection, params: dict[str, Any], lang: str) -> dict[int, list[str]]:
    """Each task's live rules in words, in order; worded once per distinct (done count, shape):
    the 4,996 rules of the city's overdue tasks take 28 wordings."""
    rows = conn.execute(_RULES, params).fetchall()
    first: dict[str, int] = {}
    for row in rows:
        first.setdefault(row[3], row[2])
    rule_of = shapes(conn, first)
    worded: dict[tuple[int | None, str], str] = {}
    rules: dict[int, list[str]] = {}
    for task_id, done, _, key in rows:
        words = worded.get((done, key))
        if words is None:
            rule = rule_of.get(key)
            if rule is None:  # gone since the query above (`shapes`)
                continue
            words = worded[done, key] = rule_words(rule, done or 0, lang)
        rules.setdefault(task_id, []).append(words)
    return rules


_NOTHING_DUE: tuple[Status, date | None] = (Status.ON_TRACK, None)
"""A task with no obligation (no rule, or only rules waiting for an event): on track, nothing due."""


def _overdue_or_due_soon(conn: sqlite3.Connection, status: Status, params: dict[str, Any], plan: str, *,
                         as_of: date, calendar: WorkCalendar, within: int) -> dict[int, tuple[Status, date | None]]:
    """Tasks whose status is overdue (or due soon), with their next due date, from the open
    obligations due before the date (or before the end of the window)."""
    # due soon ⟺ due before the (within+1)-th working day after as_of (as in `obligation_status`)
    params["limit"] = params["as_of"] if status is Status.OVERDUE else \
        calendar.add_workdays(as_of, within + 1).isoformat()
    # each task's earliest open due date: rows from the latest due to the earliest, a task's last
    # row wins (ISO dates sort as text)
    rows = conn.execute(_OPEN.format(plan=plan), params).fetchall()
    earliest: dict[int, str] = dict(sorted(rows, key=itemgetter(1), reverse=True))
    wanted: dict[str, tuple[Status, date | None]] = {}  # one obligation_status call per distinct due date
    for due_text in set(earliest.values()):
        due = date.fromisoformat(due_text)
        if obligation_status(Occurrence("", due), as_of=as_of, calendar=calendar, within=within) is status:
            wanted[due_text] = (status, due)  # due soon: the task's earliest open obligation is not overdue
    return {task_id: wanted[due_text] for task_id, due_text in earliest.items() if due_text in wanted}


# Every task's obligations summed up as of :as_of, one row per task (a task without any is on track):
# the earliest open dated due date (its status is the task's most urgent dated one), whether an
# ongoing rule is open, and whether anything was done late, done, or waived. Obligations of
# removed rules and of events that have not happened are left out, as in the task views.
_EVERY = """
SELECT o.task_id,
       min(CASE WHEN w.requirement_id IS NULL AND (o.done_on IS NULL OR o.done_on > :as_of) THEN o.due END),
       max(CASE WHEN w.requirement_id IS NULL AND (o.done_on IS NULL OR o.done_on > :as_of)
                     AND o.due IS NULL THEN 1 ELSE 0 END),
       max(CASE WHEN w.requirement_id IS NULL AND o.done_on <= :as_of AND o.done_on > o.due THEN 1 ELSE 0 END),
       max(CASE WHEN w.requirement_id IS NULL AND o.done_on <= :as_of THEN 1 ELSE 0 END),
       max(CASE WHEN w.requirement_id IS NOT NULL THEN 1 ELSE 0 END)
FROM obligation o JOIN requirement r ON r.id = o.requirement_id AND r.removed = FALSE
     LEFT JOIN (SELECT DISTINCT requirement_id FROM waiver WHERE created_at < :next_day) w
            ON w.requirement_id = o.requirement_id
WHERE (o.event_id IS NULL OR EXISTS (SELECT 1 FROM event e WHERE e.id = o.event_id AND e."on" <= :as_of)){plan}
GROUP BY o.task_id
"""
_NOTED = ('SELECT DISTINCT task_id FROM progressnote WHERE "on" >= :month_start AND "on" <= :as_of')


def _every_status(conn: sqlite3.Connection, params: dict[str, Any], plan: str, *, as_of: date,
                  calendar: WorkCalendar, within: int) -> dict[int, tuple[Status, date | None]]:
    """Each task's status and next due date as of `as_of`, as `tasks_as_of` derives them (by
    urgency: overdue, due soon, no update, on track, done late, done, waived)."""
    params["month_start"] = as_of.replace(day=1).isoformat()
    noted = {row[0] for row in conn.execute(_NOTED, params)}
    dated: dict[str, Status] = {}  # one obligation_status call per distinct due date
    found: dict[int, tuple[Status, date | None]] = {}
    for task_id, due_text, ongoing_open, done_late, done, waived in conn.execute(_EVERY.format(plan=plan), params):
        next_due = None if due_text is None else date.fromisoformat(str(due_text))
        status: Status | None = None
        if next_due is not None:
            status = dated.get(str(due_text))
            if status is None:
                status = dated[str(due_text)] = obligation_status(Occurrence("", next_due), as_of=as_of,
                                                                  calendar=calendar, within=within)
        if ongoing_open:  # an open ongoing rule: on track with a note this month, else "no update"
            ongoing = Status.ON_TRACK if task_id in noted else Status.NO_UPDATE
            status = ongoing if status is None or ongoing.urgency < status.urgency else status
        if status is None:  # nothing open
            status = (Status.DONE_LATE if done_late else Status.DONE if done else
                      Status.WAIVED if waived else Status.ON_TRACK)
        found[task_id] = (status, next_due)
    return found
