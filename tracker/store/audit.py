"""Audited writes: every insert, update and delete of a fact row also writes an `AuditEntry`.

The entry keeps the whole row as JSON before and after, so `undo` can put it back exactly
(insert → delete, update → restore `before`, delete → re-insert with the same id). All entries of
one user action share the transaction's `action_id`. Obligation rows are derived (recomputed from
the facts) and are not audited. Writes go through SQLAlchemy Core on the session's connection:
one `executemany` for a whole plan, which keeps a bulk import near the raw insert's speed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Column, Table
    from sqlmodel import Session

Row = dict[str, Any]

# --- the log in the user's language ------------------------------------------------------------
# (`tracker log` and `tracker show` word the stored rows with these: this module imports only the
# standard library at the top, and `json` when a row is read or written, not on their cold path)

ACTIONS: dict[str, tuple[str, str]] = {
    "done": ("完成", "done"),
    "reopen": ("撤回完成", "reopen"),
    "event": ("事件", "event"),
    "note": ("进展", "note"),
    "assign": ("责任单位", "assign"),
    "waive": ("不适用", "waive"),
    "rule": ("规则", "rule"),
    "owners": ("单位邮箱", "owners"),
    "calendar": ("日历调整", "calendar"),
    "import": ("导入计划", "import"),
    "import-progress": ("导入进展", "import-progress"),
    "undo": ("撤销", "undo"),
    "repair": ("检查修复", "repair"),
    "migrate": ("迁移", "migrate"),
    "users": ("用户", "users"),
}
"""What each stored `auditentry.action` (the command that wrote it) is called in the log: the
stored value stays the command's English name (older trackers and `undo` read it); only its
display is worded (`action_label`)."""

ENTITIES: dict[str, str] = {
    "office": "机关", "plan": "计划", "section": "板块", "owner": "单位", "task": "任务",
    "taskowner": "责任单位分配", "requirement": "规则", "event": "事件", "completion": "完成记录",
    "waiver": "不适用记录", "progressnote": "进展", "calendaroverride": "日历调整", "obligation": "事项",
    "sentreminder": "提醒发送记录", "auditentry": "操作记录",
}
"""The Chinese name of each table an audit row may name (`entity`), for sentences about its rows
(as `tracker migrate` names the tables it copied)."""


def action_label(action: str, lang: str = "zh") -> str:
    """A stored action as the log shows it: "note" → "进展" (its own name in English, or for an
    action this table does not know)."""
    zh, en = ACTIONS.get(action, (action, action))
    return en if lang == "en" else zh


def entity_label(entity: str, lang: str = "zh") -> str:
    """A table's name in a sentence: "completion" → "完成记录" ("completion" in English)."""
    return entity if lang == "en" else ENTITIES.get(entity, entity)


def undo_summary(summary: str, lang: str = "zh") -> str:
    """An undo's summary in the user's language: "note (任务8: 进展 测试; 张三 2024-07-01 09:00)" →
    "进展 (任务8: …)". `undo_last` returns, and stores after "撤销: ", the action's stored name
    (what older trackers wrote too); this words it when shown. Also takes the stored line
    ("撤销: note (…)"). Anything else is returned as it is."""
    if lang == "en":
        return summary
    prefix = "撤销: " if summary.startswith("撤销: ") else ""
    action, paren, tail = summary[len(prefix):].partition(" (")
    if not paren or action not in ACTIONS:
        return summary
    return f"{prefix}{action_label(action, lang)}{paren}{tail}"


def table(name: str) -> Table:
    """The Core table of a `tracker.store.tables` class by its table name ("task", "plan", …)."""
    from sqlmodel import SQLModel

    from tracker.store import tables  # noqa: F401 - registers the tables

    return SQLModel.metadata.tables[name]


def _default(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} in the audit log")


def to_json(row: Mapping[str, Any]) -> str:
    """A row as stable JSON (sorted keys, dates ISO, Chinese kept readable)."""
    import json

    return json.dumps(dict(row), ensure_ascii=False, sort_keys=True, default=_default)


