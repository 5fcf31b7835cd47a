"""The one read layer for all views (CLI, TUI, ledger, reminders): facts in the database → views.

Plain SQL over a DB-API `sqlite3` connection — no ORM, no UI, no spreadsheet library — so the
cron-facing commands (`tracker tasks`, `show`, `remind`) start in tens of milliseconds
(`import sqlmodel` alone costs ~335 ms here). Table and column names are those of
`tracker.store.tables`; a rename there is a rename here.

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
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tracker.calendar import WorkCalendar
from tracker.errors import DatabaseError, NotFoundError, UsageError
from tracker.model import (
    AuditView,
    EventView,
    NoteView,
    ObligationView,
    Occurrence,
    OwnerInfo,
    PlanInfo,
    Requirement,
    RequirementKind,
    RuleView,
    Status,
    TaskDetail,
    TaskView,
)
from tracker.schedule import obligation_status, summarize, task_status
from tracker.store.version import SCHEMA_VERSION

READ_SCHEMA_VERSION = SCHEMA_VERSION
"""The newest schema this read path understands: the store's (from `tracker.store.version`, which
imports nothing — `tracker.store.tables` would load sqlmodel, ~335 ms). Older schemas are read as
they are: every column read here exists since schema 1."""

_DONE_LABEL = {"zh": "已完成{k}", "en": "done {k}"}


# ---------------------------------------------------------------------------------------------
# Opening the database
# ---------------------------------------------------------------------------------------------


def _sqlite_path(db: str) -> str:
    """A filesystem path from a path or a SQLAlchemy URL; DatabaseError for other databases."""
    if "://" not in db:
        return db
    scheme, _, rest = db.partition("://")
    if scheme.split("+")[0] != "sqlite":
        raise DatabaseError(
            f"the read path supports only SQLite databases for now, not “{scheme}”; "
            "give a file path or a sqlite:///PATH URL."
        )
    path = rest[1:] if rest.startswith("/") else rest
    if not path or path == ":memory:":
        raise DatabaseError("an in-memory SQLite URL holds no data to read; give a database file path.")
    return path.split("?")[0]


def connect(db: str) -> sqlite3.Connection:
    """Open the database for reading (a path or a sqlite:/// URL) and check it is one of ours.

    The connection never writes (`PRAGMA query_only`) and waits up to 5 s for a writer. It is
    opened in normal (not `mode=ro`) mode because a WAL database needs its -shm file. Raises
    `DatabaseError` with one sentence for: a non-SQLite URL, a missing file, a directory, an
    unreadable or corrupt file, a file that is not a tracker database, and a database written by a
    newer tracker (schema version above `READ_SCHEMA_VERSION`).
    """
    path = Path(_sqlite_path(db))
    if not path.exists():
        raise DatabaseError(f"no database at {path}; run `tracker import FILE` or `tracker demo` first.")
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a database file; give the file's path.")
    uri = "file:" + quote(str(path.resolve())) + "?mode=rw"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5.0)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open the database {path} ({exc}); check the path and its permissions.") from None
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA query_only = 1")
        _check_schema(conn, path)
    except sqlite3.Error as exc:
        conn.close()
        raise DatabaseError(f"{path} is not a readable tracker database ({exc}).") from None
    except DatabaseError:
        conn.close()
        raise
    return conn


def _check_schema(conn: sqlite3.Connection, path: Path) -> None:
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" not in str(exc):
            raise
        row = None
    if row is None:
        raise DatabaseError(f"{path} is not a tracker database (it has no schema version); "
                            "run `tracker import FILE` on a new path.")
    try:
        version = int(row[0])
    except ValueError:
        raise DatabaseError(f"{path} has an unreadable schema version “{row[0]}”.") from None
    if version > READ_SCHEMA_VERSION:
        raise DatabaseError(f"{path} was written by a newer tracker (schema {version}, this one reads "
                            f"up to {READ_SCHEMA_VERSION}); upgrade tracker.")


@contextmanager
def sql_errors() -> Iterator[None]:
    """Turn a sqlite3 error met while reading into one `DatabaseError` sentence (never a traceback)."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseError("the database is busy (another tracker is writing); try again.") from None
        raise DatabaseError(f"the database could not be read ({exc}).") from None
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"the database is damaged or not a tracker database ({exc}).") from None


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
        "(SELECT count(*) FROM task t WHERE t.plan_id = p.id AND t.removed = 0) "
        "FROM plan p ORDER BY p.year DESC, p.id DESC").fetchall()
    return [PlanInfo(plan_id=r[0], title=r[1], kind=r[2], issuer=r[3], year=r[4], version=r[5],
                     task_count=r[6]) for r in rows]


