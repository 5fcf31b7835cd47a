"""Hand-built drafts shaped like the Jining 2024 plan (store tests need no parser), and table dumps."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tracker.model import Owners, PlanDraft, Requirement, RequirementKind, SectionDraft, TaskDraft

SECTIONS = (("一", "提高公开质量与发布质效", 1, 4), ("二", "深化政策公开与解读回应", 5, 7),
            ("三", "强化政民互动与公众参与", 8, 10), ("四", "强化平台建设和规范管理", 11, 12),
            ("五", "强化组织领导和监督保障", 13, 15))

RULES: dict[int, tuple[Requirement, ...]] = {
    6: (Requirement(kind=RequirementKind.AFTER_EVENT, source="文件发布后,应于3个工作日内关联发布解读材料",
                    what="关联发布解读材料", event="文件发布", workdays=3),),
    8: (Requirement(kind=RequirementKind.RECURRING, source="每年至少开展2次专题性政策评价工作",
                    what="专题性政策评价", count=2, period="year"),
        Requirement(kind=RequirementKind.DEADLINE, source="年底前将评价结果和运用情况向社会公开",
                    what="公开评价结果", month=12, day=31)),
    12: (Requirement(kind=RequirementKind.RECURRING, source="每季度对政府网站内容进行检索检查",
                     what="网站内容检索检查", count=1, period="quarter"),),
    13: (Requirement(kind=RequirementKind.RECURRING, source="每年至少听取1次政务公开工作汇报",
                     what="听取汇报", count=1, period="year"),),
    15: (Requirement(kind=RequirementKind.RECURRING, source="各科室、单位年内至少投稿一篇",
                     what="投稿", count=1, period="year", per_owner=True),),
    1: (Requirement(kind=RequirementKind.ONGOING, source="持续做好", what="重点任务信息公开"),),
}


def task(number: int, title: str | None = None, text: str | None = None) -> TaskDraft:
    section = next(s for s in SECTIONS if s[2] <= number <= s[3])
    title = title or f"任务标题{number}"
    return TaskDraft(number=str(number), path=(section[0], str(number)), title=title,
                     text=text or f"{title}。具体内容{number}。",
                     owners=Owners(lead=("局办公室",)) if number == 6 else Owners(),
                     requirements=RULES.get(number, ()))


def jining(tasks: tuple[TaskDraft, ...] | None = None, title: str = "2024年济宁市民政局政务公开工作要点",
           year: int | None = 2024) -> PlanDraft:
    return PlanDraft(kind="workplan", title=title, issuer="济宁市民政局", year=year,
                     sections=tuple(SectionDraft(s[0], s[1]) for s in SECTIONS),
                     tasks=tasks if tasks is not None else tuple(task(n) for n in range(1, 16)))


def _connect(db: Path | str):
    """A plain read connection to either engine (tracker.query.connect: rows come back as sqlite3 gives them)."""
    from tracker import query

    return query.connect(str(db))


def dump(db: Path | str, *, skip: tuple[str, ...] = ("auditentry",)) -> dict[str, list[tuple]]:
    """Every table's rows, sorted; obligations without their (derived) ids. SQLite file or PostgreSQL URL."""
    conn = _connect(db)
    try:
        if query_is_postgres(db):
            names = [r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables "
                                                "WHERE table_schema = 'public' ORDER BY table_name")]
        else:
            names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        out = {}
        for name in names:
            if name in skip:
                continue
            cols = columns(conn, db, name)
            wanted = [c for c in cols if not (name == "obligation" and c == "id")]
            rows = conn.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in wanted)} FROM "{name}"')
            out[name] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()


def query_is_postgres(db: Path | str) -> bool:
    from tracker.query import is_postgres

    return is_postgres(str(db))


def columns(conn, db: Path | str, name: str) -> list[str]:
    """A table's column names in their declared order, on either engine."""
    if query_is_postgres(db):
        return [r[0] for r in conn.execute("SELECT column_name FROM information_schema.columns WHERE "
                                           "table_schema = 'public' AND table_name = ? ORDER BY ordinal_position",
                                           (name,))]
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')]


def rows(db: Path | str, sql: str, *params: object) -> list[tuple]:
    """The rows of one query, on a SQLite file (path) or a PostgreSQL URL; dates as ISO text, booleans 0/1."""
    if not query_is_postgres(db):
        conn = sqlite3.connect(db)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()
    conn = _connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


V4_UNDONE = ("DROP TRIGGER completion_insert_done_on", "DROP TRIGGER completion_delete_done_on",
             "DROP TRIGGER completion_update_done_on", "DROP TRIGGER obligation_insert_done_on",
             "DROP TRIGGER obligation_rekey_done_on", "DROP INDEX ix_obligation_open",
             "DROP INDEX ix_obligation_req_done", "ALTER TABLE obligation DROP COLUMN done_on",
             "CREATE INDEX ix_obligation_due ON obligation (due)",
             "CREATE INDEX ix_obligation_due_task ON obligation (due, task_id)",
             "UPDATE meta SET value = '3' WHERE key = 'schema_version'")
"""SQL that turns a schema-4 SQLite database back into schema 3 (for migration tests)."""

V4_UNDONE_PG = ("DROP TRIGGER completion_done_on ON completion", "DROP TRIGGER obligation_done_on ON obligation",
                "DROP FUNCTION tracker_completion_done_on()", "DROP FUNCTION tracker_obligation_done_on()",
                "DROP INDEX ix_obligation_open", "DROP INDEX ix_obligation_req_done",
                "ALTER TABLE obligation DROP COLUMN done_on",
                "CREATE INDEX ix_obligation_due ON obligation (due)",
                "UPDATE meta SET value = '3' WHERE key = 'schema_version'")
"""The same for a PostgreSQL database."""
