"""Plans, units and task references on a read connection: list, resolve by name, check.

Every function takes a connection from `tracker.query.connect` (SQLite or PostgreSQL) and
returns model records; names that match nothing are `NotFoundError` naming the valid ones.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date

from tracker.calendar import WorkCalendar
from tracker.errors import NotFoundError, UsageError
from tracker.model import OwnerInfo, PlanInfo
from tracker.refs import TaskRef, pick_task, split_ref


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


def _plan_names(plans: Sequence[PlanInfo]) -> str:
    return "; ".join(f"{p.plan_id} ({p.title})" for p in plans)


def resolve_plan(conn: sqlite3.Connection, plan: str | None) -> PlanInfo:
    """The plan named by id, by year or by part of its title; the only plan when `plan` is None.

    A number is an id, or a four-digit year (as `tracker.store.actions.find_task` reads it), and
    never part of a title: every title holds its year's digits ("2024年…" contains 2 and 4), so
    `tracker show 2:1` with plan 2 missing would otherwise read, and a write name, plan 1.
    `NotFoundError` when none is stored or none matches (naming the valid ones); `UsageError` when
    the name is ambiguous or several plans exist and none was named.
    """
    plans = list_plans(conn)
    if not plans:
        raise NotFoundError("no plan is stored yet; run `tracker import FILE` or `tracker demo` first.",
                            zh="还没有导入计划; 请先运行 `tracker import FILE` 或 `tracker demo`。")
    if plan is None:
        if len(plans) == 1:
            return plans[0]
        raise UsageError(f"{len(plans)} plans are stored; choose one with --plan or PLAN:NUMBER: "
                         f"{_plan_names(plans)}.",
                         zh=f"已存有 {len(plans)} 个计划; 请用 --plan 或 PLAN:NUMBER 选择一个: {_plan_names(plans)}。")
    wanted = plan.strip()
    if wanted.isdigit():
        matches = ([info for info in plans if info.plan_id == int(wanted)]
                   or [info for info in plans if len(wanted) == 4 and info.year == int(wanted)])
    else:
        matches = [info for info in plans if wanted and wanted in info.title]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UsageError(f"“{plan}” matches {len(matches)} plans; use the id: {_plan_names(matches)}.",
                         zh=f"“{plan}”对应 {len(matches)} 个计划; 请用计划的 ID: {_plan_names(matches)}。")
    raise NotFoundError(f"there is no plan “{plan}”; valid plans: {_plan_names(plans)}.",
                        zh=f"没有计划“{plan}”; 有效的计划: {_plan_names(plans)}。")


def find_task_id(conn: sqlite3.Connection, ref: str, *, plan: str | None = None) -> int:
    """The id of the live task named "8" (the only or `--plan` plan), "1:8" (plan 1), "1:二/6" (path)
    or "1:三/4#2" (the second of two tasks numbered 4 in section 三).

    The matching is `tracker.refs.pick_task`, as for every write (`tracker.store.actions.find_task`):
    `NotFoundError` names the plan's valid task numbers; a number printed twice in one plan is a
    `UsageError` naming a reference for each.
    """
    plan_part, number = split_ref(ref)
    info = resolve_plan(conn, plan_part if plan_part is not None else plan)
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
                        zh=f"没有单位“{owner}”; 已有的单位: {shown + more_zh or '暂无'}。")