def from_json(tbl: Table, text: str) -> Row:
    """A row back from its JSON, with dates and datetimes typed as the table's columns say."""
    import json

    row: Row = json.loads(text)
    for col in tbl.columns:
        value = row.get(col.name)
        if not isinstance(value, str):
            continue
        typ = getattr(col.type, "impl", col.type)  # sqlmodel's UTCDateTime decorates DateTime
        try:
            kind = typ.python_type
        except NotImplementedError:
            continue
        if kind is datetime:
            row[col.name] = datetime.fromisoformat(value)
        elif kind is date:
            row[col.name] = date.fromisoformat(value)
    return row


def _entry(session: Session, entity: str, entity_id: int | None, before: str | None,
           after: str | None, summary: str, row: Mapping[str, Any] | None = None) -> Row:
    info = session.info
    task_id, plan_id = scope(session, entity, row or {})
    return {"action_id": info["action_id"], "at": info["now"], "who": info["who"],
            "action": info["action"], "entity": entity, "entity_id": entity_id,
            "before": before, "after": after, "summary": summary, "undone": False,
            "task_id": task_id, "plan_id": plan_id, "office_id": office_of(session, entity, row or {}, plan_id)}


def office_of(session: Session, entity: str, row: Mapping[str, Any], plan_id: int | None) -> int:
    """The office an audit row of `entity` belongs to (schema 6): a plan's or unit's own office; a
    row of a plan that plan's; any other row (an undo note, a calendar line) `acting_office`'s."""
    if entity in ("plan", "owner") and row.get("office_id") is not None:
        return int(row["office_id"])
    if plan_id is not None:
        offices: dict[int, int] = session.info.setdefault("plan_office", {})
        if plan_id not in offices:
            found = fetch(session, table("plan"), plan_id)
            offices[plan_id] = int(found["office_id"]) if found and found.get("office_id") else 0
        if offices[plan_id]:
            return offices[plan_id]
    return acting_office(session)


def acting_office(session: Session) -> int:
    """The office of a change that belongs to no plan or unit: `session.info["office_id"]` when the
    caller set it (undo: the office of the change it undid), else the current user's office (their
    lowest-numbered one when they have several), else "default" (1: an admin's, or SQLite's only one)."""
    if session.info.get("office_id"):
        return int(session.info["office_id"])
    if session.connection().dialect.name != "postgresql":
        return 1
    from sqlalchemy import text

    found = session.execute(text(
        "SELECT min(m.office_id) FROM membership m JOIN app_user u ON u.id = m.user_id "
        "WHERE u.name = tracker_user()")).scalar()
    session.info["office_id"] = int(found) if found else 1
    return int(session.info["office_id"])


