"""Task row versions: the optimistic check that stops two people's edits overwriting each other.

Every action that changes a task bumps `task.version` with `UPDATE task SET version = version + 1
WHERE id = ? AND version = ?` when the caller says which version it read (`expected_version`: the
TUI's dialogs, a script's `--expected-version`). No matching row means someone else changed the
task since it was read: `ConflictError`, the transaction rolls back, nothing is written. The
error carries the task and both versions so each view can say it in its own language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import text as sql

from tracker.errors import ConflictError
from tracker.store import audit

if TYPE_CHECKING:
    from sqlmodel import Session

    from tracker.store.tables import Task


def check_version(session: Session, task: Task, expected_version: int | None) -> None:
    """`ConflictError` when the caller read the task at another version than the stored one.

    None means "act on the latest" (nothing checked). Called first by every action, so a stale
    edit fails before any work; `bump` checks again atomically when it writes.
    """
    if expected_version is None:
        return
    current = session.execute(sql("SELECT version FROM task WHERE id = :t"), {"t": task.id}).scalar()
    if current != expected_version:
        raise conflict(task, expected_version, current)


def conflict(task: Task, expected: int, current: object) -> ConflictError:
    return ConflictError(f"task {task.number} was changed by someone else since you opened it "
                         f"(version {expected} → {current}); reload and try again.",
                         zh=f"任务{task.number}在你打开后已被他人修改 (版本 {expected} → {current}); "
                            "请重新加载后再试。",
                         task=task.number, expected=expected, current=current)


def bump(session: Session, task: Task, summary: str, expected_version: int | None = None) -> None:
    """Bump the task's row version atomically (`version = version + 1`, audited).

    With `expected_version` the update only matches that version; no match is `ConflictError`.
    """
    task_id = int(task.id or 0)
    guard = "" if expected_version is None else " AND version = :v"
    new = session.execute(sql(f"UPDATE task SET version = version + 1 WHERE id = :t{guard} RETURNING version"),
                          {"t": task_id, "v": expected_version}).scalar()
    if new is None:
        current = session.execute(sql("SELECT version FROM task WHERE id = :t"), {"t": task_id}).scalar()
        raise conflict(task, expected_version or 0, current)
    row = audit.fetch(session, audit.table("task"), task_id) or {}
    audit.write_update_entry(session, "task", task_id, row | {"version": new - 1}, row, summary)
    task.version = int(new)
