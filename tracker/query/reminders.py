"""The fast read for reminders: only the open obligations that are overdue or due soon as of a date.

`tracker remind` from cron used to build a full `TaskView` (every rule, every obligation, its
completions and notes) for each task holding something overdue, then keep the few obligations a
reminder speaks about. This module reads those obligations alone — with their task, plan, rule
and the task's lead units — in one indexed query (plus one for the lead units of the tasks
found), and derives their status with `tracker.schedule.obligation_status`, the same function
the task views use. So for any date it returns exactly the obligations `tasks_as_of` marks
overdue or due soon (tests/query/test_reminders.py checks this over dozens of dates).

The rules of "as of" are `tracker.query`'s: a completion counts from its date, a waiver from the
calendar date of its creation, an event-started obligation from the event's date; removed tasks
and removed rules are left out. The SQL is SQLite's and runs unchanged on PostgreSQL through
`tracker.query.connection.PgConnection`.
"""

# No `from __future__ import annotations`: the NamedTuples below would then compile a
# ForwardRef per field at import (see the per-file-ignores in pyproject.toml).

import sqlite3
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, NamedTuple

from tracker.calendar import WorkCalendar
from tracker.model import Occurrence, Status, UnitNames
from tracker.query.stored import (
    LEADS_SQL,
    OWNED_BY,
    owner_ids,
    shape_key,
    shapes,
    unit_names,
    units_by_task,
)
from tracker.schedule import obligation_status, summarize

REMINDED = (Status.OVERDUE, Status.DUE_SOON)
"""The statuses a reminder speaks about."""


class ReminderRow(NamedTuple):
    """One open obligation that is overdue or due soon as of a date, with what a reminder names."""

    plan_id: int
    plan_title: str
    task_id: int
    number: str
    """The task's number as printed ("8")."""
    title: str
    """The task's title."""
    lead: tuple[str, ...]
    """The task's lead units (牵头/责任单位), in the order they were assigned; () when none."""
    requirement_id: int
    rule_index: int
    """1-based position of the rule within its task."""
    rule: str
    """The rule in words ("每年2次"), in the language asked for (`tracker.schedule.summarize`)."""
    key: str
    due: date
    status: Status
    """`Status.OVERDUE` or `Status.DUE_SOON`."""
    owner: str | None
    """The obligation's own unit (a per-owner rule's "各科室…各一篇"); None for the task's leads."""
    provisional: bool
    note: str


# Open as of :as_of (`done_on`, the earliest completion's date kept by triggers, is empty or
# later; no waiver created by the end of it; its starting event already happened) and due before
# :limit. SQLite reaches the open obligations through ix_obligation_open (done_on IS NULL, then
# done_on > :as_of) and joins task and rule by primary key (the plans' titles are read apart, once
# per plan, not once per row): on the city (100,800
# obligations) as of 2025-07-01 this replaced a probe of the completions per obligation in range
# (36 ms; 80 ms on the stress city). With --plan or --owner SQLite may walk the index on
# obligation(plan_id) or (task_id) instead. Plain SQL: PostgreSQL plans it its own way.
_SQL = """
SELECT o.id, o.task_id, o.requirement_id, o.key, o.owner, o.due, o.provisional, o.note,
       t.plan_id, t.number, t.title, t.position, r.position, {shape}
FROM obligation o JOIN task t ON t.id = o.task_id JOIN requirement r ON r.id = o.requirement_id
WHERE (o.done_on IS NULL OR o.done_on > :as_of) AND o.due < :limit{filters}
  AND NOT EXISTS (SELECT 1 FROM waiver w WHERE w.requirement_id = o.requirement_id
                  AND w.created_at < :next_day)
  AND (o.event_id IS NULL OR EXISTS (SELECT 1 FROM event e WHERE e.id = o.event_id
                                     AND e.task_id = o.task_id AND e."on" <= :as_of))
  AND t.removed = FALSE AND r.removed = FALSE AND r.task_id = o.task_id
"""
_SHAPE_KEY = shape_key("r")
_PLAN = " AND o.plan_id = :plan AND t.plan_id = :plan"
_OWNER = f" AND o.task_id IN {OWNED_BY}"


