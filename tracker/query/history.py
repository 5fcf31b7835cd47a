"""One task in full (events, notes, audit history) and the audit trail of recent actions."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date
from typing import Any

from tracker.errors import NotFoundError
from tracker.model import AuditView, EventView, NoteView, TaskDetail
from tracker.query.tasks import tasks_by_ids


def task_detail(conn: sqlite3.Connection, task_id: int, *, as_of: date, within: int = 5,
                lang: str = "zh") -> TaskDetail:
    """One task with its events and notes up to `as_of` and its whole audit history (newest first).

    History is what was recorded, when: it is not cut at `as_of`. `NotFoundError` for an unknown id.
    """
    views = tasks_by_ids(conn, [task_id], as_of=as_of, within=within, lang=lang)
    if not views:
        raise NotFoundError(f"there is no task with id {task_id}.", zh=f"没有 ID 为 {task_id} 的任务。")
    day = as_of.isoformat()
    events = tuple(EventView(event_id=r[0], on=date.fromisoformat(r[1]), ref=r[2], requirement_id=r[3])
                   for r in conn.execute('SELECT id, "on", ref, requirement_id FROM event '
                                         'WHERE task_id = ? AND "on" <= ? ORDER BY "on", id',
                                         (task_id, day)))
    notes = tuple(NoteView(note_id=r[0], on=date.fromisoformat(r[1]), text=r[2], author=r[3] or "")
                  for r in conn.execute('SELECT id, "on", text, author FROM progressnote '
                                        'WHERE task_id = ? AND "on" <= ? ORDER BY "on", id',
                                        (task_id, day)))
    return TaskDetail(task=views[0], events=events, notes=notes, history=tuple(_history(conn, task_id)))


# One line per user action: its first summary, preferring the fact it changed over the
# bookkeeping rows the store also writes (a task's "版本+1", a unit created on the way).
# Portable SQL: every non-grouped column aggregated, booleans compared through CASE.
_ACTIONS_SQL = """
    SELECT min(a.at), min(a.who), min(a.action),
           coalesce((SELECT b.summary FROM auditentry b WHERE b.action_id = a.action_id
                     AND b.summary != '' ORDER BY b.entity IN ('task', 'owner'), b.id LIMIT 1), ''),
           max(CASE WHEN a.undone THEN 1 ELSE 0 END)
    FROM auditentry a {where}
    GROUP BY a.action_id ORDER BY min(a.at) DESC, max(a.id) DESC
"""


def _history(conn: sqlite3.Connection, task_id: int) -> list[AuditView]:
    """Every action that touched the task: one whose audit rows carry its `task_id` (schema 3's
    indexed column, filled by the store for the task, its rules, owners, events, notes,
    completions and waivers). A schema-2 SQLite file not yet upgraded is read the old way."""
    where = "WHERE a.action_id IN (SELECT b.action_id FROM auditentry b WHERE b.task_id = :task)"
    try:
        rows = conn.execute(_ACTIONS_SQL.format(where=where), {"task": task_id}).fetchall()
    except sqlite3.OperationalError as exc:
        if "task_id" not in str(exc):
            raise
        rows = _history_v2(conn, task_id)
    return [_audit_view(r) for r in rows]


def _history_v2(conn: sqlite3.Connection, task_id: int) -> list[Sequence[object]]:
    # Schema 2 (SQLite only): a row belongs to the task when it is the task, or its JSON names the
    # task or one of the task's rules. `instr` skips json_extract on unrelated rows.
    row_json = "(CASE WHEN json_valid(coalesce(b.after, b.before)) THEN coalesce(b.after, b.before) END)"
    where = f"""WHERE a.action_id IN (
        SELECT b.action_id FROM auditentry b
        WHERE (b.entity = 'task' AND b.entity_id = :task)
           OR ((instr(coalesce(b.after, b.before), :mid) OR instr(coalesce(b.after, b.before), :end))
               AND json_extract({row_json}, '$.task_id') = :task)
           OR (b.entity IN ('completion', 'waiver') AND json_extract({row_json}, '$.requirement_id')
               IN (SELECT id FROM requirement WHERE task_id = :task)))"""
    return conn.execute(_ACTIONS_SQL.format(where=where),
                        {"task": task_id, "mid": f'"task_id": {task_id},', "end": f'"task_id": {task_id}}}'}
                        ).fetchall()


def audit_log(conn: sqlite3.Connection, *, limit: int = 30) -> list[AuditView]:
    """The latest `limit` user actions, newest first, one line each (an action's rows grouped).

    Zero (or fewer) is an empty list. Walks the log backwards by id and stops at `limit` distinct
    actions, so a long history (a city's imports write ~33k rows) costs what the last lines cost.
    """
    recent: list[str] = []
    for (action_id,) in conn.execute("SELECT action_id FROM auditentry ORDER BY id DESC"):
        if len(recent) >= limit:
            break
        if action_id not in recent:
            recent.append(action_id)
    if not recent:
        return []
    names = {f"a{i}": value for i, value in enumerate(recent)}
    where = "WHERE a.action_id IN (" + ", ".join(f":{n}" for n in names) + ")"
    rows = conn.execute(_ACTIONS_SQL.format(where=where), names)
    return [_audit_view(r) for r in rows]


def _audit_view(row: Sequence[Any]) -> AuditView:
    at, who, action, summary, undone = row
    return AuditView(at=str(at), who=who or "", action=action, summary=summary, undone=bool(undone))
