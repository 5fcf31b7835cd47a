"""`tracker check`: SQLite's integrity check plus our own consistency checks, each with what to do.

Plain `sqlite3`, read-only in effect (it never writes), so it is safe beside the TUI and cron.
Split from `tracker.store.backup` (which copies databases and lends it `open_sqlite_file`);
`check` only reads one. Besides orphans it finds what a hand edit can break and the read path
would stumble on: tables or columns the schema needs, stored dates that do not parse, rules of an
unknown kind or period, and due dates (obligations) that differ from what the schedule computes
from the rules, events, owners and calendar. The last are derived rows: `repair` (`tracker check
--repair`, the one writer here, through the store) recomputes them in one audited transaction.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.errors import DatabaseError, TrackerError
from tracker.store.backup import has_sqlite_header, open_sqlite_file
from tracker.store.triggers import STALE_COUNT
from tracker.store.version import SCHEMA_VERSION

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass(frozen=True)
class Finding:
    """One check's result: `count` rows wrong (0 = ok), in one sentence, with what to do."""

    name: str
    count: int
    problem: str
    do: str

    @property
    def ok(self) -> bool:
        """True when the check found nothing wrong."""
        return self.count == 0


_SINCE = {"first-completion dates": 4, "units of another office": 5}
"""Checks of columns a schema version added (an older database is checked without them)."""
_RESTORE = "restore a backup (`tracker restore FILE`) or re-import the plan"
_CONSISTENCY: tuple[tuple[str, str, str, str], ...] = (
    ("sections without a plan",
     'SELECT count(*) FROM section WHERE plan_id NOT IN (SELECT id FROM "plan")',
     "{n} section(s) belong to no plan", _RESTORE),
    ("tasks without a plan",
     'SELECT count(*) FROM task WHERE plan_id NOT IN (SELECT id FROM "plan")',
     "{n} task(s) belong to no plan", _RESTORE),
    ("rules without a task",
     "SELECT count(*) FROM requirement WHERE task_id NOT IN (SELECT id FROM task)",
     "{n} rule(s) belong to no task", _RESTORE),
    ("obligations of missing or removed rules",
     "SELECT count(*) FROM obligation o LEFT JOIN requirement r ON r.id = o.requirement_id "
     "LEFT JOIN task t ON t.id = o.task_id "
     "WHERE r.id IS NULL OR r.removed OR t.id IS NULL OR t.removed OR r.task_id != o.task_id",
     "{n} due date(s) point at a rule or task that was removed or is missing",
     "run `tracker check --repair` (due dates are recomputed from the rules; completions are kept)"),
    ("completions of vanished obligations",
     "SELECT count(*) FROM completion c JOIN requirement r ON r.id = c.requirement_id "
     "JOIN task t ON t.id = r.task_id WHERE NOT r.removed AND NOT t.removed AND NOT EXISTS "
     "(SELECT 1 FROM obligation o WHERE o.requirement_id = c.requirement_id "
     "AND o.key = c.obligation_key)",
     "{n} completion(s) record a due date the rule no longer has (they count for nothing)",
     "look at the task's rule (`tracker show TASK`) and correct it (`tracker rule`) or record the "
     "work again against a current due date"),
    ("first-completion dates",
     STALE_COUNT,
     "{n} due date(s) disagree with their completions on when they were first done",
     "run `tracker check --repair`; if they disagree again, the database triggers that keep them were "
     "removed or bypassed: restore a backup (`tracker restore FILE`)"),
    ("completions of missing rules",
     "SELECT count(*) FROM completion WHERE requirement_id NOT IN (SELECT id FROM requirement)",
     "{n} completion(s) belong to no rule", _RESTORE),
    ("waivers of missing rules",
     "SELECT count(*) FROM waiver WHERE requirement_id NOT IN (SELECT id FROM requirement)",
     "{n} waiver(s) belong to no rule", _RESTORE),
    ("events and notes without a task",
     "SELECT (SELECT count(*) FROM event WHERE task_id NOT IN (SELECT id FROM task)) + "
     "(SELECT count(*) FROM progressnote WHERE task_id NOT IN (SELECT id FROM task))",
     "{n} event(s) or progress note(s) belong to no task", _RESTORE),
    ("owner links",
     "SELECT count(*) FROM taskowner WHERE owner_id NOT IN (SELECT id FROM owner) "
     "OR task_id NOT IN (SELECT id FROM task)",
     "{n} owner assignment(s) point at a unit or task that does not exist",
     "set the task's units again (`tracker assign TASK --lead UNIT`)"),
    ("units of another office",
     "SELECT count(*) FROM taskowner tow JOIN owner o ON o.id = tow.owner_id JOIN task t ON t.id = tow.task_id "
     "JOIN \"plan\" p ON p.id = t.plan_id WHERE o.office_id <> p.office_id",
     "{n} owner assignment(s) give a task a unit of another office (its reminders would go to that "
     "office's address)",
     "set the task's units again (`tracker assign TASK --lead UNIT`): it takes its own office's"),
)


