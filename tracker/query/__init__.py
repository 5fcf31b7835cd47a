"""The one read layer for all views (CLI, TUI, ledger, reminders): facts in the database → views.

Plain SQL over a DB-API connection — `sqlite3`, or psycopg for a PostgreSQL URL; no ORM, no UI, no
spreadsheet library — so the cron-facing commands (`tracker tasks`, `show`, `remind`) start in
tens of milliseconds (`import sqlmodel` alone costs ~335 ms here). Table and column names are
those of `tracker.store.tables`; a rename there is a rename here.

Status is derived, never stored. As of a date D:

- a completion counts only if dated on or before D (the earliest such one is the obligation's);
- a waiver exists from the calendar date of its `created_at` (a waiver recorded on 2024-07-03 at
  16:00 waives nothing as of 2024-07-02, and the whole rule as of 2024-07-03);
- an event dated after D does not exist yet, and neither do the obligations it started;
- progress notes dated after D do not exist yet;
- removed tasks and removed rules are left out.

The obligations themselves (due dates) are the store's materialized `obligation` rows; their
status comes from `tracker.schedule.obligation_status` on a `WorkCalendar` built from the
database's calendar overrides.

Modules: `connection` (open, check, the PostgreSQL adapter), `plans` (plans, units, task
references), `tasks` (views as of a date), `history` (one task in full, the audit trail). Every
public name is importable from `tracker.query` (`tasks` and `history` on first use).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.query.connection import (
    READ_SCHEMA_VERSION,
    PgConnection,
    connect,
    is_postgres,
    sql_errors,
)
from tracker.query.plans import (
    check_owner,
    find_task_id,
    list_owners,
    list_plans,
    load_calendar,
    resolve_plan,
)

if TYPE_CHECKING:
    from tracker.query.history import audit_log, task_detail
    from tracker.query.tasks import OVERDUE_TASK_IDS_SQL, _candidate_ids, tasks_as_of, tasks_by_ids

_LAZY = {"audit_log": "history", "task_detail": "history", "OVERDUE_TASK_IDS_SQL": "tasks",
         "_candidate_ids": "tasks", "tasks_as_of": "tasks", "tasks_by_ids": "tasks"}
"""Names loaded on first use, by module: the full task views are not on `tracker remind`'s or
`tracker tasks`' path (their import cost ~1 ms of every cron run)."""


def __getattr__(name: str) -> object:
    """`tracker.query.tasks_as_of` and the other `_LAZY` names, imported when first asked for."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tracker.query' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"tracker.query.{module}"), name)
    globals()[name] = value
    return value


__all__ = ["OVERDUE_TASK_IDS_SQL", "READ_SCHEMA_VERSION", "PgConnection", "_candidate_ids", "audit_log",
           "check_owner", "connect", "find_task_id", "is_postgres", "list_owners", "list_plans",
           "load_calendar", "resolve_plan", "sql_errors", "task_detail", "tasks_as_of", "tasks_by_ids"]
