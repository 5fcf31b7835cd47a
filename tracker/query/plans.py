"""Plans, units and task references on a read connection: list, resolve by name, check.

Every function takes a connection from `tracker.query.connect` (SQLite or PostgreSQL) and
returns model records; names that match nothing are `NotFoundError` naming the valid ones.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from tracker.calendar import WorkCalendar
from tracker.errors import NotFoundError
from tracker.model import OwnerInfo, PlanInfo
from tracker.refs import PlanRef, TaskRef, pick_plan, pick_task, same_plan, split_ref


def load_calendar(conn: sqlite3.Connection) -> WorkCalendar:
    """The working-day calendar with the database's overrides (holiday → False, workday → True)."""
    overrides = {date.fromisoformat(day): kind == "workday"
                 for day, kind in conn.execute("SELECT day, kind FROM calendaroverride")}
    return WorkCalendar(overrides)


# ---------------------------------------------------------------------------------------------
# Plans, owners, task references
# ---------------------------------------------------------------------------------------------


def list_plans(conn: sqlite3.Connection) -> list[PlanInfo]:
    """Every stored plan, newest first (year, then id). Zero plans is not an error: an empty list."""
    rows = conn.execute(
        "SELECT p.id, p.title, p.kind, p.issuer, p.year, p.version, "
        "(SELECT count(*) FROM task t WHERE t.plan_id = p.id AND t.removed = FALSE) "
        "FROM plan p ORDER BY p.year DESC, p.id DESC").fetchall()
    return [PlanInfo(plan_id=r[0], title=r[1], kind=r[2], issuer=r[3], year=r[4], version=r[5],
                     task_count=r[6]) for r in rows]


def resolve_plan(conn: sqlite3.Connection, plan: str | None) -> PlanInfo:
    """The plan named by id, by year or by part of its title; the only plan when `plan` is None.

    Matched by `tracker.refs.pick_plan`, as every write matches it: `NotFoundError` when none is
    stored or none matches, `UsageError` when several are stored and none is named, or the name
    fits several (each naming the plans, newest first).
    """
    plans = list_plans(conn)
    hit = pick_plan([PlanRef(p.plan_id, p.title, p.year) for p in plans], plan)
    return next(p for p in plans if p.plan_id == hit.plan_id)


def find_task_id(conn: sqlite3.Connection, ref: str, *, plan: str | None = None) -> int:
    """The id of the live task named "8" (the only or `--plan` plan), "1:8" (plan 1), "1:二/6" (path)
    or "1:三/4#2" (the second of two tasks numbered 4 in section 三).

    The matching is `tracker.refs.pick_task`, as for every write (`tracker.store.actions.find_task`):
    `NotFoundError` names the plan's valid task numbers; a number printed twice in one plan is a
    `UsageError` naming a reference for each.
    """
    plan_part, number = split_ref(ref)
    info = resolve_plan(conn, plan_part if plan_part is not None else plan)
    if plan_part is not None and plan is not None:
        same_plan(ref, info.plan_id, resolve_plan(conn, plan).plan_id)
    rows = [TaskRef(int(r[0]), r[1], r[2] or "", r[3] or "") for r in conn.execute(
        "SELECT id, number, path, title FROM task WHERE plan_id = ? AND removed = FALSE ORDER BY position",
        (info.plan_id,))]
    return pick_task(rows, number, plan_id=info.plan_id).task_id


def list_owners(conn: sqlite3.Connection) -> list[OwnerInfo]:
    """Every unit with its address, office and number of live tasks, by name (as lists show it:
    `unit_names`). No units is an empty list."""
    # (imported here, not at the top: `tracker plans` and `tracker show` need none of it)
    from tracker.query.stored import unit_names

    names = unit_names(conn)
    rows = conn.execute(
        "SELECT o.id, o.name, o.email, (SELECT count(DISTINCT tow.task_id) FROM taskowner tow "
        "JOIN task t ON t.id = tow.task_id AND t.removed = FALSE WHERE tow.owner_id = o.id), "
        "o.office_id, coalesce(f.name, '') FROM owner o LEFT JOIN office f ON f.id = o.office_id "
        "ORDER BY o.name, o.office_id").fetchall()
    return [OwnerInfo(owner_id=r[0], name=names(r[1], r[4]), email=r[2], task_count=r[3], office=r[5])
            for r in rows]


def check_owner(conn: sqlite3.Connection, owner: str) -> str:
    """`owner` if it names a unit (by name, every office's of that name, or by its label
    "办公室（A局）"); else `NotFoundError` naming the known units."""
    from tracker.query.stored import units_named

    if units_named(conn, owner):
        return owner
    names = [o.name for o in list_owners(conn)]
    shown = ", ".join(names[:30])
    more, more_zh = ((f" … and {len(names) - 30} more", f" … 另有 {len(names) - 30} 个") if len(names) > 30
                     else ("", ""))
    raise NotFoundError(f"there is no unit “{owner}”; known units: {shown + more or 'none yet'}.",
                        zh=f"没有名为“{owner}”的单位; 已有的单位: {'、'.join(names[:30]) + more_zh or '暂无'}。")