def check(db_path: Path) -> list[Finding]:
    """Run SQLite's integrity check and our consistency checks; never modifies the database.

    A file that is not SQLite or too damaged to open yields one failing "integrity" finding (not an
    exception); a missing file raises `DatabaseError`; an empty file or a database without tables
    (nothing stored yet) passes. Consistency checks run only after a passing
    integrity check, over the tables that exist (an old schema is not a problem).
    """
    if not db_path.is_file():
        raise DatabaseError(f"no database at {db_path}; run `tracker import FILE` or `tracker demo` first.")
    broken = Finding("integrity", 1, "the file is not a SQLite database or is damaged",
                     "restore the newest backup (`tracker restore FILE`)")
    if db_path.stat().st_size == 0:  # SQLite's empty database (a first run stopped before writing)
        return [Finding("integrity", 0, "", "")]
    if not has_sqlite_header(db_path):
        return [broken]
    try:
        conn = open_sqlite_file(db_path)
    except sqlite3.Error:
        return [broken]
    try:
        return _run_checks(conn)
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise DatabaseError("the database is busy (another tracker is writing); try again") from None
        return [Finding("integrity", 1, f"the database cannot be read ({exc})", broken.do)]
    except sqlite3.DatabaseError as exc:
        return [Finding("integrity", 1, f"the database is damaged ({exc})", broken.do)]
    finally:
        conn.close()


def _run_checks(conn: sqlite3.Connection) -> list[Finding]:
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
    if problems != ["ok"]:
        return [Finding("integrity", len(problems), f"SQLite's integrity check failed: {problems[0]}",
                        "restore the newest backup (`tracker restore FILE`); keep this file for study")]
    findings = [Finding("integrity", 0, "", "")]
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:  # nothing stored yet: tracker creates the schema on first use
        return findings
    version_row = None
    if "meta" in tables:
        version_row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if version_row is None:
        findings.append(Finding("schema version", 1, "the database has no schema version (not a "
                                "tracker database?)", "check the --db path; or restore a backup"))
        return findings
    try:
        version = int(version_row[0])
    except (TypeError, ValueError):
        version = -1
    if not 0 < version <= SCHEMA_VERSION:
        findings.append(Finding("schema version", 1, f"the schema version is {version_row[0]!r}, this "
                                f"tracker reads 1 to {SCHEMA_VERSION}",
                                "upgrade tracker if the database came from a newer one; else restore a backup"))
        return findings
    findings.append(Finding("schema version", 0, "", ""))
    missing = _missing_schema(conn, tables, version)
    findings.append(Finding("tables and columns", len(missing),
                            f"{len(missing)} table(s) or column(s) tracker needs are missing "
                            f"({', '.join(missing[:5])}{' …' if len(missing) > 5 else ''})" if missing else "",
                            "restore a backup (`tracker restore FILE`); keep this file for study"
                            if missing else ""))
    for name, sql, problem, do in _CONSISTENCY:
        needed = set(re.findall(r"(?:FROM|JOIN) \"?(\w+)\"?", sql))
        if not needed <= tables or version < _SINCE.get(name, 1):
            continue
        try:
            count = int(conn.execute(sql).fetchone()[0] or 0)
        except sqlite3.OperationalError as exc:
            if missing and "no such" in str(exc):
                continue  # a missing column: reported above
            raise
        findings.append(Finding(name, count, problem.format(n=count) if count else "", do if count else ""))
    findings.extend(_value_findings(conn, tables, schema_broken=bool(missing)))
    return findings


# ---------------------------------------------------------------------------------------------
# The schema tracker needs
# ---------------------------------------------------------------------------------------------


