"""A real SQLite file holding the Jining 2024 plan, built row by row for the read-path tests.

The schema comes from `tracker.store.tables` (SQLModel `create_all`); the rows are inserted with
plain sqlite3 the way the store writes them (ISO dates, 0/1 booleans), and the obligation rows
are computed with `tracker.schedule.occurrences`, as the store does on every change. The rules
are those the plan's sentences set (task 6: 3 working days after 文件发布; task 8: 2 evaluations
a year and the results by year end; task 12: a quarterly check; task 15: one article per unit).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

from tracker.calendar import WorkCalendar
from tracker.model import Requirement, RequirementKind, TaskView
from tracker.schedule import EventFact, occurrences

YEAR = 2024
TITLE = "2024年济宁市民政局政务公开工作要点"
SECTIONS = [("一", "提高公开质量与发布质效"), ("二", "深化政策公开与解读回应"),
            ("三", "强化政民互动与公众参与"), ("四", "强化平台建设和规范管理"),
            ("五", "强化组织领导和监督保障")]
R = Requirement
K = RequirementKind
ONGOING = R(kind=K.ONGOING, source="持续做好")
# number → (section, title, lead, support, rules)
TASKS: dict[str, tuple[str, str, list[str], list[str], list[Requirement]]] = {
    "1": ("一", "加强重点任务落实信息公开", ["局办公室"], [], [ONGOING]),
    "2": ("一", "以政务公开助推“为民民政”建设", ["局办公室"], ["养老服务科"], [ONGOING]),
    "3": ("一", "以政务公开助推经济高质量发展", ["局办公室"], [], []),
    "4": ("一", "主动公开法定基础信息", ["局办公室"], [], []),
    "5": ("二", "推进政策集中统一公开", ["局办公室"], [], []),
    "6": ("二", "推进政策解读规范化", ["局办公室"], [], [
        R(kind=K.AFTER_EVENT, source="文件发布后,应于3个工作日内关联发布解读材料",
          what="关联发布解读材料", event="文件发布", workdays=3)]),
    "7": ("二", "持续加强多元解读", ["局办公室"], [], []),
    "8": ("三", "深化重大决策公众参与", ["局办公室"], ["政策法规科"], [
        R(kind=K.RECURRING, source="原则上每年至少开展2次专题性政策评价工作",
          what="专题性政策评价", count=2, period="year"),
        R(kind=K.DEADLINE, source="年底前将评价结果和运用情况向社会公开",
          what="评价结果和运用情况向社会公开", month=12, day=31)]),
    "9": ("三", "增强政民互动交流实效", ["局办公室"], [], []),
    "10": ("三", "规范依申请公开办理工作", ["局办公室"], [], []),
    "11": ("四", "持续优化门户网站功能", ["局办公室"], [], []),
    "12": ("四", "推进政府网站和政务新媒体管理", ["局办公室"], [], [
        R(kind=K.RECURRING, source="每季度对政府网站内容进行检索检查", what="检索检查",
          count=1, period="quarter")]),
    "13": ("五", "强化工作保障", ["局办公室"], [], [
        R(kind=K.RECURRING, source="局长办公会议每年至少听取1次政务公开工作汇报",
          what="听取政务公开工作汇报", count=1, period="year")]),
    "14": ("五", "推进政务公开标准化建设", ["局办公室"], [], []),
    "15": ("五", "强化工作创新", ["局办公室"], ["政策法规科", "养老服务科"], [
        R(kind=K.RECURRING, source="各科室、单位年内至少……投稿一篇政务公开宣传稿",
          what="投稿一篇政务公开宣传稿", count=1, period="year", per_owner=True)]),
}
_RULE_COLUMNS = ("kind", "source", "what", "event", "workdays", "days", "count", "period",
                 "per_owner", "due_day", "month", "day", "year_offset")
STAMP = "2024-01-15 09:00:00.000000"


def create_schema(path: Path, version: int | None = None) -> None:
    """An empty tracker database at `path` (the store's schema, its triggers and its schema_version)."""
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    from tracker.store import tables
    from tracker.store.triggers import install_done_on_triggers

    engine = create_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    with engine.begin() as conn:
        install_done_on_triggers(conn)
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)",
                     (str(version or tables.SCHEMA_VERSION),))
    conn.close()