def _plan_names(plans: Sequence[PlanInfo]) -> str:
    return "; ".join(f"{p.plan_id} ({p.title})" for p in plans)


def resolve_plan(conn: sqlite3.Connection, plan: str | None) -> PlanInfo:
    """The plan named by id or by part of its title; the only plan when `plan` is None.

    `NotFoundError` when none is stored or none matches (naming the valid ones); `UsageError` when
    the name is ambiguous or several plans exist and none was named.
    """
    plans = list_plans(conn)
    if not plans:
        raise NotFoundError("no plan is stored yet; run `tracker import FILE` or `tracker demo` first.")
    if plan is None:
        if len(plans) == 1:
            return plans[0]
        raise UsageError(f"{len(plans)} plans are stored; choose one with --plan or PLAN:NUMBER: "
                         f"{_plan_names(plans)}.")
    wanted = plan.strip()
    if wanted.isdigit():
        for info in plans:
            if info.plan_id == int(wanted):
                return info
    matches = [info for info in plans if wanted and wanted in info.title]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UsageError(f"“{plan}” matches {len(matches)} plans; use the id: {_plan_names(matches)}.")
    raise NotFoundError(f"there is no plan “{plan}”; valid plans: {_plan_names(plans)}.")


def find_task_id(conn: sqlite3.Connection, ref: str, *, plan: str | None = None) -> int:
    """The id of the live task named "8" (the only or `--plan` plan), "1:8" (plan 1) or "1:二/6" (path).

    `NotFoundError` names the plan's valid task numbers; a number printed twice in one plan
    (numbering restarting per section) is a `UsageError` that names the paths to use instead.
    """
    plan_part, sep, number = ref.strip().rpartition(":")
    info = resolve_plan(conn, plan_part if sep else plan)
    rows = conn.execute("SELECT id, number, path FROM task WHERE plan_id = ? AND removed = 0 "
                        "ORDER BY position", (info.plan_id,)).fetchall()
    hits = [r for r in rows if number in (r[1], r[2])]
    if len(hits) == 1:
        return int(hits[0][0])
    if hits:
        raise UsageError(f"task “{number}” is ambiguous in plan {info.plan_id}; use its path: "
                         + ", ".join(f"{info.plan_id}:{r[2]}" for r in hits) + ".")
    valid = ", ".join(r[1] for r in rows) or "none (the plan has no tasks)"
    raise NotFoundError(f"there is no task “{number}” in plan {info.plan_id}; valid numbers: {valid}.")


def list_owners(conn: sqlite3.Connection) -> list[OwnerInfo]:
    """Every unit with its address and number of live tasks, by name. No units is an empty list."""
    rows = conn.execute(
        "SELECT o.id, o.name, o.email, (SELECT count(DISTINCT tow.task_id) FROM taskowner tow "
        "JOIN task t ON t.id = tow.task_id AND t.removed = 0 WHERE tow.owner_id = o.id) "
        "FROM owner o ORDER BY o.name").fetchall()
    return [OwnerInfo(owner_id=r[0], name=r[1], email=r[2], task_count=r[3]) for r in rows]


def check_owner(conn: sqlite3.Connection, owner: str) -> str:
    """`owner` if such a unit exists; else `NotFoundError` naming the known units."""
    if conn.execute("SELECT 1 FROM owner WHERE name = ?", (owner,)).fetchone():
        return owner
    names = [o.name for o in list_owners(conn)]
    shown = ", ".join(names[:30]) + (f" … and {len(names) - 30} more" if len(names) > 30 else "")
    raise NotFoundError(f"there is no unit “{owner}”; known units: {shown or 'none yet'}.")


# ---------------------------------------------------------------------------------------------
# Tasks as of a date
# ---------------------------------------------------------------------------------------------

# Obligations that are open as of :as_of: no completion on or before it, no waiver created by the
# end of it, the starting event already happened. Uses the indexes on obligation(due),
# completion(requirement_id, obligation_key, done_on) and waiver(requirement_id).
_OPEN_OBLIGATION = """
    FROM obligation o {live}
    WHERE {due}{plan}
      AND NOT EXISTS (SELECT 1 FROM completion c WHERE c.requirement_id = o.requirement_id
                      AND c.obligation_key = o.key AND c.done_on <= :as_of)
      AND NOT EXISTS (SELECT 1 FROM waiver w WHERE w.requirement_id = o.requirement_id
                      AND w.created_at < :next_day)
      AND (o.event_id IS NULL OR EXISTS (SELECT 1 FROM event e WHERE e.id = o.event_id
                                         AND e."on" <= :as_of))
"""
_LIVE = """JOIN task t ON t.id = o.task_id AND t.removed = 0
    JOIN requirement r ON r.id = o.requirement_id AND r.removed = 0"""

