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

from tracker.errors import DatabaseError, TrackerError, sentence
from tracker.store.backup import has_sqlite_header, open_sqlite_file
from tracker.store.triggers import STALE_COUNT
from tracker.store.version import SCHEMA_VERSION

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass(frozen=True)
class Finding:
    """One check's result: `count` rows wrong (0 = ok), in one sentence, with what to do.

    `problem` and `do` are English (`--lang en`, the log); `problem_zh` and `do_zh` the same in
    Chinese, which a user sees by default (`problem_in`, `do_in`; `name_in` names the check)."""

    name: str
    count: int
    problem: str
    do: str
    problem_zh: str = ""
    do_zh: str = ""

    @property
    def ok(self) -> bool:
        """True when the check found nothing wrong."""
        return self.count == 0

    def name_in(self, lang: str) -> str:
        """The check's name as a user of `lang` reads it (`name` stays the JSON's stable key)."""
        return self.name if lang == "en" else NAMES_ZH.get(self.name, self.name)

    def problem_in(self, lang: str) -> str:
        """What is wrong, in `lang` (Chinese unless "en")."""
        return self.problem if lang == "en" else self.problem_zh or self.problem

    def do_in(self, lang: str) -> str:
        """What to do about it, in `lang` (Chinese unless "en")."""
        return self.do if lang == "en" else self.do_zh or self.do


NAMES_ZH = {
    "integrity": "完整性", "schema version": "数据库版本", "tables and columns": "表和列",
    "sections without a plan": "不属于任何计划的板块", "tasks without a plan": "不属于任何计划的任务",
    "rules without a task": "不属于任何任务的规则",
    "obligations of missing or removed rules": "规则或任务已删除或不存在的事项",
    "completions of vanished obligations": "事项已不存在的完成记录", "first-completion dates": "首次完成日期",
    "completions of missing rules": "规则不存在的完成记录", "waivers of missing rules": "规则不存在的不适用记录",
    "events and notes without a task": "不属于任何任务的事件和进展", "owner links": "责任单位分配",
    "units of another office": "其他机关的单位", "unreadable dates": "无法读取的日期", "rules": "规则",
    "due dates": "到期日",
}
"""Each check's name in Chinese, for `tracker check`'s lines."""


_SINCE = {"first-completion dates": 4, "units of another office": 5}
"""Checks of columns a schema version added (an older database is checked without them)."""
_RESTORE = ("restore a backup (`tracker restore FILE`) or re-import the plan",
            "恢复备份 (`tracker restore FILE`) 或重新导入计划")
_REPAIR = ("run `tracker check --repair` (due dates are recomputed from the rules; completions are kept)",
           "运行 `tracker check --repair` (按规则重算到期日; 完成记录保留)")
_STUDY = ("restore the newest backup (`tracker restore FILE`); keep this file for study",
          "恢复最新的备份 (`tracker restore FILE`); 保留这个文件以便分析")
_REASSIGN = ("set the task's units again (`tracker assign TASK --lead UNIT`)",
             "重新设置该任务的责任单位 (`tracker assign TASK --lead UNIT`)")
