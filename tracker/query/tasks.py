"""Tasks as of a date: the views every list (CLI, TUI, ledger, reminders) is built from.

Status is derived here, never read from a column (see `tracker.query`'s docstring for the rules of
"as of"). The SQL runs on SQLite and, through `PgConnection`, on PostgreSQL unchanged.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from tracker.calendar import WorkCalendar
from tracker.model import (
    ObligationView,
    Occurrence,
    Requirement,
    RuleView,
    Status,
    TaskView,
)
from tracker.query.plans import load_calendar
from tracker.query.stored import (
    NO_UNITS,
    OWNED_BY,
    UNITS_SQL,
    owner_ids,
    requirement_of,
    rule_columns,
    rule_words,
    unit_names,
    units_by_task,
)
from tracker.schedule import obligation_status, task_status

# Obligations that are open as of :as_of: no completion on or before it (`done_on`, the earliest
# completion's date, kept by triggers), no waiver created by the end of it, the starting event
# already happened. SQLite reaches them through ix_obligation_open (done_on IS NULL, then
# done_on > :as_of) instead of probing the completions of every obligation already due: on the
# city as of 2025-07-01, 4 ms instead of 52.
_OPEN_OBLIGATION = """
    FROM obligation o {live}
    WHERE (o.done_on IS NULL OR o.done_on > :as_of) AND {due}{plan}
      AND NOT EXISTS (SELECT 1 FROM waiver w WHERE w.requirement_id = o.requirement_id
                      AND w.created_at < :next_day)
      AND (o.event_id IS NULL OR EXISTS (SELECT 1 FROM event e WHERE e.id = o.event_id
                                         AND e."on" <= :as_of))