# No DISTINCT: with it SQLite (no ANALYZE statistics) walks all of obligation in task_id order
# (70 ms on the city as of 2024-02-05); without it, it searches the due index for the range only
# (8.5 ms). Task ids repeat, once per open obligation; callers dedupe.
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
    where: list[str] = ["t.removed = 0"]
    params: dict[str, Any] = {}
    if plan_id is not None:
        where.append("t.plan_id = :plan")
        params["plan"] = plan_id
    if owner is not None:
        where.append("t.id IN (SELECT tow.task_id FROM taskowner tow JOIN owner ow "
                     "ON ow.id = tow.owner_id WHERE ow.name = :owner)")
        params["owner"] = owner
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
        "t.version FROM task t JOIN plan p ON p.id = t.plan_id "
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
        self.owners: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"lead": [], "support": []})
        for task_id, role, name in conn.execute(
                "SELECT tow.task_id, tow.role, ow.name FROM taskowner tow JOIN owner ow "
                f"ON ow.id = tow.owner_id WHERE tow.task_id IN {ids} ORDER BY tow.id", p):
            names = self.owners[task_id]["support" if role == "support" else "lead"]
            if name not in names:
                names.append(name)
        self.rules: dict[int, list[tuple[int, int, Requirement]]] = defaultdict(list)
        for row in conn.execute(
                "SELECT id, task_id, position, kind, source, what, event, workdays, days, count, "
                "period, per_owner, due_day, month, day, year_offset FROM requirement "
                f"WHERE removed = 0 AND task_id IN {ids} ORDER BY task_id, position, id", p):
            self.rules[row[1]].append((row[0], row[2], _requirement(tuple(row[3:]))))
        self.obligations: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for row in conn.execute(
                "SELECT task_id, requirement_id, key, owner, due, provisional, note, event_id "
                f"FROM obligation WHERE task_id IN {ids} ORDER BY id", p):
            self.obligations[row[0]].append(row[1:])
        # the earliest completion on or before as_of is the obligation's (ISO text compares as dates;
        # ties keep the first recorded); no ORDER BY: sorting 24k rows cost ~10 ms on the city
        earliest: dict[tuple[int, str], tuple[str, int, str | None]] = {}
        for rid, key, done_on, cid, evidence in conn.execute(
                "SELECT c.requirement_id, c.obligation_key, c.done_on, c.id, c.evidence "
                "FROM completion c JOIN requirement r ON r.id = c.requirement_id "
                f"WHERE r.task_id IN {ids} AND c.done_on <= :as_of", p):
            seen = earliest.get((rid, key))
            if seen is None or (done_on, cid) < seen[:2]:
                earliest[(rid, key)] = (done_on, cid, evidence)
        self.done: dict[tuple[int, str], tuple[date, str | None]] = {
            k: (date.fromisoformat(v[0]), v[2]) for k, v in earliest.items()}
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


@lru_cache(maxsize=4096)
def _requirement(row: tuple[Any, ...]) -> Requirement:
    """A stored rule's columns → `Requirement` (cached: a city repeats the same rules thousands of times)."""
    kind, source, what, event, workdays, days, count, period, per_owner, due_day, month, day, \
        year_offset = row
    return Requirement(kind=RequirementKind(kind), source=source or "", what=what or "",
                       event=event, workdays=workdays, days=days, count=count, period=period,
                       per_owner=bool(per_owner), due_day=due_day, month=month, day=day,
                       year_offset=year_offset or 0)


@lru_cache(maxsize=4096)
def _summary(req: Requirement, lang: str) -> str:
    return summarize(req, lang)


_NOT_DONE: tuple[None, None] = (None, None)
_CLOSED = frozenset({Status.DONE, Status.DONE_LATE, Status.WAIVED})
_DONE = frozenset({Status.DONE, Status.DONE_LATE})


def _order(ob: ObligationView) -> tuple[int, date]:
    return ob.rule_index, ob.due or date.max