_CONSISTENCY: tuple[tuple[str, str, tuple[str, str], tuple[str, str]], ...] = (
    ("sections without a plan",
     'SELECT count(*) FROM section WHERE plan_id NOT IN (SELECT id FROM "plan")',
     ("{n} section(s) belong to no plan", "{n} 个板块不属于任何计划"), _RESTORE),
    ("tasks without a plan",
     'SELECT count(*) FROM task WHERE plan_id NOT IN (SELECT id FROM "plan")',
     ("{n} task(s) belong to no plan", "{n} 项任务不属于任何计划"), _RESTORE),
    ("rules without a task",
     "SELECT count(*) FROM requirement WHERE task_id NOT IN (SELECT id FROM task)",
     ("{n} rule(s) belong to no task", "{n} 条规则不属于任何任务"), _RESTORE),
    ("obligations of missing or removed rules",
     "SELECT count(*) FROM obligation o LEFT JOIN requirement r ON r.id = o.requirement_id "
     "LEFT JOIN task t ON t.id = o.task_id "
     "WHERE r.id IS NULL OR r.removed OR t.id IS NULL OR t.removed OR r.task_id != o.task_id",
     ("{n} due date(s) point at a rule or task that was removed or is missing",
      "{n} 个到期日指向已删除或不存在的规则或任务"), _REPAIR),
    ("completions of vanished obligations",
     "SELECT count(*) FROM completion c JOIN requirement r ON r.id = c.requirement_id "
     "JOIN task t ON t.id = r.task_id WHERE NOT r.removed AND NOT t.removed AND NOT EXISTS "
     "(SELECT 1 FROM obligation o WHERE o.requirement_id = c.requirement_id "
     "AND o.key = c.obligation_key)",
     ("{n} completion(s) record a due date the rule no longer has (they count for nothing)",
      "{n} 条完成记录对应的到期日已不在规则中 (这些记录不计入完成)"),
     ("look at the task's rule (`tracker show TASK`) and correct it (`tracker rule`) or record the "
      "work again against a current due date",
      "查看该任务的规则 (`tracker show TASK`) 并更正 (`tracker rule`), 或按现有的到期日重新登记完成")),
    ("first-completion dates",
     STALE_COUNT,
     ("{n} due date(s) disagree with their completions on when they were first done",
      "{n} 个到期日记录的首次完成日期与其完成记录不一致"),
     ("run `tracker check --repair`; if they disagree again, the database triggers that keep them were "
      "removed or bypassed: restore a backup (`tracker restore FILE`)",
      "运行 `tracker check --repair`; 如果仍不一致, 说明维护这些日期的数据库触发器被删除或绕过了: "
      "请恢复备份 (`tracker restore FILE`)")),
    ("completions of missing rules",
     "SELECT count(*) FROM completion WHERE requirement_id NOT IN (SELECT id FROM requirement)",
     ("{n} completion(s) belong to no rule", "{n} 条完成记录不属于任何规则"), _RESTORE),
    ("waivers of missing rules",
     "SELECT count(*) FROM waiver WHERE requirement_id NOT IN (SELECT id FROM requirement)",
     ("{n} waiver(s) belong to no rule", "{n} 条不适用记录不属于任何规则"), _RESTORE),
    ("events and notes without a task",
     "SELECT (SELECT count(*) FROM event WHERE task_id NOT IN (SELECT id FROM task)) + "
     "(SELECT count(*) FROM progressnote WHERE task_id NOT IN (SELECT id FROM task))",
     ("{n} event(s) or progress note(s) belong to no task", "{n} 条事件或进展不属于任何任务"), _RESTORE),
    ("owner links",
     "SELECT count(*) FROM taskowner WHERE owner_id NOT IN (SELECT id FROM owner) "
     "OR task_id NOT IN (SELECT id FROM task)",
     ("{n} owner assignment(s) point at a unit or task that does not exist",
      "{n} 条责任单位分配指向不存在的单位或任务"), _REASSIGN),
    ("units of another office",
     "SELECT count(*) FROM taskowner tow JOIN owner o ON o.id = tow.owner_id JOIN task t ON t.id = tow.task_id "
     "JOIN \"plan\" p ON p.id = t.plan_id WHERE o.office_id <> p.office_id",
     ("{n} owner assignment(s) give a task a unit of another office (its reminders would go to that "
      "office's address)",
      "{n} 条责任单位分配给任务指定了其他机关的单位 (提醒会发到那个机关的邮箱)"),
     ("set the task's units again (`tracker assign TASK --lead UNIT`): it takes its own office's",
      "重新设置该任务的责任单位 (`tracker assign TASK --lead UNIT`): 会改用本机关的单位")),
)
"""(name, SQL counting the wrong rows, (problem, 问题) with {n}, (what to do, 处理办法)) per check."""


def _found(name: str, count: int, problem: tuple[str, str], do: tuple[str, str]) -> Finding:
    """A `Finding` from (English, Chinese) pairs; an empty one when `count` is 0."""
    if not count:
        return Finding(name, 0, "", "")
    return Finding(name, count, problem[0], do[0], problem[1], do[1])


def check(db_path: Path) -> list[Finding]:
    """Run SQLite's integrity check and our consistency checks; never modifies the database.

    A file that is not SQLite or too damaged to open yields one failing "integrity" finding (not an
    exception); a missing file raises `DatabaseError`; an empty file or a database without tables
    (nothing stored yet) passes. Consistency checks run only after a passing
    integrity check, over the tables that exist (an old schema is not a problem).
    """
    if not db_path.is_file():
        raise DatabaseError(f"no database at {db_path}; run `tracker import FILE` or `tracker demo` first.",
                            zh=f"找不到数据库 {db_path}; 请先运行 `tracker import FILE` 或 `tracker demo`。")
    newest = ("restore the newest backup (`tracker restore FILE`)", "恢复最新的备份 (`tracker restore FILE`)")
    broken = _found("integrity", 1, ("the file is not a SQLite database or is damaged",
                                     "文件不是 SQLite 数据库, 或已损坏"), newest)
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
            # plain constants: engine imports no ORM at module level
            from tracker.store.engine import BUSY_MESSAGE, BUSY_MESSAGE_ZH

            raise DatabaseError(BUSY_MESSAGE, zh=BUSY_MESSAGE_ZH) from None
        return [_found("integrity", 1, (f"the database cannot be read ({exc})", f"无法读取数据库 ({exc})"), newest)]
    except sqlite3.DatabaseError as exc:
        return [_found("integrity", 1, (f"the database is damaged ({exc})", f"数据库已损坏 ({exc})"), newest)]
    finally:
        conn.close()