class JiningDb:
    """The Jining plan in a SQLite file, with helpers that record facts as the store would."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.plan_id = 1

    @classmethod
    def build(cls, path: Path) -> JiningDb:
        create_schema(path)
        db = cls(path)
        db.plan_id = db.add_plan(TITLE, TASKS)
        return db

    def copy_to(self, path: Path) -> JiningDb:
        shutil.copyfile(self.path, path)
        copy = JiningDb(path)
        copy.plan_id = self.plan_id
        return copy

    def _conn(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path)

    def add_plan(self, title: str, tasks: dict[str, tuple[str, str, list[str], list[str], list[Requirement]]],
                 year: int = YEAR) -> int:
        """Insert a plan with its sections, tasks, owners and rules; compute its obligations."""
        with self._conn() as conn:
            plan_id = conn.execute(
                "INSERT INTO plan (kind, title, issuer, year, source_name, source_sha256, imported_at, "
                "version) VALUES ('workplan', ?, '济宁市民政局', ?, 'jining.txt', '', ?, 1)",
                (title, year, STAMP)).lastrowid
            section_ids = {}
            for pos, (number, name) in enumerate(SECTIONS, 1):
                section_ids[number] = conn.execute(
                    "INSERT INTO section (plan_id, number, title, position) VALUES (?, ?, ?, ?)",
                    (plan_id, number, name, pos)).lastrowid
            for pos, (number, (section, title_, lead, support, rules)) in enumerate(tasks.items(), 1):
                task_id = conn.execute(
                    "INSERT INTO task (plan_id, section_id, number, path, title, text, position, "
                    "removed, version) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 1)",
                    (plan_id, section_ids[section], number, f"{section}/{number}", title_,
                     f"{title_}。正文。", pos)).lastrowid
                for role, names in (("lead", lead), ("support", support)):
                    for name in names:
                        conn.execute("INSERT OR IGNORE INTO owner (name) VALUES (?)", (name,))
                        owner_id = conn.execute("SELECT id FROM owner WHERE name = ?", (name,)).fetchone()[0]
                        conn.execute("INSERT INTO taskowner (task_id, owner_id, role, origin) "
                                     "VALUES (?, ?, ?, 'parsed')", (task_id, owner_id, role))
                for index, rule in enumerate(rules, 1):
                    values = [getattr(rule, c) for c in _RULE_COLUMNS]
                    conn.execute(
                        f"INSERT INTO requirement (task_id, position, origin, removed, "
                        f"{', '.join(_RULE_COLUMNS)}) VALUES (?, ?, 'parsed', 0, "
                        f"{', '.join('?' * len(_RULE_COLUMNS))})",
                        [task_id, index, *[v.value if isinstance(v, K) else v for v in values]])
                self._recompute(conn, task_id)
        conn.close()
        return int(plan_id)

    def _recompute(self, conn: sqlite3.Connection, task_id: int) -> None:
        overrides = {date.fromisoformat(d): k == "workday"
                     for d, k in conn.execute("SELECT day, kind FROM calendaroverride")}
        calendar = WorkCalendar(overrides)
        year = conn.execute("SELECT p.year FROM plan p JOIN task t ON t.plan_id = p.id WHERE t.id = ?",
                            (task_id,)).fetchone()[0]
        owners = [r[0] for r in conn.execute(
            "SELECT o.name FROM taskowner tow JOIN owner o ON o.id = tow.owner_id WHERE tow.task_id = ? "
            "ORDER BY tow.role = 'support', tow.id", (task_id,))]
        events = [EventFact(event_id=r[0], on=date.fromisoformat(r[1]), ref=r[2])
                  for r in conn.execute('SELECT id, "on", ref FROM event WHERE task_id = ?', (task_id,))]
        conn.execute("DELETE FROM obligation WHERE task_id = ?", (task_id,))
        rows = conn.execute(f"SELECT id, {', '.join(_RULE_COLUMNS)} FROM requirement "
                            "WHERE task_id = ? AND removed = 0", (task_id,)).fetchall()
        plan_id = conn.execute("SELECT plan_id FROM task WHERE id = ?", (task_id,)).fetchone()[0]
        for rid, *values in rows:
            fields = dict(zip(_RULE_COLUMNS, values, strict=True))
            fields["kind"] = K(fields["kind"])
            fields["per_owner"] = bool(fields["per_owner"])
            req = Requirement(**fields)
            for occ in occurrences(req, year=year, owners=owners, events=events, calendar=calendar):
                conn.execute(
                    "INSERT INTO obligation (requirement_id, task_id, plan_id, key, owner, due, "
                    "provisional, note, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (rid, task_id, plan_id, occ.key, occ.owner,
                     occ.due.isoformat() if occ.due else None, int(occ.provisional), occ.note,
                     occ.event_id))

    # --- facts -----------------------------------------------------------------------------

    def task_id(self, number: str, plan_id: int | None = None) -> int:
        with self._conn() as conn:
            row = conn.execute("SELECT id FROM task WHERE plan_id = ? AND number = ?",
                               (plan_id or self.plan_id, number)).fetchone()
        conn.close()
        return int(row[0])

    def rule_id(self, number: str, rule: int = 1) -> int:
        with self._conn() as conn:
            row = conn.execute("SELECT id FROM requirement WHERE task_id = ? AND position = ?",
                               (self.task_id(number), rule)).fetchone()
        conn.close()
        return int(row[0])

    def complete(self, number: str, key: str, on: date, *, rule: int = 1,
                 evidence: str | None = None) -> None:
        self._exec("INSERT INTO completion (requirement_id, obligation_key, done_on, evidence, "
                   "recorded_by, recorded_at) VALUES (?, ?, ?, ?, 'test', ?)",
                   (self.rule_id(number, rule), key, on.isoformat(), evidence, STAMP))

    def waive(self, number: str, *, rule: int = 1, reason: str, at: datetime) -> None:
        self._exec("INSERT INTO waiver (requirement_id, reason, created_by, created_at) "
                   "VALUES (?, ?, 'test', ?)", (self.rule_id(number, rule), reason,
                                                at.isoformat(sep=" ")))

    def note(self, number: str, text: str, on: date) -> None:
        self._exec('INSERT INTO progressnote (task_id, "on", text, author, created_at) '
                   "VALUES (?, ?, ?, 'test', ?)", (self.task_id(number), on.isoformat(), text, STAMP))

    def event(self, number: str, on: date, ref: str | None = None, plan_id: int | None = None) -> int:
        task_id = self.task_id(number, plan_id)
        with self._conn() as conn:
            event_id = conn.execute(
                'INSERT INTO event (task_id, "on", ref, created_by, created_at) '
                "VALUES (?, ?, ?, 'test', ?)", (task_id, on.isoformat(), ref, STAMP)).lastrowid
            self._recompute(conn, task_id)
        conn.close()
        return int(event_id)

    def remove_task(self, number: str) -> None:
        self._exec("UPDATE task SET removed = 1 WHERE id = ?", (self.task_id(number),))

    def remove_rule(self, number: str, rule: int) -> None:
        self._exec("UPDATE requirement SET removed = 1 WHERE id = ?", (self.rule_id(number, rule),))

    def audit(self, action_id: str, at: str, action: str, entity: str, entity_id: int,
              after: str, summary: str = "") -> None:
        # task_id as the store fills it (schema 3): the task itself, a row naming it, or a rule's task
        try:
            row = json.loads(after)
        except ValueError:
            row = {}
        task_id = entity_id if entity == "task" else row.get("task_id")
        if task_id is None and entity in ("completion", "waiver"):
            with self._conn() as conn:
                found = conn.execute("SELECT task_id FROM requirement WHERE id = ?",
                                     (row.get("requirement_id"),)).fetchone()
            conn.close()
            task_id = found[0] if found else None
        self._exec("INSERT INTO auditentry (action_id, at, who, action, entity, entity_id, before, "
                   "after, summary, undone, task_id) VALUES (?, ?, 'test', ?, ?, ?, NULL, ?, ?, 0, ?)",
                   (action_id, at, action, entity, entity_id, after, summary, task_id))

    def _exec(self, sql: str, params: tuple[object, ...]) -> None:
        with self._conn() as conn:
            conn.execute(sql, params)
        conn.close()


def by_number(views: list[TaskView]) -> dict[str, TaskView]:
    """Task views keyed by their printed number."""
    return {v.number: v for v in views}


def obligations_of(view: TaskView) -> list[tuple[str, str | None, str]]:
    """(key, ISO due, status) of each obligation — what a user reads off `tracker show`."""
    return [(o.key, o.due.isoformat() if o.due else None, o.status.value) for o in view.obligations]


def dates(start: date, end: date, n: int) -> list[date]:
    step = (end - start) / (n - 1)
    return [start + timedelta(days=round(step.days * i)) for i in range(n)]


def filter_cases(conn: sqlite3.Connection) -> list[dict[str, object]]:
    """The filters the fast reads' equality tests try: none; the last plan with a 2-day window;
    the second unit."""
    from tracker import query

    return [{}, {"within": 2, "plan_id": query.list_plans(conn)[-1].plan_id},
            {"owner": query.list_owners(conn)[1].name}]
