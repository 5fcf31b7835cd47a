"""Schema versions: create a fresh database, upgrade an older one in place, refuse a newer one.

The version lives in the `meta` table (key "schema_version"). Each step in `MIGRATIONS` takes a
database from version N to N+1 inside one transaction and keeps every row; a step that fails
leaves the database at N. A database written by a newer tracker is never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tracker.errors import DatabaseError
from tracker.store.version import SCHEMA_VERSION

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine


def _v1_to_v2(conn: Connection) -> None:
    """Add requirement.parsed_index (parsed rules keep their position) and the read-path indexes."""
    from tracker.store import tables

    conn.exec_driver_sql("ALTER TABLE requirement ADD COLUMN parsed_index INTEGER")
    conn.exec_driver_sql("UPDATE requirement SET parsed_index = position WHERE origin = 'parsed'")
    # obligations are derived rows: duplicates (impossible through tracker, but v1 had no
    # constraint) are dropped so the new unique index can be built.
    conn.exec_driver_sql(
        "DELETE FROM obligation WHERE id NOT IN "
        "(SELECT min(id) FROM obligation GROUP BY requirement_id, key)")
    for table in (tables.Obligation, tables.Completion, tables.ProgressNote):
        for index in table.__table__.indexes:  # type: ignore[union-attr]
            if "done_on" not in index.columns or table is not tables.Obligation:  # v4 builds those
                index.create(conn, checkfirst=True)


def _v2_to_v3(conn: Connection) -> None:
    """Offices and users; `plan.office_id` (every existing plan → the "default" office); the
    audit trail's `task_id` / `plan_id`, filled from each entry's row JSON, and their indexes."""
    from sqlmodel import SQLModel

    from tracker.store import tables  # noqa: F401 - registers the tables on SQLModel.metadata
    from tracker.store.offices import ensure_default_office

    for name in ("office", "app_user", "membership"):
        SQLModel.metadata.tables[name].create(conn, checkfirst=True)
    ensure_default_office(conn)
    conn.exec_driver_sql("ALTER TABLE plan ADD COLUMN office_id INTEGER NOT NULL DEFAULT 1")
    conn.exec_driver_sql("ALTER TABLE auditentry ADD COLUMN task_id INTEGER")
    conn.exec_driver_sql("ALTER TABLE auditentry ADD COLUMN plan_id INTEGER")
    _backfill_audit_scope(conn)
    for table in (SQLModel.metadata.tables["plan"], SQLModel.metadata.tables["auditentry"]):
        for index in table.indexes:
            if table.name != "auditentry" or "office_id" not in index.columns:  # v6 builds that one
                index.create(conn, checkfirst=True)


def _backfill_audit_scope(conn: Connection) -> None:
    """Fill auditentry.task_id / plan_id from the JSON each entry keeps (one pass, in Python:
    portable, and a city's ~33k rows take well under a second)."""
    import json

    from sqlalchemy import text

    req_task: dict[int, int] = {r[0]: r[1] for r in conn.execute(text("SELECT id, task_id FROM requirement"))}
    task_plan: dict[int, int] = {r[0]: r[1] for r in conn.execute(text("SELECT id, plan_id FROM task"))}
    updates = []
    for entry_id, entity, entity_id, before, after in conn.execute(text(
            "SELECT id, entity, entity_id, before, after FROM auditentry")).all():
        try:
            row = json.loads(after or before or "{}")
        except ValueError:
            continue
        task_id = entity_id if entity == "task" else row.get("task_id")
        if task_id is None and entity in ("completion", "waiver"):
            task_id = req_task.get(row.get("requirement_id"))
        plan_id = entity_id if entity == "plan" else row.get("plan_id") or task_plan.get(task_id)
        if task_id is not None or plan_id is not None:
            updates.append({"i": entry_id, "t": task_id, "p": plan_id})
    if updates:
        conn.execute(text("UPDATE auditentry SET task_id = :t, plan_id = :p WHERE id = :i"), updates)


def _v3_to_v4(conn: Connection) -> None:
    """`obligation.done_on` (the earliest completion's date), filled from the completions, its
    index and the triggers that keep it (`tracker.store.triggers`)."""
    from sqlmodel import SQLModel

    from tracker.store import tables  # noqa: F401 - registers the tables on SQLModel.metadata
    from tracker.store.triggers import REFRESH_ALL, install_done_on_triggers

    conn.exec_driver_sql("ALTER TABLE obligation ADD COLUMN done_on DATE")
    conn.exec_driver_sql(REFRESH_ALL)
    for old in ("ix_obligation_due", "ix_obligation_due_task"):  # superseded by ix_obligation_open
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {old}")
    for index in SQLModel.metadata.tables["obligation"].indexes:
        index.create(conn, checkfirst=True)
    install_done_on_triggers(conn)


def _v4_to_v5(conn: Connection) -> None:
    """`owner.office_id` (schema 5): a unit belongs to one office, unique by (office, name).

    Until schema 4 a name was one unit for the whole database, so every office's "办公室" was one
    row with one address. A unit the tasks of several offices shared becomes one unit per office
    (each keeps the address; the tasks of each office point at their own); a unit no task uses
    goes to the default office.
    """
    from sqlalchemy import text
    from sqlalchemy.schema import CreateTable

    from tracker.store import tables

    owner = tables.Owner.__table__  # type: ignore[attr-defined]
    if conn.dialect.name == "sqlite":
        # SQLite cannot drop the old UNIQUE (name): the table is rebuilt under its name, ids kept
        # (taskowner's foreign key names the table; foreign keys are not enforced on this engine)
        ddl = str(CreateTable(owner).compile(conn)).replace("CREATE TABLE owner ", "CREATE TABLE owner_v5 ", 1)
        conn.exec_driver_sql(ddl)
        conn.exec_driver_sql("INSERT INTO owner_v5 (id, office_id, name, email) SELECT id, 1, name, email FROM owner")
        conn.exec_driver_sql("DROP TABLE owner")
        conn.exec_driver_sql("ALTER TABLE owner_v5 RENAME TO owner")
    else:
        conn.exec_driver_sql("ALTER TABLE owner ADD COLUMN IF NOT EXISTS office_id INTEGER NOT NULL DEFAULT 1")
        conn.exec_driver_sql("ALTER TABLE owner DROP CONSTRAINT IF EXISTS owner_name_key")
    offices: dict[int, list[int]] = {}
    for owner_id, office_id in conn.execute(text(
            "SELECT DISTINCT tow.owner_id, p.office_id FROM taskowner tow JOIN task t ON t.id = tow.task_id "
            "JOIN plan p ON p.id = t.plan_id ORDER BY tow.owner_id, p.office_id")):
        offices.setdefault(owner_id, []).append(office_id)
    for owner_id, name, email in conn.execute(text("SELECT id, name, email FROM owner ORDER BY id")).all():
        first, *others = offices.get(owner_id, [1])
        conn.execute(text("UPDATE owner SET office_id = :o WHERE id = :i"), {"o": first, "i": owner_id})
        for office_id in others:
            copy = conn.execute(text("INSERT INTO owner (office_id, name, email) VALUES (:o, :n, :e) RETURNING id"),
                                {"o": office_id, "n": name, "e": email}).scalar()
            conn.execute(text("UPDATE taskowner SET owner_id = :c WHERE owner_id = :i AND task_id IN "
                              "(SELECT t.id FROM task t JOIN plan p ON p.id = t.plan_id WHERE p.office_id = :o)"),
                         {"c": copy, "i": owner_id, "o": office_id})
    for index in owner.indexes:
        index.create(conn, checkfirst=True)


def _v5_to_v6(conn: Connection) -> None:
    """`auditentry.office_id` (schema 6): every audit row gets an office, so row-level security can
    scope the rows of no plan (a unit's address, undo notes) and `undo` stays within an office.

    A row of a plan takes the plan's office; a unit's row its unit's; any other row of an action
    the office of that action's other rows; what is left (an undo note, a calendar line) the
    office of the user who wrote it when they have exactly one, else "default" (1, seen by admins).
    """
    import json

    from sqlalchemy import inspect, text
    from sqlmodel import SQLModel

    from tracker.store import tables  # noqa: F401 - registers the tables on SQLModel.metadata

    if "office_id" not in {c["name"] for c in inspect(conn).get_columns("auditentry")}:
        conn.exec_driver_sql("ALTER TABLE auditentry ADD COLUMN office_id INTEGER")
    plan_office = {r[0]: r[1] for r in conn.execute(text("SELECT id, office_id FROM plan"))}
    owner_office = {r[0]: r[1] for r in conn.execute(text("SELECT id, office_id FROM owner"))}
    user_office: dict[str, int] = {}
    for name, office_id, count in conn.execute(text(
            "SELECT u.name, min(m.office_id), count(*) FROM app_user u JOIN membership m ON m.user_id = u.id "
            "GROUP BY u.name")):
        if count == 1:
            user_office[name] = int(office_id)
    rows = conn.execute(text("SELECT id, action_id, who, entity, entity_id, plan_id, before, after "
                             "FROM auditentry WHERE office_id IS NULL ORDER BY id")).all()
    found: dict[int, int] = {}
    by_action: dict[str, int] = {}
    for entry_id, action_id, _who, entity, entity_id, plan_id, before, after in rows:
        office = plan_office.get(plan_id) if plan_id is not None else None
        if office is None and entity == "owner":
            office = owner_office.get(entity_id)
            if office is None:
                try:
                    office = json.loads(after or before or "{}").get("office_id")
                except (ValueError, AttributeError):
                    office = None
        if office is not None:
            found[entry_id] = int(office)
            by_action.setdefault(action_id, int(office))
    updates = []
    for entry_id, action_id, who, *_ in rows:
        office = found.get(entry_id) or by_action.get(action_id) or user_office.get(who) or 1
        updates.append({"i": entry_id, "o": office})
    if updates:
        conn.execute(text("UPDATE auditentry SET office_id = :o WHERE id = :i"), updates)
    for index in SQLModel.metadata.tables["auditentry"].indexes:
        index.create(conn, checkfirst=True)


MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4, 4: _v4_to_v5,
                                                       5: _v5_to_v6}
