"""The one read layer for all views (CLI, TUI, ledger, reminders): facts in the database → views.

PLACEHOLDER: the signatures below are the contract the views code against; the implementation
lands with the store issue. Plain SQL over a DB-API connection (sqlite3), no ORM, no UI.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from tracker.model import OwnerInfo, PlanInfo, Status, TaskDetail, TaskView


def connect(db: str) -> sqlite3.Connection:
    """Open the database for reading (path or sqlite URL); `DatabaseError` with a sentence if not."""
    raise NotImplementedError


def list_plans(conn: sqlite3.Connection) -> list[PlanInfo]:
    """Every stored plan, newest first. Zero plans is not an error."""
    raise NotImplementedError


def resolve_plan(conn: sqlite3.Connection, plan: str | None) -> PlanInfo:
    """The plan named by id or part of its title; the only plan when None. `NotFoundError` names the valid ones."""
    raise NotImplementedError


def tasks_as_of(conn: sqlite3.Connection, *, as_of: date, plan_id: int | None = None,
                owner: str | None = None, status: Status | None = None,
                within: int = 5) -> list[TaskView]:
    """Live tasks with rules, obligations and derived status as of `as_of`, in plan outline order."""
    raise NotImplementedError


def task_detail(conn: sqlite3.Connection, task_id: int, *, as_of: date, within: int = 5) -> TaskDetail:
    """One task with its events, notes (up to as_of) and audit history."""
    raise NotImplementedError


def list_owners(conn: sqlite3.Connection) -> list[OwnerInfo]:
    """Every unit with its address and number of live tasks, by name."""
    raise NotImplementedError