"""
_LIVE = """JOIN task t ON t.id = o.task_id AND t.removed = FALSE
    JOIN requirement r ON r.id = o.requirement_id AND r.removed = FALSE"""

# No DISTINCT: with it SQLite (no ANALYZE statistics) walks all of obligation in task_id order.
# Task ids repeat, once per open obligation; callers dedupe.
OVERDUE_TASK_IDS_SQL = "SELECT o.task_id" + _OPEN_OBLIGATION.format(
    live=_LIVE, due="o.due < :as_of", plan="")
"""The live tasks overdue as of :as_of (params as_of, next_day: ISO dates), one row per open
obligation of a live rule due before that day (a task id repeats). Benchmarks run it raw."""


def _candidate_ids(conn: sqlite3.Connection, status: Status, as_of: date, plan_id: int | None,
                   calendar: WorkCalendar, within: int) -> list[int]:
    """Task ids that may have `status`, found in SQL (a superset; exact status is derived after).

    Removed tasks and rules are not joined here (that doubled the query's time on the city):
    the view builder leaves them out anyway.
    """
    params: dict[str, Any] = {"as_of": as_of.isoformat(),
                              "next_day": (as_of + timedelta(days=1)).isoformat(), "plan": plan_id}
    if status is Status.OVERDUE:
        due = "o.due < :as_of"
    else:  # DUE_SOON: due within the window ⟺ due before the (within+1)-th working day after as_of
        due = "o.due >= :as_of AND o.due < :limit"
        params["limit"] = calendar.add_workdays(as_of, within + 1).isoformat()
    plan = "" if plan_id is None else " AND o.plan_id = :plan"
    sql = "SELECT o.task_id" + _OPEN_OBLIGATION.format(live="", due=due, plan=plan)
    return list(dict.fromkeys(row[0] for row in conn.execute(sql, params)))


def tasks_as_of(conn: sqlite3.Connection, *, as_of: date, plan_id: int | None = None,
                owner: str | None = None, status: Status | None = None,
                within: int = 5, lang: str = "zh") -> list[TaskView]:
    """Live tasks with rules, obligations and derived status as of `as_of`, in plan outline order.

    Filters combine: `plan_id`, `owner` (a lead or supporting unit of the task; all the task's
    obligations are still shown), `status` (the task's own, i.e. its most urgent obligation's).
    For overdue and due_soon the candidates are found in SQL first, so a city-sized database does
    not build a view per task. Rule summaries are in `lang`. No match is an empty list, not an error.
    """
    calendar = load_calendar(conn)
    where: list[str] = ["t.removed = FALSE"]
    params: dict[str, Any] = {}
    if plan_id is not None:
        where.append("t.plan_id = :plan")
        params["plan"] = plan_id
    if owner is not None:
        where.append(f"t.id IN {OWNED_BY}")
        params["owner_ids"] = owner_ids(conn, owner)
    if status in (Status.OVERDUE, Status.DUE_SOON):
        ids = _candidate_ids(conn, status, as_of, plan_id, calendar, within)
        if not ids:
            return []
        where.append("t.id IN (SELECT value FROM json_each(:ids))")
        params["ids"] = "[" + ",".join(map(str, ids)) + "]"
    views = _build_views(conn, " AND ".join(where), params, as_of=as_of, calendar=calendar,
                         within=within, lang=lang)
    return [v for v in views if status is None or v.status is status]


def _build_views(conn: sqlite3.Connection, where: str, params: dict[str, Any], *, as_of: date,
                 calendar: WorkCalendar, within: int, lang: str = "zh") -> list[TaskView]:
    tasks = conn.execute(
        "SELECT t.id, t.plan_id, p.title, t.number, t.path, s.number, s.title, t.title, t.text, "
        "t.version, p.office_id FROM task t JOIN plan p ON p.id = t.plan_id "
        f"LEFT JOIN section s ON s.id = t.section_id WHERE {where} "
        "ORDER BY t.plan_id, t.position, t.id", params).fetchall()
    if not tasks:
        return []
    facts = _Facts(conn, [row[0] for row in tasks], as_of)
    return [_task_view(row, facts, as_of=as_of, calendar=calendar, within=within, lang=lang)
            for row in tasks]


class _Facts:
    """Everything known about a set of tasks as of a date, loaded with one query per table."""

    def __init__(self, conn: sqlite3.Connection, task_ids: Sequence[int], as_of: date) -> None:
        ids = "(SELECT value FROM json_each(:ids))"
        p = {"ids": "[" + ",".join(map(str, task_ids)) + "]", "as_of": as_of.isoformat(),
             "next_day": (as_of + timedelta(days=1)).isoformat()}
        self.names = unit_names(conn)
        """How units are shown (a per-owner obligation's owner too)."""
        self.units = units_by_task(conn.execute(UNITS_SQL, p), self.names)
        self.rules: dict[int, list[tuple[int, int, Requirement]]] = defaultdict(list)
        for row in conn.execute(
                f"SELECT id, task_id, position, {rule_columns()} FROM requirement "
                f"WHERE removed = FALSE AND task_id IN {ids} ORDER BY task_id, position, id", p):
            self.rules[row[1]].append((row[0], row[2], requirement_of(tuple(row[3:]))))
        self.obligations: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        # done_on: the earliest completion's date (kept by triggers); a completion after as_of
        # does not exist yet, and then no earlier one does either
        self.done: dict[tuple[int, str], tuple[date, str | None]] = {}
        as_of_text = p["as_of"]
        for row in conn.execute(
                "SELECT task_id, requirement_id, key, owner, due, provisional, note, event_id, done_on "
                f"FROM obligation WHERE task_id IN {ids} ORDER BY id", p):
            self.obligations[row[0]].append(row[1:8])
            if row[8] is not None and str(row[8]) <= as_of_text:
                self.done[(row[1], row[2])] = (date.fromisoformat(str(row[8])), None)
        # the evidence of the completion that counts: the first recorded on that earliest date
        for rid, key, evidence in conn.execute(
                "SELECT c.requirement_id, c.obligation_key, c.evidence FROM obligation o "
                "JOIN completion c ON c.requirement_id = o.requirement_id AND c.obligation_key = o.key "
                f"AND c.done_on = o.done_on WHERE o.task_id IN {ids} AND o.done_on <= :as_of "
                "AND c.evidence IS NOT NULL AND c.id = (SELECT min(c2.id) FROM completion c2 "
                "WHERE c2.requirement_id = c.requirement_id AND c2.obligation_key = c.obligation_key "
                "AND c2.done_on = c.done_on)", p):
            if (rid, key) in self.done:
                self.done[(rid, key)] = (self.done[(rid, key)][0], evidence)
        self.waived: dict[int, str] = {}
        for rid, reason in conn.execute(
                "SELECT w.requirement_id, w.reason FROM waiver w JOIN requirement r "
                f"ON r.id = w.requirement_id WHERE r.task_id IN {ids} AND w.created_at < :next_day "
                "ORDER BY w.created_at, w.id", p):
            self.waived[rid] = reason  # the latest reason wins
        self.events: set[int] = {row[0] for row in conn.execute(
            f'SELECT id FROM event WHERE task_id IN {ids} AND "on" <= :as_of', p)}
        self.statuses: dict[tuple[Any, ...], Status] = {}
        """Memo of obligation_status for this as-of date (see `_task_view`)."""
        self.last_note: dict[int, tuple[date, str]] = {}
        for task_id, on, text in conn.execute(
                f'SELECT task_id, "on", text FROM progressnote WHERE task_id IN {ids} '
                'AND "on" <= :as_of ORDER BY "on", id', p):
            self.last_note[task_id] = (date.fromisoformat(on), text)


_NOT_DONE: tuple[None, None] = (None, None)
_CLOSED = frozenset({Status.DONE, Status.DONE_LATE, Status.WAIVED})
_DONE = frozenset({Status.DONE, Status.DONE_LATE})


def _order(ob: ObligationView) -> tuple[int, date]:
    return ob.rule_index, ob.due or date.max


def _task_view(row: Sequence[Any], facts: _Facts, *, as_of: date, calendar: WorkCalendar,
               within: int, lang: str) -> TaskView:
    # The hot loop of every list view (~65k obligations for an overdue city): locals, positional
    # record construction and one pass per task — 2× faster than the plain keyword version.
    task_id, plan_id, plan_title, number, path, s_number, s_title, title, text, version, office = row
    names = facts.names if facts.names.shared else None  # (None: no unit name is shared by two offices)
    rules = facts.rules.get(task_id, ())
    position = {rid: pos for rid, pos, _ in rules}
    note = facts.last_note.get(task_id)
    last_note_on = note[0] if note else None
    done_get, waived, events, fromiso = facts.done.get, facts.waived, facts.events, date.fromisoformat
    statuses = facts.statuses
    obligations: list[ObligationView] = []
    for rid, key, owner, due_text, provisional, note_text, event_id in facts.obligations.get(task_id, ()):
        pos = position.get(rid)
        if pos is None or (event_id is not None and event_id not in events):
            continue  # a removed rule, or an event that has not happened as of this date
        if owner and names is not None:
            owner = names(owner, office)
        due = fromiso(due_text) if due_text else None
        done_on, evidence = done_get((rid, key), _NOT_DONE)
        is_waived = rid in waived
        # obligation_status reads an occurrence's due date only (its key, owner and note name it),
        # so one call per distinct (due, done_on, waived, last note) answers for all of them: a
        # city repeats the same month-ends thousands of times (61 → 40 ms for 11k obligations).
        memo = (due, done_on, is_waived, last_note_on)
        status = statuses.get(memo)
        if status is None:
            occ = Occurrence(key, due, owner, bool(provisional), note_text or "", event_id)
            status = statuses[memo] = obligation_status(
                occ, as_of=as_of, calendar=calendar, done_on=done_on, waived=is_waived,
                within=within, last_note_on=last_note_on)
        obligations.append(ObligationView(rid, pos, key, due, status, owner, done_on, evidence,
                                          bool(provisional), note_text or ""))
    # by rule, then due date; ties (per-owner sets) keep the store's order: lead then support units
    obligations.sort(key=_order)
    done_count: dict[int, int] = defaultdict(int)
    next_due: date | None = None
    for ob in obligations:
        if ob.status in _DONE:
            done_count[ob.requirement_id] += 1
        elif ob.due is not None and ob.status not in _CLOSED and (next_due is None or ob.due < next_due):
            next_due = ob.due
    rule_views = tuple(_rule_view(rid, pos, req, done_count[rid], facts.waived.get(rid), lang)
                       for rid, pos, req in rules)
    lead, support = facts.units.get(task_id, NO_UNITS)
    return TaskView(
        task_id=task_id, plan_id=plan_id, plan_title=plan_title, number=number,
        path=tuple(path.split("/")) if path else (), section=f"{s_number}、{s_title}" if s_number else "",
        title=title, text=text, lead=lead, support=support,
        status=task_status([ob.status for ob in obligations]), next_due=next_due,
        rules=rule_views, obligations=tuple(obligations), last_note=note[1] if note else None,
        version=version)


def _rule_view(rid: int, pos: int, req: Requirement, done: int, waived_reason: str | None,
               lang: str) -> RuleView:
    return RuleView(requirement_id=rid, index=pos, requirement=req, summary=rule_words(req, done, lang),
                    waived_reason=waived_reason)


def tasks_by_ids(conn: sqlite3.Connection, task_ids: Sequence[int], *, as_of: date, within: int = 5,
                 lang: str = "zh") -> list[TaskView]:
    """Views of the given tasks (removed ones included), in outline order; rule summaries in `lang`."""
    return _build_views(conn, "t.id IN (SELECT value FROM json_each(:ids))",
                        {"ids": "[" + ",".join(map(str, task_ids)) + "]"}, as_of=as_of,
                        calendar=load_calendar(conn), within=within, lang=lang)