def reminder_rows(conn: sqlite3.Connection, *, as_of: date, calendar: WorkCalendar, within: int = 5,
                  plan_id: int | None = None, owner: str | None = None, lang: str = "zh",
                  names: UnitNames | None = None) -> list[ReminderRow]:
    """Every open obligation overdue or due soon as of `as_of` (due-soon window: `within` working days).

    Filters combine as in `tasks_as_of`: `plan_id` keeps one plan's tasks, `owner` keeps the tasks
    the unit leads or supports (all their reminded obligations; routing to the unit is the
    reminder's job). Obligations without a due date (ongoing rules) are never listed. The order
    is the one `tasks_as_of(status=OVERDUE)` then `(status=DUE_SOON)` would give their
    obligations: tasks holding something overdue first, each part in plan outline order, and
    within a task by rule, due date, then the store's order. Nothing due is an empty list.
    `calendar` must be the database's (`load_calendar(conn)`); `lang` words the rules; `names` is
    the connection's `unit_names` when the caller has it already (`tracker remind` reads it once).
    """
    params: dict[str, Any] = {"as_of": as_of.isoformat(), "next_day": (as_of + timedelta(days=1)).isoformat(),
                              # due soon ⟺ due before the (within+1)-th working day after as_of
                              "limit": calendar.add_workdays(as_of, within + 1).isoformat()}
    filters = ""
    if plan_id is not None:
        filters += _PLAN
        params["plan"] = plan_id
    if owner is not None:
        filters += _OWNER
        params["owner_ids"] = owner_ids(conn, owner, names)
    rows = conn.execute(_SQL.format(filters=filters, shape=_SHAPE_KEY), params).fetchall()
    if not rows:
        return []
    ids = "[" + ",".join(map(str, sorted({row[1] for row in rows}))) + "]"
    names = names or unit_names(conn)
    leads = {task_id: lead for task_id, (lead, _) in
             units_by_task(conn.execute(LEADS_SQL, {"ids": ids}), names).items()}
    plans: dict[int, tuple[str, int]] = {plan_id: (title, office) for plan_id, title, office in
                                         conn.execute("SELECT id, title, office_id FROM plan")}
    first: dict[str, int] = {}
    for row in rows:
        first.setdefault(row[13], row[2])
    words = {key: summarize(rule, lang) for key, rule in shapes(conn, first).items()}
    return _to_reminders(rows, leads, plans, words, names, as_of=as_of, calendar=calendar, within=within)


def _to_reminders(rows: Iterable[tuple[Any, ...]], leads: dict[int, tuple[str, ...]],
                  plans: dict[int, tuple[str, int]], words: dict[str, str], names: UnitNames, *,
                  as_of: date, calendar: WorkCalendar, within: int) -> list[ReminderRow]:
    """Rows of `_SQL` → reminder rows with a derived status, in the documented order."""
    # The hot loop of `tracker remind` (3k rows for the city, 17k in its stress case): one
    # obligation_status call per distinct due date; rules worded once per shape (`words`; ""
    # for a rule gone since the query, see `shapes`).
    statuses: dict[str, tuple[date, Status]] = {}
    keyed: list[tuple[tuple[Any, ...], ReminderRow]] = []
    overdue_tasks: set[int] = set()
    no_leads: tuple[str, ...] = ()
    for row in rows:
        due_text = row[5]
        if due_text is None:
            continue
        known = statuses.get(due_text)
        if known is None:
            due = date.fromisoformat(due_text)
            known = statuses[due_text] = (due, obligation_status(Occurrence(row[3], due), as_of=as_of,
                                                                  calendar=calendar, within=within))
        due, status = known
        if status not in REMINDED:
            continue
        ob_id, task_id, rid, key, ob_owner, _, provisional, note, plan_id, number, title, \
            task_pos, rule_pos = row[:13]
        if status is Status.OVERDUE:
            overdue_tasks.add(task_id)
        plan_title, office = plans[plan_id]
        if ob_owner and names.shared:
            ob_owner = names(ob_owner, office)
        keyed.append(((plan_id, task_pos, task_id, rule_pos, due, ob_id), ReminderRow(
            plan_id, plan_title, task_id, number, title, leads.get(task_id, no_leads), rid, rule_pos,
            words.get(row[13], ""), key, due, status, ob_owner, bool(provisional), note or "")))
    keyed.sort(key=lambda pair: (pair[0][2] not in overdue_tasks, pair[0]))  # [2]: the task id
    return [row for _, row in keyed]


def owner_emails(conn: sqlite3.Connection, names: UnitNames | None = None) -> dict[str, str | None]:
    """Every unit, as the reminders name it (`unit_names`, or `names` when the caller has it) → its
    mail address (None when it has none). No units is an empty dict."""
    names = names or unit_names(conn)
    return {names(name, office): email for name, office, email in
            conn.execute("SELECT name, office_id, email FROM owner")}