"""from-version → the step that makes it from-version + 1."""


def read_version(conn: Connection, where: str) -> int | None:
    """The stored schema version; None for an empty database; `DatabaseError` if not ours."""
    from sqlalchemy import inspect, text

    names = set(inspect(conn).get_table_names())
    if not names:
        return None
    if "meta" not in names:
        raise DatabaseError(f"{where} is not a tracker database (it has other tables); "
                            "choose another file with --db.",
                            zh=f"{where} 不是 tracker 数据库 (里面有别的表); 请用 --db 另选一个文件。")
    value = conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar()
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise DatabaseError(f"{where} has no valid schema version; it was not written by tracker.",
                            zh=f"{where} 没有有效的数据库版本; 它不是 tracker 写入的。") from None


def check_and_upgrade(engine: Engine, where: str) -> int:
    """Bring the database to `SCHEMA_VERSION`; return the version it had (0 when it was empty).

    Refuses a newer schema with `DatabaseError` ("… was written by a newer tracker (schema N);
    upgrade tracker") without writing anything.
    """
    from sqlalchemy import text
    from sqlmodel import SQLModel

    from tracker.store import tables  # noqa: F401 - registers the tables on SQLModel.metadata
    from tracker.store.offices import ensure_default_office, install_access_rules
    from tracker.store.triggers import install_done_on_triggers

    with engine.begin() as conn:
        found = read_version(conn, where)
        if found is None:
            SQLModel.metadata.create_all(conn)
            install_done_on_triggers(conn)
            ensure_default_office(conn)
            conn.execute(text("INSERT INTO meta (key, value) VALUES ('schema_version', :v)"),
                         {"v": str(SCHEMA_VERSION)})
            install_access_rules(conn)
            return 0
    if found > SCHEMA_VERSION:
        raise DatabaseError(f"{where} was written by a newer tracker (schema {found}); upgrade tracker "
                            f"(this one reads schema {SCHEMA_VERSION} and older).",
                            zh=f"{where} 由更新版本的 tracker 写入 (数据库版本 {found}); 请升级 tracker "
                               f"(当前版本的 tracker 只能读取版本 {SCHEMA_VERSION} 及更早的数据库)。")
    for version in range(found, SCHEMA_VERSION):
        with engine.begin() as conn:  # SQLite: BEGIN IMMEDIATE, so the version is read under the write lock
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("LOCK TABLE meta IN SHARE ROW EXCLUSIVE MODE")
            if read_version(conn, where) != version:
                continue  # another process (two cron jobs after an upgrade) took this step meanwhile
            MIGRATIONS[version](conn)
            conn.execute(text("UPDATE meta SET value = :v WHERE key = 'schema_version'"),
                         {"v": str(version + 1)})
    if found < SCHEMA_VERSION:
        with engine.begin() as conn:  # tables added by later versions
            SQLModel.metadata.create_all(conn)
            install_access_rules(conn)
    return found

