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
            index.create(conn, checkfirst=True)


MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _v1_to_v2}
"""from-version → the step that makes it from-version + 1."""


def read_version(conn: Connection, where: str) -> int | None:
    """The stored schema version; None for an empty database; `DatabaseError` if not ours."""
    from sqlalchemy import inspect, text

    names = set(inspect(conn).get_table_names())
    if not names:
        return None
    if "meta" not in names:
        raise DatabaseError(f"{where} is not a tracker database (it has other tables); "
                            "choose another file with --db.")
    value = conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar()
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise DatabaseError(f"{where} has no valid schema version; it was not written by tracker.") from None


def check_and_upgrade(engine: Engine, where: str) -> int:
    """Bring the database to `SCHEMA_VERSION`; return the version it had (0 when it was empty).

    Refuses a newer schema with `DatabaseError` ("… was written by a newer tracker (schema N);
    upgrade tracker") without writing anything.
    """
    from sqlalchemy import text
    from sqlmodel import SQLModel

    from tracker.store import tables  # noqa: F401 - registers the tables on SQLModel.metadata

    with engine.begin() as conn:
        found = read_version(conn, where)
        if found is None:
            SQLModel.metadata.create_all(conn)
            conn.execute(text("INSERT INTO meta (key, value) VALUES ('schema_version', :v)"),
                         {"v": str(SCHEMA_VERSION)})
            return 0
    if found > SCHEMA_VERSION:
        raise DatabaseError(f"{where} was written by a newer tracker (schema {found}); upgrade tracker "
                            f"(this one reads schema {SCHEMA_VERSION} and older).")
    for version in range(found, SCHEMA_VERSION):
        with engine.begin() as conn:
            MIGRATIONS[version](conn)
            conn.execute(text("UPDATE meta SET value = :v WHERE key = 'schema_version'"),
                         {"v": str(version + 1)})
    if found < SCHEMA_VERSION:
        with engine.begin() as conn:  # tables added by later versions
            SQLModel.metadata.create_all(conn)
    return found