def _task_view(row: Sequence[Any], facts: _Facts, *, as_of: date, calendar: WorkCalendar,
               within: int, lang: str) -> TaskView:
    # The hot loop of every list view (~65k obligations for an overdue city): locals, positional
    # dataclass construction and one pass per task — 2× faster than the plain keyword version.
    task_id, plan_id, plan_title, number, path, s_number, s_title, title, text, version = row
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
    owners = facts.owners.get(task_id, _NO_OWNERS)
    return TaskView(
        task_id=task_id, plan_id=plan_id, plan_title=plan_title, number=number,
        path=tuple(path.split("/")) if path else (), section=f"{s_number}、{s_title}" if s_number else "",
        title=title, text=text, lead=tuple(owners["lead"]), support=tuple(owners["support"]),
        status=task_status([ob.status for ob in obligations]), next_due=next_due,
        rules=rule_views, obligations=tuple(obligations), last_note=note[1] if note else None,
        version=version)


_NO_OWNERS: dict[str, list[str]] = {"lead": [], "support": []}


def _rule_view(rid: int, pos: int, req: Requirement, done: int, waived_reason: str | None,
               lang: str) -> RuleView:
    summary = _summary(req, lang)
    if req.kind is RequirementKind.RECURRING:
        summary += " · " + _DONE_LABEL["en" if lang == "en" else "zh"].format(k=done)
    return RuleView(requirement_id=rid, index=pos, requirement=req, summary=summary,
                    waived_reason=waived_reason)


def tasks_by_ids(conn: sqlite3.Connection, task_ids: Sequence[int], *, as_of: date, within: int = 5,
                 lang: str = "zh") -> list[TaskView]:
    """Views of the given tasks (removed ones included), in outline order; rule summaries in `lang`."""
    return _build_views(conn, "t.id IN (SELECT value FROM json_each(:ids))",
                        {"ids": "[" + ",".join(map(str, task_ids)) + "]"}, as_of=as_of,
                        calendar=load_calendar(conn), within=within, lang=lang)


# ---------------------------------------------------------------------------------------------
# One task in full, and the audit trail
# ---------------------------------------------------------------------------------------------


def task_detail(conn: sqlite3.Connection, task_id: int, *, as_of: date, within: int = 5,
                lang: str = "zh") -> TaskDetail:
    """One task with its events and notes up to `as_of` and its whole audit history (newest first).

    History is what was recorded, when: it is not cut at `as_of`. `NotFoundError` for an unknown id.
    """
    views = tasks_by_ids(conn, [task_id], as_of=as_of, within=within, lang=lang)
    if not views:
        raise NotFoundError(f"there is no task with id {task_id}.")
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
_ACTIONS_SQL = """
    SELECT min(a.at), a.who, a.action,
           coalesce((SELECT b.summary FROM auditentry b WHERE b.action_id = a.action_id
                     AND b.summary != '' ORDER BY b.entity IN ('task', 'owner'), b.id LIMIT 1), ''),
           max(a.undone)
    FROM auditentry a {where}
    GROUP BY a.action_id ORDER BY min(a.at) DESC, max(a.id) DESC
"""


def _history(conn: sqlite3.Connection, task_id: int) -> list[AuditView]:
    # A row belongs to the task when it is the task, or its JSON (before or after) names the task
    # or one of the task's rules (completions and waivers point at a requirement). `instr` on the
    # store's JSON text (json.dumps: `"task_id": 8`) skips json_extract on unrelated rows — 33k
    # audit rows of a city's imports took ~100 ms to parse; json_extract still decides.
    row_json = "(CASE WHEN json_valid(coalesce(b.after, b.before)) THEN coalesce(b.after, b.before) END)"
    where = f"""WHERE a.action_id IN (
        SELECT b.action_id FROM auditentry b
        WHERE (b.entity = 'task' AND b.entity_id = :task)
           OR ((instr(coalesce(b.after, b.before), :mid) OR instr(coalesce(b.after, b.before), :end))
               AND json_extract({row_json}, '$.task_id') = :task)
           OR (b.entity IN ('completion', 'waiver') AND json_extract({row_json}, '$.requirement_id')
               IN (SELECT id FROM requirement WHERE task_id = :task)))"""
    rows = conn.execute(_ACTIONS_SQL.format(where=where),
                        {"task": task_id, "mid": f'"task_id": {task_id},', "end": f'"task_id": {task_id}}}'})
    return [_audit_view(r) for r in rows]


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
    where = "WHERE a.action_id IN (SELECT value FROM json_each(:ids))"
    rows = conn.execute(_ACTIONS_SQL.format(where=where), {"ids": json.dumps(recent)})
    return [_audit_view(r) for r in rows]


def _audit_view(row: Sequence[Any]) -> AuditView:
    at, who, action, summary, undone = row
    return AuditView(at=str(at), who=who or "", action=action, summary=summary, undone=bool(undone))