def scope(session: Session, entity: str, row: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """(task id, plan id) a row of `entity` belongs to, for its audit entry; None where it has none.

    Lookups (a rule's task, a task's plan) are cached in `session.info` for the transaction, so a
    plan's import costs no query per row.
    """
    tasks: dict[int, int] = session.info.setdefault("task_plan", {})
    reqs: dict[int, int] = session.info.setdefault("req_task", {})
    if entity == "plan":
        return None, row.get("id")
    if entity == "section":
        return None, row.get("plan_id")
    if entity == "task":
        if row.get("id") is not None and row.get("plan_id") is not None:
            tasks[int(row["id"])] = int(row["plan_id"])
        return row.get("id"), row.get("plan_id")
    task_id = row.get("task_id")
    if entity == "requirement" and row.get("id") is not None and task_id is not None:
        reqs[int(row["id"])] = int(task_id)
    if task_id is None and row.get("requirement_id") is not None and entity in ("completion", "waiver"):
        rid = int(row["requirement_id"])
        if rid not in reqs:
            found = fetch(session, table("requirement"), rid)
            reqs[rid] = int(found["task_id"]) if found else 0
        task_id = reqs[rid] or None
    if task_id is None:
        return None, None
    task_id = int(task_id)
    if task_id not in tasks:
        found = fetch(session, table("task"), task_id)
        tasks[task_id] = int(found["plan_id"]) if found else 0
    return task_id, tasks[task_id] or None


def _write_entries(session: Session, entries: Sequence[Row]) -> None:
    driver_insert(session, table("auditentry"), entries)


def _sqlite_datetime(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _sqlite_converter(col: Column[Any]) -> Callable[[Any], object] | None:
    """How SQLAlchemy's SQLite types store a column's values: ISO dates, UTC datetimes, 0/1; None = as is."""
    typ = getattr(col.type, "impl", col.type)  # sqlmodel's UTCDateTime decorates DateTime
    try:
        kind = typ.python_type
    except NotImplementedError:
        return None
    if kind is datetime:
        return _sqlite_datetime
    if kind is date:
        return date.isoformat
    if kind is bool:
        return int
    return None


def driver_insert(session: Session, tbl: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert many rows (all with the keys of the first) with one DB-API `executemany`.

    SQLAlchemy's executemany processes every parameter of every row in Python; for the 100k
    derived obligation rows of a city that was most of the import's time. On SQLite the date,
    datetime and boolean columns are converted here exactly as SQLAlchemy's types store them;
    other databases get the Python values (their drivers adapt them). Zero rows: nothing happens.
    """
    if not rows:
        return
    conn = session.connection()
    dialect = conn.dialect
    names = list(rows[0])
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {dialect.identifier_preparer.format_table(tbl)} ({', '.join(quote(n) for n in names)}) "
           f"VALUES ({', '.join([mark] * len(names))})")
    params: list[list[object]] = [[r[n] for n in names] for r in rows]
    if dialect.name == "sqlite":
        convert = [(i, f) for i, n in enumerate(names) if (f := _sqlite_converter(tbl.c[n])) is not None]
        for values in params:
            for i, f in convert:
                if values[i] is not None:
                    values[i] = f(values[i])
    conn.exec_driver_sql(sql, [tuple(v) for v in params])


def _next_ids(session: Session, tbl: Table, count: int) -> list[int] | None:
    """Ids for `count` new rows on SQLite: max(id)+1…, safe because BEGIN IMMEDIATE holds the
    write lock; None elsewhere (the database's sequence assigns them through RETURNING)."""
    if session.connection().dialect.name != "sqlite":
        return None
    from sqlalchemy import func, select

    top = session.execute(select(func.max(tbl.c.id))).scalar() or 0
    return list(range(top + 1, top + 1 + count))


def fetch(session: Session, tbl: Table, row_id: int) -> Row | None:
    """One row as a dict, or None."""
    found = session.execute(tbl.select().where(tbl.c.id == row_id)).mappings().first()
    return dict(found) if found is not None else None


def insert(session: Session, tbl: Table, values: Mapping[str, Any], summary: str) -> int:
    """Insert one row, audit it, return its id."""
    return insert_many(session, tbl, [values], summary)[0]


def insert_many(session: Session, tbl: Table, rows: Sequence[Mapping[str, Any]],
                summary: str | Sequence[str]) -> list[int]:
    """Insert rows in one batch (ids returned in input order) and audit each one.

    `summary` is one line for all rows or one per row. Zero rows is not an error: nothing happens.
    """
    if not rows:
        return []
    defaults = {c.name: _column_default(c) for c in tbl.columns if c.name != "id"}
    full = [defaults | dict(r) for r in rows]
    ids = _next_ids(session, tbl, len(rows))
    if ids is not None:  # SQLite: one executemany, ids known (RETURNING in order is row by row there)
        for row, new_id in zip(full, ids, strict=True):
            row["id"] = new_id
        driver_insert(session, tbl, full)
    else:
        stmt = tbl.insert().returning(tbl.c.id, sort_by_parameter_order=True)
        ids = [r[0] for r in session.execute(stmt, full)]
        for row, new_id in zip(full, ids, strict=True):
            row["id"] = new_id
    lines = [summary] * len(rows) if isinstance(summary, str) else list(summary)
    _write_entries(session, [_entry(session, tbl.name, i, None, to_json(f), line, f)
                             for f, i, line in zip(full, ids, lines, strict=True)])
    return ids


def _column_default(col: Column[Any]) -> object:
    default = col.default
    if default is not None and getattr(default, "is_scalar", False):
        return getattr(default, "arg", None)
    return None


def update(session: Session, tbl: Table, row_id: int,
           changes: Mapping[str, Any] | Callable[[Row], Mapping[str, Any]], summary: str) -> Row:
    """Change some columns of one row and audit before → after; returns the row after.

    `changes` may be a function of the row as it is (e.g. a version increment), read once.

    Changes that set a column to the value it already has are not written; when nothing
    changes, no audit entry is written either.
    """
    before = fetch(session, tbl, row_id)
    if before is None:
        raise LookupError(f"{tbl.name} {row_id} does not exist")
    wanted = changes(before) if callable(changes) else changes
    real = {k: v for k, v in wanted.items() if before.get(k) != v}
    if not real:
        return before
    session.execute(tbl.update().where(tbl.c.id == row_id).values(**real))
    after = before | real
    _write_entries(session, [_entry(session, tbl.name, row_id, to_json(before), to_json(after), summary, after)])
    return after


def write_update_entry(session: Session, entity: str, row_id: int, before: Mapping[str, Any],
                       after: Mapping[str, Any], summary: str) -> None:
    """Audit an update the caller already made in SQL (e.g. an atomic `version = version + 1`)."""
    _write_entries(session, [_entry(session, entity, row_id, to_json(before), to_json(after), summary, after)])


def delete(session: Session, tbl: Table, row_id: int, summary: str) -> None:
    """Delete one row and audit it (its whole content is kept for undo)."""
    before = fetch(session, tbl, row_id)
    if before is None:
        return
    session.execute(tbl.delete().where(tbl.c.id == row_id))
    _write_entries(session, [_entry(session, tbl.name, row_id, to_json(before), None, summary, before)])


def note(session: Session, summary: str, entity: str = "action") -> None:
    """An audit line that records no row change (e.g. the undo itself)."""
    _write_entries(session, [_entry(session, entity, None, None, None, summary)])


def reverse(session: Session, entries: Iterable[Mapping[str, Any]]) -> set[int]:
    """Undo audit entries, newest first; return the task ids whose obligations must be recomputed.

    insert → delete the row; update → write `before` back; delete → re-insert it with its id.
    Every statement must change exactly its row: one that changes none (the row is gone, or not
    this user's to change — row-level security hides it) is `NotRevertedError`, and the caller's
    transaction must roll back, so that nothing is marked undone that was not reverted.
    """
    touched: set[int] = set()
    for entry in sorted(entries, key=lambda e: e["id"], reverse=True):
        if entry["entity"] not in _tables():
            continue
        tbl = table(entry["entity"])
        state = entry["after"] or entry["before"]
        if state is None:
            continue
        touched |= _task_ids(session, tbl.name, from_json(tbl, state))
        if entry["before"] is None:  # was an insert
            _drop_derived(session, tbl.name, int(entry["entity_id"]))
            result = session.execute(tbl.delete().where(tbl.c.id == entry["entity_id"]))
        elif entry["after"] is None:  # was a delete: the insert adds its row or raises (a policy's
            session.execute(tbl.insert(), [from_json(tbl, entry["before"])])  # check, a duplicate id)
            continue
        else:
            row = from_json(tbl, entry["before"])
            result = session.execute(tbl.update().where(tbl.c.id == entry["entity_id"]).values(**row))
        if getattr(result, "rowcount", 1) != 1:
            raise NotRevertedError(entry)
    return touched


class NotRevertedError(Exception):
    """An audit entry whose reversal changed no row (`reverse`); carries the entry."""

    def __init__(self, entry: Mapping[str, Any]) -> None:
        super().__init__(f"{entry['entity']} {entry['entity_id']} could not be reverted")
        self.entry = entry


_DERIVED_KEY = {"requirement": "requirement_id", "task": "task_id", "plan": "plan_id"}


def _drop_derived(session: Session, name: str, row_id: int) -> None:
    """Delete the obligation rows that point at a row about to be deleted (they are derived and
    recomputed after the undo; PostgreSQL enforces the foreign key, SQLite does not)."""
    key = _DERIVED_KEY.get(name)
    if key is not None:
        obligations = table("obligation")
        session.execute(obligations.delete().where(obligations.c[key] == row_id))


def _tables() -> set[str]:
    from sqlmodel import SQLModel

    table("meta")
    return set(SQLModel.metadata.tables)


def _task_ids(session: Session, name: str, row: Row) -> set[int]:
    if name == "task":
        return {row["id"]}
    if "task_id" in row and row["task_id"] is not None:
        return {int(row["task_id"])}
    if "requirement_id" in row and row["requirement_id"] is not None:
        req = fetch(session, table("requirement"), int(row["requirement_id"]))
        return {int(req["task_id"])} if req else set()
    return set()