def _run_checks(conn: sqlite3.Connection) -> list[Finding]:
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
    if problems != ["ok"]:
        return [_found("integrity", len(problems), (f"SQLite's integrity check failed: {problems[0]}",
                                                    f"SQLite 完整性检查未通过: {problems[0]}"), _STUDY)]
    findings = [Finding("integrity", 0, "", "")]
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:  # nothing stored yet: tracker creates the schema on first use
        return findings
    version_row = None
    if "meta" in tables:
        version_row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if version_row is None:
        findings.append(_found("schema version", 1,
                               ("the database has no schema version (not a tracker database?)",
                                "数据库没有记录数据库版本 (可能不是 tracker 数据库)"),
                               ("check the --db path; or restore a backup", "检查 --db 路径; 或恢复备份")))
        return findings
    try:
        version = int(version_row[0])
    except (TypeError, ValueError):
        version = -1
    if not 0 < version <= SCHEMA_VERSION:
        findings.append(_found("schema version", 1,
                               (f"the schema version is {version_row[0]!r}, this tracker reads 1 to {SCHEMA_VERSION}",
                                f"数据库版本是 {version_row[0]!r}, 当前版本的 tracker 只能读取版本 1 到 {SCHEMA_VERSION}"),
                               ("upgrade tracker if the database came from a newer one; else restore a backup",
                                "如果数据库来自更新版本的 tracker, 请升级 tracker; 否则请恢复备份")))
        return findings
    findings.append(Finding("schema version", 0, "", ""))
    missing = _missing_schema(conn, tables, version)
    more = " …" if len(missing) > 5 else ""
    findings.append(_found("tables and columns", len(missing),
                           (f"{len(missing)} table(s) or column(s) tracker needs are missing "
                            f"({', '.join(missing[:5])}{more})",
                            f"缺少 tracker 需要的 {len(missing)} 个表或列 ({'、'.join(missing[:5])}{more})"),
                           ("restore a backup (`tracker restore FILE`); keep this file for study",
                            "恢复备份 (`tracker restore FILE`); 保留这个文件以便分析")))
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
        findings.append(_found(name, count, (problem[0].format(n=count), problem[1].format(n=count)), do))
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
    bad_rules_zh: list[str] = field(default_factory=list)
    """Each of `bad_rules`' whys in Chinese (Python's own words, when they are not tracker's)."""
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
            result.bad_rules_zh.append(sentence(exc, "zh"))
            continue
        if req.kind is RequirementKind.RECURRING and req.period not in PERIODS:
            result.bad_rules.append((rule_id, f"{req.period!r} is not a period"))
            result.bad_rules_zh.append(f"{req.period!r} 不是有效的周期")
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
            result.bad_rules_zh.append(sentence(exc, "zh"))
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
    findings.append(_found(
        "unreadable dates", n,
        (f"{n} stored date(s) cannot be read ({_where(facts)}); commands that show them stop",
         f"{n} 个存储的日期无法读取 ({_where(facts)}); 显示这些日期的命令会中止"),
        ("restore a backup (`tracker restore FILE`), or correct the date by hand with sqlite3",
         "恢复备份 (`tracker restore FILE`), 或用 sqlite3 手工更正日期")))
    needed = {"task", "plan", "requirement", "obligation", "taskowner", "owner", "event", "calendaroverride"}
    try:
        schedule = compare_schedule(conn) if needed <= tables else Schedule()
    except sqlite3.OperationalError:
        if not schema_broken:
            raise
        schedule = Schedule()
    bad = schedule.bad_rules
    first = bad[0] if bad else (0, "")
    first_zh = schedule.bad_rules_zh[0] if schedule.bad_rules_zh else first[1]
    more = " …" if len(bad) > 1 else ""
    findings.append(_found(
        "rules", len(bad),
        (f"{len(bad)} rule(s) cannot be read (rule {first[0]}: {first[1]}{more})",
         f"{len(bad)} 条规则无法读取 (规则{first[0]}: {first_zh}{more})"),
        ("correct each rule (`tracker rule TASK --rule K …`; `tracker show TASK` lists them) or restore a "
         "backup (`tracker restore FILE`)",
         "逐条更正规则 (`tracker rule TASK --rule K …`; `tracker show TASK` 可列出规则), 或恢复备份 "
         "(`tracker restore FILE`)")))
    n = len(schedule.missing) + len(schedule.extra) + len(schedule.differ)
    parts = [(f"{len(schedule.missing)} missing", f"缺 {len(schedule.missing)} 个") if schedule.missing else None,
             (f"{len(schedule.extra)} the rules do not set", f"{len(schedule.extra)} 个不是规则设定的")
             if schedule.extra else None,
             (f"{len(schedule.differ)} differ from what the rules set", f"{len(schedule.differ)} 个与规则设定的不同")
             if schedule.differ else None,
             (f"unreadable: {_where(derived)}", f"无法读取: {_where(derived)}") if derived else None]
    shown = [p for p in parts if p]
    findings.append(_found(
        "due dates", n,
        (f"{n} stored due date(s) disagree with the rules ({'; '.join(en for en, _ in shown)})",
         f"{n} 个存储的到期日与规则不一致 ({'; '.join(zh for _, zh in shown)})"),
        _REPAIR))
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