SCHEMA: dict[str, tuple[str, ...]] = {
    "meta": ("key", "value"),
    "office": ("id", "name"),
    "app_user": ("id", "name", "is_admin"),
    "membership": ("id", "user_id", "office_id"),
    "plan": ("id", "office_id", "kind", "title", "issuer", "year", "date_written", "source_name",
             "source_sha256", "imported_at", "version"),
    "section": ("id", "plan_id", "number", "title", "position"),
    "task": ("id", "plan_id", "section_id", "number", "path", "title", "text", "position", "removed",
             "version"),
    "owner": ("id", "office_id", "name", "email"),
    "taskowner": ("id", "task_id", "owner_id", "role", "origin"),
    "requirement": ("id", "task_id", "position", "kind", "source", "what", "event", "workdays", "days",
                    "count", "period", "per_owner", "due_day", "month", "day", "year_offset", "origin",
                    "removed", "parsed_index"),
    "obligation": ("id", "requirement_id", "task_id", "plan_id", "key", "owner", "due", "provisional",
                   "note", "event_id", "done_on"),
    "completion": ("id", "requirement_id", "obligation_key", "done_on", "evidence", "recorded_by",
                   "recorded_at"),
    "waiver": ("id", "requirement_id", "reason", "created_by", "created_at"),
    "event": ("id", "task_id", "requirement_id", "on", "ref", "created_by", "created_at"),
    "progressnote": ("id", "task_id", "on", "text", "author", "created_at"),
    "calendaroverride": ("id", "day", "kind", "name"),
    "auditentry": ("id", "action_id", "at", "who", "action", "entity", "entity_id", "before", "after",
                   "summary", "undone", "task_id", "plan_id", "office_id"),
    "sentreminder": ("id", "day", "recipient", "owner", "digest", "status", "error", "at"),
}
"""Every table and column of the current schema (`tracker.store.tables`; a test keeps the two equal).
Written out so that `check` stays plain sqlite3 (the ORM costs ~335 ms to import)."""

_SCHEMA_SINCE: dict[str, int] = {
    "requirement.parsed_index": 2, "office": 3, "app_user": 3, "membership": 3, "plan.office_id": 3,
    "auditentry.task_id": 3, "auditentry.plan_id": 3, "obligation.done_on": 4, "owner.office_id": 5,
    "auditentry.office_id": 6,
    "sentreminder": SCHEMA_VERSION,
}
"""Tables and columns later schema versions added: an older database (upgraded on its next open)
is not asked for them. (`sentreminder` is created by the upgrade whatever the version.)"""


def _missing_schema(conn: sqlite3.Connection, tables: set[str], version: int) -> list[str]:
    """"table" or "table.column" for each part of `SCHEMA` the database lacks, in `SCHEMA`'s order."""
    missing = []
    for table, columns in SCHEMA.items():
        if version < _SCHEMA_SINCE.get(table, 1):
            continue
        if table not in tables:
            missing.append(table)
            continue
        have = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
        missing.extend(f"{table}.{c}" for c in columns
                       if c not in have and version >= _SCHEMA_SINCE.get(f"{table}.{c}", 1))
    return missing


# ---------------------------------------------------------------------------------------------
# Values a hand edit can break: dates, rules, the due dates derived from them
# ---------------------------------------------------------------------------------------------


_UNREADABLE = {
    "date": "{c} IS NOT NULL AND (typeof({c}) != 'text' OR date({c}, '+0 days') IS NOT {c})",
    "datetime": "{c} IS NOT NULL AND (typeof({c}) != 'text' OR datetime({c}) IS NULL "
                "OR date(substr({c}, 1, 10), '+0 days') IS NOT substr({c}, 1, 10))",
}
"""Rows whose stored date (YYYY-MM-DD, exactly as the store writes it) or timestamp cannot be read.
SQLite's `date()` takes 2024-02-30 as it is; a modifier makes it normalize (→ 2024-03-01), so a
day the month lacks is caught too."""
_DERIVED_DATES = ("obligation.due", "obligation.done_on")
"""Date columns `tracker check --repair` rewrites (due dates from the rules, done_on from completions)."""
_REPAIR = "run `tracker check --repair` (due dates are recomputed from the rules; completions are kept)"


def _date_columns(conn: sqlite3.Connection, tables: Iterable[str]) -> list[tuple[str, str, str]]:
    """(table, column, "date" | "datetime") for every column declared DATE or DATETIME."""
    found = []
    for table in sorted(tables):
        if table.startswith("sqlite_"):
            continue
        for row in conn.execute(f'PRAGMA table_info("{table}")'):
            kind = {"DATE": "date", "DATETIME": "datetime", "TIMESTAMP": "datetime"}.get(str(row[2]).upper())
            if kind is not None:
                found.append((table, str(row[1]), kind))
    return found


def unreadable_dates(conn: sqlite3.Connection, tables: Iterable[str]) -> dict[str, int]:
    """"table.column" → how many rows hold a date or timestamp tracker cannot read (only those > 0)."""
    counts = {}
    for table, column, kind in _date_columns(conn, tables):
        where = _UNREADABLE[kind].format(c=f'"{column}"')
        n = int(conn.execute(f'SELECT count(*) FROM "{table}" WHERE {where}').fetchone()[0])
        if n:
            counts[f"{table}.{column}"] = n
    return counts


