"""Keep the `obligation` table equal to what the schedule says the facts imply.

Each live rule of each live task becomes `tracker.schedule.occurrences(...)` on the plan's year,
with the task's owners (lead then support), its events, and the working-day calendar with the
database's overrides. Rows are diffed by (requirement_id, key): unchanged rows keep their id,
new ones are inserted, vanished ones deleted, all with `executemany`. Obligations are derived, so
they are not audited; `undo` recomputes them. Status is never stored here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from tracker.model import Requirement, RequirementKind

if TYPE_CHECKING:
    from sqlmodel import Session

    from tracker.calendar import WorkCalendar

_CHUNK = 500
"""Ids per `IN (…)` list: well under SQLite's 32,766 bound parameters, and PostgreSQL's."""

REQ_FIELDS = ("what", "event", "workdays", "days", "count", "period", "per_owner", "due_day",
              "month", "day", "year_offset")
"""Columns of `requirement` that mirror `tracker.model.Requirement` (besides kind and source)."""


def to_requirement(row: Mapping[str, Any]) -> Requirement:
    """A stored requirement row (mapping) → the model's `Requirement`."""
    fields = {name: row[name] for name in REQ_FIELDS}
    fields["per_owner"] = bool(fields["per_owner"])
    fields["year_offset"] = fields["year_offset"] or 0
    fields["what"] = fields["what"] or ""
    return Requirement(kind=RequirementKind(row["kind"]), source=row["source"] or "", **fields)


def load_calendar(session: Session) -> WorkCalendar:
    """The working-day calendar with the database's overrides (holiday → False, workday → True)."""
    from sqlalchemy import text

    from tracker.calendar import WorkCalendar

    rows = session.execute(text("SELECT day, kind FROM calendaroverride")).all()
    return WorkCalendar({_as_date(day): kind == "workday" for day, kind in rows})


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _select(session: Session, sql: str, ids: Sequence[int] | None, col: str = "task_id") -> list[Any]:
    """Run `sql`, whose WHERE holds "{ids}", for all tasks (None) or those whose `col` is in `ids`."""
    from sqlalchemy import bindparam, text

    if ids is None:
        return list(session.execute(text(sql.replace("{ids}", "1 = 1"))).mappings())
    out: list[Any] = []
    for chunk in _chunks(ids):
        stmt = text(sql.replace("{ids}", f"{col} IN :ids")).bindparams(bindparam("ids", expanding=True))
        out.extend(session.execute(stmt, {"ids": list(chunk)}).mappings())
    return out


def recompute(session: Session, task_ids: Iterable[int] | None = None, *, fresh: bool = False) -> int:
    """Bring the obligation rows of these tasks (all tasks when None) up to date; return the count.

    `fresh=True` promises the tasks have no obligation rows yet (a first import): the diff query
    is skipped. A task that no longer exists or is removed loses its obligation rows.
    """
    from tracker.schedule import EventFact, occurrences

    ids = None if task_ids is None else sorted(set(task_ids))
    if ids == []:
        return 0
    calendar = load_calendar(session)
    tasks = _select(session, 'SELECT t.id AS task_id, t.plan_id, p.year FROM task t '
                             'JOIN "plan" p ON p.id = t.plan_id WHERE t.removed = FALSE AND {ids}', ids, "t.id")
    reqs: dict[int, list[Any]] = defaultdict(list)
    for row in _select(session, "SELECT * FROM requirement WHERE removed = FALSE AND {ids} "
                                "ORDER BY task_id, position", ids):
        reqs[row["task_id"]].append(row)
    owners: dict[int, list[str]] = defaultdict(list)
    for row in _select(session, "SELECT o.task_id, w.name FROM taskowner o JOIN owner w ON w.id = o.owner_id "
                                "WHERE {ids} ORDER BY o.task_id, o.role = 'support', o.id", ids, "o.task_id"):
        if row["name"] not in owners[row["task_id"]]:
            owners[row["task_id"]].append(row["name"])
    events: dict[int, list[EventFact]] = defaultdict(list)
    for row in _select(session, "SELECT * FROM event WHERE {ids} ORDER BY task_id, \"on\", id", ids):
        events[row["task_id"]].append(EventFact(event_id=row["id"], on=_as_date(row["on"]),
                                                ref=row["ref"], requirement_id=row["requirement_id"]))
    wanted: dict[tuple[int, str], dict[str, Any]] = {}
    for task in tasks:
        tid = task["task_id"]
        for req in reqs.get(tid, ()):
            facts = [e for e in events.get(tid, ()) if e.requirement_id in (None, req["id"])]
            for occ in occurrences(to_requirement(req), year=task["year"], owners=owners.get(tid, ()),
                                   events=facts, calendar=calendar):
                wanted[(req["id"], occ.key)] = {
                    "requirement_id": req["id"], "task_id": tid, "plan_id": task["plan_id"],
                    "key": occ.key, "owner": occ.owner, "due": occ.due,
                    "provisional": occ.provisional, "note": occ.note, "event_id": occ.event_id}
    _apply(session, wanted, [] if fresh else _select(session, "SELECT * FROM obligation WHERE {ids}", ids))
    return len(wanted)


def calendar_tasks(session: Session) -> list[int]:
    """Tasks whose obligations depend on the working-day calendar: those with a live after-event rule.

    Recurring and deadline due dates are calendar dates (tracker.schedule never moves them), so a
    calendar override only changes after-event deadlines; recomputing just these tasks keeps
    `tracker calendar set` fast on a city database.
    """
    from sqlalchemy import text

    return [r[0] for r in session.execute(text(
        "SELECT DISTINCT task_id FROM requirement WHERE kind = 'after_event' AND removed = FALSE"))]


def _apply(session: Session, wanted: dict[tuple[int, str], dict[str, Any]], existing: list[Any]) -> None:
    from sqlalchemy import bindparam

    from tracker.store.audit import driver_insert, table

    tbl = table("obligation")
    stale: list[int] = []
    changed: list[dict[str, Any]] = []
    for row in existing:
        new = wanted.pop((row["requirement_id"], row["key"]), None)
        if new is None:
            stale.append(row["id"])
        elif any(_norm(row[k]) != _norm(v) for k, v in new.items()):
            changed.append({"_id": row["id"], **new})
    for chunk in _chunks(stale):
        session.execute(tbl.delete().where(tbl.c.id.in_(list(chunk))))
    if changed:
        stmt = tbl.update().where(tbl.c.id == bindparam("_id"))
        session.execute(stmt, changed)
    driver_insert(session, tbl, list(wanted.values()))


def _norm(value: object) -> object:
    """Compare a stored value (dates as text on SQLite, bools as 0/1) with a computed one."""
    if isinstance(value, bool):
        return int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
