"""`tracker check`: SQLite's integrity check plus our own consistency checks, each with what to do.

Plain `sqlite3`, read-only in effect (it never writes), so it is safe beside the TUI and cron.
Split from `tracker.store.backup` (which copies databases and lends it `open_sqlite_file`);
this module only reads one.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tracker.errors import DatabaseError
from tracker.store.backup import has_sqlite_header, open_sqlite_file
from tracker.store.triggers import STALE_COUNT
from tracker.store.version import SCHEMA_VERSION


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
     "re-import the plan (`tracker import FILE`) so due dates are recomputed"),
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
     "the database triggers that keep them were removed or bypassed: restore a backup "
     "(`tracker restore FILE`)"),
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
    for name, sql, problem, do in _CONSISTENCY:
        needed = set(re.findall(r"(?:FROM|JOIN) \"?(\w+)\"?", sql))
        if not needed <= tables or version < _SINCE.get(name, 1):
            continue
        count = int(conn.execute(sql).fetchone()[0] or 0)
        findings.append(Finding(name, count, problem.format(n=count) if count else "", do if count else ""))
    return findings