def _as_date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


@dataclass
class Schedule:
    """What the schedule computes from the stored facts, and the stored obligations it differs from."""

    bad_rules: list[tuple[int, str]] = field(default_factory=list)
    """(rule id, why) for each rule tracker cannot read (unknown kind, period, a month 13 …)."""
    missing: list[tuple[int, str]] = field(default_factory=list)
    """(rule id, key) of due dates the rules imply that are not stored."""
    extra: list[tuple[int, str]] = field(default_factory=list)
    """(rule id, key) of stored due dates of live rules the rules do not imply."""
    differ: list[tuple[int, str]] = field(default_factory=list)
    """(rule id, key) of stored due dates whose date, unit, note … differ from the computed ones."""


_OBLIGATION_COLUMNS = ("task_id", "plan_id", "owner", "due", "provisional", "note", "event_id")


def _norm(value: object) -> object:
    """A stored value (dates as text, booleans as 0/1) or a computed one, comparably."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def compare_schedule(conn: sqlite3.Connection) -> Schedule:
    """Recompute every live rule's obligations as `tracker.store.obligations.recompute` does (plain
    sqlite3 here) and compare them with the stored rows. A rule that cannot be read or placed is
    listed in `bad_rules`; its obligations are not compared, nor those of a task with an event
    whose date cannot be read, nor after-event ones when a calendar day cannot be read
    (`unreadable_dates` reports those dates; the repair waits until they are corrected)."""
    from tracker.calendar import WorkCalendar
    from tracker.model import PERIODS, RequirementKind
    from tracker.schedule import EventFact, occurrences
    from tracker.store.obligations import REQ_FIELDS, to_requirement

    result = Schedule()
    overrides = {}
    calendar_ok = True  # an unreadable override day could move any after-event deadline
    for day, kind in conn.execute("SELECT day, kind FROM calendaroverride"):
        if (parsed := _as_date(day)) is not None:
            overrides[parsed] = kind == "workday"
        else:
            calendar_ok = False
    calendar = WorkCalendar(overrides)
    tasks = {row[0]: (row[1], row[2]) for row in conn.execute(
        'SELECT t.id, t.plan_id, p.year FROM task t JOIN "plan" p ON p.id = t.plan_id WHERE NOT t.removed')}
    owners: dict[int, list[str]] = defaultdict(list)
    for task_id, name in conn.execute("SELECT o.task_id, w.name FROM taskowner o JOIN owner w ON w.id = o.owner_id "
                                      "ORDER BY o.task_id, o.role = 'support', o.id"):
        if name not in owners[task_id]:
            owners[task_id].append(name)
    events: dict[int, list[Any]] = defaultdict(list)
    unreadable_events: set[int] = set()  # tasks whose events cannot all be read: not compared
    for event_id, task_id, on, ref, rule_id in conn.execute(
            'SELECT id, task_id, "on", ref, requirement_id FROM event ORDER BY task_id, "on", id'):
        if (parsed := _as_date(on)) is not None:
            events[task_id].append(EventFact(event_id=event_id, on=parsed, ref=ref, requirement_id=rule_id))
        else:
            unreadable_events.add(task_id)
    names = ("id", "task_id", "removed", "kind", "source", *REQ_FIELDS)
    wanted: dict[tuple[int, str], tuple[object, ...]] = {}
    computed: set[int] = set()
    for values in conn.execute(f"SELECT {', '.join(names)} FROM requirement ORDER BY task_id, position"):
        row = dict(zip(names, values, strict=True))
        rule_id, task_id = row["id"], row["task_id"]
        try:
            req = to_requirement(row)
        except (ValueError, TypeError) as exc:
            result.bad_rules.append((rule_id, str(exc)))
            continue
        if req.kind is RequirementKind.RECURRING and req.period not in PERIODS:
            result.bad_rules.append((rule_id, f"{req.period!r} is not a period"))
            continue
        if row["removed"] or task_id not in tasks or task_id in unreadable_events:
            continue
        if req.kind is RequirementKind.AFTER_EVENT and not calendar_ok:
            continue
        plan_id, year = tasks[task_id]
        facts = [e for e in events.get(task_id, ()) if e.requirement_id in (None, rule_id)]
        try:
            occs = occurrences(req, year=year, owners=owners.get(task_id, ()), events=facts, calendar=calendar)
        except (TrackerError, ValueError, TypeError, ArithmeticError) as exc:
            result.bad_rules.append((rule_id, str(exc)))
            continue
        computed.add(rule_id)
        for occ in occs:
            wanted[(rule_id, occ.key)] = tuple(_norm(v) for v in (
                task_id, plan_id, occ.owner, occ.due, occ.provisional, occ.note, occ.event_id))
    stored = conn.execute(f"SELECT requirement_id, key, {', '.join(_OBLIGATION_COLUMNS)} FROM obligation")
    for rule_id, key, *values in stored:
        if rule_id not in computed:
            continue  # a removed, missing or unreadable rule: the checks above name it
        new = wanted.pop((rule_id, key), None)
        if new is None:
            result.extra.append((rule_id, key))
        elif tuple(_norm(v) for v in values) != new:
            result.differ.append((rule_id, key))
    result.missing = sorted(wanted)
    return result


def _value_findings(conn: sqlite3.Connection, tables: set[str], *, schema_broken: bool) -> list[Finding]:
    findings = []
    try:
        dates = unreadable_dates(conn, tables)
    except sqlite3.OperationalError:
        if not schema_broken:
            raise
        dates = {}
    derived = {k: n for k, n in dates.items() if k in _DERIVED_DATES}
    facts = {k: n for k, n in dates.items() if k not in _DERIVED_DATES}
    n = sum(facts.values())
    findings.append(Finding(
        "unreadable dates", n,
        f"{n} stored date(s) cannot be read ({_where(facts)}); commands that show them stop" if n else "",
        "restore a backup (`tracker restore FILE`), or correct the date by hand with sqlite3" if n else ""))
    needed = {"task", "plan", "requirement", "obligation", "taskowner", "owner", "event", "calendaroverride"}
    try:
        schedule = compare_schedule(conn) if needed <= tables else Schedule()
    except sqlite3.OperationalError:
        if not schema_broken:
            raise
        schedule = Schedule()
    bad = schedule.bad_rules
    findings.append(Finding(
        "rules", len(bad),
        f"{len(bad)} rule(s) cannot be read (rule {bad[0][0]}: {bad[0][1]}"
        f"{' …' if len(bad) > 1 else ''})" if bad else "",
        "correct each rule (`tracker rule TASK --rule K …`; `tracker show TASK` lists them) or restore a "
        "backup (`tracker restore FILE`)" if bad else ""))
    n = len(schedule.missing) + len(schedule.extra) + len(schedule.differ)
    parts = [f"{len(schedule.missing)} missing" if schedule.missing else "",
             f"{len(schedule.extra)} the rules do not set" if schedule.extra else "",
             f"{len(schedule.differ)} differ from what the rules set" if schedule.differ else "",
             f"unreadable: {_where(derived)}" if derived else ""]
    findings.append(Finding(
        "due dates", n,
        f"{n} stored due date(s) disagree with the rules ({'; '.join(p for p in parts if p)})" if n else "",
        _REPAIR if n else ""))
    return findings


def _where(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} ×{n}" for name, n in counts.items())


# ---------------------------------------------------------------------------------------------
# tracker check --repair
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Repair:
    """What `repair` changed: due dates added, removed and rewritten; first-completion dates reset."""

    added: int
    removed: int
    changed: int
    done_on: int

    @property
    def total(self) -> int:
        """How many obligation rows changed."""
        return self.added + self.removed + self.changed + self.done_on


REFUSE_REPAIR = ("integrity", "schema version", "tables and columns", "unreadable dates", "rules")
"""Findings `repair` cannot fix (the schedule cannot be recomputed over them): fix these first."""


def repair(session: Session, raw: sqlite3.Connection) -> Repair:
    """Recompute every obligation from the rules, events, owners and calendar, and every
    `done_on` from the completions, in the caller's transaction; audit one line (undo knows it).

    `raw` is the transaction's own sqlite3 connection (the counts are read inside the write lock).
    Obligations are derived rows, so undoing the repair leaves them as the rules compute them.
    """
    from sqlalchemy import text

    from tracker.store import audit
    from tracker.store.obligations import recompute
    from tracker.store.triggers import REFRESH_ALL, STALE_COUNT

    before = compare_schedule(raw)
    dangling = int(raw.execute(_CONSISTENCY[3][1]).fetchone()[0] or 0)
    recompute(session, None)
    stale = int(session.execute(text(STALE_COUNT)).scalar() or 0)
    if stale:
        session.execute(text(REFRESH_ALL))
    done = Repair(added=len(before.missing), removed=len(before.extra) + dangling,
                  changed=len(before.differ), done_on=stale)
    audit.note(session, f"检查修复: 按规则重算到期日 (补 {done.added}, 删 {done.removed}, 改 {done.changed}, "
                        f"完成日期 {done.done_on})", entity="repair")
    return done

